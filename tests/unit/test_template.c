#include <errno.h>

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

	ok(template_parse(&t, 2, a1) == 0, "parse");
	ok(template_expand(t, "rec", 3, &out) == 0, "expand");
	join(out.argv, &b);
	is_bytes(b.data, b.len, "echo|x|rec|", "no {}: record appended");
	template_free(t);

	template_parse(&t, 4, a2);
	template_expand(t, "a b", 3, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "cp|a b|a b.bak|prea bmida b|",
	         "every {} replaced, spaces kept in one argument");
	template_expand(t, "", 0, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "cp||.bak|premid|", "empty record");
	ok(template_expand(t, "a\0b", 3, &out) == -1 && errno == EINVAL,
	   "a NUL byte cannot be an argument");
	template_free(t);

	template_parse(&t, 4, a3);
	template_expand(t, "R", 1, &out);
	join(out.argv, &b);
	is_bytes(b.data, b.len, "echo|{|}|{x}|R|",
	         "lone braces are not replacement strings");
	template_free(t);

	ok(template_parse(&t, 0, a1) == -1 && errno == EINVAL,
	   "an empty command is refused");
	template_out_free(&out);
	buf_free(&b);
	return tap_done();
}
