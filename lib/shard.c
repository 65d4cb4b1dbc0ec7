/* --shard and --bin: lines to jobs by a column's value (see shard.h). */
#include "config.h"

#include "shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

/* Bytes asked of one read of stdin. */
#define READ_CHUNK (1u << 16)
/* The longest line (and --header) held while looking for its end. */
#define LINE_MAX_HELD (16u << 20)

int
shard_init(struct shard *s, const struct pmapf_opts *o,
           struct spool_file *spill)
{
	memset(s, 0, sizeof *s);
	s->spill = spill;
	s->by_number = o->shard_bin;
	s->fd = STDIN_FILENO;
	s->delim = (char)o->delim;
	s->n = s->want = o->jobs;
	s->header_lines = o->pipe_header;
	if (o->shard_name != NULL && s->header_lines == 0)
		s->header_lines = 1; /* the line naming the columns */
	s->bytes_total = io_file_left(STDIN_FILENO);
	/* Without --colsep, a comma: GNU parallel's sharder splits on
	 * one (its --group-by on a tab). */
	if (colkey_init(&s->key, o->shard_bin ? "--bin" : "--shard",
	                o->shard_col, o->shard_name,
	                o->colsep != NULL ? o->colsep : ",") == -1)
		return -1;
	s->v = calloc(s->n, sizeof *s->v);
	s->out = calloc(s->n, sizeof *s->out);
	s->chunk = malloc(IO_CHUNK);
	if (s->v == NULL || s->out == NULL || s->chunk == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	return 0;
}

void
shard_free(struct shard *s)
{
	size_t i;

	colkey_free(&s->key);
	for (i = 0; s->out != NULL && i < s->n; i++)
		buf_free(&s->out[i]);
	free(s->out);
	free(s->v);
	free(s->chunk);
	s->out = NULL;
	s->v = NULL;
	s->chunk = NULL;
	buf_free(&s->header);
	buf_free(&s->stage);
}

struct job *
shard_next_job(struct shard *s, struct job_cache *cache, uint64_t seq,
               bool *failed)
{
	struct job *j;

	if (s->made == s->n)
		return NULL;
	if ((j = job_new_block(cache, seq)) == NULL) {
		msg_warn("out of memory");
		*failed = true;
		return NULL;
	}
	s->made++;
	return j;
}

bool
shard_all_made(const struct shard *s)
{
	return s->made == s->n;
}

bool
shard_fewer(struct shard *s, const struct job *j)
{
	size_t k = (size_t)j->seq - 1;

	if (s->bytes_read > 0 || k == 0 || k + 1 != s->made)
		return false;
	/* Jobs k.. never started, and none after j was made. */
	s->want -= s->n - k;
	s->n = s->made = k;
	return true;
}

int
shard_fd(const struct shard *s)
{
	size_t i;

	if (s->fd < 0 || s->want > 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->v[i] != NULL && spool_len(&s->v[i]->in) >= READ_CHUNK)
			return -1;
	return s->fd;
}

/* The job (from 0) that takes lines whose value is v. */
static size_t
slot_of(const struct shard *s, const char *v, size_t len)
{
	uint64_t h = 14695981039346656037u;
	long long x = 0;
	size_t i = 0;
	bool neg = false;

	if (!s->by_number) {
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char)v[i]) * 1099511628211u;
		return (size_t)(h % s->n);
	}
	/* As Perl numbers it: leading blanks, a sign, digits; else 0.  The
	 * slot is the value modulo -j, 0 being the last. */
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i < len && (v[i] == '-' || v[i] == '+'))
		neg = v[i++] == '-';
	for (; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		x = (x * 10 + (v[i] - '0')) % (long long)s->n;
	if (neg)
		x = ((long long)s->n - x) % (long long)s->n;
	return x == 0 ? s->n - 1 : (size_t)x - 1;
}

/* Give every job what was sorted out for it. */
static int
flush(struct shard *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		if (s->out[k].len == 0)
			continue;
		if (s->v[k] != NULL &&
		    jobin_put(s->spill, s->v[k], s->out[k].data,
		              s->out[k].len) == -1)
			return -1;
		buf_reset(&s->out[k]);
	}
	return 0;
}

/* One line (len bytes, its end included): to the header, or to its
 * value's job. */
static int
line(struct shard *s, const char *p, size_t len)
{
	size_t body = len > 0 && p[len - 1] == s->delim ? len - 1 : len, k;
	const char *v;
	size_t vlen;

	if (s->header_lines > 0) {
		if (s->header.len == 0 && colkey_header(&s->key, p, body) == -1)
			return -1;
		s->header_lines--;
		if (buf_append(&s->header, p, len) == -1)
			goto nomem;
		if (s->header_lines > 0)
			return 0;
		for (k = 0; k < s->n; k++)
			if (buf_append(&s->out[k], s->header.data,
			               s->header.len) == -1)
				goto nomem;
		return 0;
	}
	colkey_of(&s->key, p, body, &v, &vlen);
	k = slot_of(s, v, vlen);
	if (buf_append(&s->out[k], p, len) == -1)
		goto nomem;
	return 0;
nomem:
	if (errno == ENOMEM)
		msg_warn("out of memory");
	return -1;
}

static void
end_all(struct shard *s)
{
	size_t k;

	s->fd = -1; /* stdin itself stays open: it is not ours */
	for (k = 0; k < s->n; k++) {
		struct job *j = s->v[k];

		if (j != NULL)
			jobin_whole(j);
	}
}

int
shard_read(struct shard *s)
{
	const char *p, *nl;
	size_t at = 0;
	ssize_t n;

	if (buf_reserve(&s->stage, READ_CHUNK) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	n = io_read(s->fd, s->stage.data + s->stage.len, READ_CHUNK);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0) {
		msg_warn_errno("error reading standard input");
		return -1;
	}
	s->stage.len += (size_t)n;
	s->bytes_read += (uint64_t)n;
	p = s->stage.data;
	while ((nl = memchr(p + at, s->delim, s->stage.len - at)) != NULL) {
		if (line(s, p + at, (size_t)(nl - p - at) + 1) == -1)
			return -1;
		at = (size_t)(nl - p) + 1;
	}
	/* At the end, the last line needs no end. */
	if (n == 0 && at < s->stage.len) {
		if (line(s, p + at, s->stage.len - at) == -1)
			return -1;
		at = s->stage.len;
	}
	buf_consume(&s->stage, at);
	if (s->stage.len > LINE_MAX_HELD) {
		msg_warn("--shard/--bin: a line longer than %u MiB",
		         LINE_MAX_HELD >> 20);
		return -1;
	}
	if (flush(s) == -1)
		return -1;
	if (n == 0)
		end_all(s);
	return 0;
}

int
shard_send(struct shard *s, struct job *j)
{
	size_t k = (size_t)j->seq - 1;

	if (k < s->n && s->v[k] != j) {
		/* It started: one fewer to wait for before reading. */
		s->v[k] = j;
		if (s->want > 0)
			s->want--;
		/* (Input ended before it started: jobin_send ends its.) */
		if (s->fd < 0)
			j->route.in_whole = true;
	}
	return jobin_send(s->spill, j, s->chunk, IO_CHUNK);
}

void
shard_forget(struct shard *s, struct job *j)
{
	size_t k = (size_t)j->seq - 1;

	job_close_in(j);
	spool_reset(s->spill, &j->in, 0);
	if (k >= s->n)
		return; /* dropped before it started (shard_fewer) */
	if (s->v[k] == j)
		s->v[k] = NULL; /* its lines are dropped from now on */
	else if (s->want > 0)
		s->want--; /* it never started */
}

void
shard_stop(struct shard *s)
{
	if (s->fd >= 0)
		end_all(s);
}

bool
shard_ended(const struct shard *s)
{
	return s->fd < 0;
}
