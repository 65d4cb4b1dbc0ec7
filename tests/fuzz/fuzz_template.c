/* libFuzzer: command templates against a naive reference expansion. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
replace_all(struct buf *b, const char *s, const char *rec, size_t len)
{
	const char *p;

	while ((p = strstr(s, "{}")) != NULL) {
		buf_append(b, s, (size_t)(p - s));
		buf_append(b, rec, len);
		s = p + 2;
	}
	buf_appends(b, s);
}

/* {1}, {2}...: positional strings, tested by the unit and CLI tables. */
static int
has_positional(const char *s)
{
	for (; (s = strchr(s, '{')) != NULL; s++)
		if (s[1] >= '1' && s[1] <= '9')
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *args[9], *p, *end;
	struct template *t;
	struct template_out out = {BUF_INIT, NULL, 0};
	struct buf want = BUF_INIT;
	int argc = 0, i, has = 0;
	const char *rec;
	size_t len;

	/* args NUL-separated, then the record after the last NUL. */
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	for (p = copy; argc < 8 && p < end; p += strlen(p) + 1) {
		if (memchr(p, '\0', (size_t)(end - p)) == NULL)
			break;
		args[argc++] = p;
	}
	rec = p < end ? p : "";
	len = p < end ? (size_t)(end - p) : 0;
	args[argc] = NULL;
	for (i = 0; i < argc; i++)
		if (strstr(args[i], "{.}") || strstr(args[i], "{/") ||
		    strstr(args[i], "{#}") || strstr(args[i], "{%}") ||
		    has_positional(args[i]))
			argc = 0; /* the reference covers {} only */
	if (argc == 0 || template_parse(&t, argc, args, false) == -1) {
		free(copy);
		return 0;
	}
	if (template_expand(t, rec, len, 1, 1, &out) == -1) {
		/* Only a NUL in the record may be refused. */
		if (memchr(rec, '\0', len) == NULL)
			abort();
	} else {
		for (i = 0; i < argc; i++) {
			has |= strstr(args[i], "{}") != NULL;
			replace_all(&want, args[i], rec, len);
			buf_append(&want, "", 1);
		}
		if (!has) {
			buf_append(&want, rec, len);
			buf_append(&want, "", 1);
		}
		if (out.strings.len != want.len ||
		    memcmp(out.strings.data, want.data, want.len) != 0)
			abort();
		for (i = 0; out.argv[i] != NULL; i++)
			;
		if (i != argc + !has)
			abort();
	}
	template_free(t);
	template_out_free(&out);
	buf_free(&want);
	free(copy);
	return 0;
}
