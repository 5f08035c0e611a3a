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
 * source in OGPU_HW_REG_IRQ_STATUS is also set in OGPU_HW_REG_IRQ_ENABLE.
 *
 * An access is decoded through a table of register blocks, one per unit
 * of ogpu_hw.h (GLOBAL, MMU, QUEUE, LINK, CU), each with the unit's own
 * read and write functions; a new unit fills in its slot. The MMU, through
 * which every engine reaches memory, is in ogpu_sim_mmu.c; the command
 * processor in ogpu_sim_cp.c; the compute dispatch in ogpu_sim_dispatch.c;
 * the link ports and the fabric that joins devices in ogpu_sim_link.c.
 * Every register access first latches the OGPU_HW_IRQ_LINK that a change
 * made from a link's other end left pending (ogpu_sim_core_link_sync()).
 */

#ifdef __KERNEL__
#include <linux/array_size.h>
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
	if (!cfg->num_cus || cfg->num_cus > OGPU_HW_MAX_CUS)
		return -EINVAL;
	if (!cfg->cu_lanes || cfg->cu_lanes > 64 ||
	    (cfg->cu_lanes & (cfg->cu_lanes - 1)))
		return -EINVAL;
	if (!cfg->compute_engines || cfg->compute_engines > OGPU_HW_MAX_ENGINES)
		return -EINVAL;
	if (!cfg->copy_engines || cfg->copy_engines > OGPU_HW_MAX_ENGINES)
		return -EINVAL;
	if (cfg->link_ports > OGPU_HW_MAX_LINK_PORTS)
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

/**
 * ogpu_sim_core_lock() - take the host's lock, for the engines that run
 * outside it (the compute units and the copy engine)
 * @core: the device
 */
void ogpu_sim_core_lock(struct ogpu_sim_core *core)
{
	if (core->host && core->host->lock)
		core->host->lock(core->host_ctx);
}

/**
 * ogpu_sim_core_unlock() - drop it again
 * @core: the device
 */
void ogpu_sim_core_unlock(struct ogpu_sim_core *core)
{
	if (core->host && core->host->unlock)
		core->host->unlock(core->host_ctx);
}

static void ogpu_sim_core_reset(struct ogpu_sim_core *core)
{
	u32 q;

	for (q = 0; q < OGPU_HW_NUM_QUEUES; q++) {
		ogpu_sim_core_cu_drop(core, q);
		core->q_resets[q]++;
	}
	core->cu_insns = 0;
	memset(core->queues, 0, sizeof(core->queues));
	core->q_fence_status = 0;
	core->q_error_status = 0;
	core->scratch = 0;
	core->irq_status = 0;
	core->irq_enable = 0;
	ogpu_sim_mmu_reset(core);
	ogpu_sim_link_reset(core);
}

/* The global registers, OGPU_HW_REG_ID to OGPU_HW_REG_RESET. */
static u32 ogpu_sim_global_read(struct ogpu_sim_core *core, u32 reg)
{
	const struct ogpu_sim_config *cfg = &core->cfg;

	switch (reg) {
	case OGPU_HW_REG_ID:
		return OGPU_HW_ID;
	case OGPU_HW_REG_VERSION:
		return OGPU_HW_VERSION(OGPU_HW_VERSION_MAJOR,
				       OGPU_HW_VERSION_MINOR);
	case OGPU_HW_REG_CAPS:
		return OGPU_HW_CAP_MMU | OGPU_HW_CAP_QUEUES | OGPU_HW_CAP_COPY_ENGINE |
		       OGPU_HW_CAP_COMPUTE |
		       (cfg->link_ports ? OGPU_HW_CAP_LINK : 0);
	case OGPU_HW_REG_INSTANCE:
		return cfg->instance;
	case OGPU_HW_REG_VRAM_SIZE_LO:
		return (u32)cfg->vram_size;
	case OGPU_HW_REG_VRAM_SIZE_HI:
		return (u32)(cfg->vram_size >> 32);
	case OGPU_HW_REG_NUM_CUS:
		return cfg->num_cus;
	case OGPU_HW_REG_CU_LANES:
		return cfg->cu_lanes;
	case OGPU_HW_REG_ENGINES:
		return OGPU_HW_ENGINES(cfg->compute_engines, cfg->copy_engines);
	case OGPU_HW_REG_LINK_PORTS:
		return cfg->link_ports;
	case OGPU_HW_REG_STATUS:
		return OGPU_HW_STATUS_READY;
	case OGPU_HW_REG_SCRATCH:
		return core->scratch;
	case OGPU_HW_REG_IRQ_STATUS:
		return core->irq_status;
	case OGPU_HW_REG_IRQ_ENABLE:
		return core->irq_enable;
	default:
		return 0;
	}
}

static void ogpu_sim_global_write(struct ogpu_sim_core *core, u32 reg,
				  u32 val)
{
	switch (reg) {
	case OGPU_HW_REG_SCRATCH:
		core->scratch = val;
		break;
	case OGPU_HW_REG_IRQ_STATUS:
		core->irq_status &= ~val;
		break;
	case OGPU_HW_REG_IRQ_ENABLE:
		core->irq_enable = val & OGPU_HW_IRQ_ALL;
		break;
	case OGPU_HW_REG_IRQ_RAISE:
		ogpu_sim_core_raise(core, val & OGPU_HW_IRQ_SW);
		break;
	case OGPU_HW_REG_RESET:
		if (val == OGPU_HW_RESET_KEY)
			ogpu_sim_core_reset(core);
		break;
	default:
		break;
	}
}

/**
 * struct ogpu_sim_reg_block - one unit's block of registers
 * @base: offset of its first register
 * @size: bytes it spans
 * @read: read the register at @reg, or NULL if the block has none that
 *	  read other than 0
 * @write: write the register at @reg, or NULL if the block has no
 *	   writable register
 *
 * @reg, in both functions, is the offset in the whole register file, so
 * the units decode it with the OGPU_REG_* names of ogpu_hw.h. Registers a
 * unit does not implement read as 0 and ignore writes.
 */
struct ogpu_sim_reg_block {
	u32 base;
	u32 size;
	u32 (*read)(struct ogpu_sim_core *core, u32 reg);
	void (*write)(struct ogpu_sim_core *core, u32 reg, u32 val);
};

static const struct ogpu_sim_reg_block ogpu_sim_reg_blocks[] = {
	{
		.base = 0,
		.size = OGPU_HW_REG_MMU_BASE,
		.read = ogpu_sim_global_read,
		.write = ogpu_sim_global_write,
	}, {
		.base = OGPU_HW_REG_MMU_BASE,
		.size = OGPU_HW_REG_QUEUE_BASE - OGPU_HW_REG_MMU_BASE,
		.read = ogpu_sim_mmu_reg_read,
		.write = ogpu_sim_mmu_reg_write,
	}, {
		/* The queues' registers and OGPU_REG_Q_*_STATUS at 0x3000. */
		.base = OGPU_HW_REG_QUEUE_BASE,
		.size = OGPU_HW_REG_LINK_BASE - OGPU_HW_REG_QUEUE_BASE,
		.read = ogpu_sim_queue_reg_read,
		.write = ogpu_sim_queue_reg_write,
	}, {
		.base = OGPU_HW_REG_LINK_BASE,
		.size = OGPU_HW_REG_CU_BASE - OGPU_HW_REG_LINK_BASE,
		.read = ogpu_sim_link_reg_read,
		.write = ogpu_sim_link_reg_write,
	}, {
		/* Compute units: read-only. */
		.base = OGPU_HW_REG_CU_BASE,
		.size = 0x1000,
		.read = ogpu_sim_cu_reg_read,
	},
};

static const struct ogpu_sim_reg_block *ogpu_sim_reg_block(u32 reg)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ogpu_sim_reg_blocks); i++) {
		const struct ogpu_sim_reg_block *b = &ogpu_sim_reg_blocks[i];

		if (reg >= b->base && reg - b->base < b->size)
			return b;
	}
	return NULL;
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
	const struct ogpu_sim_reg_block *b;

	if (reg & 3 || reg >= OGPU_HW_REG_BLOCK_SIZE)
		return -EINVAL;

	ogpu_sim_core_link_sync(core);
	b = ogpu_sim_reg_block(reg);
	*val = b && b->read ? b->read(core, reg) : 0;
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
	const struct ogpu_sim_reg_block *b;

	if (reg & 3 || reg >= OGPU_HW_REG_BLOCK_SIZE)
		return -EINVAL;

	ogpu_sim_core_link_sync(core);
	b = ogpu_sim_reg_block(reg);
	if (b && b->write)
		b->write(core, reg, val);
	return 0;
}

/**
 * ogpu_sim_core_raise() - latch interrupt sources
 * @core: the device
 * @sources: OGPU_IRQ_* bits
 */
void ogpu_sim_core_raise(struct ogpu_sim_core *core, u32 sources)
{
	core->irq_status |= sources & OGPU_HW_IRQ_ALL;
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
