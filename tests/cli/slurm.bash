# A private single-node Slurm on 127.0.0.1 for the --slurm tests.  A bats
# file loads it and starts one cluster for all its tests:
#
#	load helpers
#	load slurm
#	setup_file() { slurm_start; }
#	teardown_file() { slurm_stop; }
#
# then runs  salloc -n 4 -Q "$PMAPF" --slurm ...  (SLURM_CONF, exported,
# names the cluster's config).  The cluster: munged with its own key and
# socket, slurmctld and slurmd in the foreground (-D), all in a temporary
# directory, on free high ports, stopped by PID.  Two nodes, pmapf1 and
# pmapf2, each a slurmd of its own (-N) on a port of its own, each with
# 4 CPUs (SlurmdParameters=config_overrides lets them declare more than
# the machine has), proctrack/linuxproc, task/none, no accounting.  An
# allocation of up to 4 tasks lands on pmapf1; -N 2 spans both.
#
# Slurm's daemons run as root here (SlurmUser=root): as another user the
# file's tests are skipped (with the reason), or fail when CI=true, as
# when munged, slurmctld, slurmd or srun is missing.
#
# Exported by slurm_start: SLURM_DIR, SLURM_CONF, SLURM_PIDS (munged,
# slurmctld, slurmd).

# is_alive, free_port
. "${BASH_SOURCE[0]%/*}/procs.bash"

# Usage: slurm_require
# Skips the test when slurm_start found no cluster to be had (bats 1.8
# counts a skip in setup_file as a failure: the reason waits in
# SLURM_SKIP).  The file's setup calls it.
slurm_require() {
	[ -z "${SLURM_SKIP:-}" ] || skip "$SLURM_SKIP"
}

_slurm_skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		echo "slurm harness: $1 (CI=true: a skip is a failure)" >&2
		return 1
	fi
	export SLURM_SKIP="$1"
	echo "slurm harness: skipping: $1" >&2
	return 0
}

# Usage: slurm_start
slurm_start() {
	local b i ctl_port d_port d2_port host pdeath=()
	SLURM_SKIP=
	SLURM_PIDS=
	for b in munged mungekey slurmctld slurmd srun salloc sinfo squeue; do
		PATH=$PATH:/usr/sbin command -v "$b" >/dev/null ||
			{ _slurm_skip_or_fail "no $b (install munge, slurmctld, slurmd, slurm-client)"; return; }
	done
	[ "$(id -u)" -eq 0 ] || { _slurm_skip_or_fail "Slurm's daemons need root to run here"; return; }
	export PATH=$PATH:/usr/sbin
	SLURM_DIR=$(mktemp -d /tmp/pmapf-slurm.XXXXXX) || { _slurm_skip_or_fail "mktemp failed"; return; }
	export SLURM_DIR SLURM_CONF=$SLURM_DIR/slurm.conf SLURM_PIDS
	chmod 700 "$SLURM_DIR"
	mkdir "$SLURM_DIR/state" "$SLURM_DIR/spool"
	! command -v setpriv >/dev/null || pdeath=(setpriv --pdeathsig TERM)

	mungekey -c -k "$SLURM_DIR/munge.key" >/dev/null 2>&1 ||
		{ slurm_stop; _slurm_skip_or_fail "mungekey failed"; return; }
	# -f: the key and socket live under /tmp, which munged would refuse.
	"${pdeath[@]}" munged -F -f -S "$SLURM_DIR/munge.sock" --key-file="$SLURM_DIR/munge.key" \
		--log-file="$SLURM_DIR/munged.log" --pid-file="$SLURM_DIR/munged.pid" \
		--seed-file="$SLURM_DIR/munged.seed" </dev/null >>"$SLURM_DIR/munged.out" 2>&1 3>&- &
	SLURM_PIDS=$!

	host=$(hostname -s)
	ctl_port=$(free_port) && d_port=$(free_port) && d2_port=$(free_port) ||
		{ slurm_stop; _slurm_skip_or_fail "no free port"; return; }
	cat >"$SLURM_CONF" <<EOF
ClusterName=pmapftest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SLURM_DIR/munge.sock
CredType=cred/munge
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool/%n
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.%n.pid
SlurmctldLogFile=$SLURM_DIR/slurmctld.log
SlurmdLogFile=$SLURM_DIR/slurmd.%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmdParameters=config_overrides
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
KillWait=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=pmapf1 NodeAddr=127.0.0.1 NodeHostname=$host Port=$d_port CPUs=4 State=UNKNOWN
NodeName=pmapf2 NodeAddr=127.0.0.1 NodeHostname=$host Port=$d2_port CPUs=4 State=UNKNOWN
PartitionName=debug Nodes=pmapf[1-2] Default=YES MaxTime=INFINITE State=UP
EOF
	# Ready when munge answers.
	for ((i = 0; i < 100; i++)); do
		[ -S "$SLURM_DIR/munge.sock" ] && break
		sleep 0.1
	done
	"${pdeath[@]}" slurmctld -D -i -f "$SLURM_CONF" </dev/null >>"$SLURM_DIR/slurmctld.out" 2>&1 3>&- &
	SLURM_PIDS="$SLURM_PIDS $!"
	for b in pmapf1 pmapf2; do
		mkdir -p "$SLURM_DIR/spool/$b"
		"${pdeath[@]}" slurmd -D -N "$b" -f "$SLURM_CONF" </dev/null >>"$SLURM_DIR/slurmd.$b.out" 2>&1 3>&- &
		SLURM_PIDS="$SLURM_PIDS $!"
	done
	# Ready when both nodes are idle.
	for ((i = 0; i < 200; i++)); do
		[ "$(sinfo -h -N -o %t 2>/dev/null | sort -u)" != idle ] || return 0
		sleep 0.1
	done
	local why
	why="the node did not come up within 20 s: $(tail -n 3 "$SLURM_DIR"/*.out 2>/dev/null | tr '\n' ' ')"
	slurm_stop
	_slurm_skip_or_fail "$why"
}

# Usage: slurm_stop
# Ends the daemons (slurmd first, munged last; each waited for, KILLed
# after 5 s) and removes SLURM_DIR.  Safe to call twice.
slurm_stop() {
	local p pids="" i
	for p in ${SLURM_PIDS:-}; do pids="$p $pids"; done
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null || continue
		for ((i = 0; i < 50; i++)); do
			is_alive "$p" || break
			sleep 0.1
		done
		! is_alive "$p" || kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	SLURM_PIDS=
	if [ -n "${SLURM_DIR:-}" ] && [ -d "$SLURM_DIR" ]; then
		rm -rf "$SLURM_DIR"
	fi
	return 0
}

# Usage: slurm_steps
# The running steps of the cluster, "JOBID.STEP NAME" a line (none: no
# output).
slurm_steps() {
	squeue -h -s -o '%i %j' 2>/dev/null | grep -v '\.extern' || true
}

# Usage: no_steps_within SECONDS
# Succeed once the cluster runs no step; fail after SECONDS, printing
# those still there.  slurmctld drops a step from its list a moment
# after srun is gone (more than a moment on a loaded machine: CI once
# saw a cancelled step still listed when salloc had returned), so an
# instant look fails without a fault; the bound stays below the
# tests' sleeps, so a step truly left running still fails it.
no_steps_within() {
	local left
	wait_until "$1" no_steps && return 0
	left=$(slurm_steps)
	echo "steps left after ${1}s: ${left:-(none)}" >&2
	[ -z "$left" ]
}

no_steps() {
	[ -z "$(slurm_steps)" ]
}
