/*
 * --regexp: record ends found by Perl regular expressions (--recend,
 * --recstart), as GNU parallel's --regexp takes them: a record ends
 * where a --recend match ends and a --recstart match begins.  A match
 * that reaches the end of the bytes shown may go on with more, so it is
 * decided only once more come (or input ends); a match is taken to be no
 * longer than REGEX_SPAN bytes there.
 *
 * Pure: bytes in, positions out.
 */
#ifndef PMAPF_RECRE_H
#define PMAPF_RECRE_H

#include <stdbool.h>
#include <stddef.h>

#include "perlre.h"

#define REGEX_SPAN 4096

struct recre {
	struct perlre end, start;
	bool has_end, has_start;
};

/* Compile them (either may be empty, not both).  0; or -1 with *what
 * the option and *why a phrase (errno EINVAL or ENOMEM). */
int recre_init(struct recre *r, const char *recend, const char *recstart,
               const char **what, const char **why);
void recre_free(struct recre *r);
/* The first record end p in d[0..n) with p >= from and p >= 1: true
 * with *p set; false with *decided: none lies before it (the rest waits
 * for more bytes, unless eof). */
bool recre_find(void *r, const char *d, size_t n, size_t from, bool eof,
                size_t *p, size_t *decided);

#endif
