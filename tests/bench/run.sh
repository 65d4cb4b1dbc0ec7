#!/usr/bin/env bash
# pmapf benchmarks: not tests.  Each case runs several times, alternating
# contenders so drift hits all alike, and reports the median wall time.
# Peers that are missing (GNU parallel, python3) are reported and skipped.
# Usage: run.sh [CASE...]
#   cases: dispatch bigout headline tiny nofile progress memory pipe ssh
#          slurm
#          latency results (not run by default)
# Environment: PMAPF (binary), BENCH_REPS (default 5), BENCH_DIR (helpers),
# BENCH_BIG_MB (MB per job in bigout, default 200), BENCH_TINY_N,
# BENCH_PIPE_MB (the --pipe input, default 1000).
# Times are medians with min-max; "own CPU" is pmapf's alone (runstat),
# not its jobs' (the relay's alone for the relay).
set -euo pipefail
PMAPF=${PMAPF:-./pmapf}
REPS=${BENCH_REPS:-5}
DIR=${BENCH_DIR:-$(dirname "$0")}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
declare -A MEDIAN

have() { command -v "$1" >/dev/null 2>&1; }

# lines N TEXT: N lines of TEXT (yes | head would die of SIGPIPE, which
# pipefail makes fatal).
lines() { awk -v n="$1" -v t="$2" 'BEGIN { for (i = 0; i < n; i++) print t }'; }

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

# "median (min-max)" of NAME's times.
spread() {
	sort -n "$TMP/$1.t" | awk -v m="$(median "$1")" '{ a[NR] = $1 } END { printf "%.3f (%.3f-%.3f)", m, a[1], a[NR] }'
}

# Median of the CPU seconds runstat noted for NAME.
cpu() {
	[ -s "$TMP/$1.cpu" ] || { echo "-"; return; }
	grep -v -- - "$TMP/$1.cpu" | sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# need HELPER...: the built helpers a case runs (make bench builds them).
need() {
	local h
	for h; do
		[ -x "$DIR/$h" ] || { echo "run.sh: $DIR/$h is missing: run 'make bench'" >&2; exit 1; }
	done
}

# The command line prefix that notes the CPU time of what it runs (not
# its children) as NAME; own: that, running pmapf.
cpu_of() { printf "'%s' '%s'" "$DIR/runstat" "$TMP/$1.cpu"; }
own() { printf "%s '%s'" "$(cpu_of "$1")" "$PMAPF"; }

# "own CPU X s/GB" of NAME, which moved GB gigabytes.
cpu_per_gb() {
	awk -v c="$(cpu "$1")" -v g="$2" 'BEGIN { if (c == "-") print "own CPU -"; else printf "own CPU %.3f s/GB", c / g }'
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

row() { printf '| %-40s | %23s | %s |\n' "$1" "$2" "$3"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f/s", n / t }'; }

header() {
	printf '\n### %s\n\n' "$1"
	row "case" "median s (min-max)" "note"
	printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..25})" "---"
}

bench_dispatch() {
	need relay runstat
	local n=3000
	seq "$n" > "$TMP/in"
	header "dispatch: $n \`true N\` jobs, 2 at a time ($REPS runs each)"
	local -a c=(limit "'$DIR/relay' 2 '$(command -v true)'"
		xargs "xargs -P2 -n1 true"
		pmapf_k "$(own d_k) -j2 true"
		pmapf_u "$(own d_u) -u -j2 true")
	if have parallel; then c+=(parallel "parallel --will-cite -j2 true"); fi
	race "$TMP/in" "${c[@]}"
	row "limit: spawn, 2 pipes, read to EOF" "$(spread limit)" "$(rate $n "${MEDIAN[limit]}"); tests/bench/relay, same argv"
	row "xargs -P2 -n1" "$(spread xargs)" "$(rate $n "${MEDIAN[xargs]}"); no output capture"
	if have parallel; then
		row "GNU parallel -j2" "$(spread parallel)" "$(rate $n "${MEDIAN[parallel]}")"
	else
		row "GNU parallel -j2" "-" "missing: skipped"
	fi
	for m in k u; do
		local t=${MEDIAN[pmapf_$m]} label="pmapf -j2"
		[ "$m" = u ] && label="pmapf -u -j2"
		local note="$(rate $n "$t"); $(ratio "${MEDIAN[limit]}" "$t")x limit; $(ratio "${MEDIAN[xargs]}" "$t")x xargs"
		have parallel && note="$note; $(ratio "${MEDIAN[parallel]}" "$t")x parallel"
		row "$label" "$(spread pmapf_$m)" "$note; own CPU $(cpu d_$m) s"
	done
}

# Big output: 8 jobs of BENCH_BIG_MB MB each (head -c from /dev/zero),
# 2 at a time, into a pipe, /dev/null and a file.  The limit is the bare
# splice relay; "straight" (the 8 commands one after another, no tool in
# the middle) is for scale only.
bench_bigout() {
	need relay runstat
	local mb=${BENCH_BIG_MB:-200} to label
	local bytes=$((mb * 1000000)) gb
	gb=$(awk -v b="$bytes" 'BEGIN { printf "%.3f", 8 * b / 1e9 }')
	lines 8 /dev/zero > "$TMP/in"
	for to in pipe null file; do
		local sinkcmd
		case $to in
		pipe) sinkcmd="| cat > /dev/null"; label="into a pipe (cat > /dev/null)" ;;
		null) sinkcmd="> /dev/null"; label="into /dev/null" ;;
		file) sinkcmd="> '$TMP/out'"; label="into a file on $(df -P "$TMP" | awk 'NR == 2 { print $1 }')" ;;
		esac
		header "big output: 8 x $mb MB, -j2, $label"
		local -a c=(straight "for f in \$(cat); do head -c $bytes \$f; done $sinkcmd"
			relay "$(cpu_of relay_$to) '$DIR/relay' 2 head -c $bytes $sinkcmd"
			big_k_$to "$(own big_k_$to) -j2 --progress=none head -c $bytes $sinkcmd"
			big_u_$to "$(own big_u_$to) -u -j2 --progress=none head -c $bytes $sinkcmd")
		if have parallel && [ "$to" = pipe ]; then
			c+=(gnu_g "parallel --will-cite -j2 -N0 head -c $bytes /dev/zero $sinkcmd"
				gnu_k "parallel --will-cite -k -j2 -N0 head -c $bytes /dev/zero $sinkcmd")
		fi
		rm -f "$TMP"/straight.t "$TMP"/relay.t
		race "$TMP/in" "${c[@]}"
		rm -f "$TMP/out"
		row "straight, no tool between (for scale)" "$(spread straight)" "$(awk -v g="$gb" -v t="${MEDIAN[straight]}" 'BEGIN { printf "%.2f GB/s", g / t }')"
		row "splice relay (limit)" "$(spread relay)" "$(awk -v g="$gb" -v t="${MEDIAN[relay]}" 'BEGIN { printf "%.2f GB/s", g / t }'); $(cpu_per_gb relay_$to "$gb")"
		for m in k u; do
			local t=${MEDIAN[big_${m}_$to]} name="pmapf -j2 (ordered)" note
			[ "$m" = u ] && name="pmapf -u -j2"
			note="$(awk -v g="$gb" -v t="$t" 'BEGIN { printf "%.2f GB/s", g / t }'); $(ratio "${MEDIAN[relay]}" "$t")x relay"
			if have parallel && [ "$to" = pipe ]; then
				if [ "$m" = u ]; then note="$note; $(ratio "${MEDIAN[gnu_g]}" "$t")x GNU parallel"
				else note="$note; $(ratio "${MEDIAN[gnu_k]}" "$t")x GNU parallel -k"; fi
			fi
			note="$note; $(cpu_per_gb big_${m}_$to "$gb")"
			row "$name" "$(spread big_${m}_$to)" "$note"
		done
		if have parallel && [ "$to" = pipe ]; then
			row "GNU parallel -j2 -N0 (grouped)" "$(spread gnu_g)" ""
			row "GNU parallel -k -j2 -N0" "$(spread gnu_k)" ""
		elif [ "$to" = pipe ]; then
			row "GNU parallel" "-" "missing: skipped"
		fi
	done
}

# Head of line: one 5 s job first, 200,000 built-in tasks behind it; in
# ordered mode the ones behind must all be done before the first ends.
bench_headline() {
	local n=200000 at
	{ echo 15; lines "$n" 0; } > "$TMP/in"
	header "head of line: one 5 s job, then $n built-in tasks, -j2 (ordered)"
	"$PMAPF" -j2 --progress=json --progress-interval=0.2 < "$TMP/in" > /dev/null 2> "$TMP/json"
	at=$(awk -v n="$n" '{
		if (match($0, /"done":[0-9]+/)) d = substr($0, RSTART + 7, RLENGTH - 7)
		if (match($0, /"elapsed":[0-9.]+/)) e = substr($0, RSTART + 10, RLENGTH - 10)
		if (d + 0 >= n) { print e; exit } }' "$TMP/json")
	row "all $n behind done after" "${at:--}" "the first job ends at 5 s; output waits for it"
}

bench_tiny() {
	need runstat
	local n=${BENCH_TINY_N:-1000000}
	seq "$n" > "$TMP/in"
	header "tiny tasks: $n records, built-in, --time-scale 0, -j2"
	# (mawk in the same race: the machine's speed drifts between runs.)
	local -a c=(tiny_k "$(own tiny_k) -j2 --time-scale 0"
		tiny_u "$(own tiny_u) -u -j2 --time-scale 0")
	have mawk && c+=(mawk "mawk '{ print \$1 * 2 }'")
	race "$TMP/in" "${c[@]}"
	if have mawk; then
		row "one mawk '{ print \$1 * 2 }' (the bound)" "$(spread mawk)" "$(rate $n "${MEDIAN[mawk]}")"
	fi
	for m in k u; do
		local note label="pmapf -j2 (built-in workers)"
		[ "$m" = u ] && label="pmapf -u -j2 (built-in workers)"
		note=$(rate $n "${MEDIAN[tiny_$m]}")
		have mawk && note="$note; $(ratio "${MEDIAN[tiny_$m]}" "${MEDIAN[mawk]}")x the time of mawk"
		row "$label" "$(spread tiny_$m)" "$note; own CPU $(cpu tiny_$m) s"
	done
	if have mawk; then
		race "$TMP/in" wk "'$PMAPF' -j2 --workers -- mawk -W interactive '{ print \$1 + 1 }'"
		row "pmapf -j2 --workers mawk" "$(spread wk)" "$(rate $n "${MEDIAN[wk]}")"
		# Without -W interactive mawk answers 4 KiB at a time: drawn
		# out.  And 100-byte records with 4-byte answers, where 64 KiB
		# of records are not enough for mawk to answer at all.
		awk 'BEGIN { for (i = 1; i <= 50000; i++) { s = i "-"; while (length(s) < 99) s = s "x"; print s } }' > "$TMP/in100"
		race "$TMP/in" wkb "'$PMAPF' -j2 --workers -- mawk '{ print \$1 + 1 }'"
		race "$TMP/in100" wkl "'$PMAPF' -j2 --workers -- mawk '{ print length(\$0) }'"
		row "pmapf -j2 --workers mawk, buffered (drawn out)" "$(spread wkb)" "$(rate $n "${MEDIAN[wkb]}")"
		row "... 50000 records of 100 bytes, mawk '{ print length(\$0) }'" "$(spread wkl)" "$(rate 50000 "${MEDIAN[wkl]}")"
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
		row "python Pool(2).imap_unordered cs=1" "$(spread py1)" "$(rate $n "${MEDIAN[py1]}")"
		row "python Pool(2).imap_unordered cs=64" "$(spread py64)" "$(rate $n "${MEDIAN[py64]}")"
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
	row "built-in, --progress=none" "$(spread none_w)" ""
	row "built-in, --bar" "$(spread bar_w)" "$(awk -v a="${MEDIAN[bar_w]}" -v b="${MEDIAN[none_w]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')"
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
	row "true per job, --progress=none" "$(spread none_s)" ""
	row "true per job, --bar" "$(spread bar_s)" "$(awk -v a="${MEDIAN[bar_s]}" -v b="${MEDIAN[none_s]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')"
}

# Many slow jobs at once, under the common soft descriptor limit of 1024.
bench_nofile() {
	local n=4000
	lines "$n" 0.5 > "$TMP/in"
	header "$n \`sleep 0.5\` jobs, -j1000, soft descriptor limit 1024"
	race "$TMP/in" xargs_many "ulimit -Sn 1024; xargs -P1000 -n1 sleep" \
		pmapf_many "ulimit -Sn 1024; '$PMAPF' -j1000 --progress=none sleep"
	row "xargs -P1000 -n1 sleep" "$(spread xargs_many)" ""
	row "pmapf -j1000 sleep" "$(spread pmapf_many)" "$(ratio "${MEDIAN[xargs_many]}" "${MEDIAN[pmapf_many]}")x xargs"
}

bench_memory() {
	need runstat
	header "memory: peak RSS, built-in, --time-scale 0, -u -j2"
	local n
	for n in 100000 1000000 10000000; do
		seq "$n" > "$TMP/in"
		"$DIR/runstat" /dev/null "$PMAPF" -u -j2 --time-scale 0 < "$TMP/in" > /dev/null 2> "$TMP/rss"
		row "$n records" "-" "$(awk '/^maxrss/ { printf "%.1f MiB", $2 / 1024 }' "$TMP/rss")"
	done
}

# --results: many small jobs into a tree and a CSV, against GNU parallel
# doing the same; then big output into both, with pmapf's peak memory.
bench_results() {
	need runstat
	local n=2000 mb=${BENCH_RESULTS_MB:-100}
	seq "$n" > "$TMP/in"
	header "--results: $n \`echo N\` jobs, -j2 ($REPS runs each)"
	local -a c=(plain "'$PMAPF' -j2 echo"
		tree "rm -rf '$TMP/r'; '$PMAPF' -j2 --results '$TMP/r' echo"
		csv "'$PMAPF' -j2 --results '$TMP/r.csv' echo")
	if have parallel; then
		c+=(gtree "rm -rf '$TMP/g'; parallel --will-cite -j2 --results '$TMP/g' echo"
			gcsv "parallel --will-cite -j2 --results '$TMP/g.csv' echo")
	fi
	race "$TMP/in" "${c[@]}"
	row "pmapf -j2 echo (to stdout, for scale)" "$(spread plain)" "$(rate $n "${MEDIAN[plain]}")"
	local k g
	for k in tree csv; do
		g=g$k
		local note
		note="$(rate $n "${MEDIAN[$k]}")"
		have parallel && note="$note; $(ratio "${MEDIAN[$g]}" "${MEDIAN[$k]}")x GNU parallel"
		row "pmapf --results ${k/tree/DIR}" "$(spread "$k")" "$note"
		if have parallel; then
			row "GNU parallel --results ${k/tree/DIR}" "$(spread "$g")" "$(rate $n "${MEDIAN[$g]}")"
		fi
	done
	header "--results: 4 jobs of $mb MB each (head -c), -j2"
	printf '%s\n' 1 2 3 4 > "$TMP/in4"
	local what
	for what in DIR csv json; do
		local dest=$TMP/big
		[ "$what" = DIR ] || dest=$TMP/big.$what
		rm -rf "$TMP/big" "$TMP/big.csv" "$TMP/big.json"
		: > "$TMP/big_$what.t"
		time_one "big_$what" "$TMP/in4" "$DIR/runstat" "$TMP/big_$what.cpu" \
			"$PMAPF" -j2 --results "$dest" sh -c "head -c $((mb * 1000000)) /dev/zero | tr '\\0' x" sh
		"$DIR/runstat" /dev/null "$PMAPF" -j2 --results "$dest" \
			sh -c "head -c $((mb * 1000000)) /dev/zero | tr '\\0' x" sh < "$TMP/in4" > /dev/null 2> "$TMP/rss"
		row "pmapf --results $what" "$(median "big_$what")" \
			"peak RSS $(awk '/^maxrss/ { printf "%.1f MiB", $2 / 1024 }' "$TMP/rss"); own CPU $(cpu "big_$what") s"
	done
}

# --pipe: a file of numbers (BENCH_PIPE_MB MB, default 1000) through a cheap
# filter (wc -l per block), against the same bytes piped straight into one
# wc -l; and 300 MB of it through gzip -1, two at a time, against one gzip
# and against two gzips on the two halves at once (what the machine's
# cores give).  GNU parallel's --pipe and --pipe-part where present.
bench_pipe() {
	need relay runstat
	local mb=${BENCH_PIPE_MB:-1000} gb
	gb=$(awk -v m="$mb" 'BEGIN { printf "%.3f", m / 1000 }')
	seq 1 999999999 | head -c "${mb}000000" > "$TMP/numbers" || true
	header "--pipe: $mb MB of numbers, wc -l per block, -j2 (cat into each)"
	local -a c=(plain "cat | wc -l"
		relay "echo '$TMP/numbers' | $(cpu_of relay) '$DIR/relay' 1 cat | wc -l"
		pipe10 "cat | $(own pipe10) -j2 --progress=none --pipe --block 10M wc -l"
		pipe1 "cat | $(own pipe1) -j2 --progress=none --pipe wc -l"
		part10 "$(own part10) -j2 --progress=none --pipe-part -a '$TMP/numbers' --block 10M wc -l")
	if have parallel; then
		c+=(gnu_pipe "cat | parallel --will-cite -j2 --pipe --block 10M wc -l"
			gnu_part "parallel --will-cite -j2 --pipe-part -a '$TMP/numbers' --block 10M wc -l")
	fi
	race "$TMP/numbers" "${c[@]}"
	row "cat \\| wc -l (the bound)" "$(spread plain)" "$(awk -v g="$gb" -v t="${MEDIAN[plain]}" 'BEGIN { printf "%.2f GB/s", g / t }')"
	row "cat FILE \\| splice relay \\| wc -l" "$(spread relay)" "a process in the middle that only moves the bytes (poll, splice): $(cpu_per_gb relay "$gb")"
	local note
	for b in 10 1; do
		note="$(ratio "${MEDIAN[plain]}" "${MEDIAN[pipe$b]}")x cat \\| wc -l"
		have parallel && note="$note; $(ratio "${MEDIAN[gnu_pipe]}" "${MEDIAN[pipe$b]}")x GNU --pipe --block 10M"
		row "pmapf --pipe --block ${b}M" "$(spread pipe$b)" "$note; $(cpu_per_gb pipe$b "$gb")"
	done
	note="$(ratio "${MEDIAN[plain]}" "${MEDIAN[part10]}")x cat \\| wc -l"
	have parallel && note="$note; $(ratio "${MEDIAN[gnu_part]}" "${MEDIAN[part10]}")x GNU --pipe-part --block 10M"
	row "pmapf --pipe-part -a FILE --block 10M" "$(spread part10)" "$note; $(cpu_per_gb part10 "$gb")"
	if have parallel; then
		row "GNU parallel --pipe --block 10M" "$(spread gnu_pipe)" ""
		row "GNU parallel --pipe-part --block 10M" "$(spread gnu_part)" "reads the file itself"
	else
		row "GNU parallel" "-" "missing: skipped"
	fi
	head -c 300000000 "$TMP/numbers" > "$TMP/n300"
	local zb half
	zb=$(wc -c < "$TMP/n300")
	half=$((zb / 2))
	header "--pipe: $((zb / 1000000)) MB of numbers through gzip -1, -j2, ordered"
	c=(gzip1 "gzip -1"
		halves "head -c $half '$TMP/n300' | gzip -1 > /dev/null & tail -c $((zb - half)) '$TMP/n300' | gzip -1 > /dev/null; wait"
		pipez "cat | $(own pipez) -j2 --progress=none --pipe --block 10M gzip -1"
		partz "$(own partz) -j2 --progress=none --pipe-part -a '$TMP/n300' --block 10M gzip -1")
	if have parallel; then
		c+=(gnu_pipez "cat | parallel --will-cite -k -j2 --pipe --block 10M gzip -1"
			gnu_partz "parallel --will-cite -k -j2 --pipe-part -a '$TMP/n300' --block 10M gzip -1")
	fi
	race "$TMP/n300" "${c[@]}"
	row "one gzip -1" "$(spread gzip1)" ""
	row "two gzip -1 on the halves at once" "$(spread halves)" "$(ratio "${MEDIAN[gzip1]}" "${MEDIAN[halves]}")x one: the cores' ceiling"
	note="$(ratio "${MEDIAN[gzip1]}" "${MEDIAN[pipez]}")x one gzip"
	have parallel && note="$note; $(ratio "${MEDIAN[gnu_pipez]}" "${MEDIAN[pipez]}")x GNU --pipe; $(ratio "${MEDIAN[gnu_partz]}" "${MEDIAN[pipez]}")x GNU --pipe-part"
	row "pmapf --pipe -j2 --block 10M" "$(spread pipez)" "$note; $(cpu_per_gb pipez "$(awk -v b="$zb" 'BEGIN { print b / 1e9 }')")"
	note="$(ratio "${MEDIAN[gzip1]}" "${MEDIAN[partz]}")x one gzip"
	have parallel && note="$note; $(ratio "${MEDIAN[gnu_pipez]}" "${MEDIAN[partz]}")x GNU --pipe; $(ratio "${MEDIAN[gnu_partz]}" "${MEDIAN[partz]}")x GNU --pipe-part"
	row "pmapf --pipe-part -j2 --block 10M" "$(spread partz)" "$note; $(cpu_per_gb partz "$(awk -v b="$zb" 'BEGIN { print b / 1e9 }')")"
	if have parallel; then
		row "GNU parallel --pipe -k -j2" "$(spread gnu_pipez)" "$(ratio "${MEDIAN[gzip1]}" "${MEDIAN[gnu_pipez]}")x one gzip"
		row "GNU parallel --pipe-part -k -j2" "$(spread gnu_partz)" "$(ratio "${MEDIAN[gzip1]}" "${MEDIAN[gnu_partz]}")x one gzip"
	fi
	rm -f "$TMP/numbers" "$TMP/n300"
}

# -S: 200 echo jobs over two host names of one private sshd on loopback
# (tests/cli/sshd.bash), 2 slots each, against GNU parallel -S with the
# same hosts, as it comes, with -M (its ControlMaster) and with an ssh
# whose config keeps a master connection per host (warmed first), and a
# bare loop of `ssh host echo N` through one master, for scale.
bench_ssh() {
	header "-S: 200 echo jobs over -S 2/host1,2/host2 (private sshd on loopback)"
	if ! { skip() { return 1; }; . "$(dirname "$0")/../cli/sshd.bash" && CI= sshd_start > "$TMP/sshd.log" 2>&1 && [ -z "${SSHD_SKIP:-}" ]; }; then
		row "sshd" "-" "missing or cannot start: skipped"
		return
	fi
	seq 200 > "$TMP/in200"
	local cm="$SSHD_DIR/cm" mux
	mkdir -p "$cm"
	mux="ssh -F $SSH_CONFIG -o ControlMaster=auto -o ControlPath=$cm/%n -o ControlPersist=60"
	# (For gnu_mux: kept warm between its runs; gnu_cold closes them.)
	$mux host1 true && $mux host2 true
	local -a c=(pmapf "$(own ssh_p) --ssh '$PMAPF_SSH' -S 2/host1,2/host2 echo")
	if have parallel; then
		c+=(gnu "parallel --will-cite --ssh '$PMAPF_SSH' -S 2/host1,2/host2 echo"
			gnu_m "parallel --will-cite -M --ssh '$PMAPF_SSH' -S 2/host1,2/host2 echo"
			gnu_mux "parallel --will-cite --ssh '$mux' -S 2/host1,2/host2 echo"
			gnu_cold "parallel --will-cite --ssh '$mux' -S 2/host1,2/host2 echo; $mux -O exit host1 2>/dev/null; $mux -O exit host2 2>/dev/null")
	fi
	c+=(loop "while read -r n; do $mux -n host1 echo \$n; done")
	race "$TMP/in200" "${c[@]}"
	local best=pmapf note
	if have parallel; then
		best=gnu
		for g in gnu_m gnu_mux gnu_cold; do
			awk -v a="${MEDIAN[$g]}" -v b="${MEDIAN[$best]}" 'BEGIN { exit !(a < b) }' && best=$g
		done
		note="$(ratio "${MEDIAN[$best]}" "${MEDIAN[pmapf]}")x GNU parallel's best ($best)"
	else
		note="GNU parallel missing"
	fi
	row "pmapf -S 2/host1,2/host2" "$(spread pmapf)" "$(rate 200 "${MEDIAN[pmapf]}"); $note; own CPU $(cpu ssh_p) s"
	if have parallel; then
		row "GNU parallel -S (ssh per job)" "$(spread gnu)" ""
		row "GNU parallel -M -S" "$(spread gnu_m)" ""
		row "GNU parallel --ssh with a ControlMaster" "$(spread gnu_cold)" "ControlMaster=auto, masters made by its first jobs and closed after, as pmapf's: $(ratio "${MEDIAN[gnu_cold]}" "${MEDIAN[pmapf]}")x"
		row "... the masters kept open between runs" "$(spread gnu_mux)" "(its handshakes not counted): $(ratio "${MEDIAN[gnu_mux]}" "${MEDIAN[pmapf]}")x"
	fi
	row "one \`ssh host1 echo N\` after another" "$(spread loop)" "through a master: $(rate 200 "${MEDIAN[loop]}")"
	# --workers over both hosts: records per second end to end, cat as
	# the worker (it answers each line as it comes), and here for scale.
	local n=${BENCH_WORKERS_N:-2000000}
	seq "$n" > "$TMP/inw"
	race "$TMP/inw" wssh "$(own wssh) --ssh '$PMAPF_SSH' -S 4/host1,4/host2 --workers cat" \
		wloc "$(own wloc) -j8 --workers cat"
	row "$n records, -S 4/host1,4/host2 --workers cat" "$(spread wssh)" "$(rate "$n" "${MEDIAN[wssh]}") end to end; own CPU $(cpu wssh) s"
	row "... -j8 --workers cat here" "$(spread wloc)" "$(rate "$n" "${MEDIAN[wloc]}")"
	$mux -O exit host1 2> /dev/null || true
	$mux -O exit host2 2> /dev/null || true
	sshd_stop > /dev/null 2>&1
}

# --slurm: 200 `true` jobs as steps of a 4-task allocation of a private
# single-node Slurm (tests/cli/slurm.bash), against the bare step loop the
# target is set by (one `srun --exclusive -N1 -n1 -Q true` after another,
# and 4 at a time through xargs -P4 and GNU parallel -j4).  The race runs
# inside one allocation (this script again, as case slurm_in), so
# salloc's own time is not counted.
bench_slurm() {
	header "--slurm: 200 true jobs as steps of a 4-task allocation (private Slurm on loopback)"
	if ! { skip() { return 1; }; . "$(dirname "$0")/../cli/slurm.bash" &&
		CI= slurm_start > "$TMP/slurm.log" 2>&1 && [ -z "${SLURM_SKIP:-}" ]; }; then
		row "Slurm" "-" "missing or cannot start: skipped ($(tail -n 1 "$TMP/slurm.log"))"
		return
	fi
	PMAPF=$PMAPF BENCH_REPS=$REPS BENCH_DIR=$DIR BENCH_INNER=1 timeout 900 salloc -Q -n 4 bash "$0" slurm_in || true
	slurm_stop > /dev/null 2>&1
}

bench_slurm_in() {
	local step="srun --exclusive -N1 -n1 -Q"
	seq 200 > "$TMP/in200"
	local -a c=(pmapf1 "$(own slurm1) --slurm -j1 true"
		loop1 "while read -r n; do $step true < /dev/null; done"
		pmapf4 "$(own slurm4) --slurm true"
		xargs4 "xargs -P4 -I{} $step true")
	have parallel && c+=(gnu4 "parallel --will-cite -j4 $step true")
	race "$TMP/in200" "${c[@]}"
	local per1 perl
	per1=$(awk -v t="${MEDIAN[pmapf1]}" 'BEGIN { printf "%.1f", t / 200 * 1000 }')
	perl=$(awk -v t="${MEDIAN[loop1]}" 'BEGIN { printf "%.1f", t / 200 * 1000 }')
	row "pmapf --slurm -j1" "$(spread pmapf1)" "$per1 ms a job; $(awk -v a="${MEDIAN[pmapf1]}" -v b="${MEDIAN[loop1]}" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }') against the loop; own CPU $(cpu slurm1) s"
	row "one srun step after another (bare loop)" "$(spread loop1)" "$perl ms a step"
	row "pmapf --slurm (4 at once)" "$(spread pmapf4)" "$(rate 200 "${MEDIAN[pmapf4]}"); own CPU $(cpu slurm4) s"
	row "xargs -P4 srun ..." "$(spread xargs4)" "$(ratio "${MEDIAN[xargs4]}" "${MEDIAN[pmapf4]}")x pmapf's time"
	have parallel && row "GNU parallel -j4 srun ..." "$(spread gnu4)" "$(ratio "${MEDIAN[gnu4]}" "${MEDIAN[pmapf4]}")x pmapf's time"
	return 0
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

if [ -n "${BENCH_INNER:-}" ]; then
	for c in "$@"; do "bench_$c"; done
	exit 0
fi
echo "## pmapf benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); pmapf $("$PMAPF" --version | head -1 | cut -d' ' -f2)."
have parallel || echo "GNU parallel: missing, skipped."
have python3 || echo "python3: missing, skipped."
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(dispatch bigout headline tiny nofile progress memory pipe ssh slurm latency)
for c in "${cases[@]}"; do "bench_$c"; done
