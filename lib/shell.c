#include "config.h"

#include "shell.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum shell_kind
shell_kind(const char *name)
{
	static const char *const posix[] = {"sh",    "dash", "bash", "ksh",
	                                    "ksh93", "mksh", "lksh", "pdksh",
	                                    "zsh",   "ash",  "yash", "posh"};
	static const char *const unsafe[] = {"csh", "tcsh", "fish", "rc", "es"};
	const char *base = strrchr(name, '/');
	size_t i;

	base = base ? base + 1 : name;
	/* A login shell's argv[0] starts with '-'. */
	if (*base == '-')
		base++;
	for (i = 0; i < sizeof posix / sizeof posix[0]; i++)
		if (strcmp(base, posix[i]) == 0)
			return SHELL_POSIX;
	for (i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
		if (strcmp(base, unsafe[i]) == 0)
			return SHELL_UNSAFE;
	return SHELL_NOT;
}

static void
take(struct shell_choice *c, const char *path)
{
	if (shell_kind(path) == SHELL_POSIX && strlen(path) < sizeof c->path) {
		snprintf(c->path, sizeof c->path, "%s", path);
		return;
	}
	snprintf(c->refused, sizeof c->refused, "%s", path);
	snprintf(c->path, sizeof c->path, "/bin/sh");
}

void
shell_choose(struct shell_choice *c, const char *parallel_shell,
             const char *parent_exe, const char *shell)
{
	c->refused[0] = '\0';
	if (parallel_shell != NULL && *parallel_shell != '\0')
		take(c, parallel_shell);
	else if (parent_exe != NULL && shell_kind(parent_exe) != SHELL_NOT)
		take(c, parent_exe);
	else if (shell != NULL && *shell != '\0')
		take(c, shell);
	else
		snprintf(c->path, sizeof c->path, "/bin/sh");
}

void
shell_choose_here(struct shell_choice *c)
{
	char link[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/%ld/exe", (long)getppid());
	n = readlink(link, exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	shell_choose(c, getenv("PARALLEL_SHELL"), n > 0 ? exe : NULL,
	             getenv("SHELL"));
}
