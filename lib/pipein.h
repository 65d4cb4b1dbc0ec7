/*
 * What jobs are given on their stdin, from whichever place it comes:
 * stdin cut as it streams by (--pipe, blocks.h), files cut by offsets
 * (--pipe-part, parts.h), all of stdin to every job (--tee, tee.h), or
 * each line to a job by a column's value (--shard, --bin, shard.h).
 * The feed and the run loop see one face.  With --pipe and --pipe-part
 * the blocks make the jobs; with --tee the ::: values do.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_PIPEIN_H
#define PMAPF_PIPEIN_H

#include <stdbool.h>
#include <stdint.h>

#include "blocks.h"
#include "fifos.h"
#include "job.h"
#include "parts.h"
#include "pmapf.h"
#include "shard.h"
#include "spool.h"
#include "tee.h"

enum pipein_kind { PIPEIN_STREAM, PIPEIN_FILES, PIPEIN_TEE, PIPEIN_SHARD };

struct pipein {
	enum pipein_kind kind;
	bool fifo;     /* --fifo */
	char *scratch; /* --cat, --fifo: the files' directory (scratch.h) */
	struct fifos fifos;
	struct blocks blocks;
	struct parts parts;
	struct tee tee;
	struct shard shard;
};

int pipein_open(struct pipein *in, const struct pmapf_opts *o,
                struct spool_file *spill);
void pipein_close(struct pipein *in);
/* --cat, --fifo: the directory of the jobs' files, else NULL. */
const char *pipein_scratch(const struct pipein *in);
/* A job for the next block, numbered seq, or NULL (*failed: said). */
struct job *pipein_next_job(struct pipein *in, struct job_cache *cache,
                            uint64_t seq, bool *failed);
/* j's stdin can take more, or j just started: its block goes in. */
int pipein_send(struct pipein *in, struct job *j);
/* j is finished or dropped (or could not start): nothing more goes to
 * it. */
void pipein_forget(struct pipein *in, struct job *j);
/* j could not start for want of descriptors or processes (err) while
 * `running` jobs run, and would wait for one to end.  Jobs that all run
 * at once cannot wait so: --round-robin's running jobs take the blocks
 * meanwhile (0: j waits, with its block); --shard and --bin go on with
 * the jobs that started, their values shared among them (1: j is
 * dropped, having had nothing); --tee needs every job (-1, said). */
int pipein_short(struct pipein *in, struct job *j, size_t running, int err);
/* j failed and runs again (--retries): its whole block once more. */
int pipein_retry(struct pipein *in, struct job *j);
/* --fifo: the descriptor that says a job opened its FIFO, or -1; its
 * read. */
int pipein_fifo_fd(const struct pipein *in);
int pipein_fifo_read(struct pipein *in);
/* stdin if it is worth reading now, or -1; one read of it. */
int pipein_fd(const struct pipein *in);
int pipein_read(struct pipein *in);
/* Input is read to its end (--pipe-part: every block is cut). */
bool pipein_input_ended(const struct pipein *in);
/* Every block has been made: no job will come. */
bool pipein_done(const struct pipein *in);
/* Blocks made so far; bytes taken for them, and in all (0: unknown). */
uint64_t pipein_made(const struct pipein *in);
/* The number of blocks, when known before all are made. */
bool pipein_total(const struct pipein *in, uint64_t *n);
void pipein_bytes(const struct pipein *in, uint64_t *taken, uint64_t *total);
/* The run says each turn whether another job could start (a slow job's
 * block may then be kept aside) and whether it stopped starting them
 * (--round-robin's and --tee's jobs then take no more), and asks whether
 * a block is being cut (read to its end even while draining) and until
 * when a full job counts as fast (0: no such time). */
void pipein_turn(struct pipein *in, bool slot_free, bool stopping, double now);
/* Before jobs start, each turn: what time makes due (--block-timeout).
 * 0, or -1 (said). */
int pipein_tick(struct pipein *in);
bool pipein_cutting(const struct pipein *in);
double pipein_deadline(const struct pipein *in);

#endif
