/*
 * Job output held until it may be written.  Each job stream (a spool)
 * keeps its newest bytes in memory; past a per-job cap, or when all
 * spools together pass a shared budget, its bytes move to the spool
 * file, shared by every job (a few descriptors, however many jobs wait),
 * which also keeps the memory budget.  It is made of unnamed temporary
 * files (parts: spool_part.h says why), so nothing is left behind even
 * after kill -9, and the space of bytes written out is given back as it
 * goes (that of bytes sent into a pipe by reference, once their part
 * empties).
 *
 * Memory is counted as allocated (buffer capacity), not as bytes in use,
 * and a spilled spool holds no buffer at all: the budget is what pmapf
 * really holds.  Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_SPOOL_H
#define PMAPF_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct extent;

/* One file of the spool file. */
struct spill_part {
	int fd;
	uint64_t end;  /* where the next extent goes */
	uint64_t live; /* bytes in extents not yet written out */
};

/* Empty holding pipes kept for reuse at most. */
#define SPOOL_HOLD_SPARE 4

/* Parts open at once at most (the last takes new bytes). */
#define SPILL_PARTS 16

struct spool_file {
	struct spill_part part[SPILL_PARTS];
	unsigned nparts;  /* 0 until the first spill */
	uint64_t live;    /* bytes in extents not yet written out, all parts */
	size_t held;      /* bytes allocated over all spools */
	size_t budget;    /* spill when held passes this */
	size_t per_spool; /* ... or one spool's memory passes this */
	bool full;        /* the file could not grow (ENOSPC...): bytes stay in
	                     memory; the caller should read less until it is
	                     cleared (set false to try the file again) */
	const char *dir;  /* $TMPDIR or /tmp */
	bool no_splice;   /* spool_splice_in says ENOSYS (for the tests) */
	uint64_t part_size; /* SPILL_PART_SIZE (the tests make it small) */
	/* Holding pipes (spool_hold_in): bytes they may hold in all, held
	 * now, and empty ones kept for reuse. */
	size_t hold_budget, hold_held;
	bool no_hold;    /* none at all (the test switch, or closed) */
	bool hold_stuck; /* one could not be grown: none until all are let
	                    go */
	int spare[SPOOL_HOLD_SPARE][2];
	unsigned nspare;
};

/* New output goes to a new part once the newest is this big, and only
 * bytes below this offset of a part are sent into a pipe by reference:
 * the disk one part may keep until it empties (spool_part.h). */
#define SPILL_PART_SIZE ((uint64_t)32 << 20)

/* Kept small: one waits per finished job behind a slow one. */
struct spool {
	struct extent *ext; /* oldest bytes, in the file, in order */
	uint32_t first;     /* ext[first..next) still hold bytes ... */
	uint32_t next, cap;
	uint64_t first_off; /* ... the first from this offset in it */
	uint64_t first_ref; /* ... which sent this many by reference */
	struct buf mem;     /* newest bytes, from mem_off on */
	size_t mem_off;
};

void spool_file_init(struct spool_file *s, size_t budget, size_t per_spool);
/* A PMAPF_TEST_* switch of the test suite: set and not empty. */
bool spool_test_knob(const char *name);
void spool_file_close(struct spool_file *s);

/* Add bytes.  0, or -1/errno: memory ran out, or the temporary file could
 * not be made or written for another reason than space (a full disk only
 * sets s->full and keeps the bytes in memory).  Nothing is lost on error:
 * what was held stays held. */
int spool_add(struct spool_file *s, struct spool *p, const void *data,
              size_t n);
size_t spool_len(const struct spool *p);
/* errno says the file could not grow (ENOSPC, EDQUOT, EFBIG). */
bool spool_no_space(int err);
/* Some of its bytes are in the file: more may as well go there at once. */
bool spool_spilled(const struct spool *p);
/*
 * Take up to max of the oldest bytes into dst: how many (0 when empty),
 * or -1/errno if the temporary file could not be read.  What is taken is
 * gone: file space is given back as it goes (at least every 4 MiB).
 */
long spool_take(struct spool_file *s, struct spool *p, char *dst, size_t max);
/* How spool_send moves bytes from the spool file to fd. */
enum spool_send_how {
	SPOOL_COPY,     /* read into the chunk and written */
	SPOOL_SENDFILE, /* sendfile(2): fd keeps no page (not a pipe) */
	SPOOL_SEND_PIPE /* fd is a pipe: sendfile, which copies nothing
	                   through pmapf but leaves the pipe holding pages,
	                   for bytes below part_size in their part, else
	                   copy (spool_part.h) */
};

/*
 * Send up to max of the oldest bytes to fd: from memory with write(2),
 * from the spool file as `how` says (the chunk: for SPOOL_COPY and
 * SPOOL_SEND_PIPE).  How many went (0 when empty), or -1/errno: EAGAIN
 * when a non-blocking fd is full; EINVAL and the like when fd cannot
 * take sendfile (spool_take then).
 */
long spool_send(struct spool_file *s, struct spool *p, int fd, size_t max,
                enum spool_send_how how, char *chunk, size_t chunk_len);
/*
 * Append up to max bytes read from pipe fd straight into the temporary
 * file with splice(2), without a copy through pmapf (what memory holds
 * goes to the file first).  How many (0: EOF), or -1/errno: EAGAIN when
 * the pipe is empty, ENOSYS where splice cannot serve (the file system
 * refused it, which is remembered, or the test switch; read and
 * spool_add then), else as spool_add.
 */
long spool_splice_in(struct spool_file *s, struct spool *p, int fd, size_t max);
/*
 * As spool_splice_in, but into holding pipes while their budget lasts
 * (spool_hold.c says why), the spool file past it.  Only for a spool that
 * is sent into a pipe (spool_send then splices; spool_take reads).
 */
long spool_hold_in(struct spool_file *s, struct spool *p, int fd, size_t max);
/* A new holding pipe could be had now (budget left, pipes work). */
bool spool_hold_open(const struct spool_file *s);
/* Holding pipes may hold up to budget bytes in all (0: none). */
void spool_hold_init(struct spool_file *s, size_t budget);
/* The spare holding pipes are closed (spool_file_close does it). */
void spool_hold_close(struct spool_file *s);
/* Append everything src holds to dst, in order, leaving src empty.  File
 * extents move without being copied.  0, or -1/errno (src is then kept). */
int spool_join(struct spool_file *s, struct spool *dst, struct spool *src);
/* Give back memory allocated beyond what is held (a job has finished and
 * its spool will only be read from now on). */
void spool_settle(struct spool_file *s, struct spool *p);
/* Move everything held in memory to the file now.  0, or -1/errno. */
int spool_spill(struct spool_file *s, struct spool *p);
/* Write out the complete lines held (up to the last newline), while the
 * rest waits for more; or (lines false) all that is held; nothing if
 * older bytes were spilled.  0 or -1. */
int spool_emit_lines(struct spool_file *s, struct spool *p, bool lines,
                     int (*put)(const char *, size_t, void *), void *arg);
/* Drop what is held (accounting included); keep small memory for reuse. */
void spool_reset_held(struct spool_file *s, struct spool *p, size_t keep_cap);
static inline void
spool_reset(struct spool_file *s, struct spool *p, size_t keep_cap)
{
	/* Inline for the common case (a million tiny jobs reset four
	 * spools each): nothing in the file, memory small enough to keep. */
	if (p->first < p->next || p->mem.cap > keep_cap) {
		spool_reset_held(s, p, keep_cap);
		return;
	}
	p->first = p->next = 0;
	p->first_off = p->first_ref = 0;
	p->mem.len = 0;
	p->mem_off = 0;
}
void spool_free(struct spool_file *s, struct spool *p);

#endif
