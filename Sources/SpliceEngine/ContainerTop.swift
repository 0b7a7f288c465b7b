import Glibc
import struct EngineErrors.EngineError

/// `docker top`: the host's `ps` output reduced to a container's processes, as dockerd does it.
public struct ContainerTop: Sendable, Equatable {
    /// Column titles from the `ps` header.
    public var titles: [String]
    /// One row per process, the last column holding the rest of the line (the command).
    public var processes: [[String]]

    /// Creates a table.
    public init(titles: [String], processes: [[String]]) {
        self.titles = titles
        self.processes = processes
    }

    /// Keeps the rows of `output` whose PID column is in `pids` (thread rows, PID `-`, follow their process).
    public static func parse(_ output: String, pids: Set<Int32>) throws(EngineError) -> ContainerTop {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let titles = lines.first.map { $0.split(separator: " ").map(String.init) } ?? []
        guard let pidIndex = titles.firstIndex(of: "PID") else {
            throw EngineError(.internal, "Couldn't find PID field in ps output")
        }
        var table = ContainerTop(titles: titles, processes: [])
        var previousKept = false
        for line in lines.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > pidIndex else { continue }
            if fields[pidIndex] == "-" {
                if previousKept { table.append(fields) }
                continue
            }
            guard let pid = Int32(fields[pidIndex]) else {
                throw EngineError(.internal, "Unexpected pid '\(fields[pidIndex])'")
            }
            previousKept = pids.contains(pid)
            if previousKept { table.append(fields) }
        }
        return table
    }

    /// Adds a row, merging the overhanging fields into the last column.
    mutating func append(_ fields: [String]) {
        guard fields.count >= titles.count, !titles.isEmpty else {
            processes.append(fields)
            return
        }
        processes.append(Array(fields[..<(titles.count - 1)]) + [fields[(titles.count - 1)...].joined(separator: " ")])
    }

    /// The host pids sharing the pid namespace of `pid` (the container's pid 1), from `/proc/*/ns/pid`.
    static func pidNamespaceMembers(of pid: Int32) -> [Int32] {
        guard let target = namespaceLink(pid) else { return [] }
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var members: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let candidate = Int32(name), namespaceLink(candidate) == target else { continue }
            members.append(candidate)
        }
        return members
    }

    /// The target of `/proc/<pid>/ns/pid` (`pid:[4026532...]`).
    private static func namespaceLink(_ pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let count = readlink("/proc/\(pid)/ns/pid", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
