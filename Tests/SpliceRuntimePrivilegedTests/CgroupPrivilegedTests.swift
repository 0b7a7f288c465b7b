import Foundation
import Glibc
import Testing
@testable import SpliceRuntime

/// Whether real cgroups can be created here (root and a mounted memory controller).
private let canManageCgroups: Bool = {
    guard geteuid() == 0, let hierarchy = try? CgroupHierarchy.detect() else { return false }
    return hierarchy.usesUnified || hierarchy.v1Mounts["memory"] != nil
}()

/// Whether the devices controller is a cgroup v1 hierarchy here (its rules are then readable in devices.list).
private let hasDevicesControllerV1: Bool = {
    guard let hierarchy = try? CgroupHierarchy.detect() else { return false }
    return !hierarchy.usesUnified && hierarchy.v1Mounts["devices"] != nil
}()

@Suite(
    "Container cgroups on the real cgroupfs", .serialized,
    .enabled(if: canManageCgroups, "needs root and a mounted cgroup memory controller; run: sudo swift test"))
struct CgroupPrivilegedTests {
    /// Runs `body` with a fresh `splice/splice-test-<pid>-<tag>` cgroup, killing and removing it afterwards.
    func withCgroup(_ tag: String, _ body: (ContainerCgroup) throws -> Void) throws {
        let hierarchy = try CgroupHierarchy.detect()
        let cgroup = try ContainerCgroup(id: "splice-test-\(getpid())-\(tag)", hierarchy: hierarchy)
        defer {
            try? cgroup.killAll()
            try? cgroup.remove()
            for directory in cgroup.directories {
                // The shared parent goes too when no container is left in it.
                rmdir((directory as NSString).deletingLastPathComponent)
            }
        }
        try cgroup.create()
        try body(cgroup)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The state letter of /proc/<pid>/stat (R, S, D, T …).
    func processState(_ pid: Int32) throws -> String {
        let stat = try read("/proc/\(pid)/stat")
        guard let close = stat.lastIndex(of: ")") else { return "?" }
        return String(stat[stat.index(close, offsetBy: 2)])
    }

    func waitUntil(_ timeout: Duration = .seconds(5), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }

    @Test("create, limit, add, freeze, thaw, kill, remove")
    func lifecycle() throws {
        var directories: [String] = []
        try withCgroup("life") { cgroup in
            directories = cgroup.directories
            for directory in directories { #expect(FileManager.default.fileExists(atPath: directory)) }
            try cgroup.apply(ResourceLimits(memoryBytes: try ResourceLimits.parseMemory("32m"), cpuShares: 512,
                                            cpusetCpus: "0", pidsLimit: 64))

            let sleeper = Process()
            sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
            sleeper.arguments = ["30"]
            try sleeper.run()
            defer { if sleeper.isRunning { kill(sleeper.processIdentifier, SIGKILL) } }
            let pid = sleeper.processIdentifier
            try cgroup.add(pid: pid)
            #expect(try cgroup.processes() == [pid])

            let memory = try #require(cgroup.directory(for: "memory"))
            let pids = try #require(cgroup.directory(for: "pids"))
            if cgroup.hierarchy.usesUnified {
                #expect(try read("\(memory)/memory.max") == "33554432")
                #expect(try read("\(memory)/cpu.weight") == "20")
            } else {
                #expect(try read("\(memory)/memory.limit_in_bytes") == "33554432")
                #expect(try read("\(try #require(cgroup.directory(for: "cpu")))/cpu.shares") == "512")
                let devices = try read("\(try #require(cgroup.directory(for: "devices")))/devices.list")
                #expect(devices.contains("c 1:3 rwm") && devices.contains("c 136:* rwm"))
                #expect(!devices.contains("a *:* rwm"))
                let membership = try read("/proc/\(pid)/cgroup")
                #expect(membership.contains("memory:/splice/\(cgroup.id)"))
            }
            #expect(try read("\(pids)/pids.max") == "64")
            #expect(try read("\(try #require(cgroup.directory(for: "cpuset")))/cpuset.cpus") == "0")
            let stats = cgroup.stats()
            #expect(stats.pidsCurrent == 1)
            #expect(stats.pidsLimit == 64)
            #expect(stats.memoryLimitBytes == 32 << 20)
            // Pages sleep touched before joining stay charged to its old cgroup (v1 moves no charges).
            #expect(stats.memoryUsageBytes != nil)

            try cgroup.freeze()
            #expect(try cgroup.isFrozen())
            if !cgroup.hierarchy.usesUnified {
                #expect(try read("\(try #require(cgroup.directory(for: "freezer")))/freezer.state") == "FROZEN")
            }
            // A frozen task is no longer runnable or sleeping: v1 reports D, the v2 freezer T.
            #expect(try ["D", "T"].contains(processState(pid)))
            try cgroup.thaw()
            #expect(try !cgroup.isFrozen())
            #expect(try waitUntil { try processState(pid) == "S" })

            try cgroup.killAll()
            sleeper.waitUntilExit()
            #expect(sleeper.terminationReason == .uncaughtSignal)
            #expect(sleeper.terminationStatus == SIGKILL)
            #expect(try cgroup.processes().isEmpty)
            try cgroup.remove()
            for directory in directories { #expect(!FileManager.default.fileExists(atPath: directory)) }
            try cgroup.remove()  // already gone is success
        }
        for directory in directories { #expect(!FileManager.default.fileExists(atPath: directory)) }
    }

    @Test("a process allocating past the memory limit is OOM-killed")
    func oomKill() throws {
        try withCgroup("oom") { cgroup in
            try cgroup.apply(ResourceLimits(memoryBytes: 32 << 20, pidsLimit: 64))
            let scratch = NSTemporaryDirectory() + "splice-cgroup-oom-\(getpid())"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let go = scratch + "/go"
            // Wait for the go file (the pid joins the cgroup first), then allocate and touch 100 MB.
            let hog = Process()
            hog.executableURL = URL(fileURLWithPath: "/bin/sh")
            hog.arguments = [
                "-c", "while [ ! -e \(go) ]; do sleep 0.02; done; exec dd if=/dev/zero of=/dev/null bs=100M count=1",
            ]
            hog.standardError = FileHandle.nullDevice
            try hog.run()
            defer { if hog.isRunning { kill(hog.processIdentifier, SIGKILL) } }
            try cgroup.add(pid: hog.processIdentifier)
            _ = FileManager.default.createFile(atPath: go, contents: Data())
            hog.waitUntilExit()
            #expect(hog.terminationReason == .uncaughtSignal)
            #expect(hog.terminationStatus == SIGKILL)
            #expect((cgroup.stats().oomKills ?? 0) >= 1)
            let memory = try #require(cgroup.directory(for: "memory"))
            let counters = try read(memory + (cgroup.hierarchy.usesUnified ? "/memory.events" : "/memory.oom_control"))
            #expect(counters.contains("oom_kill 1"))
        }
    }

    @Test("--blkio-weight reports what this kernel lacks")
    func blkioWeight() throws {
        try withCgroup("blkio") { cgroup in
            if let reason = cgroup.hierarchy.blkioWeightUnsupportedReason {
                #expect(throws: CgroupError.unsupported(option: "--blkio-weight", reason: reason)) {
                    try cgroup.apply(ResourceLimits(blkioWeight: 500))
                }
            } else {
                try cgroup.apply(ResourceLimits(blkioWeight: 500))
            }
        }
    }

    @Test("a --device rule reaches devices.list",
          .enabled(if: hasDevicesControllerV1, "needs the cgroup v1 devices controller (v2 filters devices with BPF)"))
    func deviceRule() throws {
        try withCgroup("dev") { cgroup in
            let devices = try #require(cgroup.directory(for: "devices"))
            try cgroup.apply(ResourceLimits())
            #expect(try read("\(devices)/devices.list").contains("c 1:3 rwm"))
        }
    }

    @Test("a --device rule for a host device adds it to devices.list",
          .enabled(if: hasDevicesControllerV1, "needs the cgroup v1 devices controller (v2 filters devices with BPF)"),
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/loop-control"), "needs /dev/loop-control"))
    func hostDeviceRule() throws {
        try withCgroup("devhost") { cgroup in
            let devices = try #require(cgroup.directory(for: "devices"))
            try cgroup.apply(ResourceLimits())
            #expect(try !read("\(devices)/devices.list").contains("c 10:237"))
            try cgroup.apply(ResourceLimits(devices: [try DeviceRule.parse("/dev/loop-control:/dev/lc:rw")]))
            #expect(try read("\(devices)/devices.list").contains("c 10:237 rw"))
        }
    }
}
