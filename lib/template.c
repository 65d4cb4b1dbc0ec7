#include "template.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum piece_kind { PIECE_LITERAL, PIECE_RECORD };

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

	while ((p = strstr(p, "{}")) != NULL) {
		if (p > lit &&
		    add_piece(a, PIECE_LITERAL, lit, (size_t)(p - lit)) == -1)
			return -1;
		if (add_piece(a, PIECE_RECORD, NULL, 0) == -1)
			return -1;
		*has_repl = true;
		p += 2;
		lit = p;
	}
	if (*lit != '\0' || a->npieces == 0)
		return add_piece(a, PIECE_LITERAL, lit, strlen(lit));
	return 0;
}

int
template_parse(struct template **tp, int argc, char *const argv[])
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

static int
append_arg_end(struct buf *b)
{
	/* buf_append keeps data NUL-terminated but len must count it. */
	return buf_append(b, "", 1);
}

int
template_expand(const struct template *t, const char *rec, size_t len,
                struct template_out *out)
{
	size_t nargs = (size_t)t->argc + (t->append ? 1 : 0);
	size_t i, j, off;
	char **argv;

	if (memchr(rec, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	buf_reset(&out->strings);
	for (i = 0; i < (size_t)t->argc; i++) {
		const struct targ *a = &t->args[i];

		for (j = 0; j < a->npieces; j++) {
			const struct piece *p = &a->pieces[j];
			int rc =
			    p->kind == PIECE_RECORD
			        ? buf_append(&out->strings, rec, len)
			        : buf_append(&out->strings, p->lit, p->len);
			if (rc == -1)
				return -1;
		}
		if (append_arg_end(&out->strings) == -1)
			return -1;
	}
	if (t->append && (buf_append(&out->strings, rec, len) == -1 ||
	                  append_arg_end(&out->strings) == -1))
		return -1;
	if (out->argv_cap < nargs + 1) {
		argv = realloc(out->argv, (nargs + 1) * sizeof *argv);
		if (argv == NULL)
			return -1;
		out->argv = argv;
		out->argv_cap = nargs + 1;
	}
	/* Pointers are taken last: the buffer may have moved while growing. */
	for (i = 0, off = 0; i < nargs; i++) {
		out->argv[i] = out->strings.data + off;
		off += strlen(out->argv[i]) + 1;
	}
	out->argv[nargs] = NULL;
	return 0;
}

void
template_out_free(struct template_out *out)
{
	buf_free(&out->strings);
	free(out->argv);
	out->argv = NULL;
	out->argv_cap = 0;
}
