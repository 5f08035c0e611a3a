// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The kernel a RISC-V runner runs: built with -DBENCH_KERNEL=name, so
 * bench_rv.c needs no per-kernel code.
 */
#include "bench_grid.h"

void BENCH_KERNEL(const void *args);

const bench_kernel_fn bench_kernel = BENCH_KERNEL;
