// SPDX-License-Identifier: MIT
/*
 * The Mandelbrot set: iterations until escape, per pixel of a w x h
 * image over [x0, x0 + w * step] x [y0, y0 + h * step]; heavy
 * divergence, since neighbours escape after different counts.
 */
#include <ogpu_kernel.h>

struct mandelbrot_args {
	unsigned int *iters;
	unsigned int w, h, max_iter;
	float x0, y0, step;
};

OGPU_KERNEL void mandelbrot(const struct mandelbrot_args *p)
{
	unsigned int px = ogpu_global_id_x(), py = ogpu_global_id_y();
	float cr, ci, zr = 0.0f, zi = 0.0f;
	unsigned int i = 0;

	if (px >= p->w || py >= p->h)
		return;
	cr = p->x0 + px * p->step;
	ci = p->y0 + py * p->step;
	while (i < p->max_iter && zr * zr + zi * zi <= 4.0f) {
		float t = zr * zr - zi * zi + cr;

		zi = 2.0f * zr * zi + ci;
		zr = t;
		i++;
	}
	p->iters[py * p->w + px] = i;
}
