/*
 * The shell -s runs, chosen as GNU parallel chooses it: $PARALLEL_SHELL,
 * else the shell pmapf was started from, else $SHELL, else /bin/sh; so
 * `export -f doit` in bash, then `pmapf -s doit ::: a`, finds doit.  Only
 * shells whose quoting pmapf's (POSIX single quotes) is exact for are
 * taken; for another (csh, tcsh, fish, or one it does not know) the
 * choice falls back to /bin/sh, and the caller says so once.  A parent
 * that is no shell (make, python) is passed over.
 */
#ifndef PMAPF_SHELL_H
#define PMAPF_SHELL_H

#include <stdbool.h>

enum shell_kind { SHELL_NOT, SHELL_POSIX, SHELL_UNSAFE };

/* What a program's name (a path or basename) is: a shell pmapf can quote
 * for (sh, dash, bash, ksh, mksh, zsh, ash, yash, posh), one it cannot
 * (csh, tcsh, fish, rc), or not a shell it knows. */
enum shell_kind shell_kind(const char *name);

struct shell_choice {
	char path[4096];    /* the shell to run */
	char refused[4096]; /* "": none; else the shell that was not safe */
};

/*
 * Choose, from parallel_shell ($PARALLEL_SHELL or NULL), the parent's
 * executable (parent_exe, as /proc/PPID/exe reads, or NULL) and shell
 * ($SHELL or NULL).  Pure: the caller reads the environment.
 */
void shell_choose(struct shell_choice *c, const char *parallel_shell,
                  const char *parent_exe, const char *shell);
/* shell_choose with this process's environment and parent. */
void shell_choose_here(struct shell_choice *c);

#endif
