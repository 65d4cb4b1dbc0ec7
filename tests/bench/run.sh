#!/usr/bin/env bash
# pmapf benchmarks: not tests.  Each case runs several times, alternating
# contenders so drift hits all alike, and reports the median wall time.
# Peers that are missing (GNU parallel, python3) are reported and skipped.
# Usage: run.sh [CASE...]   cases: dispatch tiny progress memory latency
# Environment: PMAPF (binary), BENCH_REPS (default 5), BENCH_DIR (helpers).
set -euo pipefail
PMAPF=${PMAPF:-./pmapf}
REPS=${BENCH_REPS:-5}
DIR=${BENCH_DIR:-$(dirname "$0")}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
declare -A MEDIAN

have() { command -v "$1" >/dev/null 2>&1; }

# time_one NAME INPUT CMD...: one timed run, seconds appended to $TMP/NAME.
time_one() {
	local name=$1 input=$2 s e
	shift 2
	s=$EPOCHREALTIME
	"$@" < "$input" > /dev/null 2>&1
	e=$EPOCHREALTIME
	echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }' >> "$TMP/$name.t"
}

median() {
	sort -n "$TMP/$1.t" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# race INPUT NAME1 'CMD1' NAME2 'CMD2' ...: REPS rounds, all contenders each
# round; fills MEDIAN[NAME].
race() {
	local input=$1 r i
	shift
	local -a names=() cmds=()
	while [ $# -gt 0 ]; do names+=("$1"); cmds+=("$2"); shift 2; done
	for ((r = 0; r < REPS; r++)); do
		for i in "${!names[@]}"; do
			time_one "${names[$i]}" "$input" bash -c "${cmds[$i]}"
		done
	done
	for i in "${!names[@]}"; do MEDIAN[${names[$i]}]=$(median "${names[$i]}"); done
}

row() { printf '| %-34s | %10s | %s |\n' "$1" "$2" "$3"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f/s", n / t }'; }

header() {
	printf '\n### %s\n\n' "$1"
	row "case" "median s" "note"
	printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..12})" "---"
}

bench_dispatch() {
	local n=3000
	seq "$n" > "$TMP/in"
	header "dispatch: $n \`true\` jobs, 2 at a time ($REPS runs each)"
	local -a c=(limit "'$DIR/spawnloop' 2 /bin/true"
		xargs "xargs -P2 -n1 true"
		pmapf_k "'$PMAPF' -j2 true"
		pmapf_u "'$PMAPF' -u -j2 true")
	if have parallel; then c+=(parallel "parallel -j2 true"); fi
	race "$TMP/in" "${c[@]}"
	row "bare posix_spawn loop (limit)" "${MEDIAN[limit]}" "$(rate $n "${MEDIAN[limit]}")"
	row "xargs -P2 -n1" "${MEDIAN[xargs]}" "$(rate $n "${MEDIAN[xargs]}")"
	if have parallel; then
		row "GNU parallel -j2" "${MEDIAN[parallel]}" "$(rate $n "${MEDIAN[parallel]}")"
	else
		row "GNU parallel -j2" "-" "missing: skipped"
	fi
	for m in k u; do
		local t=${MEDIAN[pmapf_$m]} label="pmapf -j2"
		[ "$m" = u ] && label="pmapf -u -j2"
		local note="$(rate $n "$t"); $(awk -v l="${MEDIAN[limit]}" -v t="$t" 'BEGIN { printf "%.0f%%", 100 * l / t }') of limit; $(ratio "${MEDIAN[xargs]}" "$t")x xargs"
		have parallel && note="$note; $(ratio "${MEDIAN[parallel]}" "$t")x parallel"
		row "$label" "$t" "$note"
	done
}

bench_tiny() {
	local n=${BENCH_TINY_N:-1000000}
	seq "$n" > "$TMP/in"
	header "tiny tasks: $n records, built-in, --time-scale 0, -j2"
	race "$TMP/in" tiny_k "'$PMAPF' -j2 --time-scale 0" \
		tiny_u "'$PMAPF' -u -j2 --time-scale 0"
	row "pmapf -j2 (built-in workers)" "${MEDIAN[tiny_k]}" "$(rate $n "${MEDIAN[tiny_k]}")"
	row "pmapf -u -j2 (built-in workers)" "${MEDIAN[tiny_u]}" "$(rate $n "${MEDIAN[tiny_u]}")"
	if have mawk; then
		race "$TMP/in" wk "'$PMAPF' -j2 --workers -- mawk -W interactive '{ print \$1 + 1 }'"
		row "pmapf -j2 --workers mawk" "${MEDIAN[wk]}" "$(rate $n "${MEDIAN[wk]}")"
	fi
	if have python3; then
		for cs in 1 64; do
			cat > "$TMP/pool$cs.py" <<PY
import sys
from multiprocessing import Pool
def add_one(x): return int(x) + 1
if __name__ == "__main__":
    with Pool(2) as p:
        out = sys.stdout
        for r in p.imap_unordered(add_one, sys.stdin, chunksize=$cs):
            out.write("%d\n" % r)
PY
		done
		race "$TMP/in" py1 "python3 '$TMP/pool1.py'" py64 "python3 '$TMP/pool64.py'"
		row "python Pool(2).imap_unordered cs=1" "${MEDIAN[py1]}" "$(rate $n "${MEDIAN[py1]}")"
		row "python Pool(2).imap_unordered cs=64" "${MEDIAN[py64]}" "$(rate $n "${MEDIAN[py64]}")"
	else
		row "python multiprocessing" "-" "python3 missing: skipped"
	fi
}

bench_progress() {
	local n=20000
	seq "$n" > "$TMP/in"
	header "progress cost: $n jobs, --bar (to /dev/null) vs --progress=none"
	race "$TMP/in" bar_w "'$PMAPF' -j2 --time-scale 0 --bar" \
		none_w "'$PMAPF' -j2 --time-scale 0 --progress=none"
	row "built-in, --progress=none" "${MEDIAN[none_w]}" ""
	row "built-in, --bar" "${MEDIAN[bar_w]}" "$(awk -v a="${MEDIAN[bar_w]}" -v b="${MEDIAN[none_w]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')"
	if have valgrind; then
		# Wall time of tiny jobs is mostly scheduler ping-pong between
		# pmapf and its workers; pmapf's own instructions are steady
		# (the workers' vary with how batches fall).  The parent exits
		# last, so its count is the last one reported.  Median of 3.
		local m i
		for m in none bar; do
			: > "$TMP/ir_$m.t"
			for i in 1 2 3; do
				valgrind --tool=callgrind --callgrind-out-file=/dev/null \
					"$PMAPF" -j2 --time-scale 0 --progress=$m < "$TMP/in" \
					> /dev/null 2> "$TMP/cg"
				awk '/Collected/ { gsub(",", "", $4); last = $4 } END { print last }' "$TMP/cg" >> "$TMP/ir_$m.t"
			done
		done
		local irn irb
		irn=$(median ir_none)
		irb=$(median ir_bar)
		row "built-in, instructions, none" "$irn" "callgrind, pmapf itself"
		row "built-in, instructions, --bar" "$irb" "$(awk -v a="$irb" -v b="$irn" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')"
	else
		row "built-in, instructions" "-" "valgrind missing: skipped"
	fi
	race "$TMP/in" bar_s "'$PMAPF' -j2 --bar true" \
		none_s "'$PMAPF' -j2 --progress=none true"
	row "true per job, --progress=none" "${MEDIAN[none_s]}" ""
	row "true per job, --bar" "${MEDIAN[bar_s]}" "$(awk -v a="${MEDIAN[bar_s]}" -v b="${MEDIAN[none_s]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')"
}

bench_memory() {
	header "memory: peak RSS, built-in, --time-scale 0, -u -j2"
	local n
	for n in 100000 1000000 10000000; do
		seq "$n" > "$TMP/in"
		"$DIR/maxrss" "$PMAPF" -u -j2 --time-scale 0 < "$TMP/in" > /dev/null 2> "$TMP/rss"
		row "$n records" "-" "$(awk '/^maxrss/ { printf "%.1f MiB", $2 / 1024 }' "$TMP/rss")"
	done
}

bench_latency() {
	header "latency"
	local i s e
	: > "$TMP/ver.t"
	for ((i = 0; i < 200; i++)); do
		s=$EPOCHREALTIME; "$PMAPF" --version > /dev/null; e=$EPOCHREALTIME
		echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }' >> "$TMP/ver.t"
	done
	row "pmapf --version (200 runs)" "$(median ver)" "includes fork+exec from bash"
	: > "$TMP/true.t"
	for ((i = 0; i < 200; i++)); do
		s=$EPOCHREALTIME; /bin/true; e=$EPOCHREALTIME
		echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }' >> "$TMP/true.t"
	done
	row "/bin/true, same way, for scale" "$(median true)" ""
}

echo "## pmapf benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); pmapf $("$PMAPF" --version | head -1 | cut -d' ' -f2)."
have parallel || echo "GNU parallel: missing, skipped."
have python3 || echo "python3: missing, skipped."
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(dispatch tiny progress memory latency)
for c in "${cases[@]}"; do "bench_$c"; done
