// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * A sum in shared memory with barriers: each block of 256 threads sums
 * 1024 numbers; the partial sums are summed the same way until one is
 * left. Checked against the CPU's sum. reduce [n] (default 1000003).
 */
#include "example.h"

#define N_MAX 1000003
#define BLOCK 256
#define PER_BLOCK (BLOCK * 4)

int main(int argc, char **argv)
{
	static uint32_t in[N_MAX];
	struct { uint64_t in, out; uint32_t n; } args;
	uint64_t want = 0, bufs[2];
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	uint32_t N = argc > 1 ? (uint32_t)atoi(argv[1]) : N_MAX, n = N, got;
	int cur = 0;

	if (N < 1 || N > N_MAX)
		return fprintf(stderr, "reduce: n from 1 to %d\n", N_MAX), 2;
	for (uint32_t i = 0; i < N; i++) {
		in[i] = (uint32_t)(i * 2654435761u) >> 22;
		want += in[i];
	}
	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("reduce.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "reduce", &k));
	CHECK(ogpu_malloc(ctx, sizeof(in), &bufs[0]));
	CHECK(ogpu_malloc(ctx, sizeof(in), &bufs[1]));
	CHECK(ogpu_memcpy_htod(ctx, bufs[0], in, sizeof(in)));
	while (n > 1) {
		uint32_t blocks = (n + PER_BLOCK - 1) / PER_BLOCK;

		args.in = bufs[cur];
		args.out = bufs[!cur];
		args.n = n;
		CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(blocks, 1, 1),
				  OGPU_DIM3(BLOCK, 1, 1), BLOCK * 4, &args,
				  sizeof(args)));
		n = blocks;
		cur = !cur;
	}
	CHECK(ogpu_memcpy_dtoh(ctx, &got, bufs[cur], 4));
	if (got != (uint32_t)want)
		return printf("reduce: sum %u, want %u\n", got, (uint32_t)want), 1;
	printf("reduce: sum of %u numbers is %u, right\n", N, got);
	ogpu_ctx_destroy(ctx);
	return 0;
}
