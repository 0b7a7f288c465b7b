#!/usr/bin/env bash
# Sets everything up and runs the main demo: a LAN of four guests across two simulated hosts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash netlab/pipework-two-hosts.sh .build/release/pipework
