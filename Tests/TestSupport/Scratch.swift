import Foundation
import NetlinkKit
import SystemKit

/// Runs `body` with a fresh anonymous network namespace and a netlink socket bound to it. The namespace goes
/// away when the last descriptor to it closes, so nothing is left on the host.
public func withScratchNetworkNamespace<T>(
    _ body: (NetworkNamespace, NetlinkSocket) throws -> T
) throws -> T {
    let namespace = try NetworkNamespace.anonymous()
    let socket = try NetlinkSocket.open(in: namespace)
    return try body(namespace, socket)
}

/// A named namespace (`ip netns add`) made for one test, deleted by `remove()` or at the end of `with…`.
public final class ScratchNamedNamespace: @unchecked Sendable {
    // Invariant: mutated only from the owning test; never shared across tasks.
    public let name: String
    public let namespace: NetworkNamespace

    /// Creates `spt<pid>-<tag>` so parallel test processes never collide.
    public init(tag: String) throws {
        name = "spt\(getpid())-\(tag)"
        namespace = try NetworkNamespace.create(named: name)
    }

    public func remove() { try? NetworkNamespace.delete(named: name) }

    deinit { remove() }
}

/// Runs a command and returns its standard output; throws with stderr when it exits non-zero.
@discardableResult
public func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
    let result = try runStatus(executable, arguments, input: input)
    guard result.status == 0 else {
        throw CommandFailure(command: ([executable] + arguments).joined(separator: " "), status: result.status,
                             stderr: result.stderr)
    }
    return result.stdout
}

/// Runs a command and returns its exit status, standard output and standard error.
public func runStatus(_ executable: String, _ arguments: [String], input: String? = nil)
    throws -> (status: Int32, stdout: String, stderr: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// A command that exited non-zero.
public struct CommandFailure: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let stderr: String
    public init(command: String, status: Int32, stderr: String) {
        self.command = command
        self.status = status
        self.stderr = stderr
    }
    public var description: String { "`\(command)` exited \(status): \(stderr)" }
}

/// The path of a namespace descriptor that another process (nsenter) can open.
public func procPath(of namespace: NetworkNamespace) -> String {
    "/proc/\(getpid())/fd/\(namespace.descriptor.rawValue)"
}

/// Runs `ip -j ARGS` inside `namespace` and decodes its JSON: the independent oracle for kernel state.
public func ipJSON(in namespace: NetworkNamespace, _ arguments: [String]) throws -> [[String: Any]] {
    let output = try run("nsenter", ["--net=\(procPath(of: namespace))", "ip", "-j", "-d"] + arguments)
    let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return [] }
    guard let array = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [[String: Any]] else {
        return []
    }
    return array
}

/// Runs a plain command inside `namespace` (`ping`, `ip`, `bridge`) and returns its exit status and output.
public func runIn(_ namespace: NetworkNamespace, _ command: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runStatus("nsenter", ["--net=\(procPath(of: namespace))"] + command)
}
