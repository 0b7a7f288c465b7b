#!/usr/bin/env bash
# The container engine, end to end: starts `spliced` on a private state directory and socket inside a network
# namespace of its own (its "host": bridge splice0 and the nftables tables live there, not on this machine),
# imports a busybox image built from Debian's busybox-static, runs the seed's examples with `splice` and shows
# each command with its output, then removes everything and checks that nothing is left.
# Usage: netlab/engine-demo.sh [PIPEWORK_BINARY]   (root; release builds of spliced, splice, splice-init)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pipework=${1:-${PIPEWORK:-$here/.build/release/pipework}}
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"

[ "$(id -u)" = 0 ] || { echo "this demo creates network namespaces: run it as root" >&2; exit 1; }
[ -x "$pipework" ] || { echo "pipework binary not found at $pipework (run: bash scripts/setup.sh)" >&2; exit 1; }
for binary in spliced splice splice-init; do
    if [ ! -x "$LAB_BIN/$binary" ]; then   # run by hand after scripts/setup.sh, which builds only pipework
        echo "== building $binary (release)"
        if [ "$binary" = splice-init ]; then   # linked fully static, as scripts/setup.sh builds it
            (cd "$here" && swift build -c release --product "$binary" --static-swift-stdlib \
                -Xswiftc -static-executable 2>&1 | tail -n 1)
        else
            (cd "$here" && swift build -c release --product "$binary" 2>&1 | tail -n 1)
        fi
    fi
done

failures=0
interrupted=0
pending=()
finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM   # the cleanup is not interrupted half-way
    set +e             # and goes on past any failure
    echo
    echo "== cleanup"
    lab_cleanup
    if ! lab_leak_check; then status=1; fi
    if [ ${#pending[@]} -gt 0 ]; then
        echo "not in this build yet (the engine answered that it does not implement them): ${pending[*]}"
    fi
    if [ "$status" = 0 ] && [ "$failures" = 0 ] && [ ${#pending[@]} -gt 0 ]; then
        echo "== engine demo: every step this build supports passed"
    elif [ "$status" = 0 ] && [ "$failures" = 0 ]; then
        echo "== engine demo: every step passed"
    elif [ "$interrupted" = 1 ]; then
        echo "== engine demo interrupted"
    elif [ "$failures" = 0 ]; then
        echo "== engine demo FAILED: stopped early (status $status)"
    else
        echo "== engine demo FAILED ($failures failed steps)"
    fi
    [ "$failures" = 0 ] || status=1
    exit "$status"
}
trap finish EXIT
trap 'interrupted=1; exit 130' INT TERM

# show DISPLAY CMD...: prints "$ DISPLAY", runs CMD, prints its output indented; returns CMD's status.
show() {
    local display=$1 status=0 output
    shift
    echo "\$ $display"
    "$@" >"$LAB_DIR/step.out" 2>&1 || status=$?
    # Terminal control sequences (ash asks for the cursor position) and NUL bytes are left out of the display.
    output=$(tr -d '\0' <"$LAB_DIR/step.out" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g')
    [ -z "$output" ] || printf '%s\n' "$output" | sed 's/^/    /'
    [ "$status" = 0 ] || echo "    (exit status $status)"
    LAST_OUTPUT=$output
    lab_remember_containers
    return "$status"
}

# step DISPLAY CMD...: a step that must succeed (the demo goes on, to show what else works, and fails at the end).
step() {
    show "$@" || { echo "    FAILED"; failures=$((failures + 1)); }
}

# expect PATTERN WHAT: the last step's output must match PATTERN (grep -E).
expect() {
    if grep -qE -- "$1" <<<"$LAST_OUTPUT"; then
        echo "    ok: $2"
    else
        echo "    FAILED: expected $2"
        failures=$((failures + 1))
    fi
}

# newer FEATURE DISPLAY CMD...: a step for a feature other engineers are finishing (-it, exec, pause, events).
# If the engine or client answers that the feature is not implemented, it is listed at the end as missing;
# any other failure fails the demo. Returns 1 unless the step ran and succeeded.
newer() {
    local feature=$1 status=0
    shift
    show "$@" || status=$?
    [ "$status" = 0 ] && return 0
    if grep -qiE 'not implemented|unknown command|unknown flag|unknown shorthand|not supported' <<<"$LAST_OUTPUT"; then
        echo "    (not in this build yet: $feature)"
        case " ${pending[*]} " in *" $feature "*) ;; *) pending+=("$feature") ;; esac
    else
        echo "    FAILED"
        failures=$((failures + 1))
    fi
    return 1
}

lab_init demo
echo "== Splice engine demo"
echo "spliced runs inside network namespace $LAB_NS, which stands in for the host: its bridge splice0, its"
echo "nftables tables and the containers' veths are made there. \"From the host\" below means from that namespace"
echo "(nsenter --net=/run/netns/$LAB_NS). State: $LAB_GRAPH; socket: $LAB_SOCK."
echo
echo "\$ export SPLICE_HOST=$SPLICE_HOST"
echo "\$ spliced -H $SPLICE_HOST -g $LAB_GRAPH -p $LAB_DIR/spliced.pid &    # in namespace $LAB_NS"
lab_start_spliced
echo "    spliced is up (pid $LAB_SPLICED_PID)"
events_since=$(date +%s)

echo
echo "== the busybox image, built from Debian's busybox-static (/bin/busybox and a symlink per applet)"
lab_busybox_tar "$LAB_DIR/bb.tar"
step "tar -C rootfs -c . | splice import - bb:latest" splice import - bb:latest <"$LAB_DIR/bb.tar"
step "splice images" splice images
expect '^bb +latest' "the image bb:latest"

echo
echo "== a first container"
step "splice run --rm bb echo hello from busybox" splice run --rm bb echo hello from busybox
expect '^hello from busybox$' "the container's output"
greeting_display="splice run --rm -e GREETING=hi -h box bb sh -c 'echo \$GREETING from \$(hostname); exit 3';"
step "$greeting_display echo \"exit status \$?\"" \
    bash -c "$LAB_BIN/splice run --rm -e GREETING=hi -h box bb sh -c 'echo \$GREETING from \$(hostname); exit 3';
             echo \"exit status \$?\""
expect '^hi from box$' "the environment and hostname inside"
expect '^exit status 3$' "the container's exit status as splice's own"

echo
echo "== run -i -t, typed into a pseudo-terminal (script(1)) instead of by hand"
# The input waits a moment for the shell, and stdin stays open until the shell has exited, as when typing.
typed="tty; hostname; echo \$((6 * 7)); exit"
it_display="{ sleep 1; printf '$typed\\n'; sleep 2; } |"
it_display+=" script -qec 'splice run -i -t --rm -h tty-demo bb sh' /dev/null"
tty_name="tty-demo-$$"
if newer "run -i -t" "$it_display" \
    bash -c "{ sleep 1; printf '$typed\n'; sleep 2; } | timeout -s KILL 30 script -qec \
             '$LAB_BIN/splice run -i -t --rm --name $tty_name -h tty-demo bb sh' /dev/null"
then
    expect '/dev/(pts/[0-9]+|console)' "a terminal inside the container"
    expect 'tty-demo' "the shell's commands answered"
    expect '(^|[^0-9])42' "arithmetic from the container's shell"
fi
# A session that failed may have left its container running (the client's end does not stop it).
splice rm -f "$tty_name" >/dev/null 2>&1 || true

echo
echo "== a web server: run -d -p 8080:80 ... httpd"
web_cmd='mkdir -p /www && echo "hello from httpd in a splice container" >/www/index.html && exec httpd -f -p 80 -h /www'
step "splice run -d --name web -p 8080:80 bb sh -c '$web_cmd'" \
    splice run -d --name web -p 8080:80 bb sh -c "$web_cmd"
step "splice ps" splice ps
expect 'web' "web listed as running"
step "splice port web" splice port web
expect '80/tcp -> 0.0.0.0:8080' "the published port"
web_ip=$(splice inspect -f '{{.NetworkSettings.IPAddress}}' web)
step "splice inspect -f '{{.NetworkSettings.IPAddress}}' web" splice inspect -f '{{.NetworkSettings.IPAddress}}' web
# httpd needs a moment after the shell execs it.
for _ in $(seq 50); do
    lab_in_ns timeout 1 busybox wget -q -O /dev/null http://127.0.0.1:8080/ 2>/dev/null && break
    sleep 0.1
done
echo "# from the host (the demo's namespace $LAB_NS), with busybox wget:"
step "wget -qO- http://127.0.0.1:8080/" lab_in_ns timeout 5 busybox wget -q -O- http://127.0.0.1:8080/
expect 'hello from httpd' "the page through the published port on 127.0.0.1"
step "wget -qO- http://$web_ip:80/" lab_in_ns timeout 5 busybox wget -q -O- "http://$web_ip:80/"
expect 'hello from httpd' "the page on the container's own address"
step "splice run --rm bb wget -qO- http://$web_ip/    # from a sibling container" \
    splice run --rm bb timeout 5 wget -q -O- "http://$web_ip/"
expect 'hello from httpd' "the page from another container on the bridge"

echo
echo "== the four network modes"
step "splice run --rm --net=bridge bb ip -4 addr show eth0" splice run --rm --net=bridge bb ip -4 addr show eth0
expect 'inet 172\.[0-9.]+/16 .* eth0' "eth0 with an address on the default bridge network"
step "splice run --rm --net=none bb ip link show" splice run --rm --net=none bb ip link show
if grep -E '^[0-9]+: ' <<<"$LAST_OUTPUT" | grep -qv ': lo:'; then
    echo "    FAILED: expected only lo"; failures=$((failures + 1))
else
    echo "    ok: only lo"
fi
step "splice run --rm --net=host bb ip link show splice0" splice run --rm --net=host bb ip link show splice0
expect 'splice0' "the host's (the namespace's) bridge, seen from inside"
step "splice run --rm --net=container:web bb ip -4 addr show eth0" \
    splice run --rm --net=container:web bb ip -4 addr show eth0
expect "inet ${web_ip//./\\.}/" "web's own address (its network namespace, shared)"

echo
echo "== pipework: a second interface in the running container web"
echo "# pipework finds web by asking spliced on \$SPLICE_HOST; it runs in the demo's namespace, like spliced"
step "pipework br1 web 192.168.77.5/24" lab_in_ns "$pipework" br1 web 192.168.77.5/24
lab_in_ns ip addr add 192.168.77.1/24 dev br1
echo "\$ ip addr add 192.168.77.1/24 dev br1"
step "splice run --rm --net=container:web bb ip -4 addr show" \
    splice run --rm --net=container:web bb ip -4 addr show
expect 'inet 192\.168\.77\.5/24 .* eth1' "eth1, added by pipework"
step "ping -c 1 -W 2 192.168.77.5    # from the host, over br1" lab_in_ns ping -c 1 -W 2 192.168.77.5
step "wget -qO- http://192.168.77.5/" lab_in_ns timeout 5 busybox wget -q -O- http://192.168.77.5/
expect 'hello from httpd' "httpd on the second interface"
step "pipework --list" lab_in_ns "$pipework" --list

echo
echo "== exec, pause, events"
if newer "exec" "splice exec web cat /www/index.html" splice exec web cat /www/index.html; then
    expect 'hello from httpd' "a command run inside the running container"
fi
if newer "exec" "splice exec web ps" splice exec web ps; then
    expect 'httpd' "httpd among the container's processes"
fi
if newer "pause" "splice pause web" splice pause web; then
    step "splice ps -f name=web" splice ps -f name=web
    expect '\(Paused\)' "web shown as paused"
    step "splice inspect -f '{{.State.Status}}' web" splice inspect -f '{{.State.Status}}' web
    expect '^paused$' "the state paused"
    step "timeout 1 wget -qO- http://127.0.0.1:8080/ || echo 'no answer while paused'" \
        bash -c "nsenter --net=/run/netns/$LAB_NS timeout 1 busybox wget -q -O- http://127.0.0.1:8080/ ||
                 echo 'no answer while paused'"
    expect 'no answer while paused' "a frozen httpd"
    newer "pause" "splice unpause web" splice unpause web || true
    step "wget -qO- http://127.0.0.1:8080/" lab_in_ns timeout 5 busybox wget -q -O- http://127.0.0.1:8080/
    expect 'hello from httpd' "httpd answering again"
fi
step "splice stop -t 1 web" splice stop -t 1 web
events_until=$(($(date +%s) + 1))   # whole seconds: the next one, so the last event is inside the window
if newer "events" "splice events --since $events_since --until $events_until -f container=web" \
    splice events --since "$events_since" --until "$events_until" -f container=web; then
    expect 'container create' "web's create event"
    expect 'container start' "web's start event"
    expect 'container (die|stop)' "web's stop event"
fi
step "splice logs web" splice logs web
step "splice rm web" splice rm web
step "splice ps -a" splice ps -a
