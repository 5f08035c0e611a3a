// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Directed tests of the soft-float library (drivers/ogpu_sim/
 * ogpu_sim_fp.c): the cases IEEE 754 and the RISC-V F and D chapters single
 * out, one table per operation class. fp_diff_test compares the library
 * with qemu-riscv64 on many random operands; these name the corners.
 */
#include "ogpu_sim_fp.h"

#include "kselftest_harness.h"

#define NX OGPU_FP_NX
#define UF OGPU_FP_UF
#define OF OGPU_FP_OF
#define DZ OGPU_FP_DZ
#define NV OGPU_FP_NV

#define RNE OGPU_FP_RNE
#define RTZ OGPU_FP_RTZ
#define RDN OGPU_FP_RDN
#define RUP OGPU_FP_RUP
#define RMM OGPU_FP_RMM

/* binary32 constants */
#define S_ONE		0x3f800000u
#define S_NONE		0xbf800000u
#define S_TWO		0x40000000u
#define S_MAX		0x7f7fffffu
#define S_MIN_NORM	0x00800000u
#define S_INF		0x7f800000u
#define S_NINF		0xff800000u
#define S_QNAN		0x7fc00000u
#define S_SNAN		0x7f800001u
#define S_NZERO		0x80000000u
#define S_CNAN		OGPU_F32_CANONICAL_NAN

/* binary64 constants */
#define D_ONE		0x3ff0000000000000ull
#define D_MAX		0x7fefffffffffffffull
#define D_INF		0x7ff0000000000000ull
#define D_QNAN		0x7ff8000000000000ull
#define D_SNAN		0x7ff0000000000001ull
#define D_NZERO		0x8000000000000000ull
#define D_CNAN		OGPU_F64_CANONICAL_NAN

/* One case: op(a, b, c) in rm gives want and exactly the flags fl. */
struct fp_case {
	int line;
	u32 rm;
	u64 a, b, c;
	u64 want;
	u32 fl;
};

#define C(rm, a, b, c, want, fl) { __LINE__, rm, a, b, c, want, fl }

enum fp_op {
	ADD_S, SUB_S, MUL_S, DIV_S, SQRT_S, FMA_S, MIN_S, MAX_S, EQ_S, LT_S,
	LE_S, CLASS_S, TO_I32_S, TO_U32_S, TO_I64_S, TO_U64_S, I32_TO_S,
	U32_TO_S, I64_TO_S, U64_TO_S,
	ADD_D, SUB_D, MUL_D, DIV_D, SQRT_D, FMA_D, MIN_D, MAX_D, EQ_D, LT_D,
	LE_D, CLASS_D, TO_I32_D, TO_U32_D, TO_I64_D, TO_U64_D, I32_TO_D,
	U32_TO_D, I64_TO_D, U64_TO_D, S_TO_D, D_TO_S,
};

static u64 run(enum fp_op op, const struct fp_case *c, u32 *fl)
{
	const u64 a = c->a, b = c->b, z = c->c;
	const u32 rm = c->rm;

	switch (op) {
	case ADD_S: return ogpu_f32_add(a, b, rm, fl);
	case SUB_S: return ogpu_f32_sub(a, b, rm, fl);
	case MUL_S: return ogpu_f32_mul(a, b, rm, fl);
	case DIV_S: return ogpu_f32_div(a, b, rm, fl);
	case SQRT_S: return ogpu_f32_sqrt(a, rm, fl);
	case FMA_S: return ogpu_f32_fma(a, b, z, rm, fl);
	case MIN_S: return ogpu_f32_min(a, b, fl);
	case MAX_S: return ogpu_f32_max(a, b, fl);
	case EQ_S: return ogpu_f32_eq(a, b, fl);
	case LT_S: return ogpu_f32_lt(a, b, fl);
	case LE_S: return ogpu_f32_le(a, b, fl);
	case CLASS_S: return ogpu_f32_class(a);
	case TO_I32_S: return (u32)ogpu_f32_to_i32(a, rm, fl);
	case TO_U32_S: return ogpu_f32_to_u32(a, rm, fl);
	case TO_I64_S: return ogpu_f32_to_i64(a, rm, fl);
	case TO_U64_S: return ogpu_f32_to_u64(a, rm, fl);
	case I32_TO_S: return ogpu_i32_to_f32(a, rm, fl);
	case U32_TO_S: return ogpu_u32_to_f32(a, rm, fl);
	case I64_TO_S: return ogpu_i64_to_f32(a, rm, fl);
	case U64_TO_S: return ogpu_u64_to_f32(a, rm, fl);
	case ADD_D: return ogpu_f64_add(a, b, rm, fl);
	case SUB_D: return ogpu_f64_sub(a, b, rm, fl);
	case MUL_D: return ogpu_f64_mul(a, b, rm, fl);
	case DIV_D: return ogpu_f64_div(a, b, rm, fl);
	case SQRT_D: return ogpu_f64_sqrt(a, rm, fl);
	case FMA_D: return ogpu_f64_fma(a, b, z, rm, fl);
	case MIN_D: return ogpu_f64_min(a, b, fl);
	case MAX_D: return ogpu_f64_max(a, b, fl);
	case EQ_D: return ogpu_f64_eq(a, b, fl);
	case LT_D: return ogpu_f64_lt(a, b, fl);
	case LE_D: return ogpu_f64_le(a, b, fl);
	case CLASS_D: return ogpu_f64_class(a);
	case TO_I32_D: return (u32)ogpu_f64_to_i32(a, rm, fl);
	case TO_U32_D: return ogpu_f64_to_u32(a, rm, fl);
	case TO_I64_D: return ogpu_f64_to_i64(a, rm, fl);
	case TO_U64_D: return ogpu_f64_to_u64(a, rm, fl);
	case I32_TO_D: return ogpu_i32_to_f64(a, rm, fl);
	case U32_TO_D: return ogpu_u32_to_f64(a, rm, fl);
	case I64_TO_D: return ogpu_i64_to_f64(a, rm, fl);
	case U64_TO_D: return ogpu_u64_to_f64(a, rm, fl);
	case S_TO_D: return ogpu_f32_to_f64(a, fl);
	case D_TO_S: return ogpu_f64_to_f32(a, rm, fl);
	}
	return ~0ull;
}

static void check(struct __test_metadata *_metadata, enum fp_op op,
		  const struct fp_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct fp_case *c = &cases[i];
		u32 fl = 0;
		u64 r = run(op, c, &fl);

		EXPECT_EQ(c->want, r)
			TH_LOG("line %d: result %#llx, want %#llx", c->line,
			       (unsigned long long)r,
			       (unsigned long long)c->want);
		EXPECT_EQ(c->fl, fl)
			TH_LOG("line %d: flags %#x, want %#x", c->line, fl,
			       c->fl);
	}
}

#define CHECK(op, ...) do { \
	static const struct fp_case cases[] = { __VA_ARGS__ }; \
	check(_metadata, op, cases, sizeof(cases) / sizeof(cases[0])); \
} while (0)

TEST(exact_results)
{
	CHECK(ADD_S,
	      C(RNE, S_ONE, S_TWO, 0, 0x40400000, 0),
	      C(RNE, 0x3f800001, 0xbf800000, 0, 0x34000000, 0),
	      /* x + 0 = x, even subnormal, and no flags */
	      C(RUP, 0x00000003, S_NZERO, 0, 0x00000003, 0),
	      C(RNE, 0x00400000, 0x00400000, 0, S_MIN_NORM, 0));
	CHECK(MUL_S,
	      C(RNE, 0x40400000, 0xc0a00000, 0, 0xc1700000, 0),
	      C(RDN, 0x00000001, S_ONE, 0, 0x00000001, 0),
	      C(RNE, 0x00000001, 0x4b000000, 0, 0x00800000, 0));
	CHECK(DIV_S,
	      C(RNE, 0x41100000, 0x40400000, 0, 0x40400000, 0),
	      C(RNE, S_ONE, 0x40400000, 0, 0x3eaaaaab, NX),
	      C(RTZ, S_ONE, 0x40400000, 0, 0x3eaaaaaa, NX));
	CHECK(SQRT_S,
	      C(RNE, 0x41100000, 0, 0, 0x40400000, 0),
	      C(RNE, S_TWO, 0, 0, 0x3fb504f3, NX),
	      C(RUP, S_TWO, 0, 0, 0x3fb504f4, NX),
	      C(RNE, 0x00000001, 0, 0, 0x1a3504f3, NX),
	      C(RNE, S_NZERO, 0, 0, S_NZERO, 0),
	      C(RNE, S_INF, 0, 0, S_INF, 0));
	CHECK(ADD_D,
	      C(RNE, D_ONE, D_ONE, 0, 0x4000000000000000, 0));
	CHECK(SQRT_D,
	      C(RNE, 0x4022000000000000, 0, 0, 0x4008000000000000, 0),
	      C(RNE, 0x4000000000000000, 0, 0, 0x3ff6a09e667f3bcd, NX),
	      C(RDN, 0x4000000000000000, 0, 0, 0x3ff6a09e667f3bcc, NX));
	CHECK(DIV_D,
	      C(RNE, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555555, NX),
	      C(RUP, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555556, NX));
}

/* 1 + 2^-24 is halfway between 1 and its successor; so on. */
TEST(rounding_ties)
{
	CHECK(ADD_S,
	      C(RNE, S_ONE, 0x33800000, 0, S_ONE, NX),
	      C(RTZ, S_ONE, 0x33800000, 0, S_ONE, NX),
	      C(RDN, S_ONE, 0x33800000, 0, S_ONE, NX),
	      C(RUP, S_ONE, 0x33800000, 0, 0x3f800001, NX),
	      C(RMM, S_ONE, 0x33800000, 0, 0x3f800001, NX),
	      /* odd below the tie: RNE goes up to even */
	      C(RNE, 0x3f800001, 0x33800000, 0, 0x3f800002, NX),
	      C(RTZ, 0x3f800001, 0x33800000, 0, 0x3f800001, NX),
	      /* just above and just below the tie */
	      C(RNE, S_ONE, 0x33800001, 0, 0x3f800001, NX),
	      C(RNE, S_ONE, 0x337fffff, 0, S_ONE, NX),
	      C(RMM, S_ONE, 0x337fffff, 0, S_ONE, NX),
	      /* negative: RDN and RMM away from zero, RUP toward */
	      C(RDN, S_NONE, 0xb3800000, 0, 0xbf800001, NX),
	      C(RUP, S_NONE, 0xb3800000, 0, S_NONE, NX),
	      C(RMM, S_NONE, 0xb3800000, 0, 0xbf800001, NX),
	      C(RNE, S_NONE, 0xb3800000, 0, S_NONE, NX));
	CHECK(ADD_D,
	      C(RNE, D_ONE, 0x3ca0000000000000, 0, D_ONE, NX),
	      C(RMM, D_ONE, 0x3ca0000000000000, 0, 0x3ff0000000000001, NX),
	      C(RNE, 0x3ff0000000000001, 0x3ca0000000000000, 0,
		0x3ff0000000000002, NX),
	      C(RUP, D_ONE, 0x0000000000000001, 0, 0x3ff0000000000001, NX),
	      C(RDN, D_ONE, 0x8000000000000001, 0, 0x3fefffffffffffff, NX));
	CHECK(MUL_S,	/* (1 + 2^-23)(1 + 2^-23): 2^-46 below half an ulp */
	      C(RNE, 0x3f800001, 0x3f800001, 0, 0x3f800002, NX),
	      C(RUP, 0x3f800001, 0x3f800001, 0, 0x3f800003, NX));
}

TEST(overflow)
{
	CHECK(ADD_S,
	      C(RNE, S_MAX, S_MAX, 0, S_INF, OF | NX),
	      C(RMM, S_MAX, S_MAX, 0, S_INF, OF | NX),
	      C(RUP, S_MAX, S_MAX, 0, S_INF, OF | NX),
	      C(RTZ, S_MAX, S_MAX, 0, S_MAX, OF | NX),
	      C(RDN, S_MAX, S_MAX, 0, S_MAX, OF | NX),
	      C(RDN, 0xff7fffff, 0xff7fffff, 0, S_NINF, OF | NX),
	      C(RUP, 0xff7fffff, 0xff7fffff, 0, 0xff7fffff, OF | NX),
	      C(RTZ, 0xff7fffff, 0xff7fffff, 0, 0xff7fffff, OF | NX),
	      /* max + half an ulp: a tie that overflows only if rounded up */
	      C(RNE, S_MAX, 0x73000000, 0, S_INF, OF | NX),
	      C(RTZ, S_MAX, 0x73000000, 0, S_MAX, NX),
	      C(RDN, S_MAX, 0x73000000, 0, S_MAX, NX),
	      /* max + less than half an ulp rounds back to max */
	      C(RNE, S_MAX, 0x72ffffff, 0, S_MAX, NX));
	CHECK(MUL_D,
	      C(RNE, D_MAX, 0x4000000000000000, 0, D_INF, OF | NX),
	      C(RTZ, D_MAX, 0x4000000000000000, 0, D_MAX, OF | NX),
	      C(RUP, D_MAX, 0xc000000000000000, 0, 0xffefffffffffffff,
		OF | NX));
	CHECK(D_TO_S,
	      C(RNE, 0x47effffff0000000, 0, 0, S_INF, OF | NX),
	      C(RTZ, 0x47effffff0000000, 0, 0, S_MAX, NX),
	      C(RNE, 0x47efffffe0000000, 0, 0, S_MAX, 0),
	      C(RNE, D_MAX, 0, 0, S_INF, OF | NX),
	      C(RTZ, D_MAX, 0, 0, S_MAX, OF | NX));
}

/*
 * RISC-V detects tininess after rounding: a result that rounds up to the
 * smallest normal is tiny only if it would still be below it when rounded
 * to full precision with an unbounded exponent.
 */
TEST(underflow)
{
	CHECK(D_TO_S,
	      /* 2^-126 - 2^-151: rounds up to 2^-126 at full precision */
	      C(RNE, 0x380ffffff0000000, 0, 0, S_MIN_NORM, NX),
	      C(RUP, 0x380ffffff0000000, 0, 0, S_MIN_NORM, NX),
	      C(RMM, 0x380ffffff0000000, 0, 0, S_MIN_NORM, NX),
	      C(RTZ, 0x380ffffff0000000, 0, 0, 0x007fffff, UF | NX),
	      C(RDN, 0x380ffffff0000000, 0, 0, 0x007fffff, UF | NX),
	      /* 2^-126 - 2^-150: exact at full precision, so tiny */
	      C(RNE, 0x380fffffe0000000, 0, 0, S_MIN_NORM, UF | NX),
	      C(RUP, 0x380fffffe0000000, 0, 0, S_MIN_NORM, UF | NX),
	      C(RTZ, 0x380fffffe0000000, 0, 0, 0x007fffff, UF | NX),
	      /* exact subnormals raise nothing */
	      C(RNE, 0x3800000000000000, 0, 0, 0x00400000, 0),
	      C(RNE, 0x36a0000000000000, 0, 0, 0x00000001, 0),
	      /* far below the smallest subnormal */
	      C(RNE, 0x0000000000000001, 0, 0, 0, UF | NX),
	      C(RUP, 0x0000000000000001, 0, 0, 0x00000001, UF | NX),
	      C(RDN, 0x8000000000000001, 0, 0, 0x80000001, UF | NX),
	      C(RTZ, 0x8000000000000001, 0, 0, S_NZERO, UF | NX));
	CHECK(MUL_S,
	      /* (1 - 2^-24) * 2^-126: tiny, and a tie in the subnormals */
	      C(RNE, 0x3f7fffff, S_MIN_NORM, 0, S_MIN_NORM, UF | NX),
	      C(RTZ, 0x3f7fffff, S_MIN_NORM, 0, 0x007fffff, UF | NX),
	      /* half the smallest subnormal: a tie between 0 and it */
	      C(RNE, 0x00000001, 0x3f000000, 0, 0, UF | NX),
	      C(RMM, 0x00000001, 0x3f000000, 0, 0x00000001, UF | NX),
	      C(RUP, 0x00000001, 0x3f000000, 0, 0x00000001, UF | NX),
	      C(RDN, 0x80000001, 0x3f000000, 0, 0x80000001, UF | NX),
	      C(RNE, 0x00000003, 0x3f000000, 0, 0x00000002, UF | NX));
	CHECK(MUL_D,
	      C(RNE, 0x3fefffffffffffff, 0x0010000000000000, 0,
		0x0010000000000000, UF | NX),
	      C(RNE, 0x0000000000000001, 0x3fe0000000000000, 0, 0,
		UF | NX));
	CHECK(FMA_D,	/* the same with an addend of 0 */
	      C(RNE, 0x3fefffffffffffff, 0x0010000000000000,
		0x0000000000000000, 0x0010000000000000, UF | NX));
}

TEST(zero_signs)
{
	CHECK(ADD_S,	/* x + -x is -0 only when rounding down */
	      C(RNE, 0x3fc00000, 0xbfc00000, 0, 0, 0),
	      C(RTZ, 0x3fc00000, 0xbfc00000, 0, 0, 0),
	      C(RUP, 0x3fc00000, 0xbfc00000, 0, 0, 0),
	      C(RMM, 0x3fc00000, 0xbfc00000, 0, 0, 0),
	      C(RDN, 0x3fc00000, 0xbfc00000, 0, S_NZERO, 0),
	      C(RNE, 0, S_NZERO, 0, 0, 0),
	      C(RDN, 0, S_NZERO, 0, S_NZERO, 0),
	      C(RNE, S_NZERO, S_NZERO, 0, S_NZERO, 0));
	CHECK(SUB_D,
	      C(RNE, D_ONE, D_ONE, 0, 0, 0),
	      C(RDN, D_ONE, D_ONE, 0, D_NZERO, 0),
	      C(RNE, D_NZERO, 0, 0, D_NZERO, 0));
	CHECK(MUL_S,
	      C(RNE, S_NZERO, S_ONE, 0, S_NZERO, 0),
	      C(RNE, S_NZERO, S_NONE, 0, 0, 0));
	CHECK(FMA_S,
	      /* 2 * 3 - 6 cancels exactly */
	      C(RNE, S_TWO, 0x40400000, 0xc0c00000, 0, 0),
	      C(RDN, S_TWO, 0x40400000, 0xc0c00000, S_NZERO, 0),
	      /* +0 * 1 + -0, -0 * 1 + -0 */
	      C(RNE, 0, S_ONE, S_NZERO, 0, 0),
	      C(RDN, 0, S_ONE, S_NZERO, S_NZERO, 0),
	      C(RNE, S_NZERO, S_ONE, S_NZERO, S_NZERO, 0),
	      /* a product that underflows to 0 keeps its sign */
	      C(RNE, 0x80000001, 0x00000001, 0, S_NZERO, UF | NX),
	      C(RNE, 0x00000001, 0x00000001, S_NZERO, 0, UF | NX));
}

TEST(fma_rounds_once)
{
	CHECK(FMA_S,
	      /* (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46; mul then add gives 0 */
	      C(RNE, 0x3f800001, 0x3f7ffffe, S_NONE, 0xa8800000, 0),
	      /* 1 * 1 + 2^-24: the addend's tie rounds as in an add */
	      C(RNE, S_ONE, S_ONE, 0x33800000, S_ONE, NX),
	      C(RMM, S_ONE, S_ONE, 0x33800000, 0x3f800001, NX),
	      /* tiny addend below the product's ulp, each rounding mode */
	      C(RUP, S_ONE, S_ONE, 0x00000001, 0x3f800001, NX),
	      C(RDN, S_ONE, S_ONE, 0x80000001, 0x3f7fffff, NX),
	      C(RNE, S_MAX, S_TWO, S_NINF, S_NINF, 0),
	      C(RNE, S_MAX, S_TWO, 0xff7fffff, S_MAX, 0));
	CHECK(FMA_D,
	      C(RNE, 0x3ff0000000000001, 0x3feffffffffffffe,
		0xbff0000000000000, 0xb970000000000000, 0),
	      C(RNE, D_ONE, D_ONE, 0x0000000000000001, D_ONE, NX),
	      C(RUP, D_ONE, D_ONE, 0x0000000000000001, 0x3ff0000000000001,
		NX));
}

TEST(nans_and_invalid)
{
	CHECK(ADD_S,
	      C(RNE, S_QNAN, S_ONE, 0, S_CNAN, 0),
	      C(RNE, 0xffc00001, S_ONE, 0, S_CNAN, 0),	/* payload lost */
	      C(RNE, S_SNAN, S_ONE, 0, S_CNAN, NV),
	      C(RNE, S_ONE, 0xff800005, 0, S_CNAN, NV),
	      C(RNE, S_INF, S_NINF, 0, S_CNAN, NV),
	      C(RNE, S_INF, S_INF, 0, S_INF, 0));
	CHECK(MUL_S,
	      C(RNE, S_INF, 0, 0, S_CNAN, NV),
	      C(RNE, S_NZERO, S_NINF, 0, S_CNAN, NV),
	      C(RNE, S_INF, S_NONE, 0, S_NINF, 0));
	CHECK(DIV_S,
	      C(RNE, 0, 0, 0, S_CNAN, NV),
	      C(RNE, S_INF, S_NINF, 0, S_CNAN, NV),
	      C(RNE, S_ONE, 0, 0, S_INF, DZ),
	      C(RNE, S_ONE, S_NZERO, 0, S_NINF, DZ),
	      C(RNE, S_INF, 0, 0, S_INF, 0),	/* no DZ: exact inf */
	      C(RNE, S_ONE, S_INF, 0, 0, 0),
	      C(RNE, S_QNAN, 0, 0, S_CNAN, 0));
	CHECK(SQRT_S,
	      C(RNE, S_NONE, 0, 0, S_CNAN, NV),
	      C(RNE, S_NINF, 0, 0, S_CNAN, NV),
	      C(RNE, 0x80000001, 0, 0, S_CNAN, NV),
	      C(RNE, S_SNAN, 0, 0, S_CNAN, NV),
	      C(RNE, 0xffc00000, 0, 0, S_CNAN, 0));
	CHECK(FMA_S,	/* inf * 0 is invalid even plus a quiet NaN */
	      C(RNE, S_INF, 0, S_QNAN, S_CNAN, NV),
	      C(RNE, 0, S_NINF, S_ONE, S_CNAN, NV),
	      C(RNE, S_ONE, S_ONE, S_SNAN, S_CNAN, NV),
	      C(RNE, S_ONE, S_QNAN, S_ONE, S_CNAN, 0),
	      C(RNE, S_INF, S_ONE, S_NINF, S_CNAN, NV),
	      C(RNE, S_INF, S_ONE, S_INF, S_INF, 0));
	CHECK(ADD_D,
	      C(RNE, D_SNAN, D_ONE, 0, D_CNAN, NV),
	      C(RNE, 0x7ff8dead00000000, D_ONE, 0, D_CNAN, 0),
	      C(RNE, D_INF, 0xfff0000000000000, 0, D_CNAN, NV));
	CHECK(DIV_D,
	      C(RNE, 0, D_NZERO, 0, D_CNAN, NV),
	      C(RNE, 0xbff0000000000000, 0, 0, 0xfff0000000000000, DZ));
	CHECK(FMA_D,
	      C(RNE, D_INF, 0, D_QNAN, D_CNAN, NV),
	      C(RNE, D_ONE, D_ONE, D_SNAN, D_CNAN, NV));
	CHECK(S_TO_D,
	      C(RNE, S_SNAN, 0, 0, D_CNAN, NV),
	      C(RNE, 0xffc12345, 0, 0, D_CNAN, 0),
	      C(RNE, S_NINF, 0, 0, 0xfff0000000000000, 0),
	      C(RNE, 0x00000001, 0, 0, 0x36a0000000000000, 0),
	      C(RNE, S_NZERO, 0, 0, D_NZERO, 0));
	CHECK(D_TO_S,
	      C(RNE, D_SNAN, 0, 0, S_CNAN, NV),
	      C(RNE, D_QNAN | 1, 0, 0, S_CNAN, 0));
}

/* FMIN/FMAX as in F 2.2: a NaN gives the other operand; -0 < +0. */
TEST(min_max)
{
	CHECK(MIN_S,
	      C(0, 0, S_NZERO, 0, S_NZERO, 0),
	      C(0, S_NZERO, 0, 0, S_NZERO, 0),
	      C(0, S_QNAN, S_ONE, 0, S_ONE, 0),
	      C(0, S_ONE, S_QNAN, 0, S_ONE, 0),
	      C(0, S_SNAN, S_ONE, 0, S_ONE, NV),
	      C(0, S_QNAN, S_QNAN | 5, 0, S_CNAN, 0),
	      C(0, S_SNAN, S_QNAN, 0, S_CNAN, NV),
	      C(0, S_NINF, S_ONE, 0, S_NINF, 0),
	      C(0, 0xc0000000, S_NONE, 0, 0xc0000000, 0));
	CHECK(MAX_S,
	      C(0, 0, S_NZERO, 0, 0, 0),
	      C(0, S_NZERO, 0, 0, 0, 0),
	      C(0, S_NINF, S_QNAN, 0, S_NINF, 0),
	      C(0, 0x00000001, 0x80000001, 0, 0x00000001, 0),
	      C(0, 0xc0000000, S_NONE, 0, S_NONE, 0));
	CHECK(MIN_D,
	      C(0, 0, D_NZERO, 0, D_NZERO, 0),
	      C(0, D_SNAN, D_QNAN, 0, D_CNAN, NV),
	      C(0, D_QNAN, D_ONE, 0, D_ONE, 0));
	CHECK(MAX_D,
	      C(0, D_NZERO, 0, 0, 0, 0),
	      C(0, D_ONE, D_SNAN, 0, D_ONE, NV));
}

/* FEQ is quiet; FLT and FLE signal on any NaN. */
TEST(compare_and_class)
{
	CHECK(EQ_S,
	      C(0, S_QNAN, S_QNAN, 0, 0, 0),
	      C(0, S_ONE, S_SNAN, 0, 0, NV),
	      C(0, 0, S_NZERO, 0, 1, 0),
	      C(0, S_ONE, S_ONE, 0, 1, 0),
	      C(0, S_ONE, 0x3f800001, 0, 0, 0));
	CHECK(LT_S,
	      C(0, S_QNAN, S_ONE, 0, 0, NV),
	      C(0, S_NZERO, 0, 0, 0, 0),
	      C(0, S_NONE, S_ONE, 0, 1, 0),
	      C(0, 0xc0000000, S_NONE, 0, 1, 0),
	      C(0, S_ONE, S_ONE, 0, 0, 0),
	      C(0, S_NINF, 0xff7fffff, 0, 1, 0));
	CHECK(LE_S,
	      C(0, S_ONE, S_QNAN, 0, 0, NV),
	      C(0, S_NZERO, 0, 0, 1, 0),
	      C(0, 0, S_NZERO, 0, 1, 0),
	      C(0, S_ONE, S_ONE, 0, 1, 0),
	      C(0, S_TWO, S_ONE, 0, 0, 0));
	CHECK(EQ_D,
	      C(0, D_SNAN, D_SNAN, 0, 0, NV),
	      C(0, D_NZERO, 0, 0, 1, 0));
	CHECK(LT_D,
	      C(0, D_QNAN, D_QNAN, 0, 0, NV),
	      C(0, D_NZERO, D_ONE, 0, 1, 0));
	CHECK(LE_D,
	      C(0, D_ONE, D_QNAN, 0, 0, NV),
	      C(0, 0xbff0000000000000, D_NZERO, 0, 1, 0));
	CHECK(CLASS_S,
	      C(0, S_NINF, 0, 0, 1 << 0, 0),
	      C(0, S_NONE, 0, 0, 1 << 1, 0),
	      C(0, 0x807fffff, 0, 0, 1 << 2, 0),
	      C(0, S_NZERO, 0, 0, 1 << 3, 0),
	      C(0, 0, 0, 0, 1 << 4, 0),
	      C(0, 0x00000001, 0, 0, 1 << 5, 0),
	      C(0, S_MIN_NORM, 0, 0, 1 << 6, 0),
	      C(0, S_INF, 0, 0, 1 << 7, 0),
	      C(0, S_SNAN, 0, 0, 1 << 8, 0),
	      C(0, 0xffbfffff, 0, 0, 1 << 8, 0),
	      C(0, S_QNAN, 0, 0, 1 << 9, 0),
	      C(0, 0xffc00001, 0, 0, 1 << 9, 0));
	CHECK(CLASS_D,
	      C(0, 0xfff0000000000000, 0, 0, 1 << 0, 0),
	      C(0, 0x800fffffffffffff, 0, 0, 1 << 2, 0),
	      C(0, D_NZERO, 0, 0, 1 << 3, 0),
	      C(0, D_MAX, 0, 0, 1 << 6, 0),
	      C(0, D_SNAN, 0, 0, 1 << 8, 0),
	      C(0, D_QNAN, 0, 0, 1 << 9, 0));
}

/* Saturating conversions: NV and no NX out of range; NaN is the max. */
TEST(float_to_int)
{
	CHECK(TO_I32_S,
	      C(RTZ, 0x4f000000, 0, 0, 0x7fffffff, NV),		/* 2^31 */
	      C(RTZ, 0x4effffff, 0, 0, 0x7fffff80, 0),
	      C(RTZ, 0xcf000000, 0, 0, 0x80000000, 0),		/* -2^31 */
	      C(RTZ, 0xcf000001, 0, 0, 0x80000000, NV),
	      C(RNE, S_QNAN, 0, 0, 0x7fffffff, NV),
	      C(RNE, 0xffc00000, 0, 0, 0x7fffffff, NV),
	      C(RNE, S_INF, 0, 0, 0x7fffffff, NV),
	      C(RNE, S_NINF, 0, 0, 0x80000000, NV),
	      C(RNE, 0x40200000, 0, 0, 2, NX),			/* 2.5 */
	      C(RMM, 0x40200000, 0, 0, 3, NX),
	      C(RUP, 0x40200000, 0, 0, 3, NX),
	      C(RDN, 0xc0200000, 0, 0, (u32)-3, NX),
	      C(RUP, 0xc0200000, 0, 0, (u32)-2, NX),
	      C(RTZ, 0xc0200000, 0, 0, (u32)-2, NX),
	      C(RNE, 0x3fc00000, 0, 0, 2, NX),			/* 1.5 */
	      C(RNE, 0x3f000000, 0, 0, 0, NX),			/* 0.5 */
	      C(RNE, 0x00000001, 0, 0, 0, NX),
	      C(RUP, 0x00000001, 0, 0, 1, NX),
	      C(RNE, S_NZERO, 0, 0, 0, 0));
	CHECK(TO_U32_S,
	      C(RNE, S_NONE, 0, 0, 0, NV),
	      C(RTZ, 0xbf000000, 0, 0, 0, NX),	/* -0.5 rounds to -0 */
	      C(RNE, 0xbf000000, 0, 0, 0, NX),
	      C(RDN, 0xbf000000, 0, 0, 0, NV),	/* rounds to -1 */
	      C(RNE, 0x4f800000, 0, 0, 0xffffffff, NV),		/* 2^32 */
	      C(RNE, 0x4f7fffff, 0, 0, 0xffffff00, 0),
	      C(RNE, S_QNAN, 0, 0, 0xffffffff, NV),
	      C(RNE, S_NINF, 0, 0, 0, NV));
	CHECK(TO_I64_S,
	      C(RNE, 0x5f000000, 0, 0, 0x7fffffffffffffff, NV),	/* 2^63 */
	      C(RNE, 0xdf000000, 0, 0, 0x8000000000000000, 0),
	      C(RNE, 0xdf000001, 0, 0, 0x8000000000000000, NV),
	      C(RNE, S_QNAN, 0, 0, 0x7fffffffffffffff, NV));
	CHECK(TO_U64_S,
	      C(RNE, 0x5f800000, 0, 0, ~0ull, NV),		/* 2^64 */
	      C(RNE, 0x5f7fffff, 0, 0, 0xffffff0000000000, 0),
	      C(RNE, S_NONE, 0, 0, 0, NV),
	      C(RNE, S_SNAN, 0, 0, ~0ull, NV));
	CHECK(TO_I32_D,
	      /* 2^31 - 0.5: a tie, to the even 2^31, which overflows */
	      C(RNE, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NV),
	      C(RTZ, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NX),
	      C(RMM, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NV),
	      C(RDN, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NX),
	      /* -2^31 - 0.5: RNE to the even -2^31 fits, RMM does not */
	      C(RNE, 0xc1e0000000100000, 0, 0, 0x80000000, NX),
	      C(RMM, 0xc1e0000000100000, 0, 0, 0x80000000, NV),
	      C(RUP, 0xc1e0000000100000, 0, 0, 0x80000000, NX),
	      C(RTZ, 0xc1e0000000200000, 0, 0, 0x80000000, NV),	/* -2^31-1 */
	      C(RNE, D_QNAN, 0, 0, 0x7fffffff, NV));
	CHECK(TO_U32_D,	/* 2^32 - 0.5 */
	      C(RNE, 0x41effffffff00000, 0, 0, 0xffffffff, NV),
	      C(RTZ, 0x41effffffff00000, 0, 0, 0xffffffff, NX),
	      C(RNE, 0x41efffffffe00000, 0, 0, 0xffffffff, 0),
	      C(RNE, 0x41f0000000000000, 0, 0, 0xffffffff, NV));
	CHECK(TO_I64_D,
	      C(RNE, 0x43e0000000000000, 0, 0, 0x7fffffffffffffff, NV),
	      C(RNE, 0x43dfffffffffffff, 0, 0, 0x7ffffffffffffc00, 0),
	      C(RNE, 0xc3e0000000000000, 0, 0, 0x8000000000000000, 0),
	      C(RNE, 0xc3e0000000000001, 0, 0, 0x8000000000000000, NV),
	      C(RNE, 0xfff0000000000000, 0, 0, 0x8000000000000000, NV));
	CHECK(TO_U64_D,
	      C(RNE, 0x43f0000000000000, 0, 0, ~0ull, NV),
	      C(RNE, 0x43efffffffffffff, 0, 0, 0xfffffffffffff800, 0),
	      C(RNE, D_NZERO, 0, 0, 0, 0),
	      C(RNE, 0xbfe0000000000000, 0, 0, 0, NX),
	      C(RMM, 0xbfe0000000000000, 0, 0, 0, NV));
}

TEST(int_to_float)
{
	CHECK(I32_TO_S,
	      C(RNE, 16777217, 0, 0, 0x4b800000, NX),	/* 2^24 + 1: a tie */
	      C(RUP, 16777217, 0, 0, 0x4b800001, NX),
	      C(RMM, 16777217, 0, 0, 0x4b800001, NX),
	      C(RNE, 16777219, 0, 0, 0x4b800002, NX),	/* tie, odd below */
	      C(RNE, (u32)INT32_MIN, 0, 0, 0xcf000000, 0),
	      C(RNE, (u32)-1, 0, 0, S_NONE, 0),
	      C(RDN, (u32)-16777217, 0, 0, 0xcb800001, NX),
	      C(RNE, 0, 0, 0, 0, 0));
	CHECK(U32_TO_S,
	      C(RNE, 0xffffffff, 0, 0, 0x4f800000, NX),
	      C(RTZ, 0xffffffff, 0, 0, 0x4f7fffff, NX));
	CHECK(I64_TO_S,
	      C(RNE, (u64)INT64_MIN, 0, 0, 0xdf000000, 0),
	      C(RNE, (u64)-1, 0, 0, S_NONE, 0));
	CHECK(U64_TO_S,
	      C(RNE, ~0ull, 0, 0, 0x5f800000, NX),
	      C(RTZ, ~0ull, 0, 0, 0x5f7fffff, NX),
	      C(RNE, 0x8000008000000000, 0, 0, 0x5f000000, NX),
	      C(RNE, 0x8000008000000001, 0, 0, 0x5f000001, NX));
	CHECK(I64_TO_D,
	      C(RNE, (1ull << 53) + 1, 0, 0, 0x4340000000000000, NX),
	      C(RUP, (1ull << 53) + 1, 0, 0, 0x4340000000000001, NX),
	      C(RNE, (u64)INT64_MIN, 0, 0, 0xc3e0000000000000, 0));
	CHECK(U64_TO_D,
	      C(RNE, ~0ull, 0, 0, 0x43f0000000000000, NX),
	      C(RDN, ~0ull, 0, 0, 0x43efffffffffffff, NX));
	CHECK(I32_TO_D,
	      C(RNE, (u32)INT32_MIN, 0, 0, 0xc1e0000000000000, 0));
	CHECK(U32_TO_D,
	      C(RNE, 0xffffffff, 0, 0, 0x41efffffffe00000, 0));
}

/*
 * A second oracle that needs no RISC-V: binary64 has more than twice
 * binary32's precision plus two bits, so for +, -, *, / and sqrt rounding
 * the exact result to binary64 first and then to binary32 gives the same
 * bits as rounding it once (and, as binary64 cannot overflow or underflow
 * on binary32 operands, the same flags). Conversions through binary64,
 * comparisons and min/max must agree too. Both sides share round_pack()
 * and the code common to the formats, so this checks what differs per
 * format (products, quotients, roots); fp_diff_test checks the rest.
 */
static u64 rng = 0x853c49e6748fea9bull;

static u32 rnd32(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dull) >> 32;
}

static u32 gen32(void)
{
	static const u32 special[] = {
		0, S_NZERO, S_INF, S_NINF, S_QNAN, S_SNAN, 0xffc00001,
		0x00000001, 0x007fffff, S_MIN_NORM, S_MAX, S_ONE, S_NONE,
		0x4f000000, 0xcf000000, 0x5f000000, 0x3f000000,
	};
	u32 x = rnd32();

	switch (rnd32() % 8) {
	case 0:
		return special[rnd32() % (sizeof(special) / sizeof(special[0]))];
	case 1:	/* near 1 */
		return (x & 0x807fffff) | (0x3d000000 + (rnd32() % 5 << 23));
	case 2:	/* subnormal or near the smallest normal */
		return (x & 0x80ffffff) >> (rnd32() % 24);
	case 3:	/* few significant bits */
		return x & (~0u << (rnd32() % 24));
	default:
		return x;
	}
}

static u32 via64(int op, u32 a, u32 b, u32 rm, u32 *fl)
{
	bool unary = op == 4 || op >= 10;
	u64 da = ogpu_f32_to_f64(a, fl), r;
	u64 db = unary ? 0 : ogpu_f32_to_f64(b, fl);

	switch (op) {
	case 0: r = ogpu_f64_add(da, db, rm, fl); break;
	case 1: r = ogpu_f64_sub(da, db, rm, fl); break;
	case 2: r = ogpu_f64_mul(da, db, rm, fl); break;
	case 3: r = ogpu_f64_div(da, db, rm, fl); break;
	case 4: r = ogpu_f64_sqrt(da, rm, fl); break;
	case 5: r = ogpu_f64_min(da, db, fl); break;
	case 6: r = ogpu_f64_max(da, db, fl); break;
	case 7: return ogpu_f64_eq(da, db, fl);
	case 8: return ogpu_f64_lt(da, db, fl);
	case 9: return ogpu_f64_le(da, db, fl);
	case 10: return ogpu_f64_to_i32(da, rm, fl);
	case 11: return ogpu_f64_to_u32(da, rm, fl);
	case 12: return ogpu_f64_to_i64(da, rm, fl);
	default: return ogpu_f64_to_u64(da, rm, fl) >> 32;
	}
	return ogpu_f64_to_f32(r, rm, fl);
}

static u32 direct(int op, u32 a, u32 b, u32 rm, u32 *fl)
{
	switch (op) {
	case 0: return ogpu_f32_add(a, b, rm, fl);
	case 1: return ogpu_f32_sub(a, b, rm, fl);
	case 2: return ogpu_f32_mul(a, b, rm, fl);
	case 3: return ogpu_f32_div(a, b, rm, fl);
	case 4: return ogpu_f32_sqrt(a, rm, fl);
	case 5: return ogpu_f32_min(a, b, fl);
	case 6: return ogpu_f32_max(a, b, fl);
	case 7: return ogpu_f32_eq(a, b, fl);
	case 8: return ogpu_f32_lt(a, b, fl);
	case 9: return ogpu_f32_le(a, b, fl);
	case 10: return ogpu_f32_to_i32(a, rm, fl);
	case 11: return ogpu_f32_to_u32(a, rm, fl);
	case 12: return ogpu_f32_to_i64(a, rm, fl);
	default: return ogpu_f32_to_u64(a, rm, fl) >> 32;
	}
}

TEST(f32_agrees_with_f64_rounded)
{
	static const char *const names[] = {
		"add", "sub", "mul", "div", "sqrt", "min", "max", "eq", "lt",
		"le", "to_i32", "to_u32", "to_i64", "to_u64",
	};
	int op, i, bad = 0;
	u32 rm;

	for (op = 0; op < 14; op++) {
		for (rm = 0; rm < 5; rm++) {
			for (i = 0; i < 40000; i++) {
				u32 a = gen32(), b = gen32(), f1 = 0, f2 = 0;
				u32 r1 = direct(op, a, b, rm, &f1);
				u32 r2 = via64(op, a, b, rm, &f2);

				if (r1 == r2 && f1 == f2)
					continue;
				if (bad++ < 10)
					TH_LOG("%s rm %u a %#x b %#x: %#x fl %#x, through binary64 %#x fl %#x",
					       names[op], rm, a, b, r1, f1, r2,
					       f2);
			}
		}
	}
	EXPECT_EQ(0, bad);
}

/* And the integer conversions: exact to binary64, so rounded once. */
TEST(int_to_f32_agrees_with_f64_rounded)
{
	int i, bad = 0;
	u32 rm;

	for (rm = 0; rm < 5; rm++) {
		for (i = 0; i < 200000; i++) {
			u32 a = rnd32() >> (rnd32() % 32), f1 = 0, f2 = 0;
			u32 r1 = ogpu_i32_to_f32(a, rm, &f1);
			u32 r2 = ogpu_f64_to_f32(ogpu_i32_to_f64(a, rm, &f2), rm,
						 &f2);

			r1 ^= ogpu_u32_to_f32(a, rm, &f1);
			r2 ^= ogpu_f64_to_f32(ogpu_u32_to_f64(a, rm, &f2), rm,
					      &f2);
			if (r1 != r2 || f1 != f2)
				if (bad++ < 10)
					TH_LOG("rm %u a %#x", rm, a);
		}
	}
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
