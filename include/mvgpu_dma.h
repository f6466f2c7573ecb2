/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest memory a vGPU's engines reach (kmod/dma.c): host pages pinned
 * through VFIO on first use, dropped when the VMM unmaps them or the device
 * closes.
 */
#ifndef _MVGPU_DMA_H
#define _MVGPU_DMA_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>

struct mvgpu_vgpu;

/**
 * struct mvgpu_dma - pinned pages of one vGPU
 * @sem: held for reading by an engine slice for its whole duration (the
 *	page pointers it uses stay valid), for writing by whoever unpins
 * @lock: serialises pinning, so two engines never pin one page twice
 * @pins: DMA page frame number -> value entry: host pfn << 1 | 1 if
 *	pinned writable (kmod/dma.c)
 * @nr_pinned: entries in @pins
 */
struct mvgpu_dma {
	struct rw_semaphore sem;
	struct mutex lock;		/* serialises pinning */
	struct xarray pins;
	atomic_long_t nr_pinned;
};

void mvgpu_dma_init(struct mvgpu_dma *dma);
void mvgpu_dma_fini(struct mvgpu_dma *dma);
void *mvgpu_dma_page(struct mvgpu_vgpu *vgpu, u64 addr, bool write,
		     u32 *fault);
void mvgpu_dma_unpin(struct mvgpu_vgpu *vgpu, u64 iova, u64 length);
void mvgpu_dma_unpin_all(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_DMA_H */
