// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu_ioctl_fuzz: an ioctl fuzzer for the ogpu render node.
 *
 * A supervisor forks --procs worker processes; each opens the render node
 * once and runs --threads threads on that one file, so that a destroy in
 * one thread races every use of the same object in another. Each thread
 * draws from its own seeded PRNG and, call after call:
 *
 *  - makes a valid ogpu or DRM core ioctl on the objects the process holds
 *    (buffers, VMs, queues, syncobjs), or the same call with exactly one
 *    field of its structures mutated (flags, pads, ids, sizes, pointers,
 *    strides, counts);
 *  - writes a random packet stream (valid headers with random fields, or
 *    junk) into a command buffer of its own and submits it to a real queue,
 *    whose short timeout (100 to 300 ms) bans it quickly;
 *  - now and then calls a random ioctl number in the DRM range.
 *
 * The supervisor SIGKILLs workers mid-call and starts new ones, and with
 * --hotplug removes and re-creates its own device (id 240) under traffic.
 * A worker that does not die within 30 s of SIGKILL means the driver is
 * wedged: its threads' kernel stacks are printed and the run fails.
 *
 * What the fuzzer stays away from, and why, is in Documentation/testing.rst
 * ("The ioctl fuzzer"): DRM core code of 6.12 WARNs on a huge syncobj
 * count_handles, and a file holding ~200,000 syncobjs stalls RCU on close;
 * so counts are capped and each process keeps a bounded set of objects.
 *
 * Output is KTAP with one result, for tests/qemu/parse.awk; the figures are
 * comment lines. The kernel log written during the run is read back from
 * /dev/kmsg and any WARNING, BUG, KASAN, UBSAN or lockdep report fails it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "ogpu_drm.h"
#include "ogpu_packets.h"
#include "ogpu_test.h"

/* DRM core ioctls newer than Debian 12's libdrm headers. */
#ifndef DRM_IOCTL_SYNCOBJ_EVENTFD
struct drm_syncobj_eventfd {
	__u32 handle;
	__u32 flags;
	__u64 point;
	__s32 fd;
	__u32 pad;
};
#define DRM_IOCTL_SYNCOBJ_EVENTFD	DRM_IOWR(0xCF, struct drm_syncobj_eventfd)
#endif

#define HOTPLUG_ID		240
#define HOTPLUG_SPEC		"240 32"
#define MAX_PROCS		16
#define MAX_THREADS		16
#define KILL_GRACE_S		30

/*
 * Per-process object limits. Closing a file with ~200,000 syncobjs stalls
 * RCU on the debug kernel (DRM core); 7 queues and 15 MMU contexts exist
 * per device, shared by every process.
 */
#define MAX_BOS			48
#define MAX_BO_BYTES		(96ull << 20)
#define MAX_VMS			3
#define MAX_QUEUES		2
#define MAX_SYNCS		96
/* The DRM core kmalloc_array()s count_handles entries: keep it small. */
#define MAX_SYNC_COUNT		4096

/* Where the fuzzer binds in a VM, from its va_start. */
#define FUZZ_WINDOW		(64ull << 20)
#define ARENA_OFFSET		(1ull << 30)
#define ARENA_SIZE		(64u << 10)

/* Scratch memory each thread passes to the kernel, with a guard page. */
#define SCRATCH_SIZE		(64u << 10)

enum op {
	OP_DEV_QUERY, OP_BO_CREATE, OP_GEM_CLOSE, OP_BO_MMAP, OP_VM_CREATE,
	OP_VM_DESTROY, OP_VM_BIND, OP_VM_BIND_ASYNC, OP_QUEUE_CREATE,
	OP_QUEUE_DESTROY, OP_QUEUE_GET_STATE, OP_SUBMIT, OP_SYNCOBJ_CREATE,
	OP_SYNCOBJ_DESTROY, OP_SYNCOBJ_WAIT, OP_SYNCOBJ_TIMELINE_WAIT,
	OP_SYNCOBJ_RESET, OP_SYNCOBJ_SIGNAL, OP_SYNCOBJ_TIMELINE_SIGNAL,
	OP_SYNCOBJ_QUERY, OP_SYNCOBJ_TRANSFER, OP_SYNCOBJ_FD,
	OP_SYNCOBJ_EVENTFD, OP_PRIME, OP_CORE_MISC, OP_RANDOM_NR,
	OP_COUNT
};

static const struct {
	const char *name;
	unsigned int weight;
} ops[OP_COUNT] = {
	[OP_DEV_QUERY] = { "DEV_QUERY", 4 },
	[OP_BO_CREATE] = { "BO_CREATE", 8 },
	[OP_GEM_CLOSE] = { "GEM_CLOSE", 5 },
	[OP_BO_MMAP] = { "BO_MMAP_OFFSET", 5 },
	[OP_VM_CREATE] = { "VM_CREATE", 3 },
	[OP_VM_DESTROY] = { "VM_DESTROY", 2 },
	[OP_VM_BIND] = { "VM_BIND", 10 },
	[OP_VM_BIND_ASYNC] = { "VM_BIND(async)", 6 },
	[OP_QUEUE_CREATE] = { "QUEUE_CREATE", 3 },
	[OP_QUEUE_DESTROY] = { "QUEUE_DESTROY", 2 },
	[OP_QUEUE_GET_STATE] = { "QUEUE_GET_STATE", 4 },
	[OP_SUBMIT] = { "SUBMIT", 14 },
	[OP_SYNCOBJ_CREATE] = { "SYNCOBJ_CREATE", 5 },
	[OP_SYNCOBJ_DESTROY] = { "SYNCOBJ_DESTROY", 3 },
	[OP_SYNCOBJ_WAIT] = { "SYNCOBJ_WAIT", 4 },
	[OP_SYNCOBJ_TIMELINE_WAIT] = { "SYNCOBJ_TIMELINE_WAIT", 2 },
	[OP_SYNCOBJ_RESET] = { "SYNCOBJ_RESET", 2 },
	[OP_SYNCOBJ_SIGNAL] = { "SYNCOBJ_SIGNAL", 2 },
	[OP_SYNCOBJ_TIMELINE_SIGNAL] = { "SYNCOBJ_TIMELINE_SIGNAL", 2 },
	[OP_SYNCOBJ_QUERY] = { "SYNCOBJ_QUERY", 2 },
	[OP_SYNCOBJ_TRANSFER] = { "SYNCOBJ_TRANSFER", 2 },
	[OP_SYNCOBJ_FD] = { "SYNCOBJ_HANDLE_TO_FD/FD_TO_HANDLE", 2 },
	[OP_SYNCOBJ_EVENTFD] = { "SYNCOBJ_EVENTFD", 1 },
	[OP_PRIME] = { "PRIME_HANDLE_TO_FD/FD_TO_HANDLE/OGPU_PRIME_IMPORT", 2 },
	[OP_CORE_MISC] = { "VERSION/GET_CAP/SET_CLIENT_CAP/...", 2 },
	[OP_RANDOM_NR] = { "random ioctl number", 5 },
};

#define ERRNO_MAX	160

/* Counters shared by the supervisor and every worker (MAP_SHARED). */
struct shared {
	atomic_uint_fast64_t calls, ok, mutated;
	atomic_uint_fast64_t err[ERRNO_MAX];
	atomic_uint_fast64_t op_calls[OP_COUNT], op_ok[OP_COUNT];
	atomic_uint_fast64_t submits_ok, packets;
	atomic_int stop;
	char node[64];
};

static struct {
	uint64_t seed;
	double seconds;
	uint64_t max_calls;
	unsigned int procs, threads;
	const char *device;
	bool hotplug, kill, destroy_race, kernel_va, verbose;
} opt = {
	.seconds = 10, .max_calls = UINT64_MAX, .procs = 2, .threads = 3,
	.kill = true, .destroy_race = true, .kernel_va = true,
};

static struct shared *sh;

/* ---- PRNG: splitmix64 to seed, xoshiro256** per thread ---------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n); n > 0. */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/*
 * A random 64-bit value that is never a valid user address of this
 * process: the kernel must never write through a mutated pointer into
 * our own memory. Below 4 GiB nothing is mapped in a PIE process; the
 * upper half is the kernel's.
 */
static uint64_t rnd_safe64(struct rng *r)
{
	switch (below(r, 3)) {
	case 0:
		return rnd(r) & 0xffffffffull;
	case 1:
		return rnd(r) | 0xffff800000000000ull;
	default:
		return (rnd(r) & 0x00007fffffffffffull) | (1ull << 62);
	}
}

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000,
	0x1001, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ull, 1ull << 47, (1ull << 47) - 4096, 1ull << 48,
	0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull - 4095, ~0ull,
};

/* A mutation of a field's value: a boundary, a flipped bit, or noise. */
static uint64_t mutate_value(struct rng *r, uint64_t v, unsigned int size)
{
	uint64_t m;

	switch (below(r, 5)) {
	case 0:
	case 1:
		m = interesting[below(r, sizeof(interesting) / sizeof(interesting[0]))];
		break;
	case 2:
		m = v ^ (1ull << below(r, size * 8));
		break;
	case 3:
		m = v + (chance(r, 50) ? 1 : -1);
		break;
	default:
		m = rnd_safe64(r);
		break;
	}
	if (size == 4)
		m &= 0xffffffffull;
	return m == v ? v ^ 1 : m;
}

/* ---- Fields of a structure, for mutating exactly one ---------------- */

enum ftype {
	F_PLAIN,	/* flags, pads, ids, sizes, counts, strides */
	F_PTR_IN,	/* a pointer the kernel only reads */
	F_PTR_OUT,	/* a pointer the kernel writes through */
};

struct field {
	const char *name;
	unsigned short off, size;
	enum ftype type;
};

#define FLD(s, m, t) { #m, offsetof(s, m), sizeof(((s *)0)->m), t }

struct worker;

/*
 * Mutate one field of @base chosen from @f. A pointer the kernel writes
 * through only gets values that cannot reach this process's memory.
 */
static const char *mutate_one(struct rng *r, void *base,
			      const struct field *f, unsigned int n)
{
	const struct field *x = &f[below(r, n)];
	uint8_t *p = (uint8_t *)base + x->off;
	uint64_t v = 0;

	memcpy(&v, p, x->size);
	if (x->type == F_PTR_OUT)
		v = chance(r, 30) ? 0 : rnd_safe64(r);
	else
		v = mutate_value(r, v, x->size);
	memcpy(p, &v, x->size);
	return x->name;
}

/* ---- Per-process objects, shared by its threads --------------------- */

struct bo_ent {
	uint32_t handle;
	uint64_t size;
};

struct vm_ent {
	uint32_t id;
	uint64_t va_start;
};

struct q_ent {
	uint32_t id, vm;
};

struct pool {
	pthread_mutex_t lock;
	struct bo_ent bo[MAX_BOS];
	unsigned int nbo;
	uint64_t bo_bytes;
	struct vm_ent vm[MAX_VMS];
	unsigned int nvm;
	struct q_ent q[MAX_QUEUES];
	unsigned int nq;
	uint32_t sync[MAX_SYNCS];
	unsigned int nsync;
	/*
	 * With --no-destroy-race, SUBMIT holds this for reading and
	 * QUEUE_DESTROY (however it is reached) for writing.
	 */
	pthread_rwlock_t qlock;
	int fd;
};

struct worker {
	struct pool *pool;
	struct rng r;
	unsigned int tid;
	int fd;
	uint8_t *scratch;	/* SCRATCH_SIZE bytes, then a guard page */
	/* This thread's command buffer: a BO mapped for the CPU. */
	uint32_t arena;
	uint32_t *arena_map;
	uint64_t calls;
};

static inline uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* A region of scratch ending at the guard page: overruns fault cleanly. */
static void *scratch_tail(struct worker *w, size_t len)
{
	return w->scratch + SCRATCH_SIZE - len;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static bool is_queue_destroy(unsigned long cmd)
{
	return _IOC_NR(cmd) == DRM_COMMAND_BASE + DRM_OGPU_QUEUE_DESTROY;
}

static bool is_submit(unsigned long cmd)
{
	return _IOC_NR(cmd) == DRM_COMMAND_BASE + DRM_OGPU_SUBMIT;
}

/* One counted ioctl. Returns 0 or -errno. */
static int fz_ioctl(struct worker *w, enum op op, unsigned long cmd, void *arg)
{
	bool excl = !opt.destroy_race && is_queue_destroy(cmd);
	bool shared = !opt.destroy_race && is_submit(cmd);
	int ret, e;

	if (excl)
		pthread_rwlock_wrlock(&w->pool->qlock);
	else if (shared)
		pthread_rwlock_rdlock(&w->pool->qlock);
	ret = drmIoctl(w->fd, cmd, arg);
	e = ret ? errno : 0;
	if (excl || shared)
		pthread_rwlock_unlock(&w->pool->qlock);

	w->calls++;
	atomic_fetch_add_explicit(&sh->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sh->op_calls[op], 1, memory_order_relaxed);
	if (!ret) {
		atomic_fetch_add_explicit(&sh->ok, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&sh->op_ok[op], 1, memory_order_relaxed);
		return 0;
	}
	atomic_fetch_add_explicit(&sh->err[e < ERRNO_MAX ? e : 0], 1,
				  memory_order_relaxed);
	if (opt.verbose)
		fprintf(stderr, "# %s: %s\n", ops[op].name, strerror(e));
	/*
	 * The device is gone (--hotplug) until the supervisor restarts us:
	 * calls now fail at once and would only inflate the count.
	 */
	if (e == ENODEV)
		usleep(2000);
	return -e;
}

/* ---- Picking objects ------------------------------------------------ */

static bool pick_bo(struct worker *w, struct bo_ent *out)
{
	struct pool *p = w->pool;
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nbo;
	if (ok)
		*out = p->bo[below(&w->r, p->nbo)];
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static bool pick_vm(struct worker *w, struct vm_ent *out)
{
	struct pool *p = w->pool;
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nvm;
	if (ok)
		*out = p->vm[below(&w->r, p->nvm)];
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static bool pick_queue(struct worker *w, struct q_ent *out)
{
	struct pool *p = w->pool;
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->nq;
	if (ok)
		*out = p->q[below(&w->r, p->nq)];
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* A syncobj of the pool, or now and then a handle that is not one. */
static uint32_t pick_sync(struct worker *w)
{
	struct pool *p = w->pool;
	uint32_t h = below(&w->r, 64);

	pthread_mutex_lock(&p->lock);
	if (p->nsync && !chance(&w->r, 5))
		h = p->sync[below(&w->r, p->nsync)];
	pthread_mutex_unlock(&p->lock);
	return h;
}

/* Take an object out of the pool for destruction (80%), or leave it. */
#define TAKE(w, arr, n, out) ({						\
	struct pool *_p = (w)->pool;					\
	bool _ok;							\
	pthread_mutex_lock(&_p->lock);					\
	_ok = _p->n;							\
	if (_ok) {							\
		unsigned int _i = below(&(w)->r, _p->n);		\
		*(out) = _p->arr[_i];					\
		if (!opt.destroy_race || chance(&(w)->r, 80))		\
			_p->arr[_i] = _p->arr[--_p->n];			\
	}								\
	pthread_mutex_unlock(&_p->lock);				\
	_ok;								\
})

/* ---- The ogpu ioctls ------------------------------------------------ */

static void op_dev_query(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_dev_query, type, F_PLAIN),
		FLD(struct drm_ogpu_dev_query, size, F_PLAIN),
		FLD(struct drm_ogpu_dev_query, pointer, F_PTR_OUT),
		FLD(struct drm_ogpu_dev_query, flags, F_PLAIN),
		FLD(struct drm_ogpu_dev_query, pad, F_PLAIN),
	};
	uint32_t len = chance(&w->r, 20) ? 0 : 16 + below(&w->r, 256);
	struct drm_ogpu_dev_query q = {
		.type = below(&w->r, 3),
		.size = len,
		.pointer = ptr(scratch_tail(w, 4096)),
	};

	if (mut)
		mutate_one(&w->r, &q, f, 5);
	/* Anything past the 4 KiB before the guard page faults. */
	fz_ioctl(w, OP_DEV_QUERY, DRM_IOCTL_OGPU_DEV_QUERY, &q);
}

static uint64_t bo_size(struct worker *w)
{
	if (chance(&w->r, 90))
		return (1 + below(&w->r, 64)) * 4096ull;
	return (1 + below(&w->r, 1024)) * 4096ull;
}

static void pool_add_bo(struct worker *w, uint32_t handle, uint64_t size)
{
	struct pool *p = w->pool;
	struct drm_gem_close c = { .handle = handle };
	bool added = false;

	pthread_mutex_lock(&p->lock);
	if (p->nbo < MAX_BOS) {
		p->bo[p->nbo++] = (struct bo_ent){ handle, size };
		p->bo_bytes += size;
		added = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (!added)
		fz_ioctl(w, OP_GEM_CLOSE, DRM_IOCTL_GEM_CLOSE, &c);
}

static void op_gem_close(struct worker *w, bool mut)
{
	struct drm_gem_close c = { 0 };
	struct bo_ent b = { below(&w->r, 64), 0 };

	if (TAKE(w, bo, nbo, &b)) {
		pthread_mutex_lock(&w->pool->lock);
		w->pool->bo_bytes -= b.size;
		pthread_mutex_unlock(&w->pool->lock);
	}
	c.handle = b.handle;
	if (mut)
		c.pad = (uint32_t)mutate_value(&w->r, 0, 4);
	fz_ioctl(w, OP_GEM_CLOSE, DRM_IOCTL_GEM_CLOSE, &c);
}

static void op_bo_create(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_bo_create, size, F_PLAIN),
		FLD(struct drm_ogpu_bo_create, flags, F_PLAIN),
		FLD(struct drm_ogpu_bo_create, handle, F_PLAIN),
	};
	struct drm_ogpu_bo_create c = {
		.size = bo_size(w),
		.flags = 1 + below(&w->r, 3),
	};
	uint64_t bytes;

	pthread_mutex_lock(&w->pool->lock);
	bytes = w->pool->bo_bytes;
	pthread_mutex_unlock(&w->pool->lock);
	if (bytes + c.size > MAX_BO_BYTES || chance(&w->r, 10)) {
		op_gem_close(w, false);
		return;
	}
	if (mut) {
		mutate_one(&w->r, &c, f, 3);
		/*
		 * Keep memory bounded: a mutated size either fits the budget
		 * or is far beyond any region (system memory is allocated at
		 * creation).
		 */
		if (c.size > (8ull << 20) && c.size < (1ull << 40))
			c.size = 1ull << 40;
	}
	if (!fz_ioctl(w, OP_BO_CREATE, DRM_IOCTL_OGPU_BO_CREATE, &c))
		pool_add_bo(w, c.handle, c.size);
}

static void op_bo_mmap(struct worker *w, bool mut)
{
	struct drm_ogpu_bo_mmap_offset m = { 0 };
	struct bo_ent b = { below(&w->r, 64), 4096 };
	size_t len;
	void *map;

	pick_bo(w, &b);
	m.handle = b.handle;
	if (mut) {
		if (chance(&w->r, 50))
			m.handle = (uint32_t)mutate_value(&w->r, m.handle, 4);
		else
			m.pad = (uint32_t)mutate_value(&w->r, 0, 4);
	}
	if (fz_ioctl(w, OP_BO_MMAP, DRM_IOCTL_OGPU_BO_MMAP_OFFSET, &m) ||
	    chance(&w->r, 50))
		return;
	len = chance(&w->r, 80) ? b.size : b.size + 4096;
	if (chance(&w->r, 10))
		m.offset += 4096 * (1 + below(&w->r, 4));
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd,
		   m.offset);
	if (map == MAP_FAILED)
		return;
	/* The handle may be gone already; the mapping holds the buffer. */
	((volatile uint8_t *)map)[below(&w->r, 4096)] = (uint8_t)rnd(&w->r);
	(void)((volatile uint8_t *)map)[below(&w->r, 4096)];
	munmap(map, len);
}

static void op_vm_destroy(struct worker *w, bool mut)
{
	struct drm_ogpu_vm_destroy d = { 0 };
	struct vm_ent v = { below(&w->r, 8), 0 };

	TAKE(w, vm, nvm, &v);
	d.vm_id = v.id;
	if (mut) {
		if (chance(&w->r, 50))
			d.vm_id = (uint32_t)mutate_value(&w->r, d.vm_id, 4);
		else
			d.pad = (uint32_t)mutate_value(&w->r, 0, 4);
	}
	fz_ioctl(w, OP_VM_DESTROY, DRM_IOCTL_OGPU_VM_DESTROY, &d);
}

static void op_vm_create(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_vm_create, flags, F_PLAIN),
		FLD(struct drm_ogpu_vm_create, vm_id, F_PLAIN),
		FLD(struct drm_ogpu_vm_create, hw_ctx, F_PLAIN),
		FLD(struct drm_ogpu_vm_create, pad, F_PLAIN),
		FLD(struct drm_ogpu_vm_create, va_start, F_PLAIN),
	};
	struct drm_ogpu_vm_create c = { 0 };
	struct pool *p = w->pool;
	bool full;

	pthread_mutex_lock(&p->lock);
	full = p->nvm >= MAX_VMS;
	pthread_mutex_unlock(&p->lock);
	if (full)
		op_vm_destroy(w, false);
	if (mut)
		mutate_one(&w->r, &c, f, 5);
	if (fz_ioctl(w, OP_VM_CREATE, DRM_IOCTL_OGPU_VM_CREATE, &c))
		return;
	pthread_mutex_lock(&p->lock);
	if (p->nvm < MAX_VMS) {
		p->vm[p->nvm++] = (struct vm_ent){ c.vm_id, c.va_start };
		full = false;
	} else {
		full = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (full) {
		struct drm_ogpu_vm_destroy d = { .vm_id = c.vm_id };

		fz_ioctl(w, OP_VM_DESTROY, DRM_IOCTL_OGPU_VM_DESTROY, &d);
	}
}

/* A page-aligned VA in the fuzz window of a VM. */
static uint64_t window_va(struct worker *w, const struct vm_ent *v)
{
	return v->va_start + below(&w->r, FUZZ_WINDOW / 4096) * 4096ull;
}

static void fill_syncs(struct worker *w, struct drm_ogpu_sync *s,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		s[i].handle = pick_sync(w);
		s[i].flags = chance(&w->r, 30) ? DRM_OGPU_SYNC_TIMELINE : 0;
		s[i].point = s[i].flags ? 1 + below(&w->r, 16) : 0;
	}
}

static const struct field sync_fields[] = {
	FLD(struct drm_ogpu_sync, handle, F_PLAIN),
	FLD(struct drm_ogpu_sync, flags, F_PLAIN),
	FLD(struct drm_ogpu_sync, point, F_PLAIN),
};

#define OBJ_ARRAY_FIELDS(s, m)						\
	FLD(s, m.stride, F_PLAIN), FLD(s, m.count, F_PLAIN),		\
	FLD(s, m.array, F_PTR_IN)

static void op_vm_bind(struct worker *w, bool mut, bool async)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_vm_bind, vm_id, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind, flags, F_PLAIN),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_vm_bind, ops),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_vm_bind, in_syncs),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_vm_bind, out_syncs),
	};
	static const struct field of[] = {
		FLD(struct drm_ogpu_vm_bind_op, op, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, flags, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, handle, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, pad, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, bo_offset, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, va, F_PLAIN),
		FLD(struct drm_ogpu_vm_bind_op, range, F_PLAIN),
	};
	struct drm_ogpu_vm_bind_op *o = (void *)w->scratch;
	struct drm_ogpu_sync *in = (void *)(w->scratch + 4096);
	struct drm_ogpu_sync *out = (void *)(w->scratch + 8192);
	unsigned int nops = 1 + (chance(&w->r, 30) ? below(&w->r, 4) : 0);
	unsigned int nin = async ? below(&w->r, 3) : 0;
	unsigned int nout = async ? below(&w->r, 3) : 0;
	struct vm_ent v = { below(&w->r, 8), 1ull << 32 };
	struct drm_ogpu_vm_bind b = { 0 };
	unsigned int i;

	pick_vm(w, &v);
	for (i = 0; i < nops; i++) {
		struct bo_ent bo = { below(&w->r, 64), 4096 };

		memset(&o[i], 0, sizeof(o[i]));
		o[i].va = window_va(w, &v);
		if (chance(&w->r, 65)) {
			pick_bo(w, &bo);
			o[i].op = DRM_OGPU_VM_BIND_OP_MAP;
			o[i].flags = 1 + below(&w->r, 7);
			o[i].handle = bo.handle;
			o[i].bo_offset = below(&w->r, bo.size / 4096) * 4096ull;
			o[i].range = (1 + below(&w->r, (bo.size - o[i].bo_offset) /
						4096)) * 4096ull;
		} else {
			o[i].op = DRM_OGPU_VM_BIND_OP_UNMAP;
			o[i].range = (1 + below(&w->r, 256)) * 4096ull;
		}
	}
	fill_syncs(w, in, nin);
	fill_syncs(w, out, nout);
	b.vm_id = v.id;
	b.flags = async ? DRM_OGPU_VM_BIND_ASYNC : 0;
	b.ops = (struct drm_ogpu_obj_array){ sizeof(*o), nops, ptr(o) };
	b.in_syncs = (struct drm_ogpu_obj_array){ sizeof(*in), nin, ptr(in) };
	b.out_syncs = (struct drm_ogpu_obj_array){ sizeof(*out), nout, ptr(out) };
	if (mut) {
		switch (below(&w->r, 3)) {
		case 0:
			mutate_one(&w->r, &b, f, sizeof(f) / sizeof(f[0]));
			break;
		case 1:
			mutate_one(&w->r, &o[below(&w->r, nops)], of, 7);
			break;
		default:
			if (nin + nout)
				mutate_one(&w->r, nin ? &in[0] : &out[0],
					   sync_fields, 3);
			else
				mutate_one(&w->r, &b, f, 2);
			break;
		}
	}
	fz_ioctl(w, async ? OP_VM_BIND_ASYNC : OP_VM_BIND,
		 DRM_IOCTL_OGPU_VM_BIND, &b);
}

static void op_queue_destroy(struct worker *w, bool mut)
{
	struct drm_ogpu_queue_destroy d = { 0 };
	struct q_ent q = { below(&w->r, 8), 0 };

	TAKE(w, q, nq, &q);
	d.queue_id = q.id;
	if (mut) {
		if (chance(&w->r, 50))
			d.queue_id = (uint32_t)mutate_value(&w->r, d.queue_id, 4);
		else
			d.pad = (uint32_t)mutate_value(&w->r, 0, 4);
	}
	fz_ioctl(w, OP_QUEUE_DESTROY, DRM_IOCTL_OGPU_QUEUE_DESTROY, &d);
}

static void op_queue_create(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_queue_create, vm_id, F_PLAIN),
		FLD(struct drm_ogpu_queue_create, engine_class, F_PLAIN),
		FLD(struct drm_ogpu_queue_create, priority, F_PLAIN),
		FLD(struct drm_ogpu_queue_create, timeout_ms, F_PLAIN),
		FLD(struct drm_ogpu_queue_create, flags, F_PLAIN),
		FLD(struct drm_ogpu_queue_create, queue_id, F_PLAIN),
	};
	struct vm_ent v = { below(&w->r, 8), 0 };
	struct drm_ogpu_queue_create c = { 0 };
	struct pool *p = w->pool;
	bool full;

	pthread_mutex_lock(&p->lock);
	full = p->nq >= MAX_QUEUES;
	pthread_mutex_unlock(&p->lock);
	if (full)
		op_queue_destroy(w, false);
	pick_vm(w, &v);
	c.vm_id = v.id;
	c.engine_class = below(&w->r, 2);
	c.priority = below(&w->r, 3);
	c.timeout_ms = 100 + below(&w->r, 201);
	if (mut) {
		mutate_one(&w->r, &c, f, 6);
		/* A queue that hangs must be banned quickly. */
		if (!c.timeout_ms || c.timeout_ms > 300)
			c.timeout_ms = chance(&w->r, 50) ? 60001 : 300;
	}
	if (fz_ioctl(w, OP_QUEUE_CREATE, DRM_IOCTL_OGPU_QUEUE_CREATE, &c))
		return;
	pthread_mutex_lock(&p->lock);
	if (p->nq < MAX_QUEUES) {
		p->q[p->nq++] = (struct q_ent){ c.queue_id, c.vm_id };
		full = false;
	} else {
		full = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (full) {
		struct drm_ogpu_queue_destroy d = { .queue_id = c.queue_id };

		fz_ioctl(w, OP_QUEUE_DESTROY, DRM_IOCTL_OGPU_QUEUE_DESTROY, &d);
	}
}

static void op_queue_get_state(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_queue_get_state, queue_id, F_PLAIN),
		FLD(struct drm_ogpu_queue_get_state, error, F_PLAIN),
		FLD(struct drm_ogpu_queue_get_state, fault_addr, F_PLAIN),
		FLD(struct drm_ogpu_queue_get_state, pad, F_PLAIN),
	};
	struct drm_ogpu_queue_get_state s = { 0 };
	struct q_ent q = { below(&w->r, 8), 0 };

	pick_queue(w, &q);
	s.queue_id = q.id;
	if (mut)
		mutate_one(&w->r, &s, f, 4);
	fz_ioctl(w, OP_QUEUE_GET_STATE, DRM_IOCTL_OGPU_QUEUE_GET_STATE, &s);
}

/* ---- Packets -------------------------------------------------------- */

/* An address a packet points at: the arena, the fuzz window, or beyond. */
static uint64_t pkt_addr(struct worker *w, uint64_t arena_va,
			 const struct vm_ent *v)
{
	switch (below(&w->r, 10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		return arena_va + below(&w->r, ARENA_SIZE / 8) * 8;
	case 4:
	case 5:
		return window_va(w, v) + below(&w->r, 512) * 8;
	case 6:
		return below(&w->r, 1 << 20) * 8ull;
	case 7:
		/* The kernel's part of the VM: ring, fences, page tables. */
		if (opt.kernel_va)
			return (1ull << 47) + below(&w->r, 1 << 16) * 8ull;
		return arena_va;
	case 8:
		return rnd_safe64(&w->r) & ~7ull;
	default:
		return arena_va + rnd(&w->r) % (2 * ARENA_SIZE);
	}
}

static uint64_t pkt_size(struct worker *w)
{
	switch (below(&w->r, 8)) {
	case 0:
		return 0;
	case 1:
		return mutate_value(&w->r, 4096, 8);
	case 2:
		return below(&w->r, 1 << 22);
	default:
		return 1 + below(&w->r, 8192);
	}
}

/*
 * Write a packet stream into @buf (at most @max words): mostly packets
 * with valid headers and random operands, sometimes a wrong length or
 * opcode, sometimes plain junk. Returns the number of words.
 */
static unsigned int gen_packets(struct worker *w, uint32_t *buf,
				unsigned int max, uint64_t arena_va,
				const struct vm_ent *v)
{
	unsigned int n = 0, npkt = 1 + below(&w->r, 12), i;
	/* Now and then a stream that runs to completion. */
	bool clean = chance(&w->r, 30);

	/* Room for the longest packet made here, COPY, and a word. */
	for (i = 0; i < npkt && n + OGPU_PKT_COPY_NDW + 1 <= max; i++) {
		uint64_t a = pkt_addr(w, arena_va, v), b, s;
		unsigned int op = below(&w->r, 10), ndw, k;

		if (clean) {
			static const unsigned int ok_ops[] = {
				OGPU_PKT_NOP, OGPU_PKT_WRITE_DATA,
				OGPU_PKT_SEM_SIGNAL, OGPU_PKT_TIMESTAMP,
			};

			op = ok_ops[below(&w->r, 4)];
			a = arena_va + ARENA_SIZE / 2 + below(&w->r, 1024) * 8;
		}

		switch (op) {
		case OGPU_PKT_NOP:
			ndw = OGPU_PKT_NOP_NDW + below(&w->r, 6);
			buf[n] = OGPU_PKT(op, ndw);
			for (k = 1; k < ndw; k++)
				buf[n + k] = (uint32_t)rnd(&w->r);
			break;
		case OGPU_PKT_WRITE_DATA: {
			bool narrow = chance(&w->r, 50);

			b = (uint32_t)rnd(&w->r);
			b |= (uint64_t)(uint32_t)rnd(&w->r) << 32;
			ndw = narrow ?
			      ogpu_pkt_write_data32(buf + n, a, (uint32_t)b) :
			      ogpu_pkt_write_data64(buf + n, a, b);
			break;
		}
		case OGPU_PKT_FENCE:
		case OGPU_PKT_SEM_WAIT:
		case OGPU_PKT_SEM_SIGNAL:
			b = chance(&w->r, 70) ? below(&w->r, 4) : rnd(&w->r);
			if (op == OGPU_PKT_FENCE)
				ndw = ogpu_pkt_fence(buf + n, a, b);
			else if (op == OGPU_PKT_SEM_WAIT)
				ndw = ogpu_pkt_sem_wait(buf + n, a, b);
			else
				ndw = ogpu_pkt_sem_signal(buf + n, a, b);
			break;
		case OGPU_PKT_COPY:
			b = pkt_addr(w, arena_va, v);
			s = pkt_size(w);
			/* From a to b. */
			ndw = ogpu_pkt_copy(buf + n, b, a, s);
			break;
		case OGPU_PKT_FILL:
			s = pkt_size(w);
			ndw = ogpu_pkt_fill(buf + n, a, s, (uint32_t)rnd(&w->r));
			break;
		case OGPU_PKT_TIMESTAMP:
			ndw = ogpu_pkt_timestamp(buf + n, a);
			break;
		case OGPU_PKT_INDIRECT:
			/* Into the arena, which holds more packets. */
			if (chance(&w->r, 80))
				a = arena_va + below(&w->r, ARENA_SIZE / 4) * 4;
			ndw = ogpu_pkt_indirect(buf + n, a,
						chance(&w->r, 70) ?
						1 + below(&w->r, 64) :
						(uint32_t)rnd(&w->r));
			break;
		default:
			/* Junk words. */
			ndw = 1 + below(&w->r, 7);
			for (k = 0; k < ndw; k++)
				buf[n + k] = (uint32_t)rnd(&w->r);
			break;
		}
		/* A wrong length or opcode in an otherwise valid packet. */
		if (clean)
			;
		else if (chance(&w->r, 5))
			buf[n] = OGPU_PKT(OGPU_PKT_OP(buf[n]),
					  below(&w->r, 12));
		if (chance(&w->r, 3))
			buf[n] = OGPU_PKT(9 + below(&w->r, 247), ndw);
		n += ndw;
	}
	atomic_fetch_add_explicit(&sh->packets, i, memory_order_relaxed);
	return n;
}

/* Make (or remake) this thread's command buffer. */
static int arena_ensure(struct worker *w)
{
	struct drm_ogpu_bo_create c = { .size = ARENA_SIZE,
					.flags = DRM_OGPU_BO_SYSTEM };
	struct drm_ogpu_bo_mmap_offset m = { 0 };
	void *map;

	if (w->arena_map)
		return 0;
	if (fz_ioctl(w, OP_BO_CREATE, DRM_IOCTL_OGPU_BO_CREATE, &c))
		return -1;
	m.handle = c.handle;
	if (fz_ioctl(w, OP_BO_MMAP, DRM_IOCTL_OGPU_BO_MMAP_OFFSET, &m))
		goto err;
	map = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd,
		   m.offset);
	if (map == MAP_FAILED)
		goto err;
	w->arena = c.handle;
	w->arena_map = map;
	return 0;
err:
	{
		struct drm_gem_close g = { .handle = c.handle };

		fz_ioctl(w, OP_GEM_CLOSE, DRM_IOCTL_GEM_CLOSE, &g);
	}
	return -1;
}

/* Bind the arena at @va in VM @vm_id; false if the arena is gone. */
static bool arena_bind(struct worker *w, uint32_t vm_id, uint64_t va)
{
	struct drm_ogpu_vm_bind_op bo = {
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.flags = DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE |
			 DRM_OGPU_VM_BIND_EXEC,
		.handle = w->arena, .va = va, .range = ARENA_SIZE,
	};
	struct drm_ogpu_vm_bind b = {
		.vm_id = vm_id,
		.ops = { sizeof(bo), 1, ptr(&bo) },
	};

	/* -EEXIST when it is bound there already. */
	if (fz_ioctl(w, OP_VM_BIND, DRM_IOCTL_OGPU_VM_BIND, &b) == -ENOENT &&
	    chance(&w->r, 50)) {
		/* Maybe another thread closed our handle: start afresh. */
		munmap(w->arena_map, ARENA_SIZE);
		w->arena_map = NULL;
	}
	return w->arena_map;
}

static void op_submit(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_ogpu_submit, queue_id, F_PLAIN),
		FLD(struct drm_ogpu_submit, flags, F_PLAIN),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_submit, cmdbufs),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_submit, in_syncs),
		OBJ_ARRAY_FIELDS(struct drm_ogpu_submit, out_syncs),
	};
	static const struct field cf[] = {
		FLD(struct drm_ogpu_cmdbuf, va, F_PLAIN),
		FLD(struct drm_ogpu_cmdbuf, size_dw, F_PLAIN),
		FLD(struct drm_ogpu_cmdbuf, pad, F_PLAIN),
	};
	struct drm_ogpu_cmdbuf *cb = (void *)w->scratch;
	struct drm_ogpu_sync *in = (void *)(w->scratch + 4096);
	struct drm_ogpu_sync *out = (void *)(w->scratch + 8192);
	unsigned int ncb = 1 + (chance(&w->r, 20) ? below(&w->r, 3) : 0);
	unsigned int nin = chance(&w->r, 30) ? 1 + below(&w->r, 2) : 0;
	unsigned int nout = chance(&w->r, 70) ? 1 + below(&w->r, 2) : 0;
	struct q_ent q = { below(&w->r, 8), 0 };
	struct vm_ent v = { 0, 1ull << 32 };
	struct drm_ogpu_submit s = { 0 };
	uint64_t arena_va;
	unsigned int i, at = 0;
	struct pool *p = w->pool;
	int ret;

	if (arena_ensure(w))
		return;
	pick_queue(w, &q);
	/* The queue's VM, for the arena's address in it. */
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nvm; i++)
		if (p->vm[i].id == q.vm)
			v = p->vm[i];
	pthread_mutex_unlock(&p->lock);
	v.id = q.vm;
	arena_va = v.va_start + ARENA_OFFSET + w->tid * (uint64_t)ARENA_SIZE;

	if (!arena_bind(w, v.id, arena_va))
		return;

	for (i = 0; i < ncb; i++) {
		unsigned int room = ARENA_SIZE / 4 - at, nw;

		if (room < 128)
			at = 0, room = ARENA_SIZE / 4;
		nw = gen_packets(w, w->arena_map + at, room < 512 ? room : 512,
				 arena_va, &v);
		if (!nw)
			nw = ogpu_pkt_nop(w->arena_map + at);
		cb[i] = (struct drm_ogpu_cmdbuf){ arena_va + at * 4, nw, 0 };
		at += nw;
	}
	fill_syncs(w, in, nin);
	fill_syncs(w, out, nout);
	s.queue_id = q.id;
	s.cmdbufs = (struct drm_ogpu_obj_array){ sizeof(*cb), ncb, ptr(cb) };
	s.in_syncs = (struct drm_ogpu_obj_array){ sizeof(*in), nin, ptr(in) };
	s.out_syncs = (struct drm_ogpu_obj_array){ sizeof(*out), nout, ptr(out) };
	if (mut) {
		switch (below(&w->r, 3)) {
		case 0:
			mutate_one(&w->r, &s, f, sizeof(f) / sizeof(f[0]));
			break;
		case 1:
			mutate_one(&w->r, &cb[below(&w->r, ncb)], cf, 3);
			break;
		default:
			if (nin + nout)
				mutate_one(&w->r, nin ? &in[0] : &out[0],
					   sync_fields, 3);
			else
				mutate_one(&w->r, &s, f, 2);
			break;
		}
	}
	ret = fz_ioctl(w, OP_SUBMIT, DRM_IOCTL_OGPU_SUBMIT, &s);
	if (!ret)
		atomic_fetch_add_explicit(&sh->submits_ok, 1,
					  memory_order_relaxed);
	if (ret == -ECANCELED && !mut && chance(&w->r, 50)) {
		/* Banned: replace it, so that work keeps reaching the GPU. */
		struct drm_ogpu_queue_destroy d = { .queue_id = q.id };

		pthread_mutex_lock(&p->lock);
		for (i = 0; i < p->nq; i++)
			if (p->q[i].id == q.id)
				p->q[i] = p->q[--p->nq];
		pthread_mutex_unlock(&p->lock);
		fz_ioctl(w, OP_QUEUE_DESTROY, DRM_IOCTL_OGPU_QUEUE_DESTROY, &d);
		op_queue_create(w, false);
	}
}

/* ---- DRM core ioctls ------------------------------------------------ */

static void op_syncobj_destroy(struct worker *w, bool mut)
{
	struct drm_syncobj_destroy d = { 0 };
	uint32_t h = below(&w->r, 64);

	TAKE(w, sync, nsync, &h);
	d.handle = h;
	if (mut)
		d.pad = (uint32_t)mutate_value(&w->r, 0, 4);
	fz_ioctl(w, OP_SYNCOBJ_DESTROY, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static void pool_add_sync(struct worker *w, uint32_t h)
{
	struct pool *p = w->pool;
	bool added = false;

	pthread_mutex_lock(&p->lock);
	if (p->nsync < MAX_SYNCS) {
		p->sync[p->nsync++] = h;
		added = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (!added) {
		struct drm_syncobj_destroy d = { .handle = h };

		fz_ioctl(w, OP_SYNCOBJ_DESTROY, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
	}
}

static void op_syncobj_create(struct worker *w, bool mut)
{
	struct drm_syncobj_create c = {
		.flags = chance(&w->r, 30) ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
	};
	bool full;

	pthread_mutex_lock(&w->pool->lock);
	full = w->pool->nsync >= MAX_SYNCS;
	pthread_mutex_unlock(&w->pool->lock);
	if (full)
		op_syncobj_destroy(w, false);
	if (mut)
		c.flags = (uint32_t)mutate_value(&w->r, c.flags, 4);
	if (!fz_ioctl(w, OP_SYNCOBJ_CREATE, DRM_IOCTL_SYNCOBJ_CREATE, &c))
		pool_add_sync(w, c.handle);
}

/* A small handle array in scratch; its count, capped (see the top). */
static uint32_t *sync_array(struct worker *w, unsigned int n)
{
	uint32_t *h = scratch_tail(w, 8192);
	unsigned int i;

	for (i = 0; i < n; i++)
		h[i] = pick_sync(w);
	return h;
}

static uint32_t mutated_count(struct worker *w, uint32_t count)
{
	static const uint32_t c[] = { 0, 1, 2, 64, 65, 1024, MAX_SYNC_COUNT };

	(void)count;
	return c[below(&w->r, sizeof(c) / sizeof(c[0]))];
}

static void op_syncobj_wait(struct worker *w, bool mut, bool timeline)
{
	unsigned int n = 1 + below(&w->r, 3);
	uint32_t *h = sync_array(w, n);
	uint64_t *pts = (void *)w->scratch;
	uint32_t flags = below(&w->r, 4) & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	/* Absolute CLOCK_MONOTONIC; never far ahead, so nothing blocks. */
	int64_t timeout = now_ns() + below(&w->r, 20) * 1000000ll;
	unsigned int i, which = below(&w->r, 5);

	if (chance(&w->r, 20))
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	for (i = 0; i < n; i++)
		pts[i] = below(&w->r, 8);
	if (!timeline) {
		struct drm_syncobj_wait a = {
			.handles = ptr(h), .timeout_nsec = timeout,
			.count_handles = n, .flags = flags,
		};

		if (mut) {
			switch (which) {
			case 0:
				a.count_handles = mutated_count(w, n);
				break;
			case 1:
				a.flags = (uint32_t)mutate_value(&w->r, flags, 4);
				break;
			case 2:
				a.handles = rnd_safe64(&w->r);
				break;
			case 3:
				a.timeout_nsec = chance(&w->r, 50) ? 0 : -1;
				break;
			default:
				a.pad = (uint32_t)mutate_value(&w->r, 0, 4);
				break;
			}
		}
		fz_ioctl(w, OP_SYNCOBJ_WAIT, DRM_IOCTL_SYNCOBJ_WAIT, &a);
	} else {
		struct drm_syncobj_timeline_wait a = {
			.handles = ptr(h), .points = ptr(pts),
			.timeout_nsec = timeout, .count_handles = n,
			.flags = flags,
		};

		if (chance(&w->r, 20))
			a.flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
		if (mut) {
			switch (which) {
			case 0:
				a.count_handles = mutated_count(w, n);
				break;
			case 1:
				a.flags = (uint32_t)mutate_value(&w->r, a.flags, 4);
				break;
			case 2:
				a.points = rnd_safe64(&w->r);
				break;
			case 3:
				pts[0] = mutate_value(&w->r, pts[0], 8);
				break;
			default:
				a.pad = (uint32_t)mutate_value(&w->r, 0, 4);
				break;
			}
		}
		fz_ioctl(w, OP_SYNCOBJ_TIMELINE_WAIT,
			 DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &a);
	}
}

/* RESET, SIGNAL, TIMELINE_SIGNAL and QUERY: arrays with a capped count. */
static void op_syncobj_array(struct worker *w, bool mut, enum op op)
{
	unsigned int n = 1 + below(&w->r, 4), i;
	uint32_t *h = sync_array(w, n);
	/* QUERY writes count points: at the guard page, so overruns fault. */
	uint64_t *pts = scratch_tail(w, 8 * MAX_SYNC_COUNT / 4);
	unsigned int which = below(&w->r, 3);

	for (i = 0; i < n; i++)
		pts[i] = 1 + below(&w->r, 16);
	if (op == OP_SYNCOBJ_RESET || op == OP_SYNCOBJ_SIGNAL) {
		struct drm_syncobj_array a = {
			.handles = ptr(h), .count_handles = n,
		};

		if (mut) {
			if (which == 0)
				a.count_handles = mutated_count(w, n);
			else if (which == 1)
				a.handles = rnd_safe64(&w->r);
			else
				a.pad = (uint32_t)mutate_value(&w->r, 0, 4);
		}
		fz_ioctl(w, op, op == OP_SYNCOBJ_RESET ?
			 DRM_IOCTL_SYNCOBJ_RESET : DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
	} else {
		struct drm_syncobj_timeline_array a = {
			.handles = ptr(h), .points = ptr(pts),
			.count_handles = n,
		};

		if (mut) {
			/* QUERY's points are written: a safe pointer only. */
			if (which == 0)
				a.count_handles = mutated_count(w, n) / 4;
			else if (which == 1)
				a.points = chance(&w->r, 50) ? 0 : rnd_safe64(&w->r);
			else
				a.flags = (uint32_t)mutate_value(&w->r, 0, 4);
		} else if (op == OP_SYNCOBJ_QUERY && chance(&w->r, 30)) {
			a.flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED;
		}
		fz_ioctl(w, op, op == OP_SYNCOBJ_QUERY ?
			 DRM_IOCTL_SYNCOBJ_QUERY :
			 DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
	}
}

static void op_syncobj_transfer(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_syncobj_transfer, src_handle, F_PLAIN),
		FLD(struct drm_syncobj_transfer, dst_handle, F_PLAIN),
		FLD(struct drm_syncobj_transfer, src_point, F_PLAIN),
		FLD(struct drm_syncobj_transfer, dst_point, F_PLAIN),
		FLD(struct drm_syncobj_transfer, flags, F_PLAIN),
		FLD(struct drm_syncobj_transfer, pad, F_PLAIN),
	};
	struct drm_syncobj_transfer t = {
		.src_handle = pick_sync(w), .dst_handle = pick_sync(w),
		.src_point = below(&w->r, 4), .dst_point = below(&w->r, 16),
	};

	if (mut)
		mutate_one(&w->r, &t, f, 6);
	fz_ioctl(w, OP_SYNCOBJ_TRANSFER, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
}

static void op_syncobj_fd(struct worker *w, bool mut)
{
	struct drm_syncobj_handle a = { .handle = pick_sync(w), .fd = -1 };
	int fd;

	if (chance(&w->r, 30))
		a.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	if (mut && chance(&w->r, 50)) {
		if (chance(&w->r, 50))
			a.flags = (uint32_t)mutate_value(&w->r, a.flags, 4);
		else
			a.pad = (uint32_t)mutate_value(&w->r, 0, 4);
		mut = false;
	}
	if (fz_ioctl(w, OP_SYNCOBJ_FD, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a))
		return;
	fd = a.fd;
	/* Back in: into a new handle, or (sync file) into an existing one. */
	if (a.flags) {
		a.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
		a.handle = pick_sync(w);
	} else {
		a.handle = 0;
	}
	if (mut) {
		if (chance(&w->r, 50))
			a.fd = (int)(uint32_t)mutate_value(&w->r, (uint32_t)fd, 4);
		else
			a.flags ^= 1u << below(&w->r, 32);
	}
	if (!fz_ioctl(w, OP_SYNCOBJ_FD, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a) &&
	    !(a.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE))
		pool_add_sync(w, a.handle);
	close(fd);
}

static void op_syncobj_eventfd(struct worker *w, bool mut)
{
	static const struct field f[] = {
		FLD(struct drm_syncobj_eventfd, handle, F_PLAIN),
		FLD(struct drm_syncobj_eventfd, flags, F_PLAIN),
		FLD(struct drm_syncobj_eventfd, point, F_PLAIN),
		FLD(struct drm_syncobj_eventfd, fd, F_PLAIN),
		FLD(struct drm_syncobj_eventfd, pad, F_PLAIN),
	};
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct drm_syncobj_eventfd e = {
		.handle = pick_sync(w), .point = below(&w->r, 8), .fd = efd,
		.flags = chance(&w->r, 30) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE : 0,
	};

	if (efd < 0)
		return;
	if (mut)
		mutate_one(&w->r, &e, f, 5);
	fz_ioctl(w, OP_SYNCOBJ_EVENTFD, DRM_IOCTL_SYNCOBJ_EVENTFD, &e);
	close(efd);
}

static void op_prime(struct worker *w, bool mut)
{
	struct bo_ent b = { below(&w->r, 64), 0 };
	struct drm_prime_handle p = { .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };
	int fd;

	pick_bo(w, &b);
	p.handle = b.handle;
	if (mut && chance(&w->r, 50)) {
		if (chance(&w->r, 50))
			p.flags = (uint32_t)mutate_value(&w->r, p.flags, 4);
		else
			p.handle = (uint32_t)mutate_value(&w->r, p.handle, 4);
		mut = false;
	}
	if (fz_ioctl(w, OP_PRIME, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p))
		return;
	fd = p.fd;
	p.handle = 0;
	p.flags = 0;
	if (mut)
		p.fd = (int)(uint32_t)mutate_value(&w->r, (uint32_t)fd, 4);
	/* Importing our own buffer gives its handle back: nothing to track. */
	if (chance(&w->r, 50)) {
		fz_ioctl(w, OP_PRIME, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	} else {
		struct drm_ogpu_prime_import imp = {
			.fd = p.fd,
			.flags = chance(&w->r, 50) ? DRM_OGPU_IMPORT_LINK_ONLY : 0,
		};

		if (mut && chance(&w->r, 50))
			imp.flags = (uint32_t)mutate_value(&w->r, imp.flags, 4);
		else if (mut)
			imp.pad = (uint32_t)mutate_value(&w->r, 0, 4);
		fz_ioctl(w, OP_PRIME, DRM_IOCTL_OGPU_PRIME_IMPORT, &imp);
	}
	close(fd);
}

static void op_core_misc(struct worker *w, bool mut)
{
	char *s = scratch_tail(w, 4096);

	switch (below(&w->r, 5)) {
	case 0: {
		struct drm_version v = {
			.name_len = 64, .name = s,
			.date_len = 64, .date = s + 64,
			.desc_len = 64, .desc = s + 128,
		};

		/* A longer buffer than there is runs into the guard page. */
		if (mut)
			v.desc_len = (size_t)mutate_value(&w->r, 64, 8);
		fz_ioctl(w, OP_CORE_MISC, DRM_IOCTL_VERSION, &v);
		break;
	}
	case 1: {
		struct drm_get_cap c = { .capability = 1 + below(&w->r, 0x14) };

		if (mut)
			c.capability = mutate_value(&w->r, c.capability, 8);
		fz_ioctl(w, OP_CORE_MISC, DRM_IOCTL_GET_CAP, &c);
		break;
	}
	case 2: {
		struct drm_set_client_cap c = {
			.capability = 1 + below(&w->r, 6),
			.value = below(&w->r, 2),
		};

		if (mut)
			c.value = mutate_value(&w->r, c.value, 8);
		fz_ioctl(w, OP_CORE_MISC, DRM_IOCTL_SET_CLIENT_CAP, &c);
		break;
	}
	case 3: {
		struct drm_unique u = { .unique_len = 64, .unique = s };

		fz_ioctl(w, OP_CORE_MISC, DRM_IOCTL_GET_UNIQUE, &u);
		break;
	}
	default: {
		struct drm_auth a = { 0 };

		fz_ioctl(w, OP_CORE_MISC, DRM_IOCTL_GET_MAGIC, &a);
		break;
	}
	}
}

/*
 * DRM core ioctl numbers a random call must not reach with random
 * arguments: those that take a syncobj array (a huge count_handles WARNs,
 * see the top) and the waits (a random absolute timeout never ends).
 */
static bool nr_avoided(unsigned int nr)
{
	switch (nr) {
	case 0xC3:	/* SYNCOBJ_WAIT */
	case 0xC4:	/* SYNCOBJ_RESET */
	case 0xC5:	/* SYNCOBJ_SIGNAL */
	case 0xCA:	/* SYNCOBJ_TIMELINE_WAIT */
	case 0xCB:	/* SYNCOBJ_QUERY */
	case 0xCD:	/* SYNCOBJ_TIMELINE_SIGNAL */
		return true;
	}
	return false;
}

static void op_random_nr(struct worker *w, bool mut)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	uint32_t *buf = scratch_tail(w, 16384);
	unsigned int nr, size, i, type = DRM_IOCTL_BASE;
	unsigned long cmd;
	void *arg = buf;

	do {
		nr = chance(&w->r, 40) ?
			DRM_COMMAND_BASE + below(&w->r, 16) : below(&w->r, 256);
	} while (nr_avoided(nr));
	size = chance(&w->r, 80) ? below(&w->r, 129) : below(&w->r, 1 << 14);
	if (chance(&w->r, 3))
		type = below(&w->r, 256);
	cmd = _IOC(dirs[below(&w->r, 4)], type, nr, size);
	/* Small numbers mostly, so that ids and flags sometimes match. */
	for (i = 0; i < 32; i++)
		buf[i] = chance(&w->r, 60) ? below(&w->r, 4) :
					     (uint32_t)rnd_safe64(&w->r);
	if (chance(&w->r, 5))
		arg = chance(&w->r, 50) ? NULL : (void *)(uintptr_t)rnd_safe64(&w->r);
	(void)mut;
	fz_ioctl(w, OP_RANDOM_NR, cmd, arg);
}

/* ---- Workers -------------------------------------------------------- */

static unsigned int weight_total;

static enum op pick_op(struct worker *w)
{
	unsigned int x = below(&w->r, weight_total), i;

	for (i = 0; i < OP_COUNT; i++) {
		if (x < ops[i].weight)
			return i;
		x -= ops[i].weight;
	}
	return OP_DEV_QUERY;
}

static bool should_stop(void)
{
	return atomic_load_explicit(&sh->stop, memory_order_relaxed) ||
	       atomic_load_explicit(&sh->calls, memory_order_relaxed) >= opt.max_calls;
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;

	while (!should_stop()) {
		enum op op = pick_op(w);
		bool mut = chance(&w->r, 35);

		if (mut)
			atomic_fetch_add_explicit(&sh->mutated, 1,
						  memory_order_relaxed);
		switch (op) {
		case OP_DEV_QUERY: op_dev_query(w, mut); break;
		case OP_BO_CREATE: op_bo_create(w, mut); break;
		case OP_GEM_CLOSE: op_gem_close(w, mut); break;
		case OP_BO_MMAP: op_bo_mmap(w, mut); break;
		case OP_VM_CREATE: op_vm_create(w, mut); break;
		case OP_VM_DESTROY: op_vm_destroy(w, mut); break;
		case OP_VM_BIND: op_vm_bind(w, mut, false); break;
		case OP_VM_BIND_ASYNC: op_vm_bind(w, mut, true); break;
		case OP_QUEUE_CREATE: op_queue_create(w, mut); break;
		case OP_QUEUE_DESTROY: op_queue_destroy(w, mut); break;
		case OP_QUEUE_GET_STATE: op_queue_get_state(w, mut); break;
		case OP_SUBMIT: op_submit(w, mut); break;
		case OP_SYNCOBJ_CREATE: op_syncobj_create(w, mut); break;
		case OP_SYNCOBJ_DESTROY: op_syncobj_destroy(w, mut); break;
		case OP_SYNCOBJ_WAIT: op_syncobj_wait(w, mut, false); break;
		case OP_SYNCOBJ_TIMELINE_WAIT: op_syncobj_wait(w, mut, true); break;
		case OP_SYNCOBJ_RESET:
		case OP_SYNCOBJ_SIGNAL:
		case OP_SYNCOBJ_TIMELINE_SIGNAL:
		case OP_SYNCOBJ_QUERY: op_syncobj_array(w, mut, op); break;
		case OP_SYNCOBJ_TRANSFER: op_syncobj_transfer(w, mut); break;
		case OP_SYNCOBJ_FD: op_syncobj_fd(w, mut); break;
		case OP_SYNCOBJ_EVENTFD: op_syncobj_eventfd(w, mut); break;
		case OP_PRIME: op_prime(w, mut); break;
		case OP_CORE_MISC: op_core_misc(w, mut); break;
		default: op_random_nr(w, mut); break;
		}
	}
	return NULL;
}

/* A worker process: one file, --threads threads on it. Never returns. */
static void worker_main(unsigned int idx, unsigned int gen)
{
	struct worker w[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	struct pool pool = { 0 };
	unsigned int i;
	int fd;

	fd = open(sh->node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		_exit(3);
	pthread_mutex_init(&pool.lock, NULL);
	pthread_rwlock_init(&pool.qlock, NULL);
	pool.fd = fd;
	for (i = 0; i < opt.threads; i++) {
		uint8_t *m = mmap(NULL, SCRATCH_SIZE + 4096,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			_exit(4);
		mprotect(m + SCRATCH_SIZE, 4096, PROT_NONE);
		memset(&w[i], 0, sizeof(w[i]));
		w[i].pool = &pool;
		w[i].fd = fd;
		w[i].tid = i;
		w[i].scratch = m;
		rng_seed(&w[i].r, opt.seed ^ ((uint64_t)idx << 32) ^
			 ((uint64_t)gen << 48) ^ (i * 0x1000193ull));
	}
	for (i = 1; i < opt.threads; i++)
		pthread_create(&th[i], NULL, thread_main, &w[i]);
	thread_main(&w[0]);
	for (i = 1; i < opt.threads; i++)
		pthread_join(th[i], NULL);
	/* Closing the file with everything live is part of the test. */
	_exit(0);
}

/* ---- Supervisor ----------------------------------------------------- */

static pid_t pids[MAX_PROCS];
static unsigned int gens[MAX_PROCS];
static uint64_t kills, restarts, removals, wedged;

static void spawn(unsigned int idx)
{
	pid_t pid = fork();

	if (pid == 0)
		worker_main(idx, gens[idx]);
	pids[idx] = pid;
	gens[idx]++;
}

/* Print what each thread of a stuck process is doing in the kernel. */
static void dump_stuck(pid_t pid)
{
	char path[96], line[256];
	FILE *f;

	printf("# process %d stuck for %d s: the driver is wedged\n", pid,
	       KILL_GRACE_S);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f))
		printf("# stat: %s", line);
	if (f)
		fclose(f);
	snprintf(path, sizeof(path),
		 "cat /proc/%d/task/*/stack 2>/dev/null | sed 's/^/# stack: /'", pid);
	fflush(stdout);
	if (system(path) < 0)
		printf("# cannot read the kernel stacks\n");
	fflush(stdout);
}

/* Wait for a SIGKILLed (or stopping) worker; false if it is stuck. */
static bool reap(unsigned int idx, int grace_s)
{
	int64_t end = now_ns() + grace_s * 1000000000ll;
	int status;

	while (now_ns() < end) {
		pid_t r = waitpid(pids[idx], &status, WNOHANG);

		if (r == pids[idx] || (r < 0 && errno == ECHILD)) {
			pids[idx] = 0;
			return true;
		}
		usleep(10000);
	}
	return false;
}

static bool kill_and_reap(unsigned int idx)
{
	kill(pids[idx], SIGKILL);
	if (reap(idx, KILL_GRACE_S))
		return true;
	dump_stuck(pids[idx]);
	wedged++;
	pids[idx] = 0;	/* abandoned: it will not die */
	return false;
}

static int find_node(char *buf, size_t len)
{
	unsigned int id;

	if (opt.device) {
		snprintf(buf, len, "%s", opt.device);
		return 0;
	}
	if (opt.hotplug)
		return ogpu_wait_node(HOTPLUG_ID, buf, len);
	for (id = 0; id < 4096; id++)
		if (!ogpu_render_node(id, buf, len))
			return 0;
	return -ENOENT;
}

/*
 * Remove the device in a child, so that a removal that never ends (the
 * driver or the device model waiting for something that cannot happen)
 * is reported instead of hanging the run.
 */
static int del_device_bounded(void)
{
	pid_t pid = fork();
	int64_t end = now_ns() + KILL_GRACE_S * 1000000000ll;
	int status;

	if (pid == 0)
		_exit(ogpu_sim_del(HOTPLUG_ID) ? 1 : 0);
	while (now_ns() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
		usleep(10000);
	}
	printf("# del_device of %d did not return in %d s:\n", HOTPLUG_ID,
	       KILL_GRACE_S);
	dump_stuck(pid);
	wedged++;
	return -ETIMEDOUT;
}

/* Remove the device under traffic, make it again, restart the workers. */
static bool hotplug_cycle(void)
{
	unsigned int i;

	if (del_device_bounded())
		return false;
	removals++;
	usleep(300000);	/* workers keep calling into the dead device */
	if (ogpu_sim_new(HOTPLUG_SPEC) ||
	    find_node(sh->node, sizeof(sh->node))) {
		printf("# cannot make device %d again\n", HOTPLUG_ID);
		return false;
	}
	for (i = 0; i < opt.procs; i++) {
		if (!kill_and_reap(i))
			return false;
		kills++;
		spawn(i);
		restarts++;
	}
	return true;
}

static const char *const report_pat[] = {
	"WARNING:", "BUG:", "Oops", "Kernel panic", "general protection",
	"UBSAN:", "KASAN:", "ODEBUG:", "possible circular",
	"possible recursive", "inconsistent lock", "lock held", "Call Trace:",
	"RIP:", "INFO: task", "rcu_sched detected stall",
	"rcu_preempt detected stall", "Trying to push to a killed entity",
};

/* Kernel log records since @fd was opened that are reports; printed. */
static unsigned int kmsg_reports(int fd)
{
	char rec[2048];
	unsigned int n = 0, i;
	ssize_t len;

	if (fd < 0)
		return 0;
	for (;;) {
		char *msg;

		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (len <= 0)
			break;
		rec[len] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < sizeof(report_pat) / sizeof(report_pat[0]); i++) {
			if (strstr(msg, report_pat[i])) {
				printf("# kernel report: %.*s", 200, msg);
				n++;
				break;
			}
		}
	}
	return n;
}

static int errno_cmp(const void *a, const void *b)
{
	uint64_t x = atomic_load(&sh->err[*(const int *)a]);
	uint64_t y = atomic_load(&sh->err[*(const int *)b]);

	return x < y ? 1 : x > y ? -1 : 0;
}

static const char *errno_name(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIME, "ETIME" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { ECANCELED, "ECANCELED" },
		{ EOVERFLOW, "EOVERFLOW" }, { E2BIG, "E2BIG" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return "E?";
}

static void print_figures(double secs, unsigned int reports)
{
	uint64_t calls = atomic_load(&sh->calls), ok = atomic_load(&sh->ok);
	int order[ERRNO_MAX], i;
	unsigned int shown = 0;

	printf("# calls %" PRIu64 " in %.1f s: %.0f calls/s; %" PRIu64
	       " succeeded, %" PRIu64 " failed, %" PRIu64 " mutated\n",
	       calls, secs, calls / secs, ok, calls - ok,
	       (uint64_t)atomic_load(&sh->mutated));
	for (i = 0; i < ERRNO_MAX; i++)
		order[i] = i;
	qsort(order, ERRNO_MAX, sizeof(order[0]), errno_cmp);
	printf("# errors by errno:");
	for (i = 0; i < ERRNO_MAX && shown < 8; i++) {
		uint64_t n = atomic_load(&sh->err[order[i]]);

		if (!n)
			break;
		printf(" %s %" PRIu64, errno_name(order[i]), n);
		shown++;
	}
	printf("\n");
	for (i = 0; i < OP_COUNT; i++)
		printf("# %-36s %10" PRIu64 " calls %10" PRIu64 " ok\n",
		       ops[i].name, (uint64_t)atomic_load(&sh->op_calls[i]),
		       (uint64_t)atomic_load(&sh->op_ok[i]));
	printf("# submits accepted %" PRIu64 ", packets written %" PRIu64 "\n",
	       (uint64_t)atomic_load(&sh->submits_ok),
	       (uint64_t)atomic_load(&sh->packets));
	printf("# kills %" PRIu64 ", restarts %" PRIu64
	       ", device removals %" PRIu64 ", wedged workers %" PRIu64
	       ", kernel reports %u\n", kills, restarts, removals, wedged,
	       reports);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--seconds S] [--max-calls N] [--procs P] [--threads T]\n"
		"       [--seed X] [--device PATH] [--hotplug] [--no-kill]\n"
		"       [--no-destroy-race] [--no-kernel-va] [--verbose]\n", argv0);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "max-calls", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 'S' },
		{ "device", required_argument, NULL, 'd' },
		{ "hotplug", no_argument, NULL, 'H' },
		{ "no-kill", no_argument, NULL, 'K' },
		{ "no-destroy-race", no_argument, NULL, 'R' },
		{ "no-kernel-va", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': opt.seconds = strtod(optarg, NULL); break;
		case 'n': opt.max_calls = strtoull(optarg, NULL, 0); break;
		case 'p': opt.procs = strtoul(optarg, NULL, 0); break;
		case 't': opt.threads = strtoul(optarg, NULL, 0); break;
		case 'S': opt.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'd': opt.device = optarg; break;
		case 'H': opt.hotplug = true; break;
		case 'K': opt.kill = false; break;
		case 'R': opt.destroy_race = false; break;
		case 'V': opt.kernel_va = false; break;
		case 'v': opt.verbose = true; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || !opt.procs || opt.procs > MAX_PROCS ||
	    !opt.threads || opt.threads > MAX_THREADS || opt.seconds <= 0)
		usage(argv[0]);
	if (!seeded) {
		uint64_t x = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);

		opt.seed = splitmix64(&x);
	}
}

int main(int argc, char **argv)
{
	struct rng r;
	int64_t start, end, next_event;
	unsigned int i, reports;
	int kmsg;
	double secs;
	bool ok = true;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < OP_COUNT; i++)
		weight_total += ops[i].weight;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));

	printf("TAP version 13\n1..1\n");
	printf("# seed 0x%016" PRIx64 " (reproduce with --seed 0x%016" PRIx64
	       "), %u procs x %u threads, %.0f s%s%s%s%s\n", opt.seed, opt.seed,
	       opt.procs, opt.threads, opt.seconds,
	       opt.hotplug ? ", device removal" : "",
	       opt.kill ? ", kills" : "",
	       opt.destroy_race ? "" : ", no destroy-vs-submit race",
	       opt.kernel_va ? "" : ", no kernel VAs in packets");

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	if (opt.hotplug) {
		ogpu_sim_del(HOTPLUG_ID);
		if (ogpu_sim_new(HOTPLUG_SPEC)) {
			printf("# cannot make device %d (is ogpu_sim loaded?)\n",
			       HOTPLUG_ID);
			printf("not ok 1 ioctl fuzz\n");
			printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
			return 1;
		}
	}
	if (find_node(sh->node, sizeof(sh->node))) {
		printf("not ok 1 ioctl fuzz: no ogpu render node\n");
		printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
		return 1;
	}
	printf("# device %s\n", sh->node);

	rng_seed(&r, opt.seed ^ 0x5eed);
	start = now_ns();
	end = start + (int64_t)(opt.seconds * 1e9);
	for (i = 0; i < opt.procs; i++)
		spawn(i);
	next_event = start + 500000000ll + below(&r, 1500) * 1000000ll;

	while (ok && now_ns() < end &&
	       atomic_load(&sh->calls) < opt.max_calls) {
		int status;

		usleep(20000);
		/* A worker that died on its own (it should not): restart it. */
		for (i = 0; i < opt.procs; i++) {
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				if (!WIFEXITED(status) || WEXITSTATUS(status)) {
					printf("# worker %u exited with status %#x\n",
					       i, status);
					if (!(opt.hotplug && WIFEXITED(status) &&
					      WEXITSTATUS(status) == 3))
						ok = false;
				}
				spawn(i);
				restarts++;
			}
		}
		if (now_ns() < next_event)
			continue;
		next_event = now_ns() + 500000000ll + below(&r, 1500) * 1000000ll;
		if (opt.hotplug && chance(&r, 30)) {
			ok = hotplug_cycle();
		} else if (opt.kill) {
			i = below(&r, opt.procs);
			ok = kill_and_reap(i);
			if (ok) {
				kills++;
				spawn(i);
				restarts++;
			}
		}
	}

	/* Stop: let the workers finish their call and close their file. */
	atomic_store(&sh->stop, 1);
	for (i = 0; i < opt.procs; i++) {
		if (pids[i] && !reap(i, 10) && !kill_and_reap(i))
			ok = false;
	}
	secs = (now_ns() - start) / 1e9;
	if (opt.hotplug && !wedged && del_device_bounded())
		printf("# cannot remove device %d\n", HOTPLUG_ID);
	/* Give the kernel a moment to print what it found late. */
	usleep(200000);
	reports = kmsg_reports(kmsg);
	print_figures(secs, reports);
	ok = ok && !reports && !wedged;
	printf("%s 1 ioctl fuzz: %" PRIu64 " calls in %.1f s (%.0f/s), "
	       "%u kernel reports, seed 0x%016" PRIx64 "\n",
	       ok ? "ok" : "not ok", (uint64_t)atomic_load(&sh->calls), secs,
	       atomic_load(&sh->calls) / secs, reports, opt.seed);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       ok, !ok);
	/* 2: the driver is wedged, unloading the modules would hang. */
	return wedged ? 2 : ok ? 0 : 1;
}
