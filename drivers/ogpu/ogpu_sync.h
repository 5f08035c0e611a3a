/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_SYNC_H__
#define __OGPU_SYNC_H__

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_ogpu_obj_array;
struct drm_ogpu_sync;
struct drm_sched_job;
struct drm_syncobj;
struct ogpu_device;

/* Most in-syncs, and most out-syncs, of one ioctl. */
#define OGPU_MAX_SYNCS	64

/**
 * struct ogpu_syncs - the in- and out-syncs of one submission or bind
 * @ins: the in-syncs, copied and checked
 * @outs: the out-syncs, copied and checked
 * @n_in: how many in-syncs
 * @n_out: how many out-syncs
 * @out_objs: the out-syncs' syncobjs, referenced
 * @chains: a preallocated chain node for each timeline out-sync
 */
struct ogpu_syncs {
	struct drm_ogpu_sync *ins;
	struct drm_ogpu_sync *outs;
	u32 n_in;
	u32 n_out;
	struct drm_syncobj **out_objs;
	struct dma_fence_chain **chains;
};

int ogpu_syncs_get(struct ogpu_device *odev, struct drm_file *file,
		   const struct drm_ogpu_obj_array *in,
		   const struct drm_ogpu_obj_array *out, struct ogpu_syncs *s);
int ogpu_syncs_add_deps(struct ogpu_syncs *s, struct drm_sched_job *job,
			struct drm_file *file);
void ogpu_syncs_signal(struct ogpu_syncs *s, struct dma_fence *fence);
void ogpu_syncs_put(struct ogpu_syncs *s);

#endif /* __OGPU_SYNC_H__ */
