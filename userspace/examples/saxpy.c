// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * SAXPY with a stream and events: y = a * x + y on the first OGPU, timed
 * by the GPU's timestamps, checked on the CPU.
 */
#include "example.h"

#define N (1 << 18)

int main(void)
{
	static float x[N], y[N], out[N];
	struct { uint64_t x, y; float a; uint32_t n; } args = { .a = 2.5f, .n = N };
	struct ogpu_event *start, *end;
	const struct ogpu_kernel *k;
	struct ogpu_stream *s;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	float ms;

	for (int i = 0; i < N; i++) {
		x[i] = (float)(i % 1000) / 8;
		y[i] = (float)(i % 77);
	}
	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("saxpy.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "saxpy", &k));
	CHECK(ogpu_malloc(ctx, sizeof(x), &args.x));
	CHECK(ogpu_malloc(ctx, sizeof(y), &args.y));
	CHECK(ogpu_memcpy_htod(ctx, args.x, x, sizeof(x)));
	CHECK(ogpu_memcpy_htod(ctx, args.y, y, sizeof(y)));
	CHECK(ogpu_stream_create(ctx, &s));
	CHECK(ogpu_event_create(ctx, &start));
	CHECK(ogpu_event_create(ctx, &end));
	CHECK(ogpu_event_record(start, s));
	/* Fewer threads than elements: the kernel loops over the grid. */
	CHECK(ogpu_launch(ctx, s, k, OGPU_DIM3(64, 1, 1), OGPU_DIM3(256, 1, 1),
			  0, &args, sizeof(args)));
	CHECK(ogpu_event_record(end, s));
	CHECK(ogpu_stream_synchronize(s));
	CHECK(ogpu_event_elapsed_ms(start, end, &ms));
	CHECK(ogpu_memcpy_dtoh(ctx, out, args.y, sizeof(out)));
	for (int i = 0; i < N; i++)
		if (out[i] != args.a * x[i] + y[i])
			return printf("saxpy: y[%d] = %g, want %g\n", i, out[i],
				      args.a * x[i] + y[i]), 1;
	printf("saxpy: %d elements, all right, %.2f ms on the GPU (%.3f GFLOP/s)\n",
	       N, ms, 2.0 * N / (ms * 1e6));
	ogpu_event_destroy(start);
	ogpu_event_destroy(end);
	ogpu_stream_destroy(s);
	ogpu_ctx_destroy(ctx);
	return 0;
}
