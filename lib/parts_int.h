/* parts.c and parts_cut.c (--pipe-part): what one asks of the other.
 * Not a public face. */
#ifndef PMAPF_PARTS_INT_H
#define PMAPF_PARTS_INT_H

#include <sys/types.h>

#include "parts.h"

/* f's name as messages show it. */
const char *parts_shown_name(const struct parts_file *f);
/* pread, EINTR retried: bytes read, 0 at the end, -1 (errno). */
ssize_t parts_read_at(int fd, char *p, size_t n, uint64_t at);
/* f open (files are kept open a few at a time): its descriptor, or -1
 * (said). */
int parts_file_fd(struct parts *p, struct parts_file *f);
/* Where the block that begins at `from` ends (parts_cut.c): just after
 * the first record end that starts at or past from + --block, or at
 * the file's end.  0, or -1 (said). */
int parts_cut_after(struct parts *p, struct parts_file *f, uint64_t from,
                    uint64_t *to);

#endif
