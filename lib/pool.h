/*
 * A pool of long-lived worker processes, for tasks too small to pay a
 * fork and exec each.  Two protocols share the machinery: the built-in's
 * framed one (wire.h), in forked copies of pmapf, and a line protocol for
 * any program (--workers): one record per line in, one line out.
 *
 * Records are sent in batches sized to each worker's measured speed: one
 * at a time while tasks are slow, so load stays balanced (Python's Pool
 * with chunksize 1), many per write when they are fast, so the pipe and
 * syscall costs are shared (chunksize 64 and up).  The pool knows tasks
 * only as opaque pointers and the caller's ids; what they mean is the
 * caller's.
 *
 * Errors: pool_init returns 0, or -1 with errno set; pool_submit returns
 * 0 or an errno value (its caller compares it, so it sets no errno).  The
 * rest cannot fail, or report what failed through the hooks.  The pool
 * calls a hook only when its own tables are whole; a hook may record what
 * happened but must not call back into the pool.
 */
#ifndef PMAPF_POOL_H
#define PMAPF_POOL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "jobenv.h"
#include "taskq.h"

enum pool_proto { POOL_FRAMED, POOL_LINES };

/* A worker's answer with no task in flight. */
#define POOL_STRAY_NAMED 10
struct pool_stray {
	const char *line; /* the answer, without newline */
	size_t len;
	size_t answered; /* tasks it answered */
	/* The ids of the first of them (up to POOL_STRAY_NAMED), and of
	 * the last. */
	uint64_t named[POOL_STRAY_NAMED];
	uint64_t last_id;
};

struct pool_hooks {
	/* A task's answer, in the order tasks were given to that worker.
	 * why: the built-in's reason for a failure (status != 0).  Lines:
	 * out is the answer line with its newline, except the last one of
	 * a worker that ended without writing one (status is then 0). */
	void (*done)(void *ctx, void *task, int status, const char *out,
	             size_t out_len, const char *why, size_t why_len);
	/* The worker holding the task ended before answering it.  failed:
	 * the task is why (the worker ended on it: it held it alone, or
	 * answered all it was given before it); otherwise it never ran or
	 * is cleared, and goes to another worker at no cost.  began: the
	 * worker said its command began (began_byte). */
	void (*lost)(void *ctx, void *task, bool failed, int wstatus,
	             bool began);
	/* What an external worker wrote on its stderr. */
	void (*worker_stderr)(void *ctx, const char *p, size_t n);
	/* Lines: a worker wrote an answer with no task in flight (two
	 * lines for one record, say), so none of its answers can be
	 * trusted to belong to its task.  The pool has killed its process
	 * group and freed its slot (later tasks start a fresh worker);
	 * tasks queued on it went to lost first.  May be NULL. */
	void (*out_of_step)(void *ctx, const struct pool_stray *s);
	/* Lines: a task under suspicion (see pool_flush) went to worker
	 * (0..max-1, its slot), or (-1) left its worker and waits.  The
	 * record is asked for (*record) to be sent again; it must stay
	 * until the task is answered or lost. */
	void (*placed)(void *ctx, void *task, int worker);
	const char *(*record)(void *ctx, void *task, size_t *len);
};

struct pool_worker; /* private */

struct pool {
	enum pool_proto proto;
	unsigned max;   /* workers at most */
	unsigned limit; /* workers now (lowered if the system says no) */
	struct pool_worker *w;
	int (*fn)(void *); /* framed: the forked worker's body */
	void *fn_arg;
	const char *path; /* lines: the program */
	char **argv;
	/* lines: when set, what worker i (from 0) runs instead (a Slurm
	 * step, a process on another host): its program, its words in
	 * *argv, and bytes its stdin gets before any record (*pre, *pre_len;
	 * none: 0).  NULL: it cannot start; errno EHOSTDOWN: that place is
	 * not to be used (its host is down; another is tried), else ENOMEM. */
	const char *(*launcher)(void *ctx, unsigned i, char *const **argv,
	                        const char **pre, size_t *pre_len);
	struct jobenv *env; /* lines: PARALLEL_JOBSLOT per worker; NULL */
	struct pool_hooks hooks;
	void *ctx;
	/* lines: a worker's first stderr byte, when it is this, is no
	 * output but says its command began (-S: ssh's 255 before it is the
	 * connection's); -1: none. */
	int began_byte;
	bool signalled; /* pool_signal was called: workers told to stop */
	/* Sent first when pmapf kills a worker, which then has 3 s before
	 * SIGKILL (srun: SIGTERM cancels its step); 0: SIGKILL at once. */
	int stop_sig;
	size_t inflight; /* tasks given and not answered */
	/* Lines: records given and their bytes (an average sizes what a
	 * silent worker is drawn out with). */
	uint64_t given, given_bytes;
	/* Lines: answers given while a worker held only that record, before
	 * input ended; from two on (POOL_LONE_ENOUGH), the program needs no
	 * read-ahead and none is drawn out. */
	unsigned lone_answers;
	/* Lines: bytes of records a silent worker is drawn out to at most,
	 * and records a new worker is given from its start (0: one).  Both
	 * grow when a worker drawn out that far still said nothing: its
	 * program buffers more answers than that many records give. */
	size_t draw_max, draw_floor;
	/* Lines: tasks of workers that died holding them, not knowing
	 * which killed them, waiting for a worker of their own; and how
	 * many the next such worker runs (see pool_flush). */
	struct taskq suspects;
	size_t probe_size;
	bool probe_widen; /* the next probe is the first of a one-by-one's */
	bool closing;     /* no more tasks: inputs end once written */
	bool flood;       /* give workers all they take (see pool_flood) */
};

/* 0, or -1 with errno set: EINVAL (max is 0), ENOMEM.  On failure
 * there is nothing to free; on success pool_shutdown frees. */
int pool_init(struct pool *p, enum pool_proto proto, unsigned max,
              const struct pool_hooks *hooks, void *ctx);
void pool_set_builtin(struct pool *p, int (*fn)(void *), void *arg);
void pool_set_program(struct pool *p, const char *path, char **argv);
void pool_set_launcher(struct pool *p,
                       const char *(*launcher)(void *ctx, unsigned i,
                                               char *const **argv,
                                               const char **pre,
                                               size_t *pre_len));

/* True if a task given now would be sent without waiting (a worker has
 * room in its batch, or another worker may be started). */
bool pool_can_take(const struct pool *p);
/*
 * Queue a task for a worker; id is the caller's name for it (its job
 * number), given back by out_of_step; *worker is the index (0..max-1)
 * of the worker it went to, its job slot.  0; or an errno value and the task
 * was not taken: ENOMEM, E2BIG (framed: over WIRE_MAX_PAYLOAD), or no
 * worker could be started (EAGAIN, EMFILE...: the pool then runs fewer
 * workers if it has any, which the caller may report).
 */
int pool_submit(struct pool *p, void *task, uint64_t id, const char *rec,
                size_t len, unsigned *worker);
/*
 * Write what is queued, as far as the pipes take it without blocking;
 * and start a worker for tasks under suspicion.  A line worker that dies
 * does not say which record killed it, or whether one did: perl -ne
 * killed by record 500 may hold 1..600 and have answered none; a program
 * may exit after so many records.  Blaming the oldest fails innocent
 * records, one per crash, and a record's fate would hang on which
 * worker it met.  So the records a worker died holding are suspects, run
 * again in halves on a fresh worker whose input ends after them (so a
 * buffering program answers at EOF): a half answered in full is done,
 * one whose worker dies again is halved, until a record that kills a
 * worker on its own fails with that worker's status; the ones after it
 * never ran and go back to the caller.  A record fails exactly when it
 * would alone.  About 2 log2(n) workers for n suspects; the record a
 * worker answering one by one was on is tried alone first, one worker
 * more than blaming it.  While suspects wait, a slot is kept for them.
 */
void pool_flush(struct pool *p);
/* No more new tasks will come (retries still may): close each worker's
 * input once what it was given is written, so programs that read ahead
 * or buffer their output until EOF still answer. */
void pool_close_input(struct pool *p);

/* Descriptors to poll: returns how many were written to fds (at most
 * room); owner[i] is the worker index for pool_ready. */
size_t pool_pollfds(const struct pool *p, struct pollfd *fds, unsigned *owner,
                    size_t room);
size_t pool_pollfd_count(const struct pool *p);
/* A polled descriptor of worker i is ready. */
void pool_ready(struct pool *p, unsigned i, int fd, short revents);
/* A child was reaped: true if it was one of ours. */
bool pool_reaped(struct pool *p, pid_t pid, int wstatus);
/* Send sig to every worker's process group. */
void pool_signal(struct pool *p, int sig);
/* Seconds since the longest-silent busy worker last answered (0 if none
 * is busy); waiting: only workers that may be waiting for records pmapf
 * holds back (lines: not known to answer one by one, all sent read). */
double pool_silence(const struct pool *p, double now, bool waiting);
/*
 * Lines: a local worker that has been silent a second (a tenth once it
 * answered only drawn out, at once when Linux shows it blocked reading
 * its input) although it has read all it was given may wait for more
 * before it answers (mawk reads 4 KiB first; a
 * program's buffered output holds its answers the same way).  Double
 * what it may hold, then quadruple it while it keeps reading all it is
 * sent, up to 64 KiB of records (more for a program shown to need it);
 * silent two seconds with nothing more to give it, its input is ended
 * (it answers at EOF; the next task starts another).  A worker busy on
 * its task leaves the extra unread, so a slow one holds one task more at
 * most.  When to look again (io_now()'s clock), or 0.
 */
double pool_draw_out(struct pool *p, double now);
/* A worker whose answer pipe closed and that has not exited is sent its
 * stop signal (SIGTERM if none), then SIGKILL, a while apart.  When to
 * call again (io_now()'s clock), or 0: no worker is waited for. */
double pool_hurry(struct pool *p, double now);
/* Stop sizing batches: queue tasks to workers up to the byte bound.  For
 * workers that read ahead before answering, once input has ended. */
void pool_flood(struct pool *p);
/* Workers still running (or not yet reaped). */
unsigned pool_alive(const struct pool *p);
/* Kill whatever is left and wait for it (the end of a run). */
void pool_shutdown(struct pool *p);

#endif
