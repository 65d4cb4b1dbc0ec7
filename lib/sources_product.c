#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources_int.h"

enum status { ST_OK, ST_WAIT, ST_NONE };

/* -E: a record that is the end-of-file string ends its source; nothing
 * after it is read. */
static void
check_eof_str(const struct sources *s, struct src *x)
{
	struct record rec;

	if (s->eof_str == NULL || !x->header_done ||
	    !input_peek(&x->in, &rec) ||
	    !sources_is_eof_str(s, rec.data, rec.len))
		return;
	input_stop(&x->in);
	src_stop_reading(x);
}

/* Move every complete value a held source has into its store. */
static int
absorb(const struct sources *s, struct src *x)
{
	struct record rec;

	while (x->header_done && (check_eof_str(s, x), true) &&
	       input_next(&x->in, &rec)) {
		if (src_hold(x, rec.data, rec.len, rec.full_len) == -1)
			return -1;
		x->pulled++;
	}
	return 0;
}

static int
add_name(struct sources *s, const char *p, size_t n)
{
	s->nnames++;
	if (buf_append(&s->names, p, n) == -1)
		return -1;
	return buf_appendc(&s->names, '\0');
}

static int
name_emit(void *ctx, const char *p, size_t n)
{
	return add_name(ctx, p, n) == -1 ? -1 : 0;
}

/* --header: the first value of each source, once all have one. */
static int
take_headers(struct sources *s, enum sources_state *state)
{
	struct record rec;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct src *x = &s->s[i];

		if (x->header_done)
			continue;
		if (x->lit_header != NULL) {
			rec.data = x->lit_header;
			rec.len = strlen(x->lit_header);
		} else if (!input_next(&x->in, &rec)) {
			if (!input_done(&x->in)) {
				*state = SOURCES_WAIT;
				return 0;
			}
			s->err = "--header: an input source has no header "
			         "line (it is empty)";
			errno = EINVAL;
			return -1;
		}
		/* As GNU: names split on --colsep, else on tabs. */
		if (rec.len > 0 && rec.data[rec.len - 1] == '\r')
			rec.len--;
		if (s->has_sep) {
			if (perlre_split(&s->sep, rec.data, rec.len, name_emit,
			                 s) != 0)
				return -1;
		} else {
			const char *p = rec.data, *end = rec.data + rec.len, *q;

			for (;;) {
				q = memchr(p, '\t', (size_t)(end - p));
				if (add_name(s, p,
				             (size_t)((q ? q : end) - p)) == -1)
					return -1;
				if (q == NULL)
					break;
				p = q + 1;
			}
		}
		x->header_done = true;
	}
	s->names_ready = true;
	return 0;
}

/* Is there a value at position p of source x?  ST_OK also when it is
 * the next one to pull (not held). */
static enum status
src_status(const struct sources *s, struct src *x, uint64_t p)
{
	if (x->held) {
		if (p < x->nh)
			return ST_OK;
		return input_done(&x->in) ? ST_NONE : ST_WAIT;
	}
	if (x->loaded && x->cur_pos == p)
		return ST_OK;
	check_eof_str(s, x);
	if (input_ready(&x->in))
		return ST_OK;
	return input_done(&x->in) ? ST_NONE : ST_WAIT;
}

static enum status
dim_status(struct sources *s, const struct dim *d)
{
	enum status st = ST_OK, one;
	uint64_t longest = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct src *x = &s->s[d->first + i];

		one = src_status(s, x, d->pos);
		if (s->link) {
			/* Cycling: an ended source starts over, unless empty.
			 */
			if (one == ST_NONE && x->nh == 0)
				return ST_NONE;
			if (x->nh > longest)
				longest = x->nh;
			if (one == ST_WAIT)
				st = ST_WAIT;
			continue;
		}
		if (one == ST_NONE)
			return ST_NONE;
		if (one == ST_WAIT)
			st = ST_WAIT;
	}
	if (s->link && st == ST_OK && d->pos >= longest)
		return ST_NONE;
	return st;
}

/* The value of source x at position p (its status is ST_OK). */
static int
src_value(struct src *x, uint64_t p, struct record *v)
{
	if (x->held) {
		const struct held *h = &x->hv[p < x->nh ? p : p % x->nh];

		v->data = x->hdata.data + h->off;
		v->len = h->len;
		v->full_len = h->full_len;
		return 0;
	}
	if (!x->loaded || x->cur_pos != p) {
		if (!input_next(&x->in, &x->rec)) {
			errno = EIO; /* src_status said it was ready */
			return -1;
		}
		x->pulled++;
		x->loaded = true;
		x->cur_pos = p;
		if (x->copy) {
			buf_reset(&x->cur);
			if (buf_append(&x->cur, x->rec.data, x->rec.len) == -1)
				return -1;
			x->rec.data = x->cur.data ? x->cur.data : "";
		}
	}
	*v = x->rec;
	return 0;
}

static int
push_value(struct sources *s, const char *p, size_t n, uint64_t full_len)
{
	struct record *t;
	bool preview = full_len > n;

	if (s->trim & TRIM_LEFT)
		while (n > 0 && sources_space(*p))
			p++, n--;
	if (s->trim & TRIM_RIGHT)
		while (n > 0 && sources_space(p[n - 1]))
			n--;
	if ((t = grow_array(s->tv, &s->captv, s->ntv, sizeof *t)) == NULL)
		return -1;
	s->tv = t;
	s->tv[s->ntv].data = p;
	s->tv[s->ntv].len = n;
	s->tv[s->ntv].full_len = preview ? full_len : n;
	s->ntv++;
	return 0;
}

static int
field_emit(void *ctx, const char *p, size_t n)
{
	return push_value(ctx, p, n, n) == -1 ? -1 : 0;
}

/* Positions are all ST_OK: gather the tuple. */
static int
build(struct sources *s)
{
	struct record v;
	size_t i, k;

	s->ntv = 0;
	for (i = 0; i < s->nd; i++) {
		for (k = 0; k < s->d[i].n; k++) {
			if (src_value(&s->s[s->d[i].first + k], s->d[i].pos,
			              &v) == -1)
				return -1;
			/* A preview is not split: the job fails as too long. */
			if (s->has_sep && v.full_len == v.len) {
				size_t before = s->ntv;

				if (perlre_split(&s->sep, v.data, v.len,
				                 field_emit, s) != 0)
					return -1;
				/* An empty line still has one column. */
				if (s->ntv == before &&
				    push_value(s, v.data, 0, 0) == -1)
					return -1;
			} else if (push_value(s, v.data, v.len, v.full_len) ==
			           -1) {
				return -1;
			}
		}
	}
	return 0;
}

/* Turn the odometer to the next tuple that exists, if it can be known:
 * the last dimension turns fastest; one that has run out starts over
 * and turns the one before it.  Idempotent until the tuple is taken. */
int
sources_advance(struct sources *s, enum sources_state *state)
{
	size_t i, d;

	*state = SOURCES_WAIT;
	if (s->ended) {
		*state = SOURCES_END;
		return 0;
	}
	s->err = NULL;
	for (i = 0; i < s->n; i++) {
		struct record rec;

		if (!s->s[i].skip_first)
			continue;
		if (!input_next(&s->s[i].in, &rec)) {
			if (!input_done(&s->s[i].in))
				return 0;
		}
		s->s[i].skip_first = false;
	}
	if (s->header && !s->names_ready) {
		if (take_headers(s, state) == -1)
			return -1;
		if (!s->names_ready)
			return 0;
	}
	for (i = 0; i < s->n; i++)
		if (s->s[i].held && absorb(s, &s->s[i]) == -1)
			return -1;
	for (d = s->nd; d-- > 0;) {
		switch (dim_status(s, &s->d[d])) {
		case ST_OK:
			continue;
		case ST_WAIT:
			return 0;
		case ST_NONE:
			break;
		}
		if (d == 0 || s->d[d].pos == 0) {
			s->ended = true;
			*state = SOURCES_END;
			return 0;
		}
		s->d[d].pos = 0;
		s->d[d - 1].pos++;
	}
	*state = SOURCES_READY;
	return 0;
}

/* The simple case, without the product's bookkeeping: about a fifth of
 * the work pmapf does per record of the built-in. */
static int
next_simple(struct sources *s, const struct record **vals, size_t *n,
            enum sources_state *state)
{
	struct src *x = &s->s[0];

	if (!input_next(&x->in, &s->tv[0])) {
		*state = input_done(&x->in) ? SOURCES_END : SOURCES_WAIT;
		s->ended = *state == SOURCES_END;
		return 0;
	}
	x->pulled++;
	s->ntv = 1;
	s->taken++;
	*vals = s->tv;
	*n = 1;
	*state = SOURCES_READY;
	return 0;
}

int
sources_next(struct sources *s, const struct record **vals, size_t *n,
             enum sources_state *state)
{
	if (s->simple && !s->ended)
		return next_simple(s, vals, n, state);
	if (sources_advance(s, state) == -1)
		return -1;
	if (*state != SOURCES_READY)
		return 0;
	if (build(s) == -1)
		return -1;
	s->d[s->nd - 1].pos++;
	s->taken++;
	*vals = s->tv;
	*n = s->ntv;
	return 0;
}

uint64_t
sources_count_kept(struct sources *s,
                   bool (*drop)(const void *ctx, const struct record *v,
                                size_t n),
                   const void *ctx)
{
	uint64_t count = 0, taken = s->taken;
	enum sources_state st;
	bool ended = s->ended;
	uint64_t *pos = calloc(s->nd, sizeof *pos);
	size_t d;

	if (pos == NULL)
		return sources_seen(s);
	for (d = 0; d < s->nd; d++)
		pos[d] = s->d[d].pos;
	/* Everything is held and read: walking the product again reads
	 * nothing and moves only the positions, put back after. */
	while (sources_advance(s, &st) == 0 && st == SOURCES_READY &&
	       build(s) == 0) {
		if (!drop(ctx, s->tv, s->ntv))
			count++;
		s->d[s->nd - 1].pos++;
	}
	for (d = 0; d < s->nd; d++)
		s->d[d].pos = pos[d];
	s->ended = ended;
	s->taken = taken;
	free(pos);
	return count;
}
