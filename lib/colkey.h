/*
 * A line's key: the value of one of its columns (--shard, --bin,
 * --group-by), split by --colsep (a tab by default), the column given by
 * number or by the name a header line gives it.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_COLKEY_H
#define PMAPF_COLKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "perlre.h"

struct colkey {
	const char *opt; /* the option, for messages */
	struct perlre sep;
	bool compiled;
	size_t col;       /* from 0 */
	const char *name; /* given by name: until the header is seen */
	struct buf last;  /* colkey_same: the last line's key */
	bool last_set;
};

/* Column col (from 1), or the one named name (col 0); --colsep colsep
 * (NULL: a tab). */
int colkey_init(struct colkey *k, const char *opt, size_t col, const char *name,
                const char *colsep);
void colkey_free(struct colkey *k);
/* A header line names the columns: which is the key's (if by name). */
int colkey_header(struct colkey *k, const char *line, size_t len);
/* The key of line[0..len) (its end not included). */
void colkey_of(const struct colkey *k, const char *line, size_t len,
               const char **v, size_t *n);
/* --group-by, for blockcut_group: whether the line's key is the last
 * line's; it becomes the last. */
bool colkey_same(void *k, const char *line, size_t len);

#endif
