/*
 * --results and --files: each finished job's output kept apart, as GNU
 * parallel keeps it.  Between the policy, which has judged the job, and
 * the sink, which writes what is left of it:
 *
 *  - a tree, --results DIR: DIR/1/<value>/{seq,stdout,stderr}, a name
 *    and a value per column (resultfmt.h escapes them); nothing left for
 *    stdout;
 *  - a path, --results with replacement strings: ending in /, a directory
 *    holding seq, stdout and stderr; else the file itself, .err and .seq;
 *  - a table, --results NAME.csv, .tsv or .json: the job becomes one row
 *    (its stdout and stderr in it), which the sink writes to the table
 *    file (results_fd) or, for "-.csv" and the like, to stdout;
 *  - --files: the job's stdout goes to a file of its own (in the tree, or
 *    in $TMPDIR), and its name takes the place of the output.
 *
 * The files are written when the job has ended, so they hold its last
 * try and nothing of one that was interrupted.  A job whose files cannot
 * be written has a message naming its record take the place of its
 * stderr; the run goes on and ends with status 255.
 *
 * Error convention: 0, or -1 with errno set; results_init prints its own
 * message.
 */
#ifndef PMAPF_RESULTS_H
#define PMAPF_RESULTS_H

#include <stdbool.h>

#include "buf.h"
#include "command.h"
#include "job.h"
#include "pmapf.h"
#include "resultfmt.h"
#include "spool.h"

/* The values a row or a tree path shows: at most this many (a job of
 * more has the rest left out of its row and directory names, never of
 * its command). */
#define RESULTS_MAX_VALUES 1024

enum results_kind {
	RESULTS_NONE,
	RESULTS_TREE,  /* --results DIR, or a path with replacement strings */
	RESULTS_TABLE, /* --results NAME.csv, .tsv, .json */
	RESULTS_FILES  /* --files alone */
};

struct results {
	enum results_kind kind;
	bool files;      /* --files: the names go out */
	const char *dir; /* the tree's root */
	enum resultfmt_kind fmt;
	int table_fd; /* the table file; -1: stdout, or no table */
	bool header_done;
	size_t header_vals; /* value columns the CSV/TSV header names */
	bool fd_given;      /* table_fd is the sink's to close */
	size_t per_job;     /* -N: records in a full job (1 without) */
	bool failed;        /* some job's files could not be written */
	struct spool_file *spill;
	struct buf path, text;
	struct spool row;
	/* Scratch: a job's values, the column names and their order. */
	const char *v[RESULTS_MAX_VALUES], *nm[RESULTS_MAX_VALUES];
	size_t vlen[RESULTS_MAX_VALUES], nmlen[RESULTS_MAX_VALUES];
	char block_seq[24]; /* --pipe: a block's number, its one value */
	size_t order[RESULTS_MAX_VALUES];
	char *chunk; /* IO_CHUNK bytes, when results are kept */
};

/* Is this --results value a table (NAME.csv, .tsv or .json, any case)? */
bool results_is_table(const char *name);
/* Before anything opens a file: a table file that is also an input,
 * stdin or the joblog would be emptied; refused (said).  0 or -1. */
int results_check(const struct pmapf_opts *o);
/* For options o; dry runs keep nothing.  The tree's root or the table
 * file is made now.  0, or -1 (said). */
int results_init(struct results *r, const struct pmapf_opts *o,
                 struct spool_file *spill);
void results_free(struct results *r);
/* Where the sink writes: the table file (the sink closes it from now
 * on), or stdout. */
int results_fd(struct results *r);
/* Job output that goes to the sink holds file names or rows, never a
 * job's own bytes: no tags, no streaming. */
bool results_active(const struct results *r);
/* --resume: has j's stdout file been written by an earlier run (a tree
 * or path only)?  Its name is found as results_put finds it. */
bool results_done(struct results *r, const struct job *j, struct command *c,
                  const char *names, size_t nnames);
/*
 * A finished job j (its joblog row already made): write its files, or
 * make its row, leaving in j->out and j->err what the sink should write.
 * names[0..nnames), NUL-separated in one buffer (or NULL): the --header
 * column names.  0, or -1/errno when pmapf cannot go on (memory, the
 * spill file); a job whose files fail is no such error.  A table's
 * header is appended to first (once, with the first job), for the sink
 * to write before any job's output.
 */
int results_put(struct results *r, struct job *j, struct command *c,
                const char *names, size_t nnames, double now,
                struct buf *first);

#endif
