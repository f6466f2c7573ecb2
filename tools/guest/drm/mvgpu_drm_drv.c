// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu_drm: guest DRM driver for mvgpu vGPUs -- PCI binding, interrupt,
 * DRM device and files.
 *
 * The device is described in Documentation/hw-interface.rst, the driver
 * in Documentation/guest-driver.rst.
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "mvgpu_drm_drv.h"

static int mvgpu_ioctl_get_param(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct mvgpu_device *mdev = to_mvgpu(drm);
	struct drm_mvgpu_get_param *args = data;

	if (args->pad)
		return -EINVAL;
	switch (args->param) {
	case MVGPU_PARAM_HW_VERSION:
		args->value = mdev->hw_version;
		break;
	case MVGPU_PARAM_VGPU_TYPE:
		args->value = mdev->vgpu_type;
		break;
	case MVGPU_PARAM_NUM_ENGINES:
		args->value = MVGPU_NUM_ENGINES;
		break;
	case MVGPU_PARAM_ENGINE_MASK:
		args->value = GENMASK(MVGPU_NUM_ENGINES - 1, 0);
		break;
	case MVGPU_PARAM_GGTT_BASE:
		args->value = mdev->ggtt_base;
		break;
	case MVGPU_PARAM_GGTT_SIZE:
		args->value = mdev->ggtt_size;
		break;
	case MVGPU_PARAM_VRAM_SIZE:
		args->value = mdev->vram_size;
		break;
	case MVGPU_PARAM_VA_START:
		args->value = MVGPU_DRM_VA_START;
		break;
	case MVGPU_PARAM_VA_END:
		args->value = MVGPU_DRM_VA_END;
		break;
	case MVGPU_PARAM_WATCHDOG_MS:
		args->value = mdev->watchdog_ms;
		break;
	case MVGPU_PARAM_MAX_BOS:
		args->value = MVGPU_DRM_MAX_BOS;
		break;
	case MVGPU_PARAM_RING_SIZE:
		args->value = MVGPU_DRM_RING_SIZE;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int mvgpu_open(struct drm_device *drm, struct drm_file *file)
{
	struct mvgpu_file *mfile;

	mfile = kzalloc(sizeof(*mfile), GFP_KERNEL);
	if (!mfile)
		return -ENOMEM;
	mfile->vm = mvgpu_vm_create(to_mvgpu(drm));
	if (IS_ERR(mfile->vm)) {
		int ret = PTR_ERR(mfile->vm);

		kfree(mfile);
		return ret;
	}
	mutex_init(&mfile->lock);
	xa_init(&mfile->fences);
	mfile->next_seqno = 1;
	mfile->oldest = 1;
	file->driver_priv = mfile;
	return 0;
}

/* Handles are gone (their VMAs with them); jobs may still hold the VM. */
static void mvgpu_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct mvgpu_file *mfile = file->driver_priv;

	mvgpu_file_fini(mfile);
	mvgpu_vm_put(mfile->vm);
	kfree(mfile);
}

static const struct drm_ioctl_desc mvgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(MVGPU_GET_PARAM, mvgpu_ioctl_get_param,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_CREATE, mvgpu_ioctl_gem_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_MMAP_OFFSET, mvgpu_ioctl_gem_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_INFO, mvgpu_ioctl_gem_info,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_EXECBUFFER, mvgpu_ioctl_execbuffer,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_WAIT, mvgpu_ioctl_wait, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GET_RESET_STATS, mvgpu_ioctl_get_reset_stats,
			  DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(mvgpu_fops);

static const struct drm_driver mvgpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ,
	.open = mvgpu_open,
	.postclose = mvgpu_postclose,
	.gem_create_object = mvgpu_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.ioctls = mvgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(mvgpu_ioctls),
	.fops = &mvgpu_fops,
	.name = MVGPU_DRM_NAME,
	.desc = "mvgpu virtual GPU",
	.date = "20261121",
	.major = 1,
	.minor = 0,
};

/* Re-reads of IRQ_STATUS before the handler forces a new edge instead. */
#define MVGPU_IRQ_REREADS	4

/**
 * mvgpu_irq_set_mask() - program IRQ_ENABLE
 * @mdev: the device
 * @mask: sources to enable; 0 turns interrupts off until the next call
 *
 * Enabling first clears IRQ_STATUS: what is pending is left over from
 * before (a reset, an earlier driver), and the engines' work, queued by
 * the caller, reads the status pages anyway.
 */
void mvgpu_irq_set_mask(struct mvgpu_device *mdev, u32 mask)
{
	unsigned long flags;

	spin_lock_irqsave(&mdev->irq_lock, flags);
	mdev->irq_mask = mask;
	if (mask)
		mvgpu_wr(mdev, MVGPU_REG_IRQ_STATUS, ~0u);
	mvgpu_wr(mdev, MVGPU_REG_IRQ_ENABLE, mask);
	spin_unlock_irqrestore(&mdev->irq_lock, flags);
}

/* Drop IRQ_ENABLE and restore it.  Caller holds irq_lock, irq_mask set. */
static void mvgpu_irq_toggle(struct mvgpu_device *mdev)
{
	mvgpu_wr(mdev, MVGPU_REG_IRQ_ENABLE, 0);
	mvgpu_wr(mdev, MVGPU_REG_IRQ_ENABLE, mdev->irq_mask);
}

/*
 * IRQ_STATUS stays non-zero: toggle IRQ_ENABLE, so the level falls and
 * rises again and the device sends a new MSI for what is pending.  Not
 * while interrupts are off (reset, removal).
 */
static void mvgpu_irq_rearm(struct mvgpu_device *mdev)
{
	spin_lock(&mdev->irq_lock);
	if (mdev->irq_mask)
		mvgpu_irq_toggle(mdev);
	spin_unlock(&mdev->irq_lock);
}

/**
 * mvgpu_irq_unstick() - renew a pending interrupt the handler may never see
 * @mdev: the device
 *
 * For the engines' poll.  With MSI, an enabled source that stays pending
 * sends no further message: if one was lost on its way, nothing would
 * interrupt again.  Toggling IRQ_ENABLE sends a new one.  If the handler
 * was about to run anyway, it finds nothing the second time.
 */
void mvgpu_irq_unstick(struct mvgpu_device *mdev)
{
	unsigned long flags;
	u32 status;

	spin_lock_irqsave(&mdev->irq_lock, flags);
	status = mdev->irq_mask ? mvgpu_rd(mdev, MVGPU_REG_IRQ_STATUS) : 0;
	if (status != ~0u && status & mdev->irq_mask) {
		mvgpu_irq_toggle(mdev);
		atomic_inc(&mdev->irq_unsticks);
	}
	spin_unlock_irqrestore(&mdev->irq_lock, flags);
}

static irqreturn_t mvgpu_irq_handler(int irq, void *arg)
{
	struct mvgpu_device *mdev = arg;
	unsigned int rereads = 0;
	u32 status;

	status = mvgpu_rd(mdev, MVGPU_REG_IRQ_STATUS);
	/* ~0: decoding off (reset in progress) on a shared line. */
	if (!status || status == ~0u)
		return IRQ_NONE;
	atomic_inc(&mdev->irqs);
	/*
	 * The interrupt is a level (IRQ_STATUS & IRQ_ENABLE), but an MSI is
	 * sent only when it rises from zero.  A source raised between the
	 * read and the acknowledgment below is not cleared by it and keeps
	 * the level up, so neither it nor any later source would send an
	 * MSI again.  Hence: acknowledge what was seen (first, so the work
	 * reads the breadcrumb after that), pass it on, and read again until
	 * the status is zero; if sources keep coming, force a new edge.
	 */
	for (;;) {
		mvgpu_wr(mdev, MVGPU_REG_IRQ_STATUS, status);
		mvgpu_engines_irq(mdev, status);
		status = mvgpu_rd(mdev, MVGPU_REG_IRQ_STATUS);
		if (!status || status == ~0u)
			break;
		atomic_inc(&mdev->irq_rereads);
		if (++rereads == MVGPU_IRQ_REREADS) {
			atomic_inc(&mdev->irq_rearms);
			mvgpu_irq_rearm(mdev);
			break;
		}
	}
	return IRQ_HANDLED;
}

/*
 * debugfs mvgpu_irq: interrupt counters, the interrupt registers and per
 * engine how completions were found (the poll's count should stay 0).
 */
static int mvgpu_debugfs_irq(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct mvgpu_device *mdev = to_mvgpu(entry->dev);
	int idx;

	seq_printf(m, "mode %s\nirqs %u\nirq_rereads %u\nirq_rearms %u\nirq_unsticks %u\n",
		   mdev->pdev->msi_enabled ? "MSI" : "INTx",
		   atomic_read(&mdev->irqs), atomic_read(&mdev->irq_rereads),
		   atomic_read(&mdev->irq_rearms),
		   atomic_read(&mdev->irq_unsticks));
	if (drm_dev_enter(&mdev->drm, &idx)) {
		seq_printf(m, "IRQ_STATUS 0x%08x\nIRQ_ENABLE 0x%08x\n",
			   mvgpu_rd(mdev, MVGPU_REG_IRQ_STATUS),
			   mvgpu_rd(mdev, MVGPU_REG_IRQ_ENABLE));
		drm_dev_exit(idx);
	}
	mvgpu_engines_debugfs(m, mdev);
	return 0;
}

static u64 mvgpu_rd64(struct mvgpu_device *mdev, u32 lo)
{
	u32 l = mvgpu_rd(mdev, lo);

	return (u64)mvgpu_rd(mdev, lo + 4) << 32 | l;
}

/* Identify the device and read its fixed parameters. */
static int mvgpu_read_identity(struct mvgpu_device *mdev)
{
	struct drm_device *drm = &mdev->drm;
	u32 id, caps;

	id = mvgpu_rd(mdev, MVGPU_REG_ID);
	if (id != MVGPU_ID_MAGIC) {
		drm_err(drm, "ID register 0x%08x, not an mvgpu\n", id);
		return -ENODEV;
	}
	mdev->hw_version = mvgpu_rd(mdev, MVGPU_REG_VERSION);
	caps = mvgpu_rd(mdev, MVGPU_REG_CAPS);
	if (mdev->hw_version >> 16 != MVGPU_HW_VERSION_MAJOR ||
	    !(caps & MVGPU_CAP_ENGINES) ||
	    mvgpu_rd(mdev, MVGPU_REG_NUM_ENGINES) < MVGPU_NUM_ENGINES) {
		drm_err(drm, "version 0x%08x caps 0x%x: no usable engines\n",
			mdev->hw_version, caps);
		return -ENODEV;
	}
	mdev->vgpu_type = mvgpu_rd(mdev, MVGPU_REG_VGPU_TYPE);
	mdev->watchdog_ms = mvgpu_rd(mdev, MVGPU_REG_WATCHDOG_MS);
	mdev->vram_size = mvgpu_rd64(mdev, MVGPU_REG_VRAM_SIZE_LO);
	mdev->ggtt_base = mvgpu_rd64(mdev, MVGPU_REG_GGTT_BASE_LO);
	mdev->ggtt_size = mvgpu_rd64(mdev, MVGPU_REG_GGTT_SIZE_LO);
	if (!mdev->ggtt_size || mdev->ggtt_base % MVGPU_GTT_PAGE_SIZE ||
	    mdev->ggtt_size % MVGPU_GTT_PAGE_SIZE ||
	    mdev->ggtt_base + mdev->ggtt_size > MVGPU_GGTT_TOTAL) {
		drm_err(drm, "bad GGTT slice 0x%llx + 0x%llx\n",
			mdev->ggtt_base, mdev->ggtt_size);
		return -ENODEV;
	}
	return 0;
}

static int mvgpu_pci_probe(struct pci_dev *pdev,
			   const struct pci_device_id *id)
{
	struct mvgpu_device *mdev;
	int ret;

	mdev = devm_drm_dev_alloc(&pdev->dev, &mvgpu_drm_driver,
				  struct mvgpu_device, drm);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	mdev->pdev = pdev;
	pci_set_drvdata(pdev, mdev);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	/* CTX_DESC holds 48 address bits; PTEs more. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48));
	if (ret)
		return ret;
	mdev->mmio = pcim_iomap_region(pdev, 0, MVGPU_DRM_NAME);
	if (IS_ERR(mdev->mmio))
		return PTR_ERR(mdev->mmio);
	ret = mvgpu_read_identity(mdev);
	if (ret)
		return ret;

	ret = drmm_mutex_init(&mdev->drm, &mdev->vma_lock);
	if (ret)
		return ret;
	spin_lock_init(&mdev->zombie_lock);
	INIT_LIST_HEAD(&mdev->zombies);
	ret = mvgpu_engines_init(mdev);
	if (ret)
		return ret;

	spin_lock_init(&mdev->irq_lock);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (ret < 0)
		goto err_engines;
	mdev->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(mdev->irq, mvgpu_irq_handler, IRQF_SHARED,
			  MVGPU_DRM_NAME, mdev);
	if (ret)
		goto err_vectors;
	mvgpu_engines_hw_init(mdev);

	drm_debugfs_add_file(&mdev->drm, "mvgpu_irq", mvgpu_debugfs_irq, NULL);
	ret = drm_dev_register(&mdev->drm, 0);
	if (ret)
		goto err_irq;
	drm_info(&mdev->drm,
		 "mvgpu-%u, hw %u.%u, GGTT 0x%llx+0x%llx, %s, watchdog %u ms\n",
		 mdev->vgpu_type, mdev->hw_version >> 16,
		 mdev->hw_version & 0xffff, mdev->ggtt_base, mdev->ggtt_size,
		 pdev->msi_enabled ? "MSI" : "INTx", mdev->watchdog_ms);
	return 0;

err_irq:
	mvgpu_irq_set_mask(mdev, 0);
	free_irq(mdev->irq, mdev);
	mvgpu_engines_fini(mdev);
	pci_free_irq_vectors(pdev);
	return ret;
err_vectors:
	pci_free_irq_vectors(pdev);
err_engines:
	destroy_workqueue(mdev->wq);
	return ret;
}

/*
 * Order: no new ioctl reaches the hardware (unplug), no interrupt, no
 * work; then every job completes or fails, and the rings stop.  Open
 * files keep the DRM device, their VMs and BOs until they are closed.
 */
static void mvgpu_pci_remove(struct pci_dev *pdev)
{
	struct mvgpu_device *mdev = pci_get_drvdata(pdev);

	drm_dev_unplug(&mdev->drm);
	mvgpu_irq_set_mask(mdev, 0);
	free_irq(mdev->irq, mdev);
	mvgpu_engines_fini(mdev);
	pci_free_irq_vectors(pdev);
}

static void mvgpu_reset_prepare(struct pci_dev *pdev)
{
	mvgpu_engines_reset_prepare(pci_get_drvdata(pdev));
}

static void mvgpu_reset_done(struct pci_dev *pdev)
{
	mvgpu_engines_reset_done(pci_get_drvdata(pdev));
}

static const struct pci_error_handlers mvgpu_err_handlers = {
	.reset_prepare = mvgpu_reset_prepare,
	.reset_done = mvgpu_reset_done,
};

static const struct pci_device_id mvgpu_pci_ids[] = {
	{ PCI_DEVICE(MVGPU_PCI_VENDOR_ID, MVGPU_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mvgpu_pci_ids);

static struct pci_driver mvgpu_pci_driver = {
	.name = MVGPU_DRM_NAME,
	.id_table = mvgpu_pci_ids,
	.probe = mvgpu_pci_probe,
	.remove = mvgpu_pci_remove,
	.err_handler = &mvgpu_err_handlers,
};
module_pci_driver(mvgpu_pci_driver);

MODULE_DESCRIPTION("DRM driver for mvgpu virtual GPUs");
MODULE_LICENSE("GPL");
