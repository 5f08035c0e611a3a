// SPDX-License-Identifier: MIT
/* A kernel that does nothing: ogpu-bench times a launch's round trip. */
#include <ogpu_kernel.h>

OGPU_KERNEL void empty(const void *p)
{
	(void)p;
}
