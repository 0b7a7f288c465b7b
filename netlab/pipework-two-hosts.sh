#!/usr/bin/env bash
# The seed's cross-host LAN, built with Splice's pipework:
#
#   underlay namespace "ul": bridge "underlay"
#     |-- h1 (namespace): eth0 --- br0 --- eth1 of guests h1g1, h1g2   (192.168.115.1, .2; br0 has .254)
#     `-- h2 (namespace): eth0 --- br0 --- eth1 of guests h2g1, h2g2   (192.168.115.3, .4)
#
# Each host's br0 enslaves its uplink eth0, so the four guests share one LAN across the two "hosts".
# It proves cross-host pings, prints what it built, and removes everything it made (also on failure).
# Usage: netlab/pipework-two-hosts.sh [PIPEWORK_BINARY]     (root; the default binary is the release build)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
pipework=${1:-${PIPEWORK:-$here/.build/release/pipework}}
[ -x "$pipework" ] || { echo "pipework binary not found at $pipework (run: swift build -c release)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "this demo creates network namespaces: run it as root" >&2; exit 1; }

hosts=(h1 h2)
guests=(h1g1 h1g2 h2g1 h2g2)
made=()

cleanup() {
    local ns
    for ((i = ${#made[@]} - 1; i >= 0; i--)); do
        ns=${made[i]}
        ip netns del "$ns" 2>/dev/null || true
    done
}
trap cleanup EXIT

for ns in ul "${hosts[@]}" "${guests[@]}"; do
    if [ -e "/run/netns/$ns" ]; then
        echo "namespace $ns already exists; remove it first (ip netns del $ns) so this demo owns what it builds" >&2
        trap - EXIT
        exit 1
    fi
done

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The underlay: one namespace with a plain bridge, standing in for the switch between two machines.
ip netns add ul; made+=(ul)
in_ns ul ip link add underlay type bridge
in_ns ul ip link set underlay up

n=0
for h in "${hosts[@]}"; do
    n=$((n + 1))
    ip netns add "$h"; made+=("$h")
    # The host's uplink eth0, wired to the underlay switch.
    in_ns ul ip link add "up$n" type veth peer name eth0 netns "$h"
    in_ns ul ip link set "up$n" master underlay up
    in_ns "$h" ip link set lo up
    in_ns "$h" ip link set eth0 up
done
for g in "${guests[@]}"; do ip netns add "$g"; made+=("$g"); done

# On each host: pipework creates br0 (a name starting with "br"), attaches the guests; eth0 joins br0.
start=$(date +%s%N)
in_ns h1 "$pipework" br0 -i eth1 h1g1 192.168.115.1/24@192.168.115.254
in_ns h1 "$pipework" br0 -i eth1 h1g2 192.168.115.2/24@192.168.115.254
in_ns h2 "$pipework" br0 -i eth1 h2g1 192.168.115.3/24@192.168.115.254
in_ns h2 "$pipework" br0 -i eth1 h2g2 192.168.115.4/24@192.168.115.254
end=$(date +%s%N)
for h in "${hosts[@]}"; do in_ns "$h" ip link set eth0 master br0; done
# The gateway the guests were given lives on h1's bridge.
in_ns h1 ip addr add 192.168.115.254/24 dev br0

echo "== pipework: 4 attaches in $(( (end - start) / 1000000 )) ms (4 processes, including start-up)"
echo
printf '%-5s %-6s %-6s %-18s %-19s %-12s %s\n' HOST GUEST IF ADDRESS MAC HOST-SIDE GATEWAY
for g in "${guests[@]}"; do
    h=${g:0:2}
    addr=$(in_ns "$g" ip -j addr show eth1 | jq -r '.[0].addr_info[] | select(.family=="inet") | "\(.local)/\(.prefixlen)"')
    mac=$(in_ns "$g" ip -j link show eth1 | jq -r '.[0].address')
    gw=$(in_ns "$g" ip -j route show default | jq -r '.[0].gateway')
    side=$(in_ns "$h" "$pipework" --list | awk -v g="$g" '$1 == g && $3 == "veth" { print $5 }')
    printf '%-5s %-6s %-6s %-18s %-19s %-12s %s\n' "$h" "$g" eth1 "$addr" "$mac" "$side" "$gw"
done
echo

status=0
check_ping() {
    local from=$1 to=$2
    if in_ns "$from" ping -c 1 -W 2 "$to" >/dev/null; then
        echo "ping $from -> $to: ok"
    else
        echo "ping $from -> $to: FAILED"; status=1
    fi
}
check_ping h1g1 192.168.115.3     # h1 -> h2, across the underlay
check_ping h1g2 192.168.115.4
check_ping h2g2 192.168.115.1     # h2 -> h1
check_ping h2g1 192.168.115.254   # guest on h2 reaches the gateway on h1
check_ping h1g1 192.168.115.2     # same host

cleanup
made=()
trap - EXIT
left=$(ip netns list | awk '{print $1}' | grep -xE 'ul|h1|h2|h1g1|h1g2|h2g1|h2g2' || true)
if [ -n "$left" ]; then echo "leak: namespaces left behind: $left"; status=1; else echo "cleanup: every namespace, bridge and veth removed"; fi
exit $status
