/*
 * pmapf: options in, one struct out, one call into the library.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmapf.h"
#include "sig.h"

enum { OPT_TIME_SCALE = 256 };

static const struct option long_options[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"keep-order", no_argument, NULL, 'k'},
    {"unordered", no_argument, NULL, 'u'},
    {"time-scale", required_argument, NULL, OPT_TIME_SCALE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "Usage: pmapf [OPTION]... [--] [COMMAND [ARG]...]\n"
    "Run COMMAND once per line of standard input, several at a time, and\n"
    "write each job's output as one block, in input order by default.\n"
    "Every {} in an ARG is replaced by the line; with no {}, the line is\n"
    "added as the last argument.  Without COMMAND, the built-in\n"
    "slow_add_one runs: sleep x/3 seconds, then print x+1.\n"
    "\n"
    "Options:\n"
    "  -j, --jobs=N          run at most N jobs at once (default: number\n"
    "                        of online CPUs)\n"
    "  -k, --keep-order      write output in input order (the default)\n"
    "  -u, --unordered       write each job's output as soon as it ends\n"
    "      --time-scale=F    multiply slow_add_one's sleep by F (0: no\n"
    "                        sleep)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show version information and exit\n"
    "\n"
    "Exit status: 0 if every job succeeded; 1-100 the number of failed\n"
    "jobs; 101 if more than 100 failed; 255 on pmapf's own error.\n"
    "\n"
    "Examples:\n"
    "  seq 5 -1 1 | pmapf -j5 -u\n"
    "  find . -name '*.log' | pmapf -j4 gzip -k {}\n";

static void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pmapf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pmapf --help' for more information.\n");
	exit(PMAPF_EXIT_ERROR);
}

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

static unsigned
parse_jobs(const char *name, const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' ||
	    errno != 0 || v < 1 || v > 1000000)
		usage_error("%s: invalid value '%s' (expected a whole number "
		            "from 1 to 1000000)",
		            name, s);
	return (unsigned)v;
}

static double
parse_scale(const char *name, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < 0)
		usage_error("%s: invalid value '%s' (expected a number of at "
		            "least 0)",
		            name, s);
	return v;
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
	int c;

	ensure_std_fds();
	pmapf_opts_init(&o);
	opterr = 0;
	/* '+': stop at the first non-option, which starts COMMAND. */
	while ((c = getopt_long(argc, argv, "+:j:kuhV", long_options, NULL)) !=
	       -1) {
		switch (c) {
		case 'j':
			o.jobs = parse_jobs("-j/--jobs", optarg);
			break;
		case 'k':
			o.unordered = false;
			break;
		case 'u':
			o.unordered = true;
			break;
		case OPT_TIME_SCALE:
			o.time_scale = parse_scale("--time-scale", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return close_stdout();
		case 'V':
			printf("pmapf %s\n"
			       "Copyright (C) 2026 the pmapf authors.\n"
			       "License MIT: "
			       "<https://opensource.org/licenses/MIT>.\n"
			       "This is free software: you are free to change "
			       "and redistribute it.\n",
			       PACKAGE_VERSION);
			return close_stdout();
		case ':':
			usage_error("option '%s' needs a value",
			            argv[optind - 1]);
			break;
		default:
			if (optopt != 0) {
				char opt[3] = {'-', (char)optopt, '\0'};

				usage_error("unknown option '%s'", opt);
			}
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o.argc = argc - optind;
	o.argv = argv + optind;
	res = pmapf_run(&o);
	if (res.die_signal != 0)
		sig_die(res.die_signal);
	return res.status;
}
