/* The spool: memory counted as allocated, spilling to one file, taking
 * bytes back in order, joining spools, back-pressure on a full disk. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "tap.h"

/* Everything a spool holds, taken in chunks of `chunk` bytes. */
static size_t
take_all(struct spool_file *s, struct spool *p, char *out, size_t cap,
         size_t chunk)
{
	size_t n = 0;
	long got;

	while (n < cap &&
	       (got = spool_take(s, p, out + n,
	                         cap - n < chunk ? cap - n : chunk)) > 0)
		n += (size_t)got;
	return n;
}

static void
fill(char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)('a' + (i * 7 + seed) % 26);
}

int
main(void)
{
	static char big[300000], out[700000];
	struct spool_file s;
	struct spool a = {0}, b = {0}, many[64];
	size_t n, i;
	int good;

	fill(big, sizeof big, 1);
	/* A tiny budget: everything past 1000 bytes goes to the file. */
	spool_file_init(&s, 1000, 4096);
	ok(spool_add(&s, &a, "hello ", 6) == 0 && s.fd == -1 && s.held >= 6,
	   "small output stays in memory, counted by allocation");
	ok(spool_add(&s, &a, big, sizeof big) == 0 && s.fd >= 0,
	   "past the budget it goes to the temporary file");
	ok(a.mem.data == NULL && a.mem.cap == 0 && s.held == 0,
	   "a spilled spool holds no buffer at all");
	ok(spool_len(&a) == 6 + sizeof big, "length counts file and memory");
	ok(spool_add(&s, &a, "tail", 4) == 0, "more after a spill");
	n = take_all(&s, &a, out, sizeof out, 777);
	ok(n == 6 + sizeof big + 4 && memcmp(out, "hello ", 6) == 0 &&
	       memcmp(out + 6, big, sizeof big) == 0 &&
	       memcmp(out + 6 + sizeof big, "tail", 4) == 0,
	   "taken back whole and in order, in odd-sized chunks");
	ok(spool_len(&a) == 0 && s.live == 0 && s.end == 0,
	   "taking everything gives the file space back");

	/* Join: b's bytes after a's, file extents moved, not copied. */
	ok(spool_add(&s, &a, "A1", 2) == 0 &&
	       spool_add(&s, &b, big, 5000) == 0 &&
	       spool_add(&s, &b, "B2", 2) == 0,
	   "two spools, one spilled");
	ok(spool_join(&s, &a, &b) == 0 && spool_len(&b) == 0 &&
	       spool_len(&a) == 5004,
	   "join moves everything over");
	n = take_all(&s, &a, out, sizeof out, 4096);
	ok(n == 5004 && memcmp(out, "A1", 2) == 0 &&
	       memcmp(out + 2, big, 5000) == 0 &&
	       memcmp(out + 5002, "B2", 2) == 0,
	   "joined bytes come out in order");

	/* Settle gives back what a finished spool does not use. */
	spool_free(&s, &a);
	spool_free(&s, &b);
	ok(s.held == 0, "freed spools are no longer counted");
	spool_file_close(&s);
	spool_file_init(&s, 1u << 20, 1u << 20);
	ok(spool_add(&s, &a, big, 70000) == 0 && a.mem.cap >= 70000,
	   "a grown buffer");
	spool_take(&s, &a, out, 60000);
	spool_settle(&s, &a);
	ok(a.mem.cap <= 10000 + 10000 / 8 + 64 + 1 && s.held == a.mem.cap &&
	       spool_len(&a) == 10000,
	   "settle shrinks it to what it holds, and the count follows");
	spool_free(&s, &a);
	ok(s.held == 0, "nothing counted once freed");

	/* Many waiting spools never hold more than the budget. */
	spool_file_close(&s);
	spool_file_init(&s, 100000, 1u << 20);
	good = 1;
	for (i = 0; i < 64; i++) {
		memset(&many[i], 0, sizeof many[i]);
		if (spool_add(&s, &many[i], big, 60000) != 0 ||
		    s.held > 100000 + 65536)
			good = 0;
		spool_settle(&s, &many[i]);
	}
	ok(good && s.held <= 100000,
	   "64 x 60 KB waiting: memory stays within the budget");
	good = 1;
	for (i = 0; i < 64; i++) {
		n = take_all(&s, &many[i], out, sizeof out, 65536);
		if (n != 60000 || memcmp(out, big, 60000) != 0)
			good = 0;
		spool_free(&s, &many[i]);
	}
	ok(good && s.held == 0 && s.live == 0,
	   "and every one comes back whole");
	spool_file_close(&s);

	/* A spill that cannot be made keeps the bytes in memory. */
	spool_file_init(&s, 10, 10);
	s.dir = "/nonexistent/pmapf";
	errno = 0;
	ok(spool_add(&s, &a, "0123456789abcdef", 16) == -1 && errno == ENOENT,
	   "no usable directory: -1 with errno");
	n = take_all(&s, &a, out, sizeof out, 5);
	ok(n == 16 && memcmp(out, "0123456789abcdef", 16) == 0,
	   "nothing lost: what could not spill is still held");
	spool_free(&s, &a);
	spool_file_close(&s);
	return tap_done();
}
