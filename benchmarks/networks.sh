#!/usr/bin/env bash
# User-defined networks, Splice against Debian's docker.io daemon, in one run (issue 9):
#   (a) `network create` plus COUNT `run -d bb sleep 3600` on that network, through the docker CLI against each
#       daemon (the same client, so the daemons are compared): total wall time and the ratio;
#   (b) name lookup latency from inside a container on a user network: a small UDP client in the container's
#       network namespace asks the embedded resolver at 127.0.0.11 for a sibling's name QUERIES times, one query
#       at a time, and prints p50 and p99 (target: p99 under 1 ms), against spliced's resolver and dockerd's.
# Both daemons run in network namespaces of their own. Usage: sudo bash benchmarks/networks.sh [COUNT] [QUERIES]
# (defaults 100 and 2000; release builds of spliced/splice/splice-init, or SPLICE_BIN_DIR=.build/debug).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
count=${1:-100}
queries=${2:-2000}
[ -n "$docker_cli" ] || { echo "the docker CLI is missing (/usr/local/bin/docker or docker.io)" >&2; exit 1; }

trap side_by_side_finish EXIT
trap 'exit 130' INT TERM

lab_init netbench
dockerd_cleanup_stale
lab_start_spliced
lab_import_busybox bb:latest
echo "spliced ($LAB_BIN) in namespace $LAB_NS; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
spliced_cli() { DOCKER_HOST="$SPLICE_HOST" "$docker_cli" "$@"; }

# The lookup client: QUERIES A queries for NAME to 127.0.0.11:53, each waited for; prints p50 p99 in ms.
lookup_client='
import socket, struct, sys, time
name, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(("127.0.0.11", 53))
question = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0\0\1\0\1"
samples = []
for i in range(count + 50):
    packet = struct.pack(">HHHHHH", i & 0xFFFF, 0x0100, 1, 0, 0, 0) + question
    start = time.perf_counter_ns()
    s.send(packet)
    reply = s.recv(512)
    elapsed = time.perf_counter_ns() - start
    if reply[:2] != packet[:2] or reply[7] == 0:
        sys.exit("bad answer to query %d: %r" % (i, reply))
    if i >= 50:
        samples.append(elapsed / 1e6)
samples.sort()
print("%.3f %.3f" % (samples[len(samples) // 2], samples[int(len(samples) * 0.99) - 1]))
'

# run_side NAME CLI...: (a) and (b) against one daemon; sets side_total_s, side_each_ms, side_p50, side_p99.
run_side() {
    local label=$1
    shift
    local t0 t1 i pid
    t0=$EPOCHREALTIME
    "$@" network create --subnet 10.231.0.0/16 benchnet >/dev/null
    for ((i = 0; i < count; i++)); do
        "$@" run -d --network benchnet --name "bench$i" bb sleep 3600 >/dev/null ||
            { echo "$label: container $i failed to start" >&2; return 1; }
    done
    t1=$EPOCHREALTIME
    side_total_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    side_each_ms=$(awk -v a="$t0" -v b="$t1" -v n="$count" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')
    pid=$("$@" inspect -f '{{.State.Pid}}' bench0)
    read -r side_p50 side_p99 < <(nsenter --net="/proc/$pid/ns/net" python3 -c "$lookup_client" bench1 "$queries")
    echo "$label: network create + $count run -d: $side_total_s s ($side_each_ms ms each);" \
        "lookup of a sibling's name, $queries queries: p50 $side_p50 ms, p99 $side_p99 ms"
}

run_side "spliced" spliced_cli
sp_total=$side_total_s sp_each=$side_each_ms sp_p50=$side_p50 sp_p99=$side_p99
lab_remember_containers
dd_total= dd_p50= dd_p99=
if start_dockerd; then
    echo "dockerd $(dd_docker version --format '{{.Server.Version}}') in namespace $dd_ns"
    run_side "dockerd" dd_docker
    dd_total=$side_total_s dd_p50=$side_p50 dd_p99=$side_p99
else
    echo "the Docker daemon rows are skipped: $dockerd_reason"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
echo
printf '%-34s %12s %12s %16s\n' row spliced dockerd "dockerd/spliced"
printf '%-34s %12s %12s %16s\n' "create + $count run -d (s)" "$sp_total" "${dd_total:--}" "$(ratio "$dd_total" "$sp_total")"
printf '%-34s %12s %12s %16s\n' "lookup p50 (ms)" "$sp_p50" "${dd_p50:--}" "$(ratio "$dd_p50" "$sp_p50")"
printf '%-34s %12s %12s %16s\n' "lookup p99 (ms)" "$sp_p99" "${dd_p99:--}" "$(ratio "$dd_p99" "$sp_p99")"
echo "target: lookup p99 under 1 ms: $(awk -v v="$sp_p99" 'BEGIN { print (v < 1) ? "met" : "MISSED" }') ($sp_p99 ms)"
