// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: BAR2, the vGPU's local memory.
 *
 * Backed by host pages allocated zeroed on first touch and kept in an
 * xarray until the vGPU is released, so an idle vGPU costs little memory and
 * reads of untouched memory return zeros without allocating.
 *
 * mmap hands out the same pages through a fault handler; each mapping takes
 * its own page reference (vmf->page), so a page outlives the xarray's
 * reference for as long as it is mapped.  A mapping keeps the VFIO device
 * file open, so the vGPU -- and this store -- cannot be released while any
 * mapping exists.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "mvgpu_vram.h"

/**
 * mvgpu_vram_init() - an empty store
 * @vram: store to initialise
 * @size: BAR2 size in bytes, a multiple of PAGE_SIZE
 */
void mvgpu_vram_init(struct mvgpu_vram *vram, u64 size)
{
	xa_init(&vram->pages);
	vram->size = size;
	atomic_long_set(&vram->resident, 0);
}

/**
 * mvgpu_vram_fini() - drop the store's page references
 * @vram: store; no user may access it any more
 */
void mvgpu_vram_fini(struct mvgpu_vram *vram)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&vram->pages, idx, page)
		put_page(page);
	xa_destroy(&vram->pages);
	atomic_long_set(&vram->resident, 0);
}

/* The page at @idx, allocated if this is its first touch. */
static struct page *mvgpu_vram_get_page(struct mvgpu_vram *vram, pgoff_t idx)
{
	struct page *page, *old;

	page = xa_load(&vram->pages, idx);
	if (page)
		return page;

	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	/* Another toucher may have won the race: use its page. */
	old = xa_cmpxchg(&vram->pages, idx, NULL, page, GFP_KERNEL_ACCOUNT);
	if (old) {
		__free_page(page);
		return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
	}
	atomic_long_inc(&vram->resident);
	return page;
}

/**
 * mvgpu_vram_page() - the page of local memory at an offset, for an engine
 * @vram: store
 * @offset: byte offset in BAR2
 *
 * Allocates the page on first touch.  The page stays valid until
 * mvgpu_vram_fini().
 *
 * Return: the page, ERR_PTR(-ERANGE) beyond BAR2, or ERR_PTR(-ENOMEM).
 */
struct page *mvgpu_vram_page(struct mvgpu_vram *vram, u64 offset)
{
	if (offset >= vram->size)
		return ERR_PTR(-ERANGE);
	return mvgpu_vram_get_page(vram, offset >> PAGE_SHIFT);
}

static bool mvgpu_vram_range_ok(struct mvgpu_vram *vram, u64 offset,
				size_t count)
{
	return offset < vram->size && count <= vram->size - offset;
}

/*
 * Copy between userspace and the store, a page at a time.  Returns bytes
 * copied; a fault or signal part way returns the bytes done so far.
 */
static ssize_t mvgpu_vram_copy(struct mvgpu_vram *vram, u64 offset,
			       char __user *ubuf, size_t count, bool write)
{
	size_t done = 0;

	if (!mvgpu_vram_range_ok(vram, offset, count))
		return -EINVAL;

	while (done < count) {
		u64 pos = offset + done;
		size_t in = offset_in_page(pos);
		size_t n = min_t(size_t, PAGE_SIZE - in, count - done);
		struct page *page;
		unsigned long left;
		void *va;

		if (write) {
			page = mvgpu_vram_get_page(vram, pos >> PAGE_SHIFT);
			if (IS_ERR(page))
				return done ? done : PTR_ERR(page);
		} else {
			page = xa_load(&vram->pages, pos >> PAGE_SHIFT);
		}

		if (page) {
			va = kmap_local_page(page);
			if (write)
				left = copy_from_user(va + in, ubuf + done, n);
			else
				left = copy_to_user(ubuf + done, va + in, n);
			kunmap_local(va);
		} else {
			left = clear_user(ubuf + done, n);
		}
		done += n - left;
		if (left)
			return done ? done : -EFAULT;
		if (done < count && fatal_signal_pending(current))
			return done;
		cond_resched();
	}
	return done;
}

/**
 * mvgpu_vram_read() - read BAR2 through the VFIO region
 * @vram: store
 * @offset: byte offset in BAR2
 * @buf: user buffer
 * @count: bytes
 *
 * Return: bytes read, -EINVAL if the range leaves BAR2, -EFAULT.
 */
ssize_t mvgpu_vram_read(struct mvgpu_vram *vram, u64 offset,
			char __user *buf, size_t count)
{
	return mvgpu_vram_copy(vram, offset, buf, count, false);
}

/**
 * mvgpu_vram_write() - write BAR2 through the VFIO region
 * @vram: store
 * @offset: byte offset in BAR2
 * @buf: user buffer
 * @count: bytes
 *
 * Return: bytes written, -EINVAL if the range leaves BAR2, -EFAULT, -ENOMEM.
 */
ssize_t mvgpu_vram_write(struct mvgpu_vram *vram, u64 offset,
			 const char __user *buf, size_t count)
{
	return mvgpu_vram_copy(vram, offset, (char __user *)buf, count, true);
}

static vm_fault_t mvgpu_vram_fault(struct vm_fault *vmf)
{
	struct mvgpu_vram *vram = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= vram->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = mvgpu_vram_get_page(vram, vmf->pgoff);
	if (IS_ERR(page))
		return VM_FAULT_OOM;
	/* The mapping's own reference, dropped when the PTE is zapped. */
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct mvgpu_vram_vm_ops = {
	.fault = mvgpu_vram_fault,
};

/**
 * mvgpu_vram_mmap() - set up a mapping of BAR2
 * @vram: store
 * @vma: the new mapping; vm_pgoff is the page offset in BAR2
 *
 * Return: 0; -EINVAL if the mapping is private or leaves BAR2.
 */
int mvgpu_vram_mmap(struct mvgpu_vram *vram, struct vm_area_struct *vma)
{
	unsigned long nr_pages = vram->size >> PAGE_SHIFT;

	/* A private mapping would see copies, not the device's memory. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff >= nr_pages ||
	    vma_pages(vma) > nr_pages - vma->vm_pgoff)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &mvgpu_vram_vm_ops;
	vma->vm_private_data = vram;
	return 0;
}

/**
 * mvgpu_vram_resident_pages() - host pages currently backing BAR2
 * @vram: store
 *
 * Return: the number of pages allocated so far.
 */
unsigned long mvgpu_vram_resident_pages(struct mvgpu_vram *vram)
{
	return atomic_long_read(&vram->resident);
}
