/*
 * The sink's writing side: the queue to stdout (gathered writes, EAGAIN
 * waits for POLLOUT, a broken stdout drops what is queued), and moving a
 * spool's bytes towards it, straight where allowed, else through the
 * queue, tagged with --tag.
 */
#include "config.h"

#include "sink_int.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"

size_t
sink_pending(const struct sink *k)
{
	return k->q.len - k->q_off;
}

void
sink_stdout_full(struct sink *k)
{
	if (k->out_ready)
		k->full_since = io_now();
	k->out_ready = false;
	k->out_wake = 0;
}

void
sink_before_out(struct sink *k)
{
	if (k->before_out != NULL)
		k->before_out(k->hook_arg);
}

int
sink_fail(struct sink *k, enum sink_error e)
{
	if (k->err == SINK_OK)
		k->err = e;
	return -1;
}

int
sink_write(struct sink *k)
{
	ssize_t w;
	size_t n;

	if (k->broken) {
		k->q_off = k->q.len = 0;
		return 0;
	}
	while ((n = sink_pending(k)) > 0) {
		sink_before_out(k);
		switch (k->kind) {
		case SINK_SOCKET:
			w = send(k->fd, k->q.data + k->q_off, n,
			         MSG_DONTWAIT | MSG_NOSIGNAL);
			break;
		case SINK_PIPE_CHUNKS:
			if (!k->writable)
				return 0;
			k->writable = false;
			w = write(k->fd, k->q.data + k->q_off,
			          n > PIPE_BUF ? PIPE_BUF : n);
			break;
		default:
			w = write(k->fd, k->q.data + k->q_off, n);
			break;
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				sink_stdout_full(k);
				break;
			}
			k->broken = true;
			return sink_fail(k, SINK_STDOUT);
		}
		if (w == 0) {
			errno = EIO;
			k->broken = true;
			return sink_fail(k, SINK_STDOUT);
		}
		k->q_off += (size_t)w;
		k->last_write = io_now();
		if (k->kind == SINK_PIPE_CHUNKS)
			break;
	}
	if (k->q_off == k->q.len) {
		k->q_off = 0;
		buf_reset(&k->q);
		if (k->q.cap > 4 * Q_HIGH)
			buf_free(&k->q);
	} else if (k->q_off > Q_HIGH) {
		buf_consume(&k->q, k->q_off);
		k->q_off = 0;
	}
	return 0;
}

int
sink_write_for_room(struct sink *k)
{
	if (sink_write(k) == -1)
		return -1;
	return (sink_pending(k) >= Q_HIGH || !k->out_ready) && !k->broken ? 0
	                                                                  : 1;
}

/* Append p to b with the tag and a TAB before every line; *line_start
 * carries across calls. */
static int
put_tagged(struct buf *b, const struct buf *tag, bool *line_start,
           const char *p, size_t n)
{
	const char *nl;
	size_t len;

	while (n > 0) {
		if (*line_start && (buf_append(b, tag->data, tag->len) == -1 ||
		                    buf_appendc(b, '\t') == -1))
			return -1;
		nl = memchr(p, '\n', n);
		len = nl ? (size_t)(nl - p) + 1 : n;
		if (buf_append(b, p, len) == -1)
			return -1;
		*line_start = nl != NULL;
		p += len;
		n -= len;
	}
	return 0;
}

int
sink_append(struct sink *k, struct buf *b, const struct buf *tag,
            bool *line_start, const char *p, size_t n)
{
	if (k->tag)
		return put_tagged(b, tag, line_start, p, n);
	return buf_append(b, p, n);
}

long
sink_move_out(struct sink *k, struct spool *sp, const struct buf *tag,
              bool *line_start, uint64_t max)
{
	long got;

	if (k->direct && !k->broken && sink_pending(k) == 0) {
		/* Untagged: no copy through the queue. */
		got = sink_send_spool(k, sp, max);
		if (got != 0 || k->direct)
			return got;
		/* Direct moves refused here: the queue from now on. */
	}
	if (sink_pending(k) >= Q_HIGH)
		return 0;
	got = spool_take(k->spill, sp, k->chunk,
	                 max < IO_CHUNK ? (size_t)max : IO_CHUNK);
	if (got <= 0) {
		if (got == 0)
			errno = EIO;
		return sink_fail(k, SINK_SPILL);
	}
	/* Stdout gone: what is taken is dropped. */
	if (!k->broken &&
	    sink_append(k, &k->q, tag, line_start, k->chunk, (size_t)got) == -1)
		return sink_fail(k, SINK_NOMEM);
	return got;
}
