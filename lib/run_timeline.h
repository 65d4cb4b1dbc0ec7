/*
 * --timeline for a run: the file the picture goes to, and what each job
 * adds to it.  The file is opened (created if need be) as the run
 * starts, so one that cannot be written fails the run before its first
 * job, and written only as the run ends; one the run created and did not
 * write is removed.  "-" is standard output (for --from-joblog).
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
	int fd;
	bool created; /* by this run, and not yet written */
	struct timeline tl;
	size_t lost; /* jobs left out for want of memory */
	/* When each slot's last job ended: a worker is given tasks ahead,
	 * and works on one only once it has answered the one before. */
	double *slot_end;
	size_t nslots;
};

/* Open path for writing (path NULL: nothing to do).  Refused: what
 * cannot be opened for writing (a directory, say), or the same file as
 * other (a joblog; NULL: none). */
int run_timeline_open(struct run_timeline *rt, const char *path,
                      const char *other);
/* One try of a job ended (by_us: pmapf ended it; retried: it runs
 * again); now: monotonic, as j->t.started. */
void run_timeline_note(struct run_timeline *rt, const struct job *j, bool by_us,
                       bool retried, double now);
/* Draw and write; then as run_timeline_discard. */
int run_timeline_commit(struct run_timeline *rt, const char *title);
/* Close; remove the file if this run created it and did not write it;
 * free everything. */
void run_timeline_discard(struct run_timeline *rt);

/* --from-joblog: draw the joblog at log into the picture at svg. */
int run_timeline_from_joblog(const char *log, const char *svg);

#endif
