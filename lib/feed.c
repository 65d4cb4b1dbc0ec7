#include "config.h"

#include "feed.h"

#include <string.h>

/* How much unread input to hold ahead of the jobs. */
#define READAHEAD_BYTES (4u << 20)

int
feed_init(struct feed *f, const struct pmapf_opts *o, struct job_cache *cache,
          struct spool_file *spill, struct joblist *done)
{
	memset(f, 0, sizeof *f);
	f->o = o;
	f->cache = cache;
	f->spill = spill;
	f->done = done;
	input_init(&f->in, o->delim, FEED_MAX_RECORD);
	if (o->joblog != NULL && o->resume &&
	    joblog_load(o->joblog, o->resume == 2, &f->resume) == -1)
		return -1;
	return 0;
}

void
feed_drop(struct feed *f)
{
	struct job *j;

	while ((j = joblist_pop(&f->retry)) != NULL)
		job_recycle(f->cache, j);
	job_recycle(f->cache, f->deferred);
	job_recycle(f->cache, f->filling);
	f->deferred = f->filling = NULL;
}

void
feed_free(struct feed *f)
{
	feed_drop(f);
	seqset_free(&f->resume);
	input_free(&f->in);
}

/* -N: add records to a job until it has max_args, or input has ended.
 * False if it must wait for more input. */
static bool
fill_group(struct feed *f, struct job *j, bool *failed)
{
	struct record rec;

	while (j->nrec < f->o->max_args) {
		if (!input_next(&f->in, &rec))
			return input_done(&f->in);
		if (job_add_record(j, rec.data, rec.len) == -1) {
			*failed = true;
			return true;
		}
		j->too_long |= rec.too_long;
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

struct job *
feed_next(struct feed *f, uint64_t max_seq, bool fresh, bool *failed)
{
	struct record rec;
	struct job *j;

	*failed = false;
	if ((j = joblist_pop(&f->retry)) != NULL)
		return j;
	if ((j = f->deferred) != NULL) {
		f->deferred = NULL;
		return j;
	}
	while (fresh) {
		if (f->next_seq >= max_seq)
			return NULL;
		if ((j = f->filling) == NULL) {
			if (!input_next(&f->in, &rec))
				return NULL;
			j = job_new(f->cache, f->next_seq + 1, rec.data,
			            rec.len, rec.full_len);
			if (j == NULL) {
				*failed = true;
				return NULL;
			}
			f->next_seq++;
		}
		f->filling = NULL;
		if (f->o->max_args > 1 && !fill_group(f, j, failed)) {
			f->filling = j;
			return NULL;
		}
		if (*failed) {
			job_recycle(f->cache, j);
			return NULL;
		}
		if (seqset_has(&f->resume, j->seq)) {
			j->end.skipped = true;
			end_now(f, j, 0);
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
	return input_done(&f->in) && f->deferred == NULL &&
	       f->filling == NULL && f->retry.n == 0;
}

bool
feed_wants_input(const struct feed *f)
{
	if (f->in.eof)
		return false;
	/* Always read when no whole record is held: a partial record can
	 * only complete with more bytes (input caps its own length). */
	return !input_ready(&f->in) || input_buffered(&f->in) < READAHEAD_BYTES;
}

int
feed_read(struct feed *f, int fd)
{
	return input_fill(&f->in, fd, INPUT_CHUNK) == -1 ? -1 : 0;
}

bool
feed_total(const struct feed *f, uint64_t *total)
{
	uint64_t n;

	if (f->o->total_set) {
		*total = f->o->total;
		return true;
	}
	if (!f->in.eof)
		return false;
	n = input_records_seen(&f->in);
	/* -N: jobs, not records. */
	if (f->o->max_args > 1)
		n = (n + f->o->max_args - 1) / f->o->max_args;
	*total = n;
	return true;
}
