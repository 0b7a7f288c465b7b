#!/usr/bin/env bash
# Registry pull and push of a ~200 MB image of 5 layers, made here (random data, so gzip cannot shrink it), in one
# run, against the same local registry (Debian's docker-registry on 127.0.0.1 inside the lab's namespace):
#   pull: `splice pull` (download, digest check, unpack: the image is ready to run) vs `skopeo copy docker:// oci:`
#         (download and digest check only, into an OCI layout) vs skopeo plus `tar -xzf` of every layer (the same
#         work as the pull);
#   push: `splice push` vs `skopeo copy oci: docker://` of the same image, each to a second registry emptied before
#         each push (every blob uploaded).
# dockerd is not the peer yet (the issue asks for it: Debian's docker.io runs here for benchmarks, see dockerd-lab.sh,
# but it would need this registry reachable from its namespace as an insecure registry); skopeo is containers/image's
# registry client.
# Medians of RUNS runs (default 3); ratios are peer time / splice time (above 1: splice is faster).
# Usage: sudo bash benchmarks/registry.sh [RUNS]   (release builds of spliced, splice and splice-init, as engine.sh;
#        SPLICE_BIN_DIR=.build/debug to try it on debug builds)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
runs=${1:-3}
for tool in docker-registry skopeo; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: run bash scripts/setup.sh" >&2; exit 1; }
done
reg_pid= push_pid=

finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM
    set +e
    for pid in $reg_pid $push_pid; do
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    lab_cleanup
    lab_leak_check || status=1
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

lab_init registry
lab_start_spliced
port=5000
registry="127.0.0.1:$port"
# start_registry NAME PORT: a docker-registry with empty storage under $LAB_DIR/NAME, in the lab's namespace; its PID
# in $started_pid.
start_registry() {
    local name=$1 address="127.0.0.1:$2" i
    rm -rf "${LAB_DIR:?}/$name"
    mkdir -p "$LAB_DIR/$name"
    cat >"$LAB_DIR/$name/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $LAB_DIR/$name/storage
  delete:
    enabled: true
http:
  addr: $address
  secret: splice-benchmark
EOF
    lab_in_ns docker-registry serve "$LAB_DIR/$name/config.yml" >"$LAB_DIR/$name/log" 2>&1 &
    started_pid=$!
    for ((i = 0; i < 100; i++)); do
        lab_in_ns curl -s -o /dev/null "http://$address/v2/" && return 0
        sleep 0.05
    done
    echo "docker-registry did not start; its log:" >&2
    cat "$LAB_DIR/$name/log" >&2
    return 1
}
stop_registry() { # PID
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
start_registry registry "$port"
reg_pid=$started_pid
# Pushes go to a second registry, emptied before each push: every blob is uploaded (an empty registry has nothing
# to mount from, and skopeo's blob cache cannot help it).
push_registry="127.0.0.1:5001"

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

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { awk -v ns="$1" 'BEGIN { printf "%.0f", ns / 1e6 }'; }

splice_pull=() skopeo_pull=() skopeo_extract=() splice_push=() skopeo_push=()
for ((r = 1; r <= runs; r++)); do
    # Pull: the store starts without the image each time.
    splice rmi -f "$registry/bench:1" "$push_registry/bench:1" >/dev/null 2>&1 || true
    [ -z "$(splice images -q)" ] || { echo "the store still holds an image before the pull" >&2; exit 1; }
    t0=$(now)
    splice pull -q "$registry/bench:1" >/dev/null
    t1=$(now)
    splice_pull+=($((t1 - t0)))

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

    # Push: to an empty registry each time.
    splice tag "$registry/bench:1" "$push_registry/bench:1"
    start_registry push 5001
    push_pid=$started_pid
    t0=$(now)
    splice push -q "$push_registry/bench:1" >/dev/null
    t1=$(now)
    stop_registry "$push_pid"
    splice_push+=($((t1 - t0)))
    start_registry push 5001
    push_pid=$started_pid
    t0=$(now)
    lab_in_ns skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$push_registry/bench:1"
    t1=$(now)
    stop_registry "$push_pid"
    push_pid=
    skopeo_push+=($((t1 - t0)))
done
# The pulled image has every layer unpacked (its files are there).
for n in 1 2 3 4 5; do
    found=$(find "$LAB_GRAPH" -path "*/diff/data$n/name" 2>/dev/null | head -1)
    [ -n "$found" ] && [ "$(cat "$found")" = "layer $n" ] || { echo "layer $n was not unpacked by the pull" >&2; exit 1; }
done

sp=$(printf '%s\n' "${splice_pull[@]}" | median)
kp=$(printf '%s\n' "${skopeo_pull[@]}" | median)
ke=$(printf '%s\n' "${skopeo_extract[@]}" | median)
su=$(printf '%s\n' "${splice_push[@]}" | median)
ku=$(printf '%s\n' "${skopeo_push[@]}" | median)
ratio() { awk -v peer="$1" -v mine="$2" 'BEGIN { printf "%.2f", peer / mine }'; }
echo
echo "medians of $runs runs, $total_mb MB, 5 layers:"
printf '  %-48s %8s ms\n' "splice pull (download, verify, unpack)" "$(ms "$sp")"
printf '  %-48s %8s ms   ratio %s\n' "skopeo copy docker:// -> oci: (no unpack)" "$(ms "$kp")" "$(ratio "$kp" "$sp")"
printf '  %-48s %8s ms   ratio %s\n' "skopeo copy + tar -xzf of each layer" "$(ms "$ke")" "$(ratio "$ke" "$sp")"
printf '  %-48s %8s ms\n' "splice push (empty registry)" "$(ms "$su")"
printf '  %-48s %8s ms   ratio %s\n' "skopeo copy oci: -> docker:// (empty registry)" "$(ms "$ku")" "$(ratio "$ku" "$su")"
echo "(ratio = peer / splice; the issue's target is 1.5 against dockerd, which is not running here)"
