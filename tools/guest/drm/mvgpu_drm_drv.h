/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mvgpu_drm: guest DRM driver for mvgpu vGPUs.  Shared definitions.
 * Documentation/guest-driver.rst describes the design.
 */
#ifndef _MVGPU_DRM_DRV_H
#define _MVGPU_DRM_DRV_H

#include <linux/dma-fence.h>
#include <linux/io.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_mm.h>

#include "mvgpu_hw.h"
#include "mvgpu_drm.h"

#define MVGPU_DRM_NAME		"mvgpu_drm"

/* Each engine's ring: 16 KiB holds ~256 submissions. */
#define MVGPU_DRM_RING_SIZE	(16u << 10)
/* GGTT layout inside the slice: per engine a ring and its status page. */
#define MVGPU_DRM_GGTT_STRIDE	(64u << 10)
/* Handles one EXECBUFFER may list. */
#define MVGPU_DRM_MAX_BOS	4096u
/* BO virtual addresses: page 0 .. 1 MiB stays unmapped (NULL). */
#define MVGPU_DRM_VA_START	(1ull << 20)
#define MVGPU_DRM_VA_END	(1ull << 47)

struct mvgpu_vm;
struct seq_file;

/**
 * struct mvgpu_engine - one engine: its ring, status page and job queues
 * @mdev: the device
 * @id: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @name: "rcs" or "bcs"
 * @ring: CPU address of the ring (DMA-coherent memory)
 * @ring_dma: its DMA address
 * @hws: CPU address of the status page
 * @hws_dma: its DMA address
 * @ring_gaddr: GGTT address of the ring
 * @hws_gaddr: GGTT address of the status page
 * @fence_lock: the lock of every fence of this engine
 * @fence_context: dma_fence context of this engine
 * @lock: protects everything below, and the engine's registers
 * @next_seqno: fence seqno of the next job queued (also its breadcrumb)
 * @tail: software ring tail (bytes)
 * @head: ring offset after the last retired job: the ring is free from
 *	@tail up to here
 * @cur_vm_id: id of the VM whose PML4 is in CTX_DESC, 0 for none
 * @pending: jobs queued, not yet in the ring (FIFO)
 * @active: jobs in the ring, in ring order, not yet retired
 * @stopped: reset in progress: do not touch the ring
 * @gone: the device is being removed: accept and run nothing
 * @irq_bits: interrupt sources the IRQ handler saw, for @work
 * @work: retires, handles faults, submits (process context)
 * @poll: safety net: re-runs @work while jobs are active, so a lost
 *	interrupt delays completion by at most a second
 * @done_irq: jobs retired by a run of @work an interrupt queued
 * @done_poll: jobs retired by a run only @poll queued: each one is a
 *	completion interrupt that never came (debugfs, and one notice)
 * @done_kick: jobs retired by a run a submission or a fence queued
 * @poll_noted: the notice about @done_poll was printed
 */
struct mvgpu_engine {
	struct mvgpu_device *mdev;
	unsigned int id;
	const char *name;
	u32 *ring;
	dma_addr_t ring_dma;
	u32 *hws;
	dma_addr_t hws_dma;
	u64 ring_gaddr;
	u64 hws_gaddr;
	spinlock_t fence_lock;
	u64 fence_context;

	struct mutex lock;
	u64 next_seqno;
	u32 tail;
	u32 head;
	u64 cur_vm_id;
	struct list_head pending;
	struct list_head active;
	bool stopped;
	bool gone;

	atomic_t irq_bits;
	struct work_struct work;
	struct delayed_work poll;
	u64 done_irq;
	u64 done_poll;
	u64 done_kick;
	bool poll_noted;
};

/**
 * struct mvgpu_device - one bound vGPU
 * @drm: the DRM device
 * @pdev: its PCI function
 * @mmio: BAR0 (registers and GGTT window)
 * @hw_version: VERSION register
 * @vgpu_type: VGPU_TYPE register
 * @watchdog_ms: WATCHDOG_MS register
 * @ggtt_base: first graphics address of the vGPU's GGTT slice
 * @ggtt_size: size of the slice
 * @vram_size: BAR2 size
 * @irq: Linux interrupt number
 * @irq_lock: serialises IRQ_ENABLE writes with @irq_mask
 * @irq_mask: what IRQ_ENABLE should hold; 0 while interrupts are off
 *	(reset, removal), when the handler must not enable them again
 * @irqs: interrupts handled
 * @irq_rereads: IRQ_STATUS still non-zero after an acknowledgment
 * @irq_rearms: IRQ_ENABLE toggled because it stayed non-zero
 * @irq_unsticks: IRQ_ENABLE toggled by the poll: a source was pending
 * @wq: runs the engines' work
 * @vma_lock: protects every BO's list of VMAs and their open counts
 * @zombie_lock: protects @zombies
 * @zombies: unmapped VMAs whose pages wait for their VM to go idle
 * @resets: vGPU resets since probe
 * @engine: the engines
 */
struct mvgpu_device {
	struct drm_device drm;
	struct pci_dev *pdev;
	void __iomem *mmio;
	u32 hw_version;
	u32 vgpu_type;
	u32 watchdog_ms;
	u64 ggtt_base;
	u64 ggtt_size;
	u64 vram_size;
	int irq;
	spinlock_t irq_lock;	/* IRQ_ENABLE and @irq_mask */
	u32 irq_mask;
	atomic_t irqs;
	atomic_t irq_rereads;
	atomic_t irq_rearms;
	atomic_t irq_unsticks;
	struct workqueue_struct *wq;
	struct mutex vma_lock;
	spinlock_t zombie_lock;
	struct list_head zombies;
	atomic_t resets;
	struct mvgpu_engine engine[MVGPU_NUM_ENGINES];
};

static inline struct mvgpu_device *to_mvgpu(struct drm_device *drm)
{
	return container_of(drm, struct mvgpu_device, drm);
}

static inline u32 mvgpu_rd(struct mvgpu_device *mdev, u32 reg)
{
	return readl(mdev->mmio + reg);
}

static inline void mvgpu_wr(struct mvgpu_device *mdev, u32 reg, u32 val)
{
	writel(val, mdev->mmio + reg);
}

static inline u32 mvgpu_erd(struct mvgpu_engine *e, u32 reg)
{
	return mvgpu_rd(e->mdev, MVGPU_ENGINE_BASE(e->id) + reg);
}

static inline void mvgpu_ewr(struct mvgpu_engine *e, u32 reg, u32 val)
{
	mvgpu_wr(e->mdev, MVGPU_ENGINE_BASE(e->id) + reg, val);
}

/**
 * struct mvgpu_pt - one PPGTT table page and its software shadow
 * @cpu: CPU address of the 512 entries
 * @dma: DMA address (what the parent entry or CTX_DESC holds)
 * @child: lower-level tables by index (NULL for a page table)
 */
struct mvgpu_pt {
	u64 *cpu;
	dma_addr_t dma;
	struct mvgpu_pt **child;
};

/**
 * struct mvgpu_vm - a GPU address space (PPGTT), one per DRM file
 * @ref: jobs and VMAs hold references; the file holds the first
 * @mdev: the device
 * @id: unique, never 0: what an engine's CTX_DESC is compared by
 * @lock: protects @mm, the tables and @last_fence
 * @mm: virtual address allocator
 * @root: the PML4
 * @last_fence: fence of the last job submitted with this VM
 * @stats_lock: protects @stats
 * @stats: fault and reset report for GET_RESET_STATS
 */
struct mvgpu_vm {
	struct kref ref;
	struct mvgpu_device *mdev;
	u64 id;
	struct mutex lock;
	struct drm_mm mm;
	struct mvgpu_pt root;
	struct dma_fence *last_fence;
	spinlock_t stats_lock;
	struct drm_mvgpu_reset_stats stats;
};

/**
 * struct mvgpu_bo - a GEM object
 * @base: shmem helper object
 * @flags: MVGPU_BO_*
 * @vmas: its mappings, one per VM with a handle (under vma_lock)
 */
struct mvgpu_bo {
	struct drm_gem_shmem_object base;
	u32 flags;
	struct list_head vmas;
};

static inline struct mvgpu_bo *to_mvgpu_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct mvgpu_bo, base);
}

/**
 * struct mvgpu_vma - a BO's range in one VM
 * @ref: the open handles (one reference) and jobs using it
 * @vm: the VM (referenced)
 * @obj: the BO (referenced)
 * @link: in the BO's @vmas while a handle of the VM's file is open
 * @open_count: handles of the file naming the BO (under vma_lock)
 * @node: the address range (size + a guard page)
 * @bound: page table entries written (under vm->lock)
 * @zombie_link: in mvgpu_device.zombies
 * @zombie_fence: what the zombie waits for
 */
struct mvgpu_vma {
	struct kref ref;
	struct mvgpu_vm *vm;
	struct drm_gem_object *obj;
	struct list_head link;
	unsigned int open_count;
	struct drm_mm_node node;
	bool bound;
	struct list_head zombie_link;
	struct dma_fence *zombie_fence;
};

/**
 * struct mvgpu_file - per DRM file state
 * @vm: the file's address space
 * @lock: protects @fences, @next_seqno and @oldest
 * @fences: completion fences by file seqno (recent history)
 * @next_seqno: seqno the next submission gets
 * @oldest: lowest seqno that may still be in @fences
 */
struct mvgpu_file {
	struct mvgpu_vm *vm;
	struct mutex lock;
	struct xarray fences;
	u64 next_seqno;
	u64 oldest;
};

/**
 * struct mvgpu_job - one submission
 * @link: in the engine's pending or active list
 * @engine: where it runs
 * @vm: its address space (referenced)
 * @vmas: the VMAs it uses (referenced)
 * @nr_vmas: their number
 * @batch_va: GPU virtual address of the batch
 * @in_fence: fence to wait for, or NULL
 * @in_cb: callback on @in_fence that kicks the engine
 * @in_cb_armed: @in_cb is installed
 * @fence: completion fence (referenced)
 * @file_seqno: the submitting file's seqno
 * @ring_end: ring offset after its commands
 * @skip: run only the breadcrumb (dependency failed)
 * @error: completion status to set on @fence
 */
struct mvgpu_job {
	struct list_head link;
	struct mvgpu_engine *engine;
	struct mvgpu_vm *vm;
	struct mvgpu_vma **vmas;
	unsigned int nr_vmas;
	u64 batch_va;
	struct dma_fence *in_fence;
	struct dma_fence_cb in_cb;
	bool in_cb_armed;
	struct dma_fence *fence;
	u64 file_seqno;
	u32 ring_end;
	bool skip;
	int error;
};

/* mvgpu_drm_gem.c */
struct drm_gem_object *mvgpu_gem_create_object(struct drm_device *drm,
					       size_t size);
struct mvgpu_vma *mvgpu_vma_lookup(struct mvgpu_vm *vm,
				   struct drm_gem_object *obj);
int mvgpu_vma_bind(struct mvgpu_vma *vma);
void mvgpu_vma_put(struct mvgpu_vma *vma);
void mvgpu_reap_zombies(struct mvgpu_device *mdev, bool all);
int mvgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int mvgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file);
int mvgpu_ioctl_gem_info(struct drm_device *drm, void *data,
			 struct drm_file *file);

/* mvgpu_drm_vm.c */
struct mvgpu_vm *mvgpu_vm_create(struct mvgpu_device *mdev);
void mvgpu_vm_put(struct mvgpu_vm *vm);
static inline struct mvgpu_vm *mvgpu_vm_get(struct mvgpu_vm *vm)
{
	kref_get(&vm->ref);
	return vm;
}
int mvgpu_vm_map(struct mvgpu_vm *vm, u64 va, struct sg_table *sgt,
		 u64 size, bool writable);
void mvgpu_vm_unmap(struct mvgpu_vm *vm, u64 va, u64 size);
u64 mvgpu_vm_desc(struct mvgpu_vm *vm);

/* mvgpu_drm_fence.c */
struct dma_fence *mvgpu_fence_create(struct mvgpu_engine *e, u64 seqno);
void mvgpu_file_fence_stored(struct mvgpu_file *mfile);
void mvgpu_file_fini(struct mvgpu_file *mfile);
int mvgpu_ioctl_wait(struct drm_device *drm, void *data,
		     struct drm_file *file);

/* mvgpu_drm_submit.c */
int mvgpu_engines_init(struct mvgpu_device *mdev);
void mvgpu_engines_hw_init(struct mvgpu_device *mdev);
void mvgpu_engines_irq(struct mvgpu_device *mdev, u32 status);
void mvgpu_irq_set_mask(struct mvgpu_device *mdev, u32 mask);
void mvgpu_irq_unstick(struct mvgpu_device *mdev);
void mvgpu_engines_debugfs(struct seq_file *m, struct mvgpu_device *mdev);
void mvgpu_engines_reset_prepare(struct mvgpu_device *mdev);
void mvgpu_engines_reset_done(struct mvgpu_device *mdev);
void mvgpu_engines_fini(struct mvgpu_device *mdev);
int mvgpu_ioctl_execbuffer(struct drm_device *drm, void *data,
			   struct drm_file *file);
int mvgpu_ioctl_get_reset_stats(struct drm_device *drm, void *data,
				struct drm_file *file);

#endif /* _MVGPU_DRM_DRV_H */
