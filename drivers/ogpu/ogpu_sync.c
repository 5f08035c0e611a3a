// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: in- and out-syncs
 *
 * SUBMIT and VM_BIND take the same arrays of &struct drm_ogpu_sync. Both
 * arrays are copied and checked, the out-syncs' syncobjs are looked up and
 * a chain node is allocated for each timeline point before anything
 * changes, so that publishing the fence afterwards cannot fail.
 */

#include <linux/dma-fence-chain.h>
#include <linux/slab.h>

#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_sync.h"
#include "drm/ogpu_drm.h"

static int ogpu_check_syncs(struct ogpu_device *odev,
			    const struct drm_ogpu_sync *syncs, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (OGPU_CHECK(odev, syncs[i].flags & ~DRM_OGPU_SYNC_TIMELINE) ||
		    OGPU_CHECK(odev, !(syncs[i].flags & DRM_OGPU_SYNC_TIMELINE) &&
			       syncs[i].point))
			return -EINVAL;
	return 0;
}

/**
 * ogpu_syncs_get() - copy, check and look up an ioctl's syncs
 * @odev: the device
 * @file: the DRM file whose syncobjs these are
 * @in: the in-syncs array
 * @out: the out-syncs array
 * @s: filled in; release with ogpu_syncs_put() whatever the result
 *
 * Return: 0; -EINVAL for malformed syncs or too many; -ENOENT for an
 * unknown out-sync syncobj; -EFAULT; -ENOMEM.
 */
int ogpu_syncs_get(struct ogpu_device *odev, struct drm_file *file,
		   const struct drm_ogpu_obj_array *in,
		   const struct drm_ogpu_obj_array *out, struct ogpu_syncs *s)
{
	u32 i;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = ogpu_copy_obj_array(odev, in, OGPU_MAX_SYNCS, sizeof(*s->ins),
				  (void **)&s->ins);
	if (ret)
		return ret;
	s->n_in = in->count;
	ret = ogpu_copy_obj_array(odev, out, OGPU_MAX_SYNCS, sizeof(*s->outs),
				  (void **)&s->outs);
	if (ret)
		return ret;
	s->n_out = out->count;
	ret = ogpu_check_syncs(odev, s->ins, s->n_in);
	if (!ret)
		ret = ogpu_check_syncs(odev, s->outs, s->n_out);
	if (ret || !s->n_out)
		return ret;

	s->out_objs = kcalloc(s->n_out, sizeof(*s->out_objs), GFP_KERNEL);
	s->chains = kcalloc(s->n_out, sizeof(*s->chains), GFP_KERNEL);
	if (!s->out_objs || !s->chains)
		return -ENOMEM;
	for (i = 0; i < s->n_out; i++) {
		s->out_objs[i] = drm_syncobj_find(file, s->outs[i].handle);
		if (!s->out_objs[i])
			return -ENOENT;
		if (s->outs[i].flags & DRM_OGPU_SYNC_TIMELINE) {
			s->chains[i] = dma_fence_chain_alloc();
			if (!s->chains[i])
				return -ENOMEM;
		}
	}
	return 0;
}

/**
 * ogpu_syncs_add_deps() - make a job wait for the in-syncs
 * @s: the syncs
 * @job: the job, initialised and not armed
 * @file: the DRM file
 *
 * Return: 0; -ENOENT for an unknown syncobj; -EINVAL for one with no
 * fence (or timeline point) submitted yet; -ENOMEM.
 */
int ogpu_syncs_add_deps(struct ogpu_syncs *s, struct drm_sched_job *job,
			struct drm_file *file)
{
	u32 i;
	int ret;

	for (i = 0; i < s->n_in; i++) {
		ret = drm_sched_job_add_syncobj_dependency(job, file,
							   s->ins[i].handle,
							   s->ins[i].point);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * ogpu_syncs_signal() - hand @fence to every out-sync
 * @s: the syncs; their chain nodes are used up
 * @fence: the fence of the work
 *
 * Cannot fail: everything was looked up and allocated beforehand.
 */
void ogpu_syncs_signal(struct ogpu_syncs *s, struct dma_fence *fence)
{
	u32 i;

	for (i = 0; i < s->n_out; i++) {
		if (s->chains[i])
			drm_syncobj_add_point(s->out_objs[i], s->chains[i],
					      fence, s->outs[i].point);
		else
			drm_syncobj_replace_fence(s->out_objs[i], fence);
		s->chains[i] = NULL;
	}
}

/**
 * ogpu_syncs_put() - release what ogpu_syncs_get() took
 * @s: the syncs
 */
void ogpu_syncs_put(struct ogpu_syncs *s)
{
	u32 i;

	for (i = 0; i < s->n_out && s->out_objs; i++) {
		if (s->out_objs[i])
			drm_syncobj_put(s->out_objs[i]);
		if (s->chains)
			dma_fence_chain_free(s->chains[i]);
	}
	kfree(s->chains);
	kfree(s->out_objs);
	kvfree(s->ins);
	kvfree(s->outs);
	memset(s, 0, sizeof(*s));
}
