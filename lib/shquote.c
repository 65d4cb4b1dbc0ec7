#include "config.h"

#include "shquote.h"

#include <stdbool.h>
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
