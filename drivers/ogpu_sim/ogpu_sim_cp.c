// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU command processor
 *
 * The command processor runs the hardware queues: it reads packets from a
 * queue's ring (and from indirect buffers) through the queue's MMU context
 * and executes them in order. ogpu_sim_core_run() does a bounded amount of
 * work and returns, so its caller decides when to run again: after a
 * doorbell, while work is pending, and now and then while a queue waits on
 * a semaphore. COPY and FILL move at most OGPU_SIM_CHUNK bytes per step,
 * so one large copy does not hold the device.
 *
 * Runnable queues share the command processor by stride scheduling: each
 * step (a packet, or a chunk of a COPY or FILL) advances the queue's pass
 * by a stride that halves with each priority level, and the runnable
 * queue with the smallest pass runs next (the higher priority, then
 * round-robin, on a tie). A queue of priority p thus gets twice the steps
 * of one of priority p - 1 while both have work, and no queue starves. A
 * queue that wakes up starts at the pass of the queue that ran last, so
 * idle time earns no credit. While a queue has packets to run (it is not
 * waiting on a semaphore) and the command processor runs another queue's
 * step, or none at all, the time is added to the queue's OGPU_Q_READY_NS,
 * which lets the driver count against a job's timeout only the time its
 * queue held the engine. A queue whose DISPATCH has blocks left and none
 * on a compute unit (other queues' blocks hold them all) waits too.
 *
 * Packets in a queue's ring run privileged; packets of an indirect buffer
 * (and the COPY or FILL they start) run unprivileged: their accesses
 * carry OGPU_HW_ACCESS_USER and fault on OGPU_HW_PTE_PRIV pages, and the
 * ring-only packets (FENCE, INDIRECT) are bad packets there. Packets are
 * fetched with OGPU_HW_ACCESS_EXEC.
 *
 * A fault or a malformed packet halts the queue (OGPU_HW_QS_ERROR) with the
 * reason and address in its error registers, sets its bit in
 * OGPU_HW_REG_Q_ERROR_STATUS and raises OGPU_HW_IRQ_QUEUE_ERROR. Other queues
 * keep running. Only OGPU_HW_Q_RESET restarts a halted queue.
 *
 * Locking: ogpu_sim_core_run() is called without the host's lock and
 * takes it for everything that touches the core: picking a queue, running
 * a packet, accounting and charging a step. The copy engine moves the
 * bytes of a COPY or FILL outside it: under the lock, it translates the
 * chunk's pages (a host pointer into VRAM, or a DMA address of system
 * memory) without latching a fault, stopping at the first page that would
 * fault, and marks itself busy (cp_seq odd); it drops the lock, moves the
 * bytes of the pages translated (VRAM with memmove(), system memory through
 * the host's rw(), which needs no lock of the device's, with the bounce
 * buffer, which is the command processor's own), and takes the lock again
 * to end busy and advance the op. The page it stopped at is then done
 * again under the lock, as it would have been had the whole chunk run
 * under it, and its fault is latched and halts the queue with the same
 * registers. Each chunk is thus one step as before: the same stride
 * scheduling, the same faults in the same order, and the same READY_NS
 * (the time the bytes move is the running queue's step, even when a
 * register access accounts it meanwhile). Because the engine keeps
 * translations across the unlocked move, a write that invalidates them
 * (MMU_INVALIDATE, a context's root, RESET) waits for the chunk in flight,
 * as for the compute units' slices. A queue reset or halt does not wait:
 * a reset bumps the queue's count in q_resets (the reset clears
 * &struct ogpu_sim_queue itself), and a chunk that ends to find its queue
 * reset or halted drops its result, as a compute unit drops its block at
 * its slice's end.
 *
 * A piece on a PEER page (another device's VRAM, over a link) is not
 * located: it moves under the lock as a piece of ogpu_sim_q_piece(), one
 * transfer that the link checks and counts, and the lock keeps the peer's
 * VRAM alive meanwhile (see ogpu_sim_link.c). Its time over the link,
 * the link's latency and its bytes over the link's bandwidth, adds up in
 * cp_delay_ns; a step that has some hands it to the host's delay() and
 * ends ogpu_sim_core_run(), so that the queue's next step (and the FENCE
 * after a COPY) starts no earlier than the transfers could have ended.
 *
 * The TLB can tell the difference in two cases, both of which need a
 * page table changed without MMU_INVALIDATE, whose result the hardware
 * leaves open: a chunk's pages are all translated before its bytes move,
 * so a COPY or FILL that rewrites the page tables it runs through sees
 * the change only at its next chunk, and a chunk that faults because the
 * host cannot reach a system page (a bad table) leaves the translations
 * of the pages after that one in the TLB.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "ogpu_sim_core.h"

/* Pass added per step at priority 0; halved at each level above. */
#define OGPU_SIM_STRIDE		16u
#define OGPU_SIM_MAX_PKT	16
#define OGPU_SIM_MAX_IB		BIT(20)

/* Halt queue @q with @error at @addr, dropping its dispatch's blocks. */
void ogpu_sim_q_halt(struct ogpu_sim_core *core, u32 q, u32 error, u64 addr)
{
	struct ogpu_sim_queue *queue = &core->queues[q];

	if (queue->dispatching)
		ogpu_sim_core_cu_drop(core, q);

	queue->status = OGPU_HW_QS_ERROR;
	queue->error = error;
	queue->error_addr = addr;
	queue->op = 0;
	core->q_error_status |= 1u << q;
	ogpu_sim_core_raise(core, OGPU_HW_IRQ_QUEUE_ERROR);
}

/**
 * ogpu_sim_core_halt_queue() - test hook: halt a queue as a bad packet would
 * @core: the device
 * @q: the queue
 *
 * Lets tests see how the driver copes with a queue that fails for reasons
 * of the hardware's own, such as the queue the driver keeps for itself.
 */
void ogpu_sim_core_halt_queue(struct ogpu_sim_core *core, u32 q)
{
	if (q < OGPU_HW_NUM_QUEUES)
		ogpu_sim_q_halt(core, q, OGPU_HW_QE_BAD_PACKET, 0);
}

/* The privilege of the packet queue @q runs, as an access qualifier. */
static u32 ogpu_sim_q_level(const struct ogpu_sim_queue *queue)
{
	return queue->user ? OGPU_HW_ACCESS_USER : 0;
}

/* Read or write through the queue's context; halt the queue on a fault. */
static int ogpu_sim_q_access(struct ogpu_sim_core *core, u32 q, u64 va,
			     void *buf, u32 len, u32 access)
{
	u32 ctx = OGPU_HW_QC_CTX(core->queues[q].control);

	access |= ogpu_sim_q_level(&core->queues[q]);
	if (ogpu_sim_core_vm_access(core, ctx, va, buf, len, access, true)) {
		ogpu_sim_q_halt(core, q, OGPU_HW_QE_FAULT, va);
		return -EFAULT;
	}
	return 0;
}

static u64 ogpu_sim_u64(const u32 *w)
{
	return w[0] | (u64)w[1] << 32;
}

/* The status of a queue that is not halted, from what it has left. */
void ogpu_sim_q_update(struct ogpu_sim_queue *queue)
{
	if (queue->status == OGPU_HW_QS_ERROR)
		return;
	if (queue->dispatching || queue->op || queue->in_ib ||
	    queue->rptr != queue->wptr)
		queue->status = OGPU_HW_QS_BUSY;
	else
		queue->status = OGPU_HW_QS_IDLE;
}

/*
 * Copy @n bytes, within one page on each side. When either side is VRAM
 * the other is read or written straight from or to it; otherwise through
 * the bounce buffer. Faults are the same either way: the source's first.
 */
static int ogpu_sim_q_copy(struct ogpu_sim_core *core, u32 q, u32 n)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u32 ctx = OGPU_HW_QC_CTX(queue->control), level = ogpu_sim_q_level(queue);
	void *p;

	p = ogpu_sim_core_vram(core, ctx, queue->src, n,
			       OGPU_HW_ACCESS_READ | level);
	if (p)
		return ogpu_sim_q_access(core, q, queue->dst, p, n,
					 OGPU_HW_ACCESS_WRITE);
	p = ogpu_sim_core_vram(core, ctx, queue->dst, n,
			       OGPU_HW_ACCESS_WRITE | level);
	if (p)
		return ogpu_sim_q_access(core, q, queue->src, p, n,
					 OGPU_HW_ACCESS_READ);
	if (ogpu_sim_q_access(core, q, queue->src, core->bounce, n,
			      OGPU_HW_ACCESS_READ))
		return -EFAULT;
	return ogpu_sim_q_access(core, q, queue->dst, core->bounce, n,
				 OGPU_HW_ACCESS_WRITE);
}

static u32 ogpu_sim_to_page_end(u64 va)
{
	return 4096 - (va & 0xfff);
}

/*
 * The queue whose step the command processor runs, or -1 when none does
 * or a reset has taken the queue from under the step.
 */
static int ogpu_sim_cp_running(const struct ogpu_sim_core *core)
{
	if (!core->cp_q || core->q_resets[core->cp_q - 1] != core->cp_resets)
		return -1;
	return core->cp_q - 1;
}

/*
 * One piece of the COPY or FILL in progress, at most a page of the
 * bounce buffer, under the lock: faults are reported and halt the queue.
 * Returns the bytes done, or 0 after a fault.
 */
static u32 ogpu_sim_q_piece(struct ogpu_sim_core *core, u32 q)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u32 n = sizeof(core->bounce);

	if (n > queue->left)
		n = queue->left;
	if (queue->op == OGPU_PKT_COPY) {
		if (n > ogpu_sim_to_page_end(queue->src))
			n = ogpu_sim_to_page_end(queue->src);
		if (n > ogpu_sim_to_page_end(queue->dst))
			n = ogpu_sim_to_page_end(queue->dst);
		if (ogpu_sim_q_copy(core, q, n))
			return 0;
		queue->src += n;
	} else if (ogpu_sim_q_access(core, q, queue->dst, core->bounce, n,
				     OGPU_HW_ACCESS_WRITE)) {
		return 0;
	}
	queue->dst += n;
	queue->left -= n;
	return n;
}

/*
 * Translate the pieces of the chunk from where the op is, @done bytes of
 * the chunk done (for a FILL, a multiple of 4 KiB), into core->cp_plan,
 * with the lookups ogpu_sim_q_piece() would make in the same order but
 * without latching a fault. Stops at the chunk's end, the op's end, or
 * the first piece that would fault. Returns the pieces translated.
 */
static u32 ogpu_sim_cp_plan(struct ogpu_sim_core *core, u32 q, u32 done)
{
	const struct ogpu_sim_queue *queue = &core->queues[q];
	u32 ctx = OGPU_HW_QC_CTX(queue->control), level = ogpu_sim_q_level(queue);
	u64 src = queue->src, dst = queue->dst, left = queue->left, dma;
	u32 i;

	for (i = 0; i < OGPU_SIM_CHUNK_PIECES && left &&
	     done < OGPU_SIM_CHUNK; i++) {
		struct ogpu_sim_cp_piece *pc = &core->cp_plan[i];
		void *p;
		u32 n;

		/* A FILL's pieces split where ogpu_sim_q_piece()'s would. */
		n = queue->op == OGPU_PKT_FILL ? 4096 - done % 4096 : 4096;
		if (n > left)
			n = left;
		if (n > ogpu_sim_to_page_end(dst))
			n = ogpu_sim_to_page_end(dst);
		if (queue->op == OGPU_PKT_COPY) {
			if (n > ogpu_sim_to_page_end(src))
				n = ogpu_sim_to_page_end(src);
			if (ogpu_sim_core_locate(core, ctx, src, n,
						 OGPU_HW_ACCESS_READ | level, &p,
						 &pc->src_dma))
				break;
			pc->src = p;
			src += n;
		} else {
			pc->src = core->bounce + done % 4096;
		}
		if (ogpu_sim_core_locate(core, ctx, dst, n,
					 OGPU_HW_ACCESS_WRITE | level, &p,
					 &pc->dst_dma))
			break;
		pc->dst = p;
		/*
		 * ogpu_sim_q_copy() looks system memory up again to reach
		 * it; so does the plan, for the TLB to end the same when
		 * the two sides share a TLB entry.
		 */
		if (queue->op == OGPU_PKT_COPY && !pc->src) {
			ogpu_sim_core_locate(core, ctx, src - n, n,
					     OGPU_HW_ACCESS_READ | level, &p, &dma);
			if (!pc->dst)
				ogpu_sim_core_locate(core, ctx, dst, n,
						     OGPU_HW_ACCESS_WRITE | level,
						     &p, &dma);
		}
		pc->len = n;
		dst += n;
		left -= n;
		done += n;
	}
	return i;
}

/*
 * Move the @n pieces of core->cp_plan, outside the lock: VRAM directly,
 * system memory through the host, which needs no lock of the device's.
 * Returns the bytes moved before the first piece the host could not
 * reach.
 */
static u32 ogpu_sim_cp_move(struct ogpu_sim_core *core, u32 n)
{
	const struct ogpu_sim_host_ops *host = core->host;
	void *ctx = core->host_ctx;
	u32 i, moved = 0;

	for (i = 0; i < n; i++) {
		const struct ogpu_sim_cp_piece *pc = &core->cp_plan[i];

		if (pc->src && pc->dst) {
			/* A COPY within VRAM may overlap. */
			memmove(pc->dst, pc->src, pc->len);
		} else if (pc->dst) {
			if (host->rw(ctx, pc->src_dma, pc->dst, pc->len, false))
				break;
		} else if (pc->src) {
			if (host->rw(ctx, pc->dst_dma, pc->src, pc->len, true))
				break;
		} else if (host->rw(ctx, pc->src_dma, core->bounce, pc->len,
				    false) ||
			   host->rw(ctx, pc->dst_dma, core->bounce, pc->len,
				    true)) {
			break;
		}
		moved += pc->len;
	}
	return moved;
}

/*
 * Do up to OGPU_SIM_CHUNK bytes of the COPY or FILL in progress. Called
 * and returns with the lock held, which it drops to move the bytes:
 * translate the chunk's pieces, mark the copy engine busy, move the
 * pieces outside the lock, and take the lock again to account for them.
 * The piece that would fault, or that the host could not reach, is then
 * done again under the lock, as one piece of ogpu_sim_q_piece(), which
 * reports the fault exactly as if the chunk had run under the lock.
 *
 * Returns false when the queue was reset or halted while the bytes moved:
 * its chunk is dropped.
 */
static bool ogpu_sim_q_step_op(struct ogpu_sim_core *core, u32 q)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u32 done = 0, n, moved, i;
	u64 link_ns;

	if (queue->op == OGPU_PKT_FILL)
		for (i = 0; i < sizeof(core->bounce); i += 4)
			memcpy(core->bounce + i, &queue->value, 4);

	while (queue->left && done < OGPU_SIM_CHUNK) {
		n = ogpu_sim_cp_plan(core, q, done);
		if (n) {
			core->cp_seq++;
			ogpu_sim_core_unlock(core);
			moved = ogpu_sim_cp_move(core, n);
			ogpu_sim_core_lock(core);
			core->cp_seq++;
			if (ogpu_sim_cp_running(core) != (int)q ||
			    queue->status == OGPU_HW_QS_ERROR || !queue->op)
				return false;
			/*
			 * A FILL's piece that stopped half-way, in its
			 * second page, runs again whole.
			 */
			if (queue->op == OGPU_PKT_FILL && moved < queue->left)
				moved -= moved % 4096;
			if (queue->op == OGPU_PKT_COPY)
				queue->src += moved;
			queue->dst += moved;
			queue->left -= moved;
			done += moved;
		}
		if (!queue->left || done >= OGPU_SIM_CHUNK)
			break;
		link_ns = core->link_ns;
		n = ogpu_sim_q_piece(core, q);
		core->cp_delay_ns += core->link_ns - link_ns;
		if (!n)
			return true;
		done += n;
	}
	if (!queue->left)
		queue->op = 0;
	return true;
}

/*
 * What ogpu_sim_q_exec() did with a packet. DONE: the packet ran, the
 * queue goes on to the next; AGAIN: it must run again later (a semaphore
 * not yet reached); HALTED: it halted the queue.
 */
enum ogpu_sim_pkt_result {
	OGPU_SIM_PKT_DONE,
	OGPU_SIM_PKT_AGAIN,
	OGPU_SIM_PKT_HALTED,
};

/* Execute the packet in @w (@ndw words, at @va). */
static enum ogpu_sim_pkt_result
ogpu_sim_q_exec(struct ogpu_sim_core *core, u32 q, const u32 *w, u32 ndw,
		u64 va, u64 now_ns)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u32 op = OGPU_PKT_OP(w[0]);
	u64 v;

	switch (op) {
	case OGPU_PKT_NOP:
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_WRITE_DATA:
		if (ndw != OGPU_PKT_WRITE_DATA32_NDW &&
		    ndw != OGPU_PKT_WRITE_DATA64_NDW)
			break;
		if (ogpu_sim_q_access(core, q, ogpu_sim_u64(&w[1]),
				      (void *)&w[3], (ndw - 3) * 4,
				      OGPU_HW_ACCESS_WRITE))
			return OGPU_SIM_PKT_HALTED;
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_FENCE:
		if (ndw != OGPU_PKT_FENCE_NDW || queue->user)
			break;
		if (ogpu_sim_q_access(core, q, ogpu_sim_u64(&w[1]),
				      (void *)&w[3], 8, OGPU_HW_ACCESS_WRITE))
			return OGPU_SIM_PKT_HALTED;
		core->q_fence_status |= 1u << q;
		ogpu_sim_core_raise(core, OGPU_HW_IRQ_FENCE);
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_COPY:
	case OGPU_PKT_FILL:
		if (ndw != (op == OGPU_PKT_COPY ? OGPU_PKT_COPY_NDW :
			    OGPU_PKT_FILL_NDW))
			break;
		if (op == OGPU_PKT_COPY) {
			queue->src = ogpu_sim_u64(&w[1]);
			queue->dst = ogpu_sim_u64(&w[3]);
			queue->left = ogpu_sim_u64(&w[5]);
		} else {
			queue->dst = ogpu_sim_u64(&w[1]);
			queue->left = ogpu_sim_u64(&w[3]);
			queue->value = w[5];
			if (queue->left & 3)
				break;
		}
		queue->op = queue->left ? op : 0;
		queue->op_user = queue->user;
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_SEM_WAIT:
		if (ndw != OGPU_PKT_SEM_WAIT_NDW)
			break;
		if (ogpu_sim_q_access(core, q, ogpu_sim_u64(&w[1]), &v, 8,
				      OGPU_HW_ACCESS_READ))
			return OGPU_SIM_PKT_HALTED;
		if (v >= ogpu_sim_u64(&w[3]))
			return OGPU_SIM_PKT_DONE;
		queue->status = OGPU_HW_QS_WAITING;
		return OGPU_SIM_PKT_AGAIN;
	case OGPU_PKT_SEM_SIGNAL:
		if (ndw != OGPU_PKT_SEM_SIGNAL_NDW)
			break;
		if (ogpu_sim_q_access(core, q, ogpu_sim_u64(&w[1]),
				      (void *)&w[3], 8, OGPU_HW_ACCESS_WRITE))
			return OGPU_SIM_PKT_HALTED;
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_TIMESTAMP:
		if (ndw != OGPU_PKT_TIMESTAMP_NDW)
			break;
		if (ogpu_sim_q_access(core, q, ogpu_sim_u64(&w[1]), &now_ns, 8,
				      OGPU_HW_ACCESS_WRITE))
			return OGPU_SIM_PKT_HALTED;
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_DISPATCH:
		if (ndw != OGPU_PKT_DISPATCH_NDW ||
		    ogpu_sim_q_dispatch(core, q, w))
			break;
		return OGPU_SIM_PKT_DONE;
	case OGPU_PKT_INDIRECT:
		if (ndw != OGPU_PKT_INDIRECT_NDW || queue->in_ib || !w[3] ||
		    w[3] > OGPU_SIM_MAX_IB || (ogpu_sim_u64(&w[1]) & 3))
			break;
		queue->in_ib = true;
		queue->ib_va = ogpu_sim_u64(&w[1]);
		queue->ib_left = w[3];
		return OGPU_SIM_PKT_DONE;
	default:
		break;
	}
	ogpu_sim_q_halt(core, q, OGPU_HW_QE_BAD_PACKET, va);
	return OGPU_SIM_PKT_HALTED;
}

/* One step of queue @q: a chunk of an op, or one packet. */
static void ogpu_sim_q_step(struct ogpu_sim_core *core, u32 q, u64 now_ns)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u32 w[OGPU_SIM_MAX_PKT], ndw, avail, i;
	enum ogpu_sim_pkt_result ret;
	u64 va;

	if (queue->op) {
		queue->user = queue->op_user;
		if (ogpu_sim_q_step_op(core, q))
			ogpu_sim_q_update(queue);
		return;
	}
	queue->user = queue->in_ib;

	if (queue->in_ib) {
		va = queue->ib_va;
		avail = queue->ib_left;
	} else {
		va = queue->ring + queue->rptr;
		avail = ((queue->wptr - queue->rptr) & (queue->ring_size - 1)) / 4;
	}
	queue->pkt_va = va;
	if (ogpu_sim_q_access(core, q, va, &w[0], 4,
			      OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_EXEC))
		return;
	ndw = OGPU_PKT_NDW(w[0]);
	if (!ndw || ndw > OGPU_SIM_MAX_PKT || ndw > avail) {
		ogpu_sim_q_halt(core, q, OGPU_HW_QE_BAD_PACKET, va);
		return;
	}
	for (i = 1; i < ndw; i++) {
		u64 wva = queue->in_ib ? va + 4 * i :
			  queue->ring + ((queue->rptr + 4 * i) &
					 (queue->ring_size - 1));

		if (ogpu_sim_q_access(core, q, wva, &w[i], 4,
				      OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_EXEC))
			return;
	}

	if (OGPU_PKT_OP(w[0]) == OGPU_PKT_INDIRECT) {
		/* Buffers do not nest. */
		if (queue->in_ib) {
			ogpu_sim_q_halt(core, q, OGPU_HW_QE_BAD_PACKET, va);
			return;
		}
		/* The packet itself is consumed before its buffer runs. */
		queue->rptr = (queue->rptr + 4 * ndw) & (queue->ring_size - 1);
	}

	ret = ogpu_sim_q_exec(core, q, w, ndw, va, now_ns);
	if (ret != OGPU_SIM_PKT_DONE)
		return;
	if (OGPU_PKT_OP(w[0]) == OGPU_PKT_INDIRECT)
		goto out;
	if (queue->in_ib) {
		queue->ib_va += 4 * ndw;
		queue->ib_left -= ndw;
		if (!queue->ib_left)
			queue->in_ib = false;
	} else {
		queue->rptr = (queue->rptr + 4 * ndw) & (queue->ring_size - 1);
	}
out:
	ogpu_sim_q_update(queue);
}

static bool ogpu_sim_q_runnable(const struct ogpu_sim_queue *queue)
{
	return (queue->control & OGPU_HW_QC_ENABLE) && !queue->dispatching &&
	       (queue->status == OGPU_HW_QS_BUSY ||
		queue->status == OGPU_HW_QS_WAITING);
}

/*
 * The next queue to step: the smallest pass, then the highest priority,
 * then round-robin. A queue behind the last one that ran (it was idle)
 * catches up to it first.
 */
static int ogpu_sim_q_pick(struct ogpu_sim_core *core)
{
	struct ogpu_sim_queue *best = NULL;
	int pick = -1;
	u32 i;

	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++) {
		u32 q = (core->rr + i) % OGPU_HW_NUM_QUEUES;
		struct ogpu_sim_queue *queue = &core->queues[q];

		if (!ogpu_sim_q_runnable(queue))
			continue;
		if (queue->pass < core->vtime)
			queue->pass = core->vtime;
		if (!best || queue->pass < best->pass ||
		    (queue->pass == best->pass &&
		     OGPU_HW_QC_PRIO(queue->control) >
		     OGPU_HW_QC_PRIO(best->control))) {
			best = queue;
			pick = q;
		}
	}
	if (best)
		core->vtime = best->pass;
	return pick;
}

static u64 ogpu_sim_now(struct ogpu_sim_core *core)
{
	return core->host && core->host->now_ns ?
	       core->host->now_ns(core->host_ctx) : 0;
}

/*
 * Whether @queue waits for an engine that others hold: it has packets for
 * the command processor, or a dispatch with blocks left and none of them
 * on a compute unit.
 */
static bool ogpu_sim_q_waits(const struct ogpu_sim_queue *queue)
{
	if (!(queue->control & OGPU_HW_QC_ENABLE) ||
	    queue->status != OGPU_HW_QS_BUSY)
		return false;
	if (!queue->dispatching)
		return true;
	return !queue->blocks_running && queue->next_block < queue->blocks;
}

/*
 * Charge the time since the last charge to every queue that waited
 * meanwhile, except the one whose step the command processor runs. Between
 * steps (the command processor not running at all) every queue with
 * packets waits.
 */
static void ogpu_sim_q_account(struct ogpu_sim_core *core)
{
	u64 now = ogpu_sim_now(core), ns = now - core->acct_ns;
	int running = ogpu_sim_cp_running(core);
	u32 i;

	core->acct_ns = now;
	for (i = 0; ns && i < OGPU_HW_NUM_QUEUES; i++)
		if ((int)i != running && ogpu_sim_q_waits(&core->queues[i]))
			core->queues[i].ready_ns += ns;
}

/**
 * ogpu_sim_core_account() - bring every queue's OGPU_Q_READY_NS up to now
 * @core: the device
 *
 * Called before anything that changes whether a queue waits: a compute
 * unit taking or giving back a block, and before READY_NS is read. While
 * the copy engine moves a chunk outside the lock, the time is its queue's
 * step, as it would be were the chunk done under the lock.
 */
void ogpu_sim_core_account(struct ogpu_sim_core *core)
{
	ogpu_sim_q_account(core);
}

/* Queue @q ran a step: advance its pass. */
static void ogpu_sim_q_charge(struct ogpu_sim_core *core, u32 q)
{
	struct ogpu_sim_queue *queue = &core->queues[q];

	queue->pass += OGPU_SIM_STRIDE >> OGPU_HW_QC_PRIO(queue->control);
}

/**
 * ogpu_sim_core_run() - let the command processor work
 * @core: the device
 * @budget: at most this many steps (packets or chunks)
 * @now_ns: the time, for TIMESTAMP packets
 *
 * A queue waiting on a semaphore is looked at again once per call.
 *
 * Unlike the core's other functions, this one is called without the
 * host's lock: it takes it, and drops it only while the copy engine moves
 * the bytes of a chunk (see ogpu_sim_q_step_op()). Calls must not
 * overlap.
 *
 * Return: OGPU_SIM_CP_BUSY if queues still have packets to run,
 * OGPU_SIM_CP_WAITING if the only work left is waiting on semaphores,
 * OGPU_SIM_CP_IDLE if every queue is idle or halted.
 */
enum ogpu_sim_cp_state ogpu_sim_core_run(struct ogpu_sim_core *core,
					 u32 budget, u64 now_ns)
{
	enum ogpu_sim_cp_state ret = OGPU_SIM_CP_IDLE;
	bool waited[OGPU_HW_NUM_QUEUES] = {};
	int q;
	u32 i;

	ogpu_sim_core_lock(core);
	/* The time since the last step, no queue's. */
	ogpu_sim_q_account(core);

	while (budget--) {
		q = ogpu_sim_q_pick(core);
		if (q < 0)
			break;
		if (core->queues[q].status == OGPU_HW_QS_WAITING) {
			/* One look per call at a waiting queue. */
			if (waited[q]) {
				/* Let others run; stop if all are waiting. */
				for (i = 0; i < OGPU_HW_NUM_QUEUES; i++)
					if (core->queues[i].status ==
					    OGPU_HW_QS_BUSY &&
					    ogpu_sim_q_runnable(&core->queues[i]))
						break;
				if (i == OGPU_HW_NUM_QUEUES)
					break;
				core->queues[q].status = OGPU_HW_QS_WAITING;
				ogpu_sim_q_charge(core, q);
				core->rr = q + 1;
				continue;
			}
			waited[q] = true;
			core->queues[q].status = OGPU_HW_QS_BUSY;
		}
		core->cp_q = q + 1;
		core->cp_resets = core->q_resets[q];
		ogpu_sim_q_step(core, q, now_ns);
		ogpu_sim_q_account(core);
		/*
		 * A queue reset during a chunk ends the step there, as if the
		 * reset had come after it: the queue starts afresh.
		 */
		if (ogpu_sim_cp_running(core) == q)
			ogpu_sim_q_charge(core, q);
		core->cp_q = 0;
		core->rr = q + 1;
		if (core->cp_delay_ns) {
			/* The next step waits for the link's transfers. */
			if (core->host && core->host->delay)
				core->host->delay(core->host_ctx,
						  core->cp_delay_ns);
			core->cp_delay_ns = 0;
			break;
		}
	}

	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++) {
		const struct ogpu_sim_queue *queue = &core->queues[i];

		if (!(queue->control & OGPU_HW_QC_ENABLE) || queue->dispatching)
			continue;
		if (queue->status == OGPU_HW_QS_BUSY) {
			ret = OGPU_SIM_CP_BUSY;
			break;
		}
		if (queue->status == OGPU_HW_QS_WAITING)
			ret = OGPU_SIM_CP_WAITING;
	}
	ogpu_sim_core_unlock(core);
	return ret;
}

/* Reset one queue: pointers, state and its status bits. */
void ogpu_sim_q_reset(struct ogpu_sim_core *core, u32 q)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	u64 ring = queue->ring;
	u32 size = queue->ring_size, control = queue->control;

	ogpu_sim_core_cu_drop(core, q);
	memset(queue, 0, sizeof(*queue));
	core->q_resets[q]++;
	queue->ring = ring;
	queue->ring_size = size;
	queue->control = control;
	core->q_fence_status &= ~(1u << q);
	core->q_error_status &= ~(1u << q);
}

/* A register of queue @q was read. */
static u32 ogpu_sim_q_read(struct ogpu_sim_core *core, u32 q, u32 r)
{
	const struct ogpu_sim_queue *queue = &core->queues[q];

	switch (r) {
	case OGPU_HW_Q_RING_LO:
		return (u32)queue->ring;
	case OGPU_HW_Q_RING_HI:
		return (u32)(queue->ring >> 32);
	case OGPU_HW_Q_RING_SIZE:
		return queue->ring_size;
	case OGPU_HW_Q_CONTROL:
		return queue->control;
	case OGPU_HW_Q_RPTR:
		return queue->rptr;
	case OGPU_HW_Q_WPTR:
		return queue->wptr;
	case OGPU_HW_Q_STATUS:
		return queue->status;
	case OGPU_HW_Q_ERROR:
		return queue->error;
	case OGPU_HW_Q_ERROR_ADDR_LO:
		return (u32)queue->error_addr;
	case OGPU_HW_Q_ERROR_ADDR_HI:
		return (u32)(queue->error_addr >> 32);
	case OGPU_HW_Q_READY_NS_LO:
		return (u32)queue->ready_ns;
	case OGPU_HW_Q_READY_NS_HI:
		return (u32)(queue->ready_ns >> 32);
	case OGPU_HW_Q_PKT_ADDR_LO:
		return (u32)queue->pkt_va;
	case OGPU_HW_Q_PKT_ADDR_HI:
		return (u32)(queue->pkt_va >> 32);
	default:
		return 0;
	}
}

/* A register of queue @q was written. */
static void ogpu_sim_q_write(struct ogpu_sim_core *core, u32 q, u32 r, u32 val)
{
	struct ogpu_sim_queue *queue = &core->queues[q];

	switch (r) {
	case OGPU_HW_Q_RING_LO:
		queue->ring = (queue->ring & ~0xffffffffull) | val;
		break;
	case OGPU_HW_Q_RING_HI:
		queue->ring = (queue->ring & 0xffffffffull) | (u64)val << 32;
		break;
	case OGPU_HW_Q_RING_SIZE:
		queue->ring_size = val;
		break;
	case OGPU_HW_Q_CONTROL:
		queue->control = val & (OGPU_HW_QC_ENABLE | 0x30f);
		break;
	case OGPU_HW_Q_WPTR:
		queue->wptr = val;
		break;
	case OGPU_HW_Q_DOORBELL:
		if (queue->status == OGPU_HW_QS_ERROR ||
		    !(queue->control & OGPU_HW_QC_ENABLE))
			break;
		if (queue->ring_size < 4096 || queue->ring_size > (1u << 20) ||
		    (queue->ring_size & (queue->ring_size - 1)) ||
		    (queue->ring & 0xfff) || queue->wptr >= queue->ring_size ||
		    (queue->wptr & 3)) {
			ogpu_sim_q_halt(core, q, OGPU_HW_QE_BAD_CONFIG,
					queue->ring);
			break;
		}
		/* Waiting starts now, not at the last charge. */
		ogpu_sim_q_account(core);
		ogpu_sim_q_update(queue);
		break;
	case OGPU_HW_Q_RESET:
		if (val & 1)
			ogpu_sim_q_reset(core, q);
		break;
	default:
		break;
	}
}

/**
 * ogpu_sim_queue_reg_read() - read a register of the OGPU_HW_REG_QUEUE_BASE block
 * @core: the device
 * @reg: its offset in the register file
 *
 * The block holds each queue's OGPU_HW_REG_Q() registers and, at 0x3000, the
 * queues' OGPU_HW_REG_Q_FENCE_STATUS and OGPU_HW_REG_Q_ERROR_STATUS.
 *
 * Return: the value; 0 for unimplemented registers.
 */
u32 ogpu_sim_queue_reg_read(struct ogpu_sim_core *core, u32 reg)
{
	switch (reg) {
	case OGPU_HW_REG_Q_FENCE_STATUS:
		return core->q_fence_status;
	case OGPU_HW_REG_Q_ERROR_STATUS:
		return core->q_error_status;
	}
	if (reg < OGPU_HW_REG_Q(0) || reg >= OGPU_HW_REG_Q(OGPU_HW_NUM_QUEUES))
		return 0;
	/* The HI, LO, HI read sees the time up to the LO read. */
	if (reg % 0x40 == OGPU_HW_Q_READY_NS_LO)
		ogpu_sim_core_account(core);
	return ogpu_sim_q_read(core, (reg - OGPU_HW_REG_Q(0)) / 0x40, reg % 0x40);
}

/**
 * ogpu_sim_queue_reg_write() - write a register of the OGPU_HW_REG_QUEUE_BASE
 * block
 * @core: the device
 * @reg: its offset in the register file
 * @val: the value
 *
 * Writes to read-only or unimplemented registers are ignored.
 */
void ogpu_sim_queue_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val)
{
	switch (reg) {
	case OGPU_HW_REG_Q_FENCE_STATUS:
		core->q_fence_status &= ~val;
		return;
	case OGPU_HW_REG_Q_ERROR_STATUS:
		core->q_error_status &= ~val;
		return;
	}
	if (reg < OGPU_HW_REG_Q(0) || reg >= OGPU_HW_REG_Q(OGPU_HW_NUM_QUEUES))
		return;
	ogpu_sim_q_write(core, (reg - OGPU_HW_REG_Q(0)) / 0x40, reg % 0x40, val);
}
