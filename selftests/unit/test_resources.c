// SPDX-License-Identifier: GPL-2.0
/* Unit tests of gvt/resources.c: the slice allocator. */
#include "mvgpu_res.h"
#include "unit.h"

static const unsigned int types[] = { 1, 2, 4, 8 };
#define NR_TYPES (ARRAY_SIZE(types))

/*
 * An independent model of what should be allocated: the slices handed out,
 * from which the tests derive free blocks without looking at res->used.
 */
struct model {
	struct mvgpu_slice slices[MVGPU_RES_UNITS];
	unsigned int nr;
};

static unsigned int model_used(const struct model *m)
{
	unsigned int used = 0, i;

	for (i = 0; i < m->nr; i++)
		used |= ((1u << m->slices[i].nr_units) - 1) <<
			m->slices[i].first_unit;
	return used;
}

static unsigned int model_available(const struct model *m, unsigned int type,
				    unsigned int max_vgpus)
{
	unsigned int units = MVGPU_RES_UNITS / type, used = model_used(m);
	unsigned int first, blocks = 0;

	for (first = 0; first < MVGPU_RES_UNITS; first += units)
		if (!(used & (((1u << units) - 1) << first)))
			blocks++;
	if (m->nr >= max_vgpus)
		return 0;
	return blocks < max_vgpus - m->nr ? blocks : max_vgpus - m->nr;
}

static void test_types(void)
{
	EXPECT(mvgpu_res_type_valid(1));
	EXPECT(mvgpu_res_type_valid(2));
	EXPECT(mvgpu_res_type_valid(4));
	EXPECT(mvgpu_res_type_valid(8));
	EXPECT(!mvgpu_res_type_valid(0));
	EXPECT(!mvgpu_res_type_valid(3));
	EXPECT(!mvgpu_res_type_valid(16));
	EXPECT_EQ(mvgpu_res_type_units(1), 8);
	EXPECT_EQ(mvgpu_res_type_units(2), 4);
	EXPECT_EQ(mvgpu_res_type_units(4), 2);
	EXPECT_EQ(mvgpu_res_type_units(8), 1);
	EXPECT_EQ(mvgpu_res_type_units(3), 0);
}

static void test_empty(void)
{
	struct mvgpu_res res;

	mvgpu_res_init(&res, 8);
	EXPECT_EQ(mvgpu_res_available(&res, 1), 1);
	EXPECT_EQ(mvgpu_res_available(&res, 2), 2);
	EXPECT_EQ(mvgpu_res_available(&res, 4), 4);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 8);
	EXPECT(!mvgpu_res_at_limit(&res));
	mvgpu_res_init(&res, 3);
	EXPECT_EQ(mvgpu_res_available(&res, 1), 1);
	EXPECT_EQ(mvgpu_res_available(&res, 2), 2);
	EXPECT_EQ(mvgpu_res_available(&res, 4), 3);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 3);
}

static void test_invalid_type(void)
{
	struct mvgpu_res res;
	struct mvgpu_slice s;

	mvgpu_res_init(&res, 8);
	EXPECT_EQ(mvgpu_res_alloc(&res, 3, &s), -EINVAL);
	EXPECT_EQ(mvgpu_res_alloc(&res, 0, &s), -EINVAL);
	EXPECT_EQ(mvgpu_res_alloc(&res, 16, &s), -EINVAL);
	EXPECT_EQ(mvgpu_res_available(&res, 3), 0);
	EXPECT_EQ(res.nr_vgpus, 0);
	EXPECT_EQ(res.used, 0);
}

/* Check one allocation against the model; returns 1 if it succeeded. */
static int check_alloc(struct mvgpu_res *res, struct model *m,
		       unsigned int type, unsigned int max_vgpus)
{
	unsigned int expect = model_available(m, type, max_vgpus);
	unsigned int before = model_used(m), i;
	struct mvgpu_slice s;
	int ret;

	EXPECT_EQ(mvgpu_res_available(res, type), expect);
	ret = mvgpu_res_alloc(res, type, &s);
	if (!expect) {
		EXPECT_EQ(ret, -ENOSPC);
		return 0;
	}
	EXPECT_EQ(ret, 0);
	if (ret)
		return 0;
	EXPECT_EQ(s.nr_units, MVGPU_RES_UNITS / type);
	EXPECT_EQ(s.first_unit % s.nr_units, 0);
	EXPECT(s.first_unit + s.nr_units <= MVGPU_RES_UNITS);
	EXPECT(!(before & (((1u << s.nr_units) - 1) << s.first_unit)));
	EXPECT(s.instance < max_vgpus);
	for (i = 0; i < m->nr; i++)
		EXPECT(m->slices[i].instance != s.instance);
	m->slices[m->nr++] = s;
	EXPECT_EQ(res->used, model_used(m));
	EXPECT_EQ(res->nr_vgpus, m->nr);
	return 1;
}

/*
 * Every sequence of creations (any type at each step) until nothing fits,
 * for every max_vgpus: available_instances matches the model at each step
 * and creation succeeds exactly when it says so.
 */
static unsigned long long explored;

static void explore(struct mvgpu_res *res, struct model *m,
		    unsigned int max_vgpus)
{
	unsigned int t;

	for (t = 0; t < NR_TYPES; t++) {
		struct mvgpu_res saved_res = *res;
		struct model saved_m = *m;

		explored++;
		if (check_alloc(res, m, types[t], max_vgpus))
			explore(res, m, max_vgpus);
		*res = saved_res;
		*m = saved_m;
	}
}

/*
 * Attempts the walk makes if, without frees, a vGPU fits whenever its units
 * fit in what is left (no fragmentation) and max_vgpus is not reached --
 * computed from unit sums only, independent of placement.
 */
static unsigned long long expected_attempts(unsigned int used, unsigned int nr,
					    unsigned int max)
{
	unsigned long long n = 0;
	unsigned int t, units;

	for (t = 0; t < NR_TYPES; t++) {
		units = MVGPU_RES_UNITS / types[t];
		n++;
		if (used + units <= MVGPU_RES_UNITS && nr < max)
			n += expected_attempts(used + units, nr + 1, max);
	}
	return n;
}

static void test_every_combination(void)
{
	unsigned int max;

	for (max = 1; max <= MVGPU_RES_MAX_VGPUS; max++) {
		struct mvgpu_res res;
		struct model m = { .nr = 0 };

		explored = 0;
		mvgpu_res_init(&res, max);
		explore(&res, &m, max);
		/* Every path was walked, and none ended early. */
		EXPECT_EQ(explored, expected_attempts(0, 0, max));
	}
}

/*
 * Mixed sizes that add up to the whole parent fit in any creation order:
 * aligned placement never strands units while nothing is freed.
 */
static void test_any_order_fills(void)
{
	static const unsigned int seq[][4] = {
		{ 8, 2, 4, 8 }, { 8, 4, 2, 8 }, { 4, 8, 2, 8 }, { 8, 8, 2, 4 },
		{ 8, 4, 8, 2 }, { 4, 2, 8, 8 },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		struct mvgpu_res res;
		struct mvgpu_slice s;

		mvgpu_res_init(&res, 8);
		for (j = 0; j < 4; j++)
			EXPECT_EQ(mvgpu_res_alloc(&res, seq[i][j], &s), 0);
		EXPECT_EQ(res.used, 0xff);
		for (j = 0; j < NR_TYPES; j++)
			EXPECT_EQ(mvgpu_res_available(&res, types[j]), 0);
	}
}

static void test_fragmentation(void)
{
	struct mvgpu_slice s[8], one;
	struct mvgpu_res res;
	unsigned int i;

	mvgpu_res_init(&res, 8);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(mvgpu_res_alloc(&res, 8, &s[i]), 0);
		EXPECT_EQ(s[i].first_unit, i);
		EXPECT_EQ(s[i].instance, i);
	}
	EXPECT_EQ(mvgpu_res_available(&res, 8), 0);
	/* Free 0..3 and 6: unit 4 stays alone next to a free hole at 5. */
	for (i = 0; i < 8; i++)
		if (i != 4 && i != 5 && i != 7)
			mvgpu_res_free(&res, &s[i]);
	/* used = {4, 5, 7}: 1/2 fits at 0, 1/4 at 0 or 2, not 4..7. */
	EXPECT_EQ(mvgpu_res_available(&res, 2), 1);
	EXPECT_EQ(mvgpu_res_available(&res, 4), 2);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 5);
	EXPECT_EQ(mvgpu_res_available(&res, 1), 0);
	/* A single goes into the hole at 6, not into the free half 0..3. */
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &one), 0);
	EXPECT_EQ(one.first_unit, 6);
	EXPECT_EQ(mvgpu_res_available(&res, 2), 1);
	EXPECT_EQ(mvgpu_res_alloc(&res, 2, &one), 0);
	EXPECT_EQ(one.first_unit, 0);
	EXPECT_EQ(res.used, 0xff);
	/* Lowest free instance numbers were reused. */
	EXPECT_EQ(one.instance, 1);
}

static void test_max_vgpus_cap(void)
{
	struct mvgpu_slice a, b, c;
	struct mvgpu_res res;

	mvgpu_res_init(&res, 2);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &a), 0);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 1);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &b), 0);
	EXPECT(mvgpu_res_at_limit(&res));
	EXPECT_EQ(mvgpu_res_available(&res, 8), 0);
	EXPECT_EQ(mvgpu_res_available(&res, 2), 0);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &c), -ENOSPC);
	EXPECT_EQ(mvgpu_res_alloc(&res, 2, &c), -ENOSPC);
	EXPECT_EQ(res.nr_vgpus, 2);
	mvgpu_res_free(&res, &a);
	EXPECT(!mvgpu_res_at_limit(&res));
	EXPECT_EQ(mvgpu_res_available(&res, 2), 1);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 1);

	mvgpu_res_init(&res, 1);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &a), 0);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 0);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &b), -ENOSPC);
}

static void test_release_reuse(void)
{
	struct mvgpu_slice whole, half, again;
	struct mvgpu_res res;
	unsigned int t;

	mvgpu_res_init(&res, 8);
	EXPECT_EQ(mvgpu_res_alloc(&res, 1, &whole), 0);
	EXPECT_EQ(whole.first_unit, 0);
	EXPECT_EQ(whole.nr_units, 8);
	for (t = 0; t < NR_TYPES; t++)
		EXPECT_EQ(mvgpu_res_available(&res, types[t]), 0);
	EXPECT_EQ(mvgpu_res_alloc(&res, 8, &again), -ENOSPC);
	mvgpu_res_free(&res, &whole);
	EXPECT_EQ(res.used, 0);
	EXPECT_EQ(res.instances, 0);
	EXPECT_EQ(res.nr_vgpus, 0);
	EXPECT_EQ(mvgpu_res_available(&res, 8), 8);

	EXPECT_EQ(mvgpu_res_alloc(&res, 2, &half), 0);
	EXPECT_EQ(mvgpu_res_alloc(&res, 2, &again), 0);
	EXPECT_EQ(half.first_unit, 0);
	EXPECT_EQ(again.first_unit, 4);
	EXPECT_EQ(again.instance, 1);
	mvgpu_res_free(&res, &half);
	EXPECT_EQ(mvgpu_res_alloc(&res, 2, &half), 0);
	EXPECT_EQ(half.first_unit, 0);
	EXPECT_EQ(half.instance, 0);
}

const struct unit_test resources_tests[] = {
	{ "type validity and units per type", test_types },
	{ "empty parent: available per type, capped", test_empty },
	{ "invalid types are rejected without effect", test_invalid_type },
	{ "every type sequence, every max_vgpus, matches the model", test_every_combination },
	{ "buddy placement fills 8 units in any order", test_any_order_fills },
	{ "fragmentation: holes are filled before splitting", test_fragmentation },
	{ "max_vgpus caps creation and available_instances", test_max_vgpus_cap },
	{ "release frees units and instance numbers for reuse", test_release_reuse },
};

const unsigned int resources_nr_tests =
	ARRAY_SIZE(resources_tests);
