# Shared setup for the CLI tests: the binary under test and a scratch dir.
PMAPF=${PMAPF:-$BATS_TEST_DIRNAME/../../pmapf}
TOP_SRCDIR=${TOP_SRCDIR:-$BATS_TEST_DIRNAME/../..}

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/pmapf-test.XXXXXX")
}

teardown() {
	rm -rf "$T"
}

# Wait (up to $2 seconds, polling) for a file to hold a line matching $1.
wait_for_line() {
	local pattern=$1 file=$2 limit=${3:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		grep -q -- "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Every process whose process group is one of pmapf's children's.
descendants_of() {
	ps -e -o pid=,ppid=,pgid= | awk -v p="$1" '$2 == p { print $1 }'
}
