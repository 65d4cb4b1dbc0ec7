/*
 * --results: the pure parts.  How a value becomes one directory name of
 * the results tree, and how a finished job becomes a CSV, TSV or JSON
 * row, in GNU parallel's columns and keys (Seq, Host, Starttime,
 * JobRuntime, Send, Receive, Exitval, Signal, Command, the values, Stdout,
 * Stderr).  State in, bytes out; results.c does the files.
 *
 * Error convention: 0, or -1 with errno set (ENOMEM).
 */
#ifndef PMAPF_RESULTFMT_H
#define PMAPF_RESULTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "joblog.h"

enum resultfmt_kind { RESULTFMT_CSV, RESULTFMT_TSV, RESULTFMT_JSON };

/* The longest directory name made from one value (NAME_MAX). */
#define RESULTFMT_NAME_MAX 255

/*
 * Append value v as one directory name, escaped as GNU parallel does:
 * backslash as \\, TAB as \t, NUL as \0, / as \_.  Where GNU's name would
 * not name a directory of its own, pmapf's does: an empty value is \e,
 * "." is \. and ".." is \.\. ; a name longer than RESULTFMT_NAME_MAX keeps
 * its start and ends in \# and a hash of the whole value, so two long
 * values that start alike still get two directories.
 */
int resultfmt_dirname(struct buf *b, const char *v, size_t n);

/* GNU parallel's rule: a CSV/TSV field is quoted when it holds a double
 * quote, white space, the separator or a NUL. */
bool resultfmt_csv_needs_quotes(const char *p, size_t n, char sep);
/* Append p with each double quote doubled (the inside of a quoted
 * field; may be called piece by piece). */
int resultfmt_csv_body(struct buf *b, const char *p, size_t n);
/* Append one whole field, quoted if it needs to be. */
int resultfmt_csv_field(struct buf *b, const char *p, size_t n, char sep);

/*
 * The inside of a JSON string, piece by piece: \\ and \", control bytes
 * as \u00XX (lower-case hex, as GNU parallel), valid UTF-8 as it is, and
 * each byte that is not part of valid UTF-8 as \udcXX (the lone surrogate
 * Python's surrogateescape uses), so every line is valid JSON whatever
 * the bytes and the bytes can be had back.  A sequence cut between two
 * pieces is carried over; last: no more pieces follow.
 */
struct resultfmt_json {
	unsigned char pend[4];
	size_t npend;
};
int resultfmt_json_body(struct buf *b, struct resultfmt_json *st, const char *p,
                        size_t n, bool last);

/* What a row says about its job: what its joblog row says, and its
 * values. */
struct resultfmt_row {
	struct joblog_row log;
	const char *const *vals; /* the job's values, in order */
	const size_t *val_lens;
	size_t nvals;
};

/* The CSV/TSV header line: the value columns are names[0..n) (--header)
 * or V1..Vn.  JSON has none. */
int resultfmt_header(struct buf *b, enum resultfmt_kind k,
                     const char *const *names, const size_t *name_lens,
                     size_t n);
/* A row up to where Stdout's text starts: for CSV/TSV through the
 * opening quote when quoted is true, for JSON through "Stdout": ". */
int resultfmt_row_head(struct buf *b, enum resultfmt_kind k,
                       const struct resultfmt_row *r, bool quoted);
/* Between Stdout's text and Stderr's (closing and opening as asked). */
int resultfmt_row_middle(struct buf *b, enum resultfmt_kind k, bool out_quoted,
                         bool err_quoted);
/* After Stderr's text: the end of the row and its newline. */
int resultfmt_row_tail(struct buf *b, enum resultfmt_kind k, bool quoted);

/* --header names given to the results tree in GNU parallel's order:
 * numerically, then byte by byte ("1a" "1b" "11a"; "age" before "name").
 * order[0..n) receives indexes into names. */
void resultfmt_name_order(const char *const *names, const size_t *lens,
                          size_t n, size_t *order);

#endif
