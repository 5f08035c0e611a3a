#!/bin/bash
# `make demo`: boot Debian's 6.12 kernel in QEMU with four OGPUs, load the
# modules and run ogpu-smi and the hello example.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/demo

"$top/scripts/install-deps.sh"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
echo "demo: building libogpu, ogpu-smi and the modules for $KVER"
make -C "$top" --no-print-directory userspace tests >/dev/null
"$top/scripts/debian-kernel.sh" "$BUILD/debian-kernel"
"$top/scripts/build-modules.sh" "/usr/src/linux-headers-$KVER" "$BUILD/mod-debian" >/dev/null
mkdir -p "$out"
"$top/tests/qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$BUILD/mod-debian" "$BUILD/debian-kernel"
echo "demo: booting Linux $KVER in QEMU (TCG)"
"$top/tests/qemu/run-qemu.sh" "$BUILD/debian-kernel/vmlinuz" "$out/initramfs.cpio.gz" demo "$out" 600 || true
echo
tr -d '\r' <"$out/output.log" | grep -v '^### '
echo
echo "demo: the guest's kernel log is in $out/console.log"
tr -d '\r' <"$out/output.log" | grep -q '^### OGPU-GUEST-DONE'
