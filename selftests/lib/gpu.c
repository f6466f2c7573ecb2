// SPDX-License-Identifier: GPL-2.0
/*
 * A small userspace GPU driver for mvgpu vGPUs (see gpu.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "gpu.h"

#define GPU_PAGE		4096ull
#define GPU_ALIGN(x)		(((x) + GPU_PAGE - 1) & ~(GPU_PAGE - 1))

/* MSI capability registers (64-bit capability). */
#define GPU_MSI_CTRL		(MVGPU_PCI_MSI_CAP + PCI_MSI_FLAGS)
#define GPU_MSI_ADDR_LO		(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO)
#define GPU_MSI_ADDR_HI		(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_HI)
#define GPU_MSI_DATA		(MVGPU_PCI_MSI_CAP + PCI_MSI_DATA_64)

static char gpu_errbuf[768] = "no error";

const char *gpu_err(void)
{
	return gpu_errbuf;
}

/* Record what failed; returns -@err. */
static int __attribute__((format(printf, 2, 3)))
gpu_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(gpu_errbuf, sizeof(gpu_errbuf), fmt, ap);
	va_end(ap);
	errno = err;
	return -err;
}

/* A vfio_util helper failed with @ret: keep its description. */
static int gpu_fail_mv(int ret, const char *what)
{
	return gpu_fail(ret < 0 ? -ret : EIO, "%s: %s", what, mv_err());
}

uint64_t gpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t gpu_now_ms(void)
{
	return gpu_now_ns() / 1000000ull;
}

void gpu_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000l };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void gpu_sleep_us(unsigned int us)
{
	struct timespec ts = { 0, us * 1000l };

	nanosleep(&ts, NULL);
}

/*
 * Sleep between two polls, backing off from 50 us to 2 ms: a short wait
 * ends at once, and a long one does not steal the CPU the engine (on a
 * 2-vCPU TCG VM, the same host cores) needs.
 */
static void gpu_poll_sleep(unsigned int *us)
{
	if (!*us)
		*us = 50;
	gpu_sleep_us(*us);
	if (*us < 2000)
		*us *= 2;
}

/* ---- registers ---------------------------------------------------------- */

int gpu_rd(struct gpu *g, uint32_t off, uint32_t *val)
{
	int ret = mv_bar0_read(&g->dev, off, val);

	if (ret)
		return gpu_fail(-ret, "BAR0 read 0x%x: %s", off, mv_err());
	return 0;
}

int gpu_wr(struct gpu *g, uint32_t off, uint32_t val)
{
	int ret = mv_bar0_write(&g->dev, off, val);

	if (ret)
		return gpu_fail(-ret, "BAR0 write 0x%x <- 0x%x: %s", off, val,
				mv_err());
	return 0;
}

int gpu_erd(struct gpu *g, unsigned int e, uint32_t reg, uint32_t *val)
{
	return gpu_rd(g, MVGPU_ENGINE_BASE(e) + reg, val);
}

int gpu_ewr(struct gpu *g, unsigned int e, uint32_t reg, uint32_t val)
{
	return gpu_wr(g, MVGPU_ENGINE_BASE(e) + reg, val);
}

static int gpu_rd64(struct gpu *g, uint32_t lo, uint64_t *val)
{
	uint32_t l, h;
	int ret;

	ret = gpu_rd(g, lo, &l);
	if (!ret)
		ret = gpu_rd(g, lo + 4, &h);
	if (!ret)
		*val = (uint64_t)h << 32 | l;
	return ret;
}

/* ---- device --------------------------------------------------------------- */

void gpu_init(struct gpu *g)
{
	memset(g, 0, sizeof(*g));
	mv_dev_init(&g->dev);
	g->irq_fd = -1;
}

int gpu_open(struct gpu *g, const char *uuid, enum mv_open_mode mode)
{
	const char *force = getenv("MVGPU_OPEN_MODE");
	uint32_t id, cmd;
	int ret;

	gpu_init(g);
	if (force && !strcmp(force, "cdev"))
		mode = MV_OPEN_CDEV;
	else if (force && !strcmp(force, "container"))
		mode = MV_OPEN_CONTAINER;
	ret = mv_dev_open(&g->dev, uuid, mode);
	if (ret)
		return gpu_fail_mv(ret, "open");
	ret = gpu_rd(g, MVGPU_REG_ID, &id);
	if (ret)
		goto err;
	if (id != MVGPU_ID_MAGIC) {
		ret = gpu_fail(ENODEV, "ID register 0x%x, want 0x%x", id,
			       MVGPU_ID_MAGIC);
		goto err;
	}
	ret = gpu_rd(g, MVGPU_REG_CAPS, &g->caps);
	if (!ret)
		ret = gpu_rd(g, MVGPU_REG_VGPU_TYPE, &g->type);
	if (!ret)
		ret = gpu_rd(g, MVGPU_REG_WATCHDOG_MS, &g->watchdog_ms);
	if (!ret)
		ret = gpu_rd64(g, MVGPU_REG_GGTT_BASE_LO, &g->ggtt_base);
	if (!ret)
		ret = gpu_rd64(g, MVGPU_REG_GGTT_SIZE_LO, &g->ggtt_size);
	if (!ret)
		ret = gpu_rd64(g, MVGPU_REG_VRAM_SIZE_LO, &g->vram_size);
	if (ret)
		goto err;
	if (!(g->caps & MVGPU_CAP_ENGINES)) {
		ret = gpu_fail(ENODEV, "CAPS 0x%x lacks MVGPU_CAP_ENGINES",
			       g->caps);
		goto err;
	}
	if (!g->ggtt_size || g->ggtt_base + g->ggtt_size > MVGPU_GGTT_TOTAL ||
	    g->ggtt_base % GPU_PAGE) {
		ret = gpu_fail(EINVAL, "GGTT slice 0x%llx+0x%llx",
			       (unsigned long long)g->ggtt_base,
			       (unsigned long long)g->ggtt_size);
		goto err;
	}
	/* A driver enables decoding and bus mastering before any DMA. */
	ret = mv_cfg_read(&g->dev, PCI_COMMAND, 2, &cmd);
	if (!ret)
		ret = mv_cfg_write(&g->dev, PCI_COMMAND, 2,
				   cmd | PCI_COMMAND_MEMORY |
				   PCI_COMMAND_MASTER);
	if (ret) {
		ret = gpu_fail_mv(ret, "enable bus mastering");
		goto err;
	}
	g->iova_next = GPU_IOVA_BASE;
	/* The slice's first page stays unmapped: a known bad address. */
	g->ggtt_next = g->ggtt_base + GPU_GGTT_GUARD;
	g->local_next = 0;
	return 0;

err:
	gpu_close(g);
	return ret;
}

static void gpu_bo_release(struct gpu *g, struct gpu_bo *bo)
{
	if (!(bo->flags & GPU_BO_LOCAL) && bo->cpu)
		munmap(bo->cpu, bo->size);
	(void)g;
	free(bo);
}

void gpu_close(struct gpu *g)
{
	struct gpu_bo *bo, *next;

	/* A BAR2 mapping would keep the device open past its close. */
	if (g->vram)
		munmap(g->vram, g->vram_size);
	g->vram = NULL;
	/* Closing the device stops its engines before memory goes away. */
	mv_dev_close(&g->dev);
	if (g->irq_fd >= 0)
		close(g->irq_fd);
	g->irq_fd = -1;
	for (bo = g->bos; bo; bo = next) {
		next = bo->next;
		gpu_bo_release(g, bo);
	}
	g->bos = NULL;
	g->pt_pool = NULL;
	memset(g->ring, 0, sizeof(g->ring));
}

/* ---- memory --------------------------------------------------------------- */

static uint32_t gpu_pte_offset(uint64_t gaddr)
{
	return MVGPU_GGTT_WINDOW_OFFSET +
	       8 * (uint32_t)(gaddr >> MVGPU_GTT_PAGE_SHIFT);
}

int gpu_ggtt_write(struct gpu *g, uint64_t gaddr, uint64_t pte)
{
	uint32_t off;
	int ret;

	if (gaddr >= MVGPU_GGTT_TOTAL)
		return gpu_fail(EINVAL, "GGTT address 0x%llx beyond 4 GiB",
				(unsigned long long)gaddr);
	off = gpu_pte_offset(gaddr);
	/* Low half first: the high half commits the entry. */
	ret = gpu_wr(g, off, (uint32_t)pte);
	if (!ret)
		ret = gpu_wr(g, off + 4, (uint32_t)(pte >> 32));
	return ret;
}

int gpu_ggtt_read(struct gpu *g, uint64_t gaddr, uint64_t *pte)
{
	if (gaddr >= MVGPU_GGTT_TOTAL)
		return gpu_fail(EINVAL, "GGTT address 0x%llx beyond 4 GiB",
				(unsigned long long)gaddr);
	return gpu_rd64(g, gpu_pte_offset(gaddr), pte);
}

int gpu_ggtt_alloc(struct gpu *g, uint64_t size, uint64_t *gaddr)
{
	size = GPU_ALIGN(size);
	if (g->ggtt_next + size + GPU_GGTT_GUARD >
	    g->ggtt_base + g->ggtt_size)
		return gpu_fail(ENOSPC, "GGTT slice full (0x%llx bytes wanted)",
				(unsigned long long)size);
	*gaddr = g->ggtt_next;
	g->ggtt_next += size + GPU_GGTT_GUARD;
	return 0;
}

uint64_t gpu_bo_pte(const struct gpu_bo *bo, uint64_t off)
{
	uint64_t pte = MVGPU_PTE_PRESENT;

	if (!(bo->flags & GPU_BO_READONLY))
		pte |= MVGPU_PTE_WRITABLE;
	if (bo->flags & GPU_BO_LOCAL)
		return pte | MVGPU_PTE_LOCAL | (bo->local + off);
	return pte | (bo->iova + off);
}

int gpu_bo_bind_ggtt(struct gpu *g, struct gpu_bo *bo, uint64_t gaddr)
{
	uint64_t off;
	int ret;

	for (off = 0; off < bo->size; off += GPU_PAGE) {
		ret = gpu_ggtt_write(g, gaddr + off, gpu_bo_pte(bo, off));
		if (ret)
			return ret;
	}
	bo->gaddr = gaddr;
	return 0;
}

int gpu_bo_unbind_ggtt(struct gpu *g, struct gpu_bo *bo)
{
	uint64_t off;
	int ret;

	if (!bo->gaddr)
		return 0;
	for (off = 0; off < bo->size; off += GPU_PAGE) {
		ret = gpu_ggtt_write(g, bo->gaddr + off, 0);
		if (ret)
			return ret;
	}
	bo->gaddr = 0;
	return 0;
}

static int gpu_vram_map(struct gpu *g)
{
	void *p;

	if (g->vram)
		return 0;
	p = mv_region_mmap(&g->dev, VFIO_PCI_BAR2_REGION_INDEX, 0,
			   g->vram_size, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED)
		return gpu_fail(errno, "mmap BAR2: %s", mv_err());
	g->vram = p;
	return 0;
}

struct gpu_bo *gpu_bo_new(struct gpu *g, uint64_t size, unsigned int flags)
{
	struct gpu_bo *bo;
	uint64_t gaddr = 0;
	int ret;

	size = GPU_ALIGN(size ? size : 1);
	bo = calloc(1, sizeof(*bo));
	if (!bo) {
		gpu_fail(ENOMEM, "allocating a buffer object");
		return NULL;
	}
	bo->size = size;
	bo->flags = flags;
	if (flags & GPU_BO_LOCAL) {
		if (gpu_vram_map(g))
			goto err_free;
		if (g->local_next + size > g->vram_size) {
			gpu_fail(ENOSPC, "local memory full (0x%llx of 0x%llx used, 0x%llx wanted)",
				 (unsigned long long)g->local_next,
				 (unsigned long long)g->vram_size,
				 (unsigned long long)size);
			goto err_free;
		}
		bo->local = g->local_next;
		g->local_next += size;
		bo->cpu = g->vram + bo->local;
		memset(bo->cpu, 0, size);
	} else {
		bo->cpu = mv_dma_alloc(size);
		if (bo->cpu == MAP_FAILED) {
			bo->cpu = NULL;
			gpu_fail(ENOMEM, "%s", mv_err());
			goto err_free;
		}
		ret = mv_dma_map(&g->dev, bo->cpu, g->iova_next, size);
		if (ret) {
			gpu_fail_mv(ret, "DMA map");
			goto err_free;
		}
		bo->iova = g->iova_next;
		bo->dma_mapped = true;
		/* A hole between mappings: an overrun is a DMA fault. */
		g->iova_next += size + GPU_PAGE;
	}
	bo->next = g->bos;
	g->bos = bo;
	if (!(flags & GPU_BO_NO_GGTT)) {
		if (gpu_ggtt_alloc(g, size, &gaddr) ||
		    gpu_bo_bind_ggtt(g, bo, gaddr)) {
			gpu_bo_free(g, bo);
			return NULL;
		}
	}
	return bo;

err_free:
	gpu_bo_release(g, bo);
	return NULL;
}

int gpu_bo_dma_unmap(struct gpu *g, struct gpu_bo *bo)
{
	int ret;

	if (!bo->dma_mapped)
		return 0;
	ret = mv_dma_unmap(&g->dev, bo->iova, bo->size);
	if (ret)
		return gpu_fail_mv(ret, "DMA unmap");
	bo->dma_mapped = false;
	return 0;
}

void gpu_bo_free(struct gpu *g, struct gpu_bo *bo)
{
	struct gpu_bo **pp;

	if (!bo)
		return;
	if (g->dev.fd >= 0) {
		gpu_bo_unbind_ggtt(g, bo);
		gpu_bo_dma_unmap(g, bo);
	}
	for (pp = &g->bos; *pp; pp = &(*pp)->next) {
		if (*pp == bo) {
			*pp = bo->next;
			break;
		}
	}
	gpu_bo_release(g, bo);
}

/* ---- PPGTT ---------------------------------------------------------------- */

int gpu_ppgtt_init(struct gpu *g)
{
	if (g->pt_pool)
		return 0;
	g->pt_pool = gpu_bo_new(g, GPU_PT_POOL_PAGES * GPU_PAGE,
				GPU_BO_NO_GGTT);
	if (!g->pt_pool)
		return -errno;
	g->pt_used = 1;		/* page 0: the PML4 */
	return 0;
}

uint64_t gpu_ppgtt_desc(struct gpu *g)
{
	return g->pt_pool->iova | MVGPU_CTX_DESC_VALID;
}

int gpu_ppgtt_enable(struct gpu *g, unsigned int e, uint64_t desc)
{
	int ret;

	ret = gpu_ewr(g, e, MVGPU_CTX_DESC_LO, (uint32_t)desc);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_CTX_DESC_HI, (uint32_t)(desc >> 32));
	return ret;
}

/* CPU pointer of the table page at DMA address @dma, NULL if not ours. */
static uint64_t *gpu_pt_ptr(struct gpu *g, uint64_t dma)
{
	struct gpu_bo *p = g->pt_pool;

	if (dma < p->iova || dma >= p->iova + (uint64_t)g->pt_used * GPU_PAGE)
		return NULL;
	return (uint64_t *)((uint8_t *)p->cpu + (dma - p->iova));
}

uint64_t *gpu_ppgtt_entry(struct gpu *g, uint64_t gaddr, unsigned int level)
{
	uint64_t *table;
	unsigned int l, idx;

	if (!g->pt_pool || level >= MVGPU_PPGTT_LEVELS ||
	    gaddr >> MVGPU_PPGTT_ADDR_BITS) {
		gpu_fail(EINVAL, "PPGTT entry of 0x%llx at level %u",
			 (unsigned long long)gaddr, level);
		return NULL;
	}
	table = g->pt_pool->cpu;
	for (l = 0; ; l++) {
		idx = (gaddr >> (39 - 9 * l)) & (MVGPU_PPGTT_ENTRIES - 1);
		if (l == level)
			return &table[idx];
		if (!(table[idx] & MVGPU_PTE_PRESENT)) {
			if (g->pt_used >= GPU_PT_POOL_PAGES) {
				gpu_fail(ENOSPC, "PPGTT page table pool exhausted");
				return NULL;
			}
			table[idx] = (g->pt_pool->iova +
				      (uint64_t)g->pt_used * GPU_PAGE) |
				     MVGPU_PTE_PRESENT | MVGPU_PTE_WRITABLE;
			g->pt_used++;
		}
		table = gpu_pt_ptr(g, table[idx] & MVGPU_PTE_ADDR_MASK);
		if (!table) {
			gpu_fail(EINVAL, "PPGTT directory of 0x%llx at level %u points outside the pool",
				 (unsigned long long)gaddr, l + 1);
			return NULL;
		}
	}
}

int gpu_ppgtt_set(struct gpu *g, uint64_t gaddr, uint64_t pte)
{
	uint64_t *e = gpu_ppgtt_entry(g, gaddr, MVGPU_PPGTT_LEVELS - 1);

	if (!e)
		return -errno;
	*e = pte;
	return 0;
}

int gpu_ppgtt_bind(struct gpu *g, struct gpu_bo *bo, uint64_t gaddr,
		   bool writable)
{
	uint64_t off, pte;
	int ret;

	for (off = 0; off < bo->size; off += GPU_PAGE) {
		pte = gpu_bo_pte(bo, off);
		if (!writable)
			pte &= ~MVGPU_PTE_WRITABLE;
		ret = gpu_ppgtt_set(g, gaddr + off, pte);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- rings ---------------------------------------------------------------- */

int gpu_ring_init(struct gpu *g, unsigned int e, uint32_t size)
{
	struct gpu_ring *r = &g->ring[e];
	uint32_t st;
	int ret;

	if (e >= MVGPU_NUM_ENGINES || size < MVGPU_RING_SIZE_MIN ||
	    size > MVGPU_RING_SIZE_MAX || size % GPU_PAGE)
		return gpu_fail(EINVAL, "ring %u of %u bytes", e, size);
	memset(r, 0, sizeof(*r));
	r->engine = e;
	r->size = size;
	r->bo = gpu_bo_new(g, size, 0);
	if (!r->bo)
		return -errno;
	r->hws = gpu_bo_new(g, GPU_PAGE, 0);
	if (!r->hws)
		return -errno;
	ret = gpu_ewr(g, e, MVGPU_RING_CTL, 0);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_RING_HEAD, 0);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_RING_TAIL, 0);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_RING_START, (uint32_t)r->bo->gaddr);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_RING_HWS,
			      (uint32_t)r->hws->gaddr | MVGPU_RING_HWS_VALID);
	if (!ret)
		ret = gpu_ewr(g, e, MVGPU_RING_CTL,
			      MVGPU_RING_CTL_SIZE(size) | MVGPU_RING_CTL_ENABLE);
	if (!ret)
		ret = gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st);
	if (ret)
		return ret;
	if ((st & (MVGPU_ENGINE_STATUS_ENABLED | MVGPU_ENGINE_STATUS_HALTED |
		   MVGPU_ENGINE_STATUS_BUSY)) != MVGPU_ENGINE_STATUS_ENABLED)
		return gpu_fail(EIO, "engine %u status 0x%x after enabling its ring",
				e, st);
	return 0;
}

static uint32_t gpu_ring_free(const struct gpu_ring *r, uint32_t head)
{
	/* Keep a gap: tail == head means empty, never full. */
	if (head > r->tail)
		return head - r->tail - 8;
	return r->size - r->tail + head - 8;
}

int gpu_ring_emit(struct gpu *g, unsigned int e, const uint32_t *dw,
		  size_t n)
{
	struct gpu_ring *r = &g->ring[e];
	uint64_t deadline = gpu_now_ms() + GPU_WAIT_MS;
	unsigned int sleep_us = 0;
	uint32_t *ring = r->bo->cpu;
	uint32_t head, st;
	size_t i;
	int ret;

	if (n * 4 + 16 > r->size)
		return gpu_fail(E2BIG, "%zu dwords do not fit a ring of %u bytes",
				n, r->size);
	for (;;) {
		ret = gpu_erd(g, e, MVGPU_RING_HEAD, &head);
		if (ret)
			return ret;
		head &= MVGPU_RING_HEAD_MASK;
		if (head >= r->size)
			return gpu_fail(EIO, "RING_HEAD 0x%x beyond the ring", head);
		if (gpu_ring_free(r, head) >= n * 4 + 8)
			break;
		ret = gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st);
		if (ret)
			return ret;
		if (st & MVGPU_ENGINE_STATUS_HALTED)
			return gpu_fail(EIO, "engine %u halted while waiting for ring space",
					e);
		if (gpu_now_ms() > deadline)
			return gpu_fail(ETIMEDOUT, "no ring space on engine %u for %d ms (head 0x%x tail 0x%x)",
					e, GPU_WAIT_MS, head, r->tail);
		gpu_poll_sleep(&sleep_us);
	}
	for (i = 0; i < n; i++) {
		ring[r->tail / 4] = dw[i];
		r->tail = (r->tail + 4) % r->size;
	}
	return 0;
}

int gpu_ring_kick(struct gpu *g, unsigned int e)
{
	struct gpu_ring *r = &g->ring[e];
	static const uint32_t noop = MVGPU_MI_NOOP;
	int ret;

	if (r->tail % 8) {
		ret = gpu_ring_emit(g, e, &noop, 1);
		if (ret)
			return ret;
	}
	return gpu_ewr(g, e, MVGPU_RING_TAIL, r->tail);
}

int gpu_queue(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n,
	      uint32_t *seqno)
{
	struct gpu_ring *r = &g->ring[e];
	struct gpu_cmds c;
	uint32_t *p;
	int ret;

	gpu_cmds_init(&c);
	p = gpu_cmds_add(&c, n);
	if (p)
		memcpy(p, dw, n * 4);
	gpu_emit_breadcrumb(&c, e, r->hws->gaddr, r->seqno + 1);
	gpu_emit(&c, MVGPU_MI_USER_INTERRUPT);
	if (c.oom) {
		gpu_cmds_fini(&c);
		return gpu_fail(ENOMEM, "building a request");
	}
	ret = gpu_ring_emit(g, e, c.dw, c.len);
	gpu_cmds_fini(&c);
	if (ret)
		return ret;
	r->seqno++;
	if (seqno)
		*seqno = r->seqno;
	return 0;
}

int gpu_submit(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n,
	       uint32_t *seqno)
{
	int ret = gpu_queue(g, e, dw, n, seqno);

	return ret ? ret : gpu_ring_kick(g, e);
}

int gpu_submit_batch(struct gpu *g, unsigned int e, uint64_t gaddr,
		     uint32_t bb_flags, uint32_t *seqno)
{
	struct gpu_cmds c;
	int ret;

	gpu_cmds_init(&c);
	gpu_emit_bb_start(&c, gaddr, bb_flags);
	ret = c.oom ? gpu_fail(ENOMEM, "building a request") :
		      gpu_submit(g, e, c.dw, c.len, seqno);
	gpu_cmds_fini(&c);
	return ret;
}

uint32_t gpu_seqno_read(struct gpu *g, unsigned int e)
{
	volatile uint32_t *hws = g->ring[e].hws->cpu;

	return hws[MVGPU_HWS_SEQNO / 4];
}

static int gpu_check_halted(struct gpu *g, unsigned int e)
{
	char desc[512];
	uint32_t st;
	int ret;

	ret = gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st);
	if (ret)
		return ret;
	if (st & MVGPU_ENGINE_STATUS_HALTED) {
		gpu_engine_describe(g, e, desc, sizeof(desc));
		return gpu_fail(EIO, "engine %u halted: %s", e, desc);
	}
	return 0;
}

int gpu_wait_seqno(struct gpu *g, unsigned int e, uint32_t seqno,
		   unsigned int timeout_ms)
{
	uint64_t start = gpu_now_ms(), next_check = start + 20;
	unsigned int sleep_us = 0;
	char desc[512];
	int ret;

	for (;;) {
		if ((int32_t)(gpu_seqno_read(g, e) - seqno) >= 0)
			return 0;
		if (gpu_now_ms() >= next_check) {
			ret = gpu_check_halted(g, e);
			if (ret)
				return ret;
			next_check = gpu_now_ms() + 20;
		}
		if (gpu_now_ms() - start > timeout_ms) {
			gpu_engine_describe(g, e, desc, sizeof(desc));
			return gpu_fail(ETIMEDOUT, "seqno %u not reached on engine %u within %u ms (at %u): %s",
					seqno, e, timeout_ms,
					gpu_seqno_read(g, e), desc);
		}
		gpu_poll_sleep(&sleep_us);
	}
}

int gpu_wait_idle(struct gpu *g, unsigned int e, unsigned int timeout_ms)
{
	uint64_t start = gpu_now_ms();
	unsigned int sleep_us = 0;
	char desc[512];
	uint32_t st;
	int ret;

	for (;;) {
		ret = gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st);
		if (ret)
			return ret;
		if (st & MVGPU_ENGINE_STATUS_HALTED) {
			gpu_engine_describe(g, e, desc, sizeof(desc));
			return gpu_fail(EIO, "engine %u halted: %s", e, desc);
		}
		if (!(st & MVGPU_ENGINE_STATUS_BUSY))
			return 0;
		if (gpu_now_ms() - start > timeout_ms) {
			gpu_engine_describe(g, e, desc, sizeof(desc));
			return gpu_fail(ETIMEDOUT, "engine %u busy after %u ms: %s",
					e, timeout_ms, desc);
		}
		gpu_poll_sleep(&sleep_us);
	}
}

int gpu_wait_halt(struct gpu *g, unsigned int e, unsigned int timeout_ms,
		  struct gpu_fault *f)
{
	uint64_t start = gpu_now_ms();
	unsigned int sleep_us = 0;
	char desc[512];
	uint32_t st;
	int ret;

	for (;;) {
		ret = gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st);
		if (ret)
			return ret;
		if (st & MVGPU_ENGINE_STATUS_HALTED)
			return f ? gpu_fault_read(g, e, f) : 0;
		if (gpu_now_ms() - start > timeout_ms) {
			gpu_engine_describe(g, e, desc, sizeof(desc));
			if (f)
				gpu_fault_read(g, e, f);
			return gpu_fail(ETIMEDOUT, "engine %u not halted after %u ms: %s",
					e, timeout_ms, desc);
		}
		gpu_poll_sleep(&sleep_us);
	}
}

int gpu_run(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n)
{
	uint32_t seqno;
	int ret;

	ret = gpu_submit(g, e, dw, n, &seqno);
	if (!ret)
		ret = gpu_wait_seqno(g, e, seqno, GPU_WAIT_MS);
	return ret;
}

int gpu_run_batch(struct gpu *g, unsigned int e, uint64_t gaddr,
		  uint32_t bb_flags)
{
	uint32_t seqno;
	int ret;

	ret = gpu_submit_batch(g, e, gaddr, bb_flags, &seqno);
	if (!ret)
		ret = gpu_wait_seqno(g, e, seqno, GPU_WAIT_MS);
	return ret;
}

/* ---- faults --------------------------------------------------------------- */

int gpu_fault_read(struct gpu *g, unsigned int e, struct gpu_fault *f)
{
	uint32_t b = MVGPU_ENGINE_BASE(e);
	int ret;

	memset(f, 0, sizeof(*f));
	ret = gpu_rd(g, b + MVGPU_FAULT_STATUS, &f->status);
	if (!ret)
		ret = gpu_rd(g, b + MVGPU_FAULT_INSTR, &f->instr);
	if (!ret)
		ret = gpu_rd64(g, b + MVGPU_FAULT_ADDR_LO, &f->addr);
	if (!ret)
		ret = gpu_rd64(g, b + MVGPU_FAULT_CMD_LO, &f->cmd);
	if (!ret)
		ret = gpu_rd(g, b + MVGPU_ENGINE_STATUS, &f->engine_status);
	if (!ret)
		ret = gpu_rd(g, b + MVGPU_RING_HEAD, &f->head);
	if (!ret)
		ret = gpu_rd(g, b + MVGPU_RING_TAIL, &f->tail);
	return ret;
}

int gpu_engine_reset(struct gpu *g, unsigned int e)
{
	uint32_t tail;
	int ret;

	ret = gpu_ewr(g, e, MVGPU_ENGINE_RESET, MVGPU_ENGINE_RESET_KEY);
	if (!ret)
		ret = gpu_erd(g, e, MVGPU_RING_TAIL, &tail);
	if (ret)
		return ret;
	g->ring[e].tail = tail & MVGPU_RING_TAIL_MASK;
	if (g->ring[e].size)
		g->ring[e].tail %= g->ring[e].size;
	return 0;
}

void gpu_engine_describe(struct gpu *g, unsigned int e, char *buf,
			 size_t len)
{
	struct gpu_fault f;
	uint32_t ctl = 0, start = 0;

	if (gpu_fault_read(g, e, &f) ||
	    gpu_erd(g, e, MVGPU_RING_CTL, &ctl) ||
	    gpu_erd(g, e, MVGPU_RING_START, &start)) {
		snprintf(buf, len, "registers unreadable");
		return;
	}
	snprintf(buf, len,
		 "status 0x%x head 0x%x tail 0x%x (sw 0x%x) start 0x%x ctl 0x%x; fault 0x%x (%s) instr 0x%08x addr 0x%llx cmd 0x%llx",
		 f.engine_status, f.head, f.tail, g->ring[e].tail, start, ctl,
		 f.status, gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK),
		 f.instr, (unsigned long long)f.addr,
		 (unsigned long long)f.cmd);
}

/* ---- interrupts ----------------------------------------------------------- */

/* Acknowledge everything pending, remembering it, until the status reads 0. */
static int gpu_irq_drain(struct gpu *g)
{
	uint32_t s;
	int i, ret;

	for (i = 0; i < 64; i++) {
		ret = gpu_rd(g, MVGPU_REG_IRQ_STATUS, &s);
		if (ret)
			return ret;
		if (!s)
			return 0;
		g->irq_seen |= s;
		ret = gpu_wr(g, MVGPU_REG_IRQ_STATUS, s);
		if (ret)
			return ret;
	}
	return gpu_fail(EIO, "IRQ_STATUS does not clear (0x%x)", s);
}

int gpu_irq_init(struct gpu *g, bool msi, uint32_t enable)
{
	uint32_t ctrl, cmd;
	int ret, efd;

	ret = gpu_wr(g, MVGPU_REG_IRQ_ENABLE, 0);
	if (!ret)
		ret = gpu_wr(g, MVGPU_REG_IRQ_STATUS, ~0u);
	if (ret)
		return ret;
	ret = mv_cfg_write(&g->dev, GPU_MSI_ADDR_LO, 4, 0xfee00000);
	if (!ret)
		ret = mv_cfg_write(&g->dev, GPU_MSI_ADDR_HI, 4, 0);
	if (!ret)
		ret = mv_cfg_write(&g->dev, GPU_MSI_DATA, 2, 0x0041);
	if (!ret)
		ret = mv_cfg_read(&g->dev, GPU_MSI_CTRL, 2, &ctrl);
	if (!ret)
		ret = mv_cfg_write(&g->dev, GPU_MSI_CTRL, 2,
				   msi ? ctrl | PCI_MSI_FLAGS_ENABLE :
					 ctrl & ~PCI_MSI_FLAGS_ENABLE);
	if (!ret)
		ret = mv_cfg_read(&g->dev, PCI_COMMAND, 2, &cmd);
	if (!ret)
		ret = mv_cfg_write(&g->dev, PCI_COMMAND, 2,
				   (cmd | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER) &
				   ~PCI_COMMAND_INTX_DISABLE);
	if (ret)
		return gpu_fail_mv(ret, "interrupt config space");
	if (g->irq_fd < 0) {
		efd = mv_eventfd();
		if (efd < 0)
			return gpu_fail_mv(efd, "eventfd");
		g->irq_fd = efd;
	}
	ret = mv_irq_set_eventfd(&g->dev, msi ? VFIO_PCI_MSI_IRQ_INDEX :
						VFIO_PCI_INTX_IRQ_INDEX,
				 g->irq_fd);
	if (ret)
		return gpu_fail_mv(ret, "SET_IRQS");
	g->irq_msi = msi;
	g->irq_seen = 0;
	return gpu_wr(g, MVGPU_REG_IRQ_ENABLE, enable);
}

int gpu_irq_clear(struct gpu *g)
{
	uint64_t cnt;
	int ret;

	g->irq_seen = 0;
	ret = gpu_irq_drain(g);
	/* Signals of sources already drained: consume them too. */
	if (!ret && g->irq_fd >= 0 &&
	    read(g->irq_fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		ret = gpu_fail(errno, "read interrupt eventfd");
	return ret;
}

int gpu_irq_wait(struct gpu *g, uint32_t want, unsigned int timeout_ms,
		 uint32_t *got)
{
	uint64_t start = gpu_now_ms(), cnt, now;
	int ret;

	*got = 0;
	for (;;) {
		/*
		 * Drain before sleeping: a source raised while another was
		 * still pending made no new edge, so no new message.
		 */
		ret = gpu_irq_drain(g);
		if (ret)
			return ret;
		if (!g->irq_msi) {
			ret = mv_irq_unmask(&g->dev, VFIO_PCI_INTX_IRQ_INDEX);
			if (ret)
				return gpu_fail_mv(ret, "INTx unmask");
		}
		if (g->irq_seen & want) {
			*got = g->irq_seen & want;
			g->irq_seen &= ~want;
			return 1;
		}
		now = gpu_now_ms();
		if (now - start >= timeout_ms)
			return 0;
		ret = mv_eventfd_wait(g->irq_fd, timeout_ms - (now - start),
				      &cnt);
		if (ret < 0)
			return gpu_fail_mv(ret, "interrupt eventfd");
	}
}

/* ---- commands ------------------------------------------------------------- */

int gpu_cmds_store(const struct gpu_cmds *c, struct gpu_bo *bo,
		   uint64_t off)
{
	if (c->oom)
		return gpu_fail(ENOMEM, "command buffer allocation failed");
	if (off + c->len * 4 > bo->size)
		return gpu_fail(ENOSPC, "%zu dwords at 0x%llx overflow a 0x%llx-byte buffer",
				c->len, (unsigned long long)off,
				(unsigned long long)bo->size);
	memcpy((uint8_t *)bo->cpu + off, c->dw, c->len * 4);
	return 0;
}

/* ---- write prediction check ----------------------------------------------- */

#define GPU_WPRED_PATH	"/sys/kernel/debug/mvgpu/writes"

static int gpu_wpred_cmd(const char *cmd)
{
	FILE *f = fopen(GPU_WPRED_PATH, "w");
	int ret = 0;

	if (!f)
		return gpu_fail(errno, "open %s: %s", GPU_WPRED_PATH,
				strerror(errno));
	if (fputs(cmd, f) < 0)
		ret = errno;
	if (fclose(f) && !ret)
		ret = errno;
	if (ret)
		return gpu_fail(ret, "write \"%s\" to %s: %s", cmd,
				GPU_WPRED_PATH, strerror(ret));
	return 0;
}

int gpu_wpred_arm(const char *uuid)
{
	char cmd[80];

	snprintf(cmd, sizeof(cmd), "on%s%s", uuid ? " " : "",
		 uuid ? uuid : "");
	return gpu_wpred_cmd(cmd);
}

int gpu_wpred_disarm(void)
{
	return gpu_wpred_cmd("off");
}

int gpu_wpred_read(struct gpu_wpred *w)
{
	FILE *f = fopen(GPU_WPRED_PATH, "r");
	char line[160], key[32], val[96];
	unsigned int fields = 0;

	if (!f)
		return gpu_fail(errno, "open %s: %s", GPU_WPRED_PATH,
				strerror(errno));
	memset(w, 0, sizeof(*w));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "%31s %95[^\n]", key, val) != 2)
			continue;
		v = strtoull(val, NULL, 0);
		if (!strcmp(key, "armed"))
			w->armed = v, fields++;
		else if (!strcmp(key, "workloads"))
			w->workloads = v, fields++;
		else if (!strcmp(key, "unchecked"))
			w->unchecked = v, fields++;
		else if (!strcmp(key, "pages_predicted"))
			w->predicted = v, fields++;
		else if (!strcmp(key, "pages_written"))
			w->written = v, fields++;
		else if (!strcmp(key, "misses"))
			w->misses = v, fields++;
		else if (!strcmp(key, "miss") && !w->first_miss[0])
			snprintf(w->first_miss, sizeof(w->first_miss), "%s",
				 val);
	}
	fclose(f);
	if (fields != 6)
		return gpu_fail(EPROTO, "%s: %u of 6 counters", GPU_WPRED_PATH,
				fields);
	return 0;
}
