#!/bin/sh
# Build the libFuzzer targets with clang and run each for a while.
# Usage: run.sh SECONDS [TARGET...]   (from the build directory)
# Environment: SRCDIR (the source tree), CC (a clang), FUZZ_OUT (corpora).
set -eu
secs=${1:-15}
shift || true
src=${SRCDIR:-.}
cc=${CC_FUZZ:-clang}
out=${FUZZ_OUT:-fuzz-out}
targets=${*:-"input template args slowadd"}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 -I$src/lib -I$src/cmd -I."
mkdir -p "$out"
for t in $targets; do
	case $t in
	input) extra="$src/lib/input.c $src/lib/buf.c $src/lib/io.c" ;;
	template) extra="$src/lib/template.c $src/lib/template_parse.c $src/lib/plus.c $src/lib/perlre.c $src/lib/perlre_ere.c $src/lib/byteset.c $src/lib/shquote.c $src/lib/buf.c" ;;
	args) extra="$src/cmd/args.c $src/cmd/inputs.c $src/cmd/options.c $src/cmd/pipeargs.c $src/cmd/sshargs.c $src/cmd/values.c $src/lib/*.c" ;;
	slowadd) extra="$src/lib/slowadd.c $src/lib/buf.c" ;;
	*) echo "run.sh: no target $t" >&2; exit 2 ;;
	esac
	# args links the whole library: drop duplicate files from the list.
	extra=$(printf '%s\n' $extra | sort -u | tr '\n' ' ')
	$cc $flags -o "$out/fuzz_$t" "$src/tests/fuzz/fuzz_$t.c" $extra -lm
	mkdir -p "$out/corpus_$t"
	echo "fuzz: $t for ${secs}s"
	# A finding makes libFuzzer exit non-zero and save the input under
	# the artifact prefix; show the tail of its report and stop.
	# Inputs that once found a problem (tests/fuzz/seeds/TARGET) run
	# first, every time; new finds go to the first directory.
	seeds=
	[ ! -d "$src/tests/fuzz/seeds/$t" ] || seeds="$src/tests/fuzz/seeds/$t"
	if ! "$out/fuzz_$t" -max_total_time="$secs" -max_len=4096 \
		-artifact_prefix="$out/$t-" "$out/corpus_$t" $seeds > "$out/$t.log" 2>&1; then
		tail -n 30 "$out/$t.log" >&2
		echo "fuzz: $t found a problem; input saved as $out/$t-*" >&2
		exit 1
	fi
	grep -E '^#[0-9]+.*DONE' "$out/$t.log" || tail -n 2 "$out/$t.log"
done
