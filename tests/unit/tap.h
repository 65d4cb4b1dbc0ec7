/* A few TAP helpers for the unit tests: each check is one "ok" line. */
#ifndef PMAPF_TAP_H
#define PMAPF_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static void tap_ok(int pass, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* Compare a byte string with an expected C string, show both on failure. */
#define is_bytes(got, got_len, want, ...)                                      \
	do {                                                                   \
		size_t wl_ = strlen(want);                                     \
		int p_ = (got_len) == wl_ && memcmp((got), (want), wl_) == 0;  \
		tap_ok(p_, __FILE__, __LINE__, __VA_ARGS__);                   \
		if (!p_)                                                       \
			printf("#   got:  '%.*s'\n#   want: '%s'\n",           \
			       (int)(got_len), (got), (want));                 \
	} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
