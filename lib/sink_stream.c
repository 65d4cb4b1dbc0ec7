/*
 * Output that goes straight through: the streaming job's pipe and spools
 * sent with sendfile.  Why stream at all: a job's output that may be
 * written now gains nothing from a stop in memory or in the spill file,
 * and big output spends most of pmapf's time there.  Why only past
 * STREAM_AFTER bytes: a million small jobs are cheaper gathered into
 * 64 KiB writes, and with -u a job streaming makes the jobs that finish
 * meanwhile wait for its end (blocks stay whole), which is worth it only
 * for output that would otherwise go to the spill file.
 */
#include "config.h"

#include "sink_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "io.h"

/* A job streams once it has written this much (see above). */
#define STREAM_AFTER (1u << 20)
/* Pipe buffers offered to a streaming job and to a stdout pipe: fewer,
 * bigger moves. */
#define STREAM_PIPE (1 << 20)
#define SPLICE_MAX  ((size_t)1 << 30)
/* Stdout full this long (s): keep the streaming job's output. */
#define KEEP_AFTER 0.1

/* An error from a direct write: a descriptor that cannot take that kind
 * of move (a terminal, an O_APPEND file for splice), or a real failure. */
static bool
unsupported(int e)
{
	return e == EINVAL || e == ENOSYS || e == EOPNOTSUPP ||
	       e == EBADF; /* sendfile from a file opened for appending */
}

long
sink_send_spool(struct sink *k, struct spool *sp, uint64_t max)
{
	long n;

	if (!k->out_ready)
		return 0;
	sink_before_out(k);
	n = spool_send(k->spill, sp, k->fd, max > SPLICE_MAX ? SPLICE_MAX : max,
	               k->send_how, k->chunk, IO_CHUNK);
	if (n > 0) {
		k->last_write = io_now();
		return n;
	}
	if (n == 0) { /* taken as asked, but nothing there */
		errno = EIO;
		return sink_fail(k, SINK_SPILL);
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		sink_stdout_full(k);
		return 0;
	}
	if (unsupported(errno)) {
		k->direct = k->use_splice = false;
		return 0;
	}
	k->broken = true;
	return sink_fail(k, SINK_STDOUT);
}

static void end_of_stream(struct sink *k, struct job *j);

/* Keep what the streamer's pipe holds in the spill file.  false: the
 * caller is to read it as usual (splice cannot serve, or the file cannot
 * take it: the usual path says so). */
static bool
keep(struct sink *k, struct job *j)
{
	long n = spool_splice_in(k->spill, &j->out, j->t.out_fd, SPLICE_MAX);

	if (n == 0)
		end_of_stream(k, j);
	return n >= 0 || errno == EAGAIN;
}

bool
sink_streams(struct sink *k, struct job *j, double now)
{
	/* While stdout is full the job's output is kept (what was kept
	 * goes first): no job waits long for the reader, so --timeout and
	 * the joblog's runtimes measure the job.  Spliced into the spill
	 * file where Linux allows: no copy through pmapf.  Not before
	 * KEEP_AFTER: most stalls are shorter, and keeping costs a copy. */
	/* Stdout gone: the caller drains the pipe as it would any other,
	 * so its hang-up is seen. */
	/* (A session's output has its end marked in it: it is read.) */
	if (k->broken || j->route.out_frame != NULL)
		return false;
	if (!k->out_ready) {
		if (k->streamer != j)
			return false;
		if (now < k->full_since + KEEP_AFTER)
			return true; /* left unread: sink_unread */
		return k->use_splice && keep(k, j);
	}
	if (k->streamer == j) {
		k->in_ready = true;
		return true;
	}
	if (k->streamer != NULL || !k->stream_ok || k->broken ||
	    k->cur != NULL || sink_pending(k) > 0 ||
	    spool_len(&j->out) < STREAM_AFTER ||
	    (k->ro.ordered ? j->seq != k->ro.next : reorder_held(&k->ro) > 0))
		return false;
	k->streamer = j;
	k->in_ready = true;
	k->in_wake = 0;
	k->stream_t0 = now;
	k->stream_from = j->t.taken;
	if (k->use_splice) {
		if (j->t.out_pipe_size == 0)
			j->t.out_pipe_size =
			    io_grow_pipe(j->t.out_fd, STREAM_PIPE);
		if (!k->grown)
			k->out_pipe_size = io_grow_pipe(k->fd, STREAM_PIPE);
		k->grown = true;
	}
	return true;
}

const struct job *
sink_unread(const struct sink *k, double now, double *next)
{
	double until = k->full_since + KEEP_AFTER;

	if (next != NULL && !k->out_ready && now < k->out_wake)
		io_sooner(next, k->out_wake);
	if (k->streamer != NULL && k->out_ready && !k->in_ready &&
	    now < k->in_wake) {
		if (next != NULL)
			io_sooner(next, k->in_wake);
		return k->streamer;
	}
	if (k->streamer == NULL || k->out_ready || now >= until)
		return NULL;
	if (next != NULL)
		io_sooner(next, until);
	return k->streamer;
}

static void
end_of_stream(struct sink *k, struct job *j)
{
	(void)close(j->t.out_fd);
	j->t.out_fd = -1;
	k->in_ready = false;
	k->stream_ended = true;
}

/* When to look again at one end of the stream, a pipe of `size` bytes
 * (io_pace), at the rate the stream has moved so far. */
static double
stream_pace(const struct sink *k, const struct job *j, int size)
{
	double now = io_now();

	return io_pace(now, size, j->t.taken - k->stream_from,
	               now - k->stream_t0);
}

#ifdef HAVE_SPLICE
/* 1: splice cannot serve here (go on with stream_copy), 0, or -1. */
static int
stream_splice(struct sink *k, struct job *j)
{
	ssize_t n;
	int avail;

	while (k->in_ready && k->out_ready) {
		sink_before_out(k);
		n = splice(j->t.out_fd, NULL, k->fd, NULL, SPLICE_MAX,
		           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			j->t.taken += (uint64_t)n;
			k->last_write = io_now();
			continue;
		}
		if (n == 0) {
			end_of_stream(k, j);
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* Which end: the job's pipe is empty, or stdout full.
			 */
			if (ioctl(j->t.out_fd, FIONREAD, &avail) == 0 &&
			    avail > 0) {
				sink_stdout_full(k);
				k->out_wake =
				    stream_pace(k, j, k->out_pipe_size);
			} else {
				k->in_ready = false;
				k->in_wake =
				    stream_pace(k, j, j->t.out_pipe_size);
			}
			return 0;
		}
		if (unsupported(errno)) {
			k->use_splice = false;
			return 1;
		}
		k->broken = true;
		return sink_fail(k, SINK_STDOUT);
	}
	return 0;
}
#endif

/* The portable path: through the queue, read while it has room. */
static int
stream_copy(struct sink *k, struct job *j)
{
	ssize_t n;

	while (k->in_ready && sink_pending(k) < Q_HIGH) {
		n = io_read(j->t.out_fd, k->chunk, IO_CHUNK);
		if (n == 0) {
			end_of_stream(k, j);
			break;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				end_of_stream(k, j); /* as drain() does */
				break;
			}
			k->in_ready = false;
			break;
		}
		if (buf_append(&k->q, k->chunk, (size_t)n) == -1)
			return sink_fail(k, SINK_NOMEM);
		j->t.taken += (uint64_t)n;
		if (sink_pending(k) >= Q_WRITE && sink_write(k) == -1)
			return -1;
	}
	return sink_write(k);
}

int
sink_stream_step(struct sink *k)
{
	struct job *j = k->streamer;
	bool line_start = true; /* never tagged: streaming is off with --tag */
	long n;
	int rc;

	if (j == NULL || k->broken)
		return 0;
	/* First what it wrote before it streamed. */
	while (spool_len(&j->out) > 0) {
		if ((n = sink_move_out(k, &j->out, NULL, &line_start,
		                       UINT64_MAX)) == 0) {
			if ((rc = sink_write_for_room(k)) != 1)
				return rc;
			continue;
		}
		if (n < 0)
			return -1;
		j->t.taken += (uint64_t)n;
	}
	if (j->t.out_fd < 0)
		return 0;
#ifdef HAVE_SPLICE
	if (k->use_splice && sink_pending(k) == 0 &&
	    (rc = stream_splice(k, j)) != 1)
		return rc;
#endif
	return stream_copy(k, j);
}
