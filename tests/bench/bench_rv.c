// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The qemu-riscv64 baseline of the compute benchmark: a freestanding
 * RV64G Linux program (no libc, system calls by ecall) linked with one
 * kernel, built from the same source and with the same code generation
 * flags as ogpu-cc uses but against tests/bench/shim/ogpu_kernel.h. It
 * reads a job (bench_job.h) from stdin, runs the kernel's grid with
 * bench_grid.c job->reps times from the same inputs, timing each run with
 * the thread's CPU time (so qemu's start-up and the I/O are not counted,
 * but its translation of the code is), and
 * writes the reply and the buffers of the last run to stdout.
 */
#include <ogpu_kernel.h>

#include "bench_grid.h"
#include "bench_job.h"

/* The kernel: bench_entry.c, built with -DBENCH_KERNEL=name. */
extern const bench_kernel_fn bench_kernel;

int bench_main(void) OGPU_BENCH_HIDDEN;

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	andi sp, sp, -16\n"
	"	call bench_main\n"
	"	li a7, 93\n"		/* exit */
	"	ecall\n");

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

#define SYS_read		63
#define SYS_write		64
#define SYS_clock_gettime	113
#define SYS_mmap		222

static int io(int nr, int fd, void *p, uint64_t n)
{
	uint8_t *b = p;

	while (n) {
		long r = sys6(nr, fd, (long)b, (long)n, 0, 0, 0);

		if (r <= 0)
			return -1;
		b += r;
		n -= (uint64_t)r;
	}
	return 0;
}

static void *alloc(uint64_t size)
{
	/* PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS */
	long p = sys6(SYS_mmap, 0, (long)((size + 4095) & ~4095ull), 3,
		      0x22, -1, 0);

	return p < 0 && p > -4096 ? 0 : (void *)p;
}

static uint64_t now_ns(void)
{
	struct { long sec, nsec; } ts;

	/* CLOCK_THREAD_CPUTIME_ID, as cu_bench times the other two ways */
	sys6(SYS_clock_gettime, 3, (long)&ts, 0, 0, 0, 0);
	return (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
}

static struct bench_job job;
static uint8_t args[BENCH_MAX_ARGS] __attribute__((aligned(16)));

int bench_main(void)
{
	struct bench_reply rep = { .magic = BENCH_JOB_MAGIC };
	uint8_t *buf[BENCH_MAX_BUFS], *init[BENCH_MAX_BUFS];
	struct bench_grid g = { 0 };
	uint32_t i, r;

	if (io(SYS_read, 0, &job, sizeof(job)) || job.magic != BENCH_JOB_MAGIC ||
	    job.nbufs > BENCH_MAX_BUFS || job.args_size > BENCH_MAX_ARGS ||
	    job.nptrs > BENCH_MAX_BUFS ||
	    io(SYS_read, 0, args, job.args_size))
		return 2;
	for (i = 0; i < job.nbufs; i++) {
		buf[i] = alloc(job.buf_size[i]);
		init[i] = alloc(job.buf_size[i]);
		if (!buf[i] || !init[i] ||
		    io(SYS_read, 0, init[i], job.buf_size[i]))
			return 3;
	}
	for (i = 0; i < job.nptrs; i++) {
		uint64_t idx, va;

		__builtin_memcpy(&idx, args + job.ptr_off[i], 8);
		if (idx >= job.nbufs || job.ptr_off[i] + 8 > job.args_size)
			return 4;
		va = (uint64_t)(uintptr_t)buf[idx];
		__builtin_memcpy(args + job.ptr_off[i], &va, 8);
	}
	g.kernel = bench_kernel;
	g.args = args;
	for (i = 0; i < 3; i++) {
		g.grid[i] = job.grid[i];
		g.block[i] = job.block[i];
	}
	g.shared = job.shared;
	g.barriers = job.barriers;
	g.shared_mem = alloc(job.shared ? job.shared : 16);
	if (job.barriers)
		g.stacks = alloc((uint64_t)BENCH_MAX_BLOCK * BENCH_FIBER_STACK);
	if (!g.shared_mem || (job.barriers && !g.stacks))
		return 5;
	rep.best_ns = ~0ull;
	for (r = 0; r < job.reps; r++) {
		uint64_t t;

		for (i = 0; i < job.nbufs; i++)
			__builtin_memcpy(buf[i], init[i], job.buf_size[i]);
		t = now_ns();
		if (bench_grid_run(&g))
			rep.status = -1;
		t = now_ns() - t;
		rep.total_ns += t;
		if (t < rep.best_ns)
			rep.best_ns = t;
	}
	if (io(SYS_write, 1, &rep, sizeof(rep)))
		return 6;
	for (i = 0; i < job.nbufs; i++)
		if (io(SYS_write, 1, buf[i], job.buf_size[i]))
			return 7;
	return 0;
}
