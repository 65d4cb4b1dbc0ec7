/* Tasks under suspicion: the records a line worker died holding, run
 * again in halves until the one that kills a worker on its own is found
 * (see pool_flush in pool.h). */
#include "config.h"

#include "pool_int.h"

static bool
probing(const struct pool *p)
{
	unsigned i;

	for (i = 0; i < p->max; i++)
		if (p->w[i].pid > 0 && p->w[i].probe)
			return true;
	return false;
}

unsigned
pool_kept(const struct pool *p)
{
	return p->suspects.count > 0 && !probing(p) ? 1 : 0;
}

/*
 * A record fails only when a worker that held it alone, its input ended
 * after it, dies without answering: the program's verdict on that record
 * by itself, the one a process per record would give.  Any other dying
 * worker does not say which record was why, or whether any was (it may
 * exit after so many records, or be killed from outside); its records
 * are suspects.  (pmapf stopping its workers is no record's fault; the
 * built-in's workers are pmapf's own, failing the record they were on.)
 */
static bool
has_suspects(const struct pool *p, const struct pool_worker *w)
{
	return p->proto == POOL_LINES && p->hooks.record != NULL &&
	       w->tasks.count > 0 && !p->signalled;
}

static void
placed(struct pool *p, void *task, int worker)
{
	if (p->hooks.placed != NULL)
		p->hooks.placed(p->ctx, task, worker);
}

/* Back to the caller, costing no try: they never ran, or cannot be
 * run as suspects. */
static void
hand_back(struct pool *p, struct taskq *q)
{
	p->inflight -= q->count;
	while (q->count > 0)
		p->hooks.lost(p->ctx, taskq_pop(q).task, false, 0, false);
}

bool
pool_suspect(struct pool *p, struct pool_worker *gone, enum finish how)
{
	struct taskq *u = &gone->tasks, rest;
	struct taskq_item t;
	size_t i, waiting = p->suspects.count;

	if (!gone->probe && (how != FINISH_ENDED || !has_suspects(p, gone)))
		return false;
	/* (A probe stopped by pmapf.) */
	if (gone->probe && u->count > 0 && p->signalled)
		return false;
	if (gone->probe && u->count == 0) {
		/* Answered in full.  The one a worker answering one by one
		 * was on was not why: halve the rest from here. */
		if (p->probe_widen)
			p->probe_size = (p->suspects.count + 1) / 2;
		p->probe_widen = false;
		return true;
	}
	p->probe_widen = false;
	if (gone->probe && how == FINISH_ENDED && gone->answered == 0 &&
	    u->count == 1) {
		/* It killed a worker on its own: it fails.  The suspects
		 * after it never ran. */
		rest = p->suspects;
		p->suspects = (struct taskq)TASKQ_INIT;
		p->probe_size = 0;
		p->inflight--;
		t = taskq_pop(u);
		p->hooks.lost(p->ctx, t.task, true, gone->wstatus, gone->began);
		hand_back(p, &rest);
		taskq_free(&rest);
		return true;
	}
	/* (Out of memory: blamed as a worker that answers one by one.) */
	if (taskq_reserve(&p->suspects, u->count) == -1)
		return false;
	/* A probe's unanswered tasks go first, halved again; another
	 * worker's join the end.  Of a worker known to answer one by one,
	 * the first is the one it was on, tried first alone. */
	if (gone->probe || waiting == 0)
		p->probe_size = (u->count + 1) / 2;
	if (!gone->probe && waiting == 0 && gone->floor == 0 &&
	    pool_one_by_one(p)) {
		p->probe_size = 1;
		p->probe_widen = true;
	}
	while (u->count > 0) {
		t = taskq_pop(u);
		(void)taskq_push(&p->suspects, t.task, t.id);
		placed(p, t.task, -1);
	}
	if (gone->probe)
		for (i = 0; i < waiting; i++) {
			t = taskq_pop(&p->suspects);
			(void)taskq_push(&p->suspects, t.task, t.id);
		}
	return true;
}

void
pool_probe(struct pool *p)
{
	struct pool_worker *w;
	struct taskq_item t;
	const char *rec;
	size_t n, len;
	int err;

	if (p->suspects.count == 0 || probing(p))
		return;
	if (p->signalled) {
		hand_back(p, &p->suspects);
		return;
	}
	/* (Tried again on the loop's next turn: a slot frees as a worker
	 * ends; none could start and none runs: the caller starts them
	 * again, and says why it cannot.) */
	if (pool_alive(p) >= p->limit)
		return;
	if ((w = pool_start_free(p, &err)) == NULL) {
		if (pool_alive(p) == 0)
			hand_back(p, &p->suspects);
		return;
	}
	w->probe = true;
	n = p->probe_size;
	if (n == 0 || n > p->suspects.count)
		n = p->suspects.count;
	while (n-- > 0) {
		t = taskq_pop(&p->suspects);
		rec = p->hooks.record(p->ctx, t.task, &len);
		if (pool_queue(p, w, t.task, t.id, rec, len) != 0) {
			/* (Out of memory: it goes back to the caller.) */
			p->inflight--;
			p->hooks.lost(p->ctx, t.task, false, 0, false);
			continue;
		}
		placed(p, t.task, (int)(w - p->w));
	}
}
