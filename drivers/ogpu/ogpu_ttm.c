// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: memory placement
 *
 * Buffers are TTM buffer objects in one of three places:
 *
 * - TTM_PL_VRAM: the device's VRAM, managed by the kernel's buddy
 *   allocator (&struct ogpu_vram_mgr) in 4 KiB chunks, so a buffer is a
 *   list of blocks that need not be contiguous. The CPU reaches VRAM
 *   through the aperture the hardware exposes; a CPU mapping of a VRAM
 *   buffer maps the aperture's pages.
 * - TTM_PL_TT: system pages the device reaches by DMA, from TTM's pool.
 * - TTM_PL_SYSTEM: system pages the device does not reach; where TTM swaps
 *   out buffers from.
 *
 * A buffer imported from another driver (ogpu_prime.c) is of type
 * ttm_bo_type_sg: it has no pages of its own, only the DMA addresses of
 * the exporter's, which its move to TT fills in and its move to SYSTEM
 * drops; nothing here allocates, copies or swaps them.
 *
 * VRAM can be overcommitted: when it is full, TTM evicts the least recently
 * used buffers that are not pinned to TT, copying their contents, and they
 * move back when they are validated into VRAM again. The copy engine
 * copies them, on the driver's own queue (see ogpu_copy.c); the CPU does
 * when that queue cannot. New VRAM is cleared by the CPU.
 *
 * New memory is always cleared, so that no process sees what another left.
 *
 * System pages are charged to the memory cgroup of the task that makes
 * them present (for a new buffer, its creator), are allocated so that
 * running out fails the allocation rather than wake the OOM killer, and a
 * signal stops a long allocation, which frees what it took (the pages of
 * a buffer evicted from VRAM are charged to the task whose work evicted
 * it, as TTM has no owner to charge them to). TTM 6.12's
 * page pool can do none of this (ttm_pool_alloc() uses GFP_USER without
 * __GFP_ACCOUNT or __GFP_RETRY_MAYFAIL unless asked, and never looks at
 * signals), so the driver fills its ttm_tt itself (ogpu_ttm_tt_populate());
 * it loses nothing by it, as the pool keeps no cached pages for a device
 * that does not use coherent DMA allocations. What is left: the OOM
 * killer's badness (RSS, swap and page tables of a task's mm) does not see
 * memory that a process holds through a file, and 6.12 has no way for a
 * driver to add it; a memory cgroup limit contains the holder instead.
 *
 * Once the device is unplugged its VRAM is gone: CPU mappings are zapped in
 * ogpu_remove(), faults get TTM's dummy page, and moves no longer copy.
 */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_range_manager.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_copy.h"
#include "ogpu_device.h"
#include "ogpu_gem.h"
#include "ogpu_ttm.h"
#include "ogpu_vm.h"

static struct ogpu_vram_mgr *to_vram_mgr(struct ttm_resource_manager *man)
{
	return container_of(man, struct ogpu_vram_mgr, manager);
}

static struct ogpu_vram_res *to_vram_res(struct ttm_resource *res)
{
	return container_of(res, struct ogpu_vram_res, base);
}

static struct ogpu_device *bdev_to_ogpu(struct ttm_device *bdev)
{
	return container_of(bdev, struct ogpu_device, bdev);
}

static int ogpu_vram_mgr_alloc(struct ttm_resource_manager *man,
			       struct ttm_buffer_object *bo,
			       const struct ttm_place *place,
			       struct ttm_resource **res)
{
	struct ogpu_vram_mgr *mgr = to_vram_mgr(man);
	struct gpu_buddy_block *block;
	struct ogpu_vram_res *vres;
	u64 fpfn = place->fpfn, lpfn = place->lpfn ?: man->size >> PAGE_SHIFT;
	unsigned long flags = 0;
	int ret;

	vres = kzalloc(sizeof(*vres), GFP_KERNEL);
	if (!vres)
		return -ENOMEM;
	ttm_resource_init(bo, place, &vres->base);
	INIT_LIST_HEAD(&vres->blocks);

	if (place->flags & TTM_PL_FLAG_CONTIGUOUS)
		flags |= GPU_BUDDY_CONTIGUOUS_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		flags |= GPU_BUDDY_TOPDOWN_ALLOCATION;
	if (fpfn || lpfn != man->size >> PAGE_SHIFT)
		flags |= GPU_BUDDY_RANGE_ALLOCATION;

	if (vres->base.size > (lpfn - fpfn) << PAGE_SHIFT) {
		ret = -ENOSPC;
		goto err_fini;
	}

	mutex_lock(&mgr->lock);
	ret = gpu_buddy_alloc_blocks(&mgr->mm, fpfn << PAGE_SHIFT,
				     lpfn << PAGE_SHIFT, vres->base.size,
				     PAGE_SIZE, &vres->blocks, flags);
	mutex_unlock(&mgr->lock);
	if (ret)
		goto err_fini;

	/* TTM's start is only meaningful for contiguous allocations. */
	block = list_first_entry(&vres->blocks, struct gpu_buddy_block, link);
	vres->base.start = gpu_buddy_block_offset(block) >> PAGE_SHIFT;
	*res = &vres->base;
	return 0;

err_fini:
	ttm_resource_fini(man, &vres->base);
	kfree(vres);
	/* The buddy allocator says -ENOSPC; TTM wants it to try evicting. */
	return ret;
}

static void ogpu_vram_mgr_free(struct ttm_resource_manager *man,
			       struct ttm_resource *res)
{
	struct ogpu_vram_mgr *mgr = to_vram_mgr(man);
	struct ogpu_vram_res *vres = to_vram_res(res);

	mutex_lock(&mgr->lock);
	gpu_buddy_free_list(&mgr->mm, &vres->blocks, 0);
	mutex_unlock(&mgr->lock);
	ttm_resource_fini(man, res);
	kfree(vres);
}

static void ogpu_vram_mgr_debug(struct ttm_resource_manager *man,
				struct drm_printer *printer)
{
	struct ogpu_vram_mgr *mgr = to_vram_mgr(man);

	mutex_lock(&mgr->lock);
	drm_printf(printer, "size: %llu, avail: %llu\n", mgr->mm.size,
		   mgr->mm.avail);
	mutex_unlock(&mgr->lock);
}

static const struct ttm_resource_manager_func ogpu_vram_mgr_func = {
	.alloc = ogpu_vram_mgr_alloc,
	.free = ogpu_vram_mgr_free,
	.debug = ogpu_vram_mgr_debug,
};

/**
 * ogpu_res_first() - start walking a VRAM resource
 * @odev: the device
 * @res: a TTM_PL_VRAM resource of @odev
 * @offset: where in the resource to start, a multiple of PAGE_SIZE
 * @size: how many bytes to walk
 * @cur: the cursor
 */
void ogpu_res_first(struct ogpu_device *odev, struct ttm_resource *res,
		    u64 offset, u64 size, struct ogpu_res_cursor *cur)
{
	struct ogpu_vram_res *vres = to_vram_res(res);
	struct gpu_buddy_block *block;
	u64 bsize;

	cur->mm = &odev->vram_mgr.mm;
	cur->head = &vres->blocks;
	block = list_first_entry(&vres->blocks, struct gpu_buddy_block, link);
	bsize = gpu_buddy_block_size(cur->mm, block);
	while (offset >= bsize) {
		offset -= bsize;
		block = list_next_entry(block, link);
		bsize = gpu_buddy_block_size(cur->mm, block);
	}
	cur->block = block;
	cur->start = gpu_buddy_block_offset(block) + offset;
	cur->size = min(bsize - offset, size);
	cur->remaining = size;
}

/**
 * ogpu_res_next() - advance a cursor
 * @cur: the cursor
 * @size: bytes to advance, at most @cur->size
 */
void ogpu_res_next(struct ogpu_res_cursor *cur, u64 size)
{
	cur->remaining -= size;
	if (!cur->remaining) {
		cur->size = 0;
		return;
	}
	cur->size -= size;
	if (cur->size) {
		cur->start += size;
		return;
	}
	cur->block = list_next_entry(cur->block, link);
	cur->start = gpu_buddy_block_offset(cur->block);
	cur->size = min(gpu_buddy_block_size(cur->mm, cur->block),
			cur->remaining);
}

static struct ttm_tt *ogpu_ttm_tt_create(struct ttm_buffer_object *bo,
					 u32 page_flags)
{
	struct ttm_tt *tt;

	tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	if (!tt)
		return NULL;
	/* Never hand a process pages that another left data in. */
	/* With DMA addresses: the device's page tables point at them. */
	if (ttm_sg_tt_init(tt, bo, page_flags | TTM_TT_FLAG_ZERO_ALLOC,
			   ttm_cached)) {
		kfree(tt);
		return NULL;
	}
	return tt;
}

/* Give back the first @n pages of @tt, which ogpu_ttm_tt_populate() took. */
static void ogpu_ttm_tt_free_pages(struct ttm_device *bdev, struct ttm_tt *tt,
				   pgoff_t n)
{
	pgoff_t i;

	for (i = 0; i < n; i++) {
		dma_unmap_page(bdev->pool.dev, tt->dma_address[i], PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
		__free_page(tt->pages[i]);
		tt->pages[i] = NULL;
		tt->dma_address[i] = 0;
	}
}

/*
 * Fill @tt with system pages, large blocks first (split into pages, so
 * that each is freed on its own), each mapped for the device's DMA.
 * __GFP_ACCOUNT charges them to the current task's memory cgroup;
 * @ctx->gfp_retry_mayfail makes running out of memory fail with -ENOMEM
 * instead of invoking the OOM killer; with @ctx->interruptible a pending
 * signal stops the allocation with -ERESTARTSYS.
 */
static int ogpu_ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *tt,
				struct ttm_operation_ctx *ctx)
{
	gfp_t gfp = GFP_HIGHUSER | __GFP_ACCOUNT;
	unsigned int order = MAX_PAGE_ORDER;
	pgoff_t i = 0;
	int ret;

	/* An import's pages are the exporter's, mapped when it moves to TT. */
	if (tt->page_flags & TTM_TT_FLAG_EXTERNAL)
		return 0;
	if (tt->page_flags & TTM_TT_FLAG_ZERO_ALLOC)
		gfp |= __GFP_ZERO;
	if (ctx->gfp_retry_mayfail)
		gfp |= __GFP_RETRY_MAYFAIL;

	while (i < tt->num_pages) {
		unsigned int j;
		struct page *p;

		if (ctx->interruptible && signal_pending(current)) {
			ret = -ERESTARTSYS;
			goto err_free;
		}
		order = min_t(unsigned int, order, __fls(tt->num_pages - i));
		/* As TTM's pool does: a large block only if it comes easily. */
		p = alloc_pages(order ? (gfp & ~__GFP_RETRY_MAYFAIL) |
				__GFP_NORETRY | __GFP_NOWARN | __GFP_NOMEMALLOC :
				gfp, order);
		if (!p) {
			if (order) {
				order--;
				continue;
			}
			ret = -ENOMEM;
			goto err_free;
		}
		if (order)
			split_page(p, order);
		for (j = 0; j < 1u << order; j++, i++) {
			dma_addr_t addr = dma_map_page(bdev->pool.dev, p + j, 0,
						       PAGE_SIZE,
						       DMA_BIDIRECTIONAL);

			if (dma_mapping_error(bdev->pool.dev, addr)) {
				while (j < 1u << order)
					__free_page(p + j++);
				ret = -ENOMEM;
				goto err_free;
			}
			tt->pages[i] = p + j;
			tt->dma_address[i] = addr;
		}
		cond_resched();
	}
	return 0;

err_free:
	ogpu_ttm_tt_free_pages(bdev, tt, i);
	return ret;
}

static void ogpu_ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *tt)
{
	if (tt->page_flags & TTM_TT_FLAG_EXTERNAL)
		return;
	ogpu_ttm_tt_free_pages(bdev, tt, tt->num_pages);
}

static void ogpu_ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static const struct ttm_place ogpu_tt_place = {
	.mem_type = TTM_PL_TT,
};

static const struct ttm_place ogpu_sys_place = {
	.mem_type = TTM_PL_SYSTEM,
};

static void ogpu_evict_flags(struct ttm_buffer_object *bo,
			     struct ttm_placement *placement)
{
	/* VRAM goes to memory the device still reaches; TT to swap. */
	placement->num_placement = 1;
	if (bo->resource && bo->resource->mem_type == TTM_PL_VRAM)
		placement->placement = &ogpu_tt_place;
	else
		placement->placement = &ogpu_sys_place;
}

/* Copy a buffer between VRAM and its system pages with the CPU. */
static void ogpu_bo_copy_cpu(struct ogpu_device *odev,
			     struct ttm_buffer_object *bo,
			     struct ttm_resource *vram, bool to_vram)
{
	struct ogpu_res_cursor cur;
	pgoff_t i;

	ogpu_res_first(odev, vram, 0, bo->base.size, &cur);
	for (i = 0; i < PFN_UP(bo->base.size); i++) {
		void *dev = odev->vram + cur.start;
		void *sys = kmap_local_page(bo->ttm->pages[i]);

		if (to_vram)
			memcpy(dev, sys, PAGE_SIZE);
		else
			memcpy(sys, dev, PAGE_SIZE);
		kunmap_local(sys);
		ogpu_res_next(&cur, PAGE_SIZE);
		cond_resched();
	}
	atomic64_add(bo->base.size, &odev->bytes_cpu_copy);
}

/* Copy with the copy engine if it is there, else with the CPU. */
static void ogpu_bo_copy(struct ogpu_device *odev,
			 struct ttm_buffer_object *bo,
			 struct ttm_resource *vram, bool to_vram)
{
	if (ogpu_copy_move(odev, vram, bo->ttm, bo->base.size, to_vram))
		ogpu_bo_copy_cpu(odev, bo, vram, to_vram);
	atomic64_add(bo->base.size, to_vram ? &odev->bytes_to_vram :
		     &odev->bytes_from_vram);
}

static void ogpu_vram_clear(struct ogpu_device *odev,
			    struct ttm_resource *res, u64 size)
{
	struct ogpu_res_cursor cur;

	for (ogpu_res_first(odev, res, 0, size, &cur); cur.remaining;
	     ogpu_res_next(&cur, cur.size))
		memset(odev->vram + cur.start, 0, cur.size);
}

static int ogpu_bo_move(struct ttm_buffer_object *bo, bool evict,
			struct ttm_operation_ctx *ctx,
			struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct ogpu_device *odev = bdev_to_ogpu(bo->bdev);
	struct ttm_resource *old = bo->resource;
	bool old_vram = old && old->mem_type == TTM_PL_VRAM;
	bool new_vram = new_mem->mem_type == TTM_PL_VRAM;
	int ret, idx;

	/*
	 * The copy, or the change of the entries, comes after the GPU is done
	 * with the buffer. Not for a new buffer, which nothing used yet, nor
	 * for an import coming into the GPU's reach (SYSTEM to TT), which
	 * this device did not use where it was: an import's reservation is
	 * its exporter's, whose fences are the exporter's work, perhaps
	 * waiting for this very device (a semaphore of a collective), and
	 * ogpu_prime_import_move() waits for the exporter's kernel fences.
	 */
	if (old && !(bo->type == ttm_bo_type_sg &&
		     new_mem->mem_type == TTM_PL_TT)) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
	}

	if (bo->type == ttm_bo_type_sg) {
		/* An import: map or unmap the exporter's pages. */
		ret = ogpu_prime_import_move(to_ogpu_bo(bo), new_mem, ctx);
		if (ret)
			return ret;
		goto moved;
	}
	/* Importers of an exported buffer let go of its pages first. */
	ogpu_prime_bo_moving(to_ogpu_bo(bo));

	if (!old_vram && !new_vram) {
		/* Between TT and SYSTEM, or a new buffer: pages stay. */
		ttm_bo_move_null(bo, new_mem);
		goto moved;
	}

	if (!drm_dev_enter(&odev->drm, &idx)) {
		/* The VRAM is gone with the device; so are the contents. */
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}

	if (!old || (old->mem_type == TTM_PL_SYSTEM && !bo->ttm)) {
		/* A new buffer, or one that never had contents. */
		ogpu_vram_clear(odev, new_mem, bo->base.size);
		goto done;
	}

	/* Make sure the system side has its pages (swapped in if need be). */
	ret = ttm_tt_populate(bo->bdev, bo->ttm, ctx);
	if (ret) {
		drm_dev_exit(idx);
		return ret;
	}
	if (new_vram)
		ogpu_bo_copy(odev, bo, new_mem, true);
	else
		ogpu_bo_copy(odev, bo, old, false);

done:
	drm_dev_exit(idx);
	ttm_bo_move_sync_cleanup(bo, new_mem);
moved:
	/* Mappings follow the buffer to its new place. */
	if (ogpu_is_ogpu_bo(bo))
		ogpu_vm_bo_moved(to_ogpu_bo(bo));
	return 0;
}

/* With the reservation held, before TTM frees the buffer's memory. */
static void ogpu_bo_delete_mem_notify(struct ttm_buffer_object *bo)
{
	if (bo->type == ttm_bo_type_sg)
		ogpu_prime_import_unmap(to_ogpu_bo(bo));
}

static int ogpu_io_mem_reserve(struct ttm_device *bdev, struct ttm_resource *mem)
{
	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		/* The aperture is ordinary cacheable memory to the CPU. */
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_cached;
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned long ogpu_io_mem_pfn(struct ttm_buffer_object *bo,
				     unsigned long page_offset)
{
	struct ogpu_device *odev = bdev_to_ogpu(bo->bdev);
	struct ogpu_res_cursor cur;

	ogpu_res_first(odev, bo->resource, (u64)page_offset << PAGE_SHIFT,
		       PAGE_SIZE, &cur);
	return vmalloc_to_pfn(odev->vram + cur.start);
}

static const struct ttm_device_funcs ogpu_ttm_funcs = {
	.ttm_tt_create = ogpu_ttm_tt_create,
	.ttm_tt_populate = ogpu_ttm_tt_populate,
	.ttm_tt_unpopulate = ogpu_ttm_tt_unpopulate,
	.ttm_tt_destroy = ogpu_ttm_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = ogpu_evict_flags,
	.move = ogpu_bo_move,
	.delete_mem_notify = ogpu_bo_delete_mem_notify,
	.io_mem_reserve = ogpu_io_mem_reserve,
	.io_mem_pfn = ogpu_io_mem_pfn,
};

static void ogpu_ttm_fini(struct drm_device *drm, void *arg)
{
	struct ogpu_device *odev = to_ogpu_device(drm);
	struct ttm_resource_manager *man = &odev->vram_mgr.manager;

	/*
	 * Buffers TTM still deletes in the background (imports always are,
	 * see ttm_bo_release()) give their memory back first, as amdgpu
	 * does; the workers wait for the fences of their reservations.
	 */
	drain_workqueue(odev->bdev.wq);
	ttm_resource_manager_set_used(man, false);
	ttm_resource_manager_evict_all(&odev->bdev, man);
	gpu_buddy_fini(&odev->vram_mgr.mm);
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(&odev->bdev, TTM_PL_VRAM, NULL);
	ttm_range_man_fini(&odev->bdev, TTM_PL_TT);
	ttm_device_fini(&odev->bdev);
	mutex_destroy(&odev->vram_mgr.lock);
}

/**
 * ogpu_ttm_init() - set up TTM with VRAM and TT
 * @odev: the device, with its VRAM size known
 *
 * Torn down by a managed action when the DRM device is released.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_ttm_init(struct ogpu_device *odev)
{
	struct ogpu_vram_mgr *mgr = &odev->vram_mgr;
	struct drm_device *drm = &odev->drm;
	int ret;

	ret = ttm_device_init(&odev->bdev, &ogpu_ttm_funcs, drm->dev,
			      drm->anon_inode->i_mapping,
			      drm->vma_offset_manager, false, false);
	if (ret)
		return ret;

	mutex_init(&mgr->lock);
	mgr->manager.func = &ogpu_vram_mgr_func;
	ttm_resource_manager_init(&mgr->manager, &odev->bdev,
				  odev->info.vram_size);
	ret = gpu_buddy_init(&mgr->mm, odev->info.vram_size, PAGE_SIZE);
	if (ret)
		goto err_device;
	ttm_set_driver_manager(&odev->bdev, TTM_PL_VRAM, &mgr->manager);
	ttm_resource_manager_set_used(&mgr->manager, true);

	/* The device may reach up to half of system memory at once. */
	odev->gtt_size = (u64)totalram_pages() << PAGE_SHIFT >> 1;
	ret = ttm_range_man_init(&odev->bdev, TTM_PL_TT, true,
				 odev->gtt_size >> PAGE_SHIFT);
	if (ret)
		goto err_buddy;

	return drmm_add_action_or_reset(drm, ogpu_ttm_fini, NULL);

err_buddy:
	ttm_set_driver_manager(&odev->bdev, TTM_PL_VRAM, NULL);
	gpu_buddy_fini(&mgr->mm);
err_device:
	ttm_device_fini(&odev->bdev);
	mutex_destroy(&mgr->lock);
	return ret;
}
