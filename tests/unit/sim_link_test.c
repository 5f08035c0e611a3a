// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Host unit tests of the device model's link fabric (drivers/ogpu_sim/
 * ogpu_sim_link.c) and the PEER aperture, as Documentation/hardware.rst
 * ("Interconnect links", "The fabric") specifies them: three devices, each
 * with its own VRAM and page table, joined by links.
 */
#include <stdlib.h>

#include "ogpu_sim_core.h"
#include "cu_asm.h"
#include "sim_run.h"

#include "kselftest_harness.h"

#define NDEV		3
#define VRAM		(4u << 20)
#define TABLES		(1u << 20)	/* page tables from 1 MiB */
#define OWN_VA		0x200000u	/* 1 MiB of own VRAM, VA == offset */
#define OWN_SIZE	0x100000u
#define RING(q)		(OWN_VA + (q) * 0x1000)
#define CODE		(OWN_VA + 0x10000)
#define DATA		(OWN_VA + 0x20000)
#define PEER_VA		0x800000u	/* 64 KiB over a link */
#define PEER_ADDR	0x300000u	/* where PEER_VA lands in the peer */
#define FAR_VA		0x900000u	/* a PEER page past the peer's VRAM */
#define NOLINK_VA	0x910000u	/* a PEER page on a port with no link */
#define MBPS		1000u
#define LAT		500u

static u64 delayed_ns;
static int kicks;

static void rec_delay(void *ctx, u64 ns)
{
	delayed_ns += ns;
}

static void rec_kick(void *ctx)
{
	kicks++;
}

static const struct ogpu_sim_host_ops ops = {
	.delay = rec_delay,
	.link_kick = rec_kick,
};

struct dev {
	struct ogpu_sim_core core;
	u8 *vram;
	u64 next_table;
	u32 wptr;
};

FIXTURE(link) {
	struct dev d[NDEV];
	struct ogpu_sim_link l[2];
};

static u64 get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

/* Map the 4 KiB page at @va of device @d to @pte (context 1). */
static void map4k(struct dev *d, u64 va, u64 pte)
{
	u64 table = TABLES, slot, e;
	int level;

	for (level = 3; level > 0; level--) {
		slot = table + 8 * OGPU_HW_PT_INDEX(va, level);
		e = get64(d->vram + slot);
		if (!(e & OGPU_HW_PTE_VALID)) {
			d->next_table += 4096;
			e = d->next_table | OGPU_HW_PTE_VALID;
			memcpy(d->vram + slot, &e, 8);
		}
		table = e & OGPU_HW_PTE_ADDR_MASK;
	}
	memcpy(d->vram + table + 8 * OGPU_HW_PT_INDEX(va, 0), &pte, 8);
}

#define RWX	(OGPU_HW_PTE_VALID | OGPU_HW_PTE_READ | OGPU_HW_PTE_WRITE | \
		 OGPU_HW_PTE_EXEC)
#define PEER(port, addr) \
	(RWX | (u64)OGPU_HW_APERTURE_PEER << OGPU_HW_PTE_APERTURE_SHIFT | \
	 OGPU_HW_PTE_PEER(port) | (addr))

static u32 rd(struct dev *d, u32 reg)
{
	u32 v = 0xdeadbeef;

	ogpu_sim_core_read(&d->core, reg, &v);
	return v;
}

static void wr(struct dev *d, u32 reg, u32 v)
{
	ogpu_sim_core_write(&d->core, reg, v);
}

FIXTURE_SETUP(link)
{
	struct ogpu_sim_config cfg = {
		.vram_size = VRAM, .num_cus = 4, .cu_lanes = 32,
		.compute_engines = 1, .copy_engines = 1, .link_ports = 4,
	};
	u32 i, va;

	delayed_ns = 0;
	kicks = 0;
	for (i = 0; i < NDEV; i++) {
		struct dev *d = &self->d[i];

		cfg.instance = 10 + i;
		d->vram = calloc(1, VRAM);
		ASSERT_NE(NULL, d->vram);
		ogpu_sim_core_init(&d->core, &cfg, d->vram, &ops, NULL);
		d->next_table = TABLES;
		for (va = OWN_VA; va < OWN_VA + OWN_SIZE; va += 4096)
			map4k(d, va, RWX | va);
		/* Port 1 leads to the peer's PEER_ADDR. */
		for (va = 0; va < 0x10000; va += 4096)
			map4k(d, PEER_VA + va, PEER(1, PEER_ADDR + va));
		map4k(d, FAR_VA, PEER(1, VRAM));
		map4k(d, NOLINK_VA, PEER(3, 0));
		wr(d, OGPU_HW_MMU_CTX_ROOT_LO(1), TABLES | OGPU_HW_MMU_CTX_ENABLE);
		wr(d, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);
	}
	/* Device 0's port 1 to device 1's port 1, UP. */
	ASSERT_EQ(0, ogpu_sim_link_check(&self->d[0].core, 1,
					 &self->d[1].core, 1, MBPS));
	ogpu_sim_link_join(&self->l[0], &self->d[0].core, 1, &self->d[1].core,
			   1, MBPS, LAT);
	ogpu_sim_link_trained(&self->l[0]);
}

FIXTURE_TEARDOWN(link)
{
	u32 i;

	for (i = 0; i < NDEV; i++)
		free(self->d[i].vram);
}

static int xfer(struct dev *d, u64 va, void *buf, u32 len, bool write)
{
	return ogpu_sim_core_vm_access(&d->core, 1, va, buf, len,
				       write ? OGPU_HW_ACCESS_WRITE :
				       OGPU_HW_ACCESS_READ, true);
}

static u64 ctr(struct dev *d, u32 lo_reg)
{
	u32 lo = rd(d, lo_reg);

	return lo | (u64)rd(d, lo_reg + 4) << 32;
}

static u32 fault_reason(struct dev *d)
{
	return OGPU_HW_FAULT_REASON(rd(d, OGPU_HW_REG_MMU_FAULT_STATUS));
}

TEST(topology_shapes)
{
	struct ogpu_sim_link_spec s[32];
	u32 used[8][8] = {}, i;

	EXPECT_EQ(0, ogpu_sim_topology("none", 4, 4, s, 32));
	EXPECT_EQ(0, ogpu_sim_topology("ring", 1, 4, s, 32));
	ASSERT_EQ(1, ogpu_sim_topology("ring", 2, 2, s, 32));
	EXPECT_EQ(0u, s[0].a);
	EXPECT_EQ(0u, s[0].pa);
	EXPECT_EQ(1u, s[0].b);
	EXPECT_EQ(1u, s[0].pb);
	ASSERT_EQ(4, ogpu_sim_topology("ring", 4, 2, s, 32));
	EXPECT_EQ(3u, s[3].a);
	EXPECT_EQ(0u, s[3].pa);
	EXPECT_EQ(0u, s[3].b);
	EXPECT_EQ(1u, s[3].pb);
	/* full: i reaches j on port j - 1 when j > i, else on port j. */
	ASSERT_EQ(6, ogpu_sim_topology("full", 4, 3, s, 32));
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(s[i].b - 1, s[i].pa);
		EXPECT_EQ(s[i].a, s[i].pb);
	}
	/* hcm: 12 links in the quads, 4 across; every port 0-3 used once. */
	ASSERT_EQ(16, ogpu_sim_topology("hcm", 8, 4, s, 32));
	for (i = 0; i < 16; i++) {
		used[s[i].a][s[i].pa]++;
		used[s[i].b][s[i].pb]++;
		EXPECT_EQ(s[i].a < 4, s[i].b < 4 || s[i].pa == 3);
		if (s[i].pa == 3)
			EXPECT_EQ(s[i].a + 4, s[i].b);
	}
	for (i = 0; i < 32; i++)
		EXPECT_EQ(1u, used[i / 4][i % 4]);
	/* The count without room for the links. */
	EXPECT_EQ(28, ogpu_sim_topology("full", 8, 7, NULL, 0));
	EXPECT_EQ(-EINVAL, ogpu_sim_topology("star", 4, 4, s, 32));
	EXPECT_EQ(-EINVAL, ogpu_sim_topology("full", 4, 2, s, 32));
	EXPECT_EQ(-EINVAL, ogpu_sim_topology("ring", 3, 1, s, 32));
	EXPECT_EQ(-EINVAL, ogpu_sim_topology("hcm", 7, 4, s, 32));
	EXPECT_EQ(-EINVAL, ogpu_sim_topology("hcm", 8, 3, s, 32));
}

TEST_F(link, join_errors)
{
	struct ogpu_sim_core *a = &self->d[0].core, *c = &self->d[2].core;

	EXPECT_EQ(-EINVAL, ogpu_sim_link_check(a, 4, c, 0, MBPS));
	EXPECT_EQ(-EINVAL, ogpu_sim_link_check(a, 0, c, 4, MBPS));
	EXPECT_EQ(-EINVAL, ogpu_sim_link_check(a, 0, a, 2, MBPS));
	EXPECT_EQ(-EINVAL, ogpu_sim_link_check(a, 0, c, 0, 0));
	EXPECT_EQ(-EBUSY, ogpu_sim_link_check(a, 1, c, 0, MBPS));
	EXPECT_EQ(-EBUSY, ogpu_sim_link_check(c, 0, &self->d[1].core, 1, MBPS));
	EXPECT_EQ(0, ogpu_sim_link_check(a, 0, c, 0, MBPS));
}

TEST_F(link, registers_on_both_ends)
{
	struct dev *a = &self->d[0], *b = &self->d[1], *c = &self->d[2];
	u32 i;

	EXPECT_EQ(0x00010001u, rd(a, OGPU_HW_REG_VERSION));
	EXPECT_TRUE(rd(a, OGPU_HW_REG_CAPS) & OGPU_HW_CAP_LINK);
	for (i = 0; i < 2; i++) {
		struct dev *d = &self->d[i];

		EXPECT_EQ(OGPU_HW_LINK_UP, rd(d, OGPU_HW_LINK_STATE(1)));
		EXPECT_EQ(OGPU_HW_LINK_PEER_VAL(10 + !i, 1),
			  rd(d, OGPU_HW_LINK_PEER(1)));
		EXPECT_EQ(MBPS, rd(d, OGPU_HW_LINK_BANDWIDTH(1)));
		EXPECT_EQ(MBPS, rd(d, OGPU_HW_LINK_NOMINAL_BW(1)));
		EXPECT_EQ(LAT, rd(d, OGPU_HW_LINK_LATENCY(1)));
		/* Joined (TRAINING), then UP. */
		EXPECT_EQ(2u, rd(d, OGPU_HW_REG_LINK_GENERATION));
		EXPECT_EQ(1u << 1, rd(d, OGPU_HW_REG_LINK_CHANGED));
		EXPECT_TRUE(rd(d, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_LINK);
		/* A port without a link, and one past LINK_PORTS. */
		EXPECT_EQ(OGPU_HW_LINK_DOWN, rd(d, OGPU_HW_LINK_STATE(0)));
		EXPECT_EQ(0u, rd(d, OGPU_HW_LINK_PEER(0)));
		EXPECT_EQ(0u, rd(d, OGPU_HW_LINK_BANDWIDTH(5)));
	}
	/* Device 2 saw nothing; read-only registers ignore writes. */
	EXPECT_EQ(0u, rd(c, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_FALSE(rd(c, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_LINK);
	wr(a, OGPU_HW_LINK_STATE(1), 0);
	wr(a, OGPU_HW_REG_LINK_GENERATION, 0);
	EXPECT_EQ(OGPU_HW_LINK_UP, rd(a, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(2u, rd(a, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_EQ(4, kicks);	/* two changes, two ends */
	(void)b;
}

TEST_F(link, changed_is_rw1c_and_every_change_raises_irq_link)
{
	struct dev *a = &self->d[0], *b = &self->d[1];

	wr(a, OGPU_HW_REG_LINK_CHANGED, 1u << 0);
	EXPECT_EQ(1u << 1, rd(a, OGPU_HW_REG_LINK_CHANGED));
	wr(a, OGPU_HW_REG_LINK_CHANGED, 1u << 1);
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_LINK_CHANGED));
	wr(a, OGPU_HW_REG_IRQ_STATUS, OGPU_HW_IRQ_LINK);
	EXPECT_FALSE(ogpu_sim_core_irq_line(&a->core));
	/* The other end's bit is its own. */
	EXPECT_EQ(1u << 1, rd(b, OGPU_HW_REG_LINK_CHANGED));

	ogpu_sim_link_set_latency(&self->l[0], 7);	/* not a change */
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_LINK_CHANGED));
	EXPECT_EQ(7u, rd(b, OGPU_HW_LINK_LATENCY(1)));

	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	EXPECT_EQ(1u << 1, rd(a, OGPU_HW_REG_LINK_CHANGED));
	EXPECT_EQ(3u, rd(a, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_EQ(3u, rd(b, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_TRUE(ogpu_sim_core_irq_line(&a->core));
	EXPECT_EQ(OGPU_HW_LINK_DOWN, rd(b, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(1u, rd(a, OGPU_HW_LINK_DOWN_EVENTS(1)));
	EXPECT_EQ(1u, rd(b, OGPU_HW_LINK_DOWN_EVENTS(1)));
	/* A link that is down still names its peer. */
	EXPECT_EQ(OGPU_HW_LINK_PEER_VAL(11, 1), rd(a, OGPU_HW_LINK_PEER(1)));
	/* Taking it down again changes nothing. */
	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	EXPECT_EQ(3u, rd(a, OGPU_HW_REG_LINK_GENERATION));
}

TEST_F(link, counters_add_up_for_reads_and_writes)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u8 buf[1000], back[300];
	u32 i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 7;
	ASSERT_EQ(0, xfer(a, PEER_VA + 0x100, buf, sizeof(buf), true));
	EXPECT_EQ(0, memcmp(b->vram + PEER_ADDR + 0x100, buf, sizeof(buf)));
	ASSERT_EQ(0, xfer(a, PEER_VA + 0x200, back, sizeof(back), false));
	EXPECT_EQ(0, memcmp(back, buf + 0x100, sizeof(back)));

	/* The write: 1000 bytes in 4 packets, a to b. */
	EXPECT_EQ(1000u, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(4u, ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	EXPECT_EQ(1000u, ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(4u, ctr(b, OGPU_HW_LINK_RX_PACKETS_LO(1)));
	/* The read: 300 bytes in 2 packets, b to a. */
	EXPECT_EQ(300u, ctr(b, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(2u, ctr(b, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	EXPECT_EQ(300u, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(2u, ctr(a, OGPU_HW_LINK_RX_PACKETS_LO(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_REPLAYS(1)));
	EXPECT_EQ(0u, rd(b, OGPU_HW_LINK_CRC_ERRORS(1)));
	/* Pages across a page boundary: one transfer per page. */
	ASSERT_EQ(0, xfer(a, PEER_VA + 4000, buf, 200, true));
	EXPECT_EQ(1200u, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(6u, ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	/* Nothing of it counts as the copy engine's time. */
	EXPECT_EQ(0u, delayed_ns);
}

TEST_F(link, a_counter_read_lo_first_latches_hi)
{
	struct dev *a = &self->d[0];

	a->core.port[1].ctr.tx_bytes = 0x100000005ull;
	EXPECT_EQ(5u, rd(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	a->core.port[1].ctr.tx_bytes = 0x2ffffffffull;
	EXPECT_EQ(1u, rd(a, OGPU_HW_LINK_TX_BYTES_HI(1)));
	EXPECT_EQ(0xffffffffu, rd(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(2u, rd(a, OGPU_HW_LINK_TX_BYTES_HI(1)));
}

TEST_F(link, corrupt_packets_are_replayed_and_data_is_correct)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u8 buf[4096];
	u32 i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i ^ 0x5a;
	ogpu_sim_link_set_corrupt(&self->l[0], 3);
	ASSERT_EQ(0, xfer(a, PEER_VA, buf, sizeof(buf), true));
	EXPECT_EQ(0, memcmp(b->vram + PEER_ADDR, buf, sizeof(buf)));
	/* 16 packets: 23 sends, every third corrupt. */
	EXPECT_EQ(16u, ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	EXPECT_EQ(16u, ctr(b, OGPU_HW_LINK_RX_PACKETS_LO(1)));
	EXPECT_EQ(7u, rd(a, OGPU_HW_LINK_REPLAYS(1)));
	EXPECT_EQ(7u, rd(b, OGPU_HW_LINK_CRC_ERRORS(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_CRC_ERRORS(1)));
	EXPECT_EQ(OGPU_HW_LINK_UP, rd(a, OGPU_HW_LINK_STATE(1)));
	/* A read: the peer replays, this end counts the CRC errors. */
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0, xfer(a, PEER_VA, buf, sizeof(buf), false));
	EXPECT_EQ(0, memcmp(b->vram + PEER_ADDR, buf, sizeof(buf)));
	EXPECT_EQ(rd(b, OGPU_HW_LINK_REPLAYS(1)),
		  rd(a, OGPU_HW_LINK_CRC_ERRORS(1)));
	EXPECT_LT(0u, rd(b, OGPU_HW_LINK_REPLAYS(1)));
}

TEST_F(link, eight_replays_fail_the_link_and_the_access_faults)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u32 v = 0x1234;

	wr(a, OGPU_HW_REG_LINK_CHANGED, ~0u);
	wr(b, OGPU_HW_REG_LINK_CHANGED, ~0u);
	wr(b, OGPU_HW_REG_IRQ_STATUS, ~0u);
	kicks = 0;
	ogpu_sim_link_set_corrupt(&self->l[0], 1);
	EXPECT_EQ(-EFAULT, xfer(a, PEER_VA + 8, &v, 4, true));
	EXPECT_EQ(0u, get64(b->vram + PEER_ADDR + 8));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	EXPECT_EQ(1u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
	EXPECT_EQ(PEER_VA + 8, rd(a, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
	EXPECT_EQ(8u, rd(a, OGPU_HW_LINK_REPLAYS(1)));
	EXPECT_EQ(9u, rd(b, OGPU_HW_LINK_CRC_ERRORS(1)));
	EXPECT_EQ(0u, ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	EXPECT_EQ(OGPU_HW_LINK_FAILED, rd(a, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(OGPU_HW_LINK_FAILED, rd(b, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(1u, rd(b, OGPU_HW_LINK_DOWN_EVENTS(1)));
	/* The peer was told, and raises IRQ_LINK. */
	EXPECT_EQ(1, kicks);
	EXPECT_EQ(1u << 1, rd(b, OGPU_HW_REG_LINK_CHANGED));
	EXPECT_TRUE(rd(b, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_LINK);
	EXPECT_TRUE(rd(a, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_LINK);

	/* A failed link stays failed, without corruption too... */
	ogpu_sim_link_set_corrupt(&self->l[0], 0);
	wr(a, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	EXPECT_EQ(-EFAULT, xfer(a, PEER_VA, &v, 4, false));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	/* ...until it is taken up again. */
	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_TRAINING);
	EXPECT_EQ(-EFAULT, xfer(a, PEER_VA, &v, 4, false));
	ogpu_sim_link_trained(&self->l[0]);
	EXPECT_EQ(0, xfer(a, PEER_VA, &v, 4, false));
}

TEST_F(link, a_link_that_is_down_or_missing_faults_with_its_port)
{
	struct dev *a = &self->d[0];
	u32 v = 0;

	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	EXPECT_EQ(-EFAULT, xfer(a, PEER_VA, &v, 4, false));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	EXPECT_EQ(1u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
	EXPECT_EQ(0u, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));

	wr(a, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	EXPECT_EQ(-EFAULT, xfer(a, NOLINK_VA, &v, 4, true));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	EXPECT_EQ(3u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));

	/* A fault of another reason names no port. */
	wr(a, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	EXPECT_EQ(-EFAULT, xfer(a, 0x7000000, &v, 4, true));
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, fault_reason(a));
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
}

TEST_F(link, peer_addresses_outside_its_vram_are_bad_tables)
{
	struct dev *a = &self->d[0];
	u32 v = 0;

	EXPECT_EQ(-EFAULT, xfer(a, FAR_VA, &v, 4, false));
	EXPECT_EQ(OGPU_HW_FAULT_BAD_TABLE, fault_reason(a));
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
	EXPECT_EQ(OGPU_HW_LINK_UP, rd(a, OGPU_HW_LINK_STATE(1)));
}

TEST_F(link, lower_bandwidth_degrades_and_nominal_restores)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u32 v = 0;

	EXPECT_EQ(-EINVAL, ogpu_sim_link_set_bandwidth(&self->l[0], 0));
	EXPECT_EQ(-EINVAL, ogpu_sim_link_set_bandwidth(&self->l[0], MBPS + 1));
	EXPECT_EQ(2u, rd(b, OGPU_HW_REG_LINK_GENERATION));
	ASSERT_EQ(0, ogpu_sim_link_set_bandwidth(&self->l[0], MBPS / 4));
	EXPECT_EQ(OGPU_HW_LINK_DEGRADED, rd(b, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(MBPS / 4, rd(b, OGPU_HW_LINK_BANDWIDTH(1)));
	EXPECT_EQ(MBPS, rd(b, OGPU_HW_LINK_NOMINAL_BW(1)));
	EXPECT_EQ(3u, rd(b, OGPU_HW_REG_LINK_GENERATION));
	/* Degraded is usable, and not a down event. */
	EXPECT_EQ(0, xfer(a, PEER_VA, &v, 4, false));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_DOWN_EVENTS(1)));
	/* A link that trains at a lower bandwidth comes up degraded. */
	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_TRAINING);
	ogpu_sim_link_trained(&self->l[0]);
	EXPECT_EQ(OGPU_HW_LINK_DEGRADED, rd(a, OGPU_HW_LINK_STATE(1)));
	ASSERT_EQ(0, ogpu_sim_link_set_bandwidth(&self->l[0], MBPS));
	EXPECT_EQ(OGPU_HW_LINK_UP, rd(a, OGPU_HW_LINK_STATE(1)));
	/* A link that is down keeps its state when its bandwidth changes. */
	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	ASSERT_EQ(0, ogpu_sim_link_set_bandwidth(&self->l[0], 10));
	EXPECT_EQ(OGPU_HW_LINK_DOWN, rd(a, OGPU_HW_LINK_STATE(1)));
}

TEST_F(link, reset_clears_counters_and_changes_but_keeps_links)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u8 buf[64] = { 1 };

	ASSERT_EQ(0, xfer(a, PEER_VA, buf, sizeof(buf), true));
	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	wr(a, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);
	EXPECT_EQ(0u, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_DOWN_EVENTS(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_LINK_CHANGED));
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_EQ(0u, rd(a, OGPU_HW_REG_IRQ_STATUS));
	EXPECT_EQ(OGPU_HW_LINK_PEER_VAL(11, 1), rd(a, OGPU_HW_LINK_PEER(1)));
	EXPECT_EQ(OGPU_HW_LINK_DOWN, rd(a, OGPU_HW_LINK_STATE(1)));
	/* The other end keeps its own. */
	EXPECT_EQ(64u, ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(3u, rd(b, OGPU_HW_REG_LINK_GENERATION));
}

TEST_F(link, unjoin_takes_both_ends_down_without_a_peer)
{
	struct dev *a = &self->d[0], *b = &self->d[1], *c = &self->d[2];
	u32 v = 0;

	ogpu_sim_link_unjoin(&self->l[0]);
	EXPECT_EQ(OGPU_HW_LINK_DOWN, rd(a, OGPU_HW_LINK_STATE(1)));
	EXPECT_EQ(0u, rd(b, OGPU_HW_LINK_PEER(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_PEER(1)));
	EXPECT_EQ(0u, rd(a, OGPU_HW_LINK_BANDWIDTH(1)));
	EXPECT_EQ(3u, rd(b, OGPU_HW_REG_LINK_GENERATION));
	EXPECT_EQ(1u, rd(b, OGPU_HW_LINK_DOWN_EVENTS(1)));
	EXPECT_EQ(-EFAULT, xfer(a, PEER_VA, &v, 4, false));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	/* The port is free again: join it to device 2. */
	ASSERT_EQ(0, ogpu_sim_link_check(&a->core, 1, &c->core, 1, 50));
	ogpu_sim_link_join(&self->l[1], &a->core, 1, &c->core, 1, 50, 0);
	ogpu_sim_link_trained(&self->l[1]);
	v = 0xabcd;
	EXPECT_EQ(0, xfer(a, PEER_VA + 4, &v, 4, true));
	EXPECT_EQ(0xabcdu, (u32)get64(c->vram + PEER_ADDR + 4));
	EXPECT_EQ(OGPU_HW_LINK_PEER_VAL(12, 1), rd(a, OGPU_HW_LINK_PEER(1)));
}

/* Queue 0 of device @d runs @w. */
static void submit(struct dev *d, const u32 *w, u32 n)
{
	u32 i;

	wr(d, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RING_LO, RING(0));
	wr(d, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RING_SIZE, 4096);
	wr(d, OGPU_HW_REG_Q(0) + OGPU_HW_Q_CONTROL, OGPU_HW_QC(1, 0));
	for (i = 0; i < n; i++) {
		memcpy(d->vram + RING(0) + d->wptr, &w[i], 4);
		d->wptr = (d->wptr + 4) & 4095;
	}
	wr(d, OGPU_HW_REG_Q(0) + OGPU_HW_Q_WPTR, d->wptr);
	wr(d, OGPU_HW_REG_Q(0) + OGPU_HW_Q_DOORBELL, 1);
}

static void run(struct dev *d)
{
	int i;

	for (i = 0; i < 1000; i++)
		if (ogpu_sim_core_run(&d->core, 16, i) != OGPU_SIM_CP_BUSY)
			break;
}

#define TRANSFER_NS(n)	(LAT + ((n) * 1000u + MBPS - 1) / MBPS)

TEST_F(link, copy_and_fill_over_a_link_are_counted_and_delayed)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u32 pkts[] = {
		/* 8 KiB from own VRAM to the peer, two pages. */
		OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, PEER_VA, 0, 8192, 0,
		/* 4 KiB back from the peer, one page. */
		OGPU_PKT(OGPU_PKT_COPY, 7), PEER_VA + 4096, 0, DATA + 0x4000,
		0, 4096, 0,
		OGPU_PKT(OGPU_PKT_FILL, 6), PEER_VA + 0x8000, 0, 256, 0,
		0xfeedf00d,
	};
	u32 i;

	for (i = 0; i < 8192; i++)
		a->vram[DATA + i] = i * 3;
	submit(a, pkts, ARRAY_SIZE(pkts));
	run(a);
	EXPECT_EQ(OGPU_HW_QS_IDLE, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(0, memcmp(b->vram + PEER_ADDR, a->vram + DATA, 8192));
	EXPECT_EQ(0, memcmp(a->vram + DATA + 0x4000, a->vram + DATA + 4096,
			    4096));
	EXPECT_EQ(0xfeedf00du, (u32)get64(b->vram + PEER_ADDR + 0x8000 + 252));
	EXPECT_EQ(0u, (u32)get64(b->vram + PEER_ADDR + 0x8000 + 256));

	EXPECT_EQ(8192u + 256, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(32u + 1, ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	EXPECT_EQ(4096u, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)),
		  ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(ctr(a, OGPU_HW_LINK_RX_PACKETS_LO(1)),
		  ctr(b, OGPU_HW_LINK_TX_PACKETS_LO(1)));
	/* Each page one transfer: latency + bytes / bandwidth. */
	EXPECT_EQ(3 * TRANSFER_NS(4096) + TRANSFER_NS(256), delayed_ns);
}

TEST_F(link, a_copy_between_two_peer_pages_crosses_the_link_twice)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u32 pkts[] = {
		OGPU_PKT(OGPU_PKT_COPY, 7), PEER_VA + 0x10, 0, PEER_VA + 0x2010,
		0, 1000, 0,
	};
	u32 i;

	for (i = 0; i < 1000; i++)
		b->vram[PEER_ADDR + 0x10 + i] = i * 11;
	submit(a, pkts, ARRAY_SIZE(pkts));
	run(a);
	EXPECT_EQ(OGPU_HW_QS_IDLE, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(0, memcmp(b->vram + PEER_ADDR + 0x2010,
			    b->vram + PEER_ADDR + 0x10, 1000));
	/* Read from the peer, then written back to it. */
	EXPECT_EQ(1000u, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(1000u, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(1000u, ctr(b, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(1000u, ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(2 * TRANSFER_NS(1000), delayed_ns);
}

TEST_F(link, a_copy_step_is_delayed_at_the_degraded_bandwidth)
{
	struct dev *a = &self->d[0];
	u32 pkts[] = {
		OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, PEER_VA, 0, 4096, 0,
	};

	ASSERT_EQ(0, ogpu_sim_link_set_bandwidth(&self->l[0], 100));
	ogpu_sim_link_set_latency(&self->l[0], 20000);
	submit(a, pkts, ARRAY_SIZE(pkts));
	run(a);
	/* 4096 bytes at 100 MB/s: 40960 ns. */
	EXPECT_EQ(20000u + 40960u, delayed_ns);
}

TEST_F(link, a_copy_through_a_link_that_is_down_halts_with_the_port)
{
	struct dev *a = &self->d[0];
	u32 pkts[] = {
		OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, PEER_VA + 4096, 0, 4096, 0,
	};

	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_FAILED);
	submit(a, pkts, ARRAY_SIZE(pkts));
	run(a);
	EXPECT_EQ(OGPU_HW_QS_ERROR, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_FAULT, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_ERROR));
	EXPECT_EQ(PEER_VA + 4096,
		  rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	EXPECT_EQ(1u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
	EXPECT_EQ(0u, delayed_ns);
}

TEST_F(link, semaphores_on_peer_pages_synchronise_two_devices)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	/* b waits in its own VRAM for a's signal, across the link. */
	u32 wait[] = {
		OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), DATA, 0, 5, 0,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 8, 0, 77,
	};
	u32 signal[] = {
		OGPU_PKT(OGPU_PKT_SEM_SIGNAL, 5), 0xa00000, 0, 5, 0,
		OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), 0xa00000, 0, 5, 0,
	};

	/* a's page 0xa00000 is b's DATA, over port 1. */
	map4k(a, 0xa00000, PEER(1, DATA));
	submit(b, wait, ARRAY_SIZE(wait));
	EXPECT_EQ(OGPU_SIM_CP_WAITING, ogpu_sim_core_run(&b->core, 16, 0));
	submit(a, signal, ARRAY_SIZE(signal));
	run(a);
	EXPECT_EQ(OGPU_HW_QS_IDLE, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(5u, get64(b->vram + DATA));
	run(b);
	EXPECT_EQ(OGPU_HW_QS_IDLE, rd(b, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(77u, (u32)get64(b->vram + DATA + 8));
	/* The signal's 8 bytes went to b, the wait's 8 came back. */
	EXPECT_EQ(8u, ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(8u, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));
}

/*
 * Each thread: out[tid] += 1 (a load and a store) and count += 1 (an
 * AMO), with out in the peer's VRAM; a0 = out, count at out + 512.
 */
static const u32 peer_prog[] = {
	CSRR(5, OGPU_HW_CSR_TID_X),
	SLLI(6, 5, 2),
	ADD(6, 10, 6),
	LW(7, 6, 0),
	ADDI(7, 7, 1),
	SW(7, 6, 0),
	ADDI(28, 0, 1),
	ADDI(29, 10, 512),
	AMOADD_W(0, 29, 28),
	RET,
};

static struct ogpu_sim_cu *cus[4];

static void dispatch_peer(struct dev *d, u64 out)
{
	u32 w[OGPU_PKT_DISPATCH_NDW] = {
		OGPU_PKT(OGPU_PKT_DISPATCH, OGPU_PKT_DISPATCH_NDW),
		CODE, 0, (u32)out, 0, 8, 1, 1, 1, 64, 1, 1, 0, 0,
	};
	u32 i;

	for (i = 0; i < 4; i++) {
		if (!cus[i])
			cus[i] = malloc(ogpu_sim_cu_size(32));
		ogpu_sim_cu_init(cus[i], i, 32);
	}
	ogpu_sim_core_attach_cus(&d->core, cus);
	memcpy(d->vram + CODE, peer_prog, sizeof(peer_prog));
	submit(d, w, ARRAY_SIZE(w));
}

TEST_F(link, a_kernel_loads_stores_and_adds_through_a_peer_page)
{
	struct dev *a = &self->d[0], *b = &self->d[1];
	u32 i, v;

	for (i = 0; i < 64; i++) {
		v = 10 * i;
		memcpy(b->vram + PEER_ADDR + 4 * i, &v, 4);
	}
	dispatch_peer(a, PEER_VA);
	sim_run_cp_and_cus(&a->core, 100000);
	ASSERT_EQ(OGPU_HW_QS_IDLE, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	for (i = 0; i < 64; i++) {
		memcpy(&v, b->vram + PEER_ADDR + 4 * i, 4);
		ASSERT_EQ(10 * i + 1, v);
	}
	memcpy(&v, b->vram + PEER_ADDR + 512, 4);
	EXPECT_EQ(64u, v);
	/* Each lane: 4 bytes read and written, and the AMO's 4 and 4. */
	EXPECT_EQ(64u * 8, ctr(a, OGPU_HW_LINK_TX_BYTES_LO(1)));
	EXPECT_EQ(64u * 8, ctr(a, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(64u * 8, ctr(b, OGPU_HW_LINK_RX_BYTES_LO(1)));
	EXPECT_EQ(ctr(a, OGPU_HW_LINK_TX_PACKETS_LO(1)),
		  ctr(b, OGPU_HW_LINK_RX_PACKETS_LO(1)));
	/* A unit's accesses are counted, not delayed. */
	EXPECT_EQ(0u, delayed_ns);
}

TEST_F(link, a_kernel_faults_on_a_peer_page_whose_link_is_down)
{
	struct dev *a = &self->d[0];

	ogpu_sim_link_set_state(&self->l[0], OGPU_HW_LINK_DOWN);
	dispatch_peer(a, PEER_VA);
	sim_run_cp_and_cus(&a->core, 100000);
	EXPECT_EQ(OGPU_HW_QS_ERROR, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_FAULT, rd(a, OGPU_HW_REG_Q(0) + OGPU_HW_Q_ERROR));
	EXPECT_EQ(OGPU_HW_FAULT_LINK_DOWN, fault_reason(a));
	EXPECT_EQ(1u, rd(a, OGPU_HW_REG_MMU_FAULT_PORT));
}

TEST_HARNESS_MAIN
