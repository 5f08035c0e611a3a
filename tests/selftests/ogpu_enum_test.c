// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Finding OGPUs: through libogpu and through raw libdrm, checked against
 * what sysfs says is bound to the driver.
 */
#include <sys/stat.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

/* OGPUs as raw libdrm sees them: render nodes whose driver is "ogpu". */
static int libdrm_count(int *platform)
{
	drmDevicePtr devs[64];
	int n, i, count = 0;

	*platform = 0;
	n = drmGetDevices2(0, devs, 64);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		drmVersionPtr v;
		int fd;

		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		fd = open(devs[i]->nodes[DRM_NODE_RENDER], O_RDWR);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "ogpu")) {
			count++;
			if (devs[i]->bustype == DRM_BUS_PLATFORM)
				(*platform)++;
		}
		drmFreeVersion(v);
		close(fd);
	}
	drmFreeDevices(devs, n);
	return count;
}

TEST(libogpu_count_matches_sysfs)
{
	int bound = ogpu_bound_count();

	ASSERT_GT(bound, 0);
	EXPECT_EQ(bound, ogpu_device_count());
}

TEST(libdrm_finds_every_ogpu)
{
	int platform, n;

	n = libdrm_count(&platform);
	EXPECT_EQ(ogpu_bound_count(), n);
	EXPECT_EQ(n, platform);
}

TEST(open_each_device)
{
	int n = ogpu_device_count(), i;
	uint32_t last = 0;

	ASSERT_GT(n, 0);
	for (i = 0; i < n; i++) {
		struct ogpu_device_props p;
		struct ogpu_device *dev;
		char node[64], bus[32];

		ASSERT_EQ(0, ogpu_device_open(i, &dev));
		ASSERT_EQ(0, ogpu_device_get_props(dev, &p));
		/* Ordered by instance, and the node is that instance's. */
		if (i)
			EXPECT_GT(p.instance, last);
		last = p.instance;
		ASSERT_EQ(0, ogpu_render_node(p.instance, node, sizeof(node)));
		EXPECT_STREQ(node, p.render_node);
		snprintf(bus, sizeof(bus), "ogpu.%u", p.instance);
		EXPECT_STREQ(bus, p.bus_id);
		EXPECT_EQ(1, p.hw_version_major);
		EXPECT_NE(0, p.vram_size);
		EXPECT_GE(ogpu_device_fd(dev), 0);
		ogpu_device_close(dev);
	}
}

TEST(open_index_past_end_is_enodev)
{
	struct ogpu_device *dev = NULL;

	EXPECT_EQ(-ENODEV, ogpu_device_open(ogpu_device_count(), &dev));
	EXPECT_EQ(NULL, dev);
}

TEST(open_path_of_non_ogpu_is_enodev)
{
	struct ogpu_device *dev = NULL;

	EXPECT_EQ(-ENODEV, ogpu_device_open_path("/dev/null", &dev));
	EXPECT_EQ(-ENOENT, ogpu_device_open_path("/dev/dri/nonexistent", &dev));
	EXPECT_EQ(-EINVAL, ogpu_device_open_path(NULL, &dev));
}

TEST(engines_through_libogpu)
{
	struct ogpu_engine engines[8];
	struct ogpu_device_props p;
	struct ogpu_device *dev;
	int n;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	ASSERT_EQ(0, ogpu_device_get_props(dev, &p));
	n = ogpu_device_get_engines(dev, engines, 8);
	EXPECT_EQ((int)(p.num_compute_engines + p.num_copy_engines), n);
	EXPECT_EQ(n, ogpu_device_get_engines(dev, NULL, 0));
	EXPECT_EQ(OGPU_ENGINE_COMPUTE, engines[0].engine_class);
	ogpu_device_close(dev);
}

TEST(strerror_is_readable)
{
	EXPECT_STREQ("no such OGPU, or the device has been removed",
		     ogpu_strerror(-ENODEV));
	EXPECT_STREQ("out of device memory", ogpu_strerror(-ENOSPC));
	EXPECT_STREQ("success", ogpu_strerror(0));
	EXPECT_NE(NULL, ogpu_strerror(-4095));
	EXPECT_NE(NULL, ogpu_strerror(12345));
}

TEST(render_node_only_for_unprivileged)
{
	struct ogpu_device_props p;
	struct ogpu_device *dev;
	char path[128];
	struct stat st;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	ASSERT_EQ(0, ogpu_device_get_props(dev, &p));
	snprintf(path, sizeof(path), OGPU_PDEV_DIR "/%s/drm", p.bus_id);
	EXPECT_EQ(0, stat(path, &st));
	EXPECT_EQ(0, strncmp(p.render_node, "/dev/dri/renderD", 16));
	ogpu_device_close(dev);
}

/* ogpu-smi --json shows this process and the VRAM it holds. */
TEST(smi_shows_process_memory)
{
	struct ogpu_device_props p;
	struct ogpu_device *dev;
	struct ogpu_bo *bo;
	char want[128], out[16384];
	size_t n;
	FILE *f;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	ASSERT_EQ(0, ogpu_device_get_props(dev, &p));
	ASSERT_EQ(0, ogpu_bo_create(dev, 3 << 20, OGPU_MEM_DEVICE, &bo));

	f = popen("ogpu-smi --json", "r");
	ASSERT_NE(NULL, f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	EXPECT_EQ(0, pclose(f));
	snprintf(want, sizeof(want), "{\"pid\": %d, \"name\": \"ogpu_enum_test\", "
		 "\"vram_bytes\": %d, \"system_bytes\": 0, \"vms\": 0, "
		 "\"queues\": 0, \"page_table_bytes\": 0}", getpid(), 3 << 20);
	EXPECT_NE(NULL, strstr(out, want)) {
		TH_LOG("ogpu-smi said: %s", out);
	}
	ogpu_bo_free(bo);
	ogpu_device_close(dev);
}

/*
 * ogpu-smi --json shows the device's VM and queue limits, how many are
 * taken, and who holds them.
 */
TEST(smi_shows_limits_and_holders)
{
	struct ogpu_device_limits lim;
	struct ogpu_queue *q;
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	char want[256], out[16384];
	size_t n;
	FILE *f;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	ASSERT_EQ(0, ogpu_vm_create(dev, &vm));
	ASSERT_EQ(0, ogpu_queue_create(vm, OGPU_ENGINE_COPY, 0, 0, &q));
	ASSERT_EQ(0, ogpu_device_get_limits(dev, &lim));
	EXPECT_EQ(15, lim.max_vms);
	EXPECT_EQ(7, lim.max_queues);
	EXPECT_LE(1, lim.vms_in_use);
	EXPECT_LE(1, lim.queues_in_use);

	f = popen("ogpu-smi --json", "r");
	ASSERT_NE(NULL, f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	EXPECT_EQ(0, pclose(f));
	snprintf(want, sizeof(want), "\"max_vms\": 15, \"vms_in_use\": %u, "
		 "\"max_queues\": 7, \"queues_in_use\": %u, "
		 "\"vm_page_table_budget_bytes\": %llu", lim.vms_in_use,
		 lim.queues_in_use,
		 (unsigned long long)lim.vm_page_table_budget);
	EXPECT_NE(NULL, strstr(out, want)) {
		TH_LOG("ogpu-smi said: %s", out);
	}
	snprintf(want, sizeof(want), "{\"pid\": %d, \"name\": \"ogpu_enum_test\", "
		 "\"vram_bytes\": 0, \"system_bytes\": 0, \"vms\": 1, "
		 "\"queues\": 1, \"page_table_bytes\": ", getpid());
	EXPECT_NE(NULL, strstr(out, want)) {
		TH_LOG("ogpu-smi said: %s", out);
	}
	ogpu_queue_destroy(q);
	ogpu_vm_destroy(vm);
	ogpu_device_close(dev);
}

TEST_HARNESS_MAIN
