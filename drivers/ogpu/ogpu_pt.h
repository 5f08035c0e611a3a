/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_PT_H__
#define __OGPU_PT_H__

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "ogpu_hw.h"

struct ogpu_bo;
struct ogpu_device;
struct ogpu_pt;
struct ttm_resource;
struct ttm_tt;

/*
 * Userspace may bind [OGPU_VA_USER_START, OGPU_VA_USER_END); the driver
 * maps its own buffers (rings, fence words) above.
 */
#define OGPU_VA_USER_START	0x1000ull
#define OGPU_VA_USER_END	BIT_ULL(47)
#define OGPU_VA_KERNEL_START	OGPU_VA_USER_END

/* A page table is one 4 KiB buffer. */
#define OGPU_PT_SIZE		(OGPU_HW_PT_ENTRIES * 8)

/*
 * A mapping flag of the driver's own, beside the DRM_OGPU_VM_BIND_* bits
 * (VM_BIND rejects it): the pages are privileged (OGPU_HW_PTE_PRIV), so only
 * the packets of a ring, which only the driver writes, can reach them.
 */
#define OGPU_VM_MAP_PRIV	BIT(31)

/**
 * struct ogpu_pt_tree - the four-level page tables of one MMU context
 *
 * Used by each VM (&ogpu_vm.pt) and by the copy queue's context 0.
 *
 * Locking: @make_lock, then @lock. @make_lock serialises making tables,
 * which allocates; @lock protects the tables' contents and links, and is
 * the only lock a VM's bind queue takes, in the fence signalling path:
 * nothing allocates or waits for a fence under it.
 */
struct ogpu_pt_tree {
	/** @odev: The device. */
	struct ogpu_device *odev;
	/** @lock: Protects the page tables' contents and links. */
	struct mutex lock;
	/** @make_lock: Serialises making tables; outside @lock. */
	struct mutex make_lock;
	/** @root: Level-3 page table. */
	struct ogpu_pt *root;
	/**
	 * @count: Page tables the tree holds, @root included; changed
	 * under @make_lock (or before the tree is seen), read without it.
	 */
	atomic_t count;
	/** @max: Budget for @count; 0 for no cap. */
	u32 max;
	/** @gen: Bumped under @make_lock as each bind starts making tables. */
	u32 gen;
	/** @ctx: The MMU context the tables are loaded in. */
	u32 ctx;
	/**
	 * @unplugged: Set, under @lock, when the tree is torn down after the
	 * device is gone: page-table writes are skipped.
	 */
	bool unplugged;
};

int ogpu_pt_tree_init(struct ogpu_pt_tree *t, struct ogpu_device *odev,
		      u32 ctx, u32 max);
void ogpu_pt_tree_fini(struct ogpu_pt_tree *t);
u64 ogpu_pt_root_addr(const struct ogpu_pt_tree *t);

int ogpu_pt_make_locked(struct ogpu_pt_tree *t, u64 va);
int ogpu_pt_prepare(struct ogpu_pt_tree *t, u64 va, u64 range);
bool ogpu_pt_reclaim(struct ogpu_pt_tree *t, u64 start, u64 end,
		     bool gen_only,
		     bool (*in_use)(struct ogpu_pt_tree *t, u64 va, u64 span),
		     struct list_head *freed);
void ogpu_pt_free_list(struct ogpu_pt_tree *t, struct list_head *freed);

void ogpu_pt_write_pages(struct ogpu_pt_tree *t, u64 va, u64 range,
			 struct ttm_resource *vram, struct ttm_tt *tt,
			 u64 offset, u32 flags);
void ogpu_pt_write_bo(struct ogpu_pt_tree *t, u64 va, u64 range,
		      struct ogpu_bo *bo, u64 bo_offset, u32 flags);
int ogpu_pt_map_bo(struct ogpu_pt_tree *t, struct ogpu_bo *bo, u64 bo_offset,
		   u64 va, u64 size, u32 flags);
void ogpu_pt_unmap(struct ogpu_pt_tree *t, u64 va, u64 size);
void ogpu_pt_map_pages(struct ogpu_pt_tree *t, u64 va, u64 size,
		       struct ttm_resource *vram, struct ttm_tt *tt, u64 offset);

#endif /* __OGPU_PT_H__ */
