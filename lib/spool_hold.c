/*
 * Holding pipes: bytes of a job's stdin kept aside (--pipe, while the job
 * reads slower than input comes and the next block's job is to start)
 * move from stdin into a pipe of pmapf's own and later on into the job's
 * stdin, both with splice: pages change hands, nothing is copied.  The
 * spool file costs a copy into the page cache and the file system's
 * bookkeeping on each byte, and that was most of what pmapf spent on
 * such input.  A shared budget bounds what pipes hold (they are kernel
 * memory, and count against the user's pipe pages, which
 * /proc/sys/fs/pipe-user-pages-soft limits); past it, or where a pipe
 * cannot be made or grown, the bytes go to the spool file as before.
 */
#include "config.h"

#include "spool_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "io.h"

/* What one holding pipe is grown to: the most an unprivileged user may
 * ask (/proc/sys/fs/pipe-max-size's default). */
#define HOLD_PIPE (1 << 20)

void
spool_hold_init(struct spool_file *s, size_t budget)
{
	struct rlimit rl;

	/* Each pipe takes two descriptors, which jobs need more: at most
	 * one pipe for every 64 of the limit past its first 256. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		size_t pipes =
		    rl.rlim_cur > 256 ? (size_t)(rl.rlim_cur - 256) / 64 : 0;

		if (budget > pipes * HOLD_PIPE)
			budget = pipes * HOLD_PIPE;
	}
	s->hold_budget = budget;
	s->no_hold = spool_test_knob("PMAPF_TEST_NO_HOLD");
}

bool
spool_hold_open(const struct spool_file *s)
{
	return !s->no_hold && !s->hold_stuck &&
	       s->hold_held + HOLD_PIPE <= s->hold_budget;
}

void
spool_hold_close(struct spool_file *s)
{
	while (s->nspare > 0) {
		s->nspare--;
		(void)close(s->spare[s->nspare][0]);
		(void)close(s->spare[s->nspare][1]);
	}
	s->no_hold = true; /* (what still holds bytes is closed when let go) */
}

#ifdef HAVE_SPLICE
/* A holding pipe at p's end: a spare one, or a new one grown to
 * HOLD_PIPE.  0, or -1 when the budget is spent or none can be had. */
static int
new_pipe(struct spool_file *s, struct spool *p)
{
	int fds[2];

	if (!spool_hold_open(s))
		return -1;
	if (s->nspare > 0) {
		s->nspare--;
		fds[0] = s->spare[s->nspare][0];
		fds[1] = s->spare[s->nspare][1];
	} else {
		if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1)
			return -1;
		/* A small pipe would cost a descriptor pair a few pages:
		 * the file then, until every pipe is let go.  (Growing fails
		 * once the user's pipes pass pipe-user-pages-soft, which the
		 * jobs' 1 MiB pipes count against too.) */
		if (io_grow_pipe(fds[0], HOLD_PIPE) < HOLD_PIPE) {
			(void)close(fds[0]);
			(void)close(fds[1]);
			s->hold_stuck = true;
			return -1;
		}
	}
	if (spool_add_extent(p, fds[0], fds[1], 0, 0) == -1) {
		(void)close(fds[0]);
		(void)close(fds[1]);
		return -1;
	}
	s->hold_held += HOLD_PIPE;
	return 0;
}

#endif

void
spool_hold_release(struct spool_file *s, struct extent *e)
{
	s->hold_held -= HOLD_PIPE;
	if (s->hold_held == 0)
		s->hold_stuck = false;
	if (e->len == 0 && !s->no_hold && s->nspare < SPOOL_HOLD_SPARE) {
		s->spare[s->nspare][0] = e->fd;
		s->spare[s->nspare][1] = e->wfd;
		s->nspare++;
	} else {
		(void)close(e->fd);
		(void)close(e->wfd);
	}
	e->fd = e->wfd = -1;
	e->len = 0;
}

#ifdef HAVE_SPLICE
/* The last extent, when it is a holding pipe. */
static struct extent *
last_pipe(struct spool *p)
{
	struct extent *e = p->first < p->next ? &p->ext[p->next - 1] : NULL;

	return e != NULL && e->wfd >= 0 ? e : NULL;
}

/* A holding pipe just added that got nothing goes (an empty extent first
 * would read as the spool's end). */
static void
drop_empty_last(struct spool_file *s, struct spool *p)
{
	struct extent *e = last_pipe(p);

	if (e == NULL || e->len > 0)
		return;
	spool_hold_release(s, e);
	if (--p->next == p->first)
		p->first = p->next = 0;
}

/* What memory holds (the newest bytes) goes into the pipes first.  0, or
 * -1 when it cannot all go (the file then). */
static int
memory_to_pipes(struct spool_file *s, struct spool *p)
{
	struct extent *e;
	ssize_t w;

	while (p->mem.len > p->mem_off) {
		if ((e = last_pipe(p)) == NULL) {
			if (new_pipe(s, p) == -1)
				return -1;
			continue;
		}
		do
			w = write(e->wfd, p->mem.data + p->mem_off,
			          p->mem.len - p->mem_off);
		while (w < 0 && errno == EINTR);
		if (w > 0) {
			e->len += (uint64_t)w;
			spool_taken_from_memory(p, (size_t)w);
		} else if (w < 0 && errno == EAGAIN) {
			if (new_pipe(s, p) == -1)
				return -1;
		} else {
			drop_empty_last(s, p);
			return -1;
		}
	}
	/* As a spilled spool: no buffer held. */
	spool_mem_free(s, p);
	return 0;
}
#endif

long
spool_hold_in(struct spool_file *s, struct spool *p, int fd, size_t max)
{
#ifdef HAVE_SPLICE
	struct extent *e;
	ssize_t n;
	int avail, saved;

	/* Behind bytes in the file, more go there: order is kept. */
	if (s->no_hold || (p->first < p->next && last_pipe(p) == NULL) ||
	    memory_to_pipes(s, p) == -1)
		return spool_splice_in(s, p, fd, max);
	for (;;) {
		if ((e = last_pipe(p)) == NULL) {
			if (new_pipe(s, p) == -1)
				return spool_splice_in(s, p, fd, max);
			continue;
		}
		do
			n = splice(fd, NULL, e->wfd, NULL, max,
			           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		while (n < 0 && errno == EINTR);
		if (n > 0) {
			e->len += (uint64_t)n;
			return n;
		}
		saved = errno;
		drop_empty_last(s, p);
		errno = saved;
		if (n == 0 || errno != EAGAIN)
			return n;
		/* Which end: fd is empty, or the holding pipe full. */
		if (ioctl(fd, FIONREAD, &avail) == -1 || avail == 0) {
			errno = EAGAIN;
			return -1;
		}
		if (new_pipe(s, p) == -1)
			return spool_splice_in(s, p, fd, max);
	}
#else
	return spool_splice_in(s, p, fd, max);
#endif
}

/* n bytes of the first extent, a holding pipe, are gone. */
static void
taken(struct spool_file *s, struct spool *p, size_t n)
{
	struct extent *e = &p->ext[p->first];

	e->len -= n;
	if (e->len > 0)
		return;
	spool_hold_release(s, e);
	if (++p->first == p->next)
		p->first = p->next = 0;
}

ssize_t
spool_hold_take(struct spool_file *s, struct spool *p, char *dst, size_t want)
{
	ssize_t r;

	do
		r = read(p->ext[p->first].fd, dst, want);
	while (r < 0 && errno == EINTR);
	if (r == 0) /* the pipe holds less than counted */
		errno = EIO;
	if (r <= 0)
		return -1;
	taken(s, p, (size_t)r);
	return r;
}

ssize_t
spool_hold_send(struct spool_file *s, struct spool *p, int fd, size_t want)
{
#ifdef HAVE_SPLICE
	ssize_t r;

	do
		r = splice(p->ext[p->first].fd, NULL, fd, NULL, want,
		           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = EIO;
	if (r <= 0)
		return -1;
	taken(s, p, (size_t)r);
	return r;
#else
	(void)s;
	(void)p;
	(void)fd;
	(void)want;
	errno = ENOSYS;
	return -1;
#endif
}
