# Run in the guest by init for `make fuzz`: the ioctl fuzzer on two
# devices' worth of modules, then both modules unloaded (a wedged driver
# cannot be) and the kmemleak report where the kernel has one.
#
# ogpu.fuzz_args= on the kernel command line holds the fuzzer's options,
# commas for spaces (scripts/fuzz.sh writes it).
moddir=/lib/modules/ogpu
kmemleak=/sys/kernel/debug/kmemleak
[ -e $kmemleak ] && echo clear > $kmemleak

args=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	ogpu.fuzz_args=*) args=$(echo "${arg#ogpu.fuzz_args=}" | tr ',' ' ') ;;
	esac
done

insmod $moddir/ogpu_sim.ko num_devices=2 || echo "### OGPU-ERROR insmod ogpu_sim"
insmod $moddir/ogpu.ko || echo "### OGPU-ERROR insmod ogpu"

echo "### OGPU-BEGIN ogpu_ioctl_fuzz"
echo "ogpu-fuzz: running ogpu_ioctl_fuzz $args" > /dev/kmsg
# shellcheck disable=SC2086 # word splitting of the options is wanted
/ogpu/tests/ogpu_ioctl_fuzz $args
rc=$?
echo "### OGPU-END ogpu_ioctl_fuzz rc=$rc"

# Unloading the modules under a wedged driver (exit status 2) hangs; and
# the device model's only after the driver is gone.
if [ $rc = 2 ]; then
	echo "### OGPU-ERROR driver wedged: modules left loaded"
elif rmmod ogpu; then
	rmmod ogpu_sim || echo "### OGPU-ERROR rmmod ogpu_sim"
else
	echo "### OGPU-ERROR rmmod ogpu"
fi

if [ -e $kmemleak ]; then
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	echo "### OGPU-KMEMLEAK-BEGIN"
	cat $kmemleak
	echo "### OGPU-KMEMLEAK-END"
fi
