#!/usr/bin/env bash
# Sets everything up and runs the demos: a LAN of four guests across two simulated hosts (pipework), then the
# container engine (spliced + splice) in a private namespace, then an overlay network across three simulated
# hosts with etcd as the cluster store, then a lab file (`splice lab`): two simulated hosts, each running its own
# spliced, with its tests. Each ends with a leak check or `lab down`; the status is 1 if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# One product per invocation: `swift build` builds only the last of several --product options. setup.sh has
# built pipework and splice-init (static) already; a build of splice-init here would relink it dynamically.
for product in spliced splice splice-lab; do
    swift build -c release --product "$product"
done
status=0
echo "== demo 1: pipework, a container LAN across two hosts"
bash netlab/pipework-two-hosts.sh .build/static/pipework || status=1
echo
echo "== demo 2: the container engine"
bash netlab/engine-demo.sh .build/static/pipework || status=1
echo
echo "== demo 3: an overlay network across three hosts (etcd as the cluster store)"
bash netlab/overlay-three-hosts.sh || status=1
echo
echo "== demo 4: splice lab, netlab/labs/lan-two-hosts.yaml (two hosts, a spliced on each, tests in the file)"
lab=netlab/labs/lan-two-hosts.yaml
if .build/release/splice lab up "$lab"; then
    .build/release/splice lab inspect "$lab" || status=1
    .build/release/splice lab test "$lab" || status=1
else
    status=1
fi
.build/release/splice lab down "$lab" || status=1
exit "$status"
