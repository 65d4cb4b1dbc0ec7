/*
 * The built-in task, kept from the Python demo pmapf grew out of:
 * sleep x/3 seconds, then print x+1.  Pure: record in, text and sleep out;
 * the worker process does the sleeping.
 */
#ifndef PMAPF_SLOWADD_H
#define PMAPF_SLOWADD_H

#include <stddef.h>

#include "buf.h"

/*
 * Compute the answer for one record.  On success appends "x+1\n" to out,
 * sets *sleep_s (already multiplied by time_scale) and returns 0.  On bad
 * input appends a short reason ("not a number") to why and returns -1.
 * Allocation failure: -1 with nothing appended to why and errno ENOMEM.
 */
int slowadd_compute(const char *rec, size_t len, double time_scale,
                    struct buf *out, double *sleep_s, struct buf *why);

/* Python's repr() of a finite double: shortest round-trip digits. */
int slowadd_format_double(struct buf *out, double v);

#endif
