/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The device model's core: the register file of one OGPU and its interrupt
 * logic. Plain C with no kernel services, so the same file builds into
 * ogpu_sim.ko and into the host-side unit tests (tests/unit/).
 */
#ifndef __OGPU_SIM_CORE_H__
#define __OGPU_SIM_CORE_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

#include "ogpu_hw.h"
#include "ogpu_sim_cu.h"
#include "ogpu_sim_link.h"

/**
 * struct ogpu_sim_config - what a device is built with
 * @instance: instance number, reported by OGPU_HW_REG_INSTANCE
 * @vram_size: bytes of VRAM
 * @num_cus: compute units
 * @cu_lanes: SIMT lanes per compute unit
 * @compute_engines: compute engines
 * @copy_engines: copy (DMA) engines
 * @link_ports: interconnect ports
 */
struct ogpu_sim_config {
	u32 instance;
	u64 vram_size;
	u32 num_cus;
	u32 cu_lanes;
	u32 compute_engines;
	u32 copy_engines;
	u32 link_ports;
};

/**
 * struct ogpu_sim_host_ops - what the device model's host provides
 * @rw: copy @len bytes (within one 4 KiB page) between @buf and the system
 *	memory at DMA address @addr; returns 0 or -EFAULT
 * @now_ns: a monotonic clock in nanoseconds, which the command processor
 *	uses to account the time each queue is passed over; may be NULL,
 *	and then no time is accounted
 * @lock: take the lock that serialises calls into the core; the compute
 *	units and the copy engine run outside it, and ogpu_sim_core_cu_run()
 *	and ogpu_sim_core_run() take it for what they touch of the core (see
 *	there). NULL when the host runs everything on one thread.
 * @unlock: drop it, raising the interrupt line if it is high
 * @fabric_lock: take the link fabric's lock, the same for every device,
 *	innermost of all (see ogpu_sim_link.c); NULL on one thread
 * @fabric_unlock: drop it
 * @link_kick: a link of the device changed: soon, under the device's
 *	lock, call ogpu_sim_core_link_sync() and raise the interrupt line
 *	if it is high. Called under any lock; NULL when the host leaves it
 *	to the next register access, which syncs too
 * @delay: the copy engine's step that just ran must not end before @ns
 *	more nanoseconds (a transfer's latency and bytes over a link's
 *	bandwidth): the host holds the command processor's next step back
 *	as long. Called under the device's lock from ogpu_sim_core_run();
 *	may be NULL
 * @mem_written: a peer wrote this device's VRAM over a link: run the
 *	command processor soon, as a queue may wait on a semaphore there
 *	(a real device snoops the write). Called under the writer's lock,
 *	while the link holds this device; may be NULL, and then a waiting
 *	queue sees the write at its next poll
 */
struct ogpu_sim_host_ops {
	int (*rw)(void *ctx, u64 addr, void *buf, u32 len, bool write);
	u64 (*now_ns)(void *ctx);
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	void (*fabric_lock)(void *ctx);
	void (*fabric_unlock)(void *ctx);
	void (*link_kick)(void *ctx);
	void (*delay)(void *ctx, u64 ns);
	void (*mem_written)(void *ctx);
};

#define OGPU_SIM_TLB_ENTRIES	64

/* Bytes of a COPY or FILL per step of the command processor. */
#define OGPU_SIM_CHUNK		(64u << 10)
/*
 * Pieces of a chunk: each lies within one source page (for a FILL, one
 * 4 KiB run of the pattern) and one destination page, and all but the
 * last end where one of those does, so a chunk spans at most two
 * pieces per 4 KiB, and one more.
 */
#define OGPU_SIM_CHUNK_PIECES	(2 * (OGPU_SIM_CHUNK / 4096) + 1)

/**
 * struct ogpu_sim_cp_piece - one piece of a chunk, translated
 * @src: the source in VRAM (for a FILL, the pattern), or NULL when it is
 *	system memory
 * @dst: the destination in VRAM, or NULL when it is system memory
 * @src_dma: the source's DMA address, when @src is NULL
 * @dst_dma: the destination's DMA address, when @dst is NULL
 * @len: bytes
 */
struct ogpu_sim_cp_piece {
	u8 *src;
	u8 *dst;
	u64 src_dma;
	u64 dst_dma;
	u32 len;
};

/**
 * struct ogpu_sim_tlb_entry - one cached 4 KiB translation
 * @tag: virtual page number + 1; 0 when empty
 * @pte: the leaf entry, its address moved to the 4 KiB page
 */
struct ogpu_sim_tlb_entry {
	u64 tag;
	u64 pte;
};

/**
 * struct ogpu_sim_queue - one hardware queue and its command processor
 * @ring: ring VA
 * @ring_size: ring bytes
 * @control: OGPU_HW_Q_CONTROL
 * @rptr: OGPU_HW_Q_RPTR
 * @wptr: OGPU_HW_Q_WPTR
 * @status: OGPU_QS_*
 * @error: OGPU_QE_*
 * @error_addr: VA of the error
 * @pkt_va: OGPU_Q_PKT_ADDR: VA of the packet run or last run
 * @in_ib: running an indirect buffer
 * @ib_va: next word of the indirect buffer
 * @ib_left: words left in it
 * @user: the packet being run came from an indirect buffer: its accesses
 *	are unprivileged (OGPU_HW_ACCESS_USER)
 * @op: OGPU_PKT_COPY or OGPU_PKT_FILL in progress, or 0
 * @op_user: @op came from an indirect buffer
 * @src: next source byte of @op
 * @dst: next destination byte of @op
 * @left: bytes left of @op
 * @value: fill pattern of @op
 * @pass: the queue's virtual time in the command processor's stride
 *	scheduling; the runnable queue with the smallest runs next
 * @ready_ns: OGPU_Q_READY_NS: time the queue had packets to run while
 *	the command processor ran another queue's, or none, or blocks to
 *	run while other queues' blocks held every compute unit
 * @dispatching: a DISPATCH of this queue runs on the compute units; the
 *	command processor runs none of its packets until it ends
 * @launch: the DISPATCH's fields
 * @next_block: the next block (linear index) to hand to a compute unit
 * @blocks: blocks in the grid
 * @blocks_running: blocks that compute units run now
 * @cu_cause: OGPU_HW_CU_Q_CAUSE
 * @cu_pc: OGPU_CU_Q_PC
 * @cu_tval: OGPU_CU_Q_TVAL
 * @cu_where: OGPU_HW_CU_Q_WHERE
 */
struct ogpu_sim_queue {
	u64 ring;
	u32 ring_size;
	u32 control;
	u32 rptr;
	u32 wptr;
	u32 status;
	u32 error;
	u64 error_addr;
	u64 pkt_va;
	bool in_ib;
	u64 ib_va;
	u32 ib_left;
	bool user;
	u32 op;
	bool op_user;
	u64 src;
	u64 dst;
	u64 left;
	u32 value;
	u64 pass;
	u64 ready_ns;
	bool dispatching;
	struct ogpu_sim_launch launch;
	u64 next_block;
	u64 blocks;
	u32 blocks_running;
	u32 cu_cause;
	u64 cu_pc;
	u64 cu_tval;
	u32 cu_where;
};

/**
 * struct ogpu_sim_core - register state of one device
 * @cfg: the configuration the device was built with
 * @scratch: OGPU_HW_REG_SCRATCH
 * @irq_status: latched interrupt sources
 * @irq_enable: interrupt sources routed to the interrupt line
 * @vram: VRAM backing memory, @cfg.vram_size bytes
 * @host: system-memory access and clock of the device model's host
 * @host_ctx: argument of @host's functions
 * @ctx_root: each MMU context's root register, HI:LO
 * @fault_status: OGPU_HW_REG_MMU_FAULT_STATUS
 * @fault_addr: OGPU_HW_REG_MMU_FAULT_ADDR_HI:LO
 * @fault_port: OGPU_HW_REG_MMU_FAULT_PORT
 * @tlb: per-context direct-mapped TLBs
 * @tlb_hits: translations served by the TLB
 * @tlb_misses: translations that walked the page tables
 * @queues: the hardware queues
 * @q_fence_status: OGPU_HW_REG_Q_FENCE_STATUS
 * @q_error_status: OGPU_HW_REG_Q_ERROR_STATUS
 * @rr: where round-robin among equal passes resumes
 * @vtime: the pass of the queue that ran last; a queue that wakes up
 *	starts from it, so idle time earns no credit
 * @acct_ns: the time up to which OGPU_Q_READY_NS has been charged
 * @bounce: the command processor's staging for copies and FILL patterns;
 *	it uses it outside the lock too
 * @cp_q: 1 + the queue whose step the command processor runs, or 0
 * @cp_resets: @q_resets of that queue when the step began
 * @q_resets: bumped whenever queue i is reset (OGPU_HW_Q_RESET or
 *	OGPU_HW_REG_RESET), which clears its &struct ogpu_sim_queue: a step
 *	that sees it change has lost its queue and drops its result
 * @cp_plan: the pieces of the chunk the copy engine moves
 * @cp_seq: bumped when the copy engine starts moving a chunk's bytes
 *	outside the lock and when it ends (odd while it moves), for the host
 *	to wait for it as for the compute units' slices
 * @cu: the compute units' executors, NULL until ogpu_sim_core_attach_cus()
 * @cu_q: 1 + the queue whose block compute unit i runs, or 0
 * @cu_rr: the queue the next free compute unit takes a block from first
 * @cu_insns: OGPU_REG_CU_INSNS: thread-instructions the units have run
 * @cu_busy: compute unit i runs a slice of its block, outside the lock
 * @cu_dropped: unit i's block was dropped during its slice; the slice's
 *	end stops the block
 * @cu_seq: bumped when unit i starts a slice and when it ends one (odd
 *	while it runs), for the host to wait for slices in flight
 * @port: the link ports (see &struct ogpu_sim_link_port for their locks)
 * @link_changed: OGPU_HW_REG_LINK_CHANGED; the fabric's lock
 * @link_generation: OGPU_HW_REG_LINK_GENERATION; the fabric's lock
 * @link_irq: a port changed since the last ogpu_sim_core_link_sync(),
 *	which raises OGPU_HW_IRQ_LINK; the fabric's lock
 * @link_ns: the time of every transfer the device made over its links,
 *	latency and bytes over bandwidth, in nanoseconds
 * @cp_delay_ns: the part of it that the copy engine's step in progress
 *	made, which ogpu_sim_core_run() hands to &ogpu_sim_host_ops.delay
 *
 * The core does no locking: its user serialises every call on one device,
 * but for ogpu_sim_core_cu_run() and ogpu_sim_core_run(), which take
 * @host's lock themselves.
 */
struct ogpu_sim_core {
	struct ogpu_sim_config cfg;
	u32 scratch;
	u32 irq_status;
	u32 irq_enable;
	u8 *vram;
	const struct ogpu_sim_host_ops *host;
	void *host_ctx;
	u64 ctx_root[OGPU_HW_MMU_CONTEXTS];
	u32 fault_status;
	u64 fault_addr;
	u32 fault_port;
	struct ogpu_sim_tlb_entry tlb[OGPU_HW_MMU_CONTEXTS][OGPU_SIM_TLB_ENTRIES];
	u64 tlb_hits;
	u64 tlb_misses;
	struct ogpu_sim_queue queues[OGPU_HW_NUM_QUEUES];
	u32 q_fence_status;
	u32 q_error_status;
	u32 rr;
	u64 vtime;
	u64 acct_ns;
	u8 bounce[4096];
	u8 cp_q;
	u32 cp_resets;
	u32 q_resets[OGPU_HW_NUM_QUEUES];
	struct ogpu_sim_cp_piece cp_plan[OGPU_SIM_CHUNK_PIECES];
	u32 cp_seq;
	struct ogpu_sim_cu *cu[OGPU_HW_MAX_CUS];
	u8 cu_q[OGPU_HW_MAX_CUS];
	u32 cu_rr;
	u64 cu_insns;
	bool cu_busy[OGPU_HW_MAX_CUS];
	bool cu_dropped[OGPU_HW_MAX_CUS];
	u32 cu_seq[OGPU_HW_MAX_CUS];
	struct ogpu_sim_link_port port[OGPU_HW_MAX_LINK_PORTS];
	u32 link_changed;
	u32 link_generation;
	bool link_irq;
	u64 link_ns;
	u64 cp_delay_ns;
};

/*
 * What ogpu_sim_core_cu_run() returns: ORed bits. MORE: the unit has a
 * block, or blocks wait for a unit (call again); KICK_CP: a DISPATCH
 * ended, so its queue's next packets can run.
 */
#define OGPU_SIM_CU_MORE	BIT(0)
#define OGPU_SIM_CU_KICK_CP	BIT(1)

/**
 * enum ogpu_sim_cp_state - the work ogpu_sim_core_run() leaves
 * @OGPU_SIM_CP_IDLE: every enabled queue is idle, halted or dispatching
 * @OGPU_SIM_CP_BUSY: queues still have packets to run: call again
 * @OGPU_SIM_CP_WAITING: the only work left is waiting on semaphores:
 *	call again later, to look at them
 */
enum ogpu_sim_cp_state {
	OGPU_SIM_CP_IDLE,
	OGPU_SIM_CP_BUSY,
	OGPU_SIM_CP_WAITING,
};

int ogpu_sim_config_check(const struct ogpu_sim_config *cfg);
void ogpu_sim_core_init(struct ogpu_sim_core *core,
			const struct ogpu_sim_config *cfg, u8 *vram,
			const struct ogpu_sim_host_ops *host,
			void *host_ctx);
int ogpu_sim_core_read(struct ogpu_sim_core *core, u32 reg, u32 *val);
int ogpu_sim_core_write(struct ogpu_sim_core *core, u32 reg, u32 val);
void ogpu_sim_core_raise(struct ogpu_sim_core *core, u32 sources);
bool ogpu_sim_core_irq_line(const struct ogpu_sim_core *core);
enum ogpu_sim_cp_state ogpu_sim_core_run(struct ogpu_sim_core *core,
					 u32 budget, u64 now_ns);
void ogpu_sim_q_reset(struct ogpu_sim_core *core, u32 q);
u32 ogpu_sim_queue_reg_read(struct ogpu_sim_core *core, u32 reg);
void ogpu_sim_queue_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val);
void ogpu_sim_mmu_flush(struct ogpu_sim_core *core, u32 ctx_mask);
void ogpu_sim_mmu_reset(struct ogpu_sim_core *core);
u32 ogpu_sim_mmu_reg_read(struct ogpu_sim_core *core, u32 reg);
void ogpu_sim_mmu_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val);
int ogpu_sim_core_vm_access(struct ogpu_sim_core *core, u32 ctx, u64 va,
			    void *buf, u32 len, u32 access, bool report);
void ogpu_sim_core_halt_queue(struct ogpu_sim_core *core, u32 q);
void *ogpu_sim_core_vram(struct ogpu_sim_core *core, u32 ctx, u64 va,
			 u32 len, u32 access);
int ogpu_sim_core_map(struct ogpu_sim_core *core, u32 ctx, u64 va,
		      u32 access, void **p);
int ogpu_sim_core_locate(struct ogpu_sim_core *core, u32 ctx, u64 va,
			 u32 len, u32 access, void **p, u64 *dma);

int ogpu_sim_q_dispatch(struct ogpu_sim_core *core, u32 q, const u32 *w);
void ogpu_sim_core_attach_cus(struct ogpu_sim_core *core,
			      struct ogpu_sim_cu **cus);
bool ogpu_sim_core_cu_wanted(const struct ogpu_sim_core *core);
u64 ogpu_sim_core_cu_to_wake(const struct ogpu_sim_core *core);
u32 ogpu_sim_core_cu_run(struct ogpu_sim_core *core, u32 cu, u32 budget);
void ogpu_sim_core_cu_drop(struct ogpu_sim_core *core, u32 q);
u32 ogpu_sim_cu_reg_read(struct ogpu_sim_core *core, u32 reg);
void ogpu_sim_q_halt(struct ogpu_sim_core *core, u32 q, u32 error, u64 addr);
void ogpu_sim_q_update(struct ogpu_sim_queue *queue);
void ogpu_sim_core_account(struct ogpu_sim_core *core);
void ogpu_sim_core_lock(struct ogpu_sim_core *core);
void ogpu_sim_core_unlock(struct ogpu_sim_core *core);

#endif /* __OGPU_SIM_CORE_H__ */
