/* slurm: the allocation as salloc and sbatch describe it (hostlists,
 * per-node counts, the task count), slots over nodes, a step's srun
 * command. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slurm.h"
#include "tap.h"

#define is_str(got, want, ...)                                                 \
	do {                                                                   \
		const char *got_ = (got);                                      \
		is_bytes(got_, strlen(got_), want, __VA_ARGS__);               \
	} while (0)

static char *
joined(char **v, size_t n)
{
	static char out[1024];
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < n && at < sizeof out; i++)
		at += (size_t)snprintf(out + at, sizeof out - at, "%s%s",
		                       i > 0 ? " " : "", v[i]);
	return out;
}

static void
hostlist_is(const char *list, const char *want)
{
	char **v = NULL;
	size_t n = 0, i;

	ok(slurm_hostlist(list, &v, &n) == 0, "hostlist '%s' parses", list);
	is_str(joined(v, n), want, "hostlist '%s'", list);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
hostlist_bad(const char *list)
{
	char **v = NULL;
	size_t n = 0;

	errno = 0;
	ok(slurm_hostlist(list, &v, &n) == -1 && errno == EINVAL,
	   "hostlist '%s' is refused", list);
}

static void
test_hostlist(void)
{
	hostlist_is("pmapf1", "pmapf1");
	hostlist_is("a,b", "a b");
	hostlist_is("cn[1-3]", "cn1 cn2 cn3");
	hostlist_is("cn[08-11,20]", "cn08 cn09 cn10 cn11 cn20");
	hostlist_is("gpu[1-2],cpu[7,9]-ib", "gpu1 gpu2 cpu7-ib cpu9-ib");
	hostlist_is("r[1-2]n[1-2]", "r1n1 r1n2 r2n1 r2n2");
	hostlist_is("x[5]", "x5");
	hostlist_bad("");
	hostlist_bad("cn[1-");
	hostlist_bad("cn[3-1]");
	hostlist_bad("cn[a]");
	hostlist_bad("cn]1");
	hostlist_bad("cn[1-2000000]");
}

static void
test_counts(void)
{
	unsigned c[5];

	ok(slurm_counts("4(x2),2", c, 3) == 0 && c[0] == 4 && c[1] == 4 &&
	       c[2] == 2,
	   "4(x2),2 is 4 4 2");
	ok(slurm_counts("16", c, 1) == 0 && c[0] == 16, "16");
	ok(slurm_counts("1(x5)", c, 5) == 0 && c[4] == 1, "1(x5)");
	ok(slurm_counts("4(x2),2", c, 2) == -1, "more counts than nodes");
	ok(slurm_counts("4", c, 2) == -1, "fewer counts than nodes");
	ok(slurm_counts("4(x)", c, 1) == -1, "4(x) is malformed");
	ok(slurm_counts("four", c, 1) == -1, "not a number");
}

/* The environment of a test: NAME=value pairs. */
static const char *const *test_env;

static const char *
get(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; test_env[i] != NULL; i++)
		if (strncmp(test_env[i], name, n) == 0 && test_env[i][n] == '=')
			return test_env[i] + n + 1;
	return NULL;
}

static void
test_alloc(void)
{
	static const char *const none[] = {"SLURM_NTASKS=4", NULL};
	static const char *const tasks[] = {"SLURM_JOB_ID=7",
	                                    "SLURM_JOB_NODELIST=cn[1-3]",
	                                    "SLURM_NTASKS=5",
	                                    "SLURM_TASKS_PER_NODE=2(x2),1",
	                                    "SLURM_JOB_CPUS_PER_NODE=8(x3)",
	                                    NULL};
	static const char *const cpus[] = {"SLURM_JOB_ID=7",
	                                   "SLURM_JOB_NODELIST=cn[1-2]",
	                                   "SLURM_JOB_CPUS_PER_NODE=4,3", NULL};
	static const char *const cpt[] = {
	    "SLURM_JOB_ID=7", "SLURM_JOB_NODELIST=cn[1-2]",
	    "SLURM_JOB_CPUS_PER_NODE=4,3", "SLURM_CPUS_PER_TASK=2", NULL};
	static const char *const bad[] = {"SLURM_JOB_ID=7",
	                                  "SLURM_JOB_NODELIST=cn[1-2]",
	                                  "SLURM_JOB_CPUS_PER_NODE=4", NULL};
	struct slurm_alloc a;
	char err[512];

	test_env = none;
	ok(slurm_alloc_read(&a, get, 0, err, sizeof err) == -1 &&
	       strstr(err, "not inside a Slurm allocation") != NULL &&
	       strstr(err, "salloc") != NULL,
	   "no SLURM_JOB_ID: not inside an allocation, salloc named (%s)", err);

	test_env = tasks;
	ok(slurm_alloc_read(&a, get, 0, err, sizeof err) == 0 && a.n == 3 &&
	       a.total == 5 && a.task[0] == 2 && a.task[2] == 1,
	   "SLURM_NTASKS and SLURM_TASKS_PER_NODE: 5 tasks, 2 2 1");
	is_str(joined(a.nodes, a.n), "cn1 cn2 cn3", "the nodes");
	slurm_alloc_free(&a);
	ok(slurm_alloc_read(&a, get, 4, err, sizeof err) == 0 && a.total == 6 &&
	       a.task[0] == 2,
	   "--cpus-per-task 4: CPUs 8 per node / 4 = 2 each, 6 in all (%u)",
	   a.total);
	slurm_alloc_free(&a);

	test_env = cpus;
	ok(slurm_alloc_read(&a, get, 0, err, sizeof err) == 0 && a.total == 7 &&
	       a.task[0] == 4 && a.task[1] == 3,
	   "no task count: one per CPU, 4 and 3");
	slurm_alloc_free(&a);
	ok(slurm_alloc_read(&a, get, 2, err, sizeof err) == 0 && a.total == 3 &&
	       a.task[0] == 2 && a.task[1] == 1,
	   "--cpus-per-task 2 of 4 and 3 CPUs: 2 and 1");
	slurm_alloc_free(&a);
	ok(slurm_alloc_read(&a, get, 8, err, sizeof err) == -1 &&
	       strstr(err, "4 at most") != NULL,
	   "more CPUs per task than any node has: refused, saying so (%s)",
	   err);
	slurm_alloc_free(&a);
	ok(slurm_alloc_read(&a, get, 4, err, sizeof err) == 0 && a.total == 2,
	   "as many as the larger node has: one task on each, the 3-CPU node "
	   "too (its step waits)");
	slurm_alloc_free(&a);

	test_env = cpt;
	ok(slurm_alloc_read(&a, get, 0, err, sizeof err) == 0 && a.total == 3,
	   "$SLURM_CPUS_PER_TASK (salloc -c 2) counts as --cpus-per-task");
	slurm_alloc_free(&a);

	test_env = bad;
	ok(slurm_alloc_read(&a, get, 0, err, sizeof err) == -1 &&
	       strstr(err, "SLURM_JOB_CPUS_PER_NODE") != NULL,
	   "counts that do not match the nodes are refused, named (%s)", err);
	slurm_alloc_free(&a);
}

static void
test_lay(void)
{
	char *nodes[] = {(char *)"a", (char *)"b", NULL};
	unsigned task[] = {3, 1};
	struct slurm_alloc a = {nodes, task, 2, 4};
	unsigned *k = slurm_lay(&a, 6);

	ok(k != NULL && k[1] == 0 && k[2] == 1 && k[3] == 0 && k[4] == 0,
	   "4 slots: a b a a (each node in turn while it has tasks)");
	ok(k != NULL && k[5] == 0 && k[6] == 1,
	   "more slots than tasks: in turn again (a b)");
	free(k);
}

static void
test_argv(void)
{
	static const char *const env[] = {
	    "SLURM_JOB_ID=7", "SLURM_JOB_NODELIST=cn[1-2]",
	    "SLURM_JOB_CPUS_PER_NODE=2(x2)", NULL};
	char *cmd[] = {(char *)"echo", (char *)"-n", (char *)"a b", NULL};
	char *const *v;
	struct slurm s;
	size_t n;

	/* slurm_open reads the real environment. */
	for (n = 0; env[n] != NULL; n++)
		(void)putenv((char *)env[n]);
	(void)unsetenv("SLURM_NTASKS");
	(void)unsetenv("SLURM_CPUS_PER_TASK");
	ok(slurm_open(&s, "sh --mem-per-cpu=1G", 2, 0) == 0 && s.nslots == 2,
	   "slurm_open: 2 slots (4 CPUs, 2 per task)");
	v = slurm_argv(&s, 2, cmd);
	for (n = 0; v != NULL && v[n] != NULL; n++)
		;
	is_str(v != NULL ? joined((char **)v, n) : "",
	       "sh --mem-per-cpu=1G --exclusive -N1 -n1 -Q --cpus-per-task=2 "
	       "-w cn2 -- echo -n a b",
	       "slot 2's step: --srun's words, then the step, its node, --");
	ok(slurm_node(&s, 1) != NULL &&
	       strcmp(slurm_node(&s, 1)->name, "cn1") == 0 &&
	       slurm_node(&s, 3) == NULL,
	   "slot 1 is on cn1; there is no slot 3");
	slurm_close(&s);
	(void)unsetenv("SLURM_JOB_ID");
	ok(slurm_open(&s, NULL, 0, 0) == -1, "outside an allocation: refused");
	slurm_close(&s);
}

int
main(void)
{
	test_hostlist();
	test_counts();
	test_alloc();
	test_lay();
	test_argv();
	return tap_done();
}
