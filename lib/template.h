/*
 * Command template: argv with replacement strings, expanded per record.
 * Parsing happens once; expansion reuses one buffer, so a job costs no
 * allocation once the buffer has grown.
 *
 * Replacement strings, as GNU parallel has them: {} the record, {.} without
 * its extension, {/} its basename, {//} its dirname, {/.} basename without
 * extension, {#} the job's sequence number, {%} its slot (1..N), {1}..{n}
 * a job's values by position ({-1} the last; sources, columns or -N
 * records), with the same modifiers ({2.}, {-1/}...); {0} is {}.  With
 * none in any argument, the values are added as the last arguments.
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

/* {}, {.}, {/}, {//}, {/.}, {#}, {%}: their strings may be replaced
 * (-I, --extensionreplace, --basenamereplace, --dirnamereplace,
 * --basenameextensionreplace, --seqreplace, --slotreplace). */
enum {
	TEMPLATE_RECORD,
	TEMPLATE_NOEXT,
	TEMPLATE_BASE,
	TEMPLATE_DIR,
	TEMPLATE_BASENOEXT,
	TEMPLATE_SEQ,
	TEMPLATE_SLOT,
	TEMPLATE_NREPL
};

struct template_conf {
	/* The arguments are joined with spaces into one sh script, values
	 * substituted shell-quoted, run as /bin/sh -c SCRIPT. */
	bool shell;
	/* -N: a word holding {} is repeated for each value; else {} stands
	 * for all of a job's values, each a word of its own (several
	 * sources or columns), text around it sticking to the first and
	 * last. */
	bool per_value;
	const char *repl[TEMPLATE_NREPL]; /* NULL: the usual string */
	/* With shell: quote = each argument is one word, its text quoted
	 * too (-q); raw = values go in unquoted (a record that is itself a
	 * command line, -s without COMMAND). */
	bool quote, raw;
	const char *shell_path; /* the shell run with -c; NULL: /bin/sh */
	bool plus;              /* --plus: GNU parallel's extra strings */
	unsigned slots;         /* -j: {0%} is padded to its width */
	/* A string, not a command (--tagstring, --results PATH, -S's
	 * files): without a replacement string the values are not
	 * appended, as GNU parallel. */
	bool string;
};

/*
 * Parse argv[0..argc), which must outlive the template.  0, or -1/errno
 * (ENOMEM; EINVAL for argc 0 or a --plus regex that cannot be used, *why
 * then saying why if why is not NULL).  template_parse: conf with only
 * shell set and per_value.
 */
int template_parse_with(struct template **tp, int argc, char *const argv[],
                        const struct template_conf *conf, const char **why);
int template_parse(struct template **tp, int argc, char *const argv[],
                   bool shell);
/* --header: names[0..n) (NUL-separated, outliving the template) stand
 * for positions 1..n as {name} (and {name.}...).  Parses again. */
int template_bind_names(struct template *t, const char *names, size_t n);
/* Bytes a command line takes: with no value, and for each value more
 * (-X, -m, --xargs fill a command line as far as it fits).  pointers:
 * with argv's pointers, as the kernel counts against ARG_MAX; else the
 * words and their separators, as --max-chars counts. */
size_t template_fixed_cost(const struct template *t, bool pointers);
size_t template_value_cost(const struct template *t, const char *v, size_t len,
                           bool pointers);
/* --plus {uniq}: only jobs whose values differ; {choose_k}: only jobs
 * whose values rise (as strings), the n-choose-k subsets of a source
 * given k times.  Both stand for the values, like {}; the caller drops
 * the jobs.  Which the template holds. */
enum { TEMPLATE_UNIQ = 1, TEMPLATE_CHOOSE_K = 2 };
unsigned template_filters(const struct template *t);
/* {##} or {0#}: the number of jobs is needed before the first (the
 * caller reads all input first, then tells it). */
bool template_needs_total(const struct template *t);
void template_set_total(struct template *t, uint64_t total);
/* --plus {host}, {sshlogin}: the next jobs run there (-S; both NULL:
 * here, ":").  The strings must outlive the expansions. */
void template_set_host(struct template *t, const char *host, const char *login);
/* Does argument i hold a replacement string? */
bool template_varies(const struct template *t, int i);
/* Why argv cannot be a template ({= perl =}), or NULL if it can. */
const char *template_refusal(int argc, char *const argv[]);
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
