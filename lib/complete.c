#include "config.h"

#include "complete.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

int
complete_shell_parse(const char *name, enum complete_shell *shell)
{
	if (strcmp(name, "bash") == 0)
		*shell = COMPLETE_BASH;
	else if (strcmp(name, "zsh") == 0)
		*shell = COMPLETE_ZSH;
	else if (strcmp(name, "fish") == 0)
		*shell = COMPLETE_FISH;
	else
		return -1;
	return 0;
}

/* Collects the first error so the writers below can stay straight-line. */
struct out {
	struct buf *b;
	int rc;
};

static void
put(struct out *o, const char *s)
{
	if (o->rc == 0)
		o->rc = buf_appends(o->b, s);
}

static void
putc_(struct out *o, char c)
{
	if (o->rc == 0)
		o->rc = buf_appendc(o->b, c);
}

/* s inside single quotes, for a shell (bash, zsh). */
static void
put_sq(struct out *o, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\'')
			put(o, "'\\''");
		else
			putc_(o, *s);
}

/* A description inside zsh's [...] of an _arguments spec, in single
 * quotes: brackets and colons are its syntax, so they are escaped. */
static void
put_zsh_desc(struct out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
			putc_(o, '\\');
		if (*s == '\'')
			put(o, "'\\''");
		else
			putc_(o, *s);
	}
}

/* Inside fish's single quotes only \ and ' are special. */
static void
put_fish_sq(struct out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			putc_(o, '\\');
		putc_(o, *s);
	}
}

static bool
takes_value(const struct complete_opt *op)
{
	return op->arg != COMPLETE_NONE;
}

/* The next word is its value (not so for --opt[=x]). */
static bool
takes_next_word(const struct complete_opt *op)
{
	return op->arg != COMPLETE_NONE && op->arg != COMPLETE_CHOICE_EQ;
}

static bool
is_choice(const struct complete_opt *op)
{
	return op->arg == COMPLETE_CHOICE || op->arg == COMPLETE_CHOICE_EQ;
}

/* The short options that take a value, as a bracket expression's body
 * ("jNd"); empty if none. */
static void
short_with_value(const struct complete_opt *opts, size_t n, char *set,
                 size_t room)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < room; i++)
		if (opts[i].short_name != 0 && takes_next_word(&opts[i]))
			set[k++] = opts[i].short_name;
	set[k] = '\0';
}

/* "--jobs | --max-args | ..." or "--jobs --max-args ...". */
static void
long_with_value(struct out *o, const struct complete_opt *opts, size_t n,
                const char *sep)
{
	size_t i;
	bool first = true;

	for (i = 0; i < n; i++) {
		if (!takes_next_word(&opts[i]))
			continue;
		if (!first)
			put(o, sep);
		put(o, "--");
		put(o, opts[i].name);
		first = false;
	}
}

static void
bash_values(struct out *o, const char *prog, const struct complete_opt *opts,
            size_t n)
{
	size_t i;

	put(o, "# An option's value: _");
	put(o, prog);
	put(o, "_value OPTION PREFIX.\n_");
	put(o, prog);
	put(o, "_value()\n{\n\tcase $1 in\n");
	for (i = 0; i < n; i++) {
		if (opts[i].arg != COMPLETE_FILE && !is_choice(&opts[i]))
			continue;
		put(o, "\t--");
		put(o, opts[i].name);
		if (opts[i].short_name != 0) {
			put(o, " | -");
			putc_(o, opts[i].short_name);
		}
		if (opts[i].arg == COMPLETE_FILE) {
			put(o, ")\n\t\tcompopt -o filenames 2>/dev/null\n"
			       "\t\tmapfile -t COMPREPLY < <(compgen -f -- "
			       "\"$2\")\n\t\t;;\n");
		} else {
			put(o, ")\n\t\tmapfile -t COMPREPLY < <(compgen -W '");
			put_sq(o, opts[i].choices);
			put(o, "' -- \"$2\")\n\t\t;;\n");
		}
	}
	put(o, "\tesac\n}\n\n");
}

static void
bash_script(struct out *o, const char *prog, const struct complete_opt *opts,
            size_t n)
{
	char shorts[64];
	size_t i;

	short_with_value(opts, n, shorts, sizeof shorts);
	put(o, "# bash completion for ");
	put(o, prog);
	put(o, ", written by '");
	put(o, prog);
	put(o, " --completion=bash'.\n\n");
	bash_values(o, prog, opts, n);
	put(o, "_");
	put(o, prog);
	put(o, "()\n{\n"
	       "\tlocal -a words=() at=()\n"
	       "\tlocal w s c i k=-1 glue=0 cword=0 cur pending= cmd=0\n"
	       "\t# bash splits --opt=a:b into --opt, =, a, :, b: join them "
	       "again,\n"
	       "\t# remembering where each word began.\n"
	       "\tfor ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do\n"
	       "\t\tw=${COMP_WORDS[i]}\n"
	       "\t\tif ((k >= 0)) && [[ $w == [=:] || $glue == 1 ]]; then\n"
	       "\t\t\twords[k]+=$w\n"
	       "\t\t\t[[ $w == [=:] ]] && glue=1 || glue=0\n"
	       "\t\telse\n"
	       "\t\t\twords[++k]=$w\n"
	       "\t\t\tat[k]=$i\n"
	       "\t\t\tglue=0\n"
	       "\t\tfi\n"
	       "\t\t((i == COMP_CWORD)) && cword=$k\n"
	       "\tdone\n"
	       "\tcur=${words[cword]}\n"
	       "\t# Where COMMAND starts: past the options and their values, "
	       "or\n"
	       "\t# after --.\n"
	       "\tfor ((i = 1; i < cword; i++)); do\n"
	       "\t\tw=${words[i]}\n"
	       "\t\tif [[ -n $pending ]]; then\n"
	       "\t\t\tpending=\n"
	       "\t\t\tcontinue\n"
	       "\t\tfi\n"
	       "\t\tcase $w in\n"
	       "\t\t--) cmd=$((i + 1)); break ;;\n"
	       "\t\t--*=*) ;;\n");
	put(o, "\t\t");
	long_with_value(o, opts, n, " | ");
	put(o, ") pending=$w ;;\n"
	       "\t\t--*) ;;\n"
	       "\t\t-?*)\n"
	       "\t\t\ts=${w#-}\n"
	       "\t\t\twhile [[ -n $s ]]; do\n"
	       "\t\t\t\tc=${s:0:1}\n"
	       "\t\t\t\ts=${s:1}\n");
	if (shorts[0] != '\0') {
		put(o, "\t\t\t\tif [[ $c == [");
		put(o, shorts);
		put(o, "] ]]; then\n"
		       "\t\t\t\t\t[[ -z $s ]] && pending=-$c\n"
		       "\t\t\t\t\tbreak\n"
		       "\t\t\t\tfi\n");
	}
	put(o, "\t\t\tdone\n"
	       "\t\t\t;;\n"
	       "\t\t*) cmd=$i; break ;;\n"
	       "\t\tesac\n"
	       "\tdone\n"
	       "\tif ((cmd > 0 && cmd < cword)); then\n"
	       "\t\t# COMMAND's own arguments, by its own completion when\n"
	       "\t\t# bash-completion is loaded.\n"
	       "\t\tif declare -F _command_offset >/dev/null; then\n"
	       "\t\t\t_command_offset \"${at[cmd]}\"\n"
	       "\t\telse\n"
	       "\t\t\tcompopt -o filenames 2>/dev/null\n"
	       "\t\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
	       "\t\tfi\n"
	       "\telif ((cmd == 0)) && [[ -n $pending ]]; then\n"
	       "\t\t_");
	put(o, prog);
	put(o, "_value \"$pending\" \"$cur\"\n"
	       "\telif ((cmd == 0)) && [[ $cur == --*=* ]]; then\n"
	       "\t\t_");
	put(o, prog);
	put(o, "_value \"${cur%%=*}\" \"${cur#*=}\"\n"
	       "\telif ((cmd == 0)) && [[ $cur == -* ]]; then\n"
	       "\t\tmapfile -t COMPREPLY < <(compgen -W '");
	for (i = 0; i < n; i++) {
		put(o, i > 0 ? " --" : "--");
		put(o, opts[i].name);
	}
	for (i = 0; i < n; i++) {
		if (opts[i].short_name == 0)
			continue;
		put(o, " -");
		putc_(o, opts[i].short_name);
	}
	put(o, "' -- \"$cur\")\n"
	       "\telse\n"
	       "\t\tmapfile -t COMPREPLY < <(compgen -c -- \"$cur\")\n"
	       "\tfi\n"
	       "}\n"
	       "complete -F _");
	put(o, prog);
	putc_(o, ' ');
	put(o, prog);
	putc_(o, '\n');
}

static void
zsh_value(struct out *o, const struct complete_opt *op)
{
	put(o, ":");
	put_zsh_desc(o, op->arg_name != NULL ? op->arg_name : "value");
	switch (op->arg) {
	case COMPLETE_FILE:
		put(o, ":_files");
		break;
	case COMPLETE_CHOICE:
	case COMPLETE_CHOICE_EQ:
		put(o, ":(");
		put_sq(o, op->choices);
		put(o, ")");
		break;
	default:
		put(o, ": ");
		break;
	}
}

static void
zsh_script(struct out *o, const char *prog, const struct complete_opt *opts,
           size_t n)
{
	const struct complete_opt *op;
	bool exits;
	size_t i;

	put(o, "#compdef ");
	put(o, prog);
	put(o, "\n# zsh completion for ");
	put(o, prog);
	put(o, ", written by '");
	put(o, prog);
	put(o, " --completion=zsh'.\n"
	       "# Autoloaded from $fpath as _");
	put(o, prog);
	put(o, ", or sourced: then it registers itself.\n_");
	put(o, prog);
	put(o, "() {\n\t_arguments -s -S : \\\n");
	for (i = 0; i < n; i++) {
		op = &opts[i];
		/* --help and --version end the run: nothing goes with them. */
		exits = strcmp(op->name, "help") == 0 ||
		        strcmp(op->name, "version") == 0;
		put(o, "\t\t'");
		if (exits) {
			put(o, "(- *)");
		} else if (op->short_name != 0) {
			put(o, "(-");
			putc_(o, op->short_name);
			put(o, " --");
			put(o, op->name);
			put(o, ")");
		}
		if (op->short_name != 0) {
			put(o, "'{-");
			putc_(o, op->short_name);
			put(o, takes_value(op) ? "+" : "");
			put(o, ",--");
			put(o, op->name);
			put(o, takes_value(op) ? "=" : "");
			put(o, "}'[");
		} else {
			put(o, "--");
			put(o, op->name);
			/* "=-": a value only after '=', as zsh spells it. */
			put(o, op->arg == COMPLETE_CHOICE_EQ ? "=-["
			       : takes_value(op)             ? "=["
			                                     : "[");
		}
		put_zsh_desc(o, op->desc);
		put(o, "]");
		if (takes_value(op))
			zsh_value(o, op);
		put(o, "' \\\n");
	}
	put(o, "\t\t'(-):command:_command_names -e' \\\n"
	       "\t\t'*::argument:_normal'\n"
	       "}\n"
	       "if [ \"$funcstack[1]\" = _");
	put(o, prog);
	put(o, " ]; then\n\t_");
	put(o, prog);
	put(o, " \"$@\"\nelse\n\tcompdef _");
	put(o, prog);
	putc_(o, ' ');
	put(o, prog);
	put(o, "\nfi\n");
}

static void
fish_script(struct out *o, const char *prog, const struct complete_opt *opts,
            size_t n)
{
	const struct complete_opt *op;
	char shorts[64];
	size_t i;

	short_with_value(opts, n, shorts, sizeof shorts);
	put(o, "# fish completion for ");
	put(o, prog);
	put(o, ", written by '");
	put(o, prog);
	put(o, " --completion=fish'.\n\n"
	       "# Where COMMAND starts among the words before the cursor: "
	       "its index;\n"
	       "# 0 if it is the word being completed or not reached; -1 "
	       "if that word\n"
	       "# is an option's value.\n"
	       "function __");
	put(o, prog);
	put(o, "_command_at\n"
	       "\tset -l tokens (commandline -opc)\n"
	       "\tset -e tokens[1]\n"
	       "\tset -l pending 0\n"
	       "\tset -l i 1\n"
	       "\tfor t in $tokens\n"
	       "\t\tset i (math $i + 1)\n"
	       "\t\tif test $pending = 1\n"
	       "\t\t\tset pending 0\n"
	       "\t\t\tcontinue\n"
	       "\t\tend\n"
	       "\t\tswitch $t\n"
	       "\t\t\tcase --\n"
	       "\t\t\t\techo (math $i + 1)\n"
	       "\t\t\t\treturn\n"
	       "\t\t\tcase '--*=*'\n"
	       "\t\t\tcase ");
	long_with_value(o, opts, n, " ");
	put(o, "\n\t\t\t\tset pending 1\n"
	       "\t\t\tcase '--*'\n"
	       "\t\t\tcase '-?*'\n");
	if (shorts[0] != '\0') {
		put(o, "\t\t\t\tstring match -qr -- '^-[^");
		put(o, shorts);
		put(o, "]*[");
		put(o, shorts);
		put(o, "]$' $t; and set pending 1\n");
	}
	put(o, "\t\t\tcase '*'\n"
	       "\t\t\t\techo $i\n"
	       "\t\t\t\treturn\n"
	       "\t\tend\n"
	       "\tend\n"
	       "\ttest $pending = 1; and echo -1; or echo 0\n"
	       "end\n\n"
	       "function __");
	put(o, prog);
	put(o, "_in_options\n\ttest (__");
	put(o, prog);
	put(o, "_command_at) -le 0\nend\n\n"
	       "function __");
	put(o, prog);
	put(o, "_wants_command\n\tset -l at (__");
	put(o, prog);
	put(o, "_command_at)\n"
	       "\ttest $at -gt 0; and return 0\n"
	       "\ttest $at = 0; and not string match -q -- '-*' "
	       "(commandline -ct)\n"
	       "end\n\n"
	       "# The command name, or what that command's own completion "
	       "gives.\n"
	       "function __");
	put(o, prog);
	put(o, "_complete_command\n\tset -l at (__");
	put(o, prog);
	put(o, "_command_at)\n"
	       "\tset -l tokens (commandline -opc)\n"
	       "\tif test $at -le 0; or test $at -gt (count $tokens)\n"
	       "\t\t__fish_complete_command\n"
	       "\t\treturn\n"
	       "\tend\n"
	       "\tcomplete -C (string join ' ' -- (string escape -- "
	       "$tokens[$at..-1]) (commandline -ct))\n"
	       "end\n\n"
	       "complete -c ");
	put(o, prog);
	put(o, " -f\n");
	for (i = 0; i < n; i++) {
		op = &opts[i];
		put(o, "complete -c ");
		put(o, prog);
		put(o, " -n __");
		put(o, prog);
		put(o, "_in_options");
		if (op->short_name != 0) {
			put(o, " -s ");
			putc_(o, op->short_name);
		}
		put(o, " -l ");
		put(o, op->name);
		switch (op->arg) {
		case COMPLETE_NONE:
			break;
		case COMPLETE_FILE:
			put(o, " -r -F");
			break;
		case COMPLETE_CHOICE:
			put(o, " -x -a '");
			put_fish_sq(o, op->choices);
			put(o, "'");
			break;
		case COMPLETE_CHOICE_EQ:
			/* Offered after --opt=; the flag alone needs none. */
			put(o, " -f -a '");
			put_fish_sq(o, op->choices);
			put(o, "'");
			break;
		default:
			put(o, " -x");
			break;
		}
		put(o, " -d '");
		put_fish_sq(o, op->desc);
		put(o, "'\n");
	}
	put(o, "complete -c ");
	put(o, prog);
	put(o, " -n __");
	put(o, prog);
	put(o, "_wants_command -a '(__");
	put(o, prog);
	put(o, "_complete_command)'\n");
}

/* Only characters no shell gives a meaning to, outside quotes or in
 * them: names and choices go into the scripts as they are. */
static bool
plain(const char *s, const char *also)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr(also, *s) == NULL)
			return false;
	return true;
}

static bool
table_is_plain(const char *prog, const struct complete_opt *opts, size_t n)
{
	size_t i;

	if (!plain(prog, "_-") || prog[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (!plain(opts[i].name, "-") || opts[i].name[0] == '-' ||
		    opts[i].desc == NULL)
			return false;
		if (opts[i].short_name != 0 &&
		    !isalnum((unsigned char)opts[i].short_name))
			return false;
		/* Words of [A-Za-z0-9_.,+-], one space apart. */
		if (is_choice(&opts[i]) &&
		    (!plain(opts[i].choices, "_.,+- ") ||
		     opts[i].choices[0] == ' ' ||
		     strstr(opts[i].choices, "  ") != NULL ||
		     opts[i].choices[strlen(opts[i].choices) - 1] == ' '))
			return false;
	}
	return true;
}

int
complete_script(struct buf *out, enum complete_shell shell, const char *prog,
                const struct complete_opt *opts, size_t n)
{
	struct out o = {out, 0};

	if (!table_is_plain(prog, opts, n)) {
		errno = EINVAL;
		return -1;
	}

	switch (shell) {
	case COMPLETE_BASH:
		bash_script(&o, prog, opts, n);
		break;
	case COMPLETE_ZSH:
		zsh_script(&o, prog, opts, n);
		break;
	case COMPLETE_FISH:
		fish_script(&o, prog, opts, n);
		break;
	}
	return o.rc;
}
