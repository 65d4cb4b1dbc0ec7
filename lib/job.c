/* Jobs, their lists and their cache. */
#include "config.h"

#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "joblog.h"
#include "msg.h"

/* Jobs kept for reuse; their buffers only while small. */
#define SPARE_JOBS    256
#define SPARE_BUF_MAX 4096
/* Beyond SPARE_JOBS, up to this many more are kept with small buffers
 * only: a worker pool keeps about a thousand tasks in flight, and they
 * come back in bursts. */
#define SPARE_JOBS_SMALL 2048
#define SPARE_BUF_SMALL  256

void
joblist_push(struct joblist *l, struct job *j)
{
	j->next = NULL;
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->n++;
}

struct job *
joblist_pop(struct joblist *l)
{
	struct job *j = l->head;

	if (j == NULL)
		return NULL;
	l->head = j->next;
	if (l->head == NULL)
		l->tail = NULL;
	j->next = NULL;
	l->n--;
	return j;
}

void
joblist_insert(struct joblist *l, struct job *j)
{
	struct job **pp = &l->head;

	if (l->tail == NULL || l->tail->seq < j->seq) {
		joblist_push(l, j);
		return;
	}
	while (*pp != NULL && (*pp)->seq < j->seq)
		pp = &(*pp)->next;
	j->next = *pp;
	*pp = j;
	l->n++;
}

/* A small, fast generator for --shuf (xorshift64*): no need for more. */
static uint64_t
shuf_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

void
joblist_shuffle(struct job **v, size_t n)
{
	uint64_t state = (uint64_t)(io_wallclock() * 1e6) ^
	                 (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)&state;
	struct job *j;
	size_t i, k;

	state |= 1;
	for (i = n; i > 1; i--) {
		k = (size_t)(shuf_random(&state) % i);
		j = v[i - 1];
		v[i - 1] = v[k];
		v[k] = j;
	}
	for (i = 0; i < n; i++)
		v[i]->seq = i + 1;
}

void
job_cache_init(struct job_cache *c, struct spool_file *spill, bool routed)
{
	c->spill = spill;
	c->routed = routed;
	c->spare = NULL;
	c->n = 0;
}

struct job *
job_new_block(struct job_cache *c, uint64_t seq)
{
	struct job *j = job_new(c, seq, "", 0, 0);

	if (j != NULL) {
		j->nrec = 0;
		j->block = true;
	}
	return j;
}

int
job_block_file(struct job *j, const char *dir)
{
	int fd;

	buf_reset(&j->rec);
	if (buf_printf(&j->rec, "%s/pmapf-block-XXXXXX", dir) == -1)
		return -1;
	if ((fd = mkostemp(j->rec.data, O_CLOEXEC)) == -1)
		return -1;
	j->rec_file = true;
	j->nrec = 1;
	return fd;
}

void
job_close_in(struct job *j)
{
	if (j->route.in_fd >= 0) {
		if (!job_fds_lent(j))
			(void)close(j->route.in_fd);
		j->route.in_fd = -1;
	}
	if (j->route.hold_fd >= 0) {
		(void)close(j->route.hold_fd);
		j->route.hold_fd = -1;
	}
}

void
job_end_input(struct job *j)
{
	/* Closed before the job opens its FIFO, what waits in it would be
	 * lost, and the job's open would wait for a writer forever. */
	if (j->route.fifo_waiting)
		j->route.end_at_open = true;
	else
		job_close_in(j);
}

/* --cat: its block's file goes with it. */
static void
drop_file(struct job *j)
{
	if (j->rec_file)
		(void)unlink(j->rec.data);
	j->rec_file = false;
}

void
job_free(struct spool_file *spill, struct job *j)
{
	if (j == NULL)
		return;
	drop_file(j);
	spool_free(spill, &j->out);
	spool_free(spill, &j->err);
	spool_free(spill, &j->in);
	spool_free(spill, &j->keep);
	buf_free(&j->rec);
	buf_free(&j->cmd);
	buf_free(&j->tag);
	free(j);
}

void
job_cache_free(struct job_cache *c)
{
	while (c->n > 0)
		job_free(c->spill, c->spare[--c->n]);
	free(c->spare);
	c->spare = NULL;
}

static void
buf_shrink(struct buf *b, size_t keep)
{
	if (b->cap > keep)
		buf_free(b);
	buf_reset(b);
}

static void
clear_route(struct job_route *r)
{
	memset(r, 0, sizeof *r);
	r->in_fd = r->hold_fd = -1;
}

/* routed false: the route is as clear_route left it (a new job's). */
static void
clear_try(struct job *j, bool routed)
{
	memset(&j->t, 0, sizeof j->t);
	j->t.out_fd = j->t.err_fd = -1;
	if (routed)
		clear_route(&j->route);
	memset(&j->end, 0, sizeof j->end);
}

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer build checks that a run without routes left them
 * untouched, as clear_try assumes. */
static void
check_unrouted(const struct job *j)
{
	struct job_route pristine;

	clear_route(&pristine);
	if (memcmp(&j->route, &pristine, sizeof pristine) != 0 ||
	    spool_len(&j->in) > 0 || spool_len(&j->keep) > 0) {
		fprintf(stderr,
		        "pmapf: job %llu: its route was used in a run "
		        "without routes\n",
		        (unsigned long long)j->seq);
		abort();
	}
}
#else
#define check_unrouted(j) ((void)0)
#endif

void
job_values_from(const struct job *j, size_t off, struct job_values *it)
{
	it->p = (j->rec.data ? j->rec.data : "") + off;
	it->end = (j->rec.data ? j->rec.data : "") + j->rec.len;
	it->whole = j->nrec <= 1;
	/* (--nonall: a job without values, not even an empty one.) */
	it->done = off > j->rec.len || (j->nrec == 0 && !j->block);
}

bool
job_values_next(struct job_values *it, const char **v, size_t *n)
{
	const char *q;

	if (it->done)
		return false;
	q = it->whole ? NULL : memchr(it->p, '\0', (size_t)(it->end - it->p));
	*v = it->p;
	*n = (size_t)((q ? q : it->end) - it->p);
	if (q == NULL)
		it->done = true;
	else
		it->p = q + 1;
	return true;
}

void
job_recycle(struct job_cache *c, struct job *j)
{
	size_t keep;

	if (j == NULL)
		return;
	drop_file(j);
	if (c->spare == NULL &&
	    (c->spare = calloc(SPARE_JOBS + SPARE_JOBS_SMALL,
	                       sizeof *c->spare)) == NULL) {
		job_free(c->spill, j);
		return;
	}
	if (c->n == SPARE_JOBS + SPARE_JOBS_SMALL) {
		job_free(c->spill, j);
		return;
	}
	keep = c->n < SPARE_JOBS ? SPARE_BUF_MAX : SPARE_BUF_SMALL;
	spool_reset(c->spill, &j->out, keep);
	spool_reset(c->spill, &j->err, keep);
	if (c->routed) {
		spool_reset(c->spill, &j->in, keep);
		spool_reset(c->spill, &j->keep, 0);
	} else
		check_unrouted(j);
	buf_shrink(&j->rec, keep);
	buf_shrink(&j->cmd, keep);
	buf_shrink(&j->tag, keep);
	c->spare[c->n++] = j;
}

struct job *
job_new(struct job_cache *c, uint64_t seq, const char *rec, size_t len,
        uint64_t full_len)
{
	struct job *j;
	bool routed = c->routed;

	if (c->n > 0)
		j = c->spare[--c->n];
	else if ((j = calloc(1, sizeof *j)) != NULL)
		routed = true; /* its route is yet to be set */
	else
		return NULL;
	/* Only the small parts are reset: the buffers are kept. */
	j->seq = seq;
	j->rec_full_len = full_len;
	j->nrec = 1;
	j->block = j->rec_file = false;
	j->too_long = full_len > len;
	j->nul = false;
	j->ntuples = 1;
	j->attempt = j->requeued = j->pin = 0;
	j->next = NULL;
	clear_try(j, routed);
	buf_reset(&j->rec);
	buf_reset(&j->cmd);
	buf_reset(&j->tag);
	if (buf_append(&j->rec, rec, len) == -1 ||
	    buf_reserve(&j->rec, 1) == -1) {
		job_free(c->spill, j);
		return NULL;
	}
	j->rec.data[j->rec.len] = '\0';
	return j;
}

int
job_add_record(struct job *j, const char *rec, size_t len)
{
	if (buf_appendc(&j->rec, '\0') == -1 ||
	    buf_append(&j->rec, rec, len) == -1 ||
	    buf_reserve(&j->rec, 1) == -1)
		return -1;
	j->rec.data[j->rec.len] = '\0';
	j->nrec++;
	return 0;
}

void
job_retry_reset(struct spool_file *spill, struct job *j)
{
	spool_reset(spill, &j->out, SPARE_BUF_MAX);
	spool_reset(spill, &j->err, SPARE_BUF_MAX);
	spool_reset(spill, &j->in, SPARE_BUF_MAX);
	buf_reset(&j->cmd);
	clear_try(j, true);
}

void
job_log_fields(const struct job *j, double now, struct joblog_row *row)
{
	row->seq = j->seq;
	row->start = j->t.start_wall > 0 ? j->t.start_wall : io_wallclock();
	row->runtime = j->t.started > 0 ? now - j->t.started : 0;
	/* (-S: what went into ssh's stdin is pmapf's own script.) */
	row->sent = j->route.host != NULL ? 0 : j->route.sent;
	row->received = spool_len(&j->out) + j->t.taken;
	row->exitval = j->end.exitval;
	row->signal = j->end.signal;
	row->command = j->cmd.data != NULL ? j->cmd.data : "";
	row->host = j->route.host != NULL   ? j->route.host->name
	            : j->route.node != NULL ? j->route.node->name
	                                    : NULL;
}

int
job_log_row(const struct job *j, double now, struct buf *b)
{
	struct joblog_row row;

	job_log_fields(j, now, &row);
	return joblog_format(b, &row);
}

void
job_decode_wait(struct job *j, int wstatus)
{
	struct job_end *e = &j->end;

	e->exitval = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	e->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	if (j->t.timed_out) {
		e->exitval = -1;
		e->status = e->signal ? 128 + e->signal : 1;
	} else if (WIFEXITED(wstatus)) {
		e->status = e->exitval;
	} else if (WIFSIGNALED(wstatus)) {
		e->status = 128 + e->signal;
	} else {
		e->status = 1;
	}
}

int
job_note(struct spool_file *spill, struct job *j, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	int rc = -1, n;
	char *s;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if (j->block) {
		/* --pipe: a block, which has no record to show. */
		if (buf_printf(&line, "pmapf: block %llu",
		               (unsigned long long)j->seq) == 0)
			rc = 0;
	} else if (j->nrec > 1) {
		/* -N: "job 3" and its records, space-separated. */
		struct buf shown = BUF_INIT;

		if (buf_append(&shown, j->rec.data, j->rec.len) == 0) {
			for (size_t i = 0; i < shown.len; i++)
				if (shown.data[i] == '\0')
					shown.data[i] = ' ';
			if (buf_printf(&line, "pmapf: job %llu ",
			               (unsigned long long)j->seq) == 0 &&
			    msg_quote_record(&line, shown.data, shown.len,
			                     shown.len) == 0)
				rc = 0;
		}
		buf_free(&shown);
	} else if (buf_printf(&line, "pmapf: record %llu ",
	                      (unsigned long long)j->seq) == 0 &&
	           msg_quote_record(&line, j->rec.data, j->rec.len,
	                            j->rec_full_len) == 0) {
		rc = 0;
	}
	if (rc == 0)
		rc = buf_printf(&line, ": %s\n", s) == 0 &&
		             spool_add(spill, &j->err, line.data, line.len) == 0
		         ? 0
		         : -1;
	free(s);
	buf_free(&line);
	return rc;
}

int
job_note_cannot_run(struct spool_file *spill, struct job *j, const char *cmd,
                    int err)
{
	return job_note(spill, j, "cannot run '%s': %s", cmd,
	                msg_run_error(err));
}

int
job_note_nul(struct spool_file *spill, struct job *j)
{
	return job_note(spill, j,
	                "record contains a NUL byte and cannot be an argument");
}
