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
	struct ogpu_compute_props compute;
	/*
	 * GEM handles are not counted by the kernel: importing a dma-buf
	 * whose buffer the file already has gives the same handle. The
	 * device's buffers, by handle, so that an import finds its
	 * ogpu_bo and counts one more reference, and the handle is closed
	 * with the last one.
	 */
	pthread_mutex_t bo_lock;	/* protects bos, ogpu_bo.refs, next */
	struct ogpu_bo *bos;
};

struct ogpu_bo {
	struct ogpu_device *dev;
	uint32_t handle;
	uint64_t size;
	pthread_mutex_t lock;	/* protects map */
	void *map;
	unsigned int refs;	/* ogpu_bo_create()/import_fd() calls */
	struct ogpu_bo *next;	/* in dev->bos */
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

/*
 * A queue's launch arena: OGPU_ARENA_SLOTS slots of OGPU_ARENA_SLOT bytes
 * in one host buffer mapped read+exec, each a launch's command buffer
 * (the first OGPU_ARENA_CMD bytes) and its arguments (the rest), and a
 * binary syncobj that the launch signals. Launch n (from 1) takes slot
 * (n - 1) % OGPU_ARENA_SLOTS, after launch n - OGPU_ARENA_SLOTS has ended
 * and its status has been folded into @error.
 */
#define OGPU_ARENA_SLOTS	64
#define OGPU_ARENA_SLOT		4096
#define OGPU_ARENA_CMD		128

struct ogpu_queue {
	struct ogpu_vm *vm;
	uint32_t id;
	pthread_mutex_t lock;	/* protects the arena */
	struct ogpu_bo *arena;
	uint8_t *arena_map;
	uint64_t arena_va;
	uint32_t done[OGPU_ARENA_SLOTS];	/* syncobj of each slot */
	uint64_t launches;	/* launches submitted */
	uint64_t checked;	/* launches whose status is in @error */
	int error;		/* the first error since the last wait_idle */
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
/*
 * The device information, which must cover the fields up to @need bytes
 * (-EOPNOTSUPP from a kernel that answers a shorter, older structure).
 */
int ogpu_device_info(struct ogpu_device *dev,
		     struct drm_ogpu_device_info *info, size_t need);
#define OGPU_INFO_UPTO(field) \
	(offsetof(struct drm_ogpu_device_info, field) + \
	 sizeof(((struct drm_ogpu_device_info *)0)->field))
void ogpu_queue_arena_fini(struct ogpu_queue *q);
int ogpu_arena_submit(struct ogpu_queue *q, uint32_t *w, unsigned int n,
		      unsigned int args_word, const void *args,
		      uint32_t args_size, const struct ogpu_sync *in,
		      unsigned int n_in, const struct ogpu_sync *out,
		      unsigned int n_out);
struct ogpu_device *ogpu_kernel_device(const struct ogpu_kernel *k);
struct ogpu_vm *ogpu_kernel_vm(const struct ogpu_kernel *k);

#endif /* OGPU_PRIV_H */
