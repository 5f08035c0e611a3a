#!/bin/bash
# `make demo`: boot Debian's 6.12 kernel in QEMU with four OGPUs, load the
# modules and run ogpu-smi and the examples.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/demo

"$top/scripts/guest-prepare.sh" "$out/initramfs.cpio.gz"
"$top/tests/qemu/run-qemu.sh" "$BUILD/debian-kernel/vmlinuz" "$out/initramfs.cpio.gz" demo "$out" 600 || true
echo
tr -d '\r' <"$out/output.log" | grep -v '^### '
echo
echo "demo: the guest's kernel log is in $out/console.log"
tr -d '\r' <"$out/output.log" | grep -q '^### OGPU-GUEST-DONE'
