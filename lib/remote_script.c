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
			r = buf_appends(out, "'\"$pmapf_nl\"'");
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

/* What a job needs besides its command: the exports and the work dir,
 * into vars; the command, its words quoted, into cmd (NUL-ended); *nl
 * set when some word holds a newline.  0 or -1. */
static int
job_words(struct buf *vars, struct buf *cmd, char *const *argv,
          char *const *env, const char *workdir, bool *nl)
{
	size_t i;

	for (i = 0; argv[i] != NULL; i++) {
		*nl = *nl || strchr(argv[i], '\n') != NULL;
		if ((i > 0 && buf_appendc(cmd, ' ') == -1) ||
		    remote_quote(cmd, argv[i]) == -1)
			return -1;
	}
	if (buf_appendc(cmd, '\0') == -1 || exports(vars, env, nl) == -1)
		return -1;
	if (workdir != NULL && *workdir != '\0') {
		*nl = *nl || strchr(workdir, '\n') != NULL;
		if (buf_appends(vars, "mkdir -p -- ") == -1 ||
		    remote_quote(vars, workdir) == -1 ||
		    buf_appends(vars, " && cd -- ") == -1 ||
		    remote_quote(vars, workdir) == -1 ||
		    buf_appends(vars, " || exit 1;") == -1)
			return -1;
	}
	return 0;
}

#define STARTED "printf '\\001' >&2;"

/*
 * What every script for a job or worker shares, appended to out: nl set
 * when some word holds a newline, the started byte on stderr (a session
 * has set nl and says when each job starts: neither), the exports and
 * the work dir (after the started byte: a work dir that cannot be made is
 * the job's failure, not the connection's).  The command goes to cmd.
 * 0 or -1.
 */
static int
preamble(struct buf *out, char *const *argv, char *const *env,
         const char *workdir, struct buf *cmd, bool in_session)
{
	struct buf vars = BUF_INIT;
	bool nl = false;
	int r = -1;

	if (job_words(&vars, cmd, argv, env, workdir, &nl) == -1)
		goto done;
	if ((!in_session && ((nl && buf_appends(out, REMOTE_SET_NL) == -1) ||
	                     buf_appends(out, STARTED) == -1)) ||
	    (vars.len > 0 && buf_append(out, vars.data, vars.len) == -1))
		goto done;
	r = 0;
done:
	buf_free(&vars);
	return r;
}

int
remote_session_script(struct buf *out, const char *mark)
{
	/*
	 * Each job says it started, as a job's own script does: a job whose
	 * session is lost before that never ran.  The group must be the
	 * session's own, for the reader's kill: sshd makes it so; a --ssh
	 * that does not is made up for with setsid where there is one.
	 *
	 * A job's output goes through a cat for each stream, and its end is
	 * written once both cats have ended: what a process it left behind
	 * writes is still its own, as with an ssh of its own (whose channel
	 * ends only then); its status comes back on fd 5.  The shell that
	 * waits for it says nothing into its stderr ("Terminated").
	 *
	 * A job shares the session's group (for the kill at EOF), so the
	 * session's own processes ignore the signals a job may send its
	 * group (kill 0 is common: local jobs lead their own group); the
	 * job gets them back, as an ignored signal would be inherited.
	 *
	 * The reader passes the job lines on and, at their EOF (pmapf or
	 * ssh gone), takes the group down: SIGTERM (the job), SIGKILL a
	 * second later (all of it), as a job's watcher does.  It keeps no
	 * copy of the session's stderr, which would hold the session open.
	 */
	return buf_appends(out,
	                   "kill -0 -$$ 2>/dev/null||{ command -v setsid"
	                   " >/dev/null&&exec setsid /bin/sh -c \"$s\";};"
	                   "trap '' TERM INT HUP;" REMOTE_SET_NL "M=") == -1 ||
	               buf_appends(out, mark) == -1 ||
	               buf_appends(
	                   out,
	                   ";{ exec 2>/dev/null;"
	                   "while IFS= read -r c;do printf '%s\\n' \"$c\";done;"
	                   "kill -TERM -$$;sleep 1;kill -KILL -$$;}|"
	                   "{ exec 3>&1 4>&2;while IFS= read -r c;do " STARTED
	                   "s=$( { { { (trap - TERM INT HUP;eval \"$c\") "
	                   "</dev/null 2>&7 3>&- 4>&- 5>&- 7>&-;"
	                   "echo $? >&5; } 7>&1 1>&6 6>&- 2>/dev/null |"
	                   "cat >&4 5>&- 6>&-; } 6>&1 | cat >&3 5>&-; } 5>&1 );"
	                   "printf '%s %s\\n' \"$M\" \"${s:-255}\";"
	                   "printf '%s\\n' \"$M\" >&2;done; }\n") == -1
	           ? -1
	           : 0;
}

/* A script that becomes argv (exec): a worker's, whose records follow on
 * the same stdin, or a job's line in a session. */
static int
exec_script(struct buf *out, char *const *argv, char *const *env,
            const char *workdir, bool in_session)
{
	struct buf cmd = BUF_INIT;
	int r = preamble(out, argv, env, workdir, &cmd, in_session);

	if (r == 0 &&
	    (buf_appends(out, "exec ") == -1 ||
	     buf_appends(out, cmd.data) == -1 || buf_appendc(out, '\n') == -1))
		r = -1;
	buf_free(&cmd);
	return r;
}

int
remote_session_job(struct buf *out, char *const *argv, char *const *env,
                   const char *workdir)
{
	return exec_script(out, argv, env, workdir, true);
}

int
remote_script(struct buf *out, char *const *argv, char *const *env,
              const char *workdir)
{
	struct buf cmd = BUF_INIT;
	int r = preamble(out, argv, env, workdir, &cmd, false);

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
	/* (The records follow on the same stdin: the worker reads them to
	 * their EOF, which is also how it learns that pmapf or ssh went.) */
	return exec_script(out, argv, env, workdir, false);
}
