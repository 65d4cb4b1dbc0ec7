#include "config.h"

#include "timeline_layout.h"

#include <stdlib.h>
#include <string.h>

static int
key_cmp(const void *a, const void *b)
{
	const struct tl_key *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* A min-heap of rows by (free-at time, row number). */
struct heap {
	struct heap_item {
		double at;
		unsigned row;
	} * v;
	size_t n;
};

static bool
item_less(const struct heap_item *a, const struct heap_item *b)
{
	return a->at < b->at || (a->at == b->at && a->row < b->row);
}

static void
heap_push(struct heap *h, double at, unsigned row)
{
	struct heap_item it = {at, row}, tmp;
	size_t i = h->n++;

	h->v[i] = it;
	for (; i > 0 && item_less(&h->v[i], &h->v[(i - 1) / 2]);
	     i = (i - 1) / 2) {
		tmp = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = tmp;
	}
}

static struct heap_item
heap_pop(struct heap *h)
{
	struct heap_item top = h->v[0], tmp;
	size_t i = 0, c;

	h->v[0] = h->v[--h->n];
	for (; (c = 2 * i + 1) < h->n; i = c) {
		if (c + 1 < h->n && item_less(&h->v[c + 1], &h->v[c]))
			c++;
		if (!item_less(&h->v[c], &h->v[i]))
			break;
		tmp = h->v[i];
		h->v[i] = h->v[c];
		h->v[c] = tmp;
	}
	return top;
}

/*
 * Jobs without a slot go, in order of start, into the lowest packed row
 * free at their start; a row is free again at its job's end.  The rows
 * then number the most such jobs that ran at once.
 */
static int
pack_rows(struct tl_layout *l, struct tl_key *k, size_t n)
{
	struct heap busy = {NULL, 0}, idle = {NULL, 0};
	struct heap_item it;
	unsigned next = 0;
	size_t i;

	busy.v = malloc((n + 1) * sizeof *busy.v);
	idle.v = malloc((n + 1) * sizeof *idle.v);
	if (busy.v == NULL || idle.v == NULL) {
		free(busy.v);
		free(idle.v);
		return -1;
	}
	qsort(k, n, sizeof *k, key_cmp);
	for (i = 0; i < n; i++) {
		/* A joblog's times are to the millisecond: one ending as
		 * the next starts frees its row for it. */
		while (busy.n > 0 && busy.v[0].at <= k[i].start + 1e-3) {
			it = heap_pop(&busy);
			heap_push(&idle, 0, it.row);
		}
		k[i].row = idle.n > 0 ? heap_pop(&idle).row : next++;
		k[i].row += l->slot_rows;
		heap_push(&busy, k[i].end, k[i].row - l->slot_rows);
	}
	l->rows = l->slot_rows + next;
	free(busy.v);
	free(idle.v);
	return 0;
}

bool
tl_is_failure(uint8_t outcome)
{
	return outcome == TIMELINE_FAILED || outcome == TIMELINE_TIMED_OUT ||
	       outcome == TIMELINE_KILLED;
}

static int
seq_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The seq up to which failures keep a bar of their own: all of them, or
 * the OWN_MAX lowest. */
static int
own_limit(struct tl_layout *l, const struct timeline *t)
{
	uint64_t *seqs;
	size_t i, n = 0;

	l->own_seq_max = UINT64_MAX;
	if (l->failures <= OWN_MAX)
		return 0;
	seqs = malloc(l->failures * sizeof *seqs);
	if (seqs == NULL)
		return -1;
	for (i = 0; i < t->n; i++)
		if (tl_is_failure(t->jobs[i].outcome))
			seqs[n++] = t->jobs[i].seq;
	qsort(seqs, n, sizeof *seqs, seq_cmp);
	l->own_seq_max = seqs[OWN_MAX - 1];
	free(seqs);
	return 0;
}

static bool
slower(const struct timeline_entry *a, const struct timeline_entry *b)
{
	double da = a->end - a->start, db = b->end - b->start;

	return da > db || (da == db && a->seq < b->seq);
}

static void
note_slowest(struct tl_layout *l, const struct timeline *t, size_t idx)
{
	size_t i;

	if (l->nslowest == SLOWEST &&
	    !slower(&t->jobs[idx], &t->jobs[l->slowest[SLOWEST - 1]]))
		return;
	i = l->nslowest < SLOWEST ? l->nslowest++ : SLOWEST - 1;
	for (; i > 0 && slower(&t->jobs[idx], &t->jobs[l->slowest[i - 1]]); i--)
		l->slowest[i] = l->slowest[i - 1];
	l->slowest[i] = idx;
}

int
tl_layout_make(struct tl_layout *l, const struct timeline *t)
{
	const struct timeline_entry *e;
	size_t i, npacked = 0, nslot = 0;
	double t1;

	memset(l, 0, sizeof *l);
	l->n = t->n;
	if (t->n == 0)
		return 0;
	l->order = malloc(t->n * sizeof *l->order);
	if (l->order == NULL)
		return -1;
	l->t0 = t->jobs[0].start;
	t1 = t->jobs[0].end;
	for (i = 0; i < t->n; i++) {
		e = &t->jobs[i];
		if (e->slot > l->slot_rows)
			l->slot_rows = e->slot;
		l->t0 = e->start < l->t0 ? e->start : l->t0;
		t1 = e->end > t1 ? e->end : t1;
		l->busy += e->end - e->start;
		l->counts[e->outcome]++;
		l->failures += tl_is_failure(e->outcome);
		/* The slowest jobs, not tries: a retried try is not one. */
		if (e->outcome != TIMELINE_RETRIED)
			note_slowest(l, t, i);
	}
	l->wall = t1 - l->t0;
	/* Slotted jobs first, then the packed ones at the end of order. */
	for (i = 0; i < t->n; i++) {
		e = &t->jobs[i];
		struct tl_key k = {e->slot > 0 ? e->slot - 1 : 0, e->start,
		                   e->end, e->seq, i};
		if (e->slot > 0)
			l->order[nslot++] = k;
		else
			l->order[t->n - ++npacked] = k;
	}
	l->rows = l->slot_rows;
	if (npacked > 0 && pack_rows(l, l->order + nslot, npacked) == -1)
		return -1;
	qsort(l->order, t->n, sizeof *l->order, key_cmp);
	return own_limit(l, t);
}

bool
tl_keeps_own_bar(const struct tl_layout *l, const struct timeline *t,
                 size_t idx)
{
	const struct timeline_entry *e = &t->jobs[idx];
	size_t i;

	if (tl_is_failure(e->outcome) && e->seq <= l->own_seq_max)
		return true;
	for (i = 0; i < l->nslowest; i++)
		if (l->slowest[i] == idx)
			return true;
	return false;
}
