// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the BAR0 register file.
 *
 * Registers occupy the first MVGPU_MMIO_REG_SIZE bytes of BAR0, the GGTT
 * window the rest.  Only aligned 32-bit accesses reach this file.  Offsets
 * without a register read 0 and ignore writes.  The engine blocks go to
 * gvt/engine.c, the GGTT window to gvt/ggtt.c.
 */
#include "mvgpu.h"
#include "mvgpu_mmio.h"

static bool mvgpu_mmio_valid(u64 offset)
{
	return offset < MVGPU_BAR0_SIZE && IS_ALIGNED(offset, 4);
}

/* The vGPU engine whose register block holds @reg, or NULL. */
static struct mvgpu_vgpu_engine *mvgpu_mmio_engine(struct mvgpu_vgpu *vgpu,
						   u32 reg)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		if (reg >= MVGPU_ENGINE_BASE(e) &&
		    reg < MVGPU_ENGINE_BASE(e) + MVGPU_ENGINE_REGS_SIZE)
			return &vgpu->engines[e];
	return NULL;
}

static u32 mvgpu_mmio_reg_read(struct mvgpu_vgpu *vgpu, u32 reg)
{
	struct mvgpu_vgpu_engine *ve = mvgpu_mmio_engine(vgpu, reg);

	if (ve)
		return mvgpu_engine_mmio_read(ve, reg - MVGPU_ENGINE_BASE(ve->id));

	switch (reg) {
	case MVGPU_REG_ID:
		return MVGPU_ID_MAGIC;
	case MVGPU_REG_VERSION:
		return MVGPU_HW_VERSION_MAJOR << 16 | MVGPU_HW_VERSION_MINOR;
	case MVGPU_REG_CAPS:
		return MVGPU_CAP_MSI | MVGPU_CAP_VRAM |
		       vgpu->parent->backend->caps;
	case MVGPU_REG_VGPU_TYPE:
		return vgpu->type->fraction;
	case MVGPU_REG_VRAM_SIZE_LO:
		return lower_32_bits(vgpu->vram_size);
	case MVGPU_REG_VRAM_SIZE_HI:
		return upper_32_bits(vgpu->vram_size);
	case MVGPU_REG_GGTT_BASE_LO:
		return lower_32_bits(vgpu->ggtt_base);
	case MVGPU_REG_GGTT_BASE_HI:
		return upper_32_bits(vgpu->ggtt_base);
	case MVGPU_REG_GGTT_SIZE_LO:
		return lower_32_bits(vgpu->ggtt_size);
	case MVGPU_REG_GGTT_SIZE_HI:
		return upper_32_bits(vgpu->ggtt_size);
	case MVGPU_REG_INSTANCE:
		return vgpu->slice.instance;
	case MVGPU_REG_NUM_ENGINES:
		return MVGPU_NUM_ENGINES;
	case MVGPU_REG_WATCHDOG_MS:
		return vgpu->parent->hang_ms;
	case MVGPU_REG_IRQ_STATUS:
		return mvgpu_irq_read_status(&vgpu->irq);
	case MVGPU_REG_IRQ_ENABLE:
		return mvgpu_irq_read_enable(&vgpu->irq);
	}
	if (reg >= MVGPU_REG_SCRATCH0 &&
	    reg < MVGPU_REG_SCRATCH0 + 4 * MVGPU_REG_SCRATCH_COUNT)
		return vgpu->scratch[(reg - MVGPU_REG_SCRATCH0) / 4];
	/* IRQ_RAISE is write-only; holes read 0. */
	return 0;
}

/**
 * mvgpu_mmio_read() - a guest read of a BAR0 dword
 * @vgpu: the vGPU; its state mutex is held
 * @offset: byte offset in BAR0
 * @val: the value read
 *
 * Return: 0, or -EINVAL if @offset is outside BAR0 or not 4-byte aligned.
 */
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 offset, u32 *val)
{
	lockdep_assert_held(&vgpu->lock);

	if (!mvgpu_mmio_valid(offset))
		return -EINVAL;
	if (offset >= MVGPU_GGTT_WINDOW_OFFSET)
		*val = mvgpu_ggtt_mmio_read(&vgpu->ggtt,
					    offset - MVGPU_GGTT_WINDOW_OFFSET);
	else
		*val = mvgpu_mmio_reg_read(vgpu, (u32)offset);
	return 0;
}

/**
 * mvgpu_mmio_write() - a guest write of a BAR0 dword
 * @vgpu: the vGPU; its state mutex is held
 * @offset: byte offset in BAR0
 * @val: the value written
 *
 * Writes to read-only registers, holes and GGTT entries outside the vGPU's
 * slice are ignored.
 *
 * Return: 0, or -EINVAL if @offset is outside BAR0 or not 4-byte aligned.
 */
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 offset, u32 val)
{
	struct mvgpu_vgpu_engine *ve;
	u32 reg = (u32)offset;

	lockdep_assert_held(&vgpu->lock);

	if (!mvgpu_mmio_valid(offset))
		return -EINVAL;
	if (offset >= MVGPU_GGTT_WINDOW_OFFSET) {
		mvgpu_ggtt_mmio_write(&vgpu->ggtt,
				      offset - MVGPU_GGTT_WINDOW_OFFSET, val);
		return 0;
	}
	ve = mvgpu_mmio_engine(vgpu, reg);
	if (ve) {
		mvgpu_engine_mmio_write(ve, reg - MVGPU_ENGINE_BASE(ve->id),
					val);
		return 0;
	}

	switch (reg) {
	case MVGPU_REG_IRQ_STATUS:
		mvgpu_irq_clear_status(&vgpu->irq, val);
		return 0;
	case MVGPU_REG_IRQ_ENABLE:
		mvgpu_irq_write_enable(&vgpu->irq, val);
		return 0;
	case MVGPU_REG_IRQ_RAISE:
		/* Software may only raise the software source. */
		mvgpu_irq_raise(&vgpu->irq, val & MVGPU_IRQ_SOFTWARE);
		return 0;
	}
	if (reg >= MVGPU_REG_SCRATCH0 &&
	    reg < MVGPU_REG_SCRATCH0 + 4 * MVGPU_REG_SCRATCH_COUNT)
		vgpu->scratch[(reg - MVGPU_REG_SCRATCH0) / 4] = val;
	return 0;
}

/**
 * mvgpu_mmio_reset() - registers to their reset values
 * @vgpu: the vGPU; its state mutex is held
 *
 * Identity registers are constant; this clears the scratch registers and
 * the interrupt registers (which deasserts the interrupt).
 */
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);

	memset(vgpu->scratch, 0, sizeof(vgpu->scratch));
	mvgpu_irq_reset(&vgpu->irq);
}
