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
#define BY_REFERENCE 1
#endif

#ifdef BY_REFERENCE
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

/* Bytes the parts take on disk. */
static long long
disk_used(const struct spool_file *s)
{
	struct stat st;
	long long n = 0;
	unsigned i;

	for (i = 0; i < s->nparts; i++)
		if (fstat(s->part[i].fd, &st) == 0)
			n += (long long)st.st_blocks * 512;
	return n;
}

/* Send all of p into pipe w the way the sink does into a pipe: 0 or -1. */
static int
send_all(struct spool_file *s, struct spool *p, int w)
{
	static char chunk[65536];
	long n;

	while ((n = spool_send(s, p, w, 1 << 20, SPOOL_SEND_PIPE, chunk,
	                       sizeof chunk)) > 0)
		;
	return n == 0 ? 0 : -1;
}

/* Move n bytes from pipe r to pipe w2 by reference, as a reader that
 * splices would: 0 or -1. */
static int
move_on(int r, int w2, size_t n)
{
	ssize_t m;

	while (n > 0) {
		if ((m = splice(r, NULL, w2, NULL, n, 0)) <= 0)
			return -1;
		n -= (size_t)m;
	}
	return 0;
}

/* Pages sent into a pipe by reference are never punched, and keep their
 * bytes when their part is emptied or closed. */
static void
by_reference(const char *big, size_t len, char *out, int p1[2], int p2[2])
{
	static char other[200000];
	struct spool_file s;
	struct spool pin = {0}, a = {0}, b = {0};
	off_t hole;

	spool_file_init(&s, 1000, 4096);
	s.part_size = 100000;
	fill(other, sizeof other, 5);
	ok(spool_add(&s, &pin, "x", 1) == 0 && spool_spill(&s, &pin) == 0 &&
	       spool_add(&s, &a, big, len) == 0 && s.nparts == 1 &&
	       spool_add(&s, &b, other, 50000) == 0 && spool_spilled(&b) &&
	       s.nparts == 2,
	   "by reference: a part past part_size: new bytes go to a new part");
	ok(send_all(&s, &a, p1[1]) == 0 && s.part[0].live == 1 &&
	       move_on(p1[0], p2[1], len) == 0,
	   "sent into a pipe (below part_size with sendfile, the rest "
	   "copied), then moved on to another pipe");
	hole = lseek(s.part[0].fd, 0, SEEK_HOLE);
	ok(hole >= 100000 && hole < (off_t)len,
	   "only what was copied is punched (first hole at %lld)",
	   (long long)hole);
	ok(take_all(&s, &pin, out, 1, 1) == 1 && out[0] == 'x' && s.nparts == 1,
	   "the old part emptied: closed");
	ok(read_n(p2[0], out, len) == 0 && memcmp(out, big, len) == 0,
	   "the moved pages still hold what was sent");
	ok(send_all(&s, &b, p1[1]) == 0 && move_on(p1[0], p2[1], 50000) == 0 &&
	       s.live == 0 && s.part[0].end == 0,
	   "the newest emptied after sending by reference: truncated whole");
	ok(spool_add(&s, &a, other + 50000, 100000) == 0 &&
	       s.part[0].end == 100000,
	   "and new bytes written over the same offsets");
	ok(read_n(p2[0], out, 50000) == 0 && memcmp(out, other, 50000) == 0,
	   "the moved pages still hold what was sent");
	ok(take_all(&s, &a, out, 100000, 65536) == 100000 &&
	       memcmp(out, other + 50000, 100000) == 0,
	   "and the part what was written after");
	spool_free(&s, &pin);
	spool_free(&s, &a);
	spool_free(&s, &b);
	spool_file_close(&s);
}

/* Spools that wait keep every part open; past SPILL_PARTS the newest
 * copies what it sends, so its space still comes back. */
static void
parts_all_pinned(const char *big, char *out, int p1[2])
{
	struct spool_file s;
	struct spool pin[SPILL_PARTS + 4], flow = {0};
	size_t i, pins = 0, chunk = 40000;
	long long most = 0;
	int good = 1;

	spool_file_init(&s, 1000, 4096);
	s.part_size = 20000;
	memset(pin, 0, sizeof pin);
	for (i = 0; i < 200; i++) {
		if (pins < SPILL_PARTS + 4 &&
		    (spool_add(&s, &pin[pins], "x", 1) != 0 ||
		     spool_spill(&s, &pin[pins++]) != 0))
			good = 0;
		if (spool_add(&s, &flow, big + i, chunk) != 0 ||
		    send_all(&s, &flow, p1[1]) != 0 ||
		    read_n(p1[0], out, chunk) != 0 ||
		    memcmp(out, big + i, chunk) != 0)
			good = 0;
		if (disk_used(&s) > most)
			most = disk_used(&s);
	}
	ok(good && s.nparts == SPILL_PARTS,
	   "every part pinned by a waiting spool: 8 MB sent, bytes exact");
	ok(most < SPILL_PARTS * (20000 + 3 * 40000),
	   "disk stays bounded: at most %lld bytes", most);
	good = 1;
	for (i = 0; i < pins; i++) {
		if (take_all(&s, &pin[i], out, 1, 1) != 1 || out[0] != 'x')
			good = 0;
		spool_free(&s, &pin[i]);
	}
	spool_free(&s, &flow);
	ok(good && s.nparts == 1 && s.live == 0 && s.part[0].end == 0,
	   "the pins taken: all parts closed, the newest emptied");
	spool_file_close(&s);
}

static void
sent_by_reference(const char *big, size_t len, char *out)
{
	int p1[2] = {-1, -1}, p2[2] = {-1, -1}, i;

	/* Non-blocking: a test that goes wrong fails instead of hanging. */
	if (pipe2(p1, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    pipe2(p2, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    fcntl(p1[1], F_SETPIPE_SZ, 1 << 20) < (int)len ||
	    fcntl(p2[1], F_SETPIPE_SZ, 1 << 20) < (int)len) {
		ok(1, "# SKIP no pipes of 1 MiB");
	} else {
		by_reference(big, len, out, p1, p2);
		parts_all_pinned(big, out, p1);
	}
	for (i = 0; i < 2; i++) {
		if (p1[i] >= 0)
			close(p1[i]);
		if (p2[i] >= 0)
			close(p2[i]);
	}
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

	/* One extent growing at its end while taken from its start (a
	 * streaming job's kept output): its space comes back as it goes. */
	spool_file_init(&s, 1000, 4096);
	{
		static char want[200000];
		uint64_t in = 0, taken = 0, most = 0;

		good = 1;
		for (i = 0; i < 101; i++) {
			/* Bytes at position x are 'a' + x * 7 % 26. */
			fill(big, 200000, (unsigned)(in * 7 % 26));
			if (spool_add(&s, &a, big, i == 0 ? 100000 : 200000) !=
			    0)
				good = 0;
			in += i == 0 ? 100000 : 200000;
			if (i == 0)
				continue;
			fill(want, 200000, (unsigned)(taken * 7 % 26));
			if (take_all(&s, &a, out, 200000, 65536) != 200000 ||
			    memcmp(out, want, 200000) != 0)
				good = 0;
			taken += 200000;
			most = s.live > most ? s.live : most;
		}
		ok(good && spool_len(&a) == 100000 && a.next - a.first == 1 &&
		       most < (4u << 20) + 400000,
		   "one extent growing as it is taken: 20 MB through, at most "
		   "%llu bytes held in the file",
		   (unsigned long long)most);
	}
	spool_free(&s, &a);
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

#ifdef BY_REFERENCE
	sent_by_reference(big, sizeof big, out);
#endif
	return tap_done();
}
