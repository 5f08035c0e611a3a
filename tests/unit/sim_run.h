/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * What the module's threads do, for the device model's host tests: run
 * the command processor and each compute unit in turn on one thread.
 */
#ifndef OGPU_SIM_RUN_H
#define OGPU_SIM_RUN_H

#include "ogpu_sim_core.h"

/* Run the command processor and the units until neither has work. */
static inline void sim_run_cp_and_cus(struct ogpu_sim_core *core, int rounds)
{
	int i;
	u32 cu;

	for (i = 0; i < rounds; i++) {
		enum ogpu_sim_cp_state cp = ogpu_sim_core_run(core, 16, 1000 + i);
		u32 more = 0;

		for (cu = 0; cu < core->cfg.num_cus; cu++)
			more |= ogpu_sim_core_cu_run(core, cu, 64);
		if (cp != OGPU_SIM_CP_BUSY &&
		    !(more & (OGPU_SIM_CU_MORE | OGPU_SIM_CU_KICK_CP)))
			break;
	}
}

#endif
