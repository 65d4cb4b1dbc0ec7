/* Bytes into a job's stdin (see jobin.h). */
#include "config.h"

#include "jobin.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

void
jobin_gone(struct spool_file *spill, struct job *j)
{
	job_close_in(j);
	j->route.in_gone = true;
	spool_reset(spill, &j->in, 0);
}

void
jobin_full(struct job *j, double now)
{
	j->route.in_wake = io_pace(now, j->route.in_pipe_size, j->route.sent,
	                           now - j->t.started);
}

double
jobin_wake(const struct job *j)
{
	return j->route.in_fd >= 0 &&
	               (spool_len(&j->in) > 0 || j->route.in_full)
	           ? j->route.in_wake
	           : 0;
}

void
jobin_whole(struct job *j)
{
	j->route.in_whole = true;
	if (spool_len(&j->in) == 0 && j->t.pid > 0)
		job_end_input(j);
}

size_t
jobin_write(struct spool_file *spill, struct job *j, const char *p, size_t n)
{
	size_t done = 0;

	while (done < n && j->route.in_fd >= 0) {
		ssize_t w = write(j->route.in_fd, p + done, n - done);

		if (w > 0) {
			done += (size_t)w;
			j->route.sent += (uint64_t)w;
		} else if (w == -1 && errno == EINTR) {
			continue;
		} else if (w == -1 && errno == EAGAIN) {
			jobin_full(j, io_now());
			break;
		} else {
			jobin_gone(spill, j);
		}
	}
	return done;
}

int
jobin_put(struct spool_file *spill, struct job *j, const char *p, size_t n)
{
	size_t w = 0;

	if (j->route.in_gone)
		return 0;
	if (spool_len(&j->in) == 0)
		w = jobin_write(spill, j, p, n);
	if (w < n && !j->route.in_gone &&
	    spool_add(spill, &j->in, p + w, n - w) == -1) {
		msg_warn_errno("cannot keep a block of input for its job");
		return -1;
	}
	return 0;
}

int
jobin_send(struct spool_file *spill, struct job *j, char *chunk, size_t size)
{
	j->route.in_full = false;
	while (j->route.in_fd >= 0 && spool_len(&j->in) > 0) {
		long n = spool_send(spill, &j->in, j->route.in_fd, SIZE_MAX,
		                    SPOOL_SEND_PIPE, chunk, size);

		if (n > 0) {
			j->route.sent += (uint64_t)n;
		} else if (n == -1 && errno == EAGAIN) {
			jobin_full(j, io_now());
			return 0;
		} else if (n == -1 && errno != EPIPE) {
			msg_warn_errno("cannot read a block of input back from "
			               "a temporary file in %s",
			               spill->dir);
			return -1;
		} else {
			jobin_gone(spill, j);
		}
	}
	if (j->route.in_whole && spool_len(&j->in) == 0)
		job_end_input(j);
	return 0;
}

int
jobin_again(struct spool_file *spill, struct job *j, char *chunk, size_t size)
{
	struct spool again;
	long n;

	memset(&again, 0, sizeof again);
	spool_reset(spill, &j->in, 0);
	while ((n = spool_take(spill, &j->keep, chunk, size)) > 0)
		if (spool_add(spill, &j->in, chunk, (size_t)n) == -1 ||
		    spool_add(spill, &again, chunk, (size_t)n) == -1)
			n = -1;
	if (n < 0 || spool_join(spill, &j->keep, &again) == -1) {
		msg_warn_errno("cannot keep a copy of a block for --retries "
		               "in %s",
		               spill->dir);
		spool_free(spill, &again);
		return -1;
	}
	j->route.in_whole = true;
	return 0;
}
