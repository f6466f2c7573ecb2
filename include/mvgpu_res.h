/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partitioning of the parent GPU between vGPUs (gvt/resources.c).
 *
 * The parent's memory and graphics address space are MVGPU_RES_UNITS equal
 * units.  A vGPU of type N (N = 1, 2, 4, 8: it gets 1/N of the parent)
 * takes a naturally aligned block of 8/N contiguous units, buddy style.
 *
 * Pure logic, no locking: the caller holds the parent's lock.  Builds in
 * userspace for selftests/unit/.
 */
#ifndef _MVGPU_RES_H
#define _MVGPU_RES_H

#include "mvgpu_compat.h"

#define MVGPU_RES_UNITS		8u
#define MVGPU_RES_MAX_VGPUS	8u

/**
 * struct mvgpu_res - allocation state of one parent
 * @used: bit i set if unit i belongs to a vGPU
 * @instances: bit i set if instance number i is taken
 * @nr_vgpus: vGPUs currently holding a slice
 * @max_vgpus: limit on @nr_vgpus across all types
 */
struct mvgpu_res {
	u8 used;
	u8 instances;
	unsigned int nr_vgpus;
	unsigned int max_vgpus;
};

/**
 * struct mvgpu_slice - what one vGPU owns
 * @first_unit: first unit of its block, a multiple of @nr_units
 * @nr_units: size of the block
 * @instance: parent-wide vGPU number, lowest free first
 */
struct mvgpu_slice {
	unsigned int first_unit;
	unsigned int nr_units;
	unsigned int instance;
};

bool mvgpu_res_type_valid(unsigned int type);
unsigned int mvgpu_res_type_units(unsigned int type);
void mvgpu_res_init(struct mvgpu_res *res, unsigned int max_vgpus);
unsigned int mvgpu_res_available(const struct mvgpu_res *res,
				 unsigned int type);
bool mvgpu_res_at_limit(const struct mvgpu_res *res);
int mvgpu_res_alloc(struct mvgpu_res *res, unsigned int type,
		    struct mvgpu_slice *slice);
void mvgpu_res_free(struct mvgpu_res *res, const struct mvgpu_slice *slice);

#endif /* _MVGPU_RES_H */
