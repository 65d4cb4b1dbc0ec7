#!/usr/bin/env bats
# --pipe-part: files cut into blocks by offsets, each job reading its own
# range.  Nothing is lost, split or duplicated; the cuts are GNU
# parallel's, checked against an independent model of its rule (and
# against GNU parallel itself where it is installed).
load helpers

# The block sizes GNU parallel's rule gives FILE with block size BLOCK,
# record end END and start START (Python escapes), after HEADER lines:
# a block ends just after the first END+START at or past BLOCK bytes in.
model_sizes() {
	python3 - "$@" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
block = int(sys.argv[2])
end = sys.argv[3].encode().decode('unicode_escape').encode('latin-1')
start = sys.argv[4].encode().decode('unicode_escape').encode('latin-1')
at = 0
for _ in range(int(sys.argv[5]) if len(sys.argv) > 5 else 0):
    nl = data.find(b'\n', at)
    at = len(data) if nl < 0 else nl + 1
head = at
while at < len(data):
    i = data.find(end + start, at + block) if at + block < len(data) else -1
    to = len(data) if i < 0 else i + len(end)
    print(to - at + head)
    at = to
EOF
}

@test "--pipe-part cat: the output is the file, byte for byte, at any block size" {
	random_records 300000 40 "$T/in" 1
	head -c 200000 /dev/urandom > "$T/bin"
	random_records 3000 10 "$T/small" 5
	for b in 1 7 100 4k 64k 1M; do
		for f in in bin small; do
			[ "$b" = 1 ] && [ "$f" != small ] && continue
			case $b in 7 | 100) [ "$f" = small ] || continue ;; esac
			run --separate-stderr "$PMAPF" -j3 --pipe-part --block "$b" -a "$T/$f" cat
			[ "$status" -eq 0 ]
			[ -z "$stderr" ]
			"$PMAPF" -j3 --pipe-part --block "$b" -a "$T/$f" cat | cmp - "$T/$f"
			"$PMAPF" -j2 --pipe-part --block "$b" -0 cat :::: "$T/$f" | cmp - "$T/$f"
		done
	done
}

@test "--pipe-part: the blocks are cut where GNU parallel cuts them" {
	random_records 200000 60 "$T/in" 2
	seq 100000 > "$T/seq"
	for b in 1 50 1000 12345 65536; do
		"$PMAPF" --pipe-part --block "$b" -a "$T/in" wc -c > "$T/got"
		model_sizes "$T/in" "$b" '\n' '' > "$T/want"
		[ "$(wc -l < "$T/want")" -ge 3 ]
		diff "$T/want" "$T/got"
	done
	# k is 1000, K 1024, as GNU parallel's sizes.
	diff <(model_sizes "$T/in" 4000 '\n' '') <("$PMAPF" --pipe-part --block 4k -a "$T/in" wc -c)
	diff <(model_sizes "$T/in" 4096 '\n' '') <("$PMAPF" --pipe-part --block 4K -a "$T/in" wc -c)
	"$PMAPF" --pipe-part --block 1000 --recend 5 --recstart 1 -a "$T/seq" wc -c > "$T/got"
	diff <(model_sizes "$T/seq" 1000 5 1) "$T/got"
	"$PMAPF" --pipe-part --block 777 --recend '' --recstart 99 -a "$T/seq" wc -c > "$T/got"
	diff <(model_sizes "$T/seq" 777 '' 99) "$T/got"
	"$PMAPF" --pipe-part --block 2000 --header 3 -a "$T/seq" wc -c > "$T/got"
	diff <(model_sizes "$T/seq" 2000 '\n' '' 3) "$T/got"
	if command -v parallel > /dev/null; then
		parallel --will-cite -k --pipe-part --block 1000 -a "$T/in" wc -c > "$T/gnu"
		"$PMAPF" --pipe-part --block 1000 -a "$T/in" wc -c | diff "$T/gnu" -
		parallel --will-cite -k --pipe-part --block 3000 --header 2 -a "$T/seq" -a "$T/in" wc -c > "$T/gnu"
		"$PMAPF" --pipe-part --block 3000 --header 2 -a "$T/seq" -a "$T/in" wc -c | diff "$T/gnu" -
	fi
}

@test "--pipe-part -u: blocks come out whole, together exactly the file" {
	random_records 400000 30 "$T/in" 3
	local hex='od -An -v -tx1 | tr -d " \n"; echo'
	"$PMAPF" -j4 --pipe-part --block 10k -a "$T/in" sh -c "$hex" > "$T/ordered"
	"$PMAPF" -u -j4 --pipe-part --block 10k -a "$T/in" sh -c "sleep 0.0\$((\$\$ % 3)); $hex" > "$T/unordered"
	[ "$(wc -l < "$T/ordered")" -gt 30 ]
	diff <(sort "$T/ordered") <(sort "$T/unordered")
	diff <(tr -d '\n' < "$T/ordered") <(od -An -v -tx1 < "$T/in" | tr -d ' \n')
}

@test "--pipe-part: several files, each cut on its own; {#} counts on" {
	seq 30 > "$T/a"
	seq 100 110 > "$T/b"
	run --separate-stderr "$PMAPF" --pipe-part --block 10 -a "$T/a" -a "$T/b" sh -c 'printf "%s:" {#}; tr "\n" " "; echo'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 11 ]
	[ "${lines[0]}" = "1:1 2 3 4 5 6 " ]
	[ "${lines[6]}" = "7:28 29 30 " ]
	[ "${lines[7]}" = "8:100 101 102 " ]
	[ "${lines[10]}" = "11:109 110 " ]
	# :::: names them the same way; --header repeats each file's own.
	run --separate-stderr "$PMAPF" --pipe-part --header 1 --block 20 sh -c 'head -n1' :::: "$T/a" "$T/b"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | tr '\n' ' ')" = "1 100 " ]
}

@test "--pipe-part {##}: the number of blocks, known before the first job, as GNU parallel" {
	seq 30 > "$T/a"
	seq 100 110 > "$T/b"
	# 6 blocks of a, 5 of b: every job sees 11, the first included.
	run --separate-stderr "$PMAPF" --plus -k -j2 --pipe-part --block 10 -a "$T/a" -a "$T/b" sh -c 'echo {#}/{##} {0#} $(wc -l)'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 11 ]
	[ "${lines[0]}" = "1/11 01 6" ]
	[ "${lines[10]}" = "11/11 11 2" ]
	# Header lines are not counted as blocks; --group-by's runs are.
	printf 'h\n1\n2\n3\n' > "$T/h"
	run --separate-stderr "$PMAPF" --plus -k --header 1 --pipe-part --block 1 -a "$T/h" sh -c 'echo {##} $(tr "\n" " ")'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '3 h 1\n3 h 2\n3 h 3')" ]
	printf 'a 1\na 2\nb 3\nb 4\nc 5\n' > "$T/g"
	run --separate-stderr "$PMAPF" --plus -k --group-by 1 --colsep ' ' --pipe-part --block 1 -a "$T/g" sh -c 'echo {#}/{##} $(wc -l)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1/3 2\n2/3 2\n3/3 1')" ]
	if command -v parallel > /dev/null; then
		[ "$("$PMAPF" --plus -k -j2 --pipe-part --block 10 -a "$T/a" -a "$T/b" sh -c 'echo {#}/{##}')" = \
			"$(parallel --will-cite --plus -k -j2 --pipe-part --block 10 -a "$T/a" -a "$T/b" 'echo {#}/{##}')" ]
	fi
	# --pipe cannot know it before the stream ends: refused.
	run --separate-stderr "$PMAPF" --plus --pipe echo {##}
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--pipe cannot be used with {##} (but with --pipe-part)"* ]]
}

@test "--pipe-part --block -n: n blocks for each job slot" {
	seq 100000 > "$T/in"
	run --separate-stderr "$PMAPF" -j3 --pipe-part --block -2 -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
	# Sized from the file: its bytes / (3 * 2), plus one.
	diff <(model_sizes "$T/in" $(($(wc -c < "$T/in") / 6 + 1)) '\n' '') \
		<("$PMAPF" -j3 --pipe-part --block -2 -a "$T/in" wc -c)
	run --separate-stderr "$PMAPF" -j2 --pipe-part --block -1 -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "--pipe-part: stdin redirected from a file is cut from where it stands" {
	seq 1000 > "$T/in"
	run --separate-stderr "$PMAPF" --pipe-part --block 1k wc -l < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 1000 ]
	# The shell read its first line: the rest is what is cut.
	{
		read -r first
		"$PMAPF" --pipe-part --block 1k cat > "$T/rest"
	} < "$T/in"
	diff <(tail -n +2 "$T/in") "$T/rest"
	"$PMAPF" --pipe-part --block 1k -a - cat < "$T/in" | cmp - "$T/in"
}

@test "--pipe-part --retries: a failed block is sent again whole" {
	seq 50000 > "$T/in"
	# Block 2 fails once, having read part of its block.
	run --separate-stderr "$PMAPF" -j2 --retries 2 --pipe-part --block 50k -a "$T/in" \
		sh -c 'if [ {#} = 2 ] && mkdir "$0" 2> /dev/null; then head -c 100 > /dev/null; exit 1; fi; cat' "$T/once"
	[ "$status" -eq 0 ]
	[ -d "$T/once" ]
	diff "$T/in" <(printf '%s\n' "${lines[@]}")
	# Without --retries it fails, and only its block is missing.
	rmdir "$T/once"
	run --separate-stderr "$PMAPF" -j2 --pipe-part --block 50k -a "$T/in" \
		sh -c 'if [ {#} = 2 ] && mkdir "$0" 2> /dev/null; then exit 1; fi; cat' "$T/once"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "${lines[@]}" | wc -l)" -lt 50000 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[-1]}" = 50000 ]
}

@test "--pipe-part --joblog: Send is each job's header and block" {
	seq 30 > "$T/in"
	run --separate-stderr "$PMAPF" --pipe-part --header 1 --block 20 --joblog "$T/log" -a "$T/in" cat
	[ "$status" -eq 0 ]
	awk -F'\t' 'NR > 1 { print $1, $5, $6 }' "$T/log" | sort -n > "$T/got"
	# Sent and received: the 2-byte header and the block, each time.
	model_sizes "$T/in" 20 '\n' '' 1 | awk '{ print NR, $1, $1 }' > "$T/want"
	[ "$(awk '{ s += $2 - 2 } END { print s }' "$T/want")" -eq $(($(wc -c < "$T/in") - 2)) ]
	diff "$T/want" "$T/got"
}

@test "--pipe-part: an empty file or one of header only makes no job" {
	: > "$T/empty"
	printf 'name\n' > "$T/head"
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/empty" echo job
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$PMAPF" --pipe-part --header 1 -a "$T/head" -a "$T/empty" echo job
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--pipe-part: a file that ends inside the --header has none, and every record is kept (as GNU parallel)" {
	printf 'H;a;b;c;d;' > "$T/f1"
	printf 'h1\na\nb' > "$T/f2"
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/f1" --header 1 --recend ';' --block 4 sh -c 'cat; echo'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'H;a;b;\nc;d;')" ]
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/f2" --header 3 --block 2 sh -c 'cat | tr "\n" ,; echo'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'h1,\na,b')" ]
}

@test "--pipe-part: a job that stops reading loses only the rest of its block" {
	seq 100000 > "$T/in"
	run --separate-stderr timeout 60 "$PMAPF" -j2 --pipe-part --block 100k -a "$T/in" head -n1
	[ "$status" -eq 0 ]
	# Each job's one line: the first of its block.
	local at=0 want=() size
	for size in $(model_sizes "$T/in" 100000 '\n' ''); do
		want+=("$(tail -c +$((at + 1)) "$T/in" | head -n1)")
		at=$((at + size))
	done
	[ "${#want[@]}" -eq 6 ]
	[ "$(echo $output)" = "${want[*]}" ]
}

@test "--pipe-part: what cannot be cut by offsets is refused before any job" {
	run --separate-stderr "$PMAPF" --pipe-part -a <(seq 3) sh -c 'echo ran'
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[[ "$stderr" == *"--pipe-part: /dev/fd/"*" is not a regular file or a block device"* ]]
	run --separate-stderr "$PMAPF" --pipe-part sh -c 'echo ran' < <(seq 3)
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --pipe-part: standard input is not a regular file or a block device, so it cannot be cut by offsets (--pipe reads it as a stream)" ]
	run --separate-stderr "$PMAPF" --pipe-part -a "$T/missing" sh -c 'echo ran'
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --pipe-part: cannot open $T/missing: No such file or directory" ]
	run --separate-stderr "$PMAPF" --pipe-part -a "$T" sh -c 'echo ran'
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"$T is not a regular file"* ]]
	[ -z "$output" ]
}

@test "--pipe-part: option errors name the option and run nothing" {
	seq 10 > "$T/in"
	refused --pipe-part -N2 -a "$T/in" cat
	[[ "${stderr_lines[0]}" == *"--pipe-part cannot be used with -N"* ]]
	refused --pipe-part -L2 -a "$T/in" cat
	[[ "${stderr_lines[0]}" == *"--pipe-part cannot be used with -L/--max-lines"* ]]
	refused --pipe-part cat ::: a b
	[[ "${stderr_lines[0]}" == *"--pipe-part cuts files (-a, ::::), not ::: values"* ]]
	refused --pipe-part --block -0 -a "$T/in" cat
	[[ "${stderr_lines[0]}" == *"--block: invalid value '0'"* ]]
	refused --pipe --block -2 cat
	[[ "${stderr_lines[0]}" == *"--block: a negative size (blocks per job slot) needs --pipe-part"* ]]
	refused --pipe-part --workers -a "$T/in" cat
	[[ "${stderr_lines[0]}" == *"--pipe-part cannot be used with --workers"* ]]
	# --pipepart is the same option.
	run --separate-stderr "$PMAPF" --pipepart --block 10 -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "6 4" ]
}

@test "--pipe-part: SIGTERM mid-run ends the jobs and pmapf (143)" {
	seq 1000000 > "$T/in"
	"$PMAPF" -j2 --pipe-part --block 100k -a "$T/in" sh -c 'sleep 60; wc -l' > "$T/out" 2> "$T/err" &
	term_ends_all $! 2
	[ ! -s "$T/out" ]
}

@test "--pipe-part --progress: bytes of the files, and blocks" {
	seq 100000 > "$T/in"
	run --separate-stderr "$PMAPF" --pipe-part --block 100k --progress=json --progress-interval 0.1 -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	local last
	last=$(printf '%s\n' "$stderr" | tail -n 1)
	[[ "$last" == *"\"bytes\":588895"* ]]
	[[ "$last" == *"\"bytes_total\":588895"* ]]
	[[ "$last" == *"\"done\":6"* ]]
}

@test "--pipe-part: a FIFO is refused at once; many files, few descriptors" {
	mkfifo "$T/fifo"
	run --separate-stderr timeout 20 "$PMAPF" --pipe-part -a "$T/fifo" cat
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"$T/fifo is not a regular file or a block device"* ]]
	# 300 files under a limit of 64 descriptors: opened a few at a time.
	seq 1000 > "$T/in"
	local args=() i
	for ((i = 0; i < 300; i++)); do args+=(-a "$T/in"); done
	run --separate-stderr bash -c 'ulimit -n 64; exec "$0" -j4 --pipe-part --block 1k "$@" cat' "$PMAPF" "${args[@]}"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | wc -l)" -eq 300000 ]
}

@test "--pipe-part: ten blocks a job slot by default; progress counts each once" {
	seq 100000 > "$T/in"
	run --separate-stderr "$PMAPF" -j3 --pipe-part -a "$T/in" wc -l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 30 ]
	# A retried block and a job that reads little: the bytes taken
	# end at the total, neither past it nor short of it.
	run --separate-stderr "$PMAPF" --retries 2 --progress=json --pipe-part -a "$T/in" --block 100k \
		sh -c '[ {#} = 2 ] && mkdir "$0" 2> /dev/null && { cat > /dev/null; exit 1; }; head -c 1 > /dev/null' "$T/once"
	[ "$status" -eq 0 ]
	local last
	last=$(printf '%s\n' "$stderr" | tail -n 1)
	[[ "$last" == *'"bytes":588895,"bytes_total":588895'* ]]
}
