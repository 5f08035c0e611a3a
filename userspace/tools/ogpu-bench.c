// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * ogpu-bench: measure the stack, each figure beside a baseline measured in
 * the same run on the same machine, as JSON. Every side-by-side comparison
 * is a field whose name ends in _ratio (ours / baseline; above 1 is faster
 * than the baseline).
 *
 *   ogpu-bench [--device N] [--quick] [mem] [queue] [bind] [compute]
 *              [interconnect]
 *
 * mem: buffer create + map + touch + bind + unbind + free against anonymous
 * mmap + memset + munmap of the same sizes; and eviction bandwidth (bytes
 * TTM moves per second when binds cycle through twice VRAM's worth of
 * buffers) against memcpy of the same buffers.
 *
 * queue: the round trip of an empty job (submit, fence interrupt, syncobj
 * wake-up) against an eventfd round trip between two threads; jobs per
 * second with many small jobs; and the copy engine's bandwidth against
 * memcpy of the same amount (the best of three of each).
 *
 * bind: map and unmap pairs per second when the driver writes the page
 * tables in the ioctl (synchronous binds, nothing queued) against pairs
 * that go through the VM's bind queue, each chained to the one before by a
 * timeline syncobj and only the last waited for.
 *
 * compute: the round trip of an empty kernel's launch (ogpu_launch_kernel()
 * of one thread, then ogpu_queue_wait_idle()) against the eventfd round
 * trip; and one sgemm launch (examples/kernels/sgemm.c, n x n): FLOP/s as
 * 2 n^3 / time, and thread-instructions per second from the compute
 * units' counter. The modules (empty.elf, sgemm.elf) are looked for
 * beside this program, or in $OGPU_KERNEL_DIR.
 *
 * interconnect (not in the default set: it needs the first four devices
 * joined in a ring of links, as `make bench` makes them): a copy-engine
 * copy into a peer's VRAM over a link against memcpy of the same size; the
 * all-reduce bus bandwidth (nccl-tests' algbw * 2(n-1)/n) against memcpy
 * of the message size, from 4 KiB to 64 MiB; and a one-element
 * all-reduce's latency against the eventfd round trip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ogpu.h"

#define MiB (1ull << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void touch(void *p, uint64_t size)
{
	volatile uint8_t *b = p;
	uint64_t i;

	for (i = 0; i < size; i += 4096)
		b[i] = (uint8_t)i;
}

/*
 * Bytes the driver has copied into and out of VRAM, from its debugfs
 * hw_info; the benchmark needs root in the guest. 0 on success.
 */
static int vram_traffic(const char *bus_id, uint64_t *bytes)
{
	char path[512], line[256];
	struct dirent *de;
	int found = -1;
	DIR *d;

	d = opendir("/sys/kernel/debug/dri");
	if (!d)
		return -errno;
	while (found && (de = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s/name",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && strstr(line, bus_id) &&
		    strstr(line, "ogpu"))
			found = 0;
		fclose(f);
		if (found)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s/hw_info",
			 de->d_name);
		f = fopen(path, "r");
		*bytes = 0;
		while (f && fgets(line, sizeof(line), f)) {
			unsigned long long v;

			if (sscanf(line, "bytes_to_vram: %llu", &v) == 1 ||
			    sscanf(line, "bytes_from_vram: %llu", &v) == 1)
				*bytes += v;
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	return found ? -ENOENT : 0;
}

/* Seconds for @iters BO lifecycles of @size; < 0 on error. */
static double bo_cycle(struct ogpu_device *dev, struct ogpu_vm *vm,
		       uint64_t size, int iters)
{
	uint64_t va_start, va_end;
	double t0 = now();
	int i, ret;

	ogpu_vm_va_range(vm, &va_start, &va_end);
	for (i = 0; i < iters; i++) {
		struct ogpu_bo *bo;
		void *p;

		ret = ogpu_bo_create(dev, size, OGPU_MEM_DEVICE, &bo);
		if (ret)
			goto err;
		ret = ogpu_bo_map(bo, &p);
		if (!ret) {
			memset(p, i, size);
			ret = ogpu_vm_bind(vm, bo, 0, 1ull << 32, size,
					   OGPU_ACCESS_RW);
		}
		if (!ret)
			ret = ogpu_vm_unbind(vm, 1ull << 32, size);
		ogpu_bo_free(bo);
		if (ret)
			goto err;
	}
	return now() - t0;
err:
	fprintf(stderr, "ogpu-bench: buffer cycle: %s\n", ogpu_strerror(ret));
	return -1;
}

static double anon_cycle(uint64_t size, int iters)
{
	double t0 = now();
	int i;

	for (i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		memset(p, i, size);
		munmap(p, size);
	}
	return now() - t0;
}

static int bench_mem(struct ogpu_device *dev, int quick, int first)
{
	struct ogpu_device_props props;
	uint64_t moved0 = 0, moved1 = 0;
	static const uint64_t sizes[] = { 4096, 64 * 1024, 1 * MiB, 16 * MiB };
	struct ogpu_mem_region regions[4];
	uint64_t bo_bytes = 0, vram = 0;
	double bo_s = 0, anon_s = 0, evict_s, copy_s, per_size[4];
	struct ogpu_bo **bos = NULL;
	uint64_t evict_bytes, copy_bytes = 0;
	struct ogpu_vm *vm;
	unsigned int i;
	int n, ret, rounds, k, nbos;
	void *src, *dst;

	ret = ogpu_vm_create(dev, &vm);
	if (ret) {
		fprintf(stderr, "ogpu-bench: vm: %s\n", ogpu_strerror(ret));
		return ret;
	}
	n = ogpu_device_get_mem_regions(dev, regions, 4);
	for (k = 0; k < n; k++)
		if (regions[k].kind == OGPU_MEM_DEVICE)
			vram = regions[k].size;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int iters = (int)((quick ? 8 : 64) * MiB / sizes[i]);
		double b, a;

		if (iters < 4)
			iters = 4;
		if (iters > 2000)
			iters = 2000;
		b = bo_cycle(dev, vm, sizes[i], iters);
		a = anon_cycle(sizes[i], iters);
		if (b < 0 || a < 0)
			return -EIO;
		bo_s += b;
		anon_s += a;
		per_size[i] = a / b;
		bo_bytes += sizes[i] * iters;
	}

	/* Eviction: cycle binds through twice VRAM's worth of 8 MiB buffers. */
	nbos = (int)(2 * vram / (8 * MiB));
	bos = calloc(nbos, sizeof(*bos));
	if (!bos)
		return -ENOMEM;
	for (k = 0; k < nbos; k++) {
		void *p;

		ret = ogpu_bo_create(dev, 8 * MiB, OGPU_MEM_DEVICE, &bos[k]);
		if (!ret)
			ret = ogpu_bo_map(bos[k], &p);
		if (ret) {
			fprintf(stderr, "ogpu-bench: evict setup: %s\n",
				ogpu_strerror(ret));
			return ret;
		}
		memset(p, k, 8 * MiB);
		ogpu_bo_unmap(bos[k]);
	}
	rounds = quick ? 1 : 3;
	ret = ogpu_device_get_props(dev, &props);
	if (!ret)
		ret = vram_traffic(props.bus_id, &moved0);
	if (ret) {
		fprintf(stderr, "ogpu-bench: cannot read VRAM traffic (debugfs, root): %s\n",
			ogpu_strerror(ret));
		return ret;
	}
	evict_s = now();
	for (i = 0; i < (unsigned int)rounds; i++)
		for (k = 0; k < nbos; k++) {
			uint64_t va = (1ull << 33) + (uint64_t)k * 8 * MiB;

			ret = ogpu_vm_bind(vm, bos[k], 0, va, 8 * MiB,
					   OGPU_ACCESS_RW);
			if (!ret)
				ret = ogpu_vm_unbind(vm, va, 8 * MiB);
			if (ret) {
				fprintf(stderr, "ogpu-bench: evict: %s\n",
					ogpu_strerror(ret));
				return ret;
			}
		}
	evict_s = now() - evict_s;
	ret = vram_traffic(props.bus_id, &moved1);
	if (ret)
		return ret;
	/* What TTM really moved, in and out of VRAM, while binds ran. */
	evict_bytes = moved1 - moved0;
	for (k = 0; k < nbos; k++)
		ogpu_bo_free(bos[k]);
	free(bos);

	src = malloc(8 * MiB);
	dst = malloc(8 * MiB);
	if (!src || !dst)
		return -ENOMEM;
	touch(src, 8 * MiB);
	touch(dst, 8 * MiB);
	copy_s = now();
	while (copy_bytes < evict_bytes || copy_bytes < 64 * MiB) {
		int odd = (copy_bytes / (8 * MiB)) & 1;

		memcpy(odd ? src : dst, odd ? dst : src, 8 * MiB);
		copy_bytes += 8 * MiB;
	}
	copy_s = now() - copy_s;
	free(src);
	free(dst);
	ogpu_vm_destroy(vm);

	printf("%s  \"mem\": {\n", first ? "" : ",\n");
	printf("    \"bo_cycle_bytes\": %" PRIu64 ",\n", bo_bytes);
	printf("    \"bo_cycle_bytes_per_s\": %.0f,\n", bo_bytes / bo_s);
	printf("    \"anon_cycle_bytes_per_s\": %.0f,\n", bo_bytes / anon_s);
	printf("    \"bo_cycle_vs_anon_ratio\": %.4f,\n", anon_s / bo_s);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		printf("    \"bo_cycle_%" PRIu64 "k_vs_anon_ratio\": %.4f,\n",
		       sizes[i] >> 10, per_size[i]);
	printf("    \"evict_bytes\": %" PRIu64 ",\n", evict_bytes);
	printf("    \"evict_bytes_per_s\": %.0f,\n", evict_bytes / evict_s);
	printf("    \"memcpy_bytes_per_s\": %.0f,\n", copy_bytes / copy_s);
	printf("    \"evict_vs_memcpy_ratio\": %.4f\n",
	       (evict_bytes / evict_s) / (copy_bytes / copy_s));
	printf("  }");
	return 0;
}

static int efd_ping, efd_pong;

static void *pong_main(void *arg)
{
	long n = (long)arg;
	uint64_t v;

	while (n--) {
		if (read(efd_ping, &v, 8) != 8 || write(efd_pong, &v, 8) != 8)
			break;
	}
	return NULL;
}

/* Nanoseconds per eventfd round trip between two threads. */
static double eventfd_rt_ns(long n)
{
	pthread_t t;
	uint64_t v = 1;
	double t0;
	long i;

	efd_ping = eventfd(0, 0);
	efd_pong = eventfd(0, 0);
	pthread_create(&t, NULL, pong_main, (void *)n);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (write(efd_ping, &v, 8) != 8 || read(efd_pong, &v, 8) != 8)
			break;
	}
	t0 = now() - t0;
	pthread_join(t, NULL);
	close(efd_ping);
	close(efd_pong);
	return t0 / n * 1e9;
}

static int bench_queue(struct ogpu_device *dev, int quick, int first)
{
	/* Both buffers, and all the VM holds, must fit in VRAM at once. */
	uint64_t copy_size = quick ? 8 * MiB : 16 * MiB, va_a, va_b;
	double rt, ev, jobs_s, copy_s, memcpy_s;
	struct ogpu_cmdbuf *nop, *cp;
	struct ogpu_bo *a, *b;
	struct ogpu_sync done;
	struct ogpu_queue *q;
	struct ogpu_vm *vm;
	int i, n = quick ? 200 : 1000, ret;
	void *pa, *pb;

	ret = ogpu_vm_create(dev, &vm);
	if (!ret)
		ret = ogpu_queue_create(vm, OGPU_ENGINE_COPY,
					OGPU_PRIORITY_NORMAL, 0, &q);
	if (!ret)
		ret = ogpu_cmdbuf_create(vm, 4096, &nop);
	if (!ret)
		ret = ogpu_cmd_nop(nop);
	if (!ret)
		ret = ogpu_syncobj_create(dev, &done.syncobj);
	if (ret)
		goto err;
	done.point = 0;

	/* Round trip: one empty job at a time, waited for. */
	rt = now();
	for (i = 0; i < n && !ret; i++) {
		ret = ogpu_submit(q, &nop, 1, NULL, 0, &done, 1);
		if (!ret)
			ret = ogpu_syncobj_wait(dev, &done, 1, INT64_MAX);
	}
	rt = (now() - rt) / n * 1e9;
	ev = eventfd_rt_ns(n);

	/* Throughput: many small jobs, only the last waited for. */
	jobs_s = now();
	for (i = 0; i < n && !ret; i++)
		ret = ogpu_submit(q, &nop, 1, NULL, 0,
				  i == n - 1 ? &done : NULL, i == n - 1);
	if (!ret)
		ret = ogpu_syncobj_wait(dev, &done, 1, INT64_MAX);
	jobs_s = n / (now() - jobs_s);

	/* The copy engine, VRAM to VRAM, against memcpy of the same size. */
	if (!ret)
		ret = ogpu_bo_create(dev, copy_size, OGPU_MEM_DEVICE, &a);
	if (!ret)
		ret = ogpu_bo_create(dev, copy_size, OGPU_MEM_DEVICE, &b);
	if (!ret)
		ret = ogpu_bo_map(a, &pa);
	if (!ret)
		ret = ogpu_bo_map(b, &pb);
	if (ret)
		goto err;
	memset(pa, 1, copy_size);
	memset(pb, 2, copy_size);
	va_a = ogpu_vm_alloc_va(vm, copy_size);
	va_b = ogpu_vm_alloc_va(vm, copy_size);
	ret = ogpu_vm_bind(vm, a, 0, va_a, copy_size, OGPU_ACCESS_RW);
	if (!ret)
		ret = ogpu_vm_bind(vm, b, 0, va_b, copy_size, OGPU_ACCESS_RW);
	if (!ret)
		ret = ogpu_cmdbuf_create(vm, 4096, &cp);
	if (!ret)
		ret = ogpu_cmd_copy(cp, va_b, va_a, copy_size);
	if (ret)
		goto err;
	/* The best of three each: one run is at the emulator's mercy. */
	copy_s = memcpy_s = 1e9;
	for (i = 0; i < 3 && !ret; i++) {
		double t = now();

		ret = ogpu_submit(q, &cp, 1, NULL, 0, &done, 1);
		if (!ret)
			ret = ogpu_syncobj_wait(dev, &done, 1, INT64_MAX);
		t = now() - t;
		if (t < copy_s)
			copy_s = t;
		t = now();
		memcpy(pb, pa, copy_size);
		t = now() - t;
		if (t < memcpy_s)
			memcpy_s = t;
	}
	if (ret)
		goto err;

	printf("%s  \"queue\": {\n", first ? "" : ",\n");
	printf("    \"empty_job_round_trip_ns\": %.0f,\n", rt);
	printf("    \"eventfd_round_trip_ns\": %.0f,\n", ev);
	printf("    \"job_round_trip_vs_eventfd_ratio\": %.4f,\n", ev / rt);
	printf("    \"small_jobs_per_s\": %.0f,\n", jobs_s);
	printf("    \"copy_engine_bytes_per_s\": %.0f,\n", copy_size / copy_s);
	printf("    \"memcpy_bytes_per_s\": %.0f,\n", copy_size / memcpy_s);
	printf("    \"copy_engine_vs_memcpy_ratio\": %.4f\n", memcpy_s / copy_s);
	printf("  }");
	ogpu_cmdbuf_destroy(cp);
	ogpu_cmdbuf_destroy(nop);
	ogpu_bo_free(a);
	ogpu_bo_free(b);
	ogpu_syncobj_destroy(dev, done.syncobj);
	ogpu_queue_destroy(q);
	ogpu_vm_destroy(vm);
	return 0;
err:
	fprintf(stderr, "ogpu-bench: queue: %s\n", ogpu_strerror(ret));
	return ret;
}

static int bench_bind(struct ogpu_device *dev, int quick, int first)
{
	struct ogpu_sync tl = { 0, 0 }, in, out;
	struct ogpu_bind_op op[2];
	double inline_s, queued_s;
	int i, n = quick ? 100 : 500, ret;
	struct ogpu_vm *vm;
	struct ogpu_bo *bo;

	ret = ogpu_vm_create(dev, &vm);
	if (!ret)
		ret = ogpu_bo_create(dev, 64 * 1024, OGPU_MEM_DEVICE, &bo);
	if (!ret)
		ret = ogpu_syncobj_create(dev, &tl.syncobj);
	if (ret)
		goto err;
	op[0] = (struct ogpu_bind_op){ .bo = bo, .size = 64 * 1024,
				       .va = ogpu_vm_alloc_va(vm, 64 * 1024),
				       .access = OGPU_ACCESS_RW };
	op[1] = op[0];
	op[1].unmap = 1;

	/* Synchronous pairs: with nothing queued, the ioctl writes. */
	inline_s = now();
	for (i = 0; i < n && !ret; i++) {
		ret = ogpu_vm_bind_ops(vm, &op[0], 1, NULL, 0, NULL, 0, 0);
		if (!ret)
			ret = ogpu_vm_bind_ops(vm, &op[1], 1, NULL, 0, NULL, 0,
					       0);
	}
	inline_s = n / (now() - inline_s);

	/* Queued pairs: each bind waits for the one before. */
	queued_s = now();
	for (i = 0; i < 2 * n && !ret; i++) {
		in = (struct ogpu_sync){ tl.syncobj, i };
		out = (struct ogpu_sync){ tl.syncobj, i + 1 };
		ret = ogpu_vm_bind_ops(vm, &op[i % 2], 1, &in, i ? 1 : 0,
				       &out, 1, OGPU_BIND_ASYNC);
	}
	if (!ret)
		ret = ogpu_syncobj_wait(dev, &out, 1, INT64_MAX);
	queued_s = n / (now() - queued_s);
	if (ret)
		goto err;

	printf("%s  \"bind\": {\n", first ? "" : ",\n");
	printf("    \"inline_bind_pairs_per_s\": %.0f,\n", inline_s);
	printf("    \"queued_bind_pairs_per_s\": %.0f,\n", queued_s);
	printf("    \"queued_vs_inline_bind_ratio\": %.4f\n",
	       queued_s / inline_s);
	printf("  }");
	ogpu_syncobj_destroy(dev, tl.syncobj);
	ogpu_bo_free(bo);
	ogpu_vm_destroy(vm);
	return 0;
err:
	fprintf(stderr, "ogpu-bench: bind: %s\n", ogpu_strerror(ret));
	return ret;
}

/* Where a compute module is: $OGPU_KERNEL_DIR, or beside this program. */
static const char *module_path(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = getenv("OGPU_KERNEL_DIR");
	char exe[PATH_MAX / 2], *slash;
	ssize_t n;

	if (!dir) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = 0;
		slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		dir = n > 0 ? exe : ".";
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int bench_compute(struct ogpu_device *dev, int quick, int first)
{
	struct { uint64_t a, b, c; uint32_t n; } args;
	const struct ogpu_launch one = { { 1, 1, 1 }, { 1, 1, 1 }, 0 };
	struct ogpu_launch l = { { 0 }, { 16, 16, 1 }, 2 * 16 * 16 * 4 };
	uint32_t n = quick ? 64 : 128, i, j, k;
	uint64_t bytes = (uint64_t)n * n * 4, va[3], insns0, insns1;
	const struct ogpu_kernel *ek, *sk;
	struct ogpu_module *emod = NULL, *smod = NULL;
	struct ogpu_bo *bo[3] = { NULL };
	struct ogpu_queue *q = NULL;
	struct ogpu_vm *vm = NULL;
	int iters = quick ? 100 : 500, ret, bad = 0;
	double rt, ev, t;
	float *m[3] = { NULL };

	ret = ogpu_vm_create(dev, &vm);
	if (!ret)
		ret = ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE,
					OGPU_PRIORITY_NORMAL, 0, &q);
	if (!ret)
		ret = ogpu_module_load_file(vm, module_path("empty.elf"), &emod);
	if (!ret)
		ret = ogpu_module_get_kernel(emod, "empty", &ek);
	if (!ret)
		ret = ogpu_module_load_file(vm, module_path("sgemm.elf"), &smod);
	if (!ret)
		ret = ogpu_module_get_kernel(smod, "sgemm", &sk);
	/* One launch first, so that the round trips find everything warm. */
	if (!ret)
		ret = ogpu_launch_kernel(q, ek, &one, NULL, 0, NULL, 0, NULL, 0);
	if (!ret)
		ret = ogpu_queue_wait_idle(q);
	if (ret)
		goto out;
	rt = now();
	for (i = 0; i < (uint32_t)iters && !ret; i++) {
		ret = ogpu_launch_kernel(q, ek, &one, NULL, 0, NULL, 0, NULL, 0);
		if (!ret)
			ret = ogpu_queue_wait_idle(q);
	}
	rt = (now() - rt) / iters * 1e9;
	ev = eventfd_rt_ns(iters);

	/* sgemm: C = A B, n x n, in VRAM */
	for (i = 0; i < 3 && !ret; i++) {
		ret = ogpu_bo_create(dev, bytes, OGPU_MEM_DEVICE, &bo[i]);
		if (!ret)
			ret = ogpu_bo_map(bo[i], (void **)&m[i]);
		if (!ret) {
			va[i] = ogpu_vm_alloc_va(vm, bytes);
			ret = ogpu_vm_bind(vm, bo[i], 0, va[i], bytes,
					   OGPU_ACCESS_RW);
		}
	}
	if (ret)
		goto out;
	for (i = 0; i < n * n; i++) {
		m[0][i] = (float)(i % 17) - 8.0f;
		m[1][i] = (float)(i % 13) * 0.5f - 3.0f;
		m[2][i] = 0.0f;
	}
	args.a = va[0];
	args.b = va[1];
	args.c = va[2];
	args.n = n;
	l.grid = OGPU_DIM3(n / 16, n / 16, 1);
	ret = ogpu_device_get_cu_insns(dev, &insns0);
	t = now();
	if (!ret)
		ret = ogpu_launch_kernel(q, sk, &l, &args, sizeof(args), NULL, 0,
					 NULL, 0);
	if (!ret)
		ret = ogpu_queue_wait_idle(q);
	t = now() - t;
	if (!ret)
		ret = ogpu_device_get_cu_insns(dev, &insns1);
	if (ret)
		goto out;
	/* Small integers and halves: every sum is exact, in any order. */
	for (i = 0; i < n && !bad; i++)
		for (j = 0; j < n && !bad; j++) {
			float want = 0.0f;

			for (k = 0; k < n; k++)
				want += m[0][i * n + k] * m[1][k * n + j];
			bad = m[2][i * n + j] != want;
		}
	if (bad) {
		fprintf(stderr, "ogpu-bench: compute: sgemm gave a wrong result\n");
		ret = -EIO;
		goto out;
	}

	printf("%s  \"compute\": {\n", first ? "" : ",\n");
	printf("    \"empty_launch_round_trip_ns\": %.0f,\n", rt);
	printf("    \"eventfd_round_trip_ns\": %.0f,\n", ev);
	printf("    \"launch_round_trip_vs_eventfd_ratio\": %.4f,\n", ev / rt);
	printf("    \"sgemm_n\": %u,\n", n);
	printf("    \"sgemm_s\": %.6f,\n", t);
	printf("    \"sgemm_flop_per_s\": %.0f,\n", 2.0 * n * n * n / t);
	printf("    \"sgemm_thread_insns\": %" PRIu64 ",\n", insns1 - insns0);
	printf("    \"cu_thread_insns_per_s\": %.0f\n", (insns1 - insns0) / t);
	printf("  }");
out:
	if (ret)
		fprintf(stderr, "ogpu-bench: compute: %s\n", ogpu_strerror(ret));
	if (q)
		ogpu_queue_destroy(q);
	for (i = 0; i < 3; i++)
		if (bo[i])
			ogpu_bo_free(bo[i]);
	if (smod)
		ogpu_module_unload(smod);
	if (emod)
		ogpu_module_unload(emod);
	if (vm)
		ogpu_vm_destroy(vm);
	return ret;
}

/*
 * The interconnect, on the first four devices joined in a ring of links
 * (guest-bench.sh loads them with topology=ring): a peer copy over a link
 * against memcpy of the same size; all-reduce bus bandwidth (nccl-tests'
 * algbw * 2(n-1)/n) against memcpy, from 4 KiB to 64 MiB; and the
 * latency of a one-element all-reduce against an eventfd round trip.
 */
#define IC_DEVS 4

static double memcpy_best(void *dst, const void *src, uint64_t size, int reps)
{
	double best = 1e9;
	int i;

	for (i = 0; i < reps; i++) {
		double t = now();

		memcpy(dst, src, size);
		t = now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

static int bench_interconnect(int quick, int first)
{
	struct ogpu_device *dev[IC_DEVS] = { 0 };
	struct ogpu_vm *vm[IC_DEVS] = { 0 };
	struct ogpu_bo *buf[IC_DEVS] = { 0 }, *peer = NULL;
	uint64_t va[IC_DEVS], peer_va = 0, max = quick ? 16 * MiB : 64 * MiB;
	uint64_t size;
	struct ogpu_comm *comm = NULL;
	struct ogpu_queue *q = NULL;
	struct ogpu_cmdbuf *cb = NULL;
	struct ogpu_sync done = { 0, 0 };
	struct ogpu_p2p p2p;
	char *hsrc = NULL, *hdst = NULL;
	double lat, ev;
	int i, fd, ret = 0, n = 0, nsizes = 0;

	if (ogpu_device_count() < IC_DEVS) {
		fprintf(stderr, "ogpu-bench: interconnect needs %d devices\n",
			IC_DEVS);
		return -ENODEV;
	}
	for (i = 0; i < IC_DEVS && !ret; i++) {
		ret = ogpu_device_open(i, &dev[i]);
		if (!ret)
			ret = ogpu_vm_create(dev[i], &vm[i]);
		if (!ret)
			ret = ogpu_bo_create(dev[i], max, OGPU_MEM_DEVICE_OR_HOST,
					     &buf[i]);
		if (!ret) {
			va[i] = ogpu_vm_alloc_va(vm[i], max);
			ret = ogpu_vm_bind(vm[i], buf[i], 0, va[i], max,
					   OGPU_ACCESS_RW);
		}
		n = i + 1;
	}
	if (!ret)
		ret = ogpu_p2p_query(dev[0], dev[1], &p2p);
	if (!ret && p2p.reason != OGPU_P2P_OK) {
		fprintf(stderr, "ogpu-bench: interconnect: %s\n", p2p.why);
		ret = -ENOLINK;
	}
	/* Device 1's buffer in device 0's VM, over the link. */
	if (!ret)
		ret = ogpu_bo_export_fd(buf[1], &fd);
	if (!ret) {
		ret = ogpu_bo_import_fd(dev[0], fd, &peer);
		close(fd);
	}
	if (!ret) {
		peer_va = ogpu_vm_alloc_va(vm[0], max);
		ret = ogpu_vm_bind(vm[0], peer, 0, peer_va, max, OGPU_ACCESS_RW);
	}
	if (!ret)
		ret = ogpu_queue_create(vm[0], OGPU_ENGINE_COPY,
					OGPU_PRIORITY_NORMAL, 0, &q);
	if (!ret)
		ret = ogpu_cmdbuf_create(vm[0], 4096, &cb);
	if (!ret)
		ret = ogpu_syncobj_create(dev[0], &done.syncobj);
	if (!ret)
		ret = ogpu_comm_create(vm, IC_DEVS, &comm);
	hsrc = malloc(max);
	hdst = malloc(max);
	if (!ret && (!hsrc || !hdst))
		ret = -ENOMEM;
	if (ret)
		goto out;
	memset(hsrc, 1, max);
	memset(hdst, 2, max);

	printf("%s  \"interconnect\": {\n", first ? "" : ",\n");
	printf("    \"devices\": %d,\n", IC_DEVS);
	printf("    \"ring\": \"%s\",\n", ogpu_comm_status(comm));
	printf("    \"link_bandwidth_mbps\": %u,\n", p2p.bandwidth_mbps);
	printf("    \"link_latency_ns\": %u,\n", p2p.latency_ns);

	/* Peer copy: device 0's buffer into device 1's, best of three. */
	size = quick ? 8 * MiB : 32 * MiB;
	{
		double best = 1e9, mc;

		ogpu_cmdbuf_reset(cb);
		ret = ogpu_cmd_copy(cb, peer_va, va[0], size);
		for (i = 0; i < 3 && !ret; i++) {
			double t = now();

			ret = ogpu_submit(q, &cb, 1, NULL, 0, &done, 1);
			if (!ret)
				ret = ogpu_syncobj_wait(dev[0], &done, 1,
							INT64_MAX);
			t = now() - t;
			if (t < best)
				best = t;
		}
		if (ret)
			goto out;
		mc = memcpy_best(hdst, hsrc, size, 3);
		printf("    \"peer_copy_bytes\": %" PRIu64 ",\n", size);
		printf("    \"peer_copy_bytes_per_s\": %.0f,\n", size / best);
		printf("    \"memcpy_bytes_per_s\": %.0f,\n", size / mc);
		printf("    \"peer_copy_vs_memcpy_ratio\": %.4f,\n", mc / best);
	}

	/* All-reduce bus bandwidth over message sizes. */
	printf("    \"all_reduce\": [");
	for (size = 4096; size <= max && !ret; size *= 4, nsizes++) {
		int reps = size <= MiB ? (quick ? 5 : 10) : 2;
		double best = 1e9, mc, busbw, mcbw;

		for (i = 0; i < reps && !ret; i++) {
			double t = now();

			ret = ogpu_all_reduce(comm, va, va, size / 4,
					      OGPU_FLOAT32, OGPU_SUM);
			t = now() - t;
			if (t < best)
				best = t;
		}
		if (ret)
			break;
		mc = memcpy_best(hdst, hsrc, size, 3);
		busbw = size / best * 2.0 * (IC_DEVS - 1) / IC_DEVS;
		mcbw = size / mc;
		printf("%s\n      {\"bytes\": %" PRIu64 ", \"time_us\": %.1f, "
		       "\"bus_bytes_per_s\": %.0f, \"memcpy_bytes_per_s\": %.0f, "
		       "\"bus_bw_vs_memcpy_ratio\": %.4f}",
		       nsizes ? "," : "", size, best * 1e6, busbw, mcbw,
		       busbw / mcbw);
	}
	printf("\n    ],\n");
	if (ret)
		goto out;

	/* Latency: a one-element all-reduce, against an eventfd round trip. */
	{
		int reps = quick ? 20 : 100;

		lat = now();
		for (i = 0; i < reps && !ret; i++)
			ret = ogpu_all_reduce(comm, va, va, 1, OGPU_FLOAT32,
					      OGPU_SUM);
		lat = (now() - lat) / reps * 1e9;
		ev = eventfd_rt_ns(reps * 10);
		printf("    \"small_all_reduce_ns\": %.0f,\n", lat);
		printf("    \"eventfd_round_trip_ns\": %.0f,\n", ev);
		printf("    \"small_all_reduce_vs_eventfd_ratio\": %.4f\n",
		       ev / lat);
	}
	printf("  }");
out:
	if (ret)
		fprintf(stderr, "ogpu-bench: interconnect: %s (%s)\n",
			ogpu_strerror(ret),
			comm ? ogpu_comm_status(comm) : "no communicator");
	free(hsrc);
	free(hdst);
	ogpu_comm_destroy(comm);
	if (done.syncobj)
		ogpu_syncobj_destroy(dev[0], done.syncobj);
	ogpu_cmdbuf_destroy(cb);
	ogpu_queue_destroy(q);
	ogpu_bo_free(peer);
	for (i = 0; i < n; i++) {
		ogpu_bo_free(buf[i]);
		ogpu_vm_destroy(vm[i]);
		ogpu_device_close(dev[i]);
	}
	return ret;
}

int main(int argc, char **argv)
{
	int quick = 0, want_mem = 0, want_queue = 0, want_bind = 0;
	int want_compute = 0, want_ic = 0;
	int index = 0, i, ret;
	struct ogpu_device *dev;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			index = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "mem")) {
			want_mem = 1;
		} else if (!strcmp(argv[i], "queue")) {
			want_queue = 1;
		} else if (!strcmp(argv[i], "bind")) {
			want_bind = 1;
		} else if (!strcmp(argv[i], "compute")) {
			want_compute = 1;
		} else if (!strcmp(argv[i], "interconnect")) {
			want_ic = 1;
		} else {
			fprintf(stderr, "usage: ogpu-bench [--device N] [--quick] [mem] [queue] [bind] [compute] [interconnect]\n");
			return 2;
		}
	}
	if (!want_mem && !want_queue && !want_bind && !want_compute &&
	    !want_ic)
		want_mem = want_queue = want_bind = want_compute = 1;

	ret = ogpu_device_open(index, &dev);
	if (ret) {
		fprintf(stderr, "ogpu-bench: device %d: %s\n", index,
			ogpu_strerror(ret));
		return 1;
	}
	printf("{\n");
	ret = 0;
	if (want_mem)
		ret = bench_mem(dev, quick, 1);
	if (!ret && want_queue)
		ret = bench_queue(dev, quick, !want_mem);
	if (!ret && want_bind)
		ret = bench_bind(dev, quick, !want_mem && !want_queue);
	if (!ret && want_compute)
		ret = bench_compute(dev, quick,
				    !want_mem && !want_queue && !want_bind);
	if (!ret && want_ic)
		ret = bench_interconnect(quick, !want_mem && !want_queue &&
					 !want_bind && !want_compute);
	printf("\n}\n");
	ogpu_device_close(dev);
	return ret ? 1 : 0;
}
