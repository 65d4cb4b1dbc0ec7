/*
 * The worker pool, driven as pmapf drives it: real worker processes
 * (cat, sh, a forked copy of this test serving the framed protocol),
 * pumped with poll().  Time bounds are generous: they only catch hangs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "io.h"
#include "pool.h"
#include "tap.h"
#include "wire.h"

#define WAIT_SECONDS 10.0
#define NTASK        16

/* What the hooks saw.  Each hook also notes the pool's books at the time,
 * to check that no hook runs while they are half-updated. */
struct seen {
	struct pool *p;
	int ndone, nlost, noos;
	int done_task[NTASK], done_status[NTASK];
	struct buf done_out[NTASK], done_why[NTASK];
	size_t inflight_at_done[NTASK];
	int lost_task[NTASK], lost_wstatus[NTASK];
	bool lost_first[NTASK];
	uint64_t oos_id, oos_first, oos_named[POOL_STRAY_NAMED];
	size_t oos_answered;
	struct buf oos_line;
	size_t oos_inflight;
	unsigned oos_alive;
	bool oos_can_take;
	struct buf err;
};

static int tasks[NTASK];

static void
on_done(void *ctx, void *task, int status, const char *out, size_t out_len,
        const char *why, size_t why_len)
{
	struct seen *s = ctx;
	int i = s->ndone++;

	if (i >= NTASK)
		return;
	s->done_task[i] = (int)((int *)task - tasks);
	s->done_status[i] = status;
	buf_append(&s->done_out[i], out, out_len);
	buf_append(&s->done_why[i], why, why_len);
	s->inflight_at_done[i] = s->p->inflight;
}

static void
on_lost(void *ctx, void *task, bool first, int wstatus, bool began)
{
	struct seen *s = ctx;
	int i = s->nlost++;

	(void)began;
	if (i >= NTASK)
		return;
	s->lost_task[i] = (int)((int *)task - tasks);
	s->lost_first[i] = first;
	s->lost_wstatus[i] = wstatus;
}

static void
on_stderr(void *ctx, const char *p, size_t n)
{
	struct seen *s = ctx;

	buf_append(&s->err, p, n);
}

static void
on_out_of_step(void *ctx, const struct pool_stray *st)
{
	struct seen *s = ctx;

	s->noos++;
	s->oos_id = st->last_id;
	s->oos_first = st->named[0];
	memcpy(s->oos_named, st->named, sizeof s->oos_named);
	s->oos_answered = st->answered;
	buf_reset(&s->oos_line);
	buf_append(&s->oos_line, st->line, st->len);
	s->oos_inflight = s->p->inflight;
	s->oos_alive = pool_alive(s->p);
	s->oos_can_take = pool_can_take(s->p);
}

static const struct pool_hooks hooks = {.done = on_done,
                                        .lost = on_lost,
                                        .worker_stderr = on_stderr,
                                        .out_of_step = on_out_of_step};

static void
seen_free(struct seen *s)
{
	int i;

	for (i = 0; i < NTASK; i++) {
		buf_free(&s->done_out[i]);
		buf_free(&s->done_why[i]);
	}
	buf_free(&s->oos_line);
	buf_free(&s->err);
	memset(s, 0, sizeof *s);
}

/* One turn of a caller's loop: write, wait, hand the pool what is ready
 * and the workers that ended, stop those that linger. */
static void
pump_once(struct pool *p)
{
	struct pollfd fds[64];
	unsigned owner[64];
	size_t n, i;
	pid_t pid;
	int st;

	pool_flush(p);
	n = pool_pollfds(p, fds, owner, 64);
	if (poll(fds, n, 50) > 0)
		for (i = 0; i < n; i++)
			if (fds[i].revents != 0)
				pool_ready(p, owner[i], fds[i].fd,
				           fds[i].revents);
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		(void)pool_reaped(p, pid, st);
	(void)pool_hurry(p, io_now());
}

/* Pump until *count reaches want; false if it took too long. */
static bool
pump_until(struct pool *p, const int *count, int want)
{
	double end = io_now() + WAIT_SECONDS;

	while (*count < want && io_now() < end)
		pump_once(p);
	return *count >= want;
}

/* Pump until no worker is left (one whose answers ended is collected
 * when it is reaped); false if it took too long. */
static bool
pump_until_gone(struct pool *p)
{
	double end = io_now() + WAIT_SECONDS;

	while (pool_alive(p) > 0 && io_now() < end)
		pump_once(p);
	return pool_alive(p) == 0;
}

/* Submit as pmapf does: only when the pool can take it. */
static int
submit(struct pool *p, int t, uint64_t id, const char *rec)
{
	double end = io_now() + WAIT_SECONDS;
	unsigned w;

	while (!pool_can_take(p) && io_now() < end)
		pump_once(p);
	return pool_submit(p, &tasks[t], id, rec, strlen(rec), &w);
}

/* Dead, or a zombie nobody reaps (a container's init may not). */
static bool
gone(pid_t pid)
{
	char path[64], st[256], *rp;
	double end = io_now() + WAIT_SECONDS;
	FILE *f;

	while (io_now() < end) {
		if (kill(pid, 0) == -1 && errno == ESRCH)
			return true;
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		f = fopen(path, "r");
		if (f != NULL) {
			rp = fgets(st, sizeof st, f);
			fclose(f);
			rp = rp != NULL ? strrchr(st, ')') : NULL;
			if (rp != NULL && rp[1] == ' ' && rp[2] == 'Z')
				return true;
		}
		(void)poll(NULL, 0, 10);
	}
	return false;
}

/* Made by test_held, once the first answer came: "hold" waits for it. */
static char held_mark[64];

/* The framed built-in's stand-in: "die" kills the worker, "fail" fails
 * with a reason, "hold" waits (as the built-in sleeps) until held_mark
 * exists, anything else comes back with a '!'. */
static int
handle(const char *rec, size_t len, struct buf *out, struct buf *err,
       struct wire_server *server, void *ctx)
{
	/* Past the test's own wait: a held answer fails it, not this. */
	double end = io_now() + 2 * WAIT_SECONDS;

	(void)ctx;
	if (len == 3 && memcmp(rec, "die", 3) == 0)
		_exit(9);
	if (len == 4 && memcmp(rec, "hold", 4) == 0) {
		wire_before_wait(server, 2 * WAIT_SECONDS);
		while (access(held_mark, F_OK) == -1 && io_now() < end)
			(void)poll(NULL, 0, 10);
	}
	if (len == 4 && memcmp(rec, "fail", 4) == 0) {
		buf_appends(err, "no good");
		return 3;
	}
	if (buf_append(out, rec, len) == -1 || buf_appendc(out, '!') == -1)
		return 2;
	return 0;
}

static int
serve(void *arg)
{
	return wire_serve(handle, arg);
}

static char *sh_path, *cat_path;

static void
lines_pool(struct pool *p, struct seen *s, unsigned max, char **argv)
{
	s->p = p;
	ok(pool_init(p, POOL_LINES, max, &hooks, s) == 0, "pool_init: lines");
	pool_set_program(p, argv[0], argv);
}

static void
test_init(void)
{
	struct pool p;
	struct seen s = {0};

	errno = 0;
	ok(pool_init(&p, POOL_LINES, 0, &hooks, &s) == -1 && errno == EINVAL,
	   "pool_init: no workers is EINVAL");
	ok(pool_alive(&p) == 0 && !pool_can_take(&p),
	   "pool_init: a pool that failed takes nothing");
	pool_shutdown(&p);
}

static void
test_cat(void)
{
	char *argv[] = {cat_path, NULL};
	struct pool p;
	struct seen s = {0};
	int i, inorder = 1;

	lines_pool(&p, &s, 1, argv);
	for (i = 0; i < 3; i++)
		ok(submit(&p, i, (uint64_t)i + 1, i == 1 ? "bb" : "a") == 0,
		   "cat: task %d taken", i);
	ok(pump_until(&p, &s.ndone, 3), "cat: three answers");
	for (i = 0; i < 3 && i < s.ndone; i++)
		inorder &= s.done_task[i] == i && s.done_status[i] == 0;
	ok(inorder, "cat: answers in the order given, status 0");
	is_bytes(s.done_out[1].data, s.done_out[1].len, "bb\n",
	         "cat: an answer is its line with the newline");
	ok(s.inflight_at_done[0] == 0 && s.inflight_at_done[2] == 0,
	   "cat: a task is off the books when done is called");
	ok(s.nlost == 0 && s.noos == 0 && p.inflight == 0,
	   "cat: nothing lost, nothing out of step");
	pool_shutdown(&p);
	seen_free(&s);
}

/* The last answer lacks its newline: EOF ends it, read from poll. */
static void
test_last_line_eof(void)
{
	char *argv[] = {sh_path, "-c",
	                "read x; echo oops >&2; printf %s \"$x\"", NULL};
	struct pool p;
	struct seen s = {0};

	lines_pool(&p, &s, 1, argv);
	ok(submit(&p, 0, 1, "last") == 0, "unended line: task taken");
	ok(pump_until(&p, &s.ndone, 1), "unended line: answered at EOF");
	is_bytes(s.done_out[0].data, s.done_out[0].len, "last",
	         "unended line: the answer is what was written");
	ok(s.done_status[0] == 0 && s.nlost == 0 && s.noos == 0,
	   "unended line: a success, not a lost task");
	ok(pump_until_gone(&p) && p.inflight == 0,
	   "unended line: the worker is collected");
	is_bytes(s.err.data, s.err.len, "oops\n",
	         "unended line: its stderr is passed on");
	pool_shutdown(&p);
	seen_free(&s);
}

/* The same, noticed first by the caller reaping the worker. */
static void
test_last_line_reaped(void)
{
	char *argv[] = {sh_path, "-c", "read x; printf %s \"$x\"", NULL};
	struct pool p;
	struct seen s = {0};
	pid_t pid;
	int st;

	lines_pool(&p, &s, 1, argv);
	ok(submit(&p, 0, 1, "tail") == 0, "reaped: task taken");
	pool_flush(&p);
	while ((pid = waitpid(-1, &st, 0)) == -1 && errno == EINTR)
		;
	ok(pid > 0 && pool_reaped(&p, pid, st), "reaped: the pool's worker");
	ok(s.ndone == 1 && s.nlost == 0, "reaped: answered, not lost");
	if (s.ndone == 1)
		is_bytes(s.done_out[0].data, s.done_out[0].len, "tail",
		         "reaped: the answer is what was written");
	ok(pool_alive(&p) == 0 && p.inflight == 0, "reaped: the slot is free");
	pool_shutdown(&p);
	seen_free(&s);
}

/* Two lines for one record: the second has no task. */
static void
test_out_of_step(void)
{
	char *argv[] = {sh_path, "-c",
	                "sleep 60 & echo $! >&2; "
	                "while read x; do echo \"$x\"; echo \"extra-$x\"; done",
	                NULL};
	struct pool p;
	struct seen s = {0};
	long bg;

	lines_pool(&p, &s, 1, argv);
	ok(submit(&p, 0, 7, "a") == 0, "out of step: task taken");
	ok(pump_until(&p, &s.noos, 1), "out of step: reported");
	ok(s.ndone == 1 && s.done_task[0] == 0, "out of step: the task got "
	                                        "its first line");
	is_bytes(s.done_out[0].data, s.done_out[0].len, "a\n",
	         "out of step: the first line is the answer");
	ok(s.oos_id == 7 && s.oos_first == 7 && s.oos_answered == 1,
	   "out of step: it answered one task, id 7");
	is_bytes(s.oos_line.data, s.oos_line.len, "extra-a",
	         "out of step: the stray line, without newline");
	ok(s.oos_alive == 0 && s.oos_inflight == 0 && s.oos_can_take,
	   "out of step: the slot is free when the hook runs");
	ok(s.nlost == 0, "out of step: no task lost");
	bg = s.err.len > 0 ? strtol(s.err.data, NULL, 10) : 0;
	ok(bg > 0 && gone((pid_t)bg),
	   "out of step: its process group was killed");

	buf_reset(&s.err);
	ok(submit(&p, 1, 8, "b") == 0 && pool_alive(&p) == 1,
	   "out of step: the next task starts a fresh worker");
	ok(pump_until(&p, &s.noos, 2) && s.ndone == 2 && s.done_task[1] == 1,
	   "out of step: the fresh worker answers");
	is_bytes(s.done_out[1].data, s.done_out[1].len, "b\n",
	         "out of step: its answer is its own");
	ok(s.oos_id == 8 && s.oos_first == 8 && s.oos_answered == 1,
	   "out of step: again, after task 8 (a fresh worker's count)");
	bg = s.err.len > 0 ? strtol(s.err.data, NULL, 10) : 0;
	ok(bg > 0 && gone((pid_t)bg), "out of step: again killed");
	pool_shutdown(&p);
	seen_free(&s);
}

/* An extra line while later tasks are queued shifts every answer after
 * it; only the last one shows up as stray, so every task the worker
 * answered is named. */
static void
test_out_of_step_shifted(void)
{
	char *argv[] = {sh_path, "-c",
	                "while read x; do echo \"$x\"; "
	                "[ \"$x\" = a ] && echo extra; done",
	                NULL};
	struct pool p;
	struct seen s = {0};

	lines_pool(&p, &s, 1, argv);
	pool_flood(&p);
	ok(submit(&p, 0, 1, "a") == 0 && submit(&p, 1, 2, "b") == 0 &&
	       submit(&p, 2, 3, "c") == 0,
	   "shifted: three tasks queued on one worker");
	ok(pump_until(&p, &s.noos, 1), "shifted: reported");
	ok(s.ndone == 3, "shifted: three answers taken");
	is_bytes(s.done_out[1].data, s.done_out[1].len, "extra\n",
	         "shifted: task 2 got the extra line");
	is_bytes(s.oos_line.data, s.oos_line.len, "c",
	         "shifted: the stray is task 3's own answer");
	ok(s.oos_first == 1 && s.oos_named[1] == 2 && s.oos_named[2] == 3 &&
	       s.oos_id == 3 && s.oos_answered == 3,
	   "shifted: tasks 1, 2 and 3 are named");
	pool_shutdown(&p);
	seen_free(&s);
}

/* A stray answer that lacks its newline: EOF ends it too. */
static void
test_out_of_step_at_eof(void)
{
	char *argv[] = {sh_path, "-c", "read x; echo \"$x\"; printf tail",
	                NULL};
	struct pool p;
	struct seen s = {0};

	lines_pool(&p, &s, 1, argv);
	ok(submit(&p, 0, 5, "a") == 0, "stray tail: task taken");
	ok(pump_until(&p, &s.noos, 1), "stray tail: reported");
	ok(s.ndone == 1 && s.nlost == 0 && s.oos_id == 5,
	   "stray tail: after the answer to task 5");
	is_bytes(s.oos_line.data, s.oos_line.len, "tail",
	         "stray tail: the unended line");
	ok(pool_alive(&p) == 0, "stray tail: the worker is collected");
	pool_shutdown(&p);
	seen_free(&s);
}

static void
test_framed(void)
{
	static const char *recs[] = {"x", "fail", "yz"};
	struct pool p;
	unsigned worker;
	struct seen s = {0};
	char big[1];
	int i;

	s.p = &p;
	ok(pool_init(&p, POOL_FRAMED, 2, &hooks, &s) == 0, "pool_init: framed");
	pool_set_builtin(&p, serve, NULL);
	for (i = 0; i < 3; i++)
		ok(submit(&p, i, (uint64_t)i + 1, recs[i]) == 0,
		   "framed: task %d taken", i);
	ok(pump_until(&p, &s.ndone, 3), "framed: three answers");
	for (i = 0; i < 3 && i < s.ndone; i++) {
		int t = s.done_task[i];

		if (t == 1) {
			ok(s.done_status[i] == 3,
			   "framed: the failure's status");
			is_bytes(s.done_why[i].data, s.done_why[i].len,
			         "no good", "framed: the failure's reason");
		} else {
			is_bytes(s.done_out[i].data, s.done_out[i].len,
			         t == 0 ? "x!" : "yz!", "framed: answer %d", t);
		}
	}
	ok(pool_submit(&p, &tasks[3], 4, big, (size_t)WIRE_MAX_PAYLOAD + 1,
	               &worker) == E2BIG,
	   "framed: an oversized record is refused with its errno");
	ok(submit(&p, 4, 5, "after") == 0 && pump_until(&p, &s.ndone, 4),
	   "framed: the pool goes on after a refusal");
	if (s.ndone == 4)
		is_bytes(s.done_out[3].data, s.done_out[3].len, "after!",
		         "framed: the next answer is its own");
	pool_shutdown(&p);
	seen_free(&s);
}

/* A worker that dies: the task it held and those queued behind it. */
static void
test_lost(void)
{
	struct pool p;
	struct seen s = {0};
	int i;

	s.p = &p;
	ok(pool_init(&p, POOL_FRAMED, 1, &hooks, &s) == 0, "pool_init: lost");
	pool_set_builtin(&p, serve, NULL);
	pool_flood(&p);
	ok(submit(&p, 0, 1, "die") == 0 && submit(&p, 1, 2, "q1") == 0 &&
	       submit(&p, 2, 3, "q2") == 0,
	   "lost: three tasks queued on one worker");
	ok(pump_until(&p, &s.nlost, 3), "lost: all three come back");
	for (i = 0; i < 3 && i < s.nlost; i++)
		ok(s.lost_task[i] == i && s.lost_first[i] == (i == 0) &&
		       WIFEXITED(s.lost_wstatus[i]) &&
		       WEXITSTATUS(s.lost_wstatus[i]) == 9,
		   "lost: task %d, first=%d, with the worker's status", i,
		   i == 0);
	ok(s.ndone == 0 && pool_alive(&p) == 0 && p.inflight == 0,
	   "lost: none answered, the slot is free");
	pool_shutdown(&p);
	seen_free(&s);
}

/* An answer done before a task that waits is sent before it waits, not
 * held with it for one write. */
static void
test_held(void)
{
	struct pool p;
	struct seen s = {0};
	int fd, before;

	snprintf(held_mark, sizeof held_mark, "/tmp/pmapf-test-held-%ld",
	         (long)getpid());
	(void)unlink(held_mark);
	s.p = &p;
	ok(pool_init(&p, POOL_FRAMED, 1, &hooks, &s) == 0, "pool_init: held");
	pool_set_builtin(&p, serve, NULL);
	pool_flood(&p);
	/* One write carries both, so one worker reads them together. */
	ok(submit(&p, 0, 1, "x") == 0 && submit(&p, 1, 2, "hold") == 0,
	   "held: a task and one that waits, queued on one worker");
	ok(pump_until(&p, &s.ndone, 1), "held: the first answer comes");
	before = s.ndone;
	if ((fd = open(held_mark, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) != -1)
		close(fd);
	ok(before == 1 && s.done_task[0] == 0,
	   "held: it came while the second was still waiting");
	ok(pump_until(&p, &s.ndone, 2) && s.done_task[1] == 1,
	   "held: the second answers once let go");
	(void)unlink(held_mark);
	pool_shutdown(&p);
	seen_free(&s);
}

int
main(void)
{
	/* A worker killed mid-write must be an EPIPE, as in pmapf. */
	signal(SIGPIPE, SIG_IGN);
	/* Only a hang gets this far. */
	alarm(300);
	if (child_resolve("sh", &sh_path) != 0 ||
	    child_resolve("cat", &cat_path) != 0) {
		printf("1..0 # SKIP no sh or cat\n");
		return 0;
	}
	test_init();
	test_cat();
	test_last_line_eof();
	test_last_line_reaped();
	test_out_of_step();
	test_out_of_step_shifted();
	test_out_of_step_at_eof();
	test_framed();
	test_lost();
	test_held();
	free(sh_path);
	free(cat_path);
	return tap_done();
}
