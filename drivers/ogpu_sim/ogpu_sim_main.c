// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: OGPU device model
 *
 * ogpu_sim.ko is the OGPU reference hardware. Each simulated device is a
 * platform device named "ogpu" with:
 *
 * - a register block, handed to the bound driver as a regmap whose
 *   accessors are the device model's register file (ogpu_sim_core.c);
 * - VRAM backing memory, which the driver sees as its VRAM aperture;
 * - one interrupt line, its platform IRQ resource. The line is a Linux
 *   interrupt of its own, raised from a hard irq_work, so the driver's
 *   handler runs in hard-IRQ context as it would on a real device.
 *
 * Devices are made at load time from the module parameters and at run time
 * through /sys/devices/ogpu_sim/new_device and del_device, in the way
 * netdevsim does it::
 *
 *   echo "ID [VRAM_MiB [CUS [LINK_PORTS]]]" > /sys/devices/ogpu_sim/new_device
 *   echo "ID" > /sys/devices/ogpu_sim/del_device
 *
 * A debug port, in the way umr reads an amdgpu's memory, reads and writes
 * memory at a GPU VA through the MMU, without raising faults:
 * /sys/kernel/debug/ogpu_sim/ogpu.ID/vmN, at file offset VA, for context N.
 *
 * ``/sys/kernel/debug/ogpu_sim/ogpu.ID/gpu_access`` makes the device itself
 * access memory, as a running queue would: writing "CTX VA r" or "CTX VA w"
 * reads or writes four bytes at VA in context CTX, and a fault is captured
 * and raised as from any GPU access. It lets tests drive the fault path
 * before the device runs work of its own. Writing "Q" to halt_queue halts
 * hardware queue Q as a malformed packet would.
 *
 * The fabric joins devices by links (ogpu_sim_link.c), at load time with
 * the module parameter ``topology`` (none, ring, full or hcm, with
 * ``link_mbps`` and ``link_latency_ns``) and at run time::
 *
 *   echo "A:P B:Q [MBPS [NS]]" > /sys/devices/ogpu_sim/link_device
 *   echo "A:P" > /sys/devices/ogpu_sim/unlink_device
 *
 * A new link trains for 1 ms (a delayed work) and comes UP. Each port has
 * a debugfs folder /sys/kernel/debug/ogpu_sim/ogpu.ID/linkP/ whose files
 * fail it on demand: ``state`` (reads the state's name; takes "down",
 * "up", "fail" and "flap", which is down for 10 ms and then training),
 * ``corrupt`` (one packet in N corrupt), ``bandwidth`` (MB/s, below the
 * nominal one DEGRADED) and ``latency`` (ns). The copy engine's steps
 * over a link take the time the link's latency and bandwidth give them:
 * the command processor's thread sleeps it, outside every lock, before
 * its next step.
 *
 * Locking, outermost first:
 *
 * 1. ogpu_sim_lock serialises making and destroying devices and protects
 *    ogpu_sim_devs;
 * 2. ogpu_sim_fabric_mutex serialises making and removing links and
 *    changing their state and settings (sysfs, debugfs, the training
 *    work), and protects &ogpu_sim_klink.dead and .flap. Debugfs writers
 *    take it alone, never ogpu_sim_lock: deleting a device removes its
 *    debugfs folder, which waits for them, under ogpu_sim_lock;
 * 3. &ogpu_sim_dev.lock protects a device's register file and is taken
 *    from any context, hard IRQ included. Two devices' locks are never
 *    held together;
 * 4. ogpu_sim_fabric_spin, innermost, protects the links' state and
 *    counters (the core's fabric_lock(), see ogpu_sim_link.c).
 *
 * Deleting a device removes its links first: ogpu_sim_link_unjoin() takes
 * each end's lock once it has cleared the port, and every access to a
 * peer's VRAM runs whole under the accessing device's lock with the port
 * set, so once the links are gone no engine of another device is in, or
 * can enter, this device's VRAM, which is then freed. A change of a
 * link's state needs no such wait: each transfer reads the state when it
 * starts, under the fabric's lock.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/regmap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#ifdef CONFIG_ARCH_HAS_KERNEL_FPU_SUPPORT
#include <linux/fpu.h>
#endif

#include "ogpu_sim_core.h"

#define OGPU_SIM_MAX_ID		1023

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Devices made at load time (default 1)");

static unsigned int vram_mb = 64;
module_param(vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "VRAM of each device made at load time, in MiB (default 64)");

static unsigned int num_cus = 8;
module_param(num_cus, uint, 0444);
MODULE_PARM_DESC(num_cus, "Compute units of each device (default 8)");

static unsigned int link_ports = 4;
module_param(link_ports, uint, 0444);
MODULE_PARM_DESC(link_ports, "Interconnect ports of each device (default 4)");

static char *topology = "none";
module_param(topology, charp, 0444);
MODULE_PARM_DESC(topology, "Links between the devices made at load time: none, ring, full or hcm (default none)");

static unsigned int link_mbps = 25000;
module_param(link_mbps, uint, 0444);
MODULE_PARM_DESC(link_mbps, "Bandwidth of the links made at load time and by default, MB/s (default 25000)");

static unsigned int link_latency_ns = 1000;
module_param(link_latency_ns, uint, 0444);
MODULE_PARM_DESC(link_latency_ns, "Latency of the links made at load time and by default, ns (default 1000)");

/**
 * struct ogpu_sim_dev - one simulated OGPU
 * @lock: protects @core; taken in any context
 * @core: the register file
 * @id: instance number, also the platform device id
 * @vram: VRAM backing memory
 * @irq: the device's interrupt line (a Linux IRQ number)
 * @irq_work: raises @irq in hard-IRQ context
 * @regmap: the register block handed to the driver
 * @pdev: the platform device the driver binds to
 * @cp_worker: the command processor's thread, at the lowest priority
 * @cp_work: runs the command processor
 * @cu_threads: each compute unit's thread, at the lowest priority; made
 *	with @cus
 * @cus: the compute units' executors, allocated on the first DISPATCH
 * @lock_flags: the interrupt state under @lock, for the core's lock() and
 *	unlock() (the engines' only: the compute units and the command
 *	processor)
 * @host_fpu: the units run between kernel_fpu_begin() and kernel_fpu_end()
 *	and take the FPU fast path of ogpu_sim_fp_hw.c
 * @debugfs: the device's debugfs folder
 * @ports: what each debug-port file serves
 * @links: what each file of each link port's debugfs folder serves: the
 *	port and OGPU_SIM_LINK_STATE, _MBPS, _LATENCY or _CORRUPT
 * @cp_delay_ns: time the command processor's thread sleeps before its
 *	next step, for the copy engine's transfers over links; that
 *	thread's only
 */
struct ogpu_sim_dev {
	spinlock_t lock; /* protects core */
	struct ogpu_sim_core core;
	u32 id;
	void *vram;
	unsigned int irq;
	struct irq_work irq_work;
	struct regmap *regmap;
	struct platform_device *pdev;
	struct kthread_worker *cp_worker;
	struct kthread_delayed_work cp_work;
	struct ogpu_sim_cu_thread {
		struct ogpu_sim_dev *sim;
		struct kthread_worker *worker;
		struct kthread_work work;
		u32 cu;
	} *cu_threads;
	struct ogpu_sim_cu **cus;
	unsigned long lock_flags;
	bool host_fpu;
	struct dentry *debugfs;
	struct ogpu_sim_port {
		struct ogpu_sim_dev *sim;
		u32 ctx;
	} ports[OGPU_HW_MMU_CONTEXTS];
	struct ogpu_sim_link_dbg {
		struct ogpu_sim_dev *sim;
		u32 port;
		u32 what;
	} links[OGPU_HW_MAX_LINK_PORTS][4];
	u64 cp_delay_ns;
};

/**
 * struct ogpu_sim_klink - a link of the fabric
 * @link: the link, as the core sees it
 * @work: trains the link (1 ms), or ends a flap (10 ms) and trains it
 * @flap: @work ends a flap
 * @dead: the link has been removed; @work does nothing
 *
 * Made and removed under ogpu_sim_fabric_mutex, which also protects
 * @flap and @dead; the devices' ports point to @link.
 */
struct ogpu_sim_klink {
	struct ogpu_sim_link link;
	struct delayed_work work;
	bool flap;
	bool dead;
};

static DEFINE_MUTEX(ogpu_sim_lock);
static DEFINE_MUTEX(ogpu_sim_fabric_mutex);
static DEFINE_SPINLOCK(ogpu_sim_fabric_spin);
/* The interrupt state under ogpu_sim_fabric_spin. */
static unsigned long ogpu_sim_fabric_flags;
static struct dentry *ogpu_sim_debugfs_root;
static DEFINE_XARRAY(ogpu_sim_devs);
static struct device *ogpu_sim_root;

static void ogpu_sim_irq_work(struct irq_work *work)
{
	struct ogpu_sim_dev *sim = container_of(work, struct ogpu_sim_dev,
						irq_work);
	bool line;

	spin_lock(&sim->lock);
	/* A link's other end may have left IRQ_LINK pending. */
	ogpu_sim_core_link_sync(&sim->core);
	line = ogpu_sim_core_irq_line(&sim->core);
	spin_unlock(&sim->lock);

	if (line)
		generic_handle_irq(sim->irq);
}

/*
 * End a change to the core: sample the interrupt line, drop the
 * register-file lock taken with spin_lock_irqsave(), and raise the
 * interrupt if the line is high. Every path that can latch an interrupt
 * source (a register write, the command processor, the compute units, the
 * fault hooks) ends with this. The line is level-triggered: a change that
 * leaves it high raises it again, even if the source was already latched,
 * and the interrupt is raised from the irq_work after the lock is dropped,
 * so that the driver's handler can take it.
 */
static void ogpu_sim_unlock_raise(struct ogpu_sim_dev *sim,
				  unsigned long flags)
	__releases(&sim->lock)
{
	bool line = ogpu_sim_core_irq_line(&sim->core);

	spin_unlock_irqrestore(&sim->lock, flags);
	if (line)
		irq_work_queue(&sim->irq_work);
}

static int ogpu_sim_reg_read(void *ctx, unsigned int reg, unsigned int *val)
{
	struct ogpu_sim_dev *sim = ctx;
	unsigned long flags;
	u32 v = 0;
	int ret;

	spin_lock_irqsave(&sim->lock, flags);
	ret = ogpu_sim_core_read(&sim->core, reg, &v);
	spin_unlock_irqrestore(&sim->lock, flags);
	*val = v;
	return ret;
}

static void ogpu_sim_cus_kick(struct ogpu_sim_dev *sim, u64 wake);

/* Steps per call of the command processor: keeps preemption-off short. */
#define OGPU_SIM_CP_BUDGET	4

/*
 * The command processor's clock: run a few steps at a time until the
 * queues are idle, halted, or only waiting on semaphores, which are looked
 * at again every jiffy. ogpu_sim_core_run() takes the register-file lock
 * itself, and drops it while the copy engine moves a chunk's bytes; it
 * runs with preemption off, so that a TLB invalidation waits for the
 * chunk in flight for a bounded time (see ogpu_sim_wait_slices()), and
 * with interrupts off only while it holds the lock. The thread is the
 * command processor's own, at nice 19: a GPU works beside the CPUs, and
 * its model must not take a CPU from the processes and kernel threads
 * that feed it (with the guest's CPUs shared under emulation, a command
 * processor that competes with them as an equal delays every other
 * queue's submission and interrupt by seconds while one queue runs a long
 * packet).
 */
static void ogpu_sim_cp_work(struct kthread_work *work)
{
	struct ogpu_sim_dev *sim = container_of(work, struct ogpu_sim_dev,
						cp_work.work);
	enum ogpu_sim_cp_state ret;
	unsigned long flags;
	u64 wake;

	do {
		preempt_disable();
		ret = ogpu_sim_core_run(&sim->core, OGPU_SIM_CP_BUDGET,
					ktime_get_ns());
		preempt_enable();
		if (sim->cp_delay_ns) {
			/* The copy engine's transfers over a link. */
			fsleep(DIV_ROUND_UP_ULL(sim->cp_delay_ns, NSEC_PER_USEC));
			sim->cp_delay_ns = 0;
		}
		spin_lock_irqsave(&sim->lock, flags);
		wake = ogpu_sim_core_cu_to_wake(&sim->core);
		spin_unlock_irqrestore(&sim->lock, flags);
		if (wake)
			ogpu_sim_cus_kick(sim, wake);
		cond_resched();
	} while (ret == OGPU_SIM_CP_BUSY);

	if (ret == OGPU_SIM_CP_WAITING)
		kthread_mod_delayed_work(sim->cp_worker, &sim->cp_work, 1);
}

/* Warp-instructions per compute unit per hold of the register-file lock. */
#define OGPU_SIM_CU_BUDGET	512

static void ogpu_sim_cu_work(struct kthread_work *work);

static void ogpu_sim_cus_free(struct ogpu_sim_dev *sim)
{
	u32 i;

	for (i = 0; sim->cu_threads && i < sim->core.cfg.num_cus; i++)
		if (!IS_ERR_OR_NULL(sim->cu_threads[i].worker))
			kthread_destroy_worker(sim->cu_threads[i].worker);
	kfree(sim->cu_threads);
	sim->cu_threads = NULL;
	for (i = 0; sim->cus && i < sim->core.cfg.num_cus; i++)
		vfree(sim->cus[i]);
	kfree(sim->cus);
	sim->cus = NULL;
}

/*
 * Allocate the compute units' executors and threads, on the first
 * DISPATCH, from the command processor's thread; 0 or an errno.
 */
static int ogpu_sim_cus_alloc(struct ogpu_sim_dev *sim)
{
	const struct ogpu_sim_config *cfg = &sim->core.cfg;
	struct ogpu_sim_cu_thread *t;
	unsigned long flags;
	u32 i;

	sim->cus = kcalloc(cfg->num_cus, sizeof(*sim->cus), GFP_KERNEL);
	sim->cu_threads = kcalloc(cfg->num_cus, sizeof(*sim->cu_threads),
				  GFP_KERNEL);
	if (!sim->cus || !sim->cu_threads)
		goto err;
#ifdef CONFIG_ARCH_HAS_KERNEL_FPU_SUPPORT
	sim->host_fpu = kernel_fpu_available();
#endif
	for (i = 0; i < cfg->num_cus; i++) {
		sim->cus[i] = vmalloc(ogpu_sim_cu_size(cfg->cu_lanes));
		if (!sim->cus[i])
			goto err;
		ogpu_sim_cu_init(sim->cus[i], i, cfg->cu_lanes);
		ogpu_sim_cu_set_host_fpu(sim->cus[i], sim->host_fpu);

		t = &sim->cu_threads[i];
		t->sim = sim;
		t->cu = i;
		kthread_init_work(&t->work, ogpu_sim_cu_work);
		t->worker = kthread_create_worker(0, "ogpu_sim_cu/%u.%u",
						  sim->id, i);
		if (IS_ERR(t->worker))
			goto err;
		sched_set_normal(t->worker->task, MAX_NICE);
	}
	spin_lock_irqsave(&sim->lock, flags);
	ogpu_sim_core_attach_cus(&sim->core, sim->cus);
	spin_unlock_irqrestore(&sim->lock, flags);
	return 0;
err:
	ogpu_sim_cus_free(sim);
	return -ENOMEM;
}

/* Wake the idle units of @wake: blocks wait for them. */
static void ogpu_sim_cus_kick(struct ogpu_sim_dev *sim, u64 wake)
{
	u32 i;

	if (!sim->cus && ogpu_sim_cus_alloc(sim)) {
		dev_err_ratelimited(&sim->pdev->dev,
				    "no memory for the compute units\n");
		return;
	}
	for (i = 0; i < sim->core.cfg.num_cus; i++)
		if (wake & (1ull << i))
			kthread_queue_work(sim->cu_threads[i].worker,
					   &sim->cu_threads[i].work);
}

/*
 * Bracket a compute unit's slice: the FPU fast path needs
 * kernel_fpu_begin(), and a slice never sleeps nor is preempted, so that
 * a TLB invalidation waits for it for a bounded time (see
 * ogpu_sim_wait_slices()).
 */
static void ogpu_sim_slice_begin(struct ogpu_sim_dev *sim)
{
#ifdef CONFIG_ARCH_HAS_KERNEL_FPU_SUPPORT
	if (sim->host_fpu) {
		kernel_fpu_begin();
		return;
	}
#endif
	preempt_disable();
}

static void ogpu_sim_slice_end(struct ogpu_sim_dev *sim)
{
#ifdef CONFIG_ARCH_HAS_KERNEL_FPU_SUPPORT
	if (sim->host_fpu) {
		kernel_fpu_end();
		return;
	}
#endif
	preempt_enable();
}

/*
 * A compute unit's clock: it runs a slice of its block outside the
 * register-file lock, which ogpu_sim_core_cu_run() takes for the core's
 * state, translations and faults; the work requeues itself while the
 * unit has a block or blocks wait, so that it can be cancelled between
 * slices. Like the command processor's thread, each unit's runs at
 * nice 19.
 */
static void ogpu_sim_cu_work(struct kthread_work *work)
{
	struct ogpu_sim_cu_thread *t = container_of(work,
						    struct ogpu_sim_cu_thread,
						    work);
	struct ogpu_sim_dev *sim = t->sim;
	u32 ret;

	ogpu_sim_slice_begin(sim);
	ret = ogpu_sim_core_cu_run(&sim->core, t->cu, OGPU_SIM_CU_BUDGET);
	ogpu_sim_slice_end(sim);
	if (ret & OGPU_SIM_CU_KICK_CP)
		kthread_mod_delayed_work(sim->cp_worker, &sim->cp_work, 0);
	if (ret & OGPU_SIM_CU_MORE)
		kthread_queue_work(t->worker, &t->work);
}

/*
 * The compute units keep host pointers into VRAM for a slice, and the
 * copy engine keeps them, and system memory's DMA addresses, for a chunk.
 * After a write that invalidates translations (MMU_INVALIDATE, a
 * context's root, RESET) the write is complete only when the slices and
 * the chunk that started before it have ended: wait for them, as a driver
 * waits for a hardware TLB flush. Neither is preemptible, so one that
 * runs on this CPU (the write comes from an interrupt on top of it)
 * cannot be waited for; the driver writes these registers from process
 * context only. @seq holds the units' cu_seq, @cp_seq the copy engine's.
 */
static void ogpu_sim_wait_slices(struct ogpu_sim_dev *sim, u32 cp_seq,
				 const u32 *seq)
{
	u32 i;

	while ((cp_seq & 1) && !in_interrupt() &&
	       READ_ONCE(sim->core.cp_seq) == cp_seq)
		cpu_relax();
	for (i = 0; sim->cus && i < sim->core.cfg.num_cus; i++)
		while ((seq[i] & 1) && !in_interrupt() &&
		       READ_ONCE(sim->core.cu_seq[i]) == seq[i])
			cpu_relax();
}

static bool ogpu_sim_reg_invalidates(unsigned int reg)
{
	return reg == OGPU_HW_REG_MMU_INVALIDATE || reg == OGPU_HW_REG_RESET ||
	       (reg >= OGPU_HW_MMU_CTX_ROOT_LO(0) &&
		reg < OGPU_HW_MMU_CTX_ROOT_LO(OGPU_HW_MMU_CONTEXTS));
}

static void ogpu_sim_host_lock(void *ctx)
	__acquires(&sim->lock)
{
	struct ogpu_sim_dev *sim = ctx;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim->lock_flags = flags;
}

static void ogpu_sim_host_unlock(void *ctx)
	__releases(&sim->lock)
{
	struct ogpu_sim_dev *sim = ctx;

	ogpu_sim_unlock_raise(sim, sim->lock_flags);
}

static int ogpu_sim_reg_write(void *ctx, unsigned int reg, unsigned int val)
{
	struct ogpu_sim_dev *sim = ctx;
	u32 seq[OGPU_HW_MAX_CUS], cp_seq = 0;
	unsigned long flags;
	bool wait;
	int ret;

	spin_lock_irqsave(&sim->lock, flags);
	ret = ogpu_sim_core_write(&sim->core, reg, val);
	wait = ogpu_sim_reg_invalidates(reg);
	if (wait) {
		cp_seq = sim->core.cp_seq;
		memcpy(seq, sim->core.cu_seq, sizeof(seq));
	}
	/* Level-triggered: a write that leaves the line high raises it. */
	ogpu_sim_unlock_raise(sim, flags);
	if (wait)
		ogpu_sim_wait_slices(sim, cp_seq, seq);
	/* A doorbell, a reset or a new write pointer: the CP has a look. */
	if (reg >= OGPU_HW_REG_Q(0) && reg < OGPU_HW_REG_Q(OGPU_HW_NUM_QUEUES))
		kthread_mod_delayed_work(sim->cp_worker, &sim->cp_work, 0);
	return ret;
}

static const struct regmap_config ogpu_sim_regmap_cfg = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = OGPU_HW_REG_BLOCK_SIZE - 4,
	.reg_read = ogpu_sim_reg_read,
	.reg_write = ogpu_sim_reg_write,
	/* The register file has its own lock, usable in hard IRQ. */
	.disable_locking = true,
	.cache_type = REGCACHE_NONE,
};

/*
 * The device's DMA: a system-memory address in a page table is a DMA
 * address of the platform device, which without an IOMMU is physical.
 */
static int ogpu_sim_sysmem_rw(void *ctx, u64 addr, void *buf, u32 len,
			      bool write)
{
	struct ogpu_sim_dev *sim = ctx;
	phys_addr_t phys = dma_to_phys(&sim->pdev->dev, addr);
	unsigned long pfn = PHYS_PFN(phys);
	void *va;

	if (!pfn_valid(pfn) || offset_in_page(phys) + len > PAGE_SIZE)
		return -EFAULT;
	va = kmap_local_page(pfn_to_page(pfn));
	if (write)
		memcpy(va + offset_in_page(phys), buf, len);
	else
		memcpy(buf, va + offset_in_page(phys), len);
	kunmap_local(va);
	return 0;
}

static u64 ogpu_sim_now_ns(void *ctx)
{
	return ktime_get_ns();
}

static void ogpu_sim_fabric_lock(void *ctx)
	__acquires(&ogpu_sim_fabric_spin)
{
	unsigned long flags;

	spin_lock_irqsave(&ogpu_sim_fabric_spin, flags);
	ogpu_sim_fabric_flags = flags;
}

static void ogpu_sim_fabric_unlock(void *ctx)
	__releases(&ogpu_sim_fabric_spin)
{
	spin_unlock_irqrestore(&ogpu_sim_fabric_spin, ogpu_sim_fabric_flags);
}

/*
 * A link of the device changed: the irq_work latches IRQ_LINK and raises
 * the line. Called under any lock, the other end's device lock included.
 */
static void ogpu_sim_link_kick(void *ctx)
{
	struct ogpu_sim_dev *sim = ctx;

	irq_work_queue(&sim->irq_work);
}

/* From ogpu_sim_core_run(), on the command processor's thread. */
static void ogpu_sim_cp_delay(void *ctx, u64 ns)
{
	struct ogpu_sim_dev *sim = ctx;

	sim->cp_delay_ns += ns;
}

/* A peer wrote our VRAM: a queue may be waiting on a semaphore there. */
static void ogpu_sim_mem_written(void *ctx)
{
	struct ogpu_sim_dev *sim = ctx;

	kthread_mod_delayed_work(sim->cp_worker, &sim->cp_work, 0);
}

static const struct ogpu_sim_host_ops ogpu_sim_host_ops = {
	.rw = ogpu_sim_sysmem_rw,
	.now_ns = ogpu_sim_now_ns,
	.lock = ogpu_sim_host_lock,
	.unlock = ogpu_sim_host_unlock,
	.fabric_lock = ogpu_sim_fabric_lock,
	.fabric_unlock = ogpu_sim_fabric_unlock,
	.link_kick = ogpu_sim_link_kick,
	.delay = ogpu_sim_cp_delay,
	.mem_written = ogpu_sim_mem_written,
};

/* The debug port: read or write at a VA, a page at a time. */
static ssize_t ogpu_sim_port_rw(struct file *f, char __user *ubuf,
				size_t count, loff_t *ppos, bool write)
{
	struct ogpu_sim_port *port = file_inode(f)->i_private;
	struct ogpu_sim_dev *sim = port->sim;
	u8 *buf;
	size_t done = 0;
	int ret = 0;

	if (*ppos < 0)
		return -EINVAL;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	while (done < count) {
		u64 va = *ppos + done;
		size_t chunk = min_t(size_t, count - done,
				     PAGE_SIZE - offset_in_page(va));
		unsigned long flags;

		if (write && copy_from_user(buf, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		spin_lock_irqsave(&sim->lock, flags);
		ret = ogpu_sim_core_vm_access(&sim->core, port->ctx, va, buf,
					      chunk, write ? OGPU_HW_ACCESS_WRITE :
					      OGPU_HW_ACCESS_READ, false);
		spin_unlock_irqrestore(&sim->lock, flags);
		if (ret)
			break;
		if (!write && copy_to_user(ubuf + done, buf, chunk)) {
			ret = -EFAULT;
			break;
		}
		done += chunk;
	}
	kfree(buf);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

static ssize_t ogpu_sim_port_read(struct file *f, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return ogpu_sim_port_rw(f, ubuf, count, ppos, false);
}

static ssize_t ogpu_sim_port_write(struct file *f, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return ogpu_sim_port_rw(f, (char __user *)ubuf, count, ppos, true);
}

static const struct file_operations ogpu_sim_port_fops = {
	.owner = THIS_MODULE,
	.read = ogpu_sim_port_read,
	.write = ogpu_sim_port_write,
	.llseek = default_llseek,
};

static ssize_t ogpu_sim_gpu_access_write(struct file *f,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct ogpu_sim_dev *sim = file_inode(f)->i_private;
	unsigned long flags;
	char buf[64], rw;
	u32 ctx, data = 0;
	u64 va;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%u %llx %c", &ctx, &va, &rw) != 3 ||
	    ctx >= OGPU_HW_MMU_CONTEXTS || (rw != 'r' && rw != 'w'))
		return -EINVAL;

	spin_lock_irqsave(&sim->lock, flags);
	ogpu_sim_core_vm_access(&sim->core, ctx, va, &data, sizeof(data),
				rw == 'w' ? OGPU_HW_ACCESS_WRITE :
				OGPU_HW_ACCESS_READ, true);
	ogpu_sim_unlock_raise(sim, flags);
	return count;
}

static const struct file_operations ogpu_sim_gpu_access_fops = {
	.owner = THIS_MODULE,
	.write = ogpu_sim_gpu_access_write,
};

/* halt_queue: "Q" halts hardware queue Q as a malformed packet would. */
static ssize_t ogpu_sim_halt_queue_write(struct file *f,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct ogpu_sim_dev *sim = file_inode(f)->i_private;
	unsigned long flags;
	u32 q;
	int ret;

	ret = kstrtou32_from_user(ubuf, count, 0, &q);
	if (ret)
		return ret;
	if (q >= OGPU_HW_NUM_QUEUES)
		return -EINVAL;

	spin_lock_irqsave(&sim->lock, flags);
	ogpu_sim_core_halt_queue(&sim->core, q);
	ogpu_sim_unlock_raise(sim, flags);
	return count;
}

static const struct file_operations ogpu_sim_halt_queue_fops = {
	.owner = THIS_MODULE,
	.write = ogpu_sim_halt_queue_write,
};

/* How long a link trains, and how long a flap keeps it down. */
#define OGPU_SIM_TRAIN_DELAY	msecs_to_jiffies(1)
#define OGPU_SIM_FLAP_DELAY	msecs_to_jiffies(10)

/* The link on port @port of @sim, or NULL. */
static struct ogpu_sim_klink *ogpu_sim_port_link(struct ogpu_sim_dev *sim,
						 u32 port)
{
	lockdep_assert_held(&ogpu_sim_fabric_mutex);

	if (port >= sim->core.cfg.link_ports || !sim->core.port[port].link)
		return NULL;
	return container_of(sim->core.port[port].link, struct ogpu_sim_klink,
			    link);
}

/* A link has trained, or a flap ends and the link trains again. */
static void ogpu_sim_klink_work(struct work_struct *work)
{
	struct ogpu_sim_klink *kl = container_of(to_delayed_work(work),
						 struct ogpu_sim_klink, work);

	mutex_lock(&ogpu_sim_fabric_mutex);
	if (kl->dead) {
		/* Removed: ogpu_sim_link_free() waits for us. */
	} else if (kl->flap) {
		kl->flap = false;
		ogpu_sim_link_set_state(&kl->link, OGPU_HW_LINK_TRAINING);
		mod_delayed_work(system_wq, &kl->work, OGPU_SIM_TRAIN_DELAY);
	} else {
		ogpu_sim_link_trained(&kl->link);
	}
	mutex_unlock(&ogpu_sim_fabric_mutex);
}

/* Join port @pa of @a to port @pb of @b; the link trains. 0 or an errno. */
static int ogpu_sim_link_make_locked(struct ogpu_sim_dev *a, u32 pa,
				     struct ogpu_sim_dev *b, u32 pb, u32 mbps,
				     u32 latency_ns)
{
	struct ogpu_sim_klink *kl;
	int ret;

	lockdep_assert_held(&ogpu_sim_fabric_mutex);

	ret = ogpu_sim_link_check(&a->core, pa, &b->core, pb, mbps);
	if (ret)
		return ret;
	kl = kzalloc(sizeof(*kl), GFP_KERNEL);
	if (!kl)
		return -ENOMEM;
	INIT_DELAYED_WORK(&kl->work, ogpu_sim_klink_work);
	ogpu_sim_link_join(&kl->link, &a->core, pa, &b->core, pb, mbps,
			   latency_ns);
	queue_delayed_work(system_wq, &kl->work, OGPU_SIM_TRAIN_DELAY);
	return 0;
}

/*
 * Remove @kl from its ports. No engine reaches the peer through it after
 * this (see ogpu_sim_link_unjoin()); the caller frees it with
 * ogpu_sim_link_free() once it has dropped ogpu_sim_fabric_mutex, which
 * the link's work takes.
 */
static void ogpu_sim_link_remove_locked(struct ogpu_sim_klink *kl)
{
	lockdep_assert_held(&ogpu_sim_fabric_mutex);

	ogpu_sim_link_unjoin(&kl->link);
	kl->dead = true;
}

static void ogpu_sim_link_free(struct ogpu_sim_klink *kl)
{
	cancel_delayed_work_sync(&kl->work);
	kfree(kl);
}

/* Remove every link of @sim, before it goes. */
static void ogpu_sim_dev_unlink(struct ogpu_sim_dev *sim)
{
	struct ogpu_sim_klink *gone[OGPU_HW_MAX_LINK_PORTS];
	u32 p, n = 0;

	mutex_lock(&ogpu_sim_fabric_mutex);
	for (p = 0; p < sim->core.cfg.link_ports; p++) {
		gone[n] = ogpu_sim_port_link(sim, p);
		if (gone[n])
			ogpu_sim_link_remove_locked(gone[n++]);
	}
	mutex_unlock(&ogpu_sim_fabric_mutex);
	while (n--)
		ogpu_sim_link_free(gone[n]);
}

/* linkP/state: the state's name; "down", "up", "fail" or "flap". */
static ssize_t ogpu_sim_link_state_read(struct file *f, char __user *ubuf,
					size_t count, loff_t *ppos)
{
	struct ogpu_sim_link_dbg *d = file_inode(f)->i_private;
	u32 state = OGPU_HW_LINK_DOWN;
	struct ogpu_sim_klink *kl;
	char buf[16];
	int len;

	mutex_lock(&ogpu_sim_fabric_mutex);
	kl = ogpu_sim_port_link(d->sim, d->port);
	if (kl)
		state = ogpu_sim_link_get(&kl->link, OGPU_SIM_LINK_STATE);
	mutex_unlock(&ogpu_sim_fabric_mutex);
	len = scnprintf(buf, sizeof(buf), "%s\n",
			ogpu_sim_link_state_name(state));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t ogpu_sim_link_state_write(struct file *f,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct ogpu_sim_link_dbg *d = file_inode(f)->i_private;
	struct ogpu_sim_klink *kl;
	char buf[16];
	int what, ret = count;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	what = ogpu_sim_link_state_parse(strim(buf));
	if (what < 0)
		return what;

	mutex_lock(&ogpu_sim_fabric_mutex);
	kl = ogpu_sim_port_link(d->sim, d->port);
	if (!kl) {
		ret = -ENOLINK;
	} else if (what == OGPU_SIM_LINK_FLAP) {
		kl->flap = true;
		ogpu_sim_link_set_state(&kl->link, OGPU_HW_LINK_DOWN);
		mod_delayed_work(system_wq, &kl->work, OGPU_SIM_FLAP_DELAY);
	} else {
		kl->flap = false;
		ogpu_sim_link_set_state(&kl->link, what);
		if (what == OGPU_HW_LINK_TRAINING)
			mod_delayed_work(system_wq, &kl->work,
					 OGPU_SIM_TRAIN_DELAY);
		else
			cancel_delayed_work(&kl->work);
	}
	mutex_unlock(&ogpu_sim_fabric_mutex);
	return ret;
}

static const struct file_operations ogpu_sim_link_state_fops = {
	.owner = THIS_MODULE,
	.read = ogpu_sim_link_state_read,
	.write = ogpu_sim_link_state_write,
	.llseek = default_llseek,
};

/* linkP/corrupt, bandwidth and latency: a setting of the port's link. */
static int ogpu_sim_link_attr_get(void *data, u64 *val)
{
	struct ogpu_sim_link_dbg *d = data;
	struct ogpu_sim_klink *kl;

	mutex_lock(&ogpu_sim_fabric_mutex);
	kl = ogpu_sim_port_link(d->sim, d->port);
	*val = kl ? ogpu_sim_link_get(&kl->link, d->what) : 0;
	mutex_unlock(&ogpu_sim_fabric_mutex);
	return 0;
}

static int ogpu_sim_link_attr_set(void *data, u64 val)
{
	struct ogpu_sim_link_dbg *d = data;
	struct ogpu_sim_klink *kl;
	int ret = 0;

	if (val > U32_MAX)
		return -EINVAL;
	mutex_lock(&ogpu_sim_fabric_mutex);
	kl = ogpu_sim_port_link(d->sim, d->port);
	if (!kl)
		ret = -ENOLINK;
	else if (d->what == OGPU_SIM_LINK_MBPS)
		ret = ogpu_sim_link_set_bandwidth(&kl->link, val);
	else if (d->what == OGPU_SIM_LINK_LATENCY)
		ogpu_sim_link_set_latency(&kl->link, val);
	else
		ogpu_sim_link_set_corrupt(&kl->link, val);
	mutex_unlock(&ogpu_sim_fabric_mutex);
	return ret;
}

DEFINE_DEBUGFS_ATTRIBUTE(ogpu_sim_link_attr_fops, ogpu_sim_link_attr_get,
			 ogpu_sim_link_attr_set, "%llu\n");

/* linkP/ of each port. */
static void ogpu_sim_debugfs_links(struct ogpu_sim_dev *sim)
{
	static const char *const names[] = {
		[OGPU_SIM_LINK_STATE] = "state",
		[OGPU_SIM_LINK_MBPS] = "bandwidth",
		[OGPU_SIM_LINK_LATENCY] = "latency",
		[OGPU_SIM_LINK_CORRUPT] = "corrupt",
	};
	struct ogpu_sim_link_dbg *d;
	struct dentry *dir;
	char name[16];
	u32 p, i;

	for (p = 0; p < sim->core.cfg.link_ports; p++) {
		snprintf(name, sizeof(name), "link%u", p);
		dir = debugfs_create_dir(name, sim->debugfs);
		for (i = 0; i < ARRAY_SIZE(names); i++) {
			d = &sim->links[p][i];
			d->sim = sim;
			d->port = p;
			d->what = i;
			if (i == OGPU_SIM_LINK_STATE)
				debugfs_create_file(names[i], 0600, dir, d,
						    &ogpu_sim_link_state_fops);
			else
				debugfs_create_file_unsafe(names[i], 0600, dir,
							   d,
							   &ogpu_sim_link_attr_fops);
		}
	}
}

static void ogpu_sim_debugfs_init(struct ogpu_sim_dev *sim)
{
	char name[16];
	u32 i;

	sim->debugfs = debugfs_create_dir(dev_name(&sim->pdev->dev),
					  ogpu_sim_debugfs_root);
	for (i = 0; i < OGPU_HW_MMU_CONTEXTS; i++) {
		sim->ports[i].sim = sim;
		sim->ports[i].ctx = i;
		snprintf(name, sizeof(name), "vm%u", i);
		debugfs_create_file(name, 0600, sim->debugfs, &sim->ports[i],
				    &ogpu_sim_port_fops);
	}
	debugfs_create_file("gpu_access", 0200, sim->debugfs, sim,
			    &ogpu_sim_gpu_access_fops);
	debugfs_create_file("halt_queue", 0200, sim->debugfs, sim,
			    &ogpu_sim_halt_queue_fops);
	ogpu_sim_debugfs_links(sim);
}

static int ogpu_sim_irq_init(struct ogpu_sim_dev *sim)
{
	int irq;

	/*
	 * No owner: the interrupt's chip and flow handler are the core
	 * kernel's, so a driver's request_irq() need not pin this module,
	 * and unloading it removes the devices as a hot unplug would.
	 */
	irq = __irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE, NULL, NULL);
	if (irq < 0)
		return irq;
	irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
	irq_modify_status(irq, IRQ_NOREQUEST, IRQ_NOPROBE);
	sim->irq = irq;
	sim->irq_work = IRQ_WORK_INIT_HARD(ogpu_sim_irq_work);
	return 0;
}

static void ogpu_sim_irq_fini(struct ogpu_sim_dev *sim)
{
	irq_work_sync(&sim->irq_work);
	irq_free_desc(sim->irq);
}

/*
 * Stop the command processor and the compute units, which kick each other:
 * with the device reset (the driver's unbind does it), neither has work
 * to queue again after both are cancelled.
 */
static void ogpu_sim_stop_engines(struct ogpu_sim_dev *sim)
{
	unsigned long flags;
	u32 q, i;

	spin_lock_irqsave(&sim->lock, flags);
	for (q = 0; q < OGPU_HW_NUM_QUEUES; q++)
		ogpu_sim_core_cu_drop(&sim->core, q);
	spin_unlock_irqrestore(&sim->lock, flags);
	kthread_cancel_delayed_work_sync(&sim->cp_work);
	for (i = 0; sim->cu_threads && i < sim->core.cfg.num_cus; i++)
		kthread_cancel_work_sync(&sim->cu_threads[i].work);
	kthread_cancel_delayed_work_sync(&sim->cp_work);
}

static void ogpu_sim_dev_free(struct ogpu_sim_dev *sim)
{
	if (sim->regmap)
		regmap_exit(sim->regmap);
	if (sim->cp_worker)
		kthread_destroy_worker(sim->cp_worker);
	ogpu_sim_cus_free(sim);
	vfree(sim->vram);
	kfree(sim);
}

/*
 * Without a device tree, libdrm names a platform device after its MODALIAS
 * ("ogpu" for every OGPU) and folds devices of one name into one. Naming
 * each device in its uevent gives drmGetDevices2() one entry per OGPU.
 */
static int ogpu_sim_uevent(const struct device *dev,
			   struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "OF_FULLNAME=/ogpu@%d",
			      to_platform_device(dev)->id);
}

static const struct device_type ogpu_sim_device_type = {
	.name = "ogpu",
	.uevent = ogpu_sim_uevent,
};

static int ogpu_sim_dev_new(const struct ogpu_sim_config *cfg)
{
	struct ogpu_hw_platform_data pdata = {};
	struct platform_device *pdev;
	struct resource res = {};
	struct ogpu_sim_dev *sim;
	int ret;

	lockdep_assert_held(&ogpu_sim_lock);

	ret = ogpu_sim_config_check(cfg);
	if (ret)
		return ret;
	if (cfg->instance > OGPU_SIM_MAX_ID)
		return -EINVAL;
	if (xa_load(&ogpu_sim_devs, cfg->instance))
		return -EEXIST;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	spin_lock_init(&sim->lock);
	kthread_init_delayed_work(&sim->cp_work, ogpu_sim_cp_work);
	sim->id = cfg->instance;

	sim->cp_worker = kthread_create_worker(0, "ogpu_sim_cp/%u", sim->id);
	if (IS_ERR(sim->cp_worker)) {
		ret = PTR_ERR(sim->cp_worker);
		sim->cp_worker = NULL;
		goto err_free;
	}
	sched_set_normal(sim->cp_worker->task, MAX_NICE);

	sim->vram = __vmalloc(cfg->vram_size,
			      GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!sim->vram) {
		ret = -ENOMEM;
		goto err_free;
	}
	ogpu_sim_core_init(&sim->core, cfg, sim->vram, &ogpu_sim_host_ops,
			   sim);

	sim->regmap = regmap_init(NULL, NULL, sim, &ogpu_sim_regmap_cfg);
	if (IS_ERR(sim->regmap)) {
		ret = PTR_ERR(sim->regmap);
		sim->regmap = NULL;
		goto err_free;
	}

	ret = ogpu_sim_irq_init(sim);
	if (ret)
		goto err_free;

	ret = xa_insert(&ogpu_sim_devs, sim->id, sim, GFP_KERNEL);
	if (ret)
		goto err_irq;

	pdata.regs = sim->regmap;
	pdata.vram = sim->vram;
	pdata.vram_size = cfg->vram_size;
	res.start = sim->irq;
	res.end = sim->irq;
	res.flags = IORESOURCE_IRQ;
	res.name = "ogpu-irq";

	pdev = platform_device_alloc("ogpu", sim->id);
	if (!pdev) {
		ret = -ENOMEM;
		goto err_erase;
	}
	pdev->dev.parent = ogpu_sim_root;
	pdev->dev.type = &ogpu_sim_device_type;
	sim->pdev = pdev;
	ret = platform_device_add_resources(pdev, &res, 1);
	if (!ret)
		ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		goto err_erase;
	}
	ogpu_sim_debugfs_init(sim);
	return 0;

err_erase:
	xa_erase(&ogpu_sim_devs, sim->id);
	ogpu_sim_stop_engines(sim);
err_irq:
	ogpu_sim_irq_fini(sim);
err_free:
	ogpu_sim_dev_free(sim);
	return ret;
}

static void ogpu_sim_dev_del(struct ogpu_sim_dev *sim)
{
	lockdep_assert_held(&ogpu_sim_lock);

	debugfs_remove_recursive(sim->debugfs);
	/* No peer reaches this device's VRAM after this. */
	ogpu_sim_dev_unlink(sim);
	/* Unbinds the driver, which frees its interrupt handler. */
	platform_device_unregister(sim->pdev);
	xa_erase(&ogpu_sim_devs, sim->id);
	/* No driver is left to ring a doorbell. */
	ogpu_sim_stop_engines(sim);
	ogpu_sim_irq_fini(sim);
	ogpu_sim_dev_free(sim);
}

static void ogpu_sim_default_config(struct ogpu_sim_config *cfg, u32 id)
{
	cfg->instance = id;
	cfg->vram_size = (u64)vram_mb << 20;
	cfg->num_cus = num_cus;
	cfg->cu_lanes = 32;
	cfg->compute_engines = 2;
	cfg->copy_engines = 1;
	cfg->link_ports = link_ports;
}

static ssize_t new_device_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	unsigned int id, vram, cus, links;
	struct ogpu_sim_config cfg;
	int n, ret;

	n = sscanf(buf, "%u %u %u %u", &id, &vram, &cus, &links);
	if (n < 1)
		return -EINVAL;

	ogpu_sim_default_config(&cfg, id);
	if (n >= 2)
		cfg.vram_size = (u64)vram << 20;
	if (n >= 3)
		cfg.num_cus = cus;
	if (n >= 4)
		cfg.link_ports = links;

	mutex_lock(&ogpu_sim_lock);
	ret = ogpu_sim_dev_new(&cfg);
	mutex_unlock(&ogpu_sim_lock);

	return ret ? ret : count;
}
static DEVICE_ATTR_WO(new_device);

static ssize_t del_device_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct ogpu_sim_dev *sim;
	unsigned int id;
	int ret = 0;

	if (kstrtouint(buf, 0, &id))
		return -EINVAL;

	mutex_lock(&ogpu_sim_lock);
	sim = xa_load(&ogpu_sim_devs, id);
	if (sim)
		ogpu_sim_dev_del(sim);
	else
		ret = -ENOENT;
	mutex_unlock(&ogpu_sim_lock);

	return ret ? ret : count;
}
static DEVICE_ATTR_WO(del_device);

/* "A:P": device A and its port P, or -ENODEV. Under ogpu_sim_lock. */
static struct ogpu_sim_dev *ogpu_sim_dev_find(u32 id)
{
	lockdep_assert_held(&ogpu_sim_lock);

	return id > OGPU_SIM_MAX_ID ? NULL : xa_load(&ogpu_sim_devs, id);
}

static ssize_t link_device_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	unsigned int a, pa, b, pb, mbps = link_mbps, ns = link_latency_ns;
	struct ogpu_sim_dev *sa, *sb;
	int ret;

	if (sscanf(buf, "%u:%u %u:%u %u %u", &a, &pa, &b, &pb, &mbps,
		   &ns) < 4)
		return -EINVAL;

	mutex_lock(&ogpu_sim_lock);
	sa = ogpu_sim_dev_find(a);
	sb = ogpu_sim_dev_find(b);
	if (!sa || !sb) {
		ret = -ENODEV;
	} else {
		mutex_lock(&ogpu_sim_fabric_mutex);
		ret = ogpu_sim_link_make_locked(sa, pa, sb, pb, mbps, ns);
		mutex_unlock(&ogpu_sim_fabric_mutex);
	}
	mutex_unlock(&ogpu_sim_lock);

	return ret ? ret : count;
}
static DEVICE_ATTR_WO(link_device);

static ssize_t unlink_device_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct ogpu_sim_klink *kl = NULL;
	struct ogpu_sim_dev *sim;
	unsigned int id, port;
	int ret = 0;

	if (sscanf(buf, "%u:%u", &id, &port) != 2)
		return -EINVAL;

	mutex_lock(&ogpu_sim_lock);
	sim = ogpu_sim_dev_find(id);
	if (!sim) {
		ret = -ENODEV;
	} else if (port >= sim->core.cfg.link_ports) {
		ret = -EINVAL;
	} else {
		mutex_lock(&ogpu_sim_fabric_mutex);
		kl = ogpu_sim_port_link(sim, port);
		if (kl)
			ogpu_sim_link_remove_locked(kl);
		else
			ret = -ENOENT;
		mutex_unlock(&ogpu_sim_fabric_mutex);
	}
	mutex_unlock(&ogpu_sim_lock);
	if (kl)
		ogpu_sim_link_free(kl);

	return ret ? ret : count;
}
static DEVICE_ATTR_WO(unlink_device);

static struct attribute *ogpu_sim_attrs[] = {
	&dev_attr_new_device.attr,
	&dev_attr_del_device.attr,
	&dev_attr_link_device.attr,
	&dev_attr_unlink_device.attr,
	NULL
};

static const struct attribute_group ogpu_sim_group = {
	.attrs = ogpu_sim_attrs,
};

static void ogpu_sim_del_all(void)
{
	struct ogpu_sim_dev *sim;
	unsigned long id;

	mutex_lock(&ogpu_sim_lock);
	xa_for_each(&ogpu_sim_devs, id, sim)
		ogpu_sim_dev_del(sim);
	mutex_unlock(&ogpu_sim_lock);
}

/* Join the devices made at load time as the topology parameter says. */
static int __init ogpu_sim_topology_make(void)
{
	struct ogpu_sim_link_spec *spec;
	int n, i, ret = 0;

	lockdep_assert_held(&ogpu_sim_lock);

	n = ogpu_sim_topology(topology, num_devices, link_ports, NULL, 0);
	if (n <= 0) {
		if (n < 0)
			pr_err("ogpu_sim: topology %s needs other devices or ports\n",
			       topology);
		return n;
	}
	spec = kcalloc(n, sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	ogpu_sim_topology(topology, num_devices, link_ports, spec, n);
	mutex_lock(&ogpu_sim_fabric_mutex);
	for (i = 0; i < n && !ret; i++)
		ret = ogpu_sim_link_make_locked(ogpu_sim_dev_find(spec[i].a),
						spec[i].pa,
						ogpu_sim_dev_find(spec[i].b),
						spec[i].pb, link_mbps,
						link_latency_ns);
	mutex_unlock(&ogpu_sim_fabric_mutex);
	kfree(spec);
	return ret;
}

static int __init ogpu_sim_init(void)
{
	struct ogpu_sim_config cfg;
	unsigned int i;
	int ret;

	ogpu_sim_root = root_device_register("ogpu_sim");
	if (IS_ERR(ogpu_sim_root))
		return PTR_ERR(ogpu_sim_root);
	ogpu_sim_debugfs_root = debugfs_create_dir("ogpu_sim", NULL);

	mutex_lock(&ogpu_sim_lock);
	for (i = 0, ret = 0; i < num_devices && !ret; i++) {
		ogpu_sim_default_config(&cfg, i);
		ret = ogpu_sim_dev_new(&cfg);
	}
	if (!ret)
		ret = ogpu_sim_topology_make();
	mutex_unlock(&ogpu_sim_lock);
	if (ret)
		goto err_del;

	ret = sysfs_create_group(&ogpu_sim_root->kobj, &ogpu_sim_group);
	if (ret)
		goto err_del;
	return 0;

err_del:
	ogpu_sim_del_all();
	debugfs_remove_recursive(ogpu_sim_debugfs_root);
	root_device_unregister(ogpu_sim_root);
	return ret;
}

static void __exit ogpu_sim_exit(void)
{
	/* Waits for writers of new_device and del_device to finish. */
	sysfs_remove_group(&ogpu_sim_root->kobj, &ogpu_sim_group);
	ogpu_sim_del_all();
	debugfs_remove_recursive(ogpu_sim_debugfs_root);
	root_device_unregister(ogpu_sim_root);
}

module_init(ogpu_sim_init);
module_exit(ogpu_sim_exit);

MODULE_DESCRIPTION("OGPU device model: the reference OGPU hardware");
MODULE_AUTHOR("The ogpu authors");
MODULE_LICENSE("Dual MIT/GPL");
