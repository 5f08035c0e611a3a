/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef _OGPU_DRM_H_
#define _OGPU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * This is the user interface of ogpu, the DRM driver of the OGPU. A
 * process opens an OGPU render node (/dev/dri/renderD*) and talks to it
 * through these ioctls, the DRM core's syncobj ioctls (binary and timeline)
 * and, later, GEM.
 *
 * The rules every structure here follows:
 *
 * - Structures are padded to a multiple of 64 bits, with no implicit
 *   padding; fields named @pad or @flags that have no defined bits must be
 *   zero, and the ioctl fails with -EINVAL otherwise.
 * - Pointers are passed as __u64.
 * - Structures only grow at their end. The DRM core zero-extends a shorter
 *   ioctl structure from older userspace, so a new field's zero value keeps
 *   the old behaviour.
 * - Objects returned through a { type, size, pointer } triple, as in
 *   &struct drm_ogpu_dev_query, tell their size: userspace passes the size
 *   it knows; the kernel writes at most that much, zeroes the rest of the
 *   user buffer and returns the size it wrote.
 *
 * Errors follow Documentation/gpu/drm-uapi.rst: -EINVAL for malformed
 * input, -EFAULT for a bad user pointer, -ENODEV once the device is gone,
 * -ENOTTY for an ioctl this driver does not know.
 */

#define DRM_OGPU_DEV_QUERY		0x00
#define DRM_OGPU_BO_CREATE		0x01
#define DRM_OGPU_BO_MMAP_OFFSET		0x02
#define DRM_OGPU_VM_CREATE		0x03
#define DRM_OGPU_VM_DESTROY		0x04
#define DRM_OGPU_VM_BIND		0x05
#define DRM_OGPU_QUEUE_CREATE		0x06
#define DRM_OGPU_QUEUE_DESTROY		0x07
#define DRM_OGPU_SUBMIT			0x08
#define DRM_OGPU_QUEUE_GET_STATE	0x09
#define DRM_OGPU_P2P_QUERY		0x0a
#define DRM_OGPU_PRIME_IMPORT		0x0b

#define DRM_IOCTL_OGPU_DEV_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_DEV_QUERY, struct drm_ogpu_dev_query)
#define DRM_IOCTL_OGPU_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_BO_CREATE, struct drm_ogpu_bo_create)
#define DRM_IOCTL_OGPU_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_BO_MMAP_OFFSET, \
		 struct drm_ogpu_bo_mmap_offset)
#define DRM_IOCTL_OGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_VM_CREATE, struct drm_ogpu_vm_create)
#define DRM_IOCTL_OGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_OGPU_VM_DESTROY, struct drm_ogpu_vm_destroy)
#define DRM_IOCTL_OGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_OGPU_VM_BIND, struct drm_ogpu_vm_bind)
#define DRM_IOCTL_OGPU_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_QUEUE_CREATE, \
		 struct drm_ogpu_queue_create)
#define DRM_IOCTL_OGPU_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_OGPU_QUEUE_DESTROY, \
		struct drm_ogpu_queue_destroy)
#define DRM_IOCTL_OGPU_SUBMIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_OGPU_SUBMIT, struct drm_ogpu_submit)
#define DRM_IOCTL_OGPU_QUEUE_GET_STATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_QUEUE_GET_STATE, \
		 struct drm_ogpu_queue_get_state)
#define DRM_IOCTL_OGPU_P2P_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_P2P_QUERY, struct drm_ogpu_p2p_query)
#define DRM_IOCTL_OGPU_PRIME_IMPORT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_PRIME_IMPORT, \
		 struct drm_ogpu_prime_import)

/**
 * enum drm_ogpu_dev_query_type - what &struct drm_ogpu_dev_query asks for
 */
enum drm_ogpu_dev_query_type {
	/** @DRM_OGPU_DEV_QUERY_DEVICE_INFO: &struct drm_ogpu_device_info. */
	DRM_OGPU_DEV_QUERY_DEVICE_INFO = 0,

	/**
	 * @DRM_OGPU_DEV_QUERY_ENGINE_INFO: an array of
	 * &struct drm_ogpu_engine_info, one per hardware engine.
	 */
	DRM_OGPU_DEV_QUERY_ENGINE_INFO = 1,

	/**
	 * @DRM_OGPU_DEV_QUERY_MEM_REGIONS: an array of
	 * &struct drm_ogpu_mem_region, one per memory region.
	 */
	DRM_OGPU_DEV_QUERY_MEM_REGIONS = 2,

	/**
	 * @DRM_OGPU_DEV_QUERY_LINKS: an array of &struct drm_ogpu_link_info,
	 * one per link port (none without DRM_OGPU_CAP_LINK).
	 */
	DRM_OGPU_DEV_QUERY_LINKS = 3,
};

/**
 * struct drm_ogpu_dev_query - ask the device about itself
 *
 * With @size 0 the kernel only sets @size to the number of bytes the
 * answer needs. Otherwise @pointer must point to @size writable bytes and
 * @size must be at least the size of the first version of the answer; the
 * kernel writes the answer, zeroes the rest of the buffer and sets @size
 * to the number of bytes it wrote.
 */
struct drm_ogpu_dev_query {
	/** @type: One of &enum drm_ogpu_dev_query_type. */
	__u32 type;

	/** @size: Size of the buffer at @pointer, in bytes. */
	__u32 size;

	/** @pointer: User pointer to the answer buffer. */
	__u64 pointer;

	/** @flags: MBZ. */
	__u32 flags;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * define DRM_OGPU_CAP_MMU - the device has an MMU and page tables
 */
#define DRM_OGPU_CAP_MMU		0x1
/**
 * define DRM_OGPU_CAP_QUEUES - the device has hardware queues
 */
#define DRM_OGPU_CAP_QUEUES		0x2
/**
 * define DRM_OGPU_CAP_COPY_ENGINE - the device has a DMA copy engine
 */
#define DRM_OGPU_CAP_COPY_ENGINE	0x4
/**
 * define DRM_OGPU_CAP_COMPUTE - the device runs compute kernels
 */
#define DRM_OGPU_CAP_COMPUTE		0x8
/**
 * define DRM_OGPU_CAP_LINK - the device has links to other devices
 */
#define DRM_OGPU_CAP_LINK		0x10

/**
 * struct drm_ogpu_device_info - answer to DRM_OGPU_DEV_QUERY_DEVICE_INFO
 *
 * Every field reflects the device's identification and capability
 * registers as read when the driver bound the device.
 */
struct drm_ogpu_device_info {
	/** @hw_id: The ID register, 0x5550474f ("OGPU"). */
	__u32 hw_id;

	/** @hw_version: Hardware version, major << 16 | minor. */
	__u32 hw_version;

	/** @vram_size: Bytes of VRAM. */
	__u64 vram_size;

	/** @caps: DRM_OGPU_CAP_* units the hardware implements. */
	__u32 caps;

	/** @instance: The device's instance number. */
	__u32 instance;

	/** @num_cus: Compute units. */
	__u32 num_cus;

	/** @cu_lanes: SIMT lanes per compute unit. */
	__u32 cu_lanes;

	/** @num_compute_engines: Compute engines. */
	__u32 num_compute_engines;

	/** @num_copy_engines: Copy (DMA) engines. */
	__u32 num_copy_engines;

	/** @num_link_ports: Ports of the peer-to-peer interconnect. */
	__u32 num_link_ports;

	/** @pad: MBZ. */
	__u32 pad;

	/*
	 * Limits: later than the first version of this answer, so present
	 * when the size DEV_QUERY returns covers them. They are device-wide:
	 * one process may take every VM or queue; fdinfo's drm-ogpu-vms and
	 * drm-ogpu-queues keys show who holds them.
	 */

	/**
	 * @max_vms: VMs the device holds at once, all processes together
	 * (one MMU context each; the driver keeps one context). VM_CREATE
	 * fails with ENOSPC beyond.
	 */
	__u32 max_vms;

	/**
	 * @max_queues: Queues the device holds at once, all processes
	 * together (one hardware queue each; the driver keeps one to move
	 * buffers). QUEUE_CREATE fails with ENOSPC beyond.
	 */
	__u32 max_queues;

	/** @vms_in_use: VMs that exist now, all processes together. */
	__u32 vms_in_use;

	/** @queues_in_use: Queues that exist now, all processes together. */
	__u32 queues_in_use;

	/**
	 * @vm_page_table_budget: Bytes of page tables one VM may hold, the
	 * tables the driver makes for its queues included. A VM_BIND that
	 * needs more fails with ENOSPC and changes nothing. The page tables
	 * of all VMs together take at most half of VRAM.
	 */
	__u64 vm_page_table_budget;

	/*
	 * Compute units: later than the limits, present when the size
	 * covers them; zero without DRM_OGPU_CAP_COMPUTE.
	 * Documentation/compute.rst specifies what a kernel sees.
	 */

	/**
	 * @cu_isa: The compute units' RISC-V ISA, NUL-terminated, such as
	 * "rv64imafd_zicsr_zifencei".
	 */
	char cu_isa[32];

	/** @cu_max_block: Threads a block may have, all dimensions together. */
	__u32 cu_max_block;

	/** @cu_shared_max: Bytes of shared memory a block may ask for. */
	__u32 cu_shared_max;

	/** @cu_private_bytes: Bytes of private memory (stack) per thread. */
	__u32 cu_private_bytes;

	/**
	 * @cu_csr_version: Version of the CSR layout kernels read their
	 * thread and block indices from.
	 */
	__u32 cu_csr_version;

	/** @pad2: MBZ. */
	__u32 pad2;

	/**
	 * @cu_thread_insns: Thread-instructions the compute units have run
	 * since the device was reset (one per thread per instruction), read
	 * when the query ran: a performance counter.
	 */
	__u64 cu_thread_insns;

	/*
	 * Interconnect: later than the compute units, present when the size
	 * covers it.
	 */

	/**
	 * @link_generation: Changes whenever a link port of this device
	 * changes state, peer or bandwidth, or an administrator changes a
	 * port's P2P setting: a cheap test of whether a topology read before
	 * is still current. Never 0.
	 */
	__u64 link_generation;
};

/**
 * enum drm_ogpu_engine_class - kinds of hardware engine
 */
enum drm_ogpu_engine_class {
	/** @DRM_OGPU_ENGINE_CLASS_COMPUTE: Runs compute kernels and packets. */
	DRM_OGPU_ENGINE_CLASS_COMPUTE = 0,

	/** @DRM_OGPU_ENGINE_CLASS_COPY: The DMA copy engine. */
	DRM_OGPU_ENGINE_CLASS_COPY = 1,
};

/**
 * struct drm_ogpu_engine_info - one entry of DRM_OGPU_DEV_QUERY_ENGINE_INFO
 */
struct drm_ogpu_engine_info {
	/** @engine_class: One of &enum drm_ogpu_engine_class. */
	__u32 engine_class;

	/** @instance: Index of the engine within its class. */
	__u32 instance;
};

/**
 * enum drm_ogpu_mem_region_type - kinds of memory a buffer can live in
 */
enum drm_ogpu_mem_region_type {
	/** @DRM_OGPU_MEM_VRAM: The device's own memory. */
	DRM_OGPU_MEM_VRAM = 0,

	/**
	 * @DRM_OGPU_MEM_SYSTEM: System memory the device reaches by DMA
	 * (often called GTT).
	 */
	DRM_OGPU_MEM_SYSTEM = 1,
};

/**
 * define DRM_OGPU_MEM_REGION_CPU_VISIBLE - the CPU can map the region
 */
#define DRM_OGPU_MEM_REGION_CPU_VISIBLE	0x1

/**
 * struct drm_ogpu_mem_region - one entry of DRM_OGPU_DEV_QUERY_MEM_REGIONS
 */
struct drm_ogpu_mem_region {
	/** @type: One of &enum drm_ogpu_mem_region_type. */
	__u32 type;

	/** @flags: DRM_OGPU_MEM_REGION_* bits. */
	__u32 flags;

	/** @size: Bytes the region can hold. */
	__u64 size;

	/** @used: Bytes now allocated in the region, by every process. */
	__u64 used;

	/** @cpu_visible_size: Bytes of the region the CPU can map. */
	__u64 cpu_visible_size;
};

/**
 * define DRM_OGPU_BO_VRAM - place the buffer in VRAM
 *
 * VRAM can be overcommitted: when it is full, buffers not in use move to
 * system memory and come back when they are used.
 */
#define DRM_OGPU_BO_VRAM		0x1
/**
 * define DRM_OGPU_BO_SYSTEM - place the buffer in system memory
 *
 * With DRM_OGPU_BO_VRAM as well: VRAM if there is room, else system memory.
 */
#define DRM_OGPU_BO_SYSTEM		0x2

/**
 * struct drm_ogpu_bo_create - make a buffer object
 *
 * Returns a GEM handle. Errors: -EINVAL for a size of 0, unknown flags or
 * no placement; -ENOSPC if the buffer cannot fit in any region it may be
 * placed in; -ENOMEM if the kernel is out of memory; -EINTR if a signal
 * interrupted the allocation (nothing is kept).
 *
 * System memory is allocated here and charged to the memory cgroup of the
 * calling process; running out fails the ioctl with -ENOMEM instead of
 * invoking the OOM killer.
 */
struct drm_ogpu_bo_create {
	/**
	 * @size: In: bytes wanted. Out: bytes allocated, rounded up to the
	 * page size.
	 */
	__u64 size;

	/** @flags: DRM_OGPU_BO_* placement bits; at least one. */
	__u32 flags;

	/** @handle: Out: the buffer's GEM handle. */
	__u32 handle;
};

/**
 * struct drm_ogpu_bo_mmap_offset - where to mmap() a buffer
 *
 * The buffer is then mapped with mmap(NULL, size, PROT_READ | PROT_WRITE,
 * MAP_SHARED, drm_fd, offset), wherever it is placed. Errors: -ENOENT for
 * a handle that is not this file's; -EINVAL for a non-zero @pad.
 */
struct drm_ogpu_bo_mmap_offset {
	/** @handle: The buffer's GEM handle. */
	__u32 handle;

	/** @pad: MBZ. */
	__u32 pad;

	/** @offset: Out: the fake offset to pass to mmap(). */
	__u64 offset;
};

/**
 * struct drm_ogpu_obj_array - an array of structures in user memory
 *
 * Lets an array's element grow: the kernel reads min(@stride, its own size)
 * bytes of each element and requires the rest to be zero.
 */
struct drm_ogpu_obj_array {
	/** @stride: Bytes from one element to the next. */
	__u32 stride;

	/** @count: Number of elements. */
	__u32 count;

	/** @array: User pointer to the first element. */
	__u64 array;
};

/**
 * struct drm_ogpu_vm_create - make a GPU virtual address space
 *
 * Each VM has its own page tables and runs in one of the device's MMU
 * contexts. Errors: -EINVAL for non-zero @flags or @pad; -ENOSPC when every
 * MMU context is in use (&drm_ogpu_device_info.max_vms, all processes
 * together).
 */
struct drm_ogpu_vm_create {
	/** @flags: MBZ. */
	__u32 flags;

	/** @vm_id: Out: the VM's id in this file. */
	__u32 vm_id;

	/**
	 * @hw_ctx: Out: the MMU context the VM runs in, for debug tools
	 * (the device model's debug port, fault reports).
	 */
	__u32 hw_ctx;

	/** @pad: MBZ. */
	__u32 pad;

	/** @va_start: Out: lowest VA userspace may bind. */
	__u64 va_start;

	/** @va_end: Out: the end (exclusive) of the bindable VA range. */
	__u64 va_end;
};

/**
 * struct drm_ogpu_vm_destroy - destroy a VM and every mapping in it
 *
 * Errors: -ENOENT for an unknown @vm_id; -EINVAL for a non-zero @pad.
 */
struct drm_ogpu_vm_destroy {
	/** @vm_id: The VM. */
	__u32 vm_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_ogpu_vm_bind_op_type - what a bind operation does
 */
enum drm_ogpu_vm_bind_op_type {
	/** @DRM_OGPU_VM_BIND_OP_MAP: Map a range of a buffer. */
	DRM_OGPU_VM_BIND_OP_MAP = 0,

	/**
	 * @DRM_OGPU_VM_BIND_OP_UNMAP: Unmap a range; mappings it covers in
	 * part are split.
	 */
	DRM_OGPU_VM_BIND_OP_UNMAP = 1,
};

/** define DRM_OGPU_VM_BIND_READ - the GPU may read the mapping */
#define DRM_OGPU_VM_BIND_READ		0x1
/** define DRM_OGPU_VM_BIND_WRITE - the GPU may write the mapping */
#define DRM_OGPU_VM_BIND_WRITE		0x2
/** define DRM_OGPU_VM_BIND_EXEC - the GPU may run code from the mapping */
#define DRM_OGPU_VM_BIND_EXEC		0x4

/**
 * struct drm_ogpu_vm_bind_op - one operation of &struct drm_ogpu_vm_bind
 *
 * @va, @range and @bo_offset must be multiples of 4096, @range non-zero,
 * and [@va, @va + @range) inside the VM's bindable range.
 */
struct drm_ogpu_vm_bind_op {
	/** @op: One of &enum drm_ogpu_vm_bind_op_type. */
	__u32 op;

	/**
	 * @flags: For MAP, DRM_OGPU_VM_BIND_* access bits, at least one;
	 * for UNMAP, MBZ.
	 */
	__u32 flags;

	/** @handle: For MAP, the buffer's GEM handle; for UNMAP, MBZ. */
	__u32 handle;

	/** @pad: MBZ. */
	__u32 pad;

	/**
	 * @bo_offset: For MAP, where in the buffer the mapping starts;
	 * [@bo_offset, @bo_offset + @range) must lie in the buffer. For
	 * UNMAP, MBZ.
	 */
	__u64 bo_offset;

	/** @va: Start of the range. */
	__u64 va;

	/** @range: Bytes. */
	__u64 range;
};

/**
 * define DRM_OGPU_VM_BIND_ASYNC - return once the bind is queued
 *
 * Without it, VM_BIND returns when the page tables are written.
 */
#define DRM_OGPU_VM_BIND_ASYNC		0x1

/**
 * struct drm_ogpu_vm_bind - change a VM's mappings
 *
 * A bind applies all its UNMAP operations, then all its MAP operations;
 * it is all or nothing: on error nothing changed. A MAP may not overlap
 * another MAP of the same bind, nor a mapping that is left after the
 * UNMAPs (-EEXIST). Binding validates the buffer: one that was evicted
 * from VRAM comes back if it can.
 *
 * Every check is made, and everything the bind needs is allocated, in the
 * ioctl; the VM's mappings as later binds see them change at once. The
 * page tables are written by the VM's bind queue, in ioctl order, once
 * every in-sync has signalled; then each out-sync signals. With
 * DRM_OGPU_VM_BIND_ASYNC the ioctl returns before that: work that uses
 * the new mappings must wait for an out-sync. Buffers stay where they
 * are until the binds that name them are written.
 *
 * Errors: -ENOENT for an unknown VM, buffer or syncobj; -EINVAL for a
 * malformed operation or sync, unknown @flags, or an in-sync whose fence
 * (or timeline point) nothing has been submitted for yet; -EEXIST for an
 * overlap; -ENOSPC when the page tables the MAPs need would take the VM
 * past its page-table budget (&drm_ogpu_device_info.vm_page_table_budget;
 * the page tables are left as they were); -ENOSPC or -ENOMEM when memory
 * runs out.
 */
struct drm_ogpu_vm_bind {
	/** @vm_id: The VM. */
	__u32 vm_id;

	/** @flags: DRM_OGPU_VM_BIND_ASYNC or 0. */
	__u32 flags;

	/** @ops: Array of &struct drm_ogpu_vm_bind_op, 1 to 256. */
	struct drm_ogpu_obj_array ops;

	/**
	 * @in_syncs: Array of &struct drm_ogpu_sync to wait for, at most
	 * 64.
	 */
	struct drm_ogpu_obj_array in_syncs;

	/**
	 * @out_syncs: Array of &struct drm_ogpu_sync to signal when the
	 * page tables are written, at most 64.
	 */
	struct drm_ogpu_obj_array out_syncs;
};

/**
 * define DRM_OGPU_QUEUE_PRIORITY_LOW - a quarter of a HIGH queue's share
 *
 * Queues with work share the device: each priority level gets twice the
 * share of the level below it, and no queue starves.
 */
#define DRM_OGPU_QUEUE_PRIORITY_LOW	0
/**
 * define DRM_OGPU_QUEUE_PRIORITY_NORMAL - the default priority
 */
#define DRM_OGPU_QUEUE_PRIORITY_NORMAL	1
/**
 * define DRM_OGPU_QUEUE_PRIORITY_HIGH - twice a NORMAL queue's share
 *
 * Only for a client with CAP_SYS_NICE, or the DRM master.
 */
#define DRM_OGPU_QUEUE_PRIORITY_HIGH	2

/**
 * struct drm_ogpu_queue_create - make a hardware queue
 *
 * A queue runs command buffers in one VM, in submission order. Errors:
 * -EINVAL for an unknown class or priority, a timeout above 60000 ms, or
 * non-zero @flags or @pad; -EACCES for DRM_OGPU_QUEUE_PRIORITY_HIGH or a
 * timeout above the driver's max_user_timeout_ms module parameter (10000
 * by default) without CAP_SYS_NICE; -ENOENT for an unknown VM; -ENOSPC
 * when all of the device's queues are in use
 * (&drm_ogpu_device_info.max_queues, 7, all processes together: the
 * driver keeps the hardware's last queue to move buffers).
 */
struct drm_ogpu_queue_create {
	/** @vm_id: The VM the queue's work runs in. */
	__u32 vm_id;

	/** @engine_class: One of &enum drm_ogpu_engine_class. */
	__u32 engine_class;

	/** @priority: DRM_OGPU_QUEUE_PRIORITY_*. */
	__u32 priority;

	/**
	 * @timeout_ms: How long one submission may hold the device before
	 * the queue is reset and banned; 0 for the driver's default (its
	 * job_timeout_ms module parameter). Time the device spends on other
	 * queues' work does not count.
	 */
	__u32 timeout_ms;

	/** @flags: MBZ. */
	__u32 flags;

	/** @queue_id: Out: the queue's id in this file. */
	__u32 queue_id;
};

/**
 * struct drm_ogpu_queue_destroy - destroy a queue
 *
 * Work still queued is cancelled; its fences complete with -ECANCELED.
 * Errors: -ENOENT for an unknown queue; -EINVAL for a non-zero @pad.
 */
struct drm_ogpu_queue_destroy {
	/** @queue_id: The queue. */
	__u32 queue_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_ogpu_cmdbuf - a command buffer to run
 */
struct drm_ogpu_cmdbuf {
	/** @va: GPU VA of the first packet, 4-byte aligned. */
	__u64 va;

	/** @size_dw: Length in 32-bit words, 1 to 1048576. */
	__u32 size_dw;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * define DRM_OGPU_SYNC_TIMELINE - the syncobj is a timeline; use @point
 */
#define DRM_OGPU_SYNC_TIMELINE		0x1

/**
 * struct drm_ogpu_sync - a syncobj to wait on or signal
 */
struct drm_ogpu_sync {
	/** @handle: The syncobj. */
	__u32 handle;

	/** @flags: DRM_OGPU_SYNC_* bits. */
	__u32 flags;

	/** @point: Timeline point; MBZ for a binary syncobj. */
	__u64 point;
};

/**
 * struct drm_ogpu_submit - run command buffers on a queue
 *
 * The command buffers run in order, after every in-sync has signalled.
 * Each out-sync is signalled when they are done: a binary syncobj gets
 * the submission's fence, a timeline syncobj gets it at @point. The fence
 * completes with an error if the submission faults (-EIO), times out
 * (-ETIMEDOUT) or is cancelled (-ECANCELED). Errors: -ENOENT for an
 * unknown queue or syncobj; -EINVAL for malformed input, or an in-sync
 * whose fence (or timeline point) nothing has been submitted for yet;
 * -ECANCELED when the queue is banned after an earlier fault or timeout.
 */
struct drm_ogpu_submit {
	/** @queue_id: The queue. */
	__u32 queue_id;

	/** @flags: MBZ. */
	__u32 flags;

	/** @cmdbufs: Array of &struct drm_ogpu_cmdbuf, 1 to 64. */
	struct drm_ogpu_obj_array cmdbufs;

	/** @in_syncs: Array of &struct drm_ogpu_sync, at most 64. */
	struct drm_ogpu_obj_array in_syncs;

	/** @out_syncs: Array of &struct drm_ogpu_sync, at most 64. */
	struct drm_ogpu_obj_array out_syncs;
};

/**
 * enum drm_ogpu_link_state - state of a link port
 */
enum drm_ogpu_link_state {
	/** @DRM_OGPU_LINK_DOWN: No link, or the link was taken down. */
	DRM_OGPU_LINK_DOWN = 0,
	/** @DRM_OGPU_LINK_TRAINING: The link is coming up; not usable yet. */
	DRM_OGPU_LINK_TRAINING = 1,
	/** @DRM_OGPU_LINK_UP: Usable at its nominal bandwidth. */
	DRM_OGPU_LINK_UP = 2,
	/** @DRM_OGPU_LINK_DEGRADED: Usable, below its nominal bandwidth. */
	DRM_OGPU_LINK_DEGRADED = 3,
	/**
	 * @DRM_OGPU_LINK_FAILED: Too many transmission errors; not usable
	 * until it is brought up again.
	 */
	DRM_OGPU_LINK_FAILED = 4,
};

/**
 * define DRM_OGPU_LINK_HAS_PEER - the port is joined to a peer's port
 */
#define DRM_OGPU_LINK_HAS_PEER		0x1
/**
 * define DRM_OGPU_LINK_PEER_PRESENT - the peer is an OGPU this driver runs
 *
 * Without it the peer's instance is known from the link but no device of
 * that instance is bound (removed, or not bound to ogpu).
 */
#define DRM_OGPU_LINK_PEER_PRESENT	0x2
/**
 * define DRM_OGPU_LINK_P2P_DISABLED - an administrator disabled P2P here
 *
 * Set through the port's p2p_enabled sysfs file; the link still carries
 * nothing for the driver's peer mappings.
 */
#define DRM_OGPU_LINK_P2P_DISABLED	0x4

/**
 * struct drm_ogpu_link_info - one entry of DRM_OGPU_DEV_QUERY_LINKS
 *
 * The state and counters of one link port, read from the hardware when the
 * query ran. Counters restart from 0 when the device is reset.
 */
struct drm_ogpu_link_info {
	/** @port: The port, 0 to num_link_ports - 1. */
	__u32 port;

	/** @state: &enum drm_ogpu_link_state. */
	__u32 state;

	/** @flags: DRM_OGPU_LINK_* bits. */
	__u32 flags;

	/** @peer_instance: With HAS_PEER: the peer device's instance. */
	__u32 peer_instance;

	/** @peer_port: With HAS_PEER: the peer's port. */
	__u32 peer_port;

	/**
	 * @peer_render_minor: With PEER_PRESENT: the minor of the peer's
	 * render node (/dev/dri/renderD<minor>); else 0.
	 */
	__u32 peer_render_minor;

	/** @bandwidth_mbps: Current bandwidth, 10^6 bytes per second. */
	__u32 bandwidth_mbps;

	/** @nominal_bandwidth_mbps: Bandwidth the link was made with. */
	__u32 nominal_bandwidth_mbps;

	/** @latency_ns: Latency of one transfer, in nanoseconds. */
	__u32 latency_ns;

	/** @hops: 1 with a peer (a link joins two devices directly), else 0. */
	__u32 hops;

	/** @tx_bytes: Payload bytes sent. */
	__u64 tx_bytes;

	/** @rx_bytes: Payload bytes received. */
	__u64 rx_bytes;

	/** @tx_packets: Packets sent. */
	__u64 tx_packets;

	/** @rx_packets: Packets received. */
	__u64 rx_packets;

	/** @replays: Packets sent again after the peer saw a bad CRC. */
	__u32 replays;

	/** @crc_errors: Packets received with a bad CRC, and dropped. */
	__u32 crc_errors;

	/** @down_events: Times the link stopped being usable. */
	__u32 down_events;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_ogpu_p2p_path - how one OGPU reaches another's memory
 */
enum drm_ogpu_p2p_path {
	/** @DRM_OGPU_P2P_PATH_NONE: Not directly. */
	DRM_OGPU_P2P_PATH_NONE = 0,
	/** @DRM_OGPU_P2P_PATH_SELF: The two devices are one. */
	DRM_OGPU_P2P_PATH_SELF = 1,
	/** @DRM_OGPU_P2P_PATH_LINK: Over a link, through the PEER aperture. */
	DRM_OGPU_P2P_PATH_LINK = 2,
};

/**
 * enum drm_ogpu_p2p_reason - why one OGPU cannot reach another's memory
 */
enum drm_ogpu_p2p_reason {
	/** @DRM_OGPU_P2P_OK: It can. */
	DRM_OGPU_P2P_OK = 0,
	/**
	 * @DRM_OGPU_P2P_NO_LINK: No link joins the two; @hops says how many
	 * links the shortest route through other OGPUs has (0: none).
	 */
	DRM_OGPU_P2P_NO_LINK = 1,
	/** @DRM_OGPU_P2P_LINK_DOWN: The link is down or still training. */
	DRM_OGPU_P2P_LINK_DOWN = 2,
	/** @DRM_OGPU_P2P_LINK_FAILED: The link failed on transmission errors. */
	DRM_OGPU_P2P_LINK_FAILED = 3,
	/**
	 * @DRM_OGPU_P2P_LINK_DEGRADED: The link's bandwidth is below the
	 * device's p2p_min_bandwidth_mbps (sysfs).
	 */
	DRM_OGPU_P2P_LINK_DEGRADED = 4,
	/**
	 * @DRM_OGPU_P2P_PEER_ABSENT: No OGPU of that instance is bound: it was
	 * removed, or never existed.
	 */
	DRM_OGPU_P2P_PEER_ABSENT = 5,
	/**
	 * @DRM_OGPU_P2P_DISABLED: An administrator disabled P2P on the link
	 * (the port's p2p_enabled sysfs file, on either device).
	 */
	DRM_OGPU_P2P_DISABLED = 6,
};

/**
 * define DRM_OGPU_P2P_READ - the device can read the peer's memory
 */
#define DRM_OGPU_P2P_READ		0x1
/**
 * define DRM_OGPU_P2P_WRITE - the device can write the peer's memory
 */
#define DRM_OGPU_P2P_WRITE		0x2
/**
 * define DRM_OGPU_P2P_ATOMIC - the device's atomics on the peer's memory
 * are atomic against the peer's own
 */
#define DRM_OGPU_P2P_ATOMIC		0x4

/**
 * struct drm_ogpu_p2p_query - can this device reach another's memory?
 *
 * Asked of device A (the file's device) about the OGPU whose instance is
 * @peer_instance (&struct drm_ogpu_device_info.instance of B). The answer
 * is for A's access to B's VRAM; links are symmetric, but an
 * administrator's setting is per device, so ask B for the other way.
 *
 * Errors: -EINVAL for non-zero @flags or @pad.
 */
struct drm_ogpu_p2p_query {
	/** @peer_instance: In: the instance of device B. */
	__u32 peer_instance;

	/** @flags: In: MBZ. */
	__u32 flags;

	/** @access: Out: DRM_OGPU_P2P_* access bits; 0 when @reason is not OK. */
	__u32 access;

	/** @path: Out: &enum drm_ogpu_p2p_path. */
	__u32 path;

	/**
	 * @reason: Out: &enum drm_ogpu_p2p_reason: why not, for the best
	 * link when several join the devices.
	 */
	__u32 reason;

	/** @port: Out: the port of A that the path (or the reason) is about. */
	__u32 port;

	/** @hops: Out: links on the shortest route; 0 when there is none. */
	__u32 hops;

	/** @bandwidth_mbps: Out: the link's current bandwidth. */
	__u32 bandwidth_mbps;

	/** @latency_ns: Out: the link's latency. */
	__u32 latency_ns;

	/**
	 * @min_bandwidth_mbps: Out: A's threshold below which a degraded link
	 * is refused (sysfs p2p_min_bandwidth_mbps).
	 */
	__u32 min_bandwidth_mbps;

	/** @link_generation: Out: the generation the answer was made at. */
	__u64 link_generation;

	/** @pad: MBZ. */
	__u64 pad;
};

/**
 * define DRM_OGPU_IMPORT_LINK_ONLY - reach the buffer over a link, or fail
 *
 * The import succeeds only for a buffer of this device, or of another OGPU
 * that may keep it in VRAM (created with DRM_OGPU_BO_VRAM) and that a
 * usable link joins to this one (the P2P query says OK); otherwise
 * -ENOLINK, and nothing is imported. Its mappings then always go over the
 * link: when the import is mapped (VM_BIND, submission), the exporter's
 * buffer is brought back into its VRAM if it left, and never reached
 * through system memory instead. Such a mapping fails with -ENOLINK when
 * the link stopped being usable, -ENOSPC when the exporter's VRAM is full,
 * -EBUSY while another driver's importer pins the buffer in system memory.
 * The choice stays with the file's import of that dma-buf.
 */
#define DRM_OGPU_IMPORT_LINK_ONLY	0x1

/**
 * struct drm_ogpu_prime_import - import a dma-buf, choosing its path
 *
 * DRM_IOCTL_PRIME_FD_TO_HANDLE with flags: the same handle for the same
 * dma-buf, the same object for a buffer of this device. Without flags,
 * another OGPU's buffer is reached over a link while its exporter keeps it
 * in VRAM and through system memory otherwise, as PRIME does.
 *
 * Errors: -EINVAL for unknown @flags or non-zero @pad; -EBADF for an @fd
 * that is not open; -ENOLINK as DRM_OGPU_IMPORT_LINK_ONLY says; the errors
 * of DRM_IOCTL_PRIME_FD_TO_HANDLE.
 */
struct drm_ogpu_prime_import {
	/** @fd: In: the dma-buf's file descriptor. */
	__s32 fd;

	/** @flags: In: DRM_OGPU_IMPORT_* flags. */
	__u32 flags;

	/** @handle: Out: the buffer's GEM handle. */
	__u32 handle;

	/**
	 * @path: Out: &enum drm_ogpu_p2p_path: SELF for a buffer of this
	 * device, LINK when it is reached over a link (always, with
	 * DRM_OGPU_IMPORT_LINK_ONLY; otherwise while the exporter keeps it
	 * in VRAM), NONE through system memory.
	 */
	__u32 path;

	/** @port: Out: for LINK, this device's port of the link. */
	__u32 port;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_ogpu_queue_error - why a queue was banned
 */
enum drm_ogpu_queue_error {
	/** @DRM_OGPU_QUEUE_OK: The queue runs. */
	DRM_OGPU_QUEUE_OK = 0,
	/** @DRM_OGPU_QUEUE_TIMEOUT: A submission ran past the timeout. */
	DRM_OGPU_QUEUE_TIMEOUT = 1,
	/** @DRM_OGPU_QUEUE_FAULT: A GPU page fault; see the fault fields. */
	DRM_OGPU_QUEUE_FAULT = 2,
	/** @DRM_OGPU_QUEUE_BAD_PACKET: A malformed packet. */
	DRM_OGPU_QUEUE_BAD_PACKET = 3,
	/**
	 * @DRM_OGPU_QUEUE_DISPATCH: A compute kernel stopped on an error
	 * other than a page fault; see the cu_* fields.
	 */
	DRM_OGPU_QUEUE_DISPATCH = 4,
};

/**
 * enum drm_ogpu_cu_error - why a compute kernel stopped
 */
enum drm_ogpu_cu_error {
	/** @DRM_OGPU_CU_OK: No kernel stopped. */
	DRM_OGPU_CU_OK = 0,
	/** @DRM_OGPU_CU_FAULT: A page fault; cu_tval is the address. */
	DRM_OGPU_CU_FAULT = 1,
	/** @DRM_OGPU_CU_ILLEGAL: An illegal instruction, in cu_tval. */
	DRM_OGPU_CU_ILLEGAL = 2,
	/** @DRM_OGPU_CU_MISALIGNED: A misaligned access or jump to cu_tval. */
	DRM_OGPU_CU_MISALIGNED = 3,
	/** @DRM_OGPU_CU_EBREAK: An ebreak instruction. */
	DRM_OGPU_CU_EBREAK = 4,
	/** @DRM_OGPU_CU_ECALL: An ecall instruction. */
	DRM_OGPU_CU_ECALL = 5,
	/** @DRM_OGPU_CU_BARRIER: A barrier that part of the block ended before. */
	DRM_OGPU_CU_BARRIER = 6,
	/** @DRM_OGPU_CU_WINDOW: An access outside the shared or private window. */
	DRM_OGPU_CU_WINDOW = 7,
};

/**
 * enum drm_ogpu_fault_access - what a faulting access was doing
 *
 * Bits of &struct drm_ogpu_queue_get_state.fault_access; a fault can set
 * more than one (a command buffer's fetch is a read and an exec).
 */
enum drm_ogpu_fault_access {
	/** @DRM_OGPU_FAULT_ACCESS_READ: The access read memory. */
	DRM_OGPU_FAULT_ACCESS_READ = 1,
	/** @DRM_OGPU_FAULT_ACCESS_WRITE: The access wrote memory. */
	DRM_OGPU_FAULT_ACCESS_WRITE = 2,
	/**
	 * @DRM_OGPU_FAULT_ACCESS_EXEC: The access fetched packets or
	 * instructions.
	 */
	DRM_OGPU_FAULT_ACCESS_EXEC = 4,
};

/**
 * enum drm_ogpu_fault_reason - why the MMU refused an access
 *
 * The values of &struct drm_ogpu_queue_get_state.fault_reason.
 */
enum drm_ogpu_fault_reason {
	/** @DRM_OGPU_FAULT_NOT_PRESENT: Nothing is mapped at the address. */
	DRM_OGPU_FAULT_NOT_PRESENT = 1,
	/**
	 * @DRM_OGPU_FAULT_PERMISSION: The mapping forbids the access: a write
	 * to a read-only mapping, a fetch from one without exec, or a command
	 * buffer reaching the kernel's pages.
	 */
	DRM_OGPU_FAULT_PERMISSION = 2,
	/**
	 * @DRM_OGPU_FAULT_BAD_TABLE: A page table or page lies outside the
	 * device's memory.
	 */
	DRM_OGPU_FAULT_BAD_TABLE = 3,
	/** @DRM_OGPU_FAULT_RANGE: The address is past the address space. */
	DRM_OGPU_FAULT_RANGE = 4,
	/**
	 * @DRM_OGPU_FAULT_CTX_DISABLED: The queue's MMU context was not
	 * enabled.
	 */
	DRM_OGPU_FAULT_CTX_DISABLED = 5,
	/**
	 * @DRM_OGPU_FAULT_LINK_DOWN: The address is in a peer's memory and the
	 * link to the peer (&struct drm_ogpu_queue_get_state.fault_port) is
	 * not usable.
	 */
	DRM_OGPU_FAULT_LINK_DOWN = 6,
};

/**
 * struct drm_ogpu_queue_get_state - is a queue banned, and why
 *
 * For a page fault, @fault_access holds &enum drm_ogpu_fault_access bits
 * and @fault_reason an &enum drm_ogpu_fault_reason.
 *
 * Errors: -ENOENT for an unknown queue; -EINVAL for non-zero @pad.
 */
struct drm_ogpu_queue_get_state {
	/** @queue_id: The queue. */
	__u32 queue_id;

	/** @error: Out: &enum drm_ogpu_queue_error; not OK when banned. */
	__u32 error;

	/** @fault_addr: Out: for a fault or bad packet, the VA. */
	__u64 fault_addr;

	/**
	 * @fault_access: Out: for a fault, what the access did: a mask of
	 * &enum drm_ogpu_fault_access bits.
	 */
	__u32 fault_access;

	/**
	 * @fault_reason: Out: for a fault, why the MMU refused it: &enum
	 * drm_ogpu_fault_reason.
	 */
	__u32 fault_reason;

	/** @pad: MBZ. */
	__u64 pad;

	/*
	 * Later than the first version: where a compute kernel stopped
	 * (error DISPATCH, or FAULT in a kernel).
	 */

	/** @cu_error: Out: &enum drm_ogpu_cu_error. */
	__u32 cu_error;

	/** @cu_where: Out: compute unit << 16 | warp << 8 | lane. */
	__u32 cu_where;

	/** @cu_pc: Out: the instruction's address. */
	__u64 cu_pc;

	/** @cu_tval: Out: the faulting address, or the instruction. */
	__u64 cu_tval;

	/* Later than the compute units. */

	/**
	 * @fault_port: Out: for a fault of reason LINK_DOWN, the link port;
	 * else 0.
	 */
	__u32 fault_port;

	/** @pad2: MBZ. */
	__u32 pad2;
};

#if defined(__cplusplus)
}
#endif

#endif /* _OGPU_DRM_H_ */
