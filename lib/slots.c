#include "config.h"

#include "slots.h"

#include <stdlib.h>

static void
heap_push(struct slots *s, unsigned k)
{
	size_t i = s->nfree++;

	while (i > 0 && s->free[(i - 1) / 2] > k) {
		s->free[i] = s->free[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->free[i] = k;
}

static unsigned
heap_pop(struct slots *s)
{
	unsigned top = s->free[0], last = s->free[--s->nfree];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < s->nfree) {
		if (c + 1 < s->nfree && s->free[c + 1] < s->free[c])
			c++;
		if (last <= s->free[c])
			break;
		s->free[i] = s->free[c];
		i = c;
	}
	if (s->nfree > 0)
		s->free[i] = last;
	return top;
}

int
slots_init(struct slots *s, unsigned n, bool round_robin)
{
	unsigned k;

	s->n = n;
	s->nfree = 0;
	s->round_robin = round_robin;
	s->free = calloc(n ? n : 1, sizeof *s->free);
	if (s->free == NULL)
		return -1;
	/* Ascending order is already a min-heap. */
	for (k = 1; k <= n; k++)
		s->free[s->nfree++] = k;
	return 0;
}

void
slots_free(struct slots *s)
{
	free(s->free);
	s->free = NULL;
	s->nfree = s->n = 0;
}

unsigned
slots_take(struct slots *s)
{
	unsigned k;

	if (s->nfree == 0 && s->round_robin)
		for (k = 1; k <= s->n; k++)
			heap_push(s, k);
	return s->nfree > 0 ? heap_pop(s) : 0;
}

void
slots_put(struct slots *s, unsigned k)
{
	if (k == 0 || k > s->n || s->round_robin || s->nfree == s->n)
		return;
	heap_push(s, k);
}

/* Take k out of the free slots: false if it was not there. */
static bool
take_out(struct slots *s, unsigned k)
{
	unsigned i, m = 0, n = s->nfree;

	for (i = 0; i < n; i++)
		if (s->free[i] != k)
			s->free[m++] = s->free[i];
	if (m == n)
		return false;
	/* Rare (a host going down): the heap is built again.  Pushing
	 * entry i writes no entry past i. */
	s->nfree = 0;
	for (i = 0; i < m; i++)
		heap_push(s, s->free[i]);
	return true;
}

void
slots_drop(struct slots *s, unsigned k)
{
	(void)take_out(s, k);
}

bool
slots_take_this(struct slots *s, unsigned k)
{
	return take_out(s, k);
}

bool
slots_is_free(const struct slots *s, unsigned k)
{
	unsigned i;

	for (i = 0; i < s->nfree; i++)
		if (s->free[i] == k)
			return true;
	return false;
}
