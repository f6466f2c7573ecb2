// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu_drm: buffer objects and their mappings (VMAs) in the per-file
 * address spaces.
 *
 * A BO gets a VMA in a file's VM when the file gets its first handle for
 * it (GEM open callback) and loses it with the last one (close callback).
 * The VMA holds the BO and the VM; submissions hold the VMAs they use.
 * Pages are mapped in the PPGTT on first use by a submission and stay
 * mapped until the VMA is released.
 */
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "mvgpu_drm_drv.h"

static struct mvgpu_vm *mvgpu_file_vm(struct drm_file *file)
{
	struct mvgpu_file *mfile = file->driver_priv;

	return mfile->vm;
}

/* Caller holds vma_lock. */
static struct mvgpu_vma *__mvgpu_vma_find(struct mvgpu_bo *bo,
					  struct mvgpu_vm *vm)
{
	struct mvgpu_vma *vma;

	list_for_each_entry(vma, &bo->vmas, link)
		if (vma->vm == vm)
			return vma;
	return NULL;
}

/**
 * mvgpu_vma_lookup() - a BO's VMA in a VM, referenced
 * @vm: the VM
 * @obj: the BO
 *
 * Return: the VMA with a new reference, or NULL if the VM's file has no
 * handle for @obj (any more).
 */
struct mvgpu_vma *mvgpu_vma_lookup(struct mvgpu_vm *vm,
				   struct drm_gem_object *obj)
{
	struct mvgpu_device *mdev = vm->mdev;
	struct mvgpu_vma *vma;

	mutex_lock(&mdev->vma_lock);
	vma = __mvgpu_vma_find(to_mvgpu_bo(obj), vm);
	if (vma)
		kref_get(&vma->ref);
	mutex_unlock(&mdev->vma_lock);
	return vma;
}

/**
 * mvgpu_vma_bind() - make a VMA's pages resident and mapped
 * @vma: the VMA
 *
 * Pins the BO's pages (for the BO's lifetime, as the shmem helpers do) and
 * writes the PPGTT entries, once.
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_vma_bind(struct mvgpu_vma *vma)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(vma->obj);
	struct mvgpu_vm *vm = vma->vm;
	struct sg_table *sgt;
	int ret = 0;

	mutex_lock(&vm->lock);
	if (vma->bound)
		goto out;
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto out;
	}
	ret = mvgpu_vm_map(vm, vma->node.start, sgt, vma->obj->size,
			   !(to_mvgpu_bo(vma->obj)->flags & MVGPU_BO_READONLY));
	if (!ret)
		vma->bound = true;
out:
	mutex_unlock(&vm->lock);
	return ret;
}

static void mvgpu_vma_free(struct mvgpu_vma *vma)
{
	dma_fence_put(vma->zombie_fence);
	drm_gem_object_put(vma->obj);
	mvgpu_vm_put(vma->vm);
	kfree(vma);
}

/**
 * mvgpu_reap_zombies() - free VMAs whose VM has gone idle
 * @mdev: the device
 * @all: free all of them (every fence is known to have signalled)
 */
void mvgpu_reap_zombies(struct mvgpu_device *mdev, bool all)
{
	struct mvgpu_vma *vma, *tmp;
	LIST_HEAD(dead);

	spin_lock(&mdev->zombie_lock);
	list_for_each_entry_safe(vma, tmp, &mdev->zombies, zombie_link)
		if (all || dma_fence_is_signaled(vma->zombie_fence))
			list_move_tail(&vma->zombie_link, &dead);
	spin_unlock(&mdev->zombie_lock);
	list_for_each_entry_safe(vma, tmp, &dead, zombie_link)
		mvgpu_vma_free(vma);
}

static void mvgpu_vma_release(struct kref *ref)
{
	struct mvgpu_vma *vma = container_of(ref, struct mvgpu_vma, ref);
	struct mvgpu_vm *vm = vma->vm;
	struct mvgpu_device *mdev = vm->mdev;
	struct dma_fence *busy = NULL;

	mutex_lock(&vm->lock);
	if (vma->bound)
		mvgpu_vm_unmap(vm, vma->node.start, vma->obj->size);
	drm_mm_remove_node(&vma->node);
	/*
	 * No job holds this VMA, but a job of the same VM may still be
	 * running and use stale translations of it (a batch may touch BOs
	 * it did not list).  Keep the pages until the VM's last job is done.
	 */
	if (vma->bound && vm->last_fence &&
	    !dma_fence_is_signaled(vm->last_fence))
		busy = dma_fence_get(vm->last_fence);
	mutex_unlock(&vm->lock);

	if (!busy) {
		mvgpu_vma_free(vma);
		return;
	}
	vma->zombie_fence = busy;
	spin_lock(&mdev->zombie_lock);
	list_add_tail(&vma->zombie_link, &mdev->zombies);
	spin_unlock(&mdev->zombie_lock);
	/* It may have signalled meanwhile, with nobody left to reap. */
	mvgpu_reap_zombies(mdev, false);
}

/**
 * mvgpu_vma_put() - drop a reference to a VMA
 * @vma: the VMA
 *
 * Process context: the last reference unmaps the range.
 */
void mvgpu_vma_put(struct mvgpu_vma *vma)
{
	kref_put(&vma->ref, mvgpu_vma_release);
}

static int mvgpu_gem_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct mvgpu_device *mdev = to_mvgpu(obj->dev);
	struct mvgpu_bo *bo = to_mvgpu_bo(obj);
	struct mvgpu_vm *vm = mvgpu_file_vm(file);
	struct mvgpu_vma *vma;
	int ret;

	mutex_lock(&mdev->vma_lock);
	vma = __mvgpu_vma_find(bo, vm);
	if (vma) {
		vma->open_count++;
		mutex_unlock(&mdev->vma_lock);
		return 0;
	}
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma) {
		ret = -ENOMEM;
		goto out;
	}
	mutex_lock(&vm->lock);
	/* A guard page after each BO: overruns fault instead of corrupting. */
	ret = drm_mm_insert_node_generic(&vm->mm, &vma->node,
					 obj->size + MVGPU_GTT_PAGE_SIZE,
					 MVGPU_GTT_PAGE_SIZE, 0,
					 DRM_MM_INSERT_BEST);
	mutex_unlock(&vm->lock);
	if (ret) {
		kfree(vma);
		goto out;
	}
	kref_init(&vma->ref);
	vma->vm = mvgpu_vm_get(vm);
	drm_gem_object_get(obj);
	vma->obj = obj;
	vma->open_count = 1;
	list_add_tail(&vma->link, &bo->vmas);
out:
	mutex_unlock(&mdev->vma_lock);
	return ret;
}

static void mvgpu_gem_close(struct drm_gem_object *obj,
			    struct drm_file *file)
{
	struct mvgpu_device *mdev = to_mvgpu(obj->dev);
	struct mvgpu_vma *vma;
	bool last = false;

	mutex_lock(&mdev->vma_lock);
	vma = __mvgpu_vma_find(to_mvgpu_bo(obj), mvgpu_file_vm(file));
	if (vma && !--vma->open_count) {
		list_del(&vma->link);
		last = true;
	}
	mutex_unlock(&mdev->vma_lock);
	if (last)
		mvgpu_vma_put(vma);
}

static const struct drm_gem_object_funcs mvgpu_gem_funcs = {
	.free = drm_gem_shmem_object_free,
	.open = mvgpu_gem_open,
	.close = mvgpu_gem_close,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * mvgpu_gem_create_object() - &drm_driver.gem_create_object
 * @drm: the DRM device
 * @size: object size
 *
 * Return: the embedded GEM object of a new &struct mvgpu_bo, or an ERR_PTR.
 */
struct drm_gem_object *mvgpu_gem_create_object(struct drm_device *drm,
					       size_t size)
{
	struct mvgpu_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&bo->vmas);
	bo->base.base.funcs = &mvgpu_gem_funcs;
	return &bo->base.base;
}

/* GPU virtual address of @obj in @file's VM, 0 if it has none. */
static u64 mvgpu_gem_va(struct drm_gem_object *obj, struct drm_file *file)
{
	struct mvgpu_device *mdev = to_mvgpu(obj->dev);
	struct mvgpu_vma *vma;
	u64 va = 0;

	mutex_lock(&mdev->vma_lock);
	vma = __mvgpu_vma_find(to_mvgpu_bo(obj), mvgpu_file_vm(file));
	if (vma)
		va = vma->node.start;
	mutex_unlock(&mdev->vma_lock);
	return va;
}

/**
 * mvgpu_ioctl_gem_create() - DRM_IOCTL_MVGPU_GEM_CREATE
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_gem_create
 * @file: the caller's file
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_mvgpu_gem_create *args = data;
	struct drm_gem_shmem_object *shmem;
	struct drm_gem_object *obj;
	u64 size;
	u32 handle;
	int ret;

	if (!args->size || args->flags & ~MVGPU_BO_FLAGS)
		return -EINVAL;
	if (args->size > MVGPU_DRM_VA_END - MVGPU_DRM_VA_START)
		return -E2BIG;
	size = PAGE_ALIGN(args->size);
	shmem = drm_gem_shmem_create(drm, size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	obj = &shmem->base;
	to_mvgpu_bo(obj)->flags = args->flags;
	ret = drm_gem_handle_create(file, obj, &handle);
	if (!ret) {
		args->size = size;
		args->handle = handle;
		/* 0 only if another thread already closed the handle. */
		args->gpu_va = mvgpu_gem_va(obj, file);
	}
	/* The handle holds the object now. */
	drm_gem_object_put(obj);
	return ret;
}

/**
 * mvgpu_ioctl_gem_mmap_offset() - DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_gem_mmap_offset
 * @file: the caller's file
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_mvgpu_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * mvgpu_ioctl_gem_info() - DRM_IOCTL_MVGPU_GEM_INFO
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_gem_info
 * @file: the caller's file
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_ioctl_gem_info(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_mvgpu_gem_info *args = data;
	struct drm_gem_object *obj;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->flags = to_mvgpu_bo(obj)->flags;
	args->size = obj->size;
	args->gpu_va = mvgpu_gem_va(obj, file);
	drm_gem_object_put(obj);
	return args->gpu_va ? 0 : -ENOENT;
}
