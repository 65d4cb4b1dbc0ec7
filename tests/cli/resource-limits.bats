#!/usr/bin/env bats
# Never lose data, never leave a mess: bounded memory, spill, I/O errors,
# resource limits, and a byte-exact stress run.
load helpers

teardown() {
	# The small tmpfs of the ENOSPC test, if a failure left it mounted.
	umount "$T/small" 2>/dev/null || true
	tmux_stop
	rm -rf "$T"
}

@test "big output from concurrent jobs spills and comes out whole, in order" {
	seq 4 | "$PMAPF" -j4 sh -c 'head -c 20000000 /dev/zero | tr "\0" "$0"' > "$T/out"
	[ "$(wc -c < "$T/out")" -eq 80000000 ]
	[ "$(tr -s 1234 < "$T/out")" = 1234 ]
}

@test "spilled output leaves no file behind, even after kill -9 (O_TMPFILE and mkstemp)" {
	for fallback in "" 1; do
		rm -rf "$T/tmp" "$T/wrote"
		mkdir "$T/tmp"
		seq 4 | PMAPF_TEST_NO_O_TMPFILE=$fallback TMPDIR="$T/tmp" WROTE="$T/wrote" "$PMAPF" -j4 sh -c \
			'head -c 20000000 /dev/zero; echo >> "$WROTE"; sleep 30' > /dev/null &
		pid=$!
		# When every job has written its 20 MB, pmapf has read 80 MB:
		# more than it may hold in memory, so it has spilled ...
		wait_until 30 has_lines "$T/wrote" 4
		# ... to a file in $TMPDIR that has no name (any more).
		ls -l /proc/$pid/fd | grep -q "$T/tmp/.*(deleted)"
		kill -KILL "$pid"
		wait "$pid" || true
		[ -z "$(ls -A "$T/tmp")" ]
	done
}

@test "no usable temporary directory: a clear error naming it, exit 255" {
	# Jobs 2-4 write 10 MB each while the first, whose output would go
	# first, is still quiet: theirs must be kept.
	run --separate-stderr bash -c "seq 4 | TMPDIR=/nonexistent '$PMAPF' -j4 sh -c '[ \$0 != 1 ] || sleep 2; head -c 10000000 /dev/zero' >/dev/null"
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

# $1 under a descriptor limit of 24, only 0-2 open: fewer than -j40 jobs
# can start.
few_fds() {
	run --separate-stderr timeout 60 bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ $n -gt 2 ] && eval "exec $n>&-"; done; ulimit -n 24; eval "$0"' "$1"
}

@test "modes that start every job at once: a low descriptor limit neither hangs nor loses a line" {
	seq 100000 > "$T/in"
	re='^pmapf: cannot start more than ([0-9]+) jobs at once \(Too many open files\); continuing with ([0-9]+)$'
	# --round-robin: the jobs that started take the blocks.
	few_fds "'$PMAPF' --round-robin --block 10k -j40 wc -l < '$T/in'"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ $re ]]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
	# ... also when the block of the job that cannot start yet is longer
	# than pmapf would hold for a running one.
	for i in $(seq 40); do head -c 300000 /dev/zero | tr '\0' x; echo; done > "$T/long"
	few_fds "'$PMAPF' --round-robin -j40 wc -l < '$T/long'"
	[ "$status" -eq 0 ]
	# (Blocks of 4 records of 300 kB: over 1M, said too.)
	printf '%s\n' "${stderr_lines[@]}" | grep -Eq "$re"
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 40 ]
	# --shard: every key still goes to one job, of those that started.
	few_fds "awk '{ print \$1 % 97 }' '$T/in' | '$PMAPF' --shard 1 -j40 sort -u"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ $re ]]
	[ "$(printf '%s\n' "${lines[@]}" | sort -n | uniq | wc -l)" -eq 97 ]
	[ "${#lines[@]}" -eq 97 ]
	# --bin: the value modulo the number of jobs that started.
	few_fds "'$PMAPF' --bin 1 -j40 paste -sd' ' < '$T/in'"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ $re ]]
	n=${BASH_REMATCH[2]}
	[ "$n" -lt 40 ]
	[ "${#lines[@]}" -eq "$n" ]
	[ "$(printf '%s\n' "${lines[@]}" | awk -v n="$n" '{ for (i = 2; i <= NF; i++) if ($i % n != $1 % n) bad++; t += NF } END { print t, bad + 0 }')" = "100000 0" ]
	# --tee: each value needs its job; no fewer will do.
	few_fds "'$PMAPF' --tee -j40 sh -c 'wc -l; echo {}' ::: \$(seq 40) < '$T/in'"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^"pmapf: --tee: cannot start more than "[0-9]+" jobs at once (Too many open files), and each of the 40 values needs its own: lower -j or raise the limit"$ ]]
}

@test "ordered mode behind a slow job: 200,000 may wait, the window is bounded" {
	{ echo 6; yes 0 | head -n 300000; } > "$T/in"
	run --separate-stderr "$PMAPF" -j2 --progress=plain --progress-interval 0.1 < "$T/in"
	[ "$status" -eq 0 ]
	# While #1 slept (2 s, nothing emitted), more than 200,000 jobs
	# finished behind it, and at most 204,800 were started.
	done_then=$(printf '%s\n' "${stderr_lines[@]}" | sed -n 's|^pmapf: \([0-9]*\)/.* emitted=0 .*|\1|p' | sort -n | tail -n 1)
	[ "$done_then" -ge 200000 ]
	[ "$done_then" -le 204799 ]
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
# computed one at a time without pmapf: once per file, for both tests
# (made aside and moved into place whole, as under bats -j both may
# make it at once).
stress_job() {
	local dest=$BATS_FILE_TMPDIR/stress
	[ -e "$dest/failed" ] && { S=$dest; return 0; }
	S=$(mktemp -d "$BATS_FILE_TMPDIR/stress.XXXXXX")
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
	mv -T "$S" "$dest" 2>/dev/null || rm -rf "$S"
	S=$dest
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

@test "right at the descriptor limit: no record fails for EMFILE" {
	for j in 1 4; do
		# Only 0-2 open, as a shell started from a terminal has them.
		run --separate-stderr bash -c "for f in /proc/\$\$/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done; ulimit -n 11; seq 200 | '$PMAPF' -j$j sh -c 'echo \$0'"
		[ "$status" -eq 0 ]
		[ "$output" = "$(seq 200)" ]
		[[ "$stderr" != *"record"* ]]
	done
	# With even fewer, one clear error instead of a failure per record.
	run --separate-stderr bash -c "for f in /proc/\$\$/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done; ulimit -n 9; seq 200 | '$PMAPF' -j1 echo"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: cannot start a job: Too many open files" ]
}

# Peak resident memory of pmapf ($1) while it runs, in KiB.
peak_kib() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

@test "memory: 4,200 jobs of 60 KB waiting behind a slow first job stay under 64 MiB" {
	# A sanitizer build's shadow memory and quarantine are not pmapf's.
	! grep -qa __asan_init "$PMAPF" || skip "sanitizer build: RSS is not pmapf's own"
	cat > "$T/job" <<'SH'
#!/bin/sh
# #1 waits for the test's word; the others print 60 KB at once.
if [ "$1" = 1 ]; then
	while [ ! -e "$2/go" ]; do sleep 0.05; done
fi
head -c 60000 /dev/zero | tr '\0' x
echo "$1" >> "$2/done"
SH
	chmod +x "$T/job"
	seq 4200 | "$PMAPF" -j4 "$T/job" {} "$T" > "$T/out" &
	pid=$!
	# All but #1 done: their output waits behind it.
	wait_until 60 has_lines "$T/done" 4199
	hwm=$(peak_kib "$pid")
	touch "$T/go"
	wait "$pid"
	[ "$hwm" -lt 65536 ]
	[ "$(wc -c < "$T/out")" -eq $((4200 * 60000)) ]
}

@test "--pipe with no room left to keep input aside: jobs go on once output drains, nothing lost" {
	small_tmpdir 1m
	seq 1 6000000 > "$T/in"
	# Jobs that read late make pmapf keep their blocks aside: past the
	# holding pipes, the 1 MB file system is soon full.  Once the first
	# job's output has been written, the next must start (it hung).
	run --separate-stderr timeout 60 bash -c "cat '$T/in' | TMPDIR='$T/small' '$PMAPF' -j2 --pipe --block 20M sh -c 'sleep 0.5; cat' | cmp - '$T/in'"
	[ "$status" -eq 0 ]
	[ "$stderr" = "pmapf: cannot keep input blocks or job output in a temporary file in $T/small; reading less until they drain: No space left on device" ]
}

@test "--retries with no room left to keep a block or a job's output: jobs start all the same, nothing lost" {
	small_tmpdir 1m
	seq 1 3000000 | head -c 5000000 > "$T/in"
	# The block's copy (kept for a retry) fills the file system before
	# any job runs: with no job whose output could drain it, it hung.
	run --separate-stderr timeout 60 bash -c "TMPDIR='$T/small' '$PMAPF' --pipe -j1 --block 8M --retries 2 cat < '$T/in' | cmp - '$T/in'"
	[ "$status" -eq 0 ]
	[ "$stderr" = "pmapf: cannot keep input blocks or job output in a temporary file in $T/small; reading less until they drain: No space left on device" ]
	# Jobs' output kept for a retry (8 MB each, past what a job may hold
	# in memory) fills it too.
	run --separate-stderr timeout 60 bash -c "seq 4 | TMPDIR='$T/small' '$PMAPF' -j1 --retries 2 sh -c 'head -c 8000000 /dev/zero' | wc -c"
	[ "$status" -eq 0 ]
	[ "$output" -eq 32000000 ]
	[ "$stderr" = "pmapf: cannot keep job output in a temporary file in $T/small; reading less until output drains: No space left on device" ]
}

@test "no room left to spill (ENOSPC): said once, reads less, nothing lost" {
	small_tmpdir 2m
	cat > "$T/job" <<'SH'
#!/bin/sh
# #1 waits until the others are done; each job writes 6 MB of its digit:
# past the 4 MiB a job may hold in memory, so 2 MB each must spill.
if [ "$1" = 1 ]; then
	while [ ! -e "$2/go" ]; do sleep 0.05; done
fi
head -c 6000000 /dev/zero | tr '\0' "$1"
echo "$1" >> "$2/done"
SH
	chmod +x "$T/job"
	seq 9 | TMPDIR="$T/small" timeout 60 "$PMAPF" -j9 "$T/job" {} "$T" > "$T/out" 2> "$T/err" &
	pid=$!
	# The others cannot all finish: with no room to spill, only #1's
	# output (needed first) is read.  Once pmapf says so, #1 may go on.
	wait_until 30 grep -q "reading less" "$T/err"
	touch "$T/go"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ "$(wc -c < "$T/out")" -eq 54000000 ]
	[ "$(tr -s 123456789 < "$T/out")" = 123456789 ]
	[ "$(wc -l < "$T/err")" -eq 1 ]
	grep -q "^pmapf: cannot keep job output in a temporary file in $T/small; reading less until output drains: No space left on device$" "$T/err"
}
