#include "config.h"

#include <math.h>

#include "slowadd.h"
#include "tap.h"

static void
check(const char *in, const char *want, double want_sleep)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	double s = -1;
	int rc = slowadd_compute(in, strlen(in), 1.0, &out, &s, &why);

	ok(rc == 0, "'%s' accepted", in);
	is_bytes(out.data, out.len, want, "'%s' -> %s", in, want);
	ok(fabs(s - want_sleep) <= 1e-12 * (want_sleep > 1 ? want_sleep : 1),
	   "'%s' sleeps %g (got %g)", in, want_sleep, s);
	buf_free(&out);
	buf_free(&why);
}

static void
reject(const char *in, const char *reason)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	double s = 0;
	int rc = slowadd_compute(in, strlen(in), 1.0, &out, &s, &why);

	ok(rc == -1 && out.len == 0, "'%s' rejected", in);
	is_bytes(why.data, why.len, reason, "'%s': %s", in, reason);
	buf_free(&out);
	buf_free(&why);
}

static void
repr(double v, const char *want)
{
	struct buf b = BUF_INIT;

	slowadd_format_double(&b, v);
	is_bytes(b.data, b.len, want, "repr %.17g", v);
	buf_free(&b);
}

/* 4300 digits are taken (Python's limit), 4301 are not. */
static void
long_ints(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT, why = BUF_INIT;
	double s = 0;
	size_t i;
	int rc;

	for (i = 0; i < 4300; i++)
		(void)buf_appendc(&in, '9');
	rc = slowadd_compute(in.data, in.len, 0.0, &out, &s, &why);
	ok(rc == 0 && out.len == 4302 && out.data[0] == '1' &&
	       out.data[4300] == '0' && out.data[4301] == '\n' && s == 0,
	   "4300 nines -> 1 and 4300 zeros, no sleep at scale 0");
	buf_reset(&out);
	(void)buf_appendc(&in, '9');
	rc = slowadd_compute(in.data, in.len, 1.0, &out, &s, &why);
	is_bytes(why.data, why.len,
	         "not a number (an integer of more than 4300 digits)",
	         "4301 digits rejected (rc %d)", rc);
	buf_free(&in);
	buf_free(&out);
	buf_free(&why);
}

int
main(void)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	double s = 0;

	check("5", "6\n", 5.0 / 3);
	check("0", "1\n", 0);
	check("  7\t", "8\n", 7.0 / 3);
	check("+3", "4\n", 1);
	check("-0", "1\n", 0);
	check("2.5", "3.5\n", 2.5 / 3);
	check("0.1", "1.1\n", 0.1 / 3);
	check("1e3", "1001.0\n", 1000.0 / 3);
	check("1e20", "1e+20\n", 1e20 / 3);
	check(".5", "1.5\n", 0.5 / 3);
	check("5.", "6.0\n", 5.0 / 3);
	check("9007199254740993", "9007199254740994\n", 9007199254740993.0 / 3);
	check("18446744073709551614", "18446744073709551615\n",
	      18446744073709551614.0 / 3);
	/* Integers past 64 bits: exact, as Python's int. */
	check("18446744073709551615", "18446744073709551616\n",
	      18446744073709551615.0 / 3);
	check("99999999999999999999999", "100000000000000000000000\n",
	      99999999999999999999999.0 / 3);
	check("123456789012345678901234567890",
	      "123456789012345678901234567891\n",
	      123456789012345678901234567890.0 / 3);
	check("+00000000000000000000000000009", "10\n", 3);
	check("-00000000000000000000000000000", "1\n", 0);
	check("  9999999999999999999999999999999999\t",
	      "10000000000000000000000000000000000\n", 1e34 / 3);
	reject("-10000000000000000000000000000", "negative number");
	reject("1234567890123456789012345678901234567890x", "not a number");
	long_ints();
	reject("abc", "not a number");
	reject("", "not a number (empty)");
	reject("   ", "not a number (empty)");
	reject("-1", "negative number");
	reject("-0.5", "negative number");
	reject("inf", "not a finite number");
	reject("-Infinity", "not a finite number");
	reject("nan", "not a finite number");
	reject("1e400", "not a finite number (too large)");
	reject("0x10", "not a number");
	reject("1 2", "not a number");
	reject("1e", "not a number");
	reject(".", "not a number");
	ok(slowadd_compute("a\0b", 3, 1.0, &out, &s, &why) == -1,
	   "embedded NUL rejected");
	buf_reset(&why);
	ok(slowadd_compute("6", 1, 0.0, &out, &s, &why) == 0 && s == 0,
	   "time scale 0 means no sleep");
	buf_free(&out);
	buf_free(&why);

	repr(1.1, "1.1");
	repr(0.1 + 0.2, "0.30000000000000004");
	repr(1e16, "1e+16");
	repr(1e15, "1000000000000000.0");
	repr(0.0001, "0.0001");
	repr(0.00001, "1e-05");
	repr(2.5e-7, "2.5e-07");
	repr(123456789012345678.0, "1.2345678901234568e+17");
	repr(5e-324, "5e-324");
	repr(1.7976931348623157e308, "1.7976931348623157e+308");
	repr(100.0, "100.0");
	repr(0.0, "0.0");
	return tap_done();
}
