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

/* {1}, {-1}, {0}...: positional strings, tested by the unit and CLI
 * tables. */
static int
has_positional(const char *s)
{
	for (; (s = strchr(s, '{')) != NULL; s++)
		if ((s[1] >= '0' && s[1] <= '9') ||
		    (s[1] == '-' && s[2] >= '0' && s[2] <= '9'))
			return 1;
	return 0;
}

/* Every other form (--plus, -N, -s, several values): no reference, but
 * nothing may crash, leak or read out of bounds. */
static void
expand_any(char **args, int argc, const char *rec, size_t len, uint8_t how)
{
	struct template_conf conf = {.plus = true};
	struct template_rec recs[4];
	struct template_out out = {BUF_INIT, NULL, 0};
	struct template *t;
	const char *why, *p = rec, *end = rec + len, *q;
	size_t n = 0;

	conf.per_value = how & 1;
	conf.shell = how & 2;
	conf.quote = how & 4;
	conf.slots = 8;
	if (template_parse_with(&t, argc, args, &conf, &why) == -1)
		return;
	/* Values: the record cut at commas. */
	while (n < 4) {
		q = memchr(p, ',', (size_t)(end - p));
		recs[n].data = p;
		recs[n].len = (size_t)((q ? q : end) - p);
		n++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	template_set_total(t, 7);
	(void)template_expand_n(t, recs, n, 3, 2, &out);
	(void)template_fixed_cost(t, how & 8);
	(void)template_value_cost(t, rec, len, how & 8);
	template_free(t);
	template_out_free(&out);
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
	if (argc > 0)
		expand_any(args, argc, rec, len, size > 0 ? data[0] : 0);
	for (i = 0; i < argc; i++)
		if (strstr(args[i], "{.}") || strstr(args[i], "{/") ||
		    strstr(args[i], "{#}") || strstr(args[i], "{%}") ||
		    strstr(args[i], "{..}") || strstr(args[i], "{...}") ||
		    strstr(args[i], "{+") || strstr(args[i], "{##}") ||
		    strstr(args[i], "{=") || has_positional(args[i]))
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
