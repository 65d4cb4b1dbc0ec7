#!/usr/bin/env bats
# --shard and --bin: each line to one of -j jobs by a column's value.
load helpers

@test "--shard: every line goes to one job, all of a value to the same one" {
	awk 'BEGIN { srand(3); for (i = 0; i < 200000; i++) printf "%d\tk%d\n", i, int(rand() * 500) }' > "$T/in"
	# Each job prints its lines tagged with its number.
	run --separate-stderr "$PMAPF" -j4 --shard 2 --colsep '\t' sh -c 'sed "s/^/{#} /"' < "$T/in"
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}" > "$T/out"
	diff <(sort "$T/in") <(cut -d' ' -f2- "$T/out" | sort)
	# No key is seen by two jobs; all four jobs had some.
	[ "$(awk -F'[ \t]' '{ print $1, $3 }' "$T/out" | sort -u | awk '{ print $2 }' | sort | uniq -d | wc -l)" -eq 0 ]
	[ "$(cut -d' ' -f1 "$T/out" | sort -u | wc -l)" -eq 4 ]
	# A pipe with a regex --colsep and the key in column 1.
	cat "$T/in" | tr '\t' ' ' | "$PMAPF" -j3 --shard 2 --colsep ' +' cat | sort | diff <(tr '\t' ' ' < "$T/in" | sort) -
}

@test "--shard, --bin: without --colsep, columns are split on a comma, as GNU parallel's sharder" {
	run --separate-stderr "$PMAPF" -j2 --bin 2 sh -c 'echo {#}: $(tr "\n" " ")' < <(printf 'a,1\nb,2\nc,3\nd,4\n')
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' '|')" = "1: a,1 c,3|2: b,2 d,4|" ]
	# A tab is then no separator: the whole line is column 1, no
	# column 2 (an empty value: the last job).
	run --separate-stderr "$PMAPF" -j2 --bin 2 sh -c 'echo {#}: $(tr "\n" " ")' < <(printf 'a\t1\nb\t2\n')
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' '|')" = "1:|2: a 1 b 2|" ]
}

@test "--bin: the value numbers the job, modulo -j (as GNU parallel)" {
	run --separate-stderr "$PMAPF" -j3 --bin 1 sh -c 'echo {#}: $(tr "\n" " ")' < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' '|')" = "1: 1 4 7 10|2: 2 5 8|3: 3 6 9|" ]
	# 0, negatives and words: Perl's numbers (0 is the last job).
	run --separate-stderr "$PMAPF" -j3 --bin 1 sh -c 'echo {#}: $(tr "\n" " ")' < <(printf '0\n-1\nx\n5.9\n')
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' '|')" = "1:|2: -1 5.9|3: 0 x|" ]
}

@test "--shard by column name: the header line goes to every job" {
	printf 'id,city\n1,Oslo\n2,Rome\n3,Oslo\n4,Lima\n' > "$T/in"
	run --separate-stderr "$PMAPF" -j2 --colsep , --shard city sh -c 'tr "\n" " "; echo' < "$T/in"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "id,city "* ]]
	[[ "${lines[1]}" == "id,city "* ]]
	# Each city in one job only, with its every line.
	local city
	for city in Oslo Rome Lima; do
		[ "$(printf '%s\n' "${lines[@]}" | grep -c "$city")" -eq 1 ]
	done
	[[ "$output" == *"1,Oslo "*"3,Oslo"* ]]
	run --separate-stderr "$PMAPF" -j2 --colsep , --shard town cat < "$T/in"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"no column named 'town' in the header"* ]]
}

@test "--shard: a job that stops early drops only its lines; the run ends" {
	run --separate-stderr timeout 60 "$PMAPF" -j2 --bin 1 sh -c '[ {#} = 1 ] && exit 3; wc -l' < <(seq 100000)
	[ "$status" -eq 1 ]
	[ "$output" = 50000 ]
}

@test "--shard, --bin: option errors name the option and run nothing" {
	refused --shard '3 $_%=100' cat
	[[ "${stderr_lines[0]}" == *"--shard: expected a column number or name, not '3 \$_%=100' (Perl expressions are not taken)"* ]]
	refused --bin 0 cat
	[[ "${stderr_lines[0]}" == *"--bin"* ]]
	refused --shard 1 cat ::: a
	[[ "${stderr_lines[0]}" == *"--shard cannot be used with input sources"* ]]
	refused --shard 1 --round-robin cat
	[[ "${stderr_lines[0]}" == *"--shard cannot be used with --round-robin"* ]]
	refused --bin 1 -N 2 cat
	[[ "${stderr_lines[0]}" == *"--bin cannot be used with -N"* ]]
}
