// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the VFIO device of a vGPU.
 *
 * Userspace sees a PCI function: regions are addressed by index in the top
 * bits of the file offset (as vfio-pci does), config space and BAR0 are
 * trapped, BAR2 is read, written or mmap-ed.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mvgpu.h"
#include "mvgpu_mmio.h"

/* Region index in the top bits of the file offset, as in vfio-pci. */
#define MVGPU_VFIO_OFFSET_SHIFT		40
#define MVGPU_VFIO_OFFSET_MASK		((1ULL << MVGPU_VFIO_OFFSET_SHIFT) - 1)
#define MVGPU_VFIO_INDEX_TO_OFFSET(i)	((u64)(i) << MVGPU_VFIO_OFFSET_SHIFT)

static struct mvgpu_vgpu *mvgpu_vfio_vgpu(struct vfio_device *vdev)
{
	return container_of(vdev, struct mvgpu_vgpu, vdev);
}

/*
 * Called by vfio_alloc_device() from mvgpu_vgpu_probe(): everything that
 * depends only on the type.  On failure nothing is left to undo (the VFIO
 * core does not call .release then).
 */
static int mvgpu_vfio_init(struct vfio_device *vdev)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mvgpu_type *type = mvgpu_type_from_mdev(mdev->type);
	struct mvgpu_parent *parent =
		mvgpu_parent_from_mdev(mdev->type->parent);
	unsigned int e;

	/*
	 * The module reference that makes rmmod fail while vGPUs exist.  It
	 * belongs to this object and is dropped by mvgpu_vfio_release(), the
	 * last code of ours to run for it.  try_module_get() rather than
	 * __module_get(): a create racing with rmmod (module already going,
	 * parent not yet unregistered) must fail instead of pinning it.
	 */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	vgpu->parent = parent;
	vgpu->type = type;
	vgpu->vram_size = ((u64)parent->gpu_mem_mb << 20) / type->fraction;
	mutex_init(&vgpu->lock);
	mvgpu_irq_init(&vgpu->irq);
	mvgpu_vram_init(&vgpu->vram, vgpu->vram_size);
	mvgpu_dma_init(&vgpu->dma);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_engine_init(&vgpu->engines[e], vgpu,
				  &parent->engines[e], e);
	mvgpu_cfg_init(&vgpu->cfg, type->fraction, MVGPU_BAR0_SIZE,
		       vgpu->vram_size);
	return 0;
}

/* The last reference to the VFIO device is gone: no user remains. */
static void mvgpu_vfio_release(struct vfio_device *vdev)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_engine_fini(&vgpu->engines[e]);
	mvgpu_dma_fini(&vgpu->dma);
	mvgpu_ggtt_fini(&vgpu->ggtt);
	mvgpu_vram_fini(&vgpu->vram);
	mutex_destroy(&vgpu->lock);
	/* Last: after this the module may go away (see mvgpu_vfio_init()). */
	module_put(THIS_MODULE);
}

/* Caller holds vgpu->lock. */
static void mvgpu_vfio_sync_irq_mode(struct mvgpu_vgpu *vgpu)
{
	mvgpu_irq_set_mode(&vgpu->irq, mvgpu_cfg_msi_enabled(&vgpu->cfg),
			   mvgpu_cfg_intx_disabled(&vgpu->cfg));
}

/*
 * Take the vGPU off the parent's engines: when this returns no slice of it
 * runs, so its engine state, GGTT and pins may change under the state
 * mutex alone.
 */
static void mvgpu_vfio_engines_stop(struct mvgpu_vgpu *vgpu)
{
	unsigned int e;

	lockdep_assert_held(&vgpu->lock);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_sched_stop(&vgpu->engines[e]);
}

static void mvgpu_vfio_engines_start(struct mvgpu_vgpu *vgpu)
{
	unsigned int e;

	lockdep_assert_held(&vgpu->lock);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_sched_start(&vgpu->engines[e]);
}

/* GPU state to power-on values; the engines are stopped. */
static void mvgpu_vfio_gpu_reset(struct mvgpu_vgpu *vgpu)
{
	unsigned int e;

	lockdep_assert_held(&vgpu->lock);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_engine_reset(&vgpu->engines[e]);
	mvgpu_ggtt_reset(&vgpu->ggtt);
	WRITE_ONCE(vgpu->epoch_ns, ktime_get_ns());
}

/*
 * VFIO_DEVICE_RESET: registers, engines and GGTT to defaults; VRAM kept,
 * and the pins too (they only mirror what the VMM has mapped).
 */
static void mvgpu_vfio_reset(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);

	mvgpu_vfio_engines_stop(vgpu);
	mvgpu_mmio_reset(vgpu);
	mvgpu_cfg_reset(&vgpu->cfg);
	mvgpu_vfio_sync_irq_mode(vgpu);
	mvgpu_vfio_gpu_reset(vgpu);
	mvgpu_vfio_engines_start(vgpu);
}

/* A new user gets a function fresh from power-on, except for VRAM. */
static int mvgpu_vfio_open(struct vfio_device *vdev)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);

	mutex_lock(&vgpu->lock);
	mvgpu_cfg_init(&vgpu->cfg, vgpu->type->fraction, MVGPU_BAR0_SIZE,
		       vgpu->vram_size);
	mvgpu_mmio_reset(vgpu);
	mvgpu_vfio_sync_irq_mode(vgpu);
	mvgpu_vfio_gpu_reset(vgpu);
	mvgpu_vfio_engines_start(vgpu);
	mutex_unlock(&vgpu->lock);
	return 0;
}

/*
 * The last user is gone.  Stop the engines first: after that nothing
 * touches guest memory, and the pins can go while VFIO still considers
 * the device open (vfio_unpin_pages() requires it).
 */
static void mvgpu_vfio_close(struct vfio_device *vdev)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);

	mutex_lock(&vgpu->lock);
	mvgpu_vfio_engines_stop(vgpu);
	mvgpu_dma_unpin_all(vgpu);
	mvgpu_irq_teardown(&vgpu->irq);
	mvgpu_mmio_reset(vgpu);
	mvgpu_vfio_gpu_reset(vgpu);
	mutex_unlock(&vgpu->lock);
}

static ssize_t mvgpu_vfio_cfg_rw(struct mvgpu_vgpu *vgpu, u64 off,
				 char __user *ubuf, size_t count, bool write)
{
	u8 buf[MVGPU_PCI_CFG_SIZE];
	int ret;

	if (off >= MVGPU_PCI_CFG_SIZE || count > MVGPU_PCI_CFG_SIZE - off)
		return -EINVAL;

	if (write) {
		if (copy_from_user(buf, ubuf, count))
			return -EFAULT;
		mutex_lock(&vgpu->lock);
		ret = mvgpu_cfg_write(&vgpu->cfg, off, buf, count);
		mvgpu_vfio_sync_irq_mode(vgpu);
		mutex_unlock(&vgpu->lock);
		return ret ? ret : count;
	}

	mutex_lock(&vgpu->lock);
	mvgpu_cfg_set_intx_status(&vgpu->cfg,
				  mvgpu_irq_intx_pending(&vgpu->irq));
	ret = mvgpu_cfg_read(&vgpu->cfg, off, buf, count);
	mutex_unlock(&vgpu->lock);
	if (ret)
		return ret;
	if (copy_to_user(ubuf, buf, count))
		return -EFAULT;
	return count;
}

static ssize_t mvgpu_vfio_bar0_rw(struct mvgpu_vgpu *vgpu, u64 off,
				  char __user *ubuf, size_t count, bool write)
{
	__le32 data;
	u32 val;
	int ret;

	/* Only naturally aligned dwords are decoded (hw-interface.rst). */
	if (count != sizeof(data) || !IS_ALIGNED(off, sizeof(data)) ||
	    off >= MVGPU_BAR0_SIZE)
		return -EINVAL;

	if (write) {
		if (copy_from_user(&data, ubuf, sizeof(data)))
			return -EFAULT;
		mutex_lock(&vgpu->lock);
		ret = mvgpu_mmio_write(vgpu, off, le32_to_cpu(data));
		mutex_unlock(&vgpu->lock);
		return ret ? ret : count;
	}

	mutex_lock(&vgpu->lock);
	ret = mvgpu_mmio_read(vgpu, off, &val);
	mutex_unlock(&vgpu->lock);
	if (ret)
		return ret;
	data = cpu_to_le32(val);
	if (copy_to_user(ubuf, &data, sizeof(data)))
		return -EFAULT;
	return count;
}

static ssize_t mvgpu_vfio_rw(struct vfio_device *vdev, char __user *ubuf,
			     size_t count, loff_t *ppos, bool write)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	u64 pos = *ppos;
	u64 off = pos & MVGPU_VFIO_OFFSET_MASK;
	ssize_t ret;

	if (*ppos < 0)
		return -EINVAL;
	if (!count)
		return 0;

	switch (pos >> MVGPU_VFIO_OFFSET_SHIFT) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mvgpu_vfio_cfg_rw(vgpu, off, ubuf, count, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = mvgpu_vfio_bar0_rw(vgpu, off, ubuf, count, write);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		if (write)
			ret = mvgpu_vram_write(&vgpu->vram, off, ubuf, count);
		else
			ret = mvgpu_vram_read(&vgpu->vram, off, ubuf, count);
		break;
	default:
		/* Unused BARs, ROM and VGA have size 0. */
		ret = -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t mvgpu_vfio_read(struct vfio_device *vdev, char __user *buf,
			       size_t count, loff_t *ppos)
{
	return mvgpu_vfio_rw(vdev, buf, count, ppos, false);
}

static ssize_t mvgpu_vfio_write(struct vfio_device *vdev,
				const char __user *buf, size_t count,
				loff_t *ppos)
{
	return mvgpu_vfio_rw(vdev, (char __user *)buf, count, ppos, true);
}

static int mvgpu_vfio_mmap(struct vfio_device *vdev,
			   struct vm_area_struct *vma)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	u64 index = vma->vm_pgoff >> (MVGPU_VFIO_OFFSET_SHIFT - PAGE_SHIFT);

	if (index != VFIO_PCI_BAR2_REGION_INDEX)
		return -EINVAL;
	/* From here on the mapping's offset is relative to BAR2. */
	vma->vm_pgoff &= MVGPU_VFIO_OFFSET_MASK >> PAGE_SHIFT;
	return mvgpu_vram_mmap(&vgpu->vram, vma);
}

static int mvgpu_vfio_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int mvgpu_vfio_get_region_info(struct mvgpu_vgpu *vgpu,
				      void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info.offset = MVGPU_VFIO_INDEX_TO_OFFSET(info.index);
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = MVGPU_PCI_CFG_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info.size = MVGPU_BAR0_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info.size = vgpu->vram_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE |
			     VFIO_REGION_INFO_FLAG_MMAP;
		break;
	default:
		info.size = 0;
		info.flags = 0;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int mvgpu_vfio_get_irq_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = mvgpu_irq_get_info(&info);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int mvgpu_vfio_set_irqs(struct mvgpu_vgpu *vgpu, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 mvgpu_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&vgpu->lock);
	ret = mvgpu_irq_set_irqs(&vgpu->irq, &hdr, data);
	mutex_unlock(&vgpu->lock);
	kfree(data);
	return ret;
}

static long mvgpu_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mvgpu_vfio_get_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mvgpu_vfio_get_region_info(vgpu, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mvgpu_vfio_get_irq_info(uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mvgpu_vfio_set_irqs(vgpu, uarg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&vgpu->lock);
		mvgpu_vfio_reset(vgpu);
		mutex_unlock(&vgpu->lock);
		return 0;
	}
	return -ENOTTY;
}

/*
 * mdev remove while the device is open: vfio_unregister_group_dev() calls
 * this every 10 s until the last user closes it.  Log once per removal.
 */
static void mvgpu_vfio_request(struct vfio_device *vdev, unsigned int count)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vfio_vgpu(vdev);
	bool sent = mvgpu_irq_request(&vgpu->irq);

	if (count == 0)
		dev_notice(vdev->dev,
			   "removal waits for userspace to close the device (%s)\n",
			   sent ? "release requested" : "no request eventfd set");
}

/*
 * The VMM unmapped a DMA range: drop our pins in it.  Engines touching it
 * afterwards fault (MVGPU_FAULT_DMA).  Not under the state mutex: a VMM may
 * unmap while another thread of it holds the mutex for an MMIO access.
 */
static void mvgpu_vfio_dma_unmap(struct vfio_device *vdev, u64 iova,
				 u64 length)
{
	mvgpu_dma_unpin(mvgpu_vfio_vgpu(vdev), iova, length);
}

const struct vfio_device_ops mvgpu_vfio_ops = {
	.name		= MVGPU_NAME,
	.init		= mvgpu_vfio_init,
	.release	= mvgpu_vfio_release,
	.open_device	= mvgpu_vfio_open,
	.close_device	= mvgpu_vfio_close,
	.read		= mvgpu_vfio_read,
	.write		= mvgpu_vfio_write,
	.ioctl		= mvgpu_vfio_ioctl,
	.mmap		= mvgpu_vfio_mmap,
	.request	= mvgpu_vfio_request,
	.dma_unmap	= mvgpu_vfio_dma_unmap,
	.bind_iommufd	= vfio_iommufd_emulated_bind,
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
};
