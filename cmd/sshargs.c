/* -S, --sshloginfile, --ssh (see sshargs.h). */
#include "config.h"

#include "sshargs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "options.h"
#include "slurm.h"
#include "termseq.h"

/* A --sshloginfile, whole (it is small). */
static int
read_file(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char chunk[4096];
	ssize_t n;

	if (fd == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || buf_append(b, chunk, (size_t)n) == -1) {
			int e = n < 0 ? errno : ENOMEM;

			(void)close(fd);
			errno = e;
			return -1;
		}
	}
	return close(fd);
}

/* A shell variable's name: a letter or _, then letters, digits, _ (a
 * lone _ is env_parallel's, and not one). */
static bool
valid_name(const char *s)
{
	size_t i;

	if (strcmp(s, "_") == 0 ||
	    !(s[0] == '_' || isalpha((unsigned char)s[0])))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!(s[i] == '_' || isalnum((unsigned char)s[i])))
			return false;
	return true;
}

/* One more file name in a NULL-ended list. */
static void
add_file(struct parse *p, const char ***v, size_t *n, const char *name)
{
	const char **w;

	if (name[0] == '\0') {
		usage_error(p, "an empty file name");
		return;
	}
	if ((w = realloc(*v, (*n + 2) * sizeof *w)) == NULL) {
		usage_error(p, "out of memory");
		return;
	}
	w[(*n)++] = name;
	w[*n] = NULL;
	*v = w;
}

void
ssh_args_option(struct parse *p, struct pmapf_opts *o, int c, const char *arg)
{
	char why[256];
	struct buf text = BUF_INIT;

	switch (c) {
	case 'S':
		if (sshlogins_add(&o->logins, arg, why, sizeof why) == -1)
			usage_error(p, "-S/--sshlogin: %s",
			            why[0] != '\0' ? why : "out of memory");
		break;
	case OPT_SSHLOGINFILE:
		if (read_file(arg, &text) == -1)
			usage_error(p, "--sshloginfile: cannot read '%s': %s",
			            shown(p, arg), strerror(errno));
		else if (sshlogins_add_lines(&o->logins, text.data, text.len,
		                             why, sizeof why) == -1)
			usage_error(p, "--sshloginfile %s: %s", shown(p, arg),
			            why[0] != '\0' ? why : "out of memory");
		buf_free(&text);
		break;
	case OPT_ENV:
		if (!valid_name(arg)) {
			usage_error(p, "--env: '%s' is not a variable name%s",
			            shown(p, arg),
			            strcmp(arg, "_") == 0
			                ? " (env_parallel's --env _ is not "
			                  "supported: name the variables)"
			                : "");
		} else {
			const char **v =
			    realloc(o->env_names, (o->nenv + 1) * sizeof *v);

			if (v == NULL) {
				usage_error(p, "out of memory");
				break;
			}
			o->env_names = v;
			o->env_names[o->nenv++] = arg;
		}
		break;
	case OPT_WORKDIR:
		if (*arg == '\0')
			usage_error(p, "--workdir: an empty directory name");
		o->workdir = arg;
		break;
	case OPT_TRANSFER:
		add_file(p, &o->send_files, &o->nsend, "{}");
		break;
	case OPT_TRANSFERFILE:
		add_file(p, &o->send_files, &o->nsend, arg);
		break;
	case OPT_RETURN:
		add_file(p, &o->back_files, &o->nback, arg);
		break;
	case OPT_TRC:
		add_file(p, &o->send_files, &o->nsend, "{}");
		add_file(p, &o->back_files, &o->nback, arg);
		o->cleanup = true;
		break;
	case OPT_CLEANUP:
		o->cleanup = true;
		break;
	case OPT_BASEFILE:
		add_file(p, &o->basefiles, &o->nbase, arg);
		break;
	case OPT_FILTER_HOSTS:
		o->filter_hosts = true;
		break;
	case OPT_SSH:
	case OPT_SRUN:
		if (arg[strspn(arg, " \t")] == '\0')
			usage_error(p, "--%s: no command given",
			            c == OPT_SSH ? "ssh" : "srun");
		*(c == OPT_SSH ? &o->ssh_cmd : &o->srun_cmd) = arg;
		break;
	case OPT_SLURM:
		o->slurm = true;
		break;
	case OPT_ONALL:
		o->onall = true;
		break;
	case OPT_NONALL:
		o->nonall = true;
		break;
	case OPT_CPUS_PER_TASK:
		o->cpus_per_task =
		    (unsigned)parse_count(p, "--cpus-per-task", arg, 1, 100000);
		break;
	default:
		break;
	}
}

/* The first signal of a --term-seq ("TERM,200,KILL,25") is TERM or
 * INT. */
static bool
first_signal_stops(const char *seq)
{
	int sig = termseq_signal(seq, strcspn(seq, ","));

	return sig == SIGTERM || sig == SIGINT;
}

/* --slurm: what it cannot go with; -j's default, the allocation's tasks
 * (outside an allocation: refused, saying how to get one; a dry run
 * needs none). */
static int
slurm_check(struct parse *p, struct pmapf_opts *o, bool jobs_given)
{
	unsigned tasks;
	char why[512];

	if (!o->slurm) {
		if (o->srun_cmd != NULL || o->cpus_per_task > 0)
			usage_error(p, "--%s goes with --slurm",
			            o->srun_cmd != NULL ? "srun"
			                                : "cpus-per-task");
		return p->failed ? -1 : 0;
	}
	if (o->logins.n > 0 || o->argc == 0) {
		usage_error(p,
		            "--slurm runs a COMMAND per job as a step: not %s",
		            o->argc == 0 ? "the built-in (it runs inside pmapf)"
		                         : "with -S/--sshlogin");
		return -1;
	}
	/* srun cancels its step on SIGTERM or SIGINT; a SIGKILL first
	 * would leave the step holding its CPUs. */
	if (o->term_seq != NULL && !first_signal_stops(o->term_seq)) {
		usage_error(p,
		            "--term-seq with --slurm: the first signal must "
		            "be TERM or INT (srun cancels its step on those; "
		            "killed outright it leaves the step running)");
		return -1;
	}
	if (o->dry_run)
		return 0;
	if (slurm_tasks_here(o->cpus_per_task, &tasks, why, sizeof why) == -1) {
		usage_error(p, "--slurm: %s",
		            why[0] != '\0' ? why : "out of memory");
		return -1;
	}
	if (!jobs_given)
		o->jobs = tasks;
	else if (o->jobs > tasks)
		msg_warn("--slurm: -j %u is more than the allocation's %u "
		         "tasks: the other steps wait for CPUs (and --timeout "
		         "counts the wait)",
		         o->jobs, tasks);
	return 0;
}

unsigned
ssh_args_cpus(const struct pmapf_opts *o, unsigned cpus)
{
	unsigned tasks;
	char why[512];

	return o->slurm && !o->dry_run &&
	               slurm_tasks_here(o->cpus_per_task, &tasks, why,
	                                sizeof why) == 0
	           ? tasks
	           : cpus;
}

/* --onall, --nonall: what they go with; one slot per login (no -S:
 * this machine, as GNU parallel); --nonall's input, none. */
static int
on_all_check(struct parse *p, struct pmapf_opts *o)
{
	const char *name = o->nonall ? "--nonall" : "--onall";
	char why[256];
	size_t i;

	if (!o->onall && !o->nonall)
		return 0;
	if (o->onall && o->nonall) {
		usage_error(p, "--onall and --nonall: one or the other");
		return -1;
	}
	if (o->argc == 0 || o->workers || o->pipe || o->shuf || o->slurm) {
		usage_error(p, "%s runs a COMMAND on every host: not %s", name,
		            o->argc == 0 ? "the built-in"
		            : o->workers ? "--workers"
		            : o->pipe    ? "--pipe and its kin"
		            : o->shuf    ? "--shuf"
		                         : "--slurm");
		return -1;
	}
	if (o->nonall && o->nsources > 0) {
		usage_error(p, "--nonall reads no input: not with :::, :::: "
		               "or -a (--onall runs each value on every host)");
		return -1;
	}
	if (o->logins.n == 0 &&
	    sshlogins_add(&o->logins, ":", why, sizeof why) == -1) {
		usage_error(p, "out of memory");
		return -1;
	}
	for (i = 0; i < o->logins.n; i++)
		o->logins.v[i].slots = 1;
	/* --nonall: an input with no value, so stdin is never read. */
	if (o->nonall) {
		if ((o->sources = calloc(1, sizeof *o->sources)) == NULL) {
			usage_error(p, "out of memory");
			return -1;
		}
		o->nsources = 1;
	}
	return 0;
}

int
ssh_args_check(struct parse *p, struct pmapf_opts *o, bool jobs_given)
{
	unsigned long total = 0;
	unsigned asked = o->jobs;
	size_t i;

	if (slurm_check(p, o, jobs_given) == -1 || on_all_check(p, o) == -1)
		return -1;
	if (o->logins.n == 0)
		return 0;
	if (o->ssh_cmd == NULL && getenv("PARALLEL_SSH") != NULL &&
	    getenv("PARALLEL_SSH")[0] != '\0')
		o->ssh_cmd = getenv("PARALLEL_SSH");
	if (sshlogins_remote(&o->logins) && (o->argc == 0 || o->pipe)) {
		usage_error(
		    p, "-S/--sshlogin runs a COMMAND per job; not yet %s",
		    o->argc == 0 ? "the built-in" : "--pipe and its kin");
		return -1;
	}
	/* A worker is no job: files go with jobs, a new dir with a job. */
	if (sshlogins_remote(&o->logins) && o->workers &&
	    (o->nsend + o->nback + o->nbase > 0 ||
	     (o->workdir != NULL && strcmp(o->workdir, "...") == 0))) {
		usage_error(p, "--workers on -S hosts: not with %s",
		            o->nsend + o->nback + o->nbase > 0
		                ? "--transferfile, --return or --basefile"
		                : "--workdir ...");
		return -1;
	}
	/* As GNU parallel: -j is per host, N/ for one; neither: the
	 * host's CPUs (asked by remote_open). */
	o->jobs_per_login = jobs_given ? o->jobs : 0;
	for (i = 0; i < o->logins.n; i++)
		total +=
		    o->logins.v[i].slots > 0 ? o->logins.v[i].slots : o->jobs;
	if (total > 1000000) {
		usage_error(p,
		            "-S/--sshlogin: %lu job slots in all; at most "
		            "1000000",
		            total);
		return -1;
	}
	o->jobs = (unsigned)total;
	/* --onall, --nonall: -j is how many hosts at once (default all). */
	if ((o->onall || o->nonall) && jobs_given && asked < o->jobs)
		o->jobs = asked;
	return 0;
}
