/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mvgpu test-only interface: run a command stream on the reference engine
 * directly, without a vGPU, a VMM or any mediation.  The benchmark compares
 * it with the same stream submitted through a vGPU.
 *
 * debugfs file <debugfs>/mvgpu/direct (root only).  Each open file is one
 * session: write() one struct mvgpu_direct_run followed by batch_dwords
 * dwords; the write runs it synchronously and returns the number of bytes
 * consumed, or an error for a malformed request.  Every read() after it
 * (of at least sizeof(struct mvgpu_direct_run) bytes; the file has no
 * position) returns the same struct with the result fields filled in;
 * ENODATA before the first successful run.
 *
 * Memory: mem_size bytes of zeroed kernel pages, mapped through a private
 * GGTT at graphics addresses [gaddr_base, gaddr_base + mem_size), writable.
 * The batch is copied to gaddr_base + batch_offset; the engine runs it as a
 * first-level batch from a private ring, repeat times, each run to the end.
 */
#ifndef _UAPI_MVGPU_DEBUG_H
#define _UAPI_MVGPU_DEBUG_H

#include <linux/types.h>

#define MVGPU_DIRECT_MAGIC		0x5244564du	/* "MVDR" */
#define MVGPU_DIRECT_MAX_MEM		(256ull << 20)
#define MVGPU_DIRECT_MAX_REPEAT		100000u

/**
 * struct mvgpu_direct_run - one direct run
 * @magic: MVGPU_DIRECT_MAGIC
 * @engine: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @gaddr_base: first graphics address of the memory, 4 KiB aligned, the
 *	whole range below MVGPU_GGTT_TOTAL
 * @mem_size: bytes of memory, a multiple of 4 KiB, at most
 *	MVGPU_DIRECT_MAX_MEM
 * @batch_offset: where the batch goes in the memory, 8-byte aligned
 * @batch_dwords: dwords of batch following this header
 * @repeat: how many times to run the batch, 1 .. MVGPU_DIRECT_MAX_REPEAT
 * @result: out: 0 if every run ended idle, else the MVGPU_FAULT_* type of
 *	the fault that stopped it
 * @pad: 0
 * @fault_addr: out: FAULT_ADDR of that fault
 * @ns: out: engine time of all runs, nanoseconds
 * @cmds: out: commands executed
 * @bytes: out: bytes written by the commands
 */
struct mvgpu_direct_run {
	__u32 magic;
	__u32 engine;
	__u64 gaddr_base;
	__u64 mem_size;
	__u64 batch_offset;
	__u32 batch_dwords;
	__u32 repeat;
	__u32 result;
	__u32 pad;
	__u64 fault_addr;
	__u64 ns;
	__u64 cmds;
	__u64 bytes;
};

/*
 * Write prediction check: debugfs file <debugfs>/mvgpu/writes (root only).
 *
 * Before the engine runs a workload (the ring commands of one submission
 * and every batch they reach), the command scanner predicts the graphics
 * pages it may write.  While the check is armed, the engine resolves that
 * prediction to guest pages (DMA addresses, or local memory offsets) when
 * the workload is scanned, records every page it maps for writing while
 * executing the workload, and counts the pages written that were not
 * predicted (misses; zero is the scanner's promise).  Off by default.
 *
 * write() "on" arms it for every vGPU, "on <uuid>" for one vGPU (the mdev
 * device name); either clears the results.  "off" disarms it and keeps the
 * results.  read() returns text lines "<key> <value>":
 *
 *   armed 0|1
 *   vgpu <uuid>|all
 *   workloads N          workloads checked
 *   unchecked N          of them: prediction over MVGPU_WPRED_MAX_PAGES
 *                        pages (not checked, not counted below)
 *   pages_predicted N    distinct pages predicted, summed over workloads
 *   pages_written N      distinct pages written, summed over workloads
 *   misses N             pages written but not predicted, summed
 *   miss dma|local 0x<addr>         the first MVGPU_WPRED_MISSES misses
 *   last <uuid>|none engine E ranges N   the last workload checked
 *   range ggtt|ppgtt 0x<gaddr> 0x<len>  its first MVGPU_WPRED_RANGES
 *                                       predicted ranges (page aligned)
 *
 * Memory: at most MVGPU_WPRED_MAX_PAGES * 8 bytes (plus a bitmap) per
 * running workload, freed when the workload ends.
 */
#define MVGPU_WPRED_MAX_PAGES		(1u << 18)
#define MVGPU_WPRED_MISSES		16
#define MVGPU_WPRED_RANGES		64
#define MVGPU_WPRED_NAME_LEN		40

#endif /* _UAPI_MVGPU_DEBUG_H */
