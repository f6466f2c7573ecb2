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
 * Fault injection, to show that the client's checks catch what they
 * claim to: MDRM_FAKE_LOSE=N reports submission N (of the process) as
 * completed without running it, a lost GPU write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec_fake.h"
#include "mvgpu_drm_lib.h"

#define FAKE_DMA_PAGES		24576		/* 96 MiB */
#define FAKE_MAX_HANDLES	4096
#define FAKE_MAX_SYNCOBJS	256
/* Statuses kept for WAIT (the driver keeps MVGPU_WAIT_HISTORY). */
#define FAKE_HISTORY		4096
#define FAKE_WATCHDOG_MS	250
#define FAKE_VA_START		(1ull << 20)
#define FAKE_VA_END		(1ull << 47)

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
	uint64_t seqno;
	uint64_t lose;
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
		*value = FAKE_RING_SIZE;
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
	fk.desc = fk.f->ring.ctx_desc;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		/* Engine e's ring and status page, 64 KiB apart. */
		u64 base = FAKE_RING_GADDR + 0x20000ull * e;

		if (e)
			fake_ggtt_back(fk.f, base, FAKE_RING_SIZE);
		mvgpu_exec_state_reset(&fk.st[e], e);
		fk.ring[e].start = base;
		fk.ring[e].size = FAKE_RING_SIZE;
		fk.ring[e].ctx_desc = fk.desc;
		fk.ring[e].hws = fk.f->ring.hws;
	}
	fk.next_va = FAKE_VA_START;
	if (getenv("MDRM_FAKE_LOSE"))
		fk.lose = strtoull(getenv("MDRM_FAKE_LOSE"), NULL, 0);
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

/* Run the batch at @va on engine @e to completion; its status. */
static int run_batch(unsigned int e, uint64_t va, uint64_t seqno)
{
	struct fake *f = fk.f;
	enum mvgpu_exec_result r;
	int status = 0;

	f->st = fk.st[e];
	f->ring = fk.ring[e];
	f->wptr = fk.wptr[e];
	EMIT(f, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT, (u32)va,
	     (u32)(va >> 32) & 0xffff);
	fake_submit(f);
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
			/* ENGINE_RESET: the rest of the ring is abandoned. */
			mvgpu_exec_state_reset(&f->st, e);
			f->st.head = f->ring.tail;
			break;
		}
	}
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
