#include "config.h"

#include "msg.h"
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	char big[100];

	msg_quote_record(&b, "abc", 3, 3);
	is_bytes(b.data, b.len, "\"abc\"", "plain record quoted");
	buf_reset(&b);
	msg_quote_record(&b, "a\"b\\c\td\r\x01\xff", 10, 10);
	is_bytes(b.data, b.len, "\"a\\\"b\\\\c\\td\\r\\x01\\xff\"",
	         "escapes quotes, backslash, controls, high bytes");
	buf_reset(&b);
	memset(big, 'x', sizeof big);
	msg_quote_record(&b, big, sizeof big, sizeof big);
	ok(b.len < 90 && strstr(b.data, "... (100 bytes)") != NULL,
	   "long record cut with its length: %s", b.data);
	buf_reset(&b);
	msg_quote_record(&b, "abc", 3, 5000);
	is_bytes(b.data, b.len, "\"abc\"... (5000 bytes)",
	         "a preview says how long the whole record was");
	buf_reset(&b);
	msg_quote_record(&b, "", 0, 0);
	is_bytes(b.data, b.len, "\"\"", "empty record");
	buf_free(&b);
	return tap_done();
}
