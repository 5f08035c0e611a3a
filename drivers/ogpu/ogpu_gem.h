/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_GEM_H__
#define __OGPU_GEM_H__

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

struct drm_printer;
struct ogpu_device;

/**
 * struct ogpu_bo - a buffer object
 *
 * A TTM buffer object whose GEM object is &ttm_buffer_object.base. Its
 * placement is guarded by its reservation lock (&drm_gem_object.resv).
 */
struct ogpu_bo {
	/** @tbo: The TTM buffer object. */
	struct ttm_buffer_object tbo;
	/** @places: Where the buffer may live, in order of preference. */
	struct ttm_place places[2];
	/** @placement: Describes @places to TTM. */
	struct ttm_placement placement;
	/** @flags: DRM_OGPU_BO_* flags it was created with. */
	u32 flags;
};

static inline struct ogpu_bo *to_ogpu_bo(struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct ogpu_bo, tbo);
}

static inline struct ogpu_bo *gem_to_ogpu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct ogpu_bo, tbo.base);
}

/* Kernel-only placement flag, above the UAPI's DRM_OGPU_BO_* bits. */
#define OGPU_BO_CONTIGUOUS	BIT(31)

bool ogpu_is_ogpu_bo(struct ttm_buffer_object *tbo);
struct ogpu_bo *ogpu_bo_create_pinned(struct ogpu_device *odev, u64 size,
				      bool contiguous);
void ogpu_bo_free_pinned(struct ogpu_bo *bo);
u64 ogpu_bo_vram_offset(struct ogpu_bo *bo);
struct ogpu_bo *ogpu_bo_create(struct ogpu_device *odev, u64 size, u32 flags);
void ogpu_show_fdinfo(struct drm_printer *p, struct drm_file *file);

int ogpu_ioctl_bo_create(struct drm_device *dev, void *data,
			 struct drm_file *file);
int ogpu_ioctl_bo_mmap_offset(struct drm_device *dev, void *data,
			      struct drm_file *file);

#endif /* __OGPU_GEM_H__ */
