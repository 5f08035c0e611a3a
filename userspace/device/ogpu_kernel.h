/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu_kernel.h - what an OGPU compute kernel includes.
 *
 * Kernels are freestanding C11 built by ogpu-cc for the compute units
 * (RV64G). A kernel is a function marked OGPU_KERNEL that takes a pointer
 * to its arguments, as the host passed them to the launch:
 *
 *	struct args { const float *a, *b; float *c; unsigned int n; };
 *
 *	OGPU_KERNEL void vecadd(const struct args *p)
 *	{
 *		unsigned int i = ogpu_global_id_x();
 *
 *		if (i < p->n)
 *			p->c[i] = p->a[i] + p->b[i];
 *	}
 *
 * Pointers in the arguments are GPU addresses (what ogpu_malloc() gives).
 * Documentation/compute.rst specifies the CSRs, the memory windows, the
 * barrier and the SIMT rules.
 */
#ifndef OGPU_KERNEL_H
#define OGPU_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OGPU_KERNEL __attribute__((used, visibility("default"), noinline))

/* The layout of the CSRs below (OGPU_CSR_LAYOUT reads it). */
#define OGPU_CSR_VERSION	1

#define OGPU_CSR_READ(csr) ({					\
	unsigned long __v;					\
	__asm__ volatile("csrr %0, " #csr : "=r"(__v));		\
	(unsigned int)__v;					\
})

/* Thread index in its block. */
static inline unsigned int ogpu_thread_x(void) { return OGPU_CSR_READ(0xcc0); }
static inline unsigned int ogpu_thread_y(void) { return OGPU_CSR_READ(0xcc1); }
static inline unsigned int ogpu_thread_z(void) { return OGPU_CSR_READ(0xcc2); }
/* Block index in the grid. */
static inline unsigned int ogpu_block_x(void) { return OGPU_CSR_READ(0xcc3); }
static inline unsigned int ogpu_block_y(void) { return OGPU_CSR_READ(0xcc4); }
static inline unsigned int ogpu_block_z(void) { return OGPU_CSR_READ(0xcc5); }
/* Block dimensions, in threads. */
static inline unsigned int ogpu_block_dim_x(void) { return OGPU_CSR_READ(0xcc6); }
static inline unsigned int ogpu_block_dim_y(void) { return OGPU_CSR_READ(0xcc7); }
static inline unsigned int ogpu_block_dim_z(void) { return OGPU_CSR_READ(0xcc8); }
/* Grid dimensions, in blocks. */
static inline unsigned int ogpu_grid_dim_x(void) { return OGPU_CSR_READ(0xcc9); }
static inline unsigned int ogpu_grid_dim_y(void) { return OGPU_CSR_READ(0xcca); }
static inline unsigned int ogpu_grid_dim_z(void) { return OGPU_CSR_READ(0xccb); }
/* Lane in the warp, warp in the block, compute unit, lanes per warp. */
static inline unsigned int ogpu_lane(void) { return OGPU_CSR_READ(0xccc); }
static inline unsigned int ogpu_warp(void) { return OGPU_CSR_READ(0xccd); }
static inline unsigned int ogpu_cu(void) { return OGPU_CSR_READ(0xcce); }
static inline unsigned int ogpu_warp_size(void) { return OGPU_CSR_READ(0xccf); }
/* Bytes of shared memory the launch asked for. */
static inline unsigned int ogpu_shared_size(void) { return OGPU_CSR_READ(0xcd0); }

/* The global index, as CUDA's blockIdx.x * blockDim.x + threadIdx.x. */
static inline unsigned int ogpu_global_id_x(void)
{
	return ogpu_block_x() * ogpu_block_dim_x() + ogpu_thread_x();
}

static inline unsigned int ogpu_global_id_y(void)
{
	return ogpu_block_y() * ogpu_block_dim_y() + ogpu_thread_y();
}

/* Threads in the grid along x, for grid-stride loops. */
static inline unsigned int ogpu_global_size_x(void)
{
	return ogpu_grid_dim_x() * ogpu_block_dim_x();
}

/*
 * Wait until every thread of the block has arrived (CUDA's
 * __syncthreads()). Every thread of the block must reach it: a barrier
 * that part of the block ended before is an error, not a hang. It also
 * orders memory: what a thread wrote before is seen after it.
 */
static inline void ogpu_barrier(void)
{
	__asm__ volatile("fence rw, rw\n\tcsrw 0x8c0, zero" ::: "memory");
}

/*
 * The block's shared memory: ogpu_shared_size() bytes, zeroed when the
 * block starts, shared by its threads.
 */
#define OGPU_SHARED_VA		0x0001000100000000ull
static inline void *ogpu_shared(void)
{
	return (void *)(uintptr_t)OGPU_SHARED_VA;
}

/*
 * Atomics: the C11 __atomic builtins compile to the A extension (AMOs and
 * LR/SC), atomic against every thread, every compute unit and the CPU on
 * device memory. These name the common ones and return the old value.
 */
static inline int ogpu_atomic_add(int *p, int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline unsigned int ogpu_atomic_add_u32(unsigned int *p,
					       unsigned int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline unsigned long long ogpu_atomic_add_u64(unsigned long long *p,
						     unsigned long long v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline int ogpu_atomic_min(int *p, int v)
{
	return __atomic_fetch_min(p, v, __ATOMIC_RELAXED);
}

static inline int ogpu_atomic_max(int *p, int v)
{
	return __atomic_fetch_max(p, v, __ATOMIC_RELAXED);
}

static inline int ogpu_atomic_xchg(int *p, int v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_RELAXED);
}

static inline bool ogpu_atomic_cas(int *p, int *expected, int desired)
{
	return __atomic_compare_exchange_n(p, expected, desired, false,
					   __ATOMIC_RELAXED,
					   __ATOMIC_RELAXED);
}

/* Float add by compare-and-swap, as GPUs without a float AMO do. */
static inline float ogpu_atomic_add_f32(float *p, float v)
{
	unsigned int *u = (unsigned int *)p, old, new;
	float f;

	old = __atomic_load_n(u, __ATOMIC_RELAXED);
	do {
		__builtin_memcpy(&f, &old, 4);
		f += v;
		__builtin_memcpy(&new, &f, 4);
	} while (!__atomic_compare_exchange_n(u, &old, new, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	__builtin_memcpy(&f, &old, 4);
	return f;
}

/*
 * Math. The single-instruction ones are the F and D extensions' (IEEE,
 * correctly rounded); the others are polynomial approximations within a
 * few ulp over the ranges a kernel usually needs, documented in
 * Documentation/compute.rst.
 */
static inline float ogpu_sqrtf(float x) { return __builtin_sqrtf(x); }
static inline double ogpu_sqrt(double x) { return __builtin_sqrt(x); }
static inline float ogpu_fabsf(float x) { return __builtin_fabsf(x); }
static inline double ogpu_fabs(double x) { return __builtin_fabs(x); }
static inline float ogpu_fminf(float a, float b) { return __builtin_fminf(a, b); }
static inline float ogpu_fmaxf(float a, float b) { return __builtin_fmaxf(a, b); }
static inline double ogpu_fmin(double a, double b) { return __builtin_fmin(a, b); }
static inline double ogpu_fmax(double a, double b) { return __builtin_fmax(a, b); }
static inline float ogpu_fmaf(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
static inline double ogpu_fma(double a, double b, double c) { return __builtin_fma(a, b, c); }
static inline float ogpu_copysignf(float a, float b) { return __builtin_copysignf(a, b); }

/* Round to an integral value in the given direction (RISC-V rm field). */
#define OGPU_ROUNDF(name, rm)						\
static inline float name(float x)					\
{									\
	long r;								\
	float y;							\
									\
	if (!(__builtin_fabsf(x) < 8388608.0f))	/* integral, inf, NaN */ \
		return x;						\
	__asm__("fcvt.l.s %0, %1, " #rm : "=r"(r) : "f"(x));		\
	y = (float)r;							\
	return __builtin_copysignf(y, x);				\
}
OGPU_ROUNDF(ogpu_floorf, rdn)
OGPU_ROUNDF(ogpu_ceilf, rup)
OGPU_ROUNDF(ogpu_truncf, rtz)
OGPU_ROUNDF(ogpu_roundf, rmm)

#define OGPU_ROUND(name, rm)						\
static inline double name(double x)					\
{									\
	long r;								\
	double y;							\
									\
	if (!(__builtin_fabs(x) < 4503599627370496.0))			\
		return x;						\
	__asm__("fcvt.l.d %0, %1, " #rm : "=r"(r) : "f"(x));		\
	y = (double)r;							\
	return __builtin_copysign(y, x);				\
}
OGPU_ROUND(ogpu_floor, rdn)
OGPU_ROUND(ogpu_ceil, rup)
OGPU_ROUND(ogpu_trunc, rtz)
OGPU_ROUND(ogpu_round, rmm)

/* 2^k for -126 <= k <= 127, exactly. */
static inline float ogpu_ldexp1f(int k)
{
	unsigned int u = (unsigned int)(k + 127) << 23;
	float f;

	__builtin_memcpy(&f, &u, 4);
	return f;
}

/* e^x: x = k ln2 + r, |r| <= ln2 / 2, a degree-6 polynomial for e^r. */
static inline float ogpu_expf(float x)
{
	float k, r, p;

	if (x != x)
		return x;
	if (x > 88.72f)
		return __builtin_inff();
	if (x < -103.97f)
		return 0.0f;
	k = ogpu_roundf(x * 1.44269504f);
	r = __builtin_fmaf(k, -0.693145752f, x);
	r = __builtin_fmaf(k, -1.42860677e-6f, r);
	p = 1.0f / 720;
	p = __builtin_fmaf(p, r, 1.0f / 120);
	p = __builtin_fmaf(p, r, 1.0f / 24);
	p = __builtin_fmaf(p, r, 1.0f / 6);
	p = __builtin_fmaf(p, r, 0.5f);
	p = __builtin_fmaf(p, r, 1.0f);
	p = __builtin_fmaf(p, r, 1.0f);
	if (k < -126) /* into the subnormals in two steps */
		return p * ogpu_ldexp1f((int)k + 64) * ogpu_ldexp1f(-64);
	if (k > 127)
		return p * ogpu_ldexp1f((int)k - 1) * 2.0f;
	return p * ogpu_ldexp1f((int)k);
}

/* ln x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), atanh series in s. */
static inline float ogpu_logf(float x)
{
	unsigned int u;
	float m, s, s2, p;
	int e;

	if (x != x || x < 0.0f)
		return __builtin_nanf("");
	if (x == 0.0f)
		return -__builtin_inff();
	if (x == __builtin_inff())
		return x;
	e = 0;
	if (x < 1.17549435e-38f) {	/* subnormal: scale up first */
		x *= 16777216.0f;
		e = -24;
	}
	__builtin_memcpy(&u, &x, 4);
	e += (int)(u >> 23) - 127;
	u = (u & 0x7fffff) | 0x3f800000;
	__builtin_memcpy(&m, &u, 4);
	if (m > 1.41421356f) {
		m *= 0.5f;
		e++;
	}
	s = (m - 1.0f) / (m + 1.0f);
	s2 = s * s;
	p = 2.0f / 9;
	p = __builtin_fmaf(p, s2, 2.0f / 7);
	p = __builtin_fmaf(p, s2, 2.0f / 5);
	p = __builtin_fmaf(p, s2, 2.0f / 3);
	p = __builtin_fmaf(p, s2, 2.0f);
	return __builtin_fmaf((float)e, 0.693147182f, p * s);
}

static inline float ogpu_powf(float x, float y)
{
	return ogpu_expf(y * ogpu_logf(x));
}

/* sin and cos: reduce by pi/2 (Cody-Waite), Taylor polynomials on the rest. */
static inline float ogpu_sincos_poly(float r, int q, int cos)
{
	float r2 = r * r, s, c;

	s = r * (1.0f + r2 * (-1.0f / 6 + r2 * (1.0f / 120 +
		 r2 * (-1.0f / 5040 + r2 * (1.0f / 362880)))));
	c = 1.0f + r2 * (-0.5f + r2 * (1.0f / 24 + r2 * (-1.0f / 720 +
		 r2 * (1.0f / 40320))));
	q = (q + cos) & 3;
	return q == 0 ? s : q == 1 ? c : q == 2 ? -s : -c;
}

static inline float ogpu_sinf(float x)
{
	float k = ogpu_roundf(x * 0.636619772f), r;

	r = __builtin_fmaf(k, -1.57079601f, x);
	r = __builtin_fmaf(k, -3.13916473e-7f, r);
	return ogpu_sincos_poly(r, (int)(long)k, 0);
}

static inline float ogpu_cosf(float x)
{
	float k = ogpu_roundf(x * 0.636619772f), r;

	r = __builtin_fmaf(k, -1.57079601f, x);
	r = __builtin_fmaf(k, -3.13916473e-7f, r);
	return ogpu_sincos_poly(r, (int)(long)k, 1);
}

static inline float ogpu_tanhf(float x)
{
	float e;

	if (x > 9.0f)
		return 1.0f;
	if (x < -9.0f)
		return -1.0f;
	e = ogpu_expf(2.0f * x);
	return (e - 1.0f) / (e + 1.0f);
}

#endif /* OGPU_KERNEL_H */
