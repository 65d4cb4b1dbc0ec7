#include "config.h"

#include "procs.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "remote.h"

/* After a job exits, how long a background process it left may keep its
 * output pipe open before pmapf stops waiting for EOF. */
#define EOF_GRACE 1.0
/* At most this much per splice into the spill file. */
#define SPLICE_IN (1 << 20)

int
procs_init(struct procs *p, struct spool_file *spill, double timeout,
           double timeout_pct, const struct termseq *term)
{
	p->chunk = malloc(PROCS_CHUNK);
	if (p->chunk == NULL)
		return -1;
	p->term = term;
	p->timeout_pct = timeout_pct;
	p->runtimes = (struct median)MEDIAN_INIT;
	p->v = NULL;
	p->n = p->cap = 0;
	p->running = 0;
	p->timeout = timeout;
	p->spill = spill;
	return 0;
}

/* A job's pipe is done with: closed, unless a session lent it. */
static void
close_fd(const struct job *j, int *fd)
{
	if (*fd >= 0 && !job_fds_lent(j))
		(void)close(*fd);
	*fd = -1;
}

void
procs_free(struct procs *p, struct job_cache *c)
{
	size_t i;

	median_free(&p->runtimes);
	free(p->chunk);
	p->chunk = NULL;
	for (i = 0; i < p->n; i++) {
		close_fd(p->v[i], &p->v[i]->t.out_fd);
		close_fd(p->v[i], &p->v[i]->t.err_fd);
		job_recycle(c, p->v[i]);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

int
procs_add(struct procs *p, struct job *j, double now)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct job **v = realloc(p->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	j->t.started = now;
	p->v[p->n++] = j;
	p->running++;
	return 0;
}

struct job *
procs_reaped(struct procs *p, pid_t pid, int wstatus, double now)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct job *j = p->v[i];

		if (j->t.pid != pid || j->t.reaped)
			continue;
		j->t.reaped = true;
		j->t.wstatus = wstatus;
		p->running--;
		if ((j->t.out_fd >= 0 || j->t.err_fd >= 0) &&
		    j->route.out_frame == NULL)
			j->t.eof_grace = now + EOF_GRACE;
		return j;
	}
	return NULL;
}

/* Read once (or until empty) from a pipe into a spool; close it at EOF
 * (or when until_empty).  1 if EOF was seen, 0 if not, -1/errno. */
/* -S: a remote job's stderr is ssh's until the byte that says its
 * command began (remote.h), which is taken out: the flag to set then,
 * or NULL. */
static bool *
began_of(struct job *j)
{
	return j->route.host != NULL && !j->route.remote_began
	           ? &j->route.remote_began
	           : NULL;
}

/* That byte in the n bytes just read to at: moved to their end (1), or
 * not there (0). */
static size_t
strip_began(char *at, ssize_t n, bool *began)
{
	char *m;

	if (began == NULL || *began ||
	    (m = memchr(at, REMOTE_STARTED, (size_t)n)) == NULL)
		return 0;
	memmove(m, m + 1, (size_t)(at + n - m - 1));
	*began = true;
	return 1;
}

/* A job's exit status as a wait status says it (the encoding every
 * Unix shares), for a status a session wrote. */
static int
exit_wstatus(int status)
{
	return (status & 0xff) << 8;
}

/*
 * A session's stream (frame.h): the job's bytes, up to the end its
 * host's shell marks.  The end on stdout is the job's exit, with its
 * status; stderr's is only the end of its errors.  At EOF the session is
 * gone (ssh's status says why, when it is reaped).  0, or -1/errno.
 */
static int
drain_framed(struct procs *p, struct job *j, bool err)
{
	int *fd = err ? &j->t.err_fd : &j->t.out_fd;
	struct frame *fr = err ? j->route.err_frame : j->route.out_frame;
	struct spool *sp = err ? &j->err : &j->out;
	char *at = p->chunk + FRAME_HOLD;
	struct frame_out o;
	const char *held;
	size_t k;
	ssize_t n = io_read(*fd, at, IO_CHUNK);

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		*fd = -1;
		k = frame_flush(fr, &held);
		return k > 0 ? spool_add(p->spill, sp, held, k) : 0;
	}
	n -= (ssize_t)strip_began(at, n, err ? began_of(j) : NULL);
	frame_feed(fr, at, (size_t)n, &o);
	if (spool_add(p->spill, sp, o.a, o.alen) == -1 ||
	    (o.blen > 0 && spool_add(p->spill, sp, o.b, o.blen) == -1))
		return -1;
	if (!o.end)
		return 0;
	*fd = -1;
	j->route.frame_ends |= err ? FRAME_ENDED_ERR : FRAME_ENDED_OUT;
	if (!err) {
		j->route.out_ended = io_now();
		if (!j->t.reaped) {
			j->t.reaped = true;
			j->t.wstatus = exit_wstatus(o.status);
			p->running--;
		}
	}
	return 0;
}

static int
drain(struct procs *p, const struct job *j, int *fd, struct spool *sp,
      bool until_empty, bool *began)
{
	ssize_t n;

	do {
		/* Output already going to the spill file goes on there
		 * without a copy through pmapf, where splice allows (else,
		 * and on a full disk, as below). */
		if (spool_spilled(sp) && (began == NULL || *began)) {
			n = spool_splice_in(p->spill, sp, *fd, SPLICE_IN);
			if (n >= 0 || errno == EAGAIN)
				continue;
			if (errno != ENOSYS && !spool_no_space(errno))
				return -1;
		}
		n = io_read(*fd, p->chunk, PROCS_CHUNK);
		if (n > 0 && spool_add(p->spill, sp, p->chunk,
		                       (size_t)n - strip_began(p->chunk, n,
		                                               began)) == -1)
			return -1;
	} while (until_empty && n > 0);
	if (n == 0 || (n < 0 && errno != EAGAIN) || until_empty)
		close_fd(j, fd);
	return n == 0;
}

int
procs_read(struct procs *p, size_t i, bool err)
{
	struct job *j = p->v[i];

	if (j->route.out_frame != NULL)
		return drain_framed(p, j, err);
	return (err ? drain(p, j, &j->t.err_fd, &j->err, false, began_of(j))
	            : drain(p, j, &j->t.out_fd, &j->out, false, NULL)) == -1
	           ? -1
	           : 0;
}

void
procs_collect(struct procs *p, struct joblist *done, double now)
{
	size_t i = 0;

	while (i < p->n) {
		struct job *j = p->v[i];

		if (!j->t.reaped) {
			i++;
			continue;
		}
		if (j->t.out_fd >= 0 || j->t.err_fd >= 0) {
			/* (A session's job waits for its ends, or for the
			 * EOF of a session gone: its host writes both ends at
			 * once, and only its ssh holds the pipes.) */
			if (now < j->t.eof_grace ||
			    j->route.out_frame != NULL) {
				i++;
				continue;
			}
			/* What is there is kept (pipes left unread under
			 * back-pressure may just be full); only a pipe still
			 * open after that is someone else's. */
			bool open = (j->t.out_fd >= 0 &&
			             drain(p, j, &j->t.out_fd, &j->out, true,
			                   NULL) != 1) |
			            (j->t.err_fd >= 0 &&
			             drain(p, j, &j->t.err_fd, &j->err, true,
			                   began_of(j)) != 1);

			if (open)
				(void)job_note(
				    p->spill, j,
				    "output still open %.0fs after the "
				    "job exited (a background "
				    "process?); not waiting for more",
				    EOF_GRACE);
		}
		job_decode_wait(j, j->t.wstatus);
		p->v[i] = p->v[--p->n];
		joblist_push(done, j);
	}
}

int
procs_pollfds(const struct procs *p, struct pollset *ps, int kind_out,
              int kind_err, uint64_t only, const struct job *unread)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct job *j = p->v[i];

		/* (A session's job whose stdout has ended: its stderr's end is
		 * looked for still, to know the session is whole; what is
		 * left there is short.) */
		if (only != 0 && j->seq != only) {
			if (j->route.frame_ends == FRAME_ENDED_OUT &&
			    j->t.err_fd >= 0 &&
			    pollset_add(ps, j->t.err_fd, POLLIN, kind_err, i) ==
			        -1)
				return -1;
			continue;
		}
		if (j->t.out_fd >= 0 && j != unread &&
		    pollset_add(ps, j->t.out_fd, POLLIN, kind_out, i) == -1)
			return -1;
		if (j->t.err_fd >= 0 &&
		    pollset_add(ps, j->t.err_fd, POLLIN, kind_err, i) == -1)
			return -1;
	}
	return 0;
}

int
procs_pollfds_in(const struct procs *p, struct pollset *ps, int kind,
                 double now)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct job *j = p->v[i];

		/* (A slow reader's full stdin is looked at later: jobin.h.) */
		if (j->route.in_fd >= 0 &&
		    (spool_len(&j->in) > 0 || j->route.in_full) &&
		    now >= jobin_wake(j) &&
		    pollset_add(ps, j->route.in_fd, POLLOUT, kind, i) == -1)
			return -1;
	}
	return 0;
}

uint64_t
procs_oldest(const struct procs *p)
{
	uint64_t seq = UINT64_MAX;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->seq < seq)
			seq = p->v[i]->seq;
	return seq;
}

void
procs_succeeded(struct procs *p, double runtime)
{
	/* As GNU parallel: none until a job has succeeded. */
	if (p->timeout_pct > 0 && median_add(&p->runtimes, runtime) == 0)
		p->timeout = p->timeout_pct / 100.0 * median_get(&p->runtimes);
}

void
procs_stop(struct job *j, double now)
{
	j->t.stopping = true;
	j->t.kill_step = 0;
	j->t.kill_at = now;
}

void
procs_check_timeouts(struct procs *p, double now)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct job *j = p->v[i];

		if (j->t.reaped)
			continue;
		if (!j->t.timed_out && !j->t.stopping) {
			/* The limit now: with N% it moves as jobs succeed. */
			if (p->timeout <= 0 || now < j->t.started + p->timeout)
				continue;
			j->t.timed_out = true;
			j->t.kill_step = 0;
		} else if (j->t.kill_at == 0 || now < j->t.kill_at) {
			continue;
		}
		/* The next step of --term-seq; after the last, it is left to
		 * end (the default's last is SIGKILL). */
		if (j->t.kill_step < p->term->n) {
			(void)killpg(j->t.pid, p->term->sig[j->t.kill_step]);
			j->t.kill_at = now + p->term->wait[j->t.kill_step++];
		}
		if (j->t.kill_step >= p->term->n)
			j->t.kill_at = 0;
	}
}

double
procs_next_deadline(const struct procs *p, double now)
{
	double next = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct job *j = p->v[i];

		if (j->t.reaped && (j->t.out_fd >= 0 || j->t.err_fd >= 0) &&
		    j->route.out_frame == NULL)
			io_sooner(&next, j->t.eof_grace);
		if (!j->t.reaped && !j->t.timed_out && !j->t.stopping &&
		    p->timeout > 0)
			io_sooner(&next, j->t.started + p->timeout);
		if (!j->t.reaped && (j->t.timed_out || j->t.stopping))
			io_sooner(&next, j->t.kill_at);
		if (jobin_wake(j) > now)
			io_sooner(&next, jobin_wake(j));
	}
	return next;
}

void
procs_signal(struct procs *p, int sig)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->t.pid > 0 && !p->v[i]->t.reaped)
			(void)killpg(p->v[i]->t.pid, sig);
}
