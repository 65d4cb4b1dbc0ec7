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
run_timeline_open(struct run_timeline *rt, const char *path, const char *other)
{
	struct stat st, ost;

	memset(rt, 0, sizeof *rt);
	rt->fd = -1;
	timeline_init(&rt->tl);
	if (path == NULL)
		return 0;
	rt->path = path;
	if (strcmp(path, "-") == 0) {
		rt->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
		if (rt->fd == -1) {
			msg_warn_errno("--timeline: cannot write to standard "
			               "output");
			run_timeline_discard(rt);
			return -1;
		}
		return 0;
	}
	/* Opened as a shell's > would, now, so a file that cannot be
	 * written is refused before any job; written only at the end. */
	rt->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	rt->created = rt->fd >= 0;
	if (rt->fd == -1 && errno == EEXIST)
		rt->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (rt->fd == -1) {
		msg_warn_errno("--timeline: cannot write %s", path);
		rt->path = NULL;
		return -1;
	}
	if (other != NULL && fstat(rt->fd, &st) == 0 &&
	    stat(other, &ost) == 0 && io_same_file(&st, &ost)) {
		msg_warn("--timeline: %s is %s: it would be replaced", path,
		         other);
		run_timeline_discard(rt);
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
	char rec[TIMELINE_RECORD_MAX];
	struct timeline_job tj;
	size_t i;

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
	/* -N joins a job's records with NUL bytes: shown with spaces. */
	tj.record_len = j->rec.len < sizeof rec ? j->rec.len : sizeof rec;
	for (i = 0; i < tj.record_len; i++)
		rec[i] = j->rec.data[i] != '\0' ? j->rec.data[i] : ' ';
	tj.record = rec;
	tj.record_full_len =
	    j->rec_full_len > j->rec.len ? (size_t)j->rec_full_len : j->rec.len;
	if (timeline_add(&rt->tl, &tj) == -1)
		rt->lost++;
}

/* Replace what fd holds with svg.  0, or -1 with errno set. */
static int
overwrite(int fd, const struct buf *svg)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	if (S_ISREG(st.st_mode) &&
	    (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1))
		return -1;
	return io_write_all(fd, svg->data, svg->len);
}

int
run_timeline_commit(struct run_timeline *rt, const char *title)
{
	struct timeline_opts opts = {title, 0};
	struct buf svg = BUF_INIT;
	int rc = 0;

	if (rt->path == NULL)
		return 0;
	if (rt->lost > 0)
		msg_warn("--timeline: out of memory: %zu jobs are not drawn",
		         rt->lost);
	if (timeline_render(&rt->tl, &svg, &opts) == -1 ||
	    overwrite(rt->fd, &svg) == -1) {
		msg_warn_errno("--timeline: cannot write %s", rt->path);
		rc = -1;
	} else {
		rt->created = false; /* it is the picture now: kept */
	}
	if (close(rt->fd) == -1 && rc == 0) {
		msg_warn_errno("--timeline: cannot write %s", rt->path);
		rc = -1;
	}
	rt->fd = -1;
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
	/* A file this run created and never wrote goes again; one that was
	 * there is left as it was. */
	if (rt->created && rt->path != NULL)
		(void)unlink(rt->path);
	rt->created = false;
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

	if (run_timeline_open(&rt, svg, log) == -1)
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
	} else if (buf_printf(&title, "joblog %s", log) == -1) {
		msg_warn_errno("--timeline: cannot write %s", svg);
	} else {
		rc = run_timeline_commit(&rt, title.data);
	}
	run_timeline_discard(&rt);
	buf_free(&data);
	buf_free(&title);
	return rc;
}
