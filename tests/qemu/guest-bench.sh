# Run in the guest by init for `make bench`: one OGPU, then ogpu-bench.
moddir=/lib/modules/ogpu
insmod $moddir/ogpu_sim.ko num_devices=1 vram_mb=64
insmod $moddir/ogpu.ko
echo "### OGPU-BENCH-BEGIN"
ogpu-bench ${OGPU_BENCH_ARGS:-mem queue bind compute}
echo "### OGPU-BENCH-END rc=$?"
