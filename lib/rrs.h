/*
 * --rrs (--remove-rec-sep): a block with its record separators taken
 * out, as GNU parallel takes them: every record end followed by a record
 * start (recend then recstart) inside the block, a record start at its
 * very start and a record end at its very end.  With the default record
 * end (a newline) that is every newline.
 *
 * Pure: bytes in, bytes out, streamed: a separator cut between two
 * pieces is still found, so at most a separator's length minus one is
 * held back until more comes or the block ends.
 */
#ifndef PMAPF_RRS_H
#define PMAPF_RRS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct rrs {
	char sep[512]; /* recend then recstart */
	size_t end_len, start_len;
	struct buf held; /* looked at, not yet given out */
	struct buf tail; /* given out of held, but may end the block */
	bool at_start;   /* nothing of the block given out yet */
};

void rrs_init(struct rrs *r, const char *recend, size_t end_len,
              const char *recstart, size_t start_len);
void rrs_free(struct rrs *r);
/* A new block begins (what was held is dropped). */
void rrs_begin(struct rrs *r);
/* The next n bytes of the block: what can be given out already is
 * appended to out.  0, or -1 (ENOMEM). */
int rrs_filter(struct rrs *r, const char *p, size_t n, struct buf *out);
/* The block ends: the rest, less a record end at its very end. */
int rrs_end(struct rrs *r, struct buf *out);

#endif
