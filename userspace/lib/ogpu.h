/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * libogpu: the user-space library of the OGPU compute stack.
 *
 * Every function that can fail returns 0 or a non-negative count on
 * success and a negative errno value on failure; ogpu_strerror() turns that
 * value into a message. Objects are opaque and reference nothing global:
 * different threads may use different objects freely, and one device from
 * several threads at once.
 */
#ifndef OGPU_H
#define OGPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open OGPU. */
struct ogpu_device;

/** Units a device implements (ogpu_device_props.caps). */
#define OGPU_CAP_MMU		(1u << 0)
#define OGPU_CAP_QUEUES		(1u << 1)
#define OGPU_CAP_COPY_ENGINE	(1u << 2)
#define OGPU_CAP_COMPUTE	(1u << 3)
#define OGPU_CAP_LINK		(1u << 4)

/** What a device is, as its hardware registers say. */
struct ogpu_device_props {
	char render_node[64];	/**< e.g. /dev/dri/renderD128 */
	char bus_id[64];	/**< platform device, e.g. ogpu.0 */
	uint32_t instance;	/**< hardware instance number */
	uint32_t hw_version_major;
	uint32_t hw_version_minor;
	uint32_t caps;		/**< OGPU_CAP_* */
	uint64_t vram_size;	/**< bytes */
	uint32_t num_cus;	/**< compute units */
	uint32_t cu_lanes;	/**< SIMT lanes per compute unit */
	uint32_t num_compute_engines;
	uint32_t num_copy_engines;
	uint32_t num_link_ports;
};

/** Kinds of engine. */
enum ogpu_engine_class {
	OGPU_ENGINE_COMPUTE = 0,
	OGPU_ENGINE_COPY = 1,
};

/** One hardware engine. */
struct ogpu_engine {
	enum ogpu_engine_class engine_class;
	uint32_t instance;
};

/**
 * ogpu_device_count() - number of OGPUs in the system
 *
 * Return: the count, or a negative errno.
 */
int ogpu_device_count(void);

/**
 * ogpu_device_open() - open the OGPU of a given index
 * @index: 0 to ogpu_device_count() - 1; devices are ordered by instance
 * @out: the device, to close with ogpu_device_close()
 *
 * Return: 0, -ENODEV if there is no such device, or another negative errno.
 */
int ogpu_device_open(unsigned int index, struct ogpu_device **out);

/**
 * ogpu_device_open_path() - open an OGPU by its render node
 * @render_node: path such as /dev/dri/renderD128
 * @out: the device
 *
 * Return: 0, -ENODEV if the node is not an OGPU, or another negative errno.
 */
int ogpu_device_open_path(const char *render_node, struct ogpu_device **out);

/** ogpu_device_close() - close a device; NULL is ignored. */
void ogpu_device_close(struct ogpu_device *dev);

/** ogpu_device_fd() - the DRM file descriptor, for use with libdrm. */
int ogpu_device_fd(const struct ogpu_device *dev);

/**
 * ogpu_device_get_props() - what the device is
 * @dev: the device
 * @props: filled in
 *
 * Return: 0, or -ENODEV once the device is gone.
 */
int ogpu_device_get_props(struct ogpu_device *dev,
			  struct ogpu_device_props *props);

/**
 * struct ogpu_device_limits - what one device holds at once, all
 * processes together, and how much of it is taken now
 */
struct ogpu_device_limits {
	uint32_t max_vms;	/**< VMs (MMU contexts) */
	uint32_t vms_in_use;
	uint32_t max_queues;	/**< queues (hardware queues) */
	uint32_t queues_in_use;
	uint64_t vm_page_table_budget;	/**< bytes of page tables per VM */
};

/**
 * ogpu_device_get_limits() - the device's VM, queue and page-table limits
 * @dev: the device
 * @limits: filled in
 *
 * One process may take every VM or queue; ogpu_vm_bind() fails with
 * -ENOSPC once a VM's page tables reach the budget.
 *
 * Return: 0, -EOPNOTSUPP if the kernel does not report limits, or -ENODEV
 * once the device is gone.
 */
int ogpu_device_get_limits(struct ogpu_device *dev,
			   struct ogpu_device_limits *limits);

/**
 * ogpu_device_get_engines() - the device's engines
 * @dev: the device
 * @engines: array of @max entries (may be NULL if @max is 0)
 * @max: room in @engines
 *
 * Return: the number of engines the device has (which may exceed @max;
 * only @max are written), or a negative errno.
 */
int ogpu_device_get_engines(struct ogpu_device *dev,
			    struct ogpu_engine *engines, unsigned int max);

/** A buffer in device-reachable memory. */
struct ogpu_bo;

/** Where a buffer lives. */
enum ogpu_mem {
	/** Device memory (VRAM); moves to host memory only under pressure. */
	OGPU_MEM_DEVICE = 1,
	/** Host (system) memory that the device reaches. */
	OGPU_MEM_HOST = 2,
	/** Device memory if there is room, else host memory. */
	OGPU_MEM_DEVICE_OR_HOST = 3,
};

/** A memory region of a device. */
struct ogpu_mem_region {
	enum ogpu_mem kind;		/**< OGPU_MEM_DEVICE or OGPU_MEM_HOST */
	uint64_t size;			/**< bytes it can hold */
	uint64_t used;			/**< bytes allocated, all processes */
	uint64_t cpu_visible_size;	/**< bytes the CPU can map */
};

/**
 * ogpu_device_get_mem_regions() - the device's memory regions
 * @dev: the device
 * @regions: array of @max entries
 * @max: room in @regions
 *
 * Return: the number of regions (which may exceed @max), or a negative
 * errno.
 */
int ogpu_device_get_mem_regions(struct ogpu_device *dev,
				struct ogpu_mem_region *regions,
				unsigned int max);

/**
 * ogpu_bo_create() - allocate a buffer
 * @dev: the device
 * @size: bytes; rounded up to the page size
 * @mem: where it lives
 * @out: the buffer, to free with ogpu_bo_free()
 *
 * Return: 0; -ENOSPC if it fits in no region it may use; -EINVAL for a
 * size of 0 or an unknown @mem; another negative errno.
 */
int ogpu_bo_create(struct ogpu_device *dev, uint64_t size, enum ogpu_mem mem,
		   struct ogpu_bo **out);

/** ogpu_bo_free() - unmap and free a buffer; NULL is ignored. */
void ogpu_bo_free(struct ogpu_bo *bo);

/**
 * ogpu_bo_map() - map a buffer into the process
 * @bo: the buffer
 * @ptr: its address; the same for every call until ogpu_bo_unmap()
 *
 * The mapping stays valid wherever the buffer moves.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_bo_map(struct ogpu_bo *bo, void **ptr);

/** ogpu_bo_unmap() - undo ogpu_bo_map(); no-op if not mapped. */
void ogpu_bo_unmap(struct ogpu_bo *bo);

/** ogpu_bo_size() - the buffer's size in bytes, page-aligned. */
uint64_t ogpu_bo_size(const struct ogpu_bo *bo);

/** ogpu_bo_handle() - the buffer's GEM handle on its device's fd. */
uint32_t ogpu_bo_handle(const struct ogpu_bo *bo);

/** A GPU virtual address space. */
struct ogpu_vm;

/** Access a mapping allows the GPU (ogpu_vm_bind()). */
#define OGPU_ACCESS_READ	(1u << 0)
#define OGPU_ACCESS_WRITE	(1u << 1)
#define OGPU_ACCESS_EXEC	(1u << 2)
#define OGPU_ACCESS_RW		(OGPU_ACCESS_READ | OGPU_ACCESS_WRITE)

/**
 * ogpu_vm_create() - make a GPU virtual address space
 * @dev: the device
 * @out: the VM, to destroy with ogpu_vm_destroy()
 *
 * Return: 0; -ENOSPC when the device runs as many VMs as it can.
 */
int ogpu_vm_create(struct ogpu_device *dev, struct ogpu_vm **out);

/** ogpu_vm_destroy() - unmap everything and destroy the VM; NULL ignored. */
void ogpu_vm_destroy(struct ogpu_vm *vm);

/**
 * ogpu_vm_bind() - map part of a buffer at a GPU virtual address
 * @vm: the VM
 * @bo: the buffer
 * @bo_offset: where in @bo the mapping starts
 * @va: GPU virtual address
 * @size: bytes
 * @access: OGPU_ACCESS_* bits
 *
 * @bo_offset, @va and @size must be multiples of 4096.
 *
 * Return: 0; -EEXIST if the range is already mapped; -EINVAL for a bad
 * range; another negative errno.
 */
int ogpu_vm_bind(struct ogpu_vm *vm, struct ogpu_bo *bo, uint64_t bo_offset,
		 uint64_t va, uint64_t size, unsigned int access);

/**
 * ogpu_vm_unbind() - unmap a range; mappings covered in part are split
 * @vm: the VM
 * @va: start, a multiple of 4096
 * @size: bytes, a multiple of 4096
 *
 * Return: 0 or a negative errno.
 */
int ogpu_vm_unbind(struct ogpu_vm *vm, uint64_t va, uint64_t size);

/** A syncobj to wait on or signal; point 0 for a binary syncobj. */
struct ogpu_sync {
	uint32_t syncobj;
	uint64_t point;
};

/** One operation of ogpu_vm_bind_ops(). */
struct ogpu_bind_op {
	int unmap;		/**< 0 maps @bo, 1 unmaps the range */
	struct ogpu_bo *bo;	/**< the buffer to map; NULL to unmap */
	uint64_t bo_offset;	/**< where in @bo the mapping starts */
	uint64_t va;		/**< GPU virtual address */
	uint64_t size;		/**< bytes */
	unsigned int access;	/**< OGPU_ACCESS_* bits, for a map */
};

/** ogpu_vm_bind_ops() flag: return once the bind is queued. */
#define OGPU_BIND_ASYNC		(1u << 0)

/**
 * ogpu_vm_bind_ops() - change several mappings at once, with syncobjs
 * @vm: the VM
 * @ops: the operations: every unmap is applied, then every map
 * @n: how many (1 to 256)
 * @in: syncobjs the page-table writes wait for (may be NULL)
 * @n_in: how many (at most 64)
 * @out: syncobjs signalled once the page tables are written (may be NULL)
 * @n_out: how many (at most 64)
 * @flags: 0, or OGPU_BIND_ASYNC to return before the page tables are
 *	   written; work using the new mappings then waits for an @out
 *
 * All or nothing: on error, nothing changed.
 *
 * Return: 0; -EEXIST for an overlap; -EINVAL for a bad range, or an @in
 * with no work submitted yet; -ENOENT for an unknown syncobj; another
 * negative errno.
 */
int ogpu_vm_bind_ops(struct ogpu_vm *vm, const struct ogpu_bind_op *ops,
		     unsigned int n, const struct ogpu_sync *in,
		     unsigned int n_in, const struct ogpu_sync *out,
		     unsigned int n_out, unsigned int flags);

/** ogpu_vm_va_range() - the VAs the VM may bind: [*start, *end). */
void ogpu_vm_va_range(const struct ogpu_vm *vm, uint64_t *start,
		      uint64_t *end);

/** ogpu_vm_device() - the device a VM belongs to. */
struct ogpu_device *ogpu_vm_device(const struct ogpu_vm *vm);

/** ogpu_vm_hw_context() - the MMU context the VM runs in, for debugging. */
unsigned int ogpu_vm_hw_context(const struct ogpu_vm *vm);

/** A hardware queue. */
struct ogpu_queue;

/** A command buffer: packets in host memory, mapped in a VM. */
struct ogpu_cmdbuf;

/** Queue priorities. */
enum ogpu_priority {
	OGPU_PRIORITY_LOW = 0,
	OGPU_PRIORITY_NORMAL = 1,
	OGPU_PRIORITY_HIGH = 2,
};

/** Why a queue stopped (ogpu_queue_get_error()). */
struct ogpu_queue_error {
	unsigned int error;	/**< 0 running, 1 timeout, 2 fault, 3 bad packet */
	uint64_t fault_addr;	/**< VA of the fault or bad packet */
	unsigned int fault_access;	/**< 1 read, 2 write, 4 exec */
	unsigned int fault_reason;	/**< 1 not present, 2 permission, ... */
};

/**
 * ogpu_queue_create() - make a queue that runs work in @vm
 * @vm: the VM
 * @engine: OGPU_ENGINE_COMPUTE or OGPU_ENGINE_COPY
 * @priority: OGPU_PRIORITY_*
 * @timeout_ms: per-submission timeout; 0 for the driver's default
 * @out: the queue
 *
 * Return: 0; -ENOSPC when the device's 7 queues are taken.
 */
int ogpu_queue_create(struct ogpu_vm *vm, enum ogpu_engine_class engine,
		      enum ogpu_priority priority, unsigned int timeout_ms,
		      struct ogpu_queue **out);

/** ogpu_queue_destroy() - destroy a queue; queued work is cancelled. */
void ogpu_queue_destroy(struct ogpu_queue *q);

/**
 * ogpu_queue_get_error() - whether the queue was banned, and why
 * @q: the queue
 * @err: filled in
 *
 * Return: 0 or a negative errno.
 */
int ogpu_queue_get_error(struct ogpu_queue *q, struct ogpu_queue_error *err);

/**
 * ogpu_submit() - run command buffers on a queue
 * @q: the queue
 * @cbs: the command buffers, run in order
 * @n: how many (1 to 64)
 * @in: syncobjs to wait for first (may be NULL)
 * @n_in: how many
 * @out: syncobjs to signal when done (may be NULL)
 * @n_out: how many
 *
 * Return: 0; -ECANCELED if the queue was banned; another negative errno.
 */
int ogpu_submit(struct ogpu_queue *q, struct ogpu_cmdbuf *const *cbs,
		unsigned int n, const struct ogpu_sync *in, unsigned int n_in,
		const struct ogpu_sync *out, unsigned int n_out);

/** ogpu_syncobj_create() - a new, unsignalled binary or timeline syncobj. */
int ogpu_syncobj_create(struct ogpu_device *dev, uint32_t *syncobj);

/** ogpu_syncobj_destroy() - release a syncobj. */
void ogpu_syncobj_destroy(struct ogpu_device *dev, uint32_t syncobj);

/**
 * ogpu_syncobj_wait() - wait until syncobjs signal
 * @dev: the device
 * @syncs: the syncobjs and points
 * @n: how many
 * @abs_timeout_ns: CLOCK_MONOTONIC deadline; INT64_MAX to wait forever
 *
 * Also waits for the work that will signal them to be submitted.
 *
 * Return: 0, -ETIME at the deadline, or another negative errno.
 */
int ogpu_syncobj_wait(struct ogpu_device *dev, const struct ogpu_sync *syncs,
		      unsigned int n, int64_t abs_timeout_ns);

/**
 * ogpu_syncobj_error() - how the work behind a binary syncobj ended
 * @dev: the device
 * @syncobj: a signalled syncobj
 *
 * Return: 0 if it succeeded, the negative errno it failed with (-EIO for
 * a fault, -ETIMEDOUT, -ECANCELED), or a negative errno of the call.
 */
int ogpu_syncobj_error(struct ogpu_device *dev, uint32_t syncobj);

/** ogpu_time_ns() - CLOCK_MONOTONIC now, for deadlines. */
int64_t ogpu_time_ns(void);

/**
 * ogpu_cmdbuf_create() - a command buffer of @size bytes in @vm
 * @vm: the VM it is mapped in (read-only to the GPU)
 * @size: bytes, rounded up to 4 KiB
 * @out: the command buffer
 *
 * Return: 0 or a negative errno.
 */
int ogpu_cmdbuf_create(struct ogpu_vm *vm, uint64_t size,
		       struct ogpu_cmdbuf **out);
/** ogpu_cmdbuf_destroy() - free a command buffer no queue still uses. */
void ogpu_cmdbuf_destroy(struct ogpu_cmdbuf *cb);
/** ogpu_cmdbuf_reset() - empty a command buffer to write it again. */
void ogpu_cmdbuf_reset(struct ogpu_cmdbuf *cb);

/*
 * Packet builders. Each returns 0, or -ENOSPC when the command buffer is
 * full (nothing is written then).
 */
int ogpu_cmd_nop(struct ogpu_cmdbuf *cb);
int ogpu_cmd_write32(struct ogpu_cmdbuf *cb, uint64_t va, uint32_t value);
int ogpu_cmd_write64(struct ogpu_cmdbuf *cb, uint64_t va, uint64_t value);
int ogpu_cmd_copy(struct ogpu_cmdbuf *cb, uint64_t dst, uint64_t src,
		  uint64_t size);
int ogpu_cmd_fill(struct ogpu_cmdbuf *cb, uint64_t dst, uint64_t size,
		  uint32_t value);
/* Wait until the 64-bit value at @va is >= @value. */
int ogpu_cmd_sem_wait(struct ogpu_cmdbuf *cb, uint64_t va, uint64_t value);
int ogpu_cmd_sem_signal(struct ogpu_cmdbuf *cb, uint64_t va, uint64_t value);
int ogpu_cmd_timestamp(struct ogpu_cmdbuf *cb, uint64_t va);
/* Words as they are, for packets the builders do not cover. */
int ogpu_cmd_raw(struct ogpu_cmdbuf *cb, const uint32_t *words,
		 unsigned int n);

/**
 * ogpu_vm_alloc_va() - reserve a range of GPU VA for the library's user
 * @vm: the VM
 * @size: bytes, rounded up to 4 KiB
 *
 * From the upper half of the VM's range, which libogpu manages; the lower
 * half is the caller's own. Never given back.
 *
 * Return: the VA, or 0 when the range is exhausted.
 */
uint64_t ogpu_vm_alloc_va(struct ogpu_vm *vm, uint64_t size);

/**
 * ogpu_copy() - copy @size bytes between GPU VAs with the copy engine
 * @q: a queue
 * @dst: destination VA
 * @src: source VA
 * @size: bytes
 *
 * Waits for the copy. The helper's own command buffer comes and goes.
 *
 * Return: 0, or the negative errno the copy failed with.
 */
int ogpu_copy(struct ogpu_queue *q, uint64_t dst, uint64_t src,
	      uint64_t size);

/** ogpu_fill() - fill @size bytes (a multiple of 4) at @dst with @value. */
int ogpu_fill(struct ogpu_queue *q, uint64_t dst, uint64_t size,
	      uint32_t value);

/**
 * ogpu_strerror() - a readable message for a libogpu return value
 * @err: a negative errno returned by libogpu
 *
 * Return: a static string; never NULL.
 */
const char *ogpu_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* OGPU_H */
