#!/bin/bash
# Make the guest's initramfs.
#
#   mkinitramfs.sh OUT.cpio.gz MODDIR KROOT
#
# MODDIR holds the built ogpu.ko and ogpu_sim.ko (drivers/*/); KROOT is an
# unpacked Debian kernel (scripts/debian-kernel.sh) whose modules the ogpu
# modules depend on (and vgem, for the PRIME selftest), or "none" for a
# kernel with everything built in.
set -euo pipefail
out=$1 moddir=$2 kroot=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
root=$(mktemp -d)
# mktemp makes it 0700: a test that drops root must still reach /dev.
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/modules/ogpu,lib/modules/deps,ogpu/bin,ogpu/lib,ogpu/tests}
cp /bin/busybox "$root/bin/busybox"
cp "$top/tests/qemu/init" "$root/init"
cp "$top"/tests/qemu/guest-*.sh "$root/ogpu/"
chmod +x "$root/init"

# ogpu's modules, and the kernel's modules they need, in load order.
cp "$moddir"/drivers/ogpu_sim/ogpu_sim.ko "$moddir"/drivers/ogpu/ogpu.ko \
	"$root/lib/modules/ogpu/"
: > "$root/lib/modules/deps/order"
if [ "$kroot" != none ]; then
	kver=$(cat "$kroot/kver")
	# vgem: the other driver ogpu_prime_test shares dma-bufs with.
	deps=$({ for m in "$moddir"/drivers/*/*.ko; do
		modinfo -F depends "$m" | tr ',' '\n'
	done; echo vgem; } | sort -u | grep -v '^$' || true)
	for d in $deps; do
		modprobe -d "$kroot" -S "$kver" --show-depends "$d" |
			awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r path; do
		name=$(basename "$path"); name=${name%.xz}; name=${name%.zst}
		case "$path" in
		*.xz) xz -dc "$path" > "$root/lib/modules/deps/$name" ;;
		*.zst) zstd -qdc "$path" > "$root/lib/modules/deps/$name" ;;
		*) cp "$path" "$root/lib/modules/deps/$name" ;;
		esac
		echo "$name" >> "$root/lib/modules/deps/order"
	done
fi

# Userspace: libogpu, the tools, the tests and the shared libraries they use.
cp -a "$build"/userspace/libogpu.so* "$root/ogpu/lib/"
cp "$build"/userspace/ogpu-smi "$build"/userspace/ogpu-bench \
	"$build"/userspace/examples/* "$root/ogpu/bin/"
cp "$build"/tests/selftests/*_test "$build"/tests/selftests/*.elf \
	"$root/ogpu/tests/"
cp "$build"/tests/fuzz/ogpu_ioctl_fuzz "$root/ogpu/tests/"
for bin in "$root"/ogpu/bin/* "$root"/ogpu/tests/*; do
	# Compute modules are RISC-V code for the OGPU, not host programs.
	case "$bin" in *.elf) continue ;; esac
	LD_LIBRARY_PATH="$build/userspace" ldd "$bin" |
		awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'
done | sort -u | grep -v libogpu | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# The dynamic loader's canonical path.
if [ -e /lib64/ld-linux-x86-64.so.2 ]; then
	mkdir -p "$root/lib64"
	cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
