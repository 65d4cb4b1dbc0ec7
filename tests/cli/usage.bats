#!/usr/bin/env bats
# pmapf's own usage errors: name the option, hint at --help, exit 255.
load helpers

bad() {
	run "$PMAPF" "$@"
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = "Try 'pmapf --help' for more information." ]
}

@test "-j beyond 1000000 is refused" {
	bad -j 1000001 echo
	[[ "${lines[0]}" == "pmapf: -j/--jobs: invalid value '1000001'"* ]]
}

@test "-j abc is refused" {
	bad --jobs=abc echo
	[[ "${lines[0]}" == "pmapf: -j/--jobs: invalid value 'abc'"* ]]
}

@test "-j -1 and -j 2x are refused" {
	bad -j -1 echo
	bad -j 2x echo
}

@test "a missing value names the option" {
	bad -j
	[ "${lines[0]}" = "pmapf: option '-j' needs a value" ]
}

@test "an unknown option is named" {
	bad --frobnicate
	[ "${lines[0]}" = "pmapf: unknown option '--frobnicate'" ]
	bad -Z
	[ "${lines[0]}" = "pmapf: unknown option '-Z'" ]
}

@test "--time-scale must be a number >= 0" {
	bad --time-scale -1
	bad --time-scale nan
	bad --time-scale x
}

@test "--help goes to stdout and exits 0" {
	run "$PMAPF" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: pmapf [OPTION]..."* ]]
}

@test "--version names the version and exits 0" {
	run "$PMAPF" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^pmapf\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "--help to a closed stdout is an error" {
	run bash -c "'$PMAPF' --help >&-"
	[ "$status" -eq 255 ]
}

@test "a control character in an option stays on the error's one line" {
	bad $'-\n'""
	[ "${lines[0]}" = "pmapf: unknown option '-\\x0a'" ]
	bad --progress $'a\nb'""
	[[ "${lines[0]}" == "pmapf: --progress: invalid value 'a\\x0ab'"* ]]
}
