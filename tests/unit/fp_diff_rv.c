// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The RISC-V half of fp_diff_test: a freestanding RV64G program, run under
 * qemu-riscv64, that reads struct fp_diff_in records on stdin, executes
 * each one's F or D instruction with fflags cleared, and writes the result
 * and fflags as struct fp_diff_out on stdout. fp_diff_test builds it with
 * clang --target=riscv64-unknown-elf at run time.
 */
#include "fp_diff_ops.h"

typedef unsigned long long u64;
typedef u64 (*stub_fn)(u64 a, u64 b, u64 c, u64 *flags);

__asm__(".globl _start\n"
	"_start:\n"
	"	call rv_main\n"
	"	li a7, 93\n"
	"	ecall\n");

/* Instruction stubs, one per rm, made by one macro per kind. */
#define IN1(w) "fmv." w ".x ft0, %[a]\n"
#define IN2(w) IN1(w) "fmv." w ".x ft1, %[b]\n"
#define IN3(w) IN2(w) "fmv." w ".x ft2, %[c]\n"
#define CLR "csrw fflags, zero\n"
#define GETF "csrr %[f], fflags\n"
#define OUTF(w) "fmv.x." w " %[r], ft3\n"
#define ARGS : [r] "=&r" (r), [f] "=&r" (f) \
	: [a] "r" (a), [b] "r" (b), [c] "r" (c) : "ft0", "ft1", "ft2", "ft3"

#define STUB(name, rm, body) \
static u64 name##_##rm(u64 a, u64 b, u64 c, u64 *fl) \
{ \
	u64 r, f; \
	__asm__ volatile(body ARGS); \
	*fl = f; \
	return r; \
}

#define F1(name, insn, wi, wo, rm) STUB(name, rm, IN1(wi) CLR \
	insn " ft3, ft0, " #rm "\n" GETF OUTF(wo))
#define F2(name, insn, wi, wo, rm) STUB(name, rm, IN2(wi) CLR \
	insn " ft3, ft0, ft1, " #rm "\n" GETF OUTF(wo))
#define F3(name, insn, wi, wo, rm) STUB(name, rm, IN3(wi) CLR \
	insn " ft3, ft0, ft1, ft2, " #rm "\n" GETF OUTF(wo))
#define I1(name, insn, wi, wo, rm) STUB(name, rm, IN1(wi) CLR \
	insn " %[r], ft0, " #rm "\n" GETF)
#define FI(name, insn, wi, wo, rm) STUB(name, rm, CLR \
	insn " ft3, %[a], " #rm "\n" GETF OUTF(wo))
#define F1N(name, insn, wi, wo, rm) STUB(name, rm, IN1(wi) CLR \
	insn " ft3, ft0\n" GETF OUTF(wo))
#define F2N(name, insn, wi, wo, rm) STUB(name, rm, IN2(wi) CLR \
	insn " ft3, ft0, ft1\n" GETF OUTF(wo))
#define FIN(name, insn, wi, wo, rm) STUB(name, rm, CLR \
	insn " ft3, %[a]\n" GETF OUTF(wo))
#define I2N(name, insn, wi, wo, rm) STUB(name, rm, IN2(wi) CLR \
	insn " %[r], ft0, ft1\n" GETF)
#define I1N(name, insn, wi, wo, rm) STUB(name, rm, IN1(wi) CLR \
	insn " %[r], ft0\n" GETF)

#define DEF_RM(name, kind, insn, wi, wo) \
	kind(name, insn, wi, wo, rne) kind(name, insn, wi, wo, rtz) \
	kind(name, insn, wi, wo, rdn) kind(name, insn, wi, wo, rup) \
	kind(name, insn, wi, wo, rmm) kind(name, insn, wi, wo, dyn)
#define DEF_NORM(name, kind, insn, wi, wo) kind(name, insn, wi, wo, x)

/* Pick DEF_RM or DEF_NORM by kind. */
#define DEF_F1 DEF_RM
#define DEF_F2 DEF_RM
#define DEF_F3 DEF_RM
#define DEF_I1 DEF_RM
#define DEF_FI DEF_RM
#define DEF_F1N DEF_NORM
#define DEF_F2N DEF_NORM
#define DEF_I2N DEF_NORM
#define DEF_I1N DEF_NORM
#define DEF_FIN DEF_NORM
#define DEF(name, kind, insn, wi, wo) DEF_##kind(name, kind, insn, wi, wo)
FP_DIFF_OPS(DEF)

#define TAB_RM(name) { name##_rne, name##_rtz, name##_rdn, name##_rup, \
	name##_rmm, name##_dyn }
#define TAB_NORM(name) { name##_x, name##_x, name##_x, name##_x, \
	name##_x, name##_x }
#define TAB_F1 TAB_RM
#define TAB_F2 TAB_RM
#define TAB_F3 TAB_RM
#define TAB_I1 TAB_RM
#define TAB_FI TAB_RM
#define TAB_F1N TAB_NORM
#define TAB_F2N TAB_NORM
#define TAB_I2N TAB_NORM
#define TAB_I1N TAB_NORM
#define TAB_FIN TAB_NORM
#define TAB(name, kind, insn, wi, wo) TAB_##kind(name),
static const stub_fn stubs[FP_DIFF_NOPS][6] = { FP_DIFF_OPS(TAB) };

static long sys3(long nr, long x, long y, long z)
{
	register long a0 __asm__("a0") = x;
	register long a1 __asm__("a1") = y;
	register long a2 __asm__("a2") = z;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r" (a0) : "r" (a1), "r" (a2), "r" (a7)
			 : "memory");
	return a0;
}

#define BATCH 4096
static struct fp_diff_in in[BATCH];
static struct fp_diff_out out[BATCH];

int rv_main(void)
{
	for (;;) {
		char *p = (char *)in;
		long got = 0, n, i, put;

		while (got < (long)sizeof(in)) {
			n = sys3(63, 0, (long)(p + got), sizeof(in) - got);
			if (n < 0)
				return 2;
			if (!n)
				break;
			got += n;
		}
		if (got % sizeof(in[0]))
			return 3;
		n = got / sizeof(in[0]);
		for (i = 0; i < n; i++) {
			unsigned int op = in[i].op, rm = in[i].rm;

			if (op >= FP_DIFF_NOPS || rm > 9)
				return 4;
			if (rm >= 5) {
				__asm__ volatile("fsrm %0" : : "r" (rm - 5));
				rm = 5;
			}
			out[i].r = stubs[op][rm](in[i].a, in[i].b, in[i].c,
						 &out[i].flags);
		}
		p = (char *)out;
		for (put = 0; put < n * (long)sizeof(out[0]); put += i) {
			i = sys3(64, 1, (long)(p + put),
				 n * sizeof(out[0]) - put);
			if (i <= 0)
				return 5;
		}
		if (got < (long)sizeof(in))
			return 0;
	}
}
