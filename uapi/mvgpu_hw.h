/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mvgpu virtual GPU: the hardware interface a guest driver programs.
 *
 * Documentation/hw-interface.rst is the manual; this header is its
 * machine-readable half.  Everything here is ABI: values only ever get added.
 */
#ifndef _UAPI_MVGPU_HW_H
#define _UAPI_MVGPU_HW_H

/*
 * PCI identity.  0x6d76 ("mv") is not assigned to any vendor by the PCI-SIG
 * list shipped in pci.ids; it identifies the mediated device only.
 */
#define MVGPU_PCI_VENDOR_ID		0x6d76
#define MVGPU_PCI_DEVICE_ID		0x0001
#define MVGPU_PCI_REVISION		0x01
/* Display controller, "other" sub-class: no VGA legacy decoding. */
#define MVGPU_PCI_CLASS			0x038000
#define MVGPU_PCI_SUBSYS_VENDOR_ID	MVGPU_PCI_VENDOR_ID
/* The subsystem device ID is the vGPU type: 1, 2, 4 or 8 (parent fraction). */

/* Config space layout (conventional PCI, 256 bytes). */
#define MVGPU_PCI_CFG_SIZE		256
#define MVGPU_PCI_MSI_CAP		0x50	/* the only capability */

/*
 * BAR0: MMIO registers and the GGTT window.  64-bit, non-prefetchable, 16 MiB.
 * Accesses are trapped (never mmap-able): every register has side effects or
 * is audited.  Only naturally aligned 32-bit accesses are decoded; 64-bit
 * registers are two 32-bit halves, low half first.
 */
#define MVGPU_BAR0_SIZE			(16u << 20)
#define MVGPU_MMIO_REG_SIZE		(8u << 20)	/* 0 .. 8 MiB: registers */
#define MVGPU_GGTT_WINDOW_OFFSET	(8u << 20)	/* 8 .. 16 MiB: GGTT PTEs */

/*
 * BAR2: the vGPU's local memory ("VRAM"), 64-bit prefetchable, as large as the
 * vGPU type's share of the parent's GPU memory (a power of two).  Plain memory:
 * reads return what was written, and the VMM may mmap it.  Backing pages are
 * allocated on first touch, so an idle vGPU costs little host memory.
 */

/* Identity registers (read-only). */
#define MVGPU_REG_ID			0x0000	/* MVGPU_ID_MAGIC */
#define   MVGPU_ID_MAGIC		0x5047564du	/* "MVGP" little endian */
#define MVGPU_REG_VERSION		0x0004	/* major << 16 | minor */
#define   MVGPU_HW_VERSION_MAJOR	1
#define   MVGPU_HW_VERSION_MINOR	0
#define MVGPU_REG_CAPS			0x0008	/* MVGPU_CAP_* */
#define   MVGPU_CAP_MSI			(1u << 0)
#define   MVGPU_CAP_VRAM		(1u << 1)
#define   MVGPU_CAP_ENGINES		(1u << 2)	/* rings, GGTT, PPGTT */
#define MVGPU_REG_VGPU_TYPE		0x000c	/* 1, 2, 4, 8: parent fraction */
#define MVGPU_REG_VRAM_SIZE_LO		0x0010	/* BAR2 size in bytes */
#define MVGPU_REG_VRAM_SIZE_HI		0x0014
#define MVGPU_REG_GGTT_BASE_LO		0x0018	/* first graphics address the */
#define MVGPU_REG_GGTT_BASE_HI		0x001c	/* vGPU owns in the GGTT */
#define MVGPU_REG_GGTT_SIZE_LO		0x0020	/* bytes of graphics address */
#define MVGPU_REG_GGTT_SIZE_HI		0x0024	/* space the vGPU owns */
#define MVGPU_REG_INSTANCE		0x0028	/* parent-wide vGPU index */
#define MVGPU_REG_NUM_ENGINES		0x002c	/* MVGPU_NUM_ENGINES */
#define MVGPU_REG_WATCHDOG_MS		0x0030	/* hang timeout, ms (RO) */

/* Interrupts: one source register, level semantics, write-1-to-clear. */
#define MVGPU_REG_IRQ_STATUS		0x0040	/* pending sources (RW1C) */
#define MVGPU_REG_IRQ_ENABLE		0x0044	/* sources that assert the IRQ */
#define MVGPU_REG_IRQ_RAISE		0x0048	/* WO: set bits in IRQ_STATUS */
#define   MVGPU_IRQ_SOFTWARE		(1u << 31)	/* only bit RAISE may set */
/* Engine sources: four bits per engine, engine e at bits 4e .. 4e+3. */
#define   MVGPU_IRQ_USER(e)		(1u << (4 * (e) + 0))	/* MI_USER_INTERRUPT, notify */
#define   MVGPU_IRQ_COMPLETE(e)		(1u << (4 * (e) + 1))	/* ring ran dry: head == tail */
#define   MVGPU_IRQ_FAULT(e)		(1u << (4 * (e) + 2))	/* engine halted, see FAULT_* */

#define MVGPU_REG_SCRATCH0		0x0080	/* 4 read/write scratch words, */
#define MVGPU_REG_SCRATCH_COUNT		4	/* reset to 0 */

/*
 * Graphics addresses and the GGTT.
 *
 * The parent GPU has one global graphics address space of MVGPU_GGTT_TOTAL
 * bytes (4 GiB), translated by the global GTT: one 64-bit PTE per 4 KiB page.
 * PTE i sits at BAR0 offset MVGPU_GGTT_WINDOW_OFFSET + 8 * i, written as two
 * dwords.  A vGPU owns the slice [GGTT_BASE, GGTT_BASE + GGTT_SIZE): writes
 * to PTEs outside it are dropped, reads of them return 0, and a command that
 * uses a graphics address outside it faults (MVGPU_FAULT_GGTT_RANGE).
 * A PTE update takes effect when its high dword is written.
 */
#define MVGPU_GTT_PAGE_SHIFT		12
#define MVGPU_GTT_PAGE_SIZE		(1u << MVGPU_GTT_PAGE_SHIFT)
#define MVGPU_GGTT_TOTAL		(1ull << 32)

/*
 * PTE format, shared by GGTT entries and by all four PPGTT levels:
 *   bit 0      present
 *   bit 1      writable (leaf: the engine may write the page; directory
 *              entries ignore it)
 *   bit 2      local: the address is an offset in the vGPU's local memory
 *              (BAR2) rather than a DMA (guest physical) address.  Leaf
 *              entries only; PPGTT directories always live in DMA memory.
 *   bits 51:12 page address
 * Other bits are ignored.
 */
#define MVGPU_PTE_PRESENT		(1ull << 0)
#define MVGPU_PTE_WRITABLE		(1ull << 1)
#define MVGPU_PTE_LOCAL			(1ull << 2)
#define MVGPU_PTE_ADDR_MASK		0x000ffffffffff000ull

/*
 * PPGTT: per-context, 48-bit graphics addresses, four levels of 512 PTEs
 * (PML4, PDP, PD, PT), each level a 4 KiB page in DMA memory, indexed by
 * address bits 47:39, 38:30, 29:21 and 20:12 (Gen8 4-level layout).
 */
#define MVGPU_PPGTT_LEVELS		4
#define MVGPU_PPGTT_ADDR_BITS		48
#define MVGPU_PPGTT_ENTRIES		512

/*
 * Engines.  Each vGPU has its own copy of every engine's registers; the
 * parent's engines execute all vGPUs' rings, time-sliced.  Engine e's
 * registers are at MVGPU_ENGINE_BASE(e): 0x2000 (render) and 0x22000
 * (blitter), as on Intel Gen9.
 */
#define MVGPU_ENGINE_RCS		0	/* render: MI_*, PIPE_CONTROL */
#define MVGPU_ENGINE_BCS		1	/* blitter: MI_*, MI_FLUSH_DW, XY_* */
#define MVGPU_NUM_ENGINES		2
#define MVGPU_ENGINE_BASE(e)		(0x2000u + 0x20000u * (e))
#define MVGPU_ENGINE_REGS_SIZE		0x1000u

/* Ring registers, relative to MVGPU_ENGINE_BASE(e). */
#define MVGPU_RING_TAIL			0x030	/* doorbell: bytes, 8-aligned */
#define   MVGPU_RING_TAIL_MASK		0x001ffff8u
#define MVGPU_RING_HEAD			0x034	/* bytes; RW only while halted */
#define   MVGPU_RING_HEAD_MASK		0x001ffffcu	/* or disabled */
#define MVGPU_RING_START		0x038	/* GGTT address, 4 KiB aligned */
#define MVGPU_RING_CTL			0x03c
#define   MVGPU_RING_CTL_ENABLE		(1u << 0)
#define   MVGPU_RING_CTL_PAGES_SHIFT	12	/* bits 20:12: pages - 1 */
#define   MVGPU_RING_CTL_PAGES_MASK	0x001ff000u
#define   MVGPU_RING_CTL_SIZE(bytes)	((((bytes) >> 12) - 1) << 12)
#define MVGPU_RING_HWS			0x080	/* status page: GGTT address | VALID */
#define   MVGPU_RING_HWS_VALID		(1u << 0)
#define MVGPU_ENGINE_STATUS		0x0a0	/* RO */
#define   MVGPU_ENGINE_STATUS_ENABLED	(1u << 0)	/* RING_CTL enable */
#define   MVGPU_ENGINE_STATUS_BUSY	(1u << 1)	/* head != tail */
#define   MVGPU_ENGINE_STATUS_HALTED	(1u << 2)	/* fault; see FAULT_* */
#define   MVGPU_ENGINE_STATUS_WAITING	(1u << 3)	/* on MI_SEMAPHORE_WAIT */
#define MVGPU_ENGINE_RESET		0x0a4	/* WO: write MVGPU_ENGINE_RESET_KEY */
#define   MVGPU_ENGINE_RESET_KEY	0x1u
#define MVGPU_CTX_DESC_LO		0x0c0	/* PPGTT root of the context */
#define MVGPU_CTX_DESC_HI		0x0c4
#define   MVGPU_CTX_DESC_VALID		(1ull << 0)	/* PPGTT present */
/* The context's PPGTT batches may not select the GGTT (BAD_FIELD). */
#define   MVGPU_CTX_DESC_NO_GGTT	(1ull << 1)
#define   MVGPU_CTX_DESC_PML4_MASK	0x0000fffffffff000ull	/* DMA addr < 2^48 */
/* Fault report: valid while the engine is halted; ENGINE_RESET clears it. */
#define MVGPU_FAULT_STATUS		0x0d0	/* RO */
#define   MVGPU_FAULT_TYPE_MASK		0xffu	/* MVGPU_FAULT_* */
#define   MVGPU_FAULT_WRITE		(1u << 8)	/* access was a write */
#define   MVGPU_FAULT_PPGTT		(1u << 9)	/* FAULT_ADDR is PPGTT */
#define   MVGPU_FAULT_IN_BATCH		(1u << 10)	/* command in a batch */
#define   MVGPU_FAULT_CMD_PPGTT		(1u << 11)	/* ... a PPGTT batch */
#define   MVGPU_FAULT_VALID		(1u << 31)
#define MVGPU_FAULT_INSTR		0x0d4	/* first dword of the command */
#define MVGPU_FAULT_ADDR_LO		0x0d8	/* address or register that */
#define MVGPU_FAULT_ADDR_HI		0x0dc	/* faulted */
#define MVGPU_FAULT_CMD_LO		0x0e0	/* graphics address of the */
#define MVGPU_FAULT_CMD_HI		0x0e4	/* faulting command */
#define MVGPU_RING_TIMESTAMP_LO		0x358	/* ns, since the vGPU opened */
#define MVGPU_RING_TIMESTAMP_HI		0x35c
#define MVGPU_CS_GPR(n)			(0x600 + 8 * (n))	/* 64-bit, n < 16 */
#define MVGPU_CS_GPR_COUNT		16

#define MVGPU_RING_SIZE_MIN		4096u
#define MVGPU_RING_SIZE_MAX		(2u << 20)

/*
 * The status page (RING_HWS), 4 KiB.  The engine writes the ring head to
 * MVGPU_HWS_HEAD whenever the ring runs dry.  Drivers keep their breadcrumb
 * (the last completed seqno) at MVGPU_HWS_SEQNO, written by a post-sync
 * operation at the end of each request.
 */
#define MVGPU_HWS_HEAD			0x00
#define MVGPU_HWS_SEQNO			0x40

/* Fault types (FAULT_STATUS bits 7:0). */
#define MVGPU_FAULT_NONE		0
#define MVGPU_FAULT_GGTT_UNMAPPED	1	/* GGTT PTE not present */
#define MVGPU_FAULT_GGTT_RANGE		2	/* outside the vGPU's slice */
#define MVGPU_FAULT_PPGTT_UNMAPPED	3	/* PPGTT entry absent, addr >= 2^48 */
#define MVGPU_FAULT_NO_PPGTT		4	/* PPGTT use, no valid CTX_DESC */
#define MVGPU_FAULT_READ_ONLY		5	/* write to a read-only page */
#define MVGPU_FAULT_DMA			6	/* DMA address not mapped (or read-only
						 * for a write) by the VMM, or the host
						 * is out of memory */
#define MVGPU_FAULT_LOCAL_RANGE		7	/* beyond local memory */
#define MVGPU_FAULT_BAD_OPCODE		8	/* not in the command subset */
#define MVGPU_FAULT_BAD_LENGTH		9	/* wrong dword length field */
#define MVGPU_FAULT_BAD_ENGINE		10	/* command not on this engine */
#define MVGPU_FAULT_BAD_REGISTER	11	/* LRI/SRM outside the set */
#define MVGPU_FAULT_BAD_FIELD		12	/* unsupported field value */
#define MVGPU_FAULT_BATCH_DEPTH		13	/* nesting or BB_END misuse */
#define MVGPU_FAULT_RING		14	/* TAIL or HEAD beyond the ring, or a
						 * ring command running past TAIL */
#define MVGPU_FAULT_HANG		15	/* watchdog expired */
#define MVGPU_FAULT_BAD_PTE		16	/* LOCAL bit in a directory */
#define MVGPU_FAULT_BATCH_LOOP		17	/* checker: a batch chain comes back to
						 * a batch already on it */
#define MVGPU_FAULT_SCAN_LIMIT		18	/* checker: a submission over the
						 * checker's limits */

/*
 * Commands: a subset of Intel Gen9 encodings.  Bits 31:29 select the client
 * (0 MI, 2 2D blitter, 3 3D pipeline).  MI opcodes 0x00..0x0f are one dword
 * with no length field; longer MI commands and 2D commands hold the length
 * in dwords minus 2 in bits 7:0 (MVGPU_MI(op, 0) is simply the header of a
 * one-dword command).  Unlisted opcodes fault with MVGPU_FAULT_BAD_OPCODE.
 */
#define MVGPU_MI(op, len)		(((op) << 23) | (len))
#define MVGPU_MI_NOOP			MVGPU_MI(0x00, 0)
#define MVGPU_MI_USER_INTERRUPT		MVGPU_MI(0x02, 0)
#define MVGPU_MI_ARB_CHECK		MVGPU_MI(0x05, 0)
#define MVGPU_MI_BATCH_BUFFER_END	MVGPU_MI(0x0a, 0)
#define MVGPU_MI_SEMAPHORE_WAIT		MVGPU_MI(0x1c, 2)	/* 4 dwords */
#define   MVGPU_MI_SEMAPHORE_GGTT	(1u << 22)
#define   MVGPU_MI_SEMAPHORE_POLL	(1u << 15)
#define   MVGPU_MI_SEMAPHORE_OP(x)	((x) << 12)	/* SAD op SDD: */
#define   MVGPU_SEM_GT			0	/* >  */
#define   MVGPU_SEM_GTE			1	/* >= */
#define   MVGPU_SEM_LT			2	/* <  */
#define   MVGPU_SEM_LTE			3	/* <= */
#define   MVGPU_SEM_EQ			4	/* == */
#define   MVGPU_SEM_NEQ			5	/* != */
#define MVGPU_MI_STORE_DATA_IMM		MVGPU_MI(0x20, 2)	/* dword data */
#define MVGPU_MI_STORE_DATA_IMM_QW	(MVGPU_MI(0x20, 3) | (1u << 21))
#define   MVGPU_MI_USE_GGTT		(1u << 22)	/* SDI, SRM */
#define MVGPU_MI_LOAD_REGISTER_IMM(n)	MVGPU_MI(0x22, 2 * (n) - 1)
#define MVGPU_MI_STORE_REGISTER_MEM	MVGPU_MI(0x24, 2)	/* 4 dwords */
#define MVGPU_MI_FLUSH_DW		MVGPU_MI(0x26, 2)	/* dword post-sync */
#define MVGPU_MI_FLUSH_DW_QW		MVGPU_MI(0x26, 3)	/* qword post-sync */
#define   MVGPU_MI_FLUSH_DW_NOTIFY	(1u << 8)
#define   MVGPU_MI_FLUSH_DW_OP_STORE	(1u << 14)	/* write immediate */
#define   MVGPU_MI_FLUSH_DW_OP_TS	(3u << 14)	/* write timestamp */
#define   MVGPU_MI_FLUSH_DW_OP_MASK	(3u << 14)
#define   MVGPU_MI_FLUSH_DW_TLB_INVALIDATE (1u << 18)
#define   MVGPU_MI_FLUSH_DW_USE_GGTT	(1u << 2)	/* in the address dword */
#define MVGPU_MI_BATCH_BUFFER_START	MVGPU_MI(0x31, 1)	/* 3 dwords */
#define   MVGPU_MI_BB_PPGTT		(1u << 8)
#define   MVGPU_MI_BB_SECOND_LEVEL	(1u << 22)

#define MVGPU_PIPE_CONTROL		0x7a000004u	/* 6 dwords */
#define   MVGPU_PC_NOTIFY		(1u << 8)	/* DW1 flags */
#define   MVGPU_PC_OP_STORE		(1u << 14)	/* write imm, qword */
#define   MVGPU_PC_OP_TS		(3u << 14)	/* write timestamp */
#define   MVGPU_PC_OP_MASK		(3u << 14)
#define   MVGPU_PC_TLB_INVALIDATE	(1u << 18)
#define   MVGPU_PC_CS_STALL		(1u << 20)
#define   MVGPU_PC_USE_GGTT		(1u << 24)

#define MVGPU_BLT(op, len)		((2u << 29) | ((op) << 22) | (len))
#define MVGPU_XY_COLOR_BLT		MVGPU_BLT(0x50, 5)	/* 7 dwords */
#define MVGPU_XY_SRC_COPY_BLT		MVGPU_BLT(0x53, 8)	/* 10 dwords */
#define MVGPU_XY_FAST_COPY_BLT		MVGPU_BLT(0x42, 8)	/* 10 dwords */
#define   MVGPU_BLT_WRITE_ALPHA		(1u << 21)	/* XY_* 32 bpp */
#define   MVGPU_BLT_WRITE_RGB		(1u << 20)
#define   MVGPU_BLT_SRC_TILED		(1u << 15)	/* XY_SRC_COPY: fault */
#define   MVGPU_BLT_DST_TILED		(1u << 11)	/* XY_*: fault */
/* DW1 (BR13) of XY_COLOR_BLT / XY_SRC_COPY_BLT */
#define   MVGPU_BR13_DEPTH_8		(0u << 24)
#define   MVGPU_BR13_DEPTH_565		(1u << 24)
#define   MVGPU_BR13_DEPTH_1555		(2u << 24)
#define   MVGPU_BR13_DEPTH_32		(3u << 24)
#define   MVGPU_BR13_ROP(r)		((r) << 16)
#define   MVGPU_ROP_PATCOPY		0xf0	/* XY_COLOR_BLT */
#define   MVGPU_ROP_SRCCOPY		0xcc	/* XY_SRC_COPY_BLT */
/* XY_FAST_COPY_BLT: DW0 tiling fields, DW1 colour depth */
#define   MVGPU_FAST_SRC_TILING_MASK	(3u << 20)	/* 0: linear */
#define   MVGPU_FAST_DST_TILING_MASK	(3u << 13)	/* 0: linear */
#define   MVGPU_FAST_DEPTH(x)		((x) << 24)
#define   MVGPU_FAST_DEPTH_8		0
#define   MVGPU_FAST_DEPTH_16		1
#define   MVGPU_FAST_DEPTH_32		3
#define   MVGPU_FAST_DEPTH_64		4
#define   MVGPU_FAST_DEPTH_128		5
/* A rectangle corner dword: y << 16 | x. */
#define MVGPU_BLT_XY(x, y)		((((unsigned int)(y)) << 16) | ((unsigned int)(x) & 0xffffu))
/*
 * Largest span of memory one blit may touch (source or destination), and
 * the most bytes it may write (rows x row bytes): a blit is one command,
 * and commands are not preempted.
 */
#define MVGPU_BLT_MAX_BYTES		(64u << 20)

/*
 * Registers MI_LOAD_REGISTER_IMM and MI_STORE_REGISTER_MEM may name: BAR0
 * offsets inside the executing engine's own block.  LRI: the 32 GPR dwords.
 * SRM: those and RING_TIMESTAMP_LO/HI.  Anything else faults with
 * MVGPU_FAULT_BAD_REGISTER.
 */

#endif /* _UAPI_MVGPU_HW_H */
