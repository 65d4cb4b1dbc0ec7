#!/usr/bin/env bats
# Running a user command: argument building, failures, exit status.
load helpers

@test "every {} is replaced; a record stays one argument" {
	run bash -c "printf 'a b\n' | '$PMAPF' printf '<%s>' {} x{}y"
	[ "$status" -eq 0 ]
	[ "$output" = "<a b><xa by>" ]
}

@test "without {} the record is appended as the last argument" {
	run bash -c "printf 'r\n' | '$PMAPF' printf '%s-%s' first"
	[ "$status" -eq 0 ]
	[ "$output" = "first-r" ]
}

@test "no shell: metacharacters in records and arguments stay literal" {
	run bash -c "printf '\$(echo hi); ls\n' | '$PMAPF' echo '\$HOME' {}"
	[ "$status" -eq 0 ]
	[ "$output" = '$HOME $(echo hi); ls' ]
}

@test "options after COMMAND belong to COMMAND" {
	run bash -c "echo x | '$PMAPF' -j1 echo -u -j"
	[ "$status" -eq 0 ]
	[ "$output" = "-u -j x" ]
}

@test "-- ends pmapf's options" {
	run bash -c "echo x | '$PMAPF' -- echo -n"
	[ "$status" -eq 0 ]
	[ "$output" = "x" ]
}

@test "exit status counts failed jobs" {
	run bash -c "printf '0\n1\n2\n0\n3\n' | '$PMAPF' sh -c 'exit \$0'"
	[ "$status" -eq 3 ]
}

@test "more than 100 failed jobs: exit 101" {
	run bash -c "seq 150 | '$PMAPF' -j8 false"
	[ "$status" -eq 101 ]
}

@test "command not found: each job fails 127-style with one clear line" {
	run --separate-stderr bash -c "printf 'a\nb\n' | '$PMAPF' no-such-command-pmapf"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "pmapf: record 1 \"a\": cannot run 'no-such-command-pmapf': command not found" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "command not executable: fails with a permission message" {
	printf '#!/bin/sh\necho hi\n' > "$T/noexec"
	run --separate-stderr bash -c "echo a | '$PMAPF' '$T/noexec'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"cannot run '$T/noexec': Permission denied"* ]]
}

@test "a directory as the command: fails with 126, saying it is a directory" {
	mkdir "$T/dir"
	run --separate-stderr bash -c "echo a | '$PMAPF' --joblog '$T/log' '$T/dir'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: record 1 \"a\": cannot run '$T/dir': Is a directory" ]
	[ "$(awk -F'\t' 'NR == 2 { print $7 }' "$T/log")" = 126 ]
	# Named by a replacement string, so found for each job: the same.
	run --separate-stderr bash -c "printf '%s\n' '$T/dir' | '$PMAPF' {}"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: record 1 \"$T/dir\": cannot run '$T/dir': Is a directory" ]
}

@test "a job killed by a signal is failed and named" {
	run --separate-stderr bash -c "echo a | '$PMAPF' sh -c 'kill -9 \$\$'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *'record 1 "a": killed by signal 9'* ]]
}

@test "a record with a NUL byte cannot be an argument: it fails, others run" {
	run --separate-stderr bash -c "printf 'a\nb\0c\nd\n' | '$PMAPF' echo"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'a\nd')" ]
	[[ "$stderr" == *'record 2 "b\x00c": record contains a NUL byte'* ]]
}

@test "a record over 1 MiB fails without being held; others run" {
	{ echo a; head -c 3000000 /dev/zero | tr '\0' x; echo; echo b; } |
		"$PMAPF" echo > "$T/out" 2> "$T/err" || st=$?
	[ "${st:-0}" -eq 1 ]
	[ "$(cat "$T/out")" = "$(printf 'a\nb')" ]
	grep -q 'record 2 "x\{64\}"... (3000000 bytes): record too long (the limit is 1048576 bytes)' "$T/err"
}

@test "a background process holding the output pipe does not hang pmapf" {
	start=$(date +%s)
	run --separate-stderr bash -c "echo a | '$PMAPF' sh -c 'echo \$0; sleep 30 & echo \$! > $T/daemon; exit 0'"
	end=$(date +%s)
	# Only our own daemon: other test files run at the same time.
	kill "$(cat "$T/daemon")" || true
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	[ $((end - start)) -lt 10 ]
	[[ "$stderr" == *'output still open'* ]]
}
