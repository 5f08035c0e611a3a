/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_VM_H__
#define __OGPU_VM_H__

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>

struct drm_file;
struct ogpu_bo;
struct ogpu_device;
struct ogpu_pt;

/*
 * Userspace may bind [OGPU_VA_USER_START, OGPU_VA_USER_END); the driver
 * maps its own buffers (rings, fence words) above.
 */
#define OGPU_VA_USER_START	0x1000ull
#define OGPU_VA_USER_END	BIT_ULL(47)
#define OGPU_VA_KERNEL_START	OGPU_VA_USER_END

/**
 * struct ogpu_vm - a GPU virtual address space
 *
 * Lifetime: referenced through &drm_gpuvm's refcount; the file's xarray
 * holds one reference, each VM_BIND in progress another.
 *
 * Locking, outermost first: the VM's reservation (&drm_gpuvm.r_obj's
 * resv, shared by its page-table buffers) and the reservations of the
 * buffers being bound, taken together through drm_exec; then @lock.
 * TTM moves a bound buffer with its reservation held and takes @lock of
 * each VM the buffer is mapped in to rewrite the entries.
 */
struct ogpu_vm {
	/** @base: The GPU VA manager. */
	struct drm_gpuvm base;
	/** @odev: The device. */
	struct ogpu_device *odev;
	/** @lock: Protects the page tables (@root and below). */
	struct mutex lock;
	/** @root: Level-3 page table. */
	struct ogpu_pt *root;
	/** @hw_ctx: MMU context the VM is loaded in. */
	u32 hw_ctx;
	/**
	 * @unplugged: Set, under @lock, when the VM is torn down after the
	 * device is gone: page-table writes are skipped.
	 */
	bool unplugged;
};

/**
 * struct ogpu_file - a DRM file's driver state
 */
struct ogpu_file {
	/** @vms: The file's VMs by id; holds a reference to each. */
	struct xarray vms;
	/** @queues: The file's queues by id. */
	struct xarray queues;
	/**
	 * @busy_ns: Time the file's finished jobs ran, per engine class,
	 * for fdinfo's drm-engine-* keys.
	 */
	atomic64_t busy_ns[2];
};

int ogpu_vm_map_kernel(struct ogpu_vm *vm, struct ogpu_bo *bo, u64 va,
		       u64 size);
void ogpu_vm_unmap_kernel(struct ogpu_vm *vm, u64 va, u64 size);
struct ogpu_vm *ogpu_vm_lookup(struct drm_file *file, u32 id);

int ogpu_vm_file_open(struct ogpu_device *odev, struct drm_file *file);
void ogpu_vm_file_close(struct drm_file *file);
void ogpu_vm_bo_moved(struct ogpu_bo *bo);

int ogpu_ioctl_vm_create(struct drm_device *dev, void *data,
			 struct drm_file *file);
int ogpu_ioctl_vm_destroy(struct drm_device *dev, void *data,
			  struct drm_file *file);
int ogpu_ioctl_vm_bind(struct drm_device *dev, void *data,
		       struct drm_file *file);

#endif /* __OGPU_VM_H__ */
