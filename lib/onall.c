/* --onall, --nonall: each job on every host (see onall.h). */
#include "config.h"

#include "onall.h"

#include <stdlib.h>

int
onall_init(struct onall *a, unsigned hosts)
{
	a->base = NULL;
	a->n = a->cap = 0;
	a->hosts = hosts;
	a->turn = 0;
	a->ready = false;
	a->next = calloc(hosts > 0 ? hosts : 1, sizeof *a->next);
	return a->next != NULL ? 0 : -1;
}

int
onall_add(struct onall *a, struct job *j)
{
	if (a->n == a->cap) {
		size_t k = a->cap > 0 ? a->cap * 2 : 16;
		struct job **v = realloc(a->base, k * sizeof *v);

		if (v == NULL)
			return -1;
		a->base = v;
		a->cap = k;
	}
	a->base[a->n++] = j;
	return 0;
}

/* Host h's (from 0) copy of base job i. */
static struct job *
copy(struct onall *a, struct job_cache *c, unsigned h, size_t i)
{
	const struct job *b = a->base[i];
	struct job *j = job_new(c, (uint64_t)h * a->n + i + 1, b->rec.data,
	                        b->rec.len, b->rec_full_len);

	if (j == NULL)
		return NULL;
	j->nrec = b->nrec;
	j->ntuples = b->ntuples;
	j->nul = b->nul;
	j->too_long = b->too_long;
	j->pin = h + 1;
	return j;
}

struct job *
onall_next(struct onall *a, struct job_cache *c,
           bool (*host_free)(void *ctx, unsigned host), void *ctx,
           uint64_t max_seq, bool *failed)
{
	unsigned k;

	*failed = false;
	for (k = 0; k < a->hosts; k++) {
		unsigned h = (a->turn + k) % a->hosts;
		size_t i = a->next[h];
		struct job *j;

		if (i >= a->n || (uint64_t)h * a->n + i + 1 > max_seq ||
		    !host_free(ctx, h + 1))
			continue;
		if ((j = copy(a, c, h, i)) == NULL) {
			*failed = true;
			return NULL;
		}
		a->next[h]++;
		/* The next one starts looking past this host: hosts take
		 * turns. */
		a->turn = (h + 1) % a->hosts;
		return j;
	}
	return NULL;
}

uint64_t
onall_given(const struct onall *a)
{
	uint64_t n = 0;
	unsigned h;

	for (h = 0; h < a->hosts; h++)
		n += a->next[h];
	return n;
}

bool
onall_done(const struct onall *a)
{
	unsigned h;

	if (!a->ready)
		return false;
	for (h = 0; h < a->hosts; h++)
		if (a->next[h] < a->n)
			return false;
	return true;
}

void
onall_free(struct onall *a, struct job_cache *c)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		job_recycle(c, a->base[i]);
	free(a->base);
	free(a->next);
	a->base = NULL;
	a->next = NULL;
	a->n = a->cap = 0;
}
