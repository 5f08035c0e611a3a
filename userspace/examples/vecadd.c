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
	static float a[N], b[N], c[N];
	struct { uint64_t a, b, c; uint32_t n; } args = { .n = N };
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;

	for (int i = 0; i < N; i++) {
		a[i] = i;
		b[i] = 2 * i;
	}
	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("vecadd.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "vecadd", &k));
	CHECK(ogpu_malloc(ctx, sizeof(a), &args.a));
	CHECK(ogpu_malloc(ctx, sizeof(b), &args.b));
	CHECK(ogpu_malloc(ctx, sizeof(c), &args.c));
	CHECK(ogpu_memcpy_htod(ctx, args.a, a, sizeof(a)));
	CHECK(ogpu_memcpy_htod(ctx, args.b, b, sizeof(b)));
	CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(N / 256, 1, 1),
			  OGPU_DIM3(256, 1, 1), 0, &args, sizeof(args)));
	CHECK(ogpu_memcpy_dtoh(ctx, c, args.c, sizeof(c)));
	for (int i = 0; i < N; i++)
		if (c[i] != a[i] + b[i])
			return printf("vecadd: c[%d] = %g, want %g\n", i, c[i],
				      a[i] + b[i]), 1;
	printf("vecadd: %d elements, all right\n", N);
	ogpu_ctx_destroy(ctx);
	return 0;
}
