#!/bin/bash
# Fetch Debian's linux-image package matching the installed headers and
# unpack it into $1 (kernel at $1/vmlinuz, modules under $1/lib/modules),
# without installing it on this machine.
set -euo pipefail
out=$1
kver=${KVER:-$("$(dirname "$0")"/kver.sh)}
[ -n "$kver" ] || { echo "debian-kernel: no linux-headers-6.12 installed" >&2; exit 1; }

if [ -f "$out/vmlinuz" ] && [ "$(cat "$out/kver" 2>/dev/null)" = "$kver" ]; then
	exit 0
fi
rm -rf "$out"
mkdir -p "$out/deb"
# The package lists may be missing on a machine that had every package.
(cd "$out/deb" && apt-get download -q "linux-image-$kver") ||
	{ apt-get update -q && (cd "$out/deb" && apt-get download -q "linux-image-$kver"); }
dpkg-deb -x "$out"/deb/*.deb "$out/root"
mv "$out/root/boot/vmlinuz-$kver" "$out/vmlinuz"
mkdir -p "$out/lib/modules"
mv "$out/root/lib/modules/$kver" "$out/lib/modules/"
rm -rf "$out/root" "$out/deb"
depmod -b "$out" "$kver"
echo "$kver" > "$out/kver"
