/* The end of a job's output on a shared stream (see frame.h). */
#include "config.h"

#include "frame.h"

#include <string.h>

void
frame_init(struct frame *f, const char *mark)
{
	f->mark = mark;
	f->nheld = 0;
}

void
frame_mark_from(const unsigned char rnd[16], char *mark)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < 16; i++) {
		mark[2 * i] = hex[rnd[i] >> 4];
		mark[2 * i + 1] = hex[rnd[i] & 15];
	}
	mark[FRAME_MARK_LEN] = '\0';
}

/* The longest end of d[0..n) that begins the mark (shorter than it). */
static size_t
mark_begun(const struct frame *f, const char *d, size_t n)
{
	size_t k = n < FRAME_MARK_LEN - 1 ? n : FRAME_MARK_LEN - 1;

	for (; k > 0; k--)
		if (memcmp(d + n - k, f->mark, k) == 0)
			return k;
	return 0;
}

/* After the mark at m (of d's end): its tail " STATUS\n" or "\n".  The
 * bytes past the tail's newline, or NULL when it has not all come;
 * status: -1 when none.  A tail that cannot be one (too long, not
 * digits) gives NULL with *bad set. */
static const char *
mark_tail(const char *m, const char *end, int *status, bool *bad)
{
	const char *q = m + FRAME_MARK_LEN;
	int s = -1, digits = 0;

	*bad = false;
	if (q < end && *q == ' ') {
		s = 0;
		for (q++; q < end && *q >= '0' && *q <= '9' && digits < 9;
		     q++, digits++)
			s = s * 10 + (*q - '0');
	}
	if (q >= end && digits < 9)
		return NULL;
	if (q >= end || *q != '\n') {
		*bad = true;
		return NULL;
	}
	*status = s;
	return q + 1;
}

void
frame_feed(struct frame *f, char *p, size_t n, struct frame_out *o)
{
	char *d = p - f->nheld, *end = p + n, *from = d, *m;
	size_t k;

	memcpy(d, f->held, f->nheld);
	f->nheld = 0;
	o->a = o->b = d;
	o->alen = o->blen = 0;
	o->end = false;
	o->status = -1;
	while ((m = memmem(from, (size_t)(end - from), f->mark,
	                   FRAME_MARK_LEN)) != NULL) {
		bool bad;
		const char *after = mark_tail(m, end, &o->status, &bad);

		if (bad) {
			from = m + 1; /* not a mark after all */
			continue;
		}
		o->alen = (size_t)(m - d);
		if (after == NULL) {
			/* The rest of the tail is still to come. */
			f->nheld = (size_t)(end - m);
			memcpy(f->held, m, f->nheld);
			return;
		}
		o->end = true;
		o->b = after;
		o->blen = (size_t)(end - after);
		return;
	}
	k = mark_begun(f, d, (size_t)(end - d));
	o->alen = (size_t)(end - d) - k;
	f->nheld = k;
	memcpy(f->held, end - k, k);
}

size_t
frame_flush(struct frame *f, const char **p)
{
	size_t n = f->nheld;

	*p = f->held;
	f->nheld = 0;
	return n;
}
