# A private OpenSSH server on 127.0.0.1 for the remote-execution (-S)
# tests.  A bats file loads it and starts one server for all its tests:
#
#	load helpers
#	load sshd
#	setup_file() { sshd_start; }
#	teardown_file() { sshd_stop; }
#
# then runs  pmapf --ssh "$PMAPF_SSH" -S host1 ...  (host1 and host2 are
# two names for the server; downhost is a port where nothing listens).
#
# The login user: as root, the account pmapftest (shell /bin/sh, so no
# .bashrc runs for each command; .ci/run creates it); otherwise the user
# running the tests (an sshd not run as root can log in only its own user).
# When there is no sshd, no such account, or the server will not start,
# the file's tests are skipped, or fail when CI=true.  Load this file after
# helpers.bash: it makes the setup found then skip first when there is no
# server (a file defining its own setup later calls sshd_require in it).
#
# Knobs: SSHD_BIN (the sshd to run; default: sshd on PATH, else
# /usr/sbin/sshd), SSHD_TEST_USER (the account to use as root).
#
# Exported by sshd_start: SSHD_DIR (the server's files; short, as socket
# paths such as a ControlPath in it must stay under 108 bytes), SSH_CONFIG
# (the client config naming host1, host2, downhost), SSHD_USER, SSHD_PORT,
# SSHD_PID and PMAPF_SSH ("ssh -F $SSH_CONFIG").

# is_alive, free_port
. "${BASH_SOURCE[0]%/*}/procs.bash"

# Usage: sshd_skip_or_fail REASON
# When there is no server to be had: skip (the test, or in setup_file all
# the file's tests); when CI=true, fail instead, saying why (under CI
# every tool the tests need is installed: a skip would hide a lack).
# bats 1.8 counts a skip in setup_file as a failure, so there the reason
# is kept in SSHD_SKIP and each test skips in its setup (sshd_require).
sshd_skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		echo "sshd harness: $1 (CI=true: a skip is a failure)" >&2
		return 1
	fi
	if [ -z "${BATS_TEST_NAME:-}" ]; then
		export SSHD_SKIP="$1"
		echo "sshd harness: skipping: $1" >&2
		return 0
	fi
	skip "$1"
}

# Usage: sshd_require
# Skips the test when sshd_start found no server to be had.  Called by
# setup (see below); a test file with a setup of its own calls it there.
sshd_require() {
	[ -z "${SSHD_SKIP:-}" ] || skip "$SSHD_SKIP"
}

# The test's setup (helpers.bash's, when loaded before this file) first
# skips when there is no server.  (Once: loaded twice, it would call
# itself.)
if ! declare -F _sshd_setup_before >/dev/null; then
	if declare -F setup >/dev/null; then
		eval "$(declare -f setup | sed '1s/^setup /_sshd_setup_before /')"
	else
		_sshd_setup_before() { :; }
	fi
	setup() {
		sshd_require
		_sshd_setup_before
	}
fi

# Usage: sshd_start
sshd_start() {
	local bin user port cfg i try ok pid why
	SSHD_SKIP=
	bin=${SSHD_BIN:-$(command -v sshd || echo /usr/sbin/sshd)}
	# sshd re-executes itself for each connection: it needs its absolute path.
	case $bin in /*) ;; *) bin=$(command -v "$bin" || echo "$bin") ;; esac
	[ -x "$bin" ] || { sshd_skip_or_fail "no sshd (install openssh-server)"; return; }
	command -v ssh >/dev/null || { sshd_skip_or_fail "no ssh (install openssh-client)"; return; }
	command -v ssh-keygen >/dev/null || { sshd_skip_or_fail "no ssh-keygen (install openssh-client)"; return; }

	if [ "$(id -u)" -eq 0 ]; then
		user=${SSHD_TEST_USER:-pmapftest}
		id "$user" >/dev/null 2>&1 ||
			{ sshd_skip_or_fail "no user $user to log in as (useradd -m -s /bin/sh $user; usermod -p '*' $user)"; return; }
		# Privilege separation: a root sshd chroots its unprivileged
		# child here and will not start without it.
		if ! mkdir -p /run/sshd || ! chmod 755 /run/sshd; then
			sshd_skip_or_fail "cannot create /run/sshd"
			return
		fi
	else
		user=$(id -un)
	fi

	SSHD_DIR=$(mktemp -d /tmp/pmapf-sshd.XXXXXX) || { sshd_skip_or_fail "mktemp failed"; return; }
	SSHD_USER=$user
	SSHD_PID=
	SSHD_PORT=
	SSH_CONFIG=$SSHD_DIR/ssh_config
	PMAPF_SSH="ssh -F $SSH_CONFIG"
	export SSHD_DIR SSHD_USER SSHD_PID SSHD_PORT SSH_CONFIG PMAPF_SSH

	# The login user (when not the one running the tests) must reach
	# authorized_keys: the dir traversable, the file readable.  The
	# client key stays 0600, the runner's own.
	chmod 711 "$SSHD_DIR"
	if ! ssh-keygen -q -t ed25519 -N '' -C pmapf-test-host -f "$SSHD_DIR/host_key" ||
		! ssh-keygen -q -t ed25519 -N '' -C pmapf-test-client -f "$SSHD_DIR/client_key" ||
		! cp "$SSHD_DIR/client_key.pub" "$SSHD_DIR/authorized_keys"; then
		sshd_stop
		sshd_skip_or_fail "ssh-keygen failed"
		return
	fi
	chmod 600 "$SSHD_DIR/host_key" "$SSHD_DIR/client_key"
	chmod 644 "$SSHD_DIR/authorized_keys"

	local pdeath=()
	! command -v setpriv >/dev/null || pdeath=(setpriv --pdeathsig TERM)
	for ((try = 0; try < 10; try++)); do
		port=$(free_port) || continue
		cfg=$SSHD_DIR/sshd_config
		cat >"$cfg" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $SSHD_DIR/host_key
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $user
LogLevel ERROR
Subsystem sftp internal-sftp
MaxSessions 10
MaxStartups 100:30:200
EOF
		_sshd_client_config "$port" "$(free_port || echo 1)" "$user"
		# Its own files for output: an inherited stdout or bats's fd 3
		# would keep bats waiting for the server to end.  Should this
		# shell die without sshd_stop (bats killed, its output piped to
		# head), the server gets SIGTERM all the same (util-linux setpriv).
		"${pdeath[@]}" "$bin" -D -e -f "$cfg" </dev/null >>"$SSHD_DIR/sshd.log" 2>&1 3>&- &
		pid=$!
		SSHD_PID=$pid
		SSHD_PORT=$port
		# Ready when a login works; a server that died (the port was
		# taken after all) is tried again on another port.
		ok=
		for ((i = 0; i < 100; i++)); do
			if timeout 10 ssh -F "$SSH_CONFIG" host1 true </dev/null >/dev/null 2>>"$SSHD_DIR/ssh-poll.log"; then
				ok=1
				break
			fi
			is_alive "$pid" || break
			sleep 0.1
		done
		[ -z "$ok" ] || return 0
		if is_alive "$pid" || ! grep -qiE 'bind|address already in use' "$SSHD_DIR/sshd.log"; then
			break # not a port clash: trying again will not help
		fi
		wait "$pid" 2>/dev/null || true
	done
	why="sshd did not accept a login within 10 s: $(tail -n 3 "$SSHD_DIR/sshd.log" "$SSHD_DIR/ssh-poll.log" 2>/dev/null | tr '\n' ' ')"
	sshd_stop
	sshd_skip_or_fail "$why"
}

# Usage: sshd_stop
# Ends the server, each connection's processes and whatever the tests
# left running through it, and removes SSHD_DIR.  Safe to call twice or
# after a failed sshd_start.
sshd_stop() {
	local depth
	if [ -n "${SSHD_PID:-}" ]; then
		# What the sessions left running (orphaned), then each session
		# from its deepest processes up to its sshd (the listener's
		# child), then the listener: each parent still there to reap its
		# child, which under a PID 1 that does not would stay a zombie.
		# shellcheck disable=SC2046 # PIDs, one a word
		_sshd_end $(_sshd_remote_pids .)
		for ((depth = $(_sshd_tree "$SSHD_PID" | awk '$1 > m { m = $1 } END { print m + 0 }'); depth > 0; depth--)); do
			# shellcheck disable=SC2046
			_sshd_end $(_sshd_tree "$SSHD_PID" | awk -v d="$depth" '$1 == d { print $2 }')
		done
		_sshd_end "$SSHD_PID"
		# Reaped if it is this shell's child (no effect otherwise).
		wait "$SSHD_PID" 2>/dev/null || true
		SSHD_PID=
	fi
	if [ -n "${SSHD_DIR:-}" ] && [ -d "$SSHD_DIR" ]; then
		rm -rf "$SSHD_DIR"
	fi
	return 0
}

# Usage: remote_procs_of PATTERN
# The processes the server started (through any connection, and their
# children, orphaned or not), whose command line matches PATTERN (as for
# pgrep -f): "PID COMMAND LINE", one a line.  Nothing (and status 1) when
# none.  Told apart from the test runner's own by SSH_CONNECTION in their
# environment, which names this server's port; a process that cleared its
# environment is not seen.
remote_procs_of() {
	local p cmd found=1
	for p in $(_sshd_remote_pids "$1"); do
		cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
		[ -n "$cmd" ] || continue
		printf '%s %s\n' "$p" "${cmd% }"
		found=0
	done
	return "$found"
}

# --- internals ---------------------------------------------------------

# PIDs of the login user's processes matching PATTERN $1 that this server
# started.
_sshd_remote_pids() {
	local p
	[ -n "${SSHD_PORT:-}" ] || return 0
	for p in $(pgrep -u "$SSHD_USER" -f -- "$1"); do
		[ "$p" != "$$" ] || continue
		# SSH_CONNECTION=client-ip client-port server-ip server-port
		tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" |
			grep -qE "^SSH_CONNECTION=[^ ]+ [0-9]+ 127\.0\.0\.1 $SSHD_PORT\$" &&
			echo "$p"
	done
	return 0
}

# PID $1's descendants (not itself), "DEPTH PID" a line: its children
# are at depth 1.
_sshd_tree() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
		{ parent[$1] = $2 }
		END {
			for (p in parent) {
				d = 1
				for (q = parent[p]; q != "" && q > 1 && q != root; q = parent[q]) d++
				if (q == root) print d, p
			}
		}'
}

# Usage: _sshd_end PID...
# TERM them and wait (up to 3 s) until none runs; then KILL what still does.
_sshd_end() {
	local p i
	[ "$#" -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < 30; i++)); do
		_sshd_any_alive "$@" || return 0
		sleep 0.1
	done
	for p; do
		! is_alive "$p" || kill -KILL "$p" 2>/dev/null || true
	done
}

_sshd_any_alive() {
	local p
	for p; do
		! is_alive "$p" || return 0
	done
	return 1
}

# Usage: _sshd_client_config PORT DOWNPORT USER
_sshd_client_config() {
	cat >"$SSH_CONFIG" <<EOF
Host host1 host2
	HostName 127.0.0.1
	Port $1
	User $3

Host downhost
	HostName 127.0.0.1
	Port $2
	User $3

Host *
	IdentityFile $SSHD_DIR/client_key
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
	BatchMode yes
	ConnectTimeout 5
EOF
}
