/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_LINK_H__
#define __OGPU_LINK_H__

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "ogpu_hw.h"

struct drm_device;
struct drm_printer;
struct drm_file;
struct drm_ogpu_dev_query;
struct drm_ogpu_link_info;
struct ogpu_device;

/**
 * struct ogpu_link_snap - what the driver last read of one port
 *
 * Refreshed from the link registers when the port changes (IRQ_LINK) and
 * when the device binds, so that other devices' topology walks need not
 * reach this device's registers.
 */
struct ogpu_link_snap {
	/** @state: OGPU_HW_LINK_STATE. */
	u32 state;
	/** @peer: OGPU_HW_LINK_PEER. */
	u32 peer;
	/** @bandwidth: OGPU_HW_LINK_BANDWIDTH, MB/s. */
	u32 bandwidth;
};

/**
 * struct ogpu_link_port - one link port's sysfs folder
 * @kobj: links/portN under the device
 * @odev: the device
 * @port: the port number
 */
struct ogpu_link_port {
	struct kobject kobj;
	struct ogpu_device *odev;
	u32 port;
};

/**
 * struct ogpu_links - a device's link ports, as the driver sees them
 *
 * Locking: @snap_lock (a spinlock, never held while another device's is)
 * protects @snap. @p2p_disabled and @p2p_min_mbps are single words written
 * by sysfs and read with READ_ONCE(). @pending is set in hard IRQ and
 * consumed by @work.
 */
struct ogpu_links {
	/** @work: Handles port changes in process context. */
	struct work_struct work;
	/** @pending: Ports whose LINK_CHANGED bit the interrupt saw. */
	atomic_t pending;
	/** @generation: See &drm_ogpu_device_info.link_generation. */
	atomic64_t generation;
	/** @snap_lock: Protects @snap. */
	spinlock_t snap_lock;
	/** @snap: The ports' last known state. */
	struct ogpu_link_snap snap[OGPU_HW_MAX_LINK_PORTS];
	/** @p2p_disabled: Ports on which an administrator disabled P2P. */
	unsigned long p2p_disabled;
	/** @counter_lock: Serialises reads of the latched 64-bit counters. */
	struct mutex counter_lock;
	/** @p2p_min_mbps: Bandwidth below which a link is refused for P2P. */
	u32 p2p_min_mbps;
	/** @kobj: The links folder in sysfs, or NULL. */
	struct kobject *kobj;
	/** @ports: The ports' folders, or NULL. */
	struct ogpu_link_port *ports[OGPU_HW_MAX_LINK_PORTS];
};

void ogpu_link_early_init(struct ogpu_device *odev);
void ogpu_link_init(struct ogpu_device *odev);
void ogpu_link_unplug(struct ogpu_device *odev);
void ogpu_link_fini(struct ogpu_device *odev);
void ogpu_link_irq(struct ogpu_device *odev);
u64 ogpu_link_generation(struct ogpu_device *odev);
void ogpu_link_read_info(struct ogpu_device *odev, u32 port,
			 struct drm_ogpu_link_info *li);
int ogpu_ioctl_p2p_query(struct drm_device *dev, void *data,
			 struct drm_file *file);
const char *ogpu_link_state_name(u32 state);
void ogpu_link_show_fdinfo(struct drm_printer *p, struct ogpu_device *odev);
int ogpu_link_peer_port(struct ogpu_device *odev, struct ogpu_device *peer,
			u32 *port);

#endif /* __OGPU_LINK_H__ */
