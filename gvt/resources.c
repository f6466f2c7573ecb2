// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: the slice allocator.
 *
 * Eight units, blocks of 1, 2, 4 or 8 units on their natural alignment.
 * Placement follows a buddy allocator: a request is carved from the smallest
 * free aligned block that can hold it, lowest address first, so small vGPUs
 * pack together and leave large blocks whole for large vGPUs.
 *
 * This file is pure logic and builds in userspace (selftests/unit/).
 */
#include "mvgpu_res.h"

/**
 * mvgpu_res_type_valid() - is @type one of the vGPU types?
 * @type: parent fraction: 1, 2, 4 or 8
 *
 * Return: true for 1, 2, 4 and 8.
 */
bool mvgpu_res_type_valid(unsigned int type)
{
	return type == 1 || type == 2 || type == 4 || type == 8;
}

/**
 * mvgpu_res_type_units() - units a vGPU of @type takes
 * @type: a valid type
 *
 * Return: MVGPU_RES_UNITS / @type, or 0 for an invalid type.
 */
unsigned int mvgpu_res_type_units(unsigned int type)
{
	return mvgpu_res_type_valid(type) ? MVGPU_RES_UNITS / type : 0;
}

/**
 * mvgpu_res_init() - an empty parent
 * @res: state to initialise
 * @max_vgpus: instance limit, 1..MVGPU_RES_MAX_VGPUS
 */
void mvgpu_res_init(struct mvgpu_res *res, unsigned int max_vgpus)
{
	memset(res, 0, sizeof(*res));
	res->max_vgpus = max_vgpus;
}

static unsigned int mvgpu_res_block_mask(unsigned int first,
					 unsigned int units)
{
	return ((1u << units) - 1) << first;
}

static bool mvgpu_res_block_free(const struct mvgpu_res *res,
				 unsigned int first, unsigned int units)
{
	return !(res->used & mvgpu_res_block_mask(first, units));
}

/**
 * mvgpu_res_at_limit() - has the parent reached max_vgpus?
 * @res: allocation state
 *
 * Return: true if no vGPU of any type may be created for that reason.
 */
bool mvgpu_res_at_limit(const struct mvgpu_res *res)
{
	return res->nr_vgpus >= res->max_vgpus;
}

/**
 * mvgpu_res_available() - how many more vGPUs of @type fit
 * @res: allocation state
 * @type: vGPU type
 *
 * Free aligned blocks of the type's size, capped by the vGPUs max_vgpus
 * still allows.  Blocks of one size never overlap, so the count is exact:
 * every one of them can be allocated in turn.
 *
 * Return: the number of vGPUs of @type that could be created now.
 */
unsigned int mvgpu_res_available(const struct mvgpu_res *res,
				 unsigned int type)
{
	unsigned int units = mvgpu_res_type_units(type);
	unsigned int first, blocks = 0, left;

	if (!units || mvgpu_res_at_limit(res))
		return 0;
	for (first = 0; first < MVGPU_RES_UNITS; first += units)
		if (mvgpu_res_block_free(res, first, units))
			blocks++;
	left = res->max_vgpus - res->nr_vgpus;
	return blocks < left ? blocks : left;
}

/*
 * The smallest free aligned block of at least @units units that is maximal
 * (its buddy is not free, or it is the whole space): what a buddy allocator
 * would split.  Returns its first unit, or -1 if nothing fits.
 */
static int mvgpu_res_find(const struct mvgpu_res *res, unsigned int units)
{
	unsigned int size, first;

	for (size = units; size <= MVGPU_RES_UNITS; size *= 2) {
		for (first = 0; first < MVGPU_RES_UNITS; first += size) {
			if (!mvgpu_res_block_free(res, first, size))
				continue;
			if (size == MVGPU_RES_UNITS ||
			    !mvgpu_res_block_free(res, first ^ size, size))
				return (int)first;
		}
	}
	return -1;
}

/**
 * mvgpu_res_alloc() - reserve a slice for a new vGPU
 * @res: allocation state
 * @type: vGPU type
 * @slice: filled in on success
 *
 * Return: 0; -EINVAL for an invalid type; -ENOSPC if max_vgpus is reached
 * or no aligned block of the type's size is free.
 */
int mvgpu_res_alloc(struct mvgpu_res *res, unsigned int type,
		    struct mvgpu_slice *slice)
{
	unsigned int units = mvgpu_res_type_units(type);
	unsigned int instance;
	int first;

	if (!units)
		return -EINVAL;
	if (mvgpu_res_at_limit(res))
		return -ENOSPC;
	first = mvgpu_res_find(res, units);
	if (first < 0)
		return -ENOSPC;
	for (instance = 0; instance < MVGPU_RES_MAX_VGPUS; instance++)
		if (!(res->instances & (1u << instance)))
			break;
	/* Only if max_vgpus was set above MVGPU_RES_MAX_VGPUS. */
	if (instance == MVGPU_RES_MAX_VGPUS)
		return -ENOSPC;

	res->used |= mvgpu_res_block_mask(first, units);
	res->instances |= 1u << instance;
	res->nr_vgpus++;
	slice->first_unit = first;
	slice->nr_units = units;
	slice->instance = instance;
	return 0;
}

/**
 * mvgpu_res_free() - give a slice back
 * @res: allocation state
 * @slice: a slice returned by mvgpu_res_alloc() and not yet freed
 */
void mvgpu_res_free(struct mvgpu_res *res, const struct mvgpu_slice *slice)
{
	res->used &= ~mvgpu_res_block_mask(slice->first_unit, slice->nr_units);
	res->instances &= ~(1u << slice->instance);
	res->nr_vgpus--;
}
