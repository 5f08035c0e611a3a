// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU device model core
 *
 * This file is the OGPU's register file as Documentation/hardware.rst
 * specifies it. It knows nothing of the kernel: the module glue in
 * ogpu_sim_main.c calls it under the device's lock for every register
 * access, and turns the level of the interrupt line it computes into an
 * interrupt. The host unit tests call it directly.
 *
 * The interrupt line is level-triggered: it is high while any latched
 * source in OGPU_REG_IRQ_STATUS is also set in OGPU_REG_IRQ_ENABLE.
 *
 * The MMU, through which every engine reaches memory, is in
 * ogpu_sim_mmu.c; the command processor in ogpu_sim_cp.c; the compute
 * dispatch in ogpu_sim_dispatch.c.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "ogpu_sim_core.h"

/**
 * ogpu_sim_config_check() - validate a device configuration
 * @cfg: the configuration
 *
 * Return: 0, or -EINVAL if a field is outside what the hardware allows.
 */
int ogpu_sim_config_check(const struct ogpu_sim_config *cfg)
{
	/* VRAM: at least 1 MiB, a multiple of 64 KiB, below 1 TiB. */
	if (cfg->vram_size < (1ull << 20) || cfg->vram_size & 0xffff ||
	    cfg->vram_size >= (1ull << 40))
		return -EINVAL;
	if (!cfg->num_cus || cfg->num_cus > OGPU_MAX_CUS)
		return -EINVAL;
	if (!cfg->cu_lanes || cfg->cu_lanes > 64 ||
	    (cfg->cu_lanes & (cfg->cu_lanes - 1)))
		return -EINVAL;
	if (!cfg->compute_engines || cfg->compute_engines > OGPU_MAX_ENGINES)
		return -EINVAL;
	if (!cfg->copy_engines || cfg->copy_engines > OGPU_MAX_ENGINES)
		return -EINVAL;
	if (cfg->link_ports > OGPU_MAX_LINK_PORTS)
		return -EINVAL;
	return 0;
}

/**
 * ogpu_sim_core_init() - power on a device
 * @core: the device
 * @cfg: a configuration that ogpu_sim_config_check() accepted
 * @vram: the VRAM backing memory, @cfg->vram_size bytes
 * @host: how the device reaches system memory and reads its clock
 * @host_ctx: argument of @host's functions
 */
void ogpu_sim_core_init(struct ogpu_sim_core *core,
			const struct ogpu_sim_config *cfg, u8 *vram,
			const struct ogpu_sim_host_ops *host,
			void *host_ctx)
{
	memset(core, 0, sizeof(*core));
	core->cfg = *cfg;
	core->vram = vram;
	core->host = host;
	core->host_ctx = host_ctx;
}

static void ogpu_sim_core_reset(struct ogpu_sim_core *core)
{
	u32 q;

	for (q = 0; q < OGPU_NUM_QUEUES; q++)
		ogpu_sim_core_cu_drop(core, q);
	core->cu_insns = 0;
	memset(core->queues, 0, sizeof(core->queues));
	core->q_fence_status = 0;
	core->q_error_status = 0;
	core->scratch = 0;
	core->irq_status = 0;
	core->irq_enable = 0;
	ogpu_sim_mmu_reset(core);
}

static u32 ogpu_sim_ctx_reg(u32 reg, u32 *ctx)
{
	u32 off = reg - OGPU_REG_MMU_CTX_BASE(0);

	*ctx = off / 0x10;
	return off % 0x10;
}

static bool ogpu_sim_is_ctx_reg(u32 reg)
{
	return reg >= OGPU_REG_MMU_CTX_BASE(0) &&
	       reg < OGPU_REG_MMU_CTX_BASE(OGPU_MMU_CONTEXTS);
}

/**
 * ogpu_sim_core_read() - read a register
 * @core: the device
 * @reg: byte offset in the register block
 * @val: the value read
 *
 * Registers that are not implemented read as 0.
 *
 * Return: 0, or -EINVAL for an offset that is unaligned or past the block.
 */
int ogpu_sim_core_read(struct ogpu_sim_core *core, u32 reg, u32 *val)
{
	const struct ogpu_sim_config *cfg = &core->cfg;

	if (reg & 3 || reg >= OGPU_REG_BLOCK_SIZE)
		return -EINVAL;

	switch (reg) {
	case OGPU_REG_ID:
		*val = OGPU_HW_ID;
		break;
	case OGPU_REG_VERSION:
		*val = OGPU_HW_VERSION(OGPU_HW_VERSION_MAJOR,
				       OGPU_HW_VERSION_MINOR);
		break;
	case OGPU_REG_CAPS:
		*val = OGPU_CAP_MMU | OGPU_CAP_QUEUES | OGPU_CAP_COPY_ENGINE |
		       OGPU_CAP_COMPUTE;
		break;
	case OGPU_REG_Q_FENCE_STATUS:
		*val = core->q_fence_status;
		break;
	case OGPU_REG_Q_ERROR_STATUS:
		*val = core->q_error_status;
		break;
	case OGPU_REG_MMU_CONTEXTS:
		*val = OGPU_MMU_CONTEXTS;
		break;
	case OGPU_REG_MMU_FAULT_STATUS:
		*val = core->fault_status;
		break;
	case OGPU_REG_MMU_FAULT_ADDR_LO:
		*val = (u32)core->fault_addr;
		break;
	case OGPU_REG_MMU_FAULT_ADDR_HI:
		*val = (u32)(core->fault_addr >> 32);
		break;
	case OGPU_REG_INSTANCE:
		*val = cfg->instance;
		break;
	case OGPU_REG_VRAM_SIZE_LO:
		*val = (u32)cfg->vram_size;
		break;
	case OGPU_REG_VRAM_SIZE_HI:
		*val = (u32)(cfg->vram_size >> 32);
		break;
	case OGPU_REG_NUM_CUS:
		*val = cfg->num_cus;
		break;
	case OGPU_REG_CU_LANES:
		*val = cfg->cu_lanes;
		break;
	case OGPU_REG_ENGINES:
		*val = OGPU_ENGINES(cfg->compute_engines, cfg->copy_engines);
		break;
	case OGPU_REG_LINK_PORTS:
		*val = cfg->link_ports;
		break;
	case OGPU_REG_STATUS:
		*val = OGPU_STATUS_READY;
		break;
	case OGPU_REG_SCRATCH:
		*val = core->scratch;
		break;
	case OGPU_REG_IRQ_STATUS:
		*val = core->irq_status;
		break;
	case OGPU_REG_IRQ_ENABLE:
		*val = core->irq_enable;
		break;
	default:
		*val = 0;
		if (reg >= OGPU_REG_Q(0) && reg < OGPU_REG_Q(OGPU_NUM_QUEUES))
			*val = ogpu_sim_q_read(core, (reg - OGPU_REG_Q(0)) / 0x40,
					       reg % 0x40);
		if (reg >= OGPU_REG_CU_BASE &&
		    reg < OGPU_REG_CU_Q(OGPU_NUM_QUEUES))
			*val = ogpu_sim_cu_reg_read(core, reg);
		if (ogpu_sim_is_ctx_reg(reg)) {
			u32 ctx, r = ogpu_sim_ctx_reg(reg, &ctx);

			if (r == 0)
				*val = (u32)core->ctx_root[ctx];
			else if (r == 4)
				*val = (u32)(core->ctx_root[ctx] >> 32);
		}
		break;
	}
	return 0;
}

/**
 * ogpu_sim_core_write() - write a register
 * @core: the device
 * @reg: byte offset in the register block
 * @val: the value
 *
 * Writes to read-only or unimplemented registers are ignored.
 *
 * Return: 0, or -EINVAL for an offset that is unaligned or past the block.
 */
int ogpu_sim_core_write(struct ogpu_sim_core *core, u32 reg, u32 val)
{
	if (reg & 3 || reg >= OGPU_REG_BLOCK_SIZE)
		return -EINVAL;

	switch (reg) {
	case OGPU_REG_SCRATCH:
		core->scratch = val;
		break;
	case OGPU_REG_IRQ_STATUS:
		core->irq_status &= ~val;
		break;
	case OGPU_REG_IRQ_ENABLE:
		core->irq_enable = val & OGPU_IRQ_ALL;
		break;
	case OGPU_REG_IRQ_RAISE:
		ogpu_sim_core_raise(core, val & OGPU_IRQ_SW);
		break;
	case OGPU_REG_RESET:
		if (val == OGPU_RESET_KEY)
			ogpu_sim_core_reset(core);
		break;
	case OGPU_REG_MMU_INVALIDATE:
		ogpu_sim_mmu_flush(core, val);
		break;
	case OGPU_REG_MMU_FAULT_CLEAR:
		if (val & 1)
			core->fault_status = 0;
		break;
	case OGPU_REG_Q_FENCE_STATUS:
		core->q_fence_status &= ~val;
		break;
	case OGPU_REG_Q_ERROR_STATUS:
		core->q_error_status &= ~val;
		break;
	default:
		if (reg >= OGPU_REG_Q(0) && reg < OGPU_REG_Q(OGPU_NUM_QUEUES))
			ogpu_sim_q_write(core, (reg - OGPU_REG_Q(0)) / 0x40,
					 reg % 0x40, val);
		if (ogpu_sim_is_ctx_reg(reg)) {
			u32 ctx, r = ogpu_sim_ctx_reg(reg, &ctx);
			u64 *root = &core->ctx_root[ctx];

			if (r == 0)
				*root = (*root & ~0xffffffffull) |
					(val & 0xfffff001u);
			else if (r == 4)
				*root = (*root & 0xffffffffull) |
					(u64)(val & 0xffff) << 32;
		}
		break;
	}
	return 0;
}

/**
 * ogpu_sim_core_raise() - latch interrupt sources
 * @core: the device
 * @sources: OGPU_IRQ_* bits
 */
void ogpu_sim_core_raise(struct ogpu_sim_core *core, u32 sources)
{
	core->irq_status |= sources & OGPU_IRQ_ALL;
}

/**
 * ogpu_sim_core_irq_line() - level of the interrupt line
 * @core: the device
 *
 * Return: true while an enabled interrupt source is latched.
 */
bool ogpu_sim_core_irq_line(const struct ogpu_sim_core *core)
{
	return core->irq_status & core->irq_enable;
}
