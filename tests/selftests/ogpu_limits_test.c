// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Resource limits: one process cannot pin VRAM in page tables (its VMs
 * get ENOSPC at their budget, another process still makes a VM, a buffer
 * and a queue), emptied page tables are freed, the device-wide VM and
 * queue limits are reported in DEV_QUERY and who holds them in fdinfo,
 * a long system-memory allocation dies with its process, and system
 * pages are charged to the creator's memory cgroup.
 */
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define KiB		1024ull
#define MiB		(1ull << 20)
#define GiB		(1ull << 30)
#define LIM_ID		231
#define LIM_VRAM_MB	64
#define PT_SIZE		4096ull
#define CGROUP		"/sys/fs/cgroup"

static int vm_create(int fd, __u32 *vm_id, __u32 *hw_ctx)
{
	struct drm_ogpu_vm_create args = {};

	if (ioctl(fd, DRM_IOCTL_OGPU_VM_CREATE, &args))
		return -errno;
	*vm_id = args.vm_id;
	if (hw_ctx)
		*hw_ctx = args.hw_ctx;
	return 0;
}

static int vm_destroy(int fd, __u32 vm_id)
{
	struct drm_ogpu_vm_destroy args = { .vm_id = vm_id };

	return ioctl(fd, DRM_IOCTL_OGPU_VM_DESTROY, &args) ? -errno : 0;
}

static int bind(int fd, __u32 vm_id, struct drm_ogpu_vm_bind_op *ops,
		__u32 count)
{
	struct drm_ogpu_vm_bind args = {
		.vm_id = vm_id,
		.ops = {
			.stride = sizeof(*ops),
			.count = count,
			.array = (__u64)(uintptr_t)ops,
		},
	};

	return ioctl(fd, DRM_IOCTL_OGPU_VM_BIND, &args) ? -errno : 0;
}

static struct drm_ogpu_vm_bind_op map_op(__u32 handle, __u64 va, __u64 range)
{
	return (struct drm_ogpu_vm_bind_op){
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.flags = DRM_OGPU_VM_BIND_READ | DRM_OGPU_VM_BIND_WRITE,
		.handle = handle,
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

static int map1(int fd, __u32 vm_id, __u32 handle, __u64 va)
{
	struct drm_ogpu_vm_bind_op op = map_op(handle, va, PT_SIZE);

	return bind(fd, vm_id, &op, 1);
}

static int unmap1(int fd, __u32 vm_id, __u64 va)
{
	struct drm_ogpu_vm_bind_op op = unmap_op(va, PT_SIZE);

	return bind(fd, vm_id, &op, 1);
}

static int queue_create(int fd, __u32 vm_id, __u32 *queue_id)
{
	struct drm_ogpu_queue_create args = {
		.vm_id = vm_id,
		.engine_class = DRM_OGPU_ENGINE_CLASS_COPY,
	};

	if (ioctl(fd, DRM_IOCTL_OGPU_QUEUE_CREATE, &args))
		return -errno;
	*queue_id = args.queue_id;
	return 0;
}

static int queue_destroy(int fd, __u32 queue_id)
{
	struct drm_ogpu_queue_destroy args = { .queue_id = queue_id };

	return ioctl(fd, DRM_IOCTL_OGPU_QUEUE_DESTROY, &args) ? -errno : 0;
}

static int device_info(int fd, struct drm_ogpu_device_info *info)
{
	__u32 size = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return _test_dev_query(fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, info, &size,
			       0, 0);
}

/* Bytes of system memory in use on the device, from MEM_REGIONS. */
static long long system_used(int fd, __u64 *size)
{
	struct drm_ogpu_mem_region r[4];
	__u32 len = sizeof(r);
	unsigned int i;

	memset(r, 0, sizeof(r));
	if (_test_dev_query(fd, DRM_OGPU_DEV_QUERY_MEM_REGIONS, r, &len, 0, 0))
		return -1;
	for (i = 0; i < len / sizeof(r[0]); i++) {
		if (r[i].type != DRM_OGPU_MEM_SYSTEM)
			continue;
		if (size)
			*size = r[i].size;
		return r[i].used;
	}
	return -1;
}

/* MemAvailable of /proc/meminfo, in bytes. */
static unsigned long long mem_available(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib * KiB;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Map one 4 KiB buffer at a new GiB of @vm_id until a bind fails; each
 * needs two new tables. Returns the error and how many binds worked.
 */
static int hog_vm(int fd, __u32 vm_id, __u32 handle, unsigned int *mapped)
{
	int ret;

	for (*mapped = 0; *mapped < 100000; (*mapped)++) {
		ret = map1(fd, vm_id, handle, (1 + *mapped) * GiB);
		if (ret)
			return ret;
	}
	return 0;
}

/* In a new process: a VM, a VRAM buffer bound in it, and a queue. */
static int other_process_works(const char *node)
{
	__u32 vm_id, handle, queue_id;
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid) {
		int fd = open(node, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(10);
		if (vm_create(fd, &vm_id, NULL))
			_exit(11);
		if (_test_bo_create(fd, MiB, DRM_OGPU_BO_VRAM, &handle, NULL))
			_exit(12);
		if (map1(fd, vm_id, handle, GiB))
			_exit(13);
		if (queue_create(fd, vm_id, &queue_id))
			_exit(14);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

FIXTURE(limits) {
	int fd;
	char node[64];
	struct drm_ogpu_device_info info;
	__u32 vm_id;
	__u32 hw_ctx;
	__u32 bo;
};

FIXTURE_SETUP(limits)
{
	char spec[32];

	self->fd = -1;
	ogpu_sim_del(LIM_ID);
	snprintf(spec, sizeof(spec), "%u %u", LIM_ID, LIM_VRAM_MB);
	ASSERT_EQ(0, ogpu_sim_new(spec));
	ASSERT_EQ(0, ogpu_wait_node(LIM_ID, self->node, sizeof(self->node)));
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, device_info(self->fd, &self->info));
	ASSERT_NE(0, self->info.vm_page_table_budget);
	ASSERT_EQ(0, vm_create(self->fd, &self->vm_id, &self->hw_ctx));
	ASSERT_EQ(0, _test_bo_create(self->fd, PT_SIZE, DRM_OGPU_BO_VRAM,
				     &self->bo, NULL));
}

FIXTURE_TEARDOWN(limits)
{
	if (self->fd >= 0)
		close(self->fd);
	ogpu_sim_del(LIM_ID);
}

TEST_F_TIMEOUT(limits, dev_query_reports_limits_and_use, 30)
{
	struct drm_ogpu_device_info info;
	__u32 vm2 = 0, q = 0;

	/* 64 MiB of VRAM: half of it over 15 VMs, in whole tables. */
	EXPECT_EQ(15, self->info.max_vms);
	EXPECT_EQ(7, self->info.max_queues);
	EXPECT_EQ(LIM_VRAM_MB * MiB / 2 / 15 / PT_SIZE * PT_SIZE,
		  self->info.vm_page_table_budget);
	ASSERT_EQ(0, device_info(self->fd, &info));
	EXPECT_EQ(1, info.vms_in_use);
	EXPECT_EQ(0, info.queues_in_use);

	ASSERT_EQ(0, vm_create(self->fd, &vm2, NULL));
	ASSERT_EQ(0, queue_create(self->fd, vm2, &q));
	ASSERT_EQ(0, device_info(self->fd, &info));
	EXPECT_EQ(2, info.vms_in_use);
	EXPECT_EQ(1, info.queues_in_use);
}

TEST_F_TIMEOUT(limits, fdinfo_counts_vms_queues_and_page_tables, 30)
{
	long long budget_kib = self->info.vm_page_table_budget / KiB;
	long long pt;
	__u32 vm2 = 0, q = 0;

	EXPECT_EQ(1, fdinfo_value(self->fd, "drm-ogpu-vms"));
	EXPECT_EQ(0, fdinfo_value(self->fd, "drm-ogpu-queues"));
	EXPECT_EQ(budget_kib,
		  fdinfo_value(self->fd, "drm-ogpu-page-table-budget"));
	/* A new VM holds its root only. */
	EXPECT_EQ(PT_SIZE / KiB, fdinfo_value(self->fd, "drm-ogpu-page-tables"));

	ASSERT_EQ(0, vm_create(self->fd, &vm2, NULL));
	ASSERT_EQ(0, queue_create(self->fd, vm2, &q));
	EXPECT_EQ(2, fdinfo_value(self->fd, "drm-ogpu-vms"));
	EXPECT_EQ(1, fdinfo_value(self->fd, "drm-ogpu-queues"));
	/* The ring's tables in the kernel range count too. */
	pt = fdinfo_value(self->fd, "drm-ogpu-page-tables");
	EXPECT_GT(pt, 2 * PT_SIZE / KiB);

	/* The first mapping adds a level-2, a level-1 and a level-0 table. */
	ASSERT_EQ(0, map1(self->fd, self->vm_id, self->bo, GiB));
	EXPECT_EQ(pt + 3 * PT_SIZE / KiB,
		  fdinfo_value(self->fd, "drm-ogpu-page-tables"));

	ASSERT_EQ(0, queue_destroy(self->fd, q));
	ASSERT_EQ(0, vm_destroy(self->fd, vm2));
	EXPECT_EQ(1, fdinfo_value(self->fd, "drm-ogpu-vms"));
	EXPECT_EQ(0, fdinfo_value(self->fd, "drm-ogpu-queues"));
	EXPECT_EQ(4 * PT_SIZE / KiB,
		  fdinfo_value(self->fd, "drm-ogpu-page-tables"));
}

TEST_F_TIMEOUT(limits, page_table_hog_gets_enospc_at_budget, 90)
{
	long long budget_kib = self->info.vm_page_table_budget / KiB;
	unsigned int mapped;

	EXPECT_EQ(-ENOSPC, hog_vm(self->fd, self->vm_id, self->bo, &mapped));
	/* Two tables per GiB, after the root and a level-2 table. */
	EXPECT_EQ((self->info.vm_page_table_budget / PT_SIZE - 2) / 2, mapped);
	EXPECT_GE(fdinfo_value(self->fd, "drm-ogpu-page-tables"),
		  budget_kib - PT_SIZE / KiB);
	EXPECT_LE(fdinfo_value(self->fd, "drm-ogpu-page-tables"), budget_kib);
}

/*
 * On a small device of its own (16 MiB of VRAM: fewer binds to fill a
 * budget), every VM but one at its budget still leaves another process
 * room for a VM, a VRAM buffer bound in it and a queue.
 */
TEST_F_TIMEOUT(limits, other_process_works_while_every_vm_hogs, 180)
{
	struct drm_ogpu_device_info info;
	unsigned int i, mapped, hogs;
	__u32 vm_id = 0, bo = 0;
	char spec[32], node[64];
	int fd;

	ogpu_sim_del(LIM_ID + 1);
	snprintf(spec, sizeof(spec), "%u 16", LIM_ID + 1);
	ASSERT_EQ(0, ogpu_sim_new(spec));
	ASSERT_EQ(0, ogpu_wait_node(LIM_ID + 1, node, sizeof(node)));
	fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, device_info(fd, &info));
	ASSERT_EQ(0, _test_bo_create(fd, PT_SIZE, DRM_OGPU_BO_VRAM, &bo, NULL));

	/* Every VM but one, each at its budget: half of VRAM at most. */
	hogs = info.max_vms - 1;
	for (i = 0; i < hogs; i++) {
		ASSERT_EQ(0, vm_create(fd, &vm_id, NULL));
		EXPECT_EQ(-ENOSPC, hog_vm(fd, vm_id, bo, &mapped));
	}
	EXPECT_EQ(hogs, fdinfo_value(fd, "drm-ogpu-vms"));
	EXPECT_EQ(hogs * info.vm_page_table_budget / KiB,
		  fdinfo_value(fd, "drm-ogpu-page-tables"));
	EXPECT_EQ(0, other_process_works(node));
	close(fd);
	ogpu_sim_del(LIM_ID + 1);
}

TEST_F_TIMEOUT(limits, hog_mappings_still_work_after_enospc, 90)
{
	uint64_t pattern = 0x0123456789abcdefull, got = 0;
	unsigned int mapped;
	void *map;
	int port;

	EXPECT_EQ(-ENOSPC, hog_vm(self->fd, self->vm_id, self->bo, &mapped));
	ASSERT_GT(mapped, 1);
	map = bo_mmap(self->fd, self->bo, PT_SIZE);
	ASSERT_NE(NULL, map);
	memcpy(map, &pattern, sizeof(pattern));

	port = ogpu_debug_port(LIM_ID, self->hw_ctx);
	ASSERT_GE(port, 0);
	ASSERT_EQ(0, port_rw(port, GiB, &got, sizeof(got), 0));
	EXPECT_EQ(pattern, got);
	got = 0;
	ASSERT_EQ(0, port_rw(port, mapped * GiB, &got, sizeof(got), 0));
	EXPECT_EQ(pattern, got);
	close(port);
	munmap(map, PT_SIZE);

	/* Binds that need no new table still work. */
	EXPECT_EQ(0, map1(self->fd, self->vm_id, self->bo, GiB + PT_SIZE));
}

TEST_F_TIMEOUT(limits, failed_bind_leaves_page_tables_as_they_were, 90)
{
	struct drm_ogpu_vm_bind_op ops[2];
	unsigned int mapped;
	long long pt;

	EXPECT_EQ(-ENOSPC, hog_vm(self->fd, self->vm_id, self->bo, &mapped));
	/* Unmapping the last GiB frees its two tables. */
	ASSERT_EQ(0, unmap1(self->fd, self->vm_id, mapped * GiB));
	pt = fdinfo_value(self->fd, "drm-ogpu-page-tables");

	/* Room for the first MAP's tables, not the second's. */
	ops[0] = map_op(self->bo, mapped * GiB, PT_SIZE);
	ops[1] = map_op(self->bo, (mapped + 5) * GiB, PT_SIZE);
	EXPECT_EQ(-ENOSPC, bind(self->fd, self->vm_id, ops, 2));
	EXPECT_EQ(pt, fdinfo_value(self->fd, "drm-ogpu-page-tables"));
	/* And the room is still there. */
	EXPECT_EQ(0, bind(self->fd, self->vm_id, ops, 1));
}

TEST_F_TIMEOUT(limits, unmap_frees_emptied_page_tables, 120)
{
	unsigned int i, budget = self->info.vm_page_table_budget / PT_SIZE;
	long long pt;

	ASSERT_EQ(0, map1(self->fd, self->vm_id, self->bo, GiB));
	pt = fdinfo_value(self->fd, "drm-ogpu-page-tables");

	/* More distinct GiBs (two tables each) than the budget holds. */
	for (i = 0; i < budget / 2 + 20; i++) {
		__u64 va = (2 + i) * GiB;

		ASSERT_EQ(0, map1(self->fd, self->vm_id, self->bo, va)) {
			TH_LOG("map %u failed", i);
		}
		ASSERT_EQ(0, unmap1(self->fd, self->vm_id, va));
	}
	EXPECT_EQ(pt, fdinfo_value(self->fd, "drm-ogpu-page-tables"));

	/* A table still in use stays. */
	ASSERT_EQ(0, map1(self->fd, self->vm_id, self->bo, GiB + PT_SIZE));
	ASSERT_EQ(0, unmap1(self->fd, self->vm_id, GiB));
	EXPECT_EQ(pt, fdinfo_value(self->fd, "drm-ogpu-page-tables"));
}

TEST_F_TIMEOUT(limits, one_process_can_take_every_vm, 30)
{
	unsigned int i;
	__u32 vm_id;

	for (i = 1; i < self->info.max_vms; i++)
		ASSERT_EQ(0, vm_create(self->fd, &vm_id, NULL));
	EXPECT_EQ(-ENOSPC, vm_create(self->fd, &vm_id, NULL));
	EXPECT_EQ(self->info.max_vms, fdinfo_value(self->fd, "drm-ogpu-vms"));
}

TEST_F_TIMEOUT(limits, one_process_can_take_every_queue, 30)
{
	struct drm_ogpu_device_info info;
	unsigned int i;
	__u32 q;

	for (i = 0; i < self->info.max_queues; i++)
		ASSERT_EQ(0, queue_create(self->fd, self->vm_id, &q));
	EXPECT_EQ(-ENOSPC, queue_create(self->fd, self->vm_id, &q));
	EXPECT_EQ(self->info.max_queues,
		  fdinfo_value(self->fd, "drm-ogpu-queues"));
	ASSERT_EQ(0, device_info(self->fd, &info));
	EXPECT_EQ(self->info.max_queues, info.queues_in_use);
}

/*
 * A process killed in the middle of a large system-memory BO_CREATE dies
 * at once, and what it allocated comes back.
 */
TEST_F_TIMEOUT(limits, large_system_bo_create_dies_with_its_process, 120)
{
	long long before, after;
	__u64 region, size;
	int pipefd[2], status;
	double t0, t;
	char c = 0;
	pid_t pid;

	before = system_used(self->fd, &region);
	ASSERT_GE(before, 0);
	/* Seconds of work under TCG, and no more than memory can give. */
	size = mem_available() / 2;
	if (size > region)
		size = region;
	size &= ~(PT_SIZE - 1);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		__u32 handle;
		int ret;

		close(pipefd[0]);
		if (write(pipefd[1], "S", 1) != 1)
			_exit(1);
		ret = _test_bo_create(self->fd, size, DRM_OGPU_BO_SYSTEM,
				      &handle, NULL);
		/* 'D' for done, else the errno. */
		c = ret ? -ret : 'D';
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	usleep(300000);
	t0 = now_s();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	t = now_s() - t0;
	EXPECT_TRUE(WIFSIGNALED(status));
	/* The ioctl never returned to userspace. */
	EXPECT_EQ(0, read(pipefd[0], &c, 1)) {
		TH_LOG("BO_CREATE of %llu MiB ended within 300 ms: %s",
		       (unsigned long long)size / MiB,
		       c == 'D' ? "done" : strerror(c));
	}
	close(pipefd[0]);
	EXPECT_LT(t, 2.0) {
		TH_LOG("the killed process took %.2f s to die", t);
	}
	/* Nothing of the interrupted allocation stays. */
	after = system_used(self->fd, NULL);
	EXPECT_EQ(before, after);
}

/* Mount cgroup2 if need be; 1 if the memory controller is there. */
static int have_memcg(void)
{
	char buf[256] = "";
	ssize_t n;
	int fd;

	if (access(CGROUP "/cgroup.controllers", R_OK))
		mount("cgroup2", CGROUP, "cgroup2", 0, NULL);
	fd = open(CGROUP "/cgroup.controllers", O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && strstr(buf, "memory") != NULL;
}

static long long read_ll(const char *path)
{
	char buf[64] = "";
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoll(buf) : -1;
}

static int join_cgroup(const char *dir)
{
	char path[128], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return ogpu_sysfs_write(path, pid);
}

TEST_F_TIMEOUT(limits, system_bo_is_charged_to_creator_memcg, 30)
{
	const char *grp = CGROUP "/ogpu-limits-test";
	long long before, with, after;
	__u64 size = 64 * MiB;
	__u32 handle;
	int fd;

	if (!have_memcg())
		SKIP(return, "the kernel has no memory cgroup controller");
	/* Give the children of the root the memory controller. */
	ogpu_sysfs_write(CGROUP "/cgroup.subtree_control", "+memory");
	rmdir(grp);
	ASSERT_EQ(0, mkdir(grp, 0755));
	ASSERT_EQ(0, join_cgroup(grp));

	/* A file of its own, so that closing it frees the buffer. */
	fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	before = read_ll(CGROUP "/ogpu-limits-test/memory.current");
	ASSERT_GE(before, 0);
	ASSERT_EQ(0, _test_bo_create(fd, size, DRM_OGPU_BO_SYSTEM, &handle,
				     NULL));
	with = read_ll(CGROUP "/ogpu-limits-test/memory.current");
	close(fd);
	after = read_ll(CGROUP "/ogpu-limits-test/memory.current");

	EXPECT_EQ(0, join_cgroup(CGROUP));
	EXPECT_EQ(0, rmdir(grp));

	EXPECT_GE(with - before, (long long)size) {
		TH_LOG("memory.current %lld -> %lld for a %llu MiB buffer",
		       before, with, (unsigned long long)size / MiB);
	}
	EXPECT_LT(with - before, (long long)(size + 16 * MiB));
	EXPECT_LT(after - before, (long long)(8 * MiB));
}

TEST_HARNESS_MAIN
