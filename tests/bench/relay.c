/*
 * The limit for a tool in the middle: run PROGRAM ARGS... VALUE once per
 * line of stdin (VALUE the line), at most N at a time, each with its
 * stdout and stderr on pipes, poll them, and move whatever a job writes
 * to our stdout with splice(2) (pipes of 1 MiB), stderr to /dev/null.
 * No order, no grouping, no bookkeeping: what pmapf does for one job, and
 * nothing more.  With no output it is the fair dispatch limit (same argv,
 * two pipes, reading to EOF).
 * Usage: relay N PROGRAM [ARGS...]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAXJ 1024

struct slot {
	pid_t pid;
	int fd[2]; /* stdout, stderr read ends; -1 when closed */
};

static int
start(struct slot *s, char **argv)
{
	posix_spawn_file_actions_t fa;
	int out[2], err[2], i, rc;

	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1)
		return -1;
#ifdef F_SETPIPE_SZ
	(void)fcntl(out[0], F_SETPIPE_SZ, 1 << 20);
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	rc = posix_spawnp(&s->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	if (rc != 0)
		return -1;
	s->fd[0] = out[0];
	s->fd[1] = err[0];
	for (i = 0; i < 2; i++)
		fcntl(s->fd[i], F_SETFL, O_NONBLOCK);
	return 0;
}

/* Move what one pipe holds; 1 at EOF. */
static int
move(int fd, int to_stdout)
{
	static char junk[65536];
	ssize_t n;

	for (;;) {
#ifdef SPLICE_F_MOVE
		if (to_stdout)
			n = splice(fd, NULL, 1, NULL, 1 << 20, SPLICE_F_MOVE);
		else
#endif
			n = read(fd, junk, sizeof junk);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == EAGAIN ? 0 : 1;
	}
}

int
main(int argc, char **argv)
{
	struct slot s[MAXJ];
	struct pollfd p[2 * MAXJ];
	char *line = NULL, **args;
	size_t cap = 0;
	ssize_t len;
	int n, running = 0, i, k, np, st, eof = 0;

	if (argc < 3 || (n = atoi(argv[1])) < 1 || n > MAXJ)
		return 2;
	if ((args = calloc((size_t)argc, sizeof *args)) == NULL)
		return 1;
	memcpy(args, argv + 2, (size_t)(argc - 2) * sizeof *args);
	while (!eof || running > 0) {
		while (!eof && running < n) {
			if ((len = getline(&line, &cap, stdin)) <= 0) {
				eof = 1;
				break;
			}
			if (line[len - 1] == '\n')
				line[len - 1] = '\0';
			args[argc - 2] = line;
			if (start(&s[running], args) == -1)
				return 1;
			running++;
		}
		for (np = 0, i = 0; i < running; i++)
			for (k = 0; k < 2; k++)
				if (s[i].fd[k] >= 0) {
					p[np].fd = s[i].fd[k];
					p[np++].events = POLLIN;
				}
		if (np > 0 && poll(p, (nfds_t)np, -1) == -1 && errno != EINTR)
			return 1;
		for (i = 0; i < running; i++) {
			for (k = 0; k < 2; k++)
				if (s[i].fd[k] >= 0 &&
				    move(s[i].fd[k], k == 0)) {
					close(s[i].fd[k]);
					s[i].fd[k] = -1;
				}
			if (s[i].fd[0] < 0 && s[i].fd[1] < 0) {
				waitpid(s[i].pid, &st, 0);
				s[i--] = s[--running];
			}
		}
	}
	free(line);
	free(args);
	return 0;
}
