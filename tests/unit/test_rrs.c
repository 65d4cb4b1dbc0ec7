/* rrs: record separators taken out of a block, streamed in random
 * pieces, give what GNU parallel's remove_rec_sep gives on the whole
 * block. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rrs.h"
#include "tap.h"

/* The reference, on the whole block: s/$recend$recstart//g, then
 * s/^$recstart//, then s/$recend$// (without Perl's $ before a final
 * newline). */
static void
whole(const char *re, const char *rs, const char *in, struct buf *out)
{
	char sep[64];
	size_t sl = strlen(re) + strlen(rs), n = strlen(in), at = 0;

	snprintf(sep, sizeof sep, "%s%s", re, rs);
	buf_reset(out);
	while (at < n) {
		if (sl > 0 && at + sl <= n && memcmp(in + at, sep, sl) == 0) {
			at += sl;
			continue;
		}
		(void)buf_appendc(out, in[at++]);
	}
	if (strlen(rs) > 0 && out->len >= strlen(rs) &&
	    memcmp(out->data, rs, strlen(rs)) == 0)
		buf_consume(out, strlen(rs));
	if (strlen(re) > 0 && out->len >= strlen(re) &&
	    memcmp(out->data + out->len - strlen(re), re, strlen(re)) == 0)
		out->len -= strlen(re);
}

static void
streamed(const char *re, const char *rs, const char *in, unsigned seed,
         struct buf *out)
{
	struct rrs r;
	size_t n = strlen(in), at = 0;

	rrs_init(&r, re, strlen(re), rs, strlen(rs));
	srand(seed);
	buf_reset(out);
	while (at < n) {
		size_t k = 1 + (size_t)rand() % 5;

		if (k > n - at)
			k = n - at;
		(void)rrs_filter(&r, in + at, k, out);
		at += k;
	}
	(void)rrs_end(&r, out);
	rrs_free(&r);
}

static void
same(const char *re, const char *rs, const char *in, const char *what)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	unsigned seed;
	int bad = 0;

	whole(re, rs, in, &want);
	for (seed = 1; seed <= 20 && !bad; seed++) {
		streamed(re, rs, in, seed, &got);
		if (got.len != want.len ||
		    (got.len > 0 && memcmp(got.data, want.data, got.len) != 0))
			bad = (int)seed;
	}
	ok(!bad, "%s", what);
	if (bad)
		printf("#   seed %d: got '%.*s' want '%.*s'\n", bad,
		       (int)got.len, got.data, (int)want.len, want.data);
	buf_free(&want);
	buf_free(&got);
}

int
main(void)
{
	char in[400], what[160];
	int t;

	/* What GNU parallel 20221122 gives. */
	same("\n", "", "1\n2\n3\n", "default: every newline goes");
	same("", ">", ">a\nx\n", "--recstart alone: the first one goes");
	same(";", "", "a;b;", "--recend ';': a;b; is ab");
	same(";", "x", "a;xb;", "end and start: both go between records");
	same("\n", ">", ">a\n>b\n", "FASTA: a then b");
	same("ab", "", "aab", "a record end overlapping its own start");
	same("\n", "", "", "an empty block");
	srand(99);
	for (t = 0; t < 300; t++) {
		static const char *seps[][2] = {{"\n", ""},  {"ab", ""},
		                                {"", "ba"},  {"a", "b"},
		                                {"aa", "a"}, {"\n", "a"}};
		size_t n = (size_t)rand() % (sizeof in - 1);

		for (size_t x = 0; x < n; x++)
			in[x] = "ab\n"[rand() % 3];
		in[n] = '\0';
		snprintf(what, sizeof what, "random %d: end '%s' start '%s'", t,
		         seps[t % 6][0][0] == '\n' ? "\\n" : seps[t % 6][0],
		         seps[t % 6][1]);
		same(seps[t % 6][0], seps[t % 6][1], in, what);
	}
	return tap_done();
}
