/*
 * Jobs on other machines over ssh (-S).  Each remote login gets one
 * ControlMaster connection, opened before the first job (in a private
 * directory, closed at the end; ControlPersist ends it within 30 s of
 * the last job if pmapf is killed outright), and every job runs as a
 * session over it:
 *
 *   ssh -o ControlPath=DIR/I [-l user] [-p port] host \
 *       exec /bin/sh -c 'IFS= read -r s && eval "$s"'
 *
 * That fixed string means the same to any login shell (sh, bash, csh,
 * fish); the job itself comes as the first line of ssh's stdin, a
 * script (remote_script) that writes a byte to stderr to say the command
 * has started (so ssh's status 255 can be told from the command's),
 * runs the command with every word quoted for sh, in its own session
 * where setsid exists, and kills that when its stdin reaches EOF: when
 * pmapf ends the ssh process (Ctrl-C, --timeout, --halt), nothing keeps
 * running on the host.  pmapf holds ssh's stdin open until the job ends.
 *
 * Job slots are given to the logins in turn (slot 1 the first login's,
 * slot 2 the second's...), so jobs spread over the hosts.
 */
#ifndef PMAPF_REMOTE_H
#define PMAPF_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "progress.h"
#include "remote_script.h"
#include "sshlogin.h"

/* The byte the script writes to stderr once the command starts. */
#define REMOTE_STARTED '\001'

struct remote {
	const struct sshlogins *logins;
	char **ssh; /* --ssh, as words; NULL-terminated */
	size_t nssh;
	char *dir;          /* the control sockets' directory */
	bool *up;           /* per login: its master connection is open */
	unsigned *slot_of;  /* slot (1..nslots) -> login */
	unsigned *group_of; /* slot -> its login's master connection */
	unsigned *masters;  /* per login: master connections (10 slots each) */
	unsigned nslots;    /* slots of the logins that are up */
	char **argv;        /* a job's ssh command (scratch) */
	char path[128];     /* scratch: a ControlPath option, a file */
	char errfile[128];  /* scratch: where a master's stderr goes */
	/* Per login: ssh failed this many times in a row before a job's
	 * command began; it is down (no more jobs go there). */
	unsigned *fails;
	bool *down;
	unsigned *cpus;             /* per login: its CPUs, when asked */
	struct progress_host *view; /* per login: its jobs, shown */
	char said[256];             /* what ssh said of a failed connection */
};

/*
 * Open a master connection to each remote login of logins (ssh's own
 * messages go to stderr) and lay out the job slots: per login its N/,
 * else per_login.  A login that cannot be reached is said and left out;
 * if none is left, -1 (said).  ssh_cmd: --ssh, or NULL for "ssh".
 */
int remote_open(struct remote *r, const struct sshlogins *logins,
                const char *ssh_cmd, unsigned per_login, bool quiet);
/* Close the master connections.  Safe on a zeroed struct. */
void remote_close(struct remote *r);
/* The job slots there are. */
unsigned remote_slots(const struct remote *r);
/* Where slot k runs its job. */
const struct sshlogin *remote_login(const struct remote *r, unsigned k);
/*
 * A job on l ended: its command began there, or ssh failed (255) before
 * it did -- the connection, not the command.  After REMOTE_FAILS_MAX
 * such failures in a row l is down (said, once): its slots stay unused.
 * remote_fault is true if l is down now.
 */
#define REMOTE_FAILS_MAX 3
bool remote_fault(struct remote *r, const struct sshlogin *l);
void remote_began(struct remote *r, const struct sshlogin *l);
bool remote_down(const struct remote *r, const struct sshlogin *l);
/* Job slots of logins that are up. */
unsigned remote_slots_up(const struct remote *r);
/* The ssh command that runs a job on login l in slot k (its master
 * connection; 0: the first) (valid until the next call). */
char *const *remote_argv(struct remote *r, const struct sshlogin *l,
                         unsigned k);
/* ssh and its options for l and slot k, without the host (valid until
 * the next call), for rsync's -e and the like. */
char *const *remote_ssh_words(struct remote *r, const struct sshlogin *l,
                              unsigned k);

#endif
