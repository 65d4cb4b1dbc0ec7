/* Silent line workers: how long they have said nothing, and drawing out
 * those that wait for more input before they answer (see pool.h). */
#include "config.h"

#include "pool_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#include <unistd.h>

#include "io.h"

/* A silent worker that has read all it was given is drawn out after
 * this long (not sooner, unless seen blocked reading its input: a slow
 * worker drawn out holds a record that another, still starting, would
 * take), and sooner if it answered before only once drawn out (w->floor):
 * it reads ahead for sure, and what served it may fall short later (mawk
 * reads no line before it has 4 KiB of input, and writes 4 KiB at a time:
 * how many records that takes changes as their sizes do). */
#define DRAW_AFTER       1.0
#define DRAW_AFTER_AHEAD 0.1
/* Looked at this often while drawing out. */
#define DRAW_STEP 0.05
/* Where the system tells a worker blocked reading its input (Linux), it
 * is first looked at after this long, then after twice as long each
 * time; seen waiting for input, it is drawn out at once, a step of
 * this long at a time. */
#define DRAW_QUICK 0.01
/* Silent this long with nothing more to give it, its input is ended;
 * one whose input was ended and that answered all is stopped after
 * half as long. */
#define END_AFTER 2.0
/* How far the bytes of records it is drawn out to (pool.draw_max) may
 * grow, and the records past which they grow no more: what a worker
 * holds is a job each in pmapf. */
#define DRAW_MAX_GROWN (4u << 20)
#define DRAW_TASKS_MAX 16384u
/* A drawn-out worker that leaves records unread this long is busy. */
#define DRAW_LOOK 0.25

bool
pool_one_by_one(const struct pool *p)
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

/*
 * Blocked reading its input, with nothing there to read and no answer
 * written: it waits for more input before it answers, for sure (mawk
 * asks for 4 KiB).  A slow worker is not: it runs, or waits for
 * something else (a shell for its command, a sleep).  Linux shows the
 * call a process is blocked in, in /proc/<pid>/syscall (as its number and
 * arguments: read(0, ...)); elsewhere, or if it cannot be read, false.
 */
static bool
waits_for_input(const struct pool_worker *w)
{
#ifdef __linux__
	char path[48], text[96];
	long nr;
	unsigned long fd;
	ssize_t n;
	int f, ready = 0;

	if (unread(w) != UNREAD_NONE ||
	    ioctl(w->rep_fd, FIONREAD, &ready) != 0 || ready != 0)
		return false;
	(void)snprintf(path, sizeof path, "/proc/%ld/syscall", (long)w->pid);
	if ((f = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	n = io_read(f, text, sizeof text - 1);
	(void)close(f);
	if (n <= 0)
		return false;
	text[n] = '\0';
	/* ("running" while it runs.) */
	return sscanf(text, "%ld 0x%lx", &nr, &fd) == 2 && fd == 0 &&
	       (nr == SYS_read || nr == SYS_readv);
#else
	(void)w;
	return false;
#endif
}

/* Given all it was sent, not known to answer one by one nor to be
 * busy: it may be waiting for records pmapf holds back. */
static bool
may_wait(const struct pool *p, const struct pool_worker *w)
{
	return !p->flood && !pool_one_by_one(p) && !w->busy_not_waiting &&
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
		if (w->pid > 0 && !w->eof && w->tasks.count > 0 &&
		    now - w->last_t > worst && (!waiting || may_wait(p, w)))
			worst = now - w->last_t;
	}
	return worst;
}

/* Records of the average size given so far that fit in bytes. */
static uint64_t
records_within(const struct pool *p, size_t bytes)
{
	return bytes / (p->given_bytes / p->given + 1) + 1;
}

/* Records a worker may be drawn out to: what pool.draw_max holds, but
 * grown past 64 KiB no more than DRAW_TASKS_MAX. */
static uint64_t
draw_room(const struct pool *p)
{
	uint64_t first = records_within(p, POOL_DRAW_MAX),
	         grown = records_within(p, p->draw_max);

	if (grown > DRAW_TASKS_MAX)
		grown = DRAW_TASKS_MAX;
	return grown > first ? grown : first;
}

/*
 * A worker drawn out as far as it may be (room records) held them
 * and still said nothing: its program buffers more answers than they
 * give (mawk's 4 KiB of output holds 1,024 answers "100\n", more than
 * 64 KiB of 100-byte records).  Each new worker is given that many at
 * once, and may be drawn out four times as far, so the replacements
 * learn from it and do not start from one record again.
 */
static void
reach_further(struct pool *p, size_t held, uint64_t room)
{
	if (held > p->draw_floor)
		p->draw_floor = held;
	if (room >= DRAW_TASKS_MAX || p->draw_max >= DRAW_MAX_GROWN)
		return;
	p->draw_max =
	    p->draw_max * 4 < DRAW_MAX_GROWN ? p->draw_max * 4 : DRAW_MAX_GROWN;
}

double
pool_draw_out(struct pool *p, double now)
{
	struct pool_worker *w;
	double next = 0;
	uint64_t room, grown;
	unsigned i;

	/* A worker whose input was ended here and that answered all yet
	 * lingers would hold its slot for good. */
	for (i = 0; i < p->max; i++) {
		w = &p->w[i];
		if (w->ended_at == 0 || w->pid <= 0 || w->reaped ||
		    w->tasks.count > 0 || (p->closing && !w->probe))
			continue;
		if (now - w->ended_at >= END_AFTER / 2) {
			pool_kill_worker(p, w);
			pool_finish_worker(p, w, FINISH_RETIRED);
		} else
			io_sooner(&next, w->ended_at + END_AFTER / 2);
	}
	/* (Remote workers' pipes lead to ssh or srun, which read all.) */
	if (p->proto != POOL_LINES || p->launcher != NULL || p->flood ||
	    pool_one_by_one(p) || p->given == 0)
		return next;
	room = draw_room(p);
	for (i = 0; i < p->max; i++) {
		double after, quiet;
		bool quick = false;

		w = &p->w[i];
		if (!pool_usable(w) || w->probe || w->busy_not_waiting ||
		    w->tasks.count == 0)
			continue;
		after = w->floor > 0 ? DRAW_AFTER_AHEAD : DRAW_AFTER;
		quiet = now - w->last_t;
		if (quiet < after) {
			/* (Looked at less often the longer it is silent: a
			 * slow worker a few times only.) */
			if (quiet < DRAW_QUICK || !waits_for_input(w)) {
				io_sooner(&next,
				          w->last_t + (2 * quiet > DRAW_QUICK
				                           ? 2 * quiet
				                           : DRAW_QUICK));
				io_sooner(&next, w->last_t + after);
				continue;
			}
			quick = true;
		}
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
				io_sooner(&next, now + DRAW_STEP);
			continue;
		}
		w->unread_since = 0;
		/* Holding all it may and seen waiting for more: its program
		 * buffers more answers than they give, known without the
		 * silence that tells it otherwise. */
		if (w->tasks.count >= room && (quick || waits_for_input(w))) {
			reach_further(p, w->tasks.count, room);
			room = draw_room(p);
		}
		/* No record has come for it (input is slow, or paused while
		 * output waits for this worker's answers), or it holds all
		 * it may: end its input, so it answers what it holds and
		 * exits; the next record starts another.  (Not while it
		 * holds one record below the cap, unless a worker of the
		 * program answered only once drawn out: it may just be slow,
		 * and a worker slow to start would start again for every
		 * record.) */
		if (w->batch > w->tasks.count || w->tasks.count >= room) {
			if (w->tasks.count <= 1 && w->tasks.count < room &&
			    p->draw_floor == 0)
				continue;
			if (now - w->last_t < END_AFTER) {
				io_sooner(&next, w->last_t + END_AFTER);
				continue;
			}
			if (w->tasks.count >= room)
				reach_further(p, w->tasks.count, room);
			pool_end_input(w);
			w->ended_at = now;
			io_sooner(&next, now + END_AFTER / 2);
			continue;
		}
		/* (From one record, one more: a worker busy on it leaves it
		 * unread, and so holds one extra at most.  Past that it has
		 * taken what came while silent: it reads ahead.) */
		grown = w->tasks.count * (w->tasks.count == 1 ? 2 : 4);
		w->batch = grown < room ? grown : room;
		w->draws++;
		io_sooner(&next, now + (quick ? DRAW_QUICK : DRAW_STEP));
	}
	return next;
}
