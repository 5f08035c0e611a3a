// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * DEV_QUERY and the DRM features of an OGPU render node: every answer, and
 * every rejected input as a subtest of its own with all else valid.
 */
#include "ogpu_test.h"

#include "kselftest_harness.h"

/* struct drm_ogpu_device_info before the limits were added. */
#define DEVICE_INFO_SIZE_V1 \
	offsetof(struct drm_ogpu_device_info, max_vms)

FIXTURE(query) {
	int fd;
	struct ogpu_device *dev;
};

FIXTURE_SETUP(query)
{
	ASSERT_EQ(0, ogpu_device_open(0, &self->dev));
	self->fd = ogpu_device_fd(self->dev);
}

FIXTURE_TEARDOWN(query)
{
	ogpu_device_close(self->dev);
}

static unsigned int sim_param(const char *name)
{
	char path[128];
	unsigned int v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/ogpu_sim/parameters/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

TEST_F(query, device_info)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);

	memset(&info, 0xa5, sizeof(info));
	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	EXPECT_EQ(sizeof(info), size);
	EXPECT_EQ(0x5550474fu, info.hw_id);
	/* Version 1.1: the links. */
	EXPECT_EQ(1u << 16 | 1, info.hw_version);
	/* Device 0 is made at load time from the module parameters. */
	EXPECT_EQ((__u64)sim_param("vram_mb") << 20, info.vram_size);
	EXPECT_EQ(sim_param("num_cus"), info.num_cus);
	EXPECT_EQ(sim_param("link_ports"), info.num_link_ports);
	EXPECT_EQ(0u, info.instance);
	EXPECT_EQ(32u, info.cu_lanes);
	EXPECT_EQ(2u, info.num_compute_engines);
	EXPECT_EQ(1u, info.num_copy_engines);
	EXPECT_EQ(0u, info.pad);
}

TEST_F(query, device_info_size_zero_returns_size)
{
	__u32 size = 0;

	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, NULL, &size);
	EXPECT_EQ(sizeof(struct drm_ogpu_device_info), size);
}

TEST_F(query, device_info_larger_buffer_is_zero_filled)
{
	unsigned char buf[sizeof(struct drm_ogpu_device_info) + 24];
	__u32 size = sizeof(buf);
	size_t i;

	memset(buf, 0xff, sizeof(buf));
	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, buf, &size);
	EXPECT_EQ(sizeof(struct drm_ogpu_device_info), size);
	for (i = sizeof(struct drm_ogpu_device_info); i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
}

TEST_F(query, engine_info)
{
	struct drm_ogpu_engine_info engines[16];
	__u32 size = 0, n, i, compute = 0, copy = 0;

	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO, NULL, &size);
	ASSERT_EQ(0, size % sizeof(engines[0]));
	n = size / sizeof(engines[0]);
	ASSERT_EQ(3, n);
	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO, engines, &size);
	EXPECT_EQ(n * sizeof(engines[0]), size);
	for (i = 0; i < n; i++) {
		switch (engines[i].engine_class) {
		case DRM_OGPU_ENGINE_CLASS_COMPUTE:
			EXPECT_EQ(compute, engines[i].instance);
			compute++;
			break;
		case DRM_OGPU_ENGINE_CLASS_COPY:
			EXPECT_EQ(copy, engines[i].instance);
			copy++;
			break;
		default:
			TH_LOG("unknown engine class %u",
			       engines[i].engine_class);
			EXPECT_TRUE(0);
		}
	}
	EXPECT_EQ(2, compute);
	EXPECT_EQ(1, copy);
}

TEST_F(query, reject_unknown_type)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);

	test_err_dev_query(EINVAL, self->fd, 0x7fff, &info, &size, 0, 0);
}

TEST_F(query, reject_short_size)
{
	struct drm_ogpu_device_info info;
	__u32 size = DEVICE_INFO_SIZE_V1 - 8;

	test_err_dev_query(EINVAL, self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO,
			   &info, &size, 0, 0);
}

/* The first version of the answer, without the limits, is still accepted. */
TEST_F(query, first_version_size_gets_the_prefix)
{
	struct drm_ogpu_device_info info;
	__u32 size = DEVICE_INFO_SIZE_V1;

	memset(&info, 0x5a, sizeof(info));
	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	EXPECT_EQ(DEVICE_INFO_SIZE_V1, size);
	EXPECT_EQ(0x5550474fu, info.hw_id);
	EXPECT_EQ(0x5a5a5a5au, info.max_vms);
}

TEST_F(query, reject_engine_info_short_size)
{
	struct drm_ogpu_engine_info engines[16];
	__u32 size = sizeof(engines[0]);

	test_err_dev_query(EINVAL, self->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO,
			   engines, &size, 0, 0);
}

TEST_F(query, reject_nonzero_flags)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);

	test_err_dev_query(EINVAL, self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO,
			   &info, &size, 1, 0);
}

TEST_F(query, reject_nonzero_pad)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);

	test_err_dev_query(EINVAL, self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO,
			   &info, &size, 0, 1);
}

TEST_F(query, reject_bad_pointer)
{
	__u32 size = sizeof(struct drm_ogpu_device_info);

	test_err_dev_query(EFAULT, self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO,
			   (void *)(uintptr_t)0x10, &size, 0, 0);
}

TEST_F(query, reject_null_pointer)
{
	__u32 size = sizeof(struct drm_ogpu_engine_info) * 3;

	test_err_dev_query(EFAULT, self->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO,
			   NULL, &size, 0, 0);
}

TEST_F(query, rejected_query_changes_nothing)
{
	struct drm_ogpu_device_info info;
	__u32 size = DEVICE_INFO_SIZE_V1 - 8;

	memset(&info, 0x5a, sizeof(info));
	test_err_dev_query(EINVAL, self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO,
			   &info, &size, 0, 0);
	EXPECT_EQ(0x5a5a5a5au, info.hw_id);
	/* The device still answers well-formed queries. */
	size = sizeof(info);
	test_dev_query(self->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	EXPECT_EQ(0x5550474fu, info.hw_id);
}

/* The DRM core answers a driver ioctl number past the table with -EINVAL. */
TEST_F(query, unknown_driver_ioctl_is_einval)
{
	unsigned long req = DRM_IOWR(DRM_COMMAND_BASE + 0x3f,
				     struct drm_ogpu_dev_query);
	struct drm_ogpu_dev_query q = {};

	EXPECT_EQ(-1, ioctl(self->fd, req, &q));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(query, driver_version)
{
	drmVersionPtr v = drmGetVersion(self->fd);

	ASSERT_NE(NULL, v);
	EXPECT_STREQ("ogpu", v->name);
	drmFreeVersion(v);
}

TEST_F(query, syncobj_binary)
{
	__u32 handle;

	ASSERT_EQ(0, drmSyncobjCreate(self->fd, DRM_SYNCOBJ_CREATE_SIGNALED,
				      &handle));
	EXPECT_EQ(0, drmSyncobjWait(self->fd, &handle, 1, 0, 0, NULL));
	ASSERT_EQ(0, drmSyncobjReset(self->fd, &handle, 1));
	EXPECT_EQ(-ETIME, drmSyncobjWait(self->fd, &handle, 1, 0,
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					 NULL) ? -errno : 0);
	EXPECT_EQ(0, drmSyncobjDestroy(self->fd, handle));
}

TEST_F(query, syncobj_timeline)
{
	uint64_t cap = 0, point = 0;
	__u32 handle;

	ASSERT_EQ(0, drmGetCap(self->fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap));
	ASSERT_EQ(1, cap);
	ASSERT_EQ(0, drmSyncobjCreate(self->fd, 0, &handle));
	point = 5;
	ASSERT_EQ(0, drmSyncobjTimelineSignal(self->fd, &handle, &point, 1));
	point = 0;
	ASSERT_EQ(0, drmSyncobjQuery(self->fd, &handle, &point, 1));
	EXPECT_EQ(5, point);
	EXPECT_EQ(0, drmSyncobjDestroy(self->fd, handle));
}

TEST_HARNESS_MAIN
