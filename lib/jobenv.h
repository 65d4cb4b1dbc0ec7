/*
 * The environment a job starts with: pmapf's own, plus PARALLEL_SEQ (its
 * sequence number) and PARALLEL_JOBSLOT (its slot), as GNU parallel sets
 * them, so scripts written for it find them.  Built once; a job costs two
 * small formats, no allocation.
 */
#ifndef PMAPF_JOBENV_H
#define PMAPF_JOBENV_H

#include <stddef.h>
#include <stdint.h>

struct jobenv {
	char **envp; /* environ, less any PARALLEL_SEQ/JOBSLOT, then ours */
	size_t at;   /* where ours begin */
	char seq[40];
	char slot[40];
};

/* From environ.  0, or -1/ENOMEM. */
int jobenv_init(struct jobenv *e);
void jobenv_free(struct jobenv *e);
/* The environment for this job: seq 0 leaves PARALLEL_SEQ out (a
 * worker, which runs many). */
char *const *jobenv_for(struct jobenv *e, uint64_t seq, unsigned slot);

#endif
