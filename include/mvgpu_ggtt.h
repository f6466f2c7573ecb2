/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vGPU's slice of the global GTT (gvt/ggtt.c): the PTEs the driver writes
 * through the GGTT window of BAR0, read by the engines.
 */
#ifndef _MVGPU_GGTT_H
#define _MVGPU_GGTT_H

#include <linux/types.h>

/**
 * struct mvgpu_ggtt - the PTEs of one vGPU's GGTT slice
 * @pte: one entry per 4 KiB page of the slice.  Written under the vGPU's
 *	state mutex with WRITE_ONCE() (a whole entry at a time), read by the
 *	engines without a lock with READ_ONCE().
 * @base: first graphics address of the slice
 * @nr: number of entries
 * @lo_index: entry whose low dword was written last, or U32_MAX
 * @lo_val: that low dword; committed by the write of the high dword
 */
struct mvgpu_ggtt {
	u64 *pte;
	u64 base;
	u32 nr;
	u32 lo_index;
	u32 lo_val;
};

int mvgpu_ggtt_init(struct mvgpu_ggtt *ggtt, u64 base, u64 size);
void mvgpu_ggtt_fini(struct mvgpu_ggtt *ggtt);
void mvgpu_ggtt_reset(struct mvgpu_ggtt *ggtt);
u32 mvgpu_ggtt_mmio_read(struct mvgpu_ggtt *ggtt, u32 offset);
void mvgpu_ggtt_mmio_write(struct mvgpu_ggtt *ggtt, u32 offset, u32 val);
int mvgpu_ggtt_pte(struct mvgpu_ggtt *ggtt, u64 gaddr, u64 *pte);

#endif /* _MVGPU_GGTT_H */
