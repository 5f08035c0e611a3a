#!/bin/bash
# `make fuzz`: boot a kernel in QEMU with two OGPUs and run the ioctl
# fuzzer (tests/fuzz/ogpu_ioctl_fuzz.c) with kills and device removal,
# then judge the guest's kernel log as `make check` does. Prints the
# fuzzer's figures and ends with "N passed, N failed".
#
#   fuzz.sh [debian|debug]
#
# FUZZ_SECONDS (default 300, enough for 10^6 ioctls on the Debian kernel
# under TCG), FUZZ_PROCS (3), FUZZ_THREADS (3), FUZZ_SEED (random),
# FUZZ_HOTPLUG (1: remove and re-create the device under traffic) and
# FUZZ_ARGS (more options, e.g. --no-destroy-race) shape the run.
set -uo pipefail
kernel=${1:-debian}
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/fuzz-$kernel

die() { echo "fuzz: $*" >&2; exit 1; }

seconds=${FUZZ_SECONDS:-300}
args="--seconds $seconds --procs ${FUZZ_PROCS:-3} --threads ${FUZZ_THREADS:-3}"
[ "${FUZZ_HOTPLUG:-1}" = 1 ] && args="$args --hotplug"
[ -n "${FUZZ_SEED:-}" ] && args="$args --seed $FUZZ_SEED"
args="$args ${FUZZ_ARGS:-}"

mkdir -p "$out"
case "$kernel" in
debian)
	"$top/scripts/guest-prepare.sh" "$out/initramfs.cpio.gz" ||
		die "cannot prepare the guest"
	image=$BUILD/debian-kernel/vmlinuz
	;;
debug)
	"$top/scripts/install-deps.sh" || die "cannot install the dependencies"
	make -C "$top" --no-print-directory userspace tests >/dev/null ||
		die "userspace build failed"
	"$top/tests/qemu/build-debug-kernel.sh" "$BUILD/debug-kernel" ||
		die "debug kernel build failed"
	kdir=$BUILD/debug-kernel/linux
	"$top/scripts/build-modules.sh" "$kdir" "$BUILD/mod-debug" >/dev/null ||
		die "modules build failed"
	"$top/tests/qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$BUILD/mod-debug" none ||
		die "cannot make the initramfs"
	image=$kdir/arch/x86/boot/bzImage
	;;
*) die "KERNEL must be debian or debug, not '$kernel'" ;;
esac

echo "fuzz: $kernel kernel, ogpu_ioctl_fuzz $args"
OGPU_KERNEL_ARGS="ogpu.fuzz_args=$(echo $args | tr ' ' ',') ${OGPU_KERNEL_ARGS:-}" \
	"$top/tests/qemu/run-qemu.sh" "$image" "$out/initramfs.cpio.gz" fuzz "$out" \
	$((seconds * 2 + 600))

. "$top/scripts/judge.sh"
tr -d '\r' <"$out/output.log" >"$out/guest.log" 2>/dev/null
judge_kernel_log "$out" "$kernel" >"$out/host.log"
cat "$out/guest.log" "$out/host.log" >"$out/all.log"
sed -n '/^### OGPU-BEGIN ogpu_ioctl_fuzz/,/^### OGPU-END/p' "$out/guest.log" | grep -v '^###'
echo "fuzz: guest output in $out/guest.log, kernel log in $out/console.log"
awk -v counts="$out/counts" -f "$top/tests/qemu/parse.awk" "$out/all.log"
read -r pass fail skip <"$out/counts"
grep -E '^(ok|not ok) [0-9]+ ' "$out/host.log" | sed 's/^/  /'
echo "fuzz ($kernel kernel):"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
