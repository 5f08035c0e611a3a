// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: Compute unit floating point on the host's FPU
 *
 * The compute units' floating point is ogpu_sim_fp.c's integer soft-float,
 * exact in every case. This file is its fast path for the cases where the
 * host's IEEE hardware gives the same bits and the same flags, as
 * qemu's "hardfloat" does: FADD, FSUB, FMUL and FDIV, single and double,
 * for a lane that rounds to nearest, ties to even (statically or through
 * frm), when both operands are normal or zero, a divisor is not zero, and
 * the result is either at least twice the smallest normal number (so it
 * cannot be tiny, before or after rounding) and finite (no overflow: in
 * this rounding mode an overflow is an infinity), or a zero that is exact
 * (a sum of opposites, or a product or quotient with a zero operand). Then
 * no flag but NX can arise. NX is found exactly where that is cheap: for
 * sums, by Knuth's TwoSum (the rounding error is zero); for single
 * products and quotients, in double precision, where a product of two
 * singles is exact. A double product or quotient takes the fast path only
 * when the lane's NX is already set, so that its own inexactness adds
 * nothing. Every other lane takes the soft-float path.
 *
 * This is the only file of the device model that uses the FPU. In the
 * kernel it is built with the compiler's FPU flags, and the module calls
 * the compute units only between kernel_fpu_begin() and kernel_fpu_end();
 * ogpu_sim_cu_set_host_fpu() says whether the executor may call it.
 */

#include "ogpu_sim_fp_hw.h"

#define F32_EXP(v)	(((v) >> 23) & 0xff)
#define F64_EXP(v)	(((v) >> 52) & 0x7ff)
#define F_NX		0x01

static inline bool f32_normal_or_zero(u32 v)
{
	u32 e = F32_EXP(v);

	return (e && e != 0xff) || !(v << 1);
}

static inline bool f64_normal_or_zero(u64 v)
{
	u64 e = F64_EXP(v);

	return (e && e != 0x7ff) || !(v << 1);
}

/* A result the host gives as the soft-float would, flags included. */
static inline bool f32_result_ok(u32 r, u32 op, u32 x, u32 y)
{
	u32 e = F32_EXP(r);

	if (e >= 2 && e != 0xff)
		return true;
	if (r << 1)
		return false;
	/* Zero: exact for a sum; for a product or quotient, a zero operand. */
	if (op == OGPU_FP_HW_ADD || op == OGPU_FP_HW_SUB)
		return true;
	return !(x << 1) || (op == OGPU_FP_HW_MUL && !(y << 1));
}

static inline bool f64_result_ok(u64 r, u32 op, u64 x, u64 y)
{
	u64 e = F64_EXP(r);

	if (e >= 2 && e != 0x7ff)
		return true;
	if (r << 1)
		return false;
	if (op == OGPU_FP_HW_ADD || op == OGPU_FP_HW_SUB)
		return true;
	return !(x << 1) || (op == OGPU_FP_HW_MUL && !(y << 1));
}

/* The lane's rounding mode is RNE. */
static inline bool lane_rne(u32 srm, u8 fcsr)
{
	return (srm == 7 ? fcsr >> 5 : srm) == 0;
}

/* Whether a + b == s exactly (Knuth's TwoSum; s finite). */
static inline bool f32_sum_exact(float a, float b, float s)
{
	float bp = s - a, ap = s - bp;

	return (a - ap) + (b - bp) == 0.0f;
}

static inline bool f64_sum_exact(double a, double b, double s)
{
	double bp = s - a, ap = s - bp;

	return (a - ap) + (b - bp) == 0.0;
}

/**
 * ogpu_sim_fp_hw_f32() - a single-precision FADD/FSUB/FMUL/FDIV on the FPU
 * @op: OGPU_FP_HW_*
 * @act: the lanes to run
 * @srm: the instruction's rm field (7: frm)
 * @a: rs1 of every lane, NaN-boxed
 * @b: rs2 of every lane, NaN-boxed
 * @d: rd of every lane
 * @fcsr: frm << 5 | fflags of every lane
 *
 * Return: the lanes of @act it ran (their @d written, NX added to their
 * flags when the result is inexact, as the soft-float would leave them);
 * the others are left to the soft-float, untouched.
 */
u64 ogpu_sim_fp_hw_f32(u32 op, u64 act, u32 srm, const u64 *a, const u64 *b,
		       u64 *d, u8 *fcsr)
{
	u64 done = 0;

	while (act) {
		unsigned int l = __builtin_ctzll(act);
		u32 x = (u32)a[l], y = (u32)b[l], r;
		float fx, fy, fr;
		bool exact;

		act &= act - 1;
		if (!lane_rne(srm, fcsr[l]) || (a[l] >> 32) != 0xffffffffu ||
		    (b[l] >> 32) != 0xffffffffu || !f32_normal_or_zero(x) ||
		    !f32_normal_or_zero(y) || (op == OGPU_FP_HW_DIV && !(y << 1)))
			continue;
		__builtin_memcpy(&fx, &x, 4);
		__builtin_memcpy(&fy, &y, 4);
		switch (op) {
		case OGPU_FP_HW_ADD:
			fr = fx + fy;
			break;
		case OGPU_FP_HW_SUB:
			fr = fx - fy;
			fy = -fy;
			break;
		case OGPU_FP_HW_MUL:
			fr = fx * fy;
			break;
		default:
			fr = fx / fy;
			break;
		}
		__builtin_memcpy(&r, &fr, 4);
		if (!f32_result_ok(r, op, x, y))
			continue;
		if (fcsr[l] & F_NX)
			exact = true;	/* nothing to add */
		else if (op <= OGPU_FP_HW_SUB)
			exact = f32_sum_exact(fx, fy, fr);
		else if (op == OGPU_FP_HW_MUL)
			exact = (double)fx * fy == (double)fr;
		else
			exact = (double)fr * fy == (double)fx;
		if (!exact)
			fcsr[l] |= F_NX;
		d[l] = 0xffffffff00000000ull | r;
		done |= 1ull << l;
	}
	return done;
}

/**
 * ogpu_sim_fp_hw_f64() - a double-precision FADD/FSUB/FMUL/FDIV on the FPU
 * @op: OGPU_FP_HW_*
 * @act: the lanes to run
 * @srm: the instruction's rm field (7: frm)
 * @a: rs1 of every lane
 * @b: rs2 of every lane
 * @d: rd of every lane
 * @fcsr: frm << 5 | fflags of every lane
 *
 * Return: the lanes of @act it ran, as ogpu_sim_fp_hw_f32().
 */
u64 ogpu_sim_fp_hw_f64(u32 op, u64 act, u32 srm, const u64 *a, const u64 *b,
		       u64 *d, u8 *fcsr)
{
	u64 done = 0;

	while (act) {
		unsigned int l = __builtin_ctzll(act);
		u64 x = a[l], y = b[l], r;
		double fx, fy, fr;

		act &= act - 1;
		/* Products and quotients: only once NX is set. */
		if (!lane_rne(srm, fcsr[l]) ||
		    (op > OGPU_FP_HW_SUB && !(fcsr[l] & F_NX)) ||
		    !f64_normal_or_zero(x) ||
		    !f64_normal_or_zero(y) || (op == OGPU_FP_HW_DIV && !(y << 1)))
			continue;
		__builtin_memcpy(&fx, &x, 8);
		__builtin_memcpy(&fy, &y, 8);
		switch (op) {
		case OGPU_FP_HW_ADD:
			fr = fx + fy;
			break;
		case OGPU_FP_HW_SUB:
			fr = fx - fy;
			fy = -fy;
			break;
		case OGPU_FP_HW_MUL:
			fr = fx * fy;
			break;
		default:
			fr = fx / fy;
			break;
		}
		__builtin_memcpy(&r, &fr, 8);
		if (!f64_result_ok(r, op, x, y))
			continue;
		if (!(fcsr[l] & F_NX) && !f64_sum_exact(fx, fy, fr))
			fcsr[l] |= F_NX;
		d[l] = r;
		done |= 1ull << l;
	}
	return done;
}
