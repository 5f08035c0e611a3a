#!/bin/bash
# Install, from Debian 12's default apt sources, whatever ogpu's build, tests
# and demo need and this machine lacks. Does nothing when all is present.
set -euo pipefail

pkgs=(
	gcc make pkg-config libdrm-dev	# userspace
	linux-headers-6.12-amd64	# modules, against the newest 6.12 headers
	linux-source-6.12		# kselftest harness, debug kernel, checkpatch
	qemu-system-x86 busybox-static cpio gzip xz-utils kmod	# the guest
	sparse				# make lint
	clang libclang-rt-14-dev lld	# the fuzzer; compute kernels (RISC-V)
	qemu-user-static		# differential tests of the compute units
	bc flex bison libelf-dev libssl-dev	# building the debug kernel
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
