#include "config.h"

#include "sink_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

#define SPARE_ENTRIES 1024
#define SPARE_BUF_MAX 4096
/* Start times held at first (ordered): jobs started ahead of output. */
#define BEGAN_FIRST 4096

enum { PART_OUT, PART_ERR, PART_ROW };

struct sink_entry {
	uint64_t seq;
	uint64_t out_len, err_len;
	uint32_t row_len;
	struct spool sp; /* stdout, then stderr, then the joblog row */
	struct buf tag;
};

static int
open_own_description(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1 || (flags & O_ACCMODE) == O_RDONLY)
		return -1;
	return open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC |
	                                   O_NOCTTY | (flags & O_APPEND));
}

int
sink_init(struct sink *k, int fd, bool ordered, bool tag, int joblog_fd,
          struct spool_file *spill)
{
	struct stat st;
	int own;

	memset(k, 0, sizeof *k);
	reorder_init(&k->ro, ordered);
	if ((k->chunk = malloc(IO_CHUNK)) == NULL ||
	    (ordered &&
	     (k->began = calloc(BEGAN_FIRST, sizeof *k->began)) == NULL))
		return -1;
	k->began_mask = BEGAN_FIRST - 1;
	k->spill = spill;
	k->tag = tag;
	k->joblog_fd = joblog_fd;
	k->fd = fd;
	k->kind = SINK_DIRECT;
	k->out_ready = true;
	/* Without splice and sendfile: the portable path, for the tests. */
	k->direct = !tag && !spool_test_knob("PMAPF_TEST_NO_SPLICE");
	if (fstat(fd, &st) == -1)
		return 0; /* writing will fail and say why */
	if (S_ISSOCK(st.st_mode)) {
		k->kind = SINK_SOCKET;
	} else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		own = fd == STDOUT_FILENO ? open_own_description(fd) : -1;
		/* In place of fd 1: no descriptor more than before (jobs
		 * never inherit pmapf's fd 1, so nothing else sees it). */
		if (own >= 0 && dup3(own, fd, O_CLOEXEC) == fd) {
			(void)close(own);
			k->kind = SINK_NONBLOCK;
		} else if (own >= 0) {
			k->fd = own;
			k->kind = SINK_NONBLOCK;
		} else if (S_ISFIFO(st.st_mode)) {
			k->kind = SINK_PIPE_CHUNKS;
		}
	}
	/* A socket must not block, and a pipe without its own description
	 * takes PIPE_BUF at a time: both only through the queue. */
	if (k->kind == SINK_SOCKET || k->kind == SINK_PIPE_CHUNKS)
		k->direct = false;
	k->use_splice = k->direct;
	/* sendfile into a pipe hands over page references (spool_part.h). */
	k->send_how = S_ISFIFO(st.st_mode) ? SPOOL_SEND_PIPE : SPOOL_SENDFILE;
	return 0;
}

static void
entry_free(struct sink *k, struct sink_entry *e)
{
	spool_free(k->spill, &e->sp);
	buf_free(&e->tag);
	free(e);
}

static void
entry_recycle(struct sink *k, struct sink_entry *e)
{
	if (k->nspare == SPARE_ENTRIES ||
	    (k->spare == NULL &&
	     (k->spare = calloc(SPARE_ENTRIES, sizeof *k->spare)) == NULL)) {
		entry_free(k, e);
		return;
	}
	spool_reset(k->spill, &e->sp, SPARE_BUF_MAX);
	buf_reset(&e->tag);
	k->spare[k->nspare++] = e;
}

void
sink_free(struct sink *k)
{
	struct sink_entry *e;

	/* Whatever is still held was not written: with an interrupted
	 * ordered run, the jobs finished beyond a gap. */
	if (k->cur != NULL)
		entry_free(k, k->cur);
	while ((e = reorder_take_any(&k->ro)) != NULL)
		entry_free(k, e);
	reorder_free(&k->ro);
	while (k->nspare > 0)
		entry_free(k, k->spare[--k->nspare]);
	free(k->spare);
	free(k->began);
	free(k->chunk);
	k->chunk = NULL;
	buf_free(&k->q);
	if (k->fd != STDOUT_FILENO && k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

static void
start_entry(struct sink *k, struct sink_entry *e)
{
	k->cur = e;
	k->part = PART_OUT;
	k->left = e->out_len;
	k->line_start = true;
}

static struct sink_entry *
entry_new(struct sink *k)
{
	if (k->nspare > 0)
		return k->spare[--k->nspare];
	return calloc(1, sizeof(struct sink_entry));
}

/* The job's output may go out now, straight from its spool: next in
 * order, nothing queued ahead of it, all in memory, no stderr to order. */
static bool
goes_now(const struct sink *k, const struct job *j, bool streamed)
{
	return k->cur == NULL && !k->broken && sink_pending(k) < Q_HIGH &&
	       (k->streamer == NULL || streamed) &&
	       (k->ro.ordered ? j->seq == k->ro.next
	                      : reorder_held(&k->ro) == 0 || streamed) &&
	       j->out.first == j->out.next && spool_len(&j->err) == 0;
}

/* Queued: the direct paths write only when the queue is empty, so these
 * bytes go before any job output put after them. */
int
sink_text(struct sink *k, const char *p, size_t len)
{
	return buf_append(&k->q, p, len) == -1 ? sink_fail(k, SINK_NOMEM) : 0;
}

/* A joblog row, or part of one: to the joblog, or (--joblog -) into
 * stdout's stream, where it follows its job's output.  A joblog that
 * fails takes no more: the caller learns why from joblog_err, and output
 * goes on. */
int
sink_log(struct sink *k, const char *row, size_t len)
{
	if (len == 0)
		return 0;
	if (k->joblog_fd == SINK_LOG_STDOUT)
		return sink_text(k, row, len);
	if (k->joblog_fd >= 0 && io_write_all(k->joblog_fd, row, len) == -1) {
		k->joblog_err = errno != 0 ? errno : EIO;
		k->joblog_fd = -1;
	}
	return 0;
}

int
sink_put(struct sink *k, struct job *j, const char *row, size_t row_len)
{
	struct sink_entry *e;
	struct spool swap;
	bool line_start = true;
	/* Its stdout has been going out as it came: the rest goes first. */
	bool streamed = k->streamer == j;

	if (streamed) {
		k->streamer = NULL;
		k->in_ready = false;
	}
	if (goes_now(k, j, streamed)) {
		/* The common case, without an entry: a million tiny jobs
		 * cost one copy each. */
		if (sink_append(k, &k->q, &j->tag, &line_start,
		                j->out.mem.data + j->out.mem_off,
		                j->out.mem.len - j->out.mem_off) == -1)
			return sink_fail(k, SINK_NOMEM);
		if (row_len > 0 && sink_log(k, row, row_len) == -1)
			return -1;
		reorder_skip(&k->ro);
		k->emitted++;
		if (reorder_held(&k->ro) > 0)
			return sink_pump(k);
		k->held_since = 0;
		return sink_pending(k) >= Q_WRITE ? sink_write(k) : 0;
	}
	if ((e = entry_new(k)) == NULL)
		return sink_fail(k, SINK_NOMEM);
	e->seq = j->seq;
	/* The job's spool moves over whole; the job takes the entry's empty
	 * one (and its small buffer) in exchange. */
	swap = e->sp;
	e->sp = j->out;
	j->out = swap;
	e->out_len = spool_len(&e->sp);
	e->err_len = spool_len(&j->err);
	e->row_len = row_len;
	buf_reset(&e->tag);
	if (spool_join(k->spill, &e->sp, &j->err) == -1 ||
	    spool_add(k->spill, &e->sp, row, row_len) == -1 ||
	    (k->tag && buf_append(&e->tag, j->tag.data, j->tag.len) == -1)) {
		entry_free(k, e);
		return sink_fail(k, errno == ENOMEM ? SINK_NOMEM : SINK_SPILL);
	}
	if (streamed) {
		/* Next, whatever else is held (with -u, others are). */
		reorder_skip(&k->ro);
		start_entry(k, e);
		return sink_pump(k);
	}
	if (reorder_push(&k->ro, e->seq, e) == -1) {
		entry_free(k, e);
		return sink_fail(k, SINK_NOMEM);
	}
	/* Waiting behind another job: hold no more memory than it needs. */
	if (k->ro.ordered && e->seq != k->ro.next)
		spool_settle(k->spill, &e->sp);
	return sink_pump(k);
}

int
sink_skip(struct sink *k, uint64_t seq)
{
	struct sink_entry *e;

	if (!k->ro.ordered)
		return 0;
	if ((e = entry_new(k)) == NULL)
		return sink_fail(k, SINK_NOMEM);
	e->seq = seq;
	e->out_len = e->err_len = e->row_len = 0;
	buf_reset(&e->tag);
	if (reorder_push(&k->ro, seq, e) == -1) {
		entry_free(k, e);
		return sink_fail(k, SINK_NOMEM);
	}
	return sink_pump(k);
}

/* spool_emit_lines' writer for sink_lines: the lines, tagged, queued. */
struct lines_to_q {
	struct sink *k;
	struct job *j;
};

static int
queue_lines(const char *p, size_t n, void *arg)
{
	struct lines_to_q *t = arg;
	size_t before = t->k->q.len;
	bool line_start = true;

	if (sink_append(t->k, &t->k->q, &t->j->tag, &line_start, p, n) == -1) {
		t->k->q.len = before; /* no half line */
		return -1;
	}
	t->j->t.taken += n;
	return 0;
}

int
sink_lines(struct sink *k, struct job *j)
{
	struct lines_to_q t = {k, j};

	/* Not while another job's output is half written: its line would
	 * be cut. */
	if (k->broken || k->cur != NULL)
		return 0;
	if (spool_emit_lines(k->spill, &j->out, !k->ungroup, queue_lines, &t) ==
	    -1)
		return sink_fail(k, SINK_NOMEM);
	return sink_pending(k) >= Q_WRITE ? sink_write(k) : 0;
}

static void note_held(struct sink *k);

/* Move part of the current entry on.  1: that part is done; 0: wait for
 * room; -1: error. */
static int
move_part(struct sink *k, struct sink_entry *e)
{
	struct buf err = BUF_INIT;
	long got;

	while (k->left > 0) {
		size_t want = k->left < IO_CHUNK ? (size_t)k->left : IO_CHUNK;

		if (k->part == PART_OUT) {
			got = sink_move_out(k, &e->sp, &e->tag, &k->line_start,
			                    k->left);
			if (got <= 0)
				return (int)got;
			k->left -= (uint64_t)got;
			continue;
		}
		got = spool_take(k->spill, &e->sp, k->chunk, want);
		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			buf_free(&err);
			return sink_fail(k, SINK_SPILL);
		}
		k->left -= (uint64_t)got;
		if (k->part == PART_ERR) {
			buf_reset(&err);
			if (sink_append(k, &err, &e->tag, &k->line_start,
			                k->chunk, (size_t)got) == -1) {
				buf_free(&err);
				return sink_fail(k, SINK_NOMEM);
			}
			/* Not said here: msg notes a failed stderr for the
			 * exit status. */
			(void)msg_write_stderr(err.data, err.len);
		} else if (sink_log(k, k->chunk, (size_t)got) == -1) {
			buf_free(&err);
			return -1;
		}
	}
	buf_free(&err);
	return 1;
}

int
sink_pump(struct sink *k)
{
	struct sink_entry *e;
	int rc;

	for (;;) {
		if (k->cur == NULL) {
			/* A streaming job's block is not finished. */
			if (k->streamer != NULL ||
			    (e = reorder_pop(&k->ro)) == NULL)
				break;
			start_entry(k, e);
		}
		e = k->cur;
		if (k->part == PART_ERR && k->left > 0 && sink_pending(k) > 0) {
			/* Stdout first, so 2>&1 keeps the order of events. */
			if (sink_write(k) == -1)
				return -1;
			if (sink_pending(k) > 0 && !k->broken)
				break;
		}
		rc = move_part(k, e);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			/* The queue is full, or stdout: write, and go on if
			 * that made room, else wait for POLLOUT. */
			if ((rc = sink_write_for_room(k)) != 1)
				return rc;
			continue;
		}
		if (k->part == PART_OUT) {
			k->part = PART_ERR;
			k->left = e->err_len;
			k->line_start = true;
		} else if (k->part == PART_ERR) {
			k->part = PART_ROW;
			k->left = e->row_len;
		} else {
			k->cur = NULL;
			k->emitted++;
			entry_recycle(k, e);
		}
	}
	note_held(k);
	return sink_pending(k) >= Q_WRITE ? sink_write(k) : 0;
}

int
sink_flush(struct sink *k)
{
	/* Until stdout is full or nothing is left: a write that emptied
	 * the queue leaves the loop nothing to wait for but more pumping. */
	do {
		if (sink_pump(k) == -1 || sink_write(k) == -1)
			return -1;
	} while (k->cur != NULL && sink_pending(k) == 0 && k->out_ready &&
	         !k->broken);
	return sink_stream_step(k);
}

/* The ring holds every job from the one output waits for on: doubled
 * until seq fits, the held times moved to their new places.  Without
 * memory the times are only for display: it stays as it is. */
static void
began_grow(struct sink *k, uint64_t seq)
{
	uint64_t cap = k->began_mask + 1, s;
	double *p;

	while (seq - k->ro.next >= cap)
		cap *= 2;
	if ((p = calloc(cap, sizeof *p)) == NULL)
		return;
	for (s = k->ro.next; s < seq; s++)
		p[s & (cap - 1)] = k->began[s & k->began_mask];
	free(k->began);
	k->began = p;
	k->began_mask = cap - 1;
}

void
sink_started(struct sink *k, uint64_t seq, double now)
{
	if (k->began == NULL)
		return;
	if (seq >= k->ro.next && seq - k->ro.next > k->began_mask)
		began_grow(k, seq);
	k->began[seq & k->began_mask] = now;
}

/* Ordered: follow which job output waits for, and since when. */
static void
note_held(struct sink *k)
{
	if (!k->ro.ordered || sink_held(k) == 0) {
		k->held_since = 0;
	} else if (k->held_since == 0 || k->ro.next != k->held_head) {
		k->held_head = k->ro.next;
		k->held_since = io_now();
	}
}

bool
sink_held_back(const struct sink *k, double now, double after, uint64_t *seq,
               double *age)
{
	double t;

	if (k->held_since == 0 || now - k->held_since < after)
		return false;
	*seq = k->held_head;
	t = k->began != NULL ? k->began[k->held_head & k->began_mask] : 0;
	*age = t > 0 ? now - t : -1;
	return true;
}

/* Output waits for stdout to take more, not for the queue. */
static bool
waits_for_stdout(const struct sink *k)
{
	return !k->out_ready && (k->cur != NULL || k->streamer != NULL);
}

int
sink_pollfd(const struct sink *k, double now)
{
	/* A stream into a full stdout: not before the reader has had time
	 * to take a quarter of it (io_pace). */
	if (!k->out_ready && now < k->out_wake)
		return -1;
	return (sink_pending(k) > 0 || waits_for_stdout(k)) && !k->broken
	           ? k->fd
	           : -1;
}

bool
sink_full(const struct sink *k)
{
	return sink_pending(k) >= Q_HIGH || waits_for_stdout(k);
}

bool
sink_idle(const struct sink *k)
{
	if (k->broken)
		return true;
	if (sink_pending(k) > 0 || k->cur != NULL || k->streamer != NULL)
		return false;
	if (reorder_held(&k->ro) == 0)
		return true;
	return k->ro.ordered && k->ro.ring[k->ro.head] == NULL;
}

uint64_t
sink_waiting_for(const struct sink *k)
{
	return reorder_waiting_for(&k->ro);
}

size_t
sink_held(const struct sink *k)
{
	return reorder_held(&k->ro) + (k->cur != NULL);
}

enum sink_error
sink_error(const struct sink *k)
{
	return k->err;
}
