#include "config.h"

#include <stdlib.h>

#include "input.h"
#include "tap.h"

/* Feed text in pieces of `step` bytes and collect records joined by '|'. */
static void
collect(const char *text, size_t len, size_t step, int delim, size_t max,
        struct buf *got, int finish)
{
	struct input in;
	struct record r;
	size_t i, n;

	input_init(&in, delim, max);
	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		if (input_feed(&in, text + i, n) == -1)
			abort();
		while (input_next(&in, &r)) {
			if (r.full_len > r.len)
				buf_printf(got, "<long %llu:%.4s>",
				           (unsigned long long)r.full_len,
				           r.data);
			else
				buf_append(got, r.data, r.len);
			buf_appendc(got, '|');
		}
	}
	if (finish) {
		input_finish(&in);
		while (input_next(&in, &r)) {
			if (r.full_len > r.len)
				buf_printf(got, "<long %llu:%.4s>",
				           (unsigned long long)r.full_len,
				           r.data);
			else
				buf_append(got, r.data, r.len);
			buf_appendc(got, '|');
		}
		ok(input_done(&in), "done after finish and drain");
	}
	input_free(&in);
}

int
main(void)
{
	struct buf got = BUF_INIT;
	struct input in;
	struct record r;
	size_t step;
	char big[300];

	for (step = 1; step <= 7; step += 3) {
		buf_reset(&got);
		collect("a\nbb\n\nccc", 9, step, '\n', 1000, &got, 1);
		is_bytes(got.data, got.len, "a|bb||ccc|",
		         "records, empty record, final unterminated (step %zu)",
		         step);
	}
	buf_reset(&got);
	collect("a\nb", 3, 3, '\n', 1000, &got, 0);
	is_bytes(got.data, got.len, "a|", "unterminated record waits for EOF");
	buf_reset(&got);
	collect("x\0y\0", 4, 2, '\0', 1000, &got, 1);
	is_bytes(got.data, got.len, "x|y|", "NUL delimiter");
	buf_reset(&got);
	collect("", 0, 1, '\n', 1000, &got, 1);
	ok(got.len == 0, "empty input gives no record");
	buf_reset(&got);
	collect("\n", 1, 1, '\n', 1000, &got, 1);
	is_bytes(got.data, got.len, "|", "a lone newline is one empty record");

	memset(big, 'z', sizeof big);
	memcpy(big, "LONG", 4);
	big[200] = '\n';
	memcpy(big + 201, "ok\n", 3);
	for (step = 1; step <= 301; step += 50) {
		buf_reset(&got);
		collect(big, 204, step, '\n', 100, &got, 1);
		is_bytes(got.data, got.len, "<long 200:LONG>|ok|",
		         "oversized record cut to a preview (step %zu)", step);
	}
	buf_reset(&got);
	collect(big, 150, 7, '\n', 100, &got, 1);
	is_bytes(got.data, got.len, "<long 150:LONG>|",
	         "oversized final record without newline");

	input_init(&in, '\n', 1000);
	input_feed(&in, "1\n2\n3", 5);
	ok(input_records_seen(&in) == 2, "two whole records seen");
	ok(input_next(&in, &r) && r.len == 1 && r.data[0] == '1', "first");
	input_finish(&in);
	ok(input_records_seen(&in) == 3, "EOF makes the tail a record");
	ok(input_buffered(&in) == 3, "bytes held after one taken");
	input_free(&in);
	buf_free(&got);
	return tap_done();
}
