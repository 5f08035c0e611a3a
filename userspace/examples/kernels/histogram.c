// SPDX-License-Identifier: MIT
/*
 * A 256-bin histogram of bytes: each block counts into its own bins in
 * shared memory with atomics, then adds them to the global bins with
 * atomics.
 */
#include <ogpu_kernel.h>

struct histogram_args {
	const unsigned char *data;
	unsigned int *bins;	/* 256 */
	unsigned int n;
};

OGPU_KERNEL void histogram(const struct histogram_args *p)
{
	unsigned int *local = ogpu_shared();
	unsigned int t = ogpu_thread_x(), bs = ogpu_block_dim_x();

	for (unsigned int b = t; b < 256; b += bs)
		local[b] = 0;
	ogpu_barrier();
	for (unsigned int i = ogpu_global_id_x(); i < p->n;
	     i += ogpu_global_size_x())
		ogpu_atomic_add_u32(&local[p->data[i]], 1);
	ogpu_barrier();
	for (unsigned int b = t; b < 256; b += bs)
		if (local[b])
			ogpu_atomic_add_u32(&p->bins[b], local[b]);
}
