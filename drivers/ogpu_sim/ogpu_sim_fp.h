/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * IEEE 754 binary32 and binary64 arithmetic in integer C, as the RISC-V F
 * and D extensions specify it: the five rounding modes, the five exception
 * flags, tininess detected after rounding, the canonical NaN for every
 * NaN result, and the saturating conversions to integers. The compute
 * units use it so that their floating point needs no FPU state in the
 * kernel and gives the same bits on every host. Plain C, like the rest of
 * the device model's core.
 */
#ifndef __OGPU_SIM_FP_H__
#define __OGPU_SIM_FP_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

/* Rounding modes, as in the instructions' rm field and frm. */
enum ogpu_fp_rm {
	OGPU_FP_RNE = 0,	/* to nearest, ties to even */
	OGPU_FP_RTZ = 1,	/* toward zero */
	OGPU_FP_RDN = 2,	/* down */
	OGPU_FP_RUP = 3,	/* up */
	OGPU_FP_RMM = 4,	/* to nearest, ties to max magnitude */
};

/* Exception flags, as in fflags. The functions OR them into *flags. */
#define OGPU_FP_NX		0x01	/* inexact */
#define OGPU_FP_UF		0x02	/* underflow */
#define OGPU_FP_OF		0x04	/* overflow */
#define OGPU_FP_DZ		0x08	/* divide by zero */
#define OGPU_FP_NV		0x10	/* invalid */

#define OGPU_F32_CANONICAL_NAN	0x7fc00000u
#define OGPU_F64_CANONICAL_NAN	0x7ff8000000000000ull

/*
 * Each takes the operands' bits, a rounding mode (0-4; the caller rejects
 * 5-7 and resolves DYN) and where to OR the flags. fma(a, b, c) is
 * a * b + c rounded once; the caller makes FMSUB, FNMSUB and FNMADD by
 * flipping sign bits of its operands.
 */
u32 ogpu_f32_add(u32 a, u32 b, u32 rm, u32 *flags);
u32 ogpu_f32_sub(u32 a, u32 b, u32 rm, u32 *flags);
u32 ogpu_f32_mul(u32 a, u32 b, u32 rm, u32 *flags);
u32 ogpu_f32_div(u32 a, u32 b, u32 rm, u32 *flags);
u32 ogpu_f32_sqrt(u32 a, u32 rm, u32 *flags);
u32 ogpu_f32_fma(u32 a, u32 b, u32 c, u32 rm, u32 *flags);
u32 ogpu_f32_min(u32 a, u32 b, u32 *flags);	/* FMIN.S (2.2 semantics) */
u32 ogpu_f32_max(u32 a, u32 b, u32 *flags);
int ogpu_f32_eq(u32 a, u32 b, u32 *flags);	/* quiet */
int ogpu_f32_lt(u32 a, u32 b, u32 *flags);	/* signaling */
int ogpu_f32_le(u32 a, u32 b, u32 *flags);
u32 ogpu_f32_class(u32 a);			/* FCLASS.S's mask */
s32 ogpu_f32_to_i32(u32 a, u32 rm, u32 *flags);	/* saturating */
u32 ogpu_f32_to_u32(u32 a, u32 rm, u32 *flags);
s64 ogpu_f32_to_i64(u32 a, u32 rm, u32 *flags);
u64 ogpu_f32_to_u64(u32 a, u32 rm, u32 *flags);
u32 ogpu_i32_to_f32(s32 a, u32 rm, u32 *flags);
u32 ogpu_u32_to_f32(u32 a, u32 rm, u32 *flags);
u32 ogpu_i64_to_f32(s64 a, u32 rm, u32 *flags);
u32 ogpu_u64_to_f32(u64 a, u32 rm, u32 *flags);

u64 ogpu_f64_add(u64 a, u64 b, u32 rm, u32 *flags);
u64 ogpu_f64_sub(u64 a, u64 b, u32 rm, u32 *flags);
u64 ogpu_f64_mul(u64 a, u64 b, u32 rm, u32 *flags);
u64 ogpu_f64_div(u64 a, u64 b, u32 rm, u32 *flags);
u64 ogpu_f64_sqrt(u64 a, u32 rm, u32 *flags);
u64 ogpu_f64_fma(u64 a, u64 b, u64 c, u32 rm, u32 *flags);
u64 ogpu_f64_min(u64 a, u64 b, u32 *flags);
u64 ogpu_f64_max(u64 a, u64 b, u32 *flags);
int ogpu_f64_eq(u64 a, u64 b, u32 *flags);
int ogpu_f64_lt(u64 a, u64 b, u32 *flags);
int ogpu_f64_le(u64 a, u64 b, u32 *flags);
u32 ogpu_f64_class(u64 a);
s32 ogpu_f64_to_i32(u64 a, u32 rm, u32 *flags);
u32 ogpu_f64_to_u32(u64 a, u32 rm, u32 *flags);
s64 ogpu_f64_to_i64(u64 a, u32 rm, u32 *flags);
u64 ogpu_f64_to_u64(u64 a, u32 rm, u32 *flags);
u64 ogpu_i32_to_f64(s32 a, u32 rm, u32 *flags);
u64 ogpu_u32_to_f64(u32 a, u32 rm, u32 *flags);
u64 ogpu_i64_to_f64(s64 a, u32 rm, u32 *flags);
u64 ogpu_u64_to_f64(u64 a, u32 rm, u32 *flags);

u64 ogpu_f32_to_f64(u32 a, u32 *flags);		/* exact; NV on sNaN */
u32 ogpu_f64_to_f32(u64 a, u32 rm, u32 *flags);

#endif /* __OGPU_SIM_FP_H__ */
