/*
 * The table of running spawned jobs: their pipes, reaping, draining,
 * --timeout and signalling.  A job is finished only when it has been
 * reaped and its pipes reached EOF (or a background process kept them
 * open past a grace period); finished jobs go on the caller's done list,
 * and nothing else happens here.
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_PROCS_H
#define PMAPF_PROCS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "io.h"
#include "job.h"
#include "median.h"
#include "pollset.h"
#include "spool.h"
#include "termseq.h"

struct procs {
	struct job **v; /* started, not yet finished */
	size_t n, cap;
	unsigned running;       /* not yet reaped */
	double timeout;         /* --timeout seconds now, 0 none */
	double timeout_pct;     /* --timeout N%: of the median success, or 0 */
	struct median runtimes; /* ... of the jobs that succeeded */
	const struct termseq *term; /* how a timed-out job is stopped */
	struct spool_file *spill;
	char *chunk; /* PROCS_CHUNK bytes (frame.h's room first) */
};

/* The size of procs.chunk, a scratch buffer its owner may lend. */
#define PROCS_CHUNK (FRAME_HOLD + IO_CHUNK)

/* -1 for lack of memory (errno set). */
int procs_init(struct procs *p, struct spool_file *spill, double timeout,
               double timeout_pct, const struct termseq *term);
/* Take j down with the --term-seq steps, as a timed-out job is. */
void procs_stop(struct job *j, double now);
/* A job succeeded after runtime seconds: --timeout N% follows it. */
void procs_succeeded(struct procs *p, double runtime);
void procs_free(struct procs *p, struct job_cache *c);
int procs_add(struct procs *p, struct job *j, double now);
/* A child was reaped: the job it was, or NULL if none of these. */
struct job *procs_reaped(struct procs *p, pid_t pid, int wstatus, double now);
/* Move finished jobs to done (their end decoded). */
void procs_collect(struct procs *p, struct joblist *done, double now);
/*
 * Read what job i's pipe (err: its stderr) holds.  0, or -1/errno: the
 * output could not be kept (ENOSPC and the like: the bytes are held in
 * memory and reading should pause; else fatal).
 */
int procs_read(struct procs *p, size_t i, bool err);
/* Add the jobs' open pipes to ps, as (kind_out or kind_err, index); only
 * job seq `only` if it is not 0 (back-pressure); not the stdout of
 * `unread` (left to wait on its pipe for now).  0 or -1. */
int procs_pollfds(const struct procs *p, struct pollset *ps, int kind_out,
                  int kind_err, uint64_t only, const struct job *unread);
/* --pipe: the jobs whose stdin has bytes waiting, as (kind, index); a
 * slow reader's only from its wake time on (jobin.h).  The same `now` as
 * procs_next_deadline's, or a wake passing between the two is lost. */
int procs_pollfds_in(const struct procs *p, struct pollset *ps, int kind,
                     double now);
/* The lowest sequence number running, or UINT64_MAX. */
uint64_t procs_oldest(const struct procs *p);
/* --timeout: SIGTERM a job's group when its time is up, SIGKILL later. */
void procs_check_timeouts(struct procs *p, double now);
/* The nearest deadline after now (EOF grace, timeout, a slow reader's
 * wake), or 0 if none. */
double procs_next_deadline(const struct procs *p, double now);
/* Send sig to every unreaped job's process group. */
void procs_signal(struct procs *p, int sig);

#endif
