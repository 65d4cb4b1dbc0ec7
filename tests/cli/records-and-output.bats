#!/usr/bin/env bats
# Records in, blocks out: the byte-level contract of the filter.
load helpers

@test "empty input: no output, exit 0" {
	run "$PMAPF" echo < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a final record without a trailing newline still counts" {
	run bash -c "printf 'a\nb' | '$PMAPF' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "empty lines are records too" {
	run bash -c "printf '\n\nx\n' | '$PMAPF' -j1 printf '[%s]\n'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[]\n[]\n[x]')" ]
}

@test "job output passes byte-exact: NUL bytes, no added newline" {
	printf 'x\ny\n' | "$PMAPF" -j2 printf 'a\000b%s' > "$T/out"
	printf 'a\000bxa\000by' > "$T/want"
	cmp "$T/out" "$T/want"
}

@test "records pass byte-exact: tabs, CR, quotes, invalid UTF-8, leading dash" {
	printf 'a\tb\r\n"q'"'"'$(x)\n\xff\xfe\n-n\n' > "$T/in"
	"$PMAPF" -j3 printf '%s\n' < "$T/in" > "$T/out"
	cmp "$T/in" "$T/out"
}

@test "two jobs' output never interleave, even when written in pieces" {
	# Each job writes 3 chunks of 70000 bytes with pauses between, so a
	# naive runner would mix them; each letter must form one run.
	cat > "$T/job" <<'SH'
#!/bin/sh
for i in 1 2 3; do head -c 70000 /dev/zero | tr '\0' "$1"; sleep 0.02; done
SH
	chmod +x "$T/job"
	printf '%s\n' a b c d e f | "$PMAPF" -u -j6 "$T/job" > "$T/out"
	[ "$(wc -c < "$T/out")" -eq $((6 * 210000)) ]
	runs=$(tr -s 'abcdef' < "$T/out")
	[ "${#runs}" -eq 6 ]
}

@test "each job's stderr comes out as one block" {
	cat > "$T/job" <<'SH'
#!/bin/sh
for i in 1 2 3; do echo "$1 err $i" >&2; sleep 0.02; done
SH
	chmod +x "$T/job"
	printf '%s\n' a b c | "$PMAPF" -u -j3 "$T/job" 2> "$T/err"
	# Lines of one job are adjacent: the record letter changes twice.
	[ "$(cut -c1 "$T/err" | uniq | wc -l)" -eq 3 ]
	[ "$(wc -l < "$T/err")" -eq 9 ]
}

@test "jobs get /dev/null as stdin and never eat pmapf's input" {
	run bash -c "printf '1\n2\n3\n' | '$PMAPF' -j1 sh -c 'cat; echo \"\$0\"'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "streaming: a job's output is written before input ends (-u)" {
	{ echo 1; sleep 4; echo 2; } | "$PMAPF" -u echo > "$T/out" &
	pid=$!
	wait_for_line '^1$' "$T/out" 3
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf '1\n2')" ]
}

@test "streaming: ordered mode does not wait for EOF either" {
	{ echo 1; sleep 4; echo 2; } | "$PMAPF" echo > "$T/out" &
	pid=$!
	wait_for_line '^1$' "$T/out" 3
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf '1\n2')" ]
}

@test "jobs start before input ends" {
	{ echo a; sleep 4; } | "$PMAPF" sh -c 'touch "$0"' "$T/started" &
	pid=$!
	wait_until 3 test -e "$T/started"
	wait "$pid"
}
