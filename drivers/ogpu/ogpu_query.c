// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: DEV_QUERY
 *
 * DRM_IOCTL_OGPU_DEV_QUERY answers with one object per query type, through
 * the { type, size, pointer } triple of &struct drm_ogpu_dev_query. Every
 * answer comes from &struct ogpu_hw_info, which the driver read from the
 * hardware when it bound, so a query does not touch the hardware; it still
 * fails with -ENODEV once the device is unplugged.
 */

#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_hw.h"
#include "ogpu_ring.h"
#include "ogpu_vm.h"
#include "drm/ogpu_drm.h"

/*
 * Size of the first version of each answer: userspace must offer at least
 * this much. Answers may grow at their end; an older userspace then gets
 * the prefix it knows.
 */
#define OGPU_DEVICE_INFO_SIZE_V1 \
	offsetofend(struct drm_ogpu_device_info, pad)

static int ogpu_query_answer(struct ogpu_device *odev,
			     struct drm_ogpu_dev_query *q,
			     const void *obj, u32 obj_size, u32 min_size)
{
	void __user *ptr = u64_to_user_ptr(q->pointer);
	u32 copy;

	if (!q->size) {
		q->size = obj_size;
		return 0;
	}
	if (OGPU_CHECK(odev, q->size < min_size))
		return -EINVAL;

	copy = min(q->size, obj_size);
	if (copy_to_user(ptr, obj, copy))
		return -EFAULT;
	if (q->size > copy && clear_user(ptr + copy, q->size - copy))
		return -EFAULT;
	q->size = copy;
	return 0;
}

/*
 * The RISC-V ISA string of the compute units, from the misa-style letters
 * of OGPU_HW_REG_CU_ISA: "rv64imafd_zicsr_zifencei" for RV64G; "" without
 * compute units.
 */
static void ogpu_isa_string(u32 isa, char *buf, size_t len)
{
	static const char order[] = "imafdqc";
	size_t n;
	int i;

	if (!(isa & OGPU_HW_CU_ISA_BIT('I'))) {
		buf[0] = '\0';
		return;
	}
	n = strscpy(buf, "rv64", len);
	for (i = 0; order[i] && n + 1 < len; i++)
		if (isa & OGPU_HW_CU_ISA_BIT(order[i] - 'a' + 'A'))
			buf[n++] = order[i];
	buf[n] = '\0';
	strlcat(buf, "_zicsr_zifencei", len);
}

static u64 ogpu_cu_insns(struct ogpu_device *odev)
{
	if (!(odev->info.caps & OGPU_HW_CAP_COMPUTE))
		return 0;
	return ogpu_reg_read64(odev, OGPU_HW_REG_CU_INSNS_LO,
			       OGPU_HW_REG_CU_INSNS_HI);
}

static int ogpu_query_device_info(struct ogpu_device *odev,
				  struct drm_ogpu_dev_query *q)
{
	const struct ogpu_hw_info *hw = &odev->info;
	struct drm_ogpu_device_info info = {
		.hw_id = hw->id,
		.hw_version = hw->version,
		.vram_size = hw->vram_size,
		.caps = hw->caps,
		.instance = hw->instance,
		.num_cus = hw->num_cus,
		.cu_lanes = hw->cu_lanes,
		.num_compute_engines = hw->compute_engines,
		.num_copy_engines = hw->copy_engines,
		.num_link_ports = hw->link_ports,
		.max_vms = OGPU_HW_MMU_CONTEXTS - 1,
		.max_queues = OGPU_RING_USER_SLOTS,
		.vms_in_use = atomic_read(&odev->vms_in_use),
		.queues_in_use = ogpu_rings_user_in_use(odev),
		.vm_page_table_budget = (u64)ogpu_vm_pt_budget(odev) *
					OGPU_PT_SIZE,
		.cu_max_block = hw->cu_max_block,
		.cu_shared_max = hw->cu_shared_max,
		.cu_private_bytes = hw->cu_private,
		.cu_csr_version = hw->cu_csr_version,
		.cu_thread_insns = ogpu_cu_insns(odev),
		.link_generation = ogpu_link_generation(odev),
	};

	ogpu_isa_string(hw->cu_isa, info.cu_isa, sizeof(info.cu_isa));

	return ogpu_query_answer(odev, q, &info, sizeof(info),
				 OGPU_DEVICE_INFO_SIZE_V1);
}

static int ogpu_query_engine_info(struct ogpu_device *odev,
				  struct drm_ogpu_dev_query *q)
{
	struct drm_ogpu_engine_info engines[2 * OGPU_HW_MAX_ENGINES] = {};
	const struct ogpu_hw_info *hw = &odev->info;
	u32 n = 0, i;

	for (i = 0; i < hw->compute_engines; i++, n++) {
		engines[n].engine_class = DRM_OGPU_ENGINE_CLASS_COMPUTE;
		engines[n].instance = i;
	}
	for (i = 0; i < hw->copy_engines; i++, n++) {
		engines[n].engine_class = DRM_OGPU_ENGINE_CLASS_COPY;
		engines[n].instance = i;
	}

	/* An array answer is all or nothing. */
	return ogpu_query_answer(odev, q, engines, n * sizeof(engines[0]),
				 n * sizeof(engines[0]));
}

static int ogpu_query_mem_regions(struct ogpu_device *odev,
				  struct drm_ogpu_dev_query *q)
{
	struct ttm_resource_manager *vram, *tt;
	struct drm_ogpu_mem_region regions[2] = {};

	vram = ttm_manager_type(&odev->bdev, TTM_PL_VRAM);
	tt = ttm_manager_type(&odev->bdev, TTM_PL_TT);

	regions[0].type = DRM_OGPU_MEM_VRAM;
	regions[0].flags = DRM_OGPU_MEM_REGION_CPU_VISIBLE;
	regions[0].size = odev->info.vram_size;
	regions[0].used = ttm_resource_manager_usage(vram);
	/* The aperture spans all of VRAM. */
	regions[0].cpu_visible_size = odev->info.vram_size;

	regions[1].type = DRM_OGPU_MEM_SYSTEM;
	regions[1].flags = DRM_OGPU_MEM_REGION_CPU_VISIBLE;
	regions[1].size = odev->gtt_size;
	regions[1].used = ttm_resource_manager_usage(tt);
	regions[1].cpu_visible_size = odev->gtt_size;

	return ogpu_query_answer(odev, q, regions, sizeof(regions),
				 sizeof(regions));
}

static int ogpu_query_links(struct ogpu_device *odev,
			    struct drm_ogpu_dev_query *q)
{
	struct drm_ogpu_link_info links[OGPU_HW_MAX_LINK_PORTS];
	u32 n = odev->info.link_ports, i;

	for (i = 0; i < n; i++)
		ogpu_link_read_info(odev, i, &links[i]);

	return ogpu_query_answer(odev, q, links, n * sizeof(links[0]),
				 n * sizeof(links[0]));
}

/**
 * ogpu_ioctl_dev_query() - DRM_IOCTL_OGPU_DEV_QUERY
 * @dev: DRM device
 * @data: &struct drm_ogpu_dev_query
 * @file: DRM file
 *
 * Return: 0, -EINVAL for malformed input, -EFAULT for a bad pointer,
 * -ENODEV if the device is gone.
 */
int ogpu_ioctl_dev_query(struct drm_device *dev, void *data,
			 struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_dev_query *q = data;
	int ret, idx;

	if (OGPU_CHECK(odev, q->flags) || OGPU_CHECK(odev, q->pad))
		return -EINVAL;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;

	switch (q->type) {
	case DRM_OGPU_DEV_QUERY_DEVICE_INFO:
		ret = ogpu_query_device_info(odev, q);
		break;
	case DRM_OGPU_DEV_QUERY_ENGINE_INFO:
		ret = ogpu_query_engine_info(odev, q);
		break;
	case DRM_OGPU_DEV_QUERY_MEM_REGIONS:
		ret = ogpu_query_mem_regions(odev, q);
		break;
	case DRM_OGPU_DEV_QUERY_LINKS:
		ret = ogpu_query_links(odev, q);
		break;
	default:
		drm_dbg(dev, "unknown query type %u\n", q->type);
		ret = -EINVAL;
		break;
	}

	drm_dev_exit(idx);
	return ret;
}
