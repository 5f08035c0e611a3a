// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Host unit tests of the compute unit's executor (drivers/ogpu_sim/
 * ogpu_sim_cu.c): hand-encoded programs per instruction class, SIMT
 * divergence and reconvergence, thread identity, shared memory and the
 * barrier, every error cause, atomics across two CUs in two threads, and
 * kernels compiled by clang when it is installed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ogpu_sim_cu.h"
#include "ogpu_sim_fp.h"
#include "cu_asm.h"

#include "kselftest_harness.h"

/*
 * The fake memory: VA [0, FLAT_SIZE) is host-addressable through map(),
 * [RW_BASE, +RW_SIZE) is served only by rw(), everything else faults.
 */
#define FLAT_SIZE	(4u << 20)
#define RW_BASE		0x40000000ull
#define RW_SIZE		0x10000u
#define PROG		0x1000u
#define DATA		0x10000u
#define OUT		0x20000u

static uint8_t flat[FLAT_SIZE] __attribute__((aligned(4096)));
static uint8_t rwmem[RW_SIZE];

struct fake {
	int maps, rws, not_user;
	u64 last_fault;
	int locks, held, rws_held, misuse;	/* lock() and unlock() */
};

/* An AMO's read and write through rw() run between lock() and unlock(). */
static void fake_lock(void *ctx)
{
	struct fake *f = ctx;

	f->misuse += f->held;
	f->held = 1;
	f->locks++;
}

static void fake_unlock(void *ctx)
{
	struct fake *f = ctx;

	f->misuse += !f->held;
	f->held = 0;
}

static int fake_map(void *ctx, u64 va, u32 access, void **p)
{
	struct fake *f = ctx;

	f->maps++;
	if (!(access & OGPU_HW_ACCESS_USER))
		f->not_user++;
	if (va < FLAT_SIZE) {
		*p = flat + va;
		return 0;
	}
	if (va >= RW_BASE && va < RW_BASE + RW_SIZE) {
		*p = NULL;
		return 0;
	}
	f->last_fault = va;
	return -EFAULT;
}

static int fake_rw(void *ctx, u64 va, void *buf, u32 len, u32 access)
{
	struct fake *f = ctx;

	f->rws++;
	f->rws_held += f->held;
	if (!(access & OGPU_HW_ACCESS_USER))
		f->not_user++;
	if (va < RW_BASE || va + len > RW_BASE + RW_SIZE) {
		f->last_fault = va;
		return -EFAULT;
	}
	if (access & OGPU_HW_ACCESS_WRITE)
		memcpy(rwmem + (va - RW_BASE), buf, len);
	else
		memcpy(buf, rwmem + (va - RW_BASE), len);
	return 0;
}

static struct ogpu_sim_cu *cu_new(u32 id, u32 lanes)
{
	struct ogpu_sim_cu *cu = malloc(ogpu_sim_cu_size(lanes));

	if (cu)
		ogpu_sim_cu_init(cu, id, lanes);
	return cu;
}

static void put64(u64 va, u64 v)
{
	memcpy(flat + va, &v, 8);
}

static u64 get64(u64 va)
{
	u64 v;

	memcpy(&v, flat + va, 8);
	return v;
}

static u32 get32(u64 va)
{
	u32 v;

	memcpy(&v, flat + va, 4);
	return v;
}

FIXTURE(cu) {
	struct ogpu_sim_cu *cu;
	struct fake fake;
	struct ogpu_sim_cu_mem mem;
	struct ogpu_sim_launch launch;
	u32 lanes;
};

FIXTURE_VARIANT(cu) {
	u32 lanes;
};

FIXTURE_VARIANT_ADD(cu, lanes8) { .lanes = 8 };
FIXTURE_VARIANT_ADD(cu, lanes1) { .lanes = 1 };
FIXTURE_VARIANT_ADD(cu, lanes64) { .lanes = 64 };

FIXTURE_SETUP(cu)
{
	self->lanes = variant->lanes;
	self->cu = cu_new(7, self->lanes);
	ASSERT_NE(NULL, self->cu);
	memset(flat, 0, 0x100000);
	memset(rwmem, 0, sizeof(rwmem));
	memset(&self->fake, 0, sizeof(self->fake));
	self->mem.map = fake_map;
	self->mem.rw = fake_rw;
	self->mem.lock = fake_lock;
	self->mem.unlock = fake_unlock;
	self->mem.ctx = &self->fake;
	memset(&self->launch, 0, sizeof(self->launch));
	self->launch.entry = PROG;
	self->launch.args = DATA;
	self->launch.args_size = 64;
	self->launch.grid[0] = self->launch.grid[1] = self->launch.grid[2] = 1;
	self->launch.block[0] = self->launch.block[1] = 1;
	self->launch.block[2] = 1;
}

FIXTURE_TEARDOWN(cu)
{
	free(self->cu);
}

static void load(const u32 *prog, size_t n)
{
	memcpy(flat + PROG, prog, n * 4);
}

/* Run the loaded block to its end, in small budgets. */
static enum ogpu_sim_cu_status finish(struct ogpu_sim_cu *cu,
				      const struct ogpu_sim_cu_mem *mem)
{
	enum ogpu_sim_cu_status st;
	int i;

	for (i = 0; i < 1000000; i++) {
		st = ogpu_sim_cu_run(cu, mem, 1000);
		if (st != OGPU_SIM_CU_RUNNING)
			return st;
	}
	return st;
}

static enum ogpu_sim_cu_status go(FIXTURE_DATA(cu) *self, const u32 *prog,
				  size_t n, u32 bx, u32 by, u32 bz)
{
	static const u32 bid[3] = { 1, 2, 3 };

	load(prog, n);
	self->launch.block[0] = bx;
	self->launch.block[1] = by;
	self->launch.block[2] = bz;
	ogpu_sim_cu_start(self->cu, &self->launch, bid);
	return finish(self->cu, &self->mem);
}

#define GO(prog, bx, by, bz) go(self, prog, sizeof(prog) / 4, bx, by, bz)
#define X(t, r) ogpu_sim_cu_reg(self->cu, t, r)
#define ERR() ogpu_sim_cu_error(self->cu)

TEST_F(cu, alu)
{
	static const u32 p[] = {
		LD(5, 10, 0), LD(6, 10, 8),
		ADD(7, 5, 6), SUB(8, 5, 6), SLL(9, 5, 6), SLT(12, 5, 6),
		SLTU(13, 5, 6), XOR(14, 5, 6), SRL(15, 5, 6), SRA(16, 5, 6),
		OR(17, 5, 6), AND(18, 5, 6), ADDW(19, 5, 6), SUBW(20, 5, 6),
		SLLW(21, 5, 6), SRLW(22, 5, 6), SRAW(23, 5, 6),
		ADDI(24, 5, -2048), SLTI(25, 5, 5), SLTIU(26, 6, -1),
		XORI(27, 5, -1), SRAI(28, 5, 63), SRLIW(29, 5, 31),
		ADDIW(30, 6, 2047), LUI(31, 0x80000000), AUIPC(3, 0x7ffff000),
		SRAIW(4, 5, 3), ADDI(0, 5, 1), RET,
	};
	u64 a = 0x8000000012345678ull, b = 0x00000000ffff0021ull;

	put64(DATA, a);
	put64(DATA + 8, b);
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(a + b, X(0, 7));
	EXPECT_EQ(a - b, X(0, 8));
	EXPECT_EQ(a << 33, X(0, 9));
	EXPECT_EQ(1, X(0, 12));
	EXPECT_EQ(0, X(0, 13));
	EXPECT_EQ(a ^ b, X(0, 14));
	EXPECT_EQ(a >> 33, X(0, 15));
	EXPECT_EQ((u64)((s64)a >> 33), X(0, 16));
	EXPECT_EQ(a | b, X(0, 17));
	EXPECT_EQ(a & b, X(0, 18));
	EXPECT_EQ((u64)(s32)(u32)(a + b), X(0, 19));
	EXPECT_EQ((u64)(s32)(u32)(a - b), X(0, 20));
	EXPECT_EQ((u64)(s32)((u32)a << 1), X(0, 21));
	EXPECT_EQ((u64)(s32)((u32)a >> 1), X(0, 22));
	EXPECT_EQ((u64)(s32)((s32)(u32)a >> 1), X(0, 23));
	EXPECT_EQ(a - 2048, X(0, 24));
	EXPECT_EQ(1, X(0, 25));
	EXPECT_EQ(1, X(0, 26));
	EXPECT_EQ(~a, X(0, 27));
	EXPECT_EQ(~0ull, X(0, 28));
	EXPECT_EQ(0, X(0, 29));
	EXPECT_EQ((u64)(s32)(u32)(b + 2047), X(0, 30));
	EXPECT_EQ(0xffffffff80000000ull, X(0, 31));
	EXPECT_EQ(PROG + 25 * 4 + 0x7ffff000ull, X(0, 3));
	EXPECT_EQ((u64)(s32)(0x12345678 >> 3), X(0, 4));
	EXPECT_EQ(0, X(0, 0));
	EXPECT_EQ(29u, ogpu_sim_cu_insns(self->cu));
	EXPECT_EQ(0, self->fake.not_user);
}

TEST_F(cu, muldiv)
{
	static const u32 p[] = {
		LD(5, 10, 0), LD(6, 10, 8), LD(7, 10, 16),
		MUL(8, 5, 6), MULH(9, 5, 6), MULHSU(12, 5, 6), MULHU(13, 5, 6),
		DIV(14, 5, 0), DIVU(15, 5, 0), REM(16, 5, 0), REMU(17, 5, 0),
		DIV(18, 5, 7), REM(19, 5, 7), DIVW(20, 5, 7), REMW(21, 5, 7),
		DIV(22, 6, 5), REM(23, 6, 5), DIVUW(24, 6, 0), REMUW(25, 6, 0),
		MULW(26, 6, 6), DIVW(27, 6, 7), REMW(28, 6, 0), DIVU(29, 7, 6),
		RET,
	};
	u64 a = 0x8000000000000000ull, b = 0xfffffffffffffff3ull;
	s64 c = -1;

	put64(DATA, a);
	put64(DATA + 8, b);
	put64(DATA + 16, (u64)c);
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(a * b, X(0, 8));
	EXPECT_EQ((u64)(((__int128)(s64)a * (s64)b) >> 64), X(0, 9));
	EXPECT_EQ((u64)(((__int128)(s64)a * (unsigned __int128)b) >> 64),
		  X(0, 12));
	EXPECT_EQ((u64)(((unsigned __int128)a * b) >> 64), X(0, 13));
	EXPECT_EQ(~0ull, X(0, 14));
	EXPECT_EQ(~0ull, X(0, 15));
	EXPECT_EQ(a, X(0, 16));
	EXPECT_EQ(a, X(0, 17));
	EXPECT_EQ(a, X(0, 18));		/* overflow */
	EXPECT_EQ(0, X(0, 19));
	EXPECT_EQ(0, X(0, 20));		/* (s32)0 / -1 */
	EXPECT_EQ(0, X(0, 21));
	EXPECT_EQ(0, X(0, 22));		/* -13 / INT64_MIN */
	EXPECT_EQ(b, X(0, 23));
	EXPECT_EQ(~0ull, X(0, 24));
	EXPECT_EQ(b, X(0, 25));		/* sign-extended (u32)b */
	EXPECT_EQ(169, X(0, 26));
	EXPECT_EQ(13, X(0, 27));
	EXPECT_EQ(b, X(0, 28));
	EXPECT_EQ(1, X(0, 29));
}

TEST_F(cu, loads_stores)
{
	static const u32 p[] = {
		LB(5, 10, 7), LBU(6, 10, 7), LH(7, 10, 6), LHU(8, 10, 6),
		LW(9, 10, 4), LWU(12, 10, 4), LD(13, 10, 0),
		SB(13, 10, 16), SH(13, 10, 18), SW(13, 10, 20), SD(13, 10, 24),
		/* The same through rw() */
		LD(14, 10, 32), SD(13, 14, 8), LW(15, 14, 8), LBU(16, 14, 15),
		SB(16, 14, 0), LB(17, 14, 0),
		/* Private and shared windows */
		SD(13, 2, -8), LD(18, 2, -8), ADDI(20, 0, 1),
		SLLI(20, 20, 16), ADDI(20, 20, 1), SLLI(20, 20, 32),
		SW(13, 20, 4), LWU(21, 20, 4), LH(22, 20, 6), RET,
	};
	u64 v = 0x8182838485868788ull;

	put64(DATA, v);
	put64(DATA + 32, RW_BASE + 0x100);
	self->launch.shared = 16;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ((u64)(s8)0x81, X(0, 5));
	EXPECT_EQ(0x81, X(0, 6));
	EXPECT_EQ((u64)(s16)0x8182, X(0, 7));
	EXPECT_EQ(0x8182, X(0, 8));
	EXPECT_EQ((u64)(s32)0x81828384, X(0, 9));
	EXPECT_EQ(0x81828384, X(0, 12));
	EXPECT_EQ(v, X(0, 13));
	EXPECT_EQ(0x88, flat[DATA + 16]);
	EXPECT_EQ(0x8788, get32(DATA + 16) >> 16);
	EXPECT_EQ(0x85868788u, get32(DATA + 20));
	EXPECT_EQ(v, get64(DATA + 24));
	EXPECT_EQ((u64)(s32)0x85868788, X(0, 15));
	EXPECT_EQ(0x81, X(0, 16));
	EXPECT_EQ((u64)(s8)0x81, X(0, 17));
	EXPECT_EQ(0x81, rwmem[0x100]);
	EXPECT_EQ(v, X(0, 18));
	EXPECT_EQ(OGPU_HW_CU_SHARED_VA, X(0, 20));
	EXPECT_EQ(0x85868788u, X(0, 21));
	EXPECT_EQ((u64)(s16)0x8586, X(0, 22));
	EXPECT_LT(0, self->fake.rws);
}

TEST_F(cu, branches_and_jumps)
{
	static const u32 p[] = {
		ADDI(5, 0, -1), ADDI(6, 0, 1), ADDI(7, 0, 0),
		BEQ(5, 6, 8), ORI(7, 7, 1),	/* not taken: runs */
		BNE(5, 6, 8), ORI(7, 7, 2),	/* taken: skipped */
		BLT(5, 6, 8), ORI(7, 7, 4),	/* taken */
		BGE(5, 6, 8), ORI(7, 7, 8),	/* not taken */
		BLTU(5, 6, 8), ORI(7, 7, 16),	/* not taken */
		BGEU(5, 6, 8), ORI(7, 7, 32),	/* taken */
		JAL(8, 12), ORI(7, 7, 64), ORI(7, 7, 128),
		AUIPC(9, 0), JALR(12, 9, 12), ORI(7, 7, 256),
		BGE(6, 5, 8),	/* taken, forward 8 */
		ORI(7, 7, 512), RET,
	};

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(1 | 8 | 16, X(0, 7));
	EXPECT_EQ(PROG + 16 * 4, X(0, 8));
	EXPECT_EQ(PROG + 20 * 4, X(0, 12));
}

TEST_F(cu, csr_identity_3d)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), CSRR(6, OGPU_HW_CSR_TID_Y),
		CSRR(7, OGPU_HW_CSR_TID_Z), CSRR(8, OGPU_HW_CSR_BID_X),
		CSRR(9, OGPU_HW_CSR_BID_Z), CSRR(12, OGPU_HW_CSR_BDIM_Y),
		CSRR(13, OGPU_HW_CSR_GDIM_X), CSRR(14, OGPU_HW_CSR_LANE),
		CSRR(15, OGPU_HW_CSR_WARP), CSRR(16, OGPU_HW_CSR_CU),
		CSRR(17, OGPU_HW_CSR_WARP_SIZE), CSRR(18, OGPU_HW_CSR_SHARED_SIZE),
		CSRR(19, OGPU_HW_CSR_LAYOUT), CSRR(20, 0xc00),
		CSRRWI(21, 2, 3), CSRRSI(22, 1, 5), CSRR(23, 3),
		CSRRCI(24, 3, 5), CSRR(25, 3), CSRR(26, 0xc02), RET,
	};
	u32 t, bx = 5, by = 3, bz = 2;

	self->launch.grid[0] = 9;
	self->launch.shared = 256;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, bx, by, bz));
	for (t = 0; t < bx * by * bz; t++) {
		EXPECT_EQ(t % bx, X(t, 5));
		EXPECT_EQ(t / bx % by, X(t, 6));
		EXPECT_EQ(t / (bx * by), X(t, 7));
		EXPECT_EQ(1, X(t, 8));
		EXPECT_EQ(3, X(t, 9));
		EXPECT_EQ(by, X(t, 12));
		EXPECT_EQ(9, X(t, 13));
		EXPECT_EQ(t % self->lanes, X(t, 14));
		EXPECT_EQ(t / self->lanes, X(t, 15));
		EXPECT_EQ(7, X(t, 16));
		EXPECT_EQ(self->lanes, X(t, 17));
		EXPECT_EQ(256, X(t, 18));
		EXPECT_EQ(OGPU_HW_CSR_VERSION, X(t, 19));
		EXPECT_EQ(13, X(t, 20));	/* 13 instructions before */
		EXPECT_EQ(0, X(t, 21));
		EXPECT_EQ(0, X(t, 22));
		EXPECT_EQ(3 << 5 | 5, X(t, 23));
		EXPECT_EQ(3 << 5 | 5, X(t, 24));
		EXPECT_EQ(3 << 5, X(t, 25));
		EXPECT_EQ(19, X(t, 26));
		EXPECT_EQ(3 << 5, X(t, OGPU_SIM_CU_REG_FCSR));
	}
}

TEST_F(cu, csr_illegal)
{
	/* A write to a read-only CSR, then an unknown CSR. */
	static const u32 p1[] = { CSRRW(0, OGPU_HW_CSR_TID_X, 5), RET };
	static const u32 p2[] = { CSRR(5, 0x300), RET };
	static const u32 p3[] = { CSRRS(5, 0xc00, 0), CSRRS(5, 0xc00, 6), RET };

	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(p1, 1, 1, 1));
	EXPECT_EQ(OGPU_HW_CU_ERR_ILLEGAL, ERR()->cause);
	EXPECT_EQ(p1[0], ERR()->tval);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(p2, 1, 1, 1));
	EXPECT_EQ(OGPU_HW_CU_ERR_ILLEGAL, ERR()->cause);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(p3, 1, 1, 1));
	EXPECT_EQ(PROG + 4, ERR()->pc);
}

/* Lanes on lane parity: odd ones take the else branch, all join. */
TEST_F(cu, divergence_if_else)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ANDI(6, 5, 1),
		BEQ(6, 0, 12),
		ADDI(7, 5, 100),		/* odd */
		JAL(0, 8),
		ADDI(7, 5, 200),		/* even */
		ADDI(7, 7, 1),			/* joined */
		CSRR(8, 0xc00), RET,
	};
	u32 t, n = 2 * self->lanes + 3;

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		EXPECT_EQ(t + (t & 1 ? 101 : 201), X(t, 7));
		/*
		 * With more than one lane the warp ran both sides: the join
		 * is the 7th warp-instruction (csr, andi, beq, addi, jal,
		 * addi, addi) when the warp diverged.
		 */
		if (self->lanes > 1)
			EXPECT_EQ(7, X(t, 8));
	}
}

/* A loop whose trip count is the lane's thread id; then reconvergence. */
TEST_F(cu, divergence_loop)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ADDI(6, 0, 0), ADDI(7, 0, 0),
		BGE(7, 5, 16),
		ADD(6, 6, 7), ADDI(7, 7, 1), JAL(0, -12),
		CSRR(8, 0xc00), RET,
	};
	u32 t, n = self->lanes == 64 ? 64 : 8;

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		EXPECT_EQ(t * (t - 1) / 2 * (t > 0), X(t, 6));
		/* Every lane leaves after the slowest: 3 + 4 * (max) + 1. */
		if (self->lanes >= n)
			EXPECT_EQ(3 + 4 * (n - 1) + 1, X(t, 8));
	}
}

/* Early return: odd lanes end, even ones store more. */
TEST_F(cu, divergence_early_return)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ANDI(6, 5, 1),
		BEQ(6, 0, 8), RET,
		SLLI(7, 5, 3), ADD(7, 7, 10), SD(5, 7, 0x100), RET,
	};
	u32 t, n = 16;

	for (t = 0; t < n; t++)
		put64(DATA + 0x100 + t * 8, 0xdead);
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++)
		EXPECT_EQ(t & 1 ? 0xdead : t, get64(DATA + 0x100 + t * 8));
}

/*
 * Each thread writes its id to shared memory; after the barrier thread 0
 * sums all: without the barrier the other warps would not have written.
 */
TEST_F(cu, shared_barrier_reduction)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X),
		ADDI(6, 0, 1), SLLI(6, 6, 16), ADDI(6, 6, 1), SLLI(6, 6, 32),
		SLLI(7, 5, 3), ADD(7, 7, 6), ADDI(8, 5, 1), SD(8, 7, 0),
		BARRIER,
		BNE(5, 0, 40),
		CSRR(9, OGPU_HW_CSR_BDIM_X), ADDI(12, 0, 0), ADDI(13, 6, 0),
		LD(14, 13, 0), ADD(12, 12, 14), ADDI(13, 13, 8),
		ADDI(9, 9, -1), BNE(9, 0, -16),
		SD(12, 10, 0x200),
		RET,
	};
	u32 n = 200;

	self->launch.shared = n * 8;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1))
		TH_LOG("cause %u pc %llx", ERR()->cause,
		       (unsigned long long)ERR()->pc);
	EXPECT_EQ((u64)n * (n + 1) / 2, get64(DATA + 0x200));
}

TEST_F(cu, partial_barrier)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ANDI(6, 5, 1),
		BEQ(6, 0, 8), RET,
		BARRIER, RET,
	};

	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(p, 16, 1, 1));
	EXPECT_EQ(OGPU_HW_CU_ERR_BARRIER, ERR()->cause);
	EXPECT_EQ(PROG + 16, ERR()->pc);
	EXPECT_EQ(0, ERR()->warp);
	EXPECT_EQ(0, ERR()->lane);
}

TEST_F(cu, barrier_all_released)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), BARRIER, ADDI(6, 5, 1), BARRIER,
		CSRRS(7, 0x8c0, 0), RET,
	};
	u32 t;

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 100, 1, 1));
	for (t = 0; t < 100; t++)
		EXPECT_EQ(t + 1, X(t, 6));
}

/* The error's lane is the first lane, in lane order, that hit it. */
static void expect_err(struct __test_metadata *_metadata,
		       FIXTURE_DATA(cu) *self, u32 cause, u64 pc, u64 tval,
		       u32 thread)
{
	const struct ogpu_sim_cu_error *e = ogpu_sim_cu_error(self->cu);

	EXPECT_EQ(cause, e->cause);
	EXPECT_EQ(pc, e->pc);
	EXPECT_EQ(tval, e->tval);
	EXPECT_EQ(thread / self->lanes, e->warp);
	EXPECT_EQ(thread % self->lanes, e->lane);
}

#define EXPECT_ERR(cause, pc, tval, t) expect_err(_metadata, self, cause, pc, tval, t)

/* Lanes with tid >= 2 of the second warp (or thread 3) do the access. */
#define PICK(off)	CSRR(5, OGPU_HW_CSR_TID_X), ADDI(6, 0, 3), BLT(5, 6, off)

TEST_F(cu, errors)
{
	u32 fault[] = { PICK(12), LUI(7, 0x7000000), LD(8, 7, 8), RET };
	u32 mis[] = { PICK(8), LW(8, 10, 2), RET };
	u32 ill[] = { PICK(8), 0x00004501u, RET };
	u32 brk[] = { PICK(8), EBREAK, RET };
	u32 ecl[] = { PICK(8), ECALL, RET };
	u32 win[] = { PICK(8), LD(8, 2, 0), RET };
	u32 jmp[] = { PICK(8), JALR(0, 10, 2), RET };
	u32 amo[] = { PICK(8), AMOADD_W(8, 2, 0), RET };
	u32 n = 8;

	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(fault, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_FAULT, PROG + 16, 0x7000008, 3);
	EXPECT_EQ(0x7000008, self->fake.last_fault);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(mis, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_MISALIGNED, PROG + 12, DATA + 2, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(ill, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_ILLEGAL, PROG + 12, 0x4501, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(brk, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_EBREAK, PROG + 12, EBREAK, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(ecl, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_ECALL, PROG + 12, ECALL, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(win, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_WINDOW, PROG + 12,
		   OGPU_HW_CU_PRIVATE_VA + OGPU_HW_CU_PRIVATE_BYTES, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(jmp, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_MISALIGNED, PROG + 12, DATA + 2, 3);
	ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(amo, n, 1, 1));
	EXPECT_ERR(OGPU_HW_CU_ERR_WINDOW, PROG + 12,
		   OGPU_HW_CU_PRIVATE_VA + OGPU_HW_CU_PRIVATE_BYTES, 3);
}

TEST_F(cu, fetch_errors)
{
	u32 p[] = { RET };

	load(p, 1);
	self->launch.entry = 0x7000000000ull;
	ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ 0 });
	ASSERT_EQ(OGPU_SIM_CU_ERROR, finish(self->cu, &self->mem));
	EXPECT_ERR(OGPU_HW_CU_ERR_FAULT, 0x7000000000ull, 0x7000000000ull, 0);
	self->launch.entry = PROG + 2;
	ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ 0 });
	ASSERT_EQ(OGPU_SIM_CU_ERROR, finish(self->cu, &self->mem));
	EXPECT_ERR(OGPU_HW_CU_ERR_MISALIGNED, PROG + 2, PROG + 2, 0);
	self->launch.entry = OGPU_HW_CU_SHARED_VA;
	self->launch.shared = 64;
	ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ 0 });
	ASSERT_EQ(OGPU_SIM_CU_ERROR, finish(self->cu, &self->mem));
	EXPECT_ERR(OGPU_HW_CU_ERR_WINDOW, OGPU_HW_CU_SHARED_VA, OGPU_HW_CU_SHARED_VA, 0);
	/* Shared memory is only as big as the launch asked. */
	{
		u32 q[] = { ADDI(6, 0, 1), SLLI(6, 6, 16), ADDI(6, 6, 1),
			    SLLI(6, 6, 32), SD(0, 6, 56), SD(0, 6, 64), RET };

		self->launch.entry = PROG;
		ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(q, 1, 1, 1));
		EXPECT_ERR(OGPU_HW_CU_ERR_WINDOW, PROG + 20, OGPU_HW_CU_SHARED_VA + 64,
			   0);
	}
}

/*
 * Operands alike in every lane mixed with ones that differ: the executor
 * reads a uniform register once (as an immediate, or from lane 0 of a row
 * it has not spread yet); a later write by some lanes only keeps the
 * others' value.
 */
TEST_F(cu, uniform_operands)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), LD(6, 10, 0), ADDI(28, 5, -5),
		ADD(7, 28, 6), ADD(8, 6, 28), SUB(9, 28, 6), SUB(12, 6, 28),
		SLL(13, 28, 6), SRL(14, 28, 6), SRA(15, 28, 6), SLT(16, 28, 6),
		SLTU(17, 28, 6), XOR(18, 6, 28), OR(19, 28, 6), AND(20, 6, 28),
		ADDW(21, 28, 6), SUBW(22, 28, 6), SLLW(23, 28, 6),
		SRLW(24, 28, 6), SRAW(25, 28, 6),
		ADDI(26, 0, 77), ANDI(27, 5, 1), BEQ(27, 0, 8), ADDI(26, 5, 0),
		ADDI(29, 0, 0), BLTU(28, 6, 8), ADDI(29, 0, 1),
		ADDI(30, 6, 1), SLTU(31, 6, 28), MUL(11, 28, 6), RET,
	};
	u64 u = 0x8000000000000023ull;
	u32 n = 2 * self->lanes + 3, t;

	put64(DATA, u);
	self->launch.args = DATA;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		u64 s = (u64)t - 5;

		EXPECT_EQ(s + u, X(t, 7));
		EXPECT_EQ(u + s, X(t, 8));
		EXPECT_EQ(s - u, X(t, 9));
		EXPECT_EQ(u - s, X(t, 12));
		EXPECT_EQ(s << 35, X(t, 13));
		EXPECT_EQ(s >> 35, X(t, 14));
		EXPECT_EQ((u64)((s64)s >> 35), X(t, 15));
		EXPECT_EQ((s64)s < (s64)u, X(t, 16));
		EXPECT_EQ(s < u, X(t, 17));
		EXPECT_EQ(u ^ s, X(t, 18));
		EXPECT_EQ(s | u, X(t, 19));
		EXPECT_EQ(u & s, X(t, 20));
		EXPECT_EQ((u64)(s32)(u32)(s + u), X(t, 21));
		EXPECT_EQ((u64)(s32)(u32)(s - u), X(t, 22));
		EXPECT_EQ((u64)(s32)((u32)s << 3), X(t, 23));
		EXPECT_EQ((u64)(s32)((u32)s >> 3), X(t, 24));
		EXPECT_EQ((u64)((s32)s >> 3), X(t, 25));
		EXPECT_EQ(t & 1 ? t : 77, X(t, 26));
		EXPECT_EQ(s < u ? 0 : 1, X(t, 29));
		EXPECT_EQ(u + 1, X(t, 30));
		EXPECT_EQ(u < s, X(t, 31));
		EXPECT_EQ(s * u, X(t, 11));
		EXPECT_EQ(u, X(t, 6));
	}
}

/*
 * Loads of one address in every lane, in a loop: from the second time
 * round the executor reads them from the page it translated the first
 * time; sign and zero extension and NaN-boxing as ever.
 */
TEST_F(cu, uniform_loads_in_loop)
{
	static const u32 p[] = {
		ADDI(7, 0, 3), LW(6, 10, 8), LBU(8, 10, 12), FLW(1, 10, 16),
		ADD(9, 9, 6), ADD(9, 9, 8), FMV_X_W(12, 1), ADD(9, 9, 12),
		ADDI(7, 7, -1), BNE(7, 0, -32), RET,
	};
	u32 n = 2 * self->lanes + 3, t;

	put64(DATA + 8, 0x000000a780000005ull);
	put64(DATA + 16, 0x123456783f800000ull);
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		EXPECT_EQ(3 * (0xffffffff80000005ull + 0xa7 + 0x3f800000),
			  X(t, 9));
		EXPECT_EQ(0xffffffff3f800000ull, X(t, OGPU_SIM_CU_REG_F(1)));
	}
}

/*
 * Pairs the executor fuses (SLLI then SRLI or SRAI of its result; SLLI
 * then an ADD or OR of it and a uniform register; an ADD of a uniform
 * base and a per-lane index then a load from the sum) give
 * what the two instructions give one after the other: with a second
 * destination, with rd the first's source or the second's, uniform, in
 * a partial warp, and entered at the second by a branch.
 */
TEST_F(cu, fused_pairs)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), LD(6, 10, 0),
		SLLI(7, 5, 32), SRLI(7, 7, 29),
		SLLI(8, 5, 60), SRAI(9, 8, 62),
		ADDI(12, 5, 1), SLLI(12, 12, 4), SRLI(13, 12, 2),
		ADDI(14, 5, 2), SLLI(15, 14, 3), SRLI(14, 15, 1),
		SLLI(16, 6, 1), SRAI(16, 16, 1),
		ADD(17, 6, 7), LD(18, 17, 8),
		ADD(19, 7, 6), LW(19, 19, 4),
		SLLI(21, 5, 2), ADD(22, 6, 21), SLLI(23, 5, 3), OR(23, 23, 6),
		ADDI(24, 5, 3), SLLI(24, 24, 2), OR(25, 6, 24),
		SLLI(26, 6, 1), ADD(26, 26, 6),
		ADDI(20, 5, 8), BEQ(0, 0, 8), SLLI(20, 20, 4), SRLI(20, 20, 1),
		RET,
	};
	u64 arr = DATA + 64, u;
	u32 n = 2 * self->lanes + 3, t;

	put64(DATA, arr);
	for (t = 0; t <= n; t++)
		put64(arr + 8 * t, 0x8000000100000000ull + 0x80000001u * t);
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		u = (u64)t << 60;
		EXPECT_EQ(8 * t, X(t, 7));
		EXPECT_EQ(u, X(t, 8));
		EXPECT_EQ((u64)((s64)u >> 62), X(t, 9));
		EXPECT_EQ((t + 1) << 4, X(t, 12));
		EXPECT_EQ((t + 1) << 2, X(t, 13));
		EXPECT_EQ((t + 2) << 3, X(t, 15));
		EXPECT_EQ((t + 2) << 2, X(t, 14));
		EXPECT_EQ((u64)((s64)(arr << 1) >> 1), X(t, 16));
		EXPECT_EQ(arr + 8 * t, X(t, 17));
		EXPECT_EQ(get64(arr + 8 * t + 8), X(t, 18));
		EXPECT_EQ((u64)(s32)get32(arr + 8 * t + 4), X(t, 19));
		EXPECT_EQ((t + 8) >> 1, X(t, 20));
		EXPECT_EQ(4 * t, X(t, 21));
		EXPECT_EQ(arr + 4 * t, X(t, 22));
		EXPECT_EQ((8 * t) | arr, X(t, 23));
		EXPECT_EQ((t + 3) << 2, X(t, 24));
		EXPECT_EQ(arr | ((t + 3) << 2), X(t, 25));
		EXPECT_EQ(3 * arr, X(t, 26));
	}
}

/*
 * A fused load that stops the block: its ADD is done in every lane,
 * those after the lane that stopped it too, as if they ran one by one;
 * also when the load's rd is the ADD's (x17 in the second program).
 */
TEST_F(cu, fused_load_error)
{
	static const u32 p[2][9] = { {
		CSRR(5, OGPU_HW_CSR_TID_X), LD(6, 10, 0),
		SLLI(7, 5, 3), XORI(8, 5, 3), SLTIU(8, 8, 1), ADD(7, 7, 8),
		ADD(17, 6, 7), LD(18, 17, 0), RET,
	}, {
		CSRR(5, OGPU_HW_CSR_TID_X), LD(6, 10, 0),
		SLLI(7, 5, 3), XORI(8, 5, 3), SLTIU(8, 8, 1), ADD(7, 7, 8),
		ADD(17, 6, 7), LD(17, 17, 0), RET,
	} };
	u64 arr = DATA + 64;
	u32 n = 2 * self->lanes + 3, t, k;

	put64(DATA, arr);
	for (t = 0; t < n; t++)
		put64(arr + 8 * t, 100 + t);
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(OGPU_SIM_CU_ERROR, GO(p[k], n, 1, 1));
		EXPECT_ERR(OGPU_HW_CU_ERR_MISALIGNED, PROG + 28, arr + 25, 3);
		for (t = 0; t < n; t++) {
			if (t / self->lanes != 3 / self->lanes)
				continue;
			if (t < 3)
				EXPECT_EQ(100 + t, X(t, 18 - k));
			if (t >= 3 || !k)
				EXPECT_EQ(arr + 8 * t + (t == 3), X(t, 17));
		}
	}
}

/*
 * An ADD, ADDW, ADDI or ADDIW and the branch on its sum, which the
 * executor fuses: a loop whose lanes leave it one by one, a uniform
 * operand first, and a lazy uniform rd written by some lanes only.
 */
TEST_F(cu, fused_add_branch)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ANDI(6, 5, 7), ADDI(8, 0, 0),
		ADDI(29, 0, 20), ADDI(9, 0, 5), ADDI(28, 0, 3),
		ADDI(8, 8, 1), ADDW(6, 28, 6), BLT(6, 29, -8),
		ANDI(30, 5, 1), BEQ(30, 0, 16),
		ADDI(9, 5, 1), BGEU(9, 29, 8), ADDIW(31, 0, 1),
		RET,
	};
	u32 n = 2 * self->lanes + 3, t, k;

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (t = 0; t < n; t++) {
		for (k = 1; (t & 7) + 3 * k < 20; k++)
			;
		EXPECT_EQ(k, X(t, 8));
		EXPECT_EQ((t & 7) + 3 * k, X(t, 6));
		EXPECT_EQ(t & 1 ? t + 1 : 5, X(t, 9));
		EXPECT_EQ((t & 1) && t + 1 < 20, X(t, 31));
	}
}

/*
 * AMOs of every kind in one warp on shared memory (even threads) and on
 * global memory (odd ones): each lane takes the path of its address.
 */
TEST_F(cu, amo_shared_and_global)
{
	static const u32 p[] = {
		CSRR(5, OGPU_HW_CSR_TID_X), ADDI(6, 0, 1), SLLI(6, 6, 16),
		ADDI(6, 6, 1), SLLI(6, 6, 32), ANDI(8, 5, 1), ADDI(9, 6, 0),
		BEQ(8, 0, 8), ADDI(9, 10, 0x100), ADDI(12, 5, -3),
		AMOADD_W(13, 9, 12), ADDI(9, 9, 8), AMO(0x04, 2, 13, 9, 12),
		ADDI(9, 9, 8), AMO(0x08, 2, 13, 9, 12), ADDI(9, 9, 8),
		AMO(0x0c, 3, 13, 9, 12), ADDI(9, 9, 8), AMOMIN_W(13, 9, 12),
		ADDI(9, 9, 8), AMO(0x14, 3, 13, 9, 12), ADDI(9, 9, 8),
		AMO(0x18, 3, 13, 9, 12), ADDI(9, 9, 8), AMO(0x1c, 2, 13, 9, 12),
		BARRIER, BNE(5, 0, 68),
		LD(14, 6, 0), SD(14, 10, 0x200), LD(14, 6, 8), SD(14, 10, 0x208),
		LD(14, 6, 16), SD(14, 10, 0x210), LD(14, 6, 24),
		SD(14, 10, 0x218), LD(14, 6, 32), SD(14, 10, 0x220),
		LD(14, 6, 40), SD(14, 10, 0x228), LD(14, 6, 48),
		SD(14, 10, 0x230), LD(14, 6, 56), SD(14, 10, 0x238), RET,
	};
	u64 want[2][8] = { { 0, 0, 0, ~0ull, 0, 0, ~0ull, 0 },
			   { 0, 0, 0, ~0ull, 0, 0, ~0ull, 0 } };
	u32 n = 2 * self->lanes + 3, t, k, i;

	self->launch.args = DATA;
	self->launch.shared = 64;
	/* AND and MINU start from all ones, the rest from zero. */
	for (k = 0; k < 2; k++)
		for (i = 0; i < 8; i++)
			put64(DATA + (k ? 0x100 : 0) + 8 * i, want[k][i]);
	for (t = 0; t < n; t++) {
		u64 *m = want[t & 1], s = (u64)t - 3;

		m[0] = (u32)(m[0] + s);
		m[1] = (u32)(m[1] ^ s);
		m[2] = (u32)(m[2] | s);
		m[3] &= s;
		m[4] = (s32)m[4] < (s32)s ? m[4] : (u32)s;
		m[5] = (s64)m[5] > (s64)s ? m[5] : s;
		m[6] = m[6] < s ? m[6] : s;
		m[7] = (u32)m[7] > (u32)s ? m[7] : (u32)s;
	}
	/* Shared memory starts zeroed: AND and MINU stay 0 there. */
	want[0][3] = 0;
	want[0][6] = 0;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, n, 1, 1));
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(want[0][i], get64(DATA + 0x200 + 8 * i));
		EXPECT_EQ(want[1][i], get64(DATA + 0x100 + 8 * i));
	}
}

TEST_F(cu, amo_lr_sc)
{
	static const u32 p[] = {
		/* flat */
		ADDI(5, 10, 0x40), ADDI(6, 0, 5), AMOADD_W(7, 5, 6),
		AMOSWAP_W(8, 5, 6), AMOMIN_W(9, 5, 0),
		LR_D(12, 5), ADDI(13, 12, 1), SC_D(14, 5, 13),
		SC_D(15, 5, 13),			/* no reservation */
		LR_W(16, 5), SW(0, 5, 0), SC_W(17, 5, 6),	/* changed */
		ADDI(18, 0, -1), AMOMAXU_D(19, 5, 18),
		/* rw */
		LD(20, 10, 32), AMOADD_D(21, 20, 6), AMOADD_D(22, 20, 6),
		LR_W(23, 20), SC_W(24, 20, 0),
		/* shared */
		ADDI(25, 0, 1), SLLI(25, 25, 16), ADDI(25, 25, 1),
		SLLI(25, 25, 32), AMOADD_W(26, 25, 6), AMOADD_W(27, 25, 6),
		RET,
	};

	put64(DATA + 0x40, 0xfffffffe00000003ull);
	put64(DATA + 32, RW_BASE + 0x80);
	self->launch.shared = 8;
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(3, X(0, 7));
	EXPECT_EQ(8, X(0, 8));
	EXPECT_EQ(5, X(0, 9));
	EXPECT_EQ(0xfffffffe00000000ull, X(0, 12));
	EXPECT_EQ(0, X(0, 14));
	EXPECT_EQ(1, X(0, 15));
	EXPECT_EQ(1, X(0, 16));
	EXPECT_EQ(1, X(0, 17));
	EXPECT_EQ(0xfffffffe00000000ull, X(0, 19));
	EXPECT_EQ(~0ull, get64(DATA + 0x40));
	EXPECT_EQ(0, X(0, 21));
	EXPECT_EQ(5, X(0, 22));
	EXPECT_EQ(10, X(0, 23));
	EXPECT_EQ(0, X(0, 24));
	EXPECT_EQ(0, rwmem[0x80]);
	EXPECT_EQ(0, X(0, 26));
	EXPECT_EQ(5, X(0, 27));
	/*
	 * The two AMOs (read and write each), LR's read and SC's read and
	 * write, each under lock(): 7 accesses under 4 locks.
	 */
	EXPECT_EQ(4, self->fake.locks);
	EXPECT_EQ(7, self->fake.rws_held);
	EXPECT_EQ(0, self->fake.held);
	EXPECT_EQ(0, self->fake.misuse);
}

/* Every thread adds 1 to one word: the count is exact. */
struct amo_thread {
	struct ogpu_sim_cu *cu;
	struct fake fake;
	int rc;
};

static const u32 amo_loop[] = {
	ADDI(5, 0, 1000), ADDI(6, 0, 1),
	AMOADD_D(0, 10, 6), ADDI(5, 5, -1), BNE(5, 0, -8), RET,
};

static void *amo_run(void *arg)
{
	struct amo_thread *a = arg;
	struct ogpu_sim_cu_mem mem = { .map = fake_map, .rw = fake_rw,
				       .ctx = &a->fake };
	struct ogpu_sim_launch ln = {
		.entry = PROG, .args = DATA, .grid = { 1, 1, 1 },
		.block = { 256, 1, 1 },
	};
	int i;

	for (i = 0; i < 4; i++) {
		ogpu_sim_cu_start(a->cu, &ln, (u32[3]){ i, 0, 0 });
		if (finish(a->cu, &mem) != OGPU_SIM_CU_DONE)
			a->rc = -1;
	}
	return NULL;
}

TEST_F(cu, amo_two_cus_two_threads)
{
	struct amo_thread a[2] = { { .cu = self->cu } };
	pthread_t th[2];
	int i;

	a[1].cu = cu_new(8, self->lanes);
	ASSERT_NE(NULL, a[1].cu);
	load(amo_loop, sizeof(amo_loop) / 4);
	put64(DATA, 0);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, amo_run, &a[i]));
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, a[0].rc);
	EXPECT_EQ(0, a[1].rc);
	EXPECT_EQ(2ull * 4 * 256 * 1000, get64(DATA));
	free(a[1].cu);
}

TEST_F(cu, budget_and_insns)
{
	static const u32 p[] = {
		ADDI(5, 0, 100), ADDI(5, 5, -1), BNE(5, 0, -4), RET,
	};
	u32 n = 3 * self->lanes;
	u64 before = ogpu_sim_cu_insns(self->cu);

	load(p, 4);
	self->launch.block[0] = n;
	ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ 0 });
	/* 3 warps * 202 warp-instructions */
	EXPECT_EQ(OGPU_SIM_CU_RUNNING, ogpu_sim_cu_run(self->cu, &self->mem,
						       3 * 202 - 1));
	EXPECT_EQ(OGPU_SIM_CU_DONE, ogpu_sim_cu_run(self->cu, &self->mem, 1));
	EXPECT_EQ(before + 202ull * n, ogpu_sim_cu_insns(self->cu));
	ogpu_sim_cu_stop(self->cu);
	EXPECT_EQ(OGPU_SIM_CU_IDLE, ogpu_sim_cu_run(self->cu, &self->mem, 1));
}

TEST_F(cu, fence_i_sees_new_code)
{
	/* Overwrite the instruction at 6*4 with ADDI x7, x0, 42. */
	u32 p[] = {
		LW(5, 10, 0), AUIPC(6, 0), SW(5, 6, 16), FENCE_I, FENCE,
		ADDI(7, 0, 1), RET,
	};

	put64(DATA, ADDI(7, 0, 42));
	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(42, X(0, 7));
}

/* A block's registers start at zero whatever earlier blocks left. */
TEST_F(cu, registers_zero_at_entry)
{
	u32 dirty[] = { ADDI(5, 0, 7), ADDI(31, 0, -1), FMV_D_X(3, 5),
			FMV_D_X(31, 31), ADDI(10, 0, 9), RET };
	u32 ret[] = { RET };
	u32 t, r, sizes[] = { 3, 2 * 64 + 5, 64 };
	int i;

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(dirty, 2 * 64 + 5, 1, 1));
	EXPECT_EQ(7, X(0, 5));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(OGPU_SIM_CU_DONE, go(self, ret, 1, sizes[i], 1, 1));
		for (t = 0; t < sizes[i]; t++) {
			for (r = 3; r < 64; r++)
				if (r != 10 && r != 11)
					ASSERT_EQ(0, X(t, r)) TH_LOG("t %u r %u", t, r);
			EXPECT_EQ(DATA, X(t, 10));
			EXPECT_EQ(OGPU_HW_CU_PRIVATE_VA + OGPU_HW_CU_PRIVATE_BYTES,
				  X(t, 2));
		}
	}
}

/* Code changed between two run calls runs as changed, FENCE.I or not. */
TEST_F(cu, code_changed_between_runs)
{
	u32 p[] = { ADDI(5, 5, 1), JAL(0, -4) }, ret = RET;

	load(p, 2);
	self->launch.block[0] = 1;
	ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ 0 });
	ASSERT_EQ(OGPU_SIM_CU_RUNNING, ogpu_sim_cu_run(self->cu, &self->mem, 10));
	EXPECT_EQ(5, X(0, 5));
	memcpy(flat + PROG + 4, &ret, 4);
	ASSERT_EQ(OGPU_SIM_CU_DONE, ogpu_sim_cu_run(self->cu, &self->mem, 10));
	EXPECT_EQ(6, X(0, 5));
}

TEST_F(cu, fp_basics)
{
	static const u32 p[] = {
		ADDI(5, 0, 3), FCVT_D_L(1, 5), FADD_D(2, 1, 1), FMUL_D(3, 2, 1),
		FMV_X_D(6, 3), FCVT_S_W(4, 5), FMV_X_W(7, 4),
		FMADD_D(5, 1, 2, 3), FMV_X_D(8, 5), FLT_D(9, 1, 2),
		FMV_W_X(11, 0),
		FMV_D_X(6, 5), FADD_S(7, 6, 4), FMV_X_W(12, 7),
		FSGNJN_S(8, 4, 4), FMV_X_D(13, 8),
		ADDI(14, 0, 1), FMV_W_X(9, 14), FDIV_S(10, 9, 11), FMV_X_D(15, 10),
		FCVT_W_S(16, 4, 1), CSRR(17, 1), RET,
	};

	ASSERT_EQ(OGPU_SIM_CU_DONE, GO(p, 1, 1, 1));
	EXPECT_EQ(0x4032000000000000ull, X(0, 6));	/* 18.0 */
	EXPECT_EQ((u64)(s32)0x40400000, X(0, 7));	/* 3.0f */
	EXPECT_EQ(0x4042000000000000ull, X(0, 8));	/* 36.0 */
	EXPECT_EQ(1, X(0, 9));
	EXPECT_EQ((u64)(s32)0x7fc00000, X(0, 12));	/* unboxed: NaN */
	EXPECT_EQ(0xffffffffc0400000ull, X(0, 13));
	EXPECT_EQ(0xffffffff7f800000ull, X(0, 15));	/* denormal / 0 */
	EXPECT_EQ(3, X(0, 16));
	EXPECT_EQ(OGPU_FP_DZ, X(0, 17));
}

/* ---- Kernels compiled by clang ---- */

static const char kernels_c[] =
	"typedef unsigned long u64;\n"
	"static inline u64 csr_tid(void) { u64 v; asm volatile(\"csrr %0, 0xcc0\" : \"=r\"(v)); return v; }\n"
	"static inline u64 csr_bid(void) { u64 v; asm volatile(\"csrr %0, 0xcc3\" : \"=r\"(v)); return v; }\n"
	"static inline u64 csr_bdim(void) { u64 v; asm volatile(\"csrr %0, 0xcc6\" : \"=r\"(v)); return v; }\n"
	"struct args { int *a, *b, *c; long n; };\n"
	"void vecadd(struct args *p) {\n"
	"  long i = csr_bid() * csr_bdim() + csr_tid();\n"
	"  if (i < p->n) p->c[i] = p->a[i] + p->b[i];\n"
	"}\n"
	"void collatz(struct args *p) {\n"
	"  long i = csr_bid() * csr_bdim() + csr_tid(), steps = 0;\n"
	"  volatile long buf[8];\n"
	"  u64 x = i + 1;\n"
	"  while (x != 1) { x = x & 1 ? 3 * x + 1 : x / 2; buf[steps & 7] = x; steps++; }\n"
	"  p->c[i] = steps + buf[0] - buf[0];\n"
	"}\n";

/*
 * Compile kernels_c with its .text at 0x1000; the flat binary goes to
 * @text and the entry points of vecadd and collatz to @entry.
 */
static int build_kernels(const char *dir, u8 *text, size_t size, u64 entry[2])
{
	char cmd[1024], path[300], name[64];
	unsigned long long addr;
	char type;
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/k.c", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(kernels_c, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && clang --target=riscv64-unknown-elf -march=rv64g "
		 "-mabi=lp64d -ffreestanding -nostdlib -O2 -fuse-ld=lld "
		 "-Wl,-e,vecadd -Wl,-Ttext=0x1000 -o k.elf k.c && "
		 "llvm-objcopy -O binary k.elf k.bin && "
		 "llvm-nm k.elf > k.sym", dir);
	if (system(cmd))
		return -1;
	snprintf(path, sizeof(path), "%s/k.bin", dir);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	if (fread(text, 1, size, f) == 0) {
		fclose(f);
		return -1;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/k.sym", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%llx %c %63s", &addr, &type, name) == 3) {
		if (!strcmp(name, "vecadd"))
			entry[0] = addr, found++;
		if (!strcmp(name, "collatz"))
			entry[1] = addr, found++;
	}
	fclose(f);
	return found == 2 ? 0 : -1;
}

static bool have_tool(const char *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", t);
	return !system(cmd);
}

TEST_F(cu, clang_kernels)
{
	static u8 text[0x4000];
	char dir[] = "/tmp/ogpu-cu-XXXXXX";
	u64 entry[2];
	u32 n = 1000, bdim = 128, b, i;
	char cmd[64];

	if (!have_tool("clang") || !have_tool("ld.lld"))
		SKIP(return, "clang or ld.lld missing");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, build_kernels(dir, text, sizeof(text), entry));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);

	memcpy(flat + 0x1000, text, sizeof(text));
	self->launch.entry = entry[0];
	/* args at DATA; a, b, c arrays after it */
	put64(DATA, 0x30000);
	put64(DATA + 8, 0x40000);
	put64(DATA + 16, 0x50000);
	put64(DATA + 24, n);
	for (i = 0; i < n; i++) {
		u32 x = i * 7, y = 1000000 - i;

		memcpy(flat + 0x30000 + 4 * i, &x, 4);
		memcpy(flat + 0x40000 + 4 * i, &y, 4);
	}
	self->launch.block[0] = bdim;
	self->launch.grid[0] = (n + bdim - 1) / bdim;
	for (b = 0; b < self->launch.grid[0]; b++) {
		ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ b, 0, 0 });
		ASSERT_EQ(OGPU_SIM_CU_DONE, finish(self->cu, &self->mem))
			TH_LOG("cause %u pc %llx", ERR()->cause,
			       (unsigned long long)ERR()->pc);
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(i * 7 + 1000000 - i, get32(0x50000 + 4 * i));

	self->launch.entry = entry[1];
	for (b = 0; b < 2; b++) {
		ogpu_sim_cu_start(self->cu, &self->launch, (u32[3]){ b, 0, 0 });
		ASSERT_EQ(OGPU_SIM_CU_DONE, finish(self->cu, &self->mem))
			TH_LOG("cause %u pc %llx", ERR()->cause,
			       (unsigned long long)ERR()->pc);
	}
	for (i = 0; i < 2 * bdim; i++) {
		u64 x = i + 1, s = 0;

		while (x != 1) {
			x = x & 1 ? 3 * x + 1 : x / 2;
			s++;
		}
		ASSERT_EQ(s, get32(0x50000 + 4 * i)) TH_LOG("thread %u", i);
	}
}

TEST_HARNESS_MAIN
