#!/usr/bin/env bash
# Overlay networks, measured: (a) convergence, the time from `docker run --network ov` on host 2 to the first
# answered ping from a container on host 1 (median of ROUNDS); (b) TCP throughput (iperf3, 5 s) between a
# container on each host over the overlay, against the same path built by hand with ip (bridge + VXLAN with a
# flood entry + veth into a namespace, on the same two host namespaces); ratios printed; (c) a host joining a
# store that holds 3 hosts and 300 endpoints: host 3 joins, 100 real containers per host on hosts 1 to 3 (made
# one at a time) join a second overlay network ("big", 10.213.0.0/22), then host 4's spliced starts, and the time
# until its VXLAN device for "big" holds all 300 remote endpoints (300 static FDB entries and 300 permanent
# neighbour entries) is measured, beside the time until its API answers; (d) etcd stopped (SIGTERM) for 30 s and
# started again, under a ping every 50 ms from host 1's container to host 2's: packets lost (target 0).
#
#   underlay namespace ovb-ul-PID: bridge "ul"; etcd (10.211.0.100), hosts 1 to 4 (10.211.0.1 to .4)
#
# Usage: benchmarks/overlay.sh [ROUNDS]   (root; SPLICE_BIN_DIR: spliced, splice-init; default .build/release)
# OVERLAY_BENCH_ENDPOINTS: the endpoints of (c), default 300 (a multiple of 3).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SPLICE_BIN_DIR:-$here/.build/release}
docker=${DOCKER:-/usr/local/bin/docker}
rounds=${1:-5}
endpoints=${OVERLAY_BENCH_ENDPOINTS:-300}
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 1; }
for need in "$bin/spliced" "$bin/splice-init" "$docker" /usr/bin/etcd /usr/bin/iperf3 /bin/busybox; do
    [ -x "$need" ] || { echo "missing $need (bash scripts/setup.sh; swift build -c release --product spliced)" >&2; exit 1; }
done

tag=$$
dir=/tmp/splice-overlay-bench-$tag
ul=ovb-ul-$tag; etcd_ns=ovb-etcd-$tag
hosts=(ovb-h1-$tag ovb-h2-$tag ovb-h3-$tag ovb-h4-$tag)
manual=(ovb-m1-$tag ovb-m2-$tag)
namespaces=("$ul" "$etcd_ns" "${hosts[@]}" "${manual[@]}")
declare -A spliced_pid
etcd_pid=
ping_pid=
dk() { local host=$1; shift; timeout -s KILL 60 "$docker" -H "unix://$dir/$host.sock" "$@"; }
now() { date +%s.%N; }

cleanup() {
    local status=$? n
    trap - EXIT; trap '' INT TERM; set +e
    [ -z "$ping_pid" ] || { kill "$ping_pid" 2>/dev/null; wait "$ping_pid" 2>/dev/null; }
    for n in 1 2 3 4; do
        if [ -n "${spliced_pid[$n]:-}" ] && kill -0 "${spliced_pid[$n]}" 2>/dev/null; then
            ids=$(dk "h$n" ps -aq 2>/dev/null)
            [ -z "$ids" ] || dk "h$n" rm -f $ids >/dev/null 2>&1
            kill "${spliced_pid[$n]}"; wait "${spliced_pid[$n]}" 2>/dev/null
        fi
    done
    [ -z "$etcd_pid" ] || { kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; }
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
    if [ "$status" != 0 ]; then   # the daemons' and etcd's logs say why
        mkdir -p "$dir.logs"; cp "$dir"/*.log "$dir"/ping.txt "$dir.logs/" 2>/dev/null
        echo "failed; the logs are in $dir.logs" >&2
    fi
    rm -rf "$dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir"
for ns in "${namespaces[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$ul" link add ul type bridge; ip -n "$ul" link set ul up
plug() {
    ip -n "$ul" link add "$2" type veth peer name eth0 netns "$1"
    ip -n "$ul" link set "$2" master ul up
    ip -n "$1" addr add "$3" dev eth0; ip -n "$1" link set eth0 up
}
plug "$etcd_ns" pe 10.211.0.100/24
plug "${hosts[0]}" p1 10.211.0.1/24
plug "${hosts[1]}" p2 10.211.0.2/24
plug "${hosts[2]}" p3 10.211.0.3/24
plug "${hosts[3]}" p4 10.211.0.4/24
start_etcd() {
    nsenter --net="/run/netns/$etcd_ns" /usr/bin/etcd --name ovb --data-dir "$dir/etcd" \
        --listen-client-urls http://10.211.0.100:2379 --advertise-client-urls http://10.211.0.100:2379 \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster ovb=http://127.0.0.1:2380 >>"$dir/etcd.log" 2>&1 &
    etcd_pid=$!
    until nsenter --net="/run/netns/$etcd_ns" curl -s -m 1 http://10.211.0.100:2379/health 2>/dev/null \
        | grep -q true
    do
        sleep 0.1
    done
}
start_etcd
mkdir -p "$dir"/rootfs/{bin,tmp,etc,proc,sys,dev}
cp /bin/busybox "$dir/rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$dir/rootfs/bin/$applet"; done
tar -C "$dir/rootfs" -cf "$dir/bb.tar" .
start_spliced() {  # N: spliced on host N, in the background (no wait)
    setsid nsenter --net="/run/netns/${hosts[$1 - 1]}" "$bin/spliced" -H "unix://$dir/h$1.sock" -g "$dir/h$1" \
        -p "$dir/h$1.pid" --cluster-store etcd://10.211.0.100:2379 --cluster-advertise eth0 >>"$dir/h$1.log" 2>&1 &
    spliced_pid[$1]=$!
}
for n in 1 2; do
    start_spliced "$n"
    until dk "h$n" version >/dev/null 2>&1; do sleep 0.1; done
    dk "h$n" import "$dir/bb.tar" bb >/dev/null
done
dk h1 network create -d overlay --subnet 10.210.0.0/24 ov >/dev/null
until dk h2 network ls --format '{{.Name}}' | grep -qx ov; do sleep 0.1; done
dk h1 run -d --name c1 --network ov bb sleep 100000 >/dev/null
pid1=$(dk h1 inspect -f '{{.State.Pid}}' c1)

echo "== (a) convergence: docker run on host 2 -> first answered ping from host 1's container ($rounds rounds)"
samples=()
for k in $(seq "$rounds"); do
    t0=$(now)
    dk h2 run -d --name "r$k" --network ov bb sleep 100000 >/dev/null
    address=$(dk h2 inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' "r$k")
    nsenter --net="/proc/$pid1/ns/net" ping -q -n -c 1 -i 0.002 -w 10 "$address" >/dev/null
    t1=$(now)
    samples+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
run_only=()
for k in $(seq "$rounds"); do
    t0=$(now); dk h2 run -d --name "s$k" --network ov bb sleep 100000 >/dev/null; t1=$(now)
    run_only+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
done
conv=$(median "${samples[@]}"); runms=$(median "${run_only[@]}")
printf '   run -> first reply: median %.1f ms   (docker run alone: median %.1f ms; target < 100 ms)\n' "$conv" "$runms"

echo "== (b) TCP throughput, iperf3 -t 5, host 1 -> host 2"
dk h2 run -d --name c2 --network ov bb sleep 100000 >/dev/null
pid2=$(dk h2 inspect -f '{{.State.Pid}}' c2)
address2=$(dk h2 inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' c2)
iperf() {  # SERVER-NETNS-PATH CLIENT-NETNS-PATH ADDRESS -> bits per second
    nsenter --net="$1" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
    local server=$!
    sleep 0.5
    nsenter --net="$2" iperf3 -c "$3" -p 5201 -t 5 -J | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])'
    wait "$server" || true
}
overlay_bps=$(iperf "/proc/$pid2/ns/net" "/proc/$pid1/ns/net" "$address2")
# The same path by hand: bridge brm + VXLAN vxm (VNI 999, nolearning, flood entry to the peer) + veth into m1/m2.
for n in 1 2; do
    h=${hosts[$n - 1]}; m=${manual[$n - 1]}; peer=10.211.0.$((3 - n))
    ip -n "$h" link add brm mtu 1450 type bridge; ip -n "$h" link set brm up
    ip -n "$h" link add vxm mtu 1450 type vxlan id 999 local 10.211.0.$n dstport 4789 nolearning
    ip -n "$h" link set vxm master brm up
    bridge -n "$h" fdb append 00:00:00:00:00:00 dev vxm dst "$peer" self permanent
    ip -n "$h" link add vm mtu 1450 type veth peer name eth0 netns "$m"
    ip -n "$h" link set vm master brm up
    ip -n "$m" addr add 10.216.0.$n/24 dev eth0; ip -n "$m" link set eth0 mtu 1450 up
done
nsenter --net="/run/netns/${manual[0]}" ping -q -c 1 -w 5 10.216.0.2 >/dev/null
manual_bps=$(iperf "/run/netns/${manual[1]}" "/run/netns/${manual[0]}" 10.216.0.2)
ratio=$(echo "100 * $overlay_bps / $manual_bps" | bc -l)
printf '   splice overlay: %.2f Gbit/s   hand-made VXLAN (ip): %.2f Gbit/s   ratio %.1f %% (target >= 95 %%)\n' \
    "$(echo "$overlay_bps / 1000000000" | bc -l)" "$(echo "$manual_bps / 1000000000" | bc -l)" "$ratio"

echo "== (c) a host joining a store with 3 hosts and $endpoints endpoints: time until its FDB is complete"
start_spliced 3
until dk h3 version >/dev/null 2>&1; do sleep 0.1; done
dk h3 import "$dir/bb.tar" bb >/dev/null
dk h1 network create -d overlay --subnet 10.213.0.0/22 big >/dev/null
big=$(dk h1 network inspect -f '{{.Id}}' big)
device=vx-${big:0:12}
until dk h3 network ls --format '{{.Name}}' | grep -qx big; do sleep 0.1; done
remote_fdb() {  # NETNS -> static FDB entries of remote endpoints on the VXLAN device of "big" (not the flood ones)
    { bridge -n "$1" fdb show dev "$device" 2>/dev/null || true; } | grep ' dst ' \
        | grep -vc '^00:00:00:00:00:00' || true
}
remote_neighbours() {  # NETNS -> permanent neighbour entries on the VXLAN device of "big"
    { ip -n "$1" neigh show dev "$device" nud permanent 2>/dev/null || true; } | grep -c . || true
}
# One run at a time, round robin over the hosts: three hosts creating at once exhausted spliced's etcd
# connections here (HTTPClientError.getConnectionFromPoolTimeout; see benchmarks/README.md).
t0=$(now)
for k in $(seq $((endpoints / 3))); do
    for n in 1 2 3; do dk "h$n" run -d --network big bb sleep 100000 >/dev/null; done
done
t1=$(now)
# Settled: each of the three hosts forwards to the other two hosts' containers.
for n in 1 2 3; do
    until [ "$(remote_fdb "${hosts[$n - 1]}")" = $((endpoints * 2 / 3)) ]; do sleep 0.1; done
done
printf '   %d containers made on 3 hosts in %.1f s; each host forwards to the other two hosts'"'"' %d\n' \
    "$endpoints" "$(echo "$t1 - $t0" | bc -l)" $((endpoints * 2 / 3))
t0=$(now)
start_spliced 4
api=
while true; do
    [ -n "$api" ] || ! dk h4 version >/dev/null 2>&1 || api=$(now)
    fdb=$(remote_fdb "${hosts[3]}"); neighbours=$(remote_neighbours "${hosts[3]}")
    [ "$fdb" -lt "$endpoints" ] || [ "$neighbours" -lt "$endpoints" ] || break
    kill -0 "${spliced_pid[4]}" || { echo "host 4's spliced exited; see $dir/h4.log" >&2; exit 1; }
    sleep 0.01
done
t1=$(now)
[ -n "$api" ] || { dk h4 version >/dev/null; api=$(now); }
joinms=$(echo "($t1 - $t0) * 1000" | bc -l); apims=$(echo "($api - $t0) * 1000" | bc -l)
printf '   host 4: API answers after %.0f ms; %d FDB + %d neighbour entries complete after %.0f ms (%.1fx the API)\n' \
    "$apims" "$fdb" "$neighbours" "$joinms" "$(echo "$joinms / $apims" | bc -l)"

seconds=30
count=$(((seconds + 8) * 20))
echo "== (d) etcd stopped for $seconds s under a ping from host 1's container to host 2's every 50 ms ($count pings)"
nsenter --net="/proc/$pid1/ns/net" ping -n -q -i 0.05 -W 1 -c "$count" "$address2" >"$dir/ping.txt" 2>&1 &
ping_pid=$!
sleep 3
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; etcd_pid=
stopped=$(now)
sleep "$seconds"
start_etcd
printf '   etcd back after %.1f s\n' "$(echo "$(now) - $stopped" | bc -l)"
wait "$ping_pid" || true; ping_pid=
summary=$(grep 'packets transmitted' "$dir/ping.txt") || { cat "$dir/ping.txt" >&2; exit 1; }
sent=$(echo "$summary" | awk '{print $1}'); received=$(echo "$summary" | awk '{print $4}')
lost=$((sent - received))
fdb4=$(remote_fdb "${hosts[3]}")
printf '   %d sent, %d received: %d lost (%.2f %%; target 0); host 4 still forwards to %d of %d endpoints\n' \
    "$sent" "$received" "$lost" "$(echo "100 * $lost / $sent" | bc -l)" "$fdb4" "$endpoints"
