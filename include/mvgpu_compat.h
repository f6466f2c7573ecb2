/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shim for the pure device-model files (gvt/cfg_space.c,
 * gvt/resources.c, gvt/exec.c, gvt/xlate.c): they build in the kernel and,
 * for the unit tests in selftests/unit/, in userspace.  Only what those
 * files use lives here.
 */
#ifndef _MVGPU_COMPAT_H
#define _MVGPU_COMPAT_H

#ifdef __KERNEL__

#include <asm/byteorder.h>
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <linux/types.h>

#else /* userspace */

#include <endian.h>
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

#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)

#ifndef __force
#define __force
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* One load the compiler may neither repeat nor tear (guest memory). */
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))

#endif /* __KERNEL__ */

#endif /* _MVGPU_COMPAT_H */
