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
/*
 * -S sessions: one ssh per job slot runs job after job.  The session's
 * script (after the bootstrap, like a job's) runs each line that follows
 * as a job (remote_session_job): says it started, as a job's script
 * does, runs it with stdin /dev/null, and ends its output with frame.h's end
 * marked with mark; at the EOF of its stdin it takes down what still runs.
 */
int remote_session_script(struct buf *out, const char *mark);
/* A job's line for a session: argv with env and workdir as
 * remote_script, one line. */
int remote_session_job(struct buf *out, char *const *argv, char *const *env,
                       const char *workdir);
/* w quoted for the host's /bin/sh on one line: 'it'\''s', a newline as
 * '"$pmapf_nl"' (a script that holds one first sets it, with
 * REMOTE_SET_NL; a name no --env is likely to give). */
#define REMOTE_SET_NL "pmapf_nl=$(printf '\\nx');pmapf_nl=${pmapf_nl%x};"
int remote_quote(struct buf *out, const char *w);

#endif
