/* Jobs over ssh (see remote.h). */
#include "config.h"

#include "remote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpus.h"
#include "msg.h"
#include "shquote.h"

extern char **environ;

/* Seconds a master connection outlives its last job: only matters
 * when pmapf is killed outright and cannot close it. */
#define PERSIST "ControlPersist=600"
/* A host that takes the connection and never answers is given up
 * after this: the run starts without it. */
#define TIMEOUT "ConnectTimeout=10"
/* Sessions (slots) per master connection: sshd's default MaxSessions. */
#define SESSIONS 10
/* Words of a job's ssh command besides --ssh's. */
#define JOB_WORDS 12

/* ssh's words for login i, options first, then what follows (NULL-
 * ended extra), into r->argv. */
static char *const *
login_argv(struct remote *r, size_t i, unsigned g, const char *const *extra)
{
	const struct sshlogin *l = &r->logins->v[i];
	size_t n = 0, k;

	for (k = 0; k < r->nssh; k++)
		r->argv[n++] = r->ssh[k];
	snprintf(r->path, sizeof r->path, "ControlPath=%s/%zu.%u", r->dir, i,
	         g);
	r->argv[n++] = (char *)"-o";
	r->argv[n++] = r->path;
	if (l->user != NULL) {
		r->argv[n++] = (char *)"-l";
		r->argv[n++] = l->user;
	}
	if (l->port != NULL) {
		r->argv[n++] = (char *)"-p";
		r->argv[n++] = l->port;
	}
	for (k = 0; extra[k] != NULL && strcmp(extra[k], "HOST") != 0; k++)
		r->argv[n++] = (char *)extra[k];
	r->argv[n++] = l->host;
	if (extra[k] != NULL)
		for (k++; extra[k] != NULL; k++)
			r->argv[n++] = (char *)extra[k];
	r->argv[n] = NULL;
	return r->argv;
}

/* Start argv with stdin on /dev/null, stdout on out (-1: /dev/null),
 * stderr into the file errpath (a master connection keeps it open: not
 * pmapf's stderr, which may be a pipe someone waits on).  Its pid, or
 * -1. */
static pid_t
spawn_io(char *const *argv, int out, const char *errpath)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	err =
	    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (err == 0 && out >= 0)
		err = posix_spawn_file_actions_adddup2(&fa, out, 1);
	else if (err == 0)
		err = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		                                       O_WRONLY, 0);
	if (err == 0)
		err = posix_spawn_file_actions_addopen(
		    &fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (err == 0)
		err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return pid;
}

static int
wait_for(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Where login i's master connection says what went wrong. */
static const char *
err_path(struct remote *r, size_t i)
{
	snprintf(r->errfile, sizeof r->errfile, "%s/err%zu", r->dir, i);
	return r->errfile;
}

/* The last line ssh's master for login i said, into r->said. */
static bool
said_by_ssh(struct remote *r, size_t i)
{
	FILE *f = fopen(err_path(r, i), "re");
	char line[sizeof r->said];

	r->said[0] = '\0';
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (line[strspn(line, " \t\r\n")] != '\0')
			memcpy(r->said, line, sizeof line);
	if (f != NULL)
		(void)fclose(f);
	r->said[strcspn(r->said, "\r\n")] = '\0';
	return r->said[0] != '\0';
}

/* Logins without N/, when -j is not given: each is asked its number of
 * CPUs once, as GNU parallel does (this machine counts its own).  All
 * at once, over the master connections.  0, or -1/ENOMEM. */
static int
ask_cpus(struct remote *r)
{
	static const char *const ask[] = {
	    "-o", "ControlMaster=no", "HOST",
	    "exec /bin/sh -c 'nproc 2>/dev/null || getconf "
	    "_NPROCESSORS_ONLN 2>/dev/null || echo 1'",
	    NULL};
	const struct sshlogins *s = r->logins;
	pid_t *pid = calloc(s->n, sizeof *pid);
	int *fd = calloc(s->n, sizeof *fd);
	size_t i;

	if ((r->cpus = calloc(s->n, sizeof *r->cpus)) == NULL || pid == NULL ||
	    fd == NULL) {
		free(pid);
		free(fd);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		int p[2];

		fd[i] = -1;
		if (s->v[i].local) {
			r->cpus[i] = cpus_count(CPUS_THREADS);
			continue;
		}
		if (!r->up[i] || s->v[i].slots > 0 || pipe2(p, O_CLOEXEC) == -1)
			continue;
		pid[i] = spawn_io(login_argv(r, i, 0, ask), p[1], "/dev/null");
		(void)close(p[1]);
		fd[i] = p[0];
	}
	for (i = 0; i < s->n; i++) {
		char text[32];
		size_t len = 0;
		ssize_t n;

		if (fd[i] < 0)
			continue;
		while (
		    len < sizeof text - 1 &&
		    ((n = read(fd[i], text + len, sizeof text - 1 - len)) > 0 ||
		     (n < 0 && errno == EINTR)))
			len += n > 0 ? (size_t)n : 0;
		text[len] = '\0';
		(void)close(fd[i]);
		if (pid[i] > 0)
			(void)wait_for(pid[i]);
		r->cpus[i] = (unsigned)strtoul(text, NULL, 10);
		if (r->cpus[i] == 0 || r->cpus[i] > 100000) {
			msg_warn("%s did not say how many CPUs it has: 1 job "
			         "slot there (give N/ in -S to choose)",
			         s->v[i].name);
			r->cpus[i] = 1;
		}
	}
	free(pid);
	free(fd);
	return 0;
}

/* Logins with more than SESSIONS slots get one more master connection
 * for each further SESSIONS (sshd allows 10 sessions on a connection
 * by default, MaxSessions).  One that cannot be opened leaves its jobs
 * to connect on their own. */
static void
more_masters(struct remote *r)
{
	static const char *const master[] = {
	    "-o", "ControlMaster=yes", "-o", PERSIST, "-o", TIMEOUT, "-f", "-N",
	    NULL};
	const struct sshlogins *s = r->logins;
	pid_t pid[64];
	size_t i, n = 0, k;
	unsigned g;

	for (i = 0; i < s->n; i++)
		for (g = 1; g < r->masters[i] && !s->v[i].local && r->up[i];
		     g++) {
			if (n == sizeof pid / sizeof pid[0]) {
				for (k = 0; k < n; k++)
					(void)wait_for(pid[k]);
				n = 0;
			}
			if ((pid[n] = spawn_io(login_argv(r, i, g, master), -1,
			                       "/dev/null")) > 0)
				n++;
		}
	for (k = 0; k < n; k++)
		(void)wait_for(pid[k]);
}

/* Lay the slots out: each login that is up takes one in turn while it
 * has any left. */
static int
lay_slots(struct remote *r, unsigned per_login)
{
	const struct sshlogins *s = r->logins;
	unsigned total = 0, *left, k = 0;
	size_t i;
	bool any;

	for (i = 0; i < s->n; i++)
		if (r->up[i])
			total += s->v[i].slots > 0 ? s->v[i].slots
			         : per_login > 0   ? per_login
			                           : r->cpus[i];
	if ((r->slot_of = calloc((size_t)total + 1, sizeof *r->slot_of)) ==
	        NULL ||
	    (r->group_of = calloc((size_t)total + 1, sizeof *r->group_of)) ==
	        NULL ||
	    (left = calloc(s->n, sizeof *left)) == NULL)
		return -1;
	for (i = 0; i < s->n; i++)
		left[i] = !r->up[i]           ? 0
		          : s->v[i].slots > 0 ? s->v[i].slots
		          : per_login > 0     ? per_login
		                              : r->cpus[i];
	do {
		any = false;
		for (i = 0; i < s->n; i++)
			if (left[i] > 0) {
				r->slot_of[++k] = (unsigned)i;
				/* (Its rank among the login's slots, by ten.)
				 */
				r->group_of[k] = r->masters[i]++ / SESSIONS;
				left[i]--;
				any = true;
			}
	} while (any);
	for (i = 0; i < s->n; i++)
		r->masters[i] = (r->masters[i] + SESSIONS - 1) / SESSIONS;
	free(left);
	r->nslots = total;
	return 0;
}

int
remote_open(struct remote *r, const struct sshlogins *logins,
            const char *ssh_cmd, unsigned per_login, bool quiet)
{
	static const char *const master[] = {
	    "-o", "ControlMaster=yes", "-o", PERSIST, "-o", TIMEOUT, "-f", "-N",
	    NULL};
	const char *tmp = getenv("TMPDIR");
	pid_t *pids;
	size_t i, up = 0;
	char dir[4096];

	memset(r, 0, sizeof *r);
	r->logins = logins;
	if (words_split(ssh_cmd != NULL ? ssh_cmd : "ssh", &r->ssh, &r->nssh) ==
	    -1) {
		msg_warn("--ssh: no command given");
		return -1;
	}
	/* ssh reads % in a ControlPath as its own token, and a blank ends
	 * it: such a TMPDIR is passed over for /tmp. */
	if (tmp == NULL || *tmp == '\0' || strpbrk(tmp, "% \t\"'\\") != NULL)
		tmp = "/tmp";
	snprintf(dir, sizeof dir, "%s/pmapf-ssh.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL || (r->dir = strdup(dir)) == NULL) {
		msg_warn_errno("cannot make a directory for ssh's control "
		               "sockets in %s",
		               tmp);
		return -1;
	}
	if (strlen(r->dir) > 80) {
		msg_warn("the directory for ssh's control sockets, %s, has too "
		         "long a name: set TMPDIR to a shorter one",
		         r->dir);
		return -1;
	}
	r->up = calloc(logins->n, sizeof *r->up);
	r->fails = calloc(logins->n, sizeof *r->fails);
	r->masters = calloc(logins->n, sizeof *r->masters);
	r->view = calloc(logins->n, sizeof *r->view);
	r->down = calloc(logins->n, sizeof *r->down);
	r->argv = calloc(r->nssh + JOB_WORDS + 1, sizeof *r->argv);
	pids = calloc(logins->n, sizeof *pids);
	if (r->up == NULL || r->argv == NULL || pids == NULL ||
	    r->fails == NULL || r->down == NULL || r->view == NULL ||
	    r->masters == NULL) {
		free(pids);
		msg_warn("out of memory");
		return -1;
	}
	for (i = 0; i < logins->n; i++)
		r->view[i].name = logins->v[i].name;
	/* All at once: a slow host delays the start by its own time only. */
	for (i = 0; i < logins->n; i++)
		if (!logins->v[i].local &&
		    (pids[i] = spawn_io(login_argv(r, i, 0, master), -1,
		                        err_path(r, i))) == -1)
			msg_warn_errno("cannot run %s", r->ssh[0]);
	for (i = 0; i < logins->n; i++) {
		int st = logins->v[i].local ? 0 : -1;

		if (!logins->v[i].local && pids[i] > 0)
			st = wait_for(pids[i]);
		r->up[i] = st == 0;
		if (st == 0)
			up++;
		else if (st > 0 && !quiet)
			msg_warn("cannot connect to %s (ssh's status %d%s%s): "
			         "no jobs run there",
			         logins->v[i].name, st,
			         said_by_ssh(r, i) ? ": " : "", r->said);
	}
	free(pids);
	if (up == 0) {
		msg_warn("no host of -S could be reached");
		return -1;
	}
	if (per_login == 0 && ask_cpus(r) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	if (lay_slots(r, per_login) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	more_masters(r);
	return 0;
}

void
remote_close(struct remote *r)
{
	static const char *const stop[] = {"-O", "exit", NULL};
	size_t i;

	for (i = 0; r->up != NULL && i < r->logins->n; i++) {
		unsigned g, n = r->masters != NULL && r->masters[i] > 0
		                    ? r->masters[i]
		                    : 1;

		if (!r->up[i] || r->logins->v[i].local)
			continue;
		for (g = 0; g < n; g++) {
			pid_t pid = spawn_io(login_argv(r, i, g, stop), -1,
			                     "/dev/null");

			/* Its own messages ("Exit request sent.") are of no
			 * use. */
			if (pid > 0)
				(void)wait_for(pid);
			snprintf(r->path, sizeof r->path, "%s/%zu.%u", r->dir,
			         i, g);
			(void)unlink(r->path);
		}
	}
	for (i = 0; r->up != NULL && i < r->logins->n; i++)
		(void)unlink(err_path(r, i));
	if (r->dir != NULL)
		(void)rmdir(r->dir);
	words_free(r->ssh);
	free(r->dir);
	free(r->up);
	free(r->fails);
	free(r->down);
	free(r->cpus);
	free(r->view);
	free(r->slot_of);
	free(r->group_of);
	free(r->masters);
	free(r->argv);
	memset(r, 0, sizeof *r);
}

unsigned
remote_slots(const struct remote *r)
{
	return r->nslots;
}

bool
remote_fault(struct remote *r, const struct sshlogin *l)
{
	size_t i = (size_t)(l - r->logins->v);

	if (r->down[i])
		return true;
	if (++r->fails[i] == 1)
		msg_warn("ssh to %s failed before a job's command started "
		         "(status 255); the job runs again",
		         l->name);
	if (r->fails[i] < REMOTE_FAILS_MAX)
		return false;
	r->down[i] = true;
	msg_warn("%s is down: ssh failed %u times in a row; no more jobs go "
	         "there",
	         l->name, r->fails[i]);
	return true;
}

void
remote_began(struct remote *r, const struct sshlogin *l)
{
	r->fails[l - r->logins->v] = 0;
}

bool
remote_down(const struct remote *r, const struct sshlogin *l)
{
	return r->down[l - r->logins->v];
}

unsigned
remote_slots_up(const struct remote *r)
{
	unsigned k, n = 0;

	for (k = 1; k <= r->nslots; k++)
		n += !r->down[r->slot_of[k]];
	return n;
}

const struct sshlogin *
remote_login(const struct remote *r, unsigned k)
{
	if (r->slot_of == NULL || k == 0 || k > r->nslots)
		return NULL;
	return &r->logins->v[r->slot_of[k]];
}

/* The master connection group of slot k of login l (0: the first). */
static unsigned
group(const struct remote *r, const struct sshlogin *l, unsigned k)
{
	return k > 0 && k <= r->nslots && &r->logins->v[r->slot_of[k]] == l
	           ? r->group_of[k]
	           : 0;
}

char *const *
remote_ssh_words(struct remote *r, const struct sshlogin *l, unsigned k)
{
	static const char *const none[] = {NULL};
	size_t n;

	(void)login_argv(r, (size_t)(l - r->logins->v), group(r, l, k), none);
	for (n = 0; r->argv[n] != NULL; n++)
		;
	r->argv[n - 1] = NULL; /* the host */
	return r->argv;
}

char *const *
remote_argv(struct remote *r, const struct sshlogin *l, unsigned k)
{
	static const char *const job[] = {"-o", "ControlMaster=no", "HOST",
	                                  remote_bootstrap, NULL};

	return login_argv(r, (size_t)(l - r->logins->v), group(r, l, k), job);
}
