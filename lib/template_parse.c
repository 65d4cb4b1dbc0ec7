#include "config.h"

#include "template_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shquote.h"

/* The strings for {}, {.}, {/}, {//}, {/.}, {#}, {%} (TEMPLATE_REPL). */
static const char *const default_repl[TEMPLATE_NREPL] = {
    "{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}",
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
/* --plus: a form at p (after '{' and any position) into pc->plus.  Its
 * length, 0 if none; -1 (t->why set) for a regex that cannot be used. */
static long
plus_form(struct template *t, const char *p, struct piece *pc)
{
	struct plus pl;
	size_t used;
	int r;

	if (!t->conf.plus)
		return 0;
	r = plus_parse(p, &pl, &used, &t->why);
	if (r <= 0)
		return r;
	pc->plus = malloc(sizeof *pc->plus);
	if (pc->plus == NULL) {
		plus_free(&pl);
		t->why = "out of memory";
		return -1;
	}
	*pc->plus = pl;
	return (long)used;
}

/* A --header column name in a position's place: {name}, {name.}... */
static size_t
named(const struct template *t, const char *p, struct piece *pc)
{
	const char *name;
	size_t k, n, m;

	/* An exact {name} first, then {name} with a modifier. */
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

static size_t
positional(struct template *t, const char *p, struct piece *pc, bool *err)
{
	const char *q = p + 1;
	size_t m;
	long pos = 0, pm;
	bool neg = *q == '-';

	/* As GNU parallel: a header's names come before positions (a
	 * column may be called "2"). */
	if ((m = named(t, p, pc)) > 0)
		return m;
	if (neg)
		q++;
	/* As GNU parallel: with -I, {1} and the like are text. */
	if (*q < '0' || *q > '9' || t->conf.repl[TEMPLATE_RECORD] != NULL)
		return 0;
	while (*q >= '0' && *q <= '9' && pos < 1000000)
		pos = pos * 10 + (*q++ - '0');
	/* --plus {1uniq}, {2choose_k}: the value, and the filter. */
	if (t->conf.plus && pos > 0 && !neg &&
	    (strncmp(q, "uniq}", 5) == 0 || strncmp(q, "choose_k}", 9) == 0)) {
		t->filters |= *q == 'u' ? TEMPLATE_UNIQ : TEMPLATE_CHOOSE_K;
		pc->kind = PIECE_POS;
		pc->mod = PIECE_RECORD;
		pc->pos = pos;
		return (size_t)(q - p) + (*q == 'u' ? 5 : 9);
	}
	if ((m = modifier(q, &pc->mod)) == 0 && !(neg && pos == 0) &&
	    (pm = plus_form(t, q, pc)) != 0) {
		/* {2+.}, {-1%.gz}: a --plus form on a position. */
		if (pm < 0) {
			*err = true;
			return 0;
		}
		m = (size_t)pm;
		pc->mod = PIECE_PLUS;
	}
	if (m == 0 || (neg && pos == 0))
		return 0;
	pc->kind = pos == 0 ? pc->mod : PIECE_POS;
	if (pos == 0 && pc->plus != NULL)
		pc->kind = PIECE_PLUS;
	pc->pos = neg ? -pos : pos;
	return (size_t)(q - p) + m;
}

/* --plus strings that need the job, not the value. */
static const struct plus_job {
	const char *text;
	enum piece_kind kind;
	unsigned filter;
	bool only; /* means nothing but this (see repl_at) */
} plus_job[] = {
    {"{##}", PIECE_TOTAL, 0, true},
    {"{0#}", PIECE_SEQ0, 0, true},
    {"{0%}", PIECE_SLOT0, 0, true},
    {"{slot}", PIECE_SLOT, 0, false},
    {"{uniq}", PIECE_RECORD, TEMPLATE_UNIQ, false},
    {"{choose_k}", PIECE_RECORD, TEMPLATE_CHOOSE_K, false},
    /* Where a job runs: this machine, as GNU parallel names it. */
    {"{host}", PIECE_HOST, 0, false},
    {"{sshlogin}", PIECE_SSHLOGIN, 0, false},
    {"{agrp}", PIECE_NOTHING, 0, false},
    {"{hgrp}", PIECE_NOTHING, 0, false},
};

static const struct plus_job *
plus_job_at(const char *p)
{
	size_t i;

	for (i = 0; i < sizeof plus_job / sizeof plus_job[0]; i++)
		if (strncmp(p, plus_job[i].text, strlen(plus_job[i].text)) == 0)
			return &plus_job[i];
	return NULL;
}

/* The replacement string at p, into pc: its length, or 0. */
static size_t
repl_at(struct template *t, const char *p, struct piece *pc, bool *err)
{
	size_t i, n = *p == '{' ? positional(t, p, pc, err) : 0;
	const struct plus_job *job;
	long pm;

	for (i = 0; n == 0 && !*err && i < TEMPLATE_NREPL; i++) {
		if (*p != t->repl[i][0] ||
		    strncmp(p, t->repl[i], strlen(t->repl[i])) != 0)
			continue;
		n = strlen(t->repl[i]);
		pc->kind = t->repl_kind[i];
	}
	if (n > 0 || *err || *p != '{')
		return n;
	job = plus_job_at(p);
	if (!t->conf.plus) {
		/* A --plus string that means nothing else is a mistake
		 * without --plus, not text (GNU parallel would pass it on
		 * as it is). */
		if ((job != NULL && job->only) || plus_fixed(p + 1)) {
			t->why = "a --plus replacement string ({+.}, {..}, "
			         "{##}...) without --plus: add --plus";
			*err = true;
		}
		return 0;
	}
	if (job != NULL) {
		pc->kind = job->kind;
		t->filters |= job->filter;
		return strlen(job->text);
	}
	pm = plus_form(t, p + 1, pc);
	if (pm < 0)
		*err = true;
	if (pm <= 0)
		return 0;
	pc->kind = PIECE_PLUS;
	return (size_t)pm + 1;
}

static int
parse_arg(struct template *t, struct targ *a, const char *s, bool *has_repl)
{
	const char *lit = s, *p;
	struct piece pc;
	bool err = false;
	size_t n = 0;

	for (p = s; *p != '\0'; p += n) {
		memset(&pc, 0, sizeof pc);
		n = repl_at(t, p, &pc, &err);
		if (err) {
			errno = EINVAL;
			return -1;
		}
		if (n == 0) {
			n = 1;
			continue;
		}
		if ((p > lit && add_piece(a, PIECE_LITERAL, lit,
		                          (size_t)(p - lit)) == -1) ||
		    add_piece(a, pc.kind, pc.lit, pc.len) == -1) {
			if (pc.plus != NULL)
				plus_free(pc.plus);
			free(pc.plus);
			return -1;
		}
		a->pieces[a->npieces - 1].mod = pc.mod;
		a->pieces[a->npieces - 1].pos = pc.pos;
		a->pieces[a->npieces - 1].plus = pc.plus;
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
free_targ(struct targ *a)
{
	size_t j;

	for (j = 0; j < a->npieces; j++) {
		if (a->pieces[j].plus != NULL)
			plus_free(a->pieces[j].plus);
		free(a->pieces[j].plus);
	}
	free(a->pieces);
	a->pieces = NULL;
	a->npieces = 0;
}

static void
free_args(struct template *t)
{
	int i;

	for (i = 0; (size_t)i < t->nargs && t->args != NULL; i++)
		free_targ(&t->args[i]);
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
			/* The words take over the pieces (and their plus). */
			rc = split_words(&one, &words, &n);
			free(one.pieces);
			continue;
		}
		if (rc == 0) {
			struct targ *grown =
			    realloc(words, (n + 1) * sizeof *words);

			if (grown == NULL) {
				free_targ(&one);
				rc = -1;
				break;
			}
			words = grown;
			words[n++] = one;
		} else {
			free_targ(&one);
		}
	}
	t->args = words;
	t->nargs = n;
	t->append = !has_repl && !t->conf.string;
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

/* Bytes v takes in a command: quoted in a script. */
static size_t
value_len(const struct template *t, const char *v, size_t len)
{
	struct buf q = BUF_INIT;
	size_t n = len;

	if (values_quoted(t)) {
		n = shquote(&q, v, len) == 0 ? q.len : 4 * len + 2;
		buf_free(&q);
	}
	return n;
}

size_t
template_fixed_cost(const struct template *t, bool pointers)
{
	size_t ptr = pointers ? sizeof(char *) : 0;
	/* Each word: its text, a NUL, and its pointer in argv. */
	size_t n = ptr, i, j;

	/* --max-chars counts a script, not the shell that runs it. */
	if (t->conf.shell && pointers)
		n += strlen(t->conf.shell_path ? t->conf.shell_path
		                               : "/bin/sh") +
		     sizeof "-c" + 3 * ptr;
	for (i = 0; i < t->nargs; i++) {
		size_t w = 0, uses = 0;

		for (j = 0; j < t->args[i].npieces; j++) {
			const struct piece *pc = &t->args[i].pieces[j];

			if (per_record(pc->kind))
				uses++;
			else
				w += pc->kind == PIECE_LITERAL
				         ? value_len(t, pc->lit, pc->len)
				         : 24; /* {#}, {%}, a position: about */
		}
		/* A word holding {}: with -X all of it comes with each value
		 * (template_value_cost); else its text is here and each
		 * value brings its own word's end. */
		if (uses > 0 && t->conf.per_value)
			continue;
		n += w;
		if (uses == 0)
			n += 1 + (t->conf.shell ? t->args[i].gaplen : ptr);
	}
	return n;
}

size_t
template_value_cost(const struct template *t, const char *v, size_t len,
                    bool pointers)
{
	size_t q = value_len(t, v, len), n = 0, i, j, lit, uses;
	size_t word = 1 + (t->conf.shell || !pointers ? 0 : sizeof(char *));

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
                    const struct template_conf *conf, const char **why)
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
		if (why != NULL)
			*why = t->why ? t->why : "out of memory";
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
	return template_parse_with(tp, argc, argv, &conf, NULL);
}

int
template_bind_names(struct template *t, const char *names, size_t n)
{
	t->names = names;
	t->nnames = n;
	free_args(t);
	return parse_all(t);
}

unsigned
template_filters(const struct template *t)
{
	return t->filters;
}

bool
template_needs_total(const struct template *t)
{
	size_t i, j;

	for (i = 0; i < t->nargs; i++)
		for (j = 0; j < t->args[i].npieces; j++)
			if (t->args[i].pieces[j].kind == PIECE_TOTAL ||
			    t->args[i].pieces[j].kind == PIECE_SEQ0)
				return true;
	return false;
}

void
template_set_total(struct template *t, uint64_t total)
{
	t->total = total;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free_args(t);
	free(t);
}
