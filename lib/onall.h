/*
 * --onall, --nonall: every job on every host (-S).  The jobs made from
 * the input (all of it, read first) are the base; each host runs a copy
 * of every one, one at a time and in input order, at its own pace, as
 * GNU parallel runs a parallel of its own per host.  Copies are numbered
 * host by host (the first host's 1..n, the second's n+1..2n), so output
 * in input order comes grouped by host, as GNU parallel's does.
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_ONALL_H
#define PMAPF_ONALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job.h"

struct onall {
	struct job **base;
	size_t n, cap;
	unsigned hosts;
	size_t *next;  /* per host: its next base job */
	unsigned turn; /* the host offered a job first next time */
	bool ready;    /* every base job is in */
};

int onall_init(struct onall *a, unsigned hosts);
/* One more base job (the onall takes it). */
int onall_add(struct onall *a, struct job *j);
/*
 * The next copy to start: for the first host, from a turn that goes
 * round, that has base jobs left, whose copy is numbered within max_seq
 * and that host_free (ctx, host from 1) says can run one now.  Its pin is
 * its host.  NULL: none now (*failed: for lack of memory).
 */
struct job *onall_next(struct onall *a, struct job_cache *c,
                       bool (*host_free)(void *ctx, unsigned host), void *ctx,
                       uint64_t max_seq, bool *failed);
/* Copies given so far. */
uint64_t onall_given(const struct onall *a);
/* Every copy has been given. */
bool onall_done(const struct onall *a);
void onall_free(struct onall *a, struct job_cache *c);

#endif
