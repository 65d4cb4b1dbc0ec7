#include "config.h"

#include "sources.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "msg.h"
#include "perlre.h"

/* A value held for the product to come back to. */
struct held {
	size_t off, len;
	uint64_t full_len;
};

struct src {
	const char *name;       /* for messages: a file, "-", or ":::" */
	const char *lit_header; /* ::: with --header: its first value */
	int fd;                 /* to read; -1 once ended or for ::: values */
	bool own_fd;
	bool held;   /* every value kept */
	bool linked; /* moves in step with the source before it */
	bool header_done;
	bool skip_first; /* its first line is still to be dropped */
	struct input in;
	struct buf hdata;
	struct held *hv;
	size_t nh, caph;
	/* Not held: the value at position cur_pos (copied when the product
	 * must keep it across reads). */
	bool loaded, copy;
	uint64_t cur_pos;
	struct buf cur;
	struct record rec;
	uint64_t pulled; /* values taken from in (not the header) */
};

struct dim {
	size_t first, n; /* its sources */
	uint64_t pos;    /* position of the next tuple */
};

struct sources {
	struct src *s;
	size_t n;
	struct dim *d;
	size_t nd;
	bool link;
	bool header, names_ready;
	struct buf names; /* NUL-separated */
	size_t nnames;
	bool has_sep;
	struct perlre sep;
	const char *eof_str; /* -E */
	bool hold_all;
	int trim;
	bool ended; /* SOURCES_END was given */
	uint64_t taken;
	const char *err;
	struct sources_value *tv;
	size_t ntv, captv;
};

enum status { ST_OK, ST_WAIT, ST_NONE };

static bool
is_eof_str(const struct sources *s, const char *p, size_t n)
{
	return s->eof_str != NULL && strlen(s->eof_str) == n &&
	       memcmp(s->eof_str, p, n) == 0;
}

/* -E: a record that is the end-of-file string ends its source; nothing
 * after it is read. */
static void
check_eof_str(const struct sources *s, struct src *x)
{
	struct record rec;

	if (s->eof_str == NULL || !x->header_done ||
	    !input_peek(&x->in, &rec) || !is_eof_str(s, rec.data, rec.len))
		return;
	input_stop(&x->in);
	if (x->own_fd && x->fd >= 0)
		(void)close(x->fd);
	x->fd = -1;
	x->own_fd = false;
}

static bool
src_ended(const struct src *x)
{
	return x->fd < 0 || x->in.eof;
}

/* Move every complete value a held source has into its store. */
static int
absorb(const struct sources *s, struct src *x)
{
	struct record rec;
	struct held *p;
	size_t cap;

	while (x->header_done && (check_eof_str(s, x), true) &&
	       input_next(&x->in, &rec)) {
		if (x->nh == x->caph) {
			cap = x->caph ? x->caph * 2 : 16;
			p = realloc(x->hv, cap * sizeof *p);
			if (p == NULL)
				return -1;
			x->hv = p;
			x->caph = cap;
		}
		x->hv[x->nh].off = x->hdata.len;
		x->hv[x->nh].len = rec.len;
		x->hv[x->nh].full_len = rec.full_len;
		if (buf_append(&x->hdata, rec.data, rec.len) == -1)
			return -1;
		x->nh++;
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
		return src_ended(x) && input_done(&x->in) ? ST_NONE : ST_WAIT;
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
src_value(struct sources *s, struct src *x, uint64_t p, struct sources_value *v)
{
	if (x->held) {
		const struct held *h = &x->hv[p < x->nh ? p : p % x->nh];

		(void)s;
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
	v->data = x->rec.data;
	v->len = x->rec.len;
	v->full_len = x->rec.full_len;
	return 0;
}

static int
push_value(struct sources *s, const char *p, size_t n, uint64_t full_len)
{
	struct sources_value *t;
	bool preview = full_len > n;
	size_t cap;

	if (s->trim & 1)
		while (n > 0 && strchr(" \t\n\r\f\v", *p) != NULL && *p)
			p++, n--;
	if (s->trim & 2)
		while (n > 0 && strchr(" \t\n\r\f\v", p[n - 1]) != NULL &&
		       p[n - 1])
			n--;
	if (s->ntv == s->captv) {
		cap = s->captv ? s->captv * 2 : 8;
		t = realloc(s->tv, cap * sizeof *t);
		if (t == NULL)
			return -1;
		s->tv = t;
		s->captv = cap;
	}
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
	struct sources_value v;
	size_t i, k;

	s->ntv = 0;
	for (i = 0; i < s->nd; i++) {
		for (k = 0; k < s->d[i].n; k++) {
			if (src_value(s, &s->s[s->d[i].first + k], s->d[i].pos,
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
static int
advance(struct sources *s, enum sources_state *state)
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

int
sources_next(struct sources *s, const struct sources_value **vals, size_t *n,
             enum sources_state *state)
{
	if (advance(s, state) == -1)
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

static int
hold_literal(struct src *x, const char *v)
{
	struct held *p;
	size_t cap;

	if (x->nh == x->caph) {
		cap = x->caph ? x->caph * 2 : 16;
		p = realloc(x->hv, cap * sizeof *p);
		if (p == NULL)
			return -1;
		x->hv = p;
		x->caph = cap;
	}
	x->hv[x->nh].off = x->hdata.len;
	x->hv[x->nh].len = x->hv[x->nh].full_len = strlen(v);
	if (buf_append(&x->hdata, v, x->hv[x->nh].len) == -1)
		return -1;
	x->nh++;
	return 0;
}

static int
open_src(struct sources *s, struct src *x, const struct pmapf_source *ps,
         size_t max_record, int delim)
{
	int i;

	x->fd = -1;
	x->linked = ps->linked;
	x->skip_first = ps->skip_first;
	x->header_done = !s->header;
	input_init(&x->in, delim, max_record);
	if (ps->file == NULL) {
		x->name = ":::";
		x->held = true;
		input_finish(&x->in);
		for (i = 0; i < ps->nvals; i++) {
			if (i == 0 && s->header) {
				x->lit_header = ps->vals[0];
				continue;
			}
			if (is_eof_str(s, ps->vals[i], strlen(ps->vals[i])))
				break;
			if (hold_literal(x, ps->vals[i]) == -1)
				return -1;
		}
		return 0;
	}
	x->name = ps->file;
	if (strcmp(x->name, "-") == 0) {
		x->fd = STDIN_FILENO;
		return 0;
	}
	do
		x->fd = open(x->name, O_RDONLY | O_CLOEXEC);
	while (x->fd == -1 && errno == EINTR);
	if (x->fd == -1) {
		msg_warn_errno("cannot open input file '%s'", x->name);
		return -1;
	}
	x->own_fd = true;
	return 0;
}

/* Sources in step form one dimension of the product; --link makes all
 * one. */
static int
make_dims(struct sources *s)
{
	size_t i;

	s->d = calloc(s->n, sizeof *s->d);
	if (s->d == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		if (i > 0 && (s->link || s->s[i].linked)) {
			s->d[s->nd - 1].n++;
			continue;
		}
		s->d[s->nd].first = i;
		s->d[s->nd].n = 1;
		s->nd++;
	}
	/* The product comes back to every dimension but the first; the
	 * first is read as it goes, and its value copied only when reads
	 * happen while it is in use. */
	for (i = 0; i < s->n; i++) {
		if (s->link || i >= s->d[0].n || s->hold_all)
			s->s[i].held = true;
		s->s[i].copy = s->nd > 1;
	}
	return 0;
}

int
sources_open(struct sources **sp, const struct pmapf_opts *o, size_t max_record)
{
	static const struct pmapf_source std = {"-", false, 0, NULL, false};
	const struct pmapf_source *ps = o->nsources ? o->sources : &std;
	struct sources *s;
	const char *why;
	size_t i;

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return -1;
	*sp = s;
	s->n = o->nsources ? o->nsources : 1;
	s->link = o->link;
	s->header = o->header;
	s->trim = o->trim;
	s->eof_str = o->eof_str;
	/* -X, -m share the records out once all are in: all are held. */
	s->hold_all =
	    o->multi == MULTI_X || o->multi == MULTI_M || o->needs_total;
	s->s = calloc(s->n, sizeof *s->s);
	if (s->s == NULL)
		return -1;
	if (o->colsep != NULL) {
		if (perlre_compile(&s->sep, o->colsep, &why) == -1) {
			msg_warn("--colsep '%s': %s", o->colsep, why);
			return -1;
		}
		s->has_sep = true;
	}
	for (i = 0; i < s->n; i++)
		s->s[i].fd = -1;
	for (i = 0; i < s->n; i++)
		if (open_src(s, &s->s[i], &ps[i], max_record, o->delim) == -1)
			return -1;
	return make_dims(s);
}

void
sources_close(struct sources *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n && s->s != NULL; i++) {
		struct src *x = &s->s[i];

		if (x->own_fd && x->fd >= 0)
			(void)close(x->fd);
		input_free(&x->in);
		buf_free(&x->hdata);
		buf_free(&x->cur);
		free(x->hv);
	}
	if (s->has_sep)
		perlre_free(&s->sep);
	buf_free(&s->names);
	free(s->s);
	free(s->d);
	free(s->tv);
	free(s);
}

size_t
sources_count(const struct sources *s)
{
	return s->n;
}

int
sources_fd(const struct sources *s, size_t i, size_t readahead)
{
	const struct src *x = &s->s[i];

	if (x->fd < 0 || x->in.eof)
		return -1;
	/* Held sources are read to their end; the one read as it goes only
	 * up to the read-ahead (but always while no whole value is in:
	 * input caps a value's length). */
	if (x->held || !input_ready(&x->in) ||
	    input_buffered(&x->in) < readahead)
		return x->fd;
	return -1;
}

int
sources_read(struct sources *s, size_t i)
{
	struct src *x = &s->s[i];
	ssize_t r = input_fill(&x->in, x->fd, INPUT_CHUNK);

	if (r < 0)
		return -1;
	if (r == 0 && x->own_fd) {
		(void)close(x->fd);
		x->fd = -1;
		x->own_fd = false;
	}
	return 0;
}

const char *
sources_name(const struct sources *s, size_t i)
{
	return s->s[i].name;
}

const char *
sources_error(const struct sources *s)
{
	return s->err;
}

bool
sources_ended(const struct sources *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->s[i].in.eof)
			return false;
	return true;
}

bool
sources_done(struct sources *s)
{
	enum sources_state st;

	/* Only once everything is read can the end be known without a
	 * tuple being asked for. */
	if (!s->ended && sources_ended(s) && advance(s, &st) == -1)
		return false;
	return s->ended;
}

uint64_t
sources_taken(const struct sources *s)
{
	return s->taken;
}

/* Values source x gives in all so far (held, taken or waiting). */
static uint64_t
src_seen(const struct src *x)
{
	if (x->held)
		return x->nh + (input_records_seen(&x->in) - x->in.taken);
	return x->pulled + (input_records_seen(&x->in) - x->in.taken);
}

uint64_t
sources_seen(const struct sources *s)
{
	uint64_t total = 1, dn, v;
	size_t d, i;

	if (s->n == 1)
		return src_seen(&s->s[0]);
	if (!sources_ended(s))
		return s->taken;
	for (d = 0; d < s->nd; d++) {
		dn = s->link ? 0 : UINT64_MAX;
		for (i = 0; i < s->d[d].n; i++) {
			v = src_seen(&s->s[s->d[d].first + i]);
			if (s->link && v == 0)
				return 0;
			if (s->link ? v > dn : v < dn)
				dn = v;
		}
		if (dn != 0 && total > UINT64_MAX / dn)
			return UINT64_MAX;
		total *= dn;
	}
	return total;
}

const struct buf *
sources_names(const struct sources *s, size_t *n)
{
	if (!s->names_ready)
		return NULL;
	*n = s->nnames;
	return &s->names;
}
