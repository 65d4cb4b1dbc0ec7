#!/usr/bin/env bats
# --round-robin: --pipe with at most -j jobs, each given block after block.
# No block is split or lost; a job starts once, not once per block.
load helpers

@test "--round-robin: -j jobs take every block, each record whole" {
	random_records 2000000 50 "$T/in" 1 nl
	run --separate-stderr "$PMAPF" -j3 --round-robin --block 20k sh -c 'echo "start {#}" >&2; cat' < "$T/in"
	[ "$status" -eq 0 ]
	# Each job started once, though there are about 100 blocks.
	[ "$(printf '%s\n' "$stderr" | sort | tr '\n' ' ')" = "start 1 start 2 start 3 " ]
	"$PMAPF" -j3 --round-robin --block 20k cat < "$T/in" | sort > "$T/got"
	diff <(sort "$T/in") "$T/got"
	# From a pipe, NUL-ended records, several at a time.
	tr '\n' '\0' < "$T/in" > "$T/nul"
	cat "$T/nul" | "$PMAPF" -j2 --round-robin -0 --block 5k cat | sort -z | cmp - <(sort -z "$T/nul")
}

@test "--round-robin: blocks go to the jobs that read them; each job's stdin ends with the input" {
	seq 2000000 > "$T/in"
	# Job 1 reads nothing until job 2 is done: job 2 takes every block
	# but the first few, which fill job 1's pipe.
	run --separate-stderr timeout 60 "$PMAPF" -j2 --round-robin --block 10k sh -c '
		if [ {#} = 1 ]; then
			while [ ! -e "$0" ]; do sleep 0.05; done
			printf "%s %s\n" {#} $(wc -l)
		else
			printf "%s %s\n" {#} $(wc -l); touch "$0"
		fi' "$T/done2" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	local fast slow
	fast=$(printf '%s\n' "${lines[@]}" | awk '$1 == 2 { print $2 }')
	slow=$(printf '%s\n' "${lines[@]}" | awk '$1 == 1 { print $2 }')
	[ $((fast + slow)) -eq 2000000 ]
	[ "$fast" -gt $((slow * 4)) ]
}

@test "--round-robin: fewer blocks than -j start fewer jobs; no input, none" {
	run --separate-stderr "$PMAPF" -j4 --round-robin --block 10 sh -c 'echo {#}: $(wc -l)' < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "1: 5 2: 4 3: 1 " ]
	run --separate-stderr "$PMAPF" -j4 --round-robin sh -c 'echo ran' < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# Jobs held back by --delay still start, each with blocks.
	run --separate-stderr timeout 60 "$PMAPF" -j4 --delay 0.3 --round-robin --block 1k wc -l < <(seq 20000)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 20000 ]
}

@test "--round-robin --header: each job gets the header once" {
	run --separate-stderr "$PMAPF" -j2 --round-robin --header 1 --block 10 sh -c 'grep -c H; true' < <(echo H; seq 200)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1 1" ]
	run --separate-stderr "$PMAPF" -j2 --round-robin --header 1 --block 10 sh -c 'grep -v H' < <(echo H; seq 200)
	[ "$status" -eq 0 ]
	diff <(seq 200) <(printf '%s\n' "${lines[@]}" | sort -n)
}

@test "--round-robin --joblog: a row per job, Send its blocks' bytes" {
	seq 100000 > "$T/in"
	run --separate-stderr "$PMAPF" -j3 --round-robin --block 10k --joblog "$T/log" wc -l < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(awk 'NR > 1' "$T/log" | wc -l)" -eq 3 ]
	[ "$(awk -F'\t' 'NR > 1 { s += $5 } END { print s }' "$T/log")" -eq "$(wc -c < "$T/in")" ]
}

@test "--round-robin: jobs that stop reading are replaced; the run ends" {
	run --separate-stderr timeout 60 "$PMAPF" -j2 --round-robin --block 100k head -n1 < <(seq 1000000)
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ] || [ "${lines[1]}" = 1 ]
	[ "${#lines[@]}" -ge 2 ]
	# A failing job counts as failed; the others' blocks are whole.
	run --separate-stderr timeout 60 "$PMAPF" -j2 --round-robin --block 10k sh -c 'wc -l; [ {#} = 1 ]' < <(seq 100000)
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
}

@test "--round-robin: SIGHUP ends the jobs' input after their blocks" {
	seq 100000000 | "$PMAPF" -j2 --round-robin --block 1M sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; tail -n1' "$T/go" > "$T/out" 2> "$T/err" &
	local pid=$!
	wait_until 20 has_descendants "$pid" 2
	kill -HUP "$pid"
	touch "$T/go"
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ ! -s "$T/err" ]
	# Each job's last line is a whole number: no record was cut.
	[ "$(wc -l < "$T/out")" -eq 2 ]
	! grep -qv '^[0-9][0-9]*$' "$T/out"
}

@test "--round-robin: option errors name the option and run nothing" {
	refused --round-robin -k cat
	[[ "${stderr_lines[0]}" == *"--round-robin cannot keep input order (-k)"* ]]
	seq 3000 > "$T/in"
	# With --pipe-part it means one block for each job slot (GNU).
	run --separate-stderr "$PMAPF" -j3 --round-robin --pipe-part -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	refused --round-robin
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with the built-in"* ]]
	# --round is the same option, and implies --pipe.
	run --separate-stderr "$PMAPF" -j1 --round --block 10 wc -l < <(seq 100)
	[ "$status" -eq 0 ]
	[ "$output" = 100 ]
}
