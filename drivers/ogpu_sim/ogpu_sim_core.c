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
 * The MMU translates a context's 48-bit VAs by walking its four-level page
 * table in VRAM, caching 4 KiB translations in a per-context TLB that only
 * OGPU_REG_MMU_INVALIDATE empties: a driver that changes a page table
 * without invalidating keeps seeing the old translation, as on hardware.
 * The first fault is latched in the fault registers and raises
 * OGPU_IRQ_MMU_FAULT; later ones are dropped until OGPU_REG_MMU_FAULT_CLEAR.
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

static void ogpu_sim_tlb_flush(struct ogpu_sim_core *core, u32 ctx_mask)
{
	u32 ctx;

	for (ctx = 0; ctx < OGPU_MMU_CONTEXTS; ctx++)
		if (ctx_mask & (1u << ctx))
			memset(core->tlb[ctx], 0, sizeof(core->tlb[ctx]));
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
	memset(core->ctx_root, 0, sizeof(core->ctx_root));
	core->fault_status = 0;
	core->fault_addr = 0;
	ogpu_sim_tlb_flush(core, ~0u);
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
		ogpu_sim_tlb_flush(core, val);
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

static u64 ogpu_sim_read_pte(const struct ogpu_sim_core *core, u64 addr)
{
	const u8 *p = core->vram + addr;

	/* Little endian, whatever the host. */
	return (u64)p[0] | (u64)p[1] << 8 | (u64)p[2] << 16 |
	       (u64)p[3] << 24 | (u64)p[4] << 32 | (u64)p[5] << 40 |
	       (u64)p[6] << 48 | (u64)p[7] << 56;
}

/*
 * Walk a context's page table for @va. Returns 0 with the leaf entry for
 * the 4 KiB page holding @va in *pte, or an OGPU_FAULT_* reason.
 */
static int ogpu_sim_mmu_walk(struct ogpu_sim_core *core, u32 ctx, u64 va,
			     u64 *pte)
{
	u64 root = core->ctx_root[ctx], table, entry;
	int level;

	if (!(root & OGPU_MMU_CTX_ENABLE))
		return OGPU_FAULT_CTX_DISABLED;
	if (va >> OGPU_VA_BITS)
		return OGPU_FAULT_RANGE;

	table = root & OGPU_PTE_ADDR_MASK;
	for (level = OGPU_PT_LEVELS - 1; level >= 0; level--) {
		if (table + 4096 > core->cfg.vram_size)
			return OGPU_FAULT_BAD_TABLE;
		entry = ogpu_sim_read_pte(core, table +
					  8 * OGPU_PT_INDEX(va, level));
		if (!(entry & OGPU_PTE_VALID))
			return OGPU_FAULT_NOT_PRESENT;
		if (level == 0)
			break;
		if (entry & OGPU_PTE_LEAF) {
			u64 page = 1ull << OGPU_PT_SHIFT(level);

			/* Only 2 MiB pages, at level 1, and aligned. */
			if (level != 1 || (entry & OGPU_PTE_ADDR_MASK) & (page - 1))
				return OGPU_FAULT_BAD_TABLE;
			entry += va & (page - 1) & ~0xfffull;
			break;
		}
		table = entry & OGPU_PTE_ADDR_MASK;
	}
	*pte = entry;
	return 0;
}

static int ogpu_sim_translate(struct ogpu_sim_core *core, u32 ctx, u64 va,
			      u64 *pte)
{
	u64 vpn = va >> 12;
	struct ogpu_sim_tlb_entry *e =
		&core->tlb[ctx][vpn % OGPU_SIM_TLB_ENTRIES];
	int ret;

	if (e->tag == vpn + 1) {
		core->tlb_hits++;
		*pte = e->pte;
		return 0;
	}
	core->tlb_misses++;
	ret = ogpu_sim_mmu_walk(core, ctx, va, pte);
	if (!ret) {
		e->tag = vpn + 1;
		e->pte = *pte;
	}
	return ret;
}

static bool ogpu_sim_allows(u64 pte, u32 access)
{
	if ((access & OGPU_ACCESS_USER) && (pte & OGPU_PTE_PRIV))
		return false;
	if ((access & OGPU_ACCESS_READ) && !(pte & OGPU_PTE_READ))
		return false;
	if ((access & OGPU_ACCESS_WRITE) && !(pte & OGPU_PTE_WRITE))
		return false;
	if ((access & OGPU_ACCESS_EXEC) && !(pte & OGPU_PTE_EXEC))
		return false;
	return true;
}

/* Copy within one 4 KiB page at the physical side of @pte. */
static int ogpu_sim_page_rw(struct ogpu_sim_core *core, u64 pte, u32 off,
			    void *buf, u32 len, bool write)
{
	u64 addr = (pte & OGPU_PTE_ADDR_MASK) + off;

	switch (OGPU_PTE_APERTURE(pte)) {
	case OGPU_APERTURE_VRAM:
		if (addr + len > core->cfg.vram_size)
			return OGPU_FAULT_BAD_TABLE;
		/* A COPY within VRAM may overlap: see ogpu_sim_core_vram(). */
		if (write)
			memmove(core->vram + addr, buf, len);
		else
			memmove(buf, core->vram + addr, len);
		return 0;
	case OGPU_APERTURE_SYSTEM:
		if (!core->host ||
		    core->host->rw(core->host_ctx, addr, buf, len, write))
			return OGPU_FAULT_BAD_TABLE;
		return 0;
	default:
		return OGPU_FAULT_BAD_TABLE;
	}
}

/**
 * ogpu_sim_core_vram() - the VRAM behind a context's VA, for direct copies
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @len: bytes, within @va's 4 KiB page
 * @access: OGPU_ACCESS_READ or OGPU_ACCESS_WRITE, maybe with
 *	    OGPU_ACCESS_USER
 *
 * Return: where [@va, @va + @len) is in VRAM, when the page is mapped
 * there with @access; otherwise NULL, without a fault: the caller then
 * goes through ogpu_sim_core_vm_access(), which reports it.
 */
void *ogpu_sim_core_vram(struct ogpu_sim_core *core, u32 ctx, u64 va,
			 u32 len, u32 access)
{
	u64 pte = 0, addr;

	if (ctx >= OGPU_MMU_CONTEXTS || (va & 0xfff) + len > 4096 ||
	    ogpu_sim_translate(core, ctx, va, &pte) ||
	    !ogpu_sim_allows(pte, access) ||
	    OGPU_PTE_APERTURE(pte) != OGPU_APERTURE_VRAM)
		return NULL;
	addr = (pte & OGPU_PTE_ADDR_MASK) + (va & 0xfff);
	if (addr + len > core->cfg.vram_size)
		return NULL;
	return core->vram + addr;
}

/**
 * ogpu_sim_core_map() - where a context's VA is, for a compute unit
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @access: OGPU_ACCESS_* bits
 * @p: the VRAM behind @va, good to the end of its page; NULL when the
 *     page is system memory, which ogpu_sim_core_vm_access() reaches
 *
 * Return: 0, or -EFAULT after latching the fault as
 * ogpu_sim_core_vm_access() does.
 */
int ogpu_sim_core_map(struct ogpu_sim_core *core, u32 ctx, u64 va,
		      u32 access, void **p)
{
	u64 pte = 0, addr;
	int reason;

	*p = NULL;
	if (ctx >= OGPU_MMU_CONTEXTS)
		return -EFAULT;
	reason = ogpu_sim_translate(core, ctx, va, &pte);
	if (!reason && !ogpu_sim_allows(pte, access))
		reason = OGPU_FAULT_PERMISSION;
	if (!reason && OGPU_PTE_APERTURE(pte) == OGPU_APERTURE_VRAM) {
		addr = (pte & OGPU_PTE_ADDR_MASK) + (va & 0xfff);
		if (addr >= core->cfg.vram_size)
			reason = OGPU_FAULT_BAD_TABLE;
		else
			*p = core->vram + addr;
	} else if (!reason && OGPU_PTE_APERTURE(pte) != OGPU_APERTURE_SYSTEM) {
		reason = OGPU_FAULT_BAD_TABLE;
	}
	if (!reason)
		return 0;
	if (!(core->fault_status & OGPU_FAULT_VALID)) {
		core->fault_status = OGPU_FAULT_STATUS(access, reason, ctx);
		core->fault_addr = va;
		ogpu_sim_core_raise(core, OGPU_IRQ_MMU_FAULT);
	}
	return -EFAULT;
}

/**
 * ogpu_sim_core_vm_access() - read or write memory at a context's VA
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @buf: data
 * @len: bytes
 * @access: OGPU_ACCESS_READ or OGPU_ACCESS_WRITE (with OGPU_ACCESS_EXEC
 *	    for an instruction fetch, and OGPU_ACCESS_USER for an unprivileged
 *	    one)
 * @report: latch a fault in the fault registers and raise the interrupt;
 *	    false for the debug port, which only wants the error
 *
 * Return: 0, -EINVAL for a bad context, or -EFAULT on a translation fault,
 * in which case the bytes before the faulting page have been accessed.
 */
int ogpu_sim_core_vm_access(struct ogpu_sim_core *core, u32 ctx, u64 va,
			    void *buf, u32 len, u32 access, bool report)
{
	u8 *p = buf;

	if (ctx >= OGPU_MMU_CONTEXTS)
		return -EINVAL;

	while (len) {
		u32 off = va & 0xfff, chunk = 4096 - off;
		u64 pte = 0;
		int reason;

		if (chunk > len)
			chunk = len;
		reason = ogpu_sim_translate(core, ctx, va, &pte);
		if (!reason && !ogpu_sim_allows(pte, access))
			reason = OGPU_FAULT_PERMISSION;
		if (!reason)
			reason = ogpu_sim_page_rw(core, pte, off, p, chunk,
						  access & OGPU_ACCESS_WRITE);
		if (reason) {
			if (report && !(core->fault_status & OGPU_FAULT_VALID)) {
				core->fault_status =
					OGPU_FAULT_STATUS(access, reason, ctx);
				core->fault_addr = va;
				ogpu_sim_core_raise(core, OGPU_IRQ_MMU_FAULT);
			}
			return -EFAULT;
		}
		va += chunk;
		p += chunk;
		len -= chunk;
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
