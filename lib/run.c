/*
 * The event loop: one poll() over stdin, every job's pipes, every worker's
 * reply pipe and the signal self-pipe.  It knows jobs, descriptors and
 * deadlines; what a job runs comes from the template or the built-in.
 */
#define _GNU_SOURCE
#include "pmapf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "builtin.h"
#include "child.h"
#include "display.h"
#include "input.h"
#include "io.h"
#include "joblog.h"
#include "msg.h"
#include "pool.h"
#include "reorder.h"
#include "shquote.h"
#include "sig.h"
#include "spool.h"
#include "template.h"
#include "wire.h"

/* How much unread input to hold ahead of the jobs. */
#define READAHEAD_BYTES (4u << 20)
/* Longest record; anything longer fails without being held in memory. */
#define MAX_RECORD (1u << 20)
/* After a job exits, how long a background process it left may keep its
 * output pipe open before pmapf stops waiting for EOF. */
#define EOF_GRACE 1.0
/* Between SIGTERM and SIGKILL when terminating jobs. */
#define KILL_GRACE 1.0
#define READ_CHUNK 65536
/* Finished jobs are kept for reuse, buffers and all: a run of a million
 * tiny jobs then costs no allocation per job.  Big buffers are not kept. */
#define SPARE_JOBS    256
#define SPARE_BUF_MAX 4096
/* Job output held in memory, over all jobs and per job stream, before it
 * goes to the temporary file. */
#define SPILL_BUDGET  (32u << 20)
#define SPILL_PER_JOB (4u << 20)
/* Ordered mode: at most this many jobs started and not yet written, so a
 * slow job at the head cannot make pmapf hold unbounded state behind it. */
#define ORDER_WINDOW 4096
/* Job stdout is gathered and written in blocks of about this size (and
 * always before pmapf waits, so nothing is held back). */
#define OUT_FLUSH 65536
/* --timeout: between SIGTERM and SIGKILL for a job that ran too long. */
#define TIMEOUT_GRACE 0.5

struct job {
	uint64_t seq;
	struct buf rec;
	unsigned long long rec_full_len; /* > rec.len: rec is a preview */
	struct spool out, err;
	pid_t pid; /* its process group too; 0 for a worker's job */
	int out_fd, err_fd;
	bool reaped;
	int wstatus;
	int status; /* 0 success; else counted failed */
	double started;
	double eof_deadline;
	bool on_pool;        /* given to a worker, not spawned */
	double start_wall;   /* epoch time it started, for the joblog */
	struct buf cmd;      /* the command, for the joblog */
	bool have_exit;      /* exitval and signal below are set */
	int exitval, signal; /* as the joblog shows them */
	double deadline;     /* --timeout: SIGTERM at this time */
	double kill_at;      /* ... and SIGKILL at this */
	bool timed_out;
	unsigned attempt; /* --retries: tries made before this one */
	bool skipped;     /* --resume: done in an earlier run */
	unsigned nrec;    /* -N: records in rec, NUL-separated */
	bool group_too_long;
	struct buf tag; /* --tag: what starts each of its output lines */
	unsigned slot;  /* 1..N while running, for {%}; 0 none */
	int tries;      /* times a worker died holding it unstarted */
};

enum owner_kind { OWN_SIG, OWN_INPUT, OWN_JOB_OUT, OWN_JOB_ERR, OWN_POOL };

struct owner {
	enum owner_kind kind;
	void *p;
	unsigned idx;
};

struct run {
	const struct pmapf_opts *o;
	struct input in;
	struct template *tmpl;
	struct template *tagtmpl; /* --tagstring */
	struct template_out targv;
	char *path;
	int resolve_err;
	struct reorder ro;
	struct job **active; /* started, not yet complete */
	size_t nactive, capactive;
	struct job *deferred;      /* taken from input, could not start yet */
	struct job *filling;       /* -N: waiting for more records */
	struct template_rec *recs; /* -N: scratch, the records of a job */
	struct job *spare[SPARE_JOBS];
	size_t nspare;
	unsigned running;     /* counts against the job limit */
	unsigned *free_slots; /* job slots not in use, for {%} */
	unsigned nfree;
	unsigned limit;
	bool limit_warned;
	struct pool pool;
	unsigned *pool_owner; /* scratch for the pool's poll entries */
	bool use_pool;
	bool pool_warned;
	bool silence_warned;
	double close_deadline; /* workers told to exit: SIGKILL after this */
	struct job **retry;    /* handed back by a worker that died */
	size_t nretry, capretry;
	struct job **byseq; /* ordered: started, not complete, by seq */
	uint64_t window;
	bool tearing_down;
	struct buf outbuf;     /* job stdout gathered for one write */
	int joblog_fd;         /* -1: no joblog */
	uint8_t *done_before;  /* --resume: bit per seq to skip */
	uint64_t ndone_before; /* bits in done_before */
	uint64_t succeeded;
	bool halted, halting_now;
	int halt_status;
	uint64_t next_seq, failed;
	int sig_fd;
	bool stop_starting, out_broken, fatal;
	int term_signal;      /* SIGINT/SIGTERM received: die by it */
	double kill_deadline; /* SIGKILL what is left at this time */
	bool killed;
	struct pollfd *pfd;
	struct owner *own;
	size_t npfd, cappfd;
	struct display disp;
	struct spill spill;
	char chunk[READ_CHUNK];
	double t0;
	uint64_t done, emitted;
	uint64_t held_head; /* ordered: output waits for this job ... */
	double held_since;  /* ... since this time (0: nothing held) */
};

void
pmapf_opts_init(struct pmapf_opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof *o);
	o->jobs = n > 0 ? (unsigned)n : 1;
	o->time_scale = 1.0;
	o->progress = PROGRESS_AUTO;
	o->progress_interval = 10.0;
	o->progress_fd = STDERR_FILENO;
	o->delim = '\n';
}

/* A pmapf message about one record, kept with that job's stderr so it
 * comes out where the job's output does. */
static void spill_failed(struct run *r);
static void release_slot(struct run *r, struct job *j);

static void job_note(struct run *r, struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
job_note(struct run *r, struct job *j, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (j->nrec > 1) {
		/* -N: "job 3" and its records, space-separated. */
		char *shown = malloc(j->rec.len + 1);

		if (shown != NULL) {
			for (size_t i = 0; i < j->rec.len; i++)
				shown[i] =
				    j->rec.data[i] ? j->rec.data[i] : ' ';
			if (buf_printf(&line, "pmapf: job %llu ",
			               (unsigned long long)j->seq) == 0)
				(void)msg_quote_record(&line, shown, j->rec.len,
				                       j->rec.len);
			free(shown);
		}
		if (buf_printf(&line, ": %s\n", s) == 0 &&
		    spool_add(&r->spill, &j->err, line.data, line.len) == -1)
			spill_failed(r);
		free(s);
		buf_free(&line);
		return;
	}
	if (buf_printf(&line, "pmapf: record %llu ",
	               (unsigned long long)j->seq) == 0 &&
	    msg_quote_record(&line, j->rec.data, j->rec.len, j->rec_full_len) ==
	        0 &&
	    buf_printf(&line, ": %s\n", s) == 0 &&
	    spool_add(&r->spill, &j->err, line.data, line.len) == -1)
		spill_failed(r);
	free(s);
	buf_free(&line);
}

static void
job_destroy(struct run *r, struct job *j)
{
	spool_free(&r->spill, &j->out);
	spool_free(&r->spill, &j->err);
	buf_free(&j->rec);
	buf_free(&j->cmd);
	buf_free(&j->tag);
	free(j);
}

static void
buf_recycle(struct buf *b)
{
	if (b->cap > SPARE_BUF_MAX)
		buf_free(b);
	buf_reset(b);
}

static void
job_free(struct run *r, struct job *j)
{
	if (j == NULL)
		return;
	if (r->nspare == SPARE_JOBS) {
		job_destroy(r, j);
		return;
	}
	spool_reset(&r->spill, &j->out, SPARE_BUF_MAX);
	spool_reset(&r->spill, &j->err, SPARE_BUF_MAX);
	buf_recycle(&j->rec);
	buf_recycle(&j->cmd);
	buf_recycle(&j->tag);
	r->spare[r->nspare++] = j;
}

static struct job *
job_new(struct run *r, const struct record *rec)
{
	struct job *j;
	struct spool out, err;
	struct buf rb, cmd, tag;

	if (r->nspare > 0) {
		j = r->spare[--r->nspare];
		out = j->out;
		err = j->err;
		rb = j->rec;
		cmd = j->cmd;
		tag = j->tag;
		memset(j, 0, sizeof *j);
		j->tag = tag;
		j->out = out;
		j->err = err;
		j->rec = rb;
		j->cmd = cmd;
	} else if ((j = calloc(1, sizeof *j)) == NULL) {
		return NULL;
	}
	if (buf_append(&j->rec, rec->data, rec->len) == -1 ||
	    buf_reserve(&j->rec, 0) == -1) {
		job_destroy(r, j);
		return NULL;
	}
	/* Kept NUL-terminated (for messages), even when empty. */
	j->rec.data[j->rec.len] = '\0';
	j->rec_full_len = rec->full_len;
	j->seq = ++r->next_seq;
	j->out_fd = j->err_fd = -1;
	return j;
}

static void
fatal_errno(struct run *r, const char *what)
{
	msg_warn_errno("%s", what);
	r->fatal = true;
	r->stop_starting = true;
}

/* All of pmapf's stdout goes through here.  A reader that went away ends
 * the run as other filters end: no message, death by SIGPIPE; any other
 * error is reported and fatal.  After either, output is dropped. */
static void
write_stdout(struct run *r, const char *p, size_t n)
{
	if (r->out_broken || io_write_all(STDOUT_FILENO, p, n) == 0)
		return;
	r->out_broken = true;
	r->stop_starting = true;
	if (errno == EPIPE)
		r->term_signal = SIGPIPE;
	else
		fatal_errno(r, "write error on standard output");
}

/* Write the gathered stdout. */
static void
flush_output(struct run *r)
{
	if (r->outbuf.len == 0)
		return;
	if (r->disp.shares_out)
		display_clear(&r->disp);
	write_stdout(r, r->outbuf.data, r->outbuf.len);
	buf_reset(&r->outbuf);
	if (r->outbuf.cap > 4 * OUT_FLUSH)
		buf_free(&r->outbuf);
}

static int
put_stdout(const char *p, size_t n, void *arg)
{
	struct run *r = arg;

	if (r->outbuf.len + n > OUT_FLUSH)
		flush_output(r);
	if (n >= OUT_FLUSH) {
		/* Big blocks go straight through. */
		write_stdout(r, p, n);
		return 0;
	}
	if (buf_append(&r->outbuf, p, n) == -1) {
		fatal_errno(r, "out of memory");
		return 0;
	}
	return 0;
}

/* Before anything goes to stderr: stdout written first (so 2>&1 keeps
 * the order things happened in), and the bar off the line. */
static void
before_stderr(void *arg)
{
	struct run *r = arg;

	flush_output(r);
	display_before_stderr(&r->disp);
}

static int
put_stderr(const char *p, size_t n, void *arg)
{
	(void)arg;
	return msg_write_stderr(p, n);
}

static void
spill_failed(struct run *r)
{
	if (r->fatal)
		return;
	msg_warn_errno("cannot keep job output in a temporary file in %s",
	               r->spill.dir);
	r->fatal = true;
	r->stop_starting = true;
}

/* --tag: a writer that puts the job's tag and a TAB before every line,
 * across the chunks a spool is written in. */
struct tagger {
	struct run *r;
	const struct buf *tag;
	int (*put)(const char *, size_t, void *);
	void *arg;
	bool at_line_start;
};

static int
put_tagged(const char *p, size_t n, void *arg)
{
	struct tagger *t = arg;
	const char *nl;
	size_t len;

	while (n > 0) {
		if (t->at_line_start &&
		    (t->put(t->tag->data ? t->tag->data : "", t->tag->len,
		            t->arg) == -1 ||
		     t->put("\t", 1, t->arg) == -1))
			return -1;
		nl = memchr(p, '\n', n);
		len = nl ? (size_t)(nl - p) + 1 : n;
		if (t->put(p, len, t->arg) == -1)
			return -1;
		t->at_line_start = nl != NULL;
		p += len;
		n -= len;
	}
	return 0;
}

/* --line-buffer: the whole lines a running job has written so far. */
static void
emit_lines(struct run *r, struct job *j)
{
	struct tagger t = {r, &j->tag, put_stdout, r, true};

	if (r->out_broken)
		return;
	if (spool_emit_lines(&r->spill, &j->out,
	                     r->o->tag ? put_tagged : put_stdout,
	                     r->o->tag ? (void *)&t : (void *)r) == -1)
		fatal_errno(r, "cannot write job output");
}

static int
emit_stream(struct run *r, struct job *j, struct spool *sp,
            int (*put)(const char *, size_t, void *), void *arg,
            bool *put_failed)
{
	struct tagger t = {r, &j->tag, put, arg, true};

	if (!r->o->tag)
		return spool_emit(&r->spill, sp, put, arg, put_failed);
	return spool_emit(&r->spill, sp, put_tagged, &t, put_failed);
}

/* Hand one finished job's output on: stdout block, then stderr block. */
static void
emit(struct run *r, struct job *j)
{
	bool put_failed;

	r->emitted++;
	if (!r->out_broken &&
	    emit_stream(r, j, &j->out, put_stdout, r, &put_failed) == -1 &&
	    !put_failed)
		spill_failed(r);
	/* Errors writing stderr itself cannot be reported anywhere. */
	if (emit_stream(r, j, &j->err, put_stderr, NULL, &put_failed) == -1 &&
	    !put_failed)
		spill_failed(r);
}

static void
note_held(struct run *r)
{
	uint64_t head = reorder_waiting_for(&r->ro);

	if (reorder_held(&r->ro) == 0) {
		r->held_since = 0;
	} else if (r->held_since == 0 || head != r->held_head) {
		r->held_head = head;
		r->held_since = io_now();
	}
}

static void
log_job(struct run *r, struct job *j)
{
	struct buf row = BUF_INIT;
	struct joblog_row jr;
	double now = io_now();

	if (!j->have_exit) {
		j->exitval = j->status;
		j->signal = 0;
	}
	jr.seq = j->seq;
	jr.start = j->start_wall > 0 ? j->start_wall : io_wallclock();
	jr.runtime = j->started > 0 ? now - j->started : 0;
	jr.received = spool_len(&j->out);
	jr.exitval = j->exitval;
	jr.signal = j->signal;
	jr.command = j->cmd.data != NULL ? j->cmd.data : "";
	/* One write per row: a crash loses only rows of unfinished jobs. */
	if (joblog_format(&row, &jr) == -1 ||
	    io_write_all(r->joblog_fd, row.data, row.len) == -1)
		fatal_errno(r, "cannot write the joblog");
	buf_free(&row);
}

/* --retries: a failed try is forgotten, output and all, and the job goes
 * again (first in line); only the last try is written and logged. */
/* -N: add records to a job until it has max_args, or input has ended.
 * False if it must wait for more input. */
static bool
fill_group(struct run *r, struct job *j)
{
	struct record rec;

	while (j->nrec < r->o->max_args) {
		if (!input_next(&r->in, &rec))
			return input_done(&r->in);
		if (buf_appendc(&j->rec, '\0') == -1 ||
		    buf_append(&j->rec, rec.data, rec.len) == -1) {
			fatal_errno(r, "out of memory");
			return true;
		}
		j->rec.data[j->rec.len] = '\0';
		j->group_too_long |= rec.too_long;
		j->nrec++;
	}
	return true;
}

/* The records of a job, into r->recs: how many. */
static size_t
job_recs(struct run *r, const struct job *j)
{
	const char *p = j->rec.data ? j->rec.data : "", *end = p + j->rec.len;
	size_t n = 0;

	if (j->nrec <= 1) {
		r->recs[0].data = p;
		r->recs[0].len = j->rec.len;
		return 1;
	}
	while (n < j->nrec) {
		const char *q = memchr(p, '\0', (size_t)(end - p));

		r->recs[n].data = p;
		r->recs[n].len = q ? (size_t)(q - p) : (size_t)(end - p);
		n++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	return n;
}

/* --tag: the record; --tagstring: the string with replacement strings
 * expanded for this job. */
static int
make_tag(struct run *r, struct job *j)
{
	struct template_out out = {BUF_INIT, NULL, 0};
	unsigned slot = j->slot        ? j->slot
	                : r->nfree > 0 ? r->free_slots[r->nfree - 1]
	                               : 0;
	int rc;

	buf_reset(&j->tag);
	if (r->tagtmpl == NULL) {
		/* The record; with -N, the records joined by spaces. */
		if (buf_append(&j->tag, j->rec.data, j->rec.len) == -1 ||
		    buf_reserve(&j->tag, 0) == -1)
			return -1;
		for (size_t i = 0; i < j->tag.len; i++)
			if (j->tag.data[i] == '\0' && j->nrec > 1)
				j->tag.data[i] = ' ';
		return 0;
	}
	rc = template_expand_n(r->tagtmpl, r->recs, job_recs(r, j), j->seq,
	                       slot, &out);
	if (rc == 0)
		rc = buf_appends(&j->tag, out.argv[0]);
	else if (errno == EINVAL)
		rc = 0; /* a NUL record: it fails anyway, untagged */
	template_out_free(&out);
	return rc;
}

/* Append to a growable array of jobs (the retry queue, the active set).
 * 0, or -1/ENOMEM. */
static int
push_job(struct job ***a, size_t *n, size_t *cap, struct job *j)
{
	struct job **grown;
	size_t c;

	if (*n == *cap) {
		c = *cap ? *cap * 2 : 16;
		grown = realloc(*a, c * sizeof **a);
		if (grown == NULL)
			return -1;
		*a = grown;
		*cap = c;
	}
	(*a)[(*n)++] = j;
	return 0;
}

/* Queue a job to be started again, before any new record. */
static bool
push_retry(struct run *r, struct job *j)
{
	return push_job(&r->retry, &r->nretry, &r->capretry, j) == 0;
}

static bool
retry(struct run *r, struct job *j)
{
	if (j->status == 0 || j->skipped || j->attempt + 1 >= r->o->retries ||
	    r->stop_starting || !push_retry(r, j))
		return false;
	spool_reset(&r->spill, &j->out, SPARE_BUF_MAX);
	spool_reset(&r->spill, &j->err, SPARE_BUF_MAX);
	buf_reset(&j->cmd);
	j->pid = 0;
	j->out_fd = j->err_fd = -1;
	j->reaped = j->timed_out = j->have_exit = j->on_pool = false;
	j->status = j->wstatus = 0;
	j->started = j->start_wall = j->eof_deadline = 0;
	j->deadline = j->kill_at = 0;
	j->attempt++;
	return true;
}

static bool
halt_reached(const struct run *r)
{
	const struct pmapf_halt *h = &r->o->halt;
	uint64_t n, of;

	n = h->what == HALT_FAIL      ? r->failed
	    : h->what == HALT_SUCCESS ? r->succeeded
	                              : r->done;
	if (h->percent <= 0)
		return n >= h->count;
	/* A share of all jobs once their number is known; before that, of
	 * those started, and not on the strength of fewer than three. */
	of = r->o->total_set ? r->o->total
	     : r->in.eof     ? input_records_seen(&r->in)
	                     : r->next_seq;
	return r->done >= 3 && of > 0 &&
	       (double)n * 100.0 >= h->percent * (double)of;
}

static void begin_termination(struct run *r);

static void
check_halt(struct run *r, struct job *j)
{
	if (r->o->halt.when == HALT_NEVER || r->halted || j->skipped ||
	    !halt_reached(r))
		return;
	r->halted = true;
	/* As GNU parallel: the exit status is the deciding job's. */
	r->halt_status = j->status;
	r->stop_starting = true;
	msg_warn("--halt: after record %llu (status %d), %s",
	         (unsigned long long)j->seq, j->status,
	         r->o->halt.when == HALT_NOW ? "terminating the running jobs"
	                                     : "starting no more jobs");
	if (r->o->halt.when == HALT_NOW) {
		r->halting_now = true;
		begin_termination(r);
	}
}

static void
complete(struct run *r, struct job *j)
{
	if (retry(r, j))
		return;
	if (!j->skipped) {
		/* Jobs --halt now ended are not failures of their own. */
		if (j->status != 0 && !r->halting_now)
			r->failed++;
		else if (j->status == 0)
			r->succeeded++;
		if (r->joblog_fd >= 0)
			log_job(r, j);
	}
	/* Messages about it are made: the record is not needed again. */
	buf_recycle(&j->rec);
	if (r->byseq != NULL && r->byseq[j->seq % r->window] == j)
		r->byseq[j->seq % r->window] = NULL;
	release_slot(r, j);
	r->done++;
	display_changed(&r->disp);
	check_halt(r, j);
	if (reorder_push(&r->ro, j->seq, j) == -1) {
		fatal_errno(r, "out of memory");
		job_free(r, j);
		return;
	}
	while ((j = reorder_pop(&r->ro)) != NULL) {
		emit(r, j);
		job_free(r, j);
	}
	if (r->ro.ordered)
		note_held(r);
}

static int
track(struct run *r, struct job *j)
{
	return push_job(&r->active, &r->nactive, &r->capactive, j);
}

static void
untrack(struct run *r, size_t i)
{
	r->active[i] = r->active[--r->nactive];
}

static bool
is_resource_error(int err)
{
	return err == EMFILE || err == ENFILE || err == EAGAIN || err == ENOMEM;
}

/* Starting failed for lack of resources: run with fewer at once. */
static bool
lower_limit(struct run *r, int err)
{
	if (r->running == 0)
		return false;
	if (!r->limit_warned) {
		msg_warn("cannot start more than %u jobs at once (%s); "
		         "continuing with %u",
		         r->running, strerror(err), r->running);
		r->limit_warned = true;
	}
	r->limit = r->running;
	return true;
}

static const char *
command_name(const struct run *r)
{
	return r->o->shell ? "/bin/sh" : r->o->argv[0];
}

static void
release_slot(struct run *r, struct job *j)
{
	if (j->slot != 0 && r->free_slots != NULL)
		r->free_slots[r->nfree++] = j->slot;
	j->slot = 0;
}

/* The command a job runs, quoted to paste into a shell, into line.  For a
 * template, r->targv must hold this job's expansion. */
static int
describe_command(const struct run *r, const struct job *j, struct buf *line)
{
	size_t i;
	int k;

	buf_reset(line);
	if (r->o->argc == 0)
		return buf_appends(line, "slow_add_one ") == -1 ||
		               shquote(line, j->rec.data, j->rec.len) == -1
		           ? -1
		           : 0;
	if (r->o->workers) {
		/* The worker and, after it, the line it is given. */
		for (k = 0; k < r->o->argc; k++)
			if (shquote(line, r->o->argv[k],
			            strlen(r->o->argv[k])) == -1 ||
			    buf_appendc(line, ' ') == -1)
				return -1;
		return buf_appends(line, "<<< ") == -1 ||
		               shquote(line, j->rec.data, j->rec.len) == -1
		           ? -1
		           : 0;
	}
	if (r->o->shell)
		return buf_appends(line, r->targv.argv[2]);
	for (i = 0; r->targv.argv[i] != NULL; i++)
		if ((i > 0 && buf_appendc(line, ' ') == -1) ||
		    shquote(line, r->targv.argv[i], strlen(r->targv.argv[i])) ==
		        -1)
			return -1;
	return 0;
}

/* What would run, one line, quoted to paste into a shell; nothing runs. */
static void
dry_run(struct run *r, struct job *j)
{
	struct buf line = BUF_INIT;
	unsigned slot = (unsigned)((j->seq - 1) % r->o->jobs) + 1;

	if (r->tmpl != NULL &&
	    template_expand_n(r->tmpl, r->recs, job_recs(r, j), j->seq, slot,
	                      &r->targv) == -1) {
		if (errno != EINVAL) {
			fatal_errno(r, "out of memory");
			job_free(r, j);
			return;
		}
		job_note(r, j,
		         "record contains a NUL byte and cannot be an "
		         "argument");
		j->status = 1;
		complete(r, j);
		return;
	}
	if (describe_command(r, j, &line) == -1 ||
	    buf_appendc(&line, '\n') == -1 ||
	    spool_add(&r->spill, &j->out, line.data, line.len) == -1)
		fatal_errno(r, "cannot print the command");
	buf_free(&line);
	complete(r, j);
}

/* Returns true if the job was handed on (started or completed), false if
 * it must wait for resources. */
static bool
start_spawned(struct run *r, struct job *j)
{
	struct child c;
	int err;

	j->slot = r->nfree > 0 ? r->free_slots[--r->nfree] : 0;
	if (template_expand_n(r->tmpl, r->recs, job_recs(r, j), j->seq, j->slot,
	                      &r->targv) == -1) {
		release_slot(r, j);
		if (errno == EINVAL) {
			job_note(r, j,
			         "record contains a NUL byte and cannot "
			         "be an argument");
			j->status = 1;
			complete(r, j);
			return true;
		}
		fatal_errno(r, "out of memory");
		job_free(r, j);
		return true;
	}
	/* Known before it runs, so even a job that cannot start is logged
	 * with what it would have been. */
	if (r->joblog_fd >= 0 && describe_command(r, j, &j->cmd) == -1)
		fatal_errno(r, "out of memory");
	if (r->resolve_err != 0) {
		release_slot(r, j);
		job_note(r, j, "cannot run '%s': %s", command_name(r),
		         r->resolve_err == ENOENT ? "command not found"
		                                  : strerror(r->resolve_err));
		j->status = child_error_status(r->resolve_err);
		complete(r, j);
		return true;
	}
	err = child_spawn(r->path, r->targv.argv, -1, &c);
	if (err != 0) {
		release_slot(r, j);
		if (is_resource_error(err) && lower_limit(r, err)) {
			buf_reset(&j->cmd);
			return false;
		}
		job_note(r, j, "cannot run '%s': %s", command_name(r),
		         strerror(err));
		j->status = child_error_status(err);
		complete(r, j);
		return true;
	}
	j->pid = c.pid;
	j->started = io_now();
	if (r->joblog_fd >= 0)
		j->start_wall = io_wallclock();
	if (r->o->timeout > 0)
		j->deadline = j->started + r->o->timeout;
	j->out_fd = c.out_fd;
	j->err_fd = c.err_fd;
	if (track(r, j) == -1) {
		fatal_errno(r, "out of memory");
		return true;
	}
	r->running++;
	return true;
}

static void
pool_done(void *ctx, void *task, int status, const char *out, size_t out_len,
          const char *why, size_t why_len)
{
	struct run *r = ctx;
	struct job *j = task;

	if (spool_add(&r->spill, &j->out, out, out_len) == -1)
		spill_failed(r);
	j->status = status;
	if (status != 0 && why_len > 0)
		job_note(r, j, "%.*s", (int)why_len, why);
	complete(r, j);
}

static void
pool_lost(void *ctx, void *task, bool first, int wstatus)
{
	struct run *r = ctx;
	struct job *j = task;

	if (r->tearing_down) {
		job_free(r, j);
		return;
	}
	/* Only queued behind the task that took the worker down: it gets
	 * another worker, once. */
	if (!first && j->tries == 0 && r->kill_deadline == 0) {
		if (!push_retry(r, j)) {
			fatal_errno(r, "out of memory");
			job_free(r, j);
			return;
		}
		j->tries++;
		return;
	}
	j->status = 1;
	j->have_exit = true;
	j->exitval = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	j->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	if (r->kill_deadline > 0)
		; /* pmapf is ending it: no obituary */
	else if (WIFSIGNALED(wstatus))
		job_note(r, j, "worker process killed by signal %d (%s)",
		         WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		job_note(r, j,
		         "worker process exited (status %d) without answering",
		         WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
	complete(r, j);
}

static void
pool_stderr(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)msg_write_stderr(p, n);
}

/* True if the job went to a worker; false if it must wait. */
static bool
start_on_pool(struct run *r, struct job *j)
{
	int err = pool_submit(&r->pool, j, j->rec.data, j->rec.len);

	if (err == 0) {
		j->on_pool = true;
		j->started = io_now();
		/* Only the joblog wants the wall clock: not per tiny task. */
		if (r->joblog_fd >= 0)
			j->start_wall = io_wallclock();
		if (r->joblog_fd >= 0 && describe_command(r, j, &j->cmd) == -1)
			fatal_errno(r, "out of memory");
		return true;
	}
	if (is_resource_error(err) && pool_alive(&r->pool) > 0) {
		if (!r->pool_warned) {
			msg_warn("cannot start more than %u worker processes "
			         "(%s); continuing with %u",
			         pool_alive(&r->pool), strerror(err),
			         pool_alive(&r->pool));
			r->pool_warned = true;
		}
		return false;
	}
	errno = err;
	fatal_errno(r, "cannot start a worker process");
	job_free(r, j);
	return true;
}

/* A job that has exited but whose output has not all been read yet. */
static bool
finishing(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->nactive; i++)
		if (r->active[i]->reaped)
			return true;
	return false;
}

static bool
has_room(const struct run *r)
{
	/* --halt decides when a job completes, and a job frees its slot
	 * when it exits, a moment earlier: no new job in that moment. */
	if (r->o->halt.when != HALT_NEVER && finishing(r))
		return false;
	return r->use_pool ? pool_can_take(&r->pool) : r->running < r->limit;
}

/*
 * A line-protocol worker must answer each line as it comes; some programs
 * read ahead instead (mawk without -W interactive).  Once input has ended
 * such a worker would wait forever for lines pmapf holds back for it, so
 * after a second of silence the rest is sent; and a long silence is
 * explained once.
 */
static void
watch_silence(struct run *r, double now)
{
	double quiet;

	if (!r->use_pool || r->pool.proto != POOL_LINES)
		return;
	quiet = pool_silence(&r->pool, now);
	if (quiet >= 1.0 && r->in.eof && !r->pool.flood)
		pool_flood(&r->pool);
	if (quiet >= 5.0 && !r->silence_warned) {
		msg_warn("a worker has not answered for %.0fs; a worker must "
		         "answer each line as it arrives (flush its output; "
		         "mawk needs -W interactive)",
		         quiet);
		r->silence_warned = true;
	}
}

/* Hand out records while there is room. */
static void
start_jobs(struct run *r)
{
	struct record rec;
	struct job *j;
	bool started;

	while (!r->stop_starting && has_room(r)) {
		bool fresh = false; /* a new job, not one coming back */

		j = r->deferred;
		r->deferred = NULL;
		if (j == NULL && r->nretry > 0)
			j = r->retry[--r->nretry];
		if (j == NULL && r->ro.ordered &&
		    r->next_seq + 1 - reorder_waiting_for(&r->ro) >= r->window)
			break;
		if (j == NULL && r->filling != NULL) {
			j = r->filling;
			r->filling = NULL;
			if (!fill_group(r, j)) {
				r->filling = j;
				break;
			}
			fresh = true;
		} else if (j == NULL) {
			if (!input_next(&r->in, &rec))
				break;
			j = job_new(r, &rec);
			if (j == NULL) {
				fatal_errno(r, "out of memory");
				break;
			}
			j->nrec = 1;
			j->group_too_long = rec.too_long;
			if (r->o->max_args > 1 && !fill_group(r, j)) {
				r->filling = j;
				break;
			}
			fresh = true;
		}
		if (fresh) {
			if (j->seq <= r->ndone_before &&
			    (r->done_before[(j->seq - 1) / 8] &
			     (1u << ((j->seq - 1) % 8)))) {
				j->skipped = true;
				complete(r, j);
				continue;
			}
			if (j->group_too_long) {
				job_note(
				    r, j,
				    "record too long (the limit is %u bytes)",
				    MAX_RECORD);
				j->status = 1;
				complete(r, j);
				continue;
			}
		}
		if (r->byseq != NULL)
			r->byseq[j->seq % r->window] = j;
		if (r->o->tag && make_tag(r, j) == -1) {
			fatal_errno(r, "out of memory");
			job_free(r, j);
			break;
		}
		if (r->o->dry_run) {
			dry_run(r, j);
			continue;
		}
		if (r->use_pool && r->pool.proto == POOL_LINES &&
		    memchr(j->rec.data, '\n', j->rec.len) != NULL) {
			job_note(r, j,
			         "record contains a newline and cannot go "
			         "to a line-protocol worker");
			j->status = 1;
			complete(r, j);
			continue;
		}
		started =
		    r->use_pool ? start_on_pool(r, j) : start_spawned(r, j);
		if (!started) {
			r->deferred = j;
			break;
		}
	}
	if (!r->use_pool)
		return;
	if (!r->pool.closing && input_done(&r->in) && r->deferred == NULL &&
	    r->nretry == 0 && r->filling == NULL)
		pool_close_input(&r->pool);
	pool_flush(&r->pool);
}

static void
describe_status(struct run *r, struct job *j, int wstatus)
{
	j->have_exit = true;
	j->exitval = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	j->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	if (j->timed_out) {
		/* As GNU parallel logs it: Exitval -1, and the signal. */
		j->exitval = -1;
		j->status = j->signal ? 128 + j->signal : 1;
		job_note(r, j, "timed out after %gs", r->o->timeout);
	} else if (WIFEXITED(wstatus)) {
		j->status = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		j->status = 128 + WTERMSIG(wstatus);
		/* Jobs pmapf itself is terminating need no obituary. */
		if (r->kill_deadline == 0)
			job_note(r, j, "killed by signal %d (%s)",
			         WTERMSIG(wstatus),
			         strsignal(WTERMSIG(wstatus)));
	} else {
		j->status = 1;
	}
}

static void
reap(struct run *r)
{
	int wstatus;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		for (i = 0; i < r->nactive; i++) {
			struct job *j = r->active[i];

			if (j->pid == pid && !j->reaped) {
				j->reaped = true;
				release_slot(r, j);
				j->wstatus = wstatus;
				r->running--;
				if (j->out_fd >= 0 || j->err_fd >= 0)
					j->eof_deadline = io_now() + EOF_GRACE;
				goto next;
			}
		}
		(void)pool_reaped(&r->pool, pid, wstatus);
	next:;
	}
}

/* Read once (or until empty) from a job pipe into its spool; closes the
 * pipe at EOF. */
static void
drain_fd(struct run *r, int *fd, struct spool *p, bool until_empty)
{
	ssize_t n;

	do {
		n = io_read(*fd, r->chunk, sizeof r->chunk);
		if (n > 0 &&
		    spool_add(&r->spill, p, r->chunk, (size_t)n) == -1) {
			spill_failed(r);
			n = 0;
		}
	} while (until_empty && n > 0);
	if (n == 0 || (n < 0 && errno != EAGAIN) || until_empty) {
		close(*fd);
		*fd = -1;
	}
}

static void
finish_spawned(struct run *r)
{
	double now = 0;
	size_t i = 0;

	while (i < r->nactive) {
		struct job *j = r->active[i];

		if (!j->reaped) {
			i++;
			continue;
		}
		if (j->out_fd >= 0 || j->err_fd >= 0) {
			if (now == 0)
				now = io_now();
			if (now < j->eof_deadline) {
				i++;
				continue;
			}
			if (j->out_fd >= 0)
				drain_fd(r, &j->out_fd, &j->out, true);
			if (j->err_fd >= 0)
				drain_fd(r, &j->err_fd, &j->err, true);
			job_note(r, j,
			         "output still open %.0fs after the job "
			         "exited (a background process?); not "
			         "waiting for more",
			         EOF_GRACE);
		}
		describe_status(r, j, j->wstatus);
		untrack(r, i);
		complete(r, j);
	}
}

/* Room for extra more entries in the poll set. */
static int
reserve_pfd(struct run *r, size_t extra)
{
	struct pollfd *pf;
	struct owner *ow;
	size_t cap = r->cappfd ? r->cappfd : 16;

	while (cap < r->npfd + extra)
		cap *= 2;
	if (cap == r->cappfd)
		return 0;
	pf = realloc(r->pfd, cap * sizeof *pf);
	if (pf == NULL)
		return -1;
	r->pfd = pf;
	ow = realloc(r->own, cap * sizeof *ow);
	if (ow == NULL)
		return -1;
	r->own = ow;
	r->cappfd = cap;
	return 0;
}

static int
add_pfd(struct run *r, int fd, short events, enum owner_kind kind, void *p,
        unsigned idx)
{
	if (reserve_pfd(r, 1) == -1)
		return -1;
	r->pfd[r->npfd].fd = fd;
	r->pfd[r->npfd].events = events;
	r->pfd[r->npfd].revents = 0;
	r->own[r->npfd].kind = kind;
	r->own[r->npfd].p = p;
	r->own[r->npfd].idx = idx;
	r->npfd++;
	return 0;
}

static bool
want_input(const struct run *r)
{
	if (r->in.eof || r->stop_starting)
		return false;
	/* Always read when no whole record is held: a partial record can
	 * only complete with more bytes (input caps its own length). */
	return !input_ready(&r->in) || input_buffered(&r->in) < READAHEAD_BYTES;
}

static int
build_pollset(struct run *r)
{
	size_t i, n;

	r->npfd = 0;
	if (add_pfd(r, r->sig_fd, POLLIN, OWN_SIG, NULL, 0) == -1)
		return -1;
	if (want_input(r) &&
	    add_pfd(r, STDIN_FILENO, POLLIN, OWN_INPUT, NULL, 0) == -1)
		return -1;
	for (i = 0; i < r->nactive; i++) {
		struct job *j = r->active[i];

		if (j->out_fd >= 0 &&
		    add_pfd(r, j->out_fd, POLLIN, OWN_JOB_OUT, j, 0) == -1)
			return -1;
		if (j->err_fd >= 0 &&
		    add_pfd(r, j->err_fd, POLLIN, OWN_JOB_ERR, j, 0) == -1)
			return -1;
	}
	if (!r->use_pool)
		return 0;
	/* The pool's descriptors, straight into the array. */
	if (reserve_pfd(r, pool_pollfd_count(&r->pool)) == -1)
		return -1;
	n = pool_pollfds(&r->pool, r->pfd + r->npfd, r->pool_owner,
	                 pool_pollfd_count(&r->pool));
	for (i = 0; i < n; i++) {
		r->pfd[r->npfd + i].revents = 0;
		r->own[r->npfd + i].kind = OWN_POOL;
		r->own[r->npfd + i].p = NULL;
		r->own[r->npfd + i].idx = r->pool_owner[i];
	}
	r->npfd += n;
	return 0;
}

/* When job seq started, or -1 if it is not running. */
static double
started_at(const struct run *r, uint64_t seq)
{
	const struct job *j;

	if (r->byseq == NULL)
		return -1;
	j = r->byseq[seq % r->window];
	return j != NULL && j->seq == seq ? j->started : -1;
}

static void
make_view(const struct run *r, struct progress_view *v, double now)
{
	double since;

	memset(v, 0, sizeof *v);
	v->elapsed = now - r->t0;
	v->done = r->done;
	v->emitted = r->emitted;
	v->running = r->use_pool ? r->pool.inflight : r->running;
	v->failed = r->failed;
	v->read = input_records_seen(&r->in);
	v->eof = r->in.eof;
	if (r->o->total_set) {
		v->total_known = true;
		v->total = r->o->total;
	} else if (v->eof) {
		v->total_known = true;
		v->total = v->read;
		/* -N: jobs, not records. */
		if (r->o->max_args > 1)
			v->total =
			    (v->read + r->o->max_args - 1) / r->o->max_args;
	}
	v->ordered = r->ro.ordered;
	/* Say what output waits for once it has waited about a second. */
	if (v->ordered && r->held_since > 0 && now - r->held_since >= 1.0) {
		v->waiting = r->held_head;
		since = started_at(r, r->held_head);
		v->waiting_age = since < 0 ? -1 : now - since;
	}
	v->rate = v->eta = -1;
}

/* --timeout: SIGTERM a job's group when its time is up, SIGKILL it a
 * moment later if it is still there. */
static void
check_timeouts(struct run *r, double now)
{
	size_t i;

	for (i = 0; i < r->nactive; i++) {
		struct job *j = r->active[i];

		if (j->reaped || j->deadline == 0)
			continue;
		if (!j->timed_out && now >= j->deadline) {
			j->timed_out = true;
			j->kill_at = now + TIMEOUT_GRACE;
			(void)killpg(j->pid, SIGTERM);
		} else if (j->kill_at > 0 && now >= j->kill_at) {
			j->kill_at = 0;
			(void)killpg(j->pid, SIGKILL);
		}
	}
}

static void
earliest(double *next, bool *any, double t)
{
	if (!*any || t < *next)
		*next = t;
	*any = true;
}

/* Milliseconds until the nearest deadline, or -1 to wait for events.
 * frame_due: the next progress frame's elapsed time, if one is due. */
static int
poll_timeout(const struct run *r, double now, bool has_frame, double frame_due)
{
	double next = 0, ms;
	bool any = false;
	size_t i;

	if (has_frame)
		earliest(&next, &any, r->t0 + frame_due);
	if (r->kill_deadline > 0 && !r->killed)
		earliest(&next, &any, r->kill_deadline);
	if (r->close_deadline > 0)
		earliest(&next, &any, r->close_deadline);
	/* Look at silent workers about once a second. */
	if (r->use_pool && r->pool.proto == POOL_LINES && r->pool.inflight > 0)
		earliest(&next, &any, now + 1.0);
	for (i = 0; i < r->nactive; i++) {
		const struct job *j = r->active[i];

		if (j->reaped && (j->out_fd >= 0 || j->err_fd >= 0))
			earliest(&next, &any, j->eof_deadline);
		if (!j->reaped && j->deadline > 0)
			earliest(&next, &any,
			         j->timed_out
			             ? (j->kill_at > 0 ? j->kill_at : next)
			             : j->deadline);
	}
	if (!any)
		return -1;
	ms = (next - now) * 1000.0;
	if (ms <= 0)
		return 0;
	return ms > 60000 ? 60000 : (int)ms + 1;
}

static void
signal_jobs(struct run *r, int sig)
{
	size_t i;

	for (i = 0; i < r->nactive; i++)
		if (r->active[i]->pid > 0 && !r->active[i]->reaped)
			(void)killpg(r->active[i]->pid, sig);
	pool_signal(&r->pool, sig);
}

static void
begin_termination(struct run *r)
{
	if (r->kill_deadline > 0)
		return;
	r->stop_starting = true;
	signal_jobs(r, SIGTERM);
	r->kill_deadline = io_now() + KILL_GRACE;
}

static void
on_signals(struct run *r, unsigned long seen)
{
	if (seen & (1ul << SIGCHLD))
		reap(r);
	if (seen & ((1ul << SIGINT) | (1ul << SIGTERM))) {
		int sig = (seen & (1ul << SIGINT)) ? SIGINT : SIGTERM;

		if (r->term_signal == sig || r->kill_deadline > 0) {
			/* Asked twice: no more grace. */
			r->kill_deadline = io_now();
		}
		r->term_signal = sig;
		begin_termination(r);
	}
	if (seen & (1ul << SIGHUP))
		r->stop_starting = true;
	if (seen & (1ul << SIGWINCH))
		display_resize(&r->disp);
	if (seen & (1ul << SIGUSR1)) {
		struct progress_view v;

		make_view(r, &v, io_now());
		display_status(&r->disp, &v);
	}
	if (seen & (1ul << SIGTSTP)) {
		/* Jobs sit in their own process groups, out of reach of the
		 * terminal's ^Z: stop them, then ourselves; resume both. */
		signal_jobs(r, SIGSTOP);
		sig_stop_self();
		signal_jobs(r, SIGCONT);
	} else if (seen & (1ul << SIGCONT)) {
		signal_jobs(r, SIGCONT);
	}
}

static bool
all_done(struct run *r)
{
	bool no_more;

	if (r->nactive > 0 || r->running > 0)
		return false;
	no_more =
	    r->stop_starting || (input_done(&r->in) && r->deferred == NULL &&
	                         r->nretry == 0 && r->filling == NULL);
	if (!no_more)
		return false;
	if (!r->use_pool)
		return true;
	if (r->pool.inflight > 0)
		return false;
	/* Workers end on EOF; whoever does not within the grace is killed. */
	if (!r->pool.closing)
		pool_close_input(&r->pool);
	if (r->close_deadline == 0 && pool_alive(&r->pool) > 0)
		r->close_deadline = io_now() + KILL_GRACE;
	return pool_alive(&r->pool) == 0;
}

static void
dispatch(struct run *r)
{
	size_t i;

	for (i = 0; i < r->npfd; i++) {
		short ev = r->pfd[i].revents;
		struct job *j = r->own[i].p;

		if (ev == 0)
			continue;
		switch (r->own[i].kind) {
		case OWN_SIG:
			on_signals(r, sig_drain());
			break;
		case OWN_INPUT:
			if (input_fill(&r->in, STDIN_FILENO, INPUT_CHUNK) == -1)
				fatal_errno(r, "error reading standard input");
			break;
		case OWN_JOB_OUT:
			drain_fd(r, &j->out_fd, &j->out, false);
			if (r->o->line_buffer)
				emit_lines(r, j);
			break;
		case OWN_JOB_ERR:
			drain_fd(r, &j->err_fd, &j->err, false);
			break;
		case OWN_POOL:
			pool_ready(&r->pool, r->own[i].idx, r->pfd[i].fd, ev);
			break;
		}
	}
}

/*
 * --resume: mark every Seq the joblog already holds; --resume-failed only
 * those that ended well (Exitval 0, no signal).  A last line without its
 * newline was cut short by a crash: that job is not taken as done.
 */
static int
load_joblog(struct run *r, const char *path, bool failed_too)
{
	char *line = NULL, *f[9], *p;
	unsigned long long seq;
	size_t cap = 0, k;
	ssize_t n;
	FILE *fp;
	uint8_t *bits;

	fp = fopen(path, "re");
	if (fp == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		for (k = 0, p = line; k < 9 && p != NULL; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p != NULL)
				*p++ = '\0';
		}
		if (k < 9 || !isdigit((unsigned char)f[0][0]))
			continue; /* the header, or not a row */
		seq = strtoull(f[0], NULL, 10);
		if (seq == 0 || seq > (1ull << 40))
			continue;
		if (failed_too &&
		    (strcmp(f[6], "0") != 0 || strcmp(f[7], "0") != 0))
			continue;
		if (seq > r->ndone_before) {
			uint64_t want = seq * 2 > 1024 ? seq * 2 : 1024;

			bits = realloc(r->done_before, (size_t)(want + 7) / 8);
			if (bits == NULL) {
				free(line);
				fclose(fp);
				return -1;
			}
			memset(bits + (r->ndone_before + 7) / 8, 0,
			       (size_t)((want + 7) / 8 -
			                (r->ndone_before + 7) / 8));
			r->done_before = bits;
			r->ndone_before = want;
		}
		r->done_before[(seq - 1) / 8] |=
		    (uint8_t)(1u << ((seq - 1) % 8));
	}
	free(line);
	fclose(fp);
	return 0;
}

static int
setup(struct run *r, const struct pmapf_opts *o)
{
	memset(r, 0, sizeof *r);
	r->joblog_fd = -1;
	r->o = o;
	r->limit = o->jobs;
	r->t0 = io_now();
	display_init(&r->disp, o->progress, o->progress_fd,
	             o->progress_interval);
	msg_set_hook(before_stderr, r);
	input_init(&r->in, o->delim, MAX_RECORD);
	spill_init(&r->spill, SPILL_BUDGET, SPILL_PER_JOB);
	reorder_init(&r->ro, !o->unordered);
	r->sig_fd = sig_install();
	if (r->sig_fd == -1) {
		msg_warn_errno("cannot install signal handlers");
		return -1;
	}
	if (o->tagstring != NULL &&
	    template_parse(&r->tagtmpl, 1, (char *const *)&o->tagstring,
	                   false) == -1) {
		msg_warn_errno("cannot parse --tagstring");
		return -1;
	}
	if (o->argc > 0 && !o->workers) {
		if (template_parse(&r->tmpl, o->argc, o->argv, o->shell) ==
		    -1) {
			msg_warn_errno("cannot parse the command");
			return -1;
		}
	}
	if (o->argc > 0) {
		r->resolve_err =
		    child_resolve(o->shell ? "/bin/sh" : o->argv[0], &r->path);
		if (r->resolve_err == ENOMEM) {
			msg_warn("out of memory");
			return -1;
		}
	}
	r->recs = calloc(o->max_args > 1 ? o->max_args : 1, sizeof *r->recs);
	if (r->recs == NULL) {
		msg_warn_errno("cannot allocate for -N");
		return -1;
	}
	r->free_slots = calloc(o->jobs, sizeof *r->free_slots);
	if (r->free_slots == NULL) {
		msg_warn_errno("cannot allocate %u job slots", o->jobs);
		return -1;
	}
	/* Popped from the end: slot 1 is handed out first. */
	for (r->nfree = 0; r->nfree < o->jobs; r->nfree++)
		r->free_slots[r->nfree] = o->jobs - r->nfree;
	if ((o->argc == 0 || o->workers) && !o->dry_run) {
		static const struct pool_hooks hooks = {pool_done, pool_lost,
		                                        pool_stderr};

		r->use_pool = true;
		pool_init(&r->pool, o->argc == 0 ? POOL_FRAMED : POOL_LINES,
		          o->jobs, &hooks, r);
		r->pool_owner =
		    calloc(pool_pollfd_count(&r->pool), sizeof *r->pool_owner);
		if (r->pool.w == NULL || r->pool_owner == NULL) {
			msg_warn_errno("cannot allocate %u workers", o->jobs);
			return -1;
		}
		if (o->argc == 0) {
			pool_set_builtin(&r->pool, builtin_worker,
			                 (void *)&o->time_scale);
		} else if (r->resolve_err != 0) {
			msg_warn("--workers: cannot run '%s': %s", o->argv[0],
			         r->resolve_err == ENOENT
			             ? "command not found"
			             : strerror(r->resolve_err));
			return -1;
		} else {
			pool_set_program(&r->pool, r->path, o->argv);
		}
	}
	if (o->joblog != NULL && o->resume &&
	    load_joblog(r, o->joblog, o->resume == 2) == -1) {
		msg_warn_errno("cannot read the joblog %s", o->joblog);
		return -1;
	}
	if (o->joblog != NULL) {
		struct stat st;

		r->joblog_fd = open(
		    o->joblog,
		    O_WRONLY | O_CREAT | O_CLOEXEC |
		        (o->joblog_append || o->resume ? O_APPEND : O_TRUNC),
		    0666);
		if (r->joblog_fd == -1) {
			msg_warn_errno("cannot open the joblog %s", o->joblog);
			return -1;
		}
		if (fstat(r->joblog_fd, &st) == 0 && st.st_size == 0) {
			struct buf h = BUF_INIT;

			if (joblog_header(&h) == -1 ||
			    io_write_all(r->joblog_fd, h.data, h.len) == -1) {
				msg_warn_errno("cannot write the joblog %s",
				               o->joblog);
				buf_free(&h);
				return -1;
			}
			buf_free(&h);
		}
	}
	if (r->ro.ordered) {
		r->window = 4ull * o->jobs > ORDER_WINDOW ? 4ull * o->jobs
		                                          : ORDER_WINDOW;
		r->byseq = calloc(r->window, sizeof *r->byseq);
		if (r->byseq == NULL) {
			msg_warn_errno("cannot allocate the order window");
			return -1;
		}
	}
	return 0;
}

static void
teardown(struct run *r)
{
	struct job *j;
	size_t i;

	r->tearing_down = true;
	pool_shutdown(&r->pool);
	for (i = 0; i < r->nactive; i++)
		job_free(r, r->active[i]);
	while ((j = reorder_take_any(&r->ro)) != NULL)
		job_free(r, j);
	reorder_free(&r->ro);
	job_free(r, r->deferred);
	while (r->nretry > 0)
		job_free(r, r->retry[--r->nretry]);
	free(r->retry);
	free(r->byseq);
	free(r->pool_owner);
	free(r->free_slots);
	free(r->done_before);
	free(r->recs);
	job_free(r, r->filling);
	if (r->joblog_fd >= 0)
		close(r->joblog_fd);
	buf_free(&r->outbuf);
	while (r->nspare > 0)
		job_destroy(r, r->spare[--r->nspare]);
	free(r->active);
	free(r->pfd);
	free(r->own);
	free(r->path);
	template_free(r->tmpl);
	template_free(r->tagtmpl);
	template_out_free(&r->targv);
	input_free(&r->in);
	msg_set_hook(NULL, NULL);
	display_free(&r->disp);
	spill_close(&r->spill);
}

struct pmapf_result
pmapf_run(const struct pmapf_opts *o)
{
	struct pmapf_result res = {0, 0};
	struct run r;
	int n;

	if (setup(&r, o) == -1) {
		teardown(&r);
		res.status = PMAPF_EXIT_ERROR;
		return res;
	}
	for (;;) {
		double now, due;
		bool has_frame;

		/* Finish first: a finished job may free a slot or come back
		 * for another try, and either must start in this same turn. */
		finish_spawned(&r);
		start_jobs(&r);
		if ((r.fatal || r.term_signal) && r.kill_deadline == 0)
			begin_termination(&r);
		if (all_done(&r))
			break;
		/* Output first: a frame drawn after it stays below it. */
		flush_output(&r);
		now = io_now();
		watch_silence(&r, now);
		if (r.o->timeout > 0)
			check_timeouts(&r, now);
		if (r.close_deadline > 0 && now >= r.close_deadline &&
		    pool_alive(&r.pool) > 0) {
			pool_signal(&r.pool, SIGKILL);
			r.close_deadline = 0;
		}
		has_frame = display_due(&r.disp, &due);
		if (has_frame && now - r.t0 >= due) {
			struct progress_view v;

			make_view(&r, &v, now);
			display_frame(&r.disp, &v);
			has_frame = display_due(&r.disp, &due);
		}
		if (r.kill_deadline > 0 && !r.killed &&
		    io_now() >= r.kill_deadline) {
			signal_jobs(&r, SIGKILL);
			r.killed = true;
		}
		if (build_pollset(&r) == -1) {
			fatal_errno(&r, "out of memory");
			continue;
		}
		n = poll(r.pfd, r.npfd, poll_timeout(&r, now, has_frame, due));
		if (n < 0) {
			if (errno != EINTR)
				fatal_errno(&r, "poll");
			continue;
		}
		dispatch(&r);
	}
	flush_output(&r);
	{
		struct progress_view v;

		make_view(&r, &v, io_now());
		display_finish(&r.disp, &v, r.term_signal != 0);
	}
	if (r.fatal)
		res.status = PMAPF_EXIT_ERROR;
	else if (r.halted)
		res.status = r.halt_status;
	else if (r.failed > 100)
		res.status = 101;
	else
		res.status = (int)r.failed;
	res.die_signal = r.term_signal;
	teardown(&r);
	return res;
}
