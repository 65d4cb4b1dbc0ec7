/* Job slots: the lowest free slot, never one slot twice, round robin for
 * a dry run. */
#include "config.h"

#include <stdlib.h>

#include "slots.h"
#include "tap.h"

int
main(void)
{
	struct slots s;
	unsigned held[8] = {0}, i, k, round;
	int good = 1;

	ok(slots_init(&s, 3, false) == 0, "init");
	ok(slots_take(&s) == 1 && slots_take(&s) == 2 && slots_take(&s) == 3,
	   "1, 2, 3 in turn");
	ok(slots_take(&s) == 0, "none left: 0");
	slots_put(&s, 2);
	ok(slots_take(&s) == 2, "a slot given back is taken again");
	slots_put(&s, 3);
	slots_put(&s, 1);
	ok(slots_take(&s) == 1 && slots_take(&s) == 3,
	   "the lowest free slot first");
	slots_put(&s, 0);
	slots_put(&s, 9);
	ok(slots_take(&s) == 0, "0 and out-of-range slots are ignored");
	slots_free(&s);

	/* Random takes and puts: a slot is never held twice. */
	srand(7);
	ok(slots_init(&s, 8, false) == 0, "init 8");
	for (round = 0; round < 10000; round++) {
		if (rand() % 2) {
			k = slots_take(&s);
			if (k > 8 || (k != 0 && held[k - 1]))
				good = 0;
			if (k != 0)
				held[k - 1] = 1;
		} else {
			i = (unsigned)rand() % 8;
			if (held[i]) {
				held[i] = 0;
				slots_put(&s, i + 1);
			}
		}
	}
	ok(good, "10,000 random takes and puts: never one slot twice");
	slots_free(&s);

	ok(slots_init(&s, 3, true) == 0, "round robin (dry run)");
	good = 1;
	for (i = 0; i < 9; i++)
		if (slots_take(&s) != i % 3 + 1)
			good = 0;
	ok(good, "a dry run takes 1, 2, 3, 1, 2, 3, ...");
	slots_free(&s);

	ok(slots_init(&s, 8, false) == 0, "8 slots");
	ok(slots_take(&s) == 1 && slots_take(&s) == 2, "1 and 2 taken");
	slots_drop(&s, 5);
	slots_drop(&s, 3);
	slots_drop(&s, 2); /* taken: not there to drop */
	slots_put(&s, 1);
	ok(slots_take(&s) == 1 && slots_take(&s) == 4 && slots_take(&s) == 6 &&
	       slots_take(&s) == 7 && slots_take(&s) == 8 &&
	       slots_take(&s) == 0,
	   "dropped slots 3 and 5 are no longer given; the rest in order");
	slots_free(&s);

	ok(slots_init(&s, 4, false) == 0, "4 slots (--onall: one a host)");
	ok(slots_is_free(&s, 3) && slots_take_this(&s, 3) &&
	       !slots_is_free(&s, 3),
	   "slot 3 taken itself: no longer free");
	ok(!slots_take_this(&s, 3), "slot 3 again: not free");
	ok(slots_take(&s) == 1 && slots_take(&s) == 2 && slots_take(&s) == 4 &&
	       slots_take(&s) == 0,
	   "the others are given in order, 3 not among them");
	slots_put(&s, 3);
	ok(slots_take_this(&s, 3), "slot 3 put back: taken itself again");
	slots_free(&s);
	return tap_done();
}
