/*
 * --colsep: the Perl regular expression GNU parallel users type, turned
 * into a POSIX ERE that splits a record as Perl's split /RE/, $rec, -1.
 *
 * Perl matches bytes here (GNU parallel decodes nothing), so the ERE is
 * written for, compiled in and run in the "C" locale, whatever LC_CTYPE
 * the program runs in: \w, [[:alpha:]] and . mean the same bytes as in
 * Perl, and a UTF-8 locale cannot make a class match a multibyte letter.
 * Every class becomes an explicit byte set ("\s" is "[\t-\r ]", "." is
 * "[^\n]": glibc's "." would not match NUL, Perl's does).
 *
 * Perl takes the first alternative that matches, POSIX the longest
 * match; the two agree when no choice is ever open: alternatives start
 * with different bytes and nothing repeated or optional can start with
 * what follows it.  Patterns where they might differ (":|::", "a*a",
 * "\s*\t") are refused rather than split differently.  One difference
 * is documented instead: Perl's $ and \Z also match before a final
 * newline, the ERE's only at the very end; a record holds no newline
 * unless its delimiter is another byte (-0, -d).
 */
#ifndef PMAPF_PERLRE_H
#define PMAPF_PERLRE_H

#include <locale.h>
#include <regex.h>
#include <stddef.h>

#include "buf.h"

struct perlre {
	regex_t re;
	locale_t c_locale; /* "C": re was compiled in it and runs in it */
	int lit;           /* the one byte the pattern is (memchr), or -1 */
};

/*
 * Translate Perl regex src (NUL-terminated) into a POSIX ERE appended to
 * out, for regcomp(REG_EXTENDED) in the "C" locale.  0; or -1 with errno
 * EINVAL (refused) or ENOMEM, *why a static English phrase either way
 * ("lookaround (?=...) is not supported"), and out as it was.
 */
int perlre_to_ere(const char *src, struct buf *out, const char **why);
/* The same for a pattern only ever matched whole (^(re)$), where Perl
 * and POSIX cannot pick different matches: those refusals are lifted. */
int perlre_to_ere_whole(const char *src, struct buf *out, const char **why);

/*
 * Compile a --colsep: translate, regcomp, and refuse a pattern that can
 * match the empty string (splitting on it means nothing).  0; or -1 with
 * errno EINVAL or ENOMEM and *why a static phrase either way.  Only a
 * compiled perlre goes to perlre_free.
 */
int perlre_compile(struct perlre *pr, const char *src, const char **why);
void perlre_free(struct perlre *pr);

/* For matching (--plus): PERLRE_START and PERLRE_END anchor the whole
 * pattern (^(re), (re)$, ^(re)$); a pattern that matches the empty
 * string is allowed.  As perlre_compile otherwise. */
enum { PERLRE_START = 1, PERLRE_END = 2 };
int perlre_compile_match(struct perlre *pr, const char *src, int anchor,
                         const char **why);
/* The first match in s[from..len) (s[0..from) is before it: ^ cannot
 * match past 0): 1 with *so, *eo set; 0 none; -1/errno. */
int perlre_exec(const struct perlre *pr, const char *s, size_t len, size_t from,
                size_t *so, size_t *eo);

/*
 * Split rec[0..len) (not NUL-terminated; may hold NUL bytes) as Perl's
 * split /re/, $rec, -1: a leading empty field when the record starts
 * with a separator, trailing empty fields kept, and no field at all for
 * an empty record (GNU parallel gives an empty line one empty column:
 * that is the caller's to do).  emit(ctx, field, fieldlen) is called for
 * each field in order, the field pointing into rec.  0, the first
 * non-zero value emit returns, or -1 with errno (ENOMEM from regexec;
 * EOVERFLOW for a record over INT_MAX bytes that needs regexec).
 */
int perlre_split(const struct perlre *pr, const char *rec, size_t len,
                 int (*emit)(void *ctx, const char *f, size_t n), void *ctx);
/* Field k (from 0) of rec as perlre_split splits it ("" past the last):
 * 1 with *f, *n set; 0 if there is no such field; -1/errno. */
int perlre_field(const struct perlre *pr, const char *rec, size_t len, size_t k,
                 const char **f, size_t *n);
/* The field of header rec that is name: 1 with *k set, 0 none, -1. */
int perlre_field_named(const struct perlre *pr, const char *rec, size_t len,
                       const char *name, size_t *k);

#endif
