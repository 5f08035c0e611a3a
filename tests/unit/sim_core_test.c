// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Host unit tests of the device model's core (drivers/ogpu_sim/
 * ogpu_sim_core.c): the register file and the interrupt line, as
 * Documentation/hardware.rst specifies them.
 */
#include "ogpu_sim_core.h"

#include "kselftest_harness.h"

static const struct ogpu_sim_config base_cfg = {
	.instance = 3,
	.vram_size = 0x123450000ull,
	.num_cus = 8,
	.cu_lanes = 32,
	.compute_engines = 2,
	.copy_engines = 1,
	.link_ports = 4,
};

FIXTURE(core) {
	struct ogpu_sim_core core;
};

FIXTURE_SETUP(core)
{
	ASSERT_EQ(0, ogpu_sim_config_check(&base_cfg));
	ogpu_sim_core_init(&self->core, &base_cfg);
}

FIXTURE_TEARDOWN(core)
{
}

static u32 rd(struct ogpu_sim_core *c, u32 reg)
{
	u32 v = 0xdeadbeef;

	if (ogpu_sim_core_read(c, reg, &v))
		return 0xdeadbeef;
	return v;
}

TEST_F(core, identification)
{
	EXPECT_EQ(OGPU_HW_ID, rd(&self->core, OGPU_REG_ID));
	EXPECT_EQ(0x00010000u, rd(&self->core, OGPU_REG_VERSION));
	EXPECT_EQ(3u, rd(&self->core, OGPU_REG_INSTANCE));
	EXPECT_EQ(OGPU_STATUS_READY, rd(&self->core, OGPU_REG_STATUS));
	EXPECT_EQ(0u, rd(&self->core, OGPU_REG_CAPS));
}

TEST_F(core, capabilities)
{
	u32 engines = rd(&self->core, OGPU_REG_ENGINES);

	EXPECT_EQ(0x23450000u, rd(&self->core, OGPU_REG_VRAM_SIZE_LO));
	EXPECT_EQ(0x1u, rd(&self->core, OGPU_REG_VRAM_SIZE_HI));
	EXPECT_EQ(8u, rd(&self->core, OGPU_REG_NUM_CUS));
	EXPECT_EQ(32u, rd(&self->core, OGPU_REG_CU_LANES));
	EXPECT_EQ(2u, OGPU_ENGINES_COMPUTE(engines));
	EXPECT_EQ(1u, OGPU_ENGINES_COPY(engines));
	EXPECT_EQ(4u, rd(&self->core, OGPU_REG_LINK_PORTS));
}

TEST_F(core, read_only_registers_ignore_writes)
{
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_REG_ID, 0));
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_REG_NUM_CUS, 99));
	EXPECT_EQ(OGPU_HW_ID, rd(&self->core, OGPU_REG_ID));
	EXPECT_EQ(8u, rd(&self->core, OGPU_REG_NUM_CUS));
}

TEST_F(core, scratch_holds_value)
{
	ASSERT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_REG_SCRATCH,
					 0xcafef00d));
	EXPECT_EQ(0xcafef00du, rd(&self->core, OGPU_REG_SCRATCH));
}

TEST_F(core, unimplemented_reads_zero)
{
	EXPECT_EQ(0u, rd(&self->core, OGPU_REG_MMU_BASE));
	EXPECT_EQ(0u, rd(&self->core, OGPU_REG_BLOCK_SIZE - 4));
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_REG_QUEUE_BASE, 1));
}

TEST_F(core, reject_unaligned)
{
	u32 v;

	EXPECT_EQ(-EINVAL, ogpu_sim_core_read(&self->core, 2, &v));
	EXPECT_EQ(-EINVAL, ogpu_sim_core_write(&self->core, 0x31, 1));
}

TEST_F(core, reject_out_of_block)
{
	u32 v;

	EXPECT_EQ(-EINVAL, ogpu_sim_core_read(&self->core,
					      OGPU_REG_BLOCK_SIZE, &v));
	EXPECT_EQ(-EINVAL, ogpu_sim_core_write(&self->core,
					       OGPU_REG_BLOCK_SIZE, 1));
}

TEST_F(core, irq_line_needs_enable)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_REG_IRQ_RAISE, OGPU_IRQ_SW);
	EXPECT_EQ(OGPU_IRQ_SW, rd(c, OGPU_REG_IRQ_STATUS));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));

	ogpu_sim_core_write(c, OGPU_REG_IRQ_ENABLE, OGPU_IRQ_SW);
	EXPECT_TRUE(ogpu_sim_core_irq_line(c));
}

TEST_F(core, irq_status_write_one_to_clear)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_REG_IRQ_ENABLE, OGPU_IRQ_ALL);
	ogpu_sim_core_write(c, OGPU_REG_IRQ_RAISE, OGPU_IRQ_SW);
	ASSERT_TRUE(ogpu_sim_core_irq_line(c));

	/* Writing 0 clears nothing. */
	ogpu_sim_core_write(c, OGPU_REG_IRQ_STATUS, 0);
	EXPECT_TRUE(ogpu_sim_core_irq_line(c));

	ogpu_sim_core_write(c, OGPU_REG_IRQ_STATUS, OGPU_IRQ_SW);
	EXPECT_EQ(0u, rd(c, OGPU_REG_IRQ_STATUS));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));
}

TEST_F(core, irq_raise_only_sets_software_source)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_REG_IRQ_RAISE, 0xffffffff);
	EXPECT_EQ(OGPU_IRQ_SW, rd(c, OGPU_REG_IRQ_STATUS));
	ogpu_sim_core_write(c, OGPU_REG_IRQ_ENABLE, 0xffffffff);
	EXPECT_EQ(OGPU_IRQ_ALL, rd(c, OGPU_REG_IRQ_ENABLE));
}

TEST_F(core, reset_needs_key)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_REG_SCRATCH, 7);
	ogpu_sim_core_write(c, OGPU_REG_IRQ_ENABLE, OGPU_IRQ_ALL);
	ogpu_sim_core_write(c, OGPU_REG_IRQ_RAISE, OGPU_IRQ_SW);

	ogpu_sim_core_write(c, OGPU_REG_RESET, 1);
	EXPECT_EQ(7u, rd(c, OGPU_REG_SCRATCH));

	ogpu_sim_core_write(c, OGPU_REG_RESET, OGPU_RESET_KEY);
	EXPECT_EQ(0u, rd(c, OGPU_REG_SCRATCH));
	EXPECT_EQ(0u, rd(c, OGPU_REG_IRQ_STATUS));
	EXPECT_EQ(0u, rd(c, OGPU_REG_IRQ_ENABLE));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));
	/* Identification survives a reset. */
	EXPECT_EQ(OGPU_HW_ID, rd(c, OGPU_REG_ID));
}

FIXTURE(config) {
	struct ogpu_sim_config cfg;
};

FIXTURE_SETUP(config)
{
	self->cfg = base_cfg;
}

FIXTURE_TEARDOWN(config)
{
}

TEST_F(config, accepts_base)
{
	EXPECT_EQ(0, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_small_vram)
{
	self->cfg.vram_size = 65536;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_unaligned_vram)
{
	self->cfg.vram_size = (1 << 20) + 4096;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_huge_vram)
{
	self->cfg.vram_size = 1ull << 40;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_zero_cus)
{
	self->cfg.num_cus = 0;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_too_many_cus)
{
	self->cfg.num_cus = OGPU_MAX_CUS + 1;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_lanes_not_power_of_two)
{
	self->cfg.cu_lanes = 24;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_zero_compute_engines)
{
	self->cfg.compute_engines = 0;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_too_many_copy_engines)
{
	self->cfg.copy_engines = OGPU_MAX_ENGINES + 1;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_too_many_link_ports)
{
	self->cfg.link_ports = OGPU_MAX_LINK_PORTS + 1;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_HARNESS_MAIN
