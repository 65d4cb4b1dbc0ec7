#!/usr/bin/env bats
# The private sshd the remote-execution (-S) tests log in to (sshd.bash):
# both host names reach it, the login shell is the one meant, a
# ControlMaster connection carries more sessions, a host that is down
# fails as ssh says.
load helpers
load sshd

setup_file() {
	sshd_start
}

teardown_file() {
	sshd_stop
}

@test "ssh to host1 and host2 runs a command there" {
	run timeout 20 ssh -F "$SSH_CONFIG" host1 'echo hi'
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	run timeout 20 ssh -F "$SSH_CONFIG" host2 'echo hi'
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	# As pmapf runs it: a command line split into words.
	# shellcheck disable=SC2086
	run timeout 20 $PMAPF_SSH host1 id -un
	[ "$status" -eq 0 ]
	[ "$output" = "$SSHD_USER" ]
}

@test "the login user is pmapftest with /bin/sh as root, else the user running the tests" {
	if [ "$(id -u)" -eq 0 ]; then
		[ "$SSHD_USER" = "${SSHD_TEST_USER:-pmapftest}" ]
		# shellcheck disable=SC2016
		run timeout 20 ssh -F "$SSH_CONFIG" host1 'getent passwd "$(id -un)" | cut -d: -f7; echo "$0"'
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = /bin/sh ]
		[ "${lines[1]}" = sh ]
	else
		[ "$SSHD_USER" = "$(id -un)" ]
	fi
}

@test "sessions share a ControlMaster connection" {
	local cm=(-o "ControlPath=$SSHD_DIR/cm-%n")
	run timeout 20 ssh -F "$SSH_CONFIG" "${cm[@]}" -o ControlMaster=yes -fN host1
	[ "$status" -eq 0 ]
	[ -S "$SSHD_DIR/cm-host1" ]
	run timeout 20 ssh -F "$SSH_CONFIG" "${cm[@]}" -O check host1
	[ "$status" -eq 0 ]
	# Many at once over the one connection (MaxSessions).
	local i
	for ((i = 0; i < 20; i++)); do
		timeout 20 ssh -F "$SSH_CONFIG" "${cm[@]}" -o ControlMaster=no host1 "echo $i" >"$T/out.$i" &
	done
	wait
	for ((i = 0; i < 20; i++)); do
		[ "$(cat "$T/out.$i")" = "$i" ]
	done
	run timeout 20 ssh -F "$SSH_CONFIG" "${cm[@]}" -O exit host1
	[ "$status" -eq 0 ]
	wait_until 5 test ! -e "$SSHD_DIR/cm-host1"
}

@test "downhost: nothing listens, ssh fails with status 255" {
	run timeout 20 ssh -F "$SSH_CONFIG" downhost true
	[ "$status" -eq 255 ]
}

@test "remote_procs_of sees what runs through the server, not the runner's own" {
	# A command line of its own; the local ssh's holds it too, but only
	# processes started with the server's SSH_CONNECTION count.
	local tag="sleep 30.$$"
	timeout 20 ssh -F "$SSH_CONFIG" host1 "$tag; :" </dev/null >/dev/null 2>&1 3>&- &
	local pid=$!
	wait_until 10 remote_procs_of "$tag"
	run remote_procs_of "$tag"
	[ "$status" -eq 0 ]
	# The remote shell (sh -c, or bash -c when not root) and sleep; not
	# the local ssh.
	printf '%s\n' "${lines[@]}" | grep -qx "[0-9]* $tag"
	printf '%s\n' "${lines[@]}" | grep -qx "[0-9]* [^ ]*sh -c $tag; :"
	[ "${#lines[@]}" -eq 2 ]
	local pids=("${lines[@]%% *}")
	run remote_procs_of "no such process $$"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# Ended on the host, the session ends and so does the local ssh.
	kill "${pids[@]}"
	wait_until 10 eval "! remote_procs_of '$tag' >/dev/null"
	run wait "$pid"
	[ "$status" -ne 124 ]
}
