/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The OGPU hardware interface: the register block, its bits and the
 * platform data through which a bound driver finds the device's resources.
 *
 * This is the only header shared by the driver (ogpu.ko) and the device
 * model (ogpu_sim.ko); the driver reaches the hardware through nothing else.
 * Documentation/hardware.rst is the specification this header follows.
 */
#ifndef __OGPU_HW_H__
#define __OGPU_HW_H__

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#endif

#include "ogpu_packets.h"

/* Identification values. */
#define OGPU_HW_ID			0x5550474fu	/* "OGPU", little endian */
#define OGPU_HW_VERSION_MAJOR		1
#define OGPU_HW_VERSION_MINOR		1
#define OGPU_HW_VERSION(maj, min)	(((maj) << 16) | (min))
#define OGPU_HW_VERSION_GET_MAJOR(v)	((v) >> 16)
#define OGPU_HW_VERSION_GET_MINOR(v)	((v) & 0xffff)

/* Size of the register block (BAR0). */
#define OGPU_HW_REG_BLOCK_SIZE		0x10000

/* Global registers, 0x0000 - 0x0fff. All registers are 32 bits wide. */
#define OGPU_HW_REG_ID			0x0000	/* RO: OGPU_HW_ID */
#define OGPU_HW_REG_VERSION		0x0004	/* RO: major << 16 | minor */
#define OGPU_HW_REG_CAPS			0x0008	/* RO: OGPU_CAP_* */
#define OGPU_HW_REG_INSTANCE		0x000c	/* RO: device instance number */
#define OGPU_HW_REG_VRAM_SIZE_LO		0x0010	/* RO: VRAM bytes, low 32 bits */
#define OGPU_HW_REG_VRAM_SIZE_HI		0x0014	/* RO: VRAM bytes, high 32 bits */
#define OGPU_HW_REG_NUM_CUS		0x0018	/* RO: compute units */
#define OGPU_HW_REG_CU_LANES		0x001c	/* RO: SIMT lanes per CU */
#define OGPU_HW_REG_ENGINES		0x0020	/* RO: engine counts */
#define OGPU_HW_REG_LINK_PORTS		0x0024	/* RO: interconnect ports */
#define OGPU_HW_REG_STATUS			0x0028	/* RO: OGPU_STATUS_* */
#define OGPU_HW_REG_SCRATCH		0x0030	/* RW: no side effect */
#define OGPU_HW_REG_IRQ_STATUS		0x0040	/* RW1C: OGPU_IRQ_* latched */
#define OGPU_HW_REG_IRQ_ENABLE		0x0044	/* RW: OGPU_IRQ_* routed */
#define OGPU_HW_REG_IRQ_RAISE		0x0048	/* WO: sets OGPU_HW_IRQ_SW */
#define OGPU_HW_REG_RESET			0x004c	/* WO: OGPU_HW_RESET_KEY resets */

/*
 * Register blocks reserved for later units of the architecture; reads
 * return 0 and writes are ignored until a unit is implemented and its
 * OGPU_CAP_* bit is set.
 */
#define OGPU_HW_REG_MMU_BASE		0x1000
#define OGPU_HW_REG_QUEUE_BASE		0x2000
#define OGPU_HW_REG_LINK_BASE		0x4000
#define OGPU_HW_REG_CU_BASE		0x5000

/*
 * MMU registers (OGPU_HW_CAP_MMU). Each of OGPU_HW_MMU_CONTEXTS contexts has a
 * page-table root; a context is an address space a queue runs in.
 */
#define OGPU_HW_REG_MMU_CONTEXTS		0x1000	/* RO: number of contexts */
#define OGPU_HW_REG_MMU_INVALIDATE		0x1010	/* WO: ctx bitmask, TLB flush */
#define OGPU_HW_REG_MMU_FAULT_STATUS	0x1020	/* RO: OGPU_FAULT_* */
#define OGPU_HW_REG_MMU_FAULT_ADDR_LO	0x1024	/* RO: faulting VA 31:0 */
#define OGPU_HW_REG_MMU_FAULT_ADDR_HI	0x1028	/* RO: faulting VA 63:32 */
#define OGPU_HW_REG_MMU_FAULT_CLEAR	0x102c	/* WO: 1 re-arms fault capture */
#define OGPU_HW_REG_MMU_FAULT_PORT	0x1030	/* RO: link port, LINK_DOWN */
#define OGPU_HW_REG_MMU_CTX_BASE(n)	(0x1100 + (n) * 0x10)
#define OGPU_HW_MMU_CTX_ROOT_LO(n)		(OGPU_HW_REG_MMU_CTX_BASE(n) + 0x0)
#define OGPU_HW_MMU_CTX_ROOT_HI(n)		(OGPU_HW_REG_MMU_CTX_BASE(n) + 0x4)

#define OGPU_HW_MMU_CONTEXTS		16
/* OGPU_HW_MMU_CTX_ROOT_LO: bit 0 enables the context; bits 31:12 root. */
#define OGPU_HW_MMU_CTX_ENABLE		BIT(0)

/* OGPU_HW_REG_MMU_FAULT_STATUS fields. */
#define OGPU_HW_FAULT_VALID		BIT(0)
#define OGPU_HW_FAULT_ACCESS(v)		(((v) >> 1) & 0x7)
#define OGPU_HW_FAULT_USER			BIT(4)	/* from an indirect buffer */
#define OGPU_HW_FAULT_REASON(v)		(((v) >> 8) & 0xf)
#define OGPU_HW_FAULT_CTX(v)		(((v) >> 16) & 0xff)
#define OGPU_HW_FAULT_STATUS(access, reason, ctx) \
	(OGPU_HW_FAULT_VALID | ((access) << 1) | ((reason) << 8) | ((ctx) << 16))

/*
 * Access kinds, in faults and in the walker. OGPU_HW_ACCESS_USER qualifies
 * the others: the access is made for a packet of an indirect buffer, which
 * runs unprivileged (see OGPU_HW_PTE_PRIV); it shows in a fault's status as
 * OGPU_HW_FAULT_USER.
 */
#define OGPU_HW_ACCESS_READ		0x1
#define OGPU_HW_ACCESS_WRITE		0x2
#define OGPU_HW_ACCESS_EXEC		0x4
#define OGPU_HW_ACCESS_USER		0x8

/* Fault reasons. */
#define OGPU_HW_FAULT_NOT_PRESENT		1	/* no valid entry */
#define OGPU_HW_FAULT_PERMISSION		2	/* entry forbids the access */
#define OGPU_HW_FAULT_BAD_TABLE		3	/* table or page outside memory */
#define OGPU_HW_FAULT_RANGE		4	/* VA past the address space */
#define OGPU_HW_FAULT_CTX_DISABLED		5	/* context not enabled */
#define OGPU_HW_FAULT_LINK_DOWN		6	/* PEER page, port not up */

/*
 * Page tables: four levels of 512 64-bit entries in 4 KiB tables, in VRAM,
 * translating 48-bit VAs. Level 3 (the root) is indexed by VA bits 47:39,
 * level 2 by 38:30, level 1 by 29:21 and level 0 by 20:12. A level-1 entry
 * with OGPU_HW_PTE_LEAF maps a 2 MiB page; level-0 entries map 4 KiB pages.
 */
#define OGPU_HW_VA_BITS			48
#define OGPU_HW_PT_LEVELS			4
#define OGPU_HW_PT_ENTRIES			512
#define OGPU_HW_PT_SHIFT(level)		(12 + 9 * (level))
#define OGPU_HW_PT_INDEX(va, level)	(((va) >> OGPU_HW_PT_SHIFT(level)) & 511)

#define OGPU_HW_PTE_VALID			BIT_ULL(0)
#define OGPU_HW_PTE_LEAF			BIT_ULL(1)	/* level 1: 2 MiB page */
#define OGPU_HW_PTE_READ			BIT_ULL(2)
#define OGPU_HW_PTE_WRITE			BIT_ULL(3)
#define OGPU_HW_PTE_EXEC			BIT_ULL(4)
#define OGPU_HW_PTE_APERTURE_SHIFT		5
#define OGPU_HW_PTE_APERTURE_MASK		(3ull << OGPU_HW_PTE_APERTURE_SHIFT)
/*
 * A privileged page: reachable only by packets the command processor
 * fetches from a queue's ring, which only the kernel writes. An access made
 * for a packet of an indirect buffer faults with OGPU_HW_FAULT_PERMISSION.
 */
#define OGPU_HW_PTE_PRIV			BIT_ULL(7)
#define OGPU_HW_PTE_APERTURE(pte) \
	(((pte) & OGPU_HW_PTE_APERTURE_MASK) >> OGPU_HW_PTE_APERTURE_SHIFT)
#define OGPU_HW_PTE_ADDR_MASK		0x000ffffffffff000ull
#define OGPU_HW_PTE_PEER_SHIFT		8	/* bits 11:8: link port */

/* Apertures a page can be in. */
#define OGPU_HW_APERTURE_VRAM		0	/* address: VRAM offset */
#define OGPU_HW_APERTURE_SYSTEM		1	/* address: DMA address */
#define OGPU_HW_APERTURE_PEER		2	/* address: peer's VRAM offset */
#define OGPU_HW_PTE_PEER(port)		((u64)(port) << OGPU_HW_PTE_PEER_SHIFT)
#define OGPU_HW_PTE_PEER_PORT(pte)	(((pte) >> OGPU_HW_PTE_PEER_SHIFT) & 0xf)

/*
 * Interconnect link ports (OGPU_HW_CAP_LINK), 0x4000 - 0x4fff. Each of the
 * LINK_PORTS ports may be joined by a link to a port of another OGPU;
 * Documentation/hardware.rst, "Interconnect links", is the specification.
 * A 64-bit counter is read _LO first: that read latches _HI.
 */
#define OGPU_HW_REG_LINK_GENERATION	0x4000	/* RO: +1 per port change */
#define OGPU_HW_REG_LINK_CHANGED		0x4004	/* RW1C: ports that changed */
#define OGPU_HW_REG_LINK_PORT_BASE(p)	(0x4100 + (p) * 0x80)
#define OGPU_HW_LINK_STATE(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x00)
#define OGPU_HW_LINK_PEER(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x04)
#define OGPU_HW_LINK_BANDWIDTH(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x08)
#define OGPU_HW_LINK_LATENCY(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x0c)
#define OGPU_HW_LINK_TX_BYTES_LO(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x10)
#define OGPU_HW_LINK_TX_BYTES_HI(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x14)
#define OGPU_HW_LINK_RX_BYTES_LO(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x18)
#define OGPU_HW_LINK_RX_BYTES_HI(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x1c)
#define OGPU_HW_LINK_TX_PACKETS_LO(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x20)
#define OGPU_HW_LINK_TX_PACKETS_HI(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x24)
#define OGPU_HW_LINK_RX_PACKETS_LO(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x28)
#define OGPU_HW_LINK_RX_PACKETS_HI(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x2c)
#define OGPU_HW_LINK_REPLAYS(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x30)
#define OGPU_HW_LINK_CRC_ERRORS(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x34)
#define OGPU_HW_LINK_DOWN_EVENTS(p)	(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x38)
#define OGPU_HW_LINK_NOMINAL_BW(p)		(OGPU_HW_REG_LINK_PORT_BASE(p) + 0x3c)

/* OGPU_HW_LINK_STATE values. */
#define OGPU_HW_LINK_DOWN			0	/* no link, or taken down */
#define OGPU_HW_LINK_TRAINING		1	/* coming up: not usable yet */
#define OGPU_HW_LINK_UP			2	/* usable at NOMINAL_BW */
#define OGPU_HW_LINK_DEGRADED		3	/* usable, BANDWIDTH < NOMINAL_BW */
#define OGPU_HW_LINK_FAILED		4	/* replays exhausted: not usable */

/* OGPU_HW_LINK_PEER: valid, peer's INSTANCE and peer's port. */
#define OGPU_HW_LINK_PEER_VALID		BIT(31)
#define OGPU_HW_LINK_PEER_INSTANCE(v)	(((v) >> 16) & 0x3ff)
#define OGPU_HW_LINK_PEER_PORT(v)		((v) & 0xf)
#define OGPU_HW_LINK_PEER_VAL(inst, port) \
	(OGPU_HW_LINK_PEER_VALID | ((inst) << 16) | (port))

/* Payload bytes of one link packet; a packet is the unit of replay. */
#define OGPU_HW_LINK_PACKET_BYTES		256
/* Replays of one packet after which the link fails. */
#define OGPU_HW_LINK_MAX_REPLAYS		8

/*
 * Hardware queues (OGPU_HW_CAP_QUEUES). Each queue is a ring of packets in
 * GPU memory, read through the MMU context it runs in; the command
 * processor runs the enabled queues, higher priority first.
 */
#define OGPU_HW_NUM_QUEUES			8
#define OGPU_HW_REG_Q(n)			(OGPU_HW_REG_QUEUE_BASE + (n) * 0x40)
#define OGPU_HW_Q_RING_LO			0x00	/* RW: ring VA 31:0 */
#define OGPU_HW_Q_RING_HI			0x04	/* RW: ring VA 63:32 */
#define OGPU_HW_Q_RING_SIZE		0x08	/* RW: bytes, 2^n, 4K - 1M */
#define OGPU_HW_Q_CONTROL			0x0c	/* RW: OGPU_QC_* */
#define OGPU_HW_Q_RPTR			0x10	/* RO: next byte to read */
#define OGPU_HW_Q_WPTR			0x14	/* RW: end of written packets */
#define OGPU_HW_Q_DOORBELL			0x18	/* WO: look at WPTR */
#define OGPU_HW_Q_STATUS			0x1c	/* RO: OGPU_QS_* */
#define OGPU_HW_Q_ERROR			0x20	/* RO: OGPU_QE_* */
#define OGPU_HW_Q_ERROR_ADDR_LO		0x24	/* RO: VA of the error */
#define OGPU_HW_Q_ERROR_ADDR_HI		0x28
#define OGPU_HW_Q_RESET			0x2c	/* WO: 1 resets the queue */
#define OGPU_HW_Q_READY_NS_LO		0x30	/* RO: ns passed over, 31:0 */
#define OGPU_HW_Q_READY_NS_HI		0x34	/* RO: ns passed over, 63:32 */
#define OGPU_HW_Q_PKT_ADDR_LO		0x38	/* RO: VA of the packet run, 31:0 */
#define OGPU_HW_Q_PKT_ADDR_HI		0x3c	/* RO: its bits 63:32 */

#define OGPU_HW_QC_CTX(v)			((v) & 0xf)
#define OGPU_HW_QC_PRIO(v)			(((v) >> 8) & 0x3)
#define OGPU_HW_QC(ctx, prio)		((ctx) | (prio) << 8 | OGPU_HW_QC_ENABLE)
#define OGPU_HW_QC_ENABLE			BIT(31)

#define OGPU_HW_QS_IDLE			0	/* nothing to do */
#define OGPU_HW_QS_BUSY			1	/* packets pending */
#define OGPU_HW_QS_WAITING			2	/* on a semaphore */
#define OGPU_HW_QS_ERROR			3	/* halted; see OGPU_HW_Q_ERROR */

#define OGPU_HW_QE_NONE			0
#define OGPU_HW_QE_FAULT			1	/* MMU fault; see MMU registers */
#define OGPU_HW_QE_BAD_PACKET		2	/* unknown opcode or size */
#define OGPU_HW_QE_BAD_CONFIG		3	/* ring size or alignment */
#define OGPU_HW_QE_DISPATCH		4	/* a kernel stopped; OGPU_CU_Q_* */

/* Which queues ran a FENCE packet / halted on an error (RW1C). */
#define OGPU_HW_REG_Q_FENCE_STATUS		0x3000
#define OGPU_HW_REG_Q_ERROR_STATUS		0x3004

/*
 * Compute units (OGPU_HW_CAP_COMPUTE). Documentation/compute.rst specifies
 * the ISA, the CSRs and the memory windows a kernel sees.
 */
#define OGPU_HW_REG_CU_ISA			0x5000	/* RO: misa-style letters */
#define OGPU_HW_REG_CU_MAX_BLOCK		0x5004	/* RO: threads per block */
#define OGPU_HW_REG_CU_SHARED_MAX		0x5008	/* RO: shared bytes per block */
#define OGPU_HW_REG_CU_PRIVATE		0x500c	/* RO: private bytes per thread */
#define OGPU_HW_REG_CU_CSR_VERSION		0x5010	/* RO: OGPU_HW_CSR_VERSION */
#define OGPU_HW_REG_CU_INSNS_LO		0x5018	/* RO: thread-instructions run */
#define OGPU_HW_REG_CU_INSNS_HI		0x501c
/*
 * Why queue q's last DISPATCH stopped (OGPU_HW_QE_DISPATCH, or OGPU_HW_QE_FAULT
 * with a CU's access): the cause, the PC, the faulting address or
 * instruction, and which CU, warp and lane. Cleared by OGPU_HW_Q_RESET.
 */
#define OGPU_HW_REG_CU_Q(q)		(OGPU_HW_REG_CU_BASE + 0x100 + (q) * 0x20)
#define OGPU_HW_CU_Q_CAUSE			0x00	/* RO: OGPU_CU_ERR_* */
#define OGPU_HW_CU_Q_PC_LO			0x04
#define OGPU_HW_CU_Q_PC_HI			0x08
#define OGPU_HW_CU_Q_TVAL_LO		0x0c	/* address, or the instruction */
#define OGPU_HW_CU_Q_TVAL_HI		0x10
#define OGPU_HW_CU_Q_WHERE			0x14	/* cu << 16 | warp << 8 | lane */

#define OGPU_HW_CU_ERR_NONE		0
#define OGPU_HW_CU_ERR_FAULT		1	/* MMU fault; TVAL = address */
#define OGPU_HW_CU_ERR_ILLEGAL		2	/* TVAL = the instruction */
#define OGPU_HW_CU_ERR_MISALIGNED		3	/* TVAL = address */
#define OGPU_HW_CU_ERR_EBREAK		4
#define OGPU_HW_CU_ERR_ECALL		5
#define OGPU_HW_CU_ERR_BARRIER		6	/* part of a block at a barrier */
#define OGPU_HW_CU_ERR_WINDOW		7	/* outside shared/private; TVAL */

#define OGPU_HW_CU_WHERE(cu, warp, lane)	((cu) << 16 | (warp) << 8 | (lane))

/* The ISA letters in OGPU_HW_REG_CU_ISA, as in RISC-V's misa. */
#define OGPU_HW_CU_ISA_BIT(letter)		BIT((letter) - 'A')
#define OGPU_HW_CU_ISA_RV64G		(OGPU_HW_CU_ISA_BIT('I') | \
					 OGPU_HW_CU_ISA_BIT('M') | \
					 OGPU_HW_CU_ISA_BIT('A') | \
					 OGPU_HW_CU_ISA_BIT('F') | \
					 OGPU_HW_CU_ISA_BIT('D'))

#define OGPU_HW_CU_MAX_BLOCK		1024
#define OGPU_HW_CU_SHARED_MAX		(64u << 10)
#define OGPU_HW_CU_PRIVATE_BYTES		1024
#define OGPU_HW_CU_MAX_GRID		65535	/* per dimension */

/*
 * Windows a kernel sees beside its VM, above the MMU's 48-bit range: the
 * return address at entry (returning there ends the thread), its block's
 * shared memory, and the thread's own private memory (its stack: sp at
 * entry is the window's end).
 */
#define OGPU_HW_CU_EXIT_PC			0x0001000000000000ull
#define OGPU_HW_CU_SHARED_VA		0x0001000100000000ull
#define OGPU_HW_CU_PRIVATE_VA		0x0001000200000000ull

/*
 * CSRs of a thread (custom read-only user CSRs), and the barrier: a write
 * to OGPU_HW_CSR_BARRIER (a custom read-write user CSR) waits until every
 * thread of the block that has not ended writes it.
 */
#define OGPU_HW_CSR_VERSION		1
#define OGPU_HW_CSR_TID_X			0xcc0	/* thread index in the block */
#define OGPU_HW_CSR_TID_Y			0xcc1
#define OGPU_HW_CSR_TID_Z			0xcc2
#define OGPU_HW_CSR_BID_X			0xcc3	/* block index in the grid */
#define OGPU_HW_CSR_BID_Y			0xcc4
#define OGPU_HW_CSR_BID_Z			0xcc5
#define OGPU_HW_CSR_BDIM_X			0xcc6	/* block dimensions */
#define OGPU_HW_CSR_BDIM_Y			0xcc7
#define OGPU_HW_CSR_BDIM_Z			0xcc8
#define OGPU_HW_CSR_GDIM_X			0xcc9	/* grid dimensions, in blocks */
#define OGPU_HW_CSR_GDIM_Y			0xcca
#define OGPU_HW_CSR_GDIM_Z			0xccb
#define OGPU_HW_CSR_LANE			0xccc	/* lane in the warp */
#define OGPU_HW_CSR_WARP			0xccd	/* warp in the block */
#define OGPU_HW_CSR_CU			0xcce	/* compute unit */
#define OGPU_HW_CSR_WARP_SIZE		0xccf	/* lanes per warp */
#define OGPU_HW_CSR_SHARED_SIZE		0xcd0	/* shared bytes of the dispatch */
#define OGPU_HW_CSR_LAYOUT			0xcd1	/* OGPU_HW_CSR_VERSION */
#define OGPU_HW_CSR_BARRIER		0x8c0

/* OGPU_HW_REG_CAPS bits: units this device implements. */
#define OGPU_HW_CAP_MMU			BIT(0)
#define OGPU_HW_CAP_QUEUES			BIT(1)
#define OGPU_HW_CAP_COPY_ENGINE		BIT(2)
#define OGPU_HW_CAP_COMPUTE		BIT(3)
#define OGPU_HW_CAP_LINK			BIT(4)

/* OGPU_HW_REG_ENGINES fields. */
#define OGPU_HW_ENGINES_COMPUTE(v)		((v) & 0xff)
#define OGPU_HW_ENGINES_COPY(v)		(((v) >> 8) & 0xff)
#define OGPU_HW_ENGINES(compute, copy)	(((copy) << 8) | (compute))

/* OGPU_HW_REG_STATUS bits. */
#define OGPU_HW_STATUS_READY		BIT(0)

/* Interrupt sources, in OGPU_HW_REG_IRQ_STATUS and OGPU_HW_REG_IRQ_ENABLE. */
#define OGPU_HW_IRQ_SW			BIT(0)
#define OGPU_HW_IRQ_MMU_FAULT		BIT(1)
#define OGPU_HW_IRQ_FENCE			BIT(2)
#define OGPU_HW_IRQ_QUEUE_ERROR		BIT(3)
#define OGPU_HW_IRQ_LINK			BIT(4)
#define OGPU_HW_IRQ_ALL			(OGPU_HW_IRQ_SW | OGPU_HW_IRQ_MMU_FAULT | \
					 OGPU_HW_IRQ_FENCE | OGPU_HW_IRQ_QUEUE_ERROR | \
					 OGPU_HW_IRQ_LINK)

/* Value to write to OGPU_HW_REG_RESET; any other value is ignored. */
#define OGPU_HW_RESET_KEY			0x52535431u	/* "RST1" */

/* Limits of the device model's configuration. */
#define OGPU_HW_MAX_CUS			64
#define OGPU_HW_MAX_ENGINES		8
#define OGPU_HW_MAX_LINK_PORTS		8

#ifdef __KERNEL__
struct regmap;

/**
 * struct ogpu_hw_platform_data - what a bound driver receives
 * @regs: the register block (BAR0), as a regmap of 32-bit registers
 * @vram: CPU view of the VRAM aperture (BAR2), @vram_size bytes
 * @vram_size: size of the aperture, equal to the VRAM size register
 *
 * The device's single interrupt line is its platform IRQ resource 0.
 */
struct ogpu_hw_platform_data {
	struct regmap *regs;
	void *vram;
	u64 vram_size;
};
#endif

#endif /* __OGPU_HW_H__ */
