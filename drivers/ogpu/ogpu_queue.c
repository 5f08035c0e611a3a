// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: queues and submission
 *
 * A queue (&struct ogpu_queue) is one of the device's hardware queues,
 * bound to a VM, with a drm_gpu_scheduler and a single entity of its own,
 * as panthor and xe do: the scheduler resolves each submission's
 * dependencies and feeds the ring in order, and its timeout catches hangs.
 *
 * The ring and the queue's fence word live in one pinned, contiguous VRAM
 * buffer that the driver maps in the queue's VM above the user range. A
 * submission becomes an INDIRECT packet per command buffer and a FENCE
 * packet that writes the submission's sequence number to the fence word
 * and raises OGPU_HW_IRQ_FENCE; the interrupt handler signals, in hard-IRQ
 * context, every fence up to the number it reads there.
 *
 * A queue's timeout counts only the time the queue held the engine. The
 * command processor shares itself among queues with work (see
 * Documentation/hardware.rst) and counts, per queue, the time the queue
 * had packets to run while another queue's ran (OGPU_Q_READY_NS). When
 * drm_sched's timer fires, the time since the job at the head of the
 * queue started, less the time the queue was passed over meanwhile, must
 * reach the timeout for the queue to be guilty; otherwise the job goes
 * back to the head of the pending list and the timer runs again, as
 * etnaviv does for a GPU that still makes progress.
 *
 * Who may ask for what: priority HIGH and a timeout above
 * max_user_timeout_ms need CAP_SYS_NICE (or DRM master), as the anchors
 * of amdgpu and panthor do; otherwise QUEUE_CREATE fails with -EACCES.
 *
 * Failure stays with its queue. A timeout (drm_sched's timedout_job), a
 * GPU page fault or a malformed packet (OGPU_HW_IRQ_QUEUE_ERROR) bans the
 * queue: the hardware queue is reset and disabled, its pending fences
 * complete with -ETIMEDOUT or -EIO, jobs still waiting complete with
 * -ECANCELED, the reason stays readable through QUEUE_GET_STATE, and
 * later submissions fail with -ECANCELED. Other queues never notice.
 *
 * Submission validates every buffer of the VM (bringing evicted ones back
 * to VRAM) and adds the submission's fence to the VM's reservations, so
 * TTM waits for the GPU before it moves a buffer the work may use.
 *
 * Lifetime: a queue is found by id in its file's xarray, which holds one
 * reference (&ogpu_queue.refcount); every ioctl that looks a queue up takes
 * another under the xarray's lock (ogpu_queue_lookup()), because another
 * thread of the same process may destroy the queue by id at any moment.
 * QUEUE_DESTROY only erases the id and drops the xarray's reference; the
 * queue is torn down by whoever drops the last reference, always in process
 * context, so a SUBMIT that raced with the destroy pushes its job to a live
 * entity and the job is then run or cancelled by the teardown. Jobs hold
 * no reference: the teardown waits for every job to be freed (@jobs).
 *
 * A failure that bans a queue (timeout, fault, bad packet) also records
 * the queue's state and has a work item of the queue's capture a
 * devcoredump (see ogpu_coredump.c); the teardown flushes that work.
 *
 * The hardware queue, its ring and fence word are the ring layer's (see
 * ogpu_ring.c): the queue's &ogpu_ring_ops receive its FENCE and
 * QUEUE_ERROR interrupts and the device's unplug, from the moment the
 * queue is created until its teardown unpublishes the ring.
 *
 * Locking: the interrupt callbacks run under &ogpu_device.ring_lock (a
 * spinlock, taken in hard IRQ); &ogpu_queue.fence_lock, inside it,
 * protects a queue's pending fences and ban state and is each fence's
 * lock. Nothing in the fence signalling path allocates or sleeps.
 */

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include <drm/drm_auth.h>
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/gpu_scheduler.h>

#include "ogpu_coredump.h"
#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_gem.h"
#include "ogpu_hw.h"
#include "ogpu_queue.h"
#include "ogpu_ring.h"
#include "ogpu_sync.h"
#include "ogpu_trace.h"
#include "ogpu_vm.h"
#include "drm/ogpu_drm.h"

static unsigned int job_timeout_ms = 5000;
module_param(job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms, "Default submission timeout, in ms (default 5000)");

static unsigned int max_user_timeout_ms = 10000;
module_param(max_user_timeout_ms, uint, 0644);
MODULE_PARM_DESC(max_user_timeout_ms,
		 "Longest timeout a client without CAP_SYS_NICE may ask for, in ms (default 10000)");

#define OGPU_QUEUE_RING_SIZE	SZ_64K
#define OGPU_QUEUE_VA_STRIDE	SZ_1M
#define OGPU_MAX_CMDBUFS	64
#define OGPU_MAX_IB_DW		BIT(20)
/* A job's packets on the ring: one INDIRECT per command buffer, a FENCE. */
#define OGPU_JOB_DW(n)		(OGPU_PKT_INDIRECT_NDW * (n) + OGPU_PKT_FENCE_NDW)

/*
 * A fault's access and reason reach userspace as the MMU reported them:
 * the UAPI's enums are the hardware's values.
 */
static_assert(DRM_OGPU_FAULT_ACCESS_READ == OGPU_HW_ACCESS_READ);
static_assert(DRM_OGPU_FAULT_ACCESS_WRITE == OGPU_HW_ACCESS_WRITE);
static_assert(DRM_OGPU_FAULT_ACCESS_EXEC == OGPU_HW_ACCESS_EXEC);
static_assert(DRM_OGPU_FAULT_NOT_PRESENT == OGPU_HW_FAULT_NOT_PRESENT);
static_assert(DRM_OGPU_FAULT_PERMISSION == OGPU_HW_FAULT_PERMISSION);
static_assert(DRM_OGPU_FAULT_BAD_TABLE == OGPU_HW_FAULT_BAD_TABLE);
static_assert(DRM_OGPU_FAULT_RANGE == OGPU_HW_FAULT_RANGE);
static_assert(DRM_OGPU_FAULT_CTX_DISABLED == OGPU_HW_FAULT_CTX_DISABLED);

/**
 * struct ogpu_fence - the hardware fence of one submission
 * @base: the fence; its lock is the queue's fence_lock
 * @link: in &ogpu_queue.pending while not signalled
 * @ring_head: ring offset of the submission's first packet
 */
struct ogpu_fence {
	struct dma_fence base;
	struct list_head link;
	u32 ring_head;
};

/**
 * struct ogpu_queue - a hardware queue and its scheduler
 * @refcount: the file's xarray holds one, each ioctl using the queue one
 * @odev: the device
 * @ofile: the file the queue belongs to, which outlives it
 * @engine_class: &enum drm_ogpu_engine_class
 * @priority: DRM_OGPU_QUEUE_PRIORITY_*
 * @pid: the process that created the queue, for the coredump
 * @comm: its command name then
 * @vm: the VM the queue runs in (a reference)
 * @ring: the hardware queue, its ring and fence word; written only by
 *	  run_job
 * @fence_ctx: dma-fence context
 * @seqno: last sequence number given out; used only by run_job
 * @fence_lock: protects @pending, @banned, the error fields and @head_*
 * @pending: hardware fences not yet signalled
 * @banned: the queue is dead; set once
 * @error: &enum drm_ogpu_queue_error
 * @fault_addr: VA of the fault or bad packet
 * @fault_access: the faulting access
 * @fault_reason: the MMU's fault reason
 * @fault_port: the link port of a LINK_DOWN fault
 * @cu_error: why a compute kernel stopped (OGPU_HW_CU_Q_CAUSE)
 * @cu_where: its compute unit, warp and lane (OGPU_HW_CU_Q_WHERE)
 * @cu_pc: its PC (OGPU_CU_Q_PC)
 * @cu_tval: its address or instruction (OGPU_CU_Q_TVAL)
 * @hang: what the hardware said when the queue was banned, for the
 *	  coredump; written once, under @fence_lock, before @banned is set
 * @dump_work: captures the devcoredump of @hang in process context
 * @head_start_ns: when the job at the head of @pending started to run
 * @head_ready_ns: OGPU_Q_READY_NS then
 * @jobs: jobs that exist, freed or not; destroy waits for none
 * @wq: the scheduler's ordered workqueue
 * @sched: the queue's scheduler
 * @entity: its only entity
 */
struct ogpu_queue {
	struct kref refcount;
	struct ogpu_device *odev;
	struct ogpu_file *ofile;
	u32 engine_class;
	u32 priority;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct ogpu_vm *vm;
	struct ogpu_ring ring;
	u64 fence_ctx;
	u64 seqno;
	spinlock_t fence_lock; /* see @fence_lock above */
	struct list_head pending;
	bool banned;
	u32 error;
	u64 fault_addr;
	u32 fault_access;
	u32 fault_reason;
	u32 fault_port;
	u32 cu_error;
	u32 cu_where;
	u64 cu_pc;
	u64 cu_tval;
	struct ogpu_hang hang;
	struct work_struct dump_work;
	u64 head_start_ns;
	u64 head_ready_ns;
	atomic_t jobs;
	struct workqueue_struct *wq;
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
};

/**
 * struct ogpu_job - one submission
 * @base: the scheduler job
 * @q: the queue
 * @cmdbufs: the command buffers
 * @count: how many
 * @hw_fence: preallocated in the ioctl, handed over in run_job
 */
struct ogpu_job {
	struct drm_sched_job base;
	struct ogpu_queue *q;
	struct drm_ogpu_cmdbuf *cmdbufs;
	u32 count;
	struct ogpu_fence *hw_fence;
};

static const char *ogpu_fence_driver_name(struct dma_fence *f)
{
	return "ogpu";
}

static const char *ogpu_fence_timeline_name(struct dma_fence *f)
{
	return "ogpu-queue";
}

static const struct dma_fence_ops ogpu_fence_ops = {
	.get_driver_name = ogpu_fence_driver_name,
	.get_timeline_name = ogpu_fence_timeline_name,
};

/* OGPU_Q_READY_NS of @q's hardware queue; the high half read twice. */
static u64 ogpu_queue_ready_ns(struct ogpu_queue *q)
{
	u32 base = OGPU_HW_REG_Q(q->ring.slot);

	return ogpu_reg_read64(q->odev, base + OGPU_HW_Q_READY_NS_LO,
			       base + OGPU_HW_Q_READY_NS_HI);
}

/* A new job is at the head of @q: its time starts now. */
static void ogpu_queue_head_started_locked(struct ogpu_queue *q)
{
	lockdep_assert_held(&q->fence_lock);

	q->head_start_ns = ktime_get_ns();
	q->head_ready_ns = ogpu_queue_ready_ns(q);
}

/* Signal pending fences up to @seq, or all of them with @error. */
static void ogpu_queue_signal_locked(struct ogpu_queue *q, u64 seq, int error)
{
	struct ogpu_fence *f, *tmp;
	bool head_done = false;

	lockdep_assert_held(&q->fence_lock);

	list_for_each_entry_safe(f, tmp, &q->pending, link) {
		if (!error && f->base.seqno > seq)
			break;
		if (error)
			dma_fence_set_error(&f->base, error);
		trace_ogpu_job_complete(q->odev->info.instance, q->ring.slot,
					f->base.seqno);
		list_del(&f->link);
		dma_fence_signal_locked(&f->base);
		dma_fence_put(&f->base);
		head_done = true;
	}
	if (!error && head_done && !list_empty(&q->pending))
		ogpu_queue_head_started_locked(q);
}

/* Ban @q: reset the hardware queue and fail what it had. */
static void ogpu_queue_ban(struct ogpu_queue *q, u32 why, int error,
			   bool hw)
{
	unsigned long flags;

	trace_ogpu_queue_reset(q->odev->info.instance, q->ring.slot, why, error);
	spin_lock_irqsave(&q->fence_lock, flags);
	if (!q->banned) {
		q->banned = true;
		q->error = why;
	}
	ogpu_queue_signal_locked(q, 0, error);
	spin_unlock_irqrestore(&q->fence_lock, flags);

	if (hw)
		ogpu_ring_stop(&q->ring);
}

/* OGPU_Q_* register pair HI:LO of @q's hardware queue. */
static u64 ogpu_queue_reg64(struct ogpu_queue *q, u32 lo, u32 hi)
{
	u32 base = OGPU_HW_REG_Q(q->ring.slot);

	return ogpu_reg_read64(q->odev, base + lo, base + hi);
}

/*
 * @q is about to be banned for @reason: record, for the coredump, what the
 * hardware says before the queue is reset. Any context; allocates nothing.
 * Return: true the first time, when the coredump is to be captured.
 */
static bool ogpu_queue_record_hang_locked(struct ogpu_queue *q, u32 reason)
{
	struct ogpu_device *odev = q->odev;
	u32 base = OGPU_HW_REG_Q(q->ring.slot);
	struct ogpu_hang *h = &q->hang;
	struct ogpu_fence *head;

	lockdep_assert_held(&q->fence_lock);

	if (q->banned)
		return false;
	memset(h, 0, sizeof(*h));
	h->reason = reason;
	ktime_get_real_ts64(&h->time);
	h->control = ogpu_reg_read(odev, base + OGPU_HW_Q_CONTROL);
	h->rptr = ogpu_reg_read(odev, base + OGPU_HW_Q_RPTR);
	h->wptr = ogpu_reg_read(odev, base + OGPU_HW_Q_WPTR);
	h->status = ogpu_reg_read(odev, base + OGPU_HW_Q_STATUS);
	h->error = ogpu_reg_read(odev, base + OGPU_HW_Q_ERROR);
	h->error_addr = ogpu_queue_reg64(q, OGPU_HW_Q_ERROR_ADDR_LO,
					 OGPU_HW_Q_ERROR_ADDR_HI);
	h->pkt_addr = ogpu_queue_reg64(q, OGPU_HW_Q_PKT_ADDR_LO,
				       OGPU_HW_Q_PKT_ADDR_HI);
	if (h->error == OGPU_HW_QE_FAULT) {
		spin_lock(&odev->fault_lock);
		/* The MMU latches one fault: keep it only if it is ours. */
		if (odev->last_fault.addr == h->error_addr &&
		    OGPU_HW_FAULT_CTX(odev->last_fault.status) ==
		    OGPU_HW_QC_CTX(h->control)) {
			h->fault_status = odev->last_fault.status;
			h->fault_addr = odev->last_fault.addr;
		}
		spin_unlock(&odev->fault_lock);
	}
	head = list_first_entry_or_null(&q->pending, struct ogpu_fence, link);
	if (head) {
		h->job_seqno = head->base.seqno;
		h->job_head = head->ring_head;
	}
	return true;
}

/* OGPU_HW_IRQ_FENCE on @q's ring, in hard-IRQ context. */
static void ogpu_queue_fence_irq(struct ogpu_ring *ring)
{
	struct ogpu_queue *q = container_of(ring, struct ogpu_queue, ring);

	spin_lock(&q->fence_lock);
	ogpu_queue_signal_locked(q, ogpu_ring_fence_seqno(ring), 0);
	spin_unlock(&q->fence_lock);
}

/* Where a compute kernel of queue @slot stopped, if one did. */
static void ogpu_queue_read_cu_error_locked(struct ogpu_queue *q, u32 slot)
{
	struct ogpu_device *odev = q->odev;
	u32 base = OGPU_HW_REG_CU_Q(slot);

	lockdep_assert_held(&q->fence_lock);
	q->cu_error = ogpu_reg_read(odev, base + OGPU_HW_CU_Q_CAUSE);
	if (!q->cu_error)
		return;
	q->cu_where = ogpu_reg_read(odev, base + OGPU_HW_CU_Q_WHERE);
	q->cu_pc = ogpu_reg_read64(odev, base + OGPU_HW_CU_Q_PC_LO,
				   base + OGPU_HW_CU_Q_PC_HI);
	q->cu_tval = ogpu_reg_read64(odev, base + OGPU_HW_CU_Q_TVAL_LO,
				     base + OGPU_HW_CU_Q_TVAL_HI);
}

/*
 * OGPU_HW_IRQ_QUEUE_ERROR on @q's ring, in hard-IRQ context. Runs after the
 * MMU fault handler, so a fault's details are recorded.
 */
static void ogpu_queue_error_irq(struct ogpu_ring *ring)
{
	struct ogpu_queue *q = container_of(ring, struct ogpu_queue, ring);
	struct ogpu_device *odev = q->odev;
	u32 base = OGPU_HW_REG_Q(ring->slot), err, why;
	bool dump;

	err = ogpu_reg_read(odev, base + OGPU_HW_Q_ERROR);
	why = err == OGPU_HW_QE_FAULT ? DRM_OGPU_QUEUE_FAULT :
	      err == OGPU_HW_QE_DISPATCH ? DRM_OGPU_QUEUE_DISPATCH :
	      DRM_OGPU_QUEUE_BAD_PACKET;
	spin_lock(&q->fence_lock);
	ogpu_queue_read_cu_error_locked(q, ring->slot);
	q->fault_addr = ogpu_reg_read(odev, base + OGPU_HW_Q_ERROR_ADDR_LO) |
		(u64)ogpu_reg_read(odev, base + OGPU_HW_Q_ERROR_ADDR_HI) << 32;
	if (err == OGPU_HW_QE_FAULT) {
		spin_lock(&odev->fault_lock);
		q->fault_access = OGPU_HW_FAULT_ACCESS(odev->last_fault.status);
		q->fault_reason = OGPU_HW_FAULT_REASON(odev->last_fault.status);
		q->fault_port = odev->last_fault.port;
		spin_unlock(&odev->fault_lock);
	}
	dump = ogpu_queue_record_hang_locked(q, why);
	spin_unlock(&q->fence_lock);
	ogpu_queue_ban(q, why, -EIO, true);
	/* The capture sleeps: not here, in hard IRQ. */
	if (dump)
		queue_work(system_unbound_wq, &q->dump_work);
}

/* The device is gone: fail @q's work. Interrupts off. */
static void ogpu_queue_unplug(struct ogpu_ring *ring)
{
	struct ogpu_queue *q = container_of(ring, struct ogpu_queue, ring);

	ogpu_queue_ban(q, DRM_OGPU_QUEUE_OK, -ENODEV, false);
}

static const struct ogpu_ring_ops ogpu_queue_ring_ops = {
	.fence = ogpu_queue_fence_irq,
	.error = ogpu_queue_error_irq,
	.unplug = ogpu_queue_unplug,
};

static struct dma_fence *ogpu_job_run(struct drm_sched_job *sched_job)
{
	struct ogpu_job *job = container_of(sched_job, struct ogpu_job, base);
	struct ogpu_queue *q = job->q;
	struct ogpu_fence *fence = job->hw_fence;
	bool cookie = dma_fence_begin_signalling();
	unsigned long flags;
	int idx;
	u32 i;

	if (READ_ONCE(q->banned)) {
		dma_fence_end_signalling(cookie);
		return ERR_PTR(-ECANCELED);
	}
	if (!drm_dev_enter(&q->odev->drm, &idx)) {
		dma_fence_end_signalling(cookie);
		return ERR_PTR(-ENODEV);
	}

	job->hw_fence = NULL;
	dma_fence_init(&fence->base, &ogpu_fence_ops, &q->fence_lock,
		       q->fence_ctx, ++q->seqno);
	fence->ring_head = q->ring.wptr;
	trace_ogpu_job_run(q->odev->info.instance, q->ring.slot, q->seqno);

	for (i = 0; i < job->count; i++)
		ogpu_ring_emit_indirect(&q->ring, job->cmdbufs[i].va,
					job->cmdbufs[i].size_dw);
	ogpu_ring_emit_fence(&q->ring, fence->base.seqno);

	/* Pending before the doorbell, so that the interrupt finds it. */
	spin_lock_irqsave(&q->fence_lock, flags);
	dma_fence_get(&fence->base);
	if (list_empty(&q->pending))
		ogpu_queue_head_started_locked(q);
	list_add_tail(&fence->link, &q->pending);
	spin_unlock_irqrestore(&q->fence_lock, flags);

	ogpu_ring_kick(&q->ring);
	drm_dev_exit(idx);
	dma_fence_end_signalling(cookie);
	return &fence->base;
}

/*
 * Did @q hold the engine for its whole timeout since its head job started?
 * Time the command processor spent on other queues does not count.
 */
static bool ogpu_queue_guilty(struct ogpu_queue *q, struct drm_sched_job *job)
{
	struct dma_fence *hw_fence = job->s_fence->parent;
	u64 now = ktime_get_ns(), ready = ogpu_queue_ready_ns(q), passed, held;
	unsigned long flags;

	/* The job finished as the timer fired. */
	if (hw_fence && dma_fence_is_signaled(hw_fence))
		return false;
	spin_lock_irqsave(&q->fence_lock, flags);
	passed = ready >= q->head_ready_ns ? ready - q->head_ready_ns : 0;
	held = now - q->head_start_ns;
	held = held > passed ? held - passed : 0;
	spin_unlock_irqrestore(&q->fence_lock, flags);
	return held >= jiffies_to_nsecs(q->sched.timeout);
}

static enum drm_gpu_sched_stat ogpu_job_timedout(struct drm_sched_job *sched_job)
{
	struct ogpu_job *job = container_of(sched_job, struct ogpu_job, base);
	struct ogpu_queue *q = job->q;
	bool hw, dump = false;
	unsigned long flags;
	int idx;

	hw = drm_dev_enter(&q->odev->drm, &idx);
	if (hw && !ogpu_queue_guilty(q, sched_job)) {
		drm_dev_exit(idx);
		/* Other queues held the engine: give the job more time. */
		trace_ogpu_queue_timeout_extended(q->odev->info.instance,
						  q->ring.slot);
		spin_lock(&q->sched.job_list_lock);
		list_add(&sched_job->list, &q->sched.pending_list);
		spin_unlock(&q->sched.job_list_lock);
		return DRM_GPU_SCHED_STAT_NOMINAL;
	}

	drm_dbg(&q->odev->drm, "queue %u timed out: banned\n", q->ring.slot);
	trace_ogpu_queue_timeout(q->odev->info.instance, q->ring.slot);
	if (hw) {
		spin_lock_irqsave(&q->fence_lock, flags);
		dump = ogpu_queue_record_hang_locked(q, DRM_OGPU_QUEUE_TIMEOUT);
		spin_unlock_irqrestore(&q->fence_lock, flags);
	}
	/*
	 * Fail the hardware fences first, so every job on the hardware ends
	 * with -ETIMEDOUT; then drm_sched's stop and start, which take the
	 * guilty job back from the timeout handler and free it with the rest.
	 */
	ogpu_queue_ban(q, DRM_OGPU_QUEUE_TIMEOUT, -ETIMEDOUT, hw);
	if (hw)
		drm_dev_exit(idx);
	drm_sched_stop(&q->sched, sched_job);
	drm_sched_start(&q->sched);
	/*
	 * The capture allocates and takes reservation locks, which a
	 * timeout handler, standing in the way of fences, had better not.
	 */
	if (dump)
		queue_work(system_unbound_wq, &q->dump_work);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/*
 * One job fewer. wake_up_var() only hashes the address, so the queue may
 * be freed as soon as ogpu_queue_release() sees none left.
 */
static void ogpu_queue_put_job(struct ogpu_queue *q)
{
	if (atomic_dec_and_test(&q->jobs))
		wake_up_var(&q->jobs);
}

static void ogpu_job_free(struct drm_sched_job *sched_job)
{
	struct ogpu_job *job = container_of(sched_job, struct ogpu_job, base);
	struct drm_sched_fence *s_fence = sched_job->s_fence;
	struct ogpu_queue *q = job->q;

	/* From when the job was handed to the hardware until it ended. */
	if (s_fence &&
	    test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &s_fence->finished.flags) &&
	    test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &s_fence->scheduled.flags))
		atomic64_add(ktime_to_ns(ktime_sub(s_fence->finished.timestamp,
						   s_fence->scheduled.timestamp)),
			     &q->ofile->busy_ns[q->engine_class]);
	drm_sched_job_cleanup(sched_job);
	kfree(job->hw_fence);
	kvfree(job->cmdbufs);
	kfree(job);
	ogpu_queue_put_job(q);
}

static const struct drm_sched_backend_ops ogpu_sched_ops = {
	.run_job = ogpu_job_run,
	.timedout_job = ogpu_job_timedout,
	.free_job = ogpu_job_free,
};

/* Capture the devcoredump of a banned queue; the teardown waits for it. */
static void ogpu_queue_dump_work(struct work_struct *work)
{
	struct ogpu_queue *q = container_of(work, struct ogpu_queue, dump_work);
	struct ogpu_coredump_queue cq = {
		.vm = q->vm,
		.ring = q->ring.cpu,
		.ring_size = q->ring.size,
		.ring_va = q->ring.va,
		.fence_va = ogpu_ring_fence_va(&q->ring),
		.slot = q->ring.slot,
		.priority = q->priority,
		.engine_class = q->engine_class,
		.pid = q->pid,
		.comm = q->comm,
	};
	struct ogpu_hang hang;
	unsigned long flags;

	spin_lock_irqsave(&q->fence_lock, flags);
	hang = q->hang;
	spin_unlock_irqrestore(&q->fence_lock, flags);
	cq.hang = &hang;
	ogpu_coredump_capture(q->odev, &cq);
}

/* The last reference is gone: tear the queue down. Process context. */
static void ogpu_queue_release(struct kref *kref)
{
	struct ogpu_queue *q = container_of(kref, struct ogpu_queue, refcount);
	struct ogpu_device *odev = q->odev;
	bool hw;
	int idx;

	/*
	 * Let queued work reach the ring (or be killed, when the process
	 * is), cancel what the hardware has, and wait until every job is
	 * freed: killed jobs are freed from a work item of drm_sched's that
	 * still uses the scheduler.
	 */
	drm_sched_entity_destroy(&q->entity);
	hw = drm_dev_enter(&odev->drm, &idx);
	ogpu_queue_ban(q, q->error, -ECANCELED, hw);
	wait_var_event(&q->jobs, !atomic_read(&q->jobs));
	drm_sched_fini(&q->sched);
	destroy_workqueue(q->wq);

	ogpu_ring_unpublish(&q->ring);
	/*
	 * Neither the interrupt (which no longer finds the queue) nor the
	 * timeout handler (its scheduler is finished) can queue the dump
	 * any more: let a pending one capture the queue while it is whole.
	 */
	flush_work(&q->dump_work);
	if (hw) {
		ogpu_vm_unmap_kernel(q->vm, q->ring.va,
				     ogpu_ring_bo_size(&q->ring));
		drm_dev_exit(idx);
	}
	ogpu_ring_fini(&q->ring);
	drm_gpuvm_put(&q->vm->base);
	kfree(q);
}

static struct ogpu_queue *ogpu_queue_create(struct ogpu_device *odev,
					    struct ogpu_vm *vm,
					    const struct drm_ogpu_queue_create *args)
{
	long timeout = msecs_to_jiffies(args->timeout_ms ?: job_timeout_ms);
	struct drm_gpu_scheduler *sched;
	struct drm_sched_init_args sargs = {};
	struct ogpu_queue *q;
	u64 ring_va;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	kref_init(&q->refcount);
	q->odev = odev;
	q->vm = vm;
	spin_lock_init(&q->fence_lock);
	INIT_LIST_HEAD(&q->pending);
	INIT_WORK(&q->dump_work, ogpu_queue_dump_work);
	q->priority = args->priority;
	q->fence_ctx = dma_fence_context_alloc(1);

	ret = ogpu_ring_init(&q->ring, odev, OGPU_RING_USER,
			     OGPU_QUEUE_RING_SIZE, &ogpu_queue_ring_ops);
	if (ret)
		goto err_free;
	ring_va = OGPU_VA_KERNEL_START + q->ring.slot * OGPU_QUEUE_VA_STRIDE;
	/*
	 * The ring and the fence word are privileged: the user's command
	 * buffers can neither rewrite the ring nor forge a fence.
	 */
	ret = ogpu_vm_map_kernel(vm, q->ring.bo, 0, ring_va,
				 OGPU_QUEUE_RING_SIZE,
				 DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_EXEC |
				 OGPU_VM_MAP_PRIV);
	if (ret)
		goto err_ring;
	ret = ogpu_vm_map_kernel(vm, q->ring.bo, OGPU_QUEUE_RING_SIZE,
				 ring_va + OGPU_QUEUE_RING_SIZE, PAGE_SIZE,
				 DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE |
				 OGPU_VM_MAP_PRIV);
	if (ret)
		goto err_unmap;

	q->wq = alloc_ordered_workqueue("ogpu-q%u", 0, q->ring.slot);
	if (!q->wq) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	sargs.ops = &ogpu_sched_ops;
	sargs.submit_wq = q->wq;
	sargs.num_rqs = 1;
	sargs.credit_limit = OGPU_QUEUE_RING_SIZE / 4 - OGPU_JOB_DW(0);
	sargs.timeout = timeout;
	sargs.name = "ogpu-queue";
	sargs.dev = odev->drm.dev;
	ret = drm_sched_init(&q->sched, &sargs);
	if (ret)
		goto err_wq;
	sched = &q->sched;
	/* One entity per scheduler: priority lives in the hardware queue. */
	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_KERNEL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;

	ogpu_ring_start(&q->ring, ring_va, vm->pt.ctx, args->priority);
	ogpu_ring_publish(&q->ring);
	return q;

err_sched:
	drm_sched_fini(&q->sched);
err_wq:
	destroy_workqueue(q->wq);
err_unmap:
	ogpu_vm_unmap_kernel(vm, ring_va, ogpu_ring_bo_size(&q->ring));
err_ring:
	ogpu_ring_fini(&q->ring);
err_free:
	kfree(q);
	return ERR_PTR(ret);
}

static void ogpu_queue_put(struct ogpu_queue *q)
{
	kref_put(&q->refcount, ogpu_queue_release);
}

/* A file's queue by id, referenced; drop it with ogpu_queue_put(). */
static struct ogpu_queue *ogpu_queue_lookup(struct ogpu_file *ofile, u32 id)
{
	struct ogpu_queue *q;

	xa_lock(&ofile->queues);
	q = xa_load(&ofile->queues, id);
	if (q)
		kref_get(&q->refcount);
	xa_unlock(&ofile->queues);
	return q;
}

/**
 * ogpu_queue_file_close() - destroy the queues a closing file left
 * @file: the DRM file
 */
void ogpu_queue_file_close(struct drm_file *file)
{
	struct ogpu_file *ofile = file->driver_priv;
	struct ogpu_queue *q;
	unsigned long id;

	/* No ioctl of the file runs any more: these are the last references. */
	xa_for_each(&ofile->queues, id, q)
		ogpu_queue_put(q);
	xa_destroy(&ofile->queues);
}

/*
 * A queue that runs ahead of others, or may hold the engine long, can
 * hurt other processes: only a client trusted with scheduling gets one.
 */
static bool ogpu_queue_permit(struct drm_file *file,
			      const struct drm_ogpu_queue_create *args)
{
	if (args->priority <= DRM_OGPU_QUEUE_PRIORITY_NORMAL &&
	    args->timeout_ms <= max_user_timeout_ms)
		return true;
	return capable(CAP_SYS_NICE) || drm_is_current_master(file);
}

/**
 * ogpu_ioctl_queue_create() - DRM_IOCTL_OGPU_QUEUE_CREATE
 * @dev: DRM device
 * @data: &struct drm_ogpu_queue_create
 * @file: DRM file
 *
 * Return: 0 or a negative errno.
 */
int ogpu_ioctl_queue_create(struct drm_device *dev, void *data,
			    struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_queue_create *args = data;
	struct ogpu_queue *q;
	struct ogpu_vm *vm;
	int ret, idx;
	u32 id;

	if (OGPU_CHECK(odev, args->flags) ||
	    OGPU_CHECK(odev, args->engine_class > DRM_OGPU_ENGINE_CLASS_COPY) ||
	    OGPU_CHECK(odev, args->priority > DRM_OGPU_QUEUE_PRIORITY_HIGH) ||
	    OGPU_CHECK(odev, args->timeout_ms > 60000))
		return -EINVAL;
	if (OGPU_CHECK(odev, !ogpu_queue_permit(file, args)))
		return -EACCES;

	vm = ogpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (!drm_dev_enter(dev, &idx)) {
		drm_gpuvm_put(&vm->base);
		return -ENODEV;
	}
	/* The queue keeps the VM reference. */
	q = ogpu_queue_create(odev, vm, args);
	if (IS_ERR(q)) {
		drm_gpuvm_put(&vm->base);
		ret = PTR_ERR(q);
		goto out;
	}
	q->ofile = ofile;
	q->engine_class = args->engine_class;
	rcu_read_lock();
	q->pid = pid_nr(rcu_dereference(file->pid));
	rcu_read_unlock();
	get_task_comm(q->comm, current);
	ret = xa_alloc(&ofile->queues, &id, q, xa_limit_32b, GFP_KERNEL);
	if (ret) {
		ogpu_queue_put(q);
		goto out;
	}
	args->queue_id = id;
out:
	drm_dev_exit(idx);
	return ret;
}

/**
 * ogpu_ioctl_queue_destroy() - DRM_IOCTL_OGPU_QUEUE_DESTROY
 * @dev: DRM device
 * @data: &struct drm_ogpu_queue_destroy
 * @file: DRM file
 *
 * Return: 0, -EINVAL for a non-zero pad, -ENOENT for an unknown queue.
 */
int ogpu_ioctl_queue_destroy(struct drm_device *dev, void *data,
			     struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_queue_destroy *args = data;
	struct ogpu_queue *q;

	if (OGPU_CHECK(odev, args->pad))
		return -EINVAL;
	q = xa_erase(&ofile->queues, args->queue_id);
	if (!q)
		return -ENOENT;
	/* Torn down here, or by the last ioctl still using it. */
	ogpu_queue_put(q);
	return 0;
}

/**
 * ogpu_ioctl_queue_get_state() - DRM_IOCTL_OGPU_QUEUE_GET_STATE
 * @dev: DRM device
 * @data: &struct drm_ogpu_queue_get_state
 * @file: DRM file
 *
 * Return: 0, -EINVAL for a non-zero pad, -ENOENT for an unknown queue.
 */
int ogpu_ioctl_queue_get_state(struct drm_device *dev, void *data,
			       struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_queue_get_state *args = data;
	struct ogpu_queue *q;

	if (OGPU_CHECK(odev, args->pad) || OGPU_CHECK(odev, args->pad2))
		return -EINVAL;
	q = ogpu_queue_lookup(ofile, args->queue_id);
	if (!q)
		return -ENOENT;
	spin_lock_irq(&q->fence_lock);
	args->error = q->banned ? q->error : DRM_OGPU_QUEUE_OK;
	args->fault_addr = q->fault_addr;
	args->fault_access = q->fault_access;
	args->fault_reason = q->fault_reason;
	args->fault_port = q->fault_port;
	args->cu_error = q->cu_error;
	args->cu_where = q->cu_where;
	args->cu_pc = q->cu_pc;
	args->cu_tval = q->cu_tval;
	spin_unlock_irq(&q->fence_lock);
	ogpu_queue_put(q);
	return 0;
}

/* Bring the VM's buffers back where they belong and fence them. */
static int ogpu_submit_lock_vm(struct ogpu_vm *vm, struct drm_exec *exec)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drm_gem_object *obj;
	int ret;

	drm_exec_until_all_locked(exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (!ret)
			ret = drm_gpuvm_prepare_objects(&vm->base, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (ret)
			return ret;
	}
	drm_exec_for_each_locked_object(exec, obj) {
		struct ogpu_bo *bo;

		if (obj == drm_gpuvm_resv_obj(&vm->base))
			continue;
		bo = gem_to_ogpu_bo(obj);
		ret = ttm_bo_validate(&bo->tbo, &bo->placement, &ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * ogpu_ioctl_submit() - DRM_IOCTL_OGPU_SUBMIT
 * @dev: DRM device
 * @data: &struct drm_ogpu_submit
 * @file: DRM file
 *
 * Return: 0 or a negative errno.
 */
int ogpu_ioctl_submit(struct drm_device *dev, void *data,
		      struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_submit *args = data;
	struct ogpu_syncs syncs;
	struct dma_fence *done;
	struct drm_exec exec;
	struct ogpu_queue *q;
	struct ogpu_job *job;
	int ret, idx;
	u32 i;

	if (OGPU_CHECK(odev, args->flags) ||
	    OGPU_CHECK(odev, !args->cmdbufs.count))
		return -EINVAL;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	ret = ogpu_copy_obj_array(odev, &args->cmdbufs, OGPU_MAX_CMDBUFS,
				  sizeof(*job->cmdbufs), (void **)&job->cmdbufs);
	if (ret)
		goto err_job;
	job->count = args->cmdbufs.count;
	for (i = 0; i < job->count; i++) {
		const struct drm_ogpu_cmdbuf *cb = &job->cmdbufs[i];

		if (OGPU_CHECK(odev, cb->pad) ||
		    OGPU_CHECK(odev, cb->va & 3) ||
		    OGPU_CHECK(odev, !cb->size_dw || cb->size_dw > OGPU_MAX_IB_DW) ||
		    OGPU_CHECK(odev, cb->va >= OGPU_VA_USER_END)) {
			ret = -EINVAL;
			goto err_job;
		}
	}
	ret = ogpu_syncs_get(odev, file, &args->in_syncs, &args->out_syncs,
			     &syncs);
	if (ret)
		goto err_syncs;

	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	if (!job->hw_fence) {
		ret = -ENOMEM;
		goto err_syncs;
	}

	if (!drm_dev_enter(dev, &idx)) {
		ret = -ENODEV;
		goto err_syncs;
	}
	/* Another thread may destroy the queue by id: hold it. */
	q = ogpu_queue_lookup(ofile, args->queue_id);
	if (!q) {
		ret = -ENOENT;
		goto err_exit;
	}
	if (READ_ONCE(q->banned)) {
		ret = -ECANCELED;
		goto err_put_queue;
	}
	job->q = q;

	ret = drm_sched_job_init(&job->base, &q->entity,
				 OGPU_JOB_DW(job->count), q, file->client_id);
	if (ret)
		goto err_put_queue;
	/* Counted until ogpu_job_free(), or until the error path below. */
	atomic_inc(&q->jobs);
	ret = ogpu_syncs_add_deps(&syncs, &job->base, file);
	if (ret)
		goto err_sched_job;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
		      DRM_EXEC_IGNORE_DUPLICATES, 0);
	ret = ogpu_submit_lock_vm(q->vm, &exec);
	if (ret)
		goto err_exec;

	/* Nothing can fail after this point. */
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	drm_gpuvm_resv_add_fence(&q->vm->base, &exec, done,
				 DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	trace_ogpu_job_submit(odev->info.instance, q->ring.slot,
			      job->base.s_fence->finished.seqno);
	drm_sched_entity_push_job(&job->base);
	drm_exec_fini(&exec);

	ogpu_syncs_signal(&syncs, done);
	dma_fence_put(done);
	ogpu_queue_put(q);
	drm_dev_exit(idx);
	ogpu_syncs_put(&syncs);
	return 0;

err_exec:
	drm_exec_fini(&exec);
err_sched_job:
	drm_sched_job_cleanup(&job->base);
	ogpu_queue_put_job(q);
err_put_queue:
	ogpu_queue_put(q);
err_exit:
	drm_dev_exit(idx);
err_syncs:
	ogpu_syncs_put(&syncs);
	kfree(job->hw_fence);
err_job:
	kvfree(job->cmdbufs);
	kfree(job);
	return ret;
}
