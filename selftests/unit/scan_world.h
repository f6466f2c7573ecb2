/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed vGPU memory in which a command stream (a "blob": configuration,
 * ring bytes, batch bytes) is checked by running both the scanner
 * (gvt/scan.c) and the executor (gvt/exec.c) on it and comparing:
 *  - the executor ran the ring dry: the scanner must have accepted, and
 *    every page the executor changed must be in the predicted write set;
 *  - the executor faulted: the scanner must have rejected with the same
 *    report (status, instruction, address, command address);
 *  - the scanner found a loop: the executor must not finish or fault.
 * Ring and batch pages are mapped read-only, page tables are not mapped,
 * so commands can only write data pages: then the executor, running guest
 * memory, sees exactly the bytes the scanner copied.
 *
 * Used by the unit tests (selftests/unit/test_scan.c), the fuzzer
 * (selftests/fuzz/fuzz_scan.c) and its corpus generator.
 */
#ifndef _MVGPU_SCAN_WORLD_H
#define _MVGPU_SCAN_WORLD_H

#include <stddef.h>

#include "exec_fake.h"
#include "mvgpu_scan.h"

/* GGTT view: data pages, and the batch area (read-only). */
#define WORLD_GDATA		(FAKE_GGTT_BASE + 0x100000)
#define WORLD_GBATCH		(FAKE_GGTT_BASE + 0x200000)
/* PPGTT view: data pages and the same batch area, high bits set. */
#define WORLD_PDATA		0x0000123456000000ull
#define WORLD_PBATCH		0x00007fff00000000ull
#define WORLD_DATA_PAGES	16
/* Data page 5 is read-only, 6 not present, 7 not mapped by the VMM. */
#define WORLD_PAGE_RO		5
#define WORLD_PAGE_ABSENT	6
#define WORLD_PAGE_NODMA	7
#define WORLD_BATCH_PAGES	8

/* Blob layout: config (8 bytes), ring (FAKE_RING_SIZE), batch area. */
#define WORLD_CFG_BYTES		8
#define WORLD_RING_BYTES	FAKE_RING_SIZE
#define WORLD_BATCH_BYTES	(WORLD_BATCH_PAGES * FAKE_PAGE)
#define WORLD_BLOB_MAX		(WORLD_CFG_BYTES + WORLD_RING_BYTES + \
				 WORLD_BATCH_BYTES)
/* Config byte 0. */
#define WORLD_CFG_BCS		0x01	/* blitter (else render) */
#define WORLD_CFG_NO_PPGTT	0x02	/* CTX_DESC not valid */
#define WORLD_CFG_STRICT	0x04	/* MVGPU_SCAN_PPGTT_NO_GGTT */
#define WORLD_CFG_NO_HWS	0x08	/* RING_HWS not valid */
/* Bytes 2..3: head / 4; bytes 4..5: tail / 8 (both modulo the ring). */

/* Outcomes of world_check(). */
enum world_outcome {
	WORLD_SAME_OK,		/* both ran it */
	WORLD_SAME_FAULT,	/* both stopped at the same fault */
	WORLD_LOOP,		/* scanner: loop; executor did not finish */
	WORLD_UNDECIDED,	/* executor waits or yields; scanner limit */
	WORLD_MISMATCH,		/* a bug: see the message */
};

struct world {
	struct fake *f;
	struct mvgpu_scan sc;
	struct mvgpu_scan_workload wl;
	u64 ctx_desc;
	u64 gdata_dma;
	u64 pdata_dma;
	u64 batch_dma;
	long live_allocs;
	long fail_alloc_after;	/* -1: never fail */
	u8 *before;
	char msg[256];
};

struct world *world_new(void);
void world_free(struct world *w);
/* Load a blob (shorter blobs are zero padded), reset the engine. */
void world_load(struct world *w, const u8 *blob, size_t size);
/* Scan only; returns mvgpu_scan_workload()'s result (wl is kept). */
int world_scan(struct world *w);
/* Scan and execute the loaded blob and compare. */
enum world_outcome world_check(struct world *w);

/* The same scan result (a reused workload against a fresh one). */
bool world_same(const struct mvgpu_scan_workload *a,
		const struct mvgpu_scan_workload *b);

/* Generate a structured random blob into @out; returns its size. */
size_t world_gen(u64 *seed, u8 *out, size_t cap);

#endif /* _MVGPU_SCAN_WORLD_H */
