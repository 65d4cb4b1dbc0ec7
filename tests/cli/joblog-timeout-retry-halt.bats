#!/usr/bin/env bats
# Batch control as GNU parallel: --joblog and --resume, --timeout,
# --retries, --halt; and --line-buffer.
load helpers

@test "--joblog: GNU parallel's header and one row per job" {
	printf 'a\nb c\n' | "$PMAPF" -j2 --joblog "$T/log" -s 'echo {}; exit 3' > /dev/null || st=$?
	[ "${st:-0}" -eq 2 ]
	[ "$(head -n 1 "$T/log")" = "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "$(wc -l < "$T/log")" -eq 3 ]
	re=$'^[12]\t:\t[0-9]+\\.[0-9]{3}\t +[0-9]+\\.[0-9]{3}\t0\t[0-9]+\t3\t0\techo '
	while IFS= read -r line; do [[ "$line" =~ $re ]]; done < <(tail -n 2 "$T/log")
	# Receive counts stdout bytes; Command is pasteable.
	grep -q $'\t4\t3\t0\techo \'b c\'; exit 3$' "$T/log"
	grep -q $'\t2\t3\t0\techo a; exit 3$' "$T/log"
}

@test "--joblog: a row is written as each job finishes, not at the end" {
	{ echo 0; sleep 2; echo 0; } | "$PMAPF" -j1 --joblog "$T/log" sleep &
	pid=$!
	wait_for_line $'^1\t:' "$T/log" 1
	kill -0 "$pid"
	wait "$pid"
	[ "$(wc -l < "$T/log")" -eq 3 ]
}

@test "--joblog +FILE appends, with one header" {
	echo a | "$PMAPF" --joblog "$T/log" echo > /dev/null
	echo b | "$PMAPF" --joblog "+$T/log" echo > /dev/null
	[ "$(grep -c '^Seq' "$T/log")" -eq 1 ]
	[ "$(wc -l < "$T/log")" -eq 3 ]
	echo c | "$PMAPF" --joblog "$T/log" echo > /dev/null
	[ "$(wc -l < "$T/log")" -eq 2 ]
}

@test "--joblog: killed, not found, bad record each get their row" {
	st=0
	printf 'a\n' | "$PMAPF" --joblog "$T/log" sh -c 'kill -9 $$' 2>/dev/null || st=$?
	[ "$st" -eq 1 ]
	tail -n 1 "$T/log" | grep -q $'\t0\t9\tsh -c \'kill -9 $$\' a$'
	st=0
	printf 'a\n' | "$PMAPF" --joblog "$T/log" no-such-cmd-pmapf 2>/dev/null || st=$?
	[ "$st" -eq 1 ]
	tail -n 1 "$T/log" | grep -q $'\t127\t0\tno-such-cmd-pmapf a$'
	st=0
	printf 'x\n' | "$PMAPF" --joblog "$T/log" --time-scale 0 2>/dev/null || st=$?
	[ "$st" -eq 1 ]
	tail -n 1 "$T/log" | grep -q $'\t1\t0\tslow_add_one x$'
}

@test "--joblog: a file that cannot be opened is pmapf's own error, before any job" {
	run --separate-stderr bash -c "echo a | '$PMAPF' --joblog /nonexistent/dir/log echo"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: cannot open the joblog /nonexistent/dir/log: No such file or directory" ]
}

@test "--joblog that takes nothing (/dev/full): said once, jobs run, stdout whole, exit 255" {
	for args in "-j3" "-j3 -u" "-j1"; do
		run --separate-stderr bash -c "seq 10 | '$PMAPF' $args --joblog /dev/full sh -c 'echo out \$0; echo err \$0 >&2'"
		[ "$status" -eq 255 ]
		[ "$(printf '%s\n' "${lines[@]}" | sort -n -k2)" = "$(seq 10 | sed 's/^/out /')" ]
		[ "$(printf '%s\n' "${stderr_lines[@]}" | grep -c joblog)" -eq 1 ]
		[ "${#stderr_lines[@]}" -eq 11 ]
		printf '%s\n' "${stderr_lines[@]}" | grep -qx 'pmapf: cannot write the joblog /dev/full: No space left on device'
	done
}

@test "--joblog failing halfway (its reader gone): said once, no job ended, stdout whole, exit 255" {
	mkfifo "$T/fifo"
	# The header goes to head; the jobs end once it has gone, so every
	# row meets a pipe without a reader.
	{ head -n 1 > "$T/hdr"; touch "$T/gone"; } < "$T/fifo" 2>/dev/null 3>&- &
	run --separate-stderr bash -c "seq 6 | '$PMAPF' -j2 --joblog '$T/fifo' sh -c 'until [ -e \"\$1/gone\" ]; do sleep 0.05; done; echo \$0' {} '$T'"
	[ "$status" -eq 255 ]
	[ "$output" = "$(seq 6)" ]
	[ "$stderr" = "pmapf: cannot write the joblog $T/fifo: Broken pipe" ]
	[ "$(cut -f1 "$T/hdr")" = Seq ]
}

@test "--timeout: a job running longer is terminated, failed, and logged" {
	start=$(date +%s%N)
	run --separate-stderr bash -c "printf '0.1\n5\n' | '$PMAPF' -j2 --timeout 0.5 --joblog '$T/log' sleep"
	end=$(date +%s%N)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = 'pmapf: record 2 "5": timed out after 0.5s' ]
	[ $(((end - start) / 1000000)) -lt 3000 ]
	# Logged as GNU parallel logs a timeout: Exitval -1, Signal 15.
	grep -q $'^2\t:\t[0-9.]*\t *0\\.[5-9][0-9]*\t0\t0\t-1\t15\tsleep 5$' "$T/log"
	grep -q $'^1\t.*\t0\t0\tsleep 0\\.1$' "$T/log"
}

@test "--timeout: a job ignoring SIGTERM gets SIGKILL; its children go too" {
	run --separate-stderr bash -c "echo x | '$PMAPF' --timeout 0.3 sh -c 'trap \"\" TERM; echo \$\$ > $T/pid; sleep 30 & wait'"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = 'pmapf: record 1 "x": timed out after 0.3s' ]
	groups_gone "$(cat "$T/pid")"
}

@test "--timeout: fractions, ordered and unordered, bad values refused" {
	# (A fraction, and room for a loaded machine to start the quick
	# jobs well within it.)
	run bash -c "printf '0\n30\n0\n' | '$PMAPF' -u -j3 --timeout 1.5 sh -c 'sleep \$0; echo \$0' 2>/dev/null"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '0\n0')" ]
	run bash -c "printf '30\n0\n' | '$PMAPF' -j2 --timeout 1.5 sh -c 'sleep \$0; echo \$0' 2>/dev/null"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	refused --timeout 0 echo
	refused --timeout abc echo
	refused --timeout 1
	[ "${stderr_lines[0]}" = "pmapf: --timeout applies to a COMMAND run per record, not to the built-in" ]
}

@test "--retries N: up to N tries; only the last is written and logged" {
	# Fails twice, then succeeds: a counter file per record.
	cat > "$T/flaky" <<'SH'
#!/bin/sh
n=$(cat "$0.$1" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$0.$1"
echo "try $n of $1"
[ "$n" -ge 3 ]
SH
	chmod +x "$T/flaky"
	run bash -c "printf 'a\nb\n' | '$PMAPF' -j2 --retries 3 --joblog '$T/log' '$T/flaky'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'try 3 of a\ntry 3 of b')" ]
	[ "$(wc -l < "$T/log")" -eq 3 ]
	rm -f "$T"/flaky.?
	run bash -c "echo c | '$PMAPF' --retries 2 '$T/flaky'"
	[ "$status" -eq 1 ]
	[ "$output" = "try 2 of c" ]
}

@test "--halt now,fail=1: running jobs terminated; the failing job's status" {
	printf '%s\n' 3 5 0.3 > "$T/in"
	start=$(date +%s)
	run --separate-stderr bash -c "'$PMAPF' -j3 --halt now,fail=1 sh -c 'sleep \$0; [ \$0 = 0.3 ] && exit 7; echo \$0' < '$T/in'"
	end=$(date +%s)
	[ "$status" -eq 7 ]
	[ $((end - start)) -lt 3 ]
	# The running jobs were terminated before they wrote anything.
	[ -z "$output" ]
	[[ "$stderr" == *"pmapf: --halt: after record 3 (status 7), terminating the running jobs"* ]]
}

@test "--halt soon,fail=1: no new job, running ones finish" {
	printf '%s\n' 1 2 3 0 4 > "$T/in"
	run bash -c "'$PMAPF' -j2 --halt soon,fail=1 sh -c 'sleep 0.\$0; echo \$0; exit \$0' < '$T/in' 2>/dev/null"
	# As GNU parallel: 1 fails, 2 (running) finishes, nothing else starts.
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '1\n2')" ]
}

@test "--halt success=1 and done=N% , and bad specs" {
	run bash -c "printf '%s\n' 1 0 1 | '$PMAPF' -j1 --halt now,success=1 sh -c 'exit \$0' 2>/dev/null"
	[ "$status" -eq 0 ]
	run bash -c "seq 10 | '$PMAPF' -j1 --halt soon,done=30% sh -c 'echo \$0' 2>/dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 3)" ]
	for bad in now soon,fail fail=1 later,fail=1 now,fail=0 now,fail=x now,boom=1 now,fail=150%; do
		refused --halt "$bad" echo
		[[ "${stderr_lines[0]}" == "pmapf: --halt: invalid value '$bad'"* ]]
	done
}

@test "--resume after kill -9 halfway: every record exactly once in the joblog" {
	seq 40 > "$T/in"
	"$PMAPF" -j4 --joblog "$T/log" sh -c 'sleep 0.05; echo $0' < "$T/in" > /dev/null &
	pid=$!
	wait_until 5 has_lines "$T/log" 15
	kill -KILL "$pid"
	wait "$pid" || true
	before=$(($(wc -l < "$T/log") - 1))
	[ "$before" -ge 14 ]
	[ "$before" -lt 40 ]
	"$PMAPF" -j4 --resume --joblog "$T/log" sh -c 'echo $0' < "$T/in" > "$T/out"
	# The second run did only what the first had not logged.
	[ "$(wc -l < "$T/out")" -eq $((40 - before)) ]
	[ "$(grep -c '^Seq' "$T/log")" -eq 1 ]
	[ "$(tail -n +2 "$T/log" | cut -f1 | sort -n | uniq -d)" = "" ]
	[ "$(tail -n +2 "$T/log" | cut -f1 | sort -n)" = "$(seq 40)" ]
}

@test "--resume-failed reruns the failed ones, --resume does not" {
	printf '%s\n' 0 1 0 2 > "$T/in"
	"$PMAPF" --joblog "$T/log" sh -c 'exit $0' < "$T/in" || st=$?
	[ "${st:-0}" -eq 2 ]
	run bash -c "'$PMAPF' --resume --joblog '$T/log' sh -c 'echo again \$0' < '$T/in'"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bash -c "'$PMAPF' --resume-failed --joblog '$T/log' sh -c 'echo again \$0' < '$T/in'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'again 1\nagain 2')" ]
	run bash -c "'$PMAPF' --resume-failed --joblog '$T/log' sh -c 'echo again \$0' < '$T/in'"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	refused --resume echo
	[ "${stderr_lines[0]}" = "pmapf: --resume needs --joblog FILE or --results DIR" ]
}

@test "--resume with a file that is no joblog: said once, naming line 1; every job runs" {
	printf 'not a joblog\x01\njunk\n' > "$T/log"
	run --separate-stderr bash -c "seq 3 | '$PMAPF' --resume --joblog '$T/log' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 3)" ]
	[ "$stderr" = "pmapf: --resume: $T/log line 1 is not the joblog header: \"not a joblog\\x01\" (and 1 more line); going on, taking only its rows as done" ]
	# Its rows were appended: they count next time.
	run --separate-stderr bash -c "seq 3 | '$PMAPF' --resume --joblog '$T/log' echo"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "--resume-failed with a row whose Seq is no number: said once, its job runs again" {
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' > "$T/log"
	printf '1\t:\t1.0\t0.1\t0\t2\t0\t0\techo a\n' >> "$T/log"
	printf 'x2\t:\t1.0\t0.1\t0\t2\t0\t0\techo b\n' >> "$T/log"
	printf '3\t:\t1.0\t0.1\t0\t2\t0\t0\techo c\n' >> "$T/log"
	run --separate-stderr bash -c "printf 'a\nb\nc\n' | '$PMAPF' --resume-failed --joblog '$T/log' echo"
	[ "$status" -eq 0 ]
	[ "$output" = b ]
	[ "$stderr" = "pmapf: --resume-failed: $T/log line 3 is not a joblog row: \"x2\\t:\\t1.0\\t0.1\\t0\\t2\\t0\\t0\\techo b\"; going on, taking only its rows as done" ]
}

@test "--line-buffer: lines come out while the job still runs" {
	{ echo a; sleep 3; } | "$PMAPF" --line-buffer sh -c 'echo first; sleep 2; echo second' > "$T/out" &
	pid=$!
	wait_for_line '^first$' "$T/out" 1
	! grep -q second "$T/out" || false
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'first\nsecond')" ]
}

@test "--line-buffer: never half a line, whatever pieces jobs write in" {
	cat > "$T/job" <<'SH'
#!/bin/sh
# Each line in three writes with pauses; another job writes meanwhile.
for i in 1 2 3 4 5; do
	printf '%s-' "$1"; sleep 0.02; printf '%s-' "$i"; sleep 0.02; printf 'end\n'
done
SH
	chmod +x "$T/job"
	printf '%s\n' a b c d | "$PMAPF" -j4 --line-buffer "$T/job" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 20 ]
	grep -vxE '[abcd]-[1-5]-end' "$T/out" && false
	# Lines of different jobs did interleave: it was not block output.
	[ "$(cut -c1 "$T/out" | uniq | wc -l)" -gt 4 ]
}

@test "--line-buffer with --tag, a last line without newline, and -k refused" {
	run bash -c "echo r | '$PMAPF' --line-buffer --tag sh -c 'echo one; printf two'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'r\tone\nr\ttwo')" ]
	refused -k --line-buffer echo
	[ "${stderr_lines[0]}" = "pmapf: --line-buffer writes lines as they come and cannot keep input order (-k)" ]
}

@test "--retries, --halt and --joblog in unordered mode too" {
	cat > "$T/flaky" <<'SH'
#!/bin/sh
n=$(cat "$0.$1" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$0.$1"
[ "$n" -ge 2 ] && echo "ok $1"
SH
	chmod +x "$T/flaky"
	run bash -c "seq 6 | '$PMAPF' -u -j3 --retries 2 --joblog '$T/log' '$T/flaky'"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(seq 6 | sed 's/^/ok /')" ]
	[ "$(tail -n +2 "$T/log" | cut -f1 | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 " ]
	run bash -c "printf '%s\n' 0.1 0.3 3 | '$PMAPF' -u -j3 --halt now,fail=1 sh -c 'sleep \$0; [ \$0 = 0.3 ] && exit 4; echo \$0' 2>/dev/null"
	[ "$status" -eq 4 ]
	[ "$output" = 0.1 ]
}

@test "--retries and --joblog: bad values are refused" {
	refused --retries x echo
	[[ "${stderr_lines[0]}" == "pmapf: --retries: invalid value 'x'"* ]]
	refused --retries -1 echo
	refused --joblog + echo
	[ "${stderr_lines[0]}" = "pmapf: --joblog: a file name is needed" ]
}

@test "a record with a newline (-0): one joblog row, the newline as a NUL byte; --resume reads it" {
	run --separate-stderr bash -c "printf 'a\nb\0c\0' | '$PMAPF' -0 --joblog '$T/log' echo {}"
	[ "$status" -eq 0 ]
	[ "$(wc -l < "$T/log")" -eq 3 ]
	# Row 1's command holds the record with its newline written as NUL.
	sed -n 2p "$T/log" | cut -f9 | od -An -c | tr -s ' ' | grep -q "e c h o ' a \\\\0 b '"
	run --separate-stderr bash -c "printf 'a\nb\0c\0d\0' | '$PMAPF' -0 --resume --joblog '$T/log' echo {}"
	[ "$status" -eq 0 ]
	[ "$output" = d ]
}

@test "--retries with each job's output more than stdout's pipe takes: every job runs, nothing lost" {
	# Output kept for a retry is written once the job ends; the next job
	# waited for it to drain, and once it had, nothing woke pmapf (it hung
	# nine runs in ten).
	run --separate-stderr timeout 60 bash -c "seq 10 | '$PMAPF' -j1 --retries 2 sh -c 'head -c 2000000 /dev/zero' | wc -c"
	[ "$status" -eq 0 ]
	[ "$output" -eq 20000000 ]
	[ "$stderr" = "" ]
}
