/* launch.c, launch_pool.c (workers), launch_remote.c (-S) and
 * launch_session.c: what one asks of another.  Not a public face. */
#ifndef PMAPF_LAUNCH_INT_H
#define PMAPF_LAUNCH_INT_H

#include "child.h"
#include "launch.h"

/* A job that ended before it ran: released, status given, on the
 * done list. */
enum launch_result launch_ended(struct launch *l, struct job *j, int status);
/* -S, --slurm: the login or node slot k runs its jobs on (":" here);
 * NULL without either. */
const struct sshlogin *launch_slot_place(const struct launch *l, unsigned k);
/* Short of descriptors, processes or memory: a limit, not a failure of
 * the job. */
bool launch_resource_error(int err);
/* --workers, the built-in (launch_pool.c): the pool set up (0, or -1,
 * said); j given to a worker. */
int launch_pool_init(struct launch *l);
enum launch_result launch_pool_start(struct launch *l, struct job *j,
                                     double now);

/* The hosts' connections, their slots (l->limit), ssh found, the files
 * of --transferfile/--return/--basefile.  0, or -1 (said). */
int launch_remote_init(struct launch *l);
/* -S sessions (launch_session.c): set up (0, or -1/ENOMEM); j to
 * its slot's session (started if need be) as launch_remote_spawn;
 * j's process ended or j finished: false while j still reads from the
 * session (its slot is not free yet); a child reaped: true if it was a
 * session's ssh; the end (every session closed). */
int launch_session_init(struct launch *l);
int launch_session_spawn(struct launch *l, struct job *j,
                         const struct sshlogin *h, struct child *c);
bool launch_session_release(struct launch *l, struct job *j);
bool launch_session_reaped(struct launch *l, pid_t pid);
/* Each loop turn: a session whose job's stderr has not ended a while
 * after its stdout did is closed, and sessions are given up (said); the
 * time to look again (0: none). */
void launch_session_tick(struct launch *l, double now);
double launch_session_deadline(const struct launch *l);
void launch_session_free(struct launch *l);
/* The end: --basefile's removed (--cleanup), the connections closed. */
void launch_remote_free(struct launch *l);
/* The host slot k runs its job on, or NULL: this machine. */
const struct sshlogin *launch_remote_where(const struct launch *l, unsigned k);
/* Spawn j's ssh to h (remote.h), its script on its stdin.  0 or an
 * errno value. */
int launch_remote_spawn(struct launch *l, struct job *j,
                        const struct sshlogin *h, struct child *c);
/* --onall: take j's login's slot: the slot, 0 when it is busy, or -1
 * (said) when the login is not up; -2 with --filter-hosts (not said: j
 * is to be skipped). */
int launch_pin_take(struct launch *l, struct job *j);
/* --workers -S: what worker k (its slot) runs: ssh to the slot's host,
 * its script first on its stdin (remote_worker_script), or the command
 * here for ":"; NULL with errno EHOSTDOWN when the host is down. */
const char *launch_remote_worker(struct launch *l, unsigned k,
                                 char *const **argv, const char **pre,
                                 size_t *pre_len);
/* --workers -S: j was answered (its host's connection works).  j's
 * worker ended before answering (wstatus; began: its command had begun
 * there): true if j is to run again, ssh having failed (255) -- before
 * the worker began, the host's fault (counted: remote_fault); after, the
 * host lost or the worker's own 255, which only 3 times run again. */
void launch_remote_answered(struct launch *l, const struct job *j);
bool launch_remote_lost(struct launch *l, const struct job *j, int wstatus,
                        bool began);
/* j has started (counted for its host's display). */
void launch_remote_started(struct launch *l, struct job *j);
/* j's process ended: false if its slot is not to be given again (its
 * host is down). */
bool launch_remote_release(struct launch *l, struct job *j);

/* Jobs may run on another machine (-S, --slurm): only then has a job a
 * host, a session or a place in the hosts' display. */
static inline bool
launch_elsewhere(const struct launch *l)
{
	return l->remote_on || l->slurm_on;
}

#endif
