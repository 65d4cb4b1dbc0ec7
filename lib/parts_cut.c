/* --pipe-part: where a block ends (see parts_int.h). */
#include "config.h"

#include "parts_int.h"

#include <string.h>

#include "io.h"
#include "msg.h"

/* --group-by: the line of f at pos (its end not in *len) and where the
 * next begins.  0 past the end; -1 (said) on a read error. */
static int
line_at(struct parts *p, struct parts_file *f, uint64_t pos, const char **line,
        size_t *len, uint64_t *next)
{
	int fd = parts_file_fd(p, f);

	if (fd == -1)
		return -1;
	for (;;) {
		if (pos >= p->win_at && pos < p->win_at + p->win.len) {
			const char *s = p->win.data + (pos - p->win_at), *nl;
			size_t avail = p->win.len - (size_t)(pos - p->win_at);

			nl = memchr(s, p->delim, avail);
			if (nl != NULL || p->win_at + p->win.len >= f->size) {
				*line = s;
				*len = nl != NULL ? (size_t)(nl - s) : avail;
				*next = pos + *len + (nl != NULL);
				return 1;
			}
			buf_consume(&p->win, (size_t)(pos - p->win_at));
		} else {
			buf_reset(&p->win);
		}
		p->win_at = pos;
		if (pos >= f->size)
			return 0;
		if (buf_reserve(&p->win, IO_CHUNK) == -1) {
			msg_warn("out of memory");
			return -1;
		}
		ssize_t n = parts_read_at(fd, p->win.data + p->win.len,
		                          IO_CHUNK, pos + p->win.len);
		if (n == -1) {
			msg_warn_errno("error reading %s", parts_shown_name(f));
			return -1;
		}
		if (n == 0) /* it shrank: what is left is the last line */
			return p->win.len > 0
			           ? (*line = p->win.data, *len = p->win.len,
			              *next = f->size, 1)
			           : 0;
		p->win.len += (size_t)n;
	}
}

/* --group-by: a line's key, found as GNU parallel's --pipe-part finds
 * it, and where the line starts. */
struct probe {
	struct buf key;
	uint64_t at; /* the file's size: past its end (the key is empty) */
	bool last;   /* its line ends the file */
};

/* The first line that starts at or past pos. */
static int
probe_at(struct parts *p, struct parts_file *f, uint64_t pos, struct probe *pr)
{
	const char *line, *v;
	size_t len, n;
	uint64_t next;
	int rc = 1;

	buf_reset(&pr->key);
	pr->at = pos;
	pr->last = true;
	/* Past the end: GNU parallel's probe then stands where it sought,
	 * the byte before pos, and the halving goes on from there. */
	if (pos > 0 && pos - 1 >= f->size) {
		pr->at = pos - 1;
		return 0;
	}
	if (pos > 0 && pos < f->size &&
	    (rc = line_at(p, f, pos - 1, &line, &len, &next)) == 1)
		pr->at = next;
	if (rc == 1 && pr->at < f->size)
		rc = line_at(p, f, pr->at, &line, &len, &next);
	if (rc == -1)
		return -1;
	if (rc == 0 || pr->at >= f->size) {
		pr->at = f->size;
		return 0;
	}
	colkey_of(&p->key, line, len, &v, &n);
	if (buf_append(&pr->key, v, n) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	pr->last = next >= f->size;
	return 0;
}

static bool
same_key(const struct probe *a, const struct probe *b)
{
	return a->key.len == b->key.len &&
	       (a->key.len == 0 ||
	        memcmp(a->key.data, b->key.data, a->key.len) == 0);
}

static void
probe_swap(struct probe *a, struct probe *b)
{
	struct probe t = *a;

	*a = *b;
	*b = t;
}

/* The run of s's key holding the line at spos ends at or before the line
 * *end: halved down to where it does end, which *end becomes. */
static int
run_end(struct parts *p, struct parts_file *f, const struct probe *s,
        uint64_t spos, struct probe *end, struct probe *v)
{
	uint64_t dif = end->at - spos;

	while (dif > 0) {
		if (probe_at(p, f, spos + dif, v) == -1)
			return -1;
		if (same_key(v, s)) {
			spos = v->at;
			dif = end->at - spos;
		} else {
			probe_swap(end, v);
		}
		dif /= 2;
	}
	return 0;
}

/* The run of *start's key begins past spos (whose key is another) and at
 * or before *start: halved down to where it begins, which *start
 * becomes. */
static int
run_start(struct parts *p, struct parts_file *f, uint64_t spos,
          struct probe *start, struct probe *v)
{
	uint64_t dif = start->at - spos;

	while (dif > 0) {
		if (probe_at(p, f, spos + dif, v) == -1)
			return -1;
		if (same_key(v, start)) {
			start->at = v->at;
		} else {
			spos = v->at;
			dif = start->at - spos;
		}
		dif /= 2;
	}
	return 0;
}

/*
 * --group-by: where the block at `from` (a line start) ends, found as
 * GNU parallel does, so the blocks are its blocks: the keys of the lines
 * at one and two blocks past it are compared with its own; the run that
 * crosses a block's size is taken whole (its end found by halving), and
 * one that only begins past it is left for the next block.  A few lines
 * read per cut in a file sorted by the key, however long its runs.
 */
static int
group_cut(struct parts *p, struct parts_file *f, uint64_t from, uint64_t *to)
{
	struct probe a = {BUF_INIT, 0, false}, b = a, c = a, v = a;
	int rc = -1;

	*to = f->size;
	if (probe_at(p, f, from, &a) == -1 ||
	    probe_at(p, f, from + p->block, &b) == -1)
		goto out;
	if (b.last) {
		rc = 0;
		goto out;
	}
	if (probe_at(p, f, b.at + p->block, &c) == -1)
		goto out;
	if (!same_key(&a, &b) && same_key(&b, &c)) {
		/* A run that begins past the size and goes on: the next
		 * block begins with it. */
		if (run_start(p, f, a.at, &b, &v) == -1)
			goto out;
		*to = b.at;
	} else {
		/* The block's own run goes on: past every probe that finds
		 * it still. */
		while (same_key(&a, &b) && same_key(&b, &c)) {
			b.at = c.at;
			if (probe_at(p, f, c.at + p->block, &c) == -1)
				goto out;
			if (c.at >= f->size) {
				c.at = f->size;
				break;
			}
		}
		if (run_end(p, f, &b, b.at, &c, &v) == -1)
			goto out;
		*to = c.at;
	}
	/* (Never an empty block, whatever the file holds.) */
	if (*to <= from || *to > f->size)
		*to = f->size;
	rc = 0;
out:
	buf_free(&a.key);
	buf_free(&b.key);
	buf_free(&c.key);
	buf_free(&v.key);
	return rc;
}

/* --regexp: the first record end at or past `at` (recre_find over
 * reads of the file), or the file's end. */
static int
regex_cut(struct parts *p, struct parts_file *f, uint64_t at, uint64_t *to)
{
	int fd = parts_file_fd(p, f);

	if (fd == -1)
		return -1;
	while (at < f->size) {
		ssize_t n = parts_read_at(fd, p->chunk, IO_CHUNK, at);
		size_t hit, decided;
		bool eof;

		if (n == -1) {
			msg_warn_errno("error reading %s", parts_shown_name(f));
			return -1;
		}
		if (n == 0)
			return 0; /* it shrank: the rest is one block */
		eof = at + (uint64_t)n >= f->size;
		/* (regexec is told the length, but the sanitizers' version
		 * of it looks for a NUL all the same.) */
		p->chunk[n] = '\0';
		if (recre_find(&p->re, p->chunk, (size_t)n, 1, eof, &hit,
		               &decided)) {
			*to = at + hit;
			return 0;
		}
		at += decided > 0 ? decided : (uint64_t)n;
	}
	return 0;
}

/*
 * Where the block that begins at `from` ends: just after the first
 * record end that starts at or past from + block, or at the file's end.
 */
int
parts_cut_after(struct parts *p, struct parts_file *f, uint64_t from,
                uint64_t *to)
{
	uint64_t at = from + p->block;
	int fd;

	*to = f->size;
	if (p->block >= f->size - from)
		return 0;
	if (p->grouped)
		return group_cut(p, f, from, to);
	if (p->regexp)
		return regex_cut(p, f, at, to);
	/* No record end at all: a block is --block bytes exactly. */
	if (p->pat_len == 0) {
		*to = at;
		return 0;
	}
	if ((fd = parts_file_fd(p, f)) == -1)
		return -1;
	while (at < f->size) {
		ssize_t n = parts_read_at(fd, p->chunk, IO_CHUNK, at);
		const char *hit;

		if (n == -1) {
			msg_warn_errno("error reading %s", parts_shown_name(f));
			return -1;
		}
		if (n == 0)
			return 0; /* it shrank: the rest is one block */
		hit = memmem(p->chunk, (size_t)n, p->pat, p->pat_len);
		if (hit != NULL) {
			*to = at + (uint64_t)(hit - p->chunk) + p->recend_len;
			return 0;
		}
		/* A record end across the two reads is found in the next. */
		at += (size_t)n >= p->pat_len ? (uint64_t)n - p->pat_len + 1
		                              : (uint64_t)n;
	}
	return 0;
}
