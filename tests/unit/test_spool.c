/* The spool: memory counted as allocated, spilling to one file, taking
 * bytes back in order, joining spools, back-pressure on a full disk. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

#if defined(HAVE_SENDFILE) && defined(HAVE_SPLICE) && defined(F_SETPIPE_SZ)
/* Read exactly n bytes from fd into b: 0 or -1. */
static int
read_n(int fd, char *b, size_t n)
{
	ssize_t r;

	while (n > 0) {
		if ((r = read(fd, b, n)) <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static long long
blocks(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (long long)st.st_blocks : -1;
}

/* Send all of p into pipe w by reference, then move the pages on to
 * pipe w2 (as a reader that splices would): 0 or -1. */
static int
send_and_move(struct spool_file *s, struct spool *p, int w, int r, int w2)
{
	long n;
	uint64_t sent = 0;
	ssize_t m;

	while ((n = spool_send(s, p, w, 1 << 20, NULL, 0)) > 0)
		sent += (uint64_t)n;
	if (n < 0)
		return -1;
	while (sent > 0) {
		if ((m = splice(r, NULL, w2, NULL, (size_t)sent, 0)) <= 0)
			return -1;
		sent -= (uint64_t)m;
	}
	return 0;
}

/* Pages sent into a pipe by reference are never punched, and keep their
 * bytes when their file is emptied or closed. */
static void
by_reference(const char *big, size_t len, char *out)
{
	static char other[200000];
	struct spool_file s;
	struct spool a = {0}, b = {0}, c = {0};
	int p1[2], p2[2];
	long long before;

	spool_file_init(&s, 1000, 4096);
	s.to_pipe = true;
	s.rotate_dead = 100000;
	if (pipe2(p1, O_CLOEXEC) == -1 || pipe2(p2, O_CLOEXEC) == -1 ||
	    fcntl(p1[1], F_SETPIPE_SZ, 1 << 20) < (int)len ||
	    fcntl(p2[1], F_SETPIPE_SZ, 1 << 20) < (int)len) {
		ok(1, "# SKIP no pipes of 1 MiB");
		return;
	}
	fill(other, sizeof other, 5);
	ok(spool_add(&s, &a, big, len) == 0 &&
	       spool_add(&s, &b, other, 50000) == 0 && spool_spilled(&a) &&
	       spool_spilled(&b) && s.nparts == 1,
	   "by reference: two spools spilled into one part");
	before = blocks(s.part[0].fd);
	ok(send_and_move(&s, &a, p1[1], p1[0], p2[1]) == 0 &&
	       s.part[0].by_ref && s.part[0].live == 50000,
	   "the first sent into a pipe with sendfile, its pages moved on");
	ok(before > 0 && blocks(s.part[0].fd) >= before,
	   "its space is not punched: a pipe may hold its pages");
	ok(spool_add(&s, &c, other, 10000) == 0 && spool_spilled(&c) &&
	       s.nparts == 2,
	   "past rotate_dead bytes it cannot give back: new bytes, new part");
	ok(read_n(p2[0], out, len) == 0 && memcmp(out, big, len) == 0,
	   "the reader gets the bytes as sent");
	ok(take_all(&s, &b, out, sizeof other, 4096) == 50000 &&
	       memcmp(out, other, 50000) == 0 && s.nparts == 1,
	   "the old part emptied: closed");
	ok(send_and_move(&s, &c, p1[1], p1[0], p2[1]) == 0 && s.live == 0 &&
	       s.part[0].end == 0 && !s.part[0].by_ref,
	   "the newest emptied by reference: truncated whole");
	ok(spool_add(&s, &a, other + 10000, 100000) == 0 &&
	       s.part[0].end == 100000,
	   "and new bytes written over the same offsets");
	ok(read_n(p2[0], out, 10000) == 0 && memcmp(out, other, 10000) == 0,
	   "the moved pages still hold what was sent");
	ok(take_all(&s, &a, out, 100000, 65536) == 100000 &&
	       memcmp(out, other + 10000, 100000) == 0,
	   "and the file what was written after");
	spool_free(&s, &a);
	spool_free(&s, &b);
	spool_free(&s, &c);
	spool_file_close(&s);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}
#endif

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
	ok(spool_add(&s, &a, "hello ", 6) == 0 && s.nparts == 0 && s.held >= 6,
	   "small output stays in memory, counted by allocation");
	ok(spool_add(&s, &a, big, sizeof big) == 0 && s.nparts == 1,
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
	ok(spool_len(&a) == 0 && s.live == 0 && s.part[0].end == 0,
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

#if defined(HAVE_SENDFILE) && defined(HAVE_SPLICE) && defined(F_SETPIPE_SZ)
	by_reference(big, sizeof big, out);
#endif
	return tap_done();
}
