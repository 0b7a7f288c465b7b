# Shared shell helpers for benchmarks that compare against Debian's docker.io daemon, run side by side on a
# private socket, data root, exec root and cgroup parent inside a network namespace of its own. Source it after
# scripts/lib/engine-lab.sh (it uses lab_pids_naming, lab_mounts and $LAB_DIR), then:
#   dd_init                 names everything after this shell's PID and removes what a killed earlier run left
#   dd_start                installs docker.io if missing, starts dockerd, imports $LAB_DIR/bb.tar as bb:latest;
#                           status 1 with the reason in $DD_REASON when it cannot run here
#   dd_docker ARGS...       the docker CLI against that dockerd
#   dd_stop                 stops it by its PID and removes what it made (also paths it makes outside its own)
#   dd_leak_check           prints what is left; status 1 if anything is
# Everything is found by this run's own names, directory and PIDs, never by sweeping other names.

DD_NS="spl-dockerd-$$"
DD_DIR="/tmp/splice-bench-dockerd-$$"
DD_CGROUP="splice-bench-dockerd-$$"
DD_PID=
DD_REASON=
DD_CLI=$(command -v docker || true)
for candidate in /usr/local/bin/docker /usr/bin/docker; do
    [ -n "$DD_CLI" ] || { [ -x "$candidate" ] && DD_CLI=$candidate; }
done
# What dockerd creates outside its private paths whatever its flags: removed at the end unless it was there before.
DD_HOST_PATHS=(/etc/docker/key.json /run/docker/plugins /run/docker /run/containerd/s /run/containerd)
DD_HOST_EXISTED=()

dd_docker() { DOCKER_HOST="unix://$DD_DIR/docker.sock" "$DD_CLI" "$@"; }

dd_init() {
    local path stale stale_pid pid mount dir
    for path in "${DD_HOST_PATHS[@]}"; do [ -e "$path" ] && DD_HOST_EXISTED+=("$path"); done
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
    return 0
}

dd_start() {
    if ! command -v dockerd >/dev/null; then
        echo "installing Debian's docker.io for the comparison (apt-get; services are not started)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >"$LAB_DIR/apt.log" 2>&1 || {
            DD_REASON="apt-get install docker.io failed: $(tail -n 2 "$LAB_DIR/apt.log")"; return 1; }
    fi
    if [ -S /run/containerd/containerd.sock ]; then
        DD_REASON="a system containerd is running (/run/containerd/containerd.sock); dockerd would use it"
        return 1
    fi
    [ -n "$DD_CLI" ] || { DD_REASON="no docker CLI"; return 1; }
    mkdir -p "$DD_DIR"
    ip netns add "$DD_NS"
    ip -n "$DD_NS" link set lo up
    setsid nsenter --net="/run/netns/$DD_NS" dockerd -H "unix://$DD_DIR/docker.sock" --data-root "$DD_DIR/data" \
        --exec-root "$DD_DIR/exec" --pidfile "$DD_DIR/dockerd.pid" --cgroup-parent "$DD_CGROUP" \
        >"$DD_DIR/dockerd.log" 2>&1 &
    DD_PID=$!
    local i
    for i in $(seq 300); do
        dd_docker version >/dev/null 2>&1 && break
        kill -0 "$DD_PID" 2>/dev/null || break
        sleep 0.1
    done
    if ! dd_docker version >/dev/null 2>&1; then
        DD_REASON="dockerd did not start: $(grep -iE 'level=(error|fatal)|failed' "$DD_DIR/dockerd.log" | tail -n 3)"
        return 1
    fi
    dd_docker import "$LAB_DIR/bb.tar" bb:latest >/dev/null || { DD_REASON="docker import into dockerd failed"; return 1; }
    dd_docker run --rm bb true >"$DD_DIR/probe.log" 2>&1 || {
        DD_REASON="dockerd cannot run a container here: $(tail -n 2 "$DD_DIR/probe.log")"; return 1; }
}

dd_stop() {
    [ -d "$DD_DIR" ] || [ -e "/run/netns/$DD_NS" ] || return 0
    if [ -n "$DD_PID" ] && kill -0 "$DD_PID" 2>/dev/null; then
        local ids
        ids=$(timeout -s KILL 30 env DOCKER_HOST="unix://$DD_DIR/docker.sock" "$DD_CLI" ps -aq 2>/dev/null || true)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout -s KILL 120 env DOCKER_HOST="unix://$DD_DIR/docker.sock" "$DD_CLI" rm -f $ids \
            >/dev/null 2>&1 || true
        kill -TERM "$DD_PID" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$DD_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DD_PID" 2>/dev/null || true
        wait "$DD_PID" 2>/dev/null || true
    fi
    DD_PID=
    # Its containerd, shims and containers, if it died before stopping them: found by our own directory.
    local pid dir mount path
    for pid in $(lab_pids_naming "$DD_DIR" | sort -u); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.2
    for dir in /sys/fs/cgroup/*/"$DD_CGROUP" /sys/fs/cgroup/"$DD_CGROUP"; do
        [ -d "$dir" ] || continue
        find "$dir" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
        rmdir "$dir" 2>/dev/null || true
    done
    for mount in $(lab_mounts "$DD_DIR" | sort -r); do umount -l "$mount" 2>/dev/null || true; done
    ip netns del "$DD_NS" 2>/dev/null || true
    rm -rf "$DD_DIR"
    for path in "${DD_HOST_PATHS[@]}"; do
        case " ${DD_HOST_EXISTED[*]} " in *" $path "*) continue ;; esac
        if [ -d "$path" ]; then rmdir "$path" 2>/dev/null || true; else rm -f "$path"; fi
    done
}

dd_leak_check() {
    local status=0 dir path
    for dir in /sys/fs/cgroup/*/"$DD_CGROUP" "$DD_DIR" "/run/netns/$DD_NS"; do
        [ -e "$dir" ] && { echo "leak: $dir"; status=1; }
    done
    [ -z "$(lab_mounts "$DD_DIR")" ] || { echo "leak: mounts under $DD_DIR"; status=1; }
    for path in "${DD_HOST_PATHS[@]}"; do
        case " ${DD_HOST_EXISTED[*]} " in *" $path "*) continue ;; esac
        [ -e "$path" ] && { echo "leak: $path (made by dockerd)"; status=1; }
    done
    return "$status"
}
