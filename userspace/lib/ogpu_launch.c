// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Kernel launches: the DISPATCH packet, and launches that the library
 * builds in a queue's arena (see ogpu_priv.h) so that the caller has
 * nothing to keep alive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "ogpu_priv.h"
#include "ogpu_packets.h"


OGPU_EXPORT const char *ogpu_kernel_error_str(unsigned int cu_error)
{
	static const char *const names[] = {
		[0] = "none",
		[OGPU_KERNEL_ERR_FAULT] = "page fault",
		[OGPU_KERNEL_ERR_ILLEGAL] = "illegal instruction",
		[OGPU_KERNEL_ERR_MISALIGNED] = "misaligned access",
		[OGPU_KERNEL_ERR_EBREAK] = "ebreak",
		[OGPU_KERNEL_ERR_ECALL] = "ecall",
		[OGPU_KERNEL_ERR_BARRIER] = "barrier reached by part of a block",
		[OGPU_KERNEL_ERR_WINDOW] = "access outside shared or private memory",
	};

	if (cu_error < sizeof(names) / sizeof(names[0]))
		return names[cu_error];
	return "unknown kernel error";
}

/* Check @l against the device's limits; build the packet in @w. */
static int dispatch_words(const struct ogpu_kernel *k, uint64_t args_va,
			  uint32_t args_size, const struct ogpu_launch *l,
			  uint32_t w[OGPU_PKT_DISPATCH_NDW])
{
	const struct ogpu_compute_props *cp = &ogpu_kernel_device(k)->compute;
	uint32_t grid[3], block[3];
	uint64_t threads;

	if (!l || !cp->max_block)
		return l ? -ENODEV : -EINVAL;
	if (!l->grid.x || !l->grid.y || !l->grid.z ||
	    !l->block.x || !l->block.y || !l->block.z)
		return -EINVAL;
	if (l->grid.x > 65535 || l->grid.y > 65535 || l->grid.z > 65535)
		return -EINVAL;
	threads = (uint64_t)l->block.x * l->block.y * l->block.z;
	if (threads > cp->max_block || l->shared_bytes > cp->shared_max)
		return -EINVAL;
	if (args_va & 7)
		return -EINVAL;

	grid[0] = l->grid.x;
	grid[1] = l->grid.y;
	grid[2] = l->grid.z;
	block[0] = l->block.x;
	block[1] = l->block.y;
	block[2] = l->block.z;
	ogpu_pkt_dispatch(w, ogpu_kernel_va(k), args_va, args_size, grid,
			  block, l->shared_bytes);
	return 0;
}

OGPU_EXPORT int ogpu_cmd_dispatch(struct ogpu_cmdbuf *cb,
				  const struct ogpu_kernel *k,
				  uint64_t args_va, uint32_t args_size,
				  const struct ogpu_launch *l)
{
	uint32_t w[OGPU_PKT_DISPATCH_NDW];
	int ret;

	if (!cb || !k)
		return -EINVAL;
	ret = dispatch_words(k, args_va, args_size, l, w);
	if (ret)
		return ret;
	return ogpu_cmd_raw(cb, w, OGPU_PKT_DISPATCH_NDW);
}

/* Make the queue's arena on its first launch. */
static int arena_init_locked(struct ogpu_queue *q)
{
	uint64_t size = (uint64_t)OGPU_ARENA_SLOTS * OGPU_ARENA_SLOT;
	struct ogpu_device *dev = q->vm->dev;
	unsigned int i;
	void *map;
	int ret;

	if (q->arena)
		return 0;
	for (i = 0; i < OGPU_ARENA_SLOTS; i++) {
		if (drmSyncobjCreate(dev->fd, 0, &q->done[i])) {
			ret = -errno;
			goto err_sync;
		}
	}
	ret = ogpu_bo_create(dev, size, OGPU_MEM_HOST, &q->arena);
	if (ret)
		goto err_sync;
	ret = ogpu_bo_map(q->arena, &map);
	if (ret)
		goto err_bo;
	q->arena_va = ogpu_vm_alloc_va(q->vm, size);
	if (!q->arena_va) {
		ret = -ENOSPC;
		goto err_bo;
	}
	/* Command buffers need exec; the arguments are read. */
	ret = ogpu_vm_bind(q->vm, q->arena, 0, q->arena_va, size,
			   OGPU_ACCESS_READ | OGPU_ACCESS_EXEC);
	if (ret)
		goto err_bo;
	q->arena_map = map;
	return 0;

err_bo:
	ogpu_bo_free(q->arena);
	q->arena = NULL;
err_sync:
	while (i--)
		drmSyncobjDestroy(dev->fd, q->done[i]);
	return ret;
}

static uint32_t slot_sync(struct ogpu_queue *q, uint64_t launch)
{
	return q->done[(launch - 1) % OGPU_ARENA_SLOTS];
}

/*
 * Wait for launch @upto to end and fold the status of every launch up to
 * it into q->error, which keeps the first failure.
 */
static int arena_retire_locked(struct ogpu_queue *q, uint64_t upto)
{
	struct ogpu_sync s = { .syncobj = slot_sync(q, upto) };
	int ret;

	if (upto <= q->checked)
		return 0;
	ret = ogpu_syncobj_wait(q->vm->dev, &s, 1, INT64_MAX);
	if (ret)
		return ret;
	for (; q->checked < upto; q->checked++) {
		ret = ogpu_syncobj_error(q->vm->dev, slot_sync(q, q->checked + 1));
		if (ret && !q->error)
			q->error = ret;
	}
	return 0;
}

void ogpu_queue_arena_fini(struct ogpu_queue *q)
{
	unsigned int i;

	if (!q->arena)
		return;
	/* The queue is destroyed: its work is done or cancelled. */
	ogpu_vm_unbind(q->vm, q->arena_va,
		       (uint64_t)OGPU_ARENA_SLOTS * OGPU_ARENA_SLOT);
	ogpu_bo_free(q->arena);
	for (i = 0; i < OGPU_ARENA_SLOTS; i++)
		drmSyncobjDestroy(q->vm->dev->fd, q->done[i]);
	q->arena = NULL;
}

/*
 * Submit the @n packet words @w from a slot of @q's arena, with @args
 * copied behind them; when @args_word is non-zero, the arguments' VA is
 * written into @w[@args_word] and the word after it first. Signals @out
 * and the slot's syncobj.
 */
int ogpu_arena_submit(struct ogpu_queue *q, uint32_t *w, unsigned int n,
		      unsigned int args_word, const void *args,
		      uint32_t args_size, const struct ogpu_sync *in,
		      unsigned int n_in, const struct ogpu_sync *out,
		      unsigned int n_out)
{
	struct drm_ogpu_sync ins[64], outs[65];
	struct drm_ogpu_submit sub = { 0 };
	struct drm_ogpu_cmdbuf cmd;
	uint64_t slot_va, launch;
	uint8_t *slot;
	int ret;

	if (n * 4 > OGPU_ARENA_CMD || args_size > OGPU_LAUNCH_ARGS_MAX ||
	    (args_size && !args) || n_in > 64 || n_out > 64)
		return -EINVAL;

	pthread_mutex_lock(&q->lock);
	ret = arena_init_locked(q);
	if (ret)
		goto out;
	launch = q->launches + 1;
	if (launch > OGPU_ARENA_SLOTS) {
		ret = arena_retire_locked(q, launch - OGPU_ARENA_SLOTS);
		if (ret)
			goto out;
	}
	slot = q->arena_map + ((launch - 1) % OGPU_ARENA_SLOTS) *
	       OGPU_ARENA_SLOT;
	slot_va = q->arena_va + ((launch - 1) % OGPU_ARENA_SLOTS) *
		  OGPU_ARENA_SLOT;
	if (args_word) {
		w[args_word] = (uint32_t)(slot_va + OGPU_ARENA_CMD);
		w[args_word + 1] = (uint32_t)((slot_va + OGPU_ARENA_CMD) >> 32);
	}
	if (args_size)
		memcpy(slot + OGPU_ARENA_CMD, args, args_size);
	memcpy(slot, w, n * 4);

	cmd = (struct drm_ogpu_cmdbuf){ .va = slot_va, .size_dw = n };
	ogpu_to_drm_syncs(ins, in, n_in);
	ogpu_to_drm_syncs(outs, out, n_out);
	outs[n_out] = (struct drm_ogpu_sync){ .handle = slot_sync(q, launch) };
	sub.queue_id = q->id;
	sub.cmdbufs = (struct drm_ogpu_obj_array){ sizeof(cmd), 1,
						   (uintptr_t)&cmd };
	sub.in_syncs = (struct drm_ogpu_obj_array){ sizeof(ins[0]), n_in,
						    (uintptr_t)ins };
	sub.out_syncs = (struct drm_ogpu_obj_array){ sizeof(outs[0]),
						     n_out + 1,
						     (uintptr_t)outs };
	ret = ogpu_ioctl(q->vm->dev->fd, DRM_IOCTL_OGPU_SUBMIT, &sub);
	if (!ret)
		q->launches = launch;
out:
	pthread_mutex_unlock(&q->lock);
	return ret;
}

OGPU_EXPORT int ogpu_launch_kernel(struct ogpu_queue *q,
				   const struct ogpu_kernel *k,
				   const struct ogpu_launch *l,
				   const void *args, uint32_t args_size,
				   const struct ogpu_sync *in, unsigned int n_in,
				   const struct ogpu_sync *out,
				   unsigned int n_out)
{
	uint32_t w[OGPU_PKT_DISPATCH_NDW];
	int ret;

	if (!q || !k || ogpu_kernel_vm(k) != q->vm)
		return -EINVAL;
	/* The arguments' VA (word 3) is the slot's: any aligned one checks. */
	ret = dispatch_words(k, 0, args_size, l, w);
	if (ret)
		return ret;
	return ogpu_arena_submit(q, w, OGPU_PKT_DISPATCH_NDW, 3, args,
				 args_size, in, n_in, out, n_out);
}

OGPU_EXPORT int ogpu_queue_wait_idle(struct ogpu_queue *q)
{
	int ret;

	pthread_mutex_lock(&q->lock);
	ret = q->launches ? arena_retire_locked(q, q->launches) : 0;
	if (!ret) {
		ret = q->error;
		q->error = 0;
	}
	pthread_mutex_unlock(&q->lock);
	return ret;
}
