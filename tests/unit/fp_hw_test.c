// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The compute units' FPU fast path (drivers/ogpu_sim/ogpu_sim_fp_hw.c)
 * against the soft-float: for every lane it takes, the same bits and the
 * same flags (the soft-float raises no flag but NX there, and the fast path
 * sets NX exactly when the soft-float does). And it takes the common case
 * (normal operands and results), so that it is a fast path at all, and
 * leaves every lane it must, untouched.
 */
#include <stdlib.h>

#include "ogpu_sim_fp.h"
#include "ogpu_sim_fp_hw.h"

#include "kselftest_harness.h"

#define LANES 64
#define ROUNDS 20000

static u64 rng = 0x9e3779b97f4a7c15ull;

static u64 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const u32 f32_special[] = {
	0, 0x80000000, 0x00000001, 0x007fffff, 0x00800000, 0x00800001,
	0x01000000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
	0x7f800001, 0x3f800000, 0xbf800000, 0x3f800001, 0x4b000000,
	0x33800000, 0x0c000000, 0x72000000,
};

static const u64 f64_special[] = {
	0, 0x8000000000000000ull, 1, 0x000fffffffffffffull,
	0x0010000000000000ull, 0x0020000000000000ull, 0x7fefffffffffffffull,
	0x7ff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
	0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff0000000000001ull,
	0x2000000000000000ull, 0x5ff0000000000000ull,
};

static u32 f32_operand(void)
{
	u64 r = next();
	float f;
	u32 u;

	switch (r % 5) {
	case 4:	/* small integers and halves: exact sums and products */
		f = (float)((int)((r >> 20) & 1023) - 512) / ((r >> 40) & 1 ? 2 : 1);
		__builtin_memcpy(&u, &f, 4);
		return u;
	case 0:
		return f32_special[(r >> 8) % (sizeof(f32_special) / 4)];
	case 1:	/* near 1 */
		return 0x3f000000 + (u32)((r >> 8) & 0x01ffffff);
	default:
		return (u32)(r >> 16);
	}
}

static u64 f64_operand(void)
{
	u64 r = next();
	double f;
	u64 u;

	switch (r % 5) {
	case 4:
		f = (double)((int)((r >> 20) & 1023) - 512) / ((r >> 40) & 1 ? 2 : 1);
		__builtin_memcpy(&u, &f, 8);
		return u;
	case 0:
		return f64_special[(r >> 8) % (sizeof(f64_special) / 8)];
	case 1:
		return 0x3fe0000000000000ull + ((r >> 8) & 0x001fffffffffffffull);
	default:
		return next();
	}
}

static u32 soft32(u32 op, u32 x, u32 y, u32 *fl)
{
	switch (op) {
	case OGPU_FP_HW_ADD:
		return ogpu_f32_add(x, y, OGPU_FP_RNE, fl);
	case OGPU_FP_HW_SUB:
		return ogpu_f32_sub(x, y, OGPU_FP_RNE, fl);
	case OGPU_FP_HW_MUL:
		return ogpu_f32_mul(x, y, OGPU_FP_RNE, fl);
	default:
		return ogpu_f32_div(x, y, OGPU_FP_RNE, fl);
	}
}

static u64 soft64(u32 op, u64 x, u64 y, u32 *fl)
{
	switch (op) {
	case OGPU_FP_HW_ADD:
		return ogpu_f64_add(x, y, OGPU_FP_RNE, fl);
	case OGPU_FP_HW_SUB:
		return ogpu_f64_sub(x, y, OGPU_FP_RNE, fl);
	case OGPU_FP_HW_MUL:
		return ogpu_f64_mul(x, y, OGPU_FP_RNE, fl);
	default:
		return ogpu_f64_div(x, y, OGPU_FP_RNE, fl);
	}
}

TEST(single_precision_matches_the_soft_float)
{
	u64 a[LANES], b[LANES], d[LANES];
	u8 fcsr[LANES], before[LANES];
	u64 taken = 0, total = 0;

	for (int round = 0; round < ROUNDS; round++) {
		u32 op = round % 4, srm = (round / 4) % 2 ? 7 : 0;
		u64 done;

		for (int l = 0; l < LANES; l++) {
			a[l] = 0xffffffff00000000ull | f32_operand();
			b[l] = 0xffffffff00000000ull | f32_operand();
			/* Mostly NX set and RNE; some not, some unboxed. */
			fcsr[l] = (next() % 8 ? OGPU_FP_NX : 0) |
				  (next() % 8 ? 0 : 1 << 5);
			if (!(next() % 32))
				a[l] &= 0xffffffffull;
			d[l] = 0x5a5a;
			before[l] = fcsr[l];
		}
		done = ogpu_sim_fp_hw_f32(op, ~0ull, srm, a, b, d, fcsr);
		for (int l = 0; l < LANES; l++) {
			u32 fl = 0, want;

			total++;
			if (!(done & (1ull << l))) {
				ASSERT_EQ(0x5a5a, d[l]);
				ASSERT_EQ(before[l], fcsr[l]);
				continue;
			}
			taken++;
			/* It took only lanes that round to nearest even. */
			ASSERT_EQ(0, srm == 7 ? fcsr[l] >> 5 : srm);
			ASSERT_EQ(0xffffffffu, a[l] >> 32);
			want = soft32(op, (u32)a[l], (u32)b[l], &fl);
			ASSERT_EQ(0xffffffff00000000ull | want, d[l]) {
				TH_LOG("op %u %#x %#x", op, (u32)a[l], (u32)b[l]);
			}
			ASSERT_EQ(0, fl & ~OGPU_FP_NX) {
				TH_LOG("op %u %#x %#x flags %#x", op, (u32)a[l],
				       (u32)b[l], fl);
			}
			ASSERT_EQ(before[l] | fl, fcsr[l]) {
				TH_LOG("op %u %#x %#x: NX", op, (u32)a[l],
				       (u32)b[l]);
			}
		}
	}
	/* The common case is fast: most random-bit lanes with NX and RNE. */
	EXPECT_LT(total / 4, taken);
	TH_LOG("%llu of %llu lanes on the FPU", (unsigned long long)taken,
	       (unsigned long long)total);
}

TEST(double_precision_matches_the_soft_float)
{
	u64 a[LANES], b[LANES], d[LANES];
	u8 fcsr[LANES], before[LANES];
	u64 taken = 0, total = 0;

	for (int round = 0; round < ROUNDS; round++) {
		u32 op = round % 4, srm = (round / 4) % 2 ? 7 : 0;
		u64 done;

		for (int l = 0; l < LANES; l++) {
			a[l] = f64_operand();
			b[l] = f64_operand();
			fcsr[l] = (next() % 8 ? OGPU_FP_NX : 0) |
				  (next() % 8 ? 0 : 3 << 5);
			d[l] = 0x5a5a;
			before[l] = fcsr[l];
		}
		done = ogpu_sim_fp_hw_f64(op, ~0ull, srm, a, b, d, fcsr);
		for (int l = 0; l < LANES; l++) {
			u32 fl = 0;
			u64 want;

			total++;
			if (!(done & (1ull << l))) {
				ASSERT_EQ(0x5a5a, d[l]);
				ASSERT_EQ(before[l], fcsr[l]);
				continue;
			}
			taken++;
			ASSERT_EQ(0, srm == 7 ? fcsr[l] >> 5 : srm);
			/* Products and quotients only once NX is set. */
			if (op >= OGPU_FP_HW_MUL)
				ASSERT_EQ(OGPU_FP_NX, before[l] & OGPU_FP_NX);
			want = soft64(op, a[l], b[l], &fl);
			ASSERT_EQ(want, d[l]) {
				TH_LOG("op %u %#llx %#llx", op,
				       (unsigned long long)a[l],
				       (unsigned long long)b[l]);
			}
			ASSERT_EQ(0, fl & ~OGPU_FP_NX);
			ASSERT_EQ(before[l] | fl, fcsr[l]);
		}
	}
	EXPECT_LT(total / 4, taken);
	TH_LOG("%llu of %llu lanes on the FPU", (unsigned long long)taken,
	       (unsigned long long)total);
}

/* The lanes it must leave: each reason on its own. */
TEST(leaves_what_the_fpu_would_get_wrong)
{
	static const struct {
		u32 op, x, y;
		u8 fcsr;
		const char *why;
	} cases[] = {
		{ OGPU_FP_HW_ADD, 0x3f800000, 0x3f800000, 1 | 1 << 5, "RTZ" },
		{ OGPU_FP_HW_MUL, 0x00400000, 0x3f800000, 1, "subnormal operand" },
		{ OGPU_FP_HW_MUL, 0x00800000, 0x3f000000, 1, "subnormal result" },
		{ OGPU_FP_HW_MUL, 0x0c000000, 0x0c000000, 1, "underflow to zero" },
		{ OGPU_FP_HW_MUL, 0x7f7fffff, 0x40000000, 1, "overflow" },
		{ OGPU_FP_HW_DIV, 0x3f800000, 0x00000000, 1, "divide by zero" },
		{ OGPU_FP_HW_ADD, 0x7f800000, 0x3f800000, 1, "infinity" },
		{ OGPU_FP_HW_ADD, 0x7fc00000, 0x3f800000, 1, "NaN" },
		{ OGPU_FP_HW_MUL, 0x00800000, 0x3f800000, 1, "smallest normal" },
	};

	u64 a = 0x3ff0000000000000ull, b = a, d = 0;
	u8 f = 0;

	/* A double product without NX set: the soft-float finds NX. */
	EXPECT_EQ(0, ogpu_sim_fp_hw_f64(OGPU_FP_HW_MUL, 1, 0, &a, &b, &d, &f));
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u64 a = 0xffffffff00000000ull | cases[i].x;
		u64 b = 0xffffffff00000000ull | cases[i].y, d = 0;
		u8 fcsr = cases[i].fcsr;

		EXPECT_EQ(0, ogpu_sim_fp_hw_f32(cases[i].op, 1, 7, &a, &b, &d,
						&fcsr)) {
			TH_LOG("%s", cases[i].why);
		}
	}
}

TEST_HARNESS_MAIN
