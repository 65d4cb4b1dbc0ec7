/* feed.c and feed_order.c: what one asks of the other.  Not a public
 * face. */
#ifndef PMAPF_FEED_INT_H
#define PMAPF_FEED_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "feed.h"

/* The next job as input makes it, values and all, or NULL (none now, or
 * -N waiting for more records in f->filling; *failed: an error). */
struct job *feed_make_job(struct feed *f, bool *failed);
/* --shuf (feed_order.c): the next job in its order, or NULL before all
 * input is in. */
struct job *feed_next_shuffled(struct feed *f, uint64_t max_seq, bool *failed);
/* --onall: once input has ended, every job is a base, copied for each
 * host (onall.h); --nonall: one job, without values. */
struct job *feed_next_on_all(struct feed *f, uint64_t max_seq, bool *failed);

#endif
