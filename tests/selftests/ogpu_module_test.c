// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Loading and unloading the modules repeatedly, with and without files
 * open. Runs last: it leaves both modules loaded as it found them, with
 * the devices the module parameters in $OGPU_SIM_PARAMS make. Each test's
 * timeout is several times its time on the debug kernel (15 s at most).
 */
#include <sys/syscall.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

static const char *mod_dir(void)
{
	const char *d = getenv("OGPU_MODULE_DIR");

	return d ? d : "/lib/modules/ogpu";
}

static const char *sim_params(void)
{
	const char *p = getenv("OGPU_SIM_PARAMS");

	return p ? p : "num_devices=2";
}

static int load(const char *name, const char *params)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s.ko", mod_dir(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

static int unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

static int loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

/* Devices the device model has made, counted from sysfs. */
static int sim_devices(void)
{
	struct dirent *de;
	DIR *d = opendir(OGPU_PDEV_DIR);
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "ogpu.", 5);
	closedir(d);
	return n;
}

/*
 * Put both modules back as the other tests expect them: loaded, with the
 * devices $OGPU_SIM_PARAMS makes. Every test starts from there, so a test
 * that failed half way (or was killed by its timeout) leaves nothing
 * behind for the next.
 */
static int restore(void)
{
	const char *n = strstr(sim_params(), "num_devices=");
	int want = n ? atoi(n + strlen("num_devices=")) : 1, ret = 0;

	if (loaded("ogpu_sim") && sim_devices() != want) {
		if (loaded("ogpu"))
			ret = unload("ogpu");
		if (!ret)
			ret = unload("ogpu_sim");
	}
	if (!ret && !loaded("ogpu_sim"))
		ret = load("ogpu_sim", sim_params());
	if (!ret && !loaded("ogpu"))
		ret = load("ogpu", "");
	return ret;
}

FIXTURE(modules) {
	int unused;
};

FIXTURE_SETUP(modules)
{
	ASSERT_EQ(0, restore());
}

FIXTURE_TEARDOWN(modules)
{
	restore();
}

TEST_F_TIMEOUT(modules, reload_both_repeatedly, 120)
{
	char node[64];
	int i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, unload("ogpu"));
		ASSERT_EQ(0, unload("ogpu_sim"));
		ASSERT_EQ(0, load("ogpu_sim", "num_devices=3"));
		ASSERT_EQ(0, load("ogpu", ""));
		ASSERT_EQ(0, ogpu_wait_node(2, node, sizeof(node)));
		EXPECT_EQ(3, ogpu_device_count());
	}
	ASSERT_EQ(0, unload("ogpu"));
	ASSERT_EQ(0, unload("ogpu_sim"));
}

TEST_F_TIMEOUT(modules, reload_driver_rebinds_devices, 120)
{
	char node[64];
	int before = ogpu_bound_count(), i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, unload("ogpu"));
		EXPECT_EQ(0, ogpu_bound_count());
		ASSERT_EQ(0, load("ogpu", ""));
		ASSERT_EQ(0, ogpu_wait_node(0, node, sizeof(node)));
		EXPECT_EQ(before, ogpu_bound_count());
	}
}

TEST_F_TIMEOUT(modules, driver_busy_while_file_open, 120)
{
	struct ogpu_device *dev;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	EXPECT_EQ(-EWOULDBLOCK, unload("ogpu"));
	EXPECT_TRUE(loaded("ogpu"));
	ogpu_device_close(dev);
	EXPECT_EQ(0, unload("ogpu"));
}

TEST_F_TIMEOUT(modules, unload_device_model_with_file_open, 120)
{
	struct ogpu_device_props props;
	struct ogpu_device *dev;

	ASSERT_EQ(0, ogpu_device_open(0, &dev));
	/* The hardware goes away under an open file. */
	ASSERT_EQ(0, unload("ogpu_sim"));
	EXPECT_EQ(-ENODEV, ogpu_device_get_props(dev, &props));
	ogpu_device_close(dev);
	EXPECT_EQ(0, unload("ogpu"));
}

TEST_F_TIMEOUT(modules, driver_without_devices, 120)
{
	char node[64];

	ASSERT_EQ(0, unload("ogpu"));
	ASSERT_EQ(0, unload("ogpu_sim"));
	ASSERT_EQ(0, load("ogpu", ""));
	EXPECT_EQ(0, ogpu_device_count());
	ASSERT_EQ(0, load("ogpu_sim", "num_devices=1"));
	ASSERT_EQ(0, ogpu_wait_node(0, node, sizeof(node)));
	EXPECT_EQ(1, ogpu_device_count());
	ASSERT_EQ(0, unload("ogpu"));
	ASSERT_EQ(0, unload("ogpu_sim"));
}

TEST_HARNESS_MAIN
