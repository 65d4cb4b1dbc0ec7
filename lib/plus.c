#include "config.h"

#include "plus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Fixed forms: the text after '{'. */
static const struct {
	const char *text;
	enum plus_op op;
	size_t n;
} fixed[] = {
    {"+/}", PLUS_DIRNAME, 0},    {"+.}", PLUS_EXT, 1},
    {"+..}", PLUS_EXT, 2},       {"+...}", PLUS_EXT, 3},
    {"..}", PLUS_NOEXT, 2},      {"...}", PLUS_NOEXT, 3},
    {"/..}", PLUS_BASENOEXT, 2}, {"/...}", PLUS_BASENOEXT, 3},
};

/* Digits at *p: the number, or -1 (none, or too big). */
static long
number(const char **p)
{
	long v = 0;

	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9') {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

static int
regex(struct plus *pl, const char *p, size_t n, int anchor, const char **why)
{
	char *src = strndup(p, n);
	int rc;

	if (src == NULL) {
		*why = "out of memory";
		return -1;
	}
	rc = perlre_compile_match(&pl->re, src, anchor, why);
	free(src);
	if (rc == 0)
		pl->has_re = true;
	return rc;
}

/* {:-str} {:n} {:pos:len}: p after the ':'. */
static int
colon(const char *p, struct plus *pl, size_t *used, const char *start)
{
	const char *q = p, *end;
	long a, b;

	if (*q == '-') {
		end = strchr(q + 1, '}');
		if (end == NULL || end == q + 1)
			return 0;
		pl->op = PLUS_DEFAULT;
		pl->str = q + 1;
		pl->strlen = (size_t)(end - q - 1);
		*used = (size_t)(end + 1 - start);
		return 1;
	}
	if ((a = number(&q)) < 0)
		return 0;
	pl->n = (size_t)a;
	pl->op = PLUS_SKIP;
	if (*q == ':') {
		q++;
		if ((b = number(&q)) < 0)
			return 0;
		pl->op = PLUS_SUBSTR;
		pl->len = (size_t)b;
	}
	if (*q != '}')
		return 0;
	*used = (size_t)(q + 1 - start);
	return 1;
}

bool
plus_fixed(const char *p)
{
	size_t i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strncmp(p, fixed[i].text, strlen(fixed[i].text)) == 0)
			return true;
	return false;
}

int
plus_parse(const char *p, struct plus *pl, size_t *used, const char **why)
{
	const char *q, *end, *mid;
	size_t i;

	memset(pl, 0, sizeof *pl);
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strncmp(p, fixed[i].text, strlen(fixed[i].text)) == 0) {
			pl->op = fixed[i].op;
			pl->n = fixed[i].n;
			*used = strlen(fixed[i].text);
			return 1;
		}
	if (*p == ':')
		return colon(p + 1, pl, used, p);
	/* The rest hold a regex (and a string), up to the first '}'. */
	end = strchr(p, '}');
	if (end == NULL)
		return 0;
	*used = (size_t)(end + 1 - p);
	q = p + 1;
	switch (*p) {
	case '#':
	case '%':
		pl->op = *p == '#' ? PLUS_PREFIX : PLUS_SUFFIX;
		if (*q == *p) {
			pl->all = true;
			q++;
		}
		/* {#} {%} {##} are other strings; {###} is not a form. */
		if (q == end || *q == '#' || *q == '%')
			return 0;
		return regex(pl, q, (size_t)(end - q),
		             PERLRE_START | PERLRE_END, why) == -1
		           ? -1
		           : 1;
	case '^':
	case ',':
		pl->op = *p == '^' ? PLUS_UPPER : PLUS_LOWER;
		if (*q == *p) {
			pl->all = true;
			q++;
		}
		if (q == end)
			return 0;
		return regex(pl, q, (size_t)(end - q),
		             pl->all ? 0 : PERLRE_START, why) == -1
		           ? -1
		           : 1;
	case '/':
		pl->op = PLUS_REPLACE;
		if (*q == '/')
			pl->all = true, q++;
		else if (*q == '#')
			pl->anchor = PERLRE_START, q++;
		else if (*q == '%')
			pl->anchor = PERLRE_END, q++;
		mid = memchr(q, '/', (size_t)(end - q));
		if (mid == NULL || mid == q)
			return 0;
		pl->str = mid + 1;
		pl->strlen = (size_t)(end - mid - 1);
		return regex(pl, q, (size_t)(mid - q), pl->anchor, why) == -1
		           ? -1
		           : 1;
	default:
		return 0;
	}
}

void
plus_free(struct plus *pl)
{
	if (pl->has_re)
		perlre_free(&pl->re);
	pl->has_re = false;
}

/* The start of k trailing extensions (\.[^/.]*){k}$, or n if none. */
static size_t
exts(const char *v, size_t n, size_t k)
{
	size_t i = n;

	while (k-- > 0) {
		while (i > 0 && v[i - 1] != '.' && v[i - 1] != '/')
			i--;
		if (i == 0 || v[i - 1] != '.')
			return n;
		i--;
	}
	return i;
}

/* Does v[a..b) match ^(re)$ whole?  *hit; 0, or -1/errno. */
static int
whole(const struct plus *pl, const char *v, size_t a, size_t b, bool *hit)
{
	size_t so, eo;
	int r = perlre_exec(&pl->re, v + a, b - a, 0, &so, &eo);

	*hit = r == 1;
	return r < 0 ? -1 : 0;
}

/* One match of a {/re/str}, {^re}, {,re} form, rewritten into out. */
static int
rewrite(const struct plus *pl, const char *m, size_t n, struct buf *out)
{
	size_t i;

	if (pl->op == PLUS_REPLACE)
		return buf_append(out, pl->str, pl->strlen);
	for (i = 0; i < n; i++) {
		char c = m[i];

		if (pl->op == PLUS_UPPER && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (pl->op == PLUS_LOWER && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (buf_appendc(out, c) == -1)
			return -1;
	}
	return 0;
}

/* The first match (every match for //, ^^, ,,) rewritten, the rest of v
 * as it is. */
static int
each_match(const struct plus *pl, const char *v, size_t n, struct buf *out)
{
	size_t at = 0, so, eo;
	int r;

	while (at <= n) {
		r = perlre_exec(&pl->re, v, n, at, &so, &eo);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (buf_append(out, v + at, so - at) == -1 ||
		    rewrite(pl, v + so, eo - so, out) == -1)
			return -1;
		at = eo;
		if (!pl->all)
			break;
		if (eo == so) { /* an empty match: step past one byte */
			if (at < n && buf_appendc(out, v[at]) == -1)
				return -1;
			at++;
		}
	}
	return at < n ? buf_append(out, v + at, n - at) : 0;
}

int
plus_apply(const struct plus *pl, const char *v, size_t n, struct buf *out)
{
	const char *slash;
	size_t i, cut;
	bool hit = false;

	switch (pl->op) {
	case PLUS_DIRNAME:
		for (i = n; i > 0 && v[i - 1] != '/'; i--)
			;
		return i > 0 ? buf_append(out, v, i - 1) : 0;
	case PLUS_EXT:
		cut = exts(v, n, pl->n);
		if (pl->n == 1) { /* GNU: after the last dot, slash or not */
			for (i = n; i > 0 && v[i - 1] != '.'; i--)
				;
			return i > 0 ? buf_append(out, v + i, n - i) : 0;
		}
		return cut < n ? buf_append(out, v + cut + 1, n - cut - 1) : 0;
	case PLUS_NOEXT:
		return buf_append(out, v, exts(v, n, pl->n));
	case PLUS_BASENOEXT:
		slash = NULL;
		for (i = n; i > 0; i--)
			if (v[i - 1] == '/') {
				slash = v + i;
				break;
			}
		if (slash != NULL) {
			n -= (size_t)(slash - v);
			v = slash;
		}
		return buf_append(out, v, exts(v, n, pl->n));
	case PLUS_DEFAULT:
		return n > 0 ? buf_append(out, v, n)
		             : buf_append(out, pl->str, pl->strlen);
	case PLUS_SKIP:
		return pl->n < n ? buf_append(out, v + pl->n, n - pl->n) : 0;
	case PLUS_SUBSTR:
		if (pl->n >= n)
			return 0;
		return buf_append(out, v + pl->n,
		                  pl->len < n - pl->n ? pl->len : n - pl->n);
	case PLUS_PREFIX:
		/* The shortest (or longest) prefix that matches whole. */
		for (i = 0; i <= n; i++) {
			cut = pl->all ? n - i : i;
			if (whole(pl, v, 0, cut, &hit) == -1)
				return -1;
			if (hit)
				return buf_append(out, v + cut, n - cut);
		}
		return buf_append(out, v, n);
	case PLUS_SUFFIX:
		for (i = 0; i <= n; i++) {
			cut = pl->all ? i : n - i;
			if (whole(pl, v, cut, n, &hit) == -1)
				return -1;
			if (hit)
				return buf_append(out, v, cut);
		}
		return buf_append(out, v, n);
	case PLUS_REPLACE:
	case PLUS_UPPER:
	case PLUS_LOWER:
		return each_match(pl, v, n, out);
	}
	errno = EINVAL;
	return -1;
}
