// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * GPU virtual address spaces: create, bind, unbind, destroy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "ogpu_priv.h"

OGPU_EXPORT int ogpu_vm_create(struct ogpu_device *dev, struct ogpu_vm **out)
{
	struct drm_ogpu_vm_create args = {};
	struct ogpu_vm *vm;
	int ret;

	if (!out)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	ret = ogpu_ioctl(dev->fd, DRM_IOCTL_OGPU_VM_CREATE, &args);
	if (ret) {
		free(vm);
		return ret;
	}
	vm->dev = dev;
	vm->id = args.vm_id;
	vm->hw_ctx = args.hw_ctx;
	vm->va_start = args.va_start;
	vm->va_end = args.va_end;
	/* The upper half, from a 2 MiB boundary. */
	vm->va_next = (args.va_start + (args.va_end - args.va_start) / 2 +
		       0x1fffff) & ~0x1fffffull;
	pthread_mutex_init(&vm->lock, NULL);
	*out = vm;
	return 0;
}

OGPU_EXPORT void ogpu_vm_destroy(struct ogpu_vm *vm)
{
	struct drm_ogpu_vm_destroy args;

	if (!vm)
		return;
	args = (struct drm_ogpu_vm_destroy){ .vm_id = vm->id };
	ogpu_ioctl(vm->dev->fd, DRM_IOCTL_OGPU_VM_DESTROY, &args);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

static uint32_t access_flags(unsigned int access)
{
	uint32_t flags = 0;

	if (access & OGPU_ACCESS_READ)
		flags |= DRM_OGPU_VM_BIND_READ;
	if (access & OGPU_ACCESS_WRITE)
		flags |= DRM_OGPU_VM_BIND_WRITE;
	if (access & OGPU_ACCESS_EXEC)
		flags |= DRM_OGPU_VM_BIND_EXEC;
	return flags;
}

OGPU_EXPORT int ogpu_vm_bind_ops(struct ogpu_vm *vm,
				 const struct ogpu_bind_op *ops,
				 unsigned int n, const struct ogpu_sync *in,
				 unsigned int n_in, const struct ogpu_sync *out,
				 unsigned int n_out, unsigned int flags)
{
	struct drm_ogpu_sync ins[64], outs[64];
	struct drm_ogpu_vm_bind_op *dops;
	struct drm_ogpu_vm_bind args = { .vm_id = vm->id };
	unsigned int i;
	int ret;

	if (!ops || !n || n > 256 || n_in > 64 || n_out > 64 ||
	    (n_in && !in) || (n_out && !out) || (flags & ~OGPU_BIND_ASYNC))
		return -EINVAL;
	dops = calloc(n, sizeof(*dops));
	if (!dops)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (ops[i].unmap) {
			dops[i] = (struct drm_ogpu_vm_bind_op){
				.op = DRM_OGPU_VM_BIND_OP_UNMAP,
				.va = ops[i].va,
				.range = ops[i].size,
			};
			continue;
		}
		if (!ops[i].bo || ops[i].bo->dev != vm->dev) {
			free(dops);
			return -EINVAL;
		}
		dops[i] = (struct drm_ogpu_vm_bind_op){
			.op = DRM_OGPU_VM_BIND_OP_MAP,
			.flags = access_flags(ops[i].access),
			.handle = ops[i].bo->handle,
			.bo_offset = ops[i].bo_offset,
			.va = ops[i].va,
			.range = ops[i].size,
		};
	}
	ogpu_to_drm_syncs(ins, in, n_in);
	ogpu_to_drm_syncs(outs, out, n_out);
	if (flags & OGPU_BIND_ASYNC)
		args.flags |= DRM_OGPU_VM_BIND_ASYNC;
	args.ops = (struct drm_ogpu_obj_array){
		sizeof(dops[0]), n, (uintptr_t)dops };
	args.in_syncs = (struct drm_ogpu_obj_array){
		sizeof(ins[0]), n_in, (uintptr_t)ins };
	args.out_syncs = (struct drm_ogpu_obj_array){
		sizeof(outs[0]), n_out, (uintptr_t)outs };
	ret = ogpu_ioctl(vm->dev->fd, DRM_IOCTL_OGPU_VM_BIND, &args);
	free(dops);
	return ret;
}

OGPU_EXPORT int ogpu_vm_bind(struct ogpu_vm *vm, struct ogpu_bo *bo,
			     uint64_t bo_offset, uint64_t va, uint64_t size,
			     unsigned int access)
{
	struct ogpu_bind_op op = {
		.bo = bo,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
		.access = access,
	};

	return ogpu_vm_bind_ops(vm, &op, 1, NULL, 0, NULL, 0, 0);
}

OGPU_EXPORT int ogpu_vm_unbind(struct ogpu_vm *vm, uint64_t va, uint64_t size)
{
	struct ogpu_bind_op op = { .unmap = 1, .va = va, .size = size };

	return ogpu_vm_bind_ops(vm, &op, 1, NULL, 0, NULL, 0, 0);
}

OGPU_EXPORT void ogpu_vm_va_range(const struct ogpu_vm *vm, uint64_t *start,
				  uint64_t *end)
{
	*start = vm->va_start;
	*end = vm->va_end;
}

OGPU_EXPORT unsigned int ogpu_vm_hw_context(const struct ogpu_vm *vm)
{
	return vm->hw_ctx;
}

OGPU_EXPORT uint64_t ogpu_vm_alloc_va(struct ogpu_vm *vm, uint64_t size)
{
	uint64_t va = 0;

	size = (size + 4095) & ~4095ull;
	pthread_mutex_lock(&vm->lock);
	if (size && size <= vm->va_end - vm->va_next) {
		va = vm->va_next;
		vm->va_next += size;
	}
	pthread_mutex_unlock(&vm->lock);
	return va;
}

OGPU_EXPORT struct ogpu_device *ogpu_vm_device(const struct ogpu_vm *vm)
{
	return vm->dev;
}
