// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Making and destroying OGPUs at run time through the device model's sysfs
 * controls, and removing a device while a process has it open.
 */
#include "ogpu_test.h"

#include "kselftest_harness.h"

/* Ids far from the ones made at load time. */
#define ID_A	200
#define ID_B	201

static void cleanup(void)
{
	ogpu_sim_del(ID_A);
	ogpu_sim_del(ID_B);
}

FIXTURE(hotplug) {
	char node[64];
};

FIXTURE_SETUP(hotplug)
{
	cleanup();
}

FIXTURE_TEARDOWN(hotplug)
{
	cleanup();
}

TEST_F(hotplug, create_query_destroy)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);
	int before = ogpu_bound_count(), fd;

	ASSERT_EQ(0, ogpu_sim_new("200 32 4 2"));
	ASSERT_EQ(0, ogpu_wait_node(ID_A, self->node, sizeof(self->node)));
	EXPECT_EQ(before + 1, ogpu_bound_count());
	EXPECT_EQ(before + 1, ogpu_device_count());

	fd = open(self->node, O_RDWR);
	ASSERT_GE(fd, 0);
	test_dev_query(fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	EXPECT_EQ(ID_A, info.instance);
	EXPECT_EQ(32ull << 20, info.vram_size);
	EXPECT_EQ(4, info.num_cus);
	EXPECT_EQ(2, info.num_link_ports);
	close(fd);

	ASSERT_EQ(0, ogpu_sim_del(ID_A));
	EXPECT_EQ(-ENOENT, ogpu_render_node(ID_A, self->node,
					     sizeof(self->node)));
	EXPECT_EQ(before, ogpu_bound_count());
	EXPECT_EQ(before, ogpu_device_count());
}

TEST_F(hotplug, reject_duplicate_id)
{
	ASSERT_EQ(0, ogpu_sim_new("200"));
	EXPECT_EQ(-EEXIST, ogpu_sim_new("200"));
}

TEST_F(hotplug, reject_zero_vram)
{
	EXPECT_EQ(-EINVAL, ogpu_sim_new("200 0"));
}

TEST_F(hotplug, reject_too_many_cus)
{
	EXPECT_EQ(-EINVAL, ogpu_sim_new("200 16 65"));
}

TEST_F(hotplug, reject_too_many_link_ports)
{
	EXPECT_EQ(-EINVAL, ogpu_sim_new("200 16 4 9"));
}

TEST_F(hotplug, reject_id_out_of_range)
{
	EXPECT_EQ(-EINVAL, ogpu_sim_new("4096"));
}

TEST_F(hotplug, reject_garbage)
{
	EXPECT_EQ(-EINVAL, ogpu_sim_new("gpu"));
}

TEST_F(hotplug, reject_vram_larger_than_memory)
{
	/* 512 GiB cannot be backed in the guest: -ENOMEM, no splat. */
	EXPECT_EQ(-ENOMEM, ogpu_sim_new("200 524288"));
	EXPECT_EQ(-ENOENT, ogpu_sim_del(ID_A));
}

TEST_F(hotplug, del_unknown_is_enoent)
{
	EXPECT_EQ(-ENOENT, ogpu_sim_del(ID_B));
}

TEST_F(hotplug, remove_with_fd_open)
{
	struct drm_ogpu_device_info info;
	struct ogpu_device_props props;
	struct ogpu_device *dev;
	__u32 size = sizeof(info), handle;

	ASSERT_EQ(0, ogpu_sim_new("200 16"));
	ASSERT_EQ(0, ogpu_wait_node(ID_A, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &dev));
	ASSERT_EQ(0, drmSyncobjCreate(ogpu_device_fd(dev), 0, &handle));

	ASSERT_EQ(0, ogpu_sim_del(ID_A));

	/* The open file survives; everything it asks now fails cleanly. */
	EXPECT_EQ(-ENODEV, _test_dev_query(ogpu_device_fd(dev),
					   DRM_OGPU_DEV_QUERY_DEVICE_INFO,
					   &info, &size, 0, 0));
	EXPECT_EQ(-ENODEV, ogpu_device_get_props(dev, &props));
	EXPECT_NE(0, drmSyncobjCreate(ogpu_device_fd(dev), 0, &handle));
	ogpu_device_close(dev);

	/* And the id can be used again. */
	ASSERT_EQ(0, ogpu_sim_new("200 16"));
	ASSERT_EQ(0, ogpu_wait_node(ID_A, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &dev));
	EXPECT_EQ(0, ogpu_device_get_props(dev, &props));
	ogpu_device_close(dev);
}

TEST_F(hotplug, remove_while_other_device_in_use)
{
	struct ogpu_device_props props;
	struct ogpu_device *dev;
	char node_b[64];

	ASSERT_EQ(0, ogpu_sim_new("200 16"));
	ASSERT_EQ(0, ogpu_sim_new("201 16"));
	ASSERT_EQ(0, ogpu_wait_node(ID_B, node_b, sizeof(node_b)));
	ASSERT_EQ(0, ogpu_device_open_path(node_b, &dev));
	ASSERT_EQ(0, ogpu_sim_del(ID_A));
	EXPECT_EQ(0, ogpu_device_get_props(dev, &props));
	EXPECT_EQ(ID_B, props.instance);
	ogpu_device_close(dev);
}

TEST_F_TIMEOUT(hotplug, repeated_create_destroy, 90)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, ogpu_sim_new("200 8 2 1"));
		ASSERT_EQ(0, ogpu_wait_node(ID_A, self->node,
					    sizeof(self->node)));
		ASSERT_EQ(0, ogpu_sim_del(ID_A));
	}
}

TEST_HARNESS_MAIN
