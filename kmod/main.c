// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: module entry -- parameters, the parent device, the vGPU types and
 * the mdev driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mvgpu.h"

#define MVGPU_MEM_MB_MIN	64
#define MVGPU_MEM_MB_MAX	4096

static unsigned int gpu_mem_mb = 512;
module_param(gpu_mem_mb, uint, 0444);
MODULE_PARM_DESC(gpu_mem_mb,
		 "GPU memory of the parent in MiB, a power of two in 64..4096 (default 512)");

static unsigned int max_vgpus = MVGPU_RES_MAX_VGPUS;
module_param(max_vgpus, uint, 0444);
MODULE_PARM_DESC(max_vgpus, "vGPUs that may exist at once, 1..8 (default 8)");

#define MVGPU_HANG_MS_MIN	10
#define MVGPU_HANG_MS_MAX	60000

static unsigned int hang_timeout_ms = 2000;
module_param(hang_timeout_ms, uint, 0444);
MODULE_PARM_DESC(hang_timeout_ms,
		 "Engine watchdog: longest a ring command may run, ms, 10..60000 (default 2000)");

static const unsigned int mvgpu_fractions[MVGPU_NR_TYPES] = { 1, 2, 4, 8 };

static const struct class mvgpu_class = {
	.name = MVGPU_NAME,
};

static struct mvgpu_parent *mvgpu_parent;
/* Completed by the parent's release: all mdev type objects are gone. */
static DECLARE_COMPLETION(mvgpu_parent_released);

static unsigned int mvgpu_get_available(struct mdev_type *mtype)
{
	struct mvgpu_parent *parent = mvgpu_parent_from_mdev(mtype->parent);
	unsigned int avail;

	mutex_lock(&parent->lock);
	avail = mvgpu_res_available(&parent->res,
				    mvgpu_type_from_mdev(mtype)->fraction);
	mutex_unlock(&parent->lock);
	return avail;
}

static ssize_t mvgpu_show_description(struct mdev_type *mtype, char *buf)
{
	struct mvgpu_parent *parent = mvgpu_parent_from_mdev(mtype->parent);
	struct mvgpu_type *type = mvgpu_type_from_mdev(mtype);

	return sysfs_emit(buf, "memory=%uMiB, max_instances=%u\n",
			  parent->gpu_mem_mb / type->fraction,
			  min(type->fraction, parent->res.max_vgpus));
}

static struct mdev_driver mvgpu_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MVGPU_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mvgpu_vgpu_groups,
	},
	.probe = mvgpu_vgpu_probe,
	.remove = mvgpu_vgpu_remove,
	.get_available = mvgpu_get_available,
	.show_description = mvgpu_show_description,
};

static void mvgpu_parent_release(struct device *dev)
{
	struct mvgpu_parent *parent =
		container_of(dev, struct mvgpu_parent, dev);

	mutex_destroy(&parent->lock);
	kfree(parent);
	complete(&mvgpu_parent_released);
}

/* Allocate and add the class device "mvgpu" with its types filled in. */
static struct mvgpu_parent *mvgpu_parent_create(void)
{
	struct mvgpu_parent *parent;
	unsigned int i;
	int ret;

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return ERR_PTR(-ENOMEM);

	parent->gpu_mem_mb = gpu_mem_mb;
	parent->hang_ms = hang_timeout_ms;
	parent->backend = &mvgpu_ref_backend;
	mutex_init(&parent->lock);
	mvgpu_res_init(&parent->res, max_vgpus);
	for (i = 0; i < MVGPU_NR_TYPES; i++) {
		struct mvgpu_type *type = &parent->types[i];

		type->fraction = mvgpu_fractions[i];
		snprintf(type->sysfs_name, sizeof(type->sysfs_name), "%u",
			 type->fraction);
		snprintf(type->pretty_name, sizeof(type->pretty_name),
			 MVGPU_NAME "-%u", type->fraction);
		/*
		 * The core names the type directory "<dev_driver_string>-
		 * <sysfs_name>"; for a class device without a driver,
		 * dev_driver_string() is the class name: "mvgpu-8".
		 */
		type->mtype.sysfs_name = type->sysfs_name;
		type->mtype.pretty_name = type->pretty_name;
		parent->mdev_types[i] = &type->mtype;
	}

	device_initialize(&parent->dev);
	parent->dev.class = &mvgpu_class;
	parent->dev.release = mvgpu_parent_release;
	ret = dev_set_name(&parent->dev, MVGPU_NAME);
	if (ret)
		goto err_put;
	ret = device_add(&parent->dev);
	if (ret)
		goto err_put;
	return parent;

err_put:
	put_device(&parent->dev);
	wait_for_completion(&mvgpu_parent_released);
	return ERR_PTR(ret);
}

/* Unregister the parent device and wait until nothing references it. */
static void mvgpu_parent_destroy(struct mvgpu_parent *parent)
{
	device_unregister(&parent->dev);
	wait_for_completion(&mvgpu_parent_released);
}

static int __init mvgpu_init(void)
{
	int ret;

	if (gpu_mem_mb < MVGPU_MEM_MB_MIN || gpu_mem_mb > MVGPU_MEM_MB_MAX ||
	    !is_power_of_2(gpu_mem_mb)) {
		pr_err("gpu_mem_mb=%u is not a power of two in %u..%u\n",
		       gpu_mem_mb, MVGPU_MEM_MB_MIN, MVGPU_MEM_MB_MAX);
		return -EINVAL;
	}
	if (max_vgpus < 1 || max_vgpus > MVGPU_RES_MAX_VGPUS) {
		pr_err("max_vgpus=%u is not in 1..%u\n", max_vgpus,
		       MVGPU_RES_MAX_VGPUS);
		return -EINVAL;
	}
	if (hang_timeout_ms < MVGPU_HANG_MS_MIN ||
	    hang_timeout_ms > MVGPU_HANG_MS_MAX) {
		pr_err("hang_timeout_ms=%u is not in %u..%u\n", hang_timeout_ms,
		       MVGPU_HANG_MS_MIN, MVGPU_HANG_MS_MAX);
		return -EINVAL;
	}

	ret = class_register(&mvgpu_class);
	if (ret)
		return ret;

	ret = mdev_register_driver(&mvgpu_mdev_driver);
	if (ret)
		goto err_class;

	mvgpu_parent = mvgpu_parent_create();
	if (IS_ERR(mvgpu_parent)) {
		ret = PTR_ERR(mvgpu_parent);
		goto err_driver;
	}

	/* The engines run before any vGPU can exist. */
	ret = mvgpu_sched_init(mvgpu_parent);
	if (ret)
		goto err_parent;

	ret = mdev_register_parent(&mvgpu_parent->mdev_parent,
				   &mvgpu_parent->dev, &mvgpu_mdev_driver,
				   mvgpu_parent->mdev_types, MVGPU_NR_TYPES);
	if (ret)
		goto err_sched;

	mvgpu_debugfs_init();
	pr_info("gpu_mem_mb=%u max_vgpus=%u hang_timeout_ms=%u backend: %s\n",
		gpu_mem_mb, max_vgpus, hang_timeout_ms,
		mvgpu_parent->backend->name);
	return 0;

err_sched:
	mvgpu_sched_fini(mvgpu_parent);
err_parent:
	mvgpu_parent_destroy(mvgpu_parent);
err_driver:
	mdev_unregister_driver(&mvgpu_mdev_driver);
err_class:
	class_unregister(&mvgpu_class);
	return ret;
}

static void __exit mvgpu_exit(void)
{
	mvgpu_debugfs_fini();
	/* Every vGPU holds a module reference, so none is left here. */
	mdev_unregister_parent(&mvgpu_parent->mdev_parent);
	mvgpu_sched_fini(mvgpu_parent);
	mvgpu_parent_destroy(mvgpu_parent);
	mdev_unregister_driver(&mvgpu_mdev_driver);
	class_unregister(&mvgpu_class);
}

module_init(mvgpu_init);
module_exit(mvgpu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvgpu: mediated virtual GPU (VFIO mdev)");
