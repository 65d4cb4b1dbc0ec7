#include "config.h"

#include "byteset.h"

#include <errno.h>
#include <string.h>

const char byteset_ere_special[] = "^.[$()|*+?{\\";

/*
 * Perl's classes on bytes (ASCII's, the "C" locale's) as byte ranges: the
 * POSIX names, then \d \s \w \h \v.
 */
#define RANGES(name, r)                                                        \
	{                                                                      \
		name, r, sizeof r - 1                                          \
	}
static const struct {
	const char *name, *r;
	size_t n;
} classes[] = {
    RANGES("alpha", "AZaz"),
    RANGES("digit", "09"),
    RANGES("alnum", "09AZaz"),
    RANGES("upper", "AZ"),
    RANGES("lower", "az"),
    RANGES("space", "\t\r  "),
    RANGES("blank", "\t\t  "),
    RANGES("punct", "!/:@[`{~"),
    RANGES("print", " ~"),
    RANGES("graph", "!~"),
    RANGES("cntrl", "\0\37\177\177"),
    RANGES("xdigit", "09AFaf"),
    RANGES("word", "09AZ__az"),
    RANGES("ascii", "\0\177"),
    RANGES("", "09"),
    RANGES("", "\t\r  "),
    RANGES("", "09AZ__az"),
    RANGES("", "\t\t  \240\240"),
    RANGES("", "\n\r\205\205"),
};
#define NPOSIX 14 /* classes[NPOSIX + i] is "dswhv"[i] */

void
byteset_add(struct byteset *s, int c)
{
	s->b[c >> 3] |= (unsigned char)(1u << (c & 7));
}

bool
byteset_has(const struct byteset *s, int c)
{
	return (s->b[c >> 3] >> (c & 7)) & 1;
}

void
byteset_or(struct byteset *d, const struct byteset *s)
{
	size_t i;

	for (i = 0; i < sizeof d->b; i++)
		d->b[i] |= s->b[i];
}

void
byteset_not(struct byteset *s)
{
	size_t i;

	for (i = 0; i < sizeof s->b; i++)
		s->b[i] = (unsigned char)~s->b[i];
}

bool
byteset_meets(const struct byteset *a, const struct byteset *b)
{
	size_t i;

	for (i = 0; i < sizeof a->b; i++)
		if (a->b[i] & b->b[i])
			return true;
	return false;
}

static void
class_set(struct byteset *s, size_t k, bool negate)
{
	size_t i;
	int c;

	memset(s, 0, sizeof *s);
	for (i = 0; i < classes[k].n; i += 2)
		for (c = (unsigned char)classes[k].r[i];
		     c <= (unsigned char)classes[k].r[i + 1]; c++)
			byteset_add(s, c);
	if (negate)
		byteset_not(s);
}

int
byteset_perl_class(struct byteset *s, int c)
{
	static const char perl[] = "dswhvDSWHV";
	const char *k;

	/* strchr would find the terminator */
	if (c == '\0' || (k = strchr(perl, c)) == NULL)
		return -1;
	class_set(s, NPOSIX + (size_t)(k - perl) % 5, c < 'a');
	return 0;
}

int
byteset_posix_class(struct byteset *s, const char *name, size_t n, bool negate)
{
	size_t k;

	for (k = 0; k < NPOSIX; k++)
		if (strncmp(classes[k].name, name, n) == 0 &&
		    classes[k].name[n] == '\0')
			break;
	if (k == NPOSIX)
		return -1;
	class_set(s, k, negate);
	return 0;
}

/*
 * The ERE is a C string, so a set holding NUL is written as the negation
 * of the others.
 */
int
byteset_to_ere(const struct byteset *s, struct buf *out)
{
	struct byteset t = *s;
	bool neg = byteset_has(s, 0);
	const char *q;
	int c, end, n = 0, one = 0;

	if (neg)
		byteset_not(&t);
	for (c = 0; c < 256; c++)
		if (byteset_has(&t, c)) {
			n++;
			one = c;
		}
	if (n == 1 && !neg)
		return (strchr(byteset_ere_special, one) &&
		        buf_appendc(out, '\\') == -1)
		           ? -1
		           : buf_appendc(out, (char)one);
	if (n == 0) {
		if (neg)
			return buf_appends(out, "(\n|[^\n])");
		errno = EINVAL;
		return -1;
	}
	if (n == 2 && !neg && byteset_has(&t, '^') && byteset_has(&t, '-'))
		return buf_appends(out, "[-^]");
	/* Then ] comes first, [ before none of : . =, and ^ - last. */
	if (buf_appends(out, neg ? "[^" : "[") == -1 ||
	    (byteset_has(&t, ']') && buf_appendc(out, ']') == -1))
		return -1;
	for (c = 1; c < 256; c++) {
		if (!byteset_has(&t, c) || strchr("]^-[", c) != NULL)
			continue;
		for (end = c; end < 255 && byteset_has(&t, end + 1) &&
		              strchr("]^-[", end + 1) == NULL;
		     end++)
			;
		if (buf_appendc(out, (char)c) == -1 ||
		    (end - c >= 2 && buf_appendc(out, '-') == -1) ||
		    (end > c && buf_appendc(out, (char)end) == -1))
			return -1;
		c = end;
	}
	for (q = "[^-"; *q != '\0'; q++)
		if (byteset_has(&t, *q) && buf_appendc(out, *q) == -1)
			return -1;
	return buf_appendc(out, ']');
}
