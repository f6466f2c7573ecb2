// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_test <uuid> [--cdev] [--watchdog MS]: drive the engines of an mvgpu
 * vGPU through VFIO the way a guest driver does (selftests/lib/gpu.h) and
 * check every result against the CPU reference (selftests/lib/gpu_ref.h):
 * fills and copies at every depth, framebuffer-sized blits through the
 * GGTT and the PPGTT and into local memory, store bursts, register round
 * trips, post-sync writes and interrupts, semaphores, large, chained and
 * second-level batches, ring wrap-around, and every fault type the device
 * reports, each followed by an engine reset and a working request.
 *
 * --cdev opens the device through iommufd instead of the container;
 * --watchdog MS checks that WATCHDOG_MS reads MS.  Each test opens the
 * device afresh.  Output is kselftest TAP; exit status 0 iff all passed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "gpu.h"
#include "gpu_ref.h"
#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define RING_SIZE	(16u << 10)
#define SCRATCH_SIZE	(64u << 10)

/* PPGTT addresses: above 4 GiB, across 1 GiB and 2 MiB boundaries. */
#define PP_FB		0x00007f803ff00000ull
#define PP_TEX		0x0000123456780000ull
#define PP_MISC		0x0000000abcd00000ull
#define PP_BATCH	0x0000400000000000ull

/* An IOVA the tests never map. */
#define IOVA_UNMAPPED	0x00007000000000ull

struct ctx {
	const char *uuid;
	enum mv_open_mode mode;
	unsigned int want_watchdog;
	uint64_t cookie;	/* varies the data from run to run */
	bool wpred_armed;	/* the write prediction check is on */
	char wpred_err[256];
	struct gpu g;
	struct gpu_bo *scratch;	/* markers of the fault tests */
	struct ref_rng rng;
};

/* A surface: a buffer object and its reference copy. */
struct surf {
	struct gpu_bo *bo;
	uint8_t *ref;
	uint64_t size;
	uint64_t addr;		/* the graphics address the commands use */
	unsigned int w, h, pitch, cpp;
};

#define GCHECK(call)							\
	({								\
		int __r = (call);					\
		CHECK(__r == 0, "%s: %s", #call, gpu_err());		\
	})
#define GREQ(call)	REQUIRE((call) == 0, "%s: %s", #call, gpu_err())

#define RD(off)								\
	({								\
		uint32_t __v = 0;					\
		CHECK(gpu_rd(&c->g, off, &__v) == 0, "%s", gpu_err());	\
		__v;							\
	})
#define ERD(e, reg)	RD(MVGPU_ENGINE_BASE(e) + (reg))
#define WR(off, v)	CHECK(gpu_wr(&c->g, off, v) == 0, "%s", gpu_err())
#define EWR(e, reg, v)	WR(MVGPU_ENGINE_BASE(e) + (reg), v)

static uint32_t *u32p(struct gpu_bo *bo, uint64_t off)
{
	return (uint32_t *)((uint8_t *)bo->cpu + off);
}

static volatile uint32_t *vu32p(struct gpu_bo *bo, uint64_t off)
{
	return (volatile uint32_t *)((uint8_t *)bo->cpu + off);
}

static uint64_t rd64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int setup(void *arg)
{
	struct ctx *c = arg;
	int ret;

	ret = gpu_open(&c->g, c->uuid, c->mode);
	if (ret) {
		tap_diag("opening %s (%s): %s", c->uuid,
			 mv_open_mode_name(c->mode), gpu_err());
		return ret;
	}
	ret = gpu_ring_init(&c->g, RCS, RING_SIZE);
	if (!ret)
		ret = gpu_ring_init(&c->g, BCS, RING_SIZE);
	if (!ret) {
		c->scratch = gpu_bo_new(&c->g, SCRATCH_SIZE, 0);
		if (!c->scratch)
			ret = -errno;
	}
	if (ret) {
		tap_diag("setting up the rings: %s", gpu_err());
		gpu_close(&c->g);
	}
	return ret;
}

static void teardown(void *arg)
{
	struct ctx *c = arg;
	char desc[512];
	unsigned int e;
	uint32_t st;

	/*
	 * A test must leave no engine halted or busy behind.  HEAD is
	 * published at the end of a slice, a little after the breadcrumb
	 * the test waited for: give the slice time to end.
	 */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		uint64_t t0 = gpu_now_ms();

		while (!gpu_erd(&c->g, e, MVGPU_ENGINE_STATUS, &st) &&
		       (st & (MVGPU_ENGINE_STATUS_HALTED |
			      MVGPU_ENGINE_STATUS_BUSY)) ==
		       MVGPU_ENGINE_STATUS_BUSY && gpu_now_ms() - t0 < 500)
			gpu_sleep_ms(1);
		if (gpu_erd(&c->g, e, MVGPU_ENGINE_STATUS, &st))
			continue;
		if (st & (MVGPU_ENGINE_STATUS_HALTED |
			  MVGPU_ENGINE_STATUS_BUSY)) {
			gpu_engine_describe(&c->g, e, desc, sizeof(desc));
			CHECK(false, "engine %u left busy or halted: %s", e,
			      desc);
		}
	}
	gpu_close(&c->g);
	c->scratch = NULL;
}

/* ---- surfaces and blits -------------------------------------------------- */

static void surf_free(struct ctx *c, struct surf *s)
{
	if (s->bo)
		gpu_bo_free(&c->g, s->bo);
	free(s->ref);
	memset(s, 0, sizeof(*s));
}

/* A surface of random content in a new buffer (GPU_BO_* @flags). */
static bool surf_new(struct ctx *c, struct surf *s, unsigned int w,
		     unsigned int h, unsigned int pitch, unsigned int cpp,
		     unsigned int flags)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	s->h = h;
	s->pitch = pitch;
	s->cpp = cpp;
	s->size = (uint64_t)h * pitch;
	s->bo = gpu_bo_new(&c->g, s->size, flags);
	if (!CHECK(s->bo, "surface of %ux%u: %s", w, h, gpu_err()))
		return false;
	s->ref = malloc(s->size);
	if (!CHECK(s->ref, "out of memory"))
		return false;
	ref_fill(&c->rng, s->bo->cpu, s->size);
	memcpy(s->ref, s->bo->cpu, s->size);
	s->addr = s->bo->gaddr;
	return true;
}

/* Compare the surface with its reference copy. */
static bool surf_check(struct surf *s, const char *what)
{
	char msg[256];

	if (!ref_describe_diff(s->bo->cpu, s->ref, s->size, s->pitch, s->cpp,
			       msg, sizeof(msg)))
		return true;
	return CHECK(false, "%s: %s", what, msg);
}

/* A random rectangle of @rw x @rh at most, inside @w x @h. */
static void rand_size(struct ref_rng *r, unsigned int w, unsigned int h,
		      unsigned int *rw, unsigned int *rh)
{
	*rw = 1 + ref_rng_below(r, w);
	*rh = 1 + ref_rng_below(r, h);
	/* Mostly small rectangles, sometimes large ones. */
	if (ref_rng_below(r, 4)) {
		*rw = 1 + *rw / 3;
		*rh = 1 + *rh / 3;
	}
}

/*
 * A random blit of @op at @cpp bytes per pixel from @src (may be NULL for
 * fills, or equal @dst) to @dst.
 */
static struct gpu_blit rand_blit(struct ctx *c, enum ref_blt_op op,
				 unsigned int cpp, struct surf *dst,
				 struct surf *src)
{
	struct ref_rng *r = &c->rng;
	struct gpu_blit b;
	unsigned int rw, rh, mw, mh;

	memset(&b, 0, sizeof(b));
	b.r.op = op;
	b.r.cpp = cpp;
	b.r.dst_pitch = dst->pitch;
	b.dst = dst->addr;
	b.rgb1555 = ref_rng_below(r, 2);
	/* Masks matter at 32 bpp only; elsewhere they must be ignored. */
	b.r.write_alpha = ref_rng_below(r, 4) != 0;
	b.r.write_rgb = ref_rng_below(r, 4) != 0;
	mw = dst->w;
	mh = dst->h;
	if (src) {
		mw = mw < src->w ? mw : src->w;
		mh = mh < src->h ? mh : src->h;
	}
	rand_size(r, mw, mh, &rw, &rh);
	b.r.x1 = ref_rng_below(r, dst->w - rw + 1);
	b.r.y1 = ref_rng_below(r, dst->h - rh + 1);
	b.r.x2 = b.r.x1 + rw;
	b.r.y2 = b.r.y1 + rh;
	if (src) {
		b.r.sx = ref_rng_below(r, src->w - rw + 1);
		b.r.sy = ref_rng_below(r, src->h - rh + 1);
		b.r.src_pitch = src->pitch;
		b.src = src->addr;
	}
	b.r.color = (uint32_t)ref_rng_next(r);
	return b;
}

/*
 * Run @n blits as one batch on the blitter (batch through the GGTT, or the
 * PPGTT at @pp_batch when non-zero) and apply them to the reference copies.
 * @dsts[i] / @srcs[i] are the surfaces of blit i (source may be NULL).
 */
static bool run_blits(struct ctx *c, const struct gpu_blit *b,
		      struct surf **dsts, struct surf **srcs, unsigned int n,
		      uint64_t pp_batch)
{
	struct gpu_cmds cmds;
	struct gpu_bo *batch;
	unsigned int i;
	bool ok = true;
	int ret;

	gpu_cmds_init(&cmds);
	for (i = 0; i < n; i++)
		gpu_emit_blt(&cmds, &b[i]);
	gpu_emit_bb_end(&cmds);
	batch = gpu_bo_new(&c->g, cmds.len * 4, 0);
	if (!CHECK(batch, "batch: %s", gpu_err())) {
		gpu_cmds_fini(&cmds);
		return false;
	}
	ret = gpu_cmds_store(&cmds, batch, 0);
	gpu_cmds_fini(&cmds);
	if (!CHECK(ret == 0, "%s", gpu_err()))
		goto out;
	if (pp_batch) {
		if (!GCHECK(gpu_ppgtt_bind(&c->g, batch, pp_batch, false)))
			goto out;
		ret = gpu_run_batch(&c->g, BCS, pp_batch, MVGPU_MI_BB_PPGTT);
	} else {
		ret = gpu_run_batch(&c->g, BCS, batch->gaddr, 0);
	}
	ok = CHECK(ret == 0, "batch of %u blits: %s", n, gpu_err());
	for (i = 0; i < n; i++)
		ref_blt(&b[i].r, dsts[i]->ref,
			srcs[i] ? srcs[i]->ref : NULL);
out:
	gpu_bo_free(&c->g, batch);
	return ok && !tap_cur_failed;
}

/* One blit on @dst (and @src) through its own batch. */
static bool run_blit(struct ctx *c, const struct gpu_blit *b,
		     struct surf *dst, struct surf *src)
{
	return run_blits(c, b, &dst, &src, 1, 0);
}

/* ---- identity and GGTT ---------------------------------------------------- */

static void test_identity(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	unsigned int e;

	CHECK(g->caps & MVGPU_CAP_ENGINES, "CAPS 0x%x", g->caps);
	CHECK_EQ(RD(MVGPU_REG_NUM_ENGINES), MVGPU_NUM_ENGINES, "NUM_ENGINES");
	CHECK(g->type == 1 || g->type == 2 || g->type == 4 || g->type == 8,
	      "VGPU_TYPE %u", g->type);
	if (g->type)
		CHECK_EQ(g->ggtt_size, MVGPU_GGTT_TOTAL / g->type,
			 "GGTT_SIZE of a type-%u vGPU", g->type);
	CHECK_EQ(g->ggtt_base % g->ggtt_size, 0, "GGTT_BASE alignment");
	CHECK(g->watchdog_ms > 0, "WATCHDOG_MS is 0");
	if (c->want_watchdog)
		CHECK_EQ(g->watchdog_ms, c->want_watchdog,
			 "WATCHDOG_MS (module parameter hang_timeout_ms)");
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		/* Rings were enabled by setup, nothing submitted yet. */
		CHECK_EQ(ERD(e, MVGPU_ENGINE_STATUS),
			 MVGPU_ENGINE_STATUS_ENABLED,
			 "engine %u status after enabling the ring", e);
		CHECK_EQ(ERD(e, MVGPU_RING_HEAD), 0, "engine %u head", e);
		CHECK_EQ(ERD(e, MVGPU_FAULT_STATUS), 0,
			 "engine %u FAULT_STATUS", e);
		CHECK_EQ(ERD(e, MVGPU_CTX_DESC_LO), 0, "engine %u CTX_DESC", e);
		CHECK_EQ(ERD(e, MVGPU_RING_START),
			 (uint32_t)g->ring[e].bo->gaddr,
			 "engine %u RING_START read back", e);
		CHECK_EQ(ERD(e, MVGPU_RING_CTL),
			 MVGPU_RING_CTL_SIZE(RING_SIZE) | MVGPU_RING_CTL_ENABLE,
			 "engine %u RING_CTL read back", e);
	}
	/* Opening reset the engines: the timestamp counts from the open. */
	{
		uint32_t lo = ERD(RCS, MVGPU_RING_TIMESTAMP_LO);
		uint32_t hi = ERD(RCS, MVGPU_RING_TIMESTAMP_HI);
		uint64_t ts = (uint64_t)hi << 32 | lo;

		CHECK(ts > 0 && ts < 600ull * 1000000000ull,
		      "RING_TIMESTAMP 0x%llx ns right after the open",
		      (unsigned long long)ts);
	}
}

static void test_ggtt_window(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *a, *b;
	uint64_t pte = 0, gaddr, outside[2];
	struct gpu_cmds cmds;
	unsigned int i, n = 0;

	a = gpu_bo_new(g, 4096, GPU_BO_NO_GGTT);
	b = gpu_bo_new(g, 4096, GPU_BO_NO_GGTT);
	REQUIRE(a && b, "%s", gpu_err());
	GREQ(gpu_ggtt_alloc(g, 4096, &gaddr));

	/* Entries inside the slice read back as written. */
	GCHECK(gpu_ggtt_write(g, gaddr, gpu_bo_pte(a, 0)));
	GCHECK(gpu_ggtt_read(g, gaddr, &pte));
	CHECK_EQ(pte, gpu_bo_pte(a, 0), "PTE read back");
	GCHECK(gpu_ggtt_read(g, g->ggtt_base + g->ggtt_size - 4096, &pte));
	CHECK_EQ(pte, 0, "unused PTE at the end of the slice");

	/* Outside the slice: writes dropped, reads 0. */
	if (g->ggtt_base)
		outside[n++] = g->ggtt_base - 4096;
	if (g->ggtt_base + g->ggtt_size < MVGPU_GGTT_TOTAL)
		outside[n++] = g->ggtt_base + g->ggtt_size;
	for (i = 0; i < n; i++) {
		GCHECK(gpu_ggtt_write(g, outside[i], gpu_bo_pte(a, 0)));
		GCHECK(gpu_ggtt_read(g, outside[i], &pte));
		CHECK_EQ(pte, 0, "PTE of 0x%llx outside the slice",
			 (unsigned long long)outside[i]);
	}
	if (g->type == 1)
		tap_diag("type-1 vGPU owns the whole GGTT: no outside entry");

	/* The engine uses the entry; a rewrite takes effect. */
	gpu_cmds_init(&cmds);
	gpu_emit_sdi(&cmds, gaddr + 0x40, 0xa0a0a0a0 ^ (uint32_t)c->cookie,
		     true);
	GCHECK(gpu_run(g, RCS, cmds.dw, cmds.len));
	CHECK_EQ(*u32p(a, 0x40), 0xa0a0a0a0 ^ (uint32_t)c->cookie,
		 "store through the GGTT entry");

	/* Only the high half commits: a new low half alone changes nothing. */
	GCHECK(gpu_wr(g, MVGPU_GGTT_WINDOW_OFFSET + 8 * (uint32_t)(gaddr >> 12),
		      (uint32_t)gpu_bo_pte(b, 0)));
	GCHECK(gpu_ggtt_read(g, gaddr, &pte));
	CHECK_EQ(pte, gpu_bo_pte(a, 0), "PTE read after a low half alone");
	cmds.len = 0;
	gpu_emit_sdi(&cmds, gaddr + 0x80, 0xb1b1b1b1, true);
	GCHECK(gpu_run(g, RCS, cmds.dw, cmds.len));
	CHECK_EQ(*u32p(a, 0x80), 0xb1b1b1b1,
		 "store after writing only the low half goes to the old page");
	CHECK_EQ(*u32p(b, 0x80), 0, "new page written before the commit");
	GCHECK(gpu_wr(g, MVGPU_GGTT_WINDOW_OFFSET + 8 * (uint32_t)(gaddr >> 12) + 4,
		      (uint32_t)(gpu_bo_pte(b, 0) >> 32)));
	cmds.len = 0;
	gpu_emit_sdi(&cmds, gaddr + 0xc0, 0xc2c2c2c2, true);
	GCHECK(gpu_run(g, RCS, cmds.dw, cmds.len));
	CHECK_EQ(*u32p(b, 0xc0), 0xc2c2c2c2, "store after the commit");
	CHECK_EQ(*u32p(a, 0xc0), 0, "old page written after the commit");
	gpu_cmds_fini(&cmds);
	GCHECK(gpu_ggtt_write(g, gaddr, 0));
}

/* ---- blits ------------------------------------------------------------- */

/* Fills, at each depth, with all four channel masks, on odd pitches. */
static void test_color_fill(void *arg)
{
	static const struct {
		unsigned int cpp;
		bool rgb1555;
	} depths[] = { { 1, false }, { 2, false }, { 2, true }, { 4, false } };
	struct ctx *c = arg;
	struct gpu_blit b[48];
	struct surf *d[48], *s[48] = { NULL };
	struct surf dst;
	unsigned int i, k;

	for (i = 0; i < TAP_ARRAY_SIZE(depths); i++) {
		unsigned int cpp = depths[i].cpp;
		/* A pitch that is no power of two: rows straddle pages. */
		unsigned int w = 300, h = 70, pitch = w * cpp + 52;

		if (!surf_new(c, &dst, w, h, pitch, cpp, 0))
			break;
		for (k = 0; k < TAP_ARRAY_SIZE(b); k++) {
			b[k] = rand_blit(c, REF_COLOR_BLT, cpp, &dst, NULL);
			b[k].rgb1555 = depths[i].rgb1555;
			d[k] = &dst;
			/* Every mask combination, several times. */
			b[k].r.write_alpha = k & 1;
			b[k].r.write_rgb = k & 2;
		}
		/* An empty rectangle draws nothing. */
		b[5].r.x2 = b[5].r.x1;
		b[9].r.y2 = b[9].r.y1 > 0 ? b[9].r.y1 - 1 : 0;
		/* The full surface. */
		b[0].r.x1 = 0;
		b[0].r.y1 = 0;
		b[0].r.x2 = w;
		b[0].r.y2 = h;
		b[0].r.write_alpha = b[0].r.write_rgb = true;
		run_blits(c, b, d, s, TAP_ARRAY_SIZE(b), 0);
		surf_check(&dst, cpp == 1 ? "8 bpp fills" :
				 cpp == 4 ? "32 bpp fills" :
				 depths[i].rgb1555 ? "1555 fills" : "565 fills");
		surf_free(c, &dst);
		if (tap_cur_failed)
			break;
	}
}

static void copy_test(struct ctx *c, enum ref_blt_op op,
		      const unsigned int *cpps, unsigned int ncpp)
{
	struct gpu_blit b[32];
	struct surf *d[32], *s[32];
	struct surf dst, src;
	unsigned int i, k;

	for (i = 0; i < ncpp; i++) {
		unsigned int cpp = cpps[i];
		unsigned int dw = 257, dh = 61, sw = 190, sh = 83;

		if (!surf_new(c, &dst, dw, dh, dw * cpp + 20, cpp, 0))
			return;
		if (!surf_new(c, &src, sw, sh, sw * cpp + 36, cpp, 0)) {
			surf_free(c, &dst);
			return;
		}
		for (k = 0; k < TAP_ARRAY_SIZE(b); k++) {
			/* Alternate other-to-dst and dst-to-dst copies. */
			bool self = k % 4 == 3;

			b[k] = rand_blit(c, op, cpp, &dst, self ? &dst : &src);
			b[k].r.write_alpha = k & 1;
			b[k].r.write_rgb = k & 2;
			d[k] = &dst;
			s[k] = self ? &dst : &src;
		}
		run_blits(c, b, d, s, TAP_ARRAY_SIZE(b), 0);
		if (!surf_check(&dst, "copy destination"))
			tap_diag("%s copies at %u bytes per pixel",
				 op == REF_FAST_COPY_BLT ? "fast" : "XY_SRC",
				 cpp);
		surf_check(&src, "copy source unchanged");
		surf_free(c, &dst);
		surf_free(c, &src);
		if (tap_cur_failed)
			return;
	}
}

static void test_src_copy(void *arg)
{
	static const unsigned int cpps[] = { 1, 2, 4 };

	copy_test(arg, REF_SRC_COPY_BLT, cpps, TAP_ARRAY_SIZE(cpps));
}

static void test_fast_copy(void *arg)
{
	static const unsigned int cpps[] = { 1, 2, 4, 8, 16 };

	copy_test(arg, REF_FAST_COPY_BLT, cpps, TAP_ARRAY_SIZE(cpps));
}

/* Copies whose source and destination overlap in one surface. */
static void test_overlap_copy(void *arg)
{
	struct ctx *c = arg;
	struct gpu_blit b[4];
	struct surf *d[4], *s[4];
	struct surf surf;
	unsigned int k;

	if (!surf_new(c, &surf, 128, 64, 128 * 4, 4, 0))
		return;
	for (k = 0; k < 4; k++) {
		memset(&b[k], 0, sizeof(b[k]));
		b[k].r.op = k < 2 ? REF_SRC_COPY_BLT : REF_FAST_COPY_BLT;
		b[k].r.cpp = 4;
		b[k].r.write_alpha = b[k].r.write_rgb = true;
		b[k].r.dst_pitch = b[k].r.src_pitch = surf.pitch;
		b[k].dst = b[k].src = surf.addr;
		d[k] = s[k] = &surf;
	}
	/* Right by 3 pixels within the same rows (memmove per row). */
	b[0].r.x1 = 13; b[0].r.y1 = 4; b[0].r.x2 = 113; b[0].r.y2 = 20;
	b[0].r.sx = 10; b[0].r.sy = 4;
	/* Up by 5 rows: rows go top to bottom, reading ahead of writing. */
	b[1].r.x1 = 0; b[1].r.y1 = 20; b[1].r.x2 = 64; b[1].r.y2 = 40;
	b[1].r.sx = 2; b[1].r.sy = 25;
	/* Left by 7 pixels. */
	b[2].r.x1 = 3; b[2].r.y1 = 40; b[2].r.x2 = 120; b[2].r.y2 = 50;
	b[2].r.sx = 10; b[2].r.sy = 40;
	/* Down by 2 rows: later rows read what earlier rows wrote. */
	b[3].r.x1 = 40; b[3].r.y1 = 52; b[3].r.x2 = 100; b[3].r.y2 = 63;
	b[3].r.sx = 40; b[3].r.sy = 50;
	run_blits(c, b, d, s, 4, 0);
	surf_check(&surf, "overlapping copies");
	surf_free(c, &surf);
}

/*
 * Patterned drawing into a 1024x768x32 framebuffer: fills, copies from a
 * texture and within the framebuffer, in batches of 24 commands.
 */
static void framebuffer(struct ctx *c, bool ppgtt, bool local)
{
	enum { NB = 24, ROUNDS = 8 };
	struct gpu_blit b[NB];
	struct surf *d[NB], *s[NB];
	struct surf fb, tex;
	unsigned int r, k;

	if (!surf_new(c, &fb, 1024, 768, 4096, 4, local ? GPU_BO_LOCAL : 0))
		return;
	if (!surf_new(c, &tex, 256, 256, 1024, 4, 0)) {
		surf_free(c, &fb);
		return;
	}
	if (ppgtt) {
		GREQ(gpu_ppgtt_init(&c->g));
		GREQ(gpu_ppgtt_bind(&c->g, fb.bo, PP_FB, true));
		/* Texture read-only: blits only read it. */
		GREQ(gpu_ppgtt_bind(&c->g, tex.bo, PP_TEX, false));
		fb.addr = PP_FB;
		tex.addr = PP_TEX;
		GREQ(gpu_ppgtt_enable(&c->g, BCS, gpu_ppgtt_desc(&c->g)));
	}
	for (r = 0; r < ROUNDS && !tap_cur_failed; r++) {
		for (k = 0; k < NB; k++) {
			unsigned int what = ref_rng_below(&c->rng, 5);

			d[k] = &fb;
			if (what == 0) {
				s[k] = NULL;
				b[k] = rand_blit(c, REF_COLOR_BLT, 4, &fb, NULL);
			} else if (what <= 2) {
				s[k] = &tex;
				b[k] = rand_blit(c, what == 1 ? REF_SRC_COPY_BLT :
						 REF_FAST_COPY_BLT, 4, &fb, &tex);
			} else {
				s[k] = &fb;
				b[k] = rand_blit(c, what == 3 ? REF_SRC_COPY_BLT :
						 REF_FAST_COPY_BLT, 4, &fb, &fb);
			}
		}
		/* Half of the batches themselves come through the PPGTT. */
		run_blits(c, b, d, s, NB,
			  ppgtt && (r & 1) ? PP_BATCH + r * 0x10000ull : 0);
	}
	surf_check(&fb, "framebuffer");
	surf_check(&tex, "texture unchanged");
	if (local) {
		/* The VFIO region reads what the mapping shows. */
		uint8_t *buf = malloc(fb.size);

		if (CHECK(buf, "out of memory")) {
			CHECK(mv_region_read(&c->g.dev, VFIO_PCI_BAR2_REGION_INDEX,
					     fb.bo->local, buf, fb.size) == 0,
			      "%s", mv_err());
			CHECK(ref_first_diff(buf, fb.ref, fb.size) < 0,
			      "BAR2 read of the framebuffer differs at 0x%lx",
			      ref_first_diff(buf, fb.ref, fb.size));
			free(buf);
		}
	}
	if (ppgtt)
		GCHECK(gpu_ppgtt_enable(&c->g, BCS, 0));
	surf_free(c, &fb);
	surf_free(c, &tex);
}

static void test_fb_ggtt(void *arg)
{
	framebuffer(arg, false, false);
}

static void test_fb_ppgtt(void *arg)
{
	framebuffer(arg, true, false);
}

static void test_fb_local(void *arg)
{
	framebuffer(arg, false, true);
}

/* Copies between local memory and DMA memory, both ways, plus fills. */
static void test_local_copies(void *arg)
{
	struct ctx *c = arg;
	struct gpu_blit b[16];
	struct surf *d[16], *s[16];
	struct surf loc, dma;
	unsigned int k;

	if (!surf_new(c, &loc, 300, 100, 1280, 4, GPU_BO_LOCAL))
		return;
	if (!surf_new(c, &dma, 200, 150, 800, 4, 0)) {
		surf_free(c, &loc);
		return;
	}
	for (k = 0; k < 16; k++) {
		bool to_local = k & 1;
		enum ref_blt_op op = k % 3 == 0 ? REF_COLOR_BLT :
				     k % 3 == 1 ? REF_SRC_COPY_BLT :
						  REF_FAST_COPY_BLT;

		d[k] = to_local ? &loc : &dma;
		s[k] = op == REF_COLOR_BLT ? NULL : to_local ? &dma : &loc;
		b[k] = rand_blit(c, op, 4, d[k], s[k]);
	}
	run_blits(c, b, d, s, 16, 0);
	surf_check(&loc, "local memory surface");
	surf_check(&dma, "DMA surface");
	surf_free(c, &loc);
	surf_free(c, &dma);
}

/* One address in both tables: blits use the PPGTT iff CTX_DESC is valid. */
static void test_blit_space(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct surf gg, pp;
	struct gpu_blit b;

	if (!surf_new(c, &gg, 64, 16, 256, 4, 0))
		return;
	if (!surf_new(c, &pp, 64, 16, 256, 4, GPU_BO_NO_GGTT)) {
		surf_free(c, &gg);
		return;
	}
	GREQ(gpu_ppgtt_init(g));
	GREQ(gpu_ppgtt_bind(g, pp.bo, gg.addr, true));
	pp.addr = gg.addr;

	b = rand_blit(c, REF_COLOR_BLT, 4, &gg, NULL);
	b.r.write_alpha = b.r.write_rgb = true;
	GREQ(gpu_ppgtt_enable(g, BCS, gpu_ppgtt_desc(g)));
	if (run_blit(c, &b, &pp, NULL)) {
		surf_check(&pp, "PPGTT target with CTX_DESC valid");
		surf_check(&gg, "GGTT target untouched with CTX_DESC valid");
	}
	b = rand_blit(c, REF_COLOR_BLT, 4, &gg, NULL);
	b.r.write_alpha = b.r.write_rgb = true;
	GREQ(gpu_ppgtt_enable(g, BCS, 0));
	if (run_blit(c, &b, &gg, NULL)) {
		surf_check(&gg, "GGTT target with CTX_DESC 0");
		surf_check(&pp, "PPGTT target untouched with CTX_DESC 0");
	}
	surf_free(c, &gg);
	surf_free(c, &pp);
}

/* ---- MI commands --------------------------------------------------------- */

static uint32_t sdi_val(struct ctx *c, unsigned int i)
{
	return (uint32_t)(i * 0x9e3779b1u) ^ (uint32_t)c->cookie ^ 0x5a000000u;
}

/*
 * Thousands of stores, 32 per request: dword and qword, GGTT on both
 * engines and PPGTT on the render engine.  The 16 KiB rings wrap many
 * times.
 */
static void test_sdi_burst(void *arg)
{
	enum { N = 4096, PER = 32, NQ = 512 };
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *buf, *qbuf, *pbuf;
	struct gpu_cmds cmds;
	uint32_t seq[MVGPU_NUM_ENGINES] = { 0 };
	unsigned int i, e, bad = 0;

	buf = gpu_bo_new(g, N * 4, 0);
	qbuf = gpu_bo_new(g, NQ * 8, 0);
	pbuf = gpu_bo_new(g, N * 4, GPU_BO_NO_GGTT);
	REQUIRE(buf && qbuf && pbuf, "%s", gpu_err());
	GREQ(gpu_ppgtt_init(g));
	GREQ(gpu_ppgtt_bind(g, pbuf, PP_MISC, true));
	GREQ(gpu_ppgtt_enable(g, RCS, gpu_ppgtt_desc(g)));

	gpu_cmds_init(&cmds);
	for (i = 0; i < N && !tap_cur_failed; i += PER) {
		unsigned int k;

		/* Alternate engines so both run at once. */
		e = (i / PER) & 1;
		cmds.len = 0;
		for (k = i; k < i + PER; k++)
			gpu_emit_sdi(&cmds, buf->gaddr + 4 * k, sdi_val(c, k),
				     true);
		for (k = i; k < i + PER; k++)
			if (e == RCS)
				gpu_emit_sdi(&cmds, PP_MISC + 4 * k,
					     ~sdi_val(c, k), false);
		if ((i / PER) < NQ / 8)
			for (k = (i / PER) * 8; k < (i / PER) * 8 + 8; k++)
				gpu_emit_sdi_qw(&cmds, qbuf->gaddr + 8 * k,
						(uint64_t)sdi_val(c, k) << 32 |
						~sdi_val(c, k), true);
		REQUIRE(!cmds.oom, "out of memory");
		GCHECK(gpu_submit(g, e, cmds.dw, cmds.len, &seq[e]));
	}
	gpu_cmds_fini(&cmds);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		GCHECK(gpu_wait_seqno(g, e, seq[e], GPU_WAIT_MS));
	for (i = 0; i < N; i++) {
		uint32_t want = sdi_val(c, i);

		if (*u32p(buf, 4 * i) != want && bad++ < 4)
			CHECK_EQ(*u32p(buf, 4 * i), want, "GGTT store %u", i);
		/* Only the render engine's requests stored through the PPGTT. */
		e = (i / PER) & 1;
		want = e == RCS ? ~sdi_val(c, i) : 0;
		if (*u32p(pbuf, 4 * i) != want && bad++ < 8)
			CHECK_EQ(*u32p(pbuf, 4 * i), want, "PPGTT store %u", i);
	}
	for (i = 0; i < NQ; i++) {
		uint64_t want = (uint64_t)sdi_val(c, i) << 32 | ~sdi_val(c, i);

		if (rd64(u32p(qbuf, 8 * i)) != want && bad++ < 12)
			CHECK_EQ(rd64(u32p(qbuf, 8 * i)), want,
				 "qword store %u", i);
	}
	CHECK(bad == 0, "%u stores wrong or lost", bad);
	GCHECK(gpu_ppgtt_enable(g, RCS, 0));
}

/* RING_TIMESTAMP of engine @e through BAR0. */
static uint64_t ring_ts(struct ctx *c, unsigned int e)
{
	uint32_t lo, hi, hi2;

	/* Re-read the high half: a carry between the halves is possible. */
	do {
		hi = ERD(e, MVGPU_RING_TIMESTAMP_HI);
		lo = ERD(e, MVGPU_RING_TIMESTAMP_LO);
		hi2 = ERD(e, MVGPU_RING_TIMESTAMP_HI);
	} while (hi != hi2 && !tap_cur_failed);
	return (uint64_t)hi << 32 | lo;
}

/* LRI into all GPRs, SRM back, and the registers read through BAR0. */
static void test_lri_srm(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *out;
	struct gpu_cmds cmds;
	unsigned int e, i;
	uint64_t ts0, ts1, mmio0, mmio1;

	out = gpu_bo_new(g, 4096, 0);
	REQUIRE(out, "%s", gpu_err());
	gpu_cmds_init(&cmds);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		uint32_t base = MVGPU_ENGINE_BASE(e);
		uint32_t *p;

		cmds.len = 0;
		/* One LRI with all 32 dwords. */
		p = gpu_cmds_add(&cmds, 1 + 2 * 2 * MVGPU_CS_GPR_COUNT);
		REQUIRE(p, "out of memory");
		p[0] = MVGPU_MI_LOAD_REGISTER_IMM(2 * MVGPU_CS_GPR_COUNT);
		for (i = 0; i < 2 * MVGPU_CS_GPR_COUNT; i++) {
			p[1 + 2 * i] = base + MVGPU_CS_GPR(0) + 4 * i;
			p[2 + 2 * i] = sdi_val(c, 100 * e + i);
		}
		for (i = 0; i < 2 * MVGPU_CS_GPR_COUNT; i++)
			gpu_emit_srm(&cmds, base + MVGPU_CS_GPR(0) + 4 * i,
				     out->gaddr + 1024 * e + 4 * i, true);
		/* The timestamp, around a register write and read. */
		gpu_emit_srm(&cmds, base + MVGPU_RING_TIMESTAMP_LO,
			     out->gaddr + 1024 * e + 512, true);
		gpu_emit_srm(&cmds, base + MVGPU_RING_TIMESTAMP_HI,
			     out->gaddr + 1024 * e + 516, true);
		gpu_emit_lri(&cmds, base + MVGPU_CS_GPR(3), 0x33333333);
		gpu_emit_srm(&cmds, base + MVGPU_RING_TIMESTAMP_LO,
			     out->gaddr + 1024 * e + 520, true);
		gpu_emit_srm(&cmds, base + MVGPU_RING_TIMESTAMP_HI,
			     out->gaddr + 1024 * e + 524, true);
		gpu_emit_srm(&cmds, base + MVGPU_CS_GPR(3),
			     out->gaddr + 1024 * e + 528, true);
		mmio0 = ring_ts(c, e);
		GCHECK(gpu_run(g, e, cmds.dw, cmds.len));
		mmio1 = ring_ts(c, e);
		for (i = 0; i < 2 * MVGPU_CS_GPR_COUNT; i++) {
			CHECK_EQ(*u32p(out, 1024 * e + 4 * i),
				 sdi_val(c, 100 * e + i),
				 "engine %u GPR dword %u stored by SRM", e, i);
			if (i == 6)
				continue;	/* GPR3 low: rewritten below */
			CHECK_EQ(ERD(e, MVGPU_CS_GPR(0) + 4 * i),
				 sdi_val(c, 100 * e + i),
				 "engine %u GPR dword %u read through BAR0", e,
				 i);
		}
		CHECK_EQ(*u32p(out, 1024 * e + 528), 0x33333333,
			 "engine %u GPR3 after the second LRI", e);
		/*
		 * SRM of LO then HI is not atomic, but a carry between the
		 * two (every 4.3 s) is too unlikely to matter.
		 */
		ts0 = rd64(u32p(out, 1024 * e + 512));
		ts1 = rd64(u32p(out, 1024 * e + 520));
		CHECK(ts0 < ts1, "engine %u timestamps 0x%llx then 0x%llx", e,
		      (unsigned long long)ts0, (unsigned long long)ts1);
		CHECK(mmio0 <= ts0 && ts1 <= mmio1,
		      "engine %u SRM timestamps 0x%llx..0x%llx outside the BAR0 reads 0x%llx..0x%llx",
		      e, (unsigned long long)ts0, (unsigned long long)ts1,
		      (unsigned long long)mmio0, (unsigned long long)mmio1);
	}
	gpu_cmds_fini(&cmds);
	/* Each engine has its own registers. */
	CHECK_EQ(ERD(RCS, MVGPU_CS_GPR(0)), sdi_val(c, 0), "render GPR0");
	CHECK_EQ(ERD(BCS, MVGPU_CS_GPR(0)), sdi_val(c, 100), "blitter GPR0");
}

/* ---- post-sync writes and interrupts ------------------------------------ */

/* Emit @cm on @e and kick, without a breadcrumb. */
static bool emit_kick(struct ctx *c, unsigned int e, const struct gpu_cmds *cm)
{
	return GCHECK(gpu_ring_emit(&c->g, e, cm->dw, cm->len)) &&
	       GCHECK(gpu_ring_kick(&c->g, e));
}

static void irq_test(struct ctx *c, bool msi)
{
	const uint32_t all = MVGPU_IRQ_USER(RCS) | MVGPU_IRQ_COMPLETE(RCS) |
			     MVGPU_IRQ_FAULT(RCS) | MVGPU_IRQ_USER(BCS) |
			     MVGPU_IRQ_COMPLETE(BCS) | MVGPU_IRQ_FAULT(BCS);
	struct gpu *g = &c->g;
	struct gpu_bo *out;
	struct gpu_cmds cmds;
	uint64_t t0, t1, ts;
	uint32_t got, hws_head;
	unsigned int e;
	int r;

	out = gpu_bo_new(g, 4096, 0);
	REQUIRE(out, "%s", gpu_err());
	GREQ(gpu_irq_init(g, msi, all));
	gpu_cmds_init(&cmds);

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		uint32_t other = e == RCS ? BCS : RCS;
		uint32_t notify = e == RCS ? MVGPU_PC_NOTIFY :
					     MVGPU_MI_FLUSH_DW_NOTIFY;
		uint64_t a = out->gaddr + 512 * e;

		/* A post-sync qword store with notify: USER, then COMPLETE. */
		cmds.len = 0;
		if (e == RCS)
			gpu_emit_pipe_control(&cmds, MVGPU_PC_OP_STORE |
					      MVGPU_PC_USE_GGTT | notify |
					      MVGPU_PC_CS_STALL,
					      a, 0x1122334455667788ull ^ c->cookie);
		else
			gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_STORE |
					  notify, a,
					  0x1122334455667788ull ^ c->cookie,
					  true, true);
		if (!emit_kick(c, e, &cmds))
			break;
		r = gpu_irq_wait(g, MVGPU_IRQ_USER(e), GPU_WAIT_MS, &got);
		CHECK(r == 1, "engine %u: no USER interrupt for the notify (%s)",
		      e, r < 0 ? gpu_err() : "timeout");
		r = gpu_irq_wait(g, MVGPU_IRQ_COMPLETE(e), GPU_WAIT_MS, &got);
		CHECK(r == 1, "engine %u: no COMPLETE interrupt (%s)", e,
		      r < 0 ? gpu_err() : "timeout");
		CHECK_EQ(rd64(u32p(out, 512 * e)),
			 0x1122334455667788ull ^ c->cookie,
			 "engine %u post-sync qword", e);
		CHECK_EQ(g->irq_seen & (MVGPU_IRQ_USER(other) |
					MVGPU_IRQ_COMPLETE(other) |
					MVGPU_IRQ_FAULT(RCS) |
					MVGPU_IRQ_FAULT(BCS)), 0,
			 "engine %u work raised other sources", e);
		/* The engine wrote the head to the status page when it ran dry. */
		hws_head = *vu32p(g->ring[e].hws, MVGPU_HWS_HEAD);
		CHECK_EQ(hws_head, g->ring[e].tail,
			 "engine %u status page head", e);

		/* Post-sync timestamp: between two BAR0 timestamp reads. */
		cmds.len = 0;
		if (e == RCS)
			gpu_emit_pipe_control(&cmds, MVGPU_PC_OP_TS |
					      MVGPU_PC_USE_GGTT, a + 8, 0);
		else
			gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_TS,
					  a + 8, 0, true, true);
		/* A dword post-sync store and MI_USER_INTERRUPT. */
		if (e == RCS)
			gpu_emit_sdi(&cmds, a + 16, 0xabcdef01, true);
		else
			gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_STORE,
					  a + 16, 0xabcdef01, false, true);
		gpu_emit(&cmds, MVGPU_MI_USER_INTERRUPT);
		t0 = ring_ts(c, e);
		if (!emit_kick(c, e, &cmds))
			break;
		r = gpu_irq_wait(g, MVGPU_IRQ_USER(e), GPU_WAIT_MS, &got);
		CHECK(r == 1, "engine %u: no USER interrupt for MI_USER_INTERRUPT (%s)",
		      e, r < 0 ? gpu_err() : "timeout");
		GCHECK(gpu_wait_idle(g, e, GPU_WAIT_MS));
		t1 = ring_ts(c, e);
		ts = rd64(u32p(out, 512 * e + 8));
		CHECK(ts >= t0 && ts <= t1,
		      "engine %u post-sync timestamp %llu not within the BAR0 timestamps %llu..%llu",
		      e, (unsigned long long)ts, (unsigned long long)t0,
		      (unsigned long long)t1);
		CHECK_EQ(*u32p(out, 512 * e + 16), 0xabcdef01,
			 "engine %u dword store", e);
		CHECK_EQ(*u32p(out, 512 * e + 20), 0,
			 "engine %u dword store wrote a qword", e);
		r = gpu_irq_wait(g, MVGPU_IRQ_COMPLETE(e), GPU_WAIT_MS, &got);
		CHECK(r == 1, "engine %u: no COMPLETE interrupt (%s)", e,
		      r < 0 ? gpu_err() : "timeout");
	}

	/* A disabled source latches silently and asserts once enabled. */
	GCHECK(gpu_irq_clear(g));
	if (!msi)
		CHECK(mv_irq_unmask(&g->dev, VFIO_PCI_INTX_IRQ_INDEX) == 0,
		      "%s", mv_err());
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_ENABLE, all & ~(MVGPU_IRQ_USER(BCS) |
						     MVGPU_IRQ_COMPLETE(BCS))));
	cmds.len = 0;
	gpu_emit(&cmds, MVGPU_MI_USER_INTERRUPT);
	if (emit_kick(c, BCS, &cmds)) {
		uint64_t cnt = 0;

		GCHECK(gpu_wait_idle(g, BCS, GPU_WAIT_MS));
		r = mv_eventfd_wait(g->irq_fd, 300, &cnt);
		CHECK(r == 0, "interrupt for a disabled USER(BCS) (%d)", r);
		CHECK_EQ(RD(MVGPU_REG_IRQ_STATUS) & (MVGPU_IRQ_USER(BCS) |
						     MVGPU_IRQ_COMPLETE(BCS)),
			 MVGPU_IRQ_USER(BCS) | MVGPU_IRQ_COMPLETE(BCS),
			 "IRQ_STATUS latches disabled USER and COMPLETE");
		GCHECK(gpu_wr(g, MVGPU_REG_IRQ_ENABLE, all));
		r = mv_eventfd_wait(g->irq_fd, GPU_WAIT_MS, &cnt);
		CHECK(r == 1, "pending USER(BCS) not delivered once enabled (%s)",
		      r < 0 ? mv_err() : "timeout");
	}
	GCHECK(gpu_irq_clear(g));

	/* A fault raises FAULT(e). */
	cmds.len = 0;
	gpu_emit(&cmds, 0x1f800000);	/* MI opcode 0x3f: not in the set */
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	if (emit_kick(c, RCS, &cmds)) {
		r = gpu_irq_wait(g, MVGPU_IRQ_FAULT(RCS), GPU_WAIT_MS, &got);
		CHECK(r == 1, "no FAULT(RCS) interrupt (%s)",
		      r < 0 ? gpu_err() : "timeout");
		CHECK(ERD(RCS, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_HALTED,
		      "render engine not halted");
		GCHECK(gpu_engine_reset(g, RCS));
	}
	gpu_cmds_fini(&cmds);
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_ENABLE, 0));
}

static void test_irq_msi(void *arg)
{
	irq_test(arg, true);
}

static void test_irq_intx(void *arg)
{
	irq_test(arg, false);
}

/* ---- semaphores ----------------------------------------------------------- */

static void test_semaphore(void *arg)
{
	static const struct {
		unsigned int op;
		uint32_t data;	/* satisfied by the value 100 */
	} ops[] = {
		{ MVGPU_SEM_GT, 99 }, { MVGPU_SEM_GTE, 100 },
		{ MVGPU_SEM_LT, 101 }, { MVGPU_SEM_LTE, 100 },
		{ MVGPU_SEM_EQ, 100 }, { MVGPU_SEM_NEQ, 7 },
	};
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *m;
	struct gpu_cmds cmds;
	volatile uint32_t *sem, *mark;
	uint32_t seq, seq2, st;
	uint64_t t0;
	unsigned int i, wait_ms;

	m = gpu_bo_new(g, 4096, 0);
	REQUIRE(m, "%s", gpu_err());
	sem = vu32p(m, 0);
	mark = vu32p(m, 64);
	*sem = 100;
	gpu_cmds_init(&cmds);

	/* Every compare operation, satisfied at once. */
	for (i = 0; i < TAP_ARRAY_SIZE(ops); i++) {
		gpu_emit_sem_wait(&cmds, ops[i].op, ops[i].data, m->gaddr, true);
		gpu_emit_sdi(&cmds, m->gaddr + 64 + 4 * i, i + 1, true);
	}
	GCHECK(gpu_run(g, RCS, cmds.dw, cmds.len));
	for (i = 0; i < TAP_ARRAY_SIZE(ops); i++)
		CHECK_EQ(mark[i], i + 1, "store after satisfied op %u",
			 ops[i].op);

	/*
	 * Not satisfied: the engine waits until the CPU writes the value.
	 * Release it well within the watchdog period.
	 */
	wait_ms = g->watchdog_ms / 4 ? g->watchdog_ms / 4 : 1;
	*sem = 0;
	mark[8] = 0;
	cmds.len = 0;
	gpu_emit_sem_wait(&cmds, MVGPU_SEM_EQ, 0x600d, m->gaddr, true);
	gpu_emit_sdi(&cmds, m->gaddr + 64 + 32, 0x1234, true);
	GREQ(gpu_submit(g, RCS, cmds.dw, cmds.len, &seq));
	t0 = gpu_now_ms();
	/* Poll (not sleep) so the release comes in time on a slow machine. */
	do {
		st = ERD(RCS, MVGPU_ENGINE_STATUS);
	} while (!(st & MVGPU_ENGINE_STATUS_WAITING) &&
		 gpu_now_ms() - t0 < wait_ms && !tap_cur_failed);
	CHECK(st & MVGPU_ENGINE_STATUS_WAITING,
	      "ENGINE_STATUS 0x%x: not WAITING on the semaphore", st);
	CHECK(st & MVGPU_ENGINE_STATUS_BUSY, "ENGINE_STATUS 0x%x: not BUSY", st);
	CHECK_EQ(mark[8], 0, "store after an unsatisfied semaphore ran");
	*sem = 0x600d;
	GCHECK(gpu_wait_seqno(g, RCS, seq, GPU_WAIT_MS));
	CHECK_EQ(mark[8], 0x1234, "store after the released semaphore");
	/*
	 * ENGINE_STATUS is published when the slice ends, a moment after
	 * the breadcrumb landed (hw-interface.rst, "Time slicing").
	 */
	t0 = gpu_now_ms();
	while ((ERD(RCS, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_WAITING) &&
	       gpu_now_ms() - t0 < 500 && !tap_cur_failed)
		gpu_sleep_ms(1);
	CHECK(!(ERD(RCS, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_WAITING),
	      "still WAITING 500 ms after the release");

	/* The blitter waits for a value the render engine stores. */
	*sem = 1;
	cmds.len = 0;
	gpu_emit_sem_wait(&cmds, MVGPU_SEM_GTE, 5, m->gaddr, true);
	gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_STORE, m->gaddr + 128,
			  0xb1b1, false, true);
	GREQ(gpu_submit(g, BCS, cmds.dw, cmds.len, &seq));
	cmds.len = 0;
	gpu_emit_sdi(&cmds, m->gaddr + 136, 0xa1a1, true);
	gpu_emit_sdi(&cmds, m->gaddr, 5, true);
	GREQ(gpu_submit(g, RCS, cmds.dw, cmds.len, &seq2));
	GCHECK(gpu_wait_seqno(g, RCS, seq2, GPU_WAIT_MS));
	GCHECK(gpu_wait_seqno(g, BCS, seq, GPU_WAIT_MS));
	CHECK_EQ(*vu32p(m, 136), 0xa1a1, "render store");
	CHECK_EQ(*vu32p(m, 128), 0xb1b1,
		 "blitter store after the render engine released it");
	gpu_cmds_fini(&cmds);
}

/*
 * A command stream that rewrites its own PPGTT: a store, a store of a new
 * leaf entry into the page table, a TLB invalidation, and a store to the
 * same address, which must reach the new page.
 */
static void test_tlb_invalidate(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *a, *b;
	struct gpu_cmds cmds;
	uint64_t *pte, pt_dma, pt_g, va = PP_MISC + 0x3000;
	unsigned int e;

	a = gpu_bo_new(g, 4096, GPU_BO_NO_GGTT);
	b = gpu_bo_new(g, 4096, GPU_BO_NO_GGTT);
	REQUIRE(a && b, "%s", gpu_err());
	GREQ(gpu_ppgtt_init(g));
	/* The page table page holding va's entry, mapped in the GGTT. */
	pte = gpu_ppgtt_entry(g, va, 3);
	REQUIRE(pte, "%s", gpu_err());
	pt_dma = g->pt_pool->iova +
		 (((uint8_t *)pte - (uint8_t *)g->pt_pool->cpu) & ~4095l);
	GREQ(gpu_ggtt_alloc(g, 4096, &pt_g));
	GREQ(gpu_ggtt_write(g, pt_g, pt_dma | MVGPU_PTE_PRESENT |
			    MVGPU_PTE_WRITABLE));
	gpu_cmds_init(&cmds);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		memset(a->cpu, 0, 4096);
		memset(b->cpu, 0, 4096);
		*pte = gpu_bo_pte(a, 0);
		GREQ(gpu_ppgtt_enable(g, e, gpu_ppgtt_desc(g)));
		cmds.len = 0;
		gpu_emit_sdi(&cmds, va + 16, 0xaaaa, false);
		gpu_emit_sdi_qw(&cmds, pt_g + ((uintptr_t)pte & 4095),
				gpu_bo_pte(b, 0), true);
		if (e == RCS)
			gpu_emit_pipe_control(&cmds, MVGPU_PC_TLB_INVALIDATE |
					      MVGPU_PC_CS_STALL, 0, 0);
		else
			gpu_emit_flush_dw(&cmds, 1u << 18, 0, 0, false, true);
		gpu_emit_sdi(&cmds, va + 16, 0xbbbb, false);
		GCHECK(gpu_run(g, e, cmds.dw, cmds.len));
		CHECK_EQ(*u32p(a, 16), 0xaaaa, "engine %u store before", e);
		CHECK_EQ(*pte, gpu_bo_pte(b, 0), "engine %u new entry", e);
		CHECK_EQ(*u32p(b, 16), 0xbbbb,
			 "engine %u store after the invalidation", e);
		GCHECK(gpu_ppgtt_enable(g, e, 0));
	}
	gpu_cmds_fini(&cmds);
}

/* ---- batches ------------------------------------------------------------ */

/* A batch object holding @cmds (bound in the GGTT, and the PPGTT at @pp). */
static struct gpu_bo *make_batch(struct ctx *c, struct gpu_cmds *cmds,
				 uint64_t pp)
{
	struct gpu_bo *bo;

	bo = gpu_bo_new(&c->g, cmds->len * 4, 0);
	if (!CHECK(bo, "batch: %s", gpu_err()))
		return NULL;
	if (!GCHECK(gpu_cmds_store(cmds, bo, 0)))
		return NULL;
	if (pp && !GCHECK(gpu_ppgtt_bind(&c->g, bo, pp, false)))
		return NULL;
	return bo;
}

/*
 * A batch of more than 1 MiB: mostly MI_NOOP/MI_ARB_CHECK, with a store
 * every 4 KiB (some straddling a page boundary) and one at the end.
 */
static void test_big_batch(void *arg)
{
	enum { DWORDS = (1280 << 10) / 4, STEP = 1024 };
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *out, *batch;
	struct gpu_cmds cmds;
	unsigned int i, n = 0, bad = 0;
	uint32_t *p;

	out = gpu_bo_new(g, 4096, 0);
	REQUIRE(out, "%s", gpu_err());
	gpu_cmds_init(&cmds);
	p = gpu_cmds_add(&cmds, DWORDS);
	REQUIRE(p, "out of memory");
	for (i = 0; i < DWORDS; i++)
		p[i] = i % 7 ? MVGPU_MI_NOOP : MVGPU_MI_ARB_CHECK;
	for (i = STEP; i + 8 < DWORDS; i += STEP, n++) {
		/* Every other store starts 2 dwords before a page boundary. */
		unsigned int at = n & 1 ? i - 2 : i;

		p[at] = MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT;
		p[at + 1] = (uint32_t)(out->gaddr + 4 * n);
		p[at + 2] = (uint32_t)(out->gaddr >> 32);
		p[at + 3] = sdi_val(c, n);
	}
	/* The last commands: a final store and the end. */
	cmds.len = DWORDS - 6;
	gpu_emit_sdi(&cmds, out->gaddr + 4 * n, sdi_val(c, n), true);
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit_bb_end(&cmds);
	REQUIRE(cmds.len == DWORDS && !cmds.oom, "batch built wrong");
	batch = make_batch(c, &cmds, 0);
	gpu_cmds_fini(&cmds);
	REQUIRE(batch, "no batch");
	GCHECK(gpu_run_batch(g, RCS, batch->gaddr, 0));
	for (i = 0; i <= n; i++)
		if (*u32p(out, 4 * i) != sdi_val(c, i) && bad++ < 4)
			CHECK_EQ(*u32p(out, 4 * i), sdi_val(c, i),
				 "store %u of %u in the batch", i, n + 1);
	CHECK(bad == 0, "%u of %u stores in a %u KiB batch wrong or lost",
	      bad, n + 1, DWORDS * 4 / 1024);
}

/*
 * Chaining and second-level batches, GGTT and PPGTT:
 *   A (GGTT):  s0; chain to B (PPGTT); [bad0]
 *   B (PPGTT): s1; call C1 (GGTT); s4; call C2 (PPGTT); s6; end
 *   C1:        s2; chain to C1b; [bad1]
 *   C1b:       s3; end (returns to B)
 *   C2:        s5; end (returns to B)
 * Each store also overwrites a log dword, so the last one must be s6.
 */
static void test_chained_batches(void *arg)
{
	enum { S0, S1, S2, S3, S4, S5, S6, BAD0, BAD1, LOG, NSLOT };
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *out, *a, *b, *c1, *c1b, *c2;
	struct gpu_cmds cmds;
	unsigned int e, i;
	uint64_t pb = PP_BATCH + 0x100000, pc2 = PP_BATCH + 0x300000;

	out = gpu_bo_new(g, 4096, 0);
	REQUIRE(out, "%s", gpu_err());
	GREQ(gpu_ppgtt_init(g));
	gpu_cmds_init(&cmds);

#define ST(slot)							\
	do {								\
		gpu_emit_sdi(&cmds, out->gaddr + 4 * (slot),		\
			     0xc0de0000 + (slot), true);		\
		gpu_emit_sdi(&cmds, out->gaddr + 4 * LOG,		\
			     0xc0de0000 + (slot), true);		\
	} while (0)

	cmds.len = 0;
	ST(S3);
	gpu_emit_bb_end(&cmds);
	c1b = make_batch(c, &cmds, 0);
	REQUIRE(c1b, "no batch");

	cmds.len = 0;
	ST(S2);
	gpu_emit_bb_start(&cmds, c1b->gaddr, 0);
	ST(BAD1);
	gpu_emit_bb_end(&cmds);
	c1 = make_batch(c, &cmds, 0);
	REQUIRE(c1, "no batch");

	cmds.len = 0;
	ST(S5);
	gpu_emit_bb_end(&cmds);
	c2 = make_batch(c, &cmds, pc2);
	REQUIRE(c2, "no batch");

	cmds.len = 0;
	ST(S1);
	gpu_emit_bb_start(&cmds, c1->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	ST(S4);
	gpu_emit_bb_start(&cmds, pc2,
			  MVGPU_MI_BB_SECOND_LEVEL | MVGPU_MI_BB_PPGTT);
	ST(S6);
	gpu_emit_bb_end(&cmds);
	b = make_batch(c, &cmds, pb);
	REQUIRE(b, "no batch");

	cmds.len = 0;
	ST(S0);
	gpu_emit_bb_start(&cmds, pb, MVGPU_MI_BB_PPGTT);
	ST(BAD0);
	gpu_emit_bb_end(&cmds);
	a = make_batch(c, &cmds, 0);
	REQUIRE(a, "no batch");
#undef ST
	gpu_cmds_fini(&cmds);

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		memset(out->cpu, 0, 4 * NSLOT);
		GREQ(gpu_ppgtt_enable(g, e, gpu_ppgtt_desc(g)));
		GCHECK(gpu_run_batch(g, e, a->gaddr, 0));
		for (i = S0; i <= S6; i++)
			CHECK_EQ(*u32p(out, 4 * i), 0xc0de0000 + i,
				 "engine %u store s%u", e, i);
		CHECK_EQ(*u32p(out, 4 * BAD0), 0,
			 "engine %u: a chained batch returned to its caller", e);
		CHECK_EQ(*u32p(out, 4 * BAD1), 0,
			 "engine %u: a chain inside a second-level batch returned", e);
		CHECK_EQ(*u32p(out, 4 * LOG), 0xc0de0000 + S6,
			 "engine %u: last store in execution order", e);
		GCHECK(gpu_ppgtt_enable(g, e, 0));
	}
}

/* Hundreds of small requests on a 4 KiB ring; commands straddle the wrap. */
static void test_ring_wrap(void *arg)
{
	enum { N = 1000 };
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *out;
	struct gpu_cmds cmds;
	uint32_t seq = 0;
	unsigned int i, k, straddles, wraps, bad;
	unsigned int e;

	out = gpu_bo_new(g, N * 4, 0);
	REQUIRE(out, "%s", gpu_err());
	gpu_cmds_init(&cmds);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GREQ(gpu_ring_init(g, e, 4096));
		memset(out->cpu, 0, N * 4);
		straddles = wraps = bad = 0;
		for (i = 0; i < N; i++) {
			uint32_t tail = g->ring[e].tail, at;
			int nk = i % 5;

			/*
			 * Near the end of the ring, pad so that the store
			 * straddles the wrap (4, 8 or 12 bytes before it).
			 */
			if (4096 - tail <= 64) {
				nk = (int)(4096 - tail) / 4 - 1 - i % 3;
				nk = nk < 0 ? 0 : nk;
			}
			cmds.len = 0;
			for (k = 0; k < (unsigned int)nk; k++)
				gpu_emit(&cmds, MVGPU_MI_NOOP);
			at = (tail + 4 * cmds.len) % 4096;
			straddles += at + 16 > 4096;
			gpu_emit_sdi(&cmds, out->gaddr + 4 * i, sdi_val(c, i),
				     true);
			if (!GCHECK(gpu_submit(g, e, cmds.dw, cmds.len, &seq)))
				break;
			wraps += g->ring[e].tail < tail;
			/* Sometimes wait, sometimes let requests pile up. */
			if (i % 97 == 0 &&
			    !GCHECK(gpu_wait_seqno(g, e, seq, GPU_WAIT_MS)))
				break;
		}
		GCHECK(gpu_wait_seqno(g, e, seq, GPU_WAIT_MS));
		for (i = 0; i < N; i++)
			if (*u32p(out, 4 * i) != sdi_val(c, i) && bad++ < 4)
				CHECK_EQ(*u32p(out, 4 * i), sdi_val(c, i),
					 "engine %u request %u", e, i);
		CHECK(bad == 0, "engine %u: %u requests wrong or lost", e, bad);
		CHECK(straddles > 0 && wraps >= 8,
		      "engine %u: %u commands straddled the wrap, %u wraps", e,
		      straddles, wraps);
		GCHECK(gpu_wait_idle(g, e, GPU_WAIT_MS));
		CHECK_EQ(ERD(e, MVGPU_RING_HEAD), g->ring[e].tail,
			 "engine %u head after the last request", e);
	}
	gpu_cmds_fini(&cmds);
}

/* ---- faults ------------------------------------------------------------- */

/* What a fault must report. */
struct fault_want {
	unsigned int engine;
	uint32_t status;	/* FAULT_STATUS, VALID added by the check */
	uint32_t ignore;	/* FAULT_STATUS bits not checked */
	bool addr_page;		/* FAULT_ADDR: any byte of @addr's page */
	bool instr_set;
	uint32_t instr;
	bool addr_set;
	uint64_t addr;
	unsigned int ring_dw;	/* dword index of the ring command at fault */
	bool cmd_set;		/* FAULT_CMD is @cmd, not that ring command */
	uint64_t cmd;
};

/*
 * Submit @cm on the engine, with a marker store behind it; the engine must
 * halt with the fault @w describes (also in IRQ_STATUS), keep its head at
 * the faulting ring command and not run the marker.  A reset then clears
 * the fault, discards the marker and the engine runs a new request.
 */
static bool expect_fault(struct ctx *c, const struct fault_want *w,
			 const struct gpu_cmds *cm, const char *what)
{
	struct gpu *g = &c->g;
	unsigned int e = w->engine;
	struct gpu_ring *r = &g->ring[e];
	uint64_t ring_g = r->bo->gaddr, mark_a = c->scratch->gaddr + 0x800;
	volatile uint32_t *mark = vu32p(c->scratch, 0x800);
	uint32_t head0 = r->tail, seq, st;
	uint64_t t0;
	struct gpu_cmds m;
	struct gpu_fault f;
	bool ok = true;

	mark[0] = 0;
	mark[1] = 0;
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_FAULT(e)));
	gpu_cmds_init(&m);
	gpu_emit_sdi(&m, mark_a, 0xdead, true);
	if (!GCHECK(gpu_ring_emit(g, e, cm->dw, cm->len)) ||
	    !GCHECK(gpu_ring_emit(g, e, m.dw, m.len)) ||
	    !GCHECK(gpu_ring_kick(g, e))) {
		gpu_cmds_fini(&m);
		return false;
	}
	if (!CHECK(gpu_wait_halt(g, e, GPU_WAIT_MS + g->watchdog_ms, &f) == 0,
		   "%s: %s", what, gpu_err())) {
		gpu_engine_reset(g, e);
		gpu_cmds_fini(&m);
		return false;
	}
	ok &= CHECK_EQ(f.status & ~w->ignore, MVGPU_FAULT_VALID | w->status,
		       "%s: FAULT_STATUS (type %s, want %s)", what,
		       gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK),
		       gpu_fault_name(w->status & MVGPU_FAULT_TYPE_MASK));
	if (w->instr_set)
		ok &= CHECK_EQ(f.instr, w->instr, "%s: FAULT_INSTR", what);
	if (w->addr_set && w->addr_page)
		ok &= CHECK_EQ(f.addr >> 12, w->addr >> 12,
			       "%s: FAULT_ADDR page (FAULT_ADDR 0x%llx)", what,
			       (unsigned long long)f.addr);
	else if (w->addr_set)
		ok &= CHECK_EQ(f.addr, w->addr, "%s: FAULT_ADDR", what);
	ok &= CHECK_EQ(f.cmd, w->cmd_set ? w->cmd :
		       ring_g + (head0 + 4 * w->ring_dw) % r->size,
		       "%s: FAULT_CMD", what);
	ok &= CHECK_EQ(f.head, (head0 + 4 * w->ring_dw) % r->size,
		       "%s: RING_HEAD at the faulting ring command", what);
	ok &= CHECK(f.engine_status & MVGPU_ENGINE_STATUS_HALTED,
		    "%s: ENGINE_STATUS 0x%x", what, f.engine_status);
	/* The interrupt follows the halt at the end of the slice. */
	t0 = gpu_now_ms();
	while (!(RD(MVGPU_REG_IRQ_STATUS) & MVGPU_IRQ_FAULT(e)) &&
	       gpu_now_ms() - t0 < 1000 && !tap_cur_failed)
		;
	ok &= CHECK(RD(MVGPU_REG_IRQ_STATUS) & MVGPU_IRQ_FAULT(e),
		    "%s: IRQ_STATUS lacks FAULT(%u)", what, e);
	ok &= CHECK_EQ(mark[0], 0, "%s: a command after the fault ran", what);

	/* Reset: fault cleared, queued commands discarded. */
	GCHECK(gpu_engine_reset(g, e));
	ok &= CHECK_EQ(ERD(e, MVGPU_FAULT_STATUS), 0,
		       "%s: FAULT_STATUS after ENGINE_RESET", what);
	st = ERD(e, MVGPU_ENGINE_STATUS);
	ok &= CHECK(!(st & (MVGPU_ENGINE_STATUS_HALTED |
			    MVGPU_ENGINE_STATUS_BUSY)),
		    "%s: ENGINE_STATUS 0x%x after ENGINE_RESET", what, st);
	ok &= CHECK_EQ(ERD(e, MVGPU_RING_HEAD), ERD(e, MVGPU_RING_TAIL),
		       "%s: head == tail after ENGINE_RESET", what);
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_FAULT(e)));

	/* And the engine works again. */
	m.len = 0;
	gpu_emit_sdi(&m, mark_a + 4, 0x600d, true);
	ok &= GCHECK(gpu_submit(g, e, m.dw, m.len, &seq)) &&
	      GCHECK(gpu_wait_seqno(g, e, seq, GPU_WAIT_MS));
	ok &= CHECK_EQ(mark[1], 0x600d, "%s: request after the reset", what);
	ok &= CHECK_EQ(mark[0], 0, "%s: discarded command ran after reset",
		       what);
	gpu_cmds_fini(&m);
	if (!ok)
		tap_diag("... in: %s", what);
	return ok;
}

#define FW(...)	((struct fault_want){ __VA_ARGS__ })
#define W	MVGPU_FAULT_WRITE
#define PP	MVGPU_FAULT_PPGTT

/* One store that faults at @addr. */
static void sdi_fault(struct ctx *c, unsigned int e, uint64_t addr,
		      bool ggtt, uint32_t status, const char *what)
{
	struct gpu_cmds cmds;

	gpu_cmds_init(&cmds);
	gpu_emit_sdi(&cmds, addr, 1, ggtt);
	expect_fault(c, &FW(.engine = e, .status = status, .instr_set = true,
			    .instr = cmds.dw[0], .addr_set = true,
			    .addr = addr), &cmds, what);
	gpu_cmds_fini(&cmds);
}

static void test_fault_translation(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *ro, *src;
	uint64_t ga, gl;
	struct gpu_cmds cmds;
	struct gpu_blit b;
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		/* The slice's first page is never bound. */
		sdi_fault(c, e, g->ggtt_base + 0x10, true,
			  W | MVGPU_FAULT_GGTT_UNMAPPED, "store to an unmapped GGTT page");
		if (g->ggtt_base + g->ggtt_size < MVGPU_GGTT_TOTAL)
			sdi_fault(c, e, g->ggtt_base + g->ggtt_size + 0x20,
				  true, W | MVGPU_FAULT_GGTT_RANGE,
				  "store above the GGTT slice");
		if (g->ggtt_base)
			sdi_fault(c, e, g->ggtt_base - 8, true,
				  W | MVGPU_FAULT_GGTT_RANGE,
				  "store below the GGTT slice");
		sdi_fault(c, e, MVGPU_GGTT_TOTAL + 0x1000, true,
			  W | MVGPU_FAULT_GGTT_RANGE,
			  "store beyond the 4 GiB GGTT");
		/* The PPGTT without a context. */
		sdi_fault(c, e, PP_MISC, false,
			  W | PP | MVGPU_FAULT_NO_PPGTT,
			  "PPGTT store without CTX_DESC");
	}

	/* Read-only GGTT page. */
	ro = gpu_bo_new(g, 4096, GPU_BO_READONLY);
	src = gpu_bo_new(g, 4096, 0);
	REQUIRE(ro && src, "%s", gpu_err());
	sdi_fault(c, RCS, ro->gaddr + 0x100, true,
		  W | MVGPU_FAULT_READ_ONLY, "store to a read-only page");
	/* ... which the engine may read: copy it out. */
	ref_fill(&c->rng, ro->cpu, 4096);
	memset(&b, 0, sizeof(b));
	b.r.op = REF_FAST_COPY_BLT;
	b.r.cpp = 4;
	b.r.x2 = 1024;
	b.r.y2 = 1;
	b.r.dst_pitch = b.r.src_pitch = 4096;
	b.dst = src->gaddr;
	b.src = ro->gaddr;
	gpu_cmds_init(&cmds);
	gpu_emit_blt(&cmds, &b);
	GCHECK(gpu_run(g, BCS, cmds.dw, cmds.len));
	CHECK(!memcmp(src->cpu, ro->cpu, 4096), "copy from a read-only page");
	/* ... and a blit into it faults on its first write. */
	b.dst = ro->gaddr;
	b.src = src->gaddr;
	cmds.len = 0;
	gpu_emit_blt(&cmds, &b);
	expect_fault(c, &FW(.engine = BCS, .status = W | MVGPU_FAULT_READ_ONLY,
			    .instr_set = true, .instr = cmds.dw[0],
			    .addr_set = true, .addr = ro->gaddr,
			    .addr_page = true),
		     &cmds, "blit into a read-only page");
	/* A source outside the slice: a read fault. */
	if (g->ggtt_base + g->ggtt_size < MVGPU_GGTT_TOTAL) {
		b.dst = src->gaddr;
		b.src = g->ggtt_base + g->ggtt_size;
		cmds.len = 0;
		gpu_emit_blt(&cmds, &b);
		expect_fault(c, &FW(.engine = BCS,
				    .status = MVGPU_FAULT_GGTT_RANGE,
				    .instr_set = true, .instr = cmds.dw[0],
				    .addr_set = true, .addr = b.src,
				    .addr_page = true),
			     &cmds, "blit from outside the slice");
	}

	/* A PTE to a DMA address the VMM never mapped. */
	GREQ(gpu_ggtt_alloc(g, 4096, &ga));
	GCHECK(gpu_ggtt_write(g, ga, IOVA_UNMAPPED | MVGPU_PTE_PRESENT |
			      MVGPU_PTE_WRITABLE));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		sdi_fault(c, e, ga + 0x40, true, W | MVGPU_FAULT_DMA,
			  "store to an unmapped DMA address");
	/* A local PTE beyond local memory. */
	GREQ(gpu_ggtt_alloc(g, 4096, &gl));
	GCHECK(gpu_ggtt_write(g, gl, g->vram_size | MVGPU_PTE_LOCAL |
			      MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE));
	sdi_fault(c, RCS, gl + 0x80, true, W | MVGPU_FAULT_LOCAL_RANGE,
		  "store beyond local memory");
	gpu_cmds_fini(&cmds);
}

static void test_fault_ppgtt(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *bo;
	uint64_t *pde, saved;
	unsigned int e;

	bo = gpu_bo_new(g, 8192, GPU_BO_NO_GGTT);
	REQUIRE(bo, "%s", gpu_err());
	GREQ(gpu_ppgtt_init(g));
	GREQ(gpu_ppgtt_bind(g, bo, PP_MISC, true));
	/* Second page read-only. */
	GREQ(gpu_ppgtt_set(g, PP_MISC + 4096,
			   (bo->iova + 4096) | MVGPU_PTE_PRESENT));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GREQ(gpu_ppgtt_enable(g, e, gpu_ppgtt_desc(g)));
		/* A mapped page works. */
		{
			struct gpu_cmds cmds;

			gpu_cmds_init(&cmds);
			gpu_emit_sdi(&cmds, PP_MISC + 8 * e, 0x77 + e, false);
			GCHECK(gpu_run(g, e, cmds.dw, cmds.len));
			CHECK_EQ(*u32p(bo, 8 * e), 0x77 + e,
				 "engine %u PPGTT store", e);
			gpu_cmds_fini(&cmds);
		}
		/* No PT entry; no PD entry; no PDP entry; no PML4 entry. */
		sdi_fault(c, e, PP_MISC + 2 * 4096, false,
			  W | PP | MVGPU_FAULT_PPGTT_UNMAPPED,
			  "PPGTT store, leaf not present");
		sdi_fault(c, e, PP_MISC + (16ull << 20), false,
			  W | PP | MVGPU_FAULT_PPGTT_UNMAPPED,
			  "PPGTT store, page directory entry not present");
		sdi_fault(c, e, PP_MISC + (1ull << 30), false,
			  W | PP | MVGPU_FAULT_PPGTT_UNMAPPED,
			  "PPGTT store, PDP entry not present");
		sdi_fault(c, e, 0x0000fff000000000ull, false,
			  W | PP | MVGPU_FAULT_PPGTT_UNMAPPED,
			  "PPGTT store, PML4 entry not present");
		sdi_fault(c, e, PP_MISC + 4096 + 12, false,
			  W | PP | MVGPU_FAULT_READ_ONLY,
			  "PPGTT store to a read-only page");
	}
	/* A leaf entry to an unmapped DMA address, one to local memory beyond. */
	GREQ(gpu_ppgtt_set(g, PP_MISC + 2 * 4096, IOVA_UNMAPPED |
			   MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE));
	sdi_fault(c, RCS, PP_MISC + 2 * 4096, false,
		  W | PP | MVGPU_FAULT_DMA, "PPGTT store to an unmapped DMA address");
	GREQ(gpu_ppgtt_set(g, PP_MISC + 2 * 4096, (g->vram_size + 4096) |
			   MVGPU_PTE_LOCAL | MVGPU_PTE_PRESENT |
			   MVGPU_PTE_WRITABLE));
	sdi_fault(c, RCS, PP_MISC + 2 * 4096, false,
		  W | PP | MVGPU_FAULT_LOCAL_RANGE,
		  "PPGTT store beyond local memory");
	/* A directory entry with the LOCAL bit. */
	pde = gpu_ppgtt_entry(g, PP_MISC, 2);
	REQUIRE(pde, "%s", gpu_err());
	saved = *pde;
	*pde |= MVGPU_PTE_LOCAL;
	sdi_fault(c, RCS, PP_MISC, false, W | PP | MVGPU_FAULT_BAD_PTE,
		  "PPGTT directory entry with LOCAL");
	*pde = saved;
	/* A directory pointing at unmapped DMA memory. */
	pde = gpu_ppgtt_entry(g, PP_MISC, 1);
	REQUIRE(pde, "%s", gpu_err());
	saved = *pde;
	*pde = IOVA_UNMAPPED | MVGPU_PTE_PRESENT;
	sdi_fault(c, BCS, PP_MISC, false, W | PP | MVGPU_FAULT_DMA,
		  "PPGTT directory in unmapped DMA memory");
	*pde = saved;
	/* A PML4 not in DMA memory at all. */
	GREQ(gpu_ppgtt_enable(g, RCS, IOVA_UNMAPPED | MVGPU_CTX_DESC_VALID));
	sdi_fault(c, RCS, PP_MISC, false, W | PP | MVGPU_FAULT_DMA,
		  "PML4 at an unmapped DMA address");
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		GCHECK(gpu_ppgtt_enable(g, e, 0));
}

/* Decoding faults: opcodes, lengths, engines, registers, fields. */
static void test_fault_decode(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *buf;
	struct gpu_cmds cmds;
	struct gpu_blit b;
	unsigned int i, e;
	static const uint32_t bad_ops[] = {
		0x1f800000,	/* MI 0x3f */
		0x03000000,	/* MI 0x06 */
		0x78000000,	/* 3D, not PIPE_CONTROL */
		0xe0000000,	/* client 7 */
		0x40000000,	/* 2D opcode 0 */
		0x7a000002,	/* PIPE_CONTROL header with another length */
	};

	buf = gpu_bo_new(g, 64 << 10, 0);
	REQUIRE(buf, "%s", gpu_err());
	gpu_cmds_init(&cmds);

/* A fault with no address involved: FAULT_ADDR reads 0. */
#define ONE(eng, type, ...)						\
	do {								\
		cmds.len = 0;						\
		__VA_ARGS__;						\
		expect_fault(c, &FW(.engine = (eng), .status = (type),	\
				    .instr_set = true,			\
				    .instr = cmds.dw[0],		\
				    .addr_set = true, .addr = 0),	\
			     &cmds, #__VA_ARGS__);			\
	} while (0)
/*
 * A field fault caused by the address @a: FAULT_ADDR is @a (unless ~0);
 * whether WRITE is set is not specified.
 */
#define ONE_ADDR(eng, type, a, ...)					\
	do {								\
		cmds.len = 0;						\
		__VA_ARGS__;						\
		expect_fault(c, &FW(.engine = (eng), .status = (type),	\
				    .ignore = MVGPU_FAULT_WRITE,	\
				    .instr_set = true,			\
				    .instr = cmds.dw[0],		\
				    .addr_set = (a) != ~0ull,		\
				    .addr = (a)),			\
			     &cmds, #__VA_ARGS__);			\
	} while (0)

	for (i = 0; i < TAP_ARRAY_SIZE(bad_ops); i++) {
		uint32_t want = bad_ops[i] == 0x7a000002 ?
				MVGPU_FAULT_BAD_LENGTH : MVGPU_FAULT_BAD_OPCODE;

		ONE(RCS, want, gpu_emit(&cmds, bad_ops[i]);
		    gpu_emit(&cmds, 0); gpu_emit(&cmds, 0);
		    gpu_emit(&cmds, 0); gpu_emit(&cmds, 0);
		    gpu_emit(&cmds, 0));
	}
	/* Known opcodes with a wrong length. */
	ONE(RCS, MVGPU_FAULT_BAD_LENGTH,
	    gpu_emit(&cmds, MVGPU_MI(0x20, 5) | MVGPU_MI_USE_GGTT);
	    gpu_emit(&cmds, (uint32_t)buf->gaddr); gpu_emit(&cmds, 0);
	    gpu_emit(&cmds, 1); gpu_emit(&cmds, 1); gpu_emit(&cmds, 1);
	    gpu_emit(&cmds, 1); gpu_emit(&cmds, 0));
	ONE(BCS, MVGPU_FAULT_BAD_LENGTH,
	    gpu_emit(&cmds, MVGPU_BLT(0x50, 4)); gpu_emit(&cmds, 0);
	    gpu_emit(&cmds, 0); gpu_emit(&cmds, 0); gpu_emit(&cmds, 0);
	    gpu_emit(&cmds, 0));
	ONE(RCS, MVGPU_FAULT_BAD_LENGTH,
	    gpu_emit(&cmds, MVGPU_MI(0x22, 2)); gpu_emit(&cmds, 0x2600);
	    gpu_emit(&cmds, 0); gpu_emit(&cmds, 0));
	ONE(BCS, MVGPU_FAULT_BAD_LENGTH,
	    gpu_emit(&cmds, MVGPU_MI(0x1c, 3)); gpu_emit(&cmds, 0);
	    gpu_emit(&cmds, (uint32_t)buf->gaddr); gpu_emit(&cmds, 0);
	    gpu_emit(&cmds, 0); gpu_emit(&cmds, 0));

	/* Commands on the wrong engine. */
	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.x2 = 4;
	b.r.y2 = 4;
	b.r.dst_pitch = 64;
	b.dst = buf->gaddr;
	ONE(RCS, MVGPU_FAULT_BAD_ENGINE, gpu_emit_blt(&cmds, &b));
	b.r.op = REF_FAST_COPY_BLT;
	b.r.src_pitch = 64;
	b.src = buf->gaddr + 4096;
	ONE(RCS, MVGPU_FAULT_BAD_ENGINE, gpu_emit_blt(&cmds, &b));
	b.r.op = REF_SRC_COPY_BLT;
	ONE(RCS, MVGPU_FAULT_BAD_ENGINE, gpu_emit_blt(&cmds, &b));
	ONE(BCS, MVGPU_FAULT_BAD_ENGINE,
	    gpu_emit_pipe_control(&cmds, MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT,
				  buf->gaddr, 1));
	ONE(RCS, MVGPU_FAULT_BAD_ENGINE,
	    gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_STORE, buf->gaddr,
			      1, false, true));
	/* Nothing was written by the refused commands. */
	CHECK(ref_first_diff(buf->cpu, (uint8_t *)buf->cpu + 32768, 8192) < 0,
	      "a refused command wrote memory");

	/* Registers outside the set. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		uint32_t base = MVGPU_ENGINE_BASE(e);
		uint32_t other = MVGPU_ENGINE_BASE(e ^ 1);
		const struct {
			uint32_t reg;
			bool lri;
		} regs[] = {
			{ base + MVGPU_RING_TAIL, true },
			{ base + MVGPU_CTX_DESC_LO, true },
			{ other + MVGPU_CS_GPR(0), true },
			{ base + MVGPU_CS_GPR(0) + 2, true },
			{ base + MVGPU_RING_TIMESTAMP_LO, true },
			{ MVGPU_REG_IRQ_RAISE, true },
			{ base + MVGPU_ENGINE_STATUS, false },
			{ other + MVGPU_CS_GPR(1), false },
			{ MVGPU_REG_ID, false },
		};

		for (i = 0; i < TAP_ARRAY_SIZE(regs); i++) {
			cmds.len = 0;
			if (regs[i].lri)
				gpu_emit_lri(&cmds, regs[i].reg, 0x55);
			else
				gpu_emit_srm(&cmds, regs[i].reg, buf->gaddr,
					     true);
			expect_fault(c, &FW(.engine = e,
					    .status = MVGPU_FAULT_BAD_REGISTER,
					    .instr_set = true,
					    .instr = cmds.dw[0],
					    .addr_set = true,
					    .addr = regs[i].reg),
				     &cmds, regs[i].lri ? "LRI of a register outside the set" :
				     "SRM of a register outside the set");
		}
	}
	/* No interrupt was raised by the LRI to IRQ_RAISE. */
	CHECK(!(RD(MVGPU_REG_IRQ_STATUS) & MVGPU_IRQ_SOFTWARE),
	      "LRI reached IRQ_RAISE");

	/* Unsupported field values. */
	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.x2 = 4;
	b.r.y2 = 4;
	b.r.dst_pitch = 64;
	b.r.write_alpha = b.r.write_rgb = true;
	b.dst = buf->gaddr;
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[1] &= ~MVGPU_BR13_ROP(0xff));
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[0] |= MVGPU_BLT_DST_TILED);
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[1] &= ~0xffffu);			/* pitch 0 */
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[1] |= 0x8000u);			/* pitch < 0 */
	b.r.op = REF_SRC_COPY_BLT;
	b.r.src_pitch = 64;
	b.src = buf->gaddr + 4096;
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[0] |= MVGPU_BLT_SRC_TILED);
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[1] = (cmds.dw[1] & ~MVGPU_BR13_ROP(0xff)) |
			 MVGPU_BR13_ROP(MVGPU_ROP_PATCOPY));
	b.r.op = REF_FAST_COPY_BLT;
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[0] |= 1u << 20);			/* source tiled */
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[0] |= 2u << 13);			/* destination tiled */
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[1] = (cmds.dw[1] & ~(7u << 24)) | MVGPU_FAST_DEPTH(2));
	ONE(BCS, MVGPU_FAULT_BAD_FIELD, gpu_emit_blt(&cmds, &b);
	    cmds.dw[7] = 0);				/* source pitch 0 */
	/* A span beyond MVGPU_BLT_MAX_BYTES. */
	b.r.op = REF_COLOR_BLT;
	b.r.dst_pitch = 32767;
	b.r.y2 = (MVGPU_BLT_MAX_BYTES / 32767) + 2;
	ONE_ADDR(BCS, MVGPU_FAULT_BAD_FIELD, ~0ull, gpu_emit_blt(&cmds, &b));
	ONE(RCS, MVGPU_FAULT_BAD_FIELD,
	    gpu_emit_pipe_control(&cmds, (2u << 14) | MVGPU_PC_USE_GGTT,
				  buf->gaddr, 0));
	ONE_ADDR(RCS, MVGPU_FAULT_BAD_FIELD, buf->gaddr + 4,
		 gpu_emit_pipe_control(&cmds, MVGPU_PC_OP_STORE |
				       MVGPU_PC_USE_GGTT, buf->gaddr + 4, 0));
	ONE(BCS, MVGPU_FAULT_BAD_FIELD,
	    gpu_emit_flush_dw(&cmds, 2u << 14, buf->gaddr, 0, false, true));
	ONE(RCS, MVGPU_FAULT_BAD_FIELD,
	    gpu_emit_sem_wait(&cmds, 7, 0, buf->gaddr, true));
	ONE_ADDR(RCS, MVGPU_FAULT_BAD_FIELD, buf->gaddr + 4,
		 gpu_emit_sdi_qw(&cmds, buf->gaddr + 4, 0, true));
	CHECK(ref_first_diff(buf->cpu, (uint8_t *)buf->cpu + 32768, 8192) < 0,
	      "a refused command wrote memory");
#undef ONE
#undef ONE_ADDR
	gpu_cmds_fini(&cmds);
}

/* Batch faults: flags, FAULT_CMD in the batch, depth errors, fetches. */
static void test_fault_batch(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *b1, *b2, *b3;
	struct gpu_cmds cmds, ring;
	uint64_t pb = PP_BATCH + 0x500000;
	unsigned int e;

	GREQ(gpu_ppgtt_init(g));
	gpu_cmds_init(&cmds);
	gpu_cmds_init(&ring);

	/* A store to an unmapped page, 3 commands into a GGTT batch. */
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit(&cmds, MVGPU_MI_ARB_CHECK);
	gpu_emit_sdi(&cmds, g->ggtt_base + 0x200, 1, true);
	gpu_emit_bb_end(&cmds);
	b1 = make_batch(c, &cmds, pb);
	REQUIRE(b1, "no batch");
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GREQ(gpu_ppgtt_enable(g, e, gpu_ppgtt_desc(g)));
		ring.len = 0;
		gpu_emit(&ring, MVGPU_MI_NOOP);
		gpu_emit(&ring, MVGPU_MI_NOOP);
		gpu_emit_bb_start(&ring, b1->gaddr, 0);
		expect_fault(c, &FW(.engine = e,
				    .status = W | MVGPU_FAULT_IN_BATCH |
					      MVGPU_FAULT_GGTT_UNMAPPED,
				    .instr_set = true,
				    .instr = MVGPU_MI_STORE_DATA_IMM |
					     MVGPU_MI_USE_GGTT,
				    .addr_set = true,
				    .addr = g->ggtt_base + 0x200,
				    .ring_dw = 2,
				    .cmd_set = true, .cmd = b1->gaddr + 12),
			     &ring, "fault in a GGTT batch");
		ring.len = 0;
		gpu_emit_bb_start(&ring, pb, MVGPU_MI_BB_PPGTT);
		expect_fault(c, &FW(.engine = e,
				    .status = W | MVGPU_FAULT_IN_BATCH |
					      MVGPU_FAULT_CMD_PPGTT |
					      MVGPU_FAULT_GGTT_UNMAPPED,
				    .addr_set = true,
				    .addr = g->ggtt_base + 0x200,
				    .cmd_set = true, .cmd = pb + 12),
			     &ring, "fault in a PPGTT batch");
	}

	/* Batch depth errors. */
	ring.len = 0;
	gpu_emit_bb_end(&ring);
	expect_fault(c, &FW(.engine = RCS, .status = MVGPU_FAULT_BATCH_DEPTH,
			    .instr_set = true,
			    .instr = MVGPU_MI_BATCH_BUFFER_END,
			    .addr_set = true, .addr = 0),
		     &ring, "MI_BATCH_BUFFER_END in the ring");
	cmds.len = 0;
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x100, 1, true);
	gpu_emit_bb_end(&cmds);
	b2 = make_batch(c, &cmds, 0);
	REQUIRE(b2, "no batch");
	ring.len = 0;
	gpu_emit_bb_start(&ring, b2->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	expect_fault(c, &FW(.engine = BCS, .status = MVGPU_FAULT_BATCH_DEPTH,
			    .instr_set = true,
			    .instr = MVGPU_MI_BATCH_BUFFER_START |
				     MVGPU_MI_BB_SECOND_LEVEL,
			    .addr_set = true, .addr = 0),
		     &ring, "second-level batch started from the ring");
	/* A second-level batch calling another second-level batch. */
	cmds.len = 0;
	gpu_emit_bb_start(&cmds, b2->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	gpu_emit_bb_end(&cmds);
	b3 = make_batch(c, &cmds, 0);
	REQUIRE(b3, "no batch");
	cmds.len = 0;
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit_bb_start(&cmds, b3->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	gpu_emit_bb_end(&cmds);
	b1 = make_batch(c, &cmds, 0);
	REQUIRE(b1, "no batch");
	ring.len = 0;
	gpu_emit_bb_start(&ring, b1->gaddr, 0);
	expect_fault(c, &FW(.engine = RCS,
			    .status = MVGPU_FAULT_IN_BATCH |
				      MVGPU_FAULT_BATCH_DEPTH,
			    .instr_set = true,
			    .instr = MVGPU_MI_BATCH_BUFFER_START |
				     MVGPU_MI_BB_SECOND_LEVEL,
			    .addr_set = true, .addr = 0,
			    .cmd_set = true, .cmd = b3->gaddr),
		     &ring, "third batch level");

	/* Fetching from an unmapped page: the fetch address reports. */
	ring.len = 0;
	gpu_emit_bb_start(&ring, g->ggtt_base + 0x100, 0);
	expect_fault(c, &FW(.engine = RCS,
			    .status = MVGPU_FAULT_IN_BATCH |
				      MVGPU_FAULT_GGTT_UNMAPPED,
			    .instr_set = true, .instr = 0,
			    .addr_set = true, .addr = g->ggtt_base + 0x100,
			    .cmd_set = true, .cmd = g->ggtt_base + 0x100),
		     &ring, "batch start at an unmapped page");
	/* A PPGTT batch without a PPGTT. */
	GREQ(gpu_ppgtt_enable(g, BCS, 0));
	ring.len = 0;
	gpu_emit_bb_start(&ring, pb, MVGPU_MI_BB_PPGTT);
	expect_fault(c, &FW(.engine = BCS,
			    .status = MVGPU_FAULT_IN_BATCH |
				      MVGPU_FAULT_CMD_PPGTT | PP |
				      MVGPU_FAULT_NO_PPGTT,
			    .instr_set = true, .instr = 0,
			    .addr_set = true, .addr = pb,
			    .cmd_set = true, .cmd = pb),
		     &ring, "PPGTT batch without CTX_DESC");
	GCHECK(gpu_ppgtt_enable(g, RCS, 0));
	gpu_cmds_fini(&cmds);
	gpu_cmds_fini(&ring);
}

/* Ring faults: a tail beyond the ring, a ring page unmapped. */
static void test_fault_ring(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_ring *r = &g->ring[BCS];
	volatile uint32_t *mark = vu32p(c->scratch, 0x40);
	struct gpu_bo *ro;
	struct gpu_fault f;
	struct gpu_cmds cmds;
	uint32_t seq;

	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_TAIL, RING_SIZE + 0x100));
	GCHECK(gpu_wait_halt(g, BCS, GPU_WAIT_MS, &f));
	CHECK_EQ(f.status, MVGPU_FAULT_VALID | MVGPU_FAULT_RING,
		 "FAULT_STATUS for a tail beyond the ring (%s)",
		 gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK));
	CHECK_EQ(f.addr, r->bo->gaddr, "FAULT_ADDR of a ring fault");
	CHECK_EQ(f.instr, 0, "FAULT_INSTR of a ring fault");
	CHECK(RD(MVGPU_REG_IRQ_STATUS) & MVGPU_IRQ_FAULT(BCS),
	      "no FAULT(BCS) in IRQ_STATUS");
	/* The reset leaves head = tail: nothing to run, nothing to fault. */
	GCHECK(gpu_ewr(g, BCS, MVGPU_ENGINE_RESET, MVGPU_ENGINE_RESET_KEY));
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_STATUS), 0, "FAULT_STATUS after reset");
	gpu_sleep_ms(50);
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_STATUS), 0,
		 "FAULT_STATUS 50 ms after the reset (head == tail)");
	CHECK_EQ(ERD(BCS, MVGPU_ENGINE_STATUS), MVGPU_ENGINE_STATUS_ENABLED,
		 "ENGINE_STATUS after the reset");
	/*
	 * Head = tail is beyond the ring: put both back at 0 with the ring
	 * disabled (a second reset clears a fault should the engine have
	 * run again meanwhile), then start over with a new ring.
	 */
	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_CTL, 0));
	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_HEAD, 0));
	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_TAIL, 0));
	GCHECK(gpu_ewr(g, BCS, MVGPU_ENGINE_RESET, MVGPU_ENGINE_RESET_KEY));
	GREQ(gpu_ring_init(g, BCS, RING_SIZE));

	/*
	 * Unmap the ring's second page; the commands of the first page run,
	 * the fetch of the first command in the second page faults.
	 */
	GREQ(gpu_ggtt_write(g, r->bo->gaddr + 4096, 0));
	gpu_cmds_init(&cmds);
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x40, 0x1111, true);
	while (cmds.len < 1024)
		gpu_emit(&cmds, MVGPU_MI_NOOP);
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x44, 0x2222, true);
	mark[0] = mark[1] = 0;
	REQUIRE(gpu_ring_emit(g, BCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, BCS) == 0, "%s", gpu_err());
	GCHECK(gpu_wait_halt(g, BCS, GPU_WAIT_MS, &f));
	CHECK_EQ(f.status, MVGPU_FAULT_VALID | MVGPU_FAULT_GGTT_UNMAPPED,
		 "FAULT_STATUS fetching from an unmapped ring page (%s)",
		 gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK));
	CHECK_EQ(f.addr, r->bo->gaddr + 4096, "FAULT_ADDR of the fetch");
	CHECK_EQ(f.instr, 0, "FAULT_INSTR of an unfetchable command");
	CHECK_EQ(f.cmd, r->bo->gaddr + 4096, "FAULT_CMD of the fetch");
	CHECK_EQ(f.head, 4096, "RING_HEAD at the unfetchable command");
	CHECK_EQ(mark[0], 0x1111, "store on the mapped ring page");
	CHECK_EQ(mark[1], 0, "store on the unmapped ring page ran");
	/* Map it again and reset: the ring runs on. */
	GCHECK(gpu_ggtt_write(g, r->bo->gaddr + 4096,
			      gpu_bo_pte(r->bo, 4096)));
	GCHECK(gpu_engine_reset(g, BCS));
	cmds.len = 0;
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x48, 0x3333, true);
	GCHECK(gpu_submit(g, BCS, cmds.dw, cmds.len, &seq));
	GCHECK(gpu_wait_seqno(g, BCS, seq, GPU_WAIT_MS));
	CHECK_EQ(mark[2], 0x3333, "request after the reset");
	CHECK_EQ(mark[1], 0, "a discarded command ran after the reset");

	/*
	 * A status page the engine may not write: the commands run, then
	 * writing the head when the ring runs dry faults at the page.
	 */
	ro = gpu_bo_new(g, 4096, GPU_BO_READONLY);
	REQUIRE(ro, "%s", gpu_err());
	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_HWS,
		       (uint32_t)ro->gaddr | MVGPU_RING_HWS_VALID));
	cmds.len = 0;
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x4c, 0x4444, true);
	REQUIRE(gpu_ring_emit(g, BCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, BCS) == 0, "%s", gpu_err());
	GCHECK(gpu_wait_halt(g, BCS, GPU_WAIT_MS, &f));
	CHECK_EQ(f.status, MVGPU_FAULT_VALID | MVGPU_FAULT_WRITE |
		 MVGPU_FAULT_READ_ONLY,
		 "FAULT_STATUS writing a read-only status page (%s)",
		 gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK));
	CHECK_EQ(f.addr, ro->gaddr + MVGPU_HWS_HEAD,
		 "FAULT_ADDR writing the status page");
	CHECK_EQ(mark[3], 0x4444, "store before the status page write");
	GCHECK(gpu_ewr(g, BCS, MVGPU_RING_HWS,
		       (uint32_t)r->hws->gaddr | MVGPU_RING_HWS_VALID));
	GCHECK(gpu_engine_reset(g, BCS));
	cmds.len = 0;
	gpu_emit_sdi(&cmds, c->scratch->gaddr + 0x50, 0x5555, true);
	GCHECK(gpu_run(g, BCS, cmds.dw, cmds.len));
	CHECK_EQ(mark[4], 0x5555, "request after the status page fault");
	gpu_cmds_fini(&cmds);
}

/*
 * Hangs: an endless semaphore and a batch chained to itself are faulted
 * with HANG once the watchdog period is over, not before.
 */
static void test_fault_hang(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *m, *loop;
	struct gpu_cmds cmds;
	uint64_t t0, dt;
	uint32_t got;
	int r;

	m = gpu_bo_new(g, 4096, 0);
	loop = gpu_bo_new(g, 4096, 0);
	REQUIRE(m && loop, "%s", gpu_err());
	GREQ(gpu_irq_init(g, true, MVGPU_IRQ_FAULT(RCS) | MVGPU_IRQ_FAULT(BCS)));
	gpu_cmds_init(&cmds);

	/* A semaphore that never comes. */
	gpu_emit_sem_wait(&cmds, MVGPU_SEM_EQ, 1, m->gaddr, true);
	t0 = gpu_now_ms();
	expect_fault(c, &FW(.engine = RCS, .status = MVGPU_FAULT_HANG,
			    .instr_set = true, .instr = cmds.dw[0],
			    .addr_set = true, .addr = 0),
		     &cmds, "endless MI_SEMAPHORE_WAIT");
	dt = gpu_now_ms() - t0;
	CHECK(dt + 20 >= g->watchdog_ms,
	      "HANG after %llu ms, before the %u ms watchdog",
	      (unsigned long long)dt, g->watchdog_ms);

	/*
	 * A batch stuck on a semaphore, timed by the FAULT interrupt.  (A
	 * batch that chains to itself no longer hangs: the command checker
	 * rejects it at once, below.)
	 */
	gpu_irq_clear(g);
	cmds.len = 0;
	gpu_emit_sdi(&cmds, m->gaddr + 64, 0x1, true);
	gpu_emit_sem_wait(&cmds, MVGPU_SEM_EQ, 1, m->gaddr, true);
	gpu_emit_bb_end(&cmds);
	REQUIRE(gpu_cmds_store(&cmds, loop, 0) == 0, "%s", gpu_err());
	cmds.len = 0;
	gpu_emit_bb_start(&cmds, loop->gaddr, 0);
	t0 = gpu_now_ms();
	REQUIRE(gpu_ring_emit(g, BCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, BCS) == 0, "%s", gpu_err());
	r = gpu_irq_wait(g, MVGPU_IRQ_FAULT(BCS), g->watchdog_ms + GPU_WAIT_MS,
			 &got);
	dt = gpu_now_ms() - t0;
	CHECK(r == 1, "no FAULT interrupt for a batch stuck on a semaphore (%s)",
	      r < 0 ? gpu_err() : "timeout");
	CHECK(dt + 20 >= g->watchdog_ms,
	      "HANG after %llu ms, before the %u ms watchdog",
	      (unsigned long long)dt, g->watchdog_ms);
	/* Generous for a loaded, emulated machine; still bounded. */
	CHECK(dt <= g->watchdog_ms + 3000,
	      "HANG only after %llu ms with a %u ms watchdog",
	      (unsigned long long)dt, g->watchdog_ms);
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_STATUS) & 0xff, MVGPU_FAULT_HANG,
		 "stuck batch: fault type");
	CHECK(ERD(BCS, MVGPU_FAULT_STATUS) & MVGPU_FAULT_IN_BATCH,
	      "stuck batch: not reported in the batch");
	CHECK_EQ(*vu32p(m, 64), 1, "the stuck batch did not run");
	GCHECK(gpu_engine_reset(g, BCS));

	/* A batch that chains to itself: rejected before it runs. */
	gpu_irq_clear(g);
	*vu32p(m, 64) = 0;
	cmds.len = 0;
	gpu_emit_sdi(&cmds, m->gaddr + 64, 0x1, true);
	gpu_emit_bb_start(&cmds, loop->gaddr, 0);
	REQUIRE(gpu_cmds_store(&cmds, loop, 0) == 0, "%s", gpu_err());
	cmds.len = 0;
	gpu_emit_bb_start(&cmds, loop->gaddr, 0);
	t0 = gpu_now_ms();
	REQUIRE(gpu_ring_emit(g, BCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, BCS) == 0, "%s", gpu_err());
	r = gpu_irq_wait(g, MVGPU_IRQ_FAULT(BCS), GPU_WAIT_MS, &got);
	dt = gpu_now_ms() - t0;
	CHECK(r == 1, "no FAULT interrupt for a self-chained batch (%s)",
	      r < 0 ? gpu_err() : "timeout");
	CHECK(dt < g->watchdog_ms,
	      "self-chained batch: fault after %llu ms, not before the %u ms watchdog",
	      (unsigned long long)dt, g->watchdog_ms);
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_STATUS),
		 MVGPU_FAULT_VALID | MVGPU_FAULT_IN_BATCH |
		 MVGPU_FAULT_BATCH_LOOP, "self-chained batch: FAULT_STATUS");
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_ADDR_LO), (uint32_t)loop->gaddr,
		 "self-chained batch: FAULT_ADDR is the target");
	CHECK_EQ(*vu32p(m, 64), 0, "the looping batch ran");
	GCHECK(gpu_engine_reset(g, BCS));
	CHECK(!(ERD(BCS, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_HALTED),
	      "halted after the reset");
	cmds.len = 0;
	gpu_emit_sdi(&cmds, m->gaddr + 128, 0x2, true);
	GCHECK(gpu_run(g, BCS, cmds.dw, cmds.len));
	CHECK_EQ(*vu32p(m, 128), 2, "request after the hang");
	gpu_cmds_fini(&cmds);
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_ENABLE, 0));
}

/*
 * A fill across a surface with one unmapped page in the middle: rows
 * before the page are written, the fault names the page, nothing at or
 * after the faulting row is written, and the other engine keeps working.
 */
static void test_fault_partial_blit(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct surf s;
	struct gpu_blit b;
	struct gpu_cmds cmds;
	uint64_t hole = 5 * 4096;	/* offset of the unmapped page */
	char msg[256];

	/* 16 rows of 4000 bytes: row 5 is the first to touch the hole. */
	if (!surf_new(c, &s, 1000, 16, 4000, 4, 0))
		return;
	GREQ(gpu_ggtt_write(g, s.addr + hole, 0));
	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x1 = 8;
	b.r.x2 = 1000;
	b.r.y1 = 0;
	b.r.y2 = 16;
	b.r.dst_pitch = 4000;
	b.r.color = 0x5eed5eed;
	b.dst = s.addr;
	gpu_cmds_init(&cmds);
	gpu_emit_blt(&cmds, &b);
	expect_fault(c, &FW(.engine = BCS,
			    .status = W | MVGPU_FAULT_GGTT_UNMAPPED,
			    .instr_set = true, .instr = cmds.dw[0],
			    .addr_set = true, .addr = s.addr + hole,
			    .addr_page = true),
		     &cmds, "fill across an unmapped page");
	gpu_cmds_fini(&cmds);
	/*
	 * The submission is checked whole before it runs: the blit is
	 * rejected, and not even the rows above the hole are drawn.
	 */
	if (ref_describe_diff(s.bo->cpu, s.ref, s.size, s.pitch, 4, msg,
			      sizeof(msg)))
		CHECK(false, "after a rejected fill: %s", msg);
	surf_free(c, &s);
}

/* A fault on one engine leaves the other running. */
static void test_fault_other_engine(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_cmds cmds;
	struct gpu_fault f;

	gpu_cmds_init(&cmds);
	gpu_emit(&cmds, 0x1f800000);
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	REQUIRE(gpu_ring_emit(g, RCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, RCS) == 0, "%s", gpu_err());
	GCHECK(gpu_wait_halt(g, RCS, GPU_WAIT_MS, &f));
	cmds.len = 0;
	gpu_emit_flush_dw(&cmds, MVGPU_MI_FLUSH_DW_OP_STORE,
			  c->scratch->gaddr + 0x20, 0xb0b0, false, true);
	GCHECK(gpu_run(g, BCS, cmds.dw, cmds.len));
	CHECK_EQ(*u32p(c->scratch, 0x20), 0xb0b0,
		 "blitter store while the render engine is halted");
	CHECK(ERD(RCS, MVGPU_ENGINE_STATUS) & MVGPU_ENGINE_STATUS_HALTED,
	      "render engine no longer halted");
	CHECK_EQ(ERD(BCS, MVGPU_FAULT_STATUS), 0, "blitter FAULT_STATUS");
	GCHECK(gpu_engine_reset(g, RCS));
	gpu_cmds_fini(&cmds);
}

/*
 * The whole run had the write prediction check armed (main()): every page
 * the engine wrote for this vGPU was in the scanner's prediction.
 */
static void test_write_prediction(void *arg)
{
	struct ctx *c = arg;
	struct gpu_wpred w;

	if (!c->wpred_armed) {
		CHECK(false, "write prediction check not armed: %s",
		      c->wpred_err);
		return;
	}
	REQUIRE(gpu_wpred_read(&w) == 0, "%s", gpu_err());
	tap_diag("write prediction: %llu workloads (%llu too large to check), "
		 "%llu pages predicted, %llu written, %llu misses",
		 (unsigned long long)w.workloads,
		 (unsigned long long)w.unchecked,
		 (unsigned long long)w.predicted,
		 (unsigned long long)w.written,
		 (unsigned long long)w.misses);
	CHECK(w.armed, "the check was disarmed during the run");
	CHECK(w.workloads > 100, "only %llu workloads checked",
	      (unsigned long long)w.workloads);
	CHECK(w.written > 0, "no page written");
	CHECK(w.predicted >= w.written - w.misses,
	      "fewer pages predicted than hit");
	CHECK_EQ(w.misses, 0, "pages written but not predicted (first: %s)",
		 w.first_miss);
	gpu_wpred_disarm();
}

int main(int argc, char **argv)
{
	static const struct tap_test tests[] = {
		{ "identity and engine registers after open", test_identity },
		{ "GGTT window: slice, read back, high half commits",
		  test_ggtt_window },
		{ "XY_COLOR_BLT at 8/565/1555/32 bpp with channel masks",
		  test_color_fill },
		{ "XY_SRC_COPY_BLT at 8/16/32 bpp with channel masks",
		  test_src_copy },
		{ "XY_FAST_COPY_BLT at 8/16/32/64/128 bpp", test_fast_copy },
		{ "overlapping copies within one surface", test_overlap_copy },
		{ "1024x768x32 framebuffer through the GGTT", test_fb_ggtt },
		{ "1024x768x32 framebuffer through the PPGTT", test_fb_ppgtt },
		{ "1024x768x32 framebuffer in local memory (BAR2)",
		  test_fb_local },
		{ "copies between local and DMA memory", test_local_copies },
		{ "blits use the PPGTT iff CTX_DESC is valid",
		  test_blit_space },
		{ "bursts of MI_STORE_DATA_IMM on both engines",
		  test_sdi_burst },
		{ "LRI/SRM round trip of all GPRs, timestamps",
		  test_lri_srm },
		{ "post-sync writes and interrupts (MSI)", test_irq_msi },
		{ "post-sync writes and interrupts (INTx)", test_irq_intx },
		{ "MI_SEMAPHORE_WAIT: operations, CPU and engine release",
		  test_semaphore },
		{ "PPGTT rewritten by the stream, then TLB invalidate",
		  test_tlb_invalidate },
		{ "batch of 1.25 MiB", test_big_batch },
		{ "chained and second-level batches, GGTT and PPGTT",
		  test_chained_batches },
		{ "ring wrap-around with 1000 requests per engine",
		  test_ring_wrap },
		{ "faults: GGTT, read-only, DMA, local memory",
		  test_fault_translation },
		{ "faults: PPGTT walks", test_fault_ppgtt },
		{ "faults: opcodes, lengths, engines, registers, fields",
		  test_fault_decode },
		{ "faults: in batches, batch depth, fetches",
		  test_fault_batch },
		{ "faults: ring, ring fetch, status page", test_fault_ring },
		{ "faults: hang watchdog; a batch loop rejected at once",
		  test_fault_hang },
		{ "faults: blit across an unmapped page rejected whole",
		  test_fault_partial_blit },
		{ "fault on one engine, the other runs on",
		  test_fault_other_engine },
		{ "write prediction covered every page written",
		  test_write_prediction },
	};
	struct ctx c = { .mode = MV_OPEN_CONTAINER };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cdev")) {
			c.mode = MV_OPEN_CDEV;
		} else if (!strcmp(argv[i], "--watchdog") && i + 1 < argc) {
			c.want_watchdog = strtoul(argv[++i], NULL, 0);
		} else if (!c.uuid && argv[i][0] != '-') {
			c.uuid = argv[i];
		} else {
			c.uuid = NULL;
			break;
		}
	}
	if (!c.uuid) {
		fprintf(stderr, "usage: %s <vgpu-uuid> [--cdev] [--watchdog MS]\n",
			argv[0]);
		return KSFT_FAIL;
	}
	if (!mv_sysfs_exists(c.uuid, NULL)) {
		printf("TAP version 13\nBail out! no vGPU %s in %s\n", c.uuid,
		       MV_MDEV_SYSFS);
		return KSFT_FAIL;
	}
	gpu_init(&c.g);
	c.cookie = gpu_now_ns() ^ ((uint64_t)getpid() << 32);
	ref_rng_seed(&c.rng, c.cookie);
	tap_diag("seed 0x%llx, %s", (unsigned long long)c.cookie,
		 mv_open_mode_name(c.mode));
	c.wpred_armed = !gpu_wpred_arm(c.uuid);
	if (!c.wpred_armed)
		snprintf(c.wpred_err, sizeof(c.wpred_err), "%s", gpu_err());
	return tap_run(tests, TAP_ARRAY_SIZE(tests), &c, setup, teardown);
}
