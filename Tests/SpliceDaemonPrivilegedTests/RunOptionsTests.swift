import Foundation
import Glibc
import TestSupport
import Testing

extension DaemonLab {
    /// Imports `bb` plus `/etc/passwd` and `/etc/group` (nobody = 65534) as image `bbu`.
    func importBusyboxWithUsers() throws {
        let rootfs = directory + "/rootfs"
        try Data("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n".utf8)
            .write(to: URL(fileURLWithPath: rootfs + "/etc/passwd"))
        try Data("root:x:0:\nnogroup:x:65534:\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/group"))
        try FileManager.default.createDirectory(atPath: rootfs + "/seed", withIntermediateDirectories: true)
        try Data("from-image\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/seed/file"))
        try run("/bin/tar", ["-C", rootfs, "-cf", directory + "/bbu.tar", "."])
        let result = try docker(["import", directory + "/bbu.tar", "bbu"])
        guard result.status == 0 else {
            throw CommandFailure(command: "docker import", status: result.status, stderr: result.stderr)
        }
    }

    /// The full id of container `name`.
    func containerID(_ name: String) throws -> String {
        try docker(["inspect", "-f", "{{.Id}}", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The directories of container `id`'s cgroup that exist in any v1 hierarchy or the unified one.
    static func cgroupDirectories(of id: String) -> [String] {
        let roots = ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [])
            .map { "/sys/fs/cgroup/" + $0 } + ["/sys/fs/cgroup"]
        return roots.map { $0 + "/splice/" + id }.filter { FileManager.default.fileExists(atPath: $0) }
    }
}

/// `docker run` options with the real CLI against `spliced`: security, resolver, hosts, links, users, volumes,
/// cgroup limits.
@Suite("docker run options against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct RunOptionsTests {
    /// `--sysctl` sets the container's own kernel parameters (its network and IPC namespaces') and `--shm-size`
    /// sizes its `/dev/shm`, through the docker CLI and `splice`; parameters the container does not own are
    /// refused, as dockerd refuses them.
    @Test func sysctlsAndShmSize() throws {
        let lab = try DaemonLab("sysctl")
        let read = "cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/all/rp_filter /proc/sys/kernel/shmmni;"
            + " df -k /dev/shm | tail -1"
        let docker = try lab.docker(["run", "--rm", "--sysctl", "net.ipv4.ip_forward=1", "--sysctl",
                                     "net.ipv4.conf.all.rp_filter=2", "--sysctl", "kernel.shmmni=1024",
                                     "--shm-size", "8m", "bb", "sh", "-c", read])
        #expect(docker.status == 0, "\(docker.stderr)\n\(lab.daemonLog())")
        let lines = docker.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(3)) == ["1", "2", "1024"], "\(docker.stdout)")
        #expect(lines.last?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "8192",
                "\(docker.stdout)")
        // The host's own parameters are untouched.
        #expect(try String(contentsOfFile: "/proc/sys/kernel/shmmni", encoding: .utf8) != "1024\n")
        let splice = try lab.splice(["run", "--rm", "--sysctl", "net.ipv4.ip_forward=1", "--shm-size", "4m", "bb",
                                     "sh", "-c", "cat /proc/sys/net/ipv4/ip_forward; df -k /dev/shm | tail -1"])
        #expect(splice.stdout.hasPrefix("1\n") && splice.stdout.contains(" 4096 "), "\(splice.stdout)\(splice.stderr)")
        let inspect = try lab.docker(["create", "--sysctl", "net.core.somaxconn=512", "--shm-size", "2m", "bb", "true"])
        let id = inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(inspect.status == 0 && id.count == 64, "\(inspect.stdout)\(inspect.stderr)")
        let shown = try lab.docker(["inspect", "-f", "{{json .HostConfig.Sysctls}} {{.HostConfig.ShmSize}}", id])
        #expect(shown.stdout == "{\"net.core.somaxconn\":\"512\"} 2097152\n", "\(shown.stdout)\(shown.stderr)")
        let host = try lab.docker(["run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "bb",
                                   "true"])
        #expect(host.status != 0 && host.stderr.contains("not allowed in host network namespace"), "\(host.stderr)")
        let global = try lab.docker(["run", "--rm", "--sysctl", "kernel.panic=1", "bb", "true"])
        #expect(global.status != 0, "\(global.stderr)")

        // --ulimit: the limits the first process starts with, through both clients; bad ones refused.
        let limits = try lab.docker(["run", "--rm", "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=77", "bb",
                                     "sh", "-c", "ulimit -n; ulimit -Hn; ulimit -u"])
        #expect(limits.stdout == "1024\n2048\n77\n", "\(limits.stdout)\(limits.stderr)\n\(lab.daemonLog())")
        let spliced = try lab.splice(["run", "--rm", "--ulimit", "nofile=300", "bb", "sh", "-c", "ulimit -n"])
        #expect(spliced.stdout == "300\n", "\(spliced.stdout)\(spliced.stderr)")
        let unknown = try lab.docker(["run", "--rm", "--ulimit", "nofile=20:10", "bb", "true"])
        #expect(unknown.status != 0 && unknown.stderr.contains("ulimit soft limit must be less than or equal to hard"),
                "\(unknown.stderr)")
    }

    @Test func ipcModesAndOomScoreAdjust() throws {
        let lab = try DaemonLab("ipc")
        let namespace = "readlink /proc/self/ns/ipc"
        // A shareable donor: a joiner is in its IPC namespace and sees its /dev/shm; a private container is not.
        let donor = try lab.docker(["run", "-d", "--name", "donor", "--ipc", "shareable", "bb", "sh", "-c",
                                    "echo shared > /dev/shm/note && sleep 1000"])
        try #require(donor.status == 0, "\(donor.stderr)\n\(lab.daemonLog())")
        let donorNamespace = try lab.docker(["exec", "donor", "sh", "-c", namespace]).stdout
        #expect(donorNamespace.hasPrefix("ipc:["), "\(donorNamespace)")
        let joiner = try lab.docker(["run", "--rm", "--ipc", "container:donor", "bb", "sh", "-c",
                                     "\(namespace); cat /dev/shm/note"])
        #expect(joiner.stdout == donorNamespace + "shared\n", "\(joiner.stdout)\(joiner.stderr)\n\(lab.daemonLog())")
        let own = try lab.docker(["run", "--rm", "bb", "sh", "-c", "\(namespace); ls /dev/shm"])
        #expect(own.status == 0 && !own.stdout.hasPrefix(donorNamespace) && !own.stdout.contains("note"),
                "\(own.stdout)\(own.stderr)")
        // The host's IPC namespace (the daemon's, which is this test's) and /dev/shm; none: no /dev/shm at all.
        let host = try lab.splice(["run", "--rm", "--ipc", "host", "bb", "sh", "-c", namespace])
        let hostNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/ipc")
        #expect(host.stdout == hostNamespace + "\n", "\(host.stdout)\(host.stderr)")
        let none = try lab.docker(["run", "--rm", "--ipc", "none", "bb", "sh", "-c", "test -e /dev/shm || echo absent"])
        #expect(none.stdout == "absent\n", "\(none.stdout)\(none.stderr)")
        // Joining needs a running, shareable donor; bad modes and IPC sysctls in a shared namespace are refused.
        _ = try lab.docker(["run", "-d", "--name", "private", "bb", "sleep", "1000"])
        let refused = try lab.docker(["run", "--rm", "--ipc", "container:private", "bb", "true"])
        #expect(refused.status != 0 && refused.stderr.contains("non-shareable IPC"), "\(refused.stderr)")
        let bad = try lab.docker(["run", "--rm", "--ipc", "sideways", "bb", "true"])
        #expect(bad.status != 0 && bad.stderr.contains("invalid IPC mode: sideways"), "\(bad.stderr)")
        let sysctl = try lab.docker(["run", "--rm", "--ipc", "host", "--sysctl", "kernel.shmmni=1024", "bb", "true"])
        #expect(sysctl.status != 0 && sysctl.stderr.contains("not allowed in host IPC namespace"), "\(sysctl.stderr)")
        let mode = try lab.docker(["inspect", "-f", "{{.HostConfig.IpcMode}}", "donor"]).stdout
        #expect(mode == "shareable\n")

        // --oom-score-adj: the first process's score, raised or (as root may) lowered; out of range refused.
        let raised = try lab.docker(["run", "--rm", "--oom-score-adj", "500", "bb", "cat", "/proc/1/oom_score_adj"])
        #expect(raised.stdout == "500\n", "\(raised.stdout)\(raised.stderr)\n\(lab.daemonLog())")
        let splice = try lab.splice(["run", "--rm", "--oom-score-adj", "200", "bb", "cat", "/proc/1/oom_score_adj"])
        #expect(splice.stdout == "200\n", "\(splice.stdout)\(splice.stderr)")
        // An exec's process gets the container's score too.
        #expect(try lab.docker(["run", "-d", "--name", "scored", "--oom-score-adj", "400", "bb", "sleep", "1000"])
            .status == 0)
        let exec = try lab.docker(["exec", "scored", "cat", "/proc/self/oom_score_adj"])
        #expect(exec.stdout == "400\n", "\(exec.stdout)\(exec.stderr)")
        // Lowering it takes CAP_SYS_RESOURCE, which some sandboxes (this one) take from root: then the start fails
        // and says why.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let effective = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            .flatMap { UInt64($0.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        let lowered = try lab.docker(["run", "--rm", "--oom-score-adj", "-300", "bb", "cat", "/proc/1/oom_score_adj"])
        if effective & (1 << 24) != 0 {
            #expect(lowered.stdout == "-300\n", "\(lowered.stdout)\(lowered.stderr)")
        } else {
            #expect(lowered.status != 0 && lowered.stderr.contains("oom_score_adj -300: permission denied"),
                    "\(lowered.stdout)\(lowered.stderr)")
        }
        let range = try lab.docker(["run", "--rm", "--oom-score-adj", "1001", "bb", "true"])
        #expect(range.status != 0, "\(range.stderr)")
        #expect(range.stderr.contains("Invalid value 1001, range for oom score adj is [-1000, 1000]"))
        for name in ["donor", "private", "scored"] { _ = try lab.docker(["rm", "-f", name]) }
    }

    @Test func capabilitiesPrivilegedAndReadOnly() throws {
        let lab = try DaemonLab("caps")
        let withCap = try lab.docker(["run", "--rm", "--net=none", "--cap-add", "NET_ADMIN", "bb",
                                      "ip", "link", "set", "lo", "down"])
        #expect(withCap.status == 0, "\(withCap.stderr)\n\(lab.daemonLog())")
        let without = try lab.docker(["run", "--rm", "--net=none", "bb", "ip", "link", "set", "lo", "down"])
        #expect(without.status != 0)
        let mount = ["sh", "-c", "mkdir -p /m && mount -t tmpfs t /m && echo mounted"]
        let privileged = try lab.docker(["run", "--rm", "--net=none", "--privileged", "bb"] + mount)
        #expect(privileged.status == 0 && privileged.stdout == "mounted\n", "\(privileged.stderr)")
        let denied = try lab.docker(["run", "--rm", "--net=none", "bb"] + mount)
        #expect(denied.status != 0 && denied.stdout.isEmpty)
        let unknown = try lab.docker(["run", "--rm", "--net=none", "--cap-add", "NOPE", "bb", "true"])
        #expect(unknown.status == 125 && unknown.stderr.contains("unknown capability: \"CAP_NOPE\""),
                "\(unknown.stderr)")
        let readOnly = try lab.docker(["run", "--rm", "--net=none", "--read-only", "-v", "/scratch", "bb", "sh", "-c",
                                       "touch /scratch/ok && echo volume-ok; touch /x || echo root-ro"])
        #expect(readOnly.stdout == "volume-ok\nroot-ro\n", "\(readOnly.stderr)\n\(lab.daemonLog())")
        let seccomp = try lab.docker(["run", "--rm", "--net=none", "--security-opt", "no-new-privileges",
                                      "--security-opt", "seccomp=unconfined", "bb", "grep", "-E",
                                      "^(NoNewPrivs|Seccomp):", "/proc/self/status"])
        #expect(seccomp.stdout.contains("NoNewPrivs:\t1") && seccomp.stdout.contains("Seccomp:\t0"),
                "\(seccomp.stdout)\(seccomp.stderr)")
        // The CLI reads a seccomp profile file and sends its content.
        let profile = lab.directory + "/no-mkdir.json"
        let rules = #"[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]"#
        try Data(#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":\#(rules)}"#.utf8)
            .write(to: URL(fileURLWithPath: profile))
        let filtered = try lab.docker(["run", "--rm", "--net=none", "--security-opt", "seccomp=" + profile, "bb", "sh",
                                       "-c", "mkdir /d || echo denied; echo ok > /f && echo written"])
        #expect(filtered.stdout == "denied\nwritten\n", "\(filtered.stderr)\n\(lab.daemonLog())")
        // --device: the node appears at the container path, and the cgroup allows only the given access.
        // (/dev/kmsg is outside Docker's default device rules; the sleep covers a runtime without cgroupProcs.)
        let write = "sleep 0.3; test -c /dev/mykmsg && echo node; echo splice-device-test > /dev/mykmsg && echo wrote"
        let limited = try lab.docker(["run", "--rm", "--net=none", "--device", "/dev/kmsg:/dev/mykmsg:r", "bb", "sh",
                                       "-c", write])
        #expect(limited.stdout == "node\n", "\(limited.stdout)\(limited.stderr)")
        #expect(limited.stderr.contains("Operation not permitted"), "\(limited.stderr)")
        let writable = try lab.docker(["run", "--rm", "--net=none", "--device", "/dev/kmsg:/dev/mykmsg", "bb", "sh",
                                       "-c", write])
        #expect(writable.stdout == "node\nwrote\n", "\(writable.stdout)\(writable.stderr)")
        let apparmor = try lab.docker(["create", "--net=none", "--security-opt", "apparmor=unconfined", "bb", "true"])
        #expect(apparmor.status == 0 && apparmor.stderr.contains("WARNING: --security-opt apparmor=unconfined is not"
                                                                + " applicable"), "\(apparmor.stderr)")
    }

    @Test func resolverHostsAndLinks() throws {
        let lab = try DaemonLab("dns")
        let resolv = try lab.docker(["run", "--rm", "--dns", "10.0.0.2", "--dns-search", "example.test", "bb",
                                     "cat", "/etc/resolv.conf"])
        #expect(resolv.stdout == "nameserver 10.0.0.2\nsearch example.test\n", "\(resolv.stderr)\n\(lab.daemonLog())")
        let fallback = try lab.docker(["run", "--rm", "bb", "cat", "/etc/resolv.conf"]).stdout
        #expect(fallback.contains("nameserver ") && !fallback.contains("nameserver 127."), "\(fallback)")
        let hosts = try lab.docker(["run", "--rm", "-h", "myhost", "--add-host", "myalias:10.1.2.3", "bb",
                                    "cat", "/etc/hosts"])
        #expect(hosts.stdout.contains("10.1.2.3\tmyalias\n"), "\(hosts.stdout)\(hosts.stderr)")
        #expect(hosts.stdout.contains("\tmyhost\n"), "\(hosts.stdout)")

        let target = try lab.docker(["run", "-d", "--name", "aa", "--expose", "8080", "bb", "sleep", "60"])
        #expect(target.status == 0, "\(target.stderr)")
        let ping = try lab.docker(["run", "--rm", "--name", "client", "--link", "aa:b", "bb", "sh", "-c",
                                   "ping -c1 -W2 b >/dev/null && echo reachable; echo $B_NAME $B_PORT_8080_TCP_PORT"])
        #expect(ping.stdout == "reachable\n/client/b 8080\n", "\(ping.stderr)\n\(lab.daemonLog())")
        let missing = try lab.docker(["run", "--rm", "--link", "nosuch:x", "bb", "true"])
        #expect(missing.status == 125 && missing.stderr.contains("could not get container for nosuch"))

        #expect(try lab.docker(["create", "--name", "cc", "--link", "aa:b", "bb", "true"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{json .HostConfig.Links}}", "cc"]).stdout == "[\"/aa:/cc/b\"]\n")
        let unlink = try lab.docker(["rm", "-l", "/cc/b"])
        #expect(unlink.status == 0, "\(unlink.stderr)")
        #expect(try lab.docker(["inspect", "-f", "{{json .HostConfig.Links}}", "cc"]).stdout == "null\n")

        let hostPorts = try lab.docker(["run", "--rm", "--net=host", "-p", "18080:80", "bb", "true"])
        #expect(hostPorts.status == 0, "\(hostPorts.stderr)\n\(lab.daemonLog())")
        #expect(hostPorts.stderr.contains("WARNING: Published ports are discarded when using host network mode"),
                "\(hostPorts.stderr)")
        let joined = try lab.docker(["run", "--rm", "--net=container:aa", "bb", "hostname"])
        #expect(joined.stdout == String(try lab.containerID("aa").prefix(12)) + "\n", "\(joined.stderr)")
        let conflict = try lab.docker(["run", "--rm", "--net=container:aa", "--dns", "10.0.0.2", "bb", "true"])
        #expect(conflict.status == 125 && conflict.stderr.contains("conflicting options: dns and the network mode"),
                "\(conflict.stderr)")
    }

    @Test func usersByName() throws {
        let lab = try DaemonLab("user")
        try lab.importBusyboxWithUsers()
        let nobody = try lab.docker(["run", "--rm", "--net=none", "-u", "nobody", "bbu", "id", "-u"])
        #expect(nobody.stdout == "65534\n", "\(nobody.stderr)\n\(lab.daemonLog())")
        let group = try lab.docker(["run", "--rm", "--net=none", "-u", "nobody:root", "--group-add", "nogroup", "bbu",
                                    "id"])
        #expect(group.stdout == "uid=65534(nobody) gid=0(root) groups=65534(nogroup)\n", "\(group.stderr)")
        // With --rm: the failed start is recorded, so the CLI's wait for the removal ends and nothing stays.
        let unknown = try lab.docker(["run", "--rm", "--net=none", "-u", "nobody", "bb", "id", "-u"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unable to find user nobody: no matching entries in passwd file"),
                "\(unknown.stderr)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
    }

    @Test func volumes() throws {
        let lab = try DaemonLab("vol")
        try lab.importBusyboxWithUsers()
        #expect(try lab.docker(["run", "--rm", "--net=none", "-v", "keep:/data", "bb", "sh", "-c",
                                "echo kept > /data/f"]).status == 0)
        let again = try lab.docker(["run", "--rm", "--net=none", "-v", "keep:/data", "bb", "cat", "/data/f"])
        #expect(again.stdout == "kept\n", "\(again.stderr)\n\(lab.daemonLog())")
        let seeded = try lab.docker(["run", "--rm", "--net=none", "-v", "seeded:/seed", "bbu", "cat", "/seed/file"])
        #expect(seeded.stdout == "from-image\n", "\(seeded.stderr)")

        #expect(try lab.docker(["run", "--name", "src", "--net=none", "-v", "/shared", "bb", "sh", "-c",
                                "echo shared > /shared/f"]).status == 0)
        let from = try lab.docker(["run", "--rm", "--net=none", "--volumes-from", "src:ro", "bb", "sh", "-c",
                                   "cat /shared/f; touch /shared/g || echo read-only"])
        #expect(from.stdout == "shared\nread-only\n", "\(from.stderr)")

        #expect(try lab.docker(["create", "--name", "both", "--net=none", "-v", "named:/n", "-v", "/anon", "bb",
                                "true"]).status == 0)
        let format = "{{range .Mounts}}{{.Type}} {{.Name}} {{.Source}} {{.Destination}} {{.Driver}} {{.RW}}\n{{end}}"
        let sources = try lab.docker(["inspect", "-f", format, "both"]).stdout.split(separator: "\n")
            .map { $0.split(separator: " ").map(String.init) }
        #expect(sources.count == 2 && sources.allSatisfy { $0.count == 6 && $0[0] == "volume" && $0[4] == "local" })
        let named = try #require(sources.first { $0[3] == "/n" })
        let anonymous = try #require(sources.first { $0[3] == "/anon" })
        #expect(named[1] == "named" && anonymous[1].count == 64)
        #expect(FileManager.default.fileExists(atPath: anonymous[2]))
        #expect(try lab.docker(["rm", "-v", "both"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: anonymous[2]))
        #expect(FileManager.default.fileExists(atPath: named[2]))
        // --rm removes the container's anonymous volumes with it.
        let volumes = { Set((try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/volumes")) ?? []) }
        let before = volumes()
        #expect(try lab.docker(["run", "--rm", "--net=none", "-v", "/scratch", "bb", "true"]).status == 0)
        var after = volumes()
        for _ in 0..<20 where after != before {
            usleep(100_000)
            after = volumes()
        }
        #expect(after == before)
    }

    @Test func cgroupLimits() throws {
        let lab = try DaemonLab("limits")
        let hog = try lab.docker(["run", "--name", "hog", "--net=none", "-m", "8m", "bb", "sh", "-c",
                                  "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done"])
        #expect(hog.status == 137, "\(hog.stderr)\n\(lab.daemonLog())")
        #expect(try lab.docker(["inspect", "-f", "{{.State.OOMKilled}}", "hog"]).stdout == "true\n")
        // The short sleep covers a runtime that moves pid 1 into its cgroup after start (applyResources' fallback)
        // instead of joining ContainerSpec.cgroupProcs before its first instruction.
        let bomb = try lab.docker(["run", "--name", "bomb", "--net=none", "--pids-limit", "10", "bb", "sh", "-c",
                                   "sleep 0.3; i=0; while [ $i -lt 30 ]; do sleep 3 & i=$((i+1)); done; wait;"
                                       + " echo done"])
        #expect(bomb.stderr.contains("fork"), "\(bomb.stdout)\(bomb.stderr)")
        let cpus = try lab.docker(["run", "-d", "--name", "pinned", "--net=none", "--cpuset-cpus", "0",
                                   "--cpu-shares", "512", "bb", "sleep", "60"])
        #expect(cpus.status == 0, "\(cpus.stderr)")
        let pinned = try lab.containerID("pinned")
        let allowed = try lab.docker(["run", "--rm", "--net=none", "--cpuset-cpus", "0", "bb", "sh", "-c",
                                      "sleep 0.2; grep Cpus_allowed_list /proc/self/status"])
        #expect(allowed.stdout.hasSuffix("\t0\n"), "\(allowed.stdout)\(allowed.stderr)")
        let cpuset = try String(contentsOfFile: "/sys/fs/cgroup/cpuset/splice/\(pinned)/cpuset.cpus", encoding: .utf8)
        #expect(cpuset == "0\n")
        let shares = try String(contentsOfFile: "/sys/fs/cgroup/cpu/splice/\(pinned)/cpu.shares", encoding: .utf8)
        #expect(shares == "512\n")
        let blkio = try lab.docker(["run", "--rm", "--net=none", "--blkio-weight", "300", "bb", "true"])
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/blkio/blkio.weight")
            || FileManager.default.fileExists(atPath: "/sys/fs/cgroup/blkio/blkio.bfq.weight") {
            #expect(blkio.status == 0, "\(blkio.stderr)")
        } else {
            // dockerd's answer where the kernel has no weight: the weight discarded with its warning.
            #expect(blkio.status == 0 && blkio.stderr.contains("Block I/O weight or the cgroup is not mounted. Weight"
                                                                  + " discarded."), "\(blkio.stderr)")
        }
        let broken = try lab.docker(["run", "--name", "broken", "--net=none", "-m", "8m", "bb", "/nonexistent"])
        #expect(broken.status != 0)
        let ids = try ["hog", "bomb", "broken"].map { try lab.containerID($0) } + [pinned]
        #expect(!DaemonLab.cgroupDirectories(of: pinned).isEmpty)
        #expect(try lab.docker(["rm", "-f", "hog", "bomb", "broken", "pinned"]).status == 0)
        for id in ids { #expect(DaemonLab.cgroupDirectories(of: id).isEmpty, "\(id)") }
    }
}
