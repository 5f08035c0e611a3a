// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Buffers: allocation, CPU mapping, sharing through dma-buf and the
 * device's memory regions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "ogpu_priv.h"

OGPU_EXPORT int ogpu_device_get_mem_regions(struct ogpu_device *dev,
					    struct ogpu_mem_region *regions,
					    unsigned int max)
{
	struct drm_ogpu_mem_region raw[8];
	uint32_t size = 0, n, i;
	int ret;

	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_MEM_REGIONS, NULL, &size);
	if (ret)
		return ret;
	n = size / sizeof(raw[0]);
	if (n > 8)
		return -EOVERFLOW;
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_MEM_REGIONS, raw, &size);
	if (ret)
		return ret;
	for (i = 0; i < n && i < max; i++) {
		regions[i].kind = raw[i].type == DRM_OGPU_MEM_VRAM ?
				  OGPU_MEM_DEVICE : OGPU_MEM_HOST;
		regions[i].size = raw[i].size;
		regions[i].used = raw[i].used;
		regions[i].cpu_visible_size = raw[i].cpu_visible_size;
	}
	return n;
}

OGPU_EXPORT int ogpu_bo_create(struct ogpu_device *dev, uint64_t size,
			       enum ogpu_mem mem, struct ogpu_bo **out)
{
	struct drm_ogpu_bo_create args = { .size = size };
	struct ogpu_bo *bo;
	int ret;

	if (!out)
		return -EINVAL;
	switch (mem) {
	case OGPU_MEM_DEVICE:
		args.flags = DRM_OGPU_BO_VRAM;
		break;
	case OGPU_MEM_HOST:
		args.flags = DRM_OGPU_BO_SYSTEM;
		break;
	case OGPU_MEM_DEVICE_OR_HOST:
		args.flags = DRM_OGPU_BO_VRAM | DRM_OGPU_BO_SYSTEM;
		break;
	default:
		return -EINVAL;
	}

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	ret = ogpu_ioctl(dev->fd, DRM_IOCTL_OGPU_BO_CREATE, &args);
	if (ret) {
		free(bo);
		return ret;
	}
	bo->dev = dev;
	bo->handle = args.handle;
	bo->size = args.size;
	bo->refs = 1;
	pthread_mutex_init(&bo->lock, NULL);
	pthread_mutex_lock(&dev->bo_lock);
	bo->next = dev->bos;
	dev->bos = bo;
	pthread_mutex_unlock(&dev->bo_lock);
	*out = bo;
	return 0;
}

OGPU_EXPORT int ogpu_bo_export_fd(struct ogpu_bo *bo, int *fd)
{
	if (!bo || !fd)
		return -EINVAL;
	if (drmPrimeHandleToFD(bo->dev->fd, bo->handle, DRM_CLOEXEC | DRM_RDWR,
			       fd))
		return -errno;
	return 0;
}

/*
 * Import @fd: through DRM_IOCTL_OGPU_PRIME_IMPORT with @flags when @path
 * is wanted, else through libdrm's PRIME call.
 */
static int bo_import(struct ogpu_device *dev, int fd, unsigned int flags,
		     struct ogpu_bo **out, enum ogpu_p2p_path *path)
{
	struct drm_ogpu_prime_import args = { .fd = fd, .flags = flags };
	struct ogpu_bo *bo;
	uint32_t handle;
	off_t size;
	int ret = 0;

	if (!dev || !out)
		return -EINVAL;
	/* A dma-buf's size is where it ends. */
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		return -errno;

	/* Under the lock, so that no ogpu_bo_free() closes the handle. */
	pthread_mutex_lock(&dev->bo_lock);
	if (path) {
		ret = ogpu_ioctl(dev->fd, DRM_IOCTL_OGPU_PRIME_IMPORT, &args);
		if (ret)
			goto out;
		handle = args.handle;
		*path = (enum ogpu_p2p_path)args.path;
	} else if (drmPrimeFDToHandle(dev->fd, fd, &handle)) {
		ret = -errno;
		goto out;
	}
	for (bo = dev->bos; bo; bo = bo->next)
		if (bo->handle == handle)
			break;
	if (bo) {
		/* The file has the buffer already: one more reference. */
		bo->refs++;
		goto found;
	}
	bo = calloc(1, sizeof(*bo));
	if (!bo) {
		drmCloseBufferHandle(dev->fd, handle);
		ret = -ENOMEM;
		goto out;
	}
	bo->dev = dev;
	bo->handle = handle;
	bo->size = size;
	bo->refs = 1;
	pthread_mutex_init(&bo->lock, NULL);
	bo->next = dev->bos;
	dev->bos = bo;
found:
	*out = bo;
out:
	pthread_mutex_unlock(&dev->bo_lock);
	return ret;
}

OGPU_EXPORT int ogpu_bo_import_fd(struct ogpu_device *dev, int fd,
				  struct ogpu_bo **out)
{
	return bo_import(dev, fd, 0, out, NULL);
}

OGPU_EXPORT int ogpu_bo_import_fd_flags(struct ogpu_device *dev, int fd,
					unsigned int flags,
					struct ogpu_bo **out,
					enum ogpu_p2p_path *path)
{
	enum ogpu_p2p_path p;

	if (flags & ~OGPU_IMPORT_LINK_ONLY)
		return -EINVAL;
	return bo_import(dev, fd, flags, out, path ? path : &p);
}

OGPU_EXPORT int ogpu_bo_map(struct ogpu_bo *bo, void **ptr)
{
	struct drm_ogpu_bo_mmap_offset args = { .handle = bo->handle };
	void *map;
	int ret = 0;

	pthread_mutex_lock(&bo->lock);
	if (bo->map)
		goto out;
	ret = ogpu_ioctl(bo->dev->fd, DRM_IOCTL_OGPU_BO_MMAP_OFFSET, &args);
	if (ret)
		goto out;
	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bo->dev->fd, args.offset);
	if (map == MAP_FAILED) {
		ret = -errno;
		goto out;
	}
	bo->map = map;
out:
	if (!ret)
		*ptr = bo->map;
	pthread_mutex_unlock(&bo->lock);
	return ret;
}

OGPU_EXPORT void ogpu_bo_unmap(struct ogpu_bo *bo)
{
	pthread_mutex_lock(&bo->lock);
	if (bo->map)
		munmap(bo->map, bo->size);
	bo->map = NULL;
	pthread_mutex_unlock(&bo->lock);
}

OGPU_EXPORT void ogpu_bo_free(struct ogpu_bo *bo)
{
	struct ogpu_device *dev;
	struct ogpu_bo **p;

	if (!bo)
		return;
	dev = bo->dev;
	pthread_mutex_lock(&dev->bo_lock);
	if (--bo->refs) {
		pthread_mutex_unlock(&dev->bo_lock);
		return;
	}
	for (p = &dev->bos; *p; p = &(*p)->next)
		if (*p == bo) {
			*p = bo->next;
			break;
		}
	drmCloseBufferHandle(dev->fd, bo->handle);
	pthread_mutex_unlock(&dev->bo_lock);
	ogpu_bo_unmap(bo);
	pthread_mutex_destroy(&bo->lock);
	free(bo);
}

OGPU_EXPORT uint64_t ogpu_bo_size(const struct ogpu_bo *bo)
{
	return bo->size;
}

OGPU_EXPORT uint32_t ogpu_bo_handle(const struct ogpu_bo *bo)
{
	return bo->handle;
}
