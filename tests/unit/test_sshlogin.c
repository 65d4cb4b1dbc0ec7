/* sshlogin: GNU parallel's -S format; remote: the script a remote job
 * reads first, run here by /bin/sh as a host's would. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "remote.h"
#include "sshlogin.h"
#include "tap.h"

static int
streq(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
test_parse(void)
{
	struct sshlogins s = {NULL, 0};
	char err[256];

	ok(sshlogins_add(&s, "2/alice@host1:2222, host2 ,,:,4/host3", err,
	                 sizeof err) == 0 &&
	       s.n == 4,
	   "four logins, blanks and empty parts skipped");
	ok(s.n == 4 && s.v[0].slots == 2 && streq(s.v[0].user, "alice") &&
	       streq(s.v[0].host, "host1") && streq(s.v[0].port, "2222") &&
	       streq(s.v[0].name, "alice@host1:2222") && !s.v[0].local,
	   "N/user@host:port");
	ok(s.n == 4 && s.v[1].slots == 0 && s.v[1].user == NULL &&
	       streq(s.v[1].host, "host2") && s.v[1].port == NULL,
	   "a bare host");
	ok(s.n == 4 && s.v[2].local && streq(s.v[2].name, ":"),
	   ": is this machine");
	ok(sshlogins_remote(&s), "some are remote");
	ok(sshlogins_add(&s, "8/host2", err, sizeof err) == 0 && s.n == 4 &&
	       s.v[1].slots == 8,
	   "a login given again is kept once, with the larger N/");
	sshlogins_free(&s);

	ok(sshlogins_add(&s, ":", err, sizeof err) == 0 &&
	       !sshlogins_remote(&s),
	   "only : is not remote");
	sshlogins_free(&s);

	ok(sshlogins_add(&s, "x/host", err, sizeof err) == -1 &&
	       strstr(err, "'x/host'") != NULL,
	   "N/ must be a number: %s", err);
	ok(sshlogins_add(&s, "0/host", err, sizeof err) == -1,
	   "0 slots refused: %s", err);
	ok(sshlogins_add(&s, "host:port", err, sizeof err) == -1,
	   "a port must be a number: %s", err);
	ok(sshlogins_add(&s, "@host", err, sizeof err) == -1,
	   "an empty user refused: %s", err);
	ok(sshlogins_add(&s, "ssh -p 22 host", err, sizeof err) == -1,
	   "an ssh command as the login refused: %s", err);
	ok(sshlogins_add(&s, "-oProxyCommand=x", err, sizeof err) == -1 &&
	       sshlogins_add(&s, "u@-x", err, sizeof err) == -1 &&
	       sshlogins_add(&s, "2/-x", err, sizeof err) == -1,
	   "a login ssh would take for an option refused: %s", err);
	ok(sshlogins_add(&s, "ho\001st", err, sizeof err) == -1,
	   "a control byte refused");
	sshlogins_free(&s);

	{
		const char text[] = "# hosts\n\n2/host1\r\n  # more\nhost2,:\n";

		ok(sshlogins_add_lines(&s, text, sizeof text - 1, err,
		                       sizeof err) == 0 &&
		       s.n == 3 && streq(s.v[0].host, "host1") &&
		       s.v[0].slots == 2 && streq(s.v[1].host, "host2") &&
		       s.v[2].local,
		   "a login file: comments, blank lines, CRLF");
		sshlogins_free(&s);
	}
}

/* `sh -c 'IFS= read -r s && eval "$s"'` (what ssh runs on the host),
 * its stdin, stdout and stderr pipes to us (in[1], o[0], e[0]); leader:
 * in a session of its own, as sshd starts it.  Its pid, or -1. */
static pid_t
start_sh(int in[2], int o[2], int e[2], bool leader)
{
	pid_t pid;

	if (pipe(in) == -1 || pipe(o) == -1 || pipe(e) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		if (leader)
			(void)setsid();
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(in[1]);
		close(o[0]);
		close(e[0]);
		execl("/bin/sh", "sh", "-c", "IFS= read -r s && eval \"$s\"",
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	close(e[1]);
	return pid;
}

/* The script for argv read by `sh -c 'IFS= read -r s && eval "$s"'`
 * (what ssh runs on the host), its stdout and stderr caught. */
static int
run_script(char *const *argv, char *const *env, const char *wd, struct buf *out,
           struct buf *err, bool hangup)
{
	struct buf script = BUF_INIT;
	int in[2], o[2], e[2], st = -1;
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	if (remote_script(&script, argv, env, wd) == -1 ||
	    (pid = start_sh(in, o, e, false)) == -1)
		return -1;
	if (write(in[1], script.data, script.len) != (ssize_t)script.len)
		return -1;
	/* As when pmapf ends the ssh process, once the job has said it is
	 * ready (its traps are set). */
	while (hangup && (n = read(o[0], chunk, sizeof chunk)) > 0) {
		buf_append(out, chunk, (size_t)n);
		if (memmem(out->data, out->len, "ready\n", 6) != NULL)
			break;
	}
	if (hangup)
		close(in[1]);
	/* Its stdin stays open while it runs, as pmapf keeps ssh's: EOF
	 * there stops it. */
	while ((n = read(o[0], chunk, sizeof chunk)) > 0)
		buf_append(out, chunk, (size_t)n);
	while ((n = read(e[0], chunk, sizeof chunk)) > 0)
		buf_append(err, chunk, (size_t)n);
	if (!hangup)
		close(in[1]);
	close(o[0]);
	close(e[0]);
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	buf_free(&script);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_script(void)
{
	char *hostile[] = {"printf",
	                   "[%s]\\n",
	                   "it's",
	                   "two\nlines",
	                   "$HOME `id` $(id) \\ \"q\" ; & | * ~ #",
	                   "",
	                   " lead",
	                   NULL};
	char *status[] = {"sh", "-c", "echo out; echo err >&2; exit 7", NULL};
	char *sleeper[] = {"sh", "-c", "echo ready; sleep 300 & wait", NULL};
	char *stubborn[] = {"sh", "-c",
	                    "trap '' TERM; echo ready; sleep 300 & wait", NULL};
	char *fd3[] = {"sh", "-c",
	               "[ -e /proc/$$/fd/3 ] && echo open || echo closed",
	               NULL};
	char *show_env[] = {"sh", "-c",
	                    "printf '[%s][%s][%s]' \"$A\" \"$B\" \"$C\"", NULL};
	char *env[] = {"A=it's\nx", "B=$HOME `id`", "C=", NULL};
	struct buf out = BUF_INIT, err = BUF_INIT, script = BUF_INIT;
	int st;

	ok(remote_script(&script, hostile, NULL, NULL) == 0 && script.len > 0 &&
	       script.data[script.len - 1] == '\n' &&
	       memchr(script.data, '\n', script.len - 1) == NULL,
	   "the script is one line");
	st = run_script(hostile, NULL, NULL, &out, &err, false);
	ok(st == 0, "it ran (status %d)", st);
	is_bytes(out.data, out.len,
	         "[it's]\n[two\nlines]\n[$HOME `id` $(id) \\ \"q\" ; & | * ~ "
	         "#]\n[]\n[ lead]\n",
	         "every value one word, unchanged");
	is_bytes(err.data, err.len, "\001", "stderr: only the started byte");
	buf_reset(&out);
	buf_reset(&err);
	st = run_script(status, NULL, NULL, &out, &err, false);
	ok(st == 7, "its exit status comes back (%d)", st);
	is_bytes(out.data, out.len, "out\n", "its stdout");
	is_bytes(err.data, err.len, "\001err\n",
	         "the started byte, then its "
	         "stderr");
	/* (Its stdout is a pipe the test reads to EOF: a job left running
	 * would hold it, and the test would hang, not pass.) */
	buf_reset(&out);
	buf_reset(&err);
	st = run_script(sleeper, NULL, NULL, &out, &err, true);
	ok(st == 128 + 15, "its stdin's EOF stops it with SIGTERM (%d)", st);
	buf_reset(&out);
	buf_reset(&err);
	st = run_script(stubborn, NULL, NULL, &out, &err, true);
	ok(st == 128 + 9,
	   "one that ignores SIGTERM: SIGKILL a second later (%d)", st);
	buf_reset(&out);
	buf_reset(&err);
	st = run_script(fd3, NULL, NULL, &out, &err, false);
	is_bytes(out.data, out.len, "closed\n",
	         "the job does not get the watcher's descriptor");
	buf_reset(&out);
	buf_reset(&err);
	st = run_script(show_env, env, NULL, &out, &err, false);
	ok(st == 0, "with variables: it ran (%d)", st);
	is_bytes(out.data, out.len, "[it's\nx][$HOME `id`][]",
	         "--env's variables, exported, values unchanged");
	{
		char dir[] = "/tmp/pmapf-test-wd.XXXXXX", wd[64], want[80];
		char *pwd[] = {"pwd", NULL};

		buf_reset(&out);
		buf_reset(&err);
		ok(mkdtemp(dir) != NULL, "a scratch dir");
		snprintf(wd, sizeof wd, "%s/it's a\ndir", dir);
		st = run_script(pwd, NULL, wd, &out, &err, false);
		snprintf(want, sizeof want, "%s\n", wd);
		ok(st == 0, "--workdir: it ran (%d)", st);
		is_bytes(out.data, out.len, want,
		         "it ran in the work dir, made for it");
		(void)rmdir(wd);
		(void)rmdir(dir);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&script);
}

/* Read fd into b until it holds `marks` copies of mark. */
static void
read_marks(int fd, struct buf *b, const char *mark, int marks)
{
	char chunk[4096];
	ssize_t n;
	int seen = 0;

	while (seen < marks && (n = read(fd, chunk, sizeof chunk)) > 0) {
		const char *p;
		size_t off = 0;

		buf_append(b, chunk, (size_t)n);
		seen = 0;
		while ((p = memmem(b->data + off, b->len - off, mark,
		                   strlen(mark))) != NULL) {
			seen++;
			off = (size_t)(p - b->data) + 1;
		}
	}
}

/* A session (remote_session_script) run by sh as ssh runs it, as the
 * leader of its own group as sshd makes it: job after job, each one's
 * output ended by the mark; at its stdin's EOF, what runs is stopped. */
static void
test_session(void)
{
	static const char mark[] = "0123456789abcdef0123456789abcdef";
	char *hostile[] = {"printf",     "[%s]\n", "it's", "two\nlines",
	                   "$HOME `id`", "",       NULL};
	char *status[] = {"sh", "-c", "printf out; echo err >&2; cat; exit 7",
	                  NULL};
	char *sleeper[] = {"sleep", "300", NULL};
	char *env[] = {"A=x", NULL};
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT,
	           want = BUF_INIT;
	int i[2], o[2], e[2], st = -1;
	pid_t pid;

	ok(remote_session_script(&in, mark) == 0 &&
	       memchr(in.data, '\n', in.len - 1) == NULL &&
	       remote_session_job(&in, hostile, env, NULL) == 0 &&
	       remote_session_job(&in, status, NULL, NULL) == 0 &&
	       remote_session_job(&in, sleeper, NULL, NULL) == 0,
	   "a session's script and three job lines, a line each");
	if ((pid = start_sh(i, o, e, true)) == -1)
		return;
	ok(write(i[1], in.data, in.len) == (ssize_t)in.len, "written");
	read_marks(o[0], &out, mark, 2);
	read_marks(e[0], &err, mark, 2);
	buf_printf(&want,
	           "[it's]\n[two\nlines]\n[$HOME `id`]\n[]\n%s 0\nout%s 7\n",
	           mark, mark);
	is_bytes(out.data, out.len, want.data,
	         "stdout: each job's bytes, then the mark and its status "
	         "(stdin /dev/null)");
	buf_reset(&want);
	buf_printf(&want, "\001%s\n\001err\n%s\n", mark, mark);
	/* (The third job's started byte may have come too.) */
	is_bytes(err.data, err.len > want.len ? want.len : err.len, want.data,
	         "stderr: the started byte, its errors, the mark");
	/* The third job, sleep 300, runs: EOF stops it and the session. */
	close(i[1]);
	while (read(o[0], want.data, 1) > 0)
		;
	/* (Its own processes ignore SIGTERM, which a job may send its
	 * group: they go with the SIGKILL a second later.) */
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	       WTERMSIG(st) == SIGKILL,
	   "at EOF the session ends, its running job with it (stdout "
	   "closed: nothing holds it)");
	close(o[0]);
	close(e[0]);
	buf_free(&in);
	buf_free(&out);
	buf_free(&err);
	buf_free(&want);
}

int
main(void)
{
	test_parse();
	test_script();
	test_session();
	return tap_done();
}
