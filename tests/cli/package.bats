#!/usr/bin/env bats
# The version pmapf prints is the one debian/changelog and NEWS give for
# the newest release: configure.ac's AC_INIT, the Debian package and the
# release notes cannot drift apart.
load helpers

# "pmapf 0.1.0" -> 0.1.0
binary_version() {
	"$PMAPF" --version | sed -n '1s/^pmapf \([^ ]*\)$/\1/p'
}

# The top entry's "pmapf (0.1.0) unstable; urgency=medium" -> 0.1.0
changelog_version() {
	sed -n '1s/^pmapf (\([^)]*\)) .*/\1/p' "$TOP_SRCDIR/debian/changelog"
}

# The first "pmapf 0.1.0 (2026-11-26)" entry line -> 0.1.0
news_version() {
	sed -n 's/^pmapf \([0-9][^ ]*\) (.*)$/\1/p' "$TOP_SRCDIR/NEWS" | head -n 1
}

@test "pmapf --version prints a version" {
	run binary_version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]
}

@test "pmapf --version equals the top entry of debian/changelog" {
	run binary_version
	[ "$status" -eq 0 ]
	want=$output
	[ -n "$want" ]
	run changelog_version
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ "$output" = "$want" ] ||
		{ echo "debian/changelog: $output, pmapf --version: $want" >&2; false; }
}

@test "pmapf --version equals the first entry of NEWS" {
	run binary_version
	[ "$status" -eq 0 ]
	want=$output
	[ -n "$want" ]
	run news_version
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ "$output" = "$want" ] ||
		{ echo "NEWS: $output, pmapf --version: $want" >&2; false; }
}
