/*
 * The sink: the only writer of standard output.  Finished jobs come in;
 * their output goes out in input order (or as they finish with -u),
 * stdout block then stderr block, tags put on, and each job's joblog row
 * written when its output is: with an interrupted ordered run, jobs
 * finished beyond a gap are neither written nor logged.
 *
 * No write ever stalls the loop.  Per kind of stdout:
 *  - pipe, FIFO, terminal, character device: a description of its own,
 *    opened through /proc/self/fd/1 with O_NONBLOCK (setting O_NONBLOCK on
 *    the inherited descriptor would change it for the parent too, and
 *    could not be undone after SIGKILL);
 *  - socket: send() with MSG_DONTWAIT;
 *  - a pipe when /proc cannot reopen it: at most PIPE_BUF bytes per
 *    POLLOUT, which POSIX promises will not block;
 *  - regular file, block device: plain write(2): the disk bounds it.
 * Jobs that must wait hold their output in a compact entry (a spool, its
 * lengths and the pending joblog row), counted against the spill budget.
 *
 * Big output does not go through pmapf's memory at all where Linux
 * allows (sink_stream.c): the job whose output may be written now -- the
 * ordered head, or with -u one job while nothing else waits -- streams
 * once it has written STREAM_AFTER bytes: its pipe is spliced straight
 * to stdout, and what waited in a spool goes out with sendfile from the
 * spill file (into a pipe too: spool.h says how its space comes back).
 * read/write is the portable path, and the one for --tag.
 *
 * Error convention: 0, or -1 with errno set and sink_error() saying what
 * failed.  A joblog row that cannot be written is no such error: the
 * joblog takes no more rows (one after a torn row would be read as part
 * of it), joblog_err says why, and output goes on.
 */
#ifndef PMAPF_SINK_H
#define PMAPF_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "job.h"
#include "reorder.h"
#include "spool.h"

enum sink_kind { SINK_NONBLOCK, SINK_SOCKET, SINK_PIPE_CHUNKS, SINK_DIRECT };
enum sink_error { SINK_OK, SINK_STDOUT, SINK_SPILL, SINK_NOMEM };

struct sink_entry;

struct sink {
	struct reorder ro;
	struct spool_file *spill;
	int fd;
	enum sink_kind kind;
	bool writable;     /* SINK_PIPE_CHUNKS: poll said POLLOUT */
	bool out_ready;    /* no write to fd has said EAGAIN since POLLOUT */
	double full_since; /* ... since when it has (monotonic) */
	bool direct;       /* untagged output may go to fd without the queue */
	bool use_splice;   /* ... and a streaming pipe with splice(2) */
	enum spool_send_how send_how; /* ... and the spill file so */
	bool stream_ok;       /* a running job may stream (the caller says) */
	struct job *streamer; /* its stdout goes straight through (or NULL) */
	bool in_ready;        /* the streamer's pipe may hold bytes, */
	double in_wake;       /* ... or is not looked at before this */
	double stream_t0;     /* when it began to stream, having taken */
	uint64_t stream_from; /* this much (its rate paces the waits) */
	double out_wake;      /* stdout, full, not looked at before this */
	bool stream_ended;    /* its pipe reached EOF: the caller may want
	                         to collect the job before waiting */
	bool grown;           /* stdout's pipe was offered a bigger buffer */
	int out_pipe_size;    /* ... and has this (0: unknown) */
	bool tag;
	bool ungroup; /* --ungroup: sink_lines writes all there is, not lines */
	int joblog_fd;  /* -1: none, or no more (joblog_err); SINK_LOG_STDOUT:
	                   each row into stdout after its job's output */
	int joblog_err; /* why a row could not be written (errno), or 0 */
	struct buf q;   /* bytes on their way to stdout */
	size_t q_off;
	struct sink_entry *cur; /* being written */
	int part;
	uint64_t left;
	bool line_start;
	struct sink_entry **spare;
	size_t nspare;
	uint64_t emitted;
	double last_write; /* monotonic time stdout last took bytes */
	bool broken;       /* stdout failed: everything else is dropped */
	enum sink_error err;
	/* ordered: when job seq started, at seq & began_mask (a power of two
	 * less one: a mask, not a division per job).  Grown as far as jobs
	 * start ahead of output, not allocated for the whole window at
	 * once: its first use of each page was a page fault. */
	double *began;
	uint64_t began_mask;
	uint64_t held_head;         /* ordered: output waits for this job ... */
	double held_since;          /* ... since this time (0: nothing held) */
	void (*before_out)(void *); /* e.g. take the bar off a terminal */
	void *hook_arg;
	char *chunk; /* IO_CHUNK bytes */
};

/* --joblog -: the rows go to stdout, each after its job's output. */
#define SINK_LOG_STDOUT (-2)

/* ordered: input order.  fd: standard output; joblog_fd: -1, a joblog,
 * or SINK_LOG_STDOUT.  0 or -1/errno. */
int sink_init(struct sink *k, int fd, bool ordered, bool tag, int joblog_fd,
              struct spool_file *spill);
/* Job seq started (ordered: to say how long output has waited for it). */
void sink_started(struct sink *k, uint64_t seq, double now);
/* Ordered: true, with the job output has waited for and how long that
 * job has run (-1 unknown), once output has waited at least `after` s. */
bool sink_held_back(const struct sink *k, double now, double after,
                    uint64_t *seq, double *age);
void sink_free(struct sink *k);
/*
 * A finished job, its joblog row formatted (row_len 0: none).  Its output
 * moves into the sink; the job may be recycled at once.  0 or -1.
 */
int sink_put(struct sink *k, struct job *j, const char *row, size_t row_len);
/* Joblog bytes outside any job's (the header): to the joblog now, or
 * into stdout's stream.  0 or -1 (failed, as sink_put). */
int sink_log(struct sink *k, const char *row, size_t len);
/* pmapf's own bytes (a --results table's header) into stdout's stream
 * now, ahead of any job output put after them.  0 or -1. */
int sink_text(struct sink *k, const char *p, size_t len);
/* The sequence number skipped by --resume: nothing to write, but the
 * order goes on past it. */
int sink_skip(struct sink *k, uint64_t seq);
/* --line-buffer: the whole lines a running job has written so far. */
int sink_lines(struct sink *k, struct job *j);
/* Move what may go now towards stdout, stderr and the joblog, without
 * waiting.  0 or -1. */
int sink_pump(struct sink *k);
/* sink_pump, then write what is queued: before the loop waits. */
int sink_flush(struct sink *k);
/* Write queued bytes (poll said POLLOUT, or just try).  0 or -1. */
int sink_write(struct sink *k);
/*
 * Job j's stdout pipe is readable: true if the sink takes what it holds
 * now (j streams; the sink reads that pipe, and closes it at EOF), false
 * if the caller reads it into j's spool as usual (also while a streaming
 * job's stdout is full).
 */
bool sink_streams(struct sink *k, struct job *j, double now);
/*
 * The streaming job whose pipe is to be left unread now, or NULL: stdout
 * has been full for less than KEEP_AFTER (a stall that short, a reader
 * that lost the CPU for a moment, is waited out; a longer one has the
 * job's output kept, so that no job waits long for the reader), or its
 * pipe was found empty and it has not had time to write a quarter of it
 * (io_pace).  *next (if next is not NULL): made no later than when that
 * changes, or when a full stdout is to be looked at again.
 */
const struct job *sink_unread(const struct sink *k, double now, double *next);
/* Poll for POLLOUT on this descriptor, or -1 if there is nothing to do. */
int sink_pollfd(const struct sink *k, double now);
/* Stdout is backed up: no more job output than the one needed first
 * should be read for now. */
bool sink_full(const struct sink *k);
/* Nothing written yet that could be written now. */
bool sink_idle(const struct sink *k);
/* Ordered: the sequence number output waits for. */
uint64_t sink_waiting_for(const struct sink *k);
size_t sink_held(const struct sink *k);
enum sink_error sink_error(const struct sink *k);

#endif
