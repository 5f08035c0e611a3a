/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_DEVICE_H__
#define __OGPU_DEVICE_H__

#include <linux/completion.h>
#include <linux/idr.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/drm_device.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_device.h>

#include "ogpu_hw.h"
#include "ogpu_link.h"
#include "ogpu_ttm.h"

struct ogpu_copy_queue;
struct ogpu_ring;
struct regmap;

/**
 * struct ogpu_hw_info - identification and capability registers
 *
 * Read once when the driver binds; constant afterwards.
 */
struct ogpu_hw_info {
	/** @id: OGPU_HW_REG_ID. */
	u32 id;
	/** @version: OGPU_HW_REG_VERSION. */
	u32 version;
	/** @caps: OGPU_HW_REG_CAPS. */
	u32 caps;
	/** @instance: OGPU_HW_REG_INSTANCE. */
	u32 instance;
	/** @vram_size: OGPU_HW_REG_VRAM_SIZE_HI:LO. */
	u64 vram_size;
	/** @num_cus: OGPU_HW_REG_NUM_CUS. */
	u32 num_cus;
	/** @cu_lanes: OGPU_HW_REG_CU_LANES. */
	u32 cu_lanes;
	/** @compute_engines: compute engine count from OGPU_HW_REG_ENGINES. */
	u32 compute_engines;
	/** @copy_engines: copy engine count from OGPU_HW_REG_ENGINES. */
	u32 copy_engines;
	/** @link_ports: OGPU_HW_REG_LINK_PORTS. */
	u32 link_ports;
	/** @cu_isa: OGPU_HW_REG_CU_ISA; 0 without OGPU_HW_CAP_COMPUTE. */
	u32 cu_isa;
	/** @cu_max_block: OGPU_HW_REG_CU_MAX_BLOCK. */
	u32 cu_max_block;
	/** @cu_shared_max: OGPU_HW_REG_CU_SHARED_MAX. */
	u32 cu_shared_max;
	/** @cu_private: OGPU_HW_REG_CU_PRIVATE. */
	u32 cu_private;
	/** @cu_csr_version: OGPU_HW_REG_CU_CSR_VERSION. */
	u32 cu_csr_version;
};

/**
 * struct ogpu_device - one bound OGPU
 *
 * Lifetime: allocated with devm_drm_dev_alloc(), so it lives until the
 * last open file of the render node is closed, possibly after the hardware
 * is gone. Anything that touches the hardware runs between drm_dev_enter()
 * and drm_dev_exit(), or from the interrupt handler, which is freed before
 * the hardware goes away.
 */
struct ogpu_device {
	/** @drm: The DRM device. */
	struct drm_device drm;

	/** @regs: The register block; valid while the device is plugged. */
	struct regmap *regs;

	/** @vram: CPU view of the VRAM aperture. */
	void *vram;

	/** @irq: The interrupt line. */
	int irq;

	/** @info: What the hardware says it is. */
	struct ogpu_hw_info info;

	/** @irq_count: Interrupts handled, for debugfs. */
	atomic64_t irq_count;

	/** @sw_irq_done: Completed by the software interrupt. */
	struct completion sw_irq_done;

	/** @bdev: TTM, which places buffers in VRAM and system memory. */
	struct ttm_device bdev;

	/** @vram_mgr: VRAM's resource manager. */
	struct ogpu_vram_mgr vram_mgr;

	/** @gtt_size: Bytes of system memory the device may map at once. */
	u64 gtt_size;

	/** @hw_ctx_ida: MMU contexts in use. */
	struct ida hw_ctx_ida;

	/** @vms_in_use: User VMs, that is contexts taken from @hw_ctx_ida. */
	atomic_t vms_in_use;

	/** @fault_lock: Protects @last_fault and @fault_count. */
	spinlock_t fault_lock;

	/** @last_fault: The last GPU page fault the MMU reported. */
	struct {
		/** @last_fault.status: OGPU_HW_REG_MMU_FAULT_STATUS. */
		u32 status;
		/** @last_fault.port: OGPU_HW_REG_MMU_FAULT_PORT (link down). */
		u32 port;
		/** @last_fault.addr: The faulting VA. */
		u64 addr;
	} last_fault;

	/** @fault_count: GPU page faults reported. */
	u64 fault_count;

	/** @bytes_to_vram: Bytes TTM copied into VRAM, for debugfs. */
	atomic64_t bytes_to_vram;

	/** @bytes_from_vram: Bytes TTM copied out of VRAM, for debugfs. */
	atomic64_t bytes_from_vram;

	/** @bytes_copy_engine: Bytes of moves the copy engine did. */
	atomic64_t bytes_copy_engine;

	/** @bytes_cpu_copy: Bytes of moves the CPU did. */
	atomic64_t bytes_cpu_copy;

	/** @copy_queue: The queue TTM's moves run on, or NULL. */
	struct ogpu_copy_queue *copy_queue;

	/** @ring_ida: Hardware queues user queues hold (see ogpu_ring.c). */
	struct ida ring_ida;

	/** @ring_lock: Protects @rings; taken in hard IRQ. */
	spinlock_t ring_lock;

	/**
	 * @rings: The ring published on each hardware queue, or NULL: whose
	 * callbacks the interrupt handler calls.
	 */
	struct ogpu_ring *rings[OGPU_HW_NUM_QUEUES];

	/** @links: The interconnect's ports (see ogpu_link.c). */
	struct ogpu_links links;
};

#define to_ogpu_device(d) container_of(d, struct ogpu_device, drm)

/*
 * OGPU_CHECK() - test a condition on user input; when it holds, log which
 * check failed (at DRM_UT_DRIVER debug level) so that a rejected ioctl is
 * easy to diagnose. Evaluates to the condition.
 */
#define OGPU_CHECK(odev, cond) ({					\
	bool __failed = !!(cond);					\
	if (unlikely(__failed))						\
		drm_dbg(&(odev)->drm, "check failed: %s\n", #cond);	\
	__failed;							\
})

u32 ogpu_reg_read(struct ogpu_device *odev, u32 reg);
u64 ogpu_reg_read64(struct ogpu_device *odev, u32 lo, u32 hi);
void ogpu_reg_write(struct ogpu_device *odev, u32 reg, u32 val);

int ogpu_device_init(struct ogpu_device *odev);
void ogpu_device_fini(struct ogpu_device *odev);

#endif /* __OGPU_DEVICE_H__ */
