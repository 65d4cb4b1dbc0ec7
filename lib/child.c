#include "config.h"

#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buf.h"
#include "guard.h"
#include "io.h"

extern char **environ;

static int
check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return errno == ENOTDIR ? ENOENT : errno;
	/* execve says EACCES for a directory, which sends people looking
	 * at permissions: say what it is, as shells do. */
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (access(path, X_OK) == -1)
		return errno;
	return 0;
}

int
child_resolve(const char *name, char **path)
{
	const char *dirs, *p, *colon;
	struct buf cand = BUF_INIT;
	int err, best = ENOENT;

	if (*name == '\0')
		return ENOENT;
	if (strchr(name, '/') != NULL) {
		err = check_exec(name);
		if (err != 0)
			return err;
		*path = strdup(name);
		return *path ? 0 : ENOMEM;
	}
	dirs = getenv("PATH");
	if (dirs == NULL)
		dirs = "/usr/local/bin:/bin:/usr/bin";
	for (p = dirs;; p = colon + 1) {
		colon = strchr(p, ':');
		buf_reset(&cand);
		/* An empty PATH element means the current directory. */
		if ((colon ? colon > p : *p != '\0') &&
		    (buf_append(&cand, p,
		                colon ? (size_t)(colon - p) : strlen(p)) ==
		         -1 ||
		     buf_appendc(&cand, '/') == -1)) {
			buf_free(&cand);
			return ENOMEM;
		}
		if (buf_appends(&cand, name) == -1) {
			buf_free(&cand);
			return ENOMEM;
		}
		err = check_exec(cand.data);
		if (err == 0) {
			*path = cand.data; /* ownership passes to the caller */
			return 0;
		}
		/* A directory on PATH is no program: as execvp, a name
		 * found but not runnable is EACCES. */
		if (err == EACCES || err == EISDIR)
			best = EACCES;
		if (colon == NULL)
			break;
	}
	buf_free(&cand);
	return best;
}

int
child_stop(pid_t pid, int sig, double until)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	int st = 0;
	pid_t r;

	if (sig != 0)
		(void)killpg(pid, sig);
	for (;;) {
		bool late = sig == 0 || io_now() >= until;

		if (late)
			(void)killpg(pid, SIGKILL);
		r = waitpid(pid, &st, late ? 0 : WNOHANG);
		if (r == pid) {
			guard_reaped(pid);
			return st;
		}
		if (r == -1 && errno != EINTR)
			return 0;
		if (r == 0)
			(void)nanosleep(&tick, NULL);
	}
}

int
child_error_status(int err)
{
	return err == ENOENT ? 127 : 126;
}

/* Signals pmapf catches or ignores (see sig.c): the only ones a child must
 * reset before exec (an ignored one, such as the SIGINT of a background
 * job, would otherwise stay ignored in every job). */
static const int reset_in_child[] = {SIGCHLD, SIGINT,  SIGTERM,
                                     SIGHUP,  SIGUSR1, SIGWINCH,
                                     SIGTSTP, SIGCONT, SIGPIPE};

static int devnull_fd = -1;
/* --nice: the jobs' niceness, or NO_NICE to leave it as pmapf's. */
#define NO_NICE INT_MIN
static int jobs_nice = NO_NICE;

void
child_set_nice(int niceness)
{
	jobs_nice = niceness < -20 ? -20 : niceness > 19 ? 19 : niceness;
}

/* In a new child (before exec), or from the parent for one that exists:
 * a failure leaves the job at pmapf's niceness, as nice(1) runs the
 * command anyway. */
static void
apply_nice(pid_t pid)
{
	if (jobs_nice != NO_NICE)
		(void)setpriority(PRIO_PROCESS, (id_t)pid, jobs_nice);
}

#ifdef PMAPF_VFORK_SPAWN
/* The soft descriptor limit pmapf found, for its children. */
static struct rlimit nofile_found;
static bool nofile_raised;

void
child_raise_nofile(void)
{
	struct rlimit rl;

	if (nofile_raised || getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur >= rl.rlim_max)
		return;
	nofile_found = rl;
	/* Linux refuses an infinite descriptor limit. */
	rl.rlim_cur =
	    rl.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 20 : rl.rlim_max;
	nofile_raised = rl.rlim_cur > nofile_found.rlim_cur &&
	                setrlimit(RLIMIT_NOFILE, &rl) == 0;
}
#else
void
child_raise_nofile(void)
{
	/* posix_spawn cannot give jobs a lower limit back: leave it. */
}
#endif

int
child_init(void)
{
	if (devnull_fd == -1 &&
	    (devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	return 0;
}

#ifdef PMAPF_VFORK_SPAWN

/*
 * vfork: the child borrows our memory until it execs, so it may only make
 * async-signal-safe system calls and store into err_out.  We block every
 * signal around it so none of our handlers can run in the child before
 * its dispositions are reset.
 */
static int
spawn_vfork(const char *path, char *const argv[], char *const envp[], int in_fd,
            int out_fd, int err_fd, pid_t *pidp)
{
	volatile int child_errno = 0;
	sigset_t all, old;
	struct sigaction dfl;
	pid_t parent = getpid(), pid;
	size_t i;

	if (child_init() == -1)
		return errno;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, &old) == -1)
		return errno;
	pid = vfork();
	if (pid == 0) {
		for (i = 0;
		     i < sizeof reset_in_child / sizeof reset_in_child[0]; i++)
			(void)sigaction(reset_in_child[i], &dfl, NULL);
		if (setpgid(0, 0) == -1 ||
		    /* A pmapf killed by SIGKILL cannot clean up: let the
		     * kernel end its jobs instead of leaving them running. */
		    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent ||
		    dup2(in_fd >= 0 ? in_fd : devnull_fd, STDIN_FILENO) == -1 ||
		    dup2(out_fd, STDOUT_FILENO) == -1 ||
		    dup2(err_fd, STDERR_FILENO) == -1) {
			child_errno = errno ? errno : ESRCH;
			_exit(127);
		}
		if (nofile_raised)
			(void)setrlimit(RLIMIT_NOFILE, &nofile_found);
		apply_nice(0);
		sigemptyset(&all);
		(void)sigprocmask(SIG_SETMASK, &all, NULL);
		execve(path, argv, envp);
		child_errno = errno;
		_exit(127);
	}
	i = (size_t)errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		return (int)i;
	if (child_errno != 0) {
		/* It has exited already: reap it here, not in the loop. */
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		return child_errno;
	}
	*pidp = pid;
	return 0;
}
#else
static int
spawn_posix(const char *path, char *const argv[], char *const envp[], int in_fd,
            int out_fd, int err_fd, pid_t *pidp)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	size_t i;
	int rc;

	sigemptyset(&none);
	sigemptyset(&defaults);
	for (i = 0; i < sizeof reset_in_child / sizeof reset_in_child[0]; i++)
		sigaddset(&defaults, reset_in_child[i]);
	rc = posix_spawn_file_actions_init(&fa);
	if (rc != 0)
		return rc;
	rc = posix_spawnattr_init(&attr);
	if (rc != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if ((rc = in_fd >= 0 ? posix_spawn_file_actions_adddup2(&fa, in_fd,
	                                                        STDIN_FILENO)
	                     : posix_spawn_file_actions_addopen(
	                           &fa, STDIN_FILENO, "/dev/null", O_RDONLY,
	                           0)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, out_fd,
	                                           STDOUT_FILENO)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, err_fd,
	                                           STDERR_FILENO)) == 0 &&
	    (rc = posix_spawnattr_setflags(
	         &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
	                    POSIX_SPAWN_SETSIGDEF)) == 0 &&
	    (rc = posix_spawnattr_setpgroup(&attr, 0)) == 0 &&
	    (rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
	    (rc = posix_spawnattr_setsigdefault(&attr, &defaults)) == 0)
		rc = posix_spawn(pidp, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return rc;
}
#endif

int
child_spawn(const char *path, char *const argv[], char *const envp[], int in_fd,
            struct child *c)
{
	int out[2], errp[2], rc;
	pid_t pid = 0;

	if (io_pipe_nonblock(out, 0) == -1)
		return errno;
	if (io_pipe_nonblock(errp, 0) == -1) {
		rc = errno;
		close(out[0]);
		close(out[1]);
		return rc;
	}
	if (envp == NULL)
		envp = environ;
#ifdef PMAPF_VFORK_SPAWN
	rc = spawn_vfork(path, argv, envp, in_fd, out[1], errp[1], &pid);
#else
	rc = spawn_posix(path, argv, envp, in_fd, out[1], errp[1], &pid);
#endif
	close(out[1]);
	close(errp[1]);
	if (rc != 0) {
		close(out[0]);
		close(errp[0]);
		return rc;
	}
#ifndef PMAPF_VFORK_SPAWN
	/* posix_spawn cannot: set from here, a moment after it starts. */
	apply_nice(pid);
#endif
	guard_add(pid);
	c->pid = pid;
	c->out_fd = out[0];
	c->err_fd = errp[0];
	c->in_fd = -1;
	return 0;
}

size_t
child_arg_max(int one_arg)
{
	long max = sysconf(_SC_ARG_MAX);
	size_t n, env = 0;
	char **e;

	if (max <= 0)
		max = 131072; /* POSIX's smallest _POSIX_ARG_MAX is 4096 */
	for (e = environ; e != NULL && *e != NULL; e++)
		env += strlen(*e) + 1 + sizeof *e;
	n = (size_t)max > env + 4096 ? (size_t)max - env - 2048 : 2048;
	/* Linux: MAX_ARG_STRLEN, 32 pages, for any one argument. */
	if (one_arg && n > 131072 - 1)
		n = 131072 - 1;
	return n;
}

void
child_close_from(int lowfd)
{
#if defined(__linux__) && defined(HAVE_CLOSE_RANGE)
	if (close_range((unsigned)lowfd, ~0U, 0) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = lowfd; fd < max; fd++)
		(void)close(fd);
}

int
child_fork_worker(int (*fn)(void *), void *arg, struct child *c)
{
	int req[2], rep[2], rc, sig;
	pid_t pid, parent = getpid();
	sigset_t none;

	if (pipe2(req, O_CLOEXEC) == -1)
		return errno;
	if (io_pipe_nonblock(rep, 0) == -1) {
		rc = errno;
		close(req[0]);
		close(req[1]);
		return rc;
	}
	pid = fork();
	if (pid == -1) {
		rc = errno;
		close(req[0]);
		close(req[1]);
		close(rep[0]);
		close(rep[1]);
		return rc;
	}
	if (pid == 0) {
		/* The worker must not hold any other worker's or job's pipe:
		 * a stray write end would keep EOF from ever arriving. */
		for (sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				(void)signal(sig, SIG_DFL);
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)setpgid(0, 0);
		apply_nice(0);
#ifdef __linux__
		/* Die with pmapf even if it is SIGKILLed. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
#endif
		if (dup2(req[0], STDIN_FILENO) == -1 ||
		    dup2(rep[1], STDOUT_FILENO) == -1)
			_exit(127);
		child_close_from(STDERR_FILENO + 1);
		_exit(fn(arg));
	}
	(void)setpgid(pid, pid);
	guard_add(pid);
	close(req[0]);
	close(rep[1]);
	c->pid = pid;
	c->out_fd = rep[0];
	c->err_fd = -1;
	c->in_fd = req[1];
	return 0;
}
