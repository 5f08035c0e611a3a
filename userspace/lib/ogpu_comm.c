// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Collectives over several OGPUs: all-reduce, reduce-scatter, all-gather,
 * broadcast and reduce, by the ring algorithm, with the data moved by the
 * devices' copy engines and reduced by their compute units. The CPU only
 * builds one command buffer per rank and collective and waits.
 *
 * Each rank r has, in its VM: a compute queue; the reduction kernel; a
 * staging buffer of COMM_SLOTS slots and a page of semaphore words, both
 * exported as dma-bufs; and the staging buffer and semaphores of the next
 * rank and the semaphores of the previous one, imported from theirs.
 * Where a usable link joins two neighbours of the ring, the driver maps
 * such an import through the PEER aperture, so the copies and semaphore
 * writes cross the link; elsewhere they go through system memory.
 *
 * A collective runs in segments of n slots of data. In a segment of an
 * all-reduce, rank r, for s = 0 .. n-2 (reduce-scatter):
 *   COPY next.stage[s] <- mine[chunk (r-s-1) mod n]; SEM_SIGNAL next.rs;
 *   SEM_WAIT my.rs; DISPATCH mine[chunk (r-s-2) mod n] op= my.stage[s]
 * after which chunk r of the segment is reduced; then (all-gather):
 *   COPY next.stage[n-1+s] <- chunk (r-s) (mine at s = 0, else what came
 *   at s-1); SEM_SIGNAL next.ag; SEM_WAIT my.ag; COPY mine <- it.
 * Packets of a queue run in order and those after a DISPATCH wait for it,
 * so a slot is written again only after its reader is done: rank r writes
 * next's slot s of segment k+1 after its own last wait of segment k,
 * which the ring's dependencies order after next finished segment k.
 * Semaphore values only grow, so a comm's collectives never reset them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "ogpu_priv.h"

/* The reduction module, built by ogpu-cc into ogpu_coll_elf.c. */
extern const unsigned char ogpu_coll_elf[];
extern const unsigned int ogpu_coll_elf_len;

/* Bytes of one staging slot: the unit of a copy and of a reduction. */
#define COMM_SLOT	(256u << 10)
/*
 * A collective is submitted as one job per segment (so that no job runs
 * for long), from a pool of COMM_CBS command buffers per rank; when the
 * pool is used up, the collective waits for the jobs in flight.
 */
#define COMM_CBS	16
#define COMM_CMD_BYTES	(32u << 10)
/* Each command buffer's reduction arguments, COMM_ARGS_STEP bytes each. */
#define COMM_ARGS_PER_CB	4096u
#define COMM_ARGS_BYTES	(COMM_CBS * COMM_ARGS_PER_CB)
#define COMM_ARGS_STEP	64
/* Job timeout of the collectives' queues, as the runtime's. */
#define COMM_TIMEOUT_MS	10000
/* Collectives stop waiting this long after an abort. */
#define COMM_ABORT_NS	(2ll * 1000 * 1000 * 1000)
/* How often a waiting collective looks at the links and queues. */
#define COMM_POLL_NS	(5ll * 1000 * 1000)

/*
 * Semaphore words in the flags page: reduce-scatter and all-gather data
 * arrived; broadcast data arrived; the next rank consumed a broadcast
 * piece; the next rank finished the previous collective.
 */
enum { SEM_RS, SEM_AG, SEM_BC, SEM_ACK, SEM_FIN, SEM_WORDS };

/* Must match the kernel's struct coll_reduce_args. */
struct coll_reduce_args {
	uint64_t dst;
	uint64_t src;
	uint64_t count;
	uint32_t dtype;
	uint32_t op;
};

struct comm_rank {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct ogpu_module *mod;
	const struct ogpu_kernel *reduce;
	struct ogpu_cmdbuf *cbs[COMM_CBS];
	struct ogpu_cmdbuf *cb;		/* cbs[ncb], being written */
	unsigned int ncb;
	unsigned int nargs;		/* reductions in @cb */
	struct ogpu_bo *args;
	uint8_t *args_map;
	uint64_t args_va;
	struct ogpu_bo *stage;
	uint64_t stage_va;
	struct ogpu_bo *flags;
	volatile uint64_t *flags_map;
	uint64_t flags_va;
	struct ogpu_bo *next_stage;	/* imported */
	uint64_t next_stage_va;
	struct ogpu_bo *next_flags;	/* imported */
	uint64_t next_flags_va;
	struct ogpu_bo *prev_flags;	/* imported */
	uint64_t prev_flags_va;
	struct ogpu_bo *scratch;	/* reduce's non-root buffer */
	uint64_t scratch_va;
	uint64_t scratch_size;
	uint32_t done;			/* syncobj of the last collective */
	uint64_t sem[SEM_WORDS];	/* values this rank's words reached */
	uint32_t link_port;		/* port to next, or UINT32_MAX */
	uint64_t generation;		/* links at the last look */
};

struct ogpu_comm {
	unsigned int n;
	unsigned int slots;		/* staging slots per rank */
	struct comm_rank *ranks;	/* in ring order */
	unsigned int *order;		/* caller's rank i is ranks[order[i]] */
	int error;			/* sticky: the comm is aborted */
	char why[256];
	pthread_mutex_t lock;		/* one collective at a time */
};

static const size_t dtype_size[] = {
	[OGPU_INT32] = 4, [OGPU_FLOAT32] = 4, [OGPU_FLOAT64] = 8,
};

/* Import @bo of another device into @r's VM, mapped read+write. */
static int comm_import(struct comm_rank *r, struct ogpu_bo *bo,
		       struct ogpu_bo **out, uint64_t *va)
{
	struct ogpu_bo *imp;
	int fd, ret;

	ret = ogpu_bo_export_fd(bo, &fd);
	if (ret)
		return ret;
	ret = ogpu_bo_import_fd(r->dev, fd, &imp);
	close(fd);
	if (ret)
		return ret;
	*va = ogpu_vm_alloc_va(r->vm, imp->size);
	ret = *va ? ogpu_vm_bind(r->vm, imp, 0, *va, imp->size,
				 OGPU_ACCESS_RW) : -ENOSPC;
	if (ret) {
		ogpu_bo_free(imp);
		return ret;
	}
	*out = imp;
	return 0;
}

/* A buffer of @r's own, bound read+write and mapped if @map. */
static int comm_own(struct comm_rank *r, uint64_t size, enum ogpu_mem mem,
		    struct ogpu_bo **bo, uint64_t *va, void **map)
{
	int ret = ogpu_bo_create(r->dev, size, mem, bo);

	if (ret)
		return ret;
	*va = ogpu_vm_alloc_va(r->vm, (*bo)->size);
	ret = *va ? ogpu_vm_bind(r->vm, *bo, 0, *va, (*bo)->size,
				 OGPU_ACCESS_RW) : -ENOSPC;
	if (!ret && map)
		ret = ogpu_bo_map(*bo, map);
	if (ret) {
		ogpu_bo_free(*bo);
		*bo = NULL;
	}
	return ret;
}

static void rank_fini(struct comm_rank *r)
{
	unsigned int i;

	if (r->q)
		ogpu_queue_wait_idle(r->q);
	ogpu_queue_destroy(r->q);
	if (r->done)
		ogpu_syncobj_destroy(r->dev, r->done);
	for (i = 0; i < COMM_CBS; i++)
		ogpu_cmdbuf_destroy(r->cbs[i]);
	ogpu_module_unload(r->mod);
	ogpu_bo_free(r->next_stage);
	ogpu_bo_free(r->next_flags);
	ogpu_bo_free(r->prev_flags);
	ogpu_bo_free(r->scratch);
	ogpu_bo_free(r->args);
	ogpu_bo_free(r->stage);
	ogpu_bo_free(r->flags);
	memset(r, 0, sizeof(*r));
}

static int rank_init(struct ogpu_comm *c, struct comm_rank *r,
		     struct ogpu_vm *vm)
{
	unsigned int i;
	void *map;
	int ret;

	r->vm = vm;
	r->dev = ogpu_vm_device(vm);
	r->link_port = UINT32_MAX;
	ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE, OGPU_PRIORITY_NORMAL,
				COMM_TIMEOUT_MS, &r->q);
	/* A driver that caps timeouts lower: its default. */
	if (ret == -EINVAL)
		ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE,
					OGPU_PRIORITY_NORMAL, 0, &r->q);
	if (!ret)
		ret = ogpu_module_load_data(vm, ogpu_coll_elf,
					    ogpu_coll_elf_len, &r->mod);
	if (!ret)
		ret = ogpu_module_get_kernel(r->mod, "ogpu_coll_reduce",
					     &r->reduce);
	for (i = 0; i < COMM_CBS && !ret; i++)
		ret = ogpu_cmdbuf_create(vm, COMM_CMD_BYTES, &r->cbs[i]);
	if (!ret)
		ret = comm_own(r, COMM_ARGS_BYTES, OGPU_MEM_HOST, &r->args,
			       &r->args_va, &map);
	if (ret)
		return ret;
	r->args_map = map;
	ret = comm_own(r, (uint64_t)c->slots * COMM_SLOT,
		       OGPU_MEM_DEVICE_OR_HOST, &r->stage, &r->stage_va, NULL);
	if (!ret)
		ret = comm_own(r, 4096, OGPU_MEM_HOST, &r->flags, &r->flags_va,
			       &map);
	if (ret)
		return ret;
	r->flags_map = map;
	memset(map, 0, 4096);
	return ogpu_syncobj_create(r->dev, &r->done);
}

/* Whether @a reaches @b over a usable link, and on which port of @a. */
static int comm_linked(struct ogpu_device *a, struct ogpu_device *b,
		       uint32_t *port)
{
	struct ogpu_p2p p;

	if (ogpu_p2p_query(a, b, &p) || p.reason != OGPU_P2P_OK ||
	    p.path != OGPU_P2P_PATH_LINK)
		return 0;
	*port = p.port;
	return 1;
}

/*
 * The ring order: a cycle through the devices over usable links if there
 * is one (found by backtracking; n is small), else the caller's order.
 * Returns how many consecutive pairs of the ring have no link.
 */
static unsigned int comm_ring(struct ogpu_vm *const *vms, unsigned int n,
			      unsigned int *ring)
{
	unsigned int *path = calloc(n, sizeof(*path));
	char *used = calloc(n, 1);
	unsigned int depth = 1, i, missing = 0;
	uint32_t port;
	int found = n <= 2;

	if (!path || !used || n <= 2)
		goto fallback;
	path[0] = 0;
	used[0] = 1;
	path[1] = 0;
	/* Iterative backtracking: path[depth] is the next candidate. */
	while (depth > 0 && !found) {
		unsigned int cand = path[depth];

		if (depth == n) {
			if (comm_linked(ogpu_vm_device(vms[path[n - 1]]),
					ogpu_vm_device(vms[path[0]]), &port)) {
				found = 1;
				break;
			}
			depth--;
			used[path[depth]] = 0;
			path[depth]++;
			continue;
		}
		if (cand >= n) {
			depth--;
			if (depth)
				used[path[depth]] = 0;
			path[depth]++;
			continue;
		}
		if (used[cand] ||
		    !comm_linked(ogpu_vm_device(vms[path[depth - 1]]),
				 ogpu_vm_device(vms[cand]), &port)) {
			path[depth]++;
			continue;
		}
		used[cand] = 1;
		depth++;
		if (depth < n)
			path[depth] = 0;
	}
fallback:
	for (i = 0; i < n; i++)
		ring[i] = found && n > 2 ? path[i] : i;
	for (i = 0; i < n && n > 1; i++)
		if (!comm_linked(ogpu_vm_device(vms[ring[i]]),
				 ogpu_vm_device(vms[ring[(i + 1) % n]]), &port))
			missing++;
	free(path);
	free(used);
	return missing;
}

OGPU_EXPORT void ogpu_comm_destroy(struct ogpu_comm *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; c->ranks && i < c->n; i++)
		rank_fini(&c->ranks[i]);
	free(c->ranks);
	free(c->order);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

OGPU_EXPORT int ogpu_comm_create(struct ogpu_vm *const *vms, unsigned int n,
				 struct ogpu_comm **out)
{
	unsigned int *ring, i, missing;
	struct ogpu_comm *c;
	int ret = -ENOMEM;

	if (!vms || !n || n > 64)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	ring = calloc(n, sizeof(*ring));
	if (!c || !ring) {
		free(c);
		free(ring);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->n = n;
	c->slots = n > 1 ? 2 * (n - 1) : 1;
	c->ranks = calloc(n, sizeof(*c->ranks));
	c->order = calloc(n, sizeof(*c->order));
	if (!c->ranks || !c->order)
		goto err;

	missing = comm_ring(vms, n, ring);
	for (i = 0; i < n; i++) {
		c->order[ring[i]] = i;
		ret = rank_init(c, &c->ranks[i], vms[ring[i]]);
		if (ret)
			goto err;
	}
	for (i = 0; i < n && n > 1; i++) {
		struct comm_rank *r = &c->ranks[i];
		struct comm_rank *next = &c->ranks[(i + 1) % n];
		struct comm_rank *prev = &c->ranks[(i + n - 1) % n];
		uint32_t port;

		if (comm_linked(r->dev, next->dev, &port))
			r->link_port = port;
		ret = comm_import(r, next->stage, &r->next_stage,
				  &r->next_stage_va);
		if (!ret)
			ret = comm_import(r, next->flags, &r->next_flags,
					  &r->next_flags_va);
		if (!ret)
			ret = comm_import(r, prev->flags, &r->prev_flags,
					  &r->prev_flags_va);
		if (ret)
			goto err;
		ogpu_device_get_links(r->dev, NULL, 0, &r->generation);
	}
	snprintf(c->why, sizeof(c->why),
		 "ring of %u devices, %u of its %u hops over system memory",
		 n, missing, n > 1 ? n : 0);
	free(ring);
	*out = c;
	return 0;

err:
	free(ring);
	ogpu_comm_destroy(c);
	return ret;
}

OGPU_EXPORT unsigned int ogpu_comm_size(const struct ogpu_comm *c)
{
	return c->n;
}

OGPU_EXPORT const char *ogpu_comm_status(const struct ogpu_comm *c)
{
	return c->why;
}

/* Bytes of @count elements of @dtype; 0 for an unknown type. */
static uint64_t comm_bytes(uint64_t count, enum ogpu_dtype dtype)
{
	if ((unsigned int)dtype >= sizeof(dtype_size) / sizeof(dtype_size[0]))
		return 0;
	return count * dtype_size[dtype];
}

/* A reduction of @count elements at @dst by @src, in @r's command buffer. */
static int emit_reduce(struct comm_rank *r, uint64_t dst,
		       uint64_t src, uint64_t count, enum ogpu_dtype dtype,
		       enum ogpu_redop op)
{
	struct coll_reduce_args a = {
		.dst = dst, .src = src, .count = count,
		.dtype = dtype, .op = op,
	};
	struct ogpu_launch l = {
		.grid = OGPU_DIM3((count + 255) / 256 < 32 ?
				  (uint32_t)((count + 255) / 256) : 32, 1, 1),
		.block = OGPU_DIM3(256, 1, 1),
	};
	uint64_t off = (uint64_t)r->ncb * COMM_ARGS_PER_CB +
		       (uint64_t)r->nargs * COMM_ARGS_STEP;

	if (!count)
		return 0;
	if ((r->nargs + 1) * COMM_ARGS_STEP > COMM_ARGS_PER_CB)
		return -ENOSPC;
	memcpy(r->args_map + off, &a, sizeof(a));
	r->nargs++;
	return ogpu_cmd_dispatch(r->cb, r->reduce, r->args_va + off,
				 sizeof(a), &l);
}

/*
 * How a collective's buffer splits into the ring's n chunks: chunk i
 * starts @stride * i bytes in and has @len[i] bytes. Segment k of a
 * collective moves bytes [k * COMM_SLOT, (k + 1) * COMM_SLOT) of each.
 */
struct comm_layout {
	uint64_t off[64];
	uint64_t len[64];
	uint64_t longest;
};

/* Chunks of @bytes split as evenly as whole elements of @esize allow. */
static void layout_even(struct comm_layout *lo, unsigned int n,
			uint64_t bytes, size_t esize)
{
	uint64_t per = (bytes / esize + n - 1) / n * esize;
	unsigned int i;

	lo->longest = per;
	for (i = 0; i < n; i++) {
		uint64_t start = per * i;

		lo->off[i] = start;
		lo->len[i] = start >= bytes ? 0 :
			     bytes - start < per ? bytes - start : per;
	}
}

/* Chunk @chunk's piece of segment @seg: its offset and length. */
static void piece(const struct comm_layout *lo, unsigned int chunk,
		  uint64_t seg, uint64_t *off, uint64_t *len)
{
	uint64_t in = seg * COMM_SLOT;

	*off = lo->off[chunk] + in;
	*len = lo->len[chunk] <= in ? 0 :
	       lo->len[chunk] - in < COMM_SLOT ? lo->len[chunk] - in :
	       COMM_SLOT;
}

/* Send @len bytes at @src to next's slot @slot and bump next's @word. */
static int emit_send(struct comm_rank *r, uint64_t src, uint64_t len,
		     unsigned int slot, unsigned int word, uint64_t value)
{
	int ret = 0;

	if (len)
		ret = ogpu_cmd_copy(r->cb, r->next_stage_va +
				    (uint64_t)slot * COMM_SLOT, src, len);
	if (!ret)
		ret = ogpu_cmd_sem_signal(r->cb, r->next_flags_va + 8 * word,
					  value);
	return ret;
}

static int emit_wait(struct comm_rank *r, unsigned int word, uint64_t value)
{
	return ogpu_cmd_sem_wait(r->cb, r->flags_va + 8 * word, value);
}

/*
 * Segment @seg of a collective over the chunks @lo of the buffer at @va
 * on ring rank @i: the reduce-scatter phase if @rs, the all-gather phase
 * if @ag. @sem holds the words' values before the segment.
 */
static int emit_ring_segment(struct ogpu_comm *c, unsigned int i,
			     uint64_t va, const struct comm_layout *lo,
			     uint64_t seg, enum ogpu_dtype dtype,
			     enum ogpu_redop op, int rs, int ag)
{
	const uint64_t *sem = c->ranks[i].sem;
	struct comm_rank *r = &c->ranks[i];
	size_t esize = dtype_size[dtype];
	unsigned int n = c->n, s;
	uint64_t off, len, roff, rlen;
	int ret = 0;

	/* Step s sends chunk i-s-1 and reduces chunk i-s-2: i ends with i. */
	for (s = 0; rs && !ret && s + 1 < n; s++) {
		piece(lo, (i + 2 * n - s - 1) % n, seg, &off, &len);
		ret = emit_send(r, va + off, len, s, SEM_RS, sem[SEM_RS] + s + 1);
		if (!ret)
			ret = emit_wait(r, SEM_RS, sem[SEM_RS] + s + 1);
		piece(lo, (i + 2 * n - s - 2) % n, seg, &roff, &rlen);
		if (!ret)
			ret = emit_reduce(r, va + roff,
					  r->stage_va + (uint64_t)s * COMM_SLOT,
					  rlen / esize, dtype, op);
	}
	/* Step s sends chunk i-s (what came at s-1) and receives i-s-1. */
	for (s = 0; ag && !ret && s + 1 < n; s++) {
		uint64_t src;

		piece(lo, (i + n - s) % n, seg, &off, &len);
		src = s ? r->stage_va + (uint64_t)(n - 1 + s - 1) * COMM_SLOT :
			  va + off;
		ret = emit_send(r, src, len, n - 1 + s, SEM_AG,
				sem[SEM_AG] + s + 1);
		if (!ret)
			ret = emit_wait(r, SEM_AG, sem[SEM_AG] + s + 1);
		piece(lo, (i + 2 * n - s - 1) % n, seg, &roff, &rlen);
		if (!ret && rlen)
			ret = ogpu_cmd_copy(r->cb, va + roff,
					    r->stage_va +
					    (uint64_t)(n - 1 + s) * COMM_SLOT,
					    rlen);
	}
	return ret;
}

/* Why a rank's queue stopped, as a negative errno, or 0. */
static int rank_failed(struct comm_rank *r, char *why, size_t len)
{
	struct ogpu_queue_error e;

	if (ogpu_queue_get_error(r->q, &e) || !e.error)
		return 0;
	if (e.error == 2 && e.fault_reason == 6) {
		snprintf(why, len, "link port %u of ogpu %u went down",
			 e.fault_port, r->dev->props.instance);
		return -ENOLINK;
	}
	snprintf(why, len, "the queue of ogpu %u failed (error %u)",
		 r->dev->props.instance, e.error);
	return -EIO;
}

/* Whether the link from @r to the next rank stopped being usable. */
static int rank_link_lost(struct comm_rank *r, char *why, size_t len)
{
	struct ogpu_link links[8];
	uint64_t gen;
	int n;

	if (r->link_port == UINT32_MAX)
		return 0;
	n = ogpu_device_get_links(r->dev, links, 8, &gen);
	if (n < 0 || gen == r->generation)
		return 0;
	r->generation = gen;
	if ((int)r->link_port < n &&
	    (links[r->link_port].state == OGPU_LINK_UP ||
	     links[r->link_port].state == OGPU_LINK_DEGRADED))
		return 0;
	snprintf(why, len, "link port %u of ogpu %u is %s", r->link_port,
		 r->dev->props.instance,
		 (int)r->link_port < n ?
		 ogpu_link_state_str(links[r->link_port].state) : "gone");
	return -ENOLINK;
}

/*
 * Release every rank's waits, so that queues stuck on a semaphore whose
 * signal will never come run to their end; their results are garbage.
 */
static void comm_release(struct ogpu_comm *c)
{
	unsigned int i, w;

	for (i = 0; i < c->n; i++)
		for (w = 0; w < SEM_WORDS; w++)
			c->ranks[i].flags_map[w] = UINT64_MAX >> 1;
}

/*
 * Wait for every rank's collective; watch the queues and the links
 * meanwhile, and abort the comm on the first failure.
 */
static int comm_wait(struct ogpu_comm *c)
{
	int64_t deadline = INT64_MAX;
	unsigned int i, left = c->n;
	char *done = calloc(c->n, 1);
	int ret = 0;

	if (!done)
		return -ENOMEM;
	while (left) {
		for (i = 0; i < c->n; i++) {
			struct comm_rank *r = &c->ranks[i];
			struct ogpu_sync s = { .syncobj = r->done };
			int err;

			if (done[i])
				continue;
			err = ogpu_syncobj_wait(r->dev, &s, 1,
						ogpu_time_ns() + COMM_POLL_NS /
						c->n);
			if (err == -ETIME) {
				if (ret)
					continue;
				err = rank_failed(r, c->why, sizeof(c->why));
				if (!err)
					err = rank_link_lost(r, c->why,
							     sizeof(c->why));
				if (err) {
					ret = err;
					comm_release(c);
					deadline = ogpu_time_ns() +
						   COMM_ABORT_NS;
				}
				continue;
			}
			done[i] = 1;
			left--;
			if (!err)
				err = ogpu_syncobj_error(r->dev, r->done);
			if (err && !ret) {
				ret = rank_failed(r, c->why, sizeof(c->why));
				if (!ret) {
					ret = err;
					snprintf(c->why, sizeof(c->why),
						 "the collective failed on ogpu %u: %s",
						 r->dev->props.instance,
						 ogpu_strerror(err));
				}
				comm_release(c);
				deadline = ogpu_time_ns() + COMM_ABORT_NS;
			}
		}
		if (left && ogpu_time_ns() > deadline) {
			/* Stuck for good: cancel what is left. */
			for (i = 0; i < c->n; i++)
				if (!done[i]) {
					ogpu_queue_destroy(c->ranks[i].q);
					c->ranks[i].q = NULL;
				}
			break;
		}
	}
	free(done);
	return ret;
}

/* Start writing rank @r's command buffer @i. */
static void rank_use_cb(struct comm_rank *r, unsigned int i)
{
	r->ncb = i;
	r->cb = r->cbs[i];
	r->nargs = 0;
	ogpu_cmdbuf_reset(r->cb);
}

/*
 * Submit every rank's current command buffer as a job that signals its
 * done syncobj, and move on to the next buffer of the pool; when @wait,
 * or when the pool is used up, wait for every rank's jobs (watching the
 * links and queues meanwhile).
 */
static int comm_flush(struct ogpu_comm *c, int wait)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->n; i++) {
		struct comm_rank *r = &c->ranks[i];
		struct ogpu_sync out = { .syncobj = r->done };

		ret = ogpu_submit(r->q, &r->cb, 1, NULL, 0, &out, 1);
		if (ret)
			break;
	}
	if (ret) {
		/* The others wait for this one forever: release them. */
		snprintf(c->why, sizeof(c->why),
			 "submission on ogpu %u failed: %s",
			 c->ranks[i].dev->props.instance, ogpu_strerror(ret));
		comm_release(c);
		while (i--)
			ogpu_queue_wait_idle(c->ranks[i].q);
		return ret;
	}
	if (wait || c->ranks[0].ncb + 1 == COMM_CBS) {
		ret = comm_wait(c);
		for (i = 0; i < c->n; i++)
			rank_use_cb(&c->ranks[i], 0);
		return ret;
	}
	for (i = 0; i < c->n; i++)
		rank_use_cb(&c->ranks[i], c->ranks[i].ncb + 1);
	return 0;
}

static int comm_run(struct ogpu_comm *c)
{
	return comm_flush(c, 1);
}

/* Begin a collective: the comm must be healthy; reset the buffers. */
static int comm_begin(struct ogpu_comm *c)
{
	unsigned int i;

	pthread_mutex_lock(&c->lock);
	if (c->error) {
		pthread_mutex_unlock(&c->lock);
		return -ECONNABORTED;
	}
	for (i = 0; i < c->n; i++)
		rank_use_cb(&c->ranks[i], 0);
	return 0;
}

static int comm_end(struct ogpu_comm *c, int ret)
{
	if (ret == -ENOSPC)
		snprintf(c->why, sizeof(c->why),
			 "the collective does not fit one submission");
	if (ret && ret != -ENOSPC && ret != -EINVAL)
		c->error = ret;
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/*
 * Every rank's stream starts by waiting until the next rank has finished
 * the previous collective (so that no staging slot it may still read is
 * written), and ends by telling the previous rank so.
 */
static int comm_start(struct ogpu_comm *c)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->n && !ret; i++)
		ret = emit_wait(&c->ranks[i], SEM_FIN, c->ranks[i].sem[SEM_FIN]);
	return ret;
}

/* End every rank's stream, run them all and advance the FIN words. */
static int comm_finish(struct ogpu_comm *c)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->n && !ret; i++) {
		struct comm_rank *r = &c->ranks[i];
		struct comm_rank *prev = &c->ranks[(i + c->n - 1) % c->n];

		ret = ogpu_cmd_sem_signal(r->cb, r->prev_flags_va + 8 * SEM_FIN,
					  prev->sem[SEM_FIN] + 1);
	}
	for (i = 0; i < c->n && !ret; i++)
		c->ranks[i].sem[SEM_FIN]++;
	return ret ? ret : comm_run(c);
}

/*
 * The ring phases over the chunks @lo of the buffers at per-rank VAs @va
 * (ring order): each segment's reduce-scatter if @rs and all-gather if
 * @ag. All ranks' command buffers are built, then run together.
 */
static int comm_ring_phases(struct ogpu_comm *c, const uint64_t *va,
			    const struct comm_layout *lo,
			    enum ogpu_dtype dtype, enum ogpu_redop op, int rs,
			    int ag)
{
	uint64_t seg, nsegs;
	unsigned int i;
	int ret = 0;

	if (c->n == 1 || !lo->longest)
		return 0;
	ret = comm_start(c);
	nsegs = (lo->longest + COMM_SLOT - 1) / COMM_SLOT;
	for (seg = 0; seg < nsegs && !ret; seg++) {
		for (i = 0; i < c->n && !ret; i++) {
			struct comm_rank *r = &c->ranks[i];

			ret = emit_ring_segment(c, i, va[i], lo, seg, dtype,
						op, rs, ag);
			r->sem[SEM_RS] += rs ? c->n - 1 : 0;
			r->sem[SEM_AG] += ag ? c->n - 1 : 0;
		}
		/* One job per segment; the last goes with the FIN signal. */
		if (!ret && seg + 1 < nsegs)
			ret = comm_flush(c, 0);
	}
	return ret ? ret : comm_finish(c);
}

/* Check a collective's common arguments. */
static int comm_check(struct ogpu_comm *c, const void *bufs, uint64_t count,
		      enum ogpu_dtype dtype, enum ogpu_redop op)
{
	if (!c || !bufs || !comm_bytes(1, dtype) || (unsigned int)op > 3)
		return -EINVAL;
	if (count > UINT64_MAX / 8)
		return -EINVAL;
	return 0;
}

/* Copy @bytes from @src to @dst on each rank where they differ. */
static int comm_local_copies(struct ogpu_comm *c, const uint64_t *dst,
			     const uint64_t *src, uint64_t bytes)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->n && !ret; i++)
		if (dst[i] != src[i] && bytes)
			ret = ogpu_copy(c->ranks[i].q, dst[i], src[i], bytes);
	return ret;
}

/* The caller's per-rank VAs, in ring order. */
static void comm_to_ring(struct ogpu_comm *c, const uint64_t *user,
			 uint64_t *ring)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		ring[c->order[i]] = user[i];
}

OGPU_EXPORT int ogpu_all_reduce(struct ogpu_comm *c, const uint64_t *send,
				const uint64_t *recv, uint64_t count,
				enum ogpu_dtype dtype, enum ogpu_redop op)
{
	uint64_t s[64], d[64];
	struct comm_layout lo;
	int ret = comm_check(c, send, count, dtype, op);

	if (ret || !recv)
		return ret ? ret : -EINVAL;
	comm_to_ring(c, send, s);
	comm_to_ring(c, recv, d);
	ret = comm_begin(c);
	if (ret)
		return ret;
	layout_even(&lo, c->n, comm_bytes(count, dtype), dtype_size[dtype]);
	ret = comm_local_copies(c, d, s, comm_bytes(count, dtype));
	if (!ret)
		ret = comm_ring_phases(c, d, &lo, dtype, op, 1, 1);
	return comm_end(c, ret);
}

/* Each rank's scratch buffer, at least @bytes; its VAs in @va. */
static int comm_scratch(struct ogpu_comm *c, uint64_t bytes, uint64_t *va)
{
	unsigned int i;
	int ret;

	for (i = 0; i < c->n; i++) {
		struct comm_rank *r = &c->ranks[i];

		if (r->scratch_size < bytes) {
			if (r->scratch) {
				ogpu_vm_unbind(r->vm, r->scratch_va,
					       r->scratch->size);
				ogpu_bo_free(r->scratch);
				r->scratch = NULL;
				r->scratch_size = 0;
			}
			ret = comm_own(r, bytes, OGPU_MEM_DEVICE_OR_HOST,
				       &r->scratch, &r->scratch_va, NULL);
			if (ret)
				return ret;
			r->scratch_size = r->scratch->size;
		}
		va[i] = r->scratch_va;
	}
	return 0;
}

/* Chunk i (ring rank i) is the caller's rank's block of @block bytes. */
static void layout_blocks(struct ogpu_comm *c, struct comm_layout *lo,
			  uint64_t block)
{
	unsigned int u;

	lo->longest = block;
	for (u = 0; u < c->n; u++) {
		lo->off[c->order[u]] = (uint64_t)u * block;
		lo->len[c->order[u]] = block;
	}
}

OGPU_EXPORT int ogpu_reduce_scatter(struct ogpu_comm *c, const uint64_t *send,
				    const uint64_t *recv, uint64_t recvcount,
				    enum ogpu_dtype dtype, enum ogpu_redop op)
{
	uint64_t s[64], d[64], tmp[64], block = comm_bytes(recvcount, dtype);
	struct comm_layout lo;
	unsigned int i;
	int ret = comm_check(c, send, recvcount, dtype, op);

	if (ret || !recv)
		return ret ? ret : -EINVAL;
	comm_to_ring(c, send, s);
	comm_to_ring(c, recv, d);
	ret = comm_begin(c);
	if (ret)
		return ret;
	/* The send buffers stay as they are: reduce in scratch. */
	ret = comm_scratch(c, block * c->n, tmp);
	if (!ret)
		ret = comm_local_copies(c, tmp, s, block * c->n);
	layout_blocks(c, &lo, block);
	if (!ret)
		ret = comm_ring_phases(c, tmp, &lo, dtype, op, 1, 0);
	for (i = 0; i < c->n && !ret; i++)
		if (block)
			ret = ogpu_copy(c->ranks[i].q, d[i],
					tmp[i] + lo.off[i], block);
	return comm_end(c, ret);
}

OGPU_EXPORT int ogpu_all_gather(struct ogpu_comm *c, const uint64_t *send,
				const uint64_t *recv, uint64_t sendcount,
				enum ogpu_dtype dtype)
{
	uint64_t s[64], d[64], block = comm_bytes(sendcount, dtype);
	struct comm_layout lo;
	unsigned int i;
	int ret = comm_check(c, send, sendcount, dtype, OGPU_SUM);

	if (ret || !recv)
		return ret ? ret : -EINVAL;
	comm_to_ring(c, send, s);
	comm_to_ring(c, recv, d);
	ret = comm_begin(c);
	if (ret)
		return ret;
	layout_blocks(c, &lo, block);
	for (i = 0; i < c->n && !ret; i++)
		if (block && s[i] != d[i] + lo.off[i])
			ret = ogpu_copy(c->ranks[i].q, d[i] + lo.off[i], s[i],
					block);
	if (!ret)
		ret = comm_ring_phases(c, d, &lo, dtype, OGPU_SUM, 0, 1);
	return comm_end(c, ret);
}

OGPU_EXPORT int ogpu_reduce(struct ogpu_comm *c, const uint64_t *send,
			    const uint64_t *recv, uint64_t count,
			    enum ogpu_dtype dtype, enum ogpu_redop op,
			    unsigned int root)
{
	uint64_t s[64], d[64], tmp[64], bytes = comm_bytes(count, dtype);
	struct comm_layout lo;
	unsigned int rroot;
	int ret = comm_check(c, send, count, dtype, op);

	if (ret || !recv || root >= c->n)
		return ret ? ret : -EINVAL;
	comm_to_ring(c, send, s);
	comm_to_ring(c, recv, d);
	rroot = c->order[root];
	ret = comm_begin(c);
	if (ret)
		return ret;
	/* Only the root's recv is written: the others reduce in scratch. */
	ret = comm_scratch(c, bytes, tmp);
	tmp[rroot] = d[rroot];
	if (!ret)
		ret = comm_local_copies(c, tmp, s, bytes);
	layout_even(&lo, c->n, bytes, dtype_size[dtype]);
	if (!ret)
		ret = comm_ring_phases(c, tmp, &lo, dtype, op, 1, 1);
	return comm_end(c, ret);
}

/*
 * Broadcast from ring rank @root: a chain root, root+1, ..., root-1 that
 * pipelines COMM_SLOT pieces through the staging slots. A rank forwards a
 * piece into the next rank's slot only once the next rank acknowledged
 * the piece that used the slot before.
 */
static int emit_broadcast(struct ogpu_comm *c, unsigned int i,
			  unsigned int root, uint64_t va, uint64_t bytes)
{
	struct comm_rank *r = &c->ranks[i];
	struct comm_rank *next = &c->ranks[(i + 1) % c->n];
	struct comm_rank *prev = &c->ranks[(i + c->n - 1) % c->n];
	unsigned int pos = (i + c->n - root) % c->n, slots = c->slots;
	uint64_t k, pieces = (bytes + COMM_SLOT - 1) / COMM_SLOT;
	int first = pos == 0, last = pos == c->n - 1, ret = 0;

	for (k = 0; k < pieces && !ret; k++) {
		uint64_t off = k * COMM_SLOT;
		uint64_t len = bytes - off < COMM_SLOT ? bytes - off : COMM_SLOT;
		uint64_t slot_va = r->stage_va + (k % slots) * COMM_SLOT;

		if (!first) {
			ret = emit_wait(r, SEM_BC, r->sem[SEM_BC] + k + 1);
			if (!ret)
				ret = ogpu_cmd_copy(r->cb, va + off, slot_va,
						    len);
		}
		if (!last && !ret && k >= slots)
			ret = emit_wait(r, SEM_ACK,
					r->sem[SEM_ACK] + k - slots + 1);
		if (!last && !ret)
			ret = ogpu_cmd_copy(r->cb, r->next_stage_va +
					    (k % slots) * COMM_SLOT,
					    first ? va + off : slot_va, len);
		if (!last && !ret)
			ret = ogpu_cmd_sem_signal(r->cb, r->next_flags_va +
						  8 * SEM_BC,
						  next->sem[SEM_BC] + k + 1);
		if (!first && !ret)
			ret = ogpu_cmd_sem_signal(r->cb, r->prev_flags_va +
						  8 * SEM_ACK,
						  prev->sem[SEM_ACK] + k + 1);
	}
	return ret;
}

OGPU_EXPORT int ogpu_broadcast(struct ogpu_comm *c, const uint64_t *send,
			       const uint64_t *recv, uint64_t count,
			       enum ogpu_dtype dtype, unsigned int root)
{
	uint64_t s[64], d[64], bytes = comm_bytes(count, dtype), pieces;
	unsigned int i, rroot;
	int ret = comm_check(c, send, count, dtype, OGPU_SUM);

	if (ret || !recv || root >= c->n)
		return ret ? ret : -EINVAL;
	comm_to_ring(c, send, s);
	comm_to_ring(c, recv, d);
	rroot = c->order[root];
	ret = comm_begin(c);
	if (ret)
		return ret;
	if (bytes && s[rroot] != d[rroot])
		ret = ogpu_copy(c->ranks[rroot].q, d[rroot], s[rroot], bytes);
	if (c->n == 1 || !bytes || ret)
		return comm_end(c, ret);

	pieces = (bytes + COMM_SLOT - 1) / COMM_SLOT;
	ret = comm_start(c);
	for (i = 0; i < c->n && !ret; i++)
		ret = emit_broadcast(c, i, rroot, d[i], bytes);
	for (i = 0; i < c->n && !ret; i++) {
		unsigned int pos = (i + c->n - rroot) % c->n;

		/* The last rank's staging is read: no slot stays in use. */
		if (pos != c->n - 1)
			ret = emit_wait(&c->ranks[i], SEM_ACK,
					c->ranks[i].sem[SEM_ACK] + pieces);
	}
	for (i = 0; i < c->n && !ret; i++) {
		unsigned int pos = (i + c->n - rroot) % c->n;

		c->ranks[i].sem[SEM_BC] += pos ? pieces : 0;
		c->ranks[i].sem[SEM_ACK] += pos != c->n - 1 ? pieces : 0;
	}
	if (!ret)
		ret = comm_finish(c);
	return comm_end(c, ret);
}

OGPU_EXPORT const char *ogpu_dtype_str(enum ogpu_dtype dtype)
{
	static const char *const names[] = { "int32", "float", "double" };

	return (unsigned int)dtype < 3 ? names[dtype] : "unknown";
}
