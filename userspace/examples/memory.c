// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Device memory with libogpu: a buffer in VRAM and one in host memory,
 * written by the CPU, mapped into a GPU address space. With an argument N,
 * it then holds them for N seconds (so that ogpu-smi can show them).
 *
 *   cc memory.c $(pkg-config --cflags --libs libogpu)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ogpu.h>

#define MiB ((uint64_t)1 << 20)

static int fail(const char *what, int err)
{
	fprintf(stderr, "memory: %s: %s\n", what, ogpu_strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct ogpu_bo *vram_bo, *host_bo;
	uint64_t va_start, va_end;
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	void *p;
	int ret;

	ret = ogpu_device_open(0, &dev);
	if (ret)
		return fail("open", ret);
	ret = ogpu_vm_create(dev, &vm);
	if (ret)
		return fail("vm", ret);
	ret = ogpu_bo_create(dev, 16 * MiB, OGPU_MEM_DEVICE, &vram_bo);
	if (ret)
		return fail("vram buffer", ret);
	ret = ogpu_bo_create(dev, 4 * MiB, OGPU_MEM_HOST, &host_bo);
	if (ret)
		return fail("host buffer", ret);

	ret = ogpu_bo_map(vram_bo, &p);
	if (ret)
		return fail("map", ret);
	memset(p, 0x5a, 16 * MiB);
	ret = ogpu_bo_map(host_bo, &p);
	if (ret)
		return fail("map", ret);
	memset(p, 0xa5, 4 * MiB);

	ogpu_vm_va_range(vm, &va_start, &va_end);
	ret = ogpu_vm_bind(vm, vram_bo, 0, va_start, 16 * MiB, OGPU_ACCESS_RW);
	if (!ret)
		ret = ogpu_vm_bind(vm, host_bo, 0, va_start + 16 * MiB, 4 * MiB,
				   OGPU_ACCESS_READ);
	if (ret)
		return fail("bind", ret);
	printf("memory: 16 MiB of VRAM at GPU VA %#" PRIx64
	       ", 4 MiB of host memory at %#" PRIx64 " (MMU context %u)\n",
	       va_start, va_start + (uint64_t)(16 << 20), ogpu_vm_hw_context(vm));
	fflush(stdout);

	if (argc > 1)
		sleep(atoi(argv[1]));

	ogpu_bo_free(host_bo);
	ogpu_bo_free(vram_bo);
	ogpu_vm_destroy(vm);
	ogpu_device_close(dev);
	return 0;
}
