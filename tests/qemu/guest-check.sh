# Run in the guest by init: every selftest, each between markers that the
# host's parser reads, then the kmemleak report where the kernel has one.
moddir=/lib/modules/ogpu
export OGPU_MODULE_DIR=$moddir OGPU_SIM_PARAMS="num_devices=2"

kmemleak=/sys/kernel/debug/kmemleak
# Forget what boot left, so that a report names only what the tests leaked.
[ -e $kmemleak ] && echo clear > $kmemleak

insmod $moddir/ogpu_sim.ko $OGPU_SIM_PARAMS || echo "### OGPU-ERROR insmod ogpu_sim"
insmod $moddir/ogpu.ko || echo "### OGPU-ERROR insmod ogpu"

only= repeat=1
fuzz_seconds=12 fuzz_seed=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	ogpu.only=*) only=${arg#ogpu.only=} ;;
	ogpu.repeat=*) repeat=${arg#ogpu.repeat=} ;;
	ogpu.fuzz_seconds=*) fuzz_seconds=${arg#ogpu.fuzz_seconds=} ;;
	ogpu.fuzz_seed=*) fuzz_seed=${arg#ogpu.fuzz_seed=} ;;
	esac
done

programs="ogpu_enum_test ogpu_query_test ogpu_hotplug_test ogpu_mem_test \
	ogpu_vm_test ogpu_queue_test ogpu_isolation_test ogpu_limits_test \
	ogpu_coredump_test ogpu_module_test ogpu_compute_test ogpu_link_test \
	ogpu_prime_test ogpu_coll_test ogpu_peer_test"
if [ "$only" = ogpu_ioctl_fuzz ]; then
	set --
elif [ -n "$only" ]; then
	# Debugging one program (or "all", to time every subtest): each subtest
	# on its own, named in the kernel log, whose timestamps time it.
	# "PROGRAM:SUBTEST" runs that one subtest.
	[ "$only" = all ] && only=$programs
	for prog in $only; do
		subs=${prog#*:}
		[ "$subs" = "$prog" ] &&
			subs=$(/ogpu/tests/$prog -l 2>&1 | awk '!/^#/ && !/^---/ && NF { print $NF }' | sort -u)
		prog=${prog%%:*}
		# ogpu.repeat=N runs each N times, to catch an intermittent
		# failure; a failed run prints the devices' coredumps.
		for sub in $subs; do
			i=0
			while [ $i -lt "$repeat" ]; do
				i=$((i + 1))
				echo "ogpu-check: running $prog $sub" > /dev/kmsg
				echo "### OGPU-BEGIN $prog:$sub"
				/ogpu/tests/$prog -t "$sub"
				rc=$?
				[ $rc -ne 0 ] && cat /sys/class/devcoredump/devcd*/data 2>/dev/null
				echo "### OGPU-END $prog:$sub rc=$rc"
			done
		done
	done
	echo "ogpu-check: done" > /dev/kmsg
	set --
else
	set -- $programs
fi
for t in "$@"; do
	echo "### OGPU-BEGIN $t"
	echo "ogpu-check: running $t" > /dev/kmsg
	/ogpu/tests/$t
	echo "### OGPU-END $t rc=$?"
done

# Whatever a failed test left, the fuzzer and the unload below start from
# both modules loaded.
[ -e /sys/module/ogpu_sim ] || insmod $moddir/ogpu_sim.ko $OGPU_SIM_PARAMS
[ -e /sys/module/ogpu ] || insmod $moddir/ogpu.ko

# A bounded slice of the ioctl fuzzer (make fuzz runs it long), by time so
# that the debug kernel does fewer calls rather than take longer. Device
# removal has tests of its own.
if [ -z "$only" ] || [ "$only" = ogpu_ioctl_fuzz ]; then
	echo "### OGPU-BEGIN ogpu_ioctl_fuzz"
	echo "ogpu-check: running ogpu_ioctl_fuzz" > /dev/kmsg
	/ogpu/tests/ogpu_ioctl_fuzz --seconds "$fuzz_seconds" --procs 2 \
		--threads 3 ${fuzz_seed:+--seed $fuzz_seed}
	fuzz_rc=$?
	echo "### OGPU-END ogpu_ioctl_fuzz rc=$fuzz_rc"
fi

# Exit status 2: the fuzzer found the driver wedged; unloading would hang.
if [ "${fuzz_rc:-0}" = 2 ]; then
	echo "### OGPU-ERROR driver wedged: modules left loaded"
else
	rmmod ogpu || echo "### OGPU-ERROR rmmod ogpu"
	rmmod ogpu_sim || echo "### OGPU-ERROR rmmod ogpu_sim"
fi

if [ -e $kmemleak ]; then
	# Objects must be a few seconds old before kmemleak reports them.
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	echo "### OGPU-KMEMLEAK-BEGIN"
	cat $kmemleak
	echo "### OGPU-KMEMLEAK-END"
fi
