/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Copyright 2026 The ogpu authors
 */
#ifndef __OGPU_MMU_H__
#define __OGPU_MMU_H__

#include <linux/types.h>

struct ogpu_device;

int ogpu_mmu_ctx_alloc(struct ogpu_device *odev);
void ogpu_mmu_ctx_free(struct ogpu_device *odev, u32 ctx);
void ogpu_mmu_ctx_load(struct ogpu_device *odev, u32 ctx, u64 root);
void ogpu_mmu_ctx_unload(struct ogpu_device *odev, u32 ctx);
void ogpu_mmu_invalidate(struct ogpu_device *odev, u32 ctx);
void ogpu_mmu_fault_irq(struct ogpu_device *odev);

#endif /* __OGPU_MMU_H__ */
