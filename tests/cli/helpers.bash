# Shared setup for the CLI tests: the binary under test and a scratch dir.
PMAPF=${PMAPF:-$BATS_TEST_DIRNAME/../../pmapf}
TOP_SRCDIR=${TOP_SRCDIR:-$BATS_TEST_DIRNAME/../..}
# is_alive, free_port
. "$BATS_TEST_DIRNAME/procs.bash"

# `run --separate-stderr`, which keeps what pmapf writes on stderr apart
# from stdout as a user sees it, needs bats 1.5 (Debian 12 has 1.8.2).
bats_require_minimum_version 1.5.0

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/pmapf-test.XXXXXX")
}

teardown() {
	tmux_stop
	rm -rf "$T"
}

# Usage: wait_until SECONDS COMMAND [ARG]...
# Poll COMMAND every 0.05 s until it succeeds; after SECONDS (a whole
# number) say what was awaited and fail, which fails the test.  Tests wait
# for a state this way, never with a fixed sleep.
wait_until() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	echo "gave up after ${limit}s waiting for: $*" >&2
	return 1
}

# Usage: small_tmpdir SIZE
# Mount a tmpfs of SIZE (as mount's size=) on $T/small, for a TMPDIR that
# fills; skip the test where that cannot be done (not root).  The test
# file's teardown unmounts it.
small_tmpdir() {
	mkdir "$T/small"
	mount -t tmpfs -o "size=$1" tmpfs "$T/small" 2>/dev/null ||
		skip "cannot mount a small tmpfs here"
}

# True if file $1 exists and has at least $2 lines.
has_lines() {
	[ -e "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

# Wait (up to $3 seconds, default 10) for file $2 to hold a line matching $1.
wait_for_line() {
	wait_until "${3:-10}" grep -qs -- "$1" "$2"
}

# pmapf's jobs and workers: its children that lead their own process
# group (which excludes helpers such as LeakSanitizer's exit-time tracer,
# a clone of pmapf in pmapf's group).
descendants_of() {
	ps -e -o pid=,ppid=,pgid= | awk -v p="$1" '$2 == p && $1 == $3 { print $1 }'
}

# True if pmapf $1 has at least $2 jobs or workers.
has_descendants() {
	[ "$(descendants_of "$1" | wc -l)" -ge "$2" ]
}

# Run pmapf with ARGS as a usage error must go: exit 255, nothing on
# stdout, and on stderr one line naming the problem, then the hint.  The
# test then checks that line, ${stderr_lines[0]}.
refused() {
	run --separate-stderr "$PMAPF" "$@"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[1]}" = "Try 'pmapf --help' for more information." ]
}

# A real terminal for the tests that need one: a tmux server of our own.
# Usage: tmux_start WIDTH COMMAND; then tmux_keys, tmux_screen.
tmux_start() {
	command -v tmux >/dev/null || skip "tmux not installed"
	# A socket of its own each time: a server just told to stop may
	# still hold the last one.
	TMUX_SOCK="$T/tmux.$((++TMUX_STARTS)).sock"
	local width=$1
	shift
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x "$width" -y 24 -s t "$@"
}

tmux_keys() {
	tmux -S "$TMUX_SOCK" send-keys -t t "$@"
}

tmux_screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t t
}

tmux_stop() {
	[ -z "${TMUX_SOCK:-}" ] || tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
}

# Wait up to $2 seconds for the terminal to show text matching $1; the
# screen that matched is left in $SCREEN, so what else a test asserts of
# that moment is not read from a later one.
wait_for_screen() {
	local pattern=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		SCREEN=$(tmux_screen)
		grep -q -- "$pattern" <<< "$SCREEN" && return 0
		sleep 0.05
	done
	tmux_screen >&2
	return 1
}

# Wait up to 2 s until none of the given processes is alive.
all_dead() {
	local i p alive
	for ((i = 0; i < 40; i++)); do
		alive=0
		for p in "$@"; do is_alive "$p" && alive=1; done
		[ "$alive" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}

# Wait up to 2 s until no live process is left in any of the given
# process groups (a job is a group leader: its children are in it too).
groups_gone() {
	local i g left
	for ((i = 0; i < 40; i++)); do
		left=0
		for g in "$@"; do
			ps -e -o pgid=,stat= | awk -v g="$g" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }' && left=1
		done
		[ "$left" = 0 ] && return 0
		sleep 0.05
	done
	ps -e -o pid=,pgid=,stat=,args= >&2
	return 1
}

# Random bytes with newlines about every $2 bytes (a record length), $1
# bytes in all, into $3 (seed $4); no newline at the very end (with a
# fifth argument, one).
random_records() {
	awk -v n="$1" -v len="$2" -v seed="${4:-1}" -v nl="${5:-}" 'BEGIN {
		srand(seed)
		for (i = 0; i < n - 1; i++)
			printf "%c", (rand() * len < 1) ? 10 : 33 + int(rand() * 90)
		printf (nl != "") ? "\n" : "x"
	}' > "$3"
}

# pmapf $1 has begun (at least $2 jobs): SIGTERM ends it (143) and all its
# jobs.
term_ends_all() {
	wait_until 20 has_descendants "$1" "$2"
	kill -TERM "$1"
	local st=0
	wait "$1" || st=$?
	[ "$st" -eq 143 ]
	[ -z "$(descendants_of "$1")" ]
}
