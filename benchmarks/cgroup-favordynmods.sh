#!/usr/bin/env bash
# What cgroup2's `favordynmods` does to a container start, A/B in one run:
#   (a) one `cgroup.procs` write moving a fresh process into a v1 memory cgroup, timed alone (median of 15, each
#       after a 0.3 s quiet spell so the kernel's migration lock is back to its fast-reader mode);
#   (b) `splice run --rm --net=none bb true`, hyperfine median of RUNS,
# each with the host's cgroup2 mount without and with `favordynmods`, the daemon started with
# `--cgroup-favordynmods=false` so that only this script changes the mount. The mount's flags are put back as
# they were at the end, also after a failure or Ctrl-C. On Linux 6.18 the "without" column is meaningful only on
# a boot where favordynmods has never been on (benchmarks/README.md says why).
# Usage: sudo bash benchmarks/cgroup-favordynmods.sh [RUNS]   (default 30; release builds as for engine.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/engine-lab.sh
source "$here/scripts/lib/engine-lab.sh"
runs=${1:-30}
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run bash scripts/setup.sh" >&2; exit 1; }
unified=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$unified" ] || { echo "no cgroup2 mount: nothing to compare" >&2; exit 1; }
grep -qx favordynmods /sys/kernel/cgroup/features || { echo "this kernel has no favordynmods (Linux 6.0+)" >&2; exit 1; }
memory=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
original=$(awk -v m="$unified" '$2 == m { print $4; exit }' /proc/mounts)

# The cgroup2 flags a remount resets unless given again, as spliced keeps them (CgroupDynamicModifications).
set_favor() {
    local flags=() option
    IFS=, read -ra current <<<"$(awk -v m="$unified" '$2 == m { print $4; exit }' /proc/mounts)"
    for option in "${current[@]}"; do
        case $option in nsdelegate | memory_localevents | memory_recursiveprot | memory_hugetlb_accounting | \
            pids_localevents) flags+=("$option") ;; esac
    done
    [ "$1" = on ] && flags+=(favordynmods)
    python3 -c 'import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(None, sys.argv[1].encode(), None, 32, sys.argv[2].encode()) != 0:  # MS_REMOUNT
    sys.exit("remount failed: errno %d" % ctypes.get_errno())' "$unified" "$(IFS=,; echo "${flags[*]}")"
}

restore() {
    case ",$original," in *,favordynmods,*) set_favor on ;; *) set_favor off ;; esac
}

finish() {
    restore || true
    lab_cleanup
}
lab_init favordynmods
trap finish EXIT
trap 'exit 130' INT TERM
lab_start_spliced --cgroup-favordynmods=false
lab_import_busybox

# One cgroup.procs write, timed in Python around the write alone.
probe_migration() {
    python3 - "$memory/splice-bench-favordynmods-$$" <<'EOF'
import os, subprocess, sys, time
base = sys.argv[1]
os.makedirs(base, exist_ok=True)
times = []
try:
    for _ in range(15):
        child = subprocess.Popen(["sleep", "5"])
        time.sleep(0.3)
        start = time.perf_counter()
        with open(base + "/cgroup.procs", "w") as procs:
            procs.write(str(child.pid))
        times.append((time.perf_counter() - start) * 1000)
        child.kill()
        child.wait()
finally:
    time.sleep(0.1)
    os.rmdir(base)
times.sort()
print("%.2f" % times[len(times) // 2])
EOF
}

measure_run() {
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$LAB_DIR/$1.json" --style none \
        "$LAB_BIN/splice run --rm --net=none bb true" >/dev/null
    python3 -c 'import json, sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' \
        "$LAB_DIR/$1.json"
}

declare -A migration start
for mode in off on; do
    set_favor "$mode"
    migration[$mode]=$(probe_migration)
    start[$mode]=$(measure_run "$mode")
done

echo "cgroup2 at $unified (originally: $original); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %12s %12s %8s\n' "" "without" "with" "ratio"
printf '%-44s %9s ms %9s ms %7.1fx\n' "one cgroup.procs write (median of 15)" "${migration[off]}" "${migration[on]}" \
    "$(python3 -c "print(${migration[off]} / max(${migration[on]}, 0.001))")"
printf '%-44s %9s ms %9s ms %7.1fx\n' "splice run --rm --net=none bb true (median)" "${start[off]}" "${start[on]}" \
    "$(python3 -c "print(${start[off]} / max(${start[on]}, 0.001))")"

trap - EXIT
restore
lab_cleanup
lab_leak_check
