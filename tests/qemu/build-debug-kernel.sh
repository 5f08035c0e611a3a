#!/bin/bash
# Build the debug kernel (KASAN, lockdep, kmemleak, UBSAN, debugobjects)
# from Debian's linux-source-6.12 into $1. Reuses an earlier build when the
# config fragment has not changed.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
src_tar=$(ls /usr/src/linux-source-6.12.tar.xz)
stamp=$(cat "$here/debug.config" "$here/ogpu-deps.Kconfig" "$0" | sha256sum | cut -c1-16)

if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] &&
   [ -f "$out/linux/arch/x86/boot/bzImage" ]; then
	echo "debug kernel: up to date ($out)"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
echo "debug kernel: extracting $src_tar"
tar -C "$out" -xf "$src_tar"
mv "$out"/linux-source-6.12 "$out/linux"
cd "$out/linux"
cat "$here/ogpu-deps.Kconfig" >> drivers/gpu/drm/Kconfig
make -s ARCH=x86_64 tinyconfig
scripts/kconfig/merge_config.sh -m .config "$here/debug.config" >/dev/null
make -s ARCH=x86_64 olddefconfig
# Every line of the fragment must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	sym=${line%%=*}; val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$sym=" .config && { echo "debug kernel: $sym should be off"; missing=1; }
	else
		grep -qx "$line" .config || { echo "debug kernel: $line did not take"; missing=1; }
	fi
done < "$here/debug.config"
[ $missing = 0 ] || exit 1
echo "debug kernel: building with $(nproc) jobs"
make -s ARCH=x86_64 -j"$(nproc)" all
echo "$stamp" > "$out/stamp"
