// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: PRIME: sharing buffers through dma-buf
 *
 * A buffer object exports to a dma-buf (DRM_IOCTL_PRIME_HANDLE_TO_FD) that
 * any other driver can import, and a dma-buf of any driver imports
 * (DRM_IOCTL_PRIME_FD_TO_HANDLE) into a buffer object that VM_BIND maps and
 * the GPU reads and writes like any other. The model is amdgpu's and xe's
 * dma-buf code, simplified: the OGPU has no PCI BAR through which another
 * device could reach its VRAM, so everything shared crosses system memory.
 *
 * Export. The dma-buf shares the buffer's reservation and is *dynamic*: it
 * has pin and unpin callbacks, so the buffer is pinned only while an
 * importer that cannot follow moves (a non-dynamic one, such as vgem)
 * holds a mapping. Such a pin moves the buffer to TTM_PL_TT (a VRAM buffer
 * migrates) and narrows its placement to TT until the last unpin, so that
 * the driver's own validations (VM_BIND, submission) keep it there. A
 * dynamic importer's mapping (map_dma_buf) migrates an unpinned buffer to
 * TT and hands out its system pages, DMA-mapped for the importer's device;
 * the buffer may move later (back to VRAM when the exporter's own work
 * validates it, to swap under memory pressure): ogpu_bo_move() calls
 * ogpu_prime_bo_moving(), which tells the importers with
 * dma_buf_move_notify() before anything moves, under the reservation.
 *
 * Import. A dma-buf exported by this same device gives back the same GEM
 * object. One exported by another OGPU joined to this one by a usable
 * link is reached through the PEER aperture while the exporter keeps it
 * in VRAM (ogpu_prime_import_peer()); otherwise, and without a link, it
 * is imported like any other driver's. Anything else becomes a TTM buffer of type ttm_bo_type_sg
 * that shares the dma-buf's reservation, with a dynamic attachment. It
 * lives in TTM_PL_SYSTEM (out of the GPU's reach) or TTM_PL_TT: moving
 * it to TT maps the attachment and copies its DMA addresses into the
 * ttm_tt, where the page-table code finds them as for the driver's own
 * system pages (the SYSTEM aperture); moving it back to SYSTEM unmaps
 * them. VM_BIND and every submission validate a VM's buffers into their
 * placement, so an import is mapped whenever work may use it. When the
 * exporter moves the pages, its move_notify evicts the import to SYSTEM:
 * TTM waits for the GPU work in the shared reservation, the page-table
 * entries become non-present and the attachment is unmapped; the next
 * VM_BIND or submission maps the new pages and rewrites the entries. An
 * exporter that is not dynamic (vgem) pins its pages for as long as the
 * attachment lasts and never moves them.
 *
 * Freeing. The import's dma-buf reference and attachment go in
 * ogpu_bo_destroy(), after TTM's delayed delete waited for the GPU and
 * unmapped the pages (ogpu_bo_delete_mem_notify()), so no stale mapping
 * survives and no move notification reaches a freed buffer. TTM always
 * deletes an import in the background: the device's teardown
 * (ogpu_ttm_fini()) waits for those deletes first. An exported
 * buffer lives as long as its dma-buf holds it, whatever happens to its
 * handles; &ogpu_bo.dma_buf is cleared under the reservation when the
 * dma-buf is released.
 *
 * Locking: every callback here runs with the buffer's reservation held
 * (the dma-buf's, which an import shares), taken by the dma-buf core, by
 * TTM or by VM_BIND and submission through drm_exec. Nothing here takes
 * another reservation; evicting an import inside its exporter's move
 * takes the importing VMs' &ogpu_pt_tree.lock, as any move does.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/module.h>
#include <linux/scatterlist.h>

#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_device.h"
#include "ogpu_gem.h"
#include "drm/ogpu_drm.h"

MODULE_IMPORT_NS(DMA_BUF);

static const struct ttm_place ogpu_prime_tt_place = {
	.mem_type = TTM_PL_TT,
};

static struct ttm_placement ogpu_prime_tt = {
	.num_placement = 1,
	.placement = &ogpu_prime_tt_place,
};

static const struct ttm_place ogpu_prime_sys_place = {
	.mem_type = TTM_PL_SYSTEM,
};

static struct ttm_placement ogpu_prime_sys = {
	.num_placement = 1,
	.placement = &ogpu_prime_sys_place,
};

static const struct ttm_place ogpu_prime_vram_place = {
	.mem_type = TTM_PL_VRAM,
};

static struct ttm_placement ogpu_prime_vram = {
	.num_placement = 1,
	.placement = &ogpu_prime_vram_place,
};

static const struct dma_buf_ops ogpu_dma_buf_ops;

static struct ogpu_bo *attach_to_bo(struct dma_buf_attachment *attach)
{
	return gem_to_ogpu_bo(attach->dmabuf->priv);
}

static int ogpu_dma_buf_attach(struct dma_buf *dma_buf,
			       struct dma_buf_attachment *attach)
{
	/* No BAR to reach VRAM through: every importer gets system pages. */
	attach->peer2peer = false;
	return 0;
}

static int ogpu_dma_buf_pin(struct dma_buf_attachment *attach)
{
	struct ogpu_bo *bo = attach_to_bo(attach);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	int ret;

	dma_resv_assert_held(bo->tbo.base.resv);

	if (!bo->tbo.pin_count) {
		/* In TT, and kept there by the driver's own validations. */
		ogpu_bo_set_placement(bo, DRM_OGPU_BO_SYSTEM);
		ret = ttm_bo_validate(&bo->tbo, &bo->placement, &ctx);
		if (ret) {
			ogpu_bo_set_placement(bo, bo->flags);
			return ret;
		}
	}
	ttm_bo_pin(&bo->tbo);
	return 0;
}

static void ogpu_dma_buf_unpin(struct dma_buf_attachment *attach)
{
	struct ogpu_bo *bo = attach_to_bo(attach);

	dma_resv_assert_held(bo->tbo.base.resv);

	ttm_bo_unpin(&bo->tbo);
	if (!bo->tbo.pin_count)
		ogpu_bo_set_placement(bo, bo->flags);
}

static struct sg_table *ogpu_dma_buf_map(struct dma_buf_attachment *attach,
					 enum dma_data_direction dir)
{
	struct ogpu_bo *bo = attach_to_bo(attach);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_buffer_object *tbo = &bo->tbo;
	struct sg_table *sgt;
	int ret;

	dma_resv_assert_held(tbo->base.resv);

	/* A pinned buffer is in TT already (ogpu_dma_buf_pin()). */
	if (!tbo->pin_count) {
		ret = ttm_bo_validate(tbo, &ogpu_prime_tt, &ctx);
		if (ret)
			return ERR_PTR(ret);
	}
	if (tbo->resource->mem_type != TTM_PL_TT || !tbo->ttm ||
	    !tbo->ttm->pages || !ttm_tt_is_populated(tbo->ttm))
		return ERR_PTR(-EINVAL);

	sgt = drm_prime_pages_to_sg(tbo->base.dev, tbo->ttm->pages,
				    tbo->ttm->num_pages);
	if (IS_ERR(sgt))
		return sgt;
	ret = dma_map_sgtable(attach->dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (ret) {
		sg_free_table(sgt);
		kfree(sgt);
		return ERR_PTR(ret);
	}
	return sgt;
}

static void ogpu_dma_buf_unmap(struct dma_buf_attachment *attach,
			       struct sg_table *sgt,
			       enum dma_data_direction dir)
{
	dma_unmap_sgtable(attach->dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
}

static void ogpu_dma_buf_release(struct dma_buf *dma_buf)
{
	struct ogpu_bo *bo = gem_to_ogpu_bo(dma_buf->priv);

	/* No more move notifications to a dma-buf that is going away. */
	dma_resv_lock(dma_buf->resv, NULL);
	if (bo->dma_buf == dma_buf)
		bo->dma_buf = NULL;
	dma_resv_unlock(dma_buf->resv);
	drm_gem_dmabuf_release(dma_buf);
}

static const struct dma_buf_ops ogpu_dma_buf_ops = {
	.attach = ogpu_dma_buf_attach,
	.pin = ogpu_dma_buf_pin,
	.unpin = ogpu_dma_buf_unpin,
	.map_dma_buf = ogpu_dma_buf_map,
	.unmap_dma_buf = ogpu_dma_buf_unmap,
	.release = ogpu_dma_buf_release,
	.mmap = drm_gem_dmabuf_mmap,
};

/**
 * ogpu_gem_prime_export() - &drm_gem_object_funcs.export
 * @obj: a buffer of this device (the DRM core re-exports an import's own
 *	 dma-buf instead)
 * @flags: the dma-buf file's flags (O_CLOEXEC, O_RDWR), already checked
 *
 * Return: a dynamic dma-buf sharing the buffer's reservation, or an
 * ERR_PTR().
 */
struct dma_buf *ogpu_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	struct ogpu_bo *bo = gem_to_ogpu_bo(obj);
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct dma_buf *dma_buf;

	exp_info.ops = &ogpu_dma_buf_ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;

	dma_buf = drm_gem_dmabuf_export(obj->dev, &exp_info);
	if (IS_ERR(dma_buf))
		return dma_buf;
	dma_resv_lock(obj->resv, NULL);
	bo->dma_buf = dma_buf;
	dma_resv_unlock(obj->resv);
	return dma_buf;
}

/**
 * ogpu_prime_bo_moving() - an exported buffer is about to move
 * @bo: the buffer, reserved, idle
 *
 * Called by ogpu_bo_move() for every buffer of the device: if it is
 * exported, each dynamic importer lets go of its pages now, before TTM
 * frees them or copies them elsewhere. Pinned importers never see a move.
 */
void ogpu_prime_bo_moving(struct ogpu_bo *bo)
{
	dma_resv_assert_held(bo->tbo.base.resv);

	if (bo->dma_buf)
		dma_buf_move_notify(bo->dma_buf);
}

/**
 * ogpu_prime_import_unmap() - let go of an import's pages
 * @bo: an import, reserved
 *
 * After this the page-table entries of @bo must not be used: its caller
 * either moves it to TTM_PL_SYSTEM (whose entries are non-present) or
 * frees it.
 */
void ogpu_prime_import_unmap(struct ogpu_bo *bo)
{
	struct ttm_tt *tt = bo->tbo.ttm;

	dma_resv_assert_held(bo->tbo.base.resv);

	if (!bo->import_sgt)
		return;
	dma_buf_unmap_attachment(bo->tbo.base.import_attach, bo->import_sgt,
				 DMA_BIDIRECTIONAL);
	bo->import_sgt = NULL;
	if (tt)
		memset(tt->dma_address, 0, tt->num_pages * sizeof(dma_addr_t));
}

/* Does @sgt cover @size bytes, in whole pages? */
static bool ogpu_prime_sgt_covers(struct sg_table *sgt, u64 size)
{
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (!PAGE_ALIGNED(sg_dma_address(sg)) ||
		    !PAGE_ALIGNED(sg_dma_len(sg)))
			return false;
		total += sg_dma_len(sg);
	}
	return total == size;
}

static int ogpu_prime_import_peer(struct ogpu_device *odev,
				  struct ogpu_bo *bo, struct dma_buf *dma_buf);

/*
 * A link-only import coming into reach: a link must still be usable (the
 * best one now, which may not be the port of the last mapping), and the
 * exporter's buffer in its VRAM, brought back there if it left. The
 * exporter's move tells every importer, this one included, which is in
 * SYSTEM and stays there.
 */
static int ogpu_prime_link_only_map(struct ogpu_bo *bo,
				    struct ttm_operation_ctx *ctx)
{
	struct ogpu_device *odev = to_ogpu_device(bo->tbo.base.dev);
	struct ogpu_bo *exp;
	int ret;

	ret = ogpu_prime_import_peer(odev, bo, bo->import_buf);
	if (ret)
		return ret;
	exp = bo->peer;
	if (!(exp->flags & DRM_OGPU_BO_VRAM))
		return -ENOLINK;
	if (exp->tbo.resource && exp->tbo.resource->mem_type == TTM_PL_VRAM)
		return 0;
	if (exp->tbo.pin_count)
		return -EBUSY;
	return ttm_bo_validate(&exp->tbo, &ogpu_prime_vram, ctx);
}

/**
 * ogpu_prime_import_move() - the TTM move of an import
 * @bo: an import (ttm_bo_type_sg), reserved, idle
 * @new_mem: where it goes: TTM_PL_TT or TTM_PL_SYSTEM
 * @ctx: TTM's operation context
 *
 * Into TT: a peer import whose exporter is in VRAM maps that VRAM through
 * the PEER aperture (&ogpu_bo.peer_vram); any other import maps the
 * attachment and copies its DMA addresses into the ttm_tt. Then wait for
 * the exporter's kernel fences (it may still be moving its memory there).
 * Into SYSTEM: unmap. The caller rewrites the page-table entries of @bo's
 * mappings afterwards.
 *
 * Return: 0, or a negative errno with @bo where it was.
 */
int ogpu_prime_import_move(struct ogpu_bo *bo, struct ttm_resource *new_mem,
			   struct ttm_operation_ctx *ctx)
{
	struct ttm_buffer_object *tbo = &bo->tbo;
	struct ogpu_device *odev = to_ogpu_device(tbo->base.dev);
	struct sg_table *sgt;
	long wait;
	int ret;

	ogpu_prime_import_unmap(bo);
	bo->peer_vram = false;
	if (new_mem->mem_type != TTM_PL_TT)
		goto out;

	if (bo->peer_required) {
		ret = ogpu_prime_link_only_map(bo, ctx);
		if (ret)
			return ret;
	}

	/*
	 * Over the link, where the exporter's buffer now is. It stays there
	 * until its move tells this import (move_notify) under the shared
	 * reservation, which is held here.
	 */
	if (bo->peer && bo->peer->tbo.resource &&
	    bo->peer->tbo.resource->mem_type == TTM_PL_VRAM) {
		bo->peer_vram = true;
		goto wait;
	}

	sgt = dma_buf_map_attachment(tbo->base.import_attach,
				     DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	bo->import_sgt = sgt;
	/* Another driver's table: never trust it to be page for page. */
	if (OGPU_CHECK(odev, !ogpu_prime_sgt_covers(sgt, tbo->base.size))) {
		ret = -EINVAL;
		goto err_unmap;
	}
	ret = drm_prime_sg_to_dma_addr_array(sgt, tbo->ttm->dma_address,
					     tbo->ttm->num_pages);
	if (ret)
		goto err_unmap;
wait:
	wait = dma_resv_wait_timeout(tbo->base.resv, DMA_RESV_USAGE_KERNEL,
				     ctx->interruptible, MAX_SCHEDULE_TIMEOUT);
	if (wait < 0) {
		ret = wait;
		goto err_unmap;
	}
out:
	ttm_bo_move_null(tbo, new_mem);
	return 0;

err_unmap:
	bo->peer_vram = false;
	ogpu_prime_import_unmap(bo);
	return ret;
}

/* The exporter moves the pages: be out of the GPU's reach until then. */
static void ogpu_prime_move_notify(struct dma_buf_attachment *attach)
{
	struct drm_gem_object *obj = attach->importer_priv;
	struct ogpu_bo *bo = gem_to_ogpu_bo(obj);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	int ret;

	dma_resv_assert_held(obj->resv);

	/*
	 * Evict to SYSTEM: TTM waits for the work in the reservation,
	 * ogpu_bo_move() unmaps the attachment and clears the entries of
	 * every mapping. Nothing happens for a buffer already there, such
	 * as one whose own move to TT made the exporter migrate. Moving to
	 * SYSTEM allocates nothing but TTM's small resource.
	 */
	ret = ttm_bo_validate(&bo->tbo, &ogpu_prime_sys, &ctx);
	if (ret)
		drm_err(obj->dev, "evicting an import failed: %d\n", ret);
}

static const struct dma_buf_attach_ops ogpu_prime_importer_ops = {
	.allow_peer2peer = false,
	.move_notify = ogpu_prime_move_notify,
};

/**
 * ogpu_prime_import_peer() - reach another OGPU's buffer over a link
 * @odev: the importing device
 * @bo: the import of @dma_buf: new, not yet seen by anyone, or reserved
 * @dma_buf: the dma-buf, of any driver
 *
 * When a usable link joins the two devices (the P2P query says OK, so
 * not disabled by an administrator nor below the bandwidth threshold),
 * the import maps the exporter's VRAM through the PEER aperture whenever
 * the exporter's buffer is in VRAM, and its system pages otherwise.
 * Without one, it is imported like any other driver's buffer, through
 * system memory. The port is chosen now: if its link goes down later, the
 * GPU's accesses through it fault (link down), naming the port.
 *
 * Return: 0 with &ogpu_bo.peer set, or -ENOLINK (another driver's
 * buffer, or no usable link; -ENODEV once the importing device is gone)
 * with @bo as it was.
 */
static int ogpu_prime_import_peer(struct ogpu_device *odev,
				  struct ogpu_bo *bo, struct dma_buf *dma_buf)
{
	struct ogpu_device *peer;
	struct ogpu_bo *exp;
	u32 port;
	int ret;

	if (dma_buf->ops != &ogpu_dma_buf_ops)
		return -ENOLINK;
	exp = gem_to_ogpu_bo(dma_buf->priv);
	peer = to_ogpu_device(exp->tbo.base.dev);
	ret = ogpu_link_peer_port(odev, peer, &port);
	if (ret)
		return ret;
	bo->peer = exp;
	bo->peer_port = port;
	drm_dbg(&odev->drm, "import of ogpu %u's buffer over link port %u\n",
		peer->info.instance, port);
	return 0;
}

/**
 * ogpu_gem_prime_import() - &drm_driver.gem_prime_import
 * @dev: the importing device
 * @dma_buf: the dma-buf
 *
 * Return: the device's own object for its own dma-buf, else a new import
 * with a dynamic attachment; or an ERR_PTR(): -EINVAL for a size that is
 * not a multiple of the page size, -ENOSPC for one larger than the
 * system memory the device may reach.
 */
struct drm_gem_object *ogpu_gem_prime_import(struct drm_device *dev,
					     struct dma_buf *dma_buf)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct dma_buf_attachment *attach;
	struct drm_gem_object *obj;
	struct ogpu_bo *bo;

	if (dma_buf->ops == &ogpu_dma_buf_ops) {
		obj = dma_buf->priv;
		/* Our own buffer: the same object, one more reference. */
		if (obj->dev == dev) {
			drm_gem_object_get(obj);
			return obj;
		}
	}

	if (OGPU_CHECK(odev, !dma_buf->size ||
		       !PAGE_ALIGNED(dma_buf->size)))
		return ERR_PTR(-EINVAL);
	if (OGPU_CHECK(odev, dma_buf->size > odev->gtt_size))
		return ERR_PTR(-ENOSPC);

	bo = ogpu_bo_create_import(odev, dma_buf);
	if (IS_ERR(bo))
		return ERR_CAST(bo);
	/* Without a usable link, through system memory. */
	ogpu_prime_import_peer(odev, bo, dma_buf);
	/* Move notifications may come from here on; @bo is in SYSTEM. */
	attach = dma_buf_dynamic_attach(dma_buf, dev->dev,
					&ogpu_prime_importer_ops,
					&bo->tbo.base);
	if (IS_ERR(attach)) {
		drm_gem_object_put(&bo->tbo.base);
		return ERR_CAST(attach);
	}
	/* Before anyone else sees @bo, so without the reservation. */
	bo->tbo.base.import_attach = attach;
	return &bo->tbo.base;
}

/*
 * Whether @odev may import @dma_buf link-only: its own buffer, or another
 * OGPU's that may live in VRAM, over a usable link; 0 or -ENOLINK. Only a
 * first answer, so that a refused import makes nothing: the ioctl's fd may
 * name another dma-buf by the time it is imported (another thread's
 * dup2()), so the mappings check again (ogpu_prime_link_only_map()).
 */
static int ogpu_prime_link_only_check(struct ogpu_device *odev,
				      struct dma_buf *dma_buf)
{
	struct ogpu_bo *exp;
	u32 port;

	if (dma_buf->ops != &ogpu_dma_buf_ops) {
		drm_dbg(&odev->drm, "link-only import of another driver's buffer\n");
		return -ENOLINK;
	}
	exp = gem_to_ogpu_bo(dma_buf->priv);
	if (exp->tbo.base.dev == &odev->drm)
		return 0;
	if (!(exp->flags & DRM_OGPU_BO_VRAM)) {
		drm_dbg(&odev->drm, "link-only import of a host-memory buffer\n");
		return -ENOLINK;
	}
	return ogpu_link_peer_port(odev, to_ogpu_device(exp->tbo.base.dev),
				   &port);
}

/**
 * ogpu_ioctl_prime_import() - DRM_IOCTL_OGPU_PRIME_IMPORT
 * @dev: DRM device
 * @data: &struct drm_ogpu_prime_import
 * @file: DRM file
 *
 * DRM_IOCTL_PRIME_FD_TO_HANDLE, then the path: a link-only import is
 * marked so (&ogpu_bo.peer_required) under the reservation, and one that
 * was mapped through system memory before (the file imported the same
 * dma-buf without the flag) is evicted, so that its next mapping goes
 * over the link. If the link went down between the check and the import,
 * the import is made, and its mappings fail with -ENOLINK.
 *
 * Return: 0 or a negative errno, as &struct drm_ogpu_prime_import says.
 */
int ogpu_ioctl_prime_import(struct drm_device *dev, void *data,
			    struct drm_file *file)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_prime_import *args = data;
	bool link_only = args->flags & DRM_OGPU_IMPORT_LINK_ONLY;
	struct drm_gem_object *obj;
	struct dma_buf *dma_buf;
	struct ogpu_bo *bo;
	u32 handle;
	int ret;

	if (OGPU_CHECK(odev, args->flags & ~DRM_OGPU_IMPORT_LINK_ONLY) ||
	    OGPU_CHECK(odev, args->pad))
		return -EINVAL;
	if (link_only) {
		dma_buf = dma_buf_get(args->fd);
		if (IS_ERR(dma_buf))
			return PTR_ERR(dma_buf);
		ret = ogpu_prime_link_only_check(odev, dma_buf);
		dma_buf_put(dma_buf);
		if (ret)
			return ret;
	}
	ret = drm_gem_prime_fd_to_handle(dev, file, args->fd, &handle);
	if (ret)
		return ret;
	/* Another thread of the file may close the handle meanwhile. */
	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;
	bo = gem_to_ogpu_bo(obj);
	args->handle = handle;
	args->path = DRM_OGPU_P2P_PATH_SELF;
	args->port = 0;
	if (!bo->import_buf)
		goto out;

	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret)
		goto out;
	if (link_only) {
		bo->peer_required = true;
		/*
		 * An earlier import without a link has none yet; if the link
		 * is gone again, or the fd changed under the check, the
		 * mappings say so (-ENOLINK).
		 */
		if (!bo->peer)
			ogpu_prime_import_peer(odev, bo, bo->import_buf);
		/* Again after an interrupted eviction: the ioctl restarts. */
		if (bo->tbo.resource->mem_type == TTM_PL_TT && !bo->peer_vram)
			ret = ttm_bo_validate(&bo->tbo, &ogpu_prime_sys, &ctx);
	}
	args->path = bo->peer || bo->peer_required ?
		     DRM_OGPU_P2P_PATH_LINK : DRM_OGPU_P2P_PATH_NONE;
	args->port = bo->peer ? bo->peer_port : 0;
	dma_resv_unlock(obj->resv);
out:
	drm_gem_object_put(obj);
	return ret;
}
