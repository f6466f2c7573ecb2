// SPDX-License-Identifier: GPL-2.0
/* The fake vGPU memory of the executor's unit tests (see exec_fake.h). */
#include <stdio.h>
#include <stdlib.h>

#include "exec_fake.h"

static void fake_die(const char *what, unsigned long long v)
{
	fprintf(stderr, "exec_fake: %s 0x%llx\n", what, v);
	abort();
}

static void *fake_zalloc(size_t size)
{
	void *p = aligned_alloc(FAKE_PAGE, (size + FAKE_PAGE - 1) &
					   ~(FAKE_PAGE - 1));

	if (!p)
		fake_die("out of memory", size);
	memset(p, 0, size);
	return p;
}

static int fake_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct fake *f = priv;

	f->ggtt_calls++;
	if (gaddr < FAKE_GGTT_BASE || gaddr >= FAKE_GGTT_BASE + FAKE_GGTT_SIZE)
		return -ERANGE;
	*pte = f->ggtt[(gaddr - FAKE_GGTT_BASE) / FAKE_PAGE];
	return 0;
}

static void *fake_map_page(void *priv, u64 addr, bool local, bool write,
			   u32 *fault)
{
	struct fake *f = priv;
	u64 page;

	f->map_calls++;
	if (addr & (FAKE_PAGE - 1))
		fake_die("map_page of an unaligned address", addr);
	if (local) {
		if (addr >= FAKE_LOCAL_PAGES * FAKE_PAGE) {
			*fault = MVGPU_FAULT_LOCAL_RANGE;
			return NULL;
		}
		return f->local + addr;
	}
	if (addr < FAKE_DMA_BASE ||
	    addr - FAKE_DMA_BASE >= (u64)f->dma_pages * FAKE_PAGE) {
		*fault = MVGPU_FAULT_DMA;
		return NULL;
	}
	page = (addr - FAKE_DMA_BASE) / FAKE_PAGE;
	if ((f->dma_flags[page] & FAKE_DMA_UNMAPPED) ||
	    (write && (f->dma_flags[page] & FAKE_DMA_NO_WRITE))) {
		*fault = MVGPU_FAULT_DMA;
		return NULL;
	}
	if (write)
		f->dma_write_maps[page]++;
	return f->dma + page * FAKE_PAGE;
}

static u64 fake_now_ns(void *priv)
{
	struct fake *f = priv;
	u64 t = f->now;

	f->now_calls++;
	f->now += f->clock_step;
	return t;
}

static const struct mvgpu_exec_ops fake_ops = {
	.ggtt_pte = fake_ggtt_pte,
	.map_page = fake_map_page,
	.now_ns = fake_now_ns,
};

struct fake *fake_new(unsigned int engine, unsigned int dma_pages)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		fake_die("out of memory", sizeof(*f));
	f->dma_pages = dma_pages ? dma_pages : FAKE_DMA_DEFAULT_PAGES;
	f->dma = fake_zalloc((size_t)f->dma_pages * FAKE_PAGE);
	f->dma_flags = calloc(f->dma_pages, 1);
	f->dma_write_maps = calloc(f->dma_pages, sizeof(unsigned int));
	f->local = fake_zalloc(FAKE_LOCAL_PAGES * FAKE_PAGE);
	f->ggtt = calloc(FAKE_GGTT_SIZE / FAKE_PAGE, sizeof(u64));
	if (!f->dma_flags || !f->dma_write_maps || !f->ggtt)
		fake_die("out of memory", 0);
	f->next_table = f->dma_pages;
	f->ex.ops = &fake_ops;
	f->ex.priv = f;
	f->ex.hang_ns = 1000000000ull;
	mvgpu_exec_state_reset(&f->st, engine);
	fake_ggtt_back(f, FAKE_RING_GADDR, FAKE_RING_SIZE);
	fake_ggtt_back(f, FAKE_HWS_GADDR, FAKE_PAGE);
	f->ring.start = FAKE_RING_GADDR;
	f->ring.size = FAKE_RING_SIZE;
	f->ring.hws = FAKE_HWS_GADDR | MVGPU_RING_HWS_VALID;
	return f;
}

void fake_free(struct fake *f)
{
	free(f->dma);
	free(f->dma_flags);
	free(f->dma_write_maps);
	free(f->local);
	free(f->ggtt);
	free(f);
}

u64 fake_dma_alloc(struct fake *f, unsigned int pages)
{
	u64 addr;

	if (f->next_data + pages > f->next_table)
		fake_die("DMA memory exhausted", pages);
	addr = FAKE_DMA_BASE + (u64)f->next_data * FAKE_PAGE;
	f->next_data += pages;
	return addr;
}

void *fake_dma(struct fake *f, u64 dma)
{
	if (dma < FAKE_DMA_BASE ||
	    dma - FAKE_DMA_BASE >= (u64)f->dma_pages * FAKE_PAGE)
		fake_die("not a DMA address", dma);
	return f->dma + (dma - FAKE_DMA_BASE);
}

void *fake_local(struct fake *f, u64 off)
{
	if (off >= FAKE_LOCAL_PAGES * FAKE_PAGE)
		fake_die("not a local offset", off);
	return f->local + off;
}

void fake_dma_set_flags(struct fake *f, u64 dma, u8 flags)
{
	fake_dma(f, dma);
	f->dma_flags[(dma - FAKE_DMA_BASE) / FAKE_PAGE] = flags;
}

void fake_ggtt_set(struct fake *f, u64 gaddr, u64 pte)
{
	if (gaddr < FAKE_GGTT_BASE || gaddr >= FAKE_GGTT_BASE + FAKE_GGTT_SIZE)
		fake_die("GGTT address outside the slice", gaddr);
	f->ggtt[(gaddr - FAKE_GGTT_BASE) / FAKE_PAGE] = pte;
}

u64 fake_ggtt_get(struct fake *f, u64 gaddr)
{
	if (gaddr < FAKE_GGTT_BASE || gaddr >= FAKE_GGTT_BASE + FAKE_GGTT_SIZE)
		fake_die("GGTT address outside the slice", gaddr);
	return f->ggtt[(gaddr - FAKE_GGTT_BASE) / FAKE_PAGE];
}

void fake_ggtt_map(struct fake *f, u64 gaddr, u64 addr, u64 size, u64 flags)
{
	u64 off;

	for (off = 0; off < size; off += FAKE_PAGE)
		fake_ggtt_set(f, gaddr + off, (addr + off) | flags);
}

u64 fake_ggtt_back(struct fake *f, u64 gaddr, u64 size)
{
	u64 dma = fake_dma_alloc(f, (size + FAKE_PAGE - 1) / FAKE_PAGE);

	fake_ggtt_map(f, gaddr, dma, size,
		      MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);
	return dma;
}

static u64 fake_table_alloc(struct fake *f)
{
	if (f->next_table <= f->next_data)
		fake_die("DMA memory exhausted (tables)", 0);
	f->next_table--;
	memset(f->dma + (u64)f->next_table * FAKE_PAGE, 0, FAKE_PAGE);
	return FAKE_DMA_BASE + (u64)f->next_table * FAKE_PAGE;
}

void fake_ppgtt_enable(struct fake *f)
{
	f->ring.ctx_desc = fake_table_alloc(f) | MVGPU_CTX_DESC_VALID;
}

static unsigned int fake_index(u64 gaddr, unsigned int level)
{
	return (gaddr >> (39 - 9 * level)) & 511;
}

u64 *fake_ppgtt_entry(struct fake *f, u64 gaddr, unsigned int level)
{
	u64 table = f->ring.ctx_desc & MVGPU_CTX_DESC_PML4_MASK;
	unsigned int l;

	for (l = 0;; l++) {
		u64 *e = (u64 *)fake_dma(f, table) + fake_index(gaddr, l);

		if (l == level)
			return e;
		if (!(*e & MVGPU_PTE_PRESENT))
			return NULL;
		table = *e & MVGPU_PTE_ADDR_MASK;
	}
}

void fake_ppgtt_set(struct fake *f, u64 gaddr, u64 pte)
{
	u64 table = f->ring.ctx_desc & MVGPU_CTX_DESC_PML4_MASK;
	unsigned int l;

	if (!(f->ring.ctx_desc & MVGPU_CTX_DESC_VALID))
		fake_die("no PPGTT", gaddr);
	for (l = 0; l < 3; l++) {
		u64 *e = (u64 *)fake_dma(f, table) + fake_index(gaddr, l);

		if (!(*e & MVGPU_PTE_PRESENT))
			*e = fake_table_alloc(f) | MVGPU_PTE_PRESENT;
		table = *e & MVGPU_PTE_ADDR_MASK;
	}
	((u64 *)fake_dma(f, table))[fake_index(gaddr, 3)] = pte;
}

void fake_ppgtt_map(struct fake *f, u64 gaddr, u64 addr, u64 size,
		    u64 flags)
{
	u64 off;

	for (off = 0; off < size; off += FAKE_PAGE)
		fake_ppgtt_set(f, gaddr + off, (addr + off) | flags);
}

u64 fake_ppgtt_back(struct fake *f, u64 gaddr, u64 size)
{
	u64 dma = fake_dma_alloc(f, (size + FAKE_PAGE - 1) / FAKE_PAGE);

	fake_ppgtt_map(f, gaddr, dma, size,
		       MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE);
	return dma;
}

/* The page a leaf PTE names, or NULL. */
static u8 *fake_leaf(struct fake *f, u64 pte)
{
	u64 addr = pte & MVGPU_PTE_ADDR_MASK;

	if (!(pte & MVGPU_PTE_PRESENT))
		return NULL;
	if (pte & MVGPU_PTE_LOCAL)
		return addr < FAKE_LOCAL_PAGES * FAKE_PAGE ? f->local + addr :
							     NULL;
	if (addr < FAKE_DMA_BASE ||
	    addr - FAKE_DMA_BASE >= (u64)f->dma_pages * FAKE_PAGE)
		return NULL;
	return f->dma + (addr - FAKE_DMA_BASE);
}

void *fake_gptr(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr)
{
	u64 *e;
	u8 *page;

	if (space == MVGPU_XLATE_GGTT) {
		if (gaddr < FAKE_GGTT_BASE ||
		    gaddr >= FAKE_GGTT_BASE + FAKE_GGTT_SIZE)
			return NULL;
		page = fake_leaf(f, fake_ggtt_get(f, gaddr));
	} else {
		if (!(f->ring.ctx_desc & MVGPU_CTX_DESC_VALID) ||
		    gaddr >> 48)
			return NULL;
		e = fake_ppgtt_entry(f, gaddr, 3);
		page = e ? fake_leaf(f, *e) : NULL;
	}
	return page ? page + (gaddr & (FAKE_PAGE - 1)) : NULL;
}

u32 fake_get32(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr)
{
	u32 *p = fake_gptr(f, space, gaddr);

	if (!p)
		fake_die(__func__, gaddr);
	return le32toh(*p);
}

u64 fake_get64(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr)
{
	return fake_get32(f, space, gaddr) |
	       (u64)fake_get32(f, space, gaddr + 4) << 32;
}

void fake_put32(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr,
		u32 val)
{
	u32 *p = fake_gptr(f, space, gaddr);

	if (!p)
		fake_die(__func__, gaddr);
	*p = htole32(val);
}

void fake_emit(struct fake *f, unsigned int n, const u32 *dw)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fake_put32(f, MVGPU_XLATE_GGTT, f->ring.start + f->wptr, dw[i]);
		f->wptr = (f->wptr + 4) % f->ring.size;
	}
}

void fake_submit(struct fake *f)
{
	if (f->wptr & 4)
		EMIT(f, MVGPU_MI_NOOP);
	f->ring.tail = f->wptr;
}

void fake_ring_seek(struct fake *f, u32 off)
{
	f->st.head = off;
	f->ring.tail = off;
	f->wptr = off;
}

enum mvgpu_exec_result fake_run(struct fake *f, u64 budget_ns)
{
	return mvgpu_exec_run(&f->ex, &f->st, &f->ring, budget_ns, &f->ev);
}

enum mvgpu_exec_result fake_run_all(struct fake *f, unsigned int max)
{
	struct mvgpu_exec_events sum = { 0 };
	enum mvgpu_exec_result ret;

	do {
		ret = fake_run(f, ~0ull);
		sum.user |= f->ev.user;
		sum.complete |= f->ev.complete;
		sum.cmds += f->ev.cmds;
		sum.bytes += f->ev.bytes;
	} while (ret == MVGPU_EXEC_YIELD && --max);
	f->ev = sum;
	return ret;
}

void fake_batch_init(struct fake_batch *b, struct fake *f,
		     enum mvgpu_xlate_space space, u64 gaddr)
{
	b->f = f;
	b->space = space;
	b->start = gaddr;
	b->pos = gaddr;
}

void fake_batch_emit(struct fake_batch *b, unsigned int n, const u32 *dw)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fake_put32(b->f, b->space, b->pos, dw[i]);
		b->pos += 4;
	}
}

u64 fake_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}
