/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shim for the pure device-model files (gvt/cfg_space.c,
 * gvt/resources.c): they build in the kernel and, for the unit tests in
 * selftests/unit/, in userspace.  Only what those files use lives here.
 */
#ifndef _MVGPU_COMPAT_H
#define _MVGPU_COMPAT_H

#ifdef __KERNEL__

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <linux/types.h>

#else /* userspace */

#include <errno.h>
#include <linux/pci_regs.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

#endif /* __KERNEL__ */

#endif /* _MVGPU_COMPAT_H */
