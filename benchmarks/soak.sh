#!/usr/bin/env bash
# Soak: docker-py clients create, start, exec, read logs of and remove containers on two user-defined networks in
# parallel for MINUTES, while spliced is killed with SIGKILL and restarted every KILL_EVERY seconds (default 60).
# At the end: operations done, failures (those inside a kill's window, from the kill until the daemon answers
# again plus 2 s, are counted apart as "cut by the kill"; every other failure is a finding), spliced's RSS and
# open descriptors shortly after the first start and at the end, and the lab's leak check (nothing left).
# Usage: sudo bash benchmarks/soak.sh [MINUTES] [WORKERS]     (defaults 5 and 4; release builds, as engine.sh;
#        SPLICE_BIN_DIR=.build/debug to soak the debug build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
minutes=${1:-5}
workers=${2:-4}
kill_every=${KILL_EVERY:-60}
[[ $minutes =~ ^[0-9]+$ && $minutes -ge 1 ]] || { echo "MINUTES must be a whole number of minutes, 1 or more" >&2; exit 2; }
[[ $workers =~ ^[0-9]+$ && $workers -ge 1 && $workers -le 64 ]] || { echo "WORKERS must be 1 to 64" >&2; exit 2; }
python3 -c 'import docker' 2>/dev/null || { echo "docker-py is missing: run bash scripts/setup.sh" >&2; exit 1; }

finish() {
    local status=$?
    trap - EXIT
    trap '' INT TERM
    [ -n "${clients_pid:-}" ] && kill -TERM "$clients_pid" 2>/dev/null && wait "$clients_pid" 2>/dev/null
    lab_cleanup
    lab_leak_check || status=1
    exit "$status"
}
lab_init soak
trap finish EXIT
trap 'exit 130' INT TERM
lab_start_spliced
lab_import_busybox bb:latest
splice network create --subnet 10.231.0.0/24 soak-a >/dev/null
splice network create --subnet 10.232.0.0/24 soak-b >/dev/null

# spliced's resident memory (kB) and open descriptors.
daemon_usage() {
    local rss fds
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$LAB_SPLICED_PID/status")
    fds=$(find "/proc/$LAB_SPLICED_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
    echo "$rss kB RSS, $fds descriptors"
}

windows="$LAB_DIR/kill-windows"
: >"$windows"
deadline=$(($(date +%s) + minutes * 60))
python3 - "$LAB_SOCK" "$deadline" "$workers" "$windows" >"$LAB_DIR/clients.out" 2>&1 <<'EOF' &
import sys, threading, time, random, json
import docker

sock, deadline, workers, windows = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
done, failures = 0, []

def worker(index):
    global done
    client = docker.DockerClient(base_url="unix://" + sock, timeout=60)
    network = "soak-a" if index % 2 == 0 else "soak-b"
    step = 0
    while time.time() < deadline:
        step += 1
        name = "soak-%d-%d" % (index, step)
        try:
            c = client.containers.run("bb", ["sh", "-c", "echo started; sleep 30"], name=name, detach=True,
                                      network=network)
            result = c.exec_run(["sh", "-c", "echo exec-ok"])
            assert result.exit_code == 0 and b"exec-ok" in result.output, result
            for _ in range(50):
                if b"started" in c.logs():
                    break
                time.sleep(0.02)
            else:
                raise AssertionError("no log line")
            c.remove(force=True)
            with lock:
                done += 5
        except Exception as error:
            with lock:
                failures.append((time.time(), name, repr(error)[:300]))
            try:
                client.containers.get(name).remove(force=True)
            except Exception:
                pass
            time.sleep(0.2)

threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
spans = []
with open(windows) as f:
    for line in f:
        start, end = line.split()
        spans.append((float(start), float(end) + 2))
cut = [f for f in failures if any(s <= f[0] <= e for s, e in spans)]
other = [f for f in failures if f not in cut]
print(json.dumps({"operations": done, "cut": len(cut), "failures": len(other),
                  "examples": [f[2] for f in other[:5]]}))
EOF
clients_pid=$!

sleep 10
first_usage=$(daemon_usage)
kills=0
usages=()
while [ "$(date +%s)" -lt "$deadline" ]; do
    next=$(($(date +%s) + kill_every))
    while [ "$(date +%s)" -lt "$next" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 1; done
    [ "$(date +%s)" -lt "$deadline" ] || break
    usages+=("$(daemon_usage)")
    start=$(date +%s.%N)
    kill -KILL "$LAB_SPLICED_PID"
    wait "$LAB_SPLICED_PID" 2>/dev/null || true
    lab_start_spliced
    echo "$start $(date +%s.%N)" >>"$windows"
    kills=$((kills + 1))
done
wait "$clients_pid" || true
clients_pid=
last_usage=$(daemon_usage)
summary=$(tail -n 1 "$LAB_DIR/clients.out")
[ ${#usages[@]} -gt 0 ] && printf 'spliced before kill %s\n' "${usages[@]}"
python3 - "$summary" "$minutes" "$workers" "$kills" "$first_usage" "$last_usage" <<'EOF'
import sys, json
s = json.loads(sys.argv[1])
minutes, workers, kills, first, last = sys.argv[2:7]
print("soak %s min, %s docker-py clients, spliced killed %s times" % (minutes, workers, kills))
print("operations: %d; failures cut by a kill: %d; other failures: %d" % (s["operations"], s["cut"], s["failures"]))
for example in s["examples"]:
    print("  failure:", example)
print("spliced at start: %s; at end (after the last restart): %s" % (first, last))
sys.exit(1 if s["failures"] else 0)
EOF
