/* Option values, one parser each (see values.h). */
#include "config.h"

#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "template.h"

/* A user's string as a message may show it: control bytes escaped (a
 * newline in an option must not split the one-line error), cut short. */
const char *
shown(struct parse *p, const char *s)
{
	char *o = p->shown[p->nshown++ % 4];
	size_t n = 0, cap = sizeof p->shown[0] - 8;

	for (; *s != '\0' && n < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(o + n, 8, "\\x%02x", c);
		else
			o[n++] = (char)c;
	}
	if (*s != '\0')
		n += (size_t)snprintf(o + n, 8, "...");
	o[n] = '\0';
	return o;
}

void
usage_error(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	(void)buf_appends(p->err, line);
}

/* A number's text without blanks around it (the same on both sides);
 * too long for a number: as given, to fail. */
static const char *
unblank(struct parse *p, const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= sizeof p->num)
		return s;
	memcpy(p->num, s, n);
	p->num[n] = '\0';
	return p->num;
}

/* -j 0: "as many as input allows", within a cap that keeps a run sane
 * (pmapf lowers it further if the system refuses processes). */
#define JOBS_UNLIMITED 1024

unsigned
parse_jobs(struct parse *p, const char *name, const char *s, unsigned cpus)
{
	const char *t, *digits;
	char sign, *end;
	double v;

	if (s == NULL)
		return cpus;
	t = unblank(p, s);
	sign = *t == '+' || *t == '-' ? *t : 0;
	digits = t + (sign != 0);
	if (cpus < 1)
		cpus = 1;
	errno = 0;
	v = strtod(digits, &end);
	/* Whole numbers, but N.M% (as GNU parallel). */
	if (!isdigit((unsigned char)*digits) || errno != 0 ||
	    (*end != '\0' && (strcmp(end, "%") != 0 || sign != 0)) ||
	    (*end != '%' && strspn(digits, "0123456789") != strlen(digits)) ||
	    v > 1000000 || (*end == '%' && v == 0)) {
		usage_error(
		    p,
		    "%s: invalid value '%s' (expected a whole number up "
		    "to 1000000, +N or -N for the CPUs plus or minus N, "
		    "or a percentage of the CPUs such as 50%%)",
		    name, shown(p, s));
		return 1;
	}
	/* +N, -N, N%: relative to the CPUs, as GNU parallel (a share
	 * rounded up); never below 1. */
	if (sign == '+')
		v += cpus;
	else if (sign == '-')
		v = v >= cpus ? 1 : cpus - v;
	else if (*end == '%')
		v = ceil(cpus * v / 100);
	else if (v == 0)
		return JOBS_UNLIMITED;
	return v < 1 ? 1 : (unsigned)(v > 1000000 ? 1000000 : v);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One byte, literally or as a C escape. */
int
parse_delim(struct parse *p, const char *name, const char *s)
{
	if (s[0] != '\0' && s[1] == '\0')
		return (unsigned char)s[0];
	if (s[0] == '\\' && s[1] != '\0' && s[2] == '\0') {
		switch (s[1]) {
		case 'n':
			return '\n';
		case 't':
			return '\t';
		case 'r':
			return '\r';
		case '0':
			return '\0';
		case 'a':
			return '\a';
		case 'b':
			return '\b';
		case 'f':
			return '\f';
		case 'v':
			return '\v';
		case '\\':
			return '\\';
		default:
			break;
		}
	}
	if (s[0] == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 &&
	    hexval(s[3]) >= 0 && s[4] == '\0')
		return hexval(s[2]) * 16 + hexval(s[3]);
	if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7') {
		/* Octal, as Perl (GNU parallel's -d) and printf: \036, \12. */
		int v = 0, i;

		for (i = 1; i <= 3 && s[i] >= '0' && s[i] <= '7'; i++)
			v = v * 8 + (s[i] - '0');
		if (s[i] == '\0' && v <= 255)
			return v;
	}
	usage_error(
	    p,
	    "%s: invalid value '%s' (expected one byte, or an escape such as "
	    "\\t, \\0, \\036 or \\x1e)",
	    name, shown(p, s));
	return '\n';
}

uint64_t
parse_count(struct parse *p, const char *name, const char *s, uint64_t min,
            uint64_t max)
{
	const char *t = unblank(p, s);
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(t, &end, 10);
	if (!isdigit((unsigned char)*t) || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		usage_error(p,
		            "%s: invalid value '%s' (expected a whole number "
		            "from %llu to %llu)",
		            name, shown(p, s), (unsigned long long)min,
		            (unsigned long long)max);
		return min;
	}
	return v;
}

long
parse_int(struct parse *p, const char *name, const char *s, long min, long max)
{
	const char *t = unblank(p, s);
	const char *digits = t + (*t == '+' || *t == '-');
	char *end;
	long v;

	errno = 0;
	v = strtol(t, &end, 10);
	if (!isdigit((unsigned char)*digits) || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		usage_error(p,
		            "%s: invalid value '%s' (expected a whole number "
		            "from %ld to %ld)",
		            name, shown(p, s), min, max);
		return min;
	}
	return v;
}

double
parse_number(struct parse *p, const char *name, const char *s, double min,
             double max, const char *expected)
{
	const char *t = unblank(p, s);
	char *end;
	double v;

	errno = 0;
	v = strtod(t, &end);
	if (*t == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < min || v > max) {
		usage_error(p, "%s: invalid value '%s' (expected %s)", name,
		            shown(p, s), expected);
		return min;
	}
	return v;
}

enum progress_mode
parse_mode(struct parse *p, const char *name, const char *s)
{
	static const char *names[] = {"auto", "bar", "plain", "json", "none"};
	static const enum progress_mode modes[] = {
	    PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_PLAIN, PROGRESS_JSON,
	    PROGRESS_NONE};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return modes[i];
	usage_error(
	    p,
	    "%s: invalid value '%s' (expected auto, bar, plain, json or none)",
	    name, shown(p, s));
	return PROGRESS_NONE;
}

int
parse_fd(struct parse *p, const char *name, const char *s)
{
	uint64_t v = parse_count(p, name, s, 0, INT_MAX);

	if (p->failed)
		return STDERR_FILENO;
	if (fcntl((int)v, F_GETFD) == -1) {
		usage_error(p, "%s: descriptor %s is not open", name,
		            shown(p, s));
		return STDERR_FILENO;
	}
	return (int)v;
}

const char *
parse_dir(struct parse *p, const char *name, const char *s)
{
	struct stat st;

	if (*s == '\0') {
		usage_error(p, "%s: a directory is needed", name);
		return NULL;
	}
	if (stat(s, &st) == -1 ||
	    (!S_ISDIR(st.st_mode) && (errno = ENOTDIR) != 0) ||
	    access(s, W_OK | X_OK) == -1) {
		usage_error(p, "%s: cannot keep files in '%s': %s", name,
		            shown(p, s), strerror(errno));
		return NULL;
	}
	return s;
}

/* A file name: anything but nothing. */
const char *
parse_file(struct parse *p, const char *name, const char *s)
{
	if (*s == '\0')
		usage_error(p, "%s: a file name is needed", name);
	return s;
}

/* --halt when,what=N or N%: when is now or soon; what is fail, success or
 * done.  "never" turns it off. */
void
parse_halt(struct parse *p, const char *name, const char *s,
           struct pmapf_halt *h)
{
	const char *given = s, *comma, *what, *eq;
	char *end;
	double v;

	memset(h, 0, sizeof *h);
	s = unblank(p, s);
	comma = strchr(s, ',');
	if (strcmp(s, "never") == 0 || strcmp(s, "0") == 0)
		return;
	/* GNU parallel's short forms: 1, 2 fail; -1, -2 success (soon,
	 * now); N% soon,fail=N%. */
	if (strcmp(s, "1") == 0 || strcmp(s, "2") == 0 ||
	    strcmp(s, "-1") == 0 || strcmp(s, "-2") == 0) {
		h->what = s[0] == '-' ? HALT_SUCCESS : HALT_FAIL;
		h->when = s[strlen(s) - 1] == '1' ? HALT_SOON : HALT_NOW;
		h->count = 1;
		return;
	}
	if (isdigit((unsigned char)s[0])) {
		v = strtod(s, &end);
		if (strcmp(end, "%") == 0 && v > 0 && v <= 100) {
			h->when = HALT_SOON;
			h->what = HALT_FAIL;
			h->percent = v;
			return;
		}
		goto bad;
	}
	if (comma == NULL)
		goto bad;
	if ((size_t)(comma - s) == 3 && strncmp(s, "now", 3) == 0)
		h->when = HALT_NOW;
	else if ((size_t)(comma - s) == 4 && strncmp(s, "soon", 4) == 0)
		h->when = HALT_SOON;
	else
		goto bad;
	what = comma + 1;
	eq = strchr(what, '=');
	if (eq == NULL)
		goto bad;
	if ((size_t)(eq - what) == 4 && strncmp(what, "fail", 4) == 0)
		h->what = HALT_FAIL;
	else if ((size_t)(eq - what) == 7 && strncmp(what, "success", 7) == 0)
		h->what = HALT_SUCCESS;
	else if ((size_t)(eq - what) == 4 && strncmp(what, "done", 4) == 0)
		h->what = HALT_DONE;
	else
		goto bad;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (eq[1] == '\0' || errno != 0 || !isfinite(v) || v <= 0)
		goto bad;
	if (strcmp(end, "%") == 0 && v <= 100) {
		h->percent = v;
		return;
	}
	if (*end == '\0' && v == (double)(uint64_t)v) {
		h->count = (uint64_t)v;
		return;
	}
bad:
	h->when = HALT_NEVER;
	usage_error(
	    p,
	    "%s: invalid value '%s' (expected now or soon, then ,fail=, "
	    ",success= or ,done= with a count or a percentage, e.g. "
	    "now,fail=1 or soon,fail=10%%; or 0 (never), 1, 2, -1, -2, "
	    "N%%)",
	    name, shown(p, given));
}

double
parse_duration(struct parse *p, const char *name, const char *s, double min)
{
	static const struct {
		char unit;
		double seconds;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	double total = 0, v;
	const char *at = unblank(p, s);
	char *end;
	size_t i;

	if (*at == '\0')
		goto bad;
	while (*at != '\0') {
		/* No sign, hex, inf or nan: strtod would take them. */
		if (!isdigit((unsigned char)*at) && *at != '.')
			goto bad;
		errno = 0;
		v = strtod(at, &end);
		if (end == at || errno != 0 || !isfinite(v) ||
		    memchr(at, 'x', (size_t)(end - at)) != NULL ||
		    memchr(at, 'X', (size_t)(end - at)) != NULL)
			goto bad;
		at = end;
		if (*at != '\0') {
			/* Either case, as GNU parallel. */
			for (i = 0;
			     i < sizeof units / sizeof units[0] &&
			     units[i].unit != tolower((unsigned char)*at);
			     i++)
				;
			if (i == sizeof units / sizeof units[0])
				goto bad;
			v *= units[i].seconds;
			at++;
		}
		total += v;
	}
	if (total >= min && total <= 1e9)
		return total;
bad:
	usage_error(p,
	            "%s: invalid value '%s' (expected seconds from %g to 1e9, "
	            "or with units such as 1m30s, 2h, 1d)",
	            name, shown(p, s), min);
	return min;
}

uint64_t
parse_size(struct parse *p, const char *name, const char *s)
{
	static const char units[] = "kmgtpe";
	const char *t = unblank(p, s), *u;
	char *end;
	double v, mult = 1;
	size_t i;

	errno = 0;
	v = strtod(t, &end);
	if (!isdigit((unsigned char)*t) || errno != 0 || !isfinite(v))
		goto bad;
	/* K, M...: powers of 1024, as Ki, Mi...; k, m...: of 1000 (GNU
	 * parallel's sizes). */
	if (*end != '\0' &&
	    (u = strchr(units, tolower((unsigned char)*end))) != NULL) {
		bool binary = isupper((unsigned char)*end) || end[1] == 'i';

		for (i = 0; i <= (size_t)(u - units); i++)
			mult *= binary ? 1024 : 1000;
		end += 1 + (end[1] == 'i');
	}
	v *= mult;
	if (*end != '\0' || v < 1 || v > 1e18)
		goto bad;
	return (uint64_t)v;
bad:
	usage_error(p,
	            "%s: invalid value '%s' (expected a size in bytes from 1, "
	            "such as 500M or 2G)",
	            name, shown(p, s));
	return 0;
}

double
parse_load(struct parse *p, const char *s, unsigned cpus)
{
	const char *t = unblank(p, s);
	const char *digits = t + (*t == '+' || *t == '-');
	char *end;
	double v;

	/* +N, -N, N% (whole): as -j, relative to the CPUs. */
	if ((digits != t || strchr(t, '%') != NULL) &&
	    strspn(digits, "0123456789%") == strlen(digits)) {
		v = (double)parse_jobs(p, "--load", t, cpus);
		return p->failed ? 0 : v;
	}
	errno = 0;
	v = strtod(t, &end);
	if (!isdigit((unsigned char)*t) || *end != '\0' || errno != 0 ||
	    !(v > 0) || v > 1e6) {
		usage_error(
		    p,
		    "--load: invalid value '%s' (expected a number above "
		    "0 such as 4 or 2.5, +N or -N for the CPUs plus or "
		    "minus N, or a percentage of the CPUs such as 80%%)",
		    shown(p, s));
		return 0;
	}
	return v;
}

double
parse_percent(struct parse *p, const char *name, const char *s)
{
	const char *t = unblank(p, s);
	size_t n = strlen(t);
	char *end;
	double v;

	errno = 0;
	v = strtod(t, &end);
	if (!isdigit((unsigned char)*t) || n < 2 || end != t + n - 1 ||
	    t[n - 1] != '%' || errno != 0 || !(v > 0) || v > 1e6) {
		usage_error(p,
		            "%s: invalid value '%s' (expected seconds, or a "
		            "percentage above 0 such as 200%%)",
		            name, shown(p, s));
		return 0;
	}
	return v;
}

/* What was wrong with --arg, which getopt refused: a value given to an
 * option that takes none, a prefix of several options, or no option. */
void
bad_long_option(struct parse *p, const char *arg)
{
	size_t len = strcspn(arg, "="), i, n = 0;
	const struct complete_opt *hit = NULL;
	char name[64];

	snprintf(name, sizeof name, "--%.*s", (int)(len < 60 ? len : 60), arg);
	for (i = 0; i < args_noptions; i++) {
		if (strncmp(args_options[i].name, arg, len) != 0)
			continue;
		if (args_options[i].name[len] == '\0') {
			hit = &args_options[i];
			n = 1;
			break;
		}
		hit = &args_options[i];
		n++;
	}
	if (n == 1 && arg[len] == '=' && hit->arg == COMPLETE_NONE)
		usage_error(p, "option '--%s' takes no value", hit->name);
	else if (n > 1)
		usage_error(p,
		            "option '%s' is ambiguous: it begins more than "
		            "one option",
		            shown(p, name));
	else
		usage_error(p, "unknown option '%s'", shown(p, name));
}

void
parse_repl(struct parse *p, struct pmapf_opts *o, int c, const char *s)
{
	static const struct {
		int key;
		const char *name;
	} opts[PMAPF_NREPL] = {
	    {'I', "-I/--replace"},
	    {OPT_EXTENSIONREPLACE, "--extensionreplace"},
	    {OPT_BASENAMEREPLACE, "--basenamereplace"},
	    {OPT_DIRNAMEREPLACE, "--dirnamereplace"},
	    {OPT_BASENAMEEXTENSIONREPLACE, "--basenameextensionreplace"},
	    {OPT_SEQREPLACE, "--seqreplace"},
	    {OPT_SLOTREPLACE, "--slotreplace"},
	};
	size_t i;

	_Static_assert(PMAPF_NREPL == TEMPLATE_NREPL,
	               "one option per replacement string");
	for (i = 0; i < PMAPF_NREPL && opts[i].key != c; i++)
		;
	if (i == PMAPF_NREPL)
		return;
	if (*s == '\0')
		usage_error(p, "%s: the replacement string is empty",
		            opts[i].name);
	o->repl[i] = s;
}
