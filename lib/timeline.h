/*
 * --timeline: the jobs of a run drawn as an SVG, one row per job slot, one
 * bar per job from its start to its end, coloured by outcome, with its
 * seq, record, runtime and exit in a tooltip (<title>); a time axis, a
 * legend and a summary line.
 *
 * A struct timeline collects jobs (timeline_add, or timeline_from_joblog
 * for a GNU parallel or pmapf joblog); timeline_render is pure: the jobs
 * in, the bytes of the SVG out, the same bytes for the same jobs (no
 * clock, no locale).
 *
 * Every function returning int gives 0, or -1 with errno set; nothing
 * here prints or exits.
 */
#ifndef PMAPF_TIMELINE_H
#define PMAPF_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* What became of a job, as its bar's colour says. */
enum timeline_outcome {
	TIMELINE_OK,
	TIMELINE_FAILED,    /* non-zero exit, or could not start */
	TIMELINE_TIMED_OUT, /* ended by --timeout */
	TIMELINE_KILLED,    /* ended by a signal */
	TIMELINE_RETRIED,   /* a failed try that was tried again: the job's
	                       later try has a bar of its own */
};

/* At most this many bytes of a job's record are kept (and shown). */
#define TIMELINE_RECORD_MAX 200

struct timeline_job {
	uint64_t seq;
	unsigned slot;     /* 1..N; 0 = unknown: rows are packed by time */
	double start, end; /* seconds, any epoch, end >= start */
	enum timeline_outcome outcome;
	int exitval; /* for FAILED and RETRIED */
	int signal;  /* for KILLED and TIMED_OUT, or 0 */
	const char *record;
	size_t record_len;
	/* The record's whole length when record is only its first bytes,
	 * so the tooltip can say it was cut; 0 means record_len. */
	size_t record_full_len;
};

struct timeline_entry; /* a kept job: see timeline_layout.h */

struct timeline {
	struct timeline_entry *jobs;
	size_t n, cap;
	struct buf records; /* the kept record prefixes, back to back */
};

#define TIMELINE_INIT                                                          \
	{                                                                      \
		NULL, 0, 0, BUF_INIT                                           \
	}

struct timeline_opts {
	const char *title;   /* first line of the picture; NULL: "pmapf" */
	unsigned plot_width; /* pixels for the time axis; 0: 1200 */
};

void timeline_init(struct timeline *t);
/* Copy a job in (its record cut to TIMELINE_RECORD_MAX bytes).  0, or
 * -1/ENOMEM, or -1/EINVAL for a start or end that is not finite or an
 * end before the start. */
int timeline_add(struct timeline *t, const struct timeline_job *job);
void timeline_free(struct timeline *t);

/*
 * Add the jobs of a joblog's text (len bytes at data): its header lines
 * are skipped; a row's Command is its record (NUL read as newline); the
 * outcome is ok for Exitval 0 and Signal 0, timed out for Exitval -1 (as
 * pmapf writes --timeout), killed for another non-zero Signal, failed
 * otherwise.  A joblog has no slot column: its rows are packed.  A last
 * line without its newline was torn by a crash and is left out, as
 * --resume does.  0, or -1/EINVAL with *bad_line set to the 1-based
 * number of the first line that is not a row (the jobs before it stay
 * added), or -1/ENOMEM.
 */
int timeline_from_joblog(struct timeline *t, const char *data, size_t len,
                         size_t *bad_line);

/*
 * Append the SVG to out.  Rows: slot N is row N; jobs without a slot are
 * packed below them, each into the lowest row free at its start, so
 * there are as many packed rows as the most of them that ran at once.
 * The busy share is the sum of job runtimes over rows times wall time.
 * The size is bounded by rows times plot width, not by jobs: see
 * timeline_layout.h.  0, or -1/ENOMEM with out as it was.
 */
int timeline_render(const struct timeline *t, struct buf *out,
                    const struct timeline_opts *opts);

#endif
