/*
 * The practical limit for starting jobs: posix_spawn a program once per
 * line of stdin, at most N at a time, waiting for any to end before
 * starting the next.  No output capture.  Usage: spawnloop N PROGRAM
 */
#include "config.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

int
main(int argc, char **argv)
{
	char *line = NULL, *args[2];
	size_t cap = 0;
	int n, running = 0, st;
	pid_t pid;

	if (argc != 3)
		return 2;
	n = atoi(argv[1]);
	args[0] = argv[2];
	args[1] = NULL;
	while (getline(&line, &cap, stdin) > 0) {
		if (running == n) {
			if (wait(&st) > 0)
				running--;
		}
		if (posix_spawn(&pid, argv[2], NULL, NULL, args, environ) != 0)
			return 1;
		running++;
	}
	while (running > 0 && wait(&st) > 0)
		running--;
	free(line);
	return 0;
}
