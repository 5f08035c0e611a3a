// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * A copy job on each OGPU: 8 MiB from host memory into VRAM on the copy
 * engine, then checked by the CPU. The two buffers are bound without
 * waiting (OGPU_BIND_ASYNC), and the copy waits for the bind's syncobj on
 * the GPU side: the CPU waits once, for the copy.
 *
 *   cc copy.c $(pkg-config --cflags --libs libogpu)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ogpu.h>

#define SIZE ((uint64_t)8 << 20)

static int copy_on(unsigned int index)
{
	struct ogpu_sync bound = { 0, 0 }, copied = { 0, 0 };
	struct ogpu_bind_op ops[2];
	struct ogpu_bo *src, *dst;
	struct ogpu_device *dev;
	struct ogpu_cmdbuf *cb;
	struct ogpu_queue *q;
	struct ogpu_vm *vm;
	uint64_t sva, dva, i;
	uint8_t *s, *d;
	int64_t t0;
	int ret;

	ret = ogpu_device_open(index, &dev);
	if (!ret)
		ret = ogpu_vm_create(dev, &vm);
	if (!ret)
		ret = ogpu_queue_create(vm, OGPU_ENGINE_COPY,
					OGPU_PRIORITY_NORMAL, 0, &q);
	if (!ret)
		ret = ogpu_bo_create(dev, SIZE, OGPU_MEM_HOST, &src);
	if (!ret)
		ret = ogpu_bo_create(dev, SIZE, OGPU_MEM_DEVICE, &dst);
	if (!ret)
		ret = ogpu_bo_map(src, (void **)&s);
	if (!ret)
		ret = ogpu_bo_map(dst, (void **)&d);
	if (!ret)
		ret = ogpu_cmdbuf_create(vm, 4096, &cb);
	if (!ret)
		ret = ogpu_syncobj_create(dev, &bound.syncobj);
	if (!ret)
		ret = ogpu_syncobj_create(dev, &copied.syncobj);
	if (ret)
		goto out;
	for (i = 0; i < SIZE; i++)
		s[i] = (uint8_t)(i * 131 + index);
	memset(d, 0, SIZE);

	t0 = ogpu_time_ns();
	sva = ogpu_vm_alloc_va(vm, SIZE);
	dva = ogpu_vm_alloc_va(vm, SIZE);
	ops[0] = (struct ogpu_bind_op){ .bo = src, .va = sva, .size = SIZE,
					.access = OGPU_ACCESS_READ };
	ops[1] = (struct ogpu_bind_op){ .bo = dst, .va = dva, .size = SIZE,
					.access = OGPU_ACCESS_RW };
	ret = ogpu_vm_bind_ops(vm, ops, 2, NULL, 0, &bound, 1,
			       OGPU_BIND_ASYNC);
	if (!ret)
		ret = ogpu_cmd_copy(cb, dva, sva, SIZE);
	if (!ret)
		ret = ogpu_submit(q, &cb, 1, &bound, 1, &copied, 1);
	if (!ret)
		ret = ogpu_syncobj_wait(dev, &copied, 1, INT64_MAX);
	if (!ret)
		ret = ogpu_syncobj_error(dev, copied.syncobj);
	if (ret)
		goto out;
	printf("device %u: bound, then copied %" PRIu64 " MiB host -> VRAM on the copy engine in %.1f ms, %s\n",
	       index, SIZE >> 20, (ogpu_time_ns() - t0) / 1e6,
	       memcmp(s, d, SIZE) ? "MISMATCH" : "every byte checked");
	ret = memcmp(s, d, SIZE) ? -1 : 0;
	ogpu_syncobj_destroy(dev, bound.syncobj);
	ogpu_syncobj_destroy(dev, copied.syncobj);
	ogpu_cmdbuf_destroy(cb);
	ogpu_bo_free(src);
	ogpu_bo_free(dst);
	ogpu_queue_destroy(q);
	ogpu_vm_destroy(vm);
	ogpu_device_close(dev);
	return ret;
out:
	fprintf(stderr, "copy: device %u: %s\n", index, ogpu_strerror(ret));
	return ret;
}

int main(void)
{
	int n = ogpu_device_count(), i, fail = 0;

	if (n <= 0) {
		fprintf(stderr, "copy: no OGPU\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		fail |= copy_on(i) != 0;
	return fail;
}
