#include "config.h"

#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

/* What an oversized record keeps for its error message. */
#define PREVIEW 64

struct oversized {
	uint64_t at; /* absolute offset of its preview */
	uint64_t full_len;
};

void
input_init(struct input *in, int delim, size_t max_record)
{
	memset(in, 0, sizeof *in);
	in->delim = delim;
	in->max_record = max_record < PREVIEW ? PREVIEW : max_record;
}

void
input_free(struct input *in)
{
	buf_free(&in->data);
	free(in->big);
	in->big = NULL;
}

static void
compact(struct input *in)
{
	/* Move only when it pays: the consumed prefix dominates. */
	if (in->start == 0 || in->start < in->data.len / 2)
		return;
	buf_consume(&in->data, in->start);
	in->base += in->start;
	in->tail_start -= in->start;
	in->start = 0;
}

static int
push_oversized(struct input *in, uint64_t at, uint64_t full_len)
{
	struct oversized *p;

	if (in->headbig > 0 && in->headbig == in->nbig)
		in->headbig = in->nbig = 0;
	if ((p = grow_array(in->big, &in->capbig, in->nbig, sizeof *p)) == NULL)
		return -1;
	in->big = p;
	in->big[in->nbig].at = at;
	in->big[in->nbig].full_len = full_len;
	in->nbig++;
	return 0;
}

/*
 * Account for bytes appended at data[from..len): count the records they
 * complete, and cut any record over max_record down to its preview, so
 * what is held stays bounded whatever arrives in one piece.
 */
static int
scan(struct input *in, size_t from)
{
	size_t end, rs, tail;
	char *q;

	while (from < in->data.len) {
		q = memchr(in->data.data + from, in->delim,
		           in->data.len - from);
		if (q == NULL)
			break;
		end = (size_t)(q - in->data.data);
		rs = in->tail_start;
		if (end - rs > in->max_record) {
			if (push_oversized(in, in->base + rs, end - rs) == -1)
				return -1;
			memmove(in->data.data + rs + PREVIEW, q,
			        in->data.len - end);
			in->data.len -= end - rs - PREVIEW;
			end = rs + PREVIEW;
		}
		in->complete++;
		in->tail_start = end + 1;
		from = end + 1;
	}
	tail = in->data.len - in->tail_start;
	if (tail > in->max_record) {
		if (push_oversized(in, in->base + in->tail_start, tail) == -1)
			return -1;
		in->data.len = in->tail_start + PREVIEW;
		in->skipping = true;
	}
	return 0;
}

int
input_feed(struct input *in, const char *p, size_t n)
{
	const char *q;
	size_t old;

	compact(in);
	if (in->skipping) {
		q = memchr(p, in->delim, n);
		if (q == NULL) {
			in->big[in->nbig - 1].full_len += n;
			return 0;
		}
		in->big[in->nbig - 1].full_len += (uint64_t)(q - p);
		in->skipping = false;
		if (buf_appendc(&in->data, (char)in->delim) == -1)
			return -1;
		in->complete++;
		in->tail_start = in->data.len;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	old = in->data.len;
	if (buf_append(&in->data, p, n) == -1)
		return -1;
	return scan(in, old);
}

void
input_finish(struct input *in)
{
	in->eof = true;
	in->skipping = false;
}

ssize_t
input_fill(struct input *in, int fd, size_t chunk)
{
	char tmp[INPUT_CHUNK];
	ssize_t r;

	if (chunk > sizeof tmp)
		chunk = sizeof tmp;
	r = io_read(fd, tmp, chunk);
	if (r < 0)
		return -1;
	if (r == 0) {
		input_finish(in);
		return 0;
	}
	if (input_feed(in, tmp, (size_t)r) == -1)
		return -1;
	return r;
}

bool
input_ready(const struct input *in)
{
	if (in->taken < in->complete)
		return true;
	return in->eof && in->start < in->data.len;
}

bool
input_done(const struct input *in)
{
	return in->eof && !input_ready(in);
}

bool
input_peek(const struct input *in, struct record *rec)
{
	struct input copy = *in;

	/* input_next changes only scalars of the copy; the data it points
	 * into is shared and left alone. */
	return input_next(&copy, rec);
}

void
input_stop(struct input *in)
{
	in->eof = true;
	in->skipping = false;
	in->start = in->tail_start = in->data.len;
	in->taken = in->complete;
	in->headbig = in->nbig;
}

bool
input_next(struct input *in, struct record *rec)
{
	const char *base, *q;
	size_t avail;
	uint64_t at;

	/* Checked first: before any input, data is NULL, and even NULL + 0
	 * is undefined. */
	if (!input_ready(in))
		return false;
	base = in->data.data + in->start;
	avail = in->data.len - in->start;
	q = in->taken < in->complete ? memchr(base, in->delim, avail) : NULL;
	rec->data = base;
	rec->len = q ? (size_t)(q - base) : avail;
	rec->full_len = rec->len;
	at = in->base + in->start;
	in->start += rec->len + (q ? 1 : 0);
	in->taken++;
	if (in->headbig < in->nbig && in->big[in->headbig].at == at) {
		rec->full_len = in->big[in->headbig].full_len;
		in->headbig++;
	}
	return true;
}

size_t
input_buffered(const struct input *in)
{
	return in->data.len - in->start;
}

uint64_t
input_records_seen(const struct input *in)
{
	uint64_t n = in->complete;

	if (in->eof && in->tail_start < in->data.len)
		n++;
	return n;
}
