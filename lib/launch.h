/*
 * Starting jobs: spawned per record, given to a pool of workers (the
 * built-in, --workers), or printed by a dry run.  Owns the command (see
 * command.h) and the job slots, the only source of {%}.
 * Jobs that end here (could not start, dry run, a worker's answer) go on
 * the done list; jobs a dead worker hands back unstarted go on the retry
 * list.  Nothing is written and no job is judged here.
 *
 * Error convention: 0, or -1 with errno set; launch_init prints its own
 * message.
 */
#ifndef PMAPF_LAUNCH_H
#define PMAPF_LAUNCH_H

#include <stdbool.h>

#include "command.h"
#include "frame.h"
#include "job.h"
#include "jobenv.h"
#include "pmapf.h"
#include "pollset.h"
#include "pool.h"
#include "procs.h"
#include "remote.h"
#include "slots.h"
#include "slurm.h"
#include "template.h"
#include "transfer.h"

enum launch_result {
	LAUNCH_STARTED, /* running (spawned or on a worker) */
	LAUNCH_ENDED,   /* ended at once: on the done list */
	LAUNCH_WAIT,    /* no resources now: try again later */
	LAUNCH_ERROR    /* pmapf cannot go on (errno) */
};

struct launch {
	const struct pmapf_opts *o;
	struct command cmd;
	struct jobenv env;
	struct slots slots;
	unsigned limit; /* spawned jobs at once (lowered on EMFILE) */
	int limit_err;  /* what lowered it (errno) */
	bool limit_warned, pool_warned, silence_warned;
	bool want_cmd;     /* the joblog or -t shows each job's command */
	double next_start; /* --delay: no job starts before this */
	bool use_pool;
	struct pool pool;
	unsigned *pool_owner;
	double pool_deadline; /* workers told to end: SIGKILL after this */
	/* A silent worker is looked at again, or one past its answers'
	 * end signalled (0: none). */
	double pool_next_at;
	struct spool_file *spill;
	struct joblist *done, *retry;
	/* Records answered by workers that then answered an extra line,
	 * not yet counted as failed; the last of them. */
	size_t out_of_step;
	uint64_t out_of_step_last;
	bool out_of_memory; /* a started job could not be fully described */
	/* -S: the hosts; ssh, found once; a job's script (scratch). */
	bool remote_on;
	struct remote remote;
	char *ssh_path;
	/* PARALLEL_JOBSLOT, PARALLEL_SEQ, then --env's "NAME=value" (as
	 * this environment has them), for a remote job's script. */
	char **remote_env;
	/* -S with files (transfer.h): --transferfile's then --return's
	 * templates; scratch for a job's paths, work dir and script. */
	struct template **xfer_t;
	struct buf *xfer_path;
	char **xfer_list; /* send..., NULL, back..., NULL */
	struct buf xfer_wd, xfer_script;
	bool xfer_on;
	struct buf script;
	/* --slurm: the allocation's nodes, each slot's; srun. */
	bool slurm_on;
	struct slurm slurm;
	/* --workers -S: every host is down (the run stops). */
	bool all_down;
	/* -S sessions (launch_session.c): one per slot, its jobs one after
	 * another through one ssh; not for jobs that need more than a
	 * command (--pipe's stdin, files to move). */
	bool sess_on;
	struct session *sess;
	char sess_mark[FRAME_MARK_LEN + 1];
};

int launch_init(struct launch *l, const struct pmapf_opts *o,
                struct spool_file *spill, struct joblist *done,
                struct joblist *retry, bool want_cmd);
void launch_free(struct launch *l);
/* True if a job given now could start without waiting. */
bool launch_has_room(const struct launch *l, const struct procs *p);
enum launch_result launch_start(struct launch *l, struct job *j,
                                struct procs *p, double now);
/* The command j would run, as -t shows it, into line.  0 or -1. */
int launch_preview(struct launch *l, struct job *j, struct buf *line);
/* The job's process ended: its slot is free again. */
void launch_release(struct launch *l, struct job *j);
/*
 * -S: j (released) ran on another host: true if it is to run again,
 * ssh having failed there before its command began (remote.h).  Its
 * host may now be down, its slots no longer given; *none_up is set when
 * no host is left.
 */
bool launch_remote_again(struct launch *l, struct job *j, bool *none_up);
/* -S: j is done (not to run again): its host's count, for the display. */
void launch_remote_done(struct launch *l, const struct job *j);
/* -S with several hosts: each one's jobs, for the display (NULL, 0:
 * not shown). */
size_t launch_hosts(const struct launch *l, const struct progress_host **hosts);
/* --onall, --nonall (feed.h's host_free, ctx a launch): whether login
 * host (from 1) can take a job now; one that is not up takes its jobs,
 * which then end at once, said. */
bool launch_host_free(void *ctx, unsigned host);
/* A child was reaped that was no job's: a worker's or a session's
 * (true), or none of these. */
bool launch_reaped(struct launch *l, pid_t pid, int wstatus);
/* No more new jobs: let workers end once their work is done. */
void launch_close(struct launch *l);
/* Once no job is left: true when every worker has ended (those that do
 * not end on EOF within a grace period are killed). */
bool launch_workers_gone(struct launch *l, double now);
/* Worker housekeeping each loop turn: silent line workers, flushing. */
void launch_tick(struct launch *l, bool input_ended, double now);
/* The nearest deadline of the pool (0: none). */
double launch_next_deadline(const struct launch *l, double now);
/* Add the workers' descriptors to ps as (kind, worker).  0 or -1. */
int launch_pollfds(struct launch *l, struct pollset *ps, int kind);
/* Jobs running on workers. */
size_t launch_pooled(const struct launch *l);

#endif
