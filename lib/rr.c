/* --round-robin's jobs (see rr.h). */
#include "config.h"

#include "rr.h"

#include <stdlib.h>
#include <sys/ioctl.h>

#include "jobin.h"

int
rr_init(struct rr *r, size_t max)
{
	r->n = r->next = 0;
	r->max = max;
	r->v = calloc(max, sizeof *r->v);
	return r->v == NULL ? -1 : 0;
}

void
rr_free(struct rr *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

bool
rr_full(const struct rr *r)
{
	return r->n == r->max;
}

void
rr_add(struct rr *r, struct job *j)
{
	if (r->n < r->max)
		r->v[r->n++] = j;
}

void
rr_remove(struct rr *r, struct job *j)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i] == j) {
			r->v[i] = r->v[--r->n];
			return;
		}
}

struct job *
rr_pick(struct rr *r)
{
	struct job *best = NULL;
	int least = 0;
	size_t i, at = 0;

	for (i = 0; i < r->n; i++) {
		size_t k = (r->next + i) % r->n;
		struct job *j = r->v[k];
		int queued = 0;

		if (j->route.in_fd < 0 || j->route.in_gone || j->t.pid <= 0 ||
		    j->route.in_full || spool_len(&j->in) > 0)
			continue;
		if (ioctl(j->route.in_fd, FIONREAD, &queued) == -1)
			queued = 0;
		if (best == NULL || queued < least) {
			best = j;
			least = queued;
			at = k;
		}
	}
	if (best != NULL)
		r->next = (at + 1) % r->n;
	return best;
}

void
rr_end_input(struct rr *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		jobin_whole(r->v[i]);
	}
}
