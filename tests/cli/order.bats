#!/usr/bin/env bats
# Ordered and unordered output over many jobs of random duration.
load helpers

randjob() {
	# 1000 records; each job sleeps 0-4 ms at random, then echoes.
	seq 1000 | "$PMAPF" "$@" bash -c 'sleep 0.00$((RANDOM % 5)); printf "%s\n" "$0"'
}

check_ordered() {
	randjob -j "$1" > "$T/out"
	seq 1000 | cmp - "$T/out"
}

check_unordered() {
	randjob -u -j "$1" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 1000 ]
	sort -n "$T/out" | cmp - <(seq 1000)
}

@test "1000 random-time jobs, ordered, -j 1" { check_ordered 1; }
@test "1000 random-time jobs, ordered, -j 2" { check_ordered 2; }
@test "1000 random-time jobs, ordered, -j 64" { check_ordered 64; }
@test "1000 random-time jobs, unordered, -j 1" { check_unordered 1; }
@test "1000 random-time jobs, unordered, -j 2" { check_unordered 2; }
@test "1000 random-time jobs, unordered, -j 64" { check_unordered 64; }

@test "-k is the default order; -u then -k gives input order" {
	run bash -c "printf '3\n1\n' | '$PMAPF' -j2 -u -k sh -c 'sleep 0.\$0; echo \$0'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '3\n1')" ]
}

@test "-u writes in completion order" {
	run bash -c "printf '6\n1\n' | '$PMAPF' -j2 -u sh -c 'sleep 0.\$0; echo \$0'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n6')" ]
}

@test "at most N jobs run at once" {
	# Each job records the count of live marker files while it runs.
	cat > "$T/job" <<'SH'
#!/bin/sh
d=$1; touch "$d/live.$$"; ls "$d" | grep -c '^live' >> "$d/counts"; sleep 0.05; rm "$d/live.$$"
SH
	chmod +x "$T/job"
	seq 40 | "$PMAPF" -j3 "$T/job" "$T" > /dev/null
	[ "$(sort -n "$T/counts" | tail -1)" -le 3 ]
	[ "$(wc -l < "$T/counts")" -eq 40 ]
}
