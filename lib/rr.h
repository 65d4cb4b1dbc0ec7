/*
 * --round-robin's jobs: the few long-lived jobs that take block after
 * block, and which of them takes the next one.
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_RR_H
#define PMAPF_RR_H

#include <stdbool.h>
#include <stddef.h>

#include "job.h"

struct rr {
	struct job **v;
	size_t n, max;
	size_t next; /* where the search for a taker starts (ties go round) */
};

int rr_init(struct rr *r, size_t max);
void rr_free(struct rr *r);
/* As many jobs as may run: no new one is made for a block. */
bool rr_full(const struct rr *r);
void rr_add(struct rr *r, struct job *j);
void rr_remove(struct rr *r, struct job *j);
/* The job to begin the next block with: of those running with nothing
 * waiting for them in pmapf, the one with the least in its stdin pipe
 * still to read (as FIONREAD tells), so blocks go where they are taken
 * fastest.  NULL if there is none. */
struct job *rr_pick(struct rr *r);
/* No more blocks: each job's stdin ends once what waits for it is in. */
void rr_end_input(struct rr *r);

#endif
