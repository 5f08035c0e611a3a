// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Queues, command buffers, submission and syncobjs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "ogpu_priv.h"

/* The packet encodings are the hardware's: take them from its header. */
#include "ogpu_packets.h"

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
	err->cu_error = args.cu_error;
	err->cu = args.cu_where >> 16;
	err->warp = (args.cu_where >> 8) & 0xff;
	err->lane = args.cu_where & 0xff;
	err->cu_pc = args.cu_pc;
	err->cu_tval = args.cu_tval;
	return 0;
}

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

OGPU_EXPORT int ogpu_cmdbuf_create(struct ogpu_vm *vm, uint64_t size,
				   struct ogpu_cmdbuf **out)
{
	struct ogpu_cmdbuf *cb;
	void *map;
	int ret;

	if (!out || !size || size > (4ull << 20))
		return -EINVAL;
	size = (size + 4095) & ~4095ull;
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return -ENOMEM;
	cb->vm = vm;
	ret = ogpu_bo_create(vm->dev, size, OGPU_MEM_HOST, &cb->bo);
	if (ret)
		goto err_free;
	ret = ogpu_bo_map(cb->bo, &map);
	if (ret)
		goto err_bo;
	cb->va = ogpu_vm_alloc_va(vm, size);
	if (!cb->va) {
		ret = -ENOSPC;
		goto err_bo;
	}
	ret = ogpu_vm_bind(vm, cb->bo, 0, cb->va, size,
			   OGPU_ACCESS_READ | OGPU_ACCESS_EXEC);
	if (ret)
		goto err_bo;
	cb->words = map;
	cb->cap_dw = size / 4;
	*out = cb;
	return 0;

err_bo:
	ogpu_bo_free(cb->bo);
err_free:
	free(cb);
	return ret;
}

OGPU_EXPORT void ogpu_cmdbuf_destroy(struct ogpu_cmdbuf *cb)
{
	if (!cb)
		return;
	ogpu_vm_unbind(cb->vm, cb->va, ogpu_bo_size(cb->bo));
	ogpu_bo_free(cb->bo);
	free(cb);
}

OGPU_EXPORT void ogpu_cmdbuf_reset(struct ogpu_cmdbuf *cb)
{
	cb->len_dw = 0;
}

static int emit(struct ogpu_cmdbuf *cb, const uint32_t *w, uint32_t n)
{
	if (n > cb->cap_dw - cb->len_dw)
		return -ENOSPC;
	memcpy(cb->words + cb->len_dw, w, n * 4);
	cb->len_dw += n;
	return 0;
}

OGPU_EXPORT int ogpu_cmd_nop(struct ogpu_cmdbuf *cb)
{
	uint32_t w[OGPU_PKT_NOP_NDW];

	return emit(cb, w, ogpu_pkt_nop(w));
}

OGPU_EXPORT int ogpu_cmd_write32(struct ogpu_cmdbuf *cb, uint64_t va,
				 uint32_t value)
{
	uint32_t w[OGPU_PKT_WRITE_DATA32_NDW];

	return emit(cb, w, ogpu_pkt_write_data32(w, va, value));
}

OGPU_EXPORT int ogpu_cmd_write64(struct ogpu_cmdbuf *cb, uint64_t va,
				 uint64_t value)
{
	uint32_t w[OGPU_PKT_WRITE_DATA64_NDW];

	return emit(cb, w, ogpu_pkt_write_data64(w, va, value));
}

OGPU_EXPORT int ogpu_cmd_copy(struct ogpu_cmdbuf *cb, uint64_t dst,
			      uint64_t src, uint64_t size)
{
	uint32_t w[OGPU_PKT_COPY_NDW];

	return emit(cb, w, ogpu_pkt_copy(w, dst, src, size));
}

OGPU_EXPORT int ogpu_cmd_fill(struct ogpu_cmdbuf *cb, uint64_t dst,
			      uint64_t size, uint32_t value)
{
	uint32_t w[OGPU_PKT_FILL_NDW];

	return emit(cb, w, ogpu_pkt_fill(w, dst, size, value));
}

OGPU_EXPORT int ogpu_cmd_sem_wait(struct ogpu_cmdbuf *cb, uint64_t va,
				  uint64_t value)
{
	uint32_t w[OGPU_PKT_SEM_WAIT_NDW];

	return emit(cb, w, ogpu_pkt_sem_wait(w, va, value));
}

OGPU_EXPORT int ogpu_cmd_sem_signal(struct ogpu_cmdbuf *cb, uint64_t va,
				    uint64_t value)
{
	uint32_t w[OGPU_PKT_SEM_SIGNAL_NDW];

	return emit(cb, w, ogpu_pkt_sem_signal(w, va, value));
}

OGPU_EXPORT int ogpu_cmd_timestamp(struct ogpu_cmdbuf *cb, uint64_t va)
{
	uint32_t w[OGPU_PKT_TIMESTAMP_NDW];

	return emit(cb, w, ogpu_pkt_timestamp(w, va));
}

OGPU_EXPORT int ogpu_cmd_raw(struct ogpu_cmdbuf *cb, const uint32_t *words,
			     unsigned int n)
{
	return emit(cb, words, n);
}

/* One command, submitted and waited for; returns how it ended. */
static int run_one(struct ogpu_queue *q, struct ogpu_cmdbuf *cb)
{
	struct ogpu_device *dev = q->vm->dev;
	struct ogpu_sync done;
	int ret;

	ret = ogpu_syncobj_create(dev, &done.syncobj);
	if (ret)
		return ret;
	done.point = 0;
	ret = ogpu_submit(q, &cb, 1, NULL, 0, &done, 1);
	if (!ret)
		ret = ogpu_syncobj_wait(dev, &done, 1, INT64_MAX);
	if (!ret)
		ret = ogpu_syncobj_error(dev, done.syncobj);
	ogpu_syncobj_destroy(dev, done.syncobj);
	return ret;
}

/* A one-packet command buffer, run and waited for. */
static int run_packet(struct ogpu_queue *q, const uint32_t *w, unsigned int n)
{
	struct ogpu_cmdbuf *cb;
	int ret;

	ret = ogpu_cmdbuf_create(q->vm, 4096, &cb);
	if (ret)
		return ret;
	ret = emit(cb, w, n);
	if (!ret)
		ret = run_one(q, cb);
	ogpu_cmdbuf_destroy(cb);
	return ret;
}

OGPU_EXPORT int ogpu_copy(struct ogpu_queue *q, uint64_t dst, uint64_t src,
			  uint64_t size)
{
	uint32_t w[OGPU_PKT_COPY_NDW];

	return run_packet(q, w, ogpu_pkt_copy(w, dst, src, size));
}

OGPU_EXPORT int ogpu_fill(struct ogpu_queue *q, uint64_t dst, uint64_t size,
			  uint32_t value)
{
	uint32_t w[OGPU_PKT_FILL_NDW];

	if (size & 3)
		return -EINVAL;
	return run_packet(q, w, ogpu_pkt_fill(w, dst, size, value));
}
