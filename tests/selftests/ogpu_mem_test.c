// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Device memory: buffer objects in every placement and size class, CPU
 * mappings, VRAM exhaustion and overcommit, accounting through DEV_QUERY
 * and fdinfo, and buffers that outlive their handle, file or device.
 * Every rejected input is a subtest of its own.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define MiB (1ull << 20)

/* A device of its own, so that VRAM figures are this test's alone. */
#define MEM_ID		220
#define MEM_VRAM_MB	64

#define test_bo_create(fd, size, flags, handle) \
	ASSERT_EQ(0, _test_bo_create(fd, size, flags, handle, NULL))
#define test_err_bo_create(err, fd, size, flags) ({			\
	__u32 __h;							\
	EXPECT_EQ(-(err), _test_bo_create(fd, size, flags, &__h, NULL)); \
})

static int mem_regions(int fd, struct drm_ogpu_mem_region r[2])
{
	__u32 size = 2 * sizeof(r[0]);

	return _test_dev_query(fd, DRM_OGPU_DEV_QUERY_MEM_REGIONS, r, &size,
			       0, 0);
}

FIXTURE(mem) {
	int fd;
	char node[64];
};

/* Make the test's device and open it; the fd, or -errno. */
static int mem_dev_open(char *node, size_t len)
{
	char spec[32];
	int ret;

	ogpu_sim_del(MEM_ID);
	snprintf(spec, sizeof(spec), "%u %u", MEM_ID, MEM_VRAM_MB);
	ret = ogpu_sim_new(spec);
	if (!ret)
		ret = ogpu_wait_node(MEM_ID, node, len);
	if (ret)
		return ret;
	ret = open(node, O_RDWR | O_CLOEXEC);
	return ret < 0 ? -errno : ret;
}

static void mem_dev_close(int fd)
{
	if (fd >= 0)
		close(fd);
	ogpu_sim_del(MEM_ID);
}

FIXTURE_SETUP(mem)
{
	self->fd = mem_dev_open(self->node, sizeof(self->node));
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(mem)
{
	mem_dev_close(self->fd);
}

/* Every placement and size class, written and read back through mmap. */
FIXTURE_VARIANT(mem) {
	__u32 flags;
};

FIXTURE_VARIANT_ADD(mem, vram) {
	.flags = DRM_OGPU_BO_VRAM,
};

FIXTURE_VARIANT_ADD(mem, system) {
	.flags = DRM_OGPU_BO_SYSTEM,
};

FIXTURE_VARIANT_ADD(mem, vram_or_system) {
	.flags = DRM_OGPU_BO_VRAM | DRM_OGPU_BO_SYSTEM,
};

TEST_F_TIMEOUT(mem, size_classes_mmap_write_read, 60)
{
	static const __u64 sizes[] = {
		4096, 8192, 65536, 1 * MiB + 4096, 16 * MiB, 48 * MiB,
	};
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		__u32 handle = 0;
		__u64 got = 0;
		void *p;

		ASSERT_EQ(0, _test_bo_create(self->fd, sizes[i],
					     variant->flags, &handle, &got));
		EXPECT_EQ(sizes[i], got);
		p = bo_mmap(self->fd, handle, got);
		ASSERT_NE(NULL, p);
		/* New memory reads as zero. */
		EXPECT_EQ(0, ((uint64_t *)p)[0]);
		EXPECT_EQ(0, ((uint64_t *)p)[got / 8 - 1]);
		fill(p, got, i + 1);
		EXPECT_EQ(SIZE_MAX, check(p, got, i + 1));
		munmap(p, got);
		/* A second mapping sees the same bytes. */
		p = bo_mmap(self->fd, handle, got);
		ASSERT_NE(NULL, p);
		EXPECT_EQ(SIZE_MAX, check(p, got, i + 1));
		munmap(p, got);
		EXPECT_EQ(0, drmCloseBufferHandle(self->fd, handle));
	}
}

TEST_F(mem, size_rounds_up_to_page)
{
	__u32 handle = 0;
	__u64 got = 0;

	ASSERT_EQ(0, _test_bo_create(self->fd, 1, variant->flags, &handle,
				     &got));
	EXPECT_EQ(4096, got);
}

TEST_F(mem, reject_zero_size)
{
	test_err_bo_create(EINVAL, self->fd, 0, variant->flags);
}

TEST_F(mem, reject_unknown_flag)
{
	test_err_bo_create(EINVAL, self->fd, 4096, variant->flags | 0x100);
}

TEST_F(mem, reject_no_placement)
{
	test_err_bo_create(EINVAL, self->fd, 4096, 0);
}

TEST_F(mem, reject_huge_size)
{
	test_err_bo_create(EINVAL, self->fd, UINT64_MAX, variant->flags);
}

TEST_F(mem, reject_vram_only_larger_than_vram)
{
	test_err_bo_create(ENOSPC, self->fd, MEM_VRAM_MB * MiB + 4096,
			   DRM_OGPU_BO_VRAM);
	/* And the device is fine afterwards. */
	__u32 handle;

	test_bo_create(self->fd, 4096, variant->flags, &handle);
}

TEST_F(mem, reject_mmap_offset_bad_handle)
{
	__u64 off;

	EXPECT_EQ(-ENOENT, _test_bo_mmap_offset(self->fd, 0xdead, 0, &off));
}

TEST_F(mem, reject_mmap_offset_nonzero_pad)
{
	__u32 handle;
	__u64 off;

	test_bo_create(self->fd, 4096, variant->flags, &handle);
	EXPECT_EQ(-EINVAL, _test_bo_mmap_offset(self->fd, handle, 1, &off));
}

TEST_F(mem, reject_handle_of_another_fd)
{
	__u32 handle;
	__u64 off;
	int fd2;

	test_bo_create(self->fd, 4096, variant->flags, &handle);
	fd2 = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd2, 0);
	EXPECT_EQ(-ENOENT, _test_bo_mmap_offset(fd2, handle, 0, &off));
	close(fd2);
}

TEST_F(mem, reject_private_mapping)
{
	__u32 handle;
	__u64 off;

	test_bo_create(self->fd, 4096, variant->flags, &handle);
	ASSERT_EQ(0, _test_bo_mmap_offset(self->fd, handle, 0, &off));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, self->fd, off));
}

TEST_F(mem, mem_regions_account_allocations)
{
	struct drm_ogpu_mem_region before[2], after[2];
	int region = variant->flags == DRM_OGPU_BO_SYSTEM ? 1 : 0;
	__u32 handle;

	ASSERT_EQ(0, mem_regions(self->fd, before));
	EXPECT_EQ(DRM_OGPU_MEM_VRAM, before[0].type);
	EXPECT_EQ(MEM_VRAM_MB * MiB, before[0].size);
	EXPECT_EQ(MEM_VRAM_MB * MiB, before[0].cpu_visible_size);
	EXPECT_EQ(DRM_OGPU_MEM_SYSTEM, before[1].type);
	EXPECT_NE(0, before[1].size);
	test_bo_create(self->fd, 8 * MiB, variant->flags, &handle);
	ASSERT_EQ(0, mem_regions(self->fd, after));
	EXPECT_EQ(before[region].used + 8 * MiB, after[region].used);
	drmCloseBufferHandle(self->fd, handle);
	ASSERT_EQ(0, mem_regions(self->fd, after));
	EXPECT_EQ(before[region].used, after[region].used);
}

/* fdinfo as Documentation/gpu/drm-usage-stats.rst defines it, in KiB. */
#define fdinfo_kib fdinfo_value

TEST_F(mem, fdinfo_matches_allocations)
{
	__u32 h1, h2, h3;
	void *p;

	test_bo_create(self->fd, 4 * MiB, DRM_OGPU_BO_VRAM, &h1);
	test_bo_create(self->fd, 8 * MiB, DRM_OGPU_BO_SYSTEM, &h2);
	test_bo_create(self->fd, 1 * MiB, variant->flags, &h3);
	p = bo_mmap(self->fd, h2, 8 * MiB);
	ASSERT_NE(NULL, p);
	memset(p, 1, 8 * MiB);

	EXPECT_EQ(4096 + (variant->flags & DRM_OGPU_BO_VRAM ? 1024 : 0),
		  fdinfo_kib(self->fd, "drm-total-vram"));
	EXPECT_EQ(8192 + (variant->flags & DRM_OGPU_BO_VRAM ? 0 : 1024),
		  fdinfo_kib(self->fd, "drm-total-system"));
	EXPECT_EQ(4096 + (variant->flags & DRM_OGPU_BO_VRAM ? 1024 : 0),
		  fdinfo_kib(self->fd, "drm-resident-vram"));
	EXPECT_EQ(8192 + (variant->flags & DRM_OGPU_BO_VRAM ? 0 : 1024),
		  fdinfo_kib(self->fd, "drm-resident-system"));
	munmap(p, 8 * MiB);

	drmCloseBufferHandle(self->fd, h1);
	drmCloseBufferHandle(self->fd, h2);
	drmCloseBufferHandle(self->fd, h3);
	EXPECT_EQ(0, fdinfo_kib(self->fd, "drm-total-vram"));
	EXPECT_EQ(0, fdinfo_kib(self->fd, "drm-total-system"));
}

TEST_F(mem, mapping_outlives_handle)
{
	__u32 handle;
	void *p;

	test_bo_create(self->fd, 64 * 1024, variant->flags, &handle);
	p = bo_mmap(self->fd, handle, 64 * 1024);
	ASSERT_NE(NULL, p);
	fill(p, 64 * 1024, 7);
	ASSERT_EQ(0, drmCloseBufferHandle(self->fd, handle));
	EXPECT_EQ(SIZE_MAX, check(p, 64 * 1024, 7));
	munmap(p, 64 * 1024);
}

TEST_F(mem, close_fd_with_everything_live)
{
	__u32 handle;
	int i;

	for (i = 0; i < 8; i++)
		test_bo_create(self->fd, 1 * MiB, variant->flags, &handle);
	close(self->fd);
	self->fd = -1;
}

TEST_F(mem, remove_device_with_buffer_mapped)
{
	__u32 handle;
	uint64_t *p;

	test_bo_create(self->fd, 1 * MiB, variant->flags, &handle);
	p = bo_mmap(self->fd, handle, 1 * MiB);
	ASSERT_NE(NULL, p);
	p[0] = 42;
	ASSERT_EQ(0, ogpu_sim_del(MEM_ID));
	/* Whatever the mapping now shows, touching it is safe. */
	p[1] = p[0];
	munmap(p, 1 * MiB);
	EXPECT_EQ(-ENODEV, _test_bo_create(self->fd, 4096, variant->flags,
					   &handle, NULL));
}

/*
 * The largest size class: hundreds of MiB, on a device with 512 MiB of
 * VRAM, in each placement, every byte written and read back.
 */
#define BIG_ID		221

TEST(hundreds_of_mib_each_placement)
{
	static const __u32 placements[] = {
		DRM_OGPU_BO_VRAM, DRM_OGPU_BO_SYSTEM,
		DRM_OGPU_BO_VRAM | DRM_OGPU_BO_SYSTEM,
	};
	char node[64], spec[32];
	unsigned int i;
	int fd;

	ogpu_sim_del(BIG_ID);
	snprintf(spec, sizeof(spec), "%u 512", BIG_ID);
	ASSERT_EQ(0, ogpu_sim_new(spec));
	ASSERT_EQ(0, ogpu_wait_node(BIG_ID, node, sizeof(node)));
	fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0);

	for (i = 0; i < 3; i++) {
		__u64 size = 320 * MiB;
		__u32 handle;
		void *p;

		ASSERT_EQ(0, _test_bo_create(fd, size, placements[i], &handle,
					     NULL));
		p = bo_mmap(fd, handle, size);
		ASSERT_NE(NULL, p);
		fill(p, size, 50 + i);
		EXPECT_EQ(SIZE_MAX, check(p, size, 50 + i));
		munmap(p, size);
		EXPECT_EQ(0, drmCloseBufferHandle(fd, handle));
	}
	close(fd);
	EXPECT_EQ(0, ogpu_sim_del(BIG_ID));
}

FIXTURE(evict) {
	int fd;
	char node[64];
};

FIXTURE_SETUP(evict)
{
	self->fd = mem_dev_open(self->node, sizeof(self->node));
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(evict)
{
	mem_dev_close(self->fd);
}

/*
 * Twice VRAM's size in VRAM buffers: the first ones are evicted to system
 * memory as later ones come, and every byte survives.
 */
TEST_F(evict, overcommit_2x_keeps_contents)
{
	struct drm_ogpu_mem_region r[2];
	enum { N = 2 * MEM_VRAM_MB / 8 };
	__u32 handles[N];
	void *maps[N];
	int i;

	for (i = 0; i < N; i++) {
		test_bo_create(self->fd, 8 * MiB, DRM_OGPU_BO_VRAM,
			       &handles[i]);
		maps[i] = bo_mmap(self->fd, handles[i], 8 * MiB);
		ASSERT_NE(NULL, maps[i]);
		fill(maps[i], 8 * MiB, 100 + i);
	}
	ASSERT_EQ(0, mem_regions(self->fd, r));
	EXPECT_LE(r[0].used, MEM_VRAM_MB * MiB);
	/* At least the overflow went to system memory. */
	EXPECT_GE(r[1].used, (N * 8 - MEM_VRAM_MB) * MiB);
	for (i = 0; i < N; i++) {
		EXPECT_EQ(SIZE_MAX, check(maps[i], 8 * MiB, 100 + i)) {
			TH_LOG("buffer %d differs", i);
		}
		munmap(maps[i], 8 * MiB);
	}
}

TEST_HARNESS_MAIN
