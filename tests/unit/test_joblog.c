#include "config.h"

#include "joblog.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER                                                                 \
	"Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"   \
	"Command\n"

static char dir[] = "/tmp/test_joblog.XXXXXX";
static const char *const files[] = {"log", "header", "empty",
                                    "big", "junk",   "written"};

/* A file in the test's directory holding exactly n bytes of s. */
static const char *
file_with(const char *name, const char *s, size_t n)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL || fwrite(s, 1, n, fp) != n || fclose(fp) != 0)
		abort();
	return path;
}

/* How many lines of the n bytes at p begin with prefix. */
static int
count_lines(const char *p, size_t n, const char *prefix)
{
	size_t i, k = strlen(prefix);
	int c = 0;

	for (i = 0; i < n; i++)
		if ((i == 0 || p[i - 1] == '\n') && n - i >= k &&
		    memcmp(p + i, prefix, k) == 0)
			c++;
	return c;
}

static int
parse(const char *line, size_t len, uint64_t *seq, bool *succeeded)
{
	*seq = 0;
	*succeeded = false;
	return joblog_parse_row(line, len, seq, succeeded);
}

static void
test_format(void)
{
	struct buf b = BUF_INIT;
	struct joblog_row row = {1, 1795656875.8554,  0.0021, 2,   3,
	                         0, "echo a; exit 3", 0,      NULL};

	joblog_header(&b);
	is_bytes(
	    b.data, b.len,
	    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"
	    "Command\n",
	    "header as GNU parallel's");
	buf_reset(&b);
	joblog_format(&b, &row);
	/* A row GNU parallel 20221122 wrote for the same job. */
	is_bytes(
	    b.data, b.len,
	    "1\t:\t1795656875.855\t     0.002\t0\t2\t3\t0\techo a; exit 3\n",
	    "row as GNU parallel's");
	buf_reset(&b);
	row.host = "alice@host1:2222";
	joblog_format(&b, &row);
	is_bytes(b.data, b.len,
	         "1\talice@host1:2222\t1795656875.855\t     0.002\t0\t2\t3\t0\t"
	         "echo a; exit 3\n",
	         "-S: Host names the login");
	row.host = NULL;
	buf_reset(&b);
	row.seq = 12;
	row.runtime = 1.0934;
	row.received = 0;
	row.exitval = -1;
	row.signal = 15;
	row.command = "sleep 5 1";
	joblog_format(&b, &row);
	is_bytes(b.data, b.len,
	         "12\t:\t1795656875.855\t     1.093\t0\t0\t-1\t15\tsleep 5 1\n",
	         "a timed-out job: Exitval -1 and its signal");
	buf_reset(&b);
	row.sent = 1048570;
	joblog_format(&b, &row);
	is_bytes(b.data, b.len,
	         "12\t:\t1795656875.855\t     1.093\t1048570\t0\t-1\t15\tsleep "
	         "5 1\n",
	         "--pipe: Send is the bytes the job was given");
	buf_free(&b);
}

static void
test_round_trip(void)
{
	struct buf b = BUF_INIT;
	struct joblog_row row = {42, 1795656875.8554, 0.5, 7,   0,
	                         0,  "true",          0,   NULL};
	uint64_t seq;
	bool succeeded;

	joblog_format(&b, &row);
	ok(b.len > 0 && b.data[b.len - 1] == '\n', "a row ends in its newline");
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && seq == 42 &&
	       succeeded,
	   "format then parse: seq 42, succeeded");
	buf_reset(&b);
	row.exitval = 1;
	joblog_format(&b, &row);
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && seq == 42 &&
	       !succeeded,
	   "Exitval 1: a row, not succeeded");
	buf_reset(&b);
	row.exitval = -1;
	row.signal = 9;
	joblog_format(&b, &row);
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && !succeeded,
	   "a killed job: not succeeded");
	buf_reset(&b);
	row.exitval = 0;
	row.signal = 0;
	row.seq = UINT64_C(1) << 40;
	joblog_format(&b, &row);
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && seq == UINT64_C(1)
	                                                                 << 40,
	   "Seq 2^40 is still a row");
	buf_free(&b);
}

static void
test_newline_and_tab(void)
{
	struct buf b = BUF_INIT;
	struct joblog_row row = {3, 1795656875.8554, 0.0021, 4,   0,
	                         0, "echo 'a\nb'\n", 0,      NULL};
	/* GNU parallel 20221122 wrote "echo 'a\0b'" for printf 'a\nb\0' |
	 * parallel -0 --joblog f echo {}. */
	static const char want[] = "3\t:\t1795656875.855\t     0.002\t0\t4\t0"
	                           "\t0\techo 'a\0b'\0\n";
	uint64_t seq;
	bool succeeded;

	joblog_format(&b, &row);
	ok(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0,
	   "a newline in the command is written as NUL, as GNU parallel does");
	ok(memchr(b.data, '\n', b.len - 1) == NULL,
	   "the row holds no newline but its last byte");
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && seq == 3 &&
	       succeeded,
	   "a row with NULs in its command parses");
	buf_reset(&b);
	row.command = "printf '%s\t%s' x\ty";
	row.exitval = 2;
	joblog_format(&b, &row);
	is_bytes(b.data, b.len,
	         "3\t:\t1795656875.855\t     0.002\t0\t4\t2\t0\t"
	         "printf '%s\t%s' x\ty\n",
	         "a TAB in the command is written raw, as GNU parallel does");
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && seq == 3 &&
	       !succeeded,
	   "TABs in the command do not move Exitval and Signal");
	buf_reset(&b);
	row.command = "x\t\t\t\t\t\t\t\t0\t0\t";
	row.exitval = 1;
	row.signal = 0;
	joblog_format(&b, &row);
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && !succeeded,
	   "a command full of TABs and zeros is not read as success");
	buf_reset(&b);
	row.command = "";
	row.exitval = 0;
	joblog_format(&b, &row);
	ok(parse(b.data, b.len - 1, &seq, &succeeded) == 1 && succeeded,
	   "an empty command: nine fields still");
	buf_free(&b);
}

static void
test_not_rows(void)
{
	static const char *const junk[] = {
	    "",
	    "hello",
	    "1\t:\t0\t0\t0\t0\t0\t0", /* eight fields */
	    "\t:\t0\t0\t0\t0\t0\t0\tx",
	    "0\t:\t0\t0\t0\t0\t0\t0\tx",
	    "1x\t:\t0\t0\t0\t0\t0\t0\tx",
	    "-1\t:\t0\t0\t0\t0\t0\t0\tx",
	    " 1\t:\t0\t0\t0\t0\t0\t0\tx",
	    "1099511627777\t:\t0\t0\t0\t0\t0\t0\tx",
	    "99999999999999999999999\t:\t0\t0\t0\t0\t0\t0\tx",
	};
	uint64_t seq;
	bool succeeded;
	size_t i;

	ok(parse(HEADER, strlen(HEADER) - 1, &seq, &succeeded) == 0,
	   "not a row: the header");
	for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ok(parse(junk[i], strlen(junk[i]), &seq, &succeeded) == 0,
		   "not a row: '%s'", junk[i]);
	ok(parse("7\t:\t0\t0\t0\t0\t00\t0\tx", 18, &seq, &succeeded) == 1 &&
	       !succeeded,
	   "Exitval 00 is not the 0 pmapf and GNU parallel write");
	/* The length counts, not a NUL: these 8 bytes hold 4 TABs. */
	ok(parse("5\t:\t0\t0\t0\t0\t0\t0\tx", 8, &seq, &succeeded) == 0,
	   "only len bytes are read");
}

/* joblog_read_row on whole rows: every field, and what is not a row. */
static void
test_read_row(void)
{
	static const char good[] =
	    "12\t:\t1700000000.250\t  3.500\t0\t42\t-1\t15\techo\ta";
	static const char *const bad[] = {
	    "1\t:\t1.0\t1.0\t0\t0\t0\t0",              /* 8 fields */
	    "1\t:\tx\t1.0\t0\t0\t0\t0\tc",             /* a word for a time */
	    "1\t:\t1e3\t1.0\t0\t0\t0\t0\tc",           /* an exponent */
	    "1\t:\t1000000000000\t1.0\t0\t0\t0\t0\tc", /* 1e12 s */
	    "1\t:\t1.0\t1.0\t0\t0\t99999999999\t0\tc", /* Exitval */
	    "0\t:\t1.0\t1.0\t0\t0\t0\t0\tc",           /* Seq 0 */
	};
	struct joblog_row row;
	size_t clen = 0, i;
	int refused = 0;

	ok(joblog_read_row(good, sizeof good - 1, &row, &clen) == 1 &&
	       row.seq == 12 && row.start == 1700000000.25 &&
	       row.runtime == 3.5 && row.received == 42 && row.exitval == -1 &&
	       row.signal == 15 && clen == 6 &&
	       memcmp(row.command, "echo\ta", 6) == 0,
	   "a whole row: every field, the command with its TAB");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused +=
		    joblog_read_row(bad[i], strlen(bad[i]), &row, &clen) == 0;
	ok(refused == (int)i, "not rows: %d of %zu refused", refused, i);
}

static void
test_seqset(void)
{
	struct seqset s = {NULL, 0};
	uint64_t i;
	int bad = 0;

	ok(!seqset_has(&s, 1) && !seqset_has(&s, 0), "an empty set has none");
	ok(seqset_add(&s, 0) == -1 && errno == EINVAL, "seq 0 is refused");
	ok(seqset_add(&s, 1) == 0 && seqset_has(&s, 1) && !seqset_has(&s, 2),
	   "add 1");
	ok(seqset_add(&s, 200000) == 0 && s.n >= 200000,
	   "growing to 200000: n %llu", (unsigned long long)s.n);
	ok(seqset_has(&s, 200000) && seqset_has(&s, 1), "both kept");
	for (i = 2; i < 200000; i++)
		bad += seqset_has(&s, i);
	ok(bad == 0, "the bits between are clear after growth");
	for (i = 1; i <= 300000; i += 3)
		if (seqset_add(&s, i) == -1)
			bad++;
	ok(bad == 0, "adding in order past the end");
	for (i = 1; i <= 300002; i++)
		if (seqset_has(&s, i) !=
		    ((i % 3 == 1 && i < 300000) || i == 200000))
			bad++;
	ok(bad == 0, "every 3rd seq of 300000, and 200000, and no other");
	ok(!seqset_has(&s, UINT64_MAX), "far past the end: not there");
	ok(seqset_add(&s, UINT64_MAX) == -1 && errno == ENOMEM,
	   "seq 2^64-1: ENOMEM, not a wrapped size");
	ok(seqset_add(&s, (UINT64_C(1) << 40) + 1) == -1 && errno == ENOMEM,
	   "seq 2^40+1: ENOMEM, nothing allocated");
	seqset_free(&s);
	ok(s.bits == NULL && s.n == 0 && !seqset_has(&s, 1),
	   "free leaves an empty set");
}

static void
test_load(void)
{
	static const char log[] = HEADER
	    "1\t:\t1795683768.242\t     0.003\t0\t4\t0\t0\techo 'a\0b'\n"
	    "2\t:\t1795683768.245\t     0.003\t0\t2\t1\t0\tfalse\n"
	    "3\t:\t1795683768.245\t     0.003\t0\t0\t-1\t15\tsleep 9\n"
	    "junk in the middle\n"
	    "4\t:\t1795683768.245\t     0.003\t0\t2\t0\t0\tprintf 'a\tb'\n"
	    "5\t:\t1795683768.245\t     0.003\t0\t2\t0\t0\techo torn\n"
	    "6\t:\t1795683768.245\t     0.003\t0\t2\t0\t0\techo t";
	struct seqset s = {NULL, 0};
	const char *path = file_with("log", log, sizeof log - 1);
	struct joblog_unread u;
	int i;

	ok(joblog_load(path, false, &s, &u) == 0, "load --resume");
	ok(u.lines == 1 && u.first == 5 && u.len == 18 && u.text_len == 18 &&
	       memcmp(u.text, "junk in the middle", 18) == 0,
	   "the line that is not a row is noted; the torn one is not");
	for (i = 1; i <= 5; i++)
		ok(seqset_has(&s, (uint64_t)i), "--resume: %d done", i);
	ok(!seqset_has(&s, 6), "the torn last row does not count");
	ok(!seqset_has(&s, 0) && !seqset_has(&s, 7), "nothing else");
	seqset_free(&s);

	ok(joblog_load(path, true, &s, &u) == 0, "load --resume-failed");
	ok(seqset_has(&s, 1) && seqset_has(&s, 4) && seqset_has(&s, 5),
	   "--resume-failed: 1, 4 (TAB) and 5 done");
	ok(!seqset_has(&s, 2) && !seqset_has(&s, 3),
	   "--resume-failed: Exitval 1 and a signal run again");
	ok(!seqset_has(&s, 6), "--resume-failed: torn row runs again");
	seqset_free(&s);

	path = file_with("header", log, strlen(HEADER));
	ok(joblog_load(path, false, &s, &u) == 0 && s.n == 0 && u.lines == 0,
	   "a header alone: an empty set");
	path = file_with("empty", "", 0);
	ok(joblog_load(path, false, &s, &u) == 0 && s.n == 0,
	   "an empty file: an empty set");
	path = file_with("big", "200000\t:\t0\t0\t0\t0\t0\t0\tx\n", 23);
	ok(joblog_load(path, true, &s, &u) == 0 && seqset_has(&s, 200000) &&
	       !seqset_has(&s, 199999),
	   "Seq 200000 loads");
	ok(u.lines == 1 && u.first == 1,
	   "a row in place of the header counts, and is noted");
	seqset_free(&s);

	ok(joblog_load("/nonexistent/joblog", false, &s, &u) == 0 && s.n == 0,
	   "a missing file: an empty set");
	errno = 0;
	ok(joblog_load(dir, false, &s, &u) == -1 && errno == EISDIR,
	   "a directory: -1/EISDIR");
	seqset_free(&s);
}

/* A file that is not all a joblog: what is not a row is noted for a
 * message, and the rows count. */
static void
test_load_unread(void)
{
	static const char junk[] =
	    "garbage\n" HEADER "x1\t:\t0\t0\t0\t0\t0\t0\tx\n"
	    "2\t:\t0\t0\t0\t0\t0\t0\tx\n";
	char big[200];
	struct seqset s = {NULL, 0};
	struct joblog_unread u;
	const char *path;

	path = file_with("junk", junk, sizeof junk - 1);
	ok(joblog_load(path, false, &s, &u) == 0 && seqset_has(&s, 2) &&
	       !seqset_has(&s, 1),
	   "garbage around rows: the rows count");
	ok(u.lines == 2 && u.first == 1 && u.len == 7 &&
	       memcmp(u.text, "garbage", 7) == 0,
	   "the first line not the header is noted, and counted");
	seqset_free(&s);
	memset(big, 'x', sizeof big);
	path = file_with("junk", big, sizeof big);
	ok(joblog_load(path, false, &s, &u) == 0 && s.n == 0 && u.lines == 1 &&
	       u.first == 1 && u.len == sizeof big &&
	       u.text_len == JOBLOG_SHOWN,
	   "one line without a newline is no torn row: its start noted");
	seqset_free(&s);
}

static void
test_open_write(void)
{
	static const char header[] = HEADER;
	struct joblog_row row = {1, 1795656875.8554, 0.0021, 2,   0,
	                         0, "a\nb",          0,      NULL};
	struct seqset s = {NULL, 0};
	struct joblog_unread u;
	char path[256], got[256];
	struct stat st;
	FILE *fp;
	size_t n;
	int fd;

	snprintf(path, sizeof path, "%s/written", dir);
	fd = joblog_open(path, false);
	ok(fd >= 0 && joblog_begin(fd) == 0, "open a new joblog");
	ok(joblog_write(fd, &row) == 0, "write row 1");
	row.seq = 2;
	row.exitval = 1;
	ok(joblog_write(fd, &row) == 0, "write row 2");
	close(fd);

	fd = joblog_open(path, true);
	ok(fd >= 0 && joblog_begin(fd) == 0 && fstat(fd, &st) == 0,
	   "reopen to append");
	row.seq = 3;
	row.exitval = 0;
	ok(joblog_write(fd, &row) == 0, "write row 3");
	close(fd);
	fp = fopen(path, "r");
	n = fp != NULL ? fread(got, 1, sizeof got, fp) : 0;
	if (fp != NULL)
		fclose(fp);
	ok(n > sizeof header - 1 &&
	       memcmp(got, header, sizeof header - 1) == 0 &&
	       count_lines(got, n, "Seq\t") == 1 &&
	       count_lines(got, n, "3\t:\t") == 1,
	   "one header, not one per open; row 3 appended");
	ok(joblog_load(path, true, &s, &u) == 0 && seqset_has(&s, 1) &&
	       !seqset_has(&s, 2) && seqset_has(&s, 3) && u.lines == 0,
	   "rows written are read back by --resume-failed");
	seqset_free(&s);

	fd = joblog_open(path, false);
	ok(fd >= 0 && joblog_begin(fd) == 0 && fstat(fd, &st) == 0 &&
	       st.st_size == (off_t)sizeof header - 1,
	   "open without append truncates to the header");
	ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "close-on-exec");
	close(fd);
	unlink(path);

	snprintf(path, sizeof path, "%s/no/such/dir", dir);
	errno = 0;
	ok(joblog_open(path, false) == -1 && errno == ENOENT,
	   "a path that cannot be: -1/ENOENT");
	errno = 0;
	ok(joblog_write(-1, &row) == -1 && errno == EBADF,
	   "write to a bad fd: -1/EBADF");
	fd = joblog_open("/dev/full", false);
	errno = 0;
	ok(fd >= 0 && joblog_begin(fd) == -1 && errno == ENOSPC,
	   "a joblog that opens but takes nothing: the header is -1/ENOSPC");
	if (fd >= 0)
		close(fd);
}

int
main(void)
{
	char path[256];
	size_t i;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_format();
	test_round_trip();
	test_newline_and_tab();
	test_not_rows();
	test_read_row();
	test_seqset();
	test_load();
	test_load_unread();
	test_open_write();
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	ok(rmdir(dir) == 0, "no file left behind");
	return tap_done();
}
