#include "config.h"

#include "taskq.h"

#include <errno.h>
#include <stdlib.h>

int
taskq_reserve(struct taskq *q, size_t n)
{
	struct taskq_item *ring;
	size_t cap, i;

	if (q->cap - q->count >= n)
		return 0;
	for (cap = q->cap ? q->cap : 16; cap - q->count < n; cap *= 2)
		if (cap > SIZE_MAX / 2 / sizeof *ring) {
			errno = ENOMEM;
			return -1;
		}
	ring = malloc(cap * sizeof *ring);
	if (ring == NULL)
		return -1;
	/* Unwrapped on the way: the oldest lands at 0. */
	for (i = 0; i < q->count; i++)
		ring[i] = q->ring[(q->head + i) % q->cap];
	free(q->ring);
	q->ring = ring;
	q->cap = cap;
	q->head = 0;
	return 0;
}

int
taskq_push(struct taskq *q, void *task, uint64_t id)
{
	if (taskq_reserve(q, 1) == -1)
		return -1;
	q->ring[(q->head + q->count) % q->cap].task = task;
	q->ring[(q->head + q->count) % q->cap].id = id;
	q->count++;
	return 0;
}

struct taskq_item
taskq_pop(struct taskq *q)
{
	struct taskq_item t = q->ring[q->head];

	q->head = (q->head + 1) % q->cap;
	q->count--;
	return t;
}

void
taskq_free(struct taskq *q)
{
	free(q->ring);
	q->ring = NULL;
	q->head = q->count = q->cap = 0;
}
