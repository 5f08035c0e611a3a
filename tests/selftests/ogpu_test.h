/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * Helpers shared by the ogpu selftests: the device model's sysfs controls
 * and the driver's ioctls, in the iommufd selftests' style of threes
 * (_test_x returns the raw result, test_x asserts success, test_err_x
 * asserts an errno).
 */
#ifndef OGPU_TEST_H
#define OGPU_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "ogpu_drm.h"
#include "ogpu.h"

#define OGPU_SIM_CTL	"/sys/devices/ogpu_sim"
#define OGPU_PDEV_DIR	"/sys/bus/platform/devices"
#define OGPU_DRV_DIR	"/sys/bus/platform/drivers/ogpu"

/* Write a string to a sysfs file; 0 or -errno. */
static inline int ogpu_sysfs_write(const char *path, const char *s)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* A file beside this program (the tests' kernel modules are there). */
static inline const char *beside_me(const char *name)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX / 2];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return name;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, name);
	return path;
}

/* Read a file into buf, NUL-terminated; 0 or -errno. */
static inline int ogpu_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Write @val to the device model's debugfs file linkP/@name of device @id. */
static inline int ogpu_link_debugfs(unsigned int id, unsigned int port,
				    const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/ogpu_sim/ogpu.%u/link%u/%s", id, port,
		 name);
	return ogpu_sysfs_write(path, val);
}

static inline int ogpu_sim_new(const char *spec)
{
	return ogpu_sysfs_write(OGPU_SIM_CTL "/new_device", spec);
}

static inline int ogpu_sim_del(unsigned int id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", id);
	return ogpu_sysfs_write(OGPU_SIM_CTL "/del_device", buf);
}

/* Render node of platform device ogpu.ID into buf; 0 or -ENOENT. */
static inline int ogpu_render_node(unsigned int id, char *buf, size_t len)
{
	char dir[128];
	struct dirent *de;
	DIR *d;
	int ret = -ENOENT;

	snprintf(dir, sizeof(dir), OGPU_PDEV_DIR "/ogpu.%u/drm", id);
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "renderD", 7)) {
			snprintf(buf, len, "/dev/dri/%.32s", de->d_name);
			ret = access(buf, R_OK | W_OK) ? -errno : 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* Wait up to 10 s for ogpu.ID's render node; 0 or -ETIMEDOUT. */
static inline int ogpu_wait_node(unsigned int id, char *buf, size_t len)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (!ogpu_render_node(id, buf, len))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Devices the ogpu driver is bound to, counted from sysfs. */
static inline int ogpu_bound_count(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir(OGPU_DRV_DIR);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "ogpu.", 5))
			n++;
	closedir(d);
	return n;
}

static inline int _test_dev_query(int fd, __u32 type, void *buf, __u32 *size,
				  __u32 flags, __u32 pad)
{
	struct drm_ogpu_dev_query q = {
		.type = type,
		.size = *size,
		.pointer = (__u64)(uintptr_t)buf,
		.flags = flags,
		.pad = pad,
	};

	if (ioctl(fd, DRM_IOCTL_OGPU_DEV_QUERY, &q))
		return -errno;
	*size = q.size;
	return 0;
}

/* Fill with a pattern unique to (seed, word); check() finds the first
 * differing byte, or returns SIZE_MAX. */
static inline void fill(void *p, size_t size, uint64_t seed)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		w[i] = seed * 0x9e3779b97f4a7c15ull ^ i;
}

static inline size_t check(const void *p, size_t size, uint64_t seed)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		if (w[i] != (seed * 0x9e3779b97f4a7c15ull ^ i))
			return i * 8;
	return SIZE_MAX;
}

static inline int _test_bo_create(int fd, __u64 size, __u32 flags,
				  __u32 *handle, __u64 *out_size)
{
	struct drm_ogpu_bo_create args = { .size = size, .flags = flags };

	*handle = 0;
	if (ioctl(fd, DRM_IOCTL_OGPU_BO_CREATE, &args))
		return -errno;
	*handle = args.handle;
	if (out_size)
		*out_size = args.size;
	return 0;
}

static inline int _test_bo_mmap_offset(int fd, __u32 handle, __u32 pad,
				       __u64 *off)
{
	struct drm_ogpu_bo_mmap_offset args = { .handle = handle, .pad = pad };

	*off = 0;
	if (ioctl(fd, DRM_IOCTL_OGPU_BO_MMAP_OFFSET, &args))
		return -errno;
	*off = args.offset;
	return 0;
}

/* Map a whole buffer; NULL on failure. */
static inline void *bo_mmap(int fd, __u32 handle, size_t size)
{
	__u64 off;
	void *p;

	if (_test_bo_mmap_offset(fd, handle, 0, &off))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * A key of this process's fdinfo for @fd, as a number: sizes in KiB
 * (drm-usage-stats prints "N KiB" or "N MiB"), times in ns. -1 if absent.
 */
static inline long long fdinfo_value(int fd, const char *key)
{
	char path[64], line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char unit[8] = "";

		if (strncmp(line, key, n) || line[n] != ':')
			continue;
		if (sscanf(line + n + 1, "%lld %7s", &v, unit) >= 1 &&
		    !strcmp(unit, "MiB"))
			v *= 1024;
		break;
	}
	fclose(f);
	return v;
}

#define test_dev_query(fd, type, buf, size) \
	ASSERT_EQ(0, _test_dev_query(fd, type, buf, size, 0, 0))

#define test_err_dev_query(err, fd, type, buf, size, flags, pad) \
	EXPECT_EQ(-(err), _test_dev_query(fd, type, buf, size, flags, pad))

/* A buffer, mapped for the CPU and bound read-write in a VM. */
struct buf {
	struct ogpu_bo *bo;
	uint8_t *map;
	uint64_t va;
	uint64_t size;
};

static inline int buf_new(struct ogpu_vm *vm, uint64_t size,
			  enum ogpu_mem mem, struct buf *b)
{
	int ret;

	b->size = size;
	ret = ogpu_bo_create(ogpu_vm_device(vm), size, mem, &b->bo);
	if (!ret)
		ret = ogpu_bo_map(b->bo, (void **)&b->map);
	b->va = ogpu_vm_alloc_va(vm, size);
	if (!ret)
		ret = ogpu_vm_bind(vm, b->bo, 0, b->va, size, OGPU_ACCESS_RW);
	return ret;
}

/* Submit @cb with one fresh binary out-syncobj; 0 or -errno. */
static inline int submit_sync(struct ogpu_queue *q,
			      struct ogpu_device *dev,
			      struct ogpu_cmdbuf *cb, uint32_t *syncobj)
{
	struct ogpu_sync out = { 0, 0 };
	int ret = ogpu_syncobj_create(dev, &out.syncobj);

	if (!ret)
		ret = ogpu_submit(q, &cb, 1, NULL, 0, &out, 1);
	*syncobj = out.syncobj;
	return ret;
}

static inline int wait_ms(struct ogpu_device *dev, uint32_t syncobj, int ms)
{
	struct ogpu_sync s = { syncobj, 0 };

	return ogpu_syncobj_wait(dev, &s, 1, ogpu_time_ns() + ms * 1000000ll);
}

/* The device model's debug port of MMU context @ctx of ogpu.@id. */
static inline int ogpu_debug_port(unsigned int id, unsigned int ctx)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/ogpu_sim/ogpu.%u/vm%u",
		 id, ctx);
	return open(path, O_RDWR | O_CLOEXEC);
}

/* Read or write GPU memory at @va through a debug port; 0 or -errno. */
static inline int port_rw(int port, uint64_t va, void *buf, size_t len,
			  int write)
{
	ssize_t n = write ? pwrite(port, buf, len, va) :
			    pread(port, buf, len, va);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

#endif /* OGPU_TEST_H */
