/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_COREDUMP_H__
#define __OGPU_COREDUMP_H__

#include <linux/time64.h>
#include <linux/types.h>

struct ogpu_device;
struct ogpu_vm;

/**
 * struct ogpu_hang - what the driver saw of a queue when it failed
 *
 * Recorded where the failure is found, before the hardware queue is reset:
 * in the queue-error interrupt (hard IRQ) or in drm_sched's timeout
 * handler. Plain values, so recording it neither sleeps nor allocates.
 */
struct ogpu_hang {
	/** @reason: DRM_OGPU_QUEUE_TIMEOUT, _FAULT or _BAD_PACKET. */
	u32 reason;
	/** @time: When, in CLOCK_REALTIME. */
	struct timespec64 time;
	/** @control: OGPU_HW_Q_CONTROL. */
	u32 control;
	/** @rptr: OGPU_HW_Q_RPTR. */
	u32 rptr;
	/** @wptr: OGPU_HW_Q_WPTR. */
	u32 wptr;
	/** @status: OGPU_HW_Q_STATUS. */
	u32 status;
	/** @error: OGPU_HW_Q_ERROR. */
	u32 error;
	/** @error_addr: OGPU_Q_ERROR_ADDR. */
	u64 error_addr;
	/** @pkt_addr: OGPU_Q_PKT_ADDR: the packet that ran last. */
	u64 pkt_addr;
	/**
	 * @fault_status: OGPU_HW_REG_MMU_FAULT_STATUS of the queue's fault, or
	 * 0 when there was none or the MMU latched another fault first.
	 */
	u32 fault_status;
	/** @fault_addr: OGPU_REG_MMU_FAULT_ADDR, with @fault_status. */
	u64 fault_addr;
	/** @job_seqno: Sequence number of the failing job, 0 if none. */
	u64 job_seqno;
	/** @job_head: Ring offset of the failing job's first packet. */
	u32 job_head;
};

/**
 * struct ogpu_coredump_queue - a failed queue, as the coredump sees it
 *
 * Everything here stays valid while ogpu_coredump_capture() runs: the
 * queue's teardown waits for its capture.
 */
struct ogpu_coredump_queue {
	/** @hang: The failure. */
	const struct ogpu_hang *hang;
	/** @vm: The VM the queue runs in. */
	struct ogpu_vm *vm;
	/** @ring: CPU view of the ring. */
	const __le32 *ring;
	/** @ring_size: Bytes, a power of two. */
	u32 ring_size;
	/** @ring_va: GPU VA of the ring in @vm. */
	u64 ring_va;
	/** @fence_va: GPU VA of the queue's fence word in @vm. */
	u64 fence_va;
	/** @slot: The hardware queue. */
	u32 slot;
	/** @priority: DRM_OGPU_QUEUE_PRIORITY_*. */
	u32 priority;
	/** @engine_class: &enum drm_ogpu_engine_class. */
	u32 engine_class;
	/** @pid: Process that created the queue. */
	pid_t pid;
	/** @comm: Its command name. */
	const char *comm;
};

void ogpu_coredump_capture(struct ogpu_device *odev,
			   const struct ogpu_coredump_queue *q);

#endif /* __OGPU_COREDUMP_H__ */
