// SPDX-License-Identifier: GPL-2.0
/* Unit tests of gvt/cfg_space.c: the PCI config-space rules. */
#include "mvgpu_cfg.h"
#include "unit.h"

#define MiB		(1024ull * 1024)
#define GiB		(1024 * MiB)
#define MSI		MVGPU_PCI_MSI_CAP

/* A type-8 vGPU of a 512 MiB parent: BAR2 is 64 MiB. */
static void setup(struct mvgpu_cfg *cfg)
{
	mvgpu_cfg_init(cfg, 8, MVGPU_BAR0_SIZE, 64 * MiB);
}

static u32 rd(const struct mvgpu_cfg *cfg, unsigned int off, unsigned int len)
{
	u8 b[4] = { 0 };
	u32 v = 0;
	unsigned int i;

	EXPECT_EQ(mvgpu_cfg_read(cfg, off, b, len), 0);
	for (i = 0; i < len; i++)
		v |= (u32)b[i] << (8 * i);
	return v;
}

static void wr(struct mvgpu_cfg *cfg, unsigned int off, u32 v,
	       unsigned int len)
{
	u8 b[4];
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = (u8)(v >> (8 * i));
	EXPECT_EQ(mvgpu_cfg_write(cfg, off, b, len), 0);
}

static void test_identity(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	EXPECT_EQ(rd(&cfg, PCI_VENDOR_ID, 2), MVGPU_PCI_VENDOR_ID);
	EXPECT_EQ(rd(&cfg, PCI_DEVICE_ID, 2), MVGPU_PCI_DEVICE_ID);
	EXPECT_EQ(rd(&cfg, PCI_REVISION_ID, 1), MVGPU_PCI_REVISION);
	EXPECT_EQ(rd(&cfg, PCI_CLASS_PROG, 1), MVGPU_PCI_CLASS & 0xff);
	EXPECT_EQ(rd(&cfg, PCI_CLASS_DEVICE, 2), MVGPU_PCI_CLASS >> 8);
	EXPECT_EQ(rd(&cfg, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL);
	EXPECT_EQ(rd(&cfg, PCI_SUBSYSTEM_VENDOR_ID, 2),
		  MVGPU_PCI_SUBSYS_VENDOR_ID);
	EXPECT_EQ(rd(&cfg, PCI_SUBSYSTEM_ID, 2), 8);
	EXPECT_EQ(rd(&cfg, PCI_INTERRUPT_PIN, 1), 1);
	EXPECT_EQ(rd(&cfg, PCI_CAPABILITY_LIST, 1), MSI);
}

static void test_identity_read_only(void)
{
	struct mvgpu_cfg cfg, orig;
	static const unsigned int ro[] = {
		PCI_VENDOR_ID, PCI_REVISION_ID, PCI_CLASS_PROG, PCI_HEADER_TYPE,
		PCI_BIST, PCI_SUBSYSTEM_VENDOR_ID, PCI_CAPABILITY_LIST,
		PCI_INTERRUPT_PIN, PCI_MIN_GNT, PCI_MAX_LAT,
		MSI + PCI_CAP_LIST_ID,
	};
	unsigned int i;

	setup(&cfg);
	orig = cfg;
	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		wr(&cfg, ro[i] & ~3u, 0xffffffff, 4);
		wr(&cfg, ro[i] & ~3u, 0, 4);
		EXPECT_EQ(rd(&cfg, ro[i], 1), orig.data[ro[i]]);
	}
	/* The whole ID dword and the class dword, by bytes too. */
	for (i = 0; i < 4; i++) {
		wr(&cfg, PCI_VENDOR_ID + i, 0x5a, 1);
		wr(&cfg, PCI_CLASS_REVISION + i, 0x5a, 1);
	}
	EXPECT_EQ(rd(&cfg, PCI_VENDOR_ID, 4),
		  MVGPU_PCI_DEVICE_ID << 16 | MVGPU_PCI_VENDOR_ID);
	EXPECT_EQ(rd(&cfg, PCI_CLASS_REVISION, 4),
		  MVGPU_PCI_CLASS << 8 | MVGPU_PCI_REVISION);
}

static void test_command(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2), 0);
	wr(&cfg, PCI_COMMAND, 0xffff, 2);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2), MVGPU_CFG_COMMAND_WMASK);
	EXPECT(mvgpu_cfg_intx_disabled(&cfg));
	/* A byte write to the upper half leaves the lower half alone. */
	wr(&cfg, PCI_COMMAND + 1, 0, 1);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2), MVGPU_CFG_COMMAND_WMASK & 0xff);
	EXPECT(!mvgpu_cfg_intx_disabled(&cfg));
	wr(&cfg, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2),
		  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* Writing the command register does not touch status. */
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
}

static void test_status_rw1c(void)
{
	struct mvgpu_cfg cfg;
	u16 all = MVGPU_CFG_STATUS_W1C;

	setup(&cfg);
	/* Writes of all ones cannot set anything. */
	wr(&cfg, PCI_STATUS, 0xffff, 2);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);

	/* As if the device had latched every error bit. */
	cfg.data[PCI_STATUS] |= all & 0xff;
	cfg.data[PCI_STATUS + 1] |= all >> 8;
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST | all);

	/* Writing 0 keeps them, writing 1 clears exactly that bit. */
	wr(&cfg, PCI_STATUS, 0, 2);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST | all);
	wr(&cfg, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT, 2);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2),
		  PCI_STATUS_CAP_LIST | (all & ~PCI_STATUS_REC_MASTER_ABORT));
	/* A dword write through the command register clears status too. */
	wr(&cfg, PCI_COMMAND, 0xffffu << 16, 4);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2), 0);
}

static void test_intx_status(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	mvgpu_cfg_set_intx_status(&cfg, true);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2),
		  PCI_STATUS_CAP_LIST | PCI_STATUS_INTERRUPT);
	/* Read-only to the guest: neither 1 nor 0 changes it. */
	wr(&cfg, PCI_STATUS, PCI_STATUS_INTERRUPT, 2);
	EXPECT(rd(&cfg, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	wr(&cfg, PCI_STATUS, 0, 2);
	EXPECT(rd(&cfg, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	mvgpu_cfg_set_intx_status(&cfg, false);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
}

static void test_header_rw_bytes(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	wr(&cfg, PCI_CACHE_LINE_SIZE, 0x10, 1);
	wr(&cfg, PCI_LATENCY_TIMER, 0x40, 1);
	wr(&cfg, PCI_INTERRUPT_LINE, 0x0b, 1);
	EXPECT_EQ(rd(&cfg, PCI_CACHE_LINE_SIZE, 1), 0x10);
	EXPECT_EQ(rd(&cfg, PCI_LATENCY_TIMER, 1), 0x40);
	EXPECT_EQ(rd(&cfg, PCI_INTERRUPT_LINE, 1), 0x0b);
	/* A dword write over line/pin/min_gnt/max_lat changes only line. */
	wr(&cfg, PCI_INTERRUPT_LINE, 0xffffffff, 4);
	EXPECT_EQ(rd(&cfg, PCI_INTERRUPT_LINE, 4), 0x000001ff);
}

/* Write all ones, read back; then program an address. */
static u32 size_probe(struct mvgpu_cfg *cfg, unsigned int off)
{
	wr(cfg, off, 0xffffffff, 4);
	return rd(cfg, off, 4);
}

static void test_bar0_sizing(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_0, 4),
		  PCI_BASE_ADDRESS_MEM_TYPE_64);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_0),
		  (u32)~(MVGPU_BAR0_SIZE - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_1), 0xffffffff);
	wr(&cfg, PCI_BASE_ADDRESS_0, 0xfd000000, 4);
	wr(&cfg, PCI_BASE_ADDRESS_1, 0x00000001, 4);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_0, 4),
		  0xfd000000 | PCI_BASE_ADDRESS_MEM_TYPE_64);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_1, 4), 1);
	/* An address below the BAR's alignment is truncated, flags stay. */
	wr(&cfg, PCI_BASE_ADDRESS_0, 0xfd123456, 4);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_0, 4),
		  0xfd000000 | PCI_BASE_ADDRESS_MEM_TYPE_64);
}

static void test_bar2_sizing(void)
{
	static const u64 sizes[] = { 8 * MiB, 64 * MiB, 512 * MiB, 1 * GiB,
				     2 * GiB, 4 * GiB };
	u32 flags = PCI_BASE_ADDRESS_MEM_TYPE_64 |
		    PCI_BASE_ADDRESS_MEM_PREFETCH;
	struct mvgpu_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 mask = ~(sizes[i] - 1);

		mvgpu_cfg_init(&cfg, 1, MVGPU_BAR0_SIZE, sizes[i]);
		EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_2, 4), flags);
		EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_2),
			  ((u32)mask & 0xfffffff0) | flags);
		EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_3),
			  (u32)(mask >> 32));
		/* Sizing one BAR leaves the other alone. */
		EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_0, 4),
			  PCI_BASE_ADDRESS_MEM_TYPE_64);
	}
}

static void test_bar32_sizing(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	/* A 32-bit BAR: no upper half, the next BAR stays independent. */
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 1 * MiB, 0), 0);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_4, 4), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_4), 0xfff00000);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_5), 0);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 5, 4096,
				    PCI_BASE_ADDRESS_MEM_PREFETCH), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_5),
		  0xfffff000 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_4, 4), 0xfff00000);

	/* Invalid declarations change nothing. */
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 5, 4096,
				    PCI_BASE_ADDRESS_MEM_TYPE_64), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 6, 4096, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 3000, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 8, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 4 * GiB, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 4096, PCI_BASE_ADDRESS_SPACE_IO),
		  -EINVAL);
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_4, 4), 0xfff00000);

	/* Size 0 retires the BAR. */
	EXPECT_EQ(mvgpu_cfg_set_bar(&cfg, 4, 0, 0), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_4), 0);
}

static void test_unused_bars_and_rom(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_4), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_BASE_ADDRESS_5), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_ROM_ADDRESS), 0);
	EXPECT_EQ(size_probe(&cfg, PCI_CARDBUS_CIS), 0);
}

static void test_msi_cap(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	EXPECT_EQ(rd(&cfg, MSI + PCI_CAP_LIST_ID, 1), PCI_CAP_ID_MSI);
	EXPECT_EQ(rd(&cfg, MSI + PCI_CAP_LIST_NEXT, 1), 0);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_FLAGS, 2), PCI_MSI_FLAGS_64BIT);
	EXPECT(!mvgpu_cfg_msi_enabled(&cfg));

	/* Only the enable bit is writable: one vector, no masking. */
	wr(&cfg, MSI + PCI_MSI_FLAGS, 0xffff, 2);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_FLAGS, 2),
		  PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_ENABLE);
	EXPECT(mvgpu_cfg_msi_enabled(&cfg));
	/* A write of the whole header dword cannot move the next pointer. */
	wr(&cfg, MSI, 0xffffffff, 4);
	EXPECT_EQ(rd(&cfg, MSI, 2), PCI_CAP_ID_MSI);

	wr(&cfg, MSI + PCI_MSI_ADDRESS_LO, 0xffffffff, 4);
	wr(&cfg, MSI + PCI_MSI_ADDRESS_HI, 0xffffffff, 4);
	wr(&cfg, MSI + PCI_MSI_DATA_64, 0xffffffff, 4);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_ADDRESS_LO, 4), 0xfffffffc);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_ADDRESS_HI, 4), 0xffffffff);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_DATA_64, 4), 0xffff);

	wr(&cfg, MSI + PCI_MSI_ADDRESS_LO, 0xfee01000, 4);
	wr(&cfg, MSI + PCI_MSI_ADDRESS_HI, 0, 4);
	wr(&cfg, MSI + PCI_MSI_DATA_64, 0x4041, 2);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_ADDRESS_LO, 4), 0xfee01000);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_ADDRESS_HI, 4), 0);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_DATA_64, 4), 0x4041);

	wr(&cfg, MSI + PCI_MSI_FLAGS, 0, 2);
	EXPECT(!mvgpu_cfg_msi_enabled(&cfg));
	/* Past the capability: nothing is writable. */
	wr(&cfg, MSI + 0x10, 0xffffffff, 4);
	EXPECT_EQ(rd(&cfg, MSI + 0x10, 4), 0);
	wr(&cfg, 0xfc, 0xffffffff, 4);
	EXPECT_EQ(rd(&cfg, 0xfc, 4), 0);
}

static void test_reset(void)
{
	struct mvgpu_cfg cfg;

	setup(&cfg);
	wr(&cfg, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	wr(&cfg, PCI_BASE_ADDRESS_2, 0xe0000000, 4);
	wr(&cfg, PCI_INTERRUPT_LINE, 10, 1);
	wr(&cfg, MSI + PCI_MSI_ADDRESS_LO, 0xfee00000, 4);
	wr(&cfg, MSI + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE, 2);
	cfg.data[PCI_STATUS + 1] |= PCI_STATUS_SIG_SYSTEM_ERROR >> 8;

	mvgpu_cfg_reset(&cfg);
	EXPECT_EQ(rd(&cfg, PCI_COMMAND, 2), 0);
	EXPECT_EQ(rd(&cfg, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
	EXPECT(!mvgpu_cfg_msi_enabled(&cfg));
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_FLAGS, 2), PCI_MSI_FLAGS_64BIT);
	/* What the VMM programmed stays. */
	EXPECT_EQ(rd(&cfg, PCI_BASE_ADDRESS_2, 4),
		  0xe0000000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
		  PCI_BASE_ADDRESS_MEM_PREFETCH);
	EXPECT_EQ(rd(&cfg, PCI_INTERRUPT_LINE, 1), 10);
	EXPECT_EQ(rd(&cfg, MSI + PCI_MSI_ADDRESS_LO, 4), 0xfee00000);
}

static void test_out_of_range(void)
{
	struct mvgpu_cfg cfg, orig;
	u8 buf[MVGPU_PCI_CFG_SIZE + 8];

	setup(&cfg);
	orig = cfg;
	memset(buf, 0xa5, sizeof(buf));
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 256, buf, 1), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 255, buf, 2), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 0, buf, 257), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 0, buf, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_read(&cfg, ~0ull, buf, 2), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 1ull << 40, buf, 4), -EINVAL);
	/* Nothing was written to the buffer on failure. */
	EXPECT_EQ(buf[0], 0xa5);
	EXPECT_EQ(mvgpu_cfg_write(&cfg, 256, buf, 1), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_write(&cfg, 254, buf, 4), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_write(&cfg, 0, buf, 0), -EINVAL);
	EXPECT_EQ(mvgpu_cfg_write(&cfg, ~0ull - 1, buf, 4), -EINVAL);
	EXPECT(!memcmp(&cfg, &orig, sizeof(cfg)));
	EXPECT_EQ(mvgpu_cfg_read32(&cfg, 254), 0);
	EXPECT_EQ(mvgpu_cfg_read32(&cfg, 2), 0);
}

static void test_whole_space_read(void)
{
	struct mvgpu_cfg cfg;
	u8 buf[MVGPU_PCI_CFG_SIZE];
	unsigned int off;

	setup(&cfg);
	/* One read of all 256 bytes, as QEMU does, equals dword reads. */
	EXPECT_EQ(mvgpu_cfg_read(&cfg, 0, buf, sizeof(buf)), 0);
	for (off = 0; off < MVGPU_PCI_CFG_SIZE; off += 4)
		EXPECT_EQ(buf[off] | buf[off + 1] << 8 | buf[off + 2] << 16 |
			  (u32)buf[off + 3] << 24, mvgpu_cfg_read32(&cfg, off));
	EXPECT_EQ(mvgpu_cfg_read32(&cfg, PCI_VENDOR_ID),
		  MVGPU_PCI_DEVICE_ID << 16 | MVGPU_PCI_VENDOR_ID);
	/*
	 * An unaligned 3-byte read across a dword boundary: sub-class and
	 * base class, then the cache line size (0).
	 */
	EXPECT_EQ(rd(&cfg, PCI_CLASS_DEVICE, 3), MVGPU_PCI_CLASS >> 8);
}

const struct unit_test cfg_space_tests[] = {
	{ "identity registers hold the mvgpu IDs", test_identity },
	{ "identity, header type, cap pointer are read-only", test_identity_read_only },
	{ "command register: only the defined bits are writable", test_command },
	{ "status register: RW1C error bits, read-only rest", test_status_rw1c },
	{ "status INTx bit follows the device, not writes", test_intx_status },
	{ "cache line, latency timer, interrupt line writable", test_header_rw_bytes },
	{ "BAR0: 64-bit 16 MiB sizing and programming", test_bar0_sizing },
	{ "BAR2: 64-bit prefetchable sizing, 8 MiB..4 GiB", test_bar2_sizing },
	{ "32-bit BAR sizing and invalid BAR declarations", test_bar32_sizing },
	{ "unused BARs, ROM and CIS read 0", test_unused_bars_and_rom },
	{ "MSI capability: enable, address, data writes", test_msi_cap },
	{ "reset clears command, MSI enable, error status", test_reset },
	{ "out-of-range accesses fail without effect", test_out_of_range },
	{ "whole-space and unaligned reads", test_whole_space_read },
};

const unsigned int cfg_space_nr_tests =
	ARRAY_SIZE(cfg_space_tests);
