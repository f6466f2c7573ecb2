// SPDX-License-Identifier: GPL-2.0
/* Unit tests of gvt/xlate.c: GGTT and PPGTT translation, the TLB. */
#include <stdlib.h>

#include "exec_fake.h"
#include "unit.h"

#define GG		MVGPU_XLATE_GGTT
#define PP		MVGPU_XLATE_PPGTT
#define P_RW		(MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE)
#define P_RO		MVGPU_PTE_PRESENT
#define DATA		(FAKE_GGTT_BASE + 0x100000)

/* Translate; returns the fault type, 0 on success (then *ptr is set). */
static u32 xl(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr,
	      bool write, void **ptr)
{
	u32 fault = 0xdead;
	void *p = NULL;
	int ret;

	ret = mvgpu_xlate(&f->ex, f->ring.ctx_desc, space, gaddr, write, &p,
			  &fault);
	if (ret) {
		EXPECT_EQ(ret, -EFAULT);
		EXPECT(fault != 0xdead && fault != 0);
		return fault;
	}
	*ptr = p;
	return 0;
}

static void test_ggtt_translate(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 dma = fake_ggtt_back(f, DATA, 3 * FAKE_PAGE);
	void *p = NULL;

	EXPECT_EQ(xl(f, GG, DATA + 0x123, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + 0x123);
	EXPECT_EQ(xl(f, GG, DATA + 0x2ffc, true, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + 0x2ffc);
	/* a scattered mapping: page order does not follow DMA order */
	fake_ggtt_set(f, DATA, (dma + 2 * FAKE_PAGE) | P_RW);
	fake_ggtt_set(f, DATA + 2 * FAKE_PAGE, dma | P_RW);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, GG, DATA + 8, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + 2 * FAKE_PAGE + 8);
	EXPECT_EQ(xl(f, GG, DATA + 2 * FAKE_PAGE + 8, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + 8);
	/* the first and last page of the slice */
	fake_ggtt_set(f, FAKE_GGTT_BASE + FAKE_GGTT_SIZE - FAKE_PAGE,
		      dma | P_RW);
	EXPECT_EQ(xl(f, GG, FAKE_GGTT_BASE + FAKE_GGTT_SIZE - 1, true, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + FAKE_PAGE - 1);
	EXPECT_EQ(xl(f, GG, FAKE_GGTT_BASE + 4, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, fake_ggtt_get(f, FAKE_GGTT_BASE) &
				   MVGPU_PTE_ADDR_MASK) + 4);
	/* local memory, and ignored PTE bits (63:52, 11:3) */
	fake_ggtt_set(f, DATA + 3 * FAKE_PAGE, 0xfff0000000000ff8ull |
		      (5 * FAKE_PAGE) | MVGPU_PTE_LOCAL | P_RW);
	EXPECT_EQ(xl(f, GG, DATA + 3 * FAKE_PAGE + 0x10, true, &p), 0);
	EXPECT(p == (u8 *)fake_local(f, 5 * FAKE_PAGE) + 0x10);
	fake_free(f);
}

static void test_ggtt_faults(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 dma = fake_ggtt_back(f, DATA, 4 * FAKE_PAGE);
	void *p;

	EXPECT_EQ(xl(f, GG, FAKE_GGTT_BASE - 1, false, &p),
		  MVGPU_FAULT_GGTT_RANGE);
	EXPECT_EQ(xl(f, GG, FAKE_GGTT_BASE + FAKE_GGTT_SIZE, false, &p),
		  MVGPU_FAULT_GGTT_RANGE);
	EXPECT_EQ(xl(f, GG, 0, false, &p), MVGPU_FAULT_GGTT_RANGE);
	EXPECT_EQ(xl(f, GG, 1ull << 40, true, &p), MVGPU_FAULT_GGTT_RANGE);
	EXPECT_EQ(xl(f, GG, DATA + 4 * FAKE_PAGE, false, &p),
		  MVGPU_FAULT_GGTT_UNMAPPED);
	/* writable but not present */
	fake_ggtt_set(f, DATA, dma | MVGPU_PTE_WRITABLE);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), MVGPU_FAULT_GGTT_UNMAPPED);
	/* read-only: reads work, writes fault */
	fake_ggtt_set(f, DATA + FAKE_PAGE, (dma + FAKE_PAGE) | P_RO);
	EXPECT_EQ(xl(f, GG, DATA + FAKE_PAGE, true, &p),
		  MVGPU_FAULT_READ_ONLY);
	EXPECT_EQ(xl(f, GG, DATA + FAKE_PAGE, false, &p), 0);
	EXPECT(p == fake_dma(f, dma + FAKE_PAGE));
	/* DMA the VMM never mapped, and beyond DMA memory */
	fake_dma_set_flags(f, dma + 2 * FAKE_PAGE, FAKE_DMA_UNMAPPED);
	EXPECT_EQ(xl(f, GG, DATA + 2 * FAKE_PAGE, false, &p), MVGPU_FAULT_DMA);
	fake_ggtt_set(f, DATA + 3 * FAKE_PAGE, (FAKE_DMA_BASE +
		      (u64)f->dma_pages * FAKE_PAGE) | P_RW);
	EXPECT_EQ(xl(f, GG, DATA + 3 * FAKE_PAGE, false, &p), MVGPU_FAULT_DMA);
	fake_ggtt_set(f, DATA + 3 * FAKE_PAGE, 0x1000 | P_RW);
	EXPECT_EQ(xl(f, GG, DATA + 3 * FAKE_PAGE, true, &p), MVGPU_FAULT_DMA);
	/* local memory beyond its end */
	fake_ggtt_set(f, DATA + 3 * FAKE_PAGE, (FAKE_LOCAL_PAGES * FAKE_PAGE) |
		      MVGPU_PTE_LOCAL | P_RW);
	EXPECT_EQ(xl(f, GG, DATA + 3 * FAKE_PAGE, false, &p),
		  MVGPU_FAULT_LOCAL_RANGE);
	/* a DMA page mapped read-only by the VMM: map_page refuses writes */
	fake_dma_set_flags(f, dma, FAKE_DMA_NO_WRITE);
	fake_ggtt_set(f, DATA, dma | P_RW);
	EXPECT_EQ(xl(f, GG, DATA, true, &p), MVGPU_FAULT_DMA);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), 0);
	fake_free(f);
}

/* Addresses that exercise every index bit of all four levels. */
static const u64 ppgtt_addrs[] = {
	0x0,
	0x1000,
	0x1ff000,			/* last page of the first PT */
	0x200000,			/* next PD entry */
	0x3fe00000,			/* last PD entry */
	0x40000000,			/* next PDP entry */
	0x7fc0000000ull,		/* last PDP entry */
	0x8000000000ull,		/* next PML4 entry */
	0x5555555555000ull & 0xffffffffffffull,
	0xaaaaaaaaa000ull,
	0xfffffffff000ull,		/* the last page */
};

static void test_ppgtt_walk(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	unsigned int i, n = ARRAY_SIZE(ppgtt_addrs);
	u64 dma = fake_dma_alloc(f, n);
	unsigned long calls;
	void *p;

	fake_ppgtt_enable(f);
	for (i = 0; i < n; i++)
		fake_ppgtt_set(f, ppgtt_addrs[i], (dma + i * FAKE_PAGE) | P_RW);
	for (i = 0; i < n; i++) {
		u64 off = (i * 0x238) & 0xfff;

		p = NULL;
		EXPECT_EQ(xl(f, PP, ppgtt_addrs[i] + off, i & 1, &p), 0);
		EXPECT(p == (u8 *)fake_dma(f, dma + i * FAKE_PAGE) + off);
		/* the GGTT does not know these addresses */
		EXPECT(xl(f, GG, ppgtt_addrs[i] + off, false, &p) != 0);
	}
	/* unmapped neighbours at every level */
	EXPECT_EQ(xl(f, PP, 0x2000, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
	EXPECT_EQ(xl(f, PP, 0x400000, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
	EXPECT_EQ(xl(f, PP, 0x80000000ull, false, &p),
		  MVGPU_FAULT_PPGTT_UNMAPPED);
	EXPECT_EQ(xl(f, PP, 0x10000000000ull, false, &p),
		  MVGPU_FAULT_PPGTT_UNMAPPED);
	/* at and above 2^48 */
	EXPECT_EQ(xl(f, PP, 1ull << 48, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
	EXPECT_EQ(xl(f, PP, ~0ull, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
	EXPECT_EQ(xl(f, PP, (1ull << 48) | 0x1000, false, &p),
		  MVGPU_FAULT_PPGTT_UNMAPPED);

	/* A walk maps four tables and the page; the PT is then cached. */
	fake_ppgtt_map(f, 0x40000000000ull, dma, 4 * FAKE_PAGE, P_RW);
	mvgpu_xlate_flush(&f->ex);
	calls = f->map_calls;
	EXPECT_EQ(xl(f, PP, 0x40000000000ull, false, &p), 0);
	EXPECT_EQ(f->map_calls - calls, 5);
	EXPECT_EQ(xl(f, PP, 0x40000001000ull, false, &p), 0);
	EXPECT(p == fake_dma(f, dma + FAKE_PAGE));
	EXPECT_EQ(f->map_calls - calls, 6);
	EXPECT_EQ(xl(f, PP, 0x40000001ffcull, false, &p), 0);
	EXPECT_EQ(f->map_calls - calls, 6);

	/* no valid context descriptor */
	f->ring.ctx_desc &= ~MVGPU_CTX_DESC_VALID;
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, 0x1000, false, &p), MVGPU_FAULT_NO_PPGTT);
	EXPECT_EQ(xl(f, PP, 1ull << 48, false, &p), MVGPU_FAULT_NO_PPGTT);
	fake_free(f);
}

static void test_ppgtt_faults(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 va = 0x123456789000ull, dma = fake_dma_alloc(f, 1);
	unsigned int level;
	void *p;

	fake_ppgtt_enable(f);
	fake_ppgtt_set(f, va, dma | P_RW);
	for (level = 0; level < 3; level++) {
		u64 *e = fake_ppgtt_entry(f, va, level), saved = *e;
		u64 table = saved & MVGPU_PTE_ADDR_MASK;

		*e = saved & ~MVGPU_PTE_PRESENT;
		mvgpu_xlate_flush(&f->ex);
		EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
		*e = saved | MVGPU_PTE_LOCAL;
		mvgpu_xlate_flush(&f->ex);
		EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_BAD_PTE);
		/* the writable bit of directories is ignored */
		*e = saved & ~MVGPU_PTE_WRITABLE;
		mvgpu_xlate_flush(&f->ex);
		EXPECT_EQ(xl(f, PP, va, true, &p), 0);
		/* the next table's DMA page is not mapped by the VMM */
		*e = saved;
		fake_dma_set_flags(f, table, FAKE_DMA_UNMAPPED);
		mvgpu_xlate_flush(&f->ex);
		EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_DMA);
		fake_dma_set_flags(f, table, 0);
		mvgpu_xlate_flush(&f->ex);
		EXPECT_EQ(xl(f, PP, va, true, &p), 0);
		EXPECT(p == fake_dma(f, dma));
	}
	/* the PML4 itself */
	fake_dma_set_flags(f, f->ring.ctx_desc & MVGPU_CTX_DESC_PML4_MASK,
			   FAKE_DMA_UNMAPPED);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_DMA);
	fake_dma_set_flags(f, f->ring.ctx_desc & MVGPU_CTX_DESC_PML4_MASK, 0);

	/* leaves: not present, read-only, local, local out of range, DMA */
	fake_ppgtt_set(f, va, dma | MVGPU_PTE_WRITABLE);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_PPGTT_UNMAPPED);
	fake_ppgtt_set(f, va, dma | P_RO);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va, true, &p), MVGPU_FAULT_READ_ONLY);
	EXPECT_EQ(xl(f, PP, va + 0xff8, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, dma) + 0xff8);
	fake_ppgtt_set(f, va, (7 * FAKE_PAGE) | MVGPU_PTE_LOCAL | P_RW);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va + 4, true, &p), 0);
	EXPECT(p == (u8 *)fake_local(f, 7 * FAKE_PAGE) + 4);
	fake_ppgtt_set(f, va, (1ull << 40) | MVGPU_PTE_LOCAL | P_RW);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_LOCAL_RANGE);
	fake_ppgtt_set(f, va, 0x5000 | P_RW);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, PP, va, false, &p), MVGPU_FAULT_DMA);
	fake_free(f);
}

/* Cached translations outlive table changes until a flush. */
static void test_tlb_caching(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 a = fake_dma_alloc(f, 1), b = fake_dma_alloc(f, 1);
	unsigned long calls;
	void *p;

	fake_ggtt_set(f, DATA, a | P_RW);
	fake_ppgtt_enable(f);
	fake_ppgtt_set(f, 0x5000, a | P_RW);
	mvgpu_xlate_flush(&f->ex);

	EXPECT_EQ(xl(f, GG, DATA, true, &p), 0);
	EXPECT_EQ(xl(f, PP, 0x5000, true, &p), 0);
	calls = f->map_calls + f->ggtt_calls;
	fake_ggtt_set(f, DATA, b | P_RW);
	fake_ppgtt_set(f, 0x5000, b | P_RW);
	EXPECT_EQ(xl(f, GG, DATA + 0x10, true, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, a) + 0x10);
	EXPECT_EQ(xl(f, PP, 0x5010, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, a) + 0x10);
	EXPECT_EQ(f->map_calls + f->ggtt_calls, calls);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, GG, DATA + 0x10, true, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, b) + 0x10);
	EXPECT_EQ(xl(f, PP, 0x5010, false, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, b) + 0x10);

	/* unmapping is not seen either until the flush */
	fake_ggtt_set(f, DATA, 0);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), 0);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), MVGPU_FAULT_GGTT_UNMAPPED);
	fake_free(f);
}

/* A cached read-only entry refuses writes even if the PTE became RW. */
static void test_tlb_read_only(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 a = fake_dma_alloc(f, 1);
	void *p;

	fake_ggtt_set(f, DATA, a | P_RO);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), 0);
	fake_ggtt_set(f, DATA, a | P_RW);
	EXPECT_EQ(xl(f, GG, DATA, true, &p), MVGPU_FAULT_READ_ONLY);
	mvgpu_xlate_flush(&f->ex);
	EXPECT_EQ(xl(f, GG, DATA, true, &p), 0);
	EXPECT(p == fake_dma(f, a));
	fake_free(f);
}

/*
 * map_page() learns about every write: a page first mapped for reading is
 * mapped again when written, once; a VMM that refuses the write is heard.
 */
static void test_tlb_write_after_read(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 a = fake_dma_alloc(f, 1), b = fake_dma_alloc(f, 1);
	unsigned int ia = (a - FAKE_DMA_BASE) / FAKE_PAGE;
	unsigned long calls;
	void *p;

	fake_ggtt_set(f, DATA, a | P_RW);
	fake_ggtt_set(f, DATA + FAKE_PAGE, b | P_RW);
	EXPECT_EQ(xl(f, GG, DATA, false, &p), 0);
	EXPECT_EQ(f->dma_write_maps[ia], 0);
	calls = f->map_calls;
	EXPECT_EQ(xl(f, GG, DATA + 8, true, &p), 0);
	EXPECT(p == (u8 *)fake_dma(f, a) + 8);
	EXPECT_EQ(f->dma_write_maps[ia], 1);
	EXPECT_EQ(f->map_calls, calls + 1);
	EXPECT_EQ(xl(f, GG, DATA + 16, true, &p), 0);
	EXPECT_EQ(xl(f, GG, DATA + 24, false, &p), 0);
	EXPECT_EQ(f->map_calls, calls + 1);
	EXPECT_EQ(f->dma_write_maps[ia], 1);

	fake_dma_set_flags(f, b, FAKE_DMA_NO_WRITE);
	EXPECT_EQ(xl(f, GG, DATA + FAKE_PAGE, false, &p), 0);
	EXPECT_EQ(xl(f, GG, DATA + FAKE_PAGE, true, &p), MVGPU_FAULT_DMA);
	EXPECT_EQ(xl(f, GG, DATA + FAKE_PAGE + 4, false, &p), 0);
	fake_free(f);
}

/* The same address in both spaces, and more pages than the TLB holds. */
static void test_tlb_spaces_and_eviction(void)
{
	struct fake *f = fake_new(MVGPU_ENGINE_RCS, 0);
	u64 g = fake_dma_alloc(f, 300), pp = fake_dma_alloc(f, 300);
	unsigned int i, round;
	void *p;

	fake_ppgtt_enable(f);
	/* 300 pages from 17 MiB: the PPGTT side crosses a PT boundary */
	fake_ggtt_map(f, DATA, g, 300 * FAKE_PAGE, P_RW);
	for (i = 0; i < 300; i++)
		fake_ppgtt_set(f, DATA + i * FAKE_PAGE,
			       (pp + (299 - i) * FAKE_PAGE) | P_RW);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 300; i++) {
			unsigned int j = round == 1 ? 299 - i : i;
			u64 off = DATA + j * FAKE_PAGE + 4 * (j & 0x3ff);

			EXPECT_EQ(xl(f, GG, off, round == 2, &p), 0);
			EXPECT(p == (u8 *)fake_dma(f, g + j * FAKE_PAGE) +
			       4 * (j & 0x3ff));
			EXPECT_EQ(xl(f, PP, off, round != 2, &p), 0);
			EXPECT(p == (u8 *)fake_dma(f, pp + (299 - j) *
						  FAKE_PAGE) + 4 * (j & 0x3ff));
		}
	}
	mvgpu_xlate_flush(&f->ex);
	for (i = 0; i < MVGPU_EXEC_TLB_SIZE; i++)
		EXPECT_EQ(f->ex.tlb[i].tag, 0);
	fake_free(f);
}

const struct unit_test xlate_tests[] = {
	{ "GGTT: pages, slice ends, local memory, ignored bits", test_ggtt_translate },
	{ "GGTT: range, unmapped, read-only, DMA, local faults", test_ggtt_faults },
	{ "PPGTT: 4-level walk over every index bit, 2^48", test_ppgtt_walk },
	{ "PPGTT: faults at each level, BAD_PTE, leaves", test_ppgtt_faults },
	{ "TLB: translations cached until flushed", test_tlb_caching },
	{ "TLB: write through a cached read-only entry", test_tlb_read_only },
	{ "TLB: map_page sees every write, once per page", test_tlb_write_after_read },
	{ "TLB: GGTT/PPGTT apart, eviction, flush", test_tlb_spaces_and_eviction },
};

const unsigned int xlate_nr_tests = ARRAY_SIZE(xlate_tests);
