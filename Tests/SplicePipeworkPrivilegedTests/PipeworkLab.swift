import Foundation
import Glibc
import TestSupport

/// A scratch "host" namespace plus guest namespaces, all named `spt<pid>-<tag>-…` and removed at the end,
/// with the pipework binary run inside the host namespace exactly as a user would run it.
final class PipeworkLab {
    let tag: String
    let host: String
    private(set) var namespaces: [String] = []
    private var children: [Process] = []

    /// The binary under test: `$PIPEWORK_BIN` (the CI sets the static release build) or the debug build.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["PIPEWORK_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/pipework").path
    }()

    init(_ tag: String) throws {
        self.tag = "spt\(getpid())-\(tag)"
        host = "\(self.tag)-h"
        try addNamespace(host)
        try run("ip", ["-n", host, "link", "set", "lo", "up"])
    }

    /// Creates a named namespace owned by this lab.
    func addNamespace(_ name: String) throws {
        try run("ip", ["netns", "add", name])
        namespaces.append(name)
    }

    /// Creates a guest namespace `<tag>-<suffix>` and returns its name.
    func guest(_ suffix: String) throws -> String {
        let name = "\(tag)-\(suffix)"
        try addNamespace(name)
        try run("ip", ["-n", name, "link", "set", "lo", "up"])
        return name
    }

    /// Runs pipework inside the host namespace.
    @discardableResult
    func pipework(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let env = environment.map { "\($0.key)=\($0.value)" }
        return try runStatus("nsenter", ["--net=/run/netns/\(host)", "env"] + env + [Self.binary] + arguments,
                             input: input)
    }

    /// Runs pipework and requires success.
    func attach(_ arguments: [String]) throws {
        let result = try pipework(arguments)
        guard result.status == 0 else {
            throw CommandFailure(command: "pipework " + arguments.joined(separator: " "), status: result.status,
                                 stderr: result.stderr)
        }
    }

    /// `ip -j -d ARGS` inside a namespace of this lab.
    func ip(_ namespace: String, _ arguments: [String]) throws -> [[String: Any]] {
        let output = try run("ip", ["-n", namespace, "-j", "-d"] + arguments)
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        return (try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [[String: Any]]) ?? []
    }

    /// Whether `namespace` has an interface called `name`.
    func hasInterface(_ namespace: String, _ name: String) throws -> Bool {
        try runStatus("ip", ["-n", namespace, "link", "show", name]).status == 0
    }

    /// Whether `from` gets an answer from `address` (up to three tries, for DAD and ARP to settle).
    func ping(from namespace: String, _ address: String) throws -> Bool {
        let six = address.contains(":")
        for _ in 0..<3 {
            let result = try runStatus("ip", ["netns", "exec", namespace, "ping"] + (six ? ["-6"] : [])
                + ["-c", "1", "-W", "1", address])
            if result.status == 0 { return true }
            usleep(300_000)
        }
        return false
    }

    /// A comparable picture of a namespace: interfaces (name, kind, master, MAC, MTU, up), addresses and routes.
    func snapshot(_ namespace: String) throws -> String {
        let links = try ip(namespace, ["link", "show"]).map { link -> String in
            let info = link["linkinfo"] as? [String: Any]
            let flags = (link["flags"] as? [String]) ?? []
            return "\(link["ifname"] ?? "") kind=\(info?["info_kind"] ?? "-") master=\(link["master"] ?? "-")"
                + " mac=\(link["address"] ?? "-") mtu=\(link["mtu"] ?? "-") up=\(flags.contains("UP"))"
                + " alias=\(link["ifalias"] ?? "-")"
        }.sorted()
        let addresses = try ip(namespace, ["addr", "show"]).flatMap { link -> [String] in
            ((link["addr_info"] as? [[String: Any]]) ?? []).map {
                "\(link["ifname"] ?? "") \($0["local"] ?? "")/\($0["prefixlen"] ?? "")"
            }
        }.sorted()
        let routes = try (ip(namespace, ["route", "show", "table", "all"]) + ip(namespace, ["-6", "route", "show", "table", "all"]))
            .map { route in "\(route["dst"] ?? "") via=\(route["gateway"] ?? "-") dev=\(route["dev"] ?? "-") table=\(route["table"] ?? "main")" }
            .sorted()
        return (links + addresses + routes).joined(separator: "\n")
    }

    /// Starts a long-running process this lab owns and stops at the end (by its PID only).
    func spawn(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        children.append(process)
        return process
    }

    deinit {
        for child in children where child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        for name in namespaces.reversed() { _ = try? runStatus("ip", ["netns", "del", name]) }
    }
}
