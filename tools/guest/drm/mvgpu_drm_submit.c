// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu_drm: submission.  Each engine has one ring in the vGPU's GGTT
 * slice, shared by all files; jobs go into it in queue order.  A job is
 *
 *	TLB invalidate (PIPE_CONTROL / MI_FLUSH_DW)
 *	MI_BATCH_BUFFER_START (PPGTT) of the user's batch
 *	breadcrumb: post-sync write of the job's seqno to the status page
 *	MI_USER_INTERRUPT
 *
 * The engine's CTX_DESC names one PPGTT; it may only change while the
 * engine is idle, so a job of another file waits until the ring has run
 * dry.  The engine's work item, in process context, retires jobs whose
 * breadcrumb has landed, handles faults (the culprit fails, the engine is
 * reset, the innocent jobs behind it are written again) and fills the
 * ring.  The interrupt handler only records the sources and queues it.
 */
#include <linux/dma-mapping.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "mvgpu_drm_drv.h"

/* irq_bits: not an interrupt source; "look at the engine's status". */
#define MVGPU_DRM_CHECK		BIT(31)
/* The longest job: PIPE_CONTROL + BB_START + PIPE_CONTROL + USER_INT. */
#define MVGPU_JOB_DW_MAX	16
#define MVGPU_POLL_DELAY	HZ

#define MVGPU_ENGINE_IRQS(e)	(MVGPU_IRQ_USER(e) | MVGPU_IRQ_COMPLETE(e) | \
				 MVGPU_IRQ_FAULT(e))

static void mvgpu_job_free(struct mvgpu_job *job)
{
	unsigned int i;

	/* Waits for a callback running on another CPU to finish. */
	if (job->in_cb_armed)
		dma_fence_remove_callback(job->in_fence, &job->in_cb);
	dma_fence_put(job->in_fence);
	for (i = 0; i < job->nr_vmas; i++)
		mvgpu_vma_put(job->vmas[i]);
	kvfree(job->vmas);
	dma_fence_put(job->fence);
	mvgpu_vm_put(job->vm);
	kfree(job);
}

static void mvgpu_jobs_free(struct list_head *jobs)
{
	struct mvgpu_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, jobs, link) {
		list_del(&job->link);
		mvgpu_job_free(job);
	}
}

/* Complete @job with @error (0: its own status); free it later. */
static void mvgpu_job_signal(struct mvgpu_job *job, int error,
			     struct list_head *done)
{
	if (!error)
		error = job->error;
	if (error)
		dma_fence_set_error(job->fence, error);
	dma_fence_signal(job->fence);
	list_move_tail(&job->link, done);
}

static u32 mvgpu_seqno32(struct mvgpu_job *job)
{
	return lower_32_bits(job->fence->seqno);
}

/* Caller holds e->lock. */
static void mvgpu_engine_retire(struct mvgpu_engine *e,
				struct list_head *done)
{
	struct mvgpu_job *job, *tmp;
	u32 seen;

	seen = READ_ONCE(e->hws[MVGPU_HWS_SEQNO / 4]);
	/* The breadcrumb is written after the job's other writes. */
	dma_rmb();
	list_for_each_entry_safe(job, tmp, &e->active, link) {
		if ((s32)(seen - mvgpu_seqno32(job)) < 0)
			break;
		e->head = job->ring_end;
		mvgpu_job_signal(job, 0, done);
	}
}

static void mvgpu_vm_note_fault(struct mvgpu_vm *vm, struct mvgpu_job *job,
				u32 status, u32 instr, u64 addr, u64 cmd)
{
	struct drm_mvgpu_reset_stats *s = &vm->stats;

	spin_lock(&vm->stats_lock);
	if ((status & MVGPU_FAULT_TYPE_MASK) == MVGPU_FAULT_HANG)
		s->hangs++;
	else
		s->faults++;
	s->last_engine = job->engine->id;
	s->last_fault_status = status;
	s->last_fault_instr = instr;
	s->last_fault_addr = addr;
	s->last_fault_cmd = cmd;
	s->last_seqno = job->file_seqno;
	spin_unlock(&vm->stats_lock);
}

static u64 mvgpu_erd64(struct mvgpu_engine *e, u32 lo)
{
	u32 l = mvgpu_erd(e, lo);

	return (u64)mvgpu_erd(e, lo + 4) << 32 | l;
}

/*
 * The engine halted: fail the job that was running, reset the engine and
 * queue the jobs behind it again.  Caller holds e->lock.
 */
static void mvgpu_engine_fault(struct mvgpu_engine *e,
			       struct list_head *done)
{
	struct mvgpu_device *mdev = e->mdev;
	u32 status, instr;
	struct mvgpu_job *job;
	u64 addr, cmd;
	bool hang;

	if (!(mvgpu_erd(e, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_HALTED))
		return;
	status = mvgpu_erd(e, MVGPU_FAULT_STATUS);
	instr = mvgpu_erd(e, MVGPU_FAULT_INSTR);
	addr = mvgpu_erd64(e, MVGPU_FAULT_ADDR_LO);
	cmd = mvgpu_erd64(e, MVGPU_FAULT_CMD_LO);
	hang = (status & MVGPU_FAULT_TYPE_MASK) == MVGPU_FAULT_HANG;

	/* Jobs whose breadcrumb landed are not to blame. */
	mvgpu_engine_retire(e, done);
	job = list_first_entry_or_null(&e->active, struct mvgpu_job, link);
	dev_info_ratelimited(mdev->drm.dev,
			     "%s: %s, fault status 0x%08x instr 0x%08x addr 0x%llx cmd 0x%llx, seqno %llu\n",
			     e->name, hang ? "hang" : "fault", status, instr,
			     addr, cmd, job ? job->fence->seqno : 0);
	if (job) {
		mvgpu_vm_note_fault(job->vm, job, status, instr, addr, cmd);
		mvgpu_job_signal(job, hang ? -ETIMEDOUT : -EIO, done);
	}
	mvgpu_ewr(e, MVGPU_ENGINE_RESET, MVGPU_ENGINE_RESET_KEY);
	/* The reset abandoned the ring (HEAD = TAIL): write it again. */
	e->head = e->tail;
	list_splice_init(&e->active, &e->pending);
}

static void mvgpu_job_dep_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct mvgpu_job *job = container_of(cb, struct mvgpu_job, in_cb);
	struct mvgpu_engine *e = job->engine;

	queue_work(e->mdev->wq, &e->work);
}

/* Whether the job's dependency has signalled.  Caller holds e->lock. */
static bool mvgpu_job_ready(struct mvgpu_job *job)
{
	struct dma_fence *f = job->in_fence;

	if (!f)
		return true;
	if (!job->in_cb_armed) {
		if (!dma_fence_add_callback(f, &job->in_cb, mvgpu_job_dep_cb)) {
			job->in_cb_armed = true;
			return false;
		}
		/* -ENOENT: already signalled. */
	} else if (!dma_fence_is_signaled(f)) {
		return false;
	}
	if (f->error) {
		job->skip = true;
		job->error = f->error;
	}
	return true;
}

static unsigned int mvgpu_job_build(struct mvgpu_engine *e,
				    struct mvgpu_job *job, u32 *cs)
{
	u64 crumb = e->hws_gaddr + MVGPU_HWS_SEQNO;
	unsigned int n = 0;

	if (!job->skip) {
		/* New PPGTT entries may have been written: drop the cache. */
		if (e->id == MVGPU_ENGINE_RCS) {
			cs[n++] = MVGPU_PIPE_CONTROL;
			cs[n++] = MVGPU_PC_TLB_INVALIDATE | MVGPU_PC_CS_STALL;
			cs[n++] = 0;
			cs[n++] = 0;
			cs[n++] = 0;
			cs[n++] = 0;
		} else {
			cs[n++] = MVGPU_MI_FLUSH_DW |
				  MVGPU_MI_FLUSH_DW_TLB_INVALIDATE;
			cs[n++] = 0;
			cs[n++] = 0;
			cs[n++] = 0;
		}
		cs[n++] = MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT;
		cs[n++] = lower_32_bits(job->batch_va);
		cs[n++] = upper_32_bits(job->batch_va) & 0xffff;
	}
	if (e->id == MVGPU_ENGINE_RCS) {
		cs[n++] = MVGPU_PIPE_CONTROL;
		cs[n++] = MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT |
			  MVGPU_PC_CS_STALL;
		cs[n++] = lower_32_bits(crumb);
		cs[n++] = upper_32_bits(crumb) & 0xffff;
		cs[n++] = mvgpu_seqno32(job);
		cs[n++] = 0;
	} else {
		cs[n++] = MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE;
		cs[n++] = lower_32_bits(crumb) | MVGPU_MI_FLUSH_DW_USE_GGTT;
		cs[n++] = upper_32_bits(crumb) & 0xffff;
		cs[n++] = mvgpu_seqno32(job);
	}
	cs[n++] = MVGPU_MI_USER_INTERRUPT;
	if (n & 1)
		cs[n++] = MVGPU_MI_NOOP;
	return n;
}

static u32 mvgpu_ring_space(struct mvgpu_engine *e)
{
	/* Never fill the ring: TAIL == HEAD reads as empty. */
	return (e->head - e->tail - 8) & (MVGPU_DRM_RING_SIZE - 1);
}

/* Move ready jobs from pending into the ring.  Caller holds e->lock. */
static void mvgpu_engine_submit(struct mvgpu_engine *e)
{
	u32 cs[MVGPU_JOB_DW_MAX];
	struct mvgpu_job *job;
	unsigned int i, n;
	bool kick = false;
	u64 desc;

	while ((job = list_first_entry_or_null(&e->pending, struct mvgpu_job,
					       link))) {
		if (!mvgpu_job_ready(job))
			break;
		/* A skipped job runs no user command: any PPGTT will do. */
		if (!job->skip && job->vm->id != e->cur_vm_id) {
			/*
			 * CTX_DESC changes only while the engine is idle; the
			 * COMPLETE interrupt brings us back when it is.
			 */
			if (!list_empty(&e->active) ||
			    (mvgpu_erd(e, MVGPU_ENGINE_STATUS) &
			     MVGPU_ENGINE_STATUS_BUSY))
				break;
			desc = mvgpu_vm_desc(job->vm);
			mvgpu_ewr(e, MVGPU_CTX_DESC_LO, lower_32_bits(desc));
			mvgpu_ewr(e, MVGPU_CTX_DESC_HI, upper_32_bits(desc));
			e->cur_vm_id = job->vm->id;
		}
		n = mvgpu_job_build(e, job, cs);
		if (mvgpu_ring_space(e) < n * 4)
			break;
		for (i = 0; i < n; i++) {
			WRITE_ONCE(e->ring[e->tail / 4], cs[i]);
			e->tail = (e->tail + 4) & (MVGPU_DRM_RING_SIZE - 1);
		}
		job->ring_end = e->tail;
		list_move_tail(&job->link, &e->active);
		kick = true;
	}
	if (kick) {
		/* Ring contents before the doorbell. */
		dma_wmb();
		mvgpu_ewr(e, MVGPU_RING_TAIL, e->tail);
	}
}

/*
 * Account the jobs one run of the work retired by what queued it.  A run
 * that only the poll queued found a completion whose interrupt never
 * came: that is a bug (or a lost MSI), so say so once.  Caller holds
 * e->lock.
 */
static void mvgpu_engine_count(struct mvgpu_engine *e, u32 bits,
			       struct list_head *done)
{
	size_t n = list_count_nodes(done);

	if (bits & MVGPU_ENGINE_IRQS(e->id)) {
		e->done_irq += n;
	} else if (bits & MVGPU_DRM_CHECK) {
		e->done_poll += n;
		if (n && !e->poll_noted) {
			e->poll_noted = true;
			drm_notice(&e->mdev->drm,
				   "%s: the fallback poll, not an interrupt, completed %zu job(s) (IRQ_STATUS 0x%x, IRQ_ENABLE 0x%x); debugfs mvgpu_irq counts them\n",
				   e->name, n,
				   mvgpu_rd(e->mdev, MVGPU_REG_IRQ_STATUS),
				   mvgpu_rd(e->mdev, MVGPU_REG_IRQ_ENABLE));
		}
	} else {
		e->done_kick += n;
	}
}

static void mvgpu_engine_work(struct work_struct *work)
{
	struct mvgpu_engine *e = container_of(work, struct mvgpu_engine,
					      work);
	u32 bits = atomic_xchg(&e->irq_bits, 0);
	LIST_HEAD(done);

	mutex_lock(&e->lock);
	if (e->stopped || e->gone)
		goto unlock;
	if (bits & (MVGPU_IRQ_FAULT(e->id) | MVGPU_DRM_CHECK))
		mvgpu_engine_fault(e, &done);
	mvgpu_engine_retire(e, &done);
	mvgpu_engine_count(e, bits, &done);
	mvgpu_engine_submit(e);
	if (!list_empty(&e->active) || !list_empty(&e->pending))
		mod_delayed_work(e->mdev->wq, &e->poll, MVGPU_POLL_DELAY);
unlock:
	mutex_unlock(&e->lock);
	/* Puts may unmap and free BOs: outside the engine lock. */
	mvgpu_jobs_free(&done);
	mvgpu_reap_zombies(e->mdev, false);
}

static void mvgpu_engine_poll(struct work_struct *work)
{
	struct mvgpu_engine *e = container_of(to_delayed_work(work),
					      struct mvgpu_engine, poll);

	/* An interrupt may be pending that will never be delivered. */
	mvgpu_irq_unstick(e->mdev);
	atomic_or(MVGPU_DRM_CHECK, &e->irq_bits);
	queue_work(e->mdev->wq, &e->work);
}

/**
 * mvgpu_engines_irq() - pass interrupt sources to the engines
 * @mdev: the device
 * @status: the acknowledged IRQ_STATUS bits
 *
 * Hard interrupt context: records and queues, nothing else.
 */
void mvgpu_engines_irq(struct mvgpu_device *mdev, u32 status)
{
	unsigned int i;
	u32 bits;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		bits = status & MVGPU_ENGINE_IRQS(i);
		if (!bits)
			continue;
		atomic_or(bits, &mdev->engine[i].irq_bits);
		queue_work(mdev->wq, &mdev->engine[i].work);
	}
}

static void mvgpu_ggtt_set(struct mvgpu_device *mdev, u64 gaddr, u64 pte)
{
	u32 off = MVGPU_GGTT_WINDOW_OFFSET +
		  8 * (u32)(gaddr >> MVGPU_GTT_PAGE_SHIFT);

	/* Only the vGPU's own slice; the caller laid it out inside. */
	if (WARN_ON(gaddr < mdev->ggtt_base ||
		    gaddr >= mdev->ggtt_base + mdev->ggtt_size))
		return;
	/* Low half first: the high half commits the entry. */
	mvgpu_wr(mdev, off, lower_32_bits(pte));
	mvgpu_wr(mdev, off + 4, upper_32_bits(pte));
}

/* Program one engine from scratch.  Caller holds e->lock (or probe). */
static void mvgpu_engine_hw_init(struct mvgpu_engine *e)
{
	struct mvgpu_device *mdev = e->mdev;
	u32 off;

	/* The ring is read-only to the engine; the status page is not. */
	for (off = 0; off < MVGPU_DRM_RING_SIZE; off += MVGPU_GTT_PAGE_SIZE)
		mvgpu_ggtt_set(mdev, e->ring_gaddr + off,
			       (e->ring_dma + off) | MVGPU_PTE_PRESENT);
	mvgpu_ggtt_set(mdev, e->hws_gaddr,
		       e->hws_dma | MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);

	mvgpu_ewr(e, MVGPU_RING_CTL, 0);
	mvgpu_ewr(e, MVGPU_RING_HEAD, 0);
	mvgpu_ewr(e, MVGPU_RING_TAIL, 0);
	mvgpu_ewr(e, MVGPU_RING_START, lower_32_bits(e->ring_gaddr));
	mvgpu_ewr(e, MVGPU_RING_HWS,
		  lower_32_bits(e->hws_gaddr) | MVGPU_RING_HWS_VALID);
	mvgpu_ewr(e, MVGPU_CTX_DESC_LO, 0);
	mvgpu_ewr(e, MVGPU_CTX_DESC_HI, 0);
	mvgpu_ewr(e, MVGPU_RING_CTL, MVGPU_RING_CTL_SIZE(MVGPU_DRM_RING_SIZE) |
		  MVGPU_RING_CTL_ENABLE);
	e->head = 0;
	e->tail = 0;
	e->cur_vm_id = 0;
}

static void mvgpu_irq_enable(struct mvgpu_device *mdev)
{
	u32 enable = 0;
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		enable |= MVGPU_ENGINE_IRQS(i);
	mvgpu_irq_set_mask(mdev, enable);
}

/**
 * mvgpu_engines_init() - allocate the engines' rings and status pages
 * @mdev: the device, its registers read
 *
 * Device-managed memory; also allocates the work queue.
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_engines_init(struct mvgpu_device *mdev)
{
	struct device *dev = &mdev->pdev->dev;
	u64 fence_context;
	unsigned int i;

	BUILD_BUG_ON(PAGE_SIZE != MVGPU_GTT_PAGE_SIZE);
	BUILD_BUG_ON(!is_power_of_2(MVGPU_DRM_RING_SIZE));
	BUILD_BUG_ON(MVGPU_DRM_RING_SIZE + MVGPU_GTT_PAGE_SIZE >
		     MVGPU_DRM_GGTT_STRIDE);
	if (mdev->ggtt_size < MVGPU_NUM_ENGINES * MVGPU_DRM_GGTT_STRIDE) {
		drm_err(&mdev->drm, "GGTT slice of 0x%llx bytes too small\n",
			mdev->ggtt_size);
		return -ENODEV;
	}
	mdev->wq = alloc_workqueue(MVGPU_DRM_NAME, WQ_HIGHPRI | WQ_UNBOUND, 0);
	if (!mdev->wq)
		return -ENOMEM;
	fence_context = dma_fence_context_alloc(MVGPU_NUM_ENGINES);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &mdev->engine[i];

		e->mdev = mdev;
		e->id = i;
		e->name = i == MVGPU_ENGINE_RCS ? "rcs" : "bcs";
		e->ring = dmam_alloc_coherent(dev, MVGPU_DRM_RING_SIZE,
					      &e->ring_dma, GFP_KERNEL);
		e->hws = dmam_alloc_coherent(dev, MVGPU_GTT_PAGE_SIZE,
					     &e->hws_dma, GFP_KERNEL);
		if (!e->ring || !e->hws) {
			destroy_workqueue(mdev->wq);
			return -ENOMEM;
		}
		e->ring_gaddr = mdev->ggtt_base + i * MVGPU_DRM_GGTT_STRIDE;
		e->hws_gaddr = e->ring_gaddr + MVGPU_DRM_RING_SIZE;
		spin_lock_init(&e->fence_lock);
		e->fence_context = fence_context + i;
		mutex_init(&e->lock);
		INIT_LIST_HEAD(&e->pending);
		INIT_LIST_HEAD(&e->active);
		INIT_WORK(&e->work, mvgpu_engine_work);
		INIT_DELAYED_WORK(&e->poll, mvgpu_engine_poll);
	}
	return 0;
}

/**
 * mvgpu_engines_hw_init() - program GGTT, rings and interrupts at probe
 * @mdev: the device
 */
void mvgpu_engines_hw_init(struct mvgpu_device *mdev)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_hw_init(&mdev->engine[i]);
	mvgpu_irq_enable(mdev);
}

/* Stop an engine's processing: no work runs once this returns. */
static void mvgpu_engine_stop(struct mvgpu_engine *e, bool gone)
{
	mutex_lock(&e->lock);
	e->stopped = true;
	if (gone)
		e->gone = true;
	mutex_unlock(&e->lock);
	cancel_delayed_work_sync(&e->poll);
	cancel_work_sync(&e->work);
}

/* Fail every job in @jobs with -ECANCELED.  Caller holds e->lock. */
static void mvgpu_engine_cancel(struct mvgpu_engine *e,
				struct list_head *jobs,
				struct list_head *done)
{
	struct mvgpu_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, jobs, link) {
		spin_lock(&job->vm->stats_lock);
		job->vm->stats.cancelled++;
		spin_unlock(&job->vm->stats_lock);
		mvgpu_job_signal(job, -ECANCELED, done);
	}
}

/**
 * mvgpu_engines_reset_prepare() - quiesce before a vGPU reset
 * @mdev: the device
 */
void mvgpu_engines_reset_prepare(struct mvgpu_device *mdev)
{
	unsigned int i;

	/* The handler must not enable interrupts again during the reset. */
	mvgpu_irq_set_mask(mdev, 0);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_stop(&mdev->engine[i], false);
}

/**
 * mvgpu_engines_reset_done() - restart after a vGPU reset
 * @mdev: the device
 *
 * The reset cleared the GGTT slice and every register and abandoned the
 * commands in flight: jobs whose breadcrumb landed complete, the other
 * jobs in the ring fail with -ECANCELED, and queued jobs run afterwards.
 */
void mvgpu_engines_reset_done(struct mvgpu_device *mdev)
{
	unsigned int i;
	LIST_HEAD(done);

	atomic_inc(&mdev->resets);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &mdev->engine[i];

		mutex_lock(&e->lock);
		mvgpu_engine_retire(e, &done);
		mvgpu_engine_cancel(e, &e->active, &done);
		mvgpu_engine_hw_init(e);
		atomic_set(&e->irq_bits, 0);
		e->stopped = false;
		mutex_unlock(&e->lock);
	}
	mvgpu_irq_enable(mdev);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		queue_work(mdev->wq, &mdev->engine[i].work);
	mvgpu_jobs_free(&done);
	mvgpu_reap_zombies(mdev, false);
}

/**
 * mvgpu_engines_fini() - stop the engines for good (device removal)
 * @mdev: the device; its interrupt is already freed
 *
 * Jobs that completed are retired, all others fail with -ECANCELED; the
 * rings are disabled and their GGTT entries cleared.
 */
void mvgpu_engines_fini(struct mvgpu_device *mdev)
{
	unsigned int i;
	u32 off;
	LIST_HEAD(done);

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_stop(&mdev->engine[i], true);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &mdev->engine[i];

		mutex_lock(&e->lock);
		mvgpu_ewr(e, MVGPU_RING_CTL, 0);
		mvgpu_ewr(e, MVGPU_ENGINE_RESET, MVGPU_ENGINE_RESET_KEY);
		mvgpu_ewr(e, MVGPU_CTX_DESC_LO, 0);
		mvgpu_ewr(e, MVGPU_CTX_DESC_HI, 0);
		for (off = 0; off < MVGPU_DRM_GGTT_STRIDE;
		     off += MVGPU_GTT_PAGE_SIZE)
			mvgpu_ggtt_set(mdev, e->ring_gaddr + off, 0);
		mvgpu_engine_retire(e, &done);
		mvgpu_engine_cancel(e, &e->active, &done);
		mvgpu_engine_cancel(e, &e->pending, &done);
		mutex_unlock(&e->lock);
	}
	mvgpu_jobs_free(&done);
	/* Every fence has signalled: no page is in use by the engines. */
	mvgpu_reap_zombies(mdev, true);
	destroy_workqueue(mdev->wq);
}

/**
 * mvgpu_engines_debugfs() - the engines' part of debugfs mvgpu_irq
 * @m: the file
 * @mdev: the device
 *
 * Per engine: the last seqno queued and the breadcrumb, the jobs waiting
 * and in the ring, and how the retired jobs were found: by a run of the
 * work an interrupt queued, one only the one-second poll queued (each a
 * lost interrupt), or one a submission or a fence queued.
 */
void mvgpu_engines_debugfs(struct seq_file *m, struct mvgpu_device *mdev)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &mdev->engine[i];

		mutex_lock(&e->lock);
		seq_printf(m, "%s: seqno %llu breadcrumb %u pending %zu active %zu\n",
			   e->name, e->next_seqno,
			   READ_ONCE(e->hws[MVGPU_HWS_SEQNO / 4]),
			   list_count_nodes(&e->pending),
			   list_count_nodes(&e->active));
		seq_printf(m, "%s: retired_by_irq %llu retired_by_poll %llu retired_by_submit %llu\n",
			   e->name, e->done_irq, e->done_poll, e->done_kick);
		mutex_unlock(&e->lock);
	}
}

/* Look a handle up and take a reference to its VMA in @vm. */
static int mvgpu_job_add_handle(struct mvgpu_job *job, struct drm_file *file,
				u32 handle, struct drm_gem_object **objp)
{
	struct drm_gem_object *obj;
	struct mvgpu_vma *vma;

	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;
	vma = mvgpu_vma_lookup(job->vm, obj);
	if (!vma) {
		drm_gem_object_put(obj);
		return -ENOENT;
	}
	job->vmas[job->nr_vmas++] = vma;
	if (objp)
		*objp = obj;
	else
		drm_gem_object_put(obj);
	return 0;
}

static int mvgpu_job_add_bos(struct mvgpu_job *job, struct drm_file *file,
			     struct drm_mvgpu_execbuffer *args)
{
	struct drm_gem_object *batch;
	u32 *handles;
	unsigned int i;
	int ret;

	ret = mvgpu_job_add_handle(job, file, args->batch_handle, &batch);
	if (ret)
		return ret;
	if ((u64)args->batch_offset + args->batch_len > batch->size)
		ret = -EINVAL;
	else
		job->batch_va = job->vmas[0]->node.start + args->batch_offset;
	drm_gem_object_put(batch);
	if (ret || !args->bo_count)
		return ret;

	handles = kvmalloc_array(args->bo_count, sizeof(*handles),
				 GFP_KERNEL);
	if (!handles)
		return -ENOMEM;
	if (copy_from_user(handles, u64_to_user_ptr(args->bo_handles),
			   array_size(args->bo_count, sizeof(*handles)))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < args->bo_count && !ret; i++)
		ret = mvgpu_job_add_handle(job, file, handles[i], NULL);
out:
	kvfree(handles);
	return ret;
}

/**
 * mvgpu_ioctl_execbuffer() - DRM_IOCTL_MVGPU_EXECBUFFER
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_execbuffer
 * @file: the caller's file
 *
 * Return: 0 or a negative error code.
 */
int mvgpu_ioctl_execbuffer(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_mvgpu_execbuffer *args = data;
	struct mvgpu_device *mdev = to_mvgpu(drm);
	struct mvgpu_file *mfile = file->driver_priv;
	struct drm_syncobj *out_sync = NULL;
	struct mvgpu_engine *e;
	struct mvgpu_job *job;
	struct dma_fence *fence;
	unsigned int i;
	int idx, ret;

	if (args->engine >= MVGPU_NUM_ENGINES ||
	    args->flags & ~MVGPU_EXEC_FLAGS || !args->batch_len ||
	    args->batch_len % 4 || args->batch_offset % 4 ||
	    args->bo_count > MVGPU_DRM_MAX_BOS)
		return -EINVAL;
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	e = &mdev->engine[args->engine];

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto exit;
	}
	INIT_LIST_HEAD(&job->link);
	job->engine = e;
	job->vm = mvgpu_vm_get(mfile->vm);
	job->vmas = kvcalloc(args->bo_count + 1, sizeof(*job->vmas),
			     GFP_KERNEL);
	if (!job->vmas) {
		ret = -ENOMEM;
		goto err_job;
	}
	ret = mvgpu_job_add_bos(job, file, args);
	if (ret)
		goto err_job;
	for (i = 0; i < job->nr_vmas; i++) {
		ret = mvgpu_vma_bind(job->vmas[i]);
		if (ret)
			goto err_job;
	}
	if (args->in_syncobj) {
		ret = drm_syncobj_find_fence(file, args->in_syncobj, 0, 0,
					     &job->in_fence);
		if (ret)
			goto err_job;
	}
	if (args->out_syncobj) {
		out_sync = drm_syncobj_find(file, args->out_syncobj);
		if (!out_sync) {
			ret = -ENOENT;
			goto err_job;
		}
	}

	/* Per file in order: file seqnos follow queue order. */
	mutex_lock(&mfile->lock);
	ret = xa_reserve(&mfile->fences, mfile->next_seqno, GFP_KERNEL);
	if (ret)
		goto err_unlock_file;
	mutex_lock(&e->lock);
	if (e->gone) {
		ret = -ENODEV;
		goto err_unlock;
	}
	job->fence = mvgpu_fence_create(e, e->next_seqno + 1);
	if (!job->fence) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	e->next_seqno++;
	fence = dma_fence_get(job->fence);
	job->file_seqno = mfile->next_seqno;
	mutex_lock(&job->vm->lock);
	dma_fence_put(job->vm->last_fence);
	job->vm->last_fence = dma_fence_get(fence);
	mutex_unlock(&job->vm->lock);
	list_add_tail(&job->link, &e->pending);
	queue_work(mdev->wq, &e->work);
	mutex_unlock(&e->lock);

	/* Reserved above: storing cannot fail. */
	xa_store(&mfile->fences, mfile->next_seqno, dma_fence_get(fence),
		 GFP_KERNEL);
	args->seqno = mfile->next_seqno;
	mvgpu_file_fence_stored(mfile);
	mutex_unlock(&mfile->lock);

	if (out_sync) {
		drm_syncobj_replace_fence(out_sync, fence);
		drm_syncobj_put(out_sync);
	}
	dma_fence_put(fence);
	drm_dev_exit(idx);
	return 0;

err_unlock:
	mutex_unlock(&e->lock);
	xa_release(&mfile->fences, mfile->next_seqno);
err_unlock_file:
	mutex_unlock(&mfile->lock);
err_job:
	if (out_sync)
		drm_syncobj_put(out_sync);
	mvgpu_job_free(job);
exit:
	drm_dev_exit(idx);
	return ret;
}

/**
 * mvgpu_ioctl_get_reset_stats() - DRM_IOCTL_MVGPU_GET_RESET_STATS
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_reset_stats
 * @file: the caller's file
 *
 * Return: 0 or -EINVAL.
 */
int mvgpu_ioctl_get_reset_stats(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct mvgpu_file *mfile = file->driver_priv;
	struct drm_mvgpu_reset_stats *args = data;
	struct mvgpu_vm *vm = mfile->vm;

	if (args->flags)
		return -EINVAL;
	spin_lock(&vm->stats_lock);
	*args = vm->stats;
	spin_unlock(&vm->stats_lock);
	args->flags = 0;
	args->device_resets = atomic_read(&to_mvgpu(drm)->resets);
	return 0;
}
