/* Jobs in another order than input's: --shuf's, and --onall's and
 * --nonall's copies for each host (see feed.h). */
#include "config.h"

#include "feed_int.h"

#include <stdlib.h>

#include "msg.h"

/* --shuf: every job made at once, in random order, numbered in that
 * order (as GNU parallel: {#} and the joblog's Seq follow the run). */
static bool
shuffle_all(struct feed *f, bool *failed)
{
	struct job *j, **grown;
	size_t k;

	while ((j = feed_make_job(f, failed)) != NULL) {
		if (f->nshuf == f->shuf_cap) {
			k = f->shuf_cap ? f->shuf_cap * 2 : 64;
			if ((grown = realloc(f->shuf, k * sizeof *grown)) ==
			    NULL) {
				job_recycle(f->cache, j);
				msg_warn("out of memory");
				*failed = true;
				return false;
			}
			f->shuf = grown;
			f->shuf_cap = k;
		}
		f->shuf[f->nshuf++] = j;
	}
	if (*failed)
		return false;
	joblist_shuffle(f->shuf, f->nshuf);
	f->shuffled = true;
	return true;
}

/* The next job in --shuf's order, or NULL before all input is in. */
struct job *
feed_next_shuffled(struct feed *f, uint64_t max_seq, bool *failed)
{
	if (!f->shuffled && (!sources_ended(f->src) || !shuffle_all(f, failed)))
		return NULL;
	if (f->shuf_at >= f->nshuf || f->shuf_at >= max_seq)
		return NULL;
	return f->shuf[f->shuf_at++];
}

int
feed_on_all(struct feed *f, unsigned hosts,
            bool (*host_free)(void *ctx, unsigned host), void *ctx)
{
	if (onall_init(&f->onall, hosts) == -1)
		return -1;
	f->onall_on = true;
	f->host_free = host_free;
	f->host_ctx = ctx;
	return 0;
}

static void
add_base(struct feed *f, struct job *j, bool *failed)
{
	if (onall_add(&f->onall, j) == -1) {
		job_recycle(f->cache, j);
		*failed = true;
	}
}

/* --onall: once input has ended, every job is a base, copied for each
 * host (onall.h); --nonall: one job, without values. */
struct job *
feed_next_on_all(struct feed *f, uint64_t max_seq, bool *failed)
{
	struct job *j;

	if (!f->onall.ready) {
		if (!sources_ended(f->src))
			return NULL;
		if (!f->o->nonall) {
			while (!*failed &&
			       (j = feed_make_job(f, failed)) != NULL)
				add_base(f, j, failed);
		} else if ((j = job_new(f->cache, 1, "", 0, 0)) != NULL) {
			j->nrec = 0; /* no value, not even an empty one */
			add_base(f, j, failed);
		} else {
			*failed = true;
		}
		if (*failed)
			return NULL;
		f->onall.ready = true;
	}
	return onall_next(&f->onall, f->cache, f->host_free, f->host_ctx,
	                  max_seq, failed);
}
