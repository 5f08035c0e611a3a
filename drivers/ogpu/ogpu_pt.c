// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: page tables
 *
 * A page-table tree (&struct ogpu_pt_tree) is the OGPU's four-level page
 * tables of one MMU context: each VM has one (&ogpu_vm.pt), and so has
 * the copy queue, for context 0. The tree makes and frees the tables,
 * writes their entries and walks them; what to map where is its owner's
 * business.
 *
 * Page tables are 4 KiB buffers pinned in VRAM, made when a mapping first
 * needs them (ogpu_pt_make_locked(), ogpu_pt_prepare()), charged to the
 * tree and capped by &ogpu_pt_tree.max (-ENOSPC beyond). Each table
 * remembers the generation (&ogpu_pt_tree.gen) it was made in, so that a
 * VM_BIND that fails can unlink the tables it made (ogpu_pt_reclaim());
 * unlinked tables are freed with ogpu_pt_free_list() once the caller has
 * dropped its locks, as freeing takes each table's reservation lock. The
 * driver maps with 4 KiB pages: ogpu_pt_write_pages() writes the entries
 * of VRAM or system pages, ogpu_pt_write_bo() those of a buffer where it
 * now is.
 *
 * Locking: &ogpu_pt_tree.make_lock serialises making tables, which
 * allocates; &ogpu_pt_tree.lock, inside it, protects the tables' contents
 * and links, and nothing allocates or waits for a fence under it, as a
 * VM's bind queue takes it in the fence signalling path. Tables are
 * allocated without @lock and linked in under it.
 */

#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_device.h"
#include "ogpu_gem.h"
#include "ogpu_hw.h"
#include "ogpu_mmu.h"
#include "ogpu_pt.h"
#include "ogpu_ttm.h"
#include "drm/ogpu_drm.h"

/**
 * struct ogpu_pt - one page table
 * @bo: its buffer, pinned in VRAM
 * @addr: VRAM offset of @bo
 * @children: for levels 3 to 1, the tables below, by index
 * @gen: &ogpu_pt_tree.gen when it was made, to undo a failed bind
 * @link: in a list of unlinked tables waiting to be freed
 */
struct ogpu_pt {
	struct ogpu_bo *bo;
	u64 addr;
	struct ogpu_pt **children;
	u32 gen;
	struct list_head link;
};

static void ogpu_pt_write(struct ogpu_pt_tree *t, struct ogpu_pt *pt,
			  u32 index, u64 entry)
{
	__le64 *slot = t->odev->vram + pt->addr + 8 * index;

	/* The VRAM went with the device: only the bookkeeping is left. */
	if (t->unplugged)
		return;
	WRITE_ONCE(*slot, cpu_to_le64(entry));
}

/*
 * Make a table and charge it to @t; -ENOSPC when the tree's budget is
 * spent. Called with &ogpu_pt_tree.make_lock held, or before the tree is
 * seen.
 */
static struct ogpu_pt *ogpu_pt_alloc(struct ogpu_pt_tree *t, int level)
{
	struct ogpu_pt *pt;
	struct ogpu_bo *bo;

	if (t->max && atomic_read(&t->count) >= t->max)
		return ERR_PTR(-ENOSPC);

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return ERR_PTR(-ENOMEM);
	if (level) {
		pt->children = kvcalloc(OGPU_HW_PT_ENTRIES, sizeof(*pt->children),
					GFP_KERNEL);
		if (!pt->children) {
			kfree(pt);
			return ERR_PTR(-ENOMEM);
		}
	}

	/* New VRAM is cleared: every entry starts non-present. */
	bo = ogpu_bo_create_pinned(t->odev, PAGE_SIZE, true);
	if (IS_ERR(bo)) {
		kvfree(pt->children);
		kfree(pt);
		return ERR_CAST(bo);
	}
	pt->bo = bo;
	pt->addr = ogpu_bo_vram_offset(bo);
	pt->gen = t->gen;
	atomic_inc(&t->count);
	return pt;
}

/* Free a table and those below it, and uncharge them. */
static void ogpu_pt_free(struct ogpu_pt_tree *t, struct ogpu_pt *pt,
			 int level)
{
	u32 i;

	if (!pt)
		return;
	if (level)
		for (i = 0; i < OGPU_HW_PT_ENTRIES; i++)
			ogpu_pt_free(t, pt->children[i], level - 1);
	ogpu_bo_free_pinned(pt->bo);
	kvfree(pt->children);
	kfree(pt);
	atomic_dec(&t->count);
}

/**
 * ogpu_pt_tree_init() - make a tree's root table
 * @t: the tree
 * @odev: the device
 * @ctx: the MMU context the owner loads it in
 * @max: the most tables it may hold, or 0 for no cap
 *
 * Return: 0 or a negative errno.
 */
int ogpu_pt_tree_init(struct ogpu_pt_tree *t, struct ogpu_device *odev,
		      u32 ctx, u32 max)
{
	t->odev = odev;
	t->ctx = ctx;
	t->max = max;
	mutex_init(&t->lock);
	mutex_init(&t->make_lock);
	t->root = ogpu_pt_alloc(t, OGPU_HW_PT_LEVELS - 1);
	if (IS_ERR(t->root)) {
		int ret = PTR_ERR(t->root);

		mutex_destroy(&t->make_lock);
		mutex_destroy(&t->lock);
		return ret;
	}
	return 0;
}

/**
 * ogpu_pt_tree_fini() - free every table of a tree
 * @t: the tree, unloaded from its MMU context
 */
void ogpu_pt_tree_fini(struct ogpu_pt_tree *t)
{
	ogpu_pt_free(t, t->root, OGPU_HW_PT_LEVELS - 1);
	mutex_destroy(&t->make_lock);
	mutex_destroy(&t->lock);
}

/**
 * ogpu_pt_root_addr() - where the root table is, for the MMU context
 * @t: the tree
 *
 * Return: the root table's VRAM offset.
 */
u64 ogpu_pt_root_addr(const struct ogpu_pt_tree *t)
{
	return t->root->addr;
}

/**
 * ogpu_pt_free_list() - free the tables ogpu_pt_reclaim() unlinked
 * @t: the tree
 * @freed: the list; empty afterwards
 *
 * No locks needed.
 */
void ogpu_pt_free_list(struct ogpu_pt_tree *t, struct list_head *freed)
{
	struct ogpu_pt *pt, *next;

	list_for_each_entry_safe(pt, next, freed, link)
		ogpu_pt_free(t, pt, 0);
	INIT_LIST_HEAD(freed);
}

static bool ogpu_pt_has_children(const struct ogpu_pt *pt)
{
	u32 i;

	for (i = 0; i < OGPU_HW_PT_ENTRIES; i++)
		if (pt->children[i])
			return true;
	return false;
}

/*
 * Unlink, below @pt (a level-@level table covering VAs from @base), the
 * tables inside the user range that cover no VA @in_use says is used and
 * meet [start, end); with @gen_only, only those made since @t's generation
 * was last bumped. The caller holds @make_lock and @lock, keeps what
 * @in_use looks at still, and has checked that nothing is left that could
 * write to these tables. Unlinked tables go on @freed, to be freed once
 * the caller's locks are dropped: freeing takes each table's reservation
 * lock.
 */
static void ogpu_pt_reclaim_locked(struct ogpu_pt_tree *t, struct ogpu_pt *pt,
				   int level, u64 base, u64 start, u64 end,
				   bool gen_only,
				   bool (*in_use)(struct ogpu_pt_tree *t,
						  u64 va, u64 span),
				   struct list_head *freed)
{
	u64 span = 1ull << OGPU_HW_PT_SHIFT(level);
	u32 i, first, last;

	lockdep_assert_held(&t->make_lock);
	lockdep_assert_held(&t->lock);

	start = max(start, base);
	end = min(end, base + span * OGPU_HW_PT_ENTRIES);
	if (start >= end)
		return;
	first = (start - base) / span;
	last = (end - 1 - base) / span;
	for (i = first; i <= last; i++) {
		struct ogpu_pt *child = pt->children[i];
		u64 cbase = base + i * span;

		if (!child)
			continue;
		/* The kernel range's tables go with the tree. */
		if (cbase >= OGPU_VA_KERNEL_START)
			continue;
		if (level > 1)
			ogpu_pt_reclaim_locked(t, child, level - 1, cbase,
					       start, end, gen_only, in_use,
					       freed);
		if (gen_only && child->gen != t->gen)
			continue;
		if (level > 1 && ogpu_pt_has_children(child))
			continue;
		if (in_use(t, cbase, span))
			continue;
		pt->children[i] = NULL;
		ogpu_pt_write(t, pt, i, 0);
		list_add(&child->link, freed);
	}
}

/**
 * ogpu_pt_reclaim() - unlink the empty tables of a range
 * @t: the tree
 * @start: start of the range
 * @end: its end, exclusive
 * @gen_only: only the tables made since &ogpu_pt_tree.gen was last bumped
 * @in_use: whether any of [va, va + span) is mapped
 * @freed: where the unlinked tables go, for ogpu_pt_free_list()
 *
 * Tables of the user range that cover nothing @in_use and meet
 * [@start, @end) are unlinked; the TLB is invalidated if any was. The
 * caller holds &ogpu_pt_tree.make_lock, keeps what @in_use looks at
 * still, and has checked that nothing is left that could write to these
 * tables.
 *
 * Return: true if any table was unlinked.
 */
bool ogpu_pt_reclaim(struct ogpu_pt_tree *t, u64 start, u64 end,
		     bool gen_only,
		     bool (*in_use)(struct ogpu_pt_tree *t, u64 va, u64 span),
		     struct list_head *freed)
{
	bool any;

	lockdep_assert_held(&t->make_lock);

	mutex_lock(&t->lock);
	ogpu_pt_reclaim_locked(t, t->root, OGPU_HW_PT_LEVELS - 1, 0, start,
			       end, gen_only, in_use, freed);
	any = !list_empty(freed);
	if (any && !t->unplugged)
		ogpu_mmu_invalidate(t->odev, t->ctx);
	mutex_unlock(&t->lock);
	return any;
}

/* The level-0 table for @va, or NULL if a table on the way is missing. */
static struct ogpu_pt *ogpu_pt_walk(struct ogpu_pt_tree *t, u64 va)
{
	struct ogpu_pt *pt = t->root;
	int level;

	lockdep_assert_held(&t->lock);

	for (level = OGPU_HW_PT_LEVELS - 1; pt && level > 0; level--)
		pt = pt->children[OGPU_HW_PT_INDEX(va, level)];
	return pt;
}

/**
 * ogpu_pt_make_locked() - make the missing tables on the way to a VA
 * @t: the tree
 * @va: the VA whose level-0 table is needed
 *
 * Tables are allocated without &ogpu_pt_tree.lock held, which a VM's
 * bind queue takes in the fence signalling path; they are linked in
 * under it. The caller holds &ogpu_pt_tree.make_lock.
 *
 * Return: 0; -ENOSPC when the tree's budget is spent; -ENOMEM.
 */
int ogpu_pt_make_locked(struct ogpu_pt_tree *t, u64 va)
{
	struct ogpu_pt *pt = t->root;
	int level;

	lockdep_assert_held(&t->make_lock);

	for (level = OGPU_HW_PT_LEVELS - 1; level > 0; level--) {
		u32 index = OGPU_HW_PT_INDEX(va, level);
		struct ogpu_pt *child = pt->children[index];

		if (!child) {
			child = ogpu_pt_alloc(t, level - 1);
			if (IS_ERR(child))
				return PTR_ERR(child);
			mutex_lock(&t->lock);
			pt->children[index] = child;
			ogpu_pt_write(t, pt, index,
				      child->addr | OGPU_HW_PTE_VALID);
			mutex_unlock(&t->lock);
		}
		pt = child;
	}
	return 0;
}

/**
 * ogpu_pt_prepare() - make the page tables a range needs
 * @t: the tree
 * @va: start
 * @range: bytes
 *
 * For the kernel mappings of a VM, and for the windows of the copy queue.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_pt_prepare(struct ogpu_pt_tree *t, u64 va, u64 range)
{
	u64 end = va + range, step = 1ull << OGPU_HW_PT_SHIFT(1);
	int ret = 0;

	mutex_lock(&t->make_lock);
	for (va = ALIGN_DOWN(va, step); va < end && !ret; va += step)
		ret = ogpu_pt_make_locked(t, va);
	mutex_unlock(&t->make_lock);
	return ret;
}

static u64 ogpu_pt_pte_flags(u32 flags)
{
	u64 pte = OGPU_HW_PTE_VALID;

	if (flags & DRM_OGPU_VM_BIND_READ)
		pte |= OGPU_HW_PTE_READ;
	if (flags & DRM_OGPU_VM_BIND_WRITE)
		pte |= OGPU_HW_PTE_WRITE;
	if (flags & DRM_OGPU_VM_BIND_EXEC)
		pte |= OGPU_HW_PTE_EXEC;
	if (flags & OGPU_VM_MAP_PRIV)
		pte |= OGPU_HW_PTE_PRIV;
	return pte;
}

/**
 * ogpu_pt_write_pages() - write the entries of a range
 * @t: the tree, with &ogpu_pt_tree.lock held and the range's tables made
 * @va: start
 * @range: bytes
 * @vram: a VRAM resource to map from @offset, or NULL
 * @tt: else, system pages to map from @offset, or NULL
 * @offset: where in the resource or pages the range starts
 * @flags: DRM_OGPU_VM_BIND_* access bits, and OGPU_VM_MAP_PRIV
 *
 * Non-present entries when both @vram and @tt are NULL.
 */
void ogpu_pt_write_pages(struct ogpu_pt_tree *t, u64 va, u64 range,
			 struct ttm_resource *vram, struct ttm_tt *tt,
			 u64 offset, u32 flags)
{
	u64 pte_flags = ogpu_pt_pte_flags(flags);
	struct ogpu_res_cursor cur = {};
	u64 end = va + range;

	lockdep_assert_held(&t->lock);

	if (vram)
		ogpu_res_first(t->odev, vram, offset, range, &cur);

	for (; va < end; va += PAGE_SIZE, offset += PAGE_SIZE) {
		struct ogpu_pt *pt = ogpu_pt_walk(t, va);
		u64 pte = 0;

		if (WARN_ON(!pt))
			return;
		if (vram) {
			pte = pte_flags | cur.start |
			      (u64)OGPU_HW_APERTURE_VRAM << OGPU_HW_PTE_APERTURE_SHIFT;
			ogpu_res_next(&cur, PAGE_SIZE);
		} else if (tt) {
			pte = pte_flags | tt->dma_address[offset >> PAGE_SHIFT] |
			      (u64)OGPU_HW_APERTURE_SYSTEM << OGPU_HW_PTE_APERTURE_SHIFT;
		}
		ogpu_pt_write(t, pt, OGPU_HW_PT_INDEX(va, 0), pte);
	}
}

/*
 * Entries for @range bytes of a peer import whose exporter @peer is in
 * VRAM: aperture PEER, link @port, addresses in the peer's VRAM.
 */
static void ogpu_pt_write_peer(struct ogpu_pt_tree *t, u64 va, u64 range,
			       struct ogpu_bo *peer, u32 port, u64 offset,
			       u32 flags)
{
	u64 pte_flags = ogpu_pt_pte_flags(flags) | OGPU_HW_PTE_PEER(port) |
			(u64)OGPU_HW_APERTURE_PEER << OGPU_HW_PTE_APERTURE_SHIFT;
	struct ogpu_device *podev = to_ogpu_device(peer->tbo.base.dev);
	struct ogpu_res_cursor cur = {};
	u64 end = va + range;

	ogpu_res_first(podev, peer->tbo.resource, offset, range, &cur);
	for (; va < end; va += PAGE_SIZE) {
		struct ogpu_pt *pt = ogpu_pt_walk(t, va);

		if (WARN_ON(!pt))
			return;
		ogpu_pt_write(t, pt, OGPU_HW_PT_INDEX(va, 0),
			      pte_flags | cur.start);
		ogpu_res_next(&cur, PAGE_SIZE);
	}
}

/**
 * ogpu_pt_write_bo() - write the entries of a buffer where it now is
 * @t: the tree, with &ogpu_pt_tree.lock held and the range's tables made
 * @va: start
 * @range: bytes
 * @bo: the buffer, or NULL
 * @bo_offset: where in @bo the range starts
 * @flags: DRM_OGPU_VM_BIND_* access bits, and OGPU_VM_MAP_PRIV
 *
 * Non-present entries when @bo is NULL or out of reach.
 */
void ogpu_pt_write_bo(struct ogpu_pt_tree *t, u64 va, u64 range,
		      struct ogpu_bo *bo, u64 bo_offset, u32 flags)
{
	struct ttm_resource *res = bo ? bo->tbo.resource : NULL;
	struct ttm_tt *tt = bo ? bo->tbo.ttm : NULL;

	lockdep_assert_held(&t->lock);

	/* Under the reservation, which a peer import shares with @bo->peer. */
	if (bo && bo->peer_vram && res && res->mem_type == TTM_PL_TT) {
		ogpu_pt_write_peer(t, va, range, bo->peer, bo->peer_port,
				   bo_offset, flags);
		return;
	}
	if (!res || res->mem_type != TTM_PL_TT || !tt ||
	    !ttm_tt_is_populated(tt))
		tt = NULL;
	if (res && res->mem_type != TTM_PL_VRAM)
		res = NULL;
	ogpu_pt_write_pages(t, va, range, res, tt, bo_offset, flags);
}

/**
 * ogpu_pt_map_bo() - map a driver buffer that never moves
 * @t: the tree
 * @bo: a pinned buffer
 * @bo_offset: where in @bo the mapping starts
 * @va: where
 * @size: bytes
 * @flags: DRM_OGPU_VM_BIND_* access bits, and OGPU_VM_MAP_PRIV
 *
 * Makes the tables, writes the entries and invalidates the TLB.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_pt_map_bo(struct ogpu_pt_tree *t, struct ogpu_bo *bo, u64 bo_offset,
		   u64 va, u64 size, u32 flags)
{
	int ret;

	ret = ogpu_pt_prepare(t, va, size);
	if (ret)
		return ret;
	mutex_lock(&t->lock);
	ogpu_pt_write_bo(t, va, size, bo, bo_offset, flags);
	ogpu_mmu_invalidate(t->odev, t->ctx);
	mutex_unlock(&t->lock);
	return 0;
}

/**
 * ogpu_pt_unmap() - undo ogpu_pt_map_bo()
 * @t: the tree
 * @va: where
 * @size: bytes
 */
void ogpu_pt_unmap(struct ogpu_pt_tree *t, u64 va, u64 size)
{
	mutex_lock(&t->lock);
	ogpu_pt_write_bo(t, va, size, NULL, 0, 0);
	if (!t->unplugged)
		ogpu_mmu_invalidate(t->odev, t->ctx);
	mutex_unlock(&t->lock);
}

/**
 * ogpu_pt_map_pages() - point a window at buffer pages
 * @t: the tree
 * @va: the window, made with ogpu_pt_prepare()
 * @size: bytes
 * @vram: a VRAM resource to map from @offset, or NULL
 * @tt: else, system pages to map from @offset
 * @offset: where in the resource or pages the window starts
 *
 * Read and write. The caller invalidates the TLB before the device uses
 * the window, once for all the windows it changed.
 */
void ogpu_pt_map_pages(struct ogpu_pt_tree *t, u64 va, u64 size,
		       struct ttm_resource *vram, struct ttm_tt *tt, u64 offset)
{
	mutex_lock(&t->lock);
	ogpu_pt_write_pages(t, va, size, vram, tt, offset,
			    DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE);
	mutex_unlock(&t->lock);
}
