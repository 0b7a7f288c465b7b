#!/usr/bin/env bash
# Installs what Splice needs on a fresh Debian 12 machine (as root) and builds the release binaries.
# Idempotent: packages already present are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    iproute2        # ip/bridge: the tests' independent oracle and the demo's topology
    libnftables-dev # the firewall module links libnftables in process
    libarchive-dev  # image layers (tar, gzip) with secure extraction
    libseccomp-dev  # seccomp profiles (static libseccomp.a for splice-init)
    nftables        # nft, only for tests that read the ruleset back independently
    busybox-static  # udhcpd for the DHCP tests; a minimal rootfs for the static pipework check
    jq              # the demo's table
    iputils-ping    # ping, for the demo, the netlab scenarios and the end-to-end tests
    strace          # capturing golden fixtures (Tests/NetlinkKitTests/Fixtures/README.md)
    hyperfine       # benchmarks
    python3         # the image tests build malicious tar files with its tarfile module
    openssl         # the TLS tests make a CA, server and client certificates with the openssl CLI
    curl            # the TLS tests check that plain HTTP and cert-less clients are refused
    etcd-server     # the cluster store of overlay networks (etcd 3.4); the cluster tests start their own
    graphviz        # dot: splice lab graph --format svg
    iperf3          # splice lab's throughput checks; benchmarks/overlay.sh: overlay vs a hand-made VXLAN
    bc              # benchmarks/overlay.sh: arithmetic on the measurements
    docker-compose  # compose v1 (1.29.2, on Debian's python3 and python3-docker): the compose tests' client
    docker-registry # the registry tests' real registry on 127.0.0.1 (pull, push, login, search)
    skopeo          # an independent registry client: reads what spliced pushed, pushes what spliced pulls
    apache2-utils   # htpasswd, for the registry tests' password-protected registry
    gcc             # cc -static builds benchmarks/seccomp-probe.c (seccomp tests and benchmarks/seccomp-compare.sh)
    libc6-dev       # the static libc.a for that probe
    git             # docker build of a Git remote context (remote=https://…/x.git#ref:dir): spliced clones it
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# docker-py 7, the Python SDK, for the test that drives spliced with it (Debian's python3-docker is 5.x).
python3 -c 'import docker, sys; sys.exit(0 if docker.__version__.startswith("7.") else 1)' 2>/dev/null \
    || python3 -m pip install -q 'docker==7.1.0'


command -v swift >/dev/null || { echo "setup: Swift 6.3 is required (swift not on PATH)" >&2; exit 1; }

# pipework is linked fully static (glibc included), so it also runs inside busybox-only containers.
swift build -c release --product pipework --static-swift-stdlib -Xswiftc -static-executable
# So is splice-init, which may be injected into such containers. Both are kept under .build/static, because a
# later release build of spliced and splice (dynamic: libnftables is shared-only) relinks .build/release.
swift build -c release --product splice-init --static-swift-stdlib -Xswiftc -static-executable
mkdir -p .build/static
cp .build/release/pipework .build/release/splice-init .build/static/
