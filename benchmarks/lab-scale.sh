#!/usr/bin/env bash
# lab-scale.sh N: part (a) of the lab benchmark. An N-host lab of bare hosts (engine: none) on one switch, each
# host also joined to the next by a veth (a ring), brought up and down by `splice lab`, against a plain `ip`
# script making the same objects (namespaces, the switch bridge, N uplink veths with addresses and default
# routes, N ring veths). Not a test: it prints both, measured in this run. Parts (b) and (c) of the issue (a
# 10-host overlay lab with spliced everywhere) wait for the overlay driver.
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
    rm -rf "$dir"
}
trap cleanup EXIT

t0=$(ms); "$lab" up "$file" >/dev/null; t1=$(ms); "$lab" down --name "$name" >/dev/null; t2=$(ms)
lab_up=$(( (t1 - t0) / 1000000 )); lab_down=$(( (t2 - t1) / 1000000 ))

# The same objects with ip, one process per step, as a shell script would make them.
sw=ipb$$-sw
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
echo "lab $n hosts: up $lab_up ms, down $lab_down ms; ip script: up $ip_up ms, down $ip_down ms"
