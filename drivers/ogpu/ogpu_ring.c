// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: rings
 *
 * A ring (&struct ogpu_ring) is the driver's side of one of the device's
 * hardware queues: the slot, the ring buffer the command processor reads,
 * its write pointer and doorbell, and the fence word its FENCE packets
 * write. Two kinds of owner use rings and know nothing of each other: the
 * user queues of ogpu_queue.c, on drm_sched, and the driver's copy queue
 * of ogpu_copy.c, which TTM's moves run on.
 *
 * Slots: user queues take any free hardware queue below
 * %OGPU_RING_COPY_SLOT from &ogpu_device.ring_ida; the last one,
 * %OGPU_RING_COPY_SLOT, belongs to the copy queue alone.
 *
 * A ring's life::
 *
 *   ogpu_ring_init()        slot, and the pinned VRAM buffer of the ring
 *                           and the fence word
 *   (owner maps it)         ogpu_ring_bo_size() bytes in its VM
 *   ogpu_ring_start()       reset the hardware queue, point it at the ring
 *   ogpu_ring_publish()     the interrupt handler calls the ring's ops
 *   ogpu_ring_emit_*(), ogpu_ring_kick()   ... submissions ...
 *   ogpu_ring_stop()        disable and reset the hardware queue
 *   ogpu_ring_unpublish()   no callback runs or will run for it
 *   (owner unmaps it)
 *   ogpu_ring_fini()        free the buffer and the slot
 *
 * Packets reach the ring only through the typed emitters
 * (ogpu_ring_emit_indirect(), _copy(), _fence()), built on the encoders of
 * ogpu_packets.h, and the device sees them at ogpu_ring_kick(), which
 * publishes the write pointer and rings the doorbell.
 *
 * Interrupts: ogpu_ring_fence_irq() and ogpu_ring_error_irq() read and
 * acknowledge the per-slot status register of OGPU_HW_IRQ_FENCE or
 * OGPU_HW_IRQ_QUEUE_ERROR and call, for each slot it names, the &ogpu_ring_ops
 * callback of the ring published there; slots with no ring are ignored.
 *
 * Locking: &ogpu_device.ring_lock, a spinlock taken in hard IRQ, protects
 * &ogpu_device.rings. The callbacks run under it, so once
 * ogpu_ring_unpublish() has returned none runs for the ring any more and
 * its owner may free what they use. Callbacks take their owner's locks
 * inside it (a queue's &ogpu_queue.fence_lock, the copy queue's wait
 * queue). Nothing protects a ring's buffer and write pointer but its
 * owner's guarantee of one writer at a time: the scheduler's run_job for
 * a user queue, &ogpu_copy_queue.lock for the copy queue. Slot numbers
 * come from the IDA, under its own lock.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/spinlock.h>

#include "ogpu_device.h"
#include "ogpu_gem.h"
#include "ogpu_hw.h"
#include "ogpu_packets.h"
#include "ogpu_ring.h"

/**
 * ogpu_ring_init() - take a hardware queue and allocate its ring
 * @ring: the ring to set up
 * @odev: the device
 * @kind: a user queue's slot or the copy slot
 * @size: bytes of ring, a power of two
 * @ops: the owner's interrupt callbacks
 *
 * Return: 0; -ENOSPC when every user slot is taken; or another negative
 * errno.
 */
int ogpu_ring_init(struct ogpu_ring *ring, struct ogpu_device *odev,
		   enum ogpu_ring_kind kind, u32 size,
		   const struct ogpu_ring_ops *ops)
{
	int ret;

	*ring = (struct ogpu_ring){
		.odev = odev,
		.ops = ops,
		.kind = kind,
		.size = size,
	};
	if (kind == OGPU_RING_COPY) {
		ring->slot = OGPU_RING_COPY_SLOT;
	} else {
		ret = ida_alloc_max(&odev->ring_ida, OGPU_RING_USER_SLOTS - 1,
				    GFP_KERNEL);
		if (ret < 0)
			return ret;
		ring->slot = ret;
	}

	ring->bo = ogpu_bo_create_pinned(odev, ogpu_ring_bo_size(ring), true);
	if (IS_ERR(ring->bo)) {
		ret = PTR_ERR(ring->bo);
		goto err_slot;
	}
	ring->cpu = odev->vram + ogpu_bo_vram_offset(ring->bo);
	ring->fence_word = (void *)ring->cpu + size;
	return 0;

err_slot:
	if (kind == OGPU_RING_USER)
		ida_free(&odev->ring_ida, ring->slot);
	return ret;
}

/**
 * ogpu_ring_fini() - free a ring's buffer and give back its slot
 * @ring: the ring, stopped, unpublished and unmapped
 */
void ogpu_ring_fini(struct ogpu_ring *ring)
{
	ogpu_bo_free_pinned(ring->bo);
	if (ring->kind == OGPU_RING_USER)
		ida_free(&ring->odev->ring_ida, ring->slot);
}

/**
 * ogpu_ring_start() - reset a hardware queue and start it on its ring
 * @ring: the ring, empty
 * @va: the ring's GPU VA in MMU context @ctx
 * @ctx: the MMU context the queue runs in
 * @prio: DRM_OGPU_QUEUE_PRIORITY_*
 */
void ogpu_ring_start(struct ogpu_ring *ring, u64 va, u32 ctx, u32 prio)
{
	u32 base = OGPU_HW_REG_Q(ring->slot);

	ring->va = va;
	ring->wptr = 0;
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_RESET, 1);
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_RING_LO, lower_32_bits(va));
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_RING_HI, upper_32_bits(va));
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_RING_SIZE, ring->size);
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_WPTR, 0);
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_CONTROL, OGPU_HW_QC(ctx, prio));
}

/**
 * ogpu_ring_stop() - disable and reset a hardware queue
 * @ring: the ring
 *
 * Any context, also hard IRQ.
 */
void ogpu_ring_stop(struct ogpu_ring *ring)
{
	ogpu_reg_write(ring->odev, OGPU_HW_REG_Q(ring->slot) + OGPU_HW_Q_CONTROL, 0);
	ogpu_reg_write(ring->odev, OGPU_HW_REG_Q(ring->slot) + OGPU_HW_Q_RESET, 1);
}

/**
 * ogpu_ring_publish() - let the interrupt handler call the ring's ops
 * @ring: the ring, started
 */
void ogpu_ring_publish(struct ogpu_ring *ring)
{
	struct ogpu_device *odev = ring->odev;

	spin_lock_irq(&odev->ring_lock);
	odev->rings[ring->slot] = ring;
	spin_unlock_irq(&odev->ring_lock);
}

/**
 * ogpu_ring_unpublish() - stop calling the ring's ops
 * @ring: the ring
 *
 * When this returns, no callback of the ring runs, or will.
 */
void ogpu_ring_unpublish(struct ogpu_ring *ring)
{
	struct ogpu_device *odev = ring->odev;

	spin_lock_irq(&odev->ring_lock);
	odev->rings[ring->slot] = NULL;
	spin_unlock_irq(&odev->ring_lock);
}

/* Write the packet @w of @ndw words, from an ogpu_pkt_*() encoder. */
static void ogpu_ring_emit(struct ogpu_ring *ring, const u32 *w,
			   unsigned int ndw)
{
	unsigned int i;

	for (i = 0; i < ndw; i++) {
		WRITE_ONCE(ring->cpu[ring->wptr / 4], cpu_to_le32(w[i]));
		ring->wptr = (ring->wptr + 4) % ring->size;
	}
}

/**
 * ogpu_ring_emit_indirect() - write an INDIRECT packet
 * @ring: the ring, with room for %OGPU_PKT_INDIRECT_NDW words
 * @va: the command buffer's GPU VA
 * @ndw: its length in words
 */
void ogpu_ring_emit_indirect(struct ogpu_ring *ring, u64 va, u32 ndw)
{
	u32 pkt[OGPU_PKT_INDIRECT_NDW];

	ogpu_ring_emit(ring, pkt, ogpu_pkt_indirect(pkt, va, ndw));
}

/**
 * ogpu_ring_emit_copy() - write a COPY packet
 * @ring: the ring, with room for %OGPU_PKT_COPY_NDW words
 * @dst: GPU VA to copy to
 * @src: GPU VA to copy from
 * @size: bytes
 */
void ogpu_ring_emit_copy(struct ogpu_ring *ring, u64 dst, u64 src, u64 size)
{
	u32 pkt[OGPU_PKT_COPY_NDW];

	ogpu_ring_emit(ring, pkt, ogpu_pkt_copy(pkt, dst, src, size));
}

/**
 * ogpu_ring_emit_fence() - write a FENCE packet to the ring's fence word
 * @ring: the ring, with room for %OGPU_PKT_FENCE_NDW words
 * @seqno: the value to write, once everything before it has finished
 *
 * The packet raises OGPU_HW_IRQ_FENCE, which calls the ring's &ogpu_ring_ops.fence.
 */
void ogpu_ring_emit_fence(struct ogpu_ring *ring, u64 seqno)
{
	u32 pkt[OGPU_PKT_FENCE_NDW];

	ogpu_ring_emit(ring, pkt,
		       ogpu_pkt_fence(pkt, ogpu_ring_fence_va(ring), seqno));
}

/**
 * ogpu_ring_kick() - hand the device what was written
 * @ring: the ring
 */
void ogpu_ring_kick(struct ogpu_ring *ring)
{
	u32 base = OGPU_HW_REG_Q(ring->slot);

	/* The packets reach memory before the device looks. */
	wmb();
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_WPTR, ring->wptr);
	ogpu_reg_write(ring->odev, base + OGPU_HW_Q_DOORBELL, 1);
}

/* Call @ring's fence or error callback for each slot in @slots. */
static void ogpu_rings_dispatch(struct ogpu_device *odev, unsigned long slots,
				bool error)
{
	unsigned int slot;

	spin_lock(&odev->ring_lock);
	for_each_set_bit(slot, &slots, OGPU_HW_NUM_QUEUES) {
		struct ogpu_ring *ring = odev->rings[slot];

		if (!ring)
			continue;
		if (error)
			ring->ops->error(ring);
		else
			ring->ops->fence(ring);
	}
	spin_unlock(&odev->ring_lock);
}

/**
 * ogpu_ring_fence_irq() - OGPU_HW_IRQ_FENCE, in hard-IRQ context
 * @odev: the device
 */
void ogpu_ring_fence_irq(struct ogpu_device *odev)
{
	unsigned long done = ogpu_reg_read(odev, OGPU_HW_REG_Q_FENCE_STATUS);

	ogpu_reg_write(odev, OGPU_HW_REG_Q_FENCE_STATUS, done);
	ogpu_rings_dispatch(odev, done, false);
}

/**
 * ogpu_ring_error_irq() - OGPU_HW_IRQ_QUEUE_ERROR, in hard-IRQ context
 * @odev: the device
 *
 * Runs after the MMU fault handler, so a fault's details are recorded.
 */
void ogpu_ring_error_irq(struct ogpu_device *odev)
{
	unsigned long halted = ogpu_reg_read(odev, OGPU_HW_REG_Q_ERROR_STATUS);

	ogpu_reg_write(odev, OGPU_HW_REG_Q_ERROR_STATUS, halted);
	ogpu_rings_dispatch(odev, halted, true);
}

/**
 * ogpu_rings_unplug() - the device is gone: tell every ring's owner
 * @odev: the device
 */
void ogpu_rings_unplug(struct ogpu_device *odev)
{
	unsigned int slot;

	spin_lock_irq(&odev->ring_lock);
	for (slot = 0; slot < OGPU_HW_NUM_QUEUES; slot++) {
		struct ogpu_ring *ring = odev->rings[slot];

		if (ring && ring->ops->unplug)
			ring->ops->unplug(ring);
	}
	spin_unlock_irq(&odev->ring_lock);
}

/**
 * ogpu_rings_user_in_use() - how many user queues hold a hardware queue
 * @odev: the device
 *
 * Return: the published rings below %OGPU_RING_COPY_SLOT.
 */
u32 ogpu_rings_user_in_use(struct ogpu_device *odev)
{
	u32 slot, n = 0;

	spin_lock_irq(&odev->ring_lock);
	for (slot = 0; slot < OGPU_RING_USER_SLOTS; slot++)
		n += !!odev->rings[slot];
	spin_unlock_irq(&odev->ring_lock);
	return n;
}
