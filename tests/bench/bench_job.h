/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * What cu_bench sends the RISC-V runner (bench_rv.c) on its standard
 * input, and what it sends back on its standard output. In: the header,
 * then args_size bytes of arguments, then each buffer's contents. The
 * arguments hold, at each ptr_off[i], the 64-bit index of a buffer that
 * the runner replaces by the buffer's address. Out: the reply, then each
 * buffer's contents after the last repetition.
 */
#ifndef BENCH_JOB_H
#define BENCH_JOB_H

#include <stdint.h>

#define BENCH_JOB_MAGIC		0x626a7067u	/* "gpjb" */
#define BENCH_MAX_BUFS		4
#define BENCH_MAX_ARGS		64

struct bench_job {
	uint32_t magic;
	uint32_t grid[3], block[3], shared, barriers;
	uint32_t reps;		/* runs, each from the same inputs */
	uint32_t nbufs, args_size, nptrs, pad;
	uint32_t ptr_off[BENCH_MAX_BUFS];
	uint64_t buf_size[BENCH_MAX_BUFS];
};

struct bench_reply {
	uint32_t magic;
	int32_t status;		/* 0, or what failed */
	uint64_t best_ns;	/* the fastest run's */
	uint64_t total_ns;	/* all runs' */
};

#endif /* BENCH_JOB_H */
