/* Command-line parsing for pmapf: argv in, options or an error out. */
#ifndef PMAPF_ARGS_H
#define PMAPF_ARGS_H

#include <stddef.h>

#include "buf.h"
#include "pmapf.h"

enum args_action {
	ARGS_RUN,
	ARGS_HELP,
	ARGS_VERSION,
	ARGS_COMPLETE_BASH, /* print that shell's completion script */
	ARGS_COMPLETE_ZSH,
	ARGS_COMPLETE_FISH,
	ARGS_NUMBER_OF_THREADS, /* --number-of-threads: print, exit */
	ARGS_NUMBER_OF_CORES,   /* --number-of-cores, --number-of-cpus */
	ARGS_NUMBER_OF_SOCKETS
};

/*
 * Fill o from argv.  0 with *action set, or -1 with a one-line message
 * (without "pmapf: " or newline) appended to err.  o->argv points into
 * argv.
 */
int args_parse(struct pmapf_opts *o, int argc, char **argv, struct buf *err,
               enum args_action *action);

/* Free what args_parse allocated in o (the input sources, the words of a
 * --shebang line): after every args_parse that returned 0, whatever the
 * action. */
void args_free(struct pmapf_opts *o);

#endif
