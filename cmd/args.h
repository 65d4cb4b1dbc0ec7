/* Command-line parsing for pmapf: argv in, options or an error out. */
#ifndef PMAPF_ARGS_H
#define PMAPF_ARGS_H

#include <stddef.h>

#include "buf.h"
#include "complete.h"
#include "pmapf.h"

enum args_action {
	ARGS_RUN,
	ARGS_HELP,
	ARGS_VERSION,
	ARGS_COMPLETE_BASH, /* print that shell's completion script */
	ARGS_COMPLETE_ZSH,
	ARGS_COMPLETE_FISH
};

/* Every option, with what shell completion needs to know of it. */
extern const struct complete_opt args_options[];
extern const size_t args_noptions;

/* The --help text. */
extern const char args_usage[];

/*
 * Fill o from argv.  0 with *action set, or -1 with a one-line message
 * (without "pmapf: " or newline) appended to err.  o->argv points into
 * argv.
 */
int args_parse(struct pmapf_opts *o, int argc, char **argv, struct buf *err,
               enum args_action *action);

#endif
