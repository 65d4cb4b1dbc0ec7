#!/usr/bin/env bats
# Building commands: replacement strings, delimiters, -s, --dry-run, -j
# forms.  Expected values were produced once by GNU parallel 20221122
# (Debian 12) on the same input; the tests do not need it installed.
load helpers

@test "compat: replacement strings give what GNU parallel gives" {
	printf '%s\n' dir/file.tar.gz /a/b.c noext .hidden a/b/ a.b.c ./x x/.y / foo. > "$T/in"
	"$PMAPF" -j3 echo '{} : {.} : {/} : {//} : {/.} : {#}' < "$T/in" > "$T/out"
	cat > "$T/want" <<'TXT'
dir/file.tar.gz : dir/file.tar : file.tar.gz : dir : file.tar : 1
/a/b.c : /a/b : b.c : /a : b : 2
noext : noext : noext : . : noext : 3
.hidden :  : .hidden : . :  : 4
a/b/ : a/b/ :  : a :  : 5
a.b.c : a.b : a.b.c : . : a.b : 6
./x : ./x : x : . : x : 7
x/.y : x/ : .y : x :  : 8
/ : / :  : / :  : 9
foo. : foo : foo. : . : foo : 10
TXT
	diff "$T/want" "$T/out"
}

@test "{%} is a slot from 1 to N, never two running jobs on one slot" {
	seq 60 | "$PMAPF" -j3 sh -c 'echo "$0"; sleep 0.01' '{%}' > "$T/out"
	[ "$(sort -u "$T/out" | tr '\n' ' ')" = "1 2 3 " ]
	run bash -c "echo x | '$PMAPF' -j1 echo {%}"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "a replacement string anywhere means the record is not appended" {
	run bash -c "echo r | '$PMAPF' echo {#}"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "compat: -0 splits on NUL; records may hold newlines" {
	printf 'a\nb\0c d\0' | "$PMAPF" -0 printf '[%s]' > "$T/out"
	[ "$(cat "$T/out")" = "$(printf '[a\nb][c d]')" ]
}

@test "compat: -d takes a byte or a C escape" {
	run bash -c "printf 'a,b,c' | '$PMAPF' -d , echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb\nc')" ]
	run bash -c "printf 'a\tb' | '$PMAPF' -d '\\t' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	run bash -c "printf 'a\0b' | '$PMAPF' -d '\\0' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	run bash -c "printf 'a\036b' | '$PMAPF' -d '\\x1e' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "-d and -0: bad values are refused" {
	refused -d ab echo
	[[ "${stderr_lines[0]}" == "pmapf: -d/--delimiter: invalid value 'ab'"* ]]
	refused -d '' echo
	refused -d '\q' echo
}

@test "a line worker refuses a record with a newline; the rest run" {
	cat > "$T/w" <<'SH'
#!/bin/sh
while IFS= read -r l; do echo "<$l>"; done
SH
	chmod +x "$T/w"
	printf 'a\0b\nc\0d\0' | "$PMAPF" -0 -j1 --workers "$T/w" > "$T/out" 2> "$T/err" || st=$?
	[ "${st:-0}" -eq 1 ]
	[ "$(cat "$T/out")" = "$(printf '<a>\n<d>')" ]
	grep -q 'record 2 "b\\nc": record contains a newline' "$T/err"
}

@test "-s runs through sh: pipes and redirections work" {
	printf 'x\ny\n' > "$T/in"
	(cd "$T" && "$PMAPF" -s 'echo {} | tr a-z A-Z > {}.out' < in)
	[ "$(cat "$T/x.out")" = X ]
	[ "$(cat "$T/y.out")" = Y ]
}

@test "-s substitutes records quoted: none can inject shell code" {
	printf '%s\n' '$(touch pwned)' '`touch pwned`' "it's; touch pwned" '"; touch pwned; "' > "$T/in"
	(cd "$T" && "$PMAPF" -j1 -s 'echo {}' < in > out)
	[ ! -e "$T/pwned" ]
	cmp "$T/in" "$T/out"
}

@test "--dry-run prints commands that, pasted into sh, do the same" {
	printf '%s\n' 'plain' 'two words' "it's" '$HOME' 'a"b' > "$T/in"
	"$PMAPF" --dry-run printf '<%s>\n' x{}y < "$T/in" > "$T/cmds"
	[ "$(wc -l < "$T/cmds")" -eq 5 ]
	[ "$(head -n 1 "$T/cmds")" = "printf '<%s>\n' xplainy" ]
	sh "$T/cmds" > "$T/via_sh"
	"$PMAPF" printf '<%s>\n' x{}y < "$T/in" > "$T/direct"
	cmp "$T/via_sh" "$T/direct"
}

@test "--dry-run runs nothing; with -s it prints the script" {
	run bash -c "echo a | '$PMAPF' --dry-run touch '$T/made'"
	[ "$status" -eq 0 ]
	[ "$output" = "touch $T/made a" ]
	[ ! -e "$T/made" ]
	run bash -c "echo 'x y' | '$PMAPF' -s --dry-run 'gzip -c {} > {}.gz'"
	[ "$status" -eq 0 ]
	[ "$output" = "gzip -c 'x y' > 'x y'.gz" ]
	run bash -c "echo 5 | '$PMAPF' --dry-run"
	[ "$status" -eq 0 ]
	[ "$output" = "slow_add_one 5" ]
}

@test "-j N% and -j 0" {
	n=$(getconf _NPROCESSORS_ONLN)
	# 200% of the CPUs at once: the count seen running reaches 2n.
	cat > "$T/job" <<'SH'
#!/bin/sh
d=$1; touch "$d/live.$$"; ls "$d" | grep -c '^live' >> "$d/counts"; sleep 0.3; rm "$d/live.$$"
SH
	chmod +x "$T/job"
	seq $((4 * n)) | "$PMAPF" -j 200% "$T/job" "$T" > /dev/null
	[ "$(sort -n "$T/counts" | tail -1)" -le $((2 * n)) ]
	[ "$(sort -n "$T/counts" | tail -1)" -ge 2 ]
	run bash -c "seq 3 | '$PMAPF' -j 0 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 3)" ]
	refused -j 0% echo
	refused -j 5%% echo
}

@test "--workers does not combine with -s or --dry-run" {
	refused --workers -s cat
	[ "${stderr_lines[0]}" = "pmapf: --workers cannot be combined with -s/--shell" ]
	refused --workers --dry-run cat
	[ "${stderr_lines[0]}" = "pmapf: --workers cannot be combined with --dry-run" ]
}

@test "compat: --tag prefixes every stdout and stderr line, as GNU parallel" {
	printf 'a\n' | "$PMAPF" --tag sh -c 'printf "x\ny"; echo e "$0" >&2' > "$T/out" 2> "$T/err"
	[ "$(cat "$T/out"; echo .)" = "$(printf 'a\tx\na\ty.')" ]
	[ "$(cat "$T/err")" = "$(printf 'a\te a')" ]
	run bash -c "printf 'a b\nc\n' | '$PMAPF' -j2 --tag echo x"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a b\tx a b\nc\tx c')" ]
	run bash -c "printf 'q\n' | '$PMAPF' --tag true"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "compat: --tagstring expands replacement strings" {
	run bash -c "printf 'a.txt\n' | '$PMAPF' --tagstring '{.}-{#}' echo hi"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a-1\thi a.txt')" ]
	run bash -c "printf 'x\ny\n' | '$PMAPF' -j1 -u --tagstring '[{%}]' printf '1\n2\n%.0s'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[1]\t1\n[1]\t2\n[1]\t1\n[1]\t2')" ]
	# No replacement string: the tag is the string alone, the value is
	# not appended as it is to a command (GNU parallel: "X\ta").
	run "$PMAPF" --tagstring X echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'X\ta')" ]
}

@test "--tag works on big, spilled output without mangling a byte" {
	printf 'r\n' | "$PMAPF" --tag sh -c 'seq 2000000' > "$T/out"
	seq 2000000 | sed 's/^/r\t/' | cmp - "$T/out"
}

@test "compat: -N gives each job N records, as GNU parallel" {
	run bash -c "printf 'a.x\nb\nc\n' | '$PMAPF' -N2 echo '[{}]' '[{.}]' '[{#}]' '[{1}]' '[{2}]' '[{3}]'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a.x] [b] [a] [b] [1] [a.x] [b] []\n[c] [c] [2] [c] [] []')" ]
	run bash -c "printf 'a\nb\nc\nd\ne\n' | '$PMAPF' -N2 echo '{1}-{2}'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a-b\nc-d\ne-')" ]
	run bash -c "printf 'a\nb\nc\nd\ne\n' | '$PMAPF' -N2 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a b\nc d\ne')" ]
	run bash -c "printf 'a\nb\nc\n' | '$PMAPF' -N2 --tag echo x"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a b\tx a b\nc\tx c')" ]
	run bash -c "printf 'a\nb\nc\n' | '$PMAPF' -N2 --dry-run echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'echo a b\necho c')" ]
}

@test "-N: records stay whole words; -s quotes each; groups wait for input" {
	run bash -c "printf 'a b\nc\n' | '$PMAPF' -N2 printf '<%s>'"
	[ "$status" -eq 0 ]
	[ "$output" = "<a b><c>" ]
	run bash -c "printf 'a b\n\$(x)\n' | '$PMAPF' -N2 -s 'printf \"<%s>\" {2} {1}'"
	[ "$status" -eq 0 ]
	[ "$output" = '<$(x)><a b>' ]
	run bash -c "(echo a; sleep 0.3; echo b; echo c) | '$PMAPF' -N2 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a b\nc')" ]
}

@test "-N: ordered, unordered, joblog counts jobs, bad values refused" {
	seq 10 | "$PMAPF" -u -j3 -N3 --joblog "$T/log" echo | sort > "$T/out"
	[ "$(cat "$T/out")" = "$(printf '1 2 3\n10\n4 5 6\n7 8 9')" ]
	[ "$(wc -l < "$T/log")" -eq 5 ]
	run bash -c "seq 7 | '$PMAPF' -j3 -N2 echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1 2\n3 4\n5 6\n7')" ]
	refused -N 100001 echo
	[ "${stderr_lines[0]}" = "pmapf: -N/-n: invalid value '100001' (expected a whole number from 0 to 100000)" ]
	refused -N x echo
	refused -N 2
	[ "${stderr_lines[0]}" = "pmapf: -N/-n applies to a COMMAND run per job, not to the built-in" ]
}

@test "-N: a failing job is named by job number with its records" {
	run --separate-stderr bash -c "printf 'a\nb\n' | '$PMAPF' -N2 sh -c 'kill -9 \$\$'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = 'pmapf: job 1 "a b": killed by signal 9 (Killed)' ]
}

@test "-0, -d, -s, --dry-run, --resume and {%} in unordered mode too" {
	# Sorted here, not in the pipeline, so that $status is pmapf's.
	run bash -c "printf 'a\nb\0c d\0' | '$PMAPF' -u -j2 -0 printf '[%s]\n'"
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf '[a\nb]\n[c d]' | sort)" ]
	run bash -c "printf 'x,y' | '$PMAPF' -u -d , -s 'echo {} | tr a-z A-Z'"
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf 'X\nY')" ]
	run bash -c "seq 3 | '$PMAPF' -u --dry-run echo {#}"
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf 'echo 1\necho 2\necho 3')" ]
	seq 4 | "$PMAPF" -u --joblog "$T/log" sh -c 'exit $(($0 % 2))' || st=$?
	[ "${st:-0}" -eq 2 ]
	run bash -c "seq 4 | '$PMAPF' -u --resume-failed --joblog '$T/log' echo again"
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf 'again 1\nagain 3')" ]
	run bash -c "seq 30 | '$PMAPF' -u -j2 sh -c 'echo \$0; sleep 0.01' '{%}'"
	[ "$status" -eq 0 ]
	[ "$(sort -u <<< "$output" | tr '\n' ' ')" = "1 2 " ]
}

@test "--dry-run: {%} in the tag and in the command agree, 1..N in turn" {
	run --separate-stderr bash -c "seq 6 | '$PMAPF' -j3 --dry-run --tagstring 'slot{%}' echo {%}"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'slot%s\techo %s\n' 1 1 2 2 3 3 1 1 2 2 3 3)" ]
}
