// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_multi <uuid> <uuid> [<uuid>...]: several processes, each driving its
 * own vGPU at the same time.
 *
 *  - every vGPU runs a blit and store workload, all at once, and every
 *    result matches the CPU reference;
 *  - isolation: vGPU A programs GGTT entries, addresses and DMA addresses
 *    that belong to vGPU B (or to nobody); each attempt faults on A, and
 *    B, working meanwhile, finds its memory and GGTT entries intact;
 *  - a hang on A (endless semaphores on both engines) is faulted after the
 *    watchdog period while B's requests keep completing.
 *
 * The vGPUs must be distinct; the first two play A and B.  Each process
 * reports through its exit status; diagnostics name the process.  Output
 * is kselftest TAP; exit status 0 iff all passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gpu.h"
#include "gpu_ref.h"
#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define MAX_VGPUS	8
/* A child that takes longer than this is killed and fails. */
#define CHILD_MS	120000
/* IOVAs of process A start here, far from B's: A never maps B's. */
#define A_IOVA_BASE	(GPU_IOVA_BASE + (64ull << 30))
#define PP_ATTACK	0x0000100000000000ull

struct ctx {
	const char *uuid[MAX_VGPUS];
	unsigned int n;
	uint64_t cookie;
};

/* What a process tells the others (through a pipe). */
struct report {
	uint64_t t0_ns, t1_ns;	/* a phase of its work */
	uint64_t ggtt_base, ggtt_size;
	uint64_t victim_gaddr, victim_iova, victim_size;
	uint32_t watchdog_ms;
	uint32_t ok;
};

static const char *who = "parent";

#define GCHECK(call)							\
	({								\
		int __r = (call);					\
		CHECK(__r == 0, "%s: %s: %s", who, #call, gpu_err());	\
	})
#define GREQ(call)	REQUIRE((call) == 0, "%s: %s: %s", who, #call, gpu_err())

/* ---- processes and pipes ------------------------------------------------ */

/*
 * Run @fn(@c, @i, @fds) in a child process named @name.  The child closes
 * the pipe ends in @all (@nall of them) that are not among its @nfds, so
 * that a peer's exit reads as end of file.
 */
static pid_t spawn(void (*fn)(struct ctx *c, unsigned int i, int *fds),
		   struct ctx *c, unsigned int i, int *fds, unsigned int nfds,
		   const int *all, unsigned int nall, const char *name)
{
	unsigned int k, j;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (k = 0; k < nall; k++) {
			for (j = 0; j < nfds && fds[j] != all[k]; j++)
				;
			if (j == nfds)
				close(all[k]);
		}
		who = name;
		tap_cur_failed = false;
		fn(c, i, fds);
		if (tap_cur_failed)
			tap_diag("%s (%s): failed", who, c->uuid[i]);
		fflush(stdout);
		_exit(tap_cur_failed ? KSFT_FAIL : KSFT_PASS);
	}
	CHECK(pid > 0, "fork: %s", strerror(errno));
	return pid;
}

/* Wait for @pid (killing it after @timeout_ms); true if it passed. */
static bool reap(pid_t pid, long timeout_ms, const char *name)
{
	uint64_t end = gpu_now_ms() + timeout_ms;
	int status = 0;
	pid_t r;

	if (pid <= 0)
		return false;
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0)
			return CHECK(false, "waitpid %s: %s", name,
				     strerror(errno));
		if (gpu_now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return CHECK(false, "%s did not finish within %ld ms",
				     name, timeout_ms);
		}
		gpu_sleep_ms(10);
	}
	if (WIFSIGNALED(status))
		return CHECK(false, "%s killed by signal %d", name,
			     WTERMSIG(status));
	return CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "%s failed (exit status %d)", name, WEXITSTATUS(status));
}

/* Read exactly @len bytes within @timeout_ms; false on EOF or timeout. */
static bool pipe_read(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		n = read(fd, p, len);
		if (n <= 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static bool pipe_write(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

/* Wait up to @timeout_ms for end of file on @fd (all writers closed). */
static bool pipe_eof(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char byte;

	return poll(&pfd, 1, timeout_ms) == 1 && read(fd, &byte, 1) == 0;
}

/* Is there something to read on @fd right now? */
static bool pipe_ready(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1;
}

/* ---- a workload checked against the reference -------------------------- */

struct surf {
	struct gpu_bo *bo;
	uint8_t *ref;
	unsigned int w, h, pitch;
};

static bool surf_new(struct gpu *g, struct ref_rng *rng, struct surf *s,
		     unsigned int w, unsigned int h)
{
	s->w = w;
	s->h = h;
	s->pitch = w * 4;
	s->bo = gpu_bo_new(g, (uint64_t)h * s->pitch, 0);
	s->ref = malloc((size_t)h * s->pitch);
	if (!CHECK(s->bo && s->ref, "%s: surface: %s", who, gpu_err()))
		return false;
	ref_fill(rng, s->bo->cpu, (size_t)h * s->pitch);
	memcpy(s->ref, s->bo->cpu, (size_t)h * s->pitch);
	return true;
}

static bool surf_check(struct surf *s, const char *what)
{
	char msg[256];

	if (!ref_describe_diff(s->bo->cpu, s->ref, (size_t)s->h * s->pitch,
			       s->pitch, 4, msg, sizeof(msg)))
		return true;
	return CHECK(false, "%s: %s: %s", who, what, msg);
}

/*
 * @rounds batches of random fills and copies on @fb (from @tex and from
 * itself), then 1024 stores on the render engine; everything checked.
 */
static bool workload(struct gpu *g, struct ref_rng *rng, struct surf *fb,
		     struct surf *tex, struct gpu_bo *out, unsigned int rounds)
{
	enum { NB = 16, NS = 1024, PER = 64 };
	struct gpu_cmds cmds;
	struct gpu_blit b[NB];
	struct gpu_bo *batch = NULL;
	uint32_t seq = 0, salt = (uint32_t)ref_rng_next(rng);
	unsigned int r, k, bad = 0;
	bool ok = true;

	gpu_cmds_init(&cmds);
	for (r = 0; r < rounds && ok; r++) {
		cmds.len = 0;
		for (k = 0; k < NB; k++) {
			unsigned int what = ref_rng_below(rng, 3);
			struct surf *src = what == 0 ? NULL :
					   what == 1 ? tex : fb;
			unsigned int mw = src && src->w < fb->w ? src->w : fb->w;
			unsigned int mh = src && src->h < fb->h ? src->h : fb->h;
			unsigned int rw = 1 + ref_rng_below(rng, mw);
			unsigned int rh = 1 + ref_rng_below(rng, mh);

			memset(&b[k], 0, sizeof(b[k]));
			b[k].r.op = !src ? REF_COLOR_BLT :
				    ref_rng_below(rng, 2) ? REF_SRC_COPY_BLT :
							    REF_FAST_COPY_BLT;
			b[k].r.cpp = 4;
			b[k].r.write_alpha = ref_rng_below(rng, 4) != 0;
			b[k].r.write_rgb = ref_rng_below(rng, 4) != 0;
			b[k].r.x1 = ref_rng_below(rng, fb->w - rw + 1);
			b[k].r.y1 = ref_rng_below(rng, fb->h - rh + 1);
			b[k].r.x2 = b[k].r.x1 + rw;
			b[k].r.y2 = b[k].r.y1 + rh;
			b[k].r.dst_pitch = fb->pitch;
			b[k].r.color = (uint32_t)ref_rng_next(rng);
			b[k].dst = fb->bo->gaddr;
			if (src) {
				b[k].r.sx = ref_rng_below(rng, src->w - rw + 1);
				b[k].r.sy = ref_rng_below(rng, src->h - rh + 1);
				b[k].r.src_pitch = src->pitch;
				b[k].src = src->bo->gaddr;
			}
			gpu_emit_blt(&cmds, &b[k]);
			ref_blt(&b[k].r, fb->ref, src ? src->ref : NULL);
		}
		gpu_emit_bb_end(&cmds);
		batch = gpu_bo_new(g, cmds.len * 4, 0);
		ok = CHECK(batch && !gpu_cmds_store(&cmds, batch, 0),
			   "%s: batch: %s", who, gpu_err()) &&
		     GCHECK(gpu_run_batch(g, BCS, batch->gaddr, 0));
		gpu_bo_free(g, batch);
	}
	ok = ok && surf_check(fb, "framebuffer");
	for (k = 0; k < NS && ok; k += PER) {
		unsigned int i;

		cmds.len = 0;
		for (i = k; i < k + PER; i++)
			gpu_emit_sdi(&cmds, out->gaddr + 4 * i, salt + i, true);
		ok = GCHECK(gpu_submit(g, RCS, cmds.dw, cmds.len, &seq));
	}
	ok = ok && GCHECK(gpu_wait_seqno(g, RCS, seq, GPU_WAIT_MS));
	for (k = 0; k < NS && ok; k++)
		if (((uint32_t *)out->cpu)[k] != salt + k && bad++ < 4)
			CHECK_EQ(((uint32_t *)out->cpu)[k], salt + k,
				 "%s: store %u", who, k);
	gpu_cmds_fini(&cmds);
	return ok && !bad && !tap_cur_failed;
}

/* Open the vGPU, hand out IOVAs from @iova on, set up both rings. */
static bool open_gpu(struct gpu *g, const char *uuid, uint64_t iova)
{
	if (!CHECK(gpu_open(g, uuid, MV_OPEN_CONTAINER) == 0, "%s: open %s: %s",
		   who, uuid, gpu_err()))
		return false;
	g->iova_next = iova;
	return GCHECK(gpu_ring_init(g, RCS, 16384)) &&
	       GCHECK(gpu_ring_init(g, BCS, 16384));
}

/* Neither engine halted, and FAULT_STATUS clear on both. */
static void check_no_fault(struct gpu *g)
{
	unsigned int e;
	uint32_t v = 0;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GCHECK(gpu_erd(g, e, MVGPU_FAULT_STATUS, &v));
		CHECK_EQ(v, 0, "%s: engine %u FAULT_STATUS", who, e);
	}
}

/* ---- concurrent workloads ------------------------------------------------ */

/* fds: [0] go (read end), [1] ready (write end), [2] report (write end) */
static void kid_concurrent(struct ctx *c, unsigned int i, int *fds)
{
	struct ref_rng rng;
	struct report rep = { 0 };
	struct surf fb = { 0 }, tex = { 0 };
	struct gpu_bo *out;
	struct gpu g;
	char byte = 1;

	gpu_init(&g);
	ref_rng_seed(&rng, c->cookie + i);
	if (open_gpu(&g, c->uuid[i], GPU_IOVA_BASE) &&
	    surf_new(&g, &rng, &fb, 512, 384) &&
	    surf_new(&g, &rng, &tex, 160, 160)) {
		out = gpu_bo_new(&g, 4096, 0);
		CHECK(out, "%s: %s", who, gpu_err());
		CHECK(pipe_write(fds[1], &byte, 1), "%s: ready", who);
		/* All start together. */
		CHECK(pipe_eof(fds[0], CHILD_MS), "%s: no go", who);
		rep.t0_ns = gpu_now_ns();
		if (out && workload(&g, &rng, &fb, &tex, out, 8))
			rep.ok = 1;
		rep.t1_ns = gpu_now_ns();
		check_no_fault(&g);
	}
	rep.ok = rep.ok && !tap_cur_failed;
	pipe_write(fds[2], &rep, sizeof(rep));
	gpu_close(&g);
	free(fb.ref);
	free(tex.ref);
}

static void test_concurrent(void *arg)
{
	struct ctx *c = arg;
	int go[2], ready[2], rep[2], fds[3], all[6];
	struct report r[MAX_VGPUS];
	pid_t pid[MAX_VGPUS];
	uint64_t last_start = 0, first_end = UINT64_MAX;
	unsigned int i, got = 0;
	char byte, name[MAX_VGPUS][16];

	REQUIRE(!pipe(go) && !pipe(ready) && !pipe(rep), "pipe: %s",
		strerror(errno));
	memcpy(all, go, sizeof(go));
	memcpy(all + 2, ready, sizeof(ready));
	memcpy(all + 4, rep, sizeof(rep));
	for (i = 0; i < c->n; i++) {
		snprintf(name[i], sizeof(name[i]), "vgpu%u", i);
		fds[0] = go[0];
		fds[1] = ready[1];
		fds[2] = rep[1];
		pid[i] = spawn(kid_concurrent, c, i, fds, 3, all, 6, name[i]);
	}
	close(ready[1]);
	close(rep[1]);
	close(go[0]);
	for (i = 0; i < c->n; i++)
		got += pipe_read(ready[0], &byte, 1, CHILD_MS);
	CHECK_EQ(got, c->n, "processes ready");
	/* EOF on the go pipe releases them all. */
	close(go[1]);
	for (i = 0; i < c->n; i++) {
		if (!CHECK(pipe_read(rep[0], &r[i], sizeof(r[i]), CHILD_MS),
			   "report %u of %u missing", i, c->n))
			break;
		CHECK(r[i].ok, "a workload failed");
		last_start = r[i].t0_ns > last_start ? r[i].t0_ns : last_start;
		first_end = r[i].t1_ns < first_end ? r[i].t1_ns : first_end;
		tap_diag("workload %u: %llu ms", i,
			 (unsigned long long)(r[i].t1_ns - r[i].t0_ns) / 1000000);
	}
	for (i = 0; i < c->n; i++)
		reap(pid[i], CHILD_MS, name[i]);
	/* The workloads ran at the same time: all were running at one instant. */
	CHECK(last_start < first_end,
	      "workloads did not overlap: last started %lld ms after the first ended",
	      (long long)(last_start - first_end) / 1000000);
	close(ready[0]);
	close(rep[0]);
}

/* ---- isolation ----------------------------------------------------------- */

/*
 * Run @cm on engine @e of @g; it must fault with @type at an address in
 * @addr's page (unless @addr is ~0).  Then reset and check a request runs.
 */
static bool attack(struct gpu *g, unsigned int e, struct gpu_cmds *cm,
		   uint32_t type, uint64_t addr, struct gpu_bo *ok_buf,
		   const char *what)
{
	struct gpu_fault f;
	struct gpu_cmds m;
	bool ok;

	if (!GCHECK(gpu_ring_emit(g, e, cm->dw, cm->len)) ||
	    !GCHECK(gpu_ring_kick(g, e)))
		return false;
	if (!CHECK(gpu_wait_halt(g, e, GPU_WAIT_MS, &f) == 0, "%s: %s: %s",
		   who, what, gpu_err())) {
		gpu_engine_reset(g, e);
		return false;
	}
	ok = CHECK_EQ(f.status & MVGPU_FAULT_TYPE_MASK, type,
		      "%s: %s: fault type (%s)", who, what,
		      gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK));
	if (addr != ~0ull)
		ok &= CHECK_EQ(f.addr >> 12, addr >> 12,
			       "%s: %s: FAULT_ADDR 0x%llx, page", who, what,
			       (unsigned long long)f.addr);
	ok &= GCHECK(gpu_engine_reset(g, e));
	gpu_cmds_init(&m);
	((uint32_t *)ok_buf->cpu)[0] = 0;
	gpu_emit_sdi(&m, ok_buf->gaddr, 0x600d, true);
	ok &= GCHECK(gpu_run(g, e, m.dw, m.len));
	ok &= CHECK_EQ(((uint32_t *)ok_buf->cpu)[0], 0x600d,
		       "%s: %s: request after the reset", who, what);
	gpu_cmds_fini(&m);
	return ok;
}

/*
 * The attacker.  fds: [0] B's report (read), [1] done (write)
 */
static void kid_attacker(struct ctx *c, unsigned int i, int *fds)
{
	struct report b;
	struct gpu_bo *own, *okb, *last;
	struct gpu_cmds cm;
	struct gpu_blit bl;
	struct gpu g;
	uint64_t pte, ga, ve;
	unsigned int e;
	char byte = 1;

	gpu_init(&g);
	gpu_cmds_init(&cm);
	if (!CHECK(pipe_read(fds[0], &b, sizeof(b), CHILD_MS),
		   "%s: no report from the victim", who) ||
	    !open_gpu(&g, c->uuid[i], A_IOVA_BASE))
		goto out;
	own = gpu_bo_new(&g, 8192, 0);
	okb = gpu_bo_new(&g, 4096, 0);
	if (!CHECK(own && okb, "%s: %s", who, gpu_err()))
		goto out;
	ve = b.victim_gaddr;
	tap_diag("%s: slice 0x%llx+0x%llx, victim's 0x%llx+0x%llx, victim buffer at 0x%llx",
		 who, (unsigned long long)g.ggtt_base,
		 (unsigned long long)g.ggtt_size,
		 (unsigned long long)b.ggtt_base,
		 (unsigned long long)b.ggtt_size, (unsigned long long)ve);

	/* 1. GGTT entries of B's slice: writes dropped, reads 0. */
	for (ga = ve; ga < ve + b.victim_size; ga += 4096) {
		GCHECK(gpu_ggtt_write(&g, ga, gpu_bo_pte(own, 0)));
		GCHECK(gpu_ggtt_read(&g, ga, &pte));
		CHECK_EQ(pte, 0, "%s: PTE 0x%llx of the victim's slice", who,
			 (unsigned long long)ga);
	}
	GCHECK(gpu_ggtt_write(&g, b.ggtt_base, gpu_bo_pte(own, 0)));

	/* 2. Stores and blits at B's graphics addresses. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		cm.len = 0;
		gpu_emit_sdi(&cm, ve + 64, 0xbad, true);
		attack(&g, e, &cm, MVGPU_FAULT_GGTT_RANGE, ve + 64, okb,
		       "store into the victim's slice");
	}
	memset(&bl, 0, sizeof(bl));
	bl.r.op = REF_COLOR_BLT;
	bl.r.cpp = 4;
	bl.r.write_alpha = bl.r.write_rgb = true;
	bl.r.x2 = 1024;
	bl.r.y2 = b.victim_size / 4096;
	bl.r.dst_pitch = 4096;
	bl.r.color = 0xbadbad;
	bl.dst = ve;
	cm.len = 0;
	gpu_emit_blt(&cm, &bl);
	attack(&g, BCS, &cm, MVGPU_FAULT_GGTT_RANGE, ve, okb,
	       "fill of the victim's buffer");
	/* Reading it is refused as well. */
	bl.r.op = REF_FAST_COPY_BLT;
	bl.r.y2 = 2;
	bl.r.src_pitch = 4096;
	bl.dst = own->gaddr;
	bl.src = ve;
	cm.len = 0;
	gpu_emit_blt(&cm, &bl);
	attack(&g, BCS, &cm, MVGPU_FAULT_GGTT_RANGE, ve, okb,
	       "copy from the victim's buffer");
	CHECK(((uint32_t *)own->cpu)[0] == 0, "%s: victim data copied", who);

	/* 3. A fill that runs off the end of A's slice. */
	last = gpu_bo_new(&g, 4096, GPU_BO_NO_GGTT);
	if (CHECK(last, "%s: %s", who, gpu_err()) &&
	    GCHECK(gpu_bo_bind_ggtt(&g, last, g.ggtt_base + g.ggtt_size - 4096))) {
		bl.r.op = REF_COLOR_BLT;
		bl.r.x2 = 1024;
		bl.r.y2 = 4;
		bl.dst = last->gaddr;
		cm.len = 0;
		gpu_emit_blt(&cm, &bl);
		attack(&g, BCS, &cm, MVGPU_FAULT_GGTT_RANGE,
		       g.ggtt_base + g.ggtt_size, okb,
		       "fill running off the end of the slice");
	}

	/* 4. DMA addresses A never mapped, B's among them. */
	GCHECK(gpu_ggtt_alloc(&g, 4096, &ga));
	GCHECK(gpu_ggtt_write(&g, ga, b.victim_iova | MVGPU_PTE_PRESENT |
			      MVGPU_PTE_WRITABLE));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		cm.len = 0;
		gpu_emit_sdi(&cm, ga + 8, 0xbad, true);
		attack(&g, e, &cm, MVGPU_FAULT_DMA, ga + 8, okb,
		       "store to the victim's DMA address");
	}
	bl.r.op = REF_FAST_COPY_BLT;
	bl.r.y2 = 1;
	bl.dst = own->gaddr;
	bl.src = ga;
	cm.len = 0;
	gpu_emit_blt(&cm, &bl);
	attack(&g, BCS, &cm, MVGPU_FAULT_DMA, ga, okb,
	       "copy from the victim's DMA address");
	if (GCHECK(gpu_ppgtt_init(&g)) &&
	    GCHECK(gpu_ppgtt_set(&g, PP_ATTACK, b.victim_iova |
				 MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE)) &&
	    GCHECK(gpu_ppgtt_enable(&g, RCS, gpu_ppgtt_desc(&g)))) {
		cm.len = 0;
		gpu_emit_sdi(&cm, PP_ATTACK + 16, 0xbad, false);
		attack(&g, RCS, &cm, MVGPU_FAULT_DMA, PP_ATTACK + 16, okb,
		       "PPGTT store to the victim's DMA address");
		/* A PPGTT directory in the victim's memory. */
		GCHECK(gpu_ppgtt_enable(&g, RCS, b.victim_iova |
					MVGPU_CTX_DESC_VALID));
		attack(&g, RCS, &cm, MVGPU_FAULT_DMA, ~0ull, okb,
		       "PML4 in the victim's DMA memory");
		GCHECK(gpu_ppgtt_enable(&g, RCS, 0));
	}

	/* 5. Local memory beyond A's own (the parent's next slice). */
	GCHECK(gpu_ggtt_write(&g, ga, g.vram_size | MVGPU_PTE_LOCAL |
			      MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE));
	cm.len = 0;
	gpu_emit_sdi(&cm, ga, 0xbad, true);
	attack(&g, RCS, &cm, MVGPU_FAULT_LOCAL_RANGE, ga, okb,
	       "store beyond local memory");
	check_no_fault(&g);
out:
	/* Tell B the attacks are over (also when they could not run). */
	pipe_write(fds[1], &byte, 1);
	gpu_cmds_fini(&cm);
	gpu_close(&g);
}

/*
 * The victim.  fds: [0] report to A (write), [1] done (read)
 */
static void kid_victim(struct ctx *c, unsigned int i, int *fds)
{
	enum { VSIZE = 64 << 10 };
	struct report rep = { 0 };
	struct surf fb = { 0 }, tex = { 0 };
	struct gpu_bo *v, *out;
	struct ref_rng rng;
	uint8_t *saved = NULL;
	uint64_t ga, pte;
	unsigned int rounds = 0;
	struct gpu g;
	char byte;

	gpu_init(&g);
	ref_rng_seed(&rng, c->cookie ^ 0xb);
	if (!open_gpu(&g, c->uuid[i], GPU_IOVA_BASE))
		goto out;
	v = gpu_bo_new(&g, VSIZE, 0);
	out = gpu_bo_new(&g, 4096, 0);
	saved = malloc(VSIZE);
	if (!CHECK(v && out && saved, "%s: %s", who, gpu_err()) ||
	    !surf_new(&g, &rng, &fb, 256, 128) ||
	    !surf_new(&g, &rng, &tex, 64, 64))
		goto out;
	ref_fill(&rng, v->cpu, VSIZE);
	memcpy(saved, v->cpu, VSIZE);
	rep.ggtt_base = g.ggtt_base;
	rep.ggtt_size = g.ggtt_size;
	rep.victim_gaddr = v->gaddr;
	rep.victim_iova = v->iova;
	rep.victim_size = VSIZE;
	if (!CHECK(pipe_write(fds[0], &rep, sizeof(rep)), "%s: report", who))
		goto out;
	/* Work until the attacker is done, at least twice. */
	while (rounds < 2 || !pipe_ready(fds[1])) {
		if (!workload(&g, &rng, &fb, &tex, out, 2))
			break;
		rounds++;
		if (rounds > 200) {
			CHECK(false, "%s: the attacker never finished", who);
			break;
		}
	}
	CHECK(pipe_read(fds[1], &byte, 1, CHILD_MS), "%s: no end of attacks",
	      who);
	tap_diag("%s: %u workload rounds during the attacks", who, rounds);
	CHECK(ref_first_diff(v->cpu, saved, VSIZE) < 0,
	      "%s: victim buffer changed at offset 0x%lx", who,
	      ref_first_diff(v->cpu, saved, VSIZE));
	for (ga = v->gaddr; ga < v->gaddr + VSIZE; ga += 4096) {
		GCHECK(gpu_ggtt_read(&g, ga, &pte));
		CHECK_EQ(pte, gpu_bo_pte(v, ga - v->gaddr),
			 "%s: own PTE 0x%llx", who, (unsigned long long)ga);
	}
	GCHECK(gpu_ggtt_read(&g, g.ggtt_base, &pte));
	CHECK_EQ(pte, 0, "%s: first PTE of the slice", who);
	check_no_fault(&g);
	/* And a last round still works. */
	workload(&g, &rng, &fb, &tex, out, 1);
out:
	gpu_close(&g);
	free(saved);
	free(fb.ref);
	free(tex.ref);
}

static void test_isolation(void *arg)
{
	struct ctx *c = arg;
	int info[2], done[2], fds[2], all[4];
	pid_t a, b;

	REQUIRE(!pipe(info) && !pipe(done), "pipe: %s", strerror(errno));
	memcpy(all, info, sizeof(info));
	memcpy(all + 2, done, sizeof(done));
	fds[0] = info[1];
	fds[1] = done[0];
	b = spawn(kid_victim, c, 1, fds, 2, all, 4, "victim B");
	fds[0] = info[0];
	fds[1] = done[1];
	a = spawn(kid_attacker, c, 0, fds, 2, all, 4, "attacker A");
	close(info[0]);
	close(info[1]);
	close(done[0]);
	close(done[1]);
	reap(a, CHILD_MS, "attacker A");
	reap(b, CHILD_MS, "victim B");
}

/* ---- a hang next door ----------------------------------------------------- */

/*
 * A: both engines wait on semaphores that never come.  fds: [0] hanging
 * (write: A's engines wait), [1] report to the parent (write)
 */
static void kid_hang(struct ctx *c, unsigned int i, int *fds)
{
	struct report rep = { 0 };
	struct gpu_fault f;
	struct gpu_bo *m;
	struct gpu_cmds cm;
	struct gpu g;
	uint32_t st = 0;
	uint64_t t0, dt[MVGPU_NUM_ENGINES] = { 0 };
	unsigned int e, halted = 0;
	char byte = 1;

	gpu_init(&g);
	gpu_cmds_init(&cm);
	if (!open_gpu(&g, c->uuid[i], GPU_IOVA_BASE))
		goto out;
	m = gpu_bo_new(&g, 4096, 0);
	if (!CHECK(m, "%s: %s", who, gpu_err()))
		goto out;
	rep.watchdog_ms = g.watchdog_ms;
	gpu_emit_sem_wait(&cm, MVGPU_SEM_EQ, 0xfeed, m->gaddr, true);
	t0 = gpu_now_ns();
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		if (GCHECK(gpu_ring_emit(&g, e, cm.dw, cm.len)))
			GCHECK(gpu_ring_kick(&g, e));
	/* Tell B once the render engine is stuck. */
	do {
		GCHECK(gpu_erd(&g, RCS, MVGPU_ENGINE_STATUS, &st));
	} while (!(st & (MVGPU_ENGINE_STATUS_WAITING |
			 MVGPU_ENGINE_STATUS_HALTED)) && !tap_cur_failed &&
		 gpu_now_ns() - t0 < 5000000000ull);
	CHECK(st & MVGPU_ENGINE_STATUS_WAITING, "%s: ENGINE_STATUS 0x%x", who,
	      st);
	rep.t0_ns = t0;
	pipe_write(fds[0], &byte, 1);
	/* Watch both engines until each halts. */
	while (halted != 3 && !tap_cur_failed &&
	       gpu_now_ns() - t0 < (g.watchdog_ms + 10000ull) * 1000000ull) {
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			if (halted & (1u << e))
				continue;
			GCHECK(gpu_erd(&g, e, MVGPU_ENGINE_STATUS, &st));
			if (st & MVGPU_ENGINE_STATUS_HALTED) {
				halted |= 1u << e;
				dt[e] = (gpu_now_ns() - t0) / 1000000;
			}
		}
		gpu_sleep_ms(1);
	}
	rep.t1_ns = t0 + dt[RCS] * 1000000;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		if (!CHECK(halted & (1u << e), "%s: engine %u never halted", who,
			   e))
			continue;
		tap_diag("%s: engine %u faulted after %llu ms (watchdog %u ms)",
			 who, e, (unsigned long long)dt[e], g.watchdog_ms);
		GCHECK(gpu_fault_read(&g, e, &f));
		CHECK_EQ(f.status, MVGPU_FAULT_VALID | MVGPU_FAULT_HANG,
			 "%s: engine %u FAULT_STATUS", who, e);
		CHECK(dt[e] + 20 >= g.watchdog_ms,
		      "%s: engine %u hang declared early", who, e);
		/* Generous for a loaded, emulated machine; still bounded. */
		CHECK(dt[e] <= g.watchdog_ms + 3000ull,
		      "%s: engine %u hang declared late", who, e);
		GCHECK(gpu_engine_reset(&g, e));
		cm.len = 0;
		gpu_emit_sdi(&cm, m->gaddr + 64 + 4 * e, 0x600d, true);
		GCHECK(gpu_run(&g, e, cm.dw, cm.len));
		CHECK_EQ(((uint32_t *)m->cpu)[16 + e], 0x600d,
			 "%s: engine %u request after the reset", who, e);
	}
	rep.ok = !tap_cur_failed;
out:
	pipe_write(fds[1], &rep, sizeof(rep));
	gpu_cmds_fini(&cm);
	gpu_close(&g);
}

/*
 * B: once A hangs, a request, timed; then a workload.  fds: [0] hanging
 * (read), [1] report to the parent (write)
 */
static void kid_busy(struct ctx *c, unsigned int i, int *fds)
{
	struct report rep = { 0 };
	struct surf fb = { 0 }, tex = { 0 };
	struct gpu_bo *out;
	struct gpu_cmds cm;
	struct ref_rng rng;
	struct gpu g;
	char byte;

	gpu_init(&g);
	gpu_cmds_init(&cm);
	ref_rng_seed(&rng, c->cookie ^ 0x4b);
	if (!open_gpu(&g, c->uuid[i], GPU_IOVA_BASE) ||
	    !surf_new(&g, &rng, &fb, 256, 256) ||
	    !surf_new(&g, &rng, &tex, 64, 64))
		goto out;
	out = gpu_bo_new(&g, 4096, 0);
	if (!CHECK(out, "%s: %s", who, gpu_err()))
		goto out;
	if (!CHECK(pipe_read(fds[0], &byte, 1, CHILD_MS),
		   "%s: the other vGPU never hung", who))
		goto out;
	/* Stores on both engines while A hangs. */
	gpu_emit_sdi(&cm, out->gaddr + 4, 0x1234, true);
	rep.t0_ns = gpu_now_ns();
	GCHECK(gpu_run(&g, RCS, cm.dw, cm.len));
	GCHECK(gpu_run(&g, BCS, cm.dw, cm.len));
	rep.t1_ns = gpu_now_ns();
	CHECK_EQ(((uint32_t *)out->cpu)[1], 0x1234, "%s: store", who);
	rep.ok = workload(&g, &rng, &fb, &tex, out, 4);
	check_no_fault(&g);
	rep.ok = rep.ok && !tap_cur_failed;
out:
	pipe_write(fds[1], &rep, sizeof(rep));
	gpu_cmds_fini(&cm);
	gpu_close(&g);
	free(fb.ref);
	free(tex.ref);
}

static void test_hang_neighbour(void *arg)
{
	struct ctx *c = arg;
	int hang[2], ra[2], rb[2], fds[2], all[6];
	struct report a = { 0 }, b = { 0 };
	pid_t pa, pb;

	REQUIRE(!pipe(hang) && !pipe(ra) && !pipe(rb), "pipe: %s",
		strerror(errno));
	memcpy(all, hang, sizeof(hang));
	memcpy(all + 2, ra, sizeof(ra));
	memcpy(all + 4, rb, sizeof(rb));
	fds[0] = hang[0];
	fds[1] = rb[1];
	pb = spawn(kid_busy, c, 1, fds, 2, all, 6, "busy B");
	fds[0] = hang[1];
	fds[1] = ra[1];
	pa = spawn(kid_hang, c, 0, fds, 2, all, 6, "hung A");
	close(hang[0]);
	close(hang[1]);
	close(ra[1]);
	close(rb[1]);
	CHECK(pipe_read(ra[0], &a, sizeof(a), CHILD_MS), "no report from A");
	CHECK(pipe_read(rb[0], &b, sizeof(b), CHILD_MS), "no report from B");
	reap(pa, CHILD_MS, "hung A");
	reap(pb, CHILD_MS, "busy B");
	if (a.ok && b.ok) {
		tap_diag("B's requests took %llu ms, A's render engine hung for %llu ms",
			 (unsigned long long)(b.t1_ns - b.t0_ns) / 1000000,
			 (unsigned long long)(a.t1_ns - a.t0_ns) / 1000000);
		/* B did not wait for A's hang to be resolved. */
		CHECK(b.t1_ns < a.t1_ns,
		      "B's requests completed %llu ms after A's hang was faulted",
		      (unsigned long long)(b.t1_ns - a.t1_ns) / 1000000);
	}
	close(ra[0]);
	close(rb[0]);
}

int main(int argc, char **argv)
{
	static const struct tap_test tests[] = {
		{ "workloads on every vGPU at once, all correct",
		  test_concurrent },
		{ "isolation: A's accesses to B's slice and memory fault, B intact",
		  test_isolation },
		{ "a hang on A is faulted by the watchdog, B's requests complete",
		  test_hang_neighbour },
	};
	struct ctx c = { 0 };
	int i;

	for (i = 1; i < argc && c.n < MAX_VGPUS; i++)
		c.uuid[c.n++] = argv[i];
	if (c.n < 2 || i < argc) {
		fprintf(stderr, "usage: %s <uuid> <uuid> [<uuid>...] (2 to %d)\n",
			argv[0], MAX_VGPUS);
		return KSFT_FAIL;
	}
	for (i = 0; i < (int)c.n; i++) {
		if (!mv_sysfs_exists(c.uuid[i], NULL)) {
			printf("TAP version 13\nBail out! no vGPU %s in %s\n",
			       c.uuid[i], MV_MDEV_SYSFS);
			return KSFT_FAIL;
		}
	}
	c.cookie = gpu_now_ns() ^ ((uint64_t)getpid() << 32);
	tap_diag("seed 0x%llx, %u vGPUs", (unsigned long long)c.cookie, c.n);
	return tap_run(tests, TAP_ARRAY_SIZE(tests), &c, NULL, NULL);
}
