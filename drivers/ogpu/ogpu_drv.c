// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: ogpu driver
 *
 * ogpu.ko binds the "ogpu" platform devices that the OGPU hardware
 * presents (ogpu_sim.ko is its reference implementation) and registers a
 * DRM render node for each. This file holds the driver's plumbing: the
 * platform driver, the &struct drm_driver and its ioctl table. Each unit of
 * the driver lives in a file of its own.
 *
 * Hot unplug: when the platform device goes away while files are open,
 * ogpu_remove() calls drm_dev_unplug(), which waits for every ioctl that
 * is inside drm_dev_enter() to leave, and makes every later ioctl fail
 * with -ENODEV. The &struct ogpu_device itself lives until the last file
 * is closed.
 */

#include <linux/devcoredump.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "ogpu_copy.h"
#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_gem.h"
#include "ogpu_queue.h"
#include "ogpu_ring.h"
#include "ogpu_vm.h"
#include "ogpu_hw.h"
#include "drm/ogpu_drm.h"

#define DRIVER_NAME	"ogpu"
#define DRIVER_DESC	"Open GPU"
#define DRIVER_DATE	"20261129"
#define DRIVER_MAJOR	0
#define DRIVER_MINOR	1

static const struct drm_ioctl_desc ogpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(OGPU_DEV_QUERY, ogpu_ioctl_dev_query,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_BO_CREATE, ogpu_ioctl_bo_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_BO_MMAP_OFFSET, ogpu_ioctl_bo_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_VM_CREATE, ogpu_ioctl_vm_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_VM_DESTROY, ogpu_ioctl_vm_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_VM_BIND, ogpu_ioctl_vm_bind, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_QUEUE_CREATE, ogpu_ioctl_queue_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_QUEUE_DESTROY, ogpu_ioctl_queue_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_SUBMIT, ogpu_ioctl_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_P2P_QUERY, ogpu_ioctl_p2p_query,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_QUEUE_GET_STATE, ogpu_ioctl_queue_get_state,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(OGPU_PRIME_IMPORT, ogpu_ioctl_prime_import,
			  DRM_RENDER_ALLOW),
};

/**
 * ogpu_copy_obj_array() - copy a &struct drm_ogpu_obj_array from userspace
 * @odev: the device
 * @arr: the array's description
 * @max: most elements allowed
 * @size: the kernel's size of an element
 * @out: the elements, kvmalloc'ed, or NULL for an empty array
 *
 * Each element is read with copy_struct_from_user(): a shorter one is
 * zero-extended, a longer one must have zeros past what the kernel knows.
 *
 * Return: 0; -EINVAL for too many elements, a stride below @size or
 * non-zero unknown fields; -EFAULT; -ENOMEM.
 */
int ogpu_copy_obj_array(struct ogpu_device *odev,
			const struct drm_ogpu_obj_array *arr, u32 max,
			size_t size, void **out)
{
	u8 *items;
	u32 i;
	int ret;

	*out = NULL;
	if (!arr->count)
		return 0;
	if (OGPU_CHECK(odev, arr->count > max) ||
	    OGPU_CHECK(odev, arr->stride < size))
		return -EINVAL;
	items = kvcalloc(arr->count, size, GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	for (i = 0; i < arr->count; i++) {
		ret = copy_struct_from_user(items + i * size, size,
					    u64_to_user_ptr(arr->array) +
					    (u64)i * arr->stride, arr->stride);
		if (ret) {
			kvfree(items);
			return ret == -E2BIG ? -EINVAL : ret;
		}
	}
	*out = items;
	return 0;
}

static int ogpu_open(struct drm_device *dev, struct drm_file *file)
{
	return ogpu_vm_file_open(to_ogpu_device(dev), file);
}

static void ogpu_postclose(struct drm_device *dev, struct drm_file *file)
{
	/* Queues first: each holds a reference to its VM. */
	ogpu_queue_file_close(file);
	ogpu_vm_file_close(file);
}

static const struct file_operations ogpu_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver ogpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.ioctls = ogpu_ioctls,
	.num_ioctls = ARRAY_SIZE(ogpu_ioctls),
	.fops = &ogpu_fops,
	.show_fdinfo = ogpu_show_fdinfo,
	.gem_prime_import = ogpu_gem_prime_import,
	.open = ogpu_open,
	.postclose = ogpu_postclose,
	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.date = DRIVER_DATE,
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
};

static int ogpu_probe(struct platform_device *pdev)
{
	const struct ogpu_hw_platform_data *pdata = dev_get_platdata(&pdev->dev);
	struct ogpu_device *odev;
	int ret;

	if (!pdata || !pdata->regs)
		return -ENODEV;

	odev = devm_drm_dev_alloc(&pdev->dev, &ogpu_drm_driver,
				  struct ogpu_device, drm);
	if (IS_ERR(odev))
		return PTR_ERR(odev);

	odev->regs = pdata->regs;
	odev->vram = pdata->vram;
	odev->irq = platform_get_irq(pdev, 0);
	if (odev->irq < 0)
		return odev->irq;

	/* The MMU's addresses are 48 bits wide. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48));
	if (ret)
		return ret;

	ret = ogpu_device_init(odev);
	if (ret)
		return ret;

	ret = ogpu_ttm_init(odev);
	if (!ret)
		ret = ogpu_copy_init(odev);
	if (ret)
		goto err_fini;

	ogpu_debugfs_init(odev);

	ret = drm_dev_register(&odev->drm, 0);
	if (ret)
		goto err_fini;

	platform_set_drvdata(pdev, odev);
	ogpu_link_init(odev);
	return 0;

err_fini:
	ogpu_device_fini(odev);
	return ret;
}

static void ogpu_remove(struct platform_device *pdev)
{
	struct ogpu_device *odev = platform_get_drvdata(pdev);

	/* Peers stop finding this device before it goes. */
	ogpu_link_unplug(odev);
	drm_dev_unplug(&odev->drm);
	/* Nothing will signal the queues' fences any more: fail them. */
	ogpu_rings_unplug(odev);
	/* CPU mappings of VRAM must not outlive the aperture. */
	unmap_mapping_range(odev->drm.anon_inode->i_mapping, 0, 0, 1);
	/*
	 * After drm_dev_unplug(), which waited for any capture: no dump of
	 * this device outlives it to be taken for a new one's.
	 */
	dev_coredump_put(&pdev->dev);
	ogpu_device_fini(odev);
	ogpu_link_fini(odev);
}

static const struct platform_device_id ogpu_id_table[] = {
	{ .name = "ogpu" },
	{ }
};
MODULE_DEVICE_TABLE(platform, ogpu_id_table);

static struct platform_driver ogpu_platform_driver = {
	.probe = ogpu_probe,
	.remove = ogpu_remove,
	.id_table = ogpu_id_table,
	.driver = {
		.name = DRIVER_NAME,
	},
};
module_platform_driver(ogpu_platform_driver);

MODULE_DESCRIPTION("DRM driver for the OGPU");
MODULE_AUTHOR("The ogpu authors");
MODULE_LICENSE("Dual MIT/GPL");
