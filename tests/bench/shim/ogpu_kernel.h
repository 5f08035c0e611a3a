/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu_kernel.h for the compute benchmark's baselines: the same kernel
 * sources built for the host CPU (x86-64) and for RISC-V under
 * qemu-riscv64, which know neither the compute units' CSRs nor their
 * shared-memory window nor their barrier. The thread's identity is read
 * from a global that bench_grid.c sets before it runs (or resumes) a
 * thread, shared memory is a per-block buffer, and the barrier is a call
 * into bench_grid.c that switches to the block's next thread. Atomics are
 * the same __atomic builtins as on the device. Only what the example
 * kernels use is here, with the device header's names and meanings.
 */
#ifndef OGPU_KERNEL_H
#define OGPU_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OGPU_KERNEL __attribute__((used, visibility("default"), noinline))
#define OGPU_BENCH_HIDDEN __attribute__((visibility("hidden")))

/*
 * Thread (x, y, z) in block (x, y, z) of a grid of gdim blocks of bdim
 * threads: the CSRs 0xcc0-0xccb of the device.
 */
struct ogpu_bench_ids {
	unsigned int tid[3], bid[3], bdim[3], gdim[3];
};

extern struct ogpu_bench_ids ogpu_bench_ids OGPU_BENCH_HIDDEN;
extern void *ogpu_bench_shared OGPU_BENCH_HIDDEN;
extern unsigned int ogpu_bench_shared_size OGPU_BENCH_HIDDEN;
void ogpu_bench_barrier(void) OGPU_BENCH_HIDDEN;

static inline unsigned int ogpu_thread_x(void) { return ogpu_bench_ids.tid[0]; }
static inline unsigned int ogpu_thread_y(void) { return ogpu_bench_ids.tid[1]; }
static inline unsigned int ogpu_thread_z(void) { return ogpu_bench_ids.tid[2]; }
static inline unsigned int ogpu_block_x(void) { return ogpu_bench_ids.bid[0]; }
static inline unsigned int ogpu_block_y(void) { return ogpu_bench_ids.bid[1]; }
static inline unsigned int ogpu_block_z(void) { return ogpu_bench_ids.bid[2]; }
static inline unsigned int ogpu_block_dim_x(void) { return ogpu_bench_ids.bdim[0]; }
static inline unsigned int ogpu_block_dim_y(void) { return ogpu_bench_ids.bdim[1]; }
static inline unsigned int ogpu_block_dim_z(void) { return ogpu_bench_ids.bdim[2]; }
static inline unsigned int ogpu_grid_dim_x(void) { return ogpu_bench_ids.gdim[0]; }
static inline unsigned int ogpu_grid_dim_y(void) { return ogpu_bench_ids.gdim[1]; }
static inline unsigned int ogpu_grid_dim_z(void) { return ogpu_bench_ids.gdim[2]; }
static inline unsigned int ogpu_shared_size(void) { return ogpu_bench_shared_size; }

static inline unsigned int ogpu_global_id_x(void)
{
	return ogpu_block_x() * ogpu_block_dim_x() + ogpu_thread_x();
}

static inline unsigned int ogpu_global_id_y(void)
{
	return ogpu_block_y() * ogpu_block_dim_y() + ogpu_thread_y();
}

static inline unsigned int ogpu_global_size_x(void)
{
	return ogpu_grid_dim_x() * ogpu_block_dim_x();
}

/* A call the compiler cannot see into: memory is reloaded after it. */
static inline void ogpu_barrier(void)
{
	ogpu_bench_barrier();
}

static inline void *ogpu_shared(void)
{
	return ogpu_bench_shared;
}

static inline int ogpu_atomic_add(int *p, int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline unsigned int ogpu_atomic_add_u32(unsigned int *p,
					       unsigned int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline unsigned long long ogpu_atomic_add_u64(unsigned long long *p,
						     unsigned long long v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline float ogpu_sqrtf(float x) { return __builtin_sqrtf(x); }
static inline float ogpu_fabsf(float x) { return __builtin_fabsf(x); }
static inline float ogpu_fminf(float a, float b) { return __builtin_fminf(a, b); }
static inline float ogpu_fmaxf(float a, float b) { return __builtin_fmaxf(a, b); }

#endif /* OGPU_KERNEL_H */
