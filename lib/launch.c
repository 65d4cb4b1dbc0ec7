#include "config.h"

#include "launch.h"
#include "launch_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "child.h"
#include "io.h"
#include "msg.h"
#include "shquote.h"

/* A job that ended before it ran: status, and a note saying why. */
enum launch_result
launch_ended(struct launch *l, struct job *j, int status)
{
	launch_release(l, j);
	j->end.status = j->end.exitval = status;
	joblist_push(l->done, j);
	return LAUNCH_ENDED;
}

/* -S, --slurm: the login or node slot k runs its jobs on (":" here);
 * NULL without either. */
const struct sshlogin *
launch_slot_place(const struct launch *l, unsigned k)
{
	return l->remote_on  ? remote_login(&l->remote, k)
	       : l->slurm_on ? slurm_node(&l->slurm, k)
	                     : NULL;
}

int
launch_init(struct launch *l, const struct pmapf_opts *o,
            struct spool_file *spill, struct joblist *done,
            struct joblist *retry, bool want_cmd)
{
	unsigned nslots;

	memset(l, 0, sizeof *l);
	l->o = o;
	l->spill = spill;
	l->done = done;
	l->retry = retry;
	l->want_cmd = want_cmd || o->verbose;
	l->limit = o->jobs;
	if (jobenv_init(&l->env) == -1) {
		msg_warn_errno("cannot copy the environment");
		return -1;
	}
	/* (A dry run reaches no host: it prints the commands.) */
	if (sshlogins_remote(&o->logins) && !o->dry_run &&
	    launch_remote_init(l) == -1)
		return -1;
	if (o->slurm && !o->dry_run) {
		if (slurm_open(&l->slurm, o->srun_cmd, o->cpus_per_task,
		               o->jobs) == -1)
			return -1;
		l->slurm_on = true;
	}
	/* --onall, --nonall: a slot per login; -j of them at once. */
	nslots = l->limit;
	if ((o->onall || o->nonall) && l->limit > o->jobs)
		l->limit = o->jobs;
	if (slots_init(&l->slots, nslots, o->dry_run) == -1) {
		msg_warn_errno("cannot allocate %u job slots", l->limit);
		return -1;
	}
	if (command_init(&l->cmd, o) == -1)
		return -1;
	if ((o->argc > 0 && !o->workers) || o->dry_run)
		return 0;
	return launch_pool_init(l);
}

void
launch_free(struct launch *l)
{
	if (l->use_pool)
		pool_shutdown(&l->pool);
	free(l->pool_owner);
	/* (First: --basefile's removal runs with the environment.) */
	launch_remote_free(l);
	slurm_close(&l->slurm);
	command_free(&l->cmd);
	jobenv_free(&l->env);
	slots_free(&l->slots);
	free(l->ssh_path);
	buf_free(&l->script);
}

/* --max-chars: a command line longer fails, said (as GNU parallel, but
 * the other jobs run). */
static bool
too_long(struct launch *l, struct job *j)
{
	size_t n;

	if (l->o->max_chars == 0 ||
	    (n = command_chars(&l->cmd)) <= l->o->max_chars)
		return false;
	(void)job_note(l->spill, j,
	               "command line too long (%zu bytes; --max-chars is %zu)",
	               n, l->o->max_chars);
	return true;
}

/* A job about to start (or be printed): its tag and command line.
 * LAUNCH_STARTED to go on; else how it ended (a value holding a NUL, a
 * line too long) or LAUNCH_ERROR. */
static enum launch_result
make_command(struct launch *l, struct job *j)
{
	/* (-S, --slurm: --plus {host} and {sshlogin} name where it runs.)
	 */
	if (launch_elsewhere(l))
		command_set_host(&l->cmd, launch_slot_place(l, j->t.slot));
	if (l->o->tag && command_tag(&l->cmd, j) == -1)
		return LAUNCH_ERROR;
	if (l->cmd.tmpl == NULL) /* the built-in, for --dry-run */
		return LAUNCH_STARTED;
	if (command_expand(&l->cmd, j) == -1) {
		if (errno != EINVAL)
			return LAUNCH_ERROR;
		(void)job_note_nul(l->spill, j);
		return launch_ended(l, j, 1);
	}
	return too_long(l, j) ? launch_ended(l, j, 1) : LAUNCH_STARTED;
}

int
launch_preview(struct launch *l, struct job *j, struct buf *line)
{
	if (command_fit(&l->cmd, j) == -1)
		return -1;
	if (l->cmd.tmpl != NULL && command_expand(&l->cmd, j) == -1) {
		/* It will fail when it starts, and say why: show the record. */
		buf_reset(line);
		return errno == EINVAL
		           ? buf_append(line, j->rec.data, j->rec.len)
		           : -1;
	}
	return command_describe(&l->cmd, j, line);
}

bool
launch_resource_error(int err)
{
	return err == EMFILE || err == ENFILE || err == EAGAIN || err == ENOMEM;
}

bool
launch_has_room(const struct launch *l, const struct procs *p)
{
	if (l->o->delay > 0 && io_now() < l->next_start)
		return false;
	if (l->o->dry_run)
		return true;
	if (l->use_pool)
		return pool_can_take(&l->pool);
	/* A job needs a free slot: usually one is free while fewer than
	 * limit run, but a session's job keeps its slot until its output
	 * has ended, after it was reaped. */
	if (l->slots.nfree == 0)
		return false;
	/* Jobs that exited but still hold their pipes count too: their
	 * descriptors are not free yet. */
	return p->running < l->limit && p->n < l->limit + l->limit / 2 + 1;
}

void
launch_release(struct launch *l, struct job *j)
{
	bool slot_back = true;

	/* This machine alone (a million tiny jobs come through here): no
	 * host to count it off, no session lending its pipes. */
	if (launch_elsewhere(l)) {
		/* A session's job still reading from it keeps its slot. */
		if (job_fds_lent(j) && !launch_session_release(l, j))
			return;
		/* -S: a down host's slots are not given again. */
		slot_back = launch_remote_release(l, j);
	}
	if (slot_back && j->t.how != JOB_POOLED)
		slots_put(&l->slots, j->t.slot);
	j->t.slot = 0;
}

static enum launch_result
start_dry(struct launch *l, struct job *j)
{
	struct buf line = BUF_INIT;
	enum launch_result r;

	j->t.how = JOB_DRY;
	j->t.slot = slots_take(&l->slots);
	if ((r = make_command(l, j)) != LAUNCH_STARTED)
		return r;
	if (command_describe(&l->cmd, j, &line) == -1 ||
	    buf_appendc(&line, '\n') == -1 ||
	    spool_add(l->spill, &j->out, line.data, line.len) == -1) {
		buf_free(&line);
		return LAUNCH_ERROR;
	}
	buf_free(&line);
	if (l->want_cmd)
		(void)command_describe(&l->cmd, j, &j->cmd);
	return launch_ended(l, j, 0);
}

/* Spawn j's command; with --pipe its stdin is a pipe from pmapf (made
 * big: blocks are big), whose write end j keeps.  0 or an errno value. */
static int
spawn_job(struct launch *l, struct job *j, struct child *c)
{
	int in[2] = {-1, -1}, err;
	const struct sshlogin *h = launch_remote_where(l, j->t.slot);
	const char *path = l->cmd.path;
	char *const *argv = l->cmd.argv.argv;

	if (h != NULL)
		return launch_remote_spawn(l, j, h, c);
	if (l->slurm_on) {
		/* A step on the slot's node: srun finds the command there. */
		if ((argv = slurm_argv(&l->slurm, j->t.slot, argv)) == NULL)
			return ENOMEM;
		path = l->slurm.path;
		j->route.node = launch_slot_place(l, j->t.slot);
	}

	/* (--cat, --fifo: the block is in a file or FIFO, {}; stdin is
	 * empty.) */
	if (l->o->pipe && !l->o->pipe_cat && !l->o->pipe_fifo) {
		if (io_pipe_nonblock(in, 1) == -1)
			return errno;
		j->route.in_pipe_size = io_grow_pipe(in[1], 1 << 20);
	}
	err = child_spawn(path, argv, jobenv_for(&l->env, j->seq, j->t.slot),
	                  in[0], c);
	if (in[0] >= 0)
		(void)close(in[0]);
	if (err != 0 && in[1] >= 0)
		(void)close(in[1]);
	else if (in[1] >= 0)
		j->route.in_fd = in[1];
	return err;
}

static enum launch_result
start_spawned(struct launch *l, struct job *j, struct procs *p, double now)
{
	enum launch_result r;
	struct child c = {0, -1, -1, -1};
	int err;

	j->t.how = JOB_SPAWNED;
	if (j->pin > 0 && !l->o->dry_run) {
		int k = launch_pin_take(l, j);

		if (k == 0)
			return LAUNCH_WAIT;
		if (k == -2)
			j->end.skipped = true;
		if (k < 0)
			return launch_ended(l, j, k == -2 ? 0 : 255);
		j->t.slot = j->t.ran_in = (unsigned)k;
	} else {
		j->t.slot = j->t.ran_in = slots_take(&l->slots);
	}
	if ((r = make_command(l, j)) != LAUNCH_STARTED)
		return r;
	/* Known before it runs, so even a job that cannot start is logged
	 * with what it would have been. */
	if (l->want_cmd && command_describe(&l->cmd, j, &j->cmd) == -1)
		return LAUNCH_ERROR;
	/* {} in the command's name: found for each job, as GNU parallel.
	 * (On another host or node, it is that one's to find.) */
	if (launch_remote_where(l, j->t.slot) != NULL || l->slurm_on)
		err = 0;
	else if ((err = command_program(&l->cmd)) == ENOMEM)
		return LAUNCH_ERROR;
	if (err != 0) {
		(void)job_note_cannot_run(l->spill, j, command_name(&l->cmd),
		                          err);
		return launch_ended(l, j, child_error_status(err));
	}
	err = spawn_job(l, j, &c);
	if (err != 0 && launch_resource_error(err) && p->n > 0) {
		/* Descriptors or processes are short while other jobs hold
		 * some: run with as many as hold them now, and wait. */
		launch_release(l, j);
		l->limit_err = err;
		/* (Not said when a job that has exited still holds its
		 * pipes for a moment: that is no lower limit.  --tee cannot
		 * continue with fewer: said there.) */
		if (!l->limit_warned && p->n < l->o->jobs && !l->o->pipe_tee) {
			msg_warn(
			    "cannot start more than %zu jobs at once (%s); "
			    "continuing with %zu",
			    p->n, strerror(err), p->n);
			l->limit_warned = true;
		}
		l->limit = p->n < l->limit ? (unsigned)p->n : l->limit;
		if (l->limit == 0)
			l->limit = 1;
		buf_reset(&j->cmd);
		return LAUNCH_WAIT;
	}
	if (err != 0 && launch_resource_error(err)) {
		/* Not even one job fits: pmapf's own problem, not the
		 * record's. */
		launch_release(l, j);
		errno = err;
		return LAUNCH_ERROR;
	}
	if (err != 0) {
		(void)job_note_cannot_run(l->spill, j, command_name(&l->cmd),
		                          err);
		return launch_ended(l, j, child_error_status(err));
	}
	j->t.pid = c.pid;
	j->t.out_fd = c.out_fd;
	j->t.err_fd = c.err_fd;
	launch_remote_started(l, j);
	if (l->want_cmd)
		j->t.start_wall = io_wallclock();
	if (procs_add(p, j, now) == -1) {
		/* (A session's are the session's to end.) */
		if (!job_fds_lent(j)) {
			(void)killpg(c.pid, SIGKILL);
			(void)close(c.out_fd);
			(void)close(c.err_fd);
		}
		j->t.pid = 0;
		j->t.out_fd = j->t.err_fd = -1;
		return LAUNCH_ERROR;
	}
	return LAUNCH_STARTED;
}

/* -t: the command on stderr as the job starts (or fails to). */
static void
say_command(const struct job *j)
{
	struct buf line = BUF_INIT;

	if (buf_append(&line, j->cmd.data, j->cmd.len) == 0 &&
	    buf_appendc(&line, '\n') == 0)
		(void)msg_write_stderr(line.data, line.len);
	else
		msg_warn("out of memory");
	buf_free(&line);
}

enum launch_result
launch_start(struct launch *l, struct job *j, struct procs *p, double now)
{
	enum launch_result r;

	if (command_fit(&l->cmd, j) == -1)
		return LAUNCH_ERROR;
	r = l->o->dry_run ? start_dry(l, j)
	    : l->use_pool ? launch_pool_start(l, j, now)
	                  : start_spawned(l, j, p, now);
	if (r != LAUNCH_STARTED && r != LAUNCH_ENDED)
		return r;
	if (l->o->verbose)
		say_command(j);
	if (l->o->delay > 0)
		l->next_start = now + l->o->delay;
	return r;
}
