#!/bin/bash
# `make check`: build everything, run the host-side checks, boot the kernel
# in QEMU with the modules and run every selftest there, then judge the
# guest's kernel log. Ends with one line "N passed, N failed".
#
#   check.sh [debian|debug]
set -uo pipefail
kernel=${1:-debian}
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/check-$kernel
host_log=$out/host.log

die() { echo "check: $*" >&2; exit 1; }

case "$kernel" in
debian|debug) ;;
*) die "KERNEL must be debian or debug, not '$kernel'" ;;
esac

"$top/scripts/install-deps.sh" || die "cannot install the dependencies"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
[ -n "$KVER" ] || die "no Debian 6.12 headers installed"

rm -rf "$out"
mkdir -p "$out"
make -C "$top" --no-print-directory userspace tests >"$out/build-userspace.log" 2>&1 ||
	{ tail -30 "$out/build-userspace.log"; die "userspace build failed"; }

case "$kernel" in
debian)
	"$top/scripts/debian-kernel.sh" "$BUILD/debian-kernel" ||
		die "cannot fetch Debian's linux-image-$KVER"
	kdir=/usr/src/linux-headers-$KVER
	image=$BUILD/debian-kernel/vmlinuz
	kroot=$BUILD/debian-kernel
	;;
debug)
	"$top/tests/qemu/build-debug-kernel.sh" "$BUILD/debug-kernel" ||
		die "debug kernel build failed"
	kdir=$BUILD/debug-kernel/linux
	image=$kdir/arch/x86/boot/bzImage
	kroot=none
	;;
esac

# Host-side checks, as KTAP between the markers parse.awk reads.
n=0
host_check() {
	local name=$1 log
	shift
	n=$((n + 1))
	if log=$("$@" 2>&1); then
		echo "ok $n $name" >>"$host_log"
	else
		echo "$log" | tail -40 | sed 's/^/# /' >>"$host_log"
		echo "not ok $n $name" >>"$host_log"
	fi
}

modules_w1() {
	local log
	log=$("$top/scripts/build-modules.sh" "$kdir" "$BUILD/mod-$kernel" 2>&1) ||
		{ echo "$log"; return 1; }
	! echo "$log" | grep -E 'warning:|error:'
}

symbols() {
	local lib=$BUILD/userspace/libogpu.so.0
	diff -u "$top/userspace/lib/libogpu.sym" \
		<(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort)
}

fuzz() {
	"$BUILD/tests/unit/sim_core_fuzz" -runs=200000 -seed=1 -max_len=4096 \
		-print_final_stats=0 2>&1 | tail -20
	return "${PIPESTATUS[0]}"
}

cu_fuzz() {
	"$BUILD/tests/unit/cu_fuzz" -runs=100000 -seed=1 -max_len=4096 \
		-print_final_stats=0 2>&1 | tail -20
	return "${PIPESTATUS[0]}"
}

echo "### OGPU-BEGIN host-checks" >"$host_log"
host_check "modules build at W=1 against $kdir" modules_w1
host_check "libogpu exports exactly libogpu.sym" symbols
host_check "checkpatch --strict on drivers/ and uapi/" "$top/scripts/lint.sh" checkpatch
host_check "kernel-doc -Wall on drivers/ and uapi/" "$top/scripts/lint.sh" kernel-doc
host_check "sparse (C=2) on the modules" "$top/scripts/lint.sh" sparse
host_check "libFuzzer on the device model core, 200000 runs" fuzz
host_check "libFuzzer on the compute unit's executor, 100000 runs" cu_fuzz
echo "# Totals: host checks" >>"$host_log"
echo "### OGPU-END host-checks rc=0" >>"$host_log"

for u in "$BUILD"/tests/unit/*_test; do
	name=$(basename "$u")
	echo "### OGPU-BEGIN unit/$name" >>"$host_log"
	"$u" >>"$host_log" 2>&1
	echo "### OGPU-END unit/$name rc=$?" >>"$host_log"
done

# The guest.
[ -f "$BUILD/mod-$kernel/drivers/ogpu/ogpu.ko" ] || die "modules did not build"
"$top/tests/qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$BUILD/mod-$kernel" "$kroot" ||
	die "cannot make the initramfs"
echo "check: booting $(basename "$image") ($kernel) in QEMU"
start=$(date +%s)
"$top/tests/qemu/run-qemu.sh" "$image" "$out/initramfs.cpio.gz" check "$out" "${OGPU_GUEST_TIMEOUT:-2400}"
echo "check: guest ran for $(( $(date +%s) - start )) s"

# Judge the guest's kernel log.
. "$top/scripts/judge.sh"
judge_kernel_log "$out" "$kernel" >>"$host_log"

tr -d '\r' <"$out/output.log" >"$out/guest.log" 2>/dev/null
cat "$out/guest.log" "$host_log" >"$out/all.log"
echo "check: guest output in $out/guest.log, kernel log in $out/console.log"
awk -v counts="$out/counts" -f "$top/tests/qemu/parse.awk" "$out/all.log"
read -r pass fail skip <"$out/counts"
if [ "${OGPU_CHECK_VERBOSE:-1}" = 1 ]; then
	grep -E '^(ok|not ok) [0-9]+ ' "$out/all.log" | sed 's/^/  /'
fi
if [ "$skip" -gt 0 ]; then
	echo "check ($kernel kernel): $pass passed, $fail failed, $skip skipped"
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "check ($kernel kernel):"
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
