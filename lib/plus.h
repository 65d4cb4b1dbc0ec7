/*
 * GNU parallel's --plus replacement strings, on one value: the path
 * pieces ({+/} {+.} {..} {/...}...) and the ones modelled on bash's
 * parameter expansion ({:-str} {:2} {:1:3} {#re} {##re} {%re} {%%re}
 * {/re/str} {//re/str} {/#re/str} {/%re/str} {^re} {^^re} {,re}
 * {,,re}), re being a Perl regex as --colsep's.  {##} {0#} {0%} {slot}
 * need the job, and are the template's.  Pure: text in, text out.
 */
#ifndef PMAPF_PLUS_H
#define PMAPF_PLUS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "perlre.h"

enum plus_op {
	PLUS_DIRNAME,   /* {+/} */
	PLUS_EXT,       /* {+.}, {+..}, {+...}: n extensions */
	PLUS_NOEXT,     /* {..}, {...} */
	PLUS_BASENOEXT, /* {/..}, {/...} */
	PLUS_DEFAULT,   /* {:-str} */
	PLUS_SKIP,      /* {:n} */
	PLUS_SUBSTR,    /* {:pos:len} */
	PLUS_PREFIX,    /* {#re} shortest, {##re} longest */
	PLUS_SUFFIX,    /* {%re} shortest, {%%re} longest */
	PLUS_REPLACE,   /* {/re/str}, {//re/str}, {/#re/str}, {/%re/str} */
	PLUS_UPPER,     /* {^re}, {^^re} */
	PLUS_LOWER      /* {,re}, {,,re} */
};

struct plus {
	enum plus_op op;
	size_t n, len; /* extensions; {:n}, {:pos:len} */
	bool all;      /* longest, every match */
	int anchor;    /* PLUS_REPLACE: PERLRE_START, PERLRE_END or 0 */
	bool has_re;
	struct perlre re;
	const char *str; /* {:-str}, the replacement: into the template */
	size_t strlen;
};

/*
 * At p, the text after a '{' (and after a position, {2...}): a --plus
 * form ending in '}'?  1 with *pl filled and *used the bytes taken
 * (through the '}'); 0 if not one; -1 with *why for a regex that cannot
 * be used (errno EINVAL) or ENOMEM.
 */
int plus_parse(const char *p, struct plus *pl, size_t *used, const char **why);
/* At p (after '{'): one of the path pieces ({+/} {+.} {..}...), which
 * mean nothing but --plus forms? */
bool plus_fixed(const char *p);
void plus_free(struct plus *pl);
/* Append the form applied to v[0..n).  0, or -1/errno. */
int plus_apply(const struct plus *pl, const char *v, size_t n, struct buf *out);

#endif
