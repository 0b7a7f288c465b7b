# Shared shell helpers for benchmarks that run Debian's docker.io daemon beside spliced, in a network namespace
# of its own with private data and exec roots, named after the running script's PID. Source it after
# scripts/lib/engine-lab.sh (it finds the docker CLI as $docker_cli), then:
#   dockerd_cleanup_stale   removes what an interrupted earlier run left (its PID is gone)
#   start_dockerd           installs docker.io if missing, starts dockerd, imports $LAB_DIR/bb.tar as bb:latest;
#                           status 1 with the reason in $dockerd_reason when it cannot run here
#   stop_dockerd            stops it and removes everything it made
#   dockerd_leak_check      prints what is left of it; status 1 if anything
#   dd_docker ARGS...       the docker CLI against that dockerd

# The docker CLI: on PATH, else where Debian's docker.io or a manual install puts it.
docker_cli=$(command -v docker || true)
for candidate in /usr/local/bin/docker /usr/bin/docker; do
    [ -n "$docker_cli" ] || { [ -x "$candidate" ] && docker_cli=$candidate; }
done

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
dockerd_cleanup_stale() {
    local stale stale_pid pid mount dir
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
}

# Debian's docker.io daemon, side by side (the product never depends on it); needs $docker_cli and
# $LAB_DIR/bb.tar (lab_import_busybox writes it).
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

dd_docker() { DOCKER_HOST="unix://$dd_dir/docker.sock" "$docker_cli" "$@"; }

dockerd_leak_check() {
    local status=0 dir path
    for dir in /sys/fs/cgroup/*/"$dd_cgroup" "$dd_dir" "/run/netns/$dd_ns"; do
        [ -e "$dir" ] && { echo "leak: $dir"; status=1; }
    done
    [ -z "$(lab_mounts "$dd_dir")" ] || { echo "leak: mounts under $dd_dir"; status=1; }
    for path in "${dd_host_paths[@]}"; do
        case " ${dd_host_existed[*]} " in *" $path "*) continue ;; esac
        [ -e "$path" ] && { echo "leak: $path (made by dockerd)"; status=1; }
    done
    return "$status"
}

# The EXIT trap of a benchmark that runs spliced (engine-lab.sh) beside dockerd: both stopped and cleaned up, then
# both leak checks; the exit status is the script's, or 1 when something was left. Install it with
#   trap side_by_side_finish EXIT; trap 'exit 130' INT TERM
side_by_side_finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM   # the cleanup is not interrupted half-way
    set +e             # and goes on past any failure
    stop_dockerd
    lab_cleanup
    lab_leak_check || status=1
    dockerd_leak_check || status=1
    exit "$status"
}
