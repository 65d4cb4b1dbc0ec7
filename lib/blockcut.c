/* Cutting a stream into blocks of records (see blockcut.h). */
#include "config.h"

#include "blockcut.h"

#include <string.h>

void
blockcut_init(struct blockcut *c, uint64_t size, uint64_t records,
              unsigned lines, const char *recend, size_t recend_len,
              const char *recstart, size_t recstart_len)
{
	memset(c, 0, sizeof *c);
	c->size = size > 0 ? size : 1;
	c->records = records;
	c->lines = lines > 0 ? lines : 1;
	c->recend = recend;
	c->recend_len = recend_len;
	c->recstart = recstart;
	c->recstart_len = recstart_len;
}

bool
blockcut_oversized(const struct blockcut *c)
{
	return c->oversized || c->overrun;
}

void
blockcut_group(struct blockcut *c, char delim,
               bool (*same_key)(void *ctx, const char *line, size_t len),
               void *ctx)
{
	c->same_key = same_key;
	c->key_ctx = ctx;
	c->delim = delim;
}

void
blockcut_find(struct blockcut *c,
              bool (*find)(void *ctx, const char *d, size_t n, size_t from,
                           bool eof, size_t *p, size_t *decided),
              void *ctx)
{
	c->find = find;
	c->find_ctx = ctx;
}

/* Record ends that can be found from the back (see by_size). */
static bool
simple(const struct blockcut *c)
{
	return c->records == 0 && c->lines == 1 && c->recend_len == 1 &&
	       c->recstart_len == 0 && c->same_key == NULL && c->find == NULL;
}

void
blockcut_window(struct blockcut *c, uint64_t window)
{
	if (simple(c) && window < c->size)
		c->window = window;
}

uint64_t
blockcut_blind_room(const struct blockcut *c)
{
	if (c->window == 0 || c->oversized || c->overrun ||
	    c->len + c->window >= c->size)
		return 0;
	return c->size - c->window - c->len;
}

uint64_t
blockcut_room(const struct blockcut *c)
{
	if (!simple(c) || c->oversized || c->overrun)
		return 0;
	return c->size - c->len;
}

void
blockcut_blind(struct blockcut *c, uint64_t n)
{
	if (n == 0)
		return;
	c->len += n;
	c->at_end = false;
	c->scanned = c->from = 0;
}

/* The first record end at a position in [from, to], or 0: where recend
 * ends and recstart begins.  Positions count from 1 (the end of the
 * first byte): a block never ends before its first byte. */
static size_t
find_end(const struct blockcut *c, const char *d, size_t n, size_t from,
         size_t to)
{
	size_t rl = c->recend_len, sl = c->recstart_len;

	if (from < 1)
		from = 1;
	if (rl > 0 && from < rl)
		from = rl;
	while (from <= to) {
		const char *hit;
		size_t p;

		/* Look for the byte that decides most: the last of recend,
		 * else the first of recstart. */
		if (rl > 0) {
			hit = memchr(d + from - 1, c->recend[rl - 1],
			             to - from + 1);
			if (hit == NULL)
				return 0;
			p = (size_t)(hit - d) + 1;
		} else {
			/* recstart begins at p: the byte at p must be there. */
			if (to >= n)
				to = n - 1;
			if (from > to)
				return 0;
			hit = memchr(d + from, c->recstart[0], to - from + 1);
			if (hit == NULL)
				return 0;
			p = (size_t)(hit - d);
		}
		if ((rl == 0 || memcmp(d + p - rl, c->recend, rl) == 0) &&
		    (sl == 0 ||
		     (p + sl <= n && memcmp(d + p, c->recstart, sl) == 0)))
			return p;
		from = p + 1;
	}
	return 0;
}

/*
 * --group-by: the next place in d[0..n) from gpos on where a line begins
 * whose key is not the line before's (*p); false if none (it then waits
 * at the line that is not whole yet; at eof that one counts too).  Lines
 * are looked at once each, in order, except after a block ends, when its
 * next block is looked at from its start again (where a change is no
 * end: the block has nothing yet).
 */
static bool
group_end(struct blockcut *c, const char *d, size_t n, bool eof, size_t *p)
{
	while (c->gpos < n) {
		size_t at = c->gpos, len;
		const char *nl = memchr(d + at, c->delim, n - at);
		bool same;

		if (nl == NULL && !eof)
			return false;
		len = nl != NULL ? (size_t)(nl - d) + 1 - at : n - at;
		same =
		    c->same_key(c->key_ctx, d + at, nl != NULL ? len - 1 : len);
		c->gpos = at + len;
		if (!same && c->len + at > 0) {
			*p = at;
			return true;
		}
	}
	return false;
}

/* The block ends after give bytes: the next call starts a new one. */
static size_t
end_block(struct blockcut *c, size_t give, bool *ended)
{
	*ended = true;
	c->at_end = false;
	c->len = c->nrec = 0;
	c->ends = 0;
	c->scanned = c->from = c->gpos = 0;
	return give;
}

bool
blockcut_cut_now(struct blockcut *c)
{
	bool ended;

	if (c->len == 0 || !c->at_end || c->oversized || c->overrun)
		return false;
	(void)end_block(c, 0, &ended);
	return true;
}

/* give bytes go to the block, which goes on. */
static size_t
give_part(struct blockcut *c, size_t give)
{
	c->len += give;
	if (give > 0)
		c->at_end = false;
	c->scanned -= give;
	c->from = c->from > give ? c->from - give : 0;
	c->gpos -= give;
	return give;
}

/* A record ends at p, `follow` bytes of the next one's --recstart
 * after it.  1: the block ends (at *give); 0: it goes on, p in it
 * (*last = p). */
static int
record_ends(struct blockcut *c, size_t p, size_t follow, size_t *last,
            size_t *give)
{
	/* As GNU parallel: the record start that follows must be within
	 * the block's size too (it cuts only at a match in what it read). */
	uint64_t at = c->len + p + follow;

	if (c->records > 0) {
		if (++c->nrec == c->records) {
			*give = p;
			return 1;
		}
		*last = p;
		return 0;
	}
	if (c->overrun) {
		*give = p;
		return 1;
	}
	if (c->oversized || (c->len + *last == 0 && at > c->size)) {
		/* One record longer than a block: all of it, never split. */
		c->oversized = true;
		*give = p;
		return 1;
	}
	if (at > c->size) {
		*give = *last;
		return 1;
	}
	*last = p;
	return 0;
}

/* The last place in d[0..to) a one-byte recend ends, or 0. */
static size_t
last_end(const struct blockcut *c, const char *d, size_t to)
{
	const char *hit = to > 0 ? memrchr(d, c->recend[0], to) : NULL;

	return hit != NULL ? (size_t)(hit - d) + 1 : 0;
}

/*
 * By size with one-byte record ends (a newline, -0, -d), one record end
 * to a record: only the last end that fits matters, found from the back,
 * so the bytes between are never looked at.  1 when it decided (*give,
 * *ended), 0 to take the general way (a record crossing the size, from
 * before the window or the block's start, to its end).
 */
static int
by_size(struct blockcut *c, const char *d, size_t n, bool eof, size_t *give,
        bool *ended)
{
	uint64_t room = c->size - c->len, lo;
	size_t p;

	if (n <= room) {
		/* It all fits: up to the last end now, the rest waits. */
		if (eof) {
			*give = end_block(c, n, ended);
			return 1;
		}
		p = last_end(c, d, n);
		*give = give_part(c, p);
		c->scanned = c->from = 0;
		if (p > 0)
			c->at_end = true;
		return 1;
	}
	p = last_end(c, d, (size_t)room);
	/* With a window, only ends after size - window count: never one
	 * among bytes given unseen (positions from d). */
	lo = c->window > 0 && c->size - c->window >= c->len
	         ? c->size - c->window - c->len
	         : 0;
	if (p > lo) {
		*give = end_block(c, p, ended);
		return 1;
	}
	if (p == 0 && c->at_end && c->window > 0 &&
	    c->len + c->window > c->size) {
		/* What it has ends a record, in the window. */
		*give = end_block(c, 0, ended);
		return 1;
	}
	if (p == 0 && c->len == 0) {
		c->oversized = true; /* its first record is longer */
	} else if (c->window > 0) {
		c->overrun =
		    true; /* the crossing one began before the window */
	} else {
		*give = end_block(c, p, ended);
		return 1;
	}
	/* Its end is the next record end past the size. */
	c->scanned = c->from = (size_t)room;
	return 0;
}

size_t
blockcut_next(struct blockcut *c, const char *d, size_t n, bool eof,
              bool *ended)
{
	size_t sl = c->recstart_len, keep, last = 0, give = 0, check, p;
	bool whole = true;

	*ended = false;
	/* A new block: what was said of the last one is past. */
	if (c->len == 0 && c->scanned == 0)
		c->oversized = c->overrun = false;
	if (n == 0)
		return eof && c->len > 0 ? end_block(c, 0, ended) : 0;
	/* No record end at all (--recend ''): blocks of size bytes. */
	if (c->recend_len + c->recstart_len == 0 && c->find == NULL &&
	    c->same_key == NULL) {
		give = c->size - c->len < n ? (size_t)(c->size - c->len) : n;
		if (c->len + give == c->size || (eof && give == n))
			return end_block(c, give, ended);
		give = give_part(c, give);
		c->at_end = true; /* (any byte ends a record) */
		return give;
	}
	if (simple(c) && !c->oversized && !c->overrun &&
	    by_size(c, d, n, eof, &give, ended) == 1)
		return give;
	/* Positions whose recstart is all there can be decided. */
	check = n >= sl ? n - sl : 0;
	if (eof)
		check = n;
	for (;;) {
		size_t from = c->from > c->scanned ? c->from : c->scanned + 1;

		if (c->same_key != NULL) {
			if (!group_end(c, d, n, eof, &p))
				break;
		} else {
			if (c->find != NULL) {
				size_t decided;

				if (!c->find(c->find_ctx, d, n, from, eof, &p,
				             &decided)) {
					/* No record end before decided: an
					 * oversized record may give that. */
					if (decided > c->scanned + 1)
						c->scanned = decided - 1;
					break;
				}
			} else if ((p = find_end(c, d, n, from, check)) == 0) {
				break;
			}
			/* The next recend starts after this one (they never
			 * overlap). */
			c->from = p + (c->recend_len > 0 ? c->recend_len : 1);
			c->scanned = p;
			if (++c->ends < c->lines)
				continue;
			c->ends = 0;
		}
		if (record_ends(c, p, c->find == NULL ? sl : 0, &last, &give) ==
		    1)
			return end_block(c, give, ended);
	}
	/* (--group-by: a line not whole yet may begin a record; --regexp:
	 * a match may go on.) */
	if (c->same_key != NULL)
		c->scanned = c->gpos;
	else if (c->scanned < check && c->find == NULL)
		c->scanned = check;
	if (eof) {
		/* The end of input ends the last record. */
		c->ends = 0;
		if (last == n || record_ends(c, n, 0, &last, &give) == 0)
			give = n;
		return end_block(c, give, ended);
	}
	/* A record end from here would not fit: the block is complete. */
	if (c->records == 0 && !c->oversized && !c->overrun &&
	    c->len + c->scanned > c->size) {
		if (c->len + last > 0)
			return end_block(c, last, ended);
		c->oversized = true;
	}
	/* Bytes of a record that is in this block whatever follows go now
	 * (all but the start of a recend that may be cut off), so a long
	 * record is never held whole. */
	if (c->oversized || c->overrun || c->records > 0) {
		keep = c->recend_len > 0 ? c->recend_len - 1 : 0;
		if (c->scanned > keep && c->scanned - keep > last) {
			last = c->scanned - keep;
			whole = false;
		}
	}
	give = give_part(c, last);
	if (give > 0 && whole)
		c->at_end = true;
	return give;
}
