/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt delivery of a vGPU to userspace (kmod/irq.c): the IRQ_STATUS /
 * IRQ_ENABLE register pair, INTx and MSI eventfds, the REQ eventfd.
 */
#ifndef _MVGPU_IRQ_H
#define _MVGPU_IRQ_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>

#include "uapi/mvgpu_hw.h"

struct eventfd_ctx;
struct virqfd;

/* IRQ_STATUS bits that have a source: software and the engines. */
#define MVGPU_IRQ_ENGINE_SOURCES(e) \
	(MVGPU_IRQ_USER(e) | MVGPU_IRQ_COMPLETE(e) | MVGPU_IRQ_FAULT(e))
#define MVGPU_IRQ_SOURCES \
	(MVGPU_IRQ_SOFTWARE | MVGPU_IRQ_ENGINE_SOURCES(MVGPU_ENGINE_RCS) | \
	 MVGPU_IRQ_ENGINE_SOURCES(MVGPU_ENGINE_BCS))

/**
 * struct mvgpu_irq - interrupt state of one vGPU
 * @lock: protects every field below except @intx_unmask, and serialises
 *	writers of the eventfd pointers.  A spinlock taken with interrupts
 *	off: sources may raise interrupts from atomic context (engine
 *	completion, the INTx unmask eventfd's wakeup callback).  No eventfd is
 *	signalled under it: the unmask eventfd's callback takes it inside that
 *	eventfd's wait-queue lock, so signalling under it would invert the
 *	order (and deadlock outright if userspace used one eventfd for both).
 * @status: IRQ_STATUS register, pending sources
 * @enable: IRQ_ENABLE register, sources that assert the interrupt
 * @asserted: (@status & @enable) != 0 at the last evaluation
 * @msi_enabled: MSI enable bit of config space, mirrored for atomic context
 * @intx_disabled: INTx disable bit of the command register, mirrored
 * @intx_masked: the VFIO INTx mask (set on delivery, cleared by UNMASK)
 * @intx_trigger: INTx eventfd, NULL if none
 * @msi_trigger: MSI eventfd (one vector), NULL if none
 * @req_trigger: device release request eventfd, NULL if none
 * @intx_unmask: eventfd whose signal unmasks INTx (KVM resampler).  Owned
 *	by the vfio virqfd helpers, which have their own locking; changed only
 *	under the vGPU's state mutex.
 *
 * The eventfd pointers are RCU-protected: signalling dereferences them
 * under rcu_read_lock() after @lock is dropped, and a replaced eventfd is
 * put only after a grace period.
 */
struct mvgpu_irq {
	spinlock_t lock;		/* see above */
	u32 status;
	u32 enable;
	bool asserted;
	bool msi_enabled;
	bool intx_disabled;
	bool intx_masked;
	struct eventfd_ctx __rcu *intx_trigger;
	struct eventfd_ctx __rcu *msi_trigger;
	struct eventfd_ctx __rcu *req_trigger;
	struct virqfd *intx_unmask;
};

void mvgpu_irq_init(struct mvgpu_irq *irq);
void mvgpu_irq_reset(struct mvgpu_irq *irq);
void mvgpu_irq_teardown(struct mvgpu_irq *irq);

u32 mvgpu_irq_read_status(struct mvgpu_irq *irq);
u32 mvgpu_irq_read_enable(struct mvgpu_irq *irq);
void mvgpu_irq_clear_status(struct mvgpu_irq *irq, u32 bits);
void mvgpu_irq_write_enable(struct mvgpu_irq *irq, u32 val);
void mvgpu_irq_raise(struct mvgpu_irq *irq, u32 bits);
void mvgpu_irq_set_mode(struct mvgpu_irq *irq, bool msi_enabled,
			bool intx_disabled);
bool mvgpu_irq_intx_pending(struct mvgpu_irq *irq);

u32 mvgpu_irq_count(unsigned int index);
int mvgpu_irq_get_info(struct vfio_irq_info *info);
int mvgpu_irq_set_irqs(struct mvgpu_irq *irq, const struct vfio_irq_set *hdr,
		       const void *data);
bool mvgpu_irq_request(struct mvgpu_irq *irq);

#endif /* _MVGPU_IRQ_H */
