/*
 * --memfree and --load: whether a job may start, as the machine is now;
 * and, with too little memory left, the youngest job taken down and
 * queued again (GNU parallel's rule).
 */
#include "config.h"

#include <errno.h>

#include "io.h"
#include "msg.h"
#include "resources.h"
#include "run_state.h"

/* Blocked: look at the machine again this often. */
#define LIMITS_RETRY 0.25
/* Memory under half: take down one job per look, this far apart, so the
 * one taken down can give its memory back first. */
#define LIMITS_KILL_PERIOD 0.25

/* A reading that cannot be had: said once, and that limit is dropped
 * (a job held back for ever would be worse). */
static bool
reading(int rc, const char *what, const char *option, bool *said)
{
	if (rc == 0)
		return true;
	if (!*said) {
		msg_warn_errno("cannot read %s; running without %s", what,
		               option);
		*said = true;
	}
	return false;
}

static bool
memfree_reading(struct run *r, uint64_t *v)
{
	return reading(resources_memfree(v), "the free memory", "--memfree",
	               &r->memfree_said);
}

bool
run_limits_allow(struct run *r)
{
	uint64_t v;
	double now;

	if (r->o->memfree == 0 && r->o->load_max <= 0)
		return true;
	if (r->o->memfree > 0 && !r->memfree_said && memfree_reading(r, &v) &&
	    v < r->o->memfree)
		goto wait;
	/* Running now, less pmapf itself, reading. */
	if (r->o->load_max > 0 && !r->load_said &&
	    reading(resources_load(&v), "the number of running processes",
	            "--load", &r->load_said) &&
	    (double)(v > 0 ? v - 1 : 0) >= r->o->load_max)
		goto wait;
	r->limits_retry = 0;
	return true;
wait:
	now = io_now();
	if (r->limits_retry <= now)
		r->limits_retry = now + LIMITS_RETRY;
	return false;
}

void
run_limits_check(struct run *r, double now)
{
	struct job *youngest = NULL;
	uint64_t v;
	size_t i;

	if (r->o->memfree == 0 || r->memfree_said || r->procs.running == 0 ||
	    now < r->memfree_check_at)
		return;
	r->memfree_check_at = now + LIMITS_KILL_PERIOD;
	if (!memfree_reading(r, &v) || v >= r->o->memfree / 2)
		return;
	/* The youngest that can be run again from the start: not one
	 * whose output is already going out. */
	for (i = 0; i < r->procs.n; i++) {
		struct job *j = r->procs.v[i];

		if (!j->t.reaped && !j->t.stopping && !j->t.timed_out &&
		    j != r->sink.streamer &&
		    (youngest == NULL || j->seq > youngest->seq))
			youngest = j;
	}
	if (youngest == NULL)
		return;
	youngest->t.requeue = true;
	procs_stop(youngest, now);
}

double
run_limits_deadline(const struct run *r)
{
	double next = r->limits_retry;

	if (r->o->memfree > 0 && !r->memfree_said && r->procs.running > 0 &&
	    (next == 0 || r->memfree_check_at < next))
		next = r->memfree_check_at > 0 ? r->memfree_check_at
		                               : io_now() + LIMITS_KILL_PERIOD;
	return next;
}
