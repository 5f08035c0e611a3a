// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The collectives' reduction, run on the OGPUs' compute units: dst[i] =
 * dst[i] op src[i] for i < count. libogpu embeds this module (built by
 * ogpu-cc) and loads it into each rank's VM.
 */
#include <ogpu_kernel.h>

/* Must match struct coll_reduce_args in ogpu_comm.c. */
struct coll_reduce_args {
	unsigned long long dst;
	unsigned long long src;
	unsigned long long count;
	unsigned int dtype;	/* 0 int32, 1 float, 2 double */
	unsigned int op;	/* 0 sum, 1 product, 2 min, 3 max */
};

#define REDUCE(T, a, b, op)						\
	((op) == 0 ? (T)((a) + (b)) : (op) == 1 ? (T)((a) * (b)) :	\
	 (op) == 2 ? ((b) < (a) ? (b) : (a)) : ((b) > (a) ? (b) : (a)))

/* Integer sums and products wrap, as two's complement does. */
static inline int reduce_i32(int a, int b, unsigned int op)
{
	unsigned int ua = (unsigned int)a, ub = (unsigned int)b;

	if (op == 0)
		return (int)(ua + ub);
	if (op == 1)
		return (int)(ua * ub);
	return op == 2 ? (b < a ? b : a) : (b > a ? b : a);
}

OGPU_KERNEL void ogpu_coll_reduce(const struct coll_reduce_args *p)
{
	unsigned long long i = ogpu_global_id_x();
	unsigned long long stride = ogpu_global_size_x();
	unsigned int op = p->op;

	if (p->dtype == 0) {
		int *d = (int *)p->dst;
		const int *s = (const int *)p->src;

		for (; i < p->count; i += stride)
			d[i] = reduce_i32(d[i], s[i], op);
	} else if (p->dtype == 1) {
		float *d = (float *)p->dst;
		const float *s = (const float *)p->src;

		for (; i < p->count; i += stride)
			d[i] = REDUCE(float, d[i], s[i], op);
	} else {
		double *d = (double *)p->dst;
		const double *s = (const double *)p->src;

		for (; i < p->count; i += stride)
			d[i] = REDUCE(double, d[i], s[i], op);
	}
}
