/*
 * Cutting a stream into blocks of records (--pipe), as GNU parallel cuts
 * it: a block holds whole records and at most `size` bytes, ending at the
 * last record end that fits; a record longer than that is a block of its
 * own, never split.  With `records` set (-N), a block is that many
 * records instead, whatever its size.  A record ends where `recend` is
 * followed by `recstart` (either may be empty, not both); with `lines`
 * (-L) it takes that many of those ends.
 *
 * By size with one-byte record ends, one to a record (a newline, -0,
 * -d), a `window` may be set: then a block ends only at a record end in
 * its last `window` bytes before the size (after byte size - window);
 * with none there, the record
 * crossing the size (longer than the window) stays whole in the block,
 * which ends just after it.  Bytes before the window never decide where a
 * block ends, so the caller may give them without showing them (moved
 * with splice, never seen), and the blocks are the same whether it does
 * or not.
 *
 * Pure: bytes in, decisions out.  The caller keeps the bytes not yet
 * given to a block and shows them again (with more) on the next call.
 */
#ifndef PMAPF_BLOCKCUT_H
#define PMAPF_BLOCKCUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blockcut {
	/* What a block is. */
	const char *recend, *recstart;
	size_t recend_len, recstart_len;
	uint64_t size;    /* bytes at most, unless one record is longer */
	uint64_t window;  /* see above; 0: none (any record end may end it) */
	uint64_t records; /* records per block (-N); 0: by size */
	unsigned lines;   /* ends per record (-L); 0 or 1: one */
	/* The block being cut: bytes and records given to it so far; ends
	 * seen in its unfinished record; the bytes shown last time that
	 * were looked at already; its one record is longer than size. */
	uint64_t len, nrec;
	unsigned ends;
	size_t scanned, from; /* ... and where the next end may be */
	/* Past the size: its first record is longer (oversized), or the
	 * record crossing the size began before the window (overrun); it
	 * ends at the next record end. */
	bool oversized, overrun;
	bool at_end; /* the bytes given so far end a record */
	/* --group-by: records are runs of lines (ending with `delim`) whose
	 * keys are the same; same_key says whether a line's is the last
	 * one's, and remembers it.  gpos: the next line to look at. */
	bool (*same_key)(void *ctx, const char *line, size_t len);
	void *key_ctx;
	/* --regexp: find (recre_find) says where records end instead. */
	bool (*find)(void *ctx, const char *d, size_t n, size_t from, bool eof,
	             size_t *p, size_t *decided);
	void *find_ctx;
	char delim;
	size_t gpos;
};

void blockcut_init(struct blockcut *c, uint64_t size, uint64_t records,
                   unsigned lines, const char *recend, size_t recend_len,
                   const char *recstart, size_t recstart_len);
/* --group-by: a record is a run of lines whose keys are the same (the
 * record ends are ignored); same_key (see above) tells. */
void blockcut_group(struct blockcut *c, char delim,
                    bool (*same_key)(void *ctx, const char *line, size_t len),
                    void *ctx);
/* --regexp: find tells where records end (see recre.h); blockcut_init
 * was given empty record ends. */
void blockcut_find(struct blockcut *c,
                   bool (*find)(void *ctx, const char *d, size_t n, size_t from,
                                bool eof, size_t *p, size_t *decided),
                   void *ctx);
/* A window (see above), where the record ends allow one. */
void blockcut_window(struct blockcut *c, uint64_t window);

/*
 * data[0..n) are the bytes after those given to the current block; eof:
 * no more will come.  Returns how many of them go to the block now (the
 * caller drops them from the front); *ended: the block ends after them
 * (the next bytes start the next block).  With no bytes at all at eof, a
 * block that was given nothing is no block: 0, not ended.
 */
size_t blockcut_next(struct blockcut *c, const char *data, size_t n, bool eof,
                     bool *ended);

/* --block-timeout: end the block now, if what it was given so far ends
 * a record (true); the bytes not given start the next one. */
bool blockcut_cut_now(struct blockcut *c);
/* The block that just ended is longer than the block size: a record was
 * not cut (said once by the caller). */
bool blockcut_oversized(const struct blockcut *c);

/* Bytes the caller may give the current block now without showing them:
 * those before its window (0 without a window). */
uint64_t blockcut_blind_room(const struct blockcut *c);
/* Bytes the block may still take when its end is looked for from the
 * back (what is read beyond them is the next block's); 0: no bound. */
uint64_t blockcut_room(const struct blockcut *c);
/* n bytes (at most the room above; the first of them may be ones shown
 * before and not given) went to the block unseen. */
void blockcut_blind(struct blockcut *c, uint64_t n);

#endif
