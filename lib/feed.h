/*
 * Where jobs come from: records from the input sources (grouped by -N), jobs
 * handed back for another try (in input order), and the one that had to
 * wait for resources.  Records --resume says were done, and records too
 * long to run, become jobs that end at once (on the done list).
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_FEED_H
#define PMAPF_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "job.h"
#include "joblog.h"
#include "onall.h"
#include "pipein.h"
#include "pmapf.h"
#include "sources.h"
#include "template.h"

/* Longest record; anything longer fails without being held in memory. */
#define FEED_MAX_RECORD (1u << 20)

struct feed {
	const struct pmapf_opts *o;
	struct sources *src;  /* NULL with --pipe: blocks instead */
	struct pipein pipein; /* --pipe: what goes to the jobs' stdin */
	bool by_blocks;       /* ... and it makes the jobs */
	struct job_cache *cache;
	struct spool_file *spill;
	struct joblist *done;
	struct joblist retry; /* to start again, before any new record */
	struct job *deferred; /* taken, could not start yet */
	struct job *filling;  /* -N: waiting for more records */
	uint64_t next_seq;    /* jobs made so far */
	struct seqset resume; /* --resume: done in an earlier run */
	/* -X, -m, --xargs: the command, and how much of a command line the
	 * values may fill (0: no limit); f->cost is what the job being
	 * filled takes so far. */
	const struct template *tmpl;
	size_t budget, cost;
	bool may_group; /* a job may get several values */
	/* -r with -X, -m or {##}: the records it keeps, counted once. */
	bool counted;
	uint64_t kept;
	/* --shuf: all jobs, made once input ended, in the order they run. */
	struct job **shuf;
	size_t nshuf, shuf_cap, shuf_at;
	bool shuffled;
	/* --onall, --nonall: every job on every login; which one can take
	 * a job now is the launch's to say. */
	bool onall_on;
	struct onall onall;
	bool (*host_free)(void *ctx, unsigned host);
	void *host_ctx;
};

/* Loads the --resume set from the joblog. */
int feed_init(struct feed *f, const struct pmapf_opts *o,
              struct job_cache *cache, struct spool_file *spill,
              struct joblist *done);
void feed_free(struct feed *f);
/* The next job to start, or NULL if there is none now (*failed: for
 * lack of memory): the deferred one first, then one handed back; a new one from
 * input only if fresh, and not past seq max_seq (the ordered window). */
struct job *feed_next(struct feed *f, uint64_t max_seq, bool fresh,
                      bool *failed);
/* --onall, --nonall: each job runs on each of hosts logins (pinned to
 * it), one at a time there; host_free(ctx, host from 1) says whether it
 * can take one now.  0 or -1. */
int feed_on_all(struct feed *f, unsigned hosts,
                bool (*host_free)(void *ctx, unsigned host), void *ctx);
/* Jobs handed back or deferred wait to start (they must, even when no
 * new job may). */
bool feed_waiting(const struct feed *f);
/* It could not start for lack of resources: first in line next time. */
void feed_defer(struct feed *f, struct job *j);
/* Run it again, in input order among the others handed back. */
void feed_retry(struct feed *f, struct job *j);
/* No job waits to start and none will ever come. */
bool feed_exhausted(const struct feed *f);
/* Forget every job waiting to start (the run is ending). */
void feed_drop(struct feed *f);
/* Take a job that ran before and waits to start again (a retry, a record
 * a worker held), or the one taken and deferred; NULL: none.  For a run
 * that halted, which finishes them as never run. */
struct job *feed_take_unstarted(struct feed *f);
/* j is finished, or dropped: it takes no more of its block (--pipe). */
void feed_forget(struct feed *f, struct job *j);
/* The descriptor of input source i worth reading now (the read-ahead
 * bound is not reached), or -1; i < sources_count(f->src). */
int feed_input_fd(const struct feed *f, size_t i);
/* One read of input source i.  0, or -1 with a message said. */
int feed_read(struct feed *f, size_t i);
/* Every input source has been read to its end (what is held is all
 * there will be). */
bool feed_input_ended(const struct feed *f);
/* Records (tuples of values) read so far. */
uint64_t feed_records_read(const struct feed *f);
/* Jobs in all, once known (input ended; --total): false until then. */
bool feed_total(const struct feed *f, uint64_t *total);

#endif
