/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BAR0 register file of a vGPU (gvt/mmio.c).  The caller holds the
 * vGPU's state mutex.
 */
#ifndef _MVGPU_MMIO_H
#define _MVGPU_MMIO_H

#include <linux/types.h>

struct mvgpu_vgpu;

int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 offset, u32 *val);
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 offset, u32 val);
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_MMIO_H */
