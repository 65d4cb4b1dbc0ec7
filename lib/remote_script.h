/*
 * What a remote job or worker (-S) reads first: a line of sh, built here
 * (pure, for the tests), which remote.h's fixed bootstrap reads from
 * ssh's stdin and evaluates.  Every word is quoted for the host's
 * /bin/sh, on one line.
 */
#ifndef PMAPF_REMOTE_SCRIPT_H
#define PMAPF_REMOTE_SCRIPT_H

#include "buf.h"

/* The fixed command every job's ssh runs (see remote.h). */
extern const char remote_bootstrap[];

/*
 * The script line that runs argv on the host as a job (see remote.h), in
 * workdir when not NULL or "" (made if missing), with the variables of
 * env ("NAME=value", NULL-ended; NULL: none) exported, ending in a
 * newline, appended to out.  0, or -1/ENOMEM.
 */
int remote_script(struct buf *out, char *const *argv, char *const *env,
                  const char *workdir);
/* The same for a --workers worker (the started byte first too): it
 * becomes argv (exec), reading the rest of ssh's stdin, the records, and
 * ends at its EOF. */
int remote_worker_script(struct buf *out, char *const *argv, char *const *env,
                         const char *workdir);
/* w quoted for the host's /bin/sh on one line: 'it'\''s', a newline as
 * '"$nl"' (a script that holds one first sets nl). */
int remote_quote(struct buf *out, const char *w);

#endif
