// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the reference engine's command executor.
 *
 * Executes the command subset of uapi/mvgpu_hw.h from one engine's ring and
 * the batch buffers it starts, one time slice per mvgpu_exec_run() call.
 * Decoding is table driven: one row of exec_cmds[] per command (header
 * match, engines, length rule, handler).  A command is atomic with respect
 * to slices; everything needed to go on lives in struct mvgpu_exec_state.
 *
 * Rules the encodings alone do not tell:
 *  - RING_HEAD is the first ring command not yet completed.  A batch
 *    started from the ring completes with the MI_BATCH_BUFFER_END that
 *    returns to the ring, so the head stays on that MI_BATCH_BUFFER_START
 *    while the batch (and any batch it starts) runs.
 *  - The watchdog times one ring command including its batches, in wall
 *    time: also while the vGPU is not scheduled or waits on a semaphore.
 *  - A slice executes at least one command before it looks at the budget,
 *    so even a tiny budget makes progress.  The clock is read every
 *    EXEC_CLOCK_EVERY commands and after every blit.
 *  - Blits use the PPGTT when the context descriptor is valid and the GGTT
 *    otherwise: Gen9 in legacy ring mode runs them in the context's
 *    address space.
 *  - Faults: FAULT_ADDR holds the address (or register offset) at fault,
 *    the ring start for RING faults, and 0 when no address is involved
 *    (opcode, length, engine, nesting, encoding fields, hang).  The WRITE
 *    and PPGTT flags describe FAULT_ADDR.  What the faulting command did
 *    before the fault stays done (real hardware has no rollback either):
 *    LRI registers before a bad one are written, blit rows before the
 *    faulting row are written.  The head stays on the faulting command.
 *  - Shadow mode (ex->shadow): commands are fetched from the copies the
 *    command scanner made and checked (gvt/scan.c), found by the start
 *    address of each batch run; data accesses still translate live.
 *
 * This file is pure logic and builds in userspace (selftests/unit/).
 */
#include "mvgpu_exec.h"

#define EXEC_PAGE_SIZE		MVGPU_GTT_PAGE_SIZE
#define EXEC_PAGE_OFFSET(a)	((a) & (EXEC_PAGE_SIZE - 1))
#define EXEC_PAGE_MASK		(~(u64)(EXEC_PAGE_SIZE - 1))

/* The longest fixed-length commands: XY_SRC_COPY_BLT, XY_FAST_COPY_BLT. */
#define EXEC_MAX_FIXED		10
/* Commands between two reads of the clock (budget, watchdog). */
#define EXEC_CLOCK_EVERY	8
/* Dwords of MI_BATCH_BUFFER_START: the head moves past it on return. */
#define EXEC_BBS_DWORDS		3

/* Address bits 47:32 sit in bits 15:0 of a command's high address dword. */
#define EXEC_ADDR_HI(dw)	((u64)((dw) & 0xffff) << 32)
/* Post-sync operation 2 (PIPE_CONTROL: depth count) is not supported. */
#define EXEC_POST_SYNC_BAD	(2u << 14)

/* What one command did. */
enum exec_step {
	EXEC_NEXT,	/* completed: move past it */
	EXEC_JUMP,	/* completed, and moved the command pointer itself */
	EXEC_WAIT,	/* semaphore not satisfied: fetch it again later */
	EXEC_FAULT,	/* st->fault is set */
};

/**
 * struct exec_ctx - one slice in progress
 * @ex: executor (callbacks, TLB)
 * @st: the engine's state
 * @ring: ring registers of this slice
 * @ev: events of this slice
 * @cmd_addr: graphics address of the command being executed
 * @len: its length in dwords
 * @dw: its dwords (only dw[0], the header, for streamed commands); dw[0]
 *	is 0 until the header has been fetched
 * @heavy: the command moved many bytes: read the clock after it
 * @fetch_tag: graphics page commands are fetched from | 1 GGTT, 2 PPGTT
 * @fetch_page: CPU address of that page, NULL if none
 * @sb_tag: shadow mode, per level: the batch copy found last, as its
 *	start address | 1 | 2 for the PPGTT; 0 if none
 * @sb_buf: its bytes
 * @sb_len: its length
 */
struct exec_ctx {
	struct mvgpu_exec *ex;
	struct mvgpu_exec_state *st;
	const struct mvgpu_exec_ring *ring;
	struct mvgpu_exec_events *ev;
	u64 cmd_addr;
	unsigned int len;
	u32 dw[EXEC_MAX_FIXED];
	bool heavy;
	u64 fetch_tag;
	const u8 *fetch_page;
	u64 sb_tag[MVGPU_EXEC_MAX_DEPTH];
	const u8 *sb_buf[MVGPU_EXEC_MAX_DEPTH];
	u32 sb_len[MVGPU_EXEC_MAX_DEPTH];
};

static u64 exec_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

/* Time from @since to @now, 0 if the clock went backwards. */
static u64 exec_elapsed(u64 now, u64 since)
{
	return now > since ? now - since : 0;
}

static enum mvgpu_xlate_space exec_space(bool ggtt)
{
	return ggtt ? MVGPU_XLATE_GGTT : MVGPU_XLATE_PPGTT;
}

/* FAULT_STATUS flags that describe an access to an address in @space. */
static u32 exec_addr_flags(enum mvgpu_xlate_space space, bool write)
{
	return (write ? MVGPU_FAULT_WRITE : 0) |
	       (space == MVGPU_XLATE_PPGTT ? MVGPU_FAULT_PPGTT : 0);
}

/* Halt the engine on the current command. */
static enum exec_step exec_fault(struct exec_ctx *c, u32 type, u32 flags,
				 u64 addr)
{
	struct mvgpu_exec_state *st = c->st;
	u32 status = MVGPU_FAULT_VALID | type | flags;

	if (st->depth) {
		status |= MVGPU_FAULT_IN_BATCH;
		if (st->bb_ppgtt[st->depth - 1])
			status |= MVGPU_FAULT_CMD_PPGTT;
	}
	st->fault.status = status;
	st->fault.instr = c->dw[0];
	st->fault.addr = addr;
	st->fault.cmd_addr = c->cmd_addr;
	return EXEC_FAULT;
}

/* Translate for a command's memory access; NULL after a fault. */
static void *exec_access(struct exec_ctx *c, enum mvgpu_xlate_space space,
			 u64 gaddr, bool write)
{
	u32 type;
	void *p;

	if (!mvgpu_xlate(c->ex, c->ring->ctx_desc, space, gaddr, write, &p,
			 &type))
		return p;
	exec_fault(c, type, exec_addr_flags(space, write), gaddr);
	return NULL;
}

static void exec_flush(struct exec_ctx *c)
{
	mvgpu_xlate_flush(c->ex);
	c->fetch_page = NULL;
	c->fetch_tag = 0;
}

/* Graphics address of the next command to fetch. */
static u64 exec_cmd_addr(const struct exec_ctx *c)
{
	const struct mvgpu_exec_state *st = c->st;

	if (st->depth)
		return st->bb_addr[st->depth - 1];
	return c->ring->start + st->head;
}

/*
 * Address of dword @i of the current command.  Ring commands wrap at the
 * ring's end; a command is at most 257 dwords, less than the smallest ring.
 */
static u64 exec_dw_addr(const struct exec_ctx *c, unsigned int i,
			enum mvgpu_xlate_space *space)
{
	const struct mvgpu_exec_state *st = c->st;
	u32 off;

	if (st->depth) {
		*space = exec_space(!st->bb_ppgtt[st->depth - 1]);
		return st->bb_addr[st->depth - 1] + 4ull * i;
	}
	off = st->head + 4 * i;
	if (off >= c->ring->size)
		off -= c->ring->size;
	*space = MVGPU_XLATE_GGTT;
	return c->ring->start + off;
}

/* Where the ring ends for this slice: the workload's end in shadow mode. */
static u32 exec_tail(const struct exec_ctx *c)
{
	return c->ex->shadow ? c->ex->shadow->tail : c->ring->tail;
}

/*
 * Shadow mode: dword @i of the current command from the workload's copies.
 * A fetch outside them is an internal error, never a guest memory read.
 */
static int exec_shadow_peek(struct exec_ctx *c, unsigned int i, u32 *val,
			    u32 *type)
{
	const struct mvgpu_exec_shadow *sh = c->ex->shadow;
	const struct mvgpu_exec_state *st = c->st;
	const u8 *buf;
	__le32 v;
	u64 off;
	u32 len;

	if (!st->depth) {
		u32 ro = st->head + 4 * i;

		if (ro >= c->ring->size)
			ro -= c->ring->size;
		off = ro >= sh->head ? ro - sh->head :
				       (u64)ro + c->ring->size - sh->head;
		buf = sh->ring;
		len = sh->len;
	} else {
		unsigned int l = st->depth - 1;
		u64 tag = st->bb_base[l] | 1 | (st->bb_ppgtt[l] ? 2 : 0);

		if (c->sb_tag[l] != tag) {
			c->sb_len[l] = 0;
			c->sb_buf[l] = sh->batch(sh->priv, st->bb_ppgtt[l],
						 st->bb_base[l], &c->sb_len[l]);
			c->sb_tag[l] = tag;
		}
		buf = c->sb_buf[l];
		len = buf ? c->sb_len[l] : 0;
		off = st->bb_addr[l] - st->bb_base[l] + 4ull * i;
	}
	if (off >= len || len - off < 4) {
		*type = MVGPU_FAULT_SCAN_LIMIT;
		return -EFAULT;
	}
	memcpy(&v, buf + off, 4);
	*val = le32_to_cpu(v);
	return 0;
}

/*
 * Read dword @i of the current command without faulting.  The page is
 * kept, so a command stream costs one translation per page.
 */
static int exec_peek(struct exec_ctx *c, unsigned int i, u32 *val,
		     u64 *gaddr, enum mvgpu_xlate_space *space, u32 *type)
{
	u64 tag;
	void *p;

	*gaddr = exec_dw_addr(c, i, space);
	if (c->ex->shadow)
		return exec_shadow_peek(c, i, val, type);
	tag = (*gaddr & EXEC_PAGE_MASK) |
	      (*space == MVGPU_XLATE_PPGTT ? 2 : 1);
	if (!c->fetch_page || c->fetch_tag != tag) {
		if (mvgpu_xlate(c->ex, c->ring->ctx_desc, *space, *gaddr,
				false, &p, type))
			return -EFAULT;
		c->fetch_page = (const u8 *)p - EXEC_PAGE_OFFSET(*gaddr);
		c->fetch_tag = tag;
	}
	*val = le32_to_cpu(READ_ONCE(*(const __le32 *)
			   (c->fetch_page + EXEC_PAGE_OFFSET(*gaddr))));
	return 0;
}

/* Fetch dword @i of the current command; a failed fetch faults on it. */
static int exec_fetch(struct exec_ctx *c, unsigned int i, u32 *val)
{
	enum mvgpu_xlate_space space;
	u64 gaddr;
	u32 type;

	if (!exec_peek(c, i, val, &gaddr, &space, &type))
		return 0;
	exec_fault(c, type, exec_addr_flags(space, false), gaddr);
	return -EFAULT;
}

/* Store a dword or a naturally aligned qword (so never across a page). */
static enum exec_step exec_store(struct exec_ctx *c,
				 enum mvgpu_xlate_space space, u64 gaddr,
				 u64 val, bool qword)
{
	void *p;

	if (qword && (gaddr & 7))
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD,
				  exec_addr_flags(space, true), gaddr);
	p = exec_access(c, space, gaddr, true);
	if (!p)
		return EXEC_FAULT;
	if (qword) {
		*(__le64 *)p = cpu_to_le64(val);
		c->ev->bytes += 8;
	} else {
		*(__le32 *)p = cpu_to_le32((u32)val);
		c->ev->bytes += 4;
	}
	return EXEC_NEXT;
}

static void exec_advance(struct exec_ctx *c, unsigned int dwords)
{
	struct mvgpu_exec_state *st = c->st;

	if (st->depth) {
		st->bb_addr[st->depth - 1] += 4ull * dwords;
		return;
	}
	st->head += 4 * dwords;
	if (st->head >= c->ring->size)
		st->head -= c->ring->size;
	st->cmd_started = false;
}

/* ------------------------------------------------------------------ */
/* MI commands                                                          */

static enum exec_step exec_user_interrupt(struct exec_ctx *c)
{
	c->ev->user = true;
	return EXEC_NEXT;
}

/*
 * From the ring: start a first-level batch.  In a batch: without
 * SECOND_LEVEL, chain (jump, the level's return address is not kept);
 * with it, call a second-level batch (first level only).
 */
static enum exec_step exec_bb_start(struct exec_ctx *c)
{
	struct mvgpu_exec_state *st = c->st;
	u32 h = c->dw[0];

	if (h & MVGPU_MI_BB_SECOND_LEVEL) {
		if (st->depth != 1)
			return exec_fault(c, MVGPU_FAULT_BATCH_DEPTH, 0, 0);
		st->bb_addr[0] += 4ull * c->len;
		st->depth = 2;
	} else if (!st->depth) {
		st->depth = 1;
	}
	st->bb_addr[st->depth - 1] = (c->dw[1] & ~3u) | EXEC_ADDR_HI(c->dw[2]);
	st->bb_ppgtt[st->depth - 1] = h & MVGPU_MI_BB_PPGTT;
	st->bb_base[st->depth - 1] = st->bb_addr[st->depth - 1];
	return EXEC_JUMP;
}

static enum exec_step exec_bb_end(struct exec_ctx *c)
{
	struct mvgpu_exec_state *st = c->st;

	if (!st->depth)
		return exec_fault(c, MVGPU_FAULT_BATCH_DEPTH, 0, 0);
	/* Back in the ring: its MI_BATCH_BUFFER_START has completed. */
	if (!--st->depth)
		exec_advance(c, EXEC_BBS_DWORDS);
	else	/* the caller goes on in the run after its call */
		st->bb_base[0] = st->bb_addr[0];
	return EXEC_JUMP;
}

static enum exec_step exec_store_data_imm(struct exec_ctx *c)
{
	enum mvgpu_xlate_space space = exec_space(c->dw[0] & MVGPU_MI_USE_GGTT);
	u64 addr = (c->dw[1] & ~3u) | EXEC_ADDR_HI(c->dw[2]);

	/* The length, not the Store Qword bit, decides the size. */
	if (c->len == 5)
		return exec_store(c, space, addr,
				  c->dw[3] | (u64)c->dw[4] << 32, true);
	return exec_store(c, space, addr, c->dw[3], false);
}

/* Register numbers: GPR dwords 0..31 (2n low, 2n + 1 high), timestamp. */
#define EXEC_REG_TS_LO		(2 * MVGPU_CS_GPR_COUNT)
#define EXEC_REG_TS_HI		(EXEC_REG_TS_LO + 1)

/*
 * The register LRI (or, @srm, SRM) may name at BAR0 offset @off, inside
 * the executing engine's block; -1 if none.
 */
static int exec_reg(const struct exec_ctx *c, u32 off, bool srm)
{
	u32 rel = off - MVGPU_ENGINE_BASE(c->st->engine);

	if (off & 3)
		return -1;
	if (rel >= MVGPU_CS_GPR(0) && rel < MVGPU_CS_GPR(MVGPU_CS_GPR_COUNT))
		return (rel - MVGPU_CS_GPR(0)) / 4;
	if (srm && rel == MVGPU_RING_TIMESTAMP_LO)
		return EXEC_REG_TS_LO;
	if (srm && rel == MVGPU_RING_TIMESTAMP_HI)
		return EXEC_REG_TS_HI;
	return -1;
}

/*
 * MI_LOAD_REGISTER_IMM is fetched and executed pair by pair, in order, so
 * a bad register (or an unmapped page) in the middle leaves the registers
 * before it written.
 */
static enum exec_step exec_load_register_imm(struct exec_ctx *c)
{
	unsigned int i;

	for (i = 1; i + 1 < c->len; i += 2) {
		u32 off, val;
		u64 *gpr;
		int reg;

		if (exec_fetch(c, i, &off) || exec_fetch(c, i + 1, &val))
			return EXEC_FAULT;
		reg = exec_reg(c, off, false);
		if (reg < 0)
			return exec_fault(c, MVGPU_FAULT_BAD_REGISTER, 0, off);
		gpr = &c->st->gpr[reg / 2];
		if (reg & 1)
			*gpr = (*gpr & 0xffffffffull) | (u64)val << 32;
		else
			*gpr = (*gpr & ~0xffffffffull) | val;
	}
	return EXEC_NEXT;
}

static enum exec_step exec_store_register_mem(struct exec_ctx *c)
{
	int reg = exec_reg(c, c->dw[1], true);
	u64 val;

	if (reg < 0)
		return exec_fault(c, MVGPU_FAULT_BAD_REGISTER, 0, c->dw[1]);
	if (reg >= EXEC_REG_TS_LO)
		val = c->ex->ops->now_ns(c->ex->priv) >>
		      (reg == EXEC_REG_TS_HI ? 32 : 0);
	else
		val = c->st->gpr[reg / 2] >> (reg & 1 ? 32 : 0);
	return exec_store(c, exec_space(c->dw[0] & MVGPU_MI_USE_GGTT),
			  (c->dw[2] & ~3u) | EXEC_ADDR_HI(c->dw[3]),
			  (u32)val, false);
}

/*
 * Post-sync write of MI_FLUSH_DW: length 3 writes a qword, length 2 a
 * dword (the timestamp's low half).  TLB invalidation comes first, so the
 * write goes through fresh translations.
 */
static enum exec_step exec_flush_dw(struct exec_ctx *c)
{
	u32 h = c->dw[0], op = h & MVGPU_MI_FLUSH_DW_OP_MASK;
	bool qword = c->len == 5;
	enum exec_step step;
	u64 val;

	if (op == EXEC_POST_SYNC_BAD)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	if (h & MVGPU_MI_FLUSH_DW_TLB_INVALIDATE)
		exec_flush(c);
	if (op) {
		if (op == MVGPU_MI_FLUSH_DW_OP_STORE)
			val = c->dw[3] | (qword ? (u64)c->dw[4] << 32 : 0);
		else
			val = c->ex->ops->now_ns(c->ex->priv);
		step = exec_store(c, exec_space(c->dw[1] &
						MVGPU_MI_FLUSH_DW_USE_GGTT),
				  (c->dw[1] & ~7u) | EXEC_ADDR_HI(c->dw[2]),
				  val, qword);
		if (step != EXEC_NEXT)
			return step;
	}
	if (h & MVGPU_MI_FLUSH_DW_NOTIFY)
		c->ev->user = true;
	return EXEC_NEXT;
}

/* Post-sync writes are qwords: the address must be 8-byte aligned. */
static enum exec_step exec_pipe_control(struct exec_ctx *c)
{
	u32 flags = c->dw[1], op = flags & MVGPU_PC_OP_MASK;
	enum exec_step step;
	u64 val;

	if (op == EXEC_POST_SYNC_BAD)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	if (flags & MVGPU_PC_TLB_INVALIDATE)
		exec_flush(c);
	if (op) {
		if (op == MVGPU_PC_OP_STORE)
			val = c->dw[4] | (u64)c->dw[5] << 32;
		else
			val = c->ex->ops->now_ns(c->ex->priv);
		step = exec_store(c, exec_space(flags & MVGPU_PC_USE_GGTT),
				  (c->dw[2] & ~3u) | EXEC_ADDR_HI(c->dw[3]),
				  val, true);
		if (step != EXEC_NEXT)
			return step;
	}
	if (flags & MVGPU_PC_NOTIFY)
		c->ev->user = true;
	return EXEC_NEXT;
}

/*
 * Compare the dword at the address (SAD) with DW1 (SDD).  Poll and signal
 * mode both poll: an unsatisfied wait ends the slice and is fetched again
 * in the next one.
 */
static enum exec_step exec_semaphore_wait(struct exec_ctx *c)
{
	u32 h = c->dw[0], sdd = c->dw[1], sad;
	const void *p;
	bool ok;

	if (((h >> 12) & 7) > MVGPU_SEM_NEQ)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	p = exec_access(c, exec_space(h & MVGPU_MI_SEMAPHORE_GGTT),
			(c->dw[2] & ~3u) | EXEC_ADDR_HI(c->dw[3]), false);
	if (!p)
		return EXEC_FAULT;
	sad = le32_to_cpu(READ_ONCE(*(const __le32 *)p));
	switch ((h >> 12) & 7) {
	case MVGPU_SEM_GT:
		ok = sad > sdd;
		break;
	case MVGPU_SEM_GTE:
		ok = sad >= sdd;
		break;
	case MVGPU_SEM_LT:
		ok = sad < sdd;
		break;
	case MVGPU_SEM_LTE:
		ok = sad <= sdd;
		break;
	case MVGPU_SEM_EQ:
		ok = sad == sdd;
		break;
	default:
		ok = sad != sdd;
		break;
	}
	return ok ? EXEC_NEXT : EXEC_WAIT;
}

/* ------------------------------------------------------------------ */
/* Blits                                                                */

/**
 * struct exec_blit - a decoded blit
 * @space: address space of both surfaces
 * @copy: a copy (else a fill)
 * @bpp: bytes per pixel
 * @lanes: bytes of each 4-byte pixel that are written (bit n: byte n);
 *	0xf for all other depths
 * @row_bytes: bytes per row
 * @rows: rows
 * @dst: first byte of the first destination row
 * @src: first byte of the first source row (copies)
 * @dst_pitch: bytes between destination rows
 * @src_pitch: bytes between source rows
 * @uniform: all bytes of @pattern are equal: fill with memset()
 * @pattern: the fill colour repeated, little endian (fills)
 */
struct exec_blit {
	enum mvgpu_xlate_space space;
	bool copy;
	unsigned int bpp;
	u8 lanes;
	u64 row_bytes;
	u32 rows;
	u64 dst;
	u64 src;
	u32 dst_pitch;
	u32 src_pitch;
	bool uniform;
	u8 pattern[64];
};

/* Rows up to 64 KiB keep the pointers their probe found. */
#define EXEC_ROW_PAGES		17

/**
 * struct exec_row - the pages of one surface's row
 * @first: graphics address of its first page
 * @nr: pages whose pointers are kept (the first ones)
 * @page: CPU addresses of those pages
 */
struct exec_row {
	u64 first;
	unsigned int nr;
	u8 *page[EXEC_ROW_PAGES];
};

/*
 * Translate every page of [@addr, @addr + @len) before any is written,
 * keeping the first pointers in @row.
 */
static bool exec_blit_probe(struct exec_ctx *c, const struct exec_blit *b,
			    u64 addr, u64 len, bool write, struct exec_row *row)
{
	u64 end = addr + len;
	u8 *p;

	row->first = addr & EXEC_PAGE_MASK;
	row->nr = 0;
	while (addr < end) {
		p = exec_access(c, b->space, addr, write);
		if (!p)
			return false;
		if (row->nr < EXEC_ROW_PAGES)
			row->page[row->nr++] = p - EXEC_PAGE_OFFSET(addr);
		addr = (addr & EXEC_PAGE_MASK) + EXEC_PAGE_SIZE;
	}
	return true;
}

/* CPU address of @addr in a probed row (translating again if not kept). */
static u8 *exec_row_ptr(struct exec_ctx *c, const struct exec_blit *b,
			const struct exec_row *row, u64 addr, bool write)
{
	u64 i = (addr - row->first) >> MVGPU_GTT_PAGE_SHIFT;

	if (i < row->nr)
		return row->page[i] + EXEC_PAGE_OFFSET(addr);
	return exec_access(c, b->space, addr, write);
}

/*
 * Fill @n bytes with the period-64 @pattern, @off bytes into it: one
 * period, then doubling what is already written.
 */
static void exec_fill_pattern(u8 *dp, const u8 *pattern, u64 n, u64 off)
{
	u64 k = exec_min(n, 64 - (off & 63));

	memcpy(dp, pattern + (off & 63), k);
	dp += k;
	n -= k;
	if (!n)
		return;
	k = exec_min(n, 64);
	memcpy(dp, pattern, k);
	while (k < n) {
		u64 more = exec_min(k, n - k);

		memcpy(dp + k, dp, more);
		k += more;
	}
}

/* One byte of a 32 bpp blit with a channel mask. */
static void exec_blit_byte(const struct exec_blit *b, u8 *dp, const u8 *sp,
			   u64 i, u64 off)
{
	unsigned int lane = (off + i) & 3;

	if (b->lanes & (1u << lane))
		dp[i] = sp ? sp[i] : b->pattern[lane];
}

/*
 * 32 bpp with a channel mask: whole pixels as masked 32-bit updates, bytes
 * where a page boundary splits a pixel.  Each pixel's source is read
 * before it is written and the order follows @back, so overlapping copies
 * still behave like memmove().  Masked-off bytes are rewritten with their
 * own value.
 */
static void exec_blit_masked(const struct exec_blit *b, u8 *dp, const u8 *sp,
			     u64 n, u64 off, bool back)
{
	u64 head = exec_min((4 - (off & 3)) & 3, n), body, i;
	u32 mask = 0, colour, v, src;
	unsigned int lane;

	for (lane = 0; lane < 4; lane++)
		if (b->lanes & (1u << lane))
			mask |= 0xffu << (8 * lane);
	memcpy(&colour, b->pattern, 4);
	colour = le32_to_cpu((__force __le32)colour);
	body = (n - head) & ~3ull;

	if (!back)
		for (i = 0; i < head; i++)
			exec_blit_byte(b, dp, sp, i, off);
	else
		for (i = n; i-- > head + body;)
			exec_blit_byte(b, dp, sp, i, off);
	for (i = 0; i < body; i += 4) {
		u64 j = head + (back ? body - 4 - i : i);

		if (sp) {
			memcpy(&src, sp + j, 4);
			src = le32_to_cpu((__force __le32)src);
		} else {
			src = colour;
		}
		memcpy(&v, dp + j, 4);
		v = (le32_to_cpu((__force __le32)v) & ~mask) | (src & mask);
		v = (__force u32)cpu_to_le32(v);
		memcpy(dp + j, &v, 4);
	}
	if (!back)
		for (i = head + body; i < n; i++)
			exec_blit_byte(b, dp, sp, i, off);
	else
		for (i = head; i-- > 0;)
			exec_blit_byte(b, dp, sp, i, off);
}

/* @n bytes of a row, @off bytes after the row's start; @back: backwards. */
static void exec_blit_chunk(const struct exec_blit *b, u8 *dp, const u8 *sp,
			    u64 n, u64 off, bool back)
{
	if (b->lanes == 0xf) {
		if (sp)
			memmove(dp, sp, n);
		else if (b->uniform)
			memset(dp, b->pattern[0], n);
		else
			exec_fill_pattern(dp, b->pattern, n, off);
		return;
	}
	exec_blit_masked(b, dp, sp, n, off, back);
}

/*
 * One row, in pieces that lie within one source and one destination page.
 * A copy behaves like memmove() in graphics address space: if the
 * destination overlaps the source from above, the row runs backwards.
 */
static enum exec_step exec_blit_row(struct exec_ctx *c,
				    const struct exec_blit *b, u64 d, u64 s,
				    const struct exec_row *drow,
				    const struct exec_row *srow)
{
	bool back = b->copy && d > s && d - s < b->row_bytes;
	u64 done = 0, n = b->row_bytes;

	while (done < n) {
		u64 left = n - done, da, sa, chunk;
		const u8 *sp = NULL;
		u8 *dp;

		if (!back) {
			da = d + done;
			sa = s + done;
			chunk = exec_min(left, EXEC_PAGE_SIZE -
					 EXEC_PAGE_OFFSET(da));
			if (b->copy)
				chunk = exec_min(chunk, EXEC_PAGE_SIZE -
						 EXEC_PAGE_OFFSET(sa));
		} else {
			da = d + left;
			sa = s + left;
			chunk = exec_min(left, EXEC_PAGE_OFFSET(da - 1) + 1);
			chunk = exec_min(chunk, EXEC_PAGE_OFFSET(sa - 1) + 1);
			da -= chunk;
			sa -= chunk;
		}
		dp = exec_row_ptr(c, b, drow, da, true);
		if (!dp)
			return EXEC_FAULT;
		if (b->copy) {
			sp = exec_row_ptr(c, b, srow, sa, false);
			if (!sp)
				return EXEC_FAULT;
		}
		exec_blit_chunk(b, dp, sp, chunk, da - d, back);
		done += chunk;
	}
	return EXEC_NEXT;
}

/*
 * Rows run top to bottom.  Each row's pages are translated (source for
 * reading, then destination for writing) before the row is written, so a
 * translation fault leaves the rows above written and its own row intact.
 */
static enum exec_step exec_blit_rows(struct exec_ctx *c,
				     const struct exec_blit *b)
{
	struct exec_row drow, srow = { .nr = 0 };
	u64 written = b->row_bytes;
	enum exec_step step;
	u32 r;

	if (b->lanes != 0xf)
		written = b->row_bytes / 4 *
			  (((b->lanes >> 3) & 1) + ((b->lanes >> 2) & 1) +
			   ((b->lanes >> 1) & 1) + (b->lanes & 1));
	for (r = 0; r < b->rows; r++) {
		u64 d = b->dst + (u64)r * b->dst_pitch;
		u64 s = b->src + (u64)r * b->src_pitch;

		if (b->copy &&
		    !exec_blit_probe(c, b, s, b->row_bytes, false, &srow))
			return EXEC_FAULT;
		if (!exec_blit_probe(c, b, d, b->row_bytes, true, &drow))
			return EXEC_FAULT;
		step = exec_blit_row(c, b, d, s, &drow, &srow);
		if (step != EXEC_NEXT)
			return step;
		c->ev->bytes += written;
	}
	return EXEC_NEXT;
}

/*
 * Common to all blits once depth, pitches and masks are known: DW2/DW3
 * hold the destination's corners (y << 16 | x, bottom-right exclusive),
 * DW4/DW5 its address, and for copies DW6 the source origin and DW8/DW9
 * the source address.  An empty rectangle draws nothing.  The span from a
 * surface's address to the end of the last pixel used must stay within
 * MVGPU_BLT_MAX_BYTES, and so must the bytes written.
 */
static enum exec_step exec_blit(struct exec_ctx *c, struct exec_blit *b)
{
	u32 x1 = c->dw[2] & 0xffff, y1 = c->dw[2] >> 16;
	u32 x2 = c->dw[3] & 0xffff, y2 = c->dw[3] >> 16;
	u64 dst = c->dw[4] | EXEC_ADDR_HI(c->dw[5]), w, h;

	b->space = exec_space(!(c->ring->ctx_desc & MVGPU_CTX_DESC_VALID));
	if (x2 <= x1 || y2 <= y1)
		return EXEC_NEXT;
	w = x2 - x1;
	h = y2 - y1;
	if ((u64)(y2 - 1) * b->dst_pitch + (u64)x2 * b->bpp >
	    MVGPU_BLT_MAX_BYTES)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD,
				  exec_addr_flags(b->space, true), dst);
	b->dst = dst + (u64)y1 * b->dst_pitch + (u64)x1 * b->bpp;
	if (b->copy) {
		u32 sx = c->dw[6] & 0xffff, sy = c->dw[6] >> 16;
		u64 src = c->dw[8] | EXEC_ADDR_HI(c->dw[9]);

		if ((sy + h - 1) * b->src_pitch + (sx + w) * b->bpp >
		    MVGPU_BLT_MAX_BYTES)
			return exec_fault(c, MVGPU_FAULT_BAD_FIELD,
					  exec_addr_flags(b->space, false),
					  src);
		b->src = src + (u64)sy * b->src_pitch + (u64)sx * b->bpp;
	}
	/*
	 * Rows overlap when the pitch is smaller than a row: then the span
	 * does not bound the work, so bound the bytes moved too (up to 64 GiB
	 * otherwise, in one uninterruptible command).
	 */
	if (w * h * b->bpp > MVGPU_BLT_MAX_BYTES)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD,
				  exec_addr_flags(b->space, true), dst);
	b->row_bytes = w * b->bpp;
	b->rows = h;
	if (!b->lanes)
		return EXEC_NEXT;
	return exec_blit_rows(c, b);
}

/*
 * XY_COLOR_BLT and XY_SRC_COPY_BLT: linear only; BR13 (DW1) holds the
 * depth, the ROP (which must be the plain fill or copy one) and the signed
 * destination pitch; a copy's source pitch is DW7 bits 15:0, also signed.
 * 32 bpp writes only the channels WRITE_ALPHA (byte 3) and WRITE_RGB
 * (bytes 2:0) select; other depths write whole pixels.
 */
static enum exec_step exec_xy_blt(struct exec_ctx *c, struct exec_blit *b,
				  u32 rop)
{
	static const u8 depth_bpp[4] = { 1, 2, 2, 4 };
	u32 h = c->dw[0], br13 = c->dw[1];
	u32 tiled = MVGPU_BLT_DST_TILED | (b->copy ? MVGPU_BLT_SRC_TILED : 0);

	if ((h & tiled) || ((br13 >> 16) & 0xff) != rop ||
	    !(br13 & 0xffff) || (br13 & 0x8000))
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	if (b->copy && (!(c->dw[7] & 0xffff) || (c->dw[7] & 0x8000)))
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	b->bpp = depth_bpp[(br13 >> 24) & 3];
	b->dst_pitch = br13 & 0xffff;
	if (b->copy) {
		b->src_pitch = c->dw[7] & 0xffff;
	} else {
		unsigned int i;

		/* XY_COLOR_BLT: the colour's low bpp bytes (DW6) repeat */
		b->uniform = true;
		for (i = 0; i < sizeof(b->pattern); i++) {
			b->pattern[i] = c->dw[6] >> (8 * (i & (b->bpp - 1)));
			b->uniform &= b->pattern[i] == b->pattern[0];
		}
	}
	b->lanes = 0xf;
	if (b->bpp == 4)
		b->lanes = (h & MVGPU_BLT_WRITE_ALPHA ? 0x8 : 0) |
			   (h & MVGPU_BLT_WRITE_RGB ? 0x7 : 0);
	return exec_blit(c, b);
}

static enum exec_step exec_color_blt(struct exec_ctx *c)
{
	struct exec_blit b = { .copy = false };

	return exec_xy_blt(c, &b, MVGPU_ROP_PATCOPY);
}

static enum exec_step exec_src_copy_blt(struct exec_ctx *c)
{
	struct exec_blit b = { .copy = true };

	return exec_xy_blt(c, &b, MVGPU_ROP_SRCCOPY);
}

/*
 * XY_FAST_COPY_BLT: linear only (both tiling fields 0), depth in DW1 bits
 * 26:24 (1 to 16 bytes), unsigned byte pitches, no channel masks.
 */
static enum exec_step exec_fast_copy_blt(struct exec_ctx *c)
{
	static const u8 depth_bpp[8] = { 1, 2, 0, 4, 8, 16, 0, 0 };
	struct exec_blit b = { .copy = true, .lanes = 0xf };

	b.bpp = depth_bpp[(c->dw[1] >> 24) & 7];
	b.dst_pitch = c->dw[1] & 0xffff;
	b.src_pitch = c->dw[7] & 0xffff;
	if ((c->dw[0] & (MVGPU_FAST_SRC_TILING_MASK |
			 MVGPU_FAST_DST_TILING_MASK)) ||
	    !b.bpp || !b.dst_pitch || !b.src_pitch)
		return exec_fault(c, MVGPU_FAULT_BAD_FIELD, 0, 0);
	return exec_blit(c, &b);
}

/* ------------------------------------------------------------------ */
/* Decoding                                                             */

#define EXEC_RCS		BIT(MVGPU_ENGINE_RCS)
#define EXEC_BCS		BIT(MVGPU_ENGINE_BCS)
#define EXEC_ANY		(EXEC_RCS | EXEC_BCS)

/* The header bits that identify a command. */
#define EXEC_MI_MASK		0xff800000u	/* client 0, opcode 28:23 */
#define EXEC_2D_MASK		0xffc00000u	/* client 2, opcode 28:22 */
#define EXEC_3D_MASK		0xffff0000u	/* client 3, type, opcodes */

#define EXEC_ODD		BIT(0)	/* length field must be odd */
#define EXEC_STREAM		BIT(1)	/* handler fetches dwords 1.. itself */
#define EXEC_HEAVY		BIT(2)	/* may move many bytes */

/**
 * struct exec_cmd - one supported command
 * @mask: header bits that identify it
 * @value: their value
 * @len_mask: the length field (dwords - 2); 0 for one-dword commands,
 *	whose other bits are ignored
 * @len_min: smallest allowed length field
 * @len_max: largest allowed length field
 * @engines: engines that execute it (others fault BAD_ENGINE)
 * @flags: EXEC_ODD, EXEC_STREAM, EXEC_HEAVY
 * @run: the handler, NULL if there is nothing to do
 */
struct exec_cmd {
	u32 mask;
	u32 value;
	u32 len_mask;
	u8 len_min;
	u8 len_max;
	u8 engines;
	u8 flags;
	enum exec_step (*run)(struct exec_ctx *c);
};

#define EXEC_CMD(_mask, _value, _len_mask, _min, _max, _eng, _flags, _run) \
	{ .mask = (_mask), .value = (_value) & (_mask),			\
	  .len_mask = (_len_mask), .len_min = (_min), .len_max = (_max),	\
	  .engines = (_eng), .flags = (_flags), .run = (_run) }

static const struct exec_cmd exec_cmds[] = {
	/* MI_NOOP's bits 22:0 (identification number) are accepted */
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_NOOP, 0, 0, 0, EXEC_ANY, 0, NULL),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_USER_INTERRUPT, 0, 0, 0, EXEC_ANY, 0,
		 exec_user_interrupt),
	/* a preemption point; slices already end between any commands */
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_ARB_CHECK, 0, 0, 0, EXEC_ANY, 0, NULL),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_BATCH_BUFFER_END, 0, 0, 0, EXEC_ANY, 0,
		 exec_bb_end),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_SEMAPHORE_WAIT, 0xff, 2, 2, EXEC_ANY, 0,
		 exec_semaphore_wait),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_STORE_DATA_IMM, 0xff, 2, 3, EXEC_ANY, 0,
		 exec_store_data_imm),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_LOAD_REGISTER_IMM(1), 0xff, 1, 255,
		 EXEC_ANY, EXEC_ODD | EXEC_STREAM, exec_load_register_imm),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_STORE_REGISTER_MEM, 0xff, 2, 2,
		 EXEC_ANY, 0, exec_store_register_mem),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_FLUSH_DW, 0xff, 2, 3, EXEC_BCS, 0,
		 exec_flush_dw),
	EXEC_CMD(EXEC_MI_MASK, MVGPU_MI_BATCH_BUFFER_START, 0xff, 1, 1,
		 EXEC_ANY, 0, exec_bb_start),
	/* only the exact 6-dword header: bits 15:8 are part of the check */
	EXEC_CMD(EXEC_3D_MASK, MVGPU_PIPE_CONTROL, 0xffff, 4, 4, EXEC_RCS, 0,
		 exec_pipe_control),
	EXEC_CMD(EXEC_2D_MASK, MVGPU_XY_COLOR_BLT, 0xff, 5, 5, EXEC_BCS,
		 EXEC_HEAVY, exec_color_blt),
	EXEC_CMD(EXEC_2D_MASK, MVGPU_XY_SRC_COPY_BLT, 0xff, 8, 8, EXEC_BCS,
		 EXEC_HEAVY, exec_src_copy_blt),
	EXEC_CMD(EXEC_2D_MASK, MVGPU_XY_FAST_COPY_BLT, 0xff, 8, 8, EXEC_BCS,
		 EXEC_HEAVY, exec_fast_copy_blt),
};

static const struct exec_cmd *exec_decode(u32 h)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exec_cmds); i++)
		if ((h & exec_cmds[i].mask) == exec_cmds[i].value)
			return &exec_cmds[i];
	return NULL;
}

/*
 * Fetch, check and execute the command at the current position.  The
 * opcode is checked first, then the engine, then the length; a fixed-length
 * command is fetched whole before it does anything.
 */
static enum exec_step exec_one(struct exec_ctx *c)
{
	const struct exec_cmd *cmd;
	unsigned int i, len = 1;
	u32 h;

	if (exec_fetch(c, 0, &h))
		return EXEC_FAULT;
	c->dw[0] = h;
	cmd = exec_decode(h);
	if (!cmd)
		return exec_fault(c, MVGPU_FAULT_BAD_OPCODE, 0, 0);
	if (c->st->engine >= MVGPU_NUM_ENGINES ||
	    !(cmd->engines & BIT(c->st->engine)))
		return exec_fault(c, MVGPU_FAULT_BAD_ENGINE, 0, 0);
	if (cmd->len_mask) {
		u32 field = h & cmd->len_mask;

		if (field < cmd->len_min || field > cmd->len_max ||
		    ((cmd->flags & EXEC_ODD) && !(field & 1)))
			return exec_fault(c, MVGPU_FAULT_BAD_LENGTH, 0, 0);
		len = field + 2;
	}
	c->len = len;
	/*
	 * A ring command must lie wholly before the tail: the driver submits
	 * whole commands, and one running past the tail would execute
	 * whatever stale dwords follow and carry the head beyond the tail.
	 */
	if (!c->st->depth) {
		u32 head = c->st->head, tail = exec_tail(c);
		u32 avail = tail >= head ? tail - head :
					   c->ring->size - head + tail;

		if ((u64)len * 4 > avail)
			return exec_fault(c, MVGPU_FAULT_RING, 0, 0);
	}
	if (!(cmd->flags & EXEC_STREAM))
		for (i = 1; i < len && i < EXEC_MAX_FIXED; i++)
			if (exec_fetch(c, i, &c->dw[i]))
				return EXEC_FAULT;
	if (cmd->flags & EXEC_HEAVY)
		c->heavy = true;
	return cmd->run ? cmd->run(c) : EXEC_NEXT;
}

/* ------------------------------------------------------------------ */
/* Slices                                                               */

/*
 * The ring registers and the resumable state: anything else would make
 * fetches leave the ring or the page.  A shadow's tail may be any dword:
 * it can stop before a rejected command.
 */
static bool exec_ring_valid(const struct mvgpu_exec_ring *ring,
			    const struct mvgpu_exec_state *st,
			    const struct mvgpu_exec_shadow *sh)
{
	u32 tail = sh ? sh->tail : ring->tail;

	return ring->size >= MVGPU_RING_SIZE_MIN &&
	       ring->size <= MVGPU_RING_SIZE_MAX &&
	       !EXEC_PAGE_OFFSET(ring->size) && !EXEC_PAGE_OFFSET(ring->start) &&
	       tail < ring->size && !(tail & (sh ? 3 : 7)) &&
	       st->head < ring->size && !(st->head & 3) &&
	       st->depth <= MVGPU_EXEC_MAX_DEPTH;
}

/*
 * The ring ran dry: report the head in the status page.  In shadow mode
 * the workload's end may instead be a rejected command (halt with the
 * scanner's report) or the start of the next workload (end the slice).
 */
static enum mvgpu_exec_result exec_idle(struct exec_ctx *c)
{
	const struct mvgpu_exec_shadow *sh = c->ex->shadow;
	u32 hws = c->ring->hws;
	void *p;

	if (sh && sh->halt) {
		c->st->fault = *sh->halt;
		c->st->fault.status |= MVGPU_FAULT_VALID;
		return MVGPU_EXEC_FAULT;
	}
	if (sh && sh->more)
		return MVGPU_EXEC_YIELD;

	if (hws & MVGPU_RING_HWS_VALID) {
		/* no command: a fault reports where the next would be */
		c->cmd_addr = exec_cmd_addr(c);
		c->dw[0] = 0;
		p = exec_access(c, MVGPU_XLATE_GGTT,
				(hws & (u32)EXEC_PAGE_MASK) + MVGPU_HWS_HEAD,
				true);
		if (!p)
			return MVGPU_EXEC_FAULT;
		*(__le32 *)p = cpu_to_le32(c->st->head);
	}
	c->ev->complete = c->ev->cmds != 0;
	return MVGPU_EXEC_IDLE;
}

/*
 * The watchdog fired before the next command: report it with that
 * command's header if it can be read.
 */
static void exec_hang(struct exec_ctx *c)
{
	enum mvgpu_xlate_space space;
	u32 h, type;
	u64 gaddr;

	if (!exec_peek(c, 0, &h, &gaddr, &space, &type))
		c->dw[0] = h;
	exec_fault(c, MVGPU_FAULT_HANG, 0, 0);
}

/**
 * mvgpu_exec_state_reset() - an engine fresh from reset
 * @st: state to reset
 * @engine: %MVGPU_ENGINE_RCS or %MVGPU_ENGINE_BCS
 *
 * Clears head, batch levels, GPRs, the watchdog, the wait flag and the
 * fault.
 */
void mvgpu_exec_state_reset(struct mvgpu_exec_state *st, unsigned int engine)
{
	memset(st, 0, sizeof(*st));
	st->engine = engine;
}

/**
 * mvgpu_exec_run() - execute one time slice of an engine
 * @ex: executor: callbacks, watchdog period, translation cache
 * @st: the engine's state, updated
 * @ring: the ring registers, sampled at the slice's start
 * @budget_ns: how long the slice may run (at least one command runs)
 * @ev: what happened, zeroed first
 *
 * Executes commands from the head towards @ring->tail.  A halted engine
 * (@st->fault.status set) does nothing.  Invalid ring registers (or head)
 * halt it with %MVGPU_FAULT_RING.  When the ring runs dry the head is
 * written to the status page (if RING_HWS is valid).  In shadow mode
 * (@ex->shadow) commands come from the checked copies only and the
 * shadow's tail replaces @ring->tail (struct mvgpu_exec_shadow).  The
 * translation cache is emptied at the start and the end of the slice,
 * since the tables may change between slices and ops->map_page() pointers
 * die with it.
 *
 * Return: %MVGPU_EXEC_IDLE (ring empty), %MVGPU_EXEC_YIELD (budget spent),
 * %MVGPU_EXEC_WAIT (semaphore not satisfied; @st->waiting set) or
 * %MVGPU_EXEC_FAULT (halted, @st->fault says why).
 */
enum mvgpu_exec_result mvgpu_exec_run(struct mvgpu_exec *ex,
				      struct mvgpu_exec_state *st,
				      const struct mvgpu_exec_ring *ring,
				      u64 budget_ns,
				      struct mvgpu_exec_events *ev)
{
	struct exec_ctx c = { .ex = ex, .st = st, .ring = ring, .ev = ev };
	unsigned int since_clock = 0;
	enum mvgpu_exec_result ret;
	u64 start, now;

	memset(ev, 0, sizeof(*ev));
	if (st->fault.status)
		return MVGPU_EXEC_FAULT;
	st->waiting = false;
	if (!exec_ring_valid(ring, st, ex->shadow)) {
		st->fault.status = MVGPU_FAULT_VALID | MVGPU_FAULT_RING;
		st->fault.instr = 0;
		st->fault.addr = ring->start;
		st->fault.cmd_addr = ring->start;
		return MVGPU_EXEC_FAULT;
	}

	mvgpu_xlate_flush(ex);
	start = ex->ops->now_ns(ex->priv);
	now = start;
	for (;;) {
		enum exec_step step;

		if (!st->depth && st->head == exec_tail(&c)) {
			ret = exec_idle(&c);
			break;
		}
		if (c.heavy || since_clock >= EXEC_CLOCK_EVERY) {
			now = ex->ops->now_ns(ex->priv);
			c.heavy = false;
			since_clock = 0;
		}
		c.cmd_addr = exec_cmd_addr(&c);
		c.dw[0] = 0;
		if (st->cmd_started &&
		    exec_elapsed(now, st->cmd_start_ns) > ex->hang_ns) {
			exec_hang(&c);
			ret = MVGPU_EXEC_FAULT;
			break;
		}
		if (ev->cmds && exec_elapsed(now, start) >= budget_ns) {
			ret = MVGPU_EXEC_YIELD;
			break;
		}
		if (!st->depth && !st->cmd_started) {
			st->cmd_started = true;
			st->cmd_start_ns = now;
		}

		step = exec_one(&c);
		if (step == EXEC_FAULT) {
			ret = MVGPU_EXEC_FAULT;
			break;
		}
		if (step == EXEC_WAIT) {
			st->waiting = true;
			ret = MVGPU_EXEC_WAIT;
			break;
		}
		if (step == EXEC_NEXT)
			exec_advance(&c, c.len);
		ev->cmds++;
		since_clock++;
	}
	mvgpu_xlate_flush(ex);
	return ret;
}
