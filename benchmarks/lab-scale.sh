#!/usr/bin/env bash
# lab-scale.sh N: part (a) of the lab benchmark. An N-host lab of bare hosts (engine: none) on one switch, each
# host also joined to the next by a veth (a ring), brought up and down by `splice lab`, against a plain `ip`
# script making the same objects (namespaces, the switch bridge, N uplink veths with addresses and default
# routes, N ring veths). Not a test: it prints both, measured in this run. Then parts (b) and (c): an M-host lab
# (LAB_SCALE_OVERLAY_HOSTS, default 10; 0 skips them) with spliced on every host, etcd, one overlay network and
# two nodes per host: the time of `up`, then of a test run in which every node reaches every other (one ping per
# pair, eight pairs at a time as `splice lab test` tries consecutive checks, so the second figure is mostly the
# checks' own cost: a process in a namespace per ping), and spliced's RSS per host. The last line stays part (a)'s.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
lab=${SPLICE_LAB:-$PWD/.build/release/splice-lab}
[ -x "$lab" ] || lab=$PWD/.build/debug/splice-lab
[ -x "$lab" ] || { echo "build splice-lab first (swift build -c release --product splice-lab)" >&2; exit 1; }
dir=$(mktemp -d /tmp/lab-scale.XXXXXX)
name=scale$$
file=$dir/scale.yaml
{
    echo "name: $name"
    echo "underlay: {subnet: 10.97.0.0/16}"
    echo "hosts:"
    for i in $(seq 1 "$n"); do echo "  h$i: {engine: none}"; done
    echo "links:"
    for i in $(seq 1 "$n"); do j=$(( i % n + 1 )); echo "  - endpoints: [h$i:rn, h$j:rp]"; done
} >"$file"
ms() { date +%s%N; }
cleanup() {
    "$lab" down --name "$name" >/dev/null 2>&1 || true
    for i in $(seq 1 "$n"); do ip netns del "ipb$$-h$i" 2>/dev/null || true; done
    ip netns del "ipb$$-sw" 2>/dev/null || true
    "$lab" down --name "ov$name" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

# The kernel destroys network namespaces after their last reference is gone, in a work queue that holds the rtnl
# lock: a part started while it still tears down the namespaces of the one before (or of an earlier run) measures
# that work too (up to 0.4 s more here for 50 hosts). Each part starts after a pause.
settle() { sleep "${LAB_SCALE_SETTLE:-3}"; }

settle
t0=$(ms); "$lab" up "$file" >/dev/null; t1=$(ms); "$lab" down --name "$name" >/dev/null; t2=$(ms)
lab_up=$(( (t1 - t0) / 1000000 )); lab_down=$(( (t2 - t1) / 1000000 ))

# The same objects with ip, one process per step, as a shell script would make them.
sw=ipb$$-sw
settle
t0=$(ms)
ip netns add "$sw"
ip -n "$sw" link add sw0 type bridge
ip -n "$sw" addr add 10.97.255.254/16 dev sw0
ip -n "$sw" link set sw0 up
for i in $(seq 1 "$n"); do
    h=ipb$$-h$i
    ip netns add "$h"
    ip -n "$sw" link add "p$i" type veth peer name eth0 netns "$h"
    ip -n "$sw" link set "p$i" master sw0 up
    ip -n "$h" link set lo up
    ip -n "$h" addr add "10.97.$(( i / 256 )).$(( i % 256 ))/16" dev eth0
    ip -n "$h" link set eth0 up
    ip -n "$h" route add default via 10.97.255.254
done
for i in $(seq 1 "$n"); do
    j=$(( i % n + 1 ))
    ip -n "ipb$$-h$i" link add rn type veth peer name rp netns "ipb$$-h$j"
    ip -n "ipb$$-h$i" link set rn up
    ip -n "ipb$$-h$j" link set rp up
done
t1=$(ms)
for i in $(seq 1 "$n"); do ip netns del "ipb$$-h$i"; done
ip netns del "$sw"
t2=$(ms)
ip_up=$(( (t1 - t0) / 1000000 )); ip_down=$(( (t2 - t1) / 1000000 ))

m=${LAB_SCALE_OVERLAY_HOSTS:-10}
if [ "$m" -gt 0 ] && [ -x /usr/bin/etcd ]; then
    ofile=$dir/overlay.yaml
    {
        echo "name: ov$name"
        echo "images: {bb: busybox}"
        echo "store: {kind: etcd}"
        echo "underlay: {subnet: 10.95.0.0/16}"
        echo "hosts:"
        for i in $(seq 1 "$m"); do echo "  h$i: {}"; done
        echo "networks:"
        echo "  ov: {driver: overlay, subnet: 10.61.0.0/16}"
        echo "nodes:"
        for i in $(seq 1 "$m"); do for k in a b; do echo "  n$i$k: {host: h$i, image: bb, networks: [ov]}"; done; done
        echo "tests:"
        for i in $(seq 1 "$m"); do for k in a b; do for j in $(seq 1 "$m"); do for l in a b; do
            [ "$i$k" = "$j$l" ] && continue
            printf '  - reach: {from: n%s, to: n%s, count: 1}\n    within: 30\n' "$i$k" "$j$l"
        done; done; done; done
    } >"$ofile"
    settle
    t0=$(ms); "$lab" up "$ofile" >/dev/null; t1=$(ms)
    result=$("$lab" test "$ofile" | tail -n 1); t2=$(ms)
    pairs=$(( 2 * m * (2 * m - 1) ))
    echo "overlay lab $m hosts, $(( 2 * m )) nodes: up $(( (t1 - t0) / 1000000 )) ms; then all $pairs pairs reached" \
        "in $(( (t2 - t1) / 1000000 )) ms ($result); up to every node reaching every other:" \
        "$(( (t2 - t0) / 1000000 )) ms"
    rss=$("$lab" inspect --name "ov$name" --format json | python3 -c '
import json, sys
state = json.load(sys.stdin)
values = []
for host in state["hosts"]:
    with open("/proc/%d/status" % host["pid"]) as status:
        values += [int(line.split()[1]) for line in status if line.startswith("VmRSS:")]
print("spliced RSS per host: min %d KiB, mean %d KiB, max %d KiB" % (min(values), sum(values) / len(values), max(values)))')
    echo "$rss"
    "$lab" down --name "ov$name" >/dev/null
fi
echo "lab $n hosts: up $lab_up ms, down $lab_down ms; ip script: up $ip_up ms, down $ip_down ms"
