#!/usr/bin/env bats
# Never lose data, never leave a mess: bounded memory, spill, I/O errors,
# resource limits, and a byte-exact stress run.
load helpers

@test "big output from concurrent jobs spills and comes out whole, in order" {
	seq 4 | "$PMAPF" -j4 sh -c 'head -c 20000000 /dev/zero | tr "\0" "$0"' > "$T/out"
	[ "$(wc -c < "$T/out")" -eq 80000000 ]
	[ "$(tr -s 1234 < "$T/out")" = 1234 ]
}

@test "spilled output leaves no file behind, even after kill -9" {
	mkdir "$T/tmp"
	seq 4 | TMPDIR="$T/tmp" "$PMAPF" -j4 sh -c \
		'head -c 20000000 /dev/zero; sleep 30' > /dev/null &
	pid=$!
	sleep 1.5
	kill -KILL "$pid"
	wait "$pid" || true
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "no usable temporary directory: a clear error naming it, exit 255" {
	run bash -c "seq 4 | TMPDIR=/nonexistent '$PMAPF' -j4 sh -c 'head -c 10000000 /dev/zero' 2>&1 >/dev/null"
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "pmapf: cannot keep job output in a temporary file in /nonexistent: No such file or directory" ]
}

@test "a full disk on stdout: a clear error, exit 255, no job left" {
	run bash -c "seq 100 | '$PMAPF' -j2 echo 2>&1 >/dev/full"
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "pmapf: write error on standard output: No space left on device" ]
	[ "${#lines[@]}" -eq 1 ]
}

@test "-j 10000 with a low descriptor limit: says so once, completes all" {
	run bash -c "ulimit -n 64; seq 300 | '$PMAPF' -j 10000 sh -c 'sleep 0.1; echo \$0' 2>'$T/err'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 300)" ]
	[ "$(wc -l < "$T/err")" -eq 1 ]
	grep -q '^pmapf: cannot start more than [0-9]* jobs at once (Too many open files); continuing with [0-9]*$' "$T/err"
}

@test "ordered mode behind a slow job: a bounded window of started jobs" {
	{ echo 6; yes 0 | head -n 20000; } > "$T/in"
	"$PMAPF" -j2 --progress=none < "$T/in" > "$T/out" 2> "$T/err" &
	pid=$!
	sleep 1
	kill -USR1 "$pid"
	wait "$pid"
	# While #1 slept, at most 4096 jobs were started (4095 done).
	done_then=$(sed -n 's|^pmapf: \([0-9]*\)/.*|\1|p' "$T/err")
	[ "$done_then" -ge 100 ]
	[ "$done_then" -le 4095 ]
	[ "$(wc -l < "$T/out")" -eq 20001 ]
	[ "$(head -n 1 "$T/out")" = 7 ]
}

@test "a job that writes gigabytes-style output and closes early is fine" {
	run bash -c "echo x | '$PMAPF' sh -c 'exec 1>&-; sleep 0.1; exit 3'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

stress_job() {
	cat > "$T/job" <<'SH'
#!/bin/sh
n=$1
size=$(( (n * 7919) % 30000 ))
sleep 0.00$(( n % 10 ))
printf '%s:' "$n"
head -c "$size" /dev/zero | tr '\0' "$(( n % 10 ))"
echo
echo "err $n" >&2
exit $(( n % 13 == 0 ? n % 7 + 1 : 0 ))
SH
	chmod +x "$T/job"
	seq 2000 > "$T/in"
	# What each job must produce, computed one at a time without pmapf.
	: > "$T/want"
	failed=0
	for n in $(seq 2000); do
		"$T/job" "$n" >> "$T/want" 2>/dev/null || failed=$((failed + 1))
	done
	[ "$failed" -gt 100 ] && failed=101
	echo "$failed" > "$T/failed"
}

@test "stress: 2000 jobs, random sizes, durations and exit codes, ordered, byte-exact" {
	stress_job
	run bash -c "'$PMAPF' -j8 '$T/job' < '$T/in' > '$T/out' 2> '$T/err'"
	[ "$status" -eq "$(cat "$T/failed")" ]
	cmp "$T/want" "$T/out"
	[ "$(cat "$T/err")" = "$(seq 2000 | sed 's/^/err /')" ]
}

@test "stress: the same unordered: every job's block whole, none lost" {
	stress_job
	run bash -c "'$PMAPF' -u -j8 '$T/job' < '$T/in' > '$T/out' 2> '$T/err'"
	[ "$status" -eq "$(cat "$T/failed")" ]
	cmp <(sort "$T/want") <(sort "$T/out")
	[ "$(sort "$T/err")" = "$(seq 2000 | sed 's/^/err /' | sort)" ]
}
