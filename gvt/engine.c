// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: one engine of one vGPU -- its registers as the driver sees them,
 * and the glue that runs one time slice of it through the backend.
 *
 * The registers and the execution state (struct mvgpu_exec_state) are
 * protected by the vGPU engine's mutex.  The engine thread holds it for a
 * whole slice, so an MMIO access never sees a half-executed command; it
 * waits at most one slice.
 */
#include <linux/ratelimit.h>

#include "mvgpu.h"

/* Ring size in bytes from RING_CTL. */
static u32 mvgpu_engine_ring_size(u32 ctl)
{
	return (((ctl & MVGPU_RING_CTL_PAGES_MASK) >>
		 MVGPU_RING_CTL_PAGES_SHIFT) + 1) << MVGPU_GTT_PAGE_SHIFT;
}

/**
 * mvgpu_engine_init() - a vGPU engine, stopped, registers at reset values
 * @ve: the vGPU engine
 * @vgpu: its vGPU
 * @sched: the parent engine that will run it
 * @id: engine number
 */
void mvgpu_engine_init(struct mvgpu_vgpu_engine *ve, struct mvgpu_vgpu *vgpu,
		       struct mvgpu_sched_engine *sched, unsigned int id)
{
	ve->vgpu = vgpu;
	ve->sched = sched;
	ve->id = id;
	mutex_init(&ve->lock);
	INIT_LIST_HEAD(&ve->node);
	ve->stopped = true;
	mvgpu_engine_reset(ve);
}

/**
 * mvgpu_engine_fini() - undo mvgpu_engine_init()
 * @ve: the vGPU engine, stopped
 */
void mvgpu_engine_fini(struct mvgpu_vgpu_engine *ve)
{
	mutex_destroy(&ve->lock);
}

/**
 * mvgpu_engine_reset() - registers and execution state to power-on values
 * @ve: the vGPU engine; stopped (mvgpu_sched_stop()) or never started
 */
void mvgpu_engine_reset(struct mvgpu_vgpu_engine *ve)
{
	mutex_lock(&ve->lock);
	ve->ring_start = 0;
	ve->ring_ctl = 0;
	ve->ring_tail = 0;
	ve->ring_hws = 0;
	ve->ctx_desc = 0;
	ve->busy_ns = 0;
	ve->cmds = 0;
	mvgpu_exec_state_reset(&ve->st, ve->id);
	mutex_unlock(&ve->lock);
}

static u32 mvgpu_engine_status(struct mvgpu_vgpu_engine *ve)
{
	u32 status = 0;

	if (ve->ring_ctl & MVGPU_RING_CTL_ENABLE)
		status |= MVGPU_ENGINE_STATUS_ENABLED;
	if (ve->st.head != ve->ring_tail || ve->st.depth)
		status |= MVGPU_ENGINE_STATUS_BUSY;
	if (ve->st.fault.status)
		status |= MVGPU_ENGINE_STATUS_HALTED;
	if (ve->st.waiting)
		status |= MVGPU_ENGINE_STATUS_WAITING;
	return status;
}

/**
 * mvgpu_engine_mmio_read() - read a register of the engine block
 * @ve: the vGPU engine
 * @reg: offset inside the block (BAR0 offset - MVGPU_ENGINE_BASE())
 *
 * Return: the register's value; 0 for holes.
 */
u32 mvgpu_engine_mmio_read(struct mvgpu_vgpu_engine *ve, u32 reg)
{
	u64 ts;
	u32 val = 0;

	mutex_lock(&ve->lock);
	switch (reg) {
	case MVGPU_RING_TAIL:
		val = ve->ring_tail;
		break;
	case MVGPU_RING_HEAD:
		val = ve->st.head;
		break;
	case MVGPU_RING_START:
		val = ve->ring_start;
		break;
	case MVGPU_RING_CTL:
		val = ve->ring_ctl;
		break;
	case MVGPU_RING_HWS:
		val = ve->ring_hws;
		break;
	case MVGPU_ENGINE_STATUS:
		val = mvgpu_engine_status(ve);
		break;
	case MVGPU_CTX_DESC_LO:
		val = lower_32_bits(ve->ctx_desc);
		break;
	case MVGPU_CTX_DESC_HI:
		val = upper_32_bits(ve->ctx_desc);
		break;
	case MVGPU_FAULT_STATUS:
		val = ve->st.fault.status;
		break;
	case MVGPU_FAULT_INSTR:
		val = ve->st.fault.instr;
		break;
	case MVGPU_FAULT_ADDR_LO:
		val = lower_32_bits(ve->st.fault.addr);
		break;
	case MVGPU_FAULT_ADDR_HI:
		val = upper_32_bits(ve->st.fault.addr);
		break;
	case MVGPU_FAULT_CMD_LO:
		val = lower_32_bits(ve->st.fault.cmd_addr);
		break;
	case MVGPU_FAULT_CMD_HI:
		val = upper_32_bits(ve->st.fault.cmd_addr);
		break;
	case MVGPU_RING_TIMESTAMP_LO:
	case MVGPU_RING_TIMESTAMP_HI:
		ts = mvgpu_vgpu_now_ns(ve->vgpu);
		val = reg == MVGPU_RING_TIMESTAMP_LO ? lower_32_bits(ts) :
						       upper_32_bits(ts);
		break;
	default:
		if (reg >= MVGPU_CS_GPR(0) &&
		    reg < MVGPU_CS_GPR(MVGPU_CS_GPR_COUNT)) {
			u64 gpr = ve->st.gpr[(reg - MVGPU_CS_GPR(0)) / 8];

			val = reg & 4 ? upper_32_bits(gpr) : lower_32_bits(gpr);
		}
	}
	mutex_unlock(&ve->lock);
	return val;
}

/* Engine reset by the driver: abandon the stream, keep the programming. */
static void mvgpu_engine_driver_reset(struct mvgpu_vgpu_engine *ve)
{
	lockdep_assert_held(&ve->lock);

	ve->sched->backend->reset(ve);
}

/**
 * mvgpu_engine_mmio_write() - write a register of the engine block
 * @ve: the vGPU engine
 * @reg: offset inside the block
 * @val: value
 *
 * Read-only registers and holes ignore writes (hw-interface.rst).
 */
void mvgpu_engine_mmio_write(struct mvgpu_vgpu_engine *ve, u32 reg, u32 val)
{
	bool kick = false;

	mutex_lock(&ve->lock);
	switch (reg) {
	case MVGPU_RING_TAIL:
		ve->ring_tail = val & MVGPU_RING_TAIL_MASK;
		kick = true;
		break;
	case MVGPU_RING_HEAD:
		/* Only a stopped ring may be repositioned. */
		if (!(ve->ring_ctl & MVGPU_RING_CTL_ENABLE) ||
		    ve->st.fault.status)
			ve->st.head = val & MVGPU_RING_HEAD_MASK;
		break;
	case MVGPU_RING_START:
		ve->ring_start = val & ~(MVGPU_GTT_PAGE_SIZE - 1);
		break;
	case MVGPU_RING_CTL:
		ve->ring_ctl = val & (MVGPU_RING_CTL_ENABLE |
				      MVGPU_RING_CTL_PAGES_MASK);
		kick = val & MVGPU_RING_CTL_ENABLE;
		break;
	case MVGPU_RING_HWS:
		ve->ring_hws = val & (~(MVGPU_GTT_PAGE_SIZE - 1) |
				      MVGPU_RING_HWS_VALID);
		break;
	case MVGPU_ENGINE_RESET:
		/*
		 * No kick: head == tail afterwards, and a ring the driver
		 * left invalid must not fault again before it is fixed.
		 */
		if (val == MVGPU_ENGINE_RESET_KEY)
			mvgpu_engine_driver_reset(ve);
		break;
	case MVGPU_CTX_DESC_LO:
		ve->ctx_desc = (ve->ctx_desc & GENMASK_ULL(63, 32)) | val;
		break;
	case MVGPU_CTX_DESC_HI:
		ve->ctx_desc = (ve->ctx_desc & GENMASK_ULL(31, 0)) |
			       (u64)val << 32;
		break;
	default:
		if (reg >= MVGPU_CS_GPR(0) &&
		    reg < MVGPU_CS_GPR(MVGPU_CS_GPR_COUNT)) {
			u64 *gpr = &ve->st.gpr[(reg - MVGPU_CS_GPR(0)) / 8];

			if (reg & 4)
				*gpr = (*gpr & GENMASK_ULL(31, 0)) |
				       (u64)val << 32;
			else
				*gpr = (*gpr & GENMASK_ULL(63, 32)) | val;
		}
	}
	mutex_unlock(&ve->lock);
	if (kick)
		mvgpu_sched_kick(ve);
}

static const char * const mvgpu_fault_names[] = {
	[MVGPU_FAULT_GGTT_UNMAPPED]	= "GGTT entry not present",
	[MVGPU_FAULT_GGTT_RANGE]	= "address outside the GGTT slice",
	[MVGPU_FAULT_PPGTT_UNMAPPED]	= "PPGTT entry not present",
	[MVGPU_FAULT_NO_PPGTT]		= "PPGTT use without a context",
	[MVGPU_FAULT_READ_ONLY]		= "write to a read-only page",
	[MVGPU_FAULT_DMA]		= "DMA address not mapped",
	[MVGPU_FAULT_LOCAL_RANGE]	= "beyond local memory",
	[MVGPU_FAULT_BAD_OPCODE]	= "unsupported command",
	[MVGPU_FAULT_BAD_LENGTH]	= "bad command length",
	[MVGPU_FAULT_BAD_ENGINE]	= "command not valid on this engine",
	[MVGPU_FAULT_BAD_REGISTER]	= "register not in the LRI/SRM set",
	[MVGPU_FAULT_BAD_FIELD]		= "unsupported field value",
	[MVGPU_FAULT_BATCH_DEPTH]	= "batch nesting",
	[MVGPU_FAULT_RING]		= "invalid ring programming",
	[MVGPU_FAULT_HANG]		= "hang: watchdog expired",
	[MVGPU_FAULT_BAD_PTE]		= "bad page-table entry",
};

static const char *mvgpu_fault_name(u32 status)
{
	u32 type = status & MVGPU_FAULT_TYPE_MASK;

	if (type < ARRAY_SIZE(mvgpu_fault_names) && mvgpu_fault_names[type])
		return mvgpu_fault_names[type];
	return "unknown";
}

/*
 * A fault is the guest's business (it gets the interrupt); hangs are worth
 * a line for the admin, everything else only for debugging.
 */
static void mvgpu_engine_log_fault(struct mvgpu_vgpu_engine *ve)
{
	const struct mvgpu_exec_fault *f = &ve->st.fault;
	struct device *dev = ve->vgpu->vdev.dev;

	if ((f->status & MVGPU_FAULT_TYPE_MASK) == MVGPU_FAULT_HANG)
		dev_notice_ratelimited(dev,
				       "engine %u hang: command at 0x%llx (head 0x%x) ran over %u ms; engine halted\n",
				       ve->id, f->cmd_addr, ve->st.head,
				       ve->vgpu->parent->hang_ms);
	else
		dev_dbg_ratelimited(dev,
				    "engine %u fault: %s, address 0x%llx, command 0x%08x at 0x%llx\n",
				    ve->id, mvgpu_fault_name(f->status),
				    f->addr, f->instr, f->cmd_addr);
}

/**
 * mvgpu_engine_run_slice() - run one time slice of a vGPU engine
 * @ve: the vGPU engine, taken off the run queue by its engine thread
 *
 * Called only from the engine thread.  Raises the vGPU's interrupts for
 * what the slice did.
 *
 * Return: how the slice ended; MVGPU_EXEC_YIELD and MVGPU_EXEC_WAIT mean
 * there is more to do, anything else that @ve needs no further slice.
 */
enum mvgpu_exec_result mvgpu_engine_run_slice(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_sched_engine *eng = ve->sched;
	struct mvgpu_exec_ring ring;
	enum mvgpu_exec_result res;
	u32 irqs = 0;
	u64 start;

	mutex_lock(&ve->lock);
	if (!(ve->ring_ctl & MVGPU_RING_CTL_ENABLE) || ve->st.fault.status) {
		mutex_unlock(&ve->lock);
		return MVGPU_EXEC_IDLE;
	}
	ring.start = ve->ring_start;
	ring.size = mvgpu_engine_ring_size(ve->ring_ctl);
	ring.tail = ve->ring_tail;
	ring.ctx_desc = ve->ctx_desc;
	ring.hws = ve->ring_hws;

	reinit_completion(&eng->done);
	start = ktime_get_ns();
	eng->backend->submit(eng, ve, &ring, MVGPU_TIMESLICE_UNIT_NS *
			     ve->vgpu->slice.nr_units);
	wait_for_completion(&eng->done);
	ve->busy_ns += ktime_get_ns() - start;
	ve->cmds += eng->events.cmds;
	res = eng->result;

	if (eng->events.user)
		irqs |= MVGPU_IRQ_USER(ve->id);
	if (eng->events.complete)
		irqs |= MVGPU_IRQ_COMPLETE(ve->id);
	if (res == MVGPU_EXEC_FAULT) {
		irqs |= MVGPU_IRQ_FAULT(ve->id);
		mvgpu_engine_log_fault(ve);
	}
	mutex_unlock(&ve->lock);

	if (irqs)
		mvgpu_irq_raise(&ve->vgpu->irq, irqs);
	return res;
}
