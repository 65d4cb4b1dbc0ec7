#include "config.h"

#include "template_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shquote.h"

int
template_noext(struct buf *b, const char *s, size_t len)
{
	size_t i = len, cut = len;

	/* A final ".ext" with no '/' after its dot, as GNU parallel. */
	while (i > 0 && s[i - 1] != '/') {
		if (s[i - 1] == '.') {
			cut = i - 1;
			break;
		}
		i--;
	}
	return buf_append(b, s, cut);
}

int
template_basename(struct buf *b, const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && s[i - 1] != '/')
		i--;
	return buf_append(b, s + i, len - i);
}

int
template_dirname(struct buf *b, const char *s, size_t len)
{
	size_t end = len;

	/* POSIX dirname: trailing slashes do not make a component. */
	while (end > 1 && s[end - 1] == '/')
		end--;
	while (end > 0 && s[end - 1] != '/')
		end--;
	if (end == 0)
		return buf_appendc(b, '.');
	while (end > 1 && s[end - 1] == '/')
		end--;
	return buf_append(b, s, end);
}

/* One value of the record, as kind k takes it, into v. */
static int
part(const struct piece *p, enum piece_kind k, const char *rec, size_t len,
     struct buf *v)
{
	struct buf tmp = BUF_INIT;
	int rc;

	buf_reset(v);
	switch (k) {
	case PIECE_PLUS:
		return plus_apply(p->plus, rec, len, v);
	case PIECE_NOEXT:
		return template_noext(v, rec, len);
	case PIECE_BASE:
		return template_basename(v, rec, len);
	case PIECE_DIR:
		return template_dirname(v, rec, len);
	case PIECE_BASENOEXT:
		rc = template_basename(&tmp, rec, len);
		if (rc == 0)
			rc = template_noext(v, tmp.data ? tmp.data : "",
			                    tmp.len);
		buf_free(&tmp);
		return rc;
	default:
		return buf_append(v, rec, len);
	}
}

static int
put(struct buf *out, const struct buf *v, bool quote)
{
	if (quote)
		return shquote(out, v->data ? v->data : "", v->len);
	return buf_append(out, v->data, v->len);
}

static int
digits(uint64_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* The value a position names, or NULL past the end. */
static const struct template_rec *
at_position(long pos, const struct template_rec *recs, size_t nrecs)
{
	size_t i = pos > 0 ? (size_t)pos - 1 : nrecs - (size_t)-pos;

	if ((pos > 0 && (size_t)pos > nrecs) ||
	    (pos < 0 && (size_t)-pos > nrecs))
		return NULL;
	return &recs[i];
}

struct expansion {
	const struct template *t;
	const struct template_rec *recs, *rec; /* rec: NULL for all */
	size_t nrecs;
	uint64_t seq;
	unsigned slot;
	struct buf *s, v;
};

/* Words of a script are separated by spaces (or the blanks that stood
 * between them in one argument); argv entries end in NUL. */
static int
word_break(const struct template *t, struct buf *s, const struct targ *w)
{
	if (!t->conf.shell)
		return buf_appendc(s, '\0');
	if (w != NULL && w->gap != NULL)
		return buf_append(s, w->gap, w->gaplen);
	return buf_appendc(s, ' ');
}

/* One copy of an argument: x->rec the record it stands for, or every
 * value, each a word of its own (GNU parallel's {} with several sources
 * or columns: text before it sticks to the first, after it to the last). */
static int
expand_arg(struct expansion *x, const struct targ *a)
{
	const struct template_rec *r;
	bool quote = values_quoted(x->t);
	size_t j, k;

	for (j = 0; j < a->npieces; j++) {
		const struct piece *p = &a->pieces[j];

		switch (p->kind) {
		case PIECE_LITERAL:
			/* -q: the command's own words are quoted too. */
			if (x->t->conf.shell && x->t->conf.quote) {
				if (shquote(x->s, p->lit, p->len) == -1)
					return -1;
			} else if (buf_append(x->s, p->lit, p->len) == -1) {
				return -1;
			}
			continue;
		case PIECE_SEQ:
			if (buf_printf(&x->v, "%llu",
			               (unsigned long long)x->seq) == -1)
				return -1;
			break;
		case PIECE_SLOT:
			if (buf_printf(&x->v, "%u", x->slot) == -1)
				return -1;
			break;
		case PIECE_POS:
			r = at_position(p->pos, x->recs, x->nrecs);
			if (r != NULL &&
			    part(p, p->mod, r->data, r->len, &x->v))
				return -1;
			break;
		case PIECE_NOTHING:
			break;
		case PIECE_HOST:
		case PIECE_SSHLOGIN: {
			const char *h =
			    p->kind == PIECE_HOST ? x->t->host : x->t->login;

			if (buf_appends(&x->v, h != NULL ? h : ":") == -1)
				return -1;
			break;
		}
		case PIECE_TOTAL:
			if (buf_printf(&x->v, "%llu",
			               (unsigned long long)x->t->total) == -1)
				return -1;
			break;
		case PIECE_SEQ0:
		case PIECE_SLOT0:
			/* Zero-padded to the width of the largest. */
			if (buf_printf(&x->v, "%0*llu",
			               digits(p->kind == PIECE_SEQ0
			                          ? x->t->total
			                          : x->t->conf.slots),
			               p->kind == PIECE_SEQ0
			                   ? (unsigned long long)x->seq
			                   : (unsigned long long)x->slot) == -1)
				return -1;
			break;
		default:
			for (k = 0; x->rec == NULL && k < x->nrecs; k++) {
				r = &x->recs[k];
				if ((k > 0 &&
				     word_break(x->t, x->s, NULL) == -1) ||
				    part(p, p->kind, r->data, r->len, &x->v) ||
				    put(x->s, &x->v, quote) == -1)
					return -1;
				buf_reset(&x->v);
			}
			if (x->rec == NULL)
				continue;
			if (part(p, p->kind, x->rec->data, x->rec->len, &x->v))
				return -1;
			break;
		}
		if (put(x->s, &x->v, quote) == -1)
			return -1;
		buf_reset(&x->v);
	}
	return 0;
}

/* A word that is only a position past the last value is left out, as
 * GNU parallel leaves it out. */
static bool
absent(const struct expansion *x, const struct targ *a)
{
	return a->npieces == 1 &&
	       (a->pieces[0].kind == PIECE_NOTHING ||
	        (a->pieces[0].kind == PIECE_POS &&
	         at_position(a->pieces[0].pos, x->recs, x->nrecs) == NULL));
}

static int
expand_all(struct expansion *x)
{
	const struct template *t = x->t;
	struct buf *s = x->s;
	bool first = true, repeat;
	size_t i, j, k, copies;

	for (i = 0; i < t->nargs; i++) {
		const struct targ *a = &t->args[i];

		if (absent(x, a))
			continue;
		for (repeat = false, j = 0; j < a->npieces; j++)
			repeat |= per_record(a->pieces[j].kind);
		/* -N: an argument with {} is repeated for each value. */
		copies = repeat && t->conf.per_value ? x->nrecs : 1;
		for (k = 0; k < copies; k++) {
			x->rec =
			    repeat && t->conf.per_value ? &x->recs[k] : NULL;
			if ((!first && word_break(t, s, k ? NULL : a) == -1) ||
			    expand_arg(x, a) == -1)
				return -1;
			first = false;
		}
	}
	for (k = 0; t->append && k < x->nrecs; k++) {
		buf_reset(&x->v);
		if ((!first && word_break(t, s, NULL) == -1) ||
		    buf_append(&x->v, x->recs[k].data, x->recs[k].len) == -1 ||
		    put(s, &x->v, values_quoted(t)) == -1)
			return -1;
		first = false;
	}
	return buf_appendc(s, '\0');
}

int
template_expand_n(const struct template *t, const struct template_rec *recs,
                  size_t nrecs, uint64_t seq, unsigned slot,
                  struct template_out *out)
{
	struct expansion x = {t,   recs, NULL,          nrecs,
	                      seq, slot, &out->strings, BUF_INIT};
	size_t nargs, i, off;
	char **argv;
	int rc = -1;

	for (i = 0; i < nrecs; i++)
		if (memchr(recs[i].data, '\0', recs[i].len) != NULL) {
			errno = EINVAL;
			return -1;
		}
	buf_reset(x.s);
	if (t->conf.shell &&
	    (buf_append(
	         x.s, t->conf.shell_path ? t->conf.shell_path : "/bin/sh",
	         strlen(t->conf.shell_path ? t->conf.shell_path : "/bin/sh") +
	             1) == -1 ||
	     buf_append(x.s, "-c", 3) == -1))
		goto done;
	if (expand_all(&x) == -1)
		goto done;
	for (nargs = 0, i = 0; i < x.s->len; i++)
		nargs += x.s->data[i] == '\0';
	if (out->argv_cap < nargs + 1) {
		argv = realloc(out->argv, (nargs + 1) * sizeof *argv);
		if (argv == NULL)
			goto done;
		out->argv = argv;
		out->argv_cap = nargs + 1;
	}
	/* Pointers are taken last: the buffer may have moved while growing. */
	for (i = 0, off = 0; i < nargs; i++) {
		out->argv[i] = x.s->data + off;
		off += strlen(out->argv[i]) + 1;
	}
	out->argv[nargs] = NULL;
	rc = 0;
done:
	buf_free(&x.v);
	return rc;
}

int
template_expand(const struct template *t, const char *rec, size_t len,
                uint64_t seq, unsigned slot, struct template_out *out)
{
	struct template_rec one = {rec, len};

	return template_expand_n(t, &one, 1, seq, slot, out);
}

void
template_set_host(struct template *t, const char *host, const char *login)
{
	t->host = host;
	t->login = login;
}

void
template_out_free(struct template_out *out)
{
	buf_free(&out->strings);
	free(out->argv);
	out->argv = NULL;
	out->argv_cap = 0;
}
