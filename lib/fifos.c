/* --fifo: blocks through named pipes (see fifos.h). */
#include "config.h"

#include "fifos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

int
fifos_init(struct fifos *f, const char *dir)
{
	f->dir = dir;
	f->wait = NULL;
	f->n = f->cap = 0;
	f->made = 0;
	f->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->notify_fd == -1) {
		msg_warn_errno("--fifo: cannot watch for jobs opening their "
		               "FIFOs");
		return -1;
	}
	return 0;
}

void
fifos_free(struct fifos *f)
{
	if (f->notify_fd >= 0)
		(void)close(f->notify_fd);
	f->notify_fd = -1;
	free(f->wait);
	f->wait = NULL;
	f->n = f->cap = 0;
}

/* A new FIFO named in j->rec (removed with the job). */
static int
make_node(struct fifos *f, struct job *j)
{
	for (int tries = 0; tries < 100; tries++) {
		buf_reset(&j->rec);
		if (buf_printf(&j->rec, "%s/pmapf-fifo-%ld-%lu", f->dir,
		               (long)getpid(), ++f->made) == -1) {
			errno = ENOMEM;
			return -1;
		}
		if (mkfifo(j->rec.data, 0600) == 0) {
			j->rec_file = true;
			j->nrec = 1;
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int
fifos_make(struct fifos *f, struct job *j)
{
	struct job **grown;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;

		if ((grown = realloc(f->wait, cap * sizeof *grown)) == NULL) {
			msg_warn("out of memory");
			return -1;
		}
		f->wait = grown;
		f->cap = cap;
	}
	/* Held open for reading first, so the write end opens at once and
	 * the FIFO keeps what is written before the job opens it. */
	if (make_node(f, j) == -1 ||
	    (j->route.hold_fd =
	         open(j->rec.data, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    (j->route.in_fd =
	         open(j->rec.data, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    (j->route.fifo_wd = inotify_add_watch(
	         f->notify_fd, j->rec.data, IN_OPEN | IN_ONESHOT)) == -1) {
		msg_warn_errno("--fifo: cannot make a FIFO in %s", f->dir);
		job_close_in(j);
		return -1;
	}
	io_grow_pipe(j->route.in_fd, 1 << 20);
	j->route.fifo_waiting = true;
	f->wait[f->n++] = j;
	return 0;
}

static void
drop(struct fifos *f, size_t i)
{
	f->wait[i] = f->wait[--f->n];
}

void
fifos_forget(struct fifos *f, struct job *j)
{
	size_t i;

	if (!j->route.fifo_waiting)
		return;
	j->route.fifo_waiting = false;
	(void)inotify_rm_watch(f->notify_fd, j->route.fifo_wd);
	for (i = 0; i < f->n; i++)
		if (f->wait[i] == j) {
			drop(f, i);
			return;
		}
}

int
fifos_fd(const struct fifos *f)
{
	return f->n > 0 ? f->notify_fd : -1;
}

/* The job watched by wd opened its FIFO: pmapf's read end goes (so it
 * sees the job stop reading), and its input may end. */
static void
opened(struct fifos *f, int wd)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct job *j = f->wait[i];

		if (j->route.fifo_wd != wd)
			continue;
		drop(f, i);
		j->route.fifo_waiting = false;
		if (j->route.hold_fd >= 0)
			(void)close(j->route.hold_fd);
		j->route.hold_fd = -1;
		if (j->route.end_at_open)
			job_close_in(j);
		return;
	}
}

int
fifos_read(struct fifos *f)
{
	/* Aligned for the events read into it. */
	char ev[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n, at;

	for (;;) {
		n = io_read(f->notify_fd, ev, sizeof ev);
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			msg_warn_errno("--fifo: cannot watch for jobs opening "
			               "their FIFOs");
			return -1;
		}
		for (at = 0; at < n;) {
			const struct inotify_event *e =
			    (const struct inotify_event *)(ev + at);

			if (e->mask & IN_OPEN)
				opened(f, e->wd);
			at += (ssize_t)(sizeof *e + e->len);
		}
	}
}
