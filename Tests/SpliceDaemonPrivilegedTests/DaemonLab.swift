import Foundation
import Glibc
import SpliceNet
import SystemKit
import TestSupport

/// A real `spliced` for one test: its own graph and socket under a temp dir, running inside a scratch named
/// network namespace that acts as its host (the bridge and nftables rules live there), with a busybox image
/// `bb` imported through `docker import`. Everything is torn down at the end.
final class DaemonLab {
    let directory: String
    let namespaceName: String
    let socket: String
    let graph: String
    private(set) var daemonPid: pid_t = 0
    /// Extra `spliced` flags for this lab (`--mtu 1400`, `--icc=false`, ...).
    let daemonArguments: [String]

    /// The docker CLI, if installed.
    static let docker: String? = ["/usr/local/bin/docker", "/usr/bin/docker"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The `spliced` under test: `$SPLICED_BIN`, beside the test bundle, or the debug build.
    static let splicedBinary: String = binary("spliced", environment: "SPLICED_BIN")

    static func binary(_ name: String, environment: String) -> String {
        if let path = ProcessInfo.processInfo.environment[environment], !path.isEmpty { return path }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let bundleParent = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: bundleParent) { return bundleParent }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for build in [".build-engine", ".build"] {
            let path = root.appendingPathComponent("\(build)/debug/\(name)").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }

    /// `prepare` runs with the namespace's name after it is made and before `spliced` starts (wiring an underlay).
    init(_ tag: String, daemonArguments: [String] = [], prepare: (String) throws -> Void = { _ in }) throws {
        self.daemonArguments = daemonArguments
        namespaceName = "spd\(getpid())-\(tag)"
        directory = NSTemporaryDirectory() + "splice-daemon-\(getpid())-\(tag)"
        socket = directory + "/splice.sock"
        graph = directory + "/graph"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = try NetworkNamespace.create(named: namespaceName)
        try run("/usr/sbin/ip", ["-n", namespaceName, "link", "set", "lo", "up"])
        do {
            try prepare(namespaceName)
            try startDaemon()
            try importBusybox()
        } catch {
            // deinit does not run for a failed init: remove what was made here.
            stopDaemon()
            try? NetworkNamespace.delete(named: namespaceName)
            unmountGraph()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Starts `spliced` in the namespace (with `environment` added to this process's) and waits for its socket to
    /// answer.
    func startDaemon(environment: [String: String] = [:]) throws {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = ["--net=/run/netns/\(namespaceName)", Self.splicedBinary, "-H", "unix://\(socket)",
                             "-g", graph, "-p", directory + "/spliced.pid"] + daemonArguments
        if !FileManager.default.fileExists(atPath: directory + "/spliced.log") {
            _ = FileManager.default.createFile(atPath: directory + "/spliced.log", contents: nil)
        }
        let log = FileHandle(forWritingAtPath: directory + "/spliced.log")
        log?.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        daemonPid = process.processIdentifier
        for _ in 0..<200 {
            if (try? docker(["version", "--format", "{{.Server.Version}}"]))?.status == 0 { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        throw CommandFailure(command: "spliced", status: -1, stderr: daemonLog())
    }

    /// Stops the daemon with SIGTERM (containers keep running) and reaps it.
    func stopDaemon() {
        guard daemonPid > 0 else { return }
        ChildProcess.stop(daemonPid)
        daemonPid = 0
    }

    /// Waits (up to 10 s) for a daemon that ends by itself (a failpoint's SIGKILL); whether it is gone.
    func awaitDaemonEnd() -> Bool {
        guard daemonPid > 0 else { return true }
        guard ChildProcess.awaitEnd(daemonPid, seconds: 10) else { return false }
        daemonPid = 0
        return true
    }

    /// The daemon's output so far.
    func daemonLog() -> String {
        (try? String(contentsOfFile: directory + "/spliced.log", encoding: .utf8)) ?? ""
    }

    /// Runs the docker CLI against the lab's daemon.
    @discardableResult
    func docker(_ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let docker = Self.docker else { throw CommandFailure(command: "docker", status: -1, stderr: "no docker") }
        // A hung CLI fails its test (exit 124) instead of hanging the run.
        return try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(socket)", "/usr/bin/timeout", "-s", "KILL", "60",
                                              docker] + arguments, input: input)
    }

    /// Builds a busybox root filesystem from Debian's busybox-static and imports it as `bb`.
    func importBusybox() throws {
        let rootfs = directory + "/rootfs"
        for sub in ["bin", "tmp", "etc", "proc", "sys", "dev"] {
            try FileManager.default.createDirectory(atPath: rootfs + "/" + sub, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
        for applet in try run("/bin/busybox", ["--list"]).split(separator: "\n") where applet != "busybox" {
            try FileManager.default.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try run("/bin/tar", ["-C", rootfs, "-cf", directory + "/bb.tar", "."])
        let result = try docker(["import", directory + "/bb.tar", "bb"])
        guard result.status == 0 else {
            throw CommandFailure(command: "docker import", status: result.status, stderr: result.stderr)
        }
    }

    deinit {
        if daemonPid > 0, let ids = try? docker(["ps", "-aq"]).stdout.split(separator: "\n"), !ids.isEmpty {
            _ = try? docker(["rm", "-f"] + ids.map(String.init))
        }
        stopDaemon()
        if let host = try? NetworkNamespace.open(named: namespaceName),
           let driver = try? BridgeDriver(stateDirectory: graph + "/network", hostNamespace: host) {
            let sandboxes = try? SandboxFactory(stateDirectory: graph + "/network", host: host)
            try? driver.removeEverything(sandboxes: sandboxes)
        }
        try? NetworkNamespace.delete(named: namespaceName)
        unmountGraph()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A graph on a file system of its own (a test's small tmpfs, mounted by `prepare`) is unmounted before the
    /// lab's directory is removed.
    private func unmountGraph() {
        var graphInfo = stat(), parentInfo = stat()
        if stat(graph, &graphInfo) == 0, stat(directory, &parentInfo) == 0, graphInfo.st_dev != parentInfo.st_dev {
            umount2(graph, Int32(MNT_DETACH))
        }
    }
}
