#!/bin/sh
# Install what building and testing pmapf needs (tmux drives the
# terminal tests; zsh, fish and bash-completion the completion tests;
# xmllint and rsvg-convert the timeline tests)
# on Debian/Ubuntu, only if
# missing.  Runs apt-get as root, or through sudo for other users.
# Extra package names given as arguments are installed too.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
have autoreconf || need="$need autoconf"
have aclocal || need="$need automake"
have cc || need="$need gcc"
have make || need="$need make"
have bats || need="$need bats"
have tmux || need="$need tmux"
# The completion tests run in the real shells.
have zsh || need="$need zsh"
have fish || need="$need fish"
[ -r /usr/share/bash-completion/bash_completion ] || need="$need bash-completion"
# The --results tests read its CSV and JSON with Python's own parsers.
have python3 || need="$need python3"
# The timeline tests validate and render the SVG.
have xmllint || need="$need libxml2-utils"
have rsvg-convert || need="$need librsvg2-bin"
for p in "$@"; do
	dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
[ -n "$need" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
echo "install-deps: installing$need" >&2
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need
