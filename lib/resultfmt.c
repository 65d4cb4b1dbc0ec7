/* --results: directory names and table rows (see resultfmt.h). */
#include "config.h"

#include "resultfmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 64-bit FNV-1a: a name for a long value that stays apart from others. */
static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static int
escape_byte(struct buf *b, char c)
{
	switch (c) {
	case '\\':
		return buf_appends(b, "\\\\");
	case '\t':
		return buf_appends(b, "\\t");
	case '\0':
		return buf_appends(b, "\\0");
	case '/':
		return buf_appends(b, "\\_");
	default:
		return buf_appendc(b, c);
	}
}

int
resultfmt_dirname(struct buf *b, const char *v, size_t n)
{
	/* Room kept for "\#" and 16 hex digits when the name is cut. */
	const size_t keep = RESULTFMT_NAME_MAX - 18;
	size_t start = b->len, cut = 0;

	if (n == 0)
		return buf_appends(b, "\\e");
	if (n == 1 && v[0] == '.')
		return buf_appends(b, "\\.");
	if (n == 2 && v[0] == '.' && v[1] == '.')
		return buf_appends(b, "\\.\\.");
	for (size_t i = 0; i < n; i++) {
		if (escape_byte(b, v[i]) == -1)
			return -1;
		/* Where to cut: after a whole escape, within the room, and
		 * not inside a UTF-8 character. */
		if (b->len - start <= keep &&
		    (i + 1 == n || ((unsigned char)v[i + 1] & 0xc0) != 0x80))
			cut = b->len;
	}
	if (b->len - start <= RESULTFMT_NAME_MAX)
		return 0;
	b->len = cut;
	return buf_printf(b, "\\#%016llx", (unsigned long long)fnv1a(v, n));
}

bool
resultfmt_csv_needs_quotes(const char *p, size_t n, char sep)
{
	for (size_t i = 0; i < n; i++) {
		/* Perl's \s: space, \t \n \v \f \r. */
		switch (p[i]) {
		case '"':
		case ' ':
		case '\t':
		case '\n':
		case '\v':
		case '\f':
		case '\r':
		case '\0':
			return true;
		default:
			if (p[i] == sep)
				return true;
		}
	}
	return false;
}

int
resultfmt_csv_body(struct buf *b, const char *p, size_t n)
{
	const char *q;

	while (n > 0 && (q = memchr(p, '"', n)) != NULL) {
		size_t k = (size_t)(q - p) + 1;

		if (buf_append(b, p, k) == -1 || buf_appendc(b, '"') == -1)
			return -1;
		p += k;
		n -= k;
	}
	return buf_append(b, p, n);
}

int
resultfmt_csv_field(struct buf *b, const char *p, size_t n, char sep)
{
	if (!resultfmt_csv_needs_quotes(p, n, sep))
		return buf_append(b, p, n);
	return buf_appendc(b, '"') == -1 || resultfmt_csv_body(b, p, n) == -1 ||
	               buf_appendc(b, '"') == -1
	           ? -1
	           : 0;
}

/* Bytes in the UTF-8 sequence lead byte c starts (0: c cannot start one). */
static size_t
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* May the i-th byte (i >= 1) of a sequence led by lead be c?  The narrow
 * second-byte ranges keep out overlong forms, surrogates and code points
 * past U+10FFFF. */
static bool
utf8_next_ok(unsigned char lead, size_t i, unsigned char c)
{
	if (c < 0x80 || c > 0xbf)
		return false;
	if (i != 1)
		return true;
	switch (lead) {
	case 0xe0:
		return c >= 0xa0;
	case 0xed:
		return c <= 0x9f;
	case 0xf0:
		return c >= 0x90;
	case 0xf4:
		return c <= 0x8f;
	default:
		return true;
	}
}

static int
json_byte(struct buf *b, unsigned char c)
{
	if (c == '\\')
		return buf_appends(b, "\\\\");
	if (c == '"')
		return buf_appends(b, "\\\"");
	if (c < 0x20)
		return buf_printf(b, "\\u%04x", c);
	return buf_appendc(b, (char)c);
}

/* Bytes that are not valid UTF-8 in a JSON string: as \udcXX. */
static int
json_bad(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf_printf(b, "\\udc%02x", p[i]) == -1)
			return -1;
	return 0;
}

int
resultfmt_json_body(struct buf *b, struct resultfmt_json *st, const char *p,
                    size_t n, bool last)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	/* A sequence begun in the last piece. */
	while (st->npend > 0 && i < n) {
		size_t want = utf8_len(st->pend[0]);

		if (!utf8_next_ok(st->pend[0], st->npend, s[i])) {
			if (json_bad(b, st->pend, st->npend) == -1)
				return -1;
			st->npend = 0;
			break;
		}
		st->pend[st->npend++] = s[i++];
		if (st->npend == want) {
			if (buf_append(b, st->pend, want) == -1)
				return -1;
			st->npend = 0;
		}
	}
	while (i < n) {
		size_t want = utf8_len(s[i]), k;

		if (want == 1) {
			if (json_byte(b, s[i++]) == -1)
				return -1;
			continue;
		}
		if (want == 0) {
			if (json_bad(b, s + i++, 1) == -1)
				return -1;
			continue;
		}
		for (k = 1; k < want && i + k < n; k++)
			if (!utf8_next_ok(s[i], k, s[i + k]))
				break;
		if (k == want) {
			if (buf_append(b, s + i, want) == -1)
				return -1;
			i += want;
		} else if (i + k == n) {
			/* Cut by the end of this piece: wait for the next. */
			memcpy(st->pend, s + i, k);
			st->npend = k;
			i = n;
		} else {
			/* Only the lead is given up: what follows may start
			 * a sequence of its own. */
			if (json_bad(b, s + i++, 1) == -1)
				return -1;
		}
	}
	if (last && st->npend > 0) {
		if (json_bad(b, st->pend, st->npend) == -1)
			return -1;
		st->npend = 0;
	}
	return 0;
}

static int
json_string(struct buf *b, const char *p, size_t n)
{
	struct resultfmt_json st = {{0}, 0};

	return buf_appendc(b, '"') == -1 ||
	               resultfmt_json_body(b, &st, p, n, true) == -1 ||
	               buf_appendc(b, '"') == -1
	           ? -1
	           : 0;
}

static char
sep_of(enum resultfmt_kind k)
{
	return k == RESULTFMT_TSV ? '\t' : ',';
}

int
resultfmt_header(struct buf *b, enum resultfmt_kind k, const char *const *names,
                 const size_t *name_lens, size_t n)
{
	static const char *const fixed[] = {"Seq",        "Host",   "Starttime",
	                                    "JobRuntime", "Send",   "Receive",
	                                    "Exitval",    "Signal", "Command"};
	char sep = sep_of(k);

	if (k == RESULTFMT_JSON)
		return 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if ((i > 0 && buf_appendc(b, sep) == -1) ||
		    buf_appends(b, fixed[i]) == -1)
			return -1;
	for (size_t i = 0; i < n; i++) {
		if (buf_appendc(b, sep) == -1)
			return -1;
		if (names != NULL ? resultfmt_csv_field(b, names[i],
		                                        name_lens[i], sep) == -1
		                  : buf_printf(b, "V%zu", i + 1) == -1)
			return -1;
	}
	return buf_appendc(b, sep) == -1 || buf_appends(b, "Stdout") == -1 ||
	               buf_appendc(b, sep) == -1 ||
	               buf_appends(b, "Stderr\n") == -1
	           ? -1
	           : 0;
}

int
resultfmt_row_head(struct buf *b, enum resultfmt_kind k,
                   const struct resultfmt_row *r, bool quoted)
{
	char sep = sep_of(k);
	const char *host = r->log.host != NULL ? r->log.host : ":";

	if (k == RESULTFMT_JSON) {
		if (buf_printf(b, "{ \"Seq\": %llu, \"Host\": ",
		               (unsigned long long)r->log.seq) == -1 ||
		    json_string(b, host, strlen(host)) == -1 ||
		    buf_printf(
		        b,
		        ", \"Starttime\": %.3f, \"JobRuntime\": %.3f, "
		        "\"Send\": %llu, \"Receive\": %llu, \"Exitval\": %d, "
		        "\"Signal\": %d, \"Command\": ",
		        r->log.start, r->log.runtime,
		        (unsigned long long)r->log.sent,
		        (unsigned long long)r->log.received, r->log.exitval,
		        r->log.signal) == -1 ||
		    json_string(b, r->log.command, strlen(r->log.command)) ==
		        -1 ||
		    buf_appends(b, ", \"V\": [ ") == -1)
			return -1;
		for (size_t i = 0; i < r->nvals; i++)
			if ((i > 0 && buf_appendc(b, ',') == -1) ||
			    json_string(b, r->vals[i], r->val_lens[i]) == -1)
				return -1;
		return buf_appends(b, " ], \"Stdout\": \"");
	}
	if (buf_printf(b, "%llu%c", (unsigned long long)r->log.seq, sep) ==
	        -1 ||
	    resultfmt_csv_field(b, host, strlen(host), sep) == -1 ||
	    buf_printf(b, "%c%.3f%c%.3f%c%llu%c%llu%c%d%c%d%c", sep,
	               r->log.start, sep, r->log.runtime, sep,
	               (unsigned long long)r->log.sent, sep,
	               (unsigned long long)r->log.received, sep, r->log.exitval,
	               sep, r->log.signal, sep) == -1 ||
	    resultfmt_csv_field(b, r->log.command, strlen(r->log.command),
	                        sep) == -1)
		return -1;
	for (size_t i = 0; i < r->nvals; i++)
		if (buf_appendc(b, sep) == -1 ||
		    resultfmt_csv_field(b, r->vals[i], r->val_lens[i], sep) ==
		        -1)
			return -1;
	return buf_appendc(b, sep) == -1 ||
	               (quoted && buf_appendc(b, '"') == -1)
	           ? -1
	           : 0;
}

int
resultfmt_row_middle(struct buf *b, enum resultfmt_kind k, bool out_quoted,
                     bool err_quoted)
{
	if (k == RESULTFMT_JSON)
		return buf_appends(b, "\", \"Stderr\": \"");
	return (out_quoted && buf_appendc(b, '"') == -1) ||
	               buf_appendc(b, sep_of(k)) == -1 ||
	               (err_quoted && buf_appendc(b, '"') == -1)
	           ? -1
	           : 0;
}

int
resultfmt_row_tail(struct buf *b, enum resultfmt_kind k, bool quoted)
{
	if (k == RESULTFMT_JSON)
		return buf_appends(b, "\" }\n");
	return (quoted && buf_appendc(b, '"') == -1) ||
	               buf_appendc(b, '\n') == -1
	           ? -1
	           : 0;
}

/* Perl's numeric value of a string: its leading decimal number, or 0. */
static double
leading_number(const char *s, size_t n)
{
	char tmp[64];
	size_t i = 0, k = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		tmp[k++] = s[i++];
	while (i < n && k < sizeof tmp - 1 &&
	       (isdigit((unsigned char)s[i]) || s[i] == '.'))
		tmp[k++] = s[i++];
	tmp[k] = '\0';
	return k > 0 ? strtod(tmp, NULL) : 0;
}

static int
name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	double x = leading_number(a, an), y = leading_number(b, bn);
	int c;

	if (x != y)
		return x < y ? -1 : 1;
	c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

void
resultfmt_name_order(const char *const *names, const size_t *lens, size_t n,
                     size_t *order)
{
	/* A few columns: insertion sort, stable. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 &&
		       name_cmp(names[order[j - 1]], lens[order[j - 1]],
		                names[i], lens[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}
