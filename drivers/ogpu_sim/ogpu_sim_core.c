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
 */
void ogpu_sim_core_init(struct ogpu_sim_core *core,
			const struct ogpu_sim_config *cfg)
{
	memset(core, 0, sizeof(*core));
	core->cfg = *cfg;
}

static void ogpu_sim_core_reset(struct ogpu_sim_core *core)
{
	core->scratch = 0;
	core->irq_status = 0;
	core->irq_enable = 0;
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
		*val = 0;
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
	default:
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
