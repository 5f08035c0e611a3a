// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The interconnect: link ports, and whether one device reaches another's
 * memory.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ogpu_priv.h"

static const char *const link_states[] = {
	[OGPU_LINK_DOWN] = "down",
	[OGPU_LINK_TRAINING] = "training",
	[OGPU_LINK_UP] = "up",
	[OGPU_LINK_DEGRADED] = "degraded",
	[OGPU_LINK_FAILED] = "failed",
};

OGPU_EXPORT const char *ogpu_link_state_str(enum ogpu_link_state state)
{
	if ((unsigned int)state >= sizeof(link_states) / sizeof(link_states[0]))
		return "unknown";
	return link_states[state];
}

static const char *const p2p_reasons[] = {
	[OGPU_P2P_OK] = "ok",
	[OGPU_P2P_NO_LINK] = "no-link",
	[OGPU_P2P_LINK_DOWN] = "link-down",
	[OGPU_P2P_LINK_FAILED] = "link-failed",
	[OGPU_P2P_LINK_DEGRADED] = "link-degraded",
	[OGPU_P2P_PEER_ABSENT] = "peer-absent",
	[OGPU_P2P_DISABLED] = "disabled",
};

OGPU_EXPORT const char *ogpu_p2p_reason_str(enum ogpu_p2p_reason reason)
{
	if ((unsigned int)reason >= sizeof(p2p_reasons) / sizeof(p2p_reasons[0]))
		return "unknown";
	return p2p_reasons[reason];
}

static void link_from_drm(struct ogpu_link *l,
			  const struct drm_ogpu_link_info *li)
{
	memset(l, 0, sizeof(*l));
	l->port = li->port;
	l->state = (enum ogpu_link_state)li->state;
	l->has_peer = !!(li->flags & DRM_OGPU_LINK_HAS_PEER);
	l->peer_present = !!(li->flags & DRM_OGPU_LINK_PEER_PRESENT);
	l->p2p_disabled = !!(li->flags & DRM_OGPU_LINK_P2P_DISABLED);
	l->peer_instance = li->peer_instance;
	l->peer_port = li->peer_port;
	l->peer_render_minor = li->peer_render_minor;
	l->bandwidth_mbps = li->bandwidth_mbps;
	l->nominal_bandwidth_mbps = li->nominal_bandwidth_mbps;
	l->latency_ns = li->latency_ns;
	l->hops = li->hops;
	l->tx_bytes = li->tx_bytes;
	l->rx_bytes = li->rx_bytes;
	l->tx_packets = li->tx_packets;
	l->rx_packets = li->rx_packets;
	l->replays = li->replays;
	l->crc_errors = li->crc_errors;
	l->down_events = li->down_events;
}

static int link_generation(struct ogpu_device *dev, uint64_t *generation)
{
	struct drm_ogpu_device_info info;
	int ret;

	ret = ogpu_device_info(dev, &info, OGPU_INFO_UPTO(link_generation));
	if (!ret)
		*generation = info.link_generation;
	return ret;
}

OGPU_EXPORT int ogpu_device_get_links(struct ogpu_device *dev,
				      struct ogpu_link *links,
				      unsigned int max, uint64_t *generation)
{
	struct drm_ogpu_link_info *li;
	uint32_t size = 0, n, i;
	int ret;

	if (generation) {
		ret = link_generation(dev, generation);
		if (ret)
			return ret;
	}
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_LINKS, NULL, &size);
	if (ret)
		return ret == -EINVAL ? -EOPNOTSUPP : ret;
	n = size / sizeof(*li);
	if (!n || !max)
		return (int)n;

	li = calloc(n, sizeof(*li));
	if (!li)
		return -ENOMEM;
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_LINKS, li, &size);
	if (!ret) {
		/* The port count is fixed: the answer cannot have grown. */
		n = size / sizeof(*li);
		for (i = 0; i < n && i < max; i++)
			link_from_drm(&links[i], &li[i]);
		ret = (int)n;
	}
	free(li);
	return ret;
}

static void p2p_why(struct ogpu_p2p *p, uint32_t self, uint32_t peer)
{
	char *w = p->why;
	size_t n = sizeof(p->why);

	switch (p->reason) {
	case OGPU_P2P_OK:
		if (p->path == OGPU_P2P_PATH_SELF)
			snprintf(w, n, "same device");
		else
			snprintf(w, n, "over link port %u to ogpu %u, %u MB/s, %u ns",
				 p->port, peer, p->bandwidth_mbps,
				 p->latency_ns);
		break;
	case OGPU_P2P_NO_LINK:
		if (p->hops)
			snprintf(w, n, "no link joins ogpu %u and ogpu %u; the shortest route through other OGPUs has %u links: copy through them, or link the two",
				 self, peer, p->hops);
		else
			snprintf(w, n, "no link joins ogpu %u and ogpu %u, and no route of links does: add a link",
				 self, peer);
		break;
	case OGPU_P2P_LINK_DOWN:
		snprintf(w, n, "link port %u to ogpu %u is down: bring it up (links/port%u/state)",
			 p->port, peer, p->port);
		break;
	case OGPU_P2P_LINK_FAILED:
		snprintf(w, n, "link port %u to ogpu %u failed on transmission errors (see links/port%u/crc_errors): retrain or replace it",
			 p->port, peer, p->port);
		break;
	case OGPU_P2P_LINK_DEGRADED:
		snprintf(w, n, "link port %u to ogpu %u runs at %u MB/s, below this device's P2P minimum of %u MB/s (links/p2p_min_bandwidth_mbps)",
			 p->port, peer, p->bandwidth_mbps,
			 p->min_bandwidth_mbps);
		break;
	case OGPU_P2P_PEER_ABSENT:
		snprintf(w, n, "ogpu %u is not present: it was removed or is not bound to the ogpu driver",
			 peer);
		break;
	case OGPU_P2P_DISABLED:
		snprintf(w, n, "P2P on link port %u to ogpu %u is disabled by the administrator (links/port%u/p2p_enabled on either device)",
			 p->port, peer, p->port);
		break;
	default:
		snprintf(w, n, "unknown reason %u", (unsigned int)p->reason);
		break;
	}
}

OGPU_EXPORT int ogpu_p2p_query_instance(struct ogpu_device *a,
					uint32_t instance, struct ogpu_p2p *out)
{
	struct drm_ogpu_p2p_query q = { .peer_instance = instance };
	int ret;

	ret = ogpu_ioctl(a->fd, DRM_IOCTL_OGPU_P2P_QUERY, &q);
	if (ret)
		return ret == -EINVAL || ret == -ENOTTY ? -EOPNOTSUPP : ret;
	memset(out, 0, sizeof(*out));
	out->access = q.access;
	out->path = (enum ogpu_p2p_path)q.path;
	out->reason = (enum ogpu_p2p_reason)q.reason;
	out->port = q.port;
	out->hops = q.hops;
	out->bandwidth_mbps = q.bandwidth_mbps;
	out->latency_ns = q.latency_ns;
	out->min_bandwidth_mbps = q.min_bandwidth_mbps;
	out->link_generation = q.link_generation;
	p2p_why(out, a->props.instance, instance);
	return 0;
}

OGPU_EXPORT int ogpu_p2p_query(struct ogpu_device *a, struct ogpu_device *b,
			       struct ogpu_p2p *out)
{
	return ogpu_p2p_query_instance(a, b->props.instance, out);
}
