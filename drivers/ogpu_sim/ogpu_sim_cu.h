/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * One OGPU compute unit: a SIMT executor of RV64G (RV64IMAFD, Zicsr,
 * Zifencei, no C) that runs the warps of one block of a DISPATCH.
 * Documentation/compute.rst is the specification. Plain C with no kernel
 * services, like ogpu_sim_core.c: it builds into ogpu_sim.ko and into the
 * host unit tests, fuzzer, differential tests and benchmarks.
 */
#ifndef __OGPU_SIM_CU_H__
#define __OGPU_SIM_CU_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

#include "ogpu_hw.h"

#define OGPU_SIM_CU_MAX_LANES	64

/**
 * struct ogpu_sim_cu_mem - the memory a compute unit reaches through the MMU
 * @map: translate @va for @access (OGPU_HW_ACCESS_READ, _WRITE or _EXEC, with
 *	OGPU_HW_ACCESS_USER: kernels are unprivileged). Returns 0 and in *@p a
 *	host pointer to the byte at @va, good to the end of its 4 KiB page,
 *	or 0 and NULL when the page is not host-addressable (system memory:
 *	use @rw); or -EFAULT after the MMU has recorded the fault.
 * @rw: read or write @len bytes (within one page) at @va; 0 or -EFAULT
 * @lock: make the @rw calls up to @unlock one atomic access (an AMO or SC
 *	on memory that is not host-addressable); may be NULL
 * @unlock: end it
 * @ctx: the first argument of all four
 *
 * Translations may be cached only within one ogpu_sim_cu_run() call: a
 * TLB invalidation waits for the calls in flight to end (see
 * ogpu_sim_core_cu_run()), and the next call translates again.
 */
struct ogpu_sim_cu_mem {
	int (*map)(void *ctx, u64 va, u32 access, void **p);
	int (*rw)(void *ctx, u64 va, void *buf, u32 len, u32 access);
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	void *ctx;
};

/**
 * struct ogpu_sim_launch - a DISPATCH packet's fields
 * @entry: VA of the kernel's first instruction (pc at entry)
 * @args: VA of the arguments (a0 at entry)
 * @args_size: bytes of arguments (a1 at entry)
 * @grid: blocks in x, y, z
 * @block: threads per block in x, y, z
 * @shared: bytes of shared memory per block
 * @flags: 0
 */
struct ogpu_sim_launch {
	u64 entry;
	u64 args;
	u32 args_size;
	u32 grid[3];
	u32 block[3];
	u32 shared;
	u32 flags;
};

/**
 * enum ogpu_sim_cu_status - what ogpu_sim_cu_run() returns
 * @OGPU_SIM_CU_IDLE: no block loaded
 * @OGPU_SIM_CU_RUNNING: the block has threads left; call again
 * @OGPU_SIM_CU_DONE: every thread of the block has ended
 * @OGPU_SIM_CU_ERROR: the block stopped; see ogpu_sim_cu_error
 */
enum ogpu_sim_cu_status {
	OGPU_SIM_CU_IDLE,
	OGPU_SIM_CU_RUNNING,
	OGPU_SIM_CU_DONE,
	OGPU_SIM_CU_ERROR,
};

/**
 * struct ogpu_sim_cu_error - why a block stopped
 * @cause: OGPU_CU_ERR_*
 * @pc: PC of the instruction
 * @tval: the address (fault, misaligned, window) or the instruction bits
 * @warp: warp in the block
 * @lane: lane in the warp
 */
struct ogpu_sim_cu_error {
	u32 cause;
	u64 pc;
	u64 tval;
	u32 warp;
	u32 lane;
};

struct ogpu_sim_cu;

/*
 * The state of a CU with @lanes lanes, for blocks of up to
 * OGPU_HW_CU_MAX_BLOCK threads with OGPU_HW_CU_SHARED_MAX shared bytes: the
 * caller allocates ogpu_sim_cu_size() bytes and calls ogpu_sim_cu_init().
 */
size_t ogpu_sim_cu_size(u32 lanes);
void ogpu_sim_cu_init(struct ogpu_sim_cu *cu, u32 id, u32 lanes);
void ogpu_sim_cu_set_host_fpu(struct ogpu_sim_cu *cu, bool on);

/*
 * Load block @bid of @launch: every thread at @launch->entry with its
 * registers and CSRs set as Documentation/compute.rst says, shared memory
 * zeroed. The caller has validated @launch (grid and block non-empty,
 * within the limits, shared within OGPU_HW_CU_SHARED_MAX).
 */
void ogpu_sim_cu_start(struct ogpu_sim_cu *cu,
		       const struct ogpu_sim_launch *launch, const u32 bid[3]);

/* Run up to @budget warp-instructions of the loaded block. */
enum ogpu_sim_cu_status ogpu_sim_cu_run(struct ogpu_sim_cu *cu,
					const struct ogpu_sim_cu_mem *mem,
					u32 budget);

/* Drop the loaded block (a reset, or the queue halted). */
void ogpu_sim_cu_stop(struct ogpu_sim_cu *cu);

const struct ogpu_sim_cu_error *ogpu_sim_cu_error(const struct ogpu_sim_cu *cu);

/* Thread-instructions (one per active lane per warp-instruction) run. */
u64 ogpu_sim_cu_insns(const struct ogpu_sim_cu *cu);

/*
 * A thread's registers, for tests and debugging: @reg 0-31 are x0-x31,
 * 32-63 f0-f31, OGPU_SIM_CU_REG_FCSR is fcsr and OGPU_SIM_CU_REG_PC the PC.
 * @thread is the linear thread id in the loaded block. Setting a register
 * is only meaningful between ogpu_sim_cu_start() and the first run.
 */
#define OGPU_SIM_CU_REG_F(n)	(32 + (n))
#define OGPU_SIM_CU_REG_FCSR	64
#define OGPU_SIM_CU_REG_PC	65
u64 ogpu_sim_cu_reg(const struct ogpu_sim_cu *cu, u32 thread, u32 reg);
void ogpu_sim_cu_set_reg(struct ogpu_sim_cu *cu, u32 thread, u32 reg, u64 v);

#endif /* __OGPU_SIM_CU_H__ */
