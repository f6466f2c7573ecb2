/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command scanner (gvt/scan.c) and the Gen9 decode tables
 * (gvt/cmd_table.c).
 *
 * Before the reference engine executes a workload (the ring bytes
 * [head, tail) and every batch they reach), the scanner copies those bytes
 * into host-owned shadow buffers, decodes the shadows with the same rules as
 * gvt/exec.c, audits every memory operand through the same translation
 * (mvgpu_xlate()), and predicts the guest pages the workload may write.  The
 * executor then runs the shadows only, so the guest cannot change a command
 * between its check and its execution.
 *
 * Pure logic like the executor: no lock, no sleep of its own (ops->alloc may
 * sleep if the caller's allocator does), memory reached only through
 * struct mvgpu_exec_ops (translation) and struct mvgpu_scan_ops
 * (allocation).  Builds in the module and in userspace.
 * Documentation/scanner.rst is the manual.
 */
#ifndef _MVGPU_SCAN_H
#define _MVGPU_SCAN_H

#include "mvgpu_exec.h"

/*
 * Two fault types of uapi/mvgpu_hw.h exist for the scanner only:
 * MVGPU_FAULT_BATCH_LOOP, a batch chain that comes back to a batch already
 * on its way (the executor would spin until the watchdog), and
 * MVGPU_FAULT_SCAN_LIMIT, a workload that exceeds one of the caller's
 * limits (struct mvgpu_scan_limits).
 */

/* ------------------------------------------------------------------ */
/* Gen9 decode tables (gvt/cmd_table.c)                                */

/* Gen9 engines a command exists on (MVGPU_CMD_* engine masks). */
#define MVGPU_CMD_RCS		BIT(0)	/* render (3D, media, GPGPU) */
#define MVGPU_CMD_BCS		BIT(1)	/* blitter */
#define MVGPU_CMD_VCS		BIT(2)	/* video decode/encode */
#define MVGPU_CMD_VECS		BIT(3)	/* video enhancement */
#define MVGPU_CMD_ALL		0xf

/* How a command's length is encoded. */
enum mvgpu_cmd_len {
	MVGPU_CMD_LEN_FIXED,	/* @len_bias dwords, no length field */
	MVGPU_CMD_LEN_FIELD,	/* (header & @len_mask) + @len_bias dwords */
};

/**
 * struct mvgpu_cmd_field - a named header or operand field
 * @name: field name for decoders
 * @dw: dword index in the command
 * @lo: lowest bit
 * @hi: highest bit
 */
struct mvgpu_cmd_field {
	const char *name;
	u8 dw;
	u8 lo;
	u8 hi;
};

/**
 * struct mvgpu_cmd_exec - the executor's rule for a command it runs
 * @mask: header bits that identify the command (as gvt/exec.c)
 * @value: their value
 * @len_mask: length field, 0 for one-dword commands
 * @len_min: smallest allowed length field
 * @len_max: largest allowed length field
 * @engines: mvgpu engines (BIT(MVGPU_ENGINE_*)) that execute it
 * @odd: the length field must be odd (MI_LOAD_REGISTER_IMM)
 */
struct mvgpu_cmd_exec {
	u32 mask;
	u32 value;
	u32 len_mask;
	u8 len_min;
	u8 len_max;
	u8 engines;
	bool odd;
};

/* Executor commands, the value of struct mvgpu_cmd_desc's @id. */
enum mvgpu_cmd_id {
	MVGPU_CMD_NONE,		/* not executed by the reference engine */
	MVGPU_CMD_NOOP,
	MVGPU_CMD_USER_INTERRUPT,
	MVGPU_CMD_ARB_CHECK,
	MVGPU_CMD_BB_END,
	MVGPU_CMD_SEMAPHORE_WAIT,
	MVGPU_CMD_STORE_DATA_IMM,
	MVGPU_CMD_LRI,
	MVGPU_CMD_SRM,
	MVGPU_CMD_FLUSH_DW,
	MVGPU_CMD_BB_START,
	MVGPU_CMD_PIPE_CONTROL,
	MVGPU_CMD_COLOR_BLT,
	MVGPU_CMD_SRC_COPY_BLT,
	MVGPU_CMD_FAST_COPY_BLT,
	MVGPU_CMD_NR
};

/**
 * struct mvgpu_cmd_desc - one Gen9 command
 * @name: its name in the Gen9 command reference
 * @len: length encoding
 * @len_mask: the length field (MVGPU_CMD_LEN_FIELD)
 * @len_bias: dwords added to the field, or the fixed length
 * @gen9: Gen9 engines that accept it (MVGPU_CMD_RCS ...)
 * @id: the executor command it is, MVGPU_CMD_NONE if not executed
 * @exec: the executor's rule (@id != MVGPU_CMD_NONE)
 * @fields: fields worth printing, NULL-name terminated, or NULL
 */
struct mvgpu_cmd_desc {
	const char *name;
	u8 len;
	u8 len_bias;
	u16 len_mask;
	u8 gen9;
	u8 id;
	const struct mvgpu_cmd_exec *exec;
	const struct mvgpu_cmd_field *fields;
};

const struct mvgpu_cmd_desc *mvgpu_cmd_lookup(u32 header);
unsigned int mvgpu_cmd_length(u32 header);
const char *mvgpu_cmd_client_name(u32 header);

/**
 * struct mvgpu_cmd_fast - an executed command, for the scanner's hot path
 * @x: the executor's rule (a description's @exec points here)
 * @desc: the Gen9 description
 * @id: MVGPU_CMD_*
 */
struct mvgpu_cmd_fast {
	struct mvgpu_cmd_exec x;
	const struct mvgpu_cmd_desc *desc;
	u8 id;
};

/*
 * mvgpu_cmd_fast_id[] maps header bits 31:22 to an executed command's id
 * (0: none), mvgpu_cmd_fast[] an id to its rule; entry 0 matches no
 * header (mask 0, value 1).  mvgpu_cmd_exec_lookup(h) is the entry of
 * mvgpu_cmd_lookup(h)'s id if that description has an executor rule,
 * NULL otherwise: the unit tests compare the two for every value of
 * header bits 31:16 (no lookup reads bits 15:0).
 */
#define MVGPU_CMD_FAST_SHIFT	22
#define MVGPU_CMD_FAST_SIZE	(1u << (32 - MVGPU_CMD_FAST_SHIFT))
extern const u8 mvgpu_cmd_fast_id[MVGPU_CMD_FAST_SIZE];
extern const struct mvgpu_cmd_fast mvgpu_cmd_fast[MVGPU_CMD_NR];

/**
 * mvgpu_cmd_exec_lookup() - the executed command a header is, if any
 * @header: the command's first dword
 *
 * Return: its entry of mvgpu_cmd_fast[], or NULL if the reference engine
 * does not execute it.
 */
static inline const struct mvgpu_cmd_fast *mvgpu_cmd_exec_lookup(u32 header)
{
	const struct mvgpu_cmd_fast *e =
		&mvgpu_cmd_fast[mvgpu_cmd_fast_id[header >> MVGPU_CMD_FAST_SHIFT]];

	return (header & e->x.mask) == e->x.value ? e : NULL;
}

/* ------------------------------------------------------------------ */
/* Scanner (gvt/scan.c)                                                 */

/**
 * struct mvgpu_scan_ops - memory for the shadows and bookkeeping
 * @alloc: @size bytes (kernel: kvmalloc(); userspace: malloc()), NULL on
 *	failure (the scan is then rejected with MVGPU_FAULT_SCAN_LIMIT)
 * @free: release what @alloc returned; @p may be NULL
 */
struct mvgpu_scan_ops {
	void *(*alloc)(void *priv, size_t size);
	void (*free)(void *priv, void *p);
};

/**
 * struct mvgpu_scan_limits - bounds on what one workload may use
 * @max_shadow_bytes: shadow copies: ring bytes plus batch bytes
 * @max_batches: distinct batch buffers (address space + start address)
 * @max_ranges: entries of the predicted write set
 * @max_depth: batch nesting, 1 or MVGPU_EXEC_MAX_DEPTH
 *
 * Exceeding one rejects the workload (MVGPU_FAULT_SCAN_LIMIT, or
 * MVGPU_FAULT_BATCH_DEPTH for @max_depth).  mvgpu_scan_default_limits()
 * gives values that every workload of the test suites fits.
 */
struct mvgpu_scan_limits {
	u32 max_shadow_bytes;
	u32 max_batches;
	u32 max_ranges;
	u32 max_depth;
};

/* struct mvgpu_scan flags. */
/*
 * Gen9's non-privileged batch rule: a command in a PPGTT batch may not
 * select the GGTT (operands or batch start).  Off by default: mvgpu's GGTT
 * slice belongs to the guest, and guest drivers may use it from PPGTT
 * batches; a context asks for it with MVGPU_CTX_DESC_NO_GGTT.
 */
#define MVGPU_SCAN_PPGTT_NO_GGTT	BIT(0)
/*
 * Keep a rejected workload's shadows and write set: the ring commands
 * before verdict.ring_off (and every batch they reach) were scanned whole
 * and may run from the shadows (the engine's prefix rule).  The caller
 * frees the workload as after an accepted scan.
 */
#define MVGPU_SCAN_KEEP_PREFIX		BIT(1)

/**
 * mvgpu_scan_ctx_flags() - scan flags a context descriptor asks for
 * @ctx_desc: the engine's CTX_DESC, as sampled for the workload
 *
 * Return: MVGPU_SCAN_PPGTT_NO_GGTT if the context is valid and set
 * MVGPU_CTX_DESC_NO_GGTT (its PPGTT batches are non-privileged), else 0.
 */
static inline u32 mvgpu_scan_ctx_flags(u64 ctx_desc)
{
	return (ctx_desc & MVGPU_CTX_DESC_VALID) &&
	       (ctx_desc & MVGPU_CTX_DESC_NO_GGTT) ?
	       MVGPU_SCAN_PPGTT_NO_GGTT : 0;
}
/*
 * Tests only: no shortcut of the scanner's own (verified-page and blit
 * audit caches, runs of one-dword commands, page runs translated in one
 * call): every command and every page of every operand takes the full
 * path.  The result (verdict, shadows, records, write set) is the same;
 * the unit tests compare the two.
 */
#define MVGPU_SCAN_NO_SHORTCUTS		BIT(2)

/**
 * struct mvgpu_scan_range - a predicted write: [gaddr, gaddr + len)
 * @gaddr: first graphics address, page aligned
 * @len: bytes, a multiple of the page size
 * @space: MVGPU_XLATE_GGTT or MVGPU_XLATE_PPGTT
 */
struct mvgpu_scan_range {
	u64 gaddr;
	u64 len;
	u32 space;
};

/**
 * struct mvgpu_scan_batch - the shadow of one batch buffer
 * @gaddr: graphics address of its first command (dword aligned)
 * @len: bytes from @gaddr through the command that ends it
 *	(MI_BATCH_BUFFER_END or a chaining MI_BATCH_BUFFER_START)
 * @off: offset of its copy in struct mvgpu_scan_workload's @buf
 * @copied: bytes copied so far (>= @len; the rest is unused)
 * @space: MVGPU_XLATE_GGTT or MVGPU_XLATE_PPGTT
 * @done: levels (bit 1 first, bit 2 second) it was fully scanned at
 * @active: levels whose chain it is on while being scanned
 * @chain: per level (index level - 1), the next batch on the same chain
 *	while @active, or -1
 *
 * The executor, at an MI_BATCH_BUFFER_START, finds the batch by exactly
 * (space, address) (mvgpu_scan_find_batch()) and fetches the following
 * commands from @off on; it never fetches beyond @len.
 */
struct mvgpu_scan_batch {
	u64 gaddr;
	u32 len;
	u32 off;
	u32 copied;
	u8 space;
	u8 done;
	u8 active;
	int chain[MVGPU_EXEC_MAX_DEPTH];
};

/**
 * struct mvgpu_scan_verdict - the result of a scan
 * @fault: MVGPU_FAULT_* report the executor would give (status 0: ok);
 *	same layout and meaning as the FAULT_* registers
 * @reason: a short name of the rule that rejected, "ok" otherwise
 * @ring_off: on rejection, the ring offset of the ring command whose
 *	command tree (the command and every batch it starts) holds the
 *	violation; the ring's tail if the status page write is rejected.
 *	The ring commands from the workload's head up to it were scanned
 *	whole.
 */
struct mvgpu_scan_verdict {
	struct mvgpu_exec_fault fault;
	const char *reason;
	u32 ring_off;
};

/**
 * struct mvgpu_scan_workload - what a scan produces
 * @engine: the engine scanned for
 * @ring_start: RING_START
 * @ring_size: ring size in bytes
 * @head: ring offset of the first command
 * @tail: ring offset after the last command
 * @ring_len: bytes from @head to @tail (wrapping); the ring shadow is
 *	@buf[0 .. @ring_len)
 * @ring_copied: ring bytes copied so far
 * @ctx_desc: CTX_DESC sampled with the ring registers
 * @buf: all shadows; NULL after mvgpu_scan_workload_free()
 * @used: bytes of @buf in use
 * @cap: its size
 * @batches: the batch shadows, @nr_batches of them (@batch_cap allocated)
 * @nr_batches: batches
 * @batch_cap: allocated entries
 * @hash: open-addressed index of @batches by (space, gaddr), @hash_size
 * @hash_size: entries, a power of two, 0 when none
 * @ranges: predicted writes, sorted by (space, gaddr), disjoint and not
 *	adjacent; @nr_ranges of them
 * @nr_ranges: ranges
 * @range_cap: allocated entries
 * @last_range: index of the range extended last (a cheap first guess)
 * @audit: page runs translated by blits in this scan, sorted, merged, at
 *	most @audit_cap; @space holds the key: 2 * address space, plus 1
 *	for writing (a later blit skips those pages: they cannot fault)
 * @nr_audit: runs
 * @audit_cap: allocated entries (0: none yet; the cache is optional)
 * @cmds: commands scanned (one per execution: a reused batch counts once)
 * @verdict: ok or the first violation
 */
struct mvgpu_scan_workload {
	unsigned int engine;
	u64 ring_start;
	u32 ring_size;
	u32 head;
	u32 tail;
	u32 ring_len;
	u32 ring_copied;
	u64 ctx_desc;
	u8 *buf;
	u32 used;
	u32 cap;
	struct mvgpu_scan_batch *batches;
	u32 nr_batches;
	u32 batch_cap;
	int *hash;
	u32 hash_size;
	struct mvgpu_scan_range *ranges;
	u32 nr_ranges;
	u32 range_cap;
	u32 last_range;
	struct mvgpu_scan_range *audit;
	u32 nr_audit;
	u32 audit_cap;
	u64 cmds;
	struct mvgpu_scan_verdict verdict;
};

/**
 * struct mvgpu_scan_cmd - one decoded command, for the trace hook
 * @level: 0 ring, 1 first-level batch, 2 second-level batch
 * @space: address space of the buffer holding it
 * @gaddr: its graphics address
 * @dw: its dwords (in the shadow), @len of them (fewer if it was
 *	rejected before being fetched whole)
 * @len: dwords
 * @desc: Gen9 description, NULL if unknown
 * @nr_addr: memory operands in @addr
 * @addr: operands: address, bytes, space, write (blits: the first row
 *	of each surface and the rectangle's row count in @rows)
 * @rows: blit rows, 0 otherwise
 * @pitch: blit destination and source pitches
 */
struct mvgpu_scan_cmd {
	unsigned int level;
	u32 space;
	u64 gaddr;
	const u32 *dw;
	unsigned int len;
	const struct mvgpu_cmd_desc *desc;
	unsigned int nr_addr;
	struct {
		u64 gaddr;
		u64 len;
		u32 space;
		bool write;
	} addr[2];
	u32 rows;
	u32 pitch[2];
};

/**
 * struct mvgpu_scan - a scanner
 * @ex: translation (callbacks and cache) shared with the executor; the
 *	scan flushes its cache at the start and the end
 * @ops: allocation callbacks
 * @priv: their first argument
 * @limits: bounds per workload
 * @flags: MVGPU_SCAN_*
 * @trace: if set, called for every command scanned, in execution order
 *	(a rejected command last); for decoders and tests
 * @trace_priv: its first argument
 */
struct mvgpu_scan {
	struct mvgpu_exec *ex;
	const struct mvgpu_scan_ops *ops;
	void *priv;
	struct mvgpu_scan_limits limits;
	unsigned int flags;
	void (*trace)(void *priv, const struct mvgpu_scan_cmd *cmd);
	void *trace_priv;
};

void mvgpu_scan_default_limits(struct mvgpu_scan_limits *limits);
int mvgpu_scan_workload(struct mvgpu_scan *sc, unsigned int engine,
			const struct mvgpu_exec_ring *ring, u32 head,
			struct mvgpu_scan_workload *wl);
void mvgpu_scan_workload_free(struct mvgpu_scan *sc,
			      struct mvgpu_scan_workload *wl);
const struct mvgpu_scan_batch *
mvgpu_scan_find_batch(const struct mvgpu_scan_workload *wl,
		      enum mvgpu_xlate_space space, u64 gaddr);
int mvgpu_scan_workload_reuse(struct mvgpu_scan *sc, unsigned int engine,
			      const struct mvgpu_exec_ring *ring, u32 head,
			      struct mvgpu_scan_workload *wl);
int mvgpu_scan_resolve_writes(struct mvgpu_scan *sc,
			      const struct mvgpu_scan_workload *wl,
			      int (*page)(void *priv, u64 addr, bool local),
			      void *priv);

#endif /* _MVGPU_SCAN_H */
