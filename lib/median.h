/*
 * A running median (--timeout N%: of the runtimes of the jobs that
 * succeeded so far): two heaps, O(log n) per value.  Pure.
 */
#ifndef PMAPF_MEDIAN_H
#define PMAPF_MEDIAN_H

#include <stddef.h>

struct median {
	double *low;  /* max-heap: the smaller half */
	double *high; /* min-heap: the larger half */
	size_t nlow, nhigh, caplow, caphigh;
};

#define MEDIAN_INIT                                                            \
	{                                                                      \
		NULL, NULL, 0, 0, 0, 0                                         \
	}

/* 0, or -1 (out of memory: the value is not counted). */
int median_add(struct median *m, double v);
/* The median so far (the lower of the middle two for an even count, as
 * GNU parallel takes it); 0 with none. */
double median_get(const struct median *m);
size_t median_count(const struct median *m);
void median_free(struct median *m);

#endif
