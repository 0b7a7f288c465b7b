#!/usr/bin/env bash
# Sets everything up and runs every test: hermetic and privileged Swift suites, then the netlab scenarios,
# each of which ends with its own leak check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PIPEWORK_BIN="$PWD/.build/static/pipework"
export SPLICE_INIT_STATIC_BIN="$PWD/.build/static/splice-init"
status=0
# The scenarios run first so that the Swift test runner's summary is the last thing printed.
for scenario in netlab/*.sh; do
    echo "== netlab: $scenario"
    bash "$scenario" "$PIPEWORK_BIN" || { echo "netlab scenario failed: $scenario"; status=1; }
done
swift build --build-tests
# One test at a time: the privileged suites block threads while they wait for subprocesses (docker, ip,
# ping), and in-process API servers answer on Swift's cooperative pool, which those waits could starve
# (2 cores here). Serial runs keep load out of the results; they take about 2 minutes.
swift test --skip-build --no-parallel || status=1
exit "$status"
