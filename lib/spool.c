#include "config.h"

#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_SYS_SENDFILE_H
#include <sys/sendfile.h>
#endif
#include <unistd.h>

#include "buf.h"
#include "spool_int.h"
#include "spool_part.h"

/* Taken bytes of an extent given back before it is empty. */
#define GIVE_BACK_STEP ((uint64_t)4 << 20)

bool
spool_test_knob(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0';
}

void
spool_file_init(struct spool_file *s, size_t budget, size_t per_spool)
{
	const char *dir = getenv("TMPDIR");

	memset(s, 0, sizeof *s);
	s->part_size = SPILL_PART_SIZE;
	s->budget = budget;
	s->per_spool = per_spool;
	s->dir = dir != NULL && *dir != '\0' ? dir : "/tmp";
	/* The portable read/write path, for the tests. */
	s->no_splice = spool_test_knob("PMAPF_TEST_NO_SPLICE");
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

void
spool_mem_free(struct spool_file *s, struct spool *p)
{
	s->held -= p->mem.cap;
	buf_free(&p->mem);
	p->mem_off = 0;
}

/* Room for n more extents: then add_extent cannot fail.  0 or -1. */
static int
reserve_extents(struct spool *p, size_t n)
{
	struct extent *e;
	size_t cap = p->cap ? p->cap : 4;

	if (p->first > 0 && p->first == p->next) {
		p->first = p->next = 0;
		p->first_off = 0;
		p->first_ref = 0;
	}
	while (cap < (size_t)p->next + n)
		cap *= 2;
	if (cap == p->cap)
		return 0;
	if (cap > UINT32_MAX || (e = realloc(p->ext, cap * sizeof *e)) == NULL)
		return -1;
	p->ext = e;
	p->cap = (uint32_t)cap;
	return 0;
}

int
spool_add_extent(struct spool *p, int fd, int wfd, uint64_t off, uint64_t len)
{
	const struct extent *last =
	    p->next > p->first ? &p->ext[p->next - 1] : NULL;

	if (last != NULL && wfd < 0 && last->wfd < 0 && last->fd == fd &&
	    last->off + last->len == off) {
		p->ext[p->next - 1].len += len;
		return 0;
	}
	if (reserve_extents(p, 1) == -1)
		return -1;
	p->ext[p->next].off = off;
	p->ext[p->next].len = len;
	p->ext[p->next].fd = fd;
	p->ext[p->next].wfd = wfd;
	p->next++;
	return 0;
}

int
spool_spill(struct spool_file *s, struct spool *p)
{
	size_t n = p->mem.len - p->mem_off;
	struct spill_part *part;

	if (n == 0) {
		spool_mem_free(s, p);
		return 0;
	}
	if ((part = spool_part_for_new(s)) == NULL ||
	    pwrite_all(part->fd, p->mem.data + p->mem_off, n, part->end) ==
	        -1 ||
	    spool_add_extent(p, part->fd, -1, part->end, n) == -1)
		return -1;
	spool_part_written(s, part, n);
	/* A spilled spool holds no buffer: thousands may wait. */
	spool_mem_free(s, p);
	return 0;
}

long
spool_splice_in(struct spool_file *s, struct spool *p, int fd, size_t max)
{
#ifdef HAVE_SPLICE
	struct spill_part *part;
	loff_t off;
	ssize_t n;

	if (s->full || s->no_splice) {
		errno = ENOSYS;
		return -1;
	}
	/* Memory holds the newest bytes: it goes to the file first. */
	if (p->mem.len > p->mem_off && spool_spill(s, p) == -1)
		return -1;
	if ((part = spool_part_for_new(s)) == NULL)
		return -1;
	off = (loff_t)part->end;
	do
		n = splice(fd, NULL, part->fd, &off, max,
		           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
		s->no_splice = true; /* this file system: read and write */
		errno = ENOSYS;
	}
	if (n <= 0)
		return n;
	if (spool_add_extent(p, part->fd, -1, part->end, (uint64_t)n) == -1)
		return -1; /* the bytes are in the file, past its end: lost */
	spool_part_written(s, part, (uint64_t)n);
	return n;
#else
	(void)s;
	(void)p;
	(void)fd;
	(void)max;
	errno = ENOSYS;
	return -1;
#endif
}

bool
spool_no_space(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

int
spool_add(struct spool_file *s, struct spool *p, const void *data, size_t n)
{
	size_t cap = p->mem.cap;

	if (n == 0)
		return 0;
	if (p->mem_off > 0 && p->mem_off >= p->mem.len / 2) {
		buf_consume(&p->mem, p->mem_off);
		p->mem_off = 0;
	}
	if (buf_append(&p->mem, data, n) == -1)
		return -1;
	s->held += p->mem.cap - cap;
	if (s->full ||
	    (p->mem.len - p->mem_off <= s->per_spool && s->held <= s->budget))
		return 0;
	if (spool_spill(s, p) == 0)
		return 0;
	if (!spool_no_space(errno))
		return -1;
	/* No room on disk: hold it in memory, and say so. */
	s->full = true;
	return 0;
}

bool
spool_spilled(const struct spool *p)
{
	return p->first < p->next;
}

size_t
spool_len(const struct spool *p)
{
	size_t n = p->mem.len - p->mem_off, i;

	for (i = p->first; i < p->next; i++)
		n += (size_t)p->ext[i].len;
	return n - (size_t)(p->first < p->next ? p->first_off : 0);
}

static void
give_back(struct spool_file *s, struct spool *p)
{
	size_t i;

	/* Whole extents: what was taken of the first is still counted. */
	for (i = p->first; i < p->next; i++)
		if (p->ext[i].wfd >= 0)
			spool_hold_release(s, &p->ext[i]);
		else
			spool_part_give_back(s, p->ext[i].fd, p->ext[i].off,
			                     p->ext[i].len,
			                     i == p->first ? p->first_ref : 0);
	p->first = p->next = 0;
	p->first_off = 0;
	p->first_ref = 0;
}

/* n bytes of the first extent are gone: give its space back once it
 * is empty, or every GIVE_BACK_STEP bytes: a streaming job's kept output
 * is one extent that grows at its end while it is sent from its start,
 * and may never be empty until the job ends. */
static void
taken_from_file(struct spool_file *s, struct spool *p, uint64_t n)
{
	struct extent *e = &p->ext[p->first];

	p->first_off += n;
	if (p->first_off < e->len && p->first_off < GIVE_BACK_STEP)
		return;
	spool_part_give_back(s, e->fd, e->off, p->first_off, p->first_ref);
	e->off += p->first_off;
	e->len -= p->first_off;
	p->first_off = 0;
	p->first_ref = 0;
	if (e->len == 0 && ++p->first == p->next)
		p->first = p->next = 0;
}

void
spool_taken_from_memory(struct spool *p, size_t n)
{
	p->mem_off += n;
	if (p->mem_off == p->mem.len) {
		/* Emptied: a recycled job keeps small memory only. */
		buf_reset(&p->mem);
		p->mem_off = 0;
	}
}

/* How much of the oldest run of bytes (first extent, else memory) to
 * move. */
static size_t
oldest_run(const struct spool *p, size_t max)
{
	uint64_t left = p->first < p->next ? p->ext[p->first].len - p->first_off
	                                   : p->mem.len - p->mem_off;

	if (max > (size_t)1 << 30)
		max = (size_t)1 << 30;
	return left < max ? (size_t)left : max;
}

/* Read the oldest bytes of the file without taking them: how many, or
 * -1/errno (EIO: the file is shorter than its extents). */
static ssize_t
peek_file(const struct spool *p, char *dst, size_t want)
{
	ssize_t r;

	do
		r = pread(p->ext[p->first].fd, dst, want,
		          (off_t)(p->ext[p->first].off + p->first_off));
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = EIO;
	return r > 0 ? r : -1;
}

/* One write(2), retried on EINTR: how many, or -1/errno. */
static ssize_t
write_once(int fd, const char *src, size_t n)
{
	ssize_t r;

	do
		r = write(fd, src, n);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = EIO;
	return r > 0 ? r : -1;
}

long
spool_take(struct spool_file *s, struct spool *p, char *dst, size_t max)
{
	size_t want = oldest_run(p, max);
	ssize_t r;

	if (want == 0)
		return 0;
	if (p->first < p->next && p->ext[p->first].wfd >= 0)
		return spool_hold_take(s, p, dst, want);
	if (p->first < p->next) {
		if ((r = peek_file(p, dst, want)) == -1)
			return -1;
		taken_from_file(s, p, (uint64_t)r);
		return (long)r;
	}
	memcpy(dst, p->mem.data + p->mem_off, want);
	spool_taken_from_memory(p, want);
	return (long)want;
}

long
spool_send(struct spool_file *s, struct spool *p, int fd, size_t max,
           enum spool_send_how how, char *chunk, size_t chunk_len)
{
	size_t want = oldest_run(p, max);
	uint64_t at;
	ssize_t r;

	if (want == 0)
		return 0;
	if (p->first == p->next) {
		if ((r = write_once(fd, p->mem.data + p->mem_off, want)) == -1)
			return -1;
		spool_taken_from_memory(p, (size_t)r);
		return (long)r;
	}
	if (p->ext[p->first].wfd >= 0)
		return spool_hold_send(s, p, fd, want);
	if (how == SPOOL_SEND_PIPE) {
		at = p->ext[p->first].off + p->first_off;
		if (at >= s->part_size)
			how = SPOOL_COPY;
		else if (want > s->part_size - at)
			want = (size_t)(s->part_size - at);
	}
	if (how != SPOOL_COPY) {
#if defined(HAVE_SENDFILE) && defined(HAVE_SYS_SENDFILE_H)
		const struct extent *e = &p->ext[p->first];
		off_t off = (off_t)(e->off + p->first_off);

		do
			r = sendfile(fd, e->fd, &off, want);
		while (r < 0 && errno == EINTR);
		if (r == 0) /* the file is shorter than its extents */
			errno = EIO;
		if (r <= 0)
			return -1;
		/* Noted before any of its space is given back. */
		if (how == SPOOL_SEND_PIPE)
			p->first_ref = p->first_off + (uint64_t)r;
#else
		errno = ENOSYS;
		return -1;
#endif
	} else {
		/* What fd does not take now is read again next time. */
		if ((r = peek_file(p, chunk,
		                   want < chunk_len ? want : chunk_len)) ==
		        -1 ||
		    (r = write_once(fd, chunk, (size_t)r)) == -1)
			return -1;
	}
	taken_from_file(s, p, (uint64_t)r);
	return (long)r;
}

int
spool_join(struct spool_file *s, struct spool *dst, struct spool *src)
{
	size_t i;

	if (src->first == src->next) {
		if (spool_add(s, dst, src->mem.data + src->mem_off,
		              src->mem.len - src->mem_off) == -1)
			return -1;
		spool_reset(s, src, 0);
		return 0;
	}
	if (spool_spill(s, dst) == -1) {
		char chunk[65536];
		long got;

		if (!spool_no_space(errno))
			return -1;
		/* No room to put dst's memory in the file: bring src's
		 * bytes into memory after it instead. */
		s->full = true;
		while ((got = spool_take(s, src, chunk, sizeof chunk)) > 0)
			if (spool_add(s, dst, chunk, (size_t)got) == -1)
				return -1;
		if (got < 0)
			return -1;
		spool_reset(s, src, 0);
		return 0;
	}
	/* Then nothing below can fail halfway, with bytes in both. */
	if (reserve_extents(dst, (size_t)(src->next - src->first)) == -1)
		return -1;
	for (i = src->first; i < src->next; i++) {
		uint64_t skip = i == src->first ? src->first_off : 0;

		/* The run already taken is given back now: extents are
		 * counted whole. */
		if (skip > 0)
			spool_part_give_back(s, src->ext[i].fd, src->ext[i].off,
			                     skip, src->first_ref);
		(void)spool_add_extent(dst, src->ext[i].fd, src->ext[i].wfd,
		                       src->ext[i].off + skip,
		                       src->ext[i].len - skip);
	}
	src->first = src->next = 0;
	src->first_off = 0;
	src->first_ref = 0;
	/* dst holds no memory after spilling: src's moves over whole. */
	dst->mem = src->mem;
	dst->mem_off = src->mem_off;
	src->mem = (struct buf)BUF_INIT;
	src->mem_off = 0;
	return 0;
}

void
spool_settle(struct spool_file *s, struct spool *p)
{
	size_t len;
	char *d;

	if (p->mem_off > 0) {
		buf_consume(&p->mem, p->mem_off);
		p->mem_off = 0;
	}
	len = p->mem.len;
	if (len == 0) {
		spool_mem_free(s, p);
		return;
	}
	/* Small buffers stay: shrinking them saves little, and costs an
	 * allocation when the buffer is used again. */
	if (p->mem.cap <= len + len / 8 + 64 || p->mem.cap <= 64)
		return;
	d = realloc(p->mem.data, len + 1);
	if (d == NULL)
		return;
	s->held -= p->mem.cap - (len + 1);
	p->mem.data = d;
	p->mem.cap = len + 1;
}

int
spool_emit_lines(struct spool_file *s, struct spool *p, bool lines,
                 int (*put)(const char *, size_t, void *), void *arg)
{
	const char *base = p->mem.data + p->mem_off, *last;
	size_t n;

	(void)s;
	/* Lines older than what is in memory are in the file: they go first,
	 * at the end, with the rest. */
	if (p->first < p->next || p->mem.len == p->mem_off)
		return 0;
	last = lines ? memrchr(base, '\n', p->mem.len - p->mem_off)
	             : p->mem.data + p->mem.len - 1;
	if (last == NULL)
		return 0;
	n = (size_t)(last - base) + 1;
	if (put(base, n, arg) == -1)
		return -1;
	p->mem_off += n;
	if (p->mem_off == p->mem.len) {
		buf_reset(&p->mem);
		p->mem_off = 0;
	}
	return 0;
}

void
spool_reset_held(struct spool_file *s, struct spool *p, size_t keep_cap)
{
	if (p->first < p->next)
		give_back(s, p);
	p->first = p->next = 0;
	p->first_off = 0;
	p->first_ref = 0;
	if (p->mem.cap > keep_cap)
		spool_mem_free(s, p);
	buf_reset(&p->mem);
	p->mem_off = 0;
}

void
spool_free(struct spool_file *s, struct spool *p)
{
	spool_reset(s, p, 0);
	free(p->ext);
	p->ext = NULL;
	p->cap = 0;
}
