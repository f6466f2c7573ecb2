// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: guest memory for the engines, the way a DMA device reaches it.
 *
 * A DMA address (what the VMM mapped for the device: a guest physical
 * address) is pinned with vfio_pin_pages() the first time an engine touches
 * its page and stays pinned until the VMM unmaps the range (the dma_unmap
 * callback) or the device is closed.  The engines write through the pinned
 * pages directly; nothing here reports those writes to the VMM.
 *
 * Locking: an engine slice holds @sem for reading while it uses page
 * pointers; unpinning takes it for writing, so it waits for running slices
 * of this vGPU (at most one slice each) and no slice sees a page go away.
 * Documentation/design.rst ("Locks") has how this meets VFIO's own locks,
 * including the type1 container's inversion.
 */
#include <linux/iommu.h>
#include <linux/mm.h>

#include "mvgpu.h"

/**
 * mvgpu_dma_init() - no page pinned
 * @dma: the pin set
 */
void mvgpu_dma_init(struct mvgpu_dma *dma)
{
	init_rwsem(&dma->sem);
	mutex_init(&dma->lock);
	xa_init(&dma->pins);
	atomic_long_set(&dma->nr_pinned, 0);
}

/**
 * mvgpu_dma_fini() - undo mvgpu_dma_init()
 * @dma: the pin set, empty (mvgpu_dma_unpin_all() ran at close)
 */
void mvgpu_dma_fini(struct mvgpu_dma *dma)
{
	WARN_ON(!xa_empty(&dma->pins));
	xa_destroy(&dma->pins);
	mutex_destroy(&dma->lock);
}

/*
 * A pin is one xarray value entry: the host page frame number shifted left
 * by one, and bit 0 set if the page was pinned writable.  One lookup then
 * answers both questions an engine asks per page (which page, may it be
 * written) where a pointer plus a mark would cost two walks: a large blit
 * asks for every page it crosses.
 */
#define MVGPU_PIN_WRITABLE	1ul

static void *mvgpu_pin_entry(unsigned long hpfn, bool writable)
{
	return xa_mk_value(hpfn << 1 | (writable ? MVGPU_PIN_WRITABLE : 0));
}

/* Pin the page at @pfn: writable if the VMM's mapping allows it. */
static struct page *mvgpu_dma_pin(struct mvgpu_vgpu *vgpu, unsigned long pfn,
				  bool write, bool *writable)
{
	dma_addr_t iova = (dma_addr_t)pfn << PAGE_SHIFT;
	struct page *page;
	int ret;

	ret = vfio_pin_pages(&vgpu->vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);
	*writable = ret == 1;
	if (ret != 1 && !write)
		ret = vfio_pin_pages(&vgpu->vdev, iova, 1, IOMMU_READ, &page);
	return ret == 1 ? page : NULL;
}

/**
 * mvgpu_dma_page() - CPU address of a guest page for an engine
 * @vgpu: the vGPU; the caller holds vgpu->dma.sem for reading
 * @addr: DMA address, page aligned
 * @write: the engine will write the page
 * @fault: set to MVGPU_FAULT_DMA on failure
 *
 * Return: the page's kernel address, valid while the caller holds the
 * semaphore, or NULL if the VMM has not mapped @addr for DMA (or mapped it
 * read-only and @write is set).
 */
void *mvgpu_dma_page(struct mvgpu_vgpu *vgpu, u64 addr, bool write,
		     u32 *fault)
{
	struct mvgpu_dma *dma = &vgpu->dma;
	unsigned long pfn = addr >> PAGE_SHIFT, v;
	struct page *page;
	bool writable;
	void *entry;
	int ret;

	lockdep_assert_held(&dma->sem);

	entry = xa_load(&dma->pins, pfn);
	if (entry)
		goto found;

	mutex_lock(&dma->lock);
	entry = xa_load(&dma->pins, pfn);
	if (!entry) {
		page = mvgpu_dma_pin(vgpu, pfn, write, &writable);
		if (!page) {
			mutex_unlock(&dma->lock);
			goto fault;
		}
		entry = mvgpu_pin_entry(page_to_pfn(page), writable);
		ret = xa_err(xa_store(&dma->pins, pfn, entry, GFP_KERNEL));
		if (ret) {
			vfio_unpin_pages(&vgpu->vdev,
					 (dma_addr_t)pfn << PAGE_SHIFT, 1);
			mutex_unlock(&dma->lock);
			goto fault;
		}
		atomic_long_inc(&dma->nr_pinned);
	}
	mutex_unlock(&dma->lock);
found:
	v = xa_to_value(entry);
	if (write && !(v & MVGPU_PIN_WRITABLE))
		goto fault;
	return page_address(pfn_to_page(v >> 1));

fault:
	*fault = MVGPU_FAULT_DMA;
	return NULL;
}

/* Caller holds dma->sem for writing. */
static void mvgpu_dma_unpin_range(struct mvgpu_vgpu *vgpu,
				  unsigned long first, unsigned long last)
{
	struct mvgpu_dma *dma = &vgpu->dma;
	unsigned long pfn;
	void *entry;

	lockdep_assert_held_write(&dma->sem);

	xa_for_each_range(&dma->pins, pfn, entry, first, last) {
		xa_erase(&dma->pins, pfn);
		vfio_unpin_pages(&vgpu->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1);
		atomic_long_dec(&dma->nr_pinned);
	}
}

/**
 * mvgpu_dma_unpin() - the VMM unmapped a DMA range
 * @vgpu: the vGPU
 * @iova: start of the range
 * @length: its length in bytes
 *
 * Unpins every page of the range; an engine touching it later faults with
 * MVGPU_FAULT_DMA.  Waits for running slices of @vgpu.
 */
void mvgpu_dma_unpin(struct mvgpu_vgpu *vgpu, u64 iova, u64 length)
{
	u64 last;

	if (!length)
		return;
	if (check_add_overflow(iova, length - 1, &last))
		last = U64_MAX;
	down_write(&vgpu->dma.sem);
	mvgpu_dma_unpin_range(vgpu, iova >> PAGE_SHIFT,
			      last >> PAGE_SHIFT);
	up_write(&vgpu->dma.sem);
}

/**
 * mvgpu_dma_unpin_all() - drop every pin
 * @vgpu: the vGPU, still open (VFIO needs the device open to unpin)
 */
void mvgpu_dma_unpin_all(struct mvgpu_vgpu *vgpu)
{
	down_write(&vgpu->dma.sem);
	mvgpu_dma_unpin_range(vgpu, 0, ULONG_MAX);
	up_write(&vgpu->dma.sem);
}
