#!/usr/bin/env bats
# The built-in slow_add_one and its worker pool.
load helpers

@test "demo, unordered: 2 3 4 5 6, jobs run concurrently" {
	start=$(date +%s.%N)
	run bash -c "seq 5 -1 1 | '$PMAPF' -j5 -u"
	end=$(date +%s.%N)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2\n3\n4\n5\n6')" ]
	# One at a time would take 5 s; together the longest job is 1.67 s.
	awk -v s="$start" -v e="$end" 'BEGIN { exit !(e - s < 4) }'
}

@test "demo, ordered: 6 5 4 3 2" {
	run bash -c "seq 5 -1 1 | '$PMAPF' -j5"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '6\n5\n4\n3\n2')" ]
}

@test "number formats follow Python: int stays int, floats use repr" {
	printf '%s\n' 5 2.5 0.1 1e3 1e20 ' 7 ' 18446744073709551614 \
		18446744073709551615 99999999999999999999999 1e15 1e16 > "$T/in"
	run "$PMAPF" --time-scale 0 < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 6 3.5 1.1 1001.0 1e+20 8 \
		18446744073709551615 18446744073709551616 \
		100000000000000000000000 1000000000000001.0 1e+16)" ]
}

@test "bad records fail with record number and value; the rest complete" {
	printf '%s\n' 1 abc 2 -3 inf nan 3 > "$T/in"
	run --separate-stderr "$PMAPF" -j3 --time-scale 0 < "$T/in"
	[ "$status" -eq 4 ]
	[ "$output" = "$(printf '2\n3\n4')" ]
	# In any order: these four lines and no other.
	[ "$(sort <<< "$stderr")" = "$(printf '%s\n' \
		'pmapf: record 2 "abc": not a number' \
		'pmapf: record 4 "-3": negative number' \
		'pmapf: record 5 "inf": not a finite number' \
		'pmapf: record 6 "nan": not a finite number' | sort)" ]
}

@test "--time-scale scales the sleep" {
	start=$(date +%s.%N)
	run bash -c "echo 30 | '$PMAPF' --time-scale 0.01"
	end=$(date +%s.%N)
	[ "$status" -eq 0 ]
	[ "$output" = 31 ]
	# 30/3 s scaled by 0.01 is 0.1 s; unscaled would be 10 s.
	awk -v s="$start" -v e="$end" 'BEGIN { exit !(e - s < 5) }'
}

@test "the built-in runs in N long-lived workers, not a fork per record" {
	yes 1 | head -n 300 | "$PMAPF" -j3 --time-scale 0.03 > "$T/out" &
	pid=$!
	: > "$T/pids"
	while kill -0 "$pid" 2>/dev/null; do
		descendants_of "$pid" >> "$T/pids"
		sleep 0.05
	done
	wait "$pid"
	[ "$(wc -l < "$T/out")" -eq 300 ]
	[ "$(sort -u "$T/pids" | wc -l)" -eq 3 ]
}

@test "a worker killed mid-job: its record is reported failed, others finish" {
	seq 6 | sed 's/.*/3/' | "$PMAPF" -j2 --progress=plain --progress-interval 0.1 \
		> "$T/out" 2> "$T/err" &
	pid=$!
	# Both workers have a record (1 s each) when one is killed.
	wait_for_line ' running=2 ' "$T/err" 5
	victim=$(descendants_of "$pid" | head -n 1)
	[ -n "$victim" ]
	kill -KILL "$victim"
	wait "$pid" || st=$?
	[ "${st:-0}" -eq 1 ]
	[ "$(grep -c '^4$' "$T/out")" -eq 5 ]
	grep -q 'pmapf: record [12] "3": worker process killed by signal 9' "$T/err"
}

@test "answers done before a record that sleeps come out before it wakes" {
	# The worker has fast records and then a slow one (100 s) from one
	# read: answers it holds to share a write go out before the sleep.
	{ yes 0 | head -n 5000; echo 300; } | "$PMAPF" -j1 -u > "$T/out" 2> "$T/err" &
	pid=$!
	wait_until 20 has_lines "$T/out" 5000
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "${st:-0}" -eq 143 ]
	[ "$(sort -u "$T/out")" = 1 ]
	[ "$(wc -l < "$T/out")" -eq 5000 ]
}
