#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that take outside input (Sources/FuzzTargets: json, netlink, portspec,
# address, template, pipework, dhcp, bodies, http, filters, tar) with libFuzzer and AddressSanitizer, SECONDS in
# all split across the targets. Starts from the committed seeds (fuzz/corpus/TARGET); what libFuzzer adds goes to a scratch corpus, and
# a finding (crash-*, leak-*, timeout-*) to fuzz/findings/TARGET/, to be minimised, fixed and then added to the
# committed corpus, which the test suite replays (Tests/FuzzReplayTests).
# Usage: bash benchmarks/fuzz.sh [SECONDS] [TARGET...]     (default 240 s over every target)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-240}
shift || true
[[ $seconds =~ ^[0-9]+$ && $seconds -ge 8 ]] || { echo "SECONDS must be a whole number, 8 or more" >&2; exit 2; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json netlink portspec address template pipework dhcp bodies http filters tar)
cd "$here"
echo "building splice-fuzz with -sanitize=fuzzer,address (its own scratch path .build-fuzz)" >&2
swift build --product splice-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -DSPLICE_FUZZ >&2
binary=.build-fuzz/debug/splice-fuzz
scratch=$(mktemp -d /tmp/splice-fuzz-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
each=$((seconds / ${#targets[@]}))
[ "$each" -ge 1 ] || each=1
findings_total=0
printf '%-10s %12s %8s %10s\n' target executions corpus findings
for target in "${targets[@]}"; do
    [ -d "fuzz/corpus/$target" ] || { echo "no corpus for $target (fuzz/corpus/$target)" >&2; exit 2; }
    mkdir -p "$scratch/$target" "fuzz/findings/$target"
    log="$scratch/$target.log"
    SPLICE_FUZZ_TARGET=$target "$binary" -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/findings/$target/" -print_final_stats=1 \
        "$scratch/$target" "fuzz/corpus/$target" >"$log" 2>&1 || true
    runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
    corpus=$(find "$scratch/$target" -type f | wc -l)
    found=$(find "fuzz/findings/$target" -type f | wc -l)
    findings_total=$((findings_total + found))
    printf '%-10s %12s %8s %10s\n' "$target" "${runs:-?}" "$corpus" "$found"
    if [ "$found" -gt 0 ]; then grep -m1 -E 'ERROR|Fatal error|SUMMARY' "$log" | sed 's/^/    /' || true; fi
done
echo "fuzzed ${#targets[@]} targets for ${seconds} s: $findings_total findings (fuzz/findings/)"
[ "$findings_total" -eq 0 ]
