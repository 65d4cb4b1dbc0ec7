#include "config.h"

#include "template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shquote.h"

enum piece_kind {
	PIECE_LITERAL,
	PIECE_RECORD,    /* {} */
	PIECE_NOEXT,     /* {.} */
	PIECE_BASE,      /* {/} */
	PIECE_DIR,       /* {//} */
	PIECE_BASENOEXT, /* {/.} */
	PIECE_SEQ,       /* {#} */
	PIECE_SLOT,      /* {%} */
	PIECE_POS        /* {1}, {2}...: len is the position */
};

/* Longest first, so {//} is not read as {/} followed by text. */
static const struct {
	const char *text;
	enum piece_kind kind;
} repl[] = {
    {"{//}", PIECE_DIR},  {"{/.}", PIECE_BASENOEXT}, {"{}", PIECE_RECORD},
    {"{.}", PIECE_NOEXT}, {"{/}", PIECE_BASE},       {"{#}", PIECE_SEQ},
    {"{%}", PIECE_SLOT},
};

struct piece {
	enum piece_kind kind;
	const char *lit; /* into the caller's argv, which outlives us */
	size_t len;
};

struct targ {
	struct piece *pieces;
	size_t npieces;
};

struct template
{
	struct targ *args;
	int argc;
	bool append; /* no replacement string: record goes last */
	bool shell;
};

static int
add_piece(struct targ *a, enum piece_kind kind, const char *lit, size_t len)
{
	struct piece *p;

	p = realloc(a->pieces, (a->npieces + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	a->pieces = p;
	p[a->npieces].kind = kind;
	p[a->npieces].lit = lit;
	p[a->npieces].len = len;
	a->npieces++;
	return 0;
}

static int
parse_arg(struct targ *a, const char *s, bool *has_repl)
{
	const char *lit = s, *p = s;
	size_t i, n;

	while ((p = strchr(p, '{')) != NULL) {
		/* {N}: a record by position. */
		if (p[1] >= '1' && p[1] <= '9') {
			size_t k = 1, pos = 0;

			while (p[k] >= '0' && p[k] <= '9' && pos < 100000)
				pos = pos * 10 + (size_t)(p[k++] - '0');
			if (p[k] == '}') {
				if (p > lit &&
				    add_piece(a, PIECE_LITERAL, lit,
				              (size_t)(p - lit)) == -1)
					return -1;
				if (add_piece(a, PIECE_POS, NULL, pos) == -1)
					return -1;
				*has_repl = true;
				p += k + 1;
				lit = p;
				continue;
			}
		}
		for (i = 0; i < sizeof repl / sizeof repl[0]; i++) {
			n = strlen(repl[i].text);
			if (strncmp(p, repl[i].text, n) == 0)
				break;
		}
		if (i == sizeof repl / sizeof repl[0]) {
			p++;
			continue;
		}
		if (p > lit &&
		    add_piece(a, PIECE_LITERAL, lit, (size_t)(p - lit)) == -1)
			return -1;
		if (add_piece(a, repl[i].kind, NULL, 0) == -1)
			return -1;
		*has_repl = true;
		p += n;
		lit = p;
	}
	if (*lit != '\0' || a->npieces == 0)
		return add_piece(a, PIECE_LITERAL, lit, strlen(lit));
	return 0;
}

int
template_parse(struct template **tp, int argc, char *const argv[], bool shell)
{
	struct template *t;
	bool has_repl = false;
	int i;

	if (argc < 1) {
		errno = EINVAL;
		return -1;
	}
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	t->args = calloc((size_t)argc, sizeof *t->args);
	if (t->args == NULL) {
		free(t);
		return -1;
	}
	t->argc = argc;
	t->shell = shell;
	for (i = 0; i < argc; i++) {
		if (parse_arg(&t->args[i], argv[i], &has_repl) == -1) {
			template_free(t);
			return -1;
		}
	}
	t->append = !has_repl;
	*tp = t;
	return 0;
}

void
template_free(struct template *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->argc; i++)
		free(t->args[i].pieces);
	free(t->args);
	free(t);
}

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

/* One value, into scratch (then quoted into out in shell mode). */
static int
value(const struct piece *p, const char *rec, size_t len, uint64_t seq,
      unsigned slot, struct buf *v)
{
	struct buf tmp = BUF_INIT;
	int rc;

	buf_reset(v);
	switch (p->kind) {
	case PIECE_LITERAL:
		return buf_append(v, p->lit, p->len);
	case PIECE_RECORD:
		return buf_append(v, rec, len);
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
	case PIECE_SEQ:
		return buf_printf(v, "%llu", (unsigned long long)seq);
	case PIECE_SLOT:
		return buf_printf(v, "%u", slot);
	case PIECE_POS:
		break; /* by position: the caller picks the record */
	}
	return 0;
}

static int
put(struct buf *out, const struct buf *v, bool quote)
{
	if (quote)
		return shquote(out, v->data ? v->data : "", v->len);
	return buf_append(out, v->data, v->len);
}

/* Does this piece stand for "the record" (repeated per record)? */
static bool
per_record(enum piece_kind k)
{
	return k == PIECE_RECORD || k == PIECE_NOEXT || k == PIECE_BASE ||
	       k == PIECE_DIR || k == PIECE_BASENOEXT;
}

/* One copy of an argument, with rec as the record it stands for. */
static int
expand_arg(const struct template *t, const struct targ *a,
           const struct template_rec *recs, size_t nrecs,
           const struct template_rec *rec, uint64_t seq, unsigned slot,
           struct buf *s, struct buf *v)
{
	size_t j;

	for (j = 0; j < a->npieces; j++) {
		const struct piece *p = &a->pieces[j];

		if (p->kind == PIECE_LITERAL) {
			if (buf_append(s, p->lit, p->len) == -1)
				return -1;
			continue;
		}
		if (p->kind == PIECE_POS) {
			buf_reset(v);
			if (p->len <= nrecs &&
			    buf_append(v, recs[p->len - 1].data,
			               recs[p->len - 1].len) == -1)
				return -1;
		} else if (value(p, rec->data, rec->len, seq, slot, v) == -1) {
			return -1;
		}
		if (put(s, v, t->shell) == -1)
			return -1;
	}
	return 0;
}

/* Words of a script are separated by spaces; argv entries end in NUL. */
static int
begin_word(const struct template *t, struct buf *s, bool first)
{
	return t->shell && !first ? buf_appendc(s, ' ') : 0;
}

static int
end_word(const struct template *t, struct buf *s, bool *first)
{
	*first = false;
	return t->shell ? 0 : buf_append(s, "", 1);
}

int
template_expand_n(const struct template *t, const struct template_rec *recs,
                  size_t nrecs, uint64_t seq, unsigned slot,
                  struct template_out *out)
{
	static const char sh[] = "/bin/sh\0-c";
	static const struct template_rec none = {"", 0};
	struct buf v = BUF_INIT, *s = &out->strings;
	size_t nargs = 0, i, j, k, copies, off;
	bool first = true, repeat;
	char **argv;
	int rc = -1;

	for (k = 0; k < nrecs; k++)
		if (memchr(recs[k].data, '\0', recs[k].len) != NULL) {
			errno = EINVAL;
			return -1;
		}
	buf_reset(s);
	if (t->shell && buf_append(s, sh, sizeof sh) == -1)
		goto done;
	for (i = 0; i < (size_t)t->argc; i++) {
		const struct targ *a = &t->args[i];

		for (repeat = false, j = 0; j < a->npieces; j++)
			repeat |= per_record(a->pieces[j].kind);
		copies = repeat ? nrecs : 1;
		for (k = 0; k < copies; k++) {
			/* In a script the words go in with spaces between. */
			if (begin_word(t, s, first) == -1 ||
			    expand_arg(t, a, recs, nrecs,
			               repeat ? &recs[k]
			                      : (nrecs ? &recs[0] : &none),
			               seq, slot, s, &v) == -1 ||
			    end_word(t, s, &first) == -1)
				goto done;
			nargs++;
		}
	}
	if (t->append) {
		for (k = 0; k < nrecs; k++) {
			buf_reset(&v);
			if (begin_word(t, s, first) == -1 ||
			    buf_append(&v, recs[k].data, recs[k].len) == -1 ||
			    put(s, &v, t->shell) == -1 ||
			    end_word(t, s, &first) == -1)
				goto done;
			nargs++;
		}
	}
	if (t->shell) {
		if (buf_append(s, "", 1) == -1)
			goto done;
		nargs = 3;
	}
	if (out->argv_cap < nargs + 1) {
		argv = realloc(out->argv, (nargs + 1) * sizeof *argv);
		if (argv == NULL)
			goto done;
		out->argv = argv;
		out->argv_cap = nargs + 1;
	}
	/* Pointers are taken last: the buffer may have moved while growing. */
	for (i = 0, off = 0; i < nargs; i++) {
		out->argv[i] = s->data + off;
		off += strlen(out->argv[i]) + 1;
	}
	out->argv[nargs] = NULL;
	rc = 0;
done:
	buf_free(&v);
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
template_out_free(struct template_out *out)
{
	buf_free(&out->strings);
	free(out->argv);
	out->argv = NULL;
	out->argv_cap = 0;
}
