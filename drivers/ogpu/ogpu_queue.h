/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_QUEUE_H__
#define __OGPU_QUEUE_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct ogpu_device;

void ogpu_queue_file_close(struct drm_file *file);

int ogpu_ioctl_queue_create(struct drm_device *dev, void *data,
			    struct drm_file *file);
int ogpu_ioctl_queue_destroy(struct drm_device *dev, void *data,
			     struct drm_file *file);
int ogpu_ioctl_queue_get_state(struct drm_device *dev, void *data,
			       struct drm_file *file);
int ogpu_ioctl_submit(struct drm_device *dev, void *data,
		      struct drm_file *file);

#endif /* __OGPU_QUEUE_H__ */
