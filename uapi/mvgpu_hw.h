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
#define MVGPU_REG_VGPU_TYPE		0x000c	/* 1, 2, 4, 8: parent fraction */
#define MVGPU_REG_VRAM_SIZE_LO		0x0010	/* BAR2 size in bytes */
#define MVGPU_REG_VRAM_SIZE_HI		0x0014
#define MVGPU_REG_GGTT_BASE_LO		0x0018	/* first graphics address the */
#define MVGPU_REG_GGTT_BASE_HI		0x001c	/* vGPU owns in the GGTT */
#define MVGPU_REG_GGTT_SIZE_LO		0x0020	/* bytes of graphics address */
#define MVGPU_REG_GGTT_SIZE_HI		0x0024	/* space the vGPU owns */
#define MVGPU_REG_INSTANCE		0x0028	/* parent-wide vGPU index */

/* Interrupts: one source register, level semantics, write-1-to-clear. */
#define MVGPU_REG_IRQ_STATUS		0x0040	/* pending sources (RW1C) */
#define MVGPU_REG_IRQ_ENABLE		0x0044	/* sources that assert the IRQ */
#define MVGPU_REG_IRQ_RAISE		0x0048	/* WO: set bits in IRQ_STATUS */
#define   MVGPU_IRQ_SOFTWARE		(1u << 31)	/* only bit RAISE may set */

#define MVGPU_REG_SCRATCH0		0x0080	/* 4 read/write scratch words, */
#define MVGPU_REG_SCRATCH_COUNT		4	/* reset to 0 */

#endif /* _UAPI_MVGPU_HW_H */
