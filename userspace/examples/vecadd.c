// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Vector add with the runtime: c = a + b on the first OGPU, checked on
 * the CPU. The kernel is examples/kernels/vecadd.c.
 */
#include "example.h"

#define N (1 << 16)

int main(void)
{
	static float h[3][N];	/* a, b, and c = a + b */
	struct { uint64_t a, b, c; uint32_t n; } args = { .n = N };
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;

	for (int i = 0; i < N; i++) {
		h[0][i] = i;
		h[1][i] = 2 * i;
	}
	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("vecadd.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "vecadd", &k));
	CHECK(ogpu_malloc(ctx, sizeof(h), &args.a));	/* a, b and c */
	args.b = args.a + sizeof(h[0]);
	args.c = args.b + sizeof(h[0]);
	CHECK(ogpu_memcpy_htod(ctx, args.a, h, 2 * sizeof(h[0])));
	CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(N / 256, 1, 1),
			  OGPU_DIM3(256, 1, 1), 0, &args, sizeof(args)));
	CHECK(ogpu_memcpy_dtoh(ctx, h[2], args.c, sizeof(h[2])));
	for (int i = 0; i < N; i++)
		if (h[2][i] != h[0][i] + h[1][i])
			return printf("vecadd: c[%d] = %g, want %g\n", i,
				      h[2][i], h[0][i] + h[1][i]), 1;
	printf("vecadd: %d elements, all right\n", N);
	ogpu_ctx_destroy(ctx);
	return 0;
}
