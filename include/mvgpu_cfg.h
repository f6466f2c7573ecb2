/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated PCI configuration space of a vGPU (gvt/cfg_space.c).
 *
 * Pure logic: no locking, no kernel services; the caller serialises access
 * (the vGPU's state mutex).  Builds in userspace for selftests/unit/.
 */
#ifndef _MVGPU_CFG_H
#define _MVGPU_CFG_H

#include "mvgpu_compat.h"
#include "uapi/mvgpu_hw.h"

/**
 * struct mvgpu_cfg - one function's 256-byte configuration space
 * @data: current contents, little endian as on the bus
 * @wmask: per bit, 1 if a guest write stores the written value
 * @w1cmask: per bit, 1 if writing 1 clears it (RW1C status bits)
 *
 * Read-only bits are those clear in both masks.  Bits that reflect live
 * device state (the INTx status bit) are set by the device model through
 * mvgpu_cfg_set_intx_status(), never by a write.
 */
struct mvgpu_cfg {
	u8 data[MVGPU_PCI_CFG_SIZE];
	u8 wmask[MVGPU_PCI_CFG_SIZE];
	u8 w1cmask[MVGPU_PCI_CFG_SIZE];
};

/* Command register bits a guest may set; all others read 0. */
#define MVGPU_CFG_COMMAND_WMASK	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
				 PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
				 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)
/* Status bits that are write-1-to-clear. */
#define MVGPU_CFG_STATUS_W1C	(PCI_STATUS_PARITY | \
				 PCI_STATUS_SIG_TARGET_ABORT | \
				 PCI_STATUS_REC_TARGET_ABORT | \
				 PCI_STATUS_REC_MASTER_ABORT | \
				 PCI_STATUS_SIG_SYSTEM_ERROR | \
				 PCI_STATUS_DETECTED_PARITY)

void mvgpu_cfg_init(struct mvgpu_cfg *cfg, u16 subsys_device, u64 bar0_size,
		    u64 bar2_size);
int mvgpu_cfg_set_bar(struct mvgpu_cfg *cfg, unsigned int bar, u64 size,
		      u32 flags);
void mvgpu_cfg_reset(struct mvgpu_cfg *cfg);
int mvgpu_cfg_read(const struct mvgpu_cfg *cfg, u64 offset, void *buf,
		   size_t len);
int mvgpu_cfg_write(struct mvgpu_cfg *cfg, u64 offset, const void *buf,
		    size_t len);
u32 mvgpu_cfg_read32(const struct mvgpu_cfg *cfg, unsigned int offset);
bool mvgpu_cfg_msi_enabled(const struct mvgpu_cfg *cfg);
bool mvgpu_cfg_intx_disabled(const struct mvgpu_cfg *cfg);
void mvgpu_cfg_set_intx_status(struct mvgpu_cfg *cfg, bool pending);

#endif /* _MVGPU_CFG_H */
