#include "config.h"

#include "joblog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

/* A Seq beyond this is junk, not a job: its bit alone would need a set of
 * 128 GiB. */
#define SEQ_MAX (UINT64_C(1) << 40)

/* seqset */

int
seqset_add(struct seqset *s, uint64_t seq)
{
	uint64_t want, bytes;
	size_t have, need;
	uint8_t *bits;

	if (seq == 0) {
		errno = EINVAL;
		return -1;
	}
	if (seq > SEQ_MAX) {
		errno = ENOMEM;
		return -1;
	}
	if (seq > s->n) {
		/* Doubling: seqs mostly arrive in order, one past the last. */
		want = s->n * 2 > seq ? s->n * 2 : seq;
		if (want < 1024)
			want = 1024;
		if (want > SEQ_MAX)
			want = SEQ_MAX;
		bytes = (want + 7) / 8;
		if (bytes > SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		have = (size_t)(s->n / 8);
		need = (size_t)bytes;
		bits = realloc(s->bits, need);
		if (bits == NULL)
			return -1;
		memset(bits + have, 0, need - have);
		s->bits = bits;
		s->n = (uint64_t)need * 8;
	}
	s->bits[(seq - 1) / 8] |= (uint8_t)(1u << ((seq - 1) % 8));
	return 0;
}

bool
seqset_has(const struct seqset *s, uint64_t seq)
{
	if (seq == 0 || seq > s->n)
		return false;
	return (s->bits[(seq - 1) / 8] & (1u << ((seq - 1) % 8))) != 0;
}

void
seqset_free(struct seqset *s)
{
	free(s->bits);
	s->bits = NULL;
	s->n = 0;
}

/* formatting */

int
joblog_header(struct buf *b)
{
	return buf_appends(b,
	                   "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
	                   "Exitval\tSignal\tCommand\n");
}

int
joblog_format(struct buf *b, const struct joblog_row *row)
{
	const char *s = row->command != NULL ? row->command : "";
	size_t len = b->len, n;

	/* Host ':' is GNU parallel's name for the local machine. */
	if (buf_printf(b, "%llu\t%s\t%.3f\t%10.3f\t%llu\t%llu\t%d\t%d\t",
	               (unsigned long long)row->seq,
	               row->host != NULL ? row->host : ":", row->start,
	               row->runtime, (unsigned long long)row->sent,
	               (unsigned long long)row->received, row->exitval,
	               row->signal) == -1)
		goto fail;
	/* A newline becomes NUL, as GNU parallel writes it: a row stays one
	 * line for --resume. */
	for (; *s != '\0'; s += n) {
		n = strcspn(s, "\n");
		if (buf_append(b, s, n) == -1)
			goto fail;
		if (s[n] == '\n') {
			if (buf_appendc(b, '\0') == -1)
				goto fail;
			n++;
		}
	}
	if (buf_appendc(b, '\n') == -1)
		goto fail;
	return 0;
fail:
	b->len = len; /* no half row */
	return -1;
}

/* reading */

static bool
field_is_zero(const char *f, size_t len)
{
	return len == 1 && f[0] == '0';
}

/* Point f[0..8] at the nine fields of a row.  The Command is the ninth
 * field and may hold TABs itself: only the first eight TABs separate
 * fields.  false if there are fewer than nine. */
static bool
split_fields(const char *line, size_t len, const char *f[9], size_t flen[9])
{
	const char *p = line, *end = line + len, *tab;
	size_t k;

	for (k = 0; k < 8; k++) {
		tab = memchr(p, '\t', (size_t)(end - p));
		if (tab == NULL)
			return false;
		f[k] = p;
		flen[k] = (size_t)(tab - p);
		p = tab + 1;
	}
	f[8] = p;
	flen[8] = (size_t)(end - p);
	return true;
}

/* A Seq: digits only, 1 to SEQ_MAX ("Seq" of the header is not one). */
static bool
parse_seq(const char *f, size_t len, uint64_t *seq)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (f[i] < '0' || f[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(f[i] - '0');
		if (v > SEQ_MAX)
			return false;
	}
	if (v == 0)
		return false;
	*seq = v;
	return true;
}

/* An optionally negative decimal integer within [min, max]. */
static bool
parse_int(const char *f, size_t len, long long min, long long max,
          long long *out)
{
	unsigned long long v = 0;
	bool neg = len > 0 && f[0] == '-';
	size_t i = neg ? 1 : 0;

	if (i == len)
		return false;
	for (; i < len; i++) {
		if (f[i] < '0' || f[i] > '9' ||
		    v > (unsigned long long)LLONG_MAX / 10)
			return false;
		v = v * 10 + (unsigned long long)(f[i] - '0');
	}
	if (v > (unsigned long long)LLONG_MAX)
		return false;
	*out = neg ? -(long long)v : (long long)v;
	return *out >= min && *out <= max;
}

/* A time as "%.3f" or "%10.3f" writes it: leading spaces, digits, an
 * optional fraction, below 1e12.  Read by hand, not strtod, so that the
 * locale's decimal point cannot change what a joblog means. */
static bool
parse_seconds(const char *f, size_t len, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0, digits = 0;
	bool neg;

	while (i < len && f[i] == ' ')
		i++;
	neg = i < len && f[i] == '-';
	if (neg)
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '9'; i++, digits++)
		v = v * 10 + (f[i] - '0');
	if (i < len && f[i] == '.')
		for (i++; i < len && f[i] >= '0' && f[i] <= '9'; i++, digits++)
			v += (f[i] - '0') * (scale /= 10);
	/* Up to 1e12 s (some 30,000 years): beyond, no clock wrote it,
	 * and a picture's axis could not label it. */
	if (i != len || digits == 0 || digits > 30 || v >= 1e12)
		return false;
	*out = neg ? -v : v;
	return true;
}

int
joblog_parse_row(const char *line, size_t len, uint64_t *seq, bool *succeeded)
{
	const char *f[9];
	size_t flen[9];

	if (!split_fields(line, len, f, flen) || !parse_seq(f[0], flen[0], seq))
		return 0;
	*succeeded =
	    field_is_zero(f[6], flen[6]) && field_is_zero(f[7], flen[7]);
	return 1;
}

int
joblog_read_row(const char *line, size_t len, struct joblog_row *row,
                size_t *command_len)
{
	const char *f[9];
	size_t flen[9];
	long long send, received, exitval, signal;

	if (!split_fields(line, len, f, flen) ||
	    !parse_seq(f[0], flen[0], &row->seq) ||
	    !parse_seconds(f[2], flen[2], &row->start) ||
	    !parse_seconds(f[3], flen[3], &row->runtime) ||
	    !parse_int(f[4], flen[4], 0, LLONG_MAX, &send) ||
	    !parse_int(f[5], flen[5], 0, LLONG_MAX, &received) ||
	    !parse_int(f[6], flen[6], INT_MIN, INT_MAX, &exitval) ||
	    !parse_int(f[7], flen[7], INT_MIN, INT_MAX, &signal))
		return 0;
	row->received = (uint64_t)received;
	row->exitval = (int)exitval;
	row->signal = (int)signal;
	row->command = f[8];
	*command_len = flen[8];
	return 1;
}

static bool
is_header(const char *line, size_t len)
{
	static const char h[] = "Seq\tHost\tStarttime\tJobRuntime\tSend\t"
	                        "Receive\tExitval\tSignal\tCommand";

	return len == sizeof h - 1 && memcmp(line, h, len) == 0;
}

static void
note_unread(struct joblog_unread *u, uint64_t lineno, const char *line,
            size_t len)
{
	if (u->lines++ > 0)
		return;
	u->first = lineno;
	u->text_len = len < sizeof u->text ? len : sizeof u->text;
	memcpy(u->text, line, u->text_len);
	u->len = len;
}

/* Each row of the joblog at path, in turn, to fn (which returns 0, or
 * -1/errno to stop); see joblog_load for what is read and what not. */
static int
each_row(const char *path, struct joblog_unread *unread,
         int (*fn)(void *ctx, uint64_t seq, bool succeeded, const char *line,
                   size_t len),
         void *ctx)
{
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;
	uint64_t seq, lineno = 0;
	bool succeeded;
	FILE *fp;
	int fd, err = 0, row;

	memset(unread, 0, sizeof *unread);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		/* No newline: the row was being written when we crashed
		 * (the header is written whole, so not in line 1). */
		if (line[n - 1] != '\n') {
			if (lineno == 1)
				note_unread(unread, lineno, line, (size_t)n);
			break;
		}
		len = (size_t)n - 1;
		/* The header in line 1, or again where files were joined. */
		if (is_header(line, len))
			continue;
		row = joblog_parse_row(line, len, &seq, &succeeded);
		if (row == 0 || lineno == 1)
			note_unread(unread, lineno, line, len);
		if (row == 1 && fn(ctx, seq, succeeded, line, len) == -1) {
			err = errno;
			break;
		}
	}
	if (err == 0 && n == -1 && ferror(fp))
		err = errno;
	free(line);
	fclose(fp);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

struct load {
	bool succeeded_only;
	struct seqset *done;
};

static int
load_row(void *ctx, uint64_t seq, bool succeeded, const char *line, size_t len)
{
	struct load *l = ctx;

	(void)line;
	(void)len;
	return succeeded || !l->succeeded_only ? seqset_add(l->done, seq) : 0;
}

int
joblog_load(const char *path, bool succeeded_only, struct seqset *done,
            struct joblog_unread *unread)
{
	struct load l = {succeeded_only, done};

	return each_row(path, unread, load_row, &l);
}

static int
command_row(void *ctx, uint64_t seq, bool succeeded, const char *line,
            size_t len)
{
	struct joblog_commands *c = ctx;
	struct joblog_row row;
	size_t cmd_len, i;
	char **grown, *text;

	if (succeeded || joblog_read_row(line, len, &row, &cmd_len) == 0)
		return 0;
	if (seq > c->n) {
		/* Seq - 1 is its place; those between stay empty. */
		if (seq > SIZE_MAX / sizeof *grown / 2 ||
		    (grown = realloc(c->v, (size_t)seq * sizeof *grown)) ==
		        NULL) {
			errno = ENOMEM;
			return -1;
		}
		for (i = c->n; i < seq; i++)
			grown[i] = NULL;
		c->v = grown;
		c->n = (size_t)seq;
	}
	if ((text = malloc(cmd_len + 1)) == NULL)
		return -1;
	/* A newline was written as a NUL byte: back to what it was. */
	for (i = 0; i < cmd_len; i++)
		text[i] = row.command[i] == '\0' ? '\n' : row.command[i];
	text[cmd_len] = '\0';
	free(c->v[seq - 1]);
	c->v[seq - 1] = text;
	return 0;
}

int
joblog_load_commands(const char *path, struct joblog_commands *c,
                     struct joblog_unread *unread)
{
	memset(c, 0, sizeof *c);
	return each_row(path, unread, command_row, c);
}

void
joblog_commands_free(struct joblog_commands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* writing */

int
joblog_open(const char *path, bool append)
{
	return open(path,
	            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	                (append ? 0 : O_TRUNC),
	            0666);
}

int
joblog_begin(int fd)
{
	struct buf h = BUF_INIT;
	struct stat st;
	int rc, err;

	if (fstat(fd, &st) == -1)
		return -1;
	if (st.st_size > 0)
		return 0;
	rc = joblog_header(&h) == -1 || io_write_all(fd, h.data, h.len) == -1
	         ? -1
	         : 0;
	err = errno;
	buf_free(&h);
	errno = err;
	return rc;
}

int
joblog_write(int fd, const struct joblog_row *row)
{
	struct buf b = BUF_INIT;
	int rc, err;

	/* The whole row in one write: a crash loses only rows of unfinished
	 * jobs, and a torn last row is seen as such by joblog_load. */
	rc = joblog_format(&b, row);
	if (rc == 0)
		rc = io_write_all(fd, b.data, b.len);
	err = errno;
	buf_free(&b);
	errno = err;
	return rc;
}
