#include "config.h"

#include <errno.h>

#include "shquote.h"
#include "tap.h"
#include "template.h"

static void
join(char **argv, struct buf *b)
{
	buf_reset(b);
	for (; *argv; argv++) {
		buf_appends(b, *argv);
		buf_appendc(b, '|');
	}
}

int
main(void)
{
	struct template *t;
	struct template_out out = {BUF_INIT, NULL, 0};
	struct buf b = BUF_INIT;
	char *a1[] = {"echo", "x"};
	char *a2[] = {"cp", "{}", "{}.bak", "pre{}mid{}"};
	char *a3[] = {"echo", "{", "}", "{x}"};

	ok(template_parse(&t, 2, a1, false) == 0, "parse");
	ok(template_expand(t, "rec", 3, 1, 1, &out) == 0, "expand");
	join(out.argv, &b);
	is_bytes(b.data, b.len, "echo|x|rec|", "no {}: record appended");
	template_free(t);

	template_parse(&t, 4, a2, false);
	template_expand(t, "a b", 3, 1, 1, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "cp|a b|a b.bak|prea bmida b|",
	         "every {} replaced, spaces kept in one argument");
	template_expand(t, "", 0, 1, 1, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "cp||.bak|premid|", "empty record");
	ok(template_expand(t, "a\0b", 3, 1, 1, &out) == -1 && errno == EINVAL,
	   "a NUL byte cannot be an argument");
	template_free(t);

	template_parse(&t, 4, a3, false);
	template_expand(t, "R", 1, 1, 1, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "echo|{|}|{x}|R|",
	         "lone braces are not replacement strings");
	template_free(t);

	/* The replacement strings, against GNU parallel 20221122's output
	 * for the same records. */
	{
		static const char *gnu[][5] = {
		    /* {}, {.}, {/}, {//}, {/.} */
		    {"dir/file.tar.gz", "dir/file.tar", "file.tar.gz", "dir",
		     "file.tar"},
		    {"/a/b.c", "/a/b", "b.c", "/a", "b"},
		    {"noext", "noext", "noext", ".", "noext"},
		    {".hidden", "", ".hidden", ".", ""},
		    {"a/b/", "a/b/", "", "a", ""},
		    {"a.b.c", "a.b", "a.b.c", ".", "a.b"},
		    {"./x", "./x", "x", ".", "x"},
		    {"x/.y", "x/", ".y", "x", ""},
		    {"/", "/", "", "/", ""},
		    {"foo.", "foo", "foo.", ".", "foo"},
		};
		char *a4[] = {"{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}"};
		size_t k;

		template_parse(&t, 7, a4, false);
		for (k = 0; k < sizeof gnu / sizeof gnu[0]; k++) {
			struct buf want = BUF_INIT;

			template_expand(t, gnu[k][0], strlen(gnu[k][0]), k + 1,
			                2, &out);
			join(out.argv, &b);
			buf_printf(&want, "%s|%s|%s|%s|%s|%zu|2|", gnu[k][0],
			           gnu[k][1], gnu[k][2], gnu[k][3], gnu[k][4],
			           k + 1);
			is_bytes(b.data, b.len, want.data,
			         "replacement strings of '%s' as GNU parallel",
			         gnu[k][0]);
			buf_free(&want);
		}
		template_free(t);
	}
	{
		char *a5[] = {"{", "{}}", "{{}}", "{..}"};

		template_parse(&t, 4, a5, false);
		template_expand(t, "R", 1, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(
		    b.data, b.len, "{|R}|{R}|{..}|",
		    "near-misses stay literal; one {} is enough not to append");
		template_free(t);
	}
	{
		char *a6[] = {"gzip -c {} >", "{.}.gz"};
		char *a7[] = {"echo"};

		template_parse(&t, 2, a6, true);
		template_expand(t, "it's a.txt", 10, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(
		    b.data, b.len,
		    "/bin/sh|-c|gzip -c 'it'\\''s a.txt' > 'it'\\''s a'.gz|",
		    "shell mode: one script, values quoted");
		template_free(t);
		template_parse(&t, 1, a7, true);
		template_expand(t, "$(rm -rf ~)", 11, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len, "/bin/sh|-c|echo '$(rm -rf ~)'|",
		         "shell mode: the record appended, quoted");
		template_free(t);
	}
	{
		struct buf q = BUF_INIT;

		shquote(&q, "plain-1.txt", 11);
		buf_appendc(&q, ' ');
		shquote(&q, "", 0);
		buf_appendc(&q, ' ');
		shquote(&q, "a b", 3);
		buf_appendc(&q, ' ');
		shquote(&q, "'", 1);
		is_bytes(q.data, q.len, "plain-1.txt '' 'a b' ''\\'''",
		         "shquote: only when needed");
		buf_free(&q);
	}

	ok(template_parse(&t, 0, a1, false) == -1 && errno == EINVAL,
	   "an empty command is refused");
	template_out_free(&out);
	buf_free(&b);
	return tap_done();
}
