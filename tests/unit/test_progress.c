#include "config.h"

#include <math.h>
#include <stdio.h>

#include "progress.h"
#include "tap.h"

#define CSI_K "\033[K"

static struct progress_view
view(uint64_t done, uint64_t total, bool known, double elapsed, double rate)
{
	struct progress_view v;

	memset(&v, 0, sizeof v);
	v.done = done;
	v.total = total;
	v.total_known = known;
	v.elapsed = elapsed;
	v.rate = rate;
	v.eta = progress_eta(&v);
	v.read = known ? total : done;
	v.eof = known;
	return v;
}

static void
bar(const struct progress_view *v, int width, bool utf8, const char *want,
    const char *what)
{
	struct buf b = BUF_INIT;

	ok(progress_render_bar(&b, v, width, utf8) == 0, "%s renders", what);
	is_bytes(b.data, b.len, want, "%s", what);
	buf_free(&b);
}

/* n copies of s, for bars whose width the comment above them derives. */
static const char *
rep(const char *s, int n)
{
	static char out[8][512];
	static int slot;
	char *o = out[slot++ % 8];

	o[0] = '\0';
	while (n-- > 0)
		strcat(o, s);
	return o;
}

static const char *
cat(const char *a, const char *b, const char *c, const char *d)
{
	static char out[4][1024];
	static int slot;
	char *o = out[slot++ % 4];

	snprintf(o, sizeof out[0], "%s%s%s%s", a, b, c, d);
	return o;
}

static void
durations(void)
{
	char s[32];

	progress_duration(s, sizeof s, 0);
	is_bytes(s, strlen(s), "00:00", "zero seconds");
	progress_duration(s, sizeof s, 61.9);
	is_bytes(s, strlen(s), "01:01", "61.9 s truncates");
	progress_duration(s, sizeof s, 3599);
	is_bytes(s, strlen(s), "59:59", "under an hour: MM:SS");
	progress_duration(s, sizeof s, 3600);
	is_bytes(s, strlen(s), "1:00:00", "an hour: H:MM:SS");
	progress_duration(s, sizeof s, 36000 + 62);
	is_bytes(s, strlen(s), "10:01:02", "ten hours");
	progress_duration(s, sizeof s, -1);
	is_bytes(s, strlen(s), "?", "unknown");
}

static void
rates(void)
{
	struct rate_est r;
	double v;

	rate_init(&r, 0, 0);
	rate_sample(&r, 0.5, 0);
	ok(rate_value(&r, 0.5, 0, false) < 0, "no rate before a completion");
	rate_sample(&r, 1.0, 10);
	v = rate_value(&r, 1.0, 10, false);
	ok(fabs(v - 10) < 1e-9, "steady 10/s reads 10 (got %g)", v);
	rate_sample(&r, 2.0, 20);
	rate_sample(&r, 3.0, 30);
	v = rate_value(&r, 3.0, 30, false);
	ok(fabs(v - 10) < 1e-9, "still 10 (got %g)", v);
	/* A burst: 100 jobs in the next second. */
	rate_sample(&r, 4.0, 130);
	v = rate_value(&r, 4.0, 130, false);
	ok(v > 10 && v < 100, "a burst moves the rate part way (got %g)", v);
	v = rate_value(&r, 4.0, 130, true);
	ok(fabs(v - 32.5) < 1e-9, "final rate is the whole-run average");
}

int
main(void)
{
	struct progress_view v;
	struct buf b = BUF_INIT;

	durations();
	rates();

	/*
	 * tqdm's familiar shape: 60%, 3 of 5, 1 s in, 2.99/s, 2 running.
	 * Width 80 leaves 77 columns: " 60%|" takes 5, the 43 of
	 * "| 3/5 [00:01<00:00, 2.99 jobs/s, running=2]" follow, so the bar
	 * has 29 cells: 0.6 * 29 = 17.4, 17 full, a 3/8 block, 11 blank.
	 */
	v = view(3, 5, true, 1.0, 2.99);
	v.running = 2;
	bar(&v, 80, true,
	    cat("\r 60%|", rep("\u2588", 17), "\u258d",
	        cat(rep(" ", 11),
	            "| 3/5 [00:01<00:00, 2.99 jobs/s, running=2]" CSI_K, "",
	            "")),
	    "known total, utf-8, width 80");
	/* In ASCII there are no partial blocks: 17 full, 12 blank. */
	bar(&v, 80, false,
	    cat("\r 60%|", rep("#", 17), rep(" ", 12),
	        "| 3/5 [00:01<00:00, 2.99 jobs/s, running=2]" CSI_K),
	    "known total, ascii, width 80");

	v = view(370, 0, false, 41.5, 8.9);
	v.running = 8;
	v.failed = 2;
	bar(&v, 80, true,
	    "\r370/? [00:41, 8.90 jobs/s, running=8, failed=2]" CSI_K,
	    "unknown total: count, no percent, no ETA");

	/* 57 - 5 - 37 = 15 empty cells. */
	v = view(0, 10, true, 0.2, -1);
	v.running = 4;
	bar(&v, 60, false,
	    cat("\r  0%|", rep(" ", 15),
	        "| 0/10 [00:00<?, ? jobs/s, running=4]" CSI_K, ""),
	    "nothing done yet: ? for rate and ETA");

	/* Final frames drop running=: 41 - 5 - 32 = 4 cells. */
	v = view(1, 1, true, 0.5, 2);
	v.final = true;
	bar(&v, 44, false, "\r100%|####| 1/1 [00:00<00:00, 2.00 jobs/s]" CSI_K,
	    "one job, final frame, width 44");
	/* At 40 the bar would get 0 cells, under the 4 worth drawing. */
	bar(&v, 40, false, "\r100% 1/1 [00:00<00:00, 2.00 jobs/s]" CSI_K,
	    "one job, width 40: no room for a bar");

	/* 39 - 5 - 29 = 5 cells, full: zero of zero is done. */
	v = view(0, 0, true, 0, -1);
	v.final = true;
	bar(&v, 42, false, "\r100%|#####| 0/0 [00:00<00:00, ? jobs/s]" CSI_K,
	    "zero jobs");

	/* Ordered, output held behind job #342 for 12 s. */
	v = view(360, 1000, true, 41, 8.9);
	v.ordered = true;
	v.running = 8;
	v.emitted = 341;
	v.waiting = 342;
	v.waiting_age = 12.4;
	/* 117 - 5 - 83 = 29 cells; 0.36 * 29 = 10.4 full. */
	bar(&v, 120, false,
	    cat("\r 36%|", rep("#", 10), rep(" ", 19),
	        "| 360/1000 [00:41<01:11, 8.90 jobs/s, running=8, "
	        "emitted=341, waiting for #342 12s]" CSI_K),
	    "ordered with a held head, width 120");
	/* Shorter: extras go one at a time, emitted first, then running;
	 * what output waits for stays longest.  At 90, all of them would
	 * leave 87 - 5 - 83 < 4 cells; without emitted, 87 - 5 - 70 = 12
	 * cells, 4.3 full. */
	bar(&v, 90, false,
	    cat("\r 36%|", rep("#", 4), rep(" ", 8),
	        "| 360/1000 [00:41<01:11, 8.90 jobs/s, running=8, "
	        "waiting for #342 12s]" CSI_K),
	    "width 90 drops emitted first");
	/* At 75: 72 - 5 - 59 = 8 cells, 2.9 full. */
	bar(&v, 75, false,
	    cat("\r 36%|", rep("#", 2), rep(" ", 6),
	        "| 360/1000 [00:41<01:11, 8.90 jobs/s, waiting for #342 "
	        "12s]" CSI_K),
	    "width 75 keeps only what output waits for");
	/* At 60: 57 - 5 - 37 = 15 cells, 0.36 * 15 = 5.4 full. */
	bar(&v, 60, false,
	    cat("\r 36%|", rep("#", 5), rep(" ", 10),
	        "| 360/1000 [00:41<01:11, 8.90 jobs/s]" CSI_K),
	    "width 60 drops the extras");
	bar(&v, 20, false, "\r36% 360/1000 [00:" CSI_K,
	    "20 columns: no bar, cut to 17 columns");
	bar(&v, 1, false, "\r3" CSI_K, "absurdly narrow still one column");

	v = view(3, 5, true, 65, 0.5);
	v.running = 2;
	/* "s/job" is a column shorter: 30 cells, 18 full. */
	bar(&v, 80, false,
	    cat("\r 60%|", rep("#", 18), rep(" ", 12),
	        "| 3/5 [01:05<00:04, 2.00 s/job, running=2]" CSI_K),
	    "slow jobs: seconds per job");

	v = view(370, 1000, true, 41.5, 8.94);
	v.running = 8;
	v.failed = 2;
	buf_reset(&b);
	progress_render_plain(&b, &v);
	is_bytes(
	    b.data, b.len,
	    "pmapf: 370/1000 37% running=8 failed=2 rate=8.9/s elapsed=00:41 "
	    "eta=01:10\n",
	    "plain line");
	v = view(5, 0, false, 3, -1);
	v.ordered = true;
	v.emitted = 2;
	v.waiting = 3;
	v.waiting_age = 2;
	buf_reset(&b);
	progress_render_plain(&b, &v);
	is_bytes(b.data, b.len,
	         "pmapf: 5/? running=0 failed=0 emitted=2 waiting=#3,2s rate=? "
	         "elapsed=00:03 eta=?\n",
	         "plain line, unknown total, ordered and held");

	v = view(3, 5, true, 1.25, 2.4);
	v.running = 2;
	v.emitted = 1;
	buf_reset(&b);
	progress_render_json(&b, &v);
	is_bytes(
	    b.data, b.len,
	    "{\"done\":3,\"emitted\":1,\"running\":2,\"failed\":0,\"read\":5,"
	    "\"total\":5,\"eof\":true,\"elapsed\":1.250,\"rate\":2.400,"
	    "\"eta\":0.833,\"final\":false}\n",
	    "json line");
	v = view(0, 0, false, 0, -1);
	buf_reset(&b);
	progress_render_json(&b, &v);
	is_bytes(
	    b.data, b.len,
	    "{\"done\":0,\"emitted\":0,\"running\":0,\"failed\":0,\"read\":0,"
	    "\"total\":null,\"eof\":false,\"elapsed\":0.000,\"rate\":null,"
	    "\"eta\":null,\"final\":false}\n",
	    "json line with nothing known");
	{
		/* -S with several hosts: each one's running/done. */
		static const struct progress_host h[] = {{"host1", 2, 10},
		                                         {"u@h\"2", 1, 9}};

		v = view(19, 40, true, 2, 9.5);
		v.running = 3;
		v.hosts = h;
		v.nhosts = 2;
		buf_reset(&b);
		progress_render_plain(&b, &v);
		ok(strstr(b.data, " hosts=host1:2/10,u@h\"2:1/9 ") != NULL,
		   "-S plain: hosts=NAME:running/done,...: %s", b.data);
		buf_reset(&b);
		progress_render_json(&b, &v);
		ok(strstr(b.data,
		          ",\"hosts\":[{\"host\":\"host1\",\"running\":2,"
		          "\"done\":10},{\"host\":\"u@h\\\"2\",\"running\":1,"
		          "\"done\":9}],\"final\":false}\n") != NULL,
		   "-S json: a hosts array, names escaped");
		buf_reset(&b);
		progress_render_bar(&b, &v, 120, false);
		ok(strstr(b.data, ", host1:2/10 u@h\"2:1/9]") != NULL,
		   "-S bar, wide: the hosts at the end");
		buf_reset(&b);
		progress_render_bar(&b, &v, 70, false);
		ok(strstr(b.data, "host1") == NULL &&
		       strstr(b.data, "running=3"),
		   "-S bar, narrow: the hosts go first");
	}
	buf_free(&b);
	/* --pipe: stdin's bytes; from a file, how far through it, which
	 * gives the bar and the ETA before the number of blocks is known. */
	v = view(3, 0, false, 10, 0.3);
	v.piped = true;
	v.bytes_in = 250000000;
	v.bytes_total = 1000000000;
	v.eta = progress_eta(&v);
	ok(fabs(v.eta - 30) < 1e-9, "--pipe: ETA from the bytes: %g", v.eta);
	buf_reset(&b);
	ok(progress_render_plain(&b, &v) == 0, "--pipe plain renders");
	is_bytes(b.data, b.len,
	         "pmapf: 3/? running=0 failed=0 in=250MB/1.0GB rate=0.3/s "
	         "elapsed=00:10 eta=00:30\n",
	         "--pipe plain: bytes in of the total");
	buf_reset(&b);
	ok(progress_render_json(&b, &v) == 0, "--pipe json renders");
	ok(strstr(b.data, ",\"bytes\":250000000,\"bytes_total\":1000000000") !=
	       NULL,
	   "--pipe json: bytes and their total");
	/* 77 columns: 5 for " 25%|", 52 for the text, 20 of bar. */
	bar(&v, 80, false,
	    cat("\r 25%|", rep("#", 5), rep(" ", 15),
	        "| 3/? [00:10, 3.33 s/job, 250MB/1.0GB in, running=0]" CSI_K),
	    "--pipe bar: a quarter through the file");
	v.bytes_total = 0;
	v.bytes_in = 999;
	v.eta = progress_eta(&v);
	ok(v.eta < 0, "--pipe from a pipe: no ETA before the end");
	bar(&v, 80, false,
	    "\r3/? [00:10, 3.33 s/job, 999B in, running=0]" CSI_K,
	    "--pipe bar from a pipe: bytes in, no bar");
	buf_free(&b);
	return tap_done();
}
