#include "config.h"

#include "run_timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

int
run_timeline_open(struct run_timeline *rt, const char *path)
{
	const char *slash;
	size_t dir_len;

	memset(rt, 0, sizeof *rt);
	rt->fd = -1;
	timeline_init(&rt->tl);
	if (path == NULL)
		return 0;
	rt->path = path;
	/* "DIR/.NAME.XXXXXX": the same directory, so rename is atomic. */
	slash = strrchr(path, '/');
	dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	rt->tmp = malloc(strlen(path) + 9);
	if (rt->tmp == NULL) {
		msg_warn_errno("--timeline: cannot write %s", path);
		return -1;
	}
	memcpy(rt->tmp, path, dir_len);
	strcpy(rt->tmp + dir_len, ".");
	strcat(rt->tmp, path + dir_len);
	strcat(rt->tmp, ".XXXXXX");
	rt->fd = mkostemp(rt->tmp, O_CLOEXEC);
	if (rt->fd == -1) {
		msg_warn_errno("--timeline: cannot write %s", path);
		free(rt->tmp);
		rt->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Room in slot_end for slot (0, unknown, is not tracked).  0 or -1. */
static int
slot_track(struct run_timeline *rt, unsigned slot)
{
	double *grown;
	size_t n;

	if (slot == 0)
		return -1;
	if (slot < rt->nslots)
		return 0;
	n = (size_t)slot * 2;
	grown = realloc(rt->slot_end, n * sizeof *grown);
	if (grown == NULL)
		return -1;
	memset(grown + rt->nslots, 0, (n - rt->nslots) * sizeof *grown);
	rt->slot_end = grown;
	rt->nslots = n;
	return 0;
}

void
run_timeline_note(struct run_timeline *rt, const struct job *j, bool by_us,
                  bool retried, double now)
{
	struct timeline_job tj;

	if (rt->path == NULL)
		return;
	memset(&tj, 0, sizeof tj);
	tj.seq = j->seq;
	tj.slot = j->t.ran_in;
	/* A job that could not start has no start of its own. */
	tj.start = j->t.started > 0 && j->t.started <= now ? j->t.started : now;
	tj.end = now;
	if (slot_track(rt, tj.slot) == 0) {
		if (rt->slot_end[tj.slot] > tj.start)
			tj.start = rt->slot_end[tj.slot];
		rt->slot_end[tj.slot] = now;
	}
	tj.exitval = j->end.exitval;
	tj.signal = j->end.signal;
	if (retried)
		tj.outcome = TIMELINE_RETRIED;
	else if (j->t.timed_out)
		tj.outcome = TIMELINE_TIMED_OUT;
	else if (by_us || j->end.signal != 0)
		tj.outcome = TIMELINE_KILLED;
	else if (j->end.status != 0)
		tj.outcome = TIMELINE_FAILED;
	else
		tj.outcome = TIMELINE_OK;
	tj.record = j->rec.data;
	tj.record_len = j->rec.len;
	tj.record_full_len = (size_t)j->rec_full_len;
	if (timeline_add(&rt->tl, &tj) == -1)
		rt->lost++;
}

/* Write svg to fd, rename tmp to path.  0, or -1 with errno set. */
static int
put_in_place(int fd, const struct buf *svg, const char *tmp, const char *path)
{
	/* mkostemp made it 0600; a picture is as readable as any file. */
	mode_t mask = umask(0);

	umask(mask);
	if (io_write_all(fd, svg->data, svg->len) == -1 ||
	    fchmod(fd, 0666 & ~mask) == -1)
		return -1;
	return rename(tmp, path);
}

int
run_timeline_commit(struct run_timeline *rt, const char *title)
{
	struct timeline_opts opts = {title, 0};
	struct buf svg = BUF_INIT;
	int rc = 0, fd = rt->fd;

	if (rt->path == NULL)
		return 0;
	if (rt->lost > 0)
		msg_warn("--timeline: out of memory: %zu jobs are not drawn",
		         rt->lost);
	rt->fd = -1;
	if (timeline_render(&rt->tl, &svg, &opts) == -1 ||
	    put_in_place(fd, &svg, rt->tmp, rt->path) == -1) {
		msg_warn_errno("--timeline: cannot write %s", rt->path);
		rc = -1;
	} else {
		free(rt->tmp);
		rt->tmp = NULL;
	}
	if (close(fd) == -1 && rc == 0) {
		msg_warn_errno("--timeline: cannot write %s", rt->path);
		rc = -1;
	}
	buf_free(&svg);
	run_timeline_discard(rt);
	return rc;
}

void
run_timeline_discard(struct run_timeline *rt)
{
	if (rt->fd >= 0)
		close(rt->fd);
	rt->fd = -1;
	if (rt->tmp != NULL)
		(void)unlink(rt->tmp);
	free(rt->tmp);
	rt->tmp = NULL;
	timeline_free(&rt->tl);
	free(rt->slot_end);
	rt->slot_end = NULL;
	rt->nslots = 0;
	rt->path = NULL;
}

/* The whole file at path into b.  0, or -1 with errno set. */
static int
slurp(const char *path, struct buf *b)
{
	ssize_t n = -1;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO
	                                : open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	do {
		if (buf_reserve(b, 65536) == -1)
			break;
		n = io_read(fd, b->data + b->len, 65536);
		if (n > 0)
			b->len += (size_t)n;
	} while (n > 0);
	if (fd != STDIN_FILENO) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return n == 0 ? 0 : -1;
}

int
run_timeline_from_joblog(const char *log, const char *svg)
{
	struct run_timeline rt;
	struct buf data = BUF_INIT;
	struct buf title = BUF_INIT;
	size_t bad_line = 0;
	int rc = -1;

	if (run_timeline_open(&rt, svg) == -1)
		return -1;
	if (slurp(log, &data) == -1) {
		msg_warn_errno("--from-joblog: cannot read %s", log);
	} else if (timeline_from_joblog(&rt.tl, data.data, data.len,
	                                &bad_line) == -1) {
		if (errno == EINVAL)
			msg_warn("--from-joblog: %s line %zu is not a joblog "
			         "row",
			         log, bad_line);
		else
			msg_warn_errno("--from-joblog: %s", log);
	} else if (buf_printf(&title, "joblog %s", log) == 0) {
		rc = run_timeline_commit(&rt, title.data);
	}
	run_timeline_discard(&rt);
	buf_free(&data);
	buf_free(&title);
	return rc;
}
