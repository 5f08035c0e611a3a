#!/bin/bash
# `make bench`: boot Debian's 6.12 kernel in QEMU with one OGPU and run
# ogpu-bench. Prints its JSON and keeps it in build/bench/bench.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/bench

"$top/scripts/install-deps.sh"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
make -C "$top" --no-print-directory userspace tests >/dev/null
"$top/scripts/debian-kernel.sh" "$BUILD/debian-kernel"
"$top/scripts/build-modules.sh" "/usr/src/linux-headers-$KVER" "$BUILD/mod-debian" >/dev/null
mkdir -p "$out"
"$top/tests/qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$BUILD/mod-debian" "$BUILD/debian-kernel"
echo "bench: booting Linux $KVER in QEMU (TCG); figures are for this emulated machine" >&2
"$top/tests/qemu/run-qemu.sh" "$BUILD/debian-kernel/vmlinuz" "$out/initramfs.cpio.gz" bench "$out" 1800 || true
tr -d '\r' <"$out/output.log" |
	sed -n '/^### OGPU-BENCH-BEGIN/,/^### OGPU-BENCH-END/p' | grep -v '^###' >"$out/bench.json"
cat "$out/bench.json"
tr -d '\r' <"$out/output.log" | grep -q '^### OGPU-BENCH-END rc=0'
