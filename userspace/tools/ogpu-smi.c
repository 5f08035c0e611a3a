// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu-smi: list the OGPUs in the system and what they are.
 *
 *   ogpu-smi           a table, one device a row
 *   ogpu-smi --json    the same as a JSON array
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ogpu.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ogpu-smi [--json] [--help]\n"
		"List the OGPU devices and their properties.\n");
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

static int print_device(unsigned int index, int json, int first)
{
	struct ogpu_device_props p;
	struct ogpu_device *dev;
	char caps[64];
	int ret;

	ret = ogpu_device_open(index, &dev);
	if (!ret)
		ret = ogpu_device_get_props(dev, &p);
	if (ret) {
		fprintf(stderr, "ogpu-smi: device %u: %s\n", index,
			ogpu_strerror(ret));
		ogpu_device_close(dev);
		return ret;
	}
	caps_str(p.caps, caps, sizeof(caps));

	if (json) {
		printf("%s\n  {\"index\": %u, \"render_node\": \"%s\", "
		       "\"bus_id\": \"%s\", \"instance\": %u, "
		       "\"hw_version\": \"%u.%u\", \"vram_bytes\": %" PRIu64 ", "
		       "\"compute_units\": %u, \"cu_lanes\": %u, "
		       "\"compute_engines\": %u, \"copy_engines\": %u, "
		       "\"link_ports\": %u, \"caps\": \"%s\"}",
		       first ? "" : ",", index, p.render_node, p.bus_id,
		       p.instance, p.hw_version_major, p.hw_version_minor,
		       p.vram_size, p.num_cus, p.cu_lanes,
		       p.num_compute_engines, p.num_copy_engines,
		       p.num_link_ports, caps);
	} else {
		char ver[16];

		snprintf(ver, sizeof(ver), "%u.%u", p.hw_version_major,
			 p.hw_version_minor);
		printf("%-4u %-20s %-9s %-5u %-7s %7" PRIu64 " MiB %4u %6u %8u %5u %6u  %s\n",
		       index, p.render_node, p.bus_id, p.instance, ver,
		       p.vram_size >> 20, p.num_cus, p.cu_lanes,
		       p.num_compute_engines, p.num_copy_engines,
		       p.num_link_ports, caps);
	}
	ogpu_device_close(dev);
	return 0;
}

int main(int argc, char **argv)
{
	int json = 0, n, i, ret = 0;

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
		printf("%-4s %-20s %-9s %-5s %-7s %11s %4s %6s %8s %5s %6s  %s\n",
		       "IDX", "RENDER NODE", "BUS ID", "INST", "HW VER",
		       "VRAM", "CUS", "LANES", "COMPUTE", "COPY", "LINKS",
		       "CAPS");
	for (i = 0; i < n; i++)
		if (print_device(i, json, i == 0))
			ret = 1;
	if (json)
		printf("%s]\n", n ? "\n" : "");
	else if (!n)
		printf("no OGPU devices found\n");
	return ret;
}
