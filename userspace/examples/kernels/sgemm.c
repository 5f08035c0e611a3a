// SPDX-License-Identifier: MIT
/*
 * C = A * B for n x n row-major float matrices (n a multiple of TILE),
 * with TILE x TILE tiles of A and B staged in shared memory: one block
 * per tile of C, one thread per element.
 */
#include <ogpu_kernel.h>

#define TILE 16

struct sgemm_args {
	const float *a, *b;
	float *c;
	unsigned int n;
};

OGPU_KERNEL void sgemm(const struct sgemm_args *p)
{
	float (*ta)[TILE] = ogpu_shared();
	float (*tb)[TILE] = (float (*)[TILE])((float *)ogpu_shared() +
					     TILE * TILE);
	unsigned int tx = ogpu_thread_x(), ty = ogpu_thread_y();
	unsigned int row = ogpu_block_y() * TILE + ty;
	unsigned int col = ogpu_block_x() * TILE + tx;
	unsigned int n = p->n;
	float acc = 0.0f;

	for (unsigned int k0 = 0; k0 < n; k0 += TILE) {
		ta[ty][tx] = p->a[row * n + k0 + tx];
		tb[ty][tx] = p->b[(k0 + ty) * n + col];
		ogpu_barrier();
		for (unsigned int k = 0; k < TILE; k++)
			acc += ta[ty][k] * tb[k][tx];
		ogpu_barrier();
	}
	p->c[row * n + col] = acc;
}
