/*
 * The guardian: a small process that outlives pmapf just long enough to
 * kill what pmapf's jobs left behind.  Every job leads its own process
 * group; a grandchild (the `sleep` of `sh -c 'sleep 30; echo x'`) stays
 * in that group, but PR_SET_PDEATHSIG reaches only the job itself.  pmapf
 * tells the guardian through a pipe which groups exist; when the pipe
 * reaches end of file -- pmapf ended, however it ended, SIGKILL included --
 * the guardian SIGKILLs every group still listed and exits.
 *
 * All functions keep errno; after any failure to reach the guardian pmapf
 * goes on without one, silently.
 */
#ifndef PMAPF_GUARD_H
#define PMAPF_GUARD_H

#include <sys/types.h>

/*
 * Start the guardian, before the first job: double-forked (never pmapf's
 * child, never seen by its waitpid), in a session of its own, deaf to
 * terminal and termination signals.  0, or -1 with errno set (pmapf then
 * runs without one).  scratch (absolute; NULL: none) is a directory the
 * guardian removes if pmapf ends without guard_stop (scratch_remove).
 */
int guard_start(const char *scratch);

/* The process group pgid (a job just spawned: its pid) now exists. */
void guard_add(pid_t pgid);

/*
 * pmapf reaped the leader of pgid.  An empty group is forgotten at once;
 * one with members left is re-checked at every later guard_reaped and at
 * guard_stop, and forgotten once empty, so that the guardian never holds
 * an id the kernel may give to someone else's group.
 */
void guard_reaped(pid_t pgid);

/*
 * Normal end: the guardian kills whatever is still listed (processes
 * that jobs left running in the background) and exits; returns once it
 * has (waiting at most two seconds).
 */
void guard_stop(void);

#endif
