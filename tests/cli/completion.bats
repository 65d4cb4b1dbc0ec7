#!/usr/bin/env bats
# Shell completion in the real shells: bash and zsh driven on a terminal
# (tmux), fish through its own completion engine (complete -C).
load helpers

# A directory on PATH with pmapf, a command only these tests have, and
# each shell's completion file as `make install` writes it.
completion_setup() {
	mkdir -p "$T/bin" "$T/bash" "$T/zsh" "$T/fish" "$T/home"
	ln -s "$PMAPF" "$T/bin/pmapf"
	printf '#!/bin/sh\n' > "$T/bin/pmapfcompletiontestcmd"
	chmod +x "$T/bin/pmapfcompletiontestcmd"
	: > "$T/file-to-complete"
	"$PMAPF" --completion=bash > "$T/bash/pmapf"
	"$PMAPF" --completion=zsh > "$T/zsh/_pmapf"
	"$PMAPF" --completion=fish > "$T/fish/pmapf.fish"
}

# On a fresh terminal running a clean shell (no user files, our PATH,
# prompt "$ ", then the setup line $2), type $3 and press Tab once; wait
# for $4 on the screen.  Usage: tab_shows SHELL-COMMAND SETUP TYPED WANT.
tab_shows() {
	local shell=$1 setup=$2 typed=$3 want=$4
	command -v "${shell%% *}" >/dev/null || skip "${shell%% *} not installed"
	# shellcheck disable=SC2086
	tmux_start 150 env -i HOME="$T/home" TERM=xterm PATH="$T/bin:/usr/bin:/bin" $shell
	tmux_keys -l "PS1='\$ '; $setup; cd '$T'; echo READY"
	tmux_keys Enter
	wait_for_screen '^READY' 10
	tmux_keys -l "$typed"
	tmux_keys Tab
	wait_for_screen "$want" 10
	tmux_stop
}

help_opts() {
	"$PMAPF" --help | grep -E '^  +-' | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

@test "--completion prints each shell's script; anything else is refused" {
	for sh in bash zsh fish; do
		run --separate-stderr "$PMAPF" --completion="$sh"
		[ "$status" -eq 0 ]
		[ -n "$output" ]
		[ -z "$stderr" ]
	done
	run "$PMAPF" --completion=zsh
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "#compdef pmapf" ]
	refused --completion=tcsh
	[ "${stderr_lines[0]}" = "pmapf: --completion: invalid value 'tcsh' (expected bash, zsh or fish)" ]
}

@test "each completion script names every option --help lists" {
	completion_setup
	[ -n "$(help_opts)" ]
	for o in $(help_opts); do
		grep -qE -- "[' ]$o[ ']" "$T/bash/pmapf" || { echo "bash lacks $o"; false; }
		grep -qE -- "(\{-.\+?,|')$o(=?-?\[|=?\})" "$T/zsh/_pmapf" || { echo "zsh lacks $o"; false; }
		grep -qE -- " -l ${o#--} " "$T/fish/pmapf.fish" || { echo "fish lacks $o"; false; }
	done
}

@test "the bash script is valid bash" {
	completion_setup
	bash -n "$T/bash/pmapf"
}

@test "the zsh script is valid zsh" {
	command -v zsh >/dev/null || skip "zsh not installed"
	completion_setup
	zsh -n "$T/zsh/_pmapf"
}

@test "the fish script is valid fish" {
	command -v fish >/dev/null || skip "fish not installed"
	completion_setup
	fish -n "$T/fish/pmapf.fish"
}

# _pmapf on the words bash would give it (it splits at = and :).
bash_complete() {
	bash -c 'source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_pmapf; printf "%s\n" "${COMPREPLY[@]}"' _ "$T/bash/pmapf" "$@"
}

@test "bash: a value holding = or : does not hide where COMMAND starts" {
	completion_setup
	run bash_complete pmapf --joblog = a : b pmapfcompl
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	PATH="$T/bin:$PATH" run bash_complete pmapf --joblog = a : b pmapfcompl
	[ "$status" -eq 0 ]
	[ "$output" = pmapfcompletiontestcmd ]
	PATH="$T/bin:$PATH" run bash_complete pmapf --halt now,fail = 1 -j 2 pmapfcompl
	[ "$status" -eq 0 ]
	[ "$output" = pmapfcompletiontestcmd ]
	# After COMMAND, its own words: -j is not pmapf's there.
	cd "$T"
	PATH="$T/bin:$PATH" run bash_complete pmapf pmapfcompletiontestcmd -j file-to
	[ "$status" -eq 0 ]
	[ "$output" = file-to-complete ]
}

@test "bash: options, --progress= modes, a command after the options, its files" {
	completion_setup
	# One Tab lists what is ambiguous (the test need not time two).
	local b="bash --norc --noprofile"
	local init="bind 'set show-all-if-ambiguous on'; source '$T/bash/pmapf'"
	tab_shows "$b" "$init" 'pmapf --pro' '--progress-interval'
	tab_shows "$b" "$init" 'pmapf --progress=' 'plain'
	tab_shows "$b" "$init" 'pmapf -j 2 --tag -- pmapfcompl' 'pmapfcompletiontestcmd'
	tab_shows "$b" "$init" 'pmapf --joblog=file-to' 'file-to-complete'
	tab_shows "$b" "$init" 'pmapf -uj2 pmapfcompletiontestcmd file-to' 'pmapfcompletiontestcmd file-to-complete'
}

@test "bash with bash-completion: COMMAND's own completion after it" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	completion_setup
	local b="bash --norc --noprofile"
	local init="bind 'set show-all-if-ambiguous on'; source /usr/share/bash-completion/bash_completion; source '$T/bash/pmapf'"
	# ls has no --colo... option but --color: only ls's completion knows.
	tab_shows "$b" "$init" 'pmapf -j 2 ls --colo' 'ls --color'
	tab_shows "$b" "$init" 'pmapf --pro' '--progress-fd'
}

@test "zsh: options, --progress= modes, a command after the options" {
	completion_setup
	# One Tab lists what is ambiguous even after it extended the word.
	local init="fpath=('$T/zsh' \$fpath); autoload -U compinit; compinit -u -D; unsetopt list_ambiguous"
	tab_shows "zsh -f" "$init" 'pmapf --pro' '--progress-interval'
	tab_shows "zsh -f" "$init" 'pmapf --progress=' 'plain'
	tab_shows "zsh -f" "$init" 'pmapf -j 2 -- pmapfcompl' 'pmapfcompletiontestcmd'
	tab_shows "zsh -f" "$init" 'pmapf --joblog=file-to' 'file-to-complete'
	tab_shows "zsh -f" "$init" 'pmapf -j2 pmapfcompletiontestcmd file-to' 'pmapfcompletiontestcmd file-to-complete'
}

# fish: complete -C runs fish's own completion engine on a command line;
# the script is autoloaded from a directory on fish_complete_path, as the
# installed one is from vendor_completions.d.
fish_complete() {
	env -i HOME="$T/home" PATH="$T/bin:/usr/bin:/bin" \
		fish -c "set -p fish_complete_path '$T/fish'; cd '$T'; complete -C '$1'"
}

@test "fish: options, --progress= modes, a command after the options, its own completion" {
	command -v fish >/dev/null || skip "fish not installed"
	completion_setup
	run fish_complete 'pmapf --pro'
	[ "$status" -eq 0 ]
	# --progress alone is a flag, --progress=MODE takes a mode: both.
	[ "$(cut -f1 <<< "$output" | LC_ALL=C sort | tr '\n' ' ')" = "--progress --progress-fd --progress-interval --progress= " ]
	run fish_complete 'pmapf --progress='
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<< "$output" | sort | tr '\n' ' ')" = "--progress=auto --progress=bar --progress=json --progress=none --progress=plain " ]
	run fish_complete 'pmapf -j 2 -- pmapfcompl'
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<< "$output")" = "pmapfcompletiontestcmd" ]
	run fish_complete 'pmapf --joblog file-to'
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<< "$output")" = "file-to-complete" ]
	# After COMMAND, pmapf's options are not offered; ls's are.
	run fish_complete 'pmapf -uj2 ls --colo'
	[ "$status" -eq 0 ]
	[[ "$output" == *"--color"* ]]
	[[ "$output" != *"--progress"* ]]
}
