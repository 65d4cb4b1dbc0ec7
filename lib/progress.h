/*
 * Progress rendering, pure: a snapshot of the run and a clock in, bytes
 * out.  Nothing here writes, reads the time or looks at a terminal.
 */
#ifndef PMAPF_PROGRESS_H
#define PMAPF_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

/* -S: one host's jobs, for the display. */
struct progress_host {
	const char *name;
	uint64_t running, done;
};

struct progress_view {
	double elapsed;     /* seconds since the run started */
	uint64_t done;      /* jobs finished, failed or not */
	uint64_t emitted;   /* jobs whose output has been written */
	uint64_t running;   /* jobs started and not finished */
	uint64_t failed;    /* finished jobs that failed */
	uint64_t read;      /* records read so far */
	bool total_known;   /* input ended, or --total given */
	uint64_t total;     /* valid when total_known */
	bool eof;           /* input has ended */
	bool ordered;       /* output in input order */
	uint64_t waiting;   /* ordered: output held behind this job, or 0 */
	double waiting_age; /* its age in seconds, < 0 if not started */
	double rate;        /* jobs per second, < 0 unknown */
	double eta;         /* seconds left, < 0 unknown */
	bool final;         /* the run is over */
	/* --pipe: stdin's bytes taken so far, and in all (0: unknown). */
	bool piped;
	uint64_t bytes_in, bytes_total;
	/* -S with several hosts: each one's running and done jobs. */
	const struct progress_host *hosts;
	size_t nhosts;
};

/*
 * Completion rate as tqdm smooths it: exponential moving averages of the
 * jobs done and the time taken between samples, blended toward the
 * whole-run average so a burst or a stall does not swing the ETA.
 */
struct rate_est {
	double last_t;
	uint64_t last_n;
	double ema_dn, ema_dt;
	bool have;
};

void rate_init(struct rate_est *r, double elapsed, uint64_t done);
void rate_sample(struct rate_est *r, double elapsed, uint64_t done);
/* Jobs per second, or -1 before the first completion; final: average. */
double rate_value(const struct rate_est *r, double elapsed, uint64_t done,
                  bool final);
/* Seconds left at rate for the rest of total, or -1 if unknown. */
double progress_eta(const struct progress_view *v);

/* "MM:SS" under an hour, "H:MM:SS" from there; "?" if negative. */
void progress_duration(char *out, size_t size, double seconds);

/* One bar frame, "\r" + line + "\033[K", fitted to width columns minus
 * three (so neither the cursor nor an echoed ^C wraps).  utf8: eighth
 * blocks, else '#'. */
int progress_render_bar(struct buf *out, const struct progress_view *v,
                        int width, bool utf8);
/* One log line, newline-terminated, "pmapf: 3/5 60% running=2 ...". */
int progress_render_plain(struct buf *out, const struct progress_view *v);
/* One JSON object on one line. */
int progress_render_json(struct buf *out, const struct progress_view *v);

#endif
