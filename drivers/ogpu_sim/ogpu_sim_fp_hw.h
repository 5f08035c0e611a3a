/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The compute units' floating-point fast path on the host's FPU: see
 * ogpu_sim_fp_hw.c. Callers in the kernel hold kernel_fpu_begin().
 */
#ifndef __OGPU_SIM_FP_HW_H__
#define __OGPU_SIM_FP_HW_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

enum ogpu_fp_hw_op {
	OGPU_FP_HW_ADD,
	OGPU_FP_HW_SUB,
	OGPU_FP_HW_MUL,
	OGPU_FP_HW_DIV,
};

#if !defined(__KERNEL__) || defined(CONFIG_ARCH_HAS_KERNEL_FPU_SUPPORT)
u64 ogpu_sim_fp_hw_f32(u32 op, u64 act, u32 srm, const u64 *a, const u64 *b,
		       u64 *d, u8 *fcsr);
u64 ogpu_sim_fp_hw_f64(u32 op, u64 act, u32 srm, const u64 *a, const u64 *b,
		       u64 *d, u8 *fcsr);
#else
/* No FPU for the kernel here: every lane takes the soft-float. */
static inline u64 ogpu_sim_fp_hw_f32(u32 op, u64 act, u32 srm, const u64 *a,
				     const u64 *b, u64 *d, u8 *fcsr)
{
	return 0;
}

static inline u64 ogpu_sim_fp_hw_f64(u32 op, u64 act, u32 srm, const u64 *a,
				     const u64 *b, u64 *d, u8 *fcsr)
{
	return 0;
}
#endif

#endif /* __OGPU_SIM_FP_HW_H__ */
