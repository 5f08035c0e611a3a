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

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <xf86drm.h>

#include "ogpu_priv.h"

/* The reduction module, built by ogpu-cc into ogpu_coll_elf.c. */
extern const unsigned char ogpu_coll_elf[];
extern const unsigned int ogpu_coll_elf_len;

/* Bytes of one staging slot: the unit of a copy and of a reduction. */
#define COMM_SLOT	(64u << 10)
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
	/* Across processes: the neighbours' words, which an abort releases. */
	volatile uint64_t *next_flags_map, *prev_flags_map;
	struct ogpu_bo *scratch;	/* reduce's non-root buffer */
	uint64_t scratch_va;
	uint64_t scratch_size;
	uint32_t done;			/* syncobj of the last collective */
	uint64_t sem[SEM_WORDS];	/* values this rank's words reached */
	uint32_t link_port;		/* port to next, or UINT32_MAX */
	uint64_t generation;		/* links at the last look */
	int local;			/* this process runs the rank */
	uint32_t instance;		/* its device's instance */
};

/*
 * The page that the ranks of a communicator spanning processes share: a
 * rank that sees a failure sets @abort and @why, and every process's
 * watchdog sees it at its next look.
 */
struct comm_shared {
	volatile uint32_t abort;
	char why[252];
};

struct ogpu_comm {
	unsigned int n;
	unsigned int slots;		/* staging slots per rank */
	/*
	 * Every rank, in ring order. In one process, all are local; in a
	 * communicator spanning processes, only ranks[me] is, and the others
	 * keep only the values their semaphore words reach (@sem), which
	 * every process computes alike.
	 */
	struct comm_rank *ranks;
	unsigned int *order;		/* caller's rank u is ranks[order[u]] */
	int me;				/* the local rank's ring index, or -1 */
	struct comm_shared *shared;	/* across processes, or NULL */
	int error;			/* sticky: the comm is aborted */
	char why[256];
	pthread_mutex_t lock;		/* one collective at a time */
};

/* The ranks this process runs. */
#define for_each_local(c, i)						\
	for ((i) = 0; (i) < (c)->n; (i)++)				\
		if (!(c)->ranks[i].local) {} else

static const size_t dtype_size[] = {
	[OGPU_INT32] = 4, [OGPU_FLOAT32] = 4, [OGPU_FLOAT64] = 8,
};

/* Import dma-buf @fd into @r's VM, mapped read+write at *@va. */
static int comm_import_fd(struct comm_rank *r, int fd, struct ogpu_bo **out,
			  uint64_t *va)
{
	int ret = ogpu_bo_import_fd(r->dev, fd, out);

	if (ret)
		return ret;
	*va = ogpu_vm_alloc_va(r->vm, (*out)->size);
	ret = *va ? ogpu_vm_bind(r->vm, *out, 0, *va, (*out)->size,
				 OGPU_ACCESS_RW) : -ENOSPC;
	if (ret) {
		ogpu_bo_free(*out);
		*out = NULL;
	}
	return ret;
}

/* Import @bo of another device into @r's VM, mapped read+write. */
static int comm_import(struct comm_rank *r, struct ogpu_bo *bo,
		       struct ogpu_bo **out, uint64_t *va)
{
	int fd, ret = ogpu_bo_export_fd(bo, &fd);

	if (ret)
		return ret;
	ret = comm_import_fd(r, fd, out, va);
	close(fd);
	return ret;
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

	if (!r->local)
		return;
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

/*
 * @stage_mem: where the staging buffer lives. In VRAM when the previous
 * rank, which writes it, reaches it over a link (its import maps the VRAM
 * through the PEER aperture and never moves it); in host memory when that
 * import goes through system memory, so that neither side's validation
 * moves it back and forth under the other's queued jobs.
 * @flags_mem: the same for the semaphore page, which both neighbours
 * write. In VRAM, a neighbour's signal over the link wakes the device's
 * command processor at once; in host memory, the device sees it at its
 * next look (each jiffy).
 */
static int rank_init(struct ogpu_comm *c, struct comm_rank *r,
		     struct ogpu_vm *vm, enum ogpu_mem stage_mem,
		     enum ogpu_mem flags_mem)
{
	unsigned int i;
	void *map;
	int ret;

	r->vm = vm;
	r->dev = ogpu_vm_device(vm);
	r->link_port = UINT32_MAX;
	r->local = 1;
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
	ret = comm_own(r, (uint64_t)c->slots * COMM_SLOT, stage_mem,
		       &r->stage, &r->stage_va, NULL);
	if (!ret)
		ret = comm_own(r, 4096, flags_mem, &r->flags, &r->flags_va,
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
static unsigned int comm_ring(struct ogpu_device *const *devs, unsigned int n,
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
			if (comm_linked(devs[path[n - 1]], devs[path[0]],
					&port)) {
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
		    !comm_linked(devs[path[depth - 1]], devs[cand], &port)) {
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
		if (!comm_linked(devs[ring[i]], devs[ring[(i + 1) % n]], &port))
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
	if (c->shared)
		munmap(c->shared, sizeof(*c->shared));
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
	c->me = -1;
	c->slots = n > 1 ? 2 * (n - 1) : 1;
	c->ranks = calloc(n, sizeof(*c->ranks));
	c->order = calloc(n, sizeof(*c->order));
	if (!c->ranks || !c->order)
		goto err;

	{
		struct ogpu_device *devs[64];

		for (i = 0; i < n; i++)
			devs[i] = ogpu_vm_device(vms[i]);
		missing = comm_ring(devs, n, ring);
	}
	for (i = 0; i < n; i++) {
		struct ogpu_device *me = ogpu_vm_device(vms[ring[i]]);
		uint32_t port;
		int from_prev = n > 1 &&
			comm_linked(ogpu_vm_device(vms[ring[(i + n - 1) % n]]),
				    me, &port);
		int from_next = n > 1 &&
			comm_linked(ogpu_vm_device(vms[ring[(i + 1) % n]]),
				    me, &port);

		c->order[ring[i]] = i;
		ret = rank_init(c, &c->ranks[i], vms[ring[i]],
				from_prev ? OGPU_MEM_DEVICE_OR_HOST :
					    OGPU_MEM_HOST,
				from_prev && from_next ?
				OGPU_MEM_DEVICE_OR_HOST : OGPU_MEM_HOST);
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

/*
 * Communicators spanning processes. Rank 0 listens on a Unix socket;
 * every other rank connects and sends its rank, its device's instance and
 * its staging buffer and semaphores as dma-buf fds (SCM_RIGHTS). Rank 0
 * orders the ring along the links, makes the shared page (a memfd), and
 * sends each rank the ring order and the fds it imports: the next rank's
 * staging buffer and semaphores, the previous rank's semaphores, and the
 * shared page.
 */
struct comm_hello {
	uint32_t rank;
	uint32_t instance;
};

struct comm_welcome {
	uint32_t order[64];	/* caller's rank -> ring position */
	uint32_t instance[64];	/* ring position -> device instance */
	int32_t status;		/* 0, or rank 0's negative errno */
	uint32_t missing;	/* hops without a link */
};

#define COMM_FDS	4	/* next stage, next flags, prev flags, shared */

/* Send @len bytes and @nfds descriptors; 0 or -errno. */
static int sock_send(int s, const void *buf, size_t len, const int *fds,
		     unsigned int nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * COMM_FDS)] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (nfds) {
		m.msg_control = ctl;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	return sendmsg(s, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -EPROTO;
}

/* Receive exactly @len bytes and up to @nfds descriptors; 0 or -errno. */
static int sock_recv(int s, void *buf, size_t len, int *fds,
		     unsigned int nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * COMM_FDS)] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	unsigned int i;
	ssize_t got;

	for (i = 0; i < nfds; i++)
		fds[i] = -1;
	got = recvmsg(s, &m, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	if (got != (ssize_t)len)
		return got < 0 ? -errno : -EPROTO;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		unsigned int n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (n > nfds)
			n = nfds;
		memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
	}
	for (i = 0; i < nfds; i++)
		if (fds[i] < 0)
			return -EPROTO;
	return 0;
}

static void close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Rank 0's device for @instance among those this process can open. */
static struct ogpu_device *open_instance(uint32_t instance)
{
	struct ogpu_device *dev;
	int i, n = ogpu_device_count();

	for (i = 0; i < n; i++) {
		if (ogpu_device_open(i, &dev))
			continue;
		if (dev->props.instance == instance)
			return dev;
		ogpu_device_close(dev);
	}
	return NULL;
}

/*
 * Rank 0: gather every rank's hello and fds on @ls (rank 0's own are
 * @mine), order the ring, and send each rank its welcome; return rank
 * 0's own imports in @own (next stage, next flags, prev flags).
 */
static int comm_rank0(struct ogpu_comm *c, int ls, uint32_t instance,
		      const int mine[2], int shared_fd, int64_t deadline,
		      int own[3])
{
	unsigned int n = c->n, i, ring[64], missing = 0;
	int conn[64], fds[64][2], ret = 0;
	struct ogpu_device *devs[64] = { 0 };
	struct comm_welcome w = { 0 };
	uint32_t inst[64];

	for (i = 0; i < n; i++) {
		conn[i] = -1;
		fds[i][0] = fds[i][1] = -1;
	}
	inst[0] = instance;
	for (i = 1; i < n && !ret; i++) {
		struct comm_hello h;
		int s, f[2];

		while ((s = accept4(ls, NULL, NULL, SOCK_CLOEXEC)) < 0 &&
		       (errno == EAGAIN || errno == EINTR) &&
		       ogpu_time_ns() < deadline)
			usleep(1000);
		if (s < 0) {
			ret = -ETIMEDOUT;
			break;
		}
		ret = sock_recv(s, &h, sizeof(h), f, 2);
		if (!ret && (h.rank == 0 || h.rank >= n || conn[h.rank] >= 0)) {
			close_fds(f, 2);
			ret = -EINVAL;
		}
		if (ret) {
			close(s);
			break;
		}
		conn[h.rank] = s;
		fds[h.rank][0] = f[0];
		fds[h.rank][1] = f[1];
		inst[h.rank] = h.instance;
	}

	/* The ring follows the links, if this process sees every device. */
	for (i = 0; i < n && !ret; i++)
		devs[i] = open_instance(inst[i]);
	for (i = 0; i < n && devs[i]; i++)
		;
	if (!ret && i == n)
		missing = comm_ring(devs, n, ring);
	else
		for (i = 0; i < n; i++)
			ring[i] = i;
	for (i = 0; i < n; i++) {
		ogpu_device_close(devs[i]);
		w.order[ring[i]] = i;
		w.instance[i] = inst[ring[i]];
	}
	w.status = ret;
	w.missing = missing;

	/* Ring position p is rank ring[p]; rank 0's own fds are @mine. */
	for (i = 0; i < n; i++) {
		unsigned int p = w.order[i];
		unsigned int nx = ring[(p + 1) % n], pv = ring[(p + n - 1) % n];
		int send[COMM_FDS] = {
			nx ? fds[nx][0] : mine[0], nx ? fds[nx][1] : mine[1],
			pv ? fds[pv][1] : mine[1], shared_fd,
		};

		if (i == 0) {
			if (!ret) {
				own[0] = fcntl(send[0], F_DUPFD_CLOEXEC, 0);
				own[1] = fcntl(send[1], F_DUPFD_CLOEXEC, 0);
				own[2] = fcntl(send[2], F_DUPFD_CLOEXEC, 0);
			}
			continue;
		}
		if (conn[i] >= 0 && sock_send(conn[i], &w, sizeof(w), send,
					      ret ? 0 : COMM_FDS) && !ret)
			ret = -EPROTO;
	}
	memcpy(c->order, w.order, sizeof(*c->order) * n);
	for (i = 0; i < n; i++)
		c->ranks[i].instance = w.instance[i];
	snprintf(c->why, sizeof(c->why),
		 "ring of %u ranks in as many processes, %u of its %u hops over system memory",
		 n, missing, n);
	for (i = 0; i < n; i++) {
		if (conn[i] >= 0)
			close(conn[i]);
		close_fds(fds[i], 2);
	}
	return ret;
}

/* Any rank but 0: connect, say hello, get the welcome and four fds. */
static int comm_join(struct ogpu_comm *c, const struct sockaddr_un *addr,
		     unsigned int rank, uint32_t instance, const int mine[2],
		     int64_t deadline, int got[COMM_FDS])
{
	struct comm_hello h = { .rank = rank, .instance = instance };
	struct comm_welcome w;
	int s, ret;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* Rank 0 may not listen yet. */
	while (connect(s, (const struct sockaddr *)addr, sizeof(*addr))) {
		if ((errno != ENOENT && errno != ECONNREFUSED) ||
		    ogpu_time_ns() > deadline) {
			close(s);
			return -ETIMEDOUT;
		}
		usleep(2000);
	}
	ret = sock_send(s, &h, sizeof(h), mine, 2);
	if (!ret)
		ret = sock_recv(s, &w, sizeof(w), got, COMM_FDS);
	close(s);
	if (!ret && w.status)
		ret = w.status;
	if (!ret) {
		unsigned int i;

		memcpy(c->order, w.order, sizeof(*c->order) * c->n);
		for (i = 0; i < c->n; i++)
			c->ranks[i].instance = w.instance[i];
		snprintf(c->why, sizeof(c->why),
			 "ring of %u ranks in as many processes, %u of its %u hops over system memory",
			 c->n, w.missing, c->n);
	}
	return ret;
}

OGPU_EXPORT int ogpu_comm_init_rank(struct ogpu_vm *vm, unsigned int nranks,
				    unsigned int rank, const char *socket_path,
				    struct ogpu_comm **out)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int64_t deadline = ogpu_time_ns() + 30ll * 1000 * 1000 * 1000;
	int ls = -1, mine[2] = { -1, -1 }, got[COMM_FDS];
	int shared_fd = -1, ret;
	struct comm_rank tmp = { 0 }, *r;
	struct ogpu_comm *c;
	unsigned int i;
	void *shared;

	if (!vm || !nranks || nranks > 64 || rank >= nranks || !socket_path ||
	    strlen(socket_path) >= sizeof(addr.sun_path))
		return -EINVAL;
	if (nranks == 1)
		return ogpu_comm_create(&vm, 1, out);
	strcpy(addr.sun_path, socket_path);
	for (i = 0; i < COMM_FDS; i++)
		got[i] = -1;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	c->n = nranks;
	c->me = -1;
	c->slots = 2 * (nranks - 1);
	c->ranks = calloc(nranks, sizeof(*c->ranks));
	c->order = calloc(nranks, sizeof(*c->order));
	ret = c->ranks && c->order ? 0 : -ENOMEM;

	/* This rank's buffers first; its place in the ring comes later. */
	if (!ret)
		ret = rank_init(c, &tmp, vm, OGPU_MEM_DEVICE_OR_HOST,
				OGPU_MEM_HOST);
	if (!ret)
		ret = ogpu_bo_export_fd(tmp.stage, &mine[0]);
	if (!ret)
		ret = ogpu_bo_export_fd(tmp.flags, &mine[1]);
	if (ret)
		goto err;

	if (rank == 0) {
		shared_fd = memfd_create("ogpu-comm", MFD_CLOEXEC);
		if (shared_fd < 0 ||
		    ftruncate(shared_fd, sizeof(struct comm_shared)))
			ret = -errno;
		ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (!ret && ls < 0)
			ret = -errno;
		unlink(socket_path);
		if (!ret && (bind(ls, (struct sockaddr *)&addr, sizeof(addr)) ||
			     listen(ls, 64)))
			ret = -errno;
		if (!ret)
			ret = comm_rank0(c, ls, tmp.dev->props.instance, mine,
					 shared_fd, deadline, got);
		unlink(socket_path);
		if (!ret) {
			got[3] = shared_fd;
			shared_fd = -1;
		}
	} else {
		ret = comm_join(c, &addr, rank, tmp.dev->props.instance, mine,
				deadline, got);
	}
	if (ret)
		goto err;

	/* Take the ring position rank 0 gave, and import the neighbours'. */
	c->me = c->order[rank];
	r = &c->ranks[c->me];
	tmp.instance = r->instance;
	*r = tmp;
	memset(&tmp, 0, sizeof(tmp));
	ret = comm_import_fd(r, got[0], &r->next_stage, &r->next_stage_va);
	if (!ret)
		ret = comm_import_fd(r, got[1], &r->next_flags,
				     &r->next_flags_va);
	if (!ret)
		ret = comm_import_fd(r, got[2], &r->prev_flags,
				     &r->prev_flags_va);
	if (ret)
		goto err;
	{
		void *nm, *pm;

		ret = ogpu_bo_map(r->next_flags, &nm);
		if (!ret)
			ret = ogpu_bo_map(r->prev_flags, &pm);
		if (ret)
			goto err;
		r->next_flags_map = nm;
		r->prev_flags_map = pm;
	}
	shared = mmap(NULL, sizeof(struct comm_shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED, got[3], 0);
	if (shared == MAP_FAILED) {
		ret = -errno;
		goto err;
	}
	c->shared = shared;
	/* The link to the next rank, which the watchdog watches. */
	{
		struct ogpu_p2p p;

		ogpu_device_get_links(r->dev, NULL, 0, &r->generation);
		if (!ogpu_p2p_query_instance(r->dev,
					     c->ranks[(c->me + 1) % nranks].instance,
					     &p) &&
		    p.reason == OGPU_P2P_OK && p.path == OGPU_P2P_PATH_LINK)
			r->link_port = p.port;
	}
	close_fds(mine, 2);
	close_fds(got, COMM_FDS);
	if (ls >= 0)
		close(ls);
	*out = c;
	return 0;

err:
	rank_fini(&tmp);
	close_fds(mine, 2);
	close_fds(got, COMM_FDS);
	if (shared_fd >= 0)
		close(shared_fd);
	if (ls >= 0)
		close(ls);
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
	/*
	 * One block of 256 threads per compute unit, each thread looping
	 * over many elements: a thread's start costs as much as a few
	 * elements, and a unit runs one block at a time anyway.
	 */
	uint32_t cus = r->dev->props.num_cus ? r->dev->props.num_cus : 1;
	uint64_t blocks = (count + 255) / 256;
	struct ogpu_launch l = {
		.grid = OGPU_DIM3(blocks < cus ? (uint32_t)blocks : cus, 1, 1),
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
	if (e.error == 1)
		snprintf(why, len,
			 "the queue of ogpu %u timed out: a rank stopped sending",
			 r->dev->props.instance);
	else if (e.error == 2)
		snprintf(why, len,
			 "the queue of ogpu %u faulted at 0x%llx (reason %u)",
			 r->dev->props.instance,
			 (unsigned long long)e.fault_addr, e.fault_reason);
	else
		snprintf(why, len, "the queue of ogpu %u failed (error %u)",
			 r->dev->props.instance, e.error);
	return e.error == 1 ? -ETIMEDOUT : -EIO;
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

	if (c->shared && !c->shared->abort) {
		snprintf(c->shared->why, sizeof(c->shared->why), "%.200s",
			 c->why);
		__atomic_store_n(&c->shared->abort, 1, __ATOMIC_RELEASE);
	}
	for_each_local(c, i) {
		struct comm_rank *r = &c->ranks[i];

		for (w = 0; w < SEM_WORDS; w++) {
			r->flags_map[w] = UINT64_MAX >> 1;
			/*
			 * Across processes, the neighbours' too: one of them
			 * may be stuck where it cannot look at the shared
			 * page (a submission waiting for its own queue).
			 */
			if (r->next_flags_map)
				r->next_flags_map[w] = UINT64_MAX >> 1;
			if (r->prev_flags_map)
				r->prev_flags_map[w] = UINT64_MAX >> 1;
		}
	}
}

/*
 * Wait for every rank's collective; watch the queues and the links
 * meanwhile, and abort the comm on the first failure.
 */
static int comm_wait(struct ogpu_comm *c)
{
	int64_t deadline = INT64_MAX;
	unsigned int i, left = 0, blocked, timed_out = 0;
	char *done = calloc(c->n, 1);
	int ret = 0;

	if (!done)
		return -ENOMEM;
	for_each_local(c, i)
		left++;
	while (left) {
		/* Another process's rank failed: end this one's part too. */
		if (!ret && c->shared &&
		    __atomic_load_n(&c->shared->abort, __ATOMIC_ACQUIRE)) {
			snprintf(c->why, sizeof(c->why), "another rank: %.200s",
				 c->shared->why);
			ret = -ECONNABORTED;
			if (strstr(c->shared->why, "link"))
				ret = -ENOLINK;
			comm_release(c);
			deadline = ogpu_time_ns() + COMM_ABORT_NS;
		}
		/*
		 * Sleep on the first rank not done (up to COMM_POLL_NS), only
		 * look at the others; after a sleep that timed out, look at
		 * every rank's queue and link. So the CPU stays out of the
		 * devices' way.
		 */
		blocked = 0;
		for_each_local(c, i) {
			struct comm_rank *r = &c->ranks[i];
			struct ogpu_sync s = { .syncobj = r->done };
			int err;

			if (done[i])
				continue;
			err = ogpu_syncobj_wait(r->dev, &s, 1, blocked ? 0 :
						ogpu_time_ns() + COMM_POLL_NS);
			if (err == -ETIME) {
				if (!blocked++)
					timed_out = 1;
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
		for_each_local(c, i) {
			struct comm_rank *r = &c->ranks[i];
			int err;

			if (!timed_out || ret || done[i])
				continue;
			err = rank_failed(r, c->why, sizeof(c->why));
			if (!err)
				err = rank_link_lost(r, c->why, sizeof(c->why));
			if (err) {
				ret = err;
				comm_release(c);
				deadline = ogpu_time_ns() + COMM_ABORT_NS;
			}
		}
		timed_out = 0;
		if (left && ogpu_time_ns() > deadline) {
			/* Stuck for good: cancel what is left. */
			for_each_local(c, i)
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

	unsigned int failed = c->n, next = 0;

	for_each_local(c, i) {
		struct comm_rank *r = &c->ranks[i];
		struct ogpu_sync out = { .syncobj = r->done };

		ret = ogpu_submit(r->q, &r->cb, 1, NULL, 0, &out, 1);
		if (ret) {
			failed = i;
			break;
		}
		next = r->ncb + 1;
	}
	if (failed < c->n) {
		/* The others wait for this one forever: release them. */
		int why = rank_failed(&c->ranks[failed], c->why,
				      sizeof(c->why));

		if (why)
			ret = why;
		else
			snprintf(c->why, sizeof(c->why),
				 "submission on ogpu %u failed",
				 c->ranks[failed].dev->props.instance);
		comm_release(c);
		for_each_local(c, i)
			if (i < failed)
				ogpu_queue_wait_idle(c->ranks[i].q);
		return ret;
	}
	if (wait || next == COMM_CBS) {
		ret = comm_wait(c);
		next = 0;
	}
	for_each_local(c, i)
		rank_use_cb(&c->ranks[i], next);
	return ret;
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
	for_each_local(c, i)
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

	for_each_local(c, i)
		if (!ret)
			ret = emit_wait(&c->ranks[i], SEM_FIN,
					c->ranks[i].sem[SEM_FIN]);
	return ret;
}

/* End every rank's stream, run them all and advance the FIN words. */
static int comm_finish(struct ogpu_comm *c)
{
	unsigned int i;
	int ret = 0;

	for_each_local(c, i) {
		struct comm_rank *r = &c->ranks[i];
		struct comm_rank *prev = &c->ranks[(i + c->n - 1) % c->n];

		if (!ret)
			ret = ogpu_cmd_sem_signal(r->cb, r->prev_flags_va +
						  8 * SEM_FIN,
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
		for_each_local(c, i)
			if (!ret)
				ret = emit_ring_segment(c, i, va[i], lo, seg,
							dtype, op, rs, ag);
		for (i = 0; i < c->n; i++) {
			c->ranks[i].sem[SEM_RS] += rs ? c->n - 1 : 0;
			c->ranks[i].sem[SEM_AG] += ag ? c->n - 1 : 0;
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

	for_each_local(c, i)
		if (!ret && dst[i] != src[i] && bytes)
			ret = ogpu_copy(c->ranks[i].q, dst[i], src[i], bytes);
	return ret;
}

/* The caller's per-rank VAs, in ring order. */
static void comm_to_ring(struct ogpu_comm *c, const uint64_t *user,
			 uint64_t *ring)
{
	unsigned int i;

	memset(ring, 0, c->n * sizeof(*ring));
	/* Across processes, the caller passes its one rank's VA. */
	if (c->me >= 0) {
		ring[c->me] = user[0];
		return;
	}
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

	for_each_local(c, i) {
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
	for_each_local(c, i)
		if (!ret && block)
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
	for_each_local(c, i)
		if (!ret && block && s[i] != d[i] + lo.off[i])
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
			  unsigned int root, uint64_t va, uint64_t bytes,
			  uint64_t k0, uint64_t k1)
{
	struct comm_rank *r = &c->ranks[i];
	struct comm_rank *next = &c->ranks[(i + 1) % c->n];
	struct comm_rank *prev = &c->ranks[(i + c->n - 1) % c->n];
	unsigned int pos = (i + c->n - root) % c->n, slots = c->slots;
	int first = pos == 0, last = pos == c->n - 1, ret = 0;
	uint64_t k;

	for (k = k0; k < k1 && !ret; k++) {
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
	uint64_t s[64], d[64], bytes = comm_bytes(count, dtype), pieces, k;
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
	if (bytes && c->ranks[rroot].local && s[rroot] != d[rroot])
		ret = ogpu_copy(c->ranks[rroot].q, d[rroot], s[rroot], bytes);
	if (c->n == 1 || !bytes || ret)
		return comm_end(c, ret);

	pieces = (bytes + COMM_SLOT - 1) / COMM_SLOT;
	ret = comm_start(c);
	/* One job per group of as many pieces as there are slots. */
	for (k = 0; k < pieces && !ret; k += c->slots) {
		uint64_t k1 = k + c->slots < pieces ? k + c->slots : pieces;

		for_each_local(c, i)
			if (!ret)
				ret = emit_broadcast(c, i, rroot, d[i], bytes,
						     k, k1);
		if (!ret && k1 < pieces)
			ret = comm_flush(c, 0);
	}
	for_each_local(c, i) {
		unsigned int pos = (i + c->n - rroot) % c->n;

		/* The last rank's staging is read: no slot stays in use. */
		if (!ret && pos != c->n - 1)
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
