// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu-drm: workloads for an mvgpu vGPU through the guest DRM driver
 * (mvgpu_drm) and libmvgpu-drm.  Every workload checks what the GPU wrote
 * against the CPU reference (selftests/lib/gpu_ref.c) and prints
 *
 *   WORKLOAD <name> ok|FAIL checksum=<gpu> ref=<cpu> seed=<seed> ...
 *
 * where checksum is the FNV-1a of the result memory the GPU produced and
 * ref that of the reference's copy ("evil" also prints one
 * "EVIL <rule> ok|FAIL ..." line per malicious submission); the run ends
 * with
 *
 *   MVGPU-DRM: <n> passed, <n> failed
 *
 * counting workloads and EVIL lines, and exits 1 if one failed (2 for a
 * usage error).  See mvgpu-drm.rst for the commands.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mvgpu_drm_lib.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define NSEC		1000000000ll
#define PAGE		4096ull
#define ALIGN_UP(x, a)	(((x) + (a) - 1) / (a) * (a))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct opts {
	uint64_t seed;
	const char *device;
	unsigned int frames;
	unsigned int width;
	unsigned int height;
	unsigned int procs;
	unsigned int stores;
	unsigned int batch_kib;
	double seconds;
	unsigned int timeout_s;
	bool no_hang;
	bool verbose;
};

/**
 * struct ctx - state of the workload being run
 * @d: the open device
 * @o: command line options
 * @proc: process index in "multi" (-1 otherwise)
 * @proc_tag: " proc=<n>" in "multi", appended to result lines
 * @name: name of the workload
 * @seed: the workload's seed (derived from the global one and @name)
 * @rng: generator seeded with @seed
 * @failed: a check of the workload failed
 * @sum: checksum of the GPU's results
 * @ref: checksum of the CPU reference's
 * @extra: further "key=value" fields for the WORKLOAD line
 * @checks_passed: checks of the workload with a result line of their own
 *	("EVIL" lines) that passed; counted in the final tally
 * @checks_failed: those that failed
 */
struct ctx {
	struct mdrm_dev d;
	const struct opts *o;
	int proc;
	char proc_tag[24];
	const char *name;
	uint64_t seed;
	struct ref_rng rng;
	bool failed;
	uint64_t sum;
	uint64_t ref;
	char extra[256];
	unsigned int checks_passed;
	unsigned int checks_failed;
};

/* ---- reporting ---------------------------------------------------------- */

static void __attribute__((format(printf, 2, 3)))
note(struct ctx *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->proc >= 0)
		printf("# [p%d] %s: %s\n", c->proc, c->name, buf);
	else
		printf("# %s: %s\n", c->name, buf);
}

/* A check: on failure, describe it and fail the workload. */
static bool __attribute__((format(printf, 3, 4)))
ck(struct ctx *c, bool ok, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	note(c, "FAIL: %s", buf);
	c->failed = true;
	return false;
}

/* A library call that must succeed. */
static bool lib_ok(struct ctx *c, int ret)
{
	return ck(c, !ret, "%s", mdrm_err());
}

static void __attribute__((format(printf, 2, 3)))
extra(struct ctx *c, const char *fmt, ...)
{
	size_t n = strlen(c->extra);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->extra + n, sizeof(c->extra) - n, fmt, ap);
	va_end(ap);
}

static const char *status_name(int status)
{
	switch (status) {
	case 0:
		return "ok";
	case -EIO:
		return "EIO (fault)";
	case -ETIMEDOUT:
		return "ETIMEDOUT (hang)";
	case -ECANCELED:
		return "ECANCELED (reset)";
	}
	return strerror(-status);
}

/* Describe this file's last fault or hang. */
static void note_fault(struct ctx *c)
{
	struct drm_mvgpu_reset_stats s;

	if (mdrm_reset_stats(&c->d, &s)) {
		note(c, "%s", mdrm_err());
		return;
	}
	note(c, "reset stats: faults %u hangs %u cancelled %u device resets %u; last: engine %u seqno %llu status 0x%x (type %u) instr 0x%08x addr 0x%llx cmd 0x%llx",
	     s.faults, s.hangs, s.cancelled, s.device_resets, s.last_engine,
	     (unsigned long long)s.last_seqno, s.last_fault_status,
	     s.last_fault_status & MVGPU_FAULT_TYPE_MASK, s.last_fault_instr,
	     (unsigned long long)s.last_fault_addr,
	     (unsigned long long)s.last_fault_cmd);
}

/* ---- submission helpers --------------------------------------------------- */

/* --timeout, but never less than a few watchdog periods (queued hangs). */
static int64_t timeout_ns(struct ctx *c)
{
	int64_t t = (int64_t)c->o->timeout_s * NSEC;
	int64_t wd = (int64_t)c->d.watchdog_ms * 4 * 1000000;

	return t > wd ? t : wd;
}

/*
 * Store @cmds (which end with MI_BATCH_BUFFER_END) at offset 0 of @batch,
 * creating the BO if it has no handle yet, and queue it on engine @e with
 * the BOs @bos.
 */
static bool submit(struct ctx *c, unsigned int e, const struct gpu_cmds *cmds,
		   struct mdrm_bo *batch, const struct mdrm_bo *const *bos,
		   unsigned int nr, uint32_t in, uint32_t out, uint64_t *seqno)
{
	struct mdrm_exec x = {
		.engine = e, .batch = batch, .len = cmds->len * 4,
		.bos = bos, .nr_bos = nr, .in_syncobj = in, .out_syncobj = out,
	};

	if (!batch->handle &&
	    !lib_ok(c, mdrm_bo_new(&c->d, batch,
				   ALIGN_UP(cmds->len * 4ull, PAGE), 0)))
		return false;
	return lib_ok(c, mdrm_cmds_store(cmds, batch, 0)) &&
	       lib_ok(c, mdrm_exec(&c->d, &x, seqno));
}

/* A new BO holding @cmds, for batches submitted more than once. */
static bool submit_store(struct ctx *c, const struct gpu_cmds *cmds,
			 struct mdrm_bo *batch)
{
	return lib_ok(c, mdrm_bo_new(&c->d, batch,
				     ALIGN_UP(cmds->len * 4ull, PAGE), 0)) &&
	       lib_ok(c, mdrm_cmds_store(cmds, batch, 0));
}

/* Wait for submission @seqno, which must complete with status 0. */
static bool wait_ok(struct ctx *c, uint64_t seqno, const char *what)
{
	int status = 0;

	if (!lib_ok(c, mdrm_wait(&c->d, seqno, timeout_ns(c), &status)))
		return false;
	if (!ck(c, status == 0, "%s (submission %llu) completed with %d %s",
		what, (unsigned long long)seqno, status, status_name(status))) {
		note_fault(c);
		return false;
	}
	return true;
}

/* Submit and wait. */
static bool run(struct ctx *c, unsigned int e, const struct gpu_cmds *cmds,
		const struct mdrm_bo *const *bos, unsigned int nr,
		const char *what)
{
	struct mdrm_bo batch = { 0 };
	uint64_t seqno;
	bool ok;

	ok = submit(c, e, cmds, &batch, bos, nr, 0, 0, &seqno) &&
	     wait_ok(c, seqno, what);
	mdrm_bo_free(&c->d, &batch);
	return ok;
}

/* ---- surfaces ------------------------------------------------------------ */

/**
 * struct surf - a linear surface in a BO and its CPU reference copy
 * @bo: the BO the GPU works on
 * @ref: what it should hold
 * @w: width in pixels (of @cpp bytes)
 * @h: height in rows
 * @pitch: bytes per row
 * @cpp: bytes per pixel the surface is drawn with (copies may use others)
 * @size: @pitch * @h
 */
struct surf {
	struct mdrm_bo bo;
	uint8_t *ref;
	unsigned int w, h, pitch, cpp;
	uint64_t size;
};

/* A surface with random contents (same in the BO and the reference). */
static bool surf_new(struct ctx *c, struct surf *s, unsigned int w,
		     unsigned int h, unsigned int pitch, unsigned int cpp)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	s->h = h;
	s->pitch = pitch;
	s->cpp = cpp;
	s->size = (uint64_t)pitch * h;
	s->ref = malloc(s->size);
	if (!ck(c, s->ref, "out of memory"))
		return false;
	if (!lib_ok(c, mdrm_bo_new(&c->d, &s->bo, s->size, 0))) {
		free(s->ref);
		s->ref = NULL;
		return false;
	}
	ref_fill(&c->rng, s->ref, s->size);
	memcpy(s->bo.map, s->ref, s->size);
	return true;
}

static void surf_free(struct ctx *c, struct surf *s)
{
	mdrm_bo_free(&c->d, &s->bo);
	free(s->ref);
	s->ref = NULL;
}

/* Compare the BO with the reference; add both to the checksums. */
static bool surf_check(struct ctx *c, struct surf *s, const char *what)
{
	char buf[256];

	c->sum = mdrm_sum(c->sum, s->bo.map, s->size);
	c->ref = mdrm_sum(c->ref, s->ref, s->size);
	if (ref_describe_diff(s->bo.map, s->ref, s->size, s->pitch, s->cpp,
			      buf, sizeof(buf)))
		return ck(c, false, "%s: %s", what, buf);
	return true;
}

/* Apply blit @b to the reference copies and encode it. */
static void blit(struct gpu_cmds *cmds, const struct ref_blt *b,
		 struct surf *dst, struct surf *src)
{
	ref_blt(b, dst->ref, src ? src->ref : NULL);
	mdrm_emit_blt(cmds, b, dst->bo.va, src ? src->bo.va : 0);
}

/*
 * A random blit of @op at @cpp bytes per pixel inside @dst (and @src, for
 * copies), at most @maxw x @maxh pixels.  A copy within one surface never
 * moves data down (hw-interface.rst: the result of such overlaps is only
 * defined for moves up or sideways).
 */
static struct ref_blt rand_blt(struct ctx *c, enum ref_blt_op op,
			       unsigned int cpp, const struct surf *dst,
			       const struct surf *src, unsigned int maxw,
			       unsigned int maxh)
{
	struct ref_rng *r = &c->rng;
	unsigned int dw = dst->pitch / cpp, dh = dst->h;
	unsigned int sw = src ? src->pitch / cpp : dw, sh = src ? src->h : dh;
	unsigned int w, h, mw = dw < sw ? dw : sw, mh = dh < sh ? dh : sh;
	struct ref_blt b;

	memset(&b, 0, sizeof(b));
	b.op = op;
	b.cpp = cpp;
	w = 1 + ref_rng_below(r, mw < maxw ? mw : maxw);
	h = 1 + ref_rng_below(r, mh < maxh ? mh : maxh);
	b.x1 = ref_rng_below(r, dw - w + 1);
	b.y1 = ref_rng_below(r, dh - h + 1);
	b.x2 = b.x1 + w;
	b.y2 = b.y1 + h;
	b.dst_pitch = dst->pitch;
	if (src) {
		b.sx = ref_rng_below(r, sw - w + 1);
		b.sy = ref_rng_below(r, sh - h + 1);
		if (src == dst && b.sy < b.y1) {
			/* Same surface: move up instead of down. */
			unsigned int t = b.sy;

			b.sy = b.y1;
			b.y1 = t;
			b.y2 = t + h;
		}
		b.src_pitch = src->pitch;
	}
	/* XY_* at 32 bpp: mostly both channels, sometimes one (or none). */
	b.write_rgb = ref_rng_below(r, 8) != 0;
	b.write_alpha = ref_rng_below(r, 8) != 1;
	b.color = (uint32_t)ref_rng_next(r);
	return b;
}

/* ---- info ------------------------------------------------------------------ */

static void w_info(struct ctx *c)
{
	struct mdrm_dev *d = &c->d;
	uint64_t stable[6];

	printf("INFO node %s\n", d->node);
	printf("INFO driver %s %d.%d.%d\n", MDRM_DRIVER_NAME, d->drv_major,
	       d->drv_minor, d->drv_patch);
	printf("INFO hw_version %u.%u\n", (unsigned int)(d->hw_version >> 16),
	       (unsigned int)(d->hw_version & 0xffff));
	printf("INFO vgpu_type %llu\n", (unsigned long long)d->vgpu_type);
	printf("INFO engines %llu mask 0x%llx\n",
	       (unsigned long long)d->num_engines,
	       (unsigned long long)d->engine_mask);
	printf("INFO ggtt 0x%llx+0x%llx\n", (unsigned long long)d->ggtt_base,
	       (unsigned long long)d->ggtt_size);
	printf("INFO vram %llu MiB\n", (unsigned long long)(d->vram_size >> 20));
	printf("INFO va 0x%llx-0x%llx\n", (unsigned long long)d->va_start,
	       (unsigned long long)d->va_end);
	printf("INFO watchdog_ms %llu\n", (unsigned long long)d->watchdog_ms);
	printf("INFO max_bos %llu ring_size %llu\n",
	       (unsigned long long)d->max_bos,
	       (unsigned long long)d->ring_size);
	ck(c, d->hw_version >> 16 == MVGPU_HW_VERSION_MAJOR,
	   "hardware version 0x%llx, want major %u",
	   (unsigned long long)d->hw_version, MVGPU_HW_VERSION_MAJOR);
	ck(c, d->num_engines == MVGPU_NUM_ENGINES && d->engine_mask == 3,
	   "%llu engines, mask 0x%llx: want render and blitter",
	   (unsigned long long)d->num_engines,
	   (unsigned long long)d->engine_mask);
	ck(c, d->vgpu_type == 1 || d->vgpu_type == 2 || d->vgpu_type == 4 ||
	   d->vgpu_type == 8, "vGPU type %llu",
	   (unsigned long long)d->vgpu_type);
	ck(c, d->va_start && d->va_start < d->va_end &&
	   d->va_end <= 1ull << MVGPU_PPGTT_ADDR_BITS,
	   "BO address range 0x%llx-0x%llx",
	   (unsigned long long)d->va_start, (unsigned long long)d->va_end);
	ck(c, d->watchdog_ms >= 10 && d->max_bos >= 16 &&
	   d->ring_size >= MVGPU_RING_SIZE_MIN,
	   "watchdog %llu ms, max BOs %llu, ring %llu bytes",
	   (unsigned long long)d->watchdog_ms,
	   (unsigned long long)d->max_bos,
	   (unsigned long long)d->ring_size);
	/* What does not depend on the vGPU instance or the host. */
	stable[0] = d->hw_version;
	stable[1] = d->num_engines;
	stable[2] = d->engine_mask;
	stable[3] = d->drv_major;
	stable[4] = d->va_start;
	stable[5] = d->va_end;
	c->sum = mdrm_sum(c->sum, stable, sizeof(stable));
	c->ref = c->sum;
}

/* ---- fill ------------------------------------------------------------------ */

/* XY_COLOR_BLT at 8, 16 and 32 bpp into three surfaces, one batch. */
static void w_fill(struct ctx *c)
{
	static const struct {
		unsigned int w, h, pitch, cpp;
	} shapes[] = {
		{ 512, 256, 2112, 4 }, { 300, 200, 640, 2 }, { 256, 100, 272, 1 },
	};
	struct surf s[ARRAY_SIZE(shapes)];
	const struct mdrm_bo *bos[ARRAY_SIZE(shapes)];
	struct gpu_cmds cmds;
	unsigned int i, k, n = 0;

	memset(s, 0, sizeof(s));
	gpu_cmds_init(&cmds);
	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		if (!surf_new(c, &s[i], shapes[i].w, shapes[i].h,
			      shapes[i].pitch, shapes[i].cpp))
			goto out;
		bos[i] = &s[i].bo;
	}
	for (k = 0; k < 16; k++) {
		for (i = 0; i < ARRAY_SIZE(shapes); i++) {
			struct ref_blt b = rand_blt(c, REF_COLOR_BLT, s[i].cpp,
						    &s[i], NULL, s[i].w, s[i].h);

			blit(&cmds, &b, &s[i], NULL);
			n++;
		}
	}
	/* And a single pixel. */
	{
		struct ref_blt b = rand_blt(c, REF_COLOR_BLT, 4, &s[0], NULL,
					    1, 1);

		blit(&cmds, &b, &s[0], NULL);
		n++;
	}
	gpu_emit_bb_end(&cmds);
	if (run(c, BCS, &cmds, bos, ARRAY_SIZE(shapes), "fill batch"))
		for (i = 0; i < ARRAY_SIZE(shapes); i++) {
			char what[32];

			snprintf(what, sizeof(what), "surface %u (%u bpp)", i,
				 s[i].cpp * 8);
			surf_check(c, &s[i], what);
		}
	extra(c, " blits=%u", n);
out:
	for (i = 0; i < ARRAY_SIZE(shapes); i++)
		surf_free(c, &s[i]);
	gpu_cmds_fini(&cmds);
}

/* ---- copy ------------------------------------------------------------------ */

/*
 * XY_SRC_COPY_BLT (8/16/32 bpp, write masks) and XY_FAST_COPY_BLT (8 to
 * 128 bpp) between two surfaces and within one.
 */
static void w_copy(struct ctx *c)
{
	static const unsigned int fast_cpp[] = { 1, 2, 4, 8, 16 };
	static const unsigned int xy_cpp[] = { 1, 2, 4 };
	struct surf src, dst;
	const struct mdrm_bo *bos[2];
	struct gpu_cmds cmds;
	unsigned int k, n = 0;

	gpu_cmds_init(&cmds);
	if (!surf_new(c, &src, 400, 300, 1600, 4))
		goto out_cmds;
	if (!surf_new(c, &dst, 512, 384, 2080, 4))
		goto out_src;
	bos[0] = &src.bo;
	bos[1] = &dst.bo;
	for (k = 0; k < 40; k++) {
		unsigned int kind = ref_rng_below(&c->rng, 4);
		struct surf *from = kind == 3 ? &dst : &src;
		enum ref_blt_op op = kind & 1 ? REF_FAST_COPY_BLT :
						REF_SRC_COPY_BLT;
		unsigned int cpp;
		struct ref_blt b;

		if (op == REF_FAST_COPY_BLT)
			cpp = fast_cpp[ref_rng_below(&c->rng, 5)];
		else
			cpp = xy_cpp[ref_rng_below(&c->rng, 3)];
		b = rand_blt(c, op, cpp, &dst, from, 1024 / cpp, 160);
		blit(&cmds, &b, &dst, from);
		n++;
	}
	/* One large copy: the whole source at 32 bpp. */
	{
		struct ref_blt b = {
			.op = REF_FAST_COPY_BLT, .cpp = 4, .x1 = 8, .y1 = 40,
			.x2 = 8 + src.w, .y2 = 40 + src.h,
			.dst_pitch = dst.pitch, .src_pitch = src.pitch,
		};

		blit(&cmds, &b, &dst, &src);
		n++;
	}
	gpu_emit_bb_end(&cmds);
	if (run(c, BCS, &cmds, bos, 2, "copy batch")) {
		surf_check(c, &dst, "destination");
		surf_check(c, &src, "source (unchanged)");
	}
	extra(c, " blits=%u", n);
	surf_free(c, &dst);
out_src:
	surf_free(c, &src);
out_cmds:
	gpu_cmds_fini(&cmds);
}

/* ---- frames ---------------------------------------------------------------- */

/* A triangle wave: 0 .. @range and back, @t steps. */
static unsigned int bounce(unsigned int t, unsigned int range)
{
	unsigned int m;

	if (!range)
		return 0;
	m = t % (2 * range);
	return m < range ? m : 2 * range - m;
}

#define NRECT	6
#define NSPR	4

/*
 * An animation in a framebuffer-sized surface: each frame copies the
 * background in, fills moving rectangles, copies moving sprites from an
 * atlas, scrolls a band of the frame sideways within itself and copies
 * the frame to one of two front buffers, whose check overlaps the next
 * frame's rendering.  Completion through out-syncobjs (each frame also
 * waits for the previous one's), checked with WAIT too.
 */
static void w_frames(struct ctx *c)
{
	unsigned int W = c->o->width, H = c->o->height, nf = c->o->frames;
	unsigned int pitch = ALIGN_UP(W * 4, 64), spr, f, k;
	unsigned int rw[NRECT], rh[NRECT], rx0[NRECT], ry0[NRECT];
	unsigned int rvx[NRECT], rvy[NRECT];
	uint32_t rcol[NRECT];
	struct surf fb, bg, atlas, front[2];
	struct mdrm_bo stat = { 0 }, batch[2] = { { 0 }, { 0 } };
	const struct mdrm_bo *bos[6];
	uint32_t sync[2] = { 0, 0 };
	uint64_t seqno[2] = { 0, 0 }, fsum = MDRM_SUM_INIT;
	uint64_t fref = MDRM_SUM_INIT;
	struct gpu_cmds cmds;
	unsigned int x, y, blits = 0;
	uint64_t t0;

	memset(&fb, 0, sizeof(fb));
	memset(&bg, 0, sizeof(bg));
	memset(&atlas, 0, sizeof(atlas));
	memset(front, 0, sizeof(front));
	gpu_cmds_init(&cmds);
	spr = W / 4 < H / 4 ? W / 4 : H / 4;
	if (spr > 64)
		spr = 64;
	if (!surf_new(c, &fb, W, H, pitch, 4) ||
	    !surf_new(c, &bg, W, H, pitch, 4) ||
	    !surf_new(c, &atlas, NSPR * spr, spr, NSPR * spr * 4, 4) ||
	    !surf_new(c, &front[0], W, H, pitch, 4) ||
	    !surf_new(c, &front[1], W, H, pitch, 4) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &stat, PAGE, 0)) ||
	    !lib_ok(c, mdrm_syncobj_new(&c->d, &sync[0])) ||
	    !lib_ok(c, mdrm_syncobj_new(&c->d, &sync[1])))
		goto out;
	/* The background: a gradient with a seed-dependent tint. */
	{
		uint32_t tint = (uint32_t)ref_rng_next(&c->rng) & 0x3f3f3f;

		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++) {
				uint32_t px = 0xff000000u |
					      (x * 255 / W) << 16 |
					      (y * 255 / H) << 8 |
					      ((x ^ y) & 0xff);

				px ^= tint;
				memcpy(bg.ref + (size_t)y * pitch + 4 * x, &px, 4);
			}
		memcpy(bg.bo.map, bg.ref, bg.size);
	}
	for (k = 0; k < NRECT; k++) {
		rw[k] = W / (5 + k) ? W / (5 + k) : 1;
		rh[k] = H / (5 + k) ? H / (5 + k) : 1;
		rx0[k] = ref_rng_below(&c->rng, W);
		ry0[k] = ref_rng_below(&c->rng, H);
		rvx[k] = 1 + ref_rng_below(&c->rng, W / 16 + 1);
		rvy[k] = 1 + ref_rng_below(&c->rng, H / 16 + 1);
		rcol[k] = (uint32_t)ref_rng_next(&c->rng);
	}
	bos[0] = &fb.bo;
	bos[1] = &bg.bo;
	bos[2] = &atlas.bo;
	bos[3] = &front[0].bo;
	bos[4] = &front[1].bo;
	bos[5] = &stat;
	memset(stat.map, 0, PAGE);

	t0 = mdrm_now_ns();
	/* Frame f is built and queued in iteration f, checked in f + 1. */
	for (f = 0; f <= nf && !c->failed; f++) {
		if (f < nf) {
			unsigned int cur = f % 2;
			struct ref_blt b;

			gpu_cmds_reset(&cmds);
			/* 1. The background. */
			b = (struct ref_blt){
				.op = REF_FAST_COPY_BLT, .cpp = 4, .x2 = W,
				.y2 = H, .dst_pitch = pitch, .src_pitch = pitch,
			};
			blit(&cmds, &b, &fb, &bg);
			/* 2. Moving rectangles; every third keeps alpha. */
			for (k = 0; k < NRECT; k++) {
				b = (struct ref_blt){
					.op = REF_COLOR_BLT, .cpp = 4,
					.write_rgb = true,
					.write_alpha = k % 3 != 2,
					.x1 = bounce(rx0[k] + f * rvx[k], W - rw[k]),
					.y1 = bounce(ry0[k] + f * rvy[k], H - rh[k]),
					.dst_pitch = pitch,
					.color = rcol[k] + f * 0x00010203u,
				};
				b.x2 = b.x1 + rw[k];
				b.y2 = b.y1 + rh[k];
				blit(&cmds, &b, &fb, NULL);
			}
			/* 3. Sprites from the atlas. */
			for (k = 0; k < NSPR - 1; k++) {
				b = (struct ref_blt){
					.op = REF_SRC_COPY_BLT, .cpp = 4,
					.write_rgb = true, .write_alpha = true,
					.x1 = bounce(f * (3 + 2 * k) + k * W / 3,
						     W - spr),
					.y1 = bounce(f * (2 + k) + k * H / 4,
						     H - spr),
					.sx = ((f + k) % NSPR) * spr,
					.dst_pitch = pitch,
					.src_pitch = atlas.pitch,
				};
				b.x2 = b.x1 + spr;
				b.y2 = b.y1 + spr;
				blit(&cmds, &b, &fb, &atlas);
			}
			/* 4. A band of the frame scrolls left, in place. */
			{
				unsigned int shift = 1 + (f * 7) % (W / 4 + 1);
				unsigned int by = H / 2, bh = H / 8 ? H / 8 : 1;

				if (shift < W) {
					b = (struct ref_blt){
						.op = REF_SRC_COPY_BLT, .cpp = 4,
						.write_rgb = true,
						.write_alpha = true,
						.x1 = 0, .y1 = by,
						.x2 = W - shift, .y2 = by + bh,
						.sx = shift, .sy = by,
						.dst_pitch = pitch,
						.src_pitch = pitch,
					};
					blit(&cmds, &b, &fb, &fb);
				}
			}
			/* 5. Present: the frame to a front buffer. */
			b = (struct ref_blt){
				.op = REF_FAST_COPY_BLT, .cpp = 4, .x2 = W,
				.y2 = H, .dst_pitch = pitch, .src_pitch = pitch,
			};
			blit(&cmds, &b, &front[cur], &fb);
			blits += 2 + NRECT + NSPR;
			/* 6. The frame number, after every blit. */
			mdrm_emit_flush_store(&cmds, stat.va + 8 * cur, f + 1);
			gpu_emit_bb_end(&cmds);
			if (!submit(c, BCS, &cmds, &batch[cur], bos, 6,
				    f ? sync[!cur] : 0, sync[cur], &seqno[cur]))
				break;
		}
		if (f > 0) {
			unsigned int p = (f - 1) % 2;
			uint64_t gs, rs;
			char buf[256];
			bool same;
			int st = 1;

			if (!lib_ok(c, mdrm_syncobj_wait(&c->d, sync[p],
							 timeout_ns(c))))
				break;
			/* Signalled: WAIT must report it done, at once. */
			if (!wait_ok(c, seqno[p], "frame"))
				break;
			lib_ok(c, mdrm_syncobj_status(&c->d, sync[p], &st));
			ck(c, st == 1, "frame %u: out-syncobj status %d", f - 1,
			   st);
			/*
			 * The present blit left frame f - 1's reference in
			 * front[p].ref; frame f only touched the other one.
			 */
			gs = mdrm_sum(MDRM_SUM_INIT, front[p].bo.map,
				      front[p].size);
			rs = mdrm_sum(MDRM_SUM_INIT, front[p].ref,
				      front[p].size);
			same = !ref_describe_diff(front[p].bo.map,
						  front[p].ref, front[p].size,
						  pitch, 4, buf, sizeof(buf));
			printf("FRAME %u %s checksum=%016" PRIx64 " ref=%016"
			       PRIx64 "%s\n", f - 1, same ? "ok" : "FAIL",
			       gs, rs, c->proc_tag);
			ck(c, same, "frame %u: %s", f - 1, buf);
			ck(c, ((uint32_t *)stat.map)[2 * p] == f,
			   "frame %u: post-sync frame number %u", f - 1,
			   ((uint32_t *)stat.map)[2 * p]);
			fsum = mdrm_sum(fsum, &gs, sizeof(gs));
			fref = mdrm_sum(fref, &rs, sizeof(rs));
		}
	}
	if (!c->failed) {
		surf_check(c, &fb, "framebuffer after the last frame");
		surf_check(c, &bg, "background (unchanged)");
		surf_check(c, &atlas, "sprite atlas (unchanged)");
	}
	c->sum = mdrm_sum(c->sum, &fsum, sizeof(fsum));
	c->ref = mdrm_sum(c->ref, &fref, sizeof(fref));
	extra(c, " frames=%u size=%ux%u blits=%u fps=%.1f", nf, W, H, blits,
	      nf * 1e9 / (double)(mdrm_now_ns() - t0));
out:
	/* Nothing may still run: each frame was waited for (or failed). */
	for (k = 0; k < 2; k++) {
		if (seqno[k]) {
			int st;

			mdrm_wait(&c->d, seqno[k], timeout_ns(c), &st);
		}
		mdrm_bo_free(&c->d, &batch[k]);
		mdrm_syncobj_free(&c->d, sync[k]);
		surf_free(c, &front[k]);
	}
	mdrm_bo_free(&c->d, &stat);
	surf_free(c, &atlas);
	surf_free(c, &bg);
	surf_free(c, &fb);
	gpu_cmds_fini(&cmds);
}

/* ---- stores ---------------------------------------------------------------- */

#define STORE_BATCHES	32

/*
 * Bursts of stores: STORE_BATCHES batches, queued at once on alternating
 * engines, each writing its share of an output BO in a random order with
 * MI_STORE_DATA_IMM (dword, qword, overwritten), MI_LOAD_REGISTER_IMM +
 * MI_STORE_REGISTER_MEM through a GPR, and the engines' post-sync writes
 * (MI_FLUSH_DW, PIPE_CONTROL).  Each batch finally records its index in a
 * per-engine dword: the last one of each engine must win.
 */
static void w_stores(struct ctx *c)
{
	unsigned int total = ALIGN_UP(c->o->stores, 2 * STORE_BATCHES);
	unsigned int per = total / STORE_BATCHES, npairs = per / 2;
	/* Worst case per pair: two LRI + SRM, 14 dwords. */
	size_t slot_bytes = ALIGN_UP((npairs * 14 + 8) * 4ull, 64);
	uint64_t seqno[STORE_BATCHES];
	struct mdrm_bo out = { 0 }, batch = { 0 };
	const struct mdrm_bo *bos[1] = { &out };
	uint32_t *want = NULL, *order = NULL, *got;
	struct gpu_cmds cmds;
	unsigned int j, i, e, queued = 0, kinds[6] = { 0 };

	gpu_cmds_init(&cmds);
	want = calloc(total + 2, 4);
	order = calloc(npairs, 4);
	if (!ck(c, want && order, "out of memory") ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &out, (total + 2) * 4ull, 0)) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &batch,
				   slot_bytes * STORE_BATCHES, 0)))
		goto out;
	got = out.map;
	/* Poison, so that a lost store shows. */
	for (i = 0; i < total + 2; i++)
		got[i] = 0xdead0000u ^ i;

	for (j = 0; j < STORE_BATCHES; j++) {
		unsigned int base = j * per;
		struct mdrm_exec x = {
			.engine = j & 1, .batch = &batch,
			.offset = (uint32_t)(j * slot_bytes),
			.bos = bos, .nr_bos = 1,
		};

		e = j & 1;
		gpu_cmds_reset(&cmds);
		for (i = 0; i < npairs; i++)
			order[i] = i;
		for (i = npairs - 1; i > 0; i--) {
			unsigned int k = ref_rng_below(&c->rng, i + 1);
			uint32_t t = order[i];

			order[i] = order[k];
			order[k] = t;
		}
		for (i = 0; i < npairs; i++) {
			unsigned int s = base + 2 * order[i];
			uint64_t va = out.va + 4ull * s;
			uint32_t v0 = (uint32_t)ref_rng_next(&c->rng);
			uint32_t v1 = (uint32_t)ref_rng_next(&c->rng);
			unsigned int kind = ref_rng_below(&c->rng, 10), g;

			want[s] = v0;
			want[s + 1] = v1;
			if (kind <= 4) {
				kinds[0]++;
				mdrm_emit_sdi(&cmds, va + 4, v1);
				mdrm_emit_sdi(&cmds, va, v0);
			} else if (kind <= 6) {
				kinds[1]++;
				mdrm_emit_sdi_qw(&cmds, va,
						 (uint64_t)v1 << 32 | v0);
			} else if (kind == 7) {
				kinds[2]++;
				/* Two GPR dwords (of the 32) through LRI/SRM. */
				g = ref_rng_below(&c->rng, 31);
				gpu_emit_lri(&cmds, MVGPU_ENGINE_BASE(e) +
					     MVGPU_CS_GPR(0) + 4 * g, v0);
				gpu_emit_lri(&cmds, MVGPU_ENGINE_BASE(e) +
					     MVGPU_CS_GPR(0) + 4 * (g + 1), v1);
				mdrm_emit_srm(&cmds, MVGPU_ENGINE_BASE(e) +
					      MVGPU_CS_GPR(0) + 4 * g, va);
				mdrm_emit_srm(&cmds, MVGPU_ENGINE_BASE(e) +
					      MVGPU_CS_GPR(0) + 4 * (g + 1),
					      va + 4);
			} else if (kind == 8) {
				kinds[3 + e]++;
				if (e == BCS) {
					mdrm_emit_flush_store(&cmds, va, v0);
					mdrm_emit_sdi(&cmds, va + 4, v1);
				} else {
					mdrm_emit_pc_store(&cmds, va,
							   (uint64_t)v1 << 32 | v0);
				}
			} else {
				kinds[5]++;
				/* Overwritten: commands complete in order. */
				mdrm_emit_sdi(&cmds, va, ~v0);
				mdrm_emit_sdi(&cmds, va + 4, v1);
				mdrm_emit_sdi(&cmds, va, v0);
			}
		}
		mdrm_emit_sdi(&cmds, out.va + 4ull * (total + e), j + 1);
		want[total + e] = j + 1;
		gpu_emit_bb_end(&cmds);
		x.len = cmds.len * 4;
		if (!ck(c, cmds.len * 4 <= slot_bytes, "batch overflow") ||
		    !lib_ok(c, mdrm_cmds_store(&cmds, &batch, x.offset)) ||
		    !lib_ok(c, mdrm_exec(&c->d, &x, &seqno[j])))
			break;
		queued++;
	}
	for (j = 0; j < queued; j++) {
		char what[32];

		snprintf(what, sizeof(what), "store batch %u", j);
		wait_ok(c, seqno[j], what);
	}
	if (queued == STORE_BATCHES && !c->failed) {
		char buf[256];

		c->sum = mdrm_sum(c->sum, out.map, (total + 2) * 4ull);
		c->ref = mdrm_sum(c->ref, want, (total + 2) * 4ull);
		if (ref_describe_diff(out.map, want, (total + 2) * 4ull,
				      (total + 2) * 4, 4, buf, sizeof(buf)))
			ck(c, false, "output: %s", buf);
	}
	extra(c, " stores=%u batches=%u sdi=%u qw=%u lri_srm=%u flush_dw=%u pipe_control=%u overwrite=%u",
	      total, STORE_BATCHES, kinds[0], kinds[1], kinds[2], kinds[4],
	      kinds[3], kinds[5]);
out:
	mdrm_bo_free(&c->d, &batch);
	mdrm_bo_free(&c->d, &out);
	free(order);
	free(want);
	gpu_cmds_fini(&cmds);
}

/* ---- big-batch ------------------------------------------------------------- */

/*
 * One large batch per engine (--batch-kib, default 1280 KiB, both engines
 * at once): no-ops and MI_ARB_CHECK with a store every 4 KiB, every other
 * one straddling a page boundary of the batch.
 */
static void w_big_batch(struct ctx *c)
{
	enum { STEP = 1024 };
	size_t dwords = (size_t)c->o->batch_kib * 1024 / 4;
	struct mdrm_bo out[2] = { { 0 }, { 0 } }, batch[2] = { { 0 }, { 0 } };
	uint64_t seqno[2] = { 0, 0 };
	uint32_t *want[2] = { NULL, NULL };
	struct gpu_cmds cmds;
	unsigned int e, n = 0, submitted = 0;
	size_t i;

	gpu_cmds_init(&cmds);
	for (e = 0; e < 2; e++) {
		const struct mdrm_bo *bos[1] = { &out[e] };
		uint32_t *p;

		want[e] = calloc(PAGE, 1);
		if (!ck(c, want[e], "out of memory") ||
		    !lib_ok(c, mdrm_bo_new(&c->d, &out[e], PAGE, 0)))
			break;
		gpu_cmds_reset(&cmds);
		p = gpu_cmds_add(&cmds, dwords);
		if (!ck(c, p, "out of memory"))
			break;
		for (i = 0; i < dwords; i++)
			p[i] = i % 7 ? MVGPU_MI_NOOP : MVGPU_MI_ARB_CHECK;
		/* Stores end before the last 6 dwords (see below). */
		for (n = 0, i = STEP; i + 4 + 6 <= dwords; i += STEP, n++) {
			/* Every other store starts 2 dwords before a page end. */
			size_t at = n & 1 ? i - 2 : i;
			uint64_t va = out[e].va + 4 * n;

			want[e][n] = (uint32_t)ref_rng_next(&c->rng);
			p[at] = MVGPU_MI_STORE_DATA_IMM;
			p[at + 1] = (uint32_t)va;
			p[at + 2] = (uint32_t)(va >> 32) & 0xffff;
			p[at + 3] = want[e][n];
		}
		/* A final store and the end in the last 6 dwords. */
		cmds.len = dwords - 6;
		want[e][n] = (uint32_t)ref_rng_next(&c->rng);
		mdrm_emit_sdi(&cmds, out[e].va + 4 * n, want[e][n]);
		gpu_emit(&cmds, MVGPU_MI_NOOP);
		gpu_emit_bb_end(&cmds);
		if (!ck(c, cmds.len == dwords && n < PAGE / 4,
			"batch built wrong"))
			break;
		if (!submit(c, e, &cmds, &batch[e], bos, 1, 0, 0, &seqno[e]))
			break;
		submitted++;
	}
	for (e = 0; e < submitted; e++) {
		char buf[256];

		if (!wait_ok(c, seqno[e], e ? "blitter batch" : "render batch"))
			continue;
		c->sum = mdrm_sum(c->sum, out[e].map, PAGE);
		c->ref = mdrm_sum(c->ref, want[e], PAGE);
		if (ref_describe_diff(out[e].map, want[e], PAGE, PAGE, 4, buf,
				      sizeof(buf)))
			ck(c, false, "engine %u: %u stores in a %zu KiB batch: %s",
			   e, n + 1, dwords / 256, buf);
	}
	extra(c, " kib=%zu stores_per_engine=%u", dwords / 256, n + 1);
	for (e = 0; e < 2; e++) {
		mdrm_bo_free(&c->d, &batch[e]);
		mdrm_bo_free(&c->d, &out[e]);
		free(want[e]);
	}
	gpu_cmds_fini(&cmds);
}

/* ---- chain ----------------------------------------------------------------- */

/* End @cmds, store them at the start of @bo and start over. */
static bool end_batch(struct ctx *c, struct gpu_cmds *cmds,
		      struct mdrm_bo *bo)
{
	gpu_emit_bb_end(cmds);
	if (!lib_ok(c, mdrm_cmds_store(cmds, bo, 0)))
		return false;
	gpu_cmds_reset(cmds);
	return true;
}

enum {
	S0, S1, S2, S3, S4, S5, S6, BAD0, BAD1, LOG,
	LIN, NLIN = 16, LINLOG = LIN + NLIN, LINBAD, NSLOT
};
#define NCHAIN_BOS	(5 + NLIN)

/*
 * Chained and second-level batches, each in its own BO:
 *   A:   s0; chain to B; [bad0]
 *   B:   s1; call C1; s4; call C2; s6; end
 *   C1:  s2; chain to C1b; [bad1]
 *   C1b: s3; end (returns to B)
 *   C2:  s5; end (returns to B)
 * and a second submission, a chain of NLIN batches.  Each store also
 * overwrites a log dword, so the log holds the last store executed.
 */
static void w_chain(struct ctx *c)
{
	struct mdrm_bo bo[2][NCHAIN_BOS], out[2];
	const struct mdrm_bo *bos[NCHAIN_BOS + 1];
	uint32_t want[2][NSLOT];
	uint64_t seqno[2][2] = { { 0 } };
	struct gpu_cmds cmds;
	unsigned int e, i, k, nsub = 0;

	memset(bo, 0, sizeof(bo));
	memset(out, 0, sizeof(out));
	memset(want, 0, sizeof(want));
	gpu_cmds_init(&cmds);
	for (e = 0; e < 2; e++) {
		struct mdrm_bo *A = &bo[e][0], *B = &bo[e][1], *C1 = &bo[e][2];
		struct mdrm_bo *C1b = &bo[e][3], *C2 = &bo[e][4];
		struct mdrm_bo *L = &bo[e][5];
		uint64_t o;

		if (!lib_ok(c, mdrm_bo_new(&c->d, &out[e], PAGE, 0)))
			break;
		for (i = 0; i < NCHAIN_BOS; i++)
			if (!lib_ok(c, mdrm_bo_new(&c->d, &bo[e][i], PAGE, 0)))
				goto submit_done;
		o = out[e].va;
		for (i = 0; i < NSLOT; i++)
			want[e][i] = (uint32_t)ref_rng_next(&c->rng) | 1;
#define ST(slot)							\
	do {								\
		mdrm_emit_sdi(&cmds, o + 4 * (slot), want[e][slot]);	\
		mdrm_emit_sdi(&cmds, o + 4 * LOG, want[e][slot]);	\
	} while (0)
		ST(S3);
		if (!end_batch(c, &cmds, C1b))
			goto submit_done;
		ST(S2);
		mdrm_emit_bb_start(&cmds, C1b->va, false);
		ST(BAD1);
		if (!end_batch(c, &cmds, C1))
			goto submit_done;
		ST(S5);
		if (!end_batch(c, &cmds, C2))
			goto submit_done;
		ST(S1);
		mdrm_emit_bb_start(&cmds, C1->va, true);
		ST(S4);
		mdrm_emit_bb_start(&cmds, C2->va, true);
		ST(S6);
		if (!end_batch(c, &cmds, B))
			goto submit_done;
		ST(S0);
		mdrm_emit_bb_start(&cmds, B->va, false);
		ST(BAD0);
		gpu_emit_bb_end(&cmds);
		bos[0] = &out[e];
		for (i = 1; i < 5; i++)
			bos[i] = &bo[e][i];
		if (!submit(c, e, &cmds, A, bos, 5, 0, 0, &seqno[e][0]))
			goto submit_done;
		gpu_cmds_reset(&cmds);
		nsub++;

		/* The linear chain, built back to front. */
		for (k = NLIN; k-- > 0;) {
			mdrm_emit_sdi(&cmds, o + 4 * (LIN + k),
				      want[e][LIN + k]);
			mdrm_emit_sdi(&cmds, o + 4 * LINLOG, want[e][LIN + k]);
			if (k + 1 < NLIN) {
				mdrm_emit_bb_start(&cmds, L[k + 1].va, false);
				mdrm_emit_sdi(&cmds, o + 4 * LINBAD, 0xbad);
			}
			if (k)
				if (!end_batch(c, &cmds, &L[k]))
					goto submit_done;
		}
		gpu_emit_bb_end(&cmds);
		for (i = 1; i < NLIN; i++)
			bos[i] = &L[i];
		if (!submit(c, e, &cmds, &L[0], bos, NLIN, 0, 0,
			    &seqno[e][1]))
			goto submit_done;
		gpu_cmds_reset(&cmds);
		nsub++;
#undef ST
	}
submit_done:
	for (i = 0; i < nsub; i++)
		wait_ok(c, seqno[i / 2][i % 2], i % 2 ? "linear chain" :
			"chained and second-level batches");
	if (nsub == 4 && !c->failed) {
		for (e = 0; e < 2; e++) {
			uint32_t *g = out[e].map;

			/* What must not have run is 0 in the reference. */
			want[e][BAD0] = 0;
			want[e][BAD1] = 0;
			want[e][LINBAD] = 0;
			want[e][LOG] = want[e][S6];
			want[e][LINLOG] = want[e][LIN + NLIN - 1];
			for (i = 0; i < NSLOT; i++)
				ck(c, g[i] == want[e][i],
				   "engine %u slot %u: 0x%08x, want 0x%08x%s",
				   e, i, g[i], want[e][i],
				   i == BAD0 ? " (a chained batch returned)" :
				   i == BAD1 ? " (a chain in a second-level batch returned)" :
				   i == LINBAD ? " (a chain returned)" :
				   i == LOG || i == LINLOG ? " (execution order)" : "");
			c->sum = mdrm_sum(c->sum, g, 4 * NSLOT);
			c->ref = mdrm_sum(c->ref, want[e], 4 * NSLOT);
		}
	}
	extra(c, " batches=%u", 2 * NCHAIN_BOS);
	for (e = 0; e < 2; e++) {
		for (i = 0; i < NCHAIN_BOS; i++)
			mdrm_bo_free(&c->d, &bo[e][i]);
		mdrm_bo_free(&c->d, &out[e]);
	}
	gpu_cmds_fini(&cmds);
}

/* ---- hang ------------------------------------------------------------------ */

/*
 * A batch that hangs on a semaphore nobody will satisfy.  The watchdog
 * must stop it: WAIT and the out-syncobj report -ETIMEDOUT, a blitter job
 * that waits for it (in-syncobj) fails with the same error without
 * running, the render job queued behind it runs, GET_RESET_STATS names
 * the hang, and the same file then does new work on both engines.
 */
static void w_hang(struct ctx *c)
{
	enum { BEFORE, AFTER, DEP, GOOD, SEM, NHW };
	struct drm_mvgpu_reset_stats s0, s;
	struct mdrm_bo t = { 0 }, bh = { 0 }, bd = { 0 }, bg = { 0 };
	const struct mdrm_bo *bos[1] = { &t };
	uint32_t sh = 0, sd = 0, want[NHW], *m;
	uint64_t qh = 0, qd = 0, qg = 0, t0, ms = 0;
	struct gpu_cmds cmds;
	int st = 1, sth = 1, std = 1;

	gpu_cmds_init(&cmds);
	if (!lib_ok(c, mdrm_reset_stats(&c->d, &s0)) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &t, PAGE, 0)) ||
	    !lib_ok(c, mdrm_syncobj_new(&c->d, &sh)) ||
	    !lib_ok(c, mdrm_syncobj_new(&c->d, &sd)))
		goto out;
	m = t.map;
	want[BEFORE] = (uint32_t)ref_rng_next(&c->rng) | 1;
	want[AFTER] = 0;
	want[DEP] = 0;
	want[GOOD] = (uint32_t)ref_rng_next(&c->rng) | 1;
	want[SEM] = 0;

	/* Render: store, then wait for 0xffffffff in a dword that stays 0. */
	mdrm_emit_sdi(&cmds, t.va + 4 * BEFORE, want[BEFORE]);
	mdrm_emit_sem_wait(&cmds, MVGPU_SEM_EQ, 0xffffffffu, t.va + 4 * SEM);
	mdrm_emit_sdi(&cmds, t.va + 4 * AFTER, 0xbad1);
	gpu_emit_bb_end(&cmds);
	t0 = mdrm_now_ns();
	if (!submit(c, RCS, &cmds, &bh, bos, 1, 0, sh, &qh))
		goto out;
	gpu_cmds_reset(&cmds);
	mdrm_emit_sdi(&cmds, t.va + 4 * DEP, 0xbad2);
	gpu_emit_bb_end(&cmds);
	if (!submit(c, BCS, &cmds, &bd, bos, 1, sh, sd, &qd))
		goto out;
	gpu_cmds_reset(&cmds);
	mdrm_emit_sdi(&cmds, t.va + 4 * GOOD, want[GOOD]);
	gpu_emit_bb_end(&cmds);
	if (!submit(c, RCS, &cmds, &bg, bos, 1, 0, 0, &qg))
		goto out;

	if (lib_ok(c, mdrm_wait(&c->d, qh, timeout_ns(c), &st))) {
		ms = (mdrm_now_ns() - t0) / 1000000;
		ck(c, st == -ETIMEDOUT, "the hanging batch completed with %d %s, want -ETIMEDOUT",
		   st, status_name(st));
		/* The watchdog counts from the start of the batch. */
		ck(c, ms * 10 >= c->d.watchdog_ms * 9,
		   "the hang was reported after %llu ms, watchdog %llu ms",
		   (unsigned long long)ms,
		   (unsigned long long)c->d.watchdog_ms);
	}
	if (lib_ok(c, mdrm_wait(&c->d, qd, timeout_ns(c), &st)))
		ck(c, st == -ETIMEDOUT, "the job waiting for the hang completed with %d %s, want its in-fence's -ETIMEDOUT",
		   st, status_name(st));
	if (lib_ok(c, mdrm_syncobj_wait(&c->d, sd, timeout_ns(c))) &&
	    lib_ok(c, mdrm_syncobj_status(&c->d, sh, &sth)) &&
	    lib_ok(c, mdrm_syncobj_status(&c->d, sd, &std)))
		ck(c, sth == -ETIMEDOUT && std == -ETIMEDOUT,
		   "sync_file status of the hang %d, of the job behind it %d, want -ETIMEDOUT",
		   sth, std);
	if (lib_ok(c, mdrm_wait(&c->d, qg, timeout_ns(c), &st)))
		ck(c, st == 0, "the render job queued behind the hang completed with %d %s",
		   st, status_name(st));
	ck(c, m[BEFORE] == want[BEFORE] && m[AFTER] == 0 && m[DEP] == 0 &&
	   m[GOOD] == want[GOOD],
	   "stores: before the semaphore 0x%x (want 0x%x), after it 0x%x, of the dependent job 0x%x (want 0), behind it 0x%x (want 0x%x)",
	   m[BEFORE], want[BEFORE], m[AFTER], m[DEP], m[GOOD], want[GOOD]);
	if (lib_ok(c, mdrm_reset_stats(&c->d, &s)))
		ck(c, s.hangs == s0.hangs + 1 && s.faults == s0.faults &&
		   (s.last_fault_status & MVGPU_FAULT_TYPE_MASK) ==
		   MVGPU_FAULT_HANG && s.last_seqno == qh &&
		   s.last_engine == RCS,
		   "GET_RESET_STATS: hangs %u -> %u, faults %u -> %u, last: engine %u type %u seqno %llu (want one hang, HANG, render, seqno %llu)",
		   s0.hangs, s.hangs, s0.faults, s.faults, s.last_engine,
		   s.last_fault_status & MVGPU_FAULT_TYPE_MASK,
		   (unsigned long long)s.last_seqno, (unsigned long long)qh);
	c->sum = mdrm_sum(c->sum, m, sizeof(want));
	c->ref = mdrm_sum(c->ref, want, sizeof(want));

	/* The same file still works, on both engines. */
	if (!c->failed) {
		struct surf fill;
		struct ref_blt b;

		if (surf_new(c, &fill, 256, 64, 1024, 4)) {
			const struct mdrm_bo *fb[2] = { &fill.bo, &t };

			gpu_cmds_reset(&cmds);
			b = rand_blt(c, REF_COLOR_BLT, 4, &fill, NULL, 256, 64);
			blit(&cmds, &b, &fill, NULL);
			gpu_emit_bb_end(&cmds);
			if (run(c, BCS, &cmds, fb, 2, "blit after the hang"))
				surf_check(c, &fill, "fill after the hang");
			gpu_cmds_reset(&cmds);
			want[SEM] = (uint32_t)ref_rng_next(&c->rng);
			mdrm_emit_sdi(&cmds, t.va + 4 * SEM, want[SEM]);
			gpu_emit_bb_end(&cmds);
			if (run(c, RCS, &cmds, fb, 2, "store after the hang"))
				ck(c, m[SEM] == want[SEM],
				   "store after the hang: 0x%x, want 0x%x",
				   m[SEM], want[SEM]);
			c->sum = mdrm_sum(c->sum, &m[SEM], 4);
			c->ref = mdrm_sum(c->ref, &want[SEM], 4);
			surf_free(c, &fill);
		}
	}
	extra(c, " status=%d after_ms=%llu watchdog_ms=%llu", sth,
	      (unsigned long long)ms, (unsigned long long)c->d.watchdog_ms);
out:
	/* Whatever was queued must be done before its BOs go. */
	if (qg)
		mdrm_wait(&c->d, qg, timeout_ns(c), &st);
	if (qd)
		mdrm_wait(&c->d, qd, timeout_ns(c), &st);
	mdrm_syncobj_free(&c->d, sh);
	mdrm_syncobj_free(&c->d, sd);
	mdrm_bo_free(&c->d, &bh);
	mdrm_bo_free(&c->d, &bd);
	mdrm_bo_free(&c->d, &bg);
	mdrm_bo_free(&c->d, &t);
	gpu_cmds_fini(&cmds);
}

/* ---- bench ----------------------------------------------------------------- */

#define BENCH_W		1024
#define BENCH_H		1024
/*
 * One 4 MiB blit per submission, 4 in flight: the watchdog is wall-clock
 * per batch, and a loaded emulated host has stalled for over a second;
 * 16 MiB batches tripped it there.
 */
#define BENCH_BLITS	1
#define BENCH_WINDOW	4
#define BENCH_SLOTS	1024
#define BENCH_SLOT_B	32
#define BENCH_PIPE	32

/*
 * Submit the batch @batch (@len bytes) repeatedly for @secs seconds with
 * at most @window submissions in flight; returns how many completed (all
 * with status 0), 0 on failure, and the time taken in *@ns.
 */
static unsigned long bench_loop(struct ctx *c, unsigned int e,
				const struct mdrm_bo *batch, uint32_t len,
				const struct mdrm_bo *const *bos,
				unsigned int nr, double secs,
				unsigned int window, uint64_t *ns)
{
	struct mdrm_exec x = {
		.engine = e, .batch = batch, .len = len, .bos = bos,
		.nr_bos = nr,
	};
	uint64_t q[BENCH_PIPE], t0 = mdrm_now_ns();
	uint64_t end = t0 + (uint64_t)(secs * 1e9);
	unsigned long n = 0, done = 0;

	while (true) {
		if (n - done == window || (mdrm_now_ns() >= end && n > done)) {
			if (!wait_ok(c, q[done % BENCH_PIPE], "bench submission"))
				return 0;
			done++;
			continue;
		}
		if (mdrm_now_ns() >= end)
			break;
		if (!lib_ok(c, mdrm_exec(&c->d, &x, &q[n % BENCH_PIPE])))
			return 0;
		n++;
	}
	*ns = mdrm_now_ns() - t0;
	return done;
}

/*
 * Submissions of one small batch (a store) each: synchronous (submit and
 * wait) with @window 1, pipelined otherwise.  Every store is checked: the
 * slots are compared and cleared after each pass over them.
 */
static double bench_submit(struct ctx *c, struct mdrm_bo *batch,
			   struct mdrm_bo *out, const uint32_t *want,
			   unsigned int window, unsigned long *count)
{
	const struct mdrm_bo *bos[1] = { out };
	uint64_t q[BENCH_PIPE], t0 = mdrm_now_ns(), ns;
	uint64_t end = t0 + (uint64_t)(c->o->seconds * 1e9);
	unsigned long n = 0, done = 0;
	uint32_t *g = out->map;
	char buf[256];

	memset(g, 0, BENCH_SLOTS * 4);
	while (true) {
		bool pass_end = n % BENCH_SLOTS == 0 && n > done;
		bool time_up = mdrm_now_ns() >= end;

		if (n - done == window || ((pass_end || time_up) && n > done)) {
			if (!wait_ok(c, q[done % BENCH_PIPE], "bench store"))
				return 0;
			done++;
			continue;
		}
		if (n && n % BENCH_SLOTS == 0 && n == done) {
			/* A pass over the slots completed: check and clear. */
			if (ref_describe_diff(g, want, BENCH_SLOTS * 4,
					      BENCH_SLOTS * 4, 4, buf,
					      sizeof(buf))) {
				ck(c, false, "stores of pass %lu: %s",
				   n / BENCH_SLOTS, buf);
				return 0;
			}
			memset(g, 0, BENCH_SLOTS * 4);
		}
		if (time_up)
			break;
		{
			struct mdrm_exec x = {
				.engine = RCS, .batch = batch,
				.offset = (n % BENCH_SLOTS) * BENCH_SLOT_B,
				.len = BENCH_SLOT_B, .bos = bos, .nr_bos = 1,
			};

			if (!lib_ok(c, mdrm_exec(&c->d, &x,
						 &q[n % BENCH_PIPE])))
				return 0;
		}
		n++;
	}
	ns = mdrm_now_ns() - t0;
	/* The last, partial pass. */
	if (n % BENCH_SLOTS &&
	    ref_describe_diff(g, want, (n % BENCH_SLOTS) * 4,
			      BENCH_SLOTS * 4, 4, buf, sizeof(buf))) {
		ck(c, false, "stores of the last pass: %s", buf);
		return 0;
	}
	*count = done;
	return done * 1e9 / (double)ns;
}

/*
 * Blit throughput (fills and copies of a 1024x1024x32 surface, 4 MiB
 * written per submission, BENCH_WINDOW in flight) and submission
 * rates (one store per batch, synchronous and pipelined), each for
 * --seconds.  MB is 10^6 bytes.  The results are checked afterwards.
 */
static void w_bench(struct ctx *c)
{
	uint64_t surf = (uint64_t)BENCH_W * 4 * BENCH_H;
	struct mdrm_bo src = { 0 }, dst = { 0 }, bfill = { 0 }, bcopy = { 0 };
	struct mdrm_bo bsub = { 0 }, sout = { 0 };
	const struct mdrm_bo *bos[2] = { &src, &dst };
	uint32_t want[BENCH_SLOTS], color = 0;
	struct gpu_cmds cmds;
	unsigned long n;
	uint64_t ns;
	unsigned int i;
	double rate;

	gpu_cmds_init(&cmds);
	if (!lib_ok(c, mdrm_bo_new(&c->d, &src, surf, 0)) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &dst, surf, 0)) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &bsub, BENCH_SLOTS * BENCH_SLOT_B,
				   0)) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &sout, PAGE, 0)))
		goto out;
	ref_fill(&c->rng, src.map, surf);

	/* Fills. */
	for (i = 0; i < BENCH_BLITS; i++) {
		struct ref_blt b = {
			.op = REF_COLOR_BLT, .cpp = 4, .write_rgb = true,
			.write_alpha = true, .x2 = BENCH_W, .y2 = BENCH_H,
			.dst_pitch = BENCH_W * 4,
		};

		color = b.color = (uint32_t)ref_rng_next(&c->rng);
		mdrm_emit_blt(&cmds, &b, dst.va, 0);
	}
	gpu_emit_bb_end(&cmds);
	if (!submit_store(c, &cmds, &bfill))
		goto out;
	n = bench_loop(c, BCS, &bfill, cmds.len * 4, bos + 1, 1,
		       c->o->seconds, BENCH_WINDOW, &ns);
	if (!n)
		goto out;
	for (i = 0; i < BENCH_W * BENCH_H; i++)
		if (((uint32_t *)dst.map)[i] != color)
			break;
	ck(c, i == BENCH_W * BENCH_H, "fill: pixel %u is 0x%08x, want 0x%08x",
	   i, ((uint32_t *)dst.map)[i % (BENCH_W * BENCH_H)], color);
	rate = n * BENCH_BLITS * surf / 1e6 / (ns / 1e9);
	printf("BENCH fill %.1f MB/s (%lu submissions of %u x %llu MiB in %.2f s)%s\n",
	       rate, n, BENCH_BLITS, (unsigned long long)(surf >> 20),
	       ns / 1e9, c->proc_tag);
	extra(c, " fill_MBps=%.1f", rate);

	/* Copies. */
	gpu_cmds_reset(&cmds);
	for (i = 0; i < BENCH_BLITS; i++) {
		struct ref_blt b = {
			.op = REF_FAST_COPY_BLT, .cpp = 4, .x2 = BENCH_W,
			.y2 = BENCH_H, .dst_pitch = BENCH_W * 4,
			.src_pitch = BENCH_W * 4,
		};

		mdrm_emit_blt(&cmds, &b, dst.va, src.va);
	}
	gpu_emit_bb_end(&cmds);
	if (!submit_store(c, &cmds, &bcopy))
		goto out;
	n = bench_loop(c, BCS, &bcopy, cmds.len * 4, bos, 2, c->o->seconds,
		       BENCH_WINDOW, &ns);
	if (!n)
		goto out;
	{
		char buf[256];

		if (ref_describe_diff(dst.map, src.map, surf, BENCH_W * 4, 4,
				      buf, sizeof(buf)))
			ck(c, false, "copy: %s", buf);
	}
	c->sum = mdrm_sum(c->sum, dst.map, surf);
	c->ref = mdrm_sum(c->ref, src.map, surf);
	rate = n * BENCH_BLITS * surf / 1e6 / (ns / 1e9);
	printf("BENCH copy %.1f MB/s (%lu submissions of %u x %llu MiB in %.2f s)%s\n",
	       rate, n, BENCH_BLITS, (unsigned long long)(surf >> 20),
	       ns / 1e9, c->proc_tag);
	extra(c, " copy_MBps=%.1f", rate);

	/* Small batches: slot i stores want[i] to sout[i]. */
	for (i = 0; i < BENCH_SLOTS; i++) {
		gpu_cmds_reset(&cmds);
		want[i] = (uint32_t)ref_rng_next(&c->rng) | 1;
		mdrm_emit_sdi(&cmds, sout.va + 4 * i, want[i]);
		gpu_emit_bb_end(&cmds);
		if (!lib_ok(c, mdrm_cmds_store(&cmds, &bsub, i * BENCH_SLOT_B)))
			goto out;
	}
	rate = bench_submit(c, &bsub, &sout, want, 1, &n);
	if (!rate)
		goto out;
	printf("BENCH submit-sync %.1f submissions/s (%lu in %.2f s, each waited for)%s\n",
	       rate, n, n / rate, c->proc_tag);
	extra(c, " sync_per_s=%.1f", rate);
	rate = bench_submit(c, &bsub, &sout, want, BENCH_PIPE, &n);
	if (!rate)
		goto out;
	printf("BENCH submit-pipelined %.1f submissions/s (%lu in %.2f s, %u in flight)%s\n",
	       rate, n, n / rate, BENCH_PIPE, c->proc_tag);
	extra(c, " pipelined_per_s=%.1f", rate);
out:
	mdrm_bo_free(&c->d, &bfill);
	mdrm_bo_free(&c->d, &bcopy);
	mdrm_bo_free(&c->d, &bsub);
	mdrm_bo_free(&c->d, &sout);
	mdrm_bo_free(&c->d, &src);
	mdrm_bo_free(&c->d, &dst);
	gpu_cmds_fini(&cmds);
}

/* ---- evil ------------------------------------------------------------------ */

/*
 * Malicious submissions: one per rule of the host's command scanner
 * (Documentation/scanner.rst) that a batch in the file's own PPGTT can
 * break.  Each must complete with -EIO (WAIT and the out-syncobj), show
 * the documented fault in GET_RESET_STATS (type, flags, FAULT_INSTR,
 * FAULT_ADDR, FAULT_CMD), leave every BO of the process unchanged (the
 * rejected ring command does not run at all, not even the store its batch
 * starts with), and leave the vGPU working: a good batch on the same
 * engine right after it must run exactly.  The good batches also carry
 * each engine's GPR 0 (low dword) from one to the next, so a register
 * write of a rejected batch shows.
 */

#define EVIL_MARK	0x0bad0000u	/* what evil batches store first */
#define EVIL_SLOTS	4		/* result dwords per good batch */
#define EVIL_MAX_RULES	60
#define EVIL_MAX_EXTRA	2
/* An unmapped GGTT page inside the slice, by the driver's layout. */
#define EVIL_GGTT_HOLE	0x8000u
/* The render engine's status page, after its 16 KiB ring. */
#define EVIL_GGTT_STATUS	0x4000u
#define E_BATCH		(MVGPU_FAULT_IN_BATCH | MVGPU_FAULT_CMD_PPGTT)
#define E_W		MVGPU_FAULT_WRITE
#define E_P		MVGPU_FAULT_PPGTT

/**
 * struct evil_want - the fault a rejected batch must report
 * @status: FAULT_STATUS without VALID: type and flags
 * @instr: FAULT_INSTR
 * @addr: FAULT_ADDR
 * @cmd: FAULT_CMD
 * @addr_page: FAULT_ADDR may be any byte of @addr's page (blits: the
 *	manual promises "a byte in the page that failed")
 * @cmd_in_batch: FAULT_CMD may be anywhere in the batch BO (where a
 *	limit is reached depends on how the host copies)
 */
struct evil_want {
	uint32_t status;
	uint32_t instr;
	uint64_t addr;
	uint64_t cmd;
	bool addr_page;
	bool cmd_in_batch;
};

/**
 * struct evil - state of the evil workload
 * @c: the workload context
 * @canary: a BO every evil batch lists and first stores a marker into
 * @ro: a read-only BO
 * @dst: a blit destination (two pages)
 * @src: a blit source (two pages)
 * @res: results of the good batches
 * @want: what @res must hold
 * @gpr: per engine, GPR 0's low dword as the last good batch set it
 * @gpr_known: @gpr is valid
 * @batch: the current rule's batch BO
 * @extra: further BOs of the rule (second-level batches, targets)
 * @nr_extra: entries of @extra
 * @none: the stand-in for a BO that could not be created
 * @len: bytes of the batch to submit (0: the commands')
 * @end_at: if not 0, MI_BATCH_BUFFER_END is also written at this offset
 * @cmds: the rule's commands, stored at offset 0 of @batch
 * @good: commands of the good batches
 * @slot: next free slot group of @res
 * @rule: name of the current rule
 * @why: the first failed check of the current rule
 */
struct evil {
	struct ctx *c;
	struct surf canary, ro, dst, src;
	struct mdrm_bo res;
	uint32_t want[EVIL_MAX_RULES * EVIL_SLOTS];
	uint32_t gpr[MVGPU_NUM_ENGINES];
	bool gpr_known[MVGPU_NUM_ENGINES];
	struct mdrm_bo batch;
	struct mdrm_bo extra[EVIL_MAX_EXTRA];
	unsigned int nr_extra;
	struct mdrm_bo none;
	uint32_t len;
	uint32_t end_at;
	struct gpu_cmds cmds;
	struct gpu_cmds good;
	unsigned int slot;
	const char *rule;
	char why[400];
};

/* A check of the current rule: the first failure is its reason. */
static bool __attribute__((format(printf, 3, 4)))
eck(struct evil *ev, bool ok, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!ev->why[0])
		snprintf(ev->why, sizeof(ev->why), "%s", buf);
	ck(ev->c, false, "%s: %s", ev->rule, buf);
	return false;
}

/* The page after @bo: never mapped (uapi/mvgpu_drm.h). */
static uint64_t guard(const struct mdrm_bo *bo)
{
	return bo->va + bo->size;
}

/* Address of the next command of the rule's batch. */
static uint64_t evil_at(const struct evil *ev)
{
	return ev->batch.va + 4 * ev->cmds.len;
}

/* A GGTT address outside the vGPU's slice, next to it if possible. */
static uint64_t ggtt_outside(const struct mdrm_dev *d)
{
	if (d->ggtt_base + d->ggtt_size + PAGE <= MVGPU_GGTT_TOTAL)
		return d->ggtt_base + d->ggtt_size + 0x20;
	if (d->ggtt_base >= PAGE)
		return d->ggtt_base - PAGE + 0x20;
	return MVGPU_GGTT_TOTAL + 0x20;
}

/* A surface whose BO has MVGPU_BO_* @flags (contents random). */
static bool evil_surf(struct ctx *c, struct surf *s, unsigned int pitch,
		      unsigned int h, uint32_t flags)
{
	memset(s, 0, sizeof(*s));
	s->w = pitch / 4;
	s->h = h;
	s->pitch = pitch;
	s->cpp = 4;
	s->size = (uint64_t)pitch * h;
	s->ref = malloc(s->size);
	if (!ck(c, s->ref, "out of memory") ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &s->bo, s->size, flags)))
		return false;
	ref_fill(&c->rng, s->ref, s->size);
	memcpy(s->bo.map, s->ref, s->size);
	return true;
}

/*
 * A good batch on engine @e: GPR 0 must still hold what the last good
 * batch of the engine loaded; load a new value; stores and a post-sync
 * write; on the blitter a fill of @dst.  It must complete and write
 * exactly that.  Returns false if it did not.
 */
static bool evil_good(struct evil *ev, unsigned int e)
{
	struct ctx *c = ev->c;
	const struct mdrm_bo *bos[2] = { &ev->res, &ev->dst.bo };
	unsigned int k = ev->slot * EVIL_SLOTS, i;
	uint32_t gpr = MVGPU_ENGINE_BASE(e) + MVGPU_CS_GPR(0);
	uint64_t r = ev->res.va + 4ull * k;
	uint32_t *got = ev->res.map, v[EVIL_SLOTS];
	struct gpu_cmds *g = &ev->good;
	bool ok;

	if (!eck(ev, ev->slot < EVIL_MAX_RULES, "out of result slots"))
		return false;
	ev->slot++;
	for (i = 0; i < EVIL_SLOTS; i++)
		v[i] = (uint32_t)ref_rng_next(&c->rng);
	gpu_cmds_reset(g);
	/* Slot 0: GPR 0 as the last good batch left it (or a constant). */
	if (ev->gpr_known[e]) {
		mdrm_emit_srm(g, gpr, r);
		v[0] = ev->gpr[e];
	} else {
		mdrm_emit_sdi(g, r, v[0]);
	}
	ev->gpr[e] = (uint32_t)ref_rng_next(&c->rng);
	ev->gpr_known[e] = true;
	gpu_emit_lri(g, gpr, ev->gpr[e]);
	mdrm_emit_sdi(g, r + 4, v[1]);
	if (e == RCS) {
		mdrm_emit_pc_store(g, r + 8, (uint64_t)v[3] << 32 | v[2]);
	} else {
		struct ref_blt b = rand_blt(c, REF_COLOR_BLT, 4, &ev->dst, NULL,
					    64, 4);

		mdrm_emit_flush_store(g, r + 8, v[2]);
		mdrm_emit_sdi(g, r + 12, v[3]);
		blit(g, &b, &ev->dst, NULL);
	}
	gpu_emit_bb_end(g);
	for (i = 0; i < EVIL_SLOTS; i++)
		ev->want[k + i] = v[i];
	ok = run(c, e, g, bos, 2, "good batch");
	eck(ev, ok, "the good batch after it failed");
	for (i = 0; ok && i < EVIL_SLOTS; i++)
		ok = eck(ev, got[k + i] == v[i],
			 "good batch: result %u is 0x%08x, want 0x%08x%s", i,
			 got[k + i], v[i],
			 i == 0 ? " (GPR 0 changed by the rejected batch?)" : "");
	return ok;
}

/* Start a rule: a fresh batch BO whose first command marks the canary. */
static bool evil_begin(struct evil *ev, const char *rule, uint64_t size)
{
	ev->rule = rule;
	ev->why[0] = '\0';
	ev->nr_extra = 0;
	ev->len = 0;
	ev->end_at = 0;
	gpu_cmds_reset(&ev->cmds);
	if (!eck(ev, !mdrm_bo_new(&ev->c->d, &ev->batch, size, 0), "%s",
		 mdrm_err())) {
		printf("EVIL %s FAIL %s%s\n", rule, ev->why, ev->c->proc_tag);
		ev->c->checks_failed++;
		return false;
	}
	mdrm_emit_sdi(&ev->cmds, ev->canary.bo.va + 0x40, EVIL_MARK);
	return true;
}

/*
 * A further BO for the rule, listed in its submission.  If it cannot be
 * had, the rule fails (evil_run() submits nothing) and an empty BO (no
 * handle, no mapping, size 0) stands in while the batch is built.
 */
static struct mdrm_bo *evil_extra(struct evil *ev, uint64_t size)
{
	struct mdrm_bo *bo = &ev->extra[ev->nr_extra];

	if (!eck(ev, ev->nr_extra < EVIL_MAX_EXTRA, "too many BOs") ||
	    !eck(ev, !mdrm_bo_new(&ev->c->d, bo, size, 0), "%s",
		 mdrm_err())) {
		memset(&ev->none, 0, sizeof(ev->none));
		return &ev->none;
	}
	ev->nr_extra++;
	return bo;
}

/* End the batch: one more marker store, then MI_BATCH_BUFFER_END. */
static void evil_tail(struct evil *ev)
{
	mdrm_emit_sdi(&ev->cmds, ev->canary.bo.va + 0x44, EVIL_MARK | 1);
	gpu_emit_bb_end(&ev->cmds);
}

/* Store @cmds (ending the batch) at the start of @bo. */
static bool evil_store(struct evil *ev, struct gpu_cmds *cmds,
		       struct mdrm_bo *bo)
{
	gpu_emit_bb_end(cmds);
	return eck(ev, !mdrm_cmds_store(cmds, bo, 0), "%s", mdrm_err());
}

/* Every watched BO still holds what the CPU put there. */
static void evil_unchanged(struct evil *ev, void *const *snap)
{
	struct surf *s[] = { &ev->canary, &ev->ro, &ev->dst, &ev->src };
	static const char *const what[] = {
		"canary", "read-only BO", "blit destination", "blit source",
	};
	char buf[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		if (ref_describe_diff(s[i]->bo.map, s[i]->ref, s[i]->size,
				      s[i]->pitch, 4, buf, sizeof(buf)))
			eck(ev, false, "%s written: %s", what[i], buf);
	if (snap[0] && memcmp(snap[0], ev->batch.map, ev->batch.size))
		eck(ev, false, "the batch BO was written");
	for (i = 0; i < ev->nr_extra; i++)
		if (snap[i + 1] && memcmp(snap[i + 1], ev->extra[i].map,
					  ev->extra[i].size))
			eck(ev, false, "BO %u of the rule was written", i);
}

/*
 * Submit the rule's batch on engine @e and check everything: -EIO, the
 * fault @w, no BO changed, a good batch afterwards.  Prints the EVIL line
 * and releases the rule's BOs.
 */
static void evil_run(struct evil *ev, unsigned int e,
		     const struct evil_want *w)
{
	struct ctx *c = ev->c;
	const struct mdrm_bo *bos[5 + EVIL_MAX_EXTRA] = {
		&ev->canary.bo, &ev->ro.bo, &ev->dst.bo, &ev->src.bo, &ev->res,
	};
	void *snap[1 + EVIL_MAX_EXTRA] = { NULL };
	struct drm_mvgpu_reset_stats s0 = { 0 }, s = { 0 };
	struct mdrm_exec x = {
		.engine = e, .batch = &ev->batch, .bos = bos,
	};
	uint32_t sync = 0, st;
	uint64_t seqno = 0, b = ev->batch.va;
	unsigned int i;
	int status = 1, fstat = 1;
	bool stats = false;

	for (i = 0; i < ev->nr_extra; i++)
		bos[5 + i] = &ev->extra[i];
	x.nr_bos = 5 + ev->nr_extra;
	x.len = ev->len ? ev->len : ev->cmds.len * 4;
	if (ev->why[0] ||
	    !eck(ev, !mdrm_cmds_store(&ev->cmds, &ev->batch, 0), "%s",
		 mdrm_err()))
		goto out;
	if (ev->end_at)
		((uint32_t *)ev->batch.map)[ev->end_at / 4] =
			MVGPU_MI_BATCH_BUFFER_END;
	snap[0] = malloc(ev->batch.size);
	if (snap[0])
		memcpy(snap[0], ev->batch.map, ev->batch.size);
	for (i = 0; i < ev->nr_extra; i++) {
		snap[i + 1] = malloc(ev->extra[i].size);
		if (snap[i + 1])
			memcpy(snap[i + 1], ev->extra[i].map,
			       ev->extra[i].size);
	}
	if (!eck(ev, !mdrm_reset_stats(&c->d, &s0), "%s", mdrm_err()) ||
	    !eck(ev, !mdrm_syncobj_new(&c->d, &sync), "%s", mdrm_err()))
		goto out;
	x.out_syncobj = sync;
	if (!eck(ev, !mdrm_exec(&c->d, &x, &seqno), "%s", mdrm_err()))
		goto out;
	if (eck(ev, !mdrm_wait(&c->d, seqno, timeout_ns(c), &status), "%s",
		mdrm_err()))
		eck(ev, status == -EIO, "completed with %d %s, want -EIO",
		    status, status_name(status));
	if (eck(ev, !mdrm_syncobj_status(&c->d, sync, &fstat), "%s",
		mdrm_err()))
		eck(ev, fstat == -EIO, "out-syncobj status %d, want -EIO",
		    fstat);
	stats = eck(ev, !mdrm_reset_stats(&c->d, &s), "%s", mdrm_err());
	if (stats) {
		st = s.last_fault_status;
		eck(ev, s.faults == s0.faults + 1 && s.hangs == s0.hangs,
		    "faults %u -> %u, hangs %u -> %u: want one more fault",
		    s0.faults, s.faults, s0.hangs, s.hangs);
		eck(ev, s.last_seqno == seqno && s.last_engine == e,
		    "last fault: seqno %llu engine %u, want %llu engine %u",
		    (unsigned long long)s.last_seqno, s.last_engine,
		    (unsigned long long)seqno, e);
		eck(ev, (st & MVGPU_FAULT_VALID) &&
		    (st & ~MVGPU_FAULT_VALID) == w->status,
		    "FAULT_STATUS 0x%08x (%s), want 0x%08x (%s)", st,
		    gpu_fault_name(st), MVGPU_FAULT_VALID | w->status,
		    gpu_fault_name(w->status));
		eck(ev, s.last_fault_instr == w->instr,
		    "FAULT_INSTR 0x%08x, want 0x%08x", s.last_fault_instr,
		    w->instr);
		eck(ev, w->addr_page ?
		    (s.last_fault_addr & ~(PAGE - 1)) == (w->addr & ~(PAGE - 1)) :
		    s.last_fault_addr == w->addr,
		    "FAULT_ADDR 0x%llx, want 0x%llx%s",
		    (unsigned long long)s.last_fault_addr,
		    (unsigned long long)w->addr,
		    w->addr_page ? " (its page)" : "");
		eck(ev, w->cmd_in_batch ?
		    s.last_fault_cmd >= b &&
		    s.last_fault_cmd < b + ev->batch.size :
		    s.last_fault_cmd == w->cmd,
		    "FAULT_CMD 0x%llx, want 0x%llx%s",
		    (unsigned long long)s.last_fault_cmd,
		    (unsigned long long)(w->cmd_in_batch ? b : w->cmd),
		    w->cmd_in_batch ? " (or elsewhere in the batch)" : "");
	}
	evil_unchanged(ev, snap);
out:
	/* The vGPU must go on working, whatever happened. */
	evil_good(ev, e);
	if (ev->why[0])
		printf("EVIL %s FAIL %s%s\n", ev->rule, ev->why, c->proc_tag);
	else
		printf("EVIL %s ok fault=%s addr=0x%llx%s\n", ev->rule,
		       gpu_fault_name(s.last_fault_status),
		       (unsigned long long)s.last_fault_addr, c->proc_tag);
	if (ev->why[0])
		c->checks_failed++;
	else
		c->checks_passed++;
	for (i = 0; i < ARRAY_SIZE(snap); i++)
		free(snap[i]);
	mdrm_syncobj_free(&c->d, sync);
	for (i = 0; i < ev->nr_extra; i++)
		mdrm_bo_free(&c->d, &ev->extra[i]);
	mdrm_bo_free(&c->d, &ev->batch);
}

/* The fault wanted: status, instr, addr, cmd, then optional flags. */
#define WANT(st, in, ad, cm, ...)					\
	(&(struct evil_want){ .status = (st), .instr = (in),		\
			      .addr = (ad), .cmd = (cm), __VA_ARGS__ })

/* Stores, post-sync writes and register stores to memory they may not write. */
static void evil_stores(struct evil *ev)
{
	struct mdrm_dev *d = &ev->c->d;
	uint64_t a, at;
	uint32_t reg;

	if (evil_begin(ev, "store-unmapped", PAGE)) {
		a = guard(&ev->canary.bo) + 0x10;
		at = evil_at(ev);
		mdrm_emit_sdi(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_W | E_P |
				       E_BATCH, MVGPU_MI_STORE_DATA_IMM, a, at));
	}
	if (evil_begin(ev, "store-below-va-start", PAGE)) {
		a = d->va_start - PAGE + 0x10;
		at = evil_at(ev);
		mdrm_emit_sdi(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_W | E_P |
				       E_BATCH, MVGPU_MI_STORE_DATA_IMM, a, at));
	}
	if (evil_begin(ev, "store-read-only", PAGE)) {
		a = ev->ro.bo.va + 0x80;
		at = evil_at(ev);
		mdrm_emit_sdi(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_READ_ONLY | E_W | E_P |
				       E_BATCH, MVGPU_MI_STORE_DATA_IMM, a, at));
	}
	if (evil_begin(ev, "store-qword-misaligned", PAGE)) {
		a = ev->dst.bo.va + 4;
		at = evil_at(ev);
		mdrm_emit_sdi_qw(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_W | E_P |
				       E_BATCH, MVGPU_MI_STORE_DATA_IMM_QW, a,
				       at));
	}
	/*
	 * USE_GGTT: the driver's contexts set CTX_DESC NO_GGTT, so user
	 * batches are non-privileged and any GGTT operand is refused
	 * (BAD_FIELD at the address), wherever it points: another vGPU's
	 * part of the GGTT, the driver's read-only ring, or the status page
	 * it writes breadcrumbs to (mapped and writable: without NO_GGTT
	 * this store would run).
	 */
	if (evil_begin(ev, "store-ggtt-outside-slice", PAGE)) {
		a = ggtt_outside(d);
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		gpu_emit(&ev->cmds, 1);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_STORE_DATA_IMM |
				       MVGPU_MI_USE_GGTT, a, at));
	}
	if (evil_begin(ev, "store-ggtt-ring", PAGE)) {
		a = d->ggtt_base + 0x100;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		gpu_emit(&ev->cmds, MVGPU_MI_BATCH_BUFFER_END);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_STORE_DATA_IMM |
				       MVGPU_MI_USE_GGTT, a, at));
	}
	/* The render engine's status page: just after its 16 KiB ring. */
	if (evil_begin(ev, "store-ggtt-status-page", PAGE)) {
		a = d->ggtt_base + EVIL_GGTT_STATUS;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		gpu_emit(&ev->cmds, 0xffffffffu);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_STORE_DATA_IMM |
				       MVGPU_MI_USE_GGTT, a, at));
	}
	if (evil_begin(ev, "pipe-control-ggtt-status-page", PAGE)) {
		a = d->ggtt_base + EVIL_GGTT_STATUS;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_PIPE_CONTROL);
		gpu_emit(&ev->cmds, MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT |
			 MVGPU_PC_CS_STALL);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		gpu_emit(&ev->cmds, 0xffffffffu);
		gpu_emit(&ev->cmds, 0);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_PIPE_CONTROL, a, at));
	}
	if (evil_begin(ev, "pipe-control-post-sync-unmapped", PAGE)) {
		a = guard(&ev->src.bo);
		at = evil_at(ev);
		mdrm_emit_pc_store(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_W | E_P |
				       E_BATCH, MVGPU_PIPE_CONTROL, a, at));
	}
	if (evil_begin(ev, "flush-dw-post-sync-read-only", PAGE)) {
		a = ev->ro.bo.va + 8;
		at = evil_at(ev);
		mdrm_emit_flush_store(&ev->cmds, a, 1);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_READ_ONLY | E_W | E_P |
				       E_BATCH, MVGPU_MI_FLUSH_DW |
				       MVGPU_MI_FLUSH_DW_OP_STORE, a, at));
	}
	if (evil_begin(ev, "srm-unmapped", PAGE)) {
		a = guard(&ev->dst.bo) + 8;
		at = evil_at(ev);
		mdrm_emit_srm(&ev->cmds, MVGPU_ENGINE_BASE(BCS) +
			      MVGPU_CS_GPR(0), a);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_W | E_P |
				       E_BATCH, MVGPU_MI_STORE_REGISTER_MEM, a,
				       at));
	}
	/* Reading out the PPGTT root: the register is not in SRM's set. */
	if (evil_begin(ev, "srm-ctx-desc", PAGE)) {
		reg = MVGPU_ENGINE_BASE(RCS) + MVGPU_CTX_DESC_LO;
		at = evil_at(ev);
		mdrm_emit_srm(&ev->cmds, reg, ev->canary.bo.va + 0x80);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_REGISTER | E_BATCH,
				       MVGPU_MI_STORE_REGISTER_MEM, reg, at));
	}
}

/* Register loads, semaphores and field values the engine refuses. */
static void evil_fields(struct evil *ev)
{
	uint64_t a, at;
	uint32_t reg;

	/*
	 * Switching the address space: the first pair (GPR 0) is fine, the
	 * second not; the good batch after it checks GPR 0 kept its value.
	 */
	if (evil_begin(ev, "lri-ctx-desc", PAGE)) {
		reg = MVGPU_ENGINE_BASE(RCS) + MVGPU_CTX_DESC_LO;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_LOAD_REGISTER_IMM(2));
		gpu_emit(&ev->cmds, MVGPU_ENGINE_BASE(RCS) + MVGPU_CS_GPR(0));
		gpu_emit(&ev->cmds, ~ev->gpr[RCS]);
		gpu_emit(&ev->cmds, reg);
		gpu_emit(&ev->cmds, 0);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_REGISTER | E_BATCH,
				       MVGPU_MI_LOAD_REGISTER_IMM(2), reg, at));
	}
	/* The render engine's GPR from the blitter. */
	if (evil_begin(ev, "lri-other-engine", PAGE)) {
		reg = MVGPU_ENGINE_BASE(RCS) + MVGPU_CS_GPR(0);
		at = evil_at(ev);
		gpu_emit_lri(&ev->cmds, reg, ~ev->gpr[RCS]);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_REGISTER | E_BATCH,
				       MVGPU_MI_LOAD_REGISTER_IMM(1), reg, at));
	}
	if (evil_begin(ev, "lri-irq-enable", PAGE)) {
		at = evil_at(ev);
		gpu_emit_lri(&ev->cmds, MVGPU_REG_IRQ_ENABLE, 0);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_REGISTER | E_BATCH,
				       MVGPU_MI_LOAD_REGISTER_IMM(1),
				       MVGPU_REG_IRQ_ENABLE, at));
	}
	/* An even length field: LRI takes pairs. */
	if (evil_begin(ev, "lri-length", PAGE)) {
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI(0x22, 2));
		gpu_emit(&ev->cmds, MVGPU_ENGINE_BASE(BCS) + MVGPU_CS_GPR(0));
		gpu_emit(&ev->cmds, 0);
		gpu_emit(&ev->cmds, MVGPU_MI_NOOP);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_LENGTH | E_BATCH,
				       MVGPU_MI(0x22, 2), 0, at));
	}
	if (evil_begin(ev, "pipe-control-post-sync-op-2", PAGE)) {
		at = evil_at(ev);
		mdrm_emit_pc_store(&ev->cmds, ev->canary.bo.va + 0x80, 1);
		ev->cmds.dw[ev->cmds.len - 5] = 2u << 14 | MVGPU_PC_CS_STALL;
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_PIPE_CONTROL, 0, at));
	}
	if (evil_begin(ev, "semaphore-unmapped", PAGE)) {
		a = guard(&ev->canary.bo) + 0x40;
		at = evil_at(ev);
		mdrm_emit_sem_wait(&ev->cmds, MVGPU_SEM_EQ, 0, a);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_P | E_BATCH,
				       MVGPU_MI_SEMAPHORE_WAIT |
				       MVGPU_MI_SEMAPHORE_POLL |
				       MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_EQ), a,
				       at));
	}
	if (evil_begin(ev, "semaphore-compare-op", PAGE)) {
		at = evil_at(ev);
		mdrm_emit_sem_wait(&ev->cmds, 6, 0, ev->canary.bo.va);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_SEMAPHORE_WAIT |
				       MVGPU_MI_SEMAPHORE_POLL |
				       MVGPU_MI_SEMAPHORE_OP(6), 0, at));
	}
}

/* Blits: memory they may not touch, fields and sizes they may not use. */
static void evil_blits(struct evil *ev)
{
	const uint32_t masks = MVGPU_BLT_WRITE_ALPHA | MVGPU_BLT_WRITE_RGB;
	struct ref_blt b;
	uint64_t at;
	uint32_t *p;

#define BLT(...)	((struct ref_blt){ .cpp = 4, .write_rgb = true,	\
					   .write_alpha = true, __VA_ARGS__ })
	if (evil_begin(ev, "fill-read-only", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x1 = 2, .y1 = 1, .x2 = 18,
			.y2 = 5, .dst_pitch = 256, .color = 1);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->ro.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_READ_ONLY | E_W | E_P |
				       E_BATCH, MVGPU_XY_COLOR_BLT | masks,
				       ev->ro.bo.va, at, .addr_page = true));
	}
	/* Rows 0..7 fit the BO, row 8 is the guard page. */
	if (evil_begin(ev, "fill-past-bo-end", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x2 = 256, .y2 = 9,
			.dst_pitch = ev->dst.pitch, .color = 2);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_W | E_P |
				       E_BATCH, MVGPU_XY_COLOR_BLT | masks,
				       guard(&ev->dst.bo), at,
				       .addr_page = true));
	}
	/* Source rows 6, 7 in the BO, 8, 9 beyond: no row may be copied. */
	if (evil_begin(ev, "copy-source-past-bo-end", PAGE)) {
		b = BLT(.op = REF_SRC_COPY_BLT, .x2 = 64, .y2 = 4, .sy = 6,
			.dst_pitch = ev->dst.pitch,
			.src_pitch = ev->src.pitch);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, ev->src.bo.va);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_P | E_BATCH,
				       MVGPU_XY_SRC_COPY_BLT | masks,
				       guard(&ev->src.bo), at,
				       .addr_page = true));
	}
	if (evil_begin(ev, "fast-copy-to-read-only", PAGE)) {
		b = BLT(.op = REF_FAST_COPY_BLT, .x1 = 4, .x2 = 36, .y2 = 3,
			.dst_pitch = 512, .src_pitch = ev->src.pitch);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->ro.bo.va, ev->src.bo.va);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_READ_ONLY | E_W | E_P |
				       E_BATCH, MVGPU_XY_FAST_COPY_BLT,
				       ev->ro.bo.va, at, .addr_page = true));
	}
	if (evil_begin(ev, "blit-tiled", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x2 = 16, .y2 = 4,
			.dst_pitch = ev->dst.pitch);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		ev->cmds.dw[ev->cmds.len - 7] |= MVGPU_BLT_DST_TILED;
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_XY_COLOR_BLT | masks |
				       MVGPU_BLT_DST_TILED, 0, at));
	}
	/* XOR instead of SRCCOPY. */
	if (evil_begin(ev, "blit-raster-op", PAGE)) {
		b = BLT(.op = REF_SRC_COPY_BLT, .x2 = 16, .y2 = 4,
			.dst_pitch = ev->dst.pitch,
			.src_pitch = ev->src.pitch);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, ev->src.bo.va);
		p = &ev->cmds.dw[ev->cmds.len - 10];
		p[1] = (p[1] & ~MVGPU_BR13_ROP(0xff)) | MVGPU_BR13_ROP(0x66);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_XY_SRC_COPY_BLT | masks, 0, at));
	}
	/* A negative pitch: rows going down from the BO's start. */
	if (evil_begin(ev, "blit-negative-pitch", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x2 = 16, .y2 = 4,
			.dst_pitch = 0x10000 - 1024);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_XY_COLOR_BLT | masks, 0, at));
	}
	if (evil_begin(ev, "fast-copy-depth", PAGE)) {
		b = BLT(.op = REF_FAST_COPY_BLT, .x2 = 16, .y2 = 4,
			.dst_pitch = ev->dst.pitch,
			.src_pitch = ev->src.pitch);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, ev->src.bo.va);
		p = &ev->cmds.dw[ev->cmds.len - 10];
		p[1] = (p[1] & ~MVGPU_FAST_DEPTH(7)) | MVGPU_FAST_DEPTH(2);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_XY_FAST_COPY_BLT, 0, at));
	}
	/* 2049 rows of 32767 bytes: a span over MVGPU_BLT_MAX_BYTES. */
	if (evil_begin(ev, "blit-span", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x2 = 1, .y2 = 2050,
			.dst_pitch = 0x7fff);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_W | E_P |
				       E_BATCH, MVGPU_XY_COLOR_BLT | masks,
				       ev->dst.bo.va, at));
	}
	if (evil_begin(ev, "copy-source-span", PAGE)) {
		b = BLT(.op = REF_FAST_COPY_BLT, .x2 = 1, .y2 = 1, .sy = 2049,
			.dst_pitch = ev->dst.pitch, .src_pitch = 0x7fff);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, ev->src.bo.va);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_P | E_BATCH,
				       MVGPU_XY_FAST_COPY_BLT, ev->src.bo.va,
				       at));
	}
	/*
	 * Rows one byte apart: a small span, but 16385 rows of 4 KiB,
	 * more than MVGPU_BLT_MAX_BYTES written in one command.
	 */
	if (evil_begin(ev, "blit-size", PAGE)) {
		b = BLT(.op = REF_COLOR_BLT, .x2 = 1024, .y2 = 16385,
			.dst_pitch = 1);
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_W | E_P |
				       E_BATCH, MVGPU_XY_COLOR_BLT | masks,
				       ev->dst.bo.va, at));
	}
#undef BLT
}

/* Commands the engine does not execute, or not on this engine. */
static void evil_opcodes(struct evil *ev)
{
	struct ref_blt b = {
		.op = REF_COLOR_BLT, .cpp = 4, .write_rgb = true,
		.x2 = 4, .y2 = 1, .dst_pitch = 64,
	};
	uint64_t at;
	unsigned int i;

	/* Client 7: not a Gen9 command at all. */
	if (evil_begin(ev, "opcode-unknown", PAGE)) {
		at = evil_at(ev);
		gpu_emit(&ev->cmds, 0xe0000000u);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_OPCODE | E_BATCH,
				       0xe0000000u, 0, at));
	}
	/* Privileged Gen9 commands: a register load from memory, a GGTT write. */
	if (evil_begin(ev, "opcode-load-register-mem", PAGE)) {
		at = evil_at(ev);
		gpu_emit(&ev->cmds, 0x14800002u);
		gpu_emit(&ev->cmds, MVGPU_REG_IRQ_ENABLE);
		gpu_emit(&ev->cmds, (uint32_t)ev->canary.bo.va);
		gpu_emit(&ev->cmds, (uint32_t)(ev->canary.bo.va >> 32));
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_OPCODE | E_BATCH,
				       0x14800002u, 0, at));
	}
	if (evil_begin(ev, "opcode-update-gtt", PAGE)) {
		at = evil_at(ev);
		gpu_emit(&ev->cmds, 0x11800001u);
		gpu_emit(&ev->cmds, (uint32_t)ev->c->d.ggtt_base);
		gpu_emit(&ev->cmds, MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_OPCODE | E_BATCH,
				       0x11800001u, 0, at));
	}
	if (evil_begin(ev, "opcode-3dprimitive", PAGE)) {
		at = evil_at(ev);
		gpu_emit(&ev->cmds, 0x7b000005u);
		for (i = 0; i < 6; i++)
			gpu_emit(&ev->cmds, 0);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_OPCODE | E_BATCH,
				       0x7b000005u, 0, at));
	}
	if (evil_begin(ev, "blit-on-render", PAGE)) {
		at = evil_at(ev);
		mdrm_emit_blt(&ev->cmds, &b, ev->dst.bo.va, 0);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_ENGINE | E_BATCH,
				       MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_RGB,
				       0, at));
	}
	if (evil_begin(ev, "pipe-control-on-blitter", PAGE)) {
		at = evil_at(ev);
		mdrm_emit_pc_store(&ev->cmds, ev->canary.bo.va + 0x80, 1);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_ENGINE | E_BATCH,
				       MVGPU_PIPE_CONTROL, 0, at));
	}
}

/* Batches: fetches beyond the BO, starts, nesting, loops, limits. */
static void evil_batches(struct evil *ev)
{
	struct mdrm_dev *d = &ev->c->d;
	const uint32_t bbs = MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT;
	struct gpu_cmds x;
	struct mdrm_bo *bo, *bo2;
	uint64_t a, at, b;
	unsigned int i;

	gpu_cmds_init(&x);
	/* The last dword of the BO is a store's header: its operands are not. */
	if (evil_begin(ev, "command-past-bo-end", PAGE)) {
		b = ev->batch.va;
		while (ev->cmds.len < PAGE / 4 - 1)
			gpu_emit(&ev->cmds, MVGPU_MI_NOOP);
		gpu_emit(&ev->cmds, MVGPU_MI_STORE_DATA_IMM);
		ev->len = PAGE;
		evil_run(ev, RCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_P | E_BATCH,
				       MVGPU_MI_STORE_DATA_IMM, b + PAGE,
				       b + PAGE - 4));
	}
	/* No MI_BATCH_BUFFER_END: no-ops run into the guard page. */
	if (evil_begin(ev, "no-batch-end", PAGE)) {
		b = ev->batch.va;
		ev->len = PAGE;
		evil_run(ev, BCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_P | E_BATCH,
				       0, b + PAGE, b + PAGE));
	}
	if (evil_begin(ev, "batch-start-unmapped", PAGE)) {
		a = guard(&ev->canary.bo);
		mdrm_emit_bb_start(&ev->cmds, a, false);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_PPGTT_UNMAPPED | E_P | E_BATCH,
				       0, a, a));
	}
	/*
	 * PPGTT bit clear in a non-privileged batch: a batch in the GGTT,
	 * outside the vGPU's slice, in a hole of the slice the driver never
	 * maps, or the driver's own ring (mapped): all BAD_FIELD.
	 */
	if (evil_begin(ev, "batch-start-ggtt-outside-slice", PAGE)) {
		a = ggtt_outside(d) & ~(uint64_t)0xfff;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_BATCH_BUFFER_START);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_BATCH_BUFFER_START, a, at));
	}
	if (d->ggtt_size > EVIL_GGTT_HOLE + PAGE &&
	    evil_begin(ev, "batch-start-ggtt-unmapped", PAGE)) {
		a = d->ggtt_base + EVIL_GGTT_HOLE;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_BATCH_BUFFER_START);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_BATCH_BUFFER_START, a, at));
	}
	if (evil_begin(ev, "batch-start-ggtt-ring", PAGE)) {
		a = d->ggtt_base;
		at = evil_at(ev);
		gpu_emit(&ev->cmds, MVGPU_MI_BATCH_BUFFER_START);
		gpu_emit(&ev->cmds, (uint32_t)a);
		gpu_emit(&ev->cmds, (uint32_t)(a >> 32));
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BAD_FIELD | E_BATCH,
				       MVGPU_MI_BATCH_BUFFER_START, a, at));
	}
	/* A second-level batch calling a third level. */
	if (evil_begin(ev, "batch-depth", PAGE)) {
		bo = evil_extra(ev, PAGE);
		bo2 = evil_extra(ev, PAGE);
		gpu_cmds_reset(&x);
		mdrm_emit_sdi(&x, ev->canary.bo.va + 0x48, EVIL_MARK | 2);
		at = bo->va + 4 * x.len;
		mdrm_emit_bb_start(&x, bo2->va, true);
		if (evil_store(ev, &x, bo)) {
			gpu_cmds_reset(&x);
			evil_store(ev, &x, bo2);
		}
		mdrm_emit_bb_start(&ev->cmds, bo->va, true);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BATCH_DEPTH | E_BATCH,
				       bbs | MVGPU_MI_BB_SECOND_LEVEL, 0, at));
	}
	if (evil_begin(ev, "batch-loop-self", PAGE)) {
		b = ev->batch.va;
		at = evil_at(ev);
		mdrm_emit_bb_start(&ev->cmds, b, false);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BATCH_LOOP | E_P | E_BATCH,
				       bbs, b, at));
	}
	/* A chains to B, B back to A. */
	if (evil_begin(ev, "batch-loop-pair", PAGE)) {
		bo = evil_extra(ev, PAGE);
		b = ev->batch.va;
		gpu_cmds_reset(&x);
		mdrm_emit_sdi(&x, ev->canary.bo.va + 0x48, EVIL_MARK | 2);
		at = bo->va + 4 * x.len;
		mdrm_emit_bb_start(&x, b, false);
		evil_store(ev, &x, bo);
		mdrm_emit_bb_start(&ev->cmds, bo->va, false);
		evil_tail(ev);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_BATCH_LOOP | E_P | E_BATCH,
				       bbs, b, at));
	}
	/* A second-level batch chaining to itself. */
	if (evil_begin(ev, "batch-loop-second-level", PAGE)) {
		bo = evil_extra(ev, PAGE);
		gpu_cmds_reset(&x);
		mdrm_emit_sdi(&x, ev->canary.bo.va + 0x48, EVIL_MARK | 2);
		at = bo->va + 4 * x.len;
		mdrm_emit_bb_start(&x, bo->va, false);
		evil_store(ev, &x, bo);
		mdrm_emit_bb_start(&ev->cmds, bo->va, true);
		evil_tail(ev);
		evil_run(ev, BCS, WANT(MVGPU_FAULT_BATCH_LOOP | E_P | E_BATCH,
				       bbs, bo->va, at));
	}
	/*
	 * More than 1024 batch start addresses: A (32 bytes: the marker, a
	 * no-op, a chain) then 1100 batches of 16 bytes, each chaining to
	 * the next.  Batch k (A is 1) starts at A + 32 + 16 * (k - 2); the
	 * start command of batch 1024 names the 1025th.
	 */
	if (evil_begin(ev, "batches-over-limit", 1100 * 16 + PAGE)) {
		b = ev->batch.va;
		gpu_emit(&ev->cmds, MVGPU_MI_NOOP);
		mdrm_emit_bb_start(&ev->cmds, b + 32, false);
		for (i = 0; i < 1100; i++) {
			mdrm_emit_bb_start(&ev->cmds, b + 32 + 16 * (i + 1),
					   false);
			gpu_emit(&ev->cmds, MVGPU_MI_NOOP);
		}
		gpu_emit_bb_end(&ev->cmds);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_SCAN_LIMIT | E_BATCH, bbs, 0,
				       b + 32 + 16 * 1022));
	}
	/* More than 8 MiB of commands: no-ops, then the end. */
	if (evil_begin(ev, "commands-over-limit", (8u << 20) + 2 * PAGE)) {
		ev->len = ev->batch.size;
		ev->end_at = ev->batch.size - 4;
		evil_run(ev, BCS, WANT(MVGPU_FAULT_SCAN_LIMIT | E_BATCH, 0, 0, 0,
				       .cmd_in_batch = true));
	}
	/*
	 * More than 4096 separate ranges written: the marker store, then
	 * stores to every other page of a 32 MiB BO; the 4096th of those
	 * is the 4097th range.
	 */
	if (evil_begin(ev, "write-ranges-over-limit", 4097 * 16 + PAGE)) {
		bo = evil_extra(ev, 8194 * PAGE);
		b = ev->batch.va;
		for (i = 0; i < 4097; i++)
			mdrm_emit_sdi(&ev->cmds, bo->va + 2 * PAGE * i, i);
		gpu_emit_bb_end(&ev->cmds);
		evil_run(ev, RCS, WANT(MVGPU_FAULT_SCAN_LIMIT | E_BATCH,
				       MVGPU_MI_STORE_DATA_IMM, 0,
				       b + 16 + 16 * 4095));
	}
	gpu_cmds_fini(&x);
}

static void w_evil(struct ctx *c)
{
	struct evil *ev = calloc(1, sizeof(*ev));
	unsigned int e;

	if (!ck(c, ev, "out of memory"))
		return;
	ev->c = c;
	gpu_cmds_init(&ev->cmds);
	gpu_cmds_init(&ev->good);
	ev->rule = "setup";
	if (!evil_surf(c, &ev->canary, 1024, 4, 0) ||
	    !evil_surf(c, &ev->ro, 1024, 4, MVGPU_BO_READONLY) ||
	    !evil_surf(c, &ev->dst, 1024, 8, 0) ||
	    !evil_surf(c, &ev->src, 1024, 8, 0) ||
	    !lib_ok(c, mdrm_bo_new(&c->d, &ev->res,
				   EVIL_MAX_RULES * EVIL_SLOTS * 4, 0)))
		goto out;
	memset(ev->res.map, 0, ev->res.size);
	/* Known GPR values, and the engines work before anything evil. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		if (!evil_good(ev, e))
			goto out;
	evil_stores(ev);
	evil_fields(ev);
	evil_blits(ev);
	evil_opcodes(ev);
	evil_batches(ev);
	/* What the good batches produced, and the surfaces. */
	c->sum = mdrm_sum(c->sum, ev->res.map, ev->slot * EVIL_SLOTS * 4);
	c->ref = mdrm_sum(c->ref, ev->want, ev->slot * EVIL_SLOTS * 4);
	surf_check(c, &ev->dst, "blit destination (good fills only)");
	surf_check(c, &ev->canary, "canary");
	surf_check(c, &ev->ro, "read-only BO");
	surf_check(c, &ev->src, "blit source");
	extra(c, " rules=%u", c->checks_passed + c->checks_failed);
out:
	surf_free(c, &ev->canary);
	surf_free(c, &ev->ro);
	surf_free(c, &ev->dst);
	surf_free(c, &ev->src);
	mdrm_bo_free(&c->d, &ev->res);
	gpu_cmds_fini(&ev->cmds);
	gpu_cmds_fini(&ev->good);
	free(ev);
}

/* ---- driver ---------------------------------------------------------------- */

struct workload {
	const char *name;
	void (*fn)(struct ctx *c);
	bool in_all;
	const char *help;
};

static const struct workload workloads[] = {
	{ "info", w_info, true, "driver, hardware and uAPI parameters" },
	{ "fill", w_fill, true, "XY_COLOR_BLT at 8, 16 and 32 bpp" },
	{ "copy", w_copy, true, "XY_SRC_COPY_BLT and XY_FAST_COPY_BLT, 8 to 128 bpp" },
	{ "frames", w_frames, true, "an animation: blits per frame, a checksum per frame" },
	{ "stores", w_stores, true, "bursts of stores on both engines" },
	{ "big-batch", w_big_batch, true, "a large batch per engine" },
	{ "chain", w_chain, true, "chained and second-level batches" },
	{ "hang", w_hang, true, "a hanging batch: watchdog, error, recovery" },
	{ "bench", w_bench, false, "blit MB/s and submissions/s" },
	{ "evil", w_evil, false, "malicious batches, one per scanner rule" },
};

/* Per-workload seed: the same workload gets the same data in any run. */
static uint64_t workload_seed(uint64_t seed, const char *name)
{
	return mdrm_sum(mdrm_sum(MDRM_SUM_INIT, &seed, sizeof(seed)), name,
			strlen(name));
}

/* Run one workload and print its result line; returns true if it passed. */
static bool run_workload(struct ctx *c, const struct workload *w)
{
	uint64_t t0 = mdrm_now_ns();

	c->name = w->name;
	c->seed = workload_seed(c->o->seed + (c->proc >= 0 ? c->proc : 0),
				w->name);
	ref_rng_seed(&c->rng, c->seed);
	c->failed = false;
	c->sum = MDRM_SUM_INIT;
	c->ref = MDRM_SUM_INIT;
	c->extra[0] = '\0';
	c->checks_passed = 0;
	c->checks_failed = 0;
	w->fn(c);
	if (c->sum != c->ref && !c->failed)
		ck(c, false, "checksum 0x%016" PRIx64 " differs from the reference's 0x%016" PRIx64,
		   c->sum, c->ref);
	printf("WORKLOAD %s %s checksum=%016" PRIx64 " ref=%016" PRIx64
	       " seed=%" PRIu64 " ms=%llu%s%s\n", w->name,
	       c->failed ? "FAIL" : "ok", c->sum, c->ref,
	       c->o->seed + (c->proc >= 0 ? c->proc : 0),
	       (unsigned long long)((mdrm_now_ns() - t0) / 1000000),
	       c->extra, c->proc_tag);
	return !c->failed;
}

struct tally {
	unsigned int passed;
	unsigned int failed;
	uint64_t sum;
	uint64_t ref;
};

/* Run the named workloads ("all": every one in_all) on an open device. */
static void run_list(struct ctx *c, char **names, int n, struct tally *t)
{
	unsigned int i;
	int k;

	for (k = 0; k < n; k++) {
		bool all = !strcmp(names[k], "all");

		for (i = 0; i < ARRAY_SIZE(workloads); i++) {
			const struct workload *w = &workloads[i];

			if (all ? !w->in_all || (c->o->no_hang &&
						 !strcmp(w->name, "hang")) :
			    strcmp(names[k], w->name))
				continue;
			if (run_workload(c, w))
				t->passed++;
			else
				t->failed++;
			t->passed += c->checks_passed;
			t->failed += c->checks_failed;
			t->sum = mdrm_sum(t->sum, &c->sum, sizeof(c->sum));
			t->ref = mdrm_sum(t->ref, &c->ref, sizeof(c->ref));
		}
	}
}

/* Open the device for one process; prints why not. */
static bool open_dev(struct ctx *c)
{
	if (mdrm_open(&c->d, c->o->device)) {
		printf("# %s\n", mdrm_err());
		return false;
	}
	return true;
}

/*
 * "multi": @procs processes, each with its own DRM file, run "all" at
 * the same time (released together once all have opened the device).
 * Child k uses seed + k.  Each child reports its tally through a pipe.
 */
static void run_multi(const struct opts *o, struct tally *t)
{
	int go[2], res[2];
	unsigned int k, started = 0, reported = 0;
	struct tally sum = { 0, 0, MDRM_SUM_INIT, MDRM_SUM_INIT };
	uint64_t t0 = mdrm_now_ns();
	bool ok = true;
	pid_t pid;

	if (pipe(go) || pipe(res)) {
		printf("# multi: pipe: %s\n", strerror(errno));
		t->failed++;
		return;
	}
	fflush(stdout);
	for (k = 0; k < o->procs; k++) {
		pid = fork();
		if (pid < 0) {
			printf("# multi: fork: %s\n", strerror(errno));
			ok = false;
			break;
		}
		if (pid == 0) {
			struct ctx c;
			struct tally ct = { 0, 0, MDRM_SUM_INIT,
					    MDRM_SUM_INIT };
			char all[] = "all", *names[1] = { all }, ch;

			memset(&c, 0, sizeof(c));
			c.o = o;
			c.proc = k;
			snprintf(c.proc_tag, sizeof(c.proc_tag), " proc=%u", k);
			close(go[1]);
			close(res[0]);
			if (!open_dev(&c))
				ct.failed = 1;
			/* Start together: the parent closes the pipe. */
			while (read(go[0], &ch, 1) > 0)
				;
			if (!ct.failed)
				run_list(&c, names, 1, &ct);
			mdrm_close(&c.d);
			if (write(res[1], &ct, sizeof(ct)) != sizeof(ct))
				_exit(3);
			fflush(stdout);
			_exit(ct.failed ? 1 : 0);
		}
		started++;
	}
	close(go[0]);
	close(go[1]);
	close(res[1]);
	for (k = 0; k < started; k++) {
		struct tally ct;

		if (read(res[0], &ct, sizeof(ct)) != sizeof(ct))
			break;
		reported++;
		sum.passed += ct.passed;
		sum.failed += ct.failed;
		/* Children finish in any order: combine order-free. */
		sum.sum ^= ct.sum;
		sum.ref ^= ct.ref;
	}
	close(res[0]);
	for (k = 0; k < started; k++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) > 1) {
			printf("# multi: a child ended abnormally (status 0x%x)\n",
			       status);
			ok = false;
		}
	}
	if (reported != o->procs) {
		printf("# multi: %u of %u processes reported\n", reported,
		       o->procs);
		ok = false;
	}
	ok = ok && !sum.failed && sum.passed;
	printf("WORKLOAD multi %s checksum=%016" PRIx64 " ref=%016" PRIx64
	       " seed=%" PRIu64 " ms=%llu procs=%u workloads_passed=%u workloads_failed=%u\n",
	       ok ? "ok" : "FAIL", sum.sum, sum.ref, o->seed,
	       (unsigned long long)((mdrm_now_ns() - t0) / 1000000), o->procs,
	       sum.passed, sum.failed);
	/* The children's workloads count, and the multi run itself. */
	t->passed += sum.passed + ok;
	t->failed += sum.failed + !ok;
}

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"usage: mvgpu-drm [options] COMMAND...\n"
		"commands:\n");
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		fprintf(f, "  %-10s %s\n", workloads[i].name, workloads[i].help);
	fprintf(f,
		"  all        every workload but bench and evil\n"
		"  multi      --procs N processes, each its own DRM file, each running all\n"
		"options:\n"
		"  --seed S          data seed (default 1); checksums depend on it only\n"
		"  --device PATH     DRM node (default: the mvgpu render node)\n"
		"  --frames N        frames of the animation (default 8)\n"
		"  --width W         frame width (default 640)\n"
		"  --height H        frame height (default 480)\n"
		"  --stores N        stores of the stores workload (default 4096)\n"
		"  --batch-kib K     size of big-batch's batches (default 1280)\n"
		"  --procs N         processes of multi (default 4)\n"
		"  --seconds S       duration of each bench measurement (default 3)\n"
		"  --timeout S       longest wait for one submission (default 60)\n"
		"  --no-hang         leave hang out of all (and multi)\n"
		"Prints WORKLOAD <name> ok|FAIL checksum=<gpu> ref=<cpu> ... per workload\n"
		"and ends with 'MVGPU-DRM: N passed, N failed'; exit status 1 on failure.\n");
}

static bool parse_uint(const char *s, unsigned long long max,
		       unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *s && !*end && *v <= max;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'd' },
		{ "frames", required_argument, NULL, 'f' },
		{ "width", required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "stores", required_argument, NULL, 'n' },
		{ "batch-kib", required_argument, NULL, 'b' },
		{ "procs", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-hang", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.seed = 1, .frames = 8, .width = 640, .height = 480,
		.procs = 4, .stores = 4096, .batch_kib = 1280, .seconds = 3,
		.timeout_s = 60,
	};
	struct tally t = { 0, 0, MDRM_SUM_INIT, MDRM_SUM_INIT };
	unsigned long long v;
	bool bad = false;
	int opt, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Output to a closed pipe must not kill a child silently. */
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			bad |= !parse_uint(optarg, ~0ull, &v);
			o.seed = v;
			break;
		case 'd':
			o.device = optarg;
			break;
		case 'f':
			bad |= !parse_uint(optarg, 100000, &v) || !v;
			o.frames = v;
			break;
		case 'W':
			/* A 32 bpp row must fit the blits' signed 16-bit pitch. */
			bad |= !parse_uint(optarg, 8000, &v) || v < 16;
			o.width = v;
			break;
		case 'H':
			bad |= !parse_uint(optarg, 8000, &v) || v < 16;
			o.height = v;
			break;
		case 'n':
			bad |= !parse_uint(optarg, 1u << 20, &v) || !v;
			o.stores = v;
			break;
		case 'b':
			/* One store per 4 KiB must fit a page of results. */
			bad |= !parse_uint(optarg, 4000, &v) || v < 16;
			o.batch_kib = v;
			break;
		case 'p':
			bad |= !parse_uint(optarg, 64, &v) || !v;
			o.procs = v;
			break;
		case 'S':
			o.seconds = strtod(optarg, NULL);
			bad |= !(o.seconds > 0 && o.seconds <= 3600);
			break;
		case 't':
			bad |= !parse_uint(optarg, 86400, &v) || !v;
			o.timeout_s = v;
			break;
		case 'N':
			o.no_hang = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	/* A frame is one blit: at most MVGPU_BLT_MAX_BYTES. */
	if ((uint64_t)ALIGN_UP(o.width * 4, 64) * o.height > MVGPU_BLT_MAX_BYTES)
		bad = true;
	if (optind == argc)
		bad = true;
	for (i = optind; i < argc && !bad; i++) {
		unsigned int k;
		bool known = !strcmp(argv[i], "all") ||
			     !strcmp(argv[i], "multi");

		for (k = 0; k < ARRAY_SIZE(workloads); k++)
			known |= !strcmp(argv[i], workloads[k].name);
		if (!known) {
			fprintf(stderr, "mvgpu-drm: unknown command %s\n",
				argv[i]);
			bad = true;
		}
	}
	if (bad) {
		usage(stderr);
		return 2;
	}

	for (i = optind; i < argc; i++) {
		int j = i;
		struct ctx c;

		if (!strcmp(argv[i], "multi")) {
			run_multi(&o, &t);
			continue;
		}
		/* A run of consecutive workload names shares one DRM file. */
		while (j + 1 < argc && strcmp(argv[j + 1], "multi"))
			j++;
		memset(&c, 0, sizeof(c));
		c.o = &o;
		c.proc = -1;
		if (!open_dev(&c)) {
			t.failed++;
			break;
		}
		printf("MVGPU-DRM: %s: %s %d.%d.%d, hw %u.%u, vGPU type %llu, watchdog %llu ms, seed %llu\n",
		       c.d.node, MDRM_DRIVER_NAME, c.d.drv_major,
		       c.d.drv_minor, c.d.drv_patch,
		       (unsigned int)(c.d.hw_version >> 16),
		       (unsigned int)(c.d.hw_version & 0xffff),
		       (unsigned long long)c.d.vgpu_type,
		       (unsigned long long)c.d.watchdog_ms,
		       (unsigned long long)o.seed);
		run_list(&c, argv + i, j - i + 1, &t);
		mdrm_close(&c.d);
		i = j;
	}
	printf("MVGPU-DRM: %u passed, %u failed\n", t.passed, t.failed);
	return t.failed || !t.passed ? 1 : 0;
}
