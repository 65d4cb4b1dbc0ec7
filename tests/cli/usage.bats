#!/usr/bin/env bats
# pmapf's own usage errors: name the option, hint at --help, exit 255.
load helpers

@test "-j beyond 1000000 is refused" {
	refused -j 1000001 echo
	[[ "${stderr_lines[0]}" == "pmapf: -j/--jobs: invalid value '1000001'"* ]]
}

@test "-j abc is refused" {
	refused --jobs=abc echo
	[[ "${stderr_lines[0]}" == "pmapf: -j/--jobs: invalid value 'abc'"* ]]
}

@test "-j 2x, -j +x and a signed percentage are refused" {
	refused -j 2x echo
	[[ ${stderr_lines[0]} == "pmapf: -j/--jobs: invalid value '2x' (expected a whole number"* ]]
	refused -j +x echo
	refused -j -5% echo
}

@test "numbers may have blanks around them, on both sides alike" {
	run --separate-stderr "$PMAPF" -j ' 2 ' --retries ' 1' --timeout '5 ' true ::: 1
	[ "$status" -eq 0 ]
	run --separate-stderr "$PMAPF" --retries ' -3' true ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "$(printf '%s\n' "pmapf: --retries: invalid value ' -3' (expected a whole number from 0 to 1000000)" "Try 'pmapf --help' for more information.")" ]
}

@test "a value out of range says the range" {
	refused --timeout 1e10 true
	[ "${stderr_lines[0]}" = "pmapf: --timeout: invalid value '1e10' (expected seconds from 0.001 to 1e9, or with units such as 1m30s, 2h, 1d)" ]
	refused --retries 99999999999999999999 true
	[ "${stderr_lines[0]}" = "pmapf: --retries: invalid value '99999999999999999999' (expected a whole number from 0 to 1000000)" ]
	refused --total 99999999999999999999 true
	[ "${stderr_lines[0]}" = "pmapf: --total: invalid value '99999999999999999999' (expected a whole number from 0 to 18446744073709551615)" ]
}

@test "a missing value names the option" {
	refused -j
	[ "${stderr_lines[0]}" = "pmapf: option '-j' needs a value" ]
}

@test "an unknown option is named" {
	refused --frobnicate
	[ "${stderr_lines[0]}" = "pmapf: unknown option '--frobnicate'" ]
	refused -Z
	[ "${stderr_lines[0]}" = "pmapf: unknown option '-Z'" ]
}

@test "--time-scale must be a number >= 0" {
	refused --time-scale -1
	refused --time-scale nan
	refused --time-scale x
}

@test "--help goes to stdout and exits 0" {
	run --separate-stderr "$PMAPF" --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "Usage: pmapf [OPTION]..."* ]]
}

@test "--version names the version and exits 0" {
	run --separate-stderr "$PMAPF" --version
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" =~ ^pmapf\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "--help to a closed stdout is an error" {
	run bash -c "'$PMAPF' --help >&-"
	[ "$status" -eq 255 ]
}

@test "a control character in an option stays on the error's one line" {
	refused $'-\n'""
	[ "${stderr_lines[0]}" = "pmapf: unknown option '-\\x0a'" ]
	refused --progress=$'a\nb'""
	[[ "${stderr_lines[0]}" == "pmapf: --progress: invalid value 'a\\x0ab'"* ]]
}
