// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu_drm: per-file GPU address spaces (4-level PPGTT).
 *
 * Tables are single DMA-coherent pages, allocated as addresses get mapped
 * and freed with the VM: a file's address space only grows while it lives,
 * and VMAs only ever reuse the ranges of freed ones.
 */
#include <linux/atomic.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "mvgpu_drm_drv.h"

static atomic64_t mvgpu_vm_ids = ATOMIC64_INIT(0);

static int mvgpu_pt_alloc(struct mvgpu_device *mdev, struct mvgpu_pt *pt,
			  bool dir)
{
	pt->cpu = dma_alloc_coherent(mdev->drm.dev, MVGPU_GTT_PAGE_SIZE,
				     &pt->dma, GFP_KERNEL);
	if (!pt->cpu)
		return -ENOMEM;
	pt->child = NULL;
	if (dir) {
		pt->child = kcalloc(MVGPU_PPGTT_ENTRIES, sizeof(*pt->child),
				    GFP_KERNEL);
		if (!pt->child) {
			dma_free_coherent(mdev->drm.dev,
					  MVGPU_GTT_PAGE_SIZE, pt->cpu,
					  pt->dma);
			return -ENOMEM;
		}
	}
	return 0;
}

static void mvgpu_pt_free(struct mvgpu_device *mdev, struct mvgpu_pt *pt)
{
	unsigned int i;

	if (pt->child) {
		for (i = 0; i < MVGPU_PPGTT_ENTRIES; i++) {
			if (!pt->child[i])
				continue;
			mvgpu_pt_free(mdev, pt->child[i]);
			kfree(pt->child[i]);
		}
		kfree(pt->child);
	}
	dma_free_coherent(mdev->drm.dev, MVGPU_GTT_PAGE_SIZE, pt->cpu,
			  pt->dma);
}

/**
 * mvgpu_vm_create() - a new, empty address space
 * @mdev: the device
 *
 * Return: the VM with one reference, or an ERR_PTR.
 */
struct mvgpu_vm *mvgpu_vm_create(struct mvgpu_device *mdev)
{
	struct mvgpu_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	ret = mvgpu_pt_alloc(mdev, &vm->root, true);
	if (ret) {
		kfree(vm);
		return ERR_PTR(ret);
	}
	kref_init(&vm->ref);
	vm->mdev = mdev;
	vm->id = atomic64_inc_return(&mvgpu_vm_ids);
	mutex_init(&vm->lock);
	spin_lock_init(&vm->stats_lock);
	drm_mm_init(&vm->mm, MVGPU_DRM_VA_START,
		    MVGPU_DRM_VA_END - MVGPU_DRM_VA_START);
	return vm;
}

static void mvgpu_vm_release(struct kref *ref)
{
	struct mvgpu_vm *vm = container_of(ref, struct mvgpu_vm, ref);

	/* VMAs hold references: every range is free again. */
	drm_mm_takedown(&vm->mm);
	dma_fence_put(vm->last_fence);
	mvgpu_pt_free(vm->mdev, &vm->root);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

/**
 * mvgpu_vm_put() - drop a reference to a VM
 * @vm: the VM, or NULL
 *
 * The last reference frees the page tables (process context).
 */
void mvgpu_vm_put(struct mvgpu_vm *vm)
{
	if (vm)
		kref_put(&vm->ref, mvgpu_vm_release);
}

/**
 * mvgpu_vm_desc() - CTX_DESC value naming a VM's PML4
 * @vm: the VM
 *
 * User batches run non-privileged: NO_GGTT makes the device reject any
 * GGTT selection in them, so a process cannot reach the driver's rings
 * and status pages, or another process's memory, through the GGTT.
 *
 * Return: the 64-bit descriptor, VALID and NO_GGTT set.
 */
u64 mvgpu_vm_desc(struct mvgpu_vm *vm)
{
	return (vm->root.dma & MVGPU_CTX_DESC_PML4_MASK) |
	       MVGPU_CTX_DESC_VALID | MVGPU_CTX_DESC_NO_GGTT;
}

static unsigned int mvgpu_pt_index(u64 va, unsigned int level)
{
	/* level 0 is the PML4 (bits 47:39), 3 the page table (20:12). */
	return (va >> (39 - 9 * level)) & (MVGPU_PPGTT_ENTRIES - 1);
}

/*
 * The leaf entry of @va; allocates missing tables if @alloc, else returns
 * NULL where one is missing.  Caller holds vm->lock.
 */
static u64 *mvgpu_vm_leaf(struct mvgpu_vm *vm, u64 va, bool alloc)
{
	struct mvgpu_pt *pt = &vm->root, *child;
	unsigned int level, idx;

	for (level = 0; level < MVGPU_PPGTT_LEVELS - 1; level++) {
		idx = mvgpu_pt_index(va, level);
		child = pt->child[idx];
		if (!child) {
			if (!alloc)
				return NULL;
			child = kzalloc(sizeof(*child), GFP_KERNEL);
			if (!child)
				return NULL;
			if (mvgpu_pt_alloc(vm->mdev, child,
					   level < MVGPU_PPGTT_LEVELS - 2)) {
				kfree(child);
				return NULL;
			}
			pt->child[idx] = child;
			/* The engine may walk the tree: table first. */
			dma_wmb();
			WRITE_ONCE(pt->cpu[idx], child->dma | MVGPU_PTE_PRESENT |
				   MVGPU_PTE_WRITABLE);
		}
		pt = child;
	}
	return &pt->cpu[mvgpu_pt_index(va, level)];
}

/**
 * mvgpu_vm_map() - write the leaf entries of a range
 * @vm: the VM
 * @va: first address, page aligned
 * @sgt: DMA-mapped pages backing the range
 * @size: bytes to map (at most the pages of @sgt)
 * @writable: set WRITABLE in the entries
 *
 * Caller holds vm->lock.  On failure the entries written so far are
 * cleared again.
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_vm_map(struct mvgpu_vm *vm, u64 va, struct sg_table *sgt,
		 u64 size, bool writable)
{
	u64 flags = MVGPU_PTE_PRESENT | (writable ? MVGPU_PTE_WRITABLE : 0);
	struct sg_dma_page_iter it;
	u64 off = 0, *pte;

	lockdep_assert_held(&vm->lock);
	for_each_sgtable_dma_page(sgt, &it, 0) {
		if (off >= size)
			break;
		pte = mvgpu_vm_leaf(vm, va + off, true);
		if (!pte) {
			mvgpu_vm_unmap(vm, va, off);
			return -ENOMEM;
		}
		WRITE_ONCE(*pte, (sg_page_iter_dma_address(&it) &
				  MVGPU_PTE_ADDR_MASK) | flags);
		off += PAGE_SIZE;
	}
	return 0;
}

/**
 * mvgpu_vm_unmap() - clear the leaf entries of a range
 * @vm: the VM
 * @va: first address, page aligned
 * @size: bytes
 *
 * Caller holds vm->lock.  The engine may still use cached translations
 * until its next time slice; see mvgpu_vma_put() for how pages outlive
 * that.
 */
void mvgpu_vm_unmap(struct mvgpu_vm *vm, u64 va, u64 size)
{
	u64 off, *pte;

	lockdep_assert_held(&vm->lock);
	for (off = 0; off < size; off += PAGE_SIZE) {
		pte = mvgpu_vm_leaf(vm, va + off, false);
		if (pte)
			WRITE_ONCE(*pte, 0);
	}
}
