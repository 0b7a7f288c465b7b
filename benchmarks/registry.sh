#!/usr/bin/env bash
# Registry pull and push of a ~200 MB image of 5 layers, made here (random data, so gzip cannot shrink it), in one
# run, against the same local registry (Debian's docker-registry), spliced beside Debian's docker.io daemon:
#   pull: `splice pull` (download, digest check, unpack: the image is ready to run) vs `docker pull` against dockerd
#         (the same work) vs `skopeo copy docker:// oci:` (download and digest check only, into an OCI layout) vs
#         skopeo plus `tar -xzf` of every layer;
#   push: `splice push` vs `docker push` against dockerd vs `skopeo copy oci: docker://` of the same image, each to a
#         second registry emptied before each push (every blob uploaded);
# layer extraction: one layer of that image (a 40 MB file) and a layer of 4,000 files of 10 KB, each gzip'd, extracted
#         by Splice's LayerUnpacker (in process through splice-bench, as a pull extracts: diff id computed, whiteouts
#         for overlayfs) and by `tar -xzf`, in MB/s of the uncompressed layer;
# build: the 10-step Dockerfile of benchmarks/build.sh (scripts/lib/build-bench.sh), cold and fully cached, through
#         `splice build`, `DOCKER_BUILDKIT=0 docker build` against spliced and the same against dockerd;
# then interoperability through that registry: an image spliced pushed is pulled by dockerd and one dockerd pushed is
# pulled by spliced, each compared by manifest digest (RepoDigests) and image ID, and run by the other engine.
#
# Where the registry runs. spliced lives in the lab's network namespace, dockerd in one of its own
# (scripts/lib/dockerd-lab.sh: its bridge and iptables rules must not meet spliced's), so "127.0.0.1" is a different
# loopback for each. Both must reach the registry on a 127.x address: dockerd treats 127.0.0.0/8 as an insecure
# (plain HTTP) registry by default, and Splice does the same for loopback, so neither needs a flag or TLS. Loopback
# cannot be shared between namespaces (a veth carrying 127.x needs route_localnet and is not what a user runs), so the
# same registry is served by one docker-registry process in each namespace, on the same port, from the same storage
# directory: every byte pushed through one is served by the other, which is what the interoperability check needs,
# and each engine's timings go through an identical registry process over its own loopback. The push registries
# (emptied before each push) run in the pusher's namespace. Every registry process is stopped by its PID.
#
# Medians of RUNS runs (default 3); ratios are peer time / splice time (above 1: splice is faster). The issue's
# target is 1.5 against dockerd for both pull and push. dockerd rows are skipped, with the reason, if it cannot run.
# Exit status 1 when the interoperability check finds a difference or something is left behind.
# Usage: sudo bash benchmarks/registry.sh [RUNS]   (release builds of spliced, splice and splice-init, as engine.sh;
#        SPLICE_BIN_DIR=.build/debug to try it on debug builds)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
# shellcheck source=../scripts/lib/dockerd-lab.sh
source "$here/scripts/lib/dockerd-lab.sh"
# shellcheck source=../scripts/lib/build-bench.sh
source "$here/scripts/lib/build-bench.sh"
runs=${1:-3}
for tool in docker-registry skopeo jq hyperfine; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: run bash scripts/setup.sh" >&2; exit 1; }
done
dockerd_cleanup_stale
registry_pids=()

finish() {
    local status=$? pid
    trap - EXIT
    trap '' INT TERM   # the cleanup is not interrupted half-way
    set +e             # and goes on past any failure
    for pid in "${registry_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    stop_dockerd
    lab_cleanup
    lab_leak_check || status=1
    dockerd_leak_check || status=1
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# splice-bench (the extraction part) beside the other binaries, else built here before anything is timed.
bench_bin="$LAB_BIN/splice-bench"
if [ ! -x "$bench_bin" ]; then
    echo "building splice-bench (release) ..."
    (cd "$here" && swift build -c release --product splice-bench >/dev/null)
    bench_bin="$here/.build/release/splice-bench"
fi

lab_init registry
lab_start_spliced
port=5000
registry="127.0.0.1:$port"
push_registry="127.0.0.1:5001"
echo "spliced ($LAB_BIN) in namespace $LAB_NS; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

# start_registry NAMESPACE NAME PORT STORAGE: a docker-registry serving STORAGE on 127.0.0.1:PORT inside NAMESPACE
# (its config and log under $LAB_DIR, named NAME); its PID in $started_pid and in registry_pids.
start_registry() {
    local namespace=$1 name=$2 address="127.0.0.1:$3" storage=$4 i
    mkdir -p "$storage"
    cat >"$LAB_DIR/$name.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: $address
  secret: splice-benchmark
EOF
    # nsenter directly (not through a shell function), so $! is the registry's own PID.
    nsenter --net="/run/netns/$namespace" docker-registry serve "$LAB_DIR/$name.yml" >"$LAB_DIR/$name.log" 2>&1 &
    started_pid=$!
    registry_pids+=("$started_pid")
    for ((i = 0; i < 100; i++)); do
        nsenter --net="/run/netns/$namespace" curl -s -o /dev/null "http://$address/v2/" && return 0
        sleep 0.05
    done
    echo "docker-registry ($name) did not start; its log:" >&2
    cat "$LAB_DIR/$name.log" >&2
    return 1
}
stop_registry() { # PID
    local pid=$1 kept=() other
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for other in "${registry_pids[@]}"; do [ "$other" = "$pid" ] || kept+=("$other"); done
    registry_pids=("${kept[@]}")
}
# push_registry_start NAMESPACE: an empty registry on 127.0.0.1:5001 there (nothing to mount from, nothing to skip).
push_registry_start() {
    rm -rf "${LAB_DIR:?}/push-storage"
    start_registry "$1" push 5001 "$LAB_DIR/push-storage"
}
start_registry "$LAB_NS" registry "$port" "$LAB_DIR/registry-storage"

# The image: an OCI layout with 5 gzip'd layers of 40 MB of random bytes each, a config and a manifest.
layout="$LAB_DIR/image"
mkdir -p "$layout/blobs/sha256" "$LAB_DIR/layers"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
blob() { # FILE -> moves it to its content address, prints "DIGEST SIZE"
    local hex size
    hex=$(sha256sum "$1" | cut -c1-64)
    size=$(stat -c %s "$1")
    mv "$1" "$layout/blobs/sha256/$hex"
    echo "sha256:$hex $size"
}
layers_json="" diff_ids=""
echo "making the image: 5 layers of 40 MB (random bytes)..."
for n in 1 2 3 4 5; do
    dir="$LAB_DIR/layers/$n"
    mkdir -p "$dir/data$n"
    head -c $((40 * 1024 * 1024)) /dev/urandom >"$dir/data$n/blob.bin"
    echo "layer $n" >"$dir/data$n/name"
    tar -C "$dir" -cf "$LAB_DIR/layers/$n.tar" .
    diff_ids+="${diff_ids:+,}\"sha256:$(sha256sum "$LAB_DIR/layers/$n.tar" | cut -c1-64)\""
    gzip -1 -n -c "$LAB_DIR/layers/$n.tar" >"$LAB_DIR/layers/$n.tar.gz"
    rm -rf "$dir" "$LAB_DIR/layers/$n.tar"
    read -r digest size < <(blob "$LAB_DIR/layers/$n.tar.gz")
    layers_json+="${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$size}"
done
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$diff_ids" >"$LAB_DIR/config.json"
read -r config_digest config_size < <(blob "$LAB_DIR/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$config_digest" "$config_size" "$layers_json" >"$LAB_DIR/manifest.json"
read -r manifest_digest manifest_size < <(blob "$LAB_DIR/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' \
    "$manifest_digest" "$manifest_size" >"$layout/index.json"
total_mb=$(du -sm "$layout/blobs" | cut -f1)
lab_in_ns skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$registry/bench:1"
echo "image: $total_mb MB in the registry as $registry/bench:1 ($manifest_digest)"

# dockerd, with the same registry served inside its namespace (see the header).
lab_busybox_tar "$LAB_DIR/bb.tar"
have_dockerd=0
if start_dockerd; then
    have_dockerd=1
    start_registry "$dd_ns" registry-dockerd "$port" "$LAB_DIR/registry-storage"
    echo "dockerd $(dd_docker version --format '{{.Server.Version}}') in namespace $dd_ns," \
        "storage driver $(dd_docker info --format '{{.Driver}}')"
else
    echo "the dockerd rows and the interoperability check are skipped: $dockerd_reason"
fi

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { awk -v ns="$1" 'BEGIN { printf "%.0f", ns / 1e6 }'; }
ms_exact() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }

splice_pull=() dockerd_pull=() skopeo_pull=() skopeo_extract=() splice_push=() dockerd_push=() skopeo_push=()
for ((r = 1; r <= runs; r++)); do
    # Pull: each store starts without the image each time.
    splice rmi -f "$registry/bench:1" "$push_registry/bench:1" >/dev/null 2>&1 || true
    [ -z "$(splice images -q)" ] || { echo "the store still holds an image before the pull" >&2; exit 1; }
    t0=$(now)
    splice pull -q "$registry/bench:1" >/dev/null
    t1=$(now)
    splice_pull+=($((t1 - t0)))

    if [ "$have_dockerd" = 1 ]; then
        dd_docker rmi -f "$registry/bench:1" "$push_registry/bench:1" >/dev/null 2>&1 || true
        [ -z "$(dd_docker images -q "$registry/bench")" ] || { echo "dockerd still holds the image" >&2; exit 1; }
        t0=$(now)
        dd_docker pull -q "$registry/bench:1" >/dev/null
        t1=$(now)
        dockerd_pull+=($((t1 - t0)))
    fi

    rm -rf "$LAB_DIR/skopeo-pull" "$LAB_DIR/extracted"
    t0=$(now)
    lab_in_ns skopeo copy -q --src-tls-verify=false "docker://$registry/bench:1" "oci:$LAB_DIR/skopeo-pull:bench"
    t1=$(now)
    mkdir -p "$LAB_DIR/extracted"
    for file in "$LAB_DIR/skopeo-pull/blobs/sha256/"*; do
        [ "$(stat -c %s "$file")" -gt 1000000 ] && tar -C "$LAB_DIR/extracted" -xzf "$file"
    done
    t2=$(now)
    skopeo_pull+=($((t1 - t0)))
    skopeo_extract+=($((t2 - t0)))
    rm -rf "$LAB_DIR/skopeo-pull" "$LAB_DIR/extracted"

    # Push: to an empty registry each time.
    splice tag "$registry/bench:1" "$push_registry/bench:1"
    push_registry_start "$LAB_NS"
    t0=$(now)
    splice push -q "$push_registry/bench:1" >/dev/null
    t1=$(now)
    stop_registry "$started_pid"
    splice_push+=($((t1 - t0)))

    if [ "$have_dockerd" = 1 ]; then
        dd_docker tag "$registry/bench:1" "$push_registry/bench:1"
        push_registry_start "$dd_ns"
        t0=$(now)
        dd_docker push -q "$push_registry/bench:1" >/dev/null
        t1=$(now)
        stop_registry "$started_pid"
        dockerd_push+=($((t1 - t0)))
    fi

    push_registry_start "$LAB_NS"
    t0=$(now)
    lab_in_ns skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$push_registry/bench:1"
    t1=$(now)
    stop_registry "$started_pid"
    skopeo_push+=($((t1 - t0)))
done
rm -rf "${LAB_DIR:?}/push-storage"

# Layer extraction, each run into an empty directory on the same filesystem.
many="$LAB_DIR/many"
for d in $(seq 40); do
    mkdir -p "$many/d$d"
    head -c $((100 * 10240)) /dev/urandom | split -b 10240 -a 3 - "$many/d$d/f"
done
tar -C "$many" -cf - . | gzip -1 -n >"$LAB_DIR/many.tar.gz"
rm -rf "$many"
first_layer="$layout/blobs/sha256/$(jq -r '.layers[0].digest' "$layout/blobs/sha256/${manifest_digest#sha256:}" | cut -d: -f2)"
declare -A extract_ms=() extract_bytes=()
for layer in big many; do
    file=$([ "$layer" = big ] && echo "$first_layer" || echo "$LAB_DIR/many.tar.gz")
    splice_times=() tar_times=()
    for ((r = 1; r <= runs; r++)); do
        target="$LAB_DIR/extract"
        rm -rf "$target" && mkdir -p "$target"
        line=$("$bench_bin" unpack "$file" "$target")
        extract_bytes[$layer]=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$line")
        splice_times+=("$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$line")")
        rm -rf "$target" && mkdir -p "$target"
        t0=$(now)
        tar -C "$target" -xzf "$file"
        t1=$(now)
        tar_times+=("$(ms_exact $((t1 - t0)))")
        rm -rf "$target"
    done
    extract_ms[splice,$layer]=$(printf '%s\n' "${splice_times[@]}" | median)
    extract_ms[tar,$layer]=$(printf '%s\n' "${tar_times[@]}" | median)
done
# The pulled image has every layer unpacked (its files are there).
for n in 1 2 3 4 5; do
    found=$(find "$LAB_GRAPH" -path "*/diff/data$n/name" 2>/dev/null | head -1)
    [ -n "$found" ] && [ "$(cat "$found")" = "layer $n" ] || { echo "layer $n was not unpacked by the pull" >&2; exit 1; }
done

# Interoperability through the shared registry storage.
interop_failures=0
interop_lines=()
# same WHAT A B: records whether A and B are equal (and non-empty).
same() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then
        interop_lines+=("same   $1: $2")
    else
        interop_lines+=("DIFFER $1: '$2' vs '$3'")
        interop_failures=$((interop_failures + 1))
    fi
}
# The manifest digest of REFERENCE's repository in an engine's RepoDigests (`repository@digest`).
repo_digest() { # ENGINE-COMMAND... -- REFERENCE
    local reference=${*: -1}
    "${@:1:$#-2}" image inspect --format '{{json .RepoDigests}}' "$reference" |
        jq -r --arg repo "${reference%:*}@" '.[] | select(startswith($repo)) | ltrimstr($repo)' | head -n 1
}
image_id() { "${@:1:$#-2}" image inspect --format '{{.Id}}' "${*: -1}"; }
if [ "$have_dockerd" = 1 ]; then
    # The benchmark's image, pushed by skopeo, as each engine pulled it.
    same "bench image: manifest digest (skopeo's, spliced's pull)" "$manifest_digest" \
        "$(repo_digest splice -- "$registry/bench:1")"
    same "bench image: manifest digest (skopeo's, dockerd's pull)" "$manifest_digest" \
        "$(repo_digest dd_docker -- "$registry/bench:1")"
    same "bench image: image ID (spliced, dockerd)" "$(image_id splice -- "$registry/bench:1")" \
        "$(image_id dd_docker -- "$registry/bench:1")"

    # spliced -> dockerd: an image only spliced made (imported there), pushed by spliced, pulled and run by dockerd.
    from_splice="$registry/from-splice:1"
    splice import - "$from_splice" <"$LAB_DIR/bb.tar" >/dev/null
    splice push -q "$from_splice" >/dev/null
    dd_docker pull -q "$from_splice" >/dev/null
    same "spliced -> dockerd: manifest digest (spliced's push, dockerd's pull)" \
        "$(repo_digest splice -- "$from_splice")" "$(repo_digest dd_docker -- "$from_splice")"
    same "spliced -> dockerd: image ID" "$(image_id splice -- "$from_splice")" \
        "$(image_id dd_docker -- "$from_splice")"
    same "spliced -> dockerd: runs in dockerd" "hello from spliced's image" \
        "$(dd_docker run --rm --net=none "$from_splice" echo "hello from spliced's image" 2>&1)"

    # dockerd -> spliced: an image only dockerd made (its bb:latest), pushed by dockerd, pulled and run by spliced.
    from_dockerd="$registry/from-dockerd:1"
    dd_docker tag bb:latest "$from_dockerd"
    dd_docker push -q "$from_dockerd" >/dev/null
    splice pull -q "$from_dockerd" >/dev/null
    same "dockerd -> spliced: manifest digest (dockerd's push, spliced's pull)" \
        "$(repo_digest dd_docker -- "$from_dockerd")" "$(repo_digest splice -- "$from_dockerd")"
    same "dockerd -> spliced: image ID" "$(image_id dd_docker -- "$from_dockerd")" \
        "$(image_id splice -- "$from_dockerd")"
    same "dockerd -> spliced: runs in spliced" "hello from dockerd's image" \
        "$(splice run --rm --net=none "$from_dockerd" echo "hello from dockerd's image" 2>&1)"
fi

# The build, against both daemons, with the same context.
lab_import_busybox bb:latest
build_bench_context "$LAB_DIR/context"
dd_host=
[ "$have_dockerd" = 1 ] && dd_host="unix://$dd_dir/docker.sock"
build_bench_run "$LAB_DIR/context" "$runs"
stop_dockerd

ratio() { awk -v peer="$1" -v mine="$2" 'BEGIN { if (peer == "") print "-"; else printf "%.2f", peer / mine }'; }
med() { [ "$#" -gt 0 ] && printf '%s\n' "$@" | median; }
sp=$(med "${splice_pull[@]}")
dp=$(med "${dockerd_pull[@]}")
kp=$(med "${skopeo_pull[@]}")
ke=$(med "${skopeo_extract[@]}")
su=$(med "${splice_push[@]}")
du_=$(med "${dockerd_push[@]}")
ku=$(med "${skopeo_push[@]}")
row() { # LABEL NS [SPLICE_NS]
    local value=-
    [ -n "$2" ] && value=$(ms "$2")
    if [ -n "${3:-}" ]; then
        printf '  %-50s %8s ms   %s\n' "$1" "$value" "$(ratio "$2" "$3")"
    else
        printf '  %-50s %8s ms\n' "$1" "$value"
    fi
}
echo
echo "medians of $runs runs, $total_mb MB, 5 layers (ratio = peer / splice; the issue's target: dockerd 1.5):"
printf '  %-50s %11s   %s\n' "" "" "ratio"
row "splice pull (download, verify, unpack)" "$sp"
row "docker pull -> dockerd (download, verify, unpack)" "$dp" "$sp"
row "skopeo copy docker:// -> oci: (no unpack)" "$kp" "$sp"
row "skopeo copy + tar -xzf of each layer" "$ke" "$sp"
row "splice push (empty registry)" "$su"
row "docker push -> dockerd (empty registry)" "$du_" "$su"
row "skopeo copy oci: -> docker:// (empty registry)" "$ku" "$su"
echo
echo "layer extraction, medians of $runs runs (MB/s of the uncompressed layer; ratio = splice / tar):"
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1e6 / (ms / 1000) }'; }
for layer in big many; do
    label=$([ "$layer" = big ] && echo "layer 1 of the image (one 40 MB file)" || echo "4,000 files of 10 KB")
    printf '  %-38s %6.1f MB  splice %5s MB/s (%.1f ms)  tar -xzf %5s MB/s (%.1f ms)  %s\n' "$label" \
        "$(awk -v b="${extract_bytes[$layer]}" 'BEGIN { print b / 1e6 }')" \
        "$(mbps "${extract_bytes[$layer]}" "${extract_ms[splice,$layer]}")" "${extract_ms[splice,$layer]}" \
        "$(mbps "${extract_bytes[$layer]}" "${extract_ms[tar,$layer]}")" "${extract_ms[tar,$layer]}" \
        "$(awk -v t="${extract_ms[tar,$layer]}" -v s="${extract_ms[splice,$layer]}" 'BEGIN { printf "%.2f", t / s }')"
done
echo
echo "10-step Dockerfile build, medians of $runs runs (ms; cli = DOCKER_BUILDKIT=0 docker build):"
build_bench_table
if [ "$have_dockerd" = 1 ]; then
    echo
    echo "interoperability through $registry (one storage, a registry process in each namespace):"
    printf '  %s\n' "${interop_lines[@]}"
    [ "$interop_failures" = 0 ] || { echo "$interop_failures interoperability check(s) failed" >&2; exit 1; }
fi
