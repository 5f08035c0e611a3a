// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Finding, opening and querying OGPUs.
 *
 * OGPUs are found through libdrm: drmGetDevices2() lists every DRM device,
 * and those whose render node's driver is "ogpu" are kept, ordered by the
 * hardware instance number so that indices are stable across runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "ogpu_priv.h"

#define OGPU_DRIVER_NAME "ogpu"

int ogpu_ioctl(int fd, unsigned long request, void *arg)
{
	if (drmIoctl(fd, request, arg))
		return -errno;
	return 0;
}

int ogpu_query(int fd, uint32_t type, void *buf, uint32_t *size)
{
	struct drm_ogpu_dev_query q = {
		.type = type,
		.size = *size,
		.pointer = (uintptr_t)buf,
	};
	int ret;

	ret = ogpu_ioctl(fd, DRM_IOCTL_OGPU_DEV_QUERY, &q);
	if (ret)
		return ret;
	*size = q.size;
	return 0;
}

static int is_ogpu(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret;

	if (!v)
		return 0;
	ret = v->name && !strcmp(v->name, OGPU_DRIVER_NAME);
	drmFreeVersion(v);
	return ret;
}

/* Copy a string, truncating it to fit. */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The platform device behind a DRM node, e.g. "ogpu.3". */
static void node_bus_id(int fd, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct stat st;
	const char *base;
	ssize_t n;

	snprintf(buf, len, "unknown");
	if (fstat(fd, &st))
		return;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return;
	link[n] = '\0';
	base = strrchr(link, '/');
	copy_str(buf, len, base ? base + 1 : link);
}

static int device_load_props(struct ogpu_device *dev, const char *node)
{
	struct drm_ogpu_device_info info = {};
	uint32_t size = sizeof(info);
	struct ogpu_device_props *p = &dev->props;
	int ret;

	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	if (ret)
		return ret;

	memset(p, 0, sizeof(*p));
	copy_str(p->render_node, sizeof(p->render_node), node);
	node_bus_id(dev->fd, p->bus_id, sizeof(p->bus_id));
	p->instance = info.instance;
	p->hw_version_major = info.hw_version >> 16;
	p->hw_version_minor = info.hw_version & 0xffff;
	p->caps = info.caps;
	p->vram_size = info.vram_size;
	p->num_cus = info.num_cus;
	p->cu_lanes = info.cu_lanes;
	p->num_compute_engines = info.num_compute_engines;
	p->num_copy_engines = info.num_copy_engines;
	p->num_link_ports = info.num_link_ports;

	/* Zero when the kernel predates them: no compute units then. */
	memset(&dev->compute, 0, sizeof(dev->compute));
	if (info.caps & DRM_OGPU_CAP_COMPUTE && info.cu_max_block) {
		copy_str(dev->compute.isa, sizeof(dev->compute.isa),
			 info.cu_isa);
		dev->compute.num_cus = info.num_cus;
		dev->compute.warp_size = info.cu_lanes;
		dev->compute.max_block = info.cu_max_block;
		dev->compute.shared_max = info.cu_shared_max;
		dev->compute.private_bytes = info.cu_private_bytes;
		dev->compute.csr_version = info.cu_csr_version;
	}
	return 0;
}

OGPU_EXPORT int ogpu_device_open_path(const char *render_node,
				      struct ogpu_device **out)
{
	struct ogpu_device *dev;
	int ret;

	if (!render_node || !out)
		return -EINVAL;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	pthread_mutex_init(&dev->bo_lock, NULL);

	dev->fd = open(render_node, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		ret = -errno;
		goto err_free;
	}
	if (!is_ogpu(dev->fd)) {
		ret = -ENODEV;
		goto err_close;
	}
	ret = device_load_props(dev, render_node);
	if (ret)
		goto err_close;

	*out = dev;
	return 0;

err_close:
	close(dev->fd);
err_free:
	pthread_mutex_destroy(&dev->bo_lock);
	free(dev);
	return ret;
}

OGPU_EXPORT void ogpu_device_close(struct ogpu_device *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	pthread_mutex_destroy(&dev->bo_lock);
	free(dev);
}

OGPU_EXPORT int ogpu_device_fd(const struct ogpu_device *dev)
{
	return dev->fd;
}

OGPU_EXPORT int ogpu_device_get_props(struct ogpu_device *dev,
				      struct ogpu_device_props *props)
{
	struct drm_ogpu_device_info info;
	uint32_t size = sizeof(info);
	int ret;

	/* Answers -ENODEV once the device has been removed. */
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size);
	if (ret)
		return ret;
	*props = dev->props;
	return 0;
}

int ogpu_device_info(struct ogpu_device *dev,
		     struct drm_ogpu_device_info *info, size_t need)
{
	uint32_t size = sizeof(*info);
	int ret;

	memset(info, 0, sizeof(*info));
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, info, &size);
	if (ret)
		return ret;
	return size < need ? -EOPNOTSUPP : 0;
}

OGPU_EXPORT int ogpu_device_get_limits(struct ogpu_device *dev,
				       struct ogpu_device_limits *limits)
{
	struct drm_ogpu_device_info info;
	int ret;

	/* A kernel from before the limits answers a shorter structure. */
	ret = ogpu_device_info(dev, &info,
			       OGPU_INFO_UPTO(vm_page_table_budget));
	if (ret)
		return ret;
	limits->max_vms = info.max_vms;
	limits->vms_in_use = info.vms_in_use;
	limits->max_queues = info.max_queues;
	limits->queues_in_use = info.queues_in_use;
	limits->vm_page_table_budget = info.vm_page_table_budget;
	return 0;
}

OGPU_EXPORT int ogpu_device_get_engines(struct ogpu_device *dev,
					struct ogpu_engine *engines,
					unsigned int max)
{
	struct drm_ogpu_engine_info *raw;
	uint32_t size = 0, n, i;
	int ret;

	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO, NULL, &size);
	if (ret)
		return ret;
	n = size / sizeof(*raw);
	if (!n)
		return 0;

	raw = calloc(n, sizeof(*raw));
	if (!raw)
		return -ENOMEM;
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_ENGINE_INFO, raw, &size);
	if (!ret) {
		for (i = 0; i < n && i < max; i++) {
			engines[i].engine_class = raw[i].engine_class;
			engines[i].instance = raw[i].instance;
		}
		ret = n;
	}
	free(raw);
	return ret;
}

struct found {
	char node[64];
	uint32_t instance;
};

static int cmp_found(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return (x->instance > y->instance) - (x->instance < y->instance);
}

/* Lists the OGPUs' render nodes, ordered by instance; *out is malloc'ed. */
static int enumerate(struct found **out)
{
	drmDevicePtr *devs = NULL;
	struct found *found = NULL;
	int n, i, count = 0, ret;

	n = drmGetDevices2(0, NULL, 0);
	if (n < 0 && n != -ENOENT)
		return n;
	/* -ENOENT: there is no /dev/dri, so no device at all. */
	if (n <= 0) {
		*out = NULL;
		return 0;
	}

	devs = calloc(n, sizeof(*devs));
	found = calloc(n, sizeof(*found));
	if (!devs || !found) {
		ret = -ENOMEM;
		goto out;
	}
	n = drmGetDevices2(0, devs, n);
	if (n < 0) {
		ret = n;
		goto out;
	}

	for (i = 0; i < n; i++) {
		struct drm_ogpu_device_info info;
		uint32_t size = sizeof(info);
		const char *node;
		int fd;

		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		node = devs[i]->nodes[DRM_NODE_RENDER];
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (is_ogpu(fd) &&
		    !ogpu_query(fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info,
				&size)) {
			copy_str(found[count].node, sizeof(found[count].node),
				 node);
			found[count].instance = info.instance;
			count++;
		}
		close(fd);
	}
	drmFreeDevices(devs, n);

	qsort(found, count, sizeof(*found), cmp_found);
	*out = found;
	found = NULL;
	ret = count;
out:
	free(devs);
	free(found);
	return ret;
}

OGPU_EXPORT int ogpu_device_count(void)
{
	struct found *found;
	int n;

	n = enumerate(&found);
	if (n >= 0)
		free(found);
	return n;
}

OGPU_EXPORT int ogpu_device_open(unsigned int index, struct ogpu_device **out)
{
	struct found *found;
	int n, ret;

	if (!out)
		return -EINVAL;
	n = enumerate(&found);
	if (n < 0)
		return n;
	if (index >= (unsigned int)n)
		ret = -ENODEV;
	else
		ret = ogpu_device_open_path(found[index].node, out);
	free(found);
	return ret;
}
