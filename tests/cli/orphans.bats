#!/usr/bin/env bats
# What jobs leave behind: whatever is still in a job's process group when
# pmapf ends (killed, even by SIGKILL, or normally) is killed with it.
load helpers

# Process groups this test learned; teardown empties the ones left.
GROUPS_SEEN=

teardown() {
	local g
	# Only a group that still has members: its id cannot have been
	# given to anyone else.
	for g in $GROUPS_SEEN; do
		[ "$(members "$g")" -eq 0 ] || kill -KILL -- "-$g" 2>/dev/null || true
	done
	tmux_stop
	rm -rf "$T"
}

# Live (not zombie) processes in process group $1.
members() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ } END { print n + 0 }'
}

# Wait (up to 5 s) until pmapf ($1) has $2 jobs whose groups hold at
# least $3 live processes each; sets GROUPS_SEEN to those groups.
wait_for_groups() {
	local pm=$1 want=$2 least=$3 i g ok
	for ((i = 0; i < 100; i++)); do
		GROUPS_SEEN=$(descendants_of "$pm")
		if [ "$(echo $GROUPS_SEEN | wc -w)" -eq "$want" ]; then
			ok=1
			for g in $GROUPS_SEEN; do
				[ "$(members "$g")" -ge "$least" ] || ok=0
			done
			[ "$ok" = 1 ] && return 0
		fi
		sleep 0.05
	done
	echo "wanted $want groups of $least or more; have: $GROUPS_SEEN" >&2
	ps -e -o pid=,ppid=,pgid=,stat=,args= >&2
	return 1
}

# Wait (up to 3 s) until every group in GROUPS_SEEN is empty.
wait_groups_empty() {
	local i g left
	for ((i = 0; i < 60; i++)); do
		left=0
		for g in $GROUPS_SEEN; do
			[ "$(members "$g")" -eq 0 ] || left=1
		done
		[ "$left" = 0 ] && return 0
		sleep 0.05
	done
	for g in $GROUPS_SEEN; do
		echo "group $g still has:" >&2
		ps -e -o pid=,pgid=,stat=,args= | awk -v g="$g" '$2 == g' >&2
	done
	return 1
}

@test "SIGKILL: the background and foreground children of -s jobs die too" {
	seq 4 > "$T/in"
	"$PMAPF" -j2 -s 'sleep 30 & sleep 30; echo {}' < "$T/in" > "$T/out" &
	pid=$!
	# Each job: the shell and its two sleeps.
	wait_for_groups "$pid" 2 3
	kill -KILL "$pid"
	wait "$pid" || true
	wait_groups_empty
}

@test "SIGKILL: what a --workers worker started dies too" {
	cat > "$T/w" <<'SH'
#!/bin/sh
sleep 30 >/dev/null 2>&1 &
while read l; do echo $l; done
SH
	chmod +x "$T/w"
	mkfifo "$T/fifo"
	"$PMAPF" -j2 --workers "$T/w" < "$T/fifo" > "$T/out" &
	pid=$!
	# Input stays open: pmapf is still running when it is killed.
	exec {w}> "$T/fifo"
	seq 4 >&"$w"
	# Each worker: the shell and its sleep.
	wait_for_groups "$pid" 2 2
	kill -KILL "$pid"
	wait "$pid" || true
	exec {w}>&-
	wait_groups_empty
}

@test "normal end: a job's background process holding no pipe is killed" {
	echo x > "$T/in"
	run "$PMAPF" sh -c 'sleep 30 >/dev/null 2>&1 & echo $$' < "$T/in"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
	GROUPS_SEEN=$output
	wait_groups_empty
}
