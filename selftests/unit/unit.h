/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP harness for the userspace unit tests of mvgpu's pure files.
 *
 * Each test is a function; EXPECT() records a failure with its location and
 * carries on, so one run reports every broken rule.  main.c prints one
 * "ok"/"not ok" line per test and a final "N passed, N failed" line.
 */
#ifndef _MVGPU_UNIT_H
#define _MVGPU_UNIT_H

#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Failures of the running test (reset by the harness before each test). */
extern unsigned int unit_failures;

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		unit_failures++;					\
		printf("# %s:%d: expected %s\n", __FILE__, __LINE__,	\
		       #cond);						\
	}								\
} while (0)

/* Compare two unsigned values and print both on mismatch. */
#define EXPECT_EQ(a, b) do {						\
	unsigned long long _a = (a), _b = (b);				\
	if (_a != _b) {							\
		unit_failures++;					\
		printf("# %s:%d: %s == 0x%llx, expected %s == 0x%llx\n",	\
		       __FILE__, __LINE__, #a, _a, #b, _b);		\
	}								\
} while (0)

extern const struct unit_test cfg_space_tests[];
extern const unsigned int cfg_space_nr_tests;
extern const struct unit_test resources_tests[];
extern const unsigned int resources_nr_tests;
extern const struct unit_test xlate_tests[];
extern const unsigned int xlate_nr_tests;
extern const struct unit_test exec_tests[];
extern const unsigned int exec_nr_tests;
extern const struct unit_test scan_tests[];
extern const unsigned int scan_nr_tests;

#endif /* _MVGPU_UNIT_H */
