// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Differential test of the compute unit's executor against
 * qemu-riscv64-static. Random straight-line RV64G programs with forward
 * branches only (so they end) cover every instruction class: integer ALU
 * and immediates, M, loads and stores into a scratch buffer, AMOs and
 * LR/SC, CSR operations on fflags/frm/fcsr, and F and D arithmetic,
 * compares, conversions, moves, FMAs and sign injection. Each program runs
 * with N initial register states: in qemu, one process per program whose
 * harness loops over the states, and in the executor as one warp of N
 * lanes, one state per lane, which diverge on the forward branches. Every
 * lane's x5-x31, f0-f31, fcsr and scratch buffer are compared.
 *
 * Register use: x1 (ra) and x2 (sp) are never touched; x3 is the scratch
 * buffer's address and x4 the address temporary of AMOs and JALR, so
 * neither is a source or a destination of random instructions. Programs
 * and the harness sit at the same VAs in both, so AUIPC, JAL and JALR
 * results compare too.
 *
 * CU_DIFF_PROGRAMS and CU_DIFF_SEED in the environment override the
 * number of programs and the first seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ogpu_sim_cu.h"
#include "cu_asm.h"

#include "kselftest_harness.h"

#define NS		32		/* states, lanes */
#define BUF_BYTES	256
#define PROG_VA		0x200000u	/* the program, in both */
#define PROG_MAX	4096		/* words */
#define BUF_VA		0x300000u	/* lane l's buffer at + l * 256 */
#define FLAT		0x400000u

struct state {
	u64 x[32];
	u64 f[32];
	u64 fcsr;
	u8 buf[BUF_BYTES];
};

struct prog {
	u32 n;
	u32 w[PROG_MAX];
	char what[PROG_MAX][40];
};

/* ---- Random ---- */

static u64 rng_s;

static u64 rnd(void)
{
	/* splitmix64 */
	u64 z = (rng_s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static u32 rn(u32 n)
{
	return rnd() % n;
}

static u64 rnd_int(void)
{
	switch (rn(8)) {
	case 0:
		return (u64)(s64)(int)(rn(11) - 5);
	case 1:
		return 1ull << rn(64);
	case 2:
		return (1ull << rn(64)) - 1;
	case 3:
		return (u64)(s64)(s32)rnd();
	case 4:
		return rn(2) ? 0x8000000000000000ull : 0x7fffffffffffffffull;
	case 5:
		return (u32)rnd();
	case 6:
		return rn(64);
	default:
		return rnd();
	}
}

static u32 rnd_f32(void)
{
	static const u32 sp[] = {
		0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000,
		0xffc00001, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000,
		0xbfc00000, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x5f800000,
		0x3effffff, 0x3f000000, 0x40400000, 0x4b000001,
	};

	switch (rn(4)) {
	case 0:
		return sp[rn(sizeof(sp) / 4)];
	case 1:
		return (u32)rnd() & 0x807fffff;		/* denormal */
	case 2:
		return (rn(2) << 31) | (rn(40) + 107) << 23 | (rnd() & 0x7fffff);
	default:
		return rnd();
	}
}

static u64 rnd_f64(void)
{
	static const u64 sp[] = {
		0, 0x8000000000000000ull, 0x7ff0000000000000ull,
		0xfff0000000000000ull, 0x7ff8000000000000ull,
		0x7ff4000000000000ull, 0x0000000000000001ull,
		0x000fffffffffffffull, 0x0010000000000000ull,
		0x3ff0000000000000ull, 0xbff8000000000000ull,
		0x7fefffffffffffffull, 0x43e0000000000000ull,
		0xc3e0000000000000ull, 0x41e0000000000000ull,
		0xc1e0000000200000ull, 0x3fe0000000000000ull,
		0x4330000000000001ull, 0x41efffffffe00000ull,
	};

	switch (rn(4)) {
	case 0:
		return sp[rn(sizeof(sp) / 8)];
	case 1:
		return rnd() & 0x800fffffffffffffull;
	case 2:
		return (u64)rn(2) << 63 | (u64)(rn(140) + 960) << 52 |
		       (rnd() & 0xfffffffffffffull);
	default:
		return rnd();
	}
}

static u64 rnd_freg(void)
{
	switch (rn(8)) {
	case 0:
		return rnd_f64() ^ (rn(2) ? 0 : 0xffffffff00000000ull);
	case 1:
	case 2:
	case 3:
		return rnd_f64();
	default:
		return 0xffffffff00000000ull | rnd_f32();
	}
}

static void rnd_state(struct state *s)
{
	u32 i;

	memset(s, 0, sizeof(*s));
	for (i = 5; i < 32; i++)
		s->x[i] = rnd_int();
	for (i = 0; i < 32; i++)
		s->f[i] = rnd_freg();
	s->fcsr = rn(5) << 5 | rn(32);
	for (i = 0; i < BUF_BYTES; i += 8) {
		u64 v = rn(2) ? rnd_int() : rnd_freg();

		memcpy(s->buf + i, &v, 8);
	}
}

/* ---- Program generation ---- */

/* A random register: a destination never x0-x4, a source x0 or x5-x31. */
static u32 rd_(void)
{
	return 5 + rn(27);
}

static u32 rs_(void)
{
	return rn(8) ? 5 + rn(27) : 0;
}

static u32 rm_(void)
{
	static const u32 rms[] = { 0, 1, 2, 3, 4, 7, 7, 7 };

	return rms[rn(8)];
}

/*
 * An item is a sequence that no branch enters: a branch jumps over whole
 * items. Items are emitted into @p; branches are fixed up at the end.
 */
struct item {
	u32 start, len;
	int skip;		/* a branch to the start of item i + skip */
	u32 kind;		/* 0 none, 1 B-type, 2 JAL, 3 AUIPC+JALR */
	u32 at;			/* where the branch (or AUIPC) is */
};

static void emit(struct prog *p, u32 w, const char *what)
{
	if (p->n < PROG_MAX) {
		snprintf(p->what[p->n], sizeof(p->what[0]), "%s", what);
		p->w[p->n++] = w;
	}
}

#define E(w, ...) do {							\
		char s_[40];						\
		snprintf(s_, sizeof(s_), __VA_ARGS__);			\
		emit(p, w, s_);						\
	} while (0)

static void gen_int(struct prog *p)
{
	static const char *const rr[] = {
		"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or",
		"and", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem",
		"remu", "addw", "subw", "sllw", "srlw", "sraw", "mulw", "divw",
		"divuw", "remw", "remuw",
	};
	static const u32 rrf[][3] = {
		{ 0x33, 0, 0 }, { 0x33, 0, 0x20 }, { 0x33, 1, 0 },
		{ 0x33, 2, 0 }, { 0x33, 3, 0 }, { 0x33, 4, 0 },
		{ 0x33, 5, 0 }, { 0x33, 5, 0x20 }, { 0x33, 6, 0 },
		{ 0x33, 7, 0 }, { 0x33, 0, 1 }, { 0x33, 1, 1 },
		{ 0x33, 2, 1 }, { 0x33, 3, 1 }, { 0x33, 4, 1 },
		{ 0x33, 5, 1 }, { 0x33, 6, 1 }, { 0x33, 7, 1 },
		{ 0x3b, 0, 0 }, { 0x3b, 0, 0x20 }, { 0x3b, 1, 0 },
		{ 0x3b, 5, 0 }, { 0x3b, 5, 0x20 }, { 0x3b, 0, 1 },
		{ 0x3b, 4, 1 }, { 0x3b, 5, 1 }, { 0x3b, 6, 1 },
		{ 0x3b, 7, 1 },
	};
	u32 rd = rd_(), a = rs_(), b = rs_(), k;
	int imm = (int)rn(4096) - 2048;

	switch (rn(4)) {
	case 0:
	case 1:
		k = rn(28);
		E(rv_r(rrf[k][0], rd, rrf[k][1], a, b, rrf[k][2]),
		  "%s x%u,x%u,x%u", rr[k], rd, a, b);
		return;
	case 2:
		switch (rn(13)) {
		case 0: E(ADDI(rd, a, imm), "addi x%u,x%u,%d", rd, a, imm); return;
		case 1: E(SLTI(rd, a, imm), "slti x%u,x%u,%d", rd, a, imm); return;
		case 2: E(SLTIU(rd, a, imm), "sltiu x%u,x%u,%d", rd, a, imm); return;
		case 3: E(XORI(rd, a, imm), "xori x%u,x%u,%d", rd, a, imm); return;
		case 4: E(ORI(rd, a, imm), "ori x%u,x%u,%d", rd, a, imm); return;
		case 5: E(ANDI(rd, a, imm), "andi x%u,x%u,%d", rd, a, imm); return;
		case 6: E(SLLI(rd, a, imm), "slli x%u,x%u,%d", rd, a, imm & 63); return;
		case 7: E(SRLI(rd, a, imm), "srli x%u,x%u,%d", rd, a, imm & 63); return;
		case 8: E(SRAI(rd, a, imm), "srai x%u,x%u,%d", rd, a, imm & 63); return;
		case 9: E(ADDIW(rd, a, imm), "addiw x%u,x%u,%d", rd, a, imm); return;
		case 10: E(SLLIW(rd, a, imm), "slliw x%u,x%u,%d", rd, a, imm & 31); return;
		case 11: E(SRLIW(rd, a, imm), "srliw x%u,x%u,%d", rd, a, imm & 31); return;
		default: E(SRAIW(rd, a, imm), "sraiw x%u,x%u,%d", rd, a, imm & 31); return;
		}
	default:
		k = rnd();
		if (rn(2))
			E(LUI(rd, k), "lui x%u,0x%x", rd, k >> 12);
		else
			E(AUIPC(rd, k), "auipc x%u,0x%x", rd, k >> 12);
		return;
	}
}

static void gen_mem(struct prog *p)
{
	static const char *const ln[] = { "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu" };
	static const char *const sn[] = { "sb", "sh", "sw", "sd" };
	u32 f3 = rn(7), size = 1u << (f3 & 3), off = rn(BUF_BYTES / size) * size;
	u32 r = rd_(), s = rs_();

	switch (rn(4)) {
	case 0:
		E(rv_i(0x03, r, f3, 3, off), "%s x%u,%u(x3)", ln[f3], r, off);
		return;
	case 1:
		f3 &= 3;
		size = 1u << f3;
		off = rn(BUF_BYTES / size) * size;
		E(rv_s(0x23, f3, 3, s, off), "%s x%u,%u(x3)", sn[f3], s, off);
		return;
	case 2:
		f3 = 2 + rn(2);
		off = rn(BUF_BYTES >> f3) << f3;
		r = rn(32);
		E(rv_i(0x07, r, f3, 3, off), "fl%c f%u,%u(x3)", f3 == 2 ? 'w' : 'd',
		  r, off);
		return;
	default:
		f3 = 2 + rn(2);
		off = rn(BUF_BYTES >> f3) << f3;
		r = rn(32);
		E(rv_s(0x27, f3, 3, r, off), "fs%c f%u,%u(x3)", f3 == 2 ? 'w' : 'd',
		  r, off);
		return;
	}
}

/*
 * Pairs the executor fuses: SLLI then SRLI or SRAI of its result; SLLI
 * then an ADD or OR of its result and a register (uniform when it is
 * x0 or was set from constants); and an ADD of x3 and a uniform x4 then
 * a load from the sum (base plus index), the sum less x3 kept in a
 * compared register now and then.
 */
static void gen_fused(struct prog *p)
{
	static const char *const ln[] = { "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu" };
	u32 rd = rd_(), a = rs_(), s1 = rn(64), s2 = rn(64), k = rn(4);
	u32 f3 = rn(9), size, off, ua, r;

	if (rn(3) == 0) {
		u32 rd2 = k == 0 && a ? a : k == 1 ? rd_() : rd, b = rs_();

		if (rn(2)) {
			b = rd_();
			E(ADDI(b, 0, s2 * 61), "addi x%u,x0,%u", b, s2 * 61);
		}
		E(SLLI(rd, a, s1), "slli x%u,x%u,%u", rd, a, s1);
		if (b == rd)
			b = 0;
		if (rn(2))
			E(OR(rd2, rd, b), "or x%u,x%u,x%u", rd2, rd, b);
		else
			E(ADD(rd2, b, rd), "add x%u,x%u,x%u", rd2, b, rd);
		return;
	}
	if (rn(2)) {
		u32 rd2 = k == 0 && a ? a : k == 1 ? rd_() : rd;

		E(SLLI(rd, a, s1), "slli x%u,x%u,%u", rd, a, s1);
		if (rn(2))
			E(SRAI(rd2, rd, s2), "srai x%u,x%u,%u", rd2, rd, s2);
		else
			E(SRLI(rd2, rd, s2), "srli x%u,x%u,%u", rd2, rd, s2);
		return;
	}
	/* f3 7 and 8: flw and fld. */
	size = f3 < 7 ? 1u << (f3 & 3) : f3 == 7 ? 4 : 8;
	off = rn(BUF_BYTES / size) * size;
	ua = rn(off + 1);
	E(ADDI(4, 0, ua), "addi x4,x0,%u", ua);
	if (rn(2))
		E(ADD(4, 3, 4), "add x4,x3,x4");
	else
		E(ADD(4, 4, 3), "add x4,x4,x3");
	r = f3 < 7 ? (rn(8) ? rd_() : 4) : rn(32);
	if (f3 < 7)
		E(rv_i(0x03, r, f3, 4, off - ua), "%s x%u,%u(x4)", ln[f3], r,
		  off - ua);
	else
		E(rv_i(0x07, r, f3 - 5, 4, off - ua), "fl%c f%u,%u(x4)",
		  f3 == 7 ? 'w' : 'd', r, off - ua);
	if (r != 4 && rn(2))
		E(SUB(rd, 4, 3), "sub x%u,x4,x3", rd);
}

static void gen_amo(struct prog *p)
{
	static const u32 f5s[] = { 0, 1, 4, 8, 0xc, 0x10, 0x14, 0x18, 0x1c };
	static const char *const names[] = {
		"amoadd", "amoswap", "amoxor", "amoor", "amoand", "amomin",
		"amomax", "amominu", "amomaxu",
	};
	u32 w = 2 + rn(2), size = 1u << w, off = rn(BUF_BYTES / size) * size;
	u32 aqrl = rn(4), k = rn(9), rd = rn(8) ? rd_() : 0, s = rs_();
	u32 rd2 = rn(8) ? rd_() : 0, i, n;

	E(ADDI(4, 3, off), "addi x4,x3,%u", off);
	if (rn(3)) {
		E(AMO(f5s[k], w, rd, 4, s) | aqrl << 25, "%s.%c x%u,x%u,(x4)",
		  names[k], w == 2 ? 'w' : 'd', rd, s);
		return;
	}
	/* LR, a few instructions (maybe a store to the word), SC. */
	if (rn(6))
		E(AMO(2, w, rd, 4, 0) | aqrl << 25, "lr.%c x%u,(x4)",
		  w == 2 ? 'w' : 'd', rd);
	n = rn(3);
	for (i = 0; i < n; i++)
		gen_int(p);
	if (!rn(5))
		E(rv_s(0x23, w, 4, rs_(), 0), "s%c to the reserved word",
		  w == 2 ? 'w' : 'd');
	if (!rn(8)) {
		/* An SC to another address than the LR's fails. */
		off = (off + size) % BUF_BYTES;
		E(ADDI(4, 3, off), "addi x4,x3,%u", off);
	}
	E(AMO(3, w, rd2, 4, s) | aqrl << 25, "sc.%c x%u,x%u,(x4)",
	  w == 2 ? 'w' : 'd', rd2, s);
}

static void gen_csr(struct prog *p)
{
	u32 csr = 1 + rn(3), rd = rn(4) ? rd_() : 0, r = rs_(), u = rn(32);

	switch (rn(6)) {
	case 0:		/* csrrw: fflags only (frm must stay <= 4) */
		E(CSRRW(rd, 1, r), "csrrw x%u,fflags,x%u", rd, r);
		return;
	case 1:		/* csrrs with a register: fflags only */
		E(CSRRS(rd, 1, r), "csrrs x%u,fflags,x%u", rd, r);
		return;
	case 2:		/* clearing bits keeps frm <= 4 */
		E(CSRRC(rd, csr, r), "csrrc x%u,%u,x%u", rd, csr, r);
		return;
	case 3:
		if (csr == 2)
			u = rn(5);
		E(CSRRWI(rd, csr, u), "csrrwi x%u,%u,%u", rd, csr, u);
		return;
	case 4:
		if (csr == 2)
			csr = 1;
		E(CSRRSI(rd, csr, u), "csrrsi x%u,%u,%u", rd, csr, u);
		return;
	default:
		E(CSRRCI(rd, csr, u), "csrrci x%u,%u,%u", rd, csr, u);
		return;
	}
}

static void gen_fp(struct prog *p)
{
	u32 fmt = rn(2), rd = rn(32), a = rn(32), b = rn(32), c = rn(32);
	u32 rm = rm_(), xd = rd_(), xs = rs_(), k;
	char t = fmt ? 'd' : 's';

	switch (rn(16)) {
	case 0: case 1: case 2:
		k = rn(4);	/* add sub mul div */
		E(FOP(k, fmt, rd, a, b, rm), "f%s.%c f%u,f%u,f%u rm%u",
		  (const char *[]){ "add", "sub", "mul", "div" }[k], t, rd, a, b, rm);
		return;
	case 3:
		E(FOP(0x0b, fmt, rd, a, 0, rm), "fsqrt.%c f%u,f%u rm%u", t, rd, a, rm);
		return;
	case 4:
		k = rn(3);
		E(FOP(0x04, fmt, rd, a, b, k), "fsgnj%s.%c f%u,f%u,f%u",
		  (const char *[]){ "", "n", "x" }[k], t, rd, a, b);
		return;
	case 5:
		k = rn(2);
		E(FOP(0x05, fmt, rd, a, b, k), "f%s.%c f%u,f%u,f%u",
		  k ? "max" : "min", t, rd, a, b);
		return;
	case 6:
		k = rn(3);
		E(FOP(0x14, fmt, xd, a, b, k), "f%s.%c x%u,f%u,f%u",
		  (const char *[]){ "le", "lt", "eq" }[k], t, xd, a, b);
		return;
	case 7:
		E(FOP(0x1c, fmt, xd, a, 0, 1), "fclass.%c x%u,f%u", t, xd, a);
		return;
	case 8:
		k = rn(4);
		E(FOP(0x18, fmt, xd, a, k, rm), "fcvt.%s.%c x%u,f%u rm%u",
		  (const char *[]){ "w", "wu", "l", "lu" }[k], t, xd, a, rm);
		return;
	case 9:
		k = rn(4);
		E(FOP(0x1a, fmt, rd, xs, k, rm), "fcvt.%c.%s f%u,x%u rm%u", t,
		  (const char *[]){ "w", "wu", "l", "lu" }[k], rd, xs, rm);
		return;
	case 10:
		E(FOP(0x08, fmt, rd, a, !fmt, rm), "fcvt.%c.%c f%u,f%u rm%u", t,
		  fmt ? 's' : 'd', rd, a, rm);
		return;
	case 11:
		if (rn(2))
			E(FOP(0x1c, fmt, xd, a, 0, 0), "fmv.x.%c x%u,f%u",
			  fmt ? 'd' : 'w', xd, a);
		else
			E(FOP(0x1e, fmt, rd, xs, 0, 0), "fmv.%c.x f%u,x%u",
			  fmt ? 'd' : 'w', rd, xs);
		return;
	default:
		k = rn(4);
		E(rv_r(0x43 + 4 * k, rd, rm, a, b, fmt) | c << 27,
		  "%s.%c f%u,f%u,f%u,f%u rm%u",
		  (const char *[]){ "fmadd", "fmsub", "fnmsub", "fnmadd" }[k],
		  t, rd, a, b, c, rm);
		return;
	}
}

static void gen_branch(struct prog *p, struct item *it)
{
	static const u32 f3s[] = { 0, 1, 4, 5, 6, 7 };

	it->skip = 1 + rn(5);
	it->at = p->n;
	switch (rn(8)) {
	case 0:
		it->kind = 2;
		emit(p, rn(4) ? rd_() : 0, "jal");	/* rd, for now */
		return;
	case 1:
		it->kind = 3;
		emit(p, 0, "auipc x4,0");
		emit(p, rn(4) ? rd_() : 0, "jalr");
		return;
	default:
		it->kind = 1;
		emit(p, f3s[rn(6)] | rs_() << 8 | rs_() << 16, "branch");
		return;
	}
}

/*
 * A pair the executor fuses: an ADD, ADDW, ADDI or ADDIW, then a branch
 * comparing its sum with a register, alike in every lane when it is x0 or
 * was set from a constant, as is the ADD's other operand now and then.
 */
static void gen_addbr(struct prog *p, struct item *it)
{
	static const u32 f3s[] = { 0, 1, 4, 5, 6, 7 };
	u32 rd = rd_(), a = rn(4) ? rs_() : rd, b = rs_(), c = rs_();
	int imm = (int)rn(4096) - 2048;
	bool swap = rn(2);

	if (rn(2)) {
		b = rd_();
		E(ADDI(b, 0, imm), "addi x%u,x0,%d", b, imm);
	}
	if (rn(2)) {
		int k = (int)rn(64) - 32;

		c = rd_();
		E(ADDI(c, 0, k), "addi x%u,x0,%d", c, k);
	}
	switch (rn(4)) {
	case 0:
		E(ADDI(rd, a, imm), "addi x%u,x%u,%d", rd, a, imm);
		break;
	case 1:
		E(ADDIW(rd, a, imm), "addiw x%u,x%u,%d", rd, a, imm);
		break;
	case 2:
		E(ADD(rd, swap ? b : a, swap ? a : b), "add x%u,x%u,x%u", rd,
		  swap ? b : a, swap ? a : b);
		break;
	default:
		E(ADDW(rd, swap ? b : a, swap ? a : b), "addw x%u,x%u,x%u", rd,
		  swap ? b : a, swap ? a : b);
		break;
	}
	it->skip = 1 + rn(5);
	it->kind = 1;
	it->at = p->n;
	emit(p, f3s[rn(6)] | rd << 8 | c << 16, "branch");
}

/* Fix up the branches now that the items' addresses are known. */
static void fix_branches(struct prog *p, struct item *it, u32 n)
{
	static const char *const bn[] = { "beq", "bne", "", "", "blt", "bge",
					  "bltu", "bgeu" };
	u32 i;

	for (i = 0; i < n; i++) {
		u32 to = i + it[i].skip < n ? it[i + it[i].skip].start : p->n - 1;
		u32 at = it[i].at, w = p->w[at];
		int off = (int)(to - at) * 4;

		switch (it[i].kind) {
		case 1:
			p->w[at] = rv_b(w & 7, (w >> 8) & 31, w >> 16, off);
			snprintf(p->what[at], sizeof(p->what[0]),
				 "%s x%u,x%u,+%d", bn[w & 7], (w >> 8) & 31,
				 w >> 16, off);
			break;
		case 2:
			p->w[at] = JAL(w, off);
			snprintf(p->what[at], sizeof(p->what[0]), "jal x%u,+%d",
				 w, off);
			break;
		case 3:
			p->w[at] = AUIPC(4, 0);
			w = p->w[at + 1];
			p->w[at + 1] = JALR(w, 4, off);
			snprintf(p->what[at + 1], sizeof(p->what[0]),
				 "jalr x%u,%d(x4)", w, off);
			break;
		}
	}
}

static void gen_prog(struct prog *p, u64 seed, u32 items)
{
	struct item it[256];
	u32 i;

	rng_s = seed * 0x2545f4914f6cdd1dull + 1;
	p->n = 0;
	if (items > 256)
		items = 256;
	for (i = 0; i < items; i++) {
		it[i].start = p->n;
		it[i].at = p->n;
		it[i].kind = 0;
		it[i].skip = 0;
		switch (rn(20)) {
		case 0: case 1: case 2: case 3: case 4:
			gen_int(p);
			break;
		case 5: case 6: case 7:
			gen_mem(p);
			break;
		case 8: case 9:
			gen_amo(p);
			break;
		case 10:
			if (rn(2))
				gen_csr(p);
			else
				gen_fused(p);
			break;
		case 11:
			gen_branch(p, &it[i]);
			break;
		case 12:
			if (rn(2))
				gen_branch(p, &it[i]);
			else
				gen_addbr(p, &it[i]);
			break;
		default:
			gen_fp(p);
			break;
		}
		it[i].len = p->n - it[i].start;
	}
	emit(p, RET, "ret");
	fix_branches(p, it, items);
}

/* ---- qemu ---- */

/*
 * The harness: reads { nwords, nstates }, the program (into .prog at
 * PROG_VA) and the states from stdin; runs the program once per state
 * from run_state(), which loads every register from the state and stores
 * them back after; writes the states to stdout.
 */
static const char harness_c[] =
	"typedef unsigned long u64; typedef unsigned int u32; typedef unsigned char u8;\n"
	"struct state { u64 x[32]; u64 f[32]; u64 fcsr; u8 buf[256]; };\n"
	"extern u32 prog[];\n"
	"void run_state(struct state *s, u8 *buf);\n"
	"static struct state st[64];\n"
	"static u8 scratch[256] __attribute__((aligned(64)));\n"
	"static u32 hdr[2];\n"
	"static long sys3(long n, long a, long b, long c) {\n"
	"  register long a7 asm(\"a7\") = n; register long a0 asm(\"a0\") = a;\n"
	"  register long a1 asm(\"a1\") = b; register long a2 asm(\"a2\") = c;\n"
	"  asm volatile(\"ecall\" : \"+r\"(a0) : \"r\"(a7), \"r\"(a1), \"r\"(a2) : \"memory\");\n"
	"  return a0; }\n"
	"static void io(int fd, void *p, long n) { while (n > 0) {\n"
	"  long r = sys3(fd ? 64 : 63, fd, (long)p, n); if (r <= 0) sys3(93, 3, 0, 0);\n"
	"  p = (char *)p + r; n -= r; } }\n"
	"void *memcpy(void *d, const void *s, unsigned long n) { char *a = d; const char *b = s;\n"
	"  while (n--) *a++ = *b++; return d; }\n"
	"void *memset(void *d, int c, unsigned long n) { char *a = d; while (n--) *a++ = c; return d; }\n"
	"void _start(void) { u32 i, j;\n"
	"  io(0, hdr, 8); io(0, prog, hdr[0] * 4); io(0, st, hdr[1] * sizeof(st[0]));\n"
	"  asm volatile(\"fence.i\");\n"
	"  for (i = 0; i < hdr[1]; i++) {\n"
	"    for (j = 0; j < 256; j++) ((volatile u8 *)scratch)[j] = st[i].buf[j];\n"
	"    run_state(&st[i], scratch);\n"
	"    for (j = 0; j < 256; j++) st[i].buf[j] = ((volatile u8 *)scratch)[j];\n"
	"  }\n"
	"  io(1, st, hdr[1] * sizeof(st[0])); sys3(93, 0, 0, 0); for (;;); }\n";

static int write_harness(const char *dir)
{
	char path[300];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/h.c", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(harness_c, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/t.S", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "\t.section .prog,\"awx\",@progbits\n\t.globl prog\n"
		   "\t.p2align 12\nprog:\n\t.zero %u\n", PROG_MAX * 4);
	fprintf(f, "\t.text\n\t.globl run_state\nrun_state:\n"
		   "\taddi sp, sp, -128\n\tsd ra, 0(sp)\n");
	for (i = 0; i < 12; i++)
		fprintf(f, "\tsd s%d, %d(sp)\n", i, 8 + 8 * i);
	fprintf(f, "\tsd gp, 104(sp)\n\tsd tp, 112(sp)\n\tsd a0, 120(sp)\n"
		   "\tld t0, 512(a0)\n\tcsrw fcsr, t0\n");
	for (i = 0; i < 32; i++)
		fprintf(f, "\tfld f%d, %d(a0)\n", i, 256 + 8 * i);
	fprintf(f, "\tmv gp, a1\n\tsc.d zero, zero, (sp)\n\tli tp, 0\n");
	for (i = 5; i < 32; i++)
		if (i != 10)
			fprintf(f, "\tld x%d, %d(a0)\n", i, 8 * i);
	fprintf(f, "\tld x10, 80(a0)\n\tcall prog\n\tld ra, 120(sp)\n");
	for (i = 5; i < 32; i++)
		fprintf(f, "\tsd x%d, %d(ra)\n", i, 8 * i);
	for (i = 0; i < 32; i++)
		fprintf(f, "\tfsd f%d, %d(ra)\n", i, 256 + 8 * i);
	fprintf(f, "\tcsrr t0, fcsr\n\tsd t0, 512(ra)\n");
	for (i = 0; i < 12; i++)
		fprintf(f, "\tld s%d, %d(sp)\n", i, 8 + 8 * i);
	fprintf(f, "\tld gp, 104(sp)\n\tld tp, 112(sp)\n\tld ra, 0(sp)\n"
		   "\taddi sp, sp, 128\n\tret\n");
	fclose(f);
	return 0;
}

static int build_harness(const char *dir)
{
	char cmd[1024];

	if (write_harness(dir))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd %s && clang --target=riscv64-unknown-elf -march=rv64g "
		 "-mabi=lp64d -mno-relax -ffreestanding -nostdlib -O2 "
		 "-fuse-ld=lld -Wl,--section-start=.prog=0x%x -o h.elf h.c t.S",
		 dir, PROG_VA);
	return system(cmd) ? -1 : 0;
}

/* Run @p with @ns states in qemu; the results replace @st. */
static int run_qemu(const char *dir, const struct prog *p, struct state *st,
		    u32 ns)
{
	char cmd[1024], in[300], out[300];
	u32 hdr[2] = { p->n, ns };
	FILE *f;
	int ok;

	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	f = fopen(in, "wb");
	if (!f)
		return -1;
	fwrite(hdr, sizeof(hdr), 1, f);
	fwrite(p->w, 4, p->n, f);
	fwrite(st, sizeof(*st), ns, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "qemu-riscv64-static %s/h.elf < %s > %s",
		 dir, in, out);
	if (system(cmd))
		return -1;
	f = fopen(out, "rb");
	if (!f)
		return -1;
	ok = fread(st, sizeof(*st), ns, f) == ns;
	fclose(f);
	return ok ? 0 : -1;
}

/* ---- The executor ---- */

static u8 flat[FLAT] __attribute__((aligned(4096)));

static int flat_map(void *ctx, u64 va, u32 access, void **p)
{
	if (va >= FLAT)
		return -EFAULT;
	*p = flat + va;
	return 0;
}

static int flat_rw(void *ctx, u64 va, void *buf, u32 len, u32 access)
{
	return -EFAULT;
}

static int run_cu(struct ogpu_sim_cu *cu, const struct prog *p,
		  struct state *st, u32 ns, struct ogpu_sim_cu_error *err)
{
	struct ogpu_sim_cu_mem mem = { .map = flat_map, .rw = flat_rw };
	struct ogpu_sim_launch ln = {
		.entry = PROG_VA, .grid = { 1, 1, 1 }, .block = { ns, 1, 1 },
	};
	enum ogpu_sim_cu_status s;
	u32 l, r, i;

	memcpy(flat + PROG_VA, p->w, p->n * 4);
	ogpu_sim_cu_start(cu, &ln, (u32[3]){ 0 });
	for (l = 0; l < ns; l++) {
		memcpy(flat + BUF_VA + l * BUF_BYTES, st[l].buf, BUF_BYTES);
		for (r = 5; r < 32; r++)
			ogpu_sim_cu_set_reg(cu, l, r, st[l].x[r]);
		ogpu_sim_cu_set_reg(cu, l, 3, BUF_VA + l * BUF_BYTES);
		for (r = 0; r < 32; r++)
			ogpu_sim_cu_set_reg(cu, l, OGPU_SIM_CU_REG_F(r), st[l].f[r]);
		ogpu_sim_cu_set_reg(cu, l, OGPU_SIM_CU_REG_FCSR, st[l].fcsr);
	}
	for (i = 0; i < 1000; i++) {
		s = ogpu_sim_cu_run(cu, &mem, 100000);
		if (s != OGPU_SIM_CU_RUNNING)
			break;
	}
	if (s != OGPU_SIM_CU_DONE) {
		*err = *ogpu_sim_cu_error(cu);
		return -1;
	}
	for (l = 0; l < ns; l++) {
		for (r = 0; r < 32; r++)
			st[l].x[r] = r < 5 ? 0 : ogpu_sim_cu_reg(cu, l, r);
		for (r = 0; r < 32; r++)
			st[l].f[r] = ogpu_sim_cu_reg(cu, l, OGPU_SIM_CU_REG_F(r));
		st[l].fcsr = ogpu_sim_cu_reg(cu, l, OGPU_SIM_CU_REG_FCSR);
		memcpy(st[l].buf, flat + BUF_VA + l * BUF_BYTES, BUF_BYTES);
	}
	return 0;
}

static bool have(const char *t)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", t);
	return !system(cmd);
}

static void dump_prog(const struct prog *p, u64 seed)
{
	u32 i;

	fprintf(stderr, "# program seed %llu:\n", (unsigned long long)seed);
	for (i = 0; i < p->n; i++)
		fprintf(stderr, "#   %04x: %08x  %s\n", PROG_VA + i * 4, p->w[i],
			p->what[i]);
}

/* Compare lane by lane; log the first few differences. Returns how many. */
static u32 compare(const struct state *want, const struct state *got,
		   const struct state *init, u32 ns, u64 seed, u32 *logged)
{
	u32 l, r, bad = 0;

	for (l = 0; l < ns; l++) {
		const struct state *w = &want[l], *g = &got[l];
		u32 lane_bad = 0;

		for (r = 5; r < 32 + 32 + 1; r++) {
			u64 a = r < 32 ? w->x[r] : r < 64 ? w->f[r - 32] : w->fcsr;
			u64 b = r < 32 ? g->x[r] : r < 64 ? g->f[r - 32] : g->fcsr;

			if (a == b)
				continue;
			lane_bad++;
			if ((*logged)++ < 8)
				fprintf(stderr, "# seed %llu lane %u %s%u: want %016llx got %016llx\n",
					(unsigned long long)seed, l,
					r < 32 ? "x" : r < 64 ? "f" : "fcsr",
					r < 32 ? r : r < 64 ? r - 32 : 0,
					(unsigned long long)a, (unsigned long long)b);
		}
		for (r = 0; r < BUF_BYTES; r += 8) {
			u64 a, b;

			memcpy(&a, w->buf + r, 8);
			memcpy(&b, g->buf + r, 8);
			if (a == b)
				continue;
			lane_bad++;
			if ((*logged)++ < 8)
				fprintf(stderr, "# seed %llu lane %u buf+%u: want %016llx got %016llx\n",
					(unsigned long long)seed, l, r,
					(unsigned long long)a, (unsigned long long)b);
		}
		bad += !!lane_bad;
	}
	return bad;
}

TEST(cu_vs_qemu)
{
	char dir[] = "/tmp/ogpu-cudiff-XXXXXX";
	static struct state init[NS], want[NS], got[NS];
	static struct prog prog;
	struct ogpu_sim_cu *cu;
	u32 programs = 500, i, l, bad = 0, bad_progs = 0, logged = 0, dumped = 0;
	u64 seed0 = 1;
	char cmd[64];

	if (getenv("CU_DIFF_PROGRAMS"))
		programs = strtoul(getenv("CU_DIFF_PROGRAMS"), NULL, 0);
	if (getenv("CU_DIFF_SEED"))
		seed0 = strtoull(getenv("CU_DIFF_SEED"), NULL, 0);
	if (!have("clang") || !have("ld.lld") || !have("qemu-riscv64-static"))
		SKIP(return, "clang, ld.lld or qemu-riscv64-static missing");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, build_harness(dir));
	cu = malloc(ogpu_sim_cu_size(NS));
	ASSERT_NE(NULL, cu);
	ogpu_sim_cu_init(cu, 0, NS);

	for (i = 0; i < programs; i++) {
		u64 seed = seed0 + i;
		/* Every fourth program runs in a partial warp. */
		u32 ns = i % 4 == 3 ? NS - 3 : NS;
		struct ogpu_sim_cu_error err;
		u32 nbad;

		/* Every other one with the FPU fast path, as in the kernel. */
		ogpu_sim_cu_set_host_fpu(cu, i % 2);
		gen_prog(&prog, seed, 40 + seed % 80);
		for (l = 0; l < NS; l++)
			rnd_state(&init[l]);
		memcpy(want, init, sizeof(want));
		memcpy(got, init, sizeof(got));
		ASSERT_EQ(0, run_qemu(dir, &prog, want, ns))
			dump_prog(&prog, seed);
		if (run_cu(cu, &prog, got, ns, &err)) {
			fprintf(stderr, "# seed %llu: executor error cause %u pc %llx tval %llx lane %u\n",
				(unsigned long long)seed, err.cause,
				(unsigned long long)err.pc,
				(unsigned long long)err.tval, err.lane);
			nbad = ns;
		} else {
			nbad = compare(want, got, init, ns, seed, &logged);
		}
		if (nbad) {
			bad += nbad;
			bad_progs++;
			if (dumped++ < 2)
				dump_prog(&prog, seed);
		}
	}
	fprintf(stderr, "# %u programs x %u lanes (every 4th %u) compared: %u programs, %u lanes differ\n",
		programs, NS, NS - 3, bad_progs, bad);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
	free(cu);
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
