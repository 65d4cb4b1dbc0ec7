/*
 * Command-line parsing: argv in, one options struct or one error message
 * out.  Nothing here exits or prints; main decides.
 */
#include "config.h"

#include "args.h"
#include "cpus.h"
#include "inputs.h"
#include "options.h"
#include "pipeargs.h"
#include "results.h"
#include "sshargs.h"
#include "template.h"
#include "termseq.h"
#include "values.h"

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

/* A #! script's rewritten command line, kept while o points into it. */
static char **shebang_argv;
static char *shebang_words;

static int
parse(struct pmapf_opts *o, int argc, char **argv, struct buf *err,
      enum args_action *action)
{
	struct parse p;
	struct pipe_args pa = {.header = NULL};
	struct option long_options[OPTIONS_MAX + 1];
	char shorts[2 * OPTIONS_MAX + 3];
	char opt[3] = {'-', '\0', '\0'};
	enum complete_shell shell;
	struct inputs in = {NULL,  0,    ":::", "::::", NULL,
	                    false, NULL, 0,     NULL,   NULL};
	bool keep_order = false;
	const char *jobs_arg = NULL, *load_arg = NULL;
	enum cpus_kind cpu_kind = CPUS_THREADS;
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
		case 'P':
			/* Once --use-cores-instead-of-threads is known. */
			jobs_arg = optarg;
			break;
		case OPT_USE_CORES:
			cpu_kind = CPUS_CORES;
			break;
		case OPT_USE_SOCKETS:
			cpu_kind = CPUS_SOCKETS;
			break;
		case OPT_NUMBER_OF_THREADS:
		case OPT_NUMBER_OF_CORES:
		case OPT_NUMBER_OF_SOCKETS:
			*action =
			    c == OPT_NUMBER_OF_THREADS ? ARGS_NUMBER_OF_THREADS
			    : c == OPT_NUMBER_OF_CORES ? ARGS_NUMBER_OF_CORES
			                               : ARGS_NUMBER_OF_SOCKETS;
			inputs_free(&in, NULL);
			return 0;
		case 'r':
			o->no_empty = true;
			break;
		case 'k':
			o->unordered = false;
			keep_order = pa.keep_order = true;
			break;
		case '0':
			o->delim = '\0';
			break;
		case OPT_PIPE:
		case OPT_PIPE_PART:
		case OPT_ROUND_ROBIN:
		case OPT_CAT:
		case OPT_FIFO:
		case OPT_TEE:
		case OPT_SHARD:
		case OPT_BIN:
		case OPT_GROUP_BY:
		case OPT_BLOCK_TIMEOUT:
		case OPT_RRS:
		case OPT_REGEXP:
		case OPT_BLOCK:
		case OPT_RECEND:
		case OPT_RECSTART:
		case 'L':
			pipe_args_option(&p, o, &pa, c, optarg);
			break;
		case 'n':
		case 'N':
			pa.max_args_given = true;
			pa.max_args = optarg;
			o->max_args_n = c == 'n';
			/* Up to 100000 but with --pipe (pipe_args_check). */
			o->max_args = (unsigned)parse_count(&p, "-N/-n", optarg,
			                                    0, UINT_MAX);
			/* -N0: a job per record, given none of it. */
			o->no_args = o->max_args == 0;
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
		case OPT_MAX_CHARS:
			o->max_chars = (size_t)parse_count(&p, "--max-chars",
			                                   optarg, 1, INT_MAX);
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
			pa.header = optarg;
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
		case 't':
			o->verbose = true;
			break;
		case 'p':
			o->interactive = true;
			break;
		case OPT_DELAY:
			o->delay = parse_duration(&p, "--delay", optarg, 0);
			break;
		case OPT_NICE:
			o->nice = (int)parse_int(&p, "--nice", optarg, -20, 19);
			break;
		case OPT_SHUF:
			o->shuf = true;
			break;
		case OPT_RESULTS:
			o->results = parse_file(&p, "--results", optarg);
			break;
		case OPT_FILES:
			o->files = true;
			break;
		case 'S':
		case OPT_SSHLOGINFILE:
		case OPT_SSH:
		case OPT_ENV:
		case OPT_FILTER_HOSTS:
		case OPT_WORKDIR:
		case OPT_TRANSFERFILE:
		case OPT_TRANSFER:
		case OPT_RETURN:
		case OPT_CLEANUP:
		case OPT_TRC:
		case OPT_BASEFILE:
		case OPT_SLURM:
		case OPT_ONALL:
		case OPT_NONALL:
		case OPT_SRUN:
		case OPT_CPUS_PER_TASK:
			ssh_args_option(&p, o, c, optarg);
			break;
		case OPT_TMPDIR:
			o->tmpdir = parse_dir(&p, "--tmpdir", optarg);
			break;
		case OPT_MEMFREE:
			o->memfree = parse_size(&p, "--memfree", optarg);
			break;
		case OPT_LOAD:
			load_arg = optarg;
			break;
		case OPT_JOBLOG:
			o->joblog_append = optarg[0] == '+';
			o->joblog = parse_file(&p, "--joblog",
			                       optarg + o->joblog_append);
			break;
		case OPT_TERM_SEQ: {
			struct termseq ts;
			char why[160];

			/* why quotes the value's bad part: shown too, so a
			 * newline in it cannot split the line. */
			if (termseq_parse(optarg, &ts, why, sizeof why) == -1)
				usage_error(
				    &p, "--term-seq: invalid value '%s' (%s)",
				    shown(&p, optarg), shown(&p, why));
			o->term_seq = optarg;
			break;
		}
		case OPT_RETRIES:
			o->retries = (unsigned)parse_count(&p, "--retries",
			                                   optarg, 0, 1000000);
			break;
		case OPT_HALT:
		case OPT_HALT_ON_ERROR:
			parse_halt(&p,
			           c == OPT_HALT ? "--halt" : "--halt-on-error",
			           optarg, &o->halt);
			break;
		case OPT_LINE_BUFFER:
			o->line_buffer = true;
			break;
		case OPT_UNGROUP:
			o->line_buffer = o->ungroup = true;
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
		case OPT_RETRY_FAILED:
			o->retry_failed = true;
			break;
		case OPT_TIMEOUT:
			if (strchr(optarg, '%') != NULL)
				o->timeout_pct =
				    parse_percent(&p, "--timeout", optarg);
			else
				o->timeout = parse_duration(&p, "--timeout",
				                            optarg, 0.001);
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
			/* A mode only after '=': alone, GNU parallel's flag. */
			o->progress =
			    optarg == NULL
			        ? PROGRESS_SHOW
			        : parse_mode(&p, "--progress", optarg);
			break;
		case OPT_ETA:
			o->progress = PROGRESS_SHOW;
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
			o->total =
			    parse_count(&p, "--total", optarg, 0, UINT64_MAX);
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
	if (!p.failed && (jobs_arg != NULL || cpu_kind != CPUS_THREADS))
		o->jobs = parse_jobs(&p, "-j/--jobs", jobs_arg,
		                     ssh_args_cpus(o, cpus_count(cpu_kind)));
	if (!p.failed && load_arg != NULL)
		o->load_max = parse_load(&p, load_arg, cpus_count(cpu_kind));
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
	pa.jobs_given = jobs_arg != NULL;
	if (pipe_args_check(&p, o, &pa) == -1 ||
	    ssh_args_check(&p, o, pa.jobs_given) == -1)
		return -1;
	if (o->retry_failed) {
		/* The joblog's commands are the input (see run_setup.c):
		 * each a command line, as with -s and no COMMAND. */
		if (o->workers) {
			usage_error(&p, "--retry-failed runs the joblog's "
			                "commands: not with --workers");
			return -1;
		}
		o->shell = true;
		o->argc = 0;
	}
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
	if ((o->max_args > 1 || o->no_args || o->multi != MULTI_NONE) &&
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
	if ((o->timeout > 0 || o->timeout_pct > 0) &&
	    (o->argc == 0 || o->workers)) {
		usage_error(&p,
		            "--timeout applies to a COMMAND run per record, "
		            "not to %s",
		            o->workers ? "--workers" : "the built-in");
		return -1;
	}
	if (o->line_buffer) {
		const char *what =
		    o->ungroup ? "--ungroup writes output as it comes"
		               : "--line-buffer writes lines as they come";

		if (keep_order) {
			usage_error(&p, "%s and cannot keep input order (-k)",
			            what);
			return -1;
		}
		/* A tag needs the start of a line; GNU parallel drops it. */
		if (o->ungroup && o->tag) {
			usage_error(&p,
			            "%s, parts of lines: no --tag or "
			            "--tagstring (--line-buffer can)",
			            what);
			return -1;
		}
		o->unordered = true;
	}
	if ((o->results != NULL || o->files) && o->line_buffer) {
		/* Their output goes to files whole, when each job ends. */
		usage_error(&p,
		            "%s keeps each job's output in files: not with "
		            "%s",
		            o->results != NULL ? "--results" : "--files",
		            o->ungroup ? "--ungroup" : "--line-buffer");
		return -1;
	}
	if (o->results != NULL && results_is_table(o->results) &&
	    (o->files || (o->joblog != NULL && strcmp(o->joblog, "-") == 0))) {
		usage_error(&p,
		            "--results %s puts each job's output in a row: "
		            "not with %s",
		            shown(&p, o->results),
		            o->files ? "--files" : "--joblog -");
		return -1;
	}
	if (o->shuf && o->resume) {
		/* The joblog's Seq would be another run's shuffle: jobs done
		 * would run again, others never. */
		usage_error(&p,
		            "--shuf numbers jobs in a new random order each "
		            "run: not with --resume or --resume-failed");
		return -1;
	}
	/* --resume reads the joblog, or (as GNU parallel) looks for the
	 * --results files of each job. */
	if ((o->resume || o->retry_failed) &&
	    (o->joblog == NULL || strcmp(o->joblog, "-") == 0) &&
	    (o->resume != 1 || o->results == NULL ||
	     results_is_table(o->results))) {
		usage_error(&p, "%s needs --joblog FILE%s%s",
		            o->retry_failed  ? "--retry-failed"
		            : o->resume == 2 ? "--resume-failed"
		                             : "--resume",
		            o->resume == 1 ? " or --results DIR" : "",
		            o->joblog != NULL ? ", a file to read (not -)"
		                              : "");
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
	sshlogins_free(&o->logins);
	free(o->env_names);
	o->env_names = NULL;
	o->nenv = 0;
	free(o->send_files);
	free(o->back_files);
	free(o->basefiles);
	o->send_files = o->back_files = o->basefiles = NULL;
	o->nsend = o->nback = o->nbase = 0;
}
