// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the command scanner (gvt/scan.c, gvt/cmd_table.c): the Gen9
 * tables, a known good and a known bad stream for every rule (each also
 * run on the executor, which must agree), shadows and TOCTOU, batch
 * chains, loops and reuse, limits and allocation failures, the write set,
 * the strict PPGTT rule, generated streams against the executor, and the
 * mvgpu-decode tool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scan_world.h"
#include "unit.h"

#define GG		MVGPU_XLATE_GGTT
#define PP		MVGPU_XLATE_PPGTT
#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define FV		MVGPU_FAULT_VALID
#define FW		MVGPU_FAULT_WRITE
#define FP		MVGPU_FAULT_PPGTT
#define FB		MVGPU_FAULT_IN_BATCH
#define FCP		MVGPU_FAULT_CMD_PPGTT

#define RING		FAKE_RING_GADDR
#define GD		WORLD_GDATA
#define PD		WORLD_PDATA
#define GB		WORLD_GBATCH
#define PB		WORLD_PBATCH
#define PAGE(base, n)	((base) + (n) * FAKE_PAGE)

#define LO(a)		((u32)(a))
#define HI(a)		((u32)((u64)(a) >> 32))
#define GPR(e, n)	(MVGPU_ENGINE_BASE(e) + MVGPU_CS_GPR(n))

#define SDI_G(a, v)	MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,	\
			LO(a), HI(a), (v)
#define SDI_P(a, v)	MVGPU_MI_STORE_DATA_IMM, LO(a), HI(a), (v)
#define SDI_QG(a, v)	MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT,	\
			LO(a), HI(a), LO(v), HI(v)
#define BBS_G(a)	MVGPU_MI_BATCH_BUFFER_START, LO(a), HI(a)
#define BBS_P(a)	MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT,	\
			LO(a), HI(a)
#define BBS2_G(a)	MVGPU_MI_BATCH_BUFFER_START |			\
			MVGPU_MI_BB_SECOND_LEVEL, LO(a), HI(a)
#define BBS2_P(a)	MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT |	\
			MVGPU_MI_BB_SECOND_LEVEL, LO(a), HI(a)
#define BBE		MVGPU_MI_BATCH_BUFFER_END
#define PC(fl, a)	MVGPU_PIPE_CONTROL, (fl), LO(a), HI(a), 1, 2
#define BR13(d, rop, p)	(MVGPU_BR13_DEPTH_##d | MVGPU_BR13_ROP(rop) | (p))
#define FILL(d, p, x1, y1, x2, y2, a)					\
	MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA | MVGPU_BLT_WRITE_RGB, \
	BR13(d, MVGPU_ROP_PATCOPY, p), MVGPU_BLT_XY(x1, y1),		\
	MVGPU_BLT_XY(x2, y2), LO(a), HI(a), 0x11223344

/* A world with an empty ring at offset 0 on @engine. */
static struct world *tw_new(unsigned int engine)
{
	struct world *w = world_new();
	u8 cfg[WORLD_CFG_BYTES] = { engine == BCS ? WORLD_CFG_BCS : 0 };

	world_load(w, cfg, sizeof(cfg));
	fake_ring_seek(w->f, 0);
	return w;
}

static int tw_scan(struct world *w)
{
	return world_scan(w);
}

/* Scan, check the verdict, and make sure the executor agrees. */
#define EXPECT_REJECT(w, _status, _instr, _addr, _cmd) do {		\
	const struct mvgpu_exec_fault *_v = &(w)->wl.verdict.fault;	\
	EXPECT(tw_scan(w) == -EPERM);					\
	EXPECT_EQ(_v->status, (_status));				\
	EXPECT_EQ(_v->instr, (_instr));					\
	EXPECT_EQ(_v->addr, (_addr));					\
	EXPECT_EQ(_v->cmd_addr, (_cmd));				\
	EXPECT_EQ(world_check(w), WORLD_SAME_FAULT);			\
	if ((w)->msg[0])						\
		printf("# %s\n", (w)->msg);				\
} while (0)

#define EXPECT_ACCEPT(w) do {						\
	EXPECT_EQ(tw_scan(w), 0);					\
	if ((w)->wl.verdict.fault.status)				\
		printf("# rejected: %s\n", (w)->wl.verdict.reason);	\
	EXPECT_EQ(world_check(w), WORLD_SAME_OK);			\
	if ((w)->msg[0])						\
		printf("# %s\n", (w)->msg);				\
} while (0)

/* One bad ring command (padded with MI_NOOP) on @engine. */
static void one_bad(unsigned int engine, unsigned int n, const u32 *dw,
		    u32 status, u64 addr, const char *reason)
{
	struct world *w = tw_new(engine);

	fake_emit(w->f, n, dw);
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | status, dw[0], addr, RING);
	if (reason && strcmp(w->wl.verdict.reason, reason)) {
		unit_failures++;
		printf("# reason '%s', expected '%s'\n", w->wl.verdict.reason,
		       reason);
	}
	world_free(w);
}

#define BAD(e, st, addr, reason, ...)					\
	one_bad((e), FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__), (st),	\
		(addr), (reason))

/* Write ranges contain [a, a + n). */
static bool has_write(const struct mvgpu_scan_workload *wl, u32 space, u64 a,
		      u64 n)
{
	u32 i;

	for (i = 0; i < wl->nr_ranges; i++)
		if (wl->ranges[i].space == space && wl->ranges[i].gaddr <= a &&
		    wl->ranges[i].gaddr + wl->ranges[i].len >= a + n)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

static void test_table(void)
{
	static const struct {
		u32 h;
		const char *name;
		unsigned int len;
	} t[] = {
		{ 0x78100007, "3DSTATE_VS", 9 },
		{ 0x69040000, "PIPELINE_SELECT", 1 },
		{ 0x680b0001, "3DSTATE_VF_STATISTICS", 1 },
		{ 0x61010011, "STATE_BASE_ADDRESS", 19 },
		{ 0x60030000, "STATE_PREFETCH", 2 },
		{ 0x71000004, "MEDIA_OBJECT", 6 },
		{ 0x70000107, "MEDIA_VFE_STATE", 0x109 },
		{ 0x7b000005, "3DPRIMITIVE", 7 },
		{ 0x791d0001, "3DSTATE_URB_CLEAR", 3 },
		{ 0x78550003, "3DSTATE_COMPONENT_PACKING", 5 },
		{ 0x7a000004, "PIPE_CONTROL", 6 },
		{ 0x14800002, "MI_LOAD_REGISTER_MEM", 4 },
		{ 0x11000001, "MI_LOAD_REGISTER_IMM", 3 },
		{ 0x13000003, "MI_FLUSH_DW", 5 },
		{ 0x10000203, "MI_STORE_DATA_IMM", 0x205 },
		{ 0x05000000, "MI_BATCH_BUFFER_END", 1 },
		{ 0x1b000002, "MI_CONDITIONAL_BATCH_BUFFER_END", 4 },
		{ 0x54c00008, "XY_SRC_COPY_BLT", 10 },
		{ 0x50c00004, "SRC_COPY_BLT", 6 },
		{ 0x40400003, "XY_SETUP_BLT", 5 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const struct mvgpu_cmd_desc *d = mvgpu_cmd_lookup(t[i].h);

		EXPECT(d && d->name && !strcmp(d->name, t[i].name));
		EXPECT_EQ(mvgpu_cmd_length(t[i].h), t[i].len);
	}
	/* unknown MI opcode 0x15, clients 1 and 5, unnamed 3D: length known */
	EXPECT(!mvgpu_cmd_lookup(0x0a800000));
	EXPECT_EQ(mvgpu_cmd_length(0x0a800000), 0);
	EXPECT(!mvgpu_cmd_lookup(0x20000000));
	EXPECT(!mvgpu_cmd_lookup(0xa0000000));
	EXPECT(mvgpu_cmd_lookup(0x78ff0003) && !mvgpu_cmd_lookup(0x78ff0003)->name);
	EXPECT_EQ(mvgpu_cmd_length(0x78ff0003), 5);
	/* the executed rows identify exactly the uapi headers */
	{
		static const struct { u32 h; u8 id; } x[] = {
			{ MVGPU_MI_NOOP, MVGPU_CMD_NOOP },
			{ MVGPU_MI_USER_INTERRUPT, MVGPU_CMD_USER_INTERRUPT },
			{ MVGPU_MI_ARB_CHECK, MVGPU_CMD_ARB_CHECK },
			{ MVGPU_MI_BATCH_BUFFER_END, MVGPU_CMD_BB_END },
			{ MVGPU_MI_SEMAPHORE_WAIT, MVGPU_CMD_SEMAPHORE_WAIT },
			{ MVGPU_MI_STORE_DATA_IMM_QW, MVGPU_CMD_STORE_DATA_IMM },
			{ MVGPU_MI_LOAD_REGISTER_IMM(3), MVGPU_CMD_LRI },
			{ MVGPU_MI_STORE_REGISTER_MEM, MVGPU_CMD_SRM },
			{ MVGPU_MI_FLUSH_DW_QW, MVGPU_CMD_FLUSH_DW },
			{ MVGPU_MI_BATCH_BUFFER_START, MVGPU_CMD_BB_START },
			{ MVGPU_PIPE_CONTROL, MVGPU_CMD_PIPE_CONTROL },
			{ MVGPU_XY_COLOR_BLT, MVGPU_CMD_COLOR_BLT },
			{ MVGPU_XY_SRC_COPY_BLT, MVGPU_CMD_SRC_COPY_BLT },
			{ MVGPU_XY_FAST_COPY_BLT, MVGPU_CMD_FAST_COPY_BLT },
		};

		for (i = 0; i < ARRAY_SIZE(x); i++) {
			const struct mvgpu_cmd_desc *d = mvgpu_cmd_lookup(x[i].h);

			EXPECT(d && d->id == x[i].id && d->exec &&
			       (x[i].h & d->exec->mask) == d->exec->value);
		}
	}
}

static void test_good_mixed(void)
{
	struct world *w = tw_new(RCS);
	struct fake *f = w->f;
	u8 *ring;

	EMIT(f, MVGPU_MI_NOOP, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_ARB_CHECK);
	EMIT(f, SDI_G(PAGE(GD, 0) + 8, 1), SDI_P(PAGE(PD, 1) + 12, 2));
	EMIT(f, SDI_QG(PAGE(GD, 2) + 16, 0x1234567890ull));
	EMIT(f, MVGPU_MI_LOAD_REGISTER_IMM(2), GPR(RCS, 0), 5,
	     GPR(RCS, 15) + 4, 6);
	EMIT(f, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, GPR(RCS, 0),
	     LO(PAGE(GD, 3)), HI(PAGE(GD, 3)));
	EMIT(f, MVGPU_MI_STORE_REGISTER_MEM,
	     MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TIMESTAMP_HI,
	     LO(PAGE(PD, 4)), HI(PAGE(PD, 4)));
	EMIT(f, PC(MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT, PAGE(GD, 9)));
	EMIT(f, PC(MVGPU_PC_OP_TS, PAGE(PD, 9) + 8));
	EMIT(f, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_GGTT |
	     MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_GTE), 0, LO(PAGE(GD, 10)),
	     HI(PAGE(GD, 10)));
	fake_submit(f);
	EXPECT_EQ(tw_scan(w), 0);
	if (!w->wl.buf) {
		printf("# rejected: %s\n", w->wl.verdict.reason);
		world_free(w);
		return;
	}
	EXPECT_EQ(w->wl.cmds, 13);	/* + the padding MI_NOOP */
	EXPECT_EQ(w->wl.ring_len, f->ring.tail);
	ring = fake_gptr(f, GG, RING);
	EXPECT(!memcmp(w->wl.buf, ring, w->wl.ring_len));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 0) + 8, 4));
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 1) + 12, 4));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 2) + 16, 8));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 3), 4));
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 4), 4));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 9), 8));
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 9) + 8, 8));
	EXPECT(has_write(&w->wl, GG, FAKE_HWS_GADDR, 4));
	/* nothing else: GD 0 and 2..3 merge only if adjacent (0 and 2 not) */
	EXPECT(!has_write(&w->wl, GG, PAGE(GD, 1), 1));
	EXPECT(!has_write(&w->wl, GG, PAGE(GD, 10), 1));
	EXPECT_EQ(w->wl.nr_ranges, 7);
	EXPECT_EQ(world_check(w), WORLD_SAME_OK);
	world_free(w);

	w = tw_new(BCS);
	f = w->f;
	EMIT(f, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
	     LO(PAGE(GD, 0)) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(PAGE(GD, 0)), 7);
	EMIT(f, MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_TS,
	     LO(PAGE(PD, 0)), HI(PAGE(PD, 0)), 0, 0);
	EMIT(f, MVGPU_MI_FLUSH_DW, 0, 0, 0);	/* no post-sync: no address */
	EMIT(f, FILL(32, 256, 0, 0, 64, 4, PAGE(PD, 8)));
	fake_submit(f);
	EXPECT_ACCEPT(w);
	world_free(w);
}

static void test_bad_commands(void)
{
	const u32 reg_bad = GPR(BCS, 0);

	BAD(RCS, MVGPU_FAULT_BAD_OPCODE, 0, "unknown opcode", 0x0a800000);
	BAD(RCS, MVGPU_FAULT_BAD_OPCODE, 0,
	    "not in the engine's command subset", 0x14800002, 0x2600, 0, 0);
	BAD(RCS, MVGPU_FAULT_BAD_OPCODE, 0, NULL, 0x78100007, 0, 0, 0, 0, 0,
	    0, 0, 0);
	BAD(RCS, MVGPU_FAULT_BAD_OPCODE, 0, NULL, 0x20000000);
	BAD(RCS, MVGPU_FAULT_BAD_ENGINE, 0, "command not on this engine",
	    MVGPU_MI_FLUSH_DW, 0, 0, 0);
	BAD(BCS, MVGPU_FAULT_BAD_ENGINE, 0, NULL, PC(0, 0));
	BAD(RCS, MVGPU_FAULT_BAD_ENGINE, 0, NULL,
	    FILL(32, 256, 0, 0, 1, 1, PAGE(GD, 0)));
	BAD(RCS, MVGPU_FAULT_BAD_LENGTH, 0, "length field",
	    MVGPU_MI_STORE_DATA_IMM + 2, 0, 0, 0, 0, 0);
	BAD(RCS, MVGPU_FAULT_BAD_LENGTH, 0, NULL,
	    MVGPU_MI_LOAD_REGISTER_IMM(1) + 1, GPR(RCS, 0), 0, 0);
	BAD(RCS, MVGPU_FAULT_BAD_LENGTH, 0, NULL, MVGPU_PIPE_CONTROL + 1, 0,
	    0, 0, 0, 0, 0);
	BAD(RCS, MVGPU_FAULT_BATCH_DEPTH, 0, "MI_BATCH_BUFFER_END in the ring",
	    BBE);
	BAD(RCS, MVGPU_FAULT_BATCH_DEPTH, 0, "second-level batch from the ring",
	    BBS2_G(GB));
	BAD(BCS, MVGPU_FAULT_BAD_REGISTER, reg_bad - 0x20000,
	    "MI_LOAD_REGISTER_IMM register", MVGPU_MI_LOAD_REGISTER_IMM(2),
	    GPR(BCS, 1), 1, reg_bad - 0x20000, 2);
	BAD(RCS, MVGPU_FAULT_BAD_REGISTER, GPR(RCS, 0) + 2, NULL,
	    MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 0) + 2, 0);
	BAD(RCS, MVGPU_FAULT_BAD_REGISTER, MVGPU_ENGINE_BASE(RCS) +
	    MVGPU_RING_TAIL, "MI_STORE_REGISTER_MEM register",
	    MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	    MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TAIL, LO(GD), HI(GD));
	BAD(BCS, MVGPU_FAULT_BAD_FIELD, 0, "MI_FLUSH_DW post-sync operation 2",
	    MVGPU_MI_FLUSH_DW | (2u << 14), LO(GD) | 4, 0, 0);
	BAD(RCS, MVGPU_FAULT_BAD_FIELD, 0, "PIPE_CONTROL post-sync operation 2",
	    PC(2u << 14 | MVGPU_PC_USE_GGTT, GD));
	BAD(RCS, MVGPU_FAULT_BAD_FIELD | FW, GD + 4,
	    "qword write not 8-byte aligned", SDI_QG(GD + 4, 0));
	BAD(RCS, MVGPU_FAULT_BAD_FIELD | FW | FP, PD + 4, NULL,
	    PC(MVGPU_PC_OP_STORE, PD + 4));
	BAD(RCS, MVGPU_FAULT_BAD_FIELD, 0,
	    "MI_SEMAPHORE_WAIT compare operation",
	    MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_OP(6), 0, LO(PD),
	    HI(PD));
}

static void test_bad_addresses(void)
{
	u64 ro = PAGE(GD, WORLD_PAGE_RO), ab = PAGE(GD, WORLD_PAGE_ABSENT);
	u64 nd = PAGE(GD, WORLD_PAGE_NODMA);
	struct world *w;

	BAD(RCS, MVGPU_FAULT_GGTT_RANGE | FW, 0x1000,
	    "MI_STORE_DATA_IMM target", SDI_G(0x1000, 0));
	BAD(RCS, MVGPU_FAULT_GGTT_UNMAPPED | FW, ab + 8, NULL,
	    SDI_G(ab + 8, 0));
	BAD(RCS, MVGPU_FAULT_READ_ONLY | FW, ro, NULL, SDI_G(ro, 0));
	BAD(RCS, MVGPU_FAULT_DMA | FW, nd + 4, NULL, SDI_G(nd + 4, 0));
	BAD(RCS, MVGPU_FAULT_READ_ONLY | FW, GB, NULL, SDI_G(GB, 0));
	BAD(RCS, MVGPU_FAULT_PPGTT_UNMAPPED | FW | FP, 0x400000000000ull,
	    NULL, SDI_P(0x400000000000ull, 0));
	BAD(RCS, MVGPU_FAULT_READ_ONLY | FW | FP, PAGE(PD, WORLD_PAGE_RO),
	    NULL, SDI_P(PAGE(PD, WORLD_PAGE_RO), 0));
	BAD(RCS, MVGPU_FAULT_GGTT_UNMAPPED, ab,
	    "MI_SEMAPHORE_WAIT address", MVGPU_MI_SEMAPHORE_WAIT |
	    MVGPU_MI_SEMAPHORE_GGTT | MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_GTE), 0,
	    LO(ab), HI(ab));
	BAD(RCS, MVGPU_FAULT_READ_ONLY | FW, ro, "MI_STORE_REGISTER_MEM target",
	    MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, GPR(RCS, 3),
	    LO(ro), HI(ro));
	BAD(BCS, MVGPU_FAULT_GGTT_UNMAPPED | FW, ab,
	    "MI_FLUSH_DW post-sync target",
	    MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
	    LO(ab) | MVGPU_MI_FLUSH_DW_USE_GGTT, 0, 0);

	/* no PPGTT */
	w = tw_new(RCS);
	w->f->ring.ctx_desc = 0;
	EMIT(w->f, SDI_P(PD, 1));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_NO_PPGTT | FW | FP,
		      MVGPU_MI_STORE_DATA_IMM, PD, RING);
	world_free(w);

	/* status page not writable when the ring runs dry */
	w = tw_new(RCS);
	w->f->ring.hws = PAGE(GD, WORLD_PAGE_RO) | MVGPU_RING_HWS_VALID;
	EMIT(w->f, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_READ_ONLY | FW, 0,
		      PAGE(GD, WORLD_PAGE_RO), RING + 8);
	world_free(w);
}

static void test_ring(void)
{
	struct world *w = tw_new(RCS);
	struct fake *f = w->f;

	/* a command running past the tail */
	EMIT(f, MVGPU_MI_NOOP, SDI_G(GD, 1), MVGPU_MI_NOOP);
	f->ring.tail = 8;
	EXPECT_REJECT(w, FV | MVGPU_FAULT_RING, MVGPU_MI_STORE_DATA_IMM |
		      MVGPU_MI_USE_GGTT, 0, RING + 4);
	world_free(w);

	/* invalid registers: tail not 8-aligned, beyond the ring */
	w = tw_new(RCS);
	w->f->ring.tail = 12;
	EXPECT_REJECT(w, FV | MVGPU_FAULT_RING, 0, RING, RING);
	w->f->ring.tail = FAKE_RING_SIZE;
	mvgpu_exec_state_reset(&w->f->st, RCS);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_RING, 0, RING, RING);
	world_free(w);

	/* commands wrap around the ring's end */
	w = tw_new(RCS);
	fake_ring_seek(w->f, FAKE_RING_SIZE - 8);
	EMIT(w->f, SDI_G(PAGE(GD, 1), 3), SDI_G(PAGE(GD, 2), 4));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->wl.cmds, 2);
	EXPECT_EQ(w->wl.ring_len, 32);
	EXPECT_ACCEPT(w);
	world_free(w);
}

static void test_blits(void)
{
	u64 ab = PAGE(GD, WORLD_PAGE_ABSENT);
	struct world *w;
	u32 i;

	BAD(BCS, MVGPU_FAULT_BAD_FIELD, 0, "blit tiled surface",
	    MVGPU_XY_COLOR_BLT | MVGPU_BLT_DST_TILED,
	    BR13(32, MVGPU_ROP_PATCOPY, 64), 0, 0x10001, LO(GD), HI(GD), 0);
	BAD(BCS, MVGPU_FAULT_BAD_FIELD, 0, "blit raster operation",
	    MVGPU_XY_COLOR_BLT, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0, 0x10001,
	    LO(GD), HI(GD), 0);
	BAD(BCS, MVGPU_FAULT_BAD_FIELD, 0, "blit pitch not positive",
	    MVGPU_XY_SRC_COPY_BLT, BR13(8, MVGPU_ROP_SRCCOPY, 64), 0, 0x10001,
	    LO(GD), HI(GD), 0, 0x8040, LO(GD), HI(GD));
	BAD(BCS, MVGPU_FAULT_BAD_FIELD, 0, "XY_FAST_COPY_BLT colour depth",
	    MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_DEPTH(2) | 64, 0, 0x10001,
	    LO(GD), HI(GD), 0, 64, LO(GD), HI(GD));
	BAD(BCS, MVGPU_FAULT_BAD_FIELD | FW | FP, PD,
	    "blit destination span over the limit",
	    FILL(32, 0x4000, 0, 0, 16, 0x1001, PD));
	BAD(BCS, MVGPU_FAULT_BAD_FIELD | FP, PD + 64,
	    "blit source span over the limit",
	    MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_DEPTH(0) | 64, 0,
	    MVGPU_BLT_XY(4, 4), LO(PD), HI(PD), MVGPU_BLT_XY(0, 0x1001),
	    0x4000, LO(PD + 64), HI(PD + 64));
	/* pitch 1, rows overlap: the span is small, the bytes are not */
	BAD(BCS, MVGPU_FAULT_BAD_FIELD | FW | FP, PD,
	    "blit size over the limit", FILL(32, 1, 0, 0, 0x2000, 0x2001, PD));

	/* the third row reaches the absent page: fault on its first byte */
	w = tw_new(BCS);
	w->f->ring.ctx_desc = 0;	/* blits in the GGTT */
	EMIT(w->f, FILL(8, 2 * FAKE_PAGE, 16, 0, 32, 4, PAGE(GD, 2)));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_GGTT_UNMAPPED | FW,
		      MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA |
		      MVGPU_BLT_WRITE_RGB, ab + 16, RING);
	world_free(w);

	/* a copy whose source row crosses into a page without DMA */
	w = tw_new(BCS);
	EMIT(w->f, MVGPU_XY_SRC_COPY_BLT, BR13(8, MVGPU_ROP_SRCCOPY, 64),
	     0, MVGPU_BLT_XY(64, 2), LO(PAGE(PD, 0)), HI(PAGE(PD, 0)), 0, 64,
	     LO(PAGE(PD, WORLD_PAGE_NODMA) + 8),
	     HI(PAGE(PD, WORLD_PAGE_NODMA)));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_DMA | FP, MVGPU_XY_SRC_COPY_BLT,
		      PAGE(PD, WORLD_PAGE_NODMA) + 8, RING);
	world_free(w);

	/* good: four rows far apart are four ranges, each row exact */
	w = tw_new(BCS);
	EMIT(w->f, FILL(8, 2 * FAKE_PAGE, 0, 0, 100, 4, PAGE(PD, 8) + 50));
	/* a 32 bpp blit without channels writes nothing: no range */
	EMIT(w->f, MVGPU_XY_COLOR_BLT, BR13(32, MVGPU_ROP_PATCOPY, 64), 0,
	     MVGPU_BLT_XY(1, 1), LO(PAGE(PD, WORLD_PAGE_RO)),
	     HI(PAGE(PD, WORLD_PAGE_RO)), 0);
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	for (i = 0; i < 4; i++)
		EXPECT(has_write(&w->wl, PP, PAGE(PD, 8 + 2 * i) + 50, 100));
	EXPECT(!has_write(&w->wl, PP, PAGE(PD, 9), 1));
	EXPECT(!has_write(&w->wl, PP, PAGE(PD, WORLD_PAGE_RO), 1));
	EXPECT_EQ(w->wl.nr_ranges, 5);	/* + the status page */
	EXPECT_EQ(world_check(w), WORLD_SAME_OK);
	world_free(w);

	/* many rows far apart: one conservative range over the span */
	w = tw_new(BCS);
	fake_ppgtt_back(w->f, 0x500000000ull, 40 * FAKE_PAGE);
	EMIT(w->f, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_DEPTH(0) | 0x2000, 0,
	     MVGPU_BLT_XY(16, 18), LO(0x500000000ull), HI(0x500000000ull), 0,
	     16, LO(PAGE(PD, 8)), HI(PAGE(PD, 8)));
	fake_submit(w->f);
	w->sc.limits.max_ranges = 2;
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->wl.nr_ranges, 2);
	EXPECT(has_write(&w->wl, PP, 0x500000000ull, 17 * 0x2000 + 16));
	EXPECT_ACCEPT(w);
	world_free(w);
}

/* Ring -> A (GGTT) -> call X (PPGTT) -> back in A -> end. */
static void test_batches(void)
{
	struct world *w = tw_new(RCS);
	struct fake *f = w->f;
	const struct mvgpu_scan_batch *a, *x, *cont;
	struct fake_batch b;
	u64 xa = PB + 0x1000;
	u32 *guest;

	fake_batch_init(&b, f, GG, GB);
	BATCH(&b, SDI_G(PAGE(GD, 0), 1), BBS2_P(xa), SDI_G(PAGE(GD, 1), 2),
	      BBE);
	fake_batch_init(&b, f, PP, xa);
	BATCH(&b, SDI_P(PAGE(PD, 0), 3), BBE);
	EMIT(f, BBS_G(GB), MVGPU_MI_NOOP);
	fake_submit(f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->wl.cmds, 8);
	EXPECT_EQ(w->wl.nr_batches, 3);
	a = mvgpu_scan_find_batch(&w->wl, GG, GB);
	x = mvgpu_scan_find_batch(&w->wl, PP, xa);
	cont = mvgpu_scan_find_batch(&w->wl, GG, GB + 28);
	EXPECT(a && x && cont);
	EXPECT(!mvgpu_scan_find_batch(&w->wl, PP, GB));
	if (a && x && cont) {
		EXPECT_EQ(a->len, 28);
		EXPECT_EQ(x->len, 20);
		EXPECT_EQ(cont->len, 20);
		guest = fake_gptr(f, GG, GB);
		EXPECT(!memcmp(w->wl.buf + a->off, guest, 48));
		EXPECT(!memcmp(w->wl.buf + cont->off, guest + 7, 20));
		/* TOCTOU: the guest changes the batch; the shadow does not */
		guest[0] = 0xdeadbeef;
		EXPECT_EQ(*(u32 *)(w->wl.buf + a->off),
			  MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
		guest[0] = MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT;
	}
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 0), 4));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 1), 4));
	EXPECT_EQ(world_check(w), WORLD_SAME_OK);
	world_free(w);

	/* a batch that starts at an absent page, a PPGTT batch without one */
	w = tw_new(RCS);
	EMIT(w->f, BBS_G(PAGE(GD, WORLD_PAGE_ABSENT) + 4));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | FB | MVGPU_FAULT_GGTT_UNMAPPED, 0,
		      PAGE(GD, WORLD_PAGE_ABSENT) + 4,
		      PAGE(GD, WORLD_PAGE_ABSENT) + 4);
	world_free(w);
	w = tw_new(RCS);
	w->f->ring.ctx_desc = 0;
	EMIT(w->f, BBS_P(PB));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | FB | FCP | FP | MVGPU_FAULT_NO_PPGTT, 0, PB, PB);
	world_free(w);

	/* a batch command that crosses into an absent page */
	w = tw_new(RCS);
	f = w->f;
	fake_batch_init(&b, f, GG, GB + FAKE_PAGE - 8);
	BATCH(&b, MVGPU_MI_NOOP, SDI_G(GD, 1));
	fake_ggtt_set(f, GB + FAKE_PAGE, 0);
	EMIT(f, BBS_G(GB + FAKE_PAGE - 8));
	fake_submit(f);
	EXPECT_REJECT(w, FV | FB | MVGPU_FAULT_GGTT_UNMAPPED,
		      MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
		      GB + FAKE_PAGE, GB + FAKE_PAGE - 4);
	world_free(w);
}

static void test_depth(void)
{
	struct world *w = tw_new(BCS);
	struct fake_batch b;

	/* a second-level batch calling another */
	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, BBS2_G(GB + 0x100), BBE);
	fake_batch_init(&b, w->f, GG, GB + 0x100);
	BATCH(&b, MVGPU_MI_NOOP, BBS2_P(PB), BBE);
	EMIT(w->f, BBS_G(GB));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | FB | MVGPU_FAULT_BATCH_DEPTH,
		      MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT |
		      MVGPU_MI_BB_SECOND_LEVEL, 0, GB + 0x104);
	EXPECT(!strcmp(w->wl.verdict.reason,
		       "second-level batch from a second-level batch"));

	/* max_depth 1: no second level at all */
	fake_batch_init(&b, w->f, GG, GB + 0x100);
	BATCH(&b, BBE);
	EXPECT_EQ(tw_scan(w), 0);
	w->sc.limits.max_depth = 1;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT(!strcmp(w->wl.verdict.reason, "batch depth over the limit"));
	EXPECT_EQ(w->wl.verdict.fault.status,
		  FV | FB | MVGPU_FAULT_BATCH_DEPTH);
	EXPECT_EQ(w->live_allocs, 0);
	world_free(w);
}

static void test_loops(void)
{
	struct world *w = tw_new(RCS);
	struct fake_batch b;

	/* A -> B -> A */
	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, SDI_G(GD, 1), BBS_P(PB + 0x100));
	fake_batch_init(&b, w->f, PP, PB + 0x100);
	BATCH(&b, MVGPU_MI_NOOP, BBS_G(GB));
	EMIT(w->f, BBS_G(GB));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT_EQ(w->wl.verdict.fault.status,
		  FV | FB | FCP | MVGPU_FAULT_BATCH_LOOP);
	EXPECT_EQ(w->wl.verdict.fault.addr, GB);
	EXPECT_EQ(w->wl.verdict.fault.cmd_addr, PB + 0x104);
	EXPECT_EQ(world_check(w), WORLD_LOOP);
	world_free(w);

	/* a second-level batch chaining to itself */
	w = tw_new(RCS);
	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, BBS2_G(GB + 0x200), BBE);
	fake_batch_init(&b, w->f, GG, GB + 0x200);
	BATCH(&b, SDI_G(GD, 2), BBS_G(GB + 0x200));
	EMIT(w->f, BBS_G(GB));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT_EQ(w->wl.verdict.fault.status & 0xff, MVGPU_FAULT_BATCH_LOOP);
	EXPECT(!strcmp(w->wl.verdict.reason, "batch loop"));
	EXPECT_EQ(world_check(w), WORLD_LOOP);
	world_free(w);

	/*
	 * Not loops: the ring starts A twice, A calls X twice, and a chain
	 * reaches X at the first level after X ran at the second.
	 */
	w = tw_new(RCS);
	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, BBS2_G(GB + 0x300), BBS2_G(GB + 0x300), BBS_G(GB + 0x300));
	fake_batch_init(&b, w->f, GG, GB + 0x300);
	BATCH(&b, SDI_G(PAGE(GD, 3), 3), BBE);
	EMIT(w->f, BBS_G(GB), BBS_G(GB), MVGPU_MI_NOOP, MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	/* A, X, the two continuations after the calls */
	EXPECT_EQ(w->wl.nr_batches, 4);
	EXPECT_ACCEPT(w);
	world_free(w);
}

static void test_limits(void)
{
	struct world *w = tw_new(RCS);
	struct fake_batch b;
	unsigned int i, k;

	/* a chain of 5 batches, 5 stores on 5 distant pages */
	for (i = 0; i < 5; i++) {
		fake_batch_init(&b, w->f, GG, GB + 0x100 * i);
		BATCH(&b, SDI_G(PAGE(GD, i < 3 ? 2 * i : 2 * i + 2), i));
		if (i < 4)
			BATCH(&b, BBS_G(GB + 0x100 * (i + 1)));
		else
			BATCH(&b, BBE);
	}
	EMIT(w->f, BBS_G(GB), MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->wl.nr_batches, 5);
	EXPECT_EQ(w->wl.nr_ranges, 6);

	w->sc.limits.max_batches = 4;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT(!strcmp(w->wl.verdict.reason, "batches over the limit"));
	EXPECT_EQ(w->wl.verdict.fault.status,
		  FV | FB | MVGPU_FAULT_SCAN_LIMIT);
	EXPECT_EQ(w->wl.verdict.fault.cmd_addr, GB + 0x310);
	mvgpu_scan_default_limits(&w->sc.limits);

	w->sc.limits.max_ranges = 5;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT(!strcmp(w->wl.verdict.reason, "write ranges over the limit"));
	mvgpu_scan_default_limits(&w->sc.limits);

	/* ring 16 bytes + 128 bytes copied per batch: 512 is not enough */
	w->sc.limits.max_shadow_bytes = 512;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT(!strcmp(w->wl.verdict.reason, "shadow bytes over the limit"));
	mvgpu_scan_default_limits(&w->sc.limits);

	/* every allocation failing in turn: rejected, nothing leaks */
	for (k = 0; k < 12; k++) {
		w->fail_alloc_after = k;
		if (tw_scan(w) == 0)
			break;
		EXPECT(!strcmp(w->wl.verdict.reason, "out of memory"));
		mvgpu_scan_workload_free(&w->sc, &w->wl);
		EXPECT_EQ(w->live_allocs, 0);
	}
	EXPECT(k > 2 && k < 12);
	w->fail_alloc_after = -1;
	mvgpu_scan_workload_free(&w->sc, &w->wl);
	EXPECT_EQ(w->live_allocs, 0);
	world_free(w);
}

struct resolved {
	u64 addr[64];
	unsigned int nr;
};

static int collect(void *priv, u64 addr, bool local)
{
	struct resolved *r = priv;

	if (local || r->nr == ARRAY_SIZE(r->addr))
		return -1;
	r->addr[r->nr++] = addr;
	return 0;
}

static void test_write_set(void)
{
	struct world *w = tw_new(RCS);
	struct resolved r = { .nr = 0 };
	unsigned int i;

	/* pages 0, 1, 2 merge into one range; 8 and 9 into another */
	EMIT(w->f, SDI_G(PAGE(GD, 1), 1), SDI_G(PAGE(GD, 0) + 4, 1),
	     SDI_G(PAGE(GD, 2) + 8, 1), SDI_G(PAGE(GD, 9), 1),
	     SDI_G(PAGE(GD, 8), 1), SDI_G(PAGE(GD, 8) + 64, 1));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->wl.nr_ranges, 3);	/* + the status page */
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 0), 3 * FAKE_PAGE));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 8), 2 * FAKE_PAGE));
	for (i = 1; i < w->wl.nr_ranges; i++)
		EXPECT(w->wl.ranges[i - 1].gaddr + w->wl.ranges[i - 1].len <
		       w->wl.ranges[i].gaddr);
	EXPECT_EQ(mvgpu_scan_resolve_writes(&w->sc, &w->wl, collect, &r), 6);
	EXPECT_EQ(r.nr, 6);
	/* sorted by graphics address: the status page comes first */
	EXPECT_EQ(r.addr[0], fake_ggtt_get(w->f, FAKE_HWS_GADDR) &
			     MVGPU_PTE_ADDR_MASK);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(r.addr[1 + i], w->gdata_dma + i * FAKE_PAGE);
	EXPECT_EQ(r.addr[4], w->gdata_dma + 8 * FAKE_PAGE);
	EXPECT_EQ(r.addr[5], w->gdata_dma + 9 * FAKE_PAGE);
	EXPECT_EQ(w->live_allocs, 2);	/* buf, ranges (no batches) */
	world_free(w);
}

static void test_strict(void)
{
	struct world *w = tw_new(RCS);
	struct fake_batch b;

	fake_batch_init(&b, w->f, PP, PB);
	BATCH(&b, SDI_P(PD, 1), SDI_G(GD, 2), BBE);
	EMIT(w->f, SDI_G(PAGE(GD, 1), 1), BBS_P(PB), MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	w->sc.flags = MVGPU_SCAN_PPGTT_NO_GGTT;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT_EQ(w->wl.verdict.fault.status,
		  FV | FB | FCP | MVGPU_FAULT_BAD_FIELD);
	EXPECT_EQ(w->wl.verdict.fault.cmd_addr, PB + 16);
	EXPECT(!strcmp(w->wl.verdict.reason, "GGTT operand in a PPGTT batch"));
	/* a GGTT batch started from a PPGTT batch, too */
	fake_batch_init(&b, w->f, PP, PB);
	BATCH(&b, SDI_P(PD, 1), BBS_G(GB + 0x800));
	/* (the GGTT and PPGTT batch views share their pages) */
	fake_batch_init(&b, w->f, GG, GB + 0x800);
	BATCH(&b, BBE);
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT_EQ(w->wl.verdict.fault.addr, GB + 0x800);
	w->sc.flags = 0;
	EXPECT_EQ(tw_scan(w), 0);
	world_free(w);
}

struct trace_log {
	unsigned int n;
	u32 last;
	unsigned int last_level;
};

static void trace_cb(void *priv, const struct mvgpu_scan_cmd *cmd)
{
	struct trace_log *t = priv;

	t->n++;
	t->last = cmd->len ? cmd->dw[0] : 0;
	t->last_level = cmd->level;
}

static void test_trace(void)
{
	struct world *w = tw_new(RCS);
	struct trace_log t = { 0 };
	struct fake_batch b;

	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, MVGPU_MI_NOOP, SDI_G(GD, 1), 0x14800002, 0, 0, 0, BBE);
	EMIT(w->f, MVGPU_MI_NOOP, BBS_G(GB));
	fake_submit(w->f);
	w->sc.trace = trace_cb;
	w->sc.trace_priv = &t;
	EXPECT_EQ(tw_scan(w), -EPERM);
	EXPECT_EQ(t.n, 5);
	EXPECT_EQ(t.last, 0x14800002);
	EXPECT_EQ(t.last_level, 1);
	world_free(w);
}

/*
 * Fuzzer finding (a harness bug): a strict scan that ran out of memory was
 * compared with a normal scan that did not.
 */
static void test_finding_strict_oom(void)
{
	struct world *w = tw_new(RCS);
	struct fake_batch b;

	fake_batch_init(&b, w->f, PP, PB);
	BATCH(&b, SDI_G(GD, 1), BBE);
	EMIT(w->f, BBS_P(PB), MVGPU_MI_NOOP);
	fake_submit(w->f);
	w->sc.flags = MVGPU_SCAN_PPGTT_NO_GGTT;
	w->fail_alloc_after = 1;
	EXPECT(world_check(w) != WORLD_MISMATCH);
	w->fail_alloc_after = -1;
	world_free(w);
}

/*
 * The hot path's table agrees with the full tables for every header: no
 * lookup reads bits 15:0, so every value of bits 31:16 with a few patterns
 * below covers them all.
 */
static void test_fast_table(void)
{
	static const u32 low[] = { 0, 0xffff, 0x5555, 0xaaaa, 0x0001, 0x00ff };
	unsigned int bad = 0, executed = 0, i, k;
	u32 hi;

	for (hi = 0; hi < 0x10000; hi++) {
		for (k = 0; k < ARRAY_SIZE(low); k++) {
			u32 h = hi << 16 | low[k];
			const struct mvgpu_cmd_desc *d = mvgpu_cmd_lookup(h);
			const struct mvgpu_cmd_fast *e = mvgpu_cmd_exec_lookup(h);
			bool ok;

			if (d && d->exec)
				ok = e && e->desc == d && &e->x == d->exec &&
				     e->id == d->id &&
				     (h & e->x.mask) == e->x.value;
			else
				ok = !e;
			executed += e != NULL;
			if (!ok && bad++ < 5)
				printf("# header 0x%08x: fast %s, table %s\n", h,
				       e ? e->desc->name : "none",
				       d && d->exec ? d->name : "none");
		}
	}
	EXPECT_EQ(bad, 0);
	/* (not vacuous: the executed commands were found) */
	EXPECT(executed > 1000);
	for (i = 1; i < MVGPU_CMD_NR; i++) {
		const struct mvgpu_cmd_fast *e = &mvgpu_cmd_fast[i];

		EXPECT(e->id == i && e->desc && e->desc->id == i &&
		       e->desc->exec == &e->x);
		/* the rule's own header is found */
		EXPECT(mvgpu_cmd_exec_lookup(e->x.value | e->x.len_min) == e);
	}
	EXPECT(mvgpu_cmd_exec_lookup(0) == &mvgpu_cmd_fast[MVGPU_CMD_NOOP]);
	/* MI_LOAD_REGISTER_MEM; a 3D command in PIPE_CONTROL's slot */
	EXPECT(!mvgpu_cmd_exec_lookup(0x14800002));
	EXPECT(!mvgpu_cmd_exec_lookup(0x7a010004));
}

static void test_reuse(void)
{
	struct world *w = world_new();
	struct mvgpu_scan_workload r;
	u8 *blob = malloc(WORLD_BLOB_MAX);
	u64 seed = 0xfeedface;
	unsigned int i, differ = 0, accepted = 0;
	struct fake_batch b;
	long live;

	if (!blob)
		abort();
	memset(&r, 0, sizeof(r));
	for (i = 0; i < 600; i++) {
		size_t n = world_gen(&seed, blob, WORLD_BLOB_MAX);
		int x, y;

		world_load(w, blob, n);
		x = mvgpu_scan_workload_reuse(&w->sc, w->f->st.engine,
					      &w->f->ring, w->f->st.head, &r);
		y = world_scan(w);
		accepted += !y;
		if (x != y || !world_same(&r, &w->wl)) {
			if (differ++ < 3)
				printf("# stream %u: reused %d (%s), fresh %d (%s)\n",
				       i, x, r.verdict.reason, y,
				       w->wl.verdict.reason);
		}
	}
	EXPECT_EQ(differ, 0);
	EXPECT(accepted > 50);
	mvgpu_scan_workload_free(&w->sc, &r);
	mvgpu_scan_workload_free(&w->sc, &w->wl);
	EXPECT_EQ(w->live_allocs, 0);

	/* the same workload again: no allocation at all */
	world_free(w);
	w = tw_new(RCS);
	fake_batch_init(&b, w->f, GG, GB);
	BATCH(&b, SDI_G(PAGE(GD, 1), 1), BBS2_P(PB + 0x400), BBE);
	fake_batch_init(&b, w->f, PP, PB + 0x400);
	BATCH(&b, SDI_P(PAGE(PD, 2), 2), BBE);
	EMIT(w->f, BBS_G(GB), MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r), 0);
	live = w->live_allocs;
	EXPECT(live >= 3);
	w->fail_alloc_after = 0;
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r), 0);
	EXPECT_EQ(r.nr_batches, 3);
	EXPECT_EQ(r.cmds, 7);
	EXPECT(mvgpu_scan_find_batch(&r, PP, PB + 0x400) != NULL);
	w->fail_alloc_after = -1;
	EXPECT_EQ(w->live_allocs, live);
	/* lower limits than the memory kept: still enforced */
	w->sc.limits.max_batches = 2;
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r),
		  -EPERM);
	EXPECT(!strcmp(r.verdict.reason, "batches over the limit"));
	mvgpu_scan_default_limits(&w->sc.limits);
	w->sc.limits.max_shadow_bytes = 256;
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r),
		  -EPERM);
	EXPECT(!strcmp(r.verdict.reason, "shadow bytes over the limit"));
	mvgpu_scan_default_limits(&w->sc.limits);
	w->sc.limits.max_ranges = 2;
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r),
		  -EPERM);
	EXPECT(!strcmp(r.verdict.reason, "write ranges over the limit"));
	mvgpu_scan_default_limits(&w->sc.limits);
	/* a rejection keeps the memory; the next scan is whole again */
	EXPECT_EQ(w->live_allocs, live);
	EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, RCS, &w->f->ring, 0, &r), 0);
	EXPECT(has_write(&r, PP, PAGE(PD, 2), 4));
	mvgpu_scan_workload_free(&w->sc, &r);
	mvgpu_scan_workload_free(&w->sc, &r);
	EXPECT_EQ(w->live_allocs, 0);
	free(blob);
	world_free(w);
}

/*
 * The operand and blit caches skip pages translated before in the scan,
 * for the same access only: a page read before is still translated for a
 * write (and faults if read-only), and a blit faults at the first page
 * not translated before, as the executor does.
 */
static void test_caches(void)
{
	u64 ro = PAGE(PD, WORLD_PAGE_RO);
	struct world *w;

	/* semaphore reads the read-only page, a store then writes it */
	w = tw_new(RCS);
	EMIT(w->f, MVGPU_MI_SEMAPHORE_WAIT |
	     MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_GTE), 0, LO(ro + 8), HI(ro + 8));
	EMIT(w->f, SDI_P(PAGE(PD, 3), 1), SDI_P(PAGE(PD, 3) + 4, 2));
	EMIT(w->f, SDI_P(ro + 16, 3));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_READ_ONLY | FW | FP,
		      MVGPU_MI_STORE_DATA_IMM, ro + 16, RING + 48);
	world_free(w);

	/* stores to one page again and again: still every one predicted */
	w = tw_new(RCS);
	EMIT(w->f, SDI_P(PAGE(PD, 3), 1), SDI_P(PAGE(PD, 4), 2),
	     SDI_P(PAGE(PD, 3) + 8, 3), SDI_P(PAGE(PD, 4) + 8, 4),
	     SDI_G(PAGE(GD, 3), 5), SDI_G(PAGE(GD, 3) + 4, 6));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 3), 2 * FAKE_PAGE));
	EXPECT(has_write(&w->wl, GG, PAGE(GD, 3), 4));
	EXPECT_ACCEPT(w);
	world_free(w);

	/* a copy reads pages 4..5 (5 read-only); a fill then writes them */
	w = tw_new(BCS);
	EMIT(w->f, MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
	     MVGPU_BLT_WRITE_RGB, BR13(32, MVGPU_ROP_SRCCOPY, 8192), 0,
	     MVGPU_BLT_XY(2048, 1), LO(PAGE(PD, 8)), HI(PAGE(PD, 8)), 0,
	     8192, LO(PAGE(PD, 4)), HI(PAGE(PD, 4)));
	EMIT(w->f, FILL(32, 8192, 0, 0, 2048, 1, PAGE(PD, 4)));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_READ_ONLY | FW | FP,
		      MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA |
		      MVGPU_BLT_WRITE_RGB, ro, RING + 40);
	world_free(w);

	/*
	 * A fill of pages 2..4, then one of rows on pages 3, 4, 5 and 6:
	 * the cached pages are skipped, the fault is the first new one.
	 */
	w = tw_new(BCS);
	EMIT(w->f, FILL(32, 4096, 0, 0, 1024, 3, PAGE(PD, 2)));
	EMIT(w->f, FILL(32, 4096, 0, 0, 16, 4, PAGE(PD, 3) + 64));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_READ_ONLY | FW | FP,
		      MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA |
		      MVGPU_BLT_WRITE_RGB, ro + 64, RING + 28);
	world_free(w);

	/* many fills over the same pages: accepted, pages written predicted */
	w = tw_new(BCS);
	{
		unsigned int i;

		for (i = 0; i < 40; i++)
			EMIT(w->f, FILL(32, 4096, 4 * i, 0, 4 * i + 64, 2,
					PAGE(PD, 8 + i % 5)));
	}
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT(has_write(&w->wl, PP, PAGE(PD, 8), 6 * FAKE_PAGE));
	EXPECT_ACCEPT(w);
	world_free(w);
}

/*
 * Scan the loaded stream with and without the scanner's shortcuts
 * (MVGPU_SCAN_NO_SHORTCUTS): the results must be the same.  Returns the
 * shortcut scan's result; *@same tells whether they agreed.
 */
static int scan_both(struct world *w, bool *same)
{
	struct mvgpu_scan_workload slow;
	unsigned int flags = w->sc.flags;
	int x, y;

	memset(&slow, 0, sizeof(slow));
	w->sc.flags = flags | MVGPU_SCAN_NO_SHORTCUTS;
	x = mvgpu_scan_workload(&w->sc, w->f->st.engine, &w->f->ring,
				w->f->st.head, &slow);
	w->sc.flags = flags;
	y = world_scan(w);
	*same = x == y && world_same(&slow, &w->wl) &&
		slow.cmds == w->wl.cmds;
	mvgpu_scan_workload_free(&w->sc, &slow);
	return y;
}

/* @n random blits over the data pages at @base, on the blitter. */
static void gen_blits(struct world *w, u64 *seed, unsigned int n, u64 base)
{
	static const u32 pitches[] = { 64, 1024, 4096, 4100, 8192, 12288 };
	unsigned int i;

	for (i = 0; i < n; i++) {
		u32 dp = pitches[fake_rand(seed) % ARRAY_SIZE(pitches)];
		u32 sp = pitches[fake_rand(seed) % ARRAY_SIZE(pitches)];
		u32 w1 = 1 + fake_rand(seed) % (dp / 4 < 64 ? dp / 4 : 64);
		/* spans of at most 5 pages from pages 8..10 (good) */
		u32 h = 1 + fake_rand(seed) % (4 * 4096 / dp + 1);
		u32 x = fake_rand(seed) % 8;
		u64 dst = PAGE(base, 8 + fake_rand(seed) % 3) +
			  4 * (fake_rand(seed) % 256);
		u64 src = PAGE(base, 8 + fake_rand(seed) % 3) +
			  4 * (fake_rand(seed) % 256);

		/* one in 25 reaches the bad pages 5..7 or beyond 15 */
		if (fake_rand(seed) % 25 == 0)
			dst += (fake_rand(seed) % 2 ? -3 : 5) *
			       (long long)FAKE_PAGE;
		if (fake_rand(seed) % 25 == 0)
			src += (fake_rand(seed) % 2 ? -3 : 5) *
			       (long long)FAKE_PAGE;
		if (h > 6)
			h = 6;

		switch (fake_rand(seed) % 3) {
		case 0:
			EMIT(w->f, FILL(32, dp, x, 0, x + w1, h, dst));
			break;
		case 1:
			EMIT(w->f, MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
			     MVGPU_BLT_WRITE_RGB,
			     BR13(32, MVGPU_ROP_SRCCOPY, dp),
			     MVGPU_BLT_XY(x, 0), MVGPU_BLT_XY(x + w1, h),
			     LO(dst), HI(dst), MVGPU_BLT_XY(0, 0), sp,
			     LO(src), HI(src));
			break;
		default:
			EMIT(w->f, MVGPU_XY_FAST_COPY_BLT,
			     MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32) | dp,
			     MVGPU_BLT_XY(x, 0), MVGPU_BLT_XY(x + w1, h),
			     LO(dst), HI(dst), MVGPU_BLT_XY(0, 0), sp,
			     LO(src), HI(src));
			break;
		}
	}
}

/*
 * The shortcuts (verified-page and blit audit caches, runs of one-dword
 * commands, page runs translated in one call) change no result: generated
 * streams and blit-heavy ones give the same verdict, shadows, records
 * and write set without them, and the executor agrees.
 */
static void test_shortcuts(void)
{
	unsigned int i, differ = 0, faults = 0, ok = 0, mism = 0;
	struct world *w = world_new();
	u8 *blob = malloc(WORLD_BLOB_MAX);
	u64 seed = 0xb117b117;
	bool same;

	if (!blob)
		abort();
	for (i = 0; i < 1500; i++) {
		size_t n = world_gen(&seed, blob, WORLD_BLOB_MAX);

		world_load(w, blob, n);
		scan_both(w, &same);
		if (!same && differ++ < 3)
			printf("# generated stream %u: shortcuts change the result (%s)\n",
			       i, w->wl.verdict.reason);
	}
	for (i = 0; i < 1500; i++) {
		/* a quarter without a PPGTT: the blits use the GGTT */
		bool gg = fake_rand(&seed) % 4 == 0;
		u8 cfg[WORLD_CFG_BYTES] = {
			WORLD_CFG_BCS | (gg ? WORLD_CFG_NO_PPGTT : 0)
		};
		enum world_outcome o;

		world_load(w, cfg, sizeof(cfg));
		fake_ring_seek(w->f, 0);
		gen_blits(w, &seed, 2 + fake_rand(&seed) % 30, gg ? GD : PD);
		fake_submit(w->f);
		if (scan_both(w, &same))
			faults++;
		else
			ok++;
		if (!same && differ++ < 3)
			printf("# blit stream %u: shortcuts change the result (%s)\n",
			       i, w->wl.verdict.reason);
		o = world_check(w);
		if (o == WORLD_MISMATCH && mism++ < 3)
			printf("# blit stream %u: %s\n", i, w->msg);
	}
	printf("# blit streams: %u accepted, %u rejected\n", ok, faults);
	EXPECT_EQ(differ, 0);
	EXPECT_EQ(mism, 0);
	EXPECT(ok > 200 && faults > 200);
	free(blob);
	world_free(w);
}

/* world_check() of the same ring again: the engine from its start. */
static enum world_outcome tw_recheck(struct world *w)
{
	mvgpu_exec_state_reset(&w->f->st, w->f->st.engine);
	return world_check(w);
}

/*
 * The blit audit cache lives for one scan: a page made read-only or
 * unmapped between two workloads is caught by the second, also when it
 * reuses the first one's memory.  Inside a workload a page that passed
 * for writing passes for reading; one that passed for reading is still
 * checked for writing.
 */
static void test_audit_cache(void)
{
	u64 *pte, keep;
	struct mvgpu_scan_workload r;
	struct world *w;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 2; i++) {
		u64 base = i ? GD : PD;
		u32 fl = i ? 0 : FP;

		w = tw_new(BCS);
		if (i)
			w->f->ring.ctx_desc = 0;	/* blits use the GGTT */
		EMIT(w->f, FILL(32, 4096, 0, 0, 1024, 3, PAGE(base, 9)));
		fake_submit(w->f);
		EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, BCS, &w->f->ring,
						    0, &r), 0);
		EXPECT(r.nr_audit > 0);
		/* page 10 read-only now: the same workload again */
		if (i) {
			keep = fake_ggtt_get(w->f, PAGE(base, 10));
			fake_ggtt_set(w->f, PAGE(base, 10),
				      keep & ~MVGPU_PTE_WRITABLE);
		} else {
			pte = fake_ppgtt_entry(w->f, PAGE(base, 10), 3);
			keep = *pte;
			*pte = keep & ~MVGPU_PTE_WRITABLE;
		}
		EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, BCS, &w->f->ring,
						    0, &r), -EPERM);
		EXPECT_EQ(r.verdict.fault.status,
			  FV | MVGPU_FAULT_READ_ONLY | FW | fl);
		EXPECT_EQ(r.verdict.fault.addr, PAGE(base, 10));
		/* (the executor's check counts the world's allocations) */
		mvgpu_scan_workload_free(&w->sc, &r);
		EXPECT_EQ(tw_recheck(w), WORLD_SAME_FAULT);
		/* not present, after an accepted scan into the same memory */
		if (i)
			fake_ggtt_set(w->f, PAGE(base, 10), keep);
		else
			*pte = keep;
		EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, BCS, &w->f->ring,
						    0, &r), 0);
		if (i)
			fake_ggtt_set(w->f, PAGE(base, 10), 0);
		else
			*pte = 0;
		EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, BCS, &w->f->ring,
						    0, &r), -EPERM);
		EXPECT_EQ(r.verdict.fault.status,
			  FV | FW | fl | (i ? MVGPU_FAULT_GGTT_UNMAPPED :
					      MVGPU_FAULT_PPGTT_UNMAPPED));
		mvgpu_scan_workload_free(&w->sc, &r);
		EXPECT_EQ(tw_recheck(w), WORLD_SAME_FAULT);
		if (w->msg[0])
			printf("# %s\n", w->msg);
		/* back: accepted again */
		if (i)
			fake_ggtt_set(w->f, PAGE(base, 10), keep);
		else
			*pte = keep;
		EXPECT_EQ(mvgpu_scan_workload_reuse(&w->sc, BCS, &w->f->ring,
						    0, &r), 0);
		mvgpu_scan_workload_free(&w->sc, &r);
		world_free(w);
	}

	/*
	 * Pages 9..11 written, then read from 9 on, a row per page: the
	 * written pages need no translation for reading (no map_page()), the
	 * others do, and page 16 (not mapped) faults.
	 */
	w = tw_new(BCS);
	EMIT(w->f, FILL(32, 4096, 0, 0, 1024, 3, PAGE(PD, 9)));
	EMIT(w->f, MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
	     MVGPU_BLT_WRITE_RGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0,
	     MVGPU_BLT_XY(16, 3), LO(PAGE(PD, 13)), HI(PAGE(PD, 13)), 0,
	     4096, LO(PAGE(PD, 9)), HI(PAGE(PD, 9)));
	fake_submit(w->f);
	{
		unsigned long calls = w->f->map_calls;

		EXPECT_EQ(tw_scan(w), 0);
		/*
		 * The ring, the PPGTT walk (4 tables), pages 9..11 for
		 * writing, page 13, the status page: pages 9..11 are not
		 * mapped again for reading.
		 */
		EXPECT_EQ(w->f->map_calls - calls, 10);
	}
	EXPECT_ACCEPT(w);
	world_free(w);
	w = tw_new(BCS);
	EMIT(w->f, FILL(32, 4096, 0, 0, 1024, 3, PAGE(PD, 9)));
	EMIT(w->f, MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
	     MVGPU_BLT_WRITE_RGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0,
	     MVGPU_BLT_XY(16, 8), LO(PAGE(PD, 13)), HI(PAGE(PD, 13)), 0,
	     4096, LO(PAGE(PD, 9) + 8), HI(PAGE(PD, 9) + 8));
	fake_submit(w->f);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_PPGTT_UNMAPPED | FP,
		      MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
		      MVGPU_BLT_WRITE_RGB, PAGE(PD, 16) + 8, RING + 28);
	world_free(w);

	/* the flushes empty the translation cache, and only what was used */
	w = tw_new(BCS);
	EMIT(w->f, FILL(32, 4096, 0, 0, 1024, 3, PAGE(PD, 9)));
	fake_submit(w->f);
	EXPECT_EQ(tw_scan(w), 0);
	EXPECT_EQ(w->f->ex.tlb_live, 0);
	for (i = 0; i < MVGPU_EXEC_TLB_SIZE; i++)
		EXPECT_EQ(w->f->ex.tlb[i].tag, 0);
	world_free(w);
}

/*
 * mvgpu_xlate_check_run() counts the pages from the first on that
 * mvgpu_xlate() translates, in both spaces and for both accesses, over
 * read-only, absent, unmapped pages, the end of the GGTT slice, 2 MiB
 * regions and 2^48.
 */
static void test_check_run(void)
{
	struct world *w = world_new();
	struct fake *f = w->f;
	static const u64 starts[] = {
		GD, PD, FAKE_GGTT_BASE + FAKE_GGTT_SIZE - 4 * FAKE_PAGE,
		(1ull << 48) - 3 * FAKE_PAGE, 0x1fe000, 0x3ff000,
	};
	unsigned int s, k, bad = 0;

	/* PPGTT pages around a 2 MiB boundary: 1 absent, 2 read-only */
	fake_ppgtt_map(f, 0x1fe000, w->pdata_dma + 8 * FAKE_PAGE,
		       8 * FAKE_PAGE, MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);
	fake_ppgtt_set(f, 0x201000, 0);
	fake_ppgtt_set(f, 0x203000, (w->pdata_dma + 8 * FAKE_PAGE) |
		       MVGPU_PTE_PRESENT);
	fake_ppgtt_map(f, 0x3ff000, w->pdata_dma + 8 * FAKE_PAGE,
		       3 * FAKE_PAGE, MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);
	for (s = 0; s < ARRAY_SIZE(starts); s++) {
		for (k = 0; k < 2 * 20 * 2; k++) {
			u32 space = k & 1 ? PP : GG;
			bool write = (k >> 1) & 1;
			u64 a = starts[s] + (k >> 2) * FAKE_PAGE + 12;
			u64 ctx = (k >> 2) == 19 ? 0 : w->ctx_desc;
			u32 n, want = 0, type;
			void *p;

			while (want < 24) {
				mvgpu_xlate_flush(&f->ex);
				if (mvgpu_xlate(&f->ex, ctx, space,
						a + (u64)want * FAKE_PAGE, write,
						&p, &type))
					break;
				want++;
			}
			mvgpu_xlate_flush(&f->ex);
			n = mvgpu_xlate_check_run(&f->ex, ctx, space, a, 24,
						  write);
			if (n != want && bad++ < 5)
				printf("# %s %llx %s: %u pages, expected %u\n",
				       space == PP ? "PPGTT" : "GGTT",
				       (unsigned long long)a,
				       write ? "write" : "read", n, want);
			/* fewer asked: at most that many */
			EXPECT(mvgpu_xlate_check_run(&f->ex, ctx, space, a, 2,
						     write) ==
			       (want < 2 ? want : 2));
		}
	}
	EXPECT_EQ(bad, 0);
	world_free(w);
}

/*
 * Runs of MI_NOOP, MI_USER_INTERRUPT and MI_ARB_CHECK are skipped in the
 * shadow without the full path: counted, stopped by any other command
 * (also at a chunk or page end of a batch, and in the ring), the same as
 * without the shortcut and on the executor.
 */
static void test_simple_runs(void)
{
	static const u32 one[] = { MVGPU_MI_NOOP, MVGPU_MI_USER_INTERRUPT,
				   MVGPU_MI_ARB_CHECK, MVGPU_MI_NOOP | 0x3fffff };
	struct fake_batch b;
	struct world *w;
	unsigned int i;
	bool same;

	/* a batch of 3000 one-dword commands over two pages, then a store */
	w = tw_new(RCS);
	fake_batch_init(&b, w->f, PP, PB + 0x100);
	for (i = 0; i < 3000; i++)
		BATCH(&b, one[i % 4]);
	BATCH(&b, SDI_P(PAGE(PD, 2), 1), BBE);
	EMIT(w->f, MVGPU_MI_NOOP, MVGPU_MI_ARB_CHECK, BBS_P(PB + 0x100),
	     MVGPU_MI_USER_INTERRUPT, MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(scan_both(w, &same), 0);
	EXPECT(same);
	/* (the ring is padded to a qword with one more MI_NOOP) */
	EXPECT_EQ(w->wl.cmds, 3000 + 2 + 5 + 1);
	EXPECT_ACCEPT(w);
	world_free(w);

	/* a run ended by a command of the other engine, and one by a bad one */
	w = tw_new(RCS);
	EMIT(w->f, MVGPU_MI_NOOP, MVGPU_MI_NOOP, MVGPU_MI_NOOP,
	     MVGPU_MI_FLUSH_DW, 0, 0, 0, MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(scan_both(w, &same), -EPERM);
	EXPECT(same);
	EXPECT_REJECT(w, FV | MVGPU_FAULT_BAD_ENGINE, MVGPU_MI_FLUSH_DW, 0,
		      RING + 12);
	world_free(w);
	w = tw_new(BCS);
	EMIT(w->f, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_NOOP, 0x05800000,
	     MVGPU_MI_NOOP);
	fake_submit(w->f);
	EXPECT_EQ(scan_both(w, &same), -EPERM);
	EXPECT(same);
	EXPECT_EQ(w->wl.verdict.fault.status, FV | MVGPU_FAULT_BAD_OPCODE);
	EXPECT_EQ(w->wl.verdict.fault.cmd_addr, RING + 8);
	EXPECT_EQ(world_check(w), WORLD_SAME_FAULT);
	world_free(w);
}

/* Generated streams: scanner and executor must agree on every one. */
static void test_generated(void)
{
	unsigned int counts[WORLD_MISMATCH + 1] = { 0 }, i, shown = 0;
	struct world *w = world_new();
	u8 *blob = malloc(WORLD_BLOB_MAX);
	u64 seed = 0x5ca11ab1e;

	if (!blob)
		abort();
	for (i = 0; i < 3000; i++) {
		size_t n = world_gen(&seed, blob, WORLD_BLOB_MAX);
		enum world_outcome o;

		world_load(w, blob, n);
		o = world_check(w);
		counts[o]++;
		if (o == WORLD_MISMATCH && shown++ < 5)
			printf("# stream %u: %s\n", i, w->msg);
	}
	printf("# generated: %u same ok, %u same fault, %u loops, %u undecided, %u mismatches\n",
	       counts[WORLD_SAME_OK], counts[WORLD_SAME_FAULT],
	       counts[WORLD_LOOP], counts[WORLD_UNDECIDED],
	       counts[WORLD_MISMATCH]);
	EXPECT_EQ(counts[WORLD_MISMATCH], 0);
	/* the generator covers both outcomes and loops, or proves nothing */
	EXPECT(counts[WORLD_SAME_OK] > 300);
	EXPECT(counts[WORLD_SAME_FAULT] > 300);
	EXPECT(counts[WORLD_LOOP] > 0);
	free(blob);
	world_free(w);
}

#ifdef MVGPU_DECODE
/* Run tools/mvgpu-decode on a stream and look for lines in its output. */
static void decode_expect(const char *args, const u32 *dw, unsigned int n,
			  int status, const char *const *want)
{
	char path[] = "/tmp/scan_decode_XXXXXX", cmd[512], out[16384];
	FILE *p;
	size_t len;
	int fd, ret;

	fd = mkstemp(path);
	EXPECT(fd >= 0);
	if (fd < 0)
		return;
	EXPECT_EQ(write(fd, dw, 4 * n), 4 * n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s %s 2>&1", MVGPU_DECODE, args, path);
	p = popen(cmd, "r");
	EXPECT(p);
	if (!p)
		return;
	len = fread(out, 1, sizeof(out) - 1, p);
	out[len] = 0;
	ret = pclose(p);
	unlink(path);
	EXPECT(WIFEXITED(ret) && WEXITSTATUS(ret) == status);
	for (; *want; want++)
		if (!strstr(out, *want)) {
			unit_failures++;
			printf("# mvgpu-decode %s: no '%s' in:\n%s", args,
			       *want, out);
		}
}

static void test_decode_tool(void)
{
	static const u32 good[] = {
		MVGPU_MI_NOOP, MVGPU_PIPE_CONTROL,
		MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT, 0x1000040, 0, 5, 0,
		MVGPU_MI_STORE_DATA_IMM, 0x2000, 0, 7,
		MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 2), 9,
	};
	static const char *const good_want[] = {
		"MI_NOOP", "PIPE_CONTROL", "post_sync=1", "0x1000040",
		"MI_STORE_DATA_IMM", "ppgtt 0x2000", "MI_LOAD_REGISTER_IMM",
		"0x2610", "verdict: ok", NULL
	};
	static const u32 bad[] = {
		MVGPU_MI_NOOP, 0x78100007, 0, 0, 0, 0, 0, 0, 0, 0,
		0x69040000, MVGPU_MI_BATCH_BUFFER_END,
	};
	static const char *const bad_want[] = {
		"3DSTATE_VS", "len 9", "verdict: BAD_OPCODE",
		"not in the engine's command subset", "PIPELINE_SELECT",
		"MI_BATCH_BUFFER_END", NULL
	};
	static const u32 blt[] = {
		MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_DEPTH(3) | 256, 0,
		MVGPU_BLT_XY(16, 8), 0x100000, 0, 0, 256, 0x200000, 0,
	};
	static const char *const blt_want[] = {
		"XY_FAST_COPY_BLT", "dst ppgtt 0x100000", "src ppgtt 0x200000",
		"rows 8", "verdict: ok", NULL
	};
	static const char *const eng_want[] = {
		"verdict: BAD_ENGINE", NULL
	};

	decode_expect("-e rcs", good, ARRAY_SIZE(good), 0, good_want);
	decode_expect("-e rcs", bad, ARRAY_SIZE(bad), 1, bad_want);
	decode_expect("-e bcs", blt, ARRAY_SIZE(blt), 0, blt_want);
	decode_expect("-e rcs", blt, ARRAY_SIZE(blt), 1, eng_want);
}
#endif

const struct unit_test scan_tests[] = {
	{ "Gen9 decode tables", test_table },
	{ "good streams on both engines", test_good_mixed },
	{ "bad commands: opcode, engine, length, fields, registers",
	  test_bad_commands },
	{ "bad addresses: translation faults as the executor", test_bad_addresses },
	{ "ring: overrun, registers, wrap", test_ring },
	{ "blits: fields, spans, every row's pages, write ranges", test_blits },
	{ "batches: shadows, calls, TOCTOU, fetch faults", test_batches },
	{ "batch depth and its limit", test_depth },
	{ "loops rejected, reuse accepted", test_loops },
	{ "limits and allocation failures", test_limits },
	{ "write set: merged ranges, resolved pages", test_write_set },
	{ "strict PPGTT rule", test_strict },
	{ "trace hook", test_trace },
	{ "finding: strict scan out of memory", test_finding_strict_oom },
	{ "fast table agrees with the Gen9 tables for every header",
	  test_fast_table },
	{ "reused workload memory: same results, no allocation, limits",
	  test_reuse },
	{ "operand and blit caches: same access only, first new fault",
	  test_caches },
	{ "generated streams: scanner agrees with executor", test_generated },
	{ "shortcuts change no result (generated and blit streams)",
	  test_shortcuts },
	{ "blit audit cache: per workload, write covers read", test_audit_cache },
	{ "mvgpu_xlate_check_run() agrees with mvgpu_xlate()", test_check_run },
	{ "runs of one-dword commands", test_simple_runs },
#ifdef MVGPU_DECODE
	{ "mvgpu-decode output", test_decode_tool },
#endif
};

const unsigned int scan_nr_tests = ARRAY_SIZE(scan_tests);
