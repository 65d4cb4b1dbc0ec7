#!/usr/bin/env bats
# --tee: all of stdin to every job, one job per ::: value (or tuple).
load helpers

@test "--tee: every job gets all of stdin, fast or slow" {
	head -c 3000000 /dev/urandom > "$T/in"
	local want
	want=$(md5sum < "$T/in")
	run --separate-stderr "$PMAPF" --tee sh -c 'sleep 0.{}; md5sum' ::: 0 3 1 < "$T/in"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u)" = "$want" ]
	# From a pipe too; output in the values' order, as without --pipe.
	run --separate-stderr "$PMAPF" --tee wc {} ::: -w -l -c < <(seq 1000)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1000 1000 3893" ]
}

@test "--tee: tuples of values, each a job; --tag names them" {
	run --separate-stderr "$PMAPF" --tee --tag sh -c 'grep {1} | wc {2}' ::: 1 2 ::: -l -c < <(seq 1000)
	[ "$status" -eq 0 ]
	[ "$(printf '%s|' "${lines[@]}")" = "$(printf '1 -l\t272|1 -c\t1069|2 -l\t271|2 -c\t1064|')" ]
}

@test "--tee: a job that stops reading drops out; the others get it all" {
	seq 1000000 > "$T/in"
	run --separate-stderr timeout 60 "$PMAPF" --tee sh -c '{}' ::: 'head -n 2' 'wc -l' 'exit 4' 'tail -n 1' < "$T/in"
	[ "$status" -eq 1 ]
	[ "$(echo $output)" = "1 2 1000000 1000000" ]
}

@test "--tee: option errors name the option and run nothing" {
	refused -j1 --tee wc {} ::: -w -l -c
	[[ "${stderr_lines[0]}" == *"--tee runs its 3 jobs at once, each given all of stdin: -j must be at least 3"* ]]
	refused --tee wc
	[[ "${stderr_lines[0]}" == *"--tee needs ::: values"* ]]
	seq 3 > "$T/in"
	refused --tee wc :::: "$T/in"
	[[ "${stderr_lines[0]}" == *"--tee takes its jobs from ::: values, not from files"* ]]
	refused --tee --round-robin wc ::: a
	[[ "${stderr_lines[0]}" == *"--tee cannot be used with --round-robin"* ]]
	refused --tee -N2 wc ::: a b
	[[ "${stderr_lines[0]}" == *"--tee cannot be used with -N"* ]]
	# -j 0 has no limit.
	run --separate-stderr "$PMAPF" -j0 --tee wc -l ::: - - - - - < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "10 - 10 - 10 - 10 - 10 -" ]
}

@test "--tee: SIGTERM mid-stream ends the jobs and pmapf (143)" {
	seq 100000000 | "$PMAPF" --tee sh -c 'sleep 60; wc -l' ::: a b > "$T/out" 2> "$T/err" &
	term_ends_all $! 2
}
