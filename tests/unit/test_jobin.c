/* jobin: when a job whose stdin pipe is full is looked at again --
 * later for a slow reader, at once for a fast or untimed one -- and that
 * a write that fills a real pipe says so. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "spool.h"
#include "tap.h"

#define MIB (1 << 20)

static void
job_reading(struct job *j, int pipe_size, double ran, double sent)
{
	memset(j, 0, sizeof *j);
	j->route.in_fd = -1;
	j->route.in_pipe_size = pipe_size;
	j->t.started = 100.0 - ran;
	j->route.sent = (uint64_t)sent;
}

static int
near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

static void
test_wake(void)
{
	struct job j;

	job_reading(&j, MIB, 1.0, 0);
	jobin_full(&j, 100.0);
	ok(j.route.in_wake == 0, "nothing read yet: looked at again at once");

	job_reading(&j, MIB, 1.0, 4e9);
	jobin_full(&j, 100.0);
	ok(near(j.route.in_wake, 100.0 + (MIB / 4) / 4e9),
	   "4 GB/s (wc -l): after a quarter pipe's time (66 us), not while it "
	   "reads");

	job_reading(&j, MIB, 1.0, 40e9);
	jobin_full(&j, 100.0);
	ok(j.route.in_wake == 0,
	   "40 GB/s: 6.6 us is not worth a wake-up: at once");

	job_reading(&j, MIB, 1.0, 100e6);
	jobin_full(&j, 100.0);
	ok(near(j.route.in_wake, 100.0 + (MIB / 4) / 100e6),
	   "100 MB/s (gzip -1): after a quarter pipe's time (2.6 ms)");

	job_reading(&j, MIB, 10.0, 1e6);
	jobin_full(&j, 100.0);
	ok(near(j.route.in_wake, 100.010), "100 kB/s: after 10 ms at most");

	job_reading(&j, 0, 1.0, 100e6);
	jobin_full(&j, 100.0);
	ok(j.route.in_wake == 0, "pipe size unknown: at once");

	job_reading(&j, MIB, 0.0, 100e6);
	jobin_full(&j, 100.0);
	ok(j.route.in_wake == 0, "not timed yet: at once");

	job_reading(&j, MIB, 1.0, 100e6);
	jobin_full(&j, 100.0);
	ok(jobin_wake(&j) == 0, "no stdin: nothing to look at");
	j.route.in_fd = 7;
	ok(jobin_wake(&j) == 0, "nothing waits for it: nothing to look at");
	j.route.in_full = true;
	ok(near(jobin_wake(&j), j.route.in_wake), "found full: its wake time");
}

/* A job's stdin as a real non-blocking pipe: what jobin_write puts in
 * is what the other end reads, and filling it sets the wake time of a
 * slow reader. */
static void
test_write_fills(void)
{
	struct spool_file s;
	struct job j;
	int fds[2];
	size_t size = 8 * MIB, put, got = 0;
	char *data = malloc(size), *back = malloc(size);
	ssize_t n;

	spool_file_init(&s, 1000, 4096);
	ok(data != NULL && back != NULL && io_pipe_nonblock(fds, 1) == 0,
	   "a pipe");
	for (put = 0; put < size; put++)
		data[put] = (char)(put * 7 + put / 4096);
	job_reading(&j, io_grow_pipe(fds[1], MIB), 1.0, 100e6);
	j.t.started = io_now() - 1.0;
	j.route.in_fd = fds[1];
	put = jobin_write(&s, &j, data, size);
	ok(put > 0 && put < size, "a partial write: the pipe is full (%zu)",
	   put);
	ok(j.route.sent == (uint64_t)100e6 + put, "sent counts what went in");
	ok(j.route.in_wake > io_now(), "a slow reader: looked at again later");
	(void)io_set_nonblock(fds[0]);
	while ((n = read(fds[0], back + got, size - got)) > 0)
		got += (size_t)n;
	ok(n == -1 && errno == EAGAIN && got == put &&
	       memcmp(back, data, put) == 0,
	   "the other end reads exactly those bytes");
	(void)close(fds[0]);
	(void)close(fds[1]);
	spool_file_close(&s);
	free(data);
	free(back);
}

int
main(void)
{
	test_wake();
	test_write_fills();
	return tap_done();
}
