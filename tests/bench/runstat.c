/*
 * Run a command; append the CPU seconds it used itself -- not its
 * children, the jobs -- to FILE (read from /proc/PID/stat while it is a
 * zombie, waitid with WNOWAIT, before it is reaped; Linux only, "-" where
 * /proc cannot say), and print its peak resident set size in KiB on
 * stderr as "maxrss N" (ru_maxrss), so the benchmark needs no GNU time.
 * Usage: runstat FILE COMMAND [ARG]...   (exit status: the command's)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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
	for (field = 2; p != NULL && field < 14; field++)
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
	struct rusage ru;
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
	if (wait4(pid, &st, 0, &ru) < 0)
		return 2;
	fprintf(stderr, "maxrss %ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
