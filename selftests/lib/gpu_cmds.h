/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A command builder for the Gen9 subset of uapi/mvgpu_hw.h: a growable
 * dword buffer and one emitter per command, plus the names of the fault
 * types.  It only builds dwords (libc and the hardware header, nothing of
 * VFIO or libdrm), so the VFIO selftests (gpu.h) and the libdrm client
 * (tools/mvgpu-drm) encode every command the same way.
 *
 * Emitters never fail: when the buffer cannot grow, @oom is set and the
 * command is dropped; check @oom once before using the dwords.  A @ggtt
 * argument selects GGTT addressing (the VFIO driver's rings and batches);
 * without it the address is a PPGTT one.
 */
#ifndef MVGPU_SELFTEST_GPU_CMDS_H
#define MVGPU_SELFTEST_GPU_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvgpu_hw.h"
#include "gpu_ref.h"

/**
 * struct gpu_cmds - a growable command buffer
 * @dw: the dwords
 * @len: dwords emitted
 * @cap: dwords allocated
 * @oom: an allocation failed; what was emitted since is missing
 */
struct gpu_cmds {
	uint32_t *dw;
	size_t len;
	size_t cap;
	bool oom;
};

/**
 * struct gpu_blit - a blit command: the reference description plus what
 * only the encoding needs
 * @r: the operation as gpu_ref.h describes it
 * @dst: graphics address of the destination surface
 * @src: graphics address of the source surface (copies)
 * @rgb1555: XY_* at 2 bytes per pixel: depth 1555 rather than 565
 */
struct gpu_blit {
	struct ref_blt r;
	uint64_t dst;
	uint64_t src;
	bool rgb1555;
};

void gpu_cmds_init(struct gpu_cmds *c);
void gpu_cmds_fini(struct gpu_cmds *c);
/* Forget the contents and a past allocation failure; keep the memory. */
void gpu_cmds_reset(struct gpu_cmds *c);
/* Append @n dwords (uninitialised) and return them; NULL on failure. */
uint32_t *gpu_cmds_add(struct gpu_cmds *c, size_t n);
void gpu_emit(struct gpu_cmds *c, uint32_t dw);
/* Pad with MI_NOOP to a multiple of @align dwords. */
void gpu_emit_pad(struct gpu_cmds *c, size_t align);

/* MI_STORE_DATA_IMM of a dword / a qword (8-byte aligned @addr). */
void gpu_emit_sdi(struct gpu_cmds *c, uint64_t addr, uint32_t val,
		  bool ggtt);
void gpu_emit_sdi_qw(struct gpu_cmds *c, uint64_t addr, uint64_t val,
		     bool ggtt);
/* MI_LOAD_REGISTER_IMM of one register (absolute BAR0 offset). */
void gpu_emit_lri(struct gpu_cmds *c, uint32_t reg, uint32_t val);
/* MI_STORE_REGISTER_MEM of register @reg to @addr. */
void gpu_emit_srm(struct gpu_cmds *c, uint32_t reg, uint64_t addr,
		  bool ggtt);
/*
 * MI_FLUSH_DW with @flags (NOTIFY, OP_*) and a post-sync write of @data at
 * @addr: a dword (@qw false) or a qword.  @addr must be 8-byte aligned:
 * its low three bits are dropped.
 */
void gpu_emit_flush_dw(struct gpu_cmds *c, uint32_t flags, uint64_t addr,
		       uint64_t data, bool qw, bool ggtt);
/* PIPE_CONTROL with DW1 @flags, post-sync address @addr and @data. */
void gpu_emit_pipe_control(struct gpu_cmds *c, uint32_t flags,
			   uint64_t addr, uint64_t data);
/* MI_SEMAPHORE_WAIT (polling): continue when *@addr @op @value. */
void gpu_emit_sem_wait(struct gpu_cmds *c, unsigned int op, uint32_t value,
		       uint64_t addr, bool ggtt);
/* MI_BATCH_BUFFER_START with MVGPU_MI_BB_* @flags. */
void gpu_emit_bb_start(struct gpu_cmds *c, uint64_t addr, uint32_t flags);
void gpu_emit_bb_end(struct gpu_cmds *c);
/* The blit @b (XY_COLOR_BLT, XY_SRC_COPY_BLT or XY_FAST_COPY_BLT). */
void gpu_emit_blt(struct gpu_cmds *c, const struct gpu_blit *b);
/* Engine @e's breadcrumb: @seqno to the status page at GGTT @hws. */
void gpu_emit_breadcrumb(struct gpu_cmds *c, unsigned int e, uint64_t hws,
			 uint32_t seqno);

/* BR13 depth / fast-copy depth codes for @cpp bytes per pixel; ~0u if none. */
uint32_t gpu_xy_depth(unsigned int cpp, bool rgb1555);
uint32_t gpu_fast_depth(unsigned int cpp);

/* Name of the fault type in @status (FAULT_STATUS, or a bare MVGPU_FAULT_*). */
const char *gpu_fault_name(uint32_t status);

#endif /* MVGPU_SELFTEST_GPU_CMDS_H */
