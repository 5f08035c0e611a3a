/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The instructions fp_diff_test compares, shared by the host test and the
 * RISC-V program it runs under qemu-riscv64 (fp_diff_rv.c), which must
 * agree on each one's number. X(name, kind, mnemonic, in, out): in and out
 * are the fmv width, "w" or "d", of the float operands and result.
 *
 * Kinds: F1, F2, F3 take 1-3 float operands to a float, with rm;
 * F1N (no rm) and F2N likewise without; I2N and I1N give an integer from
 * two or one float (compares, class); I1 an integer from a float with rm
 * (FCVT to an integer); FI a float from an integer with rm, FIN without.
 */
#ifndef FP_DIFF_OPS_H
#define FP_DIFF_OPS_H

#define FP_DIFF_OPS(X) \
	X(fadd_s, F2, "fadd.s", "w", "w") \
	X(fsub_s, F2, "fsub.s", "w", "w") \
	X(fmul_s, F2, "fmul.s", "w", "w") \
	X(fdiv_s, F2, "fdiv.s", "w", "w") \
	X(fsqrt_s, F1, "fsqrt.s", "w", "w") \
	X(fmadd_s, F3, "fmadd.s", "w", "w") \
	X(fmsub_s, F3, "fmsub.s", "w", "w") \
	X(fnmsub_s, F3, "fnmsub.s", "w", "w") \
	X(fnmadd_s, F3, "fnmadd.s", "w", "w") \
	X(fmin_s, F2N, "fmin.s", "w", "w") \
	X(fmax_s, F2N, "fmax.s", "w", "w") \
	X(feq_s, I2N, "feq.s", "w", "w") \
	X(flt_s, I2N, "flt.s", "w", "w") \
	X(fle_s, I2N, "fle.s", "w", "w") \
	X(fclass_s, I1N, "fclass.s", "w", "w") \
	X(fcvt_w_s, I1, "fcvt.w.s", "w", "w") \
	X(fcvt_wu_s, I1, "fcvt.wu.s", "w", "w") \
	X(fcvt_l_s, I1, "fcvt.l.s", "w", "w") \
	X(fcvt_lu_s, I1, "fcvt.lu.s", "w", "w") \
	X(fcvt_s_w, FI, "fcvt.s.w", "w", "w") \
	X(fcvt_s_wu, FI, "fcvt.s.wu", "w", "w") \
	X(fcvt_s_l, FI, "fcvt.s.l", "w", "w") \
	X(fcvt_s_lu, FI, "fcvt.s.lu", "w", "w") \
	X(fadd_d, F2, "fadd.d", "d", "d") \
	X(fsub_d, F2, "fsub.d", "d", "d") \
	X(fmul_d, F2, "fmul.d", "d", "d") \
	X(fdiv_d, F2, "fdiv.d", "d", "d") \
	X(fsqrt_d, F1, "fsqrt.d", "d", "d") \
	X(fmadd_d, F3, "fmadd.d", "d", "d") \
	X(fmsub_d, F3, "fmsub.d", "d", "d") \
	X(fnmsub_d, F3, "fnmsub.d", "d", "d") \
	X(fnmadd_d, F3, "fnmadd.d", "d", "d") \
	X(fmin_d, F2N, "fmin.d", "d", "d") \
	X(fmax_d, F2N, "fmax.d", "d", "d") \
	X(feq_d, I2N, "feq.d", "d", "d") \
	X(flt_d, I2N, "flt.d", "d", "d") \
	X(fle_d, I2N, "fle.d", "d", "d") \
	X(fclass_d, I1N, "fclass.d", "d", "d") \
	X(fcvt_w_d, I1, "fcvt.w.d", "d", "d") \
	X(fcvt_wu_d, I1, "fcvt.wu.d", "d", "d") \
	X(fcvt_l_d, I1, "fcvt.l.d", "d", "d") \
	X(fcvt_lu_d, I1, "fcvt.lu.d", "d", "d") \
	X(fcvt_d_w, FIN, "fcvt.d.w", "d", "d") \
	X(fcvt_d_wu, FIN, "fcvt.d.wu", "d", "d") \
	X(fcvt_d_l, FI, "fcvt.d.l", "d", "d") \
	X(fcvt_d_lu, FI, "fcvt.d.lu", "d", "d") \
	X(fcvt_d_s, F1N, "fcvt.d.s", "w", "d") \
	X(fcvt_s_d, F1, "fcvt.s.d", "d", "w")

#define FP_DIFF_ENUM(name, kind, insn, in, out) FP_##name,
enum { FP_DIFF_OPS(FP_DIFF_ENUM) FP_DIFF_NOPS };
#undef FP_DIFF_ENUM

/*
 * One case as the host writes it to the program's stdin: rm 0-4 is the
 * instruction's static rm, 5-9 is DYN with frm = rm - 5. The program
 * answers each with struct fp_diff_out on stdout.
 */
struct fp_diff_in {
	unsigned int op;
	unsigned int rm;
	unsigned long long a, b, c;
};

struct fp_diff_out {
	unsigned long long r;
	unsigned long long flags;
};

#endif
