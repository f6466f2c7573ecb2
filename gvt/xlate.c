// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: graphics address translation for the reference engine.
 *
 * A graphics address is translated through the vGPU's slice of the GGTT
 * (one PTE per 4 KiB page, read through ops->ggtt_pte()) or through the
 * context's 4-level PPGTT, whose tables live in DMA memory and are read
 * through ops->map_page().  The leaf PTE names a DMA page or a page of the
 * vGPU's local memory, which ops->map_page() turns into a CPU pointer.
 *
 * Translations are cached in ex->tlb, a direct-mapped cache, like a real
 * GPU's TLB: a change to a GGTT or PPGTT entry is seen only after
 * mvgpu_xlate_flush() (mvgpu_exec_run() flushes at the start and the end of
 * every slice and on the TLB-invalidate flags of PIPE_CONTROL and
 * MI_FLUSH_DW).  The cache also keeps the PPGTT's leaf table page per
 * 2 MiB region, so a walk over consecutive pages costs one map_page() call
 * per page, not five.  All cached pointers come from ops->map_page() in the
 * current slice and are only valid until it ends.
 *
 * This file is pure logic and builds in userspace (selftests/unit/).
 */
#include "mvgpu_exec.h"

#define XLATE_PAGE_MASK		(~(u64)(MVGPU_GTT_PAGE_SIZE - 1))
#define XLATE_PAGE_OFFSET(a)	((a) & (MVGPU_GTT_PAGE_SIZE - 1))
/* One page table (the last level) maps 512 pages: 2 MiB. */
#define XLATE_PT_SHIFT		21
#define XLATE_PT_MASK		(~((1ull << XLATE_PT_SHIFT) - 1))

/* The last slots of ex->tlb cache PT pages, the others data pages. */
#define XLATE_PT_SLOTS		8
#define XLATE_DATA_SLOTS	(MVGPU_EXEC_TLB_SIZE - XLATE_PT_SLOTS)

_Static_assert(MVGPU_EXEC_TLB_SIZE <= 64, "one bit per entry in tlb_live");

/*
 * Direct-mapped slot of a tag.  For data pages the low six bits of the
 * page number pick the slot, so runs of consecutive pages rarely evict
 * each other; folding in the higher bits and the space keeps two surfaces
 * whose distance is a multiple of 256 KiB (a blit's source and
 * destination) from sharing all slots.  PT pages have slots of their own:
 * a large blit then costs one walk per 2 MiB, not one per 64 pages.
 * Inline: it is on every translation's path, twice for a PPGTT miss.
 */
static inline unsigned int xlate_slot(u64 tag)
{
	u64 kind = tag & MVGPU_EXEC_TLB_KIND_MASK;
	u64 n = tag >> MVGPU_GTT_PAGE_SHIFT;

	if (kind == MVGPU_EXEC_TLB_PT)
		return XLATE_DATA_SLOTS +
		       ((n >> (XLATE_PT_SHIFT - MVGPU_GTT_PAGE_SHIFT)) &
			(XLATE_PT_SLOTS - 1));
	n = (n ^ (n >> 6) ^ (n >> 12) ^ (n >> 18) ^ (kind << 4)) &
	    (MVGPU_EXEC_TLB_SIZE - 1);
	return n < XLATE_DATA_SLOTS ? n : n - XLATE_PT_SLOTS;
}

/* Map one DMA page of a PPGTT directory or table. */
static const __le64 *xlate_table(struct mvgpu_exec *ex, u64 addr, u32 *fault)
{
	u32 type = MVGPU_FAULT_DMA;
	void *p;

	p = ex->ops->map_page(ex->priv, addr, false, false, &type);
	if (!p)
		*fault = type ? type : MVGPU_FAULT_DMA;
	return p;
}

static u32 xlate_ggtt(struct mvgpu_exec *ex, u64 gaddr, u64 *pte)
{
	if (ex->ops->ggtt_pte(ex->priv, gaddr & XLATE_PAGE_MASK, pte))
		return MVGPU_FAULT_GGTT_RANGE;
	if (!(*pte & MVGPU_PTE_PRESENT))
		return MVGPU_FAULT_GGTT_UNMAPPED;
	return 0;
}

/*
 * Walk the PPGTT for @gaddr down to its page table (PT).  PML4, PDP and PD
 * entries must be present and must not have the LOCAL bit (directories
 * live in DMA memory only); the PT page found is cached per 2 MiB region.
 */
static u32 xlate_pt(struct mvgpu_exec *ex, u64 ctx_desc, u64 gaddr,
		    const __le64 **pt)
{
	u64 pt_tag = (gaddr & XLATE_PT_MASK) | MVGPU_EXEC_TLB_PT;
	struct mvgpu_exec_tlb_entry *e = &ex->tlb[xlate_slot(pt_tag)];
	const __le64 *table;
	unsigned int level;
	u32 fault = 0;
	u64 entry;

	if (!(ctx_desc & MVGPU_CTX_DESC_VALID))
		return MVGPU_FAULT_NO_PPGTT;
	if (gaddr >> MVGPU_PPGTT_ADDR_BITS)
		return MVGPU_FAULT_PPGTT_UNMAPPED;

	if (e->tag == pt_tag) {
		table = e->ptr;
	} else {
		u64 addr = ctx_desc & MVGPU_CTX_DESC_PML4_MASK;

		/* PML4 (bits 47:39), PDP (38:30), PD (29:21) */
		for (level = 0; level < MVGPU_PPGTT_LEVELS - 1; level++) {
			unsigned int shift = 39 - 9 * level;

			table = xlate_table(ex, addr, &fault);
			if (!table)
				return fault;
			entry = le64_to_cpu(READ_ONCE(table[(gaddr >> shift) &
					(MVGPU_PPGTT_ENTRIES - 1)]));
			if (!(entry & MVGPU_PTE_PRESENT))
				return MVGPU_FAULT_PPGTT_UNMAPPED;
			if (entry & MVGPU_PTE_LOCAL)
				return MVGPU_FAULT_BAD_PTE;
			addr = entry & MVGPU_PTE_ADDR_MASK;
		}
		table = xlate_table(ex, addr, &fault);
		if (!table)
			return fault;
		e->tag = pt_tag;
		e->ptr = (void *)table;
		e->writable = false;
		ex->tlb_live |= 1ull << (e - ex->tlb);
	}
	*pt = table;
	return 0;
}

/* The leaf PTE of @gaddr in its page table @pt (bits 20:12). */
static inline u32 xlate_pt_entry(const __le64 *pt, u64 gaddr, u64 *pte)
{
	u64 entry = le64_to_cpu(READ_ONCE(pt[(gaddr >> MVGPU_GTT_PAGE_SHIFT) &
					     (MVGPU_PPGTT_ENTRIES - 1)]));

	if (!(entry & MVGPU_PTE_PRESENT))
		return MVGPU_FAULT_PPGTT_UNMAPPED;
	*pte = entry;
	return 0;
}

static u32 xlate_ppgtt(struct mvgpu_exec *ex, u64 ctx_desc, u64 gaddr,
		       u64 *pte)
{
	const __le64 *pt;
	u32 type = xlate_pt(ex, ctx_desc, gaddr, &pt);

	return type ? type : xlate_pt_entry(pt, gaddr, pte);
}

/**
 * mvgpu_xlate() - translate a graphics address to a CPU pointer
 * @ex: executor context (callbacks and translation cache)
 * @ctx_desc: CTX_DESC of the engine (only for %MVGPU_XLATE_PPGTT)
 * @space: %MVGPU_XLATE_GGTT or %MVGPU_XLATE_PPGTT
 * @gaddr: graphics address
 * @write: the access writes
 * @ptr: on success, CPU address of the byte at @gaddr; valid up to the end
 *	of its 4 KiB page and until the current slice ends
 * @fault: on failure, the MVGPU_FAULT_* type (no flags)
 *
 * GGTT: %MVGPU_FAULT_GGTT_RANGE outside the vGPU's slice,
 * %MVGPU_FAULT_GGTT_UNMAPPED if the PTE is not present.  PPGTT:
 * %MVGPU_FAULT_NO_PPGTT without a valid @ctx_desc, %MVGPU_FAULT_PPGTT_UNMAPPED
 * at or above 2^48 or if any level is not present, %MVGPU_FAULT_BAD_PTE for
 * a directory entry with the LOCAL bit.  Both: %MVGPU_FAULT_READ_ONLY for a
 * write to a page whose leaf PTE is not writable, then whatever
 * ops->map_page() reports (%MVGPU_FAULT_DMA, %MVGPU_FAULT_LOCAL_RANGE).
 *
 * A cached translation is used without looking at the tables again, also
 * to refuse a write through a cached read-only entry.  A write through an
 * entry that was mapped for reading walks again, so ops->map_page() always
 * sees @write for a page that will be written.  The cache assumes one
 * @ctx_desc between flushes.
 *
 * Return: 0, or -EFAULT with *@fault set.
 */
int mvgpu_xlate(struct mvgpu_exec *ex, u64 ctx_desc,
		enum mvgpu_xlate_space space, u64 gaddr, bool write,
		void **ptr, u32 *fault)
{
	u64 tag = (gaddr & XLATE_PAGE_MASK) |
		  (space == MVGPU_XLATE_PPGTT ? MVGPU_EXEC_TLB_PPGTT :
					       MVGPU_EXEC_TLB_GGTT);
	struct mvgpu_exec_tlb_entry *e = &ex->tlb[xlate_slot(tag)];
	u32 type;
	u64 pte;
	void *p;

	if ((e->tag & ~MVGPU_EXEC_TLB_MAPPED_WRITE) == tag) {
		if (write && !e->writable) {
			*fault = MVGPU_FAULT_READ_ONLY;
			return -EFAULT;
		}
		if (!write || (e->tag & MVGPU_EXEC_TLB_MAPPED_WRITE)) {
			*ptr = (u8 *)e->ptr + XLATE_PAGE_OFFSET(gaddr);
			return 0;
		}
		/* writable, but mapped for reading: map it for writing */
	}

	if (space == MVGPU_XLATE_PPGTT)
		type = xlate_ppgtt(ex, ctx_desc, gaddr, &pte);
	else
		type = xlate_ggtt(ex, gaddr, &pte);
	if (type)
		goto fault;
	if (write && !(pte & MVGPU_PTE_WRITABLE)) {
		type = MVGPU_FAULT_READ_ONLY;
		goto fault;
	}
	type = (pte & MVGPU_PTE_LOCAL) ? MVGPU_FAULT_LOCAL_RANGE :
					 MVGPU_FAULT_DMA;
	p = ex->ops->map_page(ex->priv, pte & MVGPU_PTE_ADDR_MASK,
			      pte & MVGPU_PTE_LOCAL, write, &type);
	if (!p)
		goto fault;

	e->tag = tag | (write ? MVGPU_EXEC_TLB_MAPPED_WRITE : 0);
	e->ptr = p;
	e->writable = pte & MVGPU_PTE_WRITABLE;
	ex->tlb_live |= 1ull << (e - ex->tlb);
	*ptr = (u8 *)p + XLATE_PAGE_OFFSET(gaddr);
	return 0;

fault:
	*fault = type ? type : MVGPU_FAULT_DMA;
	return -EFAULT;
}

/**
 * mvgpu_xlate_check_run() - how many consecutive pages translate
 * @ex: executor context
 * @ctx_desc: CTX_DESC (only for %MVGPU_XLATE_PPGTT)
 * @space: %MVGPU_XLATE_GGTT or %MVGPU_XLATE_PPGTT
 * @gaddr: graphics address in the first page
 * @pages: pages to check, from @gaddr's page on
 * @write: the access writes
 *
 * Checks each page as mvgpu_xlate() would with no cached translation:
 * the table entries, the access, and ops->map_page() (with @write).  In
 * the PPGTT one table walk serves a whole 2 MiB region; the pages' own
 * translations are not cached.  For auditing many pages (the scanner's
 * blit check): mvgpu_xlate() on the first page that fails gives its
 * fault.
 *
 * Return: the pages from the first on that translate, at most @pages.
 */
u32 mvgpu_xlate_check_run(struct mvgpu_exec *ex, u64 ctx_desc,
			  enum mvgpu_xlate_space space, u64 gaddr, u32 pages,
			  bool write)
{
	u64 page = gaddr & XLATE_PAGE_MASK;
	const __le64 *pt = NULL;
	u32 n;

	for (n = 0; n < pages; n++, page += MVGPU_GTT_PAGE_SIZE) {
		u32 type = 0;
		u64 pte;

		if (space == MVGPU_XLATE_PPGTT) {
			if ((!pt || !(page & ~XLATE_PT_MASK)) &&
			    xlate_pt(ex, ctx_desc, page, &pt))
				break;
			if (xlate_pt_entry(pt, page, &pte))
				break;
		} else if (xlate_ggtt(ex, page, &pte)) {
			break;
		}
		if (write && !(pte & MVGPU_PTE_WRITABLE))
			break;
		if (!ex->ops->map_page(ex->priv, pte & MVGPU_PTE_ADDR_MASK,
				       pte & MVGPU_PTE_LOCAL, write, &type))
			break;
	}
	return n;
}

/**
 * mvgpu_xlate_flush() - forget every cached translation
 * @ex: executor context
 *
 * Needed whenever a GGTT or PPGTT entry may have changed, and before the
 * pointers ops->map_page() returned stop being valid.  Empties only the
 * entries filled since the last flush (@ex->tlb_live): an empty tag never
 * matches, and a scan or a slice fills a few entries, so flushing an
 * already empty cache (the scan's and the executor's flushes meet) costs
 * one test instead of clearing the whole cache.
 */
void mvgpu_xlate_flush(struct mvgpu_exec *ex)
{
	u64 live = ex->tlb_live;

	while (live) {
		ex->tlb[__builtin_ctzll(live)].tag = 0;
		live &= live - 1;
	}
	ex->tlb_live = 0;
}
