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

static int vm_bind_one(struct ogpu_vm *vm, struct drm_ogpu_vm_bind_op *op)
{
	struct drm_ogpu_vm_bind args = {
		.vm_id = vm->id,
		.ops = {
			.stride = sizeof(*op),
			.count = 1,
			.array = (uintptr_t)op,
		},
	};

	return ogpu_ioctl(vm->dev->fd, DRM_IOCTL_OGPU_VM_BIND, &args);
}

OGPU_EXPORT int ogpu_vm_bind(struct ogpu_vm *vm, struct ogpu_bo *bo,
			     uint64_t bo_offset, uint64_t va, uint64_t size,
			     unsigned int access)
{
	struct drm_ogpu_vm_bind_op op = {
		.op = DRM_OGPU_VM_BIND_OP_MAP,
		.handle = bo->handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = size,
	};

	if (bo->dev != vm->dev)
		return -EINVAL;
	if (access & OGPU_ACCESS_READ)
		op.flags |= DRM_OGPU_VM_BIND_READ;
	if (access & OGPU_ACCESS_WRITE)
		op.flags |= DRM_OGPU_VM_BIND_WRITE;
	if (access & OGPU_ACCESS_EXEC)
		op.flags |= DRM_OGPU_VM_BIND_EXEC;
	return vm_bind_one(vm, &op);
}

OGPU_EXPORT int ogpu_vm_unbind(struct ogpu_vm *vm, uint64_t va, uint64_t size)
{
	struct drm_ogpu_vm_bind_op op = {
		.op = DRM_OGPU_VM_BIND_OP_UNMAP,
		.va = va,
		.range = size,
	};

	return vm_bind_one(vm, &op);
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
