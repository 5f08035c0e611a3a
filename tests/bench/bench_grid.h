/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * Running an OGPU kernel's grid on a CPU, thread by thread: the baselines
 * of the compute benchmark (cu_bench.c natively, bench_rv.c under
 * qemu-riscv64). Freestanding: no libc, so the RISC-V build needs none.
 */
#ifndef BENCH_GRID_H
#define BENCH_GRID_H

#include <stddef.h>
#include <stdint.h>

/* The most threads of a block (OGPU_HW_CU_MAX_BLOCK). */
#define BENCH_MAX_BLOCK		1024
/* Stack bytes of each thread (fiber) of a block with barriers. */
#define BENCH_FIBER_STACK	(16u << 10)

typedef void (*bench_kernel_fn)(const void *args);

/**
 * struct bench_grid - one launch
 * @kernel: the kernel, built against tests/bench/shim/ogpu_kernel.h
 * @args: its argument block
 * @grid: blocks in x, y, z
 * @block: threads per block in x, y, z
 * @shared: shared bytes per block
 * @barriers: the kernel calls ogpu_barrier(): run each block's threads
 *	as fibers (else one after the other, to completion)
 * @shared_mem: @shared bytes, 16-aligned (the caller's)
 * @stacks: BENCH_MAX_BLOCK * BENCH_FIBER_STACK bytes, 16-aligned, when
 *	@barriers
 */
struct bench_grid {
	bench_kernel_fn kernel;
	const void *args;
	uint32_t grid[3], block[3], shared, barriers;
	void *shared_mem;
	uint8_t *stacks;
};

/* Run every block of @g in order. Returns 0, or -1 if a barrier was
 * reached with @g->barriers clear. */
int bench_grid_run(const struct bench_grid *g);

#endif /* BENCH_GRID_H */
