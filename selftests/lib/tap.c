// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal kselftest-style TAP output (see tap.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

bool tap_cur_failed;

static unsigned int tap_planned, tap_run_count, tap_pass, tap_fail;

void tap_plan(unsigned int n)
{
	tap_planned = n;
	printf("TAP version 13\n1..%u\n", n);
	fflush(stdout);
}

static void tap_vdiag(const char *fmt, va_list ap)
{
	char buf[1024];
	char *line, *save = NULL;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* Every output line of a diagnostic must start with "# ". */
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("# %s\n", line);
	fflush(stdout);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag(fmt, ap);
	va_end(ap);
}

void tap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_run_count++;
	if (ok)
		tap_pass++;
	else
		tap_fail++;
	printf("%sok %u - ", ok ? "" : "not ", tap_run_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_finish(void)
{
	bool all = tap_run_count == tap_planned && tap_fail == 0;

	if (tap_run_count != tap_planned)
		tap_diag("planned %u tests but ran %u", tap_planned,
			 tap_run_count);
	tap_diag("Totals: pass:%u fail:%u xfail:0 xpass:0 skip:0 error:0",
		 tap_pass, tap_fail + (tap_run_count != tap_planned));
	return all ? KSFT_PASS : KSFT_FAIL;
}

void tap_check_failed(const char *file, int line, const char *expr,
		      const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	tap_cur_failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_diag("%s:%d: %s (failed: %s)", file, line, msg, expr);
}

int tap_run(const struct tap_test *tests, unsigned int n, void *ctx,
	    int (*setup)(void *ctx), void (*teardown)(void *ctx))
{
	unsigned int i;

	tap_plan(n);
	for (i = 0; i < n; i++) {
		tap_cur_failed = false;
		if (setup) {
			int ret = setup(ctx);

			if (ret) {
				tap_diag("setup for '%s' failed: %s",
					 tests[i].name, strerror(-ret));
				tap_result(false, "%s", tests[i].name);
				continue;
			}
		}
		tests[i].fn(ctx);
		if (teardown)
			teardown(ctx);
		tap_result(!tap_cur_failed, "%s", tests[i].name);
	}
	return tap_finish();
}
