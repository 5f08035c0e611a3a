#!/bin/bash
# Static checks of the kernel code: checkpatch.pl --strict and kernel-doc
# -Wall (both from Debian's linux-source-6.12) on drivers/ and uapi/, and
# sparse (make C=2) over the modules. Prints what each finds; exits non-zero
# if any finds anything.
#
#   lint.sh [checkpatch|kernel-doc|sparse]...   (default: all three)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kver=${KVER:-$("$top"/scripts/kver.sh)}
src_tar=/usr/src/linux-source-6.12.tar.xz
what=("$@")
[ ${#what[@]} -eq 0 ] && what=(checkpatch kernel-doc sparse)
rc=0

# The kernel's own scripts, from the source package.
cp_dir=$build/checkpatch
if [ ! -e "$cp_dir/scripts/kernel-doc" ]; then
	mkdir -p "$cp_dir"
	tar -xJf "$src_tar" -C "$cp_dir" --strip-components=1 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch \
		linux-source-6.12/scripts/kernel-doc
fi
files=$(cd "$top" && find drivers uapi -name '*.[ch]' ! -name '*.mod.c' | sort)

for w in "${what[@]}"; do
	case "$w" in
	checkpatch)
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
	kernel-doc)
		out=$(cd "$top" && perl "$cp_dir/scripts/kernel-doc" \
			-none -Wall $files 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			echo "lint: kernel-doc found problems"
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
