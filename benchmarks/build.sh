#!/usr/bin/env bash
# A 10-step Dockerfile (FROM, ENV, WORKDIR, ARG, 2 COPY, 3 RUN, CMD) built by `splice build` against a private
# spliced: cold (--no-cache, every RUN in a container, every layer written) and fully cached (every step
# ` ---> Using cache`), hyperfine medians, and their ratio. dockerd's legacy builder is not measured yet (the
# issue's (d) asks for it beside: engine.sh's dockerd setup would have to be shared first).
# Usage: sudo bash benchmarks/build.sh [RUNS]    (default 5; release builds, or SPLICE_BIN_DIR=.build/debug)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
runs=${1:-5}
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; exit 1; }

finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM
    set +e
    lab_cleanup
    lab_leak_check || status=1
    exit "$status"
}
trap finish EXIT
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
measure() {
    local key=$1 command=$2
    SPLICE_HOST=$SPLICE_HOST hyperfine -N --warmup 1 --runs "$runs" --export-json "$results/$key.json" \
        --style basic "$command" >"$results/$key.log" 2>&1 || { tail -n 5 "$results/$key.log" >&2; return 1; }
    jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$results/$key.json"
}
cold=$(measure cold "$LAB_BIN/splice build -q --no-cache -t bench $context")
cached=$(measure cached "$LAB_BIN/splice build -q -t bench $context")
[ "$(splice run --rm --net=none bench)" = "level 3" ] || { echo "the built image does not run as expected" >&2; exit 1; }
echo "splice build, 10 steps, cold (--no-cache): $cold ms"
echo "splice build, 10 steps, fully cached:      $cached ms"
awk -v c="$cold" -v k="$cached" 'BEGIN { printf "cold / cached: %.1f\n", c / k }'
