/* -S: the launch's side of jobs on other hosts (see remote.h). */
#include "config.h"

#include "launch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

extern char **environ;

/* The variables a remote job gets (see remote_env in launch.h): those
 * of --env this environment has (a name it lacks is left out, as GNU
 * parallel does). */
static int
remote_env_init(struct launch *l)
{
	size_t i, n = 2;

	l->remote_env = calloc(l->o->nenv + 3, sizeof *l->remote_env);
	if (l->remote_env == NULL)
		return -1;
	for (i = 0; i < l->o->nenv; i++) {
		const char *name = l->o->env_names[i];
		size_t len = strlen(name);
		char **e;

		for (e = environ; *e != NULL; e++)
			if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') {
				l->remote_env[n++] = *e;
				break;
			}
	}
	return 0;
}

/* Run a local script, stdin and stdout on /dev/null, and wait: its
 * status, or -1. */
static int
run_here(struct launch *l, const char *script)
{
	char *argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)script, NULL};
	struct child c;
	int st;

	if (child_spawn(argv[0], argv, jobenv_for(&l->env, 0, 0), -1, &c) != 0)
		return -1;
	/* (Its output pipes are drained by nobody: what it says is short.) */
	(void)close(c.out_fd);
	while (waitpid(c.pid, &st, 0) == -1)
		if (errno != EINTR) {
			(void)close(c.err_fd);
			return -1;
		}
	(void)close(c.err_fd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --basefile: sent to every host that is up before the first job (or,
 * remove, taken away at the end with --cleanup).  A host it cannot be
 * sent to is said. */
static void
basefiles(struct launch *l, bool remove)
{
	const struct pmapf_opts *o = l->o;
	const struct sshlogins *s = &o->logins;
	struct buf script = BUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct sshlogin *h = &s->v[i];
		struct transfer_job t;

		if (h->local || !l->remote.up[i] || remote_down(&l->remote, h))
			continue;
		memset(&t, 0, sizeof t);
		t.ssh = remote_ssh_words(&l->remote, h, 0);
		t.host = h->host;
		t.workdir = o->workdir != NULL && strcmp(o->workdir, "...") != 0
		                ? o->workdir
		                : "";
		t.send = remove ? NULL : (char *const *)o->basefiles;
		t.bootstrap = remote_bootstrap;
		buf_reset(&script);
		if ((remove ? transfer_remove(&script, &t,
		                              (char *const *)o->basefiles)
		            : transfer_script(&script, &t)) == -1 ||
		    buf_appendc(&script, '\0') == -1)
			break;
		if (run_here(l, script.data) != 0)
			msg_warn(
			    "cannot %s the --basefile files %s %s (is rsync "
			    "installed there?)",
			    remove ? "remove" : "send", remove ? "on" : "to",
			    h->name);
	}
	buf_free(&script);
}

/* --transferfile, --return: their templates, and rsync here. */
static int
files_init(struct launch *l)
{
	const struct pmapf_opts *o = l->o;
	size_t i, n = o->nsend + o->nback;
	struct template_conf conf;
	char *rsync = NULL;

	l->xfer_on = n > 0 || o->workdir != NULL;
	if (!l->xfer_on && o->nbase == 0)
		return 0;
	if (n + o->nbase > 0 && (errno = child_resolve("rsync", &rsync)) != 0) {
		msg_warn("--transferfile, --return and --basefile move files "
		         "with rsync, which is not installed here");
		return -1;
	}
	free(rsync);
	l->xfer_t = calloc(n + 1, sizeof *l->xfer_t);
	l->xfer_path = calloc(n + 1, sizeof *l->xfer_path);
	l->xfer_list = calloc(n + 3, sizeof *l->xfer_list);
	if (l->xfer_t == NULL || l->xfer_path == NULL || l->xfer_list == NULL)
		return -1;
	command_conf(o, true, &conf);
	for (i = 0; i < n; i++) {
		const char *f = i < o->nsend ? o->send_files[i]
		                             : o->back_files[i - o->nsend];

		if (template_parse_with(&l->xfer_t[i], 1, (char *const *)&f,
		                        &conf, NULL) == -1) {
			msg_warn_errno(
			    "cannot parse %s '%s'",
			    i < o->nsend ? "--transferfile" : "--return", f);
			return -1;
		}
	}
	if (o->nbase > 0)
		basefiles(l, false);
	return 0;
}

void
launch_remote_free(struct launch *l)
{
	const struct pmapf_opts *o = l->o;
	size_t i;

	/* (First: the cleanup's ssh must not be one session too many.) */
	launch_session_free(l);
	if (l->remote_on && o->nbase > 0 && o->cleanup)
		basefiles(l, true);
	for (i = 0; l->xfer_t != NULL && i < o->nsend + o->nback; i++) {
		template_free(l->xfer_t[i]);
		buf_free(&l->xfer_path[i]);
	}
	free(l->xfer_t);
	free(l->xfer_path);
	free(l->xfer_list);
	buf_free(&l->xfer_wd);
	buf_free(&l->xfer_script);
	remote_close(&l->remote);
	free(l->remote_env);
}

int
launch_remote_init(struct launch *l)
{
	const struct pmapf_opts *o = l->o;

	if (remote_open(&l->remote, &o->logins, o->ssh_cmd, o->jobs_per_login,
	                o->filter_hosts) == -1)
		return -1;
	l->remote_on = true;
	l->limit = remote_slots(&l->remote);
	if (remote_env_init(l) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	if ((errno = child_resolve(l->remote.ssh[0], &l->ssh_path)) != 0) {
		msg_warn("cannot run '%s': %s", l->remote.ssh[0],
		         msg_run_error(errno));
		return -1;
	}
	if (files_init(l) == -1) {
		if (errno == ENOMEM)
			msg_warn("out of memory");
		return -1;
	}
	if (!o->pipe && !l->xfer_on && !o->workers &&
	    launch_session_init(l) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	return 0;
}

const struct sshlogin *
launch_remote_where(const struct launch *l, unsigned k)
{
	const struct sshlogin *h =
	    l->remote_on ? remote_login(&l->remote, k) : NULL;

	return h != NULL && !h->local ? h : NULL;
}

/* --workdir for j: "..." a dir of its own under ~/.parallel/tmp (as GNU
 * parallel), "." this one (relative to home when below it), else as
 * given; NULL: the login dir. */
static const char *
workdir_of(struct launch *l, const struct job *j)
{
	const char *wd = l->o->workdir, *home = getenv("HOME");
	char cwd[4096];
	size_t hn;

	buf_reset(&l->xfer_wd);
	if (wd == NULL)
		return NULL;
	if (strcmp(wd, "...") == 0) {
		if (buf_printf(&l->xfer_wd, ".parallel/tmp/pmapf-%ld-%llu",
		               (long)getpid(),
		               (unsigned long long)j->seq) == -1)
			return NULL;
		return l->xfer_wd.data;
	}
	if (strcmp(wd, ".") != 0 || getcwd(cwd, sizeof cwd) == NULL)
		return wd;
	hn = home != NULL ? strlen(home) : 0;
	if (hn > 1 && strncmp(cwd, home, hn) == 0 && cwd[hn] == '/')
		return buf_appends(&l->xfer_wd, cwd + hn + 1) == -1
		           ? NULL
		           : l->xfer_wd.data;
	if (hn > 0 && strcmp(cwd, home) == 0)
		return NULL;
	return buf_appends(&l->xfer_wd, cwd) == -1 ? NULL : l->xfer_wd.data;
}

/* The local script that sends j's files, runs argv (its ssh) and
 * brings files back (transfer.h), into l->xfer_script.  0 or -1. */
static int
files_script(struct launch *l, const struct job *j, const struct sshlogin *h,
             char *const *argv, const char *wd)
{
	const struct pmapf_opts *o = l->o;
	size_t i, n = o->nsend + o->nback, at = 0;
	char **job, **ssh;
	struct transfer_job t;
	int r = -1;

	for (i = 0; argv[i] != NULL; i++)
		;
	job = calloc(i + 1, sizeof *job);
	if (job == NULL)
		return -1;
	memcpy(job, argv, i * sizeof *job);
	ssh = (char **)remote_ssh_words(&l->remote, h, j->t.slot);
	for (i = 0; i < n; i++) {
		if (i == o->nsend)
			l->xfer_list[at++] = NULL;
		if (command_string(&l->cmd, l->xfer_t[i], j,
		                   &l->xfer_path[i]) == -1 ||
		    buf_appendc(&l->xfer_path[i], '\0') == -1)
			goto done;
		l->xfer_list[at++] = l->xfer_path[i].data;
	}
	if (o->nsend == n)
		l->xfer_list[at++] = NULL;
	l->xfer_list[at] = NULL;
	memset(&t, 0, sizeof t);
	t.ssh = ssh;
	t.host = h->host;
	t.job = job;
	t.workdir = wd != NULL ? wd : "";
	t.rm_workdir =
	    o->cleanup && o->workdir != NULL && strcmp(o->workdir, "...") == 0;
	t.send = l->xfer_list;
	t.back = l->xfer_list + o->nsend + 1;
	t.cleanup = o->cleanup;
	t.bootstrap = remote_bootstrap;
	buf_reset(&l->xfer_script);
	r = transfer_script(&l->xfer_script, &t) == -1 ||
	            buf_appendc(&l->xfer_script, '\0') == -1
	        ? -1
	        : 0;
done:
	free(job);
	return r;
}

/* -S: j on another machine, through ssh, its script on ssh's stdin
 * (held open until it ends: remote.h); with files, through the local
 * script that moves them. */
int
launch_remote_spawn(struct launch *l, struct job *j, const struct sshlogin *h,
                    struct child *c)
{
	char *const *argv;
	const char *wd, *path = l->ssh_path;
	char *sh[4] = {(char *)"/bin/sh", (char *)"-c", NULL, NULL};
	int in[2], err;

	if (l->sess_on)
		return launch_session_spawn(l, j, h, c);
	argv = remote_argv(&l->remote, h, j->t.slot);
	wd = workdir_of(l, j);
	(void)jobenv_for(&l->env, j->seq, j->t.slot);
	l->remote_env[0] = l->env.slot;
	l->remote_env[1] = l->env.seq;
	buf_reset(&l->script);
	if (argv == NULL || remote_script(&l->script, l->cmd.argv.argv,
	                                  l->remote_env, wd) == -1)
		return ENOMEM;
	if (l->xfer_on) {
		if (files_script(l, j, h, argv, wd) == -1)
			return errno == EINVAL ? EINVAL : ENOMEM;
		sh[2] = l->xfer_script.data;
		argv = sh;
		path = sh[0];
	}
	if (io_pipe_nonblock(in, 1) == -1)
		return errno;
	err = child_spawn(path, argv, jobenv_for(&l->env, j->seq, j->t.slot),
	                  in[0], c);
	(void)close(in[0]);
	if (err != 0) {
		(void)close(in[1]);
		return err;
	}
	j->route.in_fd = in[1];
	j->route.host = h;
	if (jobin_put(l->spill, j, l->script.data, l->script.len) == -1)
		return ENOMEM;
	return 0;
}

const char *
launch_remote_worker(struct launch *l, unsigned k, char *const **argv,
                     const char **pre, size_t *pre_len)
{
	const struct sshlogin *h = remote_login(&l->remote, k);
	const char *wd = l->o->workdir;

	if (h == NULL || remote_down(&l->remote, h)) {
		errno = EHOSTDOWN;
		return NULL;
	}
	if (h->local) {
		*argv = l->o->argv;
		return l->cmd.path;
	}
	(void)jobenv_for(&l->env, 0, k);
	l->remote_env[0] = l->env.slot;
	l->remote_env[1] = l->env.seq;
	buf_reset(&l->script);
	if (remote_worker_script(&l->script, l->o->argv, l->remote_env,
	                         wd != NULL && strcmp(wd, ".") == 0
	                             ? workdir_of(l, NULL)
	                             : wd) == -1 ||
	    (*argv = remote_argv(&l->remote, h, k)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*pre = l->script.data;
	*pre_len = l->script.len;
	return l->ssh_path;
}

void
launch_remote_answered(struct launch *l, const struct job *j)
{
	const struct sshlogin *h =
	    l->remote_on ? remote_login(&l->remote, j->t.slot) : NULL;

	if (h != NULL && !h->local)
		remote_began(&l->remote, h);
}

bool
launch_remote_lost(struct launch *l, const struct job *j, int wstatus,
                   bool began)
{
	const struct sshlogin *h =
	    l->remote_on ? remote_login(&l->remote, j->t.slot) : NULL;

	/* (pmapf stopping its workers is no host's fault; a host already
	 * down was said.) */
	if (h == NULL || h->local || l->pool.signalled || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus) != 255 || remote_down(&l->remote, h))
		return false;
	if (began)
		return j->requeued < REMOTE_FAILS_MAX;
	if (remote_fault(&l->remote, h)) {
		l->pool.limit = remote_slots_up(&l->remote);
		if (l->pool.limit == 0) {
			l->all_down = true;
			return false;
		}
	}
	return true;
}

/* --onall: the one slot of login h (from 1); 0 if it is not up. */
static unsigned
pin_slot(const struct launch *l, unsigned h)
{
	const struct sshlogin *want = &l->o->logins.v[h - 1];
	unsigned k;

	if (!l->remote_on)
		return h <= l->slots.n ? h : 0;
	for (k = 1; k <= remote_slots(&l->remote); k++)
		if (remote_login(&l->remote, k) == want)
			return remote_down(&l->remote, want) ? 0 : k;
	return 0;
}

bool
launch_host_free(void *ctx, unsigned host)
{
	const struct launch *l = ctx;
	unsigned k;

	if (l->o->dry_run)
		return true;
	k = pin_slot(l, host);
	return k == 0 || slots_is_free(&l->slots, k);
}

int
launch_pin_take(struct launch *l, struct job *j)
{
	unsigned k = pin_slot(l, j->pin);

	/* (--filter-hosts: as if the host had not been named.) */
	if (k == 0 && l->o->filter_hosts)
		return -2;
	if (k == 0) {
		(void)job_note(l->spill, j,
		               "%s is not up: the job does not run",
		               l->o->logins.v[j->pin - 1].name);
		return -1;
	}
	return slots_take_this(&l->slots, k) ? (int)k : 0;
}

/* Each host's (or node's) jobs, shown; NULL: none. */
static struct progress_host *
views(const struct launch *l)
{
	return l->remote_on  ? l->remote.view
	       : l->slurm_on ? l->slurm.view
	                     : NULL;
}

void
launch_remote_started(struct launch *l, struct job *j)
{
	const struct sshlogin *h;

	if (l->remote_on) {
		h = remote_login(&l->remote, j->t.slot);
		j->route.view_at = (unsigned)(h - l->remote.logins->v) + 1;
	} else if (l->slurm_on && j->route.node != NULL) {
		j->route.view_at =
		    (unsigned)(j->route.node - l->slurm.nodes.v) + 1;
	} else {
		return;
	}
	views(l)[j->route.view_at - 1].running++;
	j->route.view_running = true;
}

bool
launch_remote_release(struct launch *l, struct job *j)
{
	const struct sshlogin *h =
	    l->remote_on ? remote_login(&l->remote, j->t.slot) : NULL;
	struct progress_host *v = views(l);

	/* (Once: a job is released when reaped and when finished.) */
	if (j->route.view_running) {
		v[j->route.view_at - 1].running--;
		j->route.view_running = false;
	}
	/* Its ssh has ended: the stdin its script went in is done with. */
	if (j->route.host != NULL && j->t.reaped)
		job_close_in(j);
	return h == NULL || !remote_down(&l->remote, h);
}

void
launch_remote_done(struct launch *l, const struct job *j)
{
	/* Not the route of a job of this machine alone: its cache line
	 * is cold (see job_cache.routed). */
	if (launch_elsewhere(l) && j->route.view_at > 0)
		views(l)[j->route.view_at - 1].done++;
}

size_t
launch_hosts(const struct launch *l, const struct progress_host **hosts)
{
	size_t n = l->remote_on  ? l->remote.logins->n
	           : l->slurm_on ? l->slurm.nodes.n
	                         : 0;

	*hosts = views(l);
	return n > 1 ? n : 0;
}

bool
launch_remote_again(struct launch *l, struct job *j, bool *none_up)
{
	const struct sshlogin *h = j->route.host;
	unsigned k;

	*none_up = false;
	if (h == NULL)
		return false;
	if (j->route.remote_began) {
		remote_began(&l->remote, h);
		/* A session's job: its end marked, the status is its own;
		 * else the session was lost under it (unless pmapf took it
		 * down). */
		if (j->route.frame_ends & FRAME_ENDED_OUT)
			return false;
		if (j->route.out_frame != NULL) {
			if (!j->t.timed_out && !j->t.stopping) {
				j->end.exitval = j->end.status = 255;
				j->end.signal = 0;
				(void)job_note(l->spill, j,
				               "the connection to %s was lost "
				               "while the job ran",
				               h->name);
			}
			return false;
		}
		/* ssh's 255 after the command began: the connection was lost
		 * (or the command itself exited 255); either way said. */
		if (j->end.exitval == 255 && j->end.signal == 0)
			(void)job_note(
			    l->spill, j,
			    "ssh to %s exited 255 after the command "
			    "started: the connection was lost, or the "
			    "command exited 255",
			    h->name);
		return false;
	}
	/* (A 0 without the started byte: ssh, or what --ssh named, ran
	 * nothing there.  No success either.  A session's job that had not
	 * started: its session went, however its ssh ended, unless pmapf
	 * stopped it.) */
	if (!(j->route.out_frame != NULL && !j->t.timed_out &&
	      !j->t.stopping) &&
	    (j->end.signal != 0 ||
	     (j->end.exitval != 255 && j->end.exitval != 0)))
		return false;
	j->end.exitval = j->end.status = 255;
	j->end.signal = 0;
	if (remote_fault(&l->remote, h)) {
		for (k = 1; k <= remote_slots(&l->remote); k++)
			if (remote_login(&l->remote, k) == h)
				slots_drop(&l->slots, k);
		l->limit = remote_slots_up(&l->remote);
		*none_up = l->limit == 0;
	}
	return !*none_up;
}
