// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Queues and submission.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "ogpu_priv.h"

OGPU_EXPORT int ogpu_queue_create(struct ogpu_vm *vm,
				  enum ogpu_engine_class engine,
				  enum ogpu_priority priority,
				  unsigned int timeout_ms,
				  struct ogpu_queue **out)
{
	struct drm_ogpu_queue_create args = {
		.vm_id = vm->id,
		.engine_class = engine,
		.priority = priority,
		.timeout_ms = timeout_ms,
	};
	struct ogpu_queue *q;
	int ret;

	if (!out)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	ret = ogpu_ioctl(vm->dev->fd, DRM_IOCTL_OGPU_QUEUE_CREATE, &args);
	if (ret) {
		free(q);
		return ret;
	}
	q->vm = vm;
	q->id = args.queue_id;
	pthread_mutex_init(&q->lock, NULL);
	*out = q;
	return 0;
}

OGPU_EXPORT void ogpu_queue_destroy(struct ogpu_queue *q)
{
	struct drm_ogpu_queue_destroy args;

	if (!q)
		return;
	args = (struct drm_ogpu_queue_destroy){ .queue_id = q->id };
	ogpu_ioctl(q->vm->dev->fd, DRM_IOCTL_OGPU_QUEUE_DESTROY, &args);
	ogpu_queue_arena_fini(q);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

OGPU_EXPORT int ogpu_queue_get_error(struct ogpu_queue *q,
				     struct ogpu_queue_error *err)
{
	struct drm_ogpu_queue_get_state args = { .queue_id = q->id };
	int ret;

	ret = ogpu_ioctl(q->vm->dev->fd, DRM_IOCTL_OGPU_QUEUE_GET_STATE, &args);
	if (ret)
		return ret;
	err->error = args.error;
	err->fault_addr = args.fault_addr;
	err->fault_access = args.fault_access;
	err->fault_reason = args.fault_reason;
	err->fault_port = args.fault_port;
	err->cu_error = args.cu_error;
	err->cu = args.cu_where >> 16;
	err->warp = (args.cu_where >> 8) & 0xff;
	err->lane = args.cu_where & 0xff;
	err->cu_pc = args.cu_pc;
	err->cu_tval = args.cu_tval;
	return 0;
}

OGPU_EXPORT int ogpu_submit(struct ogpu_queue *q,
			    struct ogpu_cmdbuf *const *cbs, unsigned int n,
			    const struct ogpu_sync *in, unsigned int n_in,
			    const struct ogpu_sync *out, unsigned int n_out)
{
	struct drm_ogpu_cmdbuf cmd[64];
	struct drm_ogpu_sync ins[64], outs[64];
	struct drm_ogpu_submit args = { .queue_id = q->id };
	unsigned int i;

	if (!n || n > 64 || n_in > 64 || n_out > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!cbs[i]->len_dw)
			return -EINVAL;
		cmd[i] = (struct drm_ogpu_cmdbuf){
			.va = cbs[i]->va,
			.size_dw = cbs[i]->len_dw,
		};
	}
	ogpu_to_drm_syncs(ins, in, n_in);
	ogpu_to_drm_syncs(outs, out, n_out);
	args.cmdbufs = (struct drm_ogpu_obj_array){
		sizeof(cmd[0]), n, (uintptr_t)cmd };
	args.in_syncs = (struct drm_ogpu_obj_array){
		sizeof(ins[0]), n_in, (uintptr_t)ins };
	args.out_syncs = (struct drm_ogpu_obj_array){
		sizeof(outs[0]), n_out, (uintptr_t)outs };
	return ogpu_ioctl(q->vm->dev->fd, DRM_IOCTL_OGPU_SUBMIT, &args);
}
