import Foundation
import Glibc
import SpliceRuntime
import TestSupport
import Testing

/// What a container sees of its own cgroup, the `HostConfig` keys dockerd returns and what they mean (`--pid`,
/// `--uts`, `--tmpfs`, `--init`, `--device-cgroup-rule`, `--memory-swap`, `--stop-timeout`), and `kill`'s answer,
/// with the real docker CLI against `spliced`.
@Suite("HostConfig and the container's cgroup against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct HostConfigTests {
    /// Whether this host mounts cgroup v1 controller hierarchies (v1 or hybrid), as `/proc/self/mountinfo` says.
    static let hasV1Memory: Bool = {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").contains { $0.contains(" - cgroup ") && $0.hasSuffix(",memory") }
    }()

    /// Whether the memory controller accounts swap (`memory.memsw.limit_in_bytes`, v1).
    static let hasSwapAccounting = FileManager.default.fileExists(
        atPath: "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")

    /// `$SPLICE_INIT_STATIC_BIN` when it names a statically linked `splice-init` (scripts/test.sh sets it).
    static let staticInit: String? = {
        let path = ProcessInfo.processInfo.environment["SPLICE_INIT_STATIC_BIN"] ?? ""
        guard !path.isEmpty, let result = try? runStatus("/usr/bin/ldd", [path]) else { return nil }
        return (result.stdout + result.stderr).contains("not a dynamic executable") ? path : nil
    }()

    /// The JSON object at `path` (`.HostConfig`) of container `name`'s inspect.
    func inspect(_ lab: DaemonLab, _ name: String, _ path: String) throws -> [String: Any] {
        let result = try lab.docker(["inspect", "-f", "{{json \(path)}}", name])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "\(result.stdout)")
    }

    /// Whether this kernel has real-time group scheduling on the v1 cpu controller (CONFIG_RT_GROUP_SCHED).
    static let hasRealtimeGroups = access("/sys/fs/cgroup/cpu/cpu.rt_runtime_us", F_OK) == 0

    /// `--kernel-memory` and `--cpu-rt-period`/`--cpu-rt-runtime` reach the container's cgroup (it reads them
    /// back), through both clients; inspect shows them; dockerd's refusals and warnings.
    @Test(.enabled(if: hasV1Memory && hasRealtimeGroups,
                   "needs cgroup v1 memory and cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED)"))
    func kernelMemoryAndRealtimeBudgetsV1() throws {
        let lab = try DaemonLab("cgrt")
        let created = try lab.docker(["create", "--net=none", "--kernel-memory", "64m", "--cpu-rt-period", "500000",
                                      "--cpu-rt-runtime", "10000", "bb", "cat",
                                      "/sys/fs/cgroup/memory/memory.kmem.limit_in_bytes",
                                      "/sys/fs/cgroup/cpu/cpu.rt_period_us", "/sys/fs/cgroup/cpu/cpu.rt_runtime_us"])
        #expect(created.stderr.contains("Specifying a kernel memory limit is deprecated"), "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = try lab.docker(["start", "-a", id])
        let host = try inspect(lab, id, ".HostConfig")
        // Linux 5.16 and later ignore writes to memory.kmem.limit_in_bytes: dockerd's warning, and the limit
        // discarded (inspect shows 0); before, the container reads its limit.
        let applies = ResourceLimits.kernelMemoryLimitApplies
        let kernel = started.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(applies ? kernel == "67108864" : kernel != "67108864", "\(started.stdout)\(started.stderr)")
        #expect(created.stderr.contains("Limitation discarded") == !applies, "\(created.stderr)")
        // The docker CLI (API 1.42 and later) drops KernelMemory from what it prints; the daemon's answer has it.
        let raw = try runStatus("/usr/bin/curl", ["-sS", "--unix-socket", lab.socket,
                                                  "http://localhost/v1.41/containers/\(id)/json"])
        let answer = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [String: Any]
        let rawHost = answer?["HostConfig"] as? [String: Any] ?? [:]
        #expect(rawHost["KernelMemory"] as? Int == (applies ? 67_108_864 : 0), "\(raw.stdout)")
        #expect(started.stdout.hasSuffix("\n500000\n10000\n"), "\(started.stdout)\(started.stderr)\n\(lab.daemonLog())")
        #expect(host["CpuRealtimePeriod"] as? Int == 500_000 && host["CpuRealtimeRuntime"] as? Int == 10_000, "\(host)")
        _ = try lab.docker(["rm", id])
        let spliceRun = try lab.splice(["run", "--rm", "--net=none", "--cpu-rt-runtime", "20000", "bb", "cat",
                                        "/sys/fs/cgroup/cpu/cpu.rt_runtime_us"])
        #expect(spliceRun.stdout == "20000\n", "\(spliceRun.stdout)\(spliceRun.stderr)")
        // KernelMemoryTCP (API only, as docker-py sends it) still applies on v1.
        let body = #"{"Image":"bb","Cmd":["cat","/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes"],"#
            + #""HostConfig":{"NetworkMode":"none","KernelMemoryTCP":16777216}}"#
        let tcp = try runStatus("/usr/bin/curl", ["-sS", "--unix-socket", lab.socket, "-H",
                                                  "Content-Type: application/json", "-d", body,
                                                  "http://localhost/v1.41/containers/create?name=tcpmem"])
        #expect(tcp.stdout.contains("\"Id\""), "\(tcp.stdout)\(tcp.stderr)")
        #expect(try lab.docker(["start", "-a", "tcpmem"]).stdout == "16777216\n")
        _ = try lab.docker(["rm", "tcpmem"])
        let small = try lab.docker(["create", "--kernel-memory", "1m", "bb", "true"])
        #expect(small.status != 0 && small.stderr.contains("Minimum kernel memory limit allowed is 6MB"),
                "\(small.stderr)")
        let over = try lab.docker(["create", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "2000", "bb", "true"])
        #expect(over.status != 0
                    && over.stderr.contains("cpu real-time runtime cannot be higher than cpu real-time period"),
                "\(over.stderr)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty, "a refused create left a container")
    }

    @Test(.enabled(if: hasV1Memory, "the host has no cgroup v1 memory hierarchy"))
    func containerReadsItsOwnLimitsV1() throws {
        let lab = try DaemonLab("cgv1")
        let memory = try lab.docker(["run", "--rm", "--net=none", "-m", "64m", "bb", "cat",
                                     "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
        #expect(memory.stdout == "67108864\n", "\(memory.stderr)\n\(lab.daemonLog())")
        let cpuset = try lab.docker(["run", "--rm", "--net=none", "--cpuset-cpus", "0", "bb", "cat",
                                     "/sys/fs/cgroup/cpuset/cpuset.cpus"])
        #expect(cpuset.stdout == "0\n", "\(cpuset.stderr)")
        // Every controller the container has a cgroup in, by the host's mount names; read-only without
        // --privileged (the container's own files, not the host's root: no child cgroups listed).
        let listing = try lab.docker(["run", "--rm", "--net=none", "bb", "sh", "-c",
                                      "ls /sys/fs/cgroup; grep ' /sys/fs/cgroup/memory ' /proc/mounts;"
                                      + " echo 1 > /sys/fs/cgroup/pids/pids.max || echo denied"])
        for controller in ["memory", "cpuset", "pids", "devices", "freezer"] {
            #expect(listing.stdout.contains(controller + "\n"), "\(listing.stdout)")
        }
        #expect(listing.stdout.contains(" ro,"), "\(listing.stdout)")
        #expect(listing.stdout.hasSuffix("denied\n"), "\(listing.stdout)\(listing.stderr)")
        // --oom-kill-disable: the container's memory cgroup has the OOM killer off; without it, on. Without a
        // memory limit dockerd's warning comes with the create.
        let oom = try lab.docker(["run", "--rm", "--net=none", "-m", "32m", "--oom-kill-disable", "bb", "grep",
                                  "oom_kill_disable", "/sys/fs/cgroup/memory/memory.oom_control"])
        #expect(oom.stdout == "oom_kill_disable 1\n", "\(oom.stdout)\(oom.stderr)")
        let killer = try lab.splice(["run", "--rm", "--net=none", "bb", "grep", "oom_kill_disable",
                                     "/sys/fs/cgroup/memory/memory.oom_control"])
        #expect(killer.stdout == "oom_kill_disable 0\n", "\(killer.stdout)\(killer.stderr)")
        let unbounded = try lab.docker(["create", "--oom-kill-disable", "bb", "true"])
        #expect(unbounded.stderr.contains("OOM killer is disabled for the container, but no memory limit is set"),
                "\(unbounded.stderr)")
        // Per-device block I/O limits, by the node's major:minor, through both clients; inspect shows them.
        var node = stat()
        try #require(stat("/dev/loop0", &node) == 0 && node.st_mode & S_IFMT == S_IFBLK, "needs /dev/loop0")
        let device = "\(UInt64(node.st_rdev) >> 8 & 0xfff):\(UInt64(node.st_rdev) & 0xff)"
        let throttled = try lab.docker(["create", "--net=none", "--device-read-bps", "/dev/loop0:1mb",
                                        "--device-write-iops", "/dev/loop0:100", "bb", "cat",
                                        "/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device",
                                        "/sys/fs/cgroup/blkio/blkio.throttle.write_iops_device"])
        let throttledID = throttled.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try lab.docker(["start", "-a", throttledID]).stdout == "\(device) 1048576\n\(device) 100\n",
                "\(lab.daemonLog())")
        let shown = try lab.docker(["inspect", "-f", "{{json .HostConfig.BlkioDeviceReadBps}}", throttledID])
        #expect(shown.stdout == "[{\"Path\":\"/dev/loop0\",\"Rate\":1048576}]\n", "\(shown.stdout)")
        _ = try lab.docker(["rm", throttledID])
        let spliceThrottled = try lab.splice(["run", "--rm", "--net=none", "--device-write-bps", "/dev/loop0:2048",
                                              "bb", "cat", "/sys/fs/cgroup/blkio/blkio.throttle.write_bps_device"])
        #expect(spliceThrottled.stdout == "\(device) 2048\n", "\(spliceThrottled.stdout)\(spliceThrottled.stderr)")
        let missing = try lab.docker(["run", "--rm", "--device-read-bps", "/dev/nope:1mb", "bb", "true"])
        #expect(missing.status != 0 && missing.stderr.contains("/dev/nope"), "\(missing.stderr)")
        let swappiness = try lab.docker(["run", "--rm", "--net=none", "--memory-swappiness", "10", "bb", "cat",
                                         "/sys/fs/cgroup/memory/memory.swappiness"])
        #expect(swappiness.stdout == "10\n", "\(swappiness.stderr)")
        // The host's cgroup namespace (Docker's default on v1) shows the full path; a private one the root.
        let hostNamespace = try lab.docker(["run", "--rm", "--net=none", "bb", "grep", ":memory:", "/proc/self/cgroup"])
        #expect(hostNamespace.stdout.contains(":memory:/") && hostNamespace.stdout.contains("/splice/"),
                "\(hostNamespace.stdout)")
        let privateNamespace = try lab.docker(["run", "--rm", "--net=none", "--cgroupns", "private", "bb", "grep",
                                               ":memory:", "/proc/self/cgroup"])
        #expect(privateNamespace.stdout.hasSuffix(":memory:/\n"), "\(privateNamespace.stdout)")
        let privileged = try lab.docker(["run", "--rm", "--net=none", "--privileged", "bb", "sh", "-c",
                                         "echo 77 > /sys/fs/cgroup/pids/pids.max && cat /sys/fs/cgroup/pids/pids.max"])
        #expect(privileged.stdout == "77\n", "\(privileged.stdout)\(privileged.stderr)")
    }

    @Test func hostConfigKeysWithDockersDefaults() throws {
        let lab = try DaemonLab("hckeys")
        #expect(try lab.docker(["create", "--name", "plain", "bb", "true"]).status == 0)
        let host = try inspect(lab, "plain", ".HostConfig")
        #expect(host["PidMode"] as? String == "")
        #expect(host["UTSMode"] as? String == "")
        #expect(host["CgroupnsMode"] as? String == (Self.hasV1Memory ? "host" : "private"))
        #expect(host["Isolation"] as? String == "")
        #expect(host["Runtime"] as? String == "runc")
        #expect(host["MemorySwap"] as? Int == 0)
        #expect(host.keys.contains("MemorySwappiness") && host["MemorySwappiness"] is NSNull)
        #expect(host.keys.contains("DeviceCgroupRules") && host["DeviceCgroupRules"] is NSNull)
        #expect(host["ShmSize"] as? Int == 67_108_864 && host["IpcMode"] as? String == "private")
        #expect(host["Init"] == nil && host["Tmpfs"] == nil)
        let config = try inspect(lab, "plain", ".Config")
        #expect(config["StopTimeout"] == nil)
        // Every key dockerd returns (inspect-container.txt, Docker 28), present even when null; KernelMemory and
        // KernelMemoryTCP are sent too but the docker 28 CLI's types no longer carry them.
        let hostKeys = [
            "Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings", "RestartPolicy", "AutoRemove",
            "VolumeDriver", "VolumesFrom", "CapAdd", "CapDrop", "CgroupnsMode", "Dns", "DnsOptions", "DnsSearch",
            "ExtraHosts", "GroupAdd", "IpcMode", "Cgroup", "Links", "OomScoreAdj", "PidMode", "Privileged",
            "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "UTSMode", "UsernsMode", "ShmSize", "Runtime",
            "ConsoleSize", "Isolation", "CpuShares", "Memory", "NanoCpus", "CgroupParent", "BlkioWeight",
            "BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
            "BlkioDeviceWriteIOps", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus",
            "CpusetMems", "Devices", "DeviceCgroupRules", "DeviceRequests",
            "MemoryReservation", "MemorySwap", "MemorySwappiness", "OomKillDisable", "PidsLimit", "Ulimits",
            "CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth", "MaskedPaths", "ReadonlyPaths",
        ]
        #expect(hostKeys.filter { !host.keys.contains($0) } == [])
        let configKeys = [
            "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin",
            "StdinOnce", "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels",
        ]
        #expect(configKeys.filter { !config.keys.contains($0) } == [])
        #expect(host["PidsLimit"] is NSNull && host["Binds"] is NSNull && host["CapAdd"] is NSNull)

        #expect(try lab.docker(["create", "--name", "set", "--init", "--tmpfs", "/scratch:size=1m", "--pid=host",
                                "--uts=host", "-m", "64m", "--memory-swappiness", "10", "--stop-timeout", "3",
                                "--device-cgroup-rule", "c 1:11 rw", "bb", "true"]).status == 0)
        let set = try inspect(lab, "set", ".HostConfig")
        #expect(set["Init"] as? Bool == true)
        #expect(set["Tmpfs"] as? [String: String] == ["/scratch": "size=1m"])
        #expect(set["PidMode"] as? String == "host" && set["UTSMode"] as? String == "host")
        #expect(set["MemorySwap"] as? Int == 134_217_728)
        #expect(set["MemorySwappiness"] as? Int == 10)
        #expect(set["DeviceCgroupRules"] as? [String] == ["c 1:11 rw"])
        #expect(try inspect(lab, "set", ".Config")["StopTimeout"] as? Int == 3)

        let conflict = try lab.docker(["create", "--uts=host", "-h", "named", "bb", "true"])
        #expect(conflict.status == 1 && conflict.stderr.contains("conflicting options: hostname and the UTS mode"),
                "\(conflict.stderr)")
        let badRule = try lab.docker(["create", "--device-cgroup-rule", "c 1:x rw", "bb", "true"])
        #expect(badRule.status == 125, "\(badRule.stderr)")
        let duplicate = try lab.docker(["create", "--tmpfs", "/data", "-v", "/tmp:/data/", "bb", "true"])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("Duplicate mount point: /data"),
                "\(duplicate.stderr)")
        let badTmpfs = try lab.docker(["create", "--tmpfs", "/t:bogus", "bb", "true"])
        #expect(badTmpfs.status == 1 && badTmpfs.stderr.contains("invalid tmpfs option [\"bogus\"]"),
                "\(badTmpfs.stderr)")
    }

    @Test func pidAndUTSNamespacesOfTheHost() throws {
        let lab = try DaemonLab("hostns")
        let hostPid = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        let shared = try lab.docker(["run", "--rm", "--net=none", "--pid=host", "bb", "readlink", "/proc/self/ns/pid"])
        #expect(shared.stdout == hostPid + "\n", "\(shared.stderr)\n\(lab.daemonLog())")
        let own = try lab.docker(["run", "--rm", "--net=none", "bb", "readlink", "/proc/self/ns/pid"])
        #expect(own.status == 0 && own.stdout != hostPid + "\n", "\(own.stderr)")

        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let hostname = String(cString: buffer)
        let uts = try lab.docker(["run", "--rm", "--net=none", "--uts=host", "bb", "hostname"])
        #expect(uts.stdout == hostname + "\n", "\(uts.stderr)")

        #expect(try lab.docker(["run", "-d", "--name", "owner", "--net=none", "bb", "sleep", "60"]).status == 0)
        let joined = try lab.docker(["run", "--rm", "--net=none", "--pid=container:owner", "bb", "ps", "-o", "comm"])
        #expect(joined.stdout.contains("sleep\n"), "\(joined.stdout)\(joined.stderr)")
    }

    @Test func tmpfsMounts() throws {
        let lab = try DaemonLab("tmpfs")
        let result = try lab.docker(["run", "--rm", "--net=none", "--tmpfs", "/run/x:size=1m,mode=1770", "bb", "sh",
                                     "-c", "grep ' /run/x ' /proc/mounts; stat -c %a /run/x"])
        #expect(result.stdout.contains("tmpfs /run/x tmpfs rw,nosuid,nodev,noexec"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("size=1024k") && result.stdout.hasSuffix("1770\n"), "\(result.stdout)")
        let exec = try lab.docker(["run", "--rm", "--net=none", "--tmpfs", "/x:exec", "bb", "sh", "-c",
                                   "grep ' /x ' /proc/mounts"])
        #expect(exec.status == 0 && !exec.stdout.contains("noexec"), "\(exec.stdout)\(exec.stderr)")
    }

    @Test(.enabled(if: staticInit != nil,
                   "SPLICE_INIT_STATIC_BIN does not name a statically linked splice-init (scripts/test.sh sets it)"))
    func initReapsAndForwardsSignals() throws {
        let lab = try DaemonLab("init", daemonArguments: ["--init-path", try #require(Self.staticInit)])
        let tree = try lab.docker(["run", "--rm", "--net=none", "--init", "bb", "sh", "-c",
                                   "tr '\\0' ' ' < /proc/1/cmdline"])
        #expect(tree.stdout == "/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline ", "\(tree.stderr)")
        // An orphan whose parent exits is reparented to pid 1 and reaped there: no zombie is left.
        let zombies = try lab.docker(["run", "--rm", "--net=none", "--init", "bb", "sh", "-c",
                                      "(sleep 0.2 &); sleep 1; ps -o stat | grep -c Z"])
        #expect(zombies.stdout == "0\n", "\(zombies.stdout)\(zombies.stderr)")
        // `sleep` as pid 1 would ignore SIGTERM (no handler); under the init it gets it and ends with 143.
        #expect(try lab.docker(["run", "-d", "--name", "sleeper", "--net=none", "--init", "bb", "sleep", "60"])
            .status == 0)
        #expect(try lab.docker(["stop", "-t", "20", "sleeper"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.ExitCode}}", "sleeper"]).stdout == "143\n")
        let missing = try lab.docker(["run", "--rm", "--net=none", "--init", "bb", "/no/such/binary"])
        #expect(missing.status == 127, "\(missing.stderr)")
    }

    /// Whether the `splice-init` the lab's daemon uses is dynamically linked (a debug build).
    static let labInitIsDynamic: Bool = {
        let path = DaemonLab.binary("splice-init", environment: "SPLICE_INIT_BIN")
        guard let result = try? runStatus("/usr/bin/ldd", [path]) else { return false }
        return result.status == 0 && !(result.stdout + result.stderr).contains("not a dynamic executable")
    }()

    @Test(.enabled(if: labInitIsDynamic, "the daemon's splice-init is static, so --init without --init-path works"))
    func initRefusedWithADynamicInit() throws {
        let lab = try DaemonLab("initdyn")
        let result = try lab.docker(["run", "--rm", "--net=none", "--init", "bb", "true"])
        #expect(result.status == 125 && result.stderr.contains("--init needs a statically linked init"),
                "\(result.stderr)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
    }

    @Test(.enabled(if: hasV1Memory, "device rules need the cgroup v1 devices controller"))
    func deviceCgroupRuleAllowsAccess() throws {
        let lab = try DaemonLab("devrule")
        // /dev/kmsg (c 1:11) is outside Docker's default rules; mknod is allowed by them, access is not.
        let script = "mknod /dev/k c 1 11 && (echo splice-device-cgroup-rule > /dev/k && echo wrote || echo denied)"
        let denied = try lab.docker(["run", "--rm", "--net=none", "bb", "sh", "-c", script])
        #expect(denied.stdout == "denied\n", "\(denied.stdout)\(denied.stderr)")
        let allowed = try lab.docker(["run", "--rm", "--net=none", "--device-cgroup-rule", "c 1:11 rw", "bb", "sh",
                                      "-c", script])
        #expect(allowed.stdout == "wrote\n", "\(allowed.stdout)\(allowed.stderr)\n\(lab.daemonLog())")
    }

    @Test(.enabled(if: hasSwapAccounting, "the kernel does not account swap (memory.memsw.limit_in_bytes)"))
    func memorySwapLimit() throws {
        let lab = try DaemonLab("swap")
        let result = try lab.docker(["run", "--rm", "--net=none", "-m", "64m", "--memory-swap", "128m", "bb", "cat",
                                     "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"])
        #expect(result.stdout == "134217728\n", "\(result.stderr)\n\(lab.daemonLog())")
        let small = try lab.docker(["run", "--rm", "--net=none", "-m", "64m", "--memory-swap", "32m", "bb", "true"])
        #expect(small.status == 125
                && small.stderr.contains("Minimum memoryswap limit should be larger than memory limit"),
                "\(small.stderr)")
    }

    @Test func stopTimeoutAndKillAnswerOnceStopped() throws {
        let lab = try DaemonLab("kill")
        for index in 0..<5 {
            let name = "k\(index)"
            #expect(try lab.docker(["run", "-d", "--name", name, "--net=none", "bb", "sleep", "60"]).status == 0)
            let kill = try lab.docker(["kill", name])
            #expect(kill.status == 0, "\(kill.stderr)")
            let state = try lab.docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name])
            #expect(state.stdout == "exited 137\n", "\(state.stdout)\(state.stderr)")
        }
        // `sleep` ignores SIGTERM as pid 1; the container's own timeout (1 s) is what ends the stop.
        #expect(try lab.docker(["run", "-d", "--name", "st", "--net=none", "--stop-timeout", "1", "bb", "sleep",
                                "60"]).status == 0)
        #expect(try lab.docker(["stop", "st"]).status == 0)
        #expect(try lab.docker(["inspect", "-f", "{{.State.ExitCode}}", "st"]).stdout == "137\n")
    }

    @Test func mountsOfEachType() throws {
        let lab = try DaemonLab("mounts")
        let shared = lab.directory + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: shared + "/file"))
        let bind = try lab.docker(["run", "--rm", "--net=none", "--mount",
                                   "type=bind,source=\(shared),target=/data,readonly", "bb", "sh", "-c",
                                   "cat /data/file; touch /data/x || echo read-only"])
        #expect(bind.stdout == "hello\nread-only\n", "\(bind.stdout)\(bind.stderr)\n\(lab.daemonLog())")
        let write = try lab.docker(["run", "--rm", "--net=none", "--mount", "type=volume,source=vol1,target=/v", "bb",
                                    "sh", "-c", "echo kept > /v/f"])
        #expect(write.status == 0, "\(write.stderr)")
        let read = try lab.docker(["run", "--rm", "--net=none", "--mount", "source=vol1,target=/v", "bb", "cat",
                                   "/v/f"])
        #expect(read.stdout == "kept\n", "\(read.stderr)")
        // `bbu` has /seed/file: a new volume at /seed is filled from the image, unless nocopy.
        try lab.importBusyboxWithUsers()
        let copied = try lab.docker(["run", "--rm", "--net=none", "--mount", "source=filled,target=/seed", "bbu",
                                     "cat", "/seed/file"])
        #expect(copied.stdout == "from-image\n", "\(copied.stderr)")
        let empty = try lab.docker(["run", "--rm", "--net=none", "--mount", "source=empty,target=/seed,volume-nocopy",
                                    "bbu", "ls", "/seed"])
        #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty.stdout)\(empty.stderr)")
        let anonymous = try lab.docker(["run", "--rm", "--net=none", "--mount", "type=volume,target=/anon", "bb",
                                        "sh", "-c", "echo x > /anon/f && cat /anon/f"])
        #expect(anonymous.stdout == "x\n", "\(anonymous.stderr)")
        let tmpfs = try lab.docker(["run", "--rm", "--net=none", "--mount",
                                    "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770", "bb", "sh", "-c",
                                    "grep ' /t ' /proc/mounts; stat -c %a /t"])
        #expect(tmpfs.stdout.contains("size=1024k") && tmpfs.stdout.hasSuffix("1770\n"),
                "\(tmpfs.stdout)\(tmpfs.stderr)")
        let missing = try lab.docker(["run", "--rm", "--net=none", "--mount",
                                      "type=bind,source=/nonexistent-splice,target=/x", "bb", "true"])
        #expect(missing.status == 125
                && missing.stderr.contains("bind source path does not exist: /nonexistent-splice"),
                "\(missing.stderr)")
        let subpath = try lab.docker(["create", "--mount", "source=vol1,target=/v,volume-subpath=x", "bb", "true"])
        #expect(subpath.status == 1 && subpath.stderr.contains("volume-subpath is not supported by spliced"),
                "\(subpath.stderr)")
        #expect(try lab.docker(["create", "--name", "mnt", "--mount", "type=bind,src=\(shared),dst=/data,ro",
                                "bb", "true"]).status == 0)
        let mounts = try lab.docker(["inspect", "-f", "{{json .HostConfig.Mounts}}", "mnt"])
        #expect(mounts.stdout == #"[{"Type":"bind","Source":"\#(shared)","Target":"/data","ReadOnly":true}]"# + "\n",
                "\(mounts.stdout)\(mounts.stderr)")
    }

    @Test func logDriversAndRotation() throws {
        let lab = try DaemonLab("logdrv")
        let unknown = try lab.docker(["create", "--log-driver", "nosuch", "bb", "true"])
        #expect(unknown.status == 1 && unknown.stderr.contains("logger: no log driver named 'nosuch' is registered"),
                "\(unknown.stderr)")
        let option = try lab.docker(["create", "--log-opt", "bogus=1", "bb", "true"])
        #expect(option.status == 1 && option.stderr.contains("unknown log opt 'bogus' for json-file log driver"),
                "\(option.stderr)")

        let quiet = try lab.docker(["run", "--name", "quiet", "--net=none", "--log-driver", "none", "bb", "echo", "hi"])
        #expect(quiet.stdout == "hi\n", "\(quiet.stderr)\n\(lab.daemonLog())")
        let noLogs = try lab.docker(["logs", "quiet"])
        #expect(noLogs.status != 0 && noLogs.stderr.contains("configured logging driver does not support reading"),
                "\(noLogs.stderr)")

        let lines = "i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done"
        let rotated = try lab.docker(["run", "--name", "rot", "--net=none", "--log-opt", "max-size=1k",
                                      "--log-opt", "max-file=3", "bb", "sh", "-c", lines])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let logs = try lab.docker(["logs", "rot"]).stdout.split(separator: "\n").map(String.init)
        // The newest records, consecutive, across more than one file's worth, the oldest dropped.
        let first = try #require(logs.first.flatMap { Int($0.dropFirst("line-".count)) }, "\(logs)")
        #expect(logs == (first..<100).map { "line-\($0)" }, "\(logs)")
        #expect(first > 0 && logs.count > 20, "\(logs.count) lines from line-\(first)")
        let path = try lab.docker(["inspect", "-f", "{{.LogPath}}", "rot"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FileManager.default.fileExists(atPath: path + ".2") && !FileManager.default.fileExists(
            atPath: path + ".3"), "\(path)")
        // `logs -f` follows the file across rotations: every line, in order (a file holds ~55 of them here).
        let slow = "sleep 1; i=0; while [ $i -lt 150 ]; do echo line-$i; i=$((i+1)); usleep 5000; done"
        #expect(try lab.docker(["run", "-d", "--name", "fol", "--net=none", "--log-opt", "max-size=4k",
                                "--log-opt", "max-file=2", "bb", "sh", "-c", slow]).status == 0)
        let followed = try lab.docker(["logs", "-f", "fol"])
        #expect(followed.stdout == (0..<150).map { "line-\($0)\n" }.joined(), "\(followed.stdout)\(followed.stderr)")
        let config = try lab.docker(["inspect", "-f", "{{json .HostConfig.LogConfig}}", "rot"])
        #expect(config.stdout == #"{"Type":"json-file","Config":{"max-file":"3","max-size":"1k"}}"# + "\n",
                "\(config.stdout)")
    }
}
