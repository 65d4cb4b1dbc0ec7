/* Holding pipes (spool_hold.c): bytes from a pipe kept in pipes of the
 * spool's own while a budget lasts, the spool file past it, and given
 * back whole and in order, by splice or by read; pipes let go of. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "tap.h"

#define MIB (1u << 20)

static void
fill(char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)('a' + (i * 7 + seed + i / 4099) % 26);
}

/* Descriptors open in this process. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	(void)closedir(d);
	return n - 1; /* (the directory's own) */
}

/* Push len bytes of src through pipe fds into p with spool_hold_in, a
 * pipe's worth at a time.  0, or -1 if a call failed or moved nothing. */
static int
hold_through(struct spool_file *s, struct spool *p, int fds[2], const char *src,
             size_t len)
{
	size_t at = 0;

	while (at < len) {
		ssize_t w = write(fds[1], src + at, len - at);
		long n;

		if (w <= 0)
			return -1;
		at += (size_t)w;
		while ((n = spool_hold_in(s, p, fds[0], 300000)) > 0)
			;
		if (n != -1 || errno != EAGAIN)
			return -1;
	}
	return 0;
}

/* Everything p holds, sent into a pipe with spool_send and read back. */
static size_t
send_all(struct spool_file *s, struct spool *p, char *out, size_t cap)
{
	int fds[2];
	size_t n = 0;
	char chunk[4096];

	if (pipe2(fds, O_NONBLOCK) == -1)
		return 0;
	while (n < cap) {
		long sent = spool_send(s, p, fds[1], 70000, SPOOL_SEND_PIPE,
		                       chunk, sizeof chunk);
		ssize_t r;

		if (sent <= 0 && !(sent == -1 && errno == EAGAIN))
			break;
		while (n < cap && (r = read(fds[0], out + n, cap - n)) > 0)
			n += (size_t)r;
	}
	(void)close(fds[0]);
	(void)close(fds[1]);
	return n;
}

int
main(void)
{
	static char in[5 * MIB], out[6 * MIB];
	struct spool_file s;
	struct spool a = {0}, b = {0};
	int src[2], before = open_fds(), rc, fds;
	size_t n;
	long got;

	fill(in, sizeof in, 3);
	if (pipe2(src, O_NONBLOCK) == -1 ||
	    fcntl(src[0], F_SETPIPE_SZ, (int)MIB) < (int)MIB) {
		printf("1..0 # SKIP no pipes of 1 MiB here\n");
		return 0;
	}

	/* Budget 3 MiB: three pipes, then the file. */
	spool_file_init(&s, 32 * MIB, 32 * MIB);
	spool_hold_init(&s, 3 * MIB);
	ok(spool_add(&s, &a, "head:", 5) == 0, "memory first");
	ok(hold_through(&s, &a, src, in, sizeof in) == 0,
	   "5 MiB from a pipe, taken as it comes");
	ok(spool_len(&a) == 5 + sizeof in, "all counted: %zu", spool_len(&a));
	ok(s.hold_held == 3 * MIB && s.nparts == 1,
	   "three holding pipes, the rest in the file (held %zu, parts %u)",
	   s.hold_held, s.nparts);
	ok(a.mem.cap == 0 && s.held == 0,
	   "memory moved into a pipe holds no buffer (held %zu)", s.held);
	ok(!spool_hold_open(&s), "the budget is spent");
	n = send_all(&s, &a, out, sizeof out);
	ok(n == 5 + sizeof in && memcmp(out, "head:", 5) == 0 &&
	       memcmp(out + 5, in, sizeof in) == 0,
	   "sent into a pipe whole and in order: memory, pipes, file");
	ok(spool_len(&a) == 0 && s.hold_held == 0 && s.nspare > 0 &&
	       s.nspare <= SPOOL_HOLD_SPARE,
	   "emptied pipes are let go of (%u kept for reuse)", s.nspare);

	/* Taken by read, in odd sizes; behind the file, the file again. */
	/* (Pipes hold a little less than their size: a page split by a
	 * splice takes two of its slots.) */
	fds = open_fds();
	rc = hold_through(&s, &a, src, in, 2 * MIB);
	ok(rc == 0 && s.hold_held >= 2 * MIB && open_fds() == fds,
	   "spare pipes are used again, no new one made (held %zu)",
	   s.hold_held);
	n = 0;
	while ((got = spool_take(&s, &a, out + n, 777)) > 0)
		n += (size_t)got;
	ok(got == 0 && n == 2 * MIB && memcmp(out, in, n) == 0,
	   "spool_take reads them back in order");

	/* A spool reset with bytes in pipes closes them. */
	rc = hold_through(&s, &a, src, in, 4 * MIB);
	ok(rc == 0 && s.hold_held == 3 * MIB, "pipes full again");
	spool_reset(&s, &a, 0);
	ok(spool_len(&a) == 0 && s.hold_held == 0,
	   "a reset lets go of its pipes");

	/* Joined spools keep their order. */
	ok(spool_add(&s, &b, "B:", 2) == 0 &&
	       hold_through(&s, &a, src, in, MIB / 2) == 0 &&
	       spool_join(&s, &b, &a) == 0 && spool_len(&a) == 0,
	   "a spool with a pipe joined to another");
	n = send_all(&s, &b, out, sizeof out);
	ok(n == 2 + MIB / 2 && memcmp(out, "B:", 2) == 0 &&
	       memcmp(out + 2, in, MIB / 2) == 0,
	   "joined bytes come out in order");
	spool_free(&s, &a);
	spool_free(&s, &b);
	spool_file_close(&s);

	/* Nothing to move, or the end: no empty pipe is left behind. */
	spool_file_init(&s, 32 * MIB, 32 * MIB);
	spool_hold_init(&s, 3 * MIB);
	errno = 0;
	got = spool_hold_in(&s, &a, src[0], 1000);
	ok(got == -1 && errno == EAGAIN && s.hold_held == 0 &&
	       spool_len(&a) == 0,
	   "an empty source: EAGAIN, no pipe kept (held %zu)", s.hold_held);
	n = 0;
	ok(spool_add(&s, &a, "abc", 3) == 0 &&
	       (got = spool_take(&s, &a, out, sizeof out)) == 3 &&
	       memcmp(out, "abc", 3) == 0,
	   "what comes next is not hidden behind an empty pipe");
	{
		int eof[2];

		ok(pipe2(eof, O_NONBLOCK) == 0 && close(eof[1]) == 0 &&
		       spool_hold_in(&s, &a, eof[0], 1000) == 0 &&
		       s.hold_held == 0 && close(eof[0]) == 0,
		   "the source's end: 0, no pipe kept");
	}
	spool_free(&s, &a);
	spool_file_close(&s);

	/* No budget: straight to the file, as spool_splice_in. */
	spool_file_init(&s, 32 * MIB, 32 * MIB);
	spool_hold_init(&s, 0);
	rc = hold_through(&s, &a, src, in, MIB);
	ok(rc == 0 && s.hold_held == 0 && s.nparts == 1,
	   "without a budget, the file");
	n = send_all(&s, &a, out, sizeof out);
	ok(n == MIB && memcmp(out, in, n) == 0, "and back whole");
	spool_free(&s, &a);
	spool_file_close(&s);

	(void)close(src[0]);
	(void)close(src[1]);
	ok(open_fds() == before, "no descriptor left open (%d, was %d)",
	   open_fds(), before);
	return tap_done();
}
