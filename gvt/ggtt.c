// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: a vGPU's slice of the global GTT.
 *
 * The GGTT window of BAR0 spans the parent's whole graphics address space;
 * a vGPU sees and changes only the entries of its own slice.  Writes
 * outside it are dropped and reads return 0, so no vGPU can map another's
 * graphics addresses.  An entry is 64 bits written as two dwords; the high
 * dword commits it, so an engine never sees half of an update.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "mvgpu.h"

/**
 * mvgpu_ggtt_init() - allocate an all-invalid slice
 * @ggtt: the slice
 * @base: first graphics address, 4 KiB aligned
 * @size: bytes of graphics address space, a multiple of 4 KiB
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_ggtt_init(struct mvgpu_ggtt *ggtt, u64 base, u64 size)
{
	ggtt->base = base;
	ggtt->nr = size >> MVGPU_GTT_PAGE_SHIFT;
	ggtt->lo_index = U32_MAX;
	ggtt->pte = kvcalloc(ggtt->nr, sizeof(*ggtt->pte), GFP_KERNEL_ACCOUNT);
	return ggtt->pte ? 0 : -ENOMEM;
}

/**
 * mvgpu_ggtt_fini() - free the slice
 * @ggtt: the slice
 */
void mvgpu_ggtt_fini(struct mvgpu_ggtt *ggtt)
{
	kvfree(ggtt->pte);
	ggtt->pte = NULL;
}

/**
 * mvgpu_ggtt_reset() - invalidate every entry
 * @ggtt: the slice; no engine uses it (the vGPU's engines are stopped)
 */
void mvgpu_ggtt_reset(struct mvgpu_ggtt *ggtt)
{
	memset(ggtt->pte, 0, (size_t)ggtt->nr * sizeof(*ggtt->pte));
	ggtt->lo_index = U32_MAX;
}

/* Slice index of the PTE at window @offset, or U32_MAX if not ours. */
static u32 mvgpu_ggtt_index(struct mvgpu_ggtt *ggtt, u32 offset)
{
	u64 global = offset / sizeof(u64);
	u64 first = ggtt->base >> MVGPU_GTT_PAGE_SHIFT;

	if (global < first || global - first >= ggtt->nr)
		return U32_MAX;
	return global - first;
}

/**
 * mvgpu_ggtt_mmio_read() - read a dword of the GGTT window
 * @ggtt: the slice
 * @offset: byte offset inside the window, dword aligned
 *
 * Return: the dword, 0 outside the slice.
 */
u32 mvgpu_ggtt_mmio_read(struct mvgpu_ggtt *ggtt, u32 offset)
{
	u32 idx = mvgpu_ggtt_index(ggtt, offset);
	u64 pte;

	if (idx == U32_MAX)
		return 0;
	pte = READ_ONCE(ggtt->pte[idx]);
	return offset & 4 ? upper_32_bits(pte) : lower_32_bits(pte);
}

/**
 * mvgpu_ggtt_mmio_write() - write a dword of the GGTT window
 * @ggtt: the slice; the caller holds the vGPU's state mutex
 * @offset: byte offset inside the window, dword aligned
 * @val: the dword
 *
 * A low dword is latched; the high dword commits the entry with the latched
 * low dword if it was for the same entry, else with the entry's current
 * low dword.
 */
void mvgpu_ggtt_mmio_write(struct mvgpu_ggtt *ggtt, u32 offset, u32 val)
{
	u32 idx = mvgpu_ggtt_index(ggtt, offset);
	u32 lo;

	if (idx == U32_MAX)
		return;
	if (!(offset & 4)) {
		ggtt->lo_index = idx;
		ggtt->lo_val = val;
		return;
	}
	lo = ggtt->lo_index == idx ? ggtt->lo_val :
				     lower_32_bits(READ_ONCE(ggtt->pte[idx]));
	ggtt->lo_index = U32_MAX;
	WRITE_ONCE(ggtt->pte[idx], (u64)val << 32 | lo);
}

/**
 * mvgpu_ggtt_pte() - the entry translating a graphics address
 * @ggtt: the slice
 * @gaddr: graphics address
 * @pte: the entry
 *
 * Lockless: callable by the engines while the driver updates entries.
 *
 * Return: 0, or -ERANGE if @gaddr is outside the slice.
 */
int mvgpu_ggtt_pte(struct mvgpu_ggtt *ggtt, u64 gaddr, u64 *pte)
{
	u64 idx;

	if (gaddr < ggtt->base)
		return -ERANGE;
	idx = (gaddr - ggtt->base) >> MVGPU_GTT_PAGE_SHIFT;
	if (idx >= ggtt->nr)
		return -ERANGE;
	*pte = READ_ONCE(ggtt->pte[idx]);
	return 0;
}
