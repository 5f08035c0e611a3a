// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Isolation: what one context, thread or process does must not harm
 * another or the kernel. Threads of one process that destroy objects by
 * id while others use them; GPU work that tries to write what the kernel
 * trusts (the ring and the fence word); long packets that must not get
 * other queues banned; who may ask for high priority and long timeouts.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include "ogpu_packets.h"
#include "ogpu_test.h"

#include "kselftest_harness.h"

#define ISO_ID		241
#define CB_VA		0x100000ull
#define MAX_IDS		12

static int raw_queue_create(int fd, __u32 vm_id, __u32 prio, __u32 timeout_ms,
			    __u32 *id)
{
	struct drm_ogpu_queue_create args = {
		.vm_id = vm_id,
		.priority = prio,
		.timeout_ms = timeout_ms,
	};

	if (ioctl(fd, DRM_IOCTL_OGPU_QUEUE_CREATE, &args))
		return -errno;
	*id = args.queue_id;
	return 0;
}

static int raw_queue_destroy(int fd, __u32 id)
{
	struct drm_ogpu_queue_destroy args = { .queue_id = id };

	return ioctl(fd, DRM_IOCTL_OGPU_QUEUE_DESTROY, &args) ? -errno : 0;
}

static int raw_get_state(int fd, __u32 id, struct drm_ogpu_queue_get_state *st)
{
	memset(st, 0, sizeof(*st));
	st->queue_id = id;
	return ioctl(fd, DRM_IOCTL_OGPU_QUEUE_GET_STATE, st) ? -errno : 0;
}

static int raw_vm_create(int fd, __u32 *id)
{
	struct drm_ogpu_vm_create args = {};

	if (ioctl(fd, DRM_IOCTL_OGPU_VM_CREATE, &args))
		return -errno;
	*id = args.vm_id;
	return 0;
}

static int raw_vm_destroy(int fd, __u32 id)
{
	struct drm_ogpu_vm_destroy args = { .vm_id = id };

	return ioctl(fd, DRM_IOCTL_OGPU_VM_DESTROY, &args) ? -errno : 0;
}

static int raw_map(int fd, __u32 vm_id, __u32 handle, __u64 va, __u64 range,
		   __u32 flags)
{
	struct drm_ogpu_vm_bind_op op = {
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.flags = flags,
		.handle = handle,
		.va = va,
		.range = range,
	};
	struct drm_ogpu_vm_bind args = {
		.vm_id = vm_id,
		.ops = { sizeof(op), 1, (__u64)(uintptr_t)&op },
	};

	return ioctl(fd, DRM_IOCTL_OGPU_VM_BIND, &args) ? -errno : 0;
}

static int raw_submit1(int fd, __u32 queue_id, __u64 va, __u32 ndw,
		       __u32 out_syncobj)
{
	struct drm_ogpu_cmdbuf cb = { .va = va, .size_dw = ndw };
	struct drm_ogpu_sync out = { .handle = out_syncobj };
	struct drm_ogpu_submit args = {
		.queue_id = queue_id,
		.cmdbufs = { sizeof(cb), 1, (__u64)(uintptr_t)&cb },
		.out_syncs = { sizeof(out), out_syncobj ? 1 : 0,
			       (__u64)(uintptr_t)&out },
	};

	return ioctl(fd, DRM_IOCTL_OGPU_SUBMIT, &args) ? -errno : 0;
}

/*
 * Threads of one file: each races destroying objects by id against the
 * ioctls that use them. Every call must end in success or in one of the
 * errors the UAPI names for a missing or dead object.
 */
struct race {
	int fd;
	__u32 vm_id;
	__u32 bo;
	unsigned int seconds;
	atomic_int stop;
	atomic_uint calls;
	atomic_uint successes;
	atomic_int bad_errno;
};

static unsigned int race_rand(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static void race_note(struct race *r, int ret, int ok1, int ok2, int ok3)
{
	atomic_fetch_add(&r->calls, 1);
	if (!ret)
		atomic_fetch_add(&r->successes, 1);
	else if (ret != -ok1 && ret != -ok2 && ret != -ok3)
		atomic_store(&r->bad_errno, ret);
}

/* Make and destroy queues on the shared VM, by random id. */
static void *race_queues(void *arg)
{
	struct race *r = arg;
	unsigned int seed = 1;
	__u32 id;

	while (!atomic_load(&r->stop)) {
		race_note(r, raw_queue_create(r->fd, r->vm_id, 1, 0, &id),
			  ENOSPC, ENOSPC, ENOSPC);
		race_note(r, raw_queue_destroy(r->fd,
					       1 + race_rand(&seed) % MAX_IDS),
			  ENOENT, ENOENT, ENOENT);
	}
	return NULL;
}

/* Submit to, and ask the state of, queues by random id. */
static void *race_submit(void *arg)
{
	struct race *r = arg;
	struct drm_ogpu_queue_get_state st;
	unsigned int seed = (unsigned int)(uintptr_t)&st;
	__u32 syncobj;

	if (drmSyncobjCreate(r->fd, 0, &syncobj))
		atomic_store(&r->bad_errno, -errno);
	while (!atomic_load(&r->stop)) {
		__u32 id = 1 + race_rand(&seed) % MAX_IDS;

		race_note(r, raw_submit1(r->fd, id, CB_VA, 16,
					 race_rand(&seed) & 1 ? syncobj : 0),
			  ENOENT, ECANCELED, ECANCELED);
		race_note(r, raw_get_state(r->fd, id, &st), ENOENT, ENOENT,
			  ENOENT);
	}
	return NULL;
}

/* VMs of their own that go away under their queues and binds. */
static void *race_vms(void *arg)
{
	struct race *r = arg;
	unsigned int seed = 7;
	__u32 vm = 0, q = 0, victim;

	while (!atomic_load(&r->stop)) {
		int ret = raw_vm_create(r->fd, &vm);

		race_note(r, ret, ENOSPC, ENOSPC, ENOSPC);
		if (ret)
			continue;
		race_note(r, raw_map(r->fd, vm, r->bo, CB_VA, 4096,
				     DRM_OGPU_VM_BIND_READ |
				     DRM_OGPU_VM_BIND_EXEC),
			  ENOENT, ENOENT, ENOENT);
		ret = raw_queue_create(r->fd, vm, 1, 0, &q);
		race_note(r, ret, ENOSPC, ENOENT, ENOENT);
		/* This VM or the one made before it, not the shared one. */
		victim = vm - race_rand(&seed) % 2;
		if (victim != r->vm_id)
			race_note(r, raw_vm_destroy(r->fd, victim), ENOENT,
				  ENOENT, ENOENT);
		if (!ret)
			race_note(r, raw_submit1(r->fd, q, CB_VA, 16, 0),
				  ENOENT, ECANCELED, ECANCELED);
		race_note(r, raw_vm_destroy(r->fd, vm), ENOENT, ENOENT,
			  ENOENT);
	}
	return NULL;
}

FIXTURE(iso) {
	struct ogpu_device *dev;
	struct ogpu_vm *vm_hog;
	char node[64];
};

FIXTURE_SETUP(iso)
{
	ogpu_sim_del(ISO_ID);
	ASSERT_EQ(0, ogpu_sim_new("241 64"));
	ASSERT_EQ(0, ogpu_wait_node(ISO_ID, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm_hog));
}

FIXTURE_TEARDOWN(iso)
{
	ogpu_device_close(self->dev);
	/* A wedged driver would hang here, and the test time out. */
	ogpu_sim_del(ISO_ID);
}

/* The device still runs work, checked byte by byte. */
static int device_still_works(struct ogpu_device *dev)
{
	struct ogpu_queue *q;
	struct ogpu_vm *vm;
	struct buf b;
	int ret, i;

	ret = ogpu_vm_create(dev, &vm);
	if (ret)
		return ret;
	ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE, OGPU_PRIORITY_NORMAL,
				0, &q);
	if (!ret)
		ret = buf_new(vm, 65536, OGPU_MEM_DEVICE, &b);
	if (!ret)
		ret = ogpu_fill(q, b.va, 65536, 0x5a5a5a5a);
	for (i = 0; !ret && i < 65536 / 4; i++)
		if (((uint32_t *)b.map)[i] != 0x5a5a5a5a)
			ret = -EIO;
	return ret;
}

static void run_race(struct __test_metadata *_metadata, const char *node,
		     unsigned int seconds)
{
	void *(*fns[])(void *) = {
		race_queues, race_queues, race_submit, race_submit, race_vms,
	};
	pthread_t th[sizeof(fns) / sizeof(fns[0])];
	struct race r = { .seconds = seconds };
	uint32_t *cb;
	unsigned int i;

	r.fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(r.fd, 0);
	ASSERT_EQ(0, raw_vm_create(r.fd, &r.vm_id));
	ASSERT_EQ(0, _test_bo_create(r.fd, 4096, DRM_OGPU_BO_VRAM, &r.bo,
				     NULL));
	cb = bo_mmap(r.fd, r.bo, 4096);
	ASSERT_NE(NULL, cb);
	for (i = 0; i < 1024; i++)
		ogpu_pkt_nop(&cb[i]);
	munmap(cb, 4096);
	ASSERT_EQ(0, raw_map(r.fd, r.vm_id, r.bo, CB_VA, 4096,
			     DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_EXEC));

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, fns[i], &r));
	sleep(seconds);
	atomic_store(&r.stop, 1);
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		pthread_join(th[i], NULL);

	TH_LOG("%u calls, %u succeeded", atomic_load(&r.calls),
	       atomic_load(&r.successes));
	EXPECT_EQ(0, atomic_load(&r.bad_errno));
	EXPECT_LT(100, atomic_load(&r.successes));
	/* Closing the file tears down whatever the threads left. */
	close(r.fd);
}

TEST_F_TIMEOUT(iso, destroy_races_every_use_from_threads, 120)
{
	run_race(_metadata, self->node, 4);
	EXPECT_EQ(0, device_still_works(self->dev));
}

/* The same, with the process killed in the middle of it. */
TEST_F_TIMEOUT(iso, destroy_races_then_process_killed, 120)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		run_race(_metadata, self->node, 60);
		_exit(0);
	}
	sleep(2);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(0, device_still_works(self->dev));
}

/*
 * GPU work that tries to write what the kernel trusts. The first queue of
 * a fresh device runs in hardware slot 0: its ring is at the bottom of the
 * kernel range and its fence word right after the 64 KiB ring.
 */
#define KERNEL_VA	(1ull << 47)
#define RING_VA		KERNEL_VA
#define FENCE_VA	(KERNEL_VA + 0x10000)
#define NEVER		(1ull << 62)

enum forge { F_WRITE32, F_WRITE64, F_FILL, F_COPY, F_SEM_SIGNAL, F_TIMESTAMP,
	     F_FENCE, F_RING_WRITE, F_RING_READ };

/* A fresh device with one VM, one queue and a data buffer. */
struct kq {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct buf data;
	int port;
	char node[64];
};

static void kq_setup(struct __test_metadata *_metadata, struct kq *self)
{
	ogpu_sim_del(ISO_ID);
	ASSERT_EQ(0, ogpu_sim_new("241 64"));
	ASSERT_EQ(0, ogpu_wait_node(ISO_ID, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm));
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 300, &self->q));
	ASSERT_EQ(0, buf_new(self->vm, 65536, OGPU_MEM_DEVICE, &self->data));
	self->port = ogpu_debug_port(ISO_ID, ogpu_vm_hw_context(self->vm));
	ASSERT_GE(self->port, 0);
}

static void kq_teardown(struct kq *self)
{
	close(self->port);
	ogpu_device_close(self->dev);
	ogpu_sim_del(ISO_ID);
}

FIXTURE(forge) {
	struct kq k;
};

FIXTURE(kpages) {
	struct kq k;
};

FIXTURE_SETUP(kpages)
{
	kq_setup(_metadata, &self->k);
}

FIXTURE_TEARDOWN(kpages)
{
	kq_teardown(&self->k);
}

FIXTURE_VARIANT(forge) {
	enum forge how;
	uint64_t target;
	uint32_t error;		/* DRM_OGPU_QUEUE_* */
	uint32_t access;	/* of the fault */
};

FIXTURE_VARIANT_ADD(forge, write32) { F_WRITE32, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, write64) { F_WRITE64, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, fill) { F_FILL, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, copy) { F_COPY, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, sem_signal) { F_SEM_SIGNAL, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, timestamp) { F_TIMESTAMP, FENCE_VA, 2, 2 };
FIXTURE_VARIANT_ADD(forge, fence_packet) { F_FENCE, FENCE_VA, 3, 0 };
FIXTURE_VARIANT_ADD(forge, ring_write) { F_RING_WRITE, RING_VA + 8, 2, 2 };
FIXTURE_VARIANT_ADD(forge, ring_read) { F_RING_READ, RING_VA, 2, 1 };

FIXTURE_SETUP(forge)
{
	kq_setup(_metadata, &self->k);
}

FIXTURE_TEARDOWN(forge)
{
	kq_teardown(&self->k);
}

/* The packet that aims at @target, the way @how says. */
static int forge_cmd(struct ogpu_cmdbuf *cb, enum forge how, uint64_t target,
		     uint64_t data_va)
{
	uint32_t fence[OGPU_PKT_FENCE_NDW];

	switch (how) {
	case F_WRITE32:
		return ogpu_cmd_write32(cb, target, 1000);
	case F_WRITE64:
	case F_RING_WRITE:
		return ogpu_cmd_write64(cb, target, 1000);
	case F_FILL:
		return ogpu_cmd_fill(cb, target, 8, 1000);
	case F_COPY:
		return ogpu_cmd_copy(cb, target, data_va, 8);
	case F_SEM_SIGNAL:
		return ogpu_cmd_sem_signal(cb, target, 1000);
	case F_TIMESTAMP:
		return ogpu_cmd_timestamp(cb, target);
	case F_FENCE:
		return ogpu_cmd_raw(cb, fence,
				    ogpu_pkt_fence(fence, target, 1000));
	case F_RING_READ:
		return ogpu_cmd_copy(cb, data_va, target, 64);
	}
	return -EINVAL;
}

TEST_F_TIMEOUT(forge, user_work_cannot_reach_the_kernels_pages, 60)
{
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *ok, *bad;
	/* The first job's packets: INDIRECT and FENCE, 36 bytes. */
	uint64_t word, ring[4], ring_after[4];
	uint32_t s;

	/* A job that ends well writes sequence number 1 to the fence word. */
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->k.vm, 4096, &ok));
	ASSERT_EQ(0, ogpu_cmd_nop(ok));
	ASSERT_EQ(0, submit_sync(self->k.q, self->k.dev, ok, &s));
	ASSERT_EQ(0, wait_ms(self->k.dev, s, 10000));
	ASSERT_EQ(0, ogpu_syncobj_error(self->k.dev, s));
	ASSERT_EQ(0, port_rw(self->k.port, FENCE_VA, &word, 8, 0));
	ASSERT_EQ(1, word);
	ASSERT_EQ(0, port_rw(self->k.port, RING_VA, ring, sizeof(ring), 0));
	memset(self->k.data.map, 0x77, 64);

	/* Then a job that aims at the kernel's pages and would then block. */
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->k.vm, 4096, &bad));
	ASSERT_EQ(0, forge_cmd(bad, variant->how, variant->target,
			       self->k.data.va));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(bad, self->k.data.va + 4096, NEVER));
	ASSERT_EQ(0, submit_sync(self->k.q, self->k.dev, bad, &s));
	ASSERT_EQ(0, wait_ms(self->k.dev, s, 10000));
	/* It failed: the fence never said it was done. */
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->k.dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(self->k.q, &err));
	EXPECT_EQ(variant->error, err.error);
	if (variant->error == DRM_OGPU_QUEUE_FAULT) {
		EXPECT_EQ(variant->target, err.fault_addr);
		EXPECT_EQ(variant->access, err.fault_access);
		EXPECT_EQ(DRM_OGPU_FAULT_PERMISSION, err.fault_reason);
	}
	/* The fence word, the ring and the user's buffer are as they were. */
	ASSERT_EQ(0, port_rw(self->k.port, FENCE_VA, &word, 8, 0));
	EXPECT_EQ(1, word);
	ASSERT_EQ(0, port_rw(self->k.port, RING_VA, ring_after,
			     sizeof(ring_after), 0));
	EXPECT_EQ(0, memcmp(ring, ring_after, sizeof(ring)));
	EXPECT_EQ(0x77, self->k.data.map[0]);
}

/*
 * A queue that writes another queue's fence word, in the same VM, does not
 * complete that queue's hung job: the hung job still times out.
 */
TEST_F_TIMEOUT(kpages, forging_a_neighbours_fence_does_not_save_it, 60)
{
	struct ogpu_cmdbuf *hang, *forge;
	struct ogpu_queue *q2;
	uint32_t sh, sf;

	ASSERT_EQ(0, ogpu_queue_create(self->k.vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 0, &q2));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->k.vm, 4096, &hang));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(hang, self->k.data.va, NEVER));
	ASSERT_EQ(0, submit_sync(self->k.q, self->k.dev, hang, &sh));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->k.vm, 4096, &forge));
	ASSERT_EQ(0, ogpu_cmd_write64(forge, FENCE_VA, 1));
	ASSERT_EQ(0, submit_sync(q2, self->k.dev, forge, &sf));
	ASSERT_EQ(0, wait_ms(self->k.dev, sf, 10000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->k.dev, sf));
	ASSERT_EQ(0, wait_ms(self->k.dev, sh, 10000));
	EXPECT_EQ(-ETIMEDOUT, ogpu_syncobj_error(self->k.dev, sh));
}

/* Packets are fetched as instructions: a buffer without EXEC cannot run. */
TEST_F(kpages, command_buffer_without_exec_faults)
{
	struct ogpu_queue_error err;
	struct ogpu_bo *bo;
	uint32_t *words, syncobj;
	uint64_t va;
	int fd = ogpu_device_fd(self->k.dev);
	struct drm_ogpu_sync out = { 0 };

	ASSERT_EQ(0, ogpu_bo_create(self->k.dev, 4096, OGPU_MEM_DEVICE, &bo));
	ASSERT_EQ(0, ogpu_bo_map(bo, (void **)&words));
	ogpu_pkt_write_data32(words, self->k.data.va, 55);
	va = ogpu_vm_alloc_va(self->k.vm, 4096);
	ASSERT_EQ(0, ogpu_vm_bind(self->k.vm, bo, 0, va, 4096, OGPU_ACCESS_RW));
	ASSERT_EQ(0, drmSyncobjCreate(fd, 0, &syncobj));
	out.handle = syncobj;
	{
		struct drm_ogpu_cmdbuf cb = {
			.va = va, .size_dw = OGPU_PKT_WRITE_DATA32_NDW,
		};
		struct drm_ogpu_submit args = {
			.queue_id = 1,
			.cmdbufs = { sizeof(cb), 1, (__u64)(uintptr_t)&cb },
			.out_syncs = { sizeof(out), 1, (__u64)(uintptr_t)&out },
		};

		ASSERT_EQ(0, ioctl(fd, DRM_IOCTL_OGPU_SUBMIT, &args));
	}
	ASSERT_EQ(0, wait_ms(self->k.dev, syncobj, 10000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(self->k.dev, syncobj));
	ASSERT_EQ(0, ogpu_queue_get_error(self->k.q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_FAULT, err.error);
	EXPECT_EQ(va, err.fault_addr);
	EXPECT_EQ(DRM_OGPU_FAULT_ACCESS_READ | DRM_OGPU_FAULT_ACCESS_EXEC,
		  err.fault_access);
	EXPECT_EQ(DRM_OGPU_FAULT_PERMISSION, err.fault_reason);
	EXPECT_NE(55, *(uint32_t *)self->k.data.map);
}

/* Drop CAP_SYS_NICE from this process's effective set; 0 or -errno. */
static int drop_sys_nice(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective &= ~(1u << CAP_SYS_NICE);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

FIXTURE(permit) {
	int fd;
	__u32 vm_id;
	char node[64];
};

FIXTURE_SETUP(permit)
{
	ogpu_sim_del(ISO_ID);
	ASSERT_EQ(0, ogpu_sim_new("241 16"));
	ASSERT_EQ(0, ogpu_wait_node(ISO_ID, self->node, sizeof(self->node)));
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, raw_vm_create(self->fd, &self->vm_id));
}

FIXTURE_TEARDOWN(permit)
{
	close(self->fd);
	ogpu_sim_del(ISO_ID);
}

/* QUEUE_CREATE's result in a child without CAP_SYS_NICE. */
static int create_unprivileged(int fd, __u32 vm_id, __u32 prio,
			       __u32 timeout_ms)
{
	int status;
	pid_t pid = fork();
	__u32 id;

	if (!pid) {
		int ret = drop_sys_nice();

		if (!ret)
			ret = raw_queue_create(fd, vm_id, prio, timeout_ms, &id);
		_exit(-ret);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

TEST_F(permit, high_priority_needs_cap_sys_nice)
{
	EXPECT_EQ(-EACCES, create_unprivileged(self->fd, self->vm_id,
					       DRM_OGPU_QUEUE_PRIORITY_HIGH, 0));
}

TEST_F(permit, long_timeout_needs_cap_sys_nice)
{
	EXPECT_EQ(-EACCES, create_unprivileged(self->fd, self->vm_id,
					       DRM_OGPU_QUEUE_PRIORITY_NORMAL,
					       10001));
}

TEST_F(permit, normal_priority_and_timeout_need_nothing)
{
	EXPECT_EQ(0, create_unprivileged(self->fd, self->vm_id,
					 DRM_OGPU_QUEUE_PRIORITY_NORMAL, 10000));
	EXPECT_EQ(0, create_unprivileged(self->fd, self->vm_id,
					 DRM_OGPU_QUEUE_PRIORITY_LOW, 0));
}

TEST_F(permit, cap_sys_nice_may_ask_for_both)
{
	__u32 id;

	EXPECT_EQ(0, raw_queue_create(self->fd, self->vm_id,
				      DRM_OGPU_QUEUE_PRIORITY_HIGH, 60000,
				      &id));
}

/*
 * One process's long packets on HIGH queues must not get another
 * process's NORMAL queue banned: the command processor shares itself,
 * and the victim's timeout counts only the time its queue held the
 * engine. The victim's job alone takes t (at least 200 ms); its timeout
 * is 3 t; next to two HIGH queues it gets a fifth of the engine, so it
 * takes about 5 t of wall time, and without the accounting it would be
 * banned.
 */
#define HOG_BO		(2ull << 20)
#define HOG_ALIASES	32		/* 64 MiB of VA over one 2 MiB buffer */
#define VICTIM_SIZE	(4ull << 20)
#define VICTIM_JOBS	3

static struct ogpu_cmdbuf *fill_job(struct ogpu_vm *vm, uint64_t va,
				    uint64_t size, unsigned int n)
{
	struct ogpu_cmdbuf *cb;
	unsigned int i;

	if (ogpu_cmdbuf_create(vm, 4096, &cb))
		return NULL;
	for (i = 0; i < n; i++)
		if (ogpu_cmd_fill(cb, va, size, i))
			return NULL;
	return cb;
}

/* The victim, in a child process: exits 0 if every job ended well. */
static int victim(const char *node, int report)
{
	int64_t t0, t, worst = 0, alone, bytes;
	struct ogpu_cmdbuf *cb;
	struct ogpu_device *dev;
	struct ogpu_queue *q;
	struct ogpu_vm *vm;
	unsigned int n = 1, i, failed = 0;
	int ret = 0, errs[VICTIM_JOBS];
	struct buf b;
	uint32_t s;
	char line[128];

	if (ogpu_device_open_path(node, &dev) || ogpu_vm_create(dev, &vm) ||
	    buf_new(vm, VICTIM_SIZE, OGPU_MEM_DEVICE, &b) ||
	    ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE, OGPU_PRIORITY_NORMAL, 0,
			      &q))
		return 10;
	/* Alone first (the parent holds its hog): a job of at least 200 ms. */
	for (;;) {
		cb = fill_job(vm, b.va, VICTIM_SIZE, n);
		t0 = ogpu_time_ns();
		if (!cb || submit_sync(q, dev, cb, &s) || wait_ms(dev, s, 60000))
			return 11;
		alone = ogpu_time_ns() - t0;
		if (alone >= 200000000 || n >= 64)
			break;
		n *= 2;
	}
	ogpu_queue_destroy(q);
	if (ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE, OGPU_PRIORITY_NORMAL,
			      alone * 3 / 1000000 + 1, &q))
		return 12;
	/* Tell the parent to start its hogs, and wait for them to run. */
	bytes = (int64_t)n * VICTIM_SIZE;
	if (write(report, &bytes, sizeof(bytes)) != sizeof(bytes))
		return 13;
	usleep(200000);
	for (i = 0; i < VICTIM_JOBS; i++) {
		t0 = ogpu_time_ns();
		ret = submit_sync(q, dev, cb, &s);
		if (!ret)
			ret = wait_ms(dev, s, 60000);
		t = ogpu_time_ns() - t0;
		worst = t > worst ? t : worst;
		if (!ret)
			ret = ogpu_syncobj_error(dev, s);
		if (ret)
			failed++;
		errs[i] = ret;
	}
	snprintf(line, sizeof(line),
		 "victim: job %lld ms alone, worst %lld ms beside the hogs, %u of %u failed (%d %d %d)",
		 (long long)alone / 1000000, (long long)worst / 1000000,
		 failed, VICTIM_JOBS, errs[0], errs[1], errs[2]);
	if (write(report, line, strlen(line) + 1) < 0)
		return 15;
	return failed ? 1 : 0;
}

TEST_F_TIMEOUT(iso, long_packets_do_not_get_other_processes_banned, 240)
{
	struct ogpu_cmdbuf *hog_cb[2];
	struct ogpu_queue *hog[2];
	struct ogpu_bind_op ops[HOG_ALIASES];
	struct ogpu_bo *bo;
	uint32_t hs[2];
	int64_t victim_bytes;
	char line[128] = "";
	int pipefd[2], status, i;
	uint64_t va;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(pipefd[0]);
		_exit(victim(self->node, pipefd[1]));
	}
	close(pipefd[1]);

	/* One 2 MiB buffer seen 32 times: FILLs of 64 MiB of VA. */
	ASSERT_EQ(0, ogpu_bo_create(self->dev, HOG_BO, OGPU_MEM_DEVICE, &bo));
	va = ogpu_vm_alloc_va(self->vm_hog, HOG_BO * HOG_ALIASES);
	for (i = 0; i < HOG_ALIASES; i++)
		ops[i] = (struct ogpu_bind_op){
			.bo = bo, .va = va + i * HOG_BO,
			.size = HOG_BO, .access = OGPU_ACCESS_RW,
		};
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm_hog, ops, HOG_ALIASES, NULL, 0,
				      NULL, 0, 0));

	ASSERT_EQ(sizeof(victim_bytes),
		  read(pipefd[0], &victim_bytes, sizeof(victim_bytes)));
	for (i = 0; i < 2; i++) {
		/* Each hog alone fills as much as 12 of the victim's jobs. */
		unsigned int n = victim_bytes * 12 / (HOG_BO * HOG_ALIASES) + 1;

		ASSERT_EQ(0, ogpu_queue_create(self->vm_hog, OGPU_ENGINE_COMPUTE,
					       OGPU_PRIORITY_HIGH, 60000,
					       &hog[i]));
		hog_cb[i] = fill_job(self->vm_hog, va, HOG_BO * HOG_ALIASES,
				     n < 160 ? n : 160);
		ASSERT_NE(NULL, hog_cb[i]);
		ASSERT_EQ(0, submit_sync(hog[i], self->dev, hog_cb[i], &hs[i]));
	}

	ASSERT_GT(read(pipefd[0], line, sizeof(line) - 1), 0);
	TH_LOG("%s", line);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The hogs were still at it when the victim finished. */
	EXPECT_EQ(-ETIME, wait_ms(self->dev, hs[0], 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, wait_ms(self->dev, hs[i], 120000));
		EXPECT_EQ(0, ogpu_syncobj_error(self->dev, hs[i]));
	}
}

/*
 * Removing a device stops its queues: a backlog of long packets neither
 * keeps the device busy after the driver is gone nor hangs the removal.
 */
TEST_F_TIMEOUT(iso, device_removed_under_long_packets, 120)
{
	struct ogpu_bind_op ops[HOG_ALIASES];
	struct ogpu_cmdbuf *cb;
	struct ogpu_queue *q;
	struct ogpu_bo *bo;
	uint32_t s[8];
	int64_t t0;
	uint64_t va;
	int i;

	ASSERT_EQ(0, ogpu_bo_create(self->dev, HOG_BO, OGPU_MEM_DEVICE, &bo));
	va = ogpu_vm_alloc_va(self->vm_hog, HOG_BO * HOG_ALIASES);
	for (i = 0; i < HOG_ALIASES; i++)
		ops[i] = (struct ogpu_bind_op){
			.bo = bo, .va = va + i * HOG_BO,
			.size = HOG_BO, .access = OGPU_ACCESS_RW,
		};
	ASSERT_EQ(0, ogpu_vm_bind_ops(self->vm_hog, ops, HOG_ALIASES, NULL, 0,
				      NULL, 0, 0));
	ASSERT_EQ(0, ogpu_queue_create(self->vm_hog, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 10000, &q));
	/* 8 jobs of 8 GiB of FILL each: hours of work for the device model. */
	cb = fill_job(self->vm_hog, va, HOG_BO * HOG_ALIASES, 128);
	ASSERT_NE(NULL, cb);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, submit_sync(q, self->dev, cb, &s[i]));
	usleep(300000);

	/* Without the reset at unbind this hangs until the harness gives up. */
	t0 = ogpu_time_ns();
	ASSERT_EQ(0, ogpu_sim_del(ISO_ID));
	TH_LOG("removed in %lld ms", (long long)(ogpu_time_ns() - t0) / 1000000);
	EXPECT_EQ(-ENODEV, wait_ms(self->dev, s[0], 0));

	/* The id comes back, and the new device runs work. */
	ogpu_device_close(self->dev);
	ASSERT_EQ(0, ogpu_sim_new("241 64"));
	ASSERT_EQ(0, ogpu_wait_node(ISO_ID, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &self->dev));
	EXPECT_EQ(0, device_still_works(self->dev));
}

/* The accounting does not save a job that holds the engine too long. */
TEST_F_TIMEOUT(iso, a_long_packet_alone_still_times_out, 120)
{
	struct ogpu_queue_error err;
	struct ogpu_cmdbuf *cb;
	struct ogpu_queue *q;
	struct buf b;
	uint32_t s;

	ASSERT_EQ(0, buf_new(self->vm_hog, 8ull << 20, OGPU_MEM_DEVICE, &b));
	ASSERT_EQ(0, ogpu_queue_create(self->vm_hog, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 100, &q));
	/* 1 GiB of FILL: far more than 100 ms on any machine this runs on. */
	cb = fill_job(self->vm_hog, b.va, 8ull << 20, 128);
	ASSERT_NE(NULL, cb);
	ASSERT_EQ(0, submit_sync(q, self->dev, cb, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 60000));
	EXPECT_EQ(-ETIMEDOUT, ogpu_syncobj_error(self->dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(q, &err));
	EXPECT_EQ(DRM_OGPU_QUEUE_TIMEOUT, err.error);
}

TEST_HARNESS_MAIN
