/*
 * --pipe: stdin cut into blocks of records (blockcut.h), each the stdin
 * of one job.  A job is made as soon as its block begins, and its bytes
 * go into its stdin pipe as they are read (what the pipe cannot take yet
 * waits in the job's `in` spool, in memory and then the spool file);
 * only the unfinished record is held back, so a block is never held
 * whole unless its job is slow.  Far from a block's end, bytes move from
 * stdin to the job's stdin with splice(2), never copied through pmapf
 * (into the spool file instead while the job is full and another could
 * run); only near the end are they read, to find the record end there
 * (blockcut_blind_room says how near).  Reading stops while a block cannot go
 * anywhere: before its job has a slot, or while its job has a whole
 * block waiting.  --header lines are read first and given to every job
 * before its block.
 *
 * --cat: a block goes into a temporary file instead, the job's value
 * ({}), and the job is made ready to start only once it is whole.
 *
 * --round-robin: at most `jobs` jobs, each given many blocks, none ever
 * split between two: a block begins with the job that has the least of
 * its input still to read (in its pipe and spool), once one has nothing
 * waiting in pmapf; the header goes to each job once.  Their stdins end
 * with the input, or once the run stops starting jobs.
 *
 * Error convention: 0, or -1 with errno set (messages as each says).
 */
#ifndef PMAPF_BLOCKS_H
#define PMAPF_BLOCKS_H

#include <stdbool.h>
#include <stdint.h>

#include "blockcut.h"
#include "buf.h"
#include "colkey.h"
#include "fifos.h"
#include "job.h"
#include "pmapf.h"
#include "recre.h"
#include "rr.h"
#include "rrs.h"
#include "spool.h"

struct blocks {
	struct spool_file *spill;
	struct blockcut cut;
	char delim; /* the record end without --recend: -0, -d, newline */
	uint64_t wait_max; /* a job's waiting bytes: no more read past it */
	int fd;            /* stdin; -1 once it ended */
	bool in_pipe;      /* ... is a pipe: it can be spliced into a file */
	bool no_splice;    /* ... cannot be spliced at all: read it */
	bool slot_free;    /* a job could start now (the run says each turn) */
	double turn_now;   /* ... and when it is */
	bool stopping;     /* ... or none will: no block begins */
	double timeout;    /* --block-timeout, or 0 */
	double began;      /* the current block began (monotonic) ... */
	bool overdue;      /* ... longer than timeout ago */
	bool cutting;      /* a block has begun and not ended */
	struct job *current; /* ... for this job (NULL: it went, the rest of
	                        its block is dropped) */
	struct buf stage;    /* read, not yet given: from `at` on */
	size_t at;
	struct buf header;     /* --header: given to each job first */
	unsigned header_lines; /* ... lines of it still to read */
	bool oversized_said;
	uint64_t bytes_read, blocks_made;
	uint64_t bytes_total; /* stdin a regular file: what is left of it */
	/* --cat: each block goes to a file; --retries: a copy is kept in
	 * the job's keep spool.  Either way its job is handed out once the
	 * block is whole (ready). */
	bool to_file, keep_copy, whole_first;
	struct job *ready;
	struct fifos *fifos; /* --fifo: blocks go into these instead */
	const char *to_dir;  /* --cat: blocks go to files here */
	bool short_of_slots; /* fewer jobs than -j can run (blocks_short) */
	/* --regexp: where records end. */
	bool regexp;
	struct recre re;
	char re_nl[8];
	/* --rrs: blocks go through this filter (into filtered). */
	bool rrs_on;
	struct rrs rrs;
	struct buf filtered;
	/* --group-by: records are runs of lines with the same key. */
	bool grouped;
	struct colkey key;
	/* --round-robin: the jobs given blocks (at most rr_max). */
	bool round_robin;
	struct rr rr;
	char *chunk; /* IO_CHUNK bytes */
};

/* -1 (said) for lack of memory. */
int blocks_init(struct blocks *b, const struct pmapf_opts *o,
                struct spool_file *spill);
void blocks_free(struct blocks *b);
/* Each turn: whether another job could start now, and whether the run
 * has stopped starting them (--round-robin's jobs are then given no
 * more blocks); `now` is the turn's time, which blocks_fd and
 * blocks_deadline both judge by (two clock readings could leave stdin
 * neither polled nor timed). */
void blocks_turn(struct blocks *b, bool slot_free, bool stopping, double now);
/* No job can start until one ends (see pipein_short): --round-robin's
 * running jobs take the next blocks.  0, or -1 (said). */
int blocks_short(struct blocks *b);
/* Before jobs start, each turn: --block-timeout passing ends a block.
 * 0, or -1 (said). */
int blocks_tick(struct blocks *b);
/* stdin if it is worth reading now, else -1. */
int blocks_fd(const struct blocks *b);
/* The next time something is due: the job taking the current block,
 * full, counts as slow (stdin is read again then, for the spool file);
 * --block-timeout passes.  0: none. */
double blocks_deadline(const struct blocks *b);
/* One read of stdin, and the blocks cut from it.  0, or -1 (said). */
int blocks_read(struct blocks *b);
/* A new block may begin (the last one ended, and bytes wait). */
bool blocks_ready(const struct blocks *b);
/* A job (number seq) for the next block, once one begins: the header
 * and what is cut of the block so far go to it.  NULL if none begins
 * now, or (*failed, said) for lack of memory or of the spool file. */
struct job *blocks_next_job(struct blocks *b, struct job_cache *cache,
                            uint64_t seq, bool *failed);
/* j's stdin can take more (or j just started, its stdin j->route.in_fd):
 * what waits goes in.  0, or -1 (the spool file failed: said). */
int blocks_send(struct blocks *b, struct job *j);
/* j is finished or dropped: nothing more goes to it. */
void blocks_forget(struct blocks *b, struct job *j);
/* j failed and runs again (--retries): its whole block, once more. */
int blocks_retry(struct blocks *b, struct job *j);
/* stdin is read to its end. */
bool blocks_input_ended(const struct blocks *b);
/* ... and every block has been made and cut: no job will come. */
bool blocks_done(const struct blocks *b);

#endif
