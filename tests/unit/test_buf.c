#include "config.h"

#include <stdlib.h>

#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	int i;

	ok(buf_append(&b, "ab", 2) == 0 && b.len == 2, "append");
	ok(b.data[2] == '\0', "kept NUL-terminated");
	ok(buf_printf(&b, "-%d-", 42) == 0, "printf");
	is_bytes(b.data, b.len, "ab-42-", "printf appends");
	buf_consume(&b, 3);
	is_bytes(b.data, b.len, "42-", "consume drops a prefix");
	buf_consume(&b, 99);
	ok(b.len == 0, "consume past the end empties");
	for (i = 0; i < 10000; i++)
		if (buf_appendc(&b, (char)('a' + i % 26)) == -1)
			break;
	ok(i == 10000 && b.len == 10000 && b.data[9999] == 'a' + 9999 % 26,
	   "grows across many appends");
	ok(buf_append(&b, "", 0) == 0 && b.len == 10000, "empty append");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0, "free resets");
	return tap_done();
}
