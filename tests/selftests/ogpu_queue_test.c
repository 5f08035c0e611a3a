// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Queues and submission: copies and fills checked byte by byte, ordering
 * within a queue and across queues (semaphores and timeline syncobjs),
 * many jobs from several threads, hangs and faults that ban one queue
 * while others run, processes and devices that go away with work in
 * flight, and every rejected input as a subtest of its own.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>

#include <linux/sync_file.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define MiB		(1ull << 20)
#define Q_ID		240
#define NEVER		(1ull << 62)

FIXTURE(queue) {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct buf data;
	char node[64];
};

FIXTURE_SETUP(queue)
{
	ogpu_sim_del(Q_ID);
	ASSERT_EQ(0, ogpu_sim_new("240 64"));
	ASSERT_EQ(0, ogpu_wait_node(Q_ID, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm));
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 0, &self->q));
	ASSERT_EQ(0, buf_new(self->vm, 1 * MiB, OGPU_MEM_DEVICE, &self->data));
	memset(self->data.map, 0, 1 * MiB);
}

FIXTURE_TEARDOWN(queue)
{
	/* Closing the device releases what a test left. */
	ogpu_device_close(self->dev);
	ogpu_sim_del(Q_ID);
}

TEST_F_TIMEOUT(queue, copy_sizes_and_alignments, 180)
{
	static const uint64_t sizes[] = {
		1, 3, 4, 7, 4095, 4096, 4097, 65536 + 5, 300000,
	};
	static const unsigned int offs[] = { 0, 1, 3, 4 };
	struct buf src;
	unsigned int i, j, k;

	ASSERT_EQ(0, buf_new(self->vm, 1 * MiB, OGPU_MEM_HOST, &src));
	for (k = 0; k < 1 * MiB; k++)
		src.map[k] = (uint8_t)(k * 7 + 3);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < 4; j++) {
			unsigned int so = offs[j], d = offs[3 - j] + 8;

			memset(self->data.map, 0xee, sizes[i] + 32);
			ASSERT_EQ(0, ogpu_copy(self->q, self->data.va + d,
					       src.va + so, sizes[i]));
			ASSERT_EQ(0, memcmp(self->data.map + d, src.map + so,
					    sizes[i]));
			/* Not a byte more, nor less. */
			ASSERT_EQ(0xee, self->data.map[d - 1]);
			ASSERT_EQ(0xee, self->data.map[d + sizes[i]]);
		}
}

TEST_F_TIMEOUT(queue, fill_sizes, 180)
{
	static const uint64_t sizes[] = { 4, 8, 4096, 65536 + 12, 1 * MiB - 64 };
	unsigned int i;
	uint64_t k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(self->data.map, 0xee, 1 * MiB);
		ASSERT_EQ(0, ogpu_fill(self->q, self->data.va + 32, sizes[i],
				       0x11223344 + i));
		for (k = 0; k < sizes[i]; k += 4)
			ASSERT_EQ(0x11223344 + i,
				  *(uint32_t *)(self->data.map + 32 + k));
		ASSERT_EQ(0xee, self->data.map[31]);
		ASSERT_EQ(0xee, self->data.map[32 + sizes[i]]);
	}
	EXPECT_EQ(-EINVAL, ogpu_fill(self->q, self->data.va, 6, 1));
}

TEST_F_TIMEOUT(queue, order_within_a_queue, 180)
{
	struct ogpu_cmdbuf *cbs[200];
	uint32_t last;
	int i;

	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cbs[i]));
		/* Each job overwrites the slot and appends to a log. */
		ASSERT_EQ(0, ogpu_cmd_write32(cbs[i], self->data.va, i));
		ASSERT_EQ(0, ogpu_cmd_write32(cbs[i], self->data.va + 8 + 4 * i,
					      i + 1000));
		if (i < 199)
			ASSERT_EQ(0, ogpu_submit(self->q, &cbs[i], 1, NULL, 0,
						 NULL, 0));
	}
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cbs[199], &last));
	ASSERT_EQ(0, wait_ms(self->dev, last, 20000));
	EXPECT_EQ(199, *(uint32_t *)self->data.map);
	for (i = 0; i < 200; i++)
		ASSERT_EQ(i + 1000, *(uint32_t *)(self->data.map + 8 + 4 * i));
	for (i = 0; i < 200; i++)
		ogpu_cmdbuf_destroy(cbs[i]);
}

TEST_F(queue, semaphore_orders_two_queues)
{
	struct ogpu_cmdbuf *a, *b;
	struct ogpu_queue *q2;
	uint32_t sa, sb;

	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &q2));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &a));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &b));
	/* A waits for B's semaphore, then copies what B wrote. */
	ASSERT_EQ(0, ogpu_cmd_sem_wait(a, self->data.va, 1));
	ASSERT_EQ(0, ogpu_cmd_copy(a, self->data.va + 16, self->data.va + 8, 8));
	ASSERT_EQ(0, ogpu_cmd_write64(b, self->data.va + 8, 0x1234567890ull));
	ASSERT_EQ(0, ogpu_cmd_sem_signal(b, self->data.va, 1));

	ASSERT_EQ(0, submit_sync(self->q, self->dev, a, &sa));
	EXPECT_EQ(-ETIME, wait_ms(self->dev, sa, 100));
	ASSERT_EQ(0, submit_sync(q2, self->dev, b, &sb));
	ASSERT_EQ(0, wait_ms(self->dev, sa, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, sa));
	EXPECT_EQ(0x1234567890ull, *(uint64_t *)(self->data.map + 16));
}

TEST_F(queue, timeline_syncobj_orders_two_queues)
{
	struct ogpu_sync point1 = { 0, 1 }, done = { 0, 2 };
	struct ogpu_cmdbuf *a, *b;
	struct ogpu_queue *q2;

	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 0, &q2));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &point1.syncobj));
	done.syncobj = point1.syncobj;
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &a));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &b));
	/* A holds until the CPU lets it go, then fills; it signals point 1. */
	ASSERT_EQ(0, ogpu_cmd_sem_wait(a, self->data.va, 1));
	ASSERT_EQ(0, ogpu_cmd_fill(a, self->data.va + 4096, 64 * 1024,
				   0x5a5a5a5a));
	/* B, on another queue, waits for point 1 and copies the fill. */
	ASSERT_EQ(0, ogpu_cmd_copy(b, self->data.va + 512 * 1024,
				   self->data.va + 4096, 64 * 1024));
	ASSERT_EQ(0, ogpu_submit(self->q, &a, 1, NULL, 0, &point1, 1));
	ASSERT_EQ(0, ogpu_submit(q2, &b, 1, &point1, 1, &done, 1));
	EXPECT_EQ(-ETIME, ogpu_syncobj_wait(self->dev, &done, 1,
					    ogpu_time_ns() + 100000000ll));
	*(volatile uint64_t *)self->data.map = 1;
	ASSERT_EQ(0, ogpu_syncobj_wait(self->dev, &done, 1,
				       ogpu_time_ns() + 10000000000ll));
	EXPECT_EQ(0x5a5a5a5au, *(uint32_t *)(self->data.map + 512 * 1024));
	EXPECT_EQ(0x5a5a5a5au,
		  *(uint32_t *)(self->data.map + 512 * 1024 + 65532));
}

TEST_F(queue, wait_on_unsubmitted_point_is_einval)
{
	struct ogpu_sync later = { 0, 5 };
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &later.syncobj));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_nop(cb));
	EXPECT_EQ(-EINVAL, ogpu_submit(self->q, &cb, 1, &later, 1, NULL, 0));
}

struct worker {
	struct ogpu_vm *vm;
	struct buf *data;
	int index;
	int ret;
};

/*
 * 100 jobs on a queue of its own: job k runs command buffer k % 10, which
 * writes k % 10 + 1 to the thread's slot, so the last one leaves 10.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ogpu_device *dev = ogpu_vm_device(w->vm);
	struct ogpu_cmdbuf *cbs[10];
	struct ogpu_queue *q;
	uint32_t done = 0;
	int i;

	w->ret = ogpu_queue_create(w->vm, OGPU_ENGINE_COMPUTE,
				   OGPU_PRIORITY_NORMAL, 0, &q);
	for (i = 0; i < 10 && !w->ret; i++) {
		w->ret = ogpu_cmdbuf_create(w->vm, 4096, &cbs[i]);
		if (!w->ret)
			w->ret = ogpu_cmd_write32(cbs[i], w->data->va +
						  64 * w->index, i + 1);
	}
	for (i = 0; i < 100 && !w->ret; i++) {
		if (i < 99)
			w->ret = ogpu_submit(q, &cbs[i % 10], 1, NULL, 0,
					     NULL, 0);
		else
			w->ret = submit_sync(q, dev, cbs[i % 10], &done);
	}
	if (!w->ret)
		w->ret = wait_ms(dev, done, 30000);
	return NULL;
}

TEST_F_TIMEOUT(queue, hundreds_of_jobs_from_threads, 180)
{
	struct worker w[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ self->vm, &self->data, i, 0 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_main, &w[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].ret);
		EXPECT_EQ(10, *(uint32_t *)(self->data.map + 64 * i));
	}
}

TEST_F_TIMEOUT(queue, hang_bans_only_that_queue, 180)
{
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *hang, *ok;
	struct ogpu_queue *hq;
	uint32_t sh, so;

	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 300, &hq));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &hang));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &ok));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(hang, self->data.va, NEVER));
	ASSERT_EQ(0, ogpu_cmd_write32(ok, self->data.va + 64, 77));

	ASSERT_EQ(0, submit_sync(hq, self->dev, hang, &sh));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, ok, &so));
	ASSERT_EQ(0, wait_ms(self->dev, so, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, so));
	EXPECT_EQ(77, *(uint32_t *)(self->data.map + 64));

	ASSERT_EQ(0, wait_ms(self->dev, sh, 20000));
	EXPECT_EQ(-ETIMEDOUT, ogpu_syncobj_error(self->dev, sh));
	ASSERT_EQ(0, ogpu_queue_get_error(hq, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_TIMEOUT, err.error);
	EXPECT_EQ(-ECANCELED, ogpu_submit(hq, &ok, 1, NULL, 0, NULL, 0));

	/* The other queue still runs. */
	ASSERT_EQ(0, ogpu_fill(self->q, self->data.va + 128, 4, 5));
	ASSERT_EQ(0, ogpu_queue_get_error(self->q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_OK, err.error);
}

TEST_F(queue, copy_to_unmapped_va_is_a_reported_fault)
{
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *cb;
	uint32_t s;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_copy(cb, 0x7000000, self->data.va, 64));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 10000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(self->q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_FAULT, err.error);
	EXPECT_EQ(0x7000000, err.fault_addr);
	EXPECT_EQ(DRM_OGPU_FAULT_ACCESS_WRITE, err.fault_access);
	EXPECT_EQ(DRM_OGPU_FAULT_NOT_PRESENT, err.fault_reason);
	EXPECT_EQ(-ECANCELED, ogpu_submit(self->q, &cb, 1, NULL, 0, NULL, 0));
}

TEST_F(queue, bad_packet_is_reported)
{
	static const uint32_t unknown = 0x7e | 1 << 16;
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *cb;
	uint32_t s;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_nop(cb));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, s));
	/* A packet the hardware does not know. */
	ASSERT_EQ(0, ogpu_cmd_raw(cb, &unknown, 1));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 10000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(self->q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_BAD_PACKET, err.error);
}

/*
 * For a child process: a file of its own with a queue and a command
 * buffer that waits for a semaphore nobody signals.
 */
static int stuck_queue(const char *node, struct ogpu_device **dev,
		       struct ogpu_vm **vm, struct ogpu_queue **q,
		       struct ogpu_cmdbuf **cb)
{
	struct buf sem;

	if (ogpu_device_open_path(node, dev) ||
	    ogpu_vm_create(*dev, vm) ||
	    ogpu_queue_create(*vm, OGPU_ENGINE_COMPUTE, OGPU_PRIORITY_NORMAL,
			      0, q) ||
	    buf_new(*vm, 4096, OGPU_MEM_DEVICE, &sem) ||
	    ogpu_cmdbuf_create(*vm, 4096, cb) ||
	    ogpu_cmd_sem_wait(*cb, sem.va, NEVER))
		return -1;
	return 0;
}

TEST_F(queue, process_exit_with_jobs_in_flight)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ogpu_device *dev;
		struct ogpu_cmdbuf *cb;
		struct ogpu_queue *q;
		struct ogpu_vm *vm;
		int i;

		/* A file of the child's own, left with work that never ends. */
		if (stuck_queue(self->node, &dev, &vm, &q, &cb))
			_exit(1);
		for (i = 0; i < 20; i++)
			if (ogpu_submit(q, &cb, 1, NULL, 0, NULL, 0))
				_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's file and queue are fine. */
	EXPECT_EQ(0, ogpu_fill(self->q, self->data.va, 4096, 3));
}

/* A sync file's fence: 1 signalled, 0 running, < 0 its error. */
static int sync_file_status(int fd)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

TEST_F(queue, device_removed_with_jobs_in_flight)
{
	struct pollfd pfd = { .events = POLLIN };
	struct ogpu_cmdbuf *cb;
	uint32_t s;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(cb, self->data.va, NEVER));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s));
	/* Whoever holds the fence outside the file sees it end. */
	ASSERT_EQ(0, drmSyncobjExportSyncFile(ogpu_device_fd(self->dev), s,
					      &pfd.fd));
	EXPECT_EQ(0, sync_file_status(pfd.fd));
	ASSERT_EQ(0, ogpu_sim_del(Q_ID));
	EXPECT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_GT(0, sync_file_status(pfd.fd));
	close(pfd.fd);
	EXPECT_EQ(-ENODEV, ogpu_submit(self->q, &cb, 1, NULL, 0, NULL, 0));
}

#define fdinfo_ns fdinfo_value

TEST_F(queue, fdinfo_engine_busy_time)
{
	struct ogpu_queue *copy_q;
	long long before;
	int fd = ogpu_device_fd(self->dev);

	before = fdinfo_ns(fd, "drm-engine-copy");
	ASSERT_EQ(0, before);
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &copy_q));
	ASSERT_EQ(0, ogpu_fill(copy_q, self->data.va, 1 * MiB, 9));
	/* The job is freed, and counted, shortly after its fence. */
	for (int i = 0; i < 100 && fdinfo_ns(fd, "drm-engine-copy") == 0; i++)
		usleep(10000);
	EXPECT_LT(0, fdinfo_ns(fd, "drm-engine-copy"));
	EXPECT_EQ(0, fdinfo_ns(fd, "drm-engine-compute"));
}

#define TRACING "/sys/kernel/tracing"

TEST_F_TIMEOUT(queue, tracepoints_mark_the_job_path, 120)
{
	static char trace[1 << 16];
	struct ogpu_cmdbuf *hang, *nop;
	struct ogpu_sync job = { 0, 0 };
	struct ogpu_bind_op op;
	struct ogpu_queue *hq;
	struct ogpu_bo *bo;
	uint32_t s;
	int fd;

	ASSERT_EQ(0, ogpu_sysfs_write(TRACING "/events/ogpu/enable", "1"));
	fd = open(TRACING "/trace", O_WRONLY | O_TRUNC);
	ASSERT_GE(fd, 0);
	close(fd);

	ASSERT_EQ(0, ogpu_fill(self->q, self->data.va, 4096, 1));
	/* A bind written at once, then one queued behind a job's fence. */
	ASSERT_EQ(0, ogpu_bo_create(self->dev, 4096, OGPU_MEM_DEVICE, &bo));
	op = (struct ogpu_bind_op){ .bo = bo, .size = 4096,
				    .va = ogpu_vm_alloc_va(self->vm, 4096),
				    .access = OGPU_ACCESS_RW };
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, NULL, 0, NULL, 0, 0));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &nop));
	ASSERT_EQ(0, ogpu_cmd_nop(nop));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, nop, &job.syncobj));
	op.unmap = 1;
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, &job, 1, NULL, 0, 0));

	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 200, &hq));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &hang));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(hang, self->data.va + 64, NEVER));
	ASSERT_EQ(0, submit_sync(hq, self->dev, hang, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 20000));

	ASSERT_EQ(0, ogpu_sysfs_write(TRACING "/events/ogpu/enable", "0"));
	ASSERT_EQ(0, ogpu_read_file(TRACING "/trace", trace, sizeof(trace)));
	EXPECT_NE(NULL, strstr(trace, "ogpu_job_submit: dev=240"));
	EXPECT_NE(NULL, strstr(trace, "ogpu_job_run: dev=240"));
	EXPECT_NE(NULL, strstr(trace, "ogpu_job_complete: dev=240"));
	EXPECT_NE(NULL, strstr(trace, "ogpu_queue_timeout: dev=240"));
	EXPECT_NE(NULL, strstr(trace, " inline"));
	EXPECT_NE(NULL, strstr(trace, " queued"));
	EXPECT_NE(NULL, strstr(trace, "ogpu_vm_bind_run: dev=240"));
	EXPECT_NE(NULL, strstr(trace, "ogpu_queue_reset: dev=240")) {
		TH_LOG("trace: %.2000s", trace);
	}
}

/*
 * Asynchronous VM_BIND. A "gate" is a job that holds its queue until the
 * CPU writes 1 to the first word of the fixture's buffer; its out-syncobj
 * is a fence the test controls.
 */
static int gate_new(FIXTURE_DATA(queue) *self, uint32_t *gate)
{
	struct ogpu_cmdbuf *cb;
	int ret;

	*(volatile uint64_t *)self->data.map = 0;
	ret = ogpu_cmdbuf_create(self->vm, 4096, &cb);
	if (!ret)
		ret = ogpu_cmd_sem_wait(cb, self->data.va, 1);
	if (!ret)
		ret = submit_sync(self->q, self->dev, cb, gate);
	return ret;
}

static void gate_open(FIXTURE_DATA(queue) *self)
{
	*(volatile uint64_t *)self->data.map = 1;
}

/* A 64 KiB buffer filled with pattern @seed, not bound anywhere. */
static int pattern_bo(FIXTURE_DATA(queue) *self, uint64_t seed,
		      struct buf *b)
{
	int ret;

	b->size = 64 * 1024;
	b->va = ogpu_vm_alloc_va(self->vm, b->size);
	ret = ogpu_bo_create(self->dev, b->size, OGPU_MEM_DEVICE, &b->bo);
	if (!ret)
		ret = ogpu_bo_map(b->bo, (void **)&b->map);
	if (!ret)
		fill(b->map, b->size, seed);
	return ret;
}

static struct ogpu_bind_op bind_map(struct buf *b)
{
	return (struct ogpu_bind_op){
		.bo = b->bo, .va = b->va, .size = b->size,
		.access = OGPU_ACCESS_RW,
	};
}

static struct ogpu_bind_op bind_unmap(struct buf *b)
{
	return (struct ogpu_bind_op){
		.unmap = 1, .va = b->va, .size = b->size,
	};
}

static int port_of(FIXTURE_DATA(queue) *self)
{
	return ogpu_debug_port(Q_ID, ogpu_vm_hw_context(self->vm));
}

TEST_F_TIMEOUT(queue, async_bind_waits_for_in_sync, 120)
{
	struct ogpu_sync gate = { 0, 0 }, bound = { 0, 0 }, copied = { 0, 0 };
	static uint8_t buf[64 * 1024];
	struct ogpu_bind_op op;
	struct ogpu_cmdbuf *cb;
	struct ogpu_queue *q2;
	struct buf b;
	int port = port_of(self);

	ASSERT_GE(port, 0);
	ASSERT_EQ(0, pattern_bo(self, 7, &b));
	/*
	 * Made first: the command buffer's own (synchronous) bind would
	 * wait behind the gated one.
	 */
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &q2));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_copy(cb, self->data.va + 4096, b.va, 4096));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &copied.syncobj));

	ASSERT_EQ(0, gate_new(self, &gate.syncobj));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &bound.syncobj));
	op = bind_map(&b);
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, &gate, 1, &bound, 1,
				      OGPU_BIND_ASYNC));
	/* A copy out of the new mapping, submitted before it exists. */
	ASSERT_EQ(0, ogpu_submit(q2, &cb, 1, &bound, 1, &copied, 1));

	EXPECT_EQ(-ETIME, wait_ms(self->dev, bound.syncobj, 200));
	/* The page tables are not written yet. */
	EXPECT_EQ(-EFAULT, port_rw(port, b.va, buf, 4096, 0));

	gate_open(self);
	ASSERT_EQ(0, wait_ms(self->dev, bound.syncobj, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, bound.syncobj));
	ASSERT_EQ(0, port_rw(port, b.va, buf, sizeof(buf), 0));
	EXPECT_EQ(SIZE_MAX, check(buf, sizeof(buf), 7));
	ASSERT_EQ(0, wait_ms(self->dev, copied.syncobj, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, copied.syncobj));
	EXPECT_EQ(0, memcmp(self->data.map + 4096, b.map, 4096));
	close(port);
}

TEST_F_TIMEOUT(queue, async_unbind_waits_for_in_sync, 120)
{
	struct ogpu_sync gate = { 0, 0 }, unbound = { 0, 0 };
	struct ogpu_bind_op op;
	uint8_t buf[4096];
	struct buf b;
	int port = port_of(self);

	ASSERT_GE(port, 0);
	ASSERT_EQ(0, pattern_bo(self, 8, &b));
	ASSERT_EQ(0, ogpu_vm_bind(self->vm, b.bo, 0, b.va, b.size,
				  OGPU_ACCESS_RW));
	ASSERT_EQ(0, gate_new(self, &gate.syncobj));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &unbound.syncobj));
	op = bind_unmap(&b);
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, &gate, 1, &unbound, 1,
				      OGPU_BIND_ASYNC));
	/* Still mapped for the GPU until the gate opens. */
	EXPECT_EQ(-ETIME, wait_ms(self->dev, unbound.syncobj, 200));
	ASSERT_EQ(0, port_rw(port, b.va, buf, sizeof(buf), 0));
	EXPECT_EQ(SIZE_MAX, check(buf, sizeof(buf), 8));
	/* The buffer's memory outlives its handle until the unbind is done. */
	ogpu_bo_free(b.bo);

	gate_open(self);
	ASSERT_EQ(0, wait_ms(self->dev, unbound.syncobj, 10000));
	EXPECT_EQ(-EFAULT, port_rw(port, b.va, buf, sizeof(buf), 0));
	close(port);
}

static void *open_gate_later(void *arg)
{
	usleep(300000);
	gate_open(arg);
	return NULL;
}

TEST_F_TIMEOUT(queue, sync_bind_runs_after_queued_async_binds, 120)
{
	struct ogpu_sync gate = { 0, 0 };
	static uint8_t buf[64 * 1024];
	struct ogpu_bind_op op;
	struct buf a, b;
	pthread_t t;
	int port = port_of(self);

	ASSERT_GE(port, 0);
	ASSERT_EQ(0, pattern_bo(self, 9, &a));
	ASSERT_EQ(0, pattern_bo(self, 10, &b));
	b.va = a.va;
	ASSERT_EQ(0, ogpu_vm_bind(self->vm, a.bo, 0, a.va, a.size,
				  OGPU_ACCESS_RW));
	ASSERT_EQ(0, gate_new(self, &gate.syncobj));
	/* Unmap A once the gate opens; then, synchronously, map B there. */
	op = bind_unmap(&a);
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, &gate, 1, NULL, 0,
				      OGPU_BIND_ASYNC));
	ASSERT_EQ(0, pthread_create(&t, NULL, open_gate_later, self));
	ASSERT_EQ(0, ogpu_vm_bind(self->vm, b.bo, 0, b.va, b.size,
				  OGPU_ACCESS_RW));
	pthread_join(t, NULL);
	/* B's entries were written after A's were cleared, not before. */
	ASSERT_EQ(0, port_rw(port, b.va, buf, sizeof(buf), 0));
	EXPECT_EQ(SIZE_MAX, check(buf, sizeof(buf), 10));
	close(port);
}

TEST_F_TIMEOUT(queue, async_bind_signals_timeline_point, 60)
{
	struct ogpu_sync done = { 0, 3 };
	struct ogpu_bind_op ops[2];
	struct buf a, b;

	ASSERT_EQ(0, pattern_bo(self, 11, &a));
	ASSERT_EQ(0, pattern_bo(self, 12, &b));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &done.syncobj));
	ops[0] = bind_map(&a);
	ops[1] = bind_map(&b);
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, ops, 2, NULL, 0, &done, 1,
				      OGPU_BIND_ASYNC));
	ASSERT_EQ(0, ogpu_syncobj_wait(self->dev, &done, 1,
				       ogpu_time_ns() + 10000000000ll));
	/* Both are there for the GPU. */
	ASSERT_EQ(0, ogpu_copy(self->q, self->data.va + 8192, b.va, 4096));
	EXPECT_EQ(0, memcmp(self->data.map + 8192, b.map, 4096));
	ASSERT_EQ(0, ogpu_copy(self->q, self->data.va + 8192, a.va, 4096));
	EXPECT_EQ(0, memcmp(self->data.map + 8192, a.map, 4096));
}

TEST_F_TIMEOUT(queue, process_exit_with_binds_queued, 120)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ogpu_sync gate = { 0, 0 };
		struct ogpu_device *dev;
		struct ogpu_cmdbuf *cb;
		struct ogpu_queue *q;
		struct ogpu_vm *vm;
		struct ogpu_bind_op op;
		struct buf b;
		int i;

		/* Binds that wait for work that never ends, then exit. */
		if (stuck_queue(self->node, &dev, &vm, &q, &cb) ||
		    submit_sync(q, dev, cb, &gate.syncobj) ||
		    ogpu_bo_create(dev, 1 * MiB, OGPU_MEM_DEVICE, &b.bo))
			_exit(1);
		for (i = 0; i < 16; i++) {
			op = (struct ogpu_bind_op){
				.bo = b.bo, .size = 1 * MiB,
				.va = ogpu_vm_alloc_va(vm, 1 * MiB),
				.access = OGPU_ACCESS_RW,
			};
			if (ogpu_vm_bind_ops(vm, &op, 1, &gate, 1, NULL, 0,
					     OGPU_BIND_ASYNC))
				_exit(2);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, ogpu_fill(self->q, self->data.va, 4096, 3));
}

struct binder {
	FIXTURE_DATA(queue) *self;
	int index;
	int ret;
};

/*
 * 50 rounds on one VA, without the CPU waiting: map the thread's buffer
 * (asynchronously), copy a page of it into the fixture's buffer once the
 * map is written, unmap it once the copy is done. Timeline points chain
 * the three.
 */
static void *binder_main(void *arg)
{
	struct binder *w = arg;
	FIXTURE_DATA(queue) *self = w->self;
	uint64_t dst = self->data.va + 64 * 1024 * (w->index + 1);
	struct ogpu_cmdbuf *cbs[16];
	struct ogpu_sync tl = { 0, 0 }, in, out;
	struct ogpu_bind_op op;
	struct ogpu_queue *q;
	struct buf b;
	int i;

	w->ret = pattern_bo(self, 100 + w->index, &b);
	if (!w->ret)
		w->ret = ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
					   OGPU_PRIORITY_NORMAL, 0, &q);
	if (!w->ret)
		w->ret = ogpu_syncobj_create(self->dev, &tl.syncobj);
	for (i = 0; i < 16 && !w->ret; i++) {
		w->ret = ogpu_cmdbuf_create(self->vm, 4096, &cbs[i]);
		if (!w->ret)
			w->ret = ogpu_cmd_copy(cbs[i], dst + 4096 * i,
					       b.va + 4096 * i, 4096);
	}
	for (i = 0; i < 50 && !w->ret; i++) {
		in = (struct ogpu_sync){ tl.syncobj, 3 * i };
		out = (struct ogpu_sync){ tl.syncobj, 3 * i + 1 };
		op = bind_map(&b);
		w->ret = ogpu_vm_bind_ops(self->vm, &op, 1, &in, i ? 1 : 0,
					  &out, 1, OGPU_BIND_ASYNC);
		in.point = out.point++;
		if (!w->ret)
			w->ret = ogpu_submit(q, &cbs[i % 16], 1, &in, 1,
					     &out, 1);
		in.point = out.point++;
		op = bind_unmap(&b);
		if (!w->ret)
			w->ret = ogpu_vm_bind_ops(self->vm, &op, 1, &in, 1,
						  &out, 1, OGPU_BIND_ASYNC);
	}
	tl.point = 150;
	if (!w->ret)
		w->ret = ogpu_syncobj_wait(self->dev, &tl, 1,
					   ogpu_time_ns() + 60000000000ll);
	/* Every page was copied from the mapping, none faulted. */
	if (!w->ret && memcmp(self->data.map + (dst - self->data.va), b.map,
			      64 * 1024))
		w->ret = -EIO;
	return NULL;
}

TEST_F_TIMEOUT(queue, binds_and_copies_chained_from_threads, 180)
{
	struct ogpu_queue_error err;
	struct binder w[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		w[i] = (struct binder){ self, i, 0 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, binder_main, &w[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].ret) {
			TH_LOG("thread %d: %s", i, ogpu_strerror(w[i].ret));
		}
	}
	ASSERT_EQ(0, ogpu_queue_get_error(self->q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_OK, err.error);
}

TEST_F_TIMEOUT(queue, device_removed_with_binds_queued, 120)
{
	struct ogpu_sync gate = { 0, 0 }, bound = { 0, 0 };
	struct pollfd pfd = { .events = POLLIN };
	struct ogpu_bind_op op;
	struct buf b;

	ASSERT_EQ(0, pattern_bo(self, 13, &b));
	ASSERT_EQ(0, gate_new(self, &gate.syncobj));
	ASSERT_EQ(0, ogpu_syncobj_create(self->dev, &bound.syncobj));
	op = bind_map(&b);
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm, &op, 1, &gate, 1, &bound, 1,
				      OGPU_BIND_ASYNC));
	ASSERT_EQ(0, drmSyncobjExportSyncFile(ogpu_device_fd(self->dev),
					      bound.syncobj, &pfd.fd));
	EXPECT_EQ(0, sync_file_status(pfd.fd));
	ASSERT_EQ(0, ogpu_sim_del(Q_ID));
	/* The gate fails with the device; the bind then completes. */
	EXPECT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_NE(0, sync_file_status(pfd.fd));
	close(pfd.fd);
	op.va += b.size;
	EXPECT_EQ(-ENODEV, ogpu_vm_bind_ops(self->vm, &op, 1, NULL, 0, NULL, 0,
					    0));
}

/* Raw ioctls for the rejected inputs. */
static int raw_submit(int fd, __u32 queue_id, __u32 flags,
		      struct drm_ogpu_cmdbuf *cbs, __u32 ncb,
		      struct drm_ogpu_sync *ins, __u32 nin,
		      struct drm_ogpu_sync *outs, __u32 nout)
{
	struct drm_ogpu_submit args = {
		.queue_id = queue_id,
		.flags = flags,
		.cmdbufs = { sizeof(*cbs), ncb, (__u64)(uintptr_t)cbs },
		.in_syncs = { sizeof(*ins), nin, (__u64)(uintptr_t)ins },
		.out_syncs = { sizeof(*outs), nout, (__u64)(uintptr_t)outs },
	};

	return ioctl(fd, DRM_IOCTL_OGPU_SUBMIT, &args) ? -errno : 0;
}

FIXTURE(reject) {
	int fd;
	__u32 vm_id;
	__u32 queue_id;
	struct drm_ogpu_cmdbuf cb;
	struct drm_ogpu_sync syncs[65];
	__u32 bo;
	char node[64];
};

FIXTURE_SETUP(reject)
{
	struct drm_ogpu_vm_create vm = {};
	struct drm_ogpu_queue_create q = {};
	int i;

	ogpu_sim_del(Q_ID);
	ASSERT_EQ(0, ogpu_sim_new("240 16"));
	ASSERT_EQ(0, ogpu_wait_node(Q_ID, self->node, sizeof(self->node)));
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_OGPU_VM_CREATE, &vm));
	self->vm_id = vm.vm_id;
	q.vm_id = vm.vm_id;
	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_OGPU_QUEUE_CREATE, &q));
	self->queue_id = q.queue_id;
	self->cb = (struct drm_ogpu_cmdbuf){ .va = 0x100000, .size_dw = 1 };
	for (i = 0; i < 65; i++)
		ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0,
					      &self->syncs[i].handle));
	ASSERT_EQ(0, _test_bo_create(self->fd, 4096, DRM_OGPU_BO_VRAM,
				     &self->bo, NULL));
}

FIXTURE_TEARDOWN(reject)
{
	close(self->fd);
	ogpu_sim_del(Q_ID);
}

#define SUBMIT(self, ...) raw_submit((self)->fd, __VA_ARGS__)

TEST_F(reject, submit_unknown_queue)
{
	EXPECT_EQ(-ENOENT, SUBMIT(self, 0xbad, 0, &self->cb, 1, NULL, 0,
				  NULL, 0));
}

TEST_F(reject, submit_queue_of_another_fd)
{
	int fd2 = open(self->node, O_RDWR | O_CLOEXEC);

	ASSERT_GE(fd2, 0);
	EXPECT_EQ(-ENOENT, raw_submit(fd2, self->queue_id, 0, &self->cb, 1,
				      NULL, 0, NULL, 0));
	close(fd2);
}

TEST_F(reject, submit_nonzero_flags)
{
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 1, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, submit_no_cmdbuf)
{
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 0, NULL,
				  0, NULL, 0));
}

TEST_F(reject, submit_too_many_cmdbufs)
{
	struct drm_ogpu_cmdbuf cbs[65];
	int i;

	for (i = 0; i < 65; i++)
		cbs[i] = self->cb;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, cbs, 65, NULL, 0,
				  NULL, 0));
}

TEST_F(reject, cmdbuf_unaligned)
{
	self->cb.va += 2;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, cmdbuf_zero_size)
{
	self->cb.size_dw = 0;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, cmdbuf_too_large)
{
	self->cb.size_dw = (1 << 20) + 1;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, cmdbuf_in_kernel_range)
{
	self->cb.va = 1ull << 47;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, cmdbuf_nonzero_pad)
{
	self->cb.pad = 1;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, NULL, 0));
}

TEST_F(reject, in_sync_bad_handle)
{
	self->syncs[0].handle = 0xbad;
	EXPECT_EQ(-ENOENT, SUBMIT(self, self->queue_id, 0, &self->cb, 1,
				  self->syncs, 1, NULL, 0));
}

TEST_F(reject, out_sync_bad_handle)
{
	self->syncs[0].handle = 0xbad;
	EXPECT_EQ(-ENOENT, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, self->syncs, 1));
}

TEST_F(reject, too_many_in_syncs)
{
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1,
				  self->syncs, 65, NULL, 0));
}

TEST_F(reject, too_many_out_syncs)
{
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, self->syncs, 65));
}

TEST_F(reject, sync_unknown_flag)
{
	self->syncs[0].flags = 0x10;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1, NULL,
				  0, self->syncs, 1));
}

TEST_F(reject, binary_sync_with_point)
{
	self->syncs[0].point = 3;
	EXPECT_EQ(-EINVAL, SUBMIT(self, self->queue_id, 0, &self->cb, 1,
				  self->syncs, 1, NULL, 0));
}

TEST_F(reject, bad_cmdbuf_array_pointer)
{
	EXPECT_EQ(-EFAULT, SUBMIT(self, self->queue_id, 0,
				  (void *)(uintptr_t)0x10, 1, NULL, 0, NULL, 0));
}

static int queue_create(int fd, struct drm_ogpu_queue_create *q)
{
	return ioctl(fd, DRM_IOCTL_OGPU_QUEUE_CREATE, q) ? -errno : 0;
}

/* One map of the fixture's buffer at 0x200000. */
static struct drm_ogpu_vm_bind_op reject_map(FIXTURE_DATA(reject) *self)
{
	return (struct drm_ogpu_vm_bind_op){
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.flags = DRM_OGPU_VM_BIND_READ,
		.handle = self->bo,
		.va = 0x200000,
		.range = 4096,
	};
}

/* VM_BIND of reject_map() with syncs. */
static int raw_bind(FIXTURE_DATA(reject) *self, __u32 flags,
		    struct drm_ogpu_sync *ins, __u32 nin,
		    struct drm_ogpu_sync *outs, __u32 nout)
{
	struct drm_ogpu_vm_bind_op op = reject_map(self);
	struct drm_ogpu_vm_bind args = {
		.vm_id = self->vm_id,
		.flags = flags,
		.ops = { sizeof(op), 1, (__u64)(uintptr_t)&op },
		.in_syncs = { sizeof(*ins), nin, (__u64)(uintptr_t)ins },
		.out_syncs = { sizeof(*outs), nout, (__u64)(uintptr_t)outs },
	};

	return ioctl(self->fd, DRM_IOCTL_OGPU_VM_BIND, &args) ? -errno : 0;
}

/* A rejected bind changed nothing: the same map, without syncs, works. */
#define EXPECT_BIND_REJECTED(err, self, ...) ({				\
	EXPECT_EQ(-(err), raw_bind(self, __VA_ARGS__));			\
	EXPECT_EQ(0, raw_bind(self, 0, NULL, 0, NULL, 0));		\
})

TEST_F(reject, bind_unknown_flag)
{
	EXPECT_BIND_REJECTED(EINVAL, self, 2, NULL, 0, NULL, 0);
}

TEST_F(reject, bind_in_sync_bad_handle)
{
	struct drm_ogpu_sync s = { .handle = 0xbad };

	EXPECT_BIND_REJECTED(ENOENT, self, DRM_OGPU_VM_BIND_ASYNC, &s, 1,
			     NULL, 0);
}

TEST_F(reject, bind_in_sync_nothing_submitted)
{
	EXPECT_BIND_REJECTED(EINVAL, self, DRM_OGPU_VM_BIND_ASYNC,
			     &self->syncs[0], 1, NULL, 0);
}

TEST_F(reject, bind_out_sync_bad_handle)
{
	struct drm_ogpu_sync s = { .handle = 0xbad };

	EXPECT_BIND_REJECTED(ENOENT, self, 0, NULL, 0, &s, 1);
}

TEST_F(reject, bind_too_many_in_syncs)
{
	drmSyncobjSignal(self->fd, &self->syncs[0].handle, 1);
	for (int i = 1; i < 65; i++)
		self->syncs[i].handle = self->syncs[0].handle;
	EXPECT_BIND_REJECTED(EINVAL, self, 0, self->syncs, 65, NULL, 0);
}

TEST_F(reject, bind_too_many_out_syncs)
{
	EXPECT_BIND_REJECTED(EINVAL, self, 0, NULL, 0, self->syncs, 65);
}

TEST_F(reject, bind_sync_unknown_flag)
{
	self->syncs[0].flags = 2;
	EXPECT_BIND_REJECTED(EINVAL, self, 0, NULL, 0, self->syncs, 1);
}

TEST_F(reject, bind_binary_sync_with_point)
{
	self->syncs[0].point = 1;
	EXPECT_BIND_REJECTED(EINVAL, self, 0, NULL, 0, self->syncs, 1);
}

TEST_F(reject, bind_sync_array_short_stride)
{
	struct drm_ogpu_vm_bind_op op = reject_map(self);
	struct drm_ogpu_vm_bind args = {
		.vm_id = self->vm_id,
		.ops = { sizeof(op), 1, (__u64)(uintptr_t)&op },
		.out_syncs = { 8, 1, (__u64)(uintptr_t)self->syncs },
	};

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_OGPU_VM_BIND, &args));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, raw_bind(self, 0, NULL, 0, NULL, 0));
}

TEST_F(reject, bind_old_struct_size_still_works)
{
	/* What userspace built before the sync arrays existed. */
	struct {
		__u32 vm_id, flags;
		struct drm_ogpu_obj_array ops;
	} old;
	struct drm_ogpu_vm_bind_op op = reject_map(self);
	unsigned long nr = DRM_IOCTL_NR(DRM_IOCTL_OGPU_VM_BIND);

	old = (typeof(old)){ self->vm_id, 0,
			     { sizeof(op), 1, (__u64)(uintptr_t)&op } };
	EXPECT_EQ(0, ioctl(self->fd, _IOC(_IOC_WRITE, DRM_IOCTL_BASE, nr,
					  sizeof(old)), &old));
	/* It was bound, synchronously: the same map now overlaps. */
	EXPECT_EQ(-EEXIST, raw_bind(self, 0, NULL, 0, NULL, 0));
}

TEST_F(reject, queue_create_unknown_vm)
{
	struct drm_ogpu_queue_create q = { .vm_id = 0xbad };

	EXPECT_EQ(-ENOENT, queue_create(self->fd, &q));
}

TEST_F(reject, queue_create_bad_class)
{
	struct drm_ogpu_queue_create q = { .vm_id = self->vm_id,
					   .engine_class = 9 };

	EXPECT_EQ(-EINVAL, queue_create(self->fd, &q));
}

TEST_F(reject, queue_create_bad_priority)
{
	struct drm_ogpu_queue_create q = { .vm_id = self->vm_id,
					   .priority = 3 };

	EXPECT_EQ(-EINVAL, queue_create(self->fd, &q));
}

TEST_F(reject, queue_create_timeout_too_long)
{
	struct drm_ogpu_queue_create q = { .vm_id = self->vm_id,
					   .timeout_ms = 60001 };

	EXPECT_EQ(-EINVAL, queue_create(self->fd, &q));
}

TEST_F(reject, queue_create_nonzero_flags)
{
	struct drm_ogpu_queue_create q = { .vm_id = self->vm_id, .flags = 1 };

	EXPECT_EQ(-EINVAL, queue_create(self->fd, &q));
}

TEST_F(reject, queues_run_out_with_enospc)
{
	struct drm_ogpu_queue_create q = { .vm_id = self->vm_id };
	int n = 1, ret;

	while (!(ret = queue_create(self->fd, &q)))
		n++;
	EXPECT_EQ(-ENOSPC, ret);
	/* Eight hardware queues; the driver keeps one for its moves. */
	EXPECT_EQ(7, n);
}

TEST_F(reject, queue_destroy_unknown)
{
	struct drm_ogpu_queue_destroy d = { .queue_id = 0xbad };

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_OGPU_QUEUE_DESTROY, &d));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(reject, queue_destroy_nonzero_pad)
{
	struct drm_ogpu_queue_destroy d = { .queue_id = self->queue_id,
					    .pad = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_OGPU_QUEUE_DESTROY, &d));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(reject, get_state_unknown_queue)
{
	struct drm_ogpu_queue_get_state s = { .queue_id = 0xbad };

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_OGPU_QUEUE_GET_STATE, &s));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(reject, get_state_nonzero_pad)
{
	struct drm_ogpu_queue_get_state s = { .queue_id = self->queue_id,
					      .pad = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_OGPU_QUEUE_GET_STATE, &s));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
