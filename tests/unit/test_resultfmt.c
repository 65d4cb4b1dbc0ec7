/* Unit tests for resultfmt: directory names and table rows. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "resultfmt.h"
#include "tap.h"

#define CHECK(cond) ok(cond, "%s", #cond)

static int
same(const struct buf *b, const char *want, size_t n)
{
	return b->len == n && memcmp(b->data, want, n) == 0;
}

#define SAME(b, lit) same(b, lit, sizeof lit - 1)

static void
dirname_is(const char *v, size_t n, const char *want, size_t wn)
{
	struct buf b = BUF_INIT;

	CHECK(resultfmt_dirname(&b, v, n) == 0);
	ok(same(&b, want, wn), "dirname '%.*s' is '%.*s' (got '%.*s')", (int)n,
	   v, (int)wn, want, (int)b.len, b.data);
	buf_free(&b);
}

static void
test_dirname(void)
{
	char long_a[400], long_b[400];
	struct buf a = BUF_INIT, b = BUF_INIT;

	/* GNU parallel's escapes. */
	dirname_is("a", 1, "a", 1);
	dirname_is("b/c", 3, "b\\_c", 4);
	dirname_is("x\\y", 3, "x\\\\y", 4);
	dirname_is("t\tu", 3, "t\\tu", 4);
	dirname_is("n\0m", 3, "n\\0m", 4);
	dirname_is("x y", 3, "x y", 3);
	dirname_is("a\nb", 3, "a\nb", 3);
	/* Names GNU's would lose or climb out of the tree with. */
	dirname_is("", 0, "\\e", 2);
	dirname_is(".", 1, "\\.", 2);
	dirname_is("..", 2, "\\.\\.", 4);
	dirname_is("...", 3, "...", 3);
	/* Long values: cut, with a hash of the whole, and different. */
	memset(long_a, 'a', sizeof long_a);
	memcpy(long_b, long_a, sizeof long_b);
	long_b[sizeof long_b - 1] = 'b';
	CHECK(resultfmt_dirname(&a, long_a, sizeof long_a) == 0);
	CHECK(resultfmt_dirname(&b, long_b, sizeof long_b) == 0);
	CHECK(a.len <= RESULTFMT_NAME_MAX && b.len <= RESULTFMT_NAME_MAX);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) != 0);
	CHECK(memmem(a.data, a.len, "\\#", 2) != NULL);
	buf_reset(&a);
	/* A cut never splits an escape: all slashes. */
	memset(long_a, '/', sizeof long_a);
	CHECK(resultfmt_dirname(&a, long_a, sizeof long_a) == 0);
	CHECK(a.len <= RESULTFMT_NAME_MAX);
	{
		char *h = memmem(a.data, a.len, "\\#", 2);

		CHECK(h != NULL && (h - a.data) % 2 == 0);
	}
	buf_reset(&a);
	/* Nor a UTF-8 character: 200 e-acutes. */
	for (size_t i = 0; i < 200; i++)
		memcpy(long_a + 2 * i, "\xc3\xa9", 2);
	CHECK(resultfmt_dirname(&a, long_a, 400) == 0);
	{
		char *h = memmem(a.data, a.len, "\\#", 2);

		CHECK(h != NULL && (h - a.data) % 2 == 0 &&
		      (unsigned char)h[-1] == 0xa9);
	}
	buf_reset(&a);
	/* Exactly the longest name: kept whole. */
	memset(long_a, 'z', RESULTFMT_NAME_MAX);
	CHECK(resultfmt_dirname(&a, long_a, RESULTFMT_NAME_MAX) == 0);
	CHECK(a.len == RESULTFMT_NAME_MAX &&
	      memchr(a.data, '#', a.len) == NULL);
	buf_free(&a);
	buf_free(&b);
}

static void
test_csv(void)
{
	struct buf b = BUF_INIT;

	CHECK(!resultfmt_csv_needs_quotes("abc", 3, ','));
	CHECK(resultfmt_csv_needs_quotes("a,c", 3, ','));
	CHECK(!resultfmt_csv_needs_quotes("a,c", 3, '\t'));
	CHECK(resultfmt_csv_needs_quotes("a\tc", 3, ','));
	CHECK(resultfmt_csv_needs_quotes("a c", 3, ','));
	CHECK(resultfmt_csv_needs_quotes("a\"", 2, ','));
	CHECK(resultfmt_csv_needs_quotes("a\n", 2, ','));
	CHECK(resultfmt_csv_needs_quotes("a\r", 2, ','));
	CHECK(resultfmt_csv_needs_quotes("a\0", 2, ','));
	CHECK(!resultfmt_csv_needs_quotes("", 0, ','));
	CHECK(resultfmt_csv_field(&b, "q\"x", 3, ',') == 0);
	CHECK(SAME(&b, "\"q\"\"x\""));
	buf_reset(&b);
	CHECK(resultfmt_csv_field(&b, "plain", 5, ',') == 0);
	CHECK(SAME(&b, "plain"));
	buf_reset(&b);
	CHECK(resultfmt_csv_body(&b, "\"\"", 2) == 0);
	CHECK(SAME(&b, "\"\"\"\""));
	buf_free(&b);
}

static void
json_is(const char *in, size_t n, const char *want, size_t wn)
{
	struct buf b = BUF_INIT, c = BUF_INIT;
	struct resultfmt_json st = {{0}, 0};

	CHECK(resultfmt_json_body(&b, &st, in, n, true) == 0);
	ok(same(&b, want, wn), "json '%s' (got '%.*s')", want, (int)b.len,
	   b.data);
	/* Byte by byte: the same, sequences carried across pieces. */
	for (size_t i = 0; i < n; i++)
		CHECK(resultfmt_json_body(&c, &st, in + i, 1, false) == 0);
	CHECK(resultfmt_json_body(&c, &st, NULL, 0, true) == 0);
	ok(same(&c, want, wn), "json in pieces '%s' (got '%.*s')", want,
	   (int)c.len, c.data);
	buf_free(&b);
	buf_free(&c);
}

#define JSON_IS(in, want) json_is(in, sizeof in - 1, want, sizeof want - 1)

static void
test_json(void)
{
	JSON_IS("abc", "abc");
	JSON_IS("q\"x\\", "q\\\"x\\\\");
	JSON_IS("a\n\t\x01\x1f\x7f", "a\\u000a\\u0009\\u0001\\u001f\x7f");
	JSON_IS("n\0m", "n\\u0000m");
	/* Valid UTF-8 as it is. */
	JSON_IS("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
	        "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Bytes that are not: each as \udcXX. */
	JSON_IS("\xff", "\\udcff");
	JSON_IS("a\x80z", "a\\udc80z");
	JSON_IS("\xc3", "\\udcc3");
	JSON_IS("\xc3(", "\\udcc3(");
	JSON_IS("\xe2\x82(", "\\udce2\\udc82(");
	JSON_IS("\xc0\xaf", "\\udcc0\\udcaf");            /* overlong */
	JSON_IS("\xed\xa0\x80", "\\udced\\udca0\\udc80"); /* surrogate */
	JSON_IS("\xf4\x90\x80\x80", "\\udcf4\\udc90\\udc80\\udc80");
	JSON_IS("\xe2\x82\xe2\x82\xac", "\\udce2\\udc82\xe2\x82\xac");
}

static void
test_rows(void)
{
	struct buf b = BUF_INIT;
	const char *vals[] = {"b,c", "x"};
	size_t lens[] = {3, 1};
	const char *names[] = {"name", "a b"};
	size_t nlens[] = {4, 3};
	struct resultfmt_row r = {
	    {3, 1795740102.9811, 0.0034, 2, 0, 0, "echo 'b,c' x", 0, NULL},
	    vals,
	    lens,
	    2};

	CHECK(resultfmt_header(&b, RESULTFMT_CSV, NULL, NULL, 2) == 0);
	CHECK(SAME(&b, "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,"
	               "Signal,Command,V1,V2,Stdout,Stderr\n"));
	buf_reset(&b);
	CHECK(resultfmt_header(&b, RESULTFMT_TSV, names, nlens, 2) == 0);
	CHECK(SAME(&b, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
	               "Exitval\tSignal\tCommand\tname\t\"a b\"\tStdout\t"
	               "Stderr\n"));
	buf_reset(&b);
	CHECK(resultfmt_header(&b, RESULTFMT_JSON, NULL, NULL, 2) == 0);
	CHECK(b.len == 0);
	CHECK(resultfmt_row_head(&b, RESULTFMT_CSV, &r, true) == 0 &&
	      buf_appends(&b, "out") == 0 &&
	      resultfmt_row_middle(&b, RESULTFMT_CSV, true, false) == 0 &&
	      resultfmt_row_tail(&b, RESULTFMT_CSV, false) == 0);
	CHECK(SAME(&b, "3,:,1795740102.981,0.003,0,2,0,0,\"echo 'b,c' x\","
	               "\"b,c\",x,\"out\",\n"));
	buf_reset(&b);
	r.log.exitval = -1;
	r.log.signal = 15;
	CHECK(resultfmt_row_head(&b, RESULTFMT_JSON, &r, false) == 0 &&
	      resultfmt_row_middle(&b, RESULTFMT_JSON, false, false) == 0 &&
	      resultfmt_row_tail(&b, RESULTFMT_JSON, false) == 0);
	CHECK(SAME(&b, "{ \"Seq\": 3, \"Host\": \":\", \"Starttime\": "
	               "1795740102.981, \"JobRuntime\": 0.003, \"Send\": 0, "
	               "\"Receive\": 2, \"Exitval\": -1, \"Signal\": 15, "
	               "\"Command\": \"echo 'b,c' x\", \"V\": [ \"b,c\",\"x\" "
	               "], \"Stdout\": \"\", \"Stderr\": \"\" }\n"));
	buf_reset(&b);
	r.nvals = 0;
	CHECK(resultfmt_row_head(&b, RESULTFMT_JSON, &r, false) == 0);
	CHECK(strstr(b.data, "\"V\": [  ]") != NULL);
	buf_free(&b);
}

static void
test_name_order(void)
{
	const char *n1[] = {"name", "age", "11a", "1b", "1a"};
	size_t l1[] = {4, 3, 3, 2, 2}, o[5];

	resultfmt_name_order(n1, l1, 5, o);
	/* Numerically, then byte by byte: age, name (0), 1a, 1b, 11a. */
	CHECK(o[0] == 1 && o[1] == 0 && o[2] == 4 && o[3] == 3 && o[4] == 2);
}

int
main(void)
{
	test_dirname();
	test_csv();
	test_json();
	test_rows();
	test_name_order();
	return tap_done();
}
