/* Policy: retries, --halt, the tally and the exit status. */
#include "config.h"

#include <string.h>

#include "job.h"
#include "policy.h"
#include "tap.h"

int
main(void)
{
	struct pmapf_opts o;
	struct policy p;
	struct policy_progress pr = {false, 0, 10};
	struct joblist l = {0};
	struct job j[5];
	int i, good;

	memset(&o, 0, sizeof o);
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 0, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 3, 0, true, &pr) == VERDICT_RECORD,
	   "no options: every job is recorded");
	ok(p.done == 2 && p.failed == 1 && policy_exit_status(&p) == 1,
	   "one failure: exit status 1");
	for (i = 0; i < 200; i++)
		(void)policy_judge(&p, 3 + (uint64_t)i, 1, 0, true, &pr);
	ok(policy_exit_status(&p) == 101, "over 100 failures: 101");
	p.error = true;
	ok(policy_exit_status(&p) == 255, "pmapf's own error: 255");

	o.retries = 3;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 1, 0, true, &pr) == VERDICT_RETRY &&
	       policy_judge(&p, 1, 1, 1, true, &pr) == VERDICT_RETRY &&
	       policy_judge(&p, 1, 1, 2, true, &pr) == VERDICT_RECORD,
	   "--retries 3: two retries, the third try counts");
	ok(p.done == 1 && p.failed == 1, "retried tries are not counted");
	ok(policy_judge(&p, 2, 1, 0, false, &pr) == VERDICT_RECORD,
	   "no retry once no job may start");
	ok(policy_judge(&p, 3, 0, 0, true, &pr) == VERDICT_RECORD,
	   "a success is never retried");

	memset(&o, 0, sizeof o);
	o.halt.when = HALT_NOW;
	o.halt.what = HALT_FAIL;
	o.halt.count = 2;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 4, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 7, 0, true, &pr) == VERDICT_HALT_NOW,
	   "--halt now,fail=2: the second failure halts");
	ok(policy_exit_status(&p) == 2 && p.halt_seq == 2 &&
	       p.halt_job_status == 7,
	   "fail=2: the exit status is the number failed, as GNU parallel");
	ok(policy_judge(&p, 3, 1, 0, true, &pr) == VERDICT_RECORD, "only once");

	o.halt.count = 1;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 0, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 137, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 137,
	   "fail=1: the exit status is the deciding job's");
	o.halt.what = HALT_DONE;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 0, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 0,
	   "done=1: the deciding job's, a success");
	o.halt.what = HALT_SUCCESS;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 3, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 0, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 0,
	   "success=1: exit status 0 though a job failed");

	/* Percentages: of all jobs once known, the status the share failed
	 * rounded up (GNU parallel: 10 jobs, fail=30% halts at the third
	 * failure, status 30). */
	o.halt.what = HALT_FAIL;
	o.halt.count = 0;
	o.halt.percent = 30;
	policy_init(&p, &o);
	pr.total_known = true;
	pr.total = 10;
	good = policy_judge(&p, 1, 3, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 3, 0, true, &pr) == VERDICT_RECORD;
	ok(good && policy_judge(&p, 3, 3, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 30,
	   "fail=30%% of 10: the third failure halts, status 30");
	o.halt.percent = 50;
	pr.total = 3;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 1, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 1, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 67,
	   "fail=50%% of 3: two failures, status 67 (rounded up)");
	pr.total = 4;
	policy_init(&p, &o);
	for (i = 1; i <= 4; i++)
		(void)policy_judge(&p, (uint64_t)i, i == 3, 0, true, &pr);
	ok(!p.halted && policy_exit_status(&p) == 25,
	   "fail=50%% never reached: the share failed, 25");
	o.halt.percent = 10;
	pr.total = 10;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 7, 0, true, &pr) == VERDICT_HALT_NOW &&
	       policy_exit_status(&p) == 7,
	   "fail=10%% of 10 is one job: its status, as GNU parallel");
	o.halt.percent = 50;
	/* Input still coming: of those started, after three finished. */
	pr.total_known = false;
	pr.started = 2;
	policy_init(&p, &o);
	ok(policy_judge(&p, 1, 1, 0, true, &pr) == VERDICT_RECORD &&
	       policy_judge(&p, 2, 1, 0, true, &pr) == VERDICT_RECORD,
	   "total unknown: not on fewer than three finished");
	pr.started = 3;
	ok(policy_judge(&p, 3, 0, 0, true, &pr) == VERDICT_HALT_NOW,
	   "total unknown: 2 of 3 started failed is past 50%%");
	pr.total_known = false;
	pr.started = 10;

	o.halt.when = HALT_SOON;
	o.halt.what = HALT_SUCCESS;
	o.halt.count = 0;
	o.halt.percent = 50;
	policy_init(&p, &o);
	pr.total_known = true;
	pr.total = 10;
	good = 1;
	for (i = 1; i <= 4; i++)
		if (policy_judge(&p, (uint64_t)i, 0, 0, true, &pr) !=
		    VERDICT_RECORD)
			good = 0;
	ok(good && policy_judge(&p, 5, 0, 0, true, &pr) == VERDICT_HALT_SOON,
	   "--halt soon,success=50%%: half of 10 known jobs");

	/* The retry list keeps input order whatever order jobs come back. */
	memset(j, 0, sizeof j);
	for (i = 0; i < 5; i++)
		j[i].seq = (uint64_t)(5 - i) * 10;
	joblist_insert(&l, &j[2]);
	joblist_insert(&l, &j[0]);
	joblist_insert(&l, &j[4]);
	joblist_insert(&l, &j[1]);
	joblist_insert(&l, &j[3]);
	good = 1;
	for (i = 1; i <= 5; i++) {
		struct job *x = joblist_pop(&l);

		if (x == NULL || x->seq != (uint64_t)i * 10)
			good = 0;
	}
	ok(good && joblist_pop(&l) == NULL && l.n == 0,
	   "jobs handed back come out in input order");
	return tap_done();
}
