#!/usr/bin/env bats
# --timeline: a run drawn as an SVG; --from-joblog: a joblog drawn.
load helpers

need_xmllint() {
	command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) not installed"
}

# The tooltips (<title>) of the bars, one per line, newlines inside kept
# as spaces.
titles() {
	tr '\n' ' ' < "$1" | grep -oE '<title>[^<]*</title>' | sed -E 's/<\/?title>//g'
}

@test "--timeline: one bar per try in its slot's row, coloured by outcome, a valid SVG" {
	need_xmllint
	# Record 3 fails twice (retried once, then failed); the rest succeed.
	run --separate-stderr bash -c "seq 6 | '$PMAPF' -j2 --retries 2 --timeline '$T/t.svg' -s '[ {} -ne 3 ] || exit 4; echo {}'"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '1\n2\n4\n5\n6')" ]
	xmllint --noout "$T/t.svg"
	# Six jobs and one retried try: seven bars, each with its record.
	[ "$(titles "$T/t.svg" | grep -cE '^#[0-9]+ ')" -eq 7 ]
	[ "$(titles "$T/t.svg" | grep -cE '^#3 "3"')" -eq 2 ]
	for n in 1 2 4 5 6; do titles "$T/t.svg" | grep -qE "^#$n \"$n\""; done
	grep -q '>6 jobs: 5 ok, 1 failed, 1 retried try, wall ' "$T/t.svg"
	grep -q '>ok 5<' "$T/t.svg"
	grep -q '>failed 1<' "$T/t.svg"
	grep -q '>retried 1<' "$T/t.svg"
	# -j2: rows for slots 1 and 2, no third.
	grep -q '>slot 1<' "$T/t.svg"
	grep -q '>slot 2<' "$T/t.svg"
	! grep -q '>slot 3<' "$T/t.svg"
	[ "$(ls -A "$T")" = "t.svg" ]
}

@test "--timeline: the built-in and --workers are drawn too, one row per worker" {
	need_xmllint
	seq 4 | "$PMAPF" -j2 --time-scale 0.05 --timeline "$T/b.svg" > /dev/null
	xmllint --noout "$T/b.svg"
	[ "$(titles "$T/b.svg" | grep -cE '^#[1-4] ')" -eq 4 ]
	grep -q '>pmapf (the built-in slow_add_one)<' "$T/b.svg"
	seq 5 | "$PMAPF" -j2 --workers --timeline "$T/w.svg" cat > /dev/null
	xmllint --noout "$T/w.svg"
	[ "$(titles "$T/w.svg" | grep -cE '^#[1-5] ')" -eq 5 ]
}

@test "--timeline renders to a PNG (rsvg-convert)" {
	command -v rsvg-convert >/dev/null || skip "rsvg-convert (librsvg2-bin) not installed"
	seq 10 | "$PMAPF" -j3 --timeline "$T/t.svg" -s 'exit $(( {} % 4 == 0 ))' > /dev/null || true
	rsvg-convert -o "$T/t.png" "$T/t.svg"
	[ "$(head -c 8 "$T/t.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
	[ "$(stat -c %s "$T/t.png")" -gt 1000 ]
}

@test "--timeline: any record bytes are escaped; the SVG stays valid" {
	need_xmllint
	printf '<a&b>"q'"'"'\n\001ctl\n\377\303\n' | "$PMAPF" -j1 --timeline "$T/t.svg" true
	xmllint --noout "$T/t.svg"
	grep -q '&lt;a&amp;b&gt;&quot;q&#39;\|&lt;a&amp;b&gt;&quot;q&apos;' "$T/t.svg"
	grep -q 'x01ctl' "$T/t.svg"
	! LC_ALL=C grep -q $'[\001\377]' "$T/t.svg"
}

@test "--timeline: 100,000 jobs give a picture of bounded size" {
	need_xmllint
	seq 100000 | "$PMAPF" -j2 --time-scale 0 --timeline "$T/t.svg" > /dev/null
	xmllint --noout "$T/t.svg"
	[ "$(stat -c %s "$T/t.svg")" -lt 1000000 ]
	grep -q '>100000 jobs: 100000 ok, wall ' "$T/t.svg"
}

@test "--timeline into a path that cannot be written fails before any job starts" {
	run --separate-stderr bash -c "echo x | '$PMAPF' --timeline '$T/no/such/dir/t.svg' touch '$T/ran'"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: --timeline: cannot write $T/no/such/dir/t.svg: No such file or directory" ]
	[ ! -e "$T/ran" ]
}

@test "--timeline: a directory, or the joblog itself, is refused before any job starts" {
	mkdir "$T/d"
	run --separate-stderr bash -c "echo x | '$PMAPF' --timeline '$T/d' touch '$T/ran'"
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --timeline: cannot write $T/d: Is a directory" ]
	[ ! -e "$T/ran" ]
	printf 'keep\n' > "$T/log"
	run --separate-stderr bash -c "echo x | '$PMAPF' --joblog '$T/log' --timeline '$T/./log' touch '$T/ran'"
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --timeline: $T/./log is $T/log: it would be replaced" ]
	[ ! -e "$T/ran" ]
	[ "$(cat "$T/log")" = keep ]
	refused --timeline "$T/log" --joblog "$T/log" true
	[ "${stderr_lines[0]}" = "pmapf: --timeline $T/log is the joblog: it would be replaced" ]
}

@test "--timeline: a file that was there is left alone until the run ends; one it created and never wrote is removed" {
	printf 'old\n' > "$T/t.svg"
	# The joblog cannot be opened: the run fails after the picture's
	# file was opened, before any job.
	run --separate-stderr bash -c "echo x | '$PMAPF' --joblog '$T/no/log' --timeline '$T/t.svg' true"
	[ "$status" -eq 255 ]
	[ "$(cat "$T/t.svg")" = old ]
	run --separate-stderr bash -c "echo x | '$PMAPF' --joblog '$T/no/log' --timeline '$T/new.svg' true"
	[ "$status" -eq 255 ]
	[ ! -e "$T/new.svg" ]
	# A symlink is written through, as by a shell's >.
	ln -s t.svg "$T/link.svg"
	echo x | "$PMAPF" --timeline "$T/link.svg" true
	[ -L "$T/link.svg" ]
	grep -q '>1 job: 1 ok, wall ' "$T/t.svg"
}

@test "--timeline: an interrupted run is still drawn, its stopped jobs as killed" {
	need_xmllint
	seq 3 > "$T/in"
	env --default-signal=INT "$PMAPF" -j3 --timeline "$T/t.svg" sleep 30 < "$T/in" > /dev/null 2>&1 &
	local pid=$! st=0
	wait_until 10 has_descendants "$pid" 3
	kill -INT "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 130 ]
	xmllint --noout "$T/t.svg"
	grep -q '>killed 3<' "$T/t.svg"
}

@test "--from-joblog draws a joblog (pmapf's or GNU parallel's), its rows packed by time" {
	need_xmllint
	# Three jobs at once, then one after: three rows.
	{
		printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n'
		printf '1\t:\t1700000000.000\t2.000\t0\t2\t0\t0\techo a\n'
		printf '2\t:\t1700000000.100\t1.000\t0\t2\t1\t0\techo\tb\n'
		printf '3\t:\t1700000000.200\t1.000\t0\t0\t-1\t15\tsleep 9\n'
		printf '4\t:\t1700000002.500\t0.500\t0\t0\t0\t0\techo d\n'
	} > "$T/log"
	run --separate-stderr "$PMAPF" --timeline "$T/t.svg" --from-joblog "$T/log"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	xmllint --noout "$T/t.svg"
	[ "$(titles "$T/t.svg" | grep -cE '^#[1-4] ')" -eq 4 ]
	grep -q '>4 jobs: 2 ok, 1 failed, 1 timed out, wall ' "$T/t.svg"
	grep -q '>timed out 1<' "$T/t.svg"
	grep -q '>row 3<' "$T/t.svg"
	! grep -q '>row 4<' "$T/t.svg"
	if command -v parallel >/dev/null; then
		parallel --will-cite -j2 --joblog "$T/gnu.log" 'sleep 0.1; exit {}' ::: 0 0 1 > /dev/null || true
		run "$PMAPF" --timeline "$T/g.svg" --from-joblog "$T/gnu.log"
		[ "$status" -eq 0 ]
		grep -q '>3 jobs: 2 ok, 1 failed, wall ' "$T/g.svg"
	fi
}

@test "--from-joblog: a line that is not a row is named; nothing is written" {
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n1\t:\t1700000000.000\t1.000\t0\t0\t0\t0\ta\nnot a row\n' > "$T/log"
	run --separate-stderr "$PMAPF" --timeline "$T/t.svg" --from-joblog "$T/log"
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --from-joblog: $T/log line 3 is not a joblog row" ]
	[ ! -e "$T/t.svg" ]
	[ "$(ls -A "$T")" = "log" ]
	run --separate-stderr "$PMAPF" --timeline "$T/t.svg" --from-joblog "$T/missing"
	[ "$status" -eq 255 ]
	[ "$stderr" = "pmapf: --from-joblog: cannot read $T/missing: No such file or directory" ]
}

@test "--from-joblog with --timeline - writes the picture to standard output" {
	need_xmllint
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n1\t:\t1700000000.000\t1.000\t0\t0\t0\t0\ta\n' > "$T/log"
	run --separate-stderr bash -c "'$PMAPF' --timeline - --from-joblog - < '$T/log' > '$T/out.svg'"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	xmllint --noout "$T/out.svg"
	grep -q '>1 job: 1 ok, wall ' "$T/out.svg"
	[ ! -e ./- ]
}

@test "--timeline and --from-joblog: usage errors" {
	refused --from-joblog log
	[ "${stderr_lines[0]}" = "pmapf: --from-joblog needs --timeline FILE to draw into" ]
	refused --timeline t.svg --from-joblog log echo
	[ "${stderr_lines[0]}" = "pmapf: --from-joblog draws a joblog and runs nothing: no COMMAND" ]
	refused --timeline t.svg --dry-run echo
	[ "${stderr_lines[0]}" = "pmapf: --timeline draws jobs that ran; --dry-run runs none" ]
	refused --timeline ''
	[ "${stderr_lines[0]}" = "pmapf: --timeline: a file name is needed" ]
	refused --timeline - true
	[ "${stderr_lines[0]}" = "pmapf: --timeline -: standard output is the jobs' output; name a file (- is for --from-joblog)" ]
	refused --timeline t.svg --from-joblog log --joblog other
	[ "${stderr_lines[0]}" = "pmapf: --from-joblog runs nothing: no --joblog" ]
}
