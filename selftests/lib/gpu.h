/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small userspace "GPU driver" for mvgpu vGPUs on top of vfio_util: buffer
 * objects in DMA memory or local memory (BAR2), GGTT and PPGTT binding,
 * rings with breadcrumbs, interrupts and fault registers.  Commands are
 * built with gpu_cmds.h, which it includes.
 *
 * It programs the device only as the hardware interface says, so the
 * selftests built on it test that interface.  Functions returning int
 * return 0 (or a documented positive value) on success, a negative errno on
 * failure; gpu_err() then describes the step that failed.
 */
#ifndef MVGPU_SELFTEST_GPU_H
#define MVGPU_SELFTEST_GPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvgpu_hw.h"
#include "gpu_cmds.h"
#include "gpu_ref.h"
#include "vfio_util.h"

/* DMA addresses (IOVAs) the library hands out start here. */
#define GPU_IOVA_BASE		0x100000000ull
/* Unmapped graphics pages left after every GGTT allocation. */
#define GPU_GGTT_GUARD		4096ull
/* Page table pages of the PPGTT pool. */
#define GPU_PT_POOL_PAGES	128
/* Default time a wait allows the engine (a slow, emulated machine). */
#define GPU_WAIT_MS		10000

/* gpu_bo_new() flags */
#define GPU_BO_LOCAL		(1u << 0)	/* in local memory (BAR2) */
#define GPU_BO_NO_GGTT		(1u << 1)	/* not bound in the GGTT */
#define GPU_BO_READONLY		(1u << 2)	/* GGTT PTEs not writable */

/**
 * struct gpu_bo - a buffer object
 * @cpu: CPU view (anonymous DMA memory, or the BAR2 mapping)
 * @size: bytes, a multiple of 4 KiB
 * @iova: DMA address the buffer is mapped at (0 for local memory)
 * @local: offset in local memory (GPU_BO_LOCAL)
 * @gaddr: GGTT address it is bound at, 0 if not bound
 * @flags: GPU_BO_*
 * @dma_mapped: @iova is currently mapped for the device
 * @next: the device's list of buffers
 */
struct gpu_bo {
	void *cpu;
	uint64_t size;
	uint64_t iova;
	uint64_t local;
	uint64_t gaddr;
	unsigned int flags;
	bool dma_mapped;
	struct gpu_bo *next;
};

/**
 * struct gpu_ring - the driver's view of one engine's ring
 * @engine: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS
 * @bo: ring memory, bound in the GGTT
 * @size: ring bytes
 * @tail: software tail: bytes written so far (mod @size)
 * @hws: the status page, bound in the GGTT
 * @seqno: last breadcrumb value emitted
 */
struct gpu_ring {
	unsigned int engine;
	struct gpu_bo *bo;
	uint32_t size;
	uint32_t tail;
	struct gpu_bo *hws;
	uint32_t seqno;
};

/**
 * struct gpu - one open vGPU
 * @dev: the VFIO device
 * @type: VGPU_TYPE register
 * @caps: CAPS register
 * @watchdog_ms: WATCHDOG_MS register
 * @ggtt_base: first graphics address of the vGPU's GGTT slice
 * @ggtt_size: bytes of the slice
 * @vram_size: bytes of local memory
 * @iova_next: next DMA address to hand out
 * @ggtt_next: next graphics address to hand out
 * @local_next: next local memory offset to hand out
 * @vram: BAR2 mapped, NULL until first needed
 * @bos: every buffer object, freed by gpu_close()
 * @ring: per engine; @ring[e].bo is NULL until gpu_ring_init()
 * @pt_pool: page table pages of the PPGTT, NULL until gpu_ppgtt_init()
 * @pt_used: pages of @pt_pool handed out (the first is the PML4)
 * @irq_fd: interrupt eventfd, -1 without gpu_irq_init()
 * @irq_msi: @irq_fd is the MSI trigger (else INTx)
 * @irq_seen: sources seen and acknowledged, not yet consumed by a wait
 */
struct gpu {
	struct mv_dev dev;
	uint32_t type;
	uint32_t caps;
	uint32_t watchdog_ms;
	uint64_t ggtt_base;
	uint64_t ggtt_size;
	uint64_t vram_size;
	uint64_t iova_next;
	uint64_t ggtt_next;
	uint64_t local_next;
	uint8_t *vram;
	struct gpu_bo *bos;
	struct gpu_ring ring[MVGPU_NUM_ENGINES];
	struct gpu_bo *pt_pool;
	unsigned int pt_used;
	int irq_fd;
	bool irq_msi;
	uint32_t irq_seen;
};

/**
 * struct gpu_fault - an engine's fault and ring registers
 */
struct gpu_fault {
	uint32_t status;	/* FAULT_STATUS */
	uint32_t instr;		/* FAULT_INSTR */
	uint64_t addr;		/* FAULT_ADDR */
	uint64_t cmd;		/* FAULT_CMD */
	uint32_t engine_status;	/* ENGINE_STATUS */
	uint32_t head;		/* RING_HEAD */
	uint32_t tail;		/* RING_TAIL */
};

const char *gpu_err(void);
/* Monotonic milliseconds / nanoseconds. */
uint64_t gpu_now_ms(void);
uint64_t gpu_now_ns(void);
void gpu_sleep_ms(unsigned int ms);

/* ---- device ------------------------------------------------------------ */

/* A closed handle: safe to pass to gpu_close(). */
void gpu_init(struct gpu *g);
/*
 * Open the vGPU @uuid, read its identity and slice, enable memory decoding
 * and bus mastering.  Fails if the device lacks MVGPU_CAP_ENGINES.
 * The environment variable MVGPU_OPEN_MODE=cdev|container overrides @mode:
 * gpu.sh uses it to keep every program on iommufd on the lockdep kernel
 * (Linux 6.12's type1 container reports a lock inversion of its own
 * whenever an emulated device unpins in its dma_unmap callback).
 */
int gpu_open(struct gpu *g, const char *uuid, enum mv_open_mode mode);
/* Close the device, then unmap and free every buffer; idempotent. */
void gpu_close(struct gpu *g);

int gpu_rd(struct gpu *g, uint32_t off, uint32_t *val);
int gpu_wr(struct gpu *g, uint32_t off, uint32_t val);
/* Engine registers: @reg relative to MVGPU_ENGINE_BASE(@e). */
int gpu_erd(struct gpu *g, unsigned int e, uint32_t reg, uint32_t *val);
int gpu_ewr(struct gpu *g, unsigned int e, uint32_t reg, uint32_t val);

/* ---- memory ------------------------------------------------------------ */

/* Write / read the GGTT entry of graphics address @gaddr. */
int gpu_ggtt_write(struct gpu *g, uint64_t gaddr, uint64_t pte);
int gpu_ggtt_read(struct gpu *g, uint64_t gaddr, uint64_t *pte);
/* Reserve @size bytes of graphics addresses (plus a guard page). */
int gpu_ggtt_alloc(struct gpu *g, uint64_t size, uint64_t *gaddr);
/* The PTE mapping page @off of @bo (present, writable unless READONLY). */
uint64_t gpu_bo_pte(const struct gpu_bo *bo, uint64_t off);
/* Bind @bo at graphics address @gaddr in the GGTT (every page). */
int gpu_bo_bind_ggtt(struct gpu *g, struct gpu_bo *bo, uint64_t gaddr);
/* Clear the GGTT entries of @bo's binding. */
int gpu_bo_unbind_ggtt(struct gpu *g, struct gpu_bo *bo);

/*
 * A zeroed buffer of @size bytes (rounded up to 4 KiB): DMA memory mapped
 * at a fresh IOVA, or local memory (GPU_BO_LOCAL); bound in the GGTT at a
 * fresh address unless GPU_BO_NO_GGTT.  NULL on failure.
 */
struct gpu_bo *gpu_bo_new(struct gpu *g, uint64_t size, unsigned int flags);
/* Unbind, unmap and free @bo (NULL is fine). */
void gpu_bo_free(struct gpu *g, struct gpu_bo *bo);
/* Remove @bo's DMA mapping only (its memory stays); idempotent. */
int gpu_bo_dma_unmap(struct gpu *g, struct gpu_bo *bo);

/* ---- PPGTT ------------------------------------------------------------- */

/* Allocate the page table pool and an empty PML4. */
int gpu_ppgtt_init(struct gpu *g);
/* CTX_DESC value of the PPGTT (PML4 | VALID). */
uint64_t gpu_ppgtt_desc(struct gpu *g);
/* Load CTX_DESC of engine @e (0 disables the PPGTT). */
int gpu_ppgtt_enable(struct gpu *g, unsigned int e, uint64_t desc);
/*
 * Pointer to the entry for @gaddr at @level (0 PML4 .. 3 PT), creating the
 * directories above it; NULL on failure (pool exhausted, or a directory
 * entry that does not point into the pool).
 */
uint64_t *gpu_ppgtt_entry(struct gpu *g, uint64_t gaddr, unsigned int level);
/* Set the leaf entry of @gaddr. */
int gpu_ppgtt_set(struct gpu *g, uint64_t gaddr, uint64_t pte);
/* Map @bo at PPGTT address @gaddr, writable or not. */
int gpu_ppgtt_bind(struct gpu *g, struct gpu_bo *bo, uint64_t gaddr,
		   bool writable);

/* ---- rings ------------------------------------------------------------- */

/*
 * Set up engine @e's ring of @size bytes and its status page and enable
 * it.  The ring must be idle or disabled.
 */
int gpu_ring_init(struct gpu *g, unsigned int e, uint32_t size);
/*
 * Copy @n dwords into the ring at the software tail, waiting (up to
 * GPU_WAIT_MS) for space.  Fails with -EIO if the engine halts meanwhile.
 */
int gpu_ring_emit(struct gpu *g, unsigned int e, const uint32_t *dw,
		  size_t n);
/* Pad the software tail to 8 bytes with MI_NOOP and write RING_TAIL. */
int gpu_ring_kick(struct gpu *g, unsigned int e);
/*
 * Emit @n dwords, a breadcrumb (the next seqno into the status page) and
 * MI_USER_INTERRUPT, without ringing the doorbell.  The seqno is returned
 * in *@seqno.  BAR0 accesses wait while a slice of the vGPU runs, so a
 * driver that wants a long queue queues it first and kicks once.
 */
int gpu_queue(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n,
	      uint32_t *seqno);
/* gpu_queue(), then gpu_ring_kick(). */
int gpu_submit(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n,
	       uint32_t *seqno);
/* Submit a batch at @gaddr (MI_BATCH_BUFFER_START @bb_flags) likewise. */
int gpu_submit_batch(struct gpu *g, unsigned int e, uint64_t gaddr,
		     uint32_t bb_flags, uint32_t *seqno);
/* The breadcrumb engine @e last wrote. */
uint32_t gpu_seqno_read(struct gpu *g, unsigned int e);
/*
 * Wait up to @timeout_ms for breadcrumb @seqno on engine @e.  -EIO if the
 * engine halted (a fault), -ETIMEDOUT on timeout.
 */
int gpu_wait_seqno(struct gpu *g, unsigned int e, uint32_t seqno,
		   unsigned int timeout_ms);
/* Wait until the engine is idle (not busy); -EIO if it halted. */
int gpu_wait_idle(struct gpu *g, unsigned int e, unsigned int timeout_ms);
/*
 * Wait until engine @e halts: 0, or -ETIMEDOUT.  The fault registers are
 * read into *@f (may be NULL).
 */
int gpu_wait_halt(struct gpu *g, unsigned int e, unsigned int timeout_ms,
		  struct gpu_fault *f);
/* Submit @n dwords and wait for them; -EIO on a fault. */
int gpu_run(struct gpu *g, unsigned int e, const uint32_t *dw, size_t n);
/* Run a batch at @gaddr and wait for it. */
int gpu_run_batch(struct gpu *g, unsigned int e, uint64_t gaddr,
		  uint32_t bb_flags);

/* ---- faults ------------------------------------------------------------ */

int gpu_fault_read(struct gpu *g, unsigned int e, struct gpu_fault *f);
/*
 * Reset engine @e (ENGINE_RESET key) and resynchronise the software tail
 * with the hardware's: queued commands are discarded.
 */
int gpu_engine_reset(struct gpu *g, unsigned int e);
/* A one-line description of engine @e's registers, for diagnostics. */
void gpu_engine_describe(struct gpu *g, unsigned int e, char *buf,
			 size_t len);

/* ---- interrupts -------------------------------------------------------- */

/*
 * Set up the interrupt: MSI (@msi) or INTx, an eventfd as its trigger, and
 * IRQ_ENABLE = @enable.  Pending status is cleared first.
 */
int gpu_irq_init(struct gpu *g, bool msi, uint32_t enable);
/*
 * Wait up to @timeout_ms for any source in @want: acknowledges every
 * pending source, returns 1 and the wanted sources seen in *@got (they are
 * consumed), 0 on timeout, or a negative errno.  Sources seen but not
 * wanted stay recorded for later waits.
 */
int gpu_irq_wait(struct gpu *g, uint32_t want, unsigned int timeout_ms,
		 uint32_t *got);
/*
 * Forget recorded sources, acknowledge pending ones and consume the
 * eventfd's pending signals.
 */
int gpu_irq_clear(struct gpu *g);

/* ---- commands (gpu_cmds.h builds them) --------------------------------- */

/* Copy @c into @bo at byte @off; -ENOSPC if it does not fit, -ENOMEM on oom. */
int gpu_cmds_store(const struct gpu_cmds *c, struct gpu_bo *bo,
		   uint64_t off);

/* ---- write prediction check (uapi/mvgpu_debug.h) ------------------------ */

/* The counters of <debugfs>/mvgpu/writes. */
struct gpu_wpred {
	bool armed;
	uint64_t workloads;
	uint64_t unchecked;
	uint64_t predicted;
	uint64_t written;
	uint64_t misses;
	char first_miss[100];	/* "dma 0x..." or "" */
};

/* Arm the check for the vGPU @uuid (NULL: all vGPUs); clears the counters. */
int gpu_wpred_arm(const char *uuid);
int gpu_wpred_disarm(void);
int gpu_wpred_read(struct gpu_wpred *w);

#endif /* MVGPU_SELFTEST_GPU_H */
