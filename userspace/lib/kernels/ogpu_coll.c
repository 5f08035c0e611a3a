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

/* One loop per type and operation, so that none branches per element. */
#define LOOP(T, EXPR) do {						\
	T *d = (T *)p->dst;						\
	const T *s = (const T *)p->src;					\
									\
	for (; i < n; i += stride) {					\
		T a = d[i], b = s[i];					\
									\
		d[i] = (EXPR);						\
	}								\
} while (0)

#define MIN(a, b)	((b) < (a) ? (b) : (a))
#define MAX(a, b)	((b) > (a) ? (b) : (a))

OGPU_KERNEL void ogpu_coll_reduce(const struct coll_reduce_args *p)
{
	unsigned long long i = ogpu_global_id_x();
	unsigned long long stride = ogpu_global_size_x();
	unsigned long long n = p->count;

	switch (p->dtype * 4 + p->op) {
	/* Integer sums and products wrap, as two's complement does. */
	case 0: LOOP(int, (int)((unsigned int)a + (unsigned int)b)); break;
	case 1: LOOP(int, (int)((unsigned int)a * (unsigned int)b)); break;
	case 2: LOOP(int, MIN(a, b)); break;
	case 3: LOOP(int, MAX(a, b)); break;
	case 4: LOOP(float, a + b); break;
	case 5: LOOP(float, a * b); break;
	case 6: LOOP(float, MIN(a, b)); break;
	case 7: LOOP(float, MAX(a, b)); break;
	case 8: LOOP(double, a + b); break;
	case 9: LOOP(double, a * b); break;
	case 10: LOOP(double, MIN(a, b)); break;
	case 11: LOOP(double, MAX(a, b)); break;
	}
}
