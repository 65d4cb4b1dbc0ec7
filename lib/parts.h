/*
 * --pipe-part: files cut into blocks by offsets, as GNU parallel cuts
 * them.  A block begins where the last one ended and ends just after the
 * first record end at or past --block bytes into it (records are never
 * split: a block is --block bytes and up to one record more), or at the
 * file's end.  Finding a cut reads only the few KiB there.  Each job is
 * given its file's --header lines and then its own range, moved from the
 * file into its stdin pipe with splice(2) (read and written where splice
 * cannot), so the data never passes through pmapf and no copy is kept:
 * a retried block is simply sent again.  Cuts are found as jobs are
 * made, so the first starts at once; the bytes to send are known from
 * the start, the number of blocks once the last is cut.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_PARTS_H
#define PMAPF_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "colkey.h"
#include "fifos.h"
#include "job.h"
#include "pmapf.h"
#include "recre.h"
#include "rrs.h"
#include "spool.h"

struct parts_file {
	const char *name; /* as given ("-": stdin), for messages */
	int fd;
	bool ours;           /* fd is closed at the end */
	uint64_t header_at;  /* --header: its lines are here ... */
	uint64_t header_len; /* ... this long */
	uint64_t from, size; /* its blocks: [from, size) */
	uint64_t used;       /* when fd was last wanted (closed: -1) */
};

struct parts {
	struct parts_file *files;
	size_t nfiles;
	size_t nopen; /* files whose fd is open (stdin aside) */
	uint64_t tick;
	size_t at;     /* the file being cut ... */
	uint64_t next; /* ... and where its next block begins */
	uint64_t block;
	char pat[512]; /* a record end: recend then recstart */
	size_t pat_len, recend_len;
	bool no_splice; /* splice failed: read and write instead */
	struct spool_file *spill;
	const char *to_dir; /* --cat: blocks go to files here */
	bool regexp;        /* --regexp: where records end */
	struct recre re;
	bool rrs_on; /* --rrs: blocks go through this filter */
	struct rrs rrs;
	struct buf filtered;
	struct fifos *fifos; /* --fifo: blocks go into these */
	bool shrunk_said;
	/* --group-by: cuts where a line's key is not the last line's; the
	 * lines are read through win (from win_at). */
	bool grouped;
	char delim;
	struct colkey key;
	struct buf win;
	uint64_t win_at;
	uint64_t bytes_total, bytes_sent; /* blocks' bytes, not headers */
	uint64_t blocks_made;
	/* {##}: the blocks are counted when the files are opened. */
	bool counted;
	uint64_t blocks_total;
	char *chunk; /* IO_CHUNK bytes, and room for a NUL after them */
};

/* Open the files (o->sources, or stdin) and find their headers; with
 * o->blocks_per_slot, the block size from their size.  Before any job:
 * a file that cannot be cut by offsets is an error here. */
int parts_open(struct parts *p, const struct pmapf_opts *o,
               struct spool_file *spill);
void parts_close(struct parts *p);
/* A job for the next block, numbered seq; NULL when none is left (or
 * *failed: said).  --cat: its block is copied into its file first. */
struct job *parts_next_job(struct parts *p, struct job_cache *cache,
                           uint64_t seq, bool *failed);
/* j's stdin can take more (or j just started): its header and block go
 * in as far as they fit; its stdin is closed once all is in. */
int parts_send(struct parts *p, struct job *j);
/* j is finished or dropped: nothing more goes to it. */
void parts_forget(struct parts *p, struct job *j);
/* j failed and runs again (--retries): its block once more. */
int parts_retry(struct parts *p, struct job *j);
/* Every block has been made. */
bool parts_done(const struct parts *p);
/* The number of blocks, when known before all are made ({##}). */
bool parts_total(const struct parts *p, uint64_t *n);

#endif
