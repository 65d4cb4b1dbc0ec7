/*
 * What happens after a job ends: the tally, --retries and --halt, and the
 * exit status.  Pure: a finished job's outcome in, a verdict out.
 */
#ifndef PMAPF_POLICY_H
#define PMAPF_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "pmapf.h"

enum verdict {
	VERDICT_RECORD,    /* counted; its output and joblog row go on */
	VERDICT_RETRY,     /* forget this try and run it again */
	VERDICT_HALT_SOON, /* counted; start no more jobs */
	VERDICT_HALT_NOW   /* counted; terminate the running jobs */
};

struct policy {
	const struct pmapf_opts *o;
	uint64_t done, failed, succeeded;
	uint64_t skipped; /* of those done: --resume, done in an earlier run */
	bool halted;
	int halt_status;     /* the run's exit status, as GNU parallel */
	int halt_job_status; /* the deciding job's */
	uint64_t halt_seq;
	bool error; /* pmapf itself failed: exit 255 */
};

/* How far the run is, for --halt percentages. */
struct policy_progress {
	bool total_known; /* all jobs are known (input ended, or --total) */
	uint64_t total;   /* ... this many */
	uint64_t started; /* jobs taken from input so far */
};

void policy_init(struct policy *p, const struct pmapf_opts *o);
/*
 * Judge a job that ended: status is its exit status (0 success), attempt
 * the tries it had before this one, may_retry false once no job may
 * start.  Counts it unless retried.
 */
enum verdict policy_judge(struct policy *p, uint64_t seq, int status,
                          unsigned attempt, bool may_retry,
                          const struct policy_progress *pr);
/* A job skipped by --resume: done, not counted either way. */
void policy_skip(struct policy *p);
/* A job ended by pmapf terminating the run: done, not a failure. */
void policy_ended_by_us(struct policy *p);
/* A job already judged a success failed after all (its worker went out
 * of step): counted again, and maybe the run halts (seq: whose). */
enum verdict policy_revoke(struct policy *p, uint64_t seq,
                           const struct policy_progress *pr);
/* 0; 1-100 failed jobs; 101 more; a halt's status (see halt_status in
 * policy.c); with a --halt percentage, the share failed; 255 error. */
int policy_exit_status(const struct policy *p);

#endif
