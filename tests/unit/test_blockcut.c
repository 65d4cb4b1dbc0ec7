/* blockcut: blocks cut from a stream shown in random pieces are the
 * blocks a plain cut of the whole input makes. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockcut.h"
#include "recre.h"
#include "tap.h"

struct cut_opts {
	uint64_t size, records;
	unsigned lines;
	const char *re, *rs;
	bool group;       /* --group-by: by each line's first byte */
	struct recre *rx; /* --regexp: record ends by regexes */
};

/* --group-by's key for the tests: a line's first byte (-1: empty). */
static int last_key = -2;

static bool
same_first(void *ctx, const char *line, size_t len)
{
	int key = len > 0 ? (unsigned char)line[0] : -1;
	bool same = key == last_key;

	(void)ctx;
	last_key = key;
	return same;
}

/* Block lengths, written as "3,5,1". */
static void
lens_add(char *out, size_t cap, size_t len)
{
	size_t at = strlen(out);

	snprintf(out + at, cap - at, "%s%zu", at > 0 ? "," : "", len);
}

/* The reference: find every record end in the whole input, then group
 * the records into blocks. */
static void
cut_whole(const struct cut_opts *k, const char *d, size_t n, char *out,
          size_t cap)
{
	size_t rl = strlen(k->re), sl = strlen(k->rs), p, start = 0, blk = 0;
	size_t *rec_end = malloc((n + 2) * sizeof *rec_end), nrec = 0, i;
	unsigned ends = 0;
	uint64_t in_blk = 0;

	out[0] = '\0';
	/* --group-by: a record ends where a line's key is not the last
	 * line's. */
	for (size_t ls = 0, le; k->group && ls < n; ls = le) {
		const char *nl = memchr(d + ls, '\n', n - ls);
		int key = d[ls] != '\n' ? (unsigned char)d[ls] : -1;
		static int prev;

		le = nl != NULL ? (size_t)(nl - d) + 1 : n;
		if (ls > 0 && key != prev)
			rec_end[nrec++] = ls;
		prev = key;
	}
	for (p = rl > 0 ? rl : 1; !k->group && p < n;) {
		if ((rl == 0 || memcmp(d + p - rl, k->re, rl) == 0) &&
		    (sl == 0 ||
		     (p + sl <= n && memcmp(d + p, k->rs, sl) == 0))) {
			if (++ends == (k->lines ? k->lines : 1)) {
				rec_end[nrec++] = p;
				ends = 0;
			}
			p += rl > 0 ? rl : 1;
		} else {
			p++;
		}
	}
	if (n > 0 && (nrec == 0 || rec_end[nrec - 1] != n))
		rec_end[nrec++] = n;
	for (i = 0; i < nrec; i++) {
		size_t rlen = rec_end[i] - start;
		/* A record's end fits with the next one's recstart (GNU
		 * parallel cuts only at a match it read), the last alone. */
		size_t reach = rec_end[i] + (rec_end[i] < n ? sl : 0) - blk;

		if (k->records > 0) {
			if (++in_blk == k->records || i + 1 == nrec) {
				lens_add(out, cap, rec_end[i] - blk);
				blk = rec_end[i];
				in_blk = 0;
			}
		} else if (reach > k->size && start > blk) {
			lens_add(out, cap, start - blk);
			blk = start;
			i--;
			continue;
		} else if (reach > k->size || i + 1 == nrec) {
			(void)rlen;
			lens_add(out, cap, rec_end[i] - blk);
			blk = rec_end[i];
		}
		start = rec_end[i];
	}
	free(rec_end);
}

/* pmapf's way: shown in pieces of random sizes, as reads bring them. */
static int
cut_streamed(const struct cut_opts *k, const char *d, size_t n, unsigned seed,
             char *out, size_t cap, const char **oversized_said)
{
	struct blockcut c;
	size_t held = 0, shown = 0, blk = 0;
	int guard = 0;

	blockcut_init(&c, k->size, k->records, k->lines, k->re, strlen(k->re),
	              k->rs, strlen(k->rs));
	if (k->group)
		blockcut_group(&c, '\n', same_first, NULL);
	if (k->rx != NULL) {
		blockcut_init(&c, k->size, k->records, k->lines, "", 0, "", 0);
		blockcut_find(&c, recre_find, k->rx);
	}
	last_key = -2;
	out[0] = '\0';
	srand(seed);
	for (;;) {
		bool eof, ended;
		size_t give;

		if (shown < n)
			shown += seed == 0 ? n
			                   : 1 + (size_t)rand() %
			                             (seed % 3 == 0 ? 3 : 40);
		if (shown > n)
			shown = n;
		eof = shown == n;
		give = blockcut_next(&c, d + held, shown - held, eof, &ended);
		if (give > shown - held)
			return -1;
		held += give;
		blk += give;
		if (ended) {
			if (blockcut_oversized(&c) && oversized_said != NULL)
				*oversized_said = "yes";
			lens_add(out, cap, blk);
			blk = 0;
		}
		if (eof && held == shown && !ended && blk == 0)
			return 0;
		if (++guard > 1000000)
			return -1;
	}
}

static void
same_cut(const struct cut_opts *k, const char *d, const char *what)
{
	char want[4096], got[4096];
	unsigned seed;
	int bad = 0;

	cut_whole(k, d, strlen(d), want, sizeof want);
	for (seed = 1; seed <= 40 && !bad; seed++)
		if (cut_streamed(k, d, strlen(d), seed, got, sizeof got,
		                 NULL) == -1 ||
		    strcmp(got, want) != 0)
			bad = (int)seed;
	ok(!bad, "%s: %s", what, want);
	if (bad)
		printf("#   seed %d got %s\n", bad, got);
}

static void
is_cut(const struct cut_opts *k, const char *d, const char *want,
       const char *what)
{
	char got[4096];

	ok(cut_streamed(k, d, strlen(d), 7, got, sizeof got, NULL) == 0 &&
	       strcmp(got, want) == 0,
	   "%s", what);
	if (strcmp(got, want) != 0)
		printf("#   got %s want %s\n", got, want);
}

/* As blocks.c does with splice: while the block has room beyond the
 * window, bytes go to it unseen (first those shown and not given), if
 * `blind`.  Every block must still end at a record end, and be within
 * the size unless no record end lies in its last `window` bytes before
 * the size; and the blocks must be the same, blind or not (lens). */
static void
blind_cut(uint64_t size, uint64_t window, const char *d, size_t n,
          unsigned seed, bool blind, char *lens, size_t cap)
{
	struct blockcut c;
	size_t held = 0, shown = 0, blk = 0, blocks = 0, bad_at = 0;
	uint64_t unseen = 0;
	const char *bad = NULL;

	blockcut_init(&c, size, 0, 1, "\n", 1, "", 0);
	blockcut_window(&c, window);
	lens[0] = '\0';
	srand(seed);
	while (bad == NULL) {
		uint64_t room = blockcut_blind_room(&c);
		bool ended;
		size_t give;

		if (blind && room > 0 && rand() % 2 && room >= shown - held) {
			size_t k = (size_t)room;

			if (k > n - held)
				k = n - held;
			k = shown - held +
			    (size_t)rand() % (k - (shown - held) + 1);
			blockcut_blind(&c, k);
			held += k;
			blk += k;
			unseen += k;
			if (shown < held)
				shown = held;
		}
		if (shown < n)
			shown += 1 + (size_t)rand() % 40;
		if (shown > n)
			shown = n;
		give = blockcut_next(&c, d + held, shown - held, shown == n,
		                     &ended);
		held += give;
		blk += give;
		if (ended) {
			size_t start = held - blk, q;

			blocks++;
			if (held < n && d[held - 1] != '\n')
				bad = "a block ends inside a record";
			if (blk > size && !blockcut_oversized(&c))
				for (q = start + size - window;
				     q < start + size; q++)
					if (d[q] == '\n')
						bad =
						    "a block past its size had "
						    "an end to stop at";
			if (bad != NULL)
				bad_at = blocks;
			lens_add(lens, cap, blk);
			blk = 0;
		}
		if (shown == n && held == n && !ended && blk == 0)
			break;
	}
	ok(bad == NULL && (unseen > 0) == blind,
	   "%s bytes (%llu of %zu), size %llu window %llu: %s",
	   blind ? "unseen" : "no unseen", (unsigned long long)unseen, n,
	   (unsigned long long)size, (unsigned long long)window,
	   bad ? bad : "blocks end well");
	if (bad != NULL)
		printf("#   block %zu\n", bad_at);
}

int
main(void)
{
	struct cut_opts k = {1, 0, 1, "\n", "", false, NULL};
	const char *said = NULL;
	char seq[4096] = "", got[256], rnd[3000];
	int i, t;

	/* What GNU parallel 20221122 gives for the same input. */
	is_cut(&k, "a\nbb\nccc\n", "2,3,4", "records longer than the block");
	k.size = 5;
	is_cut(&k, "aaaaaaaaaaaaaa\nb\n", "15,2", "one record over the size");
	for (i = 1; i <= 10; i++)
		snprintf(seq + strlen(seq), sizeof seq - strlen(seq), "%d\n",
		         i);
	k.size = 1000;
	k.records = 3;
	is_cut(&k, seq, "6,6,6,3", "-N3: three records a block");
	k.records = 0;
	k.size = 5;
	k.lines = 2;
	is_cut(&k, seq, "4,4,4,4,5", "-L2: two lines a record");
	k.lines = 1;
	k.re = "";
	k.rs = ">";
	k.size = 3;
	is_cut(&k, ">a\nx\n>b\ny\n>c\n", "5,5,3", "--recstart alone");
	k.re = ";";
	k.rs = "";
	k.size = 2;
	is_cut(&k, "a;b;c;", "2,2,2", "--recend alone");
	k.re = "\n";
	k.size = 100;
	is_cut(&k, "a\nb", "3", "a last record without its end");
	is_cut(&k, "", "", "no input, no block");
	/* An unterminated last record that exactly fills the block. */
	k.re = "a\n";
	k.size = 12;
	is_cut(&k, "ababa\na\nxab\n", "12", "the last record fills the block");
	k.re = "\n";
	k.lines = 2;
	k.size = 7;
	is_cut(&k, "a\nb\nc\nd", "7", "-L2: the last record fills it");
	k.lines = 1;
	k.size = 2;
	ok(cut_streamed(&k, "abcdef\nx\n", 9, 3, got, sizeof got, &said) == 0 &&
	       said != NULL && strcmp(got, "7,2") == 0,
	   "an oversized record is said");

	/* Random inputs over a small alphabet, so separators of several
	 * bytes meet, overlap and are cut between pieces. */
	srand(12345);
	for (t = 0; t < 300; t++) {
		static const char *seps[][2] = {{"\n", ""}, {"ab", ""},
		                                {"", "ba"}, {"a", "b"},
		                                {"aa", ""}, {"\n", "a"}};
		size_t n = (size_t)rand() % sizeof rnd;
		const char *alpha = t % 2 ? "ab\n" : "abcxyz\n";
		struct cut_opts r = {1 + (uint64_t)rand() % 60,
		                     0,
		                     1 + (unsigned)rand() % 3,
		                     seps[t % 6][0],
		                     seps[t % 6][1],
		                     false,
		                     NULL};
		char what[128];

		if (t % 5 == 0)
			r.records = 1 + (uint64_t)rand() % 4;
		for (size_t x = 0; x < n; x++)
			rnd[x] = alpha[rand() % (int)strlen(alpha)];
		rnd[n] = '\0';
		snprintf(what, sizeof what,
		         "random %d: size %llu -N%llu -L%u end '%s' start '%s'",
		         t, (unsigned long long)r.size,
		         (unsigned long long)r.records, r.lines,
		         r.re[0] == '\n' ? "\\n" : r.re, r.rs);
		same_cut(&r, rnd, what);
	}
	/* --group-by: runs of lines with the same first byte are records,
	 * never split; blocks as full as the size allows. */
	{
		struct cut_opts g = {8, 0, 1, "\n", "", true, NULL};

		is_cut(&g, "a1\na2\nb1\nb2\nb3\nc\na3\n", "6,9,5",
		       "--group-by: runs of a key are whole");
		g.size = 100;
		is_cut(&g, "a1\na2\nb1", "8", "--group-by: one block fits all");
		g.size = 1;
		is_cut(&g, "aaaa\naa\nb\n", "8,2",
		       "--group-by: a group over the size is one block");
	}
	/* --regexp: the same blocks shown whole or in pieces. */
	for (t = 0; t < 120; t++) {
		static const char *res[][2] = {
		    {"b+", ""}, {"", "ab*a"}, {"\n+", "a"}, {"[ab]\n", ""}};
		static const char *shown[] = {"/b+/", "start /ab*a/",
		                              "/\\n+/ then /a/", "/[ab]\\n/"};
		struct recre re;
		const char *what_re, *why;
		size_t n = (size_t)rand() % 1500;
		struct cut_opts r = {
		    1 + (uint64_t)rand() % 60, 0, 1, "", "", false, &re};
		char want[4096], got2[4096];
		int bad = 0;

		if (t % 4 == 3)
			r.records = 1 + (uint64_t)rand() % 3;
		for (size_t x = 0; x < n; x++)
			rnd[x] = "ab\nc"[rand() % 4];
		rnd[n] = '\0';
		if (recre_init(&re, res[t % 4][0], res[t % 4][1], &what_re,
		               &why) == -1) {
			ok(0, "--regexp %s %s compiles", res[t % 4][0],
			   res[t % 4][1]);
			continue;
		}
		(void)cut_streamed(&r, rnd, n, 0, want, sizeof want, NULL);
		for (unsigned seed = 1; seed <= 20 && !bad; seed++)
			if (cut_streamed(&r, rnd, n, seed, got2, sizeof got2,
			                 NULL) == -1 ||
			    strcmp(got2, want) != 0)
				bad = (int)seed;
		ok(!bad, "--regexp random %d: %s, size %llu -N%llu", t,
		   shown[t % 4], (unsigned long long)r.size,
		   (unsigned long long)r.records);
		if (bad)
			printf("#   seed %d got %s want %s\n", bad, got2, want);
		recre_free(&re);
	}
	srand(777);
	for (t = 0; t < 200; t++) {
		size_t n = (size_t)rand() % sizeof rnd;
		struct cut_opts r = {
		    1 + (uint64_t)rand() % 50, 0, 1, "\n", "", true, NULL};
		char what[96];

		for (size_t x = 0; x < n; x++)
			rnd[x] = "aab\n"[rand() % 4];
		rnd[n] = '\0';
		snprintf(what, sizeof what, "--group-by random %d: size %llu",
		         t, (unsigned long long)r.size);
		same_cut(&r, rnd, what);
	}
	for (t = 0; t < 100; t++) {
		size_t n = 500 + (size_t)rand() % (sizeof rnd - 600), x;

		for (x = 0; x < n; x++)
			rnd[x] = rand() % (t % 4 == 0 ? 60 : 8) ? 'x' : '\n';
		rnd[n] = '\0';
		uint64_t size = 40 + (uint64_t)rand() % 200;
		uint64_t window = 5 + (uint64_t)rand() % 30;
		static char seen[4096], unseen[4096];

		blind_cut(size, window, rnd, n, (unsigned)t + 1, true, unseen,
		          sizeof unseen);
		blind_cut(size, window, rnd, n, (unsigned)t + 1, false, seen,
		          sizeof seen);
		ok(strcmp(seen, unseen) == 0,
		   "the same blocks whether bytes go unseen or not");
		if (strcmp(seen, unseen) != 0)
			printf("#   size %llu window %llu\n#   seen %s\n#   "
			       "unseen %s\n",
			       (unsigned long long)size,
			       (unsigned long long)window, seen, unseen);
	}
	return tap_done();
}
