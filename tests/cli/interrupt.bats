#!/usr/bin/env bats
# Interrupted runs: every signal that would kill pmapf takes its jobs'
# process groups down first and pmapf then dies by that signal; ordered
# output stops at exactly the finished prefix.
load helpers

# Background jobs of a non-interactive shell ignore SIGINT and SIGQUIT;
# give pmapf what an interactive user's pmapf would have.
# (An array, not a function, so $! is pmapf's own pid.)
PMAPF_FG=(env --default-signal=INT,QUIT,TERM "$PMAPF")

# Start pmapf on 2 jobs that each have a child (sh runs `sleep` in the
# background and waits); sets PM and JOB_GROUPS once both jobs run.
start_two_jobs() {
	seq 2 > "$T/in"
	"${PMAPF_FG[@]}" -j2 -s 'sleep 30 & echo $$ > '"$T"'/{}.pid; wait' < "$T/in" > "$T/out" 2> "$T/err" &
	PM=$!
	wait_until 5 test -s "$T/1.pid" -a -s "$T/2.pid"
	JOB_GROUPS="$(cat "$T/1.pid") $(cat "$T/2.pid")"
}

@test "SIGQUIT, SIGUSR2, SIGALRM, SIGRTMIN+3: jobs and children killed, death by the signal" {
	for sig in QUIT USR2 ALRM RTMIN+3; do
		rm -f "$T"/*.pid
		start_two_jobs
		kill -s "$sig" "$PM"
		st=0
		wait "$PM" || st=$?
		want=$((128 + $(kill -l "$sig")))
		[ "$st" -eq "$want" ] || { echo "$sig: status $st, want $want" >&2; false; }
		groups_gone $JOB_GROUPS || { echo "$sig: jobs left" >&2; false; }
		[ ! -s "$T/err" ]
	done
}

@test "Ctrl-\\ on a terminal: jobs killed, the bar cleared, pmapf dies of SIGQUIT" {
	tmux_start 80 bash --norc -c "seq 3 | '$PMAPF' -j3 -s 'echo \$\$ >> $T/groups; sleep 30'; echo status=\$?; sleep 30"
	wait_until 5 has_lines "$T/groups" 3
	wait_for_screen '0/3'
	tmux_keys 'C-\'
	wait_for_screen 'status=131'
	groups_gone $(cat "$T/groups")
	# The bar is gone from the screen, not left behind.
	! tmux_screen | grep -q '0/3' || false
}

# Usage: logged
# The sequence numbers in the joblog $T/log, sorted, each followed by a
# space: the jobs pmapf has collected and logged so far.
logged() {
	tail -n +2 "$T/log" | cut -f1 | sort -n | tr '\n' ' '
}

# Usage: logged_is "1 2 "
logged_is() {
	[ "$(logged)" = "$1" ]
}

# A job that prints its record and says it is done, except #3, which
# runs on: the gap the interrupted runs below stop at.
gap_at_3_job() {
	cat > "$T/job" <<'SH'
#!/bin/sh
[ "$1" = 3 ] && exec sleep 30
echo "$1"
touch "$2/$1.done"
SH
	chmod +x "$T/job"
}

@test "interrupted ordered run: exactly the finished prefix, logged; --resume runs the rest" {
	gap_at_3_job
	seq 6 > "$T/in"
	"${PMAPF_FG[@]}" -j6 --joblog "$T/log" "$T/job" {} "$T" < "$T/in" > "$T/out" 2> "$T/err" &
	pm=$!
	for n in 1 2 4 5 6; do wait_until 5 test -e "$T/$n.done"; done
	# A job touches its file just before it exits: wait for pmapf to
	# have collected 1 and 2 (its joblog), or the signal can find 2
	# still running.
	wait_until 5 logged_is "1 2 "
	kill -INT "$pm"
	st=0
	wait "$pm" || st=$?
	[ "$st" -eq 130 ]
	# 4, 5 and 6 finished, but behind the gap at 3: not written, not
	# logged.
	[ "$(cat "$T/out")" = "$(printf '1\n2')" ]
	[ "$(logged)" = "1 2 " ]
	[ ! -s "$T/err" ]
	run --separate-stderr "$PMAPF" -j6 --resume --joblog "$T/log" echo {} < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '3\n4\n5\n6')" ]
	[ "$(logged)" = "1 2 3 4 5 6 " ]
}

@test "interrupted -u run: everything finished is written and logged" {
	gap_at_3_job
	seq 6 | "$PMAPF" -u -j6 --joblog "$T/log" "$T/job" {} "$T" > "$T/out" 2> "$T/err" &
	pm=$!
	# Collected by pmapf (its joblog), not only touched: a job touches
	# its file just before it exits, and CI once sent the signal in
	# between (the job was killed, its output rightly not written).
	wait_until 5 logged_is "1 2 4 5 6 "
	kill -TERM "$pm"
	st=0
	wait "$pm" || st=$?
	[ "$st" -eq 143 ]
	[ "$(sort -n "$T/out" | tr '\n' ' ')" = "1 2 4 5 6 " ]
	[ "$(logged)" = "1 2 4 5 6 " ]
}
