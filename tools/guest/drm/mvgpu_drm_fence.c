// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu_drm: completion fences and the WAIT ioctl.
 *
 * Every job has a dma_fence on its engine's timeline; its seqno is also
 * the job's breadcrumb.  Jobs of an engine complete in queue order, so the
 * fences of a timeline signal in order.  A file remembers the fences of
 * its recent submissions by its own sequence number for WAIT.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <drm/drm_file.h>

#include "mvgpu_drm_drv.h"

/**
 * struct mvgpu_fence - a job's completion fence
 * @base: the fence; first, so that the default release frees this
 * @timeline: static name of the engine's timeline
 */
struct mvgpu_fence {
	struct dma_fence base;
	const char *timeline;
};

static const char *mvgpu_fence_driver_name(struct dma_fence *fence)
{
	return MVGPU_DRM_NAME;
}

/*
 * Fences may outlive the device (a sync_file exported from a syncobj):
 * name the timeline from static strings, never through the engine.
 */
static const char *mvgpu_fence_timeline_name(struct dma_fence *fence)
{
	return container_of(fence, struct mvgpu_fence, base)->timeline;
}

static const struct dma_fence_ops mvgpu_fence_ops = {
	.get_driver_name = mvgpu_fence_driver_name,
	.get_timeline_name = mvgpu_fence_timeline_name,
};

/**
 * mvgpu_fence_create() - a fence on an engine's timeline
 * @e: the engine
 * @seqno: its position on the timeline
 *
 * Return: the fence (one reference) or NULL.
 */
struct dma_fence *mvgpu_fence_create(struct mvgpu_engine *e, u64 seqno)
{
	static const char *const timelines[MVGPU_NUM_ENGINES] = {
		[MVGPU_ENGINE_RCS] = "mvgpu-rcs",
		[MVGPU_ENGINE_BCS] = "mvgpu-bcs",
	};
	struct mvgpu_fence *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	f->timeline = timelines[e->id];
	dma_fence_init(&f->base, &mvgpu_fence_ops, &e->fence_lock,
		       e->fence_context, seqno);
	return &f->base;
}

/**
 * mvgpu_file_fence_stored() - move on after storing a submission's fence
 * @mfile: the submitting file
 *
 * The caller holds @mfile->lock and has stored the fence of submission
 * @mfile->next_seqno in @mfile->fences.  Forgets signalled fences older
 * than the last MVGPU_WAIT_HISTORY ones.
 */
void mvgpu_file_fence_stored(struct mvgpu_file *mfile)
{
	struct dma_fence *old;

	lockdep_assert_held(&mfile->lock);
	mfile->next_seqno++;
	while (mfile->next_seqno - mfile->oldest > MVGPU_WAIT_HISTORY) {
		old = xa_load(&mfile->fences, mfile->oldest);
		if (old && !dma_fence_is_signaled(old))
			break;
		xa_erase(&mfile->fences, mfile->oldest);
		dma_fence_put(old);
		mfile->oldest++;
	}
}

/**
 * mvgpu_file_fini() - drop a file's fence history
 * @mfile: the file
 */
void mvgpu_file_fini(struct mvgpu_file *mfile)
{
	struct dma_fence *fence;
	unsigned long idx;

	xa_for_each(&mfile->fences, idx, fence)
		dma_fence_put(fence);
	xa_destroy(&mfile->fences);
	mutex_destroy(&mfile->lock);
}

/**
 * mvgpu_ioctl_wait() - DRM_IOCTL_MVGPU_WAIT
 * @drm: the DRM device
 * @data: &struct drm_mvgpu_wait
 * @file: the caller's file
 *
 * Return: 0 when the submission has completed, -ETIME, -ERESTARTSYS or
 * -EINVAL.
 */
int mvgpu_ioctl_wait(struct drm_device *drm, void *data,
		     struct drm_file *file)
{
	struct mvgpu_file *mfile = file->driver_priv;
	struct drm_mvgpu_wait *args = data;
	struct dma_fence *fence;
	u64 timeout;
	ktime_t start;
	long ret;

	if (args->flags || args->timeout_ns < 0)
		return -EINVAL;
	mutex_lock(&mfile->lock);
	if (!args->seqno || args->seqno >= mfile->next_seqno) {
		mutex_unlock(&mfile->lock);
		return -EINVAL;
	}
	fence = dma_fence_get(xa_load(&mfile->fences, args->seqno));
	mutex_unlock(&mfile->lock);
	args->error = 0;
	if (!fence) {
		/* Dropped from the history: only signalled ones are. */
		args->flags = MVGPU_WAIT_EXPIRED;
		return 0;
	}

	start = ktime_get();
	timeout = nsecs_to_jiffies64(args->timeout_ns);
	if (args->timeout_ns && !timeout)
		timeout = 1;
	if (!timeout)
		ret = dma_fence_is_signaled(fence) ? 1 : 0;
	else
		ret = dma_fence_wait_timeout(fence, true,
					     min_t(u64, timeout,
						   MAX_SCHEDULE_TIMEOUT));
	if (ret > 0) {
		args->error = fence->error;
		ret = 0;
	} else if (!ret) {
		ret = -ETIME;
	}
	if (args->timeout_ns) {
		s64 left = args->timeout_ns -
			   ktime_to_ns(ktime_sub(ktime_get(), start));

		args->timeout_ns = max_t(s64, left, 0);
	}
	dma_fence_put(fence);
	return ret;
}
