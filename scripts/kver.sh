#!/bin/sh
# The newest Debian 6.12 amd64 kernel whose headers are installed.
ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 2>/dev/null |
	sed 's|^/usr/src/linux-headers-||' | sort -V | tail -n 1
