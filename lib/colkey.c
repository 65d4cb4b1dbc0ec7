/* A line's key: one column's value (see colkey.h). */
#include "config.h"

#include "colkey.h"

#include <string.h>

#include "msg.h"

int
colkey_init(struct colkey *k, const char *opt, size_t col, const char *name,
            const char *colsep)
{
	const char *why;

	memset(k, 0, sizeof *k);
	k->opt = opt;
	k->col = col > 0 ? col - 1 : 0;
	k->name = name;
	if (perlre_compile(&k->sep, colsep != NULL ? colsep : "\t", &why) ==
	    -1) {
		msg_warn("--colsep: %s", why);
		return -1;
	}
	k->compiled = true;
	return 0;
}

void
colkey_free(struct colkey *k)
{
	if (k->compiled)
		perlre_free(&k->sep);
	k->compiled = false;
	buf_free(&k->last);
}

int
colkey_header(struct colkey *k, const char *line, size_t len)
{
	int rc;

	if (k->name == NULL)
		return 0;
	rc = perlre_field_named(&k->sep, line, len, k->name, &k->col);
	if (rc == 1) {
		k->name = NULL;
		return 0;
	}
	if (rc == 0)
		msg_warn("%s: no column named '%s' in the header", k->opt,
		         k->name);
	else
		msg_warn("out of memory");
	return -1;
}

void
colkey_of(const struct colkey *k, const char *line, size_t len, const char **v,
          size_t *n)
{
	/* (Only a record over 2 GiB split by a regex fails: then the
	 * whole line is its key.) */
	if (perlre_field(&k->sep, line, len, k->col, v, n) == -1) {
		*v = line;
		*n = len;
	}
}

bool
colkey_same(void *ctx, const char *line, size_t len)
{
	struct colkey *k = ctx;
	const char *v;
	size_t n;
	bool same;

	colkey_of(k, line, len, &v, &n);
	same =
	    k->last_set && n == k->last.len && memcmp(v, k->last.data, n) == 0;
	if (!same) {
		buf_reset(&k->last);
		/* Out of memory: the next line counts as a new key (a group
		 * cut in two, never two groups in one). */
		k->last_set = buf_append(&k->last, v, n) == 0;
	}
	return same;
}
