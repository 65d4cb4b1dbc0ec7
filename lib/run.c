/*
 * The loop: one poll() over stdin, every job's pipes, every worker's
 * pipes, stdout when output waits, and the signal self-pipe.  Each turn it
 * collects what finished, then dispatches each finished job to policy,
 * the joblog row and the sink, starts what may start, and decides the
 * run's phase; only then does it wait.  No stage calls back into
 * completion: they put finished jobs on the done list.
 */
#include "config.h"

#include "run_state.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"
#include "sig.h"

/* How far the run is, for --halt percentages.  Filled in place: returned
 * by value, its byte-wide flag stored and the whole struct read back at
 * once stalled store forwarding, 5% of pmapf's own CPU on a million tiny
 * jobs. */
static void
progress_now(struct run *r, struct policy_progress *pr)
{
	pr->total_known = false;
	pr->total = pr->started = 0;
	/* Only a percentage looks at it: not worth its cost per job. */
	if (r->o->halt.percent <= 0)
		return;
	pr->total_known = feed_total(&r->feed, &pr->total);
	/* (--onall: the copies, numbered host by host, are what starts.) */
	pr->started =
	    r->feed.onall_on ? onall_given(&r->feed.onall) : r->feed.next_seq;
}

/* --header: the column names (NUL-separated), once read; else NULL. */
static const char *
header_names(const struct run *r, size_t *n)
{
	const struct buf *names;

	*n = 0;
	if (!r->o->header || (names = sources_names(r->feed.src, n)) == NULL)
		return NULL;
	return names->data != NULL ? names->data : "";
}

/* --resume with --results: a job whose stdout file is there ran before,
 * as GNU parallel judges it. */
static bool
ran_before(struct run *r, const struct job *j)
{
	size_t nnames;
	const char *names = header_names(r, &nnames);

	return results_done(&r->results, j, &r->launch.cmd, names, nnames);
}

/* --results, --files: j's output into its files (or a row); what is
 * left goes to the sink, a table's header first.  0 or -1. */
static int
keep_results(struct run *r, struct job *j, double now)
{
	size_t nnames;
	const char *names = header_names(r, &nnames);

	buf_reset(&r->first);
	if (results_put(&r->results, j, &r->launch.cmd, names, nnames, now,
	                &r->first) == -1)
		return -1;
	if (r->first.len > 0 &&
	    sink_text(&r->sink, r->first.data, r->first.len) == -1)
		run_sink_failed(r);
	return 0;
}

/* One finished job: policy, then its joblog row and output to the sink. */
static void
finish(struct run *r, struct job *j, double now)
{
	struct policy_progress pr;
	enum verdict v;
	bool ours, none_up = false;

	launch_release(&r->launch, j);
	feed_forget(&r->feed, j);
	if (j->end.skipped) {
		/* Done in an earlier run: only the order goes on past it. */
		policy_skip(&r->policy);
		if (sink_skip(&r->sink, j->seq) == -1)
			run_sink_failed(r);
		job_recycle(&r->cache, j);
		return;
	}
	if (j->t.how == JOB_SPAWNED && r->phase == RUNNING &&
	    launch_remote_again(&r->launch, j, &none_up)) {
		/* ssh failed before its command began: not the command's
		 * failure, nor a try (said in remote.c). */
		job_retry_reset(&r->spill, j);
		feed_retry(&r->feed, j);
		return;
	}
	/* (--workers: said once, the flag taken.) */
	if (r->launch.all_down) {
		r->launch.all_down = false;
		none_up = true;
	}
	if (none_up) {
		msg_warn("every host of -S is down: stopping");
		run_fatal(r, NULL);
	}
	launch_remote_done(&r->launch, j);
	if (j->t.requeue && r->phase == RUNNING) {
		/* Taken down for memory (--memfree): it runs again from the
		 * start, as if it had not run; nothing of it is kept. */
		msg_warn("record %llu: taken down for lack of free memory "
		         "(--memfree); it will run again",
		         (unsigned long long)j->seq);
		job_retry_reset(&r->spill, j);
		feed_retry(&r->feed, j);
		return;
	}
	/* Ended by pmapf taking the jobs down: not a failure of its own. */
	ours = r->phase >= TERMINATING &&
	       (j->end.signal != 0 || j->t.how == JOB_POOLED) &&
	       j->end.status != 0;
	if (ours && !run_halting(r) && r->sink.streamer != j) {
		/* Interrupted: it did not finish, so it is neither written
		 * nor logged (--resume runs it again).  One whose output was
		 * already streaming has the rest written, to end its block,
		 * and is logged as killed: what is written is logged, so
		 * --resume does not write it twice. */
		policy_ended_by_us(&r->policy);
		run_timeline_note(&r->timeline, j, true, false, now);
		job_recycle(&r->cache, j);
		return;
	}
	if (j->t.how == JOB_SPAWNED && j->t.timed_out)
		(void)job_note(&r->spill, j, "timed out after %gs",
		               r->procs.timeout);
	else if (j->t.how == JOB_SPAWNED && j->end.signal != 0 && !ours)
		(void)job_note(&r->spill, j, "killed by signal %d (%s)",
		               j->end.signal, strsignal(j->end.signal));
	if (ours) {
		policy_ended_by_us(&r->policy);
		v = VERDICT_RECORD;
	} else {
		progress_now(r, &pr);
		v = policy_judge(&r->policy, j->seq, j->end.status, j->attempt,
		                 r->phase == RUNNING, &pr);
	}
	if (j->t.how == JOB_SPAWNED && j->end.status == 0 && !ours)
		procs_succeeded(&r->procs, now - j->t.started);
	run_timeline_note(&r->timeline, j, ours, v == VERDICT_RETRY, now);
	if (v == VERDICT_RETRY) {
		/* Only the last try is written and logged. */
		job_retry_reset(&r->spill, j);
		j->attempt++;
		if (r->o->pipe && pipein_retry(&r->feed.pipein, j) == -1) {
			job_recycle(&r->cache, j);
			run_fatal(r, NULL);
			return;
		}
		feed_retry(&r->feed, j);
		return;
	}
	buf_reset(&r->row);
	if (r->joblog_fd != -1 && job_log_row(j, now, &r->row) == -1) {
		job_recycle(&r->cache, j);
		run_fatal(r, "out of memory");
		return;
	}
	if (results_active(&r->results) && keep_results(r, j, now) == -1) {
		run_fatal(r, "--results"); /* before errno changes */
		job_recycle(&r->cache, j);
		return;
	}
	if (sink_put(&r->sink, j, r->row.data, r->row.len) == -1)
		run_sink_failed(r);
	job_recycle(&r->cache, j);
	display_changed(&r->disp);
	run_halt_if(r, v);
}

/* Records answered by a worker that went out of step fail now, so the
 * bar and --halt count them (their output and rows are already out). */
static void
revoke_out_of_step(struct run *r)
{
	struct policy_progress pr;

	if (r->launch.out_of_step == 0)
		return;
	progress_now(r, &pr);
	while (r->launch.out_of_step > 0) {
		r->launch.out_of_step--;
		run_halt_if(r, policy_revoke(&r->policy,
		                             r->launch.out_of_step_last, &pr));
		display_changed(&r->disp);
	}
}

/* --timeline: draw the run, titled with its command. */
static int
commit_timeline(struct run *r)
{
	struct buf title = BUF_INIT;
	int i, rc;

	if (r->o->timeline == NULL)
		return 0;
	(void)buf_appends(&title, "pmapf");
	for (i = 0; i < r->o->argc && title.len < 200; i++)
		(void)buf_printf(&title, " %s", r->o->argv[i]);
	if (r->o->argc == 0)
		(void)buf_appends(&title, " (the built-in slow_add_one)");
	/* A heading fits on one line of the picture. */
	if (title.len > 160) {
		title.len = 157;
		(void)buf_appends(&title, "...");
	}
	rc = run_timeline_commit(&r->timeline,
	                         title.data != NULL ? title.data : "pmapf");
	buf_free(&title);
	return rc;
}

static void
finish_all(struct run *r)
{
	struct job *j;
	double now = io_now();

	if (r->phase >= TERMINATING)
		run_skip_unstarted(r);

	procs_collect(&r->procs, &r->done, now);
	while ((j = joblist_pop(&r->done)) != NULL)
		finish(r, j, now);
	revoke_out_of_step(r);
}

static void
start_jobs(struct run *r)
{
	struct job *j;
	double now = io_now();
	uint64_t max_seq = UINT64_MAX;
	bool failed = false;
	/* Back-pressure: no new job while the spill file is full or stdout
	 * backed up, until output drains.  With no job left whose output
	 * could drain it, one starts all the same (what the file cannot
	 * take is held in memory), or the run would wait forever. */
	bool idle = r->procs.n == 0 && launch_pooled(&r->launch) == 0 &&
	            sink_idle(&r->sink);
	bool fresh = r->phase == RUNNING && (!run_backed_up(r) || idle);

	r->starts_held = r->phase == RUNNING && !fresh;

	/* Ordered: at most ORDER_WINDOW jobs started and not written. */
	if (r->sink.ro.ordered)
		max_seq = sink_waiting_for(&r->sink) + ORDER_WINDOW - 1;

	while (run_may_start(r) &&
	       (j = feed_next(&r->feed, max_seq, fresh, &failed))) {
		uint64_t seq = j->seq, total;
		const struct buf *names;
		size_t nnames;

		/* {##}: the feed made no job before all input was read. */
		if (r->o->needs_total && feed_total(&r->feed, &total))
			command_set_total(&r->launch.cmd, total);
		/* --header: read before any job could be made. */
		if (!r->launch.cmd.names_bound &&
		    (names = sources_names(r->feed.src, &nnames)) != NULL &&
		    command_bind_names(&r->launch.cmd,
		                       names->data ? names->data : "",
		                       nnames) == -1) {
			job_recycle(&r->cache, j);
			run_fatal(r, "out of memory");
			return;
		}
		if (r->o->resume == 1 && j->attempt == 0 && ran_before(r, j)) {
			j->end.skipped = true;
			joblist_push(&r->done, j);
			continue;
		}
		/* --memfree, --load: looked at only with a job to start. */
		if (!run_limits_allow(r)) {
			feed_defer(&r->feed, j);
			return;
		}
		if (r->tty_fd >= 0 && !j->t.asked) {
			run_ask(r, j);
			return;
		}
		switch (launch_start(&r->launch, j, &r->procs, now)) {
		case LAUNCH_STARTED:
			sink_started(&r->sink, seq, now);
			if (r->o->pipe &&
			    pipein_send(&r->feed.pipein, j) == -1) {
				run_fatal(r, NULL);
				return;
			}
			continue;
		case LAUNCH_ENDED:
			continue;
		case LAUNCH_WAIT:
			/* (A job that ended and still holds its pipes
			 * frees them soon: only a limit with every job
			 * running is for good.) */
			switch (r->o->pipe && r->procs.running == r->procs.n
			            ? pipein_short(&r->feed.pipein, j,
			                           r->procs.n,
			                           r->launch.limit_err)
			            : 0) {
			case -1:
				feed_forget(&r->feed, j);
				job_recycle(&r->cache, j);
				run_fatal(r, NULL);
				return;
			case 1:
				/* (Finished as one that never ran.) */
				j->end.skipped = true;
				joblist_push(&r->done, j);
				return;
			default:
				feed_defer(&r->feed, j);
				return;
			}
		case LAUNCH_ERROR:
			launch_release(&r->launch, j);
			feed_forget(&r->feed, j);
			job_recycle(&r->cache, j);
			run_fatal(r, "cannot start a job");
			return;
		}
	}
	if (failed) {
		run_fatal(r, NULL);
	} else if (r->launch.out_of_memory) {
		errno = ENOMEM;
		run_fatal(r, "out of memory");
	}
}

static void
read_job(struct run *r, size_t i, bool err)
{
	/* Big output that may be written now goes straight through. */
	if (!err && sink_streams(&r->sink, r->procs.v[i], io_now()))
		return;
	if (procs_read(&r->procs, i, err) == -1) {
		run_spill_fatal(r);
		return;
	}
	if (!err && r->o->line_buffer &&
	    sink_lines(&r->sink, r->procs.v[i]) == -1)
		run_sink_failed(r);
}

/* The spill file system is full: said once.  What was read is held in
 * memory; no more is read than the output needed first until the sink
 * frees some space.  (--pipe: blocks kept aside for jobs that read late
 * fill it as well as output does.) */
static void
say_spill_full(struct run *r)
{
	if (!r->spill.full || r->spill_said)
		return;
	errno = ENOSPC;
	if (r->o->pipe)
		msg_warn_errno("cannot keep input blocks or job output in a "
		               "temporary file in %s; reading less until "
		               "they drain",
		               r->spill.dir);
	else
		msg_warn_errno("cannot keep job output in a temporary file in "
		               "%s; reading less until output drains",
		               r->spill.dir);
	r->spill_said = true;
}

static void
dispatch(struct run *r)
{
	struct pollset *ps = &r->ps;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		short ev = ps->fds[i].revents;

		if (ev == 0)
			continue;
		switch ((enum owner_kind)ps->kind[i]) {
		case OWN_SIG:
			run_on_signals(r, sig_drain());
			break;
		case OWN_INPUT:
			if (feed_read(&r->feed, ps->idx[i]) == -1)
				run_fatal(r, NULL);
			break;
		case OWN_STDOUT:
			r->sink.writable = r->sink.out_ready = true;
			if (sink_write(&r->sink) == -1)
				run_sink_failed(r);
			break;
		case OWN_OUT:
		case OWN_ERR:
			read_job(r, ps->idx[i], ps->kind[i] == OWN_ERR);
			break;
		case OWN_TTY:
			run_ask_read(r);
			break;
		case OWN_JOB_IN:
			/* (-S: a remote job's script.) */
			if ((r->o->pipe
			         ? pipein_send(&r->feed.pipein,
			                       r->procs.v[ps->idx[i]])
			         : jobin_send(&r->spill, r->procs.v[ps->idx[i]],
			                      r->procs.chunk, PROCS_CHUNK)) ==
			    -1)
				run_fatal(r, NULL);
			break;
		case OWN_PIPE_IN:
			if (pipein_read(&r->feed.pipein) == -1)
				run_fatal(r, NULL);
			break;
		case OWN_FIFO:
			if (pipein_fifo_read(&r->feed.pipein) == -1)
				run_fatal(r, NULL);
			break;
		case OWN_POOL:
			pool_ready(&r->launch.pool, (unsigned)ps->idx[i],
			           ps->fds[i].fd, ev);
			break;
		}
	}
	say_spill_full(r);
}

/*
 * A stderr that failed (full, closed) lost jobs' errors or our messages:
 * pmapf's own output error, as a failed stdout is, though the run went on
 * so stdout lost nothing.  Said once, in case stderr takes it now.
 */
static void
stderr_verdict(struct pmapf_result *res)
{
	int err = msg_stderr_error();

	if (err == 0)
		return;
	errno = err;
	msg_warn_errno("write error on standard error");
	res->status = PMAPF_EXIT_ERROR;
}

struct pmapf_result
pmapf_run(const struct pmapf_opts *o)
{
	struct pmapf_result res = {0, 0};
	struct progress_view v;
	uint64_t emitted = 0;
	struct run r;
	int n;

	if (o->from_joblog != NULL) {
		if (run_timeline_from_joblog(o->from_joblog, o->timeline) == -1)
			res.status = PMAPF_EXIT_ERROR;
		return res;
	}
	if (run_setup(&r, o) == -1) {
		run_teardown(&r);
		res.status = PMAPF_EXIT_ERROR;
		return res;
	}
	for (;;) {
		double now, due = 0;
		bool has_frame;

		/* Collect, then dispatch: finished jobs may free a slot or come
		 * back for another try, and either must start this turn. */
		finish_all(&r);
		if (r.o->pipe && r.phase <= DRAINING &&
		    pipein_tick(&r.feed.pipein) == -1)
			run_fatal(&r, NULL);
		start_jobs(&r);
		/* Jobs that ended at once (resumed, dry run) are finished in
		 * the same turn. */
		if (r.done.n > 0)
			continue;
		/* Work to the workers before output: they run while pmapf
		 * writes. */
		now = io_now();
		launch_tick(&r.launch, feed_input_ended(&r.feed), now);
		/* Output before the bar: a frame drawn after it stays below. */
		if (sink_flush(&r.sink) == -1)
			run_sink_failed(&r);
		if (r.sink.joblog_err != 0)
			run_joblog_failed(&r, r.sink.joblog_err);
		if (r.sink.stream_ended) {
			/* The job may have finished: collect before waiting. */
			r.sink.stream_ended = false;
			continue;
		}
		/* Written: room again, so try the file again. */
		if (r.sink.emitted != emitted) {
			emitted = r.sink.emitted;
			r.spill.full = false;
		}
		/* This turn's starts waited for output that has drained since:
		 * start them before waiting, for nothing else may wake the
		 * loop (no job left, stdout taking all). */
		if (r.starts_held && !run_backed_up(&r))
			continue;
		run_limits_check(&r, now);
		procs_check_timeouts(&r.procs, now);
		run_decide(&r, now);
		if (r.phase == DONE)
			break;
		/* -p: no frame over the question on the terminal. */
		has_frame = r.asking == NULL && display_due(&r.disp, &due);
		if (has_frame && now - r.t0 >= due) {
			run_view(&r, &v, now);
			display_frame(&r.disp, &v);
			has_frame = display_due(&r.disp, &due);
		}
		if (run_build_pollset(&r, now) == -1) {
			run_fatal(&r, "out of memory");
			continue;
		}
		n = run_wait(&r, now, has_frame, due);
		if (n < 0) {
			if (errno != EINTR)
				run_fatal(&r, "poll");
			continue;
		}
		dispatch(&r);
	}
	run_view(&r, &v, io_now());
	display_finish(&r.disp, &v, r.die_signal != 0);
	/* Any answered in the last turn. */
	revoke_out_of_step(&r);
	res.status = policy_exit_status(&r.policy);
	if (r.joblog_failed || r.results.failed)
		res.status = PMAPF_EXIT_ERROR;
	if (commit_timeline(&r) == -1)
		res.status = PMAPF_EXIT_ERROR;
	res.die_signal = r.die_signal;
	run_teardown(&r);
	stderr_verdict(&res);
	return res;
}
