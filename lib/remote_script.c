/* -S: the line of sh a remote job or worker reads first (see
 * remote_script.h). */
#include "config.h"

#include "remote_script.h"

#include <stdbool.h>
#include <string.h>

const char remote_bootstrap[] =
    "exec /bin/sh -c 'IFS= read -r s && eval \"$s\"'";

int
remote_quote(struct buf *out, const char *w)
{
	if (buf_appendc(out, '\'') == -1)
		return -1;
	for (; *w != '\0'; w++) {
		int r;

		if (*w == '\'')
			r = buf_appends(out, "'\\''");
		else if (*w == '\n')
			r = buf_appends(out, "'\"$nl\"'");
		else
			r = buf_appendc(out, *w);
		if (r == -1)
			return -1;
	}
	return buf_appendc(out, '\'');
}

/* export NAME='value'; for each of env into out (NAME checked by
 * cmd/); sets *nl if a value holds a newline. */
static int
exports(struct buf *out, char *const *env, bool *nl)
{
	size_t i;

	for (i = 0; env != NULL && env[i] != NULL; i++) {
		const char *eq = strchr(env[i], '=');

		if (eq == NULL)
			continue;
		*nl = *nl || strchr(eq, '\n') != NULL;
		if (buf_appends(out, "export ") == -1 ||
		    buf_append(out, env[i], (size_t)(eq + 1 - env[i])) == -1 ||
		    remote_quote(out, eq + 1) == -1 ||
		    buf_appendc(out, ';') == -1)
			return -1;
	}
	return 0;
}

/*
 * What a job's and a worker's script share, appended to out: nl set when
 * some word holds a newline, the started byte on stderr, the exports and
 * the work dir (after the started byte: a work dir that cannot be made is
 * the job's failure, not the connection's).  The command, its words
 * quoted, goes to cmd (NUL-ended).  0 or -1.
 */
static int
preamble(struct buf *out, char *const *argv, char *const *env,
         const char *workdir, struct buf *cmd)
{
	struct buf vars = BUF_INIT;
	bool nl = false;
	size_t i;
	int r = -1;

	for (i = 0; argv[i] != NULL; i++) {
		nl = nl || strchr(argv[i], '\n') != NULL;
		if ((i > 0 && buf_appendc(cmd, ' ') == -1) ||
		    remote_quote(cmd, argv[i]) == -1)
			goto done;
	}
	if (buf_appendc(cmd, '\0') == -1 || exports(&vars, env, &nl) == -1)
		goto done;
	if (workdir != NULL && *workdir != '\0') {
		nl = nl || strchr(workdir, '\n') != NULL;
		if (buf_appends(&vars, "mkdir -p -- ") == -1 ||
		    remote_quote(&vars, workdir) == -1 ||
		    buf_appends(&vars, " && cd -- ") == -1 ||
		    remote_quote(&vars, workdir) == -1 ||
		    buf_appends(&vars, " || exit 1;") == -1)
			goto done;
	}
	if ((nl && buf_appends(out, "nl=$(printf '\\nx');nl=${nl%x};") == -1) ||
	    buf_appends(out, "printf '\\001' >&2;") == -1 ||
	    (vars.len > 0 && buf_append(out, vars.data, vars.len) == -1))
		goto done;
	r = 0;
done:
	buf_free(&vars);
	return r;
}

int
remote_script(struct buf *out, char *const *argv, char *const *env,
              const char *workdir)
{
	struct buf cmd = BUF_INIT;
	int r = preamble(out, argv, env, workdir, &cmd);

	/* The watcher reads the job's stdin, fd 3 (closed for the job), to
	 * its EOF: ssh ended.  Then SIGTERM, and a second later SIGKILL
	 * (pmapf's own habit); its output goes nowhere, so the session ends
	 * with the job. */
	if (r == 0 &&
	    (buf_appends(out, "exec 3<&0 </dev/null;"
	                      "if command -v setsid >/dev/null 2>&1;"
	                      "then setsid ") == -1 ||
	     buf_appends(out, cmd.data) == -1 ||
	     buf_appends(out, " 3<&- & else ") == -1 ||
	     buf_appends(out, cmd.data) == -1 ||
	     buf_appends(out,
	                 " 3<&- & fi;p=$!;"
	                 "{ while read -r _;do :;done;"
	                 "kill -TERM -$p 2>/dev/null||kill -TERM $p;sleep 1;"
	                 "kill -KILL -$p 2>/dev/null||kill -KILL $p;"
	                 "} <&3 >/dev/null 2>&1 & w=$!;"
	                 "wait $p;s=$?;kill $w 2>/dev/null;exit $s\n") == -1))
		r = -1;
	buf_free(&cmd);
	return r;
}

int
remote_worker_script(struct buf *out, char *const *argv, char *const *env,
                     const char *workdir)
{
	struct buf cmd = BUF_INIT;
	int r = preamble(out, argv, env, workdir, &cmd);

	/* The records follow on the same stdin: the worker reads them to
	 * their EOF, which is also how it learns that pmapf (or ssh) went. */
	if (r == 0 &&
	    (buf_appends(out, "exec ") == -1 ||
	     buf_appends(out, cmd.data) == -1 || buf_appendc(out, '\n') == -1))
		r = -1;
	buf_free(&cmd);
	return r;
}
