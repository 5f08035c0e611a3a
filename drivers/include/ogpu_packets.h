/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The OGPU's command packets: what the command processor executes from a
 * queue's ring and from command buffers. Shared by the device model, the
 * driver and libogpu, which builds command buffers in userspace; plain
 * macros, so that any C compiler takes it. Documentation/hardware.rst
 * specifies each packet.
 */
#ifndef __OGPU_PACKETS_H__
#define __OGPU_PACKETS_H__

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
 * they halt the queue with OGPU_QE_BAD_PACKET.
 */
#define OGPU_PKT_NOP			0x00	/* any length: skipped */
#define OGPU_PKT_WRITE_DATA		0x01	/* addr, value32 (4) | value64 (5) */
#define OGPU_PKT_FENCE			0x02	/* addr, seq64 (5): ring only */
#define OGPU_PKT_COPY			0x03	/* src, dst, size64 (7) */
#define OGPU_PKT_FILL			0x04	/* dst, size64, value32 (6) */
#define OGPU_PKT_SEM_WAIT		0x05	/* addr, value64 (5): until >= */
#define OGPU_PKT_SEM_SIGNAL		0x06	/* addr, value64 (5) */
#define OGPU_PKT_TIMESTAMP		0x07	/* addr (3): write time in ns */
#define OGPU_PKT_INDIRECT		0x08	/* addr, ndw (4): ring only */
/*
 * Run a kernel on the compute units: entry VA, argument VA (a0 at entry),
 * argument bytes, grid x y z (blocks), block x y z (threads), shared bytes,
 * flags (0). Packets after it wait until every block has ended (14).
 */
#define OGPU_PKT_DISPATCH		0x09
#define OGPU_PKT_DISPATCH_NDW		14

#endif /* __OGPU_PACKETS_H__ */
