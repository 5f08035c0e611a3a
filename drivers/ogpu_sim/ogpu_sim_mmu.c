// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU device model MMU
 *
 * The MMU translates a context's 48-bit VAs by walking its four-level page
 * table in VRAM, caching 4 KiB translations in a per-context TLB that only
 * OGPU_HW_REG_MMU_INVALIDATE empties: a driver that changes a page table
 * without invalidating keeps seeing the old translation, as on hardware.
 * The first fault is latched in the fault registers and raises
 * OGPU_HW_IRQ_MMU_FAULT; later ones are dropped until OGPU_HW_REG_MMU_FAULT_CLEAR.
 *
 * A translation ends in a leaf entry whose aperture says where the page
 * is. Each aperture has its own pair of functions, one to copy bytes
 * within a page and one to map the page for direct access, so that every
 * engine (command processor, compute units, debug port) reaches memory
 * through the same entry points: ogpu_sim_core_vm_access(),
 * ogpu_sim_core_vram(), ogpu_sim_core_map(), and ogpu_sim_core_locate()
 * for the copy engine, which moves bytes outside the core's lock. VRAM
 * is the device's own memory; SYSTEM is reached through the host's
 * &ogpu_sim_host_ops.rw and cannot be mapped; PEER, another device's VRAM
 * across the link port the entry names, is reached only through
 * ogpu_sim_link_rw() and cannot be mapped either, so that every access
 * to it is one transfer that the link checks, counts and times, under
 * the device's lock (which keeps the peer's VRAM alive: see
 * ogpu_sim_link.c). A transfer over a port that is not UP or DEGRADED
 * faults with OGPU_HW_FAULT_LINK_DOWN, and OGPU_HW_REG_MMU_FAULT_PORT
 * names the port.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "ogpu_sim_core.h"

/**
 * ogpu_sim_mmu_flush() - empty TLBs
 * @core: the device
 * @ctx_mask: one bit per MMU context whose TLB is emptied
 */
void ogpu_sim_mmu_flush(struct ogpu_sim_core *core, u32 ctx_mask)
{
	u32 ctx;

	for (ctx = 0; ctx < OGPU_HW_MMU_CONTEXTS; ctx++)
		if (ctx_mask & (1u << ctx))
			memset(core->tlb[ctx], 0, sizeof(core->tlb[ctx]));
}

/**
 * ogpu_sim_mmu_reset() - return the MMU to its power-on state
 * @core: the device
 *
 * Disables every context and empties the fault registers and the TLBs.
 */
void ogpu_sim_mmu_reset(struct ogpu_sim_core *core)
{
	memset(core->ctx_root, 0, sizeof(core->ctx_root));
	core->fault_status = 0;
	core->fault_addr = 0;
	core->fault_port = 0;
	ogpu_sim_mmu_flush(core, ~0u);
}

/**
 * ogpu_sim_mmu_reg_read() - read a register of the OGPU_HW_REG_MMU_BASE block
 * @core: the device
 * @reg: its offset in the register file
 *
 * Return: the value; 0 for unimplemented registers.
 */
u32 ogpu_sim_mmu_reg_read(struct ogpu_sim_core *core, u32 reg)
{
	u32 ctx;

	switch (reg) {
	case OGPU_HW_REG_MMU_CONTEXTS:
		return OGPU_HW_MMU_CONTEXTS;
	case OGPU_HW_REG_MMU_FAULT_STATUS:
		return core->fault_status;
	case OGPU_HW_REG_MMU_FAULT_ADDR_LO:
		return (u32)core->fault_addr;
	case OGPU_HW_REG_MMU_FAULT_ADDR_HI:
		return (u32)(core->fault_addr >> 32);
	case OGPU_HW_REG_MMU_FAULT_PORT:
		return core->fault_port;
	}
	if (reg < OGPU_HW_REG_MMU_CTX_BASE(0) ||
	    reg >= OGPU_HW_REG_MMU_CTX_BASE(OGPU_HW_MMU_CONTEXTS))
		return 0;
	ctx = (reg - OGPU_HW_REG_MMU_CTX_BASE(0)) / 0x10;
	if (reg == OGPU_HW_MMU_CTX_ROOT_LO(ctx))
		return (u32)core->ctx_root[ctx];
	if (reg == OGPU_HW_MMU_CTX_ROOT_HI(ctx))
		return (u32)(core->ctx_root[ctx] >> 32);
	return 0;
}

/**
 * ogpu_sim_mmu_reg_write() - write a register of the OGPU_HW_REG_MMU_BASE block
 * @core: the device
 * @reg: its offset in the register file
 * @val: the value
 *
 * Writes to read-only or unimplemented registers are ignored.
 */
void ogpu_sim_mmu_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val)
{
	u32 ctx;
	u64 *root;

	switch (reg) {
	case OGPU_HW_REG_MMU_INVALIDATE:
		ogpu_sim_mmu_flush(core, val);
		return;
	case OGPU_HW_REG_MMU_FAULT_CLEAR:
		if (val & 1)
			core->fault_status = 0;
		return;
	}
	if (reg < OGPU_HW_REG_MMU_CTX_BASE(0) ||
	    reg >= OGPU_HW_REG_MMU_CTX_BASE(OGPU_HW_MMU_CONTEXTS))
		return;
	ctx = (reg - OGPU_HW_REG_MMU_CTX_BASE(0)) / 0x10;
	root = &core->ctx_root[ctx];
	if (reg == OGPU_HW_MMU_CTX_ROOT_LO(ctx))
		*root = (*root & ~0xffffffffull) | (val & 0xfffff001u);
	else if (reg == OGPU_HW_MMU_CTX_ROOT_HI(ctx))
		*root = (*root & 0xffffffffull) | (u64)(val & 0xffff) << 32;
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

	if (!(root & OGPU_HW_MMU_CTX_ENABLE))
		return OGPU_HW_FAULT_CTX_DISABLED;
	if (va >> OGPU_HW_VA_BITS)
		return OGPU_HW_FAULT_RANGE;

	table = root & OGPU_HW_PTE_ADDR_MASK;
	for (level = OGPU_HW_PT_LEVELS - 1; level >= 0; level--) {
		if (table + 4096 > core->cfg.vram_size)
			return OGPU_HW_FAULT_BAD_TABLE;
		entry = ogpu_sim_read_pte(core, table +
					  8 * OGPU_HW_PT_INDEX(va, level));
		if (!(entry & OGPU_HW_PTE_VALID))
			return OGPU_HW_FAULT_NOT_PRESENT;
		if (level == 0)
			break;
		if (entry & OGPU_HW_PTE_LEAF) {
			u64 page = 1ull << OGPU_HW_PT_SHIFT(level);

			/* Only 2 MiB pages, at level 1, and aligned. */
			if (level != 1 || (entry & OGPU_HW_PTE_ADDR_MASK) & (page - 1))
				return OGPU_HW_FAULT_BAD_TABLE;
			entry += va & (page - 1) & ~0xfffull;
			break;
		}
		table = entry & OGPU_HW_PTE_ADDR_MASK;
	}
	*pte = entry;
	return 0;
}

/* The leaf entry for @va, from the TLB or a walk; or an OGPU_FAULT_*. */
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
	if ((access & OGPU_HW_ACCESS_USER) && (pte & OGPU_HW_PTE_PRIV))
		return false;
	if ((access & OGPU_HW_ACCESS_READ) && !(pte & OGPU_HW_PTE_READ))
		return false;
	if ((access & OGPU_HW_ACCESS_WRITE) && !(pte & OGPU_HW_PTE_WRITE))
		return false;
	if ((access & OGPU_HW_ACCESS_EXEC) && !(pte & OGPU_HW_PTE_EXEC))
		return false;
	return true;
}

/* Translate @va and check @access: 0 with the leaf in *pte, or a fault. */
static int ogpu_sim_mmu_lookup(struct ogpu_sim_core *core, u32 ctx, u64 va,
			       u32 access, u64 *pte)
{
	int reason = ogpu_sim_translate(core, ctx, va, pte);

	if (!reason && !ogpu_sim_allows(*pte, access))
		reason = OGPU_HW_FAULT_PERMISSION;
	return reason;
}

/*
 * Latch the first fault, unless one is latched already; @pte is the leaf
 * entry, whose port a link-down fault names.
 */
static void ogpu_sim_mmu_fault(struct ogpu_sim_core *core, u32 ctx, u64 va,
			       u32 access, int reason, u64 pte)
{
	if (core->fault_status & OGPU_HW_FAULT_VALID)
		return;
	core->fault_status = OGPU_HW_FAULT_STATUS(access, reason, ctx);
	core->fault_addr = va;
	core->fault_port = reason == OGPU_HW_FAULT_LINK_DOWN ?
			   OGPU_HW_PTE_PEER_PORT(pte) : 0;
	ogpu_sim_core_raise(core, OGPU_HW_IRQ_MMU_FAULT);
}

/**
 * struct ogpu_sim_aperture - how the MMU reaches the pages of one aperture
 * @rw: copy @len bytes, within one 4 KiB page, between @buf and the
 *	aperture's address @addr of the page of leaf entry @pte; returns 0
 *	or an OGPU_FAULT_* reason
 * @map: the aperture's address @addr, good for @len bytes within its page,
 *	in *@p for direct access, or NULL in *@p when the aperture cannot be
 *	mapped (then @rw reaches it); returns 0 or an OGPU_FAULT_* reason
 */
struct ogpu_sim_aperture {
	int (*rw)(struct ogpu_sim_core *core, u64 pte, u64 addr, void *buf,
		  u32 len, bool write);
	int (*map)(struct ogpu_sim_core *core, u64 addr, u32 len, void **p);
};

static int ogpu_sim_vram_rw(struct ogpu_sim_core *core, u64 pte, u64 addr,
			    void *buf, u32 len, bool write)
{
	if (addr + len > core->cfg.vram_size)
		return OGPU_HW_FAULT_BAD_TABLE;
	/* A COPY within VRAM may overlap: see ogpu_sim_core_vram(). */
	if (write)
		memmove(core->vram + addr, buf, len);
	else
		memmove(buf, core->vram + addr, len);
	return 0;
}

static int ogpu_sim_vram_map(struct ogpu_sim_core *core, u64 addr, u32 len,
			     void **p)
{
	if (addr + len > core->cfg.vram_size)
		return OGPU_HW_FAULT_BAD_TABLE;
	*p = core->vram + addr;
	return 0;
}

static int ogpu_sim_system_rw(struct ogpu_sim_core *core, u64 pte, u64 addr,
			      void *buf, u32 len, bool write)
{
	if (!core->host ||
	    core->host->rw(core->host_ctx, addr, buf, len, write))
		return OGPU_HW_FAULT_BAD_TABLE;
	return 0;
}

/* System memory is the host's, reached only through ogpu_sim_system_rw(). */
static int ogpu_sim_system_map(struct ogpu_sim_core *core, u64 addr, u32 len,
			       void **p)
{
	*p = NULL;
	return 0;
}

/* PEER: another device's VRAM, one transfer over the link at a time. */
static int ogpu_sim_peer_rw(struct ogpu_sim_core *core, u64 pte, u64 addr,
			    void *buf, u32 len, bool write)
{
	return ogpu_sim_link_rw(core, OGPU_HW_PTE_PEER_PORT(pte), addr, buf,
				len, write);
}

/* It cannot be mapped: ogpu_sim_peer_rw() checks and counts each access. */
static int ogpu_sim_peer_map(struct ogpu_sim_core *core, u64 addr, u32 len,
			     void **p)
{
	*p = NULL;
	return 0;
}

/* The fourth aperture value is reserved: its pages always fault. */
static int ogpu_sim_bad_rw(struct ogpu_sim_core *core, u64 pte, u64 addr,
			   void *buf, u32 len, bool write)
{
	return OGPU_HW_FAULT_BAD_TABLE;
}

static int ogpu_sim_bad_map(struct ogpu_sim_core *core, u64 addr, u32 len,
			    void **p)
{
	return OGPU_HW_FAULT_BAD_TABLE;
}

static const struct ogpu_sim_aperture ogpu_sim_apertures[] = {
	[OGPU_HW_APERTURE_VRAM] = { ogpu_sim_vram_rw, ogpu_sim_vram_map },
	[OGPU_HW_APERTURE_SYSTEM] = { ogpu_sim_system_rw, ogpu_sim_system_map },
	[OGPU_HW_APERTURE_PEER] = { ogpu_sim_peer_rw, ogpu_sim_peer_map },
	[3] = { ogpu_sim_bad_rw, ogpu_sim_bad_map },
};

static const struct ogpu_sim_aperture *ogpu_sim_aperture(u64 pte)
{
	return &ogpu_sim_apertures[OGPU_HW_PTE_APERTURE(pte)];
}

/* The physical address of @va's byte, given its page's leaf entry. */
static u64 ogpu_sim_pte_addr(u64 pte, u64 va)
{
	return (pte & OGPU_HW_PTE_ADDR_MASK) + (va & 0xfff);
}

/**
 * ogpu_sim_core_vram() - the VRAM behind a context's VA, for direct copies
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @len: bytes, within @va's 4 KiB page
 * @access: OGPU_HW_ACCESS_READ or OGPU_HW_ACCESS_WRITE, maybe with
 *	    OGPU_HW_ACCESS_USER
 *
 * Return: where [@va, @va + @len) is in VRAM, when the page is mapped
 * there with @access; otherwise NULL, without a fault: the caller then
 * goes through ogpu_sim_core_vm_access(), which reports it.
 */
void *ogpu_sim_core_vram(struct ogpu_sim_core *core, u32 ctx, u64 va,
			 u32 len, u32 access)
{
	u64 pte = 0;
	void *p = NULL;

	if (ctx >= OGPU_HW_MMU_CONTEXTS || (va & 0xfff) + len > 4096 ||
	    ogpu_sim_mmu_lookup(core, ctx, va, access, &pte) ||
	    ogpu_sim_aperture(pte)->map(core, ogpu_sim_pte_addr(pte, va), len,
					&p))
		return NULL;
	return p;
}

/**
 * ogpu_sim_core_locate() - where a context's VA is, without a fault
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @len: bytes, within @va's 4 KiB page
 * @access: OGPU_ACCESS_* bits
 * @p: the VRAM behind [@va, @va + @len), or NULL when it is system memory
 * @dma: the DMA address of that system memory, when *@p is NULL
 *
 * For an engine that moves the bytes later, outside the core's lock:
 * VRAM directly, system memory through &ogpu_sim_host_ops.rw.
 *
 * Return: 0, or -EFAULT without latching a fault when the access would
 * fault or the page is in an aperture that only ogpu_sim_core_vm_access()
 * reaches: the caller then goes through it, and it reports the fault.
 */
int ogpu_sim_core_locate(struct ogpu_sim_core *core, u32 ctx, u64 va,
			 u32 len, u32 access, void **p, u64 *dma)
{
	u64 pte = 0, addr;

	*p = NULL;
	if (ctx >= OGPU_HW_MMU_CONTEXTS || (va & 0xfff) + len > 4096 ||
	    ogpu_sim_mmu_lookup(core, ctx, va, access, &pte))
		return -EFAULT;
	addr = ogpu_sim_pte_addr(pte, va);
	switch (OGPU_HW_PTE_APERTURE(pte)) {
	case OGPU_HW_APERTURE_VRAM:
		return ogpu_sim_vram_map(core, addr, len, p) ? -EFAULT : 0;
	case OGPU_HW_APERTURE_SYSTEM:
		if (!core->host)
			return -EFAULT;
		*dma = addr;
		return 0;
	default:
		/* PEER: each piece moves under the lock, one transfer. */
		return -EFAULT;
	}
}

/**
 * ogpu_sim_core_map() - where a context's VA is, for a compute unit
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @access: OGPU_ACCESS_* bits
 * @p: the VRAM behind @va, good to the end of its page; NULL when the
 *     page is system memory or a peer's VRAM, which
 *     ogpu_sim_core_vm_access() reaches
 *
 * Return: 0, or -EFAULT after latching the fault as
 * ogpu_sim_core_vm_access() does.
 */
int ogpu_sim_core_map(struct ogpu_sim_core *core, u32 ctx, u64 va,
		      u32 access, void **p)
{
	u64 pte = 0;
	int reason;

	*p = NULL;
	if (ctx >= OGPU_HW_MMU_CONTEXTS)
		return -EFAULT;
	reason = ogpu_sim_mmu_lookup(core, ctx, va, access, &pte);
	if (!reason)
		reason = ogpu_sim_aperture(pte)->map(core,
						     ogpu_sim_pte_addr(pte, va),
						     4096 - (va & 0xfff), p);
	if (!reason)
		return 0;
	ogpu_sim_mmu_fault(core, ctx, va, access, reason, pte);
	return -EFAULT;
}

/**
 * ogpu_sim_core_vm_access() - read or write memory at a context's VA
 * @core: the device
 * @ctx: MMU context
 * @va: virtual address
 * @buf: data
 * @len: bytes
 * @access: OGPU_HW_ACCESS_READ or OGPU_HW_ACCESS_WRITE (with OGPU_HW_ACCESS_EXEC
 *	    for an instruction fetch, and OGPU_HW_ACCESS_USER for an unprivileged
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

	if (ctx >= OGPU_HW_MMU_CONTEXTS)
		return -EINVAL;

	while (len) {
		u32 chunk = 4096 - (va & 0xfff);
		u64 pte = 0;
		int reason;

		if (chunk > len)
			chunk = len;
		reason = ogpu_sim_mmu_lookup(core, ctx, va, access, &pte);
		if (!reason) {
			const struct ogpu_sim_aperture *ap =
				ogpu_sim_aperture(pte);

			reason = ap->rw(core, pte, ogpu_sim_pte_addr(pte, va),
					p, chunk, access & OGPU_HW_ACCESS_WRITE);
		}
		if (reason) {
			if (report)
				ogpu_sim_mmu_fault(core, ctx, va, access,
						   reason, pte);
			return -EFAULT;
		}
		va += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}
