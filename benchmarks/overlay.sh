#!/usr/bin/env bash
# Overlay networks, measured: (a) convergence, the time from `docker run --network ov` on host 2 to the first
# answered ping from a container on host 1 (median of ROUNDS); (b) TCP throughput (iperf3, 5 s) between a
# container on each host over the overlay, against the same path built by hand with ip (bridge + VXLAN with a
# flood entry + veth into a namespace, on the same two host namespaces); ratios printed.
#
#   underlay namespace ovb-ul-PID: bridge "ul"; etcd (10.211.0.100), host 1 (10.211.0.1), host 2 (10.211.0.2)
#
# Usage: benchmarks/overlay.sh [ROUNDS]   (root; SPLICE_BIN_DIR: spliced, splice-init; default .build/release)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SPLICE_BIN_DIR:-$here/.build/release}
docker=${DOCKER:-/usr/local/bin/docker}
rounds=${1:-5}
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 1; }
for need in "$bin/spliced" "$bin/splice-init" "$docker" /usr/bin/etcd /usr/bin/iperf3 /bin/busybox; do
    [ -x "$need" ] || { echo "missing $need (bash scripts/setup.sh; swift build -c release --product spliced)" >&2; exit 1; }
done

tag=$$
dir=/tmp/splice-overlay-bench-$tag
ul=ovb-ul-$tag; etcd_ns=ovb-etcd-$tag
hosts=(ovb-h1-$tag ovb-h2-$tag)
manual=(ovb-m1-$tag ovb-m2-$tag)
namespaces=("$ul" "$etcd_ns" "${hosts[@]}" "${manual[@]}")
declare -A spliced_pid
etcd_pid=
dk() { local host=$1; shift; timeout -s KILL 60 "$docker" -H "unix://$dir/$host.sock" "$@"; }
now() { date +%s.%N; }

cleanup() {
    local status=$? n
    trap - EXIT; trap '' INT TERM; set +e
    for n in 1 2; do
        if [ -n "${spliced_pid[$n]:-}" ] && kill -0 "${spliced_pid[$n]}" 2>/dev/null; then
            ids=$(dk "h$n" ps -aq 2>/dev/null)
            [ -z "$ids" ] || dk "h$n" rm -f $ids >/dev/null 2>&1
            kill "${spliced_pid[$n]}"; wait "${spliced_pid[$n]}" 2>/dev/null
        fi
    done
    [ -z "$etcd_pid" ] || { kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; }
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
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
nsenter --net="/run/netns/$etcd_ns" /usr/bin/etcd --name ovb --data-dir "$dir/etcd" \
    --listen-client-urls http://10.211.0.100:2379 --advertise-client-urls http://10.211.0.100:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster ovb=http://127.0.0.1:2380 >>"$dir/etcd.log" 2>&1 &
etcd_pid=$!
until nsenter --net="/run/netns/$etcd_ns" curl -s -m 1 http://10.211.0.100:2379/health 2>/dev/null | grep -q true; do
    sleep 0.1
done
mkdir -p "$dir"/rootfs/{bin,tmp,etc,proc,sys,dev}
cp /bin/busybox "$dir/rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$dir/rootfs/bin/$applet"; done
tar -C "$dir/rootfs" -cf "$dir/bb.tar" .
for n in 1 2; do
    setsid nsenter --net="/run/netns/${hosts[$n - 1]}" "$bin/spliced" -H "unix://$dir/h$n.sock" -g "$dir/h$n" \
        -p "$dir/h$n.pid" --cluster-store etcd://10.211.0.100:2379 --cluster-advertise eth0 >>"$dir/h$n.log" 2>&1 &
    spliced_pid[$n]=$!
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
