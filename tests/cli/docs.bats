#!/usr/bin/env bats
# --help, the man page and the README option table name the same options.
load helpers

help_opts() {
	"$PMAPF" --help | grep -E '^  +-' | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

man_opts() {
	grep -E '^\.It Fl' "$TOP_SRCDIR/doc/pmapf.1" |
		grep -oE 'Fl -[a-z][a-z-]*' | sed 's/^Fl /-/' | sort -u
}

readme_opts() {
	sed -n '/^## Options/,/^## /p' "$TOP_SRCDIR/README.md" | grep -E '^\|' |
		grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# Pairs "x --long" of short and long spellings.
help_pairs() {
	"$PMAPF" --help | grep -oE '^  +-[a-zA-Z0-9], --[a-z-]+' |
		sed -E 's/^ +-(.), (--.*)/\1 \2/' | sort
}

man_pairs() {
	grep -E '^\.It Fl [a-zA-Z0-9] , Fl -' "$TOP_SRCDIR/doc/pmapf.1" |
		sed -E 's/^\.It Fl (.) , Fl -([a-z-]+).*/\1 --\2/' | sort
}

readme_pairs() {
	sed -n '/^## Options/,/^## /p' "$TOP_SRCDIR/README.md" |
		grep -oE '^\| `-[a-zA-Z0-9]`, `--[a-z-]+' |
		sed -E 's/^\| `-(.)`, `(--[a-z-]+)/\1 \2/' | sort
}

@test "--help and the man page list the same long options" {
	[ -n "$(help_opts)" ]
	diff <(help_opts) <(man_opts)
}

@test "--help and the README option table list the same long options" {
	diff <(help_opts) <(readme_opts)
}

@test "short options pair with the same long options everywhere" {
	[ -n "$(help_pairs)" ]
	diff <(help_pairs) <(man_pairs)
	diff <(help_pairs) <(readme_pairs)
}

@test "every long option in --help is accepted by the parser" {
	for o in $(help_opts); do
		case $o in
		--help | --version) continue ;;
		esac
		run "$PMAPF" "$o" < /dev/null
		# Alone, an option runs the built-in on no input (0) or is
		# refused for a missing value or companion (255); never a crash.
		[ "$status" -eq 0 ] || [ "$status" -eq 255 ]
		[[ "$output" != *"unknown option"* ]]
	done
}
