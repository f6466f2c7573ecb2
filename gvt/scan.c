// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the command scanner.
 *
 * Walks a workload (ring bytes [head, tail) and every batch they reach) in
 * execution order, copying each buffer into a host-owned shadow before
 * decoding it, and applies the executor's rules (gvt/exec.c) to every
 * command: opcode, engine, length, fields, registers, batch nesting, and
 * a translation (mvgpu_xlate()) of every byte range a command may touch,
 * with the access it needs.  The first violation rejects the workload with
 * the fault the executor would report; nothing runs.  Accepted workloads
 * come with their shadows and the set of graphics pages they may write.
 *
 * Rules of the walk (Documentation/scanner.rst has the full list):
 *  - A shadow is copied lazily, a page at a time, and only the shadow is
 *    decoded.  A batch record ("segment") is a contiguous run of commands
 *    that ends with MI_BATCH_BUFFER_END, a chaining MI_BATCH_BUFFER_START
 *    or a second-level call; the commands after a call form a segment of
 *    their own, keyed by the return address, so only the newest segment
 *    ever grows and segments never move within the shadow buffer except
 *    when the whole buffer is reallocated (offsets, not pointers).
 *  - Loops: a segment entered at a level while it is on that level's
 *    current chain is a loop (the executor would spin until the watchdog).
 *    A segment already scanned to its end at that level is not scanned
 *    again: its path is known to return.  Every (segment, level) pair is
 *    scanned at most once, so the walk is bounded by the shadow limit.
 *  - The scanner reports faults exactly as the executor would (type, flags,
 *    instruction, address, command address), so a guest cannot tell a
 *    rejected workload from one that faulted while running, except that a
 *    rejected workload has no side effects at all.
 *
 * This file is pure logic and builds in userspace (selftests/unit/).
 */
#include "mvgpu_scan.h"

#define SCAN_PAGE_SIZE		MVGPU_GTT_PAGE_SIZE
#define SCAN_PAGE_OFFSET(a)	((a) & (SCAN_PAGE_SIZE - 1))
#define SCAN_PAGE_MASK		(~(u64)(SCAN_PAGE_SIZE - 1))

/* Address bits 47:32 sit in bits 15:0 of a command's high address dword. */
#define SCAN_ADDR_HI(dw)	((u64)((dw) & 0xffff) << 32)
/* Post-sync operation 2 is not supported (gvt/exec.c). */
#define SCAN_POST_SYNC_BAD	(2u << 14)
#define SCAN_BBS_BYTES		12
#define SCAN_LEVELS		(MVGPU_EXEC_MAX_DEPTH + 1)
/* Blits with more rows than this predict one range for the whole span. */
#define SCAN_BLIT_ROW_RANGES	16
/* Batch bytes copied at a time (at most to the page end). */
#define SCAN_COPY_MIN		128u
/* Smallest shadow buffer allocated (grows by doubling). */
#define SCAN_BUF_MIN		(16u << 10)
/* Pages verified by operands, cached per scan (direct mapped). */
#define SCAN_VC_SIZE		16
#define SCAN_VC_VALID		1ull
#define SCAN_VC_WRITE		2ull
#define SCAN_VC_PPGTT		4ull
/* Entries of the blit audit cache (struct mvgpu_scan_workload's @audit). */
#define SCAN_AUDIT_MAX		256u

/* Register numbers (as gvt/exec.c): GPR dwords 0..31, then the timestamp. */
#define SCAN_REG_TS_LO		(2 * MVGPU_CS_GPR_COUNT)
#define SCAN_REG_TS_HI		(SCAN_REG_TS_LO + 1)

/**
 * struct scan_frame - where one level is in its buffer
 * @batch: segment index, -1 for the ring
 * @off: offset of the next command in the buffer
 * @first: first segment of the level's current chain
 * @last: last segment of it (chain links run first .. last)
 * @ret_addr: level 1 only: where the level continues after a call
 * @ret_space: and in which address space
 */
struct scan_frame {
	int batch;
	u32 off;
	int first;
	int last;
	u64 ret_addr;
	u32 ret_space;
};

/**
 * struct scan_ctx - one scan in progress
 * @sc: the scanner
 * @wl: the workload being built
 * @ring: ring registers
 * @level: current level, 0 the ring
 * @f: per level, the position
 * @cmd_addr: graphics address of the current command
 * @hdr: its header, 0 until fetched
 * @hdr_id: its MVGPU_CMD_* once identified
 * @tc: what the trace hook sees of the current command
 * @vc: operand pages translated in this scan (page | SCAN_VC_*): a page
 *	verified for writing is also in the write set
 * @no_short: MVGPU_SCAN_NO_SHORTCUTS
 */
struct scan_ctx {
	struct mvgpu_scan *sc;
	struct mvgpu_scan_workload *wl;
	const struct mvgpu_exec_ring *ring;
	unsigned int level;
	struct scan_frame f[SCAN_LEVELS];
	u64 cmd_addr;
	u32 hdr;
	u8 hdr_id;
	struct mvgpu_scan_cmd tc;
	u64 vc[SCAN_VC_SIZE];
	bool no_short;
};

/**
 * struct scan_seen - pages of one blit surface already translated
 * @lo: first page of the verified run
 * @hi: end of it (@lo == @hi: none)
 */
struct scan_seen {
	u64 lo;
	u64 hi;
};

static u64 scan_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

static enum mvgpu_xlate_space scan_space(bool ggtt)
{
	return ggtt ? MVGPU_XLATE_GGTT : MVGPU_XLATE_PPGTT;
}

static u32 scan_addr_flags(u32 space, bool write)
{
	return (write ? MVGPU_FAULT_WRITE : 0) |
	       (space == MVGPU_XLATE_PPGTT ? MVGPU_FAULT_PPGTT : 0);
}

static struct mvgpu_scan_batch *scan_cur_batch(struct scan_ctx *c)
{
	int i = c->f[c->level].batch;

	return i < 0 ? NULL : &c->wl->batches[i];
}

/* Record the first violation; later code only unwinds. */
static int scan_reject(struct scan_ctx *c, u32 type, u32 flags, u64 addr,
		       const char *reason)
{
	struct mvgpu_scan_verdict *v = &c->wl->verdict;
	struct mvgpu_scan_batch *b = scan_cur_batch(c);
	u32 status = MVGPU_FAULT_VALID | type | flags;
	u32 off;

	if (c->level) {
		status |= MVGPU_FAULT_IN_BATCH;
		if (b && b->space == MVGPU_XLATE_PPGTT)
			status |= MVGPU_FAULT_CMD_PPGTT;
	}
	v->fault.status = status;
	v->fault.instr = c->hdr;
	v->fault.addr = addr;
	v->fault.cmd_addr = c->cmd_addr;
	v->reason = reason;
	/* in a batch, the ring has moved past the command that started it */
	off = c->f[0].off - (c->level ? SCAN_BBS_BYTES : 0);
	off += c->wl->head;
	v->ring_off = off >= c->wl->ring_size ? off - c->wl->ring_size : off;
	return -EPERM;
}

/* ------------------------------------------------------------------ */
/* Memory                                                               */

static void *scan_alloc(struct scan_ctx *c, size_t size)
{
	return c->sc->ops->alloc(c->sc->priv, size);
}

static void scan_free(struct mvgpu_scan *sc, void *p)
{
	if (p)
		sc->ops->free(sc->priv, p);
}

/* Room for @more bytes at the end of the shadow buffer. */
static int scan_buf_room(struct scan_ctx *c, u32 more)
{
	struct mvgpu_scan_workload *wl = c->wl;
	u32 limit = c->sc->limits.max_shadow_bytes;
	u64 want = (u64)wl->used + more;
	u32 cap;
	u8 *buf;

	/* the limit first: a reused buffer may be larger than it */
	if (want > limit)
		return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT, 0, 0,
				   "shadow bytes over the limit");
	if (want <= wl->cap)
		return 0;
	cap = wl->cap ? wl->cap : scan_min(SCAN_BUF_MIN, limit);
	while (cap < want)
		cap = cap > limit / 2 ? limit : cap * 2;
	buf = scan_alloc(c, cap);
	if (!buf)
		return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT, 0, 0,
				   "out of memory");
	if (wl->used)
		memcpy(buf, wl->buf, wl->used);
	scan_free(c->sc, wl->buf);
	wl->buf = buf;
	wl->cap = cap;
	return 0;
}

/*
 * Graphics address and space of byte @off of the current buffer.  Ring
 * offsets wrap at the ring's end.
 */
static u64 scan_buf_gaddr(const struct scan_ctx *c, u32 off, u32 *space)
{
	const struct mvgpu_scan_workload *wl = c->wl;
	const struct scan_frame *f = &c->f[c->level];
	u32 ro;

	if (f->batch >= 0) {
		*space = wl->batches[f->batch].space;
		return wl->batches[f->batch].gaddr + off;
	}
	*space = MVGPU_XLATE_GGTT;
	ro = wl->head + off;
	if (ro >= wl->ring_size)
		ro -= wl->ring_size;
	return wl->ring_start + ro;
}

/*
 * Make bytes [0, @end) of the current buffer available in its shadow,
 * copying whole guest pages in order.  A page that does not translate
 * faults as the executor's fetch of its first needed dword would.
 */
static int scan_copy(struct scan_ctx *c, u32 end)
{
	struct mvgpu_scan_workload *wl = c->wl;
	struct mvgpu_scan_batch *b = scan_cur_batch(c);
	u32 *copied = b ? &b->copied : &wl->ring_copied;
	u32 base = b ? b->off : 0;

	while (*copied < end) {
		u32 space, type, chunk;
		u64 gaddr;
		void *p;

		gaddr = scan_buf_gaddr(c, *copied, &space);
		chunk = SCAN_PAGE_SIZE - SCAN_PAGE_OFFSET(gaddr);
		if (!b) {
			u32 ro = gaddr - wl->ring_start;

			chunk = scan_min(chunk, wl->ring_size - ro);
			chunk = scan_min(chunk, wl->ring_len - *copied);
		} else {
			/*
			 * Batches end anywhere: copy what is needed, at
			 * least SCAN_COPY_MIN bytes and as much as was
			 * copied before (long batches go page by page),
			 * within the page.
			 */
			u32 want = end - *copied;

			if (want < SCAN_COPY_MIN)
				want = SCAN_COPY_MIN;
			if (want < *copied)
				want = *copied;
			chunk = scan_min(chunk, want);
			/* only the newest segment grows (see the top) */
			if (base + *copied != wl->used)
				return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT,
						   0, 0, "internal: segment");
			if (scan_buf_room(c, chunk))
				return -EPERM;
		}
		if (mvgpu_xlate(c->sc->ex, wl->ctx_desc, space, gaddr, false,
				&p, &type))
			return scan_reject(c, type, scan_addr_flags(space,
								    false),
					   gaddr, "command fetch");
		memcpy(wl->buf + base + *copied, p, chunk);
		*copied += chunk;
		if (b)
			wl->used += chunk;
	}
	return 0;
}

static int scan_need(struct scan_ctx *c, u32 end)
{
	struct mvgpu_scan_batch *b = scan_cur_batch(c);
	u32 copied = b ? b->copied : c->wl->ring_copied;

	return copied >= end ? 0 : scan_copy(c, end);
}

/* Dword @i of the current command (its bytes must have been needed). */
static u32 scan_dw(const struct scan_ctx *c, unsigned int i)
{
	const struct scan_frame *f = &c->f[c->level];
	u32 base = f->batch >= 0 ? c->wl->batches[f->batch].off : 0;
	__le32 v;

	memcpy(&v, c->wl->buf + base + f->off + 4 * i, 4);
	return le32_to_cpu(v);
}

/* ------------------------------------------------------------------ */
/* Write set                                                            */

static bool scan_range_before(const struct mvgpu_scan_range *r, u32 space,
			      u64 gaddr)
{
	return r->space < space ||
	       (r->space == space && r->gaddr + r->len < gaddr);
}

/*
 * Add [@gaddr, @gaddr + @len) (page rounded) to the sorted, merged write
 * set.  Ranges that overlap or touch the new one merge with it.
 */
static int scan_write(struct scan_ctx *c, u32 space, u64 gaddr, u64 len)
{
	struct mvgpu_scan_workload *wl = c->wl;
	u64 lo = gaddr & SCAN_PAGE_MASK;
	u64 hi = (gaddr + len + SCAN_PAGE_SIZE - 1) & SCAN_PAGE_MASK;
	struct mvgpu_scan_range *r;
	u32 a = 0, b = wl->nr_ranges, i, j;

	if (wl->last_range < wl->nr_ranges) {
		r = &wl->ranges[wl->last_range];
		if (r->space == space && r->gaddr <= lo &&
		    r->gaddr + r->len >= hi)
			return 0;
	}
	/* first range not entirely before [lo, hi), touching included */
	while (a < b) {
		u32 mid = (a + b) / 2;

		if (scan_range_before(&wl->ranges[mid], space, lo))
			a = mid + 1;
		else
			b = mid;
	}
	i = a;
	j = i;
	while (j < wl->nr_ranges && wl->ranges[j].space == space &&
	       wl->ranges[j].gaddr <= hi) {
		r = &wl->ranges[j];
		if (r->gaddr < lo)
			lo = r->gaddr;
		if (r->gaddr + r->len > hi)
			hi = r->gaddr + r->len;
		j++;
	}
	if (j == i) {
		/* (a reused array may be larger than the limit) */
		if (wl->nr_ranges >= c->sc->limits.max_ranges)
			return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT, 0, 0,
					   "write ranges over the limit");
		if (wl->nr_ranges == wl->range_cap) {
			u32 limit = c->sc->limits.max_ranges;
			u32 cap = wl->range_cap ? wl->range_cap * 2 : 64;
			struct mvgpu_scan_range *n;

			cap = scan_min(cap, limit);
			n = scan_alloc(c, (size_t)cap * sizeof(*n));
			if (!n)
				return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT,
						   0, 0, "out of memory");
			if (wl->nr_ranges)
				memcpy(n, wl->ranges,
				       wl->nr_ranges * sizeof(*n));
			scan_free(c->sc, wl->ranges);
			wl->ranges = n;
			wl->range_cap = cap;
		}
		memmove(&wl->ranges[i + 1], &wl->ranges[i],
			(wl->nr_ranges - i) * sizeof(*wl->ranges));
		wl->nr_ranges++;
	} else if (j > i + 1) {
		memmove(&wl->ranges[i + 1], &wl->ranges[j],
			(wl->nr_ranges - j) * sizeof(*wl->ranges));
		wl->nr_ranges -= j - i - 1;
	}
	r = &wl->ranges[i];
	r->space = space;
	r->gaddr = lo;
	r->len = hi - lo;
	wl->last_range = i;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Batches                                                              */

static u32 scan_hash(u32 space, u64 gaddr, u32 size)
{
	u64 k = (gaddr >> 2) ^ ((u64)space << 47);

	k *= 0x9e3779b97f4a7c15ull;
	return (k >> 32) & (size - 1);
}

/* The record of (@space, @gaddr), or -1 and in *@slot its empty slot. */
static int scan_find_slot(const struct mvgpu_scan_workload *wl, u32 space,
			  u64 gaddr, u32 *slot)
{
	u32 h;

	*slot = ~0u;
	if (!wl->hash_size)
		return -1;
	for (h = scan_hash(space, gaddr, wl->hash_size);;
	     h = (h + 1) & (wl->hash_size - 1)) {
		int i = wl->hash[h];

		if (i < 0) {
			*slot = h;
			return -1;
		}
		if (wl->batches[i].gaddr == gaddr &&
		    wl->batches[i].space == space)
			return i;
	}
}

static int scan_find(const struct mvgpu_scan_workload *wl, u32 space,
		     u64 gaddr)
{
	u32 slot;

	return scan_find_slot(wl, space, gaddr, &slot);
}

static void scan_hash_add(struct mvgpu_scan_workload *wl, int i)
{
	const struct mvgpu_scan_batch *b = &wl->batches[i];
	u32 h = scan_hash(b->space, b->gaddr, wl->hash_size);

	while (wl->hash[h] >= 0)
		h = (h + 1) & (wl->hash_size - 1);
	wl->hash[h] = i;
}

/* Room for one more batch record (and its hash slot). */
static int scan_batch_room(struct scan_ctx *c)
{
	struct mvgpu_scan_workload *wl = c->wl;
	u32 limit = c->sc->limits.max_batches;
	struct mvgpu_scan_batch *n;
	u32 cap, size, i;
	int *hash;

	if (wl->nr_batches >= limit)
		return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT, 0, 0,
				   "batches over the limit");
	if (wl->nr_batches < wl->batch_cap)
		return 0;
	cap = scan_min(wl->batch_cap ? wl->batch_cap * 2 : 16, limit);
	for (size = 32; size < 2 * cap; size *= 2)
		;
	n = scan_alloc(c, (size_t)cap * sizeof(*n));
	hash = scan_alloc(c, (size_t)size * sizeof(*hash));
	if (!n || !hash) {
		scan_free(c->sc, n);
		scan_free(c->sc, hash);
		return scan_reject(c, MVGPU_FAULT_SCAN_LIMIT, 0, 0,
				   "out of memory");
	}
	if (wl->nr_batches)
		memcpy(n, wl->batches, wl->nr_batches * sizeof(*n));
	scan_free(c->sc, wl->batches);
	scan_free(c->sc, wl->hash);
	wl->batches = n;
	wl->batch_cap = cap;
	wl->hash = hash;
	wl->hash_size = size;
	for (i = 0; i < size; i++)
		hash[i] = -1;
	for (i = 0; i < wl->nr_batches; i++)
		scan_hash_add(wl, i);
	return 0;
}

/* A level's chain has returned: its segments are known to end. */
static void scan_chain_done(struct scan_ctx *c, unsigned int level)
{
	struct scan_frame *f = &c->f[level];
	int i = f->first;

	while (i >= 0) {
		struct mvgpu_scan_batch *b = &c->wl->batches[i];
		int next = b->chain[level - 1];

		b->active &= ~BIT(level);
		b->done |= BIT(level);
		b->chain[level - 1] = -1;
		i = next;
	}
	f->first = -1;
	f->last = -1;
}

static int scan_enter(struct scan_ctx *c, unsigned int level, u32 space,
		      u64 gaddr, bool new_chain);

/*
 * The current level returns (MI_BATCH_BUFFER_END, or a jump into a path
 * known to return): level 1 goes back to the ring, level 2 continues its
 * caller after the calling command.
 */
static int scan_return(struct scan_ctx *c)
{
	unsigned int level = c->level;

	scan_chain_done(c, level);
	if (level == 2)
		return scan_enter(c, 1, c->f[1].ret_space, c->f[1].ret_addr,
				  false);
	c->level = 0;
	return 0;
}

/*
 * Continue at @level in the buffer at (@space, @gaddr): a fresh level
 * (@new_chain) or a jump within the level's chain.  Until it succeeds,
 * c->level stays on the command that jumps, so a rejection reports it.
 */
static int scan_enter(struct scan_ctx *c, unsigned int level, u32 space,
		      u64 gaddr, bool new_chain)
{
	struct mvgpu_scan_workload *wl = c->wl;
	struct scan_frame *f = &c->f[level];
	struct mvgpu_scan_batch *b;
	const int *hash = wl->hash;
	u32 slot;
	int i = scan_find_slot(wl, space, gaddr, &slot);

	if (i >= 0) {
		b = &wl->batches[i];
		if (b->active & BIT(level))
			return scan_reject(c, MVGPU_FAULT_BATCH_LOOP,
					   scan_addr_flags(space, false), gaddr,
					   "batch loop");
		if (b->done & BIT(level)) {
			/* its path is known to return: so does this level */
			if (new_chain) {
				f->first = -1;
				f->last = -1;
			}
			c->level = level;
			return scan_return(c);
		}
	} else {
		if (scan_batch_room(c))
			return -EPERM;
		i = wl->nr_batches++;
		b = &wl->batches[i];
		memset(b, 0, sizeof(*b));
		b->gaddr = gaddr;
		b->space = space;
		b->off = wl->used;
		b->chain[0] = -1;
		b->chain[1] = -1;
		/*
		 * The slot found is still free unless the index was
		 * reallocated (the new one is allocated before the old one
		 * is freed: another address).
		 */
		if (wl->hash == hash && slot != ~0u)
			wl->hash[slot] = i;
		else
			scan_hash_add(wl, i);
	}
	if (new_chain) {
		f->first = -1;
		f->last = -1;
	}
	b->active |= BIT(level);
	if (f->last >= 0)
		wl->batches[f->last].chain[level - 1] = i;
	else
		f->first = i;
	f->last = i;
	f->batch = i;
	f->off = 0;
	c->level = level;
	return 0;
}

/* The current segment ends with the command at @off of @bytes. */
static void scan_seal(struct scan_ctx *c, u32 bytes)
{
	struct mvgpu_scan_batch *b = scan_cur_batch(c);
	u32 end = c->f[c->level].off + bytes;

	if (b && b->len < end)
		b->len = end;
}

/* ------------------------------------------------------------------ */
/* Commands                                                             */

static void scan_trace_addr(struct scan_ctx *c, u32 space, u64 gaddr,
			    u64 len, bool write)
{
	struct mvgpu_scan_cmd *t = &c->tc;

	if (!c->sc->trace || t->nr_addr >= ARRAY_SIZE(t->addr))
		return;
	t->addr[t->nr_addr].gaddr = gaddr;
	t->addr[t->nr_addr].len = len;
	t->addr[t->nr_addr].space = space;
	t->addr[t->nr_addr].write = write;
	t->nr_addr++;
}

static int scan_strict_ggtt(struct scan_ctx *c, u64 gaddr)
{
	struct mvgpu_scan_batch *b = scan_cur_batch(c);

	if (b && b->space == MVGPU_XLATE_PPGTT)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, gaddr,
				   "GGTT operand in a PPGTT batch");
	return 0;
}

/* The strict rule: no GGTT operand in a PPGTT batch. */
static inline int scan_check_ggtt(struct scan_ctx *c, u32 space, u64 gaddr)
{
	if (!(c->sc->flags & MVGPU_SCAN_PPGTT_NO_GGTT) ||
	    space != MVGPU_XLATE_GGTT)
		return 0;
	return scan_strict_ggtt(c, gaddr);
}

/*
 * The verified-page cache: a page an operand translated (for writing:
 * and whose write is predicted) needs neither again in this scan, which
 * assumes unchanging tables as the translation cache does.
 */
static u64 *scan_vc_slot(struct scan_ctx *c, u32 space, u64 gaddr, u64 *tag)
{
	u64 page = gaddr & SCAN_PAGE_MASK;

	*tag = page | SCAN_VC_VALID |
	       (space == MVGPU_XLATE_PPGTT ? SCAN_VC_PPGTT : 0);
	return &c->vc[((page >> 12) ^ space) & (SCAN_VC_SIZE - 1)];
}

static bool scan_vc_hit(struct scan_ctx *c, u32 space, u64 gaddr, bool write)
{
	u64 tag, e = *scan_vc_slot(c, space, gaddr, &tag);

	if (c->no_short)
		return false;
	return write ? e == (tag | SCAN_VC_WRITE) :
		       (e & ~SCAN_VC_WRITE) == tag;
}

static void scan_vc_add(struct scan_ctx *c, u32 space, u64 gaddr, bool write)
{
	u64 tag, *e = scan_vc_slot(c, space, gaddr, &tag);

	if (write || *e != (tag | SCAN_VC_WRITE))
		*e = tag | (write ? SCAN_VC_WRITE : 0);
}

/* A dword or naturally aligned qword write (as exec_store()). */
static int scan_store(struct scan_ctx *c, u32 space, u64 gaddr, bool qword,
		      const char *what)
{
	u32 type;
	void *p;

	scan_trace_addr(c, space, gaddr, qword ? 8 : 4, true);
	if (scan_check_ggtt(c, space, gaddr))
		return -EPERM;
	if (qword && (gaddr & 7))
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD,
				   scan_addr_flags(space, true), gaddr,
				   "qword write not 8-byte aligned");
	/* (an aligned qword does not cross its page) */
	if (scan_vc_hit(c, space, gaddr, true))
		return 0;
	if (mvgpu_xlate(c->sc->ex, c->wl->ctx_desc, space, gaddr, true, &p,
			&type))
		return scan_reject(c, type, scan_addr_flags(space, true), gaddr,
				   what);
	if (scan_write(c, space, gaddr, qword ? 8 : 4))
		return -EPERM;
	scan_vc_add(c, space, gaddr, true);
	return 0;
}

/* As exec_reg(): the register index LRI (or @srm, SRM) may name, or -1. */
static int scan_reg(const struct scan_ctx *c, u32 off, bool srm)
{
	u32 rel = off - MVGPU_ENGINE_BASE(c->wl->engine);

	if (off & 3)
		return -1;
	if (rel >= MVGPU_CS_GPR(0) && rel < MVGPU_CS_GPR(MVGPU_CS_GPR_COUNT))
		return (rel - MVGPU_CS_GPR(0)) / 4;
	if (srm && rel == MVGPU_RING_TIMESTAMP_LO)
		return SCAN_REG_TS_LO;
	if (srm && rel == MVGPU_RING_TIMESTAMP_HI)
		return SCAN_REG_TS_HI;
	return -1;
}

/* Pair by pair, as the executor fetches them. */
static int scan_lri(struct scan_ctx *c, unsigned int len)
{
	u32 off = c->f[c->level].off;
	unsigned int i;

	for (i = 1; i + 1 < len; i += 2) {
		u32 reg;

		if (scan_need(c, off + 4 * (i + 2)))
			return -EPERM;
		c->tc.len = i + 2;
		reg = scan_dw(c, i);
		if (scan_reg(c, reg, false) < 0)
			return scan_reject(c, MVGPU_FAULT_BAD_REGISTER, 0, reg,
					   "MI_LOAD_REGISTER_IMM register");
	}
	return 0;
}

static int scan_srm(struct scan_ctx *c, const u32 *dw)
{
	if (scan_reg(c, dw[1], true) < 0)
		return scan_reject(c, MVGPU_FAULT_BAD_REGISTER, 0, dw[1],
				   "MI_STORE_REGISTER_MEM register");
	return scan_store(c, scan_space(dw[0] & MVGPU_MI_USE_GGTT),
			  (dw[2] & ~3u) | SCAN_ADDR_HI(dw[3]), false,
			  "MI_STORE_REGISTER_MEM target");
}

static int scan_flush_dw(struct scan_ctx *c, const u32 *dw, unsigned int len)
{
	u32 op = dw[0] & MVGPU_MI_FLUSH_DW_OP_MASK;

	if (op == SCAN_POST_SYNC_BAD)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "MI_FLUSH_DW post-sync operation 2");
	if (!op)
		return 0;
	return scan_store(c, scan_space(dw[1] & MVGPU_MI_FLUSH_DW_USE_GGTT),
			  (dw[1] & ~7u) | SCAN_ADDR_HI(dw[2]), len == 5,
			  "MI_FLUSH_DW post-sync target");
}

static int scan_pipe_control(struct scan_ctx *c, const u32 *dw)
{
	u32 op = dw[1] & MVGPU_PC_OP_MASK;

	if (op == SCAN_POST_SYNC_BAD)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "PIPE_CONTROL post-sync operation 2");
	if (!op)
		return 0;
	return scan_store(c, scan_space(dw[1] & MVGPU_PC_USE_GGTT),
			  (dw[2] & ~3u) | SCAN_ADDR_HI(dw[3]), true,
			  "PIPE_CONTROL post-sync target");
}

static int scan_semaphore(struct scan_ctx *c, const u32 *dw)
{
	u32 space = scan_space(dw[0] & MVGPU_MI_SEMAPHORE_GGTT), type;
	u64 gaddr = (dw[2] & ~3u) | SCAN_ADDR_HI(dw[3]);
	void *p;

	if (((dw[0] >> 12) & 7) > MVGPU_SEM_NEQ)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "MI_SEMAPHORE_WAIT compare operation");
	scan_trace_addr(c, space, gaddr, 4, false);
	if (scan_check_ggtt(c, space, gaddr))
		return -EPERM;
	if (scan_vc_hit(c, space, gaddr, false))
		return 0;
	if (mvgpu_xlate(c->sc->ex, c->wl->ctx_desc, space, gaddr, false, &p,
			&type))
		return scan_reject(c, type, scan_addr_flags(space, false),
				   gaddr, "MI_SEMAPHORE_WAIT address");
	scan_vc_add(c, space, gaddr, false);
	return 0;
}

/**
 * struct scan_blit - a decoded blit (see struct exec_blit)
 * @copy: a copy (else a fill)
 * @bpp: bytes per pixel
 * @lanes: written bytes of a 32 bpp pixel; 0: the blit writes nothing
 * @dst_pitch: destination pitch
 * @src_pitch: source pitch
 */
struct scan_blit {
	bool copy;
	unsigned int bpp;
	u8 lanes;
	u32 dst_pitch;
	u32 src_pitch;
};

/*
 * The blit audit cache: runs of pages that blits of this scan translated,
 * per address space and access.  Blits come back to the same surfaces (a
 * frame buffer, a glyph cache), and a page that translated cannot fault
 * later in the scan; a run that is cached is not translated again.  It is
 * an optimisation only: without memory for it, or when full, every page is
 * translated.
 */

/* The run of @key holding @page, else NULL and in *@next the next run's start. */
static const struct mvgpu_scan_range *
scan_audit_find(const struct mvgpu_scan_workload *wl, u32 key, u64 page,
		u64 *next)
{
	u32 a = 0, b = wl->nr_audit;

	while (a < b) {
		u32 mid = (a + b) / 2;
		const struct mvgpu_scan_range *r = &wl->audit[mid];

		if (r->space < key ||
		    (r->space == key && r->gaddr + r->len <= page))
			a = mid + 1;
		else
			b = mid;
	}
	*next = ~0ull;
	if (a == wl->nr_audit || wl->audit[a].space != key)
		return NULL;
	if (wl->audit[a].gaddr <= page)
		return &wl->audit[a];
	*next = wl->audit[a].gaddr;
	return NULL;
}

/* Pages [@lo, @hi) of @key translated: merge them into the cache. */
static void scan_audit_add(struct scan_ctx *c, u32 key, u64 lo, u64 hi)
{
	struct mvgpu_scan_workload *wl = c->wl;
	struct mvgpu_scan_range *r;
	u32 a = 0, b = wl->nr_audit, i, j;

	if (!wl->audit_cap) {
		wl->audit = scan_alloc(c, SCAN_AUDIT_MAX * sizeof(*wl->audit));
		if (!wl->audit)
			return;
		wl->audit_cap = SCAN_AUDIT_MAX;
	}
	while (a < b) {
		u32 mid = (a + b) / 2;

		if (scan_range_before(&wl->audit[mid], key, lo))
			a = mid + 1;
		else
			b = mid;
	}
	i = a;
	for (j = i; j < wl->nr_audit && wl->audit[j].space == key &&
	     wl->audit[j].gaddr <= hi; j++) {
		r = &wl->audit[j];
		if (r->gaddr < lo)
			lo = r->gaddr;
		if (r->gaddr + r->len > hi)
			hi = r->gaddr + r->len;
	}
	if (j == i) {
		if (wl->nr_audit == wl->audit_cap)
			return;
		memmove(&wl->audit[i + 1], &wl->audit[i],
			(wl->nr_audit - i) * sizeof(*wl->audit));
		wl->nr_audit++;
	} else if (j > i + 1) {
		memmove(&wl->audit[i + 1], &wl->audit[j],
			(wl->nr_audit - j) * sizeof(*wl->audit));
		wl->nr_audit -= j - i - 1;
	}
	r = &wl->audit[i];
	r->space = key;
	r->gaddr = lo;
	r->len = hi - lo;
}

/*
 * Translate every page of [@addr, @addr + @len) with the access the
 * executor's row probe uses, in its order, skipping pages of @seen that
 * already passed and pages of the audit cache (for a read, also pages
 * that passed for writing: a page that translates for writing does for
 * reading).  Pages between cached ones are checked in one call
 * (mvgpu_xlate_check_run()); only the page that fails is translated
 * alone, for its fault.  The fault address is the executor's: the first
 * byte of the range in its first page, the page start in the others.
 */
static int scan_probe(struct scan_ctx *c, struct scan_seen *seen, u32 space,
		      u64 addr, u64 len, bool write)
{
	u64 end = addr + len, first = addr & SCAN_PAGE_MASK, next = 0;
	u64 last = (end + SCAN_PAGE_SIZE - 1) & SCAN_PAGE_MASK;
	u32 type, key = 2 * space + write;
	bool cache = !c->no_short;
	void *p;

	while (addr < end) {
		u64 page = addr & SCAN_PAGE_MASK, stop = last;
		u32 n, want;

		if (page >= seen->lo && page < seen->hi) {
			addr = seen->hi;
			continue;
		}
		/* one search per cached run or per gap between runs */
		if (cache && page >= next) {
			const struct mvgpu_scan_range *r;
			u64 wnext;

			r = scan_audit_find(c->wl, key, page, &next);
			if (!r && !write) {
				r = scan_audit_find(c->wl, key + 1, page,
						    &wnext);
				if (wnext < next)
					next = wnext;
			}
			if (r) {
				addr = r->gaddr + r->len;
				next = 0;	/* search again after it */
				continue;
			}
		}
		if (cache && next < stop)
			stop = next;
		if (seen->lo > page && seen->lo < stop)
			stop = seen->lo;
		want = scan_min((stop - page) >> MVGPU_GTT_PAGE_SHIFT, 1u << 20);
		n = cache ? mvgpu_xlate_check_run(c->sc->ex, c->wl->ctx_desc,
						  space, page, want, write) : 0;
		if (n < want) {
			u64 a = n ? page + (u64)n * SCAN_PAGE_SIZE : addr;

			if (mvgpu_xlate(c->sc->ex, c->wl->ctx_desc, space, a,
					write, &p, &type))
				return scan_reject(c, type,
						   scan_addr_flags(space,
								   write),
						   a, write ? "blit destination" :
							      "blit source");
			n++;	/* (the tables changed meanwhile) */
		}
		stop = page + (u64)n * SCAN_PAGE_SIZE;
		if (page == seen->hi && seen->lo != seen->hi) {
			seen->hi = stop;
		} else if (stop == seen->lo) {
			seen->lo = page;
		} else {
			seen->lo = page;
			seen->hi = stop;
		}
		addr = stop;
	}
	if (len && cache)
		scan_audit_add(c, key, first, last);
	return 0;
}

/* The executor's span and size rules, then every row's pages (exec_blit). */
static int scan_blit_rect(struct scan_ctx *c, const u32 *dw,
			  const struct scan_blit *b)
{
	u32 x1 = dw[2] & 0xffff, y1 = dw[2] >> 16;
	u32 x2 = dw[3] & 0xffff, y2 = dw[3] >> 16;
	u64 dst = dw[4] | SCAN_ADDR_HI(dw[5]), src = 0, w, h, row_bytes, r;
	struct scan_seen dseen = { 0, 0 }, sseen = { 0, 0 };
	u32 space = scan_space(!(c->wl->ctx_desc & MVGPU_CTX_DESC_VALID));

	if (x2 <= x1 || y2 <= y1)
		return 0;
	w = x2 - x1;
	h = y2 - y1;
	if ((u64)(y2 - 1) * b->dst_pitch + (u64)x2 * b->bpp >
	    MVGPU_BLT_MAX_BYTES)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD,
				   scan_addr_flags(space, true), dst,
				   "blit destination span over the limit");
	dst += (u64)y1 * b->dst_pitch + (u64)x1 * b->bpp;
	if (b->copy) {
		u32 sx = dw[6] & 0xffff, sy = dw[6] >> 16;

		src = dw[8] | SCAN_ADDR_HI(dw[9]);
		if ((sy + h - 1) * b->src_pitch + (sx + w) * b->bpp >
		    MVGPU_BLT_MAX_BYTES)
			return scan_reject(c, MVGPU_FAULT_BAD_FIELD,
					   scan_addr_flags(space, false), src,
					   "blit source span over the limit");
		src += (u64)sy * b->src_pitch + (u64)sx * b->bpp;
	}
	row_bytes = w * b->bpp;
	c->tc.rows = h;
	c->tc.pitch[0] = b->dst_pitch;
	c->tc.pitch[1] = b->src_pitch;
	scan_trace_addr(c, space, dst, row_bytes, true);
	if (b->copy)
		scan_trace_addr(c, space, src, row_bytes, false);
	if (w * h * b->bpp > MVGPU_BLT_MAX_BYTES)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD,
				   scan_addr_flags(space, true),
				   dw[4] | SCAN_ADDR_HI(dw[5]),
				   "blit size over the limit");
	if (!b->lanes)
		return 0;
	/*
	 * Rows less than a page apart cover every page of their span: if all
	 * those pages translate, no row faults, whatever the order.  Only
	 * when one does not is the executor's row order needed to find the
	 * first fault.
	 */
	if (b->dst_pitch <= row_bytes + SCAN_PAGE_SIZE &&
	    (!b->copy || b->src_pitch <= row_bytes + SCAN_PAGE_SIZE)) {
		struct mvgpu_scan_verdict v = c->wl->verdict;
		u64 dspan = (h - 1) * b->dst_pitch + row_bytes;
		u64 sspan = (h - 1) * b->src_pitch + row_bytes;

		if ((!b->copy ||
		     !scan_probe(c, &sseen, space, src, sspan, false)) &&
		    !scan_probe(c, &dseen, space, dst, dspan, true))
			return scan_write(c, space, dst, dspan);
		/* forget the fault: the row walk below reports the first */
		c->wl->verdict = v;
		sseen.lo = sseen.hi = 0;
		dseen.lo = dseen.hi = 0;
	}
	for (r = 0; r < h; r++) {
		if (b->copy &&
		    scan_probe(c, &sseen, space, src + r * b->src_pitch,
			       row_bytes, false))
			return -EPERM;
		if (scan_probe(c, &dseen, space, dst + r * b->dst_pitch,
			       row_bytes, true))
			return -EPERM;
	}
	/*
	 * Rows more than a page apart are separate ranges while they are
	 * few; otherwise the whole span (conservative: it includes the gaps).
	 */
	if (h <= SCAN_BLIT_ROW_RANGES) {
		for (r = 0; r < h; r++)
			if (scan_write(c, space, dst + r * b->dst_pitch,
				       row_bytes))
				return -EPERM;
		return 0;
	}
	return scan_write(c, space, dst, (h - 1) * b->dst_pitch + row_bytes);
}

/* XY_COLOR_BLT and XY_SRC_COPY_BLT (exec_xy_blt()). */
static int scan_xy_blt(struct scan_ctx *c, const u32 *dw, bool copy)
{
	static const u8 depth_bpp[4] = { 1, 2, 2, 4 };
	struct scan_blit b = { .copy = copy };
	u32 h = dw[0], br13 = dw[1];
	u32 rop = copy ? MVGPU_ROP_SRCCOPY : MVGPU_ROP_PATCOPY;
	u32 tiled = MVGPU_BLT_DST_TILED | (copy ? MVGPU_BLT_SRC_TILED : 0);

	if (h & tiled)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "blit tiled surface");
	if (((br13 >> 16) & 0xff) != rop)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "blit raster operation");
	if (!(br13 & 0xffff) || (br13 & 0x8000) ||
	    (copy && (!(dw[7] & 0xffff) || (dw[7] & 0x8000))))
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "blit pitch not positive");
	b.bpp = depth_bpp[(br13 >> 24) & 3];
	b.dst_pitch = br13 & 0xffff;
	b.src_pitch = copy ? dw[7] & 0xffff : 0;
	b.lanes = 0xf;
	if (b.bpp == 4)
		b.lanes = (h & MVGPU_BLT_WRITE_ALPHA ? 0x8 : 0) |
			  (h & MVGPU_BLT_WRITE_RGB ? 0x7 : 0);
	return scan_blit_rect(c, dw, &b);
}

/* XY_FAST_COPY_BLT (exec_fast_copy_blt()). */
static int scan_fast_copy(struct scan_ctx *c, const u32 *dw)
{
	static const u8 depth_bpp[8] = { 1, 2, 0, 4, 8, 16, 0, 0 };
	struct scan_blit b = { .copy = true, .lanes = 0xf };

	b.bpp = depth_bpp[(dw[1] >> 24) & 7];
	b.dst_pitch = dw[1] & 0xffff;
	b.src_pitch = dw[7] & 0xffff;
	if (dw[0] & (MVGPU_FAST_SRC_TILING_MASK | MVGPU_FAST_DST_TILING_MASK))
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "blit tiled surface");
	if (!b.bpp)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "XY_FAST_COPY_BLT colour depth");
	if (!b.dst_pitch || !b.src_pitch)
		return scan_reject(c, MVGPU_FAULT_BAD_FIELD, 0, 0,
				   "blit pitch not positive");
	return scan_blit_rect(c, dw, &b);
}

/*
 * MI_BATCH_BUFFER_START: from the ring, a first-level batch (the ring
 * moves past the command now: the executor does so when the batch
 * returns); with SECOND_LEVEL in a first-level batch, a call; otherwise a
 * chain at the current level.
 */
static int scan_bb_start(struct scan_ctx *c, const u32 *dw)
{
	bool second = dw[0] & MVGPU_MI_BB_SECOND_LEVEL;
	u32 space = scan_space(!(dw[0] & MVGPU_MI_BB_PPGTT));
	u64 target = (dw[1] & ~3u) | SCAN_ADDR_HI(dw[2]);
	unsigned int level = c->level;

	if (second && level != 1)
		return scan_reject(c, MVGPU_FAULT_BATCH_DEPTH, 0, 0,
				   level ? "second-level batch from a second-level batch" :
					   "second-level batch from the ring");
	if (scan_check_ggtt(c, space, target))
		return -EPERM;
	if ((second || !level) && level + 1 > c->sc->limits.max_depth)
		return scan_reject(c, MVGPU_FAULT_BATCH_DEPTH, 0, 0,
				   "batch depth over the limit");
	scan_trace_addr(c, space, target, 0, false);
	if (!level) {
		/* moved only once entered: a rejection reports this command */
		if (scan_enter(c, 1, space, target, true))
			return -EPERM;
		c->f[0].off += SCAN_BBS_BYTES;
		return 0;
	}
	scan_seal(c, SCAN_BBS_BYTES);
	if (second) {
		struct mvgpu_scan_batch *b = scan_cur_batch(c);

		c->f[1].ret_addr = b->gaddr + c->f[1].off + SCAN_BBS_BYTES;
		c->f[1].ret_space = b->space;
		return scan_enter(c, 2, space, target, true);
	}
	return scan_enter(c, level, space, target, false);
}

/*
 * Decode, check and audit the command at the current position, then move
 * past it (or into/out of a batch).
 */
static int scan_one(struct scan_ctx *c)
{
	struct mvgpu_scan_workload *wl = c->wl;
	struct scan_frame *f = &c->f[c->level];
	struct mvgpu_scan_batch *b = f->batch >= 0 ? &wl->batches[f->batch] :
						    NULL;
	u32 off = f->off, avail = b ? b->copied : wl->ring_copied;
	const struct mvgpu_cmd_exec *x;
	const struct mvgpu_cmd_fast *e;
	const struct mvgpu_cmd_desc *d;
	const __le32 *p;
	unsigned int len = 1, i;
	u32 h, dw[10];
	int ret;

	c->hdr = 0;
	if (b) {
		c->cmd_addr = b->gaddr + off;
	} else {
		u32 ro = wl->head + off;

		if (ro >= wl->ring_size)
			ro -= wl->ring_size;
		c->cmd_addr = wl->ring_start + ro;
	}
	if (c->sc->trace) {
		c->tc.desc = NULL;
		c->tc.nr_addr = 0;
		c->tc.rows = 0;
	}
	c->tc.len = 0;
	if (off + 4 > avail && scan_copy(c, off + 4))
		return -EPERM;
	/* (the copy may have moved the buffer) */
	p = (const __le32 *)(wl->buf + (b ? b->off : 0) + off);
	h = le32_to_cpu(p[0]);
	c->hdr = h;
	c->tc.len = 1;
	/* the executed commands directly; the tables name the others */
	e = mvgpu_cmd_exec_lookup(h);
	if (!e) {
		d = mvgpu_cmd_lookup(h);
		c->tc.desc = d;
		return scan_reject(c, MVGPU_FAULT_BAD_OPCODE, 0, 0,
				   d ? "not in the engine's command subset" :
				       "unknown opcode");
	}
	c->tc.desc = e->desc;
	c->hdr_id = e->id;
	x = &e->x;
	if (!(x->engines & BIT(wl->engine)))
		return scan_reject(c, MVGPU_FAULT_BAD_ENGINE, 0, 0,
				   "command not on this engine");
	if (x->len_mask) {
		u32 field = h & x->len_mask;

		if (field < x->len_min || field > x->len_max ||
		    (x->odd && !(field & 1)))
			return scan_reject(c, MVGPU_FAULT_BAD_LENGTH, 0, 0,
					   "length field");
		len = field + 2;
	}
	if (!b && (u64)len * 4 > wl->ring_len - off)
		return scan_reject(c, MVGPU_FAULT_RING, 0, 0,
				   "ring command past the tail");
	if (e->id == MVGPU_CMD_LRI) {
		ret = scan_lri(c, len);
		if (ret)
			return ret;
		c->tc.len = len;
		wl->cmds++;
		return 0;
	}
	/* fixed-length commands are at most 10 dwords (the blits) */
	if (len > ARRAY_SIZE(dw))
		return scan_reject(c, MVGPU_FAULT_BAD_LENGTH, 0, 0,
				   "internal: length");
	if (off + 4 * len > avail) {
		if (scan_copy(c, off + 4 * len))
			return -EPERM;
		p = (const __le32 *)(wl->buf + (b ? b->off : 0) + off);
	}
	c->tc.len = len;
	/*
	 * All ten dwords when the copy holds them (one fixed-size copy, no
	 * branch per dword): the handlers read only the command's own.
	 */
	if (off + sizeof(dw) <= avail) {
		__le32 raw[ARRAY_SIZE(dw)];

		memcpy(raw, p, sizeof(raw));
		for (i = 0; i < ARRAY_SIZE(dw); i++)
			dw[i] = le32_to_cpu(raw[i]);
	} else {
		for (i = 0; i < len; i++)
			dw[i] = le32_to_cpu(p[i]);
	}
	wl->cmds++;

	switch (e->id) {
	case MVGPU_CMD_BB_END:
		if (!c->level)
			return scan_reject(c, MVGPU_FAULT_BATCH_DEPTH, 0, 0,
					   "MI_BATCH_BUFFER_END in the ring");
		scan_seal(c, 4);
		return scan_return(c);
	case MVGPU_CMD_BB_START:
		return scan_bb_start(c, dw);
	case MVGPU_CMD_SEMAPHORE_WAIT:
		ret = scan_semaphore(c, dw);
		break;
	case MVGPU_CMD_STORE_DATA_IMM:
		ret = scan_store(c, scan_space(h & MVGPU_MI_USE_GGTT),
				 (dw[1] & ~3u) | SCAN_ADDR_HI(dw[2]), len == 5,
				 "MI_STORE_DATA_IMM target");
		break;
	case MVGPU_CMD_SRM:
		ret = scan_srm(c, dw);
		break;
	case MVGPU_CMD_FLUSH_DW:
		ret = scan_flush_dw(c, dw, len);
		break;
	case MVGPU_CMD_PIPE_CONTROL:
		ret = scan_pipe_control(c, dw);
		break;
	case MVGPU_CMD_COLOR_BLT:
		ret = scan_xy_blt(c, dw, false);
		break;
	case MVGPU_CMD_SRC_COPY_BLT:
		ret = scan_xy_blt(c, dw, true);
		break;
	case MVGPU_CMD_FAST_COPY_BLT:
		ret = scan_fast_copy(c, dw);
		break;
	default:
		ret = 0;
		break;
	}
	return ret;
}

/* Report the current command to the trace hook. */
static void scan_trace(struct scan_ctx *c, unsigned int level, int batch,
		       u32 off)
{
	const struct mvgpu_scan_workload *wl = c->wl;
	struct mvgpu_scan_cmd *t = &c->tc;
	u32 base = batch >= 0 ? wl->batches[batch].off : 0;

	if (!wl->buf)
		return;
	t->level = level;
	t->space = batch >= 0 ? wl->batches[batch].space : MVGPU_XLATE_GGTT;
	t->gaddr = c->cmd_addr;
	t->dw = (const u32 *)(wl->buf + base + off);
	c->sc->trace(c->sc->trace_priv, t);
}

/*
 * The ring ran dry: the executor writes the head to the status page
 * (exec_idle()).
 */
static int scan_idle(struct scan_ctx *c)
{
	u32 hws = c->ring->hws, type;
	u64 gaddr;
	void *p;

	if (!(hws & MVGPU_RING_HWS_VALID))
		return 0;
	c->hdr = 0;
	c->cmd_addr = c->wl->ring_start + c->wl->tail;
	gaddr = (hws & (u32)SCAN_PAGE_MASK) + MVGPU_HWS_HEAD;
	if (mvgpu_xlate(c->sc->ex, c->wl->ctx_desc, MVGPU_XLATE_GGTT, gaddr,
			true, &p, &type))
		return scan_reject(c, type, MVGPU_FAULT_WRITE, gaddr,
				   "status page");
	return scan_write(c, MVGPU_XLATE_GGTT, gaddr, 4);
}

/*
 * Skip a run of one-dword commands without operands (MI_NOOP,
 * MI_USER_INTERRUPT, MI_ARB_CHECK) in the bytes of the current buffer
 * already copied.  Their rules (no length field, every engine) leave
 * identification as their only check, which this does as scan_one()
 * would; the first other command, or the end of the copy, stops it.
 */
static void scan_skip_simple(struct scan_ctx *c)
{
	struct mvgpu_scan_workload *wl = c->wl;
	struct scan_frame *f = &c->f[c->level];
	const struct mvgpu_scan_batch *b = f->batch >= 0 ?
					   &wl->batches[f->batch] : NULL;
	u32 end = b ? b->copied : wl->ring_copied, off = f->off;
	const u8 *base = wl->buf + (b ? b->off : 0);
	u32 engine = BIT(wl->engine);

	while (off + 4 <= end) {
		u32 h = le32_to_cpu(*(const __le32 *)(base + off));
		const struct mvgpu_cmd_fast *e = mvgpu_cmd_exec_lookup(h);

		if (!e || e->id > MVGPU_CMD_ARB_CHECK || e->x.len_mask ||
		    !(e->x.engines & engine))
			break;
		off += 4;
	}
	wl->cmds += (off - f->off) / 4;
	f->off = off;
}

static int scan_run(struct scan_ctx *c)
{
	bool fast = !c->sc->trace && !c->no_short;

	for (;;) {
		struct scan_frame *f = &c->f[c->level];
		unsigned int level = c->level;
		int batch = f->batch, ret;
		u32 off = f->off;

		if (!level && off == c->wl->ring_len)
			return scan_idle(c);
		ret = scan_one(c);
		if (c->sc->trace && (ret || c->tc.len))
			scan_trace(c, level, batch, off);
		if (ret)
			return ret;
		/* transfers have moved the position themselves */
		if (c->level == level && c->f[level].batch == batch &&
		    c->f[level].off == off) {
			c->f[level].off += 4 * c->tc.len;
			/* one-dword commands come in runs (padding) */
			if (fast && c->tc.len == 1 &&
			    c->hdr_id <= MVGPU_CMD_ARB_CHECK)
				scan_skip_simple(c);
		}
	}
}

/* As exec_ring_valid() for a scan that starts at @head in the ring. */
static bool scan_ring_valid(const struct mvgpu_exec_ring *ring, u32 head)
{
	return ring->size >= MVGPU_RING_SIZE_MIN &&
	       ring->size <= MVGPU_RING_SIZE_MAX &&
	       !SCAN_PAGE_OFFSET(ring->size) &&
	       !SCAN_PAGE_OFFSET(ring->start) &&
	       ring->tail < ring->size && !(ring->tail & 7) &&
	       head < ring->size && !(head & 3);
}

/**
 * mvgpu_scan_default_limits() - limits every test-suite workload fits
 * @limits: filled in
 *
 * 8 MiB of shadows (a full 2 MiB ring plus batches), 1024 batch records,
 * 4096 write ranges, two batch levels.
 */
void mvgpu_scan_default_limits(struct mvgpu_scan_limits *limits)
{
	limits->max_shadow_bytes = 8u << 20;
	limits->max_batches = 1024;
	limits->max_ranges = 4096;
	limits->max_depth = MVGPU_EXEC_MAX_DEPTH;
}

/**
 * mvgpu_scan_workload_free() - release a workload's memory
 * @sc: the scanner that built it
 * @wl: the workload; may be released more than once
 */
void mvgpu_scan_workload_free(struct mvgpu_scan *sc,
			      struct mvgpu_scan_workload *wl)
{
	scan_free(sc, wl->buf);
	scan_free(sc, wl->batches);
	scan_free(sc, wl->hash);
	scan_free(sc, wl->ranges);
	scan_free(sc, wl->audit);
	wl->buf = NULL;
	wl->batches = NULL;
	wl->hash = NULL;
	wl->ranges = NULL;
	wl->audit = NULL;
	wl->nr_audit = 0;
	wl->audit_cap = 0;
	wl->used = 0;
	wl->cap = 0;
	wl->nr_batches = 0;
	wl->batch_cap = 0;
	wl->hash_size = 0;
	wl->nr_ranges = 0;
	wl->range_cap = 0;
}

/*
 * Clear @wl for a scan.  With @reuse, keep its memory (of an earlier scan
 * by the same scanner, or none) and forget only what it held.
 */
static void scan_wl_clear(struct mvgpu_scan_workload *wl, bool reuse)
{
	if (!reuse) {
		memset(wl, 0, sizeof(*wl));
		return;
	}
	/*
	 * Field by field (a new field of the structure needs a line here):
	 * copying and clearing the whole structure costs a tenth of a small
	 * submission's scan.  The ring fields are set by the caller.
	 */
	if (wl->nr_batches)
		memset(wl->hash, 0xff, wl->hash_size * sizeof(*wl->hash));
	wl->ring_len = 0;
	wl->ring_copied = 0;
	wl->used = 0;
	wl->nr_batches = 0;
	wl->nr_ranges = 0;
	wl->last_range = 0;
	wl->nr_audit = 0;
	wl->cmds = 0;
	memset(&wl->verdict, 0, sizeof(wl->verdict));
}

/* mvgpu_scan_workload(), reusing @wl's memory or not */
static int scan_workload(struct mvgpu_scan *sc, unsigned int engine,
			 const struct mvgpu_exec_ring *ring, u32 head,
			 struct mvgpu_scan_workload *wl, bool reuse)
{
	struct scan_ctx c;
	unsigned int i;
	int ret;

	/*
	 * Field by field: a small submission's scan is short enough for
	 * clearing the whole context to show.  The trace record is read
	 * only by the trace hook; scan_one() sets what the walk reads of it.
	 */
	c.sc = sc;
	c.wl = wl;
	c.ring = ring;
	c.level = 0;
	memset(c.f, 0, sizeof(c.f));
	c.hdr = 0;
	c.hdr_id = 0;
	c.tc.len = 0;
	if (sc->trace)
		memset(&c.tc, 0, sizeof(c.tc));
	memset(c.vc, 0, sizeof(c.vc));
	c.no_short = sc->flags & MVGPU_SCAN_NO_SHORTCUTS;
	scan_wl_clear(wl, reuse);
	wl->engine = engine;
	wl->ring_start = ring->start;
	wl->ring_size = ring->size;
	wl->head = head;
	wl->tail = ring->tail;
	wl->ctx_desc = ring->ctx_desc;
	wl->verdict.reason = "ok";
	for (i = 0; i < SCAN_LEVELS; i++) {
		c.f[i].batch = -1;
		c.f[i].first = -1;
		c.f[i].last = -1;
	}
	c.cmd_addr = ring->start;
	if (engine >= MVGPU_NUM_ENGINES || !scan_ring_valid(ring, head)) {
		wl->verdict.fault.status = MVGPU_FAULT_VALID | MVGPU_FAULT_RING;
		wl->verdict.fault.addr = ring->start;
		wl->verdict.fault.cmd_addr = ring->start;
		wl->verdict.reason = "ring registers";
		wl->verdict.ring_off = head;
		return -EPERM;
	}
	wl->ring_len = ring->tail >= head ? ring->tail - head :
					    ring->size - head + ring->tail;

	mvgpu_xlate_flush(sc->ex);
	ret = scan_buf_room(&c, wl->ring_len);
	if (!ret) {
		wl->used = wl->ring_len;
		ret = scan_run(&c);
	}
	mvgpu_xlate_flush(sc->ex);
	if (ret && !reuse && !(sc->flags & MVGPU_SCAN_KEEP_PREFIX))
		mvgpu_scan_workload_free(sc, wl);
	return ret ? -EPERM : 0;
}

/**
 * mvgpu_scan_workload() - scan a workload before it is executed
 * @sc: scanner: translation, allocator, limits, flags
 * @engine: %MVGPU_ENGINE_RCS or %MVGPU_ENGINE_BCS
 * @ring: ring registers (start, size, tail, ctx_desc, hws) as sampled
 * @head: ring offset of the first command; no batch may be in progress
 * @wl: the result, overwritten
 *
 * Copies the ring bytes [@head, @ring->tail) and every batch they reach
 * into shadows, checks every command as the executor would (see
 * Documentation/scanner.rst) and predicts the pages it may write.  The
 * status page write of the idle ring is included.  Translations go
 * through @sc->ex, whose cache is flushed before and after.
 *
 * On rejection @wl->verdict holds the fault the executor would have
 * reported for the first bad command and the ring offset of its ring
 * command; the shadows are already freed, unless %MVGPU_SCAN_KEEP_PREFIX
 * keeps them for the ring commands before it.  Either way the caller releases @wl with mvgpu_scan_workload_free().
 *
 * Return: 0 if the workload may run, -EPERM if it was rejected.
 */
int mvgpu_scan_workload(struct mvgpu_scan *sc, unsigned int engine,
			const struct mvgpu_exec_ring *ring, u32 head,
			struct mvgpu_scan_workload *wl)
{
	return scan_workload(sc, engine, ring, head, wl, false);
}

/**
 * mvgpu_scan_workload_reuse() - scan into the memory of an earlier workload
 * @sc: scanner, as for mvgpu_scan_workload()
 * @engine: engine
 * @ring: ring registers
 * @head: ring offset of the first command
 * @wl: a workload of an earlier scan by @sc (accepted or rejected, its
 *	result no longer in use), or zeroed; overwritten
 *
 * As mvgpu_scan_workload(), but the shadow buffer, batch records, write
 * set and blit audit cache of @wl are kept and grown only when needed
 * (never beyond @sc->limits), so a scanner that keeps one workload per
 * engine allocates (and faults in) its memory once.  A rejected workload
 * keeps its memory too.  mvgpu_scan_workload_free() releases it.
 *
 * Return: 0 if the workload may run, -EPERM if it was rejected.
 */
int mvgpu_scan_workload_reuse(struct mvgpu_scan *sc, unsigned int engine,
			      const struct mvgpu_exec_ring *ring, u32 head,
			      struct mvgpu_scan_workload *wl)
{
	return scan_workload(sc, engine, ring, head, wl, true);
}

/**
 * mvgpu_scan_find_batch() - the shadow of the batch starting at an address
 * @wl: an accepted workload
 * @space: address space of the MI_BATCH_BUFFER_START (or return) target
 * @gaddr: the target address (dword aligned, as the executor computes it)
 *
 * Batches are keyed by their exact start address: the executor looks up
 * the target of every MI_BATCH_BUFFER_START, and after a second-level
 * batch returns, the address after the calling command.
 *
 * Return: the batch (its bytes at @wl->buf + off, @len long), or NULL.
 */
const struct mvgpu_scan_batch *
mvgpu_scan_find_batch(const struct mvgpu_scan_workload *wl,
		      enum mvgpu_xlate_space space, u64 gaddr)
{
	int i = scan_find(wl, space, gaddr);

	return i < 0 ? NULL : &wl->batches[i];
}

/*
 * Resolving write ranges: mvgpu_xlate() through callbacks that remember
 * the last page map_page() returned (the leaf of a successful walk).
 */
struct scan_capture {
	struct mvgpu_exec ex;
	const struct mvgpu_exec *real;
	u64 addr;
	bool local;
};

static int scan_cap_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct scan_capture *cap = priv;

	return cap->real->ops->ggtt_pte(cap->real->priv, gaddr, pte);
}

static void *scan_cap_map_page(void *priv, u64 addr, bool local, bool write,
			       u32 *fault)
{
	struct scan_capture *cap = priv;
	void *p;

	p = cap->real->ops->map_page(cap->real->priv, addr, local, write,
				     fault);
	cap->addr = addr;
	cap->local = local;
	return p;
}

static u64 scan_cap_now_ns(void *priv)
{
	struct scan_capture *cap = priv;

	return cap->real->ops->now_ns(cap->real->priv);
}

static const struct mvgpu_exec_ops scan_cap_ops = {
	.ggtt_pte = scan_cap_ggtt_pte,
	.map_page = scan_cap_map_page,
	.now_ns = scan_cap_now_ns,
};

/**
 * mvgpu_scan_resolve_writes() - the guest pages a workload may write
 * @sc: the scanner (its translation callbacks)
 * @wl: an accepted workload
 * @page: called once per page of every write range with the page's DMA
 *	address (@local false) or local memory offset (@local true); a
 *	non-zero return stops the walk and is returned
 * @priv: its first argument
 *
 * Translates through the same tables as the scan (mvgpu_xlate()), for
 * reading, so nothing is mapped for writing.  Pages of a range that do not
 * translate are skipped: the scan translated every page the commands
 * write, so those can only be gaps of a conservative blit span.
 *
 * Return: pages reported, a negative errno if out of memory, or what
 * @page returned.
 */
int mvgpu_scan_resolve_writes(struct mvgpu_scan *sc,
			      const struct mvgpu_scan_workload *wl,
			      int (*page)(void *priv, u64 addr, bool local),
			      void *priv)
{
	struct scan_capture *cap;
	int n = 0, ret = 0;
	u32 i;

	cap = sc->ops->alloc(sc->priv, sizeof(*cap));
	if (!cap)
		return -ENOMEM;
	memset(cap, 0, sizeof(*cap));
	cap->ex.ops = &scan_cap_ops;
	cap->ex.priv = cap;
	cap->real = sc->ex;
	for (i = 0; i < wl->nr_ranges && !ret; i++) {
		const struct mvgpu_scan_range *r = &wl->ranges[i];
		u64 a;

		for (a = r->gaddr; a < r->gaddr + r->len; a += SCAN_PAGE_SIZE) {
			unsigned int t;
			u32 type;
			void *p;

			/* forget data pages (keep PT pages): map_page runs */
			for (t = 0; t < MVGPU_EXEC_TLB_SIZE; t++)
				if ((cap->ex.tlb[t].tag &
				     MVGPU_EXEC_TLB_KIND_MASK) !=
				    MVGPU_EXEC_TLB_PT)
					cap->ex.tlb[t].tag = 0;
			if (mvgpu_xlate(&cap->ex, wl->ctx_desc, r->space, a,
					false, &p, &type))
				continue;
			ret = page(priv, cap->addr, cap->local);
			if (ret)
				break;
			n++;
		}
	}
	sc->ops->free(sc->priv, cap);
	return ret ? ret : n;
}
