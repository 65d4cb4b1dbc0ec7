#include "config.h"

#include "spool_part.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

void
spool_file_close(struct spool_file *s)
{
	while (s->nparts > 0)
		(void)close(s->part[--s->nparts].fd);
	spool_hold_close(s);
}

/* A new unnamed file: its descriptor, or -1/errno. */
static int
open_file(const struct spool_file *s)
{
	struct buf path = BUF_INIT;
	int fd, saved;

#ifdef O_TMPFILE
	/* Never has a name: nothing to clean up, whatever happens.  The
	 * test suite turns it off to exercise the fallback below. */
	if (!spool_test_knob("PMAPF_TEST_NO_O_TMPFILE")) {
		fd = open(s->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -1;
	}
#endif
	if (buf_printf(&path, "%s/pmapf.XXXXXX", s->dir) == -1)
		return -1;
	fd = mkstemp(path.data);
	if (fd >= 0) {
		(void)unlink(path.data);
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
			saved = errno;
			close(fd);
			fd = -1;
			errno = saved;
		}
	}
	buf_free(&path);
	return fd;
}

static void
close_part(struct spool_file *s, struct spill_part *part)
{
	(void)close(part->fd);
	memmove(part, part + 1,
	        (size_t)(&s->part[s->nparts] - (part + 1)) * sizeof *part);
	s->nparts--;
}

struct spill_part *
spool_part_for_new(struct spool_file *s)
{
	struct spill_part *newest =
	    s->nparts > 0 ? &s->part[s->nparts - 1] : NULL;
	int fd;

	if (newest != NULL &&
	    (newest->end < s->part_size || s->nparts == SPILL_PARTS))
		return newest;
	/* No descriptor left (or the like): the newest grows instead, and
	 * copies what it sends from past part_size. */
	if ((fd = open_file(s)) == -1)
		return newest;
	/* A newest part that could not be emptied (ftruncate failed) would
	 * never be given anything back again. */
	if (newest != NULL && newest->live == 0)
		close_part(s, newest);
	newest = &s->part[s->nparts++];
	*newest = (struct spill_part){.fd = fd};
	return newest;
}

void
spool_part_written(struct spool_file *s, struct spill_part *part, uint64_t n)
{
	part->end += n;
	part->live += n;
	s->live += n;
}

/* Extents name their part by descriptor, not by index: closing a part
 * moves the ones after it.  The index, or -1. */
static int
part_of(const struct spool_file *s, int fd)
{
	unsigned i;

	for (i = 0; i < s->nparts; i++)
		if (s->part[i].fd == fd)
			return (int)i;
	return -1;
}

void
spool_part_give_back(struct spool_file *s, int fd, uint64_t off, uint64_t len,
                     uint64_t referenced)
{
	int i = part_of(s, fd);
	struct spill_part *part;

	s->live -= len;
	/* Only after spool_file_close: every live extent has its part. */
	if (i < 0)
		return;
	part = &s->part[i];
	part->live -= len;
#ifdef FALLOC_FL_PUNCH_HOLE
	/* Free the disk now; where holes are not supported the space comes
	 * back when the part empties.  A punch zeroes only its own range,
	 * so the bytes after the referenced ones may go. */
	if (len > referenced)
		(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		                (off_t)(off + referenced),
		                (off_t)(len - referenced));
#else
	(void)off;
	(void)referenced;
#endif
	if (part->live > 0)
		return;
	if (part != &s->part[s->nparts - 1]) {
		close_part(s, part);
	} else if (part->end > 0 && ftruncate(fd, 0) == 0) {
		part->end = 0;
	}
}
