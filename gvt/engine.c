// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: one engine of one vGPU -- its registers as the driver sees them,
 * and the glue that runs one time slice of it through the backend.
 *
 * Two locks, so that a guest's doorbell never waits for the engine: the
 * ring registers and the state published at the end of each slice (head,
 * batch depth, semaphore wait, fault) are under a spinlock that MMIO and
 * the engine thread hold only briefly; the execution state proper
 * (struct mvgpu_exec_state) is under a mutex the engine thread holds for
 * a whole slice, which MMIO takes only for what lives there alone: GPRs,
 * HEAD writes and ENGINE_RESET.
 */
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "mvgpu.h"

static void *mvgpu_engine_scan_alloc(void *priv, size_t size)
{
	/* sizes come from guest data, bounded by the scan limits */
	return kvmalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static void mvgpu_engine_scan_free(void *priv, void *p)
{
	kvfree(p);
}

/* Memory of the command scanner's shadows and bookkeeping. */
const struct mvgpu_scan_ops mvgpu_engine_scan_ops = {
	.alloc	= mvgpu_engine_scan_alloc,
	.free	= mvgpu_engine_scan_free,
};

/**
 * mvgpu_engine_drop_workload() - forget the checked workload
 * @ve: the vGPU engine; caller holds @ve->lock
 *
 * Frees the shadows and the write set and ends the write prediction check
 * of the workload.  Nothing of it runs afterwards: the next slice scans
 * again from the head.  Safe when there is none.
 */
void mvgpu_engine_drop_workload(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_scan sc = { .ops = &mvgpu_engine_scan_ops };

	lockdep_assert_held(&ve->lock);

	if (ve->wt) {
		mvgpu_wtrack_end(ve->wt);
		ve->wt = NULL;
	}
	if (!ve->wl_valid)
		return;
	mvgpu_scan_workload_free(&sc, &ve->wl);
	ve->wl_valid = false;
	ve->wl_rejected = false;
	ve->wl_done = false;
}

/* Ring size in bytes from RING_CTL. */
static u32 mvgpu_engine_ring_size(u32 ctl)
{
	return (((ctl & MVGPU_RING_CTL_PAGES_MASK) >>
		 MVGPU_RING_CTL_PAGES_SHIFT) + 1) << MVGPU_GTT_PAGE_SHIFT;
}

/* Copy what MMIO may read of @ve->st; caller holds both locks. */
static void mvgpu_engine_publish(struct mvgpu_vgpu_engine *ve)
{
	lockdep_assert_held(&ve->lock);
	lockdep_assert_held(&ve->reg_lock);

	ve->pub_head = ve->st.head;
	ve->pub_depth = ve->st.depth;
	ve->pub_waiting = ve->st.waiting;
	ve->pub_fault = ve->st.fault;
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
	spin_lock_init(&ve->reg_lock);
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
	mutex_lock(&ve->lock);
	mvgpu_engine_drop_workload(ve);
	mutex_unlock(&ve->lock);
	mutex_destroy(&ve->lock);
}

/**
 * mvgpu_engine_reset() - registers and execution state to power-on values
 * @ve: the vGPU engine; stopped (mvgpu_sched_stop()) or never started
 */
void mvgpu_engine_reset(struct mvgpu_vgpu_engine *ve)
{
	mutex_lock(&ve->lock);
	mvgpu_engine_drop_workload(ve);
	spin_lock(&ve->reg_lock);
	ve->ring_start = 0;
	ve->ring_ctl = 0;
	ve->ring_tail = 0;
	ve->ring_hws = 0;
	ve->ctx_desc = 0;
	WRITE_ONCE(ve->busy_ns, 0);
	ve->cmds = 0;
	/* like the engine time; the rejection count lives as long as the vGPU */
	WRITE_ONCE(ve->scans, 0);
	WRITE_ONCE(ve->scan_ns, 0);
	mvgpu_exec_state_reset(&ve->st, ve->id);
	mvgpu_engine_publish(ve);
	spin_unlock(&ve->reg_lock);
	mutex_unlock(&ve->lock);
}

/* Caller holds ve->reg_lock. */
static u32 mvgpu_engine_status(struct mvgpu_vgpu_engine *ve)
{
	u32 status = 0;

	if (ve->ring_ctl & MVGPU_RING_CTL_ENABLE)
		status |= MVGPU_ENGINE_STATUS_ENABLED;
	if (ve->pub_head != ve->ring_tail || ve->pub_depth)
		status |= MVGPU_ENGINE_STATUS_BUSY;
	if (ve->pub_fault.status)
		status |= MVGPU_ENGINE_STATUS_HALTED;
	if (ve->pub_waiting)
		status |= MVGPU_ENGINE_STATUS_WAITING;
	return status;
}

static bool mvgpu_engine_is_gpr(u32 reg)
{
	return reg >= MVGPU_CS_GPR(0) && reg < MVGPU_CS_GPR(MVGPU_CS_GPR_COUNT);
}

/* GPRs live in the execution state: wait for a running slice. */
static u32 mvgpu_engine_gpr_read(struct mvgpu_vgpu_engine *ve, u32 reg)
{
	u64 gpr;

	mutex_lock(&ve->lock);
	gpr = ve->st.gpr[(reg - MVGPU_CS_GPR(0)) / 8];
	mutex_unlock(&ve->lock);
	return reg & 4 ? upper_32_bits(gpr) : lower_32_bits(gpr);
}

static void mvgpu_engine_gpr_write(struct mvgpu_vgpu_engine *ve, u32 reg,
				   u32 val)
{
	u64 *gpr;

	mutex_lock(&ve->lock);
	gpr = &ve->st.gpr[(reg - MVGPU_CS_GPR(0)) / 8];
	if (reg & 4)
		*gpr = (*gpr & GENMASK_ULL(31, 0)) | (u64)val << 32;
	else
		*gpr = (*gpr & GENMASK_ULL(63, 32)) | val;
	mutex_unlock(&ve->lock);
}

/**
 * mvgpu_engine_mmio_read() - read a register of the engine block
 * @ve: the vGPU engine
 * @reg: offset inside the block (BAR0 offset - MVGPU_ENGINE_BASE())
 *
 * Only GPR reads wait for a running slice.
 *
 * Return: the register's value; 0 for holes.
 */
u32 mvgpu_engine_mmio_read(struct mvgpu_vgpu_engine *ve, u32 reg)
{
	u64 ts;
	u32 val = 0;

	if (mvgpu_engine_is_gpr(reg))
		return mvgpu_engine_gpr_read(ve, reg);
	if (reg == MVGPU_RING_TIMESTAMP_LO || reg == MVGPU_RING_TIMESTAMP_HI) {
		ts = mvgpu_vgpu_now_ns(ve->vgpu);
		return reg == MVGPU_RING_TIMESTAMP_LO ? lower_32_bits(ts) :
							upper_32_bits(ts);
	}

	spin_lock(&ve->reg_lock);
	switch (reg) {
	case MVGPU_RING_TAIL:
		val = ve->ring_tail;
		break;
	case MVGPU_RING_HEAD:
		val = ve->pub_head;
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
		val = ve->pub_fault.status;
		break;
	case MVGPU_FAULT_INSTR:
		val = ve->pub_fault.instr;
		break;
	case MVGPU_FAULT_ADDR_LO:
		val = lower_32_bits(ve->pub_fault.addr);
		break;
	case MVGPU_FAULT_ADDR_HI:
		val = upper_32_bits(ve->pub_fault.addr);
		break;
	case MVGPU_FAULT_CMD_LO:
		val = lower_32_bits(ve->pub_fault.cmd_addr);
		break;
	case MVGPU_FAULT_CMD_HI:
		val = upper_32_bits(ve->pub_fault.cmd_addr);
		break;
	}
	spin_unlock(&ve->reg_lock);
	return val;
}

/*
 * RING_HEAD write: only a stopped ring (disabled, or halted by a fault)
 * may be repositioned.  The execution state is not busy then, so the
 * mutex is not held for long.  The checked workload and a batch in
 * progress are abandoned: the ring shadow was cut at the old head's
 * command boundaries, and returning from a batch to a new head would
 * resume at an offset nobody checked.
 */
static void mvgpu_engine_head_write(struct mvgpu_vgpu_engine *ve, u32 val)
{
	mutex_lock(&ve->lock);
	spin_lock(&ve->reg_lock);
	if (!(ve->ring_ctl & MVGPU_RING_CTL_ENABLE) || ve->st.fault.status) {
		ve->st.head = val & MVGPU_RING_HEAD_MASK;
		ve->st.depth = 0;
		mvgpu_engine_publish(ve);
		spin_unlock(&ve->reg_lock);
		mvgpu_engine_drop_workload(ve);
		mutex_unlock(&ve->lock);
		return;
	}
	spin_unlock(&ve->reg_lock);
	mutex_unlock(&ve->lock);
}

/*
 * ENGINE_RESET: abandon the stream, keep the programming, resume at the
 * tail.  Not queued again: head == tail afterwards, and a ring the driver
 * left invalid must not fault again before it is fixed.
 */
static void mvgpu_engine_driver_reset(struct mvgpu_vgpu_engine *ve)
{
	mutex_lock(&ve->lock);
	mvgpu_engine_drop_workload(ve);
	ve->sched->backend->reset(ve);
	spin_lock(&ve->reg_lock);
	ve->st.head = ve->ring_tail;
	mvgpu_engine_publish(ve);
	spin_unlock(&ve->reg_lock);
	mutex_unlock(&ve->lock);
}

/**
 * mvgpu_engine_mmio_write() - write a register of the engine block
 * @ve: the vGPU engine
 * @reg: offset inside the block
 * @val: value
 *
 * Read-only registers and holes ignore writes (hw-interface.rst).  The
 * doorbell and ring programming never wait for a running slice.
 */
void mvgpu_engine_mmio_write(struct mvgpu_vgpu_engine *ve, u32 reg, u32 val)
{
	bool kick = false;

	if (mvgpu_engine_is_gpr(reg)) {
		mvgpu_engine_gpr_write(ve, reg, val);
		return;
	}
	if (reg == MVGPU_RING_HEAD) {
		mvgpu_engine_head_write(ve, val);
		return;
	}
	if (reg == MVGPU_ENGINE_RESET) {
		if (val == MVGPU_ENGINE_RESET_KEY)
			mvgpu_engine_driver_reset(ve);
		return;
	}

	spin_lock(&ve->reg_lock);
	switch (reg) {
	case MVGPU_RING_TAIL:
		ve->ring_tail = val & MVGPU_RING_TAIL_MASK;
		kick = true;
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
	case MVGPU_CTX_DESC_LO:
		ve->ctx_desc = (ve->ctx_desc & GENMASK_ULL(63, 32)) | val;
		break;
	case MVGPU_CTX_DESC_HI:
		ve->ctx_desc = (ve->ctx_desc & GENMASK_ULL(31, 0)) |
			       (u64)val << 32;
		break;
	}
	spin_unlock(&ve->reg_lock);
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
	[MVGPU_FAULT_BATCH_LOOP]	= "batch loop",
	[MVGPU_FAULT_SCAN_LIMIT]	= "submission over the checker's limits",
};

/**
 * mvgpu_engine_fault_name() - a fault type in words, for logs
 * @status: FAULT_STATUS
 *
 * Return: a static string, "unknown" for types without a name.
 */
const char *mvgpu_engine_fault_name(u32 status)
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
				    ve->id, mvgpu_engine_fault_name(f->status),
				    f->addr, f->instr, f->cmd_addr);
}

/**
 * mvgpu_engine_scan_rejected() - account a workload the scanner rejected
 * @ve: the vGPU engine; caller holds @ve->lock; @ve->wl holds the verdict
 *
 * Counts it (sysfs scan_rejects) and logs one rate-limited line.  The
 * guest learns of it through the fault when the engine halts.
 */
void mvgpu_engine_scan_rejected(struct mvgpu_vgpu_engine *ve)
{
	const struct mvgpu_scan_verdict *v = &ve->wl.verdict;

	lockdep_assert_held(&ve->lock);

	WRITE_ONCE(ve->scan_rejects, ve->scan_rejects + 1);
	WRITE_ONCE(ve->scan_last_reason, v->reason);
	WRITE_ONCE(ve->scan_last_fault, v->fault.status);
	dev_notice_ratelimited(ve->vgpu->vdev.dev,
			       "engine %u: submission rejected: %s (fault %u, %s), command 0x%08x at 0x%llx, address 0x%llx\n",
			       ve->id, v->reason,
			       v->fault.status & MVGPU_FAULT_TYPE_MASK,
			       mvgpu_engine_fault_name(v->fault.status),
			       v->fault.instr, v->fault.cmd_addr,
			       v->fault.addr);
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
	bool enabled;
	u32 irqs = 0;
	u64 start;

	mutex_lock(&ve->lock);
	spin_lock(&ve->reg_lock);
	enabled = ve->ring_ctl & MVGPU_RING_CTL_ENABLE;
	ring.start = ve->ring_start;
	ring.size = mvgpu_engine_ring_size(ve->ring_ctl);
	ring.tail = ve->ring_tail;
	ring.ctx_desc = ve->ctx_desc;
	ring.hws = ve->ring_hws;
	spin_unlock(&ve->reg_lock);
	if (!enabled || ve->st.fault.status) {
		/*
		 * A paused ring keeps its workload only inside a batch, where
		 * it is needed to resume; between ring commands the rest is
		 * simply checked again once the ring runs.
		 */
		if (!ve->st.depth)
			mvgpu_engine_drop_workload(ve);
		mutex_unlock(&ve->lock);
		return MVGPU_EXEC_IDLE;
	}

	reinit_completion(&eng->done);
	start = ktime_get_ns();
	eng->backend->submit(eng, ve, &ring, MVGPU_TIMESLICE_UNIT_NS *
			     ve->vgpu->slice.nr_units);
	wait_for_completion(&eng->done);
	WRITE_ONCE(ve->busy_ns, ve->busy_ns + ktime_get_ns() - start);
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
	/*
	 * Publish and raise together: a driver that sees HALTED (or the new
	 * head) also finds the interrupt pending, and the other way round.
	 */
	spin_lock(&ve->reg_lock);
	mvgpu_engine_publish(ve);
	if (irqs)
		mvgpu_irq_raise(&ve->vgpu->irq, irqs);
	spin_unlock(&ve->reg_lock);
	/* after publishing: the driver need not wait for the freeing */
	if (ve->wl_done)
		mvgpu_engine_drop_workload(ve);
	mutex_unlock(&ve->lock);
	return res;
}
