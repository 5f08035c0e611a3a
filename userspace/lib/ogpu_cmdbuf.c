// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Command buffers and the packets written into them; ogpu_copy() and
 * ogpu_fill(), one packet each, run and waited for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ogpu_priv.h"

/* The packet encodings are the hardware's: take them from its header. */
#include "ogpu_packets.h"

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
