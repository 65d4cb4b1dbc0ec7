/*
 * Command template: argv with replacement strings, expanded per record.
 * Parsing happens once; expansion reuses one buffer, so a job costs no
 * allocation once the buffer has grown.
 *
 * Replacement strings, as GNU parallel has them: {} the record, {.} without
 * its extension, {/} its basename, {//} its dirname, {/.} basename without
 * extension, {#} the job's sequence number, {%} its slot (1..N), {1}..{n}
 * the records of a job given several (-N).  With
 * none in any argument, the record is added as the last argument.
 */
#ifndef PMAPF_TEMPLATE_H
#define PMAPF_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct template;

struct template_out {
	struct buf strings; /* NUL-separated arguments */
	char **argv;        /* points into strings; NULL-terminated */
	size_t argv_cap;
};

/*
 * Parse argv[0..argc).  shell: the arguments are joined with spaces into
 * one sh script, with values substituted shell-quoted, and run as
 * /bin/sh -c SCRIPT.  0, or -1/errno (ENOMEM, EINVAL for argc 0).
 */
int template_parse(struct template **tp, int argc, char *const argv[],
                   bool shell);
void template_free(struct template *t);
/*
 * Expand for one record.  0, or -1 with errno EINVAL when the record
 * holds a NUL byte (it cannot be an argument), ENOMEM.
 */
int template_expand(const struct template *t, const char *rec, size_t len,
                    uint64_t seq, unsigned slot, struct template_out *out);
/* One job, several records (-N): an argument holding {} (or {.}, {/},
 * {//}, {/.}) is repeated once per record; {1}..{n} pick by position
 * (empty past the end); with no replacement string all are appended. */
struct template_rec {
	const char *data;
	size_t len;
};
int template_expand_n(const struct template *t, const struct template_rec *recs,
                      size_t nrecs, uint64_t seq, unsigned slot,
                      struct template_out *out);
void template_out_free(struct template_out *out);

/* The pieces of a path, as the replacement strings take them; each
 * appends to b.  Exposed for the unit tests. */
int template_noext(struct buf *b, const char *s, size_t len);
int template_basename(struct buf *b, const char *s, size_t len);
int template_dirname(struct buf *b, const char *s, size_t len);

#endif
