// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: MMU
 *
 * The OGPU's MMU has OGPU_HW_MMU_CONTEXTS contexts, each with a page-table
 * root. A VM takes a context for its lifetime (context 0 is kept for the
 * kernel's own use), so there are at most OGPU_HW_MMU_CONTEXTS - 1 VMs on a
 * device at once. The TLB caches translations until the driver invalidates
 * it, which it does after every change to a context's page tables.
 *
 * The first translation fault is latched in the fault registers and raises
 * OGPU_HW_IRQ_MMU_FAULT. The handler records it (&ogpu_device.last_fault),
 * logs it, and re-arms fault capture.
 */

#include <linux/regmap.h>

#include "ogpu_device.h"
#include "ogpu_hw.h"
#include "ogpu_mmu.h"

/**
 * ogpu_mmu_ctx_alloc() - take an MMU context
 * @odev: the device
 *
 * Return: the context, or -ENOSPC when all are taken.
 */
int ogpu_mmu_ctx_alloc(struct ogpu_device *odev)
{
	int ctx = ida_alloc_range(&odev->hw_ctx_ida, 1, OGPU_HW_MMU_CONTEXTS - 1,
				  GFP_KERNEL);

	if (ctx >= 0)
		atomic_inc(&odev->vms_in_use);
	return ctx == -ENOSPC || ctx >= 0 ? ctx : -ENOMEM;
}

/**
 * ogpu_mmu_ctx_free() - give back an MMU context
 * @odev: the device
 * @ctx: a context from ogpu_mmu_ctx_alloc()
 */
void ogpu_mmu_ctx_free(struct ogpu_device *odev, u32 ctx)
{
	ida_free(&odev->hw_ctx_ida, ctx);
	atomic_dec(&odev->vms_in_use);
}

/**
 * ogpu_mmu_ctx_load() - point a context at a page table and enable it
 * @odev: the device
 * @ctx: the context
 * @root: VRAM offset of the level-3 table
 */
void ogpu_mmu_ctx_load(struct ogpu_device *odev, u32 ctx, u64 root)
{
	ogpu_reg_write(odev, OGPU_HW_MMU_CTX_ROOT_HI(ctx), upper_32_bits(root));
	ogpu_reg_write(odev, OGPU_HW_MMU_CTX_ROOT_LO(ctx),
		       lower_32_bits(root) | OGPU_HW_MMU_CTX_ENABLE);
	ogpu_mmu_invalidate(odev, ctx);
}

/**
 * ogpu_mmu_ctx_unload() - disable a context
 * @odev: the device
 * @ctx: the context
 */
void ogpu_mmu_ctx_unload(struct ogpu_device *odev, u32 ctx)
{
	ogpu_reg_write(odev, OGPU_HW_MMU_CTX_ROOT_LO(ctx), 0);
	ogpu_reg_write(odev, OGPU_HW_MMU_CTX_ROOT_HI(ctx), 0);
	ogpu_mmu_invalidate(odev, ctx);
}

/**
 * ogpu_mmu_invalidate() - flush a context's TLB
 * @odev: the device
 * @ctx: the context
 */
void ogpu_mmu_invalidate(struct ogpu_device *odev, u32 ctx)
{
	ogpu_reg_write(odev, OGPU_HW_REG_MMU_INVALIDATE, BIT(ctx));
}

/**
 * ogpu_mmu_fault_irq() - handle OGPU_HW_IRQ_MMU_FAULT, in hard-IRQ context
 * @odev: the device
 */
void ogpu_mmu_fault_irq(struct ogpu_device *odev)
{
	u32 status = ogpu_reg_read(odev, OGPU_HW_REG_MMU_FAULT_STATUS);
	u64 addr = ogpu_reg_read(odev, OGPU_HW_REG_MMU_FAULT_ADDR_LO) |
		   (u64)ogpu_reg_read(odev, OGPU_HW_REG_MMU_FAULT_ADDR_HI) << 32;

	if (!(status & OGPU_HW_FAULT_VALID))
		return;
	spin_lock(&odev->fault_lock);
	odev->last_fault.status = status;
	odev->last_fault.addr = addr;
	odev->last_fault.port = 0;
	if (OGPU_HW_FAULT_REASON(status) == OGPU_HW_FAULT_LINK_DOWN)
		odev->last_fault.port = ogpu_reg_read(odev,
						      OGPU_HW_REG_MMU_FAULT_PORT);
	odev->fault_count++;
	spin_unlock(&odev->fault_lock);
	ogpu_reg_write(odev, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	drm_dbg(&odev->drm, "GPU page fault: ctx %u va %#llx access %#x reason %u\n",
		OGPU_HW_FAULT_CTX(status), addr, OGPU_HW_FAULT_ACCESS(status),
		OGPU_HW_FAULT_REASON(status));
}
