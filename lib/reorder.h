/*
 * Output ordering.  Finished jobs are pushed by sequence number (1, 2, ...
 * in input order); pop hands back what may be written now: in ordered
 * mode only the unbroken run from the next expected number, in unordered
 * mode everything, first finished first.  Items are the caller's.
 */
#ifndef PMAPF_REORDER_H
#define PMAPF_REORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reorder {
	void **ring;
	size_t cap;    /* power of two */
	size_t head;   /* ring index of seq `next` (ordered) or oldest */
	size_t count;  /* items held */
	uint64_t next; /* ordered: the sequence number to write next */
	bool ordered;
};

void reorder_init(struct reorder *r, bool ordered);
void reorder_free(struct reorder *r);
/* Hold a finished item.  0, or -1/ENOMEM.  Ordered: seq >= next, unique. */
int reorder_push(struct reorder *r, uint64_t seq, void *item);
/* The next item that may be written, or NULL. */
void *reorder_pop(struct reorder *r);
/* Ordered: the item for `next` went out without being pushed. */
void reorder_skip(struct reorder *r);
/* Ordered: the sequence number output waits for. */
uint64_t reorder_waiting_for(const struct reorder *r);
size_t reorder_held(const struct reorder *r);
/* Any held item, ready or not (to free everything at the end), or NULL. */
void *reorder_take_any(struct reorder *r);

#endif
