/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_DRV_H__
#define __OGPU_DRV_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct drm_ogpu_obj_array;
struct ogpu_device;

int ogpu_copy_obj_array(struct ogpu_device *odev,
			const struct drm_ogpu_obj_array *arr, u32 max,
			size_t size, void **out);

int ogpu_ioctl_dev_query(struct drm_device *dev, void *data,
			 struct drm_file *file);

void ogpu_debugfs_init(struct ogpu_device *odev);

#endif /* __OGPU_DRV_H__ */
