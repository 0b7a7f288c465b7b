# The 10-step Dockerfile build that benchmarks/build.sh and benchmarks/registry.sh time (FROM, ENV, WORKDIR, ARG,
# 2 COPY, 3 RUN, CMD, on the image bb), cold (--no-cache: every RUN in a container, every layer written) and fully
# cached (every step ` ---> Using cache`), with hyperfine. Source it after scripts/lib/engine-lab.sh and
# scripts/lib/dockerd-lab.sh, then:
#   build_bench_context DIR      writes the build context (a 4 MB blob, a config file, the Dockerfile) into DIR
#   build_bench_run DIR RUNS     times `splice build`, `DOCKER_BUILDKIT=0 docker build` against spliced and, when
#                                $dd_host is set, against that dockerd; medians (ms) in build_ms[WHO,cold|cached]
#   build_bench_table            prints them with the ratio dockerd / (docker CLI + spliced)
declare -A build_ms=()

build_bench_context() {
    local context=$1
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
}

# build_bench_measure KEY ENV_ASSIGNMENT RUNS COMMAND: hyperfine median (ms) of COMMAND, run without a shell.
build_bench_measure() {
    local key=$1 envset=$2 runs=$3 command=$4 results="$LAB_DIR/build-results"
    mkdir -p "$results"
    env "$envset" DOCKER_BUILDKIT=0 hyperfine -N --warmup 1 --runs "$runs" --export-json "$results/$key.json" \
        --style basic "$command" >"$results/$key.log" 2>&1 || { tail -n 5 "$results/$key.log" >&2; return 1; }
    jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$results/$key.json"
}

# build_bench_pair WHO ENV_ASSIGNMENT RUNS BUILD_COMMAND CONTEXT: cold and cached medians into build_ms[WHO,…].
build_bench_pair() {
    local who=$1 envset=$2 runs=$3 command=$4 context=$5
    build_ms[$who,cold]=$(build_bench_measure "$who-cold" "$envset" "$runs" \
        "$command build -q --no-cache -t bench-build $context")
    build_ms[$who,cached]=$(build_bench_measure "$who-cached" "$envset" "$runs" \
        "$command build -q -t bench-build $context")
}

build_bench_run() {
    local context=$1 runs=$2
    command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; return 1; }
    build_bench_pair splice "SPLICE_HOST=$SPLICE_HOST" "$runs" "$LAB_BIN/splice" "$context"
    [ "$(splice run --rm --net=none bench-build)" = "level 3" ] || {
        echo "the image built by spliced does not run" >&2
        return 1
    }
    [ -z "$docker_cli" ] || build_bench_pair cli "DOCKER_HOST=$SPLICE_HOST" "$runs" "$docker_cli" "$context"
    [ -z "${dd_host:-}" ] || build_bench_pair dockerd "DOCKER_HOST=$dd_host" "$runs" "$docker_cli" "$context"
}

build_bench_table() {
    local kind
    build_bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
    printf '  %-8s %10s %14s %14s %16s\n' build splice "cli+spliced" "cli+dockerd" "dockerd/cli+sp"
    for kind in cold cached; do
        printf '  %-8s %10s %14s %14s %16s\n' "$kind" "${build_ms[splice,$kind]}" "${build_ms[cli,$kind]:--}" \
            "${build_ms[dockerd,$kind]:--}" "$(build_bench_ratio "${build_ms[dockerd,$kind]:-}" "${build_ms[cli,$kind]:-}")"
    done
}
