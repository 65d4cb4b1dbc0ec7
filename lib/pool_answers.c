/* Workers' answers: matched to their tasks in order, handed on, and the
 * batch size adapted to how fast they come (see pool.h). */
#include "config.h"

#include "pool_int.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "io.h"
#include "wire.h"

/* A batch should keep a worker busy about this long: long enough to
 * share the per-write costs, short enough that the last batches of a run
 * finish together. */
#define BATCH_SECONDS 0.002
#define BATCH_MAX     1024
#define READ_CHUNK    65536

/*
 * A line worker answered with no task in flight: from here on its
 * answers cannot be matched to tasks.  Retire it (a later task starts a
 * fresh one) and tell the caller.  The stray line is at off in w->in.
 */
static void
out_of_step(struct pool *p, struct pool_worker *w, size_t off, size_t len)
{
	struct buf stray = w->in;
	struct pool_stray s;

	memset(&s, 0, sizeof s);
	s.len = len;
	s.answered = w->answered;
	memcpy(s.named, w->first_ids, sizeof s.named);
	s.last_id = w->last_id;
	memset(&w->in, 0, sizeof w->in);
	w->in_off = 0;
	pool_kill_worker(p, w);
	pool_finish_worker(p, w, FINISH_RETIRED);
	s.line = stray.data + off;
	if (p->hooks.out_of_step != NULL)
		p->hooks.out_of_step(p->ctx, &s);
	buf_free(&stray);
}

/* The next task's answer is in: the pool's books are closed on it
 * before the caller hears of it. */
static struct taskq_item
take_answer(struct pool *p, struct pool_worker *w, size_t frame_len)
{
	struct taskq_item t = taskq_pop(&w->tasks);

	w->in_off += frame_len;
	if (w->answered < POOL_STRAY_NAMED)
		w->first_ids[w->answered] = t.id;
	w->answered++;
	w->last_id = t.id;
	p->inflight--;
	return t;
}

/* Hand out every whole answer in w->in; adapt the batch size.  False if
 * the worker answered out of step and was retired. */
static bool
parse_answers(struct pool *p, struct pool_worker *w)
{
	struct taskq_item t;
	struct wire_reply rep;
	size_t k = 0, len;
	const char *line, *nl;
	double now, sample;

	while (w->in_off < w->in.len) {
		struct buf view = {w->in.data + w->in_off,
		                   w->in.len - w->in_off, 0};

		if (p->proto == POOL_FRAMED) {
			if (w->tasks.count == 0 ||
			    wire_take_reply(&view, &rep) != 1)
				break;
			t = take_answer(p, w, rep.frame_len);
			p->hooks.done(p->ctx, t.task, rep.status, rep.out,
			              rep.out_len, rep.err, rep.err_len);
		} else {
			line = view.data;
			nl = memchr(line, '\n', view.len);
			if (nl == NULL)
				break;
			len = (size_t)(nl - line);
			if (w->tasks.count == 0) {
				out_of_step(p, w, w->in_off, len);
				return false;
			}
			/* (Not one shown to read ahead: its buffer may end
			 * on a line; nor one whose input was ended.) */
			if (w->tasks.count == 1 && w->floor == 0 &&
			    w->req_fd >= 0 && !p->closing &&
			    p->lone_answers < POOL_LONE_ENOUGH)
				p->lone_answers++;
			t = take_answer(p, w, len + 1);
			p->hooks.done(p->ctx, t.task, 0, line, len + 1, NULL,
			              0);
		}
		k++;
	}
	buf_consume(&w->in, w->in_off);
	w->in_off = 0;
	if (k == 0)
		return true;
	now = io_now();
	sample = (now - w->last_t) / (double)k;
	w->per = w->per > 0 ? 0.7 * w->per + 0.3 * sample : sample;
	w->last_t = now;
	if (w->per <= BATCH_SECONDS / BATCH_MAX)
		w->batch = BATCH_MAX;
	else
		w->batch = (size_t)(BATCH_SECONDS / w->per) + 1;
	/* It answered once drawn out more than one step: it reads ahead
	 * about what it held, so it is given that much from now on.  (One
	 * step: it read its task and took long, as a slow worker does;
	 * unless it is known to read ahead.) */
	if ((w->draws > 1 || (w->draws > 0 && w->floor > 0)) &&
	    k + w->tasks.count > w->floor)
		w->floor = k + w->tasks.count;
	/* (What one worker of the program needed, the next needs too.) */
	if (w->floor > p->draw_floor)
		p->draw_floor = w->floor;
	w->draws = 0;
	if (w->batch < w->floor)
		w->batch = w->floor;
	pool_close_input_if_sent(p, w);
	return true;
}

bool
pool_take_last_line(struct pool *p, struct pool_worker *w)
{
	struct taskq_item t;

	if (p->proto != POOL_LINES || w->in.len == 0)
		return true;
	/* (A worker killed, or failing, after a flush that ended inside a
	 * line left a piece of an answer: no answer.) */
	if (!WIFEXITED(w->wstatus) || WEXITSTATUS(w->wstatus) != 0) {
		buf_reset(&w->in);
		w->in_off = 0;
		return true;
	}
	if (w->tasks.count == 0) {
		out_of_step(p, w, 0, w->in.len);
		return false;
	}
	t = take_answer(p, w, w->in.len);
	p->hooks.done(p->ctx, t.task, 0, w->in.data, w->in.len, NULL, 0);
	buf_reset(&w->in);
	w->in_off = 0;
	return true;
}

/* Read what is there and hand on the answers.  False at EOF or error:
 * the worker is of no more use.  True otherwise, also when it answered
 * out of step and was retired here (its pid is then 0). */
bool
pool_read_answers(struct pool *p, struct pool_worker *w, bool until_empty)
{
	ssize_t n;

	do {
		if (buf_reserve(&w->in, READ_CHUNK) == -1)
			return false;
		n = io_read(w->rep_fd, w->in.data + w->in.len, READ_CHUNK);
		if (n > 0) {
			w->in.len += (size_t)n;
			if (!parse_answers(p, w))
				return true;
		}
	} while (until_empty && n > 0);
	return n > 0 || (n < 0 && errno == EAGAIN);
}
