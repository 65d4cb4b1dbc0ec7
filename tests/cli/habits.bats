#!/usr/bin/env bats
# GNU parallel and xargs habits: -j +N/-N, -N0, -d octal, -t/--verbose,
# --delay, --nice, --shuf, --joblog -, --dry-run with --joblog.
# (GNU parallel's own answers for the same cases are checked in by
# gen-habits-gnu.sh as habits-gnu.bats.)

load helpers

@test "-j +N and -j -N are relative to the CPUs, never below 1" {
	cpus=$(nproc)
	# {%} is the job slot: the highest one seen is the number at once.
	for j in +1 +0 -1 -100 3 51% 150% 0.5%; do
		run --separate-stderr "$PMAPF" -j "$j" --dry-run echo {%} ::: $(seq 40)
		[ "$status" -eq 0 ]
		case $j in
		# A share of the CPUs is rounded up, as GNU parallel's.
		51%) want=$(((cpus * 51 + 99) / 100)) ;;
		150%) want=$(((cpus * 150 + 99) / 100)) ;;
		0.5%) want=1 ;;
		+*) want=$((cpus + ${j#+})) ;;
		-*) want=$((cpus - ${j#-})); [ "$want" -ge 1 ] || want=1 ;;
		*) want=$j ;;
		esac
		got=$(printf '%s\n' "$output" | cut -d' ' -f2 | sort -n | tail -n 1)
		[ "$got" = "$want" ] || { echo "-j $j: $got slots, want $want"; false; }
	done
	run --separate-stderr "$PMAPF" -j +x true ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == *"-j/--jobs: invalid value '+x'"*"+N or -N"* ]]
	run --separate-stderr "$PMAPF" -j +5% true ::: 1
	[ "$status" -eq 255 ]
}

@test "-N0 runs once per record with none of it in the command" {
	run --separate-stderr bash -c "seq 3 | '$PMAPF' -N0 echo hi"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'hi\nhi\nhi')" ]
	run --separate-stderr "$PMAPF" -N0 echo x{}y {#} ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'xy 1\nxy 2')" ]
	run --separate-stderr "$PMAPF" -N0 ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == *"-N/-n applies to a COMMAND"* ]]
}

# \036 is GNU parallel's too (habits-gnu.bats); \12 and \x1e are read as
# xargs reads them (GNU parallel: \1 then 2, and four bytes).
@test "-d takes octal escapes: \\036, \\12" {
	run --separate-stderr bash -c "printf 'a\\036b\\036' | '$PMAPF' -d '\\036' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	run --separate-stderr bash -c "printf 'a\\nb c\\n' | '$PMAPF' -d '\\12' echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb c')" ]
	run --separate-stderr "$PMAPF" -d '\0363' echo ::: x
	[ "$status" -eq 255 ]
	[[ $stderr == *"-d/--delimiter: invalid value '\\0363'"* ]]
}

@test "-t and --verbose print each command on stderr as it starts" {
	for opt in -t --verbose; do
		run --separate-stderr "$PMAPF" "$opt" echo ::: "a b" "it's"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf "a b\nit's")" ]
		[ "$stderr" = "$(printf '%s\n' "echo 'a b'" "echo 'it'\\''s'")" ]
	done
	# The built-in is shown as what it does.
	run --separate-stderr "$PMAPF" -t --time-scale 0 ::: 4
	[ "$status" -eq 0 ]
	[ "$output" = 5 ]
	[ "$stderr" = "slow_add_one 4" ]
	# Each try of a retried job is shown.
	run --separate-stderr "$PMAPF" -t --retries 2 false ::: x
	[ "$status" -eq 1 ]
	[ "$stderr" = "$(printf 'false x\nfalse x')" ]
}

@test "--halt N% with --total 0 does not halt on the first job" {
	run --separate-stderr bash -c "seq 6 | '$PMAPF' --total 0 -j1 --halt soon,fail=50% echo"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 6)" ]
	run --separate-stderr "$PMAPF" --halt ' 1' -j1 false ::: 1 2
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
}

@test "--delay starts jobs that far apart, the first at once" {
	run --separate-stderr "$PMAPF" -j4 --delay 0.3 --joblog "$T/log" true ::: 1 2 3
	[ "$status" -eq 0 ]
	# Starttime is column 3: each start at least 0.3 s after the one
	# before (with a little slack for the clock's rounding).
	run awk -F'\t' 'NR > 1 { if (NR > 2 && $3 - prev < 0.29) bad = 1; prev = $3 }
		END { exit bad }' "$T/log"
	[ "$status" -eq 0 ]
	for bad in -1 1x 1m-2 '' abc 0x10 inf; do
		run --separate-stderr "$PMAPF" --delay "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --delay: invalid value '$bad' (expected seconds"* ]]
	done
	run --separate-stderr "$PMAPF" --delay 1m30s --dry-run true ::: 1
	[ "$status" -eq 0 ]
	# Units in either case, as GNU parallel: 0.005M is 0.3 s.
	run --separate-stderr "$PMAPF" --timeout 0.005M sleep ::: 10
	[ "$status" -eq 1 ]
	[[ $stderr == *"timed out after 0.3s"* ]]
}

@test "--nice runs the jobs (and the built-in's workers) at that niceness" {
	# An absolute niceness, as GNU parallel; pmapf itself keeps its own.
	# (Raising it needs no privilege: pmapf runs at 1 here.)  On the
	# posix_spawn path it is set a moment after a job starts (the man
	# page says so): a job that looks at once may not see it yet, so
	# only the built-in's forked workers, set before they run, are
	# checked there.
	if grep -q '^#define PMAPF_VFORK_SPAWN' "${PMAPF_CONFIG_H:-/nonexistent}"; then
		nice_jobs_checked
	fi
	# The built-in's workers: seen from outside while one sleeps.
	nice -n 1 "$PMAPF" --nice 4 --time-scale 3 <<< 3 > "$T/out" &
	pid=$!
	wait_until 10 bash -c "ps -o ni= --ppid $pid | grep -q ."
	[ "$(ps -o ni= --ppid "$pid" | tr -d ' ' | sort -u)" = 4 ]
	kill "$pid"
	wait "$pid" || true
	for bad in 20 -21 1.5 x 0x5 1e1 "" "+-1"; do
		run --separate-stderr "$PMAPF" --nice "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --nice: invalid value '$bad' (expected a whole number from -20 to 19)"* ]]
	done
}

# --nice for spawned jobs and --workers, looked at from inside at once.
nice_jobs_checked() {
	run --separate-stderr nice -n 1 "$PMAPF" --nice 7 sh -c nice ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = 7 ]
	run --separate-stderr nice -n 1 "$PMAPF" --nice 3 --workers sh -c 'while read -r x; do nice; done' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '3\n3')" ]
	# --nice 0 leaves the jobs at pmapf's own, as GNU parallel.
	run --separate-stderr nice -n 2 "$PMAPF" --nice 0 sh -c nice ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(($(nice) + 2))" ]
}

@test "--shuf runs every job once, in a random order, numbered as they run" {
	run --separate-stderr "$PMAPF" --shuf -j1 echo {#} {} ::: $(seq 20)
	[ "$status" -eq 0 ]
	# {#} counts 1..20 down the output, and the values are a
	# permutation of the input, not the input order (one chance in 20!
	# that a fair shuffle keeps it).
	[ "$(printf '%s\n' "$output" | cut -d' ' -f1)" = "$(seq 20)" ]
	vals=$(printf '%s\n' "$output" | cut -d' ' -f2)
	[ "$(sort -n <<< "$vals")" = "$(seq 20)" ]
	[ "$vals" != "$(seq 20)" ]
	run --separate-stderr bash -c "seq 2000 | '$PMAPF' --shuf -j8 -u echo | sort -n"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 2000)" ]
	run --separate-stderr "$PMAPF" --shuf true < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# More input than pmapf reads ahead: all of it is read first.
	run --separate-stderr bash -c "seq 700000 | timeout 60 '$PMAPF' --shuf --dry-run echo | wc -l"
	[ "$status" -eq 0 ]
	[ "$output" -eq 700000 ]
	# -r's blank records are not jobs, shuffled or not.
	run --separate-stderr bash -c "printf 'a\n\n\nb\n' | '$PMAPF' -r --shuf --plus echo {#}/{##} | sort"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1/2\n2/2')" ]
	# Another run's shuffle is not this one's: --resume is refused.
	run --separate-stderr "$PMAPF" --shuf --resume --joblog "$T/log" true ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == "pmapf: --shuf numbers jobs in a new random order each run: not with --resume"* ]]
}

@test "--joblog - writes the header, then each row after its job's output" {
	run --separate-stderr "$PMAPF" -j3 --joblog - sh -c 'sleep 0.$1; echo out$1' sh ::: 3 1 2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk -F'\t' 'NR % 2 { print; next } { print $1 ":" $7 ":" $9 }')" = \
		"$(printf '%s\n' out3 "1:0:sh -c 'sleep 0.\$1; echo out\$1' sh 3" \
			out1 "2:0:sh -c 'sleep 0.\$1; echo out\$1' sh 1" \
			out2 "3:0:sh -c 'sleep 0.\$1; echo out\$1' sh 2")" ]
	run --separate-stderr "$PMAPF" --resume --joblog - true ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == *"--resume needs --joblog FILE or --results DIR, a file to read (not -)"* ]]
}

@test "--dry-run leaves the joblog alone, and --resume still reads it" {
	run --separate-stderr "$PMAPF" --dry-run --joblog "$T/new" echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'echo a\necho b')" ]
	[ ! -e "$T/new" ]
	run --separate-stderr "$PMAPF" --joblog "$T/log" echo ::: a b
	[ "$status" -eq 0 ]
	cp "$T/log" "$T/before"
	run --separate-stderr "$PMAPF" --resume --dry-run --joblog "$T/log" echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "echo c" ]
	cmp "$T/log" "$T/before"
}

@test "--number-of-threads, -cores, -cpus, -sockets count as lscpu does" {
	command -v lscpu > /dev/null || skip "lscpu not installed"
	threads=$(nproc)
	# lscpu lists every online CPU; pmapf counts those it may run on.
	[ "$threads" = "$(getconf _NPROCESSORS_ONLN)" ] || skip "runs on fewer CPUs than are online"
	cores=$(lscpu -p=core,socket | grep -v '^#' | sort -u | wc -l)
	sockets=$(lscpu -p=socket | grep -v '^#' | sort -u | wc -l)
	for pair in threads:$threads cores:$cores cpus:$cores sockets:$sockets; do
		run --separate-stderr "$PMAPF" --number-of-${pair%%:*}
		[ "$status" -eq 0 ]
		[ "$output" = "${pair#*:}" ] || { echo "${pair%%:*}: $output, want ${pair#*:}"; false; }
		[ -z "$stderr" ]
	done
	# -j, relative or by default, counts what it is told to.
	# --use-cpus-instead-of-cores is GNU's older name for sockets.
	for pair in --use-cores-instead-of-threads:$cores \
		--use-cpus-instead-of-cores:$sockets \
		--use-sockets-instead-of-threads:$sockets; do
		run --separate-stderr "$PMAPF" -j +1 "${pair%%:*}" --dry-run echo {%} ::: $(seq 40)
		[ "$status" -eq 0 ]
		got=$(printf '%s\n' "$output" | cut -d' ' -f2 | sort -n | tail -n 1)
		[ "$got" = "$((${pair#*:} + 1))" ]
		run --separate-stderr "$PMAPF" "${pair%%:*}" --dry-run echo {%} ::: $(seq 40)
		[ "$status" -eq 0 ]
		got=$(printf '%s\n' "$output" | cut -d' ' -f2 | sort -n | tail -n 1)
		[ "$got" = "${pair#*:}" ]
	done
}

@test "--term-seq: a timed-out job gets its signals in turn" {
	# The job notes USR1 and goes on; KILL then ends it.
	run --separate-stderr "$PMAPF" --timeout 0.2 --term-seq USR1,300,KILL \
		sh -c 'trap "echo usr1 >> '"$T"'/sigs" USR1; while :; do sleep 0.05; done' sh ::: 1
	[ "$status" -eq 1 ]
	# (Its sleep, in the same process group, may die of USR1: the
	# shell says so first.)
	[ "${stderr_lines[-1]}" = 'pmapf: record 1 "1": timed out after 0.2s' ]
	[ "$(cat "$T/sigs")" = usr1 ]
	# --termseq is the same option.
	run --separate-stderr "$PMAPF" --timeout 0.2 --termseq INT,5000,KILL \
		sh -c 'trap "exit 7" INT; while :; do sleep 0.05; done' sh ::: 1
	[ "$status" -eq 1 ]
	[ "$stderr" = 'pmapf: record 1 "1": timed out after 0.2s' ]
}

@test "--term-seq also stops the jobs of an interrupted run" {
	"$PMAPF" --term-seq USR1,5000,KILL sh -c \
		'trap "echo usr1 >> '"$T"'/sigs; exit 3" USR1; echo up >> '"$T"'/sigs; while :; do sleep 0.05; done' sh ::: 1 &
	pid=$!
	wait_for_line up "$T/sigs"
	kill -TERM "$pid"
	wait_for_line usr1 "$T/sigs"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 143 ]
}

@test "--term-seq: bad sequences are refused before any job" {
	for bad in FOO,100 TERM,x TERM,100, '' 0,1; do
		run --separate-stderr "$PMAPF" --term-seq "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --term-seq: invalid value '$bad' ("* ]]
	done
}

@test "--timeout N% is of the median time of the jobs that succeeded" {
	# Three jobs of 0.1 s succeed: 200% is then 0.2 s, so the 3 s job is
	# stopped (without a percentage it would run and succeed).
	run --separate-stderr "$PMAPF" -j1 --timeout 200% sh -c 'sleep $1; echo $1' sh ::: 0.1 0.1 0.1 3 0.1
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '0.1\n0.1\n0.1\n0.1')" ]
	[[ $stderr == 'pmapf: record 4 "3": timed out after 0.2'*s ]]
	# Before any job has succeeded there is no limit.
	run --separate-stderr "$PMAPF" -j1 --timeout 10% sh -c 'sleep $1; echo $1' sh ::: 0.3
	[ "$status" -eq 0 ]
	[ "$output" = 0.3 ]
	for bad in 0% x% 5%% -5%; do
		run --separate-stderr "$PMAPF" --timeout "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --timeout: invalid value '$bad' (expected seconds, or a percentage"* ]]
	done
}

@test "--retry-failed reruns the joblog's failed commands under their Seq" {
	run --separate-stderr "$PMAPF" --joblog "$T/log" sh -c 'echo run $1; [ $1 != b ] && [ $1 != d ]' sh ::: a b c d
	[ "$status" -eq 2 ]
	# COMMAND and sources are not used (as GNU parallel): only b and d
	# run again, from the joblog, and their rows are appended.
	run --separate-stderr "$PMAPF" --retry-failed --joblog "$T/log" echo ignored ::: x
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'run b\nrun d')" ]
	[ "$(cut -f1,7 "$T/log" | tail -n 2)" = "$(printf '2\t1\n4\t1')" ]
	[ "$(wc -l < "$T/log")" -eq 7 ]
	# Once they succeed, nothing is left to retry.
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' > "$T/log2"
	printf '1\t:\t1.0\t0.1\t0\t0\t0\t0\techo one\n' >> "$T/log2"
	printf '2\t:\t1.0\t0.1\t0\t0\t1\t0\techo two; echo "x\0y"\n' >> "$T/log2"
	printf '3\t:\t1.0\t0.1\t0\t0\t0\t9\techo three\n' >> "$T/log2"
	run --separate-stderr "$PMAPF" --retry-failed --joblog "$T/log2"
	[ "$status" -eq 0 ]
	# A NUL in a logged command was a newline.
	[ "$output" = "$(printf 'two\nx\ny\nthree')" ]
	run --separate-stderr "$PMAPF" --retry-failed --joblog "$T/log2"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$PMAPF" --retry-failed echo x
	[ "$status" -eq 255 ]
	[[ $stderr == "pmapf: --retry-failed needs --joblog FILE"* ]]
}

# How many progress lines ($2) say that nothing runs after all input is in.
idle_lines() {
	[ "$(grep -c '"running":0,.*"eof":true' "$1" 2> /dev/null)" -ge "$2" ]
}

@test "--load holds jobs back while as many processes run (readings injected)" {
	printf 'procs_running 9\nprocs_blocked 0\n' > "$T/stat"
	PMAPF_TEST_PROCSTAT=$T/stat "$PMAPF" --load 4 --progress=json \
		--progress-interval 0.1 --progress-fd 3 echo ::: a b \
		3> "$T/prog" > "$T/out" &
	pid=$!
	# Several looks at the machine, and no job started.
	wait_until 10 idle_lines "$T/prog" 3
	[ ! -s "$T/out" ]
	# 2 running, less pmapf itself: under 4.
	printf 'procs_running 2\nprocs_blocked 0\n' > "$T/stat"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out")" = "$(printf 'a\nb')" ]
	for bad in x 0 -x 1.5% ''; do
		run --separate-stderr "$PMAPF" --load "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --load: invalid value '$bad'"* ]]
	done
}

@test "--memfree holds jobs back, and under half stops the youngest and runs it again" {
	printf 'MemAvailable: 4194304 kB\n' > "$T/mem"
	PMAPF_TEST_MEMINFO=$T/mem "$PMAPF" -j2 --memfree 1G sh -c '
		echo "start $1" >> "$0/log"
		trap "echo \"term $1\" >> \"$0/log\"; exit 1" TERM
		while [ ! -e "$0/go" ]; do sleep 0.05; done
		echo "out $1"' "$T" ::: 1 2 > "$T/out" 2> "$T/err" &
	pid=$!
	wait_for_line "start 1" "$T/log"
	wait_for_line "start 2" "$T/log"
	# 100 MiB free is under half of 1 GiB: the youngest (2), then 1.
	printf 'MemAvailable: 102400 kB\n' > "$T/mem"
	wait_for_line "term 2" "$T/log"
	wait_for_line "term 1" "$T/log"
	[ "$(grep -n term "$T/log" | cut -d: -f2)" = "$(printf 'term 2\nterm 1')" ]
	# Memory back: both run again, from the start, and finish.
	printf 'MemAvailable: 4194304 kB\n' > "$T/mem"
	touch "$T/go"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out")" = "$(printf 'out 1\nout 2')" ]
	[ "$(grep -c 'start 1' "$T/log")" -eq 2 ]
	[ "$(grep -c 'start 2' "$T/log")" -eq 2 ]
	[ "$(sort "$T/err")" = "$(printf '%s\n' \
		'pmapf: record 1: taken down for lack of free memory (--memfree); it will run again' \
		'pmapf: record 2: taken down for lack of free memory (--memfree); it will run again')" ]
	for bad in x 0 1x -5 ''; do
		run --separate-stderr "$PMAPF" --memfree "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --memfree: invalid value '$bad' (expected a size"* ]]
	done
}

@test "--ungroup writes output as it comes, even half a line" {
	# Job 3 writes half a line; job 1 waits until that half is in
	# pmapf's output, writes its own line, and lets job 3 end its line.
	run --separate-stderr bash -c "
		'$PMAPF' -j2 --ungroup sh -c '
			if [ \$1 = 3 ]; then
				printf \"3-start \"
				while [ ! -e \"\$0/one\" ]; do sleep 0.02; done
				echo 3-end
			else
				i=0 # (at most 5 s: a failure, not a hang)
				until grep -q 3-start \"\$0/out\" || [ \$i -ge 250 ]; do
					sleep 0.02; i=\$((i + 1))
				done
				echo 1-line; touch \"\$0/one\"
			fi' '$T' ::: 3 1 > '$T/out'"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out")" = "$(printf '3-start 1-line\n3-end')" ]
	run --separate-stderr "$PMAPF" --ungroup -k true ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == "pmapf: --ungroup writes output as it comes and cannot keep input order (-k)"* ]]
	run --separate-stderr "$PMAPF" --ungroup --tag true ::: 1
	[ "$status" -eq 255 ]
	[[ $stderr == "pmapf: --ungroup writes output as it comes, parts of lines: no --tag"* ]]
}

@test "--progress and --eta alone: plain lines where no bar can be drawn" {
	for opt in --progress --eta; do
		run --separate-stderr "$PMAPF" "$opt" echo ::: a b
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'a\nb')" ]
		# Not a terminal: no bar, but not nothing either; the last line
		# is the final count.
		[[ ${stderr_lines[-1]} == "pmapf: 2/2 100% running=0 failed=0 emitted=2 "*"eta=00:00" ]]
	done
	# A mode only after '=': here "bar" is the command.
	run --separate-stderr "$PMAPF" --progress bar ::: 1
	[ "$status" -eq 1 ]
	[[ $stderr == *"pmapf: record 1 \"1\": cannot run 'bar': command not found"* ]]
	run --separate-stderr "$PMAPF" --progress=none echo ::: a
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "-p asks on the terminal before each job: y runs it, else it is skipped" {
	tmux_start 100 env PMAPF="$PMAPF" T="$T" bash --norc --noprofile -c \
		'"$PMAPF" -p -j2 --joblog "$T/log" echo ::: a b c > "$T/out"; echo "rc=$?" > "$T/rc"; sleep 30'
	wait_for_screen 'echo a ?\.\.\.'
	tmux_keys y Enter
	wait_for_screen 'echo b ?\.\.\.'
	tmux_keys n o Enter
	wait_for_screen 'echo c ?\.\.\.'
	tmux_keys ' Y' Enter
	wait_until 10 test -s "$T/rc"
	# b was not run: a failure, logged with exit value -2, as GNU
	# parallel.
	[ "$(cat "$T/rc")" = rc=1 ]
	[ "$(cat "$T/out")" = "$(printf 'a\nc')" ]
	[ "$(cut -f1,7,9 "$T/log" | tail -n 3)" = "$(printf '1\t0\techo a\n2\t-2\techo b\n3\t0\techo c')" ]
	# No terminal: said, before any job.
	run --separate-stderr setsid "$PMAPF" -p echo ::: a < /dev/null
	[ "$status" -eq 255 ]
	[[ $stderr == "pmapf: -p/--interactive: cannot open the terminal (/dev/tty)"* ]]
	[ -z "$output" ]
}

@test "--tmpdir keeps waiting output there, and jobs get it as TMPDIR" {
	mkdir "$T/spill"
	run --separate-stderr "$PMAPF" --tmpdir "$T/spill" sh -c 'echo "$TMPDIR"' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$T/spill" ]
	# Job 2's 6 MB (more than a job keeps in memory) wait behind job 1
	# (input order): pmapf keeps them in a file, in the directory given.
	"$PMAPF" -j2 --tmpdir "$T/spill" sh -c '
		if [ $1 = 1 ]; then
			while [ ! -e "$0/go" ]; do sleep 0.05; done; echo one
		else
			head -c 6000000 /dev/zero
		fi' "$T" ::: 1 2 > "$T/out" &
	pid=$!
	wait_until 10 bash -c "ls -l /proc/$pid/fd 2> /dev/null | grep -q '$T/spill/'"
	touch "$T/go"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 0 ]
	[ "$(wc -c < "$T/out")" -eq 6000004 ]
	for bad in /nonexistent /etc/passwd ''; do
		run --separate-stderr "$PMAPF" --tmpdir "$bad" true ::: 1
		[ "$status" -eq 255 ]
		[[ $stderr == "pmapf: --tmpdir: "* ]]
	done
}
