// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The smallest libogpu program: open the first OGPU and say what it is.
 * Build it against an installed libogpu with
 *   cc hello.c $(pkg-config --cflags --libs libogpu)
 */
#include <inttypes.h>
#include <stdio.h>

#include <ogpu.h>

int main(void)
{
	struct ogpu_device_props props;
	struct ogpu_device *dev;
	int ret;

	ret = ogpu_device_open(0, &dev);
	if (ret) {
		fprintf(stderr, "hello: cannot open an OGPU: %s\n",
			ogpu_strerror(ret));
		return 1;
	}
	ret = ogpu_device_get_props(dev, &props);
	if (ret) {
		fprintf(stderr, "hello: %s\n", ogpu_strerror(ret));
		ogpu_device_close(dev);
		return 1;
	}
	printf("OGPU %u.%u at %s: %" PRIu64 " MiB VRAM, %u compute units\n",
	       props.hw_version_major, props.hw_version_minor,
	       props.render_node, props.vram_size >> 20, props.num_cus);
	ogpu_device_close(dev);
	return 0;
}
