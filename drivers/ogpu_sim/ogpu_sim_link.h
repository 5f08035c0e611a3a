/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The device model's link fabric: links between the ports of two OGPUs,
 * their state, settings and counters, and transfers across them.
 * Documentation/hardware.rst, "Interconnect links" and "The fabric", is
 * the specification. Plain C with no kernel services, like
 * ogpu_sim_core.c; see the DOC comment of ogpu_sim_link.c for the locking.
 */
#ifndef __OGPU_SIM_LINK_H__
#define __OGPU_SIM_LINK_H__

#ifdef __KERNEL__
#include <linux/types.h>
#endif

#include "ogpu_hw.h"

struct ogpu_sim_core;

/**
 * struct ogpu_sim_link_counters - one port's counters
 * @tx_bytes: payload sent
 * @rx_bytes: payload received
 * @tx_packets: packets sent (replays not counted)
 * @rx_packets: packets received with a good CRC
 * @replays: packets this port sent again
 * @crc_errors: packets this port received with a bad CRC
 * @down_events: times the port left UP or DEGRADED
 */
struct ogpu_sim_link_counters {
	u64 tx_bytes;
	u64 rx_bytes;
	u64 tx_packets;
	u64 rx_packets;
	u32 replays;
	u32 crc_errors;
	u32 down_events;
};

/**
 * struct ogpu_sim_link_port - one port of a device, in its core
 * @link: the link on the port, or NULL. Written under the fabric's mutex
 *	(the caller's) and the device's lock, so either is enough to read
 *	it; a device's engines read it under the device's lock only
 * @ctr: the port's counters; the fabric's lock, as the peer updates them
 * @hi: the HI halves latched by the last read of each 64-bit counter's
 *	LO; the device's lock
 */
struct ogpu_sim_link_port {
	struct ogpu_sim_link *link;
	struct ogpu_sim_link_counters ctr;
	u32 hi[4];
};

/**
 * struct ogpu_sim_link - a link between two ports of two devices
 * @end: the two (device, port) ends; fixed from ogpu_sim_link_join() to
 *	ogpu_sim_link_unjoin()
 * @state: OGPU_HW_LINK_DOWN ... OGPU_HW_LINK_FAILED; the fabric's lock
 * @nominal_mbps: bandwidth the link was made with, MB/s; fixed
 * @mbps: current bandwidth, MB/s; the fabric's lock
 * @latency_ns: latency of a transfer; the fabric's lock
 * @corrupt: one packet in @corrupt arrives corrupt, 0 for none; the
 *	fabric's lock
 * @sent: packets sent over the link, replays included, which picks the
 *	corrupt ones; the fabric's lock
 *
 * Both ends read the same @state and settings, so they always agree.
 */
struct ogpu_sim_link {
	struct ogpu_sim_link_end {
		struct ogpu_sim_core *core;
		u32 port;
	} end[2];
	u32 state;
	u32 nominal_mbps;
	u32 mbps;
	u32 latency_ns;
	u32 corrupt;
	u64 sent;
};

/**
 * struct ogpu_sim_link_spec - a link of a topology
 * @a: a device's instance
 * @pa: its port
 * @b: the other device's instance
 * @pb: its port
 */
struct ogpu_sim_link_spec {
	u32 a;
	u32 pa;
	u32 b;
	u32 pb;
};

int ogpu_sim_topology(const char *name, u32 devices, u32 ports,
		      struct ogpu_sim_link_spec *out, u32 max);

int ogpu_sim_link_check(struct ogpu_sim_core *a, u32 pa,
			struct ogpu_sim_core *b, u32 pb, u32 mbps);
void ogpu_sim_link_join(struct ogpu_sim_link *l, struct ogpu_sim_core *a,
			u32 pa, struct ogpu_sim_core *b, u32 pb, u32 mbps,
			u32 latency_ns);
void ogpu_sim_link_unjoin(struct ogpu_sim_link *l);
void ogpu_sim_link_set_state(struct ogpu_sim_link *l, u32 state);
void ogpu_sim_link_trained(struct ogpu_sim_link *l);
int ogpu_sim_link_set_bandwidth(struct ogpu_sim_link *l, u32 mbps);
void ogpu_sim_link_set_latency(struct ogpu_sim_link *l, u32 ns);
void ogpu_sim_link_set_corrupt(struct ogpu_sim_link *l, u32 n);
u32 ogpu_sim_link_get(struct ogpu_sim_link *l, u32 what);
const char *ogpu_sim_link_state_name(u32 state);
int ogpu_sim_link_state_parse(const char *s);

/* What ogpu_sim_link_get() reads. */
#define OGPU_SIM_LINK_STATE	0
#define OGPU_SIM_LINK_MBPS	1
#define OGPU_SIM_LINK_LATENCY	2
#define OGPU_SIM_LINK_CORRUPT	3

/* The pseudo-state "flap" of ogpu_sim_link_state_parse(). */
#define OGPU_SIM_LINK_FLAP	5

int ogpu_sim_link_rw(struct ogpu_sim_core *core, u32 port, u64 addr,
		     void *buf, u32 len, bool write);
u32 ogpu_sim_link_reg_read(struct ogpu_sim_core *core, u32 reg);
void ogpu_sim_link_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val);
void ogpu_sim_link_reset(struct ogpu_sim_core *core);
void ogpu_sim_core_link_sync(struct ogpu_sim_core *core);

#endif /* __OGPU_SIM_LINK_H__ */
