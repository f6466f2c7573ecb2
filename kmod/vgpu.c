// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: creating and removing vGPUs (the mdev driver's probe and remove)
 * and their sysfs attributes.
 */
#include <linux/sysfs.h>

#include "mvgpu.h"

/**
 * mvgpu_vgpu_probe() - create a vGPU on a new mdev device
 * @mdev: the mdev device the core just added
 *
 * Reserves a slice of the parent, creates the VFIO device and registers it.
 * The per-vGPU sysfs group (driver dev_groups) is added by the driver core
 * once this succeeds.
 *
 * Return: 0; -ENOSPC if the type has no room (logged); -ENODEV if the
 * module is being unloaded; another errno from the VFIO core.
 */
int mvgpu_vgpu_probe(struct mdev_device *mdev)
{
	struct mvgpu_parent *parent =
		mvgpu_parent_from_mdev(mdev->type->parent);
	struct mvgpu_type *type = mvgpu_type_from_mdev(mdev->type);
	u64 ggtt_unit = MVGPU_GGTT_TOTAL / MVGPU_RES_UNITS;
	struct mvgpu_slice slice;
	struct mvgpu_vgpu *vgpu;
	bool at_limit;
	int ret;

	mutex_lock(&parent->lock);
	ret = mvgpu_res_alloc(&parent->res, type->fraction, &slice);
	at_limit = mvgpu_res_at_limit(&parent->res);
	mutex_unlock(&parent->lock);
	if (ret) {
		if (at_limit)
			dev_info(&parent->dev,
				 "cannot create %s %pUl: max_vgpus=%u vGPUs exist\n",
				 type->pretty_name, &mdev->uuid,
				 parent->res.max_vgpus);
		else
			dev_info(&parent->dev,
				 "cannot create %s %pUl: no free aligned block of %u of the %u units\n",
				 type->pretty_name, &mdev->uuid,
				 mvgpu_res_type_units(type->fraction),
				 MVGPU_RES_UNITS);
		return ret;
	}

	vgpu = vfio_alloc_device(mvgpu_vgpu, vdev, &mdev->dev, &mvgpu_vfio_ops);
	if (IS_ERR(vgpu)) {
		ret = PTR_ERR(vgpu);
		goto err_free_slice;
	}
	vgpu->slice = slice;
	vgpu->ggtt_base = slice.first_unit * ggtt_unit;
	vgpu->ggtt_size = slice.nr_units * ggtt_unit;
	dev_set_drvdata(&mdev->dev, vgpu);
	/* Freed by mvgpu_vfio_release(), also on the error path below. */
	ret = mvgpu_ggtt_init(&vgpu->ggtt, vgpu->ggtt_base, vgpu->ggtt_size);
	if (ret)
		goto err_put_vdev;

	ret = vfio_register_emulated_iommu_dev(&vgpu->vdev);
	if (ret)
		goto err_put_vdev;

	dev_dbg(&mdev->dev, "%s created: units %u..%u, instance %u\n",
		type->pretty_name, slice.first_unit,
		slice.first_unit + slice.nr_units - 1, slice.instance);
	return 0;

err_put_vdev:
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&vgpu->vdev);
err_free_slice:
	mutex_lock(&parent->lock);
	mvgpu_res_free(&parent->res, &slice);
	mutex_unlock(&parent->lock);
	return ret;
}

/**
 * mvgpu_vgpu_remove() - destroy the vGPU of an mdev device
 * @mdev: the mdev device being removed
 *
 * Mirrors mvgpu_vgpu_probe().  vfio_unregister_group_dev() blocks until
 * userspace has closed the device, calling the .request op meanwhile.  The
 * slice is free again when this returns; the VFIO device (and with it the
 * module reference) goes with its last reference, normally right here.
 */
void mvgpu_vgpu_remove(struct mdev_device *mdev)
{
	struct mvgpu_vgpu *vgpu = dev_get_drvdata(&mdev->dev);
	struct mvgpu_parent *parent = vgpu->parent;
	struct mvgpu_slice slice = vgpu->slice;

	vfio_unregister_group_dev(&vgpu->vdev);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&vgpu->vdev);

	mutex_lock(&parent->lock);
	mvgpu_res_free(&parent->res, &slice);
	mutex_unlock(&parent->lock);
}

/*
 * Per-vGPU attributes under /sys/bus/mdev/devices/<uuid>/mvgpu/.  The driver
 * core adds them after probe and removes them before remove, so drvdata is
 * always valid here.
 */
static struct mvgpu_vgpu *mvgpu_vgpu_from_dev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);

	return sysfs_emit(buf, "%s\n", vgpu->type->pretty_name);
}
static DEVICE_ATTR_RO(type);

static ssize_t memory_mb_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);

	return sysfs_emit(buf, "%llu\n", vgpu->vram_size >> 20);
}
static DEVICE_ATTR_RO(memory_mb);

static ssize_t ggtt_base_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%llx\n", mvgpu_vgpu_from_dev(dev)->ggtt_base);
}
static DEVICE_ATTR_RO(ggtt_base);

static ssize_t ggtt_size_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%llx\n", mvgpu_vgpu_from_dev(dev)->ggtt_size);
}
static DEVICE_ATTR_RO(ggtt_size);

static ssize_t vram_resident_kb_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);

	return sysfs_emit(buf, "%lu\n", mvgpu_vram_resident_pages(&vgpu->vram) *
			  (PAGE_SIZE / 1024));
}
static DEVICE_ATTR_RO(vram_resident_kb);

static ssize_t instance_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);

	return sysfs_emit(buf, "%u\n", vgpu->slice.instance);
}
static DEVICE_ATTR_RO(instance);

/*
 * Command checking (Documentation/hw-interface.rst): workloads rejected
 * before execution, on both engines.  Statistics, read without the
 * engines' locks.
 */
static ssize_t scan_rejects_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);
	u64 n = 0;
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		n += READ_ONCE(vgpu->engines[e].scan_rejects);
	return sysfs_emit(buf, "%llu\n", n);
}
static DEVICE_ATTR_RO(scan_rejects);

/* Per engine: "<engine> <rejects> <fault type> <reason>" or "... none". */
static ssize_t scan_last_reject_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);
	unsigned int e;
	int len = 0;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct mvgpu_vgpu_engine *ve = &vgpu->engines[e];
		const char *reason = READ_ONCE(ve->scan_last_reason);

		len += sysfs_emit_at(buf, len, "%u %llu %u %s\n", e,
				     READ_ONCE(ve->scan_rejects),
				     READ_ONCE(ve->scan_last_fault) &
				     MVGPU_FAULT_TYPE_MASK,
				     reason ? reason : "none");
	}
	return len;
}
static DEVICE_ATTR_RO(scan_last_reject);

/*
 * Per engine: "<engine> <scans> <scan ns> <busy ns>": the checking cost
 * against the engine time (scan included) since the device was opened.
 */
static ssize_t scan_stats_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct mvgpu_vgpu *vgpu = mvgpu_vgpu_from_dev(dev);
	unsigned int e;
	int len = 0;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct mvgpu_vgpu_engine *ve = &vgpu->engines[e];

		len += sysfs_emit_at(buf, len, "%u %llu %llu %llu\n", e,
				     READ_ONCE(ve->scans),
				     READ_ONCE(ve->scan_ns),
				     READ_ONCE(ve->busy_ns));
	}
	return len;
}
static DEVICE_ATTR_RO(scan_stats);

static struct attribute *mvgpu_vgpu_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_memory_mb.attr,
	&dev_attr_ggtt_base.attr,
	&dev_attr_ggtt_size.attr,
	&dev_attr_vram_resident_kb.attr,
	&dev_attr_instance.attr,
	&dev_attr_scan_rejects.attr,
	&dev_attr_scan_last_reject.attr,
	&dev_attr_scan_stats.attr,
	NULL,
};

static const struct attribute_group mvgpu_vgpu_group = {
	.name = MVGPU_NAME,
	.attrs = mvgpu_vgpu_attrs,
};

const struct attribute_group *mvgpu_vgpu_groups[] = {
	&mvgpu_vgpu_group,
	NULL,
};
