// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu-smi: list the OGPUs in the system and what they are.
 *
 *   ogpu-smi           a table, one device a row, then the processes
 *                      using each device and how much memory they hold
 *   ogpu-smi --json    the same as a JSON array
 *   ogpu-smi topo [--json]
 *                      the link matrix: how many links join each pair of
 *                      devices (like nvidia-smi topo -m)
 *   ogpu-smi topo --p2p [--json]
 *                      the P2P matrix: whether each device reaches each
 *                      other's memory, and for each pair that cannot, why
 *   ogpu-smi links [--json]
 *                      every link port: state, peer, bandwidth, latency
 *                      and counters
 *   ogpu-smi coredump [--device N] [--clear]
 *                      print the devcoredump a device's driver captured
 *                      when a queue failed, after a summary line; --clear
 *                      frees it. Exit status: 0 a dump was printed, 1 an
 *                      error (the dumps are root's), 2 usage, 3 no dump.
 *
 * Per-process figures come from /proc/PID/fdinfo (drm-total-vram and
 * drm-total-system, Documentation/gpu/drm-usage-stats.rst, and the
 * driver's drm-ogpu-vms, drm-ogpu-queues and drm-ogpu-page-tables); a
 * process's files are only visible to its owner and to root. The VMS and
 * QUEUES columns show how many of the device's VMs and queues are taken,
 * by all processes together, out of how many it holds.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ogpu.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ogpu-smi [--json] [--help]\n"
		"       ogpu-smi topo [--p2p] [--json]\n"
		"       ogpu-smi links [--json]\n"
		"       ogpu-smi coredump [--device N] [--clear]\n"
		"List the OGPU devices and their properties, their links and\n"
		"which devices reach each other's memory, or print the\n"
		"devcoredump of a failed queue (exit 3 when there is none).\n");
}

#define DEVCD_DIR "/sys/class/devcoredump"

/*
 * The text of "key: " at the start of a line of @dump, up to the end of
 * that line, into @buf; "" if absent.
 */
static const char *dump_field(const char *dump, const char *key, char *buf,
			      size_t len)
{
	size_t n = strlen(key);
	const char *p = dump;

	buf[0] = '\0';
	while (p && *p) {
		const char *end = strchrnul(p, '\n');

		if (!strncmp(p, key, n)) {
			snprintf(buf, len, "%.*s", (int)(end - p - n), p + n);
			break;
		}
		p = *end ? end + 1 : NULL;
	}
	return buf;
}

/* Print the dump at @path (whose failing device is @bus_id); 0 or -errno. */
static int print_dump(const char *path, const char *bus_id, int clear)
{
	char reason[64], proc[128], fault[192], *text = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		if (len + 4096 + 1 > cap) {
			char *more = realloc(text, cap = 2 * cap + 8192);

			if (!more) {
				free(text);
				close(fd);
				return -ENOMEM;
			}
			text = more;
		}
		n = read(fd, text + len, cap - len - 1);
		if (n > 0)
			len += n;
	} while (n > 0);
	close(fd);
	if (n < 0) {
		free(text);
		return -errno;
	}
	text[len] = '\0';

	dump_field(text, "reason: ", reason, sizeof(reason));
	dump_field(text, "process: ", proc, sizeof(proc));
	dump_field(text, "fault: ", fault, sizeof(fault));
	printf("%s: a queue failed: %s, %s%s%s (%s)\n", bus_id,
	       reason[0] ? reason : "unknown reason", proc,
	       fault[0] ? ", fault " : "", fault, path);
	fwrite(text, 1, len, stdout);
	free(text);
	if (clear) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1", 1) != 1) {
			int err = -errno;

			if (fd >= 0)
				close(fd);
			return err;
		}
		close(fd);
		/*
		 * The kernel frees the dump from a work item: wait (up to
		 * 5 s) until it is gone, so that "--clear" is done when we
		 * exit.
		 */
		for (int i = 0; i < 500 && !access(path, F_OK); i++)
			usleep(10000);
		if (!access(path, F_OK))
			return -EBUSY;
	}
	return 0;
}

/*
 * ogpu-smi coredump: the dumps whose failing device is an OGPU's platform
 * device (devcdN/failing_device links to it), or @bus_id's only.
 */
static int coredump_main(int argc, char **argv)
{
	int clear = 0, found = 0, err = 0, i;
	const char *want = NULL;
	char bus_id[64];
	struct dirent *de;
	DIR *d;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--clear")) {
			clear = 1;
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			struct ogpu_device_props p;
			struct ogpu_device *dev;
			int ret = ogpu_device_open(atoi(argv[++i]), &dev);

			if (!ret)
				ret = ogpu_device_get_props(dev, &p);
			if (ret) {
				fprintf(stderr, "ogpu-smi: device %s: %s\n",
					argv[i], ogpu_strerror(ret));
				return 1;
			}
			snprintf(bus_id, sizeof(bus_id), "%s", p.bus_id);
			ogpu_device_close(dev);
			want = bus_id;
		} else {
			usage(stderr);
			return 2;
		}
	}

	d = opendir(DEVCD_DIR);
	while (d && (de = readdir(d))) {
		char link[300], target[PATH_MAX], data[300];
		const char *base;
		ssize_t n;
		int ret;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), DEVCD_DIR "/%s/failing_device",
			 de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (want ? strcmp(base, want) : strncmp(base, "ogpu.", 5))
			continue;
		snprintf(data, sizeof(data), DEVCD_DIR "/%s/data", de->d_name);
		ret = print_dump(data, base, clear);
		if (ret) {
			fprintf(stderr, "ogpu-smi: %s: %s\n", data, strerror(-ret));
			err = 1;
		} else {
			found++;
		}
	}
	if (d)
		closedir(d);
	if (err)
		return 1;
	if (!found) {
		printf("no devcoredump of %s\n", want ? want : "any OGPU");
		return 3;
	}
	return 0;
}

static const char *caps_str(uint32_t caps, char *buf, size_t len)
{
	static const char *const names[] = {
		"mmu", "queues", "copy", "compute", "link",
	};
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (caps & (1u << i))
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", names[i]);
		if (used >= len)
			break;
	}
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

/* A value from an fdinfo line "key:\tN [KiB|MiB]", in bytes. */
static uint64_t fdinfo_bytes(const char *val)
{
	char unit[8] = "";
	unsigned long long v = 0;

	if (sscanf(val, "%llu %7s", &v, unit) < 1)
		return 0;
	if (!strcmp(unit, "KiB"))
		v <<= 10;
	else if (!strcmp(unit, "MiB"))
		v <<= 20;
	return v;
}

struct client {
	int pid;
	char name[32];
	unsigned long long id;
	uint64_t vram, system, page_tables;
	unsigned int vms, queues;
};

/* Read one DRM fd's fdinfo; 1 if it is an ogpu client. */
static int read_client(int pid, const char *fd, struct client *c)
{
	char path[300], line[256];
	int ours = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	while (fgets(line, sizeof(line), f)) {
		char *val = strchr(line, ':');

		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(line, "drm-driver"))
			ours = strstr(val, "ogpu") != NULL;
		else if (!strcmp(line, "drm-client-id"))
			c->id = strtoull(val, NULL, 10);
		else if (!strcmp(line, "drm-total-vram"))
			c->vram = fdinfo_bytes(val);
		else if (!strcmp(line, "drm-total-system"))
			c->system = fdinfo_bytes(val);
		else if (!strcmp(line, "drm-ogpu-vms"))
			c->vms = strtoul(val, NULL, 10);
		else if (!strcmp(line, "drm-ogpu-queues"))
			c->queues = strtoul(val, NULL, 10);
		else if (!strcmp(line, "drm-ogpu-page-tables"))
			c->page_tables = fdinfo_bytes(val);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(c->name, sizeof(c->name), f))
			c->name[strcspn(c->name, "\n")] = '\0';
		fclose(f);
	}
	return ours;
}

/*
 * The clients of the render node @node, one per DRM file (fds that share
 * a file count once). Returns how many were written to @out.
 */
static int find_clients(const char *node, struct client *out, int max)
{
	DIR *proc = opendir("/proc");
	struct dirent *pe;
	int n = 0;

	while (proc && (pe = readdir(proc))) {
		char path[300], target[PATH_MAX];
		struct dirent *fe;
		DIR *fds;
		int pid;

		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		pid = atoi(pe->d_name);
		if (pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		while (fds && (fe = readdir(fds)) && n < max) {
			ssize_t len;
			int i, dup = 0;

			snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid,
				 fe->d_name);
			len = readlink(path, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			if (strcmp(target, node) ||
			    !read_client(pid, fe->d_name, &out[n]))
				continue;
			for (i = 0; i < n; i++)
				dup |= out[i].id == out[n].id;
			if (!dup)
				n++;
		}
		if (fds)
			closedir(fds);
	}
	if (proc)
		closedir(proc);
	return n;
}

/* The open devices, in index order, for the topology commands. */
struct topo {
	int n;
	struct ogpu_device *dev[64];
	struct ogpu_device_props props[64];
	struct ogpu_link links[64][8];
	int nlinks[64];
};

static void topo_close(struct topo *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		ogpu_device_close(t->dev[i]);
	t->n = 0;
}

static int topo_open(struct topo *t)
{
	int n = ogpu_device_count(), i, ret;

	t->n = 0;
	if (n < 0) {
		fprintf(stderr, "ogpu-smi: cannot list devices: %s\n",
			ogpu_strerror(n));
		return n;
	}
	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		ret = ogpu_device_open(i, &t->dev[i]);
		if (!ret)
			ret = ogpu_device_get_props(t->dev[i], &t->props[i]);
		if (!ret) {
			ret = ogpu_device_get_links(t->dev[i], t->links[i], 8,
						    NULL);
			/* A kernel without links: show none. */
			if (ret == -EOPNOTSUPP)
				ret = 0;
		}
		if (ret < 0) {
			fprintf(stderr, "ogpu-smi: device %d: %s\n", i,
				ogpu_strerror(ret));
			if (t->dev[i])
				ogpu_device_close(t->dev[i]);
			topo_close(t);
			return ret;
		}
		t->nlinks[i] = ret > 8 ? 8 : ret;
		t->n = i + 1;
	}
	return 0;
}

/* Links from device @a to device @b, and how many of them are usable. */
static int topo_links(const struct topo *t, int a, int b, int *usable)
{
	int p, n = 0;

	*usable = 0;
	for (p = 0; p < t->nlinks[a]; p++) {
		const struct ogpu_link *l = &t->links[a][p];

		if (!l->has_peer || l->peer_instance != t->props[b].instance)
			continue;
		n++;
		if (l->state == OGPU_LINK_UP || l->state == OGPU_LINK_DEGRADED)
			(*usable)++;
	}
	return n;
}

/*
 * Parse "[--json] [--p2p]" (--p2p only when @p2p is not NULL) and open
 * the devices into *@out: 0, 1 on an error, 2 on a usage error.
 */
static int topo_start(int argc, char **argv, int *json, int *p2p,
		      struct topo **out)
{
	struct topo *t;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			*json = 1;
		} else if (p2p && !strcmp(argv[i], "--p2p")) {
			*p2p = 1;
		} else {
			usage(stderr);
			return 2;
		}
	}
	t = calloc(1, sizeof(*t));
	if (!t || topo_open(t)) {
		free(t);
		return 1;
	}
	*out = t;
	return 0;
}

static int topo_main(int argc, char **argv)
{
	int json = 0, p2p = 0, a, b, ret;
	struct topo *t;

	ret = topo_start(argc, argv, &json, &p2p, &t);
	if (ret)
		return ret;

	if (json) {
		printf("{\"devices\": [");
		for (a = 0; a < t->n; a++)
			printf("%s{\"index\": %d, \"instance\": %u, \"render_node\": \"%s\"}",
			       a ? ", " : "", a, t->props[a].instance,
			       t->props[a].render_node);
		printf("],\n \"%s\": [", p2p ? "p2p" : "links");
	} else {
		printf("%-8s", "");
		for (b = 0; b < t->n; b++)
			printf(" ogpu%-6u", t->props[b].instance);
		printf("\n");
	}
	for (a = 0; a < t->n; a++) {
		if (json)
			printf("%s\n  [", a ? "," : "");
		else
			printf("ogpu%-4u", t->props[a].instance);
		for (b = 0; b < t->n; b++) {
			char cell[32];
			int n, usable;

			if (p2p) {
				struct ogpu_p2p q;
				int err = ogpu_p2p_query(t->dev[a], t->dev[b],
							 &q);

				if (json && err)
					printf("%s{\"error\": \"%s\"}",
					       b ? ", " : "", ogpu_strerror(err));
				else if (json)
					printf("%s{\"reason\": \"%s\", \"read\": %s, \"write\": %s, \"atomic\": %s, \"port\": %u, \"hops\": %u, \"bandwidth_mbps\": %u, \"latency_ns\": %u, \"why\": \"%s\"}",
					       b ? ", " : "",
					       ogpu_p2p_reason_str(q.reason),
					       q.access & OGPU_P2P_READ ? "true" : "false",
					       q.access & OGPU_P2P_WRITE ? "true" : "false",
					       q.access & OGPU_P2P_ATOMIC ? "true" : "false",
					       q.port, q.hops, q.bandwidth_mbps,
					       q.latency_ns, q.why);
				else
					printf(" %-10s", err ? "ERR" :
					       a == b ? "X" :
					       q.reason == OGPU_P2P_OK ? "OK" :
					       ogpu_p2p_reason_str(q.reason));
				continue;
			}
			n = topo_links(t, a, b, &usable);
			if (json) {
				printf("%s{\"links\": %d, \"usable\": %d}",
				       b ? ", " : "", a == b ? 0 : n,
				       a == b ? 0 : usable);
				continue;
			}
			if (a == b)
				snprintf(cell, sizeof(cell), "X");
			else if (!n)
				snprintf(cell, sizeof(cell), "-");
			else if (usable == n)
				snprintf(cell, sizeof(cell), "L%d", n);
			else
				snprintf(cell, sizeof(cell), "L%d(%ddn)", n,
					 n - usable);
			printf(" %-10s", cell);
		}
		printf(json ? "]" : "\n");
	}
	if (json) {
		printf("\n]}\n");
	} else if (p2p) {
		printf("\nLegend: X self, OK reads/writes/atomics over a link; otherwise why not:\n");
		for (a = 0; a < t->n; a++)
			for (b = 0; b < t->n; b++) {
				struct ogpu_p2p q;

				if (a == b || ogpu_p2p_query(t->dev[a], t->dev[b], &q) ||
				    q.reason == OGPU_P2P_OK)
					continue;
				printf("  ogpu%u -> ogpu%u: %s\n",
				       t->props[a].instance,
				       t->props[b].instance, q.why);
			}
	} else {
		printf("\nLegend: X self, Ln n links join the pair ((k dn): k of them not usable), - no link\n");
	}
	topo_close(t);
	free(t);
	return 0;
}

static int links_main(int argc, char **argv)
{
	int json = 0, a, p, first = 1, ret;
	struct topo *t;

	ret = topo_start(argc, argv, &json, NULL, &t);
	if (ret)
		return ret;
	if (json)
		printf("[");
	else
		printf("%-8s %-4s %-9s %-10s %8s %8s %7s %12s %12s %10s %10s %7s %6s %5s %s\n",
		       "DEVICE", "PORT", "STATE", "PEER", "MB/S", "NOMINAL",
		       "LAT NS", "TX BYTES", "RX BYTES", "TX PKTS", "RX PKTS",
		       "REPLAYS", "CRC", "DOWNS", "P2P");
	for (a = 0; a < t->n; a++)
		for (p = 0; p < t->nlinks[a]; p++) {
			const struct ogpu_link *l = &t->links[a][p];
			char peer[24];

			if (l->has_peer)
				snprintf(peer, sizeof(peer), "ogpu%u:%u%s",
					 l->peer_instance, l->peer_port,
					 l->peer_present ? "" : "?");
			else
				snprintf(peer, sizeof(peer), "-");
			if (json) {
				printf("%s\n  {\"instance\": %u, \"port\": %u, \"state\": \"%s\", \"has_peer\": %s, \"peer_instance\": %u, \"peer_port\": %u, \"peer_present\": %s, \"bandwidth_mbps\": %u, \"nominal_bandwidth_mbps\": %u, \"latency_ns\": %u, \"tx_bytes\": %" PRIu64 ", \"rx_bytes\": %" PRIu64 ", \"tx_packets\": %" PRIu64 ", \"rx_packets\": %" PRIu64 ", \"replays\": %u, \"crc_errors\": %u, \"down_events\": %u, \"p2p_enabled\": %s}",
				       first ? "" : ",", t->props[a].instance,
				       l->port, ogpu_link_state_str(l->state),
				       l->has_peer ? "true" : "false",
				       l->peer_instance, l->peer_port,
				       l->peer_present ? "true" : "false",
				       l->bandwidth_mbps,
				       l->nominal_bandwidth_mbps, l->latency_ns,
				       l->tx_bytes, l->rx_bytes, l->tx_packets,
				       l->rx_packets, l->replays, l->crc_errors,
				       l->down_events,
				       l->p2p_disabled ? "false" : "true");
				first = 0;
				continue;
			}
			printf("ogpu%-4u %-4u %-9s %-10s %8u %8u %7u %12" PRIu64 " %12" PRIu64 " %10" PRIu64 " %10" PRIu64 " %7u %6u %5u %s\n",
			       t->props[a].instance, l->port,
			       ogpu_link_state_str(l->state), peer,
			       l->bandwidth_mbps, l->nominal_bandwidth_mbps,
			       l->latency_ns, l->tx_bytes, l->rx_bytes,
			       l->tx_packets, l->rx_packets, l->replays,
			       l->crc_errors, l->down_events,
			       l->p2p_disabled ? "off" : "on");
		}
	if (json)
		printf("%s]\n", first ? "" : "\n");
	topo_close(t);
	free(t);
	return 0;
}

static int print_device(unsigned int index, int json, int first)
{
	struct ogpu_mem_region regions[4];
	uint64_t vram_used = 0, sys_used = 0;
	struct client clients[64];
	struct ogpu_device_limits lim = { 0 };
	struct ogpu_device_props p;
	struct ogpu_device *dev;
	char caps[64], vms[16], queues[16];
	int ret, n, i;

	ret = ogpu_device_open(index, &dev);
	if (!ret)
		ret = ogpu_device_get_props(dev, &p);
	n = ret ? ret : ogpu_device_get_mem_regions(dev, regions, 4);
	if (n < 0) {
		fprintf(stderr, "ogpu-smi: device %u: %s\n", index,
			ogpu_strerror(n));
		ogpu_device_close(dev);
		return n;
	}
	for (i = 0; i < n && i < 4; i++) {
		if (regions[i].kind == OGPU_MEM_DEVICE)
			vram_used = regions[i].used;
		else
			sys_used = regions[i].used;
	}
	caps_str(p.caps, caps, sizeof(caps));
	/* An older kernel reports no limits: show them as unknown. */
	if (ogpu_device_get_limits(dev, &lim)) {
		snprintf(vms, sizeof(vms), "-");
		snprintf(queues, sizeof(queues), "-");
	} else {
		snprintf(vms, sizeof(vms), "%u/%u", lim.vms_in_use, lim.max_vms);
		snprintf(queues, sizeof(queues), "%u/%u", lim.queues_in_use,
			 lim.max_queues);
	}
	n = find_clients(p.render_node, clients, 64);

	if (json) {
		printf("%s\n  {\"index\": %u, \"render_node\": \"%s\", "
		       "\"bus_id\": \"%s\", \"instance\": %u, "
		       "\"hw_version\": \"%u.%u\", \"vram_bytes\": %" PRIu64 ", "
		       "\"compute_units\": %u, \"cu_lanes\": %u, "
		       "\"compute_engines\": %u, \"copy_engines\": %u, "
		       "\"link_ports\": %u, \"caps\": \"%s\", "
		       "\"vram_used_bytes\": %" PRIu64 ", "
		       "\"system_used_bytes\": %" PRIu64 ", "
		       "\"max_vms\": %u, \"vms_in_use\": %u, "
		       "\"max_queues\": %u, \"queues_in_use\": %u, "
		       "\"vm_page_table_budget_bytes\": %" PRIu64 ", "
		       "\"processes\": [",
		       first ? "" : ",", index, p.render_node, p.bus_id,
		       p.instance, p.hw_version_major, p.hw_version_minor,
		       p.vram_size, p.num_cus, p.cu_lanes,
		       p.num_compute_engines, p.num_copy_engines,
		       p.num_link_ports, caps, vram_used, sys_used,
		       lim.max_vms, lim.vms_in_use, lim.max_queues,
		       lim.queues_in_use, lim.vm_page_table_budget);
		for (i = 0; i < n; i++)
			printf("%s{\"pid\": %d, \"name\": \"%s\", "
			       "\"vram_bytes\": %" PRIu64 ", "
			       "\"system_bytes\": %" PRIu64 ", "
			       "\"vms\": %u, \"queues\": %u, "
			       "\"page_table_bytes\": %" PRIu64 "}",
			       i ? ", " : "", clients[i].pid, clients[i].name,
			       clients[i].vram, clients[i].system,
			       clients[i].vms, clients[i].queues,
			       clients[i].page_tables);
		printf("]}");
	} else {
		char ver[16];

		snprintf(ver, sizeof(ver), "%u.%u", p.hw_version_major,
			 p.hw_version_minor);
		printf("%-4u %-20s %-9s %-5u %-7s %6" PRIu64 " / %-6" PRIu64
		       " %8" PRIu64 " %4u %6u %8u %5u %6u %6s %6s  %s\n",
		       index, p.render_node, p.bus_id, p.instance, ver,
		       vram_used >> 20, p.vram_size >> 20, sys_used >> 20,
		       p.num_cus, p.cu_lanes, p.num_compute_engines,
		       p.num_copy_engines, p.num_link_ports, vms, queues, caps);
		for (i = 0; i < n; i++)
			printf("     pid %-7d %-16s vram %8" PRIu64
			       " KiB  system %8" PRIu64 " KiB  vms %2u"
			       "  queues %u  page tables %" PRIu64 " KiB\n",
			       clients[i].pid, clients[i].name,
			       clients[i].vram >> 10, clients[i].system >> 10,
			       clients[i].vms, clients[i].queues,
			       clients[i].page_tables >> 10);
	}
	ogpu_device_close(dev);
	return 0;
}

int main(int argc, char **argv)
{
	int json = 0, n, i, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "coredump"))
		return coredump_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "topo"))
		return topo_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "links"))
		return links_main(argc - 1, argv + 1);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}

	n = ogpu_device_count();
	if (n < 0) {
		fprintf(stderr, "ogpu-smi: cannot list devices: %s\n",
			ogpu_strerror(n));
		return 1;
	}

	if (json)
		printf("[");
	else
		printf("%-4s %-20s %-9s %-5s %-7s %15s %8s %4s %6s %8s %5s %6s %6s %6s  %s\n",
		       "IDX", "RENDER NODE", "BUS ID", "INST", "HW VER",
		       "VRAM MiB USED", "SYS MiB", "CUS", "LANES", "COMPUTE",
		       "COPY", "LINKS", "VMS", "QUEUES", "CAPS");
	for (i = 0; i < n; i++)
		if (print_device(i, json, i == 0))
			ret = 1;
	if (json)
		printf("%s]\n", n ? "\n" : "");
	else if (!n)
		printf("no OGPU devices found\n");
	return ret;
}
