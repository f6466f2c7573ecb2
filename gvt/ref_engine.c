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
 */
struct mvgpu_ref_engine {
	struct mvgpu_exec ex;
};

static int mvgpu_ref_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct mvgpu_vgpu *vgpu = priv;

	return mvgpu_ggtt_pte(&vgpu->ggtt, gaddr, pte);
}

static void *mvgpu_ref_map_page(void *priv, u64 addr, bool local, bool write,
				u32 *fault)
{
	struct mvgpu_vgpu *vgpu = priv;
	struct page *page;

	if (!local)
		return mvgpu_dma_page(vgpu, addr, write, fault);

	page = mvgpu_vram_page(&vgpu->vram, addr);
	if (IS_ERR(page)) {
		/* -ENOMEM: the host is out of memory, not the guest's fault. */
		*fault = PTR_ERR(page) == -ERANGE ? MVGPU_FAULT_LOCAL_RANGE :
						    MVGPU_FAULT_DMA;
		return NULL;
	}
	return page_address(page);
}

static u64 mvgpu_ref_now_ns(void *priv)
{
	return mvgpu_vgpu_now_ns(priv);
}

static const struct mvgpu_exec_ops mvgpu_ref_exec_ops = {
	.ggtt_pte	= mvgpu_ref_ggtt_pte,
	.map_page	= mvgpu_ref_map_page,
	.now_ns		= mvgpu_ref_now_ns,
};

static int mvgpu_ref_engine_init(struct mvgpu_sched_engine *eng)
{
	struct mvgpu_ref_engine *re;

	re = kzalloc(sizeof(*re), GFP_KERNEL);
	if (!re)
		return -ENOMEM;
	re->ex.ops = &mvgpu_ref_exec_ops;
	eng->backend_priv = re;
	return 0;
}

static void mvgpu_ref_engine_fini(struct mvgpu_sched_engine *eng)
{
	kfree(eng->backend_priv);
	eng->backend_priv = NULL;
}

/*
 * Runs the whole slice before returning.  The vGPU's DMA pins stay valid
 * for it: the DMA lock is held for reading, and unmapping takes it for
 * writing.
 */
static void mvgpu_ref_submit(struct mvgpu_sched_engine *eng,
			     struct mvgpu_vgpu_engine *ve,
			     const struct mvgpu_exec_ring *ring, u64 budget_ns)
{
	struct mvgpu_ref_engine *re = eng->backend_priv;
	struct mvgpu_vgpu *vgpu = ve->vgpu;
	struct mvgpu_exec_events ev;
	enum mvgpu_exec_result res;

	re->ex.priv = vgpu;
	re->ex.hang_ns = (u64)vgpu->parent->hang_ms * NSEC_PER_MSEC;
	down_read(&vgpu->dma.sem);
	res = mvgpu_exec_run(&re->ex, &ve->st, ring, budget_ns, &ev);
	up_read(&vgpu->dma.sem);
	/* mvgpu_exec_run() emptied its TLB: no page pointer outlives it. */
	re->ex.priv = NULL;
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
