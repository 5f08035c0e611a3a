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
#include <drm/gpu_scheduler.h>

#include "ogpu_hw.h"
#include "ogpu_pt.h"

struct drm_file;
struct drm_printer;
struct ogpu_bo;
struct ogpu_device;

/*
 * The least page-table budget of a VM: its root, the kernel range of all
 * its queues' rings (two tables and one level-0 table per 2 MiB of rings),
 * and the three tables of each of a few mappings.
 */
#define OGPU_VM_MIN_TABLES	16

/**
 * struct ogpu_vm - a GPU virtual address space
 *
 * Lifetime: referenced through &drm_gpuvm's refcount; the file's xarray
 * holds one reference, each VM_BIND in progress and each queue another.
 *
 * Locking, outermost first: the VM's reservation (&drm_gpuvm.r_obj's
 * resv) and the reservations of the buffers being bound, taken together
 * through drm_exec, protect the mappings (the &drm_gpuvm tree) and
 * @destroyed; then @pt's &ogpu_pt_tree.make_lock, held while tables are
 * made; then its &ogpu_pt_tree.lock, which protects the page-table
 * contents and is the only lock the bind queue takes, in the fence
 * signalling path. Nothing allocates or waits for a fence under that
 * lock. TTM moves a bound buffer with its reservation held and takes the
 * &ogpu_pt_tree.lock of each VM the buffer is mapped in to rewrite the
 * entries.
 */
struct ogpu_vm {
	/** @base: The GPU VA manager. */
	struct drm_gpuvm base;
	/** @odev: The device. */
	struct ogpu_device *odev;
	/**
	 * @pt: The page tables, loaded in MMU context &ogpu_pt_tree.ctx;
	 * &ogpu_pt_tree.max is ogpu_vm_pt_budget(). &ogpu_pt_tree.unplugged
	 * is set when the VM is torn down after the device is gone.
	 */
	struct ogpu_pt_tree pt;
	/**
	 * @destroyed: Set under the VM's reservation when VM_DESTROY (or
	 * the file's close) starts; VM_BIND then fails with -ENOENT.
	 */
	bool destroyed;
	/** @sched: The bind queue's scheduler, which writes page tables. */
	struct drm_gpu_scheduler sched;
	/** @entity: The bind queue, the scheduler's only entity. */
	struct drm_sched_entity entity;
	/**
	 * @bind_jobs: Bind jobs not yet freed; destroy waits for none
	 * (wait_var_event()).
	 */
	atomic_t bind_jobs;
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

/**
 * struct ogpu_vm_mapping - a user mapping, as ogpu_vm_mappings() reports it
 */
struct ogpu_vm_mapping {
	/** @va: Start. */
	u64 va;
	/** @range: Bytes. */
	u64 range;
	/** @bo_offset: Where in the buffer the mapping starts. */
	u64 bo_offset;
	/** @bo_size: The buffer's size. */
	u64 bo_size;
	/** @flags: DRM_OGPU_VM_BIND_* access bits. */
	u32 flags;
};

size_t ogpu_vm_read(struct ogpu_vm *vm, u64 va, void *buf, size_t len);
u32 ogpu_vm_mappings(struct ogpu_vm *vm, u64 start, u64 end,
		     struct ogpu_vm_mapping *out, u32 max);
int ogpu_vm_map_kernel(struct ogpu_vm *vm, struct ogpu_bo *bo, u64 bo_offset,
		       u64 va, u64 size, u32 flags);
void ogpu_vm_unmap_kernel(struct ogpu_vm *vm, u64 va, u64 size);
struct ogpu_vm *ogpu_vm_lookup(struct drm_file *file, u32 id);

u32 ogpu_vm_pt_budget(const struct ogpu_device *odev);
void ogpu_vm_show_fdinfo(struct drm_printer *p, struct drm_file *file);

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
