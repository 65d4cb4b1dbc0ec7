#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "reorder.h"
#include "tap.h"

/* Items are fake jobs: their sequence numbers cast to pointers. */
#define ITEM(n) ((void *)(uintptr_t)(n))
#define SEQ(p)  ((uint64_t)(uintptr_t)(p))

int
main(void)
{
	struct reorder r;
	uint64_t order[1000], i, j, t, popped, expect;
	void *p;
	int good;

	reorder_init(&r, true);
	ok(reorder_pop(&r) == NULL, "empty pops nothing");
	reorder_push(&r, 2, ITEM(2));
	reorder_push(&r, 3, ITEM(3));
	ok(reorder_pop(&r) == NULL && reorder_waiting_for(&r) == 1,
	   "ordered: held behind #1");
	reorder_push(&r, 1, ITEM(1));
	ok(SEQ(reorder_pop(&r)) == 1 && SEQ(reorder_pop(&r)) == 2 &&
	       SEQ(reorder_pop(&r)) == 3 && reorder_pop(&r) == NULL,
	   "ordered: releases the run 1,2,3");
	reorder_free(&r);

	/* Shuffled pushes of 1000 items come out in order, across growth. */
	for (i = 0; i < 1000; i++)
		order[i] = i + 1;
	srand(7);
	for (i = 999; i > 0; i--) {
		j = (uint64_t)rand() % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	reorder_init(&r, true);
	good = 1;
	popped = 0;
	expect = 1;
	for (i = 0; i < 1000; i++) {
		reorder_push(&r, order[i], ITEM(order[i]));
		while ((p = reorder_pop(&r)) != NULL) {
			if (SEQ(p) != expect++)
				good = 0;
			popped++;
		}
	}
	ok(good && popped == 1000, "ordered: 1000 shuffled come out sorted");
	ok(reorder_held(&r) == 0, "nothing left held");
	reorder_free(&r);

	reorder_init(&r, false);
	reorder_push(&r, 5, ITEM(5));
	reorder_push(&r, 2, ITEM(2));
	ok(SEQ(reorder_pop(&r)) == 5 && SEQ(reorder_pop(&r)) == 2 &&
	       reorder_pop(&r) == NULL,
	   "unordered: first finished, first out");
	reorder_free(&r);

	reorder_init(&r, true);
	reorder_push(&r, 3, ITEM(3));
	reorder_push(&r, 40, ITEM(40));
	ok(SEQ(reorder_take_any(&r)) + SEQ(reorder_take_any(&r)) == 43 &&
	       reorder_take_any(&r) == NULL,
	   "take_any empties a gapped buffer");
	reorder_free(&r);
	return tap_done();
}
