/*
 * pmapf: options in, one struct out, one call into the library.  Only
 * here does the program decide to exit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cpus.h"
#include "options.h"
#include "pmapf.h"
#include "sig.h"

static int
close_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "pmapf: write error on standard output: %s\n",
		        strerror(errno));
		return PMAPF_EXIT_ERROR;
	}
	return 0;
}

static int
print_completion(enum args_action action)
{
	enum complete_shell shell = action == ARGS_COMPLETE_BASH ? COMPLETE_BASH
	                            : action == ARGS_COMPLETE_ZSH
	                                ? COMPLETE_ZSH
	                                : COMPLETE_FISH;
	struct buf b = BUF_INIT;

	if (complete_script(&b, shell, "pmapf", args_options, args_noptions) ==
	    -1) {
		fprintf(stderr, "pmapf: --completion: %s\n", strerror(errno));
		buf_free(&b);
		return PMAPF_EXIT_ERROR;
	}
	(void)fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return close_stdout();
}

/*
 * A process started with 0, 1 or 2 closed would hand those numbers to the
 * first pipes it opens, and output would go into a job.  Fill each hole
 * with /dev/null opened the wrong way round, so using it still fails
 * (EBADF) as it would have, and is reported.
 */
static void
ensure_std_fds(void)
{
	static const int modes[] = {O_WRONLY, O_RDONLY, O_RDONLY};
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (open("/dev/null", modes[fd]) != fd)
			exit(PMAPF_EXIT_ERROR);
	}
}

int
main(int argc, char **argv)
{
	struct pmapf_opts o;
	struct pmapf_result res;
	struct buf err = BUF_INIT;
	enum args_action action;

	ensure_std_fds();
	/* Only the character set: numbers stay in the C locale. */
	(void)setlocale(LC_CTYPE, "");
	if (args_parse(&o, argc, argv, &err, &action) == -1) {
		fprintf(stderr,
		        "pmapf: %s\nTry 'pmapf --help' for more information.\n",
		        err.data);
		buf_free(&err);
		return PMAPF_EXIT_ERROR;
	}
	buf_free(&err);
	switch (action) {
	case ARGS_HELP:
		fputs(args_usage, stdout);
		return close_stdout();
	case ARGS_VERSION:
		printf("pmapf %s\n"
		       "Copyright (C) 2026 the pmapf authors.\n"
		       "License MIT: <https://opensource.org/licenses/MIT>.\n"
		       "This is free software: you are free to change and "
		       "redistribute it.\n",
		       PACKAGE_VERSION);
		return close_stdout();
	case ARGS_COMPLETE_BASH:
	case ARGS_COMPLETE_ZSH:
	case ARGS_COMPLETE_FISH:
		return print_completion(action);
	case ARGS_NUMBER_OF_THREADS:
	case ARGS_NUMBER_OF_CORES:
	case ARGS_NUMBER_OF_SOCKETS:
		printf("%u\n", cpus_count(action == ARGS_NUMBER_OF_THREADS
		                              ? CPUS_THREADS
		                          : action == ARGS_NUMBER_OF_CORES
		                              ? CPUS_CORES
		                              : CPUS_SOCKETS));
		return close_stdout();
	case ARGS_RUN:
		break;
	}
	/* --tmpdir is $TMPDIR, for pmapf and its jobs, as GNU parallel. */
	if (o.tmpdir != NULL && setenv("TMPDIR", o.tmpdir, 1) == -1) {
		fprintf(stderr, "pmapf: --tmpdir: %s\n", strerror(errno));
		args_free(&o);
		return PMAPF_EXIT_ERROR;
	}
	/* Ours now: jobs must not inherit the progress descriptor. */
	if (o.progress_fd > STDERR_FILENO)
		(void)fcntl(o.progress_fd, F_SETFD, FD_CLOEXEC);
	res = pmapf_run(&o);
	args_free(&o);
	if (res.die_signal != 0)
		sig_die(res.die_signal);
	return res.status;
}
