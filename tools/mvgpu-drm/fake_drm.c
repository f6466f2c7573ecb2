// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the device half of libmvgpu-drm (mvgpu_drm_lib.c), for
 * testing the client without a guest: BOs, the PPGTT, EXECBUFFER, WAIT,
 * syncobjs and reset statistics emulated in-process on the userspace build
 * of the reference engine's executor (gvt/exec.c, gvt/xlate.c) and the
 * unit tests' fake memory (selftests/unit/exec_fake.c).  Test-only: built
 * as out/mvgpu-drm-fake by "make fake", never shipped.
 *
 * It keeps the driver's rules that matter to a client: a BO is mapped in
 * the PPGTT only once a submission lists it (or it is the batch), unmapped
 * when closed, read-only BOs are mapped without the writable bit, a
 * failed in-fence fails the submission without running it, and a fault
 * or hang fails only the submission that caused it.  Submissions run to
 * completion when queued (a valid schedule: each engine runs in order).
 * The watchdog is MVGPU_PARAM_WATCHDOG_MS of fake time; a semaphore wait
 * advances the fake clock and sleeps by one millisecond per retry.
 *
 * And the device's: the GGTT slice holds each engine's ring (read-only to
 * the engine) and status page where Documentation/guest-driver.rst puts
 * them, a job is written to the ring as the driver writes it (TLB
 * invalidate, batch start, breadcrumb, user interrupt), and every
 * submission is checked by the command scanner (gvt/scan.c) before it
 * runs from the scanner's shadows, as the reference engine does
 * (gvt/ref_engine.c): a rejected batch does not run at all and reports
 * the scanner's verdict as its fault.  An engine reset keeps the GPRs.
 *
 * Fault injection, to show that the client's checks catch what they
 * claim to: MDRM_FAKE_LOSE=N reports submission N (of the process) as
 * completed without running it, a lost GPU write; MDRM_FAKE_NO_SCAN=1
 * runs jobs straight from guest memory without the scanner, as the
 * engine did before it had one (the clock then advances by 0.1 ms per
 * reading, so that a looping batch meets the watchdog).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec_fake.h"
#include "mvgpu_drm_lib.h"
#include "mvgpu_scan.h"

#define FAKE_DMA_PAGES		24576		/* 96 MiB */
#define FAKE_MAX_HANDLES	4096
#define FAKE_MAX_SYNCOBJS	256
/* Statuses kept for WAIT (the driver keeps MVGPU_WAIT_HISTORY). */
#define FAKE_HISTORY		4096
#define FAKE_WATCHDOG_MS	250
#define FAKE_VA_START		(1ull << 20)
#define FAKE_VA_END		(1ull << 47)
/* The driver's GGTT layout: per engine a ring, then its status page. */
#define FAKE_DRM_RING_SIZE	(16u << 10)
#define FAKE_DRM_GGTT_STRIDE	(64u << 10)

struct fake_bo {
	bool live;
	bool bound;
	uint32_t flags;
	uint64_t size;
	uint64_t va;
	u64 dma;
};

struct fake_syncobj {
	bool live;
	bool has_fence;
	int status;
};

static struct {
	struct fake *f;
	u64 desc;
	struct mvgpu_exec_state st[MVGPU_NUM_ENGINES];
	struct mvgpu_exec_ring ring[MVGPU_NUM_ENGINES];
	u32 wptr[MVGPU_NUM_ENGINES];
	uint64_t next_va;
	struct fake_bo bo[FAKE_MAX_HANDLES];
	struct fake_syncobj sync[FAKE_MAX_SYNCOBJS];
	int status[FAKE_HISTORY];
	u32 crumb[MVGPU_NUM_ENGINES];
	struct mvgpu_scan_workload wl;
	struct mvgpu_exec_shadow sh;
	uint64_t seqno;
	uint64_t lose;
	bool no_scan;
	struct drm_mvgpu_reset_stats stats;
} fk;

int mdrm_get_param(struct mdrm_dev *d, uint32_t param, uint64_t *value)
{
	(void)d;
	switch (param) {
	case MVGPU_PARAM_HW_VERSION:
		*value = MVGPU_HW_VERSION_MAJOR << 16 | MVGPU_HW_VERSION_MINOR;
		return 0;
	case MVGPU_PARAM_VGPU_TYPE:
		*value = 8;
		return 0;
	case MVGPU_PARAM_NUM_ENGINES:
		*value = MVGPU_NUM_ENGINES;
		return 0;
	case MVGPU_PARAM_ENGINE_MASK:
		*value = 3;
		return 0;
	case MVGPU_PARAM_GGTT_BASE:
		*value = FAKE_GGTT_BASE;
		return 0;
	case MVGPU_PARAM_GGTT_SIZE:
		*value = FAKE_GGTT_SIZE;
		return 0;
	case MVGPU_PARAM_VRAM_SIZE:
		*value = FAKE_LOCAL_PAGES * FAKE_PAGE;
		return 0;
	case MVGPU_PARAM_VA_START:
		*value = FAKE_VA_START;
		return 0;
	case MVGPU_PARAM_VA_END:
		*value = FAKE_VA_END;
		return 0;
	case MVGPU_PARAM_WATCHDOG_MS:
		*value = FAKE_WATCHDOG_MS;
		return 0;
	case MVGPU_PARAM_MAX_BOS:
		*value = FAKE_MAX_HANDLES;
		return 0;
	case MVGPU_PARAM_RING_SIZE:
		*value = FAKE_DRM_RING_SIZE;
		return 0;
	}
	return mdrm_fail(EINVAL, "GET_PARAM %u", param);
}

int mdrm_open(struct mdrm_dev *d, const char *path)
{
	static const uint32_t params[] = {
		MVGPU_PARAM_HW_VERSION, MVGPU_PARAM_VGPU_TYPE,
		MVGPU_PARAM_NUM_ENGINES, MVGPU_PARAM_ENGINE_MASK,
		MVGPU_PARAM_GGTT_BASE, MVGPU_PARAM_GGTT_SIZE,
		MVGPU_PARAM_VRAM_SIZE, MVGPU_PARAM_VA_START,
		MVGPU_PARAM_VA_END, MVGPU_PARAM_WATCHDOG_MS,
		MVGPU_PARAM_MAX_BOS, MVGPU_PARAM_RING_SIZE,
	};
	uint64_t *dst[] = {
		&d->hw_version, &d->vgpu_type, &d->num_engines,
		&d->engine_mask, &d->ggtt_base, &d->ggtt_size, &d->vram_size,
		&d->va_start, &d->va_end, &d->watchdog_ms, &d->max_bos,
		&d->ring_size,
	};
	unsigned int e, i;

	(void)path;
	memset(d, 0, sizeof(*d));
	if (fk.f)
		return mdrm_fail(EBUSY, "the fake device is open");
	memset(&fk, 0, sizeof(fk));
	fk.f = fake_new(MVGPU_ENGINE_RCS, FAKE_DMA_PAGES);
	fk.f->ex.hang_ns = FAKE_WATCHDOG_MS * 1000000ull;
	fake_ppgtt_enable(fk.f);
	/* as mvgpu_drm: user batches are non-privileged (unless told) */
	fk.desc = fk.f->ring.ctx_desc;
	if (!getenv("MDRM_FAKE_GGTT_USER"))
		fk.desc |= MVGPU_CTX_DESC_NO_GGTT;
	/* fake_new()'s ring and status page give way to the driver's. */
	fake_ggtt_map(fk.f, FAKE_GGTT_BASE, 0, 2 * FAKE_DRM_GGTT_STRIDE, 0);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		u64 base = FAKE_GGTT_BASE + (u64)FAKE_DRM_GGTT_STRIDE * e;
		u64 dma = fake_dma_alloc(fk.f, FAKE_DRM_RING_SIZE / FAKE_PAGE);

		fake_ggtt_map(fk.f, base, dma, FAKE_DRM_RING_SIZE,
			      MVGPU_PTE_PRESENT);
		fake_ggtt_back(fk.f, base + FAKE_DRM_RING_SIZE, FAKE_PAGE);
		mvgpu_exec_state_reset(&fk.st[e], e);
		fk.ring[e].start = base;
		fk.ring[e].size = FAKE_DRM_RING_SIZE;
		fk.ring[e].ctx_desc = fk.desc;
		fk.ring[e].hws = (base + FAKE_DRM_RING_SIZE) |
				 MVGPU_RING_HWS_VALID;
	}
	fk.next_va = FAKE_VA_START;
	if (getenv("MDRM_FAKE_LOSE"))
		fk.lose = strtoull(getenv("MDRM_FAKE_LOSE"), NULL, 0);
	if (getenv("MDRM_FAKE_NO_SCAN")) {
		fk.no_scan = true;
		fk.f->clock_step = 100000;
	}
	d->fd = 1000;
	snprintf(d->node, sizeof(d->node), "(fake)");
	d->drv_major = MDRM_DRIVER_MAJOR;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		mdrm_get_param(d, params[i], dst[i]);
	return 0;
}

void mdrm_close(struct mdrm_dev *d)
{
	if (fk.f)
		fake_free(fk.f);
	fk.f = NULL;
	d->fd = -1;
}

/* ---- buffer objects ----------------------------------------------------- */

static struct fake_bo *lookup(uint32_t handle)
{
	if (!handle || handle >= FAKE_MAX_HANDLES || !fk.bo[handle].live)
		return NULL;
	return &fk.bo[handle];
}

int mdrm_bo_new(struct mdrm_dev *d, struct mdrm_bo *bo, uint64_t size,
		uint32_t flags)
{
	struct fake_bo *b;
	uint32_t h;

	(void)d;
	memset(bo, 0, sizeof(*bo));
	if (!size || flags & ~MVGPU_BO_FLAGS)
		return mdrm_fail(EINVAL, "GEM_CREATE");
	for (h = 1; h < FAKE_MAX_HANDLES && fk.bo[h].live; h++)
		;
	if (h == FAKE_MAX_HANDLES)
		return mdrm_fail(ENOSPC, "GEM_CREATE: out of handles");
	b = &fk.bo[h];
	memset(b, 0, sizeof(*b));
	b->live = true;
	b->flags = flags;
	b->size = (size + FAKE_PAGE - 1) & ~(FAKE_PAGE - 1);
	b->va = fk.next_va;
	/* A guard page after every BO, as the driver leaves. */
	fk.next_va += b->size + FAKE_PAGE;
	b->dma = fake_dma_alloc(fk.f, b->size / FAKE_PAGE);
	bo->handle = h;
	bo->flags = flags;
	bo->size = b->size;
	bo->va = b->va;
	bo->map = fake_dma(fk.f, b->dma);
	memset(bo->map, 0, b->size);
	return 0;
}

void mdrm_bo_free(struct mdrm_dev *d, struct mdrm_bo *bo)
{
	struct fake_bo *b = lookup(bo->handle);

	(void)d;
	if (b) {
		/* Unmapped, so that a later use faults; memory not reused. */
		if (b->bound)
			fake_ppgtt_map(fk.f, b->va, 0, b->size, 0);
		b->live = false;
	}
	memset(bo, 0, sizeof(*bo));
}

int mdrm_bo_info(struct mdrm_dev *d, uint32_t handle,
		 struct drm_mvgpu_gem_info *info)
{
	struct fake_bo *b = lookup(handle);

	(void)d;
	if (!b)
		return mdrm_fail(ENOENT, "GEM_INFO of handle %u", handle);
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	info->flags = b->flags;
	info->size = b->size;
	info->gpu_va = b->va;
	return 0;
}

static void bind(struct fake_bo *b)
{
	if (b->bound)
		return;
	fake_ppgtt_map(fk.f, b->va, b->dma, b->size, MVGPU_PTE_PRESENT |
		       (b->flags & MVGPU_BO_READONLY ? 0 : MVGPU_PTE_WRITABLE));
	b->bound = true;
}

/* ---- submission --------------------------------------------------------- */

static void *scan_alloc(void *priv, size_t size)
{
	(void)priv;
	return malloc(size);
}

static void scan_free(void *priv, void *p)
{
	(void)priv;
	free(p);
}

static const struct mvgpu_scan_ops scan_ops = {
	.alloc = scan_alloc,
	.free = scan_free,
};

/* The shadow of the batch run at (@ppgtt, @gaddr) in the checked job. */
static const u8 *shadow_batch(void *priv, bool ppgtt, u64 gaddr, u32 *len)
{
	const struct mvgpu_scan_batch *b;

	(void)priv;
	b = mvgpu_scan_find_batch(&fk.wl, ppgtt ? MVGPU_XLATE_PPGTT :
						  MVGPU_XLATE_GGTT, gaddr);
	if (!b)
		return NULL;
	*len = b->len;
	return fk.wl.buf + b->off;
}

/* Write a job into engine @e's ring as the driver does. */
static void emit_job(struct fake *f, unsigned int e, uint64_t va)
{
	u64 crumb = (f->ring.hws & ~(u64)MVGPU_RING_HWS_VALID) +
		    MVGPU_HWS_SEQNO;

	if (e == MVGPU_ENGINE_RCS)
		EMIT(f, MVGPU_PIPE_CONTROL,
		     MVGPU_PC_TLB_INVALIDATE | MVGPU_PC_CS_STALL, 0, 0, 0, 0);
	else
		EMIT(f, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_TLB_INVALIDATE,
		     0, 0, 0);
	EMIT(f, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT, (u32)va,
	     (u32)(va >> 32) & 0xffff);
	fk.crumb[e]++;
	if (e == MVGPU_ENGINE_RCS)
		EMIT(f, MVGPU_PIPE_CONTROL,
		     MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT | MVGPU_PC_CS_STALL,
		     (u32)crumb, (u32)(crumb >> 32) & 0xffff, fk.crumb[e], 0);
	else
		EMIT(f, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
		     (u32)crumb | MVGPU_MI_FLUSH_DW_USE_GGTT,
		     (u32)(crumb >> 32) & 0xffff, fk.crumb[e]);
	EMIT(f, MVGPU_MI_USER_INTERRUPT);
	fake_submit(f);
}

/*
 * Check the job [head, tail) with the scanner, as the reference engine
 * does before it runs anything (MVGPU_SCAN_KEEP_PREFIX, default limits),
 * and point the executor at the shadows: a rejected job halts with the
 * scanner's verdict where the offending ring command starts.
 */
static void scan_job(struct fake *f, unsigned int e, struct mvgpu_scan *sc)
{
	bool rejected;

	memset(sc, 0, sizeof(*sc));
	sc->ex = &f->ex;
	sc->ops = &scan_ops;
	sc->flags = MVGPU_SCAN_KEEP_PREFIX | mvgpu_scan_ctx_flags(f->ring.ctx_desc);
	mvgpu_scan_default_limits(&sc->limits);
	memset(&fk.wl, 0, sizeof(fk.wl));
	if (fk.no_scan)
		return;
	rejected = mvgpu_scan_workload(sc, e, &f->ring, f->st.head, &fk.wl);
	memset(&fk.sh, 0, sizeof(fk.sh));
	fk.sh.ring = fk.wl.buf;
	fk.sh.head = fk.wl.head;
	fk.sh.len = fk.wl.ring_copied;
	fk.sh.tail = rejected ? fk.wl.verdict.ring_off : fk.wl.tail;
	fk.sh.halt = rejected ? &fk.wl.verdict.fault : NULL;
	fk.sh.batch = shadow_batch;
	f->ex.shadow = &fk.sh;
}

/* Run the batch at @va on engine @e to completion; its status. */
static int run_batch(unsigned int e, uint64_t va, uint64_t seqno)
{
	struct fake *f = fk.f;
	enum mvgpu_exec_result r;
	struct mvgpu_scan sc;
	int status = 0;

	f->st = fk.st[e];
	f->ring = fk.ring[e];
	f->wptr = fk.wptr[e];
	emit_job(f, e, va);
	scan_job(f, e, &sc);
	for (;;) {
		r = fake_run(f, ~0ull);
		if (r == MVGPU_EXEC_IDLE)
			break;
		if (r == MVGPU_EXEC_WAIT) {
			f->now += 1000000;
			usleep(1000);
			continue;
		}
		if (r == MVGPU_EXEC_FAULT) {
			struct mvgpu_exec_fault *ft = &f->st.fault;
			bool hang = (ft->status & MVGPU_FAULT_TYPE_MASK) ==
				    MVGPU_FAULT_HANG;
			u64 gpr[MVGPU_CS_GPR_COUNT];

			status = hang ? -ETIMEDOUT : -EIO;
			if (hang)
				fk.stats.hangs++;
			else
				fk.stats.faults++;
			fk.stats.last_engine = e;
			fk.stats.last_fault_status = ft->status;
			fk.stats.last_fault_instr = ft->instr;
			fk.stats.last_fault_addr = ft->addr;
			fk.stats.last_fault_cmd = ft->cmd_addr;
			fk.stats.last_seqno = seqno;
			/*
			 * ENGINE_RESET: the rest of the ring is abandoned,
			 * the GPRs are kept.
			 */
			memcpy(gpr, f->st.gpr, sizeof(gpr));
			mvgpu_exec_state_reset(&f->st, e);
			memcpy(f->st.gpr, gpr, sizeof(gpr));
			f->st.head = f->ring.tail;
			break;
		}
	}
	f->ex.shadow = NULL;
	mvgpu_scan_workload_free(&sc, &fk.wl);
	/* A job that completed has landed its breadcrumb. */
	if (!status && fake_get32(f, MVGPU_XLATE_GGTT,
				  (f->ring.hws & ~(u64)MVGPU_RING_HWS_VALID) +
				  MVGPU_HWS_SEQNO) != fk.crumb[e])
		status = -EPROTO;
	fk.st[e] = f->st;
	fk.ring[e] = f->ring;
	fk.wptr[e] = f->wptr;
	return status;
}

static struct fake_syncobj *sync_lookup(uint32_t h)
{
	if (!h || h >= FAKE_MAX_SYNCOBJS || !fk.sync[h].live)
		return NULL;
	return &fk.sync[h];
}

int mdrm_exec(struct mdrm_dev *d, const struct mdrm_exec *x,
	      uint64_t *seqno)
{
	struct fake_bo *batch = lookup(x->batch->handle);
	struct fake_syncobj *in = NULL, *out = NULL;
	unsigned int i;
	int status;

	(void)d;
	if (x->engine >= MVGPU_NUM_ENGINES || !x->len || x->len % 4 ||
	    x->offset % 4)
		return mdrm_fail(EINVAL, "EXECBUFFER");
	if (!batch)
		return mdrm_fail(ENOENT, "EXECBUFFER: batch handle");
	if ((uint64_t)x->offset + x->len > batch->size)
		return mdrm_fail(EINVAL, "EXECBUFFER: range");
	for (i = 0; i < x->nr_bos; i++)
		if (!lookup(x->bos[i]->handle))
			return mdrm_fail(ENOENT, "EXECBUFFER: handle %u",
					 x->bos[i]->handle);
	if (x->in_syncobj) {
		in = sync_lookup(x->in_syncobj);
		if (!in)
			return mdrm_fail(ENOENT, "EXECBUFFER: in-syncobj");
		if (!in->has_fence)
			return mdrm_fail(EINVAL, "EXECBUFFER: in-syncobj without a fence");
	}
	if (x->out_syncobj) {
		out = sync_lookup(x->out_syncobj);
		if (!out)
			return mdrm_fail(ENOENT, "EXECBUFFER: out-syncobj");
	}
	for (i = 0; i < x->nr_bos; i++)
		bind(lookup(x->bos[i]->handle));
	bind(batch);
	*seqno = ++fk.seqno;
	if (in && in->status < 0)
		status = in->status;
	else if (fk.lose == *seqno)
		status = 0;
	else
		status = run_batch(x->engine, batch->va + x->offset, *seqno);
	fk.status[*seqno % FAKE_HISTORY] = status;
	if (out) {
		out->has_fence = true;
		out->status = status;
	}
	return 0;
}

int mdrm_wait(struct mdrm_dev *d, uint64_t seqno, int64_t timeout_ns,
	      int *status)
{
	(void)d;
	(void)timeout_ns;
	if (!seqno || seqno > fk.seqno)
		return mdrm_fail(EINVAL, "WAIT for submission %llu",
				 (unsigned long long)seqno);
	/* Expired statuses read 0, as with MVGPU_WAIT_EXPIRED. */
	*status = seqno + FAKE_HISTORY > fk.seqno ?
		  fk.status[seqno % FAKE_HISTORY] : 0;
	return 0;
}

int mdrm_reset_stats(struct mdrm_dev *d, struct drm_mvgpu_reset_stats *s)
{
	(void)d;
	*s = fk.stats;
	return 0;
}

/* ---- syncobjs ----------------------------------------------------------- */

int mdrm_syncobj_new(struct mdrm_dev *d, uint32_t *handle)
{
	uint32_t h;

	(void)d;
	for (h = 1; h < FAKE_MAX_SYNCOBJS && fk.sync[h].live; h++)
		;
	if (h == FAKE_MAX_SYNCOBJS)
		return mdrm_fail(ENOSPC, "syncobj create");
	memset(&fk.sync[h], 0, sizeof(fk.sync[h]));
	fk.sync[h].live = true;
	*handle = h;
	return 0;
}

void mdrm_syncobj_free(struct mdrm_dev *d, uint32_t handle)
{
	struct fake_syncobj *s = sync_lookup(handle);

	(void)d;
	if (s)
		s->live = false;
}

int mdrm_syncobj_wait(struct mdrm_dev *d, uint32_t handle,
		      int64_t timeout_ns)
{
	struct fake_syncobj *s = sync_lookup(handle);

	(void)d;
	(void)timeout_ns;
	if (!s)
		return mdrm_fail(ENOENT, "syncobj wait on %u", handle);
	if (!s->has_fence)
		return mdrm_fail(EINVAL, "syncobj wait on %u", handle);
	return 0;
}

int mdrm_syncobj_status(struct mdrm_dev *d, uint32_t handle, int *status)
{
	struct fake_syncobj *s = sync_lookup(handle);

	(void)d;
	if (!s || !s->has_fence)
		return mdrm_fail(EINVAL, "syncobj export of %u", handle);
	*status = s->status < 0 ? s->status : 1;
	return 0;
}
