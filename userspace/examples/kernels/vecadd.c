// SPDX-License-Identifier: MIT
/* c[i] = a[i] + b[i]: the first kernel. */
#include <ogpu_kernel.h>

struct vecadd_args {
	const float *a, *b;
	float *c;
	unsigned int n;
};

OGPU_KERNEL void vecadd(const struct vecadd_args *p)
{
	unsigned int i = ogpu_global_id_x();

	if (i < p->n)
		p->c[i] = p->a[i] + p->b[i];
}
