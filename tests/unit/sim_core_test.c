// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Host unit tests of the device model's core (drivers/ogpu_sim/
 * ogpu_sim_core.c): the register file and the interrupt line, as
 * Documentation/hardware.rst specifies them.
 */
#include <stdlib.h>

#include "ogpu_sim_core.h"
#include "cu_asm.h"
#include "sim_run.h"

#include "kselftest_harness.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

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
	/* Register tests only: no memory behind the device. */
	ogpu_sim_core_init(&self->core, &base_cfg, NULL, NULL, NULL);
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
	EXPECT_EQ(OGPU_HW_ID, rd(&self->core, OGPU_HW_REG_ID));
	EXPECT_EQ(0x00010001u, rd(&self->core, OGPU_HW_REG_VERSION));
	EXPECT_EQ(3u, rd(&self->core, OGPU_HW_REG_INSTANCE));
	EXPECT_EQ(OGPU_HW_STATUS_READY, rd(&self->core, OGPU_HW_REG_STATUS));
	EXPECT_EQ(OGPU_HW_CAP_MMU | OGPU_HW_CAP_QUEUES | OGPU_HW_CAP_COPY_ENGINE |
		  OGPU_HW_CAP_COMPUTE | OGPU_HW_CAP_LINK,
		  rd(&self->core, OGPU_HW_REG_CAPS));
	EXPECT_EQ(OGPU_HW_MMU_CONTEXTS, rd(&self->core, OGPU_HW_REG_MMU_CONTEXTS));
}

TEST(no_link_ports_no_link_capability)
{
	struct ogpu_sim_config cfg = base_cfg;
	struct ogpu_sim_core core;
	u32 caps = 0;

	cfg.link_ports = 0;
	ogpu_sim_core_init(&core, &cfg, NULL, NULL, NULL);
	ogpu_sim_core_read(&core, OGPU_HW_REG_CAPS, &caps);
	EXPECT_EQ(0u, caps & OGPU_HW_CAP_LINK);
	EXPECT_NE(0u, caps & OGPU_HW_CAP_COMPUTE);
}

TEST_F(core, capabilities)
{
	u32 engines = rd(&self->core, OGPU_HW_REG_ENGINES);

	EXPECT_EQ(0x23450000u, rd(&self->core, OGPU_HW_REG_VRAM_SIZE_LO));
	EXPECT_EQ(0x1u, rd(&self->core, OGPU_HW_REG_VRAM_SIZE_HI));
	EXPECT_EQ(8u, rd(&self->core, OGPU_HW_REG_NUM_CUS));
	EXPECT_EQ(32u, rd(&self->core, OGPU_HW_REG_CU_LANES));
	EXPECT_EQ(2u, OGPU_HW_ENGINES_COMPUTE(engines));
	EXPECT_EQ(1u, OGPU_HW_ENGINES_COPY(engines));
	EXPECT_EQ(4u, rd(&self->core, OGPU_HW_REG_LINK_PORTS));
}

TEST_F(core, read_only_registers_ignore_writes)
{
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_HW_REG_ID, 0));
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_HW_REG_NUM_CUS, 99));
	EXPECT_EQ(OGPU_HW_ID, rd(&self->core, OGPU_HW_REG_ID));
	EXPECT_EQ(8u, rd(&self->core, OGPU_HW_REG_NUM_CUS));
}

TEST_F(core, scratch_holds_value)
{
	ASSERT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_HW_REG_SCRATCH,
					 0xcafef00d));
	EXPECT_EQ(0xcafef00du, rd(&self->core, OGPU_HW_REG_SCRATCH));
}

TEST_F(core, unimplemented_reads_zero)
{
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_LINK_BASE));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_BLOCK_SIZE - 4));
	EXPECT_EQ(0, ogpu_sim_core_write(&self->core, OGPU_HW_REG_QUEUE_BASE, 1));
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
					      OGPU_HW_REG_BLOCK_SIZE, &v));
	EXPECT_EQ(-EINVAL, ogpu_sim_core_write(&self->core,
					       OGPU_HW_REG_BLOCK_SIZE, 1));
}

TEST_F(core, irq_line_needs_enable)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_RAISE, OGPU_HW_IRQ_SW);
	EXPECT_EQ(OGPU_HW_IRQ_SW, rd(c, OGPU_HW_REG_IRQ_STATUS));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));

	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_SW);
	EXPECT_TRUE(ogpu_sim_core_irq_line(c));
}

TEST_F(core, irq_status_write_one_to_clear)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_RAISE, OGPU_HW_IRQ_SW);
	ASSERT_TRUE(ogpu_sim_core_irq_line(c));

	/* Writing 0 clears nothing. */
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_STATUS, 0);
	EXPECT_TRUE(ogpu_sim_core_irq_line(c));

	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_STATUS, OGPU_HW_IRQ_SW);
	EXPECT_EQ(0u, rd(c, OGPU_HW_REG_IRQ_STATUS));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));
}

TEST_F(core, irq_raise_only_sets_software_source)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_RAISE, 0xffffffff);
	EXPECT_EQ(OGPU_HW_IRQ_SW, rd(c, OGPU_HW_REG_IRQ_STATUS));
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_STATUS, OGPU_HW_IRQ_SW);
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_ENABLE, 0xffffffff);
	EXPECT_EQ(OGPU_HW_IRQ_ALL, rd(c, OGPU_HW_REG_IRQ_ENABLE));
}

TEST_F(core, reset_needs_key)
{
	struct ogpu_sim_core *c = &self->core;

	ogpu_sim_core_write(c, OGPU_HW_REG_SCRATCH, 7);
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);
	ogpu_sim_core_write(c, OGPU_HW_REG_IRQ_RAISE, OGPU_HW_IRQ_SW);

	ogpu_sim_core_write(c, OGPU_HW_REG_RESET, 1);
	EXPECT_EQ(7u, rd(c, OGPU_HW_REG_SCRATCH));

	ogpu_sim_core_write(c, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);
	EXPECT_EQ(0u, rd(c, OGPU_HW_REG_SCRATCH));
	EXPECT_EQ(0u, rd(c, OGPU_HW_REG_IRQ_STATUS));
	EXPECT_EQ(0u, rd(c, OGPU_HW_REG_IRQ_ENABLE));
	EXPECT_FALSE(ogpu_sim_core_irq_line(c));
	/* Identification survives a reset. */
	EXPECT_EQ(OGPU_HW_ID, rd(c, OGPU_HW_REG_ID));
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
	self->cfg.num_cus = OGPU_HW_MAX_CUS + 1;
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
	self->cfg.copy_engines = OGPU_HW_MAX_ENGINES + 1;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

TEST_F(config, reject_too_many_link_ports)
{
	self->cfg.link_ports = OGPU_HW_MAX_LINK_PORTS + 1;
	EXPECT_EQ(-EINVAL, ogpu_sim_config_check(&self->cfg));
}

/*
 * The MMU: page tables built by hand in a fake VRAM, and a fake system
 * memory behind the system aperture.
 */
#define VRAM_SIZE	(8u << 20)
#define SYS_SIZE	(1u << 20)
#define SYS_BASE	0x100000000ull	/* DMA address of sys[0] */

static u8 sys[SYS_SIZE];

static int fake_sysmem_rw(void *ctx, u64 addr, void *buf, u32 len,
			  bool write)
{
	if (addr < SYS_BASE || addr + len > SYS_BASE + SYS_SIZE)
		return -EFAULT;
	if (write)
		memcpy(sys + (addr - SYS_BASE), buf, len);
	else
		memcpy(buf, sys + (addr - SYS_BASE), len);
	return 0;
}

/* A clock that advances 100 ns each time the device reads it. */
static u64 fake_clock;

static u64 fake_now_ns(void *ctx)
{
	return fake_clock += 100;
}

static const struct ogpu_sim_host_ops fake_sysmem = {
	.rw = fake_sysmem_rw,
	.now_ns = fake_now_ns,
};

FIXTURE(mmu) {
	struct ogpu_sim_core core;
	u8 *vram;
	u64 next_table;	/* bump allocator for tables, from 1 MiB */
	u64 root;
};

static void put_pte(u8 *vram, u64 addr, u64 pte)
{
	memcpy(vram + addr, &pte, 8);	/* the host is little endian */
}

static u64 get_pte(u8 *vram, u64 addr)
{
	u64 pte;

	memcpy(&pte, vram + addr, 8);
	return pte;
}

static u64 new_table(struct _test_data_mmu *self)
{
	u64 t = self->next_table;

	self->next_table += 4096;
	memset(self->vram + t, 0, 4096);
	return t;
}

/* Map one page of 4 KiB (level 0) or 2 MiB (level 1) at va. */
static void map(struct _test_data_mmu *self, u64 va, u64 pte, int leaf_level)
{
	u64 table = self->root;
	int level;

	for (level = 3; level > leaf_level; level--) {
		u64 slot = table + 8 * OGPU_HW_PT_INDEX(va, level);
		u64 e = get_pte(self->vram, slot);

		if (!(e & OGPU_HW_PTE_VALID)) {
			e = new_table(self) | OGPU_HW_PTE_VALID;
			put_pte(self->vram, slot, e);
		}
		table = e & OGPU_HW_PTE_ADDR_MASK;
	}
	if (leaf_level == 1)
		pte |= OGPU_HW_PTE_LEAF;
	put_pte(self->vram, table + 8 * OGPU_HW_PT_INDEX(va, leaf_level), pte);
}

#define RW	(OGPU_HW_PTE_VALID | OGPU_HW_PTE_READ | OGPU_HW_PTE_WRITE)
#define SYS	((u64)OGPU_HW_APERTURE_SYSTEM << OGPU_HW_PTE_APERTURE_SHIFT)

FIXTURE_SETUP(mmu)
{
	struct ogpu_sim_config cfg = base_cfg;

	cfg.vram_size = VRAM_SIZE;
	self->vram = calloc(1, VRAM_SIZE);
	ASSERT_NE(NULL, self->vram);
	ogpu_sim_core_init(&self->core, &cfg, self->vram, &fake_sysmem, NULL);
	self->next_table = 1 << 20;
	self->root = new_table(self);
	/* Context 2 uses the table. */
	ogpu_sim_core_write(&self->core, OGPU_HW_MMU_CTX_ROOT_LO(2),
			    (u32)self->root | OGPU_HW_MMU_CTX_ENABLE);
	ogpu_sim_core_write(&self->core, OGPU_HW_MMU_CTX_ROOT_HI(2), 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);
}

FIXTURE_TEARDOWN(mmu)
{
	free(self->vram);
}

static int vm_rw(struct ogpu_sim_core *c, u32 ctx, u64 va, void *buf,
		 u32 len, u32 access)
{
	return ogpu_sim_core_vm_access(c, ctx, va, buf, len, access, true);
}

TEST_F(mmu, root_register_reads_back)
{
	EXPECT_EQ((u32)self->root | OGPU_HW_MMU_CTX_ENABLE,
		  rd(&self->core, OGPU_HW_MMU_CTX_ROOT_LO(2)));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_MMU_CTX_ROOT_LO(3)));
}

TEST_F(mmu, vram_4k_page)
{
	u64 va = 0x7f0000123000ull;
	u32 v = 0x11223344, back = 0;

	map(self, va, RW | 0x5000, 0);
	ASSERT_EQ(0, vm_rw(&self->core, 2, va + 8, &v, 4, OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(0, memcmp(self->vram + 0x5008, &v, 4));
	ASSERT_EQ(0, vm_rw(&self->core, 2, va + 8, &back, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(v, back);
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS));
}

TEST_F(mmu, access_spanning_pages)
{
	u8 out[6000], in[6000];
	unsigned int i;

	map(self, 0x10000, RW | 0x20000, 0);
	map(self, 0x11000, RW | 0x7000, 0);	/* not contiguous in VRAM */
	for (i = 0; i < sizeof(out); i++)
		out[i] = i * 7;
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x10100, out, sizeof(out),
			   OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(0, memcmp(self->vram + 0x20100, out, 4096 - 0x100));
	EXPECT_EQ(0, memcmp(self->vram + 0x7000, out + 4096 - 0x100,
			    sizeof(out) - (4096 - 0x100)));
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x10100, in, sizeof(in),
			   OGPU_HW_ACCESS_READ));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST_F(mmu, huge_2m_page)
{
	u64 va = 0x40000000ull + 0x200000;
	u32 v = 0xabcd;

	map(self, va, RW | 0x400000, 1);
	ASSERT_EQ(0, vm_rw(&self->core, 2, va + 0x12345, &v, 4,
			   OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(0, memcmp(self->vram + 0x400000 + 0x12345, &v, 4));
}

TEST_F(mmu, misaligned_2m_page_faults)
{
	u32 v;

	map(self, 0x200000, RW | 0x401000, 1);
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x200000, &v, 4,
				 OGPU_HW_ACCESS_READ));
	EXPECT_EQ(OGPU_HW_FAULT_BAD_TABLE,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, system_aperture)
{
	u64 v = 0x0123456789abcdefull;

	map(self, 0x3000, RW | SYS | (SYS_BASE + 0x2000), 0);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x3010, &v, 8, OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(0, memcmp(sys + 0x2010, &v, 8));
}

TEST_F(mmu, fault_not_present_is_reported)
{
	u32 v, status;

	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x1234000, &v, 4,
				 OGPU_HW_ACCESS_WRITE));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_TRUE(status & OGPU_HW_FAULT_VALID);
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_WRITE, OGPU_HW_FAULT_ACCESS(status));
	EXPECT_EQ(2u, OGPU_HW_FAULT_CTX(status));
	EXPECT_EQ(0x1234000u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
	EXPECT_TRUE(rd(&self->core, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_MMU_FAULT);
	EXPECT_TRUE(ogpu_sim_core_irq_line(&self->core));
}

TEST_F(mmu, first_fault_is_kept_until_cleared)
{
	u32 v;

	vm_rw(&self->core, 2, 0x1000, &v, 4, OGPU_HW_ACCESS_READ);
	vm_rw(&self->core, 2, 0x9000, &v, 4, OGPU_HW_ACCESS_READ);
	EXPECT_EQ(0x1000u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS));
	vm_rw(&self->core, 2, 0x9000, &v, 4, OGPU_HW_ACCESS_READ);
	EXPECT_EQ(0x9000u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
}

TEST_F(mmu, debug_access_does_not_report)
{
	u32 v;

	EXPECT_EQ(-EFAULT, ogpu_sim_core_vm_access(&self->core, 2, 0x1000, &v,
						   4, OGPU_HW_ACCESS_READ, false));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_IRQ_STATUS));
}

TEST_F(mmu, fault_write_to_read_only)
{
	u32 v = 1;

	map(self, 0x5000, OGPU_HW_PTE_VALID | OGPU_HW_PTE_READ | 0x8000, 0);
	EXPECT_EQ(0, vm_rw(&self->core, 2, 0x5000, &v, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x5000, &v, 4,
				 OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(OGPU_HW_FAULT_PERMISSION,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, fault_exec_without_permission)
{
	u32 v;

	map(self, 0x5000, RW | 0x8000, 0);
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x5000, &v, 4,
				 OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_EXEC));
	EXPECT_EQ(OGPU_HW_FAULT_PERMISSION,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, fault_va_out_of_range)
{
	u32 v;

	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 1ull << 48, &v, 4,
				 OGPU_HW_ACCESS_READ));
	EXPECT_EQ(OGPU_HW_FAULT_RANGE,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, fault_disabled_context)
{
	u32 v;

	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 5, 0, &v, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(OGPU_HW_FAULT_CTX_DISABLED,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
	EXPECT_EQ(-EINVAL, vm_rw(&self->core, OGPU_HW_MMU_CONTEXTS, 0, &v, 4,
				 OGPU_HW_ACCESS_READ));
}

TEST_F(mmu, fault_page_past_vram)
{
	u32 v;

	map(self, 0x5000, RW | VRAM_SIZE, 0);
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x5000, &v, 4,
				 OGPU_HW_ACCESS_READ));
	EXPECT_EQ(OGPU_HW_FAULT_BAD_TABLE,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, fault_table_past_vram)
{
	u32 v;

	put_pte(self->vram, self->root, OGPU_HW_PTE_VALID | (64ull << 20));
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x1000, &v, 4,
				 OGPU_HW_ACCESS_READ));
	EXPECT_EQ(OGPU_HW_FAULT_BAD_TABLE,
		  OGPU_HW_FAULT_REASON(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, tlb_keeps_stale_translation_until_invalidated)
{
	u32 v = 0xaaaa, back;

	map(self, 0x6000, RW | 0x9000, 0);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x6000, &v, 4, OGPU_HW_ACCESS_WRITE));
	/* Remap to another page without invalidating: the TLB wins. */
	map(self, 0x6000, RW | 0xa000, 0);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x6000, &back, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(0xaaaau, back);
	EXPECT_GE(self->core.tlb_hits, 1);
	/* Invalidating another context changes nothing. */
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_MMU_INVALIDATE, 1u << 3);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x6000, &back, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(0xaaaau, back);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_MMU_INVALIDATE, 1u << 2);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x6000, &back, 4, OGPU_HW_ACCESS_READ));
	EXPECT_EQ(0u, back);
}

TEST_F(mmu, contexts_are_isolated)
{
	u64 root5 = new_table(self);
	u32 v = 5, back = 0;

	map(self, 0x1000, RW | 0xb000, 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_MMU_CTX_ROOT_LO(5),
			    (u32)root5 | OGPU_HW_MMU_CTX_ENABLE);
	ASSERT_EQ(0, vm_rw(&self->core, 2, 0x1000, &v, 4, OGPU_HW_ACCESS_WRITE));
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 5, 0x1000, &back, 4,
				 OGPU_HW_ACCESS_READ));
	EXPECT_EQ(5u, OGPU_HW_FAULT_CTX(rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS)));
}

TEST_F(mmu, reset_disables_contexts)
{
	u32 v;

	map(self, 0x1000, RW | 0xb000, 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);
	EXPECT_EQ(-EFAULT, vm_rw(&self->core, 2, 0x1000, &v, 4,
				 OGPU_HW_ACCESS_READ));
}

/*
 * The command processor: queues whose rings and data live in VRAM mapped
 * one to one at VA 4 MiB (ctx 1).
 */
#define CP_BASE		0x400000u	/* VA == VRAM offset */
#define CP_SIZE		0x400000u
#define RING(q)		(CP_BASE + (q) * 0x1000)
#define DATA		(CP_BASE + 0x100000)

FIXTURE(cp) {
	struct ogpu_sim_core core;
	u8 *vram;
	u64 next_table;
	u64 root;
	u32 wptr[OGPU_HW_NUM_QUEUES];
};

/* The mmu fixture's helpers work on any struct with these fields. */
#define cp_map(self, va, pte) map((struct _test_data_mmu *)(self), va, pte, 0)

FIXTURE_SETUP(cp)
{
	struct ogpu_sim_config cfg = base_cfg;
	u64 va;

	cfg.vram_size = VRAM_SIZE;
	self->vram = calloc(1, VRAM_SIZE);
	ASSERT_NE(NULL, self->vram);
	ogpu_sim_core_init(&self->core, &cfg, self->vram, &fake_sysmem, NULL);
	self->next_table = 1 << 20;
	self->root = new_table((struct _test_data_mmu *)self);
	for (va = CP_BASE; va < CP_BASE + CP_SIZE; va += 4096)
		cp_map(self, va, RW | OGPU_HW_PTE_EXEC | va);
	ogpu_sim_core_write(&self->core, OGPU_HW_MMU_CTX_ROOT_LO(1),
			    (u32)self->root | OGPU_HW_MMU_CTX_ENABLE);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_IRQ_ENABLE, OGPU_HW_IRQ_ALL);
}

FIXTURE_TEARDOWN(cp)
{
	free(self->vram);
}

static void q_setup(struct _test_data_cp *self, u32 q, u32 prio)
{
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_RING_LO, RING(q));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_RING_HI, 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_RING_SIZE, 4096);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_CONTROL,
			    OGPU_HW_QC(1, prio));
}

static void emit(struct _test_data_cp *self, u32 q, const u32 *w, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		memcpy(self->vram + RING(q) + self->wptr[q], &w[i], 4);
		self->wptr[q] = (self->wptr[q] + 4) & 4095;
	}
}

static void kick(struct _test_data_cp *self, u32 q)
{
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_WPTR,
			    self->wptr[q]);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(q) + OGPU_HW_Q_DOORBELL, 1);
}

static enum ogpu_sim_cp_state run_all(struct _test_data_cp *self)
{
	enum ogpu_sim_cp_state ret = OGPU_SIM_CP_IDLE;
	int i;

	for (i = 0; i < 10000; i++) {
		ret = ogpu_sim_core_run(&self->core, 16, 1000 + i);
		if (ret != OGPU_SIM_CP_BUSY)
			break;
	}
	return ret;
}

static u32 qreg(struct _test_data_cp *self, u32 q, u32 r)
{
	return rd(&self->core, OGPU_HW_REG_Q(q) + r);
}

static u64 vram64(struct _test_data_cp *self, u32 off)
{
	u64 v;

	memcpy(&v, self->vram + off, 8);
	return v;
}

#define LO(x)	((u32)(x))
#define HI(x)	((u32)((u64)(x) >> 32))

TEST_F(cp, write_data_and_fence)
{
	u32 pkts[] = {
		OGPU_PKT(OGPU_PKT_NOP, 2), 0xdead,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 0x12345678,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 5), DATA + 8, 0, 0x9abcdef0, 0x11,
		OGPU_PKT(OGPU_PKT_FENCE, 5), DATA + 16, 0, 7, 0,
	};

	q_setup(self, 0, 0);
	emit(self, 0, pkts, sizeof(pkts) / 4);
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
	kick(self, 0);
	EXPECT_EQ(OGPU_HW_QS_BUSY, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(0x12345678u, (u32)vram64(self, DATA));
	EXPECT_EQ(0x119abcdef0ull, vram64(self, DATA + 8));
	EXPECT_EQ(7u, vram64(self, DATA + 16));
	EXPECT_EQ(1u, rd(&self->core, OGPU_HW_REG_Q_FENCE_STATUS));
	EXPECT_TRUE(rd(&self->core, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_FENCE);
	EXPECT_EQ(self->wptr[0], qreg(self, 0, OGPU_HW_Q_RPTR));
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
}

TEST_F(cp, copy_and_fill_many_sizes)
{
	static const u32 sizes[] = { 4, 12, 4096, 4100, 65536 + 12, 300000 };
	unsigned int i, j;

	q_setup(self, 0, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u32 src = DATA + 4, dst = DATA + 0x80000 + 8, n = sizes[i];
		u32 fill_pkt[] = {
			OGPU_PKT(OGPU_PKT_FILL, 6), src, 0, n, 0, 0xa5a50000 + i,
		};
		u32 copy_pkt[] = {
			OGPU_PKT(OGPU_PKT_COPY, 7), src, 0, dst, 0, n, 0,
		};

		memset(self->vram + dst - 4, 0x77, n + 8);
		emit(self, 0, fill_pkt, 6);
		emit(self, 0, copy_pkt, 7);
		kick(self, 0);
		ASSERT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
		for (j = 0; j < n; j += 4) {
			u32 v;

			memcpy(&v, self->vram + dst + j, 4);
			ASSERT_EQ(0xa5a50000u + i, v);
		}
		/* Not a byte more. */
		EXPECT_EQ(0x77, self->vram[dst - 1]);
		EXPECT_EQ(0x77, self->vram[dst + n]);
	}
}

TEST_F(cp, fill_unaligned_size_is_bad_packet)
{
	u32 pkt[] = { OGPU_PKT(OGPU_PKT_FILL, 6), DATA, 0, 6, 0, 1 };

	q_setup(self, 0, 0);
	emit(self, 0, pkt, 6);
	kick(self, 0);
	run_all(self);
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
}

TEST_F(cp, semaphore_orders_two_queues)
{
	u32 wait[] = {
		OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), DATA, 0, 5, 0,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 8, 0, 0xbeef,
	};
	u32 signal[] = { OGPU_PKT(OGPU_PKT_SEM_SIGNAL, 5), DATA, 0, 5, 0 };

	q_setup(self, 0, 0);
	q_setup(self, 1, 0);
	emit(self, 0, wait, 9);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_WAITING, run_all(self));
	EXPECT_EQ(OGPU_HW_QS_WAITING, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(0u, vram64(self, DATA + 8));
	/* Waiting is stable across runs. */
	EXPECT_EQ(OGPU_SIM_CP_WAITING, run_all(self));

	emit(self, 1, signal, 5);
	kick(self, 1);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(0xbeefu, (u32)vram64(self, DATA + 8));
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
}

TEST_F(cp, semaphore_waits_for_greater_or_equal)
{
	u32 wait[] = { OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), DATA, 0, 10, 0 };

	q_setup(self, 0, 0);
	emit(self, 0, wait, 5);
	kick(self, 0);
	memcpy(self->vram + DATA, &(u64){ 9 }, 8);
	EXPECT_EQ(OGPU_SIM_CP_WAITING, run_all(self));
	memcpy(self->vram + DATA, &(u64){ 11 }, 8);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
}

TEST_F(cp, timestamp)
{
	u32 pkt[] = { OGPU_PKT(OGPU_PKT_TIMESTAMP, 3), DATA, 0 };

	q_setup(self, 0, 0);
	emit(self, 0, pkt, 3);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(1000u, vram64(self, DATA));
}

TEST_F(cp, indirect_buffer)
{
	u32 ib[] = {
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 1,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 4, 0, 2,
	};
	u32 ring[] = {
		OGPU_PKT(OGPU_PKT_INDIRECT, 4), DATA + 0x1000, 0, 8,
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 8, 0, 3,
	};

	memcpy(self->vram + DATA + 0x1000, ib, sizeof(ib));
	q_setup(self, 0, 0);
	emit(self, 0, ring, 8);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(1u, (u32)vram64(self, DATA));
	EXPECT_EQ(2u, (u32)vram64(self, DATA + 4));
	EXPECT_EQ(3u, (u32)vram64(self, DATA + 8));
}

TEST_F(cp, nested_indirect_is_bad_packet)
{
	u32 ib[] = { OGPU_PKT(OGPU_PKT_INDIRECT, 4), DATA + 0x1000, 0, 4 };
	u32 ring[] = { OGPU_PKT(OGPU_PKT_INDIRECT, 4), DATA + 0x1000, 0, 4 };

	memcpy(self->vram + DATA + 0x1000, ib, sizeof(ib));
	q_setup(self, 0, 0);
	emit(self, 0, ring, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(DATA + 0x1000u, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
}

/* PKT_ADDR names the packet that failed, in an indirect buffer too. */
TEST_F(cp, pkt_addr_names_the_failing_packet)
{
	u32 ib[] = { OGPU_PKT(OGPU_PKT_NOP, 1),
		     OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, 0x7000000, 0, 64, 0 };
	u32 ring[] = { OGPU_PKT(OGPU_PKT_INDIRECT, 4), DATA + 0x1000, 0, 8 };

	memcpy(self->vram + DATA + 0x1000, ib, sizeof(ib));
	q_setup(self, 0, 0);
	emit(self, 0, ring, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(DATA + 0x1004u, qreg(self, 0, OGPU_HW_Q_PKT_ADDR_LO));
	EXPECT_EQ(0u, qreg(self, 0, OGPU_HW_Q_PKT_ADDR_HI));
	/* The INDIRECT packet was consumed before its buffer ran. */
	EXPECT_EQ(16u, qreg(self, 0, OGPU_HW_Q_RPTR));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
	EXPECT_EQ(0u, qreg(self, 0, OGPU_HW_Q_PKT_ADDR_LO));
}

TEST_F(cp, unknown_opcode_halts_queue_only)
{
	u32 bad[] = { OGPU_PKT(0x7e, 1) };
	u32 good[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 9 };

	q_setup(self, 0, 0);
	q_setup(self, 1, 0);
	emit(self, 0, bad, 1);
	emit(self, 1, good, 4);
	kick(self, 0);
	kick(self, 1);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(RING(0), qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(1u, rd(&self->core, OGPU_HW_REG_Q_ERROR_STATUS));
	EXPECT_TRUE(rd(&self->core, OGPU_HW_REG_IRQ_STATUS) & OGPU_HW_IRQ_QUEUE_ERROR);
	/* The other queue ran. */
	EXPECT_EQ(9u, (u32)vram64(self, DATA));
	/* A halted queue ignores doorbells until reset. */
	emit(self, 0, good, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
}

TEST_F(cp, bad_sizes_are_bad_packets)
{
	u32 zero[] = { OGPU_PKT(OGPU_PKT_NOP, 0) };
	u32 short_fence[] = { OGPU_PKT(OGPU_PKT_FENCE, 3), DATA, 0 };

	q_setup(self, 0, 0);
	emit(self, 0, zero, 1);
	kick(self, 0);
	run_all(self);
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));

	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
	self->wptr[0] = 0;
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_Q_ERROR_STATUS));
	emit(self, 0, short_fence, 3);
	kick(self, 0);
	run_all(self);
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
}

/* System pages behind [SYSVA, SYSVA + 64 KiB), read-write. */
#define SYSVA		(CP_BASE + CP_SIZE)

static void map_sys(struct _test_data_cp *self, u64 flags)
{
	u64 i;

	for (i = 0; i < 0x10000; i += 4096)
		cp_map(self, SYSVA + i, flags | SYS | (SYS_BASE + i));
}

TEST_F(cp, copy_between_vram_and_system_pages)
{
	static const u32 offs[][2] = { { 0, 0 }, { 4, 4092 }, { 4095, 1 } };
	unsigned int i, j;

	map_sys(self, RW);
	q_setup(self, 0, 0);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		u32 n = 3 * 4096 + 5, vram = DATA + offs[i][0];
		u64 sysva = SYSVA + offs[i][1];
		u32 out[] = {
			OGPU_PKT(OGPU_PKT_COPY, 7), vram, 0, LO(sysva), HI(sysva),
			n, 0,
		};
		u32 back[] = {
			OGPU_PKT(OGPU_PKT_COPY, 7), LO(sysva), HI(sysva),
			vram + 0x40000, 0, n, 0,
		};

		for (j = 0; j < n; j++)
			self->vram[vram + j] = (u8)(j * 7 + i);
		memset(sys, 0x55, SYS_SIZE);
		emit(self, 0, out, 7);
		emit(self, 0, back, 7);
		kick(self, 0);
		ASSERT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
		ASSERT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
		EXPECT_EQ(0, memcmp(sys + offs[i][1], self->vram + vram, n));
		EXPECT_EQ(0, memcmp(self->vram + vram + 0x40000,
				    self->vram + vram, n));
		/* Not a byte more. */
		EXPECT_EQ(0x55, sys[offs[i][1] + n]);
		if (offs[i][1])
			EXPECT_EQ(0x55, sys[offs[i][1] - 1]);
	}
}

TEST_F(cp, copy_into_read_only_system_pages_faults)
{
	u64 dst = SYSVA + 4096;
	u32 pkt[] = {
		OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, LO(dst), HI(dst), 64, 0,
	};
	u32 status;

	map_sys(self, OGPU_HW_PTE_VALID | OGPU_HW_PTE_READ);
	q_setup(self, 0, 0);
	emit(self, 0, pkt, 7);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_FAULT_PERMISSION, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_WRITE, OGPU_HW_FAULT_ACCESS(status));
}

TEST_F(cp, copy_from_unmapped_source_reports_the_source)
{
	u32 pkt[] = { OGPU_PKT(OGPU_PKT_COPY, 7), 0x7000000, 0, DATA, 0, 64, 0 };
	u32 status;

	q_setup(self, 0, 0);
	emit(self, 0, pkt, 7);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(0x7000000u, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_READ, OGPU_HW_FAULT_ACCESS(status));
}

TEST_F(cp, copy_to_unmapped_va_faults)
{
	u32 pkt[] = { OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, 0x7000000, 0, 64, 0 };
	u32 status;

	q_setup(self, 0, 0);
	emit(self, 0, pkt, 7);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(0x7000000u, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_WRITE, OGPU_HW_FAULT_ACCESS(status));
	EXPECT_EQ(1u, OGPU_HW_FAULT_CTX(status));
}

TEST_F(cp, halt_hook_halts_an_idle_queue)
{
	q_setup(self, 3, 0);
	ogpu_sim_core_halt_queue(&self->core, 3);
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 3, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 3, OGPU_HW_Q_ERROR));
	EXPECT_EQ(1u << 3, rd(&self->core, OGPU_HW_REG_Q_ERROR_STATUS));
	EXPECT_TRUE(rd(&self->core, OGPU_HW_REG_IRQ_STATUS) &
		    OGPU_HW_IRQ_QUEUE_ERROR);
	/* Queue 0 is untouched, and an unknown queue is ignored. */
	ogpu_sim_core_halt_queue(&self->core, OGPU_HW_NUM_QUEUES);
	EXPECT_EQ(0u, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(1u << 3, rd(&self->core, OGPU_HW_REG_Q_ERROR_STATUS));
}

TEST_F(cp, bad_ring_config_halts)
{
	q_setup(self, 0, 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RING_SIZE, 3000);
	kick(self, 0);
	EXPECT_EQ(OGPU_HW_QE_BAD_CONFIG, qreg(self, 0, OGPU_HW_Q_ERROR));
}

TEST_F(cp, ring_wraps)
{
	u32 nop[] = { OGPU_PKT(OGPU_PKT_NOP, 1) };
	u32 w[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 77 };
	int i;

	q_setup(self, 0, 0);
	for (i = 0; i < 1022; i++)
		emit(self, 0, nop, 1);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	/* This packet straddles the end of the ring. */
	emit(self, 0, w, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(77u, (u32)vram64(self, DATA));
	EXPECT_EQ(8u, qreg(self, 0, OGPU_HW_Q_RPTR));
}

TEST_F(cp, higher_priority_runs_first)
{
	u32 lo[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 1 };
	u32 hi[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 2 };

	q_setup(self, 0, 0);
	q_setup(self, 5, 3);
	emit(self, 0, lo, 4);
	emit(self, 5, hi, 4);
	kick(self, 0);
	kick(self, 5);
	/* One step: the high-priority queue's packet. */
	ogpu_sim_core_run(&self->core, 1, 0);
	EXPECT_EQ(2u, (u32)vram64(self, DATA));
	ogpu_sim_core_run(&self->core, 1, 0);
	EXPECT_EQ(1u, (u32)vram64(self, DATA));
}

TEST_F(cp, equal_priorities_take_turns)
{
	u32 a[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 1 };
	u32 b[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 4, 0, 1 };
	int i;

	q_setup(self, 0, 1);
	q_setup(self, 1, 1);
	for (i = 0; i < 4; i++) {
		emit(self, 0, a, 4);
		emit(self, 1, b, 4);
	}
	kick(self, 0);
	kick(self, 1);
	ogpu_sim_core_run(&self->core, 2, 0);
	EXPECT_EQ(16u, qreg(self, 0, OGPU_HW_Q_RPTR));
	EXPECT_EQ(16u, qreg(self, 1, OGPU_HW_Q_RPTR));
}

TEST_F(cp, lower_priority_is_not_starved)
{
	u32 fill[] = { OGPU_PKT(OGPU_PKT_FILL, 6), DATA, 0, 0x200000, 0, 7 };
	u32 w[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA + 0x280000, 0, 1 };
	int i;

	q_setup(self, 0, 0);
	q_setup(self, 5, 3);
	emit(self, 5, fill, 6);
	for (i = 0; i < 8; i++)
		emit(self, 0, w, 4);
	kick(self, 5);
	kick(self, 0);
	/* 32 chunks of FILL at priority 3 against 8 packets at priority 0. */
	for (i = 0; i < 27; i++)
		ogpu_sim_core_run(&self->core, 1, 0);
	EXPECT_EQ(OGPU_HW_QS_BUSY, qreg(self, 5, OGPU_HW_Q_STATUS));
	/* Eight times the steps: three of 27 went to the low queue. */
	EXPECT_EQ(3u * 16, qreg(self, 0, OGPU_HW_Q_RPTR));
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(8u * 16, qreg(self, 0, OGPU_HW_Q_RPTR));
	EXPECT_EQ(7u, (u32)vram64(self, DATA + 0x1ffff8));
}

TEST_F(cp, ready_time_counts_only_time_passed_over)
{
	u32 w[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 1 };
	u32 wait[] = { OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), DATA + 64, 0, 1, 0 };
	int i;

	/*
	 * Alone, a queue waits only from its doorbell to the command
	 * processor's first step: one tick of the fake clock.
	 */
	q_setup(self, 0, 1);
	for (i = 0; i < 4; i++)
		emit(self, 0, w, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(100u, qreg(self, 0, OGPU_HW_Q_READY_NS_LO));

	/* Two busy queues of one priority: each waits for the other's steps. */
	q_setup(self, 1, 1);
	q_setup(self, 2, 1);
	for (i = 0; i < 4; i++) {
		emit(self, 0, w, 4);
		emit(self, 1, w, 4);
	}
	emit(self, 2, wait, 5);
	kick(self, 0);
	kick(self, 1);
	kick(self, 2);
	for (i = 0; i < 20; i++)
		ogpu_sim_core_run(&self->core, 16, 0);
	/* The other's four steps and a few waits for the first step. */
	EXPECT_LE(100u + 400, qreg(self, 0, OGPU_HW_Q_READY_NS_LO));
	EXPECT_GE(100u + 900, qreg(self, 0, OGPU_HW_Q_READY_NS_LO));
	EXPECT_LE(400u, qreg(self, 1, OGPU_HW_Q_READY_NS_LO));
	EXPECT_GE(900u, qreg(self, 1, OGPU_HW_Q_READY_NS_LO));
	EXPECT_EQ(0u, qreg(self, 0, OGPU_HW_Q_READY_NS_HI));
	/*
	 * Waiting on a semaphore is not waiting for the engine: only the
	 * time before the queue's first look at its packet counts, while
	 * the semaphore stays unsignalled through 20 calls.
	 */
	EXPECT_EQ(OGPU_HW_QS_WAITING, qreg(self, 2, OGPU_HW_Q_STATUS));
	EXPECT_GE(400u, qreg(self, 2, OGPU_HW_Q_READY_NS_LO));
}

/* A privileged page at PRIV_VA, over DATA + 0x2000 in VRAM. */
#define PRIV_VA		0x1000000u
#define PRIV		(RW | OGPU_HW_PTE_EXEC | OGPU_HW_PTE_PRIV)
#define IB		(DATA + 0x1000)

/* Run @ib (@n words) through an INDIRECT packet in queue 0's ring. */
static void run_ib(struct __test_metadata *_metadata,
		   struct _test_data_cp *self, const u32 *ib, u32 n)
{
	u32 ring[] = { OGPU_PKT(OGPU_PKT_INDIRECT, 4), IB, 0, n };

	memcpy(self->vram + IB, ib, n * 4);
	q_setup(self, 0, 0);
	emit(self, 0, ring, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
}

/* The queue halted on an unprivileged @access fault at @va. */
static void expect_user_fault(struct __test_metadata *_metadata,
			      struct _test_data_cp *self, u32 access, u32 va)
{
	u32 status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);

	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(va, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(OGPU_HW_FAULT_PERMISSION, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(access, OGPU_HW_FAULT_ACCESS(status));
	EXPECT_TRUE(status & OGPU_HW_FAULT_USER);
}

TEST_F(cp, indirect_buffers_cannot_write_privileged_pages)
{
	const u32 ibs[][7] = {
		{ OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), PRIV_VA, 0, 1 },
		{ OGPU_PKT(OGPU_PKT_WRITE_DATA, 5), PRIV_VA, 0, 1, 0 },
		{ OGPU_PKT(OGPU_PKT_SEM_SIGNAL, 5), PRIV_VA, 0, 1, 0 },
		{ OGPU_PKT(OGPU_PKT_TIMESTAMP, 3), PRIV_VA, 0 },
		{ OGPU_PKT(OGPU_PKT_FILL, 6), PRIV_VA, 0, 8, 0, 1 },
		{ OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, PRIV_VA, 0, 8, 0 },
	};
	unsigned int i;

	cp_map(self, PRIV_VA, PRIV | (DATA + 0x2000));
	for (i = 0; i < sizeof(ibs) / sizeof(ibs[0]); i++) {
		memset(self->vram + DATA, 0x11, 8);
		memset(self->vram + DATA + 0x2000, 0, 8);
		self->wptr[0] = 0;
		ogpu_sim_core_write(&self->core, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
		ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
		run_ib(_metadata, self, ibs[i], OGPU_PKT_NDW(ibs[i][0]));
		expect_user_fault(_metadata, self, OGPU_HW_ACCESS_WRITE, PRIV_VA);
		EXPECT_EQ(0u, vram64(self, DATA + 0x2000));
	}
}

TEST_F(cp, indirect_buffers_cannot_read_privileged_pages)
{
	u32 copy[] = { OGPU_PKT(OGPU_PKT_COPY, 7), PRIV_VA, 0, DATA, 0, 8, 0 };
	u32 wait[] = { OGPU_PKT(OGPU_PKT_SEM_WAIT, 5), PRIV_VA, 0, 0, 0 };

	cp_map(self, PRIV_VA, PRIV | (DATA + 0x2000));
	run_ib(_metadata, self, copy, 7);
	expect_user_fault(_metadata, self, OGPU_HW_ACCESS_READ, PRIV_VA);

	self->wptr[0] = 0;
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_MMU_FAULT_CLEAR, 1);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
	run_ib(_metadata, self, wait, 5);
	expect_user_fault(_metadata, self, OGPU_HW_ACCESS_READ, PRIV_VA);
}

TEST_F(cp, the_ring_reaches_privileged_pages)
{
	u32 ring[] = {
		OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), PRIV_VA, 0, 5,
		OGPU_PKT(OGPU_PKT_FENCE, 5), PRIV_VA + 8, 0, 9, 0,
	};

	cp_map(self, PRIV_VA, PRIV | (DATA + 0x2000));
	q_setup(self, 0, 0);
	emit(self, 0, ring, 9);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(5u, (u32)vram64(self, DATA + 0x2000));
	EXPECT_EQ(9u, vram64(self, DATA + 0x2008));
}

TEST_F(cp, fence_in_an_indirect_buffer_is_a_bad_packet)
{
	u32 ib[] = { OGPU_PKT(OGPU_PKT_FENCE, 5), DATA, 0, 9, 0 };

	run_ib(_metadata, self, ib, 5);
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(IB, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(0u, vram64(self, DATA));
	EXPECT_EQ(0u, rd(&self->core, OGPU_HW_REG_Q_FENCE_STATUS));
}

/* A COPY that an indirect buffer starts stays unprivileged to its end. */
TEST_F(cp, copy_outlives_its_indirect_buffer_unprivileged)
{
	u32 ib[] = { OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, PRIV_VA - 0x20000, 0,
		     0x21000, 0 };
	u64 va;

	/* 128 KiB of ordinary pages, then the privileged one. */
	for (va = PRIV_VA - 0x20000; va < PRIV_VA; va += 4096)
		cp_map(self, va, RW | (DATA + 0x80000 + (va & 0x1ffff)));
	cp_map(self, PRIV_VA, PRIV | (DATA + 0x2000));
	run_ib(_metadata, self, ib, 7);
	expect_user_fault(_metadata, self, OGPU_HW_ACCESS_WRITE, PRIV_VA);
	EXPECT_EQ(0u, vram64(self, DATA + 0x2000));
}

TEST_F(cp, packets_are_fetched_for_execution)
{
	u32 ib[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 1 };
	u32 status;

	/* The indirect buffer's page may be read, but not executed. */
	cp_map(self, IB, RW | IB);
	run_ib(_metadata, self, ib, 4);
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(OGPU_HW_FAULT_PERMISSION, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_EXEC,
		  OGPU_HW_FAULT_ACCESS(status));
	EXPECT_EQ(0u, vram64(self, DATA));
}

TEST_F(cp, disabled_queue_does_not_run)
{
	u32 w[] = { OGPU_PKT(OGPU_PKT_WRITE_DATA, 4), DATA, 0, 5 };

	q_setup(self, 0, 0);
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_CONTROL, 0);
	emit(self, 0, w, 4);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(0u, (u32)vram64(self, DATA));
}

/*
 * DISPATCH: the command processor hands a grid to the compute units and
 * goes on with the queue when its last block has ended.
 */
#define CODE		(DATA + 0x10000)
#define OUT		(DATA + 0x20000)
#define UNMAPPED_VA	0x7000000ull

/* out[gid] = gid + 1, gid = bid.x * bdim.x + tid.x; a0 = out. */
static const u32 ids_prog[] = {
	CSRR(5, OGPU_HW_CSR_TID_X),
	CSRR(6, OGPU_HW_CSR_BID_X),
	CSRR(7, OGPU_HW_CSR_BDIM_X),
	MUL(6, 6, 7),
	ADD(5, 5, 6),
	SLLI(6, 5, 2),
	ADD(6, 10, 6),
	ADDI(5, 5, 1),
	SW(5, 6, 0),
	RET,
};

static const u32 load_unmapped_prog[] = {
	LUI(5, UNMAPPED_VA),
	LW(6, 5, 0),
	RET,
};

static const u32 spin_prog[] = {
	JAL(0, 0),
};

static struct ogpu_sim_cu *test_cus[8];

static void attach_cus(struct _test_data_cp *self)
{
	u32 i;

	for (i = 0; i < self->core.cfg.num_cus; i++) {
		if (!test_cus[i])
			test_cus[i] = malloc(ogpu_sim_cu_size(self->core.cfg.cu_lanes));
		ogpu_sim_cu_init(test_cus[i], i, self->core.cfg.cu_lanes);
	}
	ogpu_sim_core_attach_cus(&self->core, test_cus);
}

static void dispatch(struct _test_data_cp *self, u32 q, const u32 *prog,
		     u32 n, u32 grid, u32 block, u32 shared, u32 flags)
{
	/* Each queue's program on a page of its own. */
	u32 w[OGPU_PKT_DISPATCH_NDW] = {
		OGPU_PKT(OGPU_PKT_DISPATCH, OGPU_PKT_DISPATCH_NDW),
		CODE + 0x1000 * q, 0, OUT, 0, 8, grid, 1, 1, block, 1, 1,
		shared, flags,
	};

	memcpy(self->vram + CODE + 0x1000 * q, prog, n * 4);
	emit(self, q, w, OGPU_PKT_DISPATCH_NDW);
}

static void fence(struct _test_data_cp *self, u32 q, u64 seq)
{
	u32 w[] = { OGPU_PKT(OGPU_PKT_FENCE, 5), DATA + 8 * q, 0, LO(seq),
		    HI(seq) };

	emit(self, q, w, 5);
}

static void run_cp_and_cus(struct _test_data_cp *self, int rounds)
{
	sim_run_cp_and_cus(&self->core, rounds);
}

TEST_F(cp, dispatch_runs_every_block_before_the_next_packet)
{
	u32 i;

	attach_cus(self);
	q_setup(self, 0, 0);
	dispatch(self, 0, ids_prog, ARRAY_SIZE(ids_prog), 5, 40, 0, 0);
	fence(self, 0, 9);
	kick(self, 0);
	/* The command processor alone: the fence waits for the grid. */
	EXPECT_EQ(OGPU_SIM_CP_IDLE, ogpu_sim_core_run(&self->core, 64, 0));
	EXPECT_EQ(0, vram64(self, DATA));
	EXPECT_EQ(OGPU_HW_QS_BUSY, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_TRUE(ogpu_sim_core_cu_wanted(&self->core));

	run_cp_and_cus(self, 100000);
	for (i = 0; i < 200; i++) {
		u32 v;

		memcpy(&v, self->vram + OUT + 4 * i, 4);
		ASSERT_EQ(i + 1, v);
	}
	EXPECT_EQ(9, vram64(self, DATA));
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
	/* 200 threads, 10 instructions each. */
	EXPECT_EQ(2000, rd(&self->core, OGPU_HW_REG_CU_INSNS_LO));
}

TEST_F(cp, dispatch_fault_halts_its_queue_with_the_cu_registers)
{
	u32 fault, where;

	attach_cus(self);
	q_setup(self, 0, 0);
	q_setup(self, 1, 0);
	dispatch(self, 0, load_unmapped_prog, ARRAY_SIZE(load_unmapped_prog),
		 4, 64, 0, 0);
	fence(self, 0, 1);
	fence(self, 1, 2);
	kick(self, 0);
	kick(self, 1);
	run_cp_and_cus(self, 100000);

	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(UNMAPPED_VA, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(OGPU_HW_CU_ERR_FAULT,
		  rd(&self->core, OGPU_HW_REG_CU_Q(0) + OGPU_HW_CU_Q_CAUSE));
	EXPECT_EQ(CODE + 4, rd(&self->core, OGPU_HW_REG_CU_Q(0) + OGPU_HW_CU_Q_PC_LO));
	EXPECT_EQ(UNMAPPED_VA,
		  rd(&self->core, OGPU_HW_REG_CU_Q(0) + OGPU_HW_CU_Q_TVAL_LO));
	where = rd(&self->core, OGPU_HW_REG_CU_Q(0) + OGPU_HW_CU_Q_WHERE);
	EXPECT_EQ(0, where & 0xff);	/* lane 0 */
	fault = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_ACCESS_READ | OGPU_HW_ACCESS_USER, OGPU_HW_FAULT_ACCESS(fault) |
		  (fault & OGPU_HW_FAULT_USER ? OGPU_HW_ACCESS_USER : 0));
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, OGPU_HW_FAULT_REASON(fault));
	EXPECT_EQ(0, vram64(self, DATA));
	/* The other queue ran on, and the units are free. */
	EXPECT_EQ(2, vram64(self, DATA + 8));
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
}

TEST_F(cp, dispatch_with_flags_is_a_bad_packet)
{
	attach_cus(self);
	q_setup(self, 0, 0);
	dispatch(self, 0, ids_prog, ARRAY_SIZE(ids_prog), 1, 32, 0, 1);
	kick(self, 0);
	run_cp_and_cus(self, 1000);
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
}

TEST_F(cp, dispatch_with_a_block_too_big_is_a_bad_packet)
{
	attach_cus(self);
	q_setup(self, 0, 0);
	dispatch(self, 0, ids_prog, ARRAY_SIZE(ids_prog), 1,
		 OGPU_HW_CU_MAX_BLOCK + 1, 0, 0);
	kick(self, 0);
	run_cp_and_cus(self, 1000);
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
}

TEST_F(cp, queue_reset_drops_an_endless_dispatch)
{
	u32 cu;

	attach_cus(self);
	q_setup(self, 0, 0);
	dispatch(self, 0, spin_prog, ARRAY_SIZE(spin_prog), 64, 64, 0, 0);
	kick(self, 0);
	run_cp_and_cus(self, 50);
	EXPECT_TRUE(ogpu_sim_core_cu_wanted(&self->core));
	EXPECT_EQ(OGPU_HW_QS_BUSY, qreg(self, 0, OGPU_HW_Q_STATUS));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
	for (cu = 0; cu < self->core.cfg.num_cus; cu++)
		EXPECT_EQ(0, ogpu_sim_core_cu_run(&self->core, cu, 64));
	/* The units take new work. */
	q_setup(self, 1, 0);
	dispatch(self, 1, ids_prog, ARRAY_SIZE(ids_prog), 1, 32, 0, 0);
	fence(self, 1, 3);
	kick(self, 1);
	run_cp_and_cus(self, 100000);
	EXPECT_EQ(3, vram64(self, DATA + 8));
}

/*
 * A dispatch whose blocks wait for units that another queue's blocks hold
 * counts the wait as ready time; the queue whose blocks hold the units
 * does not.
 */
TEST_F(cp, waiting_for_units_counts_as_ready_time)
{
	u32 hog, before, after;

	attach_cus(self);
	q_setup(self, 0, 0);
	q_setup(self, 1, 0);
	dispatch(self, 0, spin_prog, ARRAY_SIZE(spin_prog), 64, 64, 0, 0);
	kick(self, 0);
	run_cp_and_cus(self, 20);
	hog = qreg(self, 0, OGPU_HW_Q_READY_NS_LO);
	dispatch(self, 1, ids_prog, ARRAY_SIZE(ids_prog), 1, 32, 0, 0);
	fence(self, 1, 4);
	kick(self, 1);
	run_cp_and_cus(self, 20);
	before = qreg(self, 1, OGPU_HW_Q_READY_NS_LO);
	run_cp_and_cus(self, 20);
	after = qreg(self, 1, OGPU_HW_Q_READY_NS_LO);
	/* Every clock tick of those 20 rounds was a wait. */
	EXPECT_LE(before + 20 * 100, after);
	EXPECT_EQ(hog, qreg(self, 0, OGPU_HW_Q_READY_NS_LO));
	EXPECT_EQ(0, vram64(self, DATA + 8));

	/* The units come free: the waiting dispatch runs and stops waiting. */
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET, 1);
	run_cp_and_cus(self, 100000);
	EXPECT_EQ(4, vram64(self, DATA + 8));
	before = qreg(self, 1, OGPU_HW_Q_READY_NS_LO);
	run_cp_and_cus(self, 20);
	EXPECT_EQ(before, qreg(self, 1, OGPU_HW_Q_READY_NS_LO));
}

/*
 * A host whose lock is taken by "another thread" in the middle of a unit's
 * slice or of a chunk the copy engine moves: the first time an engine
 * takes the lock while busy outside it (a unit's first translation, the
 * copy engine's end of a chunk), the hook runs a register write as that
 * thread would.
 */
static struct ogpu_sim_core *locking_core;
static u32 locking_reg, locking_val;
static int locking_depth, locking_hits, locking_nested;
static bool locking_halt;	/* halt queue 0 instead of the write */

static void locking_lock(void *ctx)
{
	u32 cu;

	bool busy = locking_core->cp_seq & 1;

	/* The core never takes its lock twice. */
	if (locking_depth++)
		locking_nested++;
	for (cu = 0; cu < locking_core->cfg.num_cus; cu++)
		busy |= locking_core->cu_busy[cu];
	if (busy && (locking_reg || locking_halt)) {
		if (locking_halt)
			ogpu_sim_core_halt_queue(locking_core, 0);
		else
			ogpu_sim_core_write(locking_core, locking_reg,
					    locking_val);
		locking_reg = 0;
		locking_halt = false;
		locking_hits++;
	}
}

static void locking_unlock(void *ctx)
{
	locking_depth--;
}

static const struct ogpu_sim_host_ops locking_host = {
	.rw = fake_sysmem_rw,
	.now_ns = fake_now_ns,
	.lock = locking_lock,
	.unlock = locking_unlock,
};

/*
 * A queue reset that lands while a unit runs a slice of the queue's block
 * (outside the lock) drops the block at the slice's end: the unit is free,
 * the slice's instructions are not counted, and the queue runs again.
 */
TEST_F(cp, queue_reset_during_a_slice_drops_the_block_at_its_end)
{
	u32 cu;

	attach_cus(self);
	self->core.host = &locking_host;
	locking_core = &self->core;
	locking_hits = 0;
	locking_nested = 0;
	q_setup(self, 0, 0);
	dispatch(self, 0, spin_prog, ARRAY_SIZE(spin_prog), 1, 32, 0, 0);
	kick(self, 0);
	ogpu_sim_core_run(&self->core, 16, 0);
	EXPECT_TRUE(ogpu_sim_core_cu_wanted(&self->core));

	locking_reg = OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET;
	locking_val = 1;
	for (cu = 0; cu < self->core.cfg.num_cus; cu++)
		ogpu_sim_core_cu_run(&self->core, cu, 64);
	EXPECT_EQ(1, locking_hits);
	EXPECT_EQ(0, locking_depth);
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
	EXPECT_EQ(0, rd(&self->core, OGPU_HW_REG_CU_INSNS_LO));
	for (cu = 0; cu < self->core.cfg.num_cus; cu++) {
		EXPECT_FALSE(self->core.cu_busy[cu]);
		EXPECT_FALSE(self->core.cu_dropped[cu]);
		EXPECT_EQ(0, self->core.cu_seq[cu] & 1);
	}

	/* The unit that ran the dropped block takes new work. */
	q_setup(self, 0, 0);
	dispatch(self, 0, ids_prog, ARRAY_SIZE(ids_prog), 1, 32, 0, 0);
	fence(self, 0, 5);
	kick(self, 0);
	run_cp_and_cus(self, 100000);
	EXPECT_EQ(5, vram64(self, DATA));
	EXPECT_EQ(0, locking_depth);
	EXPECT_EQ(0, locking_nested);
	self->core.host = &fake_sysmem;
}

/*
 * A queue reset that lands while the copy engine moves a chunk of the
 * queue's FILL (outside the lock) drops the FILL: the bytes of that chunk
 * are written, no later ones, and the queue runs again from its reset.
 */
TEST_F(cp, queue_reset_during_a_chunk_drops_the_copy)
{
	u32 n = 4 * OGPU_SIM_CHUNK, dst = DATA + 0x80000, i;
	u32 fill[] = { OGPU_PKT(OGPU_PKT_FILL, 6), dst, 0, n, 0, 0xa5a5a5a5 };
	u32 copy[] = {
		OGPU_PKT(OGPU_PKT_COPY, 7), dst, 0, DATA + 0x100, 0, 256, 0,
	};

	self->core.host = &locking_host;
	locking_core = &self->core;
	locking_hits = 0;
	locking_nested = 0;
	memset(self->vram + dst, 0x77, n);
	q_setup(self, 0, 0);
	q_setup(self, 1, 0);
	emit(self, 0, fill, 6);
	kick(self, 0);

	locking_reg = OGPU_HW_REG_Q(0) + OGPU_HW_Q_RESET;
	locking_val = 1;
	EXPECT_EQ(OGPU_SIM_CP_IDLE, ogpu_sim_core_run(&self->core, 16, 0));
	EXPECT_EQ(1, locking_hits);
	EXPECT_EQ(0, locking_depth);
	EXPECT_EQ(0, self->core.cp_seq & 1);
	EXPECT_EQ(OGPU_HW_QS_IDLE, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(0, qreg(self, 0, OGPU_HW_Q_RPTR));
	EXPECT_EQ(0xa5, self->vram[dst]);
	EXPECT_EQ(0xa5, self->vram[dst + OGPU_SIM_CHUNK - 1]);
	for (i = OGPU_SIM_CHUNK; i < n; i++)
		ASSERT_EQ(0x77, self->vram[dst + i]);
	EXPECT_EQ(0, rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS));

	/* The queue runs again from its reset, and so does another. */
	self->wptr[0] = 0;
	q_setup(self, 0, 0);
	emit(self, 0, copy, 7);
	fence(self, 0, 6);
	kick(self, 0);
	fence(self, 1, 7);
	kick(self, 1);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(6, vram64(self, DATA));
	EXPECT_EQ(7, vram64(self, DATA + 8));
	EXPECT_EQ(0xa5a5a5a5u, (u32)vram64(self, DATA + 0x1fc));
	EXPECT_EQ(0, locking_depth);
	EXPECT_EQ(0, locking_nested);
	self->core.host = &fake_sysmem;
}

/*
 * A halt that lands while the copy engine moves a chunk of a COPY: the
 * queue stays halted with the halt's error, and the copy goes no further.
 */
TEST_F(cp, halt_during_a_chunk_stops_the_copy)
{
	u32 n = 2 * OGPU_SIM_CHUNK, src = DATA + 0x40000, dst = DATA + 0x80000;
	u32 copy[] = { OGPU_PKT(OGPU_PKT_COPY, 7), src, 0, dst, 0, n, 0 };
	u32 i;

	self->core.host = &locking_host;
	locking_core = &self->core;
	locking_hits = 0;
	memset(self->vram + src, 0x3c, n);
	memset(self->vram + dst, 0x77, n);
	q_setup(self, 0, 0);
	emit(self, 0, copy, 7);
	kick(self, 0);
	locking_halt = true;
	EXPECT_EQ(OGPU_SIM_CP_IDLE, ogpu_sim_core_run(&self->core, 16, 0));
	EXPECT_EQ(1, locking_hits);
	EXPECT_EQ(0, locking_depth);
	EXPECT_EQ(OGPU_HW_QS_ERROR, qreg(self, 0, OGPU_HW_Q_STATUS));
	EXPECT_EQ(OGPU_HW_QE_BAD_PACKET, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(0, rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS));
	for (i = 0; i < OGPU_SIM_CHUNK; i++)
		ASSERT_EQ(0x3c, self->vram[dst + i]);
	for (; i < n; i++)
		ASSERT_EQ(0x77, self->vram[dst + i]);
	self->core.host = &fake_sysmem;
}

/*
 * A FILL that runs off the mapped range in the middle of a chunk faults
 * as one whose pieces of 4 KiB run under the lock: the bytes up to the
 * unmapped page are written, the fault is at that page, and the queue's
 * error address is where the faulting piece began.
 */
TEST_F(cp, fill_faults_mid_chunk_where_its_piece_began)
{
	u32 end = CP_BASE + CP_SIZE, dst = end - 4096 - 100, i, status;
	u32 fill[] = { OGPU_PKT(OGPU_PKT_FILL, 6), dst, 0, 3 * 4096, 0,
		       0x01020304 };

	memset(self->vram + dst, 0x77, end - dst);
	q_setup(self, 0, 0);
	emit(self, 0, fill, 6);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(dst + 4096, qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(end, rd(&self->core, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_FAULT_NOT_PRESENT, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_WRITE, OGPU_HW_FAULT_ACCESS(status));
	for (i = dst; i < end; i += 4) {
		u32 v;

		memcpy(&v, self->vram + i, 4);
		ASSERT_EQ(0x01020304u, v);
	}
}

/*
 * A COPY to a system page the host cannot reach faults at that page (a
 * bad table), after the pages before it.
 */
TEST_F(cp, copy_to_unreachable_system_page_faults_at_it)
{
	u64 dst = SYSVA + 4096 - 8;
	u32 copy[] = { OGPU_PKT(OGPU_PKT_COPY, 7), DATA, 0, LO(dst), HI(dst),
		       3 * 4096, 0 };
	u32 status;

	map_sys(self, RW);
	/* The third page's DMA address is past the host's memory. */
	cp_map(self, SYSVA + 0x2000, RW | SYS | (SYS_BASE + SYS_SIZE));
	memset(self->vram + DATA, 0x5a, 3 * 4096);
	memset(sys, 0, 0x4000);
	q_setup(self, 0, 0);
	emit(self, 0, copy, 7);
	kick(self, 0);
	EXPECT_EQ(OGPU_SIM_CP_IDLE, run_all(self));
	EXPECT_EQ(OGPU_HW_QE_FAULT, qreg(self, 0, OGPU_HW_Q_ERROR));
	EXPECT_EQ(LO(SYSVA + 0x2000), qreg(self, 0, OGPU_HW_Q_ERROR_ADDR_LO));
	EXPECT_EQ(LO(SYSVA + 0x2000), rd(&self->core, OGPU_HW_REG_MMU_FAULT_ADDR_LO));
	status = rd(&self->core, OGPU_HW_REG_MMU_FAULT_STATUS);
	EXPECT_EQ(OGPU_HW_FAULT_BAD_TABLE, OGPU_HW_FAULT_REASON(status));
	EXPECT_EQ(OGPU_HW_ACCESS_WRITE, OGPU_HW_FAULT_ACCESS(status));
	EXPECT_EQ(0x5a, sys[4096 - 8]);
	EXPECT_EQ(0x5a, sys[0x2000 - 1]);
	EXPECT_EQ(0, sys[0x2000]);
}

/* Only as many idle units are woken as blocks wait for one. */
TEST_F(cp, a_dispatch_wakes_one_idle_unit_per_waiting_block)
{
	u32 cu;

	attach_cus(self);
	ASSERT_LT(3, self->core.cfg.num_cus);
	q_setup(self, 0, 0);
	EXPECT_EQ(0, ogpu_sim_core_cu_to_wake(&self->core));
	dispatch(self, 0, spin_prog, ARRAY_SIZE(spin_prog), 3, 32, 0, 0);
	kick(self, 0);
	ogpu_sim_core_run(&self->core, 16, 0);
	EXPECT_EQ(0x7, ogpu_sim_core_cu_to_wake(&self->core));
	/* Units 0-2 take the blocks: nothing waits, nobody to wake. */
	for (cu = 0; cu < 3; cu++)
		ogpu_sim_core_cu_run(&self->core, cu, 8);
	EXPECT_EQ(0, ogpu_sim_core_cu_to_wake(&self->core));
	/* Another queue's blocks go to the units that are still idle. */
	q_setup(self, 1, 0);
	dispatch(self, 1, spin_prog, ARRAY_SIZE(spin_prog), 2, 32, 0, 0);
	kick(self, 1);
	ogpu_sim_core_run(&self->core, 16, 0);
	EXPECT_EQ(0x18, ogpu_sim_core_cu_to_wake(&self->core));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_RESET,
			    OGPU_HW_RESET_KEY);
	EXPECT_EQ(0, ogpu_sim_core_cu_to_wake(&self->core));
}

TEST_F(cp, device_reset_drops_every_dispatch)
{
	attach_cus(self);
	q_setup(self, 0, 0);
	dispatch(self, 0, spin_prog, ARRAY_SIZE(spin_prog), 8, 32, 0, 0);
	kick(self, 0);
	run_cp_and_cus(self, 20);
	EXPECT_TRUE(ogpu_sim_core_cu_wanted(&self->core));
	ogpu_sim_core_write(&self->core, OGPU_HW_REG_RESET, OGPU_HW_RESET_KEY);
	EXPECT_FALSE(ogpu_sim_core_cu_wanted(&self->core));
	EXPECT_EQ(0, rd(&self->core, OGPU_HW_REG_CU_INSNS_LO));
}

TEST_F(cp, cu_limits_are_in_the_registers)
{
	EXPECT_EQ(OGPU_HW_CU_ISA_RV64G, rd(&self->core, OGPU_HW_REG_CU_ISA));
	EXPECT_EQ(1024, rd(&self->core, OGPU_HW_REG_CU_MAX_BLOCK));
	EXPECT_EQ(65536, rd(&self->core, OGPU_HW_REG_CU_SHARED_MAX));
	EXPECT_EQ(1024, rd(&self->core, OGPU_HW_REG_CU_PRIVATE));
	EXPECT_EQ(1, rd(&self->core, OGPU_HW_REG_CU_CSR_VERSION));
}

TEST_HARNESS_MAIN
