#include "config.h"

#include "perlre.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "byteset.h"

/* The byte a translated pattern is when it is just one, else -1. */
static int
one_byte(const char *ere, size_t n)
{
	if (n == 1 && strchr(byteset_ere_special, ere[0]) == NULL)
		return (unsigned char)ere[0];
	if (n == 2 && ere[0] == '\\')
		return (unsigned char)ere[1];
	return -1;
}

/* anchor: PERLRE_START and PERLRE_END wrap the pattern in ^( )$;
 * split: refuse a pattern that can match the empty string. */
static int
compile(struct perlre *pr, const char *src, int anchor, bool split,
        const char **why)
{
	struct buf ere = BUF_INIT;
	locale_t old;
	int e = REG_ESPACE;

	memset(pr, 0, sizeof *pr);
	if ((anchor & PERLRE_START) && buf_appends(&ere, "^") == -1)
		goto fail;
	if (anchor && buf_appends(&ere, "(") == -1)
		goto fail;
	if ((anchor == (PERLRE_START | PERLRE_END)
	         ? perlre_to_ere_whole(src, &ere, why)
	         : perlre_to_ere(src, &ere, why)) == -1) {
		buf_free(&ere);
		return -1;
	}
	if ((anchor && buf_appends(&ere, ")") == -1) ||
	    ((anchor & PERLRE_END) && buf_appends(&ere, "$") == -1))
		goto fail;
	if (buf_appendc(&ere, '\0') == -1)
		goto fail;
	/* Bytes are characters in "C", as they are to Perl here. */
	pr->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (pr->c_locale == (locale_t)0)
		goto fail;
	old = uselocale(pr->c_locale);
	e = regcomp(&pr->re, ere.data, REG_EXTENDED);
	if (e == 0 && split && regexec(&pr->re, "", 0, NULL, 0) == 0) {
		regfree(&pr->re);
		e = REG_BADPAT;
		*why = "it can match the empty string";
	} else if (e != 0) {
		*why = "the translated pattern does not compile";
	}
	(void)uselocale(old);
	if (e != 0)
		goto fail;
	pr->lit = anchor ? -1 : one_byte(ere.data, ere.len - 1);
	buf_free(&ere);
	return 0;
fail:
	if (pr->c_locale != (locale_t)0)
		freelocale(pr->c_locale);
	buf_free(&ere);
	if (e == REG_ESPACE)
		*why = "out of memory";
	errno = e == REG_ESPACE ? ENOMEM : EINVAL;
	return -1;
}

int
perlre_compile(struct perlre *pr, const char *src, const char **why)
{
	return compile(pr, src, 0, true, why);
}

int
perlre_compile_match(struct perlre *pr, const char *src, int anchor,
                     const char **why)
{
	return compile(pr, src, anchor, false, why);
}

int
perlre_exec(const struct perlre *pr, const char *s, size_t len, size_t from,
            size_t *so, size_t *eo)
{
	regmatch_t m;
	locale_t old;
	int e;

	if (len > INT_MAX) { /* glibc's regoff_t is an int */
		errno = EOVERFLOW;
		return -1;
	}
	m.rm_so = (regoff_t)from;
	m.rm_eo = (regoff_t)len;
	old = uselocale(pr->c_locale);
	e = regexec(&pr->re, len ? s : "", 1, &m,
	            REG_STARTEND | (from > 0 ? REG_NOTBOL : 0));
	(void)uselocale(old);
	if (e == REG_NOMATCH)
		return 0;
	if (e != 0) {
		errno = ENOMEM;
		return -1;
	}
	*so = (size_t)m.rm_so;
	*eo = (size_t)m.rm_eo;
	return 1;
}

void
perlre_free(struct perlre *pr)
{
	regfree(&pr->re);
	freelocale(pr->c_locale);
}

int
perlre_split(const struct perlre *pr, const char *rec, size_t len,
             int (*emit)(void *ctx, const char *f, size_t n), void *ctx)
{
	regmatch_t m;
	locale_t old;
	size_t at = 0, so, eo;
	const char *q;
	int e;

	if (len == 0)
		return 0;
	if (pr->lit < 0 && len > INT_MAX) { /* glibc's regoff_t is an int */
		errno = EOVERFLOW;
		return -1;
	}
	while (at < len) {
		if (pr->lit >= 0) {
			if ((q = memchr(rec + at, pr->lit, len - at)) == NULL)
				break;
			so = (size_t)(q - rec);
			eo = so + 1;
		} else {
			/* REG_STARTEND: rec needs no NUL and no copy, and
			 * ^ still knows where the record begins. */
			m.rm_so = (regoff_t)at;
			m.rm_eo = (regoff_t)len;
			old = uselocale(pr->c_locale);
			e = regexec(&pr->re, rec, 1, &m,
			            REG_STARTEND | (at > 0 ? REG_NOTBOL : 0));
			(void)uselocale(old);
			if (e == REG_NOMATCH)
				break;
			if (e != 0) {
				errno = ENOMEM;
				return -1;
			}
			so = (size_t)m.rm_so;
			eo = (size_t)m.rm_eo;
			if (eo <= so) /* compile refused empty matches */
				break;
		}
		if ((e = emit(ctx, rec + at, so - at)) != 0)
			return e;
		at = eo;
	}
	return emit(ctx, rec + at, len - at);
}

/* perlre_field's search: counts fields up to the one wanted. */
struct field_at {
	size_t want, seen;
	const char *f;
	size_t n;
};

static int
field_at(void *ctx, const char *f, size_t n)
{
	struct field_at *a = ctx;

	if (a->seen++ < a->want)
		return 0;
	a->f = f;
	a->n = n;
	return 1;
}

int
perlre_field(const struct perlre *pr, const char *rec, size_t len, size_t k,
             const char **f, size_t *n)
{
	struct field_at a = {k, 0, "", 0};
	int rc = perlre_split(pr, rec, len, field_at, &a);

	*f = a.f;
	*n = a.n;
	return rc < 0 ? -1 : rc;
}

int
perlre_field_named(const struct perlre *pr, const char *rec, size_t len,
                   const char *name, size_t *k)
{
	size_t want = strlen(name), n;
	const char *f;
	int rc;

	for (*k = 0; (rc = perlre_field(pr, rec, len, *k, &f, &n)) == 1; ++*k)
		if (n == want && memcmp(f, name, want) == 0)
			return 1;
	return rc;
}
