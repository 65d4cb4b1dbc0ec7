/*
 * The end of one job's output on a stream that carries job after job
 * (-S sessions: remote_script.h).  The host's shell writes, after a
 * job's command has ended, a mark on both of its streams: on stdout the
 * mark, a blank, the exit status and a newline; on stderr the mark and a
 * newline.  The mark is FRAME_MARK_LEN random characters a run draws
 * once, which no job's output holds but by a chance of one in 2^128; the
 * bytes before it are the job's, whatever they are.  Pure: bytes in,
 * spans out.
 */
#ifndef PMAPF_FRAME_H
#define PMAPF_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#define FRAME_MARK_LEN 32
/* Bytes a frame may hold back between reads (the mark, a blank, a
 * status, a newline): the room a caller leaves before what it reads. */
#define FRAME_HOLD (FRAME_MARK_LEN + 24)

struct frame {
	const char *mark; /* FRAME_MARK_LEN bytes */
	char held[FRAME_HOLD];
	size_t nheld;
};

/* What one read came to: the job's bytes (two spans: before the end,
 * and any after it, from a process the job left behind); whether its
 * end was seen, and the status written with it (-1: none, stderr). */
struct frame_out {
	const char *a, *b;
	size_t alen, blen;
	bool end;
	int status;
};

void frame_init(struct frame *f, const char *mark);
/*
 * n bytes read to p, which has FRAME_HOLD bytes of room before it (the
 * bytes held from the last read are put there).  The spans point into
 * that room and p; what may be the start of a mark is held for the next
 * read.
 */
void frame_feed(struct frame *f, char *p, size_t n, struct frame_out *o);
/* The stream ended: the bytes held were the job's after all. */
size_t frame_flush(struct frame *f, const char **p);
/* A new mark of FRAME_MARK_LEN characters [0-9a-f] from 16 random
 * bytes, into mark (FRAME_MARK_LEN + 1, NUL-ended). */
void frame_mark_from(const unsigned char rnd[16], char *mark);

#endif
