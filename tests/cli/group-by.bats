#!/usr/bin/env bats
# --group-by: records are runs of lines with the same value in a column;
# a block holds whole runs, never one split between two.
load helpers

# Lines "N<TAB>keyK", runs of a key about $2 lines long, $1 lines, to $3.
runs() {
	awk -v n="$1" -v len="$2" 'BEGIN { srand(5); k = 0
		for (i = 0; i < n; i++) { if (rand() * len < 1) k++; printf "%d\tkey%d\n", i, k } }' > "$3"
}

@test "--pipe --group-by: blocks hold whole runs; together the input" {
	runs 100000 100 "$T/in"
	for b in 1 1000 30k 1M; do
		"$PMAPF" -j3 --pipe --group-by 2 --block "$b" cat < "$T/in" 2> /dev/null | cmp - "$T/in"
		# Each block's keys: no key is in two blocks.
		"$PMAPF" -j3 --pipe --group-by 2 --block "$b" sh -c 'cut -f2 | sort -u' < "$T/in" 2> /dev/null > "$T/keys"
		[ "$(sort "$T/keys" | uniq -d | wc -l)" -eq 0 ]
		[ "$(wc -l < "$T/keys")" -eq "$(cut -f2 "$T/in" | sort -u | wc -l)" ]
	done
	# Blocks as full as the size allows, as --pipe's records.
	run --separate-stderr "$PMAPF" --pipe --group-by 1 --colsep ' ' --block 12 sh -c 'tr "\n" ,; echo' < <(printf 'a 1\na 2\nb 3\nb 4\nc 5\na 6\n')
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "a 1,a 2, b 3,b 4,c 5, a 6," ]
	[ -z "$stderr" ]
}

@test "--pipe --group-by a column name: the header starts every block" {
	printf 'city,n\nOslo,1\nOslo,2\nRome,3\nLima,4\nLima,5\n' > "$T/in"
	run --separate-stderr "$PMAPF" --pipe --group-by city --colsep , --block 1 sh -c 'tr "\n" " "; echo' < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "city,n Oslo,1 Oslo,2 " ]
	[ "${lines[1]}" = "city,n Rome,3 " ]
	[ "${lines[2]}" = "city,n Lima,4 Lima,5 " ]
	run --separate-stderr "$PMAPF" --pipe --group-by town --colsep , cat < "$T/in"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--group-by: no column named 'town' in the header"* ]]
}

@test "--pipe-part --group-by: cuts only where the value changes" {
	runs 100000 100 "$T/in"
	for b in 1 1000 30k 1M; do
		"$PMAPF" -j3 --pipe-part -a "$T/in" --group-by 2 --block "$b" cat | cmp - "$T/in"
		"$PMAPF" -j3 --pipe-part -a "$T/in" --group-by 2 --block "$b" sh -c 'cut -f2 | sort -u' > "$T/keys"
		[ "$(sort "$T/keys" | uniq -d | wc -l)" -eq 0 ]
	done
	# Several blocks, not one.
	run --separate-stderr "$PMAPF" --joblog "$T/log" --pipe-part -a "$T/in" --group-by 2 --block 30k wc -l
	[ "$status" -eq 0 ]
	[ "$(awk 'NR > 1' "$T/log" | wc -l)" -gt 20 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq 100000 ]
}

@test "--pipe-part --group-by: the blocks are GNU parallel's" {
	printf 'a\t1\na\t2\na\t3\nb\t1\nc\t1\nc\t2\nd\t1\n' > "$T/in"
	for b in 1:aaa,b,cc,d 10:aaab,ccd 13:aaabcc,d 30:aaabccd; do
		run --separate-stderr "$PMAPF" -j1 --pipe-part -a "$T/in" --group-by 1 --block "${b%%:*}" sh -c 'cut -f1 | tr -d "\n"; echo'
		[ "$status" -eq 0 ]
		[ "$(printf '%s\n' "${lines[@]}" | paste -sd,)" = "${b#*:}" ]
	done
	command -v parallel > /dev/null || return 0
	# Runs of many lengths, a key coming back: the same cuts, found by
	# halving between lines a block apart.
	awk 'BEGIN { srand(7); k = 0; for (i = 0; i < 3000; i++) {
		if (rand() < 0.1) k = int(rand() * 40)
		printf "k%d\t%*d\n", k, int(rand() * 30), i } }' > "$T/in"
	for b in 1 700 5k 20k 60k; do
		parallel -k --pipe-part -a "$T/in" --group-by 1 --block "$b" 'cut -f1 | tr -d "\n"; echo' > "$T/gnu"
		"$PMAPF" --pipe-part -a "$T/in" --group-by 1 --block "$b" sh -c 'cut -f1 | tr -d "\n"; echo' > "$T/ours"
		cmp "$T/gnu" "$T/ours"
	done
}

@test "--round-robin --group-by: a run goes to one job" {
	runs 50000 50 "$T/in"
	"$PMAPF" -j3 --round-robin --group-by 2 --block 10k sh -c 'cut -f2 | sort -u' < "$T/in" > "$T/keys"
	[ "$(sort "$T/keys" | uniq -d | wc -l)" -eq 0 ]
}

@test "--group-by: option errors name the option and run nothing" {
	refused --group-by 1 cat
	[[ "${stderr_lines[0]}" == *"--group-by applies only to --pipe"* ]]
	refused --pipe --group-by 1 -N 2 cat
	[[ "${stderr_lines[0]}" == *"--group-by cannot be used with -N"* ]]
	refused --pipe --group-by '1 s/x//' cat
	[[ "${stderr_lines[0]}" == *"--group-by: expected a column number or name"* ]]
	refused --pipe-part -a /dev/null --group-by name cat
	[[ "${stderr_lines[0]}" == *"--group-by takes a column number, not a name"* ]]
}
