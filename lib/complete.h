/*
 * Shell completion scripts for bash, zsh and fish, written from the same
 * option table the parser reads, so they cannot drift from it.  Pure:
 * a table in, a script out.
 *
 * What each script completes: option names; an option's value by its kind
 * (file names, or one of a fixed set of words; nothing for numbers);
 * command names where COMMAND starts (after the options, or after --);
 * after COMMAND, whatever that command's own completion gives.
 */
#ifndef PMAPF_COMPLETE_H
#define PMAPF_COMPLETE_H

#include <stddef.h>

#include "buf.h"

enum complete_arg {
	COMPLETE_NONE,   /* a flag */
	COMPLETE_NUMBER, /* a value with nothing to offer */
	COMPLETE_WORD,   /* free text (a template, say) */
	COMPLETE_FILE,
	COMPLETE_CHOICE, /* one of choices */
	/* One of choices, only after '=' (--opt=x); --opt alone is a flag
	 * and the next word is not its value.  Long options only. */
	COMPLETE_CHOICE_EQ
};

struct complete_opt {
	const char *name; /* long name, without the dashes */
	char short_name;  /* or 0 */
	enum complete_arg arg;
	const char *arg_name; /* "N", "FILE"...: what zsh shows */
	const char *choices;  /* COMPLETE_CHOICE: words, space-separated */
	const char *desc;     /* a few words for zsh and fish */
	int key;              /* the caller's own (getopt's val); unused here */
};

enum complete_shell { COMPLETE_BASH, COMPLETE_ZSH, COMPLETE_FISH };

/* "bash", "zsh" or "fish": 0 and *shell set, or -1. */
int complete_shell_parse(const char *name, enum complete_shell *shell);

/*
 * Append the script for prog's n options to out.  0, or -1/ENOMEM, or
 * -1/EINVAL if a name or choice holds more than [A-Za-z0-9_.,+-] (and
 * single spaces between choices): those go into the scripts unquoted.
 * Descriptions may hold anything printable; they are quoted for each
 * shell.
 */
int complete_script(struct buf *out, enum complete_shell shell,
                    const char *prog, const struct complete_opt *opts,
                    size_t n);

#endif
