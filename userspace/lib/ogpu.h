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

/**
 * ogpu_bo_free() - drop a reference to a buffer; NULL is ignored
 * @bo: the buffer
 *
 * The last reference (ogpu_bo_create() and each ogpu_bo_import_fd() that
 * gave @bo count one each) unmaps the buffer and closes its handle.
 */
void ogpu_bo_free(struct ogpu_bo *bo);

/**
 * ogpu_bo_export_fd() - share a buffer with another device or process
 * @bo: the buffer
 * @fd: a new dma-buf file descriptor (close-on-exec, mappable read-write)
 *
 * Any driver can import the dma-buf: another OGPU (ogpu_bo_import_fd()),
 * or another DRM driver through libdrm's drmPrimeFDToHandle(). The buffer
 * stays alive while the fd or an import of it does, and may be mapped with
 * mmap() on @fd. For an importer that cannot follow moves, the buffer is
 * kept in host memory meanwhile.
 *
 * Return: 0, or a negative errno (-ENOENT for a buffer already freed).
 */
int ogpu_bo_export_fd(struct ogpu_bo *bo, int *fd);

/**
 * ogpu_bo_import_fd() - a buffer from a dma-buf
 * @dev: the device
 * @fd: a dma-buf file descriptor, from any driver; the caller keeps it
 * @out: the buffer, to free with ogpu_bo_free()
 *
 * The buffer binds with ogpu_vm_bind() and the device reads and writes it
 * in place, through host memory. A dma-buf of a buffer of @dev gives back
 * that buffer, with one more reference.
 *
 * Return: 0, or a negative errno: -EBADF for a bad @fd, -EINVAL for a
 * dma-buf the device cannot use, -ENOSPC for one larger than the host
 * memory the device reaches.
 */
int ogpu_bo_import_fd(struct ogpu_device *dev, int fd, struct ogpu_bo **out);

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
	/** 0 running, 1 timeout, 2 fault, 3 bad packet, 4 kernel error */
	unsigned int error;
	uint64_t fault_addr;	/**< VA of the fault or bad packet */
	/** Bits of enum drm_ogpu_fault_access (ogpu_drm.h): 1 read, 2 write,
	 * 4 exec. */
	unsigned int fault_access;
	/** enum drm_ogpu_fault_reason (ogpu_drm.h): 1 not present,
	 * 2 permission, 3 bad table, 4 out of range, 5 context disabled,
	 * 6 link down (the peer's link is not usable). */
	unsigned int fault_reason;
	/** For fault_reason 6 (link down): the link port of the fault. */
	unsigned int fault_port;
	/** Why a compute kernel stopped: OGPU_KERNEL_ERR_*, 0 if none did. */
	unsigned int cu_error;
	unsigned int cu;	/**< the compute unit it ran on */
	unsigned int warp;	/**< the warp, in its block */
	unsigned int lane;	/**< the lane, in its warp */
	uint64_t cu_pc;		/**< the instruction's address */
	uint64_t cu_tval;	/**< the address or instruction at fault */
};

/* ogpu_queue_error.cu_error */
#define OGPU_KERNEL_ERR_FAULT		1	/* page fault at cu_tval */
#define OGPU_KERNEL_ERR_ILLEGAL		2	/* illegal instruction cu_tval */
#define OGPU_KERNEL_ERR_MISALIGNED	3	/* misaligned access, cu_tval */
#define OGPU_KERNEL_ERR_EBREAK		4
#define OGPU_KERNEL_ERR_ECALL		5
#define OGPU_KERNEL_ERR_BARRIER		6	/* part of a block at a barrier */
#define OGPU_KERNEL_ERR_WINDOW		7	/* outside shared/private memory */

/** ogpu_kernel_error_str() - a kernel error's name, "none" for 0. */
const char *ogpu_kernel_error_str(unsigned int cu_error);

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

/*
 * Compute. Kernels are C functions built for the OGPU's compute units
 * (RV64G) by ogpu-cc into ELF modules; Documentation/compute.rst says what
 * a kernel sees. A module is loaded into a VM; its kernels are launched
 * on a compute queue over a grid of blocks of threads.
 */

/** What the compute units are (ogpu_device_get_compute_props()). */
struct ogpu_compute_props {
	char isa[32];		/**< e.g. "rv64imafd_zicsr_zifencei" */
	uint32_t num_cus;	/**< compute units */
	uint32_t warp_size;	/**< lanes per warp */
	uint32_t max_block;	/**< threads per block */
	uint32_t shared_max;	/**< shared bytes per block */
	uint32_t private_bytes;	/**< stack bytes per thread */
	uint32_t csr_version;	/**< CSR layout of thread indices */
};

/**
 * ogpu_device_get_compute_props() - the compute units of a device
 * @dev: the device
 * @props: filled in
 *
 * Return: 0, or -ENODEV when the device (or its driver) has none.
 */
int ogpu_device_get_compute_props(struct ogpu_device *dev,
				  struct ogpu_compute_props *props);

/**
 * ogpu_device_get_cu_insns() - the compute units' thread-instruction count
 * @dev: the device
 * @insns: thread-instructions run since the device was reset (a
 *	   performance counter: one per thread per instruction)
 *
 * Return: 0, or -ENODEV without compute units.
 */
int ogpu_device_get_cu_insns(struct ogpu_device *dev, uint64_t *insns);

/** A loaded module: its code and data mapped in one VM. */
struct ogpu_module;
/** A kernel of a module; valid while the module is loaded. */
struct ogpu_kernel;

/**
 * ogpu_module_load_file() - load the OGPU ELF module at @path into @vm
 * @vm: the VM
 * @path: an ELF file that ogpu-cc made
 * @out: the module
 *
 * The module gets VA of its own, so any number of modules can be loaded
 * into one VM. Code is mapped read+exec, read-only data read, data
 * read+write.
 *
 * Return: 0; -ENOEXEC when the file is not an OGPU module (not an ELF, not
 * 64-bit RISC-V, not position-independent, or with a relocation the
 * loader does not know); -ENOENT when there is no such file; another
 * negative errno.
 */
int ogpu_module_load_file(struct ogpu_vm *vm, const char *path,
			  struct ogpu_module **out);

/** ogpu_module_load_data() - the same, from @size bytes at @image. */
int ogpu_module_load_data(struct ogpu_vm *vm, const void *image,
			  size_t size, struct ogpu_module **out);

/** ogpu_module_unload() - unmap and free a module no queue still runs. */
void ogpu_module_unload(struct ogpu_module *mod);

/**
 * ogpu_module_get_kernel() - find the kernel called @name
 * @mod: the module
 * @name: a function the module defines with OGPU_KERNEL
 * @out: the kernel
 *
 * Return: 0, or -ENOENT when the module has no such function.
 */
int ogpu_module_get_kernel(struct ogpu_module *mod, const char *name,
			   const struct ogpu_kernel **out);

/** ogpu_kernel_va() - the GPU VA of a kernel's first instruction. */
uint64_t ogpu_kernel_va(const struct ogpu_kernel *k);

/** Three dimensions of a grid (in blocks) or of a block (in threads). */
struct ogpu_dim3 {
	uint32_t x, y, z;
};

/** OGPU_DIM3() - a struct ogpu_dim3; OGPU_DIM3(n, 1, 1) for one dimension. */
#define OGPU_DIM3(X, Y, Z) ((struct ogpu_dim3){ (X), (Y), (Z) })

/** How to launch a kernel. */
struct ogpu_launch {
	struct ogpu_dim3 grid;		/**< blocks */
	struct ogpu_dim3 block;		/**< threads per block */
	uint32_t shared_bytes;		/**< shared memory per block */
};

/**
 * ogpu_cmd_dispatch() - add a DISPATCH packet to a command buffer
 * @cb: the command buffer
 * @k: the kernel
 * @args_va: GPU VA of its arguments (a0 at entry), 8-byte aligned
 * @args_size: their bytes (a1 at entry)
 * @l: grid, block and shared memory
 *
 * Packets after it run when every block has ended.
 *
 * Return: 0; -EINVAL for an empty grid or block, a block of more threads
 * than the device allows, more shared memory than it has, or misaligned
 * arguments; -ENOSPC when the command buffer is full.
 */
int ogpu_cmd_dispatch(struct ogpu_cmdbuf *cb, const struct ogpu_kernel *k,
		      uint64_t args_va, uint32_t args_size,
		      const struct ogpu_launch *l);

/* The most argument bytes ogpu_launch_kernel() takes. */
#define OGPU_LAUNCH_ARGS_MAX	3968

/**
 * ogpu_launch_kernel() - run a kernel on a queue
 * @q: a compute queue in the kernel's VM
 * @k: the kernel
 * @l: grid, block and shared memory
 * @args: the arguments, copied (the kernel gets a pointer to the copy)
 * @args_size: their bytes, at most OGPU_LAUNCH_ARGS_MAX
 * @in: syncobjs to wait for first (may be NULL)
 * @n_in: how many
 * @out: syncobjs to signal when the kernel has ended (may be NULL)
 * @n_out: how many
 *
 * Returns once the launch is queued: launches on one queue run in order.
 * The library keeps the command buffer and the arguments until the
 * kernel has ended.
 *
 * Return: 0; the errors of ogpu_cmd_dispatch() and ogpu_submit().
 */
int ogpu_launch_kernel(struct ogpu_queue *q, const struct ogpu_kernel *k,
		       const struct ogpu_launch *l, const void *args,
		       uint32_t args_size, const struct ogpu_sync *in,
		       unsigned int n_in, const struct ogpu_sync *out,
		       unsigned int n_out);

/**
 * ogpu_queue_wait_idle() - wait until everything launched on @q has ended
 * @q: the queue
 *
 * Return: 0, or the negative errno the last launch failed with.
 */
int ogpu_queue_wait_idle(struct ogpu_queue *q);

/*
 * The runtime: a CUDA-like layer for programs that want a device, memory
 * and kernels without thinking about VMs, queues and syncobjs. A context
 * owns a device, a VM and a default stream; device memory has GPU
 * addresses (uint64_t) that kernels dereference.
 */
struct ogpu_ctx;
/** A stream: launches and copies that run in order. */
struct ogpu_stream;
/** An event: a point in a stream, with the GPU time it was reached. */
struct ogpu_event;

/** ogpu_ctx_create() - open device @index with a VM and a default stream. */
int ogpu_ctx_create(unsigned int index, struct ogpu_ctx **out);
/** ogpu_ctx_destroy() - wait for the context's work, free everything. */
void ogpu_ctx_destroy(struct ogpu_ctx *ctx);
/** ogpu_ctx_vm() - the context's VM, to load modules into. */
struct ogpu_vm *ogpu_ctx_vm(struct ogpu_ctx *ctx);
/** ogpu_ctx_device() - the context's device. */
struct ogpu_device *ogpu_ctx_device(struct ogpu_ctx *ctx);
/** ogpu_ctx_load_module() - ogpu_module_load_file() into the context's VM. */
int ogpu_ctx_load_module(struct ogpu_ctx *ctx, const char *path,
			 struct ogpu_module **out);
/** ogpu_ctx_synchronize() - wait for every stream of the context. */
int ogpu_ctx_synchronize(struct ogpu_ctx *ctx);

/**
 * ogpu_malloc() - @size bytes of device memory (VRAM), mapped read+write
 * @ctx: the context
 * @size: bytes
 * @dptr: its GPU address
 *
 * Return: 0, -ENOSPC when VRAM is short, or another negative errno.
 */
int ogpu_malloc(struct ogpu_ctx *ctx, uint64_t size, uint64_t *dptr);
/** ogpu_free() - free what ogpu_malloc() gave; -ENOENT if it did not. */
int ogpu_free(struct ogpu_ctx *ctx, uint64_t dptr);

/*
 * Copies, synchronous: they wait for the default stream first, and
 * return when done. Device addresses may point inside an allocation.
 * -EFAULT when a range is not inside one ogpu_malloc() allocation.
 */
int ogpu_memcpy_htod(struct ogpu_ctx *ctx, uint64_t dst, const void *src,
		     uint64_t size);
int ogpu_memcpy_dtoh(struct ogpu_ctx *ctx, void *dst, uint64_t src,
		     uint64_t size);
int ogpu_memcpy_dtod(struct ogpu_ctx *ctx, uint64_t dst, uint64_t src,
		     uint64_t size);
/** ogpu_memset_d32() - fill @count 32-bit words at @dst with @value. */
int ogpu_memset_d32(struct ogpu_ctx *ctx, uint64_t dst, uint32_t value,
		    uint64_t count);

/** ogpu_stream_create() - a new stream (a compute queue of its own). */
int ogpu_stream_create(struct ogpu_ctx *ctx, struct ogpu_stream **out);
/** ogpu_stream_destroy() - wait for a stream's work and free it. */
void ogpu_stream_destroy(struct ogpu_stream *s);
/** ogpu_stream_synchronize() - wait for a stream; its first error. */
int ogpu_stream_synchronize(struct ogpu_stream *s);
/** ogpu_stream_queue() - the queue behind a stream. */
struct ogpu_queue *ogpu_stream_queue(struct ogpu_stream *s);

/**
 * ogpu_launch() - run kernel @k on stream @s (NULL: the default stream)
 * @ctx: the context
 * @s: the stream, or NULL
 * @k: the kernel
 * @grid: blocks
 * @block: threads per block
 * @shared_bytes: shared memory per block
 * @args: the arguments (copied)
 * @args_size: their bytes
 *
 * Return: 0 once queued, or a negative errno.
 */
int ogpu_launch(struct ogpu_ctx *ctx, struct ogpu_stream *s,
		const struct ogpu_kernel *k, struct ogpu_dim3 grid,
		struct ogpu_dim3 block, uint32_t shared_bytes,
		const void *args, uint32_t args_size);

/** ogpu_event_create() - a new event. */
int ogpu_event_create(struct ogpu_ctx *ctx, struct ogpu_event **out);
/** ogpu_event_destroy() - free an event. */
void ogpu_event_destroy(struct ogpu_event *e);
/** ogpu_event_record() - record @e on stream @s (NULL: the default). */
int ogpu_event_record(struct ogpu_event *e, struct ogpu_stream *s);
/** ogpu_event_synchronize() - wait until the stream reached @e. */
int ogpu_event_synchronize(struct ogpu_event *e);
/**
 * ogpu_event_elapsed_ms() - GPU time between two recorded events
 * @start: the earlier event
 * @end: the later one
 * @ms: milliseconds between them, from the GPU's TIMESTAMPs
 *
 * Waits for both. Return: 0, or -EINVAL if either was never recorded.
 */
int ogpu_event_elapsed_ms(struct ogpu_event *start, struct ogpu_event *end,
			  float *ms);

/*
 * The interconnect: links between OGPUs (Documentation/interconnect.rst).
 */

/** A link port's state. */
enum ogpu_link_state {
	OGPU_LINK_DOWN = 0,	/**< no link, or taken down */
	OGPU_LINK_TRAINING = 1,	/**< coming up; not usable yet */
	OGPU_LINK_UP = 2,	/**< usable at its nominal bandwidth */
	OGPU_LINK_DEGRADED = 3,	/**< usable, below its nominal bandwidth */
	OGPU_LINK_FAILED = 4,	/**< failed on transmission errors */
};

/** One link port of a device, and its counters. */
struct ogpu_link {
	uint32_t port;
	enum ogpu_link_state state;
	int has_peer;		/**< a link joins the port to a peer's port */
	int peer_present;	/**< the peer is a bound OGPU */
	int p2p_disabled;	/**< an administrator disabled P2P on it */
	uint32_t peer_instance;	/**< with has_peer */
	uint32_t peer_port;	/**< with has_peer */
	uint32_t peer_render_minor; /**< with peer_present: renderD<minor> */
	uint32_t bandwidth_mbps;	/**< now, in 10^6 bytes/s */
	uint32_t nominal_bandwidth_mbps;
	uint32_t latency_ns;
	uint32_t hops;		/**< 1 with a peer */
	uint64_t tx_bytes, rx_bytes, tx_packets, rx_packets;
	uint32_t replays;	/**< packets sent again */
	uint32_t crc_errors;	/**< packets received corrupt, and dropped */
	uint32_t down_events;	/**< times the link stopped being usable */
};

/**
 * ogpu_device_get_links() - the device's link ports
 * @dev: the device
 * @links: array of @max entries (may be NULL if @max is 0)
 * @max: room in @links
 * @generation: if not NULL, the topology generation: it changes whenever
 *	a port of this device changes, so an unchanged value means that
 *	what was read before still holds
 *
 * Return: the number of ports (which may exceed @max; only @max are
 * written), -EOPNOTSUPP if the kernel does not report links, or another
 * negative errno.
 */
int ogpu_device_get_links(struct ogpu_device *dev, struct ogpu_link *links,
			  unsigned int max, uint64_t *generation);

/** ogpu_link_state_str() - "down", "training", "up", "degraded", "failed". */
const char *ogpu_link_state_str(enum ogpu_link_state state);

/** How one device reaches another's memory (struct ogpu_p2p.path). */
enum ogpu_p2p_path {
	OGPU_P2P_PATH_NONE = 0,	/**< not directly */
	OGPU_P2P_PATH_SELF = 1,	/**< the same device */
	OGPU_P2P_PATH_LINK = 2,	/**< over a link */
};

/** Why a device cannot reach another's memory (struct ogpu_p2p.reason). */
enum ogpu_p2p_reason {
	OGPU_P2P_OK = 0,
	OGPU_P2P_NO_LINK = 1,		/**< no link joins them */
	OGPU_P2P_LINK_DOWN = 2,		/**< the link is down or training */
	OGPU_P2P_LINK_FAILED = 3,	/**< failed on transmission errors */
	OGPU_P2P_LINK_DEGRADED = 4,	/**< below the P2P minimum bandwidth */
	OGPU_P2P_PEER_ABSENT = 5,	/**< the peer was removed */
	OGPU_P2P_DISABLED = 6,		/**< an administrator disabled it */
};

/* struct ogpu_p2p.access bits */
#define OGPU_P2P_READ		(1u << 0)
#define OGPU_P2P_WRITE		(1u << 1)
#define OGPU_P2P_ATOMIC		(1u << 2)

/** Whether and how device A reaches device B's memory, and if not why. */
struct ogpu_p2p {
	unsigned int access;	/**< OGPU_P2P_* bits; 0 unless reason is OK */
	enum ogpu_p2p_path path;
	enum ogpu_p2p_reason reason;
	uint32_t port;		/**< A's port the path or reason is about */
	uint32_t hops;		/**< links on the shortest route; 0: none */
	uint32_t bandwidth_mbps;
	uint32_t latency_ns;
	uint32_t min_bandwidth_mbps;	/**< A's P2P minimum */
	uint64_t link_generation;	/**< A's generation at the answer */
	/** The answer in words a user can act on, e.g. "link port 1 to
	 * ogpu 3 is down: bring it up (links/port1/state)". */
	char why[192];
};

/**
 * ogpu_p2p_query() - can @a read, write and do atomics on @b's memory?
 * @a: the device that would access
 * @b: the device whose memory it would access
 * @out: the answer
 *
 * Return: 0 (the answer is in @out, also when it is "no"), -EOPNOTSUPP if
 * the kernel has no P2P query, or another negative errno.
 */
int ogpu_p2p_query(struct ogpu_device *a, struct ogpu_device *b,
		   struct ogpu_p2p *out);

/**
 * ogpu_p2p_query_instance() - ogpu_p2p_query() for B given by instance
 * @a: the device that would access
 * @instance: B's hardware instance (ogpu_device_props.instance), which
 *	need not be open or even present
 * @out: the answer
 *
 * Return: as ogpu_p2p_query().
 */
int ogpu_p2p_query_instance(struct ogpu_device *a, uint32_t instance,
			    struct ogpu_p2p *out);

/** ogpu_p2p_reason_str() - a reason's short name, such as "link-down". */
const char *ogpu_p2p_reason_str(enum ogpu_p2p_reason reason);

/* ogpu_bo_import_fd_flags() flags */
/* Another OGPU's buffer, over a link or not at all (never host memory). */
#define OGPU_IMPORT_LINK_ONLY	0x1u

/**
 * ogpu_bo_import_fd_flags() - ogpu_bo_import_fd(), choosing the path
 * @dev: the device
 * @fd: a dma-buf file descriptor; the caller keeps it
 * @flags: 0, or OGPU_IMPORT_LINK_ONLY
 * @out: the buffer, to free with ogpu_bo_free()
 * @path: if not NULL, how @dev reaches it: OGPU_P2P_PATH_SELF (its own
 *	buffer), OGPU_P2P_PATH_LINK (over a link: while the exporter keeps
 *	it in VRAM, or always with OGPU_IMPORT_LINK_ONLY), OGPU_P2P_PATH_NONE
 *	(through host memory)
 *
 * Without flags, as ogpu_bo_import_fd(): another OGPU's buffer is reached
 * over a link when one joins the two devices, and through host memory
 * otherwise. With OGPU_IMPORT_LINK_ONLY, the import fails instead of
 * falling back; once made, its mappings always go over the link (the
 * exporter's buffer is brought back into its VRAM when it left), and
 * ogpu_vm_bind() or a submission fails with -ENOLINK if the link stopped
 * being usable. The choice stays with the device's import of that dma-buf.
 *
 * Return: as ogpu_bo_import_fd(); -ENOLINK with OGPU_IMPORT_LINK_ONLY for
 * a buffer not reached over a usable link (another driver's, one in host
 * memory, or no link: ogpu_p2p_query() says why); -EINVAL for unknown
 * @flags.
 */
int ogpu_bo_import_fd_flags(struct ogpu_device *dev, int fd,
			    unsigned int flags, struct ogpu_bo **out,
			    enum ogpu_p2p_path *path);

/*
 * Collectives over several devices (Documentation/interconnect.rst):
 * NCCL's operations, by the ring algorithm over the links, with the data
 * moved by the devices' copy engines and reduced by their compute units.
 */

/** A communicator: a ring of devices, one rank each. */
struct ogpu_comm;

/** Element types of the collectives. */
enum ogpu_dtype {
	OGPU_INT32 = 0,
	OGPU_FLOAT32 = 1,
	OGPU_FLOAT64 = 2,
};

/** Reductions; integer sums and products wrap. */
enum ogpu_redop {
	OGPU_SUM = 0,
	OGPU_PROD = 1,
	OGPU_MIN = 2,
	OGPU_MAX = 3,
};

/**
 * ogpu_comm_create() - a communicator of @n ranks in this process
 * @vms: rank i works in @vms[i] (one VM per device; the buffers the
 *	collectives get are GPU VAs in these VMs)
 * @n: ranks, 1 to 64
 * @out: the communicator
 *
 * The ring follows the links: if a cycle of usable links joins the
 * devices, the data goes round it; pairs of the ring without a link
 * exchange data through system memory (ogpu_comm_status() says how many).
 * Each rank gets a compute queue, the reduction kernel, a staging buffer
 * of 2 (n - 1) 64 KiB slots, in its VM.
 *
 * Return: 0, -EINVAL for no VMs or more than 64, another negative errno.
 */
int ogpu_comm_create(struct ogpu_vm *const *vms, unsigned int n,
		     struct ogpu_comm **out);

/**
 * ogpu_comm_init_rank() - join a communicator that spans processes
 * @vm: this process's rank works in @vm
 * @nranks: ranks, one per process, 1 to 64
 * @rank: this process's rank, 0 to @nranks - 1
 * @socket_path: a Unix socket path that every rank passes alike; rank 0
 *	listens there, the others connect (waiting up to 30 s for it)
 * @out: the communicator
 *
 * Every rank calls this at about the same time. The ranks exchange their
 * staging buffers and semaphores as dma-bufs over the socket; rank 0
 * orders the ring along the links between the devices (when it can open
 * them all). The collectives then take a one-element array: this rank's
 * VA; a failure seen by any rank ends the collective on every rank (in
 * the worst case when the rank's queue times out, 10 s).
 *
 * Return: 0, -EINVAL for bad arguments, -ETIMEDOUT when the ranks did not
 * all come, another negative errno.
 */
int ogpu_comm_init_rank(struct ogpu_vm *vm, unsigned int nranks,
			unsigned int rank, const char *socket_path,
			struct ogpu_comm **out);

/** ogpu_comm_destroy() - wait for the communicator's work; free it. */
void ogpu_comm_destroy(struct ogpu_comm *c);

/** ogpu_comm_size() - the number of ranks. */
unsigned int ogpu_comm_size(const struct ogpu_comm *c);

/**
 * ogpu_comm_status() - the ring's shape, or why the communicator failed
 * @c: the communicator
 *
 * Return: a sentence, valid until the next call on @c.
 */
const char *ogpu_comm_status(const struct ogpu_comm *c);

/*
 * The collectives. Each takes one GPU VA per rank (@send[i] and @recv[i]
 * in rank i's VM), runs on every rank, and returns when all have finished.
 * A send and recv VA may be equal (in place).
 *
 * Failures are bounded: when a link of the ring goes down, or a rank's
 * queue fails, every rank's part ends within 2 s and the call returns
 * -ENOLINK (a link) or -EIO; ogpu_comm_status() names the link or the
 * device. The communicator is then aborted: later calls return
 * -ECONNABORTED; make a new one over the devices that remain.
 */

/** ogpu_all_reduce() - recv[i] = op over ranks of send[*], @count elements. */
int ogpu_all_reduce(struct ogpu_comm *c, const uint64_t *send,
		    const uint64_t *recv, uint64_t count,
		    enum ogpu_dtype dtype, enum ogpu_redop op);

/**
 * ogpu_reduce_scatter() - recv[i] = block i of op over ranks of send[*]
 * @recvcount: elements per block; send buffers hold size * @recvcount
 */
int ogpu_reduce_scatter(struct ogpu_comm *c, const uint64_t *send,
			const uint64_t *recv, uint64_t recvcount,
			enum ogpu_dtype dtype, enum ogpu_redop op);

/**
 * ogpu_all_gather() - block j of recv[i] = send[j], for every i and j
 * @sendcount: elements per rank; recv buffers hold size * @sendcount
 */
int ogpu_all_gather(struct ogpu_comm *c, const uint64_t *send,
		    const uint64_t *recv, uint64_t sendcount,
		    enum ogpu_dtype dtype);

/** ogpu_broadcast() - recv[i] = send[@root], @count elements, every i. */
int ogpu_broadcast(struct ogpu_comm *c, const uint64_t *send,
		   const uint64_t *recv, uint64_t count, enum ogpu_dtype dtype,
		   unsigned int root);

/**
 * ogpu_reduce() - recv[@root] = op over ranks of send[*]
 *
 * Only the root's recv is written; the others may be anything.
 */
int ogpu_reduce(struct ogpu_comm *c, const uint64_t *send,
		const uint64_t *recv, uint64_t count, enum ogpu_dtype dtype,
		enum ogpu_redop op, unsigned int root);

/** ogpu_dtype_str() - "int32", "float" or "double". */
const char *ogpu_dtype_str(enum ogpu_dtype dtype);

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
