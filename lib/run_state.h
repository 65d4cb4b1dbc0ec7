/*
 * The state of one run, shared by the loop (run.c), the code that builds
 * and tears it down (run_setup.c) and the code that stops it
 * (run_stop.c); nothing else sees it.
 */
#ifndef PMAPF_RUN_STATE_H
#define PMAPF_RUN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "display.h"
#include "feed.h"
#include "job.h"
#include "launch.h"
#include "pmapf.h"
#include "policy.h"
#include "pollset.h"
#include "procs.h"
#include "progress.h"
#include "results.h"
#include "run_timeline.h"
#include "sink.h"
#include "spool.h"
#include "termseq.h"

/* Job output held in memory, over all jobs and per job stream, before it
 * goes to the temporary file. */
#define SPILL_BUDGET  (32u << 20)
#define SPILL_PER_JOB (4u << 20)
/* --pipe: input kept aside for a slow job, held in pipes (no copy)
 * before the temporary file. */
#define SPILL_HOLD (16u << 20)
/* Ordered mode: at most this many jobs started and not yet written, so a
 * slow job at the head bounds what waits behind it. */
#define ORDER_WINDOW 204800

/*
 * The run's phase.  RUNNING: jobs start while there is work.  DRAINING:
 * no new job starts (SIGHUP, --halt soon), running ones finish.
 * TERMINATING: jobs are being stopped by the steps of --term-seq (a
 * signal, --halt now, an error, stdout gone).  KILLING: they were sent
 * SIGKILL.  DONE: nothing is left.
 */
enum phase { RUNNING, DRAINING, TERMINATING, KILLING, DONE };

enum owner_kind {
	OWN_SIG,
	OWN_INPUT,
	OWN_STDOUT,
	OWN_OUT,
	OWN_ERR,
	OWN_POOL,
	OWN_TTY,
	OWN_JOB_IN,
	OWN_FIFO,
	OWN_PIPE_IN
};

/* --retry-failed: the options as the run sees them, input from the
 * joblog. */
struct run_retry {
	struct pmapf_opts opts;
	struct pmapf_source src;
	struct joblog_commands cmds;
	char **vals;
	char *script[2];
};

struct run {
	const struct pmapf_opts *o;
	struct run_retry retry;
	enum phase phase;
	int die_signal; /* end by this signal once the jobs are down */
	double kill_at; /* TERMINATING: the next step's signal then */
	int kill_step;  /* ... which step that is */
	/* --term-seq for taking the run down, and for a timed-out job. */
	struct termseq term_run, term_job;
	/* --memfree, --load: when to look again while held back; when to
	 * look at memory next; a reading that failed (said, dropped). */
	double limits_retry, memfree_check_at;
	bool memfree_said, load_said;
	/* -p: the terminal, the job whose question waits, its answer. */
	int tty_fd;
	struct job *asking;
	struct buf answer;
	double ended_at; /* when terminating began */
	bool spill_said; /* no room to spill (spill.full): said once */
	/* This turn's starts waited for output to drain (run.c). */
	bool starts_held;
	struct spool_file spill;
	struct job_cache cache;
	struct joblist done; /* finished, to be judged and written */
	struct feed feed;
	struct launch launch;
	struct procs procs;
	struct policy policy;
	struct sink sink;
	struct results results; /* --results, --files */
	struct buf first;       /* ... a table's header, for the sink */
	int joblog_fd;
	bool joblog_failed; /* a row could not be written: said, status 255 */
	struct run_timeline timeline; /* --timeline */
	struct buf row;
	int sig_fd;
	struct pollset ps;
	struct display disp;
	double t0;
};

/* Build every stage for options o; prints its own message.  0 or -1. */
int run_setup(struct run *r, const struct pmapf_opts *o);
void run_teardown(struct run *r);
/* What the progress display shows now. */
void run_view(const struct run *r, struct progress_view *v, double now);

/* How a run stops (run_stop.c). */
/* A fatal error: said (what is a perror-style subject; NULL: said
 * already), and the jobs taken down. */
void run_fatal(struct run *r, const char *what);
/* The joblog could not be written (err: an errno value): said once; the
 * run goes on without it, so output loses nothing, and ends with status
 * 255. */
void run_joblog_failed(struct run *r, int err);
/* Job output could not be kept (the spill file failed other than by
 * running out of space, which only makes pmapf read less): fatal, the
 * message naming the spill directory. */
void run_spill_fatal(struct run *r);
/* The sink failed: stdout gone ends by SIGPIPE, anything else is fatal. */
void run_sink_failed(struct run *r);
/* --halt decided, and no signal or error took over. */
bool run_halting(const struct run *r);
/* Halted: the jobs waiting to run again are finished as never run. */
void run_skip_unstarted(struct run *r);
/* Act on a verdict that halts the run (said once); others are ignored. */
void run_halt_if(struct run *r, enum verdict v);
/* The signals the self-pipe brought (a SIG_BIT set). */
void run_on_signals(struct run *r, uint64_t seen);
/* Interrupted: when a stdout that takes nothing stops holding up the
 * end. */
double run_stall_deadline(const struct run *r);

/* run_limits.c: --memfree and --load.  May a job start now (if not,
 * limits_retry is when to look again)?  With memory under half of
 * --memfree, the youngest job is taken down and queued again.  And the
 * next time either wants the loop awake, or 0. */
bool run_limits_allow(struct run *r);
/* run_ask.c: -p.  Open the terminal (0, or -1 said); put j's question
 * and park it; read the answer when the terminal is readable (yes: j is
 * first to start; no: j ends, failed); let go of all of it. */
int run_ask_open(struct run *r);
void run_ask(struct run *r, struct job *j);
void run_ask_read(struct run *r);
void run_ask_cancel(struct run *r); /* no new job starts: unasked */
void run_ask_close(struct run *r);
void run_limits_check(struct run *r, double now);
double run_limits_deadline(const struct run *r);
/* The phase after this turn's work; DONE when nothing is left. */
void run_decide(struct run *r, double now);
/* run_poll.c: whether a job may start now; each turn's poll set, and the
 * wait on it until the nearest deadline (poll's result). */
bool run_may_start(const struct run *r);
bool run_backed_up(const struct run *r);
int run_build_pollset(struct run *r, double now);
int run_wait(struct run *r, double now, bool has_frame, double due);

#endif
