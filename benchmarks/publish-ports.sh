#!/bin/bash
# Publishing N ports (default 1,000) for one sandbox, three ways, each in its own scratch network namespace (the
# machine's own ruleset is never touched):
#   (a) Splice: BridgeDriver.publish through splice-bench, one libnftables transaction adding N map elements, in
#       process (no process start counted; see the note at the end);
#   (b) Docker's way: one iptables process per rule, three rules per port (nat DNAT, filter ACCEPT, nat hairpin
#       MASQUERADE), using iptables-nft (installed from Debian if missing; iptables-legacy is never used);
#   (c) nft -f with one DNAT rule per mapping, one process, one transaction.
# Prints each time and the ratios. Target: (a) under 20 ms and at least 100x faster than (b).
#
# Usage: sudo benchmarks/publish-ports.sh [PORTS]     (env SCRATCH: SwiftPM scratch path, default .build)
set -euo pipefail

PORTS=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$ROOT/.build}
NS=splice-bench-$$
CONTAINER=172.17.0.2
BRIDGE=docker0
WORK=$(mktemp -d)

cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "publish-ports.sh: needs root (network namespaces, nftables)" >&2; exit 1; }
if ! command -v iptables-nft >/dev/null; then
    echo "installing iptables (Debian package, for iptables-nft) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >/dev/null
fi

now_ns() { date +%s%N; }
ms() { awk -v d="$1" 'BEGIN { printf "%.2f", d / 1000000 }'; }

fresh_namespace() {
    ip netns del "$NS" 2>/dev/null || true
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    ip -n "$NS" link add "$BRIDGE" type bridge
    ip -n "$NS" addr add 172.17.0.1/16 dev "$BRIDGE"
    ip -n "$NS" link set "$BRIDGE" up
}

# (a) Splice, in process: BridgeDriver.publish for one connected sandbox (port checks, state, one libnftables
#     transaction adding N map elements), median of 5 runs, each in its own scratch namespace.
echo "building splice-bench (release, scratch path $SCRATCH) ..." >&2
(cd "$ROOT" && swift build -c release --product splice-bench --scratch-path "$SCRATCH" >/dev/null)
splice_line=$("$SCRATCH/release/splice-bench" publish-ports "$PORTS" | grep '^BENCH splice-publish' || true)
[ -n "$splice_line" ] || { echo "publish-ports.sh: the Splice benchmark printed nothing" >&2; exit 1; }
splice_ms=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$splice_line")

# (b) One iptables-nft process per rule, Docker's three rules per published port.
fresh_namespace
{
    echo 'iptables-nft -t nat -N DOCKER'
    echo 'iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER'
    echo 'iptables-nft -t filter -N DOCKER'
    echo "iptables-nft -t filter -A FORWARD -o $BRIDGE -j DOCKER"
} >"$WORK/setup.sh"
for ((i = 0; i < PORTS; i++)); do
    port=$((20000 + i))
    echo "iptables-nft -t nat -A DOCKER ! -i $BRIDGE -p tcp -m tcp --dport $port -j DNAT --to-destination $CONTAINER:$port"
    echo "iptables-nft -t filter -A DOCKER -d $CONTAINER/32 ! -i $BRIDGE -o $BRIDGE -p tcp -m tcp --dport $port -j ACCEPT"
    echo "iptables-nft -t nat -A POSTROUTING -s $CONTAINER/32 -d $CONTAINER/32 -p tcp -m tcp --dport $port -j MASQUERADE"
done >"$WORK/rules.sh"
ip netns exec "$NS" sh -e "$WORK/setup.sh"
start=$(now_ns)
ip netns exec "$NS" sh -e "$WORK/rules.sh"
iptables_ns=$(( $(now_ns) - start ))
iptables_rules=$(ip netns exec "$NS" iptables-nft-save | grep -c -- '--dport' || true)

# (c) nft -f, one DNAT rule per mapping, one transaction.
fresh_namespace
{
    echo 'table ip bench {'
    echo '  chain prerouting { type nat hook prerouting priority dstnat; policy accept; }'
    echo '}'
    for ((i = 0; i < PORTS; i++)); do
        port=$((20000 + i))
        echo "add rule ip bench prerouting fib daddr type local tcp dport $port dnat to $CONTAINER:$port"
    done
} >"$WORK/rules.nft"
start=$(now_ns)
ip netns exec "$NS" nft -f "$WORK/rules.nft"
nft_ns=$(( $(now_ns) - start ))
nft_rules=$(ip netns exec "$NS" nft list chain ip bench prerouting | grep -c dnat || true)

iptables_ms=$(ms "$iptables_ns")
nft_ms=$(ms "$nft_ns")
echo
echo "publishing $PORTS ports for one sandbox"
printf '  (a) splice (libnftables, 1 transaction, map elements)  %10s ms   %s\n' "$splice_ms" "$splice_line"
printf '  (b) iptables-nft, 1 process per rule, 3 rules per port  %10s ms   (%s rules)\n' "$iptables_ms" "$iptables_rules"
printf '  (c) nft -f, 1 rule per mapping                          %10s ms   (%s rules)\n' "$nft_ms" "$nft_rules"
awk -v a="$splice_ms" -v b="$iptables_ms" -v c="$nft_ms" 'BEGIN {
    printf "  ratios: (b)/(a) = %.0fx   (c)/(a) = %.1fx\n", b / a, c / a
    printf "  target: (a) < 20 ms: %s;  (b)/(a) >= 100: %s\n", (a < 20 ? "yes" : "NO"), (b / a >= 100 ? "yes" : "NO")
}'
echo "  note: (a) is timed inside the splice-bench process (no process start); (b) and (c) include their process starts," \
    "as Docker's daemon pays them per rule."

# Connecting sandboxes: 1,000 split across two networks (a Linux bridge holds at most 1,023 ports).
echo
"$SCRATCH/release/splice-bench" connect "${CONNECTS:-1000}"
