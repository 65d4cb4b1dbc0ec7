#include "config.h"

#include "median.h"

#include <stdbool.h>
#include <stdlib.h>

/* Heap order: max-heap when max, else min-heap. */
static bool
above(double a, double b, bool max)
{
	return max ? a > b : a < b;
}

static int
push(double **h, size_t *n, size_t *cap, double v, bool max)
{
	size_t i, parent;
	double *grown, t;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;

		if ((grown = realloc(*h, c * sizeof *grown)) == NULL)
			return -1;
		*h = grown;
		*cap = c;
	}
	i = (*n)++;
	(*h)[i] = v;
	while (i > 0 && above((*h)[i], (*h)[parent = (i - 1) / 2], max)) {
		t = (*h)[i];
		(*h)[i] = (*h)[parent];
		(*h)[parent] = t;
		i = parent;
	}
	return 0;
}

static double
pop(double *h, size_t *n, bool max)
{
	double top = h[0], t;
	size_t i = 0, c;

	h[0] = h[--*n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && above(h[c + 1], h[c], max))
			c++;
		if (!above(h[c], h[i], max))
			break;
		t = h[i];
		h[i] = h[c];
		h[c] = t;
		i = c;
	}
	return top;
}

int
median_add(struct median *m, double v)
{
	/* Invariant: nlow == nhigh or nlow == nhigh + 1, and every low <=
	 * every high; so low's top is the (lower) median. */
	if (m->nlow == 0 || v <= m->low[0]) {
		if (push(&m->low, &m->nlow, &m->caplow, v, true) == -1)
			return -1;
	} else if (push(&m->high, &m->nhigh, &m->caphigh, v, false) == -1) {
		return -1;
	}
	/* Rebalance; a push that cannot grow leaves the value uncounted
	 * but the heaps consistent. */
	if (m->nlow > m->nhigh + 1) {
		v = pop(m->low, &m->nlow, true);
		if (push(&m->high, &m->nhigh, &m->caphigh, v, false) == -1)
			return -1;
	} else if (m->nhigh > m->nlow) {
		v = pop(m->high, &m->nhigh, false);
		if (push(&m->low, &m->nlow, &m->caplow, v, true) == -1)
			return -1;
	}
	return 0;
}

double
median_get(const struct median *m)
{
	return m->nlow > 0 ? m->low[0] : 0;
}

size_t
median_count(const struct median *m)
{
	return m->nlow + m->nhigh;
}

void
median_free(struct median *m)
{
	free(m->low);
	free(m->high);
	*m = (struct median)MEDIAN_INIT;
}
