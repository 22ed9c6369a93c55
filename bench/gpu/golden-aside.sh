#!/usr/bin/env bash
# The golden sets (tests/golden, 59 MB) are tracked, so a device call would carry them and, with the published kit,
# exceed its 64 MiB. The kit needs none of them. `golden-aside.sh out` takes them out of git's index and ignores them
# (in .git/info/exclude), leaving the files where they are, so a device call leaves them behind; `golden-aside.sh back`
# puts them back into the index. Commit nothing between the two.
set -euo pipefail
root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
exclude="$(git -C "$root" rev-parse --git-path info/exclude)"
case "$exclude" in /*) ;; *) exclude="$root/$exclude" ;; esac
rule='/tests/golden/'
case "${1:-}" in
  out)
    mkdir -p "$(dirname "$exclude")"; touch "$exclude"
    grep -qxF "$rule" "$exclude" || echo "$rule" >>"$exclude"
    git -C "$root" rm -r -q --cached tests/golden
    echo "tests/golden is out of git's index and ignored: a device call leaves it behind. Run '$0 back' after the call." ;;
  back)
    if [ -f "$exclude" ]; then grep -vxF "$rule" "$exclude" >"$exclude.tmp" || true; mv "$exclude.tmp" "$exclude"; fi
    git -C "$root" reset -q -- tests/golden
    echo "tests/golden is tracked again." ;;
  *) echo "usage: $0 out|back" >&2; exit 2 ;;
esac
