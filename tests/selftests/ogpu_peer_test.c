// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Peer memory: device A imports device B's VRAM buffer (dma-buf) while a
 * link joins them, and reaches it through the PEER aperture: copies,
 * compute kernels' loads, stores and atomics, and semaphores, every byte
 * checked on B's side and every transfer counted on the link. Failures
 * injected during copies: a link taken down, flapped, or corrupting
 * packets.
 */
#include <pthread.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define A_ID	320
#define B_ID	321
#define MiB	(1ull << 20)
#define SIZE	(1 * MiB)

/* A's port 0 is joined to B's port 1. */
#define A_PORT	0
#define B_PORT	1

static void cleanup(void)
{
	ogpu_sim_del(A_ID);
	ogpu_sim_del(B_ID);
}

static int link_state(struct ogpu_device *dev, unsigned int port)
{
	struct ogpu_link l[8];

	return ogpu_device_get_links(dev, l, 8, NULL) > (int)port ?
	       (int)l[port].state : -1;
}

static int wait_link(struct ogpu_device *dev, unsigned int port, int state)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (link_state(dev, port) == state)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Wait up to 5 s for @port to be usable (up, or degraded). */
static int wait_usable(struct ogpu_device *dev, unsigned int port)
{
	int i, st;

	for (i = 0; i < 500; i++) {
		st = link_state(dev, port);
		if (st == OGPU_LINK_UP || st == OGPU_LINK_DEGRADED)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static struct ogpu_link port_info(struct ogpu_device *dev, unsigned int port)
{
	struct ogpu_link l[8] = { 0 };

	ogpu_device_get_links(dev, l, 8, NULL);
	return l[port];
}

struct side {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct ogpu_bo *bo;	/* VRAM, SIZE bytes */
	void *map;
	uint64_t va;
};

FIXTURE(peer) {
	struct side a, b;
	struct ogpu_bo *imp;	/* B's buffer, imported into A */
	uint64_t peer_va;	/* where A maps it */
};

static int side_open(struct side *s, unsigned int id)
{
	char spec[32], node[64];
	int ret;

	snprintf(spec, sizeof(spec), "%u 32 2 4", id);
	ret = ogpu_sim_new(spec);
	if (!ret)
		ret = ogpu_wait_node(id, node, sizeof(node));
	if (!ret)
		ret = ogpu_device_open_path(node, &s->dev);
	if (!ret)
		ret = ogpu_vm_create(s->dev, &s->vm);
	if (!ret)
		ret = ogpu_queue_create(s->vm, OGPU_ENGINE_COPY,
					OGPU_PRIORITY_NORMAL, 0, &s->q);
	if (!ret)
		ret = ogpu_bo_create(s->dev, SIZE, OGPU_MEM_DEVICE, &s->bo);
	if (!ret) {
		s->va = ogpu_vm_alloc_va(s->vm, SIZE);
		ret = ogpu_vm_bind(s->vm, s->bo, 0, s->va, SIZE,
				   OGPU_ACCESS_RW);
	}
	if (!ret)
		ret = ogpu_bo_map(s->bo, &s->map);
	return ret;
}

static void side_close(struct side *s)
{
	ogpu_queue_destroy(s->q);
	ogpu_bo_free(s->bo);
	ogpu_vm_destroy(s->vm);
	ogpu_device_close(s->dev);
}

/* A imports B's buffer and binds it at self->peer_va. */
static int import_b(FIXTURE_DATA(peer) *self)
{
	int fd, ret = ogpu_bo_export_fd(self->b.bo, &fd);

	if (ret)
		return ret;
	ret = ogpu_bo_import_fd(self->a.dev, fd, &self->imp);
	close(fd);
	if (ret)
		return ret;
	self->peer_va = ogpu_vm_alloc_va(self->a.vm, SIZE);
	return ogpu_vm_bind(self->a.vm, self->imp, 0, self->peer_va, SIZE,
			    OGPU_ACCESS_RW);
}

FIXTURE_SETUP(peer)
{
	char buf[64];

	cleanup();
	ASSERT_EQ(0, side_open(&self->a, A_ID));
	ASSERT_EQ(0, side_open(&self->b, B_ID));
	snprintf(buf, sizeof(buf), "%u:%u %u:%u 100000 200", A_ID, A_PORT,
		 B_ID, B_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(OGPU_SIM_CTL "/link_device", buf));
	ASSERT_EQ(0, wait_link(self->a.dev, A_PORT, OGPU_LINK_UP));
}

FIXTURE_TEARDOWN(peer)
{
	ogpu_bo_free(self->imp);
	side_close(&self->a);
	side_close(&self->b);
	cleanup();
}

TEST_F(peer, copy_engine_reads_and_writes_peer_vram)
{
	struct ogpu_link a0, b0, a1, b1;

	fill(self->b.map, SIZE, 1);
	fill(self->a.map, SIZE, 2);
	ASSERT_EQ(0, import_b(self));
	a0 = port_info(self->a.dev, A_PORT);
	b0 = port_info(self->b.dev, B_PORT);

	/* Read B's VRAM over the link, then write it. */
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 1));
	fill(self->a.map, SIZE, 3);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->peer_va, self->a.va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->b.map, SIZE, 3));

	/* Both directions crossed the link, and both ends agree. */
	a1 = port_info(self->a.dev, A_PORT);
	b1 = port_info(self->b.dev, B_PORT);
	EXPECT_GE(a1.rx_bytes - a0.rx_bytes, SIZE);
	EXPECT_GE(a1.tx_bytes - a0.tx_bytes, SIZE);
	EXPECT_EQ(a1.rx_bytes - a0.rx_bytes, b1.tx_bytes - b0.tx_bytes);
	EXPECT_EQ(a1.tx_bytes - a0.tx_bytes, b1.rx_bytes - b0.rx_bytes);
	EXPECT_GT(a1.tx_packets, a0.tx_packets);
}

struct kargs {
	uint64_t out;
	uint64_t addr;
	uint32_t n;
	uint32_t pad;
};

TEST_F_TIMEOUT(peer, compute_kernels_load_store_and_atomics_on_peer_vram,
	       120)
{
	struct ogpu_launch l = { OGPU_DIM3(16, 1, 1), OGPU_DIM3(64, 1, 1), 0 };
	const struct ogpu_kernel *ids, *atomics;
	struct ogpu_module *mod;
	struct ogpu_queue *cq;
	struct kargs k = { 0 };
	struct ogpu_link a0, a1;
	uint32_t *w = self->b.map, i;

	memset(self->b.map, 0, SIZE);
	ASSERT_EQ(0, import_b(self));
	ASSERT_EQ(0, ogpu_queue_create(self->a.vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 0, &cq));
	ASSERT_EQ(0, ogpu_module_load_file(self->a.vm,
					   beside_me("ogpu_compute_kernels.elf"),
					   &mod));
	ASSERT_EQ(0, ogpu_module_get_kernel(mod, "ids", &ids));
	ASSERT_EQ(0, ogpu_module_get_kernel(mod, "atomics", &atomics));
	a0 = port_info(self->a.dev, A_PORT);

	/* Stores: every thread writes its word in B's VRAM. */
	k.out = self->peer_va;
	k.n = 1024;
	ASSERT_EQ(0, ogpu_launch_kernel(cq, ids, &l, &k, sizeof(k), NULL, 0,
					NULL, 0));
	ASSERT_EQ(0, ogpu_queue_wait_idle(cq));
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(i + 1, w[i]);

	/* Atomics against the values B's CPU put there. */
	w[0] = 1000;
	w[1] = 5;
	k.n = 256;
	ASSERT_EQ(0, ogpu_launch_kernel(cq, atomics, &l, &k, sizeof(k), NULL,
					0, NULL, 0));
	ASSERT_EQ(0, ogpu_queue_wait_idle(cq));
	EXPECT_EQ(1000 + 256, w[0]);
	EXPECT_EQ(5 + 255 * 256 / 2, w[1]);

	a1 = port_info(self->a.dev, A_PORT);
	EXPECT_GE(a1.tx_bytes - a0.tx_bytes, 4096);
	EXPECT_GT(a1.rx_bytes, a0.rx_bytes);

	ogpu_queue_destroy(cq);
	ogpu_module_unload(mod);
}

TEST_F(peer, semaphore_in_peer_memory_syncs_two_devices)
{
	struct ogpu_cmdbuf *wait_cb, *sig_cb;
	struct ogpu_sync done = { 0, 0 };
	uint32_t *w = self->b.map;

	memset(self->b.map, 0, 4096);
	ASSERT_EQ(0, import_b(self));
	/* B waits on a word of its own VRAM, then marks it saw the signal. */
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->b.vm, 4096, &wait_cb));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(wait_cb, self->b.va, 7));
	ASSERT_EQ(0, ogpu_cmd_write32(wait_cb, self->b.va + 64, 0x600d));
	ASSERT_EQ(0, ogpu_syncobj_create(self->b.dev, &done.syncobj));
	ASSERT_EQ(0, ogpu_submit(self->b.q, &wait_cb, 1, NULL, 0, &done, 1));
	usleep(50000);
	EXPECT_EQ(0, w[16]);
	/* A signals it over the link: no CPU in between. */
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->a.vm, 4096, &sig_cb));
	ASSERT_EQ(0, ogpu_cmd_sem_signal(sig_cb, self->peer_va, 7));
	ASSERT_EQ(0, ogpu_submit(self->a.q, &sig_cb, 1, NULL, 0, NULL, 0));
	ASSERT_EQ(0, ogpu_syncobj_wait(self->b.dev, &done, 1,
				       ogpu_time_ns() + 5000000000ll));
	EXPECT_EQ(0, ogpu_syncobj_error(self->b.dev, done.syncobj));
	EXPECT_EQ(0x600d, w[16]);
	ASSERT_EQ(0, ogpu_queue_wait_idle(self->a.q));
	ogpu_syncobj_destroy(self->b.dev, done.syncobj);
	ogpu_cmdbuf_destroy(wait_cb);
	ogpu_cmdbuf_destroy(sig_cb);
}

TEST_F(peer, without_a_link_the_import_goes_through_system_memory)
{
	char buf[32];
	struct ogpu_link a0, a1;

	snprintf(buf, sizeof(buf), "%u:%u", A_ID, A_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(OGPU_SIM_CTL "/unlink_device", buf));
	fill(self->b.map, SIZE, 4);
	ASSERT_EQ(0, import_b(self));
	a0 = port_info(self->a.dev, A_PORT);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 4));
	a1 = port_info(self->a.dev, A_PORT);
	EXPECT_EQ(a0.rx_bytes, a1.rx_bytes);
}

TEST_F(peer, p2p_disabled_import_goes_through_system_memory)
{
	char path[128];
	struct ogpu_link a0, a1;

	snprintf(path, sizeof(path), OGPU_PDEV_DIR "/ogpu.%u/links/port%u/p2p_enabled",
		 A_ID, A_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(path, "0"));
	fill(self->b.map, SIZE, 5);
	ASSERT_EQ(0, import_b(self));
	a0 = port_info(self->a.dev, A_PORT);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 5));
	a1 = port_info(self->a.dev, A_PORT);
	EXPECT_EQ(a0.rx_bytes, a1.rx_bytes);
	ASSERT_EQ(0, ogpu_sysfs_write(path, "1"));
}

TEST_F(peer, corruption_is_counted_and_never_delivered)
{
	struct ogpu_link a0, b0, a1, b1;

	fill(self->b.map, SIZE, 6);
	ASSERT_EQ(0, import_b(self));
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "corrupt", "7"));
	a0 = port_info(self->a.dev, A_PORT);
	b0 = port_info(self->b.dev, B_PORT);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 6));
	fill(self->a.map, SIZE, 7);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->peer_va, self->a.va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->b.map, SIZE, 7));
	a1 = port_info(self->a.dev, A_PORT);
	b1 = port_info(self->b.dev, B_PORT);
	/* Each way, the receiver dropped bad packets and the sender resent. */
	EXPECT_GT(a1.crc_errors, a0.crc_errors);
	EXPECT_GT(b1.crc_errors, b0.crc_errors);
	EXPECT_GT(a1.replays, a0.replays);
	EXPECT_GT(b1.replays, b0.replays);
	EXPECT_EQ(OGPU_LINK_UP, a1.state);
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "corrupt", "0"));
}

/*
 * B's buffer, mapped into A over the link, is evicted from B's VRAM by
 * B's own allocations and comes back with B's next job: A's copies read
 * the right bytes each time, whichever way they go.
 */
TEST_F_TIMEOUT(peer, exporter_evicted_and_back_importer_follows, 180)
{
	enum { N = 16 };	/* 16 x 4 MiB: twice B's VRAM */
	struct ogpu_bo *other[N];
	struct ogpu_link a0, a1;
	void *p;
	int i;

	fill(self->b.map, SIZE, 10);
	ASSERT_EQ(0, import_b(self));
	a0 = port_info(self->a.dev, A_PORT);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 10));
	a1 = port_info(self->a.dev, A_PORT);
	/* Over the link while B keeps it in VRAM. */
	EXPECT_GE(a1.rx_bytes - a0.rx_bytes, SIZE);

	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, ogpu_bo_create(self->b.dev, 4 * MiB,
					    OGPU_MEM_DEVICE, &other[i]));
		ASSERT_EQ(0, ogpu_bo_map(other[i], &p));
		memset(p, i, 4 * MiB);
	}
	/* The CPU mapping follows B's buffer wherever it went. */
	fill(self->b.map, SIZE, 11);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 11));
	for (i = 0; i < N; i++)
		ogpu_bo_free(other[i]);

	/* B's own job brings its buffer back to VRAM. */
	ASSERT_EQ(0, ogpu_fill(self->b.q, self->b.va, 4096, 0));
	fill(self->b.map, SIZE, 12);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 12));
	/* And A writes into it, wherever it is. */
	fill(self->a.map, SIZE, 13);
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->peer_va, self->a.va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->b.map, SIZE, 13));
}

/*
 * fdinfo has the link's counters, as DEV_QUERY reads them: the bytes of a
 * peer copy in A's rx counter, B's port as A's peer, and nothing for the
 * ports that have neither a peer nor traffic.
 */
TEST_F(peer, fdinfo_shows_the_link_counters)
{
	int fd = ogpu_device_fd(self->a.dev);
	struct ogpu_link a1;
	char key[64], line[256], path[64], want[64];
	long long rx;
	int found = 0;
	FILE *f;

	fill(self->b.map, SIZE, 30);
	ASSERT_EQ(0, import_b(self));
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	snprintf(key, sizeof(key), "drm-ogpu-link%u-rx-bytes", A_PORT);
	rx = fdinfo_value(fd, key);
	a1 = port_info(self->a.dev, A_PORT);
	EXPECT_GE(rx, (long long)SIZE);
	EXPECT_LE(rx, (long long)a1.rx_bytes);
	snprintf(key, sizeof(key), "drm-ogpu-link%u-tx-bytes", A_PORT);
	EXPECT_GE(fdinfo_value(fd, key), 0);
	snprintf(key, sizeof(key), "drm-ogpu-link%u-crc-errors", A_PORT);
	EXPECT_EQ(0, fdinfo_value(fd, key));
	/* Port 3 of A has no peer and no traffic. */
	EXPECT_EQ(-1, fdinfo_value(fd, "drm-ogpu-link3-rx-bytes"));

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(want, sizeof(want), "drm-ogpu-link%u-peer:\t%u:%u\n", A_PORT,
		 B_ID, B_PORT);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		found |= !strcmp(line, want) ? 1 :
			 !strncmp(line, "drm-ogpu-link0-state:\tup\n", 64) ?
			 2 : 0;
	fclose(f);
	EXPECT_EQ(3, found);
}

/*
 * Link-only imports (OGPU_IMPORT_LINK_ONLY): over the link or not at all.
 */

/* A imports B's @bo with @flags; the result, the path in *@path. */
static int import_flags(FIXTURE_DATA(peer) *self, struct ogpu_bo *bo,
			unsigned int flags, enum ogpu_p2p_path *path)
{
	int fd, ret = ogpu_bo_export_fd(bo, &fd);

	if (ret)
		return ret;
	ret = ogpu_bo_import_fd_flags(self->a.dev, fd, flags, &self->imp,
				      path);
	close(fd);
	return ret;
}

/* A's copy engine reads the import at self->peer_va; bytes over A's port. */
static uint64_t read_import(struct __test_metadata *_metadata,
			    FIXTURE_DATA(peer) *self, uint64_t seed)
{
	struct ogpu_link a0, a1;

	fill(self->b.map, SIZE, seed);
	a0 = port_info(self->a.dev, A_PORT);
	EXPECT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, seed));
	a1 = port_info(self->a.dev, A_PORT);
	return a1.rx_bytes - a0.rx_bytes;
}

static int bind_import(FIXTURE_DATA(peer) *self)
{
	self->peer_va = ogpu_vm_alloc_va(self->a.vm, SIZE);
	return ogpu_vm_bind(self->a.vm, self->imp, 0, self->peer_va, SIZE,
			    OGPU_ACCESS_RW);
}

TEST_F(peer, link_only_import_goes_over_the_link)
{
	enum ogpu_p2p_path path = OGPU_P2P_PATH_NONE;

	ASSERT_EQ(0, import_flags(self, self->b.bo, OGPU_IMPORT_LINK_ONLY,
				  &path));
	EXPECT_EQ(OGPU_P2P_PATH_LINK, path);
	ASSERT_EQ(0, bind_import(self));
	EXPECT_GE(read_import(_metadata, self, 20), SIZE);
}

/*
 * Made while the link was up, a link-only import maps only while it still
 * is: bound after the link went down, it fails with -ENOLINK instead of
 * reaching B's buffer through system memory; once the link is back, the
 * same import binds and reads over it.
 */
TEST_F(peer, link_only_import_bind_fails_while_the_link_is_down)
{
	enum ogpu_p2p_path path;

	ASSERT_EQ(0, import_flags(self, self->b.bo, OGPU_IMPORT_LINK_ONLY,
				  &path));
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "state", "down"));
	ASSERT_EQ(0, wait_link(self->a.dev, A_PORT, OGPU_LINK_DOWN));
	EXPECT_EQ(-ENOLINK, bind_import(self));
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "state", "up"));
	ASSERT_EQ(0, wait_usable(self->a.dev, A_PORT));
	ASSERT_EQ(0, bind_import(self));
	EXPECT_GE(read_import(_metadata, self, 26), SIZE);
}

TEST_F(peer, link_only_import_without_a_link_fails)
{
	enum ogpu_p2p_path path;
	char buf[32];

	snprintf(buf, sizeof(buf), "%u:%u", A_ID, A_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(OGPU_SIM_CTL "/unlink_device", buf));
	EXPECT_EQ(-ENOLINK, import_flags(self, self->b.bo,
					 OGPU_IMPORT_LINK_ONLY, &path));
	EXPECT_EQ(NULL, self->imp);
	/* Without the flag, the same import falls back to host memory. */
	ASSERT_EQ(0, import_flags(self, self->b.bo, 0, &path));
	EXPECT_EQ(OGPU_P2P_PATH_NONE, path);
	ASSERT_EQ(0, bind_import(self));
	EXPECT_EQ(0, read_import(_metadata, self, 21));
}

TEST_F(peer, link_only_import_with_p2p_disabled_fails)
{
	enum ogpu_p2p_path path;
	char p[128];

	snprintf(p, sizeof(p), OGPU_PDEV_DIR "/ogpu.%u/links/port%u/p2p_enabled",
		 A_ID, A_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(p, "0"));
	EXPECT_EQ(-ENOLINK, import_flags(self, self->b.bo,
					 OGPU_IMPORT_LINK_ONLY, &path));
	EXPECT_EQ(NULL, self->imp);
	ASSERT_EQ(0, ogpu_sysfs_write(p, "1"));
}

TEST_F(peer, link_only_import_of_a_host_buffer_fails)
{
	enum ogpu_p2p_path path;
	struct ogpu_bo *host;

	ASSERT_EQ(0, ogpu_bo_create(self->b.dev, SIZE, OGPU_MEM_HOST, &host));
	EXPECT_EQ(-ENOLINK, import_flags(self, host, OGPU_IMPORT_LINK_ONLY,
					 &path));
	EXPECT_EQ(NULL, self->imp);
	ogpu_bo_free(host);
}

TEST_F(peer, link_only_import_of_own_buffer_is_itself)
{
	enum ogpu_p2p_path path = OGPU_P2P_PATH_NONE;
	int fd;

	ASSERT_EQ(0, ogpu_bo_export_fd(self->a.bo, &fd));
	ASSERT_EQ(0, ogpu_bo_import_fd_flags(self->a.dev, fd,
					     OGPU_IMPORT_LINK_ONLY,
					     &self->imp, &path));
	close(fd);
	EXPECT_EQ(OGPU_P2P_PATH_SELF, path);
	EXPECT_EQ(self->a.bo, self->imp);
}

/* The kernel's own checks, below libogpu's. */
static int raw_import(struct ogpu_device *dev, int fd, uint32_t flags,
		      uint32_t pad)
{
	struct drm_ogpu_prime_import args = {
		.fd = fd, .flags = flags, .pad = pad,
	};

	return drmIoctl(ogpu_device_fd(dev), DRM_IOCTL_OGPU_PRIME_IMPORT,
			&args) ? -errno : 0;
}

TEST_F(peer, prime_import_rejects_unknown_flags)
{
	int fd;

	ASSERT_EQ(0, ogpu_bo_export_fd(self->b.bo, &fd));
	EXPECT_EQ(-EINVAL, raw_import(self->a.dev, fd, 0x2, 0));
	close(fd);
}

TEST_F(peer, prime_import_rejects_nonzero_pad)
{
	int fd;

	ASSERT_EQ(0, ogpu_bo_export_fd(self->b.bo, &fd));
	EXPECT_EQ(-EINVAL, raw_import(self->a.dev, fd, 0, 1));
	close(fd);
}

TEST_F(peer, prime_import_rejects_closed_fd)
{
	EXPECT_EQ(-EBADF, raw_import(self->a.dev, 1000, 0, 0));
	EXPECT_EQ(-EBADF, raw_import(self->a.dev, 1000,
				     DRM_OGPU_IMPORT_LINK_ONLY, 0));
}

/*
 * An import made through host memory (P2P disabled) becomes a link-only
 * one when the same dma-buf is imported with the flag once P2P is back:
 * the same buffer, whose next mapping goes over the link.
 */
TEST_F(peer, link_only_import_moves_an_earlier_import_onto_the_link)
{
	enum ogpu_p2p_path path = OGPU_P2P_PATH_LINK;
	struct ogpu_bo *first;
	char p[128];

	snprintf(p, sizeof(p), OGPU_PDEV_DIR "/ogpu.%u/links/port%u/p2p_enabled",
		 A_ID, A_PORT);
	ASSERT_EQ(0, ogpu_sysfs_write(p, "0"));
	ASSERT_EQ(0, import_flags(self, self->b.bo, 0, &path));
	EXPECT_EQ(OGPU_P2P_PATH_NONE, path);
	ASSERT_EQ(0, bind_import(self));
	EXPECT_EQ(0, read_import(_metadata, self, 22));
	first = self->imp;

	ASSERT_EQ(0, ogpu_sysfs_write(p, "1"));
	ASSERT_EQ(0, import_flags(self, self->b.bo, OGPU_IMPORT_LINK_ONLY,
				  &path));
	EXPECT_EQ(OGPU_P2P_PATH_LINK, path);
	EXPECT_EQ(first, self->imp);
	ogpu_bo_free(first);	/* the second reference stays in self->imp */
	EXPECT_GE(read_import(_metadata, self, 23), SIZE);
}

/*
 * B's buffer, imported link-only, is evicted from B's VRAM by B's own
 * allocations: A's next job brings it back into B's VRAM and still reads
 * it over the link (a plain import would read B's host copy).
 */
TEST_F_TIMEOUT(peer, link_only_import_brings_the_evicted_buffer_back, 180)
{
	enum { N = 16 };	/* 16 x 4 MiB: twice B's VRAM */
	struct ogpu_bo *other[N];
	enum ogpu_p2p_path path;
	void *p;
	int i;

	ASSERT_EQ(0, import_flags(self, self->b.bo, OGPU_IMPORT_LINK_ONLY,
				  &path));
	ASSERT_EQ(0, bind_import(self));
	EXPECT_GE(read_import(_metadata, self, 24), SIZE);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, ogpu_bo_create(self->b.dev, 4 * MiB,
					    OGPU_MEM_DEVICE, &other[i]));
		ASSERT_EQ(0, ogpu_bo_map(other[i], &p));
		memset(p, i, 4 * MiB);
	}
	EXPECT_GE(read_import(_metadata, self, 25), SIZE);
	for (i = 0; i < N; i++)
		ogpu_bo_free(other[i]);
}

struct later {
	unsigned int ms;
	const char *state;
};

static void *set_state_later(void *arg)
{
	struct later *l = arg;

	usleep(l->ms * 1000);
	ogpu_link_debugfs(A_ID, A_PORT, "state", l->state);
	return NULL;
}

/*
 * A slow link (200 MB/s: 8 MiB take 40 ms at least) goes @how while A
 * copies from B: the copy fails in bounded time, its queue says the fault
 * was a link down on port A_PORT, B goes on working, and once the link is
 * up again a new queue's copy succeeds.
 */
static void failure_during_copy(struct __test_metadata *_metadata,
				FIXTURE_DATA(peer) *self, const char *how)
{
	const uint64_t big = 8 * MiB;
	struct later l = { .ms = 10, .state = how };
	struct ogpu_bo *src, *dst, *bimp;
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *cb;
	struct ogpu_sync done = { 0, 0 };
	uint64_t src_va, dst_va;
	int64_t t0, t1;
	pthread_t t;
	int fd;

	/* Bigger buffers than the fixture's, and a slow link. */
	ASSERT_EQ(0, ogpu_bo_create(self->b.dev, big, OGPU_MEM_DEVICE, &src));
	ASSERT_EQ(0, ogpu_bo_create(self->a.dev, big, OGPU_MEM_DEVICE, &dst));
	ASSERT_EQ(0, ogpu_bo_export_fd(src, &fd));
	ASSERT_EQ(0, ogpu_bo_import_fd(self->a.dev, fd, &bimp));
	close(fd);
	src_va = ogpu_vm_alloc_va(self->a.vm, big);
	dst_va = ogpu_vm_alloc_va(self->a.vm, big);
	ASSERT_EQ(0, ogpu_vm_bind(self->a.vm, bimp, 0, src_va, big,
				  OGPU_ACCESS_RW));
	ASSERT_EQ(0, ogpu_vm_bind(self->a.vm, dst, 0, dst_va, big,
				  OGPU_ACCESS_RW));
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "bandwidth", "200"));

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->a.vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_copy(cb, dst_va, src_va, big));
	ASSERT_EQ(0, ogpu_syncobj_create(self->a.dev, &done.syncobj));
	t0 = ogpu_time_ns();
	ASSERT_EQ(0, ogpu_submit(self->a.q, &cb, 1, NULL, 0, &done, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, set_state_later, &l));
	ASSERT_EQ(0, ogpu_syncobj_wait(self->a.dev, &done, 1,
				       t0 + 10000000000ll));
	t1 = ogpu_time_ns();
	pthread_join(t, NULL);
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->a.dev, done.syncobj));
	/* Well before the queue's timeout: the fault ends it. */
	EXPECT_LT(t1 - t0, 2000000000ll);
	ASSERT_EQ(0, ogpu_queue_get_error(self->a.q, &err));
	EXPECT_EQ(2, err.error);
	EXPECT_EQ(6, err.fault_reason);
	EXPECT_EQ(A_PORT, err.fault_port);

	/* B is fine. */
	fill(self->b.map, 4096, 8);
	ASSERT_EQ(0, ogpu_copy(self->b.q, self->b.va + 4096, self->b.va, 4096));
	EXPECT_EQ(SIZE_MAX, check((char *)self->b.map + 4096, 4096, 8));

	/* Up again: a new queue on A copies over the link. */
	if (strcmp(how, "flap"))
		ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "state", "up"));
	ASSERT_EQ(0, wait_usable(self->a.dev, A_PORT));
	ASSERT_EQ(0, ogpu_link_debugfs(A_ID, A_PORT, "bandwidth", "100000"));
	ASSERT_EQ(0, wait_link(self->a.dev, A_PORT, OGPU_LINK_UP));
	ogpu_queue_destroy(self->a.q);
	ASSERT_EQ(0, ogpu_queue_create(self->a.vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &self->a.q));
	fill(self->b.map, SIZE, 9);
	ASSERT_EQ(0, import_b(self));
	ASSERT_EQ(0, ogpu_copy(self->a.q, self->a.va, self->peer_va, SIZE));
	EXPECT_EQ(SIZE_MAX, check(self->a.map, SIZE, 9));

	ogpu_syncobj_destroy(self->a.dev, done.syncobj);
	ogpu_cmdbuf_destroy(cb);
	ogpu_bo_free(bimp);
	ogpu_bo_free(src);
	ogpu_bo_free(dst);
}

TEST_F_TIMEOUT(peer, link_down_during_a_copy_fails_it_naming_the_port, 120)
{
	failure_during_copy(_metadata, self, "down");
}

TEST_F_TIMEOUT(peer, link_flap_during_a_copy_fails_it_naming_the_port, 120)
{
	failure_during_copy(_metadata, self, "flap");
}

TEST_F_TIMEOUT(peer, link_failure_during_a_copy_fails_it_naming_the_port,
	       120)
{
	failure_during_copy(_metadata, self, "fail");
}

TEST_HARNESS_MAIN
