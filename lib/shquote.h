/* Quoting for sh: a string as one word a person can paste into a shell. */
#ifndef PMAPF_SHQUOTE_H
#define PMAPF_SHQUOTE_H

#include <stddef.h>

#include "buf.h"

/* Append s quoted only if it needs it: 'it'\''s', '' for empty.  0, or
 * -1/ENOMEM. */
int shquote(struct buf *b, const char *s, size_t len);

/* A command given as one string (--ssh, --srun) split into words at
 * blanks, no quoting: *v NULL-ended, malloc'd, *n words.  0, or -1 with
 * errno EINVAL (no word) or ENOMEM (*v then holds what was split; free
 * it either way with words_free). */
int words_split(const char *s, char ***v, size_t *n);
void words_free(char **v);

#endif
