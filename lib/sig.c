#include "config.h"

#include "sig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"

static int self_pipe[2] = {-1, -1};
static pid_t owner;

/* Caught besides the real-time signals: the ones the loop acts on and
 * every other whose default action would end pmapf. */
static const int handled[] = {
    SIGCHLD,   SIGINT,  SIGTERM, SIGHUP,    SIGUSR1, SIGWINCH, SIGTSTP, SIGCONT,
    SIGQUIT,   SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,  SIGXFSZ,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t w;

	if (getpid() != owner) {
		/* A child between vfork and exec, whose mask was just
		 * cleared: the signal is the child's, with its default
		 * action. */
		(void)signal(sig, SIG_DFL);
		(void)raise(sig);
		errno = saved;
		return;
	}
	/* A full pipe already holds a wake-up: dropping this byte is fine
	 * for SIGCHLD (the loop reaps until nothing is left) and the others
	 * are rare. */
	do
		w = write(self_pipe[1], &b, 1);
	while (w < 0 && errno == EINTR);
	errno = saved;
}

static int catch (int s, const struct sigaction *sa)
{
	struct sigaction old, mine = *sa;

	if (sigaction(s, NULL, &old) == -1)
		return -1;
	if (old.sa_handler == SIG_IGN && s != SIGCHLD)
		return 0;
	mine.sa_flags = SA_RESTART | (s == SIGCHLD ? SA_NOCLDSTOP : 0);
	return sigaction(s, &mine, NULL);
}

int
sig_install(void)
{
	struct sigaction sa;
	size_t i;
	int s;

	owner = getpid();
	if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof handled / sizeof handled[0]; i++)
		if (catch (handled[i], &sa) == -1)
			return -1;
#ifdef SIGRTMIN
	for (s = SIGRTMIN; s <= SIGRTMAX && s <= 64; s++)
		if (catch (s, &sa) == -1)
			return -1;
#else
	(void)s;
#endif
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	return self_pipe[0];
}

uint64_t
sig_drain(void)
{
	unsigned char b[64];
	uint64_t seen = 0;
	ssize_t r, i;

	while ((r = io_read(self_pipe[0], b, sizeof b)) > 0)
		for (i = 0; i < r; i++)
			if (b[i] >= 1 && b[i] <= 64)
				seen |= SIG_BIT(b[i]);
	return seen;
}

bool
sig_terminates(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGHUP:
	case SIGUSR1:
	case SIGWINCH:
	case SIGTSTP:
	case SIGCONT:
		return false;
	default:
		return true;
	}
}

void
sig_stop_self(void)
{
	struct sigaction sa, old;

	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGTSTP, &sa, &old) == -1)
		return;
	(void)raise(SIGTSTP);
	/* Execution resumes here after SIGCONT. */
	(void)sigaction(SIGTSTP, &old, NULL);
}

void
sig_die(int sig)
{
	sigset_t set;

	(void)signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(sig);
}
