/* --pipe: stdin cut into blocks, each a job's stdin (see blocks.h). */
#include "config.h"

#include "blocks_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

/* The bytes before a block's end that are read to find the record end
 * there; a record longer than this that crosses the end may stay in the
 * block (see blockcut_blind_room). */
#define BLIND_WINDOW (128u << 10)
/* A job whose stdin is found full this many times in one block, or stays
 * full this long (it reads later: it starts up, sleeps), or is timed as
 * a slow reader (jobin_full: gzip is; wc -l, full once or twice for well
 * under a millisecond, is not), reads slower than input comes: the rest
 * of its block is kept in the spool file so the next block's job can
 * start.  A fast one is waited for instead: keeping would cost more than
 * it saves. */
#define SLOW_AFTER_FULL 64
#define SLOW_AFTER_SECS 0.02

int
blocks_init(struct blocks *b, const struct pmapf_opts *o,
            struct spool_file *spill)
{
	memset(b, 0, sizeof *b);
	if ((b->chunk = malloc(IO_CHUNK)) == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	b->spill = spill;
	b->fd = STDIN_FILENO;
	b->delim = (char)o->delim;
	/* --regexp without --recend: the record end byte, as a regex. */
	(void)snprintf(b->re_nl, sizeof b->re_nl, "\\x%02x",
	               (unsigned char)o->delim);
	if (o->pipe_regexp) {
		/* (The patterns were tried when the options were read.) */
		const char *what, *why;

		/* (--recstart alone: no record end, as without --regexp.) */
		if (recre_init(&b->re,
		               o->recend != NULL     ? o->recend
		               : o->recstart != NULL ? ""
		                                     : b->re_nl,
		               o->recstart, &what, &why) == -1) {
			msg_warn("%s: %s", what, why);
			return -1;
		}
		b->regexp = true;
		blockcut_init(&b->cut, o->block_size, o->block_records,
		              o->record_lines, "", 0, "", 0);
		blockcut_find(&b->cut, recre_find, &b->re);
	} else if (o->recend == NULL && o->recstart == NULL)
		blockcut_init(&b->cut, o->block_size, o->block_records,
		              o->record_lines, &b->delim, 1, "", 0);
	else
		blockcut_init(&b->cut, o->block_size, o->block_records,
		              o->record_lines, o->recend ? o->recend : "",
		              o->recend_len, o->recstart ? o->recstart : "",
		              o->recstart_len);
	rrs_init(&b->rrs, b->cut.recend, b->cut.recend_len, b->cut.recstart,
	         b->cut.recstart_len);
	/* A job's own block may wait whole; an oversized record (given as
	 * it is read) no more than that before reading pauses. */
	b->wait_max = o->block_size > BLOCKS_READ_CHUNK ? o->block_size
	                                                : BLOCKS_READ_CHUNK;
	if (o->group_by) {
		if (colkey_init(&b->key, "--group-by", o->group_col,
		                o->group_name, o->colsep) == -1)
			return -1;
		b->grouped = true;
		blockcut_group(&b->cut, b->delim, colkey_same, &b->key);
	}
	blockcut_window(&b->cut, BLIND_WINDOW);
	b->header_lines = o->pipe_header;
	b->in_pipe = io_is_pipe(STDIN_FILENO);
	b->bytes_total = io_file_left(STDIN_FILENO);
	/* Fewer, bigger moves: the writer fills more before we wake. */
	if (b->in_pipe)
		io_grow_pipe(STDIN_FILENO, 1 << 20);
#ifndef HAVE_SPLICE
	b->no_splice = true;
#endif
	b->to_file = o->pipe_cat;
	/* --block-timeout: what a job was given always ends a record, so
	 * its block can end there (bytes are read, never moved unseen). */
	b->timeout = o->block_timeout;
	/* --rrs: bytes are read to be filtered. */
	b->rrs_on = o->pipe_rrs;
	if (b->timeout > 0 || b->rrs_on)
		b->no_splice = true;
	b->keep_copy = o->retries > 1 && !o->pipe_cat;
	b->whole_first = b->to_file || b->keep_copy;
	b->round_robin = o->round_robin;
	if (b->round_robin && rr_init(&b->rr, o->jobs) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	return 0;
}

void
blocks_free(struct blocks *b)
{
	free(b->chunk);
	b->chunk = NULL;
	buf_free(&b->stage);
	buf_free(&b->header);
	rr_free(&b->rr);
	rrs_free(&b->rrs);
	if (b->regexp)
		recre_free(&b->re);
	b->regexp = false;
	buf_free(&b->filtered);
	if (b->grouped)
		colkey_free(&b->key);
	b->grouped = false;
	/* --cat, --retries: a block not handed out is the blocks' own. */
	if (b->whole_first) {
		struct job *cut_into = b->current, *whole = b->ready;

		blocks_forget(b, cut_into);
		job_free(b->spill, cut_into);
		blocks_forget(b, whole);
		job_free(b->spill, whole);
	}
}

size_t
blocks_unread(const struct blocks *b)
{
	return b->stage.len - b->at;
}

/* When the job taking the current block, full, counts as slow (stdin is
 * read again then, for the spool file), or 0. */
static double
slow_deadline(const struct blocks *b)
{
	const struct job *j = b->current;
	double slow_at;

	if (j == NULL || !j->route.in_full || spool_len(&j->in) > 0 ||
	    !b->slot_free || j->route.in_fulls >= SLOW_AFTER_FULL ||
	    j->route.in_wake > 0)
		return 0;
	slow_at = j->route.full_since + SLOW_AFTER_SECS;
	return b->turn_now >= slow_at ? 0 : slow_at;
}

int
blocks_fd(const struct blocks *b)
{
	if (b->fd < 0)
		return -1;
	if (b->header_lines > 0)
		return b->fd; /* (up to the longest --header) */
	/* Only the unfinished record and one read wait here (--group-by:
	 * a line is read whole, to know its key). */
	if (blocks_unread(b) >= b->wait_max + BLOCKS_READ_CHUNK && !b->grouped)
		return -1;
	/* Between blocks: enough to know the next one exists. */
	if (!b->cutting)
		return blocks_unread(b) == 0 ? b->fd : -1;
	/* (--retries: the job waits for its whole block, kept; so does
	 * --round-robin's that cannot start yet, as the jobs that run end
	 * only with the input.) */
	if (b->current != NULL && !b->whole_first &&
	    !(b->short_of_slots && b->current->t.pid <= 0) &&
	    spool_len(&b->current->in) >= b->wait_max)
		return -1;
	/* Its stdin is full: wait for it, unless it is slow and another
	 * job could run meanwhile. */
	if (slow_deadline(b) != 0 ||
	    (b->current != NULL && b->current->route.in_full &&
	     spool_len(&b->current->in) == 0 && !b->slot_free))
		return -1;
	return b->fd;
}

double
blocks_deadline(const struct blocks *b)
{
	double next = slow_deadline(b);

	if (b->cutting && b->timeout > 0 && !b->overdue)
		io_sooner(&next, b->began + b->timeout);
	return next;
}

/* Bytes for the current block's job as they are: into its stdin, or
 * to wait. */
static int
give_job(struct blocks *b, const char *p, size_t n)
{
	struct job *j = b->current;

	if (j == NULL || j->route.in_gone)
		return 0;
	if (b->to_file) {
		if (io_write_all(j->route.in_fd, p, n) == -1) {
			msg_warn_errno("--cat: cannot write a block to %s",
			               j->rec.data);
			return -1;
		}
		j->route.sent += n;
		return 0;
	}
	if (b->keep_copy && spool_add(b->spill, &j->keep, p, n) == -1) {
		msg_warn_errno("cannot keep a copy of a block for --retries");
		return -1;
	}
	return jobin_put(b->spill, j, p, n);
}

/* Bytes of the current block (--rrs: its separators taken out). */
int
blocks_put(struct blocks *b, const char *p, size_t n)
{
	if (!b->rrs_on)
		return give_job(b, p, n);
	if (b->current == NULL || b->current->route.in_gone)
		return 0;
	buf_reset(&b->filtered);
	if (rrs_filter(&b->rrs, p, n, &b->filtered) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	return give_job(b, b->filtered.data, b->filtered.len);
}

static int
block_ended(struct blocks *b)
{
	struct job *j = b->current;

	if (b->rrs_on && j != NULL) {
		buf_reset(&b->filtered);
		if (rrs_end(&b->rrs, &b->filtered) == -1) {
			msg_warn("out of memory");
			return -1;
		}
		if (give_job(b, b->filtered.data, b->filtered.len) == -1)
			return -1;
	}
	b->cutting = false;
	b->current = NULL;
	if (blockcut_oversized(&b->cut) && !b->oversized_said) {
		msg_warn("a block is longer than --block (%llu bytes): a "
		         "record was not cut",
		         (unsigned long long)b->cut.size);
		b->oversized_said = true;
	}
	if (j == NULL || b->round_robin)
		return 0;
	if (b->whole_first) {
		j->route.in_whole = true;
		if (b->to_file)
			job_close_in(j);
		b->ready = j;
		return 0;
	}
	jobin_whole(j);
	return 0;
}

/* A block begins, for j. */
static void
begin_block(struct blocks *b, struct job *j)
{
	b->cutting = true;
	b->began = io_now();
	b->overdue = false;
	b->current = j;
	b->blocks_made++;
	rrs_begin(&b->rrs);
}

/* --round-robin: a block may begin with a job already running. */
static bool
rr_begin(struct blocks *b)
{
	struct job *j;

	/* (Fewer jobs than -j could start: those that did take the
	 * blocks.) */
	if (!b->round_robin || b->cutting || b->stopping ||
	    (!rr_full(&b->rr) && !b->short_of_slots) || b->header_lines > 0 ||
	    blocks_unread(b) == 0 || (j = rr_pick(&b->rr)) == NULL)
		return false;
	begin_block(b, j);
	return true;
}

/* Give the current block what is cut of it (--round-robin: and the
 * blocks after it, while a job can take them). */
int
blocks_cut(struct blocks *b)
{
	const char *p;
	size_t give;
	bool ended;

	for (;;) {
		if (!b->cutting && !rr_begin(b))
			break;
		p = b->stage.data + b->at;
		give = blockcut_next(&b->cut, p, blocks_unread(b), b->fd < 0,
		                     &ended);
		if (give > 0 && blocks_put(b, p, give) == -1)
			return -1;
		b->at += give;
		/* --block-timeout passed: it ends at its first record end. */
		if (!ended && b->overdue && blockcut_cut_now(&b->cut))
			ended = true;
		if (!ended)
			return 0;
		if (block_ended(b) == -1)
			return -1;
		if (!b->round_robin)
			return 0;
	}
	/* Between blocks, with none to come: the jobs' stdins end. */
	if (b->round_robin &&
	    (b->stopping || (b->fd < 0 && blocks_unread(b) == 0)))
		rr_end_input(&b->rr);
	return 0;
}

int
blocks_tick(struct blocks *b)
{
	/* --block-timeout: the block so far, if it ends a record; else it
	 * ends at the next record end. */
	if (b->cutting && b->timeout > 0 && !b->overdue &&
	    io_now() >= b->began + b->timeout) {
		b->overdue = true;
		if (blockcut_cut_now(&b->cut))
			return block_ended(b) == -1 ? -1 : blocks_cut(b);
	}
	return 0;
}

void
blocks_turn(struct blocks *b, bool slot_free, bool stopping, double now)
{
	b->slot_free = slot_free;
	b->turn_now = now;
	if (stopping && !b->stopping) {
		b->stopping = true;
		if (b->round_robin && !b->cutting)
			rr_end_input(&b->rr);
	}
}

int
blocks_short(struct blocks *b)
{
	/* (For good: the launch never raises its limit again.) */
	b->short_of_slots = true;
	return b->round_robin && !b->cutting ? blocks_cut(b) : 0;
}

bool
blocks_ready(const struct blocks *b)
{
	return !b->cutting && b->header_lines == 0 && blocks_unread(b) > 0;
}

struct job *
blocks_next_job(struct blocks *b, struct job_cache *cache, uint64_t seq,
                bool *failed)
{
	struct job *j;

	if ((j = b->ready) != NULL) {
		b->ready = NULL;
		return j;
	}
	if (!blocks_ready(b) || (b->round_robin && rr_full(&b->rr)))
		return NULL;
	if ((j = job_new_block(cache, seq)) == NULL) {
		msg_warn("out of memory");
		*failed = true;
		return NULL;
	}
	if (b->fifos != NULL && fifos_make(b->fifos, j) == -1) {
		job_recycle(cache, j);
		*failed = true;
		return NULL;
	}
	if (b->to_file &&
	    (j->route.in_fd = job_block_file(j, b->to_dir)) == -1) {
		msg_warn_errno("--cat: cannot make a temporary file in %s",
		               b->to_dir);
		job_recycle(cache, j);
		*failed = true;
		return NULL;
	}
	if (b->round_robin)
		rr_add(&b->rr, j);
	begin_block(b, j);
	if (give_job(b, b->header.data, b->header.len) == -1 ||
	    blocks_cut(b) == -1) {
		blocks_forget(b, j);
		job_recycle(cache, j);
		*failed = true;
		return NULL;
	}
	if (b->whole_first) {
		/* --cat, --retries: it starts once it has its whole block. */
		if (b->ready != j)
			return NULL;
		b->ready = NULL;
	}
	return j;
}

int
blocks_send(struct blocks *b, struct job *j)
{
	if (jobin_send(b->spill, j, b->chunk, IO_CHUNK) == -1)
		return -1;
	/* --round-robin: it may take the next block now. */
	return b->round_robin ? blocks_cut(b) : 0;
}

void
blocks_forget(struct blocks *b, struct job *j)
{
	if (j == NULL)
		return;
	if (b->round_robin)
		rr_remove(&b->rr, j);
	if (b->current == j)
		b->current = NULL;
	if (b->ready == j)
		b->ready = NULL;
	job_close_in(j);
	spool_reset(b->spill, &j->in, 0);
}

int
blocks_retry(struct blocks *b, struct job *j)
{
	return b->keep_copy ? jobin_again(b->spill, j, b->chunk, IO_CHUNK) : 0;
}

bool
blocks_input_ended(const struct blocks *b)
{
	return b->fd < 0;
}

bool
blocks_done(const struct blocks *b)
{
	return b->fd < 0 && !b->cutting && blocks_unread(b) == 0 &&
	       b->header_lines == 0 && b->ready == NULL;
}
