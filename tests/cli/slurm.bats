#!/usr/bin/env bats
# --slurm: jobs as steps of a Slurm allocation, against a private
# two-node cluster on loopback (slurm.bash): pmapf1 and pmapf2, 4 CPUs
# each.
load helpers
load slurm

setup_file() {
	slurm_start
}

teardown_file() {
	slurm_stop
}

setup() {
	slurm_require
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/pmapf-test.XXXXXX")
}

# As pmapf would be started in a batch script: inside an allocation of
# $1 tasks on pmapf1 (salloc waits for it; 60 s catches a hang).
in_alloc() {
	local n=$1
	shift
	timeout 60 salloc -Q -w pmapf1 -n "$n" "$@"
}

@test "harness: an allocation runs a step on pmapf1, and nothing is left running after" {
	run in_alloc 1 srun -Q -N1 -n1 sh -c 'echo "$SLURMD_NODENAME $SLURM_JOB_ID"'
	[ "$status" -eq 0 ]
	[[ "$output" == "pmapf1 "[0-9]* ]]
	no_steps_within 15
}

@test "--slurm: each job is a step on the node, each record one argument, output in input order" {
	printf '%s\n' "it's" '$HOME `id`' ' lead ' '-n' '*' 'a;b' > "$T/in"
	run --separate-stderr "$PMAPF" -j3 printf '[%s]\n' < "$T/in"
	[ "$status" -eq 0 ]
	local here=$output
	run --separate-stderr in_alloc 3 "$PMAPF" --slurm printf '[%s]\n' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$here" ]
	[ -z "$stderr" ]
	# Steps, not local processes: Slurm's variables are the step's.
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm sh -c 'echo "{} $SLURMD_NODENAME ${SLURM_STEP_ID:-none}"' ::: a b c
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == "a pmapf1 "[0-9]* ]]
	[[ "${lines[2]}" == "c pmapf1 "[0-9]* ]]
	# Three steps, three step ids.
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ print $3 }' | sort -u | wc -l)" -eq 3 ]
}

@test "--slurm: a job's status and stderr come back; the joblog's Host names the node" {
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --joblog "$T/log" sh -c 'echo out{}; echo err{} >&2; exit {}' ::: 0 3
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'out0\nout3')" ]
	[[ "$stderr" == *err0* ]]
	[[ "$stderr" == *err3* ]]
	run awk -F '\t' 'NR > 1 { print $1, $2, $7 }' "$T/log"
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = "$(printf '1 pmapf1 0\n2 pmapf1 3')" ]
}

@test "--slurm: -j defaults to the allocation's tasks; --cpus-per-task divides its CPUs" {
	run --separate-stderr in_alloc 3 "$PMAPF" --slurm echo '{%}' ::: 1 2 3 4 5 6 7 8 9
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 2 3 " ]
	run --separate-stderr in_alloc 1 "$PMAPF" --slurm echo '{%}' ::: 1 2 3 4
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 " ]
	# 4 CPUs, 2 a step: 2 jobs at once, each step given its 2 CPUs.
	run --separate-stderr in_alloc 4 "$PMAPF" --slurm --cpus-per-task 2 sh -c 'echo {%} $SLURM_CPUS_PER_TASK' ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 2 2 2 " ]
	# -j given wins.
	run --separate-stderr in_alloc 4 "$PMAPF" --slurm -j1 echo '{%}' ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 " ]
}

@test "--slurm --srun: the steps start with the srun command and options given" {
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --srun 'srun --export=ALL,PMAPF_T=given' sh -c 'echo {} $PMAPF_T' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a given\nb given')" ]
	run --separate-stderr in_alloc 1 "$PMAPF" --slurm --srun 'no-such-srun -v' echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--slurm: cannot run 'no-such-srun'"* ]]
	[ -z "$output" ]
}

@test "--slurm outside an allocation: one clear error saying how to get one, no job run" {
	run --separate-stderr env -u SLURM_JOB_ID "$PMAPF" --slurm touch "$T/ran" ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"not inside a Slurm allocation"*salloc* ]]
	[ ! -e "$T/ran" ]
	run --separate-stderr "$PMAPF" --srun srun echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--srun goes with --slurm"* ]]
	run --separate-stderr "$PMAPF" --slurm ::: 1
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--slurm"*"built-in"* ]]
}

@test "--slurm: SIGTERM to pmapf cancels the running steps: none is left, nothing keeps running" {
	in_alloc 2 sh -c 'echo $$ > "$1/pid"; exec "$2" --slurm sleep 1234{} ::: 5 6 7' sh "$T" "$PMAPF" \
		> "$T/out" 2> "$T/err" &
	local salloc=$!
	wait_until 20 test -s "$T/pid"
	wait_until 20 sh -c '[ "$(squeue -h -s -o %j | grep -c sleep)" -eq 2 ]'
	kill -TERM "$(cat "$T/pid")"
	wait_until 20 sh -c '! kill -0 "$1" 2>/dev/null' sh "$salloc"
	wait "$salloc" || true
	no_steps_within 15
	run pgrep -f 'sleep 1234'
	[ "$status" -eq 1 ]
}

@test "--slurm --timeout: the step is cancelled and the job counts as failed" {
	# (20 s: the clock starts when srun does, and under CI's load a step
	# has taken more than 8 s to start; the quick job must not be timed
	# out.)
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --timeout 20 sh -c 'sleep {}; echo done {}' ::: 0 470
	echo "status $status, stdout: $output, stderr: $stderr"
	[ "$status" -eq 1 ]
	[ "$output" = "done 0" ]
	no_steps_within 15
	run pgrep -f 'sleep 470'
	[ "$status" -eq 1 ]
}

@test "--slurm --workers: workers are long-lived steps, one per slot; every record answered in order" {
	# shellcheck disable=SC2016 # for the worker's shell
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --workers sh -c 'while read -r x; do echo "$((x * 2)) $SLURM_STEP_ID"; done' < <(seq 200)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 200 ]
	[ "$(awk '{ print $1 }' <<<"$output")" = "$(seq 2 2 400)" ]
	# Two workers: at most two steps for 200 records.
	[ "$(awk '{ print $2 }' <<<"$output" | sort -u | wc -l)" -le 2 ]
}

@test "--slurm --plus: {host} names the node each job runs on" {
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --plus echo '{host}:{}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'pmapf1:a\npmapf1:b')" ]
}

@test "--slurm --workers: a worker replaced (out of step) does not leave its step holding the CPU: the run ends, no step left" {
	# One task: the replacement's step needs the CPU the first one had.
	# shellcheck disable=SC2016
	run --separate-stderr in_alloc 1 "$PMAPF" --slurm --workers \
		sh -c 'while read -r x; do echo "a$x"; [ "$x" = 1 ] && echo extra; done' < <(seq 200)
	# (Before: the replacement's step waited for the CPU until the
	# allocation's end, here salloc's timeout, 124.)
	[ "$status" -ne 124 ]
	[[ "$stderr" == *"one line more"* ]]
	no_steps_within 15
}

@test "--slurm: a --term-seq that would kill srun outright is refused; -j past the allocation is warned of; too many CPUs a task refused" {
	run --separate-stderr in_alloc 1 "$PMAPF" --slurm --term-seq KILL,100 echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--term-seq with --slurm"* ]]
	run --separate-stderr in_alloc 1 "$PMAPF" --slurm --term-seq INT,200,KILL,25 echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm -j3 echo ::: a
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"-j 3 is more than the allocation's 2 tasks"* ]]
	run --separate-stderr in_alloc 2 "$PMAPF" --slurm --cpus-per-task 5 echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--cpus-per-task 5: more CPUs than a node"* ]]
	# -j's N% is of the allocation's tasks, not this machine's CPUs.
	run --separate-stderr in_alloc 4 "$PMAPF" --slurm -j 50% echo '{%}' ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 2 " ]
}

@test "--slurm over two nodes: each slot keeps to its node, where its steps run; the joblog's Host names it; progress shows each node" {
	# shellcheck disable=SC2016
	run --separate-stderr timeout 60 salloc -Q -N 2 -n 4 "$PMAPF" --slurm --joblog "$T/log" --progress=plain \
		sh -c 'echo "{#} $SLURMD_NODENAME"' ::: 1 2 3 4 5 6 7 8
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 8 ]
	[[ "$stderr" == *"hosts=pmapf1:"*",pmapf2:"* ]]
	local ran=$output
	[[ "$ran" == *pmapf1* ]]
	[[ "$ran" == *pmapf2* ]]
	# Where each step ran is where the joblog says it ran.
	run awk -F '\t' 'NR > 1 { print $1, $2 }' "$T/log"
	[ "$status" -eq 0 ]
	[ "$(sort -n <<<"$output")" = "$(sort -n <<<"$ran")" ]
}
