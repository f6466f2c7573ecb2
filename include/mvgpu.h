/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mvgpu: objects shared across the module -- the parent GPU, its vGPU
 * types, and a vGPU.  Documentation/design.rst describes their lifetimes,
 * reference counts and lock order.
 */
#ifndef _MVGPU_H
#define _MVGPU_H

#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "mvgpu_cfg.h"
#include "mvgpu_dma.h"
#include "mvgpu_engine.h"
#include "mvgpu_ggtt.h"
#include "mvgpu_irq.h"
#include "mvgpu_res.h"
#include "mvgpu_vram.h"
#include "uapi/mvgpu_hw.h"

#define MVGPU_NAME		"mvgpu"
#define MVGPU_NR_TYPES		4

/*
 * The parent's graphics address space, MVGPU_GGTT_TOTAL bytes: the GGTT
 * window of BAR0 holds one 8-byte PTE per 4 KiB page, so its 8 MiB span
 * 4 GiB.  It is split in MVGPU_RES_UNITS units like the memory.
 */
#define MVGPU_GGTT_PTE_SIZE	8
static_assert((u64)(MVGPU_BAR0_SIZE - MVGPU_GGTT_WINDOW_OFFSET) /
	      MVGPU_GGTT_PTE_SIZE * MVGPU_GTT_PAGE_SIZE == MVGPU_GGTT_TOTAL);

/**
 * struct mvgpu_type - one vGPU type
 * @mtype: the mdev core's view; sysfs dir "mvgpu-<fraction>"
 * @fraction: 1, 2, 4 or 8: the vGPU gets 1/@fraction of the parent
 * @sysfs_name: "1", "2", "4" or "8" (the core prepends "mvgpu-")
 * @pretty_name: "mvgpu-<fraction>", the type's name attribute
 */
struct mvgpu_type {
	struct mdev_type mtype;
	unsigned int fraction;
	char sysfs_name[4];
	char pretty_name[16];
};

/**
 * struct mvgpu_parent - the (one) parent GPU that vGPUs are carved from
 * @dev: class device "mvgpu"; its reference count governs this structure
 *	(the mdev core's type kobjects hold references on it)
 * @mdev_parent: registration with the mdev core
 * @types: the vGPU types, in @mdev_types order
 * @mdev_types: pointers handed to mdev_register_parent()
 * @gpu_mem_mb: total GPU memory, MiB
 * @hang_ms: watchdog period of the engines
 * @lock: protects @res
 * @res: which units and instance numbers are in use
 * @backend: what executes the command streams
 * @engines: the engines, each with its thread
 */
struct mvgpu_parent {
	struct device dev;
	struct mdev_parent mdev_parent;
	struct mvgpu_type types[MVGPU_NR_TYPES];
	struct mdev_type *mdev_types[MVGPU_NR_TYPES];
	unsigned int gpu_mem_mb;
	unsigned int hang_ms;
	struct mutex lock;		/* protects @res */
	struct mvgpu_res res;
	const struct mvgpu_backend_ops *backend;
	struct mvgpu_sched_engine engines[MVGPU_NUM_ENGINES];
};

/**
 * struct mvgpu_vgpu - one vGPU: a VFIO device on an mdev device
 * @vdev: VFIO core object; must be first (vfio_alloc_device()); its
 *	reference count governs this structure
 * @parent: the parent; outlives every vGPU
 * @type: this vGPU's type
 * @slice: units and instance number; owned from probe to remove
 * @vram_size: BAR2 size in bytes
 * @ggtt_base: first graphics address owned
 * @ggtt_size: bytes of graphics address space owned
 * @lock: the state mutex: protects @cfg, @scratch and @ggtt updates,
 *	serialises register and config accesses, SET_IRQS, RESET, open and
 *	close.  Taken before the engines' locks and @irq.lock, never inside.
 * @epoch_ns: when the device was opened; engine timestamps count from it
 * @cfg: emulated PCI config space
 * @scratch: SCRATCH registers
 * @irq: interrupt state, with its own spinlock
 * @vram: BAR2 backing store, with its own locking
 * @ggtt: the vGPU's GGTT slice
 * @dma: guest pages pinned for the engines
 * @engines: the vGPU's view of each engine
 */
struct mvgpu_vgpu {
	struct vfio_device vdev;
	struct mvgpu_parent *parent;
	struct mvgpu_type *type;
	struct mvgpu_slice slice;
	u64 vram_size;
	u64 ggtt_base;
	u64 ggtt_size;
	struct mutex lock;		/* state mutex, see above */
	u64 epoch_ns;
	struct mvgpu_cfg cfg;
	u32 scratch[MVGPU_REG_SCRATCH_COUNT];
	struct mvgpu_irq irq;
	struct mvgpu_vram vram;
	struct mvgpu_ggtt ggtt;
	struct mvgpu_dma dma;
	struct mvgpu_vgpu_engine engines[MVGPU_NUM_ENGINES];
};

/* Engine time of @vgpu: nanoseconds since its device was opened. */
static inline u64 mvgpu_vgpu_now_ns(struct mvgpu_vgpu *vgpu)
{
	return ktime_get_ns() - READ_ONCE(vgpu->epoch_ns);
}

static inline struct mvgpu_type *mvgpu_type_from_mdev(struct mdev_type *mtype)
{
	return container_of(mtype, struct mvgpu_type, mtype);
}

static inline struct mvgpu_parent *
mvgpu_parent_from_mdev(struct mdev_parent *mparent)
{
	return container_of(mparent, struct mvgpu_parent, mdev_parent);
}

/* kmod/vgpu.c: vGPU creation and removal, per-vGPU sysfs */
int mvgpu_vgpu_probe(struct mdev_device *mdev);
void mvgpu_vgpu_remove(struct mdev_device *mdev);
extern const struct attribute_group *mvgpu_vgpu_groups[];

/* kmod/vfio_dev.c: the VFIO device */
extern const struct vfio_device_ops mvgpu_vfio_ops;

/* kmod/debugfs.c: test-only entry points */
void mvgpu_debugfs_init(void);
void mvgpu_debugfs_fini(void);

#endif /* _MVGPU_H */
