/* --term-seq parsing, and the running median --timeout N% uses. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "median.h"
#include "tap.h"
#include "termseq.h"

static void
good(const char *s, int n, int sig0, double wait0, int siglast, double waitlast)
{
	struct termseq t;
	char why[160] = "";
	int rc = termseq_parse(s, &t, why, sizeof why);

	ok(rc == 0 && t.n == n && t.sig[0] == sig0 && t.wait[0] == wait0 &&
	       t.sig[n - 1] == siglast && t.wait[n - 1] == waitlast,
	   "'%s': %d steps (rc %d, n %d, %s)", s, n, rc, t.n, why);
}

static void
bad(const char *s, const char *want)
{
	struct termseq t;
	char why[160] = "";

	ok(termseq_parse(s, &t, why, sizeof why) == -1 &&
	       strstr(why, want) != NULL,
	   "'%s' refused: %s", s, why);
}

int
main(void)
{
	struct median m = MEDIAN_INIT;
	static const double vals[] = {5, 1, 4, 2, 3, 9, 0.5};
	static const double medians[] = {5, 1, 4, 2, 3, 3, 3};
	int i, in_order = 1;

	good("TERM,200,TERM,100,TERM,50,KILL,25", 4, SIGTERM, 0.2, SIGKILL,
	     0.025);
	good("KILL", 1, SIGKILL, 0, SIGKILL, 0);
	good("sigint,100,9", 2, SIGINT, 0.1, SIGKILL, 0);
	good("SIGUSR1,0.5,KILL,10", 2, SIGUSR1, 0.0005, SIGKILL, 0.01);
	bad("", "is not a signal");
	bad("FOO,100", "'FOO' is not a signal");
	bad("TERM,x", "'x' is not a number of milliseconds");
	bad("TERM,,KILL", "'' is not a number");
	bad("TERM,-1", "is not a number");
	bad("TERM,100,", "is not a signal");
	bad("0,100", "'0' is not a signal");
	bad("99999,1", "is not a signal");

	/* The lower of the middle two, as GNU parallel's median. */
	for (i = 0; i < 7; i++) {
		if (median_add(&m, vals[i]) == -1 ||
		    median_get(&m) != medians[i])
			in_order = 0;
	}
	ok(in_order && median_count(&m) == 7,
	   "running median of 5 1 4 2 3 9 0.5");
	for (i = 0; i < 100000; i++)
		(void)median_add(&m, (double)(i % 1000));
	ok(median_get(&m) >= 498 && median_get(&m) <= 500,
	   "the median of 100000 more values is about 499 (got %g)",
	   median_get(&m));
	median_free(&m);
	ok(median_get(&m) == 0 && median_count(&m) == 0, "freed: empty");
	return tap_done();
}
