#!/usr/bin/env bats
# Big output goes straight through: the job whose output may be written
# now streams (splice on Linux, read/write where that cannot serve), and
# waiting output comes back from the spill file with sendfile.  Every
# path must give the same bytes as the jobs wrote, blocks whole.
load helpers

# Random files d1..dN of the given sizes in $T, and "$T/in" naming them.
make_data() {
	local i=0 size
	: > "$T/in"
	for size in "$@"; do
		i=$((i + 1))
		head -c "$size" /dev/urandom > "$T/d$i"
		echo "$T/d$i" >> "$T/in"
	done
}

# The data files concatenated in input order.
want_ordered() {
	while read -r f; do cat "$f"; done < "$T/in"
}

# True if file $1 is the data files, each whole, in some order: at each
# offset one file not yet seen matches there in full.
blocks_whole() {
	local out=$1 off=0 total f size found
	total=$(wc -c < "$out")
	local -A seen=()
	while [ "$off" -lt "$total" ]; do
		found=
		while read -r f; do
			[ -z "${seen[$f]:-}" ] || continue
			size=$(wc -c < "$f")
			if [ "$size" -gt 0 ] && cmp -s -n "$size" -i "$off:0" "$out" "$f"; then
				seen[$f]=1
				off=$((off + size))
				found=1
				break
			fi
		done < "$T/in"
		[ -n "$found" ] || { echo "no whole block at byte $off of $total" >&2; return 1; }
	done
	# Every non-empty file was seen.
	while read -r f; do
		[ ! -s "$f" ] || [ -n "${seen[$f]:-}" ] || { echo "missing: $f" >&2; return 1; }
	done < "$T/in"
}

# Both paths: splice/sendfile, and the portable read/write.
paths=("" 1)

@test "big output into a pipe: byte-exact in order, and whole blocks with -u" {
	make_data 3000000 200000 5000000 1 2500000 0 4000000
	want_ordered > "$T/want"
	for p in "${paths[@]}"; do
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -j3 cat < "$T/in" | cat > "$T/out"
		cmp "$T/want" "$T/out"
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -u -j3 cat < "$T/in" | cat > "$T/out"
		blocks_whole "$T/out"
	done
}

@test "big output into a file, an appending file and /dev/null" {
	make_data 3000000 4000000 100 2000000
	want_ordered > "$T/want"
	for p in "${paths[@]}"; do
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -j2 cat < "$T/in" > "$T/out"
		cmp "$T/want" "$T/out"
		# splice refuses O_APPEND: the portable path takes over.
		echo head > "$T/app"
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -u -j2 cat < "$T/in" >> "$T/app"
		[ "$(head -n 1 "$T/app")" = head ]
		tail -c +6 "$T/app" > "$T/out"
		blocks_whole "$T/out"
		run bash -c "PMAPF_TEST_NO_SPLICE=$p '$PMAPF' -j2 cat < '$T/in' > /dev/null"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}

@test "big output to a terminal (which takes no splice): the same lines" {
	command -v script >/dev/null || skip "script (util-linux) not installed"
	seq 1 400000 > "$T/a"
	seq 400001 700000 > "$T/b"
	printf '%s\n' "$T/a" "$T/b" > "$T/in"
	# The terminal turns each newline into CR LF on the way out.
	script -qec "'$PMAPF' -j2 --progress=none cat < '$T/in'" /dev/null < /dev/null | tr -d '\r' > "$T/out"
	cmp <(seq 1 700000) "$T/out"
	script -qec "'$PMAPF' -u -j2 --progress=none cat < '$T/in'" /dev/null < /dev/null | tr -d '\r' > "$T/out"
	cmp -s <(cat "$T/a" "$T/b") "$T/out" || cmp <(cat "$T/b" "$T/a") "$T/out"
}

@test "the head streams while a later job's output crosses the spill budget" {
	# Job 1 streams 3 MB, pauses, then 3 MB more; job 2 writes 40 MB
	# meanwhile, more than pmapf holds in memory (32 MiB): it spills,
	# and comes back from the spill file after job 1 ends.
	make_data 3000000 3000000 40000000 1000
	cat "$T/d1" "$T/d2" "$T/d3" "$T/d4" > "$T/want"
	printf '%s\n' 1 3 4 > "$T/jobs"
	cat > "$T/job" <<EOF
#!/bin/sh
case \$1 in
1) cat "$T/d1"; sleep 0.5; cat "$T/d2" ;;
*) cat "$T/d\$1" ;;
esac
EOF
	chmod +x "$T/job"
	for p in "${paths[@]}"; do
		mkdir -p "$T/tmp"
		TMPDIR="$T/tmp" PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -j3 "$T/job" < "$T/jobs" | cat > "$T/out"
		cmp "$T/want" "$T/out"
	done
}

@test "the reader pauses while a job streams: its output is kept meanwhile, then sent byte-exact" {
	# The reader takes 128 KiB, stops for 3 s (much longer than the 0.1 s
	# pmapf waits on a full stdout), then reads the rest: the streaming
	# job's output is kept meanwhile (spliced into the spill file, or
	# read, without splice), so every job ends long before the reader
	# comes back, and what was kept comes out in place.
	make_data 6000000 5000000 300 3000000
	want_ordered > "$T/want"
	local m
	for p in "${paths[@]}"; do
		for m in -k -u; do
			rm -f "$T/log"
			PMAPF_TEST_NO_SPLICE=$p "$PMAPF" $m -j2 --joblog "$T/log" cat < "$T/in" |
				{ dd bs=65536 count=2 iflag=fullblock 2> /dev/null; sleep 3; cat; } > "$T/out"
			if [ "$m" = -k ]; then cmp "$T/want" "$T/out"; else blocks_whole "$T/out"; fi
			# Seq Host Starttime JobRuntime ...: no job waited for the
			# reader (with room for a loaded machine).
			run awk 'NR > 1 && $4 >= 2.5 { print "job " $1 " ran " $4 " s"; bad = 1 } END { exit bad }' "$T/log"
			[ "$status" -eq 0 ] || { echo "$m, splice off: $p: $output"; cat "$T/log"; false; }
			[ "$(wc -l < "$T/log")" -eq 5 ]
		done
	done
}

@test "stdout and stderr of streaming jobs: each whole, stdout's block first" {
	make_data 3000000 3000000
	cat > "$T/job" <<'EOF'
#!/bin/sh
echo "err start $1" >&2
cat "$1"
echo "err end $1" >&2
EOF
	chmod +x "$T/job"
	want_ordered > "$T/want"
	for p in "${paths[@]}"; do
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -j2 "$T/job" < "$T/in" 2> "$T/err" | cat > "$T/out"
		cmp "$T/want" "$T/out"
		[ "$(cat "$T/err")" = "$(printf 'err start %s\nerr end %s\n' "$T/d1" "$T/d1" "$T/d2" "$T/d2")" ]
	done
	# 2>&1: a job's stdout block, then its stderr block.
	"$PMAPF" -j2 "$T/job" < "$T/in" > "$T/both" 2>&1
	{ cat "$T/d1"; printf 'err start %s\nerr end %s\n' "$T/d1" "$T/d1"
	  cat "$T/d2"; printf 'err start %s\nerr end %s\n' "$T/d2" "$T/d2"; } > "$T/want"
	cmp "$T/want" "$T/both"
}

@test "--tag and --line-buffer with big output: every line whole and tagged" {
	seq 1 300000 > "$T/a"
	seq 300001 500000 > "$T/b"
	printf '%s\n' "$T/a" "$T/b" > "$T/in"
	run bash -c "'$PMAPF' -j2 --tag cat < '$T/in' | cat > '$T/out'"
	[ "$status" -eq 0 ]
	cmp <(sed "s|^|$T/a\t|" "$T/a"; sed "s|^|$T/b\t|" "$T/b") "$T/out"
	run bash -c "'$PMAPF' -u -j2 --line-buffer cat < '$T/in' | cat > '$T/out'"
	[ "$status" -eq 0 ]
	cmp <(seq 1 500000) <(sort -n "$T/out")
}

@test "--retries: a failed try's big output is never written" {
	make_data 3000000
	cat > "$T/job" <<EOF
#!/bin/sh
if [ ! -e "$T/tried" ]; then : > "$T/tried"; head -c 2000000 /dev/zero; exit 1; fi
cat "\$1"
EOF
	chmod +x "$T/job"
	run bash -c "'$PMAPF' --retries 2 '$T/job' < '$T/in' | cat > '$T/out'"
	[ "$status" -eq 0 ]
	cmp "$T/d1" "$T/out"
}

# Jobs 1..N at -jN, each writing 3 MB, then a line to $T/streamed, then
# sleeping; pmapf (with a joblog) gets SIGTERM once job 1's 3 MB is out,
# and must die of it with exactly those 3 MB written.
interrupt_streaming() {
	local n=$1 st=0
	cat > "$T/job" <<EOF
#!/bin/sh
head -c 3000000 /dev/zero
echo >> "$T/streamed"
exec sleep 30
EOF
	chmod +x "$T/job"
	seq "$n" | "$PMAPF" -j"$n" --joblog "$T/log" "$T/job" > "$T/out" &
	pid=$!
	wait_until 10 has_lines "$T/streamed" "$n"
	# Written before the job ends: pmapf did not wait for it.
	wait_until 10 test "$(wc -c < "$T/out")" -eq 3000000
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ "$(wc -c < "$T/out")" -eq 3000000 ]
}

@test "interrupted while streaming: its block is ended and logged, so --resume does not repeat it" {
	interrupt_streaming 1
	# Logged as killed by SIGTERM.
	[ "$(awk -F'\t' 'NR > 1 { print $1, $8 }' "$T/log")" = "1 15" ]
	run bash -c "echo 1 | '$PMAPF' --resume --joblog '$T/log' '$T/job'"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "interrupted: a job behind the streaming one does not start streaming" {
	interrupt_streaming 2
	# Job 1 streamed and is ended; job 2 had not begun to go out.
	[ "$(awk -F'\t' 'NR > 1 { print $1 }' "$T/log")" = 1 ]
}

@test "stdout closed while a job streams: SIGPIPE at once, no spinning" {
	head -c 40000000 /dev/zero > "$T/big"
	run bash -c "echo '$T/big' | timeout 20 '$PMAPF' cat | head -c 1000 | wc -c; echo \"\${PIPESTATUS[1]}\""
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -eq 1000 ]
	[ "${lines[1]}" -eq 141 ]
}

@test "waiting output into a pipe read late: no zeroed pages" {
	# Output that waited in the spill file goes into a pipe with
	# sendfile: the pipe holds the file's pages, which a hole punched
	# under them would zero (emptying or closing the file does not).
	make_data 900000 900000 900000 900000 900000 900000 900000 900000
	printf '2 %s\n' "$T/d1" > "$T/list"
	tail -n +2 "$T/in" | sed 's/^/0 /' >> "$T/list"
	want_ordered > "$T/want"
	"$PMAPF" -j8 --colsep ' ' sh -c 'sleep $0; cat $1' {1} {2} < "$T/list" | (sleep 1; cat) > "$T/out"
	cmp "$T/want" "$T/out"
	seq 300000 > "$T/s"
	echo "$T/s" | "$PMAPF" cat | (sleep 0.5; cat) > "$T/out"
	cmp "$T/s" "$T/out"
}

# $T/job FILE: cat FILE; for d1, only once the jobs of all the other
# files in $T/in have ended (so all their output waits).  Empty
# $T/done to run it again.
first_waits_job() {
	local others=$(($(wc -l < "$T/in") - 1))
	mkdir -p "$T/done"
	cat > "$T/job" <<EOF
#!/bin/sh
if [ "\$1" = "$T/d1" ]; then
	while [ "\$(ls "$T/done" | wc -l)" -lt $others ]; do sleep 0.05; done
fi
cat "\$1"
touch "$T/done/\$(basename "\$1")"
EOF
	chmod +x "$T/job"
}

# Read stdin into $1 in 256 KiB bites with a pause between: the reader
# is behind while pmapf gives spill file space back.
slow_reader() {
	local n
	while n=$(dd bs=262144 count=1 iflag=fullblock status=none | tee -a "$1" | wc -c) && [ "$n" -gt 0 ]; do
		sleep 0.005
	done
}

@test "spilled output sent by reference into a slow pipe: byte-exact, blocks whole" {
	# Each job's 6 MB passes the per-job memory share, so it waits in the
	# spill file; the first job ends only after the others, so all of
	# theirs waits, and goes out by reference while the reader lags.
	make_data 6000000 6000000 6000000 6000000 6000000 6000000 6000000
	first_waits_job
	want_ordered > "$T/want"
	: > "$T/out"
	timeout 120 "$PMAPF" -j7 "$T/job" < "$T/in" | slow_reader "$T/out"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	cmp "$T/want" "$T/out"
	rm -f "$T"/done/*
	: > "$T/out"
	timeout 120 "$PMAPF" -u -j7 "$T/job" < "$T/in" | slow_reader "$T/out"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	blocks_whole "$T/out"
}

@test "waiting output sent into a pipe whose reader splices it on: byte-exact" {
	# pmapf inside pmapf: the outer one splices the inner one's stdout
	# pipe on, pages of the inner spill file and all, so the inner one
	# must never punch a hole under them, even once its pipe is empty.
	make_data 5001237 5002474 5003711 5004948 5006185 5007422
	first_waits_job
	want_ordered > "$T/want"
	timeout 120 "$PMAPF" -j1 sh -c "'$PMAPF' -j6 '$T/job' < '$T/in'" ::: x | cat > "$T/out"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	cmp "$T/want" "$T/out"
	rm -f "$T"/done/*
	timeout 120 "$PMAPF" -j1 sh -c "'$PMAPF' -u -j6 '$T/job' < '$T/in'" ::: x | cat > "$T/out"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	blocks_whole "$T/out"
}

@test "jobs get the soft descriptor limit pmapf found" {
	run bash -c "ulimit -Sn 200; echo x | '$PMAPF' sh -c 'ulimit -Sn'"
	[ "$status" -eq 0 ]
	[ "$output" = 200 ]
}

@test "-j300 under a soft descriptor limit of 256: pmapf raises its own" {
	grep -q '^#define PMAPF_VFORK_SPAWN' "${PMAPF_CONFIG_H:-/nonexistent}" ||
		skip "the posix_spawn path keeps the limit (jobs could not get it back)"
	[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1024 ] ||
		skip "hard descriptor limit below 1024"
	: > "$T/started"
	cat > "$T/job" <<EOF
#!/bin/sh
echo >> "$T/started"
while [ "\$(wc -l < "$T/started")" -lt 300 ]; do sleep 0.05; done
echo "\$1"
EOF
	chmod +x "$T/job"
	# All 300 must run at once for any to end: 600 pipes.
	run --separate-stderr timeout 60 bash -c "ulimit -Sn 256; seq 300 | '$PMAPF' -j300 '$T/job'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 300)" ]
	[ -z "$stderr" ]
}

@test "the joblog's Receive counts streamed bytes too" {
	make_data 3000000 2000000
	for p in "${paths[@]}"; do
		PMAPF_TEST_NO_SPLICE=$p "$PMAPF" -j2 --joblog "$T/log.$p" cat < "$T/in" | cat > /dev/null
		[ "$(awk -F'\t' 'NR > 1 { print $1, $6 }' "$T/log.$p" | sort)" = "$(printf '1 3000000\n2 2000000')" ]
	done
}
