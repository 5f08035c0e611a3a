// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: buffer objects
 *
 * A buffer object is a TTM buffer object with a GEM handle. Userspace makes
 * one with DRM_IOCTL_OGPU_BO_CREATE, naming where it may live, and maps it
 * with the fake offset DRM_IOCTL_OGPU_BO_MMAP_OFFSET returns; the mapping
 * follows the buffer when TTM moves it. Handles are per file, so another
 * process's handle gives -ENOENT; buffers are shared between processes and
 * with other drivers through dma-buf (see ogpu_prime.c).
 *
 * fdinfo reports each file's buffers per region (drm-total-vram,
 * drm-resident-system, ...) and the time its finished jobs ran on each
 * engine class (drm-engine-compute, drm-engine-copy), in the format of
 * Documentation/gpu/drm-usage-stats.rst.
 */

#include <linux/dma-buf.h>
#include <linux/overflow.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_device.h"
#include "ogpu_gem.h"
#include "ogpu_vm.h"
#include "drm/ogpu_drm.h"

#define OGPU_BO_FLAGS	(DRM_OGPU_BO_VRAM | DRM_OGPU_BO_SYSTEM)

static void ogpu_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_put(&gem_to_ogpu_bo(obj)->tbo);
}

static enum drm_gem_object_status ogpu_gem_status(struct drm_gem_object *obj)
{
	struct ttm_buffer_object *tbo = &gem_to_ogpu_bo(obj)->tbo;

	/* Called under the file's table lock: only a cheap, racy look. */
	if (tbo->ttm && ttm_tt_is_populated(tbo->ttm))
		return DRM_GEM_OBJECT_RESIDENT;
	return 0;
}

static int ogpu_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct ogpu_bo *bo = gem_to_ogpu_bo(obj);
	int ret;

	if (!bo->import_buf)
		return drm_gem_ttm_mmap(obj, vma);

	/*
	 * An import's pages are the exporter's: its mmap maps them, and
	 * follows them when they move. As drm_gem_shmem_mmap() does, forget
	 * our vm_ops and drop the reference drm_gem_mmap_obj() took, which
	 * the exporter's mapping does not give back.
	 */
	vma->vm_private_data = NULL;
	vma->vm_ops = NULL;
	ret = dma_buf_mmap(bo->import_buf, vma, 0);
	if (!ret)
		drm_gem_object_put(obj);
	return ret;
}

static const struct drm_gem_object_funcs ogpu_gem_funcs = {
	.free = ogpu_gem_free,
	.export = ogpu_gem_prime_export,
	.mmap = ogpu_gem_mmap,
	.print_info = drm_gem_ttm_print_info,
	.status = ogpu_gem_status,
};

static void ogpu_bo_destroy(struct ttm_buffer_object *tbo)
{
	struct ogpu_bo *bo = to_ogpu_bo(tbo);

	/*
	 * An import lets go of the exporter last, after TTM unmapped its
	 * pages (ogpu_bo_delete_mem_notify()): no move notification can come
	 * once detached, and the dma-buf (whose reservation the buffer
	 * shares) lives as long as the buffer.
	 */
	if (tbo->base.import_attach)
		dma_buf_detach(bo->import_buf, tbo->base.import_attach);
	if (bo->import_buf)
		dma_buf_put(bo->import_buf);
	drm_gem_object_release(&tbo->base);
	kfree(bo);
}

/**
 * ogpu_is_ogpu_bo() - whether a TTM buffer object is one of ours
 * @tbo: the buffer object
 *
 * Return: true if @tbo is embedded in a &struct ogpu_bo.
 */
bool ogpu_is_ogpu_bo(struct ttm_buffer_object *tbo)
{
	return tbo->destroy == ogpu_bo_destroy;
}

/**
 * ogpu_bo_set_placement() - where TTM may put a buffer
 * @bo: the buffer, reserved or not yet seen
 * @flags: DRM_OGPU_BO_* placement flags, and OGPU_BO_CONTIGUOUS
 *
 * VRAM first if allowed, then system memory the device reaches (TT).
 * &ogpu_bo.flags stays as created: PRIME pins an exported buffer with
 * DRM_OGPU_BO_SYSTEM alone and puts @bo->flags back on the last unpin.
 */
void ogpu_bo_set_placement(struct ogpu_bo *bo, u32 flags)
{
	unsigned int n = 0;

	if (flags & DRM_OGPU_BO_VRAM)
		bo->places[n++] = (struct ttm_place){
			.mem_type = TTM_PL_VRAM,
			.flags = flags & OGPU_BO_CONTIGUOUS ?
				 TTM_PL_FLAG_CONTIGUOUS : 0,
		};
	if (flags & DRM_OGPU_BO_SYSTEM) {
		bo->places[n] = (struct ttm_place){ .mem_type = TTM_PL_TT };
		/* Second choice: only when VRAM is out of the question. */
		if (n)
			bo->places[n].flags = TTM_PL_FLAG_FALLBACK;
		n++;
	}
	bo->placement.num_placement = n;
	bo->placement.placement = bo->places;
}

/**
 * ogpu_bo_create() - make a buffer object and place it
 * @odev: the device
 * @size: bytes, a multiple of PAGE_SIZE
 * @flags: DRM_OGPU_BO_* placement flags, already checked
 *
 * Return: the buffer with one reference, or an ERR_PTR().
 */
struct ogpu_bo *ogpu_bo_create(struct ogpu_device *odev, u64 size, u32 flags)
{
	/*
	 * A signal stops a long allocation; running out of system memory
	 * fails it rather than invoke the OOM killer, as in amdgpu.
	 */
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.gfp_retry_mayfail = true,
	};
	struct ogpu_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	drm_gem_private_object_init(&odev->drm, &bo->tbo.base, size);
	bo->tbo.base.funcs = &ogpu_gem_funcs;
	bo->flags = flags;
	ogpu_bo_set_placement(bo, flags);

	/* On failure TTM calls ogpu_bo_destroy(), which frees @bo. */
	ret = ttm_bo_init_reserved(&odev->bdev, &bo->tbo, ttm_bo_type_device,
				   &bo->placement, 0, &ctx, NULL, NULL,
				   ogpu_bo_destroy);
	if (ret)
		return ERR_PTR(ret);
	ttm_bo_unreserve(&bo->tbo);
	/* A buffer's mappings are protected by its reservation. */
	drm_gem_gpuva_set_lock(&bo->tbo.base, &bo->tbo.base.resv->lock.base);
	return bo;
}

static const struct ttm_place ogpu_import_place = {
	.mem_type = TTM_PL_SYSTEM,
};

static struct ttm_placement ogpu_import_placement = {
	.num_placement = 1,
	.placement = &ogpu_import_place,
};

/**
 * ogpu_bo_create_import() - a buffer for another driver's dma-buf
 * @odev: the device
 * @dma_buf: the dma-buf, of a page-multiple size
 *
 * A TTM buffer of type ttm_bo_type_sg that shares @dma_buf's reservation
 * and references @dma_buf until it is destroyed. It starts in
 * TTM_PL_SYSTEM, out of the device's reach, and may only go to TTM_PL_TT,
 * where ogpu_prime_import_move() maps the attachment the caller makes
 * next and sets &ogpu_bo.import_sgt.
 *
 * Return: the buffer with one reference, or an ERR_PTR().
 */
struct ogpu_bo *ogpu_bo_create_import(struct ogpu_device *odev,
				      struct dma_buf *dma_buf)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ogpu_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	drm_gem_private_object_init(&odev->drm, &bo->tbo.base, dma_buf->size);
	bo->tbo.base.funcs = &ogpu_gem_funcs;
	bo->flags = DRM_OGPU_BO_SYSTEM;
	ogpu_bo_set_placement(bo, bo->flags);
	get_dma_buf(dma_buf);
	bo->import_buf = dma_buf;

	/* TTM takes a reservation it is given as locked. */
	dma_resv_lock(dma_buf->resv, NULL);
	/* On failure TTM calls ogpu_bo_destroy(), which puts @dma_buf. */
	ret = ttm_bo_init_reserved(&odev->bdev, &bo->tbo, ttm_bo_type_sg,
				   &ogpu_import_placement, 0, &ctx, NULL,
				   dma_buf->resv, ogpu_bo_destroy);
	dma_resv_unlock(dma_buf->resv);
	if (ret)
		return ERR_PTR(ret);
	drm_gem_gpuva_set_lock(&bo->tbo.base, &bo->tbo.base.resv->lock.base);
	return bo;
}

/**
 * ogpu_bo_create_pinned() - a kernel buffer pinned in VRAM
 * @odev: the device
 * @size: bytes, a multiple of PAGE_SIZE
 * @contiguous: all in one piece, so the CPU can reach it at one offset
 *
 * For page tables and rings: cleared, never evicted, never seen by
 * userspace. Free with ogpu_bo_free_pinned().
 *
 * Return: the buffer, or an ERR_PTR().
 */
struct ogpu_bo *ogpu_bo_create_pinned(struct ogpu_device *odev, u64 size,
				      bool contiguous)
{
	struct ogpu_bo *bo;

	bo = ogpu_bo_create(odev, size, DRM_OGPU_BO_VRAM |
			    (contiguous ? OGPU_BO_CONTIGUOUS : 0));
	if (IS_ERR(bo))
		return bo;
	/* Nobody else knows the new buffer: the lock is free. */
	if (!dma_resv_trylock(bo->tbo.base.resv)) {
		drm_gem_object_put(&bo->tbo.base);
		return ERR_PTR(-EBUSY);
	}
	ttm_bo_pin(&bo->tbo);
	dma_resv_unlock(bo->tbo.base.resv);
	return bo;
}

/**
 * ogpu_bo_free_pinned() - free a buffer from ogpu_bo_create_pinned()
 * @bo: the buffer
 */
void ogpu_bo_free_pinned(struct ogpu_bo *bo)
{
	dma_resv_lock(bo->tbo.base.resv, NULL);
	ttm_bo_unpin(&bo->tbo);
	dma_resv_unlock(bo->tbo.base.resv);
	drm_gem_object_put(&bo->tbo.base);
}

/**
 * ogpu_bo_vram_offset() - where a contiguous VRAM buffer starts
 * @bo: a buffer from ogpu_bo_create_pinned()
 *
 * Return: its VRAM offset.
 */
u64 ogpu_bo_vram_offset(struct ogpu_bo *bo)
{
	return (u64)bo->tbo.resource->start << PAGE_SHIFT;
}

/**
 * ogpu_ioctl_bo_create() - DRM_IOCTL_OGPU_BO_CREATE
 * @dev: DRM device
 * @data: &struct drm_ogpu_bo_create
 * @file: DRM file
 *
 * Return: 0 or a negative errno.
 */
int ogpu_ioctl_bo_create(struct drm_device *dev, void *data,
			 struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_bo_create *args = data;
	struct ogpu_bo *bo;
	u64 size;
	int ret, idx;

	if (OGPU_CHECK(odev, args->flags & ~OGPU_BO_FLAGS) ||
	    OGPU_CHECK(odev, !(args->flags & OGPU_BO_FLAGS)) ||
	    OGPU_CHECK(odev, !args->size) ||
	    OGPU_CHECK(odev, args->size > U64_MAX - PAGE_SIZE))
		return -EINVAL;
	size = PAGE_ALIGN(args->size);

	/* Larger than every region it may go to: no eviction can help. */
	if (OGPU_CHECK(odev, !(args->flags & DRM_OGPU_BO_SYSTEM) &&
		       size > odev->info.vram_size) ||
	    OGPU_CHECK(odev, size > max(odev->gtt_size, odev->info.vram_size)))
		return -ENOSPC;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;

	bo = ogpu_bo_create(odev, size, args->flags);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		goto out;
	}

	ret = drm_gem_handle_create(file, &bo->tbo.base, &args->handle);
	/* The handle holds the reference now, or the buffer goes. */
	drm_gem_object_put(&bo->tbo.base);
	if (!ret)
		args->size = size;
out:
	drm_dev_exit(idx);
	return ret;
}

/**
 * ogpu_ioctl_bo_mmap_offset() - DRM_IOCTL_OGPU_BO_MMAP_OFFSET
 * @dev: DRM device
 * @data: &struct drm_ogpu_bo_mmap_offset
 * @file: DRM file
 *
 * Return: 0, -EINVAL for a non-zero pad, -ENOENT for an unknown handle.
 */
int ogpu_ioctl_bo_mmap_offset(struct drm_device *dev, void *data,
			      struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;

	if (OGPU_CHECK(odev, args->pad))
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}

/**
 * ogpu_show_fdinfo() - per-file memory use, for /proc/PID/fdinfo
 * @p: where to print
 * @file: the DRM file
 *
 * A buffer counts in the region it is in now. The file's table lock is a
 * spinlock, so a buffer whose reservation is contended counts in its first
 * choice of region rather than wait.
 */
void ogpu_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_memory_stats stats[2] = {};
	struct drm_gem_object *obj;
	int id;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		struct ogpu_bo *bo = gem_to_ogpu_bo(obj);
		struct drm_memory_stats *s;
		bool vram, resident;

		if (dma_resv_trylock(obj->resv)) {
			vram = bo->tbo.resource &&
			       bo->tbo.resource->mem_type == TTM_PL_VRAM;
			resident = vram || (bo->tbo.ttm &&
					    ttm_tt_is_populated(bo->tbo.ttm));
			dma_resv_unlock(obj->resv);
		} else {
			vram = bo->flags & DRM_OGPU_BO_VRAM;
			resident = true;
		}

		s = &stats[vram ? 0 : 1];
		if (drm_gem_object_is_shared_for_memory_stats(obj))
			s->shared += obj->size;
		else
			s->private += obj->size;
		if (resident)
			s->resident += obj->size;
	}
	spin_unlock(&file->table_lock);

	drm_print_memory_stats(p, &stats[0], DRM_GEM_OBJECT_RESIDENT, "vram");
	drm_print_memory_stats(p, &stats[1], DRM_GEM_OBJECT_RESIDENT, "system");
	drm_printf(p, "drm-engine-compute:\t%llu ns\n",
		   atomic64_read(&ofile->busy_ns[DRM_OGPU_ENGINE_CLASS_COMPUTE]));
	drm_printf(p, "drm-engine-copy:\t%llu ns\n",
		   atomic64_read(&ofile->busy_ns[DRM_OGPU_ENGINE_CLASS_COPY]));
	ogpu_vm_show_fdinfo(p, file);
	ogpu_link_show_fdinfo(p, to_ogpu_device(file->minor->dev));
}
