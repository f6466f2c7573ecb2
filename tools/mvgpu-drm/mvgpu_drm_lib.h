/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmvgpu-drm: a small client library for the mvgpu_drm guest driver
 * (uapi/mvgpu_drm.h, Documentation/guest-driver.rst) on top of libdrm:
 * device discovery and open, GEM buffer objects with their GPU virtual
 * addresses and CPU mappings, EXECBUFFER, the WAIT ioctl, syncobjs, reset
 * statistics.  Commands are built with selftests/lib/gpu_cmds.h (shared with
 * the VFIO selftests), in the PPGTT forms below where an address is
 * involved: the driver's address space model gives userspace only its own
 * PPGTT, never the GGTT.
 *
 * Functions returning int return 0 on success and a negative errno on
 * failure; mdrm_err() then describes the step that failed.
 */
#ifndef MVGPU_DRM_LIB_H
#define MVGPU_DRM_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvgpu_drm.h"
#include "mvgpu_hw.h"
#include "gpu_cmds.h"
#include "gpu_ref.h"

/* The driver's name as DRM_IOCTL_VERSION reports it. */
#define MDRM_DRIVER_NAME	"mvgpu_drm"
/* The uAPI major version this library speaks. */
#define MDRM_DRIVER_MAJOR	1

/**
 * struct mdrm_dev - one open DRM file of an mvgpu_drm device
 * @fd: the DRM file descriptor (a render node unless opened by path)
 * @node: path of the node opened
 * @drv_major: driver version (drmGetVersion)
 * @drv_minor: driver minor version
 * @drv_patch: driver patch level
 * @hw_version: MVGPU_PARAM_HW_VERSION
 * @vgpu_type: MVGPU_PARAM_VGPU_TYPE
 * @num_engines: MVGPU_PARAM_NUM_ENGINES
 * @engine_mask: MVGPU_PARAM_ENGINE_MASK
 * @ggtt_base: MVGPU_PARAM_GGTT_BASE
 * @ggtt_size: MVGPU_PARAM_GGTT_SIZE
 * @vram_size: MVGPU_PARAM_VRAM_SIZE
 * @va_start: MVGPU_PARAM_VA_START
 * @va_end: MVGPU_PARAM_VA_END
 * @watchdog_ms: MVGPU_PARAM_WATCHDOG_MS
 * @max_bos: MVGPU_PARAM_MAX_BOS
 * @ring_size: MVGPU_PARAM_RING_SIZE
 */
struct mdrm_dev {
	int fd;
	char node[64];
	int drv_major, drv_minor, drv_patch;
	uint64_t hw_version;
	uint64_t vgpu_type;
	uint64_t num_engines;
	uint64_t engine_mask;
	uint64_t ggtt_base;
	uint64_t ggtt_size;
	uint64_t vram_size;
	uint64_t va_start;
	uint64_t va_end;
	uint64_t watchdog_ms;
	uint64_t max_bos;
	uint64_t ring_size;
};

/**
 * struct mdrm_bo - a GEM buffer object of one DRM file
 * @handle: GEM handle, 0 when closed
 * @flags: MVGPU_BO_* given at creation
 * @size: bytes (a multiple of 4 KiB)
 * @va: GPU virtual address in the file's PPGTT
 * @map: CPU mapping (shared, cached), NULL if not mapped
 */
struct mdrm_bo {
	uint32_t handle;
	uint32_t flags;
	uint64_t size;
	uint64_t va;
	void *map;
};

/**
 * struct mdrm_exec - one EXECBUFFER request
 * @engine: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @batch: the batch BO
 * @offset: byte offset of the batch in @batch
 * @len: bytes of the batch (a multiple of 4, ends with MI_BATCH_BUFFER_END)
 * @bos: the BOs the batch uses (other than @batch)
 * @nr_bos: entries of @bos
 * @in_syncobj: syncobj to wait for, or 0
 * @out_syncobj: syncobj to receive the completion fence, or 0
 */
struct mdrm_exec {
	unsigned int engine;
	const struct mdrm_bo *batch;
	uint32_t offset;
	uint32_t len;
	const struct mdrm_bo *const *bos;
	unsigned int nr_bos;
	uint32_t in_syncobj;
	uint32_t out_syncobj;
};

/* Description of the last failure. */
const char *mdrm_err(void);
/* Record a failure (the message, then strerror(@err)); returns -@err. */
int __attribute__((format(printf, 2, 3)))
mdrm_fail(int err, const char *fmt, ...);
/* Monotonic nanoseconds. */
uint64_t mdrm_now_ns(void);

/* ---- device ------------------------------------------------------------- */

/*
 * Open an mvgpu_drm device: the node at @path if not NULL, else the render
 * node of the first PCI device 6d76:0001 that drmGetDevices2() lists, else
 * whatever render node drmOpenWithType() finds for the driver name.  The
 * driver name and major version are checked with drmGetVersion() and every
 * GET_PARAM value is read into @d.
 */
int mdrm_open(struct mdrm_dev *d, const char *path);
void mdrm_close(struct mdrm_dev *d);
int mdrm_get_param(struct mdrm_dev *d, uint32_t param, uint64_t *value);

/* ---- buffer objects ----------------------------------------------------- */

/* Create a BO of @size bytes with MVGPU_BO_* @flags and map it. */
int mdrm_bo_new(struct mdrm_dev *d, struct mdrm_bo *bo, uint64_t size,
		uint32_t flags);
/* Unmap and close @bo (a closed one is fine). */
void mdrm_bo_free(struct mdrm_dev *d, struct mdrm_bo *bo);
int mdrm_bo_info(struct mdrm_dev *d, uint32_t handle,
		 struct drm_mvgpu_gem_info *info);

/* ---- submission --------------------------------------------------------- */

/* Queue @x; *@seqno receives the file's sequence number of the submission. */
int mdrm_exec(struct mdrm_dev *d, const struct mdrm_exec *x,
	      uint64_t *seqno);
/*
 * Wait up to @timeout_ns for submission @seqno: 0 once it completed, with
 * its status (0 or a negative errno, see uapi/mvgpu_drm.h) in *@status;
 * -ETIME if it did not complete in time.
 */
int mdrm_wait(struct mdrm_dev *d, uint64_t seqno, int64_t timeout_ns,
	      int *status);
int mdrm_reset_stats(struct mdrm_dev *d, struct drm_mvgpu_reset_stats *s);

/* ---- syncobjs ----------------------------------------------------------- */

int mdrm_syncobj_new(struct mdrm_dev *d, uint32_t *handle);
void mdrm_syncobj_free(struct mdrm_dev *d, uint32_t handle);
/* Wait up to @timeout_ns (relative) for the syncobj's fence to signal. */
int mdrm_syncobj_wait(struct mdrm_dev *d, uint32_t handle,
		      int64_t timeout_ns);
/*
 * The status of the syncobj's fence, through a sync_file export: 1
 * signalled without error, 0 not yet signalled, or the fence's negative
 * error, in *@status.
 */
int mdrm_syncobj_status(struct mdrm_dev *d, uint32_t handle, int *status);

/* ---- commands ----------------------------------------------------------- */

/*
 * The gpu_cmds.h emitters as a PPGTT user batch uses them: every address
 * is a GPU virtual address of the file's PPGTT.  The rest of the builder
 * (gpu_cmds_*, gpu_emit, gpu_emit_lri, gpu_emit_bb_end) is used as is.
 */

/* MI_STORE_DATA_IMM of a dword / a qword (8-byte aligned @va). */
static inline void mdrm_emit_sdi(struct gpu_cmds *c, uint64_t va,
				 uint32_t val)
{
	gpu_emit_sdi(c, va, val, false);
}

static inline void mdrm_emit_sdi_qw(struct gpu_cmds *c, uint64_t va,
				    uint64_t val)
{
	gpu_emit_sdi_qw(c, va, val, false);
}

/* MI_STORE_REGISTER_MEM of register @reg to @va. */
static inline void mdrm_emit_srm(struct gpu_cmds *c, uint32_t reg,
				 uint64_t va)
{
	gpu_emit_srm(c, reg, va, false);
}

/*
 * MI_FLUSH_DW (blitter) with a post-sync store of a dword at @va, which
 * must be 8-byte aligned (the low address bits are dropped).
 */
static inline void mdrm_emit_flush_store(struct gpu_cmds *c, uint64_t va,
					 uint32_t val)
{
	gpu_emit_flush_dw(c, MVGPU_MI_FLUSH_DW_OP_STORE, va, val, false,
			  false);
}

/* PIPE_CONTROL (render) with a post-sync store of a qword at @va. */
static inline void mdrm_emit_pc_store(struct gpu_cmds *c, uint64_t va,
				      uint64_t val)
{
	gpu_emit_pipe_control(c, MVGPU_PC_OP_STORE | MVGPU_PC_CS_STALL, va,
			      val);
}

/* MI_SEMAPHORE_WAIT (polling): continue once *@va @op @value. */
static inline void mdrm_emit_sem_wait(struct gpu_cmds *c, unsigned int op,
				      uint32_t value, uint64_t va)
{
	gpu_emit_sem_wait(c, op, value, va, false);
}

/* MI_BATCH_BUFFER_START of a PPGTT batch: chain, or call (@second). */
static inline void mdrm_emit_bb_start(struct gpu_cmds *c, uint64_t va,
				      bool second)
{
	gpu_emit_bb_start(c, va, MVGPU_MI_BB_PPGTT |
			  (second ? MVGPU_MI_BB_SECOND_LEVEL : 0));
}

/*
 * The blit @b (gpu_ref.h's description, which the CPU reference applies)
 * with destination @dst and source @src GPU virtual addresses.
 */
static inline void mdrm_emit_blt(struct gpu_cmds *c, const struct ref_blt *b,
				 uint64_t dst, uint64_t src)
{
	struct gpu_blit g = { .r = *b, .dst = dst, .src = src };

	gpu_emit_blt(c, &g);
}

/* Copy @c into @bo at byte @off: -ENOSPC if it does not fit. */
int mdrm_cmds_store(const struct gpu_cmds *c, struct mdrm_bo *bo,
		    uint64_t off);

/* ---- checksums ---------------------------------------------------------- */

/* FNV-1a, 64 bits, continuing from @h (start with MDRM_SUM_INIT). */
#define MDRM_SUM_INIT		0xcbf29ce484222325ull
uint64_t mdrm_sum(uint64_t h, const void *buf, size_t len);

#endif /* MVGPU_DRM_LIB_H */
