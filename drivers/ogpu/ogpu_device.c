// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: device bring-up
 *
 * Binding an OGPU checks that the register block identifies itself as an
 * OGPU of a major version this driver speaks, reads the capability
 * registers into &struct ogpu_hw_info, installs the interrupt handler and
 * proves the interrupt path by raising the software interrupt and waiting
 * for it, as drivers do with a ring test before they trust a device.
 *
 * The interrupt handler runs in hard-IRQ context. It reads the latched
 * sources, acknowledges them by writing them back, and hands each source to
 * its unit. Later units (queues, MMU faults, links) add their sources here.
 */

#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/regmap.h>

#include <drm/drm_managed.h>

#include "ogpu_device.h"
#include "ogpu_hw.h"
#include "ogpu_mmu.h"
#include "ogpu_ring.h"

/**
 * ogpu_reg_read() - read a register
 * @odev: the device
 * @reg: register offset
 *
 * Return: the value; all ones if the register block does not answer, as a
 * bus read of a vanished device would give.
 */
u32 ogpu_reg_read(struct ogpu_device *odev, u32 reg)
{
	unsigned int val;

	if (regmap_read(odev->regs, reg, &val))
		return ~0u;
	return val;
}

/**
 * ogpu_reg_read64() - read a 64-bit value kept in two 32-bit registers
 * @odev: the device
 * @lo: the register of bits 31:0
 * @hi: the register of bits 63:32
 *
 * Reads HI, LO, HI until HI holds, so that a counter that carries into its
 * high half between the two reads is not torn.
 *
 * Return: the value.
 */
u64 ogpu_reg_read64(struct ogpu_device *odev, u32 lo, u32 hi)
{
	u32 h, l;

	do {
		h = ogpu_reg_read(odev, hi);
		l = ogpu_reg_read(odev, lo);
	} while (h != ogpu_reg_read(odev, hi));
	return (u64)h << 32 | l;
}

/**
 * ogpu_reg_write() - write a register
 * @odev: the device
 * @reg: register offset
 * @val: value
 */
void ogpu_reg_write(struct ogpu_device *odev, u32 reg, u32 val)
{
	regmap_write(odev->regs, reg, val);
}

static irqreturn_t ogpu_irq_handler(int irq, void *arg)
{
	struct ogpu_device *odev = arg;
	u32 status;

	status = ogpu_reg_read(odev, OGPU_HW_REG_IRQ_STATUS);
	status &= ogpu_reg_read(odev, OGPU_HW_REG_IRQ_ENABLE);
	if (!status)
		return IRQ_NONE;

	ogpu_reg_write(odev, OGPU_HW_REG_IRQ_STATUS, status);
	atomic64_inc(&odev->irq_count);

	if (status & OGPU_HW_IRQ_SW)
		complete(&odev->sw_irq_done);
	if (status & OGPU_HW_IRQ_MMU_FAULT)
		ogpu_mmu_fault_irq(odev);
	if (status & OGPU_HW_IRQ_QUEUE_ERROR)
		ogpu_ring_error_irq(odev);
	if (status & OGPU_HW_IRQ_FENCE)
		ogpu_ring_fence_irq(odev);
	if (status & OGPU_HW_IRQ_LINK)
		ogpu_link_irq(odev);

	return IRQ_HANDLED;
}

static int ogpu_hw_identify(struct ogpu_device *odev)
{
	struct ogpu_hw_info *info = &odev->info;
	u32 engines;

	info->id = ogpu_reg_read(odev, OGPU_HW_REG_ID);
	if (info->id != OGPU_HW_ID) {
		drm_err(&odev->drm, "not an OGPU: ID register reads %#x\n",
			info->id);
		return -ENODEV;
	}

	info->version = ogpu_reg_read(odev, OGPU_HW_REG_VERSION);
	if (OGPU_HW_VERSION_GET_MAJOR(info->version) != OGPU_HW_VERSION_MAJOR) {
		drm_err(&odev->drm, "unsupported OGPU version %u.%u\n",
			OGPU_HW_VERSION_GET_MAJOR(info->version),
			OGPU_HW_VERSION_GET_MINOR(info->version));
		return -ENODEV;
	}

	if (!(ogpu_reg_read(odev, OGPU_HW_REG_STATUS) & OGPU_HW_STATUS_READY)) {
		drm_err(&odev->drm, "device is not ready\n");
		return -EIO;
	}

	info->caps = ogpu_reg_read(odev, OGPU_HW_REG_CAPS);
	info->instance = ogpu_reg_read(odev, OGPU_HW_REG_INSTANCE);
	info->vram_size = ogpu_reg_read(odev, OGPU_HW_REG_VRAM_SIZE_LO) |
		(u64)ogpu_reg_read(odev, OGPU_HW_REG_VRAM_SIZE_HI) << 32;
	info->num_cus = ogpu_reg_read(odev, OGPU_HW_REG_NUM_CUS);
	info->cu_lanes = ogpu_reg_read(odev, OGPU_HW_REG_CU_LANES);
	engines = ogpu_reg_read(odev, OGPU_HW_REG_ENGINES);
	info->compute_engines = OGPU_HW_ENGINES_COMPUTE(engines);
	info->copy_engines = OGPU_HW_ENGINES_COPY(engines);
	info->link_ports = ogpu_reg_read(odev, OGPU_HW_REG_LINK_PORTS);
	if (info->caps & OGPU_HW_CAP_COMPUTE) {
		info->cu_isa = ogpu_reg_read(odev, OGPU_HW_REG_CU_ISA);
		info->cu_max_block = ogpu_reg_read(odev, OGPU_HW_REG_CU_MAX_BLOCK);
		info->cu_shared_max = ogpu_reg_read(odev,
						    OGPU_HW_REG_CU_SHARED_MAX);
		info->cu_private = ogpu_reg_read(odev, OGPU_HW_REG_CU_PRIVATE);
		info->cu_csr_version = ogpu_reg_read(odev,
						     OGPU_HW_REG_CU_CSR_VERSION);
	}

	if (!(info->caps & OGPU_HW_CAP_QUEUES)) {
		drm_err(&odev->drm, "device has no hardware queues\n");
		return -ENODEV;
	}
	if (!(info->caps & OGPU_HW_CAP_MMU) ||
	    ogpu_reg_read(odev, OGPU_HW_REG_MMU_CONTEXTS) != OGPU_HW_MMU_CONTEXTS) {
		drm_err(&odev->drm, "device has no MMU of %u contexts\n",
			OGPU_HW_MMU_CONTEXTS);
		return -ENODEV;
	}
	if (info->compute_engines > OGPU_HW_MAX_ENGINES ||
	    info->copy_engines > OGPU_HW_MAX_ENGINES ||
	    info->link_ports > OGPU_HW_MAX_LINK_PORTS) {
		drm_err(&odev->drm, "capability registers out of range\n");
		return -EIO;
	}
	return 0;
}

/* Raise the software interrupt and wait for the handler to see it. */
static int ogpu_irq_selftest(struct ogpu_device *odev)
{
	reinit_completion(&odev->sw_irq_done);
	ogpu_reg_write(odev, OGPU_HW_REG_IRQ_RAISE, OGPU_HW_IRQ_SW);
	if (!wait_for_completion_timeout(&odev->sw_irq_done, 5 * HZ)) {
		drm_err(&odev->drm, "interrupt self-test timed out\n");
		return -EIO;
	}
	return 0;
}

static void ogpu_device_release(struct drm_device *drm, void *arg)
{
	ida_destroy(&to_ogpu_device(drm)->hw_ctx_ida);
	ida_destroy(&to_ogpu_device(drm)->ring_ida);
}

/**
 * ogpu_device_init() - bring up the hardware
 * @odev: the device, with @odev->regs and @odev->irq set
 *
 * Return: 0 or a negative errno.
 */
int ogpu_device_init(struct ogpu_device *odev)
{
	int ret;

	init_completion(&odev->sw_irq_done);
	spin_lock_init(&odev->fault_lock);
	ida_init(&odev->hw_ctx_ida);
	ida_init(&odev->ring_ida);
	spin_lock_init(&odev->ring_lock);
	ogpu_link_early_init(odev);
	ret = drmm_add_action_or_reset(&odev->drm, ogpu_device_release, NULL);
	if (ret)
		return ret;

	ret = ogpu_hw_identify(odev);
	if (ret)
		return ret;

	ogpu_reg_write(odev, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);

	ret = devm_request_irq(odev->drm.dev, odev->irq, ogpu_irq_handler, 0,
			       dev_name(odev->drm.dev), odev);
	if (ret)
		return ret;

	ogpu_reg_write(odev, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);

	ret = ogpu_irq_selftest(odev);
	if (ret)
		goto err_disable;

	drm_info(&odev->drm, "OGPU %u.%u instance %u: %llu MiB VRAM, %u CUs x %u lanes, %u compute + %u copy engines, %u link ports\n",
		 OGPU_HW_VERSION_GET_MAJOR(odev->info.version),
		 OGPU_HW_VERSION_GET_MINOR(odev->info.version),
		 odev->info.instance, odev->info.vram_size >> 20,
		 odev->info.num_cus, odev->info.cu_lanes,
		 odev->info.compute_engines, odev->info.copy_engines,
		 odev->info.link_ports);
	return 0;

err_disable:
	ogpu_reg_write(odev, OGPU_HW_REG_IRQ_ENABLE, 0);
	return ret;
}

/**
 * ogpu_device_fini() - quiesce the hardware before it is unbound
 * @odev: the device
 *
 * Called after drm_dev_unplug(), so no ioctl reaches the hardware any more.
 */
void ogpu_device_fini(struct ogpu_device *odev)
{
	ogpu_reg_write(odev, OGPU_HW_REG_IRQ_ENABLE, 0);
	synchronize_irq(odev->irq);
	cancel_work_sync(&odev->links.work);
	/*
	 * Stop every queue: work still on the rings would otherwise keep the
	 * device busy after the driver is gone, and nothing would time it
	 * out any more.
	 */
	ogpu_reg_write(odev, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);
}
