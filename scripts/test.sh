#!/usr/bin/env bash
# Sets everything up and runs every test: hermetic and privileged Swift suites, then the netlab scenarios,
# each of which ends with its own leak check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PIPEWORK_BIN="$PWD/.build/release/pipework"
status=0
# The scenarios run first so that the Swift test runner's summary is the last thing printed.
for scenario in netlab/*.sh; do
    echo "== netlab: $scenario"
    bash "$scenario" "$PIPEWORK_BIN" || { echo "netlab scenario failed: $scenario"; status=1; }
done
swift build --build-tests
swift test --skip-build || status=1
exit "$status"
