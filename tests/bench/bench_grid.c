// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * A block's threads on one CPU thread. A kernel without barriers runs
 * each thread to completion in turn: what the device computes does not
 * depend on the order of its threads then (the examples' only
 * inter-thread traffic is atomics). A kernel with barriers runs each
 * thread as a fiber on its own stack, and ogpu_barrier() switches to the
 * block's next thread: thread i runs up to its k-th barrier, then thread
 * i + 1, ..., and the last one resumes thread 0 past the barrier. So no
 * thread passes barrier k before every thread has reached it, which is
 * the device's rule; every thread meets the same barriers (the kernel's
 * contract), so when thread i ends, i + 1 is at its last barrier, and the
 * last thread's end ends the block.
 *
 * The switch is a few instructions of assembly per architecture that
 * saves the callee-saved registers (the ABI's) and the stack pointer:
 * ucontext's swapcontext() would add a sigprocmask system call to every
 * barrier of every thread, a cost the device does not have. The floating
 * point control state is not switched: the kernels do not change it.
 */
#include <ogpu_kernel.h>

#include "bench_grid.h"

struct ogpu_bench_ids ogpu_bench_ids;
void *ogpu_bench_shared;
unsigned int ogpu_bench_shared_size;

/* Switch stacks: save the callee-saved state on the stack, store the
 * stack pointer in *@from, continue from @to. */
void bench_switch(void **from, void *to) OGPU_BENCH_HIDDEN;
void bench_fiber_entry(void) OGPU_BENCH_HIDDEN;
void bench_fiber_main(void) OGPU_BENCH_HIDDEN;

#if defined(__x86_64__)
/* Frame: rbp rbx r12 r13 r14 r15 (low to high, after the pushes), ret. */
#define FRAME_WORDS	7
__asm__(".text\n"
	".globl bench_switch\n"
	".hidden bench_switch\n"
	"bench_switch:\n"
	"	push %r15\n	push %r14\n	push %r13\n	push %r12\n"
	"	push %rbx\n	push %rbp\n"
	"	mov %rsp, (%rdi)\n"
	"	mov %rsi, %rsp\n"
	"	pop %rbp\n	pop %rbx\n	pop %r12\n	pop %r13\n"
	"	pop %r14\n	pop %r15\n"
	"	ret\n"
	".globl bench_fiber_entry\n"
	".hidden bench_fiber_entry\n"
	"bench_fiber_entry:\n"
	"	call bench_fiber_main\n"
	"	ud2\n");
#elif defined(__riscv) && __riscv_xlen == 64
/* Frame: ra s0-s11 fs0-fs11, then one pad word: 26 words. */
#define FRAME_WORDS	26
__asm__(".text\n"
	".globl bench_switch\n"
	".hidden bench_switch\n"
	"bench_switch:\n"
	"	addi sp, sp, -208\n"
	"	sd ra, 0(sp)\n	sd s0, 8(sp)\n	sd s1, 16(sp)\n"
	"	sd s2, 24(sp)\n	sd s3, 32(sp)\n	sd s4, 40(sp)\n"
	"	sd s5, 48(sp)\n	sd s6, 56(sp)\n	sd s7, 64(sp)\n"
	"	sd s8, 72(sp)\n	sd s9, 80(sp)\n	sd s10, 88(sp)\n"
	"	sd s11, 96(sp)\n"
	"	fsd fs0, 104(sp)\n	fsd fs1, 112(sp)\n	fsd fs2, 120(sp)\n"
	"	fsd fs3, 128(sp)\n	fsd fs4, 136(sp)\n	fsd fs5, 144(sp)\n"
	"	fsd fs6, 152(sp)\n	fsd fs7, 160(sp)\n	fsd fs8, 168(sp)\n"
	"	fsd fs9, 176(sp)\n	fsd fs10, 184(sp)\n	fsd fs11, 192(sp)\n"
	"	sd sp, 0(a0)\n"
	"	mv sp, a1\n"
	"	ld ra, 0(sp)\n	ld s0, 8(sp)\n	ld s1, 16(sp)\n"
	"	ld s2, 24(sp)\n	ld s3, 32(sp)\n	ld s4, 40(sp)\n"
	"	ld s5, 48(sp)\n	ld s6, 56(sp)\n	ld s7, 64(sp)\n"
	"	ld s8, 72(sp)\n	ld s9, 80(sp)\n	ld s10, 88(sp)\n"
	"	ld s11, 96(sp)\n"
	"	fld fs0, 104(sp)\n	fld fs1, 112(sp)\n	fld fs2, 120(sp)\n"
	"	fld fs3, 128(sp)\n	fld fs4, 136(sp)\n	fld fs5, 144(sp)\n"
	"	fld fs6, 152(sp)\n	fld fs7, 160(sp)\n	fld fs8, 168(sp)\n"
	"	fld fs9, 176(sp)\n	fld fs10, 184(sp)\n	fld fs11, 192(sp)\n"
	"	addi sp, sp, 208\n"
	"	ret\n"
	".globl bench_fiber_entry\n"
	".hidden bench_fiber_entry\n"
	"bench_fiber_entry:\n"
	"	call bench_fiber_main\n"
	"	unimp\n");
#else
#error "bench_grid.c: no context switch for this architecture"
#endif

/* The block being run as fibers. */
static struct {
	const struct bench_grid *g;
	void *sp[BENCH_MAX_BLOCK];
	void *main_sp;
	uint32_t n, cur;
	int fibers;
	int bad;
} blk;

static void set_tid(uint32_t t)
{
	ogpu_bench_ids.tid[0] = t % blk.g->block[0];
	ogpu_bench_ids.tid[1] = t / blk.g->block[0] % blk.g->block[1];
	ogpu_bench_ids.tid[2] = t / (blk.g->block[0] * blk.g->block[1]);
}

void ogpu_bench_barrier(void)
{
	uint32_t from = blk.cur, to;

	if (!blk.fibers) {
		blk.bad = 1;	/* a barrier without fibers: not sound */
		return;
	}
	to = from + 1 == blk.n ? 0 : from + 1;
	if (to == from)
		return;
	blk.cur = to;
	set_tid(to);
	bench_switch(&blk.sp[from], blk.sp[to]);
}

void bench_fiber_main(void)
{
	uint32_t me = blk.cur;

	blk.g->kernel(blk.g->args);
	if (me + 1 == blk.n) {
		bench_switch(&blk.sp[me], blk.main_sp);
		return;	/* not reached: nothing resumes an ended fiber */
	}
	blk.cur = me + 1;
	set_tid(me + 1);
	bench_switch(&blk.sp[me], blk.sp[me + 1]);
}

/*
 * A fresh fiber's stack: a frame for bench_switch() to pop, with the
 * return address bench_fiber_entry, 16-aligned at the entry's call. The
 * tops of the stacks are 64 bytes apart modulo 4 KiB (thread @t's is
 * @t * 64 bytes lower in its stack) so that the threads' frames do not
 * all fall into the same cache set.
 */
static void *fiber_stack(uint8_t *base, uint32_t t)
{
	uintptr_t top = ((uintptr_t)base + BENCH_FIBER_STACK - (t & 63) * 64) &
			~(uintptr_t)15;
	uintptr_t *sp = (uintptr_t *)top - FRAME_WORDS;
	uint32_t i;

#if defined(__x86_64__)
	/* The ret leaves rsp at top, 16-aligned, as before a call. */
	for (i = 0; i < FRAME_WORDS - 1; i++)
		sp[i] = 0;
	sp[FRAME_WORDS - 1] = (uintptr_t)bench_fiber_entry;
#else
	for (i = 1; i < FRAME_WORDS; i++)
		sp[i] = 0;
	sp[0] = (uintptr_t)bench_fiber_entry;
#endif
	return sp;
}

static void run_block(const struct bench_grid *g)
{
	uint32_t t;

	if (!g->barriers) {
		for (t = 0; t < blk.n; t++) {
			blk.cur = t;
			set_tid(t);
			g->kernel(g->args);
		}
		return;
	}
	for (t = 0; t < blk.n; t++)
		blk.sp[t] = fiber_stack(g->stacks + (size_t)t * BENCH_FIBER_STACK,
					 t);
	blk.cur = 0;
	set_tid(0);
	bench_switch(&blk.main_sp, blk.sp[0]);
}

int bench_grid_run(const struct bench_grid *g)
{
	uint32_t x, y, z, i;

	blk.g = g;
	blk.n = g->block[0] * g->block[1] * g->block[2];
	blk.fibers = g->barriers;
	blk.bad = 0;
	for (i = 0; i < 3; i++) {
		ogpu_bench_ids.bdim[i] = g->block[i];
		ogpu_bench_ids.gdim[i] = g->grid[i];
	}
	ogpu_bench_shared = g->shared_mem;
	ogpu_bench_shared_size = g->shared;
	for (z = 0; z < g->grid[2]; z++)
		for (y = 0; y < g->grid[1]; y++)
			for (x = 0; x < g->grid[0]; x++) {
				ogpu_bench_ids.bid[0] = x;
				ogpu_bench_ids.bid[1] = y;
				ogpu_bench_ids.bid[2] = z;
				__builtin_memset(g->shared_mem, 0, g->shared);
				run_block(g);
			}
	return blk.bad ? -1 : 0;
}
