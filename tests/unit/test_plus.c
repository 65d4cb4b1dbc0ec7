/* --plus forms on one value, against GNU parallel 20221122's answers. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "plus.h"
#include "tap.h"

static const char *
apply(const char *form, const char *v, struct buf *b)
{
	struct plus pl;
	const char *why = NULL;
	size_t used = 0;
	int r;

	buf_reset(b);
	r = plus_parse(form + 1, &pl, &used, &why);
	if (r != 1 || used != strlen(form) - 1)
		return r == -1 ? "REFUSED" : "NOT A FORM";
	if (plus_apply(&pl, v, strlen(v), b) == -1)
		buf_appends(b, "FAILED");
	plus_free(&pl);
	buf_appendc(b, '\0');
	return b->data;
}

int
main(void)
{
	static const char *gnu[][3] = {
	    /* form, value, GNU parallel's answer */
	    {"{+/}", "dir/sub/a.b.c.gz", "dir/sub"},
	    {"{+/}", "a.b", ""},
	    {"{+.}", "dir/sub/a.b.c.gz", "gz"},
	    {"{+.}", "x/y.z/w", "z/w"},
	    {"{+.}", "noext", ""},
	    {"{+..}", "dir/sub/a.b.c.gz", "c.gz"},
	    {"{+..}", "a.b", ""},
	    {"{+...}", "dir/sub/a.b.c.gz", "b.c.gz"},
	    {"{..}", "dir/sub/a.b.c.gz", "dir/sub/a.b"},
	    {"{..}", "x/y.z/w", "x/y.z/w"},
	    {"{...}", "dir/sub/a.b.c.gz", "dir/sub/a"},
	    {"{/..}", "dir/sub/a.b.c.gz", "a.b"},
	    {"{/...}", "dir/sub/a.b.c.gz", "a"},
	    {"{/..}", ".h", ".h"},
	    {"{#.*/}", "a/b/c.d.e", "b/c.d.e"},
	    {"{##.*/}", "a/b/c.d.e", "c.d.e"},
	    {"{%\\.[^.]*}", "a/b/c.d.e", "a/b/c.d"},
	    {"{%%\\..*}", "a/b/c.d.e", "a/b/c"},
	    {"{/\\./_}", "a/b/c.d.e", "a/b/c_d.e"},
	    {"{//\\./_}", "a/b/c.d.e", "a/b/c_d_e"},
	    {"{/#a/X}", "a/b/c.d.e", "X/b/c.d.e"},
	    {"{/%e/X}", "a/b/c.d.e", "a/b/c.d.X"},
	    {"{^a}", "a/b/c.d.e", "A/b/c.d.e"},
	    {"{^^[a-c]}", "a/b/c.d.e", "A/B/C.d.e"},
	    {"{,A}", "ABAB", "aBAB"},
	    {"{,,[AB]}", "ABAB", "abab"},
	    {"{:-E}", "", "E"},
	    {"{:-E}", "x", "x"},
	    {"{:2}", "a/b/c.d.e", "b/c.d.e"},
	    {"{:1:3}", "a/b/c.d.e", "/b/"},
	    {"{:20}", "abc", ""},
	    {"{:1:30}", "abc", "bc"},
	};
	static const char *not_forms[] = {"{#}",  "{%}", "{##}", "{/}", "{//}",
	                                  "{/.}", "{:}", "{:x}", "{^}", "{/a}"};
	struct buf b = BUF_INIT;
	struct plus pl;
	const char *why = NULL;
	size_t k, used;

	for (k = 0; k < sizeof gnu / sizeof gnu[0]; k++) {
		const char *got = apply(gnu[k][0], gnu[k][1], &b);

		is_bytes(got, strlen(got), gnu[k][2], "%s on '%s' is '%s'",
		         gnu[k][0], gnu[k][1], gnu[k][2]);
	}
	for (k = 0; k < sizeof not_forms / sizeof not_forms[0]; k++)
		ok(plus_parse(not_forms[k] + 1, &pl, &used, &why) == 0,
		   "%s is not a --plus form", not_forms[k]);
	ok(plus_parse("#(?=a)}", &pl, &used, &why) == -1 && errno == EINVAL &&
	       why != NULL,
	   "a regex that cannot be translated is refused: %s", why ? why : "?");
	buf_free(&b);
	return tap_done();
}
