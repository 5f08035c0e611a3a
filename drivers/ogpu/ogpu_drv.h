/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_DRV_H__
#define __OGPU_DRV_H__

struct drm_device;
struct drm_file;
struct ogpu_device;

int ogpu_ioctl_dev_query(struct drm_device *dev, void *data,
			 struct drm_file *file);

void ogpu_debugfs_init(struct ogpu_device *odev);

#endif /* __OGPU_DRV_H__ */
