/* onall: every base job copied for each host, numbered host by host,
 * hosts taking turns, a busy host skipped. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "job.h"
#include "onall.h"
#include "tap.h"

static bool busy[3];

static bool
host_free(void *ctx, unsigned host)
{
	(void)ctx;
	return !busy[host - 1];
}

int
main(void)
{
	struct job_cache c;
	struct onall a;
	struct job *j[8];
	bool failed;
	const char *recs[] = {"a", "b", "c"};
	size_t i;

	job_cache_init(&c, NULL, true);
	ok(onall_init(&a, 2) == 0, "two hosts");
	for (i = 0; i < 3; i++)
		ok(onall_add(&a, job_new(&c, i + 1, recs[i], 1, 1)) == 0,
		   "base job %s", recs[i]);
	ok(!onall_done(&a), "not done before it is ready");
	a.ready = true;

	j[0] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	j[1] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	ok(j[0] != NULL && j[0]->pin == 1 && j[0]->seq == 1 &&
	       strcmp(j[0]->rec.data, "a") == 0,
	   "host 1's copy of a is job 1");
	ok(j[1] != NULL && j[1]->pin == 2 && j[1]->seq == 4 &&
	       strcmp(j[1]->rec.data, "a") == 0,
	   "then host 2's copy of a, job 4 (numbered host by host)");
	busy[0] = true;
	j[2] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	j[3] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	ok(j[2] != NULL && j[2]->pin == 2 && j[2]->seq == 5 && j[3] != NULL &&
	       j[3]->pin == 2 && j[3]->seq == 6,
	   "host 1 busy: host 2 goes on at its own pace (jobs 5, 6)");
	ok(onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed) == NULL &&
	       !failed,
	   "host 2 done, host 1 busy: nothing now");
	busy[0] = false;
	ok(onall_next(&a, &c, host_free, NULL, 1, &failed) == NULL,
	   "host 1's next (job 2) is past the window: held");
	j[4] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	j[5] = onall_next(&a, &c, host_free, NULL, UINT64_MAX, &failed);
	ok(j[4] != NULL && j[4]->seq == 2 && j[5] != NULL && j[5]->seq == 3 &&
	       strcmp(j[5]->rec.data, "c") == 0,
	   "then host 1's b and c (jobs 2, 3)");
	ok(onall_done(&a), "every copy given");
	for (i = 0; i < 6; i++)
		job_recycle(&c, j[i]);
	onall_free(&a, &c);
	job_cache_free(&c);
	return tap_done();
}
