// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * cu_bench - the compute units' executor against two baselines, on the
 * host (under QEMU both sides would be emulated). For each example kernel
 * (userspace/examples/kernels/) it runs one launch three ways, checks
 * each result against a CPU computation, and prints JSON:
 *
 * - executor: the module ogpu-cc built (build/userspace/examples/K.elf)
 *   loaded into a flat fake memory, its R_RISCV_RELATIVE relocations
 *   applied as libogpu does, every block run in turn on one compute unit
 *   with ogpu_sim_cu_start()/ogpu_sim_cu_run() (drivers/ogpu_sim, -O2);
 * - native: the same source built for this CPU at -O2 in an object of its
 *   own, against tests/bench/shim/ogpu_kernel.h, its grid run thread by
 *   thread by bench_grid.c (fibers for kernels with barriers);
 * - qemu_user: the same source built for RV64G with ogpu-cc's flags
 *   against the same shim, linked into the freestanding bench_rv.c and
 *   run by qemu-riscv64; it times its own runs.
 *
 * The three ways take turns, --reps times (3), each run from the same
 * inputs, and the fastest run of each counts (native repeats itself until
 * its runs add up to 0.2 s). <kernel>_vs_native_ratio is native time / executor
 * time and <kernel>_vs_qemu_user_ratio qemu time / executor time (above
 * 1: the executor is faster), with their geometric means.
 *
 * The sizes are larger than the example programs' so that a run takes a
 * measurable time on the executor; reduce runs the first pass only (one
 * partial sum per block of 1024 elements), as the example's later passes
 * are the same kernel on 1/1024 of the data.
 *
 *   cu_bench [--reps N] [--budget N] [--lanes N] [--elf-dir DIR]
 *            [--rv-dir DIR] [--qemu PATH] [--only WAY] [KERNEL...]
 *
 * --only executor (or native, or qemu_user) runs that way alone, for
 * profiling (perf record, perf stat); no ratios are printed then.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ogpu_sim_cu.h"
#include "bench_grid.h"
#include "bench_job.h"

#ifndef R_RISCV_RELATIVE
#define R_RISCV_RELATIVE	3
#endif

/* The native kernels (one object each, built against the shim). */
void vecadd(const void *args);
void saxpy(const void *args);
void reduce(const void *args);
void histogram(const void *args);
void sgemm(const void *args);
void mandelbrot(const void *args);

enum field_kind { F_END, F_PTR, F_U32, F_F32 };

struct field {
	enum field_kind kind;
	uint32_t buf;		/* F_PTR */
	uint32_t u;		/* F_U32 */
	float f;		/* F_F32 */
};

struct kspec {
	const char *name;
	bench_kernel_fn native;
	uint32_t grid[3], block[3], shared, barriers;
	uint32_t nbufs;
	uint64_t buf_size[BENCH_MAX_BUFS];
	struct field args[8];
	void (*init)(const struct kspec *k, uint8_t **buf);
	/* 0 if @buf (after a run from @init) is right */
	int (*check)(const struct kspec *k, uint8_t *const *buf,
		     uint8_t *const *init);
	const char *size;	/* what the launch computes, for the JSON */
};

static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill_floats(uint8_t *p, uint64_t bytes)
{
	float *f = (float *)p;

	for (uint64_t i = 0; i < bytes / 4; i++)
		f[i] = (float)(rng() % 2000) / 100.0f - 10.0f;
}

/* ---- The kernels: sizes, inputs and the CPU's answers ---- */

#define VECADD_N	(1u << 22)
#define SAXPY_N		(1u << 22)
#define REDUCE_N	(1u << 23)
#define HIST_N		(1u << 23)
#define SGEMM_N		256u
#define MANDEL_W	512u
#define MANDEL_H	256u
#define MANDEL_ITER	256u

static void init_floats(const struct kspec *k, uint8_t **buf)
{
	for (uint32_t i = 0; i < k->nbufs; i++)
		fill_floats(buf[i], k->buf_size[i]);
}

static int check_vecadd(const struct kspec *k, uint8_t *const *buf,
			uint8_t *const *init)
{
	const float *a = (float *)buf[0], *b = (float *)buf[1];
	const float *c = (float *)buf[2];

	(void)init;
	for (uint64_t i = 0; i < k->buf_size[2] / 4; i++)
		if (c[i] != a[i] + b[i])
			return -1;
	return 0;
}

static int check_saxpy(const struct kspec *k, uint8_t *const *buf,
		       uint8_t *const *init)
{
	const float *x = (float *)init[0], *y0 = (float *)init[1];
	const float *y = (float *)buf[1];
	float a = k->args[2].f;

	for (uint64_t i = 0; i < k->buf_size[1] / 4; i++)
		if (y[i] != a * x[i] + y0[i])
			return -1;
	return 0;
}

static void init_reduce(const struct kspec *k, uint8_t **buf)
{
	uint32_t *in = (uint32_t *)buf[0];

	for (uint64_t i = 0; i < k->buf_size[0] / 4; i++)
		in[i] = rng() % 1000;
	memset(buf[1], 0, k->buf_size[1]);
}

static int check_reduce(const struct kspec *k, uint8_t *const *buf,
			uint8_t *const *init)
{
	const uint32_t *in = (uint32_t *)init[0], *out = (uint32_t *)buf[1];
	uint32_t per = k->block[0] * 4, n = k->args[2].u;

	for (uint32_t b = 0; b < k->grid[0]; b++) {
		uint32_t sum = 0;

		for (uint32_t i = b * per; i < (b + 1) * per && i < n; i++)
			sum += in[i];
		if (out[b] != sum)
			return -1;
	}
	return 0;
}

static void init_histogram(const struct kspec *k, uint8_t **buf)
{
	for (uint64_t i = 0; i < k->buf_size[0]; i++)
		buf[0][i] = (uint8_t)(rng() % 251);
	memset(buf[1], 0, k->buf_size[1]);
}

static int check_histogram(const struct kspec *k, uint8_t *const *buf,
			   uint8_t *const *init)
{
	const uint32_t *bins = (uint32_t *)buf[1];
	uint32_t want[256] = { 0 };

	for (uint64_t i = 0; i < k->buf_size[0]; i++)
		want[init[0][i]]++;
	return memcmp(want, bins, sizeof(want)) ? -1 : 0;
}

static void init_sgemm(const struct kspec *k, uint8_t **buf)
{
	fill_floats(buf[0], k->buf_size[0]);
	fill_floats(buf[1], k->buf_size[1]);
	memset(buf[2], 0, k->buf_size[2]);
}

static int check_sgemm(const struct kspec *k, uint8_t *const *buf,
		       uint8_t *const *init)
{
	const float *a = (float *)init[0], *b = (float *)init[1];
	const float *c = (float *)buf[2];
	uint32_t n = k->args[3].u;

	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			float acc = 0.0f;

			for (uint32_t x = 0; x < n; x++)
				acc += a[i * n + x] * b[x * n + j];
			if (fabsf(c[i * n + j] - acc) > 1e-3f * fabsf(acc) + 1e-3f)
				return -1;
		}
	return 0;
}

static void init_zero(const struct kspec *k, uint8_t **buf)
{
	for (uint32_t i = 0; i < k->nbufs; i++)
		memset(buf[i], 0, k->buf_size[i]);
}

static int check_mandelbrot(const struct kspec *k, uint8_t *const *buf,
			    uint8_t *const *init)
{
	const uint32_t *it = (uint32_t *)buf[0];
	uint32_t w = k->args[1].u, h = k->args[2].u, max = k->args[3].u;
	float x0 = k->args[4].f, y0 = k->args[5].f, step = k->args[6].f;

	(void)init;
	for (uint32_t py = 0; py < h; py++)
		for (uint32_t px = 0; px < w; px++) {
			float cr = x0 + px * step, ci = y0 + py * step;
			float zr = 0.0f, zi = 0.0f;
			uint32_t i = 0;

			while (i < max && zr * zr + zi * zi <= 4.0f) {
				float t = zr * zr - zi * zi + cr;

				zi = 2.0f * zr * zi + ci;
				zr = t;
				i++;
			}
			if (it[py * w + px] != i)
				return -1;
		}
	return 0;
}

#define PTR(b)	{ .kind = F_PTR, .buf = (b) }
#define U32(v)	{ .kind = F_U32, .u = (v) }
#define F32(v)	{ .kind = F_F32, .f = (v) }

static const struct kspec kernels[] = {
	{
		.name = "vecadd", .native = vecadd,
		.grid = { VECADD_N / 256, 1, 1 }, .block = { 256, 1, 1 },
		.nbufs = 3,
		.buf_size = { VECADD_N * 4, VECADD_N * 4, VECADD_N * 4 },
		.args = { PTR(0), PTR(1), PTR(2), U32(VECADD_N) },
		.init = init_floats, .check = check_vecadd,
		.size = "4M floats, 16384 blocks of 256",
	}, {
		.name = "saxpy", .native = saxpy,
		.grid = { 64, 1, 1 }, .block = { 256, 1, 1 },
		.nbufs = 2, .buf_size = { SAXPY_N * 4, SAXPY_N * 4 },
		.args = { PTR(0), PTR(1), F32(2.5f), U32(SAXPY_N) },
		.init = init_floats, .check = check_saxpy,
		.size = "4M floats, 64 blocks of 256, grid-stride",
	}, {
		.name = "reduce", .native = reduce,
		.grid = { REDUCE_N / 1024, 1, 1 }, .block = { 256, 1, 1 },
		.shared = 1024, .barriers = 1,
		.nbufs = 2, .buf_size = { REDUCE_N * 4, REDUCE_N / 1024 * 4 },
		.args = { PTR(0), PTR(1), U32(REDUCE_N) },
		.init = init_reduce, .check = check_reduce,
		.size = "8M uints, first pass: 8192 blocks of 256",
	}, {
		.name = "histogram", .native = histogram,
		.grid = { 32, 1, 1 }, .block = { 256, 1, 1 },
		.shared = 1024, .barriers = 1,
		.nbufs = 2, .buf_size = { HIST_N, 256 * 4 },
		.args = { PTR(0), PTR(1), U32(HIST_N) },
		.init = init_histogram, .check = check_histogram,
		.size = "8M bytes, 32 blocks of 256",
	}, {
		.name = "sgemm", .native = sgemm,
		.grid = { SGEMM_N / 16, SGEMM_N / 16, 1 },
		.block = { 16, 16, 1 }, .shared = 2 * 16 * 16 * 4,
		.barriers = 1, .nbufs = 3,
		.buf_size = { SGEMM_N * SGEMM_N * 4, SGEMM_N * SGEMM_N * 4,
			      SGEMM_N * SGEMM_N * 4 },
		.args = { PTR(0), PTR(1), PTR(2), U32(SGEMM_N) },
		.init = init_sgemm, .check = check_sgemm,
		.size = "256x256, 16x16 tiles",
	}, {
		.name = "mandelbrot", .native = mandelbrot,
		.grid = { MANDEL_W / 16, MANDEL_H / 8, 1 },
		.block = { 16, 8, 1 }, .nbufs = 1,
		.buf_size = { MANDEL_W * MANDEL_H * 4 },
		.args = { PTR(0), U32(MANDEL_W), U32(MANDEL_H),
			  U32(MANDEL_ITER), F32(-2.2f), F32(-1.2f),
			  F32(2.4f / MANDEL_H) },
		.init = init_zero, .check = check_mandelbrot,
		.size = "512x256 pixels, 256 iterations, blocks of 16x8",
	},
};

/* ---- Arguments: C struct layout, the same on x86-64 and RV64 ---- */

/*
 * Lay out @k's arguments in @out; pointers become @ptr[buf] + @bias, and
 * if @off is not NULL their offsets go to @off (their count returned in
 * *@nptrs). Returns the size, or 0 if it does not fit.
 */
static uint32_t build_args(const struct kspec *k, uint8_t *out,
			   const uint64_t *ptr, uint32_t *off, uint32_t *nptrs)
{
	uint32_t pos = 0, np = 0;

	memset(out, 0, BENCH_MAX_ARGS);
	for (const struct field *f = k->args; f->kind != F_END; f++) {
		uint32_t sz = f->kind == F_PTR ? 8 : 4;

		pos = (pos + sz - 1) & ~(sz - 1);
		if (pos + sz > BENCH_MAX_ARGS)
			return 0;
		if (f->kind == F_PTR) {
			memcpy(out + pos, &ptr[f->buf], 8);
			if (off)
				off[np] = pos;
			np++;
		} else if (f->kind == F_U32) {
			memcpy(out + pos, &f->u, 4);
		} else {
			memcpy(out + pos, &f->f, 4);
		}
		pos += sz;
	}
	if (nptrs)
		*nptrs = np;
	return (pos + 7) & ~7u;
}

/* ---- Timing ---- */

/*
 * The calling thread's CPU time: the machine may be shared (make bench
 * runs after QEMU has exited, but other work may not have), and every way
 * runs on one thread, so time spent descheduled is nobody's.
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct result {
	uint64_t best_ns;
	uint64_t insns;		/* executor: thread-instructions per run */
	int ok;
};

/* ---- The executor on a flat fake memory ---- */

#define FLAT_BASE	0x100000ull

struct flat {
	uint8_t *mem;
	uint64_t size;
};

static int flat_map(void *ctx, u64 va, u32 access, void **p)
{
	struct flat *f = ctx;

	(void)access;
	if (va < FLAT_BASE || va - FLAT_BASE >= f->size)
		return -EFAULT;
	*p = f->mem + (va - FLAT_BASE);
	return 0;
}

static int flat_rw(void *ctx, u64 va, void *buf, u32 len, u32 access)
{
	(void)ctx; (void)va; (void)buf; (void)len; (void)access;
	return -EFAULT;	/* everything is host-addressable */
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) || !(p = malloc(n)) ||
	    fread(p, 1, n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*size = p ? (size_t)n : 0;
	return p;
}

#define PAGE_UP(x)	(((x) + 4095) & ~4095ull)

/* The module's loaded size, or 0 if @img is not a module we can load. */
static uint64_t elf_span(const uint8_t *img, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)img;
	uint64_t end = 0;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
		return 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_offset + ph->p_filesz > size ||
		    ph->p_filesz > ph->p_memsz || ph->p_vaddr > (1ull << 30))
			return 0;
		if (PAGE_UP(ph->p_vaddr + ph->p_memsz) > end)
			end = PAGE_UP(ph->p_vaddr + ph->p_memsz);
	}
	return end;
}

/*
 * Copy the segments to @map (at VA @base), apply the relocations and
 * find @name. Returns its VA, or 0.
 */
static uint64_t elf_load(const uint8_t *img, uint8_t *map, uint64_t span,
			 uint64_t base, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	uint64_t entry = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD)
			memcpy(map + ph->p_vaddr, img + ph->p_offset,
			       ph->p_filesz);
	}
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Rela *r = (const void *)(img + sh[i].sh_offset);
		const Elf64_Sym *sym = (const void *)r;

		if (sh[i].sh_type == SHT_RELA && (sh[i].sh_flags & SHF_ALLOC)) {
			for (uint64_t j = 0; j < sh[i].sh_size / sizeof(*r); j++) {
				uint64_t v = base + r[j].r_addend;

				if (ELF64_R_TYPE(r[j].r_info) == R_RISCV_NONE)
					continue;
				if (ELF64_R_TYPE(r[j].r_info) != R_RISCV_RELATIVE ||
				    r[j].r_offset > span - 8)
					return 0;
				memcpy(map + r[j].r_offset, &v, 8);
			}
		}
		if (sh[i].sh_type == SHT_SYMTAB && sh[i].sh_link < eh->e_shnum) {
			const char *str = (const char *)img +
					  sh[sh[i].sh_link].sh_offset;

			for (uint64_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++)
				if (ELF64_ST_TYPE(sym[j].st_info) == STT_FUNC &&
				    !strcmp(str + sym[j].st_name, name))
					entry = base + sym[j].st_value;
		}
	}
	return entry;
}

static int run_executor(const struct kspec *k, const char *elf_dir,
			uint32_t lanes, uint32_t budget, uint32_t reps,
			uint8_t *const *init, struct result *res)
{
	uint64_t span, args_va, buf_va[BENCH_MAX_BUFS], end;
	struct ogpu_sim_launch launch = { 0 };
	struct ogpu_sim_cu_mem mem = { 0 };
	struct ogpu_sim_cu *cu;
	struct flat flat;
	uint8_t args[BENCH_MAX_ARGS], *out[BENCH_MAX_BUFS], *img;
	char path[4096];
	size_t size;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%s.elf", elf_dir, k->name);
	img = read_file(path, &size);
	span = img ? elf_span(img, size) : 0;
	if (!span) {
		fprintf(stderr, "cu_bench: %s: cannot load\n", path);
		free(img);
		return -1;
	}
	/* module | args page | each buffer, page-aligned */
	args_va = FLAT_BASE + span;
	end = args_va + 4096;
	for (uint32_t i = 0; i < k->nbufs; i++) {
		buf_va[i] = end;
		end += PAGE_UP(k->buf_size[i]);
	}
	flat.size = end - FLAT_BASE;
	flat.mem = aligned_alloc(4096, flat.size);
	cu = malloc(ogpu_sim_cu_size(lanes));
	if (!flat.mem || !cu)
		goto out;
	memset(flat.mem, 0, flat.size);
	launch.entry = elf_load(img, flat.mem, span, FLAT_BASE, k->name);
	if (!launch.entry) {
		fprintf(stderr, "cu_bench: %s: no kernel %s\n", path, k->name);
		goto out;
	}
	launch.args_size = build_args(k, args, buf_va, NULL, NULL);
	memcpy(flat.mem + (args_va - FLAT_BASE), args, launch.args_size);
	launch.args = args_va;
	memcpy(launch.grid, k->grid, sizeof(launch.grid));
	memcpy(launch.block, k->block, sizeof(launch.block));
	launch.shared = k->shared;
	mem.map = flat_map;
	mem.rw = flat_rw;
	mem.ctx = &flat;
	ogpu_sim_cu_init(cu, 0, lanes);
	/* As the module runs it: with the FPU fast path. */
	ogpu_sim_cu_set_host_fpu(cu, true);
	res->best_ns = UINT64_MAX;
	for (uint32_t r = 0; r < reps; r++) {
		u64 insns0 = ogpu_sim_cu_insns(cu), t;
		u32 bid[3];

		for (uint32_t i = 0; i < k->nbufs; i++)
			memcpy(flat.mem + (buf_va[i] - FLAT_BASE), init[i],
			       k->buf_size[i]);
		t = now_ns();
		for (bid[2] = 0; bid[2] < k->grid[2]; bid[2]++)
			for (bid[1] = 0; bid[1] < k->grid[1]; bid[1]++)
				for (bid[0] = 0; bid[0] < k->grid[0]; bid[0]++) {
					enum ogpu_sim_cu_status st;

					ogpu_sim_cu_start(cu, &launch, bid);
					do
						st = ogpu_sim_cu_run(cu, &mem, budget);
					while (st == OGPU_SIM_CU_RUNNING);
					if (st != OGPU_SIM_CU_DONE) {
						const struct ogpu_sim_cu_error *e =
							ogpu_sim_cu_error(cu);

						fprintf(stderr, "cu_bench: %s: executor status %d, error %u at pc %#llx tval %#llx\n",
							k->name, st, e->cause,
							(unsigned long long)e->pc,
							(unsigned long long)e->tval);
						goto out;
					}
				}
		t = now_ns() - t;
		if (t < res->best_ns)
			res->best_ns = t;
		res->insns = ogpu_sim_cu_insns(cu) - insns0;
	}
	for (uint32_t i = 0; i < k->nbufs; i++)
		out[i] = flat.mem + (buf_va[i] - FLAT_BASE);
	res->ok = !k->check(k, out, init);
	ret = 0;
out:
	free(cu);
	free(flat.mem);
	free(img);
	return ret;
}

/* ---- Native ---- */

static int run_native(const struct kspec *k, uint32_t reps,
		      uint8_t *const *init, struct result *res)
{
	uint8_t *buf[BENCH_MAX_BUFS] = { 0 }, args[BENCH_MAX_ARGS];
	struct bench_grid g = { .kernel = k->native, .args = args };
	uint64_t ptr[BENCH_MAX_BUFS], total = 0;
	int ret = -1, bad = 0;

	for (uint32_t i = 0; i < k->nbufs; i++) {
		buf[i] = aligned_alloc(4096, PAGE_UP(k->buf_size[i]));
		if (!buf[i])
			goto out;
		ptr[i] = (uint64_t)(uintptr_t)buf[i];
	}
	build_args(k, args, ptr, NULL, NULL);
	memcpy(g.grid, k->grid, sizeof(g.grid));
	memcpy(g.block, k->block, sizeof(g.block));
	g.shared = k->shared;
	g.barriers = k->barriers;
	g.shared_mem = aligned_alloc(64, PAGE_UP(k->shared + 1));
	if (k->barriers)
		g.stacks = aligned_alloc(4096, (size_t)BENCH_MAX_BLOCK *
						       BENCH_FIBER_STACK);
	if (!g.shared_mem || (k->barriers && !g.stacks))
		goto out;
	/* At least @reps runs, and more while they add up to < 0.2 s. */
	res->best_ns = UINT64_MAX;
	for (uint32_t r = 0; r < reps || (total < 200000000ull && r < 10000); r++) {
		uint64_t t;

		for (uint32_t i = 0; i < k->nbufs; i++)
			memcpy(buf[i], init[i], k->buf_size[i]);
		t = now_ns();
		bad |= bench_grid_run(&g);
		t = now_ns() - t;
		total += t;
		if (t < res->best_ns)
			res->best_ns = t;
	}
	res->ok = !bad && !k->check(k, buf, init);
	ret = 0;
out:
	for (uint32_t i = 0; i < k->nbufs; i++)
		free(buf[i]);
	free(g.shared_mem);
	free(g.stacks);
	return ret;
}

/* ---- qemu-riscv64 ---- */

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t r = write(fd, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r = read(fd, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int run_qemu(const struct kspec *k, const char *qemu,
		    const char *rv_dir, uint32_t reps, uint8_t *const *init,
		    struct result *res)
{
	struct bench_job job = { .magic = BENCH_JOB_MAGIC };
	uint8_t args[BENCH_MAX_ARGS], *buf[BENCH_MAX_BUFS] = { 0 };
	char in_path[] = "/tmp/cu_bench_inXXXXXX";
	char out_path[] = "/tmp/cu_bench_outXXXXXX";
	uint64_t idx[BENCH_MAX_BUFS];
	struct bench_reply rep;
	char prog[4096];
	int in = -1, out = -1, status, ret = -1;
	pid_t pid;

	snprintf(prog, sizeof(prog), "%s/%s", rv_dir, k->name);
	for (uint32_t i = 0; i < BENCH_MAX_BUFS; i++)
		idx[i] = i;
	job.args_size = build_args(k, args, idx, job.ptr_off, &job.nptrs);
	memcpy(job.grid, k->grid, sizeof(job.grid));
	memcpy(job.block, k->block, sizeof(job.block));
	job.shared = k->shared;
	job.barriers = k->barriers;
	job.reps = reps;
	job.nbufs = k->nbufs;
	memcpy(job.buf_size, k->buf_size, sizeof(job.buf_size));
	in = mkstemp(in_path);
	out = mkstemp(out_path);
	if (in < 0 || out < 0)
		goto out;
	if (write_all(in, &job, sizeof(job)) ||
	    write_all(in, args, job.args_size))
		goto out;
	for (uint32_t i = 0; i < k->nbufs; i++)
		if (write_all(in, init[i], k->buf_size[i]))
			goto out;
	lseek(in, 0, SEEK_SET);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(in, 0);
		dup2(out, 1);
		execl(qemu, qemu, prog, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "cu_bench: %s %s: exit status %#x\n", qemu,
			prog, status);
		goto out;
	}
	lseek(out, 0, SEEK_SET);
	if (read_all(out, &rep, sizeof(rep)) || rep.magic != BENCH_JOB_MAGIC)
		goto out;
	for (uint32_t i = 0; i < k->nbufs; i++) {
		buf[i] = malloc(k->buf_size[i]);
		if (!buf[i] || read_all(out, buf[i], k->buf_size[i]))
			goto out;
	}
	res->best_ns = rep.best_ns;
	res->ok = !rep.status && !k->check(k, buf, init);
	ret = 0;
out:
	for (uint32_t i = 0; i < k->nbufs; i++)
		free(buf[i]);
	if (in >= 0) {
		close(in);
		unlink(in_path);
	}
	if (out >= 0) {
		close(out);
		unlink(out_path);
	}
	return ret;
}

/* ---- main ---- */

static void keep_best(struct result *best, const struct result *r)
{
	best->ok &= r->ok;
	if (r->best_ns < best->best_ns)
		best->best_ns = r->best_ns;
	best->insns = r->insns;
}

static const char *exe_dir(void)
{
	static char dir[4096];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	if (n <= 0)
		return ".";
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	return dir;
}

static int wanted(const char *name, int argc, char **argv, int first)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char elf_dir[2048], rv_dir[2048];
	const char *qemu = "/usr/bin/qemu-riscv64-static", *only = NULL;
	uint32_t reps = 3, budget = 128, lanes = 32, nk = 0;
	double log_native = 0, log_qemu = 0;
	int i, fails = 0;

	snprintf(elf_dir, sizeof(elf_dir), "%s/../../userspace/examples",
		 exe_dir());
	snprintf(rv_dir, sizeof(rv_dir), "%s/rv", exe_dir());
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			goto usage;
		if (!strcmp(argv[i], "--reps"))
			reps = (uint32_t)atoi(v);
		else if (!strcmp(argv[i], "--budget"))
			budget = (uint32_t)atoi(v);
		else if (!strcmp(argv[i], "--lanes"))
			lanes = (uint32_t)atoi(v);
		else if (!strcmp(argv[i], "--elf-dir"))
			snprintf(elf_dir, sizeof(elf_dir), "%s", v);
		else if (!strcmp(argv[i], "--rv-dir"))
			snprintf(rv_dir, sizeof(rv_dir), "%s", v);
		else if (!strcmp(argv[i], "--qemu"))
			qemu = v;
		else if (!strcmp(argv[i], "--only"))
			only = v;
		else
			goto usage;
		i++;
	}
	if (!reps || !budget || !lanes || lanes > OGPU_SIM_CU_MAX_LANES ||
	    (lanes & (lanes - 1)) ||
	    (only && strcmp(only, "executor") && strcmp(only, "native") &&
	     strcmp(only, "qemu_user")))
		goto usage;

	printf("{\n  \"executor_lanes\": %u,\n  \"executor_budget\": %u,\n",
	       lanes, budget);
	printf("  \"reps\": %u,\n", reps);
	for (size_t n = 0; n < sizeof(kernels) / sizeof(kernels[0]); n++) {
		const struct kspec *k = &kernels[n];
		struct result ex = { 0 }, na = { 0 }, qu = { 0 };
		uint8_t *init[BENCH_MAX_BUFS] = { 0 };
		double rn, rq;
		int err = 0;

		if (!wanted(k->name, argc, argv, i))
			continue;
		rng_state = 0x9e3779b9u + (uint32_t)n;
		for (uint32_t b = 0; b < k->nbufs; b++) {
			init[b] = malloc(k->buf_size[b]);
			if (!init[b])
				return 1;
		}
		k->init(k, init);
		/*
		 * Round-robin, so that a burst of load from elsewhere on the
		 * machine hits all three ways alike; the fastest run counts.
		 */
		ex.best_ns = na.best_ns = qu.best_ns = UINT64_MAX;
		ex.ok = na.ok = qu.ok = 1;
		for (uint32_t r = 0; r < reps && !err; r++) {
			struct result e = { 0 }, a = { 0 }, q = { 0 };

			if (!only || !strcmp(only, "executor"))
				err |= run_executor(k, elf_dir, lanes, budget, 1,
						    init, &e);
			else
				e.ok = 1;
			if (!only || !strcmp(only, "native"))
				err |= run_native(k, 1, init, &a);
			else
				a.ok = 1;
			if (!only || !strcmp(only, "qemu_user"))
				err |= run_qemu(k, qemu, rv_dir, 1, init, &q);
			else
				q.ok = 1;
			keep_best(&ex, &e);
			keep_best(&na, &a);
			keep_best(&qu, &q);
		}
		for (uint32_t b = 0; b < k->nbufs; b++)
			free(init[b]);
		if (err || !ex.ok || !na.ok || !qu.ok) {
			fprintf(stderr, "cu_bench: %s: %s (executor %s, native %s, qemu %s)\n",
				k->name, err ? "failed to run" : "wrong result",
				ex.ok ? "right" : "wrong", na.ok ? "right" : "wrong",
				qu.ok ? "right" : "wrong");
			fails++;
			continue;
		}
		if (only) {
			printf("  \"%s\": { \"%s_ns\": %llu },\n", k->name, only,
			       (unsigned long long)(!strcmp(only, "executor") ?
			       ex.best_ns : !strcmp(only, "native") ?
			       na.best_ns : qu.best_ns));
			continue;
		}
		rn = (double)na.best_ns / ex.best_ns;
		rq = (double)qu.best_ns / ex.best_ns;
		log_native += log(rn);
		log_qemu += log(rq);
		nk++;
		printf("  \"%s\": { \"size\": \"%s\", \"executor_ns\": %llu, \"native_ns\": %llu, \"qemu_user_ns\": %llu, \"thread_insns\": %llu, \"executor_thread_insns_per_s\": %.0f },\n",
		       k->name, k->size, (unsigned long long)ex.best_ns,
		       (unsigned long long)na.best_ns,
		       (unsigned long long)qu.best_ns,
		       (unsigned long long)ex.insns, ex.insns * 1e9 / ex.best_ns);
		printf("  \"%s_vs_native_ratio\": %.4f,\n", k->name, rn);
		printf("  \"%s_vs_qemu_user_ratio\": %.4f,\n", k->name, rq);
		fflush(stdout);
	}
	if (!only) {
		printf("  \"compute_vs_native_geomean\": %.4f,\n",
		       nk ? exp(log_native / nk) : 0.0);
		printf("  \"compute_vs_qemu_user_geomean\": %.4f,\n",
		       nk ? exp(log_qemu / nk) : 0.0);
	}
	printf("  \"kernels_failed\": %d\n}\n", fails);
	return fails ? 1 : 0;
usage:
	fprintf(stderr, "usage: cu_bench [--reps N] [--budget N] [--lanes N] [--elf-dir DIR] [--rv-dir DIR] [--qemu PATH] [--only executor|native|qemu_user] [KERNEL...]\n");
	return 2;
}
