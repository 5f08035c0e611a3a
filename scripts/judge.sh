# Sourced by scripts/check.sh and scripts/fuzz.sh: judge a guest's run.
#
#   judge_kernel_log OUT KERNEL
#
# Reads OUT/console.log (the kernel log) and OUT/output.log (the guest's
# output) and prints a KTAP block for tests/qemu/parse.awk: the guest ran
# to the end; no WARN, BUG, oops, KASAN, UBSAN, debugobjects or lockdep
# report; and, on the debug kernel, kmemleak reports nothing.

# What counts as a kernel report, for grep -E.
OGPU_REPORT_RE='WARNING:|BUG:|Oops|Kernel panic|general protection|UBSAN:|KASAN:|ODEBUG:|possible circular|possible recursive|inconsistent lock|lock held|Call Trace:|RIP:|killed entity|OGPU-ERROR'

judge_kernel_log() {
	local out=$1 kernel=$2 bad leaks
	echo "### OGPU-BEGIN guest-kernel-log"
	if grep -q '^### OGPU-GUEST-DONE' <(tr -d '\r' <"$out/output.log" 2>/dev/null); then
		echo "ok 1 guest ran to the end"
	else
		echo "not ok 1 guest ran to the end"
	fi
	bad=$(grep -nE "$OGPU_REPORT_RE" "$out/console.log" "$out/output.log" 2>/dev/null | head -40)
	if [ -z "$bad" ]; then
		echo "ok 2 no WARN, BUG, oops, KASAN, UBSAN or lockdep report"
	else
		echo "$bad" | sed 's/^/# /'
		echo "not ok 2 no WARN, BUG, oops, KASAN, UBSAN or lockdep report"
	fi
	leaks=$(tr -d '\r' <"$out/output.log" 2>/dev/null |
		sed -n '/^### OGPU-KMEMLEAK-BEGIN/,/^### OGPU-KMEMLEAK-END/p' |
		grep -v '^###')
	if [ "$kernel" = debug ]; then
		if grep -q '^### OGPU-KMEMLEAK-END' <(tr -d '\r' <"$out/output.log") &&
		   [ -z "$leaks" ]; then
			echo "ok 3 kmemleak reports nothing"
		else
			echo "$leaks" | head -40 | sed 's/^/# /'
			echo "not ok 3 kmemleak reports nothing"
		fi
	fi
	echo "# Totals: kernel log"
	echo "### OGPU-END guest-kernel-log rc=0"
}
