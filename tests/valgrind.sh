#!/bin/bash
# A representative set of pmapf runs under valgrind memcheck: any memory
# error or leak in pmapf fails.  Forked workers are not checked separately
# (they exit with the parent's heap image); exec'd jobs are not traced.
# Usage: valgrind.sh PMAPF
set -u
pmapf=${1:?usage: valgrind.sh PMAPF}
vg=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99
	--child-silent-after-fork=yes)
fail=0
n=0

check() { # WANT-STATUS INPUT-COMMAND PMAPF-ARGS...
	local want=$1 input=$2 st
	shift 2
	n=$((n + 1))
	bash -c "$input" | "${vg[@]}" "$pmapf" "$@" > /dev/null 2> "/tmp/vg.$$"
	st=${PIPESTATUS[1]}
	if [ "$st" -ne "$want" ]; then
		echo "valgrind: FAIL (status $st, want $want): pmapf $*"
		sed 's/^/  /' "/tmp/vg.$$"
		fail=$((fail + 1))
	else
		echo "valgrind: ok: pmapf $*"
	fi
}

check 0 'seq 50' -j4 echo
check 0 'seq 50' -u -j4 echo {} x{}
check 1 'printf "1\nx\n2.5\n"' -u --time-scale 0
check 0 'seq 3' --line-buffer --tag sh -c 'echo one; printf two'
check 0 'seq 7' -N3 --tag echo '[{}]' {1} {3}
check 0 'seq 5' --bar --time-scale 0.01 -j2
check 0 'seq 5' --progress=json --progress-interval 0.1 --time-scale 0.1 -j2
check 0 'seq 2' -j2 sh -c 'head -c 6000000 /dev/zero'
check 2 'printf "a\nb\n"' no-such-command-pmapf
check 1 'printf "a\nb\0c\n"' echo
check 1 'echo x; head -c 2000000 /dev/zero | tr "\0" y; echo' echo
check 255 'true' --jobs=0%
check 0 'printf "a.b/c.d\0x y\0"' -0 -j2 echo {} {.} {/} {//} {/.} {#} {%}
check 0 'printf "it'"'"'s\n"' -s 'echo {} | cat'
check 0 'seq 5' --dry-run printf '%s\n' x{}
check 0 'printf "a\nb\n"' --tagstring '{.}-{#}' sh -c 'printf "x\ny"; echo e >&2'
check 0 'seq 200' -j2 --workers sh -c 'while read l; do echo "$l"; done'
check 0 'true' --help
rm -f "/tmp/vg.$$"
echo "valgrind: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
