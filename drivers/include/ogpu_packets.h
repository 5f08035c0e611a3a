/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The OGPU's command packets: what the command processor executes from a
 * queue's ring and from command buffers. Shared by the device model, the
 * driver and libogpu, which builds command buffers in userspace; plain
 * C, so that the kernel and any C compiler take it. Documentation/hardware.rst
 * specifies each packet.
 *
 * Every packet has its length here once, OGPU_PKT_*_NDW, and one encoder,
 * ogpu_pkt_*(), that writes it into an array of CPU-order words and returns
 * that length; whoever builds or checks packets uses them, so that a
 * packet's layout cannot differ between its writers and its readers.
 */
#ifndef __OGPU_PACKETS_H__
#define __OGPU_PACKETS_H__

#include <linux/types.h>

/*
 * Packets: little-endian 32-bit words. The header holds the opcode in
 * bits 7:0 and the packet's length in words, header included, in bits
 * 31:16. 64-bit fields are two words, low first.
 */
#define OGPU_PKT(op, ndw)		((op) | (ndw) << 16)
#define OGPU_PKT_OP(h)			((h) & 0xff)
#define OGPU_PKT_NDW(h)			((h) >> 16)

/*
 * Packets marked "ring only" are privileged: inside an indirect buffer
 * they halt the queue with OGPU_HW_QE_BAD_PACKET.
 */
#define OGPU_PKT_NOP			0x00	/* any length: skipped */
#define OGPU_PKT_WRITE_DATA		0x01	/* addr, value32 | value64 */
#define OGPU_PKT_FENCE			0x02	/* addr, seq64: ring only */
#define OGPU_PKT_COPY			0x03	/* src, dst, size64 */
#define OGPU_PKT_FILL			0x04	/* dst, size64, value32 */
#define OGPU_PKT_SEM_WAIT		0x05	/* addr, value64: until >= */
#define OGPU_PKT_SEM_SIGNAL		0x06	/* addr, value64 */
#define OGPU_PKT_TIMESTAMP		0x07	/* addr: write time in ns */
#define OGPU_PKT_INDIRECT		0x08	/* addr, ndw: ring only */
/*
 * Run a kernel on the compute units: entry VA, argument VA (a0 at entry),
 * argument bytes, grid x y z (blocks), block x y z (threads), shared bytes,
 * flags (0). Packets after it wait until every block has ended.
 */
#define OGPU_PKT_DISPATCH		0x09

/* Each packet's length in words, header included. */
#define OGPU_PKT_NOP_NDW		1	/* the shortest; any is valid */
#define OGPU_PKT_WRITE_DATA32_NDW	4
#define OGPU_PKT_WRITE_DATA64_NDW	5
#define OGPU_PKT_FENCE_NDW		5
#define OGPU_PKT_COPY_NDW		7
#define OGPU_PKT_FILL_NDW		6
#define OGPU_PKT_SEM_WAIT_NDW		5
#define OGPU_PKT_SEM_SIGNAL_NDW		5
#define OGPU_PKT_TIMESTAMP_NDW		3
#define OGPU_PKT_INDIRECT_NDW		4
#define OGPU_PKT_DISPATCH_NDW		14
/* The longest packet: an array this long holds any of them. */
#define OGPU_PKT_MAX_NDW		OGPU_PKT_DISPATCH_NDW

/*
 * The encoders. Each writes its packet at @w, which must have room for
 * it, and returns its length in words. The words are in CPU order: the
 * kernel converts them to little endian as it writes them to memory.
 */

/* A 64-bit field: two words, low first. */
static inline void ogpu_pkt_put64(__u32 *w, __u64 v)
{
	w[0] = (__u32)v;
	w[1] = (__u32)(v >> 32);
}

/* A one-word NOP. */
static inline unsigned int ogpu_pkt_nop(__u32 *w)
{
	w[0] = OGPU_PKT(OGPU_PKT_NOP, OGPU_PKT_NOP_NDW);
	return OGPU_PKT_NOP_NDW;
}

/* Write the 32-bit @value at GPU VA @va. */
static inline unsigned int ogpu_pkt_write_data32(__u32 *w, __u64 va,
						 __u32 value)
{
	w[0] = OGPU_PKT(OGPU_PKT_WRITE_DATA, OGPU_PKT_WRITE_DATA32_NDW);
	ogpu_pkt_put64(&w[1], va);
	w[3] = value;
	return OGPU_PKT_WRITE_DATA32_NDW;
}

/* Write the 64-bit @value at GPU VA @va. */
static inline unsigned int ogpu_pkt_write_data64(__u32 *w, __u64 va,
						 __u64 value)
{
	w[0] = OGPU_PKT(OGPU_PKT_WRITE_DATA, OGPU_PKT_WRITE_DATA64_NDW);
	ogpu_pkt_put64(&w[1], va);
	ogpu_pkt_put64(&w[3], value);
	return OGPU_PKT_WRITE_DATA64_NDW;
}

/* Write @seqno at @va once everything before has finished; ring only. */
static inline unsigned int ogpu_pkt_fence(__u32 *w, __u64 va, __u64 seqno)
{
	w[0] = OGPU_PKT(OGPU_PKT_FENCE, OGPU_PKT_FENCE_NDW);
	ogpu_pkt_put64(&w[1], va);
	ogpu_pkt_put64(&w[3], seqno);
	return OGPU_PKT_FENCE_NDW;
}

/* Copy @size bytes from @src to @dst (the packet holds src first). */
static inline unsigned int ogpu_pkt_copy(__u32 *w, __u64 dst, __u64 src,
					 __u64 size)
{
	w[0] = OGPU_PKT(OGPU_PKT_COPY, OGPU_PKT_COPY_NDW);
	ogpu_pkt_put64(&w[1], src);
	ogpu_pkt_put64(&w[3], dst);
	ogpu_pkt_put64(&w[5], size);
	return OGPU_PKT_COPY_NDW;
}

/* Fill @size bytes at @dst with the 32-bit @value. */
static inline unsigned int ogpu_pkt_fill(__u32 *w, __u64 dst, __u64 size,
					 __u32 value)
{
	w[0] = OGPU_PKT(OGPU_PKT_FILL, OGPU_PKT_FILL_NDW);
	ogpu_pkt_put64(&w[1], dst);
	ogpu_pkt_put64(&w[3], size);
	w[5] = value;
	return OGPU_PKT_FILL_NDW;
}

/* Wait until the 64-bit word at @va is >= @value. */
static inline unsigned int ogpu_pkt_sem_wait(__u32 *w, __u64 va, __u64 value)
{
	w[0] = OGPU_PKT(OGPU_PKT_SEM_WAIT, OGPU_PKT_SEM_WAIT_NDW);
	ogpu_pkt_put64(&w[1], va);
	ogpu_pkt_put64(&w[3], value);
	return OGPU_PKT_SEM_WAIT_NDW;
}

/* Write @value to the 64-bit word at @va, releasing its waiters. */
static inline unsigned int ogpu_pkt_sem_signal(__u32 *w, __u64 va,
					       __u64 value)
{
	w[0] = OGPU_PKT(OGPU_PKT_SEM_SIGNAL, OGPU_PKT_SEM_SIGNAL_NDW);
	ogpu_pkt_put64(&w[1], va);
	ogpu_pkt_put64(&w[3], value);
	return OGPU_PKT_SEM_SIGNAL_NDW;
}

/* Write the device's time in ns, 64 bits, at @va. */
static inline unsigned int ogpu_pkt_timestamp(__u32 *w, __u64 va)
{
	w[0] = OGPU_PKT(OGPU_PKT_TIMESTAMP, OGPU_PKT_TIMESTAMP_NDW);
	ogpu_pkt_put64(&w[1], va);
	return OGPU_PKT_TIMESTAMP_NDW;
}

/* Run the @ndw words at @va, a command buffer; ring only. */
static inline unsigned int ogpu_pkt_indirect(__u32 *w, __u64 va, __u32 ndw)
{
	w[0] = OGPU_PKT(OGPU_PKT_INDIRECT, OGPU_PKT_INDIRECT_NDW);
	ogpu_pkt_put64(&w[1], va);
	w[3] = ndw;
	return OGPU_PKT_INDIRECT_NDW;
}

/*
 * Run the kernel at @entry with @args_size bytes of arguments at @args,
 * @grid blocks of @block threads (x, y, z) and @shared bytes of shared
 * memory per block; flags are 0.
 */
static inline unsigned int ogpu_pkt_dispatch(__u32 *w, __u64 entry,
					     __u64 args, __u32 args_size,
					     const __u32 grid[3],
					     const __u32 block[3],
					     __u32 shared)
{
	w[0] = OGPU_PKT(OGPU_PKT_DISPATCH, OGPU_PKT_DISPATCH_NDW);
	ogpu_pkt_put64(&w[1], entry);
	ogpu_pkt_put64(&w[3], args);
	w[5] = args_size;
	w[6] = grid[0];
	w[7] = grid[1];
	w[8] = grid[2];
	w[9] = block[0];
	w[10] = block[1];
	w[11] = block[2];
	w[12] = shared;
	w[13] = 0;
	return OGPU_PKT_DISPATCH_NDW;
}

#endif /* __OGPU_PACKETS_H__ */
