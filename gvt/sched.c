// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the parent's engines and their threads.
 *
 * Each engine of the parent has one kernel thread and one run queue of vGPU
 * engines with work.  The thread takes the first entry, gives it one time
 * slice through the backend, and puts it back at the tail if it still has
 * work: a fair round-robin among the vGPUs.  A vGPU only ever sees its own
 * rings; the sharing is invisible to it except in time.
 *
 * Lifetime: a vGPU engine is on a run queue or running only between
 * mvgpu_sched_start() and mvgpu_sched_stop(), both called under the vGPU's
 * state mutex (open, close and reset).  mvgpu_sched_stop() returns only once
 * the thread no longer uses the vGPU engine, so closing a vGPU never races
 * with its last slice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "mvgpu.h"

/*
 * Every queued vGPU engine waits on a semaphore: poll again after a pause
 * instead of spinning (the semaphore may be released by a CPU write).
 */
#define MVGPU_SEM_POLL_MIN_US	50
#define MVGPU_SEM_POLL_MAX_US	200

/**
 * mvgpu_sched_complete() - the backend reports the end of a slice
 * @eng: the engine that ran it
 * @result: how it ended
 * @ev: what it did
 *
 * Called once per mvgpu_backend_ops.submit(), from any context that may
 * call complete().
 */
void mvgpu_sched_complete(struct mvgpu_sched_engine *eng,
			  enum mvgpu_exec_result result,
			  const struct mvgpu_exec_events *ev)
{
	eng->result = result;
	eng->events = *ev;
	complete(&eng->done);
}

/* Caller holds eng->lock. */
static void mvgpu_sched_enqueue_locked(struct mvgpu_sched_engine *eng,
				       struct mvgpu_vgpu_engine *ve)
{
	lockdep_assert_held(&eng->lock);

	if (ve->stopped || ve->queued)
		return;
	list_add_tail(&ve->node, &eng->runq);
	ve->queued = true;
}

/**
 * mvgpu_sched_kick() - a vGPU engine may have new work
 * @ve: the vGPU engine (its doorbell was rung or its ring enabled)
 *
 * Queues @ve unless it is queued or stopped.  Also when its slice is running:
 * that slice sampled the tail before this call, so one more slice is needed
 * to see the new one.  Callable from any context that may take a spinlock.
 */
void mvgpu_sched_kick(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_sched_engine *eng = ve->sched;
	unsigned long flags;

	spin_lock_irqsave(&eng->lock, flags);
	mvgpu_sched_enqueue_locked(eng, ve);
	spin_unlock_irqrestore(&eng->lock, flags);
	wake_up(&eng->wq);
}

/**
 * mvgpu_sched_stop() - take a vGPU engine off its engine
 * @ve: the vGPU engine
 *
 * After this returns no slice of @ve runs and none will start until
 * mvgpu_sched_start().  Sleeps for at most one slice.  Must not be called
 * with @ve->lock held (the running slice holds it).
 */
void mvgpu_sched_stop(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_sched_engine *eng = ve->sched;

	spin_lock_irq(&eng->lock);
	ve->stopped = true;
	if (ve->queued) {
		list_del_init(&ve->node);
		ve->queued = false;
	}
	spin_unlock_irq(&eng->lock);

	wait_event(eng->idle_wq, ({
		bool idle;

		spin_lock_irq(&eng->lock);
		idle = eng->running != ve;
		spin_unlock_irq(&eng->lock);
		idle;
	}));
}

/**
 * mvgpu_sched_start() - let a stopped vGPU engine run again
 * @ve: the vGPU engine
 *
 * Queues it at once: if it has no work its first slice finds that out.
 */
void mvgpu_sched_start(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_sched_engine *eng = ve->sched;

	spin_lock_irq(&eng->lock);
	ve->stopped = false;
	spin_unlock_irq(&eng->lock);
	mvgpu_sched_kick(ve);
}

/* Next vGPU engine to run, now marked running; NULL if none. */
static struct mvgpu_vgpu_engine *mvgpu_sched_pick(struct mvgpu_sched_engine *eng,
						  unsigned int *queued)
{
	struct mvgpu_vgpu_engine *ve;
	struct list_head *pos;

	spin_lock_irq(&eng->lock);
	ve = list_first_entry_or_null(&eng->runq, struct mvgpu_vgpu_engine,
				      node);
	if (ve) {
		list_del_init(&ve->node);
		ve->queued = false;
		eng->running = ve;
	}
	*queued = 0;
	list_for_each(pos, &eng->runq)
		(*queued)++;
	spin_unlock_irq(&eng->lock);
	return ve;
}

/* The slice of @ve is over; requeue it if it has work left. */
static void mvgpu_sched_put_back(struct mvgpu_sched_engine *eng,
				 struct mvgpu_vgpu_engine *ve, bool more)
{
	spin_lock_irq(&eng->lock);
	if (more)
		mvgpu_sched_enqueue_locked(eng, ve);
	eng->running = NULL;
	spin_unlock_irq(&eng->lock);
	wake_up_all(&eng->idle_wq);
}

static int mvgpu_sched_thread(void *data)
{
	struct mvgpu_sched_engine *eng = data;
	/* Consecutive slices that found their semaphore unsatisfied. */
	unsigned int waits = 0;

	while (!kthread_should_stop()) {
		struct mvgpu_vgpu_engine *ve;
		enum mvgpu_exec_result res;
		unsigned int queued;

		wait_event_interruptible(eng->wq, kthread_should_stop() ||
					 !list_empty_careful(&eng->runq));
		ve = mvgpu_sched_pick(eng, &queued);
		if (!ve)
			continue;

		res = mvgpu_engine_run_slice(ve);
		/* @ve may be gone once put back: use only @res from here. */
		mvgpu_sched_put_back(eng, ve,
				     res == MVGPU_EXEC_YIELD ||
				     res == MVGPU_EXEC_WAIT);

		if (res == MVGPU_EXEC_WAIT) {
			/* A whole round of waiters: nobody can progress. */
			if (++waits > queued) {
				usleep_range(MVGPU_SEM_POLL_MIN_US,
					     MVGPU_SEM_POLL_MAX_US);
				waits = 0;
			}
		} else {
			waits = 0;
		}
		cond_resched();
	}
	return 0;
}

static void mvgpu_sched_engine_fini(struct mvgpu_sched_engine *eng)
{
	kthread_stop(eng->thread);
	WARN_ON(!list_empty(&eng->runq));
	eng->backend->engine_fini(eng);
}

/**
 * mvgpu_sched_init() - start the parent's engines
 * @parent: the parent, not yet registered with mdev
 *
 * Return: 0 or a negative errno; on failure nothing is left running.
 */
int mvgpu_sched_init(struct mvgpu_parent *parent)
{
	static const char * const names[MVGPU_NUM_ENGINES] = { "rcs", "bcs" };
	unsigned int i;
	int ret;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_sched_engine *eng = &parent->engines[i];

		eng->parent = parent;
		eng->id = i;
		eng->backend = parent->backend;
		spin_lock_init(&eng->lock);
		INIT_LIST_HEAD(&eng->runq);
		init_waitqueue_head(&eng->wq);
		init_waitqueue_head(&eng->idle_wq);
		init_completion(&eng->done);

		ret = eng->backend->engine_init(eng);
		if (ret)
			goto err;
		eng->thread = kthread_run(mvgpu_sched_thread, eng,
					  "mvgpu-%s", names[i]);
		if (IS_ERR(eng->thread)) {
			ret = PTR_ERR(eng->thread);
			eng->backend->engine_fini(eng);
			goto err;
		}
	}
	return 0;

err:
	while (i--)
		mvgpu_sched_engine_fini(&parent->engines[i]);
	return ret;
}

/**
 * mvgpu_sched_fini() - stop the parent's engines
 * @parent: the parent; no vGPU exists any more
 */
void mvgpu_sched_fini(struct mvgpu_parent *parent)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_sched_engine_fini(&parent->engines[i]);
}
