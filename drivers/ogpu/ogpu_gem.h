/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_GEM_H__
#define __OGPU_GEM_H__

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

struct dma_buf;
struct drm_printer;
struct ogpu_device;
struct sg_table;

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
	/**
	 * @dma_buf: The dma-buf the buffer is exported as, or NULL; set and
	 * cleared under the reservation lock, which also guards its use to
	 * tell importers that the buffer moves (see ogpu_prime.c). Unlike
	 * &drm_gem_object.dma_buf it lasts as long as the dma-buf does,
	 * not only while the buffer has handles.
	 */
	struct dma_buf *dma_buf;
	/**
	 * @import_buf: For a buffer imported from another driver (or another
	 * OGPU), the dma-buf, referenced until the buffer is destroyed;
	 * NULL for the device's own buffers.
	 */
	struct dma_buf *import_buf;
	/**
	 * @import_sgt: The mapping of the import's attachment while the
	 * buffer is in TTM_PL_TT, NULL otherwise; under the reservation lock.
	 */
	struct sg_table *import_sgt;
	/**
	 * @peer: For an import of another OGPU's buffer joined to this
	 * device by a usable link when it was imported, that buffer (kept
	 * alive by @import_buf); NULL otherwise.
	 */
	struct ogpu_bo *peer;
	/** @peer_port: The link port of this device that reaches @peer. */
	u32 peer_port;
	/**
	 * @peer_vram: The import is in TTM_PL_TT and maps @peer's VRAM
	 * through the PEER aperture rather than system pages; under the
	 * reservation lock.
	 */
	bool peer_vram;
	/**
	 * @peer_required: Imported with DRM_OGPU_IMPORT_LINK_ONLY: mapped
	 * only over the link, never through system memory; under the
	 * reservation lock.
	 */
	bool peer_required;
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
void ogpu_bo_set_placement(struct ogpu_bo *bo, u32 flags);
struct ogpu_bo *ogpu_bo_create_import(struct ogpu_device *odev,
				      struct dma_buf *dma_buf);
struct ogpu_bo *ogpu_bo_create_pinned(struct ogpu_device *odev, u64 size,
				      bool contiguous);
void ogpu_bo_free_pinned(struct ogpu_bo *bo);
u64 ogpu_bo_vram_offset(struct ogpu_bo *bo);
struct ogpu_bo *ogpu_bo_create(struct ogpu_device *odev, u64 size, u32 flags);
void ogpu_show_fdinfo(struct drm_printer *p, struct drm_file *file);

/* PRIME, in ogpu_prime.c. */
struct dma_buf *ogpu_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *ogpu_gem_prime_import(struct drm_device *dev,
					     struct dma_buf *dma_buf);
void ogpu_prime_bo_moving(struct ogpu_bo *bo);
int ogpu_prime_import_move(struct ogpu_bo *bo, struct ttm_resource *new_mem,
			   struct ttm_operation_ctx *ctx);
void ogpu_prime_import_unmap(struct ogpu_bo *bo);
int ogpu_ioctl_prime_import(struct drm_device *dev, void *data,
			    struct drm_file *file);

int ogpu_ioctl_bo_create(struct drm_device *dev, void *data,
			 struct drm_file *file);
int ogpu_ioctl_bo_mmap_offset(struct drm_device *dev, void *data,
			      struct drm_file *file);

#endif /* __OGPU_GEM_H__ */
