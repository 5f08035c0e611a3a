/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_RING_H__
#define __OGPU_RING_H__

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <asm/page.h>

#include "ogpu_hw.h"

struct ogpu_bo;
struct ogpu_device;
struct ogpu_ring;

/* The last hardware queue is the driver's own, for TTM's moves. */
#define OGPU_RING_COPY_SLOT	(OGPU_HW_NUM_QUEUES - 1)
/* Hardware queues that user queues may have: all the others. */
#define OGPU_RING_USER_SLOTS	OGPU_RING_COPY_SLOT

/**
 * enum ogpu_ring_kind - which hardware queue a ring takes
 * @OGPU_RING_USER: any free one below %OGPU_RING_COPY_SLOT
 * @OGPU_RING_COPY: the copy slot, which only the copy queue uses
 */
enum ogpu_ring_kind {
	OGPU_RING_USER,
	OGPU_RING_COPY,
};

/**
 * struct ogpu_ring_ops - what a ring's owner does on its interrupts
 *
 * Both run in hard-IRQ context with &ogpu_device.ring_lock held, only
 * while the ring is published; they must neither sleep nor allocate.
 */
struct ogpu_ring_ops {
	/** @fence: OGPU_HW_IRQ_FENCE: a FENCE packet of the ring ran. */
	void (*fence)(struct ogpu_ring *ring);
	/** @error: OGPU_HW_IRQ_QUEUE_ERROR: the hardware queue halted. */
	void (*error)(struct ogpu_ring *ring);
	/**
	 * @unplug: the device is gone; the ring's fences will never come.
	 * Optional. Called with &ogpu_device.ring_lock held, interrupts off.
	 */
	void (*unplug)(struct ogpu_ring *ring);
};

/**
 * struct ogpu_ring - the driver's side of a hardware queue and its ring
 *
 * The ring and its fence word share one pinned, contiguous VRAM buffer:
 * @size bytes of ring, then a page whose first 8 bytes the FENCE packets
 * of ogpu_ring_emit_fence() write. The owner maps it in its VM at @va
 * (ogpu_ring_bo_size() bytes) before ogpu_ring_start().
 */
struct ogpu_ring {
	/** @odev: The device. */
	struct ogpu_device *odev;
	/** @ops: The owner's interrupt callbacks. */
	const struct ogpu_ring_ops *ops;
	/** @slot: The hardware queue. */
	u32 slot;
	/** @kind: Where @slot came from. */
	enum ogpu_ring_kind kind;
	/** @bo: The ring, then the fence word. */
	struct ogpu_bo *bo;
	/** @cpu: CPU view of the ring. */
	__le32 *cpu;
	/** @fence_word: CPU view of the fence word. */
	__le64 *fence_word;
	/** @size: Bytes of ring, a power of two. */
	u32 size;
	/** @va: GPU VA of the ring in its MMU context; set by ogpu_ring_start(). */
	u64 va;
	/**
	 * @wptr: Next byte to write. The ring has one writer at a time,
	 * which its owner guarantees: a queue's run_job, or a move under
	 * the copy queue's lock.
	 */
	u32 wptr;
};

/* The buffer a ring needs mapped: the ring and the fence word's page. */
static inline u64 ogpu_ring_bo_size(const struct ogpu_ring *ring)
{
	return (u64)ring->size + PAGE_SIZE;
}

/* GPU VA of the fence word. */
static inline u64 ogpu_ring_fence_va(const struct ogpu_ring *ring)
{
	return ring->va + ring->size;
}

/* The last sequence number the ring's FENCE packets wrote. */
static inline u64 ogpu_ring_fence_seqno(const struct ogpu_ring *ring)
{
	return le64_to_cpu(READ_ONCE(*ring->fence_word));
}

int ogpu_ring_init(struct ogpu_ring *ring, struct ogpu_device *odev,
		   enum ogpu_ring_kind kind, u32 size,
		   const struct ogpu_ring_ops *ops);
void ogpu_ring_fini(struct ogpu_ring *ring);

void ogpu_ring_start(struct ogpu_ring *ring, u64 va, u32 ctx, u32 prio);
void ogpu_ring_stop(struct ogpu_ring *ring);
void ogpu_ring_publish(struct ogpu_ring *ring);
void ogpu_ring_unpublish(struct ogpu_ring *ring);

void ogpu_ring_emit_indirect(struct ogpu_ring *ring, u64 va, u32 ndw);
void ogpu_ring_emit_copy(struct ogpu_ring *ring, u64 dst, u64 src, u64 size);
void ogpu_ring_emit_fence(struct ogpu_ring *ring, u64 seqno);
void ogpu_ring_kick(struct ogpu_ring *ring);

void ogpu_ring_fence_irq(struct ogpu_device *odev);
void ogpu_ring_error_irq(struct ogpu_device *odev);
void ogpu_rings_unplug(struct ogpu_device *odev);
u32 ogpu_rings_user_in_use(struct ogpu_device *odev);

#endif /* __OGPU_RING_H__ */
