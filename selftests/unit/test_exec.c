// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of gvt/exec.c: every command, fault, batch nesting, the ring,
 * slices (budget, semaphore waits, watchdog), TLB invalidation, blits
 * against a per-pixel reference, and a robustness fuzzer.
 */
#include <stdlib.h>

#include "exec_fake.h"
#include "mvgpu_scan.h"
#include "unit.h"

#define GG		MVGPU_XLATE_GGTT
#define PP		MVGPU_XLATE_PPGTT
#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define IDLE		MVGPU_EXEC_IDLE
#define YIELD		MVGPU_EXEC_YIELD
#define WAIT		MVGPU_EXEC_WAIT
#define FAULT		MVGPU_EXEC_FAULT
#define FV		MVGPU_FAULT_VALID
#define FW		MVGPU_FAULT_WRITE
#define FP		MVGPU_FAULT_PPGTT
#define FB		MVGPU_FAULT_IN_BATCH
#define FCP		MVGPU_FAULT_CMD_PPGTT
#define P_RW		(MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE)
#define P_RO		MVGPU_PTE_PRESENT
#define NOLIMIT		(~0ull)

#define RING		FAKE_RING_GADDR
#define HWS		FAKE_HWS_GADDR
/* GGTT: 16 writable data pages, one read-only page, batch pages */
#define DATA		(FAKE_GGTT_BASE + 0x100000)
#define DATA_PAGES	16
#define DATA_RO		(FAKE_GGTT_BASE + 0x180000)
#define BB		(FAKE_GGTT_BASE + 0x200000)
#define UNMAPPED	(FAKE_GGTT_BASE + 0x2f0000)
/* PPGTT (setup_ppgtt()): data and batch pages, high address bits set */
#define PDATA		0x0000123456000000ull
#define PBB		0x00007fff00000000ull

#define LO(a)		((u32)(a))
#define HI(a)		((u32)((u64)(a) >> 32))
#define GPR(e, n)	(MVGPU_ENGINE_BASE(e) + MVGPU_CS_GPR(n))

#define SDI_G(a, v)	MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,	\
			LO(a), HI(a), (v)
#define SDI_P(a, v)	MVGPU_MI_STORE_DATA_IMM, LO(a), HI(a), (v)
#define SDI_QG(a, v)	MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT,	\
			LO(a), HI(a), LO(v), HI(v)
#define SRM_G(reg, a)	MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,	\
			(reg), LO(a), HI(a)
#define BBS_G(a)	MVGPU_MI_BATCH_BUFFER_START, LO(a), HI(a)
#define BBS_P(a)	MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT,	\
			LO(a), HI(a)
#define BBS2_G(a)	MVGPU_MI_BATCH_BUFFER_START |			\
			MVGPU_MI_BB_SECOND_LEVEL, LO(a), HI(a)
#define BBS2_P(a)	MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT |	\
			MVGPU_MI_BB_SECOND_LEVEL, LO(a), HI(a)
#define BBE		MVGPU_MI_BATCH_BUFFER_END
#define PC(fl, a, lo, hi) MVGPU_PIPE_CONTROL, (fl), LO(a), HI(a), (lo), (hi)
#define SEM(op, sdd, a)	MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_GGTT |	\
			MVGPU_MI_SEMAPHORE_OP(op), (sdd), LO(a), HI(a)
#define FLUSH_TLB	(1u << 18)	/* MI_FLUSH_DW: invalidate TLB */

#define EXPECT_FAULT(f, _status, _instr, _addr, _cmd) do {		\
	EXPECT_EQ((f)->st.fault.status, (_status));			\
	EXPECT_EQ((f)->st.fault.instr, (_instr));			\
	EXPECT_EQ((f)->st.fault.addr, (_addr));				\
	EXPECT_EQ((f)->st.fault.cmd_addr, (_cmd));			\
} while (0)

static u32 g32(struct fake *f, u64 a)
{
	return fake_get32(f, GG, a);
}

static u32 p32(struct fake *f, u64 a)
{
	return fake_get32(f, PP, a);
}

/* An engine with the GGTT areas above mapped (zeroed). */
static struct fake *setup_dma(unsigned int engine, unsigned int dma_pages)
{
	struct fake *f = fake_new(engine, dma_pages);

	fake_ggtt_back(f, DATA, DATA_PAGES * FAKE_PAGE);
	fake_ggtt_map(f, DATA_RO, fake_dma_alloc(f, 1), FAKE_PAGE, P_RO);
	fake_ggtt_back(f, BB, 16 * FAKE_PAGE);
	return f;
}

static struct fake *setup(unsigned int engine)
{
	return setup_dma(engine, 0);
}

/* A valid context with the PPGTT areas above mapped. */
static void setup_ppgtt(struct fake *f)
{
	fake_ppgtt_enable(f);
	fake_ppgtt_back(f, PDATA, DATA_PAGES * FAKE_PAGE);
	fake_ppgtt_back(f, PBB, 16 * FAKE_PAGE);
}

/* No byte of the data areas was written. */
static bool data_untouched(struct fake *f)
{
	u64 a;

	for (a = 0; a < DATA_PAGES * FAKE_PAGE; a += 4) {
		if (g32(f, DATA + a))
			return false;
		if ((f->ring.ctx_desc & MVGPU_CTX_DESC_VALID) &&
		    p32(f, PDATA + a))
			return false;
	}
	return !g32(f, DATA_RO);
}

static enum mvgpu_exec_result last;

/* A fresh engine that runs @n dwords from the ring start in one slice. */
static struct fake *one(unsigned int engine, bool ppgtt, unsigned int n,
			const u32 *dw)
{
	struct fake *f = setup(engine);

	if (ppgtt)
		setup_ppgtt(f);
	fake_emit(f, n, dw);
	fake_submit(f);
	last = fake_run(f, NOLIMIT);
	return f;
}

#define ONE(engine, ppgtt, ...)						\
	one((engine), (ppgtt), FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__))

/*
 * The first command in the ring faults with @status and @addr, before
 * writing anything, and the engine stays halted.
 */
static void fault_case(const char *what, unsigned int engine, bool ppgtt,
		       u32 status, u64 addr, unsigned int n, const u32 *dw)
{
	unsigned int before = unit_failures;
	struct fake *f = one(engine, ppgtt, n, dw);

	EXPECT_EQ(last, FAULT);
	EXPECT_FAULT(f, status, dw[0], addr, RING);
	EXPECT_EQ(f->st.head, 0);
	EXPECT_EQ(f->ev.cmds, 0);
	EXPECT_EQ(f->ev.bytes, 0);
	EXPECT(!f->ev.complete && !f->ev.user);
	EXPECT(data_untouched(f));
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(f->ev.cmds, 0);
	EXPECT_EQ(f->st.fault.status, status);
	if (unit_failures != before)
		printf("# ... in fault case \"%s\"\n", what);
	fake_free(f);
}

#define FAULT_CASE(what, engine, ppgtt, status, addr, ...)		\
	fault_case((what), (engine), (ppgtt), (status), (addr),		\
		   FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__))

static void test_state_reset(void)
{
	struct mvgpu_exec_state st, zero;

	memset(&st, 0xa5, sizeof(st));
	mvgpu_exec_state_reset(&st, BCS);
	memset(&zero, 0, sizeof(zero));
	zero.engine = BCS;
	EXPECT(!memcmp(&st, &zero, sizeof(st)));
	EXPECT_EQ(st.engine, BCS);
	EXPECT_EQ(st.head, 0);
	EXPECT_EQ(st.depth, 0);
	EXPECT(!st.cmd_started && !st.waiting);
	EXPECT_EQ(st.fault.status, 0);
}

static void test_idle_and_status_page(void)
{
	struct fake *f = setup(RCS);

	fake_put32(f, GG, HWS, 0xdeadbeef);
	fake_put32(f, GG, HWS + MVGPU_HWS_SEQNO, 0x5eed);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(!f->ev.complete && !f->ev.user);
	EXPECT_EQ(f->ev.cmds, 0);
	EXPECT_EQ(f->ev.bytes, 0);
	EXPECT_EQ(g32(f, HWS + MVGPU_HWS_HEAD), 0);
	EXPECT_EQ(g32(f, HWS + MVGPU_HWS_SEQNO), 0x5eed);

	fake_ring_seek(f, 0x1238);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, HWS), 0x1238);
	/* bits 11:1 of RING_HWS are not part of the address */
	f->ring.hws = HWS | 0xff0 | MVGPU_RING_HWS_VALID;
	fake_ring_seek(f, 0x40);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, HWS), 0x40);
	EXPECT_EQ(g32(f, HWS + 0xff0), 0);
	/* no status page */
	f->ring.hws = HWS;
	fake_ring_seek(f, 0x80);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, HWS), 0x40);
	/* an unmapped status page halts the engine */
	f->ring.hws = UNMAPPED | MVGPU_RING_HWS_VALID;
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FW | MVGPU_FAULT_GGTT_UNMAPPED, 0, UNMAPPED,
		     RING + 0x80);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	fake_free(f);

	f = setup(RCS);
	f->ring.hws = 0x3000 | MVGPU_RING_HWS_VALID;
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FW | MVGPU_FAULT_GGTT_RANGE, 0, 0x3000, RING);
	fake_free(f);
}

static void test_mi_simple(void)
{
	struct fake *f = setup(BCS);

	EMIT(f, MVGPU_MI_NOOP, MVGPU_MI_NOOP | 0x3fffff,
	     MVGPU_MI_NOOP | (1u << 22) | 0x1234, MVGPU_MI_ARB_CHECK);
	fake_submit(f);
	EXPECT_EQ(f->ring.tail, 16);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.cmds, 4);
	EXPECT(f->ev.complete);
	EXPECT(!f->ev.user);
	EXPECT_EQ(f->ev.bytes, 0);
	EXPECT_EQ(f->st.head, 16);
	EXPECT(!f->st.cmd_started);
	EXPECT_EQ(g32(f, HWS), 16);

	EMIT(f, MVGPU_MI_USER_INTERRUPT);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.cmds, 2);
	EXPECT(f->ev.user && f->ev.complete);
	EXPECT_EQ(g32(f, HWS), 24);

	/* nothing new: not complete again */
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(!f->ev.user && !f->ev.complete);
	EXPECT_EQ(f->ev.cmds, 0);
	fake_free(f);
}

struct ring_case {
	const char *what;
	u64 start;
	u32 size, tail, head;
	unsigned int depth;
};

static void test_ring_checks(void)
{
	static const struct ring_case bad[] = {
		{ "size 0", RING, 0, 0, 0, 0 },
		{ "size 2 KiB", RING, 2048, 0, 0, 0 },
		{ "size not pages", RING, 6144, 0, 0, 0 },
		{ "size 2 MiB + 4 KiB", RING, (2u << 20) + 4096, 0, 0, 0 },
		{ "size 4 MiB", RING, 4u << 20, 0, 0, 0 },
		{ "start not page aligned", RING + 0x800, 8192, 0, 0, 0 },
		{ "start dword offset", RING + 4, 8192, 0, 0, 0 },
		{ "tail == size", RING, 8192, 8192, 0, 0 },
		{ "tail beyond size", RING, 4096, 0x1008, 0, 0 },
		{ "tail not 8-aligned", RING, 8192, 4, 0, 0 },
		{ "head == size", RING, 8192, 0, 8192, 0 },
		{ "head not dword aligned", RING, 8192, 16, 2, 0 },
		{ "impossible batch depth", RING, 8192, 16, 0, 3 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		unsigned int before = unit_failures;
		struct fake *f = setup(RCS);

		EMIT(f, SDI_G(DATA, 1));
		fake_submit(f);
		f->ring.start = bad[i].start;
		f->ring.size = bad[i].size;
		f->ring.tail = bad[i].tail;
		f->st.head = bad[i].head;
		f->st.depth = bad[i].depth;
		EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
		EXPECT_FAULT(f, FV | MVGPU_FAULT_RING, 0, bad[i].start,
			     bad[i].start);
		EXPECT_EQ(f->ev.cmds, 0);
		/* halted: even a valid ring does not run any more */
		f->ring.start = RING;
		f->ring.size = FAKE_RING_SIZE;
		f->ring.tail = 16;
		f->st.head = 0;
		f->st.depth = 0;
		EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
		EXPECT_EQ(f->st.fault.status, FV | MVGPU_FAULT_RING);
		EXPECT(data_untouched(f));
		if (unit_failures != before)
			printf("# ... in ring case \"%s\"\n", bad[i].what);
		fake_free(f);
	}

	/* the smallest and the largest ring */
	for (i = 0; i < 2; i++) {
		struct fake *f = setup(RCS);

		f->ring.size = i ? MVGPU_RING_SIZE_MAX : MVGPU_RING_SIZE_MIN;
		if (i)
			fake_ggtt_back(f, RING + FAKE_RING_SIZE,
				       MVGPU_RING_SIZE_MAX - FAKE_RING_SIZE);
		fake_ring_seek(f, f->ring.size - 8);
		EMIT(f, SDI_G(DATA, 7 + i));
		fake_submit(f);
		EXPECT_EQ(f->ring.tail, 8);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA), 7 + i);
		EXPECT_EQ(f->st.head, 8);
		fake_free(f);
	}
}

/* A ring command running past the tail is a RING fault, not executed. */
static void test_ring_command_past_tail(void)
{
	/* a 4-dword SDI of which only the first 8 bytes are submitted */
	{
		struct fake *f = setup(RCS);

		EMIT(f, SDI_G(DATA, 0x5a5a));
		f->ring.tail = 8;
		EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
		EXPECT_EQ(f->st.fault.status, FV | MVGPU_FAULT_RING);
		EXPECT_EQ(f->st.head, 0);
		EXPECT_EQ(f->ev.cmds, 0);
		EXPECT(data_untouched(f));
		fake_free(f);
	}
	/* across the wrap: the command straddles it, the tail cuts it */
	{
		struct fake *f = setup(RCS);

		fake_ring_seek(f, FAKE_RING_SIZE - 8);
		EMIT(f, SDI_G(DATA, 0x77));	/* 4 dwords: 8 bytes before, 8 after */
		f->ring.tail = 0;		/* only the first 8 bytes are submitted */
		EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
		EXPECT_EQ(f->st.fault.status, FV | MVGPU_FAULT_RING);
		EXPECT(data_untouched(f));
		fake_free(f);
	}
	/* the same command wholly submitted runs */
	{
		struct fake *f = setup(RCS);

		fake_ring_seek(f, FAKE_RING_SIZE - 8);
		EMIT(f, SDI_G(DATA, 0x77));
		fake_submit(f);
		EXPECT_EQ(f->ring.tail, 8);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA), 0x77);
		fake_free(f);
	}
}

static void test_store_data_imm(void)
{
	struct fake *f = setup(RCS);

	setup_ppgtt(f);
	fake_put32(f, GG, DATA + 0x34, 0xdeadbeef);
	EMIT(f, SDI_G(DATA + 0x10, 0x11111111),
	     /* address bits 1:0 and high dword bits 31:16 are ignored */
	     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(DATA + 0x23),
	     0xabcd0000 | HI(DATA), 0x22222222,
	     SDI_QG(DATA + 0x1ff8, 0x0123456789abcdefull),
	     /* the length decides the size, not the Store Qword bit */
	     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT | (1u << 21),
	     LO(DATA + 0x30), HI(DATA + 0x30), 0x33333333,
	     MVGPU_MI(0x20, 3) | MVGPU_MI_USE_GGTT, LO(DATA + 0x40),
	     HI(DATA + 0x40), 0x44444444, 0x55555555,
	     SDI_P(PDATA + 0x100, 0x66666666),
	     MVGPU_MI_STORE_DATA_IMM_QW, LO(PDATA + 0x2008), HI(PDATA + 0x2008),
	     0x77777777, 0x88888888);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.cmds, 8);	/* 7 and a padding MI_NOOP */
	EXPECT_EQ(f->ev.bytes, 40);
	EXPECT_EQ(g32(f, DATA + 0x10), 0x11111111);
	EXPECT_EQ(g32(f, DATA + 0x20), 0x22222222);
	EXPECT_EQ(g32(f, DATA + 0x24), 0);
	EXPECT_EQ(fake_get64(f, GG, DATA + 0x1ff8), 0x0123456789abcdefull);
	EXPECT_EQ(g32(f, DATA + 0x30), 0x33333333);
	EXPECT_EQ(g32(f, DATA + 0x34), 0xdeadbeef);
	EXPECT_EQ(g32(f, DATA + 0x40), 0x44444444);
	EXPECT_EQ(g32(f, DATA + 0x44), 0x55555555);
	EXPECT_EQ(p32(f, PDATA + 0x100), 0x66666666);
	EXPECT_EQ(fake_get64(f, PP, PDATA + 0x2008), 0x8888888877777777ull);
	fake_free(f);

	FAULT_CASE("qword not 8-aligned", RCS, false, FV | FW |
		   MVGPU_FAULT_BAD_FIELD, DATA + 4, SDI_QG(DATA + 4, 1));
	FAULT_CASE("PPGTT qword not 8-aligned", RCS, true, FV | FW | FP |
		   MVGPU_FAULT_BAD_FIELD, PDATA + 0xc,
		   MVGPU_MI_STORE_DATA_IMM_QW, LO(PDATA + 0xc), HI(PDATA), 1,
		   2);
	FAULT_CASE("length 1", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x20, 1) | MVGPU_MI_USE_GGTT, LO(DATA), HI(DATA));
	FAULT_CASE("length 4", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x20, 4) | MVGPU_MI_USE_GGTT, LO(DATA), HI(DATA),
		   1, 2, 3);
	FAULT_CASE("GGTT unmapped", RCS, false, FV | FW |
		   MVGPU_FAULT_GGTT_UNMAPPED, UNMAPPED + 8,
		   SDI_G(UNMAPPED + 8, 1));
	FAULT_CASE("GGTT read-only", BCS, false, FV | FW |
		   MVGPU_FAULT_READ_ONLY, DATA_RO + 8, SDI_G(DATA_RO + 8, 1));
	FAULT_CASE("below the GGTT slice", RCS, false, FV | FW |
		   MVGPU_FAULT_GGTT_RANGE, 0x1000, SDI_G(0x1000, 1));
	FAULT_CASE("above the GGTT slice", RCS, false, FV | FW |
		   MVGPU_FAULT_GGTT_RANGE, 1ull << 40, SDI_G(1ull << 40, 1));
	FAULT_CASE("PPGTT without a context", RCS, false, FV | FW | FP |
		   MVGPU_FAULT_NO_PPGTT, PDATA, SDI_P(PDATA, 1));
	FAULT_CASE("PPGTT unmapped", RCS, true, FV | FW | FP |
		   MVGPU_FAULT_PPGTT_UNMAPPED, 0x1000, SDI_P(0x1000, 1));
}

static void test_lri_srm(void)
{
	unsigned int e, i;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct fake *f = setup(e);

		setup_ppgtt(f);
		fake_put32(f, GG, DATA + 12, 0xdeadbeef);
		EMIT(f, MVGPU_MI_LOAD_REGISTER_IMM(3), GPR(e, 0), 0x11111111,
		     GPR(e, 0) + 4, 0x22222222, GPR(e, 15) + 4, 0x33333333,
		     MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(e, 7), 0x44444444,
		     SRM_G(GPR(e, 0), DATA), SRM_G(GPR(e, 0) + 4, DATA + 4),
		     SRM_G(GPR(e, 15) + 4, DATA + 8), SRM_G(GPR(e, 15),
		     DATA + 12),
		     /* address bits 1:0 are ignored */
		     SRM_G(GPR(e, 7), DATA + 0x13),
		     MVGPU_MI_STORE_REGISTER_MEM, GPR(e, 0) + 4,
		     LO(PDATA + 0x40), HI(PDATA + 0x40));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(f->st.gpr[0], 0x2222222211111111ull);
		EXPECT_EQ(f->st.gpr[15], 0x3333333300000000ull);
		EXPECT_EQ(f->st.gpr[7], 0x44444444);
		for (i = 1; i < MVGPU_CS_GPR_COUNT; i++)
			if (i != 7 && i != 15)
				EXPECT_EQ(f->st.gpr[i], 0);
		EXPECT_EQ(g32(f, DATA), 0x11111111);
		EXPECT_EQ(g32(f, DATA + 4), 0x22222222);
		EXPECT_EQ(g32(f, DATA + 8), 0x33333333);
		EXPECT_EQ(g32(f, DATA + 12), 0);
		EXPECT_EQ(g32(f, DATA + 0x10), 0x44444444);
		EXPECT_EQ(p32(f, PDATA + 0x40), 0x22222222);
		EXPECT_EQ(f->ev.bytes, 24);
		EXPECT_EQ(f->ev.cmds, 8);

		/* the engine timestamp, as of the command */
		f->now = 0x0000123456789abcull;
		EMIT(f, SRM_G(MVGPU_ENGINE_BASE(e) + MVGPU_RING_TIMESTAMP_LO,
			      DATA + 0x20),
		     SRM_G(MVGPU_ENGINE_BASE(e) + MVGPU_RING_TIMESTAMP_HI,
			   DATA + 0x24));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA + 0x20), 0x56789abc);
		EXPECT_EQ(g32(f, DATA + 0x24), 0x1234);
		fake_free(f);
	}

	/* the longest LRI, 128 pairs, over the ring's wrap */
	{
		struct fake *f = setup(BCS);
		u32 dw[1 + 256];

		dw[0] = MVGPU_MI_LOAD_REGISTER_IMM(128);
		for (i = 0; i < 128; i++) {
			dw[1 + 2 * i] = GPR(BCS, 0) + 4 * (i % 32);
			dw[2 + 2 * i] = 0x1000 * (i / 32) + i;
		}
		fake_ring_seek(f, FAKE_RING_SIZE - 0x100);
		fake_emit(f, ARRAY_SIZE(dw), dw);
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(f->ev.cmds, 2);
		for (i = 0; i < 16; i++)
			EXPECT_EQ(f->st.gpr[i],
				  (u64)(0x3000 + 96 + 2 * i + 1) << 32 |
				  (0x3000 + 96 + 2 * i));
		fake_free(f);
	}

	/* a bad register in the middle: the ones before it are written */
	{
		struct fake *f = setup(RCS);

		EMIT(f, MVGPU_MI_LOAD_REGISTER_IMM(3), GPR(RCS, 0), 1,
		     GPR(BCS, 1), 2, GPR(RCS, 1), 3);
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
		EXPECT_FAULT(f, FV | MVGPU_FAULT_BAD_REGISTER,
			     MVGPU_MI_LOAD_REGISTER_IMM(3), GPR(BCS, 1), RING);
		EXPECT_EQ(f->st.gpr[0], 1);
		EXPECT_EQ(f->st.gpr[1], 0);
		EXPECT_EQ(f->st.head, 0);
		fake_free(f);
	}

	FAULT_CASE("LRI: the other engine's GPR", RCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(BCS, 0),
		   MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(BCS, 0), 1);
	FAULT_CASE("LRI: BCS naming RCS", BCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(RCS, 3) + 4,
		   MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 3) + 4, 1);
	FAULT_CASE("LRI: unaligned", RCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   GPR(RCS, 0) + 1, MVGPU_MI_LOAD_REGISTER_IMM(1),
		   GPR(RCS, 0) + 1, 1);
	FAULT_CASE("LRI: offset bits 1:0", RCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(RCS, 2) + 2,
		   MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 2) + 2, 1);
	FAULT_CASE("LRI: timestamp", RCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TIMESTAMP_LO,
		   MVGPU_MI_LOAD_REGISTER_IMM(1),
		   MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TIMESTAMP_LO, 1);
	FAULT_CASE("LRI: ring tail", RCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TAIL,
		   MVGPU_MI_LOAD_REGISTER_IMM(1),
		   MVGPU_ENGINE_BASE(RCS) + MVGPU_RING_TAIL, 0);
	FAULT_CASE("LRI: past the GPRs", RCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(RCS, 16),
		   MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 16), 1);
	FAULT_CASE("LRI: before the GPRs", BCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(BCS, 0) - 4,
		   MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(BCS, 0) - 4, 1);
	FAULT_CASE("LRI: offset 0", RCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   0, MVGPU_MI_LOAD_REGISTER_IMM(1), 0, 1);
	FAULT_CASE("LRI: even length", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH,
		   0, MVGPU_MI(0x22, 2), GPR(RCS, 0), 1, 2);
	FAULT_CASE("LRI: length 0", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH,
		   0, MVGPU_MI(0x22, 0), GPR(RCS, 0));
	FAULT_CASE("SRM: the other engine's GPR", RCS, false,
		   FV | MVGPU_FAULT_BAD_REGISTER, GPR(BCS, 0),
		   SRM_G(GPR(BCS, 0), DATA));
	FAULT_CASE("SRM: unaligned", BCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   GPR(BCS, 0) + 1, SRM_G(GPR(BCS, 0) + 1, DATA));
	FAULT_CASE("SRM: ring head", BCS, false, FV | MVGPU_FAULT_BAD_REGISTER,
		   MVGPU_ENGINE_BASE(BCS) + MVGPU_RING_HEAD,
		   SRM_G(MVGPU_ENGINE_BASE(BCS) + MVGPU_RING_HEAD, DATA));
	FAULT_CASE("SRM: length 3", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x24, 3) | MVGPU_MI_USE_GGTT, GPR(RCS, 0),
		   LO(DATA), HI(DATA), 0);
	FAULT_CASE("SRM: read-only", RCS, false, FV | FW |
		   MVGPU_FAULT_READ_ONLY, DATA_RO, SRM_G(GPR(RCS, 0), DATA_RO));
}

static void test_flush_dw(void)
{
	struct fake *f = setup(BCS);
	u64 ts = 0x1122334455667788ull;

	setup_ppgtt(f);
	f->now = ts;
	fake_put32(f, GG, DATA + 4, 0xdeadbeef);
	fake_put32(f, GG, DATA + 0x1c, 0xdeadbeef);
	EMIT(f, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
	     LO(DATA) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(DATA), 0xaaaa5555,
	     MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STORE,
	     LO(DATA + 8) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(DATA), 0x11111111,
	     0x22222222,
	     MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_TS,
	     LO(DATA + 0x10) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(DATA), 0, 0,
	     MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_TS,
	     LO(DATA + 0x18) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(DATA), 0,
	     MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STORE,
	     LO(PDATA + 0x20), HI(PDATA), 0x33333333, 0x44444444,
	     /* bits 1:0 of the address dword are ignored */
	     MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
	     LO(DATA + 0x28) | MVGPU_MI_FLUSH_DW_USE_GGTT | 3, HI(DATA),
	     0x55555555,
	     /* no post-sync operation: the address is not used */
	     MVGPU_MI_FLUSH_DW, 0xffffffff, 0xffffffff, 0xffffffff);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 0xaaaa5555);
	EXPECT_EQ(g32(f, DATA + 4), 0xdeadbeef);
	EXPECT_EQ(fake_get64(f, GG, DATA + 8), 0x2222222211111111ull);
	EXPECT_EQ(fake_get64(f, GG, DATA + 0x10), ts);
	EXPECT_EQ(g32(f, DATA + 0x18), LO(ts));
	EXPECT_EQ(g32(f, DATA + 0x1c), 0xdeadbeef);
	EXPECT_EQ(fake_get64(f, PP, PDATA + 0x20), 0x4444444433333333ull);
	EXPECT_EQ(g32(f, DATA + 0x28), 0x55555555);
	EXPECT_EQ(f->ev.bytes, 36);
	EXPECT_EQ(f->ev.cmds, 8);	/* 7 and a padding MI_NOOP */
	EXPECT(!f->ev.user);

	EMIT(f, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_NOTIFY, 0, 0, 0);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(f->ev.user);
	EXPECT_EQ(f->ev.bytes, 0);
	fake_free(f);

	FAULT_CASE("MI_FLUSH_DW on RCS", RCS, false,
		   FV | MVGPU_FAULT_BAD_ENGINE, 0, MVGPU_MI_FLUSH_DW, 0, 0, 0);
	FAULT_CASE("MI_FLUSH_DW op 2", BCS, false, FV | MVGPU_FAULT_BAD_FIELD,
		   0, MVGPU_MI_FLUSH_DW | (2u << 14), LO(DATA) | 4, HI(DATA), 0);
	FAULT_CASE("MI_FLUSH_DW length 1", BCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0, MVGPU_MI(0x26, 1), 0, 0);
	FAULT_CASE("MI_FLUSH_DW length 4", BCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0, MVGPU_MI(0x26, 4), 0, 0, 0,
		   0, 0);
	FAULT_CASE("MI_FLUSH_DW unmapped", BCS, false,
		   FV | FW | MVGPU_FAULT_GGTT_UNMAPPED, UNMAPPED,
		   MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
		   LO(UNMAPPED) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(UNMAPPED), 1);
	FAULT_CASE("MI_FLUSH_DW PPGTT without context", BCS, false,
		   FV | FW | FP | MVGPU_FAULT_NO_PPGTT, PDATA,
		   MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_TS, LO(PDATA),
		   HI(PDATA), 0, 0);
}

static void test_pipe_control(void)
{
	struct fake *f = setup(RCS);
	u64 ts = 0x0000777766665555ull;

	setup_ppgtt(f);
	f->now = ts;
	EMIT(f, PC(MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT | MVGPU_PC_CS_STALL,
		   DATA, 0x11111111, 0x22222222),
	     PC(MVGPU_PC_OP_TS | MVGPU_PC_USE_GGTT, DATA + 8, 0, 0),
	     PC(MVGPU_PC_OP_STORE, PDATA + 0x10, 0x33333333, 0x44444444),
	     /* no post-sync operation: other flags and the address ignored */
	     PC(MVGPU_PC_CS_STALL | 0x1, 0xfffffffc, 0xffffffff, 0xffffffff),
	     /* address bits 1:0 are ignored */
	     PC(MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT, DATA + 0x1b, 5, 6));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(fake_get64(f, GG, DATA), 0x2222222211111111ull);
	EXPECT_EQ(fake_get64(f, GG, DATA + 8), ts);
	EXPECT_EQ(fake_get64(f, PP, PDATA + 0x10), 0x4444444433333333ull);
	EXPECT_EQ(fake_get64(f, GG, DATA + 0x18), 0x0000000600000005ull);
	EXPECT_EQ(f->ev.bytes, 32);
	EXPECT_EQ(f->ev.cmds, 5);
	EXPECT(!f->ev.user);
	EMIT(f, PC(MVGPU_PC_NOTIFY, 0, 0, 0));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(f->ev.user);
	fake_free(f);

	FAULT_CASE("PIPE_CONTROL on BCS", BCS, false,
		   FV | MVGPU_FAULT_BAD_ENGINE, 0, PC(0, 0, 0, 0));
	FAULT_CASE("PIPE_CONTROL op 2", RCS, false, FV | MVGPU_FAULT_BAD_FIELD,
		   0, PC(2u << 14 | MVGPU_PC_USE_GGTT, DATA, 0, 0));
	FAULT_CASE("PIPE_CONTROL unaligned", RCS, false,
		   FV | FW | MVGPU_FAULT_BAD_FIELD, DATA + 4,
		   PC(MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT, DATA + 4, 0, 0));
	FAULT_CASE("PIPE_CONTROL PPGTT unaligned", RCS, true,
		   FV | FW | FP | MVGPU_FAULT_BAD_FIELD, PDATA + 0x14,
		   PC(MVGPU_PC_OP_TS, PDATA + 0x14, 0, 0));
	FAULT_CASE("PIPE_CONTROL length 5", RCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   0x7a000005, 0, 0, 0, 0, 0, 0);
	FAULT_CASE("PIPE_CONTROL length 3", RCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0, 0x7a000003, 0, 0, 0, 0);
	FAULT_CASE("PIPE_CONTROL header bits 15:8", RCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0, 0x7a000104, 0, 0, 0, 0, 0);
	FAULT_CASE("PIPE_CONTROL unmapped", RCS, false,
		   FV | FW | MVGPU_FAULT_GGTT_UNMAPPED, UNMAPPED,
		   PC(MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT, UNMAPPED, 0, 0));
}

static bool sem_holds(unsigned int op, u32 sad, u32 sdd)
{
	switch (op) {
	case MVGPU_SEM_GT:
		return sad > sdd;
	case MVGPU_SEM_GTE:
		return sad >= sdd;
	case MVGPU_SEM_LT:
		return sad < sdd;
	case MVGPU_SEM_LTE:
		return sad <= sdd;
	case MVGPU_SEM_EQ:
		return sad == sdd;
	default:
		return sad != sdd;
	}
}

static void test_semaphore_wait(void)
{
	static const u32 sads[] = { 4, 5, 6, 0xffffffff, 0 };
	unsigned int op, i;

	for (op = 0; op <= MVGPU_SEM_NEQ; op++) {
		for (i = 0; i < ARRAY_SIZE(sads); i++) {
			unsigned int before = unit_failures;
			struct fake *f = setup(RCS);
			u32 sdd = 5, ok;

			fake_put32(f, GG, DATA + 0x100, sads[i]);
			EMIT(f, SEM(op, sdd, DATA + 0x100), SDI_G(DATA, 0xcafe));
			fake_submit(f);
			if (sem_holds(op, sads[i], sdd)) {
				EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
				EXPECT_EQ(g32(f, DATA), 0xcafe);
				EXPECT(!f->st.waiting);
				fake_free(f);
				continue;
			}
			EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
			EXPECT(f->st.waiting && f->st.cmd_started);
			EXPECT_EQ(f->st.head, 0);
			EXPECT_EQ(f->ev.cmds, 0);
			EXPECT_EQ(g32(f, DATA), 0);
			EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
			/* release it */
			for (ok = 0; !sem_holds(op, ok, sdd); ok++)
				;
			fake_put32(f, GG, DATA + 0x100, ok);
			EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
			EXPECT_EQ(g32(f, DATA), 0xcafe);
			EXPECT_EQ(f->ev.cmds, 2);
			EXPECT(!f->st.waiting && !f->st.cmd_started);
			if (unit_failures != before)
				printf("# ... op %u SAD 0x%x SDD %u\n", op,
				       sads[i], sdd);
			fake_free(f);
		}
	}

	/* PPGTT semaphore, poll mode, in a batch: the wait resumes there */
	{
		struct fake *f = setup(BCS);
		struct fake_batch b;

		setup_ppgtt(f);
		fake_batch_init(&b, f, GG, BB);
		BATCH(&b, SDI_G(DATA + 4, 1),
		      MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		      MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_EQ), 7, LO(PDATA + 0x80),
		      HI(PDATA + 0x80),
		      SDI_G(DATA + 8, 2), BBE);
		EMIT(f, BBS_G(BB), SDI_G(DATA + 12, 3));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
		EXPECT_EQ(f->st.depth, 1);
		EXPECT_EQ(f->st.bb_addr[0], BB + 16);
		EXPECT_EQ(f->st.head, 0);
		EXPECT_EQ(g32(f, DATA + 4), 1);
		EXPECT_EQ(g32(f, DATA + 8), 0);
		fake_put32(f, PP, PDATA + 0x80, 7);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA + 8), 2);
		EXPECT_EQ(g32(f, DATA + 12), 3);
		EXPECT_EQ(f->st.head, f->ring.tail);
		EXPECT_EQ(f->st.depth, 0);
		fake_free(f);
	}

	FAULT_CASE("semaphore op 6", RCS, false, FV | MVGPU_FAULT_BAD_FIELD, 0,
		   SEM(6, 0, DATA));
	FAULT_CASE("semaphore op 7", BCS, false, FV | MVGPU_FAULT_BAD_FIELD, 0,
		   SEM(7, 0, DATA));
	FAULT_CASE("semaphore unmapped", RCS, false,
		   FV | MVGPU_FAULT_GGTT_UNMAPPED, UNMAPPED + 4,
		   SEM(MVGPU_SEM_EQ, 0, UNMAPPED + 4));
	FAULT_CASE("semaphore PPGTT unmapped", RCS, true,
		   FV | FP | MVGPU_FAULT_PPGTT_UNMAPPED, 0x10000,
		   MVGPU_MI_SEMAPHORE_WAIT, 0, 0x10000, 0);
	FAULT_CASE("semaphore length 3", RCS, false,
		   FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x1c, 3) | MVGPU_MI_SEMAPHORE_GGTT, 0, LO(DATA),
		   HI(DATA), 0);
}

static void test_batch_first_level(void)
{
	struct fake_batch b;
	struct fake *f = setup(RCS);

	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, SDI_G(DATA, 1), BBE);
	/* address bits 1:0 and high dword bits 31:16 are ignored */
	EMIT(f, MVGPU_MI_BATCH_BUFFER_START, LO(BB) | 3, HI(BB) | 0xffff0000,
	     SDI_G(DATA + 4, 2));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(g32(f, DATA + 4), 2);
	EXPECT_EQ(f->ev.cmds, 5);	/* BBS, SDI, BBE, SDI, MI_NOOP */
	EXPECT_EQ(f->st.head, 32);
	EXPECT_EQ(f->st.depth, 0);
	EXPECT_EQ(g32(f, HWS), 32);
	EXPECT(f->ev.complete);
	fake_free(f);

	/* a PPGTT batch across a page boundary, writing to both spaces */
	f = setup(BCS);
	setup_ppgtt(f);
	fake_batch_init(&b, f, PP, PBB + 0xff0);
	BATCH(&b, SDI_P(PDATA, 3), SDI_G(DATA, 4), BBE);
	EMIT(f, BBS_P(PBB + 0xff0));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(p32(f, PDATA), 3);
	EXPECT_EQ(g32(f, DATA), 4);
	EXPECT_EQ(f->ev.cmds, 5);
	fake_free(f);
}

struct batch_step {
	enum mvgpu_exec_result ret;
	unsigned int depth;
	u32 head;
	u64 bb0, bb1;
	bool started;
};

/*
 * Chaining and second-level batches, one command per slice (budget 0),
 * with the head, the levels and their addresses after every command.
 */
static void test_batch_nesting(void)
{
	static const struct batch_step steps[] = {
		{ YIELD, 1, 0, BB, 0, true },			/* ring BBS */
		{ YIELD, 1, 0, BB + 16, 0, true },		/* A: SDI */
		{ YIELD, 2, 0, BB + 28, BB + 0x1000, true },	/* A: BBS 2nd */
		{ YIELD, 2, 0, BB + 28, BB + 0x1010, true },	/* B: SDI */
		{ YIELD, 2, 0, BB + 28, BB + 0x2000, true },	/* B: chain */
		{ YIELD, 2, 0, BB + 28, BB + 0x2010, true },	/* C: SDI */
		{ YIELD, 1, 0, BB + 28, 0, true },		/* C: BBE */
		{ YIELD, 1, 0, BB + 44, 0, true },		/* A: SDI */
		{ YIELD, 0, 12, 0, 0, false },			/* A: BBE */
		{ YIELD, 0, 28, 0, 0, false },			/* ring SDI */
		{ IDLE, 0, 32, 0, 0, false },			/* MI_NOOP */
	};
	struct fake *f = setup(RCS);
	struct fake_batch b;
	unsigned int i;

	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, SDI_G(DATA, 1), BBS2_G(BB + 0x1000), SDI_G(DATA + 8, 3), BBE);
	fake_batch_init(&b, f, GG, BB + 0x1000);
	BATCH(&b, SDI_G(DATA + 4, 2), BBS_G(BB + 0x2000),
	      SDI_G(DATA + 0x40, 0xbad));
	fake_batch_init(&b, f, GG, BB + 0x2000);
	BATCH(&b, SDI_G(DATA + 0xc, 4), BBE);
	EMIT(f, BBS_G(BB), SDI_G(DATA + 0x10, 5));
	fake_submit(f);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		unsigned int before = unit_failures;

		EXPECT_EQ(fake_run(f, 0), steps[i].ret);
		EXPECT_EQ(f->ev.cmds, 1);
		EXPECT_EQ(f->st.depth, steps[i].depth);
		EXPECT_EQ(f->st.head, steps[i].head);
		EXPECT_EQ(f->st.cmd_started, steps[i].started);
		if (steps[i].depth >= 1)
			EXPECT_EQ(f->st.bb_addr[0], steps[i].bb0);
		if (steps[i].depth >= 2)
			EXPECT_EQ(f->st.bb_addr[1], steps[i].bb1);
		if (unit_failures != before)
			printf("# ... after step %u\n", i);
	}
	EXPECT(f->ev.complete);
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(g32(f, DATA + 4), 2);
	EXPECT_EQ(g32(f, DATA + 8), 3);
	EXPECT_EQ(g32(f, DATA + 0xc), 4);
	EXPECT_EQ(g32(f, DATA + 0x10), 5);
	EXPECT_EQ(g32(f, DATA + 0x40), 0);
	fake_free(f);

	/* GGTT chains to PPGTT, which calls a GGTT second level */
	f = setup(BCS);
	setup_ppgtt(f);
	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, SDI_G(DATA, 1), BBS_P(PBB));
	fake_batch_init(&b, f, PP, PBB);
	BATCH(&b, SDI_P(PDATA, 2), BBS2_G(BB + 0x1000), SDI_P(PDATA + 4, 4),
	      BBE);
	fake_batch_init(&b, f, GG, BB + 0x1000);
	BATCH(&b, SDI_G(DATA + 4, 3), BBE);
	EMIT(f, BBS_G(BB), SDI_G(DATA + 8, 5));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(p32(f, PDATA), 2);
	EXPECT_EQ(g32(f, DATA + 4), 3);
	EXPECT_EQ(p32(f, PDATA + 4), 4);
	EXPECT_EQ(g32(f, DATA + 8), 5);
	EXPECT_EQ(f->ev.cmds, 11);
	fake_free(f);
}

static void test_batch_faults(void)
{
	struct fake_batch b;
	struct fake *f;

	FAULT_CASE("BB_END in the ring", RCS, false,
		   FV | MVGPU_FAULT_BATCH_DEPTH, 0, BBE);
	FAULT_CASE("second level from the ring", BCS, false,
		   FV | MVGPU_FAULT_BATCH_DEPTH, 0, BBS2_G(BB));
	FAULT_CASE("BBS length 2", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x31, 2), LO(BB), HI(BB), 0);
	FAULT_CASE("BBS length 0", RCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
		   MVGPU_MI(0x31, 0), LO(BB));

	/* a third level */
	f = setup(RCS);
	setup_ppgtt(f);
	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, BBS2_P(PBB));
	fake_batch_init(&b, f, PP, PBB);
	BATCH(&b, SDI_P(PDATA, 1), BBS2_G(BB + 0x1000));
	EMIT(f, BBS_G(BB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | FCP | MVGPU_FAULT_BATCH_DEPTH,
		     MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_SECOND_LEVEL, 0,
		     PBB + 16);
	EXPECT_EQ(f->st.depth, 2);
	EXPECT_EQ(f->st.head, 0);
	EXPECT_EQ(p32(f, PDATA), 1);
	EXPECT_EQ(f->ev.cmds, 3);
	fake_free(f);

	/* the batch is not mapped: the fetch of its first dword faults */
	f = setup(RCS);
	EMIT(f, BBS_G(UNMAPPED));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | MVGPU_FAULT_GGTT_UNMAPPED, 0, UNMAPPED,
		     UNMAPPED);
	EXPECT_EQ(f->st.depth, 1);
	EXPECT_EQ(f->st.head, 0);
	EXPECT_EQ(f->ev.cmds, 1);
	fake_free(f);

	/* a PPGTT batch without a context */
	f = setup(BCS);
	EMIT(f, BBS_P(PBB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | FCP | FP | MVGPU_FAULT_NO_PPGTT, 0, PBB,
		     PBB);
	fake_free(f);

	/* a command whose second half lies on an unmapped page */
	f = setup(RCS);
	fake_put32(f, GG, BB + 0xff8, MVGPU_MI_STORE_DATA_IMM |
		   MVGPU_MI_USE_GGTT);
	fake_put32(f, GG, BB + 0xffc, LO(DATA));
	fake_ggtt_set(f, BB + 0x1000, 0);
	EMIT(f, BBS_G(BB + 0xff8));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, BB + 0x1000,
		     BB + 0xff8);
	EXPECT(data_untouched(f));
	fake_free(f);

	/* faults in second-level batches of either space */
	f = setup(BCS);
	setup_ppgtt(f);
	fake_batch_init(&b, f, PP, PBB);
	BATCH(&b, BBS2_G(BB));
	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, SDI_G(UNMAPPED, 1));
	EMIT(f, BBS_P(PBB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | FW | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, UNMAPPED, BB);
	fake_free(f);

	f = setup(RCS);
	setup_ppgtt(f);
	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, BBS2_P(PBB + 0x40));
	fake_batch_init(&b, f, PP, PBB + 0x40);
	BATCH(&b, SDI_P(0x2000, 1));
	EMIT(f, BBS_G(BB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | FCP | FW | FP | MVGPU_FAULT_PPGTT_UNMAPPED,
		     MVGPU_MI_STORE_DATA_IMM, 0x2000, PBB + 0x40);
	fake_free(f);
}

static void test_bad_commands(void)
{
	static const u32 bad_opcodes[] = {
		MVGPU_MI(0x01, 0), MVGPU_MI(0x03, 0), MVGPU_MI(0x04, 0),
		MVGPU_MI(0x08, 0), MVGPU_MI(0x0b, 0), MVGPU_MI(0x21, 2),
		MVGPU_MI(0x23, 1), MVGPU_MI(0x29, 2), MVGPU_MI(0x3f, 0x3f),
		0x20000000, 0x3fffffff,			/* client 1 */
		0x78000000, 0x7a010004, 0x7b000004, 0x61010000,	/* 3D */
		MVGPU_BLT(0x43, 8), MVGPU_BLT(0x51, 5), MVGPU_BLT(0x7f, 0),
		0x80000000, 0xa0000000, 0xc0000000, 0xe0000000, 0xffffffff,
	};
	static const u32 bad_lengths[] = {
		MVGPU_MI(0x1c, 1), MVGPU_MI(0x1c, 3),
		MVGPU_BLT(0x50, 4), MVGPU_BLT(0x50, 6),
		MVGPU_BLT(0x53, 7), MVGPU_BLT(0x53, 9),
		MVGPU_BLT(0x42, 7), MVGPU_BLT(0x42, 9),
	};
	static const u32 blits[] = {
		MVGPU_XY_COLOR_BLT, MVGPU_XY_SRC_COPY_BLT,
		MVGPU_XY_FAST_COPY_BLT,
		MVGPU_BLT(0x50, 6),	/* the engine is checked first */
	};
	u32 dw[12] = { 0 };
	unsigned int i, e;

	for (i = 0; i < ARRAY_SIZE(bad_opcodes); i++) {
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			dw[0] = bad_opcodes[i];
			fault_case("opcode", e, false,
				   FV | MVGPU_FAULT_BAD_OPCODE, 0,
				   ARRAY_SIZE(dw), dw);
		}
	}
	for (i = 0; i < ARRAY_SIZE(bad_lengths); i++) {
		dw[0] = bad_lengths[i];
		fault_case("length", BCS, false, FV | MVGPU_FAULT_BAD_LENGTH, 0,
			   ARRAY_SIZE(dw), dw);
	}
	for (i = 0; i < ARRAY_SIZE(blits); i++) {
		dw[0] = blits[i];
		fault_case("blit on RCS", RCS, false,
			   FV | MVGPU_FAULT_BAD_ENGINE, 0, ARRAY_SIZE(dw), dw);
	}
}

static void test_ring_wrap(void)
{
	struct fake *f = setup(RCS);
	u32 expect[1024] = { 0 }, lri = 0;
	u64 seed = 0x1234;
	unsigned int i;

	/* a command straddling the end of the ring */
	fake_ring_seek(f, FAKE_RING_SIZE - 8);
	EMIT(f, SDI_G(DATA, 0x1234));
	fake_submit(f);
	EXPECT_EQ(f->ring.tail, 8);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 0x1234);
	EXPECT_EQ(f->ev.cmds, 1);
	EXPECT_EQ(f->st.head, 8);
	EXPECT_EQ(g32(f, HWS), 8);

	/* thousands of submissions around the ring */
	expect[0] = 0x1234;
	for (i = 0; i < 5000; i++) {
		u32 slot = fake_rand(&seed) % 1024;
		u32 pending;

		EMIT(f, SDI_G(DATA + 4 * slot, i + 1));
		expect[slot] = i + 1;
		if (fake_rand(&seed) % 4 == 0) {
			EMIT(f, MVGPU_MI_LOAD_REGISTER_IMM(1), GPR(RCS, 1), i);
			lri = i;
		}
		fake_submit(f);
		pending = (f->ring.tail + FAKE_RING_SIZE - f->st.head) %
			  FAKE_RING_SIZE;
		if (pending > 4096 || fake_rand(&seed) % 16 == 0 || i == 4999) {
			EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
			EXPECT_EQ(f->st.head, f->ring.tail);
			EXPECT_EQ(g32(f, HWS), f->ring.tail);
		}
	}
	for (i = 0; i < 1024; i++)
		if (g32(f, DATA + 4 * i) != expect[i]) {
			EXPECT_EQ(g32(f, DATA + 4 * i), expect[i]);
			break;
		}
	EXPECT_EQ(f->st.gpr[1], lri);
	fake_free(f);
}

/* Write dwords to a DMA address from the CPU. */
static void put_dws(struct fake *f, u64 dma, unsigned int n, const u32 *dw)
{
	u32 *p = fake_dma(f, dma);
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = htole32(dw[i]);
}

#define PUT_DWS(f, dma, ...)						\
	put_dws((f), (dma), FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__))

/*
 * A stream that rewrites its own PPGTT entry sees the change only after
 * a TLB invalidation (PIPE_CONTROL on RCS, MI_FLUSH_DW on BCS), for data
 * and for command fetches; a new slice always starts afresh.
 */
static void test_tlb_invalidate(void)
{
	u64 T = FAKE_GGTT_BASE + 0x300000;
	unsigned int e, v;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct fake *f = setup(e);
		u64 va = PDATA, a, bdma, pte_g, npte;
		u32 *A, *B;

		setup_ppgtt(f);
		a = *fake_ppgtt_entry(f, va, 3) & MVGPU_PTE_ADDR_MASK;
		bdma = fake_dma_alloc(f, 1);
		fake_ggtt_map(f, T, *fake_ppgtt_entry(f, va, 2) &
			      MVGPU_PTE_ADDR_MASK, FAKE_PAGE, P_RW);
		pte_g = T + 8 * ((va >> 12) & 511);
		npte = bdma | P_RW;
		EMIT(f, SDI_P(va, 1), SDI_G(pte_g, LO(npte)),
		     SDI_G(pte_g + 4, HI(npte)), SDI_P(va + 4, 2));
		if (e == RCS)
			EMIT(f, PC(MVGPU_PC_TLB_INVALIDATE | MVGPU_PC_CS_STALL,
				   0, 0, 0));
		else
			EMIT(f, MVGPU_MI_FLUSH_DW | FLUSH_TLB, 0, 0, 0);
		EMIT(f, SDI_P(va + 8, 3));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		A = fake_dma(f, a);
		B = fake_dma(f, bdma);
		EXPECT_EQ(A[0], 1);
		EXPECT_EQ(A[1], 2);	/* stale translation, as on hardware */
		EXPECT_EQ(A[2], 0);
		EXPECT_EQ(B[1], 0);
		EXPECT_EQ(B[2], 3);

		*fake_ppgtt_entry(f, va, 3) = a | P_RW;
		EMIT(f, SDI_P(va + 12, 4));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(A[3], 4);
		EXPECT_EQ(B[3], 0);
		fake_free(f);
	}

	/* the batch remaps its own page: fetching follows the invalidation */
	for (v = 0; v < 2; v++) {
		struct fake *f = setup(RCS);
		u64 q2, pte_g, npte;
		struct fake_batch b;

		setup_ppgtt(f);
		q2 = fake_dma_alloc(f, 1);
		fake_ggtt_map(f, T, *fake_ppgtt_entry(f, PBB, 2) &
			      MVGPU_PTE_ADDR_MASK, FAKE_PAGE, P_RW);
		pte_g = T + 8 * ((PBB >> 12) & 511);
		npte = q2 | P_RW;
		fake_batch_init(&b, f, PP, PBB);
		BATCH(&b, SDI_G(pte_g, LO(npte)), SDI_G(pte_g + 4, HI(npte)),
		      PC(v ? MVGPU_PC_TLB_INVALIDATE : MVGPU_PC_CS_STALL, 0, 0,
			 0),
		      SDI_G(DATA, 0x51), BBE);
		EXPECT_EQ(b.pos - PBB, 56 + 20);
		PUT_DWS(f, q2 + 56, SDI_G(DATA, 0x52), BBE);
		EMIT(f, BBS_P(PBB));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA), v ? 0x52 : 0x51);
		fake_free(f);
	}
}

static void test_budget_yield(void)
{
	struct fake *f = setup(RCS);
	unsigned int i, n, yields = 0, in_batch = 0;
	enum mvgpu_exec_result ret = FAULT;
	u64 cmds = 0, bytes = 0;
	struct fake_batch b;

	f->clock_step = 100;
	fake_batch_init(&b, f, GG, BB);
	for (i = 0; i < 300; i++)
		BATCH(&b, SDI_G(DATA + 4 * i, i + 1));
	BATCH(&b, BBE);
	for (i = 0; i < 100; i++)
		EMIT(f, SDI_G(DATA + 0x1000 + 4 * i, 1000 + i));
	EMIT(f, BBS_G(BB));
	for (i = 0; i < 100; i++)
		EMIT(f, SDI_G(DATA + 0x2000 + 4 * i, 2000 + i));
	fake_submit(f);
	for (n = 0; n < 10000; n++) {
		ret = fake_run(f, 1000);
		cmds += f->ev.cmds;
		bytes += f->ev.bytes;
		if (ret != YIELD)
			break;
		yields++;
		EXPECT(f->ev.cmds > 0);
		EXPECT(!f->ev.complete);
		if (f->st.depth) {
			in_batch++;
			EXPECT_EQ(f->st.head, 1600);
			EXPECT(f->st.cmd_started);
		}
	}
	EXPECT_EQ(ret, IDLE);
	EXPECT(f->ev.complete);
	EXPECT(yields >= 5);
	EXPECT(in_batch >= 2);
	EXPECT_EQ(cmds, 100 + 1 + 300 + 1 + 100 + 1);
	EXPECT_EQ(bytes, 500 * 4);
	for (i = 0; i < 300; i++)
		EXPECT_EQ(g32(f, DATA + 4 * i), i + 1);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(g32(f, DATA + 0x1000 + 4 * i), 1000 + i);
		EXPECT_EQ(g32(f, DATA + 0x2000 + 4 * i), 2000 + i);
	}
	fake_free(f);

	/* budget 0: exactly one command per slice, even on a still clock */
	f = setup(BCS);
	for (i = 0; i < 10; i++)
		EMIT(f, SDI_G(DATA + 4 * i, i + 1));
	fake_submit(f);
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(fake_run(f, 0), i == 9 ? IDLE : YIELD);
		EXPECT_EQ(f->ev.cmds, 1);
		EXPECT_EQ(f->st.head, 16 * (i + 1));
		EXPECT_EQ(g32(f, DATA + 4 * i), i + 1);
		if (i < 9)
			EXPECT_EQ(g32(f, DATA + 4 * i + 4), 0);
	}
	fake_free(f);

	/* a still clock never spends a budget of 1 ns */
	f = setup(RCS);
	for (i = 0; i < 300; i++)
		EMIT(f, SDI_G(DATA + 4 * i, i + 1));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, 1), IDLE);
	EXPECT_EQ(f->ev.cmds, 300);
	fake_free(f);
}

static void test_watchdog(void)
{
	struct fake_batch b;
	enum mvgpu_exec_result ret = YIELD;
	struct fake *f;
	unsigned int n, i;

	/* a semaphore that is never satisfied */
	f = setup(RCS);
	f->ex.hang_ns = 1000;
	f->now = 5000;
	EMIT(f, SDI_G(DATA, 1), SEM(MVGPU_SEM_EQ, 1, DATA + 4));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
	EXPECT(f->st.cmd_started);
	EXPECT_EQ(f->st.cmd_start_ns, 5000);
	EXPECT_EQ(f->st.head, 16);
	f->now = 6000;
	EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
	f->now = 6001;
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_HANG, MVGPU_MI_SEMAPHORE_WAIT |
		     MVGPU_MI_SEMAPHORE_GGTT | MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_EQ),
		     0, RING + 16);
	EXPECT_EQ(f->st.head, 16);
	EXPECT_EQ(f->ev.cmds, 0);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	fake_free(f);

	/* a batch that chains to itself, over many slices */
	f = setup(BCS);
	f->ex.hang_ns = 100000;
	f->clock_step = 10;
	fake_batch_init(&b, f, GG, BB + 0x40);
	BATCH(&b, MVGPU_MI_ARB_CHECK, BBS_G(BB + 0x40));
	EMIT(f, BBS_G(BB + 0x40));
	fake_submit(f);
	for (n = 0; n < 100000; n++) {
		ret = fake_run(f, 1000);
		if (ret != YIELD)
			break;
	}
	EXPECT_EQ(ret, FAULT);
	EXPECT(n > 10);
	EXPECT(f->st.fault.cmd_addr == BB + 0x40 ||
	       f->st.fault.cmd_addr == BB + 0x44);
	EXPECT_FAULT(f, FV | FB | MVGPU_FAULT_HANG,
		     f->st.fault.cmd_addr == BB + 0x40 ? MVGPU_MI_ARB_CHECK :
		     MVGPU_MI_BATCH_BUFFER_START, 0, f->st.fault.cmd_addr);
	EXPECT_EQ(f->st.head, 0);
	EXPECT_EQ(f->st.depth, 1);
	fake_free(f);

	/* one ring command includes its whole batch */
	f = setup(RCS);
	f->ex.hang_ns = 500;
	f->clock_step = 10;
	fake_batch_init(&b, f, GG, BB);
	for (i = 0; i < 1000; i++)
		BATCH(&b, MVGPU_MI_ARB_CHECK);
	BATCH(&b, BBE);
	EMIT(f, BBS_G(BB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(f->st.fault.status, FV | FB | MVGPU_FAULT_HANG);
	EXPECT_EQ(f->st.fault.instr, MVGPU_MI_ARB_CHECK);
	fake_free(f);

	/* ... but many quick ring commands are no hang */
	f = setup(RCS);
	f->ex.hang_ns = 50;
	f->clock_step = 10;
	for (i = 0; i < 1000; i++)
		EMIT(f, MVGPU_MI_ARB_CHECK);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.cmds, 1000);
	EXPECT(f->now > 1000);
	fake_free(f);

	/* the waiting batch's page goes away: HANG without an instruction */
	f = setup(RCS);
	setup_ppgtt(f);
	f->ex.hang_ns = 1000;
	fake_batch_init(&b, f, PP, PBB);
	BATCH(&b, SEM(MVGPU_SEM_EQ, 1, DATA), BBE);
	EMIT(f, BBS_P(PBB));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), WAIT);
	EXPECT_EQ(f->st.depth, 1);
	EXPECT_EQ(f->st.bb_addr[0], PBB);
	*fake_ppgtt_entry(f, PBB, 3) = 0;
	f->now = 2000;
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FB | FCP | MVGPU_FAULT_HANG, 0, 0, PBB);
	fake_free(f);
}

static void test_fetch_faults(void)
{
	struct fake *f;

	/* the ring's second page is not mapped */
	f = setup(RCS);
	fake_ring_seek(f, 0x1000);
	EMIT(f, SDI_G(DATA, 1));
	fake_submit(f);
	fake_ggtt_set(f, RING + 0x1000, 0);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_GGTT_UNMAPPED, 0, RING + 0x1000,
		     RING + 0x1000);
	EXPECT_EQ(f->st.head, 0x1000);
	fake_free(f);

	/* the VMM unmapped the ring's DMA page */
	f = setup(RCS);
	EMIT(f, SDI_G(DATA, 1));
	fake_submit(f);
	fake_dma_set_flags(f, fake_ggtt_get(f, RING) & MVGPU_PTE_ADDR_MASK,
			   FAKE_DMA_UNMAPPED);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_DMA, 0, RING, RING);
	fake_free(f);

	/* straddling the wrap, the part at the ring start is unmapped */
	f = setup(BCS);
	fake_ring_seek(f, FAKE_RING_SIZE - 8);
	EMIT(f, SDI_G(DATA, 1));
	fake_submit(f);
	fake_ggtt_set(f, RING, 0);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, RING,
		     RING + FAKE_RING_SIZE - 8);
	EXPECT(data_untouched(f));
	fake_free(f);
}

/* ------------------------------------------------------------------ */
/* Blits                                                                */

#define XY(x, y)	MVGPU_BLT_XY(x, y)
#define BR13(d, rop, pitch) (MVGPU_BR13_DEPTH_##d | MVGPU_BR13_ROP(rop) | (pitch))
#define ARGB		(MVGPU_BLT_WRITE_ALPHA | MVGPU_BLT_WRITE_RGB)
#define COLOR(dw0, br13, x1, y1, x2, y2, dst, c)			\
	MVGPU_XY_COLOR_BLT | (dw0), (br13), XY(x1, y1), XY(x2, y2),	\
	LO(dst), HI(dst), (c)
#define SCOPY(dw0, br13, x1, y1, x2, y2, dst, sx, sy, spitch, src)	\
	MVGPU_XY_SRC_COPY_BLT | (dw0), (br13), XY(x1, y1), XY(x2, y2),	\
	LO(dst), HI(dst), XY(sx, sy), (spitch), LO(src), HI(src)
#define FCOPY(dw0, dw1, x1, y1, x2, y2, dst, sx, sy, spitch, src)	\
	MVGPU_XY_FAST_COPY_BLT | (dw0), (dw1), XY(x1, y1), XY(x2, y2),	\
	LO(dst), HI(dst), XY(sx, sy), (spitch), LO(src), HI(src)

/* A blit, as the tests describe it. */
struct blit {
	unsigned int kind;	/* 0 XY_COLOR_BLT, 1 XY_SRC_COPY_BLT, 2 fast */
	unsigned int depth;	/* BR13 depth, or the fast-copy depth field */
	u32 dw0;		/* DW0 flags */
	u32 x1, y1, x2, y2, sx, sy;
	u32 pitch, spitch;
	u64 dst, src;
	u32 colour;
};

static unsigned int blit_bpp(const struct blit *b)
{
	static const unsigned int xy[4] = { 1, 2, 2, 4 };
	static const unsigned int fast[8] = { 1, 2, 0, 4, 8, 16, 0, 0 };

	return b->kind == 2 ? fast[b->depth & 7] : xy[b->depth & 3];
}

/* Bytes of each pixel the blit writes (bit n: byte n mod 4). */
static unsigned int blit_lanes(const struct blit *b)
{
	if (b->kind == 2 || blit_bpp(b) != 4)
		return 0xf;
	return (b->dw0 & MVGPU_BLT_WRITE_ALPHA ? 8 : 0) |
	       (b->dw0 & MVGPU_BLT_WRITE_RGB ? 7 : 0);
}

/* The blit's dwords; returns their number. */
static unsigned int blit_encode(u32 *dw, const struct blit *b)
{
	static const u32 hdr[3] = {
		MVGPU_XY_COLOR_BLT, MVGPU_XY_SRC_COPY_BLT,
		MVGPU_XY_FAST_COPY_BLT,
	};

	dw[0] = hdr[b->kind] | b->dw0;
	dw[1] = b->depth << 24 | b->pitch;
	if (b->kind < 2)
		dw[1] |= MVGPU_BR13_ROP(b->kind ? MVGPU_ROP_SRCCOPY :
					MVGPU_ROP_PATCOPY);
	dw[2] = XY(b->x1, b->y1);
	dw[3] = XY(b->x2, b->y2);
	dw[4] = LO(b->dst);
	dw[5] = HI(b->dst);
	if (!b->kind) {
		dw[6] = b->colour;
		return 7;
	}
	dw[6] = XY(b->sx, b->sy);
	dw[7] = b->spitch;
	dw[8] = LO(b->src);
	dw[9] = HI(b->src);
	return 10;
}

static void blit_emit(struct fake *f, const struct blit *b)
{
	u32 dw[10];

	fake_emit(f, blit_encode(dw, b), dw);
}

/*
 * The reference: pixel by pixel on a flat image of the graphics addresses
 * from @base, rows top to bottom, each source row read before its
 * destination row is written.  Returns the bytes written.
 */
static u64 ref_blit(u8 *img, u64 base, const struct blit *b)
{
	static u8 row[1 << 20];
	unsigned int bpp = blit_bpp(b), lanes = blit_lanes(b), k;
	u64 n = 0;
	u32 x, y;

	if (b->x2 <= b->x1)
		return 0;
	for (y = b->y1; y < b->y2; y++) {
		u8 *d = img + (b->dst - base) + (u64)y * b->pitch;

		if (b->kind)
			memcpy(row, img + (b->src - base) +
			       (u64)(b->sy + y - b->y1) * b->spitch +
			       (u64)b->sx * bpp, (b->x2 - b->x1) * bpp);
		for (x = b->x1; x < b->x2; x++) {
			for (k = 0; k < bpp; k++) {
				if (!(lanes & (1u << (k & 3))))
					continue;
				d[(u64)x * bpp + k] = b->kind ?
					row[(x - b->x1) * bpp + k] :
					(u8)(b->colour >> (8 * k));
				n++;
			}
		}
	}
	return n;
}

static void blit_print(const struct blit *b, u64 base)
{
	printf("# blit kind %u depth %u dw0 0x%x (%u,%u)-(%u,%u) pitch %u dst +0x%llx src (%u,%u) pitch %u +0x%llx colour 0x%x\n",
	       b->kind, b->depth, b->dw0, b->x1, b->y1, b->x2, b->y2, b->pitch,
	       (unsigned long long)(b->dst - base), b->sx, b->sy, b->spitch,
	       (unsigned long long)(b->src - base), b->colour);
}

/* Fill [@gaddr, + @size) with random bytes, mirrored into @img. */
static void randomise(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr,
		      u64 size, u8 *img, u64 *seed)
{
	u64 off, i;

	for (off = 0; off < size; off += FAKE_PAGE) {
		u8 *p = fake_gptr(f, space, gaddr + off);

		for (i = 0; i < FAKE_PAGE; i += 8) {
			u64 r = fake_rand(seed);

			memcpy(p + i, &r, 8);
		}
		memcpy(img + off, p, FAKE_PAGE);
	}
}

/* The first differing byte of [@gaddr, + @size) and @img, or -1. */
static long long compare(struct fake *f, enum mvgpu_xlate_space space,
			 u64 gaddr, u64 size, const u8 *img)
{
	u64 off, i;

	for (off = 0; off < size; off += FAKE_PAGE) {
		const u8 *p = fake_gptr(f, space, gaddr + off);

		if (!memcmp(p, img + off, FAKE_PAGE))
			continue;
		for (i = 0; i < FAKE_PAGE; i++)
			if (p[i] != img[off + i]) {
				printf("# byte +0x%llx: 0x%02x, expected 0x%02x\n",
				       (unsigned long long)(off + i), p[i],
				       img[off + i]);
				return off + i;
			}
	}
	return -1;
}

/* Run @b on a fresh copy of the region and compare with the reference. */
static bool blit_check(struct fake *f, const struct blit *b,
		       enum mvgpu_xlate_space space, u64 base, u64 size,
		       u8 *img, u64 *seed)
{
	unsigned int before = unit_failures;
	u64 bytes;

	randomise(f, space, base, size, img, seed);
	blit_emit(f, b);
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	bytes = ref_blit(img, base, b);
	EXPECT_EQ(f->ev.bytes, bytes);
	EXPECT(compare(f, space, base, size, img) < 0);
	if (unit_failures == before)
		return true;
	blit_print(b, base);
	return false;
}

static void test_blit_fill_exact(void)
{
	struct fake *f = setup(BCS);
	u64 s = DATA + 0x100;
	u32 x, y;

	EMIT(f, COLOR(ARGB, BR13(32, MVGPU_ROP_PATCOPY, 256), 3, 2, 19, 10, s,
		      0x11223344));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.bytes, 16 * 8 * 4);
	EXPECT_EQ(f->ev.cmds, 2);
	for (y = 0; y < 12; y++)
		for (x = 0; x < 64; x++)
			EXPECT_EQ(g32(f, s + y * 256 + x * 4),
				  x >= 3 && x < 19 && y >= 2 && y < 10 ?
				  0x11223344 : 0);
	EXPECT_EQ(g32(f, s - 4), 0);
	fake_free(f);
}

/* 32 bpp channel masks, and the other depths' colour bytes. */
static void test_blit_masks_and_depths(void)
{
	static const struct {
		u32 dw0, expect;
	} masks[] = {
		{ ARGB, 0xaabbccdd },
		{ MVGPU_BLT_WRITE_RGB, 0x11bbccdd },
		{ MVGPU_BLT_WRITE_ALPHA, 0xaa223344 },
		{ 0, 0x11223344 },
	};
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		struct fake *f = setup(BCS);

		for (k = 0; k < 8; k++) {
			fake_put32(f, GG, DATA + 4 * k, 0x11223344);
			fake_put32(f, GG, DATA + 0x100 + 4 * k, 0xaabbccdd);
		}
		EMIT(f, COLOR(masks[i].dw0, BR13(32, MVGPU_ROP_PATCOPY, 16),
			      0, 0, 2, 2, DATA, 0xaabbccdd),
		     SCOPY(masks[i].dw0, BR13(32, MVGPU_ROP_SRCCOPY, 16),
			   2, 0, 4, 2, DATA, 2, 0, 16, DATA + 0x100 - 8));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		for (k = 0; k < 8; k++)
			EXPECT_EQ(g32(f, DATA + 4 * k), masks[i].expect);
		k = (masks[i].dw0 & MVGPU_BLT_WRITE_ALPHA ? 1 : 0) +
		    (masks[i].dw0 & MVGPU_BLT_WRITE_RGB ? 3 : 0);
		EXPECT_EQ(f->ev.bytes, 8 * k);
		fake_free(f);
	}

	/* 8, 565, 1555 bpp: the colour's low bytes, masks ignored */
	{
		struct fake *f = setup(BCS);

		EMIT(f, COLOR(0, BR13(8, MVGPU_ROP_PATCOPY, 8), 1, 0, 4, 2,
			      DATA, 0x123456ab),
		     COLOR(MVGPU_BLT_WRITE_ALPHA, BR13(565, MVGPU_ROP_PATCOPY,
			   8), 0, 0, 3, 1, DATA + 0x20, 0x1234abcd),
		     COLOR(0, BR13(1555, MVGPU_ROP_PATCOPY, 8), 1, 0, 2, 1,
			   DATA + 0x40, 0xffff8001));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA), 0xababab00);
		EXPECT_EQ(g32(f, DATA + 4), 0);
		EXPECT_EQ(g32(f, DATA + 8), 0xababab00);
		EXPECT_EQ(g32(f, DATA + 0x20), 0xabcdabcd);
		EXPECT_EQ(g32(f, DATA + 0x24), 0x0000abcd);
		EXPECT_EQ(g32(f, DATA + 0x40), 0x80010000);
		EXPECT_EQ(f->ev.bytes, 6 + 6 + 2);
		fake_free(f);
	}

	/* colours whose bytes are all equal (a fast path), with and without masks */
	{
		struct fake *f = setup(BCS);

		for (k = 0; k < 16; k++)
			fake_put32(f, GG, DATA + 4 * k, 0x11223344);
		EMIT(f, COLOR(ARGB, BR13(32, MVGPU_ROP_PATCOPY, 64), 0, 0, 2, 1,
			      DATA, 0),
		     COLOR(0, BR13(565, MVGPU_ROP_PATCOPY, 64), 5, 0, 7, 1,
			   DATA, 0xabcd5a5a),
		     COLOR(MVGPU_BLT_WRITE_RGB, BR13(32, MVGPU_ROP_PATCOPY, 64),
			   4, 0, 6, 1, DATA, 0xffffffff),
		     COLOR(MVGPU_BLT_WRITE_ALPHA, BR13(32, MVGPU_ROP_PATCOPY,
			   64), 6, 0, 7, 1, DATA, 0));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(g32(f, DATA), 0);
		EXPECT_EQ(g32(f, DATA + 4), 0);
		EXPECT_EQ(g32(f, DATA + 8), 0x5a5a3344);
		EXPECT_EQ(g32(f, DATA + 12), 0x11225a5a);
		EXPECT_EQ(g32(f, DATA + 16), 0x11ffffff);
		EXPECT_EQ(g32(f, DATA + 20), 0x11ffffff);
		EXPECT_EQ(g32(f, DATA + 24), 0x00223344);
		EXPECT_EQ(g32(f, DATA + 28), 0x11223344);
		EXPECT_EQ(f->ev.bytes, 8 + 4 + 6 + 1);
		fake_free(f);
	}

	/* fast copy: every depth copies whole pixels */
	for (i = 0; i < 5; i++) {
		static const unsigned int fd[] = { 0, 1, 3, 4, 5 };
		unsigned int bpp = 1u << i, x, y;
		struct fake *f = setup(BCS);
		u8 *src, *dst;

		src = fake_gptr(f, GG, DATA);
		for (k = 0; k < 4096; k++)
			src[k] = k * 7 + 1;
		EMIT(f, FCOPY(0, MVGPU_FAST_DEPTH(fd[i]) | 512, 1, 1, 4, 3,
			      DATA + 0x1000, 2, 0, 256, DATA));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(f->ev.bytes, 3 * 2 * bpp);
		dst = fake_gptr(f, GG, DATA + 0x1000);
		for (y = 0; y < 4; y++)
			for (x = 0; x < 6 * bpp; x++) {
				bool in = y >= 1 && y < 3 && x >= bpp &&
					  x < 4 * bpp;

				EXPECT_EQ(dst[y * 512 + x], in ?
					  src[(y - 1) * 256 + 2 * bpp + x - bpp] :
					  0);
			}
		fake_free(f);
	}
}

/* Copies behave like memmove per row, rows run top to bottom. */
static void test_blit_overlap(void)
{
	struct fake *f = setup(BCS);
	u64 a, b;
	unsigned int i;

	for (i = 0; i < 10; i++)
		fake_put32(f, GG, DATA + 4 * i, i + 1);
	/* right by one pixel, then left by one pixel */
	EMIT(f, SCOPY(ARGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 1, 0, 9, 1, DATA,
		      0, 0, 64, DATA));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 1);
	for (i = 1; i < 9; i++)
		EXPECT_EQ(g32(f, DATA + 4 * i), i);
	EXPECT_EQ(g32(f, DATA + 36), 10);
	EMIT(f, FCOPY(0, MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32) | 64, 0, 0, 8,
		      1, DATA, 1, 0, 64, DATA));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(g32(f, DATA + 4 * i), i + 1);
	EXPECT_EQ(g32(f, DATA + 32), 8);
	EXPECT_EQ(g32(f, DATA + 36), 10);
	fake_free(f);

	/* the same across a page boundary, the two pages swapped in DMA */
	f = setup(BCS);
	a = fake_ggtt_get(f, DATA);
	b = fake_ggtt_get(f, DATA + FAKE_PAGE);
	fake_ggtt_set(f, DATA, b);
	fake_ggtt_set(f, DATA + FAKE_PAGE, a);
	for (i = 0; i < 20; i++)
		fake_put32(f, GG, DATA + 0xfe0 + 4 * i, i + 1);
	EMIT(f, SCOPY(ARGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0, 0, 16, 1,
		      DATA + 0xfe4, 0, 0, 64, DATA + 0xfe0));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA + 0xfe0), 1);
	for (i = 1; i <= 16; i++)
		EXPECT_EQ(g32(f, DATA + 0xfe0 + 4 * i), i);
	EXPECT_EQ(g32(f, DATA + 0xfe0 + 68), 18);
	/* and with a channel mask, backwards */
	EMIT(f, SCOPY(MVGPU_BLT_WRITE_RGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0,
		      0, 16, 1, DATA + 0xfe4, 0, 0, 64, DATA + 0xfe0));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA + 0xfe0), 1);
	EXPECT_EQ(g32(f, DATA + 0xfe4), 1);
	for (i = 2; i <= 16; i++)
		EXPECT_EQ(g32(f, DATA + 0xfe0 + 4 * i), i - 1);
	fake_free(f);

	/* each row copies the row above it, already overwritten */
	f = setup(BCS);
	for (i = 0; i < 5 * 16; i++)
		fake_put32(f, GG, DATA + 4 * i, i + 1);
	EMIT(f, SCOPY(ARGB, BR13(32, MVGPU_ROP_SRCCOPY, 64), 0, 0, 16, 4,
		      DATA + 64, 0, 0, 64, DATA));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	for (i = 0; i < 5 * 16; i++)
		EXPECT_EQ(g32(f, DATA + 4 * i), i % 16 + 1);
	fake_free(f);
}

/*
 * Masked 32 bpp copies whose source and destination are 1 to 7 bytes
 * apart, across page boundaries (pixels split between pages, both
 * directions), against the reference.
 */
static void test_blit_masked_overlap(void)
{
	static const int deltas[] = { 1, 2, 3, 5, 7, -1, -2, -3, -6 };
	u64 base = FAKE_GGTT_BASE + 0x900000, seed = 9, dma;
	struct fake *f = fake_new(BCS, 64);
	u8 *img = malloc(4 * FAKE_PAGE);
	unsigned int i, m, start;

	dma = fake_dma_alloc(f, 4);
	for (i = 0; i < 4; i++)
		fake_ggtt_set(f, base + i * FAKE_PAGE,
			      (dma + ((i + 2) % 4) * FAKE_PAGE) | P_RW);
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		for (m = 0; m < 3; m++) {
			for (start = 0; start < 4; start++) {
				struct blit b = {
					.kind = 1, .depth = 3,
					.dw0 = m == 0 ? MVGPU_BLT_WRITE_RGB :
					       m == 1 ? MVGPU_BLT_WRITE_ALPHA :
					       ARGB,
					.x2 = 64, .y2 = 2, .pitch = 5000,
					.spitch = 5000,
				};

				b.src = base + FAKE_PAGE - 128 + start;
				b.dst = b.src + deltas[i];
				if (!blit_check(f, &b, GG, base, 4 * FAKE_PAGE,
						img, &seed))
					printf("# ... delta %d\n", deltas[i]);
			}
		}
	}
	free(img);
	fake_free(f);
}

static void blit_random(bool ppgtt, unsigned int iters, u64 seed);

static void test_blit_random_ggtt(void)
{
	blit_random(false, 700, 1);
}

static void test_blit_random_ppgtt(void)
{
	blit_random(true, 700, 2);
}

#define REG_PAGES	128
#define REG_SIZE	(REG_PAGES * FAKE_PAGE)

static u32 gen_pitch(u64 *seed, u32 row, bool fast)
{
	u32 max = fast ? 0xffff : 0x7fff, p;

	switch (fake_rand(seed) % 5) {
	case 0:
		p = row;
		break;
	case 1:
		p = row + fake_rand(seed) % 300;
		break;
	case 2:
		p = 4096;
		break;
	case 3:
		p = 1 + fake_rand(seed) % row;	/* rows overlap */
		break;
	default:
		p = row + fake_rand(seed) % 5000;
		break;
	}
	return p > max ? max : p;
}

/* A valid blit inside [@base, + @size). */
static void gen_blit(struct blit *b, u64 *seed, u64 base, u64 size)
{
	static const unsigned int fast_depths[] = { 0, 1, 3, 4, 5 };

	for (;;) {
		unsigned int bpp, w, h, maxrow;
		u64 dspan, sspan, x;

		memset(b, 0, sizeof(*b));
		b->kind = fake_rand(seed) % 3;
		b->depth = b->kind == 2 ? fast_depths[fake_rand(seed) % 5] :
			   fake_rand(seed) % 4;
		bpp = blit_bpp(b);
		if (b->kind < 2) {
			switch (fake_rand(seed) % 8) {
			case 0:
				b->dw0 = MVGPU_BLT_WRITE_ALPHA;
				break;
			case 1:
				b->dw0 = MVGPU_BLT_WRITE_RGB;
				break;
			case 2:
				b->dw0 = 0;
				break;
			default:
				b->dw0 = ARGB;
				break;
			}
		}
		maxrow = fake_rand(seed) % 4 ? 700 : 9000;
		w = 1 + fake_rand(seed) % (maxrow / bpp);
		x = fake_rand(seed);
		h = 1 + (x >> 8) % (x % 4 ? 12 : 70);
		b->pitch = gen_pitch(seed, w * bpp, b->kind == 2);
		b->x1 = fake_rand(seed) % 40;
		b->y1 = fake_rand(seed) % 6;
		b->x2 = b->x1 + w;
		b->y2 = b->y1 + h;
		dspan = (u64)(b->y2 - 1) * b->pitch + (u64)b->x2 * bpp;
		if (dspan > size)
			continue;
		b->dst = base + fake_rand(seed) % (size - dspan + 1);
		b->colour = fake_rand(seed);
		if (b->kind) {
			b->spitch = gen_pitch(seed, w * bpp, b->kind == 2);
			b->sx = fake_rand(seed) % 40;
			b->sy = fake_rand(seed) % 6;
			sspan = (u64)(b->sy + h - 1) * b->spitch +
				(u64)(b->sx + w) * bpp;
			if (sspan > size)
				continue;
			if (fake_rand(seed) % 3 == 0) {
				/* near the destination: overlapping */
				u64 d = b->dst + fake_rand(seed) % 1024;

				d = d > 512 + base ? d - 512 : base;
				b->src = d + sspan <= base + size ? d :
					 base + size - sspan;
			} else {
				b->src = base + fake_rand(seed) %
					 (size - sspan + 1);
			}
		}
		if (fake_rand(seed) % 30 == 0) {
			if (fake_rand(seed) & 1)
				b->x2 = b->x1;
			else
				b->y2 = b->y1 - (b->y1 ? 1 : 0);
		}
		return;
	}
}

/*
 * Random blits in a 512 KiB region whose pages are scattered over DMA
 * memory (and, for the PPGTT, straddle a PML4 boundary), each checked
 * byte for byte against the reference.
 */
static void blit_random(bool ppgtt, unsigned int iters, u64 seed)
{
	struct fake *f = fake_new(BCS, 1024);
	enum mvgpu_xlate_space space = ppgtt ? PP : GG;
	u64 base = ppgtt ? (1ull << 39) - REG_SIZE / 2 :
			   FAKE_GGTT_BASE + 0x400000;
	u64 dma = fake_dma_alloc(f, REG_PAGES);
	unsigned int perm[REG_PAGES], i;
	u8 *img = malloc(REG_SIZE);
	struct blit b;

	if (ppgtt)
		fake_ppgtt_enable(f);
	for (i = 0; i < REG_PAGES; i++)
		perm[i] = i;
	for (i = REG_PAGES - 1; i > 0; i--) {
		unsigned int j = fake_rand(&seed) % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < REG_PAGES; i++) {
		u64 pte = (dma + perm[i] * FAKE_PAGE) | P_RW;

		if (ppgtt)
			fake_ppgtt_set(f, base + i * FAKE_PAGE, pte);
		else
			fake_ggtt_set(f, base + i * FAKE_PAGE, pte);
	}
	for (i = 0; i < iters; i++) {
		gen_blit(&b, &seed, base, REG_SIZE);
		if (!blit_check(f, &b, space, base, REG_SIZE, img, &seed)) {
			printf("# ... iteration %u\n", i);
			break;
		}
	}
	free(img);
	fake_free(f);
}

static void test_blit_fields(void)
{
	const u32 c = MVGPU_ROP_PATCOPY, s = MVGPU_ROP_SRCCOPY;
	const u32 f32 = MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32);
	const u32 bf = FV | MVGPU_FAULT_BAD_FIELD;

	FAULT_CASE("color: tiled", BCS, false, bf, 0, COLOR(ARGB |
		   MVGPU_BLT_DST_TILED, BR13(32, c, 256), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: ROP", BCS, false, bf, 0, COLOR(ARGB,
		   BR13(32, s, 256), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: ROP 0", BCS, false, bf, 0, COLOR(ARGB,
		   BR13(8, 0, 256), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: pitch 0", BCS, false, bf, 0, COLOR(ARGB,
		   BR13(32, c, 0), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: pitch -32768", BCS, false, bf, 0, COLOR(ARGB,
		   BR13(32, c, 0x8000), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: pitch -1", BCS, false, bf, 0, COLOR(0,
		   BR13(8, c, 0xffff), 0, 0, 4, 4, DATA, 1));
	FAULT_CASE("color: checked before the empty rectangle", BCS, false,
		   bf, 0, COLOR(ARGB, BR13(32, s, 256), 4, 4, 4, 4, DATA, 1));
	FAULT_CASE("copy: src tiled", BCS, false, bf, 0, SCOPY(ARGB |
		   MVGPU_BLT_SRC_TILED, BR13(32, s, 256), 0, 0, 4, 4, DATA,
		   0, 0, 256, DATA + 0x2000));
	FAULT_CASE("copy: dst tiled", BCS, false, bf, 0, SCOPY(ARGB |
		   MVGPU_BLT_DST_TILED, BR13(32, s, 256), 0, 0, 4, 4, DATA,
		   0, 0, 256, DATA + 0x2000));
	FAULT_CASE("copy: ROP", BCS, false, bf, 0, SCOPY(ARGB,
		   BR13(32, c, 256), 0, 0, 4, 4, DATA, 0, 0, 256, DATA + 0x2000));
	FAULT_CASE("copy: pitch 0", BCS, false, bf, 0, SCOPY(ARGB,
		   BR13(32, s, 0), 0, 0, 4, 4, DATA, 0, 0, 256, DATA + 0x2000));
	FAULT_CASE("copy: src pitch 0", BCS, false, bf, 0, SCOPY(ARGB,
		   BR13(32, s, 256), 0, 0, 4, 4, DATA, 0, 0, 0, DATA + 0x2000));
	FAULT_CASE("copy: src pitch negative", BCS, false, bf, 0, SCOPY(ARGB,
		   BR13(32, s, 256), 0, 0, 4, 4, DATA, 0, 0, 0xfff0,
		   DATA + 0x2000));
	FAULT_CASE("fast: src tiled", BCS, false, bf, 0, FCOPY(1u << 20,
		   f32 | 256, 0, 0, 4, 4, DATA, 0, 0, 256, DATA + 0x2000));
	FAULT_CASE("fast: dst tiled", BCS, false, bf, 0, FCOPY(2u << 13,
		   f32 | 256, 0, 0, 4, 4, DATA, 0, 0, 256, DATA + 0x2000));
	FAULT_CASE("fast: depth 2", BCS, false, bf, 0, FCOPY(0,
		   MVGPU_FAST_DEPTH(2) | 256, 0, 0, 4, 4, DATA, 0, 0, 256,
		   DATA + 0x2000));
	FAULT_CASE("fast: depth 6", BCS, false, bf, 0, FCOPY(0,
		   MVGPU_FAST_DEPTH(6) | 256, 0, 0, 4, 4, DATA, 0, 0, 256,
		   DATA + 0x2000));
	FAULT_CASE("fast: depth 7", BCS, false, bf, 0, FCOPY(0,
		   MVGPU_FAST_DEPTH(7) | 256, 0, 0, 4, 4, DATA, 0, 0, 256,
		   DATA + 0x2000));
	FAULT_CASE("fast: pitch 0", BCS, false, bf, 0, FCOPY(0, f32, 0, 0, 4,
		   4, DATA, 0, 0, 256, DATA + 0x2000));
	FAULT_CASE("fast: src pitch 0", BCS, false, bf, 0, FCOPY(0, f32 | 256,
		   0, 0, 4, 4, DATA, 0, 0, 0, DATA + 0x2000));
}

/* Empty rectangles and masks that write nothing touch no memory. */
static void test_blit_nothing(void)
{
	static const u32 rects[][4] = {
		{ 5, 5, 5, 9 }, { 5, 5, 4, 9 }, { 5, 5, 9, 5 }, { 5, 5, 9, 4 },
		{ 0, 0, 0, 0 }, { 0xffff, 0xffff, 0xffff, 0xffff },
	};
	const u32 f32 = MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32);
	unsigned int i;
	struct fake *f;

	for (i = 0; i < ARRAY_SIZE(rects); i++) {
		const u32 *r = rects[i];

		f = setup(BCS);
		EMIT(f, COLOR(ARGB, BR13(32, MVGPU_ROP_PATCOPY, 256), r[0],
			      r[1], r[2], r[3], UNMAPPED, 1),
		     SCOPY(ARGB, BR13(32, MVGPU_ROP_SRCCOPY, 256), r[0], r[1],
			   r[2], r[3], UNMAPPED, 0, 0, 256, UNMAPPED),
		     FCOPY(0, f32 | 256, r[0], r[1], r[2], r[3], UNMAPPED, 0,
			   0, 256, UNMAPPED));
		fake_submit(f);
		EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
		EXPECT_EQ(f->ev.cmds, 4);
		EXPECT_EQ(f->ev.bytes, 0);
		fake_free(f);
	}
	f = setup(BCS);
	EMIT(f, COLOR(0, BR13(32, MVGPU_ROP_PATCOPY, 256), 0, 0, 4, 4,
		      UNMAPPED, 1),
	     SCOPY(0, BR13(32, MVGPU_ROP_SRCCOPY, 256), 0, 0, 4, 4, UNMAPPED,
		   0, 0, 256, UNMAPPED));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.bytes, 0);
	fake_free(f);
}

static void test_blit_limits(void)
{
	u64 d = FAKE_GGTT_BASE + 0x1000000, row = d + 2048ull * 32767;
	const u32 c = MVGPU_ROP_PATCOPY, s = MVGPU_ROP_SRCCOPY;
	u64 big = FAKE_GGTT_BASE + 0x800000, seed = 3;
	struct fake *f;
	struct blit b;
	u8 *img;

	/* a span of exactly MVGPU_BLT_MAX_BYTES, one row at its end */
	EXPECT_EQ(2048ull * 32767 + 512 * 4, MVGPU_BLT_MAX_BYTES);
	f = setup(BCS);
	fake_ggtt_back(f, row & ~(FAKE_PAGE - 1), FAKE_PAGE);
	EMIT(f, COLOR(ARGB, BR13(32, c, 32767), 0, 2048, 512, 2049, d,
		      0x12345678),
	     SCOPY(ARGB, BR13(32, s, 4096), 0, 0, 512, 1, DATA + 0x4000, 0,
		   2048, 32767, d));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(f->ev.bytes, 2 * 2048);
	EXPECT_EQ(g32(f, row), 0x12345678);
	EXPECT_EQ(g32(f, row + 2044), 0x12345678);
	EXPECT_EQ(g32(f, DATA + 0x4000), 0x12345678);
	EXPECT_EQ(g32(f, DATA + 0x4000 + 2044), 0x12345678);
	fake_free(f);

	FAULT_CASE("destination span", BCS, false,
		   FV | FW | MVGPU_FAULT_BAD_FIELD, d, COLOR(ARGB,
		   BR13(32, c, 32767), 0, 2048, 513, 2049, d, 1));
	FAULT_CASE("source span", BCS, false, FV | MVGPU_FAULT_BAD_FIELD, d,
		   SCOPY(ARGB, BR13(32, s, 4096), 0, 0, 513, 1, DATA, 0, 2048,
			 32767, d));
	FAULT_CASE("fast copy source span", BCS, false,
		   FV | MVGPU_FAULT_BAD_FIELD, d,
		   FCOPY(0, MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_128) | 16, 0, 0,
			 1, 1, DATA, 0, 0xffff, 0xffff, d));

	/* the fast copy pitch is unsigned: 32 KiB is fine */
	f = setup(BCS);
	fake_put32(f, GG, DATA + 0x8004, 0x5a);
	EMIT(f, FCOPY(0, MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_8) | 0x8000, 0, 0,
		      1, 2, DATA, 0, 0, 0x8000, DATA + 4));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA + 0x8000), 0x5a);
	EXPECT_EQ(f->ev.bytes, 2);
	fake_free(f);

	/*
	 * Overlapping rows (pitch 1): 1024 rows of 64 KiB move exactly the
	 * limit; one row more faults although the span is only 65 KiB.
	 */
	f = setup(BCS);
	fake_ggtt_back(f, big, 40 * FAKE_PAGE);
	img = malloc(40 * FAKE_PAGE);
	memset(&b, 0, sizeof(b));
	b.kind = 2;
	b.depth = MVGPU_FAST_DEPTH_128;
	b.pitch = 1;
	b.spitch = 1;
	b.x2 = 4096;
	b.y2 = 1024;
	b.dst = big;
	b.src = big + 0x14000;
	blit_check(f, &b, GG, big, 40 * FAKE_PAGE, img, &seed);
	EXPECT_EQ(f->ev.bytes, MVGPU_BLT_MAX_BYTES);
	free(img);
	fake_free(f);
	FAULT_CASE("bytes moved", BCS, false, FV | FW | MVGPU_FAULT_BAD_FIELD,
		   DATA, FCOPY(0, MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_128) | 1, 0,
			       0, 4096, 1025, DATA, 0, 0, 1, DATA));
}

/*
 * A translation fault stops the blit before the row it hits: the rows
 * above are written, that row and those below are not.
 */
static void test_blit_faults(void)
{
	const u32 c = MVGPU_ROP_PATCOPY, s = MVGPU_ROP_SRCCOPY;
	u32 hdr = MVGPU_XY_COLOR_BLT | ARGB;
	unsigned int y, x;
	struct fake *f;

	f = setup(BCS);
	fake_ggtt_set(f, DATA + 10 * FAKE_PAGE, 0);
	EMIT(f, COLOR(ARGB, BR13(32, c, 4096), 2, 0, 102, 16, DATA, 0xabc));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FW | MVGPU_FAULT_GGTT_UNMAPPED, hdr,
		     DATA + 10 * FAKE_PAGE + 8, RING);
	EXPECT_EQ(f->ev.bytes, 10 * 400);
	for (y = 0; y < 16; y++) {
		if (y == 10)
			continue;
		for (x = 0; x < 1024; x++)
			EXPECT_EQ(g32(f, DATA + y * 4096 + 4 * x),
				  y < 10 && x >= 2 && x < 102 ? 0xabc : 0);
	}
	fake_free(f);

	/* rows across pages: row 5 reaches into the unmapped page 6 */
	f = setup(BCS);
	fake_ggtt_set(f, DATA + 6 * FAKE_PAGE, 0);
	EMIT(f, COLOR(ARGB, BR13(32, c, 4096), 800, 0, 1200, 15, DATA, 0xabc));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | FW | MVGPU_FAULT_GGTT_UNMAPPED, hdr,
		     DATA + 6 * FAKE_PAGE, RING);
	for (y = 0; y < 15; y++)
		if (y != 5 && y != 6)
			EXPECT_EQ(g32(f, DATA + y * 4096 + 3200),
				  y < 5 ? 0xabc : 0);
	EXPECT_EQ(g32(f, DATA + 5 * 4096 + 3200), 0);
	EXPECT_EQ(g32(f, DATA + 5 * 4096 + 4092), 0);
	fake_free(f);

	/* a source row that is not mapped: a read fault */
	f = setup(BCS);
	for (y = 0; y < 8; y++)
		fake_put32(f, GG, DATA + y * 4096, y + 1);
	fake_ggtt_set(f, DATA + 3 * FAKE_PAGE, 0);
	EMIT(f, SCOPY(ARGB, BR13(32, s, 4096), 0, 0, 4, 8, DATA + 8 *
		      FAKE_PAGE, 0, 0, 4096, DATA));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_XY_SRC_COPY_BLT | ARGB, DATA + 3 * FAKE_PAGE, RING);
	for (y = 0; y < 8; y++)
		EXPECT_EQ(g32(f, DATA + (8 + y) * 4096), y < 3 ? y + 1 : 0);
	fake_free(f);

	/* a source row that crosses into an unmapped page: its row is intact */
	f = setup(BCS);
	fake_ggtt_set(f, DATA + 4 * FAKE_PAGE, 0);
	for (x = 0; x < 32; x++)
		fake_put32(f, GG, DATA + 4 * FAKE_PAGE - 128 + 4 * x, 0x77);
	EMIT(f, SCOPY(ARGB, BR13(32, s, 4096), 0, 0, 64, 2, DATA + 8 *
		      FAKE_PAGE, 0, 0, 4096, DATA + 4 * FAKE_PAGE - 128));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_XY_SRC_COPY_BLT | ARGB, DATA + 4 * FAKE_PAGE, RING);
	EXPECT_EQ(f->ev.bytes, 0);
	for (x = 0; x < 64; x++)
		EXPECT_EQ(g32(f, DATA + 8 * FAKE_PAGE + 4 * x), 0);
	fake_free(f);

	FAULT_CASE("blit to a read-only page", BCS, false,
		   FV | FW | MVGPU_FAULT_READ_ONLY, DATA_RO + 16,
		   COLOR(ARGB, BR13(32, c, 64), 4, 0, 8, 2, DATA_RO, 1));
	FAULT_CASE("blit beyond the PPGTT mapping", BCS, true,
		   FV | FW | FP | MVGPU_FAULT_PPGTT_UNMAPPED,
		   PDATA + DATA_PAGES * FAKE_PAGE,
		   COLOR(0, BR13(8, c, 4096), 0, 16, 4096, 17, PDATA, 1));
	FAULT_CASE("blit with a context, GGTT-only address", BCS, true,
		   FV | FW | FP | MVGPU_FAULT_PPGTT_UNMAPPED, DATA,
		   COLOR(0, BR13(8, c, 64), 0, 0, 4, 1, DATA, 1));
}

/* Blits use the PPGTT with a valid context and the GGTT otherwise. */
static void test_blit_address_space(void)
{
	const u32 c = MVGPU_ROP_PATCOPY;
	struct fake *f = setup(BCS);
	u64 ctx;

	fake_ppgtt_enable(f);
	fake_ppgtt_back(f, DATA, FAKE_PAGE);
	ctx = f->ring.ctx_desc;
	EMIT(f, COLOR(ARGB, BR13(32, c, 64), 0, 0, 1, 1, DATA, 0x1111));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(p32(f, DATA), 0x1111);
	EXPECT_EQ(g32(f, DATA), 0);

	f->ring.ctx_desc = ctx & ~MVGPU_CTX_DESC_VALID;
	EMIT(f, COLOR(ARGB, BR13(32, c, 64), 0, 0, 1, 1, DATA, 0x2222));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, DATA), 0x2222);
	f->ring.ctx_desc = ctx;
	EXPECT_EQ(p32(f, DATA), 0x1111);
	fake_free(f);
}

static void test_blit_local_memory(void)
{
	const u32 c = MVGPU_ROP_PATCOPY;
	u64 l = FAKE_GGTT_BASE + 0x500000;
	struct fake *f = setup(BCS);
	u32 *lp;

	fake_ggtt_map(f, l, 3 * FAKE_PAGE, 2 * FAKE_PAGE,
		      P_RW | MVGPU_PTE_LOCAL);
	EMIT(f, COLOR(ARGB, BR13(32, c, 4096), 10, 0, 20, 2, l, 0xfeed),
	     FCOPY(0, MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32) | 64, 0, 0, 10, 2,
		   DATA, 10, 0, 4096, l));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	lp = fake_local(f, 3 * FAKE_PAGE);
	EXPECT_EQ(lp[9], 0);
	EXPECT_EQ(lp[10], 0xfeed);
	EXPECT_EQ(lp[19], 0xfeed);
	EXPECT_EQ(lp[20], 0);
	EXPECT_EQ(lp[1024 + 10], 0xfeed);
	EXPECT_EQ(g32(f, DATA), 0xfeed);
	EXPECT_EQ(g32(f, DATA + 64 + 36), 0xfeed);
	EXPECT_EQ(g32(f, DATA + 40), 0);
	fake_free(f);
}

/*
 * Rows wider than the pages a row probe keeps (64 KiB), over scattered
 * pages: fills, masked fills, copies both ways, against the reference.
 */
static void test_blit_wide_rows(void)
{
	static const struct blit wide[] = {
		{ .kind = 0, .depth = 3, .dw0 = ARGB, .x1 = 3, .x2 = 30003,
		  .y2 = 2, .pitch = 0x7fff, .colour = 0x12345678 },
		{ .kind = 0, .depth = 3, .dw0 = MVGPU_BLT_WRITE_RGB, .x1 = 1,
		  .x2 = 25001, .y1 = 1, .y2 = 3, .pitch = 0x7000,
		  .colour = 0xffffffff },
		{ .kind = 0, .depth = 1, .x2 = 40000, .y2 = 1, .pitch = 0x7fff,
		  .colour = 0xabcd },
		{ .kind = 2, .depth = MVGPU_FAST_DEPTH_128, .x2 = 9000,
		  .y2 = 2, .pitch = 0xffff, .spitch = 0xffff, .src = 1000 },
		{ .kind = 2, .depth = MVGPU_FAST_DEPTH_64, .x1 = 1, .x2 = 12001,
		  .y2 = 2, .pitch = 0xfff0, .spitch = 0xfff0, .sx = 13 },
		{ .kind = 1, .depth = 3, .dw0 = MVGPU_BLT_WRITE_ALPHA,
		  .x2 = 30000, .y2 = 2, .pitch = 0x7fff, .spitch = 0x7fff,
		  .src = 4 * 20000 + 2 },
		{ .kind = 1, .depth = 3, .dw0 = ARGB, .x2 = 30000, .y2 = 1,
		  .pitch = 0x7fff, .spitch = 0x7fff, .sx = 2 },
		/* the destination 8 bytes above the source: backwards */
		{ .kind = 1, .depth = 3, .dw0 = ARGB, .x1 = 2, .x2 = 30002,
		  .y2 = 2, .pitch = 0x7fff, .spitch = 0x7fff },
		{ .kind = 1, .depth = 3, .dw0 = MVGPU_BLT_WRITE_RGB, .x1 = 1,
		  .x2 = 30001, .y2 = 1, .pitch = 0x7fff, .spitch = 0x7fff },
	};
	u64 base = FAKE_GGTT_BASE + 0x900000, seed = 5, dma;
	unsigned int i, pages = 96;
	struct fake *f = fake_new(BCS, 256);
	u8 *img = malloc(pages * FAKE_PAGE);

	dma = fake_dma_alloc(f, pages);
	for (i = 0; i < pages; i++)
		fake_ggtt_set(f, base + i * FAKE_PAGE,
			      (dma + ((i * 37) % pages) * FAKE_PAGE) | P_RW);
	for (i = 0; i < ARRAY_SIZE(wide); i++) {
		struct blit b = wide[i];

		b.dst += base;
		b.src += base;
		if (!blit_check(f, &b, GG, base, pages * FAKE_PAGE, img, &seed))
			printf("# ... wide blit %u\n", i);
	}
	free(img);
	fake_free(f);
}

/* A 1024x768x32 fill and copy cost one translation per page. */
static void test_blit_translations(void)
{
	const u32 c = MVGPU_ROP_PATCOPY;
	const u32 f32 = MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32);
	u64 d = FAKE_GGTT_BASE + 0x1000000, s = d + 0x400000;
	u64 va = 0x40000000;
	unsigned long calls;
	struct fake *f;

	f = fake_new(BCS, 4096);
	fake_ggtt_back(f, d, 768 * FAKE_PAGE);
	memset(fake_dma(f, fake_ggtt_back(f, s, 768 * FAKE_PAGE)), 0x5c,
	       768 * FAKE_PAGE);
	calls = f->map_calls;
	EMIT(f, COLOR(ARGB, BR13(32, c, 4096), 0, 0, 1024, 768, d, 0x01020304));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(f->map_calls - calls >= 768);
	EXPECT(f->map_calls - calls <= 768 + 2);
	EXPECT_EQ(g32(f, d + 767 * 4096 + 4092), 0x01020304);
	calls = f->map_calls;
	EMIT(f, FCOPY(0, f32 | 4096, 0, 0, 1024, 768, d, 0, 0, 4096, s));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(f->map_calls - calls <= 2 * 768 + 2);
	EXPECT_EQ(g32(f, d + 767 * 4096 + 4092), 0x5c5c5c5c);
	EXPECT_EQ(f->ev.bytes, 768 * 4096);
	fake_free(f);

	/* PPGTT: plus one walk (four tables) per 2 MiB */
	f = fake_new(BCS, 4096);
	fake_ppgtt_enable(f);
	fake_ppgtt_back(f, va, 768 * FAKE_PAGE);
	calls = f->map_calls;
	EMIT(f, COLOR(ARGB, BR13(32, c, 4096), 0, 0, 1024, 768, va, 7));
	fake_submit(f);
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT(f->map_calls - calls <= 768 + 2 * 4 + 2);
	EXPECT_EQ(p32(f, va + 768 * 4096 - 4), 7);
	fake_free(f);
}

/* ------------------------------------------------------------------ */
/* Robustness                                                           */

static u64 fuzz_addr(u64 *seed)
{
	static const u64 pool[] = {
		DATA, DATA_RO, BB, UNMAPPED, PDATA, PBB, RING, HWS,
		FAKE_GGTT_BASE + 0x500000,	/* local memory */
		FAKE_GGTT_BASE + 0x600000,	/* VMM: read-only DMA */
		FAKE_GGTT_BASE + 0x700000,	/* VMM: unmapped DMA */
		0, 0xfffffffff000ull, 1ull << 32,
	};
	u64 r = fake_rand(seed);

	if (r % 8 == 0)
		return fake_rand(seed) & 0xffffffffffffull;
	return pool[(r >> 8) % ARRAY_SIZE(pool)] +
	       ((r >> 16) % (3 * FAKE_PAGE) & ~(u64)(r & 1 ? 7 : 0));
}

/* A plausible command (often malformed) at @dw; returns its dwords. */
static unsigned int fuzz_cmd(u32 *dw, u64 *seed)
{
	static const u32 headers[] = {
		MVGPU_MI_NOOP, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_ARB_CHECK,
		MVGPU_MI_BATCH_BUFFER_END, MVGPU_MI_SEMAPHORE_WAIT,
		MVGPU_MI_STORE_DATA_IMM, MVGPU_MI_STORE_DATA_IMM_QW,
		MVGPU_MI_LOAD_REGISTER_IMM(1), MVGPU_MI_STORE_REGISTER_MEM,
		MVGPU_MI_FLUSH_DW, MVGPU_MI_FLUSH_DW_QW,
		MVGPU_MI_BATCH_BUFFER_START, MVGPU_PIPE_CONTROL,
		MVGPU_XY_COLOR_BLT, MVGPU_XY_SRC_COPY_BLT,
		MVGPU_XY_FAST_COPY_BLT,
	};
	u64 r = fake_rand(seed), a;
	unsigned int n, i;
	u32 h;

	if (r % 10 == 0) {
		dw[0] = fake_rand(seed);
		return 1;
	}
	if (r % 10 == 1) {
		/* a blit that gets past the field checks, mostly */
		static const u32 blts[] = {
			MVGPU_XY_COLOR_BLT, MVGPU_XY_SRC_COPY_BLT,
			MVGPU_XY_FAST_COPY_BLT,
		};
		unsigned int k = (r >> 8) % 3, depth = fake_rand(seed) % 6;
		u64 dst = fuzz_addr(seed), src = fuzz_addr(seed);

		dw[0] = blts[k] | (fake_rand(seed) & 1 ? ARGB :
				   MVGPU_BLT_WRITE_RGB);
		if (k == 2)
			dw[0] = blts[k];
		dw[1] = (k == 2 ? MVGPU_FAST_DEPTH(depth) : (depth & 3) << 24 |
			 MVGPU_BR13_ROP(k ? MVGPU_ROP_SRCCOPY :
					MVGPU_ROP_PATCOPY)) |
			(1 + fake_rand(seed) % (r & 0x800 ? 64 : 8192));
		a = fake_rand(seed);
		dw[2] = XY(a % 64, (a >> 8) % 64);
		dw[3] = XY((a >> 16) % (r & 0x1000 ? 2000 : 128),
			   (a >> 32) % (r & 0x2000 ? 1000 : 96));
		dw[4] = LO(dst);
		dw[5] = HI(dst);
		a = fake_rand(seed);
		dw[6] = k ? XY(a % 64, (a >> 8) % 64) : (u32)a;
		if (!k)
			return 7;
		dw[7] = 1 + fake_rand(seed) % (r & 0x4000 ? 64 : 8192);
		dw[8] = LO(src);
		dw[9] = HI(src);
		return 10;
	}
	h = headers[(r >> 4) % ARRAY_SIZE(headers)];
	/* flags in the usual places, now and then a wrong length */
	h |= fake_rand(seed) & (r & 0x100 ? 0x00fff700 : 0x00700100);
	if ((r & 0x3000) == 0)
		h += (fake_rand(seed) % 3) - 1;
	if (h >> 29 == 0 && ((h >> 23) & 0x3f) == 0x22 && (r & 0x4000))
		h = (h & ~0xffu) | (2 * (fake_rand(seed) % 6) + 1);
	dw[0] = h;
	n = h >> 29 == 0 && ((h >> 23) & 0x3f) < 0x10 ? 1 :
	    ((h & 0xff) + 2 > 20 ? 20 : (h & 0xff) + 2);
	for (i = 1; i < n; i++) {
		switch (fake_rand(seed) % 6) {
		case 0:
			a = fuzz_addr(seed);
			dw[i] = LO(a);
			if (i + 1 < n)
				dw[++i] = HI(a);
			break;
		case 1:
			a = fake_rand(seed);
			dw[i] = GPR(a & 1, (a >> 8) % 17) +
				((a >> 16) % 8 == 0 ? 4 : 0);
			break;
		case 2:		/* a small rectangle corner, or a pitch */
			a = fake_rand(seed);
			dw[i] = (a % 64) << 16 | ((a >> 8) % 300);
			break;
		case 3:		/* BR13-like */
			a = fake_rand(seed);
			dw[i] = (a % 4) << 24 | ((a >> 8) % 2 ? 0xcc : 0xf0) << 16 |
				((a >> 16) % 8192);
			break;
		default:
			dw[i] = fake_rand(seed);
			break;
		}
	}
	return n;
}

/* Batch segments of the well-formed streams: 16 in BB, 16 in PBB. */
#define SEG_SIZE	0x1000u
#define SEGS		16

/*
 * A well-formed command for @engine, on mapped memory: deep streams that
 * nest batches, wait, yield and blit (and still fault now and then:
 * nesting too deep, a read-only page, a semaphore never released).
 */
static unsigned int fuzz_good(u32 *dw, u64 *seed, unsigned int engine,
			      bool ppgtt, bool in_batch)
{
	u64 r = fake_rand(seed), rr = fake_rand(seed);
	bool g = !ppgtt || (r & 1);
	u64 a = (g ? DATA : PDATA) + (rr % (DATA_PAGES * FAKE_PAGE - 8) & ~7ull);
	u32 use_ggtt = g ? MVGPU_MI_USE_GGTT : 0;
	unsigned int n, i;
	struct blit b;

	switch ((r >> 1) % 14) {
	case 0:
		dw[0] = MVGPU_MI_NOOP | (rr & 0x3fffff);
		return 1;
	case 1:
		dw[0] = rr & 1 ? MVGPU_MI_USER_INTERRUPT : MVGPU_MI_ARB_CHECK;
		return 1;
	case 2:
		dw[0] = (rr & 0x100 ? MVGPU_MI_STORE_DATA_IMM_QW :
			 MVGPU_MI_STORE_DATA_IMM) | use_ggtt;
		dw[1] = LO(a);
		dw[2] = HI(a);
		dw[3] = rr >> 32;
		dw[4] = rr;
		return (dw[0] & 0xff) + 2;
	case 3:
		n = 1 + rr % 8;
		dw[0] = MVGPU_MI_LOAD_REGISTER_IMM(n);
		for (i = 0; i < n; i++) {
			dw[1 + 2 * i] = GPR(engine, 0) + 4 *
					(fake_rand(seed) % 32);
			dw[2 + 2 * i] = fake_rand(seed);
		}
		return 1 + 2 * n;
	case 4:
		dw[0] = MVGPU_MI_STORE_REGISTER_MEM | use_ggtt;
		dw[1] = rr & 0x100 ? MVGPU_ENGINE_BASE(engine) +
			MVGPU_RING_TIMESTAMP_LO : GPR(engine, 0) + 4 * (rr % 32);
		dw[2] = LO(a);
		dw[3] = HI(a);
		return 4;
	case 5:
		if (engine == RCS) {
			dw[0] = MVGPU_PIPE_CONTROL;
			dw[1] = (rr & (MVGPU_PC_NOTIFY | MVGPU_PC_TLB_INVALIDATE |
				       MVGPU_PC_CS_STALL)) |
				(rr & 0x10000 ? MVGPU_PC_OP_STORE : 0) |
				(rr & 0x20000 ? MVGPU_PC_OP_TS : 0) |
				(g ? MVGPU_PC_USE_GGTT : 0);
			dw[2] = LO(a);
			dw[3] = HI(a);
			dw[4] = rr;
			dw[5] = rr >> 32;
			return 6;
		}
		dw[0] = (rr & 0x1000 ? MVGPU_MI_FLUSH_DW_QW : MVGPU_MI_FLUSH_DW) |
			(rr & (MVGPU_MI_FLUSH_DW_NOTIFY | FLUSH_TLB)) |
			(rr & 0x10000 ? MVGPU_MI_FLUSH_DW_OP_STORE : 0) |
			(rr & 0x20000 ? MVGPU_MI_FLUSH_DW_OP_TS : 0);
		dw[1] = LO(a) | (g ? MVGPU_MI_FLUSH_DW_USE_GGTT : 0);
		dw[2] = HI(a);
		dw[3] = rr;
		dw[4] = rr >> 32;
		return (dw[0] & 0xff) + 2;
	case 6:
		/* a few semaphores, on the dwords fuzz_poke() mostly changes */
		if (r & 0x300)
			return fuzz_good(dw, seed, engine, ppgtt, in_batch);
		dw[0] = MVGPU_MI_SEMAPHORE_WAIT | (g ? MVGPU_MI_SEMAPHORE_GGTT : 0) |
			MVGPU_MI_SEMAPHORE_OP(rr % 6);
		dw[1] = (rr >> 8) % 4;
		a = (g ? DATA : PDATA) + 4 * ((rr >> 16) % 4);
		dw[2] = LO(a);
		dw[3] = HI(a);
		return 4;
	case 7:
	case 8:
		if (!in_batch && (r & 0x300))
			return fuzz_good(dw, seed, engine, ppgtt, in_batch);
		i = rr % SEGS;
		a = (ppgtt && (rr & 0x10) ? PBB : BB) + i * SEG_SIZE;
		dw[0] = MVGPU_MI_BATCH_BUFFER_START |
			(a >= PBB ? MVGPU_MI_BB_PPGTT : 0) |
			(in_batch && (rr & 0x20) ? MVGPU_MI_BB_SECOND_LEVEL : 0);
		dw[1] = LO(a);
		dw[2] = HI(a);
		return 3;
	case 9:
		if (!in_batch)
			return fuzz_good(dw, seed, engine, ppgtt, in_batch);
		dw[0] = MVGPU_MI_BATCH_BUFFER_END;
		return 1;
	default:
		if (engine != BCS)
			return fuzz_good(dw, seed, engine, ppgtt, in_batch);
		/* blits use the PPGTT whenever there is a context */
		gen_blit(&b, seed, ppgtt ? PDATA : DATA,
			 DATA_PAGES * FAKE_PAGE);
		return blit_encode(dw, &b);
	}
}

/*
 * Well-formed streams: the ring, and batch segments (each ending in
 * MI_BATCH_BUFFER_END) that batches start, chain and call at random.
 */
static void fuzz_good_streams(struct fake *f, u64 *seed, bool ppgtt)
{
	unsigned int seg, sp, n, k, pos, len;
	u32 dw[20];

	for (sp = 0; sp < (ppgtt ? 2u : 1u); sp++) {
		for (seg = 0; seg < SEGS; seg++) {
			u64 g = (sp ? PBB : BB) + seg * SEG_SIZE;

			len = 4 + fake_rand(seed) % 200;
			for (pos = 0; pos < len; pos += n) {
				n = fuzz_good(dw, seed, f->st.engine, ppgtt,
					      true);
				for (k = 0; k < n; k++)
					fake_put32(f, sp ? PP : GG,
						   g + 4 * (pos + k), dw[k]);
			}
			fake_put32(f, sp ? PP : GG, g + 4 * pos, BBE);
		}
	}
	len = 20 + fake_rand(seed) % 200;
	for (pos = 0; pos < len; pos += n) {
		n = fuzz_good(dw, seed, f->st.engine, ppgtt, false);
		fake_emit(f, n, dw);
	}
}

static void fuzz_stream(struct fake *f, enum mvgpu_xlate_space space,
			u64 gaddr, unsigned int dwords, u64 *seed, bool ring)
{
	unsigned int n, i = 0, k;
	u32 dw[20];

	while (i < dwords) {
		n = fuzz_cmd(dw, seed);
		if (ring)
			fake_emit(f, n, dw);
		else
			for (k = 0; k < n; k++)
				fake_put32(f, space, gaddr + 4 * (i + k),
					   dw[k]);
		i += n;
	}
}

/*
 * The CPU changes a small value in the data areas, mostly one of the
 * dwords the well-formed streams' semaphores look at.
 */
static void fuzz_poke(struct fake *f, u64 *seed)
{
	u64 x = fake_rand(seed);
	u64 off = (x >> 8) % (x & 1 ? 16 : DATA_PAGES * FAKE_PAGE) & ~3ull;
	u32 *p = fake_gptr(f, x & 2 ? PP : GG, (x & 4 ? PDATA : DATA) + off);

	if (p)
		*p = (x >> 40) % 4;
}

/* A fuzz engine: the usual areas plus every kind of hole. */
static struct fake *fuzz_setup(unsigned int engine, bool ppgtt, u64 *nw)
{
	struct fake *f = setup_dma(engine, 160);
	u64 bad;

	if (ppgtt)
		setup_ppgtt(f);
	fake_ggtt_map(f, FAKE_GGTT_BASE + 0x500000, 0, 3 * FAKE_PAGE,
		      P_RW | MVGPU_PTE_LOCAL);
	*nw = fake_ggtt_back(f, FAKE_GGTT_BASE + 0x600000, 3 * FAKE_PAGE);
	fake_dma_set_flags(f, *nw, FAKE_DMA_NO_WRITE);
	fake_put32(f, GG, FAKE_GGTT_BASE + 0x600000, 0x600d);
	bad = fake_ggtt_back(f, FAKE_GGTT_BASE + 0x700000, FAKE_PAGE);
	fake_dma_set_flags(f, bad, FAKE_DMA_UNMAPPED);
	return f;
}

/*
 * Run slices until the ring is idle or the engine halts (or 300 slices),
 * checking after each that the result and the state are consistent and
 * that nothing read-only was written.  Returns the commands executed.
 */
static u64 fuzz_run(struct fake *f, u64 nw, u64 *seed)
{
	unsigned int s;
	u64 cmds = 0;

	for (s = 0; s < 300; s++) {
		enum mvgpu_exec_result ret;
		u32 st;

		ret = fake_run(f, fake_rand(seed) % 5000);
		cmds += f->ev.cmds;
		EXPECT(ret <= FAULT);
		EXPECT(f->st.head < f->ring.size);
		EXPECT_EQ(f->st.head & 3, 0);
		EXPECT(f->st.depth <= MVGPU_EXEC_MAX_DEPTH);
		st = f->st.fault.status;
		EXPECT_EQ(ret == FAULT, st != 0);
		if (ret == FAULT) {
			EXPECT(st & FV);
			EXPECT((st & MVGPU_FAULT_TYPE_MASK) >= 1 &&
			       (st & MVGPU_FAULT_TYPE_MASK) <= 16);
			EXPECT_EQ(st & ~(FV | FW | FP | FB | FCP |
					 MVGPU_FAULT_TYPE_MASK), 0);
			EXPECT_EQ(!!(st & FB), f->st.depth != 0);
			break;
		}
		EXPECT_EQ(ret == WAIT, f->st.waiting);
		if (ret == IDLE) {
			EXPECT_EQ(f->st.depth, 0);
			EXPECT_EQ(f->st.head, f->ring.tail);
			break;
		}
		if (ret == WAIT) {
			/* time passes until the next slice: maybe a hang */
			f->now += fake_rand(seed) % 1000;
			if (fake_rand(seed) % 2)
				fuzz_poke(f, seed);
		}
	}
	EXPECT_EQ(g32(f, DATA_RO), 0);
	EXPECT_EQ(f->dma_write_maps[(nw - FAKE_DMA_BASE) / FAKE_PAGE], 0);
	EXPECT_EQ(g32(f, FAKE_GGTT_BASE + 0x600000), 0x600d);
	return cmds;
}

/*
 * Random command streams in the ring and in batches, against memory with
 * every kind of hole: the executor must never crash (ASan, UBSan), never
 * write where it may not, and end each slice in one of its four results
 * with a consistent state.  Hostile streams (random and malformed
 * dwords) stop early; well-formed ones run deep: nested and looping
 * batches, waits, yields, blits, the watchdog.
 */
static void test_exec_fuzz(void)
{
	u64 seed = 0xf00dfeed, nw, hostile = 0, good = 0;
	unsigned int iter, reported = 0;

	for (iter = 0; iter < 2000; iter++) {
		unsigned int before = unit_failures;
		bool ppgtt = iter % 3, well = iter >= 1500;
		struct fake *f = fuzz_setup(iter & 1, ppgtt, &nw);

		f->ex.hang_ns = 20000;
		f->clock_step = 5 + fake_rand(&seed) % 50;
		if (well) {
			fuzz_good_streams(f, &seed, ppgtt);
		} else {
			fuzz_stream(f, GG, BB, 2048, &seed, false);
			if (ppgtt)
				fuzz_stream(f, PP, PBB, 1024, &seed, false);
			fuzz_stream(f, GG, 0, 40 + fake_rand(&seed) % 400,
				    &seed, true);
		}
		fake_submit(f);
		if (well)
			good += fuzz_run(f, nw, &seed);
		else
			hostile += fuzz_run(f, nw, &seed);
		if (unit_failures != before && reported++ < 3)
			printf("# ... fuzz iteration %u\n", iter);
		fake_free(f);
	}
	printf("# fuzz: %llu commands from hostile streams, %llu from well-formed ones\n",
	       (unsigned long long)hostile, (unsigned long long)good);
	/* the well-formed streams must really get somewhere */
	EXPECT(good > 500 * 100);
}

/* ------------------------------------------------------------------ */
/* Shadow mode: executing what the command scanner checked             */

/* Allocations are counted: shadow_done() checks that none is left. */
static void *shadow_alloc(void *priv, size_t size)
{
	int *live = priv;

	(*live)++;
	return malloc(size);
}

static void shadow_free(void *priv, void *p)
{
	int *live = priv;

	(*live)--;
	free(p);
}

static const struct mvgpu_scan_ops shadow_ops = {
	.alloc = shadow_alloc,
	.free = shadow_free,
};

/**
 * struct shadow_run - a scanned workload and the shadow the executor runs
 * @sc: the scanner (the fake's translation, malloc)
 * @wl: the workload
 * @sh: what f->ex.shadow points to
 * @rejected: the scan rejected it
 * @batch_calls: lookups of batch copies by the executor
 * @live: allocations not freed
 */
struct shadow_run {
	struct mvgpu_scan sc;
	struct mvgpu_scan_workload wl;
	struct mvgpu_exec_shadow sh;
	bool rejected;
	unsigned int batch_calls;
	int live;
};

static const u8 *shadow_batch(void *priv, bool ppgtt, u64 gaddr, u32 *len)
{
	struct shadow_run *r = priv;
	const struct mvgpu_scan_batch *b;

	r->batch_calls++;
	b = mvgpu_scan_find_batch(&r->wl, ppgtt ? PP : GG, gaddr);
	if (!b)
		return NULL;
	*len = b->len;
	return r->wl.buf + b->off;
}

/* Scan [head, tail) of @f's ring as the engine does and arm shadow mode. */
static void shadow_scan(struct fake *f, struct shadow_run *r)
{
	memset(r, 0, sizeof(*r));
	r->sc.ex = &f->ex;
	r->sc.ops = &shadow_ops;
	r->sc.priv = &r->live;
	r->sc.flags = MVGPU_SCAN_KEEP_PREFIX;
	mvgpu_scan_default_limits(&r->sc.limits);
	r->rejected = mvgpu_scan_workload(&r->sc, f->st.engine, &f->ring,
					  f->st.head, &r->wl) != 0;
	r->sh.ring = r->wl.buf;
	r->sh.head = r->wl.head;
	r->sh.len = r->wl.ring_copied;
	r->sh.tail = r->rejected ? r->wl.verdict.ring_off : r->wl.tail;
	r->sh.halt = r->rejected ? &r->wl.verdict.fault : NULL;
	r->sh.batch = shadow_batch;
	r->sh.priv = r;
	f->ex.shadow = &r->sh;
}

static void shadow_done(struct fake *f, struct shadow_run *r)
{
	f->ex.shadow = NULL;
	mvgpu_scan_workload_free(&r->sc, &r->wl);
	EXPECT_EQ(r->live, 0);
}

/* Every dword of [@gaddr, + @bytes) in the GGTT set to @val. */
static void scribble(struct fake *f, u64 gaddr, u64 bytes, u32 val)
{
	u64 a;

	for (a = 0; a < bytes; a += 4)
		fake_put32(f, GG, gaddr + a, val);
}

/*
 * A batch (and the ring) rewritten in guest memory after the scan: the
 * engine runs the commands that were checked, and the rewrite is not
 * even read.  The same rewrite in the ordinary mode runs the new commands,
 * so the test can tell the two apart.
 */
static void test_shadow_toctou(void)
{
	unsigned int i, mode;

	for (mode = 0; mode < 2; mode++) {
		struct fake *f = setup(RCS);
		struct shadow_run r;
		struct fake_batch b;

		fake_batch_init(&b, f, GG, BB);
		for (i = 0; i < 16; i++)
			BATCH(&b, SDI_G(DATA + 4 * i, 1));
		BATCH(&b, BBE);
		EMIT(f, BBS_G(BB), SDI_G(DATA + 0x100, 7));
		fake_submit(f);
		if (mode)
			shadow_scan(f, &r);
		/* rewrite: the values, and one store aimed elsewhere */
		for (i = 0; i < 16; i++)
			fake_put32(f, GG, BB + 16 * i + 12, 2);
		fake_put32(f, GG, BB + 16 * 3 + 4, LO(DATA + 0x200));
		fake_put32(f, GG, RING + 12 + 12, 8);
		EXPECT_EQ(fake_run_all(f, 10), IDLE);
		for (i = 0; i < 16; i++)
			if (i != 3 || mode)
				EXPECT_EQ(g32(f, DATA + 4 * i), mode ? 1 : 2);
		EXPECT_EQ(g32(f, DATA + 0x200), mode ? 0 : 2);
		EXPECT_EQ(g32(f, DATA + 0x100), mode ? 7 : 8);
		if (mode) {
			EXPECT(!r.rejected);
			EXPECT_EQ(r.batch_calls, 1);
			shadow_done(f, &r);
		}
		fake_free(f);
	}
}

/*
 * One command per slice through a PPGTT first-level batch that calls a
 * GGTT second-level batch and chains: every slice resumes from the copies
 * (looked up by the run's start), while the guest memory is garbage.
 */
static void test_shadow_resume(void)
{
	struct fake *f = setup(RCS);
	unsigned int i, n, deep = 0;
	enum mvgpu_exec_result ret = FAULT;
	struct fake_batch b1, b2, b3;
	struct shadow_run r;
	u64 cmds = 0;

	setup_ppgtt(f);
	fake_batch_init(&b1, f, PP, PBB);
	fake_batch_init(&b2, f, GG, BB);
	fake_batch_init(&b3, f, GG, BB + 0x2000);
	for (i = 0; i < 5; i++)
		BATCH(&b1, SDI_P(PDATA + 4 * i, 10 + i));
	BATCH(&b1, BBS2_G(BB));
	for (i = 0; i < 5; i++)
		BATCH(&b1, SDI_P(PDATA + 0x100 + 4 * i, 20 + i));
	BATCH(&b1, BBS_G(BB + 0x2000));
	for (i = 0; i < 5; i++)
		BATCH(&b2, SDI_G(DATA + 4 * i, 30 + i));
	BATCH(&b2, BBE);
	for (i = 0; i < 5; i++)
		BATCH(&b3, SDI_G(DATA + 0x100 + 4 * i, 40 + i));
	BATCH(&b3, BBE);
	EMIT(f, SDI_G(DATA + 0x800, 1), BBS_P(PBB), SDI_G(DATA + 0x804, 2));
	fake_submit(f);
	shadow_scan(f, &r);
	EXPECT(!r.rejected);
	for (n = 0; n < 100; n++) {
		/* the guest scribbles over everything between slices */
		for (i = 0; i < 0x100; i += 4)
			fake_put32(f, PP, PBB + i, 0xffffffff);
		scribble(f, BB, 0x100, 0xdeadbeef);
		scribble(f, BB + 0x2000, 0x100, 0);
		scribble(f, RING, 0x40, 0x7fffffff);
		ret = fake_run(f, 0);
		cmds += f->ev.cmds;
		if (ret != YIELD)
			break;
		EXPECT_EQ(f->ev.cmds, 1);
		if (f->st.depth == 2)
			deep++;
	}
	EXPECT_EQ(ret, IDLE);
	EXPECT_EQ(deep, 6);	/* five stores and the end of the call */
	EXPECT_EQ(cmds, 1 + 1 + 5 + 1 + 5 + 1 + 5 + 1 + 5 + 1 + 1 + 1);
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(p32(f, PDATA + 4 * i), 10 + i);
		EXPECT_EQ(p32(f, PDATA + 0x100 + 4 * i), 20 + i);
		EXPECT_EQ(g32(f, DATA + 4 * i), 30 + i);
		EXPECT_EQ(g32(f, DATA + 0x100 + 4 * i), 40 + i);
	}
	EXPECT_EQ(g32(f, DATA + 0x800), 1);
	EXPECT_EQ(g32(f, DATA + 0x804), 2);
	EXPECT_EQ(g32(f, HWS), f->st.head);
	EXPECT(r.batch_calls >= 4);
	shadow_done(f, &r);
	fake_free(f);
}

/*
 * A rejected workload: the ring commands before the offending one run
 * (with their batches), the offending one not at all, not even the part
 * of its batch before the bad command; then the engine halts with the
 * scanner's report and the head on the offending ring command.
 */
static void test_shadow_prefix(void)
{
	struct fake *f = setup(BCS);
	struct shadow_run r;
	struct fake_batch b1, b2;

	fake_batch_init(&b1, f, GG, BB);
	BATCH(&b1, SDI_G(DATA + 8, 3), BBE);
	fake_batch_init(&b2, f, GG, BB + 0x1000);
	BATCH(&b2, SDI_G(DATA + 12, 4), SDI_G(UNMAPPED, 5), BBE);
	EMIT(f, SDI_G(DATA, 1), MVGPU_MI_NOOP, BBS_G(BB), BBS_G(BB + 0x1000),
	     SDI_G(DATA + 16, 6));
	fake_submit(f);
	shadow_scan(f, &r);
	EXPECT(r.rejected);
	EXPECT_EQ(r.wl.verdict.ring_off, 32);
	EXPECT_EQ(fake_run_all(f, 10), FAULT);
	EXPECT_EQ(f->ev.cmds, 1 + 1 + 1 + 1 + 1);	/* SDI NOOP BBS SDI BBE */
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(g32(f, DATA + 8), 3);
	EXPECT_EQ(g32(f, DATA + 12), 0);
	EXPECT_EQ(g32(f, DATA + 16), 0);
	EXPECT_EQ(f->st.head, 32);
	EXPECT_EQ(f->st.depth, 0);
	EXPECT_FAULT(f, FV | FW | FB | MVGPU_FAULT_GGTT_UNMAPPED,
		     MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, UNMAPPED,
		     BB + 0x1000 + 16);
	EXPECT_EQ(g32(f, HWS), 0);	/* halted, not idle */
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(f->ev.cmds, 0);
	shadow_done(f, &r);
	fake_free(f);

	/* the first ring command is bad: nothing runs */
	f = setup(BCS);
	EMIT(f, PC(0, DATA, 1, 0), SDI_G(DATA, 1));
	fake_submit(f);
	shadow_scan(f, &r);
	EXPECT(r.rejected);
	EXPECT_EQ(r.wl.verdict.ring_off, 0);
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(f->ev.cmds, 0);
	EXPECT_FAULT(f, FV | MVGPU_FAULT_BAD_ENGINE, MVGPU_PIPE_CONTROL, 0,
		     RING);
	EXPECT(data_untouched(f));
	shadow_done(f, &r);
	fake_free(f);

	/* a loop: the prefix runs, the looping batch does not start */
	f = setup(RCS);
	fake_batch_init(&b1, f, GG, BB);
	BATCH(&b1, SDI_G(DATA + 4, 2), BBS_G(BB));
	EMIT(f, SDI_G(DATA, 1), BBS_G(BB));
	fake_submit(f);
	shadow_scan(f, &r);
	EXPECT(r.rejected);
	EXPECT_EQ(r.wl.verdict.ring_off, 16);
	EXPECT_EQ(fake_run_all(f, 10), FAULT);
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(g32(f, DATA + 4), 0);
	EXPECT_EQ(f->st.head, 16);
	EXPECT_EQ(f->st.fault.status & MVGPU_FAULT_TYPE_MASK,
		  MVGPU_FAULT_BATCH_LOOP);
	shadow_done(f, &r);
	fake_free(f);
}

/*
 * Fetches never leave the copies: a shadow shorter than the commands, or
 * a batch without a copy, faults SCAN_LIMIT instead of reading guest
 * memory; the "more" end yields without the idle actions.
 */
static void test_shadow_bounds(void)
{
	struct fake *f = setup(RCS);
	struct shadow_run r;
	struct fake_batch b;

	EMIT(f, SDI_G(DATA, 1), SDI_G(DATA + 4, 2));
	fake_submit(f);
	shadow_scan(f, &r);
	EXPECT(!r.rejected);
	r.sh.len = 20;	/* the second store's header, not its operands */
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(g32(f, DATA), 1);
	EXPECT_EQ(g32(f, DATA + 4), 0);
	EXPECT_EQ(f->st.head, 16);
	EXPECT_EQ(f->st.fault.status,
		  FV | MVGPU_FAULT_SCAN_LIMIT);
	EXPECT_EQ(f->st.fault.addr, RING + 20);
	shadow_done(f, &r);
	fake_free(f);

	f = setup(RCS);
	fake_batch_init(&b, f, GG, BB);
	BATCH(&b, SDI_G(DATA, 1), BBE);
	EMIT(f, BBS_G(BB));
	fake_submit(f);
	shadow_scan(f, &r);
	r.sh.priv = &(struct shadow_run){ 0 };	/* no copies at all */
	EXPECT_EQ(fake_run(f, NOLIMIT), FAULT);
	EXPECT_EQ(f->st.fault.status,
		  FV | FB | MVGPU_FAULT_SCAN_LIMIT);
	EXPECT_EQ(g32(f, DATA), 0);
	shadow_done(f, &r);
	fake_free(f);

	/* the ring goes on beyond the workload: yield, no status page */
	f = setup(RCS);
	EMIT(f, SDI_G(DATA, 1));
	fake_submit(f);
	shadow_scan(f, &r);
	r.sh.more = true;
	fake_put32(f, GG, HWS, 0xabcd);
	EXPECT_EQ(fake_run(f, NOLIMIT), YIELD);
	EXPECT_EQ(f->st.head, 16);
	EXPECT(!f->ev.complete);
	EXPECT_EQ(g32(f, HWS), 0xabcd);
	r.sh.more = false;
	EXPECT_EQ(fake_run(f, NOLIMIT), IDLE);
	EXPECT_EQ(g32(f, HWS), 16);
	shadow_done(f, &r);
	fake_free(f);
}

const struct unit_test exec_tests[] = {
	{ "state reset", test_state_reset },
	{ "idle ring, status page head, HWS faults", test_idle_and_status_page },
	{ "MI_NOOP, MI_ARB_CHECK, MI_USER_INTERRUPT, events", test_mi_simple },
	{ "ring register and head checks: RING fault, halt", test_ring_checks },
	{ "ring command running past the tail: RING fault", test_ring_command_past_tail },
	{ "MI_STORE_DATA_IMM: sizes, spaces, faults", test_store_data_imm },
	{ "MI_LOAD_REGISTER_IMM, MI_STORE_REGISTER_MEM", test_lri_srm },
	{ "MI_FLUSH_DW: post-sync, notify, BCS only", test_flush_dw },
	{ "PIPE_CONTROL: post-sync, notify, RCS only", test_pipe_control },
	{ "MI_SEMAPHORE_WAIT: all compares, WAIT and resume", test_semaphore_wait },
	{ "first-level batches, GGTT and PPGTT", test_batch_first_level },
	{ "chained and second-level batches, step by step", test_batch_nesting },
	{ "batch faults: depth, fetch, flags", test_batch_faults },
	{ "unknown opcodes, wrong lengths, wrong engine", test_bad_commands },
	{ "ring wrap, thousands of submissions", test_ring_wrap },
	{ "TLB invalidation: PIPE_CONTROL, MI_FLUSH_DW, fetch", test_tlb_invalidate },
	{ "budget: YIELD and resume, also mid-batch", test_budget_yield },
	{ "watchdog: HANG on waits, loops, long batches", test_watchdog },
	{ "command fetch faults in the ring", test_fetch_faults },
	{ "XY_COLOR_BLT: exact rectangle", test_blit_fill_exact },
	{ "blits: channel masks and every depth", test_blit_masks_and_depths },
	{ "blits: memmove rows, top to bottom", test_blit_overlap },
	{ "blits: masked copies a few bytes apart", test_blit_masked_overlap },
	{ "blits: 700 random vs reference, GGTT", test_blit_random_ggtt },
	{ "blits: 700 random vs reference, PPGTT", test_blit_random_ppgtt },
	{ "blits: field checks", test_blit_fields },
	{ "blits: empty rectangles and masks touch nothing", test_blit_nothing },
	{ "blits: span and work limits", test_blit_limits },
	{ "blits: translation faults stop before the row", test_blit_faults },
	{ "blits: PPGTT with a context, else GGTT", test_blit_address_space },
	{ "blits: local memory", test_blit_local_memory },
	{ "blits: rows wider than 64 KiB", test_blit_wide_rows },
	{ "blits: one translation per page", test_blit_translations },
	{ "fuzz: random streams never crash", test_exec_fuzz },
	{ "shadow: a rewritten batch runs as checked", test_shadow_toctou },
	{ "shadow: one command per slice, deep in batches", test_shadow_resume },
	{ "shadow: prefix rule of a rejected workload", test_shadow_prefix },
	{ "shadow: fetches stay in the copies", test_shadow_bounds },
};

const unsigned int exec_nr_tests = ARRAY_SIZE(exec_tests);
