/* Completion scripts from an option table: every option in each shell's
 * script, values by kind, quoting of what the table holds. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "complete.h"
#include "tap.h"

static const struct complete_opt opts[] = {
    {"jobs", 'j', COMPLETE_NUMBER, "N", NULL, "at most N", 1},
    {"log", 0, COMPLETE_FILE, "FILE", NULL, "the log's file", 2},
    {"mode", 'm', COMPLETE_CHOICE, "MODE", "red green", "a [mode]: it", 3},
    {"quiet", 'q', COMPLETE_NONE, NULL, NULL, "say \\nothing", 4},
    {"help", 'h', COMPLETE_NONE, NULL, NULL, "help", 5},
};
#define N (sizeof opts / sizeof opts[0])

static bool
has(const struct buf *b, const char *s)
{
	return b->len > 0 && strstr(b->data, s) != NULL;
}

static void
script(struct buf *b, enum complete_shell sh)
{
	b->len = 0;
	if (complete_script(b, sh, "prog", opts, N) != 0 ||
	    buf_appendc(b, '\0') != 0)
		b->len = 0;
}

int
main(void)
{
	struct buf b = BUF_INIT;
	enum complete_shell sh = COMPLETE_FISH;

	ok(complete_shell_parse("bash", &sh) == 0 && sh == COMPLETE_BASH,
	   "bash is a shell");
	ok(complete_shell_parse("zsh", &sh) == 0 && sh == COMPLETE_ZSH,
	   "zsh is a shell");
	ok(complete_shell_parse("fish", &sh) == 0 && sh == COMPLETE_FISH,
	   "fish is a shell");
	ok(complete_shell_parse("tcsh", &sh) == -1 &&
	       complete_shell_parse("", &sh) == -1,
	   "tcsh and the empty string are not");

	script(&b, COMPLETE_BASH);
	ok(has(&b, "complete -F _prog prog\n"), "bash: registers _prog");
	ok(has(&b, "'--jobs --log --mode --quiet --help -j -m -q -h'"),
	   "bash: every long and short option, in table order");
	ok(has(&b, "--jobs | --log | --mode) pending=$w"),
	   "bash: the options that take a value skip it");
	ok(has(&b, "[[ $c == [jm] ]]"),
	   "bash: short options with a value, for clusters such as -qj");
	ok(has(&b, "\t--log)\n\t\tcompopt -o filenames"),
	   "bash: a file option completes file names");
	ok(has(&b, "\t--mode | -m)\n\t\tmapfile -t COMPREPLY < <(compgen -W "
	           "'red green'"),
	   "bash: a choice offers its words, long and short spelling");
	ok(!has(&b, "--jobs | -j)"), "bash: a number offers nothing");

	script(&b, COMPLETE_ZSH);
	ok(has(&b, "#compdef prog\n"), "zsh: #compdef first");
	ok(has(&b, "'(-j --jobs)'{-j+,--jobs=}'[at most N]:N: '"),
	   "zsh: short and long, value in the word or the next");
	ok(has(&b, "'--log=[the log'\\''s file]:FILE:_files'"),
	   "zsh: a quote in a description, and _files");
	ok(has(&b, "{-m+,--mode=}'[a \\[mode\\]\\: it]:MODE:(red green)'"),
	   "zsh: brackets and colons in a description are escaped");
	ok(has(&b, "{-q,--quiet}'[say \\\\nothing]'"),
	   "zsh: a backslash in a description is escaped");
	ok(has(&b, "'(- *)'{-h,--help}'[help]'"),
	   "zsh: --help goes with nothing else");
	ok(has(&b, "'(-):command:_command_names -e'") &&
	       has(&b, "'*::argument:_normal'"),
	   "zsh: COMMAND, then its own completion");
	ok(has(&b, "compdef _prog prog"), "zsh: registers itself when sourced");

	script(&b, COMPLETE_FISH);
	ok(has(&b, "complete -c prog -n __prog_in_options -s j -l jobs -x -d "
	           "'at most N'\n"),
	   "fish: a number takes a value and offers no files");
	ok(has(&b, "-l log -r -F -d 'the log\\'s file'"),
	   "fish: a file option forces file names; a quote is escaped");
	ok(has(&b, "-s m -l mode -x -a 'red green'"), "fish: a choice");
	ok(has(&b, "-s q -l quiet -d 'say \\\\nothing'\n"),
	   "fish: a flag; a backslash is escaped");
	ok(has(&b, "case --jobs --log --mode\n"),
	   "fish: the long options that take a value skip it");
	ok(has(&b, "'^-[^jm]*[jm]$'"), "fish: clusters ending in -j or -m");
	ok(has(&b, "-n __prog_wants_command -a '(__prog_complete_command)'"),
	   "fish: COMMAND and its arguments");

	{
		static const char *bad_choices[] = {
		    "a $(touch x) b", "a'b", "a (b)", "a\\b", " a", "a ",
		    "a  b",           "",    "a;b"};
		struct complete_opt bad = {
		    "mode", 0, COMPLETE_CHOICE, "M", NULL, "d", 0};
		struct complete_opt badname = {
		    "a b", 0, COMPLETE_NONE, NULL, NULL, "d", 0};
		size_t i;
		int refused = 0;

		for (i = 0; i < sizeof bad_choices / sizeof bad_choices[0];
		     i++) {
			bad.choices = bad_choices[i];
			b.len = 0;
			errno = 0;
			refused += complete_script(&b, COMPLETE_BASH, "prog",
			                           &bad, 1) == -1 &&
			           errno == EINVAL && b.len == 0;
		}
		ok(refused == (int)i, "choices with shell syntax are refused");
		b.len = 0;
		ok(complete_script(&b, COMPLETE_FISH, "prog", &badname, 1) ==
		           -1 &&
		       errno == EINVAL,
		   "a name with a space is refused");
		ok(complete_script(&b, COMPLETE_ZSH, "p;q", opts, N) == -1 &&
		       errno == EINVAL,
		   "a program name with shell syntax is refused");
		bad.choices = "a-b c.d e,f g+h i_j";
		ok(complete_script(&b, COMPLETE_BASH, "prog", &bad, 1) == 0,
		   "plain choices are taken");
	}
	buf_free(&b);
	return tap_done();
}
