/*
 * Where jobs run (-S, --sshloginfile): GNU parallel's sshlogin format,
 * [N/][user@]host[:port], several joined by commas; ":" is this machine.
 * Pure parsing: no connection is made here (remote.h does that).
 */
#ifndef PMAPF_SSHLOGIN_H
#define PMAPF_SSHLOGIN_H

#include <stdbool.h>
#include <stddef.h>

struct sshlogin {
	char *name;     /* as given, without N/: the joblog's Host */
	char *user;     /* NULL: ssh's own choice */
	char *host;     /* ":" for this machine */
	char *port;     /* NULL: ssh's own choice */
	unsigned slots; /* N/: jobs at once there; 0: not given */
	bool local;
};

struct sshlogins {
	struct sshlogin *v;
	size_t n;
};

/*
 * Add the logins of one -S argument (comma-separated; empty parts are
 * skipped, as GNU parallel does).  0, or -1 with why in err (a
 * malformed login: the message names it), or -1 with err "" and errno
 * ENOMEM.  A login given twice is kept once (the larger N/ wins).
 */
int sshlogins_add(struct sshlogins *s, const char *arg, char *err,
                  size_t errlen);
/* The same for the lines of a --sshloginfile: blank lines and lines
 * starting with # are skipped. */
int sshlogins_add_lines(struct sshlogins *s, const char *text, size_t len,
                        char *err, size_t errlen);
void sshlogins_free(struct sshlogins *s);
/* True if some login is another machine. */
bool sshlogins_remote(const struct sshlogins *s);

#endif
