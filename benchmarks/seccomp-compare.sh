#!/usr/bin/env bash
# The default seccomp profiles side by side: benchmarks/seccomp-probe.c, built static, attempts each syscall Docker's
# default profile refuses (and a few it allows) in a busybox container, once in spliced and once in Debian's
# docker.io daemon (scripts/lib/dockerd-lab.sh: its own namespace, data and exec roots); prints one row per call
# with each engine's answer and marks the differences. Options after `--` go to both `docker run`s (for example
# `-- --cap-add SYS_ADMIN`). The product never depends on dockerd; this is a check, not a test.
# Usage: sudo bash benchmarks/seccomp-compare.sh [-- RUN_OPTIONS...]   (release builds of spliced/splice/splice-init)
# Exit status: 0 when spliced refuses at least everything dockerd refuses, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
[ "${1:-}" = "--" ] && shift
run_options=("$@")
command -v cc >/dev/null || { echo "cc is missing (gcc, libc6-dev): run bash scripts/setup.sh" >&2; exit 1; }
dockerd_cleanup_stale

trap side_by_side_finish EXIT
trap 'exit 130' INT TERM

lab_init seccomp
lab_start_spliced
lab_import_busybox bb:latest
mkdir -p "$LAB_DIR/probe"
cc -static -O1 -o "$LAB_DIR/probe/seccomp-probe" "$here/benchmarks/seccomp-probe.c"
probe_run=(run --rm --net=none -v "$LAB_DIR/probe:/probe:ro" "${run_options[@]}" bb /probe/seccomp-probe)

DOCKER_HOST=$SPLICE_HOST "$docker_cli" "${probe_run[@]}" >"$LAB_DIR/spliced.out"
if ! start_dockerd; then
    echo "dockerd cannot run here: $dockerd_reason" >&2
    exit 1
fi
dd_docker "${probe_run[@]}" >"$LAB_DIR/dockerd.out"
dockerd_version=$(dd_docker version --format '{{.Server.Version}}')

printf '%-26s %-12s %-12s %s\n' "syscall" "spliced" "dockerd $dockerd_version" ""
weaker=0
differences=0
while read -r name splice_result; do
    docker_result=$(awk -v n="$name" '$1 == n { print $2 }' "$LAB_DIR/dockerd.out")
    mark=""
    if [ "$splice_result" != "$docker_result" ]; then
        differences=$((differences + 1))
        mark="differs"
        # Refused by dockerd (EPERM, or ENOSYS for clone3) but not by spliced: spliced is weaker here.
        if { [ "$docker_result" = EPERM ] || [ "$docker_result" = ENOSYS ]; } \
            && [ "$splice_result" != EPERM ] && [ "$splice_result" != ENOSYS ]; then
            weaker=$((weaker + 1))
            mark="differs: spliced lets it through"
        fi
    fi
    printf '%-26s %-12s %-12s %s\n' "$name" "$splice_result" "$docker_result" "$mark"
done <"$LAB_DIR/spliced.out"
echo "$(wc -l <"$LAB_DIR/spliced.out") calls, $differences differ, $weaker refused by dockerd but not by spliced"
[ "$weaker" = 0 ]
