import Foundation
import Glibc
import SpliceRuntime

/// A scratch directory `/tmp/splice-rt-<pid>-<tag>` with a busybox root filesystem (from Debian's busybox-static)
/// and state directories for containers started from it through the real `splice-init` binary; removed at the end.
final class ContainerLab {
    let directory: String
    let rootfs: String
    private var started: [RunningContainer] = []
    /// Starts go through this `splice-init serve` when set, as the engine's do.
    var launcher: InitLauncher?

    /// The binary under test: `$SPLICE_INIT_BIN`, the one beside the test bundle, or the debug build.
    static let initBinary: String = {
        if let path = ProcessInfo.processInfo.environment["SPLICE_INIT_BIN"], !path.isEmpty { return path }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("splice-init").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/splice-init").path
    }()

    /// Whether the busybox the rootfs needs is installed.
    static let busybox = "/bin/busybox"

    init(_ tag: String) throws {
        directory = "/tmp/splice-rt-\(getpid())-\(tag)"
        rootfs = directory + "/rootfs"
        let files = FileManager.default
        try? files.removeItem(atPath: directory)
        for sub in ["bin", "tmp", "mnt", "etc"] {
            try files.createDirectory(atPath: rootfs + "/" + sub, withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: Self.busybox, toPath: rootfs + "/bin/busybox")
        let list = try Self.output(Self.busybox, ["--list"])
        for applet in list.split(separator: "\n") where applet != "busybox" {
            try files.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
    }

    /// Starts `spec` (its id names the state directory).
    func start(_ spec: ContainerSpec) throws -> RunningContainer {
        let running = try ContainerRuntime.start(spec, initPath: Self.initBinary, stateDirectory: state(spec.id),
                                                 launcher: launcher)
        started.append(running)
        return running
    }

    /// A spec for `command` on the busybox rootfs.
    func spec(_ id: String, _ command: [String]) -> ContainerSpec {
        ContainerSpec(id: id, command: command, rootfs: .directory(path: rootfs), hostname: id)
    }

    /// Runs `spec` to its end and returns its exit and its log records as (stream, text).
    func run(_ spec: ContainerSpec, timeout: Double = 20) throws -> (exit: ContainerExit, lines: [(String, String)]) {
        let running = try start(spec)
        let exit = try wait(running, timeout: timeout)
        return (exit, try log(spec.id))
    }

    /// Waits for the monitor to record the exit.
    func wait(_ running: RunningContainer, timeout: Double = 20) throws -> ContainerExit {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let exit = ContainerRuntime.status(stateDirectory: running.stateDirectory) { return exit }
            usleep(20_000)
        }
        try? running.signal(SIGKILL)
        throw LabError("container in \(running.stateDirectory) did not exit within \(timeout) s")
    }

    /// The state directory of container `id`.
    func state(_ id: String) -> String { directory + "/state-" + id }

    /// The container's json-file log, decoded.
    func log(_ id: String) throws -> [(String, String)] {
        let text = try String(contentsOfFile: state(id) + "/container.log", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                  let log = object["log"], let stream = object["stream"], object["time"] != nil
            else { throw LabError("bad log line \(line)") }
            return (stream, log)
        }
    }

    /// The text a container wrote to stdout.
    func stdout(_ lines: [(String, String)]) -> String { lines.filter { $0.0 == "stdout" }.map(\.1).joined() }

    /// Runs a host command and returns its standard output; throws on failure.
    @discardableResult
    static func output(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.hasPrefix("/") ? command : "/usr/sbin/" + command)
        if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [command] + arguments
        } else {
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LabError("\(command) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    deinit {
        for running in started {
            try? running.signal(SIGKILL)
            for _ in 0..<100 where ContainerRuntime.status(stateDirectory: running.stateDirectory) == nil { usleep(20_000) }
        }
        launcher?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
