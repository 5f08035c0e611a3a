// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: debugfs
 *
 * /sys/kernel/debug/dri/<minor>/ holds, besides the DRM core's files:
 *
 * - ``hw_info``: the identification and capability registers as read at
 *   bind time, the number of interrupts handled, and the bytes TTM has
 *   copied into and out of VRAM (eviction and restore traffic), and the
 *   GPU page faults the MMU reported, with the last one.
 */

#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>

#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_hw.h"

static int ogpu_debugfs_hw_info(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct ogpu_device *odev = to_ogpu_device(entry->dev);
	const struct ogpu_hw_info *info = &odev->info;

	seq_printf(m, "id: %#x\n", info->id);
	seq_printf(m, "version: %u.%u\n",
		   OGPU_HW_VERSION_GET_MAJOR(info->version),
		   OGPU_HW_VERSION_GET_MINOR(info->version));
	seq_printf(m, "caps: %#x\n", info->caps);
	seq_printf(m, "instance: %u\n", info->instance);
	seq_printf(m, "vram_size: %llu\n", info->vram_size);
	seq_printf(m, "num_cus: %u\n", info->num_cus);
	seq_printf(m, "cu_lanes: %u\n", info->cu_lanes);
	seq_printf(m, "compute_engines: %u\n", info->compute_engines);
	seq_printf(m, "copy_engines: %u\n", info->copy_engines);
	seq_printf(m, "link_ports: %u\n", info->link_ports);
	seq_printf(m, "irq_count: %lld\n", atomic64_read(&odev->irq_count));
	seq_printf(m, "bytes_to_vram: %lld\n",
		   atomic64_read(&odev->bytes_to_vram));
	seq_printf(m, "bytes_from_vram: %lld\n",
		   atomic64_read(&odev->bytes_from_vram));
	seq_printf(m, "bytes_copy_engine: %lld\n",
		   atomic64_read(&odev->bytes_copy_engine));
	seq_printf(m, "bytes_cpu_copy: %lld\n",
		   atomic64_read(&odev->bytes_cpu_copy));
	spin_lock_irq(&odev->fault_lock);
	seq_printf(m, "mmu_faults: %llu\n", odev->fault_count);
	seq_printf(m, "last_fault: ctx %u va %#llx access %#x reason %u\n",
		   OGPU_HW_FAULT_CTX(odev->last_fault.status),
		   odev->last_fault.addr,
		   OGPU_HW_FAULT_ACCESS(odev->last_fault.status),
		   OGPU_HW_FAULT_REASON(odev->last_fault.status));
	spin_unlock_irq(&odev->fault_lock);
	return 0;
}

/**
 * ogpu_debugfs_init() - register the driver's debugfs files
 * @odev: the device, before drm_dev_register()
 */
void ogpu_debugfs_init(struct ogpu_device *odev)
{
	drm_debugfs_add_file(&odev->drm, "hw_info", ogpu_debugfs_hw_info,
			     NULL);
}
