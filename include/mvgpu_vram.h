/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vGPU's local memory, BAR2 (gvt/vram.c): host pages allocated on first
 * touch, read/write through the VFIO region, mmap through a fault handler.
 */
#ifndef _MVGPU_VRAM_H
#define _MVGPU_VRAM_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct page;
struct vm_area_struct;

/**
 * struct mvgpu_vram - backing store of BAR2
 * @pages: page index -> struct page; the xarray's own lock makes insertion
 *	safe against concurrent first touches, so no other lock is needed.
 *	Holds one reference per page; mappings take their own.
 * @size: size in bytes, a power of two, multiple of PAGE_SIZE
 * @resident: number of pages in @pages
 */
struct mvgpu_vram {
	struct xarray pages;
	u64 size;
	atomic_long_t resident;
};

void mvgpu_vram_init(struct mvgpu_vram *vram, u64 size);
void mvgpu_vram_fini(struct mvgpu_vram *vram);
ssize_t mvgpu_vram_read(struct mvgpu_vram *vram, u64 offset,
			char __user *buf, size_t count);
ssize_t mvgpu_vram_write(struct mvgpu_vram *vram, u64 offset,
			 const char __user *buf, size_t count);
int mvgpu_vram_mmap(struct mvgpu_vram *vram, struct vm_area_struct *vma);
unsigned long mvgpu_vram_resident_pages(struct mvgpu_vram *vram);
struct page *mvgpu_vram_page(struct mvgpu_vram *vram, u64 offset);

#endif /* _MVGPU_VRAM_H */
