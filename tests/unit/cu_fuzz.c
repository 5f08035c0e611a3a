// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * libFuzzer target for the compute unit's executor: the input's first
 * bytes choose the lanes, the block's shape, the shared bytes and the
 * entry point, and the rest is the memory the kernel runs from (as
 * instructions and as data). Whatever the input, the executor must not
 * crash, read or write outside its memory, or hit undefined behaviour;
 * each input runs a bounded number of warp-instructions.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ogpu_sim_cu.h"

#define FLAT		0x10000u		/* host-addressable */
#define RW_BASE		0x100000u		/* through rw() */
#define RW_SIZE		0x1000u

static uint8_t flat[FLAT] __attribute__((aligned(4096)));
static uint8_t rwmem[RW_SIZE];
static struct ogpu_sim_cu *cus[7];

static int fz_map(void *ctx, u64 va, u32 access, void **p)
{
	if (!(access & OGPU_HW_ACCESS_USER))
		abort();
	if (va < FLAT) {
		*p = flat + va;
		return 0;
	}
	if (va >= RW_BASE && va < RW_BASE + RW_SIZE) {
		*p = NULL;
		return 0;
	}
	return -EFAULT;
}

static int fz_rw(void *ctx, u64 va, void *buf, u32 len, u32 access)
{
	if (!len || len > 8 || (va & 0xfff) + len > 0x1000)
		abort();	/* the executor keeps rw() within a page */
	if (va < RW_BASE || va + len > RW_BASE + RW_SIZE)
		return -EFAULT;
	if (access & OGPU_HW_ACCESS_WRITE)
		memcpy(rwmem + (va - RW_BASE), buf, len);
	else
		memcpy(buf, rwmem + (va - RW_BASE), len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ogpu_sim_cu_mem mem = { .map = fz_map, .rw = fz_rw };
	struct ogpu_sim_launch ln = { .grid = { 3, 2, 1 } };
	u32 li, lanes, bid[3] = { 2, 1, 0 }, i, t, budget = 4000;
	struct ogpu_sim_cu *cu;

	if (size < 8)
		return 0;
	li = data[0] % 7;
	lanes = 1u << li;
	ln.block[0] = 1 + data[1] % 64;
	ln.block[1] = 1 + data[2] % 4;
	ln.block[2] = 1 + data[3] % 2;
	ln.shared = (data[4] & 0x80) ? OGPU_HW_CU_SHARED_MAX : data[4] * 16;
	ln.entry = 0x1000 + (data[5] & 0x3f) * 4;
	if (data[5] & 0x40)
		ln.entry = RW_BASE;
	ln.args = 0x2000;
	ln.args_size = data[6];
	if (data[7] & 1)
		budget = 1 + data[7];
	data += 8;
	size -= 8;

	if (!cus[li]) {
		cus[li] = malloc(ogpu_sim_cu_size(lanes));
		if (!cus[li])
			abort();
		ogpu_sim_cu_init(cus[li], li, lanes);
		ogpu_sim_cu_set_host_fpu(cus[li], li & 1);
	}
	cu = cus[li];
	memset(flat, 0, FLAT);
	memset(rwmem, 0, sizeof(rwmem));
	/* The input is the code at 0x1000 and, again, the data after it. */
	if (size > FLAT - 0x1000)
		size = FLAT - 0x1000;
	memcpy(flat + 0x1000, data, size);
	memcpy(rwmem, data, size < RW_SIZE ? size : RW_SIZE);

	ogpu_sim_cu_start(cu, &ln, bid);
	for (i = 0; i < 4; i++) {
		enum ogpu_sim_cu_status st = ogpu_sim_cu_run(cu, &mem, budget);

		if (st != OGPU_SIM_CU_RUNNING)
			break;
	}
	if (ogpu_sim_cu_error(cu)->cause > OGPU_HW_CU_ERR_WINDOW)
		abort();
	t = ln.block[0] * ln.block[1] * ln.block[2];
	for (i = 0; i < 66; i++)
		(void)ogpu_sim_cu_reg(cu, t - 1, i);
	ogpu_sim_cu_stop(cu);
	return 0;
}
