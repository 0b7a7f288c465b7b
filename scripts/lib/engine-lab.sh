# Shared shell helpers for scripts that run a private `spliced` (the engine demo and the engine benchmark).
# Source it, then:
#   lab_init TAG            names everything after TAG and this shell's PID: namespace spl-TAG-PID, directory
#                           /tmp/splice-TAG-PID (graph, socket, pid file, log, busybox tar)
#   lab_start_spliced       starts spliced inside that namespace (its "host": bridge splice0 and the nftables
#                           tables live there, never on the real host) and waits for its socket
#   lab_import_busybox [NAME]  imports a busybox image built from Debian's busybox-static (default bb:latest)
#   splice ARGS...          the release `splice` client against the lab's daemon
#   lab_cleanup             removes the containers, stops spliced by its PID, and removes what remains
#   lab_leak_check          prints what is left (namespace, links, nft tables, mounts, cgroups, processes); status 1
# Everything is found by the lab's own names, directory and PIDs, never by sweeping other names.
# Requires bash, root, and the release builds of spliced, splice and splice-init.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_BIN=${SPLICE_BIN_DIR:-$LAB_ROOT/.build/release}
LAB_SPLICED_PID=
LAB_CONTAINER_IDS=()

lab_init() {
    local tag=$1
    [ "$(id -u)" = 0 ] || { echo "this needs root (network namespaces, mounts, cgroups)" >&2; return 1; }
    local binary
    for binary in spliced splice splice-init; do
        [ -x "$LAB_BIN/$binary" ] || {
            echo "$LAB_BIN/$binary is missing; build it first:" \
                "bash scripts/setup.sh (static splice-init), then swift build -c release --product spliced;" \
                "swift build -c release --product splice --static-swift-stdlib" \
                "-Xswiftc -Xclang-linker -Xswiftc -no-pie (as scripts/demo.sh builds them)" >&2
            return 1
        }
    done
    LAB_NS="spl-$tag-$$"
    LAB_DIR="/tmp/splice-$tag-$$"
    LAB_GRAPH="$LAB_DIR/graph"
    LAB_SOCK="$LAB_DIR/splice.sock"
    LAB_LOG="$LAB_DIR/spliced.log"
    export SPLICE_HOST="unix://$LAB_SOCK"
    LAB_HOST_BEFORE=$(lab_host_marks)
    if [ -e "/run/netns/$LAB_NS" ] || [ -e "$LAB_DIR" ]; then
        echo "$LAB_NS or $LAB_DIR exists already (a PID reused after an interrupted run?); cleaning it first" >&2
        lab_cleanup
    fi
    lab_cleanup_stale "$tag"
    mkdir -p "$LAB_DIR"
    ip netns add "$LAB_NS"
    ip -n "$LAB_NS" link set lo up
}

# Cleans up labs of this TAG left by runs that were killed before their own cleanup (their PID is gone).
lab_cleanup_stale() {
    local tag=$1 dir pid
    for dir in /tmp/splice-"$tag"-[0-9]*; do
        [ -d "$dir" ] || continue
        pid=${dir##*-}
        [[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null || continue
        echo "removing what an interrupted run (pid $pid) left: $dir, namespace spl-$tag-$pid" >&2
        (
            LAB_NS="spl-$tag-$pid" LAB_DIR=$dir LAB_GRAPH="$dir/graph" LAB_SOCK="$dir/splice.sock"
            LAB_CONTAINER_IDS=() LAB_SPLICED_PID=$(cat "$dir/spliced.pid" 2>/dev/null || true) LAB_STARTED=0
            export SPLICE_HOST="unix://$LAB_SOCK"
            lab_cleanup
        )
    done
    return 0
}

# Runs a command in the lab's network namespace, keeping the caller's mount namespace (unlike `ip netns exec`,
# which gives the command a private one, so mounts spliced makes would not be seen by anyone else).
lab_in_ns() { nsenter --net="/run/netns/$LAB_NS" "$@"; }

splice() { "$LAB_BIN/splice" "$@"; }

lab_start_spliced() {
    # In a session of its own, so a Ctrl-C (sent to the whole foreground process group) leaves the daemon to the
    # cleanup, which removes the containers through it. setsid (not a group leader here) and nsenter (no pid
    # namespace) both exec, so $! is spliced's own PID.
    setsid nsenter --net="/run/netns/$LAB_NS" "$LAB_BIN/spliced" -H "unix://$LAB_SOCK" -g "$LAB_GRAPH" \
        -p "$LAB_DIR/spliced.pid" "$@" >>"$LAB_LOG" 2>&1 &
    LAB_SPLICED_PID=$!
    LAB_STARTED=$(date +%s)
    local i
    for ((i = 0; i < 200; i++)); do
        splice version >/dev/null 2>&1 && return 0
        kill -0 "$LAB_SPLICED_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "spliced did not come up; its log ($LAB_LOG):" >&2
    cat "$LAB_LOG" >&2
    return 1
}

# The busybox root filesystem as a tar: /bin/busybox (Debian's busybox-static) plus one symlink per applet.
lab_busybox_tar() {
    local out=$1 rootfs="$LAB_DIR/rootfs" applet
    rm -rf "$rootfs"
    mkdir -p "$rootfs"/{bin,tmp,etc,proc,sys,dev}
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
    done
    tar -C "$rootfs" -cf "$out" .
    rm -rf "$rootfs"
}

lab_import_busybox() {
    local name=${1:-bb:latest}
    [ -f "$LAB_DIR/bb.tar" ] || lab_busybox_tar "$LAB_DIR/bb.tar"
    splice import - "$name" <"$LAB_DIR/bb.tar" >/dev/null
}

# Container ids the lab's daemon has recorded (its graph), remembered for the cgroup and process checks.
lab_remember_containers() {
    local entry
    [ -d "$LAB_GRAPH/containers" ] || return 0
    for entry in "$LAB_GRAPH/containers"/*; do
        [ -d "$entry" ] && lab_remember_id "${entry##*/}"
    done
    return 0
}

lab_remember_id() {
    case " ${LAB_CONTAINER_IDS[*]} " in *" $1 "*) ;; *) LAB_CONTAINER_IDS+=("$1") ;; esac
}

# Every container the daemon created since it started, --rm ones included, from its event log (when the engine
# has events; otherwise the graph's list is all there is).
lab_remember_created() {
    local id
    for id in $(timeout -s KILL 30 "$LAB_BIN/splice" events --since "$LAB_STARTED" --until "$(($(date +%s) + 1))" \
        -f type=container -f event=create --format '{{.ID}}' 2>/dev/null); do
        [[ $id =~ ^[0-9a-f]{64}$ ]] && lab_remember_id "$id"
    done
    return 0
}

# PIDs of processes whose command line names a path under DIR (a directory named after this run's PID).
lab_pids_naming() {
    local dir=$1 pid cmd
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        [ "$pid" = "$$" ] && continue
        cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
        case "$cmd" in *"$dir/"*) echo "$pid" ;; esac
    done
}

# PIDs of processes started for the lab: spliced, the monitors (their argv names a directory under the lab's
# directory) and anything in one of the lab's container cgroups.
lab_processes() {
    local id file
    lab_pids_naming "$LAB_DIR"
    for id in "${LAB_CONTAINER_IDS[@]}"; do
        for file in /sys/fs/cgroup/*/splice/"$id"/cgroup.procs /sys/fs/cgroup/splice/"$id"/cgroup.procs; do
            [ -f "$file" ] && cat "$file" 2>/dev/null
        done
    done
}

lab_cgroups() {
    local id dir
    for id in "${LAB_CONTAINER_IDS[@]}"; do
        for dir in /sys/fs/cgroup/*/splice/"$id" /sys/fs/cgroup/splice/"$id"; do
            [ -d "$dir" ] && echo "$dir"
        done
    done
}

# Mount points under DIR (default: the lab's directory).
lab_mounts() { awk -v dir="${1:-$LAB_DIR}/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo; }

# Splice's marks on the real host: bridge splice0, vsp* links, nftables tables named splice*.
lab_host_marks() {
    ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^(splice0|vsp)' || true
    nft list tables 2>/dev/null | grep -E ' splice' || true
}

lab_cleanup() {
    [ -n "${LAB_DIR:-}" ] || return 0
    lab_remember_containers
    if [ -n "$LAB_SPLICED_PID" ] && kill -0 "$LAB_SPLICED_PID" 2>/dev/null; then
        lab_remember_created
        local ids
        ids=$(timeout -s KILL 30 "$LAB_BIN/splice" ps -aq 2>/dev/null || true)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout -s KILL 120 "$LAB_BIN/splice" rm -f $ids >/dev/null 2>&1 || true
        kill -TERM "$LAB_SPLICED_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 100; i++)); do kill -0 "$LAB_SPLICED_PID" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$LAB_SPLICED_PID" 2>/dev/null || true
        wait "$LAB_SPLICED_PID" 2>/dev/null || true
    fi
    LAB_SPLICED_PID=
    # Whatever an interrupted run left: the lab's own processes by PID, its cgroups, its mounts, its namespace.
    local pid dir mount id
    # A paused container's processes die only once thawed.
    for id in "${LAB_CONTAINER_IDS[@]}"; do
        for dir in /sys/fs/cgroup/freezer/splice/"$id" /sys/fs/cgroup/splice/"$id"; do
            [ -f "$dir/freezer.state" ] && echo THAWED >"$dir/freezer.state" 2>/dev/null
            [ -f "$dir/cgroup.freeze" ] && echo 0 >"$dir/cgroup.freeze" 2>/dev/null
        done
    done
    for pid in $(lab_processes | sort -u); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.1
    for dir in $(lab_cgroups); do rmdir "$dir" 2>/dev/null || true; done
    for mount in $(lab_mounts | sort -r); do umount -l "$mount" 2>/dev/null || true; done
    ip netns del "$LAB_NS" 2>/dev/null || true
    rm -rf "$LAB_DIR"
}

lab_leak_check() {
    local leaks=() pid after
    [ -e "/run/netns/$LAB_NS" ] && leaks+=("network namespace $LAB_NS")
    for mount in $(lab_mounts); do leaks+=("mount $mount"); done
    for dir in $(lab_cgroups); do leaks+=("cgroup $dir"); done
    for pid in $(lab_processes | sort -u); do
        leaks+=("process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")")
    done
    [ -e "$LAB_DIR" ] && leaks+=("directory $LAB_DIR")
    after=$(lab_host_marks)
    while read -r line; do
        [ -n "$line" ] && leaks+=("on the host: $line")
    done < <(comm -13 <(echo "$LAB_HOST_BEFORE" | sort) <(echo "$after" | sort))
    if [ ${#leaks[@]} -gt 0 ]; then
        printf 'leak: %s\n' "${leaks[@]}"
        return 1
    fi
    echo "leak check: no namespace, link, nft table, mount, cgroup (of the ${#LAB_CONTAINER_IDS[@]} containers" \
        "it ran) or process left"
}
