/*
 * A set of bytes 0..255: what a regex class matches, or the bytes a
 * match can begin with.  The --colsep translator (perlre_ere.c) turns
 * every Perl class into one of these and writes it out as explicit
 * bytes, so a class means the same bytes in the ERE as in Perl whatever
 * the locale, and so it can ask whether two pieces can start alike.
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_BYTESET_H
#define PMAPF_BYTESET_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* All zero bytes (memset, = {0}) is the empty set. */
struct byteset {
	unsigned char b[32];
};

void byteset_add(struct byteset *s, int c);
bool byteset_has(const struct byteset *s, int c);
void byteset_or(struct byteset *d, const struct byteset *s);
void byteset_not(struct byteset *s);
/* Whether a and b share a byte: two pieces could start alike. */
bool byteset_meets(const struct byteset *a, const struct byteset *b);

/*
 * The classes as Perl has them on bytes (ASCII's, the "C" locale's),
 * never the running locale's.  byteset_perl_class: *s becomes \c for c
 * one of "dswhv", the complement for "DSWHV"; -1, *s as it was, for any
 * other c.  byteset_posix_class: *s becomes [:name:] for name[0..n) (not
 * NUL-terminated), complemented if negate; -1 for an unknown name.
 */
int byteset_perl_class(struct byteset *s, int c);
int byteset_posix_class(struct byteset *s, const char *name, size_t n,
                        bool negate);

/*
 * Bytes an ERE needs escaped to mean themselves.  Public because whoever
 * reads a one-byte set back out of byteset_to_ere's output (perlre's
 * memchr shortcut) must know which bytes it escaped.
 */
extern const char byteset_ere_special[];

/*
 * Append s to out as an ERE for regcomp in the "C" locale: the byte
 * itself (escaped if special) when s holds one, else a bracket
 * expression.  0; -1 with errno EINVAL when s is empty (no ERE matches
 * nothing), or ENOMEM with part of the ERE possibly appended.
 */
int byteset_to_ere(const struct byteset *s, struct buf *out);

#endif
