#include "config.h"

#include "tap.h"
#include "wire.h"

int
main(void)
{
	struct buf b = BUF_INIT, part = BUF_INIT;
	struct wire_reply r;
	const char *rec;
	size_t len, frame, i;
	int all_partial_wait = 1;

	wire_put_request(&b, "12", 2);
	ok(wire_take_request(&b, &rec, &len, &frame) == 1 && len == 2 &&
	       memcmp(rec, "12", 2) == 0 && frame == 6,
	   "request round trip");
	buf_reset(&b);
	wire_put_reply(&b, 3, "out\n", 4, "why", 3);
	for (i = 0; i < b.len; i++) {
		buf_reset(&part);
		buf_append(&part, b.data, i);
		if (wire_take_reply(&part, &r) != 0)
			all_partial_wait = 0;
	}
	ok(all_partial_wait, "every truncated reply asks for more bytes");
	ok(wire_take_reply(&b, &r) == 1 && r.status == 3 && r.out_len == 4 &&
	       memcmp(r.out, "out\n", 4) == 0 && r.err_len == 3 &&
	       memcmp(r.err, "why", 3) == 0 && r.frame_len == b.len,
	   "reply round trip");
	buf_reset(&b);
	buf_append(&b, "\0\0\0\0\xff\xff\xff\xff\0\0\0\0", 12);
	ok(wire_take_reply(&b, &r) == -1, "absurd length is refused");
	buf_free(&b);
	buf_free(&part);
	return tap_done();
}
