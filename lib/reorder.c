#include "config.h"

#include "reorder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
reorder_init(struct reorder *r, bool ordered)
{
	memset(r, 0, sizeof *r);
	r->ordered = ordered;
	r->next = 1;
}

void
reorder_free(struct reorder *r)
{
	free(r->ring);
	r->ring = NULL;
	r->cap = r->count = 0;
}

/* Grow so ring index offsets up to `need` fit, keeping positions. */
static int
grow(struct reorder *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 16, i;
	void **ring;

	while (cap <= need)
		cap *= 2;
	if (cap == r->cap)
		return 0;
	ring = calloc(cap, sizeof *ring);
	if (ring == NULL)
		return -1;
	for (i = 0; i < r->cap; i++)
		ring[i] = r->ring[(r->head + i) & (r->cap - 1)];
	free(r->ring);
	r->ring = ring;
	r->cap = cap;
	r->head = 0;
	return 0;
}

int
reorder_push(struct reorder *r, uint64_t seq, void *item)
{
	size_t off;

	if (r->ordered) {
		if (seq < r->next) {
			errno = EINVAL;
			return -1;
		}
		if (seq - r->next >= SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		off = (size_t)(seq - r->next);
	} else {
		off = r->count;
	}
	if (off >= r->cap && grow(r, off) == -1)
		return -1;
	r->ring[(r->head + off) & (r->cap - 1)] = item;
	r->count++;
	return 0;
}

void *
reorder_pop(struct reorder *r)
{
	void *item;

	if (r->count == 0)
		return NULL;
	item = r->ring[r->head];
	if (item == NULL)
		return NULL;
	r->ring[r->head] = NULL;
	r->head = (r->head + 1) & (r->cap - 1);
	r->count--;
	r->next++;
	return item;
}

void
reorder_skip(struct reorder *r)
{
	if (!r->ordered)
		return;
	if (r->cap > 0) {
		r->ring[r->head] = NULL;
		r->head = (r->head + 1) & (r->cap - 1);
	}
	r->next++;
}

uint64_t
reorder_waiting_for(const struct reorder *r)
{
	return r->next;
}

size_t
reorder_held(const struct reorder *r)
{
	return r->count;
}

void *
reorder_take_any(struct reorder *r)
{
	size_t i;
	void *item;

	for (i = 0; r->count > 0 && i < r->cap; i++) {
		item = r->ring[i];
		if (item != NULL) {
			r->ring[i] = NULL;
			r->count--;
			return item;
		}
	}
	return NULL;
}
