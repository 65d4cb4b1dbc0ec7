/* frame: a job's bytes and its end found on a stream shared by job after
 * job, however the reads cut it. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "frame.h"
#include "tap.h"

static const char mark[] = "0123456789abcdef0123456789abcdef";

/* What feeding s in reads of `step` bytes gives: the job's bytes (a span
 * and b span alike) in got, whether and at which read the end came. */
struct result {
	char got[512];
	size_t n;
	int ends, status;
	char after[128];
	size_t nafter;
};

static void
feed(const char *s, size_t step, struct result *r)
{
	char room[FRAME_HOLD + 512];
	struct frame f;
	size_t at = 0, len = strlen(s);

	memset(r, 0, sizeof *r);
	r->status = -2;
	frame_init(&f, mark);
	while (at < len) {
		size_t n = len - at < step ? len - at : step;
		struct frame_out o;

		memcpy(room + FRAME_HOLD, s + at, n);
		at += n;
		frame_feed(&f, room + FRAME_HOLD, n, &o);
		memcpy(r->got + r->n, o.a, o.alen);
		r->n += o.alen;
		if (o.end) {
			r->ends++;
			r->status = o.status;
			memcpy(r->after + r->nafter, o.b, o.blen);
			r->nafter += o.blen;
			frame_init(&f, mark);
		}
	}
	if (r->ends == 0) {
		const char *p;
		size_t k = frame_flush(&f, &p);

		memcpy(r->got + r->n, p, k);
		r->n += k;
	}
}

int
main(void)
{
	static const char *const streams[] = {
	    "hello\n0123456789abcdef0123456789abcdef 0\n",
	    "no newline0123456789abcdef0123456789abcdef 255\n",
	    "0123456789abcdef0123456789abcdef 7\n",
	    "err line\n0123456789abcdef0123456789abcdef\n",
	    "0123456789abcdef0123456789abcde "
	    "almost0123456789abcdef0123456789abcdef 3\n",
	};
	static const char *const job[] = {
	    "hello\n",
	    "no newline",
	    "",
	    "err line\n",
	    "0123456789abcdef0123456789abcde almost",
	};
	static const int status[] = {0, 255, 7, -1, 3};
	struct result r;
	size_t i, step;
	bool all;
	unsigned char rnd[16];
	char m[FRAME_MARK_LEN + 1];

	for (i = 0; i < sizeof streams / sizeof *streams; i++) {
		all = true;
		for (step = 1; step <= strlen(streams[i]); step++) {
			feed(streams[i], step, &r);
			all = all && r.ends == 1 && r.status == status[i] &&
			      r.n == strlen(job[i]) &&
			      memcmp(r.got, job[i], r.n) == 0 && r.nafter == 0;
		}
		ok(all,
		   "stream %zu: the job's bytes and status %d, read in "
		   "pieces of every size",
		   i, status[i]);
	}

	feed("out0123456789abcdef0123456789abcdef 1\nlate", 64, &r);
	is_bytes(r.got, r.n, "out", "bytes before the end are the job's");
	is_bytes(r.after, r.nafter, "late",
	         "bytes after the end (a process left behind) are given apart");

	feed("no end here 0123456789abcdef", 5, &r);
	ok(r.ends == 0, "without a mark, no end");
	is_bytes(r.got, r.n, "no end here 0123456789abcdef",
	         "a half mark at the stream's end is the job's after all");

	feed("x0123456789abcdef0123456789abcdef 12a\n", 3, &r);
	ok(r.ends == 0, "a mark followed by what no end is: not an end");
	is_bytes(r.got, r.n, "x0123456789abcdef0123456789abcdef 12a\n",
	         "... and its bytes are the job's");

	feed("0123456789abcdef0123456789abcdef 1234567890\n", 4, &r);
	ok(r.ends == 0, "a status of more than 9 digits is no end");

	memset(rnd, 0xa5, sizeof rnd);
	rnd[0] = 0x01;
	frame_mark_from(rnd, m);
	ok(strlen(m) == FRAME_MARK_LEN && strncmp(m, "01a5a5", 6) == 0,
	   "a mark is the random bytes in hex");
	return tap_done();
}
