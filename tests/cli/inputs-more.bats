#!/usr/bin/env bats
# --plus, -X/-m/--xargs, -E, -q, -s without COMMAND and its shell,
# $PARALLEL_SEQ/$PARALLEL_JOBSLOT, {} in the command name, --shebang.
# Expected outputs marked "GNU" were produced once by GNU parallel
# 20221122 (Debian 12) on the same input; the tests do not need it.
load helpers

@test "--plus path strings, as GNU parallel" {
	run --separate-stderr "$PMAPF" --plus echo {+/} {+.} {+..} {+...} {..} {...} {/..} {/...} \
		::: a.b noext dir/sub/a.b.c.gz x/y.z/w .h
	[ "$status" -eq 0 ]
	# GNU
	[ "$output" = " b   a.b a.b a.b a.b
    noext noext noext noext
dir/sub gz c.gz b.c.gz dir/sub/a.b dir/sub/a a.b a
x/y.z z/w   x/y.z/w x/y.z/w w w
 h   .h .h .h .h" ]
}

@test "--plus bash-like strings with Perl regexes, as GNU parallel" {
	run --separate-stderr "$PMAPF" --plus echo '{#.*/}' '{##.*/}' '{%\.[^.]*}' '{%%\..*}' \
		'{/\./_}' '{//\./_}' '{/#a/X}' '{/%e/X}' '{^a}' '{^^[a-c]}' '{:-E}' '{:2}' '{:1:3}' ::: a/b/c.d.e
	[ "$status" -eq 0 ]
	# GNU
	[ "$output" = "b/c.d.e c.d.e a/b/c.d a/b/c a/b/c_d.e a/b/c_d_e X/b/c.d.e a/b/c.d.X A/b/c.d.e A/B/C.d.e a/b/c.d.e b/c.d.e /b/" ]
	run --separate-stderr "$PMAPF" --plus echo '{:-E}' '{,A}' '{,,[AB]}' ::: '' ABAB
	[ "$status" -eq 0 ]
	[ "$output" = "E  
ABAB aBAB abab" ]
	run --separate-stderr "$PMAPF" --plus echo {2+.} {-1..} {1:-d} ::: a.b ::: c.d.e
	[ "$status" -eq 0 ]
	[ "$output" = "e c a.b" ]
}

@test "--plus {##} {0#} {0%}: the total, padded numbers; input read first" {
	run --separate-stderr "$PMAPF" --plus -j3 echo {##} {0#} ::: a b c d e f g h i j k
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "11 01" ]
	[ "${lines[10]}" = "11 11" ]
	run --separate-stderr "$PMAPF" --plus -j12 -N2 echo {0%} {##} ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "01 2
02 2" ] || [ "$output" = "01 2
01 2" ]
	refused --plus -X echo {##} ::: a
	[[ "${stderr_lines[0]}" == *"{##} and {0#} need the number of jobs"* ]]
}

@test "--plus strings without --plus are refused, not taken as text; a bad --plus regex too" {
	# GNU parallel would run 'echo {+.} a.b'.
	refused echo '{+.}' ::: a.b
	[ "${stderr_lines[0]}" = "pmapf: a --plus replacement string ({+.}, {..}, {##}...) without --plus: add --plus" ]
	refused --tagstring '{##}' echo ::: a
	[ "${stderr_lines[0]}" = "pmapf: --tagstring: a --plus replacement string ({+.}, {..}, {##}...) without --plus: add --plus" ]
	refused --plus echo '{%(?=x)}' ::: a
	[[ "${stderr_lines[0]}" == *"lookaround"* ]]
	# Not --plus strings, so text: {uniq} without --plus, bash braces.
	run --separate-stderr "$PMAPF" -s 'echo {uniq} {1..3}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "{uniq} 1 2 3 a" ]
}

@test "--plus {uniq}, {choose_k}, {host}, {sshlogin}, {agrp}, {hgrp}, as GNU parallel" {
	# GNU's output; GNU exits 2 here, counting the jobs it skips as
	# failed; pmapf does not (a deliberate difference).
	run --separate-stderr "$PMAPF" --plus echo {#} {uniq} ::: a b ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "2 a b
3 b a" ]
	# The whole job is looked at: with -N2 every job has a repeat.
	run --separate-stderr "$PMAPF" --plus -N2 echo {uniq} ::: a b ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr "$PMAPF" --plus echo {choose_k} ::: a b c ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "a b
a c
b c" ]
	run --separate-stderr "$PMAPF" --plus echo {host} {sshlogin} {agrp} {hgrp} x ::: a
	[ "$status" -eq 0 ]
	[ "$output" = ": : x" ]
}

@test "-X repeats the word holding {}, -m makes each record a word, spread over -j" {
	# GNU, for all three
	run --separate-stderr bash -c "seq 10 | '$PMAPF' -j2 -X echo x{}y"
	[ "$status" -eq 0 ]
	[ "$output" = "x1y x2y x3y x4y x5y
x6y x7y x8y x9y x10y" ]
	run --separate-stderr bash -c "seq 10 | '$PMAPF' -j2 -m echo x{}y"
	[ "$status" -eq 0 ]
	[ "$output" = "x1 2 3 4 5y
x6 7 8 9 10y" ]
	run --separate-stderr bash -c "seq 10 | '$PMAPF' -j3 -X echo"
	[ "$status" -eq 0 ]
	[ "$output" = "1 2 3 4
5 6 7 8
9 10" ]
	run --separate-stderr bash -c "seq 5 | '$PMAPF' -j2 -X -N2 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "1 2
3 4
5" ]
}

@test "--xargs fills command lines, never past the limit, losing nothing" {
	seq 1 300000 > "$T/in"
	run --separate-stderr bash -c "'$PMAPF' --xargs echo < '$T/in' > '$T/out'"
	[ "$status" -eq 0 ]
	# More than one job (ARG_MAX is finite), every record once, in order.
	[ "$(wc -l < "$T/out")" -gt 1 ]
	tr ' ' '\n' < "$T/out" | cmp - "$T/in"
	run --separate-stderr bash -c "'$PMAPF' -s --xargs echo < '$T/in' > '$T/out'"
	[ "$status" -eq 0 ]
	tr ' ' '\n' < "$T/out" | cmp - "$T/in"
	# A -s script is one argument: each line within 128 KiB.
	[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/out")" -lt 131072 ]
	run --separate-stderr bash -c "seq 10 | '$PMAPF' -j2 --xargs echo x{}y"
	[ "$status" -eq 0 ]
	[ "$output" = "x1 2 3 4 5 6 7 8 9 10y" ]
}

@test "-X, -m, --xargs apply to a COMMAND, not the built-in or --workers" {
	refused -X
	[ "${stderr_lines[0]}" = "pmapf: -X/--context-replace applies to a COMMAND run per job, not to the built-in" ]
	refused --xargs --workers cat
	[ "${stderr_lines[0]}" = "pmapf: --xargs applies to a COMMAND run per job, not to --workers" ]
}

@test "-E: a value ends its source" {
	run --separate-stderr bash -c "printf 'a\nSTOP\nb\n' | '$PMAPF' -E STOP echo"
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
	run --separate-stderr "$PMAPF" -E b echo ::: a b c ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "a x" ]
}

@test "-s without COMMAND runs each record as a command line" {
	run --separate-stderr bash -c "printf 'echo hi\necho \$((1+2)) | tr 3 4\nexit 3\n' | '$PMAPF' -s"
	[ "$status" -eq 1 ]
	[ "$output" = "hi
4" ]
}

@test "-q with -s quotes the command's own words; without -s it changes nothing" {
	run --separate-stderr "$PMAPF" -s -q printf '%s|' 'a  b' '$HOME' ::: c
	[ "$status" -eq 0 ]
	[ "$output" = 'a  b|$HOME|c|' ]
	run --separate-stderr "$PMAPF" -q printf '%s|' 'a  b' ::: c
	[ "$status" -eq 0 ]
	[ "$output" = 'a  b|c|' ]
}

@test "-s runs the shell GNU parallel would pick, and only a quotable one" {
	run --separate-stderr env PARALLEL_SHELL=/bin/dash "$PMAPF" -s 'echo $0' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "/bin/dash a" ]
	# Started from bash (bats is bash): bash, so exported functions work.
	doit() { echo "did $1"; }
	export -f doit
	run --separate-stderr "$PMAPF" -s doit ::: 'x y' '$(id)'
	[ "$status" -eq 0 ]
	[ "$output" = 'did x y
did $(id)' ]
	# A shell pmapf cannot quote for: /bin/sh, said once.
	run --separate-stderr env PARALLEL_SHELL=/usr/bin/fish "$PMAPF" -s 'echo $0' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "/bin/sh a
/bin/sh b" ]
	[ "$stderr" = "pmapf: -s runs commands with /bin/sh: pmapf cannot quote values safely for /usr/bin/fish" ]
}

@test "every job has \$PARALLEL_SEQ and \$PARALLEL_JOBSLOT; a worker its slot" {
	run --separate-stderr env PARALLEL_SEQ=99 "$PMAPF" -j1 sh -c 'echo $PARALLEL_SEQ $PARALLEL_JOBSLOT $0' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "1 1 a
2 1 b" ]
	run --separate-stderr env PARALLEL_SEQ=99 "$PMAPF" -j1 --workers sh -c 'while read x; do echo "$x ${PARALLEL_SEQ:-none} $PARALLEL_JOBSLOT"; done' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a none 1" ]
}

@test "{} in the command name is looked up for each job" {
	run --separate-stderr "$PMAPF" -j1 {} hi ::: echo printf
	[ "$status" -eq 0 ]
	[ "$output" = "hi
hi" ]
	run --separate-stderr "$PMAPF" {}x ::: echo
	[ "$status" -eq 1 ]
	[ "$stderr" = "pmapf: record 1 \"echo\": cannot run 'echox': command not found" ]
}

@test "--shebang: a script of values; --shebang-wrap: a script run per argument" {
	printf '#!%s --shebang -j2 echo got\nA\nB\n' "$PMAPF" > "$T/s"
	chmod +x "$T/s"
	run --separate-stderr "$T/s"
	[ "$status" -eq 0 ]
	[ "$output" = "got A
got B" ]
	printf '#!%s --shebang-wrap /bin/sh\necho "run $1"\n' "$PMAPF" > "$T/w"
	chmod +x "$T/w"
	run --separate-stderr "$T/w" x y
	[ "$status" -eq 0 ]
	[ "$output" = "run x
run y" ]
	run --separate-stderr bash -c "printf 'p\nq\n' | '$T/w'"
	[ "$status" -eq 0 ]
	[ "$output" = "run p
run q" ]
}

@test "--max-chars: -X and --xargs fill up to it; a longer line fails, the others run" {
	# GNU (its -s)
	run --separate-stderr bash -c "seq 20 | '$PMAPF' --xargs --max-chars 20 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "1 2 3 4 5 6 7
8 9 10 11 12
13 14 15 16 17
18 19 20" ]
	run --separate-stderr bash -c "seq 20 | '$PMAPF' -X --max-chars 20 echo"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1 2 3 4 5 6 7" ]
	# GNU stops the whole run here; pmapf fails the one job.
	run --separate-stderr "$PMAPF" --max-chars 7 echo ::: 1 22
	[ "$status" -eq 1 ]
	[ "$output" = "1" ]
	[ "$stderr" = 'pmapf: record 2 "22": command line too long (8 bytes; --max-chars is 7)' ]
	refused --max-chars 0 echo
	[ "${stderr_lines[0]}" = "pmapf: --max-chars: invalid value '0' (expected a whole number from 1 to 2147483647)" ]
}

@test "--col-sep is --colsep" {
	run --separate-stderr "$PMAPF" --col-sep , echo {2} ::: a,b
	[ "$status" -eq 0 ]
	[ "$output" = "b" ]
}

@test "-r: {##}, {#} and -X's share count only the records it keeps, as GNU parallel" {
	run --separate-stderr bash -c "printf 'a\n\n  \nb\n' | '$PMAPF' -r --plus echo {#} {##} {}"
	[ "$status" -eq 0 ]
	[ "$output" = "1 2 a
2 2 b" ]
	run --separate-stderr bash -c "printf 'a\n\n\n\n\nb\n' | '$PMAPF' -r -j2 -X echo"
	[ "$status" -eq 0 ]
	[ "$output" = "a
b" ]
}

@test "-r skips blank records (any blank value of several), -P is -j, as GNU parallel" {
	# GNU
	run --separate-stderr bash -c "printf '1\n  \n\t\n2\n' | '$PMAPF' -r echo x"
	[ "$status" -eq 0 ]
	[ "$output" = "x 1
x 2" ]
	run --separate-stderr "$PMAPF" -r echo ::: a '' ::: b ''
	[ "$status" -eq 0 ]
	[ "$output" = "a b" ]
	run --separate-stderr "$PMAPF" -P 3 --dry-run echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
}

@test "--plus {1uniq} {2uniq}: positions with the filter, as GNU parallel" {
	run --separate-stderr "$PMAPF" --plus echo {1uniq}+{2uniq} ::: A B ::: A B
	[ "$status" -eq 0 ]
	[ "$output" = "A+B
B+A" ]
}
