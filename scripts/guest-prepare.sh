#!/bin/bash
# Everything a run on Debian's kernel needs, for `make demo` and `make
# bench`: dependencies, libogpu and the tools, the kernel package, the
# modules, and an initramfs at $1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
initrd=$1

"$top/scripts/install-deps.sh"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
echo "building libogpu, the tools and the modules for $KVER" >&2
make -C "$top" --no-print-directory userspace tests >/dev/null
"$top/scripts/debian-kernel.sh" "$BUILD/debian-kernel"
"$top/scripts/build-modules.sh" "/usr/src/linux-headers-$KVER" "$BUILD/mod-debian" >/dev/null
mkdir -p "$(dirname "$initrd")"
"$top/tests/qemu/mkinitramfs.sh" "$initrd" "$BUILD/mod-debian" "$BUILD/debian-kernel"
echo "booting Linux $KVER in QEMU (TCG)" >&2
