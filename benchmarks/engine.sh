#!/usr/bin/env bash
# Container start-to-exit latency, in one run (hyperfine medians of 20):
#   `run --rm --net=none bb true`, `--net=bridge`, and `-p 8080:80`, each
#   (a) through `splice` against spliced, (b) through the docker CLI against spliced, and (c) through the docker
#   CLI against Debian's docker.io daemon, started here on a private socket, data root and exec root inside its
#   own network namespace (installed with apt-get if missing; skipped, with the reason, if it cannot run);
# then the ratios and the targets; then 500 idle containers (`splice run -d bb sleep 3600`) on the default
# network: total time, spliced's RSS and the monitors' RSS, and their removal.
# Both daemons run in network namespaces of their own, so their bridges and firewall rules never reach the host.
# Usage: sudo bash benchmarks/engine.sh [IDLE_COUNT]      (default 500; release builds of spliced/splice/splice-init)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
idle=${1:-500}
runs=20
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; exit 1; }

# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
dockerd_cleanup_stale

trap side_by_side_finish EXIT
trap 'exit 130' INT TERM

lab_init bench
lab_start_spliced
lab_import_busybox bb:latest
echo "spliced (release build) in namespace $LAB_NS;" \
    "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

results="$LAB_DIR/results"
mkdir -p "$results"
# measure KEY ENV_ASSIGNMENT COMMAND: hyperfine median (ms) of COMMAND, run without a shell.
measure() {
    local key=$1 envset=$2 command=$3
    env "$envset" hyperfine -N --warmup 2 --runs "$runs" --export-json "$results/$key.json" --style basic \
        "$command" >"$results/$key.log" 2>&1 || { tail -n 5 "$results/$key.log" >&2; return 1; }
    jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$results/$key.json"
}
modes=("--net=none" "--net=bridge" "-p 8080:80")
declare -A ms

for mode in "${modes[@]}"; do
    ms[splice,$mode]=$(measure "splice$mode" "SPLICE_HOST=$SPLICE_HOST" "$LAB_BIN/splice run --rm $mode bb true")
    echo "splice run --rm $mode bb true: ${ms[splice,$mode]} ms"
done
if [ -n "$docker_cli" ]; then
    for mode in "${modes[@]}"; do
        ms[cli,$mode]=$(measure "cli$mode" "DOCKER_HOST=$SPLICE_HOST" "$docker_cli run --rm $mode bb true")
        echo "docker run --rm $mode bb true (against spliced): ${ms[cli,$mode]} ms"
    done
else
    echo "no docker CLI: the docker-CLI rows are skipped"
fi

# Debian's docker.io daemon, side by side (the product never depends on it): scripts/lib/dockerd-lab.sh.
if start_dockerd; then
    echo "dockerd $(DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" version --format '{{.Server.Version}}')" \
        "in namespace $dd_ns (data root $dd_dir/data)"
    for mode in "${modes[@]}"; do
        ms[dockerd,$mode]=$(measure "dockerd$mode" "DOCKER_HOST=unix://$dd_dir/docker.sock" \
            "$docker_cli run --rm $mode bb true")
        echo "docker run --rm $mode bb true (against dockerd): ${ms[dockerd,$mode]} ms"
    done
else
    echo "the Docker daemon rows are skipped: $dockerd_reason"
fi
stop_dockerd

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
echo
echo "== medians of $runs runs (ms); cli = the docker CLI; ratios: dockerd's time over splice's, then over"
echo "   the docker CLI's against spliced (same client, the daemons compared)"
printf '%-14s %10s %14s %14s %14s %14s\n' row splice "cli+spliced" "cli+dockerd" "dockerd/splice" "dockerd/cli+sp"
verdicts=()
for mode in "${modes[@]}"; do
    s=${ms[splice,$mode]:-} c=${ms[cli,$mode]:-} d=${ms[dockerd,$mode]:-}
    printf '%-14s %10s %14s %14s %14s %14s\n' "$mode" "$s" "${c:--}" "${d:--}" "$(ratio "$d" "$s")" "$(ratio "$d" "$c")"
    if [ -n "$d" ]; then
        r=$(awk -v a="$d" -v b="$s" 'BEGIN { print (a >= 10 * b) ? "met" : "MISSED" }')
        verdicts+=("$mode: at least 10x faster than dockerd: $r ($(ratio "$d" "$s"))")
    fi
done
target() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
echo "targets (engine issue): --net=none at most 15 ms through splice: $(target "${ms[splice,--net=none]}" 15)" \
    "(${ms[splice,--net=none]} ms); --net=bridge at most 20 ms: $(target "${ms[splice,--net=bridge]}" 20)" \
    "(${ms[splice,--net=bridge]} ms)"
for verdict in "${verdicts[@]}"; do echo "target $verdict"; done

echo "load average after the latency rows: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== $idle idle containers on the default network: splice run -d bb sleep 3600"
# kB from /proc/PID/status (VmRSS) or /proc/PID/smaps_rollup (Pss; Private_* summed is the USS).
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
pss_kb() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
uss_kb() {
    awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
spliced_before=$(rss_kb "$LAB_SPLICED_PID")
t0=$EPOCHREALTIME
for ((i = 0; i < idle; i++)); do
    splice run -d bb sleep 3600 >/dev/null || { echo "container $i failed to start" >&2; exit 1; }
done
t1=$EPOCHREALTIME
lab_remember_containers
running=$(splice ps -q | wc -l)
spliced_after=$(rss_kb "$LAB_SPLICED_PID")
rss=0 pss=0 uss=0 monitors=0
init=$(readlink -f "$LAB_BIN/splice-init")
for pid in $(lab_pids_naming "$LAB_DIR"); do
    [ "$pid" = "$LAB_SPLICED_PID" ] && continue
    [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$init" ] || continue
    rss=$((rss + $(rss_kb "$pid"))) pss=$((pss + $(pss_kb "$pid"))) uss=$((uss + $(uss_kb "$pid")))
    monitors=$((monitors + 1))
done
total_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
each=$(awk -v a="$t0" -v b="$t1" -v n="$idle" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')
echo "started $idle in $total_s s ($each ms each); running: $running"
echo "spliced RSS: $(mib "$spliced_before") before, $(mib "$spliced_after") with $idle containers"
echo "monitors (splice-init): $monitors processes; RSS $(mib "$rss") summed (shared pages counted in each)," \
    "PSS $(mib "$pss"), private $(mib "$uss") ($((monitors > 0 ? uss / monitors : 0)) KiB each)"
t0=$EPOCHREALTIME
# shellcheck disable=SC2046
splice rm -f $(splice ps -aq) >/dev/null
t1=$EPOCHREALTIME
echo "removed them all (one splice rm -f) in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s;" \
    "left: $(splice ps -aq | wc -l)"
echo
