/*
 * tap.h: a few macros that print the Test Anything Protocol.
 *
 * Each unit test program prints "ok N - name" or "not ok N - name" per
 * check and "1..N" at the end; tests/run-tests counts them.  Use
 * tap_skip_all() (exit 77 is not used: a skip is a TAP line with a reason).
 */
#ifndef BS_TAP_H
#define BS_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
	if (!ok(tap_g_ == tap_w_, __VA_ARGS__))				\
		printf("#   got %lld, want %lld\n", tap_g_, tap_w_);	\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	int tap_c_ = tap_g_ != NULL && tap_w_ != NULL ?			\
	    strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_;		\
	if (!ok(tap_c_, __VA_ARGS__))					\
		printf("#   got  \"%s\"\n#   want \"%s\"\n",		\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)"); \
} while (0)

static inline void
tap_diag(const char *msg)
{
	printf("# %s\n", msg);
}

/* Print a skipped check with its reason (counts as passed by TAP). */
static inline void
tap_skip(const char *reason)
{
	tap_n++;
	printf("ok %d # SKIP %s\n", tap_n, reason);
}

/* End the program: the plan line, and the exit status. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#endif
