#!/usr/bin/env bash
# Container LANs across hosts with Splice's overlay driver and etcd as the cluster store:
#
#   underlay namespace ovl-ul-PID: bridge "ul" (10.211.0.0/24)
#     |-- ovl-etcd-PID   etcd 3.4                         10.211.0.100
#     |-- ovl-h1-PID     spliced (host 1)                 10.211.0.1
#     |-- ovl-h2-PID     spliced (host 2)                 10.211.0.2
#     `-- ovl-rt-PID     a router                         10.211.0.254 | 10.212.0.254
#                          `-- ovl-h3-PID  spliced (host 3, behind the router: a routed underlay)  10.212.0.3
#
# `docker network create -d overlay` on host 1; a container on every host; each reaches the others by name. Then
# `kill -9` of host 2's spliced and a stop of etcd under a running ping (no packet lost), a new container after
# etcd returns (a conflict-free address), host 3 leaving (it vanishes from host 1's FDB), and a leak check.
# Usage: netlab/overlay-three-hosts.sh   (root; SPLICE_BIN_DIR: spliced, splice-init; default .build/release)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SPLICE_BIN_DIR:-$here/.build/release}
docker=${DOCKER:-/usr/local/bin/docker}
[ "$(id -u)" = 0 ] || { echo "this demo creates network namespaces: run it as root" >&2; exit 1; }
if [ -z "${SPLICE_BIN_DIR:-}" ] && ! "$bin/spliced" --help 2>/dev/null | grep -q -- --cluster-store; then
    echo "== building spliced (release)"   # missing, or built before the cluster store existed
    (cd "$here" && swift build -c release --product spliced 2>&1 | tail -n 1)
fi
for need in "$bin/spliced" "$bin/splice-init" "$docker" /usr/bin/etcd /bin/busybox; do
    [ -x "$need" ] || { echo "missing $need (bash scripts/setup.sh; swift build -c release --product spliced)" >&2; exit 1; }
done

tag=$$
dir=/tmp/splice-overlay-$tag
ul=ovl-ul-$tag; rt=ovl-rt-$tag; etcd_ns=ovl-etcd-$tag
hosts=(ovl-h1-$tag ovl-h2-$tag ovl-h3-$tag)
namespaces=("$ul" "$rt" "$etcd_ns" "${hosts[@]}")
declare -A spliced_pid
etcd_pid=
failures=0

step() { echo; echo "== $*"; }
ok() { echo "   ok: $*"; }
fail() { echo "   FAILED: $*"; failures=$((failures + 1)); }
dk() { local host=$1; shift; timeout -s KILL 60 "$docker" -H "unix://$dir/$host.sock" "$@"; }

start_etcd() {
    nsenter --net="/run/netns/$etcd_ns" /usr/bin/etcd --name ovl --data-dir "$dir/etcd" \
        --listen-client-urls http://10.211.0.100:2379 --advertise-client-urls http://10.211.0.100:2379 \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster ovl=http://127.0.0.1:2380 >>"$dir/etcd.log" 2>&1 &
    etcd_pid=$!
    for _ in $(seq 100); do
        nsenter --net="/run/netns/$etcd_ns" curl -s -m 1 http://10.211.0.100:2379/health 2>/dev/null \
            | grep -q true && return 0
        sleep 0.1
    done
    echo "etcd did not start; see $dir/etcd.log" >&2; return 1
}

start_spliced() {  # N
    local n=$1 host=${hosts[$1 - 1]}
    setsid nsenter --net="/run/netns/$host" "$bin/spliced" -H "unix://$dir/h$n.sock" -g "$dir/h$n" \
        -p "$dir/h$n.pid" --cluster-store etcd://10.211.0.100:2379 --cluster-advertise eth0 \
        --cluster-store-opt lease.ttl=4 >>"$dir/h$n.log" 2>&1 &
    spliced_pid[$n]=$!
    for _ in $(seq 200); do
        dk "h$n" version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "spliced on host $n did not start; see $dir/h$n.log" >&2; return 1
}

cleanup() {
    local status=$? n
    trap - EXIT; trap '' INT TERM; set +e
    step "cleanup"
    for n in 1 2 3; do
        # A host whose spliced was killed gets it back, so its containers are removed through it.
        if [ -e "$dir/h$n" ] && ! { [ -n "${spliced_pid[$n]:-}" ] && kill -0 "${spliced_pid[$n]}" 2>/dev/null; }; then
            start_spliced "$n" >/dev/null 2>&1
        fi
        if [ -n "${spliced_pid[$n]:-}" ] && kill -0 "${spliced_pid[$n]}" 2>/dev/null; then
            ids=$(dk "h$n" ps -aq 2>/dev/null)
            [ -z "$ids" ] || dk "h$n" rm -f $ids >/dev/null 2>&1
            kill "${spliced_pid[$n]}"; wait "${spliced_pid[$n]}" 2>/dev/null
        fi
    done
    [ -z "$etcd_pid" ] || { kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; }
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
    grep -q " $dir" /proc/mounts && { echo "   leak: mounts under $dir"; status=1; }
    if [ "$failures" != 0 ]; then   # the daemons' and etcd's logs say why
        mkdir -p "$dir-logs" && cp "$dir"/*.log "$dir-logs/" 2>/dev/null && echo "   logs kept in $dir-logs"
    fi
    rm -rf "$dir"
    local left=()
    for ns in "${namespaces[@]}"; do [ -e "/run/netns/$ns" ] && left+=("$ns"); done
    for n in 1 2 3; do [ -n "${spliced_pid[$n]:-}" ] && kill -0 "${spliced_pid[$n]}" 2>/dev/null && left+=("spliced ${spliced_pid[$n]}"); done
    [ -n "$etcd_pid" ] && kill -0 "$etcd_pid" 2>/dev/null && left+=("etcd $etcd_pid")
    if [ ${#left[@]} -gt 0 ]; then echo "   leak: ${left[*]}"; status=1; else echo "   leak check: nothing left"; fi
    if [ "$status" = 0 ] && [ "$failures" = 0 ]; then echo "== overlay demo: every step passed"; else
        echo "== overlay demo FAILED ($failures failed steps, status $status)"; status=1; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "underlay: bridge ul, etcd, hosts 1 and 2 on it, host 3 behind a router"
mkdir -p "$dir"
for ns in "${namespaces[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$ul" link add ul type bridge; ip -n "$ul" link set ul up
plug() {  # NS PORT ADDRESS [GATEWAY]
    ip -n "$ul" link add "$2" type veth peer name eth0 netns "$1"
    ip -n "$ul" link set "$2" master ul up
    ip -n "$1" addr add "$3" dev eth0; ip -n "$1" link set eth0 up
    [ -z "${4:-}" ] || ip -n "$1" route add default via "$4"
}
plug "$etcd_ns" pe 10.211.0.100/24 10.211.0.254
plug "${hosts[0]}" p1 10.211.0.1/24 10.211.0.254
plug "${hosts[1]}" p2 10.211.0.2/24 10.211.0.254
plug "$rt" pr 10.211.0.254/24
ip -n "$rt" link add eth1 type veth peer name eth0 netns "${hosts[2]}"
ip -n "$rt" addr add 10.212.0.254/24 dev eth1; ip -n "$rt" link set eth1 up
ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
ip -n "${hosts[2]}" addr add 10.212.0.3/24 dev eth0; ip -n "${hosts[2]}" link set eth0 up
ip -n "${hosts[2]}" route add default via 10.212.0.254
start_etcd && ok "etcd at 10.211.0.100:2379 (pid $etcd_pid)"
mkdir -p "$dir"/rootfs/{bin,tmp,etc,proc,sys,dev}
cp /bin/busybox "$dir/rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$dir/rootfs/bin/$applet"; done
tar -C "$dir/rootfs" -cf "$dir/bb.tar" .
for n in 1 2 3; do
    start_spliced "$n" && dk "h$n" import "$dir/bb.tar" bb >/dev/null && ok "host $n: spliced (pid ${spliced_pid[$n]}), image bb"
done

step "docker network create -d overlay --subnet 10.210.0.0/24 ov   (on host 1)"
dk h1 network create -d overlay --subnet 10.210.0.0/24 ov >/dev/null && ok "created"
for n in 2 3; do
    seen=0
    for _ in $(seq 50); do dk "h$n" network ls --filter driver=overlay --format '{{.Name}}' | grep -qx ov && { seen=1; break; }; sleep 0.2; done
    [ "$seen" = 1 ] && ok "host $n lists ov" || fail "host $n does not list ov"
done

step "a container on every host; each pings the others by name"
for n in 1 2 3; do dk "h$n" run -d --name "c$n" --network ov bb sleep 100000 >/dev/null && ok "c$n on host $n: $(dk "h$n" inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' "c$n")"; done
for n in 1 2 3; do for m in 1 2 3; do
    [ "$n" = "$m" ] && continue
    reached=0
    for _ in $(seq 20); do dk "h$n" exec "c$n" ping -c 1 -W 1 "c$m" >/dev/null 2>&1 && { reached=1; break; }; sleep 0.2; done
    if [ "$reached" = 1 ]; then ok "c$n -> c$m"; else
        fail "c$n cannot reach c$m"
        dk "h$n" exec "c$n" ping -c 1 -W 1 "$(dk "h$m" inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' "c$m")" \
            | sed 's/^/      /'
        nsenter --net="/run/netns/${hosts[$n - 1]}" bridge fdb show | grep vx- | sed 's/^/      /'
    fi
done; done

step "a stop of etcd and kill -9 of host 2's spliced, under a ping from c1 to c2 (5 per second)"
dk h1 exec c1 ping -q -i 0.2 -c 40 c2 >"$dir/ping.out" 2>&1 &
ping_pid=$!
sleep 1
# etcd first: while it is down no lease expires, so host 2 is not taken for dead (with etcd up, a host whose
# spliced stays away longer than the TTL is, and leaves the others' FDB).
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; etcd_pid=
kill -9 "${spliced_pid[2]}"; wait "${spliced_pid[2]}" 2>/dev/null || true; spliced_pid[2]=
echo "   etcd and host 2's spliced are down"
sleep 4
start_etcd && start_spliced 2 && echo "   both back"
wait "$ping_pid" || true
grep -q " 0% packet loss" "$dir/ping.out" && ok "$(grep 'packet loss' "$dir/ping.out")" \
    || fail "packets lost: $(cat "$dir/ping.out")"

step "after etcd returns: a new container gets a conflict-free address"
dk h2 run -d --name c4 --network ov bb sleep 100000 >/dev/null
addresses=$(for n in 1 2 3; do dk "h$n" inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' "c$n"; done; dk h2 inspect -f '{{.NetworkSettings.Networks.ov.IPAddress}}' c4)
[ "$(echo "$addresses" | sort -u | wc -l)" = 4 ] && ok "c4 got $(echo "$addresses" | tail -1); all four distinct" \
    || fail "addresses repeat: $addresses"

step "host 3 leaves (kill -9; its lease expires after 4 s, its grace 4 s later): it vanishes from host 1's FDB"
device=vx-$(dk h1 network inspect -f '{{.Id}}' ov | cut -c1-12)
fdb() { nsenter --net="/run/netns/${hosts[0]}" bridge fdb show dev "$device"; }
fdb | grep -q "dst 10.212.0.3" && ok "before: host 1 floods to 10.212.0.3"
kill -9 "${spliced_pid[3]}"; wait "${spliced_pid[3]}" 2>/dev/null || true; spliced_pid[3]=
gone=0
for _ in $(seq 100); do fdb | grep -q "dst 10.212.0.3" || { gone=1; break; }; sleep 0.2; done
[ "$gone" = 1 ] && ok "after: no entry for 10.212.0.3 in host 1's FDB" || fail "host 3 is still in host 1's FDB"
start_spliced 3 >/dev/null   # so the cleanup removes c3 through it
