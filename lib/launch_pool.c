/*
 * The launch's side of workers (--workers, the built-in): the pool's
 * hooks, starting a job on a worker, and the workers' end.  Split from
 * launch.c; launch.h is its public face.
 */
#include "config.h"

#include "launch_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "io.h"
#include "msg.h"

/* Workers told to end get this long before SIGKILL. */
#define CLOSE_GRACE 1.0

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
pool_lost(void *ctx, void *task, bool failed, int wstatus, bool began)
{
	struct launch *l = ctx;
	struct job *j = task;

	/* Not why the worker ended (queued behind the task that was, or
	 * cleared): it goes to another worker, in input order, costing no
	 * try.  (Each death fails a task, or runs its suspects where one
	 * fails or all are answered, so this always ends.) */
	/* (Not counted as running on its host any more.) */
	(void)launch_remote_release(l, j);
	if (!failed || launch_remote_lost(l, j, wstatus, began)) {
		j->requeued++;
		joblist_insert(l->retry, j);
		return;
	}
	/* The worker's status, as the joblog and --halt show it; the task
	 * itself failed whatever the worker's exit status, so a worker that
	 * exited 0 counts it as status 1 and logs it with Exitval -1 (no
	 * status of its own, as a job --timeout ended), which
	 * --resume-failed runs again. */
	job_decode_wait(j, wstatus);
	if (j->end.status == 0)
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
	if (j->end.exitval == 0 && j->end.signal == 0)
		j->end.exitval = -1;
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

/* The job went to a worker (from 0): a worker is a job slot, {%} its
 * number, and runs on its slot's host or node. */
static void
on_worker(struct launch *l, struct job *j, unsigned worker, double now)
{
	const struct sshlogin *node;

	j->t.slot = j->t.ran_in = worker + 1;
	/* (Its host or node: the joblog's Host, {host}.) */
	if ((node = launch_slot_place(l, j->t.slot)) != NULL) {
		j->route.node = node;
		command_set_host(&l->cmd, node);
	}
	launch_remote_started(l, j);
	j->t.started = now;
	if (l->want_cmd)
		j->t.start_wall = io_wallclock();
	/* The job is the worker's now: a failure here must not hand it
	 * back; the run is ended by the caller instead. */
	if ((l->o->tag && command_tag(&l->cmd, j) == -1) ||
	    (l->want_cmd && command_describe(&l->cmd, j, &j->cmd) == -1))
		l->out_of_memory = true;
}

/* A suspect (see pool_flush) left its worker (-1), or went to another. */
static void
pool_placed(void *ctx, void *task, int worker)
{
	struct launch *l = ctx;
	struct job *j = task;

	if (worker < 0)
		(void)launch_remote_release(l, j);
	else
		on_worker(l, j, (unsigned)worker, io_now());
}

static const char *
pool_record(void *ctx, void *task, size_t *len)
{
	const struct job *j = task;

	(void)ctx;
	*len = j->rec.len;
	return j->rec.data;
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
launch_pool_init(struct launch *l)
{
	static const struct pool_hooks hooks = {
	    .done = pool_done,
	    .lost = pool_lost,
	    .worker_stderr = pool_stderr,
	    .out_of_step = pool_out_of_step,
	    .placed = pool_placed,
	    .record = pool_record,
	};
	const struct pmapf_opts *o = l->o;

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

enum launch_result
launch_pool_start(struct launch *l, struct job *j, double now)
{
	unsigned worker = 0;
	int err;

	j->t.how = JOB_POOLED;
	if (l->pool.proto == POOL_LINES &&
	    memchr(j->rec.data, '\n', j->rec.len) != NULL) {
		(void)job_note(l->spill, j,
		               "record contains a newline and cannot go to a "
		               "line-protocol worker");
		return launch_ended(l, j, 1);
	}
	err =
	    pool_submit(&l->pool, j, j->seq, j->rec.data, j->rec.len, &worker);
	if (err == 0) {
		on_worker(l, j, worker, now);
		return LAUNCH_STARTED;
	}
	if (launch_resource_error(err) && pool_alive(&l->pool) > 0) {
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

bool
launch_reaped(struct launch *l, pid_t pid, int wstatus)
{
	if (l->use_pool)
		return pool_reaped(&l->pool, pid, wstatus);
	/* (Sessions given up still have their ssh to be told of.) */
	return l->sess != NULL && launch_session_reaped(l, pid);
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
 * A line-protocol worker should answer each line as it comes; some
 * programs read ahead instead (mawk without -W interactive), or hold
 * their answers in a buffer.  Such a worker would wait forever for lines
 * pmapf holds back for it: after a moment of silence it is drawn out
 * (see pool_draw_out), once input has ended it gets the rest, and a long
 * silence is explained once.
 */
void
launch_tick(struct launch *l, bool input_ended, double now)
{
	double quiet;

	launch_session_tick(l, now);
	if (!l->use_pool)
		return;
	if (l->pool.proto == POOL_LINES) {
		quiet = pool_silence(&l->pool, now, false);
		if (quiet >= 1.0 && input_ended && !l->pool.flood)
			pool_flood(&l->pool);
		if (quiet >= 5.0 && !l->silence_warned &&
		    (quiet = pool_silence(&l->pool, now, true)) >= 5.0) {
			msg_warn("a worker has read all it was sent and not "
			         "answered for %.0fs; if it waits for more "
			         "input first, make it answer each line as "
			         "it comes (flush its output; mawk needs -W "
			         "interactive)",
			         quiet);
			l->silence_warned = true;
		}
	}
	pool_flush(&l->pool);
	/* (After the flush: a worker has read all only once it is sent.) */
	l->pool_next_at = pool_draw_out(&l->pool, now);
	io_sooner(&l->pool_next_at, pool_hurry(&l->pool, now));
}

double
launch_next_deadline(const struct launch *l, double now)
{
	double next = l->pool_deadline;

	if (l->next_start > now && (next == 0 || l->next_start < next))
		next = l->next_start;
	io_sooner(&next, launch_session_deadline(l));
	/* Look at silent workers about once a second (for the warning),
	 * and when one may need drawing out or was just drawn out. */
	if (l->use_pool && l->pool.proto == POOL_LINES && l->pool.inflight > 0)
		io_sooner(&next, now + 1.0);
	if (l->use_pool)
		io_sooner(&next, l->pool_next_at);
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
