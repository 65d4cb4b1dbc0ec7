#!/usr/bin/env bats
# --workers: long-lived worker programs, one line in, one line out.
load helpers

# A worker that answers each line at once: the shell reads its input a
# byte at a time from a pipe, so it never reads ahead.
double_worker() {
	cat > "$T/double" <<'SH'
#!/bin/sh
while IFS= read -r l; do echo "$((l * 2))"; done
SH
	chmod +x "$T/double"
}

@test "--workers: ordered output, the same as running each record" {
	double_worker
	seq 2000 | "$PMAPF" -j3 --workers "$T/double" > "$T/out"
	seq 2000 | awk '{ print $1 * 2 }' | cmp - "$T/out"
}

@test "--workers -u: every answer once" {
	double_worker
	seq 2000 | "$PMAPF" -u -j3 --workers "$T/double" > "$T/out"
	sort -n "$T/out" | cmp - <(seq 2000 | awk '{ print $1 * 2 }')
}

@test "--workers starts N long-lived processes, not one per record" {
	cat > "$T/w" <<'SH'
#!/bin/sh
echo $$ >> "$0.pids"
while IFS= read -r l; do echo "$l"; done
SH
	chmod +x "$T/w"
	seq 500 | "$PMAPF" -j2 --workers "$T/w" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 500 ]
	[ "$(sort -u "$T/w.pids" | wc -l)" -le 2 ]
}

@test "--workers: a worker that reads ahead still answers once input ends" {
	# mawk fills its input buffer before it answers.
	command -v mawk >/dev/null || skip "mawk not installed"
	run bash -c "seq 10 | '$PMAPF' -j2 --workers mawk '{ print \$1 * 2 }'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 10 | awk '{ print $1 * 2 }')" ]
}

# Feeds seq 1..$1, then keeps pmapf's input open until $2 holds half as
# many lines (up to 60 s), and says in $2.early that they came before the
# end of input.  (The last records are answered only at the end: a
# program that reads ahead cannot answer less than its buffer.)
open_until_answered() {
	seq "$1"
	wait_until 60 has_lines "$2" "$(($1 / 2))" && touch "$2.early"
}

@test "--workers: a worker that reads ahead answers before input ends" {
	# mawk fills a 4 KiB buffer before it answers; it is drawn out.
	command -v mawk >/dev/null || skip "mawk not installed"
	open_until_answered 20000 "$T/out" |
		timeout 120 "$PMAPF" -j2 --workers mawk '{ print $1 * 2; fflush() }' > "$T/out"
	seq 20000 | awk '{ print $1 * 2 }' | cmp - "$T/out"
	[ -e "$T/out.early" ]
}

@test "--workers: a worker that holds its answers in an output buffer answers before input ends" {
	open_until_answered 20000 "$T/out" |
		timeout 120 "$PMAPF" -u -j2 --workers perl -ne 'print $_ * 2, "\n"' > "$T/out"
	sort -n "$T/out" | cmp - <(seq 20000 | awk '{ print $1 * 2 }')
	[ -e "$T/out.early" ]
}

@test "--workers: a worker that reads ahead, its records coming slowly, answers before input ends" {
	# Records of 500 bytes, a few a second: each extra record reaches
	# mawk late, which must not count it as busy.
	command -v mawk >/dev/null || skip "mawk not installed"
	{
		for i in $(seq 12); do printf '%d %0500d\n' "$i" 0; sleep 0.3; done
		wait_until 60 has_lines "$T/out" 1 && touch "$T/out.early"
	} | timeout 120 "$PMAPF" -j1 --workers mawk '{ print $1; fflush() }' > "$T/out"
	seq 12 | cmp - "$T/out"
	[ -e "$T/out.early" ]
}

@test "--workers: input pausing, a reading-ahead worker holding a single record answers once another worker showed the program reads ahead" {
	# Five records over two mawk workers, then a pause: one worker may
	# hold a single record.  The other, drawn out, answered only at
	# EOF, so this one is no slow worker: its input is ended too.
	command -v mawk >/dev/null || skip "mawk not installed"
	{
		seq 5
		wait_until 60 has_lines "$T/out" 5 && touch "$T/out.early"
		seq 6 10
	} | timeout 120 "$PMAPF" -j2 --workers mawk '{ print $1 * 2 }' > "$T/out"
	seq 10 | awk '{ print $1 * 2 }' | cmp - "$T/out"
	[ -e "$T/out.early" ]
}

@test "--workers: once a worker answers one by one, a slow worker is not given more" {
	# Record 1 is answered at once, alone: no worker is drawn out later,
	# so the short records all go to the worker that is free, not behind
	# the 3 s one.
	run --separate-stderr bash -c "printf '0\n3\n0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n' | '$PMAPF' -j2 --tagstring '{%}' --workers sh -c 'while read x; do sleep \$x; echo \$x; done'"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	slow=$(printf '%s\n' "$output" | awk '$2 == 3 { print $1 }')
	[ "$(printf '%s\n' "$output" | awk -v s="$slow" '$1 == s' | wc -l)" -eq 1 ]
	[ "${#lines[@]}" -eq 8 ]
}

@test "--workers: a slow worker, its records coming one by one, keeps running (its input is not ended)" {
	# Each record takes longer than the 2 s after which a drawn-out
	# worker with nothing more to take has its input ended; one that
	# holds a single record may just be slow, and keeps it.
	{
		echo 1
		wait_until 60 has_lines "$T/out" 1
		echo 2
		wait_until 60 has_lines "$T/out" 2
	} | timeout 120 "$PMAPF" -j1 --workers sh -c \
		'echo started >&2; while read x; do sleep 2.3; echo "$x"; done' \
		> "$T/out" 2> "$T/err"
	printf '1\n2\n' | cmp - "$T/out"
	[ "$(grep -c started "$T/err")" -eq 1 ]
}

@test "--workers: one answer that fills a worker's output buffer exactly does not stop drawing out" {
	# perl's first answer is 16384 bytes, so it arrives whole while the
	# worker holds only its record; the rest wait in perl's buffer.
	{
		seq 5
		wait_until 60 has_lines "$T/out" 5 && touch "$T/out.early"
	} | timeout 120 "$PMAPF" -j1 -u --workers perl -ne \
		'print $. == 1 ? "x" x 16383 : $_ * 2, "\n"' > "$T/out"
	[ -e "$T/out.early" ]
	sed 1d "$T/out" | cmp - <(seq 2 5 | awk '{ print $1 * 2 }')
}

@test "--workers: a worker that answers only at the end of its input gets its input ended, and another takes the next records" {
	# sort answers at EOF only: drawn out to 64 KiB of records, it still
	# says nothing, so its input is ended; a new sort takes the next
	# records (sorted input: each answers in order).  This one lingers
	# after its answers, holding the only slot: pmapf stops it.
	cat > "$T/w" <<'SH'
#!/bin/sh
echo $$ >> "$0.pids"
sort -n
exec sleep 100
SH
	chmod +x "$T/w"
	open_until_answered 40000 "$T/out" |
		timeout 120 "$PMAPF" -j1 --workers "$T/w" > "$T/out" 2> "$T/err"
	seq 40000 | cmp - "$T/out"
	[ -e "$T/out.early" ]
	[ "$(sort -u "$T/w.pids" | wc -l)" -ge 2 ]
	[ ! -s "$T/err" ]
}

@test "--workers: a buffered worker whose answers are much shorter than its records: its replacements start where it ended" {
	# 1000-byte records, 4-byte answers: 64 KiB of records make fewer
	# answers than fill mawk's 4 KiB of output, so the first worker is
	# drawn out to its cap, its input ended, and it answers at EOF.  The
	# next ones start with what it held, and may be drawn out further,
	# until they answer as they go; each must not start from one record
	# again (about 30 workers for these 2000 records).
	cat > "$T/w" <<'SH'
#!/bin/sh
echo $$ >> "$0.pids"
exec mawk '{ print length($0) }'
SH
	chmod +x "$T/w"
	awk 'BEGIN { for (i = 1; i <= 2000; i++) { s = i "-"; while (length(s) < 999) s = s "y"; print s } }' > "$T/in"
	run --separate-stderr timeout 120 "$PMAPF" -j2 --workers "$T/w" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(mawk '{ print length($0) }' "$T/in")" ]
	[ -z "$stderr" ]
	[ "$(sort -u "$T/w.pids" | wc -l)" -le 8 ]
}

@test "--workers: a worker that exits after two records is replaced: every record is answered, none fails" {
	# It answers two records, then exits 3 on its third, whatever it
	# is: no record is why.  A record fails only when it ends a worker
	# that was given it alone.
	cat > "$T/w" <<'SH'
#!/bin/sh
n=0
while IFS= read -r l; do
	n=$((n + 1))
	[ "$n" -eq 3 ] && exit 3
	echo "ok $l"
done
SH
	chmod +x "$T/w"
	run --separate-stderr timeout 60 bash -c "seq 40 | '$PMAPF' -j2 --workers '$T/w'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 40 | sed 's/^/ok /')" ]
	[ -z "$stderr" ]
}

# A worker that buffers its answers (perl, into a pipe: 8 KiB at a time)
# and dies on the records named in $BAD: killed outright, or by die
# (status 255, its buffer written at exit) for those named d<record>.
buffering_killer() {
	cat > "$T/killer" <<'PL'
#!/usr/bin/perl
my %bad = map { $_ => 1 } split /,/, $ENV{BAD};
while (<STDIN>) {
	chomp;
	kill 9, $$ if $bad{$_};
	die "bad $_\n" if $bad{"d$_"};
	print "q$_\n";
}
PL
	chmod +x "$T/killer"
}

# Usage: killed_alone J N BAD: the killer over 1..N at -jJ, dying on
# record BAD; that record alone fails, every other is answered, in order.
killed_alone() {
	run --separate-stderr timeout 60 bash -c "seq $2 | BAD=$3 '$PMAPF' -j$1 --workers '$T/killer'"
	[ "$status" -eq 1 ]
	[ "$output" = "$(seq "$2" | grep -vx "$3" | sed 's/^/q/')" ]
	[ "$stderr" = "pmapf: record $3 \"$3\": worker process killed by signal 9 (Killed)" ]
}

@test "--workers: a worker that buffers its answers dies on a record: that record alone fails, every other is answered" {
	buffering_killer
	# Killed at 500, it has answered none of the records it read: which
	# one killed it is found by running them again, not guessed.
	killed_alone 1 600 500
	killed_alone 2 600 500
	# Past 8 KiB of answers perl writes its buffer whole, ending inside
	# a line: killed after, it leaves a piece of an answer, no answer.
	killed_alone 1 5000 4000
}

@test "--workers --halt now, ordered: failures found out of order are named and logged; records never answered are not, and --resume runs them" {
	buffering_killer
	run --separate-stderr timeout 60 bash -c "seq 2000 | BAD=100,300,500,700,900 '$PMAPF' -j4 --halt now,fail=3 --joblog '$T/jl' --workers '$T/killer'"
	[ "$status" -eq 3 ]
	# The halt, and three failures (before or after it, as found and
	# written), each named once and logged.
	[ "$(grep -c '^pmapf: --halt: after record [0-9]* (status 137), terminating the running jobs$' <<<"$stderr")" -eq 1 ]
	named=$(sed -n 's/^pmapf: record \([0-9]*\) "[0-9]*": worker process killed by signal 9 (Killed)$/\1/p' <<<"$stderr")
	[ "$(wc -l <<<"$named")" -eq 3 ]
	[ "$(wc -l <<<"$stderr")" -eq 4 ]
	[ "$(awk -F '\t' 'NR > 1 && $8 == 9 { print $1 }' "$T/jl" | sort -n)" = "$named" ]
	# What was written is the answers of the rows logged with exit 0.
	[ "$output" = "$(awk -F '\t' 'NR > 1 && $7 == 0 && $8 == 0 { print "q" $1 }' "$T/jl" | sort -k1.2n)" ]
	# --resume runs exactly the records without a row.
	rows=$(($(wc -l < "$T/jl") - 1))
	[ "$rows" -lt 2000 ]
	run --separate-stderr timeout 60 bash -c "seq 2000 | BAD= '$PMAPF' -j4 --resume --joblog '$T/jl' --workers '$T/killer'"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq $((2000 - rows)) ]
	[ "$(($(wc -l < "$T/jl") - 1))" -eq 2000 ]
}

@test "--workers: a worker killed after writing part of an answer: the piece is no answer, the record fails" {
	# It answers line by line; on 4 it writes half a line and dies.
	run --separate-stderr timeout 60 bash -c "seq 6 | '$PMAPF' -j1 --workers -- perl -ne '\$|=1; chomp; if (\$_ == 4) { print qq(half-\$_); kill 9, \$\$ } print qq(q\$_\n)'"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'q%s\n' 1 2 3 5 6)" ]
	[ "$stderr" = 'pmapf: record 4 "4": worker process killed by signal 9 (Killed)' ]
}

@test "--workers: a buffering worker that dies on several records: exactly those fail, with its status, in the joblog too" {
	buffering_killer
	run --separate-stderr timeout 60 bash -c "seq 700 | BAD=100,d250,500,501 '$PMAPF' -j2 --joblog '$T/jl' --workers '$T/killer'"
	[ "$status" -eq 4 ]
	[ "$output" = "$(seq 700 | grep -vx -e 100 -e 250 -e 500 -e 501 | sed 's/^/q/')" ]
	# The program's own message for 250 may come once per run that
	# reached it; pmapf names each failed record once.
	[ "$(grep -v '^bad 250$' <<<"$stderr")" = "$(printf '%s\n' \
		'pmapf: record 100 "100": worker process killed by signal 9 (Killed)' \
		'pmapf: record 250 "250": worker process exited (status 255) without answering' \
		'pmapf: record 500 "500": worker process killed by signal 9 (Killed)' \
		'pmapf: record 501 "501": worker process killed by signal 9 (Killed)')" ]
	[[ "$stderr" == *"bad 250"* ]]
	# Joblog: Seq, Exitval, Signal of the failed rows; 700 rows.
	[ "$(awk -F '\t' 'NR > 1 && ($7 != 0 || $8 != 0) { print $1, $7, $8 }' "$T/jl" | sort -n)" = "$(printf '100 0 9\n250 255 0\n500 0 9\n501 0 9')" ]
	[ "$(($(wc -l < "$T/jl") - 1))" -eq 700 ]
}

@test "--workers: a worker killed from outside while idle is replaced; no record is lost" {
	double_worker
	{ seq 5; sleep 1; seq 6 10; } | "$PMAPF" -j1 --workers "$T/double" > "$T/out" 2> "$T/err" &
	pid=$!
	# Killed between records: the first five are answered, the rest
	# not yet read.
	wait_until 5 has_lines "$T/out" 5
	victim=$(descendants_of "$pid" | head -n 1)
	[ -n "$victim" ]
	kill -KILL "$victim"
	wait "$pid"
	[ "$(cat "$T/out")" = "$(seq 10 | awk '{ print $1 * 2 }')" ]
	[ ! -s "$T/err" ]
}

@test "--workers: a record a worker exited 0 without answering is logged failed (Exitval -1) and --resume-failed runs it" {
	# A worker exits 0 when given 3 or 6.
	cat > "$T/w" <<'SH'
#!/bin/sh
while IFS= read -r l; do
	[ "$l" -eq 3 ] || [ "$l" -eq 6 ] && exit 0
	echo "ok $l"
done
SH
	chmod +x "$T/w"
	run --separate-stderr bash -c "seq 7 | '$PMAPF' -j1 --joblog '$T/jl' --workers '$T/w'"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'ok 1\nok 2\nok 4\nok 5\nok 7')" ]
	[ "$stderr" = "$(printf 'pmapf: record 3 "3": worker process exited (status 0) without answering\npmapf: record 6 "6": worker process exited (status 0) without answering')" ]
	[ "$(awk -F '\t' 'NR > 1 { print $1, $7, $8 }' "$T/jl" | sort -n)" = "$(printf '1 0 0\n2 0 0\n3 -1 0\n4 0 0\n5 0 0\n6 -1 0\n7 0 0')" ]
	# Only the two failed records run again.
	double_worker
	run --separate-stderr bash -c "seq 7 | '$PMAPF' -j1 --joblog '$T/jl' --resume-failed --workers '$T/double'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '6\n12')" ]
	[ -z "$stderr" ]
}

# A worker that answers each record but 2: on 2 it closes its stdout,
# then runs the lines given.
closes_output_worker() {
	{
		printf '#!/bin/sh\nwhile IFS= read -r l; do\n[ "$l" = 2 ] && break\necho "ok $l"\ndone\nexec > /dev/null\n'
		printf '%s\n' "$@"
	} > "$T/w"
	chmod +x "$T/w"
}

@test "--workers: a worker that closes its output and then exits gets to exit on its own; its status is told" {
	# It cleans up a moment, exits 3: record 2 fails with its status,
	# every run the same (after a second worker, given 2 alone, did the
	# same), and records after it are answered by a new one.
	closes_output_worker 'sleep 0.3' 'echo clean >> "$1"' 'exit 3'
	run --separate-stderr timeout 60 bash -c "printf '1\n2\n3\n' | '$PMAPF' -j1 --workers '$T/w' '$T/cleaned'"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'ok 1\nok 3')" ]
	[ "$stderr" = 'pmapf: record 2 "2": worker process exited (status 3) without answering' ]
	# Each of the three workers cleaned up: the one 2 ended, the one
	# given 2 alone, the one that answered 3 (at the end of its input).
	[ "$(cat "$T/cleaned")" = "$(printf 'clean\nclean\nclean')" ]
}

@test "--workers: a worker that closes its output and lingers is stopped (SIGTERM), and the next records go to a new one" {
	closes_output_worker 'exec sleep 617'
	run --separate-stderr timeout 60 bash -c "printf '1\n2\n3\n' | '$PMAPF' -j1 --workers '$T/w'"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'ok 1\nok 3')" ]
	[ "$stderr" = 'pmapf: record 2 "2": worker process killed by signal 15 (Terminated)' ]
	run pgrep -fx 'sleep 617'
	[ "$status" -eq 1 ]
}

@test "--workers --halt: the run ends with the status of the worker that failed the record" {
	run --separate-stderr bash -c "seq 3 | '$PMAPF' -j1 --halt now,fail=1 --workers -- sh -c 'exit 3'"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "$(printf 'pmapf: record 1 "1": worker process exited (status 3) without answering\npmapf: --halt: after record 1 (status 3), terminating the running jobs')" ]
	run --separate-stderr bash -c "seq 3 | '$PMAPF' -j1 --halt now,fail=1 --workers -- sh -c 'kill -KILL \$\$'"
	[ "$status" -eq 137 ]
	[ "${stderr##*$'\n'}" = 'pmapf: --halt: after record 1 (status 137), terminating the running jobs' ]
}

@test "--workers: what a worker writes on stderr is passed on" {
	cat > "$T/w" <<'SH'
#!/bin/sh
while IFS= read -r l; do echo "note $l" >&2; echo "$l"; done
SH
	chmod +x "$T/w"
	seq 3 | "$PMAPF" -j1 --workers "$T/w" > "$T/out" 2> "$T/err"
	[ "$(cat "$T/out")" = "$(seq 3)" ]
	[ "$(cat "$T/err")" = "$(printf 'note 1\nnote 2\nnote 3')" ]
}

@test "--workers: a program that cannot run is pmapf's own error" {
	run --separate-stderr bash -c "seq 3 | '$PMAPF' --workers no-such-worker-pmapf"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: --workers: cannot run 'no-such-worker-pmapf': command not found" ]
}

@test "--workers without a command is a usage error" {
	refused --workers
	[ "${stderr_lines[0]}" = "pmapf: --workers needs a COMMAND to run as the worker" ]
}

@test "the built-in: fast tasks in batches, ordered and unordered, exact" {
	seq 200000 | "$PMAPF" -j2 --time-scale 0 > "$T/out"
	seq 2 200001 | cmp - "$T/out"
	seq 200000 | "$PMAPF" -u -j2 --time-scale 0 | sort -n | cmp - <(seq 2 200001)
}

@test "--workers: a worker that answers an extra line is named, replaced, and its records fail" {
	run --separate-stderr bash -c "seq 6 | '$PMAPF' -j1 --workers sh -c 'while read x; do echo \"a\$x\"; [ \$x = 6 ] && echo extra\$x; done'"
	[ "$status" -eq 6 ]
	[ "$output" = "$(printf 'a%s\n' 1 2 3 4 5 6)" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "${stderr_lines[0]}" = 'pmapf: a worker answered one line more than it was given records ("extra6", after record 6): the 6 records it answered (1, 2, 3, 4, 5, 6) may hold another'"'"'s answer and count as failed; it was replaced' ]
}

@test "--workers: an out-of-step worker's records fail, a fresh worker's do not" {
	# Record 2 gets two answers; the worker is replaced after record 2
	# at the latest, and records the fresh worker answers stay good.
	run --separate-stderr bash -c "seq 5 | '$PMAPF' -j1 --workers sh -c 'while read x; do echo \"a\$x\"; [ \$x = 2 ] && echo extra; done'"
	[[ "$status" -ge 1 && "$status" -le 5 ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" =~ the\ ([0-9])\ records?\ it\ answered\ \(([0-9, ]*)\)\ may ]]
	# The status counts exactly the records the message names.
	[ "$status" -eq "${BASH_REMATCH[1]}" ]
	[ "${BASH_REMATCH[2]}" = "$(seq -s ', ' 1 "$status")" ]
	[ "$(tail -n +$((status + 1)) <<< "$output")" = "$(seq $((status + 1)) 5 | sed 's/^/a/')" ]
}

@test "--workers: a last answer without a newline counts, as a line of its own" {
	run --separate-stderr bash -c "seq 3 | '$PMAPF' -j1 --workers sh -c 'while read x; do if [ \$x = 3 ]; then printf last; exit 0; fi; echo \"a\$x\"; done'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a1\na2\nlast')" ]
	[ -z "$stderr" ]
}

@test "--workers: {%} is the worker's slot, 1..N, in tags" {
	run --separate-stderr bash -c "seq 200 | '$PMAPF' -j3 --tagstring '{%}' --workers cat"
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<< "$output" | sort -u | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(cut -f2 <<< "$output")" = "$(seq 200)" ]
}

@test "--workers out of step: many records named, the first ten; they count at once (--halt, the bar)" {
	run --separate-stderr bash -c "seq 30 | '$PMAPF' -j1 --progress=plain --halt now,fail=1 --workers sh -c 'while read x; do echo \"a\$x\"; [ \$x = 30 ] && echo extra; done'"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = 'pmapf: a worker answered one line more than it was given records ("extra", after record 30): the 30 records it answered (1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ... 30) may hold another'"'"'s answer and count as failed; it was replaced' ]
	[ "${stderr_lines[1]}" = 'pmapf: --halt: after record 30 (status 1), terminating the running jobs' ]
	[[ "${stderr_lines[2]}" == *" failed=30 "* ]]
}
