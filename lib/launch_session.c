/*
 * -S sessions: one ssh per job slot that runs the slot's jobs one after
 * another (remote_script.h), instead of an ssh per job.  An ssh through
 * a master connection costs a process here, a channel and a login shell
 * there, about 20 ms a job on two CPUs; a line into a waiting shell costs
 * a fork there.  A job's output ends where its host's shell marks it
 * (frame.h), so the same pipes serve the next job.
 *
 * Who closes what: a session owns its pipes and lends them to its job
 * (job_fds_lent); procs only lets go of them.  A session whose job did not
 * end cleanly (both ends marked) is not used again; one that died is
 * closed once its job no longer reads from it.
 */
#include "config.h"

#include "launch_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

struct session {
	/* Its ssh; 0: none; -pid: gone (reaped), its pipes still read by
	 * its job, then closed. */
	pid_t pid;
	int in_fd, out_fd, err_fd;
	struct job *job;
	struct frame out, err;
};

/* The mark: random, so no job's output holds it but by chance (frame.h);
 * without /dev/urandom, what this run has that others do not. */
static void
new_mark(char *mark)
{
	unsigned char rnd[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	bool got = fd >= 0 && io_read(fd, rnd, sizeof rnd) == sizeof rnd;

	if (fd >= 0)
		(void)close(fd);
	if (!got) {
		struct timespec ts;
		unsigned long long x;
		size_t i;

		(void)clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long long)ts.tv_nsec * 6364136223846793005ULL ^
		    (unsigned long long)ts.tv_sec ^
		    ((unsigned long long)getpid() << 32);
		for (i = 0; i < sizeof rnd; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			rnd[i] = (unsigned char)(x >> 56);
		}
	}
	frame_mark_from(rnd, mark);
}

int
launch_session_init(struct launch *l)
{
	unsigned k, n = remote_slots(&l->remote);

	l->sess = calloc(n + 1, sizeof *l->sess);
	if (l->sess == NULL)
		return -1;
	for (k = 0; k <= n; k++)
		l->sess[k].in_fd = l->sess[k].out_fd = l->sess[k].err_fd = -1;
	new_mark(l->sess_mark);
	l->sess_on = true;
	return 0;
}

/* Sessions there are (one a slot, from 1); 0 without any. */
static unsigned
sessions(const struct launch *l)
{
	return l->sess != NULL ? remote_slots(&l->remote) : 0;
}

/* Let it go: its ssh told to end (its host's shell then takes down what
 * still runs), its pipes closed.  Its pid, if alive, is reaped as any
 * child's, and then no session's. */
static void
session_close(struct session *s)
{
	if (s->pid > 0)
		(void)killpg(s->pid, SIGTERM);
	if (s->in_fd >= 0)
		(void)close(s->in_fd);
	if (s->out_fd >= 0)
		(void)close(s->out_fd);
	if (s->err_fd >= 0)
		(void)close(s->err_fd);
	s->in_fd = s->out_fd = s->err_fd = -1;
	s->pid = 0;
	s->job = NULL;
}

/* The end of the run (after the loop): every ssh told to end, then
 * collected; one still there after CLOSE_WAIT is killed. */
#define CLOSE_WAIT 2.0

void
launch_session_free(struct launch *l)
{
	unsigned k, n = sessions(l);
	double until = io_now() + CLOSE_WAIT;

	/* All told first, so they end together; then each collected. */
	for (k = 1; k <= n; k++) {
		struct session *s = &l->sess[k];
		pid_t pid = s->pid;

		session_close(s);
		s->pid = pid > 0 ? pid : 0;
	}
	for (k = 1; k <= n; k++)
		if (l->sess[k].pid > 0)
			(void)child_stop(l->sess[k].pid, SIGTERM, until);
	free(l->sess);
	l->sess = NULL;
}

/* A new session for slot k on h: its ssh, the script first on its
 * stdin.  0 or an errno value. */
static int
session_open(struct launch *l, struct session *s, const struct sshlogin *h,
             unsigned k)
{
	char *const *argv = remote_argv(&l->remote, h, k);
	struct child c;
	int in[2], err;

	if (argv == NULL)
		return ENOMEM;
	if (io_pipe_nonblock(in, 1) == -1)
		return errno;
	err = child_spawn(l->ssh_path, argv, jobenv_for(&l->env, 0, k), in[0],
	                  &c);
	(void)close(in[0]);
	if (err != 0) {
		(void)close(in[1]);
		return err;
	}
	s->pid = c.pid;
	s->in_fd = in[1];
	s->out_fd = c.out_fd;
	s->err_fd = c.err_fd;
	s->job = NULL;
	frame_init(&s->out, l->sess_mark);
	frame_init(&s->err, l->sess_mark);
	return 0;
}

int
launch_session_spawn(struct launch *l, struct job *j, const struct sshlogin *h,
                     struct child *c)
{
	unsigned k = j->t.slot;
	struct session *s = &l->sess[k];
	bool fresh = s->pid == 0;
	int err;

	/* (The line first: a session left without its script would take
	 * the next line for it.) */
	buf_reset(&l->script);
	(void)jobenv_for(&l->env, j->seq, k);
	l->remote_env[0] = l->env.slot;
	l->remote_env[1] = l->env.seq;
	if ((fresh && remote_session_script(&l->script, l->sess_mark) == -1) ||
	    remote_session_job(&l->script, l->cmd.argv.argv, l->remote_env,
	                       NULL) == -1)
		return ENOMEM;
	if (fresh && (err = session_open(l, s, h, k)) != 0)
		return err;
	c->pid = s->pid;
	c->out_fd = s->out_fd;
	c->err_fd = s->err_fd;
	c->in_fd = -1;
	j->route.in_fd = s->in_fd;
	j->route.out_frame = &s->out;
	j->route.err_frame = &s->err;
	j->route.host = h;
	s->job = j;
	if (jobin_put(l->spill, j, l->script.data, l->script.len) == 0)
		return 0;
	/* (Its line may be half written: the session is not to be used,
	 * and the job keeps nothing of it, to start again elsewhere.) */
	session_close(s);
	spool_reset(l->spill, &j->in, 0);
	j->route.in_fd = -1;
	j->route.out_frame = j->route.err_frame = NULL;
	j->route.host = NULL;
	return ENOMEM;
}

bool
launch_session_release(struct launch *l, struct job *j)
{
	struct session *s = &l->sess[j->t.ran_in];

	if (s->job != j)
		return true;
	if (j->t.out_fd >= 0 || j->t.err_fd >= 0)
		return false; /* still reading what it left */
	j->route.in_fd = -1;
	s->job = NULL;
	if (s->pid < 0) {
		s->pid = 0; /* (reaped: nothing to tell it) */
		session_close(s);
	} else if (j->route.frame_ends != FRAME_ENDED_BOTH ||
	           spool_len(&j->in) > 0 || j->t.timed_out || j->t.stopping ||
	           s->in_fd < 0) {
		/* (Not whole, or pmapf told its ssh to end.) */
		session_close(s);
	}
	return true;
}

/* A job's stderr ends a moment after its stdout (the host writes the
 * two ends one after the other): waited for this long. */
#define HALF_WAIT 2.0

/* The session's job has ended on stdout but not yet on stderr. */
static bool
half_ended(const struct session *s)
{
	return s->job != NULL && s->in_fd >= 0 &&
	       s->job->route.frame_ends == FRAME_ENDED_OUT;
}

void
launch_session_tick(struct launch *l, double now)
{
	unsigned k, n = sessions(l);

	for (k = 1; k <= n; k++) {
		struct session *s = &l->sess[k];

		if (!half_ended(s) || now < s->job->route.out_ended + HALF_WAIT)
			continue;
		/*
		 * Something between holds stderr back: a --ssh that filters
		 * it through a program that buffers (grep into a pipe).  The
		 * session's EOF makes it let go, so the job's stderr comes
		 * whole; the next jobs get an ssh each, which ends each
		 * stream.
		 */
		if (l->sess_on)
			msg_warn("a job's stderr from %s came %.0fs after its "
			         "output (does '%s' hold it back?): an ssh per "
			         "job from now on",
			         s->job->route.host->name, HALF_WAIT,
			         l->remote.ssh[0]);
		l->sess_on = false;
		(void)close(s->in_fd);
		s->in_fd = s->job->route.in_fd = -1;
	}
}

double
launch_session_deadline(const struct launch *l)
{
	unsigned k, n = sessions(l);
	double next = 0;

	for (k = 1; k <= n; k++)
		if (half_ended(&l->sess[k]))
			io_sooner(&next,
			          l->sess[k].job->route.out_ended + HALF_WAIT);
	return next;
}

bool
launch_session_reaped(struct launch *l, pid_t pid)
{
	unsigned k, n = sessions(l);

	for (k = 1; k <= n; k++) {
		struct session *s = &l->sess[k];

		if (s->pid != pid)
			continue;
		if (s->job == NULL) {
			s->pid = 0;
			session_close(s);
		} else {
			s->pid = -pid; /* closed once its job is done */
		}
		return true;
	}
	return false;
}
