/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_TTM_H__
#define __OGPU_TTM_H__

#include <linux/gpu_buddy.h>
#include <linux/mutex.h>

#include <drm/ttm/ttm_resource.h>

struct ogpu_device;

/**
 * struct ogpu_vram_mgr - VRAM as a TTM resource manager on the buddy
 * allocator
 */
struct ogpu_vram_mgr {
	/** @manager: The TTM resource manager. */
	struct ttm_resource_manager manager;
	/** @lock: Protects @mm. */
	struct mutex lock;
	/** @mm: The buddy allocator over all of VRAM. */
	struct gpu_buddy mm;
};

/**
 * struct ogpu_vram_res - a VRAM allocation
 */
struct ogpu_vram_res {
	/** @base: The TTM resource. */
	struct ttm_resource base;
	/** @blocks: Its buddy blocks, in the order they back the buffer. */
	struct list_head blocks;
};

/**
 * struct ogpu_res_cursor - walks a VRAM resource in contiguous chunks
 *
 * After ogpu_res_first(), @start is the VRAM offset of the current
 * position and @size the contiguous bytes from there; ogpu_res_next()
 * moves on.
 */
struct ogpu_res_cursor {
	/** @start: VRAM offset of the current position. */
	u64 start;
	/** @size: Contiguous bytes at @start. */
	u64 size;
	/** @remaining: Bytes left to walk, @size included. */
	u64 remaining;
	/** @block: The block holding @start. */
	struct gpu_buddy_block *block;
	/** @head: The resource's block list. */
	struct list_head *head;
	/** @mm: The buddy allocator. */
	struct gpu_buddy *mm;
};

void ogpu_res_first(struct ogpu_device *odev, struct ttm_resource *res,
		    u64 offset, u64 size, struct ogpu_res_cursor *cur);
void ogpu_res_next(struct ogpu_res_cursor *cur, u64 size);

int ogpu_ttm_init(struct ogpu_device *odev);

#endif /* __OGPU_TTM_H__ */
