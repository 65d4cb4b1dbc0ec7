/*
 * How a run stops: fatal errors, a failed sink, --halt, signals, and the
 * decision that the run is over.  Every stop goes through the run's phase
 * (DRAINING, TERMINATING, KILLING, DONE), never through a flag of its own.
 */
#include "config.h"

#include "run_state.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "guard.h"
#include "io.h"
#include "msg.h"
#include "sig.h"

/* Interrupted: finished output is written while stdout takes it, but a
 * stdout that takes nothing for this long does not hold up the end. */
#define STALL_GRACE 0.1

/* Send sig to every job and worker. */
static void
signal_jobs(struct run *r, int sig)
{
	procs_signal(&r->procs, sig);
	if (r->launch.use_pool)
		pool_signal(&r->launch.pool, sig);
}

/* The next step of --term-seq for every job left; KILLING once that
 * was SIGKILL. */
static void
term_step(struct run *r, double now)
{
	const struct termseq *t = &r->term_run;
	int sig;

	if (r->kill_step >= t->n) {
		r->kill_at = 0;
		return;
	}
	sig = t->sig[r->kill_step];
	signal_jobs(r, sig);
	r->kill_at = now + t->wait[r->kill_step++];
	if (sig == SIGKILL)
		r->phase = KILLING;
	else if (r->kill_step >= t->n)
		r->kill_at = 0; /* the last step: left to end */
}

/* Take every job down: the steps of --term-seq (by default SIGTERM, and
 * SIGKILL a second later), or SIGKILL at once if asked twice. */
static void
terminate(struct run *r, bool at_once)
{
	if (r->phase == KILLING || r->phase == DONE)
		return;
	if (r->phase == TERMINATING && !at_once)
		return;
	run_skip_unstarted(r);
	feed_drop(&r->feed);
	run_ask_cancel(r);
	/* A job that starts streaming now would be written though it was
	 * taken down (the one streaming already is: its block must end). */
	r->sink.stream_ok = false;
	if (r->ended_at == 0)
		r->ended_at = io_now();
	if (at_once) {
		signal_jobs(r, SIGKILL);
		r->phase = KILLING;
		return;
	}
	r->phase = TERMINATING;
	r->kill_step = 0;
	term_step(r, io_now());
}

void
run_fatal(struct run *r, const char *what)
{
	/* NULL: the message was said where the error was met. */
	if (!r->policy.error && what != NULL)
		msg_warn_errno("%s", what);
	r->policy.error = true;
	terminate(r, false);
}

void
run_spill_fatal(struct run *r)
{
	if (!r->policy.error)
		msg_warn_errno(
		    "cannot keep job output in a temporary file in %s",
		    r->spill.dir);
	run_fatal(r, NULL);
}

static void
stop_starting(struct run *r)
{
	if (r->phase == RUNNING)
		r->phase = DRAINING;
	run_ask_cancel(r);
}

/* A sink failure: stdout gone ends the run as other filters end (death
 * by SIGPIPE, no message); anything else is reported and fatal. */
void
run_sink_failed(struct run *r)
{
	static const char *const what[] = {
	    [SINK_OK] = "error",
	    [SINK_STDOUT] = "write error on standard output",
	    [SINK_NOMEM] = "out of memory",
	};
	enum sink_error e = sink_error(&r->sink);

	if (e == SINK_STDOUT && errno == EPIPE) {
		if (r->die_signal == 0)
			r->die_signal = SIGPIPE;
		terminate(r, false);
	} else if (e == SINK_SPILL) {
		run_spill_fatal(r);
	} else if (e == SINK_STDOUT && r->results.table_fd >= 0) {
		/* Rows go to the --results file, not to stdout. */
		if (!r->policy.error)
			msg_warn_errno("write error on %s", r->o->results);
		run_fatal(r, NULL);
	} else {
		run_fatal(r, what[e]);
	}
}

void
run_joblog_failed(struct run *r, int err)
{
	if (r->joblog_failed)
		return;
	r->joblog_failed = true;
	errno = err;
	msg_warn_errno("cannot write the joblog %s", r->o->joblog);
}

bool
run_halting(const struct run *r)
{
	return r->policy.halted && r->die_signal == 0 && !r->policy.error;
}

/*
 * Halted: jobs waiting to run again (the records a worker held when it
 * died or was stopped) never will.  Finished as never run, neither
 * written nor logged (--resume runs them), so ordered output goes on past
 * them to the jobs that did run, whose failures are then told and logged
 * as a halted run's are.  (Interrupted, output ends at the first job not
 * finished: they are dropped.)
 */
void
run_skip_unstarted(struct run *r)
{
	struct job *j;

	while (run_halting(r) && (j = feed_take_unstarted(&r->feed)) != NULL) {
		j->end.skipped = true;
		joblist_push(&r->done, j);
	}
}

/* A verdict that halts the run: said once, then acted on. */
void
run_halt_if(struct run *r, enum verdict v)
{
	if (v != VERDICT_HALT_SOON && v != VERDICT_HALT_NOW)
		return;
	msg_warn("--halt: after %s %llu (status %d), %s",
	         r->o->pipe ? "block" : "record",
	         (unsigned long long)r->policy.halt_seq,
	         r->policy.halt_job_status,
	         v == VERDICT_HALT_NOW ? "terminating the running jobs"
	                               : "starting no more jobs");
	if (v == VERDICT_HALT_SOON)
		stop_starting(r);
	else
		terminate(r, false);
}

static void
reap(struct run *r)
{
	double now = io_now();
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		struct job *j = procs_reaped(&r->procs, pid, wstatus, now);

		guard_reaped(pid);
		/* (A session's ssh is first known to be gone: its job, if it
		 * had one, is released next.) */
		(void)launch_reaped(&r->launch, pid, wstatus);
		/* Its process has ended: {%} may go to the next job now,
		 * though its pipes may still be draining. */
		if (j != NULL)
			launch_release(&r->launch, j);
	}
}

void
run_on_signals(struct run *r, uint64_t seen)
{
	bool again;
	int s;

	if (seen & SIG_BIT(SIGCHLD))
		reap(r);
	/* A second signal after the first (not two in one read) skips the
	 * grace: the user asked again. */
	again = r->die_signal != 0;
	for (s = 1; s <= 64; s++) {
		if (!(seen & SIG_BIT(s)) || !sig_terminates(s))
			continue;
		if (r->die_signal == 0)
			r->die_signal = s;
		terminate(r, again);
	}
	if (seen & SIG_BIT(SIGHUP))
		stop_starting(r);
	if (seen & SIG_BIT(SIGWINCH))
		display_resize(&r->disp);
	if (seen & SIG_BIT(SIGUSR1)) {
		struct progress_view v;

		run_view(r, &v, io_now());
		display_status(&r->disp, &v);
	}
	if (seen & SIG_BIT(SIGTSTP)) {
		/* Jobs sit in their own process groups, out of reach of the
		 * terminal's ^Z: stop them, then ourselves; resume both. */
		signal_jobs(r, SIGSTOP);
		sig_stop_self();
		signal_jobs(r, SIGCONT);
	} else if (seen & SIG_BIT(SIGCONT)) {
		signal_jobs(r, SIGCONT);
	}
}

/* Interrupted: when a stdout that takes nothing stops holding up the
 * end. */
double
run_stall_deadline(const struct run *r)
{
	double t =
	    r->sink.last_write > r->ended_at ? r->sink.last_write : r->ended_at;

	return t + STALL_GRACE;
}

/* The phase after this turn's work; DONE when nothing is left. */
void
run_decide(struct run *r, double now)
{
	if (r->phase == TERMINATING && r->kill_at > 0 && now >= r->kill_at)
		term_step(r, now);
	/* A job waiting for -p's answer is not done either. */
	if ((r->phase == RUNNING &&
	     (!feed_exhausted(&r->feed) || r->asking != NULL)) ||
	    (r->phase == DRAINING && feed_waiting(&r->feed)))
		return;
	launch_close(&r->launch);
	if (r->procs.n > 0 || launch_pooled(&r->launch) > 0 || r->done.n > 0 ||
	    !launch_workers_gone(&r->launch, now))
		return;
	/* Stdout drains before the end, unless it is gone, or the run was
	 * interrupted and stdout stopped taking what finished. */
	if (!sink_idle(&r->sink) &&
	    (r->phase < TERMINATING || now < run_stall_deadline(r)))
		return;
	r->phase = DONE;
}
