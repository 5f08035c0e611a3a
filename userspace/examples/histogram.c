// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * A 256-bin histogram with atomics, in shared memory and then in device
 * memory; checked against the CPU's counts. histogram [bytes] (default
 * 1 MiB).
 */
#include "example.h"

#define N_MAX (1 << 20)

int main(int argc, char **argv)
{
	static uint8_t data[N_MAX];
	uint32_t want[256] = { 0 }, bins[256];
	uint32_t N = argc > 1 ? (uint32_t)atoi(argv[1]) : N_MAX;
	struct { uint64_t data, bins; uint32_t n; } args = { .n = N };
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	uint32_t seed = 1;

	if (N < 1 || N > N_MAX)
		return fprintf(stderr, "histogram: bytes from 1 to %d\n", N_MAX), 2;
	for (uint32_t i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		/* Skewed, so that threads collide on the busy bins. */
		data[i] = (seed >> 16) % 7 ? (seed >> 8) & 15 : seed >> 24;
		want[data[i]]++;
	}
	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("histogram.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "histogram", &k));
	CHECK(ogpu_malloc(ctx, N, &args.data));
	CHECK(ogpu_malloc(ctx, sizeof(bins), &args.bins));
	CHECK(ogpu_memcpy_htod(ctx, args.data, data, N));
	CHECK(ogpu_memset_d32(ctx, args.bins, 0, 256));
	CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(32, 1, 1),
			  OGPU_DIM3(256, 1, 1), sizeof(bins), &args,
			  sizeof(args)));
	CHECK(ogpu_memcpy_dtoh(ctx, bins, args.bins, sizeof(bins)));
	for (int b = 0; b < 256; b++)
		if (bins[b] != want[b])
			return printf("histogram: bin %d has %u, want %u\n", b,
				      bins[b], want[b]), 1;
	printf("histogram: %u bytes in 256 bins, all right (bin 3: %u)\n", N,
	       bins[3]);
	ogpu_ctx_destroy(ctx);
	return 0;
}
