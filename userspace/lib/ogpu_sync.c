// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Syncobjs, their errors through sync files, and the clock they use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "ogpu_priv.h"

void ogpu_to_drm_syncs(struct drm_ogpu_sync *d, const struct ogpu_sync *s,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		d[i] = (struct drm_ogpu_sync){
			.handle = s[i].syncobj,
			.flags = s[i].point ? DRM_OGPU_SYNC_TIMELINE : 0,
			.point = s[i].point,
		};
}

OGPU_EXPORT int ogpu_syncobj_create(struct ogpu_device *dev, uint32_t *syncobj)
{
	return drmSyncobjCreate(dev->fd, 0, syncobj) ? -errno : 0;
}

OGPU_EXPORT void ogpu_syncobj_destroy(struct ogpu_device *dev,
				      uint32_t syncobj)
{
	drmSyncobjDestroy(dev->fd, syncobj);
}

OGPU_EXPORT int64_t ogpu_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

OGPU_EXPORT int ogpu_syncobj_wait(struct ogpu_device *dev,
				  const struct ogpu_sync *syncs,
				  unsigned int n, int64_t abs_timeout_ns)
{
	uint32_t handles[64];
	uint64_t points[64];
	unsigned int i;
	int ret;

	if (!n || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		handles[i] = syncs[i].syncobj;
		points[i] = syncs[i].point;
	}
	/* Timeline waits work on binary syncobjs too, at point 0. */
	ret = drmSyncobjTimelineWait(dev->fd, handles, points, n,
				     abs_timeout_ns,
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
				     NULL);
	return ret ? -errno : 0;
}

/* A sync file's fence: 0 done, its error, or -EBUSY if still running. */
static int ogpu_sync_file_status(int fd)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	if (info.status < 0)
		return info.status;
	return info.status == 1 ? 0 : -EBUSY;
}

OGPU_EXPORT int ogpu_syncobj_error(struct ogpu_device *dev, uint32_t syncobj)
{
	int fd, ret;

	/* A sync file's status is the fence's: 1 ok, < 0 its error. */
	if (drmSyncobjExportSyncFile(dev->fd, syncobj, &fd))
		return -errno;
	ret = ogpu_sync_file_status(fd);
	close(fd);
	return ret;
}
