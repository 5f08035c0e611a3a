// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Kernels for ogpu_compute_test: right ones, and one per way a kernel
 * can fail.
 */
#include <ogpu_kernel.h>

struct args {
	unsigned int *out;
	unsigned long addr;	/* an address to misuse */
	unsigned int n;
	unsigned int pad;
};

/* out[i] = i + 1 for every thread of a 3-D grid of 3-D blocks. */
OGPU_KERNEL void ids(const struct args *p)
{
	unsigned int bx = ogpu_block_dim_x(), by = ogpu_block_dim_y();
	unsigned int bz = ogpu_block_dim_z();
	unsigned int t = ogpu_thread_x() + bx * (ogpu_thread_y() +
						  by * ogpu_thread_z());
	unsigned int b = ogpu_block_x() + ogpu_grid_dim_x() *
			 (ogpu_block_y() + ogpu_grid_dim_y() * ogpu_block_z());
	unsigned int i = b * bx * by * bz + t;

	if (i < p->n)
		p->out[i] = i + 1;
}

/* Per-thread trip counts and early returns. */
OGPU_KERNEL void divergent(const struct args *p)
{
	unsigned int i = ogpu_global_id_x(), sum = 0;

	if (i >= p->n)
		return;
	if (i % 5 == 0) {
		p->out[i] = 0xdead;
		return;
	}
	for (unsigned int k = 0; k < i % 37; k++)
		sum += k * (i & 3 ? 1 : 3);
	p->out[i] = sum;
}

/* Every thread adds 1 to out[0] and its index to out[1]. */
OGPU_KERNEL void atomics(const struct args *p)
{
	unsigned int i = ogpu_global_id_x();

	if (i < p->n) {
		ogpu_atomic_add_u32(&p->out[0], 1);
		ogpu_atomic_add_u32(&p->out[1], i);
	}
}

OGPU_KERNEL void load_from(const struct args *p)
{
	p->out[ogpu_global_id_x()] = *(volatile unsigned int *)p->addr;
}

OGPU_KERNEL void store_to(const struct args *p)
{
	*(volatile unsigned int *)p->addr = 1;
}

OGPU_KERNEL void misaligned(const struct args *p)
{
	*(volatile unsigned int *)(p->addr + 2) = 1;
}

OGPU_KERNEL void illegal(const struct args *p)
{
	if (ogpu_thread_x() == 3)
		__asm__ volatile(".word 0");
	p->out[ogpu_thread_x()] = 1;
}

OGPU_KERNEL void breakpoint(const struct args *p)
{
	__asm__ volatile("ebreak");
}

OGPU_KERNEL void syscall(const struct args *p)
{
	__asm__ volatile("ecall");
}

/* Thread 0 returns; the others wait for it at a barrier. */
OGPU_KERNEL void partial_barrier(const struct args *p)
{
	if (ogpu_thread_x() == 0)
		return;
	ogpu_barrier();
	p->out[ogpu_thread_x()] = 1;
}

/* Never ends: waits for a word nothing writes. */
OGPU_KERNEL void spin(const struct args *p)
{
	while (!*(volatile unsigned int *)p->addr)
		;
}

/* A store past the shared memory the launch asked for. */
OGPU_KERNEL void past_shared(const struct args *p)
{
	unsigned int *s = ogpu_shared();

	s[ogpu_shared_size() / 4 + ogpu_thread_x()] = 1;
}

/* Reads its argument size (a1 at entry) into out[0]. */
OGPU_KERNEL void args_size(const struct args *p, unsigned long size)
{
	p->out[0] = (unsigned int)size;
}
