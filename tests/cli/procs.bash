# Process and port helpers shared by the tests (helpers.bash loads this)
# and the private servers' harnesses (sshd.bash, slurm.bash), which the
# benchmarks source without bats.

# True if a process exists and is not a zombie awaiting its reaper.
is_alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ "$st" != Z* ]]
}

# A high TCP port on which nothing listens (yet): it may be taken before
# a server binds it, so the caller tries again when the bind fails.
free_port() {
	local i port hex
	for ((i = 0; i < 50; i++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		hex=$(printf ':%04X ' "$port")
		# Local addresses in /proc/net/tcp{,6}: "IP:PORT" in hex.
		if ! awk 'NR > 1 { print $2 " " }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q -- "$hex"; then
			echo "$port"
			return 0
		fi
	done
	return 1
}
