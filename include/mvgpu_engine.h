/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Engines: the per-vGPU engine registers and execution state (gvt/engine.c),
 * the parent's engine threads that time-slice all vGPUs (gvt/sched.c) and
 * the backend interface that executes a slice (gvt/ref_engine.c is the
 * reference backend).  Documentation/design.rst, "Engines", has the lock
 * order and the lifetime rules.
 */
#ifndef _MVGPU_ENGINE_H
#define _MVGPU_ENGINE_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "mvgpu_scan.h"

struct mvgpu_parent;
struct mvgpu_vgpu;
struct mvgpu_sched_engine;
struct mvgpu_wtrack;
struct task_struct;

/*
 * Time slice per parent unit a vGPU owns: a vGPU of type N (1/N of the
 * parent) gets 8/N of these per turn, so busy vGPUs share each engine in
 * proportion to their type.
 */
#define MVGPU_TIMESLICE_UNIT_NS	NSEC_PER_MSEC

/**
 * struct mvgpu_vgpu_engine - one engine as one vGPU sees it
 * @vgpu: owner
 * @sched: the parent engine that executes it
 * @id: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @lock: protects @st.  The engine thread holds it for the whole of a
 *	slice (bounded by the time slice plus one command); MMIO takes it
 *	only for what lives in @st alone (GPRs, HEAD writes, ENGINE_RESET).
 *	Taken after the vGPU's state mutex, before @reg_lock.
 * @reg_lock: protects the ring registers and the published state, so the
 *	doorbell and status reads never wait for a running slice.  Taken
 *	before the scheduler's lock and the vGPU's irq lock.
 * @ring_start: RING_START
 * @ring_ctl: RING_CTL
 * @ring_tail: RING_TAIL
 * @ring_hws: RING_HWS
 * @ctx_desc: CTX_DESC
 * @pub_head: RING_HEAD as of the last slice end (or reset)
 * @pub_depth: batch depth as of the last slice end
 * @pub_waiting: the last slice stopped on a semaphore
 * @pub_fault: the fault report as of the last slice end
 * @st: execution state: head, batch stack, GPRs, fault
 * @node: entry in @sched's run queue, under the scheduler's lock
 * @queued: on the run queue, under the scheduler's lock
 * @stopped: must not be scheduled (device closed or being reset), under
 *	the scheduler's lock
 * @busy_ns: engine time used, statistics
 * @cmds: commands executed, statistics
 * @wl: the checked workload being executed (shadows, write set), under
 *	@lock; valid while @wl_valid
 * @wl_valid: @wl holds a workload: from its scan until it has run to its
 *	end, faulted, or was abandoned (reset, HEAD write, disabled ring)
 * @wl_rejected: @wl was rejected: only the ring commands before
 *	@wl.verdict.ring_off run, then the engine halts with the verdict
 * @wl_done: @wl has run to its end (or faulted): to be freed once the
 *	slice is published
 * @wt: write prediction check of @wl (debugfs, test-only), or NULL
 * @scans: workloads scanned, statistics
 * @scan_ns: time spent scanning them, statistics
 * @scan_rejects: workloads rejected, statistics
 * @scan_last_reason: reason of the last rejection, NULL if none
 * @scan_last_fault: its FAULT_STATUS
 */
struct mvgpu_vgpu_engine {
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_sched_engine *sched;
	unsigned int id;
	struct mutex lock;		/* see above */
	spinlock_t reg_lock;		/* see above */
	u32 ring_start;
	u32 ring_ctl;
	u32 ring_tail;
	u32 ring_hws;
	u64 ctx_desc;
	u32 pub_head;
	unsigned int pub_depth;
	bool pub_waiting;
	struct mvgpu_exec_fault pub_fault;
	struct mvgpu_exec_state st;
	struct list_head node;
	bool queued;
	bool stopped;
	u64 busy_ns;
	u64 cmds;
	struct mvgpu_scan_workload wl;
	bool wl_valid;
	bool wl_rejected;
	bool wl_done;
	struct mvgpu_wtrack *wt;
	u64 scans;
	u64 scan_ns;
	u64 scan_rejects;
	const char *scan_last_reason;
	u32 scan_last_fault;
};

/**
 * struct mvgpu_backend_ops - what executes command streams: the "physical
 * GPU".  The reference engine is the only backend today; a hardware backend
 * would implement the same four operations.
 * @name: shown in the kernel log
 * @caps: MVGPU_CAP_* bits the backend provides to every vGPU
 * @engine_init: set up the backend's state for one parent engine
 *	(@eng->backend_priv); called before the engine thread starts
 * @engine_fini: undo @engine_init; the engine thread has stopped
 * @submit: start one time slice of @ve on @eng, executing from the ring
 *	head towards @ring->tail for at most @budget_ns.  Called from @eng's
 *	thread with @ve->lock held; may sleep.  The backend reports the end
 *	of the slice with mvgpu_sched_complete() (the reference engine does
 *	so before returning; hardware would from its completion interrupt).
 * @reset: engine reset of one vGPU: abandon what @ve was executing and
 *	clear its fault (the caller then sets the head).  Called with
 *	@ve->lock held, so no slice of @ve runs.
 */
struct mvgpu_backend_ops {
	const char *name;
	u32 caps;
	int (*engine_init)(struct mvgpu_sched_engine *eng);
	void (*engine_fini)(struct mvgpu_sched_engine *eng);
	void (*submit)(struct mvgpu_sched_engine *eng,
		       struct mvgpu_vgpu_engine *ve,
		       const struct mvgpu_exec_ring *ring, u64 budget_ns);
	void (*reset)(struct mvgpu_vgpu_engine *ve);
};

extern const struct mvgpu_backend_ops mvgpu_ref_backend;

/**
 * struct mvgpu_sched_engine - one engine of the parent, shared by all vGPUs
 * @parent: owner
 * @id: engine number
 * @backend: the backend executing slices
 * @backend_priv: the backend's per-engine state
 * @thread: the engine thread
 * @lock: protects @runq, @running and the vGPU engines' @queued/@stopped
 * @runq: vGPU engines with work, in round-robin order
 * @running: the vGPU engine whose slice runs, or NULL
 * @wq: the engine thread waits here for work
 * @idle_wq: quiescing waits here for @running to change
 * @done: completion of the running slice (mvgpu_sched_complete())
 * @result: how the running slice ended
 * @events: what it did
 */
struct mvgpu_sched_engine {
	struct mvgpu_parent *parent;
	unsigned int id;
	const struct mvgpu_backend_ops *backend;
	void *backend_priv;
	struct task_struct *thread;
	spinlock_t lock;		/* see above */
	struct list_head runq;
	struct mvgpu_vgpu_engine *running;
	wait_queue_head_t wq;
	wait_queue_head_t idle_wq;
	struct completion done;
	enum mvgpu_exec_result result;
	struct mvgpu_exec_events events;
};

/* gvt/sched.c */
int mvgpu_sched_init(struct mvgpu_parent *parent);
void mvgpu_sched_fini(struct mvgpu_parent *parent);
void mvgpu_sched_kick(struct mvgpu_vgpu_engine *ve);
void mvgpu_sched_stop(struct mvgpu_vgpu_engine *ve);
void mvgpu_sched_start(struct mvgpu_vgpu_engine *ve);
void mvgpu_sched_complete(struct mvgpu_sched_engine *eng,
			  enum mvgpu_exec_result result,
			  const struct mvgpu_exec_events *ev);

/* gvt/engine.c */
void mvgpu_engine_init(struct mvgpu_vgpu_engine *ve, struct mvgpu_vgpu *vgpu,
		       struct mvgpu_sched_engine *sched, unsigned int id);
void mvgpu_engine_fini(struct mvgpu_vgpu_engine *ve);
void mvgpu_engine_reset(struct mvgpu_vgpu_engine *ve);
u32 mvgpu_engine_mmio_read(struct mvgpu_vgpu_engine *ve, u32 reg);
void mvgpu_engine_mmio_write(struct mvgpu_vgpu_engine *ve, u32 reg, u32 val);
enum mvgpu_exec_result mvgpu_engine_run_slice(struct mvgpu_vgpu_engine *ve);
extern const struct mvgpu_scan_ops mvgpu_engine_scan_ops;
void mvgpu_engine_drop_workload(struct mvgpu_vgpu_engine *ve);
void mvgpu_engine_scan_rejected(struct mvgpu_vgpu_engine *ve);
const char *mvgpu_engine_fault_name(u32 status);

/* kmod/debugfs.c: write prediction check (test-only, off by default) */
struct mvgpu_wtrack *mvgpu_wtrack_begin(struct mvgpu_vgpu_engine *ve,
					struct mvgpu_scan *sc,
					const struct mvgpu_scan_workload *wl);
bool mvgpu_wtrack_write(struct mvgpu_wtrack *wt, u64 addr, bool local);
void mvgpu_wtrack_settle(struct mvgpu_wtrack *wt, struct mvgpu_scan *sc,
			 const struct mvgpu_scan_workload *wl);
void mvgpu_wtrack_end(struct mvgpu_wtrack *wt);

#endif /* _MVGPU_ENGINE_H */
