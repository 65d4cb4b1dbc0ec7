#define _GNU_SOURCE
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

struct extent {
	uint64_t off;
	uint64_t len;
};

void
spill_init(struct spill *s, size_t budget, size_t per_spool)
{
	const char *dir = getenv("TMPDIR");

	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->budget = budget;
	s->per_spool = per_spool;
	s->dir = dir != NULL && *dir != '\0' ? dir : "/tmp";
}

void
spill_close(struct spill *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int
open_file(struct spill *s)
{
	struct buf path = BUF_INIT;
	int fd, saved;

#ifdef O_TMPFILE
	/* Never has a name: nothing to clean up, whatever happens. */
	fd = open(s->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0) {
		s->fd = fd;
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
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
	if (fd < 0)
		return -1;
	s->fd = fd;
	return 0;
}

static int
pwrite_all(int fd, const char *p, size_t n, uint64_t off)
{
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, p, n, (off_t)off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* Move a spool's memory to the end of the file. */
static int
spill_out(struct spill *s, struct spool *p)
{
	struct extent *e;
	size_t cap;

	if (p->mem.len == 0)
		return 0;
	if (s->fd < 0 && open_file(s) == -1)
		return -1;
	if (pwrite_all(s->fd, p->mem.data, p->mem.len, s->end) == -1)
		return -1;
	if (p->next > 0 &&
	    p->ext[p->next - 1].off + p->ext[p->next - 1].len == s->end) {
		p->ext[p->next - 1].len += p->mem.len;
	} else {
		if (p->next == p->cap) {
			cap = p->cap ? p->cap * 2 : 4;
			e = realloc(p->ext, cap * sizeof *e);
			if (e == NULL)
				return -1;
			p->ext = e;
			p->cap = cap;
		}
		p->ext[p->next].off = s->end;
		p->ext[p->next].len = p->mem.len;
		p->next++;
	}
	s->end += p->mem.len;
	s->live += p->mem.len;
	s->held -= p->mem.len;
	buf_reset(&p->mem);
	return 0;
}

int
spool_add(struct spill *s, struct spool *p, const void *data, size_t n)
{
	if (buf_append(&p->mem, data, n) == -1)
		return -1;
	s->held += n;
	if (p->mem.len > s->per_spool || s->held > s->budget)
		return spill_out(s, p);
	return 0;
}

size_t
spool_len(const struct spool *p)
{
	size_t n = p->mem.len, i;

	for (i = 0; i < p->next; i++)
		n += (size_t)p->ext[i].len;
	return n;
}

static void
give_back(struct spill *s, struct spool *p)
{
	size_t i;

	for (i = 0; i < p->next; i++) {
		s->live -= p->ext[i].len;
#ifdef FALLOC_FL_PUNCH_HOLE
		/* Free the disk now; where holes are not supported the space
		 * comes back when the file empties. */
		(void)fallocate(s->fd,
		                FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		                (off_t)p->ext[i].off, (off_t)p->ext[i].len);
#endif
	}
	p->next = 0;
	if (s->fd >= 0 && s->live == 0 && s->end > 0 &&
	    ftruncate(s->fd, 0) == 0)
		s->end = 0;
}

int
spool_emit(struct spill *s, struct spool *p,
           int (*put)(const char *, size_t, void *), void *arg,
           bool *put_failed)
{
	char chunk[65536];
	uint64_t off, left;
	size_t i, want;
	ssize_t r;

	*put_failed = false;
	for (i = 0; i < p->next; i++) {
		off = p->ext[i].off;
		for (left = p->ext[i].len; left > 0; left -= (uint64_t)r) {
			want =
			    left < sizeof chunk ? (size_t)left : sizeof chunk;
			r = pread(s->fd, chunk, want, (off_t)off);
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r <= 0) {
				if (r == 0)
					errno = EIO;
				return -1;
			}
			if (put(chunk, (size_t)r, arg) == -1) {
				*put_failed = true;
				return -1;
			}
			off += (uint64_t)r;
		}
	}
	if (p->mem.len > 0 && put(p->mem.data, p->mem.len, arg) == -1) {
		*put_failed = true;
		return -1;
	}
	spool_reset(s, p, SIZE_MAX);
	return 0;
}

int
spool_emit_lines(struct spill *s, struct spool *p,
                 int (*put)(const char *, size_t, void *), void *arg)
{
	const char *last = NULL, *q = p->mem.data;
	size_t n;

	/* Lines older than what is in memory are in the file: they go first,
	 * at the end, with the rest. */
	if (p->next > 0 || p->mem.len == 0)
		return 0;
	while ((q = memchr(q, '\n', p->mem.len - (size_t)(q - p->mem.data))) !=
	       NULL)
		last = q++;
	if (last == NULL)
		return 0;
	n = (size_t)(last - p->mem.data) + 1;
	if (put(p->mem.data, n, arg) == -1)
		return -1;
	buf_consume(&p->mem, n);
	s->held -= n;
	return 0;
}

void
spool_reset(struct spill *s, struct spool *p, size_t keep_cap)
{
	give_back(s, p);
	s->held -= p->mem.len;
	if (p->mem.cap > keep_cap)
		buf_free(&p->mem);
	buf_reset(&p->mem);
}

void
spool_free(struct spill *s, struct spool *p)
{
	spool_reset(s, p, 0);
	free(p->ext);
	p->ext = NULL;
	p->cap = 0;
}
