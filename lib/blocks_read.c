/* --pipe: reading stdin for the blocks (see blocks.h): far from a
 * block's end bytes move unseen with splice, near it they are read to
 * find the record end; the --header lines come first. */
#include "config.h"

#include "blocks_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

/* Bytes asked of one read of stdin. */
#define READ_CHUNK BLOCKS_READ_CHUNK
/* The longest --header, which is held whole. */
#define HEADER_MAX (16u << 20)
/* Bytes asked of one splice. */
#define SPLICE_CHUNK (4u << 20)

/* --header: its lines, once all are read, are kept apart from the
 * blocks (until then they wait, looked at afresh with each read). */
static int
take_header(struct blocks *b)
{
	const char *p = b->stage.data + b->at, *nl;
	size_t n = blocks_unread(b), len = 0, named;
	unsigned left = b->header_lines;

	while (left > 0 && (nl = memchr(p + len, '\n', n - len)) != NULL) {
		len = (size_t)(nl - p) + 1;
		left--;
	}
	if (left > 0 && b->fd >= 0) {
		if (n < HEADER_MAX)
			return 0; /* the rest of it comes with the next read */
		msg_warn("the --header lines are longer than %u MiB",
		         HEADER_MAX >> 20);
		return -1;
	}
	b->header_lines = 0;
	if (left > 0) {
		/* Input ended inside the header: as GNU parallel, there is
		 * none, and every byte is a record's (never lost). */
		len = 0;
		if (n == 0)
			return 0;
	}
	/* --group-by a column's name: the first line names them (also one
	 * that turned out to be a record). */
	named = left > 0 ? n : len;
	if (b->grouped && colkey_header(&b->key, p,
	                                (nl = memchr(p, '\n', named)) != NULL
	                                    ? (size_t)(nl - p)
	                                    : named) == -1)
		return -1;
	if (buf_append(&b->header, p, len) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	b->at += len;
	return 0;
}

/* A splice from stdin into the job's stdin would block: either is
 * the cause (the job's, if stdin has bytes). */
static void
full(struct blocks *b, struct job *j)
{
	int left = 0;

	if (!j->route.in_full)
		j->route.full_since = io_now();
	j->route.in_full = true;
	j->route.in_fulls++;
	if (ioctl(b->fd, FIONREAD, &left) == 0 && left > 0)
		jobin_full(j, io_now());
	else
		j->route.in_wake = 0;
}

/* stdin ended: the block being cut ends too. */
static int
input_ended(struct blocks *b)
{
	b->fd = -1; /* stdin itself stays open: it is not ours */
	if (b->header_lines > 0 && take_header(b) == -1)
		return -1;
	return blocks_cut(b);
}

/*
 * Far from the block's end, move bytes from stdin without looking at
 * them: into the job's stdin, or (while that is full) into the spool
 * file.  1 if it dealt with stdin being readable, 0 if stdin is to be
 * read instead, -1 on error (said).
 */
static int
move_unseen(struct blocks *b)
{
	struct job *j = b->current;
	uint64_t room;
	ssize_t n;

	if (b->no_splice || b->header_lines > 0 || !b->cutting || j == NULL ||
	    j->route.in_gone || j->route.in_fd < 0)
		return 0;
	room = blockcut_blind_room(&b->cut);
	if (room <= blocks_unread(b))
		return 0;
	if (blocks_unread(b) > 0) {
		/* What was read goes first, unseen too. */
		if (blocks_put(b, b->stage.data + b->at, blocks_unread(b)) ==
		    -1)
			return -1;
		blockcut_blind(&b->cut, blocks_unread(b));
		room -= blocks_unread(b);
		b->at = b->stage.len;
		if (j->route.in_gone)
			return 0; /* the rest of its block is read and dropped
			           */
	}
	if (room > SPLICE_CHUNK)
		room = SPLICE_CHUNK;
	if (spool_len(&j->in) == 0 && !j->route.in_full) {
#ifdef HAVE_SPLICE
		do
			n = splice(b->fd, NULL, j->route.in_fd, NULL,
			           (size_t)room,
			           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			j->route.sent += (uint64_t)n;
		else if (n < 0 && errno == EAGAIN)
			full(b, j);
		else if (n < 0 && errno == EPIPE)
			jobin_gone(b->spill, j);
		else if (n < 0)
			b->no_splice = true; /* not a pipe, file or socket */
#else
		n = -1;
		b->no_splice = true;
#endif
	} else if (b->in_pipe) {
		n = spool_hold_in(b->spill, &j->in, b->fd, (size_t)room);
		if (n < 0 && spool_no_space(errno))
			b->spill->full =
			    true; /* held in memory: read instead */
		if (n < 0 && (errno == ENOSYS || spool_no_space(errno)))
			return 0;
		if (n < 0 && errno != EAGAIN) {
			msg_warn_errno("cannot keep a block of input for its "
			               "job in %s",
			               b->spill->dir);
			return -1;
		}
	} else {
		return 0;
	}
	if (n == 0)
		return input_ended(b) == -1 ? -1 : 1;
	if (n < 0)
		return b->no_splice ? 0 : 1;
	blockcut_blind(&b->cut, (uint64_t)n);
	b->bytes_read += (uint64_t)n;
	return 1;
}

/* Near a block's end, only what finds its end is read (and copied):
 * the next block's bytes are better left for splice. */
static size_t
read_size(const struct blocks *b)
{
	uint64_t room =
	    b->cutting && !b->no_splice ? blockcut_room(&b->cut) : 0;

	if (room == 0 || room >= READ_CHUNK)
		return READ_CHUNK;
	if (room + 1 <= blocks_unread(b) + 4096)
		return 4096;
	return (size_t)(room + 1 - blocks_unread(b));
}

int
blocks_read(struct blocks *b)
{
	ssize_t n;
	int moved = move_unseen(b);

	if (moved != 0)
		return moved < 0 ? -1 : 0;

	if (b->at > 0 && (b->at == b->stage.len || b->at > b->stage.len / 2)) {
		buf_consume(&b->stage, b->at);
		b->at = 0;
	}
	if (buf_reserve(&b->stage, READ_CHUNK) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	n = io_read(b->fd, b->stage.data + b->stage.len, read_size(b));
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0) {
		msg_warn_errno("error reading standard input");
		return -1;
	}
	if (n == 0)
		return input_ended(b);
	b->stage.len += (size_t)n;
	b->bytes_read += (uint64_t)n;
	if (b->header_lines > 0 && take_header(b) == -1)
		return -1;
	return blocks_cut(b);
}
