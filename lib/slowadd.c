#include "config.h"

#include "slowadd.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool
is_blank(unsigned char c)
{
	/* What Python's float()/int() strip: newline is our delimiter. */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
	       c == '\n';
}

/*
 * Python float() syntax without inf/nan:
 * [+-] (digits [. digits?] | . digits) [(e|E) [+-] digits].
 * Checked by hand because strtod also takes hex, inf and nan.
 */
static bool
is_decimal(const char *s)
{
	bool digits = false;

	if (*s == '+' || *s == '-')
		s++;
	while (isdigit((unsigned char)*s)) {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

int
slowadd_format_double(struct buf *out, double v)
{
	char tmp[40], digits[20];
	int prec, exp10, decpt, nd, i;
	char *e;

	if (v == 0)
		return buf_appends(out, signbit(v) ? "-0.0" : "0.0");
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* tmp is "[-]d[.ddd]e[+-]XX": pull out the digits and exponent. */
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1);
	nd = 0;
	for (i = 0; tmp + i < e; i++)
		if (isdigit((unsigned char)tmp[i]))
			digits[nd++] = tmp[i];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	decpt = exp10 + 1;
	if (v < 0 && buf_appendc(out, '-') == -1)
		return -1;
	if (decpt > 16 || decpt < -3) {
		/* Python's repr switches to exponent form exactly here. */
		if (buf_appendc(out, digits[0]) == -1)
			return -1;
		if (nd > 1 &&
		    (buf_appendc(out, '.') == -1 ||
		     buf_append(out, digits + 1, (size_t)nd - 1) == -1))
			return -1;
		return buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+',
		                  abs(exp10));
	}
	if (decpt <= 0) {
		if (buf_appends(out, "0.") == -1)
			return -1;
		for (i = 0; i < -decpt; i++)
			if (buf_appendc(out, '0') == -1)
				return -1;
		return buf_append(out, digits, (size_t)nd);
	}
	if (decpt >= nd) {
		if (buf_append(out, digits, (size_t)nd) == -1)
			return -1;
		for (i = nd; i < decpt; i++)
			if (buf_appendc(out, '0') == -1)
				return -1;
		return buf_appends(out, ".0");
	}
	if (buf_append(out, digits, (size_t)decpt) == -1 ||
	    buf_appendc(out, '.') == -1 ||
	    buf_append(out, digits + decpt, (size_t)(nd - decpt)) == -1)
		return -1;
	return 0;
}

/*
 * The common case, digits only and within 64 bits, without strtod or
 * printf: 0 when done, 1 to take the general path.
 */
static int
fast_integer(const char *s, size_t len, double time_scale, struct buf *out,
             double *sleep_s)
{
	char digits[24], *d = digits + sizeof digits;
	uint64_t v = 0, w;
	size_t i;

	if (len > 19)
		return 1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*sleep_s = (double)v / 3.0 * time_scale;
	w = v + 1;
	*--d = '\n';
	do
		*--d = (char)('0' + w % 10);
	while ((w /= 10) != 0);
	return buf_append(out, d, (size_t)(digits + sizeof digits - d)) == -1
	           ? -1
	           : 0;
}

static int
fail(struct buf *why, const char *reason)
{
	if (buf_appends(why, reason) == -1)
		return -1;
	errno = EINVAL;
	return -1;
}

/* Python's int() takes this many digits and no more. */
#define INT_DIGITS_MAX 4300

/*
 * [+-]digits of any length, as Python's int: x+1 exactly, however long.
 * 0 when done, 1 if the record is not such an integer, -1 on error.
 */
static int
long_integer(const char *s, size_t len, double time_scale, struct buf *out,
             double *sleep_s, struct buf *why)
{
	size_t i, start, n;
	bool negative = false;
	double v = 0;
	char *d;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		negative = s[0] == '-';
		s++;
		len--;
	}
	if (len == 0)
		return 1;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 1;
	for (start = 0; start + 1 < len && s[start] == '0'; start++)
		;
	n = len - start;
	if (negative && !(n == 1 && s[start] == '0'))
		return fail(why, "negative number");
	if (n > INT_DIGITS_MAX)
		return fail(why, "not a number (an integer of more than 4300 "
		                 "digits)");
	/* Only the sleep needs it, and inf is as good as any beyond 1e9. */
	for (i = start; i < len; i++)
		v = v * 10 + (s[i] - '0');
	*sleep_s = time_scale > 0 ? v / 3.0 * time_scale : 0;
	if (buf_reserve(out, n + 2) == -1)
		return -1;
	d = out->data + out->len;
	memcpy(d + 1, s + start, n);
	d[0] = '0';
	for (i = n; i > 0 && d[i] == '9'; i--)
		d[i] = '0';
	d[i]++;
	/* A carry out of the top digit is the only case the 0 is kept. */
	if (i == 0) {
		d[n + 1] = '\n';
		out->len += n + 2;
	} else {
		memmove(d, d + 1, n);
		d[n] = '\n';
		out->len += n + 1;
	}
	return 0;
}

int
slowadd_compute(const char *rec, size_t len, double time_scale, struct buf *out,
                double *sleep_s, struct buf *why)
{
	char text[128];
	double v;
	int rc;

	while (len > 0 && is_blank((unsigned char)rec[0])) {
		rec++;
		len--;
	}
	while (len > 0 && is_blank((unsigned char)rec[len - 1]))
		len--;
	if (len == 0)
		return fail(why, "not a number (empty)");
	/* Integers first (1: not one), then Python's float syntax. */
	rc = fast_integer(rec, len, time_scale, out, sleep_s);
	if (rc == 1)
		rc = long_integer(rec, len, time_scale, out, sleep_s, why);
	if (rc != 1)
		return rc;
	if (len >= sizeof text || memchr(rec, '\0', len) != NULL)
		return fail(why, "not a number");
	memcpy(text, rec, len);
	text[len] = '\0';
	if (!is_decimal(text)) {
		const char *t = text + (*text == '+' || *text == '-');

		if (strcasecmp(t, "inf") == 0 ||
		    strcasecmp(t, "infinity") == 0 || strcasecmp(t, "nan") == 0)
			return fail(why, "not a finite number");
		return fail(why, "not a number");
	}
	v = strtod(text, NULL);
	if (isinf(v))
		return fail(why, "not a finite number (too large)");
	if (v < 0)
		return fail(why, "negative number");
	*sleep_s = v / 3.0 * time_scale;
	if (slowadd_format_double(out, v + 1.0) == -1)
		return -1;
	return buf_appendc(out, '\n');
}
