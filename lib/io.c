#include "config.h"

#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int
io_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t
io_read(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

int
io_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1)
		return -1;
	if (fl & O_NONBLOCK)
		return 0;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
io_pipe_nonblock(int fds[2], int ours)
{
	int saved;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	/* The child's end must stay blocking: programs do not expect EAGAIN
	 * on their stdin or stdout. */
	if (io_set_nonblock(fds[ours]) == -1) {
		saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	return 0;
}

int
io_grow_pipe(int fd, int size)
{
#ifdef F_SETPIPE_SZ
	int now = fcntl(fd, F_GETPIPE_SZ);

	if (now >= 0 && now < size) {
		int grown = fcntl(fd, F_SETPIPE_SZ, size);

		if (grown > 0)
			now = grown;
	}
	return now < 0 ? 0 : now;
#else
	(void)fd;
	(void)size;
	return 0;
#endif
}

double
io_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
io_sooner(double *next, double t)
{
	if (t > 0 && (*next == 0 || t < *next))
		*next = t;
}

/* (See io.h.)  The loop waits with ppoll, to the microsecond. */
#define PACE_MIN 0.00002
#define PACE_MAX 0.010

double
io_pace(double now, int size, uint64_t moved, double ran)
{
	double wait;

	if (size <= 0 || moved == 0 || ran <= 0)
		return 0;
	wait = (double)size / 4 / ((double)moved / ran);
	if (wait < PACE_MIN)
		return 0;
	return now + (wait > PACE_MAX ? PACE_MAX : wait);
}

bool
io_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

double
io_wallclock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
io_is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

uint64_t
io_file_left(int fd)
{
	struct stat st;
	off_t at;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (at = lseek(fd, 0, SEEK_CUR)) == -1 || at >= st.st_size)
		return 0;
	return (uint64_t)(st.st_size - at);
}
