#!/bin/bash
# Build ogpu.ko and ogpu_sim.ko against the kernel tree $1 in the folder $2,
# from a copy of the sources, so that builds for several kernels coexist.
# Further arguments go to kbuild (C=1, W=1, ...).
set -euo pipefail
kdir=$1 out=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
cp -ru "$top/Kbuild" "$top/drivers" "$top/uapi" "$out/"
make -C "$kdir" M="$out" W=1 "$@" modules
