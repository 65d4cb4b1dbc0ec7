/*
 * Job slots 1..N, the only source of {%}: a job takes the lowest free
 * slot when it starts and puts it back when its process has ended.
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_SLOTS_H
#define PMAPF_SLOTS_H

#include <stdbool.h>

struct slots {
	unsigned *free; /* a min-heap of free slot numbers */
	unsigned nfree, n;
	/* A dry run: nothing runs, so a slot comes back only once every
	 * slot is taken, giving 1..N in turn as N equal jobs would. */
	bool round_robin;
};

int slots_init(struct slots *s, unsigned n, bool round_robin);
void slots_free(struct slots *s);
/* The lowest free slot, or 0 if all are taken. */
unsigned slots_take(struct slots *s);
/* Give slot k back (0 is ignored). */
void slots_put(struct slots *s, unsigned k);
/* Slot k is no longer given (-S: its host is down), if it is free now;
 * a taken one is simply not put back. */
void slots_drop(struct slots *s, unsigned k);
/* Take slot k itself (--onall: its host's one slot): false if it is not
 * free. */
bool slots_take_this(struct slots *s, unsigned k);
/* True if slot k is free. */
bool slots_is_free(const struct slots *s, unsigned k);

#endif
