/*
 * Input sources, as GNU parallel has them: stdin, ::: values, :::: files
 * and -a files.  Several sources give the cartesian product of their
 * values (the last varies fastest); a linked source (:::+, ::::+) moves in
 * step with the one before it and the pair ends with the shorter; --link
 * moves all in step, cycling the shorter ones up to the longest.
 *
 * Each job's values come out as one tuple.  Reading streams: the first
 * source is never held (a value is kept only while the product needs
 * it); later ones, which the product comes back to, are held as they
 * arrive; a tuple is ready as soon as every source has its value, so a
 * slow source does not hold up the first jobs.
 *
 * Columns: with a separator (--colsep) each value splits into several;
 * --trim cuts blanks from each value; with --header the first value of
 * each source names its columns ({name} in the command).
 *
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_SOURCES_H
#define PMAPF_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "input.h"
#include "pmapf.h"

struct sources;

/* A value of a tuple is a struct record (input.h): not NUL-terminated;
 * valid until the next call. */

/*
 * Open every source o names (stdin when it names none).  A file that
 * cannot be opened is named in a message and gives -1.  max_record: the
 * longest value held whole.
 */
int sources_open(struct sources **sp, const struct pmapf_opts *o,
                 size_t max_record);
void sources_close(struct sources *s);

/* How many sources there are (s NULL: none, as with --pipe); the
 * descriptor source i wants read now, or -1 (i < sources_count). */
size_t sources_count(const struct sources *s);
int sources_fd(const struct sources *s, size_t i, size_t readahead);
/* One read of source i.  0, or -1/errno (the caller says which file:
 * sources_name). */
int sources_read(struct sources *s, size_t i);
const char *sources_name(const struct sources *s, size_t i);

enum sources_state { SOURCES_READY, SOURCES_WAIT, SOURCES_END };
/*
 * The next tuple: SOURCES_READY with *vals, *n set (valid until the next
 * call); SOURCES_WAIT until more input arrives; SOURCES_END when there
 * will be no more.  -1/errno on error (ENOMEM; EINVAL: a source meant to
 * hold a header has none, see sources_error).
 */
int sources_next(struct sources *s, const struct record **vals, size_t *n,
                 enum sources_state *state);
/* Why the last call failed with EINVAL, for a message; NULL if not. */
const char *sources_error(const struct sources *s);

/* No tuple will come (every source read, none left to give).  Not
 * const: finding out takes in what has been read. */
bool sources_done(struct sources *s);
/* Every source has ended (nothing more will be read). */
bool sources_ended(const struct sources *s);
/* Tuples known to be available so far (taken or not): at the end, the
 * total.  For a lone source, its records seen. */
uint64_t sources_seen(const struct sources *s);

/* Perl's \s (space, tab, newline, CR, FF, VT): what --trim cuts and -r
 * counts as blank, as GNU parallel. */
bool sources_space(char c);
/* Every source held and read (sources_ended): the tuples still to come
 * that drop() keeps (-r drops some), counted without taking them. */
uint64_t sources_count_kept(struct sources *s,
                            bool (*drop)(const void *ctx,
                                         const struct record *v, size_t n),
                            const void *ctx);

/* --header: the column names, in position order (name i is {i+1});
 * NULL until every header has been read, or with no --header (or no
 * sources: s NULL). */
const struct buf *sources_names(const struct sources *s, size_t *n);

#endif
