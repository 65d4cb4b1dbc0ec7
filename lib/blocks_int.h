/* The blocks' parts, shared by blocks.c (cutting blocks, giving them to
 * jobs) and blocks_read.c (reading stdin).  Not a public face. */
#ifndef PMAPF_BLOCKS_INT_H
#define PMAPF_BLOCKS_INT_H

#include "blocks.h"

/* Bytes asked of one read of stdin. */
#define BLOCKS_READ_CHUNK (1u << 20)

/* Bytes read and not yet given to a block. */
size_t blocks_unread(const struct blocks *b);
/* Bytes of the current block, for its job.  0, or -1 (said). */
int blocks_put(struct blocks *b, const char *p, size_t n);
/* Give the current block what is cut of it.  0, or -1 (said). */
int blocks_cut(struct blocks *b);

#endif
