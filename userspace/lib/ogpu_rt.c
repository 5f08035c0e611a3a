// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The runtime: contexts, device memory with GPU addresses, synchronous
 * copies, streams, events and launches, over the library's devices, VMs,
 * buffers and queues. Device memory is VRAM that the CPU also maps, so
 * host-to-device and device-to-host copies are CPU copies after the
 * default stream is idle; device-to-device copies and fills run on the
 * default stream's queue.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ogpu_priv.h"
#include "ogpu_packets.h"

struct ogpu_alloc {
	uint64_t va;
	uint64_t size;
	struct ogpu_bo *bo;
	uint8_t *map;
};

struct ogpu_stream {
	struct ogpu_ctx *ctx;
	struct ogpu_queue *q;
};

struct ogpu_ctx {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_stream def;
	pthread_mutex_t lock;	/* protects allocs */
	struct ogpu_alloc *allocs;
	unsigned int nallocs;
	unsigned int cap;
};

struct ogpu_event {
	struct ogpu_ctx *ctx;
	struct ogpu_bo *bo;	/* the TIMESTAMP's 8 bytes */
	volatile uint64_t *time;
	uint64_t va;
	uint32_t syncobj;
	int recorded;
};

/*
 * Job timeout of the runtime's queues: the longest an unprivileged process
 * may ask for (the driver's max_user_timeout_ms), since one launch may be
 * a whole grid of long kernels.
 */
#define RT_TIMEOUT_MS 10000

/* A compute queue; with the driver's default timeout if it caps lower. */
static int rt_queue_create(struct ogpu_vm *vm, struct ogpu_queue **q)
{
	int ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE,
				    OGPU_PRIORITY_NORMAL, RT_TIMEOUT_MS, q);

	if (ret == -EACCES)
		ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE,
					OGPU_PRIORITY_NORMAL, 0, q);
	return ret;
}

OGPU_EXPORT int ogpu_ctx_create(unsigned int index, struct ogpu_ctx **out)
{
	struct ogpu_ctx *ctx;
	int ret;

	if (!out)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	pthread_mutex_init(&ctx->lock, NULL);
	ret = ogpu_device_open(index, &ctx->dev);
	if (ret)
		goto err_free;
	if (!ctx->dev->compute.max_block) {
		ret = -ENODEV;
		goto err_dev;
	}
	ret = ogpu_vm_create(ctx->dev, &ctx->vm);
	if (ret)
		goto err_dev;
	ctx->def.ctx = ctx;
	ret = rt_queue_create(ctx->vm, &ctx->def.q);
	if (ret)
		goto err_vm;
	*out = ctx;
	return 0;

err_vm:
	ogpu_vm_destroy(ctx->vm);
err_dev:
	ogpu_device_close(ctx->dev);
err_free:
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
	return ret;
}

OGPU_EXPORT void ogpu_ctx_destroy(struct ogpu_ctx *ctx)
{
	unsigned int i;

	if (!ctx)
		return;
	ogpu_queue_wait_idle(ctx->def.q);
	ogpu_queue_destroy(ctx->def.q);
	for (i = 0; i < ctx->nallocs; i++) {
		ogpu_vm_unbind(ctx->vm, ctx->allocs[i].va,
			       ogpu_bo_size(ctx->allocs[i].bo));
		ogpu_bo_free(ctx->allocs[i].bo);
	}
	free(ctx->allocs);
	ogpu_vm_destroy(ctx->vm);
	ogpu_device_close(ctx->dev);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

OGPU_EXPORT struct ogpu_vm *ogpu_ctx_vm(struct ogpu_ctx *ctx)
{
	return ctx->vm;
}

OGPU_EXPORT struct ogpu_device *ogpu_ctx_device(struct ogpu_ctx *ctx)
{
	return ctx->dev;
}

OGPU_EXPORT int ogpu_ctx_load_module(struct ogpu_ctx *ctx, const char *path,
				     struct ogpu_module **out)
{
	return ogpu_module_load_file(ctx->vm, path, out);
}

OGPU_EXPORT int ogpu_ctx_synchronize(struct ogpu_ctx *ctx)
{
	return ogpu_queue_wait_idle(ctx->def.q);
}

OGPU_EXPORT int ogpu_malloc(struct ogpu_ctx *ctx, uint64_t size,
			    uint64_t *dptr)
{
	struct ogpu_alloc a = { 0 };
	void *map;
	int ret;

	if (!ctx || !dptr || !size)
		return -EINVAL;
	ret = ogpu_bo_create(ctx->dev, size, OGPU_MEM_DEVICE, &a.bo);
	if (ret)
		return ret;
	ret = ogpu_bo_map(a.bo, &map);
	if (ret)
		goto err_bo;
	a.map = map;
	a.size = size;
	a.va = ogpu_vm_alloc_va(ctx->vm, ogpu_bo_size(a.bo));
	if (!a.va) {
		ret = -ENOSPC;
		goto err_bo;
	}
	ret = ogpu_vm_bind(ctx->vm, a.bo, 0, a.va, ogpu_bo_size(a.bo),
			   OGPU_ACCESS_RW);
	if (ret)
		goto err_bo;

	pthread_mutex_lock(&ctx->lock);
	if (ctx->nallocs == ctx->cap) {
		unsigned int cap = ctx->cap ? 2 * ctx->cap : 16;
		struct ogpu_alloc *n = realloc(ctx->allocs, cap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&ctx->lock);
			ret = -ENOMEM;
			goto err_unbind;
		}
		ctx->allocs = n;
		ctx->cap = cap;
	}
	ctx->allocs[ctx->nallocs++] = a;
	pthread_mutex_unlock(&ctx->lock);
	*dptr = a.va;
	return 0;

err_unbind:
	ogpu_vm_unbind(ctx->vm, a.va, ogpu_bo_size(a.bo));
err_bo:
	ogpu_bo_free(a.bo);
	return ret;
}

OGPU_EXPORT int ogpu_free(struct ogpu_ctx *ctx, uint64_t dptr)
{
	struct ogpu_alloc a;
	unsigned int i;

	pthread_mutex_lock(&ctx->lock);
	for (i = 0; i < ctx->nallocs; i++)
		if (ctx->allocs[i].va == dptr)
			break;
	if (i == ctx->nallocs) {
		pthread_mutex_unlock(&ctx->lock);
		return -ENOENT;
	}
	a = ctx->allocs[i];
	ctx->allocs[i] = ctx->allocs[--ctx->nallocs];
	pthread_mutex_unlock(&ctx->lock);
	/* Work still queued on the default stream may use it. */
	ogpu_queue_wait_idle(ctx->def.q);
	ogpu_vm_unbind(ctx->vm, a.va, ogpu_bo_size(a.bo));
	ogpu_bo_free(a.bo);
	return 0;
}

/* The CPU view of [va, va + size), inside one allocation; NULL if not. */
static uint8_t *host_view(struct ogpu_ctx *ctx, uint64_t va, uint64_t size)
{
	uint8_t *p = NULL;
	unsigned int i;

	pthread_mutex_lock(&ctx->lock);
	for (i = 0; i < ctx->nallocs; i++) {
		const struct ogpu_alloc *a = &ctx->allocs[i];

		if (va >= a->va && va - a->va <= a->size &&
		    size <= a->size - (va - a->va)) {
			p = a->map + (va - a->va);
			break;
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	return p;
}

OGPU_EXPORT int ogpu_memcpy_htod(struct ogpu_ctx *ctx, uint64_t dst,
				 const void *src, uint64_t size)
{
	uint8_t *p = host_view(ctx, dst, size);
	int ret;

	if (!p || (size && !src))
		return -EFAULT;
	ret = ogpu_queue_wait_idle(ctx->def.q);
	if (ret)
		return ret;
	memcpy(p, src, size);
	return 0;
}

OGPU_EXPORT int ogpu_memcpy_dtoh(struct ogpu_ctx *ctx, void *dst,
				 uint64_t src, uint64_t size)
{
	uint8_t *p = host_view(ctx, src, size);
	int ret;

	if (!p || (size && !dst))
		return -EFAULT;
	ret = ogpu_queue_wait_idle(ctx->def.q);
	if (ret)
		return ret;
	memcpy(dst, p, size);
	return 0;
}

OGPU_EXPORT int ogpu_memcpy_dtod(struct ogpu_ctx *ctx, uint64_t dst,
				 uint64_t src, uint64_t size)
{
	uint32_t w[OGPU_PKT_COPY_NDW];
	unsigned int n = ogpu_pkt_copy(w, dst, src, size);
	int ret;

	if (!host_view(ctx, dst, size) || !host_view(ctx, src, size))
		return -EFAULT;
	if (!size)
		return 0;
	ret = ogpu_arena_submit(ctx->def.q, w, n, 0, NULL, 0, NULL, 0, NULL,
				0);
	return ret ? ret : ogpu_queue_wait_idle(ctx->def.q);
}

OGPU_EXPORT int ogpu_memset_d32(struct ogpu_ctx *ctx, uint64_t dst,
				uint32_t value, uint64_t count)
{
	uint64_t size = count * 4;
	uint32_t w[OGPU_PKT_FILL_NDW];
	unsigned int n = ogpu_pkt_fill(w, dst, size, value);
	int ret;

	if (count > UINT64_MAX / 4 || !host_view(ctx, dst, size))
		return -EFAULT;
	if (!count)
		return 0;
	ret = ogpu_arena_submit(ctx->def.q, w, n, 0, NULL, 0, NULL, 0, NULL,
				0);
	return ret ? ret : ogpu_queue_wait_idle(ctx->def.q);
}

OGPU_EXPORT int ogpu_stream_create(struct ogpu_ctx *ctx,
				   struct ogpu_stream **out)
{
	struct ogpu_stream *s;
	int ret;

	if (!ctx || !out)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ctx = ctx;
	ret = rt_queue_create(ctx->vm, &s->q);
	if (ret) {
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

OGPU_EXPORT void ogpu_stream_destroy(struct ogpu_stream *s)
{
	if (!s || s == &s->ctx->def)
		return;
	ogpu_queue_wait_idle(s->q);
	ogpu_queue_destroy(s->q);
	free(s);
}

OGPU_EXPORT int ogpu_stream_synchronize(struct ogpu_stream *s)
{
	return ogpu_queue_wait_idle(s->q);
}

OGPU_EXPORT struct ogpu_queue *ogpu_stream_queue(struct ogpu_stream *s)
{
	return s->q;
}

OGPU_EXPORT int ogpu_launch(struct ogpu_ctx *ctx, struct ogpu_stream *s,
			    const struct ogpu_kernel *k,
			    struct ogpu_dim3 grid, struct ogpu_dim3 block,
			    uint32_t shared_bytes, const void *args,
			    uint32_t args_size)
{
	struct ogpu_launch l = { grid, block, shared_bytes };

	if (!ctx)
		return -EINVAL;
	return ogpu_launch_kernel(s ? s->q : ctx->def.q, k, &l, args,
				  args_size, NULL, 0, NULL, 0);
}

OGPU_EXPORT int ogpu_event_create(struct ogpu_ctx *ctx,
				  struct ogpu_event **out)
{
	struct ogpu_event *e;
	void *map;
	int ret;

	if (!ctx || !out)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->ctx = ctx;
	ret = ogpu_syncobj_create(ctx->dev, &e->syncobj);
	if (ret)
		goto err_free;
	ret = ogpu_bo_create(ctx->dev, 4096, OGPU_MEM_HOST, &e->bo);
	if (ret)
		goto err_sync;
	ret = ogpu_bo_map(e->bo, &map);
	if (ret)
		goto err_bo;
	e->time = map;
	e->va = ogpu_vm_alloc_va(ctx->vm, 4096);
	ret = e->va ? ogpu_vm_bind(ctx->vm, e->bo, 0, e->va, 4096,
				   OGPU_ACCESS_RW) : -ENOSPC;
	if (ret)
		goto err_bo;
	*out = e;
	return 0;

err_bo:
	ogpu_bo_free(e->bo);
err_sync:
	ogpu_syncobj_destroy(ctx->dev, e->syncobj);
err_free:
	free(e);
	return ret;
}

OGPU_EXPORT void ogpu_event_destroy(struct ogpu_event *e)
{
	if (!e)
		return;
	if (e->recorded)
		ogpu_event_synchronize(e);
	ogpu_vm_unbind(e->ctx->vm, e->va, 4096);
	ogpu_bo_free(e->bo);
	ogpu_syncobj_destroy(e->ctx->dev, e->syncobj);
	free(e);
}

OGPU_EXPORT int ogpu_event_record(struct ogpu_event *e, struct ogpu_stream *s)
{
	uint32_t w[OGPU_PKT_TIMESTAMP_NDW];
	unsigned int n = ogpu_pkt_timestamp(w, e->va);
	struct ogpu_sync out = { .syncobj = e->syncobj };
	int ret;

	ret = ogpu_arena_submit(s ? s->q : e->ctx->def.q, w, n, 0, NULL, 0,
				NULL, 0, &out, 1);
	if (!ret)
		e->recorded = 1;
	return ret;
}

OGPU_EXPORT int ogpu_event_synchronize(struct ogpu_event *e)
{
	struct ogpu_sync s = { .syncobj = e->syncobj };
	int ret;

	if (!e->recorded)
		return -EINVAL;
	ret = ogpu_syncobj_wait(e->ctx->dev, &s, 1, INT64_MAX);
	return ret ? ret : ogpu_syncobj_error(e->ctx->dev, e->syncobj);
}

OGPU_EXPORT int ogpu_event_elapsed_ms(struct ogpu_event *start,
				      struct ogpu_event *end, float *ms)
{
	int ret;

	if (!start || !end || !ms || !start->recorded || !end->recorded)
		return -EINVAL;
	ret = ogpu_event_synchronize(start);
	if (!ret)
		ret = ogpu_event_synchronize(end);
	if (ret)
		return ret;
	*ms = (float)((int64_t)(*end->time - *start->time) / 1e6);
	return 0;
}
