// SPDX-License-Identifier: GPL-2.0
/* Scanner versus executor on one fixed memory (see scan_world.h). */
#include <stdio.h>
#include <stdlib.h>

#include "scan_world.h"

#define P_RW		(MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE)
#define P_RO		MVGPU_PTE_PRESENT
#define RING_DW		(WORLD_RING_BYTES / 4)

static void *world_alloc(void *priv, size_t size)
{
	struct world *w = priv;

	if (w->fail_alloc_after == 0)
		return NULL;
	if (w->fail_alloc_after > 0)
		w->fail_alloc_after--;
	w->live_allocs++;
	return malloc(size);
}

static void world_release(void *priv, void *p)
{
	struct world *w = priv;

	w->live_allocs--;
	free(p);
}

static const struct mvgpu_scan_ops world_ops = {
	.alloc = world_alloc,
	.free = world_release,
};

/* Data pages of one view: 5 read-only, 6 absent, 7 unmapped DMA. */
static void world_data(struct world *w, enum mvgpu_xlate_space space,
		       u64 gaddr, u64 dma)
{
	struct fake *f = w->f;
	unsigned int i;

	for (i = 0; i < WORLD_DATA_PAGES; i++) {
		u64 pte = (dma + i * FAKE_PAGE) |
			  (i == WORLD_PAGE_RO ? P_RO : P_RW);

		if (i == WORLD_PAGE_ABSENT)
			pte = 0;
		if (space == MVGPU_XLATE_GGTT)
			fake_ggtt_set(f, gaddr + i * FAKE_PAGE, pte);
		else
			fake_ppgtt_set(f, gaddr + i * FAKE_PAGE, pte);
	}
	fake_dma_set_flags(f, dma + WORLD_PAGE_NODMA * FAKE_PAGE,
			   FAKE_DMA_UNMAPPED);
}

struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof(*w));
	struct fake *f;
	u64 a;

	if (!w)
		abort();
	f = fake_new(MVGPU_ENGINE_RCS, 256);
	w->f = f;
	fake_ppgtt_enable(f);
	w->ctx_desc = f->ring.ctx_desc;
	w->gdata_dma = fake_dma_alloc(f, WORLD_DATA_PAGES);
	w->pdata_dma = fake_dma_alloc(f, WORLD_DATA_PAGES);
	w->batch_dma = fake_dma_alloc(f, WORLD_BATCH_PAGES);
	world_data(w, MVGPU_XLATE_GGTT, WORLD_GDATA, w->gdata_dma);
	world_data(w, MVGPU_XLATE_PPGTT, WORLD_PDATA, w->pdata_dma);
	fake_ggtt_map(f, WORLD_GBATCH, w->batch_dma, WORLD_BATCH_BYTES, P_RO);
	fake_ppgtt_map(f, WORLD_PBATCH, w->batch_dma, WORLD_BATCH_BYTES, P_RO);
	/* commands may not write the ring either */
	for (a = 0; a < FAKE_RING_SIZE; a += FAKE_PAGE)
		fake_ggtt_set(f, FAKE_RING_GADDR + a,
			      fake_ggtt_get(f, FAKE_RING_GADDR + a) &
			      ~MVGPU_PTE_WRITABLE);
	w->sc.ex = &f->ex;
	w->sc.ops = &world_ops;
	w->sc.priv = w;
	mvgpu_scan_default_limits(&w->sc.limits);
	w->fail_alloc_after = -1;
	w->before = malloc((2 * WORLD_DATA_PAGES + 1) * FAKE_PAGE);
	if (!w->before)
		abort();
	return w;
}

void world_free(struct world *w)
{
	mvgpu_scan_workload_free(&w->sc, &w->wl);
	fake_free(w->f);
	free(w->before);
	free(w);
}

/* The pages commands can write: both data views and the status page. */
static u8 *world_page(struct world *w, unsigned int i, u64 *dma)
{
	if (i < WORLD_DATA_PAGES)
		*dma = w->gdata_dma + i * FAKE_PAGE;
	else if (i < 2 * WORLD_DATA_PAGES)
		*dma = w->pdata_dma + (i - WORLD_DATA_PAGES) * FAKE_PAGE;
	else
		*dma = fake_ggtt_get(w->f, FAKE_HWS_GADDR) & MVGPU_PTE_ADDR_MASK;
	return fake_dma(w->f, *dma);
}

void world_load(struct world *w, const u8 *blob, size_t size)
{
	struct fake *f = w->f;
	u8 cfg[WORLD_CFG_BYTES] = { 0 };
	u64 ring_dma = fake_ggtt_get(f, FAKE_RING_GADDR) & MVGPU_PTE_ADDR_MASK;
	u8 *ring = fake_dma(f, ring_dma), *batch = fake_dma(f, w->batch_dma);
	unsigned int i;
	size_t n;
	u64 dma;

	mvgpu_scan_workload_free(&w->sc, &w->wl);
	memcpy(cfg, blob, size < sizeof(cfg) ? size : sizeof(cfg));
	blob += sizeof(cfg) < size ? sizeof(cfg) : size;
	size -= sizeof(cfg) < size ? sizeof(cfg) : size;
	n = size < WORLD_RING_BYTES ? size : WORLD_RING_BYTES;
	memset(ring, 0, WORLD_RING_BYTES);
	memcpy(ring, blob, n);
	blob += n;
	size -= n;
	n = size < WORLD_BATCH_BYTES ? size : WORLD_BATCH_BYTES;
	memset(batch, 0, WORLD_BATCH_BYTES);
	memcpy(batch, blob, n);

	mvgpu_exec_state_reset(&f->st, cfg[0] & WORLD_CFG_BCS ?
			       MVGPU_ENGINE_BCS : MVGPU_ENGINE_RCS);
	f->st.head = (4u * (cfg[2] | cfg[3] << 8)) % WORLD_RING_BYTES;
	f->ring.tail = (8u * (cfg[4] | cfg[5] << 8)) % WORLD_RING_BYTES;
	f->ring.ctx_desc = cfg[0] & WORLD_CFG_NO_PPGTT ? 0 : w->ctx_desc;
	f->ring.hws = cfg[0] & WORLD_CFG_NO_HWS ? 0 :
		      FAKE_HWS_GADDR | MVGPU_RING_HWS_VALID;
	w->sc.flags = cfg[0] & WORLD_CFG_STRICT ? MVGPU_SCAN_PPGTT_NO_GGTT : 0;
	for (i = 0; i < 2 * WORLD_DATA_PAGES + 1; i++) {
		u8 *p = world_page(w, i, &dma);

		memset(p, 0, FAKE_PAGE);
		memset(w->before + (size_t)i * FAKE_PAGE, 0, FAKE_PAGE);
	}
	mvgpu_xlate_flush(&f->ex);
}

int world_scan(struct world *w)
{
	struct fake *f = w->f;

	mvgpu_scan_workload_free(&w->sc, &w->wl);
	return mvgpu_scan_workload(&w->sc, f->st.engine, &f->ring, f->st.head,
				   &w->wl);
}

/* Resolved write pages, collected for world_check(). */
struct world_pages {
	u64 addr[4 * WORLD_DATA_PAGES];
	unsigned int nr;
	bool overflow;
};

static int world_collect(void *priv, u64 addr, bool local)
{
	struct world_pages *wp = priv;

	if (local)
		return 0;
	if (wp->nr == ARRAY_SIZE(wp->addr)) {
		wp->overflow = true;
		return 0;
	}
	wp->addr[wp->nr++] = addr;
	return 0;
}

static enum world_outcome world_mismatch(struct world *w, const char *what)
{
	const struct mvgpu_scan_verdict *v = &w->wl.verdict;
	const struct mvgpu_exec_fault *x = &w->f->st.fault;

	snprintf(w->msg, sizeof(w->msg),
		 "%s: scan %x/%x/%llx/%llx (%s), exec %x/%x/%llx/%llx", what,
		 v->fault.status, v->fault.instr,
		 (unsigned long long)v->fault.addr,
		 (unsigned long long)v->fault.cmd_addr, v->reason,
		 x->status, x->instr, (unsigned long long)x->addr,
		 (unsigned long long)x->cmd_addr);
	return WORLD_MISMATCH;
}

/* Every page the executor changed must have been predicted. */
static enum world_outcome world_writes(struct world *w)
{
	struct world_pages wp = { .nr = 0 };
	unsigned int i, j;
	int n;

	w->fail_alloc_after = -1;	/* the scan is over */
	n = mvgpu_scan_resolve_writes(&w->sc, &w->wl, world_collect, &wp);
	if (n < 0)
		return world_mismatch(w, "resolve failed");
	if (wp.overflow)
		return WORLD_SAME_OK;	/* a superset too large to list */
	for (i = 0; i < 2 * WORLD_DATA_PAGES + 1; i++) {
		u64 dma;
		u8 *p = world_page(w, i, &dma);

		if (!memcmp(p, w->before + (size_t)i * FAKE_PAGE, FAKE_PAGE))
			continue;
		for (j = 0; j < wp.nr && wp.addr[j] != dma; j++)
			;
		if (j == wp.nr) {
			snprintf(w->msg, sizeof(w->msg),
				 "page %u (dma %llx) written, not predicted",
				 i, (unsigned long long)dma);
			return WORLD_MISMATCH;
		}
	}
	return WORLD_SAME_OK;
}

/* A rejection for a caller limit: the executor has no counterpart. */
static bool world_limit(const struct mvgpu_scan_verdict *v)
{
	return (v->fault.status & MVGPU_FAULT_TYPE_MASK) ==
	       MVGPU_FAULT_SCAN_LIMIT ||
	       !strcmp(v->reason, "batch depth over the limit");
}

static enum world_outcome world_compare(struct world *w, int scan)
{
	const struct mvgpu_exec_fault *v = &w->wl.verdict.fault;
	struct fake *f = w->f;
	u32 type = v->status & MVGPU_FAULT_TYPE_MASK;
	bool loop = scan && type == MVGPU_FAULT_BATCH_LOOP;
	enum mvgpu_exec_result res;

	if (scan && world_limit(&w->wl.verdict))
		return WORLD_UNDECIDED;
	/*
	 * The clock moves 1 ns per read, the executor reads it every 8
	 * commands: the budget bounds a run (a loop spins until it).
	 */
	f->now = 0;
	f->clock_step = 1;
	f->ex.hang_ns = ~0ull >> 1;
	res = fake_run(f, loop ? 2000 : 200000);
	switch (res) {
	case MVGPU_EXEC_IDLE:
		if (scan)
			return world_mismatch(w, "executor ran it, scanner rejected");
		return world_writes(w);
	case MVGPU_EXEC_FAULT:
		if (!scan || loop)
			return world_mismatch(w, "executor faulted");
		if (v->status != f->st.fault.status ||
		    v->instr != f->st.fault.instr ||
		    v->addr != f->st.fault.addr ||
		    v->cmd_addr != f->st.fault.cmd_addr)
			return world_mismatch(w, "different faults");
		return WORLD_SAME_FAULT;
	default:
		return loop ? WORLD_LOOP : WORLD_UNDECIDED;
	}
}

/*
 * The executor has no strict PPGTT rule: a strict scan must give the same
 * verdict as a normal one, or reject for that rule.
 */
static bool world_strict_ok(struct world *w)
{
	struct mvgpu_scan_verdict v;
	int a, b;

	w->sc.flags = MVGPU_SCAN_PPGTT_NO_GGTT;
	a = world_scan(w);
	v = w->wl.verdict;
	w->sc.flags = 0;
	b = world_scan(w);
	mvgpu_scan_workload_free(&w->sc, &w->wl);
	if (a && !strcmp(v.reason, "GGTT operand in a PPGTT batch"))
		return true;
	/* limits (and injected allocation failures) may differ */
	if ((a && world_limit(&v)) || (b && world_limit(&w->wl.verdict)))
		return true;
	return a == b && !memcmp(&v.fault, &w->wl.verdict.fault,
				 sizeof(v.fault));
}

enum world_outcome world_check(struct world *w)
{
	unsigned int flags = w->sc.flags;
	enum world_outcome o;
	int scan;

	w->msg[0] = 0;
	if (flags & MVGPU_SCAN_PPGTT_NO_GGTT) {
		if (!world_strict_ok(w)) {
			snprintf(w->msg, sizeof(w->msg),
				 "strict scan differs: %s", w->wl.verdict.reason);
			w->sc.flags = flags;
			return WORLD_MISMATCH;
		}
		w->sc.flags = 0;
	}
	scan = world_scan(w);
	o = world_compare(w, scan);
	w->sc.flags = flags;
	mvgpu_scan_workload_free(&w->sc, &w->wl);
	if (o != WORLD_MISMATCH && w->live_allocs) {
		snprintf(w->msg, sizeof(w->msg), "%ld allocations leaked",
			 w->live_allocs);
		return WORLD_MISMATCH;
	}
	return o;
}

/*
 * Two scans of the same stream (one into reused memory) hold the same
 * result: verdict, and for an accepted one the shadows, the batch records
 * and the write set.
 */
bool world_same(const struct mvgpu_scan_workload *a,
		const struct mvgpu_scan_workload *b)
{
	u32 i;

	if (memcmp(&a->verdict.fault, &b->verdict.fault,
		   sizeof(a->verdict.fault)) ||
	    strcmp(a->verdict.reason, b->verdict.reason))
		return false;
	if (a->verdict.fault.status)
		return true;
	if (a->cmds != b->cmds || a->ring_len != b->ring_len ||
	    a->nr_batches != b->nr_batches || a->nr_ranges != b->nr_ranges ||
	    a->used != b->used ||
	    (a->used && memcmp(a->buf, b->buf, a->used)))
		return false;
	for (i = 0; i < a->nr_batches; i++) {
		const struct mvgpu_scan_batch *x = &a->batches[i];
		const struct mvgpu_scan_batch *y;

		y = mvgpu_scan_find_batch(b, x->space, x->gaddr);
		if (!y || y->len != x->len || y->off != x->off)
			return false;
	}
	/* (field by field: the structure has padding) */
	for (i = 0; i < a->nr_ranges; i++)
		if (a->ranges[i].gaddr != b->ranges[i].gaddr ||
		    a->ranges[i].len != b->ranges[i].len ||
		    a->ranges[i].space != b->ranges[i].space)
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Generator                                                            */

#define GEN_MAX_BATCHES		12
#define GEN_BATCH_DW		256

struct gen {
	u64 *seed;
	u8 cfg;
	unsigned int engine;
	u32 *batch;
	u32 batch_used;
	unsigned int batches;
	u32 starts[GEN_MAX_BATCHES];
};

struct gen_buf {
	u32 dw[GEN_BATCH_DW];
	unsigned int n;
};

static u32 rnd(struct gen *g, u32 n)
{
	return fake_rand(g->seed) % n;
}

static void put(struct gen_buf *b, unsigned int n, const u32 *dw)
{
	unsigned int i;

	for (i = 0; i < n && b->n < GEN_BATCH_DW; i++)
		b->dw[b->n++] = dw[i];
}

#define PUT(b, ...)	put((b), FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__))
#define LO(a)		((u32)(a))
#define HI(a)		((u32)((u64)(a) >> 32))

static bool gen_ppgtt(struct gen *g)
{
	return !(g->cfg & WORLD_CFG_NO_PPGTT);
}

/* A data address: mostly good pages, sometimes bad ones or wild ones. */
static u64 gen_addr(struct gen *g, bool ggtt, unsigned int align)
{
	static const u8 good[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14,
				   15 };
	u64 base = ggtt ? WORLD_GDATA : WORLD_PDATA;
	unsigned int page = good[rnd(g, sizeof(good))];
	u32 r = rnd(g, 100);

	if (r < 6)
		page = WORLD_PAGE_RO + rnd(g, 3);
	if (r == 99)
		return ggtt ? 0x1000 : 0x0000400000000000ull;
	if (r == 98)
		return ggtt ? FAKE_GGTT_BASE + FAKE_GGTT_SIZE : 1ull << 48;
	return base + page * FAKE_PAGE + (rnd(g, FAKE_PAGE) & ~(align - 1));
}

static u32 gen_reg(struct gen *g, bool srm)
{
	u32 r = rnd(g, 40);

	if (r == 0)
		return MVGPU_ENGINE_BASE(1 - g->engine) + MVGPU_CS_GPR(0);
	if (r == 1)
		return MVGPU_ENGINE_BASE(g->engine) + MVGPU_RING_TAIL;
	if (r == 2)
		return MVGPU_ENGINE_BASE(g->engine) + MVGPU_CS_GPR(0) + 2;
	if (srm && r < 6)
		return MVGPU_ENGINE_BASE(g->engine) + MVGPU_RING_TIMESTAMP_LO +
		       4 * (r & 1);
	return MVGPU_ENGINE_BASE(g->engine) + MVGPU_CS_GPR(0) + 4 * rnd(g, 32);
}

static void gen_blit(struct gen *g, struct gen_buf *b)
{
	bool ggtt = !gen_ppgtt(g);
	u32 kind = rnd(g, 3), bad = rnd(g, 30), depth, bpp, w, h, x, y;
	u32 pitch, spitch, hdr, br13;
	u64 dst, src;

	if (kind == 2) {
		static const u8 fd[] = { 0, 1, 3, 4, 5 };
		static const u8 fb[] = { 1, 2, 4, 8, 16 };
		u32 i = rnd(g, 5);

		depth = fd[i];
		bpp = fb[i];
		if (bad == 0)
			depth = 2 + 4 * rnd(g, 2);
	} else {
		static const u8 xb[] = { 1, 2, 2, 4 };

		depth = rnd(g, 4);
		bpp = xb[depth];
	}
	w = 1 + rnd(g, 64);
	h = 1 + rnd(g, 8);
	x = rnd(g, 16);
	y = rnd(g, 4);
	pitch = (x + w) * bpp + rnd(g, 3) * 512;
	spitch = (x + w) * bpp + rnd(g, 3) * 256;
	/* the rectangle mostly stays in good pages 8..15 */
	dst = gen_addr(g, ggtt, 1);
	src = gen_addr(g, ggtt, 1);
	if (rnd(g, 4)) {
		dst = (ggtt ? WORLD_GDATA : WORLD_PDATA) + 8 * FAKE_PAGE +
		      rnd(g, 2 * FAKE_PAGE);
		src = (ggtt ? WORLD_GDATA : WORLD_PDATA) + 11 * FAKE_PAGE +
		      rnd(g, 2 * FAKE_PAGE);
	}
	if (bad == 1)
		pitch = 0x8000 | pitch;
	if (bad == 2)
		h = 3000;
	if (kind == 2) {
		hdr = MVGPU_XY_FAST_COPY_BLT;
		if (bad == 3)
			hdr |= 1u << 13;
		PUT(b, hdr, MVGPU_FAST_DEPTH(depth) | (pitch & 0xffff),
		    MVGPU_BLT_XY(x, y), MVGPU_BLT_XY(x + w, y + h), LO(dst),
		    HI(dst), MVGPU_BLT_XY(0, 0), spitch & 0xffff, LO(src),
		    HI(src));
		return;
	}
	hdr = kind ? MVGPU_XY_SRC_COPY_BLT : MVGPU_XY_COLOR_BLT;
	hdr |= rnd(g, 4) << 20;		/* WRITE_ALPHA, WRITE_RGB */
	if (bad == 3)
		hdr |= MVGPU_BLT_DST_TILED;
	br13 = depth << 24 | (kind ? MVGPU_ROP_SRCCOPY : MVGPU_ROP_PATCOPY) << 16 |
	       (pitch & 0xffff);
	if (bad == 4)
		br13 ^= 0x10000;
	if (!kind) {
		PUT(b, hdr, br13, MVGPU_BLT_XY(x, y), MVGPU_BLT_XY(x + w, y + h),
		    LO(dst), HI(dst), (u32)fake_rand(g->seed));
		return;
	}
	PUT(b, hdr, br13, MVGPU_BLT_XY(x, y), MVGPU_BLT_XY(x + w, y + h),
	    LO(dst), HI(dst), MVGPU_BLT_XY(rnd(g, 8), rnd(g, 2)),
	    spitch & 0xffff, LO(src), HI(src));
}

static int gen_batch(struct gen *g, unsigned int level);

/* Graphics address of batch area offset @off (dwords), in a random view. */
static void gen_bbs(struct gen *g, struct gen_buf *b, u32 flags, u32 off)
{
	bool pp = gen_ppgtt(g) && rnd(g, 2);
	u64 a = (pp ? WORLD_PBATCH : WORLD_GBATCH) + 4ull * off;

	if (rnd(g, 60) == 0)
		a = WORLD_GDATA + WORLD_PAGE_ABSENT * FAKE_PAGE;
	PUT(b, MVGPU_MI_BATCH_BUFFER_START | flags |
	    (pp ? MVGPU_MI_BB_PPGTT : 0), LO(a), HI(a));
}

/* One random command at @level (0 ring, 1, 2). */
static void gen_cmd(struct gen *g, struct gen_buf *b, unsigned int level)
{
	u32 r = rnd(g, 100), op;
	bool ggtt = !gen_ppgtt(g) || rnd(g, 2);
	u64 a;
	int x;

	if (r < 6) {
		static const u32 one[] = { MVGPU_MI_NOOP, MVGPU_MI_USER_INTERRUPT,
					   MVGPU_MI_ARB_CHECK };

		PUT(b, one[rnd(g, 3)] | (rnd(g, 4) ? 0 : rnd(g, 1u << 23)));
	} else if (r < 20) {
		bool qw = rnd(g, 3) == 0;

		a = gen_addr(g, ggtt, qw && rnd(g, 10) ? 8 : 4);
		if (qw)
			PUT(b, MVGPU_MI_STORE_DATA_IMM_QW |
			    (ggtt ? MVGPU_MI_USE_GGTT : 0), LO(a), HI(a),
			    (u32)fake_rand(g->seed), (u32)fake_rand(g->seed));
		else
			PUT(b, MVGPU_MI_STORE_DATA_IMM |
			    (ggtt ? MVGPU_MI_USE_GGTT : 0), LO(a), HI(a),
			    (u32)fake_rand(g->seed));
	} else if (r < 27) {
		u32 n = 1 + rnd(g, 4), i;

		PUT(b, MVGPU_MI_LOAD_REGISTER_IMM(n));
		for (i = 0; i < n; i++)
			PUT(b, gen_reg(g, false), (u32)fake_rand(g->seed));
	} else if (r < 33) {
		a = gen_addr(g, ggtt, 4);
		PUT(b, MVGPU_MI_STORE_REGISTER_MEM |
		    (ggtt ? MVGPU_MI_USE_GGTT : 0), gen_reg(g, true), LO(a),
		    HI(a));
	} else if (r < 42) {
		static const u32 ops[] = { 0, 1, 1, 3, 3, 2 };
		bool other = rnd(g, 25) == 0;
		bool bcs = (g->engine == MVGPU_ENGINE_BCS) != other;

		op = ops[rnd(g, rnd(g, 20) ? 5 : 6)] << 14;
		a = gen_addr(g, ggtt, 8);
		if (bcs && rnd(g, 2))
			PUT(b, MVGPU_MI_FLUSH_DW_QW | op | (rnd(g, 4) << 17),
			    LO(a) | (ggtt ? MVGPU_MI_FLUSH_DW_USE_GGTT : 0),
			    HI(a), (u32)fake_rand(g->seed),
			    (u32)fake_rand(g->seed));
		else if (bcs)
			PUT(b, MVGPU_MI_FLUSH_DW | op,
			    LO(a) | (ggtt ? MVGPU_MI_FLUSH_DW_USE_GGTT : 0),
			    HI(a), (u32)fake_rand(g->seed));
		else
			PUT(b, MVGPU_PIPE_CONTROL, op | MVGPU_PC_CS_STALL |
			    (ggtt ? MVGPU_PC_USE_GGTT : 0) |
			    (rnd(g, 4) ? 0 : MVGPU_PC_TLB_INVALIDATE),
			    LO(a), HI(a), (u32)fake_rand(g->seed), 0);
	} else if (r < 46) {
		/* always satisfied: >= 0 or <= ~0; rarely an invalid op */
		u32 sop = rnd(g, 2) ? MVGPU_SEM_GTE : MVGPU_SEM_LTE;

		if (rnd(g, 15) == 0)
			sop = 6 + rnd(g, 2);
		a = gen_addr(g, ggtt, 4);
		PUT(b, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		    (ggtt ? MVGPU_MI_SEMAPHORE_GGTT : 0) |
		    MVGPU_MI_SEMAPHORE_OP(sop),
		    sop == MVGPU_SEM_GTE ? 0 : ~0u, LO(a), HI(a));
	} else if (r < 62) {
		if (g->engine == MVGPU_ENGINE_BCS || rnd(g, 20) == 0)
			gen_blit(g, b);
	} else if (r < 65) {
		switch (rnd(g, 6)) {
		case 0:
			PUT(b, (u32)fake_rand(g->seed));
			break;
		case 1:	/* MI_LOAD_REGISTER_MEM: Gen9, not executed */
			PUT(b, 0x14800002, 0x2600, 0, 0);
			break;
		case 2:	/* 3DSTATE_VS */
			PUT(b, 0x78100007, 0, 0, 0, 0, 0, 0, 0, 0);
			break;
		case 3:	/* wrong length */
			PUT(b, MVGPU_MI_STORE_DATA_IMM + 2, 0, 0, 0, 0, 0);
			break;
		case 4:
			PUT(b, MVGPU_MI_BATCH_BUFFER_END);
			break;
		default:
			PUT(b, MVGPU_MI_LOAD_REGISTER_IMM(1) + 1, 0, 0, 0);
			break;
		}
	} else if (r < 80 && level < 2) {
		if (rnd(g, 25) == 0) {
			gen_bbs(g, b, MVGPU_MI_BB_SECOND_LEVEL, 0);
			return;
		}
		x = gen_batch(g, level + 1);
		if (x >= 0)
			gen_bbs(g, b, level ? MVGPU_MI_BB_SECOND_LEVEL : 0, x);
	} else if (r < 82 && g->batches) {
		/* an earlier batch again: reuse, or a loop */
		gen_bbs(g, b, level == 1 && rnd(g, 2) ?
			MVGPU_MI_BB_SECOND_LEVEL : 0,
			g->starts[rnd(g, g->batches)]);
	} else {
		PUT(b, MVGPU_MI_NOOP);
	}
}

/* A batch for @level; returns its offset in the area (dwords) or -1. */
static int gen_batch(struct gen *g, unsigned int level)
{
	struct gen_buf *b;
	unsigned int n, i;
	int off, x;

	if (g->batches >= GEN_MAX_BATCHES)
		return -1;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	g->batches++;
	n = rnd(g, 12);
	for (i = 0; i < n && b->n < GEN_BATCH_DW - 16; i++)
		gen_cmd(g, b, level);
	x = rnd(g, 6) == 0 ? gen_batch(g, level) : -1;
	if (x >= 0)
		gen_bbs(g, b, 0, x);
	else
		PUT(b, MVGPU_MI_BATCH_BUFFER_END);
	if (g->batch_used + b->n > WORLD_BATCH_BYTES / 4) {
		free(b);
		return -1;
	}
	off = g->batch_used;
	memcpy(g->batch + off, b->dw, 4 * b->n);
	g->batch_used += b->n;
	g->starts[g->batches - 1] = off;
	free(b);
	return off;
}

size_t world_gen(u64 *seed, u8 *out, size_t cap)
{
	struct gen g = { .seed = seed };
	u32 *ring = calloc(RING_DW, 4), head, pos, i, n;
	struct gen_buf *b = calloc(1, sizeof(*b));
	size_t size;

	if (!ring || !b || cap < WORLD_BLOB_MAX)
		abort();
	memset(out, 0, WORLD_BLOB_MAX);
	g.batch = calloc(WORLD_BATCH_BYTES / 4, 4);
	if (!g.batch)
		abort();
	g.cfg = rnd(&g, 2) ? WORLD_CFG_BCS : 0;
	if (rnd(&g, 8) == 0)
		g.cfg |= WORLD_CFG_NO_PPGTT;
	if (rnd(&g, 10) == 0)
		g.cfg |= WORLD_CFG_STRICT;
	if (rnd(&g, 20) == 0)
		g.cfg |= WORLD_CFG_NO_HWS;
	g.engine = g.cfg & WORLD_CFG_BCS ? MVGPU_ENGINE_BCS : MVGPU_ENGINE_RCS;
	head = rnd(&g, 4) ? 0 : rnd(&g, RING_DW);
	pos = head;
	n = rnd(&g, 24);
	for (i = 0; i < n; i++) {
		unsigned int k;

		b->n = 0;
		gen_cmd(&g, b, 0);
		for (k = 0; k < b->n; k++)
			ring[pos++ % RING_DW] = b->dw[k];
	}
	if ((pos - head) & 1)
		ring[pos++ % RING_DW] = MVGPU_MI_NOOP;
	if (rnd(&g, 40) == 0 && pos - head > 2)
		pos -= 2;	/* the tail cuts the last command */
	out[0] = g.cfg;
	out[2] = head & 0xff;
	out[3] = head >> 8;
	out[4] = ((pos % RING_DW) / 2) & 0xff;
	out[5] = ((pos % RING_DW) / 2) >> 8;
	for (i = 0; i < RING_DW; i++)
		ring[i] = htole32(ring[i]);
	for (i = 0; i < g.batch_used; i++)
		g.batch[i] = htole32(g.batch[i]);
	memcpy(out + WORLD_CFG_BYTES, ring, WORLD_RING_BYTES);
	memcpy(out + WORLD_CFG_BYTES + WORLD_RING_BYTES, g.batch,
	       4 * g.batch_used);
	size = WORLD_CFG_BYTES + WORLD_RING_BYTES + 4 * g.batch_used;
	free(ring);
	free(b);
	free(g.batch);
	return size;
}
