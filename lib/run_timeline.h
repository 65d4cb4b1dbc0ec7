/*
 * --timeline for a run: the file the picture goes to, and what each job
 * adds to it.  The picture is written to a temporary file beside the
 * named one and renamed over it at the end, so a run that cannot write
 * there fails before its first job, and a reader never sees half a file.
 * Messages are printed here (msg_warn); functions give 0 or -1.
 */
#ifndef PMAPF_RUN_TIMELINE_H
#define PMAPF_RUN_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "job.h"
#include "timeline.h"

struct run_timeline {
	const char *path; /* NULL: no --timeline */
	char *tmp;        /* where it is written first */
	int fd;
	struct timeline tl;
	size_t lost; /* jobs left out for want of memory */
	/* When each slot's last job ended: a worker is given tasks ahead,
	 * and works on one only once it has answered the one before. */
	double *slot_end;
	size_t nslots;
};

/* Create the temporary file beside path (path NULL: nothing to do). */
int run_timeline_open(struct run_timeline *rt, const char *path);
/* One try of a job ended (by_us: pmapf ended it; retried: it runs
 * again); now: monotonic, as j->t.started. */
void run_timeline_note(struct run_timeline *rt, const struct job *j, bool by_us,
                       bool retried, double now);
/* Draw, write and rename into place; then as run_timeline_discard. */
int run_timeline_commit(struct run_timeline *rt, const char *title);
/* Remove the temporary file if it is still there; free everything. */
void run_timeline_discard(struct run_timeline *rt);

/* --from-joblog: draw the joblog at log into the picture at svg. */
int run_timeline_from_joblog(const char *log, const char *svg);

#endif
