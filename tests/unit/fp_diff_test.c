// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Differential test of the soft-float library (drivers/ogpu_sim/
 * ogpu_sim_fp.c) against real RISC-V F and D instructions run by
 * qemu-riscv64: for each instruction, random operands biased toward the
 * special values and the hard roundings, in each static rounding mode and
 * in each dynamic one, compared bit for bit and flag for flag. The RISC-V
 * program (fp_diff_rv.c) is built with clang and ld.lld when the test
 * starts; without them or qemu-riscv64-static the tests skip.
 *
 * FP_DIFF_SEED and FP_DIFF_CASES (per instruction and rounding mode)
 * override the defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ogpu_sim_fp.h"
#include "fp_diff_ops.h"

#include "kselftest_harness.h"

#ifndef FP_DIFF_RV_SRC
#define FP_DIFF_RV_SRC "fp_diff_rv.c"
#endif

enum kind { F1, F2, F3, F1N, F2N, I2N, I1N, I1, FI, FIN };

struct op_info {
	const char *name;
	enum kind kind;
	bool in64, out64;	/* float operands, float result binary64 */
};

#define FP_DIFF_INFO(name, kind, insn, in, out) \
	[FP_##name] = { insn, kind, in[0] == 'd', out[0] == 'd' },
static const struct op_info ops[FP_DIFF_NOPS] = {
	FP_DIFF_OPS(FP_DIFF_INFO)
};

static bool has_rm(enum kind k)
{
	return k == F1 || k == F2 || k == F3 || k == I1 || k == FI;
}

static char workdir[64];
static char prog[128];
static const char *skip_why;
static const char *fail_why;
static pid_t main_pid;

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name);
		if (access(buf, X_OK) == 0)
			return true;
		path = end ? end + 1 : NULL;
	}
	return false;
}

/* Build the RISC-V program once, before the harness forks the tests. */
static void __attribute__((constructor)) build_rv(void)
{
	char cmd[1024];

	main_pid = getpid();
	if (!in_path("clang") || !in_path("ld.lld") ||
	    !in_path("qemu-riscv64-static")) {
		skip_why = "needs clang, ld.lld and qemu-riscv64-static";
		return;
	}
	snprintf(workdir, sizeof(workdir), "/tmp/ogpu-fp-diff.XXXXXX");
	if (!mkdtemp(workdir)) {
		fail_why = "mkdtemp failed";
		return;
	}
	snprintf(prog, sizeof(prog), "%s/fp_diff_rv", workdir);
	snprintf(cmd, sizeof(cmd),
		 "clang --target=riscv64-unknown-elf -march=rv64g -mabi=lp64d "
		 "-O2 -ffreestanding -nostdlib -fuse-ld=lld -mno-relax -static "
		 "-o %s %s", prog, FP_DIFF_RV_SRC);
	if (system(cmd) != 0)
		fail_why = "cannot build " FP_DIFF_RV_SRC;
}

static void __attribute__((destructor)) clean_rv(void)
{
	char cmd[128];

	if (getpid() != main_pid || !workdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
}

/* xorshift64*: the cases are the same on every run with the same seed. */
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static const u32 special32[] = {
	0x00000000, 0x80000000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fc00001, 0x7fffffff,
	0x7f800001, 0xff800001, 0x7fa00000, 0x7fbfffff,
	0x00000001, 0x80000001, 0x007fffff, 0x807fffff,
	0x00800000, 0x80800000, 0x00800001, 0x00ffffff,
	0x7f7fffff, 0xff7fffff, 0x7f7ffffe, 0x7f000000,
	0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff,
	0x3f000000, 0xbf000000, 0x3fc00000, 0xbfc00000,
	0x40200000, 0xc0200000, 0x4b000000, 0x4b7fffff,
	0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001,
	0x4f7fffff, 0x4f800000, 0x5effffff, 0x5f000000,
	0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000,
	0x34000000, 0x33800000, 0x33800001, 0x40490fdb,
};

static const u64 special64[] = {
	0x0000000000000000, 0x8000000000000000,
	0x7ff0000000000000, 0xfff0000000000000,
	0x7ff8000000000000, 0xfff8000000000000,
	0x7ff8000000000001, 0x7fffffffffffffff,
	0x7ff0000000000001, 0xfff0000000000001,
	0x7ff4000000000000, 0x7ff7ffffffffffff,
	0x0000000000000001, 0x8000000000000001,
	0x000fffffffffffff, 0x800fffffffffffff,
	0x0010000000000000, 0x8010000000000000,
	0x0010000000000001, 0x001fffffffffffff,
	0x7fefffffffffffff, 0xffefffffffffffff,
	0x7feffffffffffffe, 0x7fe0000000000000,
	0x3ff0000000000000, 0xbff0000000000000,
	0x3ff0000000000001, 0x3fefffffffffffff,
	0x3fe0000000000000, 0xbfe0000000000000,
	0x3ff8000000000000, 0xbff8000000000000,
	0x4004000000000000, 0xc004000000000000,
	0x41dfffffffc00000, 0x41e0000000000000,
	0xc1e0000000000000, 0xc1e0000000200000,
	0xc1e0000000100000, 0x41dfffffffffffff,
	0x41efffffffe00000, 0x41f0000000000000,
	0x43dfffffffffffff, 0x43e0000000000000,
	0xc3e0000000000000, 0xc3e0000000000001,
	0x43efffffffffffff, 0x43f0000000000000,
	0x3ca0000000000000, 0x3c90000000000000,
	0x47efffffe0000000, 0x47efffffefffffff,
	0x47efffff00000000, 0x36a0000000000000,
	0x3690000000000000, 0x380fffffe0000000,
	0x3810000000000000, 0x37a0000000000000,
	0x400921fb54442d18, 0x7fe1ccf385ebc8a0,
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A random operand: specials, random bits, values near 1, near the
 * exponent's ends and near the integer bounds, and significands with few
 * bits set (which make exact results and ties).
 */
static u64 gen_float(bool d)
{
	const int fb = d ? 52 : 23, emax = d ? 0x7ff : 0xff, bias = emax >> 1;
	u64 sign = rnd() & 1, frac = rnd() & ((1ull << fb) - 1);
	int e;

	switch (rnd() % 16) {
	case 0: case 1: case 2: case 3:
		if (d)
			return special64[rnd() % ARRAY_LEN(special64)];
		return special32[rnd() % ARRAY_LEN(special32)];
	case 4: case 5:
		return d ? rnd() : (u32)rnd();
	case 6: case 7:
		e = bias - 3 + rnd() % 7;
		break;
	case 8:
		e = 0;
		if (rnd() & 1)
			frac >>= rnd() % fb;
		break;
	case 9:
		e = emax - 1 - rnd() % 4;
		break;
	case 10:
		e = 1 + rnd() % 4;
		break;
	case 11: case 12:
		e = 1 + rnd() % (emax - 1);
		frac &= ~0ull << (rnd() % (fb + 1));
		break;
	case 13:
		e = bias - 2 + rnd() % 68;
		frac &= ~0ull << (rnd() % (fb + 1));
		break;
	case 14:
		e = bias - fb * 2 + rnd() % (fb * 4);
		break;
	default:
		e = 1 + rnd() % (emax - 1);
		break;
	}
	return sign << (d ? 63 : 31) | (u64)e << fb | frac;
}

static u64 gen_int(void)
{
	u64 v = rnd();

	switch (rnd() % 8) {
	case 0:
		return rnd() % 64 - 32;
	case 1:
		return (1ull << (rnd() % 64)) + rnd() % 5 - 2;
	case 2:
		return (u32)v;
	case 3:
		return (s64)(s32)v;
	case 4:
		/* A few bits set: ties and exact conversions */
		return (v & (~0ull << (rnd() % 64))) >> (rnd() % 64);
	case 5:
		return -(v >> (rnd() % 64));
	default:
		return v;
	}
}

static u64 neg(u64 x, bool d)
{
	return x ^ (d ? 1ull << 63 : 1ull << 31);
}

/* Operands that cancel or nearly: b near -a, or b a few ulps away. */
static void gen_case(const struct op_info *o, struct fp_diff_in *in)
{
	const bool d = o->in64;
	u32 fl = 0;

	if (o->kind == FI || o->kind == FIN) {
		in->a = gen_int();
		in->b = in->c = 0;
		return;
	}
	in->a = gen_float(d);
	in->b = gen_float(d);
	in->c = gen_float(d);
	switch (rnd() % 8) {
	case 0:
		/* Nearly cancelling or nearly equal operands. */
		in->b = in->a + rnd() % 5 - 2;
		if (rnd() & 1)
			in->b = neg(in->b, d);
		break;
	case 1:
		/* Exponents fb + 1 or so apart: ties in additions. */
		in->b = (in->a & (d ? 0xfff0000000000000ull : 0xff800000)) -
			((u64)(rnd() % (d ? 56 : 27)) << (d ? 52 : 23));
		in->b |= gen_float(d) & (d ? 0xffull : 0xff);
		if (rnd() & 1)
			in->b = neg(in->b, d);
		break;
	case 2:
		/* fma: c cancels a * b exactly or nearly. */
		if (d)
			in->c = ogpu_f64_mul(in->a, in->b, rnd() % 5, &fl);
		else
			in->c = ogpu_f32_mul(in->a, in->b, rnd() % 5, &fl);
		in->c = neg(in->c + rnd() % 3 - 1, d);
		if (!d)
			in->c = (u32)in->c;
		break;
	case 3:
		/* Products near the smallest normal: tininess after rounding */
		in->c = (d ? 1ull << 52 : 1ull << 23) + rnd() % 5 - 2;
		if (d)
			in->b = ogpu_f64_div(in->c, in->a, rnd() % 5, &fl);
		else
			in->b = ogpu_f32_div(in->c, in->a, rnd() % 5, &fl);
		in->c = neg(in->c, d);
		break;
	default:
		break;
	}
	if (!d) {
		in->a = (u32)in->a;
		in->b = (u32)in->b;
	}
}

/* Our answer, in the form the RISC-V program gives it. */
static u64 ours(unsigned int op, const struct fp_diff_in *in, u32 rm,
		u32 *fl)
{
	const u64 a = in->a, b = in->b, c = in->c;
	const u64 n32 = 1u << 31, n64 = 1ull << 63;

	switch (op) {
	case FP_fadd_s: return ogpu_f32_add(a, b, rm, fl);
	case FP_fsub_s: return ogpu_f32_sub(a, b, rm, fl);
	case FP_fmul_s: return ogpu_f32_mul(a, b, rm, fl);
	case FP_fdiv_s: return ogpu_f32_div(a, b, rm, fl);
	case FP_fsqrt_s: return ogpu_f32_sqrt(a, rm, fl);
	case FP_fmadd_s: return ogpu_f32_fma(a, b, c, rm, fl);
	case FP_fmsub_s: return ogpu_f32_fma(a, b, c ^ n32, rm, fl);
	case FP_fnmsub_s: return ogpu_f32_fma(a ^ n32, b, c, rm, fl);
	case FP_fnmadd_s: return ogpu_f32_fma(a ^ n32, b, c ^ n32, rm, fl);
	case FP_fmin_s: return ogpu_f32_min(a, b, fl);
	case FP_fmax_s: return ogpu_f32_max(a, b, fl);
	case FP_feq_s: return ogpu_f32_eq(a, b, fl);
	case FP_flt_s: return ogpu_f32_lt(a, b, fl);
	case FP_fle_s: return ogpu_f32_le(a, b, fl);
	case FP_fclass_s: return ogpu_f32_class(a);
	case FP_fcvt_w_s: return (s64)ogpu_f32_to_i32(a, rm, fl);
	case FP_fcvt_wu_s: return (s64)(s32)ogpu_f32_to_u32(a, rm, fl);
	case FP_fcvt_l_s: return ogpu_f32_to_i64(a, rm, fl);
	case FP_fcvt_lu_s: return ogpu_f32_to_u64(a, rm, fl);
	case FP_fcvt_s_w: return ogpu_i32_to_f32(a, rm, fl);
	case FP_fcvt_s_wu: return ogpu_u32_to_f32(a, rm, fl);
	case FP_fcvt_s_l: return ogpu_i64_to_f32(a, rm, fl);
	case FP_fcvt_s_lu: return ogpu_u64_to_f32(a, rm, fl);
	case FP_fadd_d: return ogpu_f64_add(a, b, rm, fl);
	case FP_fsub_d: return ogpu_f64_sub(a, b, rm, fl);
	case FP_fmul_d: return ogpu_f64_mul(a, b, rm, fl);
	case FP_fdiv_d: return ogpu_f64_div(a, b, rm, fl);
	case FP_fsqrt_d: return ogpu_f64_sqrt(a, rm, fl);
	case FP_fmadd_d: return ogpu_f64_fma(a, b, c, rm, fl);
	case FP_fmsub_d: return ogpu_f64_fma(a, b, c ^ n64, rm, fl);
	case FP_fnmsub_d: return ogpu_f64_fma(a ^ n64, b, c, rm, fl);
	case FP_fnmadd_d: return ogpu_f64_fma(a ^ n64, b, c ^ n64, rm, fl);
	case FP_fmin_d: return ogpu_f64_min(a, b, fl);
	case FP_fmax_d: return ogpu_f64_max(a, b, fl);
	case FP_feq_d: return ogpu_f64_eq(a, b, fl);
	case FP_flt_d: return ogpu_f64_lt(a, b, fl);
	case FP_fle_d: return ogpu_f64_le(a, b, fl);
	case FP_fclass_d: return ogpu_f64_class(a);
	case FP_fcvt_w_d: return (s64)ogpu_f64_to_i32(a, rm, fl);
	case FP_fcvt_wu_d: return (s64)(s32)ogpu_f64_to_u32(a, rm, fl);
	case FP_fcvt_l_d: return ogpu_f64_to_i64(a, rm, fl);
	case FP_fcvt_lu_d: return ogpu_f64_to_u64(a, rm, fl);
	case FP_fcvt_d_w: return ogpu_i32_to_f64(a, rm, fl);
	case FP_fcvt_d_wu: return ogpu_u32_to_f64(a, rm, fl);
	case FP_fcvt_d_l: return ogpu_i64_to_f64(a, rm, fl);
	case FP_fcvt_d_lu: return ogpu_u64_to_f64(a, rm, fl);
	case FP_fcvt_d_s: return ogpu_f32_to_f64(a, fl);
	case FP_fcvt_s_d: return ogpu_f64_to_f32(a, rm, fl);
	}
	return ~0ull;
}

/*
 * The bits to compare: RV64 sign-extends 32-bit results in registers, and
 * the executor, not the library, does that (and the NaN-boxing).
 */
static u64 result_mask(const struct op_info *o)
{
	switch (o->kind) {
	case I2N:
	case I1N:
		return ~0ull;
	case I1:	/* FCVT.L[U] give 64 bits, FCVT.W[U] 32 */
		return strstr(o->name, ".l") ? ~0ull : 0xffffffffull;
	default:
		return o->out64 ? ~0ull : 0xffffffffull;
	}
}

static const char *const rm_names[] = {
	"rne", "rtz", "rdn", "rup", "rmm",
	"dyn:rne", "dyn:rtz", "dyn:rdn", "dyn:rup", "dyn:rmm",
};

static int write_all(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

/*
 * Run cases per instruction and rounding mode (both ways of giving it) of
 * every instruction in ops_list through qemu and through ours; returns
 * the number of mismatches, logging the first few.
 */
static int diff_ops(struct __test_metadata *_metadata, const int *ops_list,
		    int nops, u64 *compared, unsigned long long seen[6])
{
	int per = getenv("FP_DIFF_CASES") ? atoi(getenv("FP_DIFF_CASES")) :
		  10000;
	char in_path[128], out_path[128], cmd[512];
	struct fp_diff_in *in;
	struct fp_diff_out *out;
	size_t n = 0, cap = 0, i;
	int bad = 0, k, rm, j;
	FILE *f;

	if (fail_why) {
		TH_LOG("%s", fail_why);
		return 1;
	}
	rng_state = getenv("FP_DIFF_SEED") ?
		    strtoull(getenv("FP_DIFF_SEED"), NULL, 0) :
		    0x9e3779b97f4a7c15ull;
	rng_state ^= ops_list[0] * 0x100000001b3ull;

	for (k = 0; k < nops; k++)
		cap += (size_t)per * (has_rm(ops[ops_list[k]].kind) ? 10 : 4);
	in = calloc(cap, sizeof(*in));
	out = calloc(cap, sizeof(*out));
	if (!in || !out) {
		TH_LOG("out of memory");
		return 1;
	}
	for (k = 0; k < nops; k++) {
		const struct op_info *o = &ops[ops_list[k]];
		int nrm = has_rm(o->kind) ? 10 : 4;

		for (rm = 0; rm < nrm; rm++) {
			for (j = 0; j < per; j++, n++) {
				gen_case(o, &in[n]);
				in[n].op = ops_list[k];
				in[n].rm = rm;
			}
		}
	}

	snprintf(in_path, sizeof(in_path), "%s/in.%d", workdir, getpid());
	snprintf(out_path, sizeof(out_path), "%s/out.%d", workdir, getpid());
	f = fopen(in_path, "w");
	if (!f || write_all(f, in, n * sizeof(*in)) || fclose(f)) {
		TH_LOG("cannot write %s", in_path);
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "qemu-riscv64-static %s <%s >%s", prog,
		 in_path, out_path);
	if (system(cmd) != 0) {
		TH_LOG("%s failed", cmd);
		return 1;
	}
	f = fopen(out_path, "r");
	if (!f || fread(out, sizeof(*out), n, f) != n) {
		TH_LOG("short output from qemu");
		return 1;
	}
	fclose(f);
	unlink(in_path);
	unlink(out_path);

	for (i = 0; i < n; i++) {
		const struct op_info *o = &ops[in[i].op];
		u64 mask = result_mask(o);
		u32 fl = 0;
		u64 r = ours(in[i].op, &in[i], in[i].rm % 5, &fl) & mask;
		u64 mag = out[i].r & (o->out64 ? ~0ull >> 1 : 0x7fffffffull);

		for (k = 0; k < 5; k++)
			seen[k] += (out[i].flags >> k) & 1;
		/* Rounded up to the smallest normal: tiny only before. */
		seen[5] += o->kind <= F2N && (out[i].flags & OGPU_FP_NX) &&
			   mag == (o->out64 ? 1ull << 52 : 1ull << 23);

		if (r == (out[i].r & mask) && fl == out[i].flags)
			continue;
		if (bad++ < 12)
			TH_LOG("%s %s a=%#llx b=%#llx c=%#llx: qemu %#llx fl %#llx, ours %#llx fl %#x",
			       o->name, rm_names[in[i].rm],
			       (unsigned long long)in[i].a,
			       (unsigned long long)in[i].b,
			       (unsigned long long)in[i].c,
			       (unsigned long long)(out[i].r & mask),
			       (unsigned long long)out[i].flags,
			       (unsigned long long)r, fl);
	}
	*compared = n;
	free(in);
	free(out);
	return bad;
}

#define DIFF_TEST(test_name, ...) \
TEST(test_name) \
{ \
	static const int list[] = { __VA_ARGS__ }; \
	u64 compared = 0; \
	unsigned long long s[6] = { 0 }; \
	int bad; \
	\
	if (skip_why) \
		SKIP(return, "%s", skip_why); \
	bad = diff_ops(_metadata, list, ARRAY_LEN(list), &compared, s); \
	TH_LOG("%llu cases, %d mismatches; qemu raised NX %llu UF %llu OF %llu DZ %llu NV %llu, rounded to the smallest normal %llu", \
	       (unsigned long long)compared, bad, s[0], s[1], s[2], s[3], \
	       s[4], s[5]); \
	EXPECT_EQ(0, bad); \
}

DIFF_TEST(f32_add_sub_mul_div, FP_fadd_s, FP_fsub_s, FP_fmul_s, FP_fdiv_s)
DIFF_TEST(f32_sqrt, FP_fsqrt_s)
DIFF_TEST(f32_fma, FP_fmadd_s, FP_fmsub_s, FP_fnmsub_s, FP_fnmadd_s)
DIFF_TEST(f32_min_max_cmp_class, FP_fmin_s, FP_fmax_s, FP_feq_s, FP_flt_s,
	  FP_fle_s, FP_fclass_s)
DIFF_TEST(f32_to_int, FP_fcvt_w_s, FP_fcvt_wu_s, FP_fcvt_l_s, FP_fcvt_lu_s)
DIFF_TEST(int_to_f32, FP_fcvt_s_w, FP_fcvt_s_wu, FP_fcvt_s_l, FP_fcvt_s_lu)
DIFF_TEST(f64_add_sub_mul_div, FP_fadd_d, FP_fsub_d, FP_fmul_d, FP_fdiv_d)
DIFF_TEST(f64_sqrt, FP_fsqrt_d)
DIFF_TEST(f64_fma, FP_fmadd_d, FP_fmsub_d, FP_fnmsub_d, FP_fnmadd_d)
DIFF_TEST(f64_min_max_cmp_class, FP_fmin_d, FP_fmax_d, FP_feq_d, FP_flt_d,
	  FP_fle_d, FP_fclass_d)
DIFF_TEST(f64_to_int, FP_fcvt_w_d, FP_fcvt_wu_d, FP_fcvt_l_d, FP_fcvt_lu_d)
DIFF_TEST(int_to_f64, FP_fcvt_d_w, FP_fcvt_d_wu, FP_fcvt_d_l, FP_fcvt_d_lu)
DIFF_TEST(f32_f64_convert, FP_fcvt_d_s, FP_fcvt_s_d)

TEST_HARNESS_MAIN
