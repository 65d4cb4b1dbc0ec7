/*
 * perlre_to_ere: a recursive-descent parser that writes the ERE as it
 * reads the Perl pattern, and refuses what Perl and POSIX could match
 * differently (see perlre.h).
 */
#include "config.h"

#include "perlre.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "byteset.h"

#define MAX_DEPTH  32 /* groups in groups: the parser recurses */
#define MAX_COPIES 20000
#define MAX_REPEAT 255 /* the {n,m} POSIX promises (RE_DUP_MAX) */

static const char why_alt[] =
    "alternatives that can start with the same character are not supported "
    "(Perl takes the first that matches, POSIX the longest)";
static const char why_rep[] =
    "a repeated or optional part that can also match what follows it is not "
    "supported (Perl and POSIX could split differently)";

/*
 * What the ambiguity check knows of a piece of pattern.  open holds the
 * bytes that would extend a match that could already stop here: should
 * the next piece start with one of them, Perl (greedy, first alternative)
 * and POSIX (longest) could pick different matches.
 */
struct info {
	struct byteset first; /* bytes a match can start with */
	struct byteset open;
	bool nullable; /* can match the empty string (anchors do) */
	bool anchor;   /* holds ^ or $ */
	/* Copies glibc makes of its atoms: it writes out every {n,m}, so
	 * nested counts multiply ((?:(?:a{255}){255}){255} would take
	 * gigabytes).  Bounded by MAX_COPIES. */
	size_t copies;
};

struct parse {
	const char *p;   /* next byte of the Perl pattern */
	struct buf *out; /* the ERE so far */
	const char *why; /* NULL when -1 means out of memory */
	const char *src; /* the pattern, for looking back */
	int depth;
	/* Matched whole (^(re)$): whether a string matches at all is the
	 * same to Perl and POSIX, so which match each picks cannot differ. */
	bool whole;
};

/* What escape() finds besides a byte 0..255. */
enum { ESC_SET = 256, ESC_BOL, ESC_EOL };

static int
refuse(struct parse *ps, const char *why)
{
	ps->why = why;
	return -1;
}

static int
digit_value(int c, int base)
{
	int v = 99;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if ((c | 32) >= 'a' && (c | 32) <= 'f')
		v = (c | 32) - 'a' + 10;
	return v < base ? v : -1;
}

/* Escapes Perl knows that do not translate, and why. */
static const struct {
	char c;
	const char *why;
} refused_escapes[] = {
    {'b', "\\b (word boundary) is not supported"},
    {'B', "\\B (not a word boundary) is not supported"},
    {'G', "\\G is not supported"},
    {'K', "\\K is not supported"},
    {'p', "\\p{...} (Unicode property) is not supported"},
    {'P', "\\P{...} (Unicode property) is not supported"},
    {'X', "\\X (grapheme cluster) is not supported"},
    {'R', "\\R (any line break) is not supported"},
    {'N', "\\N is not supported: use ."},
    {'c', "\\c (control character) is not supported: use \\xHH"},
    {'o', "\\o{...} is not supported: use \\xHH"},
    {'g', "backreference \\g is not supported"},
    {'k', "backreference \\k is not supported"},
};

/*
 * The escape whose backslash ps->p has just passed: its bytes into *s.
 * The byte it stands for, ESC_SET for a class such as \d, ESC_BOL or
 * ESC_EOL for \A or \z; or -1, refused.
 */
static int
escape(struct parse *ps, bool in_class, struct byteset *s)
{
	static const char ctl[] = "tnrfea", ctl_byte[] = "\t\n\r\f\033\a";
	const char *k;
	bool brace;
	size_t i;
	int c = (unsigned char)*ps->p, v = c, d, n = 0;

	memset(s, 0, sizeof *s);
	if (c == '\0')
		return refuse(ps, "the pattern ends in a lone \\");
	ps->p++;
	if (byteset_perl_class(s, c) == 0) {
		return ESC_SET;
	} else if ((k = strchr(ctl, c)) != NULL) {
		v = (unsigned char)ctl_byte[k - ctl];
	} else if (c == 'b' && in_class) {
		v = '\b';
	} else if (c == 'x') { /* \xH, \xHH or \x{H...} */
		brace = *ps->p == '{';
		ps->p += brace;
		for (v = 0; (brace || n < 2) &&
		            (d = digit_value((unsigned char)*ps->p, 16)) >= 0;
		     ps->p++, n++)
			v = v > 255 ? v : v * 16 + d;
		if (brace && *ps->p++ != '}')
			return refuse(ps, "\\x{...} holds a non-hex digit");
	} else if (c == '0' || (in_class && c >= '1' && c <= '7')) {
		/* Octal: \0 and up to two more digits; in a class \1 too. */
		for (v = c - '0'; n < 2 && digit_value(*ps->p, 8) >= 0; n++)
			v = v * 8 + (*ps->p++ - '0');
	} else if (c >= '1' && c <= '9' && !in_class) {
		return refuse(ps,
		              "backreferences \\1 to \\9 are not supported");
	} else if (!in_class && (c == 'A' || c == 'z' || c == 'Z')) {
		return c == 'A' ? ESC_BOL : ESC_EOL;
	} else if (((c | 32) >= 'a' && (c | 32) <= 'z') ||
	           (c >= '0' && c <= '9')) {
		for (i = 0;
		     i < sizeof refused_escapes / sizeof *refused_escapes; i++)
			if (refused_escapes[i].c == c)
				return refuse(ps, refused_escapes[i].why);
		return refuse(ps, "unknown escape: a backslash before a "
		                  "letter or digit Perl gives no meaning");
	}
	/* Any other byte escaped is itself, as in Perl. */
	if (v > 255)
		return refuse(ps, "characters above \\xff are not supported");
	byteset_add(s, v);
	return v;
}

/* At "[:", "[." or "[=": the "]" that closes the name, or NULL. */
static const char *
posix_syntax(const char *p)
{
	const char *q;

	/* A lone "[" may end the pattern: look no further than its end. */
	if (p[1] != ':' && p[1] != '.' && p[1] != '=')
		return NULL;
	q = strchr(p + 2, ']');

	return q != NULL && q - 1 > p + 1 && q[-1] == p[1] ? q : NULL;
}

/* [:name:] or [:^name:], ps->p at its ":", q at its closing "]". */
static int
posix_class(struct parse *ps, struct byteset *m, const char *q)
{
	bool negate = ps->p[1] == '^';
	const char *name = ps->p + 1 + negate;

	if (*ps->p != ':')
		return refuse(ps, "[= =] and [. .] are not supported");
	if (byteset_posix_class(m, name, (size_t)(q - 1 - name), negate) == -1)
		return refuse(ps, "unknown POSIX class [:name:]");
	ps->p = q + 1;
	return ESC_SET;
}

/* One member of a bracket class into *m: its byte or ESC_SET; -1. */
static int
member(struct parse *ps, struct byteset *m)
{
	const char *q;
	int c = (unsigned char)*ps->p++;

	if (c == '\\')
		return escape(ps, true, m);
	if (c == '[' && (q = posix_syntax(ps->p - 1)) != NULL)
		return posix_class(ps, m, q);
	memset(m, 0, sizeof *m);
	byteset_add(m, c);
	return c;
}

/* A bracket class, ps->p just after its "[", into *s. */
static int
parse_class(struct parse *ps, struct byteset *s)
{
	struct byteset m;
	bool negate = *ps->p == '^', first = true;

	memset(s, 0, sizeof *s);
	ps->p += negate;
	for (; *ps->p != ']' || first; first = false) {
		int lo;

		if (*ps->p == '\0')
			return refuse(ps, "unmatched [");
		if ((lo = member(ps, &m)) == -1)
			return -1;
		if (ps->p[0] == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			struct byteset hi;
			int h;

			ps->p++;
			if ((h = member(ps, &hi)) == -1)
				return -1;
			if (lo >= ESC_SET || h >= ESC_SET)
				return refuse(ps, "a range in [...] must join "
				                  "two characters");
			if (h < lo)
				return refuse(ps,
				              "a range in [...] is backwards");
			while (lo < h)
				byteset_add(&m, ++lo);
		}
		byteset_or(s, &m);
	}
	ps->p++;
	if (negate)
		byteset_not(s);
	return 0;
}

static int parse_alt(struct parse *ps, struct info *in);

/* A group, at its "(". */
static int
parse_group(struct parse *ps, struct info *in)
{
	const char *p = ps->p + 1;

	if (p[0] != '?')
		return refuse(ps,
		              p[0] == '*'
		                  ? "(*...) verbs are not supported"
		                  : "a capturing group (...) would put the "
		                    "separators among the fields: use (?:...)");
	if (p[1] == '=' || p[1] == '!' ||
	    (p[1] == '<' && (p[2] == '=' || p[2] == '!')))
		return refuse(ps, "lookaround (?=...) is not supported");
	if (p[1] == '<' || p[1] == 'P' || p[1] == '\'')
		return refuse(ps,
		              "named groups are not supported: use (?:...)");
	if (p[1] != ':')
		return refuse(ps,
		              "flags, comments and (?...) groups other than "
		              "(?:...) are not supported");
	if (++ps->depth > MAX_DEPTH)
		return refuse(ps, "groups are nested too deeply");
	ps->p = p + 2;
	if (buf_appendc(ps->out, '(') == -1 || parse_alt(ps, in) == -1)
		return -1;
	if (*ps->p != ')')
		return refuse(ps, "unmatched (");
	ps->p++;
	ps->depth--;
	return buf_appendc(ps->out, ')');
}

static int
parse_atom(struct parse *ps, struct info *in)
{
	struct byteset s;
	int c = (unsigned char)*ps->p;

	memset(in, 0, sizeof *in);
	memset(&s, 0, sizeof s);
	if (c == '(')
		return parse_group(ps, in);
	if (c == '*' || c == '+' || c == '?')
		return refuse(ps, "a quantifier (*, + or ?) follows nothing");
	ps->p++;
	if (c == '\\') {
		int e = escape(ps, false, &s);

		if (e == -1)
			return -1;
		c = e == ESC_BOL ? '^' : e == ESC_EOL ? '$' : 0;
	} else if (c == '[') {
		if (*ps->p == ':' && posix_syntax(ps->p - 1) != NULL)
			return refuse(ps, "[:name:] belongs inside a class: "
			                  "[[:name:]]");
		if (parse_class(ps, &s) == -1)
			return -1;
		c = 0;
	} else if (c == '.') { /* Perl's: any byte but newline */
		byteset_add(&s, '\n');
		byteset_not(&s);
		c = 0;
	} else if (c != '^' && c != '$') {
		byteset_add(&s, c);
		c = 0;
	}
	if (c != 0) { /* an anchor: matches nothing, starts with nothing */
		in->nullable = in->anchor = true;
		return buf_appendc(ps->out, (char)c);
	}
	in->first = s;
	if (byteset_to_ere(&s, ps->out) == -1)
		return errno == EINVAL
		           ? refuse(ps, "a class that matches nothing")
		           : -1;
	return 0;
}

/* Digits at *p, or -1 if none; past MAX_REPEAT it stops growing. */
static int
count(const char **p)
{
	int v = -1;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		v = v < 0 ? **p - '0' : v > MAX_REPEAT ? v : v * 10 + **p - '0';
	return v;
}

/*
 * A quantifier at ps->p: 1 with its bounds (max -1: none), or 0 if there
 * is none (a "{" that starts none is a literal "{" to Perl), or -1.
 */
static int
quantifier(struct parse *ps, int *min, int *max)
{
	const char *p = ps->p + 1, *close, *digit;

	*min = *ps->p == '+';
	*max = *ps->p == '?' ? 1 : -1;
	if (*ps->p == '*' || *ps->p == '+' || *ps->p == '?') {
		ps->p++;
		return 1;
	}
	if (*ps->p != '{')
		return 0;
	if ((*min = count(&p)) >= 0 && (*p == '}' || *p == ',')) {
		*max = *min;
		if (*p == ',') {
			p++;
			*max = count(&p);
		}
		if (*p++ == '}') {
			if (*min > MAX_REPEAT || *max > MAX_REPEAT)
				return refuse(ps, "a repeat count over 255 is "
				                  "not supported");
			if (*max >= 0 && *min > *max)
				return refuse(ps, "{n,m} with n > m");
			ps->p = p;
			return 1;
		}
	}
	/* Perl 5.34 also reads {,n} and blanks inside; older Perls don't. */
	close = strchr(ps->p, '}');
	digit = strpbrk(ps->p, "0123456789");
	if (close != NULL && digit != NULL && digit < close &&
	    strspn(ps->p + 1, "0123456789, \t") == (size_t)(close - ps->p - 1))
		return refuse(ps,
		              "{,n} and blanks in {n,m} mean different "
		              "things to different Perls (\\{ is a literal {)");
	return 0;
}

static int
parse_piece(struct parse *ps, struct info *in)
{
	int min, max, r;

	if (parse_atom(ps, in) == -1)
		return -1;
	if (in->copies == 0)
		in->copies = 1;
	/* Perl looks back two bytes, not at what was escaped. */
	if ((r = quantifier(ps, &min, &max)) == 0 && *ps->p == '{' &&
	    ps->p - ps->src >= 2 && ps->p[-2] == '\\' &&
	    (ps->p[-1] | 32) >= 'a' && (ps->p[-1] | 32) <= 'z')
		return refuse(ps, "Perl takes no literal { after \\d, \\t "
		                  "and the like: write \\{");
	if (r <= 0)
		return r;
	if (in->nullable)
		return refuse(ps, "a quantifier on what can match nothing (an "
		                  "anchor, or a group such as (?:a?)) is not "
		                  "supported");
	/* glibc lets (^a){2} match "aa" */
	if (in->anchor)
		return refuse(ps, "a quantifier on a group holding an anchor "
		                  "(^ $) is not supported");
	if ((max > 1 || max < 0) && !ps->whole &&
	    byteset_meets(&in->open, &in->first))
		return refuse(ps, why_rep);
	if (max == 0) /* x{0}: nothing, and only nothing */
		memset(in, 0, sizeof *in);
	else if (max < 0 || max > min)
		byteset_or(&in->open, &in->first);
	in->nullable = min == 0;
	in->copies *= (size_t)(max < 0 ? (min > 1 ? min : 1) : max);
	if (in->copies > MAX_COPIES)
		return refuse(ps, "repeat counts that multiply past 20000 "
		                  "copies are not supported");
	if (max < 0 && min <= 1)
		r = buf_appendc(ps->out, min ? '+' : '*');
	else if (min == 0 && max == 1)
		r = buf_appendc(ps->out, '?');
	else if (max == min)
		r = buf_printf(ps->out, "{%d}", min);
	else
		r = max < 0 ? buf_printf(ps->out, "{%d,}", min)
		            : buf_printf(ps->out, "{%d,%d}", min, max);
	if (r == -1)
		return -1;
	if (*ps->p == '?')
		return refuse(ps, "non-greedy quantifiers (*? +? ?? {n,m}?) "
		                  "are not supported");
	if (*ps->p == '+')
		return refuse(ps, "possessive quantifiers (*+ ++ ?+ {n,m}+) "
		                  "are not supported");
	if (*ps->p == '*' || (*ps->p == '{' && quantifier(ps, &min, &max)))
		return refuse(ps, ps->why ? ps->why : "nested quantifiers");
	return 0;
}

static int
parse_seq(struct parse *ps, struct info *in)
{
	struct info x;

	memset(in, 0, sizeof *in);
	in->nullable = true;
	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')') {
		if (parse_piece(ps, &x) == -1)
			return -1;
		if (!ps->whole && byteset_meets(&in->open, &x.first))
			return refuse(ps, why_rep);
		in->copies += x.copies;
		if (in->copies > MAX_COPIES)
			return refuse(ps,
			              "a pattern this long is not supported");
		if (in->nullable)
			byteset_or(&in->first, &x.first);
		if (x.nullable)
			byteset_or(&in->open, &x.open);
		else
			in->open = x.open;
		in->nullable = in->nullable && x.nullable;
		in->anchor = in->anchor || x.anchor;
	}
	return 0;
}

static int
parse_alt(struct parse *ps, struct info *in)
{
	struct info x;

	if (parse_seq(ps, in) == -1)
		return -1;
	while (*ps->p == '|') {
		ps->p++;
		if (buf_appendc(ps->out, '|') == -1 || parse_seq(ps, &x) == -1)
			return -1;
		if (!ps->whole && (in->nullable || x.nullable))
			return refuse(ps,
			              "an alternative that can match nothing "
			              "is not supported");
		if (!ps->whole && byteset_meets(&in->first, &x.first))
			return refuse(ps, why_alt);
		in->copies += x.copies;
		if (in->copies > MAX_COPIES)
			return refuse(ps,
			              "a pattern this long is not supported");
		byteset_or(&in->first, &x.first);
		byteset_or(&in->open, &x.open);
		in->anchor = in->anchor || x.anchor;
	}
	return 0;
}

static int
translate(const char *src, struct buf *out, bool whole, const char **why)
{
	struct parse ps = {src, out, NULL, src, 0, whole};
	struct info in;
	size_t len = out->len;

	if (parse_alt(&ps, &in) == 0) {
		if (*ps.p == '\0')
			return 0;
		ps.why = "unmatched )";
	}
	out->len = len;
	*why = ps.why != NULL ? ps.why : "out of memory";
	errno = ps.why != NULL ? EINVAL : ENOMEM;
	return -1;
}

int
perlre_to_ere(const char *src, struct buf *out, const char **why)
{
	return translate(src, out, false, why);
}

int
perlre_to_ere_whole(const char *src, struct buf *out, const char **why)
{
	return translate(src, out, true, why);
}
