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

/* Identification values. */
#define OGPU_HW_ID			0x5550474fu	/* "OGPU", little endian */
#define OGPU_HW_VERSION_MAJOR		1
#define OGPU_HW_VERSION_MINOR		0
#define OGPU_HW_VERSION(maj, min)	(((maj) << 16) | (min))
#define OGPU_HW_VERSION_GET_MAJOR(v)	((v) >> 16)
#define OGPU_HW_VERSION_GET_MINOR(v)	((v) & 0xffff)

/* Size of the register block (BAR0). */
#define OGPU_REG_BLOCK_SIZE		0x10000

/* Global registers, 0x0000 - 0x0fff. All registers are 32 bits wide. */
#define OGPU_REG_ID			0x0000	/* RO: OGPU_HW_ID */
#define OGPU_REG_VERSION		0x0004	/* RO: major << 16 | minor */
#define OGPU_REG_CAPS			0x0008	/* RO: OGPU_CAP_* */
#define OGPU_REG_INSTANCE		0x000c	/* RO: device instance number */
#define OGPU_REG_VRAM_SIZE_LO		0x0010	/* RO: VRAM bytes, low 32 bits */
#define OGPU_REG_VRAM_SIZE_HI		0x0014	/* RO: VRAM bytes, high 32 bits */
#define OGPU_REG_NUM_CUS		0x0018	/* RO: compute units */
#define OGPU_REG_CU_LANES		0x001c	/* RO: SIMT lanes per CU */
#define OGPU_REG_ENGINES		0x0020	/* RO: engine counts */
#define OGPU_REG_LINK_PORTS		0x0024	/* RO: interconnect ports */
#define OGPU_REG_STATUS			0x0028	/* RO: OGPU_STATUS_* */
#define OGPU_REG_SCRATCH		0x0030	/* RW: no side effect */
#define OGPU_REG_IRQ_STATUS		0x0040	/* RW1C: OGPU_IRQ_* latched */
#define OGPU_REG_IRQ_ENABLE		0x0044	/* RW: OGPU_IRQ_* routed */
#define OGPU_REG_IRQ_RAISE		0x0048	/* WO: sets OGPU_IRQ_SW */
#define OGPU_REG_RESET			0x004c	/* WO: OGPU_RESET_KEY resets */

/*
 * Register blocks reserved for later units of the architecture; reads
 * return 0 and writes are ignored until a unit is implemented and its
 * OGPU_CAP_* bit is set.
 */
#define OGPU_REG_MMU_BASE		0x1000
#define OGPU_REG_QUEUE_BASE		0x2000
#define OGPU_REG_LINK_BASE		0x4000

/* OGPU_REG_CAPS bits: units this device implements. */
#define OGPU_CAP_MMU			BIT(0)
#define OGPU_CAP_QUEUES			BIT(1)
#define OGPU_CAP_COPY_ENGINE		BIT(2)
#define OGPU_CAP_COMPUTE		BIT(3)
#define OGPU_CAP_LINK			BIT(4)

/* OGPU_REG_ENGINES fields. */
#define OGPU_ENGINES_COMPUTE(v)		((v) & 0xff)
#define OGPU_ENGINES_COPY(v)		(((v) >> 8) & 0xff)
#define OGPU_ENGINES(compute, copy)	(((copy) << 8) | (compute))

/* OGPU_REG_STATUS bits. */
#define OGPU_STATUS_READY		BIT(0)

/* Interrupt sources, in OGPU_REG_IRQ_STATUS and OGPU_REG_IRQ_ENABLE. */
#define OGPU_IRQ_SW			BIT(0)
#define OGPU_IRQ_ALL			OGPU_IRQ_SW

/* Value to write to OGPU_REG_RESET; any other value is ignored. */
#define OGPU_RESET_KEY			0x52535431u	/* "RST1" */

/* Limits of the device model's configuration. */
#define OGPU_MAX_CUS			64
#define OGPU_MAX_ENGINES		8
#define OGPU_MAX_LINK_PORTS		8

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
