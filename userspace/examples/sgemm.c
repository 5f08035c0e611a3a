// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Tiled SGEMM (C = A * B, n x n) on every OGPU, checked against the CPU
 * and timed with events: GFLOP/s per device. sgemm [n], n a multiple
 * of 16 (default 64).
 */
#include <math.h>

#include "example.h"

#define TILE 16

static int run(unsigned int dev, unsigned int n, const float *a,
	       const float *b, const float *want)
{
	struct { uint64_t a, b, c; uint32_t n; } args = { .n = n };
	size_t bytes = (size_t)n * n * sizeof(float);
	struct ogpu_compute_props cp;
	struct ogpu_event *start, *end;
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	float ms, *c = malloc(bytes);

	CHECK(ogpu_ctx_create(dev, &ctx));
	CHECK(ogpu_device_get_compute_props(ogpu_ctx_device(ctx), &cp));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("sgemm.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "sgemm", &k));
	CHECK(ogpu_malloc(ctx, bytes, &args.a));
	CHECK(ogpu_malloc(ctx, bytes, &args.b));
	CHECK(ogpu_malloc(ctx, bytes, &args.c));
	CHECK(ogpu_memcpy_htod(ctx, args.a, a, bytes));
	CHECK(ogpu_memcpy_htod(ctx, args.b, b, bytes));
	CHECK(ogpu_event_create(ctx, &start));
	CHECK(ogpu_event_create(ctx, &end));
	CHECK(ogpu_event_record(start, NULL));
	CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(n / TILE, n / TILE, 1),
			  OGPU_DIM3(TILE, TILE, 1),
			  2 * TILE * TILE * sizeof(float), &args,
			  sizeof(args)));
	CHECK(ogpu_event_record(end, NULL));
	CHECK(ogpu_event_elapsed_ms(start, end, &ms));
	CHECK(ogpu_memcpy_dtoh(ctx, c, args.c, bytes));
	for (size_t i = 0; i < (size_t)n * n; i++)
		if (fabsf(c[i] - want[i]) > 1e-3f * fabsf(want[i]) + 1e-3f)
			return printf("sgemm: device %u: c[%zu] = %g, want %g\n",
				      dev, i, c[i], want[i]), 1;
	printf("sgemm: device %u (%u CUs x %u lanes, %s): %ux%u right, %.1f ms, %.4f GFLOP/s\n",
	       dev, cp.num_cus, cp.warp_size, cp.isa, n, n, ms,
	       2.0 * n * n * n / (ms * 1e6));
	ogpu_event_destroy(start);
	ogpu_event_destroy(end);
	ogpu_ctx_destroy(ctx);
	free(c);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? atoi(argv[1]) : 64, devs;
	float *a, *b, *want;
	int ret = 0;

	if (!n || n % TILE || n > 1024)
		return fprintf(stderr, "sgemm: n must be a multiple of %d\n", TILE), 2;
	a = malloc(sizeof(float) * n * n);
	b = malloc(sizeof(float) * n * n);
	want = calloc((size_t)n * n, sizeof(float));
	for (unsigned int i = 0; i < n * n; i++) {
		a[i] = (float)((i * 7) % 13) - 6;
		b[i] = (float)((i * 5) % 11) / 4 - 1;
	}
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int kk = 0; kk < n; kk++)
			for (unsigned int j = 0; j < n; j++)
				want[i * n + j] += a[i * n + kk] * b[kk * n + j];
	devs = ogpu_device_count() > 0 ? ogpu_device_count() : 0;
	if (!devs)
		return fprintf(stderr, "sgemm: no OGPU\n"), 1;
	for (unsigned int d = 0; d < devs; d++)
		ret |= run(d, n, a, b, want);
	free(a);
	free(b);
	free(want);
	return ret;
}
