#!/usr/bin/env bats
# Interrupts, broken pipes and job control: exit status, output kept,
# nothing left running.
load helpers

# Background jobs of a non-interactive shell ignore SIGINT (and read
# /dev/null); give pmapf what an interactive user's pmapf would have.
# Usage: start_pmapf INPUT OUTPUT [ARG]...
start_pmapf() {
	local in=$1 out=$2
	shift 2
	env --default-signal=INT,TERM "$PMAPF" "$@" < "$in" > "$out" &
	pid=$!
}

job_script() {
	cat > "$T/job" <<'SH'
#!/bin/sh
echo $$ >> "$PIDS"
if [ "$1" != 0 ]; then sleep 30; fi
echo "done $1"
SH
	chmod +x "$T/job"
	export PIDS=$T/pids
}

# Jobs are process-group leaders: nothing may remain in their groups.
assert_all_gone() {
	all_dead $(cat "$T/pids")
	groups_gone $(cat "$T/pids")
}

@test "SIGINT: finished output kept, jobs terminated, dies by SIGINT" {
	job_script
	printf '%s\n' 0 0 1 1 > "$T/in"
	start_pmapf "$T/in" "$T/out" -j4 "$T/job"
	# All four started; the two quick ones finished and were written.
	wait_until 5 has_lines "$T/pids" 4
	wait_until 5 has_lines "$T/out" 2
	kill -INT "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 130 ]
	[ "$(cat "$T/out")" = "$(printf 'done 0\ndone 0')" ]
	assert_all_gone
}

@test "SIGTERM: dies by SIGTERM, no job left" {
	job_script
	printf '%s\n' 1 1 1 > "$T/in"
	start_pmapf "$T/in" "$T/out" -u -j3 "$T/job"
	wait_until 5 has_lines "$T/pids" 3
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	assert_all_gone
}

@test "a job that ignores SIGTERM is killed after the grace period" {
	echo 1 > "$T/in"
	env --default-signal=INT "$PMAPF" sh -c \
		'trap "" TERM; echo $$ > "$0.pid"; sleep 30' "$T/j" < "$T/in" &
	pid=$!
	wait_until 5 test -s "$T/j.pid"
	kill -INT "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 130 ]
	all_dead "$(cat "$T/j.pid")"
	groups_gone "$(cat "$T/j.pid")"
}

@test "stdout closed by the reader: pmapf dies of SIGPIPE, quietly" {
	run bash -c "seq 100000 | '$PMAPF' -j2 echo 2>'$T/err' | head -n 1; echo \"\${PIPESTATUS[1]}\""
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 141 ]
	[ ! -s "$T/err" ]
}

@test "^Z on a terminal stops pmapf with its jobs; fg resumes both" {
	cat > "$T/job" <<'SH'
#!/bin/sh
echo "$$ $PPID" >> "$T/pids"
sleep 1
echo "done $1"
SH
	chmod +x "$T/job"
	echo x > "$T/in"
	tmux_start 100 env T="$T" PS1='$ ' bash --norc --noprofile -i
	tmux_keys "'$PMAPF' '$T/job' < '$T/in' > '$T/out'" Enter
	wait_until 5 test -s "$T/pids"
	read -r job pm < "$T/pids"
	tmux_keys C-z
	wait_for_screen 'Stopped'
	[[ "$(ps -o stat= -p "$pm")" == T* ]]
	[[ "$(ps -o stat= -p "$job")" == T* ]]
	sleep 1.2
	# Stopped means stopped: the job has not finished meanwhile.
	[ ! -s "$T/out" ]
	tmux_keys "fg; echo FG=\$?" Enter
	wait_for_screen 'FG=0'
	[ "$(cat "$T/out")" = "done x" ]
}

@test "SIGHUP: no new jobs, running ones finish and are written, exit 0" {
	printf '%s\n' 1 1 1 1 1 1 > "$T/in"
	env --default-signal=HUP "$PMAPF" -j2 --time-scale 3 \
		--progress=plain --progress-interval 0.1 < "$T/in" > "$T/out" 2> "$T/err" &
	pid=$!
	wait_for_line ' running=2 ' "$T/err" 5
	kill -HUP "$pid"
	wait "$pid"
	# The two running (1 s each) finished and were written; no more.
	[ "$(cat "$T/out")" = "$(printf '2\n2')" ]
}

@test "a second SIGINT skips the grace period" {
	# The job outlives SIGTERM, and notes each one it gets.
	echo 1 > "$T/in"
	env --default-signal=INT "$PMAPF" sh -c \
		'trap "echo >> \"$0.term\"" TERM; echo $$ > "$0.pid"; while :; do sleep 1; done' \
		"$T/j" < "$T/in" &
	pid=$!
	wait_until 5 test -s "$T/j.pid"
	start=$(date +%s%N)
	kill -INT "$pid"
	# The first SIGINT was acted on: the job got its SIGTERM.
	wait_until 1 test -s "$T/j.term"
	kill -INT "$pid"
	wait "$pid" || st=$?
	end=$(date +%s%N)
	[ "$st" -eq 130 ]
	# Well under the 1 s grace: the second signal killed at once.
	[ $(((end - start) / 1000000)) -lt 800 ]
	all_dead "$(cat "$T/j.pid")"
	groups_gone "$(cat "$T/j.pid")"
}

@test "pmapf killed by SIGKILL: its jobs and workers do not live on" {
	cat > "$T/job" <<'SH'
#!/bin/sh
echo $$ >> "$PIDS"
exec sleep 30
SH
	chmod +x "$T/job"
	export PIDS=$T/pids
	seq 3 > "$T/in"
	"$PMAPF" -j3 "$T/job" < "$T/in" > /dev/null &
	pid=$!
	wait_until 5 has_lines "$T/pids" 3
	kill -KILL "$pid"
	wait "$pid" || true
	all_dead $(cat "$T/pids")
	groups_gone $(cat "$T/pids")
	# The built-in's workers too.
	printf '%s\n' 30 30 > "$T/in2"
	"$PMAPF" -j2 < "$T/in2" > /dev/null &
	pid=$!
	wait_until 5 has_descendants "$pid" 2
	workers=$(descendants_of "$pid")
	kill -KILL "$pid"
	wait "$pid" || true
	all_dead $workers
}
