/*
 * Command-line parsing: argv in, one options struct or one error message
 * out.  Nothing here exits or prints; main decides.
 */
#include "config.h"

#include "args.h"
#include "inputs.h"
#include "options.h"
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct parse {
	struct buf *err;
	bool failed;
	char shown[4][160];
	int nshown;
	bool trim_set;
};

/* A user's string as a message may show it: control bytes escaped (a
 * newline in an option must not split the one-line error), cut short. */
static const char *
shown(struct parse *p, const char *s)
{
	char *o = p->shown[p->nshown++ % 4];
	size_t n = 0, cap = sizeof p->shown[0] - 8;

	for (; *s != '\0' && n < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(o + n, 8, "\\x%02x", c);
		else
			o[n++] = (char)c;
	}
	if (*s != '\0')
		n += (size_t)snprintf(o + n, 8, "...");
	o[n] = '\0';
	return o;
}

static void usage_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
usage_error(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	(void)buf_appends(p->err, line);
}

/* -j 0: "as many as input allows", within a cap that keeps a run sane
 * (pmapf lowers it further if the system refuses processes). */
#define JOBS_UNLIMITED 1024

static unsigned
parse_jobs(struct parse *p, const char *name, const char *s)
{
	unsigned long v;
	long cpus;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *s == '+' || errno != 0 ||
	    (*end != '\0' && strcmp(end, "%") != 0) || v > 1000000 ||
	    (*end == '%' && v == 0)) {
		usage_error(
		    p,
		    "%s: invalid value '%s' (expected a whole number up to "
		    "1000000, or a percentage of the CPUs such as 50%%)",
		    name, shown(p, s));
		return 1;
	}
	if (*end == '%') {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		v = (unsigned long)(cpus > 0 ? cpus : 1) * v / 100;
		return v < 1 ? 1 : (unsigned)(v > 1000000 ? 1000000 : v);
	}
	return v == 0 ? JOBS_UNLIMITED : (unsigned)v;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One byte, literally or as a C escape. */
static int
parse_delim(struct parse *p, const char *name, const char *s)
{
	if (s[0] != '\0' && s[1] == '\0')
		return (unsigned char)s[0];
	if (s[0] == '\\' && s[1] != '\0' && s[2] == '\0') {
		switch (s[1]) {
		case 'n':
			return '\n';
		case 't':
			return '\t';
		case 'r':
			return '\r';
		case '0':
			return '\0';
		case 'a':
			return '\a';
		case 'b':
			return '\b';
		case 'f':
			return '\f';
		case 'v':
			return '\v';
		case '\\':
			return '\\';
		default:
			break;
		}
	}
	if (s[0] == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 &&
	    hexval(s[3]) >= 0 && s[4] == '\0')
		return hexval(s[2]) * 16 + hexval(s[3]);
	usage_error(
	    p,
	    "%s: invalid value '%s' (expected one byte, or an escape such as "
	    "\\t, \\0 or \\x1e)",
	    name, shown(p, s));
	return '\n';
}

static uint64_t
parse_count(struct parse *p, const char *name, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' ||
	    errno != 0) {
		usage_error(p,
		            "%s: invalid value '%s' (expected a whole number)",
		            name, shown(p, s));
		return 0;
	}
	return v;
}

static double
parse_number(struct parse *p, const char *name, const char *s, double min,
             double max, const char *expected)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < min || v > max) {
		usage_error(p, "%s: invalid value '%s' (expected %s)", name,
		            shown(p, s), expected);
		return min;
	}
	return v;
}

static enum progress_mode
parse_mode(struct parse *p, const char *name, const char *s)
{
	static const char *names[] = {"auto", "bar", "plain", "json", "none"};
	static const enum progress_mode modes[] = {
	    PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_PLAIN, PROGRESS_JSON,
	    PROGRESS_NONE};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return modes[i];
	usage_error(
	    p,
	    "%s: invalid value '%s' (expected auto, bar, plain, json or none)",
	    name, shown(p, s));
	return PROGRESS_NONE;
}

static int
parse_fd(struct parse *p, const char *name, const char *s)
{
	uint64_t v = parse_count(p, name, s);

	if (p->failed)
		return STDERR_FILENO;
	if (v > INT_MAX || fcntl((int)v, F_GETFD) == -1) {
		usage_error(p, "%s: descriptor %s is not open", name,
		            shown(p, s));
		return STDERR_FILENO;
	}
	return (int)v;
}

/* A file name: anything but nothing. */
static const char *
parse_file(struct parse *p, const char *name, const char *s)
{
	if (*s == '\0')
		usage_error(p, "%s: a file name is needed", name);
	return s;
}

/* --halt when,what=N or N%: when is now or soon; what is fail, success or
 * done.  "never" turns it off. */
static void
parse_halt(struct parse *p, const char *s, struct pmapf_halt *h)
{
	const char *comma = strchr(s, ',');
	const char *what, *eq;
	char *end;
	double v;

	memset(h, 0, sizeof *h);
	if (strcmp(s, "never") == 0)
		return;
	if (comma == NULL)
		goto bad;
	if ((size_t)(comma - s) == 3 && strncmp(s, "now", 3) == 0)
		h->when = HALT_NOW;
	else if ((size_t)(comma - s) == 4 && strncmp(s, "soon", 4) == 0)
		h->when = HALT_SOON;
	else
		goto bad;
	what = comma + 1;
	eq = strchr(what, '=');
	if (eq == NULL)
		goto bad;
	if ((size_t)(eq - what) == 4 && strncmp(what, "fail", 4) == 0)
		h->what = HALT_FAIL;
	else if ((size_t)(eq - what) == 7 && strncmp(what, "success", 7) == 0)
		h->what = HALT_SUCCESS;
	else if ((size_t)(eq - what) == 4 && strncmp(what, "done", 4) == 0)
		h->what = HALT_DONE;
	else
		goto bad;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (eq[1] == '\0' || errno != 0 || !isfinite(v) || v <= 0)
		goto bad;
	if (strcmp(end, "%") == 0 && v <= 100) {
		h->percent = v;
		return;
	}
	if (*end == '\0' && v == (double)(uint64_t)v) {
		h->count = (uint64_t)v;
		return;
	}
bad:
	h->when = HALT_NEVER;
	usage_error(p,
	            "--halt: invalid value '%s' (expected now or soon, then "
	            ",fail=, ,success= or ,done= with a count or a percentage, "
	            "e.g. now,fail=1 or soon,fail=10%%; or never)",
	            shown(p, s));
}

/* What was wrong with --arg, which getopt refused: a value given to an
 * option that takes none, a prefix of several options, or no option. */
static void
bad_long_option(struct parse *p, const char *arg)
{
	size_t len = strcspn(arg, "="), i, n = 0;
	const struct complete_opt *hit = NULL;
	char name[64];

	snprintf(name, sizeof name, "--%.*s", (int)(len < 60 ? len : 60), arg);
	for (i = 0; i < args_noptions; i++) {
		if (strncmp(args_options[i].name, arg, len) != 0)
			continue;
		if (args_options[i].name[len] == '\0') {
			hit = &args_options[i];
			n = 1;
			break;
		}
		hit = &args_options[i];
		n++;
	}
	if (n == 1 && arg[len] == '=' && hit->arg == COMPLETE_NONE)
		usage_error(p, "option '--%s' takes no value", hit->name);
	else if (n > 1)
		usage_error(p,
		            "option '%s' is ambiguous: it begins more than "
		            "one option",
		            shown(p, name));
	else
		usage_error(p, "unknown option '%s'", shown(p, name));
}

static void
parse_repl(struct parse *p, struct pmapf_opts *o, int c, const char *s)
{
	static const struct {
		int key;
		const char *name;
	} opts[PMAPF_NREPL] = {
	    {'I', "-I/--replace"},
	    {OPT_EXTENSIONREPLACE, "--extensionreplace"},
	    {OPT_BASENAMEREPLACE, "--basenamereplace"},
	    {OPT_DIRNAMEREPLACE, "--dirnamereplace"},
	    {OPT_BASENAMEEXTENSIONREPLACE, "--basenameextensionreplace"},
	    {OPT_SEQREPLACE, "--seqreplace"},
	    {OPT_SLOTREPLACE, "--slotreplace"},
	};
	size_t i;

	_Static_assert(PMAPF_NREPL == TEMPLATE_NREPL,
	               "one option per replacement string");
	for (i = 0; i < PMAPF_NREPL && opts[i].key != c; i++)
		;
	if (i == PMAPF_NREPL)
		return;
	if (*s == '\0')
		usage_error(p, "%s: the replacement string is empty",
		            opts[i].name);
	o->repl[i] = s;
}

/* A #! script's rewritten command line, kept while o points into it. */
static char **shebang_argv;
static char *shebang_words;

static int
parse(struct pmapf_opts *o, int argc, char **argv, struct buf *err,
      enum args_action *action)
{
	struct parse p;
	struct option long_options[OPTIONS_MAX + 1];
	char shorts[2 * OPTIONS_MAX + 3];
	char opt[3] = {'-', '\0', '\0'};
	enum complete_shell shell;
	struct inputs in = {NULL,  0,    ":::", "::::", NULL,
	                    false, NULL, 0,     NULL,   NULL};
	bool keep_order = false;
	int c;

	memset(&p, 0, sizeof p);
	p.err = err;
	options_getopt(long_options, shorts);
	pmapf_opts_init(o);
	*action = ARGS_RUN;
	if (inputs_shebang(&in, &argc, &argv) == -1) {
		usage_error(&p, "out of memory");
		return -1;
	}
	shebang_argv = in.argv;
	shebang_words = in.words;
	opterr = 0;
	/* Full re-initialisation (glibc): parsing may happen more than once
	 * in a process, as under the fuzzer. */
	optind = 0;
	while (!p.failed && (c = getopt_long(argc, argv, shorts, long_options,
	                                     NULL)) != -1) {
		switch (c) {
		case 'j':
			o->jobs = parse_jobs(&p, "-j/--jobs", optarg);
			break;
		case 'k':
			o->unordered = false;
			keep_order = true;
			break;
		case '0':
			o->delim = '\0';
			break;
		case 'n':
		case 'N':
			o->max_args =
			    (unsigned)parse_count(&p, "-N/-n", optarg);
			if (!p.failed &&
			    (o->max_args < 1 || o->max_args > 100000))
				usage_error(&p,
				            "-N/-n: invalid value '%s' "
				            "(expected 1 to 100000)",
				            shown(&p, optarg));
			break;
		case 'd':
			o->delim = parse_delim(&p, "-d/--delimiter", optarg);
			break;
		case 's':
			o->shell = true;
			break;
		case 'q':
			o->quote = true;
			break;
		case 'X':
			o->multi = MULTI_X;
			break;
		case 'm':
			o->multi = MULTI_M;
			break;
		case OPT_XARGS:
			o->multi = MULTI_XARGS;
			break;
		case OPT_PLUS:
			o->plus = true;
			break;
		case 'E':
			o->eof_str = optarg;
			break;
		case 'a':
			if (parse_file(&p, "-a/--arg-file", optarg) != NULL &&
			    inputs_add_file(&in, optarg) == -1)
				usage_error(&p, "out of memory");
			break;
		case OPT_ARG_SEP:
		case OPT_ARG_FILE_SEP:
			if (*optarg == '\0')
				usage_error(&p, "%s: the separator is empty",
				            c == OPT_ARG_SEP
				                ? "--arg-sep"
				                : "--arg-file-sep");
			*(c == OPT_ARG_SEP ? &in.arg_sep : &in.arg_file_sep) =
			    optarg;
			break;
		case OPT_LINK:
			o->link = true;
			break;
		case 'C':
			o->colsep = optarg;
			break;
		case OPT_TRIM:
			if (inputs_trim(optarg, &o->trim, err) == -1)
				p.failed = true;
			p.trim_set = true;
			break;
		case OPT_HEADER:
			o->header = strcmp(optarg, "0") != 0;
			break;
		case 'I':
		case OPT_EXTENSIONREPLACE:
		case OPT_BASENAMEREPLACE:
		case OPT_DIRNAMEREPLACE:
		case OPT_BASENAMEEXTENSIONREPLACE:
		case OPT_SEQREPLACE:
		case OPT_SLOTREPLACE:
			parse_repl(&p, o, c, optarg);
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_JOBLOG:
			o->joblog_append = optarg[0] == '+';
			o->joblog = parse_file(&p, "--joblog",
			                       optarg + o->joblog_append);
			break;
		case OPT_RETRIES:
			o->retries =
			    (unsigned)parse_count(&p, "--retries", optarg);
			if (o->retries > 1000000)
				usage_error(&p, "--retries: at most 1000000");
			break;
		case OPT_HALT:
			parse_halt(&p, optarg, &o->halt);
			break;
		case OPT_LINE_BUFFER:
			o->line_buffer = true;
			break;
		case OPT_TAG:
			o->tag = true;
			break;
		case OPT_TAGSTRING:
			o->tag = true;
			o->tagstring = optarg;
			break;
		case OPT_TIMELINE:
			o->timeline = parse_file(&p, "--timeline", optarg);
			break;
		case OPT_FROM_JOBLOG:
			o->from_joblog =
			    parse_file(&p, "--from-joblog", optarg);
			break;
		case OPT_RESUME:
			o->resume = 1;
			break;
		case OPT_RESUME_FAILED:
			o->resume = 2;
			break;
		case OPT_TIMEOUT:
			o->timeout =
			    parse_number(&p, "--timeout", optarg, 0.001, 1e9,
			                 "seconds, more than 0");
			break;
		case 'u':
			o->unordered = true;
			break;
		case OPT_TIME_SCALE:
			o->time_scale =
			    parse_number(&p, "--time-scale", optarg, 0, 1e9,
			                 "a number of at least 0");
			break;
		case OPT_PROGRESS:
			o->progress = parse_mode(&p, "--progress", optarg);
			break;
		case OPT_BAR:
			o->progress = PROGRESS_BAR;
			break;
		case OPT_PROGRESS_INTERVAL:
			o->progress_interval =
			    parse_number(&p, "--progress-interval", optarg, 0.1,
			                 86400, "seconds from 0.1 to 86400");
			break;
		case OPT_PROGRESS_FD:
			o->progress_fd = parse_fd(&p, "--progress-fd", optarg);
			break;
		case OPT_WORKERS:
			o->workers = true;
			break;
		case OPT_TOTAL:
			o->total = parse_count(&p, "--total", optarg);
			o->total_set = true;
			break;
		case 'h':
			*action = ARGS_HELP;
			inputs_free(&in, NULL);
			return 0;
		case 'V':
			*action = ARGS_VERSION;
			inputs_free(&in, NULL);
			return 0;
		case OPT_COMPLETION:
			if (complete_shell_parse(optarg, &shell) == -1) {
				usage_error(&p,
				            "--completion: invalid value '%s' "
				            "(expected bash, zsh or fish)",
				            shown(&p, optarg));
				break;
			}
			*action = shell == COMPLETE_BASH  ? ARGS_COMPLETE_BASH
			          : shell == COMPLETE_ZSH ? ARGS_COMPLETE_ZSH
			                                  : ARGS_COMPLETE_FISH;
			inputs_free(&in, NULL);
			return 0;
		case ':':
			usage_error(&p, "option '%s' needs a value",
			            shown(&p, argv[optind - 1]));
			break;
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0) {
				bad_long_option(&p, argv[optind - 1] + 2);
			} else {
				opt[1] = (char)optopt;
				usage_error(&p, "unknown option '%s'",
				            shown(&p, opt));
			}
		}
	}
	if (p.failed) {
		inputs_free(&in, NULL);
		return -1;
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	if (inputs_split(&in, o, err) == -1) {
		inputs_free(&in, NULL);
		return -1;
	}
	if (inputs_check(o, p.trim_set, err) == -1)
		return -1;
	if (o->shell && o->argc == 0) {
		/* GNU parallel's `cat cmds | parallel`: each record is a
		 * command line. */
		static char braces[] = "{}";
		static char *script[] = {braces, NULL};

		o->argc = 1;
		o->argv = script;
		o->shell_lines = true;
	}
	if (o->workers && o->argc == 0) {
		usage_error(&p,
		            "--workers needs a COMMAND to run as the worker");
		return -1;
	}
	if ((o->max_args > 1 || o->multi != MULTI_NONE) &&
	    (o->argc == 0 || o->workers)) {
		usage_error(&p,
		            "%s applies to a COMMAND run per "
		            "job, not to %s",
		            o->multi == MULTI_X   ? "-X/--context-replace"
		            : o->multi == MULTI_M ? "-m/--multiple"
		            : o->multi            ? "--xargs"
		                                  : "-N/-n",
		            o->workers ? "--workers" : "the built-in");
		return -1;
	}
	if (o->timeout > 0 && (o->argc == 0 || o->workers)) {
		usage_error(&p,
		            "--timeout applies to a COMMAND run per record, "
		            "not to %s",
		            o->workers ? "--workers" : "the built-in");
		return -1;
	}
	if (o->line_buffer) {
		if (keep_order) {
			usage_error(&p,
			            "--line-buffer writes lines as they come "
			            "and cannot keep input order (-k)");
			return -1;
		}
		o->unordered = true;
	}
	if (o->resume && o->joblog == NULL) {
		usage_error(&p, "%s needs --joblog FILE",
		            o->resume == 2 ? "--resume-failed" : "--resume");
		return -1;
	}
	if (o->from_joblog != NULL && o->timeline == NULL) {
		usage_error(&p, "--from-joblog needs --timeline FILE to draw "
		                "into");
		return -1;
	}
	if (o->timeline != NULL && o->from_joblog == NULL &&
	    strcmp(o->timeline, "-") == 0) {
		usage_error(&p, "--timeline -: standard output is the jobs' "
		                "output; name a file (- is for --from-joblog)");
		return -1;
	}
	if (o->from_joblog != NULL && o->joblog != NULL) {
		usage_error(&p, "--from-joblog runs nothing: no --joblog");
		return -1;
	}
	if (o->from_joblog != NULL && o->argc > 0) {
		usage_error(&p, "--from-joblog draws a joblog and runs "
		                "nothing: no COMMAND");
		return -1;
	}
	if (o->timeline != NULL && strcmp(o->timeline, "-") != 0 &&
	    ((o->joblog != NULL && strcmp(o->timeline, o->joblog) == 0) ||
	     (o->from_joblog != NULL &&
	      strcmp(o->timeline, o->from_joblog) == 0))) {
		usage_error(&p,
		            "--timeline %s is the joblog: it would be "
		            "replaced",
		            shown(&p, o->timeline));
		return -1;
	}
	if (o->timeline != NULL && o->dry_run) {
		usage_error(&p, "--timeline draws jobs that ran; --dry-run "
		                "runs none");
		return -1;
	}
	if (o->workers && (o->shell || o->dry_run)) {
		usage_error(&p, "--workers cannot be combined with %s",
		            o->shell ? "-s/--shell" : "--dry-run");
		return -1;
	}
	return 0;
}

int
args_parse(struct pmapf_opts *o, int argc, char **argv, struct buf *err,
           enum args_action *action)
{
	if (parse(o, argc, argv, err, action) == 0)
		return 0;
	args_free(o);
	return -1;
}

void
args_free(struct pmapf_opts *o)
{
	free(shebang_argv);
	free(shebang_words);
	shebang_argv = NULL;
	shebang_words = NULL;
	free(o->sources);
	o->sources = NULL;
	o->nsources = 0;
}
