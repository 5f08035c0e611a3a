#!/bin/bash
# `make bench`: boot Debian's 6.12 kernel in QEMU with one OGPU and run
# ogpu-bench; then, on the host, cu_bench (tests/bench/cu_bench.c: the
# compute executor against native and qemu-riscv64 runs of the example
# kernels), whose JSON becomes the "compute_host" section. Prints the JSON
# and keeps it in build/bench/bench.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
out=$BUILD/bench

"$top/scripts/guest-prepare.sh" "$out/initramfs.cpio.gz"
echo "bench: figures are for this emulated machine; compare the ratios" >&2
"$top/tests/qemu/run-qemu.sh" "$BUILD/debian-kernel/vmlinuz" "$out/initramfs.cpio.gz" bench "$out" 1800 || true
tr -d '\r' <"$out/output.log" |
	sed -n '/^### OGPU-BENCH-BEGIN/,/^### OGPU-BENCH-END/p' | grep -v '^###' >"$out/bench.json"

# The host part, after QEMU has exited (it would share the CPUs).
echo "bench: compute executor against native and qemu-riscv64, on the host" >&2
host_rc=0
"$BUILD/tests/bench/cu_bench" >"$out/compute_host.json" || host_rc=$?
{
	if grep -q '[^{}[:space:]]' "$out/bench.json"; then
		# all but the closing brace, a comma after the last section
		sed '$d' "$out/bench.json" | sed '$s/$/,/'
	else
		printf '{\n'
	fi
	printf '  "compute_host": '
	if [ -s "$out/compute_host.json" ]; then
		sed 's/^/  /; 1s/^  //' "$out/compute_host.json"
	else
		printf 'null\n'
	fi
	printf '}\n'
} >"$out/bench-all.json"
mv "$out/bench-all.json" "$out/bench.json"
cat "$out/bench.json"
tr -d '\r' <"$out/output.log" | grep -q '^### OGPU-BENCH-END rc=0'
[ "$host_rc" = 0 ]
