#include "config.h"

#include "wire.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

static int
put_u32(struct buf *b, uint32_t v)
{
	return buf_append(b, &v, sizeof v);
}

static uint32_t
get_u32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

int
wire_put_request(struct buf *b, const char *rec, size_t len)
{
	if (len > WIRE_MAX_PAYLOAD) {
		errno = E2BIG;
		return -1;
	}
	if (put_u32(b, (uint32_t)len) == -1)
		return -1;
	return buf_append(b, rec, len);
}

int
wire_put_reply(struct buf *b, int status, const char *out, size_t out_len,
               const char *err, size_t err_len)
{
	if (out_len > WIRE_MAX_PAYLOAD || err_len > WIRE_MAX_PAYLOAD) {
		errno = E2BIG;
		return -1;
	}
	if (put_u32(b, (uint32_t)status) == -1 ||
	    put_u32(b, (uint32_t)out_len) == -1 ||
	    put_u32(b, (uint32_t)err_len) == -1 ||
	    buf_append(b, out, out_len) == -1 ||
	    buf_append(b, err, err_len) == -1)
		return -1;
	return 0;
}

int
wire_take_reply(const struct buf *b, struct wire_reply *r)
{
	uint32_t ol, el;

	if (b->len < 12)
		return 0;
	ol = get_u32(b->data + 4);
	el = get_u32(b->data + 8);
	if (ol > WIRE_MAX_PAYLOAD || el > WIRE_MAX_PAYLOAD)
		return -1;
	if (b->len < 12 + (size_t)ol + el)
		return 0;
	r->status = (int)get_u32(b->data);
	r->out = b->data + 12;
	r->out_len = ol;
	r->err = r->out + ol;
	r->err_len = el;
	r->frame_len = 12 + (size_t)ol + el;
	return 1;
}

int
wire_take_request(const struct buf *b, const char **rec, size_t *len,
                  size_t *frame_len)
{
	uint32_t l;

	if (b->len < 4)
		return 0;
	l = get_u32(b->data);
	if (l > WIRE_MAX_PAYLOAD)
		return -1;
	if (b->len < 4 + (size_t)l)
		return 0;
	*rec = b->data + 4;
	*len = l;
	*frame_len = 4 + (size_t)l;
	return 1;
}

/* Answers go out together, but never wait long behind fast tasks. */
#define SERVE_FLUSH_BYTES   65536
#define SERVE_FLUSH_SECONDS 0.002
/* The clock is looked at once per this many tasks. */
#define SERVE_CLOCK_EVERY 256

struct wire_server {
	struct buf reply; /* answers held to share one write */
	double first;     /* when the first of them was put there */
	bool failed;      /* writing them failed: the worker ends */
};

static int
server_send(struct wire_server *s)
{
	if (s->failed)
		return -1;
	if (s->reply.len > 0 &&
	    io_write_all(STDOUT_FILENO, s->reply.data, s->reply.len) == -1) {
		s->failed = true;
		return -1;
	}
	buf_reset(&s->reply);
	return 0;
}

void
wire_before_wait(struct wire_server *server, double seconds)
{
	/* Short waits pass while answers are held, as fast tasks do: a write
	 * each would cost more than some of them. */
	if (server->reply.len > 0 &&
	    io_now() + seconds - server->first >= SERVE_FLUSH_SECONDS)
		(void)server_send(server);
}

int
wire_serve(wire_handler handle, void *ctx)
{
	struct wire_server s = {BUF_INIT, 0, false};
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	const char *rec;
	size_t len, frame, used = 0, unclocked = 0;
	int rc = 0, st, got;
	bool overdue;
	ssize_t r;

	for (;;) {
		struct buf view = {in.data + used, in.len - used, 0};

		got = wire_take_request(&view, &rec, &len, &frame);
		if (got == -1) {
			rc = 2;
			break;
		}
		if (got == 0) {
			/* Nothing left to do: send what is ready, then wait. */
			if (server_send(&s) == -1) {
				rc = 2;
				break;
			}
			buf_consume(&in, used);
			used = 0;
			if (buf_reserve(&in, 65536) == -1) {
				rc = 2;
				break;
			}
			r = io_read(STDIN_FILENO, in.data + in.len, 65536);
			if (r <= 0) {
				rc = r == 0 ? 0 : 2;
				break;
			}
			in.len += (size_t)r;
			continue;
		}
		buf_reset(&out);
		buf_reset(&err);
		st = handle(rec, len, &out, &err, &s, ctx);
		if (s.failed) {
			rc = 2;
			break;
		}
		if (s.reply.len == 0)
			s.first = io_now();
		if (wire_put_reply(&s.reply, st, out.data, out.len, err.data,
		                   err.len) == -1) {
			rc = 2;
			break;
		}
		used += frame;
		overdue = false;
		if (++unclocked >= SERVE_CLOCK_EVERY) {
			unclocked = 0;
			overdue = io_now() - s.first >= SERVE_FLUSH_SECONDS;
		}
		if ((s.reply.len >= SERVE_FLUSH_BYTES || overdue) &&
		    server_send(&s) == -1) {
			rc = 2;
			break;
		}
	}
	buf_free(&in);
	buf_free(&out);
	buf_free(&err);
	buf_free(&s.reply);
	return rc;
}
