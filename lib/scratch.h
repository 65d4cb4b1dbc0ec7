/*
 * The run's own directory for the files jobs are given (--cat's blocks,
 * --fifo's FIFOs): made in TMPDIR, named by its absolute path, so that
 * whoever outlives pmapf (its guardian, after a SIGKILL) can remove it.
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_SCRATCH_H
#define PMAPF_SCRATCH_H

/* A new directory pmapf-XXXXXX in parent (mode 0700); *dir, malloc'd,
 * its absolute path. */
int scratch_make(const char *parent, char **dir);
/* Remove what pmapf makes in dir (names starting "pmapf-") and dir
 * itself, if then empty.  Keeps errno. */
void scratch_remove(const char *dir);

#endif
