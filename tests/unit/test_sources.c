/* Input sources: the product, linking, --link cycling, columns, header,
 * reading a file as it grows. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources.h"
#include "tap.h"

/* Every tuple until the sources end or wait: "a 1|a 2|...", with "~"
 * where they wait. */
static void
drain(struct sources *s, struct buf *b)
{
	const struct record *v;
	enum sources_state st;
	size_t n, i;

	buf_reset(b);
	for (;;) {
		if (sources_next(s, &v, &n, &st) == -1) {
			buf_appends(b, "ERROR");
			return;
		}
		if (st == SOURCES_WAIT) {
			buf_appends(b, "~");
			return;
		}
		if (st == SOURCES_END)
			return;
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_appendc(b, ' ');
			buf_append(b, v[i].data, v[i].len);
		}
		buf_appendc(b, '|');
	}
}

static const char *
run(struct pmapf_opts *o, struct buf *b)
{
	struct sources *s;

	if (sources_open(&s, o, 1024) == -1) {
		sources_close(s);
		return "OPEN FAILED";
	}
	drain(s, b);
	buf_appendc(b, '\0');
	sources_close(s);
	return b->data;
}

int
main(void)
{
	struct buf b = BUF_INIT;
	struct pmapf_opts o;
	char *ab[] = {"a", "b"}, *n12[] = {"1", "2"}, *n123[] = {"1", "2", "3"};
	char *xy[] = {"x", "y"}, *none[] = {NULL};
	char *cols[] = {"name,age", " ann , 7", "bob,,", ""};
	struct pmapf_source src[3];

	pmapf_opts_init(&o);
	o.sources = src;
	src[0] = (struct pmapf_source){
	    .file = NULL, .linked = false, .nvals = 2, .vals = ab};
	src[1] = (struct pmapf_source){
	    .file = NULL, .linked = false, .nvals = 3, .vals = n123};
	src[2] = (struct pmapf_source){
	    .file = NULL, .linked = false, .nvals = 2, .vals = xy};
	o.nsources = 2;
	run(&o, &b);
	is_bytes(b.data, strlen(b.data), "a 1|a 2|a 3|b 1|b 2|b 3|",
	         "two sources: every combination, the last fastest");
	o.nsources = 3;
	src[1].nvals = 2;
	src[1].vals = n12;
	run(&o, &b);
	is_bytes(b.data, strlen(b.data),
	         "a 1 x|a 1 y|a 2 x|a 2 y|b 1 x|b 1 y|b 2 x|b 2 y|",
	         "three sources");
	src[1] = (struct pmapf_source){
	    .file = NULL, .linked = true, .nvals = 3, .vals = n123};
	run(&o, &b);
	is_bytes(b.data, strlen(b.data), "a 1 x|a 1 y|b 2 x|b 2 y|",
	         ":::+ links to the source before, ending with the shorter");
	o.link = true;
	src[2].nvals = 1;
	run(&o, &b);
	is_bytes(b.data, strlen(b.data), "a 1 x|b 2 x|a 3 x|",
	         "--link cycles the shorter up to the longest");
	o.link = false;
	src[1] = (struct pmapf_source){
	    .file = NULL, .linked = false, .nvals = 0, .vals = none};
	o.nsources = 2;
	run(&o, &b);
	is_bytes(b.data, strlen(b.data), "", "an empty source: no combination");

	src[0] = (struct pmapf_source){
	    .file = NULL, .linked = false, .nvals = 4, .vals = cols};
	o.nsources = 1;
	o.colsep = ",";
	o.trim = TRIM_LEFT | TRIM_RIGHT;
	run(&o, &b);
	is_bytes(b.data, strlen(b.data), "name age|ann 7|bob  ||",
	         "--colsep splits, --trim lr trims, an empty value is one "
	         "empty column");
	o.header = true;
	{
		struct sources *s;
		const struct buf *names;
		size_t n = 0;

		ok(sources_open(&s, &o, 1024) == 0, "open with a header");
		ok(sources_names(s, &n) == NULL, "no names before reading");
		drain(s, &b);
		buf_appendc(&b, '\0');
		is_bytes(b.data, strlen(b.data), "ann 7|bob  ||",
		         "--header: the first value is not a job");
		names = sources_names(s, &n);
		ok(names != NULL && n == 2 && names->len == 9 &&
		       memcmp(names->data, "name\0age\0", 9) == 0,
		   "--header: the names, split like the values");
		sources_close(s);
	}
	o.colsep = NULL;
	o.trim = 0;
	o.header = false;

	/* A file read as it grows: the first source streams, the product
	 * waits for values instead of ending. */
	{
		char path[] = "/tmp/test_sources.XXXXXX";
		int fd = mkstemp(path), i;
		struct pmapf_source fs[2] = {{.file = path},
		                             {.nvals = 2, .vals = xy}};
		struct sources *s;

		ok(fd >= 0 && write(fd, "p\nq", 3) == 3, "write a file");
		o.sources = fs;
		o.nsources = 2;
		ok(sources_open(&s, &o, 1024) == 0, "open a file source");
		for (i = 0; i < 10 && sources_fd(s, 0, 1 << 20) >= 0; i++)
			ok(sources_read(s, 0) == 0, "read the file");
		drain(s, &b);
		buf_appendc(&b, '\0');
		/* The read hit the end of the file as it was: "q" is last. */
		is_bytes(b.data, strlen(b.data), "p x|p y|q x|q y|",
		         "a file source crossed with values");
		ok(sources_ended(s) && sources_seen(s) == 4,
		   "ended: 4 combinations seen");
		sources_close(s);
		unlink(path);
		close(fd);
	}
	{
		struct pmapf_source bad = {.file = "/nonexistent/pmapf-test"};

		o.sources = &bad;
		o.nsources = 1;
		ok(strcmp(run(&o, &b), "OPEN FAILED") == 0,
		   "a missing file fails to open");
	}
	buf_free(&b);
	return tap_done();
}
