// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * GPU virtual address spaces: binds read back through the device model's
 * debug port (which walks the device's page tables like the GPU does),
 * splits, permissions, eviction round trips, and every rejected input of
 * VM_CREATE, VM_DESTROY and VM_BIND as a subtest of its own.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define MiB		(1ull << 20)
#define VM_ID		230
#define VM_VRAM_MB	64
#define VA		0x100000ull

static int open_port(unsigned int hw_ctx)
{
	return ogpu_debug_port(VM_ID, hw_ctx);
}

static int _test_vm_bind(int fd, __u32 vm_id, __u32 flags,
			 struct drm_ogpu_vm_bind_op *ops, __u32 count,
			 __u32 stride)
{
	struct drm_ogpu_vm_bind args = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = {
			.stride = stride,
			.count = count,
			.array = (__u64)(uintptr_t)ops,
		},
	};

	if (ioctl(fd, DRM_IOCTL_OGPU_VM_BIND, &args))
		return -errno;
	return 0;
}

static struct drm_ogpu_vm_bind_op map_op(__u32 handle, __u64 bo_offset,
					 __u64 va, __u64 range)
{
	return (struct drm_ogpu_vm_bind_op){
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.flags = DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};
}

static struct drm_ogpu_vm_bind_op unmap_op(__u64 va, __u64 range)
{
	return (struct drm_ogpu_vm_bind_op){
		.op = DRM_OGPU_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};
}

#define test_bind_op(self, op) ({					\
	struct drm_ogpu_vm_bind_op __op = (op);				\
	ASSERT_EQ(0, _test_vm_bind((self)->fd, (self)->vm_id, 0, &__op, 1, \
				   sizeof(__op)));			\
})

#define test_err_bind_op(err, self, op) ({				\
	struct drm_ogpu_vm_bind_op __op = (op);				\
	EXPECT_EQ(-(err), _test_vm_bind((self)->fd, (self)->vm_id, 0,	\
					&__op, 1, sizeof(__op)));	\
})

static int bo_create(int fd, __u64 size, __u32 flags, __u32 *handle)
{
	return _test_bo_create(fd, size, flags, handle, NULL);
}

static int vm_create(int fd, struct drm_ogpu_vm_create *args)
{
	if (ioctl(fd, DRM_IOCTL_OGPU_VM_CREATE, args))
		return -errno;
	return 0;
}

static int vm_destroy(int fd, __u32 vm_id, __u32 pad)
{
	struct drm_ogpu_vm_destroy args = { .vm_id = vm_id, .pad = pad };

	if (ioctl(fd, DRM_IOCTL_OGPU_VM_DESTROY, &args))
		return -errno;
	return 0;
}

FIXTURE(vm) {
	int fd;
	int port;
	__u32 vm_id;
	__u32 hw_ctx;
	__u32 bo;	/* 64 KiB, filled with pattern 1 */
	void *map;
	char node[64];
};

FIXTURE_VARIANT(vm) {
	__u32 placement;
};

FIXTURE_VARIANT_ADD(vm, vram) {
	.placement = DRM_OGPU_BO_VRAM,
};

FIXTURE_VARIANT_ADD(vm, system) {
	.placement = DRM_OGPU_BO_SYSTEM,
};

FIXTURE_SETUP(vm)
{
	struct drm_ogpu_vm_create args = {};
	char spec[32];

	self->fd = -1;
	self->port = -1;
	ogpu_sim_del(VM_ID);
	snprintf(spec, sizeof(spec), "%u %u", VM_ID, VM_VRAM_MB);
	ASSERT_EQ(0, ogpu_sim_new(spec));
	ASSERT_EQ(0, ogpu_wait_node(VM_ID, self->node, sizeof(self->node)));
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, vm_create(self->fd, &args));
	EXPECT_NE(0, args.vm_id);
	EXPECT_GE(args.hw_ctx, 1);
	EXPECT_EQ(0x1000, args.va_start);
	EXPECT_EQ(1ull << 47, args.va_end);
	self->vm_id = args.vm_id;
	self->hw_ctx = args.hw_ctx;
	self->port = open_port(self->hw_ctx);
	ASSERT_GE(self->port, 0);
	ASSERT_EQ(0, bo_create(self->fd, 64 * 1024, variant->placement,
			       &self->bo));
	self->map = bo_mmap(self->fd, self->bo, 64 * 1024);
	ASSERT_NE(NULL, self->map);
	fill(self->map, 64 * 1024, 1);
}

FIXTURE_TEARDOWN(vm)
{
	if (self->map)
		munmap(self->map, 64 * 1024);
	if (self->port >= 0)
		close(self->port);
	if (self->fd >= 0)
		close(self->fd);
	ogpu_sim_del(VM_ID);
}

TEST_F(vm, bind_then_read_through_mmu)
{
	uint8_t buf[64 * 1024];

	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	ASSERT_EQ(0, port_rw(self->port, VA, buf, sizeof(buf), 0));
	EXPECT_EQ(SIZE_MAX, check(buf, sizeof(buf), 1));
}

TEST_F(vm, write_through_mmu_shows_in_mmap)
{
	uint64_t v = 0xfeedface12345678ull;

	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	ASSERT_EQ(0, port_rw(self->port, VA + 0x3008, &v, 8, 1));
	EXPECT_EQ(v, ((uint64_t *)self->map)[0x3008 / 8]);
}

TEST_F(vm, bind_at_bo_offset)
{
	uint8_t buf[8192];

	test_bind_op(self, map_op(self->bo, 16384, VA, 8192));
	ASSERT_EQ(0, port_rw(self->port, VA, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, (uint8_t *)self->map + 16384, sizeof(buf)));
}

TEST_F(vm, same_bo_twice)
{
	uint8_t a[4096], b[4096];

	test_bind_op(self, map_op(self->bo, 4096, VA, 4096));
	test_bind_op(self, map_op(self->bo, 4096, VA + 0x40000000, 4096));
	ASSERT_EQ(0, port_rw(self->port, VA, a, 4096, 0));
	ASSERT_EQ(0, port_rw(self->port, VA + 0x40000000, b, 4096, 0));
	EXPECT_EQ(0, memcmp(a, b, 4096));
}

TEST_F(vm, unbind_makes_range_fault)
{
	uint8_t buf[4096];

	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	test_bind_op(self, unmap_op(VA, 64 * 1024));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA, buf, sizeof(buf), 0));
	/* The range can be bound again. */
	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	EXPECT_EQ(0, port_rw(self->port, VA, buf, sizeof(buf), 0));
}

TEST_F(vm, partial_unbind_splits)
{
	uint8_t buf[4096];

	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	test_bind_op(self, unmap_op(VA + 16384, 8192));
	EXPECT_EQ(0, port_rw(self->port, VA, buf, 4096, 0));
	EXPECT_EQ(0, memcmp(buf, self->map, 4096));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA + 16384, buf, 4096, 0));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA + 20480, buf, 4096, 0));
	EXPECT_EQ(0, port_rw(self->port, VA + 24576, buf, 4096, 0));
	EXPECT_EQ(0, memcmp(buf, (uint8_t *)self->map + 24576, 4096));
	/* The pieces unmap on their own. */
	test_bind_op(self, unmap_op(VA, 64 * 1024));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA + 24576, buf, 4096, 0));
}

TEST_F(vm, unmap_and_map_in_one_bind)
{
	struct drm_ogpu_vm_bind_op ops[2];
	uint8_t buf[4096];

	test_bind_op(self, map_op(self->bo, 0, VA, 8192));
	ops[0] = map_op(self->bo, 8192, VA, 8192);
	ops[1] = unmap_op(VA, 8192);
	ASSERT_EQ(0, _test_vm_bind(self->fd, self->vm_id, 0, ops, 2,
				   sizeof(ops[0])));
	ASSERT_EQ(0, port_rw(self->port, VA, buf, 4096, 0));
	EXPECT_EQ(0, memcmp(buf, (uint8_t *)self->map + 8192, 4096));
}

TEST_F(vm, read_only_mapping_refuses_writes)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);
	uint32_t v = 1;

	op.flags = DRM_OGPU_VM_BIND_READ;
	test_bind_op(self, op);
	EXPECT_EQ(0, port_rw(self->port, VA, &v, 4, 0));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA, &v, 4, 1));
}

TEST_F(vm, vms_are_isolated)
{
	struct drm_ogpu_vm_create args = {};
	uint8_t buf[4096];
	int port2;

	test_bind_op(self, map_op(self->bo, 0, VA, 4096));
	ASSERT_EQ(0, vm_create(self->fd, &args));
	EXPECT_NE(self->hw_ctx, args.hw_ctx);
	port2 = open_port(args.hw_ctx);
	ASSERT_GE(port2, 0);
	EXPECT_EQ(-EFAULT, port_rw(port2, VA, buf, sizeof(buf), 0));
	close(port2);
}

TEST_F(vm, bo_freed_while_bound_stays_mapped)
{
	uint8_t buf[4096];

	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	munmap(self->map, 64 * 1024);
	self->map = NULL;
	ASSERT_EQ(0, drmCloseBufferHandle(self->fd, self->bo));
	ASSERT_EQ(0, port_rw(self->port, VA, buf, sizeof(buf), 0));
	EXPECT_EQ(SIZE_MAX, check(buf, sizeof(buf), 1));
	/* Destroying the VM drops the last reference. */
	EXPECT_EQ(0, vm_destroy(self->fd, self->vm_id, 0));
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA, buf, sizeof(buf), 0));
}

#define NR_CLOSED	17

/*
 * An UNMAP that drops the last reference to buffers whose handles are
 * closed, so that they are freed when the bind's drm_exec lets them go.
 * The debug kernel's ww-mutex slowpath injection makes the locking back
 * off on the first 16 buffers it locks after the VM, at a place set by
 * the transaction's stamp: with 17 buffers, every such bind retries after
 * a contention on one of them, which is the case that broke (a buffer
 * freed inside drm_exec_fini() while lockdep still counted its lock).
 */
TEST_F_TIMEOUT(vm, unmap_closed_buffers_after_contention, 60)
{
	struct drm_ogpu_vm_bind_op ops[NR_CLOSED], op;
	__u32 handles[NR_CLOSED];
	uint8_t buf[4096];
	int round, i;

	for (round = 0; round < 4; round++) {
		for (i = 0; i < NR_CLOSED; i++) {
			ASSERT_EQ(0, bo_create(self->fd, 4096,
					       variant->placement,
					       &handles[i]));
			ops[i] = map_op(handles[i], 0, VA + i * 4096, 4096);
		}
		ASSERT_EQ(0, _test_vm_bind(self->fd, self->vm_id, 0, ops,
					   NR_CLOSED, sizeof(ops[0])));
		/* The mappings hold the buffers now. */
		for (i = 0; i < NR_CLOSED; i++)
			ASSERT_EQ(0, drmCloseBufferHandle(self->fd,
							  handles[i]));
		ASSERT_EQ(0, port_rw(self->port, VA, buf, sizeof(buf), 0));

		op = unmap_op(VA, NR_CLOSED * 4096);
		ASSERT_EQ(0, _test_vm_bind(self->fd, self->vm_id, 0, &op, 1,
					   sizeof(op)));
		EXPECT_EQ(-EFAULT, port_rw(self->port, VA, buf, sizeof(buf),
					   0));
	}
}

TEST_F(vm, close_fd_with_everything_live)
{
	int i;

	for (i = 0; i < 4; i++)
		test_bind_op(self, map_op(self->bo, 0, VA + i * 0x200000,
					  64 * 1024));
	munmap(self->map, 64 * 1024);
	self->map = NULL;
	close(self->fd);
	self->fd = -1;
}

TEST_F(vm, remove_device_with_vm_live)
{
	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	close(self->port);
	self->port = -1;
	ASSERT_EQ(0, ogpu_sim_del(VM_ID));
	/* The file only gets -ENODEV; closing it frees the VM. */
	EXPECT_EQ(-ENODEV, vm_destroy(self->fd, self->vm_id, 0));
	close(self->fd);
	self->fd = -1;
}

struct evicter {
	int fd;
	__u32 vm_id;
	__u32 handles[16];
	int ret;
};

/*
 * Bind 16 buffers of 8 MiB (twice the VRAM) in turn, round after round,
 * so that every bind evicts another buffer, until an ioctl fails.
 */
static void *evicter_main(void *arg)
{
	struct evicter *e = arg;
	int i, round;

	for (round = 0; ; round++)
		for (i = 0; i < 16; i++) {
			struct drm_ogpu_vm_bind_op op;

			if (round) {
				op = unmap_op(VA + i * 8 * MiB, 8 * MiB);
				e->ret = _test_vm_bind(e->fd, e->vm_id, 0, &op,
						       1, sizeof(op));
				if (e->ret)
					return NULL;
			}
			op = map_op(e->handles[i], 0, VA + i * 8 * MiB,
				    8 * MiB);
			e->ret = _test_vm_bind(e->fd, e->vm_id, 0, &op, 1,
					       sizeof(op));
			if (e->ret)
				return NULL;
		}
}

TEST_F_TIMEOUT(vm, remove_device_while_evicting, 120)
{
	struct evicter e = { .fd = self->fd, .vm_id = self->vm_id };
	pthread_t t;
	int i;

	if (variant->placement != DRM_OGPU_BO_VRAM)
		return;	/* the vram variant tests */
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, bo_create(self->fd, 8 * MiB, DRM_OGPU_BO_VRAM,
				       &e.handles[i]));
	ASSERT_EQ(0, pthread_create(&t, NULL, evicter_main, &e));
	/* Let a few buffers go back and forth on the copy engine. */
	usleep(300000);
	close(self->port);
	self->port = -1;
	ASSERT_EQ(0, ogpu_sim_del(VM_ID));
	pthread_join(t, NULL);
	EXPECT_EQ(-ENODEV, e.ret);
}

TEST_F(vm, reject_overlapping_map)
{
	test_bind_op(self, map_op(self->bo, 0, VA, 8192));
	test_err_bind_op(EEXIST, self, map_op(self->bo, 0, VA + 4096, 8192));
}

TEST_F(vm, reject_overlap_within_one_bind)
{
	struct drm_ogpu_vm_bind_op ops[2] = {
		map_op(self->bo, 0, VA, 8192),
		map_op(self->bo, 0, VA + 4096, 4096),
	};
	uint8_t buf[4096];

	EXPECT_EQ(-EEXIST, _test_vm_bind(self->fd, self->vm_id, 0, ops, 2,
					 sizeof(ops[0])));
	/* All or nothing: the first op did not happen. */
	EXPECT_EQ(-EFAULT, port_rw(self->port, VA, buf, 4096, 0));
}

TEST_F(vm, reject_unaligned_va)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 0, VA + 512, 4096));
}

TEST_F(vm, reject_unaligned_range)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 0, VA, 4000));
}

TEST_F(vm, reject_unaligned_bo_offset)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 100, VA, 4096));
}

TEST_F(vm, reject_zero_range)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 0, VA, 0));
}

TEST_F(vm, reject_va_below_start)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 0, 0, 4096));
}

TEST_F(vm, reject_va_past_end)
{
	test_err_bind_op(EINVAL, self,
			 map_op(self->bo, 0, (1ull << 47) - 4096, 8192));
}

TEST_F(vm, reject_va_wrapping)
{
	test_err_bind_op(EINVAL, self,
			 map_op(self->bo, 0, 0xfffffffffffff000ull, 8192));
}

TEST_F(vm, reject_range_past_bo_end)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 32768, VA, 65536));
}

TEST_F(vm, reject_bo_offset_past_end)
{
	test_err_bind_op(EINVAL, self, map_op(self->bo, 1 << 20, VA, 4096));
}

TEST_F(vm, reject_bad_handle)
{
	test_err_bind_op(ENOENT, self, map_op(0xbad, 0, VA, 4096));
}

TEST_F(vm, reject_handle_of_another_fd)
{
	__u32 other;
	int fd2;

	fd2 = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, bo_create(fd2, 4096, variant->placement, &other));
	/* Make sure the handle number is not also valid here by chance. */
	while (other <= self->bo)
		ASSERT_EQ(0, bo_create(fd2, 4096, variant->placement, &other));
	test_err_bind_op(ENOENT, self, map_op(other, 0, VA, 4096));
	close(fd2);
}

TEST_F(vm, reject_bad_vm_id)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	EXPECT_EQ(-ENOENT, _test_vm_bind(self->fd, 0xbad, 0, &op, 1,
					 sizeof(op)));
}

TEST_F(vm, reject_vm_of_another_fd)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);
	int fd2;

	fd2 = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd2, 0);
	EXPECT_EQ(-ENOENT, _test_vm_bind(fd2, self->vm_id, 0, &op, 1,
					 sizeof(op)));
	close(fd2);
}

TEST_F(vm, reject_unknown_op)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	op.op = 7;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_map_without_access)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	op.flags = 0;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_map_unknown_flag)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	op.flags |= 0x80;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_unmap_with_handle)
{
	struct drm_ogpu_vm_bind_op op = unmap_op(VA, 4096);

	op.handle = self->bo;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_unmap_with_flags)
{
	struct drm_ogpu_vm_bind_op op = unmap_op(VA, 4096);

	op.flags = DRM_OGPU_VM_BIND_READ;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_op_nonzero_pad)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	op.pad = 1;
	test_err_bind_op(EINVAL, self, op);
}

TEST_F(vm, reject_bind_unknown_flags)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	EXPECT_EQ(-EINVAL, _test_vm_bind(self->fd, self->vm_id, 2, &op, 1,
					 sizeof(op)));
	/* Nothing was bound. */
	test_bind_op(self, op);
}

TEST_F(vm, reject_zero_ops)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	EXPECT_EQ(-EINVAL, _test_vm_bind(self->fd, self->vm_id, 0, &op, 0,
					 sizeof(op)));
}

TEST_F(vm, reject_too_many_ops)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	EXPECT_EQ(-EINVAL, _test_vm_bind(self->fd, self->vm_id, 0, &op, 257,
					 sizeof(op)));
}

TEST_F(vm, reject_short_stride)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);

	EXPECT_EQ(-EINVAL, _test_vm_bind(self->fd, self->vm_id, 0, &op, 1,
					 sizeof(op) - 8));
}

TEST_F(vm, reject_nonzero_unknown_tail)
{
	struct {
		struct drm_ogpu_vm_bind_op op;
		__u64 future;
	} big = { map_op(self->bo, 0, VA, 4096), 1 };

	EXPECT_EQ(-EINVAL, _test_vm_bind(self->fd, self->vm_id, 0, &big.op, 1,
					 sizeof(big)));
	/* A zero tail is what an older kernel accepts from newer userspace. */
	big.future = 0;
	EXPECT_EQ(0, _test_vm_bind(self->fd, self->vm_id, 0, &big.op, 1,
				   sizeof(big)));
}

TEST_F(vm, reject_bad_ops_pointer)
{
	EXPECT_EQ(-EFAULT, _test_vm_bind(self->fd, self->vm_id, 0,
					 (void *)(uintptr_t)0x10, 1,
					 sizeof(struct drm_ogpu_vm_bind_op)));
}

TEST_F(vm, reject_vm_create_flags)
{
	struct drm_ogpu_vm_create args = { .flags = 1 };

	EXPECT_EQ(-EINVAL, vm_create(self->fd, &args));
}

TEST_F(vm, reject_vm_create_pad)
{
	struct drm_ogpu_vm_create args = { .pad = 1 };

	EXPECT_EQ(-EINVAL, vm_create(self->fd, &args));
}

TEST_F(vm, reject_vm_destroy_unknown)
{
	EXPECT_EQ(-ENOENT, vm_destroy(self->fd, 0xbad, 0));
}

TEST_F(vm, reject_vm_destroy_pad)
{
	EXPECT_EQ(-EINVAL, vm_destroy(self->fd, self->vm_id, 1));
}

TEST_F(vm, vm_contexts_run_out_with_enospc)
{
	struct drm_ogpu_vm_create args = {};
	int n = 1, ret;

	/* Context 0 is the kernel's; the fixture holds one already. */
	while (!(ret = vm_create(self->fd, &args)))
		n++;
	EXPECT_EQ(-ENOSPC, ret);
	EXPECT_EQ(15, n);
	/* Destroying one makes room for one. */
	EXPECT_EQ(0, vm_destroy(self->fd, self->vm_id, 0));
	EXPECT_EQ(0, vm_create(self->fd, &args));
}

/* A field of the driver's debugfs hw_info for our device, or -1. */
static long long hw_info_field(const char *key, char *rest, size_t len)
{
	char path[300], line[256], want[32];
	long long v = -1;
	struct dirent *de;
	DIR *d;

	snprintf(want, sizeof(want), "dev=ogpu.%u ", VM_ID);
	d = opendir("/sys/kernel/debug/dri");
	while (d && v < 0 && (de = readdir(d))) {
		FILE *f;
		int ours = 0;

		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s/name",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		ours = fgets(line, sizeof(line), f) && strstr(line, want);
		fclose(f);
		if (!ours)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/dri/%s/hw_info", de->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			size_t n = strlen(key);

			if (strncmp(line, key, n) || line[n] != ':')
				continue;
			v = strtoll(line + n + 1, NULL, 0);
			if (rest)
				snprintf(rest, len, "%s", line + n + 2);
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return v;
}

/* Make the device access memory itself, as a running queue would. */
static int gpu_access(unsigned int ctx, uint64_t va, char rw)
{
	char path[128], cmd[64];

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/ogpu_sim/ogpu.%u/gpu_access", VM_ID);
	snprintf(cmd, sizeof(cmd), "%u %llx %c", ctx, (unsigned long long)va,
		 rw);
	return ogpu_sysfs_write(path, cmd);
}

static long long wait_faults(long long above)
{
	long long n = -1;
	int i;

	for (i = 0; i < 200; i++) {
		n = hw_info_field("mmu_faults", NULL, 0);
		if (n > above)
			break;
		usleep(5000);
	}
	return n;
}

TEST_F(vm, gpu_fault_reaches_the_driver)
{
	struct drm_ogpu_vm_bind_op op = map_op(self->bo, 0, VA, 4096);
	char last[128], want[128];
	long long before;

	before = hw_info_field("mmu_faults", NULL, 0);
	ASSERT_GE(before, 0);

	/* A write to nothing: not present (1), access write (2). */
	ASSERT_EQ(0, gpu_access(self->hw_ctx, 0x7000000, 'w'));
	ASSERT_EQ(before + 1, wait_faults(before));
	hw_info_field("last_fault", last, sizeof(last));
	snprintf(want, sizeof(want), "ctx %u va 0x7000000 access 0x2 reason 1\n",
		 self->hw_ctx);
	EXPECT_STREQ(want, last);

	/* A write to a read-only page: permission (2). */
	op.flags = DRM_OGPU_VM_BIND_READ;
	test_bind_op(self, op);
	ASSERT_EQ(0, gpu_access(self->hw_ctx, VA + 8, 'w'));
	ASSERT_EQ(before + 2, wait_faults(before + 1));
	hw_info_field("last_fault", last, sizeof(last));
	snprintf(want, sizeof(want), "ctx %u va 0x%llx access 0x2 reason 2\n",
		 self->hw_ctx, VA + 8);
	EXPECT_STREQ(want, last);

	/* A read there is fine and reports nothing. */
	ASSERT_EQ(0, gpu_access(self->hw_ctx, VA + 8, 'r'));
	usleep(50000);
	EXPECT_EQ(before + 2, hw_info_field("mmu_faults", NULL, 0));
}

TEST_F(vm, gpu_write_lands_in_the_buffer)
{
	test_bind_op(self, map_op(self->bo, 0, VA, 64 * 1024));
	ASSERT_NE(0, ((uint32_t *)self->map)[0x2000 / 4]);
	/* The device writes four zero bytes. */
	ASSERT_EQ(0, gpu_access(self->hw_ctx, VA + 0x2000, 'w'));
	EXPECT_EQ(0, ((uint32_t *)self->map)[0x2000 / 4]);
	EXPECT_NE(0, ((uint32_t *)self->map)[0x2004 / 4]);
}

/*
 * Eviction round trip: twice VRAM's worth of VRAM buffers, each bound.
 * Binding validates a buffer back into VRAM and evicts others to system
 * memory; after all that every byte reads back right, both through the
 * CPU mapping and through the GPU's page tables, which follow the moves.
 */
/*
 * Twice VRAM's worth of VRAM buffers, each bound in turn, twice: every
 * buffer is evicted to system memory and brought back, and every byte is
 * checked through the CPU and through the GPU's page tables.
 */
static void eviction_round_trip(struct __test_metadata *_metadata,
				FIXTURE_DATA(vm) *self)
{
	enum { N = 2 * VM_VRAM_MB / 8, SZ = 8 * MiB };
	static uint8_t buf[8 << 20];
	__u32 handles[N];
	void *maps[N];
	int i, round;

	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, bo_create(self->fd, SZ, DRM_OGPU_BO_VRAM,
				       &handles[i]));
		maps[i] = bo_mmap(self->fd, handles[i], SZ);
		ASSERT_NE(NULL, maps[i]);
		fill(maps[i], SZ, 1000 + i);
	}
	for (round = 0; round < 2; round++)
		for (i = 0; i < N; i++) {
			if (round)
				test_bind_op(self, unmap_op(VA + i * SZ, SZ));
			test_bind_op(self, map_op(handles[i], 0, VA + i * SZ,
						  SZ));
		}
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, port_rw(self->port, VA + i * SZ, buf, SZ, 0));
		EXPECT_EQ(SIZE_MAX, check(buf, SZ, 1000 + i)) {
			TH_LOG("buffer %d through the GPU", i);
		}
		EXPECT_EQ(SIZE_MAX, check(maps[i], SZ, 1000 + i)) {
			TH_LOG("buffer %d through the CPU", i);
		}
		munmap(maps[i], SZ);
	}
}

TEST_F_TIMEOUT(vm, eviction_round_trip_keeps_bytes_and_mappings, 90)
{
	long long engine = hw_info_field("bytes_copy_engine", NULL, 0);
	long long cpu = hw_info_field("bytes_cpu_copy", NULL, 0);

	if (variant->placement != DRM_OGPU_BO_VRAM)
		return;	/* system buffers never move; the vram variant tests */
	ASSERT_LE(0, engine);
	ASSERT_LE(0, cpu);
	eviction_round_trip(_metadata, self);
	/* The copy engine moved them, out and back, and the CPU did not. */
	EXPECT_LE(engine + 2ll * VM_VRAM_MB * MiB,
		  hw_info_field("bytes_copy_engine", NULL, 0));
	EXPECT_EQ(cpu, hw_info_field("bytes_cpu_copy", NULL, 0));
}

TEST_F_TIMEOUT(vm, copy_engine_failure_falls_back_to_the_cpu, 90)
{
	char path[96];
	long long engine, cpu;

	if (variant->placement != DRM_OGPU_BO_VRAM)
		return;	/* as above */
	/* The hardware queue the driver keeps for moves: the last one. */
	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/ogpu_sim/ogpu.%u/halt_queue", VM_ID);
	ASSERT_EQ(0, ogpu_sysfs_write(path, "7"));
	engine = hw_info_field("bytes_copy_engine", NULL, 0);
	cpu = hw_info_field("bytes_cpu_copy", NULL, 0);
	ASSERT_LE(0, engine);
	ASSERT_LE(0, cpu);
	eviction_round_trip(_metadata, self);
	EXPECT_EQ(engine, hw_info_field("bytes_copy_engine", NULL, 0));
	EXPECT_LE(cpu + 2ll * VM_VRAM_MB * MiB,
		  hw_info_field("bytes_cpu_copy", NULL, 0));
}

TEST_HARNESS_MAIN
