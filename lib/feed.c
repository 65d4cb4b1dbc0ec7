#include "config.h"

#include "feed.h"
#include "feed_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "template.h"

/* How much unread input to hold ahead of the jobs.  Enough for many
 * records per read, small enough to stay in the core's cache: with
 * 4 MiB a record was cold again by the time its job was made, and the
 * growing buffer cost a page fault per 4 KiB read (1M tiny records:
 * 2,960 faults against 1,440, and a fifth more of pmapf's own CPU). */
#define READAHEAD_BYTES (256u << 10)

/*
 * Lines of the joblog that are not rows: said once, naming the first,
 * and the run goes on (GNU parallel refuses to run at all): such a line
 * takes no job as done, so at worst a job runs again.
 */
static void
say_unread(const struct pmapf_opts *o, const struct joblog_unread *u)
{
	struct buf m = BUF_INIT;

	if (buf_printf(&m, "%s: %s line %llu is not %s: ",
	               o->resume == 2 ? "--resume-failed" : "--resume",
	               o->joblog, (unsigned long long)u->first,
	               u->first == 1 ? "the joblog header" : "a joblog row") ==
	        -1 ||
	    msg_quote_record(&m, u->text, u->text_len, u->len) == -1 ||
	    (u->lines > 1 && buf_printf(&m, " (and %llu more line%s)",
	                                (unsigned long long)(u->lines - 1),
	                                u->lines > 2 ? "s" : "") == -1) ||
	    buf_appends(&m, "; going on, taking only its rows as done") == -1) {
		buf_free(&m);
		msg_warn("--resume: the joblog %s has lines that are not rows",
		         o->joblog);
		return;
	}
	msg_warn("%s", m.data);
	buf_free(&m);
}

int
feed_init(struct feed *f, const struct pmapf_opts *o, struct job_cache *cache,
          struct spool_file *spill, struct joblist *done)
{
	memset(f, 0, sizeof *f);
	f->o = o;
	f->cache = cache;
	f->spill = spill;
	f->done = done;
	f->may_group = o->max_args > 1 || o->multi != MULTI_NONE ||
	               o->nsources > 1 || o->colsep != NULL;
	/* --pipe: blocks make the jobs (--tee: the values do, each job
	 * given all of stdin). */
	f->by_blocks = o->pipe && !o->pipe_tee;
	if (o->pipe && pipein_open(&f->pipein, o, spill) == -1)
		return -1;
	if (!f->by_blocks && sources_open(&f->src, o, FEED_MAX_RECORD) == -1) {
		if (errno == ENOMEM)
			msg_warn("out of memory");
		return -1;
	}
	if (o->joblog != NULL && o->resume) {
		struct joblog_unread u;

		if (joblog_load(o->joblog, o->resume == 2, &f->resume, &u) ==
		    -1) {
			msg_warn_errno("cannot read the joblog %s", o->joblog);
			return -1;
		}
		if (u.lines > 0)
			say_unread(o, &u);
	}
	return 0;
}

struct job *
feed_take_unstarted(struct feed *f)
{
	struct job *j = f->deferred;

	if (j != NULL) {
		f->deferred = NULL;
		return j;
	}
	return joblist_pop(&f->retry);
}

void
feed_drop(struct feed *f)
{
	struct job *j;

	while ((j = joblist_pop(&f->retry)) != NULL) {
		feed_forget(f, j);
		job_recycle(f->cache, j);
	}
	if (f->deferred != NULL)
		feed_forget(f, f->deferred);
	job_recycle(f->cache, f->deferred);
	job_recycle(f->cache, f->filling);
	f->deferred = f->filling = NULL;
	while (f->shuf_at < f->nshuf)
		job_recycle(f->cache, f->shuf[f->shuf_at++]);
}

void
feed_free(struct feed *f)
{
	feed_drop(f);
	if (f->onall_on)
		onall_free(&f->onall, f->cache);
	seqset_free(&f->resume);
	free(f->shuf);
	f->shuf = NULL;
	sources_close(f->src);
	f->src = NULL;
	if (f->o != NULL && f->o->pipe)
		pipein_close(&f->pipein); /* (f->o: feed_init ran) */
}

void
feed_forget(struct feed *f, struct job *j)
{
	if (f->o != NULL && f->o->pipe)
		pipein_forget(&f->pipein, j);
}

/* What a tuple brings besides its values: one of them too long to
 * hold, or holding a NUL byte (j->rec, NUL-separated, cannot keep it
 * apart once a job has several values).  One word, stored once: two
 * bools, set byte by byte and read back together, stalled store
 * forwarding on every record. */
enum tuple_flag { TUPLE_TOO_LONG = 1, TUPLE_NUL = 2 };

/* -r: a tuple with a value of blanks only is dropped, as GNU parallel
 * drops it (before -N groups, so it takes no job number). */
static bool
blank(const void *ctx, const struct record *v, size_t n)
{
	const struct feed *f = ctx;
	size_t i, k;

	for (i = 0; f->o->no_empty && i < n; i++) {
		for (k = 0; k < v[i].len && sources_space(v[i].data[k]); k++)
			;
		if (k == v[i].len)
			return true;
	}
	return false;
}

/* --plus {uniq}: a job whose values are not all different; {choose_k}:
 * one whose values do not rise (as Perl's string lt: bytes, then
 * length).  As GNU parallel, the whole job is looked at, and skipped. */
static bool
skipped(const struct feed *f, const struct job *j)
{
	struct job_values it, jt;
	const char *v, *w, *prev = NULL;
	size_t n, m, pn = 0, cut;
	int c;

	job_values_from(j, 0, &it);
	while (job_values_next(&it, &v, &n)) {
		if (f->o->filters & TEMPLATE_CHOOSE_K && prev != NULL) {
			cut = pn < n ? pn : n;
			c = memcmp(prev, v, cut);
			if (c > 0 || (c == 0 && pn >= n))
				return true;
		}
		prev = v;
		pn = n;
		if (!(f->o->filters & TEMPLATE_UNIQ))
			continue;
		/* The values before this one. */
		job_values_from(j, 0, &jt);
		while (job_values_next(&jt, &w, &m) && w != v)
			if (m == n && memcmp(w, v, n) == 0)
				return true;
	}
	return false;
}

/* The next tuple of values, as a job (j NULL) or into j (-N).  False if
 * there is none now (*failed: an error, said). */
static bool
take_tuple(struct feed *f, struct job **jp, unsigned *tf, bool *failed)
{
	const struct record *v;
	enum sources_state st;
	struct job *j = *jp;
	size_t n, i;
	unsigned flags = 0;

	do {
		if (sources_next(f->src, &v, &n, &st) == -1) {
			*failed = true;
			if (errno == EINVAL && sources_error(f->src) != NULL)
				msg_warn("%s", sources_error(f->src));
			else
				msg_warn_errno("cannot read input");
			return false;
		}
		if (st != SOURCES_READY)
			return false;
	} while (blank(f, v, n));
	/* A --colsep that finds no column still gives one, empty. */
	for (i = 0; i < n; i++) {
		if (j == NULL) {
			j = job_new(f->cache, f->next_seq + 1, v[i].data,
			            v[i].len, v[i].full_len);
			if (j == NULL)
				break;
			f->next_seq++;
			*jp = j;
		} else if (job_add_record(j, v[i].data, v[i].len) == -1) {
			break;
		}
		if (v[i].full_len > v[i].len)
			flags |= TUPLE_TOO_LONG;
		/* A job of one value finds a NUL where it is expanded. */
		if (f->may_group && memchr(v[i].data, '\0', v[i].len) != NULL)
			flags |= TUPLE_NUL;
	}
	if (i < n) {
		*failed = true;
		msg_warn_errno("cannot hold a job's values");
		return false;
	}
	*tf = flags;
	return true;
}

static void
add_flags(struct job *j, unsigned tf)
{
	j->too_long |= (tf & TUPLE_TOO_LONG) != 0;
	j->nul |= (tf & TUPLE_NUL) != 0;
}

/* Bytes the values of j from byte off of j->rec take in its command. */
static size_t
values_cost(const struct feed *f, const struct job *j, size_t off)
{
	struct job_values it;
	const char *v;
	size_t n = 0, len;

	job_values_from(j, off, &it);
	while (job_values_next(&it, &v, &len))
		n += template_value_cost(f->tmpl, v, len, f->o->max_chars == 0);
	return n;
}

/* Bytes j's whole command line takes. */
static size_t
job_cost(const struct feed *f, const struct job *j)
{
	return template_fixed_cost(f->tmpl, f->o->max_chars == 0) +
	       values_cost(f, j, 0);
}

/* Records in all, once every source has ended: with -r, those it keeps,
 * as counted by feed_next. */
static uint64_t
records_total(const struct feed *f)
{
	return f->counted ? f->kept : sources_seen(f->src);
}

/* Records per job: -N, and -X/-m spread over the job slots once every
 * record is known (as GNU parallel, which reads all input first). */
static uint64_t
group_limit(const struct feed *f)
{
	uint64_t k = f->o->max_args ? f->o->max_args : 1, per;

	if (f->o->multi == MULTI_NONE)
		return k;
	if (f->o->max_args == 0)
		k = UINT64_MAX;
	if (f->o->multi != MULTI_XARGS) {
		per = records_total(f);
		per = per / f->o->jobs + (per % f->o->jobs != 0);
		if (per < 1)
			per = 1;
		if (per < k)
			k = per;
	}
	return k;
}

/* The values added to j past off (a record that did not fit its
 * command line) start the next job instead. */
static int
split_off(struct feed *f, struct job *j, size_t off, unsigned nrec, unsigned tf)
{
	struct job *next = NULL;
	struct job_values it;
	const char *v;
	size_t len;

	/* j has several values here, so they are NUL-separated. */
	job_values_from(j, off + 1, &it);
	while (job_values_next(&it, &v, &len)) {
		if (next == NULL) {
			next = job_new(f->cache, f->next_seq + 1, v, len, len);
			if (next == NULL)
				return -1;
		} else if (job_add_record(next, v, len) == -1) {
			job_recycle(f->cache, next);
			return -1;
		}
	}
	if (next == NULL) { /* a tuple has at least one value */
		errno = EINVAL;
		return -1;
	}
	f->next_seq++;
	add_flags(next, tf);
	f->cost = job_cost(f, next);
	j->rec.len = off;
	j->rec.data[off] = '\0';
	j->nrec = nrec;
	f->filling = next;
	return 0;
}

/* -N, -X, -m, --xargs: add records to a job until it has its share, its
 * command line is full, or input has ended.  False if it must wait for
 * more input. */
static bool
fill_group(struct feed *f, struct job *j, bool *failed)
{
	uint64_t limit = group_limit(f);
	unsigned tf = 0;
	size_t off, added;
	unsigned nrec;

	while (j->ntuples < limit) {
		off = j->rec.len;
		nrec = j->nrec;
		if (!take_tuple(f, &j, &tf, failed))
			return *failed || sources_done(f->src);
		if (f->budget > 0) {
			added = values_cost(f, j, off + 1);
			if (f->cost + added > f->budget) {
				if (split_off(f, j, off, nrec, tf) == -1) {
					*failed = true;
					msg_warn_errno("cannot hold a job's "
					               "values");
				}
				return true;
			}
			f->cost += added;
		}
		add_flags(j, tf);
		j->ntuples++;
	}
	return true;
}

/* A job that ends before it starts. */
static void
end_now(struct feed *f, struct job *j, int status)
{
	j->end.status = j->end.exitval = status;
	joblist_push(f->done, j);
}

bool
feed_waiting(const struct feed *f)
{
	return f->deferred != NULL || f->retry.n > 0;
}

/* The next job as input makes it, values and all, or NULL (none now, or
 * -N waiting for more records in f->filling; *failed: an error). */
struct job *
feed_make_job(struct feed *f, bool *failed)
{
	struct job *j;

	if ((j = f->filling) == NULL) {
		unsigned tf = 0;

		if (!take_tuple(f, &j, &tf, failed)) {
			if (j != NULL)
				job_recycle(f->cache, j);
			return NULL;
		}
		add_flags(j, tf);
		j->ntuples = 1;
		if (f->budget > 0)
			f->cost = job_cost(f, j);
	}
	f->filling = NULL;
	if ((f->o->max_args > 1 || f->o->multi != MULTI_NONE) &&
	    !fill_group(f, j, failed)) {
		f->filling = j;
		return NULL;
	}
	if (*failed) {
		job_recycle(f->cache, j);
		return NULL;
	}
	return j;
}

struct job *
feed_next(struct feed *f, uint64_t max_seq, bool fresh, bool *failed)
{
	struct job *j;

	*failed = false;
	/* The one deferred first: it was taken, and only one is held. */
	if ((j = f->deferred) != NULL) {
		f->deferred = NULL;
		return j;
	}
	if ((j = joblist_pop(&f->retry)) != NULL)
		return j;
	while (fresh && f->by_blocks) {
		if (f->next_seq >= max_seq ||
		    (j = pipein_next_job(&f->pipein, f->cache, f->next_seq + 1,
		                         failed)) == NULL)
			return NULL;
		f->next_seq++;
		if (!seqset_has(&f->resume, j->seq))
			return j;
		/* --resume: done in an earlier run; its block is read past. */
		j->end.skipped = true;
		feed_forget(f, j);
		end_now(f, j, 0);
	}
	while (fresh) {
		/* -r with -X, -m or {##} (which read all input first): what
		 * it keeps is counted before any is taken. */
		if (f->o->no_empty && !f->counted && sources_ended(f->src) &&
		    (f->o->multi == MULTI_X || f->o->multi == MULTI_M ||
		     f->o->needs_total)) {
			f->kept = sources_count_kept(f->src, blank, f);
			f->counted = true;
		}
		if (f->onall_on) {
			if ((j = feed_next_on_all(f, max_seq, failed)) == NULL)
				return NULL;
		} else if (f->o->shuf) {
			if ((j = feed_next_shuffled(f, max_seq, failed)) ==
			    NULL)
				return NULL;
		} else {
			if (f->next_seq >= max_seq)
				return NULL;
			/* -X, -m: the records are shared out once all are
			 * in; {##} needs their number. */
			if ((f->o->multi == MULTI_X || f->o->multi == MULTI_M ||
			     f->o->needs_total) &&
			    !sources_ended(f->src))
				return NULL;
			if ((j = feed_make_job(f, failed)) == NULL)
				return NULL;
		}
		if (seqset_has(&f->resume, j->seq) ||
		    (f->o->filters != 0 && skipped(f, j))) {
			j->end.skipped = true;
			end_now(f, j, 0);
		} else if (j->nul && j->nrec > 1) {
			/* One value with a NUL fails where it is expanded. */
			(void)job_note_nul(f->spill, j);
			end_now(f, j, 1);
		} else if (j->too_long) {
			(void)job_note(
			    f->spill, j,
			    "record too long (the limit is %u bytes)",
			    FEED_MAX_RECORD);
			end_now(f, j, 1);
		} else {
			return j;
		}
	}
	return NULL;
}

void
feed_defer(struct feed *f, struct job *j)
{
	f->deferred = j;
}

void
feed_retry(struct feed *f, struct job *j)
{
	joblist_insert(&f->retry, j);
}

bool
feed_exhausted(const struct feed *f)
{
	if (f->by_blocks)
		return pipein_done(&f->pipein) && f->deferred == NULL &&
		       f->retry.n == 0;
	return sources_done(f->src) && f->deferred == NULL &&
	       f->filling == NULL && f->retry.n == 0 &&
	       (!f->o->shuf || (f->shuffled && f->shuf_at == f->nshuf)) &&
	       (!f->onall_on || onall_done(&f->onall));
}

int
feed_input_fd(const struct feed *f, size_t i)
{
	/* A --halt percentage is of all jobs, as GNU parallel: input is
	 * read to its end as fast as it comes (jobs start meanwhile), so
	 * their number is known as soon as it can be. */
	return sources_fd(f->src, i,
	                  f->o->halt.percent > 0 ? SIZE_MAX : READAHEAD_BYTES);
}

int
feed_read(struct feed *f, size_t i)
{
	if (sources_read(f->src, i) == 0)
		return 0;
	if (strcmp(sources_name(f->src, i), "-") == 0)
		msg_warn_errno("error reading standard input");
	else
		msg_warn_errno("error reading '%s'", sources_name(f->src, i));
	return -1;
}

bool
feed_input_ended(const struct feed *f)
{
	if (f->by_blocks)
		return pipein_input_ended(&f->pipein);
	return sources_ended(f->src);
}

uint64_t
feed_records_read(const struct feed *f)
{
	if (f->by_blocks)
		return pipein_made(&f->pipein);
	return sources_seen(f->src);
}

bool
feed_total(const struct feed *f, uint64_t *total)
{
	uint64_t n;

	if (f->o->total_set) {
		*total = f->o->total;
		return true;
	}
	if (f->by_blocks) {
		if (pipein_total(&f->pipein, total))
			return true;
		*total = f->next_seq;
		return pipein_done(&f->pipein);
	}
	if (!sources_ended(f->src))
		return false;
	n = records_total(f);
	/* -N: jobs, not records (-X, -m, --xargs: known as they are
	 * made). */
	if (f->o->multi != MULTI_NONE)
		return false;
	if (f->o->max_args > 1)
		n = (n + f->o->max_args - 1) / f->o->max_args;
	/* --onall: each on every host; --nonall: once on each. */
	if (f->onall_on)
		n = (f->o->nonall ? 1 : n) * f->onall.hosts;
	*total = n;
	return true;
}
