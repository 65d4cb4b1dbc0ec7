#!/usr/bin/env bats
# Input sources and columns where pmapf deliberately differs from GNU
# parallel 20221122 (GNU's answer is in each test's comment, and the
# generated tables in inputs-sources.bats and inputs-columns.bats leave
# these cases out), bad input, streaming, and the replacement-string
# options.
load helpers

# showargs prints each argument in brackets, then a newline.
inputs_setup() {
	mkdir "$T/bin"
	printf '%s\n' '#!/bin/sh' 'for a; do printf "[%s]" "$a"; done; echo' > "$T/bin/showargs"
	chmod +x "$T/bin/showargs"
	PATH=$T/bin:$PATH
}

@test "a position before the first value is empty, not counted round" {
	# GNU: [b][a] ({-3} of two is {2}, as a Perl index).
	inputs_setup
	run --separate-stderr "$PMAPF" showargs {-3} {-1} x{-3}y ::: a ::: b
	[ "$status" -eq 0 ]
	[ "$output" = "[b][xy]" ]
	echo 'a,b
c' > "$T/f"
	# GNU: [a][a] then [c][c] ({-2} of one column is that column).
	run --separate-stderr "$PMAPF" --colsep , showargs {-2} {1} :::: "$T/f"
	[ "$status" -eq 0 ]
	[ "$output" = "[a][a]
[c]" ]
}

@test "a ::: value holding a newline stays one value" {
	# GNU: three jobs, [two] [lines] [x].
	inputs_setup
	run --separate-stderr "$PMAPF" showargs ::: $'two\nlines' x
	[ "$status" -eq 0 ]
	[ "$output" = $'[two\nlines]\n[x]' ]
}

@test "a source with no values makes no combinations" {
	# GNU: one job, [a] with an empty value after it.
	inputs_setup
	run --separate-stderr "$PMAPF" showargs ::: a :::: /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test ":::+ after -a FILE links as anywhere else" {
	# GNU: every combination (-a sources are not linked to).
	inputs_setup
	printf 'p\nq\n' > "$T/f"
	run --separate-stderr "$PMAPF" -a "$T/f" showargs :::+ x y z
	[ "$status" -eq 0 ]
	[ "$output" = "[p][x]
[q][y]" ]
}

@test "bad sources are refused before any job runs, naming the thing" {
	# GNU runs nothing and exits 0 for an empty ::: .
	refused echo ::: a :::
	[ "${stderr_lines[0]}" = "pmapf: ::: needs at least one value" ]
	refused echo ::::
	[ "${stderr_lines[0]}" = "pmapf: :::: needs at least one file name" ]
	refused --arg-sep= echo
	[[ "${stderr_lines[0]}" == *"--arg-sep: the separator is empty"* ]]
	refused -I '' echo
	[[ "${stderr_lines[0]}" == *"-I/--replace: the replacement string is empty"* ]]
}

@test "a source file that cannot be opened: exit 255, no job runs" {
	run --separate-stderr "$PMAPF" sh -c 'touch "$0"' "$T/ran" :::: "$T/nosuch" ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"cannot open input file '$T/nosuch': No such file or directory"* ]]
	[ ! -e "$T/ran" ]
	run --separate-stderr "$PMAPF" -a "$T/nosuch" echo
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"'$T/nosuch'"* ]]
}

@test "a --colsep that cannot be used is refused, saying why" {
	refused --colsep '(?=x)' echo ::: a
	[ "${stderr_lines[0]}" = 'pmapf: --colsep "(?=x)": lookaround (?=...) is not supported' ]
	refused --colsep '' echo ::: a
	[ "${stderr_lines[0]}" = 'pmapf: --colsep "": it can match the empty string' ]
	refused --colsep 'a|' echo ::: a
	[[ "${stderr_lines[0]}" == 'pmapf: --colsep "a|": '* ]]
	refused --colsep '(,)' echo ::: a
	[[ "${stderr_lines[0]}" == 'pmapf: --colsep "(,)": '*'(?:'* ]]
	refused --colsep '\1' echo ::: a
	[[ "${stderr_lines[0]}" == 'pmapf: --colsep "\\1": '* ]]
}

@test "--colsep '\\t' splits on tabs, not on the letter t" {
	inputs_setup
	run --separate-stderr "$PMAPF" --colsep '\t' showargs {2} {1} <<< $'at\tbt'
	[ "$status" -eq 0 ]
	[ "$output" = "[bt][at]" ]
	run --separate-stderr "$PMAPF" --colsep '\s*;\s*' showargs <<< $'a ;\t b;c'
	[ "$status" -eq 0 ]
	[ "$output" = "[a][b][c]" ]
}

@test "--header with an empty source: exit 255 before any job" {
	run --separate-stderr "$PMAPF" --header : sh -c 'touch "$0"' "$T/ran" :::: /dev/null
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "pmapf: --header: an input source has no header line (it is empty)" ]
	[ ! -e "$T/ran" ]
}

@test "{= perl =} is refused, never run with the value appended" {
	refused echo '{= $_ =~ s/a/b/ =}' ::: a
	[[ "${stderr_lines[0]}" == *"{= perl expression =} is not supported"* ]]
	refused --tagstring '{=1=}' echo ::: a
	[[ "${stderr_lines[0]}" == *"{= perl expression =} is not supported"* ]]
	# Apart, {= and =} are text.
	run --separate-stderr "$PMAPF" echo '{=' '=}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "{= =} a" ]
}

@test "--workers and the built-in take one value per job: several sources are refused" {
	refused --workers cat ::: a ::: b
	[[ "${stderr_lines[0]}" == *"--workers reads one value per line"* ]]
	refused ::: 1 2 ::: 3
	[[ "${stderr_lines[0]}" == *"the built-in slow_add_one takes one value per job"* ]]
	refused --colsep , ::: 1,2
	[[ "${stderr_lines[0]}" == *"the built-in slow_add_one takes one value per job"* ]]
	run --separate-stderr "$PMAPF" --time-scale 0 ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "2
3" ]
	run --separate-stderr "$PMAPF" --workers cat ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "a
b" ]
}

@test "-I and the other replacement-string options, as GNU parallel" {
	inputs_setup
	run --separate-stderr "$PMAPF" -I % showargs % x{} ::: a/b.c
	[ "$status" -eq 0 ]
	[ "$output" = "[a/b.c][x{}]" ]
	run --separate-stderr "$PMAPF" --er E --bnr B --dnr D --bner BE \
		--seqreplace S --slotreplace L -j1 showargs E B D BE S L {.} ::: a/b.c
	[ "$status" -eq 0 ]
	[ "$output" = "[a/b][b.c][a][b][1][1][{.}]" ]
	# GNU: with -I, positions are text too.
	run --separate-stderr "$PMAPF" --replace=@@ showargs @@{1} ::: p ::: q
	[ "$status" -eq 0 ]
	[ "$output" = "[p][q{1}]" ]
	run --separate-stderr "$PMAPF" --er % showargs {1} % {.} ::: a.b
	[ "$status" -eq 0 ]
	[ "$output" = "[a.b][a][{.}]" ]
}

@test "--arg-sep and --arg-file-sep free ::: and :::: for the command" {
	inputs_setup
	printf 'f\n' > "$T/f"
	run --separate-stderr "$PMAPF" --arg-sep ,, --arg-file-sep ,,,, showargs ::: {} ,, a b ,,,,+ "$T/f" "$T/f"
	[ "$status" -eq 0 ]
	[ "$output" = "[:::][a][f][f]" ]
}

@test "-s -N: only the shell word holding {} repeats, as GNU parallel" {
	run --separate-stderr "$PMAPF" -s -N2 'echo rm -f {} &&  echo a{}b' ::: x y z
	[ "$status" -eq 0 ]
	[ "$output" = "rm -f x y
axb ayb
rm -f z
azb" ]
}

@test "sources stream: the first job starts before a slow source ends" {
	# The writer sends the second value only once the first job has run:
	# a pmapf that waited for the end of input would never start it.
	{
		echo a
		wait_until 20 test -e "$T/started.a" || exit 1
		echo b
	} | "$PMAPF" -u -s 'touch '"$T"'/started.{1}; echo {1}{2}' :::: - ::: x > "$T/out"
	[ "$(sort "$T/out" | tr '\n' ' ')" = "ax bx " ]
}

@test "a later source streams too: jobs start as its values arrive" {
	{
		echo 1
		wait_until 20 test -e "$T/started.1" || exit 1
		echo 2
	} | "$PMAPF" -u -s 'touch '"$T"'/started.{2}; echo {1}{2}' ::: a :::: - > "$T/out"
	[ "$(sort "$T/out" | tr '\n' ' ')" = "a1 a2 " ]
}

@test "progress counts combinations once the sources have ended" {
	run --separate-stderr "$PMAPF" --progress=plain echo ::: a b c ::: 1 2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[[ "$stderr" == *"6/6"* ]] || [[ "$stderr" == *"done=6"* ]]
}

@test "standard input can be only one source" {
	refused echo :::: - -
	[ "${stderr_lines[0]}" = "pmapf: standard input (-) can be only one input source" ]
	refused -a - echo :::: -
	[ "${stderr_lines[0]}" = "pmapf: standard input (-) can be only one input source" ]
}

@test "-E '' is no end-of-file string, as GNU parallel" {
	inputs_setup
	run --separate-stderr "$PMAPF" -E '' showargs ::: a '' c
	[ "$status" -eq 0 ]
	[ "$output" = "[a]
[]
[c]" ]
}

@test "--header: a column's name comes before a position, as GNU parallel" {
	inputs_setup
	run --separate-stderr "$PMAPF" --header : --colsep '\t' showargs {2.} {2} <<< $'2.\tz\nV1\tV2'
	[ "$status" -eq 0 ]
	[ "$output" = "[V1][V2]" ]
}

@test "a first :::+ or ::::+ has nothing to link to; the files after it link, as GNU parallel" {
	printf 'a\nb\nc\n' > "$T/f1"
	printf 'b\nc\n' > "$T/f2"
	run --separate-stderr "$PMAPF" echo {1} - {2} ::::+ "$T/f1" "$T/f2"
	[ "$status" -eq 0 ]
	[ "$output" = "a - b
b - c" ]
	run --separate-stderr "$PMAPF" echo :::+ a b
	[ "$status" -eq 0 ]
	[ "$output" = "a
b" ]
}
