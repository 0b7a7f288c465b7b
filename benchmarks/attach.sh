#!/usr/bin/env bash
# Attach N guest namespaces to a bridge (address + gateway each), four ways, in one run:
#   (a) one `pipework` process per guest             (Splice, per-process)
#   (b) one `pipework --batch` for all guests         (Splice, one process)
#   (c) the same kernel changes made the way pipework makes them: 7 `ip` processes per guest
#   (d) `ip -batch`: one batch for the host side plus one `ip -n GUEST -batch` per guest
# Prints per-attach medians (a, c) or means (b, d: one process for many attaches) and the ratios.
# Everything happens inside a scratch "host" namespace; all namespaces are removed at the end.
# Usage: sudo benchmarks/attach.sh [N ...]        (default: 100 1000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pipework=${PIPEWORK:-$here/.build/release/pipework}
[ -x "$pipework" ] || { echo "build first: swift build -c release --product pipework" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
tag="spb$$"
host="$tag-host"
made=()
cleanup() { for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null || true; done; made=(); }
trap cleanup EXIT

address() { echo "10.200.$(( $1 / 250 )).$(( $1 % 250 + 1 ))/16"; }
gateway=10.200.255.254

# fresh_round N: a new host namespace with br0, and N empty guest namespaces.
fresh_round() {
    cleanup
    ip netns add "$host"; made+=("$host")
    ip -n "$host" link add br0 type bridge
    ip -n "$host" link set br0 up
    ip -n "$host" addr add "$gateway/16" dev br0
    for ((i = 0; i < $1; i++)); do ip netns add "$tag-g$i"; made+=("$tag-g$i"); done
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

check_round() {  # a sanity check that the last guest really got its address and route
    local n=$1 last=$(( $1 - 1 ))
    ip -n "$tag-g$last" -j route show default | grep -q "$gateway" || { echo "round failed: no route in guest $last" >&2; exit 1; }
}

for n in "${sizes[@]}"; do
    echo "== N = $n"

    fresh_round "$n"
    samples=()
    for ((i = 0; i < n; i++)); do
        t0=$(now_us)
        ip netns exec "$host" "$pipework" br0 -i eth1 "$tag-g$i" "$(address "$i")@$gateway" 2>&1 || exit 1
        t1=$(now_us)
        samples+=($(( t1 - t0 )))
    done
    check_round "$n"
    a=$(printf '%s\n' "${samples[@]}" | median)

    fresh_round "$n"
    batch=$(mktemp)
    for ((i = 0; i < n; i++)); do echo "br0 -i eth1 $tag-g$i $(address "$i")@$gateway"; done > "$batch"
    t0=$(now_us)
    ip netns exec "$host" "$pipework" --batch "$batch"
    t1=$(now_us)
    check_round "$n"
    b=$(( (t1 - t0) / n ))

    fresh_round "$n"
    samples=()
    for ((i = 0; i < n; i++)); do
        g="$tag-g$i"
        t0=$(now_us)
        ip -n "$host" link add "vpl$i" type veth peer name "vpg$i"
        ip -n "$host" link set "vpl$i" master br0 up
        ip -n "$host" link set "vpg$i" netns "$g"
        ip -n "$g" link set "vpg$i" name eth1
        ip -n "$g" addr add "$(address "$i")" dev eth1
        ip -n "$g" link set eth1 up
        ip -n "$g" route replace default via "$gateway"
        t1=$(now_us)
        samples+=($(( t1 - t0 )))
    done
    check_round "$n"
    c=$(printf '%s\n' "${samples[@]}" | median)

    fresh_round "$n"
    hostbatch=$(mktemp)
    for ((i = 0; i < n; i++)); do
        echo "link add vpl$i type veth peer name eth1 netns $tag-g$i"
        echo "link set vpl$i master br0 up"
    done > "$hostbatch"
    guestbatch=$(mktemp)
    t0=$(now_us)
    ip -n "$host" -batch "$hostbatch"
    for ((i = 0; i < n; i++)); do
        printf 'addr add %s dev eth1\nlink set eth1 up\nroute replace default via %s\n' "$(address "$i")" "$gateway" > "$guestbatch"
        ip -n "$tag-g$i" -batch "$guestbatch"
    done
    t1=$(now_us)
    check_round "$n"
    d=$(( (t1 - t0) / n ))
    rm -f "$batch" "$hostbatch" "$guestbatch"

    awk -v n="$n" -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
        printf "  (a) pipework, one process per guest   %8.3f ms per attach (median)\n", a / 1000
        printf "  (b) pipework --batch                  %8.3f ms per attach (mean)\n", b / 1000
        printf "  (c) 7 ip processes per guest          %8.3f ms per attach (median)\n", c / 1000
        printf "  (d) ip -batch                         %8.3f ms per attach (mean)\n", d / 1000
        printf "  ratios: c/a = %.1fx   d/b = %.1fx   c/b = %.1fx\n", c / a, d / b, c / b
    }'
done
