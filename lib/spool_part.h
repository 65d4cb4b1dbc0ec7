/*
 * The spool file's parts: the unnamed temporary files spilled output is
 * written to, shared by every spool.  Not a public face: spool.c's own.
 *
 * Why parts: output sent into a pipe with sendfile(2) leaves the pipe --
 * or any pipe its reader splices the bytes on to, where pmapf cannot see
 * -- holding the file's pages, and a hole punched under them zeroes them
 * there.  Such bytes are never punched; their space comes back only when
 * their whole part is emptied (truncated to 0, or closed: both leave
 * referenced pages as they are).  New output goes to a new part once the
 * newest holds part_size bytes, and only bytes below that offset go out
 * by reference (the newest grows past it only when SPILL_PARTS are
 * open): the disk kept this way stays under part_size per part.
 */
#ifndef PMAPF_SPOOL_PART_H
#define PMAPF_SPOOL_PART_H

#include <stdint.h>

#include "spool.h"

/* The part new bytes go to: the newest, or a new one.  NULL/errno. */
struct spill_part *spool_part_for_new(struct spool_file *s);
/* n bytes were appended to part at its end. */
void spool_part_written(struct spool_file *s, struct spill_part *part,
                        uint64_t n);
/*
 * Bytes [off, off + len) of part fd hold nothing any more; the first
 * `referenced` of them may have gone out by reference and stay unpunched.
 * A part left with nothing is emptied or closed.
 */
void spool_part_give_back(struct spool_file *s, int fd, uint64_t off,
                          uint64_t len, uint64_t referenced);

#endif
