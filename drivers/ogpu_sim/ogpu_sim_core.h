/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The device model's core: the register file of one OGPU and its interrupt
 * logic. Plain C with no kernel services, so the same file builds into
 * ogpu_sim.ko and into the host-side unit tests (tests/unit/).
 */
#ifndef __OGPU_SIM_CORE_H__
#define __OGPU_SIM_CORE_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

#include "ogpu_hw.h"

/**
 * struct ogpu_sim_config - what a device is built with
 * @instance: instance number, reported by OGPU_REG_INSTANCE
 * @vram_size: bytes of VRAM
 * @num_cus: compute units
 * @cu_lanes: SIMT lanes per compute unit
 * @compute_engines: compute engines
 * @copy_engines: copy (DMA) engines
 * @link_ports: interconnect ports
 */
struct ogpu_sim_config {
	u32 instance;
	u64 vram_size;
	u32 num_cus;
	u32 cu_lanes;
	u32 compute_engines;
	u32 copy_engines;
	u32 link_ports;
};

/**
 * struct ogpu_sim_core - register state of one device
 * @cfg: the configuration the device was built with
 * @scratch: OGPU_REG_SCRATCH
 * @irq_status: latched interrupt sources
 * @irq_enable: interrupt sources routed to the interrupt line
 *
 * The core does no locking: its user serialises every call on one device.
 */
struct ogpu_sim_core {
	struct ogpu_sim_config cfg;
	u32 scratch;
	u32 irq_status;
	u32 irq_enable;
};

int ogpu_sim_config_check(const struct ogpu_sim_config *cfg);
void ogpu_sim_core_init(struct ogpu_sim_core *core,
			const struct ogpu_sim_config *cfg);
int ogpu_sim_core_read(struct ogpu_sim_core *core, u32 reg, u32 *val);
int ogpu_sim_core_write(struct ogpu_sim_core *core, u32 reg, u32 val);
void ogpu_sim_core_raise(struct ogpu_sim_core *core, u32 sources);
bool ogpu_sim_core_irq_line(const struct ogpu_sim_core *core);

#endif /* __OGPU_SIM_CORE_H__ */
