/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * libogpu internals, shared by its source files only.
 */
#ifndef OGPU_PRIV_H
#define OGPU_PRIV_H

#include <pthread.h>

#include "ogpu.h"
#include "ogpu_drm.h"

#define OGPU_EXPORT __attribute__((visibility("default")))

struct ogpu_device {
	int fd;
	struct ogpu_device_props props;
};

struct ogpu_bo {
	struct ogpu_device *dev;
	uint32_t handle;
	uint64_t size;
	pthread_mutex_t lock;	/* protects map */
	void *map;
};

struct ogpu_vm {
	struct ogpu_device *dev;
	uint32_t id;
	uint32_t hw_ctx;
	uint64_t va_start;
	uint64_t va_end;
	pthread_mutex_t lock;	/* protects va_next */
	uint64_t va_next;	/* library allocations, upward */
};

struct ogpu_queue {
	struct ogpu_vm *vm;
	uint32_t id;
};

struct ogpu_cmdbuf {
	struct ogpu_vm *vm;
	struct ogpu_bo *bo;
	uint32_t *words;
	uint64_t va;
	uint32_t cap_dw;
	uint32_t len_dw;
};

int ogpu_ioctl(int fd, unsigned long request, void *arg);
/* The library's syncs as the UAPI's: a non-zero point is a timeline's. */
void ogpu_to_drm_syncs(struct drm_ogpu_sync *d, const struct ogpu_sync *s,
		       unsigned int n);
int ogpu_query(int fd, uint32_t type, void *buf, uint32_t *size);

#endif /* OGPU_PRIV_H */
