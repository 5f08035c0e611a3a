/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * Tracepoints of the job path: a job is submitted, handed to the
 * hardware, completed; a queue times out or is reset (banned); a VM_BIND
 * writes its page tables at once or queues them, and its bind job runs.
 * Enable them with /sys/kernel/tracing/events/ogpu/enable.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ogpu

#if !defined(__OGPU_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __OGPU_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

DECLARE_EVENT_CLASS(ogpu_job,
		    TP_PROTO(u32 dev, u32 queue, u64 seqno),
		    TP_ARGS(dev, queue, seqno),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, queue)
				     __field(u64, seqno)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->queue = queue;
				   __entry->seqno = seqno;),
		    TP_printk("dev=%u queue=%u seqno=%llu", __entry->dev,
			      __entry->queue, __entry->seqno)
);

/* seqno: the scheduler's fence seqno at submit, the ring's after. */
DEFINE_EVENT(ogpu_job, ogpu_job_submit,
	     TP_PROTO(u32 dev, u32 queue, u64 seqno),
	     TP_ARGS(dev, queue, seqno)
);

DEFINE_EVENT(ogpu_job, ogpu_job_run,
	     TP_PROTO(u32 dev, u32 queue, u64 seqno),
	     TP_ARGS(dev, queue, seqno)
);

DEFINE_EVENT(ogpu_job, ogpu_job_complete,
	     TP_PROTO(u32 dev, u32 queue, u64 seqno),
	     TP_ARGS(dev, queue, seqno)
);

DECLARE_EVENT_CLASS(ogpu_queue_event,
		    TP_PROTO(u32 dev, u32 queue),
		    TP_ARGS(dev, queue),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, queue)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->queue = queue;),
		    TP_printk("dev=%u queue=%u", __entry->dev, __entry->queue)
);

/* A queue held the engine for its whole timeout: it is banned. */
DEFINE_EVENT(ogpu_queue_event, ogpu_queue_timeout,
	     TP_PROTO(u32 dev, u32 queue),
	     TP_ARGS(dev, queue)
);

/* The timer fired, but other queues held the engine: more time. */
DEFINE_EVENT(ogpu_queue_event, ogpu_queue_timeout_extended,
	     TP_PROTO(u32 dev, u32 queue),
	     TP_ARGS(dev, queue)
);

TRACE_EVENT(ogpu_queue_reset,
	    TP_PROTO(u32 dev, u32 queue, u32 reason, int error),
	    TP_ARGS(dev, queue, reason, error),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, queue)
			     __field(u32, reason)
			     __field(int, error)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->queue = queue;
			   __entry->reason = reason;
			   __entry->error = error;),
	    TP_printk("dev=%u queue=%u reason=%u error=%d", __entry->dev,
		      __entry->queue, __entry->reason, __entry->error)
);

/* ranges: page-table ranges to clear or write; queued: on the bind queue. */
TRACE_EVENT(ogpu_vm_bind,
	    TP_PROTO(u32 dev, u32 ctx, u32 ops, u32 ranges, bool queued),
	    TP_ARGS(dev, ctx, ops, ranges, queued),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, ctx)
			     __field(u32, ops)
			     __field(u32, ranges)
			     __field(bool, queued)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->ctx = ctx;
			   __entry->ops = ops;
			   __entry->ranges = ranges;
			   __entry->queued = queued;),
	    TP_printk("dev=%u ctx=%u ops=%u ranges=%u %s", __entry->dev,
		      __entry->ctx, __entry->ops, __entry->ranges,
		      __entry->queued ? "queued" : "inline")
);

TRACE_EVENT(ogpu_vm_bind_run,
	    TP_PROTO(u32 dev, u32 ctx, u32 ranges),
	    TP_ARGS(dev, ctx, ranges),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, ctx)
			     __field(u32, ranges)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->ctx = ctx;
			   __entry->ranges = ranges;),
	    TP_printk("dev=%u ctx=%u ranges=%u", __entry->dev, __entry->ctx,
		      __entry->ranges)
);

#endif /* __OGPU_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ogpu_trace
#include <trace/define_trace.h>
