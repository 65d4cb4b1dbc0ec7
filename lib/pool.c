#include "config.h"

#include "pool.h"
#include "pool_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "io.h"
#include "taskq.h"
#include "wire.h"

/* Bytes queued to one worker at most before waiting for answers. */
#define PENDING_MAX (1u << 20)
/* A worker with a stop signal (stop_sig) gets this long to end on it. */
#define STOP_WAIT 3.0
/* A worker whose answer pipe closed gets this long to exit on its own
 * before it is sent SIGTERM (or its stop signal), and as long again
 * before SIGKILL. */
#define EXIT_GRACE 1.0

int
pool_init(struct pool *p, enum pool_proto proto, unsigned max,
          const struct pool_hooks *hooks, void *ctx)
{
	memset(p, 0, sizeof *p);
	if (max == 0) {
		errno = EINVAL;
		return -1;
	}
	p->w = calloc(max, sizeof *p->w);
	if (p->w == NULL)
		return -1;
	p->began_byte = -1;
	p->draw_max = POOL_DRAW_MAX;
	p->proto = proto;
	p->max = p->limit = max;
	p->hooks = *hooks;
	p->ctx = ctx;
	return 0;
}

void
pool_set_builtin(struct pool *p, int (*fn)(void *), void *arg)
{
	p->fn = fn;
	p->fn_arg = arg;
}

void
pool_set_program(struct pool *p, const char *path, char **argv)
{
	p->path = path;
	p->argv = argv;
}

void
pool_set_launcher(struct pool *p,
                  const char *(*launcher)(void *ctx, unsigned i,
                                          char *const **argv, const char **pre,
                                          size_t *pre_len))
{
	p->launcher = launcher;
}

bool
pool_usable(const struct pool_worker *w)
{
	return w->pid > 0 && !w->eof && w->req_fd >= 0;
}

static bool
has_room(const struct pool *p, const struct pool_worker *w)
{
	return pool_usable(w) && !w->probe &&
	       (p->flood || w->tasks.count < w->batch) &&
	       w->out.len - w->out_off < PENDING_MAX;
}

void
pool_flood(struct pool *p)
{
	p->flood = true;
}

unsigned
pool_alive(const struct pool *p)
{
	unsigned i, n = 0;

	for (i = 0; i < p->max; i++)
		n += p->w[i].pid > 0;
	return n;
}

bool
pool_can_take(const struct pool *p)
{
	unsigned i;

	if (p->w == NULL)
		return false;
	for (i = 0; i < p->max; i++)
		if (has_room(p, &p->w[i]))
			return true;
	return pool_alive(p) + pool_kept(p) < p->limit;
}

static int
start_worker(struct pool *p, struct pool_worker *w)
{
	struct child c = {0}; /* LTO cannot see that 0 returned fills it */
	int req[2], err;

	if (p->proto == POOL_FRAMED) {
		err = child_fork_worker(p->fn, p->fn_arg, &c);
		if (err != 0)
			return err;
		w->req_fd = c.in_fd;
		w->rep_fd = c.out_fd;
		w->err_fd = -1;
	} else {
		unsigned i = (unsigned)(w - p->w);
		const char *path = p->path, *pre = NULL;
		char *const *argv = p->argv;
		size_t pre_len = 0;

		if (p->launcher != NULL &&
		    (path = p->launcher(p->ctx, i, &argv, &pre, &pre_len)) ==
		        NULL)
			return errno == EHOSTDOWN ? EHOSTDOWN : ENOMEM;
		/* (Written before its first record, as requests are.) */
		buf_reset(&w->out);
		w->out_off = 0;
		if (pre_len > 0 && buf_append(&w->out, pre, pre_len) == -1)
			return ENOMEM;
		if (pipe2(req, O_CLOEXEC) == -1)
			return errno;
		/* A worker's slot is its place in the pool, from 1. */
		err = child_spawn(path, argv,
		                  p->env ? jobenv_for(p->env, 0, i + 1) : NULL,
		                  req[0], &c);
		close(req[0]);
		if (err != 0) {
			close(req[1]);
			return err;
		}
		w->req_fd = req[1];
		w->rep_fd = c.out_fd;
		w->err_fd = c.err_fd;
	}
	/* Never block on a busy worker: answers must keep being read. */
	(void)io_set_nonblock(w->req_fd);
	w->pid = c.pid;
	/* (A program shown to answer only past that many records.) */
	w->floor = p->draw_floor;
	w->batch = w->floor > 0 ? w->floor : 1;
	w->draws = 0;
	w->busy_not_waiting = false;
	w->ended_at = 0;
	w->unread_since = 0;
	w->per = 0;
	w->eof = w->reaped = false;
	w->stop_at = 0;
	w->stops = 0;
	w->began = w->err_seen = false;
	w->probe = false;
	return 0;
}

/* Tasks it may still be given before its batch is full. */
static size_t
below(const struct pool_worker *w)
{
	return w->batch > w->tasks.count ? w->batch - w->tasks.count : 0;
}

/* a should rather wait than b: b is idle, or further below its batch (a
 * worker drawn out needs its records to answer at all, see
 * pool_draw_out), or as far and holds fewer tasks. */
static bool
fuller(const struct pool_worker *a, const struct pool_worker *b)
{
	if (a->tasks.count == 0 || b->tasks.count == 0)
		return b->tasks.count == 0 && a->tasks.count != 0;
	if (below(a) != below(b))
		return below(b) > below(a);
	return b->tasks.count < a->tasks.count;
}

struct pool_worker *
pool_start_free(struct pool *p, int *err)
{
	unsigned i, alive = pool_alive(p);

	*err = 0;
	for (i = 0; i < p->max; i++) {
		if (p->w[i].pid != 0)
			continue;
		*err = start_worker(p, &p->w[i]);
		if (*err == 0)
			return &p->w[i];
		/* (Its host is down: another place may do.) */
		if (*err == EHOSTDOWN) {
			*err = 0;
			continue;
		}
		/* (The system says no: run with those there are.) */
		if (alive > 0)
			p->limit = alive;
		break;
	}
	return NULL;
}

static struct pool_worker *
pick(struct pool *p, int *err)
{
	struct pool_worker *best = NULL, *w;
	unsigned i, alive = 0;

	*err = 0;
	for (i = 0; i < p->max; i++) {
		alive += p->w[i].pid > 0;
		if (has_room(p, &p->w[i]) &&
		    (best == NULL || fuller(best, &p->w[i])))
			best = &p->w[i];
	}
	/* An idle worker is best; otherwise start one while allowed. */
	if (best != NULL && best->tasks.count == 0)
		return best;
	if (alive + pool_kept(p) < p->limit &&
	    (w = pool_start_free(p, err)) != NULL)
		return w;
	return best;
}

int
pool_queue(struct pool *p, struct pool_worker *w, void *task, uint64_t id,
           const char *rec, size_t len)
{
	size_t was = w->out.len;
	int rc, err;

	if (p->proto == POOL_FRAMED)
		rc = wire_put_request(&w->out, rec, len);
	else if ((rc = buf_append(&w->out, rec, len)) == 0)
		rc = buf_appendc(&w->out, '\n');
	if (rc == -1 || taskq_push(&w->tasks, task, id) == -1) {
		/* A request sent without its task queued would be answered
		 * out of step: take the bytes back (none were written). */
		err = errno;
		w->out.len = was;
		return err;
	}
	if (w->tasks.count == 1)
		w->last_t = io_now();
	return 0;
}

int
pool_submit(struct pool *p, void *task, uint64_t id, const char *rec,
            size_t len, unsigned *worker)
{
	struct pool_worker *w;
	int err;

	w = pick(p, &err);
	if (w == NULL)
		return err != 0 ? err : EAGAIN;
	if ((err = pool_queue(p, w, task, id, rec, len)) != 0)
		return err;
	p->inflight++;
	p->given++;
	p->given_bytes += len + 1;
	*worker = (unsigned)(w - p->w);
	return 0;
}

static void
flush_worker(struct pool_worker *w)
{
	ssize_t n;

	while (w->req_fd >= 0 && w->out_off < w->out.len) {
		n = write(w->req_fd, w->out.data + w->out_off,
		          w->out.len - w->out_off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				/* EPIPE: it died; its end is noticed on the
				 * answer pipe.  Nothing more can be sent. */
				w->out_off = w->out.len;
			}
			break;
		}
		w->out_off += (size_t)n;
	}
	if (w->out_off == w->out.len) {
		buf_reset(&w->out);
		w->out_off = 0;
	}
}

void
pool_end_input(struct pool_worker *w)
{
	/* (A pipe's write end: close reports nothing worth acting on.) */
	(void)close(w->req_fd);
	w->req_fd = -1;
}

/* Once no more tasks will come, a worker's input ends as soon as what it
 * was given is written: a program that reads ahead, or holds its output
 * until EOF, then still answers everything. */
void
pool_close_input_if_sent(struct pool *p, struct pool_worker *w)
{
	if ((p->closing || w->probe) && w->out.len == 0 && w->req_fd >= 0) {
		pool_end_input(w);
		/* (A probe that answered all and lingers is stopped.) */
		if (w->probe)
			w->ended_at = io_now();
	}
}

static void
flush_and_close(struct pool *p, struct pool_worker *w)
{
	flush_worker(w);
	pool_close_input_if_sent(p, w);
}

void
pool_flush(struct pool *p)
{
	unsigned i;

	pool_probe(p);
	for (i = 0; i < p->max; i++)
		if (p->w[i].pid > 0)
			flush_and_close(p, &p->w[i]);
}

void
pool_close_input(struct pool *p)
{
	unsigned i;

	p->closing = true;
	for (i = 0; i < p->max; i++)
		if (p->w[i].pid > 0)
			pool_close_input_if_sent(p, &p->w[i]);
}

/* Pass on what an external worker wrote on its stderr: once, or until
 * nothing is left (it has exited); closes the pipe at EOF or error. */
static void
read_stderr(struct pool *p, struct pool_worker *w, bool until_empty)
{
	char chunk[4096];
	ssize_t n;

	do {
		size_t skip = 0;

		n = io_read(w->err_fd, chunk, sizeof chunk);
		if (n > 0 && !w->err_seen) {
			w->err_seen = true;
			if (p->began_byte >= 0 &&
			    (unsigned char)chunk[0] == p->began_byte) {
				w->began = true;
				skip = 1;
			}
		}
		if (n > (ssize_t)skip)
			p->hooks.worker_stderr(p->ctx, chunk + skip,
			                       (size_t)n - skip);
	} while (until_empty && n > 0);
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		close(w->err_fd);
		w->err_fd = -1;
	}
}

/*
 * The worker is gone: its unanswered tasks go back to the caller.  The
 * slot is emptied first, so every hook sees a pool whose tables are
 * whole.
 */
void
pool_finish_worker(struct pool *p, struct pool_worker *w, enum finish how)
{
	struct pool_worker gone = *w;
	bool quiet = how == FINISH_QUIET, failed = how == FINISH_ENDED;

	memset(w, 0, sizeof *w);
	w->req_fd = w->rep_fd = w->err_fd = -1;
	if (gone.req_fd >= 0)
		close(gone.req_fd);
	if (gone.rep_fd >= 0)
		close(gone.rep_fd);
	if (gone.err_fd >= 0 && !quiet)
		read_stderr(p, &gone, true);
	if (gone.err_fd >= 0)
		close(gone.err_fd);
	buf_free(&gone.out);
	buf_free(&gone.in);
	if (quiet || !pool_suspect(p, &gone, how)) {
		/* The first is the one it was on; the others only queued. */
		p->inflight -= gone.tasks.count;
		while (gone.tasks.count > 0 && !quiet) {
			p->hooks.lost(p->ctx, taskq_pop(&gone.tasks).task,
			              failed, gone.wstatus, gone.began);
			failed = false;
		}
	}
	taskq_free(&gone.tasks);
}

/* Kill its process group and collect it here, unless it was reaped. */
void
pool_kill_worker(const struct pool *p, struct pool_worker *w)
{
	if (w->reaped)
		return;
	/* (srun: a SIGKILL would leave its step holding the CPUs the next
	 * one waits for; on SIGTERM it cancels the step and ends, within
	 * milliseconds.  Waited for a moment, then killed outright.) */
	w->wstatus = child_stop(w->pid, p->stop_sig, io_now() + STOP_WAIT);
	w->reaped = true;
}

/*
 * Its answer pipe closed: it is exiting, or of no more use.  It keeps its
 * slot and tasks until it is reaped, so the status its task is failed
 * with is the one it chose (killed at once, the same crash would be told
 * as "exited" one run and "killed by signal 9" the next, and its
 * clean-up cut short).  One that lingers is stopped by pool_hurry.
 */
static void
on_eof(struct pool_worker *w)
{
	w->eof = true;
	(void)close(w->rep_fd);
	w->rep_fd = -1;
	if (w->req_fd >= 0)
		pool_end_input(w);
	w->stop_at = io_now() + EXIT_GRACE;
}

double
pool_hurry(struct pool *p, double now)
{
	double next = 0;
	unsigned i;

	for (i = 0; p->w != NULL && i < p->max; i++) {
		struct pool_worker *w = &p->w[i];

		if (w->pid <= 0 || !w->eof || w->reaped || w->stop_at == 0)
			continue;
		if (now >= w->stop_at) {
			int sig = w->stops > 0  ? SIGKILL
			          : p->stop_sig ? p->stop_sig
			                        : SIGTERM;

			(void)killpg(w->pid, sig);
			w->stops++;
			/* (After SIGKILL its reaping is only a turn away.) */
			w->stop_at = sig == SIGKILL ? 0
			             : p->stop_sig  ? now + STOP_WAIT
			                            : now + EXIT_GRACE;
		}
		io_sooner(&next, w->stop_at);
	}
	return next;
}

void
pool_ready(struct pool *p, unsigned i, int fd, short revents)
{
	struct pool_worker *w = &p->w[i];

	if (w->pid <= 0)
		return;
	if (fd == w->req_fd && (revents & (POLLOUT | POLLERR))) {
		flush_and_close(p, w);
	} else if (fd == w->err_fd) {
		read_stderr(p, w, false);
	} else if (fd == w->rep_fd) {
		if (!pool_read_answers(p, w, false))
			on_eof(w);
	}
}

bool
pool_reaped(struct pool *p, pid_t pid, int wstatus)
{
	unsigned i;

	for (i = 0; p->w != NULL && i < p->max; i++) {
		struct pool_worker *w = &p->w[i];

		if (w->pid != pid)
			continue;
		w->reaped = true;
		w->wstatus = wstatus;
		/* Take what it managed to answer before it went. */
		if (w->rep_fd >= 0)
			(void)pool_read_answers(p, w, true);
		if (w->pid != 0 && pool_take_last_line(p, w))
			pool_finish_worker(p, w, FINISH_ENDED);
		return true;
	}
	return false;
}

size_t
pool_pollfd_count(const struct pool *p)
{
	return 3 * (size_t)p->max;
}

size_t
pool_pollfds(const struct pool *p, struct pollfd *fds, unsigned *owner,
             size_t room)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < p->max && n + 3 <= room; i++) {
		const struct pool_worker *w = &p->w[i];

		if (w->pid <= 0)
			continue;
		if (w->rep_fd >= 0) {
			fds[n].fd = w->rep_fd;
			fds[n].events = POLLIN;
			owner[n++] = i;
		}
		if (w->req_fd >= 0 && w->out_off < w->out.len) {
			fds[n].fd = w->req_fd;
			fds[n].events = POLLOUT;
			owner[n++] = i;
		}
		if (w->err_fd >= 0) {
			fds[n].fd = w->err_fd;
			fds[n].events = POLLIN;
			owner[n++] = i;
		}
	}
	return n;
}

void
pool_signal(struct pool *p, int sig)
{
	unsigned i;

	p->signalled = true;
	for (i = 0; p->w != NULL && i < p->max; i++)
		if (p->w[i].pid > 0 && !p->w[i].reaped)
			(void)killpg(p->w[i].pid, sig);
}

void
pool_shutdown(struct pool *p)
{
	unsigned i;

	if (p->w == NULL)
		return;
	for (i = 0; i < p->max; i++) {
		if (p->w[i].pid <= 0)
			continue;
		pool_kill_worker(p, &p->w[i]);
		/* Tasks still held are dropped with it: the caller is
		 * ending the run and accounts for its own jobs. */
		pool_finish_worker(p, &p->w[i], FINISH_QUIET);
	}
	/* (Suspects too.) */
	p->inflight -= p->suspects.count;
	taskq_free(&p->suspects);
	free(p->w);
	p->w = NULL;
	p->max = p->limit = 0;
}
