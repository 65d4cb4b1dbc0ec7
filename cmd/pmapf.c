/*
 * pmapf: options in, one struct out, one call into the library.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmapf.h"
#include "sig.h"

enum {
	OPT_TIME_SCALE = 256,
	OPT_PROGRESS,
	OPT_BAR,
	OPT_PROGRESS_INTERVAL,
	OPT_PROGRESS_FD,
	OPT_TOTAL,
};

static const struct option long_options[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"keep-order", no_argument, NULL, 'k'},
    {"unordered", no_argument, NULL, 'u'},
    {"time-scale", required_argument, NULL, OPT_TIME_SCALE},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"bar", no_argument, NULL, OPT_BAR},
    {"progress-interval", required_argument, NULL, OPT_PROGRESS_INTERVAL},
    {"progress-fd", required_argument, NULL, OPT_PROGRESS_FD},
    {"total", required_argument, NULL, OPT_TOTAL},
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
    "\n"
    "Progress (on stderr):\n"
    "      --progress=MODE   auto (default): a bar only on a foreground\n"
    "                        terminal; bar: always a bar; plain: a log line\n"
    "                        every interval; json: the same as JSON lines;\n"
    "                        none: nothing\n"
    "      --bar             same as --progress=bar\n"
    "      --progress-interval=SECS  seconds between plain/json lines\n"
    "                        (default 10)\n"
    "      --progress-fd=N   write progress to descriptor N, not stderr\n"
    "      --total=N         the number of records, for percent and ETA\n"
    "                        before input ends\n"
    "SIGUSR1 writes one plain status line at any time.\n"
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

static uint64_t
parse_count(const char *name, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' || errno != 0)
		usage_error("%s: invalid value '%s' (expected a whole number)",
		            name, s);
	return v;
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

static double
parse_interval(const char *name, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < 0.1 || v > 86400)
		usage_error("%s: invalid value '%s' (expected seconds from 0.1 "
		            "to 86400)",
		            name, s);
	return v;
}

static enum progress_mode
parse_mode(const char *name, const char *s)
{
	static const char *names[] = {"auto", "bar", "plain", "json", "none"};
	static const enum progress_mode modes[] = {
	    PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_PLAIN, PROGRESS_JSON,
	    PROGRESS_NONE};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return modes[i];
	usage_error("%s: invalid value '%s' (expected auto, bar, plain, json "
	            "or none)",
	            name, s);
	return PROGRESS_NONE;
}

static int
parse_fd(const char *name, const char *s)
{
	uint64_t v = parse_count(name, s);

	if (v > INT_MAX || fcntl((int)v, F_GETFD) == -1)
		usage_error("%s: descriptor %s is not open", name, s);
	/* Ours now: jobs must not inherit it. */
	(void)fcntl((int)v, F_SETFD, FD_CLOEXEC);
	return (int)v;
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
	/* Only the character set: numbers stay in the C locale. */
	(void)setlocale(LC_CTYPE, "");
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
		case OPT_PROGRESS:
			o.progress = parse_mode("--progress", optarg);
			break;
		case OPT_BAR:
			o.progress = PROGRESS_BAR;
			break;
		case OPT_PROGRESS_INTERVAL:
			o.progress_interval =
			    parse_interval("--progress-interval", optarg);
			break;
		case OPT_PROGRESS_FD:
			o.progress_fd = parse_fd("--progress-fd", optarg);
			break;
		case OPT_TOTAL:
			o.total = parse_count("--total", optarg);
			o.total_set = true;
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
