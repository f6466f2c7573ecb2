/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal kselftest-style TAP output and a table-driven test runner for the
 * mvgpu userspace selftests.
 *
 * Every test is one TAP point.  Inside a test, CHECK() records a failure and
 * prints a "# file:line: ..." diagnostic; REQUIRE() does the same and leaves
 * the test.  A test that ends without a failed check is "ok".
 */
#ifndef MVGPU_SELFTEST_TAP_H
#define MVGPU_SELFTEST_TAP_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* kselftest exit codes (tools/testing/selftests/kselftest.h). */
#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

/* Set by CHECK() when a check of the running test fails. */
extern bool tap_cur_failed;

void tap_plan(unsigned int n);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_result(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print the totals; returns KSFT_PASS iff every planned point passed. */
int tap_finish(void);

void tap_check_failed(const char *file, int line, const char *expr,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#ifdef __FILE_NAME__
#define TAP_FILE __FILE_NAME__
#else
#define TAP_FILE __FILE__
#endif

#define CHECK(cond, fmt, ...)						\
	({								\
		bool __tap_ok = !!(cond);				\
		if (!__tap_ok)						\
			tap_check_failed(TAP_FILE, __LINE__, #cond,	\
					 fmt, ##__VA_ARGS__);		\
		__tap_ok;						\
	})

#define REQUIRE(cond, fmt, ...)						\
	do {								\
		if (!CHECK(cond, fmt, ##__VA_ARGS__))			\
			return;						\
	} while (0)

/* Compare two integers; the diagnostic shows both values in hex. */
#define CHECK_EQ(a, b, fmt, ...)					\
	({								\
		unsigned long long __tap_a = (a), __tap_b = (b);	\
		CHECK(__tap_a == __tap_b, fmt ": got 0x%llx, want 0x%llx", \
		      ##__VA_ARGS__, __tap_a, __tap_b);			\
	})

/*
 * A syscall-style call (-1 and errno on failure) must fail with one of two
 * errno values (pass the same value twice for one).
 */
#define CHECK_SYSERR(call, err1, err2, fmt, ...)			\
	({								\
		long __tap_r;						\
		int __tap_e;						\
		errno = 0;						\
		__tap_r = (long)(call);					\
		__tap_e = errno;					\
		CHECK(__tap_r == -1 && (__tap_e == (err1) ||		\
					__tap_e == (err2)),		\
		      fmt ": returned %ld, errno %d (%s); want -1 with %s", \
		      ##__VA_ARGS__, __tap_r, __tap_e,			\
		      __tap_r == -1 ? strerror(__tap_e) : "no error",	\
		      strerror(err1));					\
	})

struct tap_test {
	const char *name;
	void (*fn)(void *ctx);
};

/*
 * Run @n tests in order.  @setup (may be NULL) runs before each test and
 * returns 0 or a negative errno (the test is then reported as failed without
 * running); @teardown (may be NULL) runs after each test whose setup
 * succeeded, so tests may leave resources to it when a REQUIRE() fails.
 * Prints the plan, one point per test and the totals.  Returns the exit code.
 */
int tap_run(const struct tap_test *tests, unsigned int n, void *ctx,
	    int (*setup)(void *ctx), void (*teardown)(void *ctx));

#define TAP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* MVGPU_SELFTEST_TAP_H */
