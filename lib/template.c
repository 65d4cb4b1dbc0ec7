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
	PIECE_POS        /* {1}, {-1}, {2.}...: one value by position */
};

/* The strings for {}, {.}, {/}, {//}, {/.}, {#}, {%} (TEMPLATE_REPL). */
static const char *const default_repl[TEMPLATE_NREPL] = {
    "{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}",
};

struct piece {
	enum piece_kind kind;
	enum piece_kind mod; /* PIECE_POS: which part of the value */
	const char *lit;     /* into the caller's argv, which outlives us */
	size_t len;
	long pos; /* PIECE_POS: 1.. from the start, -1.. from the end */
};

struct targ {
	struct piece *pieces;
	size_t npieces;
	/* In a script, what comes before this word: NULL for a space (a
	 * new argument), else the blanks that stood there. */
	const char *gap;
	size_t gaplen;
};

struct template
{
	struct targ *args;
	size_t nargs; /* words: in a script, an argument may hold several */
	int argc;
	char *const *argv;
	bool append; /* no replacement string: record goes last */
	struct template_conf conf;
	/* The replacement strings, longest first (so {//} is not read as
	 * {/} and then text). */
	const char *repl[TEMPLATE_NREPL];
	enum piece_kind repl_kind[TEMPLATE_NREPL];
	const char *names; /* --header: column names, NUL-separated */
	size_t nnames;
};

static int
add_piece(struct targ *a, enum piece_kind kind, const char *lit, size_t len)
{
	struct piece *p;

	p = realloc(a->pieces, (a->npieces + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	a->pieces = p;
	memset(&p[a->npieces], 0, sizeof *p);
	p[a->npieces].kind = kind;
	p[a->npieces].lit = lit;
	p[a->npieces].len = len;
	a->npieces++;
	return 0;
}

/* After a position or a column name: a modifier and the closing brace.
 * Its length, or 0 if there is none. */
static size_t
modifier(const char *p, enum piece_kind *mod)
{
	static const struct {
		const char *text;
		enum piece_kind mod;
	} mods[] = {{"}", PIECE_RECORD},
	            {".}", PIECE_NOEXT},
	            {"/}", PIECE_BASE},
	            {"//}", PIECE_DIR},
	            {"/.}", PIECE_BASENOEXT}};
	size_t i, n;

	for (i = 0; i < sizeof mods / sizeof mods[0]; i++) {
		n = strlen(mods[i].text);
		if (strncmp(p, mods[i].text, n) == 0) {
			*mod = mods[i].mod;
			return n;
		}
	}
	return 0;
}

/* {N}, {-N}, {0} and their modifiers ({2.}, {-1/}...), or a --header
 * column name in their place.  The length matched, or 0. */
static size_t
positional(const struct template *t, const char *p, struct piece *pc)
{
	const char *q = p + 1, *name;
	size_t k, n, m;
	long pos = 0;
	bool neg = *q == '-';

	if (neg)
		q++;
	if (*q >= '0' && *q <= '9') {
		while (*q >= '0' && *q <= '9' && pos < 1000000)
			pos = pos * 10 + (*q++ - '0');
		if ((m = modifier(q, &pc->mod)) == 0 || (neg && pos == 0))
			return 0;
		pc->kind = pos == 0 ? pc->mod : PIECE_POS;
		pc->pos = neg ? -pos : pos;
		return (size_t)(q - p) + m;
	}
	/* Names: an exact {name} first, then {name} with a modifier. */
	for (int pass = 0; pass < 2; pass++) {
		for (k = 0, name = t->names; k < t->nnames;
		     k++, name += strlen(name) + 1) {
			n = strlen(name);
			if (n == 0 || strncmp(p + 1, name, n) != 0)
				continue;
			m = pass == 0 ? (p[1 + n] == '}' ? 1 : 0)
			              : modifier(p + 1 + n, &pc->mod);
			if (m == 0)
				continue;
			if (pass == 0)
				pc->mod = PIECE_RECORD;
			pc->kind = PIECE_POS;
			pc->pos = (long)k + 1;
			return 1 + n + m;
		}
	}
	return 0;
}

static int
parse_arg(struct template *t, struct targ *a, const char *s, bool *has_repl)
{
	const char *lit = s, *p;
	struct piece pc;
	size_t i, n = 0;

	for (p = s; *p != '\0'; p += n) {
		memset(&pc, 0, sizeof pc);
		n = *p == '{' ? positional(t, p, &pc) : 0;
		for (i = 0; n == 0 && i < TEMPLATE_NREPL; i++) {
			if (*p != t->repl[i][0] ||
			    strncmp(p, t->repl[i], strlen(t->repl[i])) != 0)
				continue;
			n = strlen(t->repl[i]);
			pc.kind = t->repl_kind[i];
		}
		if (n == 0) {
			n = 1;
			continue;
		}
		if (p > lit &&
		    add_piece(a, PIECE_LITERAL, lit, (size_t)(p - lit)) == -1)
			return -1;
		if (add_piece(a, pc.kind, NULL, 0) == -1)
			return -1;
		a->pieces[a->npieces - 1].mod = pc.mod;
		a->pieces[a->npieces - 1].pos = pc.pos;
		*has_repl = true;
		lit = p + n;
	}
	if (*lit != '\0' || a->npieces == 0)
		return add_piece(a, PIECE_LITERAL, lit, strlen(lit));
	return 0;
}

/* -I and the others may replace the strings; any not starting with a
 * brace is still found anywhere in an argument. */
static void
set_repl(struct template *t)
{
	size_t i, j;

	for (i = 0; i < TEMPLATE_NREPL; i++) {
		t->repl[i] = t->conf.repl[i] && *t->conf.repl[i]
		                 ? t->conf.repl[i]
		                 : default_repl[i];
		t->repl_kind[i] = (enum piece_kind)(PIECE_RECORD + i);
	}
	for (i = 1; i < TEMPLATE_NREPL; i++)
		for (j = i;
		     j > 0 && strlen(t->repl[j]) > strlen(t->repl[j - 1]);
		     j--) {
			const char *s = t->repl[j];
			enum piece_kind k = t->repl_kind[j];

			t->repl[j] = t->repl[j - 1];
			t->repl_kind[j] = t->repl_kind[j - 1];
			t->repl[j - 1] = s;
			t->repl_kind[j - 1] = k;
		}
}

static void
free_args(struct template *t)
{
	int i;

	for (i = 0; (size_t)i < t->nargs && t->args != NULL; i++)
		free(t->args[i].pieces);
	free(t->args);
	t->args = NULL;
	t->nargs = 0;
}

static struct targ *
new_word(struct targ **out, size_t *n, const char *gap, size_t gaplen)
{
	struct targ *grown = realloc(*out, (*n + 1) * sizeof **out);

	if (grown == NULL)
		return NULL;
	*out = grown;
	memset(&grown[*n], 0, sizeof grown[*n]);
	grown[*n].gap = gap;
	grown[*n].gaplen = gaplen;
	return &grown[(*n)++];
}

static int
copy_piece(struct targ *a, const struct piece *pc)
{
	if (add_piece(a, pc->kind, pc->lit, pc->len) == -1)
		return -1;
	a->pieces[a->npieces - 1] = *pc;
	return 0;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* A script's argument, cut into its shell words at the blanks in its
 * text, so -N repeats the word holding {} and not the whole script. */
static int
split_words(const struct targ *a, struct targ **out, size_t *n)
{
	struct piece pc, head;
	size_t j, cut, blanks;

	if (new_word(out, n, NULL, 0) == NULL)
		return -1;
	for (j = 0; j < a->npieces; j++) {
		pc = a->pieces[j];
		while (pc.kind == PIECE_LITERAL) {
			for (cut = 0; cut < pc.len && !blank(pc.lit[cut]);)
				cut++;
			if (cut == pc.len)
				break;
			for (blanks = 0; cut + blanks < pc.len &&
			                 blank(pc.lit[cut + blanks]);)
				blanks++;
			head = pc;
			head.len = cut;
			if ((cut > 0 && copy_piece(&(*out)[*n - 1], &head)) ||
			    new_word(out, n, pc.lit + cut, blanks) == NULL)
				return -1;
			pc.lit += cut + blanks;
			pc.len -= cut + blanks;
		}
		if ((pc.kind != PIECE_LITERAL || pc.len > 0) &&
		    copy_piece(&(*out)[*n - 1], &pc) == -1)
			return -1;
	}
	return 0;
}

static int
parse_all(struct template *t)
{
	struct targ one, *words = NULL;
	bool has_repl = false;
	size_t n = 0;
	int i, rc = 0;

	for (i = 0; i < t->argc && rc == 0; i++) {
		memset(&one, 0, sizeof one);
		rc = parse_arg(t, &one, t->argv[i], &has_repl);
		if (rc == 0 && t->conf.shell && !t->conf.quote) {
			rc = split_words(&one, &words, &n);
			free(one.pieces);
			continue;
		}
		if (rc == 0) {
			struct targ *grown =
			    realloc(words, (n + 1) * sizeof *words);

			if (grown == NULL) {
				free(one.pieces);
				rc = -1;
				break;
			}
			words = grown;
			words[n++] = one;
		} else {
			free(one.pieces);
		}
	}
	t->args = words;
	t->nargs = n;
	t->append = !has_repl;
	return rc;
}

bool
template_varies(const struct template *t, int i)
{
	size_t j;

	/* Words are arguments unless in a script (never asked of one). */
	if (t->conf.shell || i < 0 || (size_t)i >= t->nargs)
		return false;
	for (j = 0; j < t->args[i].npieces; j++)
		if (t->args[i].pieces[j].kind != PIECE_LITERAL)
			return true;
	return false;
}

static bool per_record(enum piece_kind k);

/* Bytes v takes in a command: quoted in a script. */
static size_t
value_len(const struct template *t, const char *v, size_t len)
{
	struct buf q = BUF_INIT;
	size_t n = len;

	if (t->conf.shell && !t->conf.raw) {
		n = shquote(&q, v, len) == 0 ? q.len : 4 * len + 2;
		buf_free(&q);
	}
	return n;
}

size_t
template_fixed_cost(const struct template *t)
{
	/* Each word: its text, a NUL, and its pointer in argv. */
	size_t n = t->conf.shell
	               ? sizeof "/bin/sh" + sizeof "-c" + 3 * sizeof(char *)
	               : sizeof(char *);
	size_t i, j;

	for (i = 0; i < t->nargs; i++) {
		n += 1 + (t->conf.shell ? t->args[i].gaplen : sizeof(char *));
		for (j = 0; j < t->args[i].npieces; j++)
			n += t->args[i].pieces[j].kind == PIECE_LITERAL
			         ? value_len(t, t->args[i].pieces[j].lit,
			                     t->args[i].pieces[j].len)
			         : 24; /* {#}, {%}, a position: about */
	}
	return n;
}

size_t
template_value_cost(const struct template *t, const char *v, size_t len)
{
	size_t q = value_len(t, v, len), n = 0, i, j, lit, uses;
	size_t word = 1 + (t->conf.shell ? 1 : sizeof(char *));

	for (i = 0; i < t->nargs; i++) {
		for (lit = uses = 0, j = 0; j < t->args[i].npieces; j++) {
			const struct piece *p = &t->args[i].pieces[j];

			if (per_record(p->kind))
				uses++;
			else if (p->kind == PIECE_LITERAL)
				lit += p->len;
		}
		/* -X repeats the word around each value; else each value
		 * is a word of its own. */
		if (uses > 0)
			n += t->conf.per_value ? uses * q + lit + word
			                       : uses * (q + word);
	}
	if (t->append)
		n += q + word;
	return n;
}

const char *
template_refusal(int argc, char *const argv[])
{
	const char *p;
	int i;

	for (i = 0; i < argc; i++)
		if ((p = strstr(argv[i], "{=")) != NULL &&
		    strstr(p + 2, "=}") != NULL)
			return "{= perl expression =} is not supported (pmapf "
			       "runs no Perl); use a shell command with -s";
	return NULL;
}

int
template_parse_with(struct template **tp, int argc, char *const argv[],
                    const struct template_conf *conf)
{
	struct template *t;

	if (argc < 1) {
		errno = EINVAL;
		return -1;
	}
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	t->argc = argc;
	t->argv = argv;
	t->conf = *conf;
	set_repl(t);
	if (parse_all(t) == -1) {
		template_free(t);
		return -1;
	}
	*tp = t;
	return 0;
}

int
template_parse(struct template **tp, int argc, char *const argv[], bool shell)
{
	struct template_conf conf;

	memset(&conf, 0, sizeof conf);
	conf.shell = shell;
	conf.per_value = true;
	return template_parse_with(tp, argc, argv, &conf);
}

int
template_bind_names(struct template *t, const char *names, size_t n)
{
	t->names = names;
	t->nnames = n;
	free_args(t);
	return parse_all(t);
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free_args(t);
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

/* One value of the record, as kind k takes it, into v. */
static int
part(enum piece_kind k, const char *rec, size_t len, struct buf *v)
{
	struct buf tmp = BUF_INIT;
	int rc;

	buf_reset(v);
	switch (k) {
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

/* Does this piece stand for "the record" (every value)? */
static bool
per_record(enum piece_kind k)
{
	return k == PIECE_RECORD || k == PIECE_NOEXT || k == PIECE_BASE ||
	       k == PIECE_DIR || k == PIECE_BASENOEXT;
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
	bool quote = x->t->conf.shell && !x->t->conf.raw;
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
			if (r != NULL && part(p->mod, r->data, r->len, &x->v))
				return -1;
			break;
		default:
			for (k = 0; x->rec == NULL && k < x->nrecs; k++) {
				r = &x->recs[k];
				if ((k > 0 &&
				     word_break(x->t, x->s, NULL) == -1) ||
				    part(p->kind, r->data, r->len, &x->v) ||
				    put(x->s, &x->v, quote) == -1)
					return -1;
				buf_reset(&x->v);
			}
			if (x->rec == NULL)
				continue;
			if (part(p->kind, x->rec->data, x->rec->len, &x->v))
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
	return a->npieces == 1 && a->pieces[0].kind == PIECE_POS &&
	       at_position(a->pieces[0].pos, x->recs, x->nrecs) == NULL;
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
		    put(s, &x->v, t->conf.shell) == -1)
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
template_out_free(struct template_out *out)
{
	buf_free(&out->strings);
	free(out->argv);
	out->argv = NULL;
	out->argv_cap = 0;
}
