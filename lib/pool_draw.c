/* Silent line workers: how long they have said nothing, and drawing out
 * those that wait for more input before they answer (see pool.h). */
#include "config.h"

#include "pool_int.h"

#include <sys/ioctl.h>
#include <unistd.h>

/* A silent worker is drawn out after this long, to this many bytes of
 * records in flight at most. */
#define DRAW_AFTER 1.0
#define DRAW_MAX   65536u
/* A drawn-out worker that leaves records unread this long is busy. */
#define DRAW_LOOK 0.25

/* It answers one by one: none needs drawing out. */
static bool
one_by_one(const struct pool *p)
{
	return p->lone_answers >= POOL_LONE_ENOUGH;
}

enum unread { UNREAD_NONE, UNREAD_SOME, UNREAD_UNKNOWN };

/* Whether anything it was given waits in its pipe or in w->out. */
static enum unread
unread(const struct pool_worker *w)
{
	if (w->out.len != 0)
		return UNREAD_SOME;
#ifdef __linux__
	int n = 0;

	if (ioctl(w->req_fd, FIONREAD, &n) == 0)
		return n == 0 ? UNREAD_NONE : UNREAD_SOME;
#endif
	/* (The BSDs and macOS count no unread bytes from a pipe's write
	 * end.) */
	return UNREAD_UNKNOWN;
}

/* Given all it was sent, not known to answer one by one nor to be
 * busy: it may be waiting for records pmapf holds back. */
static bool
may_wait(const struct pool *p, const struct pool_worker *w)
{
	return !p->flood && !one_by_one(p) && !w->busy_not_waiting &&
	       pool_usable(w) && unread(w) != UNREAD_SOME;
}

double
pool_silence(const struct pool *p, double now, bool waiting)
{
	const struct pool_worker *w;
	double worst = 0;
	unsigned i;

	for (i = 0; p->w != NULL && i < p->max; i++) {
		w = &p->w[i];
		if (w->pid > 0 && w->tasks.count > 0 &&
		    now - w->last_t > worst && (!waiting || may_wait(p, w)))
			worst = now - w->last_t;
	}
	return worst;
}

bool
pool_draw_out(struct pool *p, double now)
{
	struct pool_worker *w;
	bool drawing = false;
	uint64_t room;
	unsigned i;

	/* A worker whose input was ended here and that answered all yet
	 * lingers a second later would hold its slot for good. */
	for (i = 0; i < p->max && !p->closing; i++) {
		w = &p->w[i];
		if (w->ended_at == 0 || w->pid <= 0 || w->reaped ||
		    w->tasks.count > 0)
			continue;
		if (now - w->ended_at >= DRAW_AFTER) {
			pool_kill_worker(p, w);
			pool_finish_worker(p, w, FINISH_RETIRED);
		} else
			drawing = true;
	}
	/* (Remote workers' pipes lead to ssh or srun, which read all.) */
	if (p->proto != POOL_LINES || p->launcher != NULL || p->flood ||
	    one_by_one(p) || p->given == 0)
		return drawing;
	room = DRAW_MAX / (p->given_bytes / p->given + 1) + 1;
	for (i = 0; i < p->max; i++) {
		w = &p->w[i];
		if (!pool_usable(w) || w->busy_not_waiting ||
		    w->tasks.count == 0 || now - w->last_t < DRAW_AFTER)
			continue;
		/* (Where unread bytes cannot be told, every worker would
		 * look drawn out: none is.) */
		if (unread(w) != UNREAD_NONE) {
			/* (Never drawn: it may still be starting.)  A worker
			 * waiting for more takes what comes at once: one that
			 * leaves it unread a while is busy. */
			if (w->draws == 0)
				continue;
			if (w->unread_since == 0)
				w->unread_since = now;
			if (now - w->unread_since >= DRAW_LOOK)
				w->busy_not_waiting = true;
			else
				drawing = true;
			continue;
		}
		w->unread_since = 0;
		/* No record has come for it (input is slow, or paused while
		 * output waits for this worker's answers), or it holds all
		 * it may: end its input, so it answers what it holds and
		 * exits; the next record starts another.  (Not while it
		 * holds one record below the cap: it may just be slow, and a
		 * worker slow to start would start again for every record.) */
		if (w->batch > w->tasks.count || w->tasks.count >= room) {
			if (now - w->last_t >= 2 * DRAW_AFTER &&
			    (w->tasks.count > 1 || w->tasks.count >= room)) {
				pool_end_input(w);
				w->ended_at = now;
			}
			continue;
		}
		w->batch =
		    w->tasks.count * 2 < room ? w->tasks.count * 2 : room;
		w->draws++;
		drawing = true;
	}
	return drawing;
}
