# Run in the guest by init for `make demo`.
moddir=/lib/modules/ogpu
echo "# insmod ogpu_sim.ko num_devices=4 && insmod ogpu.ko"
insmod $moddir/ogpu_sim.ko num_devices=4 vram_mb=64
insmod $moddir/ogpu.ko
echo
echo "# ogpu-smi"
ogpu-smi
echo
echo "# ogpu-smi --json"
ogpu-smi --json
echo
echo "# hello (userspace/examples/hello.c)"
hello
echo
echo "# copy (userspace/examples/copy.c): a copy job on each device, after an asynchronous bind"
copy

echo
echo "# memory 3 & (userspace/examples/memory.c: VRAM and host buffers, bound in a VM)"
memory 3 &
sleep 1
echo "# ogpu-smi"
ogpu-smi
wait

echo
echo "# Compute: kernels in C (userspace/examples/kernels/), built by ogpu-cc for"
echo "# the compute units, launched with libogpu's runtime, checked on the CPU."
for ex in vecadd saxpy reduce histogram mandelbrot; do
	echo
	echo "# $ex (userspace/examples/$ex.c)"
	$ex
done
echo
echo "# sgemm 64 (userspace/examples/sgemm.c): on every device, with GFLOP/s"
sgemm 64
