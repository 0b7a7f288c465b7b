#!/usr/bin/env bash
# A 10-step Dockerfile (FROM, ENV, WORKDIR, ARG, 2 COPY, 3 RUN, CMD: scripts/lib/build-bench.sh), in one run,
# hyperfine medians: cold (--no-cache: every RUN in a container, every layer written) and fully cached (every step
# ` ---> Using cache`), (a) through `splice build` against spliced, (b) through `DOCKER_BUILDKIT=0 docker build`
# against spliced and (c) the same against Debian's docker.io daemon (its legacy builder), started on private
# paths inside its own network namespace (scripts/lib/dockerd-lab.sh; skipped, with the reason, if it cannot run);
# then the ratios. benchmarks/registry.sh runs the same build in its run, beside the pull and push.
# Usage: sudo bash benchmarks/build.sh [RUNS]    (default 5; release builds, or SPLICE_BIN_DIR=.build/debug)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
runs=${1:-5}
# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
# shellcheck source=../scripts/lib/build-bench.sh
source "$here/scripts/lib/build-bench.sh"
dockerd_cleanup_stale

trap side_by_side_finish EXIT
trap 'exit 130' INT TERM

lab_init build
lab_start_spliced
lab_import_busybox bb:latest
echo "spliced ($LAB_BIN) in namespace $LAB_NS; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

build_bench_context "$LAB_DIR/context"
dd_host=
if start_dockerd; then
    dd_host="unix://$dd_dir/docker.sock"
    echo "dockerd $(dd_docker version --format '{{.Server.Version}}') in namespace $dd_ns"
else
    echo "the Docker daemon rows are skipped: $dockerd_reason"
fi
build_bench_run "$LAB_DIR/context" "$runs"
stop_dockerd

echo
echo "== 10-step build, medians of $runs runs (ms); cli = DOCKER_BUILDKIT=0 docker build"
build_bench_table
