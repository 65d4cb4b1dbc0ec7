/* --rrs: record separators taken out of a block (see rrs.h). */
#include "config.h"

#include "rrs.h"

#include <string.h>

void
rrs_init(struct rrs *r, const char *recend, size_t end_len,
         const char *recstart, size_t start_len)
{
	memset(r, 0, sizeof *r);
	if (end_len + start_len > sizeof r->sep)
		end_len = start_len = 0; /* (the options allow 255 each) */
	memcpy(r->sep, recend, end_len);
	memcpy(r->sep + end_len, recstart, start_len);
	r->end_len = end_len;
	r->start_len = start_len;
	r->at_start = true;
}

void
rrs_free(struct rrs *r)
{
	buf_free(&r->held);
	buf_free(&r->tail);
}

void
rrs_begin(struct rrs *r)
{
	buf_reset(&r->held);
	buf_reset(&r->tail);
	r->at_start = true;
}

/* Out goes all the tail but its last end_len bytes: with what comes
 * later they may make the record end that ends the block.  A record
 * start that begins what goes out goes first (ended: the block has no
 * more). */
static bool
strip_start(struct rrs *r, bool ended)
{
	const char *rs = r->sep + r->end_len;

	if (!r->at_start)
		return true;
	if (r->tail.len < r->start_len && !ended &&
	    (r->tail.len == 0 || memcmp(r->tail.data, rs, r->tail.len) == 0))
		return false; /* it may still be one */
	if (r->start_len > 0 && r->tail.len >= r->start_len &&
	    memcmp(r->tail.data, rs, r->start_len) == 0)
		buf_consume(&r->tail, r->start_len);
	r->at_start = false;
	return true;
}

static int
release(struct rrs *r, size_t keep, bool ended, struct buf *out)
{
	size_t n;

	if (!strip_start(r, ended))
		return 0;
	n = r->tail.len > keep ? r->tail.len - keep : 0;

	if (n == 0)
		return 0;
	if (buf_append(out, r->tail.data, n) == -1)
		return -1;
	buf_consume(&r->tail, n);
	return 0;
}

/* Give out held[0..upto) with every separator in it taken out; a
 * separator may not begin past upto - sep_len (it may go on later). */
static int
give(struct rrs *r, size_t upto, struct buf *out)
{
	size_t len = r->end_len + r->start_len, at = 0;
	const char *d = r->held.data;

	while (len > 0 && at + len <= r->held.len) {
		const char *hit = memmem(d + at, r->held.len - at, r->sep, len);
		size_t h;

		if (hit == NULL || (h = (size_t)(hit - d)) >= upto)
			break;
		if (buf_append(out, d + at, h - at) == -1)
			return -1;
		at = h + len;
	}
	if (at < upto && buf_append(out, d + at, upto - at) == -1)
		return -1;
	buf_consume(&r->held, upto > at ? upto : at);
	return 0;
}

int
rrs_filter(struct rrs *r, const char *p, size_t n, struct buf *out)
{
	size_t len = r->end_len + r->start_len, keep;

	if (buf_append(&r->held, p, n) == -1)
		return -1;
	/* The last len - 1 bytes may begin a separator, and the last
	 * end_len bytes may be the block's end: both wait. */
	keep = len > r->end_len ? len : r->end_len;
	keep = keep > 0 ? keep - 1 : 0;
	if (r->end_len > keep)
		keep = r->end_len;
	if (r->held.len <= keep)
		return 0;
	if (give(r, r->held.len - keep, &r->tail) == -1)
		return -1;
	return release(r, r->end_len, false, out);
}

int
rrs_end(struct rrs *r, struct buf *out)
{
	size_t n;

	if (give(r, r->held.len, &r->tail) == -1)
		return -1;
	(void)strip_start(r, true);
	/* A record end at the very end goes. */
	n = r->tail.len;
	if (r->end_len > 0 && n >= r->end_len &&
	    memcmp(r->tail.data + n - r->end_len, r->sep, r->end_len) == 0)
		r->tail.len -= r->end_len;
	return release(r, 0, true, out);
}
