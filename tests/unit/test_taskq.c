/* The task queue of one worker: first in, first out, across growth and
 * wrap-around. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "taskq.h"

int
main(void)
{
	struct taskq q = TASKQ_INIT;
	struct taskq_item t;
	uint64_t next_in = 1, next_out = 1;
	int tag = 0, good = 1, round;

	ok(taskq_push(&q, &tag, 7) == 0 && q.count == 1, "push one");
	t = taskq_pop(&q);
	ok(t.task == &tag && t.id == 7 && q.count == 0,
	   "pop gives it back, task and id");

	/* Pushes and pops in random runs: ids come out in the order they
	 * went in, whatever the ring's head and size. */
	srand(11);
	for (round = 0; round < 20000; round++) {
		if (rand() % 3 != 0 || q.count == 0) {
			if (taskq_push(&q, (void *)(uintptr_t)next_in,
			               next_in) != 0)
				good = 0;
			next_in++;
		} else {
			t = taskq_pop(&q);
			if (t.id != next_out ||
			    (uintptr_t)t.task != (uintptr_t)next_out)
				good = 0;
			next_out++;
		}
	}
	ok(good, "first in, first out over 20000 random pushes and pops");
	ok(q.count == next_in - next_out,
	   "count is what was pushed, not popped");
	while (q.count > 0)
		if (taskq_pop(&q).id != next_out++)
			good = 0;
	ok(good && next_out == next_in, "the rest drains in order");

	/* Room reserved is room kept: the pushes it was made for move
	 * nothing, with the ring wrapped. */
	for (round = 0; round < 10; round++)
		(void)taskq_push(&q, NULL, (uint64_t)round);
	(void)taskq_pop(&q);
	ok(taskq_reserve(&q, 100) == 0 && q.cap - q.count >= 100,
	   "reserve: room for 100 more");
	{
		const struct taskq_item *ring = q.ring;

		for (round = 10; round < 110; round++)
			(void)taskq_push(&q, NULL, (uint64_t)round);
		ok(q.ring == ring && q.count == 109,
		   "reserve: 100 pushes after it move nothing");
	}
	for (round = 1; round < 110; round++)
		if (taskq_pop(&q).id != (uint64_t)round)
			good = 0;
	ok(good && q.count == 0, "reserve: all come out in order");
	taskq_free(&q);
	ok(q.ring == NULL && q.count == 0 && q.cap == 0, "freed");
	return tap_done();
}
