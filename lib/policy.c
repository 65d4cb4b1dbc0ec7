#include "config.h"

#include "policy.h"

#include <string.h>

void
policy_init(struct policy *p, const struct pmapf_opts *o)
{
	memset(p, 0, sizeof *p);
	p->o = o;
}

static bool
halt_reached(const struct policy *p, const struct policy_progress *pr)
{
	const struct pmapf_halt *h = &p->o->halt;
	uint64_t n, of;

	n = h->what == HALT_FAIL      ? p->failed
	    : h->what == HALT_SUCCESS ? p->succeeded
	                              : p->done;
	if (h->percent <= 0)
		return n >= h->count;
	/* A share of all jobs once their number is known, as GNU parallel
	 * (which reads all input first).  Before that (input still coming),
	 * of those started, and not on the strength of fewer than three. */
	if (pr->total_known && pr->total > 0)
		return (double)n * 100.0 >= h->percent * (double)pr->total;
	of = pr->started;
	return p->done >= 3 && of > 0 &&
	       (double)n * 100.0 >= h->percent * (double)of;
}

/* ceil(failed / of * 100): GNU parallel's status for a percentage. */
static int
failed_percent(uint64_t failed, uint64_t of)
{
	uint64_t pct;

	if (of == 0)
		return 0;
	pct = (failed * 100 + of - 1) / of;
	return pct > 100 ? 100 : (int)pct;
}

/* The exit status a halt gives, as GNU parallel: the deciding job's for
 * a count of 1, the failures (101 past 100) for more, the percentage
 * failed for a share; 0 for success. */
static int
halt_status(const struct policy *p, int status,
            const struct policy_progress *pr)
{
	const struct pmapf_halt *h = &p->o->halt;
	uint64_t of = pr->total_known ? pr->total : pr->started;

	if (h->what == HALT_SUCCESS)
		return 0;
	/* A share that comes to exactly one job is a count of one. */
	if (h->percent > 0 && h->percent * (double)of != 100.0)
		return failed_percent(p->failed, of);
	if (h->count == 1 || h->percent > 0)
		return status;
	return p->failed > 100 ? 101 : (int)p->failed;
}

/* Counted: does the run halt on it? */
static enum verdict
halt_verdict(struct policy *p, uint64_t seq, int status,
             const struct policy_progress *pr)
{
	if (p->o->halt.when == HALT_NEVER || p->halted || !halt_reached(p, pr))
		return VERDICT_RECORD;
	p->halted = true;
	p->halt_status = halt_status(p, status, pr);
	p->halt_job_status = status;
	p->halt_seq = seq;
	return p->o->halt.when == HALT_NOW ? VERDICT_HALT_NOW
	                                   : VERDICT_HALT_SOON;
}

enum verdict
policy_judge(struct policy *p, uint64_t seq, int status, unsigned attempt,
             bool may_retry, const struct policy_progress *pr)
{
	if (status != 0 && may_retry && attempt + 1 < p->o->retries)
		return VERDICT_RETRY;
	p->done++;
	if (status == 0)
		p->succeeded++;
	else
		p->failed++;
	return halt_verdict(p, seq, status, pr);
}

enum verdict
policy_revoke(struct policy *p, uint64_t seq, const struct policy_progress *pr)
{
	if (p->succeeded > 0)
		p->succeeded--;
	p->failed++;
	return halt_verdict(p, seq, 1, pr);
}

void
policy_skip(struct policy *p)
{
	p->done++;
	p->skipped++;
}

void
policy_ended_by_us(struct policy *p)
{
	p->done++;
}

int
policy_exit_status(const struct policy *p)
{
	if (p->error)
		return PMAPF_EXIT_ERROR;
	if (p->halted)
		return p->halt_status;
	/* A percentage that never halted still gives the share failed of
	 * the jobs run, as GNU parallel. */
	if (p->o->halt.when != HALT_NEVER && p->o->halt.percent > 0)
		return failed_percent(p->failed, p->done - p->skipped);
	return p->failed > 100 ? 101 : (int)p->failed;
}
