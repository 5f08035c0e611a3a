// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: GPU virtual address spaces
 *
 * A VM (&struct ogpu_vm) is a &drm_gpuvm with the OGPU's four-level page
 * tables behind it (&ogpu_vm.pt, see ogpu_pt.c), loaded in an MMU context
 * of its own.
 *
 * Page tables are 4 KiB buffers pinned in VRAM, made when a bind first
 * needs them. The driver maps with 4 KiB pages.
 *
 * Page tables are charged to their VM, which may hold at most
 * &ogpu_pt_tree.max of them: the page tables of all the VMs a device can
 * hold together take at most half of its VRAM, so one process cannot pin
 * the rest of VRAM in tables and starve the others. A VM's budget always
 * covers its root, the tables of the kernel range its queues' rings use,
 * and a few mappings. A bind that needs tables beyond the budget fails
 * with -ENOSPC and changes nothing: the tables it made before it ran out
 * are freed again. Tables an UNMAP empties are freed when the bind is
 * written in the ioctl (no in-syncs, nothing queued): the ioctl holds the
 * VM's reservation, so no other bind can use them, and no bind job is
 * left that could write to them. A table emptied by a bind that went
 * through the bind queue stays until a later such UNMAP over its range,
 * or until the VM goes: freeing it there would need the VM's reservation
 * or a table's buffer lock in the fence signalling path.
 *
 * VM_BIND takes an array of MAP and UNMAP operations and is all or
 * nothing. A &struct ogpu_vm_bind_op_ctx carries it through three
 * phases. The first two may fail, and change nothing visible; the third
 * cannot fail, and allocates nothing.
 *
 * 1. Prepare (ogpu_vm_bind_prepare()), without locks: copy and check
 *    every operation and sync, look up the VM and the buffers, and
 *    allocate the bind job and the &drm_gpuva objects the MAPs and the
 *    splits need.
 * 2. Lock and validate (ogpu_vm_bind_lock()): lock the VM and every
 *    buffer involved with drm_exec; fail if the VM is being destroyed;
 *    check that no MAP overlaps another or a mapping the UNMAPs leave;
 *    validate each buffer into its placement (an evicted buffer comes
 *    back to VRAM), starting the transaction again when TTM gives up an
 *    eviction with -ENOSPC; make the page tables the MAPs need; get the
 *    vm_bos and the list of entries to write. Here the bind also picks
 *    who will write its entries. A bind without in-syncs on a VM with no
 *    bind queued is written inline, by the ioctl. Any other is queued:
 *    its job is set up on the VM's bind queue (a drm_sched with one
 *    entity, as in panthor) with the in-syncs as dependencies.
 * 3. Commit (ogpu_vm_bind_commit()), under the same locks:
 *    drm_gpuvm_sm_unmap() for each UNMAP (a mapping covered in part is
 *    split into what remains), then insert each MAP, recording in the
 *    job the ranges to clear and to write. Later binds see the new
 *    mappings at once. Then the entries are written (clear, write,
 *    invalidate the TLB once) by one of two writers. Inline, the ioctl
 *    writes them, frees the tables the UNMAPs emptied, and gives the
 *    out-syncs a signalled fence. Queued, the job's fence goes into the
 *    reservation of every buffer involved, so TTM moves none of them
 *    before the entries are written and their memory outlives a handle
 *    closed meanwhile; the out-syncs get that fence, and a synchronous
 *    bind waits for it. The bind queue writes once the in-syncs have
 *    signalled. This is the fence signalling path: it only takes the
 *    VM's &ogpu_pt_tree.lock and reads what phases 1 and 2 prepared.
 *
 * ogpu_vm_bind_cleanup() then releases what the bind got, whichever phase
 * it reached.
 *
 * When TTM moves a mapped buffer, ogpu_vm_bo_moved() rewrites its entries
 * to the new place (VRAM or system pages) and invalidates the TLB, so the
 * GPU always sees the buffer where it is; a buffer swapped out of
 * reach gets non-present entries.
 */

#include <linux/highmem.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <drm/ttm/ttm_tt.h>

#include "ogpu_device.h"
#include "ogpu_drv.h"
#include "ogpu_gem.h"
#include "ogpu_hw.h"
#include "ogpu_mmu.h"
#include "ogpu_sync.h"
#include "ogpu_trace.h"
#include "ogpu_vm.h"
#include "drm/ogpu_drm.h"

#define OGPU_VM_BIND_MAX_OPS	256
#define OGPU_VM_BIND_FLAGS	(DRM_OGPU_VM_BIND_READ | \
				 DRM_OGPU_VM_BIND_WRITE | \
				 DRM_OGPU_VM_BIND_EXEC)

static struct ogpu_vm *to_ogpu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct ogpu_vm, base);
}

/* Mapping flags live above drm_gpuva's own bits. */
static enum drm_gpuva_flags ogpu_va_flags(u32 bind_flags)
{
	return bind_flags * DRM_GPUVA_USERBITS;
}

static u32 ogpu_bind_flags(const struct drm_gpuva *va)
{
	return va->flags / DRM_GPUVA_USERBITS;
}

/* For ogpu_pt_reclaim(): does a mapping of the VM meet [va, va + span)? */
static bool ogpu_vm_va_in_use(struct ogpu_pt_tree *t, u64 va, u64 span)
{
	struct ogpu_vm *vm = container_of(t, struct ogpu_vm, pt);

	return !drm_gpuvm_interval_empty(&vm->base, va, span);
}

/*
 * Make the tables every MAP of a bind needs, all or nothing: when one is
 * missing and cannot be made (-ENOSPC once the VM's budget is spent), the
 * tables made so far are unlinked onto @freed and the VM is as it was.
 * The caller holds the VM's reservation and frees @freed after dropping
 * it.
 */
static int ogpu_bind_prepare_tables(struct ogpu_vm *vm,
				    const struct drm_ogpu_vm_bind_op *ops,
				    u32 n, struct list_head *freed)
{
	u64 step = 1ull << OGPU_HW_PT_SHIFT(1);
	int ret = 0;
	u32 i;

	dma_resv_assert_held(drm_gpuvm_resv(&vm->base));

	mutex_lock(&vm->pt.make_lock);
	/* Tables made from here on belong to this bind until it succeeds. */
	vm->pt.gen++;
	for (i = 0; i < n && !ret; i++) {
		u64 va, end = ops[i].va + ops[i].range;

		if (ops[i].op != DRM_OGPU_VM_BIND_OP_MAP)
			continue;
		for (va = ALIGN_DOWN(ops[i].va, step); va < end && !ret;
		     va += step)
			ret = ogpu_pt_make_locked(&vm->pt, va);
	}
	for (i = 0; ret && i < n; i++)
		if (ops[i].op == DRM_OGPU_VM_BIND_OP_MAP)
			ogpu_pt_reclaim(&vm->pt, ops[i].va,
					ops[i].va + ops[i].range, true,
					ogpu_vm_va_in_use, freed);
	mutex_unlock(&vm->pt.make_lock);
	return ret;
}

/*
 * After a bind written in the ioctl: unlink the tables its UNMAPs left
 * empty onto @freed. No bind job is queued (the caller checked, under the
 * VM's reservation, which it still holds), so none can write to them.
 */
static void ogpu_bind_reclaim_tables(struct ogpu_vm *vm,
				     const struct drm_ogpu_vm_bind_op *ops,
				     u32 n, struct list_head *freed)
{
	u32 i;

	dma_resv_assert_held(drm_gpuvm_resv(&vm->base));

	mutex_lock(&vm->pt.make_lock);
	for (i = 0; i < n; i++)
		if (ops[i].op == DRM_OGPU_VM_BIND_OP_UNMAP)
			ogpu_pt_reclaim(&vm->pt, ops[i].va,
					ops[i].va + ops[i].range, false,
					ogpu_vm_va_in_use, freed);
	mutex_unlock(&vm->pt.make_lock);
}

/**
 * ogpu_vm_pt_budget() - how many page tables one VM may hold
 * @odev: the device
 *
 * The page tables of all the user VMs together take at most half of
 * VRAM, but a VM can always hold at least OGPU_VM_MIN_TABLES.
 *
 * Return: the budget, in tables of OGPU_PT_SIZE bytes.
 */
u32 ogpu_vm_pt_budget(const struct ogpu_device *odev)
{
	u64 tables = odev->info.vram_size / 2 / (OGPU_HW_MMU_CONTEXTS - 1) /
		     OGPU_PT_SIZE;

	return max_t(u64, tables, OGPU_VM_MIN_TABLES);
}

static void ogpu_vm_write_va(struct ogpu_vm *vm, struct drm_gpuva *va)
{
	ogpu_pt_write_bo(&vm->pt, va->va.addr, va->va.range,
			 gem_to_ogpu_bo(va->gem.obj), va->gem.offset,
			 ogpu_bind_flags(va));
}

/**
 * ogpu_vm_bo_moved() - follow a buffer that TTM moved
 * @bo: the buffer, reserved, in its new place
 *
 * Rewrites the entries of every mapping of @bo and invalidates the TLB of
 * each VM it is mapped in.
 */
void ogpu_vm_bo_moved(struct ogpu_bo *bo)
{
	struct drm_gem_object *obj = &bo->tbo.base;
	struct drm_gpuvm_bo *vm_bo;
	struct drm_gpuva *va;
	int idx;

	dma_resv_assert_held(obj->resv);

	if (!drm_dev_enter(obj->dev, &idx))
		return;
	drm_gem_for_each_gpuvm_bo(vm_bo, obj) {
		struct ogpu_vm *vm = to_ogpu_vm(vm_bo->vm);

		mutex_lock(&vm->pt.lock);
		drm_gpuvm_bo_for_each_va(va, vm_bo)
			ogpu_vm_write_va(vm, va);
		ogpu_mmu_invalidate(vm->odev, vm->pt.ctx);
		mutex_unlock(&vm->pt.lock);
	}
	drm_dev_exit(idx);
}

/**
 * ogpu_vm_map_kernel() - map a driver buffer outside the user range
 * @vm: the VM
 * @bo: a pinned buffer
 * @bo_offset: where in @bo the mapping starts
 * @va: where, at or above OGPU_VA_USER_END
 * @size: bytes
 * @flags: DRM_OGPU_VM_BIND_* access bits, and OGPU_VM_MAP_PRIV
 *
 * For rings and fence words, which are never moved. Mapped with
 * OGPU_VM_MAP_PRIV, they are out of reach of the user's command buffers.
 *
 * Return: 0 or a negative errno.
 */
int ogpu_vm_map_kernel(struct ogpu_vm *vm, struct ogpu_bo *bo, u64 bo_offset,
		       u64 va, u64 size, u32 flags)
{
	return ogpu_pt_map_bo(&vm->pt, bo, bo_offset, va, size, flags);
}

/**
 * ogpu_vm_unmap_kernel() - undo ogpu_vm_map_kernel()
 * @vm: the VM
 * @va: where
 * @size: bytes
 */
void ogpu_vm_unmap_kernel(struct ogpu_vm *vm, u64 va, u64 size)
{
	ogpu_pt_unmap(&vm->pt, va, size);
}

/**
 * ogpu_vm_lookup() - a file's VM, referenced
 * @file: the DRM file
 * @id: the VM's id
 *
 * Return: the VM, to release with drm_gpuvm_put(), or NULL.
 */
struct ogpu_vm *ogpu_vm_lookup(struct drm_file *file, u32 id)
{
	struct ogpu_file *ofile = file->driver_priv;
	struct ogpu_vm *vm;

	xa_lock(&ofile->vms);
	vm = xa_load(&ofile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&ofile->vms);
	return vm;
}

/*
 * Read up to @len bytes of @bo from @offset where the buffer now is: VRAM
 * through the aperture, or its system pages. Stops at a buffer that is out
 * of reach (swapped out) or imported. Return: bytes read.
 */
static size_t ogpu_bo_read(struct ogpu_bo *bo, u64 offset, void *buf,
			   size_t len)
{
	struct ogpu_device *odev = to_ogpu_device(bo->tbo.base.dev);
	struct ttm_buffer_object *tbo = &bo->tbo;
	size_t done = 0;

	if (offset >= tbo->base.size)
		return 0;
	len = min_t(u64, len, tbo->base.size - offset);

	dma_resv_lock(tbo->base.resv, NULL);
	while (done < len) {
		u64 pos = offset + done, in_page = offset_in_page(pos);
		size_t n = min_t(u64, len - done, PAGE_SIZE - in_page);
		struct ttm_resource *res = tbo->resource;
		struct ogpu_res_cursor cur;
		void *src;

		if (res && res->mem_type == TTM_PL_VRAM) {
			ogpu_res_first(odev, res, pos - in_page, PAGE_SIZE,
				       &cur);
			memcpy(buf + done, odev->vram + cur.start + in_page, n);
		} else if (tbo->ttm && ttm_tt_is_populated(tbo->ttm) &&
			   !(tbo->ttm->page_flags & TTM_TT_FLAG_EXTERNAL)) {
			/* An import's pages are the exporter's: not read. */
			src = kmap_local_page(tbo->ttm->pages[pos >> PAGE_SHIFT]);
			memcpy(buf + done, src + in_page, n);
			kunmap_local(src);
		} else {
			break;
		}
		done += n;
	}
	dma_resv_unlock(tbo->base.resv);
	return done;
}

/**
 * ogpu_vm_read() - read GPU memory of a VM as the CPU sees it
 * @vm: the VM, with its device plugged (inside drm_dev_enter())
 * @va: where, in the user range
 * @buf: out
 * @len: bytes
 *
 * For the coredump: reads the buffers bound at [@va, @va + @len) through
 * their mappings, whatever the mappings' access bits, and stops at the
 * first hole. Only @vm's own buffers are reached. Takes the VM's and each
 * buffer's reservation in turn, never two at once; sleeps.
 *
 * Return: bytes read.
 */
size_t ogpu_vm_read(struct ogpu_vm *vm, u64 va, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		struct drm_gem_object *obj = NULL;
		u64 pos = va + done, offset = 0, n = 0;
		struct drm_gpuva *gva;

		dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
		gva = drm_gpuva_find_first(&vm->base, pos, 1);
		if (gva && gva->gem.obj) {
			obj = gva->gem.obj;
			drm_gem_object_get(obj);
			offset = pos - gva->va.addr + gva->gem.offset;
			n = min_t(u64, len - done,
				  gva->va.addr + gva->va.range - pos);
		}
		dma_resv_unlock(drm_gpuvm_resv(&vm->base));
		if (!obj)
			break;
		n = ogpu_bo_read(gem_to_ogpu_bo(obj), offset, buf + done, n);
		drm_gem_object_put(obj);
		if (!n)
			break;
		done += n;
	}
	return done;
}

/**
 * ogpu_vm_mappings() - the user mappings of a VM that meet a range
 * @vm: the VM
 * @start: start of the range
 * @end: its end, exclusive
 * @out: where to describe them, in address order
 * @max: room in @out
 *
 * Return: how many mappings meet the range, which may be more than @max.
 */
u32 ogpu_vm_mappings(struct ogpu_vm *vm, u64 start, u64 end,
		     struct ogpu_vm_mapping *out, u32 max)
{
	struct drm_gpuva *va;
	u32 n = 0;

	start = max(start, vm->base.mm_start);
	end = min(end, vm->base.mm_start + vm->base.mm_range);
	if (start >= end)
		return 0;
	dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
	drm_gpuvm_for_each_va_range(va, &vm->base, start, end) {
		if (n < max) {
			out[n].va = va->va.addr;
			out[n].range = va->va.range;
			out[n].bo_offset = va->gem.offset;
			out[n].bo_size = va->gem.obj ? va->gem.obj->size : 0;
			out[n].flags = ogpu_bind_flags(va);
		}
		n++;
	}
	dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	return n;
}

/**
 * struct ogpu_bind_range - page-table entries a bind job writes
 * @va: start
 * @range: bytes
 * @bo: the buffer mapped there (referenced), or NULL to clear entries
 * @bo_offset: where in @bo the range starts
 * @flags: DRM_OGPU_VM_BIND_* access bits
 */
struct ogpu_bind_range {
	u64 va;
	u64 range;
	struct ogpu_bo *bo;
	u64 bo_offset;
	u32 flags;
};

/**
 * struct ogpu_bind_job - the page-table half of one VM_BIND
 * @base: the scheduler job
 * @vm: the VM, which waits for its jobs before it is destroyed
 * @ranges: the ranges to clear, then the ranges to map, in order
 * @count: ranges recorded
 * @max: ranges allocated
 */
struct ogpu_bind_job {
	struct drm_sched_job base;
	struct ogpu_vm *vm;
	struct ogpu_bind_range *ranges;
	u32 count;
	u32 max;
};

/* What drm_gpuvm's split and merge steps work with. */
struct ogpu_vm_bind_ctx {
	struct ogpu_vm *vm;
	struct drm_gpuva **vas;
	u32 nr_vas;
	struct ogpu_bind_job *job;
};

static struct drm_gpuva *ogpu_bind_take_va(struct ogpu_vm_bind_ctx *bctx)
{
	return bctx->vas[--bctx->nr_vas];
}

/* Record entries to clear; a VM being destroyed records nothing. */
static void ogpu_bind_clear(struct ogpu_vm_bind_ctx *bctx, u64 va, u64 range)
{
	struct ogpu_bind_job *job = bctx->job;

	if (!job || WARN_ON(job->count >= job->max))
		return;
	job->ranges[job->count++] = (struct ogpu_bind_range){
		.va = va,
		.range = range,
	};
}

static int ogpu_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct ogpu_vm_bind_ctx *bctx = priv;
	struct drm_gpuva *va = op->unmap.va;

	ogpu_bind_clear(bctx, va->va.addr, va->va.range);
	drm_gpuva_unmap(&op->unmap);
	drm_gpuva_unlink(va);
	kfree(va);
	return 0;
}

static int ogpu_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct ogpu_vm_bind_ctx *bctx = priv;
	struct drm_gpuva *va = op->remap.unmap->va;
	struct drm_gpuva *prev = NULL, *next = NULL;
	u64 start = va->va.addr, end = va->va.addr + va->va.range;

	if (op->remap.prev) {
		prev = ogpu_bind_take_va(bctx);
		start = op->remap.prev->va.addr + op->remap.prev->va.range;
	}
	if (op->remap.next) {
		next = ogpu_bind_take_va(bctx);
		end = op->remap.next->va.addr;
	}

	/* Only what is cut out goes; the rest keeps its entries. */
	ogpu_bind_clear(bctx, start, end - start);
	drm_gpuva_remap(prev, next, &op->remap);
	if (prev)
		drm_gpuva_link(prev, va->vm_bo);
	if (next)
		drm_gpuva_link(next, va->vm_bo);
	drm_gpuva_unlink(va);
	kfree(va);
	return 0;
}

/* Write what the ioctl recorded; neither allocates nor waits. */
static void ogpu_bind_write(struct ogpu_bind_job *job)
{
	struct ogpu_vm *vm = job->vm;
	u32 i;
	int idx;

	if (!drm_dev_enter(&vm->odev->drm, &idx))
		return;
	mutex_lock(&vm->pt.lock);
	for (i = 0; i < job->count; i++) {
		const struct ogpu_bind_range *r = &job->ranges[i];

		ogpu_pt_write_bo(&vm->pt, r->va, r->range, r->bo,
				 r->bo_offset, r->flags);
	}
	ogpu_mmu_invalidate(vm->odev, vm->pt.ctx);
	mutex_unlock(&vm->pt.lock);
	drm_dev_exit(idx);
}

/*
 * The bind queue's run_job, in the fence signalling path. Tables and
 * everything else were allocated in the ioctl; a mapped buffer cannot
 * move before this job's fence signals, as that fence is in its
 * reservation and TTM waits for it.
 */
static struct dma_fence *ogpu_bind_job_run(struct drm_sched_job *sched_job)
{
	struct ogpu_bind_job *job =
		container_of(sched_job, struct ogpu_bind_job, base);
	bool cookie = dma_fence_begin_signalling();

	trace_ogpu_vm_bind_run(job->vm->odev->info.instance, job->vm->pt.ctx,
			       job->count);
	ogpu_bind_write(job);
	dma_fence_end_signalling(cookie);
	/* Done already: drm_sched completes the job's fence at once. */
	return NULL;
}

static enum drm_gpu_sched_stat
ogpu_bind_job_timedout(struct drm_sched_job *sched_job)
{
	/* Binds run synchronously in run_job and have no timeout. */
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void ogpu_bind_job_release(struct ogpu_bind_job *job)
{
	u32 i;

	if (!job)
		return;
	for (i = 0; i < job->count; i++)
		if (job->ranges[i].bo)
			drm_gem_object_put(&job->ranges[i].bo->tbo.base);
	kvfree(job->ranges);
	kfree(job);
}

/* Free a job that was counted in &ogpu_vm.bind_jobs. */
static void ogpu_bind_job_free(struct ogpu_bind_job *job)
{
	struct ogpu_vm *vm = job->vm;

	ogpu_bind_job_release(job);

	/* As in ogpu_queue_put_job(). */
	if (atomic_dec_and_test(&vm->bind_jobs))
		wake_up_var(&vm->bind_jobs);
}

static void ogpu_bind_job_free_sched(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	ogpu_bind_job_free(container_of(sched_job, struct ogpu_bind_job,
					base));
}

static const struct drm_sched_backend_ops ogpu_bind_sched_ops = {
	.run_job = ogpu_bind_job_run,
	.timedout_job = ogpu_bind_job_timedout,
	.free_job = ogpu_bind_job_free_sched,
};

static void ogpu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct ogpu_vm *vm = to_ogpu_vm(gpuvm);

	ogpu_pt_tree_fini(&vm->pt);
	ogpu_mmu_ctx_free(vm->odev, vm->pt.ctx);
	kfree(vm);
}

static const struct drm_gpuvm_ops ogpu_gpuvm_ops = {
	.vm_free = ogpu_vm_free,
	.sm_step_unmap = ogpu_sm_step_unmap,
	.sm_step_remap = ogpu_sm_step_remap,
};

static struct ogpu_vm *ogpu_vm_create(struct ogpu_device *odev)
{
	struct drm_sched_init_args sargs = {};
	struct drm_gpu_scheduler *sched;
	struct drm_gem_object *r_obj;
	struct ogpu_vm *vm;
	int ret;
	u32 ctx;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->odev = odev;

	sargs.ops = &ogpu_bind_sched_ops;
	sargs.num_rqs = 1;
	sargs.credit_limit = 1;
	sargs.timeout = MAX_SCHEDULE_TIMEOUT;
	sargs.name = "ogpu-bind";
	sargs.dev = odev->drm.dev;
	ret = drm_sched_init(&vm->sched, &sargs);
	if (ret)
		goto err_free;
	sched = &vm->sched;
	ret = drm_sched_entity_init(&vm->entity, DRM_SCHED_PRIORITY_KERNEL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;

	ret = ogpu_mmu_ctx_alloc(odev);
	if (ret < 0)
		goto err_entity;
	ctx = ret;

	ret = ogpu_pt_tree_init(&vm->pt, odev, ctx, ogpu_vm_pt_budget(odev));
	if (ret)
		goto err_ctx;

	r_obj = drm_gpuvm_resv_object_alloc(&odev->drm);
	if (!r_obj) {
		ret = -ENOMEM;
		goto err_pt;
	}
	drm_gpuvm_init(&vm->base, "ogpu", 0, &odev->drm, r_obj,
		       OGPU_VA_USER_START,
		       OGPU_VA_USER_END - OGPU_VA_USER_START, 0, 0,
		       &ogpu_gpuvm_ops);
	drm_gem_object_put(r_obj);

	ogpu_mmu_ctx_load(odev, ctx, ogpu_pt_root_addr(&vm->pt));
	return vm;

err_pt:
	ogpu_pt_tree_fini(&vm->pt);
err_ctx:
	ogpu_mmu_ctx_free(odev, ctx);
err_entity:
	drm_sched_entity_destroy(&vm->entity);
err_sched:
	drm_sched_fini(&vm->sched);
err_free:
	kfree(vm);
	return ERR_PTR(ret);
}

/**
 * struct ogpu_exec_hold - buffers kept past a drm_exec transaction
 * @objs: the objects, each referenced
 * @count: how many
 */
struct ogpu_exec_hold {
	struct drm_gem_object **objs;
	unsigned int count;
};

/*
 * Reference every object @exec holds locked, for ogpu_exec_release()
 * after drm_exec_fini().
 *
 * Lockdep counts the reservation locks of one ww transaction as a single
 * held lock, named after the first taken, which after a contention is the
 * contended object. 6.12's drm_exec keeps that object aside and files it
 * in its array only when it is locked again, behind the VM's, so
 * drm_exec_fini() unlocks it while lockdep still counts the others under
 * its name. If drm_exec's reference is then the last (a bind or a destroy
 * unmapped the buffer, whose handle was closed), the buffer is freed and
 * lockdep reports "held lock freed!" and turns itself off, though the lock
 * was dropped. Holding the buffers until the transaction is over keeps
 * the last put out of it.
 */
static int ogpu_exec_hold(struct drm_exec *exec, struct ogpu_exec_hold *hold)
{
	struct drm_gem_object *obj;

	hold->count = 0;
	hold->objs = kvcalloc(exec->num_objects, sizeof(*hold->objs),
			      GFP_KERNEL);
	if (!hold->objs)
		return -ENOMEM;
	drm_exec_for_each_locked_object(exec, obj) {
		drm_gem_object_get(obj);
		hold->objs[hold->count++] = obj;
	}
	return 0;
}

static void ogpu_exec_release(struct ogpu_exec_hold *hold)
{
	while (hold->count)
		drm_gem_object_put(hold->objs[--hold->count]);
	kvfree(hold->objs);
	hold->objs = NULL;
}

/* Unmap everything and unload the context; the VM goes with its last ref. */
static void ogpu_vm_destroy(struct ogpu_vm *vm)
{
	struct ogpu_vm_bind_ctx bctx = { .vm = vm };
	struct ogpu_exec_hold hold;
	struct drm_exec exec;
	int ret, idx;

	/*
	 * No bind starts after this (VM_BIND checks under the same lock);
	 * those queued are written, or dropped if the process is killed,
	 * and freed before the bind queue goes.
	 */
	dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
	vm->destroyed = true;
	dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	drm_sched_entity_destroy(&vm->entity);
	wait_var_event(&vm->bind_jobs, !atomic_read(&vm->bind_jobs));
	drm_sched_fini(&vm->sched);

	drm_exec_init(&exec, 0, 0);
	drm_exec_until_all_locked(&exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (!ret)
			ret = drm_gpuvm_prepare_objects(&vm->base, &exec, 0);
		drm_exec_retry_on_contention(&exec);
	}
	/* Uninterruptible locking does not fail. */
	WARN_ON(ret);

	/*
	 * Unmapping drops the mappings' references to their buffers. Out of
	 * memory, go on without holding them: only lockdep would notice.
	 */
	ogpu_exec_hold(&exec, &hold);

	mutex_lock(&vm->pt.lock);
	if (!drm_dev_enter(&vm->odev->drm, &idx))
		vm->pt.unplugged = true;
	/* A whole-range unmap never splits: no preallocation needed. */
	drm_gpuvm_sm_unmap(&vm->base, &bctx, vm->base.mm_start,
			   vm->base.mm_range);
	if (!vm->pt.unplugged) {
		ogpu_mmu_ctx_unload(vm->odev, vm->pt.ctx);
		drm_dev_exit(idx);
	}
	mutex_unlock(&vm->pt.lock);
	drm_exec_fini(&exec);
	ogpu_exec_release(&hold);
	drm_gpuvm_put(&vm->base);
}

/**
 * ogpu_vm_file_open() - set up a file's driver state
 * @odev: the device
 * @file: the new DRM file
 *
 * Return: 0 or -ENOMEM.
 */
int ogpu_vm_file_open(struct ogpu_device *odev, struct drm_file *file)
{
	struct ogpu_file *ofile = kzalloc(sizeof(*ofile), GFP_KERNEL);

	if (!ofile)
		return -ENOMEM;
	xa_init_flags(&ofile->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&ofile->queues, XA_FLAGS_ALLOC1);
	file->driver_priv = ofile;
	return 0;
}

/**
 * ogpu_vm_show_fdinfo() - a file's VMs, queues and page tables in fdinfo
 * @p: where to print
 * @file: the DRM file
 *
 * Driver-specific keys of Documentation/gpu/drm-usage-stats.rst: the
 * file's VMs and queues, which take the device's MMU contexts and
 * hardware queues, and the page tables its VMs hold, with the budget of
 * one VM.
 */
void ogpu_vm_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(file->minor->dev);
	struct ogpu_file *ofile = file->driver_priv;
	unsigned long id, vms = 0, queues = 0;
	struct ogpu_vm *vm;
	u64 tables = 0;
	void *q;

	/* The file's reference keeps each VM in the xarray alive. */
	xa_lock(&ofile->vms);
	xa_for_each(&ofile->vms, id, vm) {
		vms++;
		tables += atomic_read(&vm->pt.count);
	}
	xa_unlock(&ofile->vms);
	xa_for_each(&ofile->queues, id, q)
		queues++;

	drm_printf(p, "drm-ogpu-vms:\t%lu\n", vms);
	drm_printf(p, "drm-ogpu-queues:\t%lu\n", queues);
	drm_printf(p, "drm-ogpu-page-tables:\t%llu KiB\n",
		   tables * OGPU_PT_SIZE / SZ_1K);
	drm_printf(p, "drm-ogpu-page-table-budget:\t%llu KiB\n",
		   (u64)ogpu_vm_pt_budget(odev) * OGPU_PT_SIZE / SZ_1K);
}

/**
 * ogpu_vm_file_close() - destroy what a closing file left
 * @file: the DRM file
 */
void ogpu_vm_file_close(struct drm_file *file)
{
	struct ogpu_file *ofile = file->driver_priv;
	struct ogpu_vm *vm;
	unsigned long id;

	xa_for_each(&ofile->vms, id, vm)
		ogpu_vm_destroy(vm);
	xa_destroy(&ofile->vms);
	kfree(ofile);
}

/**
 * ogpu_ioctl_vm_create() - DRM_IOCTL_OGPU_VM_CREATE
 * @dev: DRM device
 * @data: &struct drm_ogpu_vm_create
 * @file: DRM file
 *
 * Return: 0 or a negative errno.
 */
int ogpu_ioctl_vm_create(struct drm_device *dev, void *data,
			 struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_vm_create *args = data;
	struct ogpu_vm *vm;
	int ret, idx;
	u32 id;

	if (OGPU_CHECK(odev, args->flags) || OGPU_CHECK(odev, args->pad))
		return -EINVAL;
	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;

	vm = ogpu_vm_create(odev);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto out;
	}
	ret = xa_alloc(&ofile->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
	if (ret) {
		ogpu_vm_destroy(vm);
		goto out;
	}
	args->vm_id = id;
	args->hw_ctx = vm->pt.ctx;
	args->va_start = OGPU_VA_USER_START;
	args->va_end = OGPU_VA_USER_END;
out:
	drm_dev_exit(idx);
	return ret;
}

/**
 * ogpu_ioctl_vm_destroy() - DRM_IOCTL_OGPU_VM_DESTROY
 * @dev: DRM device
 * @data: &struct drm_ogpu_vm_destroy
 * @file: DRM file
 *
 * Return: 0, -EINVAL for a non-zero pad, -ENOENT for an unknown VM.
 */
int ogpu_ioctl_vm_destroy(struct drm_device *dev, void *data,
			  struct drm_file *file)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct ogpu_file *ofile = file->driver_priv;
	struct drm_ogpu_vm_destroy *args = data;
	struct ogpu_vm *vm;

	if (OGPU_CHECK(odev, args->pad))
		return -EINVAL;
	vm = xa_erase(&ofile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;
	ogpu_vm_destroy(vm);
	return 0;
}

/**
 * struct ogpu_vm_bind_op_ctx - one VM_BIND, carried through its phases
 *
 * ogpu_vm_bind_prepare() fills it, ogpu_vm_bind_lock() locks and
 * validates what it names, ogpu_vm_bind_commit() carries it out, and
 * ogpu_vm_bind_cleanup() releases it, whichever phase the bind reached.
 */
struct ogpu_vm_bind_op_ctx {
	/**
	 * @sm: What drm_gpuvm's split and merge steps work with: the VM
	 * (referenced), the &drm_gpuva objects prepared for the MAPs and the
	 * splits, and the job (owned here until it is queued).
	 */
	struct ogpu_vm_bind_ctx sm;
	/** @odev: The device. */
	struct ogpu_device *odev;
	/** @file: The DRM file that binds. */
	struct drm_file *file;
	/** @flags: The ioctl's DRM_OGPU_VM_BIND_* flags. */
	u32 flags;
	/** @n: How many operations. */
	u32 n;
	/** @ops: The operations, copied and checked. */
	struct drm_ogpu_vm_bind_op *ops;
	/** @syncs: The in- and out-syncs. */
	struct ogpu_syncs syncs;
	/** @idx: The drm_dev_enter() cookie, when @entered. */
	int idx;
	/** @entered: Inside drm_dev_enter(). */
	bool entered;
	/** @locked: @exec is initialised and may hold locks. */
	bool locked;
	/**
	 * @queued: The bind job writes the entries, not the ioctl; its
	 * scheduler job is initialised and counted in &ogpu_vm.bind_jobs.
	 */
	bool queued;
	/** @objs: For each MAP, its buffer (referenced); NULL for an UNMAP. */
	struct drm_gem_object **objs;
	/** @vm_bos: For each MAP, the VM's &drm_gpuvm_bo of its buffer. */
	struct drm_gpuvm_bo **vm_bos;
	/** @exec: Locks the VM and the buffers. */
	struct drm_exec exec;
	/** @hold: The locked buffers, kept past drm_exec_fini(). */
	struct ogpu_exec_hold hold;
	/**
	 * @freed: Page tables to free once unlocked: those a failed bind
	 * made, or those its UNMAPs emptied.
	 */
	struct list_head freed;
};

static int ogpu_bind_check_op(struct ogpu_device *odev,
			      const struct drm_ogpu_vm_bind_op *op)
{
	u64 end;

	if (OGPU_CHECK(odev, op->pad) ||
	    OGPU_CHECK(odev, !op->range) ||
	    OGPU_CHECK(odev, !IS_ALIGNED(op->va | op->range | op->bo_offset,
					 PAGE_SIZE)) ||
	    OGPU_CHECK(odev, check_add_overflow(op->va, op->range, &end)) ||
	    OGPU_CHECK(odev, op->va < OGPU_VA_USER_START) ||
	    OGPU_CHECK(odev, end > OGPU_VA_USER_END))
		return -EINVAL;

	switch (op->op) {
	case DRM_OGPU_VM_BIND_OP_MAP:
		if (OGPU_CHECK(odev, !(op->flags & OGPU_VM_BIND_FLAGS)) ||
		    OGPU_CHECK(odev, op->flags & ~OGPU_VM_BIND_FLAGS))
			return -EINVAL;
		return 0;
	case DRM_OGPU_VM_BIND_OP_UNMAP:
		if (OGPU_CHECK(odev, op->flags) ||
		    OGPU_CHECK(odev, op->handle) ||
		    OGPU_CHECK(odev, op->bo_offset))
			return -EINVAL;
		return 0;
	default:
		drm_dbg(&odev->drm, "unknown bind op %u\n", op->op);
		return -EINVAL;
	}
}

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* Is [a, a + len) inside one of the bind's UNMAP ranges? */
static bool ogpu_bind_unmapped(const struct drm_ogpu_vm_bind_op *ops, u32 n,
			       u64 a, u64 len)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ops[i].op == DRM_OGPU_VM_BIND_OP_UNMAP &&
		    ops[i].va <= a && a + len <= ops[i].va + ops[i].range)
			return true;
	return false;
}

/* MAPs overlap neither each other nor what the UNMAPs leave. */
static int ogpu_bind_check_overlaps(struct ogpu_vm *vm,
				    const struct drm_ogpu_vm_bind_op *ops,
				    u32 n)
{
	struct drm_gpuva *va;
	u32 i, j;

	for (i = 0; i < n; i++) {
		const struct drm_ogpu_vm_bind_op *op = &ops[i];
		u64 end = op->va + op->range;

		if (op->op != DRM_OGPU_VM_BIND_OP_MAP)
			continue;
		for (j = i + 1; j < n; j++)
			if (ops[j].op == DRM_OGPU_VM_BIND_OP_MAP &&
			    ranges_overlap(op->va, op->range, ops[j].va,
					   ops[j].range))
				return -EEXIST;
		drm_gpuvm_for_each_va_range(va, &vm->base, op->va, end) {
			u64 s = max(va->va.addr, op->va);
			u64 e = min(va->va.addr + va->va.range, end);

			if (!ogpu_bind_unmapped(ops, n, s, e - s))
				return -EEXIST;
		}
	}
	return 0;
}

static int ogpu_bind_copy_ops(struct ogpu_device *odev,
			      const struct drm_ogpu_vm_bind *args,
			      struct drm_ogpu_vm_bind_op **out)
{
	u32 i;
	int ret;

	if (OGPU_CHECK(odev, !args->ops.count))
		return -EINVAL;
	ret = ogpu_copy_obj_array(odev, &args->ops, OGPU_VM_BIND_MAX_OPS,
				  sizeof(**out), (void **)out);
	for (i = 0; !ret && i < args->ops.count; i++)
		ret = ogpu_bind_check_op(odev, &(*out)[i]);
	if (ret) {
		kvfree(*out);
		*out = NULL;
	}
	return ret;
}

/* An upper bound on the ranges the UNMAPs of a bind clear. */
static u32 ogpu_bind_count_clears(struct ogpu_vm *vm,
				  const struct drm_ogpu_vm_bind_op *ops, u32 n)
{
	struct drm_gpuva *va;
	u32 i, count = 0;

	for (i = 0; i < n; i++) {
		if (ops[i].op != DRM_OGPU_VM_BIND_OP_UNMAP)
			continue;
		drm_gpuvm_for_each_va_range(va, &vm->base, ops[i].va,
					    ops[i].va + ops[i].range)
			count++;
		/* The pieces an earlier UNMAP splits off may meet this one. */
		count += 2;
	}
	return count;
}

/*
 * Change the VM's mappings as the operations say and record the
 * page-table writes in the job. Cannot fail: everything was checked and
 * allocated.
 */
static void ogpu_bind_apply(struct ogpu_vm_bind_op_ctx *bind)
{
	const struct drm_ogpu_vm_bind_op *ops = bind->ops;
	struct ogpu_bind_job *job = bind->sm.job;
	struct ogpu_vm *vm = bind->sm.vm;
	u32 i, n = bind->n;

	for (i = 0; i < n; i++)
		if (ops[i].op == DRM_OGPU_VM_BIND_OP_UNMAP)
			drm_gpuvm_sm_unmap(&vm->base, &bind->sm, ops[i].va,
					   ops[i].range);
	for (i = 0; i < n; i++) {
		struct drm_gem_object *obj = bind->objs[i];
		struct drm_gpuva *va;

		if (ops[i].op != DRM_OGPU_VM_BIND_OP_MAP)
			continue;
		va = ogpu_bind_take_va(&bind->sm);
		drm_gpuva_init(va, ops[i].va, ops[i].range, obj,
			       ops[i].bo_offset);
		va->flags = ogpu_va_flags(ops[i].flags);
		/* Checked free above, under the same locks. */
		WARN_ON(drm_gpuva_insert(&vm->base, va));
		drm_gpuva_link(va, bind->vm_bos[i]);
		drm_gpuvm_bo_extobj_add(bind->vm_bos[i]);

		drm_gem_object_get(obj);
		job->ranges[job->count++] = (struct ogpu_bind_range){
			.va = ops[i].va,
			.range = ops[i].range,
			.bo = gem_to_ogpu_bo(obj),
			.bo_offset = ops[i].bo_offset,
			.flags = ops[i].flags,
		};
	}
}

static void ogpu_bind_put_vm_bos(struct drm_gpuvm_bo **vm_bos, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (vm_bos[i])
			drm_gpuvm_bo_put(vm_bos[i]);
		vm_bos[i] = NULL;
	}
}

/* Lock the VM and every buffer the bind names or unmaps. */
static int ogpu_bind_lock_objs(struct drm_exec *exec, struct ogpu_vm *vm,
			       const struct drm_ogpu_vm_bind_op *ops, u32 n,
			       struct drm_gem_object **objs)
{
	u32 i;
	int ret;

	drm_exec_until_all_locked(exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (ret)
			return ret;
		for (i = 0; i < n; i++) {
			if (objs[i])
				ret = drm_exec_prepare_obj(exec, objs[i], 1);
			else
				ret = drm_gpuvm_prepare_range(&vm->base, exec,
							      ops[i].va,
							      ops[i].range, 1);
			drm_exec_retry_on_contention(exec);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Phase 1: copy and check the operations and the syncs, look up the VM
 * and the buffers, and allocate the job and the &drm_gpuva objects.
 * Takes no lock and changes nothing; ogpu_vm_bind_cleanup() releases
 * whatever it got, even on error.
 */
static int ogpu_vm_bind_prepare(struct ogpu_vm_bind_op_ctx *bind,
				struct drm_device *dev, struct drm_file *file,
				const struct drm_ogpu_vm_bind *args)
{
	struct ogpu_device *odev = to_ogpu_device(dev);
	struct drm_ogpu_vm_bind_op *ops;
	u32 i, nr_vas = 0;
	int ret;

	INIT_LIST_HEAD(&bind->freed);
	bind->odev = odev;
	bind->file = file;
	bind->flags = args->flags;

	if (OGPU_CHECK(odev, args->flags & ~DRM_OGPU_VM_BIND_ASYNC))
		return -EINVAL;
	ret = ogpu_bind_copy_ops(odev, args, &bind->ops);
	if (ret)
		return ret;
	ops = bind->ops;
	bind->n = args->ops.count;
	ret = ogpu_syncs_get(odev, file, &args->in_syncs, &args->out_syncs,
			     &bind->syncs);
	if (ret)
		return ret;

	bind->sm.job = kzalloc(sizeof(*bind->sm.job), GFP_KERNEL);
	if (!bind->sm.job)
		return -ENOMEM;
	if (!drm_dev_enter(dev, &bind->idx))
		return -ENODEV;
	bind->entered = true;

	bind->sm.vm = ogpu_vm_lookup(file, args->vm_id);
	if (!bind->sm.vm)
		return -ENOENT;
	bind->sm.job->vm = bind->sm.vm;

	bind->objs = kvcalloc(bind->n, sizeof(*bind->objs), GFP_KERNEL);
	bind->vm_bos = kvcalloc(bind->n, sizeof(*bind->vm_bos), GFP_KERNEL);
	if (!bind->objs || !bind->vm_bos)
		return -ENOMEM;
	for (i = 0; i < bind->n; i++) {
		struct drm_gem_object *obj;

		if (ops[i].op != DRM_OGPU_VM_BIND_OP_MAP) {
			nr_vas += 2;	/* a split leaves two pieces */
			continue;
		}
		nr_vas++;
		obj = drm_gem_object_lookup(file, ops[i].handle);
		if (!obj)
			return -ENOENT;
		bind->objs[i] = obj;
		if (OGPU_CHECK(odev, ops[i].bo_offset > obj->size ||
			       ops[i].range > obj->size - ops[i].bo_offset))
			return -EINVAL;
	}

	bind->sm.vas = kvcalloc(nr_vas, sizeof(*bind->sm.vas), GFP_KERNEL);
	if (!bind->sm.vas)
		return -ENOMEM;
	for (; bind->sm.nr_vas < nr_vas; bind->sm.nr_vas++) {
		bind->sm.vas[bind->sm.nr_vas] =
			kzalloc(sizeof(*bind->sm.vas[0]), GFP_KERNEL);
		if (!bind->sm.vas[bind->sm.nr_vas])
			return -ENOMEM;
	}
	return 0;
}

/* End the locking transaction; a vm_bo's last put needs its buffer's lock. */
static void ogpu_vm_bind_unlock(struct ogpu_vm_bind_op_ctx *bind)
{
	if (!bind->locked)
		return;
	ogpu_bind_put_vm_bos(bind->vm_bos, bind->n);
	drm_exec_fini(&bind->exec);
	bind->locked = false;
}

/*
 * Lock the VM and the buffers, check the operations against the VM's
 * mappings, and validate each buffer into its placement. Leaves @bind
 * locked, even on error.
 */
static int ogpu_vm_bind_lock_validate(struct ogpu_vm_bind_op_ctx *bind,
				      struct ttm_operation_ctx *ctx)
{
	struct ogpu_vm *vm = bind->sm.vm;
	u32 i;
	int ret;

	drm_exec_init(&bind->exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
		      DRM_EXEC_IGNORE_DUPLICATES, 0);
	bind->locked = true;
	ret = ogpu_bind_lock_objs(&bind->exec, vm, bind->ops, bind->n,
				  bind->objs);
	if (ret)
		return ret;
	if (vm->destroyed)
		return -ENOENT;

	ret = ogpu_bind_check_overlaps(vm, bind->ops, bind->n);
	if (ret)
		return ret;

	for (i = 0; i < bind->n && !ret; i++) {
		struct ogpu_bo *bo;

		if (!bind->objs[i])
			continue;
		bo = gem_to_ogpu_bo(bind->objs[i]);
		ret = ttm_bo_validate(&bo->tbo, &bo->placement, ctx);
	}
	return ret;
}

/*
 * A queued bind: the job waits for the in-syncs in the VM's bind queue.
 * On error the job is gone, or left to ogpu_vm_bind_cleanup().
 */
static int ogpu_vm_bind_queue_prepare(struct ogpu_vm_bind_op_ctx *bind)
{
	struct ogpu_bind_job *job = bind->sm.job;
	struct ogpu_vm *vm = bind->sm.vm;
	int ret;

	ret = drm_sched_job_init(&job->base, &vm->entity, 1, vm,
				 bind->file->client_id);
	if (ret)
		return ret;
	/* Counted until the job is freed; destroy waits for none. */
	atomic_inc(&vm->bind_jobs);
	ret = ogpu_syncs_add_deps(&bind->syncs, &job->base, bind->file);
	if (ret) {
		drm_sched_job_cleanup(&job->base);
		ogpu_bind_job_free(job);
		bind->sm.job = NULL;
		return ret;
	}
	bind->queued = true;
	return 0;
}

/*
 * Phase 2: lock and validate, then prepare what the commit writes with:
 * the page tables, the vm_bos, the job's ranges, and the job itself if it
 * is queued. Leaves @bind locked, even on error.
 */
static int ogpu_vm_bind_lock(struct ogpu_vm_bind_op_ctx *bind)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ogpu_bind_job *job = bind->sm.job;
	struct ogpu_vm *vm = bind->sm.vm;
	int ret, attempts = 0;
	u32 i;

	/*
	 * TTM gives up an eviction with -ENOSPC when locking its victim
	 * would deadlock against this transaction: start it again, a few
	 * times, before believing VRAM is full.
	 */
	for (;;) {
		ret = ogpu_vm_bind_lock_validate(bind, &ctx);
		if (ret != -ENOSPC || ++attempts >= 3)
			break;
		ogpu_vm_bind_unlock(bind);
	}
	if (ret)
		return ret;

	ret = ogpu_bind_prepare_tables(vm, bind->ops, bind->n, &bind->freed);
	if (ret)
		return ret;
	for (i = 0; i < bind->n; i++) {
		struct drm_gpuvm_bo *vm_bo;

		if (!bind->objs[i])
			continue;
		vm_bo = drm_gpuvm_bo_obtain(&vm->base, bind->objs[i]);
		if (IS_ERR(vm_bo))
			return PTR_ERR(vm_bo);
		bind->vm_bos[i] = vm_bo;
	}

	job->max = ogpu_bind_count_clears(vm, bind->ops, bind->n) + bind->n;
	job->ranges = kvcalloc(job->max, sizeof(*job->ranges), GFP_KERNEL);
	if (!job->ranges)
		return -ENOMEM;
	/* What the UNMAPs unlink may be left to drm_exec's last put. */
	ret = ogpu_exec_hold(&bind->exec, &bind->hold);
	if (ret)
		return ret;

	/*
	 * Nothing to wait for and no bind queued before (binds queue under
	 * the VM's reservation, which this holds): the ioctl writes the
	 * tables itself.
	 */
	if (!bind->syncs.n_in && !atomic_read(&vm->bind_jobs))
		return 0;
	return ogpu_vm_bind_queue_prepare(bind);
}

/*
 * Phase 3, which cannot fail: apply the operations to the VM's mappings,
 * then write the page-table entries, here or, for a queued bind, in the
 * bind job once the in-syncs have signalled. Unlocks, and signals the
 * out-syncs.
 *
 * Return: the bind's fence, referenced.
 */
static struct dma_fence *ogpu_vm_bind_commit(struct ogpu_vm_bind_op_ctx *bind)
{
	struct ogpu_bind_job *job = bind->sm.job;
	struct ogpu_vm *vm = bind->sm.vm;
	struct drm_gem_object *obj;
	struct dma_fence *done;

	ogpu_bind_apply(bind);
	trace_ogpu_vm_bind(bind->odev->info.instance, vm->pt.ctx, bind->n,
			   job->count, bind->queued);
	if (bind->queued) {
		drm_sched_job_arm(&job->base);
		done = dma_fence_get(&job->base.s_fence->finished);
		/* Whatever the bind maps or unmaps stays put until written. */
		drm_exec_for_each_locked_object(&bind->exec, obj)
			dma_resv_add_fence(obj->resv, done,
					   DMA_RESV_USAGE_BOOKKEEP);
		/* ogpu_bind_job_run() writes the entries. */
		drm_sched_entity_push_job(&job->base);
		bind->sm.job = NULL;
	} else {
		ogpu_bind_write(job);
		ogpu_bind_reclaim_tables(vm, bind->ops, bind->n, &bind->freed);
		done = dma_fence_get_stub();
	}
	ogpu_vm_bind_unlock(bind);
	ogpu_syncs_signal(&bind->syncs, done);
	return done;
}

/* Release what the phases got, whichever one the bind reached. */
static void ogpu_vm_bind_cleanup(struct ogpu_vm_bind_op_ctx *bind)
{
	struct ogpu_vm *vm = bind->sm.vm;
	u32 i;

	ogpu_vm_bind_unlock(bind);
	ogpu_exec_release(&bind->hold);
	/* Tables a failed bind made, or an UNMAP emptied. */
	if (vm)
		ogpu_pt_free_list(&vm->pt, &bind->freed);
	while (bind->sm.nr_vas)
		kfree(bind->sm.vas[--bind->sm.nr_vas]);
	kvfree(bind->sm.vas);
	for (i = 0; bind->objs && i < bind->n; i++)
		if (bind->objs[i])
			drm_gem_object_put(bind->objs[i]);
	kvfree(bind->vm_bos);
	kvfree(bind->objs);
	if (vm)
		drm_gpuvm_put(&vm->base);
	if (bind->entered)
		drm_dev_exit(bind->idx);
	ogpu_bind_job_release(bind->sm.job);
	ogpu_syncs_put(&bind->syncs);
	kvfree(bind->ops);
}

/**
 * ogpu_ioctl_vm_bind() - DRM_IOCTL_OGPU_VM_BIND
 * @dev: DRM device
 * @data: &struct drm_ogpu_vm_bind
 * @file: DRM file
 *
 * Prepares, locks and validates everything, then commits: changes the
 * VM's mappings and writes the page tables, here when there is nothing
 * to wait for, else through the VM's bind queue, waiting for it unless
 * DRM_OGPU_VM_BIND_ASYNC.
 *
 * Return: 0 or a negative errno; on error the VM is unchanged.
 */
int ogpu_ioctl_vm_bind(struct drm_device *dev, void *data,
		       struct drm_file *file)
{
	struct ogpu_vm_bind_op_ctx bind = {};
	struct dma_fence *done;
	int ret;

	ret = ogpu_vm_bind_prepare(&bind, dev, file, data);
	if (!ret)
		ret = ogpu_vm_bind_lock(&bind);
	if (!ret) {
		/* Nothing can fail after this point. */
		done = ogpu_vm_bind_commit(&bind);
		/*
		 * The bind is made: an interrupted wait could not undo it,
		 * and a restarted ioctl would bind twice. The wait is
		 * bounded by the in-syncs, whose work has a timeout.
		 */
		if (bind.queued && !(bind.flags & DRM_OGPU_VM_BIND_ASYNC))
			dma_fence_wait(done, false);
		dma_fence_put(done);
	}
	ogpu_vm_bind_cleanup(&bind);
	return ret;
}
