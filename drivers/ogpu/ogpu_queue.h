/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_QUEUE_H__
#define __OGPU_QUEUE_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct ogpu_device;

/**
 * struct ogpu_ring - the driver's side of a hardware queue's ring
 * @odev: the device
 * @slot: the hardware queue
 * @cpu: CPU view of the ring
 * @size: bytes, a power of two
 * @wptr: next byte to write
 *
 * Used by one writer at a time: a queue's run_job, or a copy under the
 * copy queue's lock.
 */
struct ogpu_ring {
	struct ogpu_device *odev;
	u32 slot;
	__le32 *cpu;
	u32 size;
	u32 wptr;
};

void ogpu_ring_start(struct ogpu_ring *ring, u64 va, u32 ctx, u32 prio);
void ogpu_ring_emit(struct ogpu_ring *ring, const u32 *w, unsigned int ndw);
void ogpu_ring_kick(struct ogpu_ring *ring);
void ogpu_ring_stop(struct ogpu_ring *ring);

void ogpu_queue_fence_irq(struct ogpu_device *odev);
void ogpu_queue_error_irq(struct ogpu_device *odev);
void ogpu_queues_unplug(struct ogpu_device *odev);
void ogpu_queue_file_close(struct drm_file *file);

int ogpu_ioctl_queue_create(struct drm_device *dev, void *data,
			    struct drm_file *file);
int ogpu_ioctl_queue_destroy(struct drm_device *dev, void *data,
			     struct drm_file *file);
int ogpu_ioctl_queue_get_state(struct drm_device *dev, void *data,
			       struct drm_file *file);
int ogpu_ioctl_submit(struct drm_device *dev, void *data,
		      struct drm_file *file);

#endif /* __OGPU_QUEUE_H__ */
