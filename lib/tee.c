/* --tee: all of stdin to every job (see tee.h). */
#include "config.h"

#include "tee.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

int
tee_init(struct tee *t, size_t jobs, struct spool_file *spill)
{
	t->spill = spill;
	t->fd = STDIN_FILENO;
	t->n = 0;
	t->want = jobs;
	t->cap = jobs > 0 ? jobs : 1;
	t->bytes_read = t->bytes_total = 0;
	t->bytes_total = io_file_left(STDIN_FILENO);
	t->buf = malloc(IO_CHUNK);
	t->chunk = malloc(IO_CHUNK);
	if ((t->v = calloc(t->cap, sizeof *t->v)) == NULL || t->buf == NULL ||
	    t->chunk == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	return 0;
}

void
tee_free(struct tee *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
	free(t->buf);
	free(t->chunk);
	t->buf = t->chunk = NULL;
}

int
tee_fd(const struct tee *t)
{
	size_t i;

	if (t->fd < 0 || t->want > 0)
		return -1;
	for (i = 0; i < t->n; i++)
		if (spool_len(&t->v[i]->in) >= IO_CHUNK)
			return -1;
	return t->fd;
}

/* No more input: each job's ends once what waits for it is in. */
static void
end_all(struct tee *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		jobin_whole(t->v[i]);
	}
}

int
tee_read(struct tee *t)
{
	ssize_t n = io_read(t->fd, t->buf, IO_CHUNK);
	size_t i;

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0) {
		msg_warn_errno("error reading standard input");
		return -1;
	}
	if (n == 0) {
		t->fd = -1; /* stdin itself stays open: it is not ours */
		end_all(t);
		return 0;
	}
	t->bytes_read += (uint64_t)n;
	for (i = 0; i < t->n; i++)
		if (jobin_put(t->spill, t->v[i], t->buf, (size_t)n) == -1)
			return -1;
	return 0;
}

int
tee_send(struct tee *t, struct job *j)
{
	size_t i;

	for (i = 0; i < t->n && t->v[i] != j; i++)
		;
	if (i == t->n && t->n < t->cap) {
		/* It started: one fewer to wait for before reading. */
		if (t->want > 0)
			t->want--;
		t->v[t->n++] = j;
		/* (Input ended before it started: jobin_send ends its.) */
		if (t->fd < 0)
			j->route.in_whole = true;
	}
	return jobin_send(t->spill, j, t->chunk, IO_CHUNK);
}

void
tee_forget(struct tee *t, struct job *j)
{
	size_t i;

	job_close_in(j);
	spool_reset(t->spill, &j->in, 0);
	for (i = 0; i < t->n; i++)
		if (t->v[i] == j) {
			t->v[i] = t->v[--t->n];
			return;
		}
	/* It never started: it will not be waited for. */
	if (t->want > 0)
		t->want--;
}

void
tee_stop(struct tee *t)
{
	if (t->fd >= 0) {
		t->fd = -1;
		end_all(t);
	}
}

bool
tee_ended(const struct tee *t)
{
	return t->fd < 0;
}
