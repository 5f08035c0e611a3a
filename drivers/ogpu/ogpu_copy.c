// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: the driver's copy queue
 *
 * TTM moves buffers between VRAM and system memory with the copy engine.
 * The driver keeps the last hardware queue (OGPU_RING_COPY_SLOT) for
 * itself, running at high priority in MMU context 0, which no user VM
 * gets. Context 0 has page tables of its own (&ogpu_copy_queue.pt) with
 * the ring and two windows: one for the VRAM side of a move, one for its
 * system pages.
 *
 * A move goes window by window: the driver points the windows at the
 * next piece of each side, invalidates context 0's TLB, writes a COPY
 * and a FENCE packet and waits for the FENCE interrupt. Moves take turns
 * on &ogpu_copy_queue.lock, and each waits for its copy before it
 * returns, so TTM sees a finished move and no fence of the copy queue
 * escapes.
 *
 * When the copy engine is not there (the device is gone, a copy faulted
 * or timed out), the CPU copies through the VRAM aperture instead, and
 * hw_info in debugfs counts the bytes each way moved.
 */

#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_copy.h"
#include "ogpu_device.h"
#include "ogpu_hw.h"
#include "ogpu_mmu.h"
#include "ogpu_pt.h"
#include "ogpu_ring.h"
#include "drm/ogpu_drm.h"

#define OGPU_COPY_RING_SIZE	SZ_4K
#define OGPU_COPY_WINDOW	SZ_4M
/* Context 0's layout: the ring, then the two windows. */
#define OGPU_COPY_RING_VA	SZ_1M
#define OGPU_COPY_VRAM_VA	SZ_1G
#define OGPU_COPY_SYS_VA	(OGPU_COPY_VRAM_VA + OGPU_COPY_WINDOW)
#define OGPU_COPY_TIMEOUT	(5 * HZ)

/**
 * struct ogpu_copy_queue - the queue TTM's moves run on
 * @odev: the device
 * @pt: page tables of MMU context 0
 * @ring: the hardware queue, its ring and fence word
 * @lock: serialises moves: @ring, the windows and @seqno
 * @seqno: sequence number of the last copy
 * @wait: woken by the FENCE and QUEUE_ERROR interrupts
 * @error: set from the interrupt handler when the queue halts
 * @broken: a copy failed; the CPU does every move from now on
 */
struct ogpu_copy_queue {
	struct ogpu_device *odev;
	struct ogpu_pt_tree pt;
	struct ogpu_ring ring;
	struct mutex lock; /* see @lock above */
	u64 seqno;
	wait_queue_head_t wait;
	bool error;
	bool broken;
};

static bool ogpu_copy_done(struct ogpu_copy_queue *cq, u64 seq)
{
	return ogpu_ring_fence_seqno(&cq->ring) >= seq ||
	       READ_ONCE(cq->error);
}

/* Copy @size bytes from window to window and wait; 0 or -EIO. */
static int ogpu_copy_run_locked(struct ogpu_copy_queue *cq, u64 dst, u64 src,
				u64 size)
{
	struct ogpu_device *odev = cq->odev;
	u64 seq = ++cq->seqno;

	lockdep_assert_held(&cq->lock);

	ogpu_ring_emit_copy(&cq->ring, dst, src, size);
	ogpu_ring_emit_fence(&cq->ring, seq);
	ogpu_ring_kick(&cq->ring);

	if (!wait_event_timeout(cq->wait, ogpu_copy_done(cq, seq),
				OGPU_COPY_TIMEOUT) ||
	    ogpu_ring_fence_seqno(&cq->ring) < seq) {
		drm_err(&odev->drm, "copy engine failed a move; the CPU moves buffers from now on\n");
		ogpu_ring_stop(&cq->ring);
		cq->broken = true;
		return -EIO;
	}
	return 0;
}

/**
 * ogpu_copy_move() - copy a buffer between VRAM and its system pages
 * @odev: the device
 * @vram: the buffer's VRAM resource
 * @tt: the buffer's system pages, populated and DMA-mapped
 * @size: bytes
 * @to_vram: the direction
 *
 * Return: 0 when the copy engine did it; -ENODEV when there is no copy
 * engine to use (the caller copies with the CPU); -EIO when it failed.
 */
int ogpu_copy_move(struct ogpu_device *odev, struct ttm_resource *vram,
		   struct ttm_tt *tt, u64 size, bool to_vram)
{
	struct ogpu_copy_queue *cq = odev->copy_queue;
	u64 off, len;
	int ret = 0;

	if (!cq || !tt->dma_address)
		return -ENODEV;

	mutex_lock(&cq->lock);
	if (cq->broken) {
		mutex_unlock(&cq->lock);
		return -ENODEV;
	}
	for (off = 0; off < size && !ret; off += len) {
		len = min_t(u64, size - off, OGPU_COPY_WINDOW);
		ogpu_pt_map_pages(&cq->pt, OGPU_COPY_VRAM_VA, len, vram, NULL,
				  off);
		ogpu_pt_map_pages(&cq->pt, OGPU_COPY_SYS_VA, len, NULL, tt, off);
		ogpu_mmu_invalidate(odev, OGPU_COPY_CTX);
		if (to_vram)
			ret = ogpu_copy_run_locked(cq, OGPU_COPY_VRAM_VA,
						   OGPU_COPY_SYS_VA, len);
		else
			ret = ogpu_copy_run_locked(cq, OGPU_COPY_SYS_VA,
						   OGPU_COPY_VRAM_VA, len);
	}
	mutex_unlock(&cq->lock);
	if (!ret)
		atomic64_add(size, &odev->bytes_copy_engine);
	return ret;
}

/* The copy queue's FENCE interrupt, in hard-IRQ context. */
static void ogpu_copy_fence_irq(struct ogpu_ring *ring)
{
	struct ogpu_copy_queue *cq = container_of(ring, struct ogpu_copy_queue,
						  ring);

	wake_up(&cq->wait);
}

/* The copy queue's QUEUE_ERROR interrupt, in hard-IRQ context. */
static void ogpu_copy_error_irq(struct ogpu_ring *ring)
{
	struct ogpu_copy_queue *cq = container_of(ring, struct ogpu_copy_queue,
						  ring);

	WRITE_ONCE(cq->error, true);
	wake_up(&cq->wait);
}

static const struct ogpu_ring_ops ogpu_copy_ring_ops = {
	.fence = ogpu_copy_fence_irq,
	.error = ogpu_copy_error_irq,
};

/* Unload context 0 and free its page tables. */
static void ogpu_copy_pt_fini(struct ogpu_copy_queue *cq)
{
	int idx;

	if (drm_dev_enter(&cq->odev->drm, &idx)) {
		ogpu_mmu_ctx_unload(cq->odev, OGPU_COPY_CTX);
		drm_dev_exit(idx);
	}
	ogpu_pt_tree_fini(&cq->pt);
}

static void ogpu_copy_fini(struct drm_device *drm, void *arg)
{
	struct ogpu_copy_queue *cq = arg;
	struct ogpu_device *odev = cq->odev;
	int idx;

	if (drm_dev_enter(drm, &idx)) {
		ogpu_ring_stop(&cq->ring);
		drm_dev_exit(idx);
	}
	ogpu_ring_unpublish(&cq->ring);
	odev->copy_queue = NULL;
	ogpu_copy_pt_fini(cq);
	ogpu_ring_fini(&cq->ring);
	mutex_destroy(&cq->lock);
	kfree(cq);
}

/**
 * ogpu_copy_init() - start the copy queue that TTM's moves use
 * @odev: the device, with TTM and the interrupt handler set up
 *
 * Stopped by a managed action, before TTM goes.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_copy_init(struct ogpu_device *odev)
{
	struct ogpu_copy_queue *cq;
	int ret;

	cq = kzalloc(sizeof(*cq), GFP_KERNEL);
	if (!cq)
		return -ENOMEM;
	cq->odev = odev;
	mutex_init(&cq->lock);
	init_waitqueue_head(&cq->wait);

	ret = ogpu_pt_tree_init(&cq->pt, odev, OGPU_COPY_CTX, 0);
	if (ret)
		goto err_free;
	ogpu_mmu_ctx_load(odev, OGPU_COPY_CTX, ogpu_pt_root_addr(&cq->pt));
	ret = ogpu_ring_init(&cq->ring, odev, OGPU_RING_COPY,
			     OGPU_COPY_RING_SIZE, &ogpu_copy_ring_ops);
	if (ret)
		goto err_pt;
	ret = ogpu_pt_map_bo(&cq->pt, cq->ring.bo, 0, OGPU_COPY_RING_VA,
			     ogpu_ring_bo_size(&cq->ring),
			     DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE |
			     DRM_OGPU_VM_BIND_EXEC | OGPU_VM_MAP_PRIV);
	if (!ret)
		ret = ogpu_pt_prepare(&cq->pt, OGPU_COPY_VRAM_VA,
				      2 * OGPU_COPY_WINDOW);
	if (ret)
		goto err_ring;

	ogpu_ring_start(&cq->ring, OGPU_COPY_RING_VA, OGPU_COPY_CTX,
			DRM_OGPU_QUEUE_PRIORITY_HIGH);
	odev->copy_queue = cq;
	ogpu_ring_publish(&cq->ring);
	return drmm_add_action_or_reset(&odev->drm, ogpu_copy_fini, cq);

err_ring:
	ogpu_ring_fini(&cq->ring);
err_pt:
	ogpu_copy_pt_fini(cq);
err_free:
	mutex_destroy(&cq->lock);
	kfree(cq);
	return ret;
}
