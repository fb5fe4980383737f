#!/usr/bin/env bash
# The whole test suite as two pytest processes side by side: the tests through pcscd (marked
# `pcsc`) spend their time waiting on pcscd's 400 ms presence polling and the vpcd link, the
# rest is CPU-bound. One after the other they take about 65 s + 80 s on the 2-core machine;
# side by side, about the longer of the two. Both reports are printed; it fails if either does.
#
#   scripts/run-tests.sh PYTHON [PYTEST ARGS...]
set -uo pipefail
python="$1"
shift
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
QT_QPA_PLATFORM=offscreen "$python" -m pytest -q -p no:cacheprovider -m pcsc "$@" >"$log" 2>&1 &
through_pcscd=$!
QT_QPA_PLATFORM=offscreen "$python" -m pytest -q -p no:cacheprovider -m "not pcsc" "$@"
rest=$?
wait "$through_pcscd"
pcsc=$?
echo "--- the tests through pcscd (run alongside the others) ---"
cat "$log"
[ "$rest" -eq 0 ] && [ "$pcsc" -eq 0 ]
