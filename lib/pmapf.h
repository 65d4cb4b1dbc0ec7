/* libpmapf: map a command over input records in parallel. */
#ifndef PMAPF_H
#define PMAPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sshlogin.h"

/* Where the progress display goes: auto (a bar on a usable foreground
 * terminal, else nothing), or as asked. */
enum progress_mode {
	PROGRESS_AUTO,
	PROGRESS_BAR,
	PROGRESS_PLAIN,
	PROGRESS_JSON,
	PROGRESS_NONE,
	/* --progress, --eta (GNU parallel's flags): a bar on a usable
	 * terminal, else plain lines; never nothing. */
	PROGRESS_SHOW
};

#define PMAPF_NREPL 7

/* An input source: ::: values, or a file (:::: FILE, -a FILE; "-" is
 * stdin). */
struct pmapf_source {
	const char *file; /* a file to read, or NULL for the values */
	bool linked;      /* :::+, ::::+: in step with the source before */
	int nvals;
	char **vals;
	bool skip_first; /* a --shebang script: not its #! line */
};

/* --trim: which ends of a value lose their blanks. */
enum { TRIM_LEFT = 1, TRIM_RIGHT = 2 };

struct pmapf_opts {
	unsigned jobs;     /* at most this many at once, >= 1 */
	bool unordered;    /* write in completion order, not input order */
	double time_scale; /* built-in slow_add_one: sleep factor */
	int argc;          /* command and arguments; 0: the built-in */
	char **argv;
	/* COMMAND is a long-lived worker: a line in, a line out. */
	bool workers;
	int delim;          /* record separator: '\n' by default */
	bool shell;         /* run COMMAND through /bin/sh -c, values quoted */
	bool quote;         /* -q: with shell, COMMAND's words quoted too */
	bool shell_lines;   /* -s without COMMAND: each record is a script */
	bool dry_run;       /* print each command instead of running it */
	bool verbose;       /* -t: each command on stderr as it starts */
	bool interactive;   /* -p: ask on the terminal before each job */
	double delay;       /* --delay: seconds between starts; 0: none */
	int nice;           /* --nice: the jobs' niceness; 0: pmapf's own */
	bool shuf;          /* --shuf: jobs in random order, input read first */
	const char *tmpdir; /* --tmpdir: for TMPDIR (set by the caller) */
	uint64_t memfree;   /* --memfree: bytes free to start a job; 0 none */
	double load_max;    /* --load: start while fewer run; 0 none */
	const char *joblog; /* --joblog FILE, or NULL */
	/* --results DIR, PATH with replacement strings, or NAME.csv/.tsv/
	 * .json ("-.csv"...: stdout), or NULL; --files: print where each
	 * job's stdout was put instead of it. */
	const char *results;
	bool files;
	bool joblog_append;   /* --joblog +FILE */
	double timeout;       /* seconds a job may run; 0: no limit */
	double timeout_pct;   /* --timeout N%: of the median success's time */
	const char *term_seq; /* --term-seq, or NULL: pmapf's own habit */
	unsigned retries;     /* tries per failing job in total; 0, 1: once */
	int resume;           /* 1 --resume, 2 --resume-failed (with joblog) */
	bool retry_failed;    /* rerun the joblog's failed commands */
	bool line_buffer;     /* unordered: whole lines as they come */
	bool ungroup;         /* ... with line_buffer: any bytes as they come */
	unsigned max_args;    /* -N: records per job; 0 (not given) or 1: one */
	bool no_args;         /* -N0: one record per job, and none in COMMAND */
	bool max_args_n;      /* given as -n: {} stands for all, not repeated */
	/* -X (a word holding {} repeated per record), -m (records as
	 * words), shared evenly over the job slots; --xargs: as many as
	 * fit a command line. */
	enum { MULTI_NONE, MULTI_X, MULTI_M, MULTI_XARGS } multi;
	size_t max_chars; /* --max-chars: longest command line; 0: ARG_MAX */
	bool tag;         /* prefix output lines with the record... */
	const char *tagstring; /* ... or with this, expanded; NULL: record */
	struct pmapf_halt {
		enum { HALT_NEVER, HALT_SOON, HALT_NOW } when;
		enum { HALT_FAIL, HALT_SUCCESS, HALT_DONE } what;
		uint64_t count; /* ... this many jobs, or */
		double percent; /* ... this share of them (if > 0) */
	} halt;
	enum progress_mode progress;
	double progress_interval; /* plain, json: seconds between lines */
	int progress_fd;
	const char *timeline;         /* --timeline FILE.svg, or NULL */
	const char *from_joblog;      /* draw this joblog, run nothing */
	struct pmapf_source *sources; /* none: stdin */
	size_t nsources;
	bool link;           /* --link: sources in step, not crossed */
	const char *colsep;  /* --colsep: Perl regex splitting values */
	int trim;            /* TRIM_LEFT | TRIM_RIGHT */
	bool header;         /* --header: first value of each names columns */
	const char *eof_str; /* -E: a value that ends its source */
	bool plus;           /* --plus: GNU parallel's extra strings */
	bool needs_total;    /* {##}, {0#}: all input is read first */
	unsigned filters;    /* {uniq}, {choose_k}: TEMPLATE_* (template.h) */
	bool no_empty;       /* -r: no job for a record with a blank value */
	/* -I, --er, --bnr, --dnr, --bner, --seqreplace, --slotreplace: the
	 * strings for {}, {.}, {/}, {//}, {/.}, {#}, {%}; NULL: as usual. */
	const char *repl[PMAPF_NREPL];
	/* --pipe: each job gets a block of stdin on its stdin, of at most
	 * block_size bytes (unless one record is longer), or of
	 * block_records records (-N); a record is record_lines (-L) record
	 * ends, where recend is followed by recstart (NULL, NULL: delim);
	 * the first pipe_header lines start every block (--header). */
	bool pipe;
	/* --pipe-part: the files (sources, or stdin) cut by offsets; with
	 * blocks_per_slot (--block -n), block_size comes from their size. */
	bool pipe_part;
	uint64_t blocks_per_slot;
	bool round_robin; /* --round-robin: -j jobs, each given many blocks */
	bool pipe_cat;    /* --cat: a block in a temporary file, {} its name */
	bool pipe_fifo;   /* --fifo: a block through a FIFO, {} its name */
	bool pipe_tee;    /* --tee: all of stdin to each job (of tee_jobs) */
	size_t tee_jobs;
	/* --shard, --bin: lines to jobs by column shard_col (from 1) or
	 * the one named shard_name, hashed or (bin) as a number. */
	bool pipe_shard, shard_bin;
	size_t shard_col;
	const char *shard_name;
	/* --group-by: records are runs of lines whose column group_col
	 * (from 1) or group_name holds the same value. */
	bool group_by;
	size_t group_col;
	const char *group_name;
	double block_timeout; /* --block-timeout: a block ends this late */
	bool pipe_rrs;        /* --rrs: record separators out of blocks */
	bool pipe_regexp;     /* --regexp: recend, recstart are regexes */
	uint64_t block_size, block_records;
	unsigned record_lines, pipe_header;
	const char *recend, *recstart;
	size_t recend_len, recstart_len;
	/* -S, --sshloginfile: where jobs run (none: here); --ssh: the
	 * command that reaches them (NULL: ssh).  Each login without N/
	 * gets `jobs` slots, and jobs is then their sum (cmd/ does it). */
	struct sshlogins logins;
	const char *ssh_cmd;
	const char **env_names; /* --env: variables a remote job gets too */
	bool filter_hosts;      /* --filter-hosts: unreachable ones silently */
	/* -S with files: --workdir (NULL: the login dir; "...": a new dir
	 * per job; ".": this one, relative to home), --transferfile,
	 * --return (with replacement strings), --basefile, --cleanup. */
	const char *workdir;
	const char **send_files, **back_files, **basefiles;
	size_t nsend, nback, nbase;
	bool cleanup;
	size_t nenv;
	unsigned jobs_per_login;
	/* --onall: every job on every login of -S (each one job at a time
	 * there, `jobs` logins at once); --nonall: the command once on each,
	 * without values, reading no input. */
	bool onall, nonall;
	/* --slurm: jobs as steps of the allocation; --srun (NULL: srun);
	 * --cpus-per-task (0: not asked). */
	bool slurm;
	const char *srun_cmd;
	unsigned cpus_per_task;
	bool total_set; /* --total: the number of records is known */
	uint64_t total;
};

struct pmapf_result {
	int status;     /* exit status: 0, 1-100 failed jobs, 101, 255 */
	int die_signal; /* non-zero: end by this signal instead */
};

/* Defaults: one job per online CPU, ordered, time scale 1. */
void pmapf_opts_init(struct pmapf_opts *o);
/* Run everything.  Returns only; the caller decides how to exit. */
struct pmapf_result pmapf_run(const struct pmapf_opts *o);

#define PMAPF_EXIT_ERROR 255

#endif
