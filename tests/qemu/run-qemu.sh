#!/bin/bash
# Boot a kernel and initramfs in QEMU (TCG; there is no KVM) and wait for
# the guest to power off. The kernel's console goes to OUT/console.log, the
# guest's own output (second serial port) to OUT/output.log.
#
#   run-qemu.sh KERNEL INITRD MODE OUT [TIMEOUT_S]
set -uo pipefail
kernel=$1 initrd=$2 mode=$3 out=$4 timeout_s=${5:-1800}
mkdir -p "$out"
rm -f "$out/console.log" "$out/output.log"

# Single-threaded TCG unless OGPU_QEMU_SINGLE=0. Multi-threaded TCG races
# with the kernel's live code patching (int3 oopses in text_poke_bp when a
# test enables tracepoints), and on two host cores it is no faster.
# One vCPU unless OGPU_QEMU_SMP says otherwise: single-threaded TCG runs
# the vCPUs in turns, so a second one adds no parallelism, and a spinlock
# that one vCPU holds while the other is descheduled costs the waiter a
# whole TCG time slice; the device model's register lock, taken by its
# command processor and by the driver alike, then stalls the guest for
# seconds at a time whenever a queue runs long packets.
accel=tcg,thread=single
[ "${OGPU_QEMU_SINGLE:-1}" = 0 ] && accel=tcg

timeout --foreground -k 10 "$timeout_s" \
	qemu-system-x86_64 -accel "$accel" -m 3072 -smp "${OGPU_QEMU_SMP:-1}" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic ogpu.mode=$mode ${OGPU_KERNEL_ARGS:-}" \
	-display none -monitor none -no-reboot -nodefaults \
	-serial "file:$out/console.log" -serial "file:$out/output.log" \
	</dev/null
rc=$?
[ $rc = 124 ] && echo "run-qemu: guest timed out after ${timeout_s}s" >&2
exit $rc
