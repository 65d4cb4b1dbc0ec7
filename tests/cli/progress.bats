#!/usr/bin/env bats
# Progress: what a person sees on a terminal, and what logs get.
load helpers

# An interactive shell on a real terminal (tmux), in $LANG given.
term_shell() {
	tmux_start "${2:-100}" env T="$T" TERM="${3:-xterm}" LANG="$1" LC_ALL= \
		PS1='$ ' bash --norc --noprofile -i
	wait_for_screen '^\$'
}

@test "auto: stderr to a file gets no progress bytes" {
	seq 5 | "$PMAPF" -j2 --time-scale 0.1 > "$T/out" 2> "$T/err"
	[ ! -s "$T/err" ]
	[ "$(wc -l < "$T/out")" -eq 5 ]
}

@test "auto: errors still reach stderr, and nothing else does" {
	printf '1\nx\n' | "$PMAPF" --time-scale 0 > /dev/null 2> "$T/err" || st=$?
	[ "${st:-0}" -eq 1 ]
	[ "$(cat "$T/err")" = 'pmapf: record 2 "x": not a number' ]
}

@test "ordered bar on a terminal counts completions before output can flow" {
	term_shell C.UTF-8
	tmux_keys "seq 5 -1 1 | '$PMAPF' -j5 > '$T/out'; echo EXIT=\$?" Enter
	# Job #5 (x=1) ends first, at 0.33 s: 1/5 shows although the
	# output of #1 (x=5) cannot be written before 1.67 s.
	# (One screen: under load the next job may end before a second look.)
	wait_for_screen '1/5 \[' 3
	[ ! -s "$T/out" ]
	grep -q 'emitted=0' <<< "$SCREEN"
	grep -q ' 20%|' <<< "$SCREEN"
	wait_for_screen 'EXIT=0' 10
	# The final frame stays, ended by a newline: EXIT is on the next line.
	tmux_screen | grep -B1 '^EXIT=0' | head -1 | grep -q '^100%|█*| 5/5 \[00:01<00:00, [0-9.]* jobs/s\]$'
	[ "$(cat "$T/out")" = "$(printf '6\n5\n4\n3\n2')" ]
}

@test "unordered bar on a terminal, ASCII in a non-UTF-8 locale" {
	term_shell C
	tmux_keys "seq 5 -1 1 | '$PMAPF' -j5 -u > '$T/out'; echo EXIT=\$?" Enter
	wait_for_screen '2/5 \[' 3
	! tmux_screen | grep -q 'emitted=' || false
	wait_for_screen 'EXIT=0' 10
	tmux_screen | grep -q '^100%|#*| 5/5 \['
}

@test "job stderr on the terminal is not garbled by the bar" {
	term_shell C.UTF-8
	tmux_keys "seq 6 | '$PMAPF' -j2 sh -c 'sleep 0.3; echo \"message \$0\" >&2' > /dev/null; echo EXIT=\$?" Enter
	wait_for_screen 'EXIT=0' 10
	for i in 1 2 3 4 5 6; do
		tmux_screen | grep -qx "message $i"
	done
	# Only the final frame is left: no frame shares a line with text.
	[ "$(tmux_screen | grep -c 'jobs/s')" -eq 1 ]
}

@test "a narrow terminal: the bar fits in 20 columns without wrapping" {
	term_shell C.UTF-8 20
	tmux_keys "seq 3 | '$PMAPF' -j3 --time-scale 0.5 > /dev/null" Enter
	wait_for_screen '3/3' 10
	# One screen line holds the whole final frame; nothing wrapped.
	[ "$(tmux_screen | grep -c '^100% 3/3 \[00:0')" -eq 1 ]
}

@test "TERM=dumb: auto shows no bar even on a terminal" {
	term_shell C.UTF-8 100 dumb
	tmux_keys "seq 3 | '$PMAPF' -j3 --time-scale 0.3; echo EXIT=\$?" Enter
	wait_for_screen 'EXIT=0' 10
	! tmux_screen | grep -q 'jobs/s' || false
}

@test "interrupting a run clears the bar; the shell sees SIGINT" {
	term_shell C.UTF-8
	tmux_keys "seq 4 | '$PMAPF' -j2 sleep" Enter
	wait_for_screen '1/4 \[' 5
	tmux_keys C-c
	# The shell's prompt is back on a line of its own.
	wait_for_screen '^\$ *$' 5
	tmux_keys "echo EXIT=\$?" Enter
	wait_for_screen 'EXIT=130' 5
	! tmux_screen | grep -q 'jobs/s' || false
}

@test "--bar to a file: frames advance, final frame ends with a newline" {
	seq 5 -1 1 | "$PMAPF" -j5 --bar > /dev/null 2> "$T/err"
	tr '\r' '\n' < "$T/err" | sed 's/\x1b\[K$//' | grep . > "$T/frames"
	for n in 1 2 3 4 5; do grep -q " $n/5 \[" "$T/frames"; done
	# Counts only go up.
	grep -o ' [0-9]/5 ' "$T/frames" | tr -d ' ' | cut -d/ -f1 | sort -c -n
	[ "$(tail -c 1 "$T/err" | od -An -c | tr -d ' ')" = '\n' ]
	tail -n 1 "$T/frames" | grep -q '^100%|.*| 5/5 \[00:01<00:00,'
}

@test "--bar shows which job holds ordered output back, and its age" {
	printf '%s\n' 7 0 0 0 | "$PMAPF" -j4 --bar > /dev/null 2> "$T/err"
	tr '\r' '\n' < "$T/err" | grep -q 'waiting for #1 [12]s'
}

@test "--bar: the held job's age stays its own with 50,000 jobs started behind it" {
	# #1 runs 5 s; those behind start after 2 s, so one that took #1's
	# place in the start times would show an age 2 s short.
	{ echo 15; sleep 2; awk 'BEGIN { for (i = 0; i < 50000; i++) print 0 }'; } |
		"$PMAPF" -j2 --bar > "$T/out" 2> "$T/err"
	[ "$(wc -l < "$T/out")" -eq 50001 ]
	tr '\r' '\n' < "$T/err" | grep 'waiting for #1 ' | tail -1 | grep -q 'for #1 [45]s'
}

@test "--total gives percent and ETA before input ends" {
	{ echo 1; echo 1; sleep 1; echo 1; } |
		"$PMAPF" -j3 --time-scale 0.3 --bar --total 3 > /dev/null 2> "$T/err"
	tr '\r' '\n' < "$T/err" | grep -q '^ 66%|.*| 2/3 \['
}

@test "plain: one parsable line per interval and a final line" {
	seq 6 | "$PMAPF" -j2 --time-scale 0.3 --progress=plain \
		--progress-interval 0.2 > /dev/null 2> "$T/err"
	[ "$(wc -l < "$T/err")" -ge 3 ]
	re='^pmapf: [0-9]+/([0-9]+ [0-9]+%|\?) running=[0-9]+ failed=[0-9]+ emitted=[0-9]+( waiting=#[0-9]+(,[0-9]+s)?)? rate=([0-9.]+/s|\?) elapsed=[0-9:]+ eta=([0-9:]+|\?)$'
	while IFS= read -r line; do
		[[ "$line" =~ $re ]] || { echo "bad line: $line"; false; }
	done < "$T/err"
	tail -n 1 "$T/err" | grep -q '^pmapf: 6/6 100% running=0 failed=0 emitted=6 '
}

@test "json: one object per line with every field" {
	seq 4 | "$PMAPF" -j2 -u --time-scale 0.3 --progress=json \
		--progress-interval 0.2 > /dev/null 2> "$T/err"
	[ "$(wc -l < "$T/err")" -ge 3 ]
	re='^\{"done":[0-9]+,"emitted":[0-9]+,"running":[0-9]+,"failed":[0-9]+,"read":[0-9]+,"total":([0-9]+|null),"eof":(true|false),"elapsed":[0-9.]+,"rate":([0-9.]+|null),"eta":([0-9.]+|null),"final":(true|false)\}$'
	while IFS= read -r line; do
		[[ "$line" =~ $re ]] || { echo "bad line: $line"; false; }
	done < "$T/err"
	tail -n 1 "$T/err" | grep -q '^{"done":4,"emitted":4,"running":0,"failed":0,"read":4,"total":4,"eof":true,.*"final":true}$'
}

@test "--progress-fd: progress on its own descriptor, job stderr on stderr" {
	seq 3 | "$PMAPF" -j3 --progress=plain --progress-fd 3 \
		sh -c 'echo "err $0" >&2' > /dev/null 2> "$T/err" 3> "$T/prog"
	grep -q '^pmapf: 3/3 100% ' "$T/prog"
	[ "$(sort "$T/err")" = "$(printf 'err 1\nerr 2\nerr 3')" ]
}

@test "--progress-fd must be open; bad modes are refused" {
	refused --progress-fd 9 echo
	[ "${stderr_lines[0]}" = "pmapf: --progress-fd: descriptor 9 is not open" ]
	refused --progress=fancy echo
	[[ "${stderr_lines[0]}" == "pmapf: --progress: invalid value 'fancy'"* ]]
	refused --progress-interval 0 echo
	refused --total -3 echo
}

@test "SIGUSR1 prints one plain status line, even with progress off" {
	printf '%s\n' 2 2 | "$PMAPF" -j2 --progress=none \
		sh -c 'echo >> "$0"; sleep "$1"' "$T/started" > /dev/null 2> "$T/err" &
	pid=$!
	wait_until 5 has_lines "$T/started" 2
	kill -USR1 "$pid"
	wait "$pid"
	[ "$(wc -l < "$T/err")" -eq 1 ]
	grep -q '^pmapf: 0/2 0% running=2 failed=0 emitted=0 ' "$T/err"
}

@test "job stdout on the same terminal is not garbled by the bar" {
	term_shell C.UTF-8
	tmux_keys "seq 6 | '$PMAPF' -j2 sh -c 'sleep 0.3; echo \"out \$0\"'; echo EXIT=\$?" Enter
	wait_for_screen 'EXIT=0' 10
	for i in 1 2 3 4 5 6; do
		tmux_screen | grep -qx "out $i"
	done
	[ "$(tmux_screen | grep -c 'jobs/s')" -eq 1 ]
}

@test "a resized terminal gets a bar of the new width (SIGWINCH)" {
	# ASCII bar, so the length in bytes is the width in columns.
	term_shell C 100
	tmux_keys "seq 3 | '$PMAPF' -j1 --time-scale 1.5 > /dev/null" Enter
	wait_for_screen '1/3 \[' 5
	tmux -S "$TMUX_SOCK" resize-window -t t -x 60 -y 24
	wait_for_screen '3/3 \[' 10
	# The final frame was fitted to 60 columns: 57 at most.
	line=$(tmux_screen | grep '3/3 \[')
	[ "${#line}" -le 57 ]
	[ "${#line}" -ge 50 ]
}
