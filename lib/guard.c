#include "config.h"

#include "guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buf.h"
#include "child.h"
#include "scratch.h"

/*
 * A note is one byte of operation and the group id (int32, host order),
 * sent with one write(2): far below PIPE_BUF, so it is never split.
 */
enum { NOTE_ADD = 'a', NOTE_FORGET = 'f', NOTE_STOP = 's', NOTE_SIZE = 5 };

/* How long guard_stop waits for the guardian to finish. */
#define STOP_WAIT_MS 2000

/* pmapf's side */
/* The write end of the notes pipe: pmapf's one descriptor for the
 * guardian (a run at the descriptor limit needs every one).  When the
 * guardian exits, the pipe's read end closes and this end shows POLLERR:
 * that is how guard_stop knows it is done. */
static int note_fd = -1;
static struct buf lingering = BUF_INIT; /* pid_t[]: reaped leaders' groups
                                         * that still have members */
/* The run's job files (--cat, --fifo), for the guardian to remove if
 * pmapf cannot (it was killed outright). */
static const char *scratch_dir;

/* The signals a user or a terminal sends to stop a run: the guardian must
 * outlive the run, so it ignores them all. */
static const int deaf_to[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
                              SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1,
                              SIGUSR2, SIGPIPE, SIGALRM};

/* A struct buf used as an array of pid_t (malloc'd, so aligned). */
static pid_t *
pids(const struct buf *b)
{
	return (pid_t *)(void *)b->data;
}

static size_t
pids_len(const struct buf *b)
{
	return b->len / sizeof(pid_t);
}

static void
pids_remove(struct buf *b, size_t i)
{
	size_t n = pids_len(b);

	pids(b)[i] = pids(b)[n - 1];
	b->len -= sizeof(pid_t);
}

/* --- the guardian -------------------------------------------------------- */

static void
take_note(struct buf *held, const unsigned char *note)
{
	int32_t id;
	pid_t pgid;
	size_t i;

	memcpy(&id, note + 1, sizeof id);
	pgid = (pid_t)id;
	/* killpg(0) or (1) would hit the guardian's own group or init's. */
	if (pgid <= 1)
		return;
	if (note[0] == NOTE_ADD) {
		/* Out of memory: that group goes unguarded, as without us. */
		(void)buf_append(held, &pgid, sizeof pgid);
		return;
	}
	if (note[0] != NOTE_FORGET)
		return;
	for (i = pids_len(held); i-- > 0;)
		if (pids(held)[i] == pgid) {
			pids_remove(held, i);
			return;
		}
}

#ifdef __linux__
/* The process group and session of process name (a /proc entry). */
static int
proc_ids(const char *name, pid_t *pgrp, pid_t *sess)
{
	char path[32], st[512], *p;
	size_t len = strlen(name);
	ssize_t n;
	int fd, g, s;

	if (len == 0 || len > 12 || name[strspn(name, "0123456789")] != '\0')
		return -1;
	memcpy(path, "/proc/", 6);
	memcpy(path + 6, name, len);
	memcpy(path + 6 + len, "/stat", sizeof "/stat");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	n = read(fd, st, sizeof st - 1);
	(void)close(fd);
	if (n <= 0)
		return -1;
	st[n] = '\0';
	/* "pid (comm) state ppid pgrp session ...": comm may hold anything,
	 * the fields after it are numbers. */
	p = strrchr(st, ')');
	if (p == NULL || sscanf(p + 1, " %*c %*d %d %d", &g, &s) != 2)
		return -1;
	*pgrp = g;
	*sess = s;
	return 0;
}

/*
 * Drop (set to 0) every held group that has a member outside pmapf's
 * session.  A group lives in one session, and pmapf's jobs are in
 * pmapf's: such a group is not ours but a stranger's that the kernel gave
 * an id pmapf had not yet reported free.  Without /proc, nothing is
 * dropped.
 */
static void
drop_strangers(pid_t *g, size_t n, pid_t sid)
{
	struct dirent *e;
	pid_t pgrp, sess;
	size_t i;
	DIR *d;

	d = opendir("/proc");
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (proc_ids(e->d_name, &pgrp, &sess) == -1 || sess == sid)
			continue;
		for (i = 0; i < n; i++)
			if (g[i] == pgrp)
				g[i] = 0;
	}
	(void)closedir(d);
}
#endif

static void
kill_held(struct buf *held, pid_t sid)
{
	pid_t *g = pids(held);
	size_t n = pids_len(held), i;

	if (n == 0)
		return;
#ifdef __linux__
	drop_strangers(g, n, sid);
#else
	(void)sid;
#endif
	for (i = 0; i < n; i++)
		if (g[i] > 1)
			(void)killpg(g[i], SIGKILL);
}

/*
 * The guardian's life: let go of everything pmapf holds (its terminal,
 * session, descriptors, working directory), take notes until pmapf's end
 * closes the pipe, kill what is listed.  Signals are blocked on entry, so
 * nothing meant for pmapf's group can reach it before it leaves.
 */
_Noreturn static void
guardian(int notes, pid_t sid)
{
	unsigned char in[NOTE_SIZE * 128];
	struct buf held = BUF_INIT;
	size_t have = 0, i;
	bool stop = false;
	sigset_t none;
	ssize_t r;
	int sig, fd;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	for (i = 0; i < sizeof deaf_to / sizeof deaf_to[0]; i++)
		(void)signal(deaf_to[i], SIG_IGN);
	(void)setsid();
#ifdef __linux__
	(void)prctl(PR_SET_NAME, "pmapf-guard");
#endif
	/* Off any mount it was started in.  (A failure changes nothing
	 * here; tested so _FORTIFY_SOURCE's warn_unused_result is met.) */
	if (chdir("/") == -1)
		errno = 0;
	/* Our pipe becomes 3 (it may be 0-2 if pmapf was started with
	 * those closed), /dev/null 0-2, nothing else open: the guardian
	 * must hold none of pmapf's pipes or files. */
	notes = fcntl(notes, F_DUPFD, 4);
	if (notes == -1 || dup2(notes, 3) == -1)
		_exit(1);
	notes = 3;
	fd = open("/dev/null", O_RDWR);
	if (fd != -1)
		for (i = 0; i <= 2; i++)
			(void)dup2(fd, (int)i);
	child_close_from(4);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;) {
		r = read(notes, in + have, sizeof in - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		for (i = 0; i + NOTE_SIZE <= have; i += NOTE_SIZE)
			if (in[i] == NOTE_STOP)
				stop = true;
			else
				take_note(&held, in + i);
		if (stop)
			break;
		memmove(in, in + i, have - i);
		have -= i;
	}
	kill_held(&held, sid);
	/* pmapf did not end the run: it could not remove them itself. */
	if (!stop)
		scratch_remove(scratch_dir);
	/* Exiting closes the pipe: guard_stop's sign that we are done. */
	_exit(0);
}

/* --- pmapf's side ------------------------------------------------------- */

static void
forget_guardian(void)
{
	if (note_fd != -1)
		(void)close(note_fd);
	note_fd = -1;
	buf_free(&lingering);
}

static void
note(unsigned char op, pid_t pgid)
{
	unsigned char m[NOTE_SIZE];
	int32_t id = (int32_t)pgid;
	ssize_t w;

	m[0] = op;
	memcpy(m + 1, &id, sizeof id);
	do
		w = write(note_fd, m, sizeof m);
	while (w == -1 && errno == EINTR);
	/* EPIPE: the guardian is gone (SIGPIPE is ignored). */
	if (w != (ssize_t)sizeof m)
		forget_guardian();
}

static bool
group_empty(pid_t pgid)
{
	return killpg(pgid, 0) == -1 && errno == ESRCH;
}

/* Tell the guardian about lingering groups that have emptied. */
static void
recheck_lingering(void)
{
	size_t i;

	for (i = pids_len(&lingering); i-- > 0 && note_fd != -1;)
		if (group_empty(pids(&lingering)[i])) {
			note(NOTE_FORGET, pids(&lingering)[i]);
			if (note_fd != -1)
				pids_remove(&lingering, i);
		}
}

int
guard_start(const char *scratch)
{
	int notes[2], saved, st;
	sigset_t all, old;
	pid_t sid, pid;

	if (note_fd != -1)
		return 0;
	scratch_dir = scratch;
	sid = getsid(0);
	if (sid == -1)
		return -1;
	if (pipe2(notes, O_CLOEXEC) == -1)
		return -1;
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		/* Fork again and leave: the guardian's parent is then init
		 * (or a subreaper), never pmapf. */
		(void)close(notes[1]);
		pid = fork();
		if (pid == 0)
			guardian(notes[0], sid);
		_exit(pid == -1 ? 1 : 0);
	}
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	(void)close(notes[0]);
	note_fd = notes[1];
	if (pid == -1) {
		forget_guardian();
		errno = saved;
		return -1;
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0; /* SIGCHLD ignored: it was reaped for us */
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		forget_guardian();
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

void
guard_add(pid_t pgid)
{
	int saved = errno;

	if (note_fd != -1)
		note(NOTE_ADD, pgid);
	errno = saved;
}

void
guard_reaped(pid_t pgid)
{
	int saved = errno;

	if (note_fd != -1)
		recheck_lingering();
	if (note_fd != -1) {
		if (group_empty(pgid))
			note(NOTE_FORGET, pgid);
		else
			/* Out of memory: it stays listed, killed at the end. */
			(void)buf_append(&lingering, &pgid, sizeof pgid);
	}
	errno = saved;
}

void
guard_stop(void)
{
	struct pollfd pfd;
	int saved = errno, r;

	if (note_fd != -1)
		recheck_lingering();
	if (note_fd == -1) {
		errno = saved;
		return;
	}
	note(NOTE_STOP, 0);
	/* No events asked: poll reports only POLLERR, when the guardian has
	 * killed what was listed and exited. */
	pfd.fd = note_fd;
	pfd.events = 0;
	while (note_fd != -1 && (r = poll(&pfd, 1, STOP_WAIT_MS)) == -1 &&
	       errno == EINTR)
		;
	forget_guardian();
	errno = saved;
}
