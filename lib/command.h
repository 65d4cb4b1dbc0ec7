/*
 * Command building: a job's values into the argv it runs (the template,
 * the shell -s picks, {} in the command's name), its --tag, and the
 * command as the joblog and --dry-run show it.  Between the sources,
 * which make the values, and launch, which starts the process.
 *
 * Error convention: 0, or -1 with errno set; command_init prints its own
 * message.
 */
#ifndef PMAPF_COMMAND_H
#define PMAPF_COMMAND_H

#include <stdbool.h>

#include "buf.h"
#include "job.h"
#include "pmapf.h"
#include "shell.h"
#include "template.h"

struct command {
	const struct pmapf_opts *o;
	struct template *tmpl;     /* NULL: the built-in, --workers */
	struct template *tagtmpl;  /* --tagstring */
	struct template *pathtmpl; /* --results PATH */
	struct template_out argv;  /* the last job's, from command_expand */
	struct shell_choice sh;    /* -s */
	struct template_rec *recs; /* scratch: the values of a job */
	size_t nrecs_cap;
	bool names_bound; /* --header: the command knows the column names */
	bool name_varies; /* {} in the command's name: found per job */
	char *path;       /* the program, found once (or per job) */
	int resolve_err;  /* why it cannot be run: an errno value, or 0 */
};

/* How o's command (tag false) or --tagstring (tag true) is parsed. */
void command_conf(const struct pmapf_opts *o, bool tag,
                  struct template_conf *conf);
int command_init(struct command *c, const struct pmapf_opts *o);
void command_free(struct command *c);
/* --header: the column names are known; the command (and --tagstring)
 * may now use them.  0, or -1/ENOMEM. */
int command_bind_names(struct command *c, const char *names, size_t n);
/* {##}, {0#}: the number of jobs, once known. */
void command_set_total(struct command *c, uint64_t total);
/* Room for j's values.  0, or -1/ENOMEM. */
int command_fit(struct command *c, const struct job *j);
/* Expand c->argv for j in its slot.  0, or -1: EINVAL (a value holds a
 * NUL byte), ENOMEM. */
int command_expand(struct command *c, const struct job *j);
/* After command_expand: the program to run, found (for {} in its name,
 * now).  0, or an errno value saying why it cannot be run (ENOMEM too). */
int command_program(struct command *c);
/* After command_expand: the command line's length as --max-chars
 * counts it (its words, a byte after each; a script's text). */
size_t command_chars(const struct command *c);
/* What messages call the program. */
const char *command_name(const struct command *c);
/* --tag, --tagstring: j->tag for this job (in its slot). */
int command_tag(struct command *c, struct job *j);
/* --results PATH: does it hold a replacement string (known once the
 * --header names are bound)?  Then command_path expands it for j (in the
 * slot it ran in) into b, several words joined by spaces.  0 or -1:
 * EINVAL (a value holds a NUL byte), ENOMEM. */
bool command_path_varies(const struct command *c);
int command_path(struct command *c, const struct job *j, struct buf *b);
/* -S: the job about to be expanded runs on l (NULL: here), for
 * --plus {host} and {sshlogin}. */
struct sshlogin;
void command_set_host(struct command *c, const struct sshlogin *l);
/* A string template (tag rules: command_conf) expanded for j into b,
 * as --tagstring is (-S's files).  0, or -1 (EINVAL: a NUL value). */
int command_string(struct command *c, const struct template *t,
                   const struct job *j, struct buf *b);
/* The command j runs, quoted to paste into a shell, into b; for a
 * template, after command_expand. */
int command_describe(const struct command *c, const struct job *j,
                     struct buf *b);

#endif
