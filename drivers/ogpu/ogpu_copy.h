/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_COPY_H__
#define __OGPU_COPY_H__

#include <linux/types.h>

struct ogpu_device;
struct ttm_resource;
struct ttm_tt;

/*
 * The MMU context the driver keeps for its moves; the hardware queue is
 * OGPU_RING_COPY_SLOT.
 */
#define OGPU_COPY_CTX		0

int ogpu_copy_init(struct ogpu_device *odev);
int ogpu_copy_move(struct ogpu_device *odev, struct ttm_resource *vram,
		   struct ttm_tt *tt, u64 size, bool to_vram);

#endif /* __OGPU_COPY_H__ */
