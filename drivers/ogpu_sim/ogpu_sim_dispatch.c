// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU compute dispatch
 *
 * A DISPATCH packet hands a grid of blocks to the compute units. The
 * command processor checks the packet (a bad one halts the queue with
 * OGPU_HW_QE_BAD_PACKET), records it in the queue and marks the queue
 * dispatching: it runs none of the queue's later packets until the
 * dispatch ends, so a FENCE after a DISPATCH signals only when every
 * block has ended. Other queues keep running.
 *
 * Each compute unit runs one block at a time, from its own worker
 * (ogpu_sim_core_cu_run() with a budget of warp-instructions): a free unit
 * takes the next block of a dispatching queue, round-robin among the
 * queues, runs it to its end, and reports back. The dispatch ends when its
 * last block ends; the command processor then goes on with the queue.
 *
 * The units run outside the lock that serialises the rest of the core:
 * ogpu_sim_core_cu_run() takes it (the host's lock()) to give the unit a
 * block, drops it while the executor runs a slice of the block, takes it
 * again for each translation (a miss in the executor's own cache), each
 * access to system memory and each fault, and once more to account the
 * slice. The executor keeps host pointers into VRAM for the rest of its
 * slice, so a TLB invalidation or a device reset is complete only when
 * the slices in flight have ended: the host waits for them (see
 * struct ogpu_sim_core's cu_seq). A queue reset does not wait: the blocks
 * it drops stop at the end of their slice, and their results are thrown
 * away.
 *
 * A block that stops on an error (a fault, an illegal instruction, a
 * partial barrier...) halts its queue: OGPU_HW_QE_FAULT for an MMU fault
 * (whose address and reason are in the MMU's fault registers, as for any
 * packet), OGPU_HW_QE_DISPATCH otherwise, with the cause, PC, address or
 * instruction, and the unit, warp and lane in the queue's OGPU_CU_Q_*
 * registers. The dispatch's other blocks are dropped, wherever they run.
 * A queue reset drops them too, so a kernel that never ends frees its
 * units when the driver resets the queue after its timeout.
 *
 * The compute units are unprivileged: every access carries
 * OGPU_HW_ACCESS_USER, whether the DISPATCH came from the ring or from an
 * indirect buffer.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "ogpu_sim_core.h"

/**
 * ogpu_sim_q_dispatch() - start a DISPATCH packet
 * @core: the device
 * @q: the queue
 * @w: the packet, OGPU_PKT_DISPATCH_NDW words
 *
 * Return: 0, or -EINVAL when the packet is malformed (the caller halts
 * the queue with OGPU_HW_QE_BAD_PACKET).
 */
int ogpu_sim_q_dispatch(struct ogpu_sim_core *core, u32 q, const u32 *w)
{
	struct ogpu_sim_queue *queue = &core->queues[q];
	struct ogpu_sim_launch *l = &queue->launch;
	u64 threads;
	u32 i;

	memset(l, 0, sizeof(*l));
	l->entry = w[1] | (u64)w[2] << 32;
	l->args = w[3] | (u64)w[4] << 32;
	l->args_size = w[5];
	for (i = 0; i < 3; i++) {
		l->grid[i] = w[6 + i];
		l->block[i] = w[9 + i];
	}
	l->shared = w[12];
	l->flags = w[13];

	if (!core->cfg.num_cus || l->flags || (l->entry & 3) ||
	    l->shared > OGPU_HW_CU_SHARED_MAX)
		return -EINVAL;
	threads = 1;
	for (i = 0; i < 3; i++) {
		if (!l->grid[i] || l->grid[i] > OGPU_HW_CU_MAX_GRID ||
		    !l->block[i] || l->block[i] > OGPU_HW_CU_MAX_BLOCK)
			return -EINVAL;
		threads *= l->block[i];
	}
	if (threads > OGPU_HW_CU_MAX_BLOCK)
		return -EINVAL;

	queue->blocks = (u64)l->grid[0] * l->grid[1] * l->grid[2];
	queue->next_block = 0;
	queue->blocks_running = 0;
	queue->dispatching = true;
	return 0;
}

/**
 * ogpu_sim_core_attach_cus() - give the device its compute units' state
 * @core: the device
 * @cus: cfg.num_cus executors, each ogpu_sim_cu_init()ed
 *
 * Until then DISPATCH packets wait: the module allocates the units on the
 * first one, outside the register lock.
 */
void ogpu_sim_core_attach_cus(struct ogpu_sim_core *core,
			      struct ogpu_sim_cu **cus)
{
	u32 i;

	for (i = 0; i < core->cfg.num_cus; i++)
		core->cu[i] = cus[i];
}

static bool ogpu_sim_q_has_blocks(const struct ogpu_sim_queue *queue)
{
	return queue->dispatching && queue->status != OGPU_HW_QS_ERROR &&
	       (queue->control & OGPU_HW_QC_ENABLE) &&
	       queue->next_block < queue->blocks;
}

/**
 * ogpu_sim_core_cu_wanted() - whether the compute units have work
 * @core: the device
 *
 * Return: true while a block runs or waits for a unit.
 */
bool ogpu_sim_core_cu_wanted(const struct ogpu_sim_core *core)
{
	u32 i;

	for (i = 0; i < core->cfg.num_cus; i++)
		if (core->cu_q[i])
			return true;
	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++)
		if (ogpu_sim_q_has_blocks(&core->queues[i]))
			return true;
	return false;
}

/**
 * ogpu_sim_core_cu_to_wake() - the idle units that waiting blocks need
 * @core: the device
 *
 * Units that run a block go on to the next by themselves; an idle one
 * needs a wake-up, one per block that waits for a unit (before the units
 * are attached, every unit counts as idle).
 *
 * Return: a mask of units, bit i for unit i.
 */
u64 ogpu_sim_core_cu_to_wake(const struct ogpu_sim_core *core)
{
	u64 waiting = 0, mask = 0;
	u32 i;

	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++)
		if (ogpu_sim_q_has_blocks(&core->queues[i]))
			waiting += core->queues[i].blocks -
				   core->queues[i].next_block;
	for (i = 0; i < core->cfg.num_cus && waiting; i++)
		if (!core->cu[i] || (!core->cu_q[i] && !core->cu_busy[i])) {
			mask |= 1ull << i;
			waiting--;
		}
	return mask;
}

/* Give compute unit @cu the next block of a dispatching queue. */
static bool ogpu_sim_cu_take(struct ogpu_sim_core *core, u32 cu)
{
	u32 i;

	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++) {
		u32 q = (core->cu_rr + i) % OGPU_HW_NUM_QUEUES;
		struct ogpu_sim_queue *queue = &core->queues[q];
		const u32 *grid = queue->launch.grid;
		u64 b;
		u32 bid[3];

		if (!ogpu_sim_q_has_blocks(queue))
			continue;
		ogpu_sim_core_account(core);
		b = queue->next_block++;
		bid[0] = b % grid[0];
		bid[1] = (b / grid[0]) % grid[1];
		bid[2] = b / ((u64)grid[0] * grid[1]);
		queue->blocks_running++;
		core->cu_q[cu] = q + 1;
		core->cu_rr = q + 1;
		ogpu_sim_cu_start(core->cu[cu], &queue->launch, bid);
		return true;
	}
	return false;
}

/*
 * Release compute unit @cu's block. A unit that runs a slice stops the
 * block itself, at the slice's end.
 */
static void ogpu_sim_cu_release(struct ogpu_sim_core *core, u32 cu)
{
	struct ogpu_sim_queue *queue = &core->queues[core->cu_q[cu] - 1];

	ogpu_sim_core_account(core);
	if (core->cu_busy[cu])
		core->cu_dropped[cu] = true;
	else
		ogpu_sim_cu_stop(core->cu[cu]);
	core->cu_q[cu] = 0;
	if (queue->blocks_running)
		queue->blocks_running--;
}

/**
 * ogpu_sim_core_cu_drop() - drop every block of queue @q's dispatch
 * @core: the device
 * @q: the queue, halted or reset
 */
void ogpu_sim_core_cu_drop(struct ogpu_sim_core *core, u32 q)
{
	u32 i;

	for (i = 0; i < core->cfg.num_cus; i++)
		if (core->cu_q[i] == q + 1)
			ogpu_sim_cu_release(core, i);
	core->queues[q].dispatching = false;
	core->queues[q].blocks_running = 0;
}

/*
 * The MMU as a compute unit sees it, in the context of the unit's queue:
 * each call takes the core's lock, unless the executor holds it already
 * (@held, between its lock() and unlock()).
 */
struct ogpu_sim_cu_view {
	struct ogpu_sim_core *core;
	u32 ctx;
	bool held;
};

static int ogpu_sim_cu_map(void *ctx, u64 va, u32 access, void **p)
{
	struct ogpu_sim_cu_view *v = ctx;
	int ret;

	if (!v->held)
		ogpu_sim_core_lock(v->core);
	ret = ogpu_sim_core_map(v->core, v->ctx, va, access, p);
	if (!v->held)
		ogpu_sim_core_unlock(v->core);
	return ret;
}

static int ogpu_sim_cu_rw(void *ctx, u64 va, void *buf, u32 len, u32 access)
{
	struct ogpu_sim_cu_view *v = ctx;
	int ret;

	if (!v->held)
		ogpu_sim_core_lock(v->core);
	ret = ogpu_sim_core_vm_access(v->core, v->ctx, va, buf, len, access,
				      true);
	if (!v->held)
		ogpu_sim_core_unlock(v->core);
	return ret;
}

static void ogpu_sim_cu_lock(void *ctx)
{
	struct ogpu_sim_cu_view *v = ctx;

	ogpu_sim_core_lock(v->core);
	v->held = true;
}

static void ogpu_sim_cu_unlock(void *ctx)
{
	struct ogpu_sim_cu_view *v = ctx;

	v->held = false;
	ogpu_sim_core_unlock(v->core);
}

/* Whether unit @cu has work: its block, or blocks that wait for a unit. */
static u32 ogpu_sim_cu_more(const struct ogpu_sim_core *core, u32 cu)
{
	u32 i;

	if (core->cu_q[cu])
		return OGPU_SIM_CU_MORE;
	for (i = 0; i < OGPU_HW_NUM_QUEUES; i++)
		if (ogpu_sim_q_has_blocks(&core->queues[i]))
			return OGPU_SIM_CU_MORE;
	return 0;
}

/* Halt queue @q for compute unit @cu's error. */
static void ogpu_sim_cu_fail(struct ogpu_sim_core *core, u32 cu, u32 q)
{
	const struct ogpu_sim_cu_error *e = ogpu_sim_cu_error(core->cu[cu]);
	struct ogpu_sim_queue *queue = &core->queues[q];

	queue->cu_cause = e->cause;
	queue->cu_pc = e->pc;
	queue->cu_tval = e->tval;
	queue->cu_where = OGPU_HW_CU_WHERE(cu, e->warp, e->lane);
	ogpu_sim_core_cu_drop(core, q);
	if (e->cause == OGPU_HW_CU_ERR_FAULT)
		ogpu_sim_q_halt(core, q, OGPU_HW_QE_FAULT, e->tval);
	else
		ogpu_sim_q_halt(core, q, OGPU_HW_QE_DISPATCH, e->pc);
}

/**
 * ogpu_sim_core_cu_run() - let compute unit @cu work a slice
 * @core: the device
 * @cu: the unit
 * @budget: at most this many warp-instructions
 *
 * Unlike the core's other functions, this one is called without the
 * host's lock: it takes it for what it touches of the core, and runs the
 * executor outside it. Calls for one unit must not overlap; calls for
 * different units may.
 *
 * Return: OGPU_SIM_CU_* bits.
 */
u32 ogpu_sim_core_cu_run(struct ogpu_sim_core *core, u32 cu, u32 budget)
{
	struct ogpu_sim_cu_view view = { .core = core };
	struct ogpu_sim_cu_mem mem = {
		.map = ogpu_sim_cu_map,
		.rw = ogpu_sim_cu_rw,
		.lock = ogpu_sim_cu_lock,
		.unlock = ogpu_sim_cu_unlock,
		.ctx = &view,
	};
	struct ogpu_sim_queue *queue;
	enum ogpu_sim_cu_status st;
	u32 ret = 0, q;
	u64 insns;

	if (cu >= core->cfg.num_cus)
		return 0;
	ogpu_sim_core_lock(core);
	if (!core->cu[cu] ||
	    (!core->cu_q[cu] && !ogpu_sim_cu_take(core, cu))) {
		ret = core->cu[cu] ? ogpu_sim_cu_more(core, cu) : 0;
		ogpu_sim_core_unlock(core);
		return ret;
	}
	q = core->cu_q[cu] - 1;
	view.ctx = OGPU_HW_QC_CTX(core->queues[q].control);
	core->cu_busy[cu] = true;
	core->cu_seq[cu]++;
	ogpu_sim_core_unlock(core);

	insns = ogpu_sim_cu_insns(core->cu[cu]);
	st = ogpu_sim_cu_run(core->cu[cu], &mem, budget);
	insns = ogpu_sim_cu_insns(core->cu[cu]) - insns;

	ogpu_sim_core_lock(core);
	core->cu_busy[cu] = false;
	core->cu_seq[cu]++;
	if (core->cu_dropped[cu]) {
		/* A reset or a halt dropped the block during the slice. */
		core->cu_dropped[cu] = false;
		ogpu_sim_cu_stop(core->cu[cu]);
		ret = ogpu_sim_cu_more(core, cu);
		ogpu_sim_core_unlock(core);
		return ret;
	}
	core->cu_insns += insns;
	queue = &core->queues[q];
	switch (st) {
	case OGPU_SIM_CU_RUNNING:
		break;
	case OGPU_SIM_CU_ERROR:
		ogpu_sim_cu_fail(core, cu, q);
		break;
	default:
		ogpu_sim_cu_release(core, cu);
		if (queue->dispatching && !queue->blocks_running &&
		    queue->next_block >= queue->blocks) {
			queue->dispatching = false;
			ogpu_sim_q_update(queue);
			ret |= OGPU_SIM_CU_KICK_CP;
		}
		break;
	}
	ret |= ogpu_sim_cu_more(core, cu);
	ogpu_sim_core_unlock(core);
	return ret;
}

/**
 * ogpu_sim_cu_reg_read() - read a register of the OGPU_HW_REG_CU_BASE block
 * @core: the device
 * @reg: its offset in the register block
 *
 * Return: the value; 0 for unimplemented registers.
 */
u32 ogpu_sim_cu_reg_read(struct ogpu_sim_core *core, u32 reg)
{
	const struct ogpu_sim_queue *queue;

	switch (reg) {
	case OGPU_HW_REG_CU_ISA:
		return OGPU_HW_CU_ISA_RV64G;
	case OGPU_HW_REG_CU_MAX_BLOCK:
		return OGPU_HW_CU_MAX_BLOCK;
	case OGPU_HW_REG_CU_SHARED_MAX:
		return OGPU_HW_CU_SHARED_MAX;
	case OGPU_HW_REG_CU_PRIVATE:
		return OGPU_HW_CU_PRIVATE_BYTES;
	case OGPU_HW_REG_CU_CSR_VERSION:
		return OGPU_HW_CSR_VERSION;
	case OGPU_HW_REG_CU_INSNS_LO:
		return (u32)core->cu_insns;
	case OGPU_HW_REG_CU_INSNS_HI:
		return (u32)(core->cu_insns >> 32);
	}
	if (reg < OGPU_HW_REG_CU_Q(0) || reg >= OGPU_HW_REG_CU_Q(OGPU_HW_NUM_QUEUES))
		return 0;
	queue = &core->queues[(reg - OGPU_HW_REG_CU_Q(0)) / 0x20];
	switch ((reg - OGPU_HW_REG_CU_Q(0)) % 0x20) {
	case OGPU_HW_CU_Q_CAUSE:
		return queue->cu_cause;
	case OGPU_HW_CU_Q_PC_LO:
		return (u32)queue->cu_pc;
	case OGPU_HW_CU_Q_PC_HI:
		return (u32)(queue->cu_pc >> 32);
	case OGPU_HW_CU_Q_TVAL_LO:
		return (u32)queue->cu_tval;
	case OGPU_HW_CU_Q_TVAL_HI:
		return (u32)(queue->cu_tval >> 32);
	case OGPU_HW_CU_Q_WHERE:
		return queue->cu_where;
	default:
		return 0;
	}
}
