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
		char *a5[] = {"{", "{}}", "{{}}", "{.x}"};

		ok(template_parse(&t, 4, a5, false) == 0, "parse near-misses");
		template_expand(t, "R", 1, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(
		    b.data, b.len, "{|R}|{R}|{.x}|",
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

	/* Several values (sources, columns, -N), by position. */
	{
		struct template_rec v[] = {
		    {"d/a.x", 5}, {"/e/b.y", 6}, {"c", 1}};
		struct template_conf conf = {.shell = false};
		char *a8[] = {"{1}",   "{-1}",  "{2.}",  "{2/}", "{2//}",
		              "{1/.}", "{-2/}", "x{4}y", "{4}",  "{0}"};
		char *a9[] = {"p", "x{}y"};
		char *a10[] = {"sh -c 'echo $0' x{}y  z", "{2}"};

		template_parse_with(&t, 10, a8, &conf, NULL);
		template_expand_n(t, v, 3, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len,
		         "d/a.x|c|/e/b|b.y|/e|a|b.y|xy|d/a.x|/e/b.y|c|",
		         "positions, from the end, modifiers; a lone {4} past "
		         "the end is left out; {0} is {}");
		template_free(t);

		template_parse_with(&t, 2, a9, &conf, NULL);
		template_expand_n(t, v, 3, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len, "p|xd/a.x|/e/b.y|cy|",
		         "{} with several values: one argument each, text "
		         "at the edges");
		template_free(t);

		conf.per_value = true;
		template_parse_with(&t, 2, a9, &conf, NULL);
		template_expand_n(t, v, 3, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len, "p|xd/a.xy|x/e/b.yy|xcy|",
		         "-N: the argument repeated per value");
		template_free(t);

		conf.shell = true;
		template_parse_with(&t, 2, a10, &conf, NULL);
		template_expand_n(t, v, 3, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len,
		         "/bin/sh|-c|sh -c 'echo $0' xd/a.xy x/e/b.yy xcy  z "
		         "/e/b.y|",
		         "-s -N: only the word holding {} repeats, blanks "
		         "kept");
		template_expand_n(t, v, 1, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len,
		         "/bin/sh|-c|sh -c 'echo $0' xd/a.xy  z|",
		         "-s: a word past the values is left out");
		template_free(t);
	}
	/* -I and the others; --header names. */
	{
		struct template_conf conf = {
		    .repl = {"%", "@E", NULL, NULL, NULL, "SEQ", NULL}};
		struct template_rec v[] = {{"a.x", 3}, {"b", 1}};
		char *a11[] = {"%", "@E", "{}", "SEQ{#}", "{name}", "{age.}"};

		template_parse_with(&t, 6, a11, &conf, NULL);
		template_expand_n(t, v, 2, 7, 1, &out);
		join(out.argv, &b);
		is_bytes(
		    b.data, b.len, "a.x|b|a|b|{}|7{#}|{name}|{age.}|",
		    "-I %%, --er, --seqreplace; the usual strings literal");
		ok(template_bind_names(t, "age\0name", 2) == 0, "bind names");
		template_expand_n(t, v, 2, 7, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len, "a.x|b|a|b|{}|7{#}|b|a|",
		         "{name} and {age.} by the header's positions");
		template_free(t);
	}
	{
		char *a12[] = {"echo", "{=1 $_=2 =}"};
		char *a13[] = {"echo", "{=", "=}"};

		ok(template_refusal(2, a12) != NULL, "{= perl =} is refused");
		ok(template_refusal(3, a13) == NULL,
		   "{= and =} in different arguments are literal");
	}

	/* --plus: its strings refused without it; {uniq} marks a filter. */
	{
		struct template_conf conf = {.plus = false};
		char *a14[] = {"echo", "x{+.}"};
		char *a15[] = {"echo", "{uniq}", "{host}", "{agrp}"};
		struct template_rec v[] = {{"a", 1}, {"b", 1}};
		const char *why = NULL;

		ok(template_parse_with(&t, 2, a14, &conf, &why) == -1 &&
		       errno == EINVAL && why != NULL &&
		       strstr(why, "--plus") != NULL,
		   "{+.} without --plus is refused: %s", why ? why : "?");
		conf.plus = true;
		ok(template_parse_with(&t, 4, a15, &conf, &why) == 0,
		   "--plus {uniq} {host} {agrp} parse");
		ok(template_filters(t) == TEMPLATE_UNIQ, "{uniq} is a filter");
		template_expand_n(t, v, 2, 1, 1, &out);
		join(out.argv, &b);
		is_bytes(b.data, b.len, "echo|a|b|:|",
		         "{uniq} is the values, {host} ':', {agrp} nothing");
		template_free(t);
	}

	ok(template_parse(&t, 0, a1, false) == -1 && errno == EINVAL,
	   "an empty command is refused");
	template_out_free(&out);
	buf_free(&b);
	return tap_done();
}
