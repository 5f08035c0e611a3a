#!/bin/bash
# `make bench`: boot Debian's 6.12 kernel in QEMU with one OGPU and run
# ogpu-bench. Prints its JSON and keeps it in build/bench/bench.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/bench

"$top/scripts/guest-prepare.sh" "$out/initramfs.cpio.gz"
echo "bench: figures are for this emulated machine; compare the ratios" >&2
"$top/tests/qemu/run-qemu.sh" "$BUILD/debian-kernel/vmlinuz" "$out/initramfs.cpio.gz" bench "$out" 1800 || true
tr -d '\r' <"$out/output.log" |
	sed -n '/^### OGPU-BENCH-BEGIN/,/^### OGPU-BENCH-END/p' | grep -v '^###' >"$out/bench.json"
cat "$out/bench.json"
tr -d '\r' <"$out/output.log" | grep -q '^### OGPU-BENCH-END rc=0'
