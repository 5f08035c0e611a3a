# Count the KTAP results of the test programs in a guest's or the host's
# output. Each program runs between "### OGPU-BEGIN name" and
# "### OGPU-END name rc=N". A program that fails, crashes or is cut off
# before its "# Totals" line counts as a failure of its own.
# Prints "not ok" lines for the failures, and sets pass/fail/skip in the
# file named by -v counts=FILE.
function finish(reason) {
	if (reason != "") {
		print "not ok - " name ": " reason
		fail++
	}
	inblk = 0
}
{ sub(/\r$/, "") }
/^### OGPU-BEGIN / { name = $3; inblk = 1; totals = 0; blockfail = 0; next }
/^### OGPU-END / {
	rc = $4; sub(/^rc=/, "", rc)
	if (!totals)
		finish("did not finish (exit " rc ")")
	else if (rc != 0 && !blockfail)
		finish("exit status " rc)
	else
		finish("")
	next
}
inblk && /^ok [0-9]+ / { if ($0 ~ /# SKIP/) skip++; else pass++; next }
inblk && /^not ok [0-9]+ / {
	if ($0 ~ /# SKIP/) { skip++; next }
	fail++; blockfail = 1
	print "not ok - " name ": " $0
	next
}
inblk && /^# Totals:/ { totals = 1 }
END {
	if (inblk)
		finish("cut off")
	printf "%d %d %d\n", pass, fail, skip > counts
}
