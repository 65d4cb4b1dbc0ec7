#include "config.h"

#include "termseq.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int sig;
} signals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},
    {"ILL", SIGILL},       {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
    {"BUS", SIGBUS},       {"FPE", SIGFPE},   {"KILL", SIGKILL},
    {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD},     {"CONT", SIGCONT}, {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"SYS", SIGSYS},
};

int
termseq_signal(const char *name, size_t len)
{
	size_t i;
	char *end;
	long v;

	if (len > 0 && isdigit((unsigned char)name[0])) {
		errno = 0;
		v = strtol(name, &end, 10);
		return (size_t)(end - name) == len && errno == 0 && v > 0 &&
		               v < NSIG
		           ? (int)v
		           : 0;
	}
	if (len > 3 && strncasecmp(name, "SIG", 3) == 0) {
		name += 3;
		len -= 3;
	}
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (strlen(signals[i].name) == len &&
		    strncasecmp(signals[i].name, name, len) == 0)
			return signals[i].sig;
	return 0;
}

int
termseq_parse(const char *s, struct termseq *t, char *why, size_t len)
{
	const char *at = s, *comma;
	size_t n;
	char *end;
	double ms;

	memset(t, 0, sizeof *t);
	for (;;) {
		comma = strchr(at, ',');
		n = comma != NULL ? (size_t)(comma - at) : strlen(at);
		if (t->n == TERMSEQ_MAX) {
			snprintf(why, len, "at most %d signals", TERMSEQ_MAX);
			return -1;
		}
		if ((t->sig[t->n] = termseq_signal(at, n)) == 0) {
			snprintf(why, len,
			         "'%.*s' is not a signal; expected names such "
			         "as TERM or KILL, each with milliseconds to "
			         "wait, e.g. TERM,200,KILL,25",
			         (int)(n < 32 ? n : 32), at);
			return -1;
		}
		if (comma == NULL)
			break;
		at = comma + 1;
		comma = strchr(at, ',');
		n = comma != NULL ? (size_t)(comma - at) : strlen(at);
		errno = 0;
		ms = strtod(at, &end);
		if (n == 0 || !isdigit((unsigned char)*at) ||
		    (size_t)(end - at) != n || errno != 0 || ms > 1e9) {
			snprintf(why, len,
			         "'%.*s' is not a number of milliseconds (0 "
			         "to 1e9)",
			         (int)(n < 32 ? n : 32), at);
			return -1;
		}
		t->wait[t->n++] = ms / 1000.0;
		if (comma == NULL)
			return 0;
		at = comma + 1;
	}
	t->wait[t->n++] = 0;
	return 0;
}
