/* spool.c and spool_hold.c: what one asks of the other.  Not a public
 * face. */
#ifndef PMAPF_SPOOL_INT_H
#define PMAPF_SPOOL_INT_H

#include <sys/types.h>

#include "spool.h"

/* A run of a spool's bytes: in a part of the spool file (wfd -1), from
 * off on; or all that a holding pipe has (fd its read end, wfd its write
 * end, off unused).  Only the last extent takes new bytes, so order is
 * kept whatever the kinds; a pipe's is never empty, or it would read as
 * the spool's end. */
struct extent {
	uint64_t off;
	uint64_t len;
	int fd;
	int wfd;
};

/* A new extent at p's end (a file extent may just lengthen the last).
 * 0, or -1 (out of memory). */
int spool_add_extent(struct spool *p, int fd, int wfd, uint64_t off,
                     uint64_t len);
/* n of the bytes memory holds are gone. */
void spool_taken_from_memory(struct spool *p, size_t n);
/* Memory holds nothing: its buffer goes too (budget given back). */
void spool_mem_free(struct spool_file *s, struct spool *p);

/* The first extent, a holding pipe: up to want of its bytes read into
 * dst, or moved into fd with splice.  How many, or -1/errno. */
ssize_t spool_hold_take(struct spool_file *s, struct spool *p, char *dst,
                        size_t want);
ssize_t spool_hold_send(struct spool_file *s, struct spool *p, int fd,
                        size_t want);
/* A holding pipe's extent is dropped: the pipe kept for reuse when empty,
 * else closed. */
void spool_hold_release(struct spool_file *s, struct extent *e);

#endif
