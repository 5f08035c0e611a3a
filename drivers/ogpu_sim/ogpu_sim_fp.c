// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU soft-float
 *
 * The compute units' F and D instructions, in integer C. Kernel code may
 * not use the FPU without kernel_fpu_begin(), and the host's FPU would not
 * give RISC-V's NaNs and flags anyway, so every operation takes and
 * returns bit patterns and ORs the RISC-V exception flags into *flags.
 *
 * One set of helpers serves both formats: each takes the number of
 * fraction bits (23 or 52) as a constant, and is always inlined, so the
 * compiler folds each into a binary32 or a binary64 version. A finite
 * operand is unpacked into a biased exponent and a significand with its
 * leading one at bit 23 or 52 (subnormals are normalized with a count of
 * leading zeros, their exponent going below 1). Every rounded result
 * then goes through round_pack(), which takes the exponent minus one and
 * a 64-bit significand with its leading one at bit 62 and the bits below
 * the result's last place jammed (any bit shifted out is ORed into bit 0).
 * round_pack() alone knows the rounding modes, overflow and underflow;
 * it detects tininess after rounding, as RISC-V does.
 *
 * Products and the sums in fused multiply-adds are exact before their
 * single rounding: in u64 for binary32, in u128 for binary64. binary64
 * division and square root need a 128 by 64-bit division, done with one
 * DIVQ on x86-64 (the only architecture the module builds on) and by
 * shift-and-subtract elsewhere, so that no libgcc helper is ever called.
 *
 * Every NaN result is the canonical NaN. A signaling NaN operand raises
 * NV; so do the invalid operations of IEEE 754, the ordered comparisons
 * FLT and FLE on any NaN, and conversions to integers that do not fit
 * (which saturate, NaN converting to the largest integer).
 */
#ifdef __KERNEL__
#include <linux/types.h>
#endif

#include "ogpu_sim_fp.h"

#define F32	23	/* fraction bits of binary32 */
#define F64	52	/* fraction bits of binary64 */

/* Largest biased exponent: that of the infinities and NaNs. */
static __always_inline s32 fp_emax(int fb)
{
	return fb == F64 ? 0x7ff : 0xff;
}

static __always_inline s32 fp_bias(int fb)
{
	return fp_emax(fb) >> 1;
}

static __always_inline int fp_sbit(int fb)
{
	return fb == F64 ? 63 : 31;
}

static __always_inline bool fp_sign(u64 x, int fb)
{
	return (x >> fp_sbit(fb)) & 1;
}

static __always_inline s32 fp_exp(u64 x, int fb)
{
	return (x >> fb) & fp_emax(fb);
}

static __always_inline u64 fp_frac(u64 x, int fb)
{
	return x & ((1ull << fb) - 1);
}

/* Magnitude: all but the sign bit. */
static __always_inline u64 fp_mag(u64 x, int fb)
{
	return x & ((1ull << fp_sbit(fb)) - 1);
}

static __always_inline u64 fp_pack(bool sign, u64 exp, u64 sig, int fb)
{
	/* '+': a significand's leading one carries into the exponent. */
	return ((u64)sign << fp_sbit(fb)) + (exp << fb) + sig;
}

static __always_inline u64 fp_inf(bool sign, int fb)
{
	return fp_pack(sign, fp_emax(fb), 0, fb);
}

static __always_inline u64 fp_default_nan(int fb)
{
	return fb == F64 ? OGPU_F64_CANONICAL_NAN : OGPU_F32_CANONICAL_NAN;
}

static __always_inline bool fp_is_inf(u64 x, int fb)
{
	return fp_exp(x, fb) == fp_emax(fb) && !fp_frac(x, fb);
}

static __always_inline bool fp_is_nan(u64 x, int fb)
{
	return fp_exp(x, fb) == fp_emax(fb) && fp_frac(x, fb);
}

static __always_inline bool fp_is_snan(u64 x, int fb)
{
	return fp_is_nan(x, fb) && !((x >> (fb - 1)) & 1);
}

static __always_inline bool fp_is_zero(u64 x, int fb)
{
	return !fp_mag(x, fb);
}

/* The canonical NaN, raising NV if either operand is a signaling NaN. */
static __always_inline u64 fp_nan2(u64 a, u64 b, int fb, u32 *flags)
{
	if (fp_is_snan(a, fb) || fp_is_snan(b, fb))
		*flags |= OGPU_FP_NV;
	return fp_default_nan(fb);
}

static __always_inline u64 fp_invalid(int fb, u32 *flags)
{
	*flags |= OGPU_FP_NV;
	return fp_default_nan(fb);
}

/*
 * A finite non-zero operand's biased exponent and significand, the leading
 * one at bit fb; a subnormal's exponent comes out below 1.
 */
static __always_inline void fp_unpack(u64 x, int fb, s32 *exp, u64 *sig)
{
	s32 e = fp_exp(x, fb);
	u64 f = fp_frac(x, fb);
	int shift;

	if (e) {
		*exp = e;
		*sig = f | 1ull << fb;
		return;
	}
	shift = __builtin_clzll(f) - (63 - fb);
	*exp = 1 - shift;
	*sig = f << shift;
}

/* x >> dist, ORing any bit shifted out into bit 0; x < 2^63, no branch. */
static __always_inline u64 shift_right_jam64(u64 x, u32 dist)
{
	dist = dist < 63 ? dist : 63;
	return x >> dist | ((x & ((1ull << dist) - 1)) != 0);
}

static __always_inline u128 shift_right_jam128(u128 x, u32 dist)
{
	if (!dist)
		return x;
	if (dist >= 128)
		return x != 0;
	return x >> dist | ((x << (128 - dist)) != 0);
}

static __always_inline int clz128(u128 x)
{
	u64 hi = x >> 64;

	return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((u64)x);
}

/*
 * Round and pack: the value is sig * 2^(exp + 1 - bias - 62), sig having
 * its leading one at bit 62 and its low 62 - fb bits being the rounding
 * bits, jammed.
 */
static __always_inline u64 round_pack(int fb, bool sign, s32 exp, u64 sig,
				      u32 rm, u32 *flags)
{
	const int sh = 62 - fb;
	const u64 half = 1ull << (sh - 1);
	const u64 mask = (1ull << sh) - 1;
	const s32 emax = fp_emax(fb);
	u64 inc, rbits;

	if (rm == OGPU_FP_RNE || rm == OGPU_FP_RMM)
		inc = half;
	else if (rm == (sign ? OGPU_FP_RDN : OGPU_FP_RUP))
		inc = mask;
	else
		inc = 0;
	rbits = sig & mask;
	if ((u32)exp >= (u32)(emax - 2)) {
		if (exp < 0) {
			/*
			 * Tiny if it stays below the smallest normal once
			 * rounded with an unbounded exponent.
			 */
			bool tiny = exp < -1 || sig + inc < (1ull << 63);

			sig = shift_right_jam64(sig, -exp);
			exp = 0;
			rbits = sig & mask;
			if (tiny && rbits)
				*flags |= OGPU_FP_UF;
		} else if (exp > emax - 2 || sig + inc >= (1ull << 63)) {
			*flags |= OGPU_FP_OF | OGPU_FP_NX;
			/*
			 * Infinity, or the largest finite number when
			 * rounding toward zero.
			 */
			return fp_inf(sign, fb) - !inc;
		}
	}
	/* Branch-free: whether a result is exact is hard to predict. */
	*flags |= (rbits != 0) * OGPU_FP_NX;
	sig = (sig + inc) >> sh;
	sig &= ~(u64)(rm == OGPU_FP_RNE && rbits == half);
	return fp_pack(sign, exp, sig, fb);
}

/* (hi:lo) / d, for hi < d; the remainder goes to *rem. */
static inline u64 udiv128(u64 hi, u64 lo, u64 d, u64 *rem)
{
#if defined(__x86_64__)
	u64 q, r;

	asm("divq %4" : "=a" (q), "=d" (r) : "a" (lo), "d" (hi), "rm" (d));
	*rem = r;
	return q;
#else
	u64 q = 0;
	int i;

	for (i = 0; i < 64; i++) {
		bool top = hi >> 63;

		hi = hi << 1 | lo >> 63;
		lo <<= 1;
		q <<= 1;
		if (top || hi >= d) {
			hi -= d;
			q |= 1;
		}
	}
	*rem = hi;
	return q;
#endif
}

static __always_inline u64 fp_add(int fb, u64 a, u64 b, u32 rm, u32 *flags)
{
	const s32 emax = fp_emax(fb);
	bool sa = fp_sign(a, fb), sb = fp_sign(b, fb), sub = sa != sb;
	s32 ea = fp_exp(a, fb), eb = fp_exp(b, fb);
	u64 ma, mb, s;
	int lz;

	if (ea == emax || eb == emax) {
		if (fp_is_nan(a, fb) || fp_is_nan(b, fb))
			return fp_nan2(a, b, fb, flags);
		if (ea == eb && sub)
			return fp_invalid(fb, flags);	/* inf - inf */
		return ea == emax ? a : b;
	}
	if (fp_is_zero(b, fb)) {
		if (fp_is_zero(a, fb) && sub)
			return fp_pack(rm == OGPU_FP_RDN, 0, 0, fb);
		return a;
	}
	if (fp_is_zero(a, fb))
		return b;

	/* The larger magnitude first: their bits order them as integers. */
	if (fp_mag(a, fb) < fp_mag(b, fb)) {
		u64 t = a;

		a = b;
		b = t;
		sa = sb;	/* the result takes the larger one's sign */
	}
	fp_unpack(a, fb, &ea, &ma);
	fp_unpack(b, fb, &eb, &mb);
	ma <<= 61 - fb;
	/* The smaller one loses at most bits below the guard bits. */
	mb = shift_right_jam64(mb << (61 - fb), ea - eb);
	s = sub ? ma - mb : ma + mb;
	if (!s)
		return fp_pack(rm == OGPU_FP_RDN, 0, 0, fb);
	/* s < 2^63; bring its leading one to bit 62. */
	lz = __builtin_clzll(s);
	return round_pack(fb, sa, ea + 63 - lz - 62, s << (lz - 1), rm, flags);
}

static __always_inline u64 fp_mul(int fb, u64 a, u64 b, u32 rm, u32 *flags)
{
	const s32 emax = fp_emax(fb);
	bool sign = fp_sign(a, fb) ^ fp_sign(b, fb);
	s32 ea = fp_exp(a, fb), eb = fp_exp(b, fb), exp;
	u64 ma, mb, sig, top;

	if (ea == emax || eb == emax) {
		if (fp_is_nan(a, fb) || fp_is_nan(b, fb))
			return fp_nan2(a, b, fb, flags);
		if (fp_is_zero(a, fb) || fp_is_zero(b, fb))
			return fp_invalid(fb, flags);	/* inf * 0 */
		return fp_inf(sign, fb);
	}
	if (fp_is_zero(a, fb) || fp_is_zero(b, fb))
		return fp_pack(sign, 0, 0, fb);

	fp_unpack(a, fb, &ea, &ma);
	fp_unpack(b, fb, &eb, &mb);
	exp = ea + eb - fp_bias(fb) - 1;
	if (fb == F64) {
		u128 p = (u128)ma * mb;	/* leading one at bit 104 or 105 */

		sig = (u64)(p >> 42) | ((u64)p << 22 != 0);
	} else {
		sig = ma * mb << 16;	/* leading one at bit 62 or 63 */
	}
	/* A product of 2 or more: one more shift, jamming, without a branch. */
	top = sig >> 63;
	sig = sig >> top | (sig & top);
	return round_pack(fb, sign, exp + top, sig, rm, flags);
}

static __always_inline u64 fp_div(int fb, u64 a, u64 b, u32 rm, u32 *flags)
{
	const s32 emax = fp_emax(fb);
	bool sign = fp_sign(a, fb) ^ fp_sign(b, fb);
	s32 ea = fp_exp(a, fb), eb = fp_exp(b, fb), exp;
	u64 ma, mb, q, r, lt;

	if (ea == emax || eb == emax) {
		if (fp_is_nan(a, fb) || fp_is_nan(b, fb))
			return fp_nan2(a, b, fb, flags);
		if (ea == eb)
			return fp_invalid(fb, flags);	/* inf / inf */
		return ea == emax ? fp_inf(sign, fb) : fp_pack(sign, 0, 0, fb);
	}
	if (fp_is_zero(b, fb)) {
		if (fp_is_zero(a, fb))
			return fp_invalid(fb, flags);	/* 0 / 0 */
		*flags |= OGPU_FP_DZ;
		return fp_inf(sign, fb);
	}
	if (fp_is_zero(a, fb))
		return fp_pack(sign, 0, 0, fb);

	fp_unpack(a, fb, &ea, &ma);
	fp_unpack(b, fb, &eb, &mb);
	exp = ea - eb + fp_bias(fb) - 1;
	lt = ma < mb;		/* make the quotient 1 or more */
	ma <<= lt;
	exp -= lt;
	if (fb == F64) {
		/* (ma << 62) / mb is in [2^62, 2^63). */
		q = udiv128(ma >> 2, ma << 62, mb, &r);
	} else {
		q = (ma << 39) / mb;	/* [2^39, 2^40) */
		r = (ma << 39) - q * mb;
		q <<= 23;
	}
	return round_pack(fb, sign, exp, q | (r != 0), rm, flags);
}

/*
 * ceil(sqrt((i + 17) * 2^56)): Newton's iterations for an integer square
 * root start from an estimate at most 3% above the root, and only fall.
 */
static const u32 sqrt_start[48] = {
	0x41f83d9b, 0x43e1db34, 0x45be0cd2, 0x478dde6f,
	0x49523ae5, 0x4b0bf166, 0x4cbbb9d6, 0x4e623851,
	0x50000000, 0x5195957d, 0x532370ba, 0x54a9fea8,
	0x5629a293, 0x57a2b749, 0x59159016, 0x5a82799a,
	0x5be9ba86, 0x5d4b9437, 0x5ea84347, 0x60000000,
	0x6152fece, 0x62a17094, 0x63eb8306, 0x653160ec,
	0x66733267, 0x67b11d29, 0x68eb44a9, 0x6a21ca50,
	0x6b54cda6, 0x6c846c72, 0x6db0c2e1, 0x6ed9eba2,
	0x70000000, 0x71231801, 0x72434a75, 0x7360ad12,
	0x747b5482, 0x75935479, 0x76a8bfbf, 0x77bba846,
	0x78cc1f32, 0x79da34e7, 0x7ae5f916, 0x7bef7ac6,
	0x7cf6c85e, 0x7dfbefaf, 0x7efefdfb, 0x80000000,
};

/* floor(sqrt(n)) and whether it is exact, for 2^60 <= n < 2^62. */
static inline u64 isqrt64(u64 n, bool *exact)
{
	u64 x = sqrt_start[(n >> 56) - 16], y;

	for (;;) {
		y = (x + n / x) >> 1;
		if (y >= x)
			break;
		x = y;
	}
	*exact = x * x == n;
	return x;
}

/* The same for 2^118 <= n < 2^120. */
static inline u64 isqrt128(u128 n, bool *exact)
{
	u64 x = (u64)sqrt_start[(u64)(n >> 114) - 16] << 29, y, r;

	for (;;) {
		y = (x + udiv128(n >> 64, (u64)n, x, &r)) >> 1;
		if (y >= x)
			break;
		x = y;
	}
	*exact = (u128)x * x == n;
	return x;
}

static __always_inline u64 fp_sqrt(int fb, u64 a, u32 rm, u32 *flags)
{
	s32 e, k;
	u64 m, sig;
	bool exact;

	if (fp_is_nan(a, fb))
		return fp_nan2(a, a, fb, flags);
	if (fp_is_zero(a, fb))
		return a;
	if (fp_sign(a, fb))
		return fp_invalid(fb, flags);
	if (fp_is_inf(a, fb))
		return a;

	fp_unpack(a, fb, &e, &m);
	k = e - fp_bias(fb);
	if (k & 1) {
		m <<= 1;
		k--;
	}
	/*
	 * The root's leading one, at bit 59 or 30 before the shift to 62,
	 * stands for 2^(k / 2).
	 */
	if (fb == F64)
		sig = isqrt128((u128)m << 66, &exact) << 3;
	else
		sig = isqrt64(m << 37, &exact) << 32;
	return round_pack(fb, 0, k / 2 + fp_bias(fb) - 1, sig | (u64)!exact, rm,
			  flags);
}

/*
 * The sum in binary32's fma, in 64 bits: the product p exactly, its
 * 2^(pe - bias) at bit 60, and c likewise. The product's low 14 bits and
 * c's low 37 are zero, so the jamming loses bits only when one addend is
 * so far below the other that they are all below the guard bits.
 */
static u64 fma32_sum(bool sp, s32 pe, u64 p, u64 c, u32 rm, u32 *flags)
{
	bool sc = fp_sign(c, F32), sign = sp;
	s32 ec, e = pe;
	u64 mc, cw, s;
	int lz;

	p <<= 60 - 2 * F32;
	if (fp_is_zero(c, F32)) {
		s = p;
	} else {
		fp_unpack(c, F32, &ec, &mc);
		cw = mc << (60 - F32);
		if (pe >= ec) {
			cw = shift_right_jam64(cw, pe - ec);
		} else {
			p = shift_right_jam64(p, ec - pe);
			e = ec;
		}
		if (sp == sc) {
			s = p + cw;
		} else if (p >= cw) {
			s = p - cw;
		} else {
			s = cw - p;
			sign = sc;
		}
		if (!s)
			return fp_pack(rm == OGPU_FP_RDN, 0, 0, F32);
	}
	/* s < 2^63; bring its leading one to bit 62. */
	lz = __builtin_clzll(s);
	return round_pack(F32, sign, e + 2 - lz, s << (lz - 1), rm, flags);
}

static __always_inline u64 fp_fma(int fb, u64 a, u64 b, u64 c, u32 rm,
				  u32 *flags)
{
	bool sp = fp_sign(a, fb) ^ fp_sign(b, fb), sc = fp_sign(c, fb), sign;
	bool a_inf = fp_is_inf(a, fb), b_inf = fp_is_inf(b, fb);
	bool a_zero = fp_is_zero(a, fb), b_zero = fp_is_zero(b, fb);
	bool inf_zero = (a_inf && b_zero) || (a_zero && b_inf);
	s32 ea, eb, ec, pe, e;
	u64 ma, mb, mc, sig;
	u128 p, cw, s;
	int l;

	if (fp_is_nan(a, fb) || fp_is_nan(b, fb) || fp_is_nan(c, fb)) {
		/* RISC-V: inf * 0 is invalid even when c is a quiet NaN. */
		if (inf_zero || fp_is_snan(c, fb))
			*flags |= OGPU_FP_NV;
		return fp_nan2(a, b, fb, flags);
	}
	if (inf_zero)
		return fp_invalid(fb, flags);
	if (a_inf || b_inf) {
		if (fp_is_inf(c, fb) && sc != sp)
			return fp_invalid(fb, flags);
		return fp_inf(sp, fb);
	}
	if (fp_is_inf(c, fb))
		return c;
	if (a_zero || b_zero) {
		if (fp_is_zero(c, fb))
			return fp_pack(sp == sc ? sc : rm == OGPU_FP_RDN, 0, 0,
				       fb);
		return c;
	}

	fp_unpack(a, fb, &ea, &ma);
	fp_unpack(b, fb, &eb, &mb);
	pe = ea + eb - fp_bias(fb);
	if (fb == F32)
		return fma32_sum(sp, pe, ma * mb, c, rm, flags);

	/*
	 * Both addends in one frame, their leading ones near bit 125: the
	 * product exactly, its 2^(pe - bias) at bit 125, and c likewise.
	 */
	p = (u128)ma * mb << (125 - 2 * fb);
	e = pe;
	sign = sp;
	if (fp_is_zero(c, fb)) {
		s = p;
	} else {
		fp_unpack(c, fb, &ec, &mc);
		cw = (u128)mc << (125 - fb);
		/*
		 * The low 21 bits of both are zero, so the jamming loses
		 * bits only when the smaller is far below the larger.
		 */
		if (pe >= ec) {
			cw = shift_right_jam128(cw, pe - ec);
		} else {
			p = shift_right_jam128(p, ec - pe);
			e = ec;
		}
		if (sp == sc) {
			s = p + cw;
		} else if (p >= cw) {
			s = p - cw;
		} else {
			s = cw - p;
			sign = sc;
		}
		if (!s)
			return fp_pack(rm == OGPU_FP_RDN, 0, 0, fb);
	}
	l = 127 - clz128(s);
	if (l >= 62)
		sig = (u64)shift_right_jam128(s, l - 62);
	else
		sig = (u64)s << (62 - l);
	return round_pack(fb, sign, e + l - 126, sig, rm, flags);
}

/* a < b in the order where -0 < +0; neither is a NaN. */
static __always_inline bool fp_total_lt(u64 a, u64 b, int fb)
{
	bool sa = fp_sign(a, fb), sb = fp_sign(b, fb);

	if (sa != sb)
		return sa;
	return a != b && (sa ^ (a < b));
}

static __always_inline u64 fp_minmax(int fb, u64 a, u64 b, bool max,
				     u32 *flags)
{
	bool an = fp_is_nan(a, fb), bn = fp_is_nan(b, fb);

	if (an || bn) {
		if (fp_is_snan(a, fb) || fp_is_snan(b, fb))
			*flags |= OGPU_FP_NV;
		if (an && bn)
			return fp_default_nan(fb);
		return an ? b : a;
	}
	return fp_total_lt(a, b, fb) ^ max ? a : b;
}

static __always_inline int fp_eq(int fb, u64 a, u64 b, u32 *flags)
{
	if (fp_is_nan(a, fb) || fp_is_nan(b, fb)) {
		if (fp_is_snan(a, fb) || fp_is_snan(b, fb))
			*flags |= OGPU_FP_NV;
		return 0;
	}
	return a == b || !fp_mag(a | b, fb);
}

static __always_inline int fp_lt(int fb, u64 a, u64 b, u32 *flags)
{
	if (fp_is_nan(a, fb) || fp_is_nan(b, fb)) {
		*flags |= OGPU_FP_NV;
		return 0;
	}
	if (!fp_mag(a | b, fb))
		return 0;
	return fp_total_lt(a, b, fb);
}

static __always_inline int fp_le(int fb, u64 a, u64 b, u32 *flags)
{
	if (fp_is_nan(a, fb) || fp_is_nan(b, fb)) {
		*flags |= OGPU_FP_NV;
		return 0;
	}
	return !fp_mag(a | b, fb) || !fp_total_lt(b, a, fb);
}

static __always_inline u32 fp_class(int fb, u64 a)
{
	bool sign = fp_sign(a, fb);
	s32 e = fp_exp(a, fb);

	if (e == fp_emax(fb)) {
		if (!fp_frac(a, fb))
			return sign ? 1u << 0 : 1u << 7;
		return fp_is_snan(a, fb) ? 1u << 8 : 1u << 9;
	}
	if (e)
		return sign ? 1u << 1 : 1u << 6;
	if (fp_frac(a, fb))
		return sign ? 1u << 2 : 1u << 5;
	return sign ? 1u << 3 : 1u << 4;
}

/*
 * Conversion to a bits-wide integer, saturating: NaN gives the largest
 * value, the out-of-range the nearest bound, each with NV only.
 */
static __always_inline u64 fp_to_int(int fb, u64 a, u32 rm, u32 *flags,
				     int bits, bool is_signed)
{
	const u64 umax = bits == 64 ? ~0ull : (1ull << bits) - 1;
	const u64 lim = 1ull << (bits - 1);	/* |INT_MIN| */
	bool sign = fp_sign(a, fb), up;
	s32 e = fp_exp(a, fb), x;
	u64 m, mag, fr;

	if (fp_is_nan(a, fb)) {
		*flags |= OGPU_FP_NV;
		return is_signed ? lim - 1 : umax;
	}
	if (fp_is_zero(a, fb))
		return 0;
	m = fp_frac(a, fb);
	if (e)
		m |= 1ull << fb;
	else
		e = 1;
	x = e - fp_bias(fb);		/* |a| is in [2^x, 2^(x + 1)) */
	if (x >= 64)
		goto overflow;
	if (x >= fb) {
		mag = m << (x - fb);
		fr = 0;
	} else {
		u32 d = fb - x;		/* >= 1 */

		if (d < 64) {
			mag = m >> d;
			fr = m << (64 - d);	/* the fraction, 0.64 */
		} else {
			mag = 0;
			fr = 1;		/* below a half */
		}
		switch (rm) {
		case OGPU_FP_RNE:
			up = fr > 1ull << 63 || (fr == 1ull << 63 && (mag & 1));
			break;
		case OGPU_FP_RMM:
			up = fr >= 1ull << 63;
			break;
		case OGPU_FP_RDN:
			up = sign && fr;
			break;
		case OGPU_FP_RUP:
			up = !sign && fr;
			break;
		default:
			up = false;
			break;
		}
		mag += up;
	}
	if (is_signed) {
		if (sign ? mag > lim : mag >= lim)
			goto overflow;
	} else {
		if (sign && mag)
			goto overflow;
		if (mag > umax)
			goto overflow;
	}
	if (fr)
		*flags |= OGPU_FP_NX;
	return sign ? -mag : mag;

overflow:
	*flags |= OGPU_FP_NV;
	if (is_signed)
		return sign ? -lim : lim - 1;
	return sign ? 0 : umax;
}

static __always_inline u64 int_to_fp(int fb, bool sign, u64 mag, u32 rm,
				     u32 *flags)
{
	int lz;
	u64 sig;

	if (!mag)
		return 0;
	lz = __builtin_clzll(mag);
	if (lz)
		sig = mag << (lz - 1);
	else
		sig = mag >> 1 | (mag & 1);
	return round_pack(fb, sign, fp_bias(fb) + 63 - lz - 1, sig, rm, flags);
}

/**
 * ogpu_f32_add() - FADD.S: @a + @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_add(u32 a, u32 b, u32 rm, u32 *flags)
{
	return fp_add(F32, a, b, rm, flags);
}

/**
 * ogpu_f32_sub() - FSUB.S: @a - @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_sub(u32 a, u32 b, u32 rm, u32 *flags)
{
	return fp_add(F32, a, b ^ 0x80000000u, rm, flags);
}

/**
 * ogpu_f32_mul() - FMUL.S: @a * @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_mul(u32 a, u32 b, u32 rm, u32 *flags)
{
	return fp_mul(F32, a, b, rm, flags);
}

/**
 * ogpu_f32_div() - FDIV.S: @a / @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_div(u32 a, u32 b, u32 rm, u32 *flags)
{
	return fp_div(F32, a, b, rm, flags);
}

/**
 * ogpu_f32_sqrt() - FSQRT.S: the square root of @a
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_sqrt(u32 a, u32 rm, u32 *flags)
{
	return fp_sqrt(F32, a, rm, flags);
}

/**
 * ogpu_f32_fma() - FMADD.S: @a * @b + @c, rounded once
 * @a: multiplicand
 * @b: multiplier
 * @c: addend
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * An infinity times a zero raises NV even when @c is a quiet NaN. The
 * caller makes FMSUB, FNMSUB and FNMADD by flipping operands' signs.
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_fma(u32 a, u32 b, u32 c, u32 rm, u32 *flags)
{
	return fp_fma(F32, a, b, c, rm, flags);
}

/**
 * ogpu_f32_min() - FMIN.S: the smaller of @a and @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * As the F extension 2.2 specifies: -0 is less than +0, a NaN operand
 * gives the other operand and two give the canonical NaN; a signaling
 * NaN raises NV.
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_min(u32 a, u32 b, u32 *flags)
{
	return fp_minmax(F32, a, b, false, flags);
}

/**
 * ogpu_f32_max() - FMAX.S: the larger of @a and @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * As the F extension 2.2 specifies: -0 is less than +0, a NaN operand
 * gives the other operand and two give the canonical NaN; a signaling
 * NaN raises NV.
 *
 * Return: the bits of the result.
 */
u32 ogpu_f32_max(u32 a, u32 b, u32 *flags)
{
	return fp_minmax(F32, a, b, true, flags);
}

/**
 * ogpu_f32_eq() - FEQ.S: whether @a equals @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Quiet: raises NV only for a signaling NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f32_eq(u32 a, u32 b, u32 *flags)
{
	return fp_eq(F32, a, b, flags);
}

/**
 * ogpu_f32_lt() - FLT.S: whether @a is less than @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Signaling: raises NV for any NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f32_lt(u32 a, u32 b, u32 *flags)
{
	return fp_lt(F32, a, b, flags);
}

/**
 * ogpu_f32_le() - FLE.S: whether @a is at most @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Signaling: raises NV for any NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f32_le(u32 a, u32 b, u32 *flags)
{
	return fp_le(F32, a, b, flags);
}

/**
 * ogpu_f32_class() - FCLASS.S: the class of @a
 * @a: the operand
 *
 * Return: the FCLASS mask, one of bits 0 to 9.
 */
u32 ogpu_f32_class(u32 a)
{
	return fp_class(F32, a);
}

/**
 * ogpu_f32_to_i32() - FCVT.W.S: to a signed 32-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
s32 ogpu_f32_to_i32(u32 a, u32 rm, u32 *flags)
{
	return (s32)fp_to_int(F32, a, rm, flags, 32, true);
}

/**
 * ogpu_f32_to_u32() - FCVT.WU.S: to an unsigned 32-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
u32 ogpu_f32_to_u32(u32 a, u32 rm, u32 *flags)
{
	return fp_to_int(F32, a, rm, flags, 32, false);
}

/**
 * ogpu_f32_to_i64() - FCVT.L.S: to a signed 64-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
s64 ogpu_f32_to_i64(u32 a, u32 rm, u32 *flags)
{
	return (s64)fp_to_int(F32, a, rm, flags, 64, true);
}

/**
 * ogpu_f32_to_u64() - FCVT.LU.S: to an unsigned 64-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
u64 ogpu_f32_to_u64(u32 a, u32 rm, u32 *flags)
{
	return fp_to_int(F32, a, rm, flags, 64, false);
}

/**
 * ogpu_i32_to_f32() - FCVT.S.W: signed 32-bit integer to binary32
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_i32_to_f32(s32 a, u32 rm, u32 *flags)
{
	return int_to_fp(F32, a < 0, a < 0 ? -(u64)a : (u64)a, rm, flags);
}

/**
 * ogpu_u32_to_f32() - FCVT.S.WU: unsigned 32-bit integer to binary32
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_u32_to_f32(u32 a, u32 rm, u32 *flags)
{
	return int_to_fp(F32, false, a, rm, flags);
}

/**
 * ogpu_i64_to_f32() - FCVT.S.L: signed 64-bit integer to binary32
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_i64_to_f32(s64 a, u32 rm, u32 *flags)
{
	return int_to_fp(F32, a < 0, a < 0 ? -(u64)a : (u64)a, rm, flags);
}

/**
 * ogpu_u64_to_f32() - FCVT.S.LU: unsigned 64-bit integer to binary32
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_u64_to_f32(u64 a, u32 rm, u32 *flags)
{
	return int_to_fp(F32, false, a, rm, flags);
}

/**
 * ogpu_f64_add() - FADD.D: @a + @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_add(u64 a, u64 b, u32 rm, u32 *flags)
{
	return fp_add(F64, a, b, rm, flags);
}

/**
 * ogpu_f64_sub() - FSUB.D: @a - @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_sub(u64 a, u64 b, u32 rm, u32 *flags)
{
	return fp_add(F64, a, b ^ (1ull << 63), rm, flags);
}

/**
 * ogpu_f64_mul() - FMUL.D: @a * @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_mul(u64 a, u64 b, u32 rm, u32 *flags)
{
	return fp_mul(F64, a, b, rm, flags);
}

/**
 * ogpu_f64_div() - FDIV.D: @a / @b
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_div(u64 a, u64 b, u32 rm, u32 *flags)
{
	return fp_div(F64, a, b, rm, flags);
}

/**
 * ogpu_f64_sqrt() - FSQRT.D: the square root of @a
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_sqrt(u64 a, u32 rm, u32 *flags)
{
	return fp_sqrt(F64, a, rm, flags);
}

/**
 * ogpu_f64_fma() - FMADD.D: @a * @b + @c, rounded once
 * @a: multiplicand
 * @b: multiplier
 * @c: addend
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * An infinity times a zero raises NV even when @c is a quiet NaN. The
 * caller makes FMSUB, FNMSUB and FNMADD by flipping operands' signs.
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_fma(u64 a, u64 b, u64 c, u32 rm, u32 *flags)
{
	return fp_fma(F64, a, b, c, rm, flags);
}

/**
 * ogpu_f64_min() - FMIN.D: the smaller of @a and @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * As the F extension 2.2 specifies: -0 is less than +0, a NaN operand
 * gives the other operand and two give the canonical NaN; a signaling
 * NaN raises NV.
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_min(u64 a, u64 b, u32 *flags)
{
	return fp_minmax(F64, a, b, false, flags);
}

/**
 * ogpu_f64_max() - FMAX.D: the larger of @a and @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * As the F extension 2.2 specifies: -0 is less than +0, a NaN operand
 * gives the other operand and two give the canonical NaN; a signaling
 * NaN raises NV.
 *
 * Return: the bits of the result.
 */
u64 ogpu_f64_max(u64 a, u64 b, u32 *flags)
{
	return fp_minmax(F64, a, b, true, flags);
}

/**
 * ogpu_f64_eq() - FEQ.D: whether @a equals @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Quiet: raises NV only for a signaling NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f64_eq(u64 a, u64 b, u32 *flags)
{
	return fp_eq(F64, a, b, flags);
}

/**
 * ogpu_f64_lt() - FLT.D: whether @a is less than @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Signaling: raises NV for any NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f64_lt(u64 a, u64 b, u32 *flags)
{
	return fp_lt(F64, a, b, flags);
}

/**
 * ogpu_f64_le() - FLE.D: whether @a is at most @b
 * @a: first operand
 * @b: second operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Signaling: raises NV for any NaN.
 *
 * Return: 1 or 0.
 */
int ogpu_f64_le(u64 a, u64 b, u32 *flags)
{
	return fp_le(F64, a, b, flags);
}

/**
 * ogpu_f64_class() - FCLASS.D: the class of @a
 * @a: the operand
 *
 * Return: the FCLASS mask, one of bits 0 to 9.
 */
u32 ogpu_f64_class(u64 a)
{
	return fp_class(F64, a);
}

/**
 * ogpu_f64_to_i32() - FCVT.W.D: to a signed 32-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
s32 ogpu_f64_to_i32(u64 a, u32 rm, u32 *flags)
{
	return (s32)fp_to_int(F64, a, rm, flags, 32, true);
}

/**
 * ogpu_f64_to_u32() - FCVT.WU.D: to an unsigned 32-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
u32 ogpu_f64_to_u32(u64 a, u32 rm, u32 *flags)
{
	return fp_to_int(F64, a, rm, flags, 32, false);
}

/**
 * ogpu_f64_to_i64() - FCVT.L.D: to a signed 64-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
s64 ogpu_f64_to_i64(u64 a, u32 rm, u32 *flags)
{
	return (s64)fp_to_int(F64, a, rm, flags, 64, true);
}

/**
 * ogpu_f64_to_u64() - FCVT.LU.D: to an unsigned 64-bit integer
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Out of range, the result saturates to the nearest bound and raises NV
 * and not NX; NaN gives the largest integer. An unsigned conversion of a
 * negative operand that does not round to 0 gives 0.
 *
 * Return: the integer; NaN gives the largest.
 */
u64 ogpu_f64_to_u64(u64 a, u32 rm, u32 *flags)
{
	return fp_to_int(F64, a, rm, flags, 64, false);
}

/**
 * ogpu_i32_to_f64() - FCVT.D.W: signed 32-bit integer to binary64
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_i32_to_f64(s32 a, u32 rm, u32 *flags)
{
	return int_to_fp(F64, a < 0, a < 0 ? -(u64)a : (u64)a, rm, flags);
}

/**
 * ogpu_u32_to_f64() - FCVT.D.WU: unsigned 32-bit integer to binary64
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_u32_to_f64(u32 a, u32 rm, u32 *flags)
{
	return int_to_fp(F64, false, a, rm, flags);
}

/**
 * ogpu_i64_to_f64() - FCVT.D.L: signed 64-bit integer to binary64
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_i64_to_f64(s64 a, u32 rm, u32 *flags)
{
	return int_to_fp(F64, a < 0, a < 0 ? -(u64)a : (u64)a, rm, flags);
}

/**
 * ogpu_u64_to_f64() - FCVT.D.LU: unsigned 64-bit integer to binary64
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u64 ogpu_u64_to_f64(u64 a, u32 rm, u32 *flags)
{
	return int_to_fp(F64, false, a, rm, flags);
}

/**
 * ogpu_f32_to_f64() - FCVT.D.S: @a to binary64
 * @a: the operand
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Exact; a NaN gives the canonical NaN, raising NV if it signals.
 *
 * Return: the bits of the result.
 */
u64 ogpu_f32_to_f64(u32 a, u32 *flags)
{
	bool sign = fp_sign(a, F32);
	s32 e;
	u64 m;

	if (fp_exp(a, F32) == fp_emax(F32)) {
		if (fp_is_snan(a, F32))
			*flags |= OGPU_FP_NV;
		if (fp_is_nan(a, F32))
			return OGPU_F64_CANONICAL_NAN;
		return fp_inf(sign, F64);
	}
	if (fp_is_zero(a, F32))
		return (u64)sign << 63;
	fp_unpack(a, F32, &e, &m);
	return fp_pack(sign, e - fp_bias(F32) + fp_bias(F64),
		       fp_frac(m, F32) << (F64 - F32), F64);
}

/**
 * ogpu_f64_to_f32() - FCVT.S.D: @a to binary32
 * @a: the operand
 * @rm: rounding mode, OGPU_FP_RNE to OGPU_FP_RMM
 * @flags: where to OR the exception flags (OGPU_FP_NX...)
 *
 * Return: the bits of the result.
 */
u32 ogpu_f64_to_f32(u64 a, u32 rm, u32 *flags)
{
	bool sign = fp_sign(a, F64);
	s32 e;
	u64 m;

	if (fp_exp(a, F64) == fp_emax(F64)) {
		if (fp_is_snan(a, F64))
			*flags |= OGPU_FP_NV;
		if (fp_is_nan(a, F64))
			return OGPU_F32_CANONICAL_NAN;
		return fp_inf(sign, F32);
	}
	if (fp_is_zero(a, F64))
		return (u32)sign << 31;
	fp_unpack(a, F64, &e, &m);
	return round_pack(F32, sign, e - fp_bias(F64) + fp_bias(F32) - 1,
			  m << 10, rm, flags);
}
