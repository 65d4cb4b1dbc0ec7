/*
 * --fifo: each job's block goes through a named pipe, the job's value
 * ({}), instead of its stdin.  pmapf holds the FIFO open at both ends
 * from the start, so the job opens it at once and bytes can go in before
 * it does; its input ends only after it has opened the FIFO (inotify
 * says when), since closing before would lose what waits in it.  A job
 * that never opens its FIFO loses its block when it ends (GNU parallel
 * waits forever).
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_FIFOS_H
#define PMAPF_FIFOS_H

#include <stddef.h>

#include "job.h"

struct fifos {
	const char *dir;
	int notify_fd;     /* inotify: a job opened its FIFO */
	struct job **wait; /* jobs that have not opened theirs yet */
	size_t n, cap;
	unsigned long made;
};

int fifos_init(struct fifos *f, const char *dir);
void fifos_free(struct fifos *f);
/* j's FIFO, made and opened: j->route.in_fd writes into it. */
int fifos_make(struct fifos *f, struct job *j);
/* j is finished or dropped. */
void fifos_forget(struct fifos *f, struct job *j);
/* The descriptor to read once a job opens its FIFO, or -1; its read. */
int fifos_fd(const struct fifos *f);
int fifos_read(struct fifos *f);

#endif
