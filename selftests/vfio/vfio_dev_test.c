// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_dev_test <uuid>: drive an mvgpu vGPU through VFIO the way a VMM does
 * and check it against the device contract (uapi/mvgpu_hw.h and the
 * project brief): device and region info, PCI config space, BAR0 registers,
 * BAR2 VRAM (pread/pwrite and mmap), interrupts (MSI, INTx, SET_IRQS
 * validation) and reset.
 *
 * Each test opens the device through the legacy container/group path
 * (some reopen it through the iommufd cdev path) and closes it again.
 * Output is kselftest TAP; exit status 0 iff every test passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

/* An expected eventfd signal must arrive within this time. */
#define EV_WAIT_MS	2000
/*
 * An unexpected one would be sent synchronously from the register write that
 * triggers it; this margin only covers scheduling noise.
 */
#define EV_QUIET_MS	250

#define MAX_EFDS	8
#define MAX_MAPS	8

/* A 32-bit BAR's flag bits and the 64-bit memory BAR flags we expect. */
#define BAR0_FLAGS	PCI_BASE_ADDRESS_MEM_TYPE_64
#define BAR2_FLAGS	(PCI_BASE_ADDRESS_MEM_TYPE_64 | \
			 PCI_BASE_ADDRESS_MEM_PREFETCH)

/* Offsets inside the MSI capability (64-bit, no per-vector masking). */
#define MSI_CTRL	(MVGPU_PCI_MSI_CAP + PCI_MSI_FLAGS)
#define MSI_ADDR_LO	(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO)
#define MSI_ADDR_HI	(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_HI)
#define MSI_DATA	(MVGPU_PCI_MSI_CAP + PCI_MSI_DATA_64)

/* BAR2 offsets written by the tests; VRAM_UNTOUCHED is never written. */
#define VRAM_MMAP_A	0x10000u
#define VRAM_MMAP_B	0x20000u
#define VRAM_PERSIST	0x30000u
#define VRAM_RESIDENT	0x40000u
#define VRAM_RESET	0x50000u

struct ctx {
	const char *uuid;
	/* From sysfs at start-up; 0 when unreadable (tests then fail). */
	unsigned int frac;
	uint64_t mem_bytes;
	char sysfs_err[512];

	struct mv_dev dev;	/* opened by setup() via container/group */
	struct mv_dev dev2;	/* a second open by the test itself */
	int efd[MAX_EFDS];
	unsigned int nr_efd;
	struct {
		void *addr;
		size_t len;
	} map[MAX_MAPS];
	unsigned int nr_map;
};

static uint64_t run_cookie;

/* Deterministic per-run pattern so stale data from a former run mismatches. */
static void fill_pattern(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = (seed + 1) * 0x9e3779b97f4a7c15ull ^ run_cookie;
	uint8_t *p = buf;
	size_t i;

	if (!x)
		x = 1;
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = x >> 32;
	}
}

/* Index of the first differing byte, or -1. */
static long first_diff(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

static int fx_eventfd(struct ctx *c)
{
	int fd = mv_eventfd();

	if (fd >= 0 && c->nr_efd < MAX_EFDS)
		c->efd[c->nr_efd++] = fd;
	return fd;
}

static void fx_track_map(struct ctx *c, void *addr, size_t len)
{
	if (addr != MAP_FAILED && c->nr_map < MAX_MAPS) {
		c->map[c->nr_map].addr = addr;
		c->map[c->nr_map].len = len;
		c->nr_map++;
	}
}

static int setup(void *arg)
{
	struct ctx *c = arg;
	int ret;

	c->nr_efd = 0;
	c->nr_map = 0;
	mv_dev_init(&c->dev2);
	ret = mv_dev_open(&c->dev, c->uuid, MV_OPEN_CONTAINER);
	if (ret)
		tap_diag("opening %s via container/group: %s", c->uuid,
			 mv_err());
	return ret;
}

static void teardown(void *arg)
{
	struct ctx *c = arg;
	unsigned int i;

	for (i = 0; i < c->nr_map; i++)
		munmap(c->map[i].addr, c->map[i].len);
	mv_dev_close(&c->dev2);
	mv_dev_close(&c->dev);
	for (i = 0; i < c->nr_efd; i++)
		close(c->efd[i]);
}

/* Register access that records a failed check at the caller's line. */
#define BAR0_RD(d, off)							\
	({								\
		uint32_t __v = 0;					\
		CHECK(mv_bar0_read(d, off, &__v) == 0,			\
		      "BAR0 read at 0x%x: %s", (unsigned int)(off),	\
		      mv_err());					\
		__v;							\
	})
#define BAR0_WR(d, off, val)						\
	CHECK(mv_bar0_write(d, off, val) == 0, "BAR0 write at 0x%x: %s", \
	      (unsigned int)(off), mv_err())
#define CFG_RD(d, off, size)						\
	({								\
		uint32_t __v = 0;					\
		CHECK(mv_cfg_read(d, off, size, &__v) == 0,		\
		      "config read%d at 0x%x: %s", (size) * 8,		\
		      (unsigned int)(off), mv_err());			\
		__v;							\
	})
#define CFG_WR(d, off, size, val)					\
	CHECK(mv_cfg_write(d, off, size, val) == 0,			\
	      "config write%d at 0x%x: %s", (size) * 8,			\
	      (unsigned int)(off), mv_err())

/* Expect one eventfd signal with counter 1. */
#define CHECK_FIRES(efd, what)						\
	({								\
		uint64_t __cnt = 0;					\
		int __r = mv_eventfd_wait(efd, EV_WAIT_MS, &__cnt);	\
		CHECK(__r == 1 && __cnt == 1,				\
		      "%s: want one signal within %d ms, got %s (count %llu)", \
		      what, EV_WAIT_MS,					\
		      __r == 1 ? "a signal" : __r == 0 ? "none" : mv_err(), \
		      (unsigned long long)__cnt);			\
	})
#define CHECK_QUIET(efd, what)						\
	({								\
		uint64_t __cnt = 0;					\
		int __r = mv_eventfd_wait(efd, EV_QUIET_MS, &__cnt);	\
		CHECK(__r == 0, "%s: want no signal, got %s (count %llu)", \
		      what, __r == 1 ? "a signal" : mv_err(),		\
		      (unsigned long long)__cnt);			\
	})

static uint64_t bar_size(struct ctx *c, uint32_t index)
{
	struct mv_dev *d = &c->dev;

	if (index >= d->nr_regions || d->region_ret[index])
		return 0;
	return d->region[index].size;
}

/* IRQ_ENABLE = 0 and every status bit cleared: no interrupt asserted. */
static void irq_quiesce(struct mv_dev *d)
{
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, 0);
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, 0xffffffff);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), 0,
		 "IRQ_STATUS after W1C of all bits");
}

/* Program the MSI capability like a guest driver and (dis)able it. */
static void msi_config(struct mv_dev *d, bool enable)
{
	uint32_t cmd, ctrl;

	CFG_WR(d, MSI_ADDR_LO, 4, 0xfee00000);
	CFG_WR(d, MSI_ADDR_HI, 4, 0);
	CFG_WR(d, MSI_DATA, 2, 0x0041);
	ctrl = CFG_RD(d, MSI_CTRL, 2);
	ctrl = enable ? ctrl | PCI_MSI_FLAGS_ENABLE :
			ctrl & ~PCI_MSI_FLAGS_ENABLE;
	CFG_WR(d, MSI_CTRL, 2, ctrl);
	CHECK_EQ(CFG_RD(d, MSI_CTRL, 2) & PCI_MSI_FLAGS_ENABLE,
		 enable ? PCI_MSI_FLAGS_ENABLE : 0, "MSI enable bit");
	cmd = CFG_RD(d, PCI_COMMAND, 2);
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	cmd &= ~PCI_COMMAND_INTX_DISABLE;
	CFG_WR(d, PCI_COMMAND, 2, cmd);
}

/* ---- device info and open paths ---------------------------------------- */

static void check_device_info(struct mv_dev *d)
{
	CHECK(d->info.flags & VFIO_DEVICE_FLAGS_PCI,
	      "%s: flags 0x%x lack VFIO_DEVICE_FLAGS_PCI",
	      mv_open_mode_name(d->mode), d->info.flags);
	CHECK(d->info.flags & VFIO_DEVICE_FLAGS_RESET,
	      "%s: flags 0x%x lack VFIO_DEVICE_FLAGS_RESET",
	      mv_open_mode_name(d->mode), d->info.flags);
	CHECK(d->info.num_regions >= VFIO_PCI_NUM_REGIONS,
	      "%s: num_regions %u < %u", mv_open_mode_name(d->mode),
	      d->info.num_regions, VFIO_PCI_NUM_REGIONS);
	CHECK(d->info.num_irqs >= VFIO_PCI_NUM_IRQS,
	      "%s: num_irqs %u < %u", mv_open_mode_name(d->mode),
	      d->info.num_irqs, VFIO_PCI_NUM_IRQS);
}

static void test_info_container(void *arg)
{
	struct ctx *c = arg;

	check_device_info(&c->dev);
	CHECK_EQ(BAR0_RD(&c->dev, MVGPU_REG_ID), MVGPU_ID_MAGIC,
		 "BAR0 ID through the container path");
}

static void test_info_cdev(void *arg)
{
	struct ctx *c = arg;
	int ret;

	/* The group path must let go before the cdev path may bind. */
	mv_dev_close(&c->dev);
	ret = mv_dev_open(&c->dev2, c->uuid, MV_OPEN_CDEV);
	REQUIRE(ret == 0, "open via cdev/iommufd: %s", mv_err());
	check_device_info(&c->dev2);
	CHECK_EQ(BAR0_RD(&c->dev2, MVGPU_REG_ID), MVGPU_ID_MAGIC,
		 "BAR0 ID through the cdev path");
	CHECK_EQ(CFG_RD(&c->dev2, PCI_VENDOR_ID, 2), MVGPU_PCI_VENDOR_ID,
		 "vendor ID through the cdev path");
}

static void test_info_argsz(void *arg)
{
	struct ctx *c = arg;
	struct vfio_device_info info = { .argsz = 4 };

	CHECK_SYSERR(ioctl(c->dev.fd, VFIO_DEVICE_GET_INFO, &info), EINVAL,
		     EINVAL, "GET_INFO with argsz 4");
}

static void check_dma_map(struct mv_dev *d)
{
	const size_t size = 2u << 20;
	const uint64_t iova = 1ull << 30;
	void *buf = mv_dma_alloc(size);

	REQUIRE(buf != MAP_FAILED, "%s", mv_err());
	memset(buf, 0x5a, size);
	if (CHECK(mv_dma_map(d, buf, iova, size) == 0, "%s: %s",
		  mv_open_mode_name(d->mode), mv_err()))
		CHECK(mv_dma_unmap(d, iova, size) == 0, "%s: %s",
		      mv_open_mode_name(d->mode), mv_err());
	munmap(buf, size);
}

static void test_dma_container(void *arg)
{
	struct ctx *c = arg;

	check_dma_map(&c->dev);
}

static void test_dma_cdev(void *arg)
{
	struct ctx *c = arg;

	mv_dev_close(&c->dev);
	REQUIRE(mv_dev_open(&c->dev2, c->uuid, MV_OPEN_CDEV) == 0,
		"open via cdev/iommufd: %s", mv_err());
	check_dma_map(&c->dev2);
}

/* ---- regions ------------------------------------------------------------ */

static const struct vfio_region_info *region(struct ctx *c, uint32_t index)
{
	struct mv_dev *d = &c->dev;

	if (!CHECK(index < d->nr_regions, "region %u not reported", index))
		return NULL;
	if (!CHECK(d->region_ret[index] == 0, "GET_REGION_INFO(%u): %s",
		   index, strerror(-d->region_ret[index])))
		return NULL;
	CHECK_EQ(d->region[index].index, index, "region info index");
	return &d->region[index];
}

#define RW_FLAGS	(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)

static void test_region_bar0(void *arg)
{
	const struct vfio_region_info *r;
	struct ctx *c = arg;

	r = region(c, VFIO_PCI_BAR0_REGION_INDEX);
	REQUIRE(r, "no BAR0 region");
	CHECK_EQ(r->size, MVGPU_BAR0_SIZE, "BAR0 region size");
	CHECK_EQ(r->flags & RW_FLAGS, RW_FLAGS, "BAR0 READ|WRITE flags");
	CHECK(!(r->flags & VFIO_REGION_INFO_FLAG_MMAP),
	      "BAR0 must not be mmap-able (flags 0x%x)", r->flags);
}

static void test_region_bar2(void *arg)
{
	const uint32_t want = RW_FLAGS | VFIO_REGION_INFO_FLAG_MMAP;
	const struct vfio_region_info *r;
	struct ctx *c = arg;
	char desc[256], *p;
	unsigned long desc_mb;

	r = region(c, VFIO_PCI_BAR2_REGION_INDEX);
	REQUIRE(r, "no BAR2 region");
	REQUIRE(c->mem_bytes, "mvgpu/memory_mb unreadable: %s", c->sysfs_err);
	CHECK_EQ(r->size, c->mem_bytes, "BAR2 size vs mvgpu/memory_mb");
	CHECK(r->size && !(r->size & (r->size - 1)),
	      "BAR2 size 0x%llx not a power of two",
	      (unsigned long long)r->size);
	CHECK_EQ(r->flags & want, want, "BAR2 READ|WRITE|MMAP flags");

	/* The type's description advertises the same memory size. */
	REQUIRE(mv_sysfs_read(c->uuid, "mdev_type/description", desc,
			      sizeof(desc)) == 0, "%s", mv_err());
	p = strstr(desc, "memory=");
	REQUIRE(p, "type description '%s' has no memory=", desc);
	desc_mb = strtoul(p + strlen("memory="), NULL, 10);
	CHECK_EQ((uint64_t)desc_mb << 20, r->size,
		 "BAR2 size vs type description '%s'", desc);
}

static void test_region_config(void *arg)
{
	const struct vfio_region_info *r;
	struct ctx *c = arg;

	r = region(c, VFIO_PCI_CONFIG_REGION_INDEX);
	REQUIRE(r, "no config region");
	CHECK_EQ(r->size, MVGPU_PCI_CFG_SIZE, "config region size");
	CHECK_EQ(r->flags & RW_FLAGS, RW_FLAGS, "config READ|WRITE flags");
	CHECK(!(r->flags & VFIO_REGION_INFO_FLAG_MMAP),
	      "config space must not be mmap-able (flags 0x%x)", r->flags);
}

static void test_region_unused(void *arg)
{
	static const uint32_t idx[] = {
		VFIO_PCI_BAR1_REGION_INDEX, VFIO_PCI_BAR3_REGION_INDEX,
		VFIO_PCI_BAR4_REGION_INDEX, VFIO_PCI_BAR5_REGION_INDEX,
		VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX,
	};
	struct ctx *c = arg;
	unsigned int i;

	for (i = 0; i < TAP_ARRAY_SIZE(idx); i++) {
		const struct vfio_region_info *r = region(c, idx[i]);

		if (r)
			CHECK_EQ(r->size, 0, "size of unused region %u",
				 idx[i]);
	}
}

static void test_region_bad_index(void *arg)
{
	struct vfio_region_info info;
	struct ctx *c = arg;

	CHECK_SYSERR(mv_region_info_raw(c->dev.fd, c->dev.info.num_regions,
					sizeof(info), &info) ? -1 : 0,
		     EINVAL, EINVAL, "GET_REGION_INFO(num_regions=%u)",
		     c->dev.info.num_regions);
	CHECK_SYSERR(mv_region_info_raw(c->dev.fd, 0xffffffff, sizeof(info),
					&info) ? -1 : 0,
		     EINVAL, EINVAL, "GET_REGION_INFO(0xffffffff)");
}

static void test_region_argsz(void *arg)
{
	struct vfio_region_info info;
	struct ctx *c = arg;

	/* argsz must cover at least up to and including .offset. */
	CHECK_SYSERR(mv_region_info_raw(c->dev.fd, VFIO_PCI_BAR0_REGION_INDEX,
					8, &info) ? -1 : 0,
		     EINVAL, EINVAL, "GET_REGION_INFO(BAR0) with argsz 8");
	CHECK_SYSERR(mv_region_info_raw(c->dev.fd, VFIO_PCI_BAR2_REGION_INDEX,
					0, &info) ? -1 : 0,
		     EINVAL, EINVAL, "GET_REGION_INFO(BAR2) with argsz 0");
}

/* ---- PCI config space --------------------------------------------------- */

static void test_cfg_ids(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;

	CHECK_EQ(CFG_RD(d, PCI_VENDOR_ID, 2), MVGPU_PCI_VENDOR_ID,
		 "vendor ID");
	CHECK_EQ(CFG_RD(d, PCI_DEVICE_ID, 2), MVGPU_PCI_DEVICE_ID,
		 "device ID");
	CHECK_EQ(CFG_RD(d, PCI_VENDOR_ID, 4),
		 MVGPU_PCI_DEVICE_ID << 16 | MVGPU_PCI_VENDOR_ID,
		 "vendor/device dword");
	CHECK_EQ(CFG_RD(d, PCI_REVISION_ID, 1), MVGPU_PCI_REVISION,
		 "revision");
	CHECK_EQ(CFG_RD(d, PCI_CLASS_REVISION, 4) >> 8, MVGPU_PCI_CLASS,
		 "class code");
	CHECK_EQ(CFG_RD(d, PCI_SUBSYSTEM_VENDOR_ID, 2),
		 MVGPU_PCI_SUBSYS_VENDOR_ID, "subsystem vendor ID");
	REQUIRE(c->frac, "vGPU type unreadable: %s", c->sysfs_err);
	CHECK_EQ(CFG_RD(d, PCI_SUBSYSTEM_ID, 2), c->frac,
		 "subsystem device ID vs type mvgpu-%u", c->frac);
}

static void test_cfg_header(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint32_t ctrl;

	CHECK_EQ(CFG_RD(d, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL,
		 "header type (single function, type 0)");
	CHECK(CFG_RD(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST,
	      "status lacks the capability-list bit");
	CHECK_EQ(CFG_RD(d, PCI_CAPABILITY_LIST, 1), MVGPU_PCI_MSI_CAP,
		 "capability pointer");
	CHECK_EQ(CFG_RD(d, MVGPU_PCI_MSI_CAP + PCI_CAP_LIST_ID, 1),
		 PCI_CAP_ID_MSI, "capability ID at 0x%x", MVGPU_PCI_MSI_CAP);
	CHECK_EQ(CFG_RD(d, MVGPU_PCI_MSI_CAP + PCI_CAP_LIST_NEXT, 1), 0,
		 "next pointer of the MSI capability");
	ctrl = CFG_RD(d, MSI_CTRL, 2);
	CHECK(ctrl & PCI_MSI_FLAGS_64BIT, "MSI control 0x%x: not 64-bit",
	      ctrl);
	CHECK_EQ(ctrl & PCI_MSI_FLAGS_QMASK, 0,
		 "MSI multiple-message capable (1 vector)");
	CHECK_EQ(CFG_RD(d, PCI_INTERRUPT_PIN, 1), 1, "interrupt pin (INTA)");
}

static void test_cfg_readonly(void *arg)
{
	static const struct {
		uint32_t off;
		unsigned int size;
		const char *name;
	} ro[] = {
		{ PCI_VENDOR_ID, 4, "vendor/device ID" },
		{ PCI_VENDOR_ID, 2, "vendor ID" },
		{ PCI_DEVICE_ID, 2, "device ID" },
		{ PCI_CLASS_REVISION, 4, "revision/class" },
		{ PCI_CLASS_DEVICE, 2, "class/subclass" },
		{ PCI_HEADER_TYPE, 1, "header type" },
		{ PCI_SUBSYSTEM_VENDOR_ID, 4, "subsystem IDs" },
		{ PCI_SUBSYSTEM_ID, 2, "subsystem device ID" },
		{ PCI_CAPABILITY_LIST, 1, "capability pointer" },
		{ PCI_INTERRUPT_PIN, 1, "interrupt pin" },
		{ MVGPU_PCI_MSI_CAP, 2, "MSI capability ID/next" },
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	unsigned int i;

	for (i = 0; i < TAP_ARRAY_SIZE(ro); i++) {
		uint32_t mask = ro[i].size == 4 ? 0xffffffff :
				(1u << (ro[i].size * 8)) - 1;
		uint32_t before = CFG_RD(d, ro[i].off, ro[i].size);

		/* The write may be dropped or refused; it must not stick. */
		mv_cfg_write(d, ro[i].off, ro[i].size, ~before & mask);
		CHECK_EQ(CFG_RD(d, ro[i].off, ro[i].size), before,
			 "%s after writing its complement", ro[i].name);
		mv_cfg_write(d, ro[i].off, ro[i].size, mask);
		CHECK_EQ(CFG_RD(d, ro[i].off, ro[i].size), before,
			 "%s after writing all-ones", ro[i].name);
	}
	/* The 64-bit bit of MSI control is read-only as well. */
	mv_cfg_write(d, MSI_CTRL, 2, 0);
	CHECK(CFG_RD(d, MSI_CTRL, 2) & PCI_MSI_FLAGS_64BIT,
	      "MSI 64-bit flag cleared by a write");
}

static void test_cfg_command(void *arg)
{
	const uint32_t may = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			     PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
			     PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE;
	const uint32_t must = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			      PCI_COMMAND_INTX_DISABLE;
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint32_t orig, v;

	orig = CFG_RD(d, PCI_COMMAND, 2);
	CFG_WR(d, PCI_COMMAND, 2, 0xffff);
	v = CFG_RD(d, PCI_COMMAND, 2);
	CHECK_EQ(v & ~may, 0,
		 "command bits set after writing 0xffff beyond IO/MEM/MASTER/PARITY/SERR/INTX_DISABLE (read 0x%x)",
		 v);
	CHECK_EQ(v & must, must, "MEM|MASTER|INTX_DISABLE after writing 0xffff");
	CFG_WR(d, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(CFG_RD(d, PCI_COMMAND, 2), PCI_COMMAND_MEMORY,
		 "command after writing MEM only");
	CFG_WR(d, PCI_COMMAND, 2, 0);
	CHECK_EQ(CFG_RD(d, PCI_COMMAND, 2), 0, "command after writing 0");
	CFG_WR(d, PCI_COMMAND, 2, orig);
}

static void test_cfg_status(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint32_t before;

	before = CFG_RD(d, PCI_STATUS, 2);
	/* Error bits are RW1C and none is pending: writing 1s sets nothing. */
	CFG_WR(d, PCI_STATUS, 2, 0xffff);
	CHECK_EQ(CFG_RD(d, PCI_STATUS, 2), before,
		 "status after writing 0xffff");
	CFG_WR(d, PCI_STATUS, 2, 0);
	CHECK_EQ(CFG_RD(d, PCI_STATUS, 2), before, "status after writing 0");
	CHECK(CFG_RD(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST,
	      "capability-list bit lost");
}

static void check_bar_sizing(struct ctx *c, unsigned int bar, uint64_t size,
			     uint32_t flags)
{
	static const uint32_t vals[] = {
		0xffffffff, 0x12345678, 0xc0000000, 0x00000000, 0xfedcba98,
	};
	const uint32_t lo = PCI_BASE_ADDRESS_0 + 4 * bar, hi = lo + 4;
	struct mv_dev *d = &c->dev;
	uint64_t mask = ~(size - 1);
	uint32_t mask_lo = (uint32_t)mask & PCI_BASE_ADDRESS_MEM_MASK;
	uint32_t mask_hi = mask >> 32;
	uint32_t orig_lo, orig_hi;
	unsigned int i;

	REQUIRE(size && !(size & (size - 1)), "BAR%u size 0x%llx unusable",
		bar, (unsigned long long)size);
	orig_lo = CFG_RD(d, lo, 4);
	orig_hi = CFG_RD(d, hi, 4);
	CHECK_EQ(orig_lo & ~PCI_BASE_ADDRESS_MEM_MASK, flags,
		 "BAR%u flag bits", bar);

	for (i = 0; i < TAP_ARRAY_SIZE(vals); i++) {
		CFG_WR(d, lo, 4, vals[i]);
		CHECK_EQ(CFG_RD(d, lo, 4), (vals[i] & mask_lo) | flags,
			 "BAR%u low after writing 0x%08x", bar, vals[i]);
		CFG_WR(d, hi, 4, vals[i]);
		CHECK_EQ(CFG_RD(d, hi, 4), vals[i] & mask_hi,
			 "BAR%u high after writing 0x%08x", bar, vals[i]);
	}

	CFG_WR(d, lo, 4, orig_lo);
	CFG_WR(d, hi, 4, orig_hi);
	CHECK_EQ(CFG_RD(d, lo, 4), orig_lo, "BAR%u low restored", bar);
	CHECK_EQ(CFG_RD(d, hi, 4), orig_hi, "BAR%u high restored", bar);
}

static void test_cfg_bar0(void *arg)
{
	struct ctx *c = arg;

	check_bar_sizing(c, 0, MVGPU_BAR0_SIZE, BAR0_FLAGS);
}

static void test_cfg_bar2(void *arg)
{
	struct ctx *c = arg;

	REQUIRE(c->mem_bytes, "mvgpu/memory_mb unreadable: %s", c->sysfs_err);
	check_bar_sizing(c, 2, c->mem_bytes, BAR2_FLAGS);
}

static void test_cfg_unused(void *arg)
{
	static const struct {
		uint32_t off;
		const char *name;
	} regs[] = {
		{ PCI_BASE_ADDRESS_4, "BAR4" },
		{ PCI_BASE_ADDRESS_5, "BAR5" },
		{ PCI_ROM_ADDRESS, "expansion ROM BAR" },
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	unsigned int i;

	for (i = 0; i < TAP_ARRAY_SIZE(regs); i++) {
		CHECK_EQ(CFG_RD(d, regs[i].off, 4), 0, "%s", regs[i].name);
		mv_cfg_write(d, regs[i].off, 4, 0xffffffff);
		CHECK_EQ(CFG_RD(d, regs[i].off, 4), 0,
			 "%s after writing all-ones", regs[i].name);
		mv_cfg_write(d, regs[i].off, 4, 0xfe000001);
		CHECK_EQ(CFG_RD(d, regs[i].off, 4), 0,
			 "%s after writing 0xfe000001", regs[i].name);
	}
}

static void test_cfg_intline(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint32_t orig = CFG_RD(d, PCI_INTERRUPT_LINE, 1);

	CFG_WR(d, PCI_INTERRUPT_LINE, 1, 0x0b);
	CHECK_EQ(CFG_RD(d, PCI_INTERRUPT_LINE, 1), 0x0b, "interrupt line");
	CFG_WR(d, PCI_INTERRUPT_LINE, 1, 0xa5);
	CHECK_EQ(CFG_RD(d, PCI_INTERRUPT_LINE, 1), 0xa5, "interrupt line");
	CFG_WR(d, PCI_INTERRUPT_LINE, 1, orig);
}

static void test_cfg_msi(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint32_t ctrl, v;

	ctrl = CFG_RD(d, MSI_CTRL, 2);
	CFG_WR(d, MSI_ADDR_LO, 4, 0xfee01000);
	CHECK_EQ(CFG_RD(d, MSI_ADDR_LO, 4), 0xfee01000, "MSI address low");
	CFG_WR(d, MSI_ADDR_HI, 4, 0x12345678);
	CHECK_EQ(CFG_RD(d, MSI_ADDR_HI, 4), 0x12345678, "MSI address high");
	CFG_WR(d, MSI_DATA, 2, 0x4321);
	CHECK_EQ(CFG_RD(d, MSI_DATA, 2), 0x4321, "MSI data");

	CFG_WR(d, MSI_CTRL, 2, ctrl | PCI_MSI_FLAGS_ENABLE);
	v = CFG_RD(d, MSI_CTRL, 2);
	CHECK(v & PCI_MSI_FLAGS_ENABLE, "MSI enable did not stick (0x%x)", v);
	CHECK_EQ(v & (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_QMASK),
		 ctrl & (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_QMASK),
		 "MSI read-only control bits after enabling");
	CFG_WR(d, MSI_CTRL, 2, ctrl & ~PCI_MSI_FLAGS_ENABLE);
	CHECK_EQ(CFG_RD(d, MSI_CTRL, 2) & PCI_MSI_FLAGS_ENABLE, 0,
		 "MSI enable after clearing it");
	CFG_WR(d, MSI_ADDR_HI, 4, 0);
}

static void test_cfg_bounds(void *arg)
{
	static const struct {
		uint32_t off;
		unsigned int len;
	} bad[] = {
		{ 256, 1 }, { 256, 4 }, { 255, 2 }, { 254, 4 }, { 253, 4 },
		{ 0x1000, 4 },
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint8_t buf[4] = { 0 };
	unsigned int i;
	uint32_t last;

	CHECK(mv_cfg_read(d, 252, 4, &last) == 0,
	      "last config dword unreadable: %s", mv_err());
	for (i = 0; i < TAP_ARRAY_SIZE(bad); i++) {
		CHECK(mv_region_pread(d, VFIO_PCI_CONFIG_REGION_INDEX,
				      bad[i].off, buf, bad[i].len) < 0,
		      "config read of %u bytes at 0x%x succeeded",
		      bad[i].len, bad[i].off);
		CHECK(mv_region_pwrite(d, VFIO_PCI_CONFIG_REGION_INDEX,
				       bad[i].off, buf, bad[i].len) < 0,
		      "config write of %u bytes at 0x%x succeeded",
		      bad[i].len, bad[i].off);
	}
}

/* ---- BAR0 registers ----------------------------------------------------- */

static uint64_t bar0_rd64(struct mv_dev *d, uint32_t lo)
{
	uint64_t v = BAR0_RD(d, lo);

	return v | (uint64_t)BAR0_RD(d, lo + 4) << 32;
}

static void test_bar0_identity(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint64_t instance;
	uint32_t caps;

	CHECK_EQ(BAR0_RD(d, MVGPU_REG_ID), MVGPU_ID_MAGIC, "ID register");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_VERSION),
		 MVGPU_HW_VERSION_MAJOR << 16 | MVGPU_HW_VERSION_MINOR,
		 "VERSION register");
	caps = BAR0_RD(d, MVGPU_REG_CAPS);
	CHECK_EQ(caps & (MVGPU_CAP_MSI | MVGPU_CAP_VRAM),
		 MVGPU_CAP_MSI | MVGPU_CAP_VRAM, "CAPS register MSI|VRAM");
	CHECK_EQ(bar0_rd64(d, MVGPU_REG_VRAM_SIZE_LO),
		 bar_size(c, VFIO_PCI_BAR2_REGION_INDEX),
		 "VRAM_SIZE vs BAR2 region size");
	REQUIRE(c->frac && c->mem_bytes, "sysfs unreadable: %s",
		c->sysfs_err);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_VGPU_TYPE), c->frac,
		 "VGPU_TYPE vs type mvgpu-%u", c->frac);
	CHECK_EQ(bar0_rd64(d, MVGPU_REG_VRAM_SIZE_LO), c->mem_bytes,
		 "VRAM_SIZE vs mvgpu/memory_mb");
	REQUIRE(mv_sysfs_read_u64(c->uuid, "mvgpu/instance", &instance) == 0,
		"%s", mv_err());
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_INSTANCE), instance,
		 "INSTANCE vs mvgpu/instance");
}

static void test_bar0_ggtt(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint64_t base, size, sbase, ssize;

	base = bar0_rd64(d, MVGPU_REG_GGTT_BASE_LO);
	size = bar0_rd64(d, MVGPU_REG_GGTT_SIZE_LO);
	CHECK(size && !(size & (size - 1)),
	      "GGTT size 0x%llx is not a non-zero power of two",
	      (unsigned long long)size);
	CHECK(size && !(base & (size - 1)),
	      "GGTT base 0x%llx not aligned to its size 0x%llx",
	      (unsigned long long)base, (unsigned long long)size);
	REQUIRE(mv_sysfs_read_u64(c->uuid, "mvgpu/ggtt_base", &sbase) == 0,
		"%s", mv_err());
	REQUIRE(mv_sysfs_read_u64(c->uuid, "mvgpu/ggtt_size", &ssize) == 0,
		"%s", mv_err());
	CHECK_EQ(base, sbase, "GGTT_BASE vs mvgpu/ggtt_base");
	CHECK_EQ(size, ssize, "GGTT_SIZE vs mvgpu/ggtt_size");
}

static void test_bar0_readonly(void *arg)
{
	static const uint32_t regs[] = {
		MVGPU_REG_ID, MVGPU_REG_VERSION, MVGPU_REG_CAPS,
		MVGPU_REG_VGPU_TYPE, MVGPU_REG_VRAM_SIZE_LO,
		MVGPU_REG_VRAM_SIZE_HI, MVGPU_REG_GGTT_BASE_LO,
		MVGPU_REG_GGTT_BASE_HI, MVGPU_REG_GGTT_SIZE_LO,
		MVGPU_REG_GGTT_SIZE_HI, MVGPU_REG_INSTANCE,
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	unsigned int i;

	for (i = 0; i < TAP_ARRAY_SIZE(regs); i++) {
		uint32_t before = BAR0_RD(d, regs[i]);

		/* Dropped or refused, the write must not stick. */
		mv_bar0_write(d, regs[i], ~before);
		CHECK_EQ(BAR0_RD(d, regs[i]), before,
			 "register 0x%x after writing its complement",
			 regs[i]);
		mv_bar0_write(d, regs[i], 0);
		CHECK_EQ(BAR0_RD(d, regs[i]), before,
			 "register 0x%x after writing 0", regs[i]);
	}
}

static void test_bar0_scratch(void *arg)
{
	static const uint32_t pat[] = { 0xffffffff, 0x00000000, 0xa5a55a5a };
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	unsigned int i, j;

	/* Distinct values per word show the words are independent. */
	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
		BAR0_WR(d, MVGPU_REG_SCRATCH0 + 4 * i,
			0xdead0000 | (run_cookie & 0xff00) | i);
	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
		CHECK_EQ(BAR0_RD(d, MVGPU_REG_SCRATCH0 + 4 * i),
			 0xdead0000 | (run_cookie & 0xff00) | i,
			 "SCRATCH%u", i);
	for (j = 0; j < TAP_ARRAY_SIZE(pat); j++) {
		for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
			BAR0_WR(d, MVGPU_REG_SCRATCH0 + 4 * i, pat[j] ^ i);
		for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
			CHECK_EQ(BAR0_RD(d, MVGPU_REG_SCRATCH0 + 4 * i),
				 pat[j] ^ i, "SCRATCH%u", i);
	}
}

static void test_bar0_access_size(void *arg)
{
	static const struct {
		uint32_t off;
		unsigned int len;
	} bad[] = {
		{ 0, 1 }, { 1, 1 }, { 0, 2 }, { 2, 2 }, { 0, 8 },
		{ 1, 4 }, { 2, 4 }, { 3, 4 }, { 4, 8 },
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	const uint32_t s0 = MVGPU_REG_SCRATCH0;
	uint8_t buf[8];
	unsigned int i;

	BAR0_WR(d, s0, 0x11223344);
	BAR0_WR(d, s0 + 4, 0x55667788);
	memset(buf, 0xee, sizeof(buf));
	for (i = 0; i < TAP_ARRAY_SIZE(bad); i++) {
		CHECK_SYSERR(mv_region_pread(d, VFIO_PCI_BAR0_REGION_INDEX,
					     s0 + bad[i].off, buf,
					     bad[i].len),
			     EINVAL, EINVAL, "BAR0 read of %u bytes at 0x%x",
			     bad[i].len, s0 + bad[i].off);
		CHECK_SYSERR(mv_region_pwrite(d, VFIO_PCI_BAR0_REGION_INDEX,
					      s0 + bad[i].off, buf,
					      bad[i].len),
			     EINVAL, EINVAL, "BAR0 write of %u bytes at 0x%x",
			     bad[i].len, s0 + bad[i].off);
	}
	CHECK_EQ(BAR0_RD(d, s0), 0x11223344,
		 "SCRATCH0 after rejected narrow/unaligned writes");
	CHECK_EQ(BAR0_RD(d, s0 + 4), 0x55667788,
		 "SCRATCH1 after rejected narrow/unaligned writes");
	/* Also in the GGTT window. */
	CHECK_SYSERR(mv_region_pread(d, VFIO_PCI_BAR0_REGION_INDEX,
				     MVGPU_GGTT_WINDOW_OFFSET + 2, buf, 2),
		     EINVAL, EINVAL, "BAR0 16-bit read in the GGTT window");
}

static void test_bar0_bounds(void *arg)
{
	static const uint64_t offs[] = {
		MVGPU_BAR0_SIZE, MVGPU_BAR0_SIZE + 4, MVGPU_BAR0_SIZE + 4096,
		2ull * MVGPU_BAR0_SIZE, 1ull << 32,
	};
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint8_t buf[4] = { 0 };
	unsigned int i;

	for (i = 0; i < TAP_ARRAY_SIZE(offs); i++) {
		CHECK(mv_region_pread(d, VFIO_PCI_BAR0_REGION_INDEX, offs[i],
				      buf, 4) < 0,
		      "BAR0 read at 0x%llx succeeded",
		      (unsigned long long)offs[i]);
		CHECK(mv_region_pwrite(d, VFIO_PCI_BAR0_REGION_INDEX, offs[i],
				       buf, 4) < 0,
		      "BAR0 write at 0x%llx succeeded",
		      (unsigned long long)offs[i]);
	}
	/* The last dword is inside the BAR (GGTT window). */
	CHECK(mv_region_read(d, VFIO_PCI_BAR0_REGION_INDEX,
			     MVGPU_BAR0_SIZE - 4, buf, 4) == 0,
	      "last BAR0 dword: %s", mv_err());
}

/* Window offset of the PTE of graphics address @g. */
static uint32_t ggtt_pte_off(uint64_t g)
{
	return MVGPU_GGTT_WINDOW_OFFSET + 8 * (uint32_t)(g >> 12);
}

/*
 * The GGTT window: entries of the vGPU's slice read 0 after open and keep
 * what is written once the high dword commits them; a lone low dword does
 * not.  Entries outside the slice read 0 and ignore writes.
 */
static void test_bar0_ggtt_window(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint64_t base = bar0_rd64(d, MVGPU_REG_GGTT_BASE_LO);
	uint64_t size = bar0_rd64(d, MVGPU_REG_GGTT_SIZE_LO);
	uint64_t inside[2] = { base, base + size - 4096 };
	uint64_t outside[2];
	unsigned int i, n = 0;

	REQUIRE(size >= 8192 && base + size <= (1ull << 32),
		"GGTT slice 0x%llx + 0x%llx", (unsigned long long)base,
		(unsigned long long)size);
	if (base)
		outside[n++] = base - 4096;
	if (base + size < (1ull << 32))
		outside[n++] = base + size;
	CHECK(n > 0, "the slice cannot cover the whole GGTT");

	for (i = 0; i < 2; i++) {
		uint32_t off = ggtt_pte_off(inside[i]);

		CHECK_EQ(BAR0_RD(d, off), 0, "PTE at 0x%x after open", off);
		CHECK_EQ(BAR0_RD(d, off + 4), 0, "PTE high at 0x%x after open",
			 off);
		/* A low dword alone is latched, not committed. */
		BAR0_WR(d, off, 0xabcde003);
		CHECK_EQ(BAR0_RD(d, off), 0, "PTE at 0x%x before its high dword",
			 off);
		BAR0_WR(d, off + 4, 0x12);
		CHECK_EQ(BAR0_RD(d, off), 0xabcde003, "PTE low at 0x%x", off);
		CHECK_EQ(BAR0_RD(d, off + 4), 0x12, "PTE high at 0x%x", off);
		BAR0_WR(d, off, 0);
		BAR0_WR(d, off + 4, 0);
		CHECK_EQ(BAR0_RD(d, off), 0, "PTE at 0x%x cleared", off);
	}
	for (i = 0; i < n; i++) {
		uint32_t off = ggtt_pte_off(outside[i]);

		BAR0_WR(d, off, 0xfffff003);
		BAR0_WR(d, off + 4, 0x34);
		CHECK_EQ(BAR0_RD(d, off), 0, "PTE outside the slice at 0x%x",
			 off);
		CHECK_EQ(BAR0_RD(d, off + 4), 0,
			 "PTE high outside the slice at 0x%x", off);
	}
}

static void test_bar0_nommap(void *arg)
{
	struct ctx *c = arg;
	void *p;

	p = mv_region_mmap(&c->dev, VFIO_PCI_BAR0_REGION_INDEX, 0, 4096,
			   PROT_READ | PROT_WRITE);
	fx_track_map(c, p, 4096);
	CHECK(p == MAP_FAILED, "mmap of BAR0 succeeded");
	p = mv_region_mmap(&c->dev, VFIO_PCI_CONFIG_REGION_INDEX, 0, 4096,
			   PROT_READ);
	fx_track_map(c, p, 4096);
	CHECK(p == MAP_FAILED, "mmap of config space succeeded");
}

/* ---- BAR2 VRAM ---------------------------------------------------------- */

#define BAR2	VFIO_PCI_BAR2_REGION_INDEX

static void check_vram_rw(struct mv_dev *d, uint64_t off, size_t len)
{
	uint8_t *wr = malloc(len), *rd = malloc(len);
	long diff;

	if (!CHECK(wr && rd, "out of memory"))
		goto out;
	fill_pattern(wr, len, off ^ len);
	memset(rd, 0, len);
	if (!CHECK(mv_region_write(d, BAR2, off, wr, len) == 0, "%s",
		   mv_err()))
		goto out;
	if (!CHECK(mv_region_read(d, BAR2, off, rd, len) == 0, "%s",
		   mv_err()))
		goto out;
	diff = first_diff(wr, rd, len);
	CHECK(diff < 0,
	      "BAR2 0x%llx+0x%zx: byte %ld reads 0x%02x, wrote 0x%02x",
	      (unsigned long long)off, len, diff, diff < 0 ? 0 : rd[diff],
	      diff < 0 ? 0 : wr[diff]);
out:
	free(wr);
	free(rd);
}

static void test_bar2_rw(void *arg)
{
	struct ctx *c = arg;
	uint64_t size = bar_size(c, BAR2);

	REQUIRE(size >= (1u << 20), "BAR2 size 0x%llx too small",
		(unsigned long long)size);
	check_vram_rw(&c->dev, 0, 4096);
	check_vram_rw(&c->dev, 4096 - 3, 1);
	check_vram_rw(&c->dev, 4096 + 6, 2);
	check_vram_rw(&c->dev, 8192 + 8, 8);
	check_vram_rw(&c->dev, size / 2 + 123, 3 * 4096 + 77);
	check_vram_rw(&c->dev, size - 4096, 4096);
	check_vram_rw(&c->dev, size - 7, 7);
}

static void test_bar2_untouched(void *arg)
{
	struct ctx *c = arg;
	uint64_t size = bar_size(c, BAR2);
	uint8_t buf[4096], zero[4096] = { 0 };
	long diff;

	REQUIRE(size >= (1u << 20), "BAR2 size 0x%llx too small",
		(unsigned long long)size);
	/* No test writes here: lazily backed VRAM must not leak old data. */
	memset(buf, 0xcc, sizeof(buf));
	REQUIRE(mv_region_read(&c->dev, BAR2, size / 4 * 3, buf,
			       sizeof(buf)) == 0, "%s", mv_err());
	diff = first_diff(buf, zero, sizeof(buf));
	CHECK(diff < 0, "never-written VRAM byte at 0x%llx reads 0x%02x",
	      (unsigned long long)(size / 4 * 3 + (diff < 0 ? 0 : diff)),
	      diff < 0 ? 0 : buf[diff]);
}

static void test_bar2_mmap(void *arg)
{
	struct ctx *c = arg;
	uint64_t size = bar_size(c, BAR2);
	uint8_t a[8192], b[8192], rd[8192];
	uint8_t *map, *sub;
	long diff;

	REQUIRE(size >= (1u << 20), "BAR2 size 0x%llx too small",
		(unsigned long long)size);
	map = mv_region_mmap(&c->dev, BAR2, 0, size, PROT_READ | PROT_WRITE);
	fx_track_map(c, map, size);
	REQUIRE(map != MAP_FAILED, "mmap of all of BAR2: %s", mv_err());

	/* pwrite, then read through the mapping. */
	fill_pattern(a, sizeof(a), VRAM_MMAP_A);
	REQUIRE(mv_region_write(&c->dev, BAR2, VRAM_MMAP_A, a, sizeof(a)) == 0,
		"%s", mv_err());
	diff = first_diff(map + VRAM_MMAP_A, a, sizeof(a));
	CHECK(diff < 0, "mmap byte 0x%lx differs from what pwrite wrote",
	      (long)VRAM_MMAP_A + diff);

	/* Write through the mapping, across a page boundary; pread it. */
	fill_pattern(b, sizeof(b), VRAM_MMAP_B);
	memcpy(map + VRAM_MMAP_B + 100, b, sizeof(b));
	REQUIRE(mv_region_read(&c->dev, BAR2, VRAM_MMAP_B + 100, rd,
			       sizeof(rd)) == 0, "%s", mv_err());
	diff = first_diff(rd, b, sizeof(b));
	CHECK(diff < 0, "pread byte 0x%lx differs from the mmap store",
	      (long)VRAM_MMAP_B + 100 + diff);

	/* A second mapping at a page offset sees the same bytes. */
	sub = mv_region_mmap(&c->dev, BAR2, VRAM_MMAP_B, 8192, PROT_READ);
	fx_track_map(c, sub, 8192);
	REQUIRE(sub != MAP_FAILED, "mmap of BAR2+0x%x: %s", VRAM_MMAP_B,
		mv_err());
	diff = first_diff(sub + 100, b, sizeof(b) - 100);
	CHECK(diff < 0, "offset mapping byte 0x%lx differs",
	      (long)VRAM_MMAP_B + 100 + diff);

	/* The end of the region is mapped too. */
	map[size - 1] = 0x5c;
	REQUIRE(mv_region_read(&c->dev, BAR2, size - 1, rd, 1) == 0, "%s",
		mv_err());
	CHECK_EQ(rd[0], 0x5c, "last VRAM byte stored through mmap");
}

static void test_bar2_mmap_bounds(void *arg)
{
	struct ctx *c = arg;
	uint64_t size = bar_size(c, BAR2);
	void *p;

	REQUIRE(size >= (1u << 20), "BAR2 size 0x%llx too small",
		(unsigned long long)size);
	p = mv_region_mmap(&c->dev, BAR2, 0, size + 4096, PROT_READ);
	fx_track_map(c, p, size + 4096);
	CHECK(p == MAP_FAILED, "mmap of BAR2 size + 4 KiB succeeded");
	p = mv_region_mmap(&c->dev, BAR2, size, 4096, PROT_READ);
	fx_track_map(c, p, 4096);
	CHECK(p == MAP_FAILED, "mmap at the end of BAR2 succeeded");
	p = mv_region_mmap(&c->dev, BAR2, size - 4096, 8192, PROT_READ);
	fx_track_map(c, p, 8192);
	CHECK(p == MAP_FAILED, "mmap crossing the end of BAR2 succeeded");
}

static void test_bar2_bounds(void *arg)
{
	struct ctx *c = arg;
	uint64_t size = bar_size(c, BAR2);
	uint8_t buf[8] = { 0 };
	ssize_t n;

	REQUIRE(size >= (1u << 20), "BAR2 size 0x%llx too small",
		(unsigned long long)size);
	CHECK(mv_region_pread(&c->dev, BAR2, size, buf, 4) < 0,
	      "BAR2 read at its size succeeded");
	CHECK(mv_region_pwrite(&c->dev, BAR2, size, buf, 4) < 0,
	      "BAR2 write at its size succeeded");
	CHECK(mv_region_pread(&c->dev, BAR2, size + 4096, buf, 4) < 0,
	      "BAR2 read beyond its size succeeded");
	n = mv_region_pread(&c->dev, BAR2, size - 4, buf, 8);
	CHECK(n != 8, "BAR2 read crossing its end returned 8 bytes");
}

static void test_bar2_persist(void *arg)
{
	struct ctx *c = arg;
	uint8_t wr[8192], rd[8192];
	uint8_t *map;
	long diff;

	fill_pattern(wr, sizeof(wr), VRAM_PERSIST);
	REQUIRE(mv_region_write(&c->dev, BAR2, VRAM_PERSIST, wr,
				sizeof(wr)) == 0, "%s", mv_err());
	mv_dev_close(&c->dev);

	/* Reopen through the other interface: the memory is the vGPU's. */
	REQUIRE(mv_dev_open(&c->dev2, c->uuid, MV_OPEN_CDEV) == 0,
		"reopen via cdev: %s", mv_err());
	memset(rd, 0, sizeof(rd));
	REQUIRE(mv_region_read(&c->dev2, BAR2, VRAM_PERSIST, rd,
			       sizeof(rd)) == 0, "%s", mv_err());
	diff = first_diff(wr, rd, sizeof(wr));
	CHECK(diff < 0, "VRAM byte 0x%lx changed across close/reopen",
	      (long)VRAM_PERSIST + diff);
	map = mv_region_mmap(&c->dev2, BAR2, VRAM_PERSIST, sizeof(wr),
			     PROT_READ);
	fx_track_map(c, map, sizeof(wr));
	REQUIRE(map != MAP_FAILED, "%s", mv_err());
	diff = first_diff(wr, map, sizeof(wr));
	CHECK(diff < 0,
	      "VRAM byte 0x%lx changed across close/reopen (via mmap)",
	      (long)VRAM_PERSIST + diff);
}

static void test_bar2_resident(void *arg)
{
	struct ctx *c = arg;
	uint8_t page[4096];
	uint64_t kb;

	REQUIRE(c->mem_bytes, "mvgpu/memory_mb unreadable: %s", c->sysfs_err);
	fill_pattern(page, sizeof(page), VRAM_RESIDENT);
	REQUIRE(mv_region_write(&c->dev, BAR2, VRAM_RESIDENT, page,
				sizeof(page)) == 0, "%s", mv_err());
	REQUIRE(mv_sysfs_read_u64(c->uuid, "mvgpu/vram_resident_kb", &kb) == 0,
		"%s", mv_err());
	CHECK(kb >= 4, "vram_resident_kb %llu after writing VRAM pages",
	      (unsigned long long)kb);
	/* The tests touched well under 1 MiB: backing must be lazy. */
	CHECK(kb <= (c->mem_bytes >> 10) / 2,
	      "vram_resident_kb %llu of %llu KiB after touching a few pages",
	      (unsigned long long)kb, (unsigned long long)(c->mem_bytes >> 10));
}

/* ---- interrupts --------------------------------------------------------- */

static void test_irq_info(void *arg)
{
	const uint32_t intx_flags = VFIO_IRQ_INFO_EVENTFD |
				    VFIO_IRQ_INFO_MASKABLE |
				    VFIO_IRQ_INFO_AUTOMASKED;
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	struct vfio_irq_info info;

	if (CHECK(mv_irq_info(d, VFIO_PCI_INTX_IRQ_INDEX, &info) == 0, "%s",
		  mv_err())) {
		CHECK_EQ(info.count, 1, "INTx count");
		CHECK_EQ(info.flags & intx_flags, intx_flags, "INTx flags");
	}
	if (CHECK(mv_irq_info(d, VFIO_PCI_MSI_IRQ_INDEX, &info) == 0, "%s",
		  mv_err())) {
		CHECK_EQ(info.count, 1, "MSI count");
		CHECK(info.flags & VFIO_IRQ_INFO_EVENTFD,
		      "MSI flags 0x%x lack EVENTFD", info.flags);
	}
	if (CHECK(mv_irq_info(d, VFIO_PCI_MSIX_IRQ_INDEX, &info) == 0, "%s",
		  mv_err()))
		CHECK_EQ(info.count, 0, "MSI-X count");
	if (CHECK(mv_irq_info(d, VFIO_PCI_REQ_IRQ_INDEX, &info) == 0, "%s",
		  mv_err())) {
		CHECK_EQ(info.count, 1, "REQ count");
		CHECK(info.flags & VFIO_IRQ_INFO_EVENTFD,
		      "REQ flags 0x%x lack EVENTFD", info.flags);
	}
	CHECK_SYSERR(mv_irq_info(d, d->info.num_irqs, &info) ? -1 : 0,
		     EINVAL, EINVAL, "GET_IRQ_INFO(num_irqs=%u)",
		     d->info.num_irqs);
	memset(&info, 0, sizeof(info));
	info.argsz = 4;
	info.index = VFIO_PCI_INTX_IRQ_INDEX;
	CHECK_SYSERR(ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &info), EINVAL,
		     EINVAL, "GET_IRQ_INFO with argsz 4");
}

static void test_msi_basic(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int msi = fx_eventfd(c), intx = fx_eventfd(c);

	REQUIRE(msi >= 0 && intx >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, true);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, intx) == 0,
		"%s", mv_err());
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	CHECK_QUIET(msi, "MSI eventfd right after SET_IRQS");

	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_ENABLE), MVGPU_IRQ_SOFTWARE,
		 "IRQ_ENABLE");
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "MSI after IRQ_RAISE");
	CHECK_QUIET(intx, "INTx eventfd while MSI is enabled");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), MVGPU_IRQ_SOFTWARE,
		 "IRQ_STATUS after IRQ_RAISE");

	/* Writing 0 clears nothing; writing the bit clears it. */
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, 0);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), MVGPU_IRQ_SOFTWARE,
		 "IRQ_STATUS after writing 0");
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), 0,
		 "IRQ_STATUS after W1C");
	CHECK_QUIET(msi, "MSI after clearing the status");
	irq_quiesce(d);
}

static void test_msi_enable_gate(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int msi = fx_eventfd(c);

	REQUIRE(msi >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, true);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());

	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(msi, "MSI with IRQ_ENABLE = 0");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), MVGPU_IRQ_SOFTWARE,
		 "IRQ_STATUS latches a disabled source");
	/* Enabling a pending source asserts the interrupt. */
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "MSI after enabling a pending source");
	irq_quiesce(d);
	CHECK_QUIET(msi, "MSI after quiescing");
}

static void test_msi_level(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int msi = fx_eventfd(c);

	REQUIRE(msi >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, true);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "first IRQ_RAISE");
	/* Still asserted: raising again is not a new assertion. */
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(msi, "second IRQ_RAISE without clearing the status");
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "IRQ_RAISE after clearing the status");
	irq_quiesce(d);
}

static void test_msi_trigger_off(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int msi = fx_eventfd(c);

	REQUIRE(msi >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, true);
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);

	/* Removed with DATA_NONE/count 0. */
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	CHECK(mv_irq_disable(d, VFIO_PCI_MSI_IRQ_INDEX) == 0, "%s", mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(msi, "MSI after DATA_NONE/count 0 teardown");
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);

	/* Removed with fd -1. */
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	CHECK(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, -1) == 0, "%s",
	      mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(msi, "MSI after setting fd -1");
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);

	/* Set again: it works, so the silence above meant something. */
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "MSI after setting the eventfd again");
	irq_quiesce(d);
}

static void test_irq_raise_bits(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;

	irq_quiesce(d);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, 0xffffffff);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), MVGPU_IRQ_SOFTWARE,
		 "IRQ_STATUS after writing all-ones to IRQ_RAISE");
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, 0xffffffff);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), 0,
		 "IRQ_STATUS after W1C of all bits");
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, 0);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), 0,
		 "IRQ_STATUS after writing 0 to IRQ_RAISE");
}

static void test_intx(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int intx = fx_eventfd(c), msi = fx_eventfd(c);

	REQUIRE(intx >= 0 && msi >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, false);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, intx) == 0,
		"%s", mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);

	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(intx, "INTx after IRQ_RAISE");
	CHECK_QUIET(msi, "MSI eventfd while MSI is disabled");

	/* Auto-masked: clear and raise again, nothing is delivered. */
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(intx, "INTx while auto-masked");
	/* Unmask with the source still pending: fires again. */
	CHECK(mv_irq_unmask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());
	CHECK_FIRES(intx, "INTx after unmask with the source pending");

	/* Nothing pending: unmask is silent, the next raise fires. */
	BAR0_WR(d, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);
	CHECK(mv_irq_unmask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());
	CHECK_QUIET(intx, "INTx after unmask with nothing pending");
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(intx, "INTx after raising while unmasked");
	CHECK_QUIET(msi, "MSI eventfd while MSI is disabled");
	irq_quiesce(d);
	CHECK(mv_irq_unmask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());
}

static void test_intx_mask(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int intx = fx_eventfd(c);

	REQUIRE(intx >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, false);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, intx) == 0,
		"%s", mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	CHECK(mv_irq_mask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(intx, "INTx while masked by SET_IRQS");
	CHECK(mv_irq_unmask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());
	CHECK_FIRES(intx, "INTx after unmasking a pending source");
	irq_quiesce(d);
	CHECK(mv_irq_unmask(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s", mv_err());

	/* With the trigger removed nothing is signalled. */
	CHECK(mv_irq_disable(d, VFIO_PCI_INTX_IRQ_INDEX) == 0, "%s",
	      mv_err());
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(intx, "INTx after DATA_NONE/count 0 teardown");
	irq_quiesce(d);
}

static void test_intx_disable(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int intx = fx_eventfd(c);
	uint32_t cmd;

	REQUIRE(intx >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, false);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, intx) == 0,
		"%s", mv_err());
	CHECK_EQ(CFG_RD(d, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0,
		 "status interrupt bit with nothing pending");

	/* PCI: the INTx disable bit stops the pin, not the status bit. */
	cmd = CFG_RD(d, PCI_COMMAND, 2);
	CFG_WR(d, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_DISABLE);
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_QUIET(intx, "INTx with the command INTx-disable bit set");
	CHECK(CFG_RD(d, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT,
	      "status interrupt bit clear while the line is asserted");
	CFG_WR(d, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_INTX_DISABLE);
	CHECK_FIRES(intx, "INTx after clearing INTx-disable with the line asserted");
	irq_quiesce(d);
	CHECK_EQ(CFG_RD(d, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0,
		 "status interrupt bit after clearing the source");
}

/* A SET_IRQS call that must fail with EINVAL (or EBADF for bad fds). */
#define CHECK_SET_IRQS_FAILS(d, idx, flags, start, count, data, len, e1, e2) \
	CHECK_SYSERR(mv_irq_set(d, idx, flags, start, count, data, len) ? \
		     -1 : 0, e1, e2,					\
		     "SET_IRQS(index %u, flags 0x%x, start %u, count %u)", \
		     (unsigned int)(idx), (unsigned int)(flags),	\
		     (unsigned int)(start), (unsigned int)(count))

static void test_set_irqs_invalid(void *arg)
{
	const uint32_t trig = VFIO_IRQ_SET_DATA_EVENTFD |
			      VFIO_IRQ_SET_ACTION_TRIGGER;
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	int msi = fx_eventfd(c), other = fx_eventfd(c);
	int32_t fds[2] = { other, other };
	int32_t badfd, notev;
	uint8_t on = 1;
	struct vfio_irq_set hdr;

	REQUIRE(msi >= 0 && other >= 0, "%s", mv_err());
	irq_quiesce(d);
	msi_config(d, true);
	REQUIRE(mv_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, msi) == 0, "%s",
		mv_err());

	/* A closed descriptor number and a descriptor that is no eventfd. */
	badfd = dup(other);
	REQUIRE(badfd >= 0, "dup: %s", strerror(errno));
	close(badfd);
	notev = open("/dev/null", O_RDONLY | O_CLOEXEC);
	REQUIRE(notev >= 0, "open /dev/null: %s", strerror(errno));
	if (c->nr_efd < MAX_EFDS)
		c->efd[c->nr_efd++] = notev;

	CHECK_SET_IRQS_FAILS(d, d->info.num_irqs, trig, 0, 1, fds, 4,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, 0xffffffff, trig, 0, 1, fds, 4,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig, 0, 2, fds, 8,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig, 1, 1, fds, 4,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_INTX_IRQ_INDEX, trig, 0, 2, fds, 8,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_REQ_IRQ_INDEX, trig, 0, 2, fds, 8,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSIX_IRQ_INDEX, trig, 0, 1, fds, 4,
			     EINVAL, EINVAL);
	/* Two data types, no data type, unknown flag, two actions. */
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX,
			     trig | VFIO_IRQ_SET_DATA_NONE, 0, 1, fds, 4,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX,
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, fds, 4,
			     EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig | (1u << 6), 0,
			     1, fds, 4, EINVAL, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX,
			     VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER |
			     VFIO_IRQ_SET_ACTION_MASK, 0, 1, NULL, 0,
			     EINVAL, EINVAL);
	/* Eventfd data missing from argsz. */
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig, 0, 1, NULL, 0,
			     EINVAL, EINVAL);
	/* Bad descriptors. */
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig, 0, 1, &badfd, 4,
			     EBADF, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX, trig, 0, 1, &notev, 4,
			     EINVAL, EBADF);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_INTX_IRQ_INDEX, trig, 0, 1, &badfd,
			     4, EBADF, EINVAL);
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_REQ_IRQ_INDEX, trig, 0, 1, &notev, 4,
			     EINVAL, EBADF);
	/* DATA_BOOL trigger with count 2 on a 1-vector index. */
	CHECK_SET_IRQS_FAILS(d, VFIO_PCI_MSI_IRQ_INDEX,
			     VFIO_IRQ_SET_DATA_BOOL |
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 2, &on, 1,
			     EINVAL, EINVAL);
	/* argsz smaller than the header. */
	memset(&hdr, 0, sizeof(hdr));
	hdr.argsz = 8;
	hdr.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	hdr.index = VFIO_PCI_MSI_IRQ_INDEX;
	CHECK_SYSERR(ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &hdr), EINVAL, EINVAL,
		     "SET_IRQS with argsz 8");

	/* No side effects: the original MSI eventfd still gets the IRQ. */
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	CHECK_FIRES(msi, "original MSI eventfd after rejected SET_IRQS calls");
	CHECK_QUIET(other, "eventfd passed only in rejected SET_IRQS calls");
	irq_quiesce(d);
}

/* ---- reset -------------------------------------------------------------- */

static void test_reset(void *arg)
{
	struct ctx *c = arg;
	struct mv_dev *d = &c->dev;
	uint8_t wr[4096], rd[4096];
	unsigned int i;
	long diff;

	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
		BAR0_WR(d, MVGPU_REG_SCRATCH0 + 4 * i, 0x11111111 * (i + 1));
	BAR0_WR(d, MVGPU_REG_IRQ_ENABLE, MVGPU_IRQ_SOFTWARE);
	BAR0_WR(d, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	msi_config(d, true);
	CFG_WR(d, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	fill_pattern(wr, sizeof(wr), VRAM_RESET);
	REQUIRE(mv_region_write(d, BAR2, VRAM_RESET, wr, sizeof(wr)) == 0,
		"%s", mv_err());
	/* Make sure the state to be reset really was set. */
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_SCRATCH0), 0x11111111,
		 "SCRATCH0 before reset");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), MVGPU_IRQ_SOFTWARE,
		 "IRQ_STATUS before reset");

	REQUIRE(mv_dev_reset(d) == 0, "%s", mv_err());

	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++)
		CHECK_EQ(BAR0_RD(d, MVGPU_REG_SCRATCH0 + 4 * i), 0,
			 "SCRATCH%u after reset", i);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_STATUS), 0,
		 "IRQ_STATUS after reset");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_IRQ_ENABLE), 0,
		 "IRQ_ENABLE after reset");
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_ID), MVGPU_ID_MAGIC, "ID after reset");
	CHECK_EQ(CFG_RD(d, PCI_COMMAND, 2), 0, "command after reset");
	CHECK_EQ(CFG_RD(d, MSI_CTRL, 2) & PCI_MSI_FLAGS_ENABLE, 0,
		 "MSI enable after reset");
	CHECK_EQ(CFG_RD(d, PCI_VENDOR_ID, 2), MVGPU_PCI_VENDOR_ID,
		 "vendor ID after reset");
	REQUIRE(mv_region_read(d, BAR2, VRAM_RESET, rd, sizeof(rd)) == 0,
		"%s", mv_err());
	diff = first_diff(wr, rd, sizeof(wr));
	CHECK(diff < 0, "VRAM byte 0x%lx changed by reset",
	      (long)VRAM_RESET + diff);
	/* Still a working device. */
	BAR0_WR(d, MVGPU_REG_SCRATCH0, 0x600d);
	CHECK_EQ(BAR0_RD(d, MVGPU_REG_SCRATCH0), 0x600d,
		 "SCRATCH0 written after reset");
	BAR0_WR(d, MVGPU_REG_SCRATCH0, 0);
}

static const struct tap_test tests[] = {
	{ "device info via container/group (PCI|RESET, regions, irqs)",
	  test_info_container },
	{ "device info via cdev/iommufd, BAR0 and config readable",
	  test_info_cdev },
	{ "GET_INFO with short argsz -> EINVAL", test_info_argsz },
	{ "DMA map/unmap through the type1 container", test_dma_container },
	{ "DMA map/unmap through the iommufd IOAS", test_dma_cdev },
	{ "region BAR0: 16 MiB, READ|WRITE, no MMAP", test_region_bar0 },
	{ "region BAR2: memory_mb, READ|WRITE|MMAP", test_region_bar2 },
	{ "region config: 256 bytes, READ|WRITE", test_region_config },
	{ "regions BAR1/3/4/5, ROM, VGA: size 0", test_region_unused },
	{ "GET_REGION_INFO bad index -> EINVAL", test_region_bad_index },
	{ "GET_REGION_INFO short argsz -> EINVAL", test_region_argsz },
	{ "config: vendor/device/revision/class/subsystem IDs", test_cfg_ids },
	{ "config: header type, cap list, MSI cap at 0x50, INTA",
	  test_cfg_header },
	{ "config: read-only fields ignore writes", test_cfg_readonly },
	{ "config: command keeps writable bits only", test_cfg_command },
	{ "config: status RW1C bits cannot be set", test_cfg_status },
	{ "config: BAR0 sizing and address bits", test_cfg_bar0 },
	{ "config: BAR2 sizing and address bits", test_cfg_bar2 },
	{ "config: BAR4/BAR5/ROM read 0, ignore writes", test_cfg_unused },
	{ "config: interrupt line writable", test_cfg_intline },
	{ "config: MSI address/data/enable writable", test_cfg_msi },
	{ "config: out-of-range accesses fail", test_cfg_bounds },
	{ "BAR0: identity registers", test_bar0_identity },
	{ "BAR0: GGTT base/size aligned and match sysfs", test_bar0_ggtt },
	{ "BAR0: identity registers are read-only", test_bar0_readonly },
	{ "BAR0: scratch registers", test_bar0_scratch },
	{ "BAR0: narrow/wide/unaligned accesses -> EINVAL",
	  test_bar0_access_size },
	{ "BAR0: accesses beyond 16 MiB fail", test_bar0_bounds },
	{ "BAR0: GGTT window: slice entries commit on the high dword, others ignored",
	  test_bar0_ggtt_window },
	{ "BAR0 and config space cannot be mmapped", test_bar0_nommap },
	{ "BAR2: pwrite/pread patterns", test_bar2_rw },
	{ "BAR2: never-written VRAM reads 0", test_bar2_untouched },
	{ "BAR2: mmap and pread/pwrite see the same bytes", test_bar2_mmap },
	{ "BAR2: mmap beyond the region fails", test_bar2_mmap_bounds },
	{ "BAR2: accesses beyond the region fail", test_bar2_bounds },
	{ "BAR2: VRAM survives close and reopen", test_bar2_persist },
	{ "BAR2: vram_resident_kb shows lazy backing", test_bar2_resident },
	{ "IRQ info: INTx, MSI, MSI-X, REQ; bad index", test_irq_info },
	{ "MSI: software IRQ signals once; status RW1C", test_msi_basic },
	{ "MSI: IRQ_ENABLE gates delivery", test_msi_enable_gate },
	{ "MSI: one signal per assertion", test_msi_level },
	{ "MSI: trigger teardown (count 0, fd -1)", test_msi_trigger_off },
	{ "IRQ_RAISE sets only the SOFTWARE bit", test_irq_raise_bits },
	{ "INTx: fires, auto-masks, unmask re-fires", test_intx },
	{ "INTx: SET_IRQS mask/unmask and teardown", test_intx_mask },
	{ "INTx: command INTx-disable gates the pin, not the status bit",
	  test_intx_disable },
	{ "SET_IRQS: invalid requests fail without side effects",
	  test_set_irqs_invalid },
	{ "RESET: registers to defaults, VRAM kept", test_reset },
};

static void load_sysfs(struct ctx *c)
{
	uint64_t mb;

	if (mv_mdev_type_fraction(c->uuid, &c->frac)) {
		snprintf(c->sysfs_err, sizeof(c->sysfs_err), "%s", mv_err());
		c->frac = 0;
	}
	if (mv_sysfs_read_u64(c->uuid, "mvgpu/memory_mb", &mb) == 0 && mb &&
	    mb < (1ull << 44)) {
		c->mem_bytes = mb << 20;
	} else if (!c->sysfs_err[0]) {
		snprintf(c->sysfs_err, sizeof(c->sysfs_err), "%s", mv_err());
	}
}

int main(int argc, char **argv)
{
	struct ctx c = { .frac = 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: %s <vgpu-uuid>\n", argv[0]);
		return KSFT_FAIL;
	}
	c.uuid = argv[1];
	run_cookie = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	mv_dev_init(&c.dev);
	mv_dev_init(&c.dev2);
	if (!mv_sysfs_exists(c.uuid, NULL)) {
		printf("TAP version 13\nBail out! no vGPU %s in %s\n",
		       c.uuid, MV_MDEV_SYSFS);
		return KSFT_FAIL;
	}
	load_sysfs(&c);
	return tap_run(tests, TAP_ARRAY_SIZE(tests), &c, setup, teardown);
}
