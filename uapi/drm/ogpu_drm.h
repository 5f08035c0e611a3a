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

#define DRM_IOCTL_OGPU_DEV_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_OGPU_DEV_QUERY, struct drm_ogpu_dev_query)

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
 * define DRM_OGPU_CAP_LINK - the device has peer-to-peer links
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

#if defined(__cplusplus)
}
#endif

#endif /* _OGPU_DRM_H_ */
