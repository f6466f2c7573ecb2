// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_scan_test <uuid-a> <uuid-b>: the command checker between the guest
 * and the engine (Documentation/hw-interface.rst, "Command checking").
 *
 *  - malicious submissions, one per rule, on vGPU A: each is rejected
 *    before any of its ring command runs, with the documented fault (type,
 *    flags, FAULT_INSTR, FAULT_ADDR, FAULT_CMD, RING_HEAD, IRQ_FAULT), the
 *    ring commands before it do run (the prefix rule), a store before the
 *    bad command in the same batch does not, the rejection is counted in
 *    sysfs (scan_rejects, scan_last_reject), and after ENGINE_RESET the
 *    engine works again; meanwhile vGPU B runs a store and blit workload
 *    on the same engine that must complete exactly;
 *  - TOCTOU: a batch rewritten in guest memory by another thread while it
 *    is submitted and while it runs: the engine runs only what was checked.
 *
 * The write prediction check (uapi/mvgpu_debug.h) is armed for vGPU A
 * during the whole run and must report no miss.  The device opens through
 * the container (or iommufd with MVGPU_OPEN_MODE=cdev).  Output is
 * kselftest TAP; exit status 0 iff all passed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpu.h"
#include "gpu_ref.h"
#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define RING_SIZE	(16u << 10)
/* B's workload: stores and a fill. */
#define VICTIM_STORES	1500
#define VICTIM_W	256
#define VICTIM_H	128
/* The chain of tiny batches that exceeds the checker's batch limit. */
#define CHAIN_BATCHES	1100
/* TOCTOU: stores per batch, runs per mode. */
#define TOC_STORES	1000
#define TOC_RUNS	60

/* Markers in A's scratch buffer. */
#define MARK_PRE	0x000	/* a ring command before the offending one */
#define MARK_IN		0x008	/* in the offending batch, before the bad one */
#define MARK_POST	0x010	/* after the offending ring command */
#define MARK_OK		0x018	/* the request after the reset */

struct ctx {
	const char *uuid[2];
	uint64_t cookie;
	struct gpu a, b;
	struct gpu_bo *scratch;	/* A: markers */
	struct gpu_bo *ro;	/* A: a read-only GGTT page */
	struct gpu_bo *vout;	/* B: the victim's stores */
	struct gpu_bo *vfb;	/* B: the victim's fill */
	struct gpu_bo *vbatch;	/* B: the victim's batch */
	bool wpred_armed;
	char wpred_err[256];
};

#define GCHECK(call)							\
	({								\
		int __r = (call);					\
		CHECK(__r == 0, "%s: %s", #call, gpu_err());		\
	})
#define GREQ(call)	REQUIRE((call) == 0, "%s: %s", #call, gpu_err())

static uint32_t *u32p(struct gpu_bo *bo, uint64_t off)
{
	return (uint32_t *)((uint8_t *)bo->cpu + off);
}

static volatile uint32_t *vu32p(struct gpu_bo *bo, uint64_t off)
{
	return (volatile uint32_t *)((uint8_t *)bo->cpu + off);
}

static int open_one(struct gpu *g, const char *uuid)
{
	int ret = gpu_open(g, uuid, MV_OPEN_CONTAINER);

	if (ret) {
		tap_diag("opening %s: %s", uuid, gpu_err());
		return ret;
	}
	ret = gpu_ring_init(g, RCS, RING_SIZE);
	if (!ret)
		ret = gpu_ring_init(g, BCS, RING_SIZE);
	if (ret) {
		tap_diag("rings of %s: %s", uuid, gpu_err());
		gpu_close(g);
	}
	return ret;
}

static int setup(void *arg)
{
	struct ctx *c = arg;
	int ret;

	ret = open_one(&c->a, c->uuid[0]);
	if (ret)
		return ret;
	ret = open_one(&c->b, c->uuid[1]);
	if (ret) {
		gpu_close(&c->a);
		return ret;
	}
	c->scratch = gpu_bo_new(&c->a, 4096, 0);
	c->ro = gpu_bo_new(&c->a, 4096, GPU_BO_READONLY);
	c->vout = gpu_bo_new(&c->b, VICTIM_STORES * 4, 0);
	c->vfb = gpu_bo_new(&c->b, VICTIM_W * 4 * VICTIM_H, 0);
	c->vbatch = gpu_bo_new(&c->b, 32768, 0);
	if (!c->scratch || !c->ro || !c->vout || !c->vfb || !c->vbatch) {
		tap_diag("buffers: %s", gpu_err());
		gpu_close(&c->b);
		gpu_close(&c->a);
		return -ENOMEM;
	}
	return 0;
}

static void teardown(void *arg)
{
	struct ctx *c = arg;
	struct gpu *gs[2] = { &c->a, &c->b };
	char desc[512];
	unsigned int e, i;
	uint32_t st;

	for (i = 0; i < 2; i++) {
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			uint64_t t0 = gpu_now_ms();

			/* HEAD is published when the last slice ends */
			while (!gpu_erd(gs[i], e, MVGPU_ENGINE_STATUS, &st) &&
			       (st & (MVGPU_ENGINE_STATUS_HALTED |
				      MVGPU_ENGINE_STATUS_BUSY)) ==
			       MVGPU_ENGINE_STATUS_BUSY &&
			       gpu_now_ms() - t0 < 500)
				gpu_sleep_ms(1);
			if (gpu_erd(gs[i], e, MVGPU_ENGINE_STATUS, &st))
				continue;
			if (st & (MVGPU_ENGINE_STATUS_HALTED |
				  MVGPU_ENGINE_STATUS_BUSY)) {
				gpu_engine_describe(gs[i], e, desc,
						    sizeof(desc));
				CHECK(false, "vGPU %c engine %u left busy or halted: %s",
				      'A' + i, e, desc);
			}
		}
	}
	gpu_close(&c->b);
	gpu_close(&c->a);
}

/* A's rejections so far (sysfs scan_rejects). */
static uint64_t rejects(struct ctx *c, unsigned int i)
{
	uint64_t v = ~0ull;

	CHECK(mv_sysfs_read_u64(c->uuid[i], "mvgpu/scan_rejects", &v) == 0,
	      "reading scan_rejects of %s", c->uuid[i]);
	return v;
}

/* The reason of engine @e's last rejection (sysfs scan_last_reject). */
static bool last_reason(struct ctx *c, unsigned int e, uint32_t *type,
			char *reason, size_t len)
{
	char buf[512], *line, *save = NULL;

	if (!CHECK(mv_sysfs_read(c->uuid[0], "mvgpu/scan_last_reject", buf,
				 sizeof(buf)) >= 0, "reading scan_last_reject"))
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int eng, t;
		unsigned long long n;
		int pos = 0;

		if (sscanf(line, "%u %llu %u %n", &eng, &n, &t, &pos) == 3 &&
		    eng == e && pos) {
			*type = t;
			snprintf(reason, len, "%s", line + pos);
			return true;
		}
	}
	return CHECK(false, "no line for engine %u in scan_last_reject", e);
}

/* ---- the victim: vGPU B ---------------------------------------------------- */

/*
 * Start B's workload on engine @e: a batch of stores and (blitter) a fill;
 * returns the request's seqno.
 */
static bool victim_start(struct ctx *c, unsigned int e, unsigned int round,
			 uint32_t *seq)
{
	struct gpu_cmds cm;
	struct gpu_blit b;
	unsigned int i;
	bool ok;

	memset(c->vout->cpu, 0, VICTIM_STORES * 4);
	memset(c->vfb->cpu, 0, VICTIM_W * 4 * VICTIM_H);
	gpu_cmds_init(&cm);
	for (i = 0; i < VICTIM_STORES; i++)
		gpu_emit_sdi(&cm, c->vout->gaddr + 4 * i,
			     (uint32_t)c->cookie ^ (round << 20) ^ i, true);
	if (e == BCS) {
		memset(&b, 0, sizeof(b));
		b.r.op = REF_COLOR_BLT;
		b.r.cpp = 4;
		b.r.write_alpha = b.r.write_rgb = true;
		b.r.x2 = VICTIM_W;
		b.r.y2 = VICTIM_H;
		b.r.dst_pitch = VICTIM_W * 4;
		b.r.color = 0xc0de0000 | round;
		b.dst = c->vfb->gaddr;
		gpu_emit_blt(&cm, &b);
	}
	gpu_emit_bb_end(&cm);
	ok = GCHECK(gpu_cmds_store(&cm, c->vbatch, 0)) &&
	     GCHECK(gpu_submit_batch(&c->b, e, c->vbatch->gaddr, 0, seq));
	gpu_cmds_fini(&cm);
	return ok;
}

/* B's workload completed exactly, and B never faulted. */
static bool victim_check(struct ctx *c, unsigned int e, unsigned int round,
			 uint32_t seq, const char *what)
{
	unsigned int i, bad = 0;
	uint32_t v = 0;

	if (!CHECK(gpu_wait_seqno(&c->b, e, seq, GPU_WAIT_MS) == 0,
		   "%s: victim: %s", what, gpu_err()))
		return false;
	for (i = 0; i < VICTIM_STORES; i++)
		bad += *u32p(c->vout, 4 * i) !=
		       ((uint32_t)c->cookie ^ (round << 20) ^ i);
	if (e == BCS)
		for (i = 0; i < VICTIM_W * VICTIM_H; i++)
			bad += *u32p(c->vfb, 4 * i) != (0xc0de0000 | round);
	GCHECK(gpu_erd(&c->b, e, MVGPU_FAULT_STATUS, &v));
	return CHECK_EQ(bad, 0, "%s: victim's results wrong", what) &&
	       CHECK_EQ(v, 0, "%s: victim's FAULT_STATUS", what);
}

/* ---- attacks on vGPU A ----------------------------------------------------- */

/* What a rejection must report. */
struct want {
	unsigned int engine;
	uint32_t status;	/* FAULT_STATUS without VALID */
	uint32_t instr;
	bool addr_set;
	uint64_t addr;
	bool cmd_set;		/* FAULT_CMD is @cmd, not the ring command */
	uint64_t cmd;
	const char *reason;	/* scan_last_reject */
	bool no_prefix;		/* the whole submission is rejected */
};

/*
 * Submit, on A's engine, [store MARK_PRE] @cm [store MARK_POST] while B
 * runs its workload on the same engine.  @cm must be one ring command (an
 * MI_BATCH_BUFFER_START of a batch that stores MARK_IN before its bad
 * command, or a bad ring command).  @tail_dw, if not 0, replaces the tail:
 * the dwords of @cm up to it are submitted.
 */
static bool attack(struct ctx *c, const struct want *w,
		   const struct gpu_cmds *cm, unsigned int tail_dw,
		   uint32_t tail_reg, const char *what)
{
	static unsigned int round;
	struct gpu *g = &c->a;
	unsigned int e = w->engine;
	struct gpu_ring *r = &g->ring[e];
	uint32_t head0 = r->tail, off, seq, vseq, type = 0, st;
	uint64_t ring_g = r->bo->gaddr, sg = c->scratch->gaddr, rej0;
	struct gpu_cmds pre, post, m;
	char reason[128] = "";
	struct gpu_fault f;
	bool ok = true;
	uint64_t t0;

	round++;
	memset(c->scratch->cpu, 0, 64);
	rej0 = rejects(c, 0);
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_FAULT(e)));
	gpu_cmds_init(&pre);
	gpu_cmds_init(&post);
	gpu_cmds_init(&m);
	gpu_emit_sdi(&pre, sg + MARK_PRE, 0x1111, true);
	gpu_emit_sdi(&post, sg + MARK_POST, 0x3333, true);
	off = (head0 + 4 * pre.len) % r->size;
	if (!victim_start(c, e, round, &vseq))
		goto out;
	if (!GCHECK(gpu_ring_emit(g, e, pre.dw, pre.len)) ||
	    !GCHECK(gpu_ring_emit(g, e, cm->dw, cm->len)) ||
	    !GCHECK(gpu_ring_emit(g, e, post.dw, post.len))) {
		ok = false;
		goto out;
	}
	if (tail_dw || tail_reg) {
		/* the driver's tail is wrong: write RING_TAIL by hand */
		uint32_t t = tail_reg ? tail_reg :
			     (off + 4 * tail_dw) % r->size;

		ok &= GCHECK(gpu_ewr(g, e, MVGPU_RING_TAIL, t));
	} else {
		ok &= GCHECK(gpu_ring_kick(g, e));
	}
	if (!CHECK(gpu_wait_halt(g, e, GPU_WAIT_MS, &f) == 0, "%s: %s", what,
		   gpu_err())) {
		ok = false;
		goto reset;
	}
	ok &= CHECK_EQ(f.status, MVGPU_FAULT_VALID | w->status,
		       "%s: FAULT_STATUS (type %s, want %s)", what,
		       gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK),
		       gpu_fault_name(w->status & MVGPU_FAULT_TYPE_MASK));
	ok &= CHECK_EQ(f.instr, w->instr, "%s: FAULT_INSTR", what);
	if (w->addr_set)
		ok &= CHECK_EQ(f.addr, w->addr, "%s: FAULT_ADDR", what);
	ok &= CHECK_EQ(f.cmd, w->cmd_set ? w->cmd : ring_g + off,
		       "%s: FAULT_CMD", what);
	ok &= CHECK_EQ(f.head, w->no_prefix ? head0 : off,
		       "%s: RING_HEAD on the rejected ring command", what);
	t0 = gpu_now_ms();
	while (!(gpu_rd(g, MVGPU_REG_IRQ_STATUS, &st) == 0 &&
		 (st & MVGPU_IRQ_FAULT(e))) && gpu_now_ms() - t0 < 1000)
		;
	ok &= CHECK(st & MVGPU_IRQ_FAULT(e), "%s: no IRQ_FAULT(%u)", what, e);
	ok &= CHECK_EQ(*vu32p(c->scratch, MARK_PRE), w->no_prefix ? 0 : 0x1111,
		       "%s: the ring command before the rejected one", what);
	ok &= CHECK_EQ(*vu32p(c->scratch, MARK_IN), 0,
		       "%s: a store of the rejected batch ran", what);
	ok &= CHECK_EQ(*vu32p(c->scratch, MARK_POST), 0,
		       "%s: the ring command after the rejected one ran",
		       what);
	ok &= CHECK_EQ(rejects(c, 0), rej0 + 1, "%s: scan_rejects", what);
	if (last_reason(c, e, &type, reason, sizeof(reason))) {
		ok &= CHECK_EQ(type, w->status & MVGPU_FAULT_TYPE_MASK,
			       "%s: scan_last_reject type", what);
		ok &= CHECK(!strcmp(reason, w->reason),
			    "%s: scan_last_reject reason \"%s\", want \"%s\"",
			    what, reason, w->reason);
	}
reset:
	if (tail_reg)	/* a tail the ring cannot hold: back to the head */
		GCHECK(gpu_ewr(g, e, MVGPU_RING_TAIL, head0));
	GCHECK(gpu_engine_reset(g, e));
	r->tail = 0;
	GCHECK(gpu_erd(g, e, MVGPU_RING_HEAD, &r->tail));
	GCHECK(gpu_wr(g, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_FAULT(e)));
	gpu_emit_sdi(&m, sg + MARK_OK, 0x600d, true);
	ok &= GCHECK(gpu_submit(g, e, m.dw, m.len, &seq)) &&
	      GCHECK(gpu_wait_seqno(g, e, seq, GPU_WAIT_MS));
	ok &= CHECK_EQ(*vu32p(c->scratch, MARK_OK), 0x600d,
		       "%s: request after the reset", what);
	ok &= victim_check(c, e, round, vseq, what);
out:
	gpu_cmds_fini(&m);
	gpu_cmds_fini(&post);
	gpu_cmds_fini(&pre);
	if (!ok)
		tap_diag("... in: %s", what);
	return ok;
}

#define WANT(...)	((struct want){ __VA_ARGS__ })
#define FW		MVGPU_FAULT_WRITE
#define FB		MVGPU_FAULT_IN_BATCH

/*
 * A batch in a fresh GGTT buffer: a store of MARK_IN, then @bad (@n
 * dwords), then MI_BATCH_BUFFER_END.  *@bad_at: the bad command's address.
 */
static struct gpu_bo *bad_batch(struct ctx *c, const uint32_t *bad,
				size_t n, uint64_t *bad_at)
{
	struct gpu_cmds cm;
	struct gpu_bo *bo = gpu_bo_new(&c->a, 4096, 0);
	unsigned int i;

	if (!CHECK(bo, "batch: %s", gpu_err()))
		return NULL;
	gpu_cmds_init(&cm);
	gpu_emit_sdi(&cm, c->scratch->gaddr + MARK_IN, 0x2222, true);
	*bad_at = bo->gaddr + 4 * cm.len;
	for (i = 0; i < n; i++)
		gpu_emit(&cm, bad[i]);
	gpu_emit_bb_end(&cm);
	if (!GCHECK(gpu_cmds_store(&cm, bo, 0))) {
		gpu_cmds_fini(&cm);
		return NULL;
	}
	gpu_cmds_fini(&cm);
	return bo;
}

/* Attack with @bad in a batch (@in_batch) or directly in the ring. */
static void attack_cmd(struct ctx *c, struct want w, bool in_batch,
		       const struct gpu_cmds *bad, const char *what)
{
	struct gpu_cmds cm;
	uint64_t at = 0;
	struct gpu_bo *bo = NULL;

	gpu_cmds_init(&cm);
	w.instr = bad->dw[0];
	if (in_batch) {
		bo = bad_batch(c, bad->dw, bad->len, &at);
		if (!bo)
			return;
		gpu_emit_bb_start(&cm, bo->gaddr, 0);
		w.status |= FB;
		w.cmd_set = true;
		w.cmd = at;
	} else {
		cm.len = 0;
		for (size_t i = 0; i < bad->len; i++)
			gpu_emit(&cm, bad->dw[i]);
	}
	attack(c, &w, &cm, 0, 0, what);
	gpu_cmds_fini(&cm);
	gpu_bo_free(&c->a, bo);
}

static void test_translation_rules(void *arg)
{
	struct ctx *c = arg;
	uint64_t out = c->a.ggtt_base + c->a.ggtt_size;
	struct gpu_cmds cm;
	struct gpu_blit b;

	gpu_cmds_init(&cm);
	gpu_emit_sdi(&cm, out + 0x40, 1, true);
	attack_cmd(c, WANT(.engine = RCS,
			   .status = FW | MVGPU_FAULT_GGTT_RANGE,
			   .addr_set = true, .addr = out + 0x40,
			   .reason = "MI_STORE_DATA_IMM target"),
		   true, &cm, "store beyond the GGTT slice, in a batch");

	cm.len = 0;
	gpu_emit_sdi(&cm, c->ro->gaddr + 0x80, 1, true);
	attack_cmd(c, WANT(.engine = BCS,
			   .status = FW | MVGPU_FAULT_READ_ONLY,
			   .addr_set = true, .addr = c->ro->gaddr + 0x80,
			   .reason = "MI_STORE_DATA_IMM target"),
		   false, &cm, "store to a read-only page, in the ring");

	cm.len = 0;
	gpu_emit_pipe_control(&cm, MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT,
			      out + 0x1000, 5);
	attack_cmd(c, WANT(.engine = RCS,
			   .status = FW | MVGPU_FAULT_GGTT_RANGE,
			   .addr_set = true, .addr = out + 0x1000,
			   .reason = "PIPE_CONTROL post-sync target"),
		   false, &cm, "PIPE_CONTROL post-sync beyond the slice");

	cm.len = 0;
	gpu_emit_flush_dw(&cm, MVGPU_MI_FLUSH_DW_OP_STORE, c->ro->gaddr + 8,
			  5, false, true);
	attack_cmd(c, WANT(.engine = BCS,
			   .status = FW | MVGPU_FAULT_READ_ONLY,
			   .addr_set = true, .addr = c->ro->gaddr + 8,
			   .reason = "MI_FLUSH_DW post-sync target"),
		   true, &cm, "MI_FLUSH_DW post-sync to a read-only page");

	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x2 = 16;
	b.r.y2 = 4;
	b.r.dst_pitch = 64;
	b.r.color = 0xbad;
	b.dst = c->ro->gaddr;
	cm.len = 0;
	gpu_emit_blt(&cm, &b);
	attack_cmd(c, WANT(.engine = BCS,
			   .status = FW | MVGPU_FAULT_READ_ONLY,
			   .addr_set = true, .addr = c->ro->gaddr,
			   .reason = "blit destination"),
		   false, &cm, "fill of a read-only page");

	b.r.op = REF_SRC_COPY_BLT;
	b.r.src_pitch = 64;
	b.dst = c->scratch->gaddr + 0x100;
	b.src = out;
	cm.len = 0;
	gpu_emit_blt(&cm, &b);
	attack_cmd(c, WANT(.engine = BCS,
			   .status = MVGPU_FAULT_GGTT_RANGE,
			   .addr_set = true, .addr = out,
			   .reason = "blit source"),
		   true, &cm, "copy from beyond the slice, in a batch");
	gpu_cmds_fini(&cm);
}

static void test_register_and_field_rules(void *arg)
{
	struct ctx *c = arg;
	struct gpu_cmds cm;
	struct gpu_blit b;

	gpu_cmds_init(&cm);
	gpu_emit_lri(&cm, MVGPU_REG_IRQ_ENABLE, ~0u);
	attack_cmd(c, WANT(.engine = RCS, .status = MVGPU_FAULT_BAD_REGISTER,
			   .addr_set = true, .addr = MVGPU_REG_IRQ_ENABLE,
			   .reason = "MI_LOAD_REGISTER_IMM register"),
		   false, &cm, "LRI of IRQ_ENABLE");

	cm.len = 0;
	gpu_emit_srm(&cm, MVGPU_ENGINE_BASE(RCS) + MVGPU_CS_GPR(0),
		     c->scratch->gaddr + 0x40, true);
	attack_cmd(c, WANT(.engine = BCS, .status = MVGPU_FAULT_BAD_REGISTER,
			   .addr_set = true,
			   .addr = MVGPU_ENGINE_BASE(RCS) + MVGPU_CS_GPR(0),
			   .reason = "MI_STORE_REGISTER_MEM register"),
		   true, &cm, "SRM of the other engine's GPR, in a batch");

	cm.len = 0;
	gpu_emit_pipe_control(&cm, 2u << 14, c->scratch->gaddr + 0x40, 0);
	attack_cmd(c, WANT(.engine = RCS, .status = MVGPU_FAULT_BAD_FIELD,
			   .addr_set = true, .addr = 0,
			   .reason = "PIPE_CONTROL post-sync operation 2"),
		   true, &cm, "PIPE_CONTROL post-sync operation 2");

	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x2 = 16;
	b.r.y2 = 4;
	b.r.dst_pitch = 64;
	b.dst = c->scratch->gaddr + 0x100;
	cm.len = 0;
	gpu_emit_blt(&cm, &b);
	cm.dw[0] |= MVGPU_BLT_DST_TILED;
	attack_cmd(c, WANT(.engine = BCS, .status = MVGPU_FAULT_BAD_FIELD,
			   .addr_set = true, .addr = 0,
			   .reason = "blit tiled surface"),
		   false, &cm, "tiled fill");

	/* Gen9 commands the reference engine does not execute */
	cm.len = 0;
	gpu_emit(&cm, 0x7b000005);	/* 3DPRIMITIVE */
	for (int i = 0; i < 6; i++)
		gpu_emit(&cm, 0);
	gpu_emit(&cm, MVGPU_MI_NOOP);
	attack_cmd(c, WANT(.engine = RCS, .status = MVGPU_FAULT_BAD_OPCODE,
			   .addr_set = true, .addr = 0,
			   .reason = "not in the engine's command subset"),
		   true, &cm, "3DPRIMITIVE on the render engine");

	cm.len = 0;
	gpu_emit(&cm, 0x14800002);	/* MI_LOAD_REGISTER_MEM */
	gpu_emit(&cm, MVGPU_REG_IRQ_ENABLE);
	gpu_emit(&cm, (uint32_t)c->scratch->gaddr);
	gpu_emit(&cm, (uint32_t)(c->scratch->gaddr >> 32));
	attack_cmd(c, WANT(.engine = RCS, .status = MVGPU_FAULT_BAD_OPCODE,
			   .addr_set = true, .addr = 0,
			   .reason = "not in the engine's command subset"),
		   false, &cm, "MI_LOAD_REGISTER_MEM (privileged)");

	cm.len = 0;
	gpu_emit(&cm, 0x79000002);	/* 3DSTATE_DRAWING_RECTANGLE, BCS */
	gpu_emit(&cm, 0);
	gpu_emit(&cm, 0);
	gpu_emit(&cm, 0);
	attack_cmd(c, WANT(.engine = BCS, .status = MVGPU_FAULT_BAD_OPCODE,
			   .addr_set = true, .addr = 0,
			   .reason = "not in the engine's command subset"),
		   true, &cm, "3D state command on the blitter");
	gpu_cmds_fini(&cm);
}

static void test_batch_rules(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->a;
	struct gpu_bo *bo, *bo2;
	struct gpu_cmds cm, bb;
	unsigned int i;
	uint64_t at;

	gpu_cmds_init(&cm);
	gpu_cmds_init(&bb);

	/* a batch that chains back to itself */
	bo = gpu_bo_new(g, 4096, 0);
	REQUIRE(bo, "%s", gpu_err());
	gpu_emit_sdi(&bb, c->scratch->gaddr + MARK_IN, 0x2222, true);
	at = bo->gaddr + 4 * bb.len;
	gpu_emit_bb_start(&bb, bo->gaddr, 0);
	GCHECK(gpu_cmds_store(&bb, bo, 0));
	gpu_emit_bb_start(&cm, bo->gaddr, 0);
	attack(c, &WANT(.engine = RCS, .status = FB | MVGPU_FAULT_BATCH_LOOP,
			.instr = MVGPU_MI_BATCH_BUFFER_START,
			.addr_set = true, .addr = bo->gaddr,
			.cmd_set = true, .cmd = at, .reason = "batch loop"),
	       &cm, 0, 0, "batch chaining to itself");

	/* second-level batch from the ring */
	cm.len = 0;
	gpu_emit_bb_start(&cm, bo->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	attack(c, &WANT(.engine = BCS, .status = MVGPU_FAULT_BATCH_DEPTH,
			.instr = cm.dw[0], .addr_set = true, .addr = 0,
			.reason = "second-level batch from the ring"),
	       &cm, 0, 0, "second-level batch from the ring");

	/* second-level from a second-level batch */
	bo2 = gpu_bo_new(g, 4096, 0);
	REQUIRE(bo2, "%s", gpu_err());
	bb.len = 0;
	gpu_emit_sdi(&bb, c->scratch->gaddr + MARK_IN, 0x2222, true);
	gpu_emit_bb_start(&bb, bo2->gaddr, MVGPU_MI_BB_SECOND_LEVEL);
	gpu_emit_bb_end(&bb);
	GCHECK(gpu_cmds_store(&bb, bo, 0));
	bb.len = 0;
	gpu_emit_bb_start(&bb, bo2->gaddr + 0x800, MVGPU_MI_BB_SECOND_LEVEL);
	gpu_emit_bb_end(&bb);
	GCHECK(gpu_cmds_store(&bb, bo2, 0));
	cm.len = 0;
	gpu_emit_bb_start(&cm, bo->gaddr, 0);
	attack(c, &WANT(.engine = RCS, .status = FB | MVGPU_FAULT_BATCH_DEPTH,
			.instr = bb.dw[0], .addr_set = true, .addr = 0,
			.cmd_set = true, .cmd = bo2->gaddr,
			.reason = "second-level batch from a second-level batch"),
	       &cm, 0, 0, "batch nesting too deep");

	/* MI_BATCH_BUFFER_END in the ring */
	cm.len = 0;
	gpu_emit_bb_end(&cm);
	gpu_emit(&cm, MVGPU_MI_NOOP);
	attack(c, &WANT(.engine = BCS, .status = MVGPU_FAULT_BATCH_DEPTH,
			.instr = MVGPU_MI_BATCH_BUFFER_END, .addr_set = true,
			.addr = 0, .reason = "MI_BATCH_BUFFER_END in the ring"),
	       &cm, 0, 0, "MI_BATCH_BUFFER_END in the ring");
	gpu_bo_free(g, bo2);
	gpu_bo_free(g, bo);

	/* more batches than the checker allows: a chain of tiny ones */
	bo = gpu_bo_new(g, CHAIN_BATCHES * 16ull + 4096, 0);
	REQUIRE(bo, "%s", gpu_err());
	bb.len = 0;
	gpu_emit_sdi(&bb, c->scratch->gaddr + MARK_IN, 0x2222, true);
	gpu_emit(&bb, MVGPU_MI_NOOP);
	gpu_emit_bb_start(&bb, bo->gaddr + 32, 0);
	/* batch i + 1 at 32 + 16 * i: a jump to the next one, a no-op */
	for (i = 0; i < CHAIN_BATCHES; i++) {
		gpu_emit_bb_start(&bb, bo->gaddr + 32 + 16ull * (i + 1), 0);
		gpu_emit(&bb, MVGPU_MI_NOOP);
	}
	gpu_emit_bb_end(&bb);
	GCHECK(gpu_cmds_store(&bb, bo, 0));
	cm.len = 0;
	gpu_emit_bb_start(&cm, bo->gaddr, 0);
	/* the 1025th batch does not fit: its start command is reported */
	attack(c, &WANT(.engine = BCS, .status = FB | MVGPU_FAULT_SCAN_LIMIT,
			.instr = MVGPU_MI_BATCH_BUFFER_START, .addr_set = true,
			.addr = 0, .cmd_set = true,
			.cmd = bo->gaddr + 32 + 16ull * 1022,
			.reason = "batches over the limit"),
	       &cm, 0, 0, "1100 chained batches: over the batch limit");
	gpu_bo_free(g, bo);
	gpu_cmds_fini(&bb);
	gpu_cmds_fini(&cm);
}

static void test_ring_rules(void *arg)
{
	struct ctx *c = arg;
	struct gpu_cmds cm;

	/* RING_TAIL in the middle of a command */
	gpu_cmds_init(&cm);
	gpu_emit_sdi(&cm, c->scratch->gaddr + 0x40, 1, true);
	attack(c, &WANT(.engine = RCS, .status = MVGPU_FAULT_RING,
			.instr = cm.dw[0], .addr_set = true, .addr = 0,
			.reason = "ring command past the tail"),
	       &cm, 2, 0, "RING_TAIL in the middle of a command");

	/* RING_TAIL beyond the ring: the whole submission is rejected */
	attack(c, &WANT(.engine = BCS, .status = MVGPU_FAULT_RING, .instr = 0,
			.addr_set = true, .addr = c->a.ring[BCS].bo->gaddr,
			.cmd_set = true, .cmd = c->a.ring[BCS].bo->gaddr,
			.no_prefix = true, .reason = "ring registers"),
	       &cm, 0, RING_SIZE, "RING_TAIL beyond the ring");
	gpu_cmds_fini(&cm);
}

/* ---- TOCTOU ---------------------------------------------------------------- */

/* Dword index in the TOCTOU batch of store @i's value (address: - 2). */
static unsigned int toc_val(unsigned int i)
{
	/* store 0, then a 4-dword semaphore wait, then the others */
	return i ? 8 + 4 * (i - 1) + 3 : 3;
}

/**
 * struct toc - the rewriting thread's orders
 * @batch: the batch's memory
 * @out: the stores' targets; out[TOC_STORES] is the semaphore
 * @mode: 0: rewrite the values once the first store has landed, a whole
 *	pass before releasing the semaphore that holds the other stores;
 *	1: flip the values and the last store's address from the start
 * @first: the value of the first store (mode 0: start when seen)
 * @stop: end the rewriting
 * @rewrites: rounds of rewriting done
 * @legal: mode 1: the last store's legal address; @illegal: outside
 */
struct toc {
	volatile uint32_t *batch;
	volatile uint32_t *out;
	int mode;
	uint32_t first;
	volatile int stop;
	volatile uint64_t rewrites;
	uint32_t legal, illegal;
};

static void *toc_thread(void *arg)
{
	struct toc *t = arg;
	uint32_t k = 0;
	unsigned int i;

	if (t->mode == 0)
		while (!t->stop && t->out[0] != t->first)
			;
	else
		t->out[TOC_STORES] = 1;
	while (!t->stop) {
		k++;
		for (i = 0; i < TOC_STORES; i++)
			t->batch[toc_val(i)] = t->first + (k << 16);
		if (t->mode == 1)
			t->batch[toc_val(TOC_STORES - 1) - 2] =
				k & 1 ? t->illegal : t->legal;
		__atomic_add_fetch(&t->rewrites, 1, __ATOMIC_RELAXED);
		/* mode 0: the engine waits for one whole rewrite */
		t->out[TOC_STORES] = 1;
	}
	return NULL;
}

/*
 * A batch of TOC_STORES stores of the same value, rewritten in guest memory
 * by a second thread as fast as it can:
 *  - mode 0 from the moment the first store landed (the whole batch was
 *    checked and copied before that; the other stores wait on a semaphore
 *    until the batch has been rewritten whole at least once): every slot
 *    must hold the first value -- the engine never reads the rewritten
 *    batch;
 *  - mode 1 from before the doorbell, flipping the values and the last
 *    store's address between a legal slot and an address beyond the GGTT
 *    slice: a run either is rejected whole (no slot written, counted in
 *    scan_rejects) or completes, each slot holding a value the batch held;
 *    a fault after some stores ran would mean a command other than the
 *    checked one ran.
 */
static void test_toctou(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->a;
	struct gpu_bo *bb, *out;
	struct gpu_cmds cm;
	unsigned int run, i, mode, rejected = 0, completed = 0;
	uint64_t rej0;

	bb = gpu_bo_new(g, TOC_STORES * 16 + 4096, 0);
	out = gpu_bo_new(g, TOC_STORES * 4 + 4096, 0);
	REQUIRE(bb && out, "%s", gpu_err());
	gpu_cmds_init(&cm);
	for (mode = 0; mode < 2; mode++) {
		for (run = 0; run < TOC_RUNS && !tap_cur_failed; run++) {
			struct toc t = {
				.batch = bb->cpu,
				.out = out->cpu,
				.mode = mode,
				.first = 0x100 + run * 2 + mode,
				.legal = (uint32_t)out->gaddr + 4 * (TOC_STORES - 1),
				/* below 4 GiB, outside the slice */
				.illegal = (uint32_t)(g->ggtt_base >= 4096 ?
						      g->ggtt_base - 4096 :
						      g->ggtt_base + g->ggtt_size),
			};
			unsigned int bad = 0, unknown = 0, written = 0;
			struct gpu_fault f;
			pthread_t th;
			uint32_t seq;
			int ret;

			memset(out->cpu, 0, TOC_STORES * 4 + 4);
			cm.len = 0;
			for (i = 0; i < TOC_STORES; i++) {
				gpu_emit_sdi(&cm, out->gaddr + 4 * i, t.first,
					     true);
				if (!i)
					gpu_emit_sem_wait(&cm, MVGPU_SEM_EQ, 1,
							  out->gaddr +
							  4 * TOC_STORES, true);
				REQUIRE(cm.dw[toc_val(i)] == t.first,
					"batch layout");
			}
			gpu_emit_bb_end(&cm);
			GREQ(gpu_cmds_store(&cm, bb, 0));
			rej0 = rejects(c, 0);
			REQUIRE(!pthread_create(&th, NULL, toc_thread, &t),
				"pthread_create");
			/* mode 1: the rewriting has begun before the doorbell */
			while (mode == 1 && !t.rewrites)
				;
			ret = gpu_submit_batch(g, RCS, bb->gaddr, 0, &seq);
			if (!ret)
				ret = gpu_wait_seqno(g, RCS, seq, GPU_WAIT_MS);
			t.stop = 1;
			pthread_join(th, NULL);
			for (i = 0; i < TOC_STORES; i++) {
				uint32_t v = *u32p(out, 4 * i);

				written += v != 0;
				if (mode == 0)
					bad += v != t.first;
				else if (v && (v & 0xffff) != t.first)
					unknown++;
			}
			if (mode == 0) {
				CHECK(!ret, "run %u: %s", run, gpu_err());
				CHECK_EQ(bad, 0,
					 "run %u: slots not holding the checked value (rewrites %llu)",
					 run, (unsigned long long)t.rewrites);
				CHECK(t.rewrites > 0, "run %u: never rewritten",
				      run);
				completed++;
				continue;
			}
			CHECK_EQ(unknown, 0, "run %u: values never in the batch",
				 run);
			if (!ret) {
				completed++;
				CHECK_EQ(written, TOC_STORES,
					 "run %u: completed, but slots unwritten",
					 run);
				CHECK_EQ(rejects(c, 0), rej0,
					 "run %u: completed and rejected", run);
				continue;
			}
			/* halted: it must have been the checker, before any store */
			GCHECK(gpu_fault_read(g, RCS, &f));
			CHECK_EQ(f.status & MVGPU_FAULT_TYPE_MASK,
				 MVGPU_FAULT_GGTT_RANGE, "run %u: fault type",
				 run);
			CHECK_EQ(written, 0,
				 "run %u: %u stores ran before a fault: a command other than the checked one ran",
				 run, written);
			CHECK_EQ(rejects(c, 0), rej0 + 1,
				 "run %u: fault not from the checker", run);
			rejected++;
			GCHECK(gpu_engine_reset(g, RCS));
			g->ring[RCS].tail = 0;
			GCHECK(gpu_erd(g, RCS, MVGPU_RING_HEAD,
				       &g->ring[RCS].tail));
		}
		tap_diag("mode %u: %u runs completed, %u rejected", mode,
			 completed, rejected);
		completed = rejected = 0;
	}
	gpu_cmds_fini(&cm);
}

/* ---- write prediction -------------------------------------------------------- */

static void test_write_prediction(void *arg)
{
	struct ctx *c = arg;
	struct gpu_wpred w;

	REQUIRE(c->wpred_armed, "write prediction check not armed: %s",
		c->wpred_err);
	REQUIRE(gpu_wpred_read(&w) == 0, "%s", gpu_err());
	tap_diag("write prediction: %llu workloads (%llu unchecked), %llu pages predicted, %llu written, %llu misses",
		 (unsigned long long)w.workloads,
		 (unsigned long long)w.unchecked,
		 (unsigned long long)w.predicted,
		 (unsigned long long)w.written,
		 (unsigned long long)w.misses);
	CHECK(w.workloads > 0 && w.written > 0, "nothing checked");
	CHECK_EQ(w.misses, 0, "pages written but not predicted (first: %s)",
		 w.first_miss);
	gpu_wpred_disarm();
}

int main(int argc, char **argv)
{
	static const struct tap_test tests[] = {
		{ "rejected: stores, post-syncs, blits outside the vGPU's memory",
		  test_translation_rules },
		{ "rejected: registers, fields, commands not executed",
		  test_register_and_field_rules },
		{ "rejected: batch loop, nesting, MI_BATCH_BUFFER_END, limits",
		  test_batch_rules },
		{ "rejected: ring tails", test_ring_rules },
		{ "TOCTOU: batch rewritten while submitted and run",
		  test_toctou },
		{ "write prediction covered every page written",
		  test_write_prediction },
	};
	struct ctx c = { .uuid = { NULL, NULL } };
	unsigned int i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <vgpu-uuid-a> <vgpu-uuid-b>\n",
			argv[0]);
		return KSFT_FAIL;
	}
	for (i = 0; i < 2; i++) {
		c.uuid[i] = argv[1 + i];
		if (!mv_sysfs_exists(c.uuid[i], NULL)) {
			printf("TAP version 13\nBail out! no vGPU %s in %s\n",
			       c.uuid[i], MV_MDEV_SYSFS);
			return KSFT_FAIL;
		}
	}
	gpu_init(&c.a);
	gpu_init(&c.b);
	c.cookie = gpu_now_ns() ^ ((uint64_t)getpid() << 32);
	tap_diag("seed 0x%llx", (unsigned long long)c.cookie);
	c.wpred_armed = !gpu_wpred_arm(c.uuid[0]);
	if (!c.wpred_armed)
		snprintf(c.wpred_err, sizeof(c.wpred_err), "%s", gpu_err());
	return tap_run(tests, TAP_ARRAY_SIZE(tests), &c, setup, teardown);
}
