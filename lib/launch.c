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

/* Workers told to end get this long before SIGKILL. */
#define CLOSE_GRACE 1.0

/* A job that ended before it ran: status, and a note saying why. */
static enum launch_result
ended(struct launch *l, struct job *j, int status)
{
	launch_release(l, j);
	j->end.status = j->end.exitval = status;
	joblist_push(l->done, j);
	return LAUNCH_ENDED;
}

static void
pool_done(void *ctx, void *task, int status, const char *out, size_t out_len,
          const char *why, size_t why_len)
{
	struct launch *l = ctx;
	struct job *j = task;

	if (spool_add(l->spill, &j->out, out, out_len) == -1 ||
	    /* A line worker's last answer, cut short by its exit: still a
	     * line of its own. */
	    (l->pool.proto == POOL_LINES && out_len > 0 &&
	     out[out_len - 1] != '\n' &&
	     spool_add(l->spill, &j->out, "\n", 1) == -1))
		(void)job_note(l->spill, j, "output lost: %s", strerror(errno));
	if (status != 0 && why_len > 0)
		(void)job_note(l->spill, j, "%.*s", (int)why_len, why);
	j->end.status = j->end.exitval = status;
	launch_remote_answered(l, j);
	joblist_push(l->done, j);
}

static void
pool_lost(void *ctx, void *task, bool first, int wstatus, bool began)
{
	struct launch *l = ctx;
	struct job *j = task;

	/* Only queued behind the task that took the worker down, never
	 * read: it goes to another worker, in input order, costing no try.
	 * (Each death fails the task in flight, so this always ends.) */
	/* (Not counted as running on its host any more.) */
	(void)launch_remote_release(l, j);
	if (!first || launch_remote_lost(l, j, wstatus, began)) {
		j->requeued++;
		joblist_insert(l->retry, j);
		return;
	}
	/* The worker's status, as the joblog shows it; the task itself
	 * failed whatever the worker's exit status. */
	job_decode_wait(j, wstatus);
	j->end.status = 1;
	if (j->end.signal != 0)
		(void)job_note(l->spill, j,
		               "worker process killed by signal %d (%s)",
		               j->end.signal, strsignal(j->end.signal));
	else
		(void)job_note(l->spill, j,
		               "worker process exited (status %d) without "
		               "answering",
		               j->end.exitval);
	joblist_push(l->done, j);
}

static void
pool_stderr(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)msg_write_stderr(p, n);
}

static void
pool_out_of_step(void *ctx, const struct pool_stray *st)
{
	struct launch *l = ctx;
	struct buf m = BUF_INIT, ids = BUF_INIT;
	size_t i, shown = st->answered < POOL_STRAY_NAMED ? st->answered
	                                                  : POOL_STRAY_NAMED;

	/* A line protocol cannot tell which answer was the extra one, and
	 * each one after it went to the next record: every record the
	 * worker answered may hold another's answer.  They fail. */
	l->out_of_step += st->answered;
	l->out_of_step_last = st->last_id;
	for (i = 0; i < shown; i++)
		(void)buf_printf(&ids, "%s%llu", i > 0 ? ", " : "",
		                 (unsigned long long)st->named[i]);
	if (st->answered > shown)
		(void)buf_printf(&ids, " ... %llu",
		                 (unsigned long long)st->last_id);
	if (msg_quote_record(&m, st->line, st->len, st->len) != 0 ||
	    (st->answered > 0 && ids.data == NULL))
		msg_warn("a worker answered one line more than it was given "
		         "records: it was replaced; the %zu records it "
		         "answered failed",
		         st->answered);
	else if (st->answered == 0)
		msg_warn("a worker answered a line before it was given any "
		         "record (%s); it was replaced",
		         m.data);
	else
		msg_warn("a worker answered one line more than it was given "
		         "records (%s, after record %llu): the %zu record%s it "
		         "answered (%s) may hold another's answer and count "
		         "as failed; it was replaced",
		         m.data, (unsigned long long)st->last_id, st->answered,
		         st->answered == 1 ? "" : "s", ids.data);
	buf_free(&m);
	buf_free(&ids);
}

/* -S, --slurm: the login or node slot k runs its jobs on (":" here);
 * NULL without either. */
static const struct sshlogin *
slot_place(const struct launch *l, unsigned k)
{
	return l->remote_on  ? remote_login(&l->remote, k)
	       : l->slurm_on ? slurm_node(&l->slurm, k)
	                     : NULL;
}

/* --workers with --slurm or -S: worker i is a long-lived step on its
 * slot's node, or a process on its slot's host. */
static const char *
worker_launch(void *ctx, unsigned i, char *const **argv, const char **pre,
              size_t *pre_len)
{
	struct launch *l = ctx;

	if (!l->slurm_on)
		return launch_remote_worker(l, i + 1, argv, pre, pre_len);
	*argv = slurm_argv(&l->slurm, i + 1, l->o->argv);
	return *argv != NULL ? l->slurm.path : NULL;
}

int
launch_init(struct launch *l, const struct pmapf_opts *o,
            struct spool_file *spill, struct joblist *done,
            struct joblist *retry, bool want_cmd)
{
	static const struct pool_hooks hooks = {pool_done, pool_lost,
	                                        pool_stderr, pool_out_of_step};
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
	/* (On other hosts or nodes it is theirs to find.) */
	if (o->argc > 0 && l->cmd.resolve_err != 0 && !l->slurm_on &&
	    !l->remote_on) {
		msg_warn("--workers: cannot run '%s': %s", o->argv[0],
		         msg_run_error(l->cmd.resolve_err));
		return -1;
	}
	/* (-S: a worker per slot of the hosts that are up.) */
	if (pool_init(&l->pool, o->argc == 0 ? POOL_FRAMED : POOL_LINES,
	              l->limit, &hooks, l) == -1) {
		msg_warn_errno("cannot allocate %u workers", l->limit);
		return -1;
	}
	l->use_pool = true;
	l->pool_owner =
	    calloc(pool_pollfd_count(&l->pool), sizeof *l->pool_owner);
	if (l->pool_owner == NULL) {
		msg_warn_errno("cannot allocate %u workers", o->jobs);
		return -1;
	}
	if (o->argc == 0)
		pool_set_builtin(&l->pool, builtin_worker,
		                 (void *)&o->time_scale);
	else
		pool_set_program(&l->pool, l->cmd.path, o->argv);
	if (l->slurm_on || l->remote_on)
		pool_set_launcher(&l->pool, worker_launch);
	/* (A remote worker's script says when it began, as a job's.) */
	if (l->remote_on)
		l->pool.began_byte = REMOTE_STARTED;
	if (l->slurm_on)
		l->pool.stop_sig = SIGTERM;
	l->pool.env = &l->env;
	return 0;
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
	if (l->remote_on || l->slurm_on)
		command_set_host(&l->cmd, slot_place(l, j->t.slot));
	if (l->o->tag && command_tag(&l->cmd, j) == -1)
		return LAUNCH_ERROR;
	if (l->cmd.tmpl == NULL) /* the built-in, for --dry-run */
		return LAUNCH_STARTED;
	if (command_expand(&l->cmd, j) == -1) {
		if (errno != EINVAL)
			return LAUNCH_ERROR;
		(void)job_note_nul(l->spill, j);
		return ended(l, j, 1);
	}
	return too_long(l, j) ? ended(l, j, 1) : LAUNCH_STARTED;
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

static bool
is_resource_error(int err)
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
	/* (A session's job keeps its slot until its output has ended.) */
	if (l->sess_on && l->slots.nfree == 0)
		return false;
	/* Jobs that exited but still hold their pipes count too: their
	 * descriptors are not free yet. */
	return p->running < l->limit && p->n < l->limit + l->limit / 2 + 1;
}

void
launch_release(struct launch *l, struct job *j)
{
	/* (A session's job still reading from it keeps its slot.) */
	if (j->t.fds_lent && !launch_session_release(l, j))
		return;
	/* (-S: a down host's slots are not given again.) */
	if (launch_remote_release(l, j) && j->t.how != JOB_POOLED)
		slots_put(&l->slots, j->t.slot);
	j->t.slot = 0;
}

bool
launch_reaped(struct launch *l, pid_t pid, int wstatus)
{
	if (l->use_pool)
		return pool_reaped(&l->pool, pid, wstatus);
	return l->sess_on && launch_session_reaped(l, pid);
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
	return ended(l, j, 0);
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
		j->t.node = slot_place(l, j->t.slot);
	}

	/* (--cat, --fifo: the block is in a file or FIFO, {}; stdin is
	 * empty.) */
	if (l->o->pipe && !l->o->pipe_cat && !l->o->pipe_fifo) {
		if (io_pipe_nonblock(in, 1) == -1)
			return errno;
		j->t.in_pipe_size = io_grow_pipe(in[1], 1 << 20);
	}
	err = child_spawn(path, argv, jobenv_for(&l->env, j->seq, j->t.slot),
	                  in[0], c);
	if (in[0] >= 0)
		(void)close(in[0]);
	if (err != 0 && in[1] >= 0)
		(void)close(in[1]);
	else if (in[1] >= 0)
		j->t.in_fd = in[1];
	return err;
}

static enum launch_result
start_spawned(struct launch *l, struct job *j, struct procs *p, double now)
{
	enum launch_result r;
	struct child c;
	int err;

	j->t.how = JOB_SPAWNED;
	if (j->pin > 0 && !l->o->dry_run) {
		int k = launch_pin_take(l, j);

		if (k == 0)
			return LAUNCH_WAIT;
		if (k == -2)
			j->end.skipped = true;
		if (k < 0)
			return ended(l, j, k == -2 ? 0 : 255);
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
		return ended(l, j, child_error_status(err));
	}
	err = spawn_job(l, j, &c);
	if (err != 0 && is_resource_error(err) && p->n > 0) {
		/* Descriptors or processes are short while other jobs hold
		 * some: run with as many as hold them now, and wait. */
		launch_release(l, j);
		/* (Not said when a job that has exited still holds its
		 * pipes for a moment: that is no lower limit.) */
		if (!l->limit_warned && p->n < l->o->jobs) {
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
	if (err != 0 && is_resource_error(err)) {
		/* Not even one job fits: pmapf's own problem, not the
		 * record's. */
		launch_release(l, j);
		errno = err;
		return LAUNCH_ERROR;
	}
	if (err != 0) {
		(void)job_note_cannot_run(l->spill, j, command_name(&l->cmd),
		                          err);
		return ended(l, j, child_error_status(err));
	}
	j->t.pid = c.pid;
	j->t.out_fd = c.out_fd;
	j->t.err_fd = c.err_fd;
	launch_remote_started(l, j);
	if (l->want_cmd)
		j->t.start_wall = io_wallclock();
	if (procs_add(p, j, now) == -1) {
		/* (A session's are the session's to end.) */
		if (!j->t.fds_lent) {
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

static enum launch_result
start_pooled(struct launch *l, struct job *j, double now)
{
	unsigned worker = 0;
	int err;

	j->t.how = JOB_POOLED;
	if (l->pool.proto == POOL_LINES &&
	    memchr(j->rec.data, '\n', j->rec.len) != NULL) {
		(void)job_note(l->spill, j,
		               "record contains a newline and cannot go to a "
		               "line-protocol worker");
		return ended(l, j, 1);
	}
	err =
	    pool_submit(&l->pool, j, j->seq, j->rec.data, j->rec.len, &worker);
	if (err == 0) {
		/* A worker is a job slot: {%} is its number. */
		j->t.slot = j->t.ran_in = worker + 1;
		/* (Its host or node: the joblog's Host, {host}.) */
		if ((j->t.node = slot_place(l, j->t.slot)) != NULL)
			command_set_host(&l->cmd, j->t.node);
		launch_remote_started(l, j);
		j->t.started = now;
		if (l->want_cmd)
			j->t.start_wall = io_wallclock();
		/* The job is the worker's now: a failure here must not
		 * hand it back; the run is ended by the caller instead. */
		if ((l->o->tag && command_tag(&l->cmd, j) == -1) ||
		    (l->want_cmd &&
		     command_describe(&l->cmd, j, &j->cmd) == -1))
			l->out_of_memory = true;
		return LAUNCH_STARTED;
	}
	if (is_resource_error(err) && pool_alive(&l->pool) > 0) {
		if (!l->pool_warned) {
			msg_warn("cannot start more than %u worker processes "
			         "(%s); continuing with %u",
			         pool_alive(&l->pool), strerror(err),
			         pool_alive(&l->pool));
			l->pool_warned = true;
		}
		return LAUNCH_WAIT;
	}
	errno = err;
	return LAUNCH_ERROR;
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
	    : l->use_pool ? start_pooled(l, j, now)
	                  : start_spawned(l, j, p, now);
	if (r != LAUNCH_STARTED && r != LAUNCH_ENDED)
		return r;
	if (l->o->verbose)
		say_command(j);
	if (l->o->delay > 0)
		l->next_start = now + l->o->delay;
	return r;
}

void
launch_close(struct launch *l)
{
	if (l->use_pool && !l->pool.closing)
		pool_close_input(&l->pool);
}

bool
launch_workers_gone(struct launch *l, double now)
{
	if (!l->use_pool)
		return true;
	if (l->pool.inflight > 0)
		return false;
	launch_close(l);
	if (pool_alive(&l->pool) == 0)
		return true;
	/* Workers end on EOF; whoever does not within the grace is killed. */
	if (l->pool_deadline == 0)
		l->pool_deadline = now + CLOSE_GRACE;
	else if (now >= l->pool_deadline)
		pool_signal(&l->pool, SIGKILL);
	return false;
}

/*
 * A line-protocol worker must answer each line as it comes; some programs
 * read ahead instead (mawk without -W interactive).  Once input has ended
 * such a worker would wait forever for lines pmapf holds back for it, so
 * after a second of silence the rest is sent; and a long silence is
 * explained once.
 */
void
launch_tick(struct launch *l, bool input_ended, double now)
{
	double quiet;

	if (!l->use_pool)
		return;
	if (l->pool.proto == POOL_LINES) {
		quiet = pool_silence(&l->pool, now);
		if (quiet >= 1.0 && input_ended && !l->pool.flood)
			pool_flood(&l->pool);
		if (quiet >= 5.0 && !l->silence_warned) {
			msg_warn(
			    "a worker has not answered for %.0fs; a worker "
			    "must answer each line as it arrives (flush "
			    "its output; mawk needs -W interactive)",
			    quiet);
			l->silence_warned = true;
		}
	}
	pool_flush(&l->pool);
}

double
launch_next_deadline(const struct launch *l, double now)
{
	double next = l->pool_deadline;

	if (l->next_start > now && (next == 0 || l->next_start < next))
		next = l->next_start;
	/* Look at silent workers about once a second. */
	if (l->use_pool && l->pool.proto == POOL_LINES &&
	    l->pool.inflight > 0 && (next == 0 || now + 1.0 < next))
		next = now + 1.0;
	return next;
}

int
launch_pollfds(struct launch *l, struct pollset *ps, int kind)
{
	size_t i, n, room;

	if (!l->use_pool)
		return 0;
	room = pool_pollfd_count(&l->pool);
	if (pollset_reserve(ps, room) == -1)
		return -1;
	n = pool_pollfds(&l->pool, ps->fds + ps->n, l->pool_owner, room);
	for (i = 0; i < n; i++) {
		ps->fds[ps->n].revents = 0;
		ps->kind[ps->n] = kind;
		ps->idx[ps->n] = l->pool_owner[i];
		ps->n++;
	}
	return 0;
}

size_t
launch_pooled(const struct launch *l)
{
	return l->use_pool ? l->pool.inflight : 0;
}
