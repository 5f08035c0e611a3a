# Run in the guest by init for `make bench`: four OGPUs joined in a ring of
# links (the interconnect part uses them all; the others use device 0),
# then ogpu-bench. OGPU_KERNEL_ARGS="ogpu.bench=PART[,PART]" picks parts.
moddir=/lib/modules/ogpu
insmod $moddir/ogpu_sim.ko num_devices=4 vram_mb=64 topology=ring
insmod $moddir/ogpu.ko
parts="mem queue bind compute interconnect"
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	ogpu.bench=*) parts=$(echo "${arg#ogpu.bench=}" | tr , ' ') ;;
	esac
done
# The ring's links train for 1 ms after the module loads.
sleep 0.1
echo "### OGPU-BENCH-BEGIN"
ogpu-bench $parts
echo "### OGPU-BENCH-END rc=$?"
