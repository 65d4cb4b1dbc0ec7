#!/usr/bin/env bats
# --cat and --fifo: a job's block in a temporary file or through a named
# pipe, whose name is the job's value ({}), instead of on its stdin.
load helpers

@test "--cat: each block in a file named by {}, removed after; stdin empty" {
	seq 100000 > "$T/in"
	export TMPDIR="$T/tmp"
	mkdir "$TMPDIR"
	# The file holds the block (and --header), and is gone afterwards.
	run --separate-stderr "$PMAPF" -j3 --cat --block 50k sh -c 'cat {}; wc -c < /dev/stdin >&2' < "$T/in"
	[ "$status" -eq 0 ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
	[ "$(printf '%s\n' "$stderr" | sort -u)" = 0 ]
	[ -z "$(ls "$TMPDIR")" ]
	# Without {} the name is appended, as GNU parallel appends it.
	run --separate-stderr "$PMAPF" --cat --block 50k wc -l < "$T/in"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" $TMPDIR/pmapf-"??????"/pmapf-block-"* ]]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
	# From a pipe, cut by offsets, with a header: the same bytes.
	cat "$T/in" | "$PMAPF" -j2 --cat --block 20k cat | cmp - "$T/in"
	"$PMAPF" -j2 --pipe-part -a "$T/in" --cat --block 20k cat | cmp - "$T/in"
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/in" --header 1 --cat --block 200k sh -c 'head -n1 {}'
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1 1 1" ]
	[ -z "$(ls "$TMPDIR")" ]
}

@test "--cat: files are removed when the run is interrupted" {
	export TMPDIR="$T/tmp"
	mkdir "$TMPDIR"
	seq 10000000 | "$PMAPF" -j2 --cat --block 1M sh -c 'sleep 60' > "$T/out" 2> "$T/err" &
	local pid=$!
	wait_until 20 has_descendants "$pid" 2
	[ -n "$(ls "$TMPDIR")" ]
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ -z "$(ls "$TMPDIR")" ]
	refused --cat --round-robin cat
	[[ "${stderr_lines[0]}" == *"--cat cannot be used with --round-robin"* ]]
}

tmpdir_empty() {
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "--cat, --fifo: the files are removed even when pmapf is killed with SIGKILL" {
	export TMPDIR="$T/tmp"
	mkdir "$TMPDIR"
	local mode pid
	for mode in --cat --fifo; do
		seq 10000000 | "$PMAPF" -j2 $mode --block 1M sh -c 'sleep 60' > "$T/out" 2> "$T/err" &
		pid=$!
		wait_until 20 has_descendants "$pid" 2
		[ -n "$(ls "$TMPDIR")" ]
		kill -KILL "$pid"
		wait "$pid" || true
		# (The guardian removes them once pmapf is gone.)
		wait_until 20 tmpdir_empty
	done
}

@test "--fifo: each block through a FIFO named by {}, removed after" {
	seq 300000 > "$T/in"
	export TMPDIR="$T/tmp"
	mkdir "$TMPDIR"
	run --separate-stderr "$PMAPF" -j3 --fifo --block 50k sh -c '[ -p {} ] && cat {}; wc -c < /dev/stdin >&2' < "$T/in"
	[ "$status" -eq 0 ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
	[ "$(printf '%s\n' "$stderr" | sort -u)" = 0 ]
	[ -z "$(ls "$TMPDIR")" ]
	# Without {} the name is appended.
	run --separate-stderr "$PMAPF" --fifo --block 10M wc -l < "$T/in"
	[ "$status" -eq 0 ]
	[[ "$output" == "300000 $TMPDIR/pmapf-"??????"/pmapf-fifo-"* ]]
	# From a pipe, and cut by offsets, several jobs at once.
	cat "$T/in" | "$PMAPF" -j2 --fifo --block 20k cat | cmp - "$T/in"
	"$PMAPF" -j2 --pipe-part -a "$T/in" --fifo --block 20k cat | cmp - "$T/in"
	[ -z "$(ls "$TMPDIR")" ]
}

@test "--fifo: a job that opens its FIFO late still gets its whole block" {
	# The block is written (and its input would end) long before the
	# job opens the FIFO: the input ends only after it does.
	seq 10 > "$T/in"
	run --separate-stderr timeout 60 "$PMAPF" -j2 --fifo --block 4 sh -c 'sleep 0.$(( {#} % 3 )); cat {}' < "$T/in"
	[ "$status" -eq 0 ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
	run --separate-stderr timeout 60 "$PMAPF" --pipe-part -a "$T/in" --block 4 --fifo sh -c 'sleep 0.2; cat {}'
	[ "$status" -eq 0 ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
}

@test "--fifo: a job that never opens its FIFO ends; the others run" {
	export TMPDIR="$T/tmp"
	mkdir "$TMPDIR"
	run --separate-stderr timeout 60 "$PMAPF" -j2 --fifo --block 100k sh -c '[ {#} = 2 ] && exit 3; wc -l < {}' < <(seq 100000)
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 5 ]
	[ -z "$(ls "$TMPDIR")" ]
	refused --fifo --cat cat
	[[ "${stderr_lines[0]}" == *"--cat and --fifo: one or the other"* ]]
	refused --fifo --round-robin cat
	[[ "${stderr_lines[0]}" == *"--fifo cannot be used with --round-robin"* ]]
	refused --fifo --pipe-part --retries 2 -a /dev/null cat
	[[ "${stderr_lines[0]}" == *"--fifo cannot be used with --retries"* ]]
}
