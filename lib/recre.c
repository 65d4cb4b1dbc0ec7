/* --regexp: record ends by regular expressions (see recre.h). */
#include "config.h"

#include "recre.h"

#include <errno.h>
#include <string.h>

/* A pattern that matches nothing at some place (\b) ends no record
 * there: refused, as one that matches the empty string is.  Tried at
 * every place of a string with words, blanks, digits and a newline. */
static bool
zero_width(const struct perlre *re)
{
	static const char probe[] = "ab a\n\t1,.x\n";
	size_t at, so, eo;

	for (at = 0; at < sizeof probe - 1; at++)
		if (perlre_exec(re, probe, sizeof probe - 1, at, &so, &eo) ==
		        1 &&
		    so == eo)
			return true;
	return false;
}

int
recre_init(struct recre *r, const char *recend, const char *recstart,
           const char **what, const char **why)
{
	memset(r, 0, sizeof *r);
	if (recend != NULL && recend[0] != '\0') {
		*what = "--recend";
		if (perlre_compile(&r->end, recend, why) == -1)
			return -1;
		r->has_end = true;
		if (zero_width(&r->end)) {
			*why = "it can match nothing at some place";
			recre_free(r);
			errno = EINVAL;
			return -1;
		}
	}
	if (recstart != NULL && recstart[0] != '\0') {
		*what = "--recstart";
		if (perlre_compile(&r->start, recstart, why) == -1) {
			recre_free(r);
			return -1;
		}
		r->has_start = true;
		if (zero_width(&r->start)) {
			*why = "it can match nothing at some place";
			recre_free(r);
			errno = EINVAL;
			return -1;
		}
	}
	if (!r->has_end && !r->has_start) {
		*what = "--recend/--recstart";
		*why = "both are empty";
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void
recre_free(struct recre *r)
{
	if (r->has_end)
		perlre_free(&r->end);
	if (r->has_start)
		perlre_free(&r->start);
	r->has_end = r->has_start = false;
}

/* Nothing found from `from` on: all but what a match reaching the end
 * might still grow from is decided. */
static bool
none(size_t n, size_t from, bool eof, size_t *decided)
{
	*decided =
	    eof || n < from + REGEX_SPAN ? (eof ? n : from) : n - REGEX_SPAN;
	return false;
}

/* Does a --recstart match begin at at?  1 yes, 0 no, -1 not known yet
 * (it would reach the end of what is shown). */
static int
starts_at(const struct recre *r, const char *d, size_t n, size_t at, bool eof)
{
	size_t so, eo;

	if (!r->has_start)
		return 1;
	if (at == n)
		return eof ? 0 : -1;
	if (perlre_exec(&r->start, d, n, at, &so, &eo) != 1 || so != at)
		return !eof && n - at < REGEX_SPAN ? -1 : 0;
	return eo == n && !eof ? -1 : 1;
}

bool
recre_find(void *ctx, const char *d, size_t n, size_t from, bool eof, size_t *p,
           size_t *decided)
{
	const struct recre *r = ctx;
	size_t at = from > 0 ? from - 1 : 0, so, eo;
	int s;

	if (from < 1)
		from = 1;
	while (at <= n) {
		const struct perlre *re = r->has_end ? &r->end : &r->start;

		if (perlre_exec(re, d, n, at, &so, &eo) != 1)
			return none(n, at, eof, decided);
		/* --recstart alone: the record ends where it begins. */
		if (!r->has_end)
			eo = so;
		if (eo < from) {
			at = eo > so ? eo : so + 1;
			continue;
		}
		if (r->has_end && eo == n && !eof) {
			*decided = so; /* it may go on */
			return false;
		}
		s = starts_at(r, d, n, eo, eof);
		if (s == 1) {
			*p = eo;
			return true;
		}
		if (s == -1) {
			*decided = so;
			return false;
		}
		at = eo > so ? eo : so + 1;
	}
	return none(n, n, eof, decided);
}
