#define _GNU_SOURCE
#include "sig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"

static int self_pipe[2] = {-1, -1};

static const int handled[] = {SIGCHLD, SIGINT,   SIGTERM, SIGHUP,
                              SIGUSR1, SIGWINCH, SIGTSTP, SIGCONT};

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t w;

	/* A full pipe already holds a wake-up: dropping this byte is fine
	 * for SIGCHLD (the loop reaps until nothing is left) and the others
	 * are rare. */
	do
		w = write(self_pipe[1], &b, 1);
	while (w < 0 && errno == EINTR);
	errno = saved;
}

int
sig_install(void)
{
	struct sigaction sa, old;
	size_t i;

	if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof handled / sizeof handled[0]; i++) {
		int s = handled[i];

		if (sigaction(s, NULL, &old) == -1)
			return -1;
		if (old.sa_handler == SIG_IGN && s != SIGCHLD)
			continue;
		sa.sa_flags = SA_RESTART | (s == SIGCHLD ? SA_NOCLDSTOP : 0);
		if (sigaction(s, &sa, NULL) == -1)
			return -1;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	return self_pipe[0];
}

unsigned long
sig_drain(void)
{
	unsigned char b[64];
	unsigned long seen = 0;
	ssize_t r, i;

	while ((r = io_read(self_pipe[0], b, sizeof b)) > 0)
		for (i = 0; i < r; i++)
			if (b[i] < sizeof seen * 8)
				seen |= 1ul << b[i];
	return seen;
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
