// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: emulated PCI configuration space.
 *
 * The space is three byte arrays: contents, a write mask and a
 * write-1-to-clear mask.  mvgpu_cfg_init() encodes every rule of the device
 * (read-only IDs, writable command bits, BAR sizing, the MSI capability) as
 * mask bits once, so a write is the same two lines for every byte and BAR
 * sizing needs no special case: the address bits below the BAR size are
 * read-only zeros, so writing all ones reads back ~(size - 1) | flags.
 *
 * This file is pure logic and builds in userspace (selftests/unit/).
 */
#include "mvgpu_cfg.h"

#define MVGPU_CFG_MSI_CTRL	(MVGPU_PCI_MSI_CAP + PCI_MSI_FLAGS)
#define MVGPU_CFG_MSI_ADDR_LO	(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO)
#define MVGPU_CFG_MSI_ADDR_HI	(MVGPU_PCI_MSI_CAP + PCI_MSI_ADDRESS_HI)
#define MVGPU_CFG_MSI_DATA	(MVGPU_PCI_MSI_CAP + PCI_MSI_DATA_64)

static void mvgpu_cfg_put(u8 *array, unsigned int offset, u64 val,
			  unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		array[offset + i] = (u8)(val >> (8 * i));
}

static u64 mvgpu_cfg_get(const u8 *array, unsigned int offset,
			 unsigned int len)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		val |= (u64)array[offset + i] << (8 * i);
	return val;
}

static bool mvgpu_cfg_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/**
 * mvgpu_cfg_set_bar() - declare a memory BAR
 * @cfg: config space
 * @bar: BAR number, 0..5; a 64-bit BAR also takes @bar + 1
 * @size: size in bytes, a power of two >= 16; 0 makes the BAR unused
 * @flags: PCI_BASE_ADDRESS_MEM_TYPE_64 and/or PCI_BASE_ADDRESS_MEM_PREFETCH
 *
 * Address bits at or above log2(@size) become writable and everything else
 * read-only, which is all BAR sizing needs: writing all ones reads back
 * ~(@size - 1) | flags, and the upper half of a 64-bit BAR the upper bits.
 * An unused BAR reads 0 and ignores writes.
 *
 * Return: 0, or -EINVAL for a bad BAR number, size or flags.
 */
int mvgpu_cfg_set_bar(struct mvgpu_cfg *cfg, unsigned int bar, u64 size,
		      u32 flags)
{
	unsigned int offset = PCI_BASE_ADDRESS_0 + 4 * bar;
	bool is64 = flags & PCI_BASE_ADDRESS_MEM_TYPE_64;
	u64 wmask = ~(size - 1) & ~(u64)0xf;

	if (bar > 5 || (is64 && bar > 4) ||
	    (flags & ~(PCI_BASE_ADDRESS_MEM_TYPE_64 |
		       PCI_BASE_ADDRESS_MEM_PREFETCH)))
		return -EINVAL;
	if (size && (size < 16 || !mvgpu_cfg_is_pow2(size) ||
		     (!is64 && size > 0x80000000ull)))
		return -EINVAL;

	if (!size) {
		flags = 0;
		wmask = 0;
	}
	flags |= PCI_BASE_ADDRESS_SPACE_MEMORY;
	mvgpu_cfg_put(cfg->data, offset, size ? flags : 0, 4);
	mvgpu_cfg_put(cfg->wmask, offset, wmask, 4);
	if (is64) {
		mvgpu_cfg_put(cfg->data, offset + 4, 0, 4);
		mvgpu_cfg_put(cfg->wmask, offset + 4, wmask >> 32, 4);
	}
	return 0;
}

/**
 * mvgpu_cfg_init() - build the power-on configuration space
 * @cfg: space to initialise
 * @subsys_device: subsystem device ID (the vGPU type)
 * @bar0_size: size of BAR0 in bytes, a power of two >= 16
 * @bar2_size: size of BAR2 in bytes, a power of two >= 16
 *
 * Defines both the reset contents and every access rule.
 */
void mvgpu_cfg_init(struct mvgpu_cfg *cfg, u16 subsys_device, u64 bar0_size,
		    u64 bar2_size)
{
	memset(cfg, 0, sizeof(*cfg));

	/* Identity: all read-only. */
	mvgpu_cfg_put(cfg->data, PCI_VENDOR_ID, MVGPU_PCI_VENDOR_ID, 2);
	mvgpu_cfg_put(cfg->data, PCI_DEVICE_ID, MVGPU_PCI_DEVICE_ID, 2);
	cfg->data[PCI_REVISION_ID] = MVGPU_PCI_REVISION;
	mvgpu_cfg_put(cfg->data, PCI_CLASS_PROG, MVGPU_PCI_CLASS, 3);
	cfg->data[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	mvgpu_cfg_put(cfg->data, PCI_SUBSYSTEM_VENDOR_ID,
		      MVGPU_PCI_SUBSYS_VENDOR_ID, 2);
	mvgpu_cfg_put(cfg->data, PCI_SUBSYSTEM_ID, subsys_device, 2);

	mvgpu_cfg_put(cfg->wmask, PCI_COMMAND, MVGPU_CFG_COMMAND_WMASK, 2);
	mvgpu_cfg_put(cfg->data, PCI_STATUS, PCI_STATUS_CAP_LIST, 2);
	mvgpu_cfg_put(cfg->w1cmask, PCI_STATUS, MVGPU_CFG_STATUS_W1C, 2);

	/* Software-owned scratch bytes of the header. */
	cfg->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	cfg->wmask[PCI_LATENCY_TIMER] = 0xff;
	cfg->wmask[PCI_INTERRUPT_LINE] = 0xff;
	cfg->data[PCI_INTERRUPT_PIN] = 1;	/* INTA# */

	/*
	 * BAR0+1: registers; BAR2+3: VRAM.  BAR4/5 and the ROM stay 0.  The
	 * sizes are constants or powers of two checked at load: no error.
	 */
	mvgpu_cfg_set_bar(cfg, 0, bar0_size, PCI_BASE_ADDRESS_MEM_TYPE_64);
	mvgpu_cfg_set_bar(cfg, 2, bar2_size, PCI_BASE_ADDRESS_MEM_TYPE_64 |
			  PCI_BASE_ADDRESS_MEM_PREFETCH);

	/* The only capability: MSI, 64-bit address, one vector, no masking. */
	cfg->data[PCI_CAPABILITY_LIST] = MVGPU_PCI_MSI_CAP;
	cfg->data[MVGPU_PCI_MSI_CAP + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSI;
	cfg->data[MVGPU_PCI_MSI_CAP + PCI_CAP_LIST_NEXT] = 0;
	mvgpu_cfg_put(cfg->data, MVGPU_CFG_MSI_CTRL, PCI_MSI_FLAGS_64BIT, 2);
	mvgpu_cfg_put(cfg->wmask, MVGPU_CFG_MSI_CTRL, PCI_MSI_FLAGS_ENABLE, 2);
	/* The address is dword aligned: its two low bits are read-only 0. */
	mvgpu_cfg_put(cfg->wmask, MVGPU_CFG_MSI_ADDR_LO, 0xfffffffc, 4);
	mvgpu_cfg_put(cfg->wmask, MVGPU_CFG_MSI_ADDR_HI, 0xffffffff, 4);
	mvgpu_cfg_put(cfg->wmask, MVGPU_CFG_MSI_DATA, 0xffff, 2);
}

/**
 * mvgpu_cfg_reset() - the config-space part of a device reset
 * @cfg: space to reset
 *
 * VFIO_DEVICE_RESET keeps what the VMM programmed (BARs, interrupt line,
 * MSI address/data) but stops the device: decoding and bus mastering off,
 * MSI disabled, error status cleared.
 */
void mvgpu_cfg_reset(struct mvgpu_cfg *cfg)
{
	u16 ctrl = (u16)mvgpu_cfg_get(cfg->data, MVGPU_CFG_MSI_CTRL, 2);
	u16 status = (u16)mvgpu_cfg_get(cfg->data, PCI_STATUS, 2);

	mvgpu_cfg_put(cfg->data, PCI_COMMAND, 0, 2);
	mvgpu_cfg_put(cfg->data, PCI_STATUS, status & ~MVGPU_CFG_STATUS_W1C, 2);
	mvgpu_cfg_put(cfg->data, MVGPU_CFG_MSI_CTRL,
		      ctrl & ~PCI_MSI_FLAGS_ENABLE, 2);
}

static bool mvgpu_cfg_range_ok(u64 offset, size_t len)
{
	return len && offset < MVGPU_PCI_CFG_SIZE &&
	       len <= MVGPU_PCI_CFG_SIZE - offset;
}

/**
 * mvgpu_cfg_read() - read bytes of config space
 * @cfg: config space
 * @offset: first byte
 * @buf: destination, @len bytes
 * @len: bytes to read, 1 or more
 *
 * Any length and alignment inside the 256 bytes is valid: a VMM may read
 * the whole header at once.
 *
 * Return: 0, or -EINVAL if the range is empty or leaves the space.
 */
int mvgpu_cfg_read(const struct mvgpu_cfg *cfg, u64 offset, void *buf,
		   size_t len)
{
	if (!mvgpu_cfg_range_ok(offset, len))
		return -EINVAL;
	memcpy(buf, &cfg->data[offset], len);
	return 0;
}

/**
 * mvgpu_cfg_write() - write bytes of config space, applying the masks
 * @cfg: config space
 * @offset: first byte
 * @buf: source, @len bytes
 * @len: bytes to write, 1 or more
 *
 * Return: 0, or -EINVAL if the range is empty or leaves the space.
 */
int mvgpu_cfg_write(struct mvgpu_cfg *cfg, u64 offset, const void *buf,
		    size_t len)
{
	const u8 *src = buf;
	size_t i;

	if (!mvgpu_cfg_range_ok(offset, len))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int o = (unsigned int)offset + i;
		u8 v = src[i];

		cfg->data[o] = (cfg->data[o] & ~cfg->wmask[o]) |
			       (v & cfg->wmask[o]);
		cfg->data[o] &= ~(v & cfg->w1cmask[o]);
	}
	return 0;
}

/**
 * mvgpu_cfg_read32() - read a dword for the device model's own use
 * @cfg: config space
 * @offset: dword offset, below 256 and 4-byte aligned
 *
 * Return: the little-endian dword at @offset (0 if @offset is invalid).
 */
u32 mvgpu_cfg_read32(const struct mvgpu_cfg *cfg, unsigned int offset)
{
	if (offset > MVGPU_PCI_CFG_SIZE - 4 || (offset & 3))
		return 0;
	return (u32)mvgpu_cfg_get(cfg->data, offset, 4);
}

/**
 * mvgpu_cfg_msi_enabled() - is the MSI enable bit set?
 * @cfg: config space
 *
 * Return: true if the guest enabled MSI delivery.
 */
bool mvgpu_cfg_msi_enabled(const struct mvgpu_cfg *cfg)
{
	return mvgpu_cfg_get(cfg->data, MVGPU_CFG_MSI_CTRL, 2) &
	       PCI_MSI_FLAGS_ENABLE;
}

/**
 * mvgpu_cfg_intx_disabled() - is the command register's INTx disable set?
 * @cfg: config space
 *
 * Return: true if the guest forbade INTx assertion.
 */
bool mvgpu_cfg_intx_disabled(const struct mvgpu_cfg *cfg)
{
	return mvgpu_cfg_get(cfg->data, PCI_COMMAND, 2) &
	       PCI_COMMAND_INTX_DISABLE;
}

/**
 * mvgpu_cfg_set_intx_status() - mirror the INTx line in the status register
 * @cfg: config space
 * @pending: true if the function has an INTx interrupt pending
 *
 * PCI_STATUS_INTERRUPT is read-only to the guest and reports the device's
 * level regardless of the INTx disable bit.
 */
void mvgpu_cfg_set_intx_status(struct mvgpu_cfg *cfg, bool pending)
{
	u16 status = (u16)mvgpu_cfg_get(cfg->data, PCI_STATUS, 2);

	if (pending)
		status |= PCI_STATUS_INTERRUPT;
	else
		status &= ~PCI_STATUS_INTERRUPT;
	mvgpu_cfg_put(cfg->data, PCI_STATUS, status, 2);
}
