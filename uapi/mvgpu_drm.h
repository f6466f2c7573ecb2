/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mvgpu_drm: the userspace interface of the guest DRM driver for mvgpu
 * vGPUs (tools/guest/drm/, Documentation/guest-driver.rst).
 *
 * Model: every open DRM file has its own GPU address space (a 4-level
 * PPGTT).  A buffer object (BO) gets a GPU virtual address in a file's
 * address space as soon as the file has a handle for it, and keeps it as
 * long as the handle is open; userspace writes those addresses into its
 * commands.  A batch is a BO holding commands of the device's command set
 * (uapi/mvgpu_hw.h) that ends with MI_BATCH_BUFFER_END and addresses memory
 * through the PPGTT (MI_BATCH_BUFFER_START of a second-level batch, MI_*
 * operands and blits without their GGTT bit).  EXECBUFFER queues a batch on
 * an engine; its completion is a dma_fence, reachable through an
 * out-syncobj or through the per-file sequence number EXECBUFFER returns.
 *
 * Everything here is ABI: structures only grow at their end (the size the
 * ioctl number encodes tells the kernel which version userspace has), and
 * values only get added.  Reserved and padding fields must be zero.
 */
#ifndef _UAPI_MVGPU_DRM_H
#define _UAPI_MVGPU_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_MVGPU_GET_PARAM		0x00
#define DRM_MVGPU_GEM_CREATE		0x01
#define DRM_MVGPU_GEM_MMAP_OFFSET	0x02
#define DRM_MVGPU_GEM_INFO		0x03
#define DRM_MVGPU_EXECBUFFER		0x04
#define DRM_MVGPU_WAIT			0x05
#define DRM_MVGPU_GET_RESET_STATS	0x06

#define DRM_IOCTL_MVGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GET_PARAM, struct drm_mvgpu_get_param)
#define DRM_IOCTL_MVGPU_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_CREATE, struct drm_mvgpu_gem_create)
#define DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_MMAP_OFFSET, struct drm_mvgpu_gem_mmap_offset)
#define DRM_IOCTL_MVGPU_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_INFO, struct drm_mvgpu_gem_info)
#define DRM_IOCTL_MVGPU_EXECBUFFER \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_EXECBUFFER, struct drm_mvgpu_execbuffer)
#define DRM_IOCTL_MVGPU_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_WAIT, struct drm_mvgpu_wait)
#define DRM_IOCTL_MVGPU_GET_RESET_STATS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GET_RESET_STATS, struct drm_mvgpu_reset_stats)

/**
 * enum drm_mvgpu_param - what DRM_IOCTL_MVGPU_GET_PARAM reports
 *
 * @MVGPU_PARAM_HW_VERSION: the device's VERSION register (major << 16 |
 *	minor).
 * @MVGPU_PARAM_VGPU_TYPE: the vGPU type N (the vGPU owns 1/N of the parent
 *	GPU): 1, 2, 4 or 8.
 * @MVGPU_PARAM_NUM_ENGINES: number of engines; EXECBUFFER's @engine is
 *	below it (0 render, 1 blitter: MVGPU_ENGINE_RCS, MVGPU_ENGINE_BCS).
 * @MVGPU_PARAM_ENGINE_MASK: bit e set if engine e can take submissions.
 * @MVGPU_PARAM_GGTT_BASE: first graphics address of the vGPU's GGTT slice.
 * @MVGPU_PARAM_GGTT_SIZE: size in bytes of the vGPU's GGTT slice.  The
 *	driver keeps rings and status pages there.  Batches must not
 *	select the GGTT (operands or batch starts with their GGTT bit):
 *	those addresses are the driver's, and the device does not stop a
 *	PPGTT batch from using them unless the host enables the Gen9
 *	non-privileged batch rule for the vGPU.
 * @MVGPU_PARAM_VRAM_SIZE: size in bytes of the vGPU's local memory (BAR2).
 *	Not used for BOs by this version of the driver.
 * @MVGPU_PARAM_VA_START: lowest GPU virtual address a BO can get.
 * @MVGPU_PARAM_VA_END: end (exclusive) of the range BO addresses come from.
 *	The PPGTT itself spans 2^48 bytes.
 * @MVGPU_PARAM_WATCHDOG_MS: the device's hang timeout: a ring command
 *	(one submission's batch) running longer faults with MVGPU_FAULT_HANG.
 * @MVGPU_PARAM_MAX_BOS: the most handles one EXECBUFFER may list.
 * @MVGPU_PARAM_RING_SIZE: bytes of each engine's ring buffer.
 */
enum drm_mvgpu_param {
	MVGPU_PARAM_HW_VERSION = 1,
	MVGPU_PARAM_VGPU_TYPE = 2,
	MVGPU_PARAM_NUM_ENGINES = 3,
	MVGPU_PARAM_ENGINE_MASK = 4,
	MVGPU_PARAM_GGTT_BASE = 5,
	MVGPU_PARAM_GGTT_SIZE = 6,
	MVGPU_PARAM_VRAM_SIZE = 7,
	MVGPU_PARAM_VA_START = 8,
	MVGPU_PARAM_VA_END = 9,
	MVGPU_PARAM_WATCHDOG_MS = 10,
	MVGPU_PARAM_MAX_BOS = 11,
	MVGPU_PARAM_RING_SIZE = 12,
};

/**
 * struct drm_mvgpu_get_param - argument of DRM_IOCTL_MVGPU_GET_PARAM
 *
 * Fails with EINVAL for an unknown @param or non-zero @pad.
 */
struct drm_mvgpu_get_param {
	/** @param: in, one of &enum drm_mvgpu_param. */
	__u32 param;
	/** @pad: must be 0. */
	__u32 pad;
	/** @value: out, the value. */
	__u64 value;
};

/*
 * BO flags (drm_mvgpu_gem_create.flags).
 *
 * MVGPU_BO_READONLY: the GPU may only read the BO: its PPGTT entries lack
 * the writable bit, and a GPU write faults (MVGPU_FAULT_READ_ONLY).  The
 * CPU mapping stays writable.
 */
#define MVGPU_BO_READONLY		(1u << 0)
#define MVGPU_BO_FLAGS			MVGPU_BO_READONLY

/**
 * struct drm_mvgpu_gem_create - argument of DRM_IOCTL_MVGPU_GEM_CREATE
 *
 * Creates a BO of shmem-backed system memory, zero-filled, and a handle
 * for it in the calling file, and gives it a GPU virtual address in the
 * file's address space.  The pages are allocated when first used (CPU
 * mapping or a submission).  Errors: EINVAL (size 0, unknown flags,
 * non-zero pad), E2BIG (size beyond the address space), ENOSPC (address
 * space full), ENOMEM.
 */
struct drm_mvgpu_gem_create {
	/** @size: in, bytes; out, rounded up to a multiple of 4096. */
	__u64 size;
	/** @flags: in, MVGPU_BO_*. */
	__u32 flags;
	/** @handle: out, the GEM handle. */
	__u32 handle;
	/**
	 * @gpu_va: out, the BO's GPU virtual address in this file's PPGTT
	 * (4 KiB aligned).  Valid while the handle is open; the page after
	 * the BO is never mapped, so overruns fault.
	 */
	__u64 gpu_va;
};

/**
 * struct drm_mvgpu_gem_mmap_offset - argument of DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET
 *
 * Gives the fake offset to pass to mmap(2) on the DRM file descriptor to
 * map the BO (MAP_SHARED, cached).  Errors: ENOENT (no such handle),
 * EINVAL (non-zero pad).
 */
struct drm_mvgpu_gem_mmap_offset {
	/** @handle: in, GEM handle. */
	__u32 handle;
	/** @pad: must be 0. */
	__u32 pad;
	/** @offset: out, the mmap offset. */
	__u64 offset;
};

/**
 * struct drm_mvgpu_gem_info - argument of DRM_IOCTL_MVGPU_GEM_INFO
 *
 * Describes a handle of this file, also one obtained with GEM_OPEN (flink)
 * or PRIME import: every handle has a GPU virtual address in its file's
 * address space.  Errors: ENOENT (no such handle).
 */
struct drm_mvgpu_gem_info {
	/** @handle: in, GEM handle. */
	__u32 handle;
	/** @flags: out, MVGPU_BO_* given at creation. */
	__u32 flags;
	/** @size: out, bytes. */
	__u64 size;
	/** @gpu_va: out, GPU virtual address in this file's PPGTT. */
	__u64 gpu_va;
};

/*
 * EXECBUFFER flags.
 *
 * MVGPU_EXEC_BATCH_GGTT is not offered: batches always run from the
 * submitting file's PPGTT.  No flag is defined yet; @flags must be 0.
 */
#define MVGPU_EXEC_FLAGS		0u

/**
 * struct drm_mvgpu_execbuffer - argument of DRM_IOCTL_MVGPU_EXECBUFFER
 *
 * Queues the batch at @batch_offset in BO @batch_handle on engine @engine,
 * to run with the calling file's PPGTT.  The kernel makes every BO in
 * @bo_handles (and the batch BO) resident and mapped at its GPU virtual
 * address, keeps them alive until the submission completes, emits the
 * batch start into the engine's ring followed by a breadcrumb, and returns
 * at once.  Submissions on one engine run in the order they were queued,
 * whatever file queued them; the two engines run independently.
 *
 * The batch must end with MI_BATCH_BUFFER_END within @batch_len bytes.
 * Only addresses of BOs the file has handles for are mapped; a batch that
 * touches anything else faults, like any other invalid command.
 *
 * If @in_syncobj is not 0, the submission waits until the fence in that
 * syncobj signals; if that fence carries an error the batch is not run and
 * the submission completes with the same error.  If @out_syncobj is not
 * 0, the syncobj's fence is replaced by the submission's completion fence.
 * An in-syncobj without a fence fails with EINVAL, as in the DRM core.
 *
 * Completion status (WAIT's @error, the fence error): 0; -EIO the batch
 * faulted (details in GET_RESET_STATS); -ETIMEDOUT the batch hung and the
 * device's watchdog stopped it; -ECANCELED the submission was abandoned
 * by a vGPU reset or device removal; an in-fence's error.  A fault or hang
 * affects only the submission that caused it: the engine is reset and the
 * queued submissions behind it run normally.
 *
 * Errors: EINVAL (bad engine, flags, pad, zero or unaligned length,
 * range outside the batch BO, too many handles), ENOENT (unknown BO or
 * syncobj handle), EFAULT, ENOMEM, ENODEV (device removed).
 */
struct drm_mvgpu_execbuffer {
	/** @engine: in, MVGPU_ENGINE_RCS (0) or MVGPU_ENGINE_BCS (1). */
	__u32 engine;
	/** @flags: in, MVGPU_EXEC_* (none defined: 0). */
	__u32 flags;
	/** @batch_handle: in, BO holding the batch. */
	__u32 batch_handle;
	/** @batch_offset: in, byte offset of the batch in it, 4-aligned. */
	__u32 batch_offset;
	/** @batch_len: in, bytes of the batch, > 0, multiple of 4. */
	__u32 batch_len;
	/** @bo_count: in, number of handles at @bo_handles. */
	__u32 bo_count;
	/**
	 * @bo_handles: in, user pointer to @bo_count __u32 GEM handles the
	 * batch uses (the batch BO may be listed or not; duplicates are
	 * allowed).
	 */
	__u64 bo_handles;
	/** @in_syncobj: in, syncobj to wait for before running, or 0. */
	__u32 in_syncobj;
	/** @out_syncobj: in, syncobj to receive the completion fence, or 0. */
	__u32 out_syncobj;
	/**
	 * @seqno: out, this file's sequence number of the submission
	 * (1, 2, ...), for DRM_IOCTL_MVGPU_WAIT.
	 */
	__u64 seqno;
};

/*
 * WAIT flags, out.  MVGPU_WAIT_EXPIRED: the submission completed so long
 * ago that its status was dropped (the file keeps the status of the last
 * MVGPU_WAIT_HISTORY submissions); @error is 0 then.
 */
#define MVGPU_WAIT_EXPIRED		(1u << 0)
#define MVGPU_WAIT_HISTORY		1024

/**
 * struct drm_mvgpu_wait - argument of DRM_IOCTL_MVGPU_WAIT
 *
 * Waits until submission @seqno of this file has completed, at most
 * @timeout_ns nanoseconds (0: just check).  Returns 0 once it has
 * completed, with its status in @error; ETIME if it has not completed in
 * time; EINTR (restartable) on a signal.  @timeout_ns is updated with the
 * time left, so a restarted call waits no longer in total.  EINVAL for a
 * @seqno this file never returned or non-zero @flags.
 */
struct drm_mvgpu_wait {
	/** @seqno: in, from drm_mvgpu_execbuffer.seqno. */
	__u64 seqno;
	/** @timeout_ns: in, relative timeout; out, time left. */
	__s64 timeout_ns;
	/** @error: out, the completion status (see EXECBUFFER), 0 or -errno. */
	__s32 error;
	/** @flags: in, must be 0; out, MVGPU_WAIT_*. */
	__u32 flags;
};

/**
 * struct drm_mvgpu_reset_stats - argument of DRM_IOCTL_MVGPU_GET_RESET_STATS
 *
 * What went wrong with this file's submissions, and device-wide resets.
 * Counters only grow.  The last_* fields describe the most recent fault or
 * hang of this file (all 0 if none); the fault registers are those of
 * Documentation/hw-interface.rst.
 */
struct drm_mvgpu_reset_stats {
	/** @flags: in, must be 0. */
	__u32 flags;
	/** @faults: submissions of this file that faulted (-EIO). */
	__u32 faults;
	/** @hangs: submissions of this file stopped by the watchdog. */
	__u32 hangs;
	/** @cancelled: submissions abandoned by a vGPU reset or removal. */
	__u32 cancelled;
	/** @device_resets: vGPU resets since the driver bound the device. */
	__u32 device_resets;
	/** @last_engine: engine of the last fault or hang. */
	__u32 last_engine;
	/** @last_fault_status: its FAULT_STATUS (type in bits 7:0). */
	__u32 last_fault_status;
	/** @last_fault_instr: its FAULT_INSTR, DW0 of the faulting command. */
	__u32 last_fault_instr;
	/** @last_fault_addr: its FAULT_ADDR, the address that faulted. */
	__u64 last_fault_addr;
	/** @last_fault_cmd: its FAULT_CMD, address of the faulting command. */
	__u64 last_fault_cmd;
	/** @last_seqno: seqno of the submission that faulted or hung. */
	__u64 last_seqno;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_MVGPU_DRM_H */
