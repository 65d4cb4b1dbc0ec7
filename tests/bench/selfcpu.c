/*
 * Run a command and append the CPU seconds it used itself -- not its
 * children, the jobs -- to FILE: read from /proc/PID/stat while it is a
 * zombie (waitid with WNOWAIT), before it is reaped.  Linux only; "-"
 * is written where /proc cannot say.
 * Usage: selfcpu FILE COMMAND [ARG]...   (exit status: the command's)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
note(const char *file, pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n = 0;
	int field;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: utime and
	 * stime are the 14th and 15th. */
	p = strrchr(buf, ')');
	for (field = 2; p != NULL && field < 13; field++)
		p = strchr(p + 1, ' ');
	if ((f = fopen(file, "a")) == NULL)
		return;
	if (p != NULL && hz > 0 && sscanf(p, " %lu %lu", &ut, &st) == 2)
		fprintf(f, "%.2f\n", (double)(ut + st) / (double)hz);
	else
		fprintf(f, "-\n");
	fclose(f);
}

int
main(int argc, char **argv)
{
	siginfo_t si;
	int st;
	pid_t pid;

	if (argc < 3)
		return 2;
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0)
		return 2;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0)
		note(argv[1], pid);
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
