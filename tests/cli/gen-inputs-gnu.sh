#!/usr/bin/env bash
# gen-inputs-gnu.sh: write tests/cli/inputs-sources.bats,
# tests/cli/inputs-columns.bats, tests/cli/habits-gnu.bats and
# tests/cli/results-gnu.bats from what GNU parallel really does, and
# tests/cli/gnu-helpers.bash, which they share.
#
# This script stays in the repository so that the tables can be
# regenerated; the files are its output and are not edited by hand.
# It needs GNU parallel 20221122 (`parallel`); the tests it writes do not.
# (`-j +N` depends on the machine's CPUs and `--shuf` on chance, so they
# are tested in habits.bats instead, against the rule seen here.)
#
# For each case below it runs, in a fresh temporary directory holding only
# bin/showargs, the case's input files and (if any) its stdin as `in`:
#
#     parallel --will-cite -k -j4 ARGS < STDIN
#
# twice, refuses the case unless both runs agree (stdout, stderr, status),
# checks GNU's answer against what the case declares (by default: status 0
# and some output), and writes a bats test that runs `pmapf -j4 ARGS` the
# same way (pmapf keeps input order by default, so no -k) and asserts the
# same exit status and stdout.
#
# GNU parallel hands the command line to a shell; pmapf runs argv
# directly.  So the command template of a case (the words between the
# options and the first ::: or ::::) may only hold characters that mean
# nothing to a shell; the script stops if one does not.  Values (after
# :::, in files, on stdin) may hold anything: GNU quotes them.
#
# Usage: tests/cli/gen-inputs-gnu.sh   (from anywhere; overwrites the
# .bats files next to it, and only if every case went through).
#
# A case:  t NAME [SETTING]... -- ARGS...
#   in=TEXT        stdin holds TEXT (else stdin is /dev/null)
#   file=NAME=TEXT create NAME (relative to the directory) holding TEXT
#   status=N       GNU must exit N (default 0)
#   empty          GNU must write nothing on stdout (default: something)
#   mask=table     --results -.csv/.tsv/.json rows: Starttime and
#                  JobRuntime replaced by T and R
#   show=tree:DIR  stdout is followed by every directory and file under
#                  DIR with its bytes (show_tree), for --results
#   show=files     each stdout line names a file (--files): its bytes
#                  are shown instead
#   mask=joblog    joblog rows in stdout (--joblog -) have their start
#                  and run times replaced by T and R before comparing

# The case table is full of literal {n} and of '$...' meant for the
# generated tests: not mistakes.
# shellcheck disable=SC1083,SC2016

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
want_version='GNU parallel 20221122'

die() {
	echo "gen-inputs-gnu.sh: $*" >&2
	exit 1
}

command -v parallel >/dev/null || die "GNU parallel (parallel) is not installed"
have_version=$(parallel --version 2>/dev/null | head -n 1) || true
[ "$have_version" = "$want_version" ] ||
	die "need '$want_version', found '${have_version:-nothing}'"
command -v timeout >/dev/null || die "timeout (coreutils) is needed"

work=$(mktemp -d "${TMPDIR:-/tmp}/gen-inputs-gnu.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A clean environment for GNU parallel: no ~/.parallel config, no
# $PARALLEL options, a known shell and locale.
mkdir "$work/home"
export HOME=$work/home LC_ALL=C SHELL=/bin/bash
unset PARALLEL PARALLEL_HOME PARALLEL_SHELL

# The helper commands, the same text as the tests' inputs_setup writes:
# showargs prints its arguments; ex prints its first and exits with it.
showargs_text='#!/bin/sh
for a; do printf "[%s]" "$a"; done; echo
'
ex_text='#!/bin/sh
echo "$1"
exit "$1"
'

# oe prints "out X" on stdout and "err X" on stderr.
oe_text='#!/bin/sh
echo "out $1"
echo "err $1" >&2
'

# What varies from run to run masked, and files shown, the same way here
# and in the generated tests (begin writes this text into them).
# shellcheck disable=SC2016
helpers_text='# Joblog rows in stdout (--joblog -): start and run times as T and R.
mask_joblog() {
	awk -F"\t" -v OFS="\t" '"'"'NF == 9 && $1 ~ /^[0-9]+$/ { $3 = "T"; $4 = "R" } 1'"'"'
}

# --results tables: Starttime and JobRuntime as T and R.
mask_table() {
	sed -E '"'"'s/^([0-9]+)([,\t]):([,\t])[0-9.]+([,\t])[0-9.]+/\1\2:\3T\4R/; s/"Starttime": [0-9.]+, "JobRuntime": [0-9.]+/"Starttime": T, "JobRuntime": R/'"'"'
}

# Every directory and file under $1, sorted, each file with its bytes
# (cat -v) and a | where they end.
show_tree() {
	find "$1" -print0 | LC_ALL=C sort -z | while IFS= read -r -d "" f; do
		if [ -d "$f" ]; then
			printf "dir %s\n" "$f" | cat -v
		else
			printf "file %s: " "$f" | cat -v
			cat -v "$f"
			printf "|\n"
		fi
	done
}

# Output ($1) with the tree under $2 after it.
post_tree() {
	printf "%s" "$1"
	[ -z "$1" ] || echo
	show_tree "$2"
}

# --files: each line of stdin names a file (after a tag and a TAB, if
# any): the line with the file'"'"'s bytes in place of its name; the file
# is removed.
show_files() {
	local line f
	while IFS= read -r line; do
		f=${line##*$'"'"'\t'"'"'}
		[ "$f" = "$line" ] || printf "%s\t" "${line%$'"'"'\t'"'"'*}"
		printf "== "
		cat -v "$f"
		printf "|\n"
		rm -f "$f"
	done
}'
eval "$helpers_text"

# Quote one word for bash: bare when it is plainly safe, else in single
# quotes, or $'...' when it holds control characters (a newline).
q() {
	local s=$1
	if [[ $s =~ ^[A-Za-z0-9_./:%+=@,-]+$ ||
		($s =~ ^[A-Za-z0-9_./:%+=@{}-]+$ && $s != *..*) ]]; then
		printf '%s' "$s"
	elif [[ $s == *[[:cntrl:]]* ]]; then
		printf '%q' "$s"
	else
		printf "'%s'" "${s//\'/\'\\\'\'}"
	fi
}

qall() {
	local a sep=
	for a; do
		printf '%s%s' "$sep" "$(q "$a")"
		sep=' '
	done
}

# Stop unless ARGS is: known options, then echo or showargs and words
# with no shell meaning, then (optionally) sources.
check_args() {
	local name=$1
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--link | --xapply | --files | --tag | -N[0-9]* | -j[0-9]*) shift ;;
		--colsep | --trim | --header | -a | --arg-file | -d)
			[ $# -ge 2 ] || die "case '$name': $1 needs a value"
			shift 2
			;;
		--*=*) shift ;;
		-*) die "case '$name': option '$1' is not one this script knows" ;;
		*) break ;;
		esac
	done
	case ${1:-} in
	echo | showargs | ex | oe) ;;
	*) die "case '$name': the command must be echo, showargs, ex or oe, not '${1:-}'" ;;
	esac
	while [ $# -gt 0 ]; do
		case $1 in ::: | :::: | :::+ | ::::+) break ;; esac
		[[ ($1 =~ ^[A-Za-z0-9_./:%+=@{}-]+$ && $1 != *..*) || $1 == "{#}" ]] ||
			die "case '$name': template word '$1' could mean something to a shell"
		shift
	done
}

# Set up a fresh case directory: bin/showargs, the files, stdin as `in`.
make_dir() {
	local dir=$1 f
	mkdir -p "$dir/bin"
	printf '%s' "$showargs_text" > "$dir/bin/showargs"
	printf '%s' "$ex_text" > "$dir/bin/ex"
	printf '%s' "$oe_text" > "$dir/bin/oe"
	chmod +x "$dir/bin/showargs" "$dir/bin/ex" "$dir/bin/oe"
	[ "$have_in" = 0 ] || printf '%s' "$stdin" > "$dir/in"
	for f in "${files[@]}"; do
		printf '%s' "${f#*=}" > "$dir/${f%%=*}"
	done
}

# Run GNU parallel for the current case in directory $1; results in $1.*
run_gnu() {
	local dir=$1 input=/dev/null rc=0
	[ "$have_in" = 0 ] || input=$dir/in
	(cd "$dir" && PATH=$dir/bin:$PATH exec timeout 60 \
		parallel --will-cite -k -j4 "${args[@]}") \
		< "$input" > "$dir.out" 2> "$dir.err" || rc=$?
	echo "$rc" > "$dir.rc"
}

# gnu-helpers.bash, loaded by every generated file: the case helpers,
# the same text this script evaluates.
write_gnu_helpers() {
	{
		printf '%s\n' '# GENERATED by tests/cli/gen-inputs-gnu.sh: do not edit by hand.' \
			'# What the generated GNU parallel comparisons share.' ''
		cat <<'EOF'
# The tests cd into $T: make a relative $PMAPF absolute first.
case $PMAPF in /*) ;; */*) PMAPF=$PWD/$PMAPF ;; esac

# showargs in $T/bin on PATH, and $T as the working directory.
inputs_setup() {
	mkdir "$T/bin"
	printf '%s\n' '#!/bin/sh' 'for a; do printf "[%s]" "$a"; done; echo' > "$T/bin/showargs"
	printf '%s\n' '#!/bin/sh' 'echo "$1"' 'exit "$1"' > "$T/bin/ex"
	printf '%s\n' '#!/bin/sh' 'echo "out $1"' 'echo "err $1" >&2' > "$T/bin/oe"
	chmod +x "$T/bin/showargs" "$T/bin/ex" "$T/bin/oe"
	PATH=$T/bin:$PATH
	cd "$T"
}

EOF
		printf '%s\n' "$helpers_text"
		cat <<'EOF'

# If pmapf's status or stdout differs from GNU's ($1, $want), print both
# (and pmapf's stderr) for the failure report.
show_if_different() {
	[ "$status" -eq "$1" ] && [ "$output" = "$want" ] && return 0
	printf 'GNU parallel: status %s, stdout:\n%s\n' "$1" "$want"
	printf -- '--- pmapf: status %s, stdout:\n%s\n' "$status" "$output"
	printf -- '--- pmapf stderr:\n%s\n' "$stderr"
	diff <(printf '%s\n' "$want") <(printf '%s\n' "$output") || true
}
EOF
	} > "$work/gnu-helpers.bash"
}

ncases=0
out=          # the .bats file being written (a temporary, moved at the end)
declare -A seen=()

# begin FILE: start writing FILE (a name in tests/cli); the header notes
# (the "answers worth knowing") come on stdin.
begin() {
	out=$work/$1
	{
		printf '%s\n' '#!/usr/bin/env bats' \
			"# GENERATED by tests/cli/gen-inputs-gnu.sh from $want_version:" \
			'# do not edit by hand; change the script and run it again.' \
			'#' \
			'# Each test runs pmapf -j4 with the arguments and input that were given' \
			'# to `parallel --will-cite -k -j4`, and asserts the exit status and' \
			'# stdout GNU parallel produced.  showargs prints each of its arguments' \
			'# in brackets, then a newline.' \
			'#'
		sed 's/^/# /; s/ $//'
		printf '%s\n' 'load helpers' 'load gnu-helpers'
	} > "$out"
}

t() {
	local name=$1
	shift
	stdin='' have_in=0 files=()
	local status=0 empty=0 mask='' show='' f
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		in=*) stdin=${1#in=} have_in=1 ;;
		file=*=*) files+=("${1#file=}") ;;
		status=*) status=${1#status=} ;;
		empty) empty=1 ;;
		mask=joblog) mask=joblog ;;
		mask=table) mask=table ;;
		show=tree:*) show=${1#show=} ;;
		show=files) show=files ;;
		*) die "case '$name': unknown setting '$1'" ;;
		esac
		shift
	done
	[ "${1:-}" = -- ] || die "case '$name': no -- before the arguments"
	shift
	args=("$@")
	[ -n "$out" ] || die "case '$name' comes before begin"
	[[ $name != *[\"\$\`\\]* ]] || die "case '$name': no \" \$ \` \\ in names"
	[ -z "${seen[$out/$name]:-}" ] || die "case '$name' is there twice"
	seen[$out/$name]=1
	check_args "$name" "${args[@]}"

	ncases=$((ncases + 1))
	local d1=$work/c$ncases.a d2=$work/c$ncases.b
	make_dir "$d1"
	make_dir "$d2"
	run_gnu "$d1"
	run_gnu "$d2"
	# What GNU wrote on stdout itself, before any files are shown.
	local d raw
	raw=$(cat "$d1.out"; echo .)
	raw=${raw%.}
	for d in "$d1" "$d2"; do
		case $show in
		tree:*)
			(cd "$d" && post_tree "$(cat "$d.out")" "${show#tree:}") > "$d.shown"
			mv "$d.shown" "$d.out"
			;;
		files)
			(cd "$d" && show_files) < "$d.out" > "$d.shown"
			mv "$d.shown" "$d.out"
			;;
		esac
		if [ -n "$mask" ]; then
			"mask_$mask" < "$d.out" > "$d.masked" && mv "$d.masked" "$d.out"
		fi
	done
	if ! cmp -s "$d1.out" "$d2.out" || ! cmp -s "$d1.err" "$d2.err" ||
		! cmp -s "$d1.rc" "$d2.rc"; then
		die "case '$name': GNU parallel gave different answers on two runs"
	fi
	local rc gout gerr
	rc=$(cat "$d1.rc")
	gout=$(cat "$d1.out"; echo .)   # keep trailing newlines
	gout=${gout%.}
	gerr=$(cat "$d1.err")
	[ "$rc" = "$status" ] ||
		die "case '$name': GNU parallel exited $rc, the case says $status; stderr: $gerr"
	if [ "$empty" = 1 ] && [ -n "$raw" ]; then
		die "case '$name': GNU parallel wrote output where the case says none: $raw"
	fi
	if [ "$empty" = 0 ] && [ -z "$raw" ]; then
		die "case '$name': GNU parallel wrote nothing (status $rc); stderr: $gerr"
	fi
	# $output in bats loses trailing newlines: if that loses anything
	# here, the test checks the bytes as well.
	local trimmed=$gout exact=0
	while [[ $trimmed == *$'\n' ]]; do trimmed=${trimmed%$'\n'}; done
	if [ -n "$gout" ] && [ "$trimmed"$'\n' != "$gout" ]; then exact=1; fi
	if printf '%s\n' "$trimmed" | grep -qx EXPECTED; then
		die "case '$name': the output holds the heredoc delimiter"
	fi

	local input='< /dev/null'
	[ "$have_in" = 0 ] || input='< "$T/in"'
	{
		echo
		if [ -n "$gerr" ]; then
			printf '%s\n' "$gerr" | sed 's/^/# GNU parallel stderr: /'
		fi
		printf '@test "%s" {\n' "$name"
		printf '\tinputs_setup\n'
		[ "$have_in" = 0 ] || printf '\tprintf %%s %s > "$T/in"\n' "$(q "$stdin")"
		for f in "${files[@]}"; do
			printf '\tprintf %%s %s > %s\n' "$(q "${f#*=}")" "$(q "${f%%=*}")"
		done
		printf '\trun --separate-stderr "$PMAPF" -j4 %s %s\n' "$(qall "${args[@]}")" "$input"
		case $show in
		tree:*) printf '\toutput=$(post_tree "$output" %s)\n' "$(q "${show#tree:}")" ;;
		files) printf '\toutput=$(printf "%%s\\n" "$output" | show_files)\n' ;;
		esac
		if [ -n "$mask" ]; then
			printf '\toutput=$(printf "%%s\\n" "$output" | mask_%s)\n' "$mask"
		fi
		if [ -z "$gout" ]; then
			printf "\twant=''\n"
		else
			printf "\twant=\$(cat <<'EXPECTED'\n%s\nEXPECTED\n)\n" "$trimmed"
		fi
		printf '\tshow_if_different %s\n' "$rc"
		printf '\t[ "$status" -eq %s ]\n' "$rc"
		printf '\t[ "$output" = "$want" ]\n'
		if [ "$exact" = 1 ] && { [ -n "$mask" ] || [ -n "$show" ]; }; then
			die "case '$name': trailing blank lines and a mask: not supported"
		fi
		if [ "$exact" = 1 ]; then
			printf '\t# $output dropped trailing newlines; compare the bytes too.\n'
			printf '\t"$PMAPF" -j4 %s %s > "$T/out" || true\n' "$(qall "${args[@]}")" "$input"
			printf '\tprintf %%s %s | cmp - "$T/out"\n' "$(q "$gout")"
		fi
		printf '}\n'
	} >> "$out"
}

# Input files used by several cases.
F1=$'f1\nf2\n'
F2=$'g1\ng2\ng3\n'
H=$'name,age\nann,30\nbob,40\n'

###########################################################################
begin inputs-sources.bats <<'EOF'
Input sources: :::, ::::, -a, :::+, ::::+, --link, -N, positions {n}.

GNU's answers worth knowing (each is checked by a test below, except
where pmapf deliberately differs: those cases are left out of this
table and tested in inputs-differences.bats):
- Several sources: all combinations, the last source varying fastest.
- :::+ / ::::+ link a source to the one just before it, pairing values
  and stopping at the shorter; --link / --xapply instead cycle the
  shorter sources up to the longest.
- :::+ after -a FILE does not link: still all combinations.
- {} with several sources (or -N) is one argument per value; x{}y puts
  x on the first value and y on the last (x{}y -> [xa][1y]), but with -N
  (even -N1) each value gets both (x{}y -> [xay][x1y]).
- {0} is all values, like {}; {-n} counts from the end; a {-n} past the
  start wraps round like a Perl index (two sources: {-3} is {2}, {-4} is
  {1}, {-5} is nothing).
- A whole-word {n} past the values gives no argument at all; inside a
  word (x{3}y) it is empty.  -N2 on an odd count: the last job gets one
  value, its {2} likewise vanishes ({1}-{2} gives c-).
- {foo} (no such replacement string) stays literal, and as nothing was
  replaced the values are appended.
- A ::: value holding a newline becomes two values.
- A trailing empty ::: source, or an empty :::: file next to another
  source, counts as one empty value (a job with an empty argument); an
  empty file alone runs nothing.
- Without --colsep, {1} is the whole stdin record, and records are not
  trimmed; a last line without a newline counts.
- A missing :::: or -a file: exit 255, nothing run.
EOF

t "::: one source, one job per value" -- echo ::: a b c
t "two ::: sources: all combinations, last source fastest" -- echo ::: a b ::: 1 2
t "three ::: sources: all combinations" -- echo ::: a b ::: 1 2 ::: x y
t "{2} {1} reorders the sources" -- echo {2} {1} ::: a b ::: 1 2
t "{} with two sources: one argument per value" -- showargs {} ::: a b ::: 1 2
t "x{}y with two sources: x on the first value, y on the last" -- showargs x{}y ::: a b ::: 1 2
t "no replacement string: each value appended as its own argument" -- showargs ::: a b ::: 'c d' 1
t "{0} is every value, like {}" -- showargs {0} ::: a ::: b ::: c
t "{-1} {-2} count from the last source" -- showargs {-1} {-2} ::: a b ::: 1 2
t "{3} with two sources: no argument as a word, empty inside one" -- showargs {3} x{3}y {1} ::: a ::: 1
t "{5} with one source: echo gets no argument" -- echo {5} ::: a b
t "{foo} is not a replacement string: literal, values appended" -- showargs {foo} {bar}x ::: a b
t "modifiers on positions: {1.} {1/} {1//} {1/.} {2.} {2/}" -- \
	showargs {1.} {1/} {1//} {1/.} {2.} {2/} ::: dir/a.tar.gz /x/b.c noext .hid ::: s/t.u
t "values with spaces, quotes, dollar, star and {} stay one argument each" -- \
	showargs ::: 'a b' "it's" 'say "hi"' '$HOME' '*' '`id`' 'a\b' ' lead' 'trail ' '~' '#x' ';' '{}' '&&'
t "an empty ::: value is an empty argument" -- showargs ::: '' a
t "an empty :::: file alone runs nothing" empty -- showargs :::: /dev/null

t ":::: FILE: one job per line" file=F1="$F1" -- echo :::: F1
t ":::: F1 F2: each file is a source, all combinations" file=F1="$F1" file=F2="$F2" -- echo :::: F1 F2
t ":::: - reads stdin" in=$'s1\ns 2\n' -- showargs :::: -
t ":::: FILE whose last line has no newline" file=N=$'n1\nn2' -- echo :::: N
t "-a FILE" file=F1="$F1" -- -a F1 echo
t "-a F1 -a F2: two sources, all combinations" file=F1="$F1" file=F2="$F2" -- -a F1 -a F2 echo
t "--arg-file FILE" file=F1="$F1" -- --arg-file F1 echo
t "-a FILE then ::: values: the file is the first source" file=F1="$F1" -- -a F1 echo ::: x y
t ":::: FILE then ::: value" file=F1="$F1" -- echo :::: F1 ::: x
t "::: value then :::: - (stdin)" in=$'s1\ns2\n' -- echo ::: x :::: -

t ":::+ with equal lengths pairs values" -- echo ::: a b c :::+ 1 2 3
t ":::+ with the first source longer stops at the shorter" -- echo ::: a b c :::+ 1 2
t ":::+ with the second source longer stops at the shorter" -- echo ::: a b :::+ 1 2 3
t ":::+ links to the source just before it (third source)" -- echo ::: a b ::: 1 2 :::+ x y
t ":::+ twice: three linked sources, the shortest wins" -- echo ::: a b c :::+ 1 2 3 :::+ x y
t "::::+ with the first file shorter" file=F1="$F1" file=F2="$F2" -- echo :::: F1 ::::+ F2
t "::::+ with the first file longer" file=F1="$F1" file=F2="$F2" -- echo :::: F2 ::::+ F1
t "::: then ::::+ FILE" file=F1="$F1" -- echo ::: a b c ::::+ F1
t "--link with the second source shorter cycles it" -- --link echo ::: a b c ::: 1 2
t "--link with the first source shorter cycles it" -- --link echo ::: a b ::: 1 2 3 4 5
t "--xapply is --link" -- --xapply echo ::: a b c ::: 1 2
t "--link with three sources of different lengths" -- --link echo ::: a b c ::: 1 2 ::: x y z w
t "--link with two :::: files" file=F1="$F1" file=F2="$F2" -- --link echo :::: F1 :::: F2

t "-N2 with one source: two values per job" -- -N2 echo ::: a b c d
t "-N2 {1} {2} {3}: {3} is past the group and gives nothing" -- -N2 showargs {1} {2} {3} ::: a b c d e
t "-N2 x{}y: every value gets x and y" -- -N2 showargs x{}y ::: a b c d
t "-N1 x{}y with two sources: every value gets x and y" -- -N1 showargs x{}y ::: a b ::: 1 2
t "-N2 short last group: missing {2} gives no argument" -- -N2 showargs {1} {2} ::: a b c
t "-N2 short last group: missing {2} inside a word is empty" -- -N2 showargs {1}-{2} ::: a b c
t "-N2 with two sources: {1}..{4}" -- -N2 showargs {1} {2} {3} {4} ::: a b ::: 1 2

t "stdin records with {}" in=$'a\nb c\n' -- echo {}
t "stdin records with {} and x{}y via showargs" in=$'a\nb c\n' -- showargs {} x{}y
t "stdin records with {1}: the whole record" in=$'a b\n c\n$d,e\n' -- showargs {1}
t "stdin records: empty lines and spaces are kept" in=$'a\n\n b \n' -- showargs x{}y
t "stdin -N2 {1} {2} with an empty record" in=$'a\n\nc\n' -- -N2 showargs {1} {2}

t "a missing :::: file: exit 255, nothing run" status=255 empty -- showargs :::: nosuch

###########################################################################
begin inputs-columns.bats <<'EOF'
Columns: --colsep, --trim, --header.

GNU's answers worth knowing (each is checked by a test below, except
where pmapf deliberately differs: see inputs-differences.bats):
- --colsep is a Perl regex: '\t', '\s+', '[,;]', '\|' work; '.' makes
  every character a separator (all fields empty); an unescaped '|' (not
  tested) splits between characters.
- Splitting comes first, trimming after: with --colsep the default trim
  is lr, per field (spaces and tabs), so '--colsep " "' on " a  b "
  gives [][a][][b][] and '\s+' on " a b " gives empty first and last.
- Empty fields are kept, trailing ones too: a,b,, is 4 fields.
- {} and no-replacement put each column in its own argument; x{}y puts x
  on the first column and y on the last.
- A whole-word {n} past the columns gives no argument; inside a word it
  is empty.  {-2} on a one-column row wraps round to that column.
- --colsep also splits ::: values, and with several sources (or -N2) the
  columns of all values are numbered on, {1}, {2}, ... across them (a
  row with fewer columns shifts the rest down).
- --header : takes the first value of each source as its name: {name}
  works with --colsep (each column), with ::: (each source), and with
  :::: FILE; header names are not trimmed.  {nosuch} stays literal, and
  if no other replacement string is used the values are appended.
- --header with -N2: {name} is the first record's column; the second
  record's are reachable only by position.
- --trim n|l|r|lr|rl also applies without --colsep (whole record) and to
  ::: values; any other value is an error (exit 255).
EOF

CSV=$'a,b,c\nd,e,f\n'
t "--colsep , {1} {2} {3}" in="$CSV" -- --colsep , showargs {1} {2} {3}
t "--colsep , {}: one argument per column" in="$CSV" -- --colsep , showargs {}
t "--colsep , no replacement string: columns appended" in="$CSV" -- --colsep , showargs
t "--colsep , x{}y: x on the first column, y on the last" in="$CSV" -- --colsep , showargs x{}y
t "--colsep , {-1} {-2} {0}" in="$CSV" -- --colsep , showargs {-1} {-2} {0}
t "--colsep tab (a regex escape)" in=$'a\tb c\t d \n' -- --colsep '\t' showargs {1} {2} {3}
t "--colsep whitespace-plus regex, leading and trailing blanks" in=$' a   b\tc  \n' -- --colsep '\s+' showargs
t "--colsep comma with optional blanks around it (regex)" in=$'a , b,c ,  d\n' -- --colsep '\s*,\s*' showargs
t "--colsep '[,;]'" in=$'a,b;c\n' -- --colsep '[,;]' showargs
t "--colsep escaped bar (regex)" in=$'a|b|c\n' -- --colsep '\|' showargs
t "--colsep :" in=$'a:b:c\n/x:/y\n' -- --colsep : showargs {2} {1}
t "--colsep . is a regex: every character separates" in=$'a.b\n' -- --colsep . showargs
t "--colsep ' ': split first, then trim each field" in=$' a  b \n' -- --colsep ' ' showargs
t "--colsep , default trim lr: padded fields and tabs" in=$' a , b ,c\n\t d\t,e\n' -- --colsep , showargs
t "--colsep , values with quotes, dollars, spaces" in=$'it\'s,$HOME,a b,*\n' -- --colsep , showargs {4} {3} {2} {1}

t "--trim l without --colsep" in=$' a , b \n  c  \n' -- --trim l showargs {}
t "--trim r without --colsep" in=$' a , b \n  c  \n' -- --trim r showargs {}
t "--trim lr without --colsep" in=$' a , b \n\t c\t \n' -- --trim lr showargs {}
t "--trim rl without --colsep" in=$' a , b \n  c  \n' -- --trim rl showargs {}
t "--trim n with --colsep keeps blanks" in=$' a , b \n' -- --trim n --colsep , showargs {1} {2}
t "--trim l with --colsep" in=$' a , b \n' -- --trim l --colsep , showargs {1} {2}
t "--trim r with --colsep" in=$' a , b \n' -- --trim r --colsep , showargs {1} {2}
t "--trim rl with --colsep" in=$' a , b \n' -- --trim rl --colsep , showargs {1} {2}
t "--trim lr on ::: values" -- --trim lr showargs ::: ' a ' ' b'
t "--trim with a bad value: exit 255" status=255 empty -- --trim x showargs ::: a

t "--colsep , empty fields are kept, trailing ones too" in=$'a,,b\na,b,,\n,a\n,\n\n' -- --colsep , showargs
t "--colsep , fewer columns than referenced: no argument" in=$'a,b\nc\n' -- --colsep , showargs {1} {2} {3}
t "--colsep , fewer columns than referenced inside a word" in=$'a,b\nc\n' -- --colsep , showargs {3}-{1}

t "--header : --colsep , names {name} {age}" file=H.csv="$H" -- --header : --colsep , showargs {name} {age} :::: H.csv
t "--header : --colsep , positions and {}" file=H.csv="$H" -- --header : --colsep , showargs {1} {2} {} :::: H.csv
t "--header : --colsep , from stdin" in="$H" -- --header : --colsep , showargs {age}-{name}
t "--header : {nosuch} stays literal, values appended" file=H.csv="$H" -- --header : --colsep , showargs {nosuch} :::: H.csv
t "--header : header names are not trimmed" in=$' name , age \nann,30\n' -- --header : --colsep , showargs {name} {age}
t "--header : with ::: sources: first values are names" -- --header : showargs {B} {A} ::: A a1 a2 ::: B b1 b2
t "--header : names with modifiers {A.} {B/}" -- --header : showargs {A.} {B/} ::: A a.x ::: B p/q
t "--header : with :::: FILE and no --colsep" file=C=$'col\nv 1\nv2\n' -- --header : showargs {col} x{col}y :::: C
t "--header : --colsep , -N2: names are the first record's" file=H.csv="$H" -- --header : --colsep , -N2 showargs {name} {age} {3} {4} :::: H.csv

t "--colsep , -N2 {}: columns of both records" in=$'a,b,c\nd,e,f\ng\n' -- --colsep , -N2 showargs {}
t "--colsep , -N2 positions past the end" in=$'a,b,c\nd,e\ng\n' -- --colsep , -N2 showargs {4} {5} {6}
t "--colsep , two :::: sources: {1}..{4}" file=A=$'a,b\nc\n' file=B=$'1,2\n3,4\n' -- --colsep , showargs {1} {2} {3} {4} :::: A :::: B
t "-a FILE --colsep , {2}" file=A=$'a,b\nc\n' -- -a A --colsep , showargs {2}
t "--colsep , splits ::: values too" -- --colsep , showargs {1} {2} {3} ::: 'x,y' ::: 'p,q'

###########################################################################
begin habits-gnu.bats <<'EOF'
GNU parallel's habits pmapf follows: -N0, -d escapes, --halt and its
exit status, --joblog -.  (-j +N and --shuf are in habits.bats.)

GNU's answers worth knowing (each is checked by a test below):
- -N0 runs a job per record and gives it none: {} is empty, nothing is
  appended; --tag tags with nothing, --tagstring has no value either.
- -d takes \t, \n, \r and octal \036 (three digits).  GNU reads \12
  as \1 then 2, a two-byte separator, and \x1e as those four bytes;
  pmapf takes them as xargs does (newline, byte 0x1e), so they are in
  habits.bats, not here.
- --halt's exit status: for fail=1 or done=1 the deciding job's; for a
  count above 1 the number of failed jobs; for a percentage the share
  of all jobs that failed, rounded up, whether or not it halted; for
  success 0.  1 is soon,fail=1, 2 now,fail=1, -1/-2 the same with
  success, N% soon,fail=N%; --halt-on-error is the same option.  A
  percentage that comes to exactly one job is a count of one.
- A percentage is of all jobs (GNU reads all input first): fail=30% of
  10 halts at the third failure.
- --joblog - writes the header and then each row to stdout, right after
  its job's output.
EOF
t "-N0: a job per record, none of it given" in=$'1\n2\n3\n' -- -N0 echo hi
t "-N0: {} is empty, {#} counts" -- -N0 showargs x{}y {#} ::: a b
t "-N0 --tag: an empty tag" -- -N0 --tag echo hi ::: a b
t "-N0 --tagstring: no value in it either" -- -N0 --tagstring=x{}y{#} echo hi ::: a b
t "-d octal 036" in=$'a\036b\036' -- -d '\036' showargs
t "--halt now,fail=1: the failing job's status" status=3 -- -j1 --halt=now,fail=1 ex ::: 0 3 0
t "--halt soon,fail=2: the number failed" status=2 -- -j1 --halt=soon,fail=2 ex ::: 7 7 0 7 0
t "--halt now,success=1: status 0 after a failure" -- -j1 --halt=now,success=1 ex ::: 3 0 5
t "--halt now,done=2: the number failed" status=2 -- -j1 --halt=now,done=2 ex ::: 3 4 5
t "--halt 1 is soon,fail=1" status=3 -- -j1 --halt=1 ex ::: 0 3 4
t "--halt 2 is now,fail=1" status=3 -- -j1 --halt=2 ex ::: 0 3 4
t "--halt -1 is soon,success=1" -- -j1 --halt=-1 ex ::: 1 0 1
t "--halt-on-error 2" status=3 -- -j1 --halt-on-error=2 ex ::: 0 3 4
t "--halt 50%: soon,fail=50% of 3, status 67" status=67 -- -j1 --halt=50% ex ::: 1 1 1
t "--halt soon,fail=50% never reached: status 25" status=25 -- -j1 --halt=soon,fail=50% ex ::: 0 0 3 0
t "--halt now,fail=30% of 10: the third failure" status=30 -- -j1 --halt=now,fail=30% ex ::: 0 3 0 3 0 3 0 0 0 0
t "--halt now,fail=10% of 10 is one job: its status" status=7 -- -j1 --halt=now,fail=10% ex ::: 0 7 0 0 0 0 0 0 0 0
t "--halt soon,done=20% of 10: status 10" status=10 -- -j1 --halt=soon,done=20% ex ::: 3 0 0 0 0 0 0 0 0 0
t "--halt now,success=50% of 4: status 0" -- -j1 --halt=now,success=50% ex ::: 3 0 0 0
t "--halt now,fail=30% from stdin: of all records" status=30 in=$'0\n3\n0\n3\n0\n3\n0\n0\n0\n0\n' -- -j1 --halt=now,fail=30% ex
t "--joblog -: header, then each row after its output" mask=joblog -- --joblog=- echo ::: a b c
t "--joblog - with a failing job" mask=joblog status=1 -- -j1 --joblog=- ex ::: 0 2 0

###########################################################################
begin results-gnu.bats <<'EOF'
--results and --files, against GNU parallel's files and rows.

GNU's answers worth knowing (each is checked by a test below):
- --results DIR prints nothing on stdout or stderr: each job's output
  is in DIR/<source>/<value>/stdout, its stderr in .../stderr and its
  sequence number (no newline) in .../seq.  A value's / is \_, \ is
  \\, TAB is \t; several sources nest (DIR/1/a/2/x/); --header names
  stand for the numbers and are sorted (age before name); -N2 nests a
  job's records the same way.
- With a replacement string the path is used as it is: ending in / a
  directory holding seq, stdout and stderr; else the file itself and
  its .err and .seq.
- --results NAME.csv/.tsv/.json writes a row per job (-.csv and the
  like to stdout): Seq, Host, Starttime, JobRuntime, Send, Receive,
  Exitval, Signal, Command, the values (V1.. or --header names; JSON
  "V": [...]), Stdout, Stderr.  A field is quoted when it holds white
  space, a quote (doubled) or the separator; JSON escapes control bytes
  as \u00XX.
- --files prints the name of a file holding each job's stdout; --tag
  tags that line.

(GNU loses the output of a value that is empty, "." or "..", and drops
the stderr of --files jobs; pmapf does not: those are in results.bats.)
EOF
t "--results DIR: DIR/1/<value>/{seq,stdout,stderr}" show=tree:out empty -- --results=out echo ::: a b/c 'x y' 'back\slash' $'t\tab'
t "--results DIR from stdin" show=tree:out empty in=$'a\nb\n' -- --results=out echo
t "--results DIR: stderr" show=tree:out empty -- -j1 --results=out oe ::: a b
t "--results DIR: a failing job's files" show=tree:out empty status=1 -- --results=out ex ::: 0 3
t "--results DIR, two sources: nested" show=tree:out empty -- --results=out echo ::: a b ::: 1 2
t "--results DIR, --header with ::: sources: names sorted" show=tree:out empty -- --header=: --results=out echo {name} {age} ::: name bob ann ::: age 3
t "--results DIR, --header and --colsep" show=tree:out empty in=$'name,age\nbob,3\n' -- --header=: --colsep=, --results=out echo {name}
t "--results DIR, -N2: records nested" show=tree:out empty -- -N2 --results=out echo ::: a b c d
t "--results DIR/: the same tree" show=tree:out empty -- --results=out/ echo ::: a
t "--results PATH/{}.txt: the file, .err and .seq" show=tree:tp empty -- --results=tp/{}.txt oe ::: a b
t "--results PATH/{}/: a directory per job" show=tree:td empty -- --results=td/{}/ oe ::: a b
t "--results -.csv: rows on stdout" mask=table -- --results=-.csv oe ::: a 'b c' 'q"x'
t "--results -.tsv: rows on stdout" mask=table -- --results=-.tsv oe ::: a 'b c'
t "--results -.json: a row per line" mask=table -- --results=-.json oe ::: a 'q"x'
t "--results -.csv: two sources, V1 V2" mask=table -- --results=-.csv echo ::: a b ::: 1
t "--results -.csv with --header names" mask=table -- --header=: --results=-.csv echo ::: x a ::: y 1
t "--results -.json: a failing job" mask=table status=1 -- --results=-.json ex ::: 2
t "--results NAME.csv: the file, nothing on stdout" mask=table show=tree:r.csv empty -- --results=r.csv oe ::: a b
t "--files: a file per job holding its stdout" show=files -- --files echo ::: a b c
t "--files --tag: the name tagged" show=files -- --tag --files echo ::: a b
t "--files --results DIR: the stdout files' names" show=files -- --files --results=out echo ::: a b

###########################################################################
write_gnu_helpers
for f in gnu-helpers.bash inputs-sources.bats inputs-columns.bats habits-gnu.bats results-gnu.bats; do
	mv "$work/$f" "$here/$f"
	case $f in
	*.bats) echo "wrote $here/$f: $(grep -c '^@test ' "$here/$f") tests" ;;
	*) echo "wrote $here/$f" ;;
	esac
done
