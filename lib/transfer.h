/*
 * -S with files: the local script a remote job runs as when it has files
 * to send (--transferfile), bring back (--return) or remove (--cleanup),
 * or a --workdir: rsync over the host's master connection, then the
 * job's ssh, then rsync back, then the removal (GNU parallel's order and
 * its mapping of paths: a relative path goes under the work dir, an
 * absolute one stays where it is, and what follows a /./ goes under the
 * work dir).  Pure: words in, a /bin/sh script out.
 */
#ifndef PMAPF_TRANSFER_H
#define PMAPF_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct transfer_job {
	char *const *ssh; /* ssh and its options, up to the host (NULL-ended) */
	const char *host; /* the host, as ssh and rsync are given it */
	char *const *job; /* the job's own ssh command (NULL-ended; NULL:
	                     none, only files move) */
	const char *workdir;   /* where it runs there ("": the login dir) */
	bool rm_workdir;       /* --workdir ... with --cleanup: remove it too */
	char *const *send;     /* files to send first (NULL-ended) */
	char *const *back;     /* files to bring back after (NULL-ended) */
	bool cleanup;          /* remove what was sent and brought back */
	const char *bootstrap; /* remote.h's fixed command, for the removal */
};

/*
 * The script, for /bin/sh -c.  Its exit status is the job's ssh's; a
 * file that cannot be sent ends it with 255 before the job's command
 * began (so it counts against the host, as a failed connection does),
 * saying so; a file that cannot be brought back is said, and the job
 * fails (1) if it had succeeded.  0, or -1/ENOMEM.
 */
int transfer_script(struct buf *out, const struct transfer_job *t);
/* The local script that removes files on the host (--basefile's, with
 * --cleanup); of t only ssh, host, workdir and bootstrap count. */
int transfer_remove(struct buf *out, const struct transfer_job *t,
                    char *const *files);

/* The one-line script (for remote.h's bootstrap) that removes the files
 * sent and brought back (either list may be NULL), their emptied
 * directories below workdir, and with rm_workdir workdir itself. */
int transfer_rm_script(struct buf *out, const char *workdir, char *const *send,
                       char *const *back, bool rm_workdir);

#endif
