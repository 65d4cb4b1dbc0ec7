/*
 * A first-in first-out queue of tasks given to one worker, each an
 * opaque pointer with the caller's id: a worker answers in the order it
 * was given, so its oldest task is the one an answer belongs to.
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_TASKQ_H
#define PMAPF_TASKQ_H

#include <stddef.h>
#include <stdint.h>

struct taskq_item {
	void *task;
	uint64_t id;
};

struct taskq {
	struct taskq_item *ring;
	size_t head, count, cap;
};

#define TASKQ_INIT                                                             \
	{                                                                      \
		NULL, 0, 0, 0                                                  \
	}

/* Add at the end; -1 (ENOMEM) and the queue unchanged. */
int taskq_push(struct taskq *q, void *task, uint64_t id);
/* Room for n more, so that pushing them cannot fail; as taskq_push. */
int taskq_reserve(struct taskq *q, size_t n);
/* Take the oldest; the queue must not be empty. */
struct taskq_item taskq_pop(struct taskq *q);
void taskq_free(struct taskq *q);

#endif
