// SPDX-License-Identifier: GPL-2.0
/* Runs every unit test and reports TAP (kselftest style). */
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

unsigned int unit_failures;

struct unit_suite {
	const char *name;
	const struct unit_test *tests;
	const unsigned int *nr;
};

static const struct unit_suite suites[] = {
	{ "cfg_space", cfg_space_tests, &cfg_space_nr_tests },
	{ "resources", resources_tests, &resources_nr_tests },
	{ "xlate", xlate_tests, &xlate_nr_tests },
	{ "exec", exec_tests, &exec_nr_tests },
	{ "scan", scan_tests, &scan_nr_tests },
};

int main(void)
{
	unsigned int s, i, n = 0, total = 0, passed = 0, failed = 0;

	/*
	 * A test that loops forever (a broken executor) fails the run; line
	 * buffering keeps the TAP lines up to it.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(300);
	for (s = 0; s < ARRAY_SIZE(suites); s++)
		total += *suites[s].nr;

	printf("TAP version 13\n1..%u\n", total);
	for (s = 0; s < ARRAY_SIZE(suites); s++) {
		for (i = 0; i < *suites[s].nr; i++) {
			const struct unit_test *t = &suites[s].tests[i];

			unit_failures = 0;
			t->fn();
			n++;
			if (unit_failures) {
				failed++;
				printf("not ok %u - %s: %s\n", n,
				       suites[s].name, t->name);
			} else {
				passed++;
				printf("ok %u - %s: %s\n", n, suites[s].name,
				       t->name);
			}
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
