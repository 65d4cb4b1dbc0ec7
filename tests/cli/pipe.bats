#!/usr/bin/env bats
# --pipe: stdin cut into blocks of whole records, each block the stdin of
# one job.  Nothing of the stream is lost, split or duplicated, whatever
# path a byte takes (spliced unseen far from a block's end, read near
# it, kept in the spool file for a slow job).  Block sizes are what GNU
# parallel 20221122 gives on the same input (noted where they differ);
# the tests do not need it installed.
load helpers

@test "--pipe cat: the output is the input, byte for byte, at any block size" {
	random_records 300000 40 "$T/in" 1
	head -c 200000 /dev/urandom > "$T/bin" # newlines 1 in 256, NULs too
	random_records 3000 10 "$T/small" 5
	for b in 1 7 100 4k 64k 1M; do
		for f in in bin small; do
			# (A job per record: only on the small input.)
			[ "$b" = 1 ] && [ "$f" != small ] && continue
			case $b in 7 | 100) [ "$f" = small ] || continue ;; esac
			# stdin a file (read and spliced from the page cache) ...
			run --separate-stderr "$PMAPF" --pipe --block "$b" cat < "$T/$f"
			[ "$status" -eq 0 ]
			"$PMAPF" --pipe --block "$b" cat < "$T/$f" | cmp - "$T/$f"
			# ... and a pipe, with several jobs at once.
			cat "$T/$f" | "$PMAPF" -j3 --pipe --block "$b" cat 2>/dev/null | cmp - "$T/$f"
		done
	done
}

@test "--pipe: a big stream through slow and fast jobs comes out whole" {
	# Far more than a block's window, so bytes go unseen with splice,
	# and slow jobs, so blocks wait in the spool file.
	random_records 6000000 100 "$T/in" 2
	cat "$T/in" | "$PMAPF" -j2 --pipe --block 700k cat | cmp - "$T/in"
	# A slow reader: the shell reads a byte at a time.
	echo >> "$T/in"
	cat "$T/in" | "$PMAPF" -j3 --pipe --block 1M \
		sh -c 'while IFS= read -r l; do printf "%s\n" "$l"; done' |
		cmp - "$T/in"
	cat "$T/in" | "$PMAPF" -j2 --pipe --block 2M sh -c 'sleep 0.3; cat' | cmp - "$T/in"
	# The README's example: the ordered blocks make one gzip file.
	cat "$T/in" | "$PMAPF" -j2 --pipe --block 500k gzip -1 | gzip -dc | cmp - "$T/in"
}

@test "--pipe: input kept for jobs that read late, in pipes and past them in the file, comes out whole" {
	seq 1 8000000 > "$T/in"
	# Each job sleeps before it reads: to start the next job, pmapf keeps
	# the rest of a 30M block aside, 16 MiB in pipes and the rest in the
	# temporary file; the same with the file alone.
	run --separate-stderr timeout 120 bash -c "cat '$T/in' | '$PMAPF' -j2 --pipe --block 30M sh -c 'sleep 0.5; cat' | cmp - '$T/in'"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr timeout 120 bash -c "cat '$T/in' | PMAPF_TEST_NO_HOLD=1 '$PMAPF' -j3 --pipe --block 20M sh -c 'sleep 0.5; cat' | cmp - '$T/in'"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "--pipe: each block ends at a record end, as full as the size allows" {
	seq 300000 > "$T/in"
	# Checked against GNU parallel: the same block sizes, every one.
	"$PMAPF" --pipe --block 1000 wc -c < "$T/in" > "$T/sizes"
	[ "$(wc -l < "$T/sizes")" -eq 2000 ]
	[ "$(sort -n "$T/sizes" | tail -1)" -le 1000 ]
	[ "$(awk '{ s += $1 } END { print s }' "$T/sizes")" -eq "$(wc -c < "$T/in")" ]
	# Far beyond the window read near the end: still the same blocks.
	seq 3000000 | "$PMAPF" --pipe --block 3M wc -c > "$T/big"
	[ "$(tr '\n' ' ' < "$T/big")" = "3145722 3145723 3145723 3145728 3145728 3145728 3145728 868816 " ]
	seq 30 | "$PMAPF" --pipe --block 20 wc -c > "$T/small"
	[ "$(tr '\n' ' ' < "$T/small")" = "18 18 18 18 9 " ]
}

@test "--pipe -u: blocks come out whole, together exactly the input" {
	random_records 400000 30 "$T/in" 3
	# Each job prints its block as one hex line: blocks can be compared.
	local hex='od -An -v -tx1 | tr -d " \n"; echo'
	"$PMAPF" -j4 --pipe --block 10k sh -c "$hex" < "$T/in" > "$T/ordered"
	"$PMAPF" -u -j4 --pipe --block 10k sh -c "sleep 0.0\$((\$\$ % 3)); $hex" < "$T/in" > "$T/unordered"
	[ "$(wc -l < "$T/ordered")" -gt 30 ]
	diff <(sort "$T/ordered") <(sort "$T/unordered")
	# The ordered blocks, put back together, are the input.
	diff <(tr -d '\n' < "$T/ordered") <(od -An -v -tx1 < "$T/in" | tr -d ' \n')
}

@test "--pipe -0 and -d: records end with that byte, never split" {
	printf 'a\0bb\0ccc\0dddd\0e' > "$T/in"
	"$PMAPF" -0 --pipe --block 6 sh -c 'od -An -c | tr -s " "' < "$T/in" > "$T/out"
	cat > "$T/want" <<'TXT'
 a \0 b b \0
 c c c \0
 d d d d \0 e
TXT
	diff "$T/want" "$T/out"
	printf 'a:bb:ccc:' | "$PMAPF" -d : --pipe --block 5 sh -c 'cat; echo' > "$T/out"
	[ "$(cat "$T/out")" = "$(printf 'a:bb:\nccc:')" ]
	"$PMAPF" -0 --pipe --block 3 cat < "$T/in" | cmp - "$T/in"
}

@test "--pipe: a record longer than the block goes whole, said once" {
	run --separate-stderr "$PMAPF" --pipe --block 5 wc -c < <(printf 'aaaaaaaaaaaaaa\nb\nccccccccc\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "15 2 10" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == *"a block is longer than --block (5 bytes): a record was not cut"* ]]
}

@test "--pipe -N and -L: records per block, lines per record (as GNU parallel)" {
	run --separate-stderr "$PMAPF" --pipe -N4 wc -c < <(seq 30)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "8 8 11 12 12 12 12 6" ]
	run --separate-stderr "$PMAPF" --pipe -L3 --block 20 wc -c < <(seq 30)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "18 18 18 18 9" ]
	# -L: a record of 3 lines is never cut inside.
	run --separate-stderr "$PMAPF" --pipe -L3 --block 1 wc -l < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "3 3 3 1" ]
}

@test "--pipe --recend, --recstart: records as they say, escapes allowed" {
	run --separate-stderr "$PMAPF" --pipe --recend 'END\n' --block 9 wc -c < <(printf 'r1\nEND\nr2\nEND\nr3\nEND\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "7 7 7" ]
	run --separate-stderr "$PMAPF" --pipe --recend ';' --block 3 wc -c < <(printf 'a;b;;c;d;')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "2 3 2 2" ]
	# FASTA-like: a record starts with '>'.  (GNU parallel gives the
	# last record a block of its own; here it joins one if it fits.)
	printf '>a\nx\n>b\ny\ny\n>c\nz\n>d\n' > "$T/fa"
	run --separate-stderr "$PMAPF" --pipe --recstart '>' --block 8 sh -c 'cat; echo "|"' < "$T/fa"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '>a\nx\n|\n>b\ny\ny\n|\n>c\nz\n>d\n|')" ]
	# Both: a record ends with "\n" followed by '>'.
	run --separate-stderr "$PMAPF" --pipe --recend '\n' --recstart '>' --block 1 wc -c < "$T/fa"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "5 7 5 3" ]
	# The '>' after a cut is within --block too, as GNU parallel cuts
	# only at a match in the bytes it read: ">a\n" alone, not 7 bytes
	# (">a\n>bc\n", whose next '>' would be the 8th).  The rest ends
	# the input and fits: one block (GNU parallel: 4 3).
	run --separate-stderr "$PMAPF" --pipe --recstart '>' --block 7 wc -c < <(printf '>a\n>bc\n>d\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "3 7" ]
	# (--pipe-part cuts at the first record end from --block on: 7 3,
	# as GNU parallel's.)
	printf '>a\n>bc\n>d\n' > "$T/fb"
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/fb" --recstart '>' --block 7 wc -c
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "7 3" ]
}

@test "--pipe --header: the header lines start every block" {
	run --separate-stderr "$PMAPF" --pipe --header 2 -N2 sh -c 'cat | tr "\n" ,; echo' < <(printf 'h1\nh2\n1\n2\n3\n4\n5\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'h1,h2,1,2,\nh1,h2,3,4,\nh1,h2,5,')" ]
	run --separate-stderr "$PMAPF" --pipe --header : --block 5 sh -c 'cat | tr "\n" ,; echo' < <(printf 'h\n1\n2\n3\n4\n5\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'h,1,2,\nh,3,4,\nh,5,')" ]
}

@test "--pipe --header: input that ends inside the header has none, and every record is kept (as GNU parallel)" {
	# (All of it was taken for the header, and no job ran.)
	run --separate-stderr "$PMAPF" --pipe --header 1 --recend ';' -N2 sh -c 'cat | tr "\n" ,; echo' < <(printf 'H;a;b;c;d;')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'H;a;\nb;c;\nd;')" ]
	run --separate-stderr "$PMAPF" --pipe --header 3 -N1 sh -c 'cat | tr "\n" ,; echo' < <(printf 'h1\na\nb')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'h1,\na,\nb')" ]
	# Two whole lines are a header of 2, and "b" its one record.
	run --separate-stderr "$PMAPF" --pipe --header 2 -N1 sh -c 'cat | tr "\n" ,; echo' < <(printf 'h1\na\nb')
	[ "$status" -eq 0 ]
	[ "$output" = "h1,a,b" ]
	run --separate-stderr "$PMAPF" --pipe --header 1 cat < <(printf 'H')
	[ "$status" -eq 0 ]
	[ "$output" = "H" ]
}

@test "--pipe: no input, no job; {} is empty, {#} the block, --tag empty" {
	run --separate-stderr "$PMAPF" --pipe wc -l < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$PMAPF" --pipe -N2 echo 'x{}y' '{#}' < <(seq 6)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'xy 1\nxy 2\nxy 3')" ]
	run --separate-stderr "$PMAPF" --pipe --tag wc -l < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '\t3')" ]
}

@test "--pipe --joblog: Send is the bytes each job was given, header and all" {
	printf 'h\n1\n2\n3\n4\n5\n' | "$PMAPF" --pipe --header 1 --block 5 --joblog "$T/log" cat > /dev/null
	awk -F'\t' 'NR > 1 { print $1, $5, $6 }' "$T/log" | sort -n > "$T/got"
	printf '1 6 6\n2 6 6\n3 4 4\n' > "$T/want"
	diff "$T/want" "$T/got"
}

@test "--pipe: a job that stops reading or fails loses only its own block" {
	seq 100000 > "$T/in"
	# head takes one line and goes: the rest of its block is dropped,
	# and nothing hangs.
	run --separate-stderr timeout 60 "$PMAPF" -j2 --pipe --block 100k head -n1 < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1 18518 35184 51850 68516 85182" ]
	# A job failing: its status counts, the other blocks are whole.
	run --separate-stderr timeout 60 "$PMAPF" --pipe --block 100k sh -c 'n=$(wc -l); echo $n; [ $n -lt 16384 ]' < "$T/in"
	[ "$status" -eq 5 ]
	[ "$(echo $output)" = "18517 16666 16666 16666 16666 14819" ]
}

@test "--pipe: input that trickles in is cut as it comes" {
	# The first block is written out while input is still open.
	mkfifo "$T/fifo"
	"$PMAPF" --pipe -N1 cat < "$T/fifo" > "$T/out" &
	local pid=$!
	exec 7> "$T/fifo"
	echo first >&7
	wait_until 10 grep -q first "$T/out"
	echo second >&7
	exec 7>&-
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'first\nsecond')" ]
}

@test "--pipe: option errors name the option and run nothing" {
	refused --pipe --block 0 cat
	[[ "${stderr_lines[0]}" == *"--block: invalid value '0'"* ]]
	refused --pipe --block 1x cat
	[[ "${stderr_lines[0]}" == *"--block: invalid value '1x'"* ]]
	refused --pipe
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with the built-in"* ]]
	refused --pipe --workers cat
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with --workers"* ]]
	refused --round-robin --retries 3 cat
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with --retries"* ]]
	refused --block 10M cat
	[[ "${stderr_lines[0]}" == *"--block applies only to --pipe"* ]]
	refused -L 2 cat
	[[ "${stderr_lines[0]}" == *"-L/--max-lines applies only to --pipe"* ]]
	refused --pipe --recend '' --recstart '' -N 2 cat
	[[ "${stderr_lines[0]}" == *"--recend and --recstart are both empty: there are no records for -N to count"* ]]
	refused --pipe --header x cat
	[[ "${stderr_lines[0]}" == *"--header: with --pipe, expected a number of lines"* ]]
	refused --pipe cat ::: a
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with input sources"* ]]
}

@test "--pipe -N0 cuts blocks by size, as without -N (GNU parallel)" {
	run --separate-stderr "$PMAPF" --pipe -N0 --block 5 wc -l < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "2 2 2 2 2" ]
	[ -z "$stderr" ]
}

@test "--spreadstdin and --block-size are --pipe and --block" {
	run --separate-stderr "$PMAPF" --spreadstdin --block-size 20 wc -c < <(seq 30)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "18 18 18 18 9" ]
}

@test "--pipe --results: each block has files of its own; a table has Send" {
	run --separate-stderr "$PMAPF" --pipe -N5 --results "$T/res" wc -l < <(seq 12)
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat "$T/res/1/1/stdout" "$T/res/1/2/stdout" "$T/res/1/3/stdout" | tr '\n' ' ')" = "5 5 2 " ]
	[ "$(cat "$T/res/1/3/seq")" = 3 ]
	# As GNU parallel's table: no value columns, Send the block's bytes.
	run --separate-stderr "$PMAPF" --pipe -N5 --results -.csv wc -l < <(seq 12)
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,Stdout,Stderr" ]
	[ "$(printf '%s\n' "$output" | awk -F, 'NR > 1 && NF > 5 { print $1, $5 }' | tr '\n' ' ')" = "1 10 2 11 3 6 " ]
}

@test "--pipe: SIGTERM mid-stream ends the jobs and pmapf (143)" {
	seq 100000000 | "$PMAPF" -j2 --pipe --block 1M sh -c 'sleep 60; wc -l' > "$T/out" 2> "$T/err" &
	term_ends_all $! 2
	[ ! -s "$T/out" ]
}

@test "--pipe: SIGHUP lets the running jobs finish their whole blocks" {
	seq 1000000 | "$PMAPF" --pipe --block 1M wc -l | head -n 2 > "$T/want"
	seq 100000000 | "$PMAPF" -j2 --pipe --block 1M sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; wc -l' "$T/go" > "$T/out" 2> "$T/err" &
	local pid=$!
	wait_until 20 has_descendants "$pid" 2
	kill -HUP "$pid"
	touch "$T/go"
	wait "$pid"
	[ ! -s "$T/err" ]
	diff "$T/want" "$T/out"
}

@test "--pipe --header: lines that come in separate reads, and a long one" {
	mkfifo "$T/fifo"
	"$PMAPF" --pipe --header 2 -N1 sh -c 'cat | tr "\n" ,; echo' < "$T/fifo" > "$T/out" &
	local pid=$!
	exec 7> "$T/fifo"
	printf 'h1\n' >&7
	# (pmapf has read h1 alone by now, or reads it with the rest.)
	printf 'h2\nd1\nd2\n' >&7
	exec 7>&-
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'h1,h2,d1,\nh1,h2,d2,')" ]
	# A header line of 3 MB: held whole, given to each block.
	{ head -c 3000000 /dev/zero | tr '\0' a; printf '\nx\ny\n'; } > "$T/in"
	run --separate-stderr timeout 60 "$PMAPF" --pipe --header 1 -N1 wc -c < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "3000003 3000003" ]
}

@test "--pipe: long records make the same blocks from a file or a pipe" {
	# Records up to 400 KiB, longer than the 128 KiB read near a block's
	# end: a block may then end past --block, after the record crossing
	# it, but the same way however the bytes moved.
	python3 -c 'import random; random.seed(7); print("\n".join("x" * random.randrange(400000) for _ in range(60)))' > "$T/in"
	"$PMAPF" --pipe --block 1M wc -c < "$T/in" > "$T/file" 2> "$T/err1"
	cat "$T/in" | "$PMAPF" --pipe --block 1M wc -c > "$T/pipe" 2> "$T/err2"
	cat "$T/in" | "$PMAPF" -j3 --pipe --block 1M sh -c 'sleep 0.1; wc -c' > "$T/slow" 2> /dev/null
	diff "$T/file" "$T/pipe"
	diff "$T/file" "$T/slow"
	[ "$(awk '{ s += $1 } END { print s }' "$T/file")" -eq "$(wc -c < "$T/in")" ]
	[ "$(wc -l < "$T/file")" -gt 5 ]
	cat "$T/in" | "$PMAPF" --pipe --block 1M cat | cmp - "$T/in"
}

@test "--pipe -N takes more records than a command line could" {
	run --separate-stderr "$PMAPF" --pipe -N 1000000 wc -l < <(seq 1500000)
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1000000 500000" ]
	refused -N 200000 echo ::: a
	[[ "${stderr_lines[0]}" == *"-N/-n: invalid value '200000'"* ]]
}

@test "--pipe: jobs that read late still run side by side" {
	# Each job waits, before reading, until all three have started: if
	# pmapf waited for one to take its block before reading the next,
	# this would never end.
	seq 1 2000000 > "$T/in"
	mkdir "$T/s"
	local job='touch "$0/$$"; until [ "$(ls "$0" | wc -l)" -ge 3 ]; do sleep 0.05; done; wc -c'
	run --separate-stderr timeout 60 "$PMAPF" -j3 --pipe --block 4M sh -c "$job" "$T/s" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "4194301 4194299 4194304 2305992" ]
	rm -f "$T/s"/*
	run --separate-stderr timeout 60 bash -c "cat '$T/in' | '$PMAPF' -j3 --pipe --block 4M sh -c '$job' '$T/s'"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "4194301 4194299 4194304 2305992" ]
}

@test "--pipe: -r, --trim and an octal escape past \\377 are refused" {
	refused --pipe -r cat
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with -r"* ]]
	refused --pipe --trim lr cat
	[[ "${stderr_lines[0]}" == *"--pipe cannot be used with --trim"* ]]
	refused --pipe --recend '\400' cat
	[[ "${stderr_lines[0]}" == *"--recend: invalid escape '\\400'"* ]]
}

@test "--pipe --retries: a failed job gets its whole block again" {
	seq 50000 > "$T/in"
	# Block 2 fails once, having read part of its block.
	run --separate-stderr "$PMAPF" -j2 --retries 2 --pipe --block 50k \
		sh -c 'if [ {#} = 2 ] && mkdir "$0" 2> /dev/null; then head -c 100 > /dev/null; exit 1; fi; cat' "$T/once" < "$T/in"
	[ "$status" -eq 0 ]
	[ -d "$T/once" ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
	# From a pipe; every try of a job that always fails gets it all.
	run --separate-stderr "$PMAPF" --retries 3 --pipe --block 100k --joblog "$T/log" sh -c 'wc -l; exit 1' < <(seq 100000)
	[ "$status" -eq 6 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
	[ "$(awk -F'\t' 'NR > 1 { s += $5 } END { print s }' "$T/log")" -eq "$(seq 100000 | wc -c)" ]
}

@test "--pipe --block-timeout: a block not full in time ends at a record end" {
	mkfifo "$T/fifo"
	"$PMAPF" --pipe --block-timeout 0.2 sh -c 'tr "\n" " "; echo' < "$T/fifo" > "$T/out" &
	local pid=$!
	exec 7> "$T/fifo"
	# The unfinished record "b" waits for the next block.
	printf 'a\nb' >&7
	wait_until 10 grep -q "^a $" "$T/out"
	printf 'c\nd\n' >&7
	exec 7>&-
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'a \nbc d ')" ]
	refused --block-timeout 1 cat
	[[ "${stderr_lines[0]}" == *"--block-timeout applies only to --pipe"* ]]
	refused --pipe --bt 0 cat
	[[ "${stderr_lines[0]}" == *"--block-timeout"* ]]
}

@test "--pipe --rrs: record separators out of each block (as GNU parallel)" {
	run --separate-stderr "$PMAPF" --pipe --rrs cat < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = 123 ]
	run --separate-stderr "$PMAPF" --pipe --recstart '>' --rrs -N1 sh -c 'cat; echo "|"' < <(printf '>a\nx\n>b\ny\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "a x | b y |" ]
	run --separate-stderr "$PMAPF" --pipe --recend ';' --recstart x --rrs -N2 sh -c 'cat; echo "|"' < <(printf 'a;xb;xc;')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "ab| c|" ]
	# Cut by offsets too (GNU parallel 20221122 leaves them in there),
	# and the same with a block sent again.
	printf '>a\nx\n>b\ny\n' > "$T/fa"
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/fa" --recstart '>' --rrs --block 1 sh -c 'cat; echo "|"'
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "a x | b y |" ]
	run --separate-stderr "$PMAPF" --retries 2 --pipe-part -a "$T/fa" --recstart '>' --rrs --block 1 sh -c 'cat; echo "|"; mkdir "$0" 2> /dev/null && exit 1; true' "$T/once"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "a x | b y |" ]
	refused --rrs cat
	[[ "${stderr_lines[0]}" == *"--rrs applies only to --pipe"* ]]
	refused --pipe --rrs --group-by 1 cat
	[[ "${stderr_lines[0]}" == *"--group-by cannot be used with --rrs"* ]]
}

@test "--pipe --regexp: record ends and starts by regular expressions" {
	# What GNU parallel 20221122 gives.
	run --separate-stderr "$PMAPF" --pipe --regexp --recend '[0-9]+' -N1 sh -c 'cat; echo "|"' < <(printf 'a1b22c333d')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "a1| b22| c333| d|" ]
	run --separate-stderr "$PMAPF" --pipe --regexp --recstart 'x|y' -N1 sh -c 'cat; echo "|"' < <(printf '>x\nA\n>y\nB\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = ">| x A >| y B |" ]
	# Without --recend/--recstart: the newline, as without --regexp.
	diff <(seq 3000 | "$PMAPF" --pipe --block 1k wc -c) <(seq 3000 | "$PMAPF" --pipe --regexp --block 1k wc -c)
	# Nothing lost or cut inside a record, big input from a pipe.
	awk 'BEGIN { srand(9); for (i = 0; i < 200000; i++) printf "%s%s", (rand() < 0.5 ? "x" : "yy"), (rand() < 0.1 ? "\n\n" : "\n") }' > "$T/in"
	cat "$T/in" | "$PMAPF" -j3 --pipe --regexp --recend '\n\n+' --block 10k cat | cmp - "$T/in"
	"$PMAPF" -j3 --pipe-part -a "$T/in" --regexp --recend '\n\n+' --block 10k cat | cmp - "$T/in"
	# Every block but the last ends with the blank line.
	"$PMAPF" --pipe --regexp --recend '\n\n+' --block 10k sh -c 'tail -c 2 | od -An -c | tr -d " "' < "$T/in" > "$T/ends"
	[ "$(wc -l < "$T/ends")" -gt 20 ]
	[ "$(sed '$d' "$T/ends" | sort -u)" = '\n\n' ]
	# A bad pattern: one line, nothing runs.
	refused --pipe --regexp --recend '(' cat
	[[ "${stderr_lines[0]}" == *"--recend: invalid regular expression '('"* ]]
	refused --pipe --regexp --recstart 'a*' cat
	[[ "${stderr_lines[0]}" == *"--recstart: invalid regular expression 'a*'"* ]]
	refused --pipe --regexp --rrs cat
	[[ "${stderr_lines[0]}" == *"--regexp cannot be used with --rrs"* ]]
}

@test "--pipe, --pipe-part --recend '': blocks of --block bytes exactly (as GNU parallel)" {
	seq 1000 > "$T/in"
	run --separate-stderr "$PMAPF" --pipe --block 100 --recend '' wc -c < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -c | awk '{ printf "%s*%s ", $1, $2 }')" = "38*100 1*93 " ]
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/in" --block 100 --recend '' wc -c
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -c | awk '{ printf "%s*%s ", $1, $2 }')" = "38*100 1*93 " ]
	head -c 300000 /dev/urandom > "$T/bin"
	cat "$T/bin" | "$PMAPF" -j3 --pipe --block 7k --recend '' cat | cmp - "$T/bin"
	"$PMAPF" -j3 --pipe-part -a "$T/bin" --block 7k --recend '' cat | cmp - "$T/bin"
	# With --regexp, an empty pattern matches nothing either: the same
	# blocks (it crashed before any job).
	local sep
	for sep in "--recend=" "--recstart=" "--recend= --recstart="; do
		run --separate-stderr "$PMAPF" --pipe --regexp $sep --block 100 wc -c < "$T/in"
		[ "$status" -eq 0 ]
		[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -c | awk '{ printf "%s*%s ", $1, $2 }')" = "38*100 1*93 " ]
		run --separate-stderr "$PMAPF" --pipe-part -a "$T/in" --regexp $sep --block 100 wc -c
		[ "$status" -eq 0 ]
		[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -c | awk '{ printf "%s*%s ", $1, $2 }')" = "38*100 1*93 " ]
	done
	"$PMAPF" -j3 --pipe --regexp --recend '' --block 7k cat < "$T/bin" | cmp - "$T/bin"
}

@test "--pipe: no hang on a block of exactly --block bytes, or a record over 2 MiB" {
	# A block exactly --block bytes long, while a copy is kept.
	yes xxx | head -c 3000000 > "$T/y"
	run --separate-stderr timeout 60 "$PMAPF" --pipe --retries 2 wc -c < "$T/y"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "1048576 1048576 902848" ]
	# One record of 3 MB: one block, said once, in every mode that
	# looks at every byte.
	{ head -c 3000000 /dev/zero | tr '\0' y; echo; } > "$T/long"
	local mode
	for mode in "--group-by 1" "--regexp --recend \\n" "--retries 2" "--round-robin --group-by 1"; do
		# shellcheck disable=SC2086
		run --separate-stderr timeout 60 "$PMAPF" --pipe $mode wc -c < "$T/long"
		[ "$status" -eq 0 ]
		[ "$output" = 3000001 ]
		[[ "$stderr" == *"a record was not cut"* ]]
	done
}

@test "--pipe --block-timeout: the next block starts though its job reads nothing" {
	mkfifo "$T/fifo"
	# Each job says it began, reads one line and goes: the first leaves
	# "ab" unread, which the timeout makes the next block.
	"$PMAPF" --pipe --bt 0.2 sh -c 'echo >> "$0"; read -r a; echo "$a"' "$T/began" < "$T/fifo" > "$T/out" &
	local pid=$!
	exec 7> "$T/fifo"
	printf 'x\nab' >&7
	wait_until 10 has_lines "$T/began" 2
	printf 'c\n' >&7
	exec 7>&-
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ "$(cat "$T/out")" = "$(printf 'x\nabc')" ]
	refused --shard 1 --tee echo ::: 1
	[[ "${stderr_lines[0]}" == *"--tee cannot be used with --shard"* ]]
	refused --pipe --regexp --recend '\b' cat
	[[ "${stderr_lines[0]}" == *"--recend: invalid regular expression '\\b'"* ]]
}
