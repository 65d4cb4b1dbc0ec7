/* transfer: the removal --cleanup runs on the host, run here by /bin/sh
 * in a scratch directory as the host's would run it in the login dir;
 * and the local script's shape (the bats tests run it against sshd). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "tap.h"
#include "transfer.h"

static int
sh_in(const char *dir, const char *script)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (chdir(dir) == 0)
			execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
exists(const char *dir, const char *path)
{
	char p[4096];
	struct stat sb;

	snprintf(p, sizeof p, "%s/%s", dir, path);
	return lstat(p, &sb) == 0;
}

int
main(void)
{
	char dir[] = "/tmp/pmapf-test-transfer.XXXXXX";
	char *send[] = {"in/a b.txt", "it's\nodd", "x/./deep/f", NULL};
	char *back[] = {"in/a b.txt.out", NULL};
	char *none[] = {NULL};
	struct buf b = BUF_INIT;
	struct transfer_job t;
	int st;

	if (mkdtemp(dir) == NULL)
		return 1;
	st = sh_in(dir, "mkdir -p wd/in wd/deep keep && touch 'wd/in/a b.txt' "
	                "'wd/in/a b.txt.out' \"wd/it's\n"
	                "odd\" wd/deep/f wd/in/other keep/k");
	ok(st == 0, "scratch files made");
	ok(transfer_rm_script(&b, "wd", send, back, false) == 0 &&
	       memchr(b.data, '\n', b.len) == NULL,
	   "the removal is one line");
	buf_appendc(&b, '\0');
	st = sh_in(dir, b.data);
	ok(st == 0, "it runs (%d)", st);
	ok(!exists(dir, "wd/in/a b.txt") && !exists(dir, "wd/in/a b.txt.out") &&
	       !exists(dir, "wd/it's\nodd") && !exists(dir, "wd/deep/f"),
	   "the files sent and brought back are gone");
	ok(exists(dir, "wd/in/other") && exists(dir, "keep/k"),
	   "nothing else is touched");
	ok(!exists(dir, "wd/deep") && exists(dir, "wd/in") && exists(dir, "wd"),
	   "an emptied directory goes, one still holding a file stays, and "
	   "the work dir stays");
	buf_reset(&b);
	ok(transfer_rm_script(&b, "wd", none, NULL, true) == 0, "rm the dir");
	buf_appendc(&b, '\0');
	ok(sh_in(dir, b.data) == 0 && !exists(dir, "wd") && exists(dir, "keep"),
	   "with rm_workdir the work dir goes too");

	memset(&t, 0, sizeof t);
	{
		char *ssh[] = {"ssh", "-o", "ControlPath=/tmp/a b/0", NULL};
		char *job[] = {"ssh", "host1", "true", NULL};

		t.ssh = ssh;
		t.host = "host1";
		t.job = job;
		t.workdir = "";
		t.send = send;
		t.back = back;
		buf_reset(&b);
		ok(transfer_script(&b, &t) == 0, "a local script");
		buf_appendc(&b, '\0');
		ok(strstr(b.data, "e='ssh -o \"ControlPath=/tmp/a b/0\"'") !=
		       NULL,
		   "rsync's -e: a word with a blank in double quotes");
		ok(strstr(b.data, "-- 'in/a b.txt' host1: ") != NULL,
		   "a relative file goes to the login dir");
		ok(strstr(b.data, "'host1:./in/a b.txt.out' ./") == NULL &&
		       strstr(b.data, "'host1:in/a b.txt.out' ./") != NULL,
		   "and comes back from there");
		ok(strstr(b.data, "\nexit $s\n") != NULL,
		   "ends with the job's status");
	}
	buf_free(&b);
	(void)sh_in("/tmp", "true");
	{
		char rm[128];

		snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
		(void)sh_in("/tmp", rm);
	}
	return tap_done();
}
