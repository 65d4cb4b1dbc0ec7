#include "config.h"

#include "sources_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "msg.h"
#include "perlre.h"

int
src_hold(struct src *x, const char *p, size_t n, uint64_t full_len)
{
	struct held *h = grow_array(x->hv, &x->caph, x->nh, sizeof *h);

	if (h == NULL)
		return -1;
	x->hv = h;
	x->hv[x->nh].off = x->hdata.len;
	x->hv[x->nh].len = n;
	x->hv[x->nh].full_len = full_len;
	if (buf_append(&x->hdata, p, n) == -1)
		return -1;
	x->nh++;
	return 0;
}

bool
sources_is_eof_str(const struct sources *s, const char *p, size_t n)
{
	return s->eof_str != NULL && s->eof_len == n &&
	       memcmp(s->eof_str, p, n) == 0;
}

void
src_stop_reading(struct src *x)
{
	if (x->own_fd && x->fd >= 0)
		(void)close(x->fd);
	x->fd = -1;
	x->own_fd = false;
}

bool
sources_space(char c)
{
	return c != '\0' && strchr(" \t\n\r\f\v", c) != NULL;
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
			if (sources_is_eof_str(s, ps->vals[i],
			                       strlen(ps->vals[i])))
				break;
			if (src_hold(x, ps->vals[i], strlen(ps->vals[i]),
			             strlen(ps->vals[i])) == -1)
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
	s->simple = s->n == 1 && !s->s[0].held && !s->s[0].skip_first &&
	            !s->header && !s->has_sep && s->trim == 0 &&
	            s->eof_str == NULL;
	/* The tuple of one value the simple case fills in place. */
	s->tv = calloc(1, sizeof *s->tv);
	s->captv = 1;
	return s->tv == NULL ? -1 : 0;
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
	/* As GNU parallel: an empty -E is no end-of-file string. */
	s->eof_str = o->eof_str && *o->eof_str ? o->eof_str : NULL;
	s->eof_len = s->eof_str ? strlen(s->eof_str) : 0;
	/* -X, -m share the records out once all are in, --shuf orders
	 * them: all are held. */
	s->hold_all = o->multi == MULTI_X || o->multi == MULTI_M ||
	              o->needs_total || o->shuf;
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

		src_stop_reading(x);
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
	return s != NULL ? s->n : 0;
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
	if (r == 0)
		src_stop_reading(x);
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

	if (s->simple)
		return s->ended || input_done(&s->s[0].in);
	/* Only once everything is read can the end be known without a
	 * tuple being asked for. */
	if (!s->ended && sources_ended(s) && sources_advance(s, &st) == -1)
		return false;
	return s->ended;
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
	if (s == NULL || !s->names_ready)
		return NULL;
	*n = s->nnames;
	return &s->names;
}
