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

/*
 * --group-by: the first line start at or past `at` whose key is not the
 * line before's, or the file's end.  The line the cut falls in is only
 * passed (its key unknown), so the first line after it is no place to
 * cut: blocks may be a run longer, never a run split.
 */
static int
group_cut(struct parts *p, struct parts_file *f, uint64_t at, uint64_t *to)
{
	const char *line;
	size_t len;
	uint64_t pos, start;
	bool first = true;
	int rc;

	*to = f->size;
	p->key.last_set = false;
	if ((rc = line_at(p, f, at - 1, &line, &len, &pos)) != 1)
		return rc < 0 ? -1 : 0;
	while (pos < f->size) {
		start = pos;
		if ((rc = line_at(p, f, start, &line, &len, &pos)) != 1)
			return rc < 0 ? -1 : 0;
		if (!colkey_same(&p->key, line, len) && !first) {
			*to = start;
			return 0;
		}
		first = false;
	}
	return 0;
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
		return group_cut(p, f, at, to);
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
