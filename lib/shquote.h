/* Quoting for sh: a string as one word a person can paste into a shell. */
#ifndef PMAPF_SHQUOTE_H
#define PMAPF_SHQUOTE_H

#include <stddef.h>

#include "buf.h"

/* Append s quoted only if it needs it: 'it'\''s', '' for empty.  0, or
 * -1/ENOMEM. */
int shquote(struct buf *b, const char *s, size_t len);

#endif
