/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake vGPU memory for the executor's unit tests: a GGTT slice, DMA pages
 * and local memory, PPGTT tables built on demand, a ring, a settable clock.
 *
 * The fake reaches graphics memory through its own page walk (fake_gptr()),
 * written independently of gvt/xlate.c, so tests can put commands and
 * data anywhere and check results without trusting the code under test.
 */
#ifndef _MVGPU_EXEC_FAKE_H
#define _MVGPU_EXEC_FAKE_H

#include "mvgpu_exec.h"

#define FAKE_PAGE		4096ull
/* The vGPU's GGTT slice. */
#define FAKE_GGTT_BASE		(16ull << 20)
#define FAKE_GGTT_SIZE		(256ull << 20)
/* DMA (guest physical) addresses start at 4 GiB to exercise the high bits. */
#define FAKE_DMA_BASE		(1ull << 32)
#define FAKE_DMA_DEFAULT_PAGES	2048		/* 8 MiB */
#define FAKE_LOCAL_PAGES	64		/* 256 KiB of local memory */

/* Per-DMA-page behaviour of map_page(). */
#define FAKE_DMA_UNMAPPED	1u	/* the VMM never mapped it: DMA fault */
#define FAKE_DMA_NO_WRITE	2u	/* mapped read-only: writes DMA fault */

/* The ring the tests use: 2 pages at this GGTT address. */
#define FAKE_RING_GADDR		FAKE_GGTT_BASE
#define FAKE_RING_SIZE		(2 * FAKE_PAGE)
#define FAKE_HWS_GADDR		(FAKE_GGTT_BASE + 0x10000)

/**
 * struct fake - the memory, the callbacks' counters and one engine
 * @dma: DMA memory, @dma_pages pages from FAKE_DMA_BASE
 * @dma_pages: its size in pages
 * @dma_flags: FAKE_DMA_* per DMA page
 * @dma_write_maps: per DMA page, map_page() calls with write set
 * @local: local memory, FAKE_LOCAL_PAGES pages
 * @ggtt: PTEs of the slice [FAKE_GGTT_BASE, + FAKE_GGTT_SIZE)
 * @next_data: next free DMA page from the bottom (fake_dma_alloc())
 * @next_table: next free DMA page from the top (PPGTT tables)
 * @now: the clock
 * @clock_step: added to @now after every read
 * @map_calls: map_page() calls
 * @ggtt_calls: ggtt_pte() calls
 * @now_calls: now_ns() calls
 * @ex: the executor under test
 * @st: its engine state
 * @ring: its ring registers
 * @ev: events of the last fake_run()
 * @wptr: where the next fake_emit() writes in the ring
 */
struct fake {
	u8 *dma;
	unsigned int dma_pages;
	u8 *dma_flags;
	unsigned int *dma_write_maps;
	u8 *local;
	u64 *ggtt;
	unsigned int next_data;
	unsigned int next_table;
	u64 now;
	u64 clock_step;
	unsigned long map_calls;
	unsigned long ggtt_calls;
	unsigned long now_calls;
	struct mvgpu_exec ex;
	struct mvgpu_exec_state st;
	struct mvgpu_exec_ring ring;
	struct mvgpu_exec_events ev;
	u32 wptr;
};

/* Create with @dma_pages of DMA memory (0: the default), a ring set up. */
struct fake *fake_new(unsigned int engine, unsigned int dma_pages);
void fake_free(struct fake *f);

/* Allocate @pages zeroed, contiguous DMA pages; returns the DMA address. */
u64 fake_dma_alloc(struct fake *f, unsigned int pages);
/* CPU pointer of a DMA address (aborts outside DMA memory). */
void *fake_dma(struct fake *f, u64 dma);
/* CPU pointer of a local memory offset. */
void *fake_local(struct fake *f, u64 off);
void fake_dma_set_flags(struct fake *f, u64 dma, u8 flags);

/* GGTT PTE of @gaddr (inside the slice). */
void fake_ggtt_set(struct fake *f, u64 gaddr, u64 pte);
u64 fake_ggtt_get(struct fake *f, u64 gaddr);
/* Map [@gaddr, + @size) to consecutive pages from @addr with @flags. */
void fake_ggtt_map(struct fake *f, u64 gaddr, u64 addr, u64 size, u64 flags);
/* Allocate DMA for [@gaddr, + @size) and map it present and writable. */
u64 fake_ggtt_back(struct fake *f, u64 gaddr, u64 size);

/* Create the PML4 and make CTX_DESC valid. */
void fake_ppgtt_enable(struct fake *f);
/* Leaf PTE of @gaddr, creating directories as needed. */
void fake_ppgtt_set(struct fake *f, u64 gaddr, u64 pte);
void fake_ppgtt_map(struct fake *f, u64 gaddr, u64 addr, u64 size,
		    u64 flags);
u64 fake_ppgtt_back(struct fake *f, u64 gaddr, u64 size);
/*
 * The entry for @gaddr at @level (0 PML4 .. 3 PT), NULL if a level above
 * is missing: lets tests break directories.
 */
u64 *fake_ppgtt_entry(struct fake *f, u64 gaddr, unsigned int level);

/*
 * CPU pointer to the byte at @gaddr through the fake's own walk, ignoring
 * permissions; NULL if unmapped.
 */
void *fake_gptr(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr);
u32 fake_get32(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr);
u64 fake_get64(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr);
void fake_put32(struct fake *f, enum mvgpu_xlate_space space, u64 gaddr,
		u32 val);

/* Ring: append dwords at wptr (wrapping), then move the tail there. */
void fake_emit(struct fake *f, unsigned int n, const u32 *dw);
/* Pad to 8 bytes with MI_NOOP and set ring.tail = wptr. */
void fake_submit(struct fake *f);
/* Put the ring's head, tail and wptr at @off (an empty ring). */
void fake_ring_seek(struct fake *f, u32 off);

/* One slice. */
enum mvgpu_exec_result fake_run(struct fake *f, u64 budget_ns);
/*
 * Slices with an unlimited budget until not YIELD (at most @max); the
 * events of all slices are summed in f->ev.
 */
enum mvgpu_exec_result fake_run_all(struct fake *f, unsigned int max);

/* A batch buffer writer at a graphics address. */
struct fake_batch {
	struct fake *f;
	enum mvgpu_xlate_space space;
	u64 start;
	u64 pos;
};

void fake_batch_init(struct fake_batch *b, struct fake *f,
		     enum mvgpu_xlate_space space, u64 gaddr);
void fake_batch_emit(struct fake_batch *b, unsigned int n, const u32 *dw);

/* Variadic helpers: EMIT(f, dw0, dw1, ...), BATCH(b, dw0, ...). */
#define FAKE_DWS(...)	((const u32[]){ __VA_ARGS__ })
#define FAKE_NDW(...)	(sizeof(FAKE_DWS(__VA_ARGS__)) / sizeof(u32))
#define EMIT(f, ...)	fake_emit((f), FAKE_NDW(__VA_ARGS__), FAKE_DWS(__VA_ARGS__))
#define BATCH(b, ...)	fake_batch_emit((b), FAKE_NDW(__VA_ARGS__),	\
					FAKE_DWS(__VA_ARGS__))

/* A small deterministic PRNG (xorshift64*) for the randomised tests. */
u64 fake_rand(u64 *state);

#endif /* _MVGPU_EXEC_FAKE_H */
