/*
 * Bytes into a job's stdin (--pipe and its kin): written while its pipe
 * takes them, kept in its `in` spool (memory, then the spool file) while
 * it is full, and sent from there as it frees up.  A job that closes its
 * stdin drops what was meant for it, as any reader that stops early.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_JOBIN_H
#define PMAPF_JOBIN_H

#include <stddef.h>

#include "job.h"
#include "spool.h"

/* Its whole input has been given: its stdin ends once nothing waits
 * for it (a job not started yet: once it starts, in jobin_send). */
void jobin_whole(struct job *j);
/*
 * Its stdin pipe was found full at `now`: look for room again only once
 * it has had time to read about a quarter of the pipe, at the rate it
 * has read so far.  A slow reader (gzip takes 32 KiB a read) then wakes
 * pmapf once per quarter pipe rather than once per read, and a fast one
 * (wc -l: tens of microseconds a quarter) is not written to while it
 * reads: a write then waits on the pipe's lock, spinning.  One not yet
 * timed is not made to wait.
 */
void jobin_full(struct job *j, double now);
/* When to look at its stdin for room: 0 at once, else no sooner. */
double jobin_wake(const struct job *j);
/* It took no more (or failed): nothing more goes to it. */
void jobin_gone(struct spool_file *spill, struct job *j);
/* What fits of p[0..n) into its stdin now: bytes written (0: full). */
size_t jobin_write(struct spool_file *spill, struct job *j, const char *p,
                   size_t n);
/* p[0..n) for it: into its stdin, the rest kept in its spool. */
int jobin_put(struct spool_file *spill, struct job *j, const char *p, size_t n);
/* Its stdin can take more: what waits goes in (chunk: room to read the
 * spool file back into); its input ends once all of it is in
 * (in_whole). */
int jobin_send(struct spool_file *spill, struct job *j, char *chunk,
               size_t size);

/* --retries: its whole block again, from its kept copy (which stays,
 * for another try). */
int jobin_again(struct spool_file *spill, struct job *j, char *chunk,
                size_t size);

#endif
