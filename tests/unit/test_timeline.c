#include "config.h"

#include "tap.h"
#include "timeline.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* Upper bound asserted for 100,000 jobs: the picture's size must not
 * grow with the number of jobs. */
#define BIG_JOBS      100000
#define BIG_MAX_BYTES (1024 * 1024)

static void
add(struct timeline *t, uint64_t seq, unsigned slot, double start, double end,
    enum timeline_outcome o, const char *record)
{
	struct timeline_job job = {
	    seq, slot,   start,          end, o, o == TIMELINE_OK ? 0 : 1,
	    0,   record, strlen(record), 0};

	if (timeline_add(t, &job) == -1)
		abort();
}

static int
render(const struct timeline *t, struct buf *out)
{
	buf_reset(out);
	return timeline_render(t, out, NULL);
}

/* How many times needle occurs in the NUL-terminated out. */
static size_t
count(const struct buf *out, const char *needle)
{
	const char *p = out->data;
	size_t n = 0;

	while (p != NULL && (p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* The y attribute of the bar whose tooltip starts with title, or -1. */
static long
bar_y(const struct buf *out, const char *title)
{
	char want[256];
	const char *p, *r, *y;

	snprintf(want, sizeof want, "><title>%s", title);
	p = strstr(out->data, want);
	if (p == NULL)
		return -1;
	for (r = p; r > out->data && strncmp(r, "<rect", 5) != 0; r--)
		;
	y = strstr(r, " y=\"");
	return y != NULL && y < p ? strtol(y + 4, NULL, 10) : -1;
}

static void
test_slots(void)
{
	struct timeline t;
	struct buf out = BUF_INIT;

	timeline_init(&t);
	add(&t, 1, 1, 100, 101, TIMELINE_OK, "one");
	add(&t, 2, 2, 100, 102.5, TIMELINE_FAILED, "two");
	add(&t, 3, 1, 101, 103, TIMELINE_OK, "three");
	ok(render(&t, &out) == 0, "render 3 jobs on 2 slots");
	ok(strncmp(out.data, "<?xml", 5) == 0 &&
	       strstr(out.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"") &&
	       out.len > 7 && strcmp(out.data + out.len - 7, "</svg>\n") == 0,
	   "an SVG document with its namespace");
	ok(count(&out, "<title>") == 3, "one tooltip per job: %zu",
	   count(&out, "<title>"));
	ok(bar_y(&out, "#1 ") >= 0 && bar_y(&out, "#1 ") == bar_y(&out, "#3 "),
	   "slot 1's jobs share a row");
	ok(bar_y(&out, "#2 ") > bar_y(&out, "#1 "), "slot 2 is the row below");
	ok(strstr(out.data, "<title>#2 \"two\"\n2.500 s, failed, exit 1, slot "
	                    "2\n0.000 s to 2.500 s</title>") != NULL,
	   "tooltip: seq, record, runtime, exit, slot, times");
	ok(strstr(out.data, ">3 jobs: 2 ok, 1 failed, wall 3.000 s, slots busy "
	                    "91.7%, slowest: #2 (2.500 s), #3 (2.000 s), #1 "
	                    "(1.000 s)</text>") != NULL,
	   "summary line");
	ok(strstr(out.data, ">slot 1</text>") && strstr(out.data, ">slot 2<"),
	   "rows are named by slot");
	ok(strstr(out.data, ">ok 2</text>") && strstr(out.data, ">failed 1<"),
	   "legend counts outcomes");
	timeline_free(&t);
	buf_free(&out);
}

static void
test_packing(void)
{
	struct timeline t;
	struct buf out = BUF_INIT;

	timeline_init(&t);
	/* 1, 2, 3 overlap; 4 starts when 2 has ended, 5 when 4 has. */
	add(&t, 1, 0, 0, 10, TIMELINE_OK, "a");
	add(&t, 2, 0, 1, 3, TIMELINE_OK, "b");
	add(&t, 3, 0, 2, 9, TIMELINE_OK, "c");
	add(&t, 4, 0, 3, 5, TIMELINE_OK, "d");
	add(&t, 5, 0, 6, 8, TIMELINE_OK, "e");
	ok(render(&t, &out) == 0, "render slot-less jobs");
	ok(strstr(out.data, ">row 3</text>") && !strstr(out.data, ">row 4<"),
	   "three at once: three rows, no more");
	ok(bar_y(&out, "#1 ") < bar_y(&out, "#2 ") &&
	       bar_y(&out, "#2 ") < bar_y(&out, "#3 "),
	   "overlapping jobs take rows 1, 2, 3");
	ok(bar_y(&out, "#4 ") == bar_y(&out, "#2 "),
	   "a job starting as one ends takes its row");
	ok(bar_y(&out, "#5 ") == bar_y(&out, "#2 "),
	   "sequential jobs share the lowest free row");
	ok(strstr(out.data, "#3 \"c\"\n7.000 s, ok, row 3\n") != NULL,
	   "a packed job's tooltip names its row");
	ok(strstr(out.data, "slots busy 76.7%") != NULL,
	   "busy share over the packed rows: 23 s of 3 x 10 s");
	timeline_free(&t);

	/* A joblog's start and runtime add up to a hair past the next
	 * start (0.1 + 0.2 > 0.3 in doubles): still one row. */
	timeline_init(&t);
	out.len = 0;
	add(&t, 1, 0, 0.1, 0.1 + 0.2, TIMELINE_OK, "a");
	add(&t, 2, 0, 0.3, 0.5, TIMELINE_OK, "b");
	ok(render(&t, &out) == 0 && !strstr(out.data, ">row 2<"),
	   "a job ending as the next starts, within a millisecond: one row");
	timeline_free(&t);
	buf_free(&out);
}

static void
test_escaping(void)
{
	static const char hostile[] = "<a href=\"x\">&'\x01\xff\xc3 \xc3\xa9"
	                              "\xef\xbf\xbf\\\t\n]]>";
	struct timeline_job job = {
	    7, 1, 0, 1, TIMELINE_OK, 0, 0, hostile, sizeof hostile - 1, 0};
	struct timeline_opts opts = {"run <&> \x02", 0};
	struct timeline t;
	struct buf out = BUF_INIT;
	char big[300];

	timeline_init(&t);
	ok(timeline_add(&t, &job) == 0, "add a hostile record");
	buf_reset(&out);
	ok(timeline_render(&t, &out, &opts) == 0, "render it");
	ok(strstr(out.data,
	          "#7 \"&lt;a href=&quot;x&quot;&gt;&amp;&apos;\\x01\\xff\\xc3 "
	          "\xc3\xa9\\xef\\xbf\\xbf\\\\\\t\\n]]&gt;\"") != NULL,
	   "<&\"' as entities; 0x01, 0xff, a lone 0xC3, U+FFFF as \\x; "
	   "valid UTF-8 kept");
	ok(strstr(out.data, ">run &lt;&amp;&gt; \\x02</text>") != NULL,
	   "the title is escaped too");
	ok(memchr(out.data, '\x01', out.len) == NULL &&
	       memchr(out.data, '\xff', out.len) == NULL &&
	       memchr(out.data, '\x02', out.len) == NULL,
	   "no raw control or invalid bytes");
	memset(big, 'x', sizeof big);
	job.seq = 8;
	job.record = big;
	job.record_len = sizeof big;
	ok(timeline_add(&t, &job) == 0 && render(&t, &out) == 0,
	   "a 300-byte record");
	ok(strstr(out.data, "#8 \"") &&
	       strstr(strstr(out.data, "#8 \"") + 4, "xx...\"") -
	               strstr(out.data, "#8 \"") ==
	           4 + TIMELINE_RECORD_MAX - 2,
	   "is cut to %d bytes with ...", TIMELINE_RECORD_MAX);
	job.start = 2;
	job.end = 1;
	errno = 0;
	ok(timeline_add(&t, &job) == -1 && errno == EINVAL,
	   "an end before the start: EINVAL");
	timeline_free(&t);
	buf_free(&out);
}

static void
test_big(void)
{
	struct timeline t;
	struct buf out = BUF_INIT;
	char rec[32], want[64];
	enum timeline_outcome o;
	unsigned i, slot, failed = 0, timed_out = 0, found = 0;
	double busy_until[8] = {0}, d;
	clock_t c0;

	timeline_init(&t);
	for (i = 1; i <= BIG_JOBS; i++) {
		slot = i % 8 + 1;
		d = 0.01 + (i * 7919 % 1000) / 50000.0;
		o = i % 997 == 0    ? TIMELINE_FAILED
		    : i % 4999 == 0 ? TIMELINE_TIMED_OUT
		                    : TIMELINE_OK;
		failed += o == TIMELINE_FAILED;
		timed_out += o == TIMELINE_TIMED_OUT;
		snprintf(rec, sizeof rec, "file-%u.dat", i);
		add(&t, i, slot, busy_until[slot - 1], busy_until[slot - 1] + d,
		    o, rec);
		busy_until[slot - 1] += d + 0.001;
	}
	c0 = clock();
	ok(render(&t, &out) == 0, "render %d jobs", BIG_JOBS);
	printf("# %d jobs: %zu bytes in %.0f ms\n", BIG_JOBS, out.len,
	       (double)(clock() - c0) * 1000 / CLOCKS_PER_SEC);
	ok(out.len < BIG_MAX_BYTES, "%zu bytes, under %d", out.len,
	   BIG_MAX_BYTES);
	for (i = 997; i <= BIG_JOBS; i += 997) {
		snprintf(want, sizeof want, "<title>#%u \"file-%u.dat\"", i, i);
		found += strstr(out.data, want) != NULL;
	}
	ok(found == BIG_JOBS / 997, "each failed job keeps its tooltip: %u",
	   found);
	ok(strstr(out.data, "<title>#4999 \"file-4999.dat\"") != NULL,
	   "and each timed-out one");
	ok(strstr(out.data, " jobs, seq ") != NULL &&
	       strstr(out.data, ", all ok\n") != NULL,
	   "narrow ok bars are merged with a summary tooltip");
	snprintf(want, sizeof want,
	         ">%d jobs: %u ok, %u failed, %u timed out, ", BIG_JOBS,
	         BIG_JOBS - failed - timed_out, failed, timed_out);
	ok(strstr(out.data, want) != NULL, "summary counts all: %s", want);
	ok(strstr(out.data, "slowest: #") != NULL &&
	       count(&out, "<title>#") >= failed + timed_out + 5,
	   "the five slowest keep their own bars too");
	timeline_free(&t);

	/* Everything failed: failures beyond the cap merge, still bounded. */
	timeline_init(&t);
	for (i = 1; i <= BIG_JOBS; i++)
		add(&t, i, i % 4 + 1, i / 4 * 0.01, i / 4 * 0.01 + 0.009,
		    TIMELINE_FAILED, "false");
	ok(render(&t, &out) == 0 && out.len < BIG_MAX_BYTES,
	   "%d failed jobs: %zu bytes", BIG_JOBS, out.len);
	ok(strstr(out.data, "<title>#1 \"false\"") &&
	       strstr(out.data, ", all failed\n"),
	   "the first failures keep their bars, the rest are merged");
	timeline_free(&t);
	buf_free(&out);
}

static void
test_joblog(void)
{
	static const char log[] =
	    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal"
	    "\tCommand\n"
	    "1\t:\t1795683768.242\t     0.500\t0\t4\t0\t0\techo 'a\0b'\n"
	    "2\t:\t1795683768.300\t     1.000\t0\t2\t1\t0\tprintf 'a\tb'\n"
	    "3\t:\t1795683768.400\t     2.000\t0\t0\t-1\t15\tsleep 9\n"
	    "4\t:\t1795683768.800\t     0.100\t0\t0\t0\t9\tkill me\n"
	    "5\t:\t1795683770.500\t     0.100\t0\t0\t0\t0\tlater\n";
	static const char bad_log[] = "Seq\tHost\tStarttime\n"
	                              "1\t:\t1\t1\t0\t0\t0\t0\tx\n"
	                              "2\t:\t1\tx\t0\t0\t0\t0\tx\n";
	struct timeline t;
	struct buf out = BUF_INIT;
	size_t bad = 0;
	long y1, y2;
	int rc;

	timeline_init(&t);
	ok(timeline_from_joblog(&t, log, sizeof log - 1, &bad) == 0 && t.n == 5,
	   "a joblog with a TAB and a NUL in commands: 5 jobs");
	ok(render(&t, &out) == 0, "render it");
	ok(strstr(out.data, "<title>#1 \"echo &apos;a\\nb&apos;\"\n0.500 s, "
	                    "ok, row 1\n") != NULL,
	   "NUL read as a newline, shown as \\n");
	ok(strstr(out.data, "#2 \"printf &apos;a\\tb&apos;\"\n1.000 s, failed, "
	                    "exit 1, row 2\n") != NULL,
	   "a TAB in the command; Exitval 1: failed");
	ok(strstr(out.data, "#3 \"sleep 9\"\n2.000 s, timed out, row 3\n"),
	   "Exitval -1: timed out");
	ok(strstr(out.data, "#4 \"kill me\"\n0.100 s, killed by signal 9, "),
	   "Signal 9: killed");
	y1 = bar_y(&out, "#1 ");
	y2 = bar_y(&out, "#5 ");
	ok(y1 >= 0 && y1 == y2, "a later job reuses row 1");
	ok(!strstr(out.data, ">row 4<"), "three rows for three at once");
	timeline_free(&t);

	timeline_init(&t);
	ok(timeline_from_joblog(&t, log, 60 + 51, &bad) == 0 && t.n == 0,
	   "a torn last row is left out");
	rc = timeline_from_joblog(&t, bad_log, sizeof bad_log - 1, &bad);
	ok(rc == -1 && errno == EINVAL && bad == 3, "a bad line is named: %zu",
	   bad);
	ok(t.n == 1, "the rows before it are kept");
	bad = 0;
	ok(timeline_from_joblog(&t, "\n", 1, &bad) == -1 && bad == 1,
	   "an empty line is not a row");
	timeline_free(&t);
	buf_free(&out);
}

static void
test_empty(void)
{
	struct timeline t;
	struct buf out = BUF_INIT;

	timeline_init(&t);
	ok(render(&t, &out) == 0, "render no jobs");
	ok(strstr(out.data, "<svg xmlns=") && strstr(out.data, ">no jobs<") &&
	       strstr(out.data, "</svg>\n"),
	   "a whole SVG that says no jobs");
	ok(count(&out, "<rect class=") == 0, "and draws no bar");
	timeline_free(&t);
	buf_free(&out);
}

int
main(void)
{
	test_slots();
	test_packing();
	test_escaping();
	test_big();
	test_joblog();
	test_empty();
	return tap_done();
}
