#include "config.h"

#include "shquote.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool
safe(unsigned char c)
{
	/* Characters no shell treats specially anywhere in a word. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_@%+=:,./-", c) != NULL;
}

int
shquote(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && safe((unsigned char)s[i]); i++)
		;
	if (len > 0 && i == len)
		return buf_append(b, s, len);
	if (buf_appendc(b, '\'') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '\'') {
			if (buf_appends(b, "'\\''") == -1)
				return -1;
		} else if (buf_appendc(b, s[i]) == -1) {
			return -1;
		}
	}
	return buf_appendc(b, '\'');
}

int
words_split(const char *s, char ***v, size_t *n)
{
	*v = NULL;
	*n = 0;
	for (;;) {
		size_t len;
		char **w;

		s += strspn(s, " \t");
		if (*s == '\0')
			break;
		len = strcspn(s, " \t");
		if ((w = realloc(*v, (*n + 2) * sizeof *w)) == NULL)
			return -1;
		*v = w;
		if ((w[*n] = strndup(s, len)) == NULL)
			return -1;
		w[++*n] = NULL;
		s += len;
	}
	return *n > 0 ? 0 : (errno = EINVAL, -1);
}

void
words_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
