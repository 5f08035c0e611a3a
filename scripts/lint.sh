#!/bin/bash
# Static checks of the kernel code: checkpatch.pl --strict (from Debian's
# linux-source-6.12) on drivers/ and uapi/, and sparse (make C=2) over the
# modules. Prints what each finds; exits non-zero if either finds anything.
#
#   lint.sh [checkpatch|sparse]...   (default: both)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kver=${KVER:-$("$top"/scripts/kver.sh)}
src_tar=/usr/src/linux-source-6.12.tar.xz
what=("$@")
[ ${#what[@]} -eq 0 ] && what=(checkpatch sparse)
rc=0

for w in "${what[@]}"; do
	case "$w" in
	checkpatch)
		cp_dir=$build/checkpatch
		if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
			mkdir -p "$cp_dir"
			tar -xJf "$src_tar" -C "$cp_dir" --strip-components=1 \
				linux-source-6.12/scripts/checkpatch.pl \
				linux-source-6.12/scripts/spelling.txt \
				linux-source-6.12/scripts/const_structs.checkpatch
		fi
		files=$(cd "$top" && find drivers uapi -name '*.[ch]' ! -name '*.mod.c' | sort)
		if ! out=$(cd "$top" && "$cp_dir/scripts/checkpatch.pl" --strict \
				--no-tree --quiet --show-types -f $files 2>&1); then
			echo "$out"
			echo "lint: checkpatch --strict found problems"
			rc=1
		elif [ -n "$out" ]; then
			echo "$out"
			rc=1
		fi
		;;
	sparse)
		out=$("$top/scripts/build-modules.sh" \
			"/usr/src/linux-headers-$kver" "$build/mod-sparse" C=2 2>&1)
		status=$?
		warn=$(echo "$out" | grep -E 'warning:|error:' || true)
		if [ $status != 0 ] || [ -n "$warn" ]; then
			echo "$out" | tail -50
			echo "lint: sparse (C=2) found problems"
			rc=1
		fi
		;;
	*)
		echo "lint: unknown check $w" >&2
		exit 2
		;;
	esac
done
exit $rc
