// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: interrupt delivery to userspace.
 *
 * The device has one interrupt, level triggered: it is asserted while
 * IRQ_STATUS & IRQ_ENABLE is non-zero.  With MSI enabled in config space and
 * an MSI eventfd set, each new assertion signals that eventfd.  Otherwise it
 * drives INTx the VFIO way: the INTx eventfd is signalled and the line is
 * masked until userspace unmasks it (SET_IRQS ACTION_UNMASK, or the unmask
 * eventfd a KVM resampler signals); an unmask while still asserted delivers
 * again.
 *
 * Decisions are taken under irq->lock, a spinlock, so sources may raise
 * interrupts from any context; they yield a set of MVGPU_IRQ_FIRE_* bits that
 * mvgpu_irq_signal() delivers after the lock is dropped, dereferencing the
 * eventfds under RCU.  Eventfd references are taken and dropped outside the
 * lock (eventfd_ctx_fdget() may sleep, a put waits for a grace period).
 */
#include <linux/eventfd.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "mvgpu.h"

#define MVGPU_IRQ_FIRE_INTX	BIT(0)
#define MVGPU_IRQ_FIRE_MSI	BIT(1)

/**
 * mvgpu_irq_init() - initialise interrupt state of a new vGPU
 * @irq: state to initialise
 */
void mvgpu_irq_init(struct mvgpu_irq *irq)
{
	memset(irq, 0, sizeof(*irq));
	spin_lock_init(&irq->lock);
}

static void mvgpu_irq_signal_one(struct eventfd_ctx __rcu **slot)
{
	struct eventfd_ctx *ctx;

	rcu_read_lock();
	ctx = rcu_dereference(*slot);
	if (ctx)
		eventfd_signal(ctx);
	rcu_read_unlock();
}

/* Deliver what a decision under irq->lock asked for; called without it. */
static void mvgpu_irq_signal(struct mvgpu_irq *irq, unsigned int fire)
{
	if (fire & MVGPU_IRQ_FIRE_MSI)
		mvgpu_irq_signal_one(&irq->msi_trigger);
	if (fire & MVGPU_IRQ_FIRE_INTX)
		mvgpu_irq_signal_one(&irq->intx_trigger);
}

static bool mvgpu_irq_msi_mode_locked(struct mvgpu_irq *irq)
{
	lockdep_assert_held(&irq->lock);

	return irq->msi_enabled && rcu_access_pointer(irq->msi_trigger);
}

/*
 * If the interrupt goes to INTx and the line is asserted, enabled, unmasked
 * and has an eventfd: mask it and ask for the eventfd to be signalled.
 */
static unsigned int mvgpu_irq_intx_eval_locked(struct mvgpu_irq *irq)
{
	lockdep_assert_held(&irq->lock);

	if (mvgpu_irq_msi_mode_locked(irq))
		return 0;
	if (irq->asserted && !irq->intx_disabled && !irq->intx_masked &&
	    rcu_access_pointer(irq->intx_trigger)) {
		irq->intx_masked = true;
		return MVGPU_IRQ_FIRE_INTX;
	}
	return 0;
}

/* Re-evaluate the line after a change of status or enable. */
static unsigned int mvgpu_irq_update_locked(struct mvgpu_irq *irq)
{
	bool level = irq->status & irq->enable;
	bool rising = level && !irq->asserted;

	lockdep_assert_held(&irq->lock);

	irq->asserted = level;
	if (mvgpu_irq_msi_mode_locked(irq))
		return rising ? MVGPU_IRQ_FIRE_MSI : 0;
	return mvgpu_irq_intx_eval_locked(irq);
}

/**
 * mvgpu_irq_reset() - the interrupt part of a device reset
 * @irq: interrupt state
 *
 * Clears IRQ_STATUS and IRQ_ENABLE, which deasserts the line.  Eventfds
 * and the VFIO INTx mask are userspace configuration and stay.
 */
void mvgpu_irq_reset(struct mvgpu_irq *irq)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	irq->status = 0;
	irq->enable = 0;
	irq->asserted = false;
	spin_unlock_irqrestore(&irq->lock, flags);
}

/**
 * mvgpu_irq_read_status() - IRQ_STATUS register
 * @irq: interrupt state
 *
 * Return: pending interrupt sources.
 */
u32 mvgpu_irq_read_status(struct mvgpu_irq *irq)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&irq->lock, flags);
	val = irq->status;
	spin_unlock_irqrestore(&irq->lock, flags);
	return val;
}

/**
 * mvgpu_irq_read_enable() - IRQ_ENABLE register
 * @irq: interrupt state
 *
 * Return: enabled interrupt sources.
 */
u32 mvgpu_irq_read_enable(struct mvgpu_irq *irq)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&irq->lock, flags);
	val = irq->enable;
	spin_unlock_irqrestore(&irq->lock, flags);
	return val;
}

/**
 * mvgpu_irq_clear_status() - a write to IRQ_STATUS (write 1 to clear)
 * @irq: interrupt state
 * @bits: the value written
 */
void mvgpu_irq_clear_status(struct mvgpu_irq *irq, u32 bits)
{
	unsigned long flags;
	unsigned int fire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->status &= ~bits;
	fire = mvgpu_irq_update_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	mvgpu_irq_signal(irq, fire);
}

/**
 * mvgpu_irq_write_enable() - a write to IRQ_ENABLE
 * @irq: interrupt state
 * @val: the value written; bits without a source are dropped
 */
void mvgpu_irq_write_enable(struct mvgpu_irq *irq, u32 val)
{
	unsigned long flags;
	unsigned int fire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->enable = val & MVGPU_IRQ_SOURCES;
	fire = mvgpu_irq_update_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	mvgpu_irq_signal(irq, fire);
}

/**
 * mvgpu_irq_raise() - interrupt sources become pending
 * @irq: interrupt state
 * @bits: MVGPU_IRQ_* sources to set in IRQ_STATUS
 *
 * Callable from any context, including hard interrupt context, but not
 * from inside an eventfd's wakeup (eventfd_signal() refuses to nest).
 */
void mvgpu_irq_raise(struct mvgpu_irq *irq, u32 bits)
{
	unsigned long flags;
	unsigned int fire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->status |= bits & MVGPU_IRQ_SOURCES;
	fire = mvgpu_irq_update_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	mvgpu_irq_signal(irq, fire);
}

/**
 * mvgpu_irq_set_mode() - follow the guest's interrupt controls
 * @irq: interrupt state
 * @msi_enabled: MSI enable bit of the MSI capability
 * @intx_disabled: INTx disable bit of the command register
 *
 * Called after every config-space write.  Clearing INTx disable while the
 * line is asserted delivers INTx, as on a real function.
 */
void mvgpu_irq_set_mode(struct mvgpu_irq *irq, bool msi_enabled,
			bool intx_disabled)
{
	unsigned long flags;
	unsigned int fire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->msi_enabled = msi_enabled;
	irq->intx_disabled = intx_disabled;
	fire = mvgpu_irq_intx_eval_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	mvgpu_irq_signal(irq, fire);
}

/**
 * mvgpu_irq_intx_pending() - the config-space INTx status bit
 * @irq: interrupt state
 *
 * Return: true if the interrupt is asserted and routed to INTx.
 */
bool mvgpu_irq_intx_pending(struct mvgpu_irq *irq)
{
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&irq->lock, flags);
	pending = irq->asserted && !mvgpu_irq_msi_mode_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	return pending;
}

/* Clear the INTx mask; a still asserted line is delivered again. */
static unsigned int mvgpu_irq_intx_unmask(struct mvgpu_irq *irq)
{
	unsigned long flags;
	unsigned int fire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_masked = false;
	fire = mvgpu_irq_intx_eval_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	return fire;
}

static void mvgpu_irq_intx_mask(struct mvgpu_irq *irq)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_masked = true;
	spin_unlock_irqrestore(&irq->lock, flags);
}

/*
 * virqfd handler: the unmask eventfd was signalled.  It runs inside that
 * eventfd's wakeup (atomic, and within eventfd_signal() when KVM's resampler
 * signals), where signalling another eventfd is refused; a non-zero return
 * has mvgpu_irq_unmask_thread() deliver from a work item instead.
 */
static int mvgpu_irq_unmask_handler(void *opaque, void *data)
{
	return mvgpu_irq_intx_unmask(opaque) != 0;
}

static void mvgpu_irq_unmask_thread(void *opaque, void *data)
{
	mvgpu_irq_signal(opaque, MVGPU_IRQ_FIRE_INTX);
}

/*
 * Install @fd (>= 0) as the eventfd in @slot, or remove it (-1).  The INTx
 * line starts unmasked with a new eventfd, so a pending level is delivered
 * (unless MSI takes it).  Caller holds the vGPU's state mutex.
 */
static int mvgpu_irq_set_trigger(struct mvgpu_irq *irq,
				 struct eventfd_ctx __rcu **slot, s32 fd)
{
	struct eventfd_ctx *new = NULL, *old;
	unsigned int fire = 0;
	unsigned long flags;

	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		new = eventfd_ctx_fdget(fd);
		if (IS_ERR(new))
			return PTR_ERR(new);
	}

	spin_lock_irqsave(&irq->lock, flags);
	old = rcu_replace_pointer(*slot, new, lockdep_is_held(&irq->lock));
	if (slot == &irq->intx_trigger)
		irq->intx_masked = false;
	/* The MSI eventfd decides between MSI and INTx delivery. */
	if (slot != &irq->req_trigger)
		fire = mvgpu_irq_intx_eval_locked(irq);
	spin_unlock_irqrestore(&irq->lock, flags);
	mvgpu_irq_signal(irq, fire);

	if (old) {
		/* A signaller may still be using it. */
		synchronize_rcu();
		eventfd_ctx_put(old);
	}
	return 0;
}

/* True if SET_IRQS data says "do it": DATA_NONE, or a true DATA_BOOL. */
static bool mvgpu_irq_data_true(u32 flags, const void *data)
{
	if (flags & VFIO_IRQ_SET_DATA_BOOL)
		return *(const u8 *)data;
	return true;
}

/*
 * ACTION_TRIGGER on an index with one eventfd: count 0 with DATA_NONE
 * disables it, DATA_EVENTFD installs or removes it, DATA_NONE/BOOL signal
 * it (loopback, as the device would).
 */
static int mvgpu_irq_trigger(struct mvgpu_irq *irq,
			     struct eventfd_ctx __rcu **slot,
			     const struct vfio_irq_set *hdr, const void *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	if (hdr->count == 0 && dtype == VFIO_IRQ_SET_DATA_NONE)
		return mvgpu_irq_set_trigger(irq, slot, -1);
	if (hdr->count != 1)
		return -EINVAL;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		return mvgpu_irq_set_trigger(irq, slot, *(const s32 *)data);
	if (mvgpu_irq_data_true(hdr->flags, data))
		mvgpu_irq_signal_one(slot);
	return 0;
}

static int mvgpu_irq_set_intx(struct mvgpu_irq *irq,
			      const struct vfio_irq_set *hdr, const void *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	s32 fd;

	switch (hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		if (hdr->count == 0 && dtype == VFIO_IRQ_SET_DATA_NONE)
			vfio_virqfd_disable(&irq->intx_unmask);
		return mvgpu_irq_trigger(irq, &irq->intx_trigger, hdr, data);
	case VFIO_IRQ_SET_ACTION_MASK:
		if (hdr->count != 1 || dtype == VFIO_IRQ_SET_DATA_EVENTFD)
			return -EINVAL;
		if (mvgpu_irq_data_true(hdr->flags, data))
			mvgpu_irq_intx_mask(irq);
		return 0;
	case VFIO_IRQ_SET_ACTION_UNMASK:
		if (hdr->count != 1)
			return -EINVAL;
		if (dtype != VFIO_IRQ_SET_DATA_EVENTFD) {
			if (!mvgpu_irq_data_true(hdr->flags, data))
				return 0;
			mvgpu_irq_signal(irq, mvgpu_irq_intx_unmask(irq));
			return 0;
		}
		fd = *(const s32 *)data;
		if (fd == -1) {
			vfio_virqfd_disable(&irq->intx_unmask);
			return 0;
		}
		if (fd < 0)
			return -EINVAL;
		/* A new unmask eventfd replaces the old one, like triggers. */
		vfio_virqfd_disable(&irq->intx_unmask);
		return vfio_virqfd_enable(irq, mvgpu_irq_unmask_handler,
					  mvgpu_irq_unmask_thread, NULL,
					  &irq->intx_unmask, fd);
	}
	return -EINVAL;
}

/**
 * mvgpu_irq_count() - interrupts behind a VFIO PCI IRQ index
 * @index: VFIO_PCI_*_IRQ_INDEX
 *
 * Return: 1 for INTx, MSI and REQ; 0 for MSI-X, ERR and anything else.
 */
u32 mvgpu_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

/**
 * mvgpu_irq_get_info() - fill VFIO_DEVICE_GET_IRQ_INFO
 * @info: @info->index is the request; flags and count are filled in
 *
 * Return: 0, or -EINVAL for an index beyond VFIO_PCI_NUM_IRQS.
 */
int mvgpu_irq_get_info(struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info->count = mvgpu_irq_count(info->index);
	info->flags = info->count ? VFIO_IRQ_INFO_EVENTFD : 0;
	if (info->index == VFIO_PCI_INTX_IRQ_INDEX)
		info->flags |= VFIO_IRQ_INFO_MASKABLE |
			       VFIO_IRQ_INFO_AUTOMASKED;
	else if (info->count)
		info->flags |= VFIO_IRQ_INFO_NORESIZE;
	return 0;
}

/**
 * mvgpu_irq_set_irqs() - carry out VFIO_DEVICE_SET_IRQS
 * @irq: interrupt state
 * @hdr: request, already checked by vfio_set_irqs_validate_and_prepare()
 *	against mvgpu_irq_count(@hdr->index)
 * @data: @hdr->count bools or eventfds as @hdr->flags say, or NULL
 *
 * The caller holds the vGPU's state mutex, which serialises eventfd and
 * virqfd changes.
 *
 * Return: 0; -EINVAL for a request the index does not support or a bad
 * eventfd number; -EBADF or another eventfd_ctx_fdget() error for a file
 * descriptor that is not an eventfd.
 */
int mvgpu_irq_set_irqs(struct mvgpu_irq *irq, const struct vfio_irq_set *hdr,
		       const void *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	switch (hdr->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return mvgpu_irq_set_intx(irq, hdr, data);
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		return mvgpu_irq_trigger(irq, &irq->msi_trigger, hdr, data);
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -EINVAL;
		return mvgpu_irq_trigger(irq, &irq->req_trigger, hdr, data);
	}
	return -EINVAL;
}

/**
 * mvgpu_irq_request() - ask userspace to release the device
 * @irq: interrupt state
 *
 * Return: true if a REQ eventfd was set and signalled.
 */
bool mvgpu_irq_request(struct mvgpu_irq *irq)
{
	struct eventfd_ctx *ctx;
	bool sent = false;

	rcu_read_lock();
	ctx = rcu_dereference(irq->req_trigger);
	if (ctx) {
		eventfd_signal(ctx);
		sent = true;
	}
	rcu_read_unlock();
	return sent;
}

/**
 * mvgpu_irq_teardown() - drop everything userspace configured
 * @irq: interrupt state
 *
 * Called when the last user closes the device: stops the unmask eventfd
 * (waiting for its handler and work item) and releases all eventfds.
 */
void mvgpu_irq_teardown(struct mvgpu_irq *irq)
{
	struct eventfd_ctx *ctx[3];
	unsigned long flags;
	unsigned int i;

	vfio_virqfd_disable(&irq->intx_unmask);

	spin_lock_irqsave(&irq->lock, flags);
	ctx[0] = rcu_replace_pointer(irq->intx_trigger, NULL,
				     lockdep_is_held(&irq->lock));
	ctx[1] = rcu_replace_pointer(irq->msi_trigger, NULL,
				     lockdep_is_held(&irq->lock));
	ctx[2] = rcu_replace_pointer(irq->req_trigger, NULL,
				     lockdep_is_held(&irq->lock));
	irq->intx_masked = false;
	spin_unlock_irqrestore(&irq->lock, flags);

	synchronize_rcu();
	for (i = 0; i < ARRAY_SIZE(ctx); i++)
		if (ctx[i])
			eventfd_ctx_put(ctx[i]);
}
