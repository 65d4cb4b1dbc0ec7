/*
 * GNU parallel's --joblog: writing its rows, and reading them back as the
 * set of jobs --resume and --resume-failed skip.
 *
 * Every function returning int gives 0 (or the value it documents), or -1
 * with errno set; nothing here prints or exits.
 *
 * A row is nine fields joined by TABs and ended by one newline:
 *   Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
 * The Command is the last field and is written as it is, so it may hold a
 * TAB (GNU parallel 20221122 writes those raw too): a reader splits at the
 * first eight TABs only.  A newline in the Command (a record read with -0)
 * would cut the row in two, so it is written as a NUL byte, which is what
 * GNU parallel does ("$cmd =~ s/\n/\0/g" in print_joblog); a command is a C
 * string, so a NUL read back can only have been a newline.  Such a row is
 * still one line, and the parser, which counts bytes, reads it whole.
 */
#ifndef PMAPF_JOBLOG_H
#define PMAPF_JOBLOG_H

#include <stdbool.h>
#include <stddef.h>
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
	uint64_t sent;    /* bytes given to its stdin (--pipe) */
	const char *host; /* where it ran (-S); NULL: ":", this machine */
};

/* Seq numbers already done in an earlier run: one bit each.  Starts all
 * zero ({NULL, 0}); grows as seqs are added. */
struct seqset {
	uint8_t *bits;
	uint64_t n; /* bits allocated */
};

/* 0, or -1/ENOMEM (also for a seq beyond 2^40, or -1/EINVAL for seq 0);
 * seq >= 1. */
int seqset_add(struct seqset *s, uint64_t seq);
bool seqset_has(const struct seqset *s, uint64_t seq);
/* Frees the bits and leaves an empty set. */
void seqset_free(struct seqset *s);

/* Append the header line, or one row, to b.  0, or -1/ENOMEM. */
int joblog_header(struct buf *b);
int joblog_format(struct buf *b, const struct joblog_row *row);

/*
 * One line of a joblog, without its newline: 1 if it is a job row (*seq,
 * and *succeeded = Exitval 0 and Signal 0), 0 if not (the header, junk, a
 * Seq of 0 or beyond 2^40).  Pure.
 */
int joblog_parse_row(const char *line, size_t len, uint64_t *seq,
                     bool *succeeded);

/*
 * The same line read whole: 1 if every field is what pmapf and GNU
 * parallel write (Seq 1 to 2^40; Starttime and JobRuntime decimal
 * seconds, read without the locale; Send and Receive counts; Exitval and
 * Signal ints), with row->command pointing at the Command inside line
 * (not NUL-terminated: its length in *command_len; a NUL in it stands for
 * a newline); 0 if not a row.  Pure.
 */
int joblog_read_row(const char *line, size_t len, struct joblog_row *row,
                    size_t *command_len);

/* The start of a line shown in a message (msg_quote_record cuts it). */
#define JOBLOG_SHOWN 80

/* Lines joblog_load could not read: neither a row nor the header. */
struct joblog_unread {
	uint64_t lines;          /* how many */
	uint64_t first;          /* the first one's number (1: where the header
	                            belongs), or 0 */
	char text[JOBLOG_SHOWN]; /* its start, text_len bytes of len */
	size_t text_len;
	uint64_t len;
};

/*
 * Add to done every Seq the file at path holds (only succeeded rows if
 * succeeded_only, for --resume-failed).  A last line without its newline
 * was torn by a crash and does not count.  A missing file is an empty set.
 * Line 1 must be the header (a row there counts all the same); any other
 * line that is not a row counts for nothing, and is noted in *unread for
 * the caller to say.  0, or -1/errno; done may then hold part of the file
 * and still needs seqset_free.
 */
int joblog_load(const char *path, bool succeeded_only, struct seqset *done,
                struct joblog_unread *unread);

/* --retry-failed: the commands of the failed rows, by Seq. */
struct joblog_commands {
	char **v; /* v[seq - 1]: a failed job's command, or NULL */
	size_t n;
};

/* Read the commands of the joblog's failed rows, as joblog_load reads
 * the file (newlines, written as NUL bytes, are newlines again).  0, or
 * -1/errno; c then needs joblog_commands_free all the same. */
int joblog_load_commands(const char *path, struct joblog_commands *c,
                         struct joblog_unread *unread);
void joblog_commands_free(struct joblog_commands *c);

/* Open path for appending rows (truncated first unless append),
 * O_CLOEXEC.  The fd, or -1/errno. */
int joblog_open(const char *path, bool append);
/* Write the header if the file is empty.  0, or -1/errno: apart from the
 * open, so the caller can tell a joblog that cannot be opened from one
 * that cannot be written. */
int joblog_begin(int fd);

/* Format and write one row with one write(2), retried only on a short
 * write or EINTR, so a crash loses only rows of unfinished jobs.  0, or
 * -1/errno. */
int joblog_write(int fd, const struct joblog_row *row);

#endif
