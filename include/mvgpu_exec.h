/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference engine's command executor (gvt/exec.c) and graphics address
 * translation (gvt/xlate.c).
 *
 * Pure logic: it reaches memory only through struct mvgpu_exec_ops, takes no
 * lock and never sleeps on its own, so it builds in userspace for the unit
 * tests and the fuzzer.  The caller (gvt/ref_engine.c, or a test) owns the
 * state and serialises calls for one state.
 *
 * One call of mvgpu_exec_run() is one time slice of one vGPU on one engine:
 * it executes ring commands from the head towards the tail until the ring
 * runs dry, the slice's budget is spent, a semaphore is not yet satisfied,
 * or a fault halts the engine.  Everything needed to resume lives in
 * struct mvgpu_exec_state, so a slice may stop between any two commands,
 * also deep inside a batch buffer.
 */
#ifndef _MVGPU_EXEC_H
#define _MVGPU_EXEC_H

#include "mvgpu_compat.h"
#include "uapi/mvgpu_hw.h"

/* Batch nesting: the ring, a first-level and a second-level batch. */
#define MVGPU_EXEC_MAX_DEPTH	2
/* Translation cache entries (power of two). */
#define MVGPU_EXEC_TLB_SIZE	64
/* (at most 64: struct mvgpu_exec's @tlb_live has one bit per entry) */

/**
 * struct mvgpu_exec_ops - how the executor reaches memory and time
 * @ggtt_pte: read the vGPU's GGTT entry for graphics address @gaddr.
 *	Return 0, or -ERANGE if @gaddr is outside the vGPU's GGTT slice.
 * @map_page: CPU pointer to the 4 KiB page at @addr, a DMA address (a
 *	guest physical address, @local false) or a local memory offset
 *	(@local true), page aligned.  The page must stay valid until the
 *	current mvgpu_exec_run() returns.  On failure return NULL and set
 *	*@fault to MVGPU_FAULT_DMA or MVGPU_FAULT_LOCAL_RANGE.  @write is a
 *	hint (the page will be written).
 * @now_ns: a monotonic clock in nanoseconds; also the engine timestamp.
 */
struct mvgpu_exec_ops {
	int (*ggtt_pte)(void *priv, u64 gaddr, u64 *pte);
	void *(*map_page)(void *priv, u64 addr, bool local, bool write,
			  u32 *fault);
	u64 (*now_ns)(void *priv);
};

/**
 * struct mvgpu_exec_ring - ring registers as sampled at the slice start
 * @start: RING_START, a GGTT address
 * @size: ring size in bytes (from RING_CTL)
 * @tail: RING_TAIL, bytes
 * @ctx_desc: CTX_DESC (MVGPU_CTX_DESC_VALID | PML4 DMA address)
 * @hws: RING_HWS (address | MVGPU_RING_HWS_VALID)
 */
struct mvgpu_exec_ring {
	u64 start;
	u32 size;
	u32 tail;
	u64 ctx_desc;
	u32 hws;
};

/**
 * struct mvgpu_exec_fault - what the FAULT_* registers report
 * @status: MVGPU_FAULT_VALID | flags | type, 0 when none
 * @instr: first dword of the faulting command (0 for ring faults)
 * @addr: the graphics address (or register offset) that faulted
 * @cmd_addr: graphics address of the faulting command
 */
struct mvgpu_exec_fault {
	u32 status;
	u32 instr;
	u64 addr;
	u64 cmd_addr;
};

/**
 * struct mvgpu_exec_state - one engine of one vGPU, kept across slices
 * @engine: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @head: ring offset of the first ring command not yet completed (the
 *	batch start while its batch runs); what RING_HEAD reads
 * @depth: 0 executing from the ring, 1 or 2 inside a batch of that level
 * @bb_addr: per level, the graphics address of the next batch command
 * @bb_ppgtt: per level, the batch is addressed through the PPGTT
 * @bb_base: per level, where the batch run holding @bb_addr starts: the
 *	target of the MI_BATCH_BUFFER_START that entered it, or the return
 *	address of a second-level call (shadow mode looks its copy up by it)
 * @gpr: the engine's general purpose registers
 * @cmd_started: a ring command has begun and not completed (watchdog)
 * @cmd_start_ns: when it began
 * @waiting: the last slice stopped on an unsatisfied MI_SEMAPHORE_WAIT
 * @fault: the fault that halted the engine; status 0 while running
 */
struct mvgpu_exec_state {
	unsigned int engine;
	u32 head;
	unsigned int depth;
	u64 bb_addr[MVGPU_EXEC_MAX_DEPTH];
	bool bb_ppgtt[MVGPU_EXEC_MAX_DEPTH];
	u64 bb_base[MVGPU_EXEC_MAX_DEPTH];
	u64 gpr[MVGPU_CS_GPR_COUNT];
	bool cmd_started;
	u64 cmd_start_ns;
	bool waiting;
	struct mvgpu_exec_fault fault;
};

/**
 * struct mvgpu_exec_tlb_entry - one cached translation
 * @tag: graphics page address | 1 (GGTT) or | 2 (PPGTT); 0 if empty.
 *	See MVGPU_EXEC_TLB_* for the other low bits.
 * @ptr: CPU pointer to the page
 * @writable: the leaf PTE allows writes
 */
struct mvgpu_exec_tlb_entry {
	u64 tag;
	void *ptr;
	bool writable;
};

/* Low bits of struct mvgpu_exec_tlb_entry's tag. */
#define MVGPU_EXEC_TLB_GGTT		1ull	/* a GGTT page */
#define MVGPU_EXEC_TLB_PPGTT		2ull	/* a PPGTT page */
/* tag = 2 MiB aligned PPGTT address | 3, ptr = its page table (PT) page */
#define MVGPU_EXEC_TLB_PT		3ull
#define MVGPU_EXEC_TLB_KIND_MASK	3ull
/* The page was mapped with map_page(write = true). */
#define MVGPU_EXEC_TLB_MAPPED_WRITE	4ull

/**
 * struct mvgpu_exec_shadow - execute a checked workload from its copies
 * @ring: copy of the ring bytes from ring offset @head on
 * @head: ring offset of @ring[0]
 * @len: bytes of @ring that may be fetched
 * @tail: ring offset where the workload ends; replaces RING_TAIL (dword
 *	aligned: a rejected command may follow at any dword)
 * @halt: if set, reaching @tail halts the engine with this fault report
 *	instead of going idle (the ring command at @tail was rejected)
 * @more: the ring holds commands beyond @tail: reaching @tail ends the
 *	slice with MVGPU_EXEC_YIELD, without the idle actions, so that the
 *	caller can check the next workload
 * @batch: the copy of the batch run starting at graphics address @gaddr
 *	(@ppgtt: in the PPGTT) and its length in *@len, or NULL if none
 * @priv: @batch's first argument
 *
 * Command fetches read only these copies, never beyond their lengths (a
 * fetch outside them faults MVGPU_FAULT_SCAN_LIMIT: an internal error).
 * Data accesses still translate live.
 */
struct mvgpu_exec_shadow {
	const u8 *ring;
	u32 head;
	u32 len;
	u32 tail;
	const struct mvgpu_exec_fault *halt;
	bool more;
	const u8 *(*batch)(void *priv, bool ppgtt, u64 gaddr, u32 *len);
	void *priv;
};

/**
 * struct mvgpu_exec - the executor's per-slice context
 * @ops: memory and time callbacks
 * @priv: their first argument
 * @hang_ns: watchdog: longest time one ring command may take
 * @shadow: if set, commands come from these copies (shadow mode);
 *	otherwise they are fetched from guest memory
 * @tlb: translation cache, valid for one slice (see mvgpu_exec_run())
 * @tlb_live: entries of @tlb filled since the last mvgpu_xlate_flush(),
 *	one bit each (an entry whose bit is clear is empty); 0 in a zeroed
 *	context
 */
struct mvgpu_exec {
	const struct mvgpu_exec_ops *ops;
	void *priv;
	u64 hang_ns;
	const struct mvgpu_exec_shadow *shadow;
	struct mvgpu_exec_tlb_entry tlb[MVGPU_EXEC_TLB_SIZE];
	u64 tlb_live;
};

/* What a slice ended with. */
enum mvgpu_exec_result {
	MVGPU_EXEC_IDLE,	/* head == tail: nothing left */
	MVGPU_EXEC_YIELD,	/* budget spent, more to do */
	MVGPU_EXEC_WAIT,	/* semaphore not satisfied: retry later */
	MVGPU_EXEC_FAULT,	/* halted: state->fault says why */
};

/**
 * struct mvgpu_exec_events - what a slice did, for interrupts and stats
 * @user: MI_USER_INTERRUPT or a notify flag was executed
 * @complete: the ring ran dry after executing at least one command
 * @cmds: commands executed
 * @bytes: bytes written to memory by the commands
 */
struct mvgpu_exec_events {
	bool user;
	bool complete;
	u64 cmds;
	u64 bytes;
};

void mvgpu_exec_state_reset(struct mvgpu_exec_state *st, unsigned int engine);
enum mvgpu_exec_result mvgpu_exec_run(struct mvgpu_exec *ex,
				      struct mvgpu_exec_state *st,
				      const struct mvgpu_exec_ring *ring,
				      u64 budget_ns,
				      struct mvgpu_exec_events *ev);

/**
 * enum mvgpu_xlate_space - which table translates a graphics address
 * @MVGPU_XLATE_GGTT: the vGPU's slice of the global GTT
 * @MVGPU_XLATE_PPGTT: the context's 4-level PPGTT (CTX_DESC)
 */
enum mvgpu_xlate_space {
	MVGPU_XLATE_GGTT,
	MVGPU_XLATE_PPGTT,
};

int mvgpu_xlate(struct mvgpu_exec *ex, u64 ctx_desc,
		enum mvgpu_xlate_space space, u64 gaddr, bool write,
		void **ptr, u32 *fault);
void mvgpu_xlate_flush(struct mvgpu_exec *ex);
u32 mvgpu_xlate_check_run(struct mvgpu_exec *ex, u64 ctx_desc,
			  enum mvgpu_xlate_space space, u64 gaddr, u32 pages,
			  bool write);

#endif /* _MVGPU_EXEC_H */
