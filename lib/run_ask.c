/*
 * -p/--interactive: before each job, its command and " ?..." on the
 * terminal, and a line read back from it, as GNU parallel asks.  The
 * answer is read by the loop like any descriptor: the question parks the
 * job, and no other starts until it is answered.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"
#include "run_state.h"

int
run_ask_open(struct run *r)
{
	r->tty_fd = -1;
	if (!r->o->interactive)
		return 0;
	r->tty_fd =
	    open("/dev/tty", O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (r->tty_fd == -1) {
		msg_warn_errno("-p/--interactive: cannot open the terminal "
		               "(/dev/tty)");
		return -1;
	}
	return 0;
}

void
run_ask_cancel(struct run *r)
{
	if (r->asking == NULL)
		return;
	feed_forget(&r->feed, r->asking);
	job_recycle(&r->cache, r->asking);
	r->asking = NULL;
	/* The question is not answered: the prompt's line ends. */
	(void)io_write_all(r->tty_fd, "\n", 1);
}

void
run_ask_close(struct run *r)
{
	run_ask_cancel(r);
	buf_free(&r->answer);
	if (r->tty_fd >= 0)
		(void)close(r->tty_fd);
	r->tty_fd = -1;
}

void
run_ask(struct run *r, struct job *j)
{
	struct buf q = BUF_INIT;

	/* The command as it would run: also what the joblog shows if the
	 * answer is no. */
	if (launch_preview(&r->launch, j, &j->cmd) == -1 ||
	    buf_append(&q, j->cmd.data, j->cmd.len) == -1 ||
	    buf_appends(&q, " ?...") == -1) {
		buf_free(&q);
		feed_forget(&r->feed, j);
		job_recycle(&r->cache, j);
		run_fatal(r, "out of memory");
		return;
	}
	display_before_stderr(&r->disp);
	/* A terminal takes a short question at once; if not, it is lost
	 * rather than waited for. */
	(void)io_write_all(r->tty_fd, q.data, q.len);
	buf_free(&q);
	buf_reset(&r->answer);
	r->asking = j;
}

/* y, Y, yes, " y": run it; anything else (or the terminal gone): not. */
static void
answered(struct run *r, bool yes)
{
	struct job *j = r->asking;

	r->asking = NULL;
	if (yes) {
		j->t.asked = true;
		feed_defer(&r->feed, j);
		return;
	}
	/* Not run, as GNU parallel: failed, logged with exit value -2. */
	j->end.exitval = -2;
	j->end.status = 1;
	joblist_push(&r->done, j);
}

void
run_ask_read(struct run *r)
{
	char chunk[256], *nl;
	const char *p;
	ssize_t got;

	if (r->asking == NULL)
		return;
	got = read(r->tty_fd, chunk, sizeof chunk);
	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got <= 0) {
		answered(r, false);
		return;
	}
	if (buf_append(&r->answer, chunk, (size_t)got) == -1) {
		run_fatal(r, "out of memory");
		return;
	}
	nl = memchr(r->answer.data, '\n', r->answer.len);
	if (nl == NULL)
		return;
	for (p = r->answer.data; p < nl && isspace((unsigned char)*p); p++)
		;
	answered(r, p < nl && (*p == 'y' || *p == 'Y'));
}
