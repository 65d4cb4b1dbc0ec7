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
	seq 4 | TMPDIR="$T/tmp" WROTE="$T/wrote" "$PMAPF" -j4 sh -c \
		'head -c 20000000 /dev/zero; echo >> "$WROTE"; sleep 30' > /dev/null &
	pid=$!
	# When every job has written its 20 MB, pmapf has read 80 MB: more
	# than it may hold in memory, so it has spilled.
	wait_until 30 has_lines "$T/wrote" 4
	kill -KILL "$pid"
	wait "$pid" || true
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "no usable temporary directory: a clear error naming it, exit 255" {
	run --separate-stderr bash -c "seq 4 | TMPDIR=/nonexistent '$PMAPF' -j4 sh -c 'head -c 10000000 /dev/zero' >/dev/null"
	[ "$status" -eq 255 ]
	[ "${stderr_lines[0]}" = "pmapf: cannot keep job output in a temporary file in /nonexistent: No such file or directory" ]
}

@test "a full disk on stdout: a clear error, exit 255, no job left" {
	run --separate-stderr bash -c "seq 100 | '$PMAPF' -j2 echo >/dev/full"
	[ "$status" -eq 255 ]
	[ "${stderr_lines[0]}" = "pmapf: write error on standard output: No space left on device" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "-j 10000 with a low descriptor limit: says so once, completes all" {
	run --separate-stderr bash -c "ulimit -n 64; seq 300 | '$PMAPF' -j 10000 sh -c 'sleep 0.1; echo \$0'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 300)" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	re='^pmapf: cannot start more than [0-9]+ jobs at once \(Too many open files\); continuing with [0-9]+$'
	[[ "$stderr" =~ $re ]]
}

@test "ordered mode behind a slow job: 200,000 may wait, the window is bounded" {
	{ echo 6; yes 0 | head -n 300000; } > "$T/in"
	run --separate-stderr "$PMAPF" -j2 --progress=plain --progress-interval 0.1 < "$T/in"
	[ "$status" -eq 0 ]
	# While #1 slept (2 s, nothing emitted), more than 200,000 jobs
	# finished behind it, and at most 262,144 were started.
	done_then=$(printf '%s\n' "${stderr_lines[@]}" | sed -n 's|^pmapf: \([0-9]*\)/.* emitted=0 .*|\1|p' | sort -n | tail -n 1)
	[ "$done_then" -ge 200000 ]
	[ "$done_then" -le 262143 ]
	[ "${#lines[@]}" -eq 300001 ]
	[ "${lines[0]}" = 7 ]
	[ "${lines[300000]}" = 1 ]
}

@test "a job that writes gigabytes-style output and closes early is fine" {
	run bash -c "echo x | '$PMAPF' sh -c 'exec 1>&-; sleep 0.1; exit 3'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

# The stress job in $S, with its input and what each job must produce,
# computed one at a time without pmapf: once per file, for both tests.
stress_job() {
	S=$BATS_FILE_TMPDIR/stress
	[ -e "$S/failed" ] && return 0
	mkdir -p "$S"
	cat > "$S/job" <<'SH'
#!/bin/sh
n=$1
size=$(( (n * 7919) % 30000 ))
# Durations vary under pmapf; the reference run needs none.
[ -n "${NO_SLEEP:-}" ] || sleep 0.00$(( n % 10 ))
printf '%s:' "$n"
head -c "$size" /dev/zero | tr '\0' "$(( n % 10 ))"
echo
echo "err $n" >&2
exit $(( n % 13 == 0 ? n % 7 + 1 : 0 ))
SH
	chmod +x "$S/job"
	seq 2000 > "$S/in"
	: > "$S/want"
	failed=0
	for n in $(seq 2000); do
		NO_SLEEP=1 "$S/job" "$n" >> "$S/want" 2>/dev/null || failed=$((failed + 1))
	done
	[ "$failed" -gt 100 ] && failed=101
	echo "$failed" > "$S/failed"
}

@test "stress: 2000 jobs, random sizes, durations and exit codes, ordered, byte-exact" {
	stress_job
	run bash -c "'$PMAPF' -j8 '$S/job' < '$S/in' > '$T/out' 2> '$T/err'"
	[ "$status" -eq "$(cat "$S/failed")" ]
	cmp "$S/want" "$T/out"
	[ "$(cat "$T/err")" = "$(seq 2000 | sed 's/^/err /')" ]
}

@test "stress: the same unordered: every job's block whole, none lost" {
	stress_job
	run bash -c "'$PMAPF' -u -j8 '$S/job' < '$S/in' > '$T/out' 2> '$T/err'"
	[ "$status" -eq "$(cat "$S/failed")" ]
	cmp <(sort "$S/want") <(sort "$T/out")
	[ "$(sort "$T/err")" = "$(seq 2000 | sed 's/^/err /' | sort)" ]
}
