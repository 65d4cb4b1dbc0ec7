#!/usr/bin/env bats
# -S: jobs on other machines over ssh, against a private sshd on loopback
# (sshd.bash): host1 and host2 are two names for it, downhost a port where
# nothing listens.
load helpers
load sshd

setup_file() {
	sshd_start
}

teardown_file() {
	sshd_stop
}

# Records no shell may change: quotes, globs, $, backslashes, blanks at
# the ends, a leading dash, an empty one, bytes that are not UTF-8, and
# (with -0) newlines.
hostile() {
	printf '%s\0' "it's" 'say "hi"' '$HOME `id` $(id)' 'back\slash\\' \
		' lead and trail ' '-n' '' '*' '~' 'a;b|c&d' '#x' 'two
lines' "$(printf '\351\377')"
}

@test "-S: each record is one argument on the host, as here, and output keeps input order" {
	hostile > "$T/in"
	run --separate-stderr "$PMAPF" -0 -j3 printf '[%s]\n' < "$T/in"
	[ "$status" -eq 0 ]
	local here=$output
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1,2/host2 \
		-0 printf '[%s]\n' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$here" ]
	# (13 records, 13 lines and one more for the newline inside one.)
	[ "${#lines[@]}" -eq 14 ]
}

@test "-S with -s: the command line runs through sh on the host, the values quoted" {
	hostile > "$T/in"
	run --separate-stderr "$PMAPF" -0 -s 'printf "<%s>" {}; echo' < "$T/in"
	[ "$status" -eq 0 ]
	local here=$output
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 -0 \
		-s 'printf "<%s>" {}; echo' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$here" ]
}

@test "-S: jobs spread over the hosts by their slots; the joblog's Host names the login" {
	run "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1,3/host2 --joblog "$T/log" \
		sh -c 'sleep 0.2; echo $1' sh ::: 1 2 3 4 5 6 7 8
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 1 8)" ]
	run cut -f2 "$T/log"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = Host ]
	local n1 n2
	n1=$(grep -c '^host1$' <<<"$output") || true
	n2=$(grep -c '^host2$' <<<"$output") || true
	[ $((n1 + n2)) -eq 8 ]
	# Four slots, three of them host2's: it ran most jobs.
	[ "$n1" -ge 1 ]
	[ "$n2" -gt "$n1" ]
}

@test "-S: a slot runs its jobs one after another in one ssh session, not an ssh each" {
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1 \
		sh -c 'cut -d" " -f5 /proc/$$/stat' ::: $(seq 20)
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 20 ]
	# A session is a process group of its own there: two, one a slot.
	[ "$(sort -u <<<"$output" | wc -l)" -eq 2 ]
	# Files to move take an ssh per job (rsync around each).
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1 --wd /tmp \
		sh -c 'cut -d" " -f5 /proc/$$/stat' ::: $(seq 6)
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | wc -l)" -eq 6 ]
}

@test "-S: in a session, bytes of any kind come back whole and a job's end is where its output ends" {
	# (Read there by the test user.)
	chmod 755 "$T"
	head -c 300000 /dev/urandom > "$T/bin"
	printf 'no newline' > "$T/nonl"
	chmod 644 "$T/bin" "$T/nonl"
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1 \
		sh -c 'cat "$1"; cat "$1" >&2' sh ::: "$T/bin" "$T/nonl" "$T/bin" "$T/nonl"
	[ "$status" -eq 0 ]
	"$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1 sh -c 'cat "$1"' sh \
		::: "$T/bin" "$T/nonl" "$T/bin" "$T/nonl" > "$T/out"
	cat "$T/bin" "$T/nonl" "$T/bin" "$T/nonl" > "$T/want"
	cmp "$T/out" "$T/want"
}

@test "-S: what a job's background process writes after the job exits is still that job's" {
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1 \
		sh -c 'echo "a$1"; echo "e$1" >&2; (sleep 0.3; echo "late$1"; echo "lateerr$1" >&2) & exit "$1"' sh ::: 1 2 3
	[ "$status" -eq 3 ]
	[ "$output" = "$(printf 'a%s\nlate%s\n' 1 1 2 2 3 3)" ]
	[ "$stderr" = "$(printf 'e%s\nlateerr%s\n' 1 1 2 2 3 3)" ]
	# One that lets go of the output is not waited for.
	local tag=$((6000 + RANDOM % 1000))
	# shellcheck disable=SC2016
	run timeout 20 "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1 \
		sh -c 'sleep "$1" >/dev/null 2>&1 & echo started' sh ::: "$tag"
	[ "$status" -eq 0 ]
	[ "$output" = started ]
	# ... and, as a local job's, it ends with the run.
	wait_until 20 remote_sleep_gone "$tag"
}

@test "-S: a job may signal its own process group (kill 0) as a local job may; the session goes on, nothing else said" {
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1 --joblog "$T/log" \
		sh -c 'cut -d" " -f5 /proc/$$/stat; trap "kill 0" EXIT; echo "err $1" >&2' sh ::: 1 2 3
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 3 ]
	# One session for all three: the kills did not end it.
	[ "$(sort -u <<<"$output" | wc -l)" -eq 1 ]
	[ "$stderr" = "$(printf 'err %s\n' 1 2 3)" ]
	# Each ended by its own SIGTERM, as the host's shell reports it.
	[ "$(awk -F '\t' 'NR > 1 { print $7 }' "$T/log" | sort -u)" = 143 ]
}

@test "-S: a --ssh that holds stderr back (a filter into a pipe) is found out, said once, then an ssh per job; nothing is lost" {
	cat > "$T/ssh" <<EOS
#!/bin/bash
exec ssh -F "$SSH_CONFIG" "\$@" 2> >(grep -v '^Warning' >&2)
EOS
	chmod +x "$T/ssh"
	# shellcheck disable=SC2016
	run --separate-stderr timeout 60 "$PMAPF" --ssh "$T/ssh" -S 1/host1,1/host2 \
		sh -c 'echo "out $1"; echo "err $1" >&2' sh ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'out %s\n' 1 2 3 4 5 6)" ]
	[ "$(grep -c 'an ssh per job from now on' <<<"$stderr")" -eq 1 ]
	[ "$(grep '^err' <<<"$stderr")" = "$(printf 'err %s\n' 1 2 3 4 5 6)" ]
}

@test "-S: an --env variable named as pmapf's own on the host (nl) changes no value" {
	# shellcheck disable=SC2016
	nl=XX run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1 --env nl \
		sh -c 'printf "[%s][%s]\n" "$1" "$nl"' sh ::: "$(printf 'a\nb')"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a\nb][XX]')" ]
}

@test "-S: a job whose connection is lost fails with 255, said; the slot's next job gets a new session" {
	# Each job's ssh (not the master's) lives 1 s.
	{
		echo '#!/bin/sh'
		echo 'case " $* " in *" -N "*|*" -O "*) exec ssh -F "$SSH_CONFIG" "$@" ;; esac'
		# (dash gives a background command /dev/null for stdin, even
		# with 0<&0: the stdin goes by another descriptor.)
		echo 'exec 3<&0'
		echo 'ssh -F "$SSH_CONFIG" "$@" <&3 3<&- &'
		echo 'p=$!'
		echo '( sleep 1; kill $p 2>/dev/null ) &'
		echo 'wait $p'
	} > "$T/ssh"
	chmod +x "$T/ssh"
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$T/ssh" -S 1/host1 --joblog "$T/log" \
		sh -c 'sleep "$1"; echo "done $1"' sh ::: 5 0
	[ "$status" -eq 1 ]
	[ "$output" = "done 0" ]
	[[ "$stderr" == *'record 1 "5": the connection to host1 was lost while the job ran'* ]]
	run cut -f7 "$T/log"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = 255 ]
	[ "${lines[2]}" = 0 ]
	[[ "$stderr" != *'record 2'* ]]
}

@test "-S: thousands of jobs through a few descriptors: none is kept per job (sessions, and an ssh each with --wd)" {
	run --separate-stderr bash -c 'ulimit -n 48; seq 600 | "$1" --ssh "$2" -S 2/host1,2/host2 echo' sh "$PMAPF" "$PMAPF_SSH"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(seq 600)" ]
	run --separate-stderr bash -c 'ulimit -n 32; seq 60 | "$1" --ssh "$2" -S 2/host1 --wd /tmp echo' sh "$PMAPF" "$PMAPF_SSH"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(seq 60)" ]
}

@test "-S: a job's status and stderr come back as a local job's, without pmapf's marker byte" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 \
		sh -c 'echo out $1; echo err $1 >&2; exit $1' sh ::: 0 3 5
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'out 0\nout 3\nout 5')" ]
	[ "$stderr" = "$(printf 'err 0\nerr 3\nerr 5')" ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 \
		--joblog "$T/log" sh -c 'exit 255' ::: x
	[ "$status" -eq 1 ]
	# The command's own 255 is not taken for ssh's.
	[[ "$stderr" != *"failed before the command started"* ]]
	[ "$(cut -f7 "$T/log" | tail -n 1)" = 255 ]
}

@test "-S: a host that cannot be reached is named once and its jobs run elsewhere; none reachable: 255" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S downhost,host1 \
		echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb\nc')" ]
	[ "$(grep -c 'cannot connect to downhost' <<<"$stderr")" -eq 1 ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S downhost echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"cannot connect to downhost"* ]]
	[[ "$stderr" == *"no host of -S could be reached"* ]]
}

@test "-S with : runs some jobs here; --sshloginfile and \$PARALLEL_SSH give the same" {
	printf '# the hosts\n\n1/host1\n1/:\n' > "$T/slf"
	run --separate-stderr env PARALLEL_SSH="$PMAPF_SSH" "$PMAPF" \
		--slf "$T/slf" --joblog "$T/log" \
		sh -c 'sleep 0.2; id -un' ::: 1 2 3 4
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	grep -q "^$SSHD_USER\$" <<<"$output"
	run cut -f2 "$T/log"
	[ "$status" -eq 0 ]
	grep -q '^host1$' <<<"$output"
	grep -q '^:$' <<<"$output"
}

remote_sleep_running() {
	remote_procs_of "sleep $1" > /dev/null
}

remote_sleep_gone() {
	! remote_procs_of "sleep $1" > /dev/null
}

@test "-S: SIGTERM to pmapf stops the remote jobs too: nothing keeps running on the host" {
	local tag=$((3000 + RANDOM % 1000))
	"$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1 sh -c 'sleep $1; echo late' sh \
		::: "$tag" "$tag" > "$T/out" 2> "$T/err" &
	local pid=$!
	wait_until 20 remote_sleep_running "$tag"
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	wait_until 20 remote_sleep_gone "$tag"
	[ ! -s "$T/out" ]
}

@test "-S: --timeout stops the remote job, which counts as failed" {
	local tag=$((4000 + RANDOM % 1000))
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 \
		--timeout 1 sleep ::: "$tag"
	[ "$status" -eq 1 ]
	wait_until 20 remote_sleep_gone "$tag"
}

@test "-S: the control sockets' directory is gone after the run" {
	mkdir "$T/tmp"
	run env TMPDIR="$T/tmp" "$PMAPF" --ssh "$PMAPF_SSH" -S host1,host2 \
		true ::: 1 2
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "-S: what it does not serve yet is refused naming -S; a bad login names itself" {
	run --separate-stderr "$PMAPF" -S host1 < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"-S/--sshlogin"*"the built-in"* ]]
	run --separate-stderr "$PMAPF" -S host1 --pipe cat < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"-S/--sshlogin"*"--pipe"* ]]
	run --separate-stderr "$PMAPF" -S 'x/host1' echo ::: 1
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"'x/host1'"* ]]
	run --separate-stderr "$PMAPF" --slf "$T/none" echo ::: 1
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--sshloginfile"*"$T/none"* ]]
}

@test "-S: a --results table's Host column names the login too" {
	run "$PMAPF" --ssh "$PMAPF_SSH" -S host2 --results "$T/r.csv" echo ::: a
	[ "$status" -eq 0 ]
	run python3 -c 'import csv,sys; r = list(csv.DictReader(open(sys.argv[1]))); print(r[0]["Host"], r[0]["Stdout"].strip())' "$T/r.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "host2 a" ]
	run "$PMAPF" --ssh "$PMAPF_SSH" -S host2 --results "$T/r.json" echo ::: a
	[ "$status" -eq 0 ]
	run python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["Host"])' "$T/r.json"
	[ "$status" -eq 0 ]
	[ "$output" = host2 ]
}

@test "-S: without N/ or -j a host gets as many slots as it says it has CPUs; -j gives each host that many" {
	local cpus
	cpus=$(timeout 20 ssh -F "$SSH_CONFIG" host1 nproc)
	run "$PMAPF" --ssh "$PMAPF_SSH" -S host1 echo {%} ::: $(seq 1 20)
	[ "$status" -eq 0 ]
	[ "$(sort -n <<<"$output" | tail -n 1)" -eq "$cpus" ]
	run "$PMAPF" --ssh "$PMAPF_SSH" -S host1,host2 -j 3 echo {%} ::: $(seq 1 20)
	[ "$status" -eq 0 ]
	[ "$(sort -n <<<"$output" | tail -n 1)" -eq 6 ]
	run "$PMAPF" --ssh "$PMAPF_SSH" -S 5/host1 -j 1 echo {%} ::: $(seq 1 20)
	[ "$status" -eq 0 ]
	[ "$(sort -n <<<"$output" | tail -n 1)" -eq 5 ]
}

# An ssh that fails (255, before any command) for jobs on host2 while
# $T/fail exists; the master connections and host1 work.
flaky_ssh() {
	cat > "$T/ssh" <<EOS
#!/bin/sh
case "\$*" in
*ControlMaster=no*host2*)
	if [ -e "$T/fail" ]; then
		echo "ssh: connect to host host2 port 22: Connection refused" >&2
		exit 255
	fi ;;
esac
exec ssh -F "$SSH_CONFIG" "\$@"
EOS
	chmod +x "$T/ssh"
}

@test "-S: a host whose ssh fails is marked down after 3 failures in a row, said once; its jobs run elsewhere, none lost" {
	flaky_ssh
	touch "$T/fail"
	run --separate-stderr "$PMAPF" --ssh "$T/ssh" -S 1/host1,2/host2 \
		--joblog "$T/log" sh -c 'sleep 0.1; echo $1' sh ::: $(seq 1 12)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 1 12)" ]
	[ "$(grep -c 'host2 is down' <<<"$stderr")" -eq 1 ]
	[ "$(grep -c 'the job runs again' <<<"$stderr")" -eq 1 ]
	# Every job ran once, on host1; no failed try is logged.
	[ "$(cut -f2 "$T/log" | sort | uniq -c | awk '{ print $1, $2 }')" = "$(printf '1 Host\n12 host1')" ]
}

@test "-S: when every host is down pmapf stops with 255 and says so" {
	flaky_ssh
	touch "$T/fail"
	run --separate-stderr "$PMAPF" --ssh "$T/ssh" -S 2/host2 echo ::: 1 2 3 4 5
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"every host of -S is down: stopping"* ]]
}

@test "-S --env: the named variables reach the remote job unchanged; PARALLEL_SEQ and PARALLEL_JOBSLOT always" {
	# shellcheck disable=SC2016
	FOO="it's \$HOME
two" BAR='`id`' run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" \
		-S host1 -j1 --env FOO --env BAR --env NOT_SET_HERE \
		sh -c 'printf "[%s][%s][%s][%s %s]\n" "$FOO" "$BAR" "${NOT_SET_HERE-unset}" "$PARALLEL_SEQ" "$PARALLEL_JOBSLOT"' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[it'"'"'s $HOME\ntwo][`id`][unset][1 1]\n[it'"'"'s $HOME\ntwo][`id`][unset][2 1]')" ]
	# Without --env the variable stays here.
	FOO=x run "$PMAPF" --ssh "$PMAPF_SSH" -S host1 sh -c 'echo "[${FOO-unset}]"' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "[unset]" ]
	run --separate-stderr "$PMAPF" --env 'A-B' echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--env: 'A-B' is not a variable name"* ]]
}

@test "-S --filter-hosts: an unreachable host is left out without a word" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S downhost,host1 \
		--filter-hosts echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$stderr" = "" ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S downhost \
		--filter-hosts echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"no host of -S could be reached"* ]]
}

@test "-S --trc: files go to the host, the results come back, nothing is left there (names with blanks and quotes)" {
	cd "$T"
	mkdir -p in
	printf 'hello\n' > "in/a b.txt"
	printf 'x\n' > "in/it's.txt"
	chmod -R a+rX "$T"
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --trc '{}.out' \
		sh -c 'wc -c < "$1" > "$1.out"' sh ::: "in/a b.txt" "in/it's.txt"
	[ "$status" -eq 0 ]
	[ "$(cat "in/a b.txt.out")" = 6 ]
	[ "$(cat "in/it's.txt.out")" = 2 ]
	# The files, and the directory that held them, are gone there.
	run timeout 20 ssh -F "$SSH_CONFIG" host1 'ls -A in 2>&1; echo end'
	[ "$status" -eq 0 ]
	[[ "$output" == *"No such file"* ]]
}

@test "-S --transferfile with --workdir: a relative path goes under the work dir, and so does what follows a /./" {
	cd "$T"
	mkdir -p d/sub
	echo one > d/sub/f1
	echo two > d/sub/f2
	chmod -R a+rX "$T"
	local wd="pmapf-wd-$$"
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --wd "$wd" \
		--tf d/sub/f1 --tf "$T/./d/sub/f2" --cleanup \
		sh -c 'pwd; cat d/sub/f1 d/sub/f2' ::: x
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(timeout 20 ssh -F "$SSH_CONFIG" host1 pwd)/$wd" ]
	[[ "$output" == *one* ]]
	[[ "$output" == *two* ]]
	run timeout 20 ssh -F "$SSH_CONFIG" host1 "ls -A $wd; rmdir $wd"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "-S --return: a job's output file comes back; one that does not exist is said and fails the job" {
	cd "$T"
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --wd ... \
		--return 'out-{}.txt' --cleanup sh -c 'echo "got $1" > "out-$1.txt"' sh ::: a b
	[ "$status" -eq 0 ]
	[ "$(cat out-a.txt out-b.txt)" = "$(printf 'got a\ngot b')" ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --wd ... \
		--return never.txt --cleanup true ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"cannot bring never.txt back from host1"* ]]
}

@test "-S --workdir ...: each job runs in a directory of its own, removed with --cleanup" {
	run timeout 20 ssh -F "$SSH_CONFIG" host1 'rm -rf .parallel'
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --wd ... \
		sh -c pwd ::: 1 2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == */.parallel/tmp/pmapf-* ]]
	[ "${lines[0]}" != "${lines[1]}" ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --wd ... \
		--cleanup sh -c pwd ::: 1 2
	[ "$status" -eq 0 ]
	run timeout 20 ssh -F "$SSH_CONFIG" host1 'ls .parallel/tmp | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" -eq 2 ]
}

@test "-S --basefile: sent to each host once before the jobs, removed at the end with --cleanup" {
	cd "$T"
	printf 'echo base ran "$1"\n' > base.sh
	chmod a+r base.sh
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --bf base.sh \
		--cleanup sh base.sh ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'base ran 1\nbase ran 2')" ]
	run timeout 20 ssh -F "$SSH_CONFIG" host1 'test -e base.sh && echo left || echo gone'
	[ "$status" -eq 0 ]
	[ "$output" = gone ]
}

@test "-S: more than 10 slots on a host (sshd's MaxSessions 10) get more master connections: no session is refused" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 25/host1 \
		sh -c 'sleep 0.5; echo $1' sh ::: $(seq 1 25)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 25 ]
	[ "$stderr" = "" ]
}

@test "-S: a remote job that ignores SIGTERM is killed a second later (--timeout): nothing keeps running" {
	local tag=$((5000 + RANDOM % 1000))
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --timeout 1 \
		sh -c 'trap "" TERM; sleep $1' sh ::: "$tag"
	[ "$status" -eq 1 ]
	wait_until 20 remote_sleep_gone "$tag"
}

@test "-S: an ssh that ends 0 without running the command (--ssh true) is no success: the host goes down, 255" {
	run --separate-stderr "$PMAPF" --ssh true -S 1/host1 echo ::: a b
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"host1 is down"* ]]
	[[ "$stderr" == *"every host of -S is down"* ]]
}

@test "-S --plus: {host} and {sshlogin} name where each job runs (: here)" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1,1/: --plus \
		--tagstring '{sshlogin}' sh -c 'sleep 0.3; echo "$1"' sh {host} ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = "$(printf ':\t:\nhost1\thost1')" ]
}

@test "-S --nonall: the command once on each host, output grouped in host order, tagged with the host; stdin is not read" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --nonall -S host1,host2 --tag sh -c 'echo "$# $(id -un)"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'host1\t0 %s\nhost2\t0 %s' "$SSHD_USER" "$SSHD_USER")" ]
	# stdin is left for what follows.
	run bash -c '{ "$1" --ssh "$2" --nonall -S host1 true; cat; } <<< left' sh "$PMAPF" "$PMAPF_SSH"
	[ "$status" -eq 0 ]
	[ "$output" = left ]
	# Without -S: once here.
	run --separate-stderr "$PMAPF" --nonall --tag echo hi
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf ':\thi')" ]
	run --separate-stderr "$PMAPF" --nonall -S host1 echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--nonall"* ]]
}

@test "-S --onall: every value on every host, one at a time on each, output grouped by host; failures counted per job" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --onall -S host1,host2 --joblog "$T/log" \
		--tag sh -c 'echo "$1 $2"; exit "$1"' sh {} {%} ::: 0 3 0
	[ "$status" -eq 2 ]
	# One slot per host: {%} is the host's.
	[ "$output" = "$(printf 'host1\t0 1\nhost1\t3 1\nhost1\t0 1\nhost2\t0 2\nhost2\t3 2\nhost2\t0 2')" ]
	run awk -F '\t' 'NR > 1 { print $2, $7 }' "$T/log"
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output" | uniq -c | awk '{ print $1, $2, $3 }' | tr '\n' ' ')" = "2 host1 0 1 host1 3 2 host2 0 1 host2 3 " ]
}

@test "-S --onall: each host goes at its own pace; -j1 takes the hosts one after another" {
	# host1's jobs are slow; host2's all finish meanwhile.
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --onall -S host1,host2 --plus -u \
		sh -c '[ "$1" = host1 ] && sleep 1; echo "$1 $2"' sh {host} {} ::: a b c
	[ "$status" -eq 0 ]
	[ "$(head -n 3 <<<"$output")" = "$(printf 'host2 a\nhost2 b\nhost2 c')" ]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --onall -j1 -S host1,host2 --joblog "$T/log" \
		sh -c 'sleep 0.2; echo "{}"' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb\na\nb')" ]
	# Never two at once: each job starts after the one before ended.
	run awk -F '\t' 'NR > 1 { printf "%.3f %.3f\n", $3, $3 + $4 }' "$T/log"
	[ "$status" -eq 0 ]
	sort -n <<<"$output" | awk 'NR > 1 && $1 < end - 0.05 { exit 1 } { end = $2 }'
}

@test "-S --onall: a host that cannot be reached is named; its jobs fail there, the others run" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --onall -S host1,downhost echo ::: a b
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[[ "$stderr" == *"cannot connect to downhost"* ]]
	[[ "$stderr" == *'record 3 "a": downhost is not up'* ]]
	run --separate-stderr "$PMAPF" --onall --workers -S host1 cat ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--onall runs a COMMAND on every host: not --workers"* ]]
}

@test "-S --workers: long-lived workers spread over the hosts' slots, every record answered in order" {
	# shellcheck disable=SC2016 # for the worker's shell
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 2/host1,2/host2 --workers \
		sh -c 'while read -r x; do echo "$x $PARALLEL_JOBSLOT ${SSH_CONNECTION:+remote}"; done' < <(seq 400)
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 400 ]
	[ "$(awk '{ print $1 }' <<<"$output")" = "$(seq 400)" ]
	[ "$(awk '{ print $3 }' <<<"$output" | sort -u)" = remote ]
	[ "$(awk '{ print $2 }' <<<"$output" | sort -u | tr '\n' ' ')" = "1 2 3 4 " ]
	# Records of any bytes but newlines come back as they went.
	printf '%s\n' "it's" '$HOME `id`' ' lead ' '-n' '*' 'back\slash' "$(printf '\351')" > "$T/in"
	run "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1,1/host2 --workers cat < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$T/in")" ]
}

@test "-S --workers: a worker whose host dies is replaced on another host; its records run again, none lost" {
	# ssh for host1 lives 0.3 s, once; after that it fails at once (255).
	{
		echo '#!/bin/sh'
		echo 'case " $* " in *" -N "*|*" -O "*) exec ssh -F "$SSH_CONFIG" "$@" ;; esac'
		echo 'case " $* " in *" host1 "*)'
		echo '	[ -e "$DIED" ] && exit 255'
		echo '	touch "$DIED"'
		echo '	ssh -F "$SSH_CONFIG" "$@" 0<&0 &'
		echo '	sleep 0.3'
		echo '	kill $! 2>/dev/null'
		echo '	exit 255 ;;'
		echo 'esac'
		echo 'exec ssh -F "$SSH_CONFIG" "$@"'
	} > "$T/ssh"
	chmod +x "$T/ssh"
	export DIED=$T/died
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$T/ssh" -S 1/host1,1/host2 --workers \
		sh -c 'while read -r x; do sleep 0.01; echo "$x"; done' < <(seq 100)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 100)" ]
	[[ "$stderr" == *"host1 is down"* ]]
	[ -e "$T/died" ]
}

@test "-S --workers: what a worker is not is refused (files, a new dir per job)" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --workers --trc x cat ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--workers on -S hosts: not with --transferfile"* ]]
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S host1 --workers --wd ... cat ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--workdir ..."* ]]
}

@test "-S --workers: a worker that exits 255 itself fails its record after 3 tries; no host goes down, the rest is answered" {
	# shellcheck disable=SC2016
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" -S 1/host1,1/host2 --workers --joblog "$T/log" \
		sh -c 'while read -r x; do [ "$x" = bad ] && exit 255; echo "ok $x"; done' ::: 1 2 bad 3 4 5 6
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'ok %s\n' 1 2 3 4 5 6)" ]
	[[ "$stderr" != *"is down"* ]]
	[[ "$stderr" == *'"bad"'* ]]
	# The joblog's Host names each worker's login.
	run awk -F '\t' 'NR > 1 { print $2 }' "$T/log"
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "host1 host2 " ]
}

@test "-S --filter-hosts --nonall: a host that cannot be reached is passed over without a word" {
	run --separate-stderr "$PMAPF" --ssh "$PMAPF_SSH" --filter-hosts --nonall --tag -S host1,downhost echo hi
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'host1\thi')" ]
	[ -z "$stderr" ]
}
