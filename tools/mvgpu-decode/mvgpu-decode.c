// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu-decode: decode an mvgpu (Gen9) command stream and run the command
 * scanner (gvt/scan.c) on it, like a GPU error-state decoder.
 *
 *   mvgpu-decode [-e rcs|bcs] [-B] [-P] [-a ADDR] [-c] [-s] [-n]
 *                [-b g|p:ADDR=FILE]... [FILE|-]
 *   mvgpu-decode --bench [SECONDS [STREAM...]]
 *
 * FILE (or stdin) holds little-endian dwords: ring contents starting at
 * the head, or with -B a batch buffer (at -a ADDR, default GGTT 0x1100000,
 * in the PPGTT with -P) that a one-command ring starts.  -b maps more
 * buffers (second-level batches...) at graphics addresses.  Every other
 * address of the vGPU's GGTT slice [0x1000000, 0x11000000) and of the
 * PPGTT reads as 0xffffffff and is writable, so data operands pass and a
 * batch that was not supplied shows up as an unknown command.  -c: no
 * PPGTT (CTX_DESC not valid); -s: MVGPU_SCAN_PPGTT_NO_GGTT; -n: no status
 * page.
 *
 * Prints every command in execution order (name, length, fields,
 * addresses), the verdict, and after a rejection the rest of that buffer
 * as Gen9 would decode it.  Exit status: 0 accepted, 1 rejected, 2 usage.
 *
 * --bench measures the scanner on one core with workloads as a driver
 * emits them (store, state, blit, chain, submit...; Documentation/
 * scanner.rst, "Limits and performance"): MB/s of command stream, ns per
 * command, and for blits pages spanned and translated per second, timed
 * in the thread's CPU time (the fastest batch of scans counts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvgpu_scan.h"

#define PAGE		4096ull
#define DMA_BASE	(1ull << 32)
#define GGTT_BASE	(16ull << 20)
#define GGTT_SIZE	(256ull << 20)
#define RING_ADDR	GGTT_BASE
#define HWS_ADDR	(GGTT_BASE + 0x10000)
#define BATCH_ADDR	(GGTT_BASE + 0x100000)
#define P_RW		(MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE)

/*
 * Memory: DMA pages in an array; the GGTT slice with a default entry (the
 * scratch page); a PPGTT whose untouched entries lead, level by level, to
 * shared default tables and finally the scratch page.
 */
struct region {
	u32 space;
	u64 gaddr;
	const u8 *data;
	size_t len;
};

struct mem {
	u8 **page;
	size_t nr;
	size_t cap;
	u64 *ggtt;
	u64 scratch;
	u64 def[4];	/* default table of levels 1..3 (PDP, PD, PT) */
	u64 pml4;
	struct region region[64];
	unsigned int nr_regions;
	u64 maps;	/* map_page() calls (--bench: pages translated) */
};

static void die(const char *what)
{
	fprintf(stderr, "mvgpu-decode: %s\n", what);
	exit(2);
}

static u64 mem_page(struct mem *m, u8 fill)
{
	if (m->nr == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->page = realloc(m->page, m->cap * sizeof(*m->page));
		if (!m->page)
			die("out of memory");
	}
	m->page[m->nr] = malloc(PAGE);
	if (!m->page[m->nr])
		die("out of memory");
	memset(m->page[m->nr], fill, PAGE);
	return DMA_BASE + PAGE * m->nr++;
}

static u8 *mem_ptr(struct mem *m, u64 dma)
{
	return m->page[(dma - DMA_BASE) / PAGE];
}

static u64 mem_table(struct mem *m, u64 entry)
{
	u64 t = mem_page(m, 0), *e = (u64 *)mem_ptr(m, t);
	unsigned int i;

	for (i = 0; i < 512; i++)
		e[i] = htole64(entry);
	return t;
}

static void mem_init(struct mem *m)
{
	memset(m, 0, sizeof(*m));
	m->ggtt = calloc(GGTT_SIZE / PAGE, sizeof(u64));
	if (!m->ggtt)
		die("out of memory");
	m->scratch = mem_page(m, 0xff);
	m->def[3] = mem_table(m, m->scratch | P_RW);
	m->def[2] = mem_table(m, m->def[3] | MVGPU_PTE_PRESENT);
	m->def[1] = mem_table(m, m->def[2] | MVGPU_PTE_PRESENT);
	m->pml4 = mem_table(m, m->def[1] | MVGPU_PTE_PRESENT);
}

static void mem_fini(struct mem *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->page[i]);
	free(m->page);
	free(m->ggtt);
}

static void mem_map(struct mem *m, u32 space, u64 gaddr, u64 dma)
{
	u64 table = m->pml4, *e;
	unsigned int l;

	if (space == MVGPU_XLATE_GGTT) {
		if (gaddr < GGTT_BASE || gaddr - GGTT_BASE >= GGTT_SIZE)
			die("GGTT address outside the slice");
		m->ggtt[(gaddr - GGTT_BASE) / PAGE] = dma | P_RW;
		return;
	}
	if (gaddr >> 48)
		die("PPGTT address beyond 48 bits");
	for (l = 0; l < 3; l++) {
		u64 child;

		e = (u64 *)mem_ptr(m, table) + ((gaddr >> (39 - 9 * l)) & 511);
		child = le64toh(*e) & MVGPU_PTE_ADDR_MASK;
		if (child == m->def[l + 1]) {
			/* copy on write: a private table for this region */
			u64 t = mem_page(m, 0);

			memcpy(mem_ptr(m, t), mem_ptr(m, child), PAGE);
			*e = htole64(t | MVGPU_PTE_PRESENT);
			child = t;
		}
		table = child;
	}
	e = (u64 *)mem_ptr(m, table) + ((gaddr >> 12) & 511);
	*e = htole64(dma | P_RW);
}

/* Place @len bytes at @gaddr (page aligned or not), zero padded. */
static void mem_load(struct mem *m, u32 space, u64 gaddr, const u8 *data,
		     size_t len)
{
	u64 a = gaddr & ~(PAGE - 1), end = gaddr + len;

	if (m->nr_regions == sizeof(m->region) / sizeof(m->region[0]))
		die("too many buffers");
	m->region[m->nr_regions++] = (struct region){ space, gaddr, data, len };
	for (; a < end; a += PAGE) {
		u64 dma = mem_page(m, 0);
		u64 lo = a < gaddr ? gaddr : a, hi = a + PAGE < end ? a + PAGE :
								end;

		memcpy(mem_ptr(m, dma) + (lo - a), data + (lo - gaddr), hi - lo);
		mem_map(m, space, a, dma);
	}
}

static int mem_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct mem *m = priv;
	u64 e;

	if (gaddr < GGTT_BASE || gaddr - GGTT_BASE >= GGTT_SIZE)
		return -ERANGE;
	e = m->ggtt[(gaddr - GGTT_BASE) / PAGE];
	*pte = e ? e : m->scratch | P_RW;
	return 0;
}

static void *mem_map_page(void *priv, u64 addr, bool local, bool write,
			  u32 *fault)
{
	struct mem *m = priv;

	(void)write;
	m->maps++;
	if (local || addr < DMA_BASE || (addr - DMA_BASE) / PAGE >= m->nr) {
		*fault = local ? MVGPU_FAULT_LOCAL_RANGE : MVGPU_FAULT_DMA;
		return NULL;
	}
	return mem_ptr(m, addr);
}

static u64 mem_now(void *priv)
{
	(void)priv;
	return 0;
}

static const struct mvgpu_exec_ops mem_ops = {
	.ggtt_pte = mem_ggtt_pte,
	.map_page = mem_map_page,
	.now_ns = mem_now,
};

static void *dec_alloc(void *priv, size_t size)
{
	(void)priv;
	return malloc(size);
}

static void dec_free(void *priv, void *p)
{
	(void)priv;
	free(p);
}

static const struct mvgpu_scan_ops dec_scan_ops = {
	.alloc = dec_alloc,
	.free = dec_free,
};

/* ------------------------------------------------------------------ */
/* Printing                                                             */

static const char *const fault_names[] = {
	"NONE", "GGTT_UNMAPPED", "GGTT_RANGE", "PPGTT_UNMAPPED", "NO_PPGTT",
	"READ_ONLY", "DMA", "LOCAL_RANGE", "BAD_OPCODE", "BAD_LENGTH",
	"BAD_ENGINE", "BAD_REGISTER", "BAD_FIELD", "BATCH_DEPTH", "RING",
	"HANG", "BAD_PTE", "BATCH_LOOP", "SCAN_LIMIT",
};

static const char *space_name(u32 space)
{
	return space == MVGPU_XLATE_PPGTT ? "ppgtt" : "ggtt";
}

static void print_name(u32 h, const struct mvgpu_cmd_desc *d)
{
	if (d && d->name)
		printf("%s", d->name);
	else if (h >> 29 == 3)
		printf("3D(%u,%u,0x%02x)", (h >> 27) & 3, (h >> 24) & 7,
		       (h >> 16) & 0xff);
	else
		printf("unknown %s command", mvgpu_cmd_client_name(h));
}

/* Name, length and fields of the command in @dw (@avail dwords known). */
static void print_body(const u32 *dw, unsigned int avail, unsigned int len)
{
	u32 h = le32toh(dw[0]);
	const struct mvgpu_cmd_desc *d = mvgpu_cmd_lookup(h);
	const struct mvgpu_cmd_field *f;
	unsigned int i;

	printf("%08x ", h);
	print_name(h, d);
	printf(" len %u", len);
	for (f = d ? d->fields : NULL; f && f->name; f++) {
		u32 v;

		if (f->dw >= avail)
			break;
		v = le32toh(dw[f->dw]) >> f->lo;
		if (f->hi - f->lo < 31)
			v &= (1u << (f->hi - f->lo + 1)) - 1;
		printf(v > 9 ? " %s=0x%x" : " %s=%u", f->name, v);
	}
	if (d && d->id == MVGPU_CMD_LRI)
		for (i = 1; i + 1 < avail; i += 2)
			printf(" 0x%x=0x%x", le32toh(dw[i]), le32toh(dw[i + 1]));
}

static void print_trace(void *priv, const struct mvgpu_scan_cmd *c)
{
	unsigned int i, len;
	u32 h;

	(void)priv;
	printf("%*s%s 0x%llx: ", 2 * c->level, "",
	       c->level ? space_name(c->space) : "ring",
	       (unsigned long long)c->gaddr);
	if (!c->len) {
		printf("(not fetched)\n");
		return;
	}
	h = le32toh(c->dw[0]);
	len = c->len > 1 ? c->len : mvgpu_cmd_length(h);
	print_body(c->dw, c->len, len ? len : 1);
	if (c->rows) {
		printf(" dst %s 0x%llx", space_name(c->addr[0].space),
		       (unsigned long long)c->addr[0].gaddr);
		if (c->nr_addr > 1)
			printf(" src %s 0x%llx", space_name(c->addr[1].space),
			       (unsigned long long)c->addr[1].gaddr);
		printf(" rows %u row_bytes %llu pitch %u/%u", c->rows,
		       (unsigned long long)c->addr[0].len, c->pitch[0],
		       c->pitch[1]);
	} else {
		for (i = 0; i < c->nr_addr; i++) {
			if (!c->addr[i].len)
				printf(" -> %s 0x%llx",
				       space_name(c->addr[i].space),
				       (unsigned long long)c->addr[i].gaddr);
			else
				printf(" %s %s 0x%llx+%llu",
				       c->addr[i].write ? "write" : "read",
				       space_name(c->addr[i].space),
				       (unsigned long long)c->addr[i].gaddr,
				       (unsigned long long)c->addr[i].len);
		}
	}
	printf("\n");
}

/* After a rejection: the rest of the buffer holding the bad command. */
static void print_rest(const struct mem *m, const struct mvgpu_exec_fault *f)
{
	u32 space = f->status & MVGPU_FAULT_CMD_PPGTT ? MVGPU_XLATE_PPGTT :
						       MVGPU_XLATE_GGTT;
	const struct region *r = NULL;
	unsigned int i, n = 0;
	size_t off;

	for (i = 0; i < m->nr_regions; i++)
		if (m->region[i].space == space &&
		    f->cmd_addr >= m->region[i].gaddr &&
		    f->cmd_addr < m->region[i].gaddr + m->region[i].len)
			r = &m->region[i];
	if (!r || !f->instr)
		return;
	off = f->cmd_addr - r->gaddr;
	printf("rest of the buffer (not executed):\n");
	for (;;) {
		unsigned int len = mvgpu_cmd_length(f->instr);
		const u32 *dw;

		if (!n++) {
			if (!len)
				break;
			off += 4 * len;
		}
		if (off + 4 > r->len)
			break;
		dw = (const u32 *)(r->data + off);
		len = mvgpu_cmd_length(le32toh(dw[0]));
		printf("  0x%llx: ", (unsigned long long)(r->gaddr + off));
		print_body(dw, len && off + 4 * len <= r->len ?
			   len : 1, len ? len : 1);
		printf("\n");
		if (!len) {
			printf("  (length unknown: stop)\n");
			break;
		}
		off += 4 * len;
	}
}

/* ------------------------------------------------------------------ */

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	u8 *buf = malloc(cap);

	if (!f || !buf)
		die(f ? "out of memory" : strerror(errno));
	for (;;) {
		size_t r;

		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
		r = fread(buf + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	if (f != stdin)
		fclose(f);
	*len = n & ~(size_t)3;
	return buf;
}

struct setup {
	unsigned int engine;
	bool batch;
	bool ppgtt_batch;
	u64 batch_addr;
	bool no_ppgtt;
	bool no_hws;
	unsigned int flags;
};

/* Ring (and the batch with -B) into @m; the ring registers into @ring. */
static void setup_ring(struct mem *m, const struct setup *s, const u8 *data,
		       size_t len, struct mvgpu_exec_ring *ring, u8 **ring_buf)
{
	static u32 bbs[4];
	size_t tail;

	if (s->batch) {
		mem_load(m, s->ppgtt_batch ? MVGPU_XLATE_PPGTT :
			 MVGPU_XLATE_GGTT, s->batch_addr, data, len);
		bbs[0] = htole32(MVGPU_MI_BATCH_BUFFER_START |
				 (s->ppgtt_batch ? MVGPU_MI_BB_PPGTT : 0));
		bbs[1] = htole32((u32)s->batch_addr);
		bbs[2] = htole32((u32)(s->batch_addr >> 32));
		bbs[3] = 0;
		data = (const u8 *)bbs;
		len = sizeof(bbs);
	}
	tail = (len + 7) & ~(size_t)7;
	if (tail >= MVGPU_RING_SIZE_MAX)
		die("stream too long for a ring (use -B)");
	*ring_buf = calloc(1, tail + PAGE);
	if (!*ring_buf)
		die("out of memory");
	memcpy(*ring_buf, data, len);
	ring->start = RING_ADDR;
	ring->size = (tail + PAGE) & ~(PAGE - 1);
	ring->tail = tail;
	mem_load(m, MVGPU_XLATE_GGTT, RING_ADDR, *ring_buf, ring->size);
	m->region[m->nr_regions - 1].len = tail;	/* what was submitted */
	ring->ctx_desc = s->no_ppgtt ? 0 : m->pml4 | MVGPU_CTX_DESC_VALID;
	ring->hws = s->no_hws ? 0 : HWS_ADDR | MVGPU_RING_HWS_VALID;
}

static int decode(int argc, char **argv)
{
	struct setup s = { .batch_addr = BATCH_ADDR };
	struct mvgpu_exec_ring ring = { 0 };
	struct mvgpu_scan_workload wl;
	struct mvgpu_exec ex = { 0 };
	struct mvgpu_scan sc = { 0 };
	const char *path = "-";
	u8 *data, *ring_buf, *extra[16];
	unsigned int nr_extra = 0, i;
	struct mem m;
	size_t len;
	int ret;

	mem_init(&m);
	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-e") && i + 1 < (unsigned int)argc) {
			a = argv[++i];
			if (!strcmp(a, "rcs") || !strcmp(a, "render"))
				s.engine = MVGPU_ENGINE_RCS;
			else if (!strcmp(a, "bcs") || !strcmp(a, "blitter"))
				s.engine = MVGPU_ENGINE_BCS;
			else
				die("engine: rcs or bcs");
		} else if (!strcmp(a, "-B")) {
			s.batch = true;
		} else if (!strcmp(a, "-P")) {
			s.ppgtt_batch = true;
		} else if (!strcmp(a, "-a") && i + 1 < (unsigned int)argc) {
			s.batch_addr = strtoull(argv[++i], NULL, 0) & ~3ull;
		} else if (!strcmp(a, "-c")) {
			s.no_ppgtt = true;
		} else if (!strcmp(a, "-s")) {
			s.flags |= MVGPU_SCAN_PPGTT_NO_GGTT;
		} else if (!strcmp(a, "-n")) {
			s.no_hws = true;
		} else if (!strcmp(a, "-b") && i + 1 < (unsigned int)argc) {
			char *spec = argv[++i], *eq = strchr(spec, '=');
			u64 addr;
			size_t n;

			if (!eq || (spec[0] != 'g' && spec[0] != 'p') ||
			    spec[1] != ':' || nr_extra == 16)
				die("-b g|p:ADDR=FILE");
			addr = strtoull(spec + 2, NULL, 0) & ~3ull;
			extra[nr_extra] = read_file(eq + 1, &n);
			mem_load(&m, spec[0] == 'p' ? MVGPU_XLATE_PPGTT :
				 MVGPU_XLATE_GGTT, addr, extra[nr_extra], n);
			nr_extra++;
		} else if (a[0] == '-' && a[1]) {
			die("usage: mvgpu-decode [-e rcs|bcs] [-B] [-P] [-a ADDR] [-c] [-s] [-n] [-b g|p:ADDR=FILE]... [FILE|-]");
		} else {
			path = a;
		}
	}
	data = read_file(path, &len);
	setup_ring(&m, &s, data, len, &ring, &ring_buf);

	ex.ops = &mem_ops;
	ex.priv = &m;
	sc.ex = &ex;
	sc.ops = &dec_scan_ops;
	mvgpu_scan_default_limits(&sc.limits);
	sc.flags = s.flags;
	sc.trace = print_trace;

	printf("engine %s, ring 0x%llx, %u bytes, ppgtt %s\n",
	       s.engine == MVGPU_ENGINE_BCS ? "bcs" : "rcs",
	       (unsigned long long)ring.start, ring.tail,
	       s.no_ppgtt ? "off" : "on");
	ret = mvgpu_scan_workload(&sc, s.engine, &ring, 0, &wl);
	if (!ret) {
		printf("verdict: ok: %llu commands, %u batches, %u write ranges\n",
		       (unsigned long long)wl.cmds, wl.nr_batches,
		       wl.nr_ranges);
		for (i = 0; i < wl.nr_ranges; i++)
			printf("  may write %s 0x%llx-0x%llx\n",
			       space_name(wl.ranges[i].space),
			       (unsigned long long)wl.ranges[i].gaddr,
			       (unsigned long long)(wl.ranges[i].gaddr +
						    wl.ranges[i].len));
	} else {
		const struct mvgpu_exec_fault *f = &wl.verdict.fault;
		u32 type = f->status & MVGPU_FAULT_TYPE_MASK;

		printf("verdict: %s (%s): status 0x%x instr 0x%08x addr 0x%llx cmd 0x%llx\n",
		       type < sizeof(fault_names) / sizeof(fault_names[0]) ?
		       fault_names[type] : "?", wl.verdict.reason, f->status,
		       f->instr, (unsigned long long)f->addr,
		       (unsigned long long)f->cmd_addr);
		print_rest(&m, f);
	}
	mvgpu_scan_workload_free(&sc, &wl);
	for (i = 0; i < nr_extra; i++)
		free(extra[i]);
	free(data);
	free(ring_buf);
	mem_fini(&m);
	return ret ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Benchmark                                                            */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct bench_buf {
	u32 *dw;
	size_t n;
	size_t cap;
};

static void bput(struct bench_buf *b, unsigned int n, const u32 *dw)
{
	if (b->n + n > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4096;
		b->dw = realloc(b->dw, b->cap * 4);
		if (!b->dw)
			die("out of memory");
	}
	memcpy(b->dw + b->n, dw, 4 * n);
	b->n += n;
}

#define BPUT(b, ...)	bput((b), sizeof((const u32[]){ __VA_ARGS__ }) / 4, \
			     (const u32[]){ __VA_ARGS__ })

/* Graphics addresses of the benchmark, all PPGTT (user batches, buffers). */
#define B_BATCH		0x7f0000000000ull	/* first-level batches */
#define B_LIB		0x7f0001000000ull	/* second-level batches */
#define B_DATA		0x100000000ull		/* seqno, query, result pages */
#define B_FB		0x200000000ull		/* 1024x768 frame buffer */
#define B_ATLAS		0x210000000ull		/* 1024x1024 glyph atlas */
#define B_PIX		0x220000000ull		/* 256x256 pixmaps */
#define B_COLD		0x300000000ull		/* blit-cold: fresh surfaces */
#define B_GSEQ		(GGTT_BASE + 0x20000)	/* ring breadcrumbs (GGTT) */
#define SURF_PITCH	4096u			/* 1024 pixels of 32 bpp */

/*
 * One workload kind: ring bytes, a first-level batch area at B_BATCH and
 * a second-level one at B_LIB; @covered counts the pages the blits'
 * rectangles span (a page once per blit and surface).
 */
struct bench_stream {
	const char *name;
	const char *what;
	unsigned int engine;
	struct bench_buf ring;
	struct bench_buf batch;
	struct bench_buf lib;
	u64 covered;
};

#define LO(a)	((u32)(a))
#define HI(a)	((u32)((u64)(a) >> 32))
#define GPR_DW(e, n)	(MVGPU_ENGINE_BASE(e) + MVGPU_CS_GPR(0) + 4 * (n))

/* The ring of a submission: start the batch, a breadcrumb, an interrupt. */
static void bench_ring(struct bench_stream *s, u32 seqno)
{
	struct bench_buf *r = &s->ring;

	BPUT(r, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT,
	     LO(B_BATCH), HI(B_BATCH));
	if (s->engine == MVGPU_ENGINE_BCS)
		BPUT(r, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE,
		     LO(B_GSEQ) | MVGPU_MI_FLUSH_DW_USE_GGTT, HI(B_GSEQ),
		     seqno);
	else
		BPUT(r, MVGPU_PIPE_CONTROL, MVGPU_PC_OP_STORE |
		     MVGPU_PC_CS_STALL | MVGPU_PC_USE_GGTT, LO(B_GSEQ),
		     HI(B_GSEQ), seqno, 0);
	BPUT(r, MVGPU_MI_USER_INTERRUPT);
	if (r->n & 1)
		BPUT(r, MVGPU_MI_NOOP);
}

static void bench_sdi(struct bench_buf *b, u64 a, u32 v)
{
	BPUT(b, MVGPU_MI_STORE_DATA_IMM, LO(a), HI(a), v);
}

/* Pages of the span of a @w x @h rectangle at (@x, @y), 32 bpp. */
static u64 bench_span(u64 base, u32 pitch, u32 x, u32 y, u32 w, u32 h)
{
	u64 lo = base + (u64)y * pitch + 4 * x;
	u64 hi = base + (u64)(y + h - 1) * pitch + 4 * (x + w);

	return ((hi - 1) >> 12) - (lo >> 12) + 1;
}

static void bench_fill(struct bench_stream *s, u64 dst, u32 pitch, u32 x,
		       u32 y, u32 w, u32 h)
{
	BPUT(&s->batch, MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA |
	     MVGPU_BLT_WRITE_RGB, MVGPU_BR13_DEPTH_32 |
	     MVGPU_BR13_ROP(MVGPU_ROP_PATCOPY) | pitch, MVGPU_BLT_XY(x, y),
	     MVGPU_BLT_XY(x + w, y + h), LO(dst), HI(dst), 0xff202020);
	s->covered += bench_span(dst, pitch, x, y, w, h);
}

/* A copy with XY_SRC_COPY_BLT or (@fast) XY_FAST_COPY_BLT, 32 bpp. */
static void bench_copy(struct bench_stream *s, bool fast, u64 dst,
		       u32 dpitch, u32 x, u32 y, u64 src, u32 spitch, u32 sx,
		       u32 sy, u32 w, u32 h)
{
	u32 hdr = MVGPU_XY_SRC_COPY_BLT | MVGPU_BLT_WRITE_ALPHA |
		  MVGPU_BLT_WRITE_RGB;
	u32 br13 = MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP(MVGPU_ROP_SRCCOPY) |
		   dpitch;

	if (fast) {
		hdr = MVGPU_XY_FAST_COPY_BLT;
		br13 = MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32) | dpitch;
	}
	BPUT(&s->batch, hdr, br13, MVGPU_BLT_XY(x, y),
	     MVGPU_BLT_XY(x + w, y + h), LO(dst), HI(dst),
	     MVGPU_BLT_XY(sx, sy), spitch, LO(src), HI(src));
	s->covered += bench_span(dst, dpitch, x, y, w, h) +
		      bench_span(src, spitch, sx, sy, w, h);
}

/* Fills @s with the workload of kind @s->name. */
static void bench_stream(struct bench_stream *s)
{
	struct bench_buf *b = &s->batch;
	u32 i = 0, k;
	u64 a;

	s->engine = MVGPU_ENGINE_RCS;
	if (!strcmp(s->name, "nop")) {
		s->what = "256 KiB of MI_NOOP: the per-command worst case";
		while (b->n < 65536)
			BPUT(b, MVGPU_MI_NOOP);
	} else if (!strcmp(s->name, "store")) {
		s->what = "SDI bursts on 4 pages, qword SDI, PIPE_CONTROL timestamps";
		while (b->n * 4 < (64u << 10)) {
			for (k = 0; k < 8; k++)
				bench_sdi(b, B_DATA + 4096 * (k & 3) +
					  16 * (i % 256) + 4 * (k >> 2), i);
			a = B_DATA + 4 * 4096 + 8 * (i % 512);
			BPUT(b, MVGPU_MI_STORE_DATA_IMM_QW, LO(a), HI(a), i, 0);
			a = B_DATA + 5 * 4096 + 8 * (i % 512);
			BPUT(b, MVGPU_PIPE_CONTROL, MVGPU_PC_OP_TS |
			     MVGPU_PC_CS_STALL, LO(a), HI(a), 0, 0);
			i++;
		}
	} else if (!strcmp(s->name, "state")) {
		s->what = "LRI of 1..8 GPRs, SRM, PIPE_CONTROL, ARB_CHECK, semaphores";
		while (b->n * 4 < (64u << 10)) {
			u32 n = 1 + i % 8;

			BPUT(b, MVGPU_MI_LOAD_REGISTER_IMM(n));
			for (k = 0; k < n; k++)
				BPUT(b, GPR_DW(MVGPU_ENGINE_RCS, (i + k) % 32),
				     i + k);
			a = B_DATA + 6 * 4096 + 8 * (i % 512);
			BPUT(b, MVGPU_MI_STORE_REGISTER_MEM,
			     GPR_DW(MVGPU_ENGINE_RCS, i % 32), LO(a), HI(a));
			BPUT(b, MVGPU_PIPE_CONTROL, MVGPU_PC_CS_STALL, 0, 0, 0,
			     0);
			BPUT(b, MVGPU_MI_ARB_CHECK);
			if (i % 8 == 7) {
				a = B_DATA + 7 * 4096;
				BPUT(b, MVGPU_MI_SEMAPHORE_WAIT |
				     MVGPU_MI_SEMAPHORE_POLL |
				     MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_GTE), 0,
				     LO(a), HI(a));
			}
			i++;
		}
	} else if (!strcmp(s->name, "blit")) {
		/*
		 * One frame of a 2D desktop: clear, 64 glyphs of 16..64
		 * pixels from an atlas, 8 pixmaps of 256x256, 4 rectangle
		 * fills, a scroll of most of the screen.
		 */
		s->what = "a 2D frame: 78 blits of 16x16..1024x768 pixels";
		s->engine = MVGPU_ENGINE_BCS;
		bench_fill(s, B_FB, SURF_PITCH, 0, 0, 1024, 768);
		for (i = 0; i < 64; i++) {
			u32 g = 16 << (i % 3);

			bench_copy(s, i & 1, B_FB, SURF_PITCH, (i * 53) % 960,
				   (i * 29) % 704, B_ATLAS, SURF_PITCH,
				   64 * ((i * 37) % 16), 64 * ((i * 11) % 16),
				   g, g);
		}
		for (i = 0; i < 8; i++)
			bench_copy(s, true, B_FB, SURF_PITCH, 256 * (i % 4),
				   256 * (i / 4), B_PIX + (i << 18), 1024, 0,
				   0, 256, 256);
		bench_fill(s, B_FB, SURF_PITCH, 64, 640, 64, 64);
		bench_fill(s, B_FB, SURF_PITCH, 300, 100, 256, 128);
		bench_fill(s, B_FB, SURF_PITCH, 0, 704, 1024, 64);
		bench_fill(s, B_FB, SURF_PITCH, 256, 128, 512, 512);
		bench_copy(s, false, B_FB, SURF_PITCH, 0, 0, B_FB,
			   SURF_PITCH, 0, 68, 1024, 700);
	} else if (!strcmp(s->name, "blit-cold")) {
		s->what = "64 copies of 256x256 pixels, each to fresh pages";
		s->engine = MVGPU_ENGINE_BCS;
		for (i = 0; i < 64; i++)
			bench_copy(s, i & 1, B_COLD + ((u64)i << 20),
				   SURF_PITCH, 0, 0,
				   B_COLD + ((u64)(64 + i) << 20), SURF_PITCH,
				   0, 0, 256, 256);
	} else if (!strcmp(s->name, "chain")) {
		/*
		 * 400 chained first-level batches; each calls one of four
		 * second-level batches (state setup) between its stores.
		 */
		s->what = "400 chained batches, each calling 1 of 4 second-level ones";
		for (k = 0; k < 4; k++) {
			u64 start = B_LIB + 4 * s->lib.n;

			BPUT(&s->lib, MVGPU_MI_LOAD_REGISTER_IMM(2),
			     GPR_DW(MVGPU_ENGINE_RCS, 2 * k), k,
			     GPR_DW(MVGPU_ENGINE_RCS, 2 * k + 1), 0);
			a = B_DATA + 8 * 4096 + 8 * k;
			BPUT(&s->lib, MVGPU_MI_STORE_REGISTER_MEM,
			     GPR_DW(MVGPU_ENGINE_RCS, 2 * k), LO(a), HI(a));
			BPUT(&s->lib, MVGPU_PIPE_CONTROL, MVGPU_PC_CS_STALL,
			     0, 0, 0, 0);
			BPUT(&s->lib, MVGPU_MI_BATCH_BUFFER_END);
			if (start != B_LIB + 4 * 16 * k)
				die("bench: second-level layout");
		}
		for (i = 0; i < 400; i++) {
			for (k = 0; k < 6; k++)
				bench_sdi(b, B_DATA + 4096 * (k & 1) +
					  16 * (i % 256) + 4 * (k >> 1), i);
			a = B_LIB + 4 * 16 * (i % 4);
			BPUT(b, MVGPU_MI_BATCH_BUFFER_START |
			     MVGPU_MI_BB_PPGTT | MVGPU_MI_BB_SECOND_LEVEL,
			     LO(a), HI(a));
			bench_sdi(b, B_DATA + 2 * 4096 + 8 * i, i);
			bench_sdi(b, B_DATA + 2 * 4096 + 8 * i + 4, i);
			a = B_BATCH + 4 * (b->n + 3);
			if (i < 399)
				BPUT(b, MVGPU_MI_BATCH_BUFFER_START |
				     MVGPU_MI_BB_PPGTT, LO(a), HI(a));
		}
	} else if (!strcmp(s->name, "submit")) {
		s->what = "one small submission: ring, batch of 16 commands";
		for (k = 0; k < 4; k++)
			bench_sdi(b, B_DATA + 16 * k, k);
		BPUT(b, MVGPU_MI_LOAD_REGISTER_IMM(1),
		     GPR_DW(MVGPU_ENGINE_RCS, 0), 1);
		a = B_DATA + 4096;
		BPUT(b, MVGPU_MI_STORE_REGISTER_MEM,
		     GPR_DW(MVGPU_ENGINE_RCS, 0), LO(a), HI(a));
		BPUT(b, MVGPU_PIPE_CONTROL, MVGPU_PC_CS_STALL, 0, 0, 0, 0);
		for (k = 0; k < 8; k++)
			bench_sdi(b, B_DATA + 64 + 16 * k, k);
	} else {
		die("bench: streams: nop store state blit blit-cold chain submit walk");
	}
	BPUT(b, MVGPU_MI_BATCH_BUFFER_END);
	bench_ring(s, 1);
}

/*
 * Gen9 3D state, walked by length only: the engine does not execute 3D
 * commands (a full scan rejects the first), so this measures the table
 * decoder, as a parser of a real 3D stream would use it.
 */
static void bench_walk(double seconds)
{
	static const u32 cmds[] = {
		0x78100007, 0x78110008, 0x78130002, 0x78140001, 0x78200006,
		0x78080003, 0x78090001, 0x781f0004, 0x784c0000, 0x784e0000,
		0x7a000004, 0x7b000005, 0x69040000, 0x11000001,
	};
	struct bench_buf b = { 0 };
	double t0, t;
	u64 iters = 0, sum = 0, n_cmds = 0;
	unsigned int i = 0;

	while (b.n * 4 < (256u << 10)) {
		u32 h = cmds[i++ % (sizeof(cmds) / 4)], n = mvgpu_cmd_length(h);
		u32 k;

		BPUT(&b, h);
		for (k = 1; k < n; k++)
			BPUT(&b, 0);
		n_cmds++;
	}
	t0 = now_s();
	do {
		size_t off = 0;

		while (off < b.n) {
			unsigned int n = mvgpu_cmd_length(le32toh(b.dw[off]));

			if (!n)
				die("walk: unknown command");
			sum += n;
			off += n;
		}
		iters++;
		t = now_s();
	} while (t - t0 < seconds);
	printf("%-10s %7.0f %7.2f %8s %6llu %4u %5zu  %s\n", "walk",
	       iters * b.n * 4 / (t - t0) / 1e6,
	       (t - t0) * 1e9 / (iters * n_cmds), "-",
	       (unsigned long long)n_cmds, 0, b.n / 256,
	       "Gen9 3D state walked by length only (not executed: no full scan)");
	free(b.dw);
	(void)sum;
}

/* What one scan of a workload covered. */
struct bench_result {
	u64 bytes;	/* ring and batch bytes scanned */
	u64 cmds;
	u32 batches;
	u64 maps;	/* pages translated (map_page() calls) */
};

/*
 * A measurement is timed in batches of scans of at least BENCH_BATCH_S of
 * the thread's CPU time (not wall time: the machine is shared, and time
 * spent descheduled is not the scanner's); the fastest batch counts.
 */
#define BENCH_BATCH_S	0.002

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Scans of @s for @seconds, reusing one workload's memory or not: the
 * CPU time per scan of the fastest batch.
 */
static double bench_run(struct bench_stream *s, struct mem *m,
			const struct mvgpu_exec_ring *ring, double seconds,
			bool reuse, struct bench_result *res)
{
	struct mvgpu_scan_workload wl;
	struct mvgpu_exec ex = { 0 };
	struct mvgpu_scan sc = { 0 };
	u64 iters = 0, batch = 1, n, m0 = m->maps;
	double t0, t, best = 1e9;
	int ret;

	memset(&wl, 0, sizeof(wl));
	ex.ops = &mem_ops;
	ex.priv = m;
	sc.ex = &ex;
	sc.ops = &dec_scan_ops;
	mvgpu_scan_default_limits(&sc.limits);
	t0 = now_s();
	do {
		double c0 = cpu_s(), c;

		for (n = 0; n < batch; n++) {
			ret = reuse ?
			      mvgpu_scan_workload_reuse(&sc, s->engine, ring,
							0, &wl) :
			      mvgpu_scan_workload(&sc, s->engine, ring, 0,
						  &wl);
			if (ret) {
				fprintf(stderr, "bench %s: rejected: %s\n",
					s->name, wl.verdict.reason);
				exit(1);
			}
			if (!iters++) {
				u32 i;

				res->maps = m->maps - m0;
				res->cmds = wl.cmds;
				res->batches = wl.nr_batches;
				res->bytes = wl.ring_len;
				for (i = 0; i < wl.nr_batches; i++)
					res->bytes += wl.batches[i].len;
			}
			if (!reuse)
				mvgpu_scan_workload_free(&sc, &wl);
		}
		c = cpu_s() - c0;
		if (c < BENCH_BATCH_S)
			batch *= 2;
		else if (c / batch < best)
			best = c / batch;
		t = now_s();
	} while (t - t0 < seconds || best == 1e9);
	mvgpu_scan_workload_free(&sc, &wl);
	return best;
}

static int bench(int argc, char **argv)
{
	static const char *const all[] = {
		"nop", "store", "state", "blit", "blit-cold", "chain", "submit",
		"walk",
	};
	double seconds = argc > 2 ? strtod(argv[2], NULL) : 1.0;
	const char *const *names = all;
	unsigned int k, n = sizeof(all) / sizeof(all[0]);

	if (argc > 3) {
		names = (const char *const *)argv + 3;
		n = argc - 3;
	}
	printf("scanner, one core: MB/s of command stream (shadows reused; fresh: allocated per workload)\n");
	printf("%-10s %7s %7s %8s %6s %4s %5s  %s\n", "stream", "MB/s",
	       "ns/cmd", "fresh", "cmds", "bbs", "KiB", "workload");
	for (k = 0; k < n; k++) {
		struct bench_stream s = { .name = names[k] };
		struct setup set = { .no_hws = false };
		struct mvgpu_exec_ring ring = { 0 };
		struct bench_result r;
		double per, fresh;
		u8 *ring_buf;
		struct mem m;
		size_t i;

		if (!strcmp(s.name, "walk")) {
			bench_walk(seconds);
			continue;
		}
		bench_stream(&s);
		for (i = 0; i < s.batch.n; i++)
			s.batch.dw[i] = htole32(s.batch.dw[i]);
		for (i = 0; i < s.lib.n; i++)
			s.lib.dw[i] = htole32(s.lib.dw[i]);
		for (i = 0; i < s.ring.n; i++)
			s.ring.dw[i] = htole32(s.ring.dw[i]);
		mem_init(&m);
		mem_load(&m, MVGPU_XLATE_PPGTT, B_BATCH, (const u8 *)s.batch.dw,
			 4 * s.batch.n);
		if (s.lib.n)
			mem_load(&m, MVGPU_XLATE_PPGTT, B_LIB,
				 (const u8 *)s.lib.dw, 4 * s.lib.n);
		set.engine = s.engine;
		setup_ring(&m, &set, (const u8 *)s.ring.dw, 4 * s.ring.n, &ring,
			   &ring_buf);

		fresh = bench_run(&s, &m, &ring, seconds / 2, false, &r);
		per = bench_run(&s, &m, &ring, seconds, true, &r);
		printf("%-10s %7.0f %7.2f %8.0f %6llu %4u %5llu  %s\n", s.name,
		       r.bytes / per / 1e6, per * 1e9 / r.cmds,
		       r.bytes / fresh / 1e6, (unsigned long long)r.cmds,
		       r.batches, (unsigned long long)r.bytes / 1024, s.what);
		if (s.covered)
			printf("%-10s pages: %llu covered (%.0f M/s), %llu translated (%.0f M/s, %.1f ns each)\n",
			       "", (unsigned long long)s.covered,
			       s.covered / per / 1e6, (unsigned long long)r.maps,
			       r.maps / per / 1e6, per * 1e9 / r.maps);
		if (!strcmp(s.name, "submit"))
			printf("%-10s %.0f ns per workload (%.0f fresh), %.0f k workloads/s\n",
			       "", per * 1e9, fresh * 1e9, 1 / per / 1e3);
		free(ring_buf);
		free(s.ring.dw);
		free(s.batch.dw);
		free(s.lib.dw);
		mem_fini(&m);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return bench(argc, argv);
	return decode(argc, argv);
}
