/* CPU lists and counting threads, cores and sockets. */
#include "config.h"

#include <string.h>

#include "cpus.h"
#include "tap.h"

struct ids {
	unsigned v[16];
	size_t n;
};

static int
collect(void *ctx, unsigned id)
{
	struct ids *x = ctx;

	if (x->n == sizeof x->v / sizeof x->v[0])
		return -1;
	x->v[x->n++] = id;
	return 0;
}

static void
list(const char *s, int want_rc, const char *want)
{
	struct ids x = {{0}, 0};
	char got[128] = "";
	size_t i, n = 0;
	int rc = cpus_parse_list(s, collect, &x);

	for (i = 0; i < x.n && n + 8 < sizeof got; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%u",
		                      i ? " " : "", x.v[i]);
	ok(rc == want_rc && (rc == -1 || strcmp(got, want) == 0),
	   "list '%s': rc %d, ids '%s' (want %d, '%s')", s, rc, got, want_rc,
	   want);
}

int
main(void)
{
	/* Two sockets of two cores of two threads; one socket of four
	 * cores without SMT. */
	static const struct cpus_place smt[] = {{0, 0}, {0, 1}, {1, 0}, {1, 1},
	                                        {0, 0}, {0, 1}, {1, 0}, {1, 1}};
	static const struct cpus_place flat[] = {
	    {0, 0}, {0, 1}, {0, 2}, {0, 3}};
	struct cpus_topo t;

	list("0-1\n", 0, "0 1");
	list("0-3,8,10-11\n", 0, "0 1 2 3 8 10 11");
	list("5", 0, "5");
	list("", 0, "");
	list("0-", -1, "");
	list("3-1", -1, "");
	list("a", -1, "");
	list("0;1", -1, "");

	cpus_tally(smt, 8, &t);
	ok(t.threads == 8 && t.cores == 4 && t.sockets == 2,
	   "2 sockets x 2 cores x 2 threads: 8, 4, 2 (got %u, %u, %u)",
	   t.threads, t.cores, t.sockets);
	cpus_tally(flat, 4, &t);
	ok(t.threads == 4 && t.cores == 4 && t.sockets == 1,
	   "4 cores, no SMT: 4, 4, 1");
	ok(cpus_count(CPUS_THREADS) >= cpus_count(CPUS_CORES) &&
	       cpus_count(CPUS_CORES) >= cpus_count(CPUS_SOCKETS) &&
	       cpus_count(CPUS_SOCKETS) >= 1,
	   "this machine: threads >= cores >= sockets >= 1");
	return tap_done();
}
