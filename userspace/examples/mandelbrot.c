// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The Mandelbrot set on the first OGPU: floating point and heavy
 * divergence. Every pixel's iteration count must equal the CPU's (both
 * sides evaluate the same IEEE single-precision operations, unfused), and
 * the set is drawn in characters.
 */
#include "example.h"

#define W 96
#define H 48
#define MAX_ITER 256

struct margs {
	uint64_t iters;
	uint32_t w, h, max_iter;
	float x0, y0, step;
};

static uint32_t cpu_iters(const struct margs *p, uint32_t px, uint32_t py)
{
	float cr = p->x0 + px * p->step, ci = p->y0 + py * p->step;
	float zr = 0.0f, zi = 0.0f;
	uint32_t i = 0;

	while (i < p->max_iter && zr * zr + zi * zi <= 4.0f) {
		float t = zr * zr - zi * zi + cr;

		zi = 2.0f * zr * zi + ci;
		zr = t;
		i++;
	}
	return i;
}

int main(void)
{
	struct margs args = { .w = W, .h = H, .max_iter = MAX_ITER,
			      .x0 = -2.2f, .y0 = -1.2f, .step = 2.4f / H };
	static uint32_t it[W * H];
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	uint64_t total = 0;

	CHECK(ogpu_ctx_create(0, &ctx));
	CHECK(ogpu_ctx_load_module(ctx, kernel_path("mandelbrot.elf"), &mod));
	CHECK(ogpu_module_get_kernel(mod, "mandelbrot", &k));
	CHECK(ogpu_malloc(ctx, sizeof(it), &args.iters));
	CHECK(ogpu_launch(ctx, NULL, k, OGPU_DIM3(W / 16, H / 8, 1),
			  OGPU_DIM3(16, 8, 1), 0, &args, sizeof(args)));
	CHECK(ogpu_memcpy_dtoh(ctx, it, args.iters, sizeof(it)));
	for (uint32_t y = 0; y < H; y++) {
		for (uint32_t x = 0; x < W; x++) {
			uint32_t want = cpu_iters(&args, x, y);

			if (it[y * W + x] != want)
				return printf("mandelbrot: pixel %u,%u: %u iterations, want %u\n",
					      x, y, it[y * W + x], want), 1;
			total += want;
		}
	}
	for (uint32_t y = 0; y < H; y += 3) {
		for (uint32_t x = 0; x < W; x++)
			putchar(" .:-=+*#%@"[it[y * W + x] >= MAX_ITER ? 9 :
					     it[y * W + x] % 9]);
		putchar('\n');
	}
	printf("mandelbrot: %ux%u pixels, %llu iterations, all equal to the CPU's\n",
	       W, H, (unsigned long long)total);
	ogpu_ctx_destroy(ctx);
	return 0;
}
