#!/usr/bin/env bats
# Standard output that goes away, fills up, is closed, is slow or is
# non-blocking: pmapf never hangs, never blocks its loop on a write, and
# reacts to signals and --timeout at once.  A standard error that fails
# shows in the exit status.
load helpers

# Run "$@" in bash with a 10 s limit: a hang fails the test (status 124).
bounded() {
	run --separate-stderr timeout 10 bash -c "$1"
	[ "$status" -ne 124 ] || { echo "hung: $1" >&2; return 1; }
}

@test "reader gone while input is still coming: ends by SIGPIPE, no hang" {
	# b comes after head has gone, c a second later: pmapf learns at b.
	bounded "{ echo a; sleep 0.5; echo b; sleep 1; echo c; } | '$PMAPF' echo | head -1; echo \"\${PIPESTATUS[1]}\""
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = a ]
	[ "${lines[1]}" = 141 ]
	[ -z "$stderr" ]
}

@test "reader gone: the built-in, --workers, --dry-run and -u end too" {
	for args in "" "--workers cat" "--dry-run echo" "-u echo" "-u --workers cat"; do
		bounded "{ seq 3; sleep 1; seq 3; } | '$PMAPF' $args | head -1; echo \"\${PIPESTATUS[1]}\""
		[ "$status" -eq 0 ]
		[ "${lines[1]}" = 141 ]
	done
}

@test "stdout full (/dev/full): one message, exit 255, no hang" {
	for args in "echo" "" "--workers cat" "--dry-run echo"; do
		bounded "{ seq 3; sleep 1; seq 3; } | '$PMAPF' $args > /dev/full"
		[ "$status" -eq 255 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[ "${stderr_lines[0]}" = "pmapf: write error on standard output: No space left on device" ]
	done
}

@test "stdout closed (>&-): one message, exit 255, no hang" {
	bounded "{ echo a; sleep 0.5; echo b; sleep 1; echo c; } | '$PMAPF' echo >&-"
	[ "$status" -eq 255 ]
	[ "${stderr_lines[0]}" = "pmapf: write error on standard output: Bad file descriptor" ]
}

@test "stderr full or closed while jobs write to it: exit 255, stdout whole" {
	job='echo "out $0"; echo "err $0" >&2'
	for redir in "2>/dev/full" "2>&-"; do
		for args in "" "-u" "-j1"; do
			bounded "seq 20 | '$PMAPF' $args sh -c '$job' $redir"
			[ "$status" -eq 255 ]
			[ "${#lines[@]}" -eq 20 ]
			[ "$(printf '%s\n' "${lines[@]}" | sort -n -k2)" = "$(seq 20 | sed 's/^/out /')" ]
		done
	done
	# pmapf's own message about a record is lost the same way.
	bounded "echo a | '$PMAPF' sh -c 'kill -9 \$\$' 2>/dev/full"
	[ "$status" -eq 255 ]
	# Nothing written there, nothing lost: the jobs' status as ever.
	bounded "seq 3 | '$PMAPF' echo 2>/dev/full"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 3)" ]
}

@test "a non-blocking stdout pipe from the parent: no EAGAIN, nothing lost" {
	command -v python3 >/dev/null || skip "python3 not installed"
	cat > "$T/nb.py" <<'PY'
import os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
p = subprocess.Popen([sys.argv[1], "-j4", "sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo"],
                     stdin=subprocess.PIPE, stdout=w, stderr=subprocess.PIPE)
os.close(w)
p.stdin.write(b"".join(b"%d\n" % i for i in range(40)))
p.stdin.close()
time.sleep(0.5)  # let the pipe fill while nobody reads
n = 0
while True:
    b = os.read(r, 65536)
    if not b:
        break
    n += len(b)
err = p.stderr.read()
print(p.wait(), n, len(err))
PY
	bounded "python3 '$T/nb.py' '$PMAPF'"
	[ "$status" -eq 0 ]
	[ "$output" = "0 8000040 0" ]
}

@test "stdout blocked by a slow reader: SIGTERM is acted on at once" {
	mkfifo "$T/fifo"
	{ sleep 30; cat > /dev/null; } < "$T/fifo" &
	reader=$!
	seq 4 | "$PMAPF" -j2 sh -c 'head -c 1000000 /dev/zero; echo > "$1/$0.ran"; sleep 30' {} "$T" > "$T/fifo" 2> "$T/err" &
	pm=$!
	# Both jobs wrote their megabyte: far more than the pipe holds.
	wait_until 5 test -e "$T/1.ran" -a -e "$T/2.ran"
	start=$(date +%s%N)
	kill -TERM "$pm"
	wait "$pm" || st=$?
	end=$(date +%s%N)
	kill "$reader" 2>/dev/null || true
	[ "$st" -eq 143 ]
	# Jobs get SIGTERM and die at once; pmapf gives what finished a
	# second at most and does not wait for the reader.
	[ $(((end - start) / 1000000)) -lt 2500 ]
	[ ! -s "$T/err" ]
}

@test "stdout blocked by a slow reader: --timeout still ends jobs on time" {
	# Job 1 ends at once with 3 MB for a reader asleep for 3 s; job 2
	# runs too long and must be ended after 0.5 s all the same.
	bounded "printf '1\n2\n' | '$PMAPF' -j2 --timeout 0.5 --joblog '$T/log' sh -c 'if [ \$0 = 1 ]; then head -c 3000000 /dev/zero; else sleep 5; fi' | { sleep 3; wc -c; }"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -eq 3000000 ]
	[[ "$stderr" == *'record 2 "2": timed out after 0.5s'* ]]
	runtime=$(awk -F'\t' '$1 == 2 { print $4 }' "$T/log")
	awk -v t="$runtime" 'BEGIN { exit !(t < 1.5) }'
}
