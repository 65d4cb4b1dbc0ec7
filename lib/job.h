/*
 * A job: what it is (its sequence number and records), the state of its
 * current try, and how it ended, as three separate parts.  Jobs are
 * recycled through a small cache so a run of a million tiny jobs costs no
 * allocation per job.
 *
 * Error convention: functions returning int give 0, or -1 with errno set.
 */
#ifndef PMAPF_JOB_H
#define PMAPF_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "frame.h"
#include "spool.h"
#include "sshlogin.h"

enum job_how { JOB_SPAWNED, JOB_POOLED, JOB_DRY };

/* The current try; cleared for a retry. */
struct job_try {
	enum job_how how;
	unsigned slot;   /* 1..N while it holds one, for {%}; 0 none */
	unsigned ran_in; /* the slot it ran in, kept once given back */
	pid_t pid;       /* spawned: also its process group */
	int out_fd, err_fd;
	bool reaped, timed_out;
	bool stopping; /* being taken down by pmapf (--memfree) ... */
	bool requeue;  /* ... to run again from the start */
	bool asked;    /* -p: the answer was yes */
	int wstatus;
	double started;    /* monotonic */
	double start_wall; /* epoch, for the joblog */
	double eof_grace;  /* reaped, pipes open: stop waiting at this time */
	double kill_at;    /* timed out: the next --term-seq signal then */
	int kill_step;     /* which signal that is */
	uint64_t taken;    /* stdout bytes already written (--line-buffer,
	                      streaming): the joblog's Receive counts them */
	int out_pipe_size; /* its stdout pipe's, once offered 1 MiB (0: not) */
};

/* The current try's route: its stdin, host, session and FIFO; cleared
 * with the try.  A run that uses none of them (job_cache.routed false)
 * never touches these bytes, so a million tiny jobs keep them out of the
 * cache. */
struct job_route {
	/* --pipe: the write end of its stdin (-1: none, or closed); bytes
	 * put in it (the joblog's Send); its whole block has been given
	 * (once `in` is empty, its stdin ends); it closed its stdin, so the
	 * rest of its block is dropped. */
	int in_fd;
	uint64_t sent;
	bool in_whole, in_gone;
	bool in_full;      /* a splice into its stdin found it full ... */
	unsigned in_fulls; /* ... this many times */
	double full_since; /* ... and since then (monotonic) */
	int in_pipe_size;  /* its stdin pipe's bytes (0: unknown) */
	/* -S: the login it runs on (NULL: this machine); its command has
	 * started there (remote.h's byte was seen on its stderr). */
	const struct sshlogin *host;
	bool remote_began;
	unsigned view_at;  /* -S, --slurm: 1 + its host's place, shown */
	bool view_running; /* ... and counted there as running */
	const struct sshlogin *node; /* --slurm: the node its step runs on */
	double in_wake; /* found full: look for room again no sooner */
	/* -S session (launch_session.c): where its output ends on the
	 * session's pipes (frame.h; see job_fds_lent); which of those ends
	 * were seen (FRAME_ENDED_*). */
	struct frame *out_frame, *err_frame;
	unsigned frame_ends;
	double out_ended; /* when stdout's end came (monotonic) */
#define FRAME_ENDED_OUT  1u
#define FRAME_ENDED_ERR  2u
#define FRAME_ENDED_BOTH 3u
	/* --fifo: pmapf's read end of its FIFO, held until it opens it
	 * (watched as fifo_wd); its input ends once it has opened it. */
	int hold_fd, fifo_wd;
	bool fifo_waiting, end_at_open;
};

/* How it ended. */
struct job_end {
	int status;  /* 0 success; else counted failed */
	int exitval; /* as the joblog shows them */
	int signal;
	bool skipped; /* --resume: done in an earlier run */
	bool by_us;   /* ended by pmapf terminating the run */
};

struct job {
	/* What it is.  (The fields a tiny job touches come first, in as
	 * few cache lines as they fit.) */
	uint64_t seq;
	struct job *next; /* on a job list */
	unsigned nrec;    /* values in rec (0: a --pipe block) */
	unsigned ntuples; /* -N: records (tuples of values) in this job */
	bool block;       /* --pipe: a block, not records */
	bool rec_file;    /* --cat: rec names a temporary file holding the
	                     block, removed with the job */
	bool too_long;
	bool nul; /* a value of several holds a NUL: rec cannot keep it */
	unsigned attempt;  /* --retries: tries made before this one */
	unsigned requeued; /* times a dead worker handed it back unstarted */
	unsigned pin;      /* --onall: 1 + the login it must run on; 0 */
	struct buf rec;    /* NUL-terminated; -N: records NUL-separated */
	uint64_t rec_full_len; /* > rec.len: rec is only a preview */
	/* Its current try and how it ended. */
	struct job_try t;
	struct job_end end;
	struct spool out, err;
	struct buf cmd; /* the command, for the joblog */
	struct buf tag; /* --tag: what starts each of its output lines */
	struct job_route route;
	struct spool in;   /* --pipe: its block's bytes, not yet in its stdin */
	struct spool keep; /* --pipe --retries: its whole block, to send
	                      again if it fails */
	/* --pipe-part: its block, bytes [part_from, part_to) of the
	 * part_file'th file, sent again whole if it is retried. */
	size_t part_file;
	uint64_t part_from, part_to;
};

/* A job on a -S session: its pipes are the session's, lent, never
 * closed with the job. */
static inline bool
job_fds_lent(const struct job *j)
{
	return j->route.out_frame != NULL;
}

/* A FIFO of jobs, linked through job.next. */
struct joblist {
	struct job *head, *tail;
	size_t n;
};

void joblist_push(struct joblist *l, struct job *j);
struct job *joblist_pop(struct joblist *l);
/* Insert keeping the list sorted by seq (retries keep input order). */
void joblist_insert(struct joblist *l, struct job *j);
/* --shuf: put the n jobs of v in random order and number them in it
 * (as GNU parallel: {#} and the joblog's Seq follow the run). */
void joblist_shuffle(struct job **v, size_t n);

/* Finished jobs kept for reuse, buffers and all. */
struct job_cache {
	struct spool_file *spill;
	/* Jobs may use their route and their `in`
	 * and `keep` spools: --pipe and its kin, -S, --slurm. */
	bool routed;
	struct job **spare;
	size_t n;
};

void job_cache_init(struct job_cache *c, struct spool_file *spill, bool routed);
void job_cache_free(struct job_cache *c);
/* A job for seq holding rec (len bytes, full_len really).  NULL/ENOMEM. */
struct job *job_new(struct job_cache *c, uint64_t seq, const char *rec,
                    size_t len, uint64_t full_len);
/* --cat: a new temporary file in dir, which becomes the job's one
 * value and is removed with the job: its descriptor, or -1 (errno). */
int job_block_file(struct job *j, const char *dir);
/* --pipe: close the write end of its stdin (its input ends); it is
 * finished or dropped. */
void job_close_in(struct job *j);
/* ... its whole block is in (--fifo: once it has opened its FIFO). */
void job_end_input(struct job *j);
/* A job for a --pipe block (no record).  NULL/ENOMEM. */
struct job *job_new_block(struct job_cache *c, uint64_t seq);
/* Add one more record (-N). */
int job_add_record(struct job *j, const char *rec, size_t len);
/* Its values one by one, from byte off of j->rec (0, or just after a
 * NUL): a job of one value has it whole, NUL bytes and all. */
struct job_values {
	const char *p, *end;
	bool whole, done;
};
void job_values_from(const struct job *j, size_t off, struct job_values *it);
/* The next value: false after the last. */
bool job_values_next(struct job_values *it, const char **v, size_t *n);
/* Back to the cache (or freed when the cache is full). */
void job_recycle(struct job_cache *c, struct job *j);
/* Free it outright. */
void job_free(struct spool_file *spill, struct job *j);
/* Forget the current try (output, command, process) for another. */
void job_retry_reset(struct spool_file *spill, struct job *j);

/* Its joblog row's fields (now: when it ended); the row formatted into
 * b. */
struct joblog_row;
void job_log_fields(const struct job *j, double now, struct joblog_row *row);
int job_log_row(const struct job *j, double now, struct buf *b);

/* Decode a wait status into j->end.  A job --timeout ended is logged as
 * GNU parallel logs it: Exitval -1 and the signal. */
void job_decode_wait(struct job *j, int wstatus);

/*
 * A pmapf message about this job ("pmapf: record 3 "abc": ..."), kept
 * with its stderr so it comes out where the job's output does.
 */
int job_note(struct spool_file *spill, struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The usual messages, one wording each. */
int job_note_cannot_run(struct spool_file *spill, struct job *j,
                        const char *cmd, int err);
int job_note_nul(struct spool_file *spill, struct job *j);

#endif
