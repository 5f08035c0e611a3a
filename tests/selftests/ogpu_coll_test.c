// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * libogpu's collectives on 2, 3, 4 and 8 devices joined in a ring of
 * links, every element checked against the same reduction on the CPU.
 */
#include <math.h>
#include <glob.h>
#include <pthread.h>
#include <sys/wait.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define FIRST_ID	310
#define MAX_DEV		8
/* Bytes of each rank's send and receive buffers. */
#define BUF_BYTES	(4u << 20)

static void cleanup_from(unsigned int first)
{
	unsigned int i;

	for (i = 0; i < MAX_DEV; i++)
		ogpu_sim_del(first + i);
}

static void cleanup(void)
{
	cleanup_from(FIRST_ID);
}

/* Join the devices in a ring (i:0 -> i+1:1) and wait until it is up. */
static int make_ring_from(unsigned int first, unsigned int n)
{
	char buf[64];
	unsigned int i, tries;
	int ret;

	for (i = 0; n > 1 && i < (n == 2 ? 1 : n); i++) {
		snprintf(buf, sizeof(buf), "%u:0 %u:1 100000 500",
			 first + i, first + (i + 1) % n);
		ret = ogpu_sysfs_write(OGPU_SIM_CTL "/link_device", buf);
		if (ret)
			return ret;
	}
	for (i = 0; n > 1 && i < n; i++) {
		char path[128], state[32];

		snprintf(path, sizeof(path),
			 OGPU_PDEV_DIR "/ogpu.%u/links/port%u/state",
			 first + i, n == 2 && i == 1 ? 1 : 0);
		for (tries = 0; tries < 500; tries++) {
			if (!ogpu_read_file(path, state, sizeof(state)) &&
			    !strncmp(state, "up", 2))
				break;
			usleep(10000);
		}
		if (tries == 500)
			return -ETIMEDOUT;
	}
	return 0;
}

static int make_ring(unsigned int n)
{
	return make_ring_from(FIRST_ID, n);
}

struct rank {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_bo *send, *recv;
	void *send_map, *recv_map;
	uint64_t send_va, recv_va;
};

/* rank_open() for a device that exists already. */
static int rank_open_existing(struct rank *r, unsigned int id)
{
	char node[64];
	int ret;

	ret = ogpu_wait_node(id, node, sizeof(node));
	if (!ret)
		ret = ogpu_device_open_path(node, &r->dev);
	if (!ret)
		ret = ogpu_vm_create(r->dev, &r->vm);
	if (!ret)
		ret = ogpu_bo_create(r->dev, BUF_BYTES, OGPU_MEM_DEVICE_OR_HOST,
				     &r->send);
	if (!ret)
		ret = ogpu_bo_create(r->dev, BUF_BYTES, OGPU_MEM_DEVICE_OR_HOST,
				     &r->recv);
	if (ret)
		return ret;
	r->send_va = ogpu_vm_alloc_va(r->vm, BUF_BYTES);
	r->recv_va = ogpu_vm_alloc_va(r->vm, BUF_BYTES);
	ret = ogpu_vm_bind(r->vm, r->send, 0, r->send_va, BUF_BYTES,
			   OGPU_ACCESS_RW);
	if (!ret)
		ret = ogpu_vm_bind(r->vm, r->recv, 0, r->recv_va, BUF_BYTES,
				   OGPU_ACCESS_RW);
	if (!ret)
		ret = ogpu_bo_map(r->send, &r->send_map);
	if (!ret)
		ret = ogpu_bo_map(r->recv, &r->recv_map);
	return ret;
}

/* Make device @id with a VM and two bound, mapped buffers. */
static int rank_open(struct rank *r, unsigned int id)
{
	char spec[32];
	int ret;

	snprintf(spec, sizeof(spec), "%u 32 2 4", id);
	ret = ogpu_sim_new(spec);
	return ret ? ret : rank_open_existing(r, id);
}

static void rank_close(struct rank *r)
{
	ogpu_bo_free(r->send);
	ogpu_bo_free(r->recv);
	ogpu_vm_destroy(r->vm);
	ogpu_device_close(r->dev);
	memset(r, 0, sizeof(*r));
}

FIXTURE(coll) {
	unsigned int n;
	struct rank r[MAX_DEV];
	struct ogpu_comm *comm;
	uint64_t send[MAX_DEV], recv[MAX_DEV];
};

FIXTURE_VARIANT(coll) {
	unsigned int n;
	int links;
};

FIXTURE_VARIANT_ADD(coll, ring2) { .n = 2, .links = 1 };
FIXTURE_VARIANT_ADD(coll, ring3) { .n = 3, .links = 1 };
FIXTURE_VARIANT_ADD(coll, ring4) { .n = 4, .links = 1 };
FIXTURE_VARIANT_ADD(coll, ring8) { .n = 8, .links = 1 };
FIXTURE_VARIANT_ADD(coll, nolinks3) { .n = 3, .links = 0 };


FIXTURE_SETUP(coll)
{
	unsigned int i;

	cleanup();
	self->n = variant->n;
	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, rank_open(&self->r[i], FIRST_ID + i));
		self->send[i] = self->r[i].send_va;
		self->recv[i] = self->r[i].recv_va;
	}
	if (variant->links)
		ASSERT_EQ(0, make_ring(self->n));
	{
		struct ogpu_vm *vms[MAX_DEV];

		for (i = 0; i < self->n; i++)
			vms[i] = self->r[i].vm;
		ASSERT_EQ(0, ogpu_comm_create(vms, self->n, &self->comm));
		TH_LOG("%s", ogpu_comm_status(self->comm));
	}
}

FIXTURE_TEARDOWN(coll)
{
	unsigned int i;

	ogpu_comm_destroy(self->comm);
	for (i = 0; i < self->n; i++)
		rank_close(&self->r[i]);
	cleanup();
}

/* Rank @rank's element @i, exact in every type and under every op. */
static double value(unsigned int rank, uint64_t i, enum ogpu_redop op)
{
	if (op == OGPU_PROD)
		return (i + rank) % 3 == 0 ? 2 : ((i + rank) % 7 == 0 ? -1 : 1);
	return (double)((int64_t)((i * 7 + rank * 13) % 1001) - 500);
}

static void put(void *buf, enum ogpu_dtype t, uint64_t i, double v)
{
	if (t == OGPU_INT32)
		((int32_t *)buf)[i] = (int32_t)v;
	else if (t == OGPU_FLOAT32)
		((float *)buf)[i] = (float)v;
	else
		((double *)buf)[i] = v;
}

static double get(const void *buf, enum ogpu_dtype t, uint64_t i)
{
	if (t == OGPU_INT32)
		return ((const int32_t *)buf)[i];
	if (t == OGPU_FLOAT32)
		return ((const float *)buf)[i];
	return ((const double *)buf)[i];
}

static double cpu_reduce(double a, double b, enum ogpu_redop op)
{
	switch (op) {
	case OGPU_SUM: return a + b;
	case OGPU_PROD: return a * b;
	case OGPU_MIN: return b < a ? b : a;
	default: return b > a ? b : a;
	}
}

static double expect_at(unsigned int n, uint64_t i, enum ogpu_redop op)
{
	double v = value(0, i, op);
	unsigned int r;

	for (r = 1; r < n; r++)
		v = cpu_reduce(v, value(r, i, op), op);
	return v;
}

/* Fill every rank's send buffer; poison its receive buffer. */
static void fill_ranks(FIXTURE_DATA(coll) *self, enum ogpu_dtype t,
		       enum ogpu_redop op, uint64_t count)
{
	unsigned int r;
	uint64_t i;

	for (r = 0; r < self->n; r++) {
		for (i = 0; i < count; i++)
			put(self->r[r].send_map, t, i, value(r, i, op));
		memset(self->r[r].recv_map, 0xa5, BUF_BYTES);
	}
}

/* First index of rank @r's @buf (of @count) that differs, or -1. */
static int64_t first_bad(const void *buf, enum ogpu_dtype t, uint64_t count,
			 double (*want)(uint64_t i, void *ctx), void *ctx)
{
	uint64_t i;

	for (i = 0; i < count; i++)
		if (get(buf, t, i) != want(i, ctx))
			return (int64_t)i;
	return -1;
}

struct want_ar {
	unsigned int n;
	enum ogpu_redop op;
	uint64_t base;
};

static double want_reduced(uint64_t i, void *ctx)
{
	struct want_ar *w = ctx;

	return expect_at(w->n, w->base + i, w->op);
}

static void all_reduce_case(struct __test_metadata *_metadata,
			    FIXTURE_DATA(coll) *self, enum ogpu_dtype t,
			    enum ogpu_redop op, uint64_t count, int in_place)
{
	struct want_ar w = { .n = self->n, .op = op };
	const uint64_t *recv = in_place ? self->send : self->recv;
	unsigned int r;

	fill_ranks(self, t, op, count);
	ASSERT_EQ(0, ogpu_all_reduce(self->comm, self->send, recv, count, t,
				     op)) {
		TH_LOG("%s", ogpu_comm_status(self->comm));
	}
	for (r = 0; r < self->n; r++) {
		void *out = in_place ? self->r[r].send_map :
			    self->r[r].recv_map;

		EXPECT_EQ(-1, first_bad(out, t, count, want_reduced, &w)) {
			TH_LOG("rank %u, %s", r, ogpu_dtype_str(t));
		}
	}
}

TEST_F_TIMEOUT(coll, all_reduce_int32_sum, 180)
{
	all_reduce_case(_metadata, self, OGPU_INT32, OGPU_SUM, 20011, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_int32_sum_many_segments, 180)
{
	/* Two and a half segments of n 64 KiB slots. */
	all_reduce_case(_metadata, self, OGPU_INT32, OGPU_SUM,
			self->n * 16384 * 5 / 2 + 1, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_float_sum_in_place, 180)
{
	all_reduce_case(_metadata, self, OGPU_FLOAT32, OGPU_SUM, 17001, 1);
}

TEST_F_TIMEOUT(coll, all_reduce_double_prod, 180)
{
	all_reduce_case(_metadata, self, OGPU_FLOAT64, OGPU_PROD, 10000, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_int32_prod, 180)
{
	all_reduce_case(_metadata, self, OGPU_INT32, OGPU_PROD, 5000, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_float_min, 180)
{
	all_reduce_case(_metadata, self, OGPU_FLOAT32, OGPU_MIN, 8333, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_double_max, 180)
{
	all_reduce_case(_metadata, self, OGPU_FLOAT64, OGPU_MAX, 8333, 0);
}

TEST_F_TIMEOUT(coll, all_reduce_int32_min_max_tiny, 180)
{
	/* Fewer elements than ranks: some chunks are empty. */
	all_reduce_case(_metadata, self, OGPU_INT32, OGPU_MIN, 1, 0);
	all_reduce_case(_metadata, self, OGPU_INT32, OGPU_MAX, 5, 0);
}

TEST_F_TIMEOUT(coll, repeated_all_reduces_reuse_the_ring, 180)
{
	int k;

	for (k = 0; k < 5; k++)
		all_reduce_case(_metadata, self, OGPU_INT32, OGPU_SUM,
				1000 + 777 * k, 0);
}

TEST_F_TIMEOUT(coll, reduce_scatter_float_sum, 180)
{
	uint64_t block = 10007, i;
	struct want_ar w = { .n = self->n, .op = OGPU_SUM };
	unsigned int r;

	fill_ranks(self, OGPU_FLOAT32, OGPU_SUM, block * self->n);
	ASSERT_EQ(0, ogpu_reduce_scatter(self->comm, self->send, self->recv,
					 block, OGPU_FLOAT32, OGPU_SUM));
	for (r = 0; r < self->n; r++) {
		w.base = block * r;
		EXPECT_EQ(-1, first_bad(self->r[r].recv_map, OGPU_FLOAT32,
					block, want_reduced, &w)) {
			TH_LOG("rank %u", r);
		}
		/* The send buffer is left alone. */
		for (i = 0; i < block * self->n; i += 997)
			ASSERT_EQ(value(r, i, OGPU_SUM),
				  get(self->r[r].send_map, OGPU_FLOAT32, i));
	}
}

struct want_ag {
	uint64_t block;
};

static double want_gathered(uint64_t i, void *ctx)
{
	struct want_ag *w = ctx;

	return value(i / w->block, i % w->block, OGPU_SUM);
}

TEST_F_TIMEOUT(coll, all_gather_int32, 180)
{
	struct want_ag w = { .block = 12007 };
	unsigned int r;

	fill_ranks(self, OGPU_INT32, OGPU_SUM, w.block);
	ASSERT_EQ(0, ogpu_all_gather(self->comm, self->send, self->recv,
				     w.block, OGPU_INT32));
	for (r = 0; r < self->n; r++)
		EXPECT_EQ(-1, first_bad(self->r[r].recv_map, OGPU_INT32,
					w.block * self->n, want_gathered,
					&w)) {
			TH_LOG("rank %u", r);
		}
}

struct want_bc {
	unsigned int root;
};

static double want_root(uint64_t i, void *ctx)
{
	return value(((struct want_bc *)ctx)->root, i, OGPU_SUM);
}

TEST_F_TIMEOUT(coll, broadcast_double_from_each_root, 180)
{
	uint64_t count = 70001;
	struct want_bc w;
	unsigned int r;

	for (w.root = 0; w.root < self->n; w.root++) {
		fill_ranks(self, OGPU_FLOAT64, OGPU_SUM, count);
		ASSERT_EQ(0, ogpu_broadcast(self->comm, self->send, self->recv,
					    count, OGPU_FLOAT64, w.root));
		for (r = 0; r < self->n; r++)
			EXPECT_EQ(-1, first_bad(self->r[r].recv_map,
						OGPU_FLOAT64, count, want_root,
						&w)) {
				TH_LOG("root %u rank %u", w.root, r);
			}
	}
}

TEST_F_TIMEOUT(coll, reduce_to_last_rank, 180)
{
	struct want_ar w = { .n = self->n, .op = OGPU_MAX };
	unsigned int root = self->n - 1, r;
	uint64_t count = 23457;

	fill_ranks(self, OGPU_INT32, OGPU_MAX, count);
	ASSERT_EQ(0, ogpu_reduce(self->comm, self->send, self->recv, count,
				 OGPU_INT32, OGPU_MAX, root));
	EXPECT_EQ(-1, first_bad(self->r[root].recv_map, OGPU_INT32, count,
				want_reduced, &w));
	/* The others' send buffers are left alone. */
	for (r = 0; r < self->n; r++)
		EXPECT_EQ(value(r, count - 1, OGPU_MAX),
			  get(self->r[r].send_map, OGPU_INT32, count - 1));
}

TEST_F_TIMEOUT(coll, reject_unknown_type, 180)
{
	EXPECT_EQ(-EINVAL, ogpu_all_reduce(self->comm, self->send, self->recv,
					   16, (enum ogpu_dtype)3, OGPU_SUM));
}

TEST_F_TIMEOUT(coll, reject_unknown_op, 180)
{
	EXPECT_EQ(-EINVAL, ogpu_all_reduce(self->comm, self->send, self->recv,
					   16, OGPU_INT32, (enum ogpu_redop)4));
}

TEST_F_TIMEOUT(coll, reject_root_out_of_range, 180)
{
	EXPECT_EQ(-EINVAL, ogpu_broadcast(self->comm, self->send, self->recv,
					  16, OGPU_INT32, self->n));
}

/*
 * Failures: four devices in a ring, one of whose links goes down, or one
 * of which is removed, during an all-reduce.
 */
#define FAIL_ID		340
#define FAIL_N		4
/* 1 MiB: at 200 MB/s, the slow link carries it for well over 30 ms. */
#define FAIL_COUNT	(256 * 1024)

FIXTURE(coll_fail) {
	struct rank r[FAIL_N];
	uint64_t va[FAIL_N];
	struct ogpu_comm *comm;
};

FIXTURE_SETUP(coll_fail)
{
	struct ogpu_vm *vms[FAIL_N];
	unsigned int i;

	cleanup_from(FAIL_ID);
	for (i = 0; i < FAIL_N; i++) {
		ASSERT_EQ(0, rank_open(&self->r[i], FAIL_ID + i));
		self->va[i] = self->r[i].send_va;
		vms[i] = self->r[i].vm;
	}
	ASSERT_EQ(0, make_ring_from(FAIL_ID, FAIL_N));
	ASSERT_EQ(0, ogpu_comm_create(vms, FAIL_N, &self->comm));
}

FIXTURE_TEARDOWN(coll_fail)
{
	unsigned int i;

	ogpu_comm_destroy(self->comm);
	for (i = 0; i < FAIL_N; i++)
		if (self->r[i].dev)
			rank_close(&self->r[i]);
	cleanup_from(FAIL_ID);
}

struct fail_later {
	unsigned int ms;
	char path[128];
	char val[32];
};

static void *write_later(void *arg)
{
	struct fail_later *f = arg;

	usleep(f->ms * 1000);
	ogpu_sysfs_write(f->path, f->val);
	return NULL;
}

/* A slow link (200 MB/s) on device 1's port 0, so the ring takes a while. */
static void slow_link(void)
{
	char path[128];

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/ogpu_sim/ogpu.%u/link0/bandwidth",
		 FAIL_ID + 1);
	ogpu_sysfs_write(path, "200");
}

/* Run an all-reduce of BUF_BYTES while @f happens; time it. */
static int reduce_while(FIXTURE_DATA(coll_fail) *self, struct fail_later *f,
			int64_t *ns)
{
	pthread_t t;
	int64_t t0 = ogpu_time_ns();
	int ret;

	pthread_create(&t, NULL, write_later, f);
	ret = ogpu_all_reduce(self->comm, self->va, self->va, FAIL_COUNT,
			      OGPU_INT32, OGPU_SUM);
	*ns = ogpu_time_ns() - t0;
	pthread_join(t, NULL);
	return ret;
}

/* Fill every rank's buffer, all-reduce @count int32 sums, check them. */
static int reduce_and_check(FIXTURE_DATA(coll_fail) *self,
			    struct ogpu_comm *comm, uint64_t count)
{
	unsigned int i;
	uint64_t j;
	int ret;

	for (i = 0; i < FAIL_N; i++)
		for (j = 0; j < count; j++)
			put(self->r[i].send_map, OGPU_INT32, j,
			    value(i, j, OGPU_SUM));
	ret = ogpu_all_reduce(comm, self->va, self->va, count, OGPU_INT32,
			      OGPU_SUM);
	for (i = 0; !ret && i < FAIL_N; i++)
		for (j = 0; j < count; j += 97)
			if (get(self->r[i].send_map, OGPU_INT32, j) !=
			    expect_at(FAIL_N, j, OGPU_SUM))
				return -EBADMSG;
	return ret;
}

/* A new communicator over the same devices, in place of the old one. */
static int rebuild(FIXTURE_DATA(coll_fail) *self)
{
	struct ogpu_vm *vms[FAIL_N];
	unsigned int i;

	ogpu_comm_destroy(self->comm);
	self->comm = NULL;
	for (i = 0; i < FAIL_N; i++)
		vms[i] = self->r[i].vm;
	return ogpu_comm_create(vms, FAIL_N, &self->comm);
}

/* Device 1's slowed port 0 goes to @state 30 ms into an all-reduce. */
static int reduce_while_link(FIXTURE_DATA(coll_fail) *self,
			     const char *state, int64_t *ns)
{
	struct fail_later f = { .ms = 30 };

	slow_link();
	snprintf(f.path, sizeof(f.path),
		 "/sys/kernel/debug/ogpu_sim/ogpu.%u/link0/state",
		 FAIL_ID + 1);
	snprintf(f.val, sizeof(f.val), "%s", state);
	return reduce_while(self, &f, ns);
}

TEST_F_TIMEOUT(coll_fail, link_down_ends_the_all_reduce_on_every_rank, 120)
{
	int64_t ns;
	int ret;

	ret = reduce_while_link(self, "down", &ns);
	EXPECT_TRUE(ret == -ENOLINK || ret == -EIO) {
		TH_LOG("returned %d", ret);
	}
	TH_LOG("%s, after %lld ms", ogpu_comm_status(self->comm),
	       (long long)(ns / 1000000));
	/* Bounded: the abort releases every rank within 2 s. */
	EXPECT_LT(ns, 5000000000ll);
	EXPECT_NE(NULL, strstr(ogpu_comm_status(self->comm), "link"));
	/* The communicator is aborted; later calls say so at once. */
	EXPECT_EQ(-ECONNABORTED, ogpu_all_reduce(self->comm, self->va,
						 self->va, 16, OGPU_INT32,
						 OGPU_SUM));

	/* Rebuilt once the link is back, it works. */
	ASSERT_EQ(0, ogpu_link_debugfs(FAIL_ID + 1, 0, "state", "up"));
	usleep(50000);
	ASSERT_EQ(0, rebuild(self));
	EXPECT_EQ(0, reduce_and_check(self, self->comm, 1000)) {
		TH_LOG("%s", ogpu_comm_status(self->comm));
	}
}

/*
 * A link that flaps (down for 10 ms, then up again) during an all-reduce:
 * either the ring's transfers missed the gap and the result is right, or
 * the call ends with the link's error; either way a new communicator over
 * the same devices then works.
 */
TEST_F_TIMEOUT(coll_fail, link_flap_during_all_reduce_ends_clean, 120)
{
	int64_t ns;
	int ret;

	ret = reduce_while_link(self, "flap", &ns);
	TH_LOG("%d after %lld ms: %s", ret, (long long)(ns / 1000000),
	       ogpu_comm_status(self->comm));
	EXPECT_TRUE(ret == 0 || ret == -ENOLINK || ret == -EIO);
	EXPECT_LT(ns, 5000000000ll);

	/* Trained again within the flap's 10 ms and a few more. */
	usleep(100000);
	ASSERT_EQ(0, rebuild(self));
	EXPECT_EQ(0, reduce_and_check(self, self->comm, 5000)) {
		TH_LOG("%s", ogpu_comm_status(self->comm));
	}
}

/* CRC errors seen at both ends of device 1's port 0 (device 2 is its peer). */
static uint64_t crc_errors_1_2(FIXTURE_DATA(coll_fail) *self)
{
	struct ogpu_link l[8];
	uint64_t sum = 0;
	int i, n;

	n = ogpu_device_get_links(self->r[1].dev, l, 8, NULL);
	if (n > 0)
		sum += l[0].crc_errors;
	n = ogpu_device_get_links(self->r[2].dev, l, 8, NULL);
	for (i = 0; i < n; i++)
		if (l[i].has_peer && l[i].peer_instance == FAIL_ID + 1)
			sum += l[i].crc_errors;
	return sum;
}

/*
 * A link that corrupts one packet in 7 during an all-reduce: the receiver
 * drops each bad packet and the sender sends it again, so the result is
 * right, and the link counts the errors.
 */
TEST_F_TIMEOUT(coll_fail, corruption_during_all_reduce_is_replayed, 120)
{
	uint64_t before = crc_errors_1_2(self);

	ASSERT_EQ(0, ogpu_link_debugfs(FAIL_ID + 1, 0, "corrupt", "7"));
	EXPECT_EQ(0, reduce_and_check(self, self->comm, 50000)) {
		TH_LOG("%s", ogpu_comm_status(self->comm));
	}
	ASSERT_EQ(0, ogpu_link_debugfs(FAIL_ID + 1, 0, "corrupt", "0"));
	EXPECT_LT(before, crc_errors_1_2(self));
}

TEST_F_TIMEOUT(coll_fail, device_removed_during_all_reduce_then_shrink, 120)
{
	struct fail_later f = { .ms = 30 };
	struct ogpu_vm *vms[FAIL_N - 1];
	struct ogpu_comm *shrunk;
	uint64_t va[FAIL_N - 1];
	int64_t ns;
	unsigned int i, k;
	int ret;

	slow_link();
	snprintf(f.path, sizeof(f.path), OGPU_SIM_CTL "/del_device");
	snprintf(f.val, sizeof(f.val), "%u", FAIL_ID + 2);
	ret = reduce_while(self, &f, &ns);
	EXPECT_NE(0, ret);
	TH_LOG("%d: %s, after %lld ms", ret, ogpu_comm_status(self->comm),
	       (long long)(ns / 1000000));
	EXPECT_LT(ns, 5000000000ll);

	/* Shrink: a new communicator over the three that remain. */
	ogpu_comm_destroy(self->comm);
	self->comm = NULL;
	rank_close(&self->r[2]);
	for (i = 0, k = 0; i < FAIL_N; i++) {
		if (i == 2)
			continue;
		vms[k] = self->r[i].vm;
		va[k++] = self->r[i].send_va;
	}
	ASSERT_EQ(0, ogpu_comm_create(vms, FAIL_N - 1, &shrunk));
	self->comm = shrunk;
	for (i = 0, k = 0; i < FAIL_N; i++) {
		uint64_t j;

		if (i == 2)
			continue;
		for (j = 0; j < 5000; j++)
			put(self->r[i].send_map, OGPU_INT32, j,
			    value(k, j, OGPU_SUM));
		k++;
	}
	ASSERT_EQ(0, ogpu_all_reduce(shrunk, va, va, 5000, OGPU_INT32,
				     OGPU_SUM)) {
		TH_LOG("%s", ogpu_comm_status(shrunk));
	}
	for (i = 0; i < FAIL_N; i++)
		if (i != 2)
			EXPECT_EQ(expect_at(FAIL_N - 1, 4999, OGPU_SUM),
				  get(self->r[i].send_map, OGPU_INT32, 4999));
}

/*
 * Across processes: four processes, one rank each on its own device of a
 * ring, meet over a Unix socket and run collectives; a link taken down
 * during one ends it in every process.
 */
#define MP_ID		350
#define MP_N		4
#define MP_SOCK		"/tmp/ogpu-coll-test.sock"

FIXTURE(coll_mp) {
	int unused;
};

FIXTURE_SETUP(coll_mp)
{
	char spec[32], node[64];
	unsigned int i;

	cleanup_from(MP_ID);
	for (i = 0; i < MP_N; i++) {
		snprintf(spec, sizeof(spec), "%u 32 2 4", MP_ID + i);
		ASSERT_EQ(0, ogpu_sim_new(spec));
		ASSERT_EQ(0, ogpu_wait_node(MP_ID + i, node, sizeof(node)));
	}
	ASSERT_EQ(0, make_ring_from(MP_ID, MP_N));
}

FIXTURE_TEARDOWN(coll_mp)
{
	cleanup_from(MP_ID);
}

/* What each process does; its exit status says how it went. */
enum mp_job { MP_COLLECTIVES, MP_LINK_DOWN };

static int mp_rank(unsigned int rank, enum mp_job job)
{
	struct ogpu_comm *comm;
	struct ogpu_link l[8];
	struct rank r = { 0 };
	uint64_t i, count = 50003, send, recv;
	int64_t t0;
	int ret, bad = 0;

	if (rank_open_existing(&r, MP_ID + rank))
		return 10;
	ret = ogpu_comm_init_rank(r.vm, MP_N, rank, MP_SOCK, &comm);
	if (ret) {
		fprintf(stderr, "rank %u: init: %d\n", rank, ret);
		return 11;
	}
	send = r.send_va;
	recv = r.recv_va;
	for (i = 0; i < count; i++)
		put(r.send_map, OGPU_INT32, i, value(rank, i, OGPU_SUM));

	if (job == MP_LINK_DOWN) {
		char path[128];

		/* Rank 1 slows its link and takes it down mid-way. */
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/ogpu_sim/ogpu.%u/link0/%s",
			 MP_ID + 1, "bandwidth");
		if (rank == 1)
			ogpu_sysfs_write(path, "200");
		t0 = ogpu_time_ns();
		if (rank == 1) {
			struct fail_later f = { .ms = 30, .val = "down" };
			pthread_t t;

			snprintf(f.path, sizeof(f.path),
				 "/sys/kernel/debug/ogpu_sim/ogpu.%u/link0/state",
				 MP_ID + 1);
			pthread_create(&t, NULL, write_later, &f);
			ret = ogpu_all_reduce(comm, &send, &send,
					      FAIL_COUNT, OGPU_INT32,
					      OGPU_SUM);
			pthread_join(t, NULL);
		} else {
			ret = ogpu_all_reduce(comm, &send, &send,
					      FAIL_COUNT, OGPU_INT32,
					      OGPU_SUM);
		}
		fprintf(stderr, "rank %u: %d after %lld ms: %s\n", rank, ret,
			(long long)((ogpu_time_ns() - t0) / 1000000),
			ogpu_comm_status(comm));
		ogpu_comm_destroy(comm);
		rank_close(&r);
		if (!ret)
			return 20;
		/*
		 * Bounded, in every process: well before the queues' 10 s
		 * timeout (no rank's ioctl waits for another's stuck work).
		 */
		return ogpu_time_ns() - t0 < 5000000000ll ? 0 : 21;
	}

	/* All-reduce, all-gather and broadcast, checked against the CPU. */
	ret = ogpu_all_reduce(comm, &send, &recv, count, OGPU_INT32, OGPU_SUM);
	for (i = 0; !ret && i < count; i++)
		if (get(r.recv_map, OGPU_INT32, i) !=
		    expect_at(MP_N, i, OGPU_SUM))
			bad = 1;
	if (ret || bad) {
		fprintf(stderr, "rank %u: all-reduce %d bad %d: %s\n", rank,
			ret, bad, ogpu_comm_status(comm));
		return 12;
	}
	ret = ogpu_all_gather(comm, &send, &recv, 1000, OGPU_INT32);
	for (i = 0; !ret && i < 1000 * MP_N; i++)
		if (get(r.recv_map, OGPU_INT32, i) !=
		    value(i / 1000, i % 1000, OGPU_SUM))
			bad = 1;
	if (ret || bad)
		return 13;
	ret = ogpu_broadcast(comm, &send, &recv, 5000, OGPU_INT32, 2);
	for (i = 0; !ret && i < 5000; i++)
		if (get(r.recv_map, OGPU_INT32, i) != value(2, i, OGPU_SUM))
			bad = 1;
	if (ret || bad)
		return 14;
	/* The ring went over the links. */
	if (ogpu_device_get_links(r.dev, l, 8, NULL) < 1 ||
	    (l[0].tx_bytes == 0 && l[1].tx_bytes == 0))
		return 15;
	ogpu_comm_destroy(comm);
	rank_close(&r);
	return 0;
}

/* A failed queue's devcoredumps, in the log, before teardown drops them. */
static void mp_print_coredumps(void)
{
	glob_t g;
	size_t i;

	if (glob("/sys/class/devcoredump/devcd*/data", 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		char buf[4096];
		size_t n;
		FILE *f = fopen(g.gl_pathv[i], "r");

		if (!f)
			continue;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, stderr);
		fclose(f);
	}
	globfree(&g);
}

static void mp_run(struct __test_metadata *_metadata, enum mp_job job)
{
	pid_t pid[MP_N];
	unsigned int i, failed = 0;

	for (i = 0; i < MP_N; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (!pid[i])
			_exit(mp_rank(i, job));
	}
	for (i = 0; i < MP_N; i++) {
		int status = -1;

		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) {
			TH_LOG("rank %u", i);
			failed++;
		}
	}
	if (failed && job == MP_COLLECTIVES)
		mp_print_coredumps();
}

TEST_F_TIMEOUT(coll_mp, four_processes_all_reduce_all_gather_broadcast, 120)
{
	mp_run(_metadata, MP_COLLECTIVES);
}

TEST_F_TIMEOUT(coll_mp, four_processes_link_down_ends_it_everywhere, 120)
{
	mp_run(_metadata, MP_LINK_DOWN);
}

TEST_HARNESS_MAIN
