// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: Compute unit executor
 *
 * A compute unit runs the threads of one block of a DISPATCH. Threads
 * execute RV64G as clang emits it for ``-march=rv64g -mabi=lp64d``:
 * RV64I, M, A, F, D, Zicsr and Zifencei, without the C extension, so every
 * instruction is 32 bits and every PC a multiple of 4.
 *
 * **Threads and warps.** Thread t = tx + ty * bx + tz * bx * by of a block
 * of bx * by * bz threads runs in lane t % lanes of warp t / lanes; the
 * last warp may be partial and its extra lanes never run. At entry a
 * thread has pc = the kernel's entry, ra = OGPU_HW_CU_EXIT_PC,
 * sp = OGPU_HW_CU_PRIVATE_VA + OGPU_HW_CU_PRIVATE_BYTES, a0 = the arguments'
 * VA, a1 = their size, and every other integer and floating point register
 * and fcsr zero. A thread whose PC becomes OGPU_HW_CU_EXIT_PC (it returned
 * from the kernel function) has ended; the block is done when all have.
 *
 * **SIMT.** A warp keeps its registers in structure-of-arrays form
 * (x[32][lanes], f[32][lanes]) and one PC per lane. Each warp step picks
 * the smallest PC among the warp's lanes that have neither ended nor wait
 * at the barrier, decodes that instruction once and executes it for every
 * lane at that PC (the active mask). Running the lowest PC first
 * reconverges the lanes of an if/else at its join point, runs a loop until
 * its last lane leaves it, and lets lanes that returned early wait for
 * nothing. While all runnable lanes share one PC the warp is *converged*
 * and keeps a single PC, so straight-line code neither scans nor writes
 * per-lane PCs. Decoded instructions are cached by PC; a later run call
 * (or a FENCE.I) fetches the instruction again through the MMU and decodes
 * it again if its bits changed, so code that changes an instruction must
 * execute FENCE.I before it runs it. Registers known to hold the same
 * value in every lane of a warp (constants, kernel arguments, block
 * indices, loop counters of uniform loops) are tracked per warp: an
 * integer operation or a branch on them runs once, and a load from one
 * address (outside the private window) reads memory once. Such a result
 * is only written to lane 0 of its row, which is copied to the other
 * lanes when an instruction first reads it lane by lane; an integer
 * operation or branch whose other operand differs between lanes reads it
 * once, as an immediate. As cores fuse macro-ops, an SLLI and the SRLI
 * or SRAI of its result, an SLLI and the ADD or OR of its result and a
 * uniform register, an ADD of a uniform base and a per-lane index and
 * the load from their sum, and an ADD or ADDI (or their W forms) and a
 * branch comparing the sum with a uniform register (a loop's step and
 * test), run as one pass over the lanes
 * (the pair counts as two warp-instructions; the second, on the same
 * page, is read again with the first for each run call). The warps of a
 * block take turns round-robin, up to 32 warp-instructions each or until
 * none of their lanes can run; ogpu_sim_cu_run() stops after its budget
 * of warp-instructions, and the next call goes on where it stopped.
 *
 * **CSRs** (read-only, per thread): OGPU_HW_CSR_TID_X..Z, BID_X..Z,
 * BDIM_X..Z, GDIM_X..Z, LANE, WARP, CU, WARP_SIZE, SHARED_SIZE, LAYOUT
 * (OGPU_HW_CSR_VERSION), and cycle, time and instret (0xc00-0xc02), which all
 * count the warp-instructions the thread's warp has run. fflags, frm and
 * fcsr are per thread. Writing a read-only CSR or using an unknown one is
 * an illegal instruction.
 *
 * **Barrier.** A CSR instruction that writes OGPU_HW_CSR_BARRIER (CSRRW and
 * CSRRWI always write; CSRRS, CSRRC and their immediate forms write when
 * rs1 or uimm is not 0) makes its thread wait. When every thread of the
 * block waits, all are released and go on after the instruction. If some
 * threads have ended and every other one waits, the barrier can never be
 * passed: the block stops with OGPU_HW_CU_ERR_BARRIER. Reading the barrier
 * CSR gives 0.
 *
 * **Memory.** Addresses below 2^48 go through the device's MMU with
 * OGPU_HW_ACCESS_USER: the executor asks struct ogpu_sim_cu_mem's map() for a
 * host pointer to the page and caches it for the rest of the run call, or
 * uses rw() when the page is not host-addressable. Addresses from 2^48 up
 * are the CU's windows: [OGPU_HW_CU_SHARED_VA, + the DISPATCH's shared bytes)
 * is the block's shared memory, zeroed when the block starts, and
 * [OGPU_HW_CU_PRIVATE_VA, + OGPU_HW_CU_PRIVATE_BYTES) the thread's own private
 * memory, its stack, zeroed where an earlier block wrote it. Any other
 * window address, or an access running past a window's end, is
 * OGPU_HW_CU_ERR_WINDOW. Instructions are fetched with OGPU_HW_ACCESS_READ |
 * OGPU_HW_ACCESS_EXEC from below 2^48 only. Loads, stores and AMOs must be
 * naturally aligned.
 *
 * **Atomics.** AMOs and LR/SC on host-addressable memory use the host's
 * sequentially consistent atomics, so they are atomic against other CUs
 * and the CPU. Through rw() they are a read then a write between
 * ogpu_sim_cu_mem's lock() and unlock(), atomic among the device's CUs
 * (the device model's lock) but not against the CPU. In the windows they
 * are plain read-modify-writes (the block's shared memory is only reached
 * by its own CU's threads), done in place by a loop specialised for the
 * AMO's operation and width. LR records the address and
 * the value it loaded; SC succeeds if the lane holds a reservation for
 * that address and the memory still holds that value (a compare and swap),
 * and clears the reservation either way.
 *
 * **Floating point** goes through ogpu_sim_fp.h, so it gives the same bits
 * on every host and needs no FPU state. Single precision values are
 * NaN-boxed in the 64-bit f registers: an input without all-ones upper
 * bits reads as the canonical NaN; results get all-ones upper bits.
 * Rounding mode 5 or 6, or DYN while frm is above 4, is an illegal
 * instruction.
 *
 * **Errors** stop the block: ogpu_sim_cu_error() gives the cause
 * (OGPU_CU_ERR_*), the PC, the address or instruction bits, and the warp
 * and lane, the first lane in lane order of the active mask that hit it.
 * ECALL and EBREAK are errors too; FENCE is a no-op.
 */

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#endif

#include "ogpu_sim_cu.h"
#include "ogpu_sim_fp.h"
#include "ogpu_sim_fp_hw.h"

#define CU_WINDOW		BIT_ULL(48)
#define CU_SLICE		32	/* warp-instructions per turn */
#define CU_ICACHE		1024	/* decoded instructions, by PC */
#define CU_TLB			256	/* page translations, by page and kind */
#define CU_XROWS		33	/* x0-x31 and a sink for writes to x0 */
#define CU_SINK			32

#define SX32(v)			((u64)(s64)(s32)(v))

/* Kinds of access, for the translation cache. */
enum cu_kind { CU_READ, CU_WRITE, CU_RMW, CU_EXEC };

static const u32 cu_access[] = {
	[CU_READ] = OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_USER,
	[CU_WRITE] = OGPU_HW_ACCESS_WRITE | OGPU_HW_ACCESS_USER,
	[CU_RMW] = OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_WRITE | OGPU_HW_ACCESS_USER,
	[CU_EXEC] = OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_EXEC | OGPU_HW_ACCESS_USER,
};

enum cu_op {
	/* Integer operations that only write rd and go on to pc + 4. */
	OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA,
	OP_OR, OP_AND, OP_ADDW, OP_SUBW, OP_SLLW, OP_SRLW, OP_SRAW,
	OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM,
	OP_REMU, OP_MULW, OP_DIVW, OP_DIVUW, OP_REMW, OP_REMUW,
	OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI,
	OP_SRLI, OP_SRAI, OP_ADDIW, OP_SLLIW, OP_SRLIW, OP_SRAIW,
	OP_LUI, OP_AUIPC, OP_NOP,
	/* Control transfers. */
	OP_JAL, OP_JALR, OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU,
	/* Memory: aux is the width in bytes. */
	OP_LB, OP_LH, OP_LW, OP_LD, OP_LBU, OP_LHU, OP_LWU,
	OP_SB, OP_SH, OP_SW, OP_SD, OP_FLW, OP_FLD, OP_FSW, OP_FSD,
	OP_AMO, OP_LR, OP_SC,	/* rm is funct5 */
	/* System. */
	OP_CSR, OP_BARRIER, OP_FENCEI, OP_ECALL, OP_EBREAK, OP_ILLEGAL,
	/* Floating point: aux is 1 for double precision. */
	OP_FADD, OP_FSUB, OP_FMUL, OP_FDIV, OP_FSQRT, OP_FSGNJ, OP_FSGNJN,
	OP_FSGNJX, OP_FMIN, OP_FMAX, OP_FEQ, OP_FLT, OP_FLE, OP_FCLASS,
	OP_FCVT_W, OP_FCVT_WU, OP_FCVT_L, OP_FCVT_LU, OP_FCVT_FW,
	OP_FCVT_FWU, OP_FCVT_FL, OP_FCVT_FLU, OP_FCVT_SD, OP_FCVT_DS,
	OP_FMV_XF, OP_FMV_FX, OP_FMADD, OP_FMSUB, OP_FNMSUB, OP_FNMADD,
};

#define OP_ALU_LAST		OP_NOP
#define OP_CTL_LAST		OP_BGEU
#define OP_MEM_LAST		OP_SC
#define OP_SYS_LAST		OP_ILLEGAL

/*
 * Pairs of instructions that run as one warp-instruction's pass over the
 * lanes (macro-op fusion), the second reading what the first wrote:
 * SLLI then SRLI or SRAI of its result (zero- or sign-extension, a field
 * extract); SLLI then an ADD or OR of its result and a register (scaled
 * index plus base); ADD then a load from its sum (base plus index); ADD,
 * ADDW, ADDI or ADDIW then a branch comparing its result (rs1) with
 * another register (a loop's step and test).
 */
enum cu_fuse {
	CU_FUSE_NONE, CU_FUSE_SHIFT2, CU_FUSE_SHIFTOP, CU_FUSE_ADDLOAD,
	CU_FUSE_ADDBR,
};

/* AMO funct5 values. */
#define AMO_ADD			0x00
#define AMO_SWAP		0x01
#define AMO_LR			0x02
#define AMO_SC			0x03
#define AMO_XOR			0x04
#define AMO_OR			0x08
#define AMO_AND			0x0c
#define AMO_MIN			0x10
#define AMO_MAX			0x14
#define AMO_MINU		0x18
#define AMO_MAXU		0x1c

#define CSR_FFLAGS		0x001
#define CSR_FRM			0x002
#define CSR_FCSR		0x003
#define CSR_CYCLE		0xc00
#define CSR_TIME		0xc01
#define CSR_INSTRET		0xc02

/* A decoded instruction, cached by PC for one run call. */
struct cu_insn {
	u64 pc;
	u32 gen;
	u16 op;
	u8 rd;
	u8 rs1;
	u8 rs2;
	u8 rs3;
	u8 rm;
	u8 aux;
	s64 imm;
	u64 umask;		/* the integer registers it reads, if simple */
	u64 xmask;		/* the integer register it writes */
	u64 xuse;		/* the integer rows it may touch: rs1, rs2, rd */
	u32 fmask;		/* the floating point register it writes */
	u32 bits;
	u8 fuse;		/* CU_FUSE_* */
	u8 rd2;			/* the fused instruction's destination, */
	u8 src2;		/* its source other than @rd, if any, */
	u16 op2;		/* its operation, */
	s64 imm2;		/* its immediate, */
	u64 xmask2;		/* as @xmask, */
	u32 fmask2;		/* the FP register it writes, */
	u32 bits2;		/* and the bits at pc + 4 when decoded */
	u32 mgen;		/* @mpage and @mbase are good while cu->gen */
	u64 mpage;		/* the last page a load or store used, */
	u8 *mbase;		/* and its host address */
};

/* A translated page: @base is NULL when the page is served by rw(). */
struct cu_tlb {
	u64 tag;
	u8 *base;
	u32 gen;
};

/*
 * A warp. @live: lanes whose threads have not ended. @wait: lanes waiting
 * at the barrier. @full: the warp's lanes. @resv: lanes holding an LR
 * reservation. @conv: every runnable lane is at @cpc (their entries in
 * the per-lane PC array are stale). @steps: warp-instructions run.
 * @uni: integer registers whose value is the same in all of @full.
 * @lazy: registers of @uni whose row holds the value in lane 0 only (the
 * other lanes' entries are stale until cu_unlazy() copies it).
 */
struct cu_warp {
	u64 live;
	u64 wait;
	u64 full;
	u64 resv;
	u64 cpc;
	u64 steps;
	u64 uni;
	u64 lazy;
	u32 nl;
	bool conv;
};

/*
 * Per-thread arrays are indexed by the thread's linear id in the block,
 * warp * lanes + lane; a warp's registers are rows of @lanes values.
 */
struct ogpu_sim_cu {
	u32 id;
	bool host_fpu;			/* ogpu_sim_cu_set_host_fpu() */
	u32 lanes;
	u32 shift;			/* log2(lanes) */
	u32 max_warps;
	enum ogpu_sim_cu_status status;
	struct ogpu_sim_launch launch;
	u32 bid[3];
	u32 threads;			/* of the loaded block */
	u32 warps;
	u32 ended;			/* threads that have ended */
	u32 waiting;			/* threads waiting at the barrier */
	u32 cur;			/* the warp whose turn it is */
	u32 dirty_warps;		/* warps whose dirty rows are not 0 */
	u64 xdirty;			/* x rows written since cleared */
	u32 fdirty;			/* f rows written since cleared */
	u32 gen;			/* of the caches' valid entries */
	u32 igen;			/* @ipage and @ibase are good while @gen */
	u64 ipage;			/* the page of the last fetch, */
	u8 *ibase;			/* and its host address */
	u64 insns;
	struct ogpu_sim_cu_error err;
	const struct ogpu_sim_cu_mem *mem;	/* during a run call */
	struct cu_warp *warp;
	u64 *x;				/* [warp][CU_XROWS][lanes] */
	u64 *f;				/* [warp][32][lanes] */
	u64 *pc;			/* [thread] */
	u64 *resv_addr;
	u64 *resv_val;
	u16 *priv_lo;			/* lowest private byte written */
	u8 *fcsr;			/* frm << 5 | fflags */
	u8 *shared;
	u8 *priv;			/* [thread][OGPU_HW_CU_PRIVATE_BYTES] */
	struct cu_insn icache[CU_ICACHE];
	struct cu_tlb tlb[CU_TLB];
	u64 data[];
};

/* Reserve @bytes at *@off, 8-byte aligned; returns where. */
static size_t cu_take(size_t *off, size_t bytes)
{
	size_t at = *off;

	*off = (at + bytes + 7) & ~(size_t)7;
	return at;
}

/* Lay the per-warp and per-thread arrays out in @data; returns its size. */
static size_t cu_layout(struct ogpu_sim_cu *cu, u32 lanes)
{
	size_t t = OGPU_HW_CU_MAX_BLOCK, nw = OGPU_HW_CU_MAX_BLOCK / lanes, off = 0;
	size_t warp = cu_take(&off, nw * sizeof(struct cu_warp));
	size_t x = cu_take(&off, t * CU_XROWS * sizeof(u64));
	size_t f = cu_take(&off, t * 32 * sizeof(u64));
	size_t pc = cu_take(&off, t * sizeof(u64));
	size_t ra = cu_take(&off, t * sizeof(u64));
	size_t rv = cu_take(&off, t * sizeof(u64));
	size_t lo = cu_take(&off, t * sizeof(u16));
	size_t fcsr = cu_take(&off, t);
	size_t shared = cu_take(&off, OGPU_HW_CU_SHARED_MAX);
	size_t priv = cu_take(&off, t * OGPU_HW_CU_PRIVATE_BYTES);
	u8 *base;

	if (!cu)
		return off;
	base = (u8 *)cu->data;
	cu->warp = (struct cu_warp *)(base + warp);
	cu->x = (u64 *)(base + x);
	cu->f = (u64 *)(base + f);
	cu->pc = (u64 *)(base + pc);
	cu->resv_addr = (u64 *)(base + ra);
	cu->resv_val = (u64 *)(base + rv);
	cu->priv_lo = (u16 *)(base + lo);
	cu->fcsr = base + fcsr;
	cu->shared = base + shared;
	cu->priv = base + priv;
	return off;
}

/**
 * ogpu_sim_cu_size() - bytes of a compute unit's state
 * @lanes: lanes per warp, a power of two from 1 to OGPU_SIM_CU_MAX_LANES
 *
 * Return: the size to allocate for ogpu_sim_cu_init().
 */
size_t ogpu_sim_cu_size(u32 lanes)
{
	return sizeof(struct ogpu_sim_cu) + cu_layout(NULL, lanes);
}

/**
 * ogpu_sim_cu_init() - power on a compute unit
 * @cu: ogpu_sim_cu_size(@lanes) bytes
 * @id: the CU's number, as OGPU_HW_CSR_CU reads it
 * @lanes: lanes per warp
 */
void ogpu_sim_cu_init(struct ogpu_sim_cu *cu, u32 id, u32 lanes)
{
	u32 i;

	memset(cu, 0, sizeof(*cu));
	cu->id = id;
	cu->lanes = lanes;
	for (i = 0; (1u << i) < lanes; i++)
		;
	cu->shift = i;
	cu->max_warps = OGPU_HW_CU_MAX_BLOCK / lanes;
	cu->gen = 1;
	cu->status = OGPU_SIM_CU_IDLE;
	cu_layout(cu, lanes);
	/* The registers start as whatever the allocator left. */
	cu->dirty_warps = cu->max_warps;
	cu->xdirty = ~0ull;
	cu->fdirty = ~0u;
	/* Private memory starts clean: nothing below its end was written. */
	for (i = 0; i < OGPU_HW_CU_MAX_BLOCK; i++)
		cu->priv_lo[i] = OGPU_HW_CU_PRIVATE_BYTES;
}

/**
 * ogpu_sim_cu_set_host_fpu() - let the unit use the host's FPU
 * @cu: the unit
 * @on: true if every ogpu_sim_cu_run() call runs where the FPU may be used
 *	(in the kernel: between kernel_fpu_begin() and kernel_fpu_end())
 *
 * Then FADD, FSUB, FMUL and FDIV take ogpu_sim_fp_hw.c's fast path where
 * it gives the soft-float's bits and flags. Off after ogpu_sim_cu_init().
 */
void ogpu_sim_cu_set_host_fpu(struct ogpu_sim_cu *cu, bool on)
{
	cu->host_fpu = on;
}

/* The lowest lane (or row) of a non-empty @mask. */
static inline u32 cu_first(u64 mask)
{
	return __builtin_ctzll(mask);
}

static inline u64 *cu_x(struct ogpu_sim_cu *cu, u32 wi, u32 r)
{
	return cu->x + (((size_t)wi * CU_XROWS + r) << cu->shift);
}

static inline u64 *cu_f(struct ogpu_sim_cu *cu, u32 wi, u32 r)
{
	return cu->f + (((size_t)wi * 32 + r) << cu->shift);
}

/* Copy lane 0 of @row to the warp's other lanes. */
static void cu_bcast(u64 *row, u32 nl)
{
	u64 v = row[0];
	u32 l;

	for (l = 1; l + 3 < nl; l += 4) {
		row[l] = v;
		row[l + 1] = v;
		row[l + 2] = v;
		row[l + 3] = v;
	}
	for (; l < nl; l++)
		row[l] = v;
}

static noinline void cu_unlazy_rows(struct ogpu_sim_cu *cu,
				    struct cu_warp *w, u32 wi, u64 m)
{
	w->lazy &= ~m;
	for (; m; m &= m - 1)
		cu_bcast(cu_x(cu, wi, cu_first(m)), w->nl);
}

/* Give the lazy rows of @m (see struct cu_warp) every lane's value. */
static inline void cu_unlazy(struct ogpu_sim_cu *cu, struct cu_warp *w,
			     u32 wi, u64 m)
{
	m &= w->lazy;
	if (unlikely(m))
		cu_unlazy_rows(cu, w, wi, m);
}

/* The registers ogpu_sim_cu_start() sets in every lane: ra, sp, a0, a1. */
#define CU_ENTRY_ROWS	(BIT_ULL(1) | BIT_ULL(2) | BIT_ULL(10) | BIT_ULL(11))

/*
 * Zero the registers: only the rows an earlier block wrote, in the warps
 * it had, but for those every block sets at entry.
 */
static void cu_clear_regs(struct ogpu_sim_cu *cu)
{
	u32 n = cu->dirty_warps > cu->warps ? cu->dirty_warps : cu->warps;
	size_t row = sizeof(u64) << cu->shift;
	u64 xdirty = cu->xdirty & ~CU_ENTRY_ROWS;
	u32 wi, r;

	for (wi = 0; wi < n; wi++) {
		u64 m;

		for (m = xdirty; m; m &= m - 1) {
			r = cu_first(m);
			memset(cu_x(cu, wi, r), 0, row);
		}
		for (m = cu->fdirty; m; m &= m - 1) {
			r = cu_first(m);
			memset(cu_f(cu, wi, r), 0, row);
		}
	}
	cu->dirty_warps = cu->warps;
	cu->xdirty = 0;
	cu->fdirty = 0;
}

/**
 * ogpu_sim_cu_start() - load a block
 * @cu: the compute unit
 * @launch: the DISPATCH, validated by the caller
 * @bid: the block's index in the grid
 */
void ogpu_sim_cu_start(struct ogpu_sim_cu *cu,
		       const struct ogpu_sim_launch *launch, const u32 bid[3])
{
	u32 t, wi, lo;

	cu->launch = *launch;
	memcpy(cu->bid, bid, sizeof(cu->bid));
	cu->threads = launch->block[0] * launch->block[1] * launch->block[2];
	cu->warps = (cu->threads + cu->lanes - 1) >> cu->shift;
	cu->ended = 0;
	cu->waiting = 0;
	cu->cur = 0;
	memset(&cu->err, 0, sizeof(cu->err));
	memset(cu->shared, 0, launch->shared);
	cu_clear_regs(cu);
	for (t = 0; t < cu->threads; t++) {
		lo = cu->priv_lo[t];
		if (lo < OGPU_HW_CU_PRIVATE_BYTES) {
			memset(cu->priv + (size_t)t * OGPU_HW_CU_PRIVATE_BYTES + lo,
			       0, OGPU_HW_CU_PRIVATE_BYTES - lo);
			cu->priv_lo[t] = OGPU_HW_CU_PRIVATE_BYTES;
		}
		cu->pc[t] = launch->entry;
		cu->fcsr[t] = 0;
	}
	for (wi = 0; wi < cu->warps; wi++) {
		struct cu_warp *w = &cu->warp[wi];
		u32 nl = cu->threads - (wi << cu->shift);
		unsigned long l;

		if (nl > cu->lanes)
			nl = cu->lanes;
		w->nl = nl;
		w->full = nl == 64 ? ~0ull : (1ull << nl) - 1;
		w->live = w->full;
		w->wait = 0;
		w->resv = 0;
		w->conv = true;
		w->cpc = launch->entry;
		w->steps = 0;
		w->uni = ~0ull;		/* all zero, or set alike */
		w->lazy = 0;
		for (l = 0; l < nl; l++) {
			cu_x(cu, wi, 1)[l] = OGPU_HW_CU_EXIT_PC;
			cu_x(cu, wi, 2)[l] = OGPU_HW_CU_PRIVATE_VA +
					     OGPU_HW_CU_PRIVATE_BYTES;
			cu_x(cu, wi, 10)[l] = launch->args;
			cu_x(cu, wi, 11)[l] = launch->args_size;
		}
	}
	cu->status = OGPU_SIM_CU_RUNNING;
	if (launch->entry == OGPU_HW_CU_EXIT_PC) {
		for (wi = 0; wi < cu->warps; wi++)
			cu->warp[wi].live = 0;
		cu->ended = cu->threads;
		cu->status = OGPU_SIM_CU_DONE;
	}
}

/**
 * ogpu_sim_cu_stop() - drop the loaded block
 * @cu: the compute unit
 */
void ogpu_sim_cu_stop(struct ogpu_sim_cu *cu)
{
	cu->status = OGPU_SIM_CU_IDLE;
}

/**
 * ogpu_sim_cu_error() - why the block stopped
 * @cu: the compute unit
 *
 * Return: the error; its cause is OGPU_HW_CU_ERR_NONE unless
 * ogpu_sim_cu_run() returned OGPU_SIM_CU_ERROR.
 */
const struct ogpu_sim_cu_error *ogpu_sim_cu_error(const struct ogpu_sim_cu *cu)
{
	return &cu->err;
}

/**
 * ogpu_sim_cu_insns() - thread-instructions run
 * @cu: the compute unit
 *
 * Return: one per active lane per warp-instruction, since ogpu_sim_cu_init().
 */
u64 ogpu_sim_cu_insns(const struct ogpu_sim_cu *cu)
{
	return cu->insns;
}

static u64 *cu_reg(const struct ogpu_sim_cu *cu, u32 t, u32 reg)
{
	u32 wi = t >> cu->shift, l = t & (cu->lanes - 1);

	if (reg < 32)
		return cu->x + (((size_t)wi * CU_XROWS + reg) << cu->shift) + l;
	if (reg < 64)
		return cu->f + (((size_t)wi * 32 + reg - 32) << cu->shift) + l;
	return NULL;
}

/**
 * ogpu_sim_cu_reg() - read a thread's register
 * @cu: the compute unit
 * @thread: linear thread id in the block
 * @reg: x0-x31 as 0-31, f0-f31 as 32-63, OGPU_SIM_CU_REG_FCSR or _PC
 *
 * Return: the value; 0 for an unknown register or thread.
 */
u64 ogpu_sim_cu_reg(const struct ogpu_sim_cu *cu, u32 thread, u32 reg)
{
	const struct cu_warp *w;

	if (thread >= OGPU_HW_CU_MAX_BLOCK)
		return 0;
	w = &cu->warp[thread >> cu->shift];
	if (reg == OGPU_SIM_CU_REG_FCSR)
		return cu->fcsr[thread];
	if (reg == OGPU_SIM_CU_REG_PC)
		return w->conv && (w->live & ~w->wait) >> (thread & (cu->lanes - 1)) & 1 ?
		       w->cpc : cu->pc[thread];
	if (reg < 32 && (w->lazy >> reg & 1))
		return *cu_reg(cu, thread & ~(cu->lanes - 1), reg);
	return reg < 64 ? *cu_reg(cu, thread, reg) : 0;
}

/**
 * ogpu_sim_cu_set_reg() - set a thread's register before the block runs
 * @cu: the compute unit
 * @thread: linear thread id in the block
 * @reg: as for ogpu_sim_cu_reg(), without the PC
 * @v: the value
 */
void ogpu_sim_cu_set_reg(struct ogpu_sim_cu *cu, u32 thread, u32 reg, u64 v)
{
	if (thread >= OGPU_HW_CU_MAX_BLOCK || !reg || reg > OGPU_SIM_CU_REG_FCSR)
		return;
	if (reg == OGPU_SIM_CU_REG_FCSR) {
		cu->fcsr[thread] = v;
		return;
	}
	if (reg < 32) {
		struct cu_warp *w = &cu->warp[thread >> cu->shift];

		cu_unlazy(cu, w, thread >> cu->shift, BIT_ULL(reg));
		cu->xdirty |= BIT_ULL(reg);
		w->uni &= ~BIT_ULL(reg);
	} else {
		cu->fdirty |= BIT(reg - 32);
	}
	*cu_reg(cu, thread, reg) = v;
}

/* Stop the block; returns false for the callers' convenience. */
static bool cu_fail(struct ogpu_sim_cu *cu, u32 cause, u64 pc, u64 tval,
		    u32 wi, u32 lane)
{
	if (cu->status != OGPU_SIM_CU_ERROR) {
		cu->status = OGPU_SIM_CU_ERROR;
		cu->err.cause = cause;
		cu->err.pc = pc;
		cu->err.tval = tval;
		cu->err.warp = wi;
		cu->err.lane = lane;
	}
	return false;
}

/* ---- Decoding ---- */

static inline s64 cu_sext(u64 v, u32 bits)
{
	return (s64)(v << (64 - bits)) >> (64 - bits);
}

/* A destination in the integer registers: writes to x0 go to the sink. */
static inline u8 cu_xd(u32 rd)
{
	return rd ? rd : CU_SINK;
}

static bool cu_csr_known(u32 csr, bool write)
{
	if (csr == CSR_FFLAGS || csr == CSR_FRM || csr == CSR_FCSR ||
	    csr == OGPU_HW_CSR_BARRIER)
		return true;
	if (write)
		return false;
	return (csr >= CSR_CYCLE && csr <= CSR_INSTRET) ||
	       (csr >= OGPU_HW_CSR_TID_X && csr <= OGPU_HW_CSR_LAYOUT);
}

static void cu_decode_system(struct cu_insn *in, u32 b)
{
	u32 f3 = (b >> 12) & 7, csr = b >> 20;
	bool write;

	if (b == 0x00000073) {
		in->op = OP_ECALL;
		return;
	}
	if (b == 0x00100073) {
		in->op = OP_EBREAK;
		return;
	}
	if (f3 == 0 || f3 == 4)
		return;
	/* CSRRW(I) always write; CSRRS(I)/CSRRC(I) when rs1/uimm is not 0. */
	write = (f3 & 3) == 1 || in->rs1;
	if (!cu_csr_known(csr, write))
		return;
	in->imm = csr;
	in->rm = f3;
	in->rd = cu_xd(in->rd);
	in->op = csr == OGPU_HW_CSR_BARRIER && write ? OP_BARRIER : OP_CSR;
}

static void cu_decode_amo(struct cu_insn *in, u32 b)
{
	u32 f3 = (b >> 12) & 7, f5 = b >> 27;

	if (f3 != 2 && f3 != 3)
		return;
	in->aux = f3 == 2 ? 4 : 8;
	in->rm = f5;
	in->rd = cu_xd(in->rd);
	switch (f5) {
	case AMO_LR:
		if (!in->rs2)
			in->op = OP_LR;
		return;
	case AMO_SC:
		in->op = OP_SC;
		return;
	case AMO_ADD: case AMO_SWAP: case AMO_XOR: case AMO_OR: case AMO_AND:
	case AMO_MIN: case AMO_MAX: case AMO_MINU: case AMO_MAXU:
		in->op = OP_AMO;
		return;
	}
}

static void cu_decode_int(struct cu_insn *in, u32 b, bool imm, bool w32)
{
	static const u8 rr[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR,
				  OP_SRL, OP_OR, OP_AND };
	static const u8 mul[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
				   OP_DIV, OP_DIVU, OP_REM, OP_REMU };
	static const u8 ri[8] = { OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
				  OP_XORI, OP_SRLI, OP_ORI, OP_ANDI };
	static const u8 mulw[8] = { OP_MULW, 0, 0, 0, OP_DIVW, OP_DIVUW,
				    OP_REMW, OP_REMUW };
	u32 f3 = (b >> 12) & 7, f7 = b >> 25;

	in->rd = cu_xd(in->rd);
	if (imm && !w32) {
		in->imm = cu_sext(b >> 20, 12);
		if (f3 == 1 || f3 == 5) {
			/* Shifts: imm[11:6] is 0, or 0x10 for SRAI. */
			u32 hi = b >> 26;

			in->imm &= 63;
			if (f3 == 1 && hi == 0)
				in->op = OP_SLLI;
			else if (f3 == 5 && hi == 0)
				in->op = OP_SRLI;
			else if (f3 == 5 && hi == 0x10)
				in->op = OP_SRAI;
			return;
		}
		in->op = ri[f3];
	} else if (imm) {
		in->imm = cu_sext(b >> 20, 12);
		if (f3 == 0) {
			in->op = OP_ADDIW;
		} else if (f3 == 1 || f3 == 5) {
			in->imm &= 31;
			if (f3 == 1 && f7 == 0)
				in->op = OP_SLLIW;
			else if (f3 == 5 && f7 == 0)
				in->op = OP_SRLIW;
			else if (f3 == 5 && f7 == 0x20)
				in->op = OP_SRAIW;
		}
	} else if (!w32) {
		if (f7 == 0)
			in->op = rr[f3];
		else if (f7 == 1)
			in->op = mul[f3];
		else if (f7 == 0x20 && f3 == 0)
			in->op = OP_SUB;
		else if (f7 == 0x20 && f3 == 5)
			in->op = OP_SRA;
	} else {
		if (f7 == 1 && mulw[f3])
			in->op = mulw[f3];
		else if (f7 == 0 && f3 == 0)
			in->op = OP_ADDW;
		else if (f7 == 0 && f3 == 1)
			in->op = OP_SLLW;
		else if (f7 == 0 && f3 == 5)
			in->op = OP_SRLW;
		else if (f7 == 0x20 && f3 == 0)
			in->op = OP_SUBW;
		else if (f7 == 0x20 && f3 == 5)
			in->op = OP_SRAW;
	}
}

/* OP-FP; in->aux is the format (0 single, 1 double) already. */
static void cu_decode_fp(struct cu_insn *in, u32 b)
{
	u32 f3 = (b >> 12) & 7, f5 = b >> 27, rs2 = in->rs2;
	bool rm_ok = f3 != 5 && f3 != 6;

	switch (f5) {
	case 0x00: case 0x01: case 0x02: case 0x03:
		if (rm_ok)
			in->op = OP_FADD + f5;
		return;
	case 0x0b:
		if (rm_ok && rs2 == 0)
			in->op = OP_FSQRT;
		return;
	case 0x04:
		if (f3 < 3)
			in->op = OP_FSGNJ + f3;
		return;
	case 0x05:
		if (f3 < 2)
			in->op = OP_FMIN + f3;
		return;
	case 0x08:
		/* FCVT.S.D (fmt S, rs2 1) and FCVT.D.S (fmt D, rs2 0). */
		if (rm_ok && rs2 == (in->aux ? 0 : 1))
			in->op = in->aux ? OP_FCVT_DS : OP_FCVT_SD;
		return;
	case 0x14:
		if (f3 == 2)
			in->op = OP_FEQ;
		else if (f3 == 1)
			in->op = OP_FLT;
		else if (f3 == 0)
			in->op = OP_FLE;
		in->rd = cu_xd(in->rd);
		return;
	case 0x18:
		if (rm_ok && rs2 < 4)
			in->op = OP_FCVT_W + rs2;
		in->rd = cu_xd(in->rd);
		return;
	case 0x1a:
		if (rm_ok && rs2 < 4)
			in->op = OP_FCVT_FW + rs2;
		return;
	case 0x1c:
		if (rs2 == 0 && f3 == 0)
			in->op = OP_FMV_XF;
		else if (rs2 == 0 && f3 == 1)
			in->op = OP_FCLASS;
		in->rd = cu_xd(in->rd);
		return;
	case 0x1e:
		if (rs2 == 0 && f3 == 0)
			in->op = OP_FMV_FX;
		return;
	}
}

static void cu_decode_op(struct cu_insn *in, u32 b)
{
	u32 f3 = (b >> 12) & 7;

	in->bits = b;
	in->mgen = 0;
	in->op = OP_ILLEGAL;
	in->rd = (b >> 7) & 31;
	in->rs1 = (b >> 15) & 31;
	in->rs2 = (b >> 20) & 31;
	in->rs3 = b >> 27;
	in->rm = f3;
	in->aux = 0;
	in->imm = 0;
	if ((b & 3) != 3)
		return;
	switch ((b >> 2) & 31) {
	case 0x0d:	/* LUI */
		in->op = OP_LUI;
		in->rd = cu_xd(in->rd);
		in->imm = (s32)(b & 0xfffff000);
		return;
	case 0x05:	/* AUIPC */
		in->op = OP_AUIPC;
		in->rd = cu_xd(in->rd);
		in->imm = (s32)(b & 0xfffff000);
		return;
	case 0x1b:	/* JAL */
		in->op = OP_JAL;
		in->rd = cu_xd(in->rd);
		in->imm = cu_sext(((b >> 31) & 1) << 20 | ((b >> 12) & 0xff) << 12 |
				  ((b >> 20) & 1) << 11 | ((b >> 21) & 0x3ff) << 1,
				  21);
		return;
	case 0x19:	/* JALR */
		if (f3 == 0) {
			in->op = OP_JALR;
			in->rd = cu_xd(in->rd);
			in->imm = cu_sext(b >> 20, 12);
		}
		return;
	case 0x18:	/* BRANCH */
		if (f3 == 2 || f3 == 3)
			return;
		in->op = f3 < 2 ? OP_BEQ + f3 : OP_BLT + f3 - 4;
		in->imm = cu_sext(((b >> 31) & 1) << 12 | ((b >> 7) & 1) << 11 |
				  ((b >> 25) & 0x3f) << 5 | ((b >> 8) & 15) << 1,
				  13);
		return;
	case 0x00:	/* LOAD */
		if (f3 == 7)
			return;
		in->op = OP_LB + f3;
		in->aux = 1 << (f3 & 3);
		in->rd = cu_xd(in->rd);
		in->imm = cu_sext(b >> 20, 12);
		return;
	case 0x08:	/* STORE */
		if (f3 > 3)
			return;
		in->op = OP_SB + f3;
		in->aux = 1 << f3;
		in->imm = cu_sext((b >> 25) << 5 | ((b >> 7) & 31), 12);
		return;
	case 0x01:	/* LOAD-FP */
		if (f3 == 2 || f3 == 3) {
			in->op = f3 == 2 ? OP_FLW : OP_FLD;
			in->aux = 1 << f3;
			in->imm = cu_sext(b >> 20, 12);
		}
		return;
	case 0x09:	/* STORE-FP */
		if (f3 == 2 || f3 == 3) {
			in->op = f3 == 2 ? OP_FSW : OP_FSD;
			in->aux = 1 << f3;
			in->imm = cu_sext((b >> 25) << 5 | ((b >> 7) & 31), 12);
		}
		return;
	case 0x04:	/* OP-IMM */
		cu_decode_int(in, b, true, false);
		return;
	case 0x06:	/* OP-IMM-32 */
		cu_decode_int(in, b, true, true);
		return;
	case 0x0c:	/* OP */
		cu_decode_int(in, b, false, false);
		return;
	case 0x0e:	/* OP-32 */
		cu_decode_int(in, b, false, true);
		return;
	case 0x03:	/* MISC-MEM */
		if (f3 == 0)
			in->op = OP_NOP;
		else if (f3 == 1)
			in->op = OP_FENCEI;
		return;
	case 0x1c:	/* SYSTEM */
		cu_decode_system(in, b);
		return;
	case 0x0b:	/* AMO */
		cu_decode_amo(in, b);
		return;
	case 0x10: case 0x11: case 0x12: case 0x13:	/* FMADD..FNMADD */
		if (((b >> 25) & 3) > 1 || f3 == 5 || f3 == 6)
			return;
		in->aux = (b >> 25) & 1;
		in->op = OP_FMADD + (((b >> 2) & 31) - 0x10);
		return;
	case 0x14:	/* OP-FP */
		if (((b >> 25) & 3) > 1)
			return;
		in->aux = (b >> 25) & 1;
		cu_decode_fp(in, b);
		return;
	}
}

/* Decode @b into @in, with the register it writes. */
static void cu_decode(struct cu_insn *in, u32 b)
{
	u32 op;

	cu_decode_op(in, b);
	op = in->op;
	in->xmask = 0;
	in->fmask = 0;
	in->umask = 0;
	/* OP_ADD is the first operation: from it to OP_REMUW. */
	if (op <= OP_REMUW ||
	    (op >= OP_BEQ && op <= OP_BGEU))
		in->umask = BIT_ULL(in->rs1) | BIT_ULL(in->rs2);
	else if ((op >= OP_ADDI && op <= OP_SRAIW) ||
		 (op >= OP_LB && op <= OP_LWU) || op == OP_FLW || op == OP_FLD)
		in->umask = BIT_ULL(in->rs1);
	if (op == OP_FLW || op == OP_FLD ||
	    (op >= OP_FADD && op <= OP_FNMADD && op != OP_FMV_XF &&
	     !(op >= OP_FEQ && op <= OP_FCVT_LU)))
		in->fmask = BIT(in->rd);
	else if (op < OP_NOP || op == OP_JAL || op == OP_JALR ||
		 (op >= OP_LB && op <= OP_LWU) || op == OP_AMO ||
		 op == OP_LR || op == OP_SC || op == OP_CSR ||
		 op == OP_BARRIER || op >= OP_FADD)
		in->xmask = BIT_ULL(in->rd);
	/* The integer rows it reads or writes, for cu_unlazy(). */
	in->xuse = in->xmask;
	if ((op <= OP_SC && op != OP_LUI && op != OP_AUIPC && op != OP_NOP &&
	     op != OP_JAL) || op == OP_CSR || op == OP_BARRIER ||
	    (op >= OP_FCVT_FW && op <= OP_FCVT_FLU) || op == OP_FMV_FX)
		in->xuse |= BIT_ULL(in->rs1);
	if (op <= OP_REMUW || (op >= OP_BEQ && op <= OP_BGEU) ||
	    (op >= OP_SB && op <= OP_SD) || op == OP_AMO || op == OP_SC)
		in->xuse |= BIT_ULL(in->rs2);
}

/* ---- Memory ---- */

/*
 * Translate @va for @len bytes of an access of @kind by thread @t. Returns
 * 0 with *@p the host address, or NULL when rw() serves the page; or the
 * OGPU_CU_ERR_* cause.
 */
static int cu_xlate(struct ogpu_sim_cu *cu, u64 va, u32 len, u32 kind,
		    u32 t, u8 **p)
{
	const struct ogpu_sim_cu_mem *mem = cu->mem;
	struct cu_tlb *e;
	u64 off, tag;
	void *hp;

	if (va >= CU_WINDOW) {
		off = va - OGPU_HW_CU_SHARED_VA;
		if (off < cu->launch.shared && len <= cu->launch.shared - off) {
			*p = cu->shared + off;
			return 0;
		}
		off = va - OGPU_HW_CU_PRIVATE_VA;
		if (off < OGPU_HW_CU_PRIVATE_BYTES &&
		    len <= OGPU_HW_CU_PRIVATE_BYTES - off) {
			if (kind != CU_READ && off < cu->priv_lo[t])
				cu->priv_lo[t] = off;
			*p = cu->priv + (size_t)t * OGPU_HW_CU_PRIVATE_BYTES + off;
			return 0;
		}
		return OGPU_HW_CU_ERR_WINDOW;
	}
	tag = (va >> 12) << 2 | kind;
	e = &cu->tlb[tag & (CU_TLB - 1)];
	if (e->gen != cu->gen || e->tag != tag) {
		if (mem->map(mem->ctx, va, cu_access[kind], &hp))
			return OGPU_HW_CU_ERR_FAULT;
		e->tag = tag;
		e->gen = cu->gen;
		e->base = hp ? (u8 *)hp - (va & 0xfff) : NULL;
	}
	*p = e->base ? e->base + (va & 0xfff) : NULL;
	return 0;
}

static bool cu_rw(struct ogpu_sim_cu *cu, u64 va, void *buf, u32 len,
		  u32 kind)
{
	return !cu->mem->rw(cu->mem->ctx, va, buf, len, cu_access[kind]);
}

/* The active lanes, all of the warp's lanes by index or the mask's bits. */
#define EACH(...) do {						\
		if (act == w->full) {					\
			const unsigned long n_ = w->nl;		\
									\
			for (l = 0; l < n_; l++) {			\
				__VA_ARGS__;				\
			}						\
		} else {						\
			u64 m_ = act;					\
			while (m_) {					\
				l = cu_first(m_);			\
				m_ &= m_ - 1;				\
				__VA_ARGS__;				\
			}						\
		}							\
	} while (0)

/*
 * Row @d of every active lane gets the expression in l. For a whole warp
 * of at least four lanes, four lanes' values are computed before any is
 * stored, so the compiler may do the four at once even when @d is also a
 * source row (rd == rs1).
 */
#define ROW4(d, ...) do {						\
		u64 *const d_ = (d);					\
									\
		if (act == w->full && w->nl >= 4) {			\
			const unsigned long n_ = w->nl;		\
			unsigned long l0_;				\
									\
			for (l0_ = 0; l0_ < n_; l0_ += 4) {		\
				u64 r0_, r1_, r2_, r3_;			\
									\
				l = l0_;				\
				r0_ = (__VA_ARGS__);			\
				l = l0_ + 1;				\
				r1_ = (__VA_ARGS__);			\
				l = l0_ + 2;				\
				r2_ = (__VA_ARGS__);			\
				l = l0_ + 3;				\
				r3_ = (__VA_ARGS__);			\
				d_[l0_] = r0_;				\
				d_[l0_ + 1] = r1_;			\
				d_[l0_ + 2] = r2_;			\
				d_[l0_ + 3] = r3_;			\
			}						\
		} else {						\
			EACH(d_[l] = (__VA_ARGS__));			\
		}							\
	} while (0)

/*
 * The mask of active lanes for which the condition in l holds: a whole
 * warp four lanes at a time with constant shifts (lanes past a partial
 * warp may be set; the caller masks them), or lane by lane.
 */
#define TAKEN4(...) ({							\
		u64 t_ = 0;						\
									\
		if (act == w->full && w->nl >= 4) {			\
			const unsigned long n_ = w->nl;		\
			unsigned long l0_;				\
									\
			for (l0_ = 0; l0_ < n_; l0_ += 4) {		\
				u64 q_;					\
									\
				l = l0_;				\
				q_ = (u64)(__VA_ARGS__);		\
				l = l0_ + 1;				\
				q_ |= (u64)(__VA_ARGS__) << 1;		\
				l = l0_ + 2;				\
				q_ |= (u64)(__VA_ARGS__) << 2;		\
				l = l0_ + 3;				\
				q_ |= (u64)(__VA_ARGS__) << 3;		\
				t_ |= q_ << l0_;			\
			}						\
		} else {						\
			EACH(t_ |= (u64)(__VA_ARGS__) << l);		\
		}							\
		t_;							\
	})

/*
 * The last page of host-addressable memory an instruction translated, for
 * its next lanes, and the host address of the last lane's access.
 */
struct cu_lane_mem {
	u64 page;
	u8 *base;
	u8 *last;
};

/* A load of kind @op, a constant where it is inlined. */
static __always_inline u64 cu_ld(const u8 *p, const u32 op)
{
	switch (op) {
	case OP_LB:
		return (u64)*(const s8 *)p;
	case OP_LH:
		return (u64)*(const s16 *)p;
	case OP_LW:
		return (u64)*(const s32 *)p;
	case OP_LBU:
		return *p;
	case OP_LHU:
		return *(const u16 *)p;
	case OP_LWU:
		return *(const u32 *)p;
	case OP_FLW:
		return 0xffffffff00000000ull | *(const u32 *)p;
	default:
		return *(const u64 *)p;
	}
}

static __always_inline void cu_st(u8 *p, u64 v, const u32 len)
{
	switch (len) {
	case 1:
		*p = v;
		break;
	case 2:
		*(u16 *)p = v;
		break;
	case 4:
		*(u32 *)p = v;
		break;
	default:
		*(u64 *)p = v;
		break;
	}
}

/*
 * A lane's access outside the last page translated: returns 0 with the
 * host address in @lm->last; or -1 when rw() did it (a load's bytes in
 * *@v, a store's from *@v); or the OGPU_CU_ERR_* cause.
 */
static noinline int cu_lane_slow(struct ogpu_sim_cu *cu,
				 struct cu_lane_mem *lm, u64 va, u32 len,
				 u32 kind, u32 t, u64 *v)
{
	int cause;
	u8 *p;

	cause = cu_xlate(cu, va, len, kind, t, &p);
	if (cause)
		return cause;
	if (!p)
		return cu_rw(cu, va, v, len, kind) ? -1 : OGPU_HW_CU_ERR_FAULT;
	lm->page = va < CU_WINDOW ? va >> 12 : ~0ull;
	lm->base = p - (va & 0xfff);
	lm->last = p;
	return 0;
}

/*
 * Remember for @in's next run, within this run call, the page its last
 * lane translated: its loads or stores tend to stay on one page.
 */
static inline void cu_insn_page(struct ogpu_sim_cu *cu, struct cu_insn *in,
				u64 page, u8 *base)
{
	in->mpage = page;
	in->mbase = base;
	in->mgen = cu->gen;
}

/*
 * An access of @len bytes at @va inside the block's shared window: its
 * host address, or NULL (then cu_lane_slow() decides). The shared window
 * is not a page of the VM, so it has no place in the per-instruction page
 * cache; this check is what a shared-memory access costs instead.
 */
static __always_inline u8 *cu_shared_fast(struct ogpu_sim_cu *cu, u64 va,
					  u32 len)
{
	u64 off = va - OGPU_HW_CU_SHARED_VA;

	if (off < cu->launch.shared && len <= cu->launch.shared - off)
		return cu->shared + off;
	return NULL;
}

/*
 * A load's operands. A load fused with the ADD before it (see cu_fuse())
 * reads the ADD's operand that differs between lanes as @a and the one
 * alike in every lane as @add, and writes the ADD's sum to @d1 too.
 */
struct cu_ld_args {
	const u64 *a;		/* the base, one per lane */
	u64 add;		/* added to the base first */
	u64 *d1;		/* the ADD's destination, or NULL */
	s64 imm;
	u64 *d;
	u64 pc;
};

/*
 * A fused load stops at lane @l: the ADD is done in every active lane
 * before the load starts, so the lanes after @l get its sum too, and
 * lane @l with @self, when the load's rd is the ADD's (it did not write
 * the sum it was to overwrite).
 */
static noinline bool cu_ld_fail(struct ogpu_sim_cu *cu,
				const struct cu_ld_args *x, u64 act, u32 cause,
				u64 va, u32 wi, u32 l, bool self)
{
	u64 m;

	if (x->d1)
		for (m = act & ((self ? ~0ull : ~1ull) << l); m; m &= m - 1)
			x->d1[cu_first(m)] = x->a[cu_first(m)] + x->add;
	return cu_fail(cu, cause, x->pc, va, wi, l);
}

/*
 * A load of kind @op, not @fused (0), fused (1), or fused into the ADD's
 * rd (2: the ADD's sum is not written where the load's value goes):
 * constants where it is inlined.
 */
static __always_inline bool cu_load_op(struct ogpu_sim_cu *cu,
				       struct cu_warp *w, u32 wi,
				       struct cu_insn *in, u64 act,
				       const struct cu_ld_args *x, const u32 op,
				       const u32 fused)
{
	u64 page = ~0ull;
	const u8 *base = NULL;
	const u64 *a = x->a;
	const u32 len = op == OP_LB || op == OP_LBU ? 1 :
			op == OP_LH || op == OP_LHU ? 2 :
			op == OP_LW || op == OP_LWU || op == OP_FLW ? 4 : 8;
	u64 *d = x->d, *d1 = fused ? x->d1 : NULL, add = fused ? x->add : 0;
	u32 t0 = wi << cu->shift;
	s64 imm = x->imm;
	unsigned long l;

	if (in->mgen == cu->gen) {
		page = in->mpage;
		base = in->mbase;
	}
	EACH({
		u64 sum = a[l] + add, va = sum + imm;
		const u8 *p;

		if (fused == 1)
			d1[l] = sum;
		if (unlikely(va & (len - 1)))
			return cu_ld_fail(cu, x, act, OGPU_HW_CU_ERR_MISALIGNED,
					  va, wi, l, fused == 2);
		if (likely((va >> 12) == page)) {
			p = base + (va & 0xfff);
		} else {
			struct cu_lane_mem lm;
			u64 raw = 0;
			int r;

			p = cu_shared_fast(cu, va, len);
			if (p) {
				d[l] = cu_ld(p, op);
				continue;
			}
			r = cu_lane_slow(cu, &lm, va, len, CU_READ, t0 + l,
					 &raw);

			if (r > 0)
				return cu_ld_fail(cu, x, act, r, va, wi, l,
						  fused == 2);
			if (r < 0) {
				d[l] = cu_ld((const u8 *)&raw, op);
				continue;
			}
			page = lm.page;
			base = lm.base;
			p = lm.last;
			cu_insn_page(cu, in, page, lm.base);
		}
		d[l] = cu_ld(p, op);
	});
	return true;
}

/* Load @op for the lanes of @act; @in caches the page it used. */
static __always_inline bool cu_load_args(struct ogpu_sim_cu *cu,
					 struct cu_warp *w, u32 wi,
					 struct cu_insn *in, u64 act,
					 const struct cu_ld_args *x, u32 op,
					 const u32 fused)
{
	switch (op) {
	case OP_LB:
		return cu_load_op(cu, w, wi, in, act, x, OP_LB, fused);
	case OP_LH:
		return cu_load_op(cu, w, wi, in, act, x, OP_LH, fused);
	case OP_LW:
		return cu_load_op(cu, w, wi, in, act, x, OP_LW, fused);
	case OP_LBU:
		return cu_load_op(cu, w, wi, in, act, x, OP_LBU, fused);
	case OP_LHU:
		return cu_load_op(cu, w, wi, in, act, x, OP_LHU, fused);
	case OP_LWU:
		return cu_load_op(cu, w, wi, in, act, x, OP_LWU, fused);
	case OP_FLW:
		return cu_load_op(cu, w, wi, in, act, x, OP_FLW, fused);
	case OP_FLD:
		return cu_load_op(cu, w, wi, in, act, x, OP_FLD, fused);
	default:
		return cu_load_op(cu, w, wi, in, act, x, OP_LD, fused);
	}
}

static bool cu_load(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		    struct cu_insn *in, u64 act, u64 pc)
{
	bool fp = in->op == OP_FLW || in->op == OP_FLD;
	struct cu_ld_args x = {
		.a = cu_x(cu, wi, in->rs1),
		.imm = in->imm,
		.d = fp ? cu_f(cu, wi, in->rd) : cu_x(cu, wi, in->rd),
		.pc = pc,
	};

	return cu_load_args(cu, w, wi, in, act, &x, in->op, 0);
}

/* A load fused with the ADD before it: @in is the ADD's entry. */
static noinline bool cu_load_fused(struct ogpu_sim_cu *cu, struct cu_warp *w,
				   u32 wi, struct cu_insn *in, u64 act,
				   const struct cu_ld_args *x, u32 op)
{
	if (x->d == x->d1)
		return cu_load_args(cu, w, wi, in, act, x, op, 2);
	return cu_load_args(cu, w, wi, in, act, x, op, 1);
}

/* A store of @len bytes, a constant where it is inlined. */
static __always_inline bool cu_store_len(struct ogpu_sim_cu *cu,
					 struct cu_warp *w, u32 wi,
					 struct cu_insn *in, u64 act,
					 u64 pc, const u32 len)
{
	u64 page = ~0ull;
	u8 *base = NULL;
	const u64 *a = cu_x(cu, wi, in->rs1);
	bool fp = in->op == OP_FSW || in->op == OP_FSD;
	const u64 *s = fp ? cu_f(cu, wi, in->rs2) : cu_x(cu, wi, in->rs2);
	u32 t0 = wi << cu->shift;
	s64 imm = in->imm;
	unsigned long l;

	if (in->mgen == cu->gen) {
		page = in->mpage;
		base = in->mbase;
	}
	EACH({
		u64 va = a[l] + imm;
		u8 *p;

		if (unlikely(va & (len - 1)))
			return cu_fail(cu, OGPU_HW_CU_ERR_MISALIGNED, pc, va, wi, l);
		if (likely((va >> 12) == page)) {
			p = base + (va & 0xfff);
		} else {
			struct cu_lane_mem lm;
			u64 raw = s[l];
			int r;

			p = cu_shared_fast(cu, va, len);
			if (p) {
				cu_st(p, s[l], len);
				continue;
			}
			r = cu_lane_slow(cu, &lm, va, len, CU_WRITE, t0 + l,
					 &raw);

			if (r > 0)
				return cu_fail(cu, r, pc, va, wi, l);
			if (r < 0)
				continue;
			page = lm.page;
			base = lm.base;
			p = lm.last;
			cu_insn_page(cu, in, page, lm.base);
		}
		cu_st(p, s[l], len);
	});
	return true;
}

static bool cu_store(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		     struct cu_insn *in, u64 act, u64 pc)
{
	switch (in->aux) {
	case 1:
		return cu_store_len(cu, w, wi, in, act, pc, 1);
	case 2:
		return cu_store_len(cu, w, wi, in, act, pc, 2);
	case 4:
		return cu_store_len(cu, w, wi, in, act, pc, 4);
	default:
		return cu_store_len(cu, w, wi, in, act, pc, 8);
	}
}

/* The value an AMO of @f5 stores, given the old value and rs2's. */
static __always_inline u64 cu_amo_new(u32 f5, u64 old, u64 src, bool w32)
{
	s64 so = w32 ? (s32)old : (s64)old, ss = w32 ? (s32)src : (s64)src;
	u64 uo = w32 ? (u32)old : old, us = w32 ? (u32)src : src;

	switch (f5) {
	case AMO_ADD:
		return old + src;
	case AMO_XOR:
		return old ^ src;
	case AMO_OR:
		return old | src;
	case AMO_AND:
		return old & src;
	case AMO_MIN:
		return so < ss ? old : src;
	case AMO_MAX:
		return so > ss ? old : src;
	case AMO_MINU:
		return uo < us ? old : src;
	case AMO_MAXU:
		return uo > us ? old : src;
	default:	/* AMO_SWAP */
		return src;
	}
}

/* An AMO on host-addressable memory, atomic against every host thread. */
static u32 cu_amo_host32(u32 *q, u32 f5, u32 src)
{
	u32 old, new;

	if (f5 == AMO_ADD)
		return __atomic_fetch_add(q, src, __ATOMIC_SEQ_CST);
	if (f5 == AMO_SWAP)
		return __atomic_exchange_n(q, src, __ATOMIC_SEQ_CST);
	old = __atomic_load_n(q, __ATOMIC_SEQ_CST);
	do {
		new = cu_amo_new(f5, old, src, true);
	} while (!__atomic_compare_exchange_n(q, &old, new, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return old;
}

static u64 cu_amo_host64(u64 *q, u32 f5, u64 src)
{
	u64 old, new;

	if (f5 == AMO_ADD)
		return __atomic_fetch_add(q, src, __ATOMIC_SEQ_CST);
	if (f5 == AMO_SWAP)
		return __atomic_exchange_n(q, src, __ATOMIC_SEQ_CST);
	old = __atomic_load_n(q, __ATOMIC_SEQ_CST);
	do {
		new = cu_amo_new(f5, old, src, false);
	} while (!__atomic_compare_exchange_n(q, &old, new, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return old;
}

/* SC's store: returns whether the memory still held @expect. */
static bool cu_cas_host(u8 *p, u64 expect, u64 src, bool w32)
{
	if (w32) {
		u32 e = expect;

		return __atomic_compare_exchange_n((u32 *)p, &e, (u32)src,
						   false, __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST);
	}
	return __atomic_compare_exchange_n((u64 *)p, &expect, src, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline u64 cu_peek(const u8 *p, bool w32)
{
	return w32 ? *(const u32 *)p : *(const u64 *)p;
}

static inline void cu_poke(u8 *p, u64 v, bool w32)
{
	if (w32)
		*(u32 *)p = v;
	else
		*(u64 *)p = v;
}

static void cu_mem_lock(struct ogpu_sim_cu *cu)
{
	if (cu->mem->lock)
		cu->mem->lock(cu->mem->ctx);
}

static void cu_mem_unlock(struct ogpu_sim_cu *cu)
{
	if (cu->mem->unlock)
		cu->mem->unlock(cu->mem->ctx);
}

/* One lane's AMO, LR or SC at @va; returns rd's value in *@rd. */
static int cu_amo_lane(struct ogpu_sim_cu *cu, struct cu_warp *w,
		       const struct cu_insn *in, u32 t, u32 l, u64 va, u64 src,
		       u64 *rd)
{
	bool w32 = in->aux == 4, host, ok = true;
	u32 len = in->aux;
	u64 old = 0, buf = 0;
	int cause;
	u8 *p;

	if (va & (len - 1))
		return OGPU_HW_CU_ERR_MISALIGNED;
	if (in->op == OP_SC) {
		bool held = (w->resv >> l & 1) && cu->resv_addr[t] == va;

		w->resv &= ~(1ull << l);
		*rd = 1;
		if (!held)
			return 0;
	}
	cause = cu_xlate(cu, va, len, in->op == OP_LR ? CU_READ : CU_RMW, t,
			 &p);
	if (cause)
		return cause;
	host = p && va < CU_WINDOW;
	if (!p) {
		/* System memory: read, modify and write under mem's lock. */
		cu_mem_lock(cu);
		if (!cu_rw(cu, va, &buf, len, CU_READ)) {
			cu_mem_unlock(cu);
			return OGPU_HW_CU_ERR_FAULT;
		}
		p = (u8 *)&buf;
	}
	if (in->op == OP_LR) {
		if (host && w32)
			old = __atomic_load_n((u32 *)p, __ATOMIC_SEQ_CST);
		else if (host)
			old = __atomic_load_n((u64 *)p, __ATOMIC_SEQ_CST);
		else
			old = cu_peek(p, w32);
		if (p == (u8 *)&buf)
			cu_mem_unlock(cu);
		w->resv |= 1ull << l;
		cu->resv_addr[t] = va;
		cu->resv_val[t] = old;
		*rd = w32 ? SX32(old) : old;
		return 0;
	}
	if (in->op == OP_SC && host) {
		*rd = !cu_cas_host(p, cu->resv_val[t], src, w32);
		return 0;
	}
	if (host) {
		old = w32 ? cu_amo_host32((u32 *)p, in->rm, src) :
		      cu_amo_host64((u64 *)p, in->rm, src);
		*rd = w32 ? SX32(old) : old;
		return 0;
	}
	old = cu_peek(p, w32);
	if (in->op == OP_SC) {
		ok = old == cu->resv_val[t];
		*rd = !ok;
		if (ok)
			cu_poke(p, src, w32);
	} else {
		cu_poke(p, cu_amo_new(in->rm, old, src, w32), w32);
		*rd = w32 ? SX32(old) : old;
	}
	if (p == (u8 *)&buf) {
		if (ok && !cu_rw(cu, va, &buf, len, CU_WRITE))
			cause = OGPU_HW_CU_ERR_FAULT;
		cu_mem_unlock(cu);
	}
	return cause;
}

static noinline bool cu_amo_lanes(struct ogpu_sim_cu *cu, struct cu_warp *w,
				  u32 wi, const struct cu_insn *in, u64 act,
				  u64 pc)
{
	const u64 *a = cu_x(cu, wi, in->rs1), *s = cu_x(cu, wi, in->rs2);
	u64 *d = cu_x(cu, wi, in->rd);
	u32 t0 = wi << cu->shift, len = in->aux;
	bool w32 = len == 4, plain = in->op == OP_AMO;
	u64 page = ~0ull;
	unsigned long l;
	u8 *base = NULL;

	EACH({
		u64 va = a[l], rd = 0;
		int cause;

		/* AMOs on the last host page this instruction translated. */
		if (plain && (va >> 12) == page && !(va & (len - 1))) {
			u8 *p = base + (va & 0xfff);

			rd = w32 ? cu_amo_host32((u32 *)p, in->rm, s[l]) :
			     cu_amo_host64((u64 *)p, in->rm, s[l]);
			d[l] = w32 ? SX32(rd) : rd;
			continue;
		}
		/* In the block's shared memory: only this unit's thread. */
		if (plain && !(va & (len - 1))) {
			u8 *p = cu_shared_fast(cu, va, len);

			if (p) {
				if (w32) {
					u32 old = *(u32 *)p;

					*(u32 *)p = cu_amo_new(in->rm, old, s[l],
							       true);
					d[l] = SX32(old);
				} else {
					u64 old = *(u64 *)p;

					*(u64 *)p = cu_amo_new(in->rm, old, s[l],
							       false);
					d[l] = old;
				}
				continue;
			}
		}
		cause = cu_amo_lane(cu, w, in, t0 + l, l, va, s[l], &rd);
		if (cause)
			return cu_fail(cu, cause, pc, va, wi, l);
		d[l] = rd;
		if (plain && va < CU_WINDOW) {
			u8 *p;

			/* Cached by cu_amo_lane(): no second map(). */
			if (!cu_xlate(cu, va, len, CU_RMW, t0 + l, &p) && p) {
				page = va >> 12;
				base = p - (va & 0xfff);
			}
		}
	});
	return true;
}

/*
 * A plain AMO of funct5 @f5 and width @w32, constants where inlined. Lanes
 * whose address is in the block's shared memory, which only this unit's
 * threads reach, update it in place; from the first lane that is not,
 * cu_amo_lanes() takes the rest in lane order.
 */
static __always_inline bool cu_amo_op(struct ogpu_sim_cu *cu,
				      struct cu_warp *w, u32 wi,
				      const struct cu_insn *in, u64 act,
				      u64 pc, const u32 f5, const bool w32)
{
	const u64 *a = cu_x(cu, wi, in->rs1), *s = cu_x(cu, wi, in->rs2);
	u64 *d = cu_x(cu, wi, in->rd);
	const u64 len = w32 ? 4 : 8, size = cu->launch.shared;
	/* The last offset at which an access fits. */
	u64 last = size >= len ? size - len : 0;
	u8 *shared = cu->shared;
	unsigned long l;

	if (size < len)
		return cu_amo_lanes(cu, w, wi, in, act, pc);
	EACH({
		u64 off = a[l] - OGPU_HW_CU_SHARED_VA;
		u8 *p;

		if (unlikely(off > last || (off & (len - 1))))
			return cu_amo_lanes(cu, w, wi, in, act & (~0ull << l),
					    pc);
		p = shared + off;
		if (w32) {
			u32 old = *(u32 *)p;

			*(u32 *)p = cu_amo_new(f5, old, s[l], true);
			d[l] = SX32(old);
		} else {
			u64 old = *(u64 *)p;

			*(u64 *)p = cu_amo_new(f5, old, s[l], false);
			d[l] = old;
		}
	});
	return true;
}

/* cu_amo_op() for either width: @f5 is a constant where inlined. */
static __always_inline bool cu_amo_f5(struct ogpu_sim_cu *cu,
				      struct cu_warp *w, u32 wi,
				      const struct cu_insn *in, u64 act,
				      u64 pc, const u32 f5)
{
	if (in->aux == 4)
		return cu_amo_op(cu, w, wi, in, act, pc, f5, true);
	return cu_amo_op(cu, w, wi, in, act, pc, f5, false);
}

static noinline bool cu_amo(struct ogpu_sim_cu *cu, struct cu_warp *w,
			    u32 wi, const struct cu_insn *in, u64 act, u64 pc)
{
	if (in->op != OP_AMO)
		return cu_amo_lanes(cu, w, wi, in, act, pc);
	switch (in->rm) {
	case AMO_ADD:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_ADD);
	case AMO_SWAP:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_SWAP);
	case AMO_XOR:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_XOR);
	case AMO_OR:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_OR);
	case AMO_AND:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_AND);
	case AMO_MIN:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_MIN);
	case AMO_MAX:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_MAX);
	case AMO_MINU:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_MINU);
	default:
		return cu_amo_f5(cu, w, wi, in, act, pc, AMO_MAXU);
	}
}

/* ---- Integer ---- */

static u64 cu_mulhu(u64 a, u64 b)
{
	u64 al = (u32)a, ah = a >> 32, bl = (u32)b, bh = b >> 32;
	u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	u64 mid = (ll >> 32) + (u32)lh + (u32)hl;

	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static u64 cu_mulh(s64 a, s64 b)
{
	u64 r = cu_mulhu(a, b);

	if (a < 0)
		r -= b;
	if (b < 0)
		r -= a;
	return r;
}

static u64 cu_mulhsu(s64 a, u64 b)
{
	u64 r = cu_mulhu(a, b);

	if (a < 0)
		r -= b;
	return r;
}

static inline u64 cu_div(s64 a, s64 b)
{
	if (!b)
		return ~0ull;
	if (b == -1)
		return -(u64)a;		/* INT64_MIN / -1 is INT64_MIN */
	return a / b;
}

static inline u64 cu_rem(s64 a, s64 b)
{
	if (!b)
		return a;
	if (b == -1)
		return 0;
	return a % b;
}

static inline u64 cu_divu(u64 a, u64 b)
{
	return b ? a / b : ~0ull;
}

static inline u64 cu_remu(u64 a, u64 b)
{
	return b ? a % b : a;
}

/* Integer operation @op on rows @a and @b or @imm, into row @d. */
static void cu_alu(const struct cu_warp *w, u32 op, u64 *d, const u64 *a,
		   const u64 *b, u64 imm, u64 act, u64 pc)
{
	unsigned long l;

	switch (op) {
	case OP_ADD:
		ROW4(d, a[l] + b[l]);
		break;
	case OP_SUB:
		ROW4(d, a[l] - b[l]);
		break;
	case OP_SLL:
		ROW4(d, a[l] << (b[l] & 63));
		break;
	case OP_SLT:
		ROW4(d, (s64)a[l] < (s64)b[l]);
		break;
	case OP_SLTU:
		ROW4(d, a[l] < b[l]);
		break;
	case OP_XOR:
		ROW4(d, a[l] ^ b[l]);
		break;
	case OP_SRL:
		ROW4(d, a[l] >> (b[l] & 63));
		break;
	case OP_SRA:
		ROW4(d, (s64)a[l] >> (b[l] & 63));
		break;
	case OP_OR:
		ROW4(d, a[l] | b[l]);
		break;
	case OP_AND:
		ROW4(d, a[l] & b[l]);
		break;
	case OP_ADDW:
		ROW4(d, SX32(a[l] + b[l]));
		break;
	case OP_SUBW:
		ROW4(d, SX32(a[l] - b[l]));
		break;
	case OP_SLLW:
		ROW4(d, SX32((u32)a[l] << (b[l] & 31)));
		break;
	case OP_SRLW:
		ROW4(d, SX32((u32)a[l] >> (b[l] & 31)));
		break;
	case OP_SRAW:
		ROW4(d, SX32((s32)a[l] >> (b[l] & 31)));
		break;
	case OP_MUL:
		ROW4(d, a[l] * b[l]);
		break;
	case OP_MULH:
		ROW4(d, cu_mulh(a[l], b[l]));
		break;
	case OP_MULHSU:
		ROW4(d, cu_mulhsu(a[l], b[l]));
		break;
	case OP_MULHU:
		ROW4(d, cu_mulhu(a[l], b[l]));
		break;
	case OP_DIV:
		ROW4(d, cu_div(a[l], b[l]));
		break;
	case OP_DIVU:
		ROW4(d, cu_divu(a[l], b[l]));
		break;
	case OP_REM:
		ROW4(d, cu_rem(a[l], b[l]));
		break;
	case OP_REMU:
		ROW4(d, cu_remu(a[l], b[l]));
		break;
	case OP_MULW:
		ROW4(d, SX32(a[l] * b[l]));
		break;
	case OP_DIVW:
		ROW4(d, SX32(cu_div((s32)a[l], (s32)b[l])));
		break;
	case OP_DIVUW:
		ROW4(d, SX32(cu_divu((u32)a[l], (u32)b[l])));
		break;
	case OP_REMW:
		ROW4(d, SX32(cu_rem((s32)a[l], (s32)b[l])));
		break;
	case OP_REMUW:
		ROW4(d, SX32(cu_remu((u32)a[l], (u32)b[l])));
		break;
	case OP_ADDI:
		ROW4(d, a[l] + imm);
		break;
	case OP_SLTI:
		ROW4(d, (s64)a[l] < (s64)imm);
		break;
	case OP_SLTIU:
		ROW4(d, a[l] < imm);
		break;
	case OP_XORI:
		ROW4(d, a[l] ^ imm);
		break;
	case OP_ORI:
		ROW4(d, a[l] | imm);
		break;
	case OP_ANDI:
		ROW4(d, a[l] & imm);
		break;
	case OP_SLLI:
		ROW4(d, a[l] << imm);
		break;
	case OP_SRLI:
		ROW4(d, a[l] >> imm);
		break;
	case OP_SRAI:
		ROW4(d, (s64)a[l] >> imm);
		break;
	case OP_ADDIW:
		ROW4(d, SX32(a[l] + imm));
		break;
	case OP_SLLIW:
		ROW4(d, SX32((u32)a[l] << imm));
		break;
	case OP_SRLIW:
		ROW4(d, SX32((u32)a[l] >> imm));
		break;
	case OP_SRAIW:
		ROW4(d, SX32((s32)a[l] >> imm));
		break;
	case OP_LUI:
		ROW4(d, imm);
		break;
	case OP_AUIPC:
		ROW4(d, pc + imm);
		break;
	default:
		break;	/* OP_NOP */
	}
}

/*
 * The immediate form of register-register @op when rs2 holds @v in every
 * lane, with its immediate in *@imm; OP_NOP if it has none.
 */
static u32 cu_alu_imm_form(u32 op, u64 v, u64 *imm)
{
	*imm = v;
	switch (op) {
	case OP_ADD:
		return OP_ADDI;
	case OP_SUB:
		*imm = -v;
		return OP_ADDI;
	case OP_ADDW:
		return OP_ADDIW;
	case OP_SUBW:
		*imm = -v;
		return OP_ADDIW;
	case OP_SLT:
		return OP_SLTI;
	case OP_SLTU:
		return OP_SLTIU;
	case OP_XOR:
		return OP_XORI;
	case OP_OR:
		return OP_ORI;
	case OP_AND:
		return OP_ANDI;
	case OP_SLL:
		*imm = v & 63;
		return OP_SLLI;
	case OP_SRL:
		*imm = v & 63;
		return OP_SRLI;
	case OP_SRA:
		*imm = v & 63;
		return OP_SRAI;
	case OP_SLLW:
		*imm = v & 31;
		return OP_SLLIW;
	case OP_SRLW:
		*imm = v & 31;
		return OP_SRLIW;
	case OP_SRAW:
		*imm = v & 31;
		return OP_SRAIW;
	default:
		return OP_NOP;
	}
}

/*
 * An integer operation whose operands differ between lanes. A register
 * operand that is the same in every lane (in @uni0, the warp's uniform
 * registers before this instruction) is read once, as an immediate; lazy
 * operands are spread to every lane first, and so is a lazy rd when not
 * every lane writes it.
 */
static void cu_alu_lanes(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
			 const struct cu_insn *in, u64 act, u64 pc, u64 uni0)
{
	u32 op = in->op, rs1 = in->rs1, rs2 = in->rs2, iop;
	u64 *d = cu_x(cu, wi, in->rd), keep, imm;

	keep = act != w->full ? in->xmask : 0;
	if (op <= OP_REMUW) {
		/* The commutative ones, with the uniform operand second. */
		if ((uni0 >> rs1 & 1) && !(uni0 >> rs2 & 1) &&
		    (op == OP_ADD || op == OP_XOR || op == OP_OR ||
		     op == OP_AND || op == OP_ADDW)) {
			rs1 = in->rs2;
			rs2 = in->rs1;
		}
		if (uni0 >> rs2 & 1) {
			iop = cu_alu_imm_form(op, cu_x(cu, wi, rs2)[0], &imm);
			if (iop != OP_NOP) {
				cu_unlazy(cu, w, wi, keep | BIT_ULL(rs1));
				w->lazy &= ~in->xmask;
				cu_alu(w, iop, d, cu_x(cu, wi, rs1), NULL, imm,
				       act, pc);
				return;
			}
		}
	}
	cu_unlazy(cu, w, wi, keep | in->umask);
	w->lazy &= ~in->xmask;
	cu_alu(w, op, d, cu_x(cu, wi, rs1), cu_x(cu, wi, rs2), in->imm, act,
	       pc);
}

/* ---- Control ---- */

static void cu_end_lanes(struct ogpu_sim_cu *cu, struct cu_warp *w, u64 m)
{
	m &= w->live;
	w->live &= ~m;
	w->resv &= ~m;
	cu->ended += hweight64(m);
}

/* Every active lane goes to @target. */
static void cu_goto(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 t0,
		    u64 act, u64 target)
{
	unsigned long l;

	if (target == OGPU_HW_CU_EXIT_PC) {
		cu_end_lanes(cu, w, act);
		return;
	}
	if (w->conv) {
		w->cpc = target;
		return;
	}
	EACH(cu->pc[t0 + l] = target);
}

/* The lanes of @act for which branch @op on rows @a and @b is taken. */
static u64 cu_taken(const struct cu_warp *w, u32 op, const u64 *a,
		    const u64 *b, u64 act)
{
	unsigned long l;
	u64 taken = 0;

	switch (op) {
	case OP_BEQ:
		taken = TAKEN4(a[l] == b[l]);
		break;
	case OP_BNE:
		taken = TAKEN4(a[l] != b[l]);
		break;
	case OP_BLT:
		taken = TAKEN4((s64)a[l] < (s64)b[l]);
		break;
	case OP_BGE:
		taken = TAKEN4((s64)a[l] >= (s64)b[l]);
		break;
	case OP_BLTU:
		taken = TAKEN4(a[l] < b[l]);
		break;
	default:
		taken = TAKEN4(a[l] >= b[l]);
		break;
	}
	return taken;
}

/* cu_taken() with @v for row b: rs2 is the same in every lane. */
static u64 cu_taken_imm(const struct cu_warp *w, u32 op, const u64 *a, u64 v,
			u64 act)
{
	unsigned long l;
	u64 taken = 0;

	switch (op) {
	case OP_BEQ:
		taken = TAKEN4(a[l] == v);
		break;
	case OP_BNE:
		taken = TAKEN4(a[l] != v);
		break;
	case OP_BLT:
		taken = TAKEN4((s64)a[l] < (s64)v);
		break;
	case OP_BGE:
		taken = TAKEN4((s64)a[l] >= (s64)v);
		break;
	case OP_BLTU:
		taken = TAKEN4(a[l] < v);
		break;
	default:
		taken = TAKEN4(a[l] >= v);
		break;
	}
	return taken;
}

/* JAL and JALR. */
static bool cu_jump(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		    const struct cu_insn *in, u64 act, u64 pc)
{
	const u64 *a = cu_x(cu, wi, in->rs1);
	u32 t0 = wi << cu->shift;
	unsigned long l;
	u64 target = pc + in->imm, exits = 0, first;
	bool uniform = true;
	u64 *d = cu_x(cu, wi, in->rd);

	if (in->op == OP_JAL) {
		if (target & 3)
			return cu_fail(cu, OGPU_HW_CU_ERR_MISALIGNED, pc, target,
				       wi, cu_first(act));
		EACH(d[l] = pc + 4);
		if (act == w->full)
			w->uni |= in->xmask;
		cu_goto(cu, w, t0, act, target);
		return true;
	}
	first = (a[cu_first(act)] + in->imm) & ~1ull;
	EACH({
		u64 tg = (a[l] + in->imm) & ~1ull;

		if (tg & 3)
			return cu_fail(cu, OGPU_HW_CU_ERR_MISALIGNED, pc, tg, wi,
				       l);
		d[l] = pc + 4;
		cu->pc[t0 + l] = tg;
		uniform &= tg == first;
		if (tg == OGPU_HW_CU_EXIT_PC)
			exits |= 1ull << l;
	});
	if (uniform) {
		cu_goto(cu, w, t0, act, first);
	} else {
		w->conv = false;
		cu_end_lanes(cu, w, exits);
	}
	return true;
}

/* The lanes of @taken of a branch at @pc go to @target, the rest of @act on. */
static __always_inline bool cu_branch_to(struct ogpu_sim_cu *cu,
					 struct cu_warp *w, u32 wi,
					 u64 act, u64 pc, u64 target,
					 u64 taken)
{
	u32 t0 = wi << cu->shift;
	unsigned long l;

	if (taken && (target & 3))
		return cu_fail(cu, OGPU_HW_CU_ERR_MISALIGNED, pc, target, wi,
			       cu_first(taken));
	if (taken == act) {
		cu_goto(cu, w, t0, act, target);
	} else if (!taken) {
		cu_goto(cu, w, t0, act, pc + 4);
	} else {
		w->conv = false;
		EACH(cu->pc[t0 + l] = taken >> l & 1 ? target : pc + 4);
	}
	return true;
}

/*
 * A conditional branch. With @uni, both operands are alike in every lane:
 * compare once. An rs2 alike in every lane is read once; other lazy
 * operands are spread first.
 */
static bool cu_branch(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		      const struct cu_insn *in, u64 act, u64 pc, bool uni)
{
	const u64 *a = cu_x(cu, wi, in->rs1), *b = cu_x(cu, wi, in->rs2);
	u64 taken;

	if (uni) {
		taken = cu_taken(w, in->op, a, b, 1) ? act : 0;
	} else if (w->uni >> in->rs2 & 1) {
		cu_unlazy(cu, w, wi, BIT_ULL(in->rs1));
		/* TAKEN4 may have set lanes past a partial warp */
		taken = cu_taken_imm(w, in->op, a, b[0], act) & act;
	} else {
		cu_unlazy(cu, w, wi, in->umask);
		taken = cu_taken(w, in->op, a, b, act) & act;
	}
	return cu_branch_to(cu, w, wi, act, pc, pc + in->imm, taken);
}

/* ---- System ---- */

static u64 cu_csr_read(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		       u32 l, u32 csr)
{
	const struct ogpu_sim_launch *ln = &cu->launch;
	u32 t = (wi << cu->shift) + l;

	switch (csr) {
	case CSR_FFLAGS:
		return cu->fcsr[t] & 0x1f;
	case CSR_FRM:
		return cu->fcsr[t] >> 5;
	case CSR_FCSR:
		return cu->fcsr[t];
	case CSR_CYCLE: case CSR_TIME: case CSR_INSTRET:
		return w->steps;
	case OGPU_HW_CSR_TID_X:
		return t % ln->block[0];
	case OGPU_HW_CSR_TID_Y:
		return t / ln->block[0] % ln->block[1];
	case OGPU_HW_CSR_TID_Z:
		return t / (ln->block[0] * ln->block[1]);
	case OGPU_HW_CSR_BID_X: case OGPU_HW_CSR_BID_Y: case OGPU_HW_CSR_BID_Z:
		return cu->bid[csr - OGPU_HW_CSR_BID_X];
	case OGPU_HW_CSR_BDIM_X: case OGPU_HW_CSR_BDIM_Y: case OGPU_HW_CSR_BDIM_Z:
		return ln->block[csr - OGPU_HW_CSR_BDIM_X];
	case OGPU_HW_CSR_GDIM_X: case OGPU_HW_CSR_GDIM_Y: case OGPU_HW_CSR_GDIM_Z:
		return ln->grid[csr - OGPU_HW_CSR_GDIM_X];
	case OGPU_HW_CSR_LANE:
		return l;
	case OGPU_HW_CSR_WARP:
		return wi;
	case OGPU_HW_CSR_CU:
		return cu->id;
	case OGPU_HW_CSR_WARP_SIZE:
		return cu->lanes;
	case OGPU_HW_CSR_SHARED_SIZE:
		return ln->shared;
	case OGPU_HW_CSR_LAYOUT:
		return OGPU_HW_CSR_VERSION;
	default:	/* OGPU_HW_CSR_BARRIER */
		return 0;
	}
}

static void cu_csr(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		   const struct cu_insn *in, u64 act)
{
	const u64 *a = cu_x(cu, wi, in->rs1);
	u64 *d = cu_x(cu, wi, in->rd);
	u32 csr = in->imm, t0 = wi << cu->shift;
	unsigned long l;
	bool uimm = in->rm & 4, write = (in->rm & 3) == 1 || in->rs1;
	u64 v0;

	/* Reads of the identity CSRs, without a division per lane. */
	if (!write && csr >= OGPU_HW_CSR_TID_X) {
		switch (csr) {
		case OGPU_HW_CSR_TID_X:
			if (cu->launch.block[0] != cu->threads)
				break;
			EACH(d[l] = t0 + l);
			return;
		case OGPU_HW_CSR_TID_Y:
		case OGPU_HW_CSR_TID_Z:
			break;
		case OGPU_HW_CSR_LANE:
			EACH(d[l] = l);
			return;
		default:
			/* The same for every lane of the warp. */
			v0 = cu_csr_read(cu, w, wi, 0, csr);
			if (act == w->full && w->nl > 1) {
				d[0] = v0;
				w->uni |= BIT_ULL(in->rd);
				w->lazy |= BIT_ULL(in->rd);
				return;
			}
			EACH(d[l] = v0);
			if (act == w->full)
				w->uni |= BIT_ULL(in->rd);
			return;
		}
	}
	EACH({
		u64 old = cu_csr_read(cu, w, wi, l, csr), v, src;
		u8 *fc = &cu->fcsr[t0 + l];

		src = uimm ? in->rs1 : a[l];
		d[l] = old;
		if (!write)
			continue;
		switch (in->rm & 3) {
		case 1:
			v = src;
			break;
		case 2:
			v = old | src;
			break;
		default:
			v = old & ~src;
			break;
		}
		if (csr == CSR_FFLAGS)
			*fc = (*fc & 0xe0) | (v & 0x1f);
		else if (csr == CSR_FRM)
			*fc = (*fc & 0x1f) | (v & 7) << 5;
		else
			*fc = v;
	});
}

/* ---- Floating point ---- */

static inline u32 cu_unbox(u64 v)
{
	return (v >> 32) == 0xffffffff ? (u32)v : OGPU_F32_CANONICAL_NAN;
}

static inline u64 cu_box(u32 v)
{
	return 0xffffffff00000000ull | v;
}

static __always_inline u64 cu_fp_s(const u32 op, u64 a, u64 b, u64 c,
				   u32 rm, u32 *fl)
{
	u32 x = cu_unbox(a), y = cu_unbox(b), z = cu_unbox(c);
	const u32 sign = 0x80000000u;

	switch (op) {
	case OP_FADD:
		return cu_box(ogpu_f32_add(x, y, rm, fl));
	case OP_FSUB:
		return cu_box(ogpu_f32_sub(x, y, rm, fl));
	case OP_FMUL:
		return cu_box(ogpu_f32_mul(x, y, rm, fl));
	case OP_FDIV:
		return cu_box(ogpu_f32_div(x, y, rm, fl));
	case OP_FSQRT:
		return cu_box(ogpu_f32_sqrt(x, rm, fl));
	case OP_FSGNJ:
		return cu_box((x & ~sign) | (y & sign));
	case OP_FSGNJN:
		return cu_box((x & ~sign) | (~y & sign));
	case OP_FSGNJX:
		return cu_box(x ^ (y & sign));
	case OP_FMIN:
		return cu_box(ogpu_f32_min(x, y, fl));
	case OP_FMAX:
		return cu_box(ogpu_f32_max(x, y, fl));
	case OP_FEQ:
		return ogpu_f32_eq(x, y, fl);
	case OP_FLT:
		return ogpu_f32_lt(x, y, fl);
	case OP_FLE:
		return ogpu_f32_le(x, y, fl);
	case OP_FCLASS:
		return ogpu_f32_class(x);
	case OP_FCVT_W:
		return (u64)(s64)ogpu_f32_to_i32(x, rm, fl);
	case OP_FCVT_WU:
		return SX32(ogpu_f32_to_u32(x, rm, fl));
	case OP_FCVT_L:
		return ogpu_f32_to_i64(x, rm, fl);
	case OP_FCVT_LU:
		return ogpu_f32_to_u64(x, rm, fl);
	case OP_FCVT_FW:
		return cu_box(ogpu_i32_to_f32((s32)a, rm, fl));
	case OP_FCVT_FWU:
		return cu_box(ogpu_u32_to_f32((u32)a, rm, fl));
	case OP_FCVT_FL:
		return cu_box(ogpu_i64_to_f32((s64)a, rm, fl));
	case OP_FCVT_FLU:
		return cu_box(ogpu_u64_to_f32(a, rm, fl));
	case OP_FCVT_SD:
		return cu_box(ogpu_f64_to_f32(a, rm, fl));
	case OP_FMV_XF:
		return SX32(a);
	case OP_FMV_FX:
		return cu_box((u32)a);
	case OP_FMADD:
		return cu_box(ogpu_f32_fma(x, y, z, rm, fl));
	case OP_FMSUB:
		return cu_box(ogpu_f32_fma(x, y, z ^ sign, rm, fl));
	case OP_FNMSUB:
		return cu_box(ogpu_f32_fma(x ^ sign, y, z, rm, fl));
	default:
		return cu_box(ogpu_f32_fma(x ^ sign, y, z ^ sign, rm, fl));
	}
}

static __always_inline u64 cu_fp_d(const u32 op, u64 a, u64 b, u64 c,
				   u32 rm, u32 *fl)
{
	const u64 sign = 1ull << 63;

	switch (op) {
	case OP_FADD:
		return ogpu_f64_add(a, b, rm, fl);
	case OP_FSUB:
		return ogpu_f64_sub(a, b, rm, fl);
	case OP_FMUL:
		return ogpu_f64_mul(a, b, rm, fl);
	case OP_FDIV:
		return ogpu_f64_div(a, b, rm, fl);
	case OP_FSQRT:
		return ogpu_f64_sqrt(a, rm, fl);
	case OP_FSGNJ:
		return (a & ~sign) | (b & sign);
	case OP_FSGNJN:
		return (a & ~sign) | (~b & sign);
	case OP_FSGNJX:
		return a ^ (b & sign);
	case OP_FMIN:
		return ogpu_f64_min(a, b, fl);
	case OP_FMAX:
		return ogpu_f64_max(a, b, fl);
	case OP_FEQ:
		return ogpu_f64_eq(a, b, fl);
	case OP_FLT:
		return ogpu_f64_lt(a, b, fl);
	case OP_FLE:
		return ogpu_f64_le(a, b, fl);
	case OP_FCLASS:
		return ogpu_f64_class(a);
	case OP_FCVT_W:
		return (u64)(s64)ogpu_f64_to_i32(a, rm, fl);
	case OP_FCVT_WU:
		return SX32(ogpu_f64_to_u32(a, rm, fl));
	case OP_FCVT_L:
		return ogpu_f64_to_i64(a, rm, fl);
	case OP_FCVT_LU:
		return ogpu_f64_to_u64(a, rm, fl);
	case OP_FCVT_FW:
		return ogpu_i32_to_f64((s32)a, rm, fl);
	case OP_FCVT_FWU:
		return ogpu_u32_to_f64((u32)a, rm, fl);
	case OP_FCVT_FL:
		return ogpu_i64_to_f64((s64)a, rm, fl);
	case OP_FCVT_FLU:
		return ogpu_u64_to_f64(a, rm, fl);
	case OP_FCVT_DS:
		return ogpu_f32_to_f64(cu_unbox(a), fl);
	case OP_FMV_XF: case OP_FMV_FX: return a;
	case OP_FMADD:
		return ogpu_f64_fma(a, b, c, rm, fl);
	case OP_FMSUB:
		return ogpu_f64_fma(a, b, c ^ sign, rm, fl);
	case OP_FNMSUB:
		return ogpu_f64_fma(a ^ sign, b, c, rm, fl);
	default:
		return ogpu_f64_fma(a ^ sign, b, c ^ sign, rm, fl);
	}
}

/* One FP operation @op on every active lane, both constants when inlined. */
static __always_inline bool cu_fp_op(struct ogpu_sim_cu *cu,
				     struct cu_warp *w, u32 wi,
				     const struct cu_insn *in, u64 act, u64 pc,
				     const u32 op, const bool dbl)
{
	/* Which operand and the result are integer registers. */
	const bool xa = (op >= OP_FCVT_FW && op <= OP_FCVT_FLU) ||
			op == OP_FMV_FX;
	const bool xd = (op >= OP_FEQ && op <= OP_FCVT_LU) || op == OP_FMV_XF;
	const u64 *a = xa ? cu_x(cu, wi, in->rs1) : cu_f(cu, wi, in->rs1);
	const u64 *b = cu_f(cu, wi, in->rs2), *c = cu_f(cu, wi, in->rs3);
	u64 *d = xd ? cu_x(cu, wi, in->rd) : cu_f(cu, wi, in->rd);
	u8 *fcsr = cu->fcsr + (wi << cu->shift);
	unsigned long l;
	u32 srm = in->rm;

	EACH({
		u32 rm = srm == 7 ? fcsr[l] >> 5 : srm, fl = 0;

		if (rm > 4)
			return cu_fail(cu, OGPU_HW_CU_ERR_ILLEGAL, pc, in->bits,
				       wi, l);
		d[l] = dbl ? cu_fp_d(op, a[l], b[l], c[l], rm, &fl) :
			cu_fp_s(op, a[l], b[l], c[l], rm, &fl);
		fcsr[l] |= fl;
	});
	return true;
}

/*
 * Run @op on the host's FPU for the lanes of @act it can take (see
 * ogpu_sim_fp_hw.c); the lanes left for the soft-float.
 */
static u64 cu_fp_hw(struct ogpu_sim_cu *cu, u32 wi, const struct cu_insn *in,
		    u64 act, u32 op, bool dbl)
{
	const u64 *a = cu_f(cu, wi, in->rs1), *b = cu_f(cu, wi, in->rs2);
	u8 *fcsr = cu->fcsr + (wi << cu->shift);
	u64 *d = cu_f(cu, wi, in->rd);

	if (dbl)
		return act & ~ogpu_sim_fp_hw_f64(op, act, in->rm, a, b, d, fcsr);
	return act & ~ogpu_sim_fp_hw_f32(op, act, in->rm, a, b, d, fcsr);
}

static bool cu_fp(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		  const struct cu_insn *in, u64 act, u64 pc)
{
	bool dbl = in->aux;

	if (cu->host_fpu && in->op >= OP_FADD && in->op <= OP_FDIV) {
		static const u8 hw_op[] = {
			[OP_FADD - OP_FADD] = OGPU_FP_HW_ADD,
			[OP_FSUB - OP_FADD] = OGPU_FP_HW_SUB,
			[OP_FMUL - OP_FADD] = OGPU_FP_HW_MUL,
			[OP_FDIV - OP_FADD] = OGPU_FP_HW_DIV,
		};

		act = cu_fp_hw(cu, wi, in, act, hw_op[in->op - OP_FADD], dbl);
		if (!act)
			return true;
	}

	switch (in->op) {
	case OP_FADD:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FADD, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FADD, false);
	case OP_FSUB:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FSUB, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FSUB, false);
	case OP_FMUL:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMUL, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMUL, false);
	case OP_FDIV:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FDIV, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FDIV, false);
	case OP_FSQRT:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FSQRT, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FSQRT, false);
	case OP_FSGNJ:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJ, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJ, false);
	case OP_FSGNJN:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJN, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJN, false);
	case OP_FSGNJX:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJX, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FSGNJX, false);
	case OP_FMIN:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMIN, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMIN, false);
	case OP_FMAX:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMAX, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMAX, false);
	case OP_FEQ:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FEQ, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FEQ, false);
	case OP_FLT:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FLT, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FLT, false);
	case OP_FLE:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FLE, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FLE, false);
	case OP_FCLASS:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCLASS, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCLASS, false);
	case OP_FCVT_W:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_W, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_W, false);
	case OP_FCVT_WU:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_WU, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_WU, false);
	case OP_FCVT_L:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_L, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_L, false);
	case OP_FCVT_LU:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_LU, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_LU, false);
	case OP_FCVT_FW:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FW, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FW, false);
	case OP_FCVT_FWU:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FWU, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FWU, false);
	case OP_FCVT_FL:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FL, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FL, false);
	case OP_FCVT_FLU:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FLU, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_FLU, false);
	case OP_FCVT_SD:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_SD, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_SD, false);
	case OP_FCVT_DS:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_DS, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FCVT_DS, false);
	case OP_FMV_XF:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMV_XF, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMV_XF, false);
	case OP_FMV_FX:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMV_FX, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMV_FX, false);
	case OP_FMADD:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMADD, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMADD, false);
	case OP_FMSUB:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FMSUB, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FMSUB, false);
	case OP_FNMSUB:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FNMSUB, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FNMSUB, false);
	default:
		return dbl ? cu_fp_op(cu, w, wi, in, act, pc, OP_FNMADD, true) :
		       cu_fp_op(cu, w, wi, in, act, pc, OP_FNMADD, false);
	}
}

/* ---- The warp loop ---- */

/* Forget the cached translations and decoded instructions. */
static void cu_flush(struct ogpu_sim_cu *cu)
{
	if (!++cu->gen) {
		memset(cu->icache, 0, sizeof(cu->icache));
		memset(cu->tlb, 0, sizeof(cu->tlb));
		cu->igen = 0;
		cu->gen = 1;
	}
}

/* Whether @in and @b2, the instruction after it, run fused. */
static void cu_fuse(struct cu_insn *in, u32 b2)
{
	struct cu_insn n;
	bool one, two;

	in->fuse = CU_FUSE_NONE;
	in->bits2 = b2;
	cu_decode(&n, b2);
	/* rd is never x0 here: writes to x0 go to the sink row. */
	one = n.rs1 == in->rd;
	two = n.rs2 == in->rd;
	if (in->op == OP_SLLI && (n.op == OP_ADD || n.op == OP_OR) &&
	    one != two) {
		in->fuse = CU_FUSE_SHIFTOP;
		in->src2 = n.rs1 == in->rd ? n.rs2 : n.rs1;
	}
	if (n.rs1 != in->rd)
		goto out;
	if (in->op == OP_SLLI && (n.op == OP_SRLI || n.op == OP_SRAI)) {
		in->fuse = CU_FUSE_SHIFT2;
	} else if (in->op == OP_ADD && in->rs1 != in->rs2 &&
		   ((n.op >= OP_LB && n.op <= OP_LWU) || n.op == OP_FLW ||
		    n.op == OP_FLD)) {
		in->fuse = CU_FUSE_ADDLOAD;
	} else if ((in->op == OP_ADD || in->op == OP_ADDW ||
		    in->op == OP_ADDI || in->op == OP_ADDIW) &&
		   n.op >= OP_BEQ && n.op <= OP_BGEU && n.rs2 != in->rd) {
		/* rs2, the branch's other operand, is not the sum */
		in->fuse = CU_FUSE_ADDBR;
		in->src2 = n.rs2;
	}
out:
	in->op2 = n.op;
	in->rd2 = n.rd;
	in->imm2 = n.imm;
	in->xmask2 = n.xmask;
	in->fmask2 = n.fmask;
}

/* cu_fetch() of an instruction not decoded in this run call. */
static noinline struct cu_insn *cu_fetch_slow(struct ogpu_sim_cu *cu,
					      struct cu_insn *in, u32 wi,
					      u64 pc, u64 act)
{
	u32 bits, bits2;
	int cause;
	u8 *p;

	if (pc & 3) {
		cause = OGPU_HW_CU_ERR_MISALIGNED;
	} else if (pc >= CU_WINDOW) {
		cause = OGPU_HW_CU_ERR_WINDOW;
	} else if (cu->igen == cu->gen && (pc >> 12) == cu->ipage) {
		/* The code page of the last fetch, translated in this call. */
		p = cu->ibase + (pc & 0xfff);
		cause = 0;
	} else {
		cause = cu_xlate(cu, pc, 4, CU_EXEC, 0, &p);
		if (!cause && p) {
			cu->ipage = pc >> 12;
			cu->ibase = p - (pc & 0xfff);
			cu->igen = cu->gen;
		}
	}
	if (!cause && !p)
		cause = cu_rw(cu, pc, &bits, 4, CU_EXEC) ? 0 : OGPU_HW_CU_ERR_FAULT;
	else if (!cause)
		bits = *(u32 *)p;
	/* The next instruction, for fusion, if it is on the same page. */
	bits2 = !cause && p && (pc & 0xfff) != 0xffc ? *(u32 *)(p + 4) : 0;
	if (cause) {
		cu_fail(cu, cause, pc, pc, wi, cu_first(act));
		return NULL;
	}
	/*
	 * Decoded by an earlier run call (or before a FENCE.I): still good
	 * if the instruction, fetched through this call's translation, is
	 * the same.
	 */
	if (!in->gen || in->pc != pc || in->bits != bits) {
		cu_decode(in, bits);
		in->pc = pc;
		cu_fuse(in, bits2);
	} else if (in->bits2 != bits2) {
		cu_fuse(in, bits2);
	}
	in->gen = cu->gen;
	/*
	 * Every instruction a run call executes comes through here first in
	 * that call: the rows it writes are dirty from now on.
	 */
	cu->xdirty |= in->xmask;
	cu->fdirty |= in->fmask;
	if (in->fuse) {
		cu->xdirty |= in->xmask2;
		cu->fdirty |= in->fmask2;
	}
	return in;
}

static inline struct cu_insn *cu_fetch(struct ogpu_sim_cu *cu, u32 wi, u64 pc,
				       u64 act)
{
	struct cu_insn *in = &cu->icache[(pc >> 2) & (CU_ICACHE - 1)];

	if (likely(in->pc == pc && in->gen == cu->gen))
		return in;
	return cu_fetch_slow(cu, in, wi, pc, act);
}

/* The lanes of @act wait at the barrier at @pc. */
static void cu_barrier(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		       const struct cu_insn *in, u64 act, u64 pc)
{
	u64 *d = cu_x(cu, wi, in->rd);
	u32 t0 = wi << cu->shift;
	unsigned long l;

	EACH({
		d[l] = 0;
		cu->pc[t0 + l] = pc;
	});
	w->wait |= act;
	w->conv = false;
	cu->waiting += hweight64(act);
}

/* A load of one address for every lane: run it once for lane 0. */
static bool cu_load_uniform(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
			    struct cu_insn *in, u64 pc)
{
	u64 va = cu_x(cu, wi, in->rs1)[0] + in->imm;

	/* On the page it used last, in this run call: read it here. */
	if (in->mgen == cu->gen && (va >> 12) == in->mpage &&
	    !(va & (in->aux - 1))) {
		u64 v = cu_ld(in->mbase + (va & 0xfff), in->op);

		if (in->xmask)
			cu_x(cu, wi, in->rd)[0] = v;
		else
			cu_f(cu, wi, in->rd)[0] = v;
	} else if (!cu_load(cu, w, wi, in, 1, pc)) {
		return false;
	}
	if (in->xmask) {
		w->uni |= in->xmask;
		w->lazy |= in->xmask;
	} else {
		cu_bcast(cu_f(cu, wi, in->rd), w->nl);
	}
	return true;
}

/* The lanes of @act go on at @npc. */
static inline void cu_advance(struct ogpu_sim_cu *cu, struct cu_warp *w,
			      u32 wi, u64 act, u64 npc)
{
	u32 t0 = wi << cu->shift;
	unsigned long l;

	if (w->conv)
		w->cpc = npc;
	else
		EACH(cu->pc[t0 + l] = npc);
}

/* The second of a fused SLLI pair, @op2, on the shifted @v and @v2. */
static __always_inline u64 cu_shl2(const u32 op2, u64 v, u64 v2)
{
	switch (op2) {
	case OP_SRLI:
		return v >> v2;
	case OP_SRAI:
		return (u64)((s64)v >> v2);
	case OP_ADD:
		return v + v2;
	default:	/* OP_OR */
		return v | v2;
	}
}

/*
 * A fused SLLI pair for the active lanes: row @d1 gets @a shifted left
 * by @s1, and @d2 op2 of that and @v2 (the shift or the uniform operand).
 * A row that is also @a is written last.
 */
static void cu_shl_pair(const struct cu_warp *w, u64 act, u64 *d1, u64 *d2,
			const u64 *a, u32 s1, u32 op2, u64 v2)
{
	bool one = d1 == d2, last = d1 == a;
	unsigned long l;

	if (!one && !last)
		ROW4(d1, a[l] << s1);
	switch (op2) {
	case OP_SRLI:
		ROW4(d2, cu_shl2(OP_SRLI, a[l] << s1, v2));
		break;
	case OP_SRAI:
		ROW4(d2, cu_shl2(OP_SRAI, a[l] << s1, v2));
		break;
	case OP_ADD:
		ROW4(d2, cu_shl2(OP_ADD, a[l] << s1, v2));
		break;
	default:
		ROW4(d2, cu_shl2(OP_OR, a[l] << s1, v2));
		break;
	}
	if (!one && last)
		ROW4(d1, a[l] << s1);
}

/*
 * Whether the fused pair @in runs fused now: an ADD and a load only when
 * one of the ADD's operands is alike in every lane (the base) and the
 * other is not.
 */
static inline bool cu_fused_now(const struct cu_warp *w,
				const struct cu_insn *in)
{
	if (in->fuse == CU_FUSE_ADDLOAD)
		return ((w->uni >> in->rs1) ^ (w->uni >> in->rs2)) & 1;
	if (in->fuse == CU_FUSE_SHIFTOP)
		return w->uni >> in->src2 & 1;
	if (in->fuse == CU_FUSE_ADDBR) {
		u64 u = w->uni;

		/* Not when the ADD reads only uniform registers: run once. */
		if (!(u >> in->src2 & 1) || !(in->umask & ~u))
			return false;
		return in->op == OP_ADDI || in->op == OP_ADDIW ||
		       ((u >> in->rs1 | u >> in->rs2) & 1);
	}
	return in->fuse != CU_FUSE_NONE;
}

/* Branch @op's condition on @x and @y, a constant where inlined. */
static __always_inline bool cu_cond(const u32 op, u64 x, u64 y)
{
	switch (op) {
	case OP_BEQ:
		return x == y;
	case OP_BNE:
		return x != y;
	case OP_BLT:
		return (s64)x < (s64)y;
	case OP_BGE:
		return (s64)x >= (s64)y;
	case OP_BLTU:
		return x < y;
	default:
		return x >= y;
	}
}

/*
 * Row @d of the active lanes gets @a plus @v (sign-extended from 32 bits
 * with @w32), and the mask of those for which branch @op on it and @b
 * holds is returned (a whole warp's may have lanes past a partial one).
 */
static __always_inline u64 cu_addbr_op(const struct cu_warp *w, u64 act,
				       u64 *d, const u64 *a, u64 v, u64 b,
				       const bool w32, const u32 op)
{
	unsigned long l;

	return TAKEN4(cu_cond(op, d[l] = w32 ? SX32(a[l] + v) : a[l] + v, b));
}

/* cu_addbr_op() for either width: @op is a constant where inlined. */
static __always_inline u64 cu_addbr_w(const struct cu_warp *w, u64 act,
				      u64 *d, const u64 *a, u64 v, u64 b,
				      bool w32, const u32 op)
{
	if (w32)
		return cu_addbr_op(w, act, d, a, v, b, true, op);
	return cu_addbr_op(w, act, d, a, v, b, false, op);
}

static u64 cu_addbr_lanes(const struct cu_warp *w, u64 act, u64 *d,
			  const u64 *a, u64 v, u64 b, bool w32, u32 op)
{
	switch (op) {
	case OP_BEQ:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BEQ);
	case OP_BNE:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BNE);
	case OP_BLT:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BLT);
	case OP_BGE:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BGE);
	case OP_BLTU:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BLTU);
	default:
		return cu_addbr_w(w, act, d, a, v, b, w32, OP_BGEU);
	}
}

/*
 * A fused ADD (ADDW, ADDI, ADDIW) and branch on its sum: the ADD's operand
 * that differs between lanes, plus the other or the immediate, compared
 * with the branch's rs2, alike in every lane, in one pass over the lanes.
 */
static noinline bool cu_exec_addbr(struct ogpu_sim_cu *cu, struct cu_warp *w,
				   u32 wi, struct cu_insn *in, u64 act, u64 pc)
{
	u32 rs = in->rs1;
	u64 v = in->imm, taken, keep = act != w->full ? in->xmask : 0;
	bool w32 = in->op == OP_ADDW || in->op == OP_ADDIW;

	if (in->op == OP_ADD || in->op == OP_ADDW) {
		u32 other = in->rs2;

		if (w->uni >> rs & 1) {
			rs = in->rs2;
			other = in->rs1;
		}
		v = cu_x(cu, wi, other)[0];
	}
	cu_unlazy(cu, w, wi, keep | BIT_ULL(rs));
	w->uni &= ~in->xmask;
	w->lazy &= ~in->xmask;
	taken = cu_addbr_lanes(w, act, cu_x(cu, wi, in->rd), cu_x(cu, wi, rs),
			       v, cu_x(cu, wi, in->src2)[0], w32, in->op2);
	return cu_branch_to(cu, w, wi, act, pc + 4, pc + 4 + in->imm2,
			    taken & act);
}

/*
 * Execute the fused pair @in at @pc and @pc + 4 (see enum cu_fuse) for
 * the lanes of @act; false if the block stopped.
 */
static noinline bool cu_exec_fused(struct ogpu_sim_cu *cu, struct cu_warp *w,
				   u32 wi, struct cu_insn *in, u64 act, u64 pc)
{
	u64 both = in->xmask | in->xmask2, uni0 = w->uni;
	u64 keep = act != w->full ? both : 0;
	u64 *d1 = cu_x(cu, wi, in->rd);

	if (in->fuse == CU_FUSE_ADDBR)
		return cu_exec_addbr(cu, w, wi, in, act, pc);
	w->uni &= ~both;
	if (in->fuse != CU_FUSE_ADDLOAD) {
		const u64 *a = cu_x(cu, wi, in->rs1);
		u64 *d2 = cu_x(cu, wi, in->rd2), v, v2 = in->imm2;

		/* SHIFTOP's other operand, alike in every lane. */
		if (in->fuse == CU_FUSE_SHIFTOP)
			v2 = cu_x(cu, wi, in->src2)[0];
		if (act == w->full && w->nl > 1 && (uni0 >> in->rs1 & 1)) {
			v = a[0] << in->imm;
			d1[0] = v;
			d2[0] = cu_shl2(in->op2, v, v2);
			w->uni |= both;
			w->lazy |= both;
		} else {
			cu_unlazy(cu, w, wi, keep | BIT_ULL(in->rs1));
			w->lazy &= ~both;
			cu_shl_pair(w, act, d1, d2, a, in->imm, in->op2, v2);
		}
	} else {
		/* The base is the operand alike in every lane. */
		bool ub = uni0 >> in->rs1 & 1;
		bool fp = in->op2 == OP_FLW || in->op2 == OP_FLD;
		struct cu_ld_args x = {
			.a = cu_x(cu, wi, ub ? in->rs2 : in->rs1),
			.add = cu_x(cu, wi, ub ? in->rs1 : in->rs2)[0],
			.d1 = d1,
			.imm = in->imm2,
			.d = fp ? cu_f(cu, wi, in->rd2) : cu_x(cu, wi, in->rd2),
			.pc = pc + 4,
		};

		cu_unlazy(cu, w, wi, keep);
		w->lazy &= ~both;
		if (!cu_load_fused(cu, w, wi, in, act, &x, in->op2))
			return false;
	}
	cu_advance(cu, w, wi, act, pc + 8);
	return true;
}

/*
 * Execute @in for the lanes of @act, with the instruction after it if
 * they are fused and @pair allows two; returns how many instructions ran,
 * 0 if the block stopped.
 */
static u32 cu_exec(struct ogpu_sim_cu *cu, struct cu_warp *w, u32 wi,
		   struct cu_insn *in, u64 act, u64 pc, bool pair)
{
	u32 op = in->op;
	u64 uni0 = w->uni;
	/* Every source alike in every lane: run lane 0, leave rd lazy. */
	bool uni = act == w->full && !(in->umask & ~uni0);

	if (op <= OP_ALU_LAST) {
		/* Only integer operations start a fused pair. */
		if (unlikely(in->fuse) && pair && cu_fused_now(w, in))
			return cu_exec_fused(cu, w, wi, in, act, pc) ? 2 : 0;
		w->uni &= ~in->xmask;
		if (uni && w->nl > 1) {
			cu_alu(w, op, cu_x(cu, wi, in->rd), cu_x(cu, wi, in->rs1),
			       cu_x(cu, wi, in->rs2), in->imm, 1, pc);
			w->uni |= in->xmask;
			w->lazy |= in->xmask;
		} else {
			cu_alu_lanes(cu, w, wi, in, act, pc, uni0);
		}
		goto next;
	}
	w->uni &= ~in->xmask;
	if (op >= OP_BEQ && op <= OP_BGEU)
		return cu_branch(cu, w, wi, in, act, pc, uni);
	/*
	 * One address for all: load it once, unless it is in the private
	 * window (one per thread).
	 */
	if (uni && w->nl > 1 &&
	    ((op >= OP_LB && op <= OP_LWU) || op == OP_FLW || op == OP_FLD) &&
	    cu_x(cu, wi, in->rs1)[0] + in->imm < CU_WINDOW) {
		w->uni |= uni0 & in->xmask;	/* as it was, if it stops */
		if (!cu_load_uniform(cu, w, wi, in, pc))
			return 0;
		goto next;
	}
	/* The rest reads and writes every lane's entry. */
	cu_unlazy(cu, w, wi, in->xuse);
	if (op <= OP_CTL_LAST) {
		return cu_jump(cu, w, wi, in, act, pc);
	} else if (op <= OP_MEM_LAST) {
		bool ok;

		if (op == OP_AMO || op == OP_LR || op == OP_SC)
			ok = cu_amo(cu, w, wi, in, act, pc);
		else if (op <= OP_LWU || op == OP_FLW || op == OP_FLD)
			ok = cu_load(cu, w, wi, in, act, pc);
		else
			ok = cu_store(cu, w, wi, in, act, pc);
		if (!ok)
			return 0;
	} else if (op <= OP_SYS_LAST) {
		switch (op) {
		case OP_CSR:
			cu_csr(cu, w, wi, in, act);
			break;
		case OP_BARRIER:
			cu_barrier(cu, w, wi, in, act, pc);
			return 1;
		case OP_FENCEI:
			cu_flush(cu);
			break;
		default:
			return cu_fail(cu, op == OP_ECALL ? OGPU_HW_CU_ERR_ECALL :
				       op == OP_EBREAK ? OGPU_HW_CU_ERR_EBREAK :
				       OGPU_HW_CU_ERR_ILLEGAL, pc, in->bits, wi,
				       cu_first(act));
		}
	} else if (!cu_fp(cu, w, wi, in, act, pc)) {
		return 0;
	}
next:
	cu_advance(cu, w, wi, act, pc + 4);
	return 1;
}

/* Run warp @wi for up to @n warp-instructions; returns how many ran. */
static u32 cu_warp_run(struct ogpu_sim_cu *cu, u32 wi, u32 n)
{
	struct cu_warp *w = &cu->warp[wi];
	u32 t0 = wi << cu->shift, i;
	unsigned long l;
	struct cu_insn *in;
	u64 run, act, pc, insns = 0;
	u32 k, ran;

	for (i = 0; i < n; i++) {
		run = w->live & ~w->wait;
		if (!run)
			break;
		if (w->conv) {
			act = run;
			pc = w->cpc;
		} else {
			/* MIN-PC: the lanes at the lowest PC go first. */
			u64 m = run;

			pc = ~0ull;
			act = 0;
			while (m) {
				u64 p;

				l = cu_first(m);
				m &= m - 1;
				p = cu->pc[t0 + l];
				if (p < pc) {
					pc = p;
					act = 0;
				}
				if (p == pc)
					act |= 1ull << l;
			}
			if (act == run) {
				w->conv = true;
				w->cpc = pc;
			}
		}
		in = cu_fetch(cu, wi, pc, act);
		k = act == w->full ? w->nl : hweight64(act);
		insns += k;
		ran = in ? cu_exec(cu, w, wi, in, act, pc, i + 1 < n) : 0;
		if (!ran) {
			i++;
			break;
		}
		if (unlikely(ran > 1)) {
			/* A fused pair (see enum cu_fuse) */
			insns += k;
			i++;
			w->steps++;
		}
		w->steps++;
	}
	cu->insns += insns;
	return i;
}

/* Every thread that has not ended waits: release them, or fail. */
static void cu_barrier_resolve(struct ogpu_sim_cu *cu)
{
	u32 wi;
	unsigned long l;

	for (wi = 0; wi < cu->warps; wi++) {
		struct cu_warp *w = &cu->warp[wi];
		u32 t0 = wi << cu->shift;
		u64 act = w->wait;

		if (!act)
			continue;
		if (cu->ended) {
			l = cu_first(act);
			cu_fail(cu, OGPU_HW_CU_ERR_BARRIER, cu->pc[t0 + l], 0, wi, l);
			return;
		}
		EACH(cu->pc[t0 + l] += 4);
		w->wait = 0;
	}
	cu->waiting = 0;
}

/**
 * ogpu_sim_cu_run() - run the loaded block
 * @cu: the compute unit
 * @mem: its memory, for this call only
 * @budget: warp-instructions to run at most
 *
 * Return: OGPU_SIM_CU_RUNNING if the block has threads left after
 * @budget warp-instructions, OGPU_SIM_CU_DONE when all have ended,
 * OGPU_SIM_CU_ERROR when it stopped, OGPU_SIM_CU_IDLE if none is loaded.
 */
enum ogpu_sim_cu_status ogpu_sim_cu_run(struct ogpu_sim_cu *cu,
					const struct ogpu_sim_cu_mem *mem,
					u32 budget)
{
	u32 tries, ran;

	if (cu->status != OGPU_SIM_CU_RUNNING)
		return cu->status;
	cu->mem = mem;
	/* Translations last one call; decoded instructions are rechecked. */
	cu_flush(cu);
	while (budget && cu->status == OGPU_SIM_CU_RUNNING) {
		ran = cu_warp_run(cu, cu->cur, budget < CU_SLICE ? budget :
				  CU_SLICE);
		budget -= ran;
		if (cu->status != OGPU_SIM_CU_RUNNING)
			break;
		if (cu->ended == cu->threads) {
			cu->status = OGPU_SIM_CU_DONE;
			break;
		}
		if (cu->waiting + cu->ended == cu->threads)
			cu_barrier_resolve(cu);
		/* The next warp with a runnable lane. */
		for (tries = 0; tries < cu->warps; tries++) {
			struct cu_warp *w;

			if (++cu->cur == cu->warps)
				cu->cur = 0;
			w = &cu->warp[cu->cur];
			if (w->live & ~w->wait)
				break;
		}
	}
	cu->mem = NULL;
	return cu->status;
}
