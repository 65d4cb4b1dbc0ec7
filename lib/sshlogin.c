/* Parsing sshlogins (see sshlogin.h). */
#include "config.h"

#include "sshlogin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
login_free(struct sshlogin *l)
{
	free(l->name);
	free(l->user);
	free(l->host);
	free(l->port);
}

static char *
dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

#define NOT_A_LOGIN                                                            \
	" is not a login: [N/][user@]host[:port], or : for this machine"

/* "'LOGIN'WHY" into err, a control byte of LOGIN as \xHH: the message
 * stays one line. */
static void
say(char *err, size_t errlen, const char *p, size_t n, const char *why)
{
	size_t at = 0, i;

	for (i = 0; i <= n && at + 5 < errlen; i++) {
		unsigned char c = i < n ? (unsigned char)p[i] : '\'';

		if (i == 0)
			err[at++] = '\'';
		if (i < n && (c < ' ' || c == 0x7f))
			at += (size_t)snprintf(err + at, errlen - at, "\\x%02x",
			                       c);
		else
			err[at++] = (char)c;
	}
	err[at] = '\0';
	snprintf(err + at, errlen - at, "%s", why);
}

static bool
printable(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= ' ' || p[i] == 0x7f)
			return false;
	return true;
}

static bool
all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* One login, p[0..n) (blanks around it already cut). */
static int
parse_one(struct sshlogin *l, const char *p, size_t n, char *err, size_t errlen)
{
	const char *slash = memchr(p, '/', n), *at, *colon;
	const char *host;
	size_t hn;

	memset(l, 0, sizeof *l);
	if (slash != NULL) {
		unsigned long v = 0;
		size_t i;

		if (!all_digits(p, (size_t)(slash - p))) {
			say(err, errlen, p, n,
			    ": what comes before '/' must be a number of job "
			    "slots");
			return -1;
		}
		for (i = 0; p + i < slash && v <= 1000000; i++)
			v = v * 10 + (unsigned long)(p[i] - '0');
		if (v == 0 || v > 1000000) {
			say(err, errlen, p, n,
			    ": job slots must be 1 to 1000000");
			return -1;
		}
		l->slots = (unsigned)v;
		n -= (size_t)(slash - p) + 1;
		p = slash + 1;
	}
	/* (No blank or control byte; nothing ssh would take for an
	 * option.) */
	if (n == 0 || !printable(p, n) || p[0] == '-' ||
	    memchr(p, '/', n) != NULL) {
		say(err, errlen, p, n, NOT_A_LOGIN);
		return -1;
	}
	if ((l->name = dup_n(p, n)) == NULL)
		goto nomem;
	if (n == 1 && p[0] == ':') {
		l->local = true;
		if ((l->host = dup_n(":", 1)) == NULL)
			goto nomem;
		return 0;
	}
	at = memchr(p, '@', n);
	host = at != NULL ? at + 1 : p;
	hn = n - (size_t)(host - p);
	colon = memchr(host, ':', hn);
	if ((at != NULL && at == p) || hn == 0 || host[0] == '-' ||
	    (colon != NULL && colon == host) ||
	    (colon != NULL &&
	     !all_digits(colon + 1, hn - (size_t)(colon + 1 - host)))) {
		say(err, errlen, p, n, NOT_A_LOGIN);
		login_free(l);
		return -1;
	}
	if ((at != NULL && (l->user = dup_n(p, (size_t)(at - p))) == NULL) ||
	    (l->host = dup_n(host, colon != NULL ? (size_t)(colon - host)
	                                         : hn)) == NULL ||
	    (colon != NULL &&
	     (l->port = dup_n(colon + 1, hn - (size_t)(colon + 1 - host))) ==
	         NULL))
		goto nomem;
	return 0;
nomem:
	login_free(l);
	errno = ENOMEM;
	err[0] = '\0';
	return -1;
}

static int
add(struct sshlogins *s, struct sshlogin *l)
{
	struct sshlogin *v;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, l->name) == 0) {
			if (l->slots > s->v[i].slots)
				s->v[i].slots = l->slots;
			login_free(l);
			return 0;
		}
	v = realloc(s->v, (s->n + 1) * sizeof *v);
	if (v == NULL) {
		login_free(l);
		errno = ENOMEM;
		return -1;
	}
	s->v = v;
	s->v[s->n++] = *l;
	return 0;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
sshlogins_add(struct sshlogins *s, const char *arg, char *err, size_t errlen)
{
	const char *p = arg;

	err[0] = '\0';
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		struct sshlogin l;

		while (n > 0 && blank(*p)) {
			p++;
			n--;
		}
		while (n > 0 && blank(p[n - 1]))
			n--;
		if (n > 0 && (parse_one(&l, p, n, err, errlen) == -1 ||
		              add(s, &l) == -1))
			return -1;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

int
sshlogins_add_lines(struct sshlogins *s, const char *text, size_t len,
                    char *err, size_t errlen)
{
	size_t at = 0;

	err[0] = '\0';
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
		char *line = dup_n(text + at, n);
		int r = 0;

		if (line == NULL) {
			errno = ENOMEM;
			return -1;
		}
		if (line[strspn(line, " \t\r")] != '#')
			r = sshlogins_add(s, line, err, errlen);
		free(line);
		if (r == -1)
			return -1;
		at += n + 1;
	}
	return 0;
}

void
sshlogins_free(struct sshlogins *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		login_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

bool
sshlogins_remote(const struct sshlogins *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->v[i].local)
			return true;
	return false;
}
