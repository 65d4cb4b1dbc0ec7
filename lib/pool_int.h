/* pool.c and pool_answers.c: a worker, and what one file asks of the
 * other.  Not a public face. */
#ifndef PMAPF_POOL_INT_H
#define PMAPF_POOL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "pool.h"
#include "taskq.h"

struct pool_worker {
	pid_t pid; /* 0: free slot */
	int req_fd, rep_fd, err_fd;
	struct buf out; /* requests not yet written */
	size_t out_off;
	struct buf in;      /* answers read, not yet handed on */
	size_t in_off;      /* ... except its first in_off bytes */
	struct taskq tasks; /* tasks given, oldest first */
	size_t batch;       /* tasks to keep in flight */
	/* Tasks it held when it answered after being drawn out (it reads
	 * ahead that far before it answers): batch never falls below. */
	size_t floor;
	unsigned draws; /* times given more while silent since it answered */
	/* It left what it was drawn out with unread: it was busy, not
	 * waiting for more, so it is not drawn out again. */
	bool busy_not_waiting;
	double ended_at;     /* its input was ended here, mid-run (0: no) */
	double unread_since; /* drawn out, first seen with records unread */
	double per;          /* seconds per task, smoothed; 0 unknown */
	double last_t; /* last answer, or when it went from idle to busy */
	/* The first tasks it answered, and the last: named if it goes out
	 * of step. */
	uint64_t first_ids[POOL_STRAY_NAMED], last_id;
	size_t answered; /* tasks it answered */
	bool eof, reaped;
	/* eof: when it is next signalled, if it has not exited by then (0:
	 * no more); signals sent since its answer pipe closed. */
	double stop_at;
	unsigned stops;
	int wstatus;
	bool began, err_seen; /* began_byte seen; any stderr byte read */
	/* It runs tasks under suspicion, nothing else; its input ends once
	 * they are written (pool_probe.c). */
	bool probe;
};

/* Start a worker in a free slot whose place is up.  NULL: none free,
 * or *err says why it could not start (the pool then runs no more
 * workers than it has, if it has any). */
struct pool_worker *pool_start_free(struct pool *p, int *err);
/* Queue task on w and its record as w's next request: 0, or an errno
 * value (ENOMEM) and w as it was.  Counts nothing. */
int pool_queue(struct pool *p, struct pool_worker *w, void *task, uint64_t id,
               const char *rec, size_t len);
/* It is running and takes tasks. */
bool pool_usable(const struct pool_worker *w);

/* Why a worker's slot is emptied. */
enum finish {
	FINISH_ENDED,   /* it ended: its first task may be why */
	FINISH_RETIRED, /* pmapf stopped it: no task is to blame */
	FINISH_QUIET    /* the end of a run: no hooks, tasks are dropped */
};

/*
 * The worker is gone: its unanswered tasks go back to the caller.  The
 * slot is emptied first, so every hook sees a pool whose tables are
 * whole.
 */
void pool_finish_worker(struct pool *p, struct pool_worker *w, enum finish how);
/* Kill its process group and collect it here, unless it was reaped. */
void pool_kill_worker(const struct pool *p, struct pool_worker *w);
/* Suspects (pool_probe.c).  The tasks of a worker that ended (gone,
 * out of the table already): true if they went to the suspects or were
 * judged here; false: they are handed back as usual. */
bool pool_suspect(struct pool *p, struct pool_worker *gone, enum finish how);
/* Start a worker for suspects when one is due. */
void pool_probe(struct pool *p);
/* Slots kept for suspects (0 or 1): workers for other tasks start in
 * fewer. */
unsigned pool_kept(const struct pool *p);
/* It answers one by one: it answered records it held alone. */
bool pool_one_by_one(const struct pool *p);

/* Lone answers (pool.lone_answers) that show a program answers one by
 * one: a single one may have filled its output buffer exactly. */
#define POOL_LONE_ENOUGH 2

/* Bytes of records a silent worker is drawn out to at first (see
 * pool_draw_out). */
#define POOL_DRAW_MAX 65536u

/* Close what feeds a worker, so it sees EOF. */
void pool_end_input(struct pool_worker *w);
/* No more tasks will come: its input ends once what it was given is
 * written. */
void pool_close_input_if_sent(struct pool *p, struct pool_worker *w);
/* Lines, once the worker is reaped: what follows its last newline is
 * one more answer if it exited 0, so a program need not end its last
 * line; else a piece of one, dropped.  False if it was out of step (it
 * was retired). */
bool pool_take_last_line(struct pool *p, struct pool_worker *w);
/* Read what is there and hand on the answers (pool_answers.c).  False
 * at EOF or error: the worker is of no more use.  True otherwise, also
 * when it answered out of step and was retired (its pid is then 0). */
bool pool_read_answers(struct pool *p, struct pool_worker *w, bool until_empty);

#endif
