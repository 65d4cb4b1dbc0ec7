/* Building and tearing down a run's stages, and what the bar is told. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "cpus.h"
#include "guard.h"
#include "io.h"
#include "msg.h"
#include "run_state.h"
#include "sig.h"

void
pmapf_opts_init(struct pmapf_opts *o)
{
	memset(o, 0, sizeof *o);
	o->jobs = cpus_count(CPUS_THREADS);
	o->time_scale = 1.0;
	o->progress = PROGRESS_AUTO;
	o->progress_interval = 10.0;
	o->progress_fd = STDERR_FILENO;
	o->delim = '\n';
	o->block_size = 1 << 20;
}

void
run_view(const struct run *r, struct progress_view *v, double now)
{
	memset(v, 0, sizeof *v);
	v->elapsed = now - r->t0;
	v->done = r->policy.done;
	v->emitted = r->sink.emitted;
	v->running =
	    r->launch.use_pool ? launch_pooled(&r->launch) : r->procs.running;
	v->failed = r->policy.failed;
	v->read = feed_records_read(&r->feed);
	v->eof = feed_input_ended(&r->feed);
	v->piped = r->o->pipe;
	if (r->o->pipe)
		pipein_bytes(&r->feed.pipein, &v->bytes_in, &v->bytes_total);
	v->total_known = feed_total(&r->feed, &v->total);
	v->ordered = r->sink.ro.ordered;
	/* Say what output waits for once it has waited about a second. */
	if (!sink_held_back(&r->sink, now, 1.0, &v->waiting, &v->waiting_age))
		v->waiting = 0;
	v->rate = v->eta = -1;
	v->nhosts = launch_hosts(&r->launch, &v->hosts);
}

/* Before anything goes to stderr: stdout written as far as it goes now
 * (so 2>&1 keeps the order things happened in), and the bar off. */
static void
before_stderr(void *arg)
{
	struct run *r = arg;

	(void)sink_write(&r->sink);
	display_before_stderr(&r->disp);
}

static void
before_stdout(void *arg)
{
	struct run *r = arg;

	if (r->disp.shares_out)
		display_clear(&r->disp);
}

/*
 * --retry-failed, as GNU parallel: the joblog's failed commands become
 * the input, each a command line for the shell under its old Seq; those
 * that succeeded are skipped as --resume-failed skips them.  The command
 * line's own COMMAND and sources are not used.
 */
static int
retry_failed_opts(struct run *r, const struct pmapf_opts *o)
{
	static char braces[] = "{}";
	struct run_retry *rt = &r->retry;
	struct joblog_unread u;
	size_t i;

	if (joblog_load_commands(o->joblog, &rt->cmds, &u) == -1) {
		msg_warn_errno("cannot read the joblog %s", o->joblog);
		return -1;
	}
	if (rt->cmds.n > 0 &&
	    (rt->vals = calloc(rt->cmds.n, sizeof *rt->vals)) == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	/* A Seq with no failed row: skipped if it succeeded; if it never
	 * ran, an empty command line, as GNU parallel runs. */
	for (i = 0; i < rt->cmds.n; i++)
		rt->vals[i] =
		    rt->cmds.v[i] != NULL ? rt->cmds.v[i] : braces + 2;
	rt->opts = *o;
	rt->src = (struct pmapf_source){NULL, false, (int)rt->cmds.n, rt->vals,
	                                false};
	rt->script[0] = braces;
	rt->opts.sources = &rt->src;
	rt->opts.nsources = 1;
	rt->opts.argc = 1;
	rt->opts.argv = rt->script;
	rt->opts.shell = rt->opts.shell_lines = true;
	rt->opts.resume = 2;
	return 0;
}

int
run_setup(struct run *r, const struct pmapf_opts *o)
{
	memset(r, 0, sizeof *r);
	if (o->retry_failed) {
		if (retry_failed_opts(r, o) == -1)
			return -1;
		o = &r->retry.opts;
	}
	r->o = o;
	r->joblog_fd = -1;
	r->tty_fd = -1;
	r->sink.fd = -1;
	r->t0 = io_now();
	display_init(&r->disp, o->progress, o->progress_fd,
	             o->progress_interval);
	msg_set_hook(before_stderr, r);
	spool_file_init(&r->spill, SPILL_BUDGET, SPILL_PER_JOB);
	job_cache_init(&r->cache, &r->spill,
	               o->pipe || sshlogins_remote(&o->logins) || o->slurm);
	/* pmapf's own habit unless --term-seq says: SIGTERM, then SIGKILL a
	 * second later (half a second for a job that timed out). */
	if (o->term_seq == NULL) {
		(void)termseq_parse("TERM,1000,KILL", &r->term_run, NULL, 0);
		(void)termseq_parse("TERM,500,KILL", &r->term_job, NULL, 0);
	} else if (termseq_parse(o->term_seq, &r->term_run, NULL, 0) == -1) {
		msg_warn("--term-seq: invalid value '%s'", o->term_seq);
		return -1;
	} else {
		r->term_job = r->term_run;
	}
	if (procs_init(&r->procs, &r->spill, o->timeout, o->timeout_pct,
	               &r->term_job) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	policy_init(&r->policy, o);
	/* Before anything else can fail: teardown may then always discard
	 * it, and a path it cannot write is refused before any job. */
	if (run_timeline_open(&r->timeline, o->timeline, o->joblog) == -1 ||
	    results_check(o) == -1)
		return -1;
	if (run_ask_open(r) == -1)
		return -1;
	/* Before the handlers: opening a FIFO source waits for its writer,
	 * and until pmapf's own handling is in place SIGINT and SIGTERM
	 * still end it there.  It says what it could not open or read. */
	if (feed_init(&r->feed, o, &r->cache, &r->spill, &r->done) == -1)
		return -1;
	r->sig_fd = sig_install();
	if (r->sig_fd == -1) {
		msg_warn_errno("cannot install signal handlers");
		return -1;
	}
	child_raise_nofile();
	/* (Sized by the descriptor limit just raised.) */
	spool_hold_init(&r->spill, SPILL_HOLD);
	if (o->nice != 0)
		child_set_nice(o->nice);
	if (child_init() == -1) {
		msg_warn_errno("cannot open /dev/null");
		return -1;
	}
	/* Before any job: if pmapf is killed outright, the guardian takes
	 * the jobs' process groups down.  Without one, pmapf still runs. */
	(void)guard_start(o->pipe ? pipein_scratch(&r->feed.pipein) : NULL);
	/* A dry run leaves the joblog as it was, as GNU parallel: it runs
	 * nothing to log (--resume still reads it). */
	if (o->joblog != NULL && !o->dry_run && strcmp(o->joblog, "-") == 0) {
		r->joblog_fd = SINK_LOG_STDOUT;
	} else if (o->joblog != NULL && !o->dry_run &&
	           (r->joblog_fd = joblog_open(
	                o->joblog, o->joblog_append || o->resume)) == -1) {
		msg_warn_errno("cannot open the joblog %s", o->joblog);
		return -1;
	}
	/* Opened, but full already: the run goes on without it, as when
	 * a row cannot be written later. */
	if (r->joblog_fd >= 0 && joblog_begin(r->joblog_fd) == -1) {
		run_joblog_failed(r, errno);
		(void)close(r->joblog_fd);
		r->joblog_fd = -1;
	}
	/* Last of what may refuse the run, as it empties a table file. */
	if (results_init(&r->results, o, &r->spill) == -1)
		return -1;
	/* A table's rows show each job's command, as the joblog. */
	if (launch_init(&r->launch, o, &r->spill, &r->done, &r->feed.retry,
	                r->joblog_fd != -1 ||
	                    r->results.kind == RESULTS_TABLE) == -1)
		return -1;
	if ((o->onall || o->nonall) &&
	    feed_on_all(&r->feed, (unsigned)o->logins.n, launch_host_free,
	                &r->launch) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	/* A table's rows are never tagged: --tag names them already. */
	if (sink_init(&r->sink, results_fd(&r->results), !o->unordered,
	              o->tag && r->results.kind != RESULTS_TABLE, r->joblog_fd,
	              &r->spill) == -1) {
		msg_warn_errno("cannot set up standard output");
		return -1;
	}
	if (r->joblog_fd == SINK_LOG_STDOUT &&
	    (joblog_header(&r->row) == -1 ||
	     sink_log(&r->sink, r->row.data, r->row.len) == -1)) {
		msg_warn("out of memory");
		return -1;
	}
	/* -X, -m, --xargs fill command lines: the feed needs to know how
	 * much each record takes. */
	if (o->multi != MULTI_NONE && r->launch.cmd.tmpl != NULL) {
		r->feed.tmpl = r->launch.cmd.tmpl;
		r->feed.budget = child_arg_max(o->shell);
		/* --max-chars, as GNU parallel counts: the words, a byte
		 * between each and one at the end. */
		if (o->max_chars > 0 && o->max_chars < r->feed.budget)
			r->feed.budget = o->max_chars;
	}
	/* A running job's output may go out before it ends only where it
	 * can never be taken back or changed: no retries, no tags, no
	 * line-by-line output. */
	r->sink.stream_ok = o->retries <= 1 && !o->tag && !o->line_buffer &&
	                    !results_active(&r->results);
	r->sink.ungroup = o->ungroup;
	r->sink.before_out = before_stdout;
	r->sink.hook_arg = r;
	return 0;
}

void
run_teardown(struct run *r)
{
	joblog_commands_free(&r->retry.cmds);
	free(r->retry.vals);
	launch_free(&r->launch);
	procs_free(&r->procs, &r->cache);
	feed_free(&r->feed);
	while (r->done.n > 0)
		job_recycle(&r->cache, joblist_pop(&r->done));
	sink_free(&r->sink);
	results_free(&r->results);
	buf_free(&r->first);
	job_cache_free(&r->cache);
	run_ask_close(r);
	if (r->joblog_fd >= 0)
		close(r->joblog_fd);
	buf_free(&r->row);
	run_timeline_discard(&r->timeline);
	pollset_free(&r->ps);
	msg_set_hook(NULL, NULL);
	display_free(&r->disp);
	spool_file_close(&r->spill);
	guard_stop();
}
