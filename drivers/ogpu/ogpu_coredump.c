// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */

/**
 * DOC: devcoredump
 *
 * When a queue is banned for a timeout, a GPU page fault or a bad packet,
 * the driver captures what a person needs to find out why, and hands it to
 * the kernel's devcoredump as text: /sys/class/devcoredump/devcdN/data,
 * whose failing_device links to the platform device (ogpu.<id>).
 * ``ogpu-smi coredump`` prints it; writing anything to data frees it.
 *
 * Two steps, as xe does. Where the failure is found, the hardware queue is
 * about to be reset, so its registers, the MMU's fault registers and the
 * ring offset of the failing job are recorded in the queue first (&struct
 * ogpu_hang): in hard IRQ for faults and bad packets, in drm_sched's
 * timeout handler for timeouts; neither allocates. A work item of the
 * queue's then does the capture in process context: it copies the ring
 * around the failing job, reads the job's command buffers through the
 * VM's mappings (the first %OGPU_DUMP_CMDBUF_DW words of each of the first
 * %OGPU_DUMP_CMDBUFS), lists the VM's mappings within 16 MiB of the fault,
 * and prints it all, decoding every packet, into one buffer for
 * dev_coredumpv(), as panfrost and etnaviv do. The text is made once, so
 * the dump needs nothing of the driver's afterwards: it does not pin the
 * module and outlives the queue, the file and the process.
 *
 * Lifetime: the work item holds no reference to the queue. The queue's
 * teardown flushes it once nothing can queue it any more (the queue has
 * left &ogpu_device.queues, where the interrupt finds it, and its
 * scheduler, whose timeout handler queues it, is finished), so the
 * capture always sees a live queue, VM and ring, and a dump is still
 * written for a process that exits at once. A reference held by the work
 * would let the queue's last put, and with it the teardown, run after the
 * file is gone. The capture runs inside drm_dev_enter(), and the driver's
 * remove drops the device's dump (dev_coredump_put()), so no dump of a
 * removed device lingers to be mistaken for that of a new device of the
 * same name.
 *
 * One dump per device at a time: devcoredump drops a new dump while the
 * device's last one is unread, and frees a dump 5 minutes after it was
 * made. The first failure is kept, which is usually the one that matters.
 * A kernel without CONFIG_DEV_COREDUMP has no /sys/class/devcoredump: the
 * dump is still made, then dropped, so that a debug kernel runs the
 * capture under its checkers all the same.
 *
 * Privacy: a dump holds only what the failing queue's own process could
 * read: its queue's ring and registers, its VM's mappings and the buffers
 * bound in that VM. It is readable by root only (devcoredump's mode).
 *
 * The format, one "key: value" line each, then sections::
 *
 *   ogpu devcoredump
 *   kernel: <release>
 *   time: <seconds>.<nanoseconds> (CLOCK_REALTIME of the failure)
 *   device: ogpu.<id> instance <n> hw <major>.<minor>
 *   reason: timeout | fault | bad-packet
 *   process: pid <pid> comm <comm>
 *   queue: slot <n> engine <class> priority <p> mmu-context <ctx> job <seqno>
 *   registers: control .. rptr .. wptr .. status <name> error <name>
 *     error-address .. packet-address ..
 *   fault: address <va> access <read|write|exec> reason <name> [user]
 *   ring: ... then one decoded packet a line
 *   cmdbuf <i>: va .. dwords .. then one decoded packet a line
 *   mappings: ... then one mapping a line
 *
 * A packet line is its address, its name and fields. The packet that ran
 * last (OGPU_Q_PKT_ADDR: the one that faulted, was malformed or is still
 * waiting) ends in ``<== failing packet``; the ring packet at RPTR in
 * ``<-- RPTR`` (while an indirect buffer runs, RPTR is already past its
 * INDIRECT packet).
 */

#include <linux/devcoredump.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#include "ogpu_coredump.h"
#include "ogpu_device.h"
#include "ogpu_hw.h"
#include "ogpu_vm.h"
#include "drm/ogpu_drm.h"

/* Ring words shown, from the failing job's first packet. */
#define OGPU_DUMP_RING_DW	256
/* Command buffers shown, and words of each. */
#define OGPU_DUMP_CMDBUFS	4
#define OGPU_DUMP_CMDBUF_DW	1024
/* Mappings shown, within OGPU_DUMP_WINDOW of the fault. */
#define OGPU_DUMP_MAPPINGS	32
#define OGPU_DUMP_WINDOW	SZ_16M

/**
 * struct ogpu_dump_cmdbuf - one command buffer of the failing job
 * @va: where
 * @size_dw: its size in words
 * @read_dw: words read, at most %OGPU_DUMP_CMDBUF_DW
 * @words: the words read
 */
struct ogpu_dump_cmdbuf {
	u64 va;
	u32 size_dw;
	u32 read_dw;
	u32 words[OGPU_DUMP_CMDBUF_DW];
};

/**
 * struct ogpu_dump - what the capture gathered, before it is printed
 * @q: the queue
 * @ring_start: ring offset of @ring's first word
 * @ring_dw: words in @ring
 * @ring: the ring from the failing job (or RPTR) to WPTR
 * @ncmdbufs: command buffers of the job (INDIRECT packets in the ring)
 * @cmdbufs: the first of them
 * @map_start: start of the window of @maps
 * @map_end: its end
 * @nmaps: mappings that meet the window
 * @maps: the first of them
 */
struct ogpu_dump {
	const struct ogpu_coredump_queue *q;
	u32 ring_start;
	u32 ring_dw;
	u32 ring[OGPU_DUMP_RING_DW];
	u32 ncmdbufs;
	struct ogpu_dump_cmdbuf cmdbufs[OGPU_DUMP_CMDBUFS];
	u64 map_start;
	u64 map_end;
	u32 nmaps;
	struct ogpu_vm_mapping maps[OGPU_DUMP_MAPPINGS];
};

static const char *ogpu_dump_name(const char *const *names, u32 n, u32 v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

static const char *const ogpu_pkt_names[] = {
	[OGPU_PKT_NOP] = "NOP",
	[OGPU_PKT_WRITE_DATA] = "WRITE_DATA",
	[OGPU_PKT_FENCE] = "FENCE",
	[OGPU_PKT_COPY] = "COPY",
	[OGPU_PKT_FILL] = "FILL",
	[OGPU_PKT_SEM_WAIT] = "SEM_WAIT",
	[OGPU_PKT_SEM_SIGNAL] = "SEM_SIGNAL",
	[OGPU_PKT_TIMESTAMP] = "TIMESTAMP",
	[OGPU_PKT_INDIRECT] = "INDIRECT",
	[OGPU_PKT_DISPATCH] = "DISPATCH",
};

/* Each packet's length in words, 0 for any; WRITE_DATA has two. */
static const u8 ogpu_pkt_ndw[] = {
	[OGPU_PKT_NOP] = 0,
	[OGPU_PKT_WRITE_DATA] = OGPU_PKT_WRITE_DATA32_NDW,
	[OGPU_PKT_FENCE] = OGPU_PKT_FENCE_NDW,
	[OGPU_PKT_COPY] = OGPU_PKT_COPY_NDW,
	[OGPU_PKT_FILL] = OGPU_PKT_FILL_NDW,
	[OGPU_PKT_SEM_WAIT] = OGPU_PKT_SEM_WAIT_NDW,
	[OGPU_PKT_SEM_SIGNAL] = OGPU_PKT_SEM_SIGNAL_NDW,
	[OGPU_PKT_TIMESTAMP] = OGPU_PKT_TIMESTAMP_NDW,
	[OGPU_PKT_INDIRECT] = OGPU_PKT_INDIRECT_NDW,
	[OGPU_PKT_DISPATCH] = OGPU_PKT_DISPATCH_NDW,
};

static const char *const ogpu_reason_names[] = {
	[DRM_OGPU_QUEUE_OK] = "none",
	[DRM_OGPU_QUEUE_TIMEOUT] = "timeout",
	[DRM_OGPU_QUEUE_FAULT] = "fault",
	[DRM_OGPU_QUEUE_BAD_PACKET] = "bad-packet",
	[DRM_OGPU_QUEUE_DISPATCH] = "dispatch",
};

static const char *const ogpu_status_names[] = {
	[OGPU_HW_QS_IDLE] = "idle",
	[OGPU_HW_QS_BUSY] = "busy",
	[OGPU_HW_QS_WAITING] = "waiting",
	[OGPU_HW_QS_ERROR] = "error",
};

static const char *const ogpu_error_names[] = {
	[OGPU_HW_QE_NONE] = "none",
	[OGPU_HW_QE_FAULT] = "fault",
	[OGPU_HW_QE_BAD_PACKET] = "bad-packet",
	[OGPU_HW_QE_BAD_CONFIG] = "bad-config",
	[OGPU_HW_QE_DISPATCH] = "dispatch",
};

static const char *const ogpu_fault_names[] = {
	[OGPU_HW_FAULT_NOT_PRESENT] = "not-present",
	[OGPU_HW_FAULT_PERMISSION] = "permission",
	[OGPU_HW_FAULT_BAD_TABLE] = "bad-table",
	[OGPU_HW_FAULT_RANGE] = "range",
	[OGPU_HW_FAULT_CTX_DISABLED] = "context-disabled",
};

static const char *const ogpu_prio_names[] = {
	[DRM_OGPU_QUEUE_PRIORITY_LOW] = "low",
	[DRM_OGPU_QUEUE_PRIORITY_NORMAL] = "normal",
	[DRM_OGPU_QUEUE_PRIORITY_HIGH] = "high",
};

static const char *const ogpu_engine_names[] = {
	[DRM_OGPU_ENGINE_CLASS_COMPUTE] = "compute",
	[DRM_OGPU_ENGINE_CLASS_COPY] = "copy",
};

static u64 ogpu_dump_u64(const u32 *w)
{
	return w[0] | (u64)w[1] << 32;
}

/* "read|write|exec": OGPU_ACCESS_* and DRM_OGPU_VM_BIND_* share bits. */
static const char *ogpu_dump_access(u32 access, char *buf, size_t len)
{
	static const char *const names[] = { "read", "write", "exec" };
	size_t used = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (access & BIT(i))
			used += scnprintf(buf + used, len - used, "%s%s",
					  used ? "|" : "", names[i]);
	return used ? buf : "none";
}

/*
 * Print the packet at @w (@avail words there), at GPU VA @va, with @mark
 * at the end of its line. Return: its length in words, or 0 when its
 * header cannot be trusted to find the next one.
 */
static u32 ogpu_dump_packet(struct drm_printer *p, const u32 *w, u32 avail,
			    u64 va, const char *mark)
{
	u32 op = OGPU_PKT_OP(w[0]), ndw = OGPU_PKT_NDW(w[0]);
	bool known = op < ARRAY_SIZE(ogpu_pkt_names) && ogpu_pkt_names[op];
	u32 want = known ? ogpu_pkt_ndw[op] : 0;

	drm_printf(p, "  %#014llx  ", va);
	if (!known) {
		drm_printf(p, "UNKNOWN opcode %#04x dwords %u header %#010x%s\n",
			   op, ndw, w[0], mark);
		return ndw <= avail ? ndw : 0;
	}
	if (!ndw || ndw > avail ||
	    (want && ndw != want &&
	     !(op == OGPU_PKT_WRITE_DATA &&
	       ndw == OGPU_PKT_WRITE_DATA64_NDW))) {
		drm_printf(p, "%s with bad length: dwords %u (%u here) header %#010x%s\n",
			   ogpu_pkt_names[op], ndw, avail, w[0], mark);
		return 0;
	}

	drm_printf(p, "%s", ogpu_pkt_names[op]);
	switch (op) {
	case OGPU_PKT_NOP:
		drm_printf(p, " dwords %u", ndw);
		break;
	case OGPU_PKT_WRITE_DATA:
		if (ndw == OGPU_PKT_WRITE_DATA32_NDW)
			drm_printf(p, " va %#llx value32 %#x",
				   ogpu_dump_u64(&w[1]), w[3]);
		else
			drm_printf(p, " va %#llx value64 %#llx",
				   ogpu_dump_u64(&w[1]), ogpu_dump_u64(&w[3]));
		break;
	case OGPU_PKT_FENCE:
		drm_printf(p, " va %#llx seqno %llu", ogpu_dump_u64(&w[1]),
			   ogpu_dump_u64(&w[3]));
		break;
	case OGPU_PKT_COPY:
		drm_printf(p, " src %#llx dst %#llx size %llu",
			   ogpu_dump_u64(&w[1]), ogpu_dump_u64(&w[3]),
			   ogpu_dump_u64(&w[5]));
		break;
	case OGPU_PKT_FILL:
		drm_printf(p, " dst %#llx size %llu value %#x",
			   ogpu_dump_u64(&w[1]), ogpu_dump_u64(&w[3]), w[5]);
		break;
	case OGPU_PKT_SEM_WAIT:
	case OGPU_PKT_SEM_SIGNAL:
		drm_printf(p, " va %#llx value %#llx", ogpu_dump_u64(&w[1]),
			   ogpu_dump_u64(&w[3]));
		break;
	case OGPU_PKT_TIMESTAMP:
		drm_printf(p, " va %#llx", ogpu_dump_u64(&w[1]));
		break;
	case OGPU_PKT_INDIRECT:
		drm_printf(p, " va %#llx dwords %u", ogpu_dump_u64(&w[1]),
			   w[3]);
		break;
	case OGPU_PKT_DISPATCH:
		drm_printf(p, " entry %#llx args %#llx+%u",
			   ogpu_dump_u64(&w[1]), ogpu_dump_u64(&w[3]), w[5]);
		drm_printf(p, " grid %ux%ux%u block %ux%ux%u shared %u flags %#x",
			   w[6], w[7], w[8], w[9], w[10], w[11], w[12],
			   w[13]);
		break;
	}
	drm_printf(p, "%s\n", mark);
	return ndw;
}

/* Print @n words at @va, packet by packet, marking the failing one. */
static void ogpu_dump_packets(struct drm_printer *p, const struct ogpu_dump *d,
			      const u32 *w, u32 n, u64 va, u64 ring_va,
			      u32 ring_size)
{
	const struct ogpu_hang *h = d->q->hang;
	u32 i = 0, ndw;

	while (i < n) {
		/* In the ring, addresses wrap at its end. */
		u64 at = ring_va ? ring_va + ((va - ring_va + 4ull * i) &
					      (ring_size - 1)) :
				   va + 4ull * i;
		bool failing = at == h->pkt_addr;
		bool rptr = ring_va && at == ring_va + h->rptr;
		char mark[48];

		scnprintf(mark, sizeof(mark), "%s%s",
			  failing ? "  <== failing packet" : "",
			  rptr ? "  <-- RPTR" : "");
		ndw = ogpu_dump_packet(p, &w[i], n - i, at, mark);
		if (!ndw) {
			drm_printf(p, "  (decoding stops here)\n");
			return;
		}
		i += ndw;
	}
}

/* Copy the ring from the failing job (or from RPTR) up to WPTR. */
static void ogpu_dump_ring(struct ogpu_dump *d)
{
	const struct ogpu_coredump_queue *q = d->q;
	const struct ogpu_hang *h = q->hang;
	u32 mask = q->ring_size - 1, i;

	d->ring_start = (h->job_seqno ? h->job_head : h->rptr) & mask & ~3u;
	d->ring_dw = min_t(u32, ((h->wptr - d->ring_start) & mask) / 4,
			   OGPU_DUMP_RING_DW);
	for (i = 0; i < d->ring_dw; i++)
		d->ring[i] = le32_to_cpu(READ_ONCE(q->ring[((d->ring_start / 4) + i) &
							   (mask / 4)]));
}

/*
 * The failing job's command buffers are the INDIRECT packets the driver
 * wrote to the ring for it, before its FENCE: read the first few through
 * the VM.
 */
static void ogpu_dump_cmdbufs(struct ogpu_dump *d)
{
	u32 i = 0;

	if (!d->q->hang->job_seqno)
		return;
	while (i + OGPU_PKT_INDIRECT_NDW <= d->ring_dw &&
	       d->ring[i] == OGPU_PKT(OGPU_PKT_INDIRECT, OGPU_PKT_INDIRECT_NDW)) {
		if (d->ncmdbufs < OGPU_DUMP_CMDBUFS) {
			struct ogpu_dump_cmdbuf *cb = &d->cmdbufs[d->ncmdbufs];
			u32 dw;

			cb->va = ogpu_dump_u64(&d->ring[i + 1]);
			cb->size_dw = d->ring[i + 3];
			dw = min_t(u32, cb->size_dw, OGPU_DUMP_CMDBUF_DW);
			cb->read_dw = ogpu_vm_read(d->q->vm, cb->va, cb->words,
						   4 * dw) / 4;
			le32_to_cpu_array(cb->words, cb->read_dw);
		}
		d->ncmdbufs++;
		i += OGPU_PKT_INDIRECT_NDW;
	}
}

/* The VM's mappings near the fault, or else near the failing packet. */
static void ogpu_dump_mappings(struct ogpu_dump *d)
{
	const struct ogpu_hang *h = d->q->hang;
	u64 at = h->error == OGPU_HW_QE_FAULT ? h->error_addr :
		 h->error_addr ?: h->pkt_addr;

	d->map_start = at > OGPU_DUMP_WINDOW ? at - OGPU_DUMP_WINDOW : 0;
	d->map_end = at < U64_MAX - OGPU_DUMP_WINDOW ? at + OGPU_DUMP_WINDOW :
		     U64_MAX;
	d->nmaps = ogpu_vm_mappings(d->q->vm, d->map_start, d->map_end,
				    d->maps, OGPU_DUMP_MAPPINGS);
}

static void ogpu_dump_print_head(struct drm_printer *p, struct ogpu_device *odev,
				 const struct ogpu_dump *d)
{
	const struct ogpu_coredump_queue *q = d->q;
	const struct ogpu_hang *h = q->hang;
	char access[24];

	drm_printf(p, "ogpu devcoredump\n");
	drm_printf(p, "kernel: %s\n", init_utsname()->release);
	drm_printf(p, "time: %lld.%09ld\n", (long long)h->time.tv_sec,
		   h->time.tv_nsec);
	drm_printf(p, "device: %s instance %u hw %u.%u\n",
		   dev_name(odev->drm.dev), odev->info.instance,
		   OGPU_HW_VERSION_GET_MAJOR(odev->info.version),
		   OGPU_HW_VERSION_GET_MINOR(odev->info.version));
	drm_printf(p, "reason: %s\n",
		   ogpu_dump_name(ogpu_reason_names,
				  ARRAY_SIZE(ogpu_reason_names), h->reason));
	drm_printf(p, "process: pid %d comm %s\n", q->pid, q->comm);
	drm_printf(p, "queue: slot %u engine %s", q->slot,
		   ogpu_dump_name(ogpu_engine_names,
				  ARRAY_SIZE(ogpu_engine_names),
				  q->engine_class));
	drm_printf(p, " priority %s mmu-context %u job %llu\n",
		   ogpu_dump_name(ogpu_prio_names, ARRAY_SIZE(ogpu_prio_names),
				  q->priority),
		   OGPU_HW_QC_CTX(h->control), h->job_seqno);
	drm_printf(p, "registers: control %#010x rptr %#x wptr %#x", h->control,
		   h->rptr, h->wptr);
	drm_printf(p, " status %s",
		   ogpu_dump_name(ogpu_status_names,
				  ARRAY_SIZE(ogpu_status_names), h->status));
	drm_printf(p, " error %s error-address %#llx packet-address %#llx\n",
		   ogpu_dump_name(ogpu_error_names,
				  ARRAY_SIZE(ogpu_error_names), h->error),
		   h->error_addr, h->pkt_addr);
	if (h->error != OGPU_HW_QE_FAULT)
		return;
	if (!(h->fault_status & OGPU_HW_FAULT_VALID)) {
		drm_printf(p, "fault: address %#llx (the MMU latched another fault first)\n",
			   h->error_addr);
		return;
	}
	drm_printf(p, "fault: address %#llx access %s", h->fault_addr,
		   ogpu_dump_access(OGPU_HW_FAULT_ACCESS(h->fault_status), access,
				    sizeof(access)));
	drm_printf(p, " reason %s%s status %#010x\n",
		   ogpu_dump_name(ogpu_fault_names,
				  ARRAY_SIZE(ogpu_fault_names),
				  OGPU_HW_FAULT_REASON(h->fault_status)),
		   h->fault_status & OGPU_HW_FAULT_USER ? " user" : "",
		   h->fault_status);
}

static void ogpu_dump_print(struct drm_printer *p, struct ogpu_device *odev,
			    const struct ogpu_dump *d)
{
	const struct ogpu_coredump_queue *q = d->q;
	char access[24];
	u32 i;

	ogpu_dump_print_head(p, odev, d);

	drm_printf(p, "ring: va %#llx size %u, %u dwords from offset %#x%s\n",
		   q->ring_va, q->ring_size, d->ring_dw, d->ring_start,
		   q->hang->job_seqno ? " (the failing job's first packet)" :
		   " (RPTR; no job was running)");
	ogpu_dump_packets(p, d, d->ring, d->ring_dw, q->ring_va + d->ring_start,
			  q->ring_va, q->ring_size);

	drm_printf(p, "cmdbufs: %u\n", d->ncmdbufs);
	for (i = 0; i < min_t(u32, d->ncmdbufs, OGPU_DUMP_CMDBUFS); i++) {
		const struct ogpu_dump_cmdbuf *cb = &d->cmdbufs[i];

		drm_printf(p, "cmdbuf %u: va %#llx dwords %u, %u shown%s\n", i,
			   cb->va, cb->size_dw, cb->read_dw,
			   cb->read_dw < min_t(u32, cb->size_dw,
					       OGPU_DUMP_CMDBUF_DW) ?
			   " (not all of it is mapped or resident)" : "");
		ogpu_dump_packets(p, d, cb->words, cb->read_dw, cb->va, 0, 0);
	}

	drm_printf(p, "mappings: %u in [%#llx, %#llx)\n", d->nmaps,
		   d->map_start, d->map_end);
	for (i = 0; i < min_t(u32, d->nmaps, OGPU_DUMP_MAPPINGS); i++) {
		const struct ogpu_vm_mapping *m = &d->maps[i];

		drm_printf(p, "  %#014llx-%#014llx  bo-size %llu bo-offset %#llx %s\n",
			   m->va, m->va + m->range, m->bo_size, m->bo_offset,
			   ogpu_dump_access(m->flags, access, sizeof(access)));
	}
	/* The queue's own driver pages, privileged, when in the window. */
	if (q->ring_va < d->map_end && q->ring_va + q->ring_size > d->map_start)
		drm_printf(p, "  %#014llx-%#014llx  %s read|exec\n", q->ring_va,
			   q->ring_va + q->ring_size,
			   "this queue's ring (driver, privileged)");
	if (q->fence_va < d->map_end && q->fence_va + PAGE_SIZE > d->map_start)
		drm_printf(p, "  %#014llx-%#014llx  %s read|write\n", q->fence_va,
			   q->fence_va + PAGE_SIZE,
			   "this queue's fence word (driver, privileged)");
	drm_printf(p, "end\n");
}

/**
 * ogpu_coredump_capture() - capture a failed queue as a devcoredump
 * @odev: the device
 * @q: the queue and its failure
 *
 * Process context; sleeps and allocates. Does nothing if the device is
 * gone, or if memory is short: a dump is a help, not a duty.
 */
void ogpu_coredump_capture(struct ogpu_device *odev,
			   const struct ogpu_coredump_queue *q)
{
	struct drm_print_iterator iter = { .remain = SSIZE_MAX };
	struct drm_printer p = drm_coredump_printer(&iter);
	struct ogpu_dump *d;
	size_t len;
	char *buf;
	int idx;

	d = kvzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return;
	d->q = q;
	if (!drm_dev_enter(&odev->drm, &idx))
		goto out_free;

	ogpu_dump_ring(d);
	ogpu_dump_cmdbufs(d);
	ogpu_dump_mappings(d);

	/* Measure, then print into a buffer of that size. */
	ogpu_dump_print(&p, odev, d);
	len = iter.offset;
	buf = vmalloc(len + 1);
	if (!buf)
		goto out_exit;
	iter = (struct drm_print_iterator){ .data = buf, .remain = len + 1 };
	p = drm_coredump_printer(&iter);
	ogpu_dump_print(&p, odev, d);
	/*
	 * Inside drm_dev_enter(): the remove path's dev_coredump_put()
	 * comes after, and finds this dump. devcoredump frees @buf.
	 */
	dev_coredumpv(odev->drm.dev, buf, iter.offset, GFP_KERNEL);
out_exit:
	drm_dev_exit(idx);
out_free:
	kvfree(d);
}
