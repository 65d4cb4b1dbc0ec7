/* GNU parallel's --joblog format, as pure formatting: row in, bytes out. */
#ifndef PMAPF_JOBLOG_H
#define PMAPF_JOBLOG_H

#include <stdint.h>

#include "buf.h"

struct joblog_row {
	uint64_t seq;
	double start;      /* epoch seconds */
	double runtime;    /* seconds */
	uint64_t received; /* bytes of stdout */
	int exitval;       /* -1 for a job ended by --timeout */
	int signal;        /* what killed it, or 0 */
	const char *command;
};

int joblog_header(struct buf *b);
int joblog_format(struct buf *b, const struct joblog_row *row);

#endif
