#!/usr/bin/env bats
# --results and --files where GNU parallel has no answer to compare with
# (results-gnu.bats holds those that it has): values GNU loses, odd
# bytes, big output, failures, and how they mix with other options.

load helpers

@test "--results DIR: empty, . and .. values get directories of their own" {
	run --separate-stderr "$PMAPF" --results "$T/out" sh -c 'echo "[$1]"' sh ::: '' . .. a
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat "$T/out/1/\\e/stdout")" = "[]" ]
	[ "$(cat "$T/out/1/\\./stdout")" = "[.]" ]
	[ "$(cat "$T/out/1/\\.\\./stdout")" = "[..]" ]
	[ "$(cat "$T/out/1/a/stdout")" = "[a]" ]
	# Nothing outside the tree, nothing in its first level but 1.
	[ "$(ls -A "$T/out")" = 1 ]
	[ "$(ls -A "$T")" = out ]
}

@test "--results DIR: long values are cut to a name, and stay apart" {
	a=$(printf 'x%.0s' $(seq 300))
	run --separate-stderr "$PMAPF" --results "$T/out" echo ::: "${a}1" "${a}2" "$a/$a"
	[ "$status" -eq 0 ]
	[ "$(ls "$T/out/1" | wc -l)" -eq 3 ]
	for d in "$T"/out/1/*; do
		name=${d##*/}
		[ "${#name}" -le 255 ]
		[[ $name == *'\#'* ]]
	done
	got=$(cat "$T"/out/1/*/stdout | sort)
	want=$(printf '%s\n' "${a}1" "${a}2" "$a/$a" | sort)
	[ "$got" = "$want" ]
}

@test "--results DIR: odd bytes in values, a file per job, status kept" {
	run --separate-stderr "$PMAPF" --results "$T/out" sh -c 'printf "%s" "$1"; exit 3' sh ::: $'a\tb' 'c\d' $'\001' $'\xff'
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(cat "$T/out/1/a\\tb/stdout")" = $'a\tb' ]
	[ "$(cat "$T/out/1/c\\\\d/stdout")" = 'c\d' ]
	[ "$(cat "$T/out/1/"$'\001'"/stdout")" = $'\001' ]
	[ "$(cat "$T/out/1/"$'\xff'"/stdout")" = $'\xff' ]
}

@test "--results DIR: the built-in and --workers keep their output in files too" {
	run --separate-stderr bash -c "printf '1\n2\n' | '$PMAPF' --time-scale 0 --results '$T/b'"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat "$T/b/1/1/stdout")" = 2 ]
	[ "$(cat "$T/b/1/2/stdout")" = 3 ]
	run --separate-stderr bash -c "printf 'x\ny\n' | '$PMAPF' --workers --results '$T/w' sed -u s/^/w/"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat "$T/w/1/x/stdout")" = wx ]
	[ "$(cat "$T/w/1/y/seq")" = 2 ]
}

@test "--results with --retries: the files hold the last try" {
	cat > "$T/flaky" <<'SH'
#!/bin/sh
n=$(cat "$1.count" 2>/dev/null || echo 0)
echo $((n + 1)) > "$1.count"
echo "try $((n + 1))"
echo "err $((n + 1))" >&2
[ "$n" -ge 1 ]
SH
	chmod +x "$T/flaky"
	run --separate-stderr "$PMAPF" --retries 3 --results "$T/out" "$T/flaky" ::: "$T/a"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out/1/${T//\//\\_}\\_a/stdout")" = "try 2" ]
	[ "$(cat "$T/out/1/${T//\//\\_}\\_a/stderr")" = "err 2" ]
}

@test "--results: a path that cannot be made stops the run before any job" {
	touch "$T/file"
	run --separate-stderr "$PMAPF" --results "$T/file/out" touch "$T/ran" ::: a
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "pmapf: --results: cannot create '$T/file/out': Not a directory" ]]
	[ ! -e "$T/ran" ]
	run --separate-stderr "$PMAPF" --results "$T/no/such/r.csv" touch "$T/ran" ::: a
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "pmapf: --results: cannot open '$T/no/such/r.csv': No such file or directory" ]]
	[ ! -e "$T/ran" ]
}

@test "--results PATH: a job whose files fail is named, its output kept, the others written" {
	mkdir "$T/out"
	touch "$T/out/blocker"
	run --separate-stderr "$PMAPF" -j1 --results "$T/out/{}.txt" echo ::: a blocker/x c
	[ "$status" -eq 255 ]
	# Not lost: on stdout instead.
	[ "$output" = blocker/x ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "pmapf: record 2 \"blocker/x\": --results: cannot write \"$T/out/blocker/x.txt"*"Not a directory" ]]
	[ "$(cat "$T/out/a.txt")" = a ]
	[ "$(cat "$T/out/c.txt")" = c ]
	[ "$(cat "$T/out/c.txt.seq")" = 3 ]
}

@test "--results DIR: a stdout file that cannot be written whole leaves none, and keeps the output" {
	mkdir -p "$T/out/1/b/stdout"
	run --separate-stderr "$PMAPF" -j1 --results "$T/out" sh -c 'echo "out $1"; echo "err $1" >&2' sh ::: a b c
	[ "$status" -eq 255 ]
	[ "$output" = "out b" ]
	[ "${stderr_lines[0]}" = "pmapf: record 2 \"b\": --results: cannot write \"$T/out/1/b/stdout\": Is a directory" ]
	[ "$(cat "$T/out/1/a/stdout")" = "out a" ]
	[ "$(cat "$T/out/1/c/stdout")" = "out c" ]
	# Nothing half-written is left to pass for a finished job.
	[ -z "$(find "$T/out" -name '*.pmapf-tmp')" ]
	# --resume runs only that job again (its stdout is no file).
	rmdir "$T/out/1/b/stdout"
	run --separate-stderr "$PMAPF" --resume --results "$T/out" sh -c 'echo "again $1"' sh ::: a b c
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out/1/b/stdout")" = "again b" ]
	[ "$(cat "$T/out/1/a/stdout")" = "out a" ]
}

@test "--results NAME.csv: never the run's own input or joblog; {= =} refused" {
	printf 'a\nb\n' > "$T/in.csv"
	run --separate-stderr "$PMAPF" --results "$T/in.csv" echo :::: "$T/in.csv"
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "pmapf: --results: '$T/in.csv' is also read by this run (an input or the joblog): refused" ]
	[ "$(cat "$T/in.csv")" = "$(printf 'a\nb')" ]
	run --separate-stderr "$PMAPF" --results "$T/in.csv" echo < "$T/in.csv"
	[ "$status" -eq 255 ]
	[ "$(cat "$T/in.csv")" = "$(printf 'a\nb')" ]
	run --separate-stderr "$PMAPF" --joblog "$T/in.csv" --results "$T/in.csv" echo ::: x
	[ "$status" -eq 255 ]
	[ "$(cat "$T/in.csv")" = "$(printf 'a\nb')" ]
	run --separate-stderr "$PMAPF" --results "$T/q/{= \$_ =}" echo ::: a
	[ "$status" -eq 255 ]
	[ ! -e "$T/q" ]
}

@test "--results -.csv with -N2: the header names a full job's columns, a short job's row keeps them" {
	run --separate-stderr bash -c "seq 3 | '$PMAPF' -j3 -N2 --results -.csv sh -c 'sleep \$((\$# - 1)); echo \$#' sh"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == *,Command,V1,V2,Stdout,Stderr ]]
	[[ ${lines[3]} == *"sh 3\",3,,\"1" ]]
}

@test "--results NAME.json: every line is JSON, whatever the bytes, and gives them back" {
	command -v python3 >/dev/null || skip "python3 not installed"
	printf 'a\0b\xff\xc3\xa9\x01"\\\n' > "$T/bytes"
	run --separate-stderr "$PMAPF" --results "$T/r.json" sh -c 'printf "e\\377" >&2; cat "$1"' sh ::: "$T/bytes" "$T/none"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	cat > "$T/check.py" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 2, rows
raw = open(sys.argv[2], "rb").read()
back = rows[0]["Stdout"].encode("utf-8", "surrogateescape")
assert back == raw, (back, raw)
assert rows[0]["Stderr"].encode("utf-8", "surrogateescape") == b"e\xff", rows[0]["Stderr"]
assert rows[0]["Exitval"] == 0 and rows[1]["Exitval"] == 1, rows
assert rows[0]["V"] == [sys.argv[2]], rows[0]["V"]
assert rows[0]["Receive"] == len(raw), rows[0]["Receive"]
assert [r["Seq"] for r in rows] == [1, 2]
print("ok")
PY
	run python3 "$T/check.py" "$T/r.json" "$T/bytes"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "--results NAME.csv: big output (held in the spill file) reads back whole" {
	command -v python3 >/dev/null || skip "python3 not installed"
	run --separate-stderr "$PMAPF" --results "$T/r.csv" sh -c 'head -c 6000000 /dev/zero | tr "\0" "$1"; echo "q\"$1" >&2' sh ::: x y
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cat > "$T/check.py" <<'PY'
import csv, sys
csv.field_size_limit(1 << 30)
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["V1"] for r in rows] == ["x", "y"], [r["V1"] for r in rows]
for r in rows:
    assert r["Stdout"] == r["V1"] * 6000000, len(r["Stdout"])
    assert r["Stderr"] == 'q"' + r["V1"] + "\n", r["Stderr"]
    assert r["Receive"] == "6000000", r["Receive"]
print("ok")
PY
	run python3 "$T/check.py" "$T/r.csv"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "--results -.csv with -u: rows as jobs end, one header" {
	run --separate-stderr "$PMAPF" -u -j2 --results -.csv sh -c 'sleep "$1"; echo "$1"' sh ::: 1 0
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[[ ${lines[0]} == Seq,Host,* ]]
	[[ ${lines[1]} == 2,:,* ]]
	[[ ${lines[3]} == 1,:,* ]]
}

@test "--results with --joblog: the joblog still logs each job" {
	run --separate-stderr "$PMAPF" --joblog "$T/log" --results "$T/out" echo ::: a bb
	[ "$status" -eq 0 ]
	[ "$(awk -F'\t' 'NR > 1 { print $1, $6, $9 }' "$T/log")" = "$(printf '1 2 echo a\n2 3 echo bb')" ]
	[ "$(cat "$T/out/1/bb/stdout")" = bb ]
}

@test "--dry-run with --results prints the commands and makes no files" {
	run --separate-stderr "$PMAPF" --dry-run --results "$T/out" echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
	[ ! -e "$T/out" ]
	run --separate-stderr "$PMAPF" --dry-run --results "$T/r.csv" echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
	[ ! -e "$T/r.csv" ]
}

@test "--files: files in --tmpdir, stderr as usual, names in input order" {
	mkdir "$T/tmp"
	run --separate-stderr "$PMAPF" --tmpdir "$T/tmp" --files sh -c 'sleep "$1"; echo "out $1"; echo "err $1" >&2' sh ::: 0.3 0
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == "$T/tmp/"* ]]
	[ "$(cat "${lines[0]}")" = "out 0.3" ]
	[ "$(cat "${lines[1]}")" = "out 0" ]
	[ "$stderr" = "$(printf 'err 0.3\nerr 0')" ]
}

@test "--results and --files refuse what they cannot mix with" {
	refused --results "$T/out" --line-buffer echo ::: a
	[[ ${stderr_lines[0]} == "pmapf: --results keeps each job's output in files: not with --line-buffer" ]]
	refused --files --ungroup echo ::: a
	[[ ${stderr_lines[0]} == "pmapf: --files keeps each job's output in files: not with --ungroup" ]]
	refused --results r.csv --files echo ::: a
	[[ ${stderr_lines[0]} == "pmapf: --results r.csv puts each job's output in a row: not with --files" ]]
	refused --results -.json --joblog - echo ::: a
	[[ ${stderr_lines[0]} == *"not with --joblog -" ]]
	refused --results '' echo ::: a
	[[ ${stderr_lines[0]} == "pmapf: --results: a file name is needed" ]]
}

@test "--resume with --results DIR: jobs whose stdout file is there are skipped" {
	printf '#!/bin/sh\necho "$1"; echo "$1" >> "%s/ran"\n' "$T" > "$T/job"
	chmod +x "$T/job"
	run --separate-stderr "$PMAPF" --results "$T/out" "$T/job" ::: a b c
	[ "$status" -eq 0 ]
	rm -r "$T/out/1/c" "$T/ran"
	run --separate-stderr "$PMAPF" --resume --results "$T/out" "$T/job" ::: a b c d
	[ "$status" -eq 0 ]
	[ "$(sort "$T/ran")" = "$(printf 'c\nd')" ]
	[ "$(cat "$T/out/1/d/stdout")" = d ]
	[ "$(cat "$T/out/1/d/seq")" = 4 ]
	# A path with replacement strings: its file.
	rm "$T/ran"
	run --separate-stderr "$PMAPF" --results "$T/p/{}.txt" "$T/job" ::: a b
	[ "$status" -eq 0 ]
	rm "$T/p/b.txt" "$T/ran"
	run --separate-stderr "$PMAPF" --resume --results "$T/p/{}.txt" "$T/job" ::: a b
	[ "$status" -eq 0 ]
	[ "$(cat "$T/ran")" = b ]
	# A table cannot say what ran.
	refused --resume --results "$T/r.csv" echo ::: a
	[ "${stderr_lines[0]}" = "pmapf: --resume needs --joblog FILE or --results DIR" ]
}
