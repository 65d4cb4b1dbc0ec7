/*
 * pmapf's options: the one table the parser's getopt tables and the shell
 * completion scripts are both made from, and the --help text.
 */
#ifndef PMAPF_OPTIONS_H
#define PMAPF_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

#include "complete.h"

/* getopt's val for the options without a short spelling. */
enum {
	OPT_TIME_SCALE = 256,
	OPT_PIPE,
	OPT_PIPE_PART,
	OPT_ROUND_ROBIN,
	OPT_CAT,
	OPT_FIFO,
	OPT_TEE,
	OPT_SHARD,
	OPT_BIN,
	OPT_GROUP_BY,
	OPT_BLOCK_TIMEOUT,
	OPT_RRS,
	OPT_REGEXP,
	OPT_BLOCK,
	OPT_RECEND,
	OPT_RECSTART,
	OPT_PROGRESS,
	OPT_BAR,
	OPT_PROGRESS_INTERVAL,
	OPT_PROGRESS_FD,
	OPT_TOTAL,
	OPT_WORKERS,
	OPT_DRY_RUN,
	OPT_JOBLOG,
	OPT_TIMEOUT,
	OPT_RETRIES,
	OPT_HALT,
	OPT_RESUME,
	OPT_RESUME_FAILED,
	OPT_TAG,
	OPT_TAGSTRING,
	OPT_LINE_BUFFER,
	OPT_COMPLETION,
	OPT_TIMELINE,
	OPT_FROM_JOBLOG,
	OPT_ARG_SEP,
	OPT_ARG_FILE_SEP,
	OPT_LINK,
	OPT_TRIM,
	OPT_HEADER,
	OPT_EXTENSIONREPLACE,
	OPT_BASENAMEREPLACE,
	OPT_DIRNAMEREPLACE,
	OPT_BASENAMEEXTENSIONREPLACE,
	OPT_SEQREPLACE,
	OPT_SLOTREPLACE,
	OPT_XARGS,
	OPT_PLUS,
	OPT_MAX_CHARS,
	OPT_DELAY,
	OPT_NICE,
	OPT_SHUF,
	OPT_HALT_ON_ERROR,
	OPT_NUMBER_OF_THREADS,
	OPT_NUMBER_OF_CORES,
	OPT_NUMBER_OF_SOCKETS,
	OPT_USE_CORES,
	OPT_USE_SOCKETS,
	OPT_TERM_SEQ,
	OPT_RETRY_FAILED,
	OPT_MEMFREE,
	OPT_LOAD,
	OPT_UNGROUP,
	OPT_ETA,
	OPT_TMPDIR,
	OPT_RESULTS,
	OPT_FILES,
	OPT_SSHLOGINFILE,
	OPT_SSH,
	OPT_ENV,
	OPT_FILTER_HOSTS,
	OPT_WORKDIR,
	OPT_TRANSFERFILE,
	OPT_TRANSFER,
	OPT_RETURN,
	OPT_CLEANUP,
	OPT_TRC,
	OPT_BASEFILE,
	OPT_SLURM,
	OPT_SRUN,
	OPT_CPUS_PER_TASK,
	OPT_ONALL,
	OPT_NONALL,
};

/* Every option, with what shell completion needs to know of it. */
extern const struct complete_opt args_options[];
extern const size_t args_noptions;
/* As many entries as args_options, and one more for the end. */
#define OPTIONS_MAX 160

/* The --help text. */
extern const char args_usage[];

/* getopt_long's tables from args_options: lo holds args_noptions + 1
 * entries, shorts 2 * args_noptions + 3 bytes. */
void options_getopt(struct option *lo, char *shorts);

#endif
