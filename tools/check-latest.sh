#!/usr/bin/env bash
# Early warning for the next release of a dependency (needs the package index).
# Makes a throwaway environment with the newest release of every dependency that
# pyproject.toml's ranges allow, runs the fast tests and one build with image charts
# there, and when they fail tries each upgraded package alone on top of the lock to name
# the one whose upgrade breaks. Nothing in the repository changes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/tools" && "$work/tools/bin/pip" install -q 'uv>=0.9,<1'
"$work/tools/bin/uv" pip compile pyproject.toml --extra test --upgrade --python-version 3.11 \
  --no-header --quiet -o "$work/latest.txt"

pins() { grep -oE '^[A-Za-z0-9_.-]+==[^ \\;]+' "$1" | tr 'A-Z_' 'a-z-' | sort; }
comm -13 <(pins requirements-test.lock) <(pins "$work/latest.txt") > "$work/moved.txt"
if [ -s "$work/moved.txt" ]; then
  echo "Newer than the lock: $(tr '\n' ' ' < "$work/moved.txt")"
else
  echo "The lock holds the newest versions the ranges allow; checking them anyway."
fi

# an environment: $1 its folder, $2 a requirements file, $3 optional package==version on top
make_env() {
  python3 -m venv "$1"
  "$1/bin/pip" install -q -r "$2"
  if [ -n "${3:-}" ]; then "$1/bin/pip" install -q --no-deps "$3"; fi
  "$1/bin/pip" install -q --no-deps -e "$root"
}

# the fast tests and one build with image charts (no cache) in environment $1
passes() {
  "$1/bin/python" -m pytest -q -x -n 2 -m "not browser and not office" -p no:cacheprovider \
    --deselect tests/test_lock.py::test_the_installed_versions_are_the_locked_ones \
    > "$work/tests.log" 2>&1 || { tail -n 15 "$work/tests.log"; return 1; }
  "$1/bin/python" -m generator slides.yaml --no-cache -q -o "$work/deck.pptx" \
    > "$work/build.log" 2>&1 || { tail -n 15 "$work/build.log"; return 1; }
}

make_env "$work/latest" "$work/latest.txt"
if passes "$work/latest"; then
  echo "OK: the newest versions pass the fast tests and build the deck with image charts."
  exit 0
fi
echo "The newest versions fail. Trying each upgrade alone on top of requirements-test.lock:"
broke=0
while read -r pin; do
  rm -rf "$work/one"
  make_env "$work/one" requirements-test.lock "$pin" >/dev/null 2>&1 || {
    echo "  $pin: does not install beside the lock's other versions"; broke=1; continue; }
  if passes "$work/one" >/dev/null; then echo "  $pin: passes"; else
    echo "  $pin: BREAKS (see above for the failing output of all upgrades together)"; broke=1; fi
done < "$work/moved.txt"
[ "$broke" = 1 ] || echo "  no single upgrade breaks alone: two or more together do"
exit 1
