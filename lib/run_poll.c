/*
 * The loop's wait (see run.c): what each turn polls -- stdin, the jobs'
 * pipes, stdout while output waits, the signal pipe -- and until when:
 * the nearest deadline, to the microsecond where ppoll serves.
 */
#include "config.h"

#include "run_state.h"

#include <poll.h>
#include <time.h>

#include "io.h"

/* Room to start a job now.  New records start only while RUNNING with
 * room to keep their output; jobs handed back (retries, requeued) start
 * while DRAINING too: they are not new, and must finish. */
bool
run_may_start(const struct run *r)
{
	if (r->phase > DRAINING)
		return false;
	/* --halt decides when a job is finished, and a job's process ends
	 * a moment earlier: no new job in that moment. */
	if (r->o->halt.when != HALT_NEVER && r->procs.running < r->procs.n)
		return false;
	/* -p: one question at a time. */
	if (r->asking != NULL)
		return false;
	return launch_has_room(&r->launch, &r->procs);
}

/* Output waits: the spill file is full, or stdout is backed up. */
bool
run_backed_up(const struct run *r)
{
	return r->spill.full || sink_full(&r->sink);
}

int
run_build_pollset(struct run *r, double now)
{
	struct pollset *ps = &r->ps;
	uint64_t only = 0;
	size_t i;
	int fd;

	/* Back-pressure: with stdout backed up, or no room left to spill,
	 * only the output needed first is read (the ordered head, or with
	 * -u the oldest job); the others wait on their full pipes. */
	if (run_backed_up(r))
		only = r->sink.streamer != NULL ? r->sink.streamer->seq
		       : r->sink.ro.ordered     ? sink_waiting_for(&r->sink)
		                                : procs_oldest(&r->procs);
	pollset_clear(ps);
	if (r->o->pipe)
		pipein_turn(&r->feed.pipein, run_may_start(r),
		            r->phase != RUNNING, now);
	if (pollset_add(ps, r->sig_fd, POLLIN, OWN_SIG, 0) == -1)
		return -1;
	for (i = 0; r->phase == RUNNING && i < sources_count(r->feed.src); i++)
		if ((fd = feed_input_fd(&r->feed, i)) >= 0 &&
		    pollset_add(ps, fd, POLLIN, OWN_INPUT, i) == -1)
			return -1;
	/* --pipe: a block begun is read to its end even while draining,
	 * so the job that has it finishes. */
	if (r->o->pipe && r->phase <= DRAINING &&
	    (r->phase == RUNNING || pipein_cutting(&r->feed.pipein)) &&
	    (fd = pipein_fd(&r->feed.pipein)) >= 0 &&
	    pollset_add(ps, fd, POLLIN, OWN_PIPE_IN, 0) == -1)
		return -1;
	if (((r->o->pipe && r->phase <= DRAINING) || r->launch.remote_on) &&
	    procs_pollfds_in(&r->procs, ps, OWN_JOB_IN, now) == -1)
		return -1;
	if ((fd = pipein_fifo_fd(&r->feed.pipein)) >= 0 &&
	    pollset_add(ps, fd, POLLIN, OWN_FIFO, 0) == -1)
		return -1;
	if ((fd = sink_pollfd(&r->sink, now)) >= 0 &&
	    pollset_add(ps, fd, POLLOUT, OWN_STDOUT, 0) == -1)
		return -1;
	if (procs_pollfds(&r->procs, ps, OWN_OUT, OWN_ERR, only,
	                  sink_unread(&r->sink, now, NULL)) == -1)
		return -1;
	if (r->asking != NULL && r->phase <= DRAINING &&
	    pollset_add(ps, r->tty_fd, POLLIN, OWN_TTY, 0) == -1)
		return -1;
	return launch_pollfds(&r->launch, ps, OWN_POOL);
}

/* Seconds until the nearest deadline (0 if passed), or -1 to wait for
 * events. */
static double
poll_timeout(const struct run *r, double now, bool has_frame, double due)
{
	double next = 0;

	if (has_frame)
		io_sooner(&next, r->t0 + due);
	if (r->phase == TERMINATING)
		io_sooner(&next, r->kill_at);
	if (r->phase >= TERMINATING && !sink_idle(&r->sink) &&
	    run_stall_deadline(r) > now)
		io_sooner(&next, run_stall_deadline(r));
	io_sooner(&next, procs_next_deadline(&r->procs, now));
	(void)sink_unread(&r->sink, now, &next);
	io_sooner(&next, launch_next_deadline(&r->launch, now));
	io_sooner(&next, run_limits_deadline(r));
	if (r->o->pipe && r->phase <= DRAINING)
		io_sooner(&next, pipein_deadline(&r->feed.pipein));
	if (next == 0)
		return -1;
	return next <= now ? 0 : next - now > 60 ? 60 : next - now;
}

/* poll(2) for up to `wait` seconds (-1: until an event).  ppoll where
 * there is one: a slow reader's wake (jobin.h) may be well under a
 * millisecond away, and poll would round it up to one, or down to a busy
 * turn. */
static int
poll_for(struct pollset *ps, double wait)
{
#ifdef HAVE_PPOLL
	struct timespec ts;

	if (wait < 0)
		return ppoll(ps->fds, ps->n, NULL, NULL);
	/* Rounded up, so that the deadline has passed on waking. */
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9) + 1;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ppoll(ps->fds, ps->n, &ts, NULL);
#else
	return poll(ps->fds, ps->n,
	            wait < 0 ? -1 : (int)(wait * 1000.0) + (wait > 0));
#endif
}

int
run_wait(struct run *r, double now, bool has_frame, double due)
{
	return poll_for(&r->ps, poll_timeout(r, now, has_frame, due));
}
