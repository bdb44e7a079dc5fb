#!/usr/bin/env bash
# Refreshes the committed locks from pyproject.toml's ranges (needs the package index):
#   requirements.lock         the newest versions the ranges allow (what the README installs)
#   requirements-test.lock    the same, with the test tools (what the tests and CI install)
#   requirements-oldest.lock  the oldest versions the ranges allow for each direct
#                             dependency (CI builds the deck with it too)
# Then install requirements-test.lock, run the whole suite, and commit the locks only if
# it passes; update TESTED in generator/output/kaleido_adapter.py when Kaleido or
# choreographer moved (tests/test_lock.py says so).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools" && "$tools/bin/pip" install -q 'uv>=0.9,<1'
compile() { "$tools/bin/uv" pip compile pyproject.toml --python-version 3.11 --generate-hashes \
  --no-header --quiet "$@"; }
compile --upgrade --extra test -o requirements-test.lock
# the runtime lock takes the test lock's versions, so both install the same libraries
compile -c requirements-test.lock -o requirements.lock
compile --upgrade --resolution lowest-direct -o requirements-oldest.lock
echo "Locks written. Next: .venv/bin/pip install -r requirements-test.lock && .venv/bin/python -m pytest"
