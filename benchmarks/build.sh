#!/usr/bin/env bash
# A 10-step Dockerfile (FROM, ENV, WORKDIR, ARG, 2 COPY, 3 RUN, CMD), in one run, hyperfine medians:
#   cold (--no-cache: every RUN in a container, every layer written) and fully cached (every step
#   ` ---> Using cache`), (a) through `splice build` against spliced, (b) through `DOCKER_BUILDKIT=0 docker build`
#   against spliced and (c) the same against Debian's docker.io daemon (its legacy builder), started on private
#   paths inside its own network namespace (scripts/lib/dockerd-lab.sh; skipped, with the reason, if it cannot run);
# then the ratios.
# Usage: sudo bash benchmarks/build.sh [RUNS]    (default 5; release builds, or SPLICE_BIN_DIR=.build/debug)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
runs=${1:-5}
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; exit 1; }
# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
dockerd_cleanup_stale

trap side_by_side_finish EXIT
trap 'exit 130' INT TERM

lab_init build
lab_start_spliced
lab_import_busybox bb:latest
echo "spliced ($LAB_BIN) in namespace $LAB_NS; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

context="$LAB_DIR/context"
mkdir -p "$context/conf"
head -c 4000000 /dev/urandom >"$context/blob.bin"
printf 'key=value\n' >"$context/conf/app.conf"
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM bb
ENV APP=/app MODE=bench
WORKDIR /app
ARG LEVEL=3
COPY blob.bin ./
COPY conf/ ./conf/
RUN mkdir -p /app/out && echo "level $LEVEL" > /app/out/level.txt
RUN cp blob.bin /app/out/copy.bin && sync
RUN ls -l /app > /app/out/listing.txt
CMD ["cat", "/app/out/level.txt"]
DOCKERFILE

results="$LAB_DIR/results"
mkdir -p "$results"
# measure KEY ENV_ASSIGNMENT COMMAND: hyperfine median (ms) of COMMAND, run without a shell.
measure() {
    local key=$1 envset=$2 command=$3
    env "$envset" DOCKER_BUILDKIT=0 hyperfine -N --warmup 1 --runs "$runs" --export-json "$results/$key.json" \
        --style basic "$command" >"$results/$key.log" 2>&1 || { tail -n 5 "$results/$key.log" >&2; return 1; }
    jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$results/$key.json"
}
declare -A ms
ms[splice,cold]=$(measure splice-cold "SPLICE_HOST=$SPLICE_HOST" "$LAB_BIN/splice build -q --no-cache -t bench $context")
ms[splice,cached]=$(measure splice-cached "SPLICE_HOST=$SPLICE_HOST" "$LAB_BIN/splice build -q -t bench $context")
[ "$(splice run --rm --net=none bench)" = "level 3" ] || { echo "the image built by spliced does not run" >&2; exit 1; }
if [ -n "$docker_cli" ]; then
    ms[cli,cold]=$(measure cli-cold "DOCKER_HOST=$SPLICE_HOST" "$docker_cli build -q --no-cache -t bench $context")
    ms[cli,cached]=$(measure cli-cached "DOCKER_HOST=$SPLICE_HOST" "$docker_cli build -q -t bench $context")
fi
if start_dockerd; then
    dd_host="unix://$dd_dir/docker.sock"
    echo "dockerd $(DOCKER_HOST=$dd_host "$docker_cli" version --format '{{.Server.Version}}') in namespace $dd_ns"
    ms[dockerd,cold]=$(measure dockerd-cold "DOCKER_HOST=$dd_host" "$docker_cli build -q --no-cache -t bench $context")
    ms[dockerd,cached]=$(measure dockerd-cached "DOCKER_HOST=$dd_host" "$docker_cli build -q -t bench $context")
else
    echo "the Docker daemon rows are skipped: $dockerd_reason"
fi
stop_dockerd

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
echo
echo "== 10-step build, medians of $runs runs (ms); cli = DOCKER_BUILDKIT=0 docker build"
printf '%-8s %10s %14s %14s %16s\n' build splice "cli+spliced" "cli+dockerd" "dockerd/cli+sp"
for kind in cold cached; do
    printf '%-8s %10s %14s %14s %16s\n' "$kind" "${ms[splice,$kind]}" "${ms[cli,$kind]:--}" "${ms[dockerd,$kind]:--}" \
        "$(ratio "${ms[dockerd,$kind]:-}" "${ms[cli,$kind]:-}")"
done
