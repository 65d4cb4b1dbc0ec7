/*
 * --pipe's options: the block, the record's ends and --header's lines,
 * and what --pipe cannot be combined with (checked once all is parsed).
 */
#ifndef PMAPF_PIPEARGS_H
#define PMAPF_PIPEARGS_H

#include <stdbool.h>

#include "pmapf.h"
#include "values.h"

struct pipe_args {
	const char *header;   /* --header's value, as given */
	const char *max_args; /* -N's */
	bool block_given, lines_given, sep_given, max_args_given;
	bool keep_order;                       /* -k */
	bool timeout_given;                    /* --block-timeout */
	bool jobs_given;                       /* -j */
	const char *recend_arg, *recstart_arg; /* as given (--regexp) */
};

/* One of --pipe's options (getopt's c and optarg). */
void pipe_args_option(struct parse *p, struct pmapf_opts *o,
                      struct pipe_args *pa, int c, const char *arg);
/* Once every option is in: --pipe's meaning of -N and --header, and the
 * combinations it refuses.  0, or -1 with the usage error kept in p. */
int pipe_args_check(struct parse *p, struct pmapf_opts *o,
                    struct pipe_args *pa);

#endif
