/*
 * Starting child processes.  Jobs get /dev/null as stdin (they must never
 * eat pmapf's input), workers a pipe from pmapf; each its own process group (so
 * pmapf can stop or kill a job and everything it started), default signal
 * dispositions and an empty signal mask.  Every group started here is
 * reported to the guardian (guard.h).
 */
#ifndef PMAPF_CHILD_H
#define PMAPF_CHILD_H

#include <sys/types.h>

struct child {
	pid_t pid;
	int out_fd; /* parent's non-blocking read end of the child's stdout */
	int err_fd; /* ... of its stderr; -1 for a forked worker */
	int in_fd;  /* a forked worker's stdin: the parent's write end; -1 */
};

/* Before any child: open what every spawn needs (/dev/null), so a run at
 * the descriptor limit fails at once or not at all.  0, or -1/errno. */
int child_init(void);

/*
 * Raise the soft RLIMIT_NOFILE to the hard limit, so -j1000 is not cut
 * short by the common soft limit of 1024 (each job holds two pipes);
 * jobs are started with the soft limit found, as they would have had
 * without pmapf.  Only where that can be given back (the vfork path);
 * elsewhere nothing changes.
 */
void child_raise_nofile(void);

/* --nice: jobs started from now on run at this niceness (kept within
 * -20..19), as GNU parallel sets it. */
void child_set_nice(int niceness);

/*
 * Find a command the way execvp would, once, so jobs need no PATH search.
 * 0 with *path malloc'd, or an errno value: ENOENT (not found), EACCES
 * (found, not executable), EISDIR (a name with a slash that is a
 * directory), ENOMEM.
 */
int child_resolve(const char *name, char **path);

/*
 * Start path with argv and envp (NULL: pmapf's own); stdin is in_fd (or
 * /dev/null if -1), stdout and stderr go to fresh pipes (out_fd,
 * err_fd).  0, or an errno value: why the program could not be run.
 */
int child_spawn(const char *path, char *const argv[], char *const envp[],
                int in_fd, struct child *c);

/*
 * Fork a worker that runs fn(arg) with fd 0 reading what the parent writes
 * to c->in_fd and fd 1 feeding c->out_fd; it exits with fn's result.
 * Every other descriptor is closed in the worker.  0, or an errno value.
 */
int child_fork_worker(int (*fn)(void *), void *arg, struct child *c);

/* Bytes of arguments a command may be given (ARG_MAX less the
 * environment and POSIX's 2048 of headroom, as xargs counts); one_arg:
 * all in one argument (a script), which Linux caps at 128 KiB. */
size_t child_arg_max(int one_arg);

/*
 * Stop child pid, the leader of its process group, and reap it: sig to
 * the group first (0: none), then SIGKILL once it is still there at
 * `until` (io_now()'s clock).  Blocks until then at most: for the end of
 * a worker or of the run, not a loop turn.  Its wait status, or 0 if it
 * was reaped elsewhere.
 */
int child_stop(pid_t pid, int sig, double until);

/* Exit status for a job that could not start: 127 not found, else 126. */
int child_error_status(int err);

/* Close every descriptor from lowfd up: for a new process that must hold
 * none of its parent's pipes. */
void child_close_from(int lowfd);

#endif
