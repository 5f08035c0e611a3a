# Run in the guest by init for `make demo`.
moddir=/lib/modules/ogpu
echo "# insmod ogpu_sim.ko num_devices=4 topology=ring && insmod ogpu.ko"
insmod $moddir/ogpu_sim.ko num_devices=4 vram_mb=64 topology=ring
insmod $moddir/ogpu.ko
echo
echo "# ogpu-smi"
ogpu-smi
echo
echo "# The interconnect: a ring of links; take one down, ask why not"
sleep 0.1
ogpu-smi topo
echo "# echo down > /sys/kernel/debug/ogpu_sim/ogpu.1/link0/state"
echo down > /sys/kernel/debug/ogpu_sim/ogpu.1/link0/state
echo "# ogpu-smi topo --p2p"
ogpu-smi topo --p2p
echo "# ogpu-smi links"
ogpu-smi links
echo up > /sys/kernel/debug/ogpu_sim/ogpu.1/link0/state
sleep 0.1
echo
echo "# allreduce (userspace/examples/allreduce.c): a ring all-reduce over the links"
allreduce
echo "# ogpu-smi links: the bytes it moved"
ogpu-smi links
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
