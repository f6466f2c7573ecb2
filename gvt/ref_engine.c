// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the reference engine, the default backend ("physical GPU").
 *
 * It executes a vGPU's command stream on the CPU, in the parent engine's
 * thread, with the pure executor of gvt/exec.c.  It reaches memory the way
 * a DMA device would: graphics addresses go through the vGPU's own GGTT or
 * PPGTT (gvt/xlate.c), DMA addresses through host pages pinned for the vGPU
 * (kmod/dma.c), local addresses through the vGPU's BAR2 pages.  Nothing
 * here tells the VMM about the pages it writes: that is the dirty-log
 * tracker's job.
 */
#include <linux/slab.h>

#include "mvgpu.h"

/**
 * struct mvgpu_ref_engine - reference backend state of one parent engine
 * @ex: executor context; its translation cache lives for one slice
 * @sh: shadow of the running slice's workload (what @ex executes)
 * @ve: the vGPU engine whose slice runs, NULL between slices
 * @wt: while the executor runs with the write check armed: where the
 *	pages it maps for writing are recorded; NULL otherwise (also while
 *	scanning, which maps pages for writing only to check them)
 * @spare: the memory of the last workload that ran to its end on this
 *	engine (shadow buffer, records, write set, audit cache), for the
 *	next scan (mvgpu_ref_keep()); used only in the engine's thread
 */
struct mvgpu_ref_engine {
	struct mvgpu_exec ex;
	struct mvgpu_exec_shadow sh;
	struct mvgpu_vgpu_engine *ve;
	struct mvgpu_wtrack *wt;
	struct mvgpu_scan_workload spare;
};

static int mvgpu_ref_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct mvgpu_ref_engine *re = priv;

	return mvgpu_ggtt_pte(&re->ve->vgpu->ggtt, gaddr, pte);
}

static void *mvgpu_ref_map_page(void *priv, u64 addr, bool local, bool write,
				u32 *fault)
{
	struct mvgpu_ref_engine *re = priv;
	struct mvgpu_vgpu *vgpu = re->ve->vgpu;
	struct page *page;
	void *p;

	if (!local) {
		p = mvgpu_dma_page(vgpu, addr, write, fault);
	} else {
		page = mvgpu_vram_page(&vgpu->vram, addr);
		if (IS_ERR(page)) {
			/* -ENOMEM: the host is out of memory, not the guest's. */
			*fault = PTR_ERR(page) == -ERANGE ?
				 MVGPU_FAULT_LOCAL_RANGE : MVGPU_FAULT_DMA;
			return NULL;
		}
		p = page_address(page);
	}
	if (p && write && re->wt && mvgpu_wtrack_write(re->wt, addr, local)) {
		struct mvgpu_wtrack *wt = re->wt;
		struct mvgpu_scan sc = {
			.ex = &re->ex,
			.ops = &mvgpu_engine_scan_ops,
		};

		/* not predicted as first resolved: look again with the tables
		 * this write was translated through (no recording meanwhile)
		 */
		re->wt = NULL;
		mvgpu_wtrack_settle(wt, &sc, &re->ve->wl);
		re->wt = wt;
	}
	return p;
}

static u64 mvgpu_ref_now_ns(void *priv)
{
	struct mvgpu_ref_engine *re = priv;

	return mvgpu_vgpu_now_ns(re->ve->vgpu);
}

static const struct mvgpu_exec_ops mvgpu_ref_exec_ops = {
	.ggtt_pte	= mvgpu_ref_ggtt_pte,
	.map_page	= mvgpu_ref_map_page,
	.now_ns		= mvgpu_ref_now_ns,
};

/* The copy of the batch run at (@ppgtt, @gaddr) in the running workload. */
static const u8 *mvgpu_ref_shadow_batch(void *priv, bool ppgtt, u64 gaddr,
					u32 *len)
{
	struct mvgpu_ref_engine *re = priv;
	const struct mvgpu_scan_workload *wl = &re->ve->wl;
	const struct mvgpu_scan_batch *b;

	b = mvgpu_scan_find_batch(wl, ppgtt ? MVGPU_XLATE_PPGTT :
					      MVGPU_XLATE_GGTT, gaddr);
	if (!b)
		return NULL;
	*len = b->len;
	return wl->buf + b->off;
}

static int mvgpu_ref_engine_init(struct mvgpu_sched_engine *eng)
{
	struct mvgpu_ref_engine *re;

	re = kzalloc(sizeof(*re), GFP_KERNEL);
	if (!re)
		return -ENOMEM;
	re->ex.ops = &mvgpu_ref_exec_ops;
	re->ex.priv = re;
	re->sh.batch = mvgpu_ref_shadow_batch;
	re->sh.priv = re;
	eng->backend_priv = re;
	return 0;
}

static void mvgpu_ref_engine_fini(struct mvgpu_sched_engine *eng)
{
	struct mvgpu_ref_engine *re = eng->backend_priv;
	struct mvgpu_scan sc = { .ops = &mvgpu_engine_scan_ops };

	if (re)
		mvgpu_scan_workload_free(&sc, &re->spare);
	kfree(re);
	eng->backend_priv = NULL;
}

/*
 * @ve's workload ran to its end (or faulted): keep its memory for the
 * next scan on this engine, whichever vGPU it is for, instead of freeing
 * it and allocating (and faulting in) the same again per submission.
 * One workload's memory is kept per parent engine, never more than the
 * scan limits allow; its stale bytes are never read, since a scan reads
 * and the executor fetches only what that scan copied.  @ve->wl keeps its
 * result (verdict) but no memory, so the drop that follows frees nothing.
 */
static void mvgpu_ref_keep(struct mvgpu_ref_engine *re,
			   struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_scan sc = { .ops = &mvgpu_engine_scan_ops };
	struct mvgpu_scan_verdict v = ve->wl.verdict;

	mvgpu_scan_workload_free(&sc, &re->spare);
	re->spare = ve->wl;
	memset(&ve->wl, 0, sizeof(ve->wl));
	ve->wl.verdict = v;
}

/*
 * Check the workload [head, RING_TAIL) before any of it runs: copy it into
 * shadows, scan them, keep them in @ve until the workload is over.  A
 * rejected workload keeps the shadows of the ring commands before the
 * offending one, which run (the prefix rule of hw-interface.rst).
 */
static void mvgpu_ref_scan(struct mvgpu_ref_engine *re,
			   struct mvgpu_vgpu_engine *ve,
			   const struct mvgpu_exec_ring *ring)
{
	struct mvgpu_scan sc = {
		.ex = &re->ex,
		.ops = &mvgpu_engine_scan_ops,
		.flags = MVGPU_SCAN_KEEP_PREFIX |
			 mvgpu_scan_ctx_flags(ring->ctx_desc),
	};
	u64 t0 = ktime_get_ns();
	int ret;

	mvgpu_scan_default_limits(&sc.limits);
	/* (no workload: @ve->wl holds no memory) */
	mvgpu_scan_workload_free(&sc, &ve->wl);
	ve->wl = re->spare;
	memset(&re->spare, 0, sizeof(re->spare));
	ret = mvgpu_scan_workload_reuse(&sc, ve->id, ring, ve->st.head,
					&ve->wl);
	WRITE_ONCE(ve->scan_ns, ve->scan_ns + ktime_get_ns() - t0);
	WRITE_ONCE(ve->scans, ve->scans + 1);
	ve->wl_valid = true;
	ve->wl_rejected = ret;
	if (ret)
		mvgpu_engine_scan_rejected(ve);
	ve->wt = mvgpu_wtrack_begin(ve, &sc, &ve->wl);
}

/* Point the executor at @ve's workload; @xring gets the ring it runs. */
static void mvgpu_ref_shadow(struct mvgpu_ref_engine *re,
			     struct mvgpu_vgpu_engine *ve,
			     const struct mvgpu_exec_ring *ring,
			     struct mvgpu_exec_ring *xring)
{
	const struct mvgpu_scan_workload *wl = &ve->wl;
	struct mvgpu_exec_shadow *sh = &re->sh;

	/* the ring as it was checked; tables and status page live */
	*xring = *ring;
	xring->start = wl->ring_start;
	xring->size = wl->ring_size;
	sh->ring = wl->buf;
	sh->head = wl->head;
	sh->len = wl->ring_copied;
	if (ve->wl_rejected) {
		sh->tail = wl->verdict.ring_off;
		sh->halt = &wl->verdict.fault;
		sh->more = false;
	} else {
		sh->tail = wl->tail;
		sh->halt = NULL;
		sh->more = ring->tail != wl->tail;
	}
	re->ex.shadow = sh;
}

/*
 * Runs the whole slice before returning.  The vGPU's DMA pins stay valid
 * for it: the DMA lock is held for reading, and unmapping takes it for
 * writing.  Workloads are checked and run one after the other while the
 * budget lasts; a workload may also span many slices.
 */
static void mvgpu_ref_submit(struct mvgpu_sched_engine *eng,
			     struct mvgpu_vgpu_engine *ve,
			     const struct mvgpu_exec_ring *ring, u64 budget_ns)
{
	struct mvgpu_ref_engine *re = eng->backend_priv;
	struct mvgpu_vgpu *vgpu = ve->vgpu;
	struct mvgpu_exec_events ev = { 0 }, one;
	struct mvgpu_exec_ring xring;
	enum mvgpu_exec_result res;
	u64 start = ktime_get_ns(), left = budget_ns, used;
	bool done;

	re->ve = ve;
	re->ex.hang_ns = (u64)vgpu->parent->hang_ms * NSEC_PER_MSEC;
	down_read(&vgpu->dma.sem);
	for (;;) {
		if (ve->wl_done)
			mvgpu_engine_drop_workload(ve);
		if (!ve->wl_valid) {
			/* a batch in progress always has its workload */
			if (WARN_ON_ONCE(ve->st.depth))
				ve->st.depth = 0;
			mvgpu_ref_scan(re, ve, ring);
		}
		mvgpu_ref_shadow(re, ve, ring, &xring);
		re->wt = ve->wt;
		res = mvgpu_exec_run(&re->ex, &ve->st, &xring, left, &one);
		re->wt = NULL;
		if (ve->wt) {
			struct mvgpu_scan sc = {
				.ex = &re->ex,
				.ops = &mvgpu_engine_scan_ops,
			};

			mvgpu_wtrack_settle(ve->wt, &sc, &ve->wl);
		}
		ev.user |= one.user;
		ev.complete = one.complete;
		ev.cmds += one.cmds;
		ev.bytes += one.bytes;

		done = res == MVGPU_EXEC_FAULT ||
		       (!ve->st.depth && ve->st.head == re->sh.tail);
		used = ktime_get_ns() - start;
		/* the next workload is already queued: go on if time is left */
		if (done)
			mvgpu_ref_keep(re, ve);
		if (res != MVGPU_EXEC_YIELD || !done || used >= budget_ns) {
			/* dropped once the slice is published (engine.c) */
			ve->wl_done = done;
			break;
		}
		mvgpu_engine_drop_workload(ve);
		left = budget_ns - used;
	}
	up_read(&vgpu->dma.sem);
	/* mvgpu_exec_run() emptied its TLB: no page pointer outlives it. */
	re->ex.shadow = NULL;
	re->ve = NULL;
	mvgpu_sched_complete(eng, res, &ev);
}

/* Engine reset: drop the stream and the fault, keep the GPRs. */
static void mvgpu_ref_reset(struct mvgpu_vgpu_engine *ve)
{
	u64 gpr[MVGPU_CS_GPR_COUNT];

	memcpy(gpr, ve->st.gpr, sizeof(gpr));
	mvgpu_exec_state_reset(&ve->st, ve->id);
	memcpy(ve->st.gpr, gpr, sizeof(gpr));
}

const struct mvgpu_backend_ops mvgpu_ref_backend = {
	.name		= "reference engine",
	.caps		= MVGPU_CAP_ENGINES,
	.engine_init	= mvgpu_ref_engine_init,
	.engine_fini	= mvgpu_ref_engine_fini,
	.submit		= mvgpu_ref_submit,
	.reset		= mvgpu_ref_reset,
};
