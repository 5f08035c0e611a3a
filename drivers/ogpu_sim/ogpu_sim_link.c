// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU device model link fabric
 *
 * A link joins port pa of device A to port pb of device B. Its state and
 * settings are one &struct ogpu_sim_link that both ports point to, so
 * both ends always read the same; each port keeps its own counters in its
 * device's core. Through a link, an engine of A reaches B's VRAM: a page
 * of aperture PEER names the port, and the MMU hands each access (a
 * transfer, within one page) to ogpu_sim_link_rw(), which checks the
 * link, moves the packets, counts them on both ends and copies the bytes.
 * A transfer is cut into packets of OGPU_HW_LINK_PACKET_BYTES; one packet
 * in &ogpu_sim_link.corrupt arrives with a bad CRC, is dropped and sent
 * again, so the data that arrives is always the data sent; a packet that
 * is still corrupt after OGPU_HW_LINK_MAX_REPLAYS replays fails the link,
 * and the transfer delivers only the packets before it.
 *
 * Every change of a link's state, peer or bandwidth sets the port's bit in
 * LINK_CHANGED and bumps LINK_GENERATION on both devices, and asks each
 * to raise OGPU_HW_IRQ_LINK: the core latches the interrupt in
 * ogpu_sim_core_link_sync(), which the host calls soon after
 * &ogpu_sim_host_ops.link_kick and every register access calls first.
 *
 * Locking. Three locks, taken in this order:
 *
 * 1. the fabric's mutex, the caller's own (in the module, sysfs and
 *    debugfs writes and the training work): serialises
 *    ogpu_sim_link_join(), ogpu_sim_link_unjoin() and the settings, so
 *    that no two of them run at once;
 * 2. a device's lock (&ogpu_sim_host_ops.lock), under which its engines
 *    run the MMU, so ogpu_sim_link_rw() and the register functions;
 * 3. the fabric's lock (&ogpu_sim_host_ops.fabric_lock), one for every
 *    device and innermost: it protects the links' state and settings,
 *    the ports' counters, and each device's LINK_CHANGED, LINK_GENERATION
 *    and pending IRQ_LINK, which a transfer or a change made from the
 *    other end updates.
 *
 * Two devices' locks are never held together: a transfer from A to B
 * holds A's lock and, for the counters, the fabric's lock, but not B's.
 * What B must learn of a change made under A's lock reaches it through
 * the fabric's lock and B's link_kick.
 *
 * Lifetime. &ogpu_sim_link_port.link changes only under the fabric's
 * mutex and the port's device lock, both held. A transfer reads it under
 * its device's lock and keeps nothing of the link or the peer after
 * that lock is dropped: the TLB caches the page-table entry only, a
 * compute unit's translation cache never holds a pointer into a peer's
 * VRAM (PEER pages cannot be mapped, see ogpu_sim_mmu.c), and the copy
 * engine's plan never locates a PEER page, so its PEER pieces move under
 * the lock. ogpu_sim_link_unjoin() clears each port's pointer under that
 * port's device lock: when it returns, no transfer over the link is in
 * flight on either device and none can start, and the caller may free
 * the link and, then, the peer's VRAM. A state change needs no such
 * wait: a transfer reads the state under the fabric's lock when it
 * starts, so every transfer that starts after the change sees it, and
 * one in flight ends over the old state, as the specification allows.
 */

#ifdef __KERNEL__
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "ogpu_sim_core.h"

static void ogpu_sim_fabric_lock(struct ogpu_sim_core *core)
{
	if (core->host && core->host->fabric_lock)
		core->host->fabric_lock(core->host_ctx);
}

static void ogpu_sim_fabric_unlock(struct ogpu_sim_core *core)
{
	if (core->host && core->host->fabric_unlock)
		core->host->fabric_unlock(core->host_ctx);
}

static void ogpu_sim_link_kick(struct ogpu_sim_core *core)
{
	if (core->host && core->host->link_kick)
		core->host->link_kick(core->host_ctx);
}

static bool ogpu_sim_link_usable(u32 state)
{
	return state == OGPU_HW_LINK_UP || state == OGPU_HW_LINK_DEGRADED;
}

static struct ogpu_sim_link_counters *
ogpu_sim_link_ctr(struct ogpu_sim_link *l, int i)
{
	return &l->end[i].core->port[l->end[i].port].ctr;
}

/*
 * Set @l's state to @state, counting a down event on both ends when it
 * leaves UP or DEGRADED. Under the fabric's lock.
 */
static void ogpu_sim_link_move(struct ogpu_sim_link *l, u32 state)
{
	int i;

	if (ogpu_sim_link_usable(l->state) && !ogpu_sim_link_usable(state))
		for (i = 0; i < 2; i++)
			ogpu_sim_link_ctr(l, i)->down_events++;
	l->state = state;
}

/* A port of @l changed: tell both ends. Under the fabric's lock. */
static void ogpu_sim_link_post(struct ogpu_sim_link *l)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct ogpu_sim_core *core = l->end[i].core;

		core->link_changed |= 1u << l->end[i].port;
		core->link_generation++;
		core->link_irq = true;
	}
}

static void ogpu_sim_link_kick_both(struct ogpu_sim_link *l)
{
	ogpu_sim_link_kick(l->end[0].core);
	ogpu_sim_link_kick(l->end[1].core);
}

/**
 * ogpu_sim_core_link_sync() - latch OGPU_HW_IRQ_LINK for the ports that
 * changed since the last call
 * @core: the device, under its lock
 */
void ogpu_sim_core_link_sync(struct ogpu_sim_core *core)
{
	bool raise;

	if (!core->cfg.link_ports)
		return;
	ogpu_sim_fabric_lock(core);
	raise = core->link_irq;
	core->link_irq = false;
	ogpu_sim_fabric_unlock(core);
	if (raise)
		ogpu_sim_core_raise(core, OGPU_HW_IRQ_LINK);
}

/**
 * ogpu_sim_link_check() - whether two ports can be joined
 * @a: a device
 * @pa: its port
 * @b: another device
 * @pb: its port
 * @mbps: the bandwidth, MB/s
 *
 * Under the fabric's mutex.
 *
 * Return: 0; -EINVAL for a port outside LINK_PORTS, a device joined to
 * itself or a bandwidth of 0; -EBUSY for a port that has a link.
 */
int ogpu_sim_link_check(struct ogpu_sim_core *a, u32 pa,
			struct ogpu_sim_core *b, u32 pb, u32 mbps)
{
	if (a == b || pa >= a->cfg.link_ports || pb >= b->cfg.link_ports ||
	    !mbps)
		return -EINVAL;
	if (a->port[pa].link || b->port[pb].link)
		return -EBUSY;
	return 0;
}

/**
 * ogpu_sim_link_join() - join two ports with a new link, which trains
 * @l: the link's storage, the caller's until ogpu_sim_link_unjoin()
 * @a: a device
 * @pa: its port
 * @b: another device
 * @pb: its port
 * @mbps: the link's nominal bandwidth, MB/s
 * @latency_ns: its latency
 *
 * Under the fabric's mutex, with no device's lock held, after
 * ogpu_sim_link_check() accepted the ports. The link is TRAINING: the
 * caller calls ogpu_sim_link_trained() when it has trained.
 */
void ogpu_sim_link_join(struct ogpu_sim_link *l, struct ogpu_sim_core *a,
			u32 pa, struct ogpu_sim_core *b, u32 pb, u32 mbps,
			u32 latency_ns)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->end[0].core = a;
	l->end[0].port = pa;
	l->end[1].core = b;
	l->end[1].port = pb;
	l->state = OGPU_HW_LINK_TRAINING;
	l->nominal_mbps = mbps;
	l->mbps = mbps;
	l->latency_ns = latency_ns;

	for (i = 0; i < 2; i++) {
		ogpu_sim_core_lock(l->end[i].core);
		l->end[i].core->port[l->end[i].port].link = l;
		ogpu_sim_core_unlock(l->end[i].core);
	}
	ogpu_sim_fabric_lock(a);
	ogpu_sim_link_post(l);
	ogpu_sim_fabric_unlock(a);
	ogpu_sim_link_kick_both(l);
}

/**
 * ogpu_sim_link_unjoin() - remove a link: both ports go DOWN and lose
 * their peer
 * @l: the link
 *
 * Under the fabric's mutex, with no device's lock held. On return no
 * transfer over @l is in flight or can start (see the DOC comment), and
 * the caller may free @l.
 */
void ogpu_sim_link_unjoin(struct ogpu_sim_link *l)
{
	int i;

	ogpu_sim_fabric_lock(l->end[0].core);
	ogpu_sim_link_move(l, OGPU_HW_LINK_DOWN);
	ogpu_sim_fabric_unlock(l->end[0].core);
	for (i = 0; i < 2; i++) {
		ogpu_sim_core_lock(l->end[i].core);
		l->end[i].core->port[l->end[i].port].link = NULL;
		ogpu_sim_core_unlock(l->end[i].core);
	}
	ogpu_sim_fabric_lock(l->end[0].core);
	ogpu_sim_link_post(l);
	ogpu_sim_fabric_unlock(l->end[0].core);
	ogpu_sim_link_kick_both(l);
}

/*
 * Move @l to @state if @from is its state, or for any state when @from
 * is -1; post the change. Under the fabric's mutex.
 */
static void ogpu_sim_link_change(struct ogpu_sim_link *l, int from,
				 u32 state)
{
	bool changed = false;

	ogpu_sim_fabric_lock(l->end[0].core);
	if ((from < 0 || l->state == (u32)from) && l->state != state) {
		ogpu_sim_link_move(l, state);
		ogpu_sim_link_post(l);
		changed = true;
	}
	ogpu_sim_fabric_unlock(l->end[0].core);
	if (changed)
		ogpu_sim_link_kick_both(l);
}

/**
 * ogpu_sim_link_set_state() - take a link down, train it again or fail it
 * @l: the link
 * @state: OGPU_HW_LINK_DOWN, _TRAINING (the caller calls
 *	ogpu_sim_link_trained() when it has trained) or _FAILED
 *
 * Under the fabric's mutex, with no device's lock held.
 */
void ogpu_sim_link_set_state(struct ogpu_sim_link *l, u32 state)
{
	ogpu_sim_link_change(l, -1, state);
}

/**
 * ogpu_sim_link_trained() - a TRAINING link comes UP, or DEGRADED when
 * its bandwidth is below its nominal bandwidth
 * @l: the link
 *
 * Under the fabric's mutex. A link that is no longer TRAINING (taken down
 * or failed meanwhile) stays as it is.
 */
void ogpu_sim_link_trained(struct ogpu_sim_link *l)
{
	u32 state;

	ogpu_sim_fabric_lock(l->end[0].core);
	state = l->mbps < l->nominal_mbps ? OGPU_HW_LINK_DEGRADED :
		OGPU_HW_LINK_UP;
	ogpu_sim_fabric_unlock(l->end[0].core);
	ogpu_sim_link_change(l, OGPU_HW_LINK_TRAINING, state);
}

/**
 * ogpu_sim_link_set_bandwidth() - set a link's current bandwidth
 * @l: the link
 * @mbps: MB/s: below the nominal bandwidth, a usable link is DEGRADED; at
 *	it, UP again
 *
 * Under the fabric's mutex, with no device's lock held.
 *
 * Return: 0, or -EINVAL for 0 or a bandwidth above the nominal one.
 */
int ogpu_sim_link_set_bandwidth(struct ogpu_sim_link *l, u32 mbps)
{
	bool changed = false;

	if (!mbps || mbps > l->nominal_mbps)
		return -EINVAL;
	ogpu_sim_fabric_lock(l->end[0].core);
	if (l->mbps != mbps) {
		l->mbps = mbps;
		if (ogpu_sim_link_usable(l->state))
			l->state = mbps < l->nominal_mbps ?
				   OGPU_HW_LINK_DEGRADED : OGPU_HW_LINK_UP;
		ogpu_sim_link_post(l);
		changed = true;
	}
	ogpu_sim_fabric_unlock(l->end[0].core);
	if (changed)
		ogpu_sim_link_kick_both(l);
	return 0;
}

/**
 * ogpu_sim_link_set_latency() - set a link's latency
 * @l: the link
 * @ns: nanoseconds per transfer
 */
void ogpu_sim_link_set_latency(struct ogpu_sim_link *l, u32 ns)
{
	ogpu_sim_fabric_lock(l->end[0].core);
	l->latency_ns = ns;
	ogpu_sim_fabric_unlock(l->end[0].core);
}

/**
 * ogpu_sim_link_set_corrupt() - corrupt one packet in @n, 0 for none
 * @l: the link
 * @n: the rate
 */
void ogpu_sim_link_set_corrupt(struct ogpu_sim_link *l, u32 n)
{
	ogpu_sim_fabric_lock(l->end[0].core);
	l->corrupt = n;
	l->sent = 0;
	ogpu_sim_fabric_unlock(l->end[0].core);
}

/**
 * ogpu_sim_link_get() - read a link's state or a setting
 * @l: the link
 * @what: OGPU_SIM_LINK_STATE, _MBPS, _LATENCY or _CORRUPT
 *
 * Return: the value.
 */
u32 ogpu_sim_link_get(struct ogpu_sim_link *l, u32 what)
{
	u32 v;

	ogpu_sim_fabric_lock(l->end[0].core);
	switch (what) {
	case OGPU_SIM_LINK_STATE:
		v = l->state;
		break;
	case OGPU_SIM_LINK_MBPS:
		v = l->mbps;
		break;
	case OGPU_SIM_LINK_LATENCY:
		v = l->latency_ns;
		break;
	default:
		v = l->corrupt;
		break;
	}
	ogpu_sim_fabric_unlock(l->end[0].core);
	return v;
}

static const char *const ogpu_sim_link_states[] = {
	[OGPU_HW_LINK_DOWN] = "down",
	[OGPU_HW_LINK_TRAINING] = "training",
	[OGPU_HW_LINK_UP] = "up",
	[OGPU_HW_LINK_DEGRADED] = "degraded",
	[OGPU_HW_LINK_FAILED] = "failed",
};

/**
 * ogpu_sim_link_state_name() - the name of a link state
 * @state: OGPU_HW_LINK_*
 *
 * Return: "down", "training", "up", "degraded" or "failed".
 */
const char *ogpu_sim_link_state_name(u32 state)
{
	return state < ARRAY_SIZE(ogpu_sim_link_states) ?
	       ogpu_sim_link_states[state] : "?";
}

/**
 * ogpu_sim_link_state_parse() - what a write to a port's debugfs state
 * file asks for
 * @s: "down", "up", "fail" or "flap", without a newline
 *
 * Return: OGPU_HW_LINK_DOWN, OGPU_HW_LINK_TRAINING ("up"),
 * OGPU_HW_LINK_FAILED or OGPU_SIM_LINK_FLAP; -EINVAL for anything else.
 */
int ogpu_sim_link_state_parse(const char *s)
{
	if (!strcmp(s, "down"))
		return OGPU_HW_LINK_DOWN;
	if (!strcmp(s, "up"))
		return OGPU_HW_LINK_TRAINING;
	if (!strcmp(s, "fail"))
		return OGPU_HW_LINK_FAILED;
	if (!strcmp(s, "flap"))
		return OGPU_SIM_LINK_FLAP;
	return -EINVAL;
}

/* Whether the next packet on @l arrives corrupt. Under the fabric's lock. */
static bool ogpu_sim_link_corrupts(struct ogpu_sim_link *l)
{
	l->sent++;
	return l->corrupt && l->sent % l->corrupt == 0;
}

/*
 * Send @len bytes from end @from of @l to the other: count the packets
 * and their replays on both ends. Returns the bytes delivered, all of
 * them unless the link failed. Under the fabric's lock.
 */
static u32 ogpu_sim_link_send(struct ogpu_sim_link *l, int from, u32 len)
{
	struct ogpu_sim_link_counters *tx = ogpu_sim_link_ctr(l, from);
	struct ogpu_sim_link_counters *rx = ogpu_sim_link_ctr(l, !from);
	u32 done = 0, n, replays;

	while (done < len) {
		n = len - done;
		if (n > OGPU_HW_LINK_PACKET_BYTES)
			n = OGPU_HW_LINK_PACKET_BYTES;
		for (replays = 0; ogpu_sim_link_corrupts(l); replays++) {
			rx->crc_errors++;
			if (replays == OGPU_HW_LINK_MAX_REPLAYS) {
				ogpu_sim_link_move(l, OGPU_HW_LINK_FAILED);
				ogpu_sim_link_post(l);
				return done;
			}
			tx->replays++;
		}
		tx->tx_bytes += n;
		tx->tx_packets++;
		rx->rx_bytes += n;
		rx->rx_packets++;
		done += n;
	}
	return done;
}

/**
 * ogpu_sim_link_rw() - one transfer: read or write a peer's VRAM over a
 * link port
 * @core: the device making the access, under its lock
 * @port: its port, from the page-table entry
 * @addr: the offset in the peer's VRAM
 * @buf: the data
 * @len: bytes, within one page
 * @write: a write
 *
 * Adds the transfer's time, latency and bytes over bandwidth, to
 * &ogpu_sim_core.link_ns.
 *
 * Return: 0, OGPU_HW_FAULT_LINK_DOWN when the port is not UP or DEGRADED
 * (or the transfer failed the link: then the packets before the failed
 * one have been delivered), or OGPU_HW_FAULT_BAD_TABLE when
 * [@addr, @addr + @len) is not in the peer's VRAM.
 */
int ogpu_sim_link_rw(struct ogpu_sim_core *core, u32 port, u64 addr,
		     void *buf, u32 len, bool write)
{
	struct ogpu_sim_link *l;
	struct ogpu_sim_core *peer;
	u32 done, mbps;
	int me, ret = 0;
	u8 *mem;

	if (port >= core->cfg.link_ports || !core->port[port].link)
		return OGPU_HW_FAULT_LINK_DOWN;
	l = core->port[port].link;
	me = l->end[0].core == core && l->end[0].port == port ? 0 : 1;
	peer = l->end[!me].core;

	ogpu_sim_fabric_lock(core);
	if (!ogpu_sim_link_usable(l->state)) {
		ogpu_sim_fabric_unlock(core);
		return OGPU_HW_FAULT_LINK_DOWN;
	}
	if (addr > peer->cfg.vram_size || len > peer->cfg.vram_size - addr) {
		ogpu_sim_fabric_unlock(core);
		return OGPU_HW_FAULT_BAD_TABLE;
	}
	done = ogpu_sim_link_send(l, write ? me : !me, len);
	mbps = l->mbps;
	core->link_ns += l->latency_ns + ((u64)done * 1000 + mbps - 1) / mbps;
	ogpu_sim_fabric_unlock(core);

	/* The peer's VRAM lives while the port holds the link. */
	mem = peer->vram + addr;
	if (write)
		memmove(mem, buf, done);
	else
		memmove(buf, mem, done);
	if (write && done && peer->host && peer->host->mem_written)
		peer->host->mem_written(peer->host_ctx);
	if (done < len) {
		ogpu_sim_core_link_sync(core);
		ogpu_sim_link_kick(peer);
		ret = OGPU_HW_FAULT_LINK_DOWN;
	}
	return ret;
}

/* The 64-bit counter of latch slot @slot: TX, RX bytes; TX, RX packets. */
static u64 ogpu_sim_link_ctr64(const struct ogpu_sim_link_counters *c,
			       u32 slot)
{
	switch (slot) {
	case 0:
		return c->tx_bytes;
	case 1:
		return c->rx_bytes;
	case 2:
		return c->tx_packets;
	default:
		return c->rx_packets;
	}
}

/* Port @p's register at @r, under the device's and the fabric's locks. */
static u32 ogpu_sim_link_port_read(struct ogpu_sim_core *core, u32 p, u32 r)
{
	struct ogpu_sim_link_port *port = &core->port[p];
	const struct ogpu_sim_link_counters *c = &port->ctr;
	struct ogpu_sim_link *l = port->link;
	u32 slot;
	u64 v;
	int other;

	switch (r) {
	case OGPU_HW_LINK_STATE(0):
		return l ? l->state : OGPU_HW_LINK_DOWN;
	case OGPU_HW_LINK_PEER(0):
		if (!l)
			return 0;
		other = l->end[0].core == core && l->end[0].port == p;
		return OGPU_HW_LINK_PEER_VAL(l->end[other].core->cfg.instance,
					     l->end[other].port);
	case OGPU_HW_LINK_BANDWIDTH(0):
		return l ? l->mbps : 0;
	case OGPU_HW_LINK_LATENCY(0):
		return l ? l->latency_ns : 0;
	case OGPU_HW_LINK_REPLAYS(0):
		return c->replays;
	case OGPU_HW_LINK_CRC_ERRORS(0):
		return c->crc_errors;
	case OGPU_HW_LINK_DOWN_EVENTS(0):
		return c->down_events;
	case OGPU_HW_LINK_NOMINAL_BW(0):
		return l ? l->nominal_mbps : 0;
	}
	if (r < OGPU_HW_LINK_TX_BYTES_LO(0) ||
	    r > OGPU_HW_LINK_RX_PACKETS_HI(0))
		return 0;
	slot = (r - OGPU_HW_LINK_TX_BYTES_LO(0)) / 8;
	v = ogpu_sim_link_ctr64(c, slot);
	if (r & 4)
		return port->hi[slot];
	port->hi[slot] = (u32)(v >> 32);
	return (u32)v;
}

/**
 * ogpu_sim_link_reg_read() - read a register of the OGPU_HW_REG_LINK_BASE
 * block
 * @core: the device, under its lock
 * @reg: its offset in the register file
 *
 * Return: the value; 0 for unimplemented registers and ports past
 * LINK_PORTS.
 */
u32 ogpu_sim_link_reg_read(struct ogpu_sim_core *core, u32 reg)
{
	u32 p, v = 0;

	ogpu_sim_fabric_lock(core);
	if (reg == OGPU_HW_REG_LINK_GENERATION) {
		v = core->link_generation;
	} else if (reg == OGPU_HW_REG_LINK_CHANGED) {
		v = core->link_changed;
	} else if (reg >= OGPU_HW_REG_LINK_PORT_BASE(0)) {
		p = (reg - OGPU_HW_REG_LINK_PORT_BASE(0)) / 0x80;
		if (p < core->cfg.link_ports)
			v = ogpu_sim_link_port_read(core, p,
						    OGPU_HW_REG_LINK_PORT_BASE(0) +
						    (reg - OGPU_HW_REG_LINK_PORT_BASE(0)) % 0x80);
	}
	ogpu_sim_fabric_unlock(core);
	return v;
}

/**
 * ogpu_sim_link_reg_write() - write a register of the OGPU_HW_REG_LINK_BASE
 * block: LINK_CHANGED is write-one-to-clear, the rest read-only
 * @core: the device, under its lock
 * @reg: its offset in the register file
 * @val: the value
 */
void ogpu_sim_link_reg_write(struct ogpu_sim_core *core, u32 reg, u32 val)
{
	if (reg != OGPU_HW_REG_LINK_CHANGED)
		return;
	ogpu_sim_fabric_lock(core);
	core->link_changed &= ~val;
	ogpu_sim_fabric_unlock(core);
}

/**
 * ogpu_sim_link_reset() - a device RESET: clear the ports' counters,
 * LINK_CHANGED and LINK_GENERATION; the links stay as they are
 * @core: the device, under its lock
 */
void ogpu_sim_link_reset(struct ogpu_sim_core *core)
{
	u32 p;

	ogpu_sim_fabric_lock(core);
	for (p = 0; p < OGPU_HW_MAX_LINK_PORTS; p++) {
		memset(&core->port[p].ctr, 0, sizeof(core->port[p].ctr));
		memset(core->port[p].hi, 0, sizeof(core->port[p].hi));
	}
	core->link_changed = 0;
	core->link_generation = 0;
	core->link_irq = false;
	ogpu_sim_fabric_unlock(core);
}

/* Add the link a:pa - b:pb to @out, if there is room. */
static void ogpu_sim_topo_add(struct ogpu_sim_link_spec *out, u32 max,
			      u32 *n, u32 a, u32 pa, u32 b, u32 pb)
{
	if (*n < max) {
		out[*n].a = a;
		out[*n].pa = pa;
		out[*n].b = b;
		out[*n].pb = pb;
	}
	(*n)++;
}

/**
 * ogpu_sim_topology() - the links of a preset topology
 * @name: "none", "ring", "full" or "hcm"
 * @devices: the devices 0 .. @devices - 1 to join
 * @ports: link ports of each
 * @out: the links, up to @max of them; may be NULL when @max is 0
 * @max: room in @out
 *
 * Return: the number of links (which may exceed @max: call again with
 * room for them), or -EINVAL for an unknown name, too few ports, or
 * "hcm" without 8 devices.
 */
int ogpu_sim_topology(const char *name, u32 devices, u32 ports,
		      struct ogpu_sim_link_spec *out, u32 max)
{
	u32 n = 0, i, j;

	if (!strcmp(name, "none"))
		return 0;
	if (!strcmp(name, "ring")) {
		if (devices < 2)
			return 0;
		if (ports < 2)
			return -EINVAL;
		for (i = 0; i < devices; i++) {
			/* Two devices: the way back is the same link. */
			if (devices == 2 && i == 1)
				break;
			ogpu_sim_topo_add(out, max, &n, i, 0,
					  (i + 1) % devices, 1);
		}
		return n;
	}
	if (!strcmp(name, "full")) {
		if (devices > 1 && ports < devices - 1)
			return -EINVAL;
		for (i = 0; i < devices; i++)
			for (j = i + 1; j < devices; j++)
				ogpu_sim_topo_add(out, max, &n, i, j - 1, j, i);
		return n;
	}
	if (!strcmp(name, "hcm")) {
		if (devices != 8 || ports < 4)
			return -EINVAL;
		for (i = 0; i < 8; i++) {
			/* Within the quad, as "full" joins four devices. */
			for (j = i + 1; j < (i | 3) + 1; j++)
				ogpu_sim_topo_add(out, max, &n, i,
						  (j & 3) - 1, j, i & 3);
			if (i < 4)
				ogpu_sim_topo_add(out, max, &n, i, 3, i + 4, 3);
		}
		return n;
	}
	return -EINVAL;
}
