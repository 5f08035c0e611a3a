// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * libFuzzer target for the device model's core: the input is a stream of
 * register writes and GPU memory accesses against a small VRAM that the
 * input also fills, so page tables, rings and packets are arbitrary;
 * command-processor steps; and changes of a link to a second device, whose
 * VRAM PEER pages reach. Whatever a driver (or a
 * broken driver) programs, the device model must not read or write outside
 * its memory; ASan and UBSan watch.
 */
#include <stddef.h>
#include <stdlib.h>

#include "ogpu_sim_core.h"

#define VRAM_SIZE	(1u << 20)
#define SYS_SIZE	(64u << 10)

static u8 sys[SYS_SIZE];

static int sys_rw(void *ctx, u64 addr, void *buf, u32 len, bool write)
{
	if (addr >= SYS_SIZE || len > SYS_SIZE - addr)
		return -EFAULT;
	if (write)
		memcpy(sys + addr, buf, len);
	else
		memcpy(buf, sys + addr, len);
	return 0;
}

static const struct ogpu_sim_host_ops sys_ops = { .rw = sys_rw };

static u64 take(const u8 **p, size_t *n, unsigned int bytes)
{
	u64 v = 0;

	while (bytes-- && *n) {
		v = v << 8 | **p;
		(*p)++;
		(*n)--;
	}
	return v;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 *vram, *peer_vram;
	static const struct ogpu_sim_config cfg = {
		.vram_size = VRAM_SIZE, .num_cus = 1, .cu_lanes = 32,
		.compute_engines = 1, .copy_engines = 1, .link_ports = 2,
	};
	struct ogpu_sim_core core, peer;
	struct ogpu_sim_link link;
	u8 buf[8192];

	if (!vram)
		vram = malloc(VRAM_SIZE);
	if (!peer_vram)
		peer_vram = malloc(VRAM_SIZE);
	memset(vram, 0, VRAM_SIZE);
	ogpu_sim_core_init(&core, &cfg, vram, &sys_ops, NULL);
	ogpu_sim_core_init(&peer, &cfg, peer_vram, &sys_ops, NULL);
	ogpu_sim_link_join(&link, &core, 1, &peer, 0, 1000, 100);
	ogpu_sim_link_trained(&link);

	while (size) {
		u32 op = take(&data, &size, 1) % 6;

		switch (op) {
		case 5: {	/* the link changes */
			u32 v = take(&data, &size, 2);

			if (v & 0x8000)
				ogpu_sim_link_set_corrupt(&link, v & 7);
			else if (v & 0x4000)
				ogpu_sim_link_set_bandwidth(&link, v & 0x3fff);
			else if (v & 1)
				ogpu_sim_link_trained(&link);
			else
				ogpu_sim_link_set_state(&link, v & 2 ?
							OGPU_HW_LINK_DOWN : v & 4 ?
							OGPU_HW_LINK_TRAINING :
							OGPU_HW_LINK_FAILED);
			break;
		}
		case 0: {	/* register write */
			u32 reg = take(&data, &size, 2) << 2;
			u32 val = take(&data, &size, 4);

			ogpu_sim_core_write(&core, reg % (OGPU_HW_REG_BLOCK_SIZE + 8),
					    val);
			break;
		}
		case 1: {	/* register read */
			u32 v;

			ogpu_sim_core_read(&core, take(&data, &size, 2), &v);
			break;
		}
		case 2: {	/* 8 bytes into VRAM, e.g. a page-table entry */
			u32 off = take(&data, &size, 3) % (VRAM_SIZE - 8);
			u64 v = take(&data, &size, 8);

			memcpy(vram + off, &v, 8);
			break;
		}
		case 4:		/* the command processor runs a little */
			ogpu_sim_core_run(&core, take(&data, &size, 1) % 16, 0);
			break;
		default: {	/* a GPU access */
			u32 ctx = take(&data, &size, 1) % (OGPU_HW_MMU_CONTEXTS + 1);
			u64 va = take(&data, &size, 6);
			u32 len = take(&data, &size, 2) % sizeof(buf);
			u32 access = 1u << (take(&data, &size, 1) % 3);

			ogpu_sim_core_vm_access(&core, ctx, va, buf, len,
						access, take(&data, &size, 1) & 1);
			break;
		}
		}
	}
	ogpu_sim_link_unjoin(&link);
	return 0;
}
