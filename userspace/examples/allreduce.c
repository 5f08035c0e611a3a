// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * An all-reduce over every OGPU: each device holds a vector of floats,
 * and afterwards each holds their sum, computed by the devices themselves
 * (copies over the links, sums on the compute units), checked on the CPU.
 *
 *   cc allreduce.c $(pkg-config --cflags --libs libogpu)
 */
#include "example.h"

#define N	(1u << 18)	/* floats per device */
#define MAX_DEV	8

int main(void)
{
	struct ogpu_device *dev[MAX_DEV];
	struct ogpu_vm *vm[MAX_DEV];
	struct ogpu_bo *bo[MAX_DEV];
	float *map[MAX_DEV];
	uint64_t va[MAX_DEV];
	struct ogpu_comm *comm;
	unsigned int n = ogpu_device_count(), i, d, bad = 0;
	struct timespec t0, t1;

	n = n > MAX_DEV ? MAX_DEV : n;
	for (d = 0; d < n; d++) {
		CHECK(ogpu_device_open(d, &dev[d]));
		CHECK(ogpu_vm_create(dev[d], &vm[d]));
		CHECK(ogpu_bo_create(dev[d], N * 4, OGPU_MEM_DEVICE, &bo[d]));
		va[d] = ogpu_vm_alloc_va(vm[d], N * 4);
		CHECK(ogpu_vm_bind(vm[d], bo[d], 0, va[d], N * 4,
				   OGPU_ACCESS_RW));
		CHECK(ogpu_bo_map(bo[d], (void **)&map[d]));
		for (i = 0; i < N; i++)
			map[d][i] = (float)(d + 1) * (i % 100);
	}
	CHECK(ogpu_comm_create(vm, n, &comm));
	printf("%s\n", ogpu_comm_status(comm));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(ogpu_all_reduce(comm, va, va, N, OGPU_FLOAT32, OGPU_SUM));
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (d = 0; d < n; d++)
		for (i = 0; i < N; i++)
			bad += map[d][i] != (float)(n * (n + 1) / 2) * (i % 100);
	printf("all-reduce of %u floats on %u devices: %s, %.1f ms\n", N, n,
	       bad ? "WRONG" : "checked against the CPU",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);

	ogpu_comm_destroy(comm);
	for (d = 0; d < n; d++) {
		ogpu_bo_free(bo[d]);
		ogpu_vm_destroy(vm[d]);
		ogpu_device_close(dev[d]);
	}
	return bad ? 1 : 0;
}
