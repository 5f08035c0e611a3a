// SPDX-License-Identifier: MIT
/* y = a * x + y, with a grid-stride loop. */
#include <ogpu_kernel.h>

struct saxpy_args {
	const float *x;
	float *y;
	float a;
	unsigned int n;
};

OGPU_KERNEL void saxpy(const struct saxpy_args *p)
{
	for (unsigned int i = ogpu_global_id_x(); i < p->n;
	     i += ogpu_global_size_x())
		p->y[i] = p->a * p->x[i] + p->y[i];
}
