// SPDX-License-Identifier: MIT
/*
 * Sum of n unsigned ints: each block adds its part in shared memory, a
 * tree with a barrier per level, and writes one partial sum; launched
 * again on the partial sums until one is left.
 */
#include <ogpu_kernel.h>

struct reduce_args {
	const unsigned int *in;
	unsigned int *out;	/* one per block */
	unsigned int n;
};

OGPU_KERNEL void reduce(const struct reduce_args *p)
{
	unsigned int *s = ogpu_shared();
	unsigned int t = ogpu_thread_x(), bs = ogpu_block_dim_x();
	unsigned int sum = 0;

	/* Each thread first adds a strided slice of the block's part. */
	for (unsigned int i = ogpu_block_x() * bs * 4 + t;
	     i < (ogpu_block_x() + 1) * bs * 4 && i < p->n; i += bs)
		sum += p->in[i];
	s[t] = sum;
	ogpu_barrier();
	for (unsigned int stride = bs / 2; stride; stride /= 2) {
		if (t < stride)
			s[t] += s[t + stride];
		ogpu_barrier();
	}
	if (!t)
		p->out[ogpu_block_x()] = s[0];
}
