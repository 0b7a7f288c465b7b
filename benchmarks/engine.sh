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
docker_cli=$(command -v docker || true)
for candidate in /usr/local/bin/docker /usr/bin/docker; do
    [ -n "$docker_cli" ] || { [ -x "$candidate" ] && docker_cli=$candidate; }
done
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; exit 1; }

# The docker.io daemon's private paths; all named after this run's PID.
dd_ns="spl-dockerd-$$"
dd_dir="/tmp/splice-bench-dockerd-$$"
dd_cgroup="splice-bench-dockerd-$$"
dd_pid=
# What dockerd creates outside its private paths whatever its flags: removed at the end unless it was there before.
dd_host_paths=(/etc/docker/key.json /run/docker/plugins /run/docker /run/containerd/s /run/containerd)
dd_host_existed=()
for path in "${dd_host_paths[@]}"; do [ -e "$path" ] && dd_host_existed+=("$path"); done

stop_dockerd() {
    [ -d "$dd_dir" ] || [ -e "/run/netns/$dd_ns" ] || return 0
    if [ -n "$dd_pid" ] && kill -0 "$dd_pid" 2>/dev/null; then
        kill -TERM "$dd_pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$dd_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$dd_pid" 2>/dev/null || true
        wait "$dd_pid" 2>/dev/null || true
    fi
    dd_pid=
    # Its containerd, shims and containers, if it died before stopping them: found by our own directory.
    for pid in $(lab_pids_naming "$dd_dir" | sort -u); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.2
    local dir mount
    for dir in /sys/fs/cgroup/*/"$dd_cgroup" /sys/fs/cgroup/"$dd_cgroup"; do
        [ -d "$dir" ] || continue
        find "$dir" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
        rmdir "$dir" 2>/dev/null || true
    done
    for mount in $(lab_mounts "$dd_dir" | sort -r); do umount -l "$mount" 2>/dev/null || true; done
    ip netns del "$dd_ns" 2>/dev/null || true
    rm -rf "$dd_dir"
    for path in "${dd_host_paths[@]}"; do
        case " ${dd_host_existed[*]} " in *" $path "*) continue ;; esac
        if [ -d "$path" ]; then rmdir "$path" 2>/dev/null || true; else rm -f "$path"; fi
    done
}

# What a killed earlier run left of its dockerd (its PID is gone): processes naming its directory, mounts,
# namespace, directory.
for stale in /tmp/splice-bench-dockerd-[0-9]*; do
    [ -d "$stale" ] || continue
    stale_pid=${stale##*-}
    kill -0 "$stale_pid" 2>/dev/null && continue
    echo "removing what an interrupted run (pid $stale_pid) left: $stale, namespace spl-dockerd-$stale_pid" >&2
    for pid in $(lab_pids_naming "$stale" | sort -u); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.2
    for mount in $(lab_mounts "$stale" | sort -r); do umount -l "$mount" 2>/dev/null || true; done
    for dir in /sys/fs/cgroup/*/"splice-bench-dockerd-$stale_pid"; do
        [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
    ip netns del "spl-dockerd-$stale_pid" 2>/dev/null || true
    rm -rf "$stale"
done

finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM   # the cleanup is not interrupted half-way
    set +e             # and goes on past any failure
    stop_dockerd
    lab_cleanup
    lab_leak_check || status=1
    for dir in /sys/fs/cgroup/*/"$dd_cgroup" "$dd_dir" "/run/netns/$dd_ns"; do
        [ -e "$dir" ] && { echo "leak: $dir"; status=1; }
    done
    [ -z "$(lab_mounts "$dd_dir")" ] || { echo "leak: mounts under $dd_dir"; status=1; }
    for path in "${dd_host_paths[@]}"; do
        case " ${dd_host_existed[*]} " in *" $path "*) continue ;; esac
        [ -e "$path" ] && { echo "leak: $path (made by dockerd)"; status=1; }
    done
    exit "$status"
}
trap finish EXIT
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

# Debian's docker.io daemon, side by side (the product never depends on it).
dockerd_reason=
start_dockerd() {
    if ! command -v dockerd >/dev/null; then
        echo "installing Debian's docker.io for the comparison (apt-get; services are not started)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >"$LAB_DIR/apt.log" 2>&1 || {
            apt-get update -qq >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >"$LAB_DIR/apt.log" 2>&1
        } || { dockerd_reason="apt-get install docker.io failed: $(tail -n 2 "$LAB_DIR/apt.log")"; return 1; }
    fi
    if [ -S /run/containerd/containerd.sock ]; then
        dockerd_reason="a system containerd is running (/run/containerd/containerd.sock); dockerd would use it"
        return 1
    fi
    [ -n "$docker_cli" ] || { dockerd_reason="no docker CLI"; return 1; }
    mkdir -p "$dd_dir"
    ip netns add "$dd_ns"
    ip -n "$dd_ns" link set lo up
    setsid nsenter --net="/run/netns/$dd_ns" dockerd -H "unix://$dd_dir/docker.sock" --data-root "$dd_dir/data" \
        --exec-root "$dd_dir/exec" --pidfile "$dd_dir/dockerd.pid" --cgroup-parent "$dd_cgroup" \
        >"$dd_dir/dockerd.log" 2>&1 &
    dd_pid=$!
    for _ in $(seq 300); do
        DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" version >/dev/null 2>&1 && break
        kill -0 "$dd_pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" version >/dev/null 2>&1; then
        dockerd_reason="dockerd did not start: $(grep -iE 'level=(error|fatal)|failed' "$dd_dir/dockerd.log" |
            tail -n 3)"
        return 1
    fi
    DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" import "$LAB_DIR/bb.tar" bb:latest >/dev/null || {
        dockerd_reason="docker import into dockerd failed"; return 1; }
    DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" run --rm bb true >"$dd_dir/probe.log" 2>&1 || {
        dockerd_reason="dockerd cannot run a container here: $(tail -n 2 "$dd_dir/probe.log")"; return 1; }
}
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
        r=$(awk -v a="$d" -v b="$s" 'BEGIN { print (a >= 5 * b) ? "met" : "MISSED" }')
        verdicts+=("$mode: at least 5x faster than dockerd: $r ($(ratio "$d" "$s"))")
    fi
done
target() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "met" : "MISSED" }'; }
echo "targets: --net=none under 25 ms through splice: $(target "${ms[splice,--net=none]}" 25)" \
    "(${ms[splice,--net=none]} ms); --net=bridge under 35 ms: $(target "${ms[splice,--net=bridge]}" 35)" \
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
