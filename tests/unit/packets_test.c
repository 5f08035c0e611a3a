// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The packet encoders of drivers/include/ogpu_packets.h, which the driver
 * and libogpu build every packet with: each one's words against the layout
 * Documentation/hardware.rst gives, written out by hand here, and its
 * header against its length constant.
 */
#include <stdint.h>
#include <string.h>

#include "ogpu_packets.h"
/*
 * The public ogpu.h and the hardware's ogpu_hw.h never define the same
 * name: every hardware macro starts with OGPU_HW_ (packets: OGPU_PKT_),
 * and this file, built with -Werror, includes both.
 */
#include "kcompat.h"
#include "ogpu.h"
#include "ogpu_hw.h"

#include "kselftest_harness.h"

#define LO(x)	((uint32_t)(x))
#define HI(x)	((uint32_t)((uint64_t)(x) >> 32))

/* Distinct halves, so that a swapped or dropped word shows. */
#define VA	0x0000123456789ab0ull
#define VAL	0xfedcba9876543210ull
#define SIZE	0x0000000200000040ull

/* @n words at @w are @op's packet, @ndw long, and equal @want. */
static void expect_packet(struct __test_metadata *_metadata,
			  const uint32_t *w, unsigned int n, unsigned int op,
			  unsigned int ndw, const uint32_t *want)
{
	unsigned int i;

	ASSERT_EQ(ndw, n);
	EXPECT_EQ(op, OGPU_PKT_OP(w[0]));
	EXPECT_EQ(ndw, OGPU_PKT_NDW(w[0]));
	EXPECT_LE(ndw, (unsigned int)OGPU_PKT_MAX_NDW);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(want[i], w[i]) {
			TH_LOG("word %u", i);
		}
	}
	/* Nothing past the packet. */
	EXPECT_EQ(0xa5a5a5a5u, w[n]);
}

#define EXPECT_PACKET(n, op, ndw, ...)					\
	do {								\
		const uint32_t want_[] = { __VA_ARGS__ };		\
									\
		ASSERT_EQ((size_t)(ndw), sizeof(want_) / 4);		\
		expect_packet(_metadata, w, n, op, ndw, want_);		\
	} while (0)

FIXTURE(pkt) {
	uint32_t w[OGPU_PKT_MAX_NDW + 1];
};

FIXTURE_SETUP(pkt)
{
	memset(self->w, 0xa5, sizeof(self->w));
}

FIXTURE_TEARDOWN(pkt)
{
}

TEST_F(pkt, nop)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_nop(w), OGPU_PKT_NOP, OGPU_PKT_NOP_NDW,
		      0x00010000);
}

TEST_F(pkt, write_data32)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_write_data32(w, VA, 0xc0ffee),
		      OGPU_PKT_WRITE_DATA, OGPU_PKT_WRITE_DATA32_NDW,
		      0x00040001, LO(VA), HI(VA), 0xc0ffee);
}

TEST_F(pkt, write_data64)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_write_data64(w, VA, VAL),
		      OGPU_PKT_WRITE_DATA, OGPU_PKT_WRITE_DATA64_NDW,
		      0x00050001, LO(VA), HI(VA), LO(VAL), HI(VAL));
}

TEST_F(pkt, fence)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_fence(w, VA, VAL), OGPU_PKT_FENCE,
		      OGPU_PKT_FENCE_NDW,
		      0x00050002, LO(VA), HI(VA), LO(VAL), HI(VAL));
}

/* The encoder takes dst first, like memcpy(); the packet holds src first. */
TEST_F(pkt, copy)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_copy(w, VAL, VA, SIZE), OGPU_PKT_COPY,
		      OGPU_PKT_COPY_NDW,
		      0x00070003, LO(VA), HI(VA), LO(VAL), HI(VAL),
		      LO(SIZE), HI(SIZE));
}

TEST_F(pkt, fill)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_fill(w, VA, SIZE, 0xdeadbeef), OGPU_PKT_FILL,
		      OGPU_PKT_FILL_NDW,
		      0x00060004, LO(VA), HI(VA), LO(SIZE), HI(SIZE),
		      0xdeadbeef);
}

TEST_F(pkt, sem_wait)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_sem_wait(w, VA, VAL), OGPU_PKT_SEM_WAIT,
		      OGPU_PKT_SEM_WAIT_NDW,
		      0x00050005, LO(VA), HI(VA), LO(VAL), HI(VAL));
}

TEST_F(pkt, sem_signal)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_sem_signal(w, VA, VAL), OGPU_PKT_SEM_SIGNAL,
		      OGPU_PKT_SEM_SIGNAL_NDW,
		      0x00050006, LO(VA), HI(VA), LO(VAL), HI(VAL));
}

TEST_F(pkt, timestamp)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_timestamp(w, VA), OGPU_PKT_TIMESTAMP,
		      OGPU_PKT_TIMESTAMP_NDW, 0x00030007, LO(VA), HI(VA));
}

TEST_F(pkt, indirect)
{
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_indirect(w, VA, 1u << 20), OGPU_PKT_INDIRECT,
		      OGPU_PKT_INDIRECT_NDW,
		      0x00040008, LO(VA), HI(VA), 1u << 20);
}

TEST_F(pkt, dispatch)
{
	static const uint32_t grid[3] = { 7, 8, 9 }, block[3] = { 32, 2, 1 };
	uint32_t *w = self->w;

	EXPECT_PACKET(ogpu_pkt_dispatch(w, VA, VAL, 24, grid, block, 4096),
		      OGPU_PKT_DISPATCH, OGPU_PKT_DISPATCH_NDW,
		      0x000e0009, LO(VA), HI(VA), LO(VAL), HI(VAL), 24,
		      7, 8, 9, 32, 2, 1, 4096, 0);
}

/* Where libogpu and the hardware both name a bit, the values agree. */
TEST(public_names_have_the_hardware_values)
{
	EXPECT_EQ((unsigned int)OGPU_HW_ACCESS_READ, OGPU_ACCESS_READ);
	EXPECT_EQ((unsigned int)OGPU_HW_ACCESS_WRITE, OGPU_ACCESS_WRITE);
	EXPECT_EQ((unsigned int)OGPU_HW_ACCESS_EXEC, OGPU_ACCESS_EXEC);
	EXPECT_EQ((unsigned int)OGPU_HW_CAP_MMU, OGPU_CAP_MMU);
	EXPECT_EQ((unsigned int)OGPU_HW_CAP_QUEUES, OGPU_CAP_QUEUES);
	EXPECT_EQ((unsigned int)OGPU_HW_CAP_COPY_ENGINE, OGPU_CAP_COPY_ENGINE);
	EXPECT_EQ((unsigned int)OGPU_HW_CAP_COMPUTE, OGPU_CAP_COMPUTE);
	EXPECT_EQ((unsigned int)OGPU_HW_CAP_LINK, OGPU_CAP_LINK);
}

TEST_HARNESS_MAIN
