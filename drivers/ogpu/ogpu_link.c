// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: Interconnect links
 *
 * An OGPU's link ports join it to other OGPUs (Documentation/hardware.rst,
 * "Interconnect links"). The driver shows each port three ways:
 *
 * - DRM_IOCTL_OGPU_DEV_QUERY with DRM_OGPU_DEV_QUERY_LINKS: state, peer,
 *   bandwidth, latency and counters, one &struct drm_ogpu_link_info per
 *   port, and &drm_ogpu_device_info.link_generation;
 * - sysfs, under the device (/sys/class/drm/renderD*\/device/links/):
 *   ``generation`` (poll()able: it changes with the topology),
 *   ``p2p_min_bandwidth_mbps`` (root may set it), and a ``portN`` folder
 *   per port with the same fields as the query and ``p2p_enabled``, which
 *   root may clear to keep the driver from using the link for P2P;
 * - a KOBJ_CHANGE uevent on the device for each change of a port, with
 *   OGPU_LINK_PORT, OGPU_LINK_STATE and OGPU_LINK_GENERATION.
 *
 * DRM_IOCTL_OGPU_P2P_QUERY answers whether this device can reach another
 * OGPU's memory, over which port, and if not, why not.
 *
 * The hardware raises IRQ_LINK when a port changes. The handler acknowledges
 * LINK_CHANGED and hands the ports to a work item, which rereads them,
 * refreshes &ogpu_links.snap, logs the change, increments the generation
 * and notifies sysfs pollers and udev.
 *
 * Devices find each other by instance through a registry (an xarray, whose
 * lock is its own): a lookup takes a reference on the DRM device, so a
 * peer that is being removed stays valid until the reference is dropped;
 * the registry entry goes away first thing on removal.
 *
 * Locking: a device's &ogpu_links.snap_lock is never held together with
 * another device's. &ogpu_links.counter_lock serialises reads of the 64-bit
 * counters, whose LO read latches HI.
 */

#include <linux/bitops.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "ogpu_device.h"
#include "ogpu_link.h"
#include "drm/ogpu_drm.h"

/* Instances are 10 bits wide in LINK_PEER. */
#define OGPU_LINK_INSTANCES	1024
#define OGPU_LINK_NO_HOPS	U16_MAX

static DEFINE_XARRAY(ogpu_link_devices);

static const char *const ogpu_link_state_names[] = {
	[OGPU_HW_LINK_DOWN] = "down",
	[OGPU_HW_LINK_TRAINING] = "training",
	[OGPU_HW_LINK_UP] = "up",
	[OGPU_HW_LINK_DEGRADED] = "degraded",
	[OGPU_HW_LINK_FAILED] = "failed",
};

/**
 * ogpu_link_state_name() - a link state's name
 * @state: OGPU_HW_LINK_* (equal to &enum drm_ogpu_link_state)
 *
 * Return: "down", "training", "up", "degraded", "failed" or "unknown".
 */
const char *ogpu_link_state_name(u32 state)
{
	if (state >= ARRAY_SIZE(ogpu_link_state_names))
		return "unknown";
	return ogpu_link_state_names[state];
}

static bool ogpu_link_usable(u32 state)
{
	return state == OGPU_HW_LINK_UP || state == OGPU_HW_LINK_DEGRADED;
}

/* Take a reference on the bound OGPU of @instance, or return NULL. */
static struct ogpu_device *ogpu_link_get_device(u32 instance)
{
	struct ogpu_device *odev;

	xa_lock(&ogpu_link_devices);
	odev = xa_load(&ogpu_link_devices, instance);
	if (odev)
		drm_dev_get(&odev->drm);
	xa_unlock(&ogpu_link_devices);
	return odev;
}

/**
 * ogpu_link_generation() - the device's topology generation
 * @odev: the device
 *
 * Return: &drm_ogpu_device_info.link_generation, never 0.
 */
u64 ogpu_link_generation(struct ogpu_device *odev)
{
	return atomic64_read(&odev->links.generation);
}

static u64 ogpu_link_counter(struct ogpu_device *odev, u32 lo, u32 hi)
{
	u32 l = ogpu_reg_read(odev, lo);

	return (u64)ogpu_reg_read(odev, hi) << 32 | l;
}

static void ogpu_link_snap_read(struct ogpu_device *odev, u32 port,
				struct ogpu_link_snap *snap)
{
	snap->state = ogpu_reg_read(odev, OGPU_HW_LINK_STATE(port));
	snap->peer = ogpu_reg_read(odev, OGPU_HW_LINK_PEER(port));
	snap->bandwidth = ogpu_reg_read(odev, OGPU_HW_LINK_BANDWIDTH(port));
}

/**
 * ogpu_link_read_info() - read one port for DEV_QUERY or sysfs
 * @odev: the device, inside drm_dev_enter()
 * @port: the port, below &ogpu_hw_info.link_ports
 * @li: filled in
 *
 * Context: process; takes &ogpu_links.counter_lock.
 */
void ogpu_link_read_info(struct ogpu_device *odev, u32 port,
			 struct drm_ogpu_link_info *li)
{
	struct ogpu_links *links = &odev->links;
	struct ogpu_link_snap snap;
	struct ogpu_device *peer;

	memset(li, 0, sizeof(*li));
	ogpu_link_snap_read(odev, port, &snap);
	li->port = port;
	li->state = snap.state;
	li->bandwidth_mbps = snap.bandwidth;
	li->nominal_bandwidth_mbps =
		ogpu_reg_read(odev, OGPU_HW_LINK_NOMINAL_BW(port));
	li->latency_ns = ogpu_reg_read(odev, OGPU_HW_LINK_LATENCY(port));
	if (snap.peer & OGPU_HW_LINK_PEER_VALID) {
		li->flags |= DRM_OGPU_LINK_HAS_PEER;
		li->peer_instance = OGPU_HW_LINK_PEER_INSTANCE(snap.peer);
		li->peer_port = OGPU_HW_LINK_PEER_PORT(snap.peer);
		li->hops = 1;
		peer = ogpu_link_get_device(li->peer_instance);
		if (peer) {
			li->flags |= DRM_OGPU_LINK_PEER_PRESENT;
			if (peer->drm.render)
				li->peer_render_minor = peer->drm.render->index;
			drm_dev_put(&peer->drm);
		}
	}
	if (test_bit(port, &links->p2p_disabled))
		li->flags |= DRM_OGPU_LINK_P2P_DISABLED;

	mutex_lock(&links->counter_lock);
	li->tx_bytes = ogpu_link_counter(odev, OGPU_HW_LINK_TX_BYTES_LO(port),
					 OGPU_HW_LINK_TX_BYTES_HI(port));
	li->rx_bytes = ogpu_link_counter(odev, OGPU_HW_LINK_RX_BYTES_LO(port),
					 OGPU_HW_LINK_RX_BYTES_HI(port));
	li->tx_packets = ogpu_link_counter(odev,
					   OGPU_HW_LINK_TX_PACKETS_LO(port),
					   OGPU_HW_LINK_TX_PACKETS_HI(port));
	li->rx_packets = ogpu_link_counter(odev,
					   OGPU_HW_LINK_RX_PACKETS_LO(port),
					   OGPU_HW_LINK_RX_PACKETS_HI(port));
	mutex_unlock(&links->counter_lock);
	li->replays = ogpu_reg_read(odev, OGPU_HW_LINK_REPLAYS(port));
	li->crc_errors = ogpu_reg_read(odev, OGPU_HW_LINK_CRC_ERRORS(port));
	li->down_events = ogpu_reg_read(odev, OGPU_HW_LINK_DOWN_EVENTS(port));
}

/**
 * ogpu_link_show_fdinfo() - the device's links, for /proc/PID/fdinfo
 * @p: where to print
 * @odev: the file's device
 *
 * Driver-specific keys of Documentation/gpu/drm-usage-stats.rst, for each
 * port that has a peer or has carried traffic: its state, peer and
 * counters. They are the device's, the same for every file.
 *
 * Context: process; takes &ogpu_links.counter_lock.
 */
void ogpu_link_show_fdinfo(struct drm_printer *p, struct ogpu_device *odev)
{
	struct drm_ogpu_link_info li;
	int idx;
	u32 port;

	if (!drm_dev_enter(&odev->drm, &idx))
		return;
	for (port = 0; port < odev->info.link_ports; port++) {
		ogpu_link_read_info(odev, port, &li);
		if (!(li.flags & DRM_OGPU_LINK_HAS_PEER) && !li.tx_bytes &&
		    !li.rx_bytes)
			continue;
		drm_printf(p, "drm-ogpu-link%u-state:\t%s\n", port,
			   ogpu_link_state_name(li.state));
		if (li.flags & DRM_OGPU_LINK_HAS_PEER)
			drm_printf(p, "drm-ogpu-link%u-peer:\t%u:%u\n", port,
				   li.peer_instance, li.peer_port);
		drm_printf(p, "drm-ogpu-link%u-tx-bytes:\t%llu\n", port,
			   li.tx_bytes);
		drm_printf(p, "drm-ogpu-link%u-rx-bytes:\t%llu\n", port,
			   li.rx_bytes);
		drm_printf(p, "drm-ogpu-link%u-replays:\t%u\n", port,
			   li.replays);
		drm_printf(p, "drm-ogpu-link%u-crc-errors:\t%u\n", port,
			   li.crc_errors);
	}
	drm_dev_exit(idx);
}

/* Tell sysfs pollers and udev that @port (or, for U32_MAX, a setting) changed. */
static void ogpu_link_notify(struct ogpu_device *odev, u32 port, u32 state)
{
	struct ogpu_links *links = &odev->links;
	char port_env[32], state_env[32], gen_env[48], *envp[4];
	u64 gen = atomic64_inc_return(&links->generation);

	if (links->kobj)
		sysfs_notify(links->kobj, NULL, "generation");
	if (port == U32_MAX)
		return;
	snprintf(port_env, sizeof(port_env), "OGPU_LINK_PORT=%u", port);
	snprintf(state_env, sizeof(state_env), "OGPU_LINK_STATE=%s",
		 ogpu_link_state_name(state));
	snprintf(gen_env, sizeof(gen_env), "OGPU_LINK_GENERATION=%llu", gen);
	envp[0] = port_env;
	envp[1] = state_env;
	envp[2] = gen_env;
	envp[3] = NULL;
	kobject_uevent_env(&odev->drm.dev->kobj, KOBJ_CHANGE, envp);
}

static void ogpu_link_work(struct work_struct *work)
{
	struct ogpu_links *links = container_of(work, struct ogpu_links, work);
	struct ogpu_device *odev = container_of(links, struct ogpu_device,
						links);
	unsigned long changed = atomic_xchg(&links->pending, 0);
	struct ogpu_link_snap old, now;
	unsigned int port;
	int idx;

	if (!drm_dev_enter(&odev->drm, &idx))
		return;
	for_each_set_bit(port, &changed, odev->info.link_ports) {
		ogpu_link_snap_read(odev, port, &now);
		spin_lock(&links->snap_lock);
		old = links->snap[port];
		links->snap[port] = now;
		spin_unlock(&links->snap_lock);

		if (now.state != old.state || now.peer != old.peer)
			drm_info(&odev->drm, "link port %u: %s -> %s (peer %s%u port %u, %u MB/s)\n",
				 port, ogpu_link_state_name(old.state),
				 ogpu_link_state_name(now.state),
				 now.peer & OGPU_HW_LINK_PEER_VALID ?
				 "ogpu " : "none, was ",
				 OGPU_HW_LINK_PEER_INSTANCE(now.peer),
				 OGPU_HW_LINK_PEER_PORT(now.peer),
				 now.bandwidth);
		ogpu_link_notify(odev, port, now.state);
	}
	drm_dev_exit(idx);
}

/**
 * ogpu_link_irq() - OGPU_HW_IRQ_LINK, in hard-IRQ context
 * @odev: the device
 */
void ogpu_link_irq(struct ogpu_device *odev)
{
	u32 changed = ogpu_reg_read(odev, OGPU_HW_REG_LINK_CHANGED);

	if (!changed)
		return;
	ogpu_reg_write(odev, OGPU_HW_REG_LINK_CHANGED, changed);
	atomic_or(changed, &odev->links.pending);
	schedule_work(&odev->links.work);
}

/*
 * Links of the shortest route from @odev to @target over usable links,
 * from the devices' snapshots; 0 when there is none.
 */
static u32 ogpu_link_hops(struct ogpu_device *odev, u32 target)
{
	struct ogpu_link_snap snap[OGPU_HW_MAX_LINK_PORTS];
	u16 *dist, *queue;
	u32 head = 0, tail = 0, hops = 0;

	dist = kmalloc_array(2 * OGPU_LINK_INSTANCES, sizeof(*dist),
			     GFP_KERNEL);
	if (!dist)
		return 0;
	queue = dist + OGPU_LINK_INSTANCES;
	memset(dist, 0xff, OGPU_LINK_INSTANCES * sizeof(*dist));

	dist[odev->info.instance] = 0;
	queue[tail++] = odev->info.instance;
	while (head < tail) {
		u32 n = queue[head++], ports, p;
		struct ogpu_device *dev;

		if (n == target) {
			hops = dist[n];
			break;
		}
		dev = ogpu_link_get_device(n);
		if (!dev)
			continue;
		ports = dev->info.link_ports;
		spin_lock(&dev->links.snap_lock);
		memcpy(snap, dev->links.snap, sizeof(snap));
		spin_unlock(&dev->links.snap_lock);
		drm_dev_put(&dev->drm);

		for (p = 0; p < ports; p++) {
			u32 m = OGPU_HW_LINK_PEER_INSTANCE(snap[p].peer);

			if (!(snap[p].peer & OGPU_HW_LINK_PEER_VALID) ||
			    !ogpu_link_usable(snap[p].state) ||
			    dist[m] != OGPU_LINK_NO_HOPS)
				continue;
			dist[m] = dist[n] + 1;
			queue[tail++] = m;
		}
	}
	kfree(dist);
	return hops;
}

/*
 * How close to usable a port is, best first: the query reports the best
 * port's reason when several ports join the two devices.
 */
static const u8 ogpu_p2p_rank[] = {
	[DRM_OGPU_P2P_OK] = 0,
	[DRM_OGPU_P2P_LINK_DEGRADED] = 1,
	[DRM_OGPU_P2P_DISABLED] = 2,
	[DRM_OGPU_P2P_LINK_DOWN] = 3,
	[DRM_OGPU_P2P_LINK_FAILED] = 4,
	[DRM_OGPU_P2P_NO_LINK] = 5,
};

/* Why @port of @odev, joined to @peer, does not carry P2P; or OK. */
static u32 ogpu_p2p_port_reason(struct ogpu_device *odev,
				struct ogpu_device *peer, u32 port,
				const struct ogpu_link_snap *snap)
{
	if (snap->state == OGPU_HW_LINK_FAILED)
		return DRM_OGPU_P2P_LINK_FAILED;
	if (!ogpu_link_usable(snap->state))
		return DRM_OGPU_P2P_LINK_DOWN;
	if (test_bit(port, &odev->links.p2p_disabled) ||
	    test_bit(OGPU_HW_LINK_PEER_PORT(snap->peer),
		     &peer->links.p2p_disabled))
		return DRM_OGPU_P2P_DISABLED;
	if (snap->bandwidth < READ_ONCE(odev->links.p2p_min_mbps))
		return DRM_OGPU_P2P_LINK_DEGRADED;
	return DRM_OGPU_P2P_OK;
}

static void ogpu_p2p_answer(struct ogpu_device *odev,
			    struct drm_ogpu_p2p_query *q)
{
	u32 best_reason = DRM_OGPU_P2P_NO_LINK, best_bw = 0, port;
	struct ogpu_link_snap snap;
	struct ogpu_device *peer;

	if (q->peer_instance == odev->info.instance) {
		q->path = DRM_OGPU_P2P_PATH_SELF;
		q->access = DRM_OGPU_P2P_READ | DRM_OGPU_P2P_WRITE |
			    DRM_OGPU_P2P_ATOMIC;
		q->reason = DRM_OGPU_P2P_OK;
		return;
	}
	peer = ogpu_link_get_device(q->peer_instance);
	if (!peer) {
		q->reason = DRM_OGPU_P2P_PEER_ABSENT;
		return;
	}

	for (port = 0; port < odev->info.link_ports; port++) {
		u32 reason;

		ogpu_link_snap_read(odev, port, &snap);
		if (!(snap.peer & OGPU_HW_LINK_PEER_VALID) ||
		    OGPU_HW_LINK_PEER_INSTANCE(snap.peer) != q->peer_instance)
			continue;
		reason = ogpu_p2p_port_reason(odev, peer, port, &snap);
		if (ogpu_p2p_rank[reason] > ogpu_p2p_rank[best_reason] ||
		    (reason == best_reason && snap.bandwidth <= best_bw))
			continue;
		best_reason = reason;
		best_bw = snap.bandwidth;
		q->port = port;
		q->bandwidth_mbps = snap.bandwidth;
		q->latency_ns = ogpu_reg_read(odev, OGPU_HW_LINK_LATENCY(port));
		q->hops = 1;
	}
	drm_dev_put(&peer->drm);

	q->reason = best_reason;
	if (best_reason == DRM_OGPU_P2P_OK) {
		q->path = DRM_OGPU_P2P_PATH_LINK;
		q->access = DRM_OGPU_P2P_READ | DRM_OGPU_P2P_WRITE |
			    DRM_OGPU_P2P_ATOMIC;
	} else if (best_reason == DRM_OGPU_P2P_NO_LINK) {
		q->hops = ogpu_link_hops(odev, q->peer_instance);
	}
}

/**
 * ogpu_link_peer_port() - the port through which @odev reaches @peer
 * @odev: the device that would access
 * @peer: the device whose VRAM it would access
 * @port: the best usable port, as the P2P query would answer
 *
 * Return: 0, -ENOLINK when the P2P query would say no (no link, link
 * down, failed, too slow, disabled), or -ENODEV once @odev is gone.
 */
int ogpu_link_peer_port(struct ogpu_device *odev, struct ogpu_device *peer,
			u32 *port)
{
	struct drm_ogpu_p2p_query q = { .peer_instance = peer->info.instance };
	int idx, ret = -ENOLINK;

	if (!drm_dev_enter(&odev->drm, &idx))
		return -ENODEV;
	if (peer != odev) {
		ogpu_p2p_answer(odev, &q);
		if (q.reason == DRM_OGPU_P2P_OK &&
		    q.path == DRM_OGPU_P2P_PATH_LINK) {
			*port = q.port;
			ret = 0;
		}
	}
	drm_dev_exit(idx);
	return ret;
}

/**
 * ogpu_ioctl_p2p_query() - DRM_IOCTL_OGPU_P2P_QUERY
 * @dev: DRM device
 * @data: &struct drm_ogpu_p2p_query
 * @file: DRM file
 *
 * Return: 0, -EINVAL for non-zero flags or padding, -ENODEV if the device
 * is gone.
 */
int ogpu_ioctl_p2p_query(struct drm_device *dev, void *data,
			 struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_p2p_query *q = data;
	int idx;

	if (OGPU_CHECK(odev, q->flags) || OGPU_CHECK(odev, q->pad))
		return -EINVAL;
	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;

	q->access = 0;
	q->path = DRM_OGPU_P2P_PATH_NONE;
	q->port = 0;
	q->hops = 0;
	q->bandwidth_mbps = 0;
	q->latency_ns = 0;
	q->min_bandwidth_mbps = READ_ONCE(odev->links.p2p_min_mbps);
	q->link_generation = ogpu_link_generation(odev);
	ogpu_p2p_answer(odev, q);

	drm_dev_exit(idx);
	return 0;
}

/* sysfs */

static struct ogpu_link_port *to_ogpu_link_port(struct kobject *kobj)
{
	return container_of(kobj, struct ogpu_link_port, kobj);
}

static void ogpu_link_kobj_release(struct kobject *kobj)
{
	kfree(to_ogpu_link_port(kobj));
}

/* Read the port behind @kobj; -ENODEV once the device is gone. */
static int ogpu_link_sysfs_info(struct kobject *kobj,
				struct drm_ogpu_link_info *li)
{
	struct ogpu_link_port *lp = to_ogpu_link_port(kobj);
	int idx;

	if (!drm_dev_enter(&lp->odev->drm, &idx))
		return -ENODEV;
	ogpu_link_read_info(lp->odev, lp->port, li);
	drm_dev_exit(idx);
	return 0;
}

#define OGPU_LINK_FIELD_ATTR(_name, _fmt, _expr)			\
static ssize_t ogpu_link_##_name##_show(struct kobject *kobj,		\
					struct kobj_attribute *attr,	\
					char *buf)			\
{									\
	struct drm_ogpu_link_info li;					\
	int ret = ogpu_link_sysfs_info(kobj, &li);			\
									\
	if (ret)							\
		return ret;						\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static struct kobj_attribute ogpu_link_attr_##_name =			\
	__ATTR(_name, 0444, ogpu_link_##_name##_show, NULL)

OGPU_LINK_FIELD_ATTR(state, "%s", ogpu_link_state_name(li.state));
OGPU_LINK_FIELD_ATTR(bandwidth_mbps, "%u", li.bandwidth_mbps);
OGPU_LINK_FIELD_ATTR(nominal_bandwidth_mbps, "%u",
		     li.nominal_bandwidth_mbps);
OGPU_LINK_FIELD_ATTR(latency_ns, "%u", li.latency_ns);
OGPU_LINK_FIELD_ATTR(hops, "%u", li.hops);
OGPU_LINK_FIELD_ATTR(tx_bytes, "%llu", li.tx_bytes);
OGPU_LINK_FIELD_ATTR(rx_bytes, "%llu", li.rx_bytes);
OGPU_LINK_FIELD_ATTR(tx_packets, "%llu", li.tx_packets);
OGPU_LINK_FIELD_ATTR(rx_packets, "%llu", li.rx_packets);
OGPU_LINK_FIELD_ATTR(replays, "%u", li.replays);
OGPU_LINK_FIELD_ATTR(crc_errors, "%u", li.crc_errors);
OGPU_LINK_FIELD_ATTR(down_events, "%u", li.down_events);

/* "INSTANCE:PORT" of the peer, or "none". */
static ssize_t ogpu_link_peer_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct drm_ogpu_link_info li;
	int ret = ogpu_link_sysfs_info(kobj, &li);

	if (ret)
		return ret;
	if (!(li.flags & DRM_OGPU_LINK_HAS_PEER))
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u:%u\n", li.peer_instance, li.peer_port);
}

static struct kobj_attribute ogpu_link_attr_peer =
	__ATTR(peer, 0444, ogpu_link_peer_show, NULL);

static ssize_t ogpu_link_p2p_enabled_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	struct ogpu_link_port *lp = to_ogpu_link_port(kobj);

	return sysfs_emit(buf, "%d\n",
			  !test_bit(lp->port, &lp->odev->links.p2p_disabled));
}

static ssize_t ogpu_link_p2p_enabled_store(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   const char *buf, size_t count)
{
	struct ogpu_link_port *lp = to_ogpu_link_port(kobj);
	bool on;
	int ret;

	ret = kstrtobool(buf, &on);
	if (ret)
		return ret;
	if (on == !test_bit(lp->port, &lp->odev->links.p2p_disabled))
		return count;
	if (on)
		clear_bit(lp->port, &lp->odev->links.p2p_disabled);
	else
		set_bit(lp->port, &lp->odev->links.p2p_disabled);
	drm_info(&lp->odev->drm, "link port %u: P2P %s by the administrator\n",
		 lp->port, on ? "enabled" : "disabled");
	ogpu_link_notify(lp->odev, U32_MAX, 0);
	return count;
}

static struct kobj_attribute ogpu_link_attr_p2p_enabled =
	__ATTR(p2p_enabled, 0644, ogpu_link_p2p_enabled_show,
	       ogpu_link_p2p_enabled_store);

static struct attribute *ogpu_link_port_attrs[] = {
	&ogpu_link_attr_state.attr,
	&ogpu_link_attr_peer.attr,
	&ogpu_link_attr_bandwidth_mbps.attr,
	&ogpu_link_attr_nominal_bandwidth_mbps.attr,
	&ogpu_link_attr_latency_ns.attr,
	&ogpu_link_attr_hops.attr,
	&ogpu_link_attr_tx_bytes.attr,
	&ogpu_link_attr_rx_bytes.attr,
	&ogpu_link_attr_tx_packets.attr,
	&ogpu_link_attr_rx_packets.attr,
	&ogpu_link_attr_replays.attr,
	&ogpu_link_attr_crc_errors.attr,
	&ogpu_link_attr_down_events.attr,
	&ogpu_link_attr_p2p_enabled.attr,
	NULL
};
ATTRIBUTE_GROUPS(ogpu_link_port);

static const struct kobj_type ogpu_link_port_ktype = {
	.release = ogpu_link_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ogpu_link_port_groups,
};

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  ogpu_link_generation(to_ogpu_link_port(kobj)->odev));
}

static ssize_t p2p_min_bandwidth_mbps_show(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   char *buf)
{
	struct ogpu_device *odev = to_ogpu_link_port(kobj)->odev;

	return sysfs_emit(buf, "%u\n", READ_ONCE(odev->links.p2p_min_mbps));
}

static ssize_t p2p_min_bandwidth_mbps_store(struct kobject *kobj,
					    struct kobj_attribute *attr,
					    const char *buf, size_t count)
{
	struct ogpu_device *odev = to_ogpu_link_port(kobj)->odev;
	u32 mbps;
	int ret;

	ret = kstrtou32(buf, 0, &mbps);
	if (ret)
		return ret;
	WRITE_ONCE(odev->links.p2p_min_mbps, mbps);
	ogpu_link_notify(odev, U32_MAX, 0);
	return count;
}

static struct kobj_attribute ogpu_link_attr_generation = __ATTR_RO(generation);
static struct kobj_attribute ogpu_link_attr_p2p_min_bandwidth_mbps =
	__ATTR_RW(p2p_min_bandwidth_mbps);

static struct attribute *ogpu_link_dir_attrs[] = {
	&ogpu_link_attr_generation.attr,
	&ogpu_link_attr_p2p_min_bandwidth_mbps.attr,
	NULL
};
ATTRIBUTE_GROUPS(ogpu_link_dir);

static const struct kobj_type ogpu_link_dir_ktype = {
	.release = ogpu_link_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ogpu_link_dir_groups,
};

static struct ogpu_link_port *ogpu_link_kobj_add(struct ogpu_device *odev,
						 const struct kobj_type *ktype,
						 struct kobject *parent,
						 u32 port, const char *fmt)
{
	struct ogpu_link_port *lp = kzalloc(sizeof(*lp), GFP_KERNEL);
	int ret;

	if (!lp)
		return NULL;
	lp->odev = odev;
	lp->port = port;
	ret = kobject_init_and_add(&lp->kobj, ktype, parent, fmt, port);
	if (ret) {
		kobject_put(&lp->kobj);
		return NULL;
	}
	return lp;
}

static void ogpu_link_sysfs_init(struct ogpu_device *odev)
{
	struct ogpu_links *links = &odev->links;
	struct ogpu_link_port *dir;
	u32 p;

	dir = ogpu_link_kobj_add(odev, &ogpu_link_dir_ktype,
				 &odev->drm.dev->kobj, U32_MAX, "links");
	if (!dir) {
		drm_warn(&odev->drm, "no links folder in sysfs\n");
		return;
	}
	links->kobj = &dir->kobj;
	for (p = 0; p < odev->info.link_ports; p++) {
		links->ports[p] = ogpu_link_kobj_add(odev,
						     &ogpu_link_port_ktype,
						     links->kobj, p, "port%u");
		if (!links->ports[p])
			drm_warn(&odev->drm, "no sysfs folder for link port %u\n",
				 p);
	}
}

/**
 * ogpu_link_early_init() - set up link state before the interrupt is on
 * @odev: the device
 */
void ogpu_link_early_init(struct ogpu_device *odev)
{
	struct ogpu_links *links = &odev->links;

	INIT_WORK(&links->work, ogpu_link_work);
	atomic_set(&links->pending, 0);
	atomic64_set(&links->generation, 1);
	spin_lock_init(&links->snap_lock);
	mutex_init(&links->counter_lock);
}

/**
 * ogpu_link_init() - read the ports, join the registry, add sysfs
 * @odev: the registered device
 *
 * A device whose instance is already registered (two OGPUs claiming one
 * instance) works alone: peers cannot find it.
 */
void ogpu_link_init(struct ogpu_device *odev)
{
	struct ogpu_links *links = &odev->links;
	struct ogpu_link_snap snap;
	u32 p;
	int ret;

	for (p = 0; p < odev->info.link_ports; p++) {
		ogpu_link_snap_read(odev, p, &snap);
		spin_lock(&links->snap_lock);
		links->snap[p] = snap;
		spin_unlock(&links->snap_lock);
	}

	ret = xa_insert(&ogpu_link_devices, odev->info.instance, odev,
			GFP_KERNEL);
	if (ret)
		drm_warn(&odev->drm, "instance %u is taken: peers will not find this device (%d)\n",
			 odev->info.instance, ret);

	if (odev->info.link_ports)
		ogpu_link_sysfs_init(odev);
}

/**
 * ogpu_link_unplug() - leave the registry, as the device goes away
 * @odev: the device
 */
void ogpu_link_unplug(struct ogpu_device *odev)
{
	xa_cmpxchg(&ogpu_link_devices, odev->info.instance, odev, NULL,
		   GFP_KERNEL);
}

/**
 * ogpu_link_fini() - remove the sysfs folders
 * @odev: the device, whose link work no longer runs
 */
void ogpu_link_fini(struct ogpu_device *odev)
{
	struct ogpu_links *links = &odev->links;
	u32 p;

	for (p = 0; p < OGPU_HW_MAX_LINK_PORTS; p++) {
		if (links->ports[p])
			kobject_put(&links->ports[p]->kobj);
		links->ports[p] = NULL;
	}
	if (links->kobj)
		kobject_put(links->kobj);
	links->kobj = NULL;
	mutex_destroy(&links->counter_lock);
}
